/*
 * The relay: two endpoints, one direction object each way.  Each direction
 * moves bytes from its source to its sink with watermark backpressure; EOF
 * on the source shuts down writing on the sink once the data before it has
 * drained.  The relay ends when both directions are done or either fails,
 * through one teardown path.
 */
#ifndef FERRY_RELAY_H
#define FERRY_RELAY_H

#include <stddef.h>

struct endpoint;
struct event_base;
struct relay;

#define RELAY_LR	0x1	/* left to right */
#define RELAY_RL	0x2	/* right to left */

struct relay_conf {
	int	 dirs;		/* RELAY_LR|RELAY_RL; -u, -U take one away */
	double	 linger;	/* -t: after one direction ends; 0: unbounded */
	double	 idle;		/* -T: no traffic for this long ends it */
	int	 dump;		/* 0, 'v' (text) or 'x' (hex) to stderr */
	size_t	 readsize;	/* -b */
	int	 nosplice;	/* --no-splice: read/write even where splice(2) */
	int	 progress;	/* --progress: bytes and rate on a terminal */
};

enum relay_end {
	RELAY_DONE,		/* both directions reached EOF */
	RELAY_LINGERED,		/* -t expired after one direction ended */
	RELAY_IDLE,		/* -T expired */
	RELAY_STOPPED,		/* relay_stop */
	RELAY_FAILED,		/* an I/O error */
};

typedef void	relay_done_cb(enum relay_end, void *);

/*
 * Relay between left and right, which it owns from now on (it frees them
 * when it ends, whatever happens).  cb is called once, from the loop, after
 * the relay has freed everything; the relay is gone by then.
 */
struct relay	*relay_new(struct event_base *, struct endpoint *left,
		    struct endpoint *right, const struct relay_conf *,
		    relay_done_cb *, void *);
/*
 * Stop: each source is read only for what its kernel holds now (bytes
 * already acknowledged to their sender; for TLS and pumped files, nothing
 * more), all that is delivered, each sink is then shut down, and the relay
 * ends; the end is forced after timeout seconds.
 */
void		 relay_stop(struct relay *, double timeout);
/* "A <-> B: 1.250s, 10 bytes >, 20 bytes <", for --stats, into buf. */
void		 relay_describe(const struct relay *, char *buf, size_t size);
/* Close the idle pipes kept for splice (out of fds: every one counts). */
void		 relay_pool_drain(void);

#endif
