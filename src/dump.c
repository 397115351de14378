#include "config.h"

#include <sys/time.h>

#include <ctype.h>
#include <stdio.h>
#include <time.h>

#include <event2/buffer.h>

#include "dump.h"

static void
dump_head(int dir, size_t len)
{
	struct timeval	tv;
	struct tm	tm;
	char		when[32];

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(when, sizeof when, "%Y/%m/%d %H:%M:%S", &tm);
	fprintf(stderr, "%c %s.%06ld  length=%zu\n", dir == 0 ? '>' : '<',
	    when, (long)tv.tv_usec, len);
}

static void
dump_hex(const unsigned char *p, size_t len, size_t off)
{
	size_t	i, j;

	for (i = 0; i < len; i += 16) {
		fprintf(stderr, " %08zx ", off + i);
		for (j = i; j < i + 16; j++) {
			if (j < len)
				fprintf(stderr, " %02x", p[j]);
			else
				fputs("   ", stderr);
		}
		fputs("  ", stderr);
		for (j = i; j < i + 16 && j < len; j++)
			fputc(isprint(p[j]) ? p[j] : '.', stderr);
		fputc('\n', stderr);
	}
}

static void
dump_text(const unsigned char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\n' || p[i] == '\t' || isprint(p[i]))
			fputc(p[i], stderr);
		else if (p[i] == '\r')
			fputs("\\r", stderr);
		else
			fprintf(stderr, "\\x%02x", p[i]);
	}
	if (len > 0 && p[len - 1] != '\n')
		fputc('\n', stderr);
}

void
dump_traffic(int how, int dir, struct evbuffer *buf)
{
	struct evbuffer_iovec	 v[16];
	size_t			 len = evbuffer_get_length(buf), off = 0;
	int			 n, i;

	dump_head(dir, len);
	n = evbuffer_peek(buf, -1, NULL, v, 16);
	for (i = 0; i < n && i < 16; i++) {
		if (how == 'x')
			dump_hex(v[i].iov_base, v[i].iov_len, off);
		else
			dump_text(v[i].iov_base, v[i].iov_len);
		off += v[i].iov_len;
	}
}

void
dump_bytes(int how, int dir, const void *p, size_t len, size_t off,
    size_t total)
{
	if (off == 0)
		dump_head(dir, total);
	if (how == 'x')
		dump_hex(p, len, off);
	else
		dump_text(p, len);
}
