/*
 * A bound datagram socket that hands out sessions, for listener.c: the
 * datagram kinds (UDP-LISTEN, *-RECVFROM, *-RECV) have no listen(2) and no
 * accept(2).
 *
 * Once (no fork): the socket itself becomes the endpoint.  *-RECV hands it
 * over at once, read only, for datagrams from anyone; UDP-LISTEN and
 * *-RECVFROM wait for the first datagram, connect(2) the socket to its
 * sender (left queued for the relay) and hand it over.
 *
 * With fork: one session per sender address, all in this process.  Each
 * session is a SOCK_SEQPACKET socketpair: the server writes the sender's
 * datagrams into one end and sends what comes out of it back to the sender
 * with sendto(2); the other end is the session's endpoint.  A session ends
 * when its relay closes its end, or after DGSERVER_IDLE seconds (or -T)
 * without a datagram either way.  Empty datagrams are dropped (on a
 * seqpacket pair they would read as the end).
 */
#ifndef FERRY_DGSERVER_H
#define FERRY_DGSERVER_H

#include "listener.h"

struct addr;
struct dgserver;
struct event_base;

#define DGSERVER_IDLE	60.0	/* seconds, per session, without -T */

/*
 * Serve datagrams on fd (bound, owned from now on) for address a; cb gets
 * each session's endpoint, owned by the callee.  Returns NULL after
 * logging an error.
 */
struct dgserver	*dgserver_new(struct addr *, struct event_base *, int fd,
		    int once, listener_cb *, void *);
/* Stop (0) or resume (1) reading new datagrams. */
void		 dgserver_enable(struct dgserver *, int);
/* Close the socket (unless handed over) and end every session. */
void		 dgserver_free(struct dgserver *);
/* The idle time of fork sessions (-T); 0 keeps DGSERVER_IDLE. */
void		 dgserver_set_idle(double);

#endif
