/*
 * conns: short connections one after another through a relay to echo.
 *
 *   conns CONNECT COUNT [WARMUP]
 *
 * Each connection: connect, send one byte, wait for it to come back,
 * close.  COUNT of them after WARMUP unmeasured ones (default 1); prints
 * connections per second.
 */
#include "util.h"

int
main(int argc, char **argv)
{
	long count, warm;
	uint64_t t0 = 0;
	char c = 'c';
	int fd;

	if (argc < 3)
		die("usage: conns CONNECT COUNT [WARMUP]");
	count = atol(argv[2]);
	warm = argc > 3 ? atol(argv[3]) : 1;
	if (count < 1 || warm < 0)
		die("bad count");
	for (long i = -warm; i < count; i++) {
		if (i == 0)
			t0 = now_ns();
		fd = connect_addr(argv[1]);
		if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1)
			die("connection %ld: no echo", i);
		close(fd);
	}
	printf("%.2f\n", (double)count / ((double)(now_ns() - t0) / 1e9));
	return 0;
}
