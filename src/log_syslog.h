/* syslog for log.c (-ly), kept apart: see log_syslog.c. */
#ifndef FERRY_LOG_SYSLOG_H
#define FERRY_LOG_SYSLOG_H

/* openlog with this facility name (NULL: daemon); -1 if unknown. */
int	syslog_start(const char *facility);
/* One line at log.h's level (LOG_ERR..LOG_TRACE, or LOG_TRACE + 1). */
void	syslog_line(int level, const char *line);

#endif
