/*
 * An endpoint is one opened address, as the relay sees it: a fd to read
 * from, a fd to write to (the same fd for a socket), and what must happen
 * when it is closed (a child to let go of, a file to remove).
 */
#ifndef FERRY_ENDPOINT_H
#define FERRY_ENDPOINT_H

#include <sys/types.h>

struct endpoint;

/*
 * Make an endpoint of rfd (-1: not readable) and wfd (-1: not writable),
 * which may be equal.  The endpoint owns both fds from now on and closes
 * them in endpoint_free, except fds 0-2, which it points at /dev/null
 * instead so they are never reused.  name is copied (for log lines).
 */
struct endpoint	*endpoint_new(const char *name, int rfd, int wfd);
/* Join two endpoints: read from rd, write to wr ("A!!B"). Owns both. */
struct endpoint	*endpoint_join(const char *name, struct endpoint *rd,
		    struct endpoint *wr);
/* The endpoint owns child pid: endpoint_free hands it to child_release. */
void		 endpoint_set_child(struct endpoint *, pid_t);
/* Remove path when the endpoint is freed (unlink-close). Copied. */
void		 endpoint_set_unlink(struct endpoint *, const char *path);
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
