#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* kcmp(2) tells whether two fds share one open file description.  Linux
 * only: left out by --disable-linux-extras, which leaves no HAVE_DECL_*. */
#if defined(HAVE_DECL_MSG_CMSG_CLOEXEC) && HAVE_DECL_MSG_CMSG_CLOEXEC && \
    defined(__linux__)
#include <sys/syscall.h>
#if defined(SYS_kcmp)
#define HAVE_KCMP	1
#define FDIO_KCMP_FILE	0	/* KCMP_FILE, <linux/kcmp.h> */
#endif
#endif

#include "fdpass/fdio.h"
#include "fdpass/frame.h"

#if defined(HAVE_DECL_MSG_CMSG_CLOEXEC) && HAVE_DECL_MSG_CMSG_CLOEXEC
#define RECV_CLOEXEC	MSG_CMSG_CLOEXEC
#else
#define RECV_CLOEXEC	0
#endif
#ifdef MSG_NOSIGNAL
#define SEND_NOSIGNAL	MSG_NOSIGNAL
#else
#define SEND_NOSIGNAL	0
#endif

union cmsgbuf {
	struct cmsghdr	h;
	char		b[CMSG_SPACE(sizeof(int) * FDIO_MAXFDS)];
};

int
fdio_cloexec(int fd)
{
	int	fl;

	if ((fl = fcntl(fd, F_GETFD)) == -1)
		return (-1);
	if (fl & FD_CLOEXEC)
		return (0);
	return (fcntl(fd, F_SETFD, fl | FD_CLOEXEC));
}

static uint8_t
access_of(int fd)
{
	int	fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return (0);
	switch (fl & O_ACCMODE) {
	case O_RDONLY:
		return (FRAME_ACCESS_RD);
	case O_WRONLY:
		return (FRAME_ACCESS_WR);
	case O_RDWR:
		return (FRAME_ACCESS_RDWR);
	}
	return (0);
}

/* Name an fd fstat cannot place ("eventfd", "memfd", ...). */
static const char *
odd_kind(int fd, const struct stat *st)
{
	static char	name[128];
	char		path[64], link[96];
	ssize_t		n;

	if (S_ISDIR(st->st_mode))
		return ("a directory");
	if (S_ISBLK(st->st_mode))
		return ("a block device");
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if ((n = readlink(path, link, sizeof link - 1)) > 0) {
		link[n] = '\0';
		if (strncmp(link, "anon_inode:", 11) == 0) {
			snprintf(name, sizeof name, "%s", link + 11);
			return (name);
		}
		if (strncmp(link, "/memfd:", 7) == 0)
			return ("memfd");
	}
	return ("an fd of an unknown kind");
}

/* Has the datagram socket fd a peer (connect(2), socketpair(2))? */
static int
dgram_connected(int fd)
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof ss;

	return (getpeername(fd, (struct sockaddr *)&ss, &len) == 0);
}

int
fdio_classify(int fd, struct fdio_class *c)
{
	struct stat	st, dn;
	int		type = 0, acc = 0;
	socklen_t	len;

	memset(c, 0, sizeof *c);
	c->pollable = 1;
	if (fstat(fd, &st) == -1) {
		c->what = "a closed fd";
		return (-1);
	}
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->access = access_of(fd);
	if (S_ISSOCK(st.st_mode)) {
		len = sizeof type;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1) {
			c->what = "a socket of an unknown type";
			return (-1);
		}
#ifdef SO_ACCEPTCONN
		len = sizeof acc;
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) == 0 &&
		    acc) {
			c->what = "a listening socket";
			return (-1);
		}
#endif
		c->access = FRAME_ACCESS_RDWR;
		switch (type) {
		case SOCK_STREAM:
			c->kind = FRAME_KIND_STREAM;
			c->what = "a stream socket";
			return (0);
#if defined(HAVE_DECL_SOCK_SEQPACKET) && HAVE_DECL_SOCK_SEQPACKET
		case SOCK_SEQPACKET:
			c->kind = FRAME_KIND_SEQPACKET;
			c->what = "a seqpacket socket";
			return (0);
#endif
		case SOCK_DGRAM:
			/* Records go to the peer it is connected to: one
			 * that sends to many has no single stand-in. */
			c->what = "a datagram socket";
			if (!dgram_connected(fd)) {
				c->what = "an unconnected datagram socket";
				return (-1);
			}
			c->kind = FRAME_KIND_DGRAM;
			return (0);
		}
		c->what = "a socket of an unknown type";
		return (-1);
	}
	if (S_ISFIFO(st.st_mode)) {
		c->what = "a pipe";
		if (c->access == FRAME_ACCESS_RD)
			c->kind = FRAME_KIND_PIPE_READ;
		else if (c->access == FRAME_ACCESS_WR)
			c->kind = FRAME_KIND_PIPE_WRITE;
		else {
			c->what = "a FIFO opened read-write";
			return (-1);
		}
		return (0);
	}
	if (S_ISREG(st.st_mode)) {
		c->pollable = 0;
		c->what = "a regular file";
		if (c->access == FRAME_ACCESS_RD)
			c->kind = FRAME_KIND_PIPE_READ;
		else if (c->access == FRAME_ACCESS_WR)
			c->kind = FRAME_KIND_PIPE_WRITE;
		else {
			c->what = "a regular file opened read-write";
			return (-1);
		}
		return (0);
	}
	if (S_ISCHR(st.st_mode)) {
		if (stat("/dev/null", &dn) == 0 && S_ISCHR(dn.st_mode) &&
		    dn.st_rdev == st.st_rdev) {
			c->kind = FRAME_KIND_DEVNULL;
			c->what = "/dev/null";
			return (c->access != 0 ? 0 : -1);
		}
		if (isatty(fd)) {
			c->kind = FRAME_KIND_TTY;
			c->what = "a terminal";
			return (c->access != 0 ? 0 : -1);
		}
		c->what = "a character device";
		return (-1);
	}
	c->what = odd_kind(fd, &st);
	return (-1);
}

