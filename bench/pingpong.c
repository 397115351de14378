/*
 * pingpong: one-byte round trips through a relay to the echo server.
 *
 *   pingpong CONNECT COUNT [WARMUP]
 *
 * Sends one byte, waits for it to come back, COUNT times after WARMUP
 * unmeasured ones, and prints "MEAN P50 P99" in microseconds.
 */
#include "util.h"

static int
cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	long count, warm;
	uint64_t *rtt, sum = 0;
	char c = 'p';
	int fd;

	if (argc < 3)
		die("usage: pingpong CONNECT COUNT [WARMUP]");
	count = atol(argv[2]);
	warm = argc > 3 ? atol(argv[3]) : 1000;
	if (count < 1 || (rtt = calloc((size_t)count, sizeof *rtt)) == NULL)
		die("bad count");
	fd = connect_addr(argv[1]);
	for (long i = -warm; i < count; i++) {
		uint64_t t0 = now_ns();

		if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1)
			die("round trip %ld failed", i);
		if (i >= 0)
			sum += rtt[i] = now_ns() - t0;
	}
	close(fd);
	qsort(rtt, (size_t)count, sizeof *rtt, cmp);
	printf("%.2f %.2f %.2f\n", (double)sum / (double)count / 1e3,
	    (double)rtt[count / 2] / 1e3,
	    (double)rtt[(count * 99) / 100] / 1e3);
	return 0;
}
