#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#ifdef HAVE_LINUX_VM_SOCKETS_H
#include <linux/vm_sockets.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sock.h"
#include "xmalloc.h"

#define FDSHORT_QUIET	60	/* seconds between two "out of fds" warnings */

int
sock_cloexec(int fd)
{
	int	flags;

	if ((flags = fcntl(fd, F_GETFD)) == -1)
		return (-1);
	if (flags & FD_CLOEXEC)
		return (0);
	return (fcntl(fd, F_SETFD, flags | FD_CLOEXEC));
}

int
sock_nonblock(int fd, int on)
{
	int	flags, want;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		return (-1);
	want = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
	if (want == flags)
		return (0);
	return (fcntl(fd, F_SETFL, want));
}

int
sock_socket(int family, int type, int nonblock)
{
	int	fd, saved;

#if HAVE_DECL_SOCK_CLOEXEC && HAVE_DECL_SOCK_NONBLOCK
	(void)fd;
	(void)saved;
	return (socket(family, type | SOCK_CLOEXEC |
	    (nonblock ? SOCK_NONBLOCK : 0), 0));
#else
	if ((fd = socket(family, type, 0)) == -1)
		return (-1);
	if (sock_cloexec(fd) == -1 || (nonblock && sock_nonblock(fd, 1) == -1)) {
		saved = errno;
		close(fd);
		errno = saved;
		return (-1);
	}
	return (fd);
#endif
}

int
sock_pipe(int fds[2])
{
#ifdef HAVE_PIPE2
	return (pipe2(fds, O_CLOEXEC));
#else
	if (pipe(fds) == -1)
		return (-1);
	if (sock_cloexec(fds[0]) == -1 || sock_cloexec(fds[1]) == -1) {
		close(fds[0]);
		close(fds[1]);
		return (-1);
	}
	return (0);
#endif
}

int
sock_pair(int type, int fds[2])
{
#if HAVE_DECL_SOCK_CLOEXEC
	return (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds));
#else
	if (socketpair(AF_UNIX, type, 0, fds) == -1)
		return (-1);
	if (sock_cloexec(fds[0]) == -1 || sock_cloexec(fds[1]) == -1) {
		close(fds[0]);
		close(fds[1]);
		return (-1);
	}
	return (0);
#endif
}

char *
sock_ntop(const struct sockaddr *sa, socklen_t len, char *buf)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	const struct sockaddr_un	*sun;
#ifdef HAVE_LINUX_VM_SOCKETS_H
	const struct sockaddr_vm	*svm;
#endif
	char				 host[INET6_ADDRSTRLEN];
	size_t				 plen;
	struct in_addr			 v4;

	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
		snprintf(buf, SOCK_NTOP_MAX, "%s:%u", host, ntohs(sin->sin_port));
		break;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			memcpy(&v4, &sin6->sin6_addr.s6_addr[12], sizeof v4);
			inet_ntop(AF_INET, &v4, host, sizeof host);
			snprintf(buf, SOCK_NTOP_MAX, "%s:%u", host,
			    ntohs(sin6->sin6_port));
		} else {
			inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
			snprintf(buf, SOCK_NTOP_MAX, "[%s]:%u", host,
			    ntohs(sin6->sin6_port));
		}
		break;
	case AF_UNIX:
		sun = (const struct sockaddr_un *)sa;
		if (len <= offsetof(struct sockaddr_un, sun_path)) {
			snprintf(buf, SOCK_NTOP_MAX, "(unnamed)");
			break;
		}
		plen = len - offsetof(struct sockaddr_un, sun_path);
		if (sun->sun_path[0] == '\0')
			snprintf(buf, SOCK_NTOP_MAX, "@%.*s", (int)plen - 1,
			    sun->sun_path + 1);
		else
			snprintf(buf, SOCK_NTOP_MAX, "%.*s", (int)strnlen(
			    sun->sun_path, plen), sun->sun_path);
		break;
#ifdef HAVE_LINUX_VM_SOCKETS_H
	case AF_VSOCK:
		svm = (const struct sockaddr_vm *)sa;
		if (svm->svm_cid == VMADDR_CID_ANY)
			snprintf(buf, SOCK_NTOP_MAX, "vsock:any:%u",
			    svm->svm_port);
		else
			snprintf(buf, SOCK_NTOP_MAX, "vsock:%u:%u",
			    svm->svm_cid, svm->svm_port);
		break;
#endif
	default:
		snprintf(buf, SOCK_NTOP_MAX, "(family %d)", sa->sa_family);
		break;
	}
	return (buf);
}

static char *
sock_name(int fd, char *buf, int (*get)(int, struct sockaddr *, socklen_t *))
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof ss;

	if (get(fd, (struct sockaddr *)&ss, &len) == -1) {
		snprintf(buf, SOCK_NTOP_MAX, "?");
		return (buf);
	}
	return (sock_ntop((struct sockaddr *)&ss, len, buf));
}

char *
sock_peer(int fd, char *buf)
{
	return (sock_name(fd, buf, getpeername));
}

char *
sock_local(int fd, char *buf)
{
	return (sock_name(fd, buf, getsockname));
}

int
sock_unix_addr(const char *path, struct sockaddr_un *sun, socklen_t *lenp,
    char **errp)
{
	size_t	len = strlen(path);

	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (len == 0) {
		*errp = xstrdup("empty socket path");
		return (-1);
	}
	if (len >= sizeof sun->sun_path) {
		*errp = xasprintf("socket path too long (%zu bytes, at most "
		    "%zu)", len, sizeof sun->sun_path - 1);
		return (-1);
	}
	memcpy(sun->sun_path, path, len);
	*lenp = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	return (0);
}

int
sock_unix_abstract(const char *name, struct sockaddr_un *sun,
    socklen_t *lenp, char **errp)
{
	size_t	len = strlen(name);

	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (len == 0) {
		*errp = xstrdup("empty abstract socket name");
		return (-1);
	}
	if (len >= sizeof sun->sun_path) {
		*errp = xasprintf("abstract socket name too long (%zu bytes, "
		    "at most %zu)", len, sizeof sun->sun_path - 1);
		return (-1);
	}
	memcpy(sun->sun_path + 1, name, len);
	*lenp = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	return (0);
}

int
sock_is_socket(int fd)
{
	struct stat	sb;

	return (fstat(fd, &sb) == 0 && S_ISSOCK(sb.st_mode));
}

int
sock_fdshort(const char *who, const char *what, int err)
{
	static time_t	last;
	time_t		now;

	if (err != EMFILE && err != ENFILE)
		return (0);
	now = time(NULL);
	if (last == 0 || now - last >= FDSHORT_QUIET) {
		last = now;
		log_warn("%s: %s: %s (out of fds: refusing or delaying "
		    "connections; said once a minute)", who, what,
		    strerror(err));
	} else
		log_debug("%s: %s: %s", who, what, strerror(err));
	return (1);
}
