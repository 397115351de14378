/*
 * The syslog side of the log (-ly), apart from log.c: <syslog.h> defines
 * LOG_ERR, LOG_INFO and LOG_DEBUG, which are log.h's level names too.
 */
#include "config.h"

#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "log_syslog.h"

static const struct {
	const char	*name;
	int		 facility;
} facilities[] = {
	{ "daemon", LOG_DAEMON },
	{ "user", LOG_USER },
	{ "auth", LOG_AUTH },
	{ "local0", LOG_LOCAL0 },
	{ "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 },
	{ "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 },
	{ "local7", LOG_LOCAL7 },
};

int
syslog_start(const char *facility)
{
	size_t	i;

	if (facility == NULL || *facility == '\0')
		facility = "daemon";
	for (i = 0; i < sizeof facilities / sizeof facilities[0]; i++) {
		if (strcasecmp(facilities[i].name, facility) == 0) {
			openlog("ferry", LOG_PID | LOG_NDELAY,
			    facilities[i].facility);
			return (0);
		}
	}
	return (-1);
}

void
syslog_line(int level, const char *line)
{
	/* log.h's levels: error, warning, info, debug, trace; and notice. */
	static const int	prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
				    LOG_DEBUG, LOG_DEBUG, LOG_NOTICE };

	if (level < 0 || (size_t)level >= sizeof prio / sizeof prio[0])
		level = 1;
	syslog(prio[level], "%s", line);
}
