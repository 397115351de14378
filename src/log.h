/*
 * Logging to stderr, a file (-lf) or syslog (-ly), by level.  On stderr
 * every line starts with "ferry: ", in a file with the time and pid.
 * Errors and warnings are always printed; -d adds LOG_INFO (one line per
 * connection), -dd LOG_DEBUG, -ddd LOG_TRACE (libevent's own messages too).
 */
#ifndef FERRY_LOG_H
#define FERRY_LOG_H

enum log_level {
	LOG_ERR = 0,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
	LOG_TRACE
};

/* Set the verbosity (number of -d flags) and route libevent's log here. */
void	log_init(int verbosity);
/* Log to a file (appended to, created 0644), or to syslog with a facility
 * name (NULL: daemon).  Return 0, or -1 (errno set for a file). */
int	log_to_file(const char *path);
int	log_to_syslog(const char *facility);
/* Nonzero if messages at this level are printed. */
int	log_enabled(enum log_level);
void	log_msg(enum log_level, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* A message asked for (statistics): printed whatever the level. */
void	log_note(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
/* Print the message and exit(1).  atexit handlers still run. */
void	log_fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* Write raw bytes to the log stream (for -v/-x traffic dumps). */
void	log_raw(const void *, size_t);

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)	do {						\
	if (log_enabled(LOG_INFO)) log_msg(LOG_INFO, __VA_ARGS__);	\
} while (0)
#define log_debug(...)	do {						\
	if (log_enabled(LOG_DEBUG)) log_msg(LOG_DEBUG, __VA_ARGS__);	\
} while (0)

#endif
