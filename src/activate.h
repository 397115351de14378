/*
 * Socket activation: the listening sockets systemd (or anything speaking
 * its protocol, such as systemd-socket-activate) passes as fds 3, 4, ...
 * with LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES in the environment.
 */
#ifndef FERRY_ACTIVATE_H
#define FERRY_ACTIVATE_H

/*
 * Take the passed fds, once, before anything else runs: if LISTEN_PID is
 * this process, remember LISTEN_FDS and LISTEN_FDNAMES and make the fds
 * close-on-exec.  The three variables are removed from the environment in
 * every case, so that no child (EXEC, SYSTEM) inherits them.  Never fails;
 * a problem is reported by activate_fd.  Calling it again starts afresh.
 */
void	activate_init(void);
/*
 * The passed fd named name in LISTEN_FDNAMES, or the first one if name is
 * NULL.  The fd stays open and is the caller's from then on.  Returns the
 * fd, or -1 with *errp set to an allocated one-line message.
 */
int	activate_fd(const char *name, char **errp);

#endif
