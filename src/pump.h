/*
 * A bufferevent for a fd that cannot be polled: a regular file, a block
 * device, /dev/null.  epoll refuses such fds; they are always ready, so a
 * pump reads or writes them directly, a bounded amount at a time, behind a
 * bufferevent pair whose other end the relay uses like any socket's.
 */
#ifndef FERRY_PUMP_H
#define FERRY_PUMP_H

struct bufferevent;
struct event_base;
struct pump;

/* Nonzero if base's backend can wait for fd. */
int			 pump_needed(struct event_base *, int fd);
/*
 * A pump that reads fd (what == EV_READ) or writes it (EV_WRITE).  The fd
 * stays the caller's.  On a read or write error the relay's end gets
 * BEV_EVENT_ERROR and pump_error() returns the errno.
 */
struct pump		*pump_new(struct event_base *, int fd, short what);
/* The relay's end: a bufferevent to read from or write to. */
struct bufferevent	*pump_bev(struct pump *);
int			 pump_error(const struct pump *);
/*
 * A writing pump: write out now whatever the relay's end has handed over
 * (the pair moves bytes along before they reach the fd).  Returns 0, or
 * -1 with errno set.
 */
int			 pump_flush(struct pump *);
void			 pump_free(struct pump *);

#endif
