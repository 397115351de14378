/*
 * The bridge joins the two addresses of the command line.  Without a forking
 * listener it opens the left address, then the right one, relays once and
 * returns.  With one address "...-LISTEN,fork" it serves every accepted
 * connection on its own (in this process, no fork(2)), opening the other
 * address for each, until a signal.
 */
#ifndef FERRY_BRIDGE_H
#define FERRY_BRIDGE_H

#include "relay.h"

struct addr;
struct event_base;

struct bridge_conf {
	struct relay_conf	 relay;
	double			 stop_timeout;	/* after a signal */
	double			 stats;		/* --stats: every so often */
};

/*
 * Run until done.  Returns the exit status: 0 after a normal end, 1 after
 * an error, 128+n after signal n.
 */
int	bridge_run(struct event_base *, struct addr *left, struct addr *right,
	    const struct bridge_conf *);

#endif
