#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"

static int	log_level = LOG_WARN;

static void
log_event_cb(int severity, const char *msg)
{
	enum log_level	level;

	switch (severity) {
	case EVENT_LOG_ERR:
	case EVENT_LOG_WARN:
		level = LOG_DEBUG;	/* ferry reports what matters itself */
		break;
	default:
		level = LOG_TRACE;
		break;
	}
	if (log_enabled(level))
		log_msg(level, "libevent: %s", msg);
}

static void
log_fatal_event_cb(int err)
{
	log_fatal("libevent: fatal error %d", err);
}

void
log_init(int verbosity)
{
	log_level = LOG_WARN + verbosity;
	if (log_level > LOG_TRACE)
		log_level = LOG_TRACE;
	event_set_log_callback(log_event_cb);
	event_set_fatal_callback(log_fatal_event_cb);
	if (log_level >= LOG_TRACE)
		event_enable_debug_logging(EVENT_DBG_ALL);
}

int
log_enabled(enum log_level level)
{
	return ((int)level <= log_level);
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	char	 buf[2048];
	int	 n, saved = errno;

	if (!log_enabled(level))
		return;
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	/* One write per line, so concurrent writers do not interleave. */
	fprintf(stderr, "ferry: %.*s\n", n, buf);
	errno = saved;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void
log_fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_raw(const void *buf, size_t len)
{
	fwrite(buf, 1, len, stderr);
}
