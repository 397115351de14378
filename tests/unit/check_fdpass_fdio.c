/*
 * Unit tests of src/fdpass/fdio.c: the fd classifier (every kind the
 * protocol carries, and the kinds it refuses by name), the shared
 * description test, and the exact byte that carries fds on a stream
 * socket (PROTOCOL.md 13.1).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "fdpass/fdio.h"
#include "fdpass/frame.h"

static char	tmpdir[] = "/tmp/check_fdio.XXXXXX";

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/check_fdio.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char	cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static struct fdio_class
classify_ok(int fd)
{
	struct fdio_class	c;

	ck_assert_int_eq(fdio_classify(fd, &c), 0);
	return (c);
}

static const char *
classify_bad(int fd)
{
	struct fdio_class	c;

	ck_assert_int_eq(fdio_classify(fd, &c), -1);
	ck_assert_int_eq(c.kind, 0);
	ck_assert_ptr_nonnull(c.what);
	return (c.what);
}

START_TEST(test_pipe)
{
	int			p[2];
	struct fdio_class	c;

	ck_assert_int_eq(pipe(p), 0);
	c = classify_ok(p[0]);
	ck_assert_int_eq(c.kind, FRAME_KIND_PIPE_READ);
	ck_assert_int_eq(c.access, FRAME_ACCESS_RD);
	ck_assert_int_eq(c.pollable, 1);
	c = classify_ok(p[1]);
	ck_assert_int_eq(c.kind, FRAME_KIND_PIPE_WRITE);
	ck_assert_int_eq(c.access, FRAME_ACCESS_WR);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_sockets)
{
	int			sv[2], l;
	struct fdio_class	c;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	c = classify_ok(sv[0]);
	ck_assert_int_eq(c.kind, FRAME_KIND_STREAM);
	ck_assert_int_eq(c.access, FRAME_ACCESS_RDWR);
	close(sv[0]);
	close(sv[1]);
#if defined(HAVE_DECL_SOCK_SEQPACKET) && HAVE_DECL_SOCK_SEQPACKET
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	c = classify_ok(sv[1]);
	ck_assert_int_eq(c.kind, FRAME_KIND_SEQPACKET);
	close(sv[0]);
	close(sv[1]);
#endif
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	c = classify_ok(sv[0]);
	ck_assert_int_eq(c.kind, FRAME_KIND_DGRAM);
	ck_assert_int_eq(c.access, FRAME_ACCESS_RDWR);
	close(sv[0]);
	close(sv[1]);
	/* Unconnected: no single peer to stand in for. */
	l = socket(AF_UNIX, SOCK_DGRAM, 0);
	ck_assert_int_ge(l, 0);
	ck_assert_str_eq(classify_bad(l), "an unconnected datagram socket");
	close(l);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(l, 0);
	{
		struct sockaddr_un	sun;

		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof sun.sun_path, "%s/l.sock",
		    tmpdir);
		ck_assert_int_eq(bind(l, (struct sockaddr *)&sun, sizeof sun),
		    0);
		ck_assert_int_eq(listen(l, 1), 0);
	}
	ck_assert_str_eq(classify_bad(l), "a listening socket");
	close(l);
}
END_TEST

START_TEST(test_devnull)
{
	int			fd;
	struct fdio_class	c;

	fd = open("/dev/null", O_RDONLY);
	c = classify_ok(fd);
	ck_assert_int_eq(c.kind, FRAME_KIND_DEVNULL);
	ck_assert_int_eq(c.access, FRAME_ACCESS_RD);
	close(fd);
	fd = open("/dev/null", O_RDWR);
	c = classify_ok(fd);
	ck_assert_int_eq(c.kind, FRAME_KIND_DEVNULL);
	ck_assert_int_eq(c.access, FRAME_ACCESS_RDWR);
	close(fd);
}
END_TEST

START_TEST(test_regular_files)
{
	char			path[128];
	int			fd;
	struct fdio_class	c;

	snprintf(path, sizeof path, "%s/f", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	c = classify_ok(fd);
	ck_assert_int_eq(c.kind, FRAME_KIND_PIPE_WRITE);
	ck_assert_int_eq(c.pollable, 0);
	close(fd);
	fd = open(path, O_RDONLY);
	c = classify_ok(fd);
	ck_assert_int_eq(c.kind, FRAME_KIND_PIPE_READ);
	ck_assert_int_eq(c.pollable, 0);
	close(fd);
	fd = open(path, O_RDWR);
	ck_assert_str_eq(classify_bad(fd), "a regular file opened read-write");
	close(fd);
	fd = open(tmpdir, O_RDONLY);
	ck_assert_str_eq(classify_bad(fd), "a directory");
	close(fd);
}
END_TEST

START_TEST(test_tty)
{
	int			m, s;
	struct fdio_class	c;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m == -1)
		return;		/* no ptys here */
	ck_assert_int_eq(grantpt(m), 0);
	ck_assert_int_eq(unlockpt(m), 0);
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(s, 0);
	c = classify_ok(s);
	ck_assert_int_eq(c.kind, FRAME_KIND_TTY);
	ck_assert_int_eq(c.access, FRAME_ACCESS_RDWR);
	close(s);
	close(m);
}
END_TEST

