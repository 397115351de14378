/*
 * One hop of the fd-passing protocol (PROTOCOL.md): the handshake, the
 * sessions and channels multiplexed on it, flow control, ordering, the
 * stand-ins, and the SCM_RIGHTS traffic on the local side (via fdio).
 * The near peer attaches client connections as sessions; the far peer
 * opens its own target address for every session the near peer starts.
 */
#ifndef FERRY_FDPASS_MUX_H
#define FERRY_FDPASS_MUX_H

#include <stdint.h>

struct addr;
struct endpoint;
struct event_base;
struct mux;

enum mux_event {
	MUX_READY,		/* handshake done: sessions start */
	MUX_DEAD,		/* the hop is gone; mux_free it now */
	MUX_SESSION_END		/* a session ended (status: 0 or 1) */
};

/* Called from the event loop, never from inside a mux_* call. */
typedef void	mux_cb(struct mux *, enum mux_event, int status, void *);

/*
 * Start the protocol on hop (owned from now on: endpoint_free'd in
 * mux_free).  role is FRAME_ROLE_NEAR or FRAME_ROLE_FAR; a far peer opens
 * target (not owned, must outlive the mux) for every new session.  Sends
 * HELLO at once.  Never fails: I/O errors arrive as MUX_DEAD.
 */
struct mux	*mux_new(struct event_base *, struct endpoint *hop, int role,
		    struct addr *target, mux_cb *, void *);
/*
 * Near only: make the client connection ep (owned from now on) a new
 * session.  Before MUX_READY the session waits for the handshake.  At the
 * mux's end the client is closed (it sees EOF).
 */
void		 mux_attach(struct mux *, struct endpoint *ep);
/*
 * Ping the hop when nothing came for secs seconds, every secs seconds,
 * and lose it (MUX_DEAD) once nothing came for three times that; 0: no
 * keepalive.  The default is MUX_KEEPALIVE seconds.
 */
#define MUX_KEEPALIVE	15
void		 mux_set_keepalive(struct mux *, double secs);
/* Sessions alive on the mux. */
int		 mux_sessions(const struct mux *);
/*
 * Tell the peer we are exiting (ERROR SHUTDOWN), flush what can be
 * flushed without blocking, and end every session as if the hop were lost.
 */
void		 mux_shutdown(struct mux *);
/*
 * Free the mux and close the hop.  Far peer: sessions still alive are
 * detached and wound down gracefully (the server reads EOF, its writes are
 * drained for a while), PROTOCOL.md 11.  NULL is a no-op.
 */
void		 mux_free(struct mux *);
/*
 * Require and prove the shared token (PROTOCOL.md 4.4) on every hop
 * started from now on; NULL: none.  The token is copied.
 */
void		 mux_set_token(const void *, size_t);
/* Far peer: sessions left over from freed muxes still winding down. */
int		 mux_orphans(void);

#endif
