/*
 * holder: opens N connections through a relay and holds them idle.
 *
 *   holder CONNECT N READYFILE
 *
 * Each connection sends one byte and waits for the echo, so that it is
 * known to be relayed end to end.  Then READYFILE is written and the
 * holder waits for SIGTERM; its exit closes every connection.
 */
#include "util.h"

int
main(int argc, char **argv)
{
	long n;
	FILE *f;

	if (argc != 4)
		die("usage: holder CONNECT N READYFILE");
	n = atol(argv[2]);
	for (long i = 0; i < n; i++) {
		struct timeval tv = { 30, 0 };
		int fd = connect_addr(argv[1]);
		char c = 'h';

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1)
			die("connection %ld not relayed", i);
	}
	if ((f = fopen(argv[3], "w")) == NULL || fputs("ready\n", f) < 0 ||
	    fclose(f) != 0)
		die("write %s", argv[3]);
	for (;;)
		pause();
}