START_TEST(test_closed)
{
	ck_assert_str_eq(classify_bad(999), "a closed fd");
}
END_TEST

START_TEST(test_same)
{
	int			p[2], q[2], d;
	struct fdio_class	a, b, c, e;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(q), 0);
	d = dup(p[1]);
	a = classify_ok(p[1]);
	b = classify_ok(d);
	c = classify_ok(q[1]);
	e = classify_ok(p[0]);
	ck_assert_int_eq(fdio_same(p[1], &a, d, &b), 1);
	ck_assert_int_eq(fdio_same(p[1], &a, q[1], &c), 0);
	ck_assert_int_eq(fdio_same(p[1], &a, p[0], &e), 0);
	close(d);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}
END_TEST

static void
send_with_fd(int s, const char *data, size_t len, int fd)
{
	ck_assert_int_eq(fdio_send(s, data, len, &fd, 1), (ssize_t)len);
}

/* "len\n" and then one fd-carrying byte, as spring writes them. */
START_TEST(test_exact_byte)
{
	int	sv[2], p[2], fds[FDIO_MAXFDS], nfds, ctrunc = 0;
	char	buf[64];
	ssize_t	n;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(sv[0], "12\n", 3), 3);
	send_with_fd(sv[0], "x", 1, p[0]);
	ck_assert_int_eq(write(sv[0], "ab", 2), 2);
	send_with_fd(sv[0], "hello", 5, p[1]);

	/* Whatever the kernel merges, the fds come with the last byte
	 * returned, and that byte is the one they were sent with. */
	n = fdio_recv_stream(sv[1], buf, sizeof buf, fds, &nfds, 4, &ctrunc);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(memcmp(buf, "12\nx", 4), 0);
	ck_assert_int_eq(nfds, 1);
	ck_assert_int_eq(ctrunc, 0);
	ck_assert_int_ne(fcntl(fds[0], F_GETFD) & FD_CLOEXEC, 0);
	close(fds[0]);

	/* The fds came with the first byte of "hello", not its last. */
	n = fdio_recv_stream(sv[1], buf, sizeof buf, fds, &nfds, 4, &ctrunc);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(memcmp(buf, "abh", 3), 0);
	ck_assert_int_eq(nfds, 1);
	close(fds[0]);
	n = fdio_recv_stream(sv[1], buf, sizeof buf, fds, &nfds, 4, &ctrunc);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(nfds, 0);
	ck_assert_int_eq(memcmp(buf, "ello", 4), 0);
	close(sv[0]);
	n = fdio_recv_stream(sv[1], buf, sizeof buf, fds, &nfds, 4, &ctrunc);
	ck_assert_int_eq(n, 0);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_ctrunc)
{
	int	sv[2], p[2], fds[FDIO_MAXFDS], nfds, ctrunc = 0, three[3];
	char	buf[8];
	ssize_t	n;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(pipe(p), 0);
	three[0] = three[1] = three[2] = p[0];
	ck_assert_int_eq(fdio_send(sv[0], "z", 1, three, 3), 1);
	n = fdio_recv_stream(sv[1], buf, sizeof buf, fds, &nfds, 1, &ctrunc);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ctrunc, 1);
	while (nfds > 0)
		close(fds[--nfds]);
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}
END_TEST

#if defined(HAVE_DECL_SOCK_SEQPACKET) && HAVE_DECL_SOCK_SEQPACKET
START_TEST(test_records)
{
	int	sv[2], fds[FDIO_MAXFDS], nfds, ctrunc = 0, trunc = 0;
	char	big[70000], buf[70001];
	ssize_t	n;

	memset(big, 'r', sizeof big);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ck_assert_int_eq(fdio_send(sv[0], big, 65536, NULL, 0), 65536);
	ck_assert_int_eq(fdio_send(sv[0], "ab", 2, &sv[0], 1), 2);
	n = fdio_recv_record(sv[1], buf, sizeof buf, fds, &nfds, 4, &ctrunc,
	    &trunc);
	ck_assert_int_eq(n, 65536);
	ck_assert_int_eq(trunc, 0);
	ck_assert_int_eq(nfds, 0);
	n = fdio_recv_record(sv[1], buf, 1, fds, &nfds, 4, &ctrunc, &trunc);
	ck_assert_int_eq(trunc, 1);	/* a record longer than the buffer */
	ck_assert_int_eq(nfds, 1);
	close(fds[0]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST
#endif

static Suite *
fdio_suite(void)
{
	Suite	*s = suite_create("fdio");
	TCase	*tc = tcase_create("classify");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pipe);
	tcase_add_test(tc, test_sockets);
	tcase_add_test(tc, test_devnull);
	tcase_add_test(tc, test_regular_files);
	tcase_add_test(tc, test_tty);
	tcase_add_test(tc, test_closed);
	tcase_add_test(tc, test_same);
	suite_add_tcase(s, tc);
	tc = tcase_create("io");
	tcase_add_test(tc, test_exact_byte);
	tcase_add_test(tc, test_ctrunc);
#if defined(HAVE_DECL_SOCK_SEQPACKET) && HAVE_DECL_SOCK_SEQPACKET
	tcase_add_test(tc, test_records);
#endif
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(fdio_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