int
fdio_same(int a, const struct fdio_class *ca, int b,
    const struct fdio_class *cb)
{
#if defined(HAVE_KCMP)
	pid_t	pid = getpid();
	long	r;

	r = syscall(SYS_kcmp, pid, pid, FDIO_KCMP_FILE, a, b);
	if (r == 0)
		return (1);
	if (r > 0)
		return (0);
	/* kcmp refused (seccomp, an old kernel): fall back. */
#endif
	return (ca->dev == cb->dev && ca->ino == cb->ino &&
	    ca->access == cb->access);
}

/* One recvmsg; fds collected into fds/nfds, all made close-on-exec. */
static ssize_t
recv_one(int fd, void *buf, size_t len, int flags, int *fds, int *nfds,
    int maxfds, int *ctrunc)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	union cmsgbuf	 cbuf;
	struct cmsghdr	*cm;
	ssize_t		 n;
	int		 i, k, *p;

	*nfds = 0;
	memset(&msg, 0, sizeof msg);
	iov.iov_base = buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.b;
	if (maxfds > FDIO_MAXFDS)
		maxfds = FDIO_MAXFDS;
	msg.msg_controllen = CMSG_SPACE(sizeof(int) * maxfds);
	do {
		n = recvmsg(fd, &msg, flags | MSG_DONTWAIT | RECV_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return (-1);
	if (msg.msg_flags & MSG_CTRUNC)
		*ctrunc = 1;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
	    cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		p = (int *)CMSG_DATA(cm);
		for (i = 0; i < k; i++) {
			int	f;

			memcpy(&f, p + i, sizeof f);
			if (*nfds < maxfds) {
				if (RECV_CLOEXEC == 0)
					fdio_cloexec(f);
				fds[(*nfds)++] = f;
			} else {
				close(f);
				*ctrunc = 1;
			}
		}
	}
	return (n);
}

static void
close_all(int *fds, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

ssize_t
fdio_recv_stream(int fd, void *buf, size_t len, int *fds, int *nfds,
    int maxfds, int *ctrunc)
{
	uint8_t	*p = buf;
	ssize_t	 r, n;
	size_t	 got;
	int	 k;

	*nfds = 0;
	/*
	 * A peek tells whether fds are pending, not where: Linux's peek walks
	 * on past the bytes it copies to the next skb that carries fds, so
	 * even a 1-byte peek returns them.  Real reads are exact: they return
	 * fds only once they reach the fd-carrying segment.
	 */
	r = recv_one(fd, buf, len, MSG_PEEK, fds, &k, maxfds, ctrunc);
	if (r <= 0) {
		close_all(fds, k);
		return (r);
	}
	if (k == 0 && !*ctrunc)
		return (recv_one(fd, buf, r, 0, fds, nfds, maxfds, ctrunc));
	close_all(fds, k);
	*ctrunc = 0;
	/* The fd segment ends within these r bytes: one byte at a time. */
	for (got = 0; got < (size_t)r; got++) {
		n = recv_one(fd, p + got, 1, 0, fds, nfds, maxfds, ctrunc);
		if (n == -1) {
			if (got > 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			return (got > 0 ? (ssize_t)got : -1);
		}
		if (n == 0)
			break;
		if (*nfds > 0 || *ctrunc)
			return ((ssize_t)got + 1);
	}
	return ((ssize_t)got);
}

ssize_t
fdio_recv_record(int fd, void *buf, size_t len, int *fds, int *nfds,
    int maxfds, int *ctrunc, int *trunc)
{
	struct msghdr	 msg;
	ssize_t		 n;

	(void)msg;
	*trunc = 0;
	n = recv_one(fd, buf, len, 0, fds, nfds, maxfds, ctrunc);
	if (n >= 0 && (size_t)n >= len)
		*trunc = 1;
	return (n);
}

ssize_t
fdio_send(int fd, const void *buf, size_t len, const int *fds, int nfds)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	union cmsgbuf	 cbuf;
	struct cmsghdr	*cm;
	ssize_t		 n;

	memset(&msg, 0, sizeof msg);
	memset(&cbuf, 0, sizeof cbuf);
	iov.iov_base = (void *)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfds > 0) {
		if (nfds > FDIO_MAXFDS) {
			errno = EINVAL;
			return (-1);
		}
		msg.msg_control = cbuf.b;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	do {
		n = sendmsg(fd, &msg, MSG_DONTWAIT | SEND_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	return (n);
}
