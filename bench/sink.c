/*
 * sink: the receiving end of the bulk scenarios.
 *
 *   sink LISTEN READYFILE
 *
 * Serves connections one after another.  Each starts with an 8-byte
 * big-endian count, then that many bytes, which are read and dropped;
 * then the sink answers one byte ("k") and closes.  The answer lets the
 * source stop its clock when the last byte has arrived, whatever the
 * relay in between does with half-close.
 */
#include "util.h"

static char buf[1 << 18];

int
main(int argc, char **argv)
{
	int lfd, fd;

	if (argc != 3)
		die("usage: sink LISTEN READYFILE");
	signal(SIGPIPE, SIG_IGN);
	lfd = listen_addr(argv[1], argv[2]);
	for (;;) {
		unsigned char hdr[8];
		uint64_t want = 0, got = 0;
		size_t have = 0;
		struct timeval tv = { 120, 0 };
		ssize_t n;

		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		while (have < sizeof hdr) {
			n = read(fd, hdr + have, sizeof hdr - have);
			if (n <= 0)
				break;
			have += (size_t)n;
		}
		if (have < sizeof hdr) {
			close(fd);
			continue;
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
			fprintf(stderr, "sink: short transfer, %llu of %llu\n",
			    (unsigned long long)got, (unsigned long long)want);
		close(fd);
	}
}
