/*
 * source: the sending end of the bulk scenarios.
 *
 *   source CONNECT BYTES
 *
 * Connects, sends an 8-byte count and BYTES bytes, waits for the sink's
 * one-byte answer, and prints the seconds from just before connect(2) to
 * the answer.  Exit status 1 if the answer never comes.
 */
#include "util.h"

static char buf[1 << 17];

int
main(int argc, char **argv)
{
	unsigned long long total, left;
	unsigned char hdr[8];
	uint64_t t0, t1;
	char ack;
	int fd;

	if (argc != 3)
		die("usage: source CONNECT BYTES");
	signal(SIGPIPE, SIG_IGN);
	total = strtoull(argv[2], NULL, 10);
	memset(buf, 'x', sizeof buf);
	for (int i = 0; i < 8; i++)
		hdr[i] = (unsigned char)(total >> (56 - 8 * i));
	t0 = now_ns();
	fd = connect_addr(argv[1]);
	if (write_all(fd, hdr, sizeof hdr) == -1)
		die("write");
	for (left = total; left > 0;) {
		size_t n = left < sizeof buf ? (size_t)left : sizeof buf;

		if (write_all(fd, buf, n) == -1)
			die("write after %llu bytes", total - left);
		left -= n;
	}
	if (read(fd, &ack, 1) != 1)
		die("no answer from the sink");
	t1 = now_ns();
	close(fd);
	printf("%.6f\n", (double)(t1 - t0) / 1e9);
	return 0;
}
