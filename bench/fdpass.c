/*
 * fdpass: the two ends of the fd-passing scenario.
 *
 *   fdpass serve LISTEN READYFILE
 *   fdpass setup CONNECT COUNT [WARMUP [plain]]
 *   fdpass bulk CONNECT BYTES [plain]
 *
 * serve: a UNIX server, one connection after another.  It receives the
 * first byte with recvmsg.  If an fd came with it, the rest happens on
 * that fd (a passed socket), else on the connection itself: after "s" it
 * answers one byte ("k") and closes; after "b" it is a sink (an 8-byte
 * count, that many bytes, the answer "k").
 *
 * setup: COUNT times (after WARMUP unmeasured ones) connect, make a
 * socketpair, send "s" with one end attached, and wait for the answer on
 * the other end: one fd-passing session's set-up round trip.  Prints
 * "MEAN P50 P99" in microseconds.  With "plain" after WARMUP no fd is
 * passed (the same exchange through a plain relay).
 *
 * bulk: one connection; "b" with a socketpair end attached, then the
 * count and BYTES bytes and the wait for the answer on the passed
 * socket: a passed fd's channel.  With "plain", the same on the
 * connection itself.  Prints the seconds from before connect to the
 * answer.
 */
#include "util.h"

#include <sys/uio.h>

static char buf[1 << 18];

static int
cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Send byte c on sock, with fd attached unless fd is -1. */
static void
send_byte(int sock, char c, int fd)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct iovec iov = { &c, 1 };
	struct msghdr msg;

	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd != -1) {
		memset(&u, 0, sizeof u);
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof u.buf;
		CMSG_FIRSTHDR(&msg)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&msg)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&msg)->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&msg)), &fd, sizeof fd);
	}
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) != 1)
		die("sendmsg");
}

/* Receive one byte from sock; *fd is a passed fd or -1.  -1 at EOF. */
static int
recv_byte(int sock, char *c, int *fd)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * 4)];
	} u;
	struct iovec iov = { c, 1 };
	struct msghdr msg;
	struct cmsghdr *cm;
	ssize_t n;

	*fd = -1;
	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n != 1)
		return -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(cm), sizeof *fd);
	return 0;
}

static void
sink(int fd)
{
	unsigned char hdr[8];
	uint64_t want = 0, got = 0;
	size_t have = 0;
	ssize_t n;

	while (have < sizeof hdr) {
		n = read(fd, hdr + have, sizeof hdr - have);
		if (n <= 0)
			return;
		have += (size_t)n;
	}
	for (int i = 0; i < 8; i++)
		want = want << 8 | hdr[i];
	while (got < want) {
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (uint64_t)n;
	}
	if (got == want)
		write_all(fd, "k", 1);
	else
		fprintf(stderr, "fdpass: short transfer, %llu of %llu\n",
		    (unsigned long long)got, (unsigned long long)want);
}

static int
serve(const char *spec, const char *ready)
{
	int lfd = listen_addr(spec, ready), fd, pfd, io;
	struct timeval tv = { 120, 0 };
	char c;

	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (recv_byte(fd, &c, &pfd) == 0) {
			io = pfd != -1 ? pfd : fd;
			if (c == 's')
				write_all(io, "k", 1);
			else if (c == 'b')
				sink(io);
			if (pfd != -1)
				close(pfd);
		}
		close(fd);
	}
	return 0;
}

/* One session: returns the passed socket's other end, or the connection. */
static int
session(const char *spec, char c, int plain, int *conn)
{
	int sv[2];

	*conn = connect_addr(spec);
	if (plain) {
		send_byte(*conn, c, -1);
		return *conn;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		die("socketpair");
	send_byte(*conn, c, sv[1]);
	close(sv[1]);
	return sv[0];
}

static int
setup(const char *spec, long count, long warm, int plain)
{
	uint64_t *rtt, sum = 0;
	int conn, io;
	char c;

	if (count < 1 || (rtt = calloc((size_t)count, sizeof *rtt)) == NULL)
		die("bad count");
	for (long i = -warm; i < count; i++) {
		uint64_t t0 = now_ns();

		io = session(spec, 's', plain, &conn);
		if (read(io, &c, 1) != 1)
			die("round trip %ld failed", i);
		if (i >= 0)
			sum += rtt[i] = now_ns() - t0;
		if (io != conn)
			close(io);
		close(conn);
	}
	qsort(rtt, (size_t)count, sizeof *rtt, cmp);
	printf("%.2f %.2f %.2f\n", (double)sum / (double)count / 1e3,
	    (double)rtt[count / 2] / 1e3,
	    (double)rtt[(count * 99) / 100] / 1e3);
	return 0;
}

static int
bulk(const char *spec, unsigned long long total, int plain)
{
	unsigned char hdr[8];
	unsigned long long left;
	uint64_t t0, t1;
	int conn, io;
	char ack;

	memset(buf, 'x', sizeof buf);
	for (int i = 0; i < 8; i++)
		hdr[i] = (unsigned char)(total >> (56 - 8 * i));
	t0 = now_ns();
	io = session(spec, 'b', plain, &conn);
	if (write_all(io, hdr, sizeof hdr) == -1)
		die("write");
	for (left = total; left > 0;) {
		size_t n = left < sizeof buf ? (size_t)left : sizeof buf;

		if (write_all(io, buf, n) == -1)
			die("write after %llu bytes", total - left);
		left -= n;
	}
	if (read(io, &ack, 1) != 1)
		die("no answer from the server");
	t1 = now_ns();
	if (io != conn)
		close(io);
	close(conn);
	printf("%.6f\n", (double)(t1 - t0) / 1e9);
	return 0;
}

int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2], argv[3]);
	if (argc >= 4 && strcmp(argv[1], "setup") == 0)
		return setup(argv[2], atol(argv[3]),
		    argc > 4 ? atol(argv[4]) : 100,
		    argc > 5 && strcmp(argv[5], "plain") == 0);
	if (argc >= 4 && strcmp(argv[1], "bulk") == 0)
		return bulk(argv[2], strtoull(argv[3], NULL, 10),
		    argc > 4 && strcmp(argv[4], "plain") == 0);
	die("usage: fdpass serve LISTEN READY | setup CONNECT COUNT [WARMUP "
	    "[plain]] | bulk CONNECT BYTES [plain]");
	return 1;
}
