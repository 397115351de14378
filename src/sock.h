/*
 * Small socket helpers shared by the address families: portable creation
 * with close-on-exec, fd flags, and printable socket addresses.
 */
#ifndef FERRY_SOCK_H
#define FERRY_SOCK_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Longest printable form of any socket address, with its NUL. */
#define SOCK_NTOP_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path) + 64)

/*
 * Create a close-on-exec socket, non-blocking if nonblock is set.  Uses
 * SOCK_CLOEXEC/SOCK_NONBLOCK where configure found them, fcntl otherwise.
 * Returns the fd, or -1 with errno set.
 */
int	sock_socket(int family, int type, int nonblock);
/* Set FD_CLOEXEC / O_NONBLOCK on fd.  Return 0, or -1 with errno set. */
int	sock_cloexec(int fd);
int	sock_nonblock(int fd, int on);
/*
 * Make a pipe whose two ends are close-on-exec.  Returns 0 or -1 (errno).
 */
int	sock_pipe(int fds[2]);
/* A close-on-exec socketpair. Returns 0 or -1 (errno). */
int	sock_pair(int type, int fds[2]);
/*
 * Write a printable form of sa into buf (at least SOCK_NTOP_MAX bytes):
 * "127.0.0.1:80", "[::1]:80" (v4-mapped addresses printed as IPv4),
 * "/path" or "@name" for UNIX sockets.  Returns buf.
 */
char	*sock_ntop(const struct sockaddr *sa, socklen_t len, char *buf);
/* The printable peer (or local) address of a connected fd, into buf. */
char	*sock_peer(int fd, char *buf);
char	*sock_local(int fd, char *buf);
/*
 * Fill a sockaddr_un for path.  Returns 0, or -1 with *errp set to an
 * allocated message when the path is empty or too long.
 */
int	sock_unix_addr(const char *path, struct sockaddr_un *sun,
	    socklen_t *lenp, char **errp);
/*
 * Fill a sockaddr_un for name in Linux's abstract namespace ("@name" when
 * printed): no file, a leading NUL, the length counting only the name.
 * Returns 0, or -1 with *errp set to an allocated message.
 */
int	sock_unix_abstract(const char *name, struct sockaddr_un *sun,
	    socklen_t *lenp, char **errp);
/* Nonzero if fd is a socket. */
int	sock_is_socket(int fd);
/*
 * Out of fds (err EMFILE or ENFILE) while WHO did WHAT: logs "WHO: WHAT:
 * error" as a warning if it is the first shortage in a minute, else at
 * debug level, so that a burst of connections finding no fd is one line,
 * not one each.  Returns 1 if err was a shortage (logged), 0 if not.
 */
int	sock_fdshort(const char *who, const char *what, int err);

#endif
