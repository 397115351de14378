/*
 * echo: an epoll echo server for many connections at once.
 *
 *   echo LISTEN READYFILE
 *
 * Writes back whatever each connection sends; closes a connection at its
 * end of file or on any error.  Used by the ping-pong, memory and
 * start-up scenarios.
 */
#include "util.h"

#include <sys/epoll.h>
#include <poll.h>

static char buf[1 << 16];

int
main(int argc, char **argv)
{
	struct epoll_event ev, evs[256];
	int lfd, ep;

	if (argc != 3)
		die("usage: echo LISTEN READYFILE");
	signal(SIGPIPE, SIG_IGN);
	lfd = listen_addr(argv[1], argv[2]);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		die("epoll_create1");
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		int n = epoll_wait(ep, evs, 256, -1);

		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == lfd) {
				int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
				int one = 1;

				if (c == -1)
					continue;
				setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one,
				    sizeof one);
				ev.events = EPOLLIN;
				ev.data.fd = c;
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
				continue;
			}
			ssize_t r = read(fd, buf, sizeof buf);
			if (r <= 0 || write_all(fd, buf, (size_t)r) == -1)
				close(fd);	/* also leaves the epoll set */
		}
	}
}
