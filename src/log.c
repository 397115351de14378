#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/time.h>

#include <event2/event.h>

#include "log.h"
#include "log_syslog.h"

#define LOG_LINE_MAX	1000	/* a message is one line of at most this */

#define LOG_NOTE	(LOG_TRACE + 1)	/* asked for (stats): printed at any level */

static int	 log_level = LOG_WARN;
static FILE	*log_file;		/* -lf, or NULL: stderr */
static int	 log_syslog;		/* -ly */

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

/*
 * Whatever a message quotes (an address, a host name, a peer's error text),
 * it stays one line of bounded length: control bytes are written as \xNN
 * and a long message is cut, with "...".
 */
int
log_to_file(const char *path)
{
	int	fd;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0644)) == -1)
		return (-1);
	if ((log_file = fdopen(fd, "a")) == NULL) {
		close(fd);
		return (-1);
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	return (0);
}

int
log_to_syslog(const char *facility)
{
	if (syslog_start(facility) == -1)
		return (-1);
	log_syslog = 1;
	return (0);
}

/* Where a line goes: stderr as "ferry: ...", a file with time and pid. */
static void
log_line(int level, const char *line, size_t n)
{
	struct timeval	tv;
	struct tm	tm;
	char		when[32];

	if (log_syslog) {
		syslog_line(level, line);
		return;
	}
	if (log_file == NULL) {
		/* One write per line: concurrent writers do not interleave. */
		fprintf(stderr, "ferry: %.*s\n", (int)n, line);
		return;
	}
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(log_file, "%s.%03ld ferry[%ld]: %.*s\n", when,
	    (long)tv.tv_usec / 1000, (long)getpid(), (int)n, line);
}

static void
log_vmsg(int level, const char *fmt, va_list ap)
{
	char		 buf[4096], line[LOG_LINE_MAX + 8];
	unsigned char	 c;
	size_t		 i, n = 0;
	int		 saved = errno;

	if (level != LOG_NOTE && !log_enabled((enum log_level)level))
		return;
	if (vsnprintf(buf, sizeof buf, fmt, ap) < 0)
		return;
	for (i = 0; buf[i] != '\0' && n < LOG_LINE_MAX; i++) {
		c = (unsigned char)buf[i];
		if (c < 0x20 || c == 0x7f)
			n += snprintf(line + n, sizeof line - n, "\\x%02x", c);
		else
			line[n++] = (char)c;
	}
	if (buf[i] != '\0') {
		memcpy(line + (n < LOG_LINE_MAX ? n : LOG_LINE_MAX), "...", 3);
		n = (n < LOG_LINE_MAX ? n : LOG_LINE_MAX) + 3;
	}
	line[n] = '\0';
	log_line(level, line, n);
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
log_note(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(LOG_NOTE, fmt, ap);
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
