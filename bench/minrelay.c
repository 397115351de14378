/*
 * minrelay: the smallest honest relay, the floor reference for the
 * ping-pong scenario.  poll(2) on both sockets, read(2) up to 64 KiB,
 * write(2) it all (blocking), one connection at a time.
 *
 *   minrelay LISTEN TARGET READYFILE
 *
 * Accepts on LISTEN, connects to TARGET for each connection, copies both
 * ways until either side ends, then closes both and accepts the next.
 */
#include "util.h"

#include <poll.h>

static char buf[64 * 1024];

static void
relay(int a, int b)
{
	struct pollfd p[2] = { { a, POLLIN, 0 }, { b, POLLIN, 0 } };

	for (;;) {
		if (poll(p, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
				continue;
			n = read(p[i].fd, buf, sizeof buf);
			if (n <= 0)
				return;
			if (write_all(p[1 - i].fd, buf, (size_t)n) == -1)
				return;
		}
	}
}

int
main(int argc, char **argv)
{
	int lfd;

	if (argc != 4)
		die("usage: minrelay LISTEN TARGET READYFILE");
	signal(SIGPIPE, SIG_IGN);
	lfd = listen_addr(argv[1], argv[3]);
	for (;;) {
		int one = 1, a, b;

		if ((a = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		b = connect_addr(argv[2]);
		relay(a, b);
		close(a);
		close(b);
	}
}
