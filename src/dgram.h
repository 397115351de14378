/*
 * The record relay: used instead of relay.c when either endpoint is a
 * record socket (SOCK_DGRAM or SOCK_SEQPACKET), so that no record is ever
 * split or merged.
 *
 * Each direction holds at most one record.  A record is read with one
 * recv(2) into a buffer one byte larger than DGRAM_MAX and written with one
 * send(2); a record that does not fit is refused (the relay fails with a
 * message naming its size), never split.  While a record waits for its
 * sink, its source is not read (backpressure).  A datagram read from a
 * record socket becomes one write of its bytes on a stream; each read of a
 * stream (at most DGRAM_CHUNK bytes) becomes one record.
 *
 * A SOCK_DGRAM source never ends by itself.  The relay ends when both
 * directions are done, when a zero-length read ends a stream or seqpacket
 * source and the other direction's source is a datagram socket that has
 * been quiet for the linger time (-t, default DGRAM_LINGER seconds, each
 * record restarting it), on -T, on relay_stop's equivalent, or on an error.
 */
#ifndef FERRY_DGRAM_H
#define FERRY_DGRAM_H

#include "relay.h"

struct dgram;
struct endpoint;
struct event_base;

#define DGRAM_MAX	65536	/* largest record relayed whole */
#define DGRAM_CHUNK	65507	/* largest record made of a stream's bytes */
#define DGRAM_LINGER	0.5	/* seconds, after the last EOF, without -t */

/* Nonzero if either endpoint reads or writes a record socket. */
int		 dgram_wanted(const struct endpoint *, const struct endpoint *);
/*
 * As relay_new: relay between left and right, which it owns from now on
 * and frees when it ends; cb is called once, from the loop, after that.
 */
struct dgram	*dgram_new(struct event_base *, struct endpoint *left,
		    struct endpoint *right, const struct relay_conf *,
		    relay_done_cb *, void *);
/*
 * Stop reading, deliver the records held, end; force the end after
 * timeout seconds.
 */
void		 dgram_stop(struct dgram *, double timeout);
/* For --stats: ends, age, records and bytes each way, into buf. */
void		 dgram_describe(const struct dgram *, char *buf, size_t size);
/* SO_TYPE of fd if it is a socket, 0 otherwise. */
int		 dgram_socktype(int fd);

#endif
