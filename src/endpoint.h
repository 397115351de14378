/*
 * An endpoint is one opened address, as the relay sees it: a fd to read
 * from, a fd to write to (the same fd for a socket), and what must happen
 * when it is closed (a child to let go of, a file to remove).
 */
#ifndef FERRY_ENDPOINT_H
#define FERRY_ENDPOINT_H

#include <sys/types.h>

struct bufferevent;

struct endpoint;

/*
 * Make an endpoint of rfd (-1: not readable) and wfd (-1: not writable),
 * which may be equal.  The endpoint owns both fds from now on and closes
 * them in endpoint_free, except fds 0-2, which it points at /dev/null
 * instead so they are never reused.  name is copied (for log lines).
 */
struct endpoint	*endpoint_new(const char *name, int rfd, int wfd);
/*
 * The same for a non-blocking stream socket of ours (accepted or
 * connected), which the relay may splice without asking the kernel.
 */
struct endpoint	*endpoint_new_sock(const char *name, int fd);
/* Nonzero for an endpoint_new_sock endpoint, not joined, not TLS. */
int		 endpoint_nbstream(const struct endpoint *);
/* Nonzero if the write fd is a socket. */
int		 endpoint_wr_socket(const struct endpoint *);
/*
 * An endpoint whose I/O goes through a bufferevent (TLS).  It owns bev and
 * frees it (and the fd under it) in endpoint_free.
 */
struct endpoint	*endpoint_new_bev(const char *name, struct bufferevent *bev);
/* The bufferevent of endpoint_new_bev, or NULL for a plain one. */
struct bufferevent *endpoint_bev(const struct endpoint *);
/*
 * Take the socket out of a plain endpoint with one fd both ways: the caller
 * owns it and endpoint_free no longer closes it.  Returns the fd.
 */
int		 endpoint_take_fd(struct endpoint *);
/* Join two endpoints: read from rd, write to wr ("A!!B"). Owns both. */
struct endpoint	*endpoint_join(const char *name, struct endpoint *rd,
		    struct endpoint *wr);
/* The endpoint owns child pid: endpoint_free hands it to child_release. */
void		 endpoint_set_child(struct endpoint *, pid_t);
/* Remove path when the endpoint is freed (unlink-close). Copied. */
void		 endpoint_set_unlink(struct endpoint *, const char *path);
/* Call fn(arg) when the endpoint is freed, after its fds are closed. */
void		 endpoint_set_close(struct endpoint *, void (*fn)(void *),
		    void *arg);
/* The endpoint owns fd too (a pty's slave kept open); closed on free. */
void		 endpoint_hold_fd(struct endpoint *, int fd);
/*
 * Reading EIO is the end of the data, not an error: a pty's master whose
 * slave was closed.
 */
void		 endpoint_set_eio_eof(struct endpoint *);
int		 endpoint_eio_eof(const struct endpoint *);
int		 endpoint_rfd(const struct endpoint *);
int		 endpoint_wfd(const struct endpoint *);
const char	*endpoint_name(const struct endpoint *);
/*
 * No more data will be written: shutdown(SHUT_WR) a socket, close (or
 * point at /dev/null) any other write fd.  Returns 0, or -1 with errno.
 */
int		 endpoint_shutdown_wr(struct endpoint *);
/* Close everything the endpoint owns.  NULL is a no-op. */
void		 endpoint_free(struct endpoint *);

#endif
