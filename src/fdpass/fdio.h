/*
 * SCM_RIGHTS I/O and fd classification for the fd-passing mode: the only
 * place that calls recvmsg/sendmsg with control data (PROTOCOL.md 13).
 * No event loop, no allocation: callers own every buffer and every fd.
 */
#ifndef FERRY_FDPASS_FDIO_H
#define FERRY_FDPASS_FDIO_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define FDIO_MAXFDS	253	/* as FRAME_FDS_MAX */

/* What a received fd is, and how it is carried (PROTOCOL.md 5.2, 13.3). */
struct fdio_class {
	uint8_t		 kind;		/* FRAME_KIND_*, 0: cannot be carried */
	uint8_t		 access;	/* FRAME_ACCESS_* */
	int		 pollable;	/* 0: a regular file, read/write at will */
	const char	*what;		/* "pipe", "eventfd", ... for messages */
	dev_t		 dev;		/* identity of the open file */
	ino_t		 ino;
};

/*
 * Classify fd with fstat, SO_TYPE, isatty and F_GETFL.  Fills *c and
 * returns 0 when the fd can be carried, or returns -1 with c->kind 0 and
 * c->what naming the kind ("a regular file opened read-write", "a
 * directory", "a listening socket", ...).  fd is not changed.
 */
int	fdio_classify(int fd, struct fdio_class *c);

/*
 * Do a and b (classified as ca and cb) share one open file description?
 * Linux: kcmp(KCMP_FILE) where available; elsewhere the same file and the
 * same access mode.  Returns 1 or 0.
 */
int	fdio_same(int a, const struct fdio_class *ca, int b,
	    const struct fdio_class *cb);

/*
 * Receive from the stream socket fd (never blocking: MSG_DONTWAIT) at most
 * len bytes into buf, stopping at the byte that carries fds (13.1): either
 * bytes without fds (*nfds = 0), or bytes of which the LAST one is the byte
 * the fds (*nfds > 0, close-on-exec, the caller's) were sent with.  Returns
 * the bytes read, 0 at EOF, -1 with errno (EAGAIN: nothing there).
 * *ctrunc is set when the kernel cut the fds (MSG_CTRUNC); the fds that
 * did arrive are still returned.
 */
ssize_t	fdio_recv_stream(int fd, void *buf, size_t len, int *fds, int *nfds,
	    int maxfds, int *ctrunc);
/*
 * Receive one record from a seqpacket or datagram socket into buf (len
 * bytes; a record longer than that sets *trunc).  As fdio_recv_stream
 * otherwise.  Returns the record length (0: an empty record, or EOF when
 * *nfds is 0: the caller decides).
 */
ssize_t	fdio_recv_record(int fd, void *buf, size_t len, int *fds, int *nfds,
	    int maxfds, int *ctrunc, int *trunc);
/*
 * Send len bytes from buf on socket fd with MSG_DONTWAIT|MSG_NOSIGNAL, and
 * the nfds fds (may be 0) attached to the first byte.  Returns the bytes
 * sent or -1 with errno; the fds stay the caller's.
 */
ssize_t	fdio_send(int fd, const void *buf, size_t len, const int *fds,
	    int nfds);
/* Close-on-exec on fd; returns 0 or -1. */
int	fdio_cloexec(int fd);

#endif
