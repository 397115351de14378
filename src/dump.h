/*
 * -v and -x: a copy of the traffic on stderr, each block headed by its
 * direction, time and length, as text (-v) or hex (-x).
 */
#ifndef FERRY_DUMP_H
#define FERRY_DUMP_H

struct evbuffer;

#include <stddef.h>

/* Dump the bytes in buf (left untouched); dir 0 is left to right. */
void	dump_traffic(int how, int dir, struct evbuffer *buf);
/*
 * Dump len bytes at p, which start at offset off of a block of total
 * bytes; the block's header comes with its first piece (off == 0).
 */
void	dump_bytes(int how, int dir, const void *p, size_t len, size_t off,
	    size_t total);

#endif
