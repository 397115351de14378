/*
 * Private to the fd-passing channel layer (tty.c, chan.c, sess.c, mux.c):
 * the objects of one hop, what each file offers the others.  The mux (one
 * hop, mux.c) holds sessions (sess.c), a session holds channels (chan.c);
 * tty.c stands in for terminals.  Nothing outside src/fdpass/ includes it.
 */
#ifndef FERRY_FDPASS_MUX_INT_H
#define FERRY_FDPASS_MUX_INT_H

#include <sys/time.h>

#include <stdint.h>

#include "fdpass/frame.h"
#include "fdpass/mux.h"
#include "sock.h"

#define HOP_HIGH	(1024 * 1024)	/* stop reading local fds above */
#define HOP_LOW		(512 * 1024)	/* ... resume below */
#define HOP_READ	(64 * 1024)	/* most read from a local fd at once */
#define STALL_MS	200		/* a channel stalled this long is
					   overtaken (PROTOCOL.md 8) */
#define PASS_LINGER_MS	500		/* keep a passed end for re-passing */
#define TICK_MS		250
#define ORPHAN_LINGER_S	30
#define HANDSHAKE_S	60		/* a hop's handshake, at most */
#define HTAB		1024

enum item_type { IT_DATA, IT_EOF, IT_CLOSE };

/* One ordered frame waiting to be carried out on a channel's local fd. */
struct item {
	struct item	*next;
	uint64_t	 seq;
	enum item_type	 type;
	size_t		 len, off;
	uint32_t	 cost;
	int		*fds;		/* attached to the first byte/record */
	int		 nfds;
	uint8_t		 data[];
};

struct sess;

struct chan {
	struct sess	*s;
	uint32_t	 id;
	uint8_t		 kind, access;
	int		 mine;		/* we hold the original */
	int		 fd;		/* local fd, -1 once closed */
	struct endpoint	*ep;		/* control channel: owns fd */
	int		 passfd;	/* acceptor: the end we pass */
	struct timeval	 last_pass;
	int		 pollable;
	int		 own;		/* a stand-in of ours: non-blocking */
	int		 is_sock, is_rec;
	struct event	*rev, *wev, *tick;
	int		 rev_on;
	/* outbound: local fd -> hop */
	int		 out_open;
	uint32_t	 credit;
	uint64_t	 out_pos;
	int		 drain;		/* orphan: read and discard */
	/* inbound: hop -> local fd */
	int		 in_open;	/* no EOF SEND processed, no EOF RECV */
	int		 got_eof, sent_eof_recv;
	uint32_t	 in_avail;	/* credit the peer still has */
	uint32_t	 ret;		/* credit to return */
	struct item	*q, **qtail;
	int		*pend_fds;
	int		 pend_nfds;
	struct evbuffer	*rec;		/* record being assembled */
	int		 blocked;
	struct timeval	 blocked_since;
	struct frame_winsize ws;
	int		 sent_close, got_close;
	uint64_t	 nin, nout;
	struct chan	*next;		/* in the session */
	struct chan	*hnext;		/* in the mux's table */
};

struct sess {
	struct mux		*m;
	uint32_t		 id;
	struct chan		*chans;
	int			 nchans, nmine, ntheirs, nopened;
	uint64_t		 seq;
	int			 started;	/* near: OPEN sent */
	int			 failed;
	int			 reading;	/* in chan_read_cb */
	int			 freeing;	/* in sess_free */
	const char		*how;
	char			 who[SOCK_NTOP_MAX + 16];
	struct addr_open	*op;
	struct event		*kick;
	struct event		*linger;
	uint64_t		 nin, nout;
	struct sess		*next;
	struct sess		**prevp;
};

struct mux {
	struct event_base	*base;
	int			 role;
	struct addr		*target;
	struct endpoint		*ep;
	struct bufferevent	*bev;		/* a TLS hop's, or NULL */
	int			 rfd, wfd;
	uint8_t			*ibuf;		/* hop input: frames in place */
	size_t			 isize, ioff, ilen;
	struct evbuffer		*out;
	struct event		*rev, *wev, *flush, *tick, *ev_dead;
	int			 ready, dead, full;
	int			 quiet;		/* a normal end: log_info */
	int			 hello;		/* peer's HELLO accepted */
	struct frame_hello	 mine, peer;
	struct sess		*sessions;
	int			 nsessions;
	struct chan		*htab[HTAB];
	uint32_t		 next_id;
	struct timeval		 last_rx;
	struct timeval		 last_ping;
	long			 keepalive_ms;	/* 0: none */
	int			 ticks;
	uint8_t			*rbuf;
	size_t			 rbuflen;
	mux_cb			*cb;
	void			*arg;
};

extern struct sess	*orphans;	/* far: sessions of freed muxes */
extern int		 norphans;

/* mux.c: the hop, small helpers */
long		 ms_since(const struct timeval *);
void		 close_fds(int *, int);
uint32_t	 mux_alloc_id(struct mux *);
/* Queue a frame on the hop (nothing once the hop is dead). */
void		 hop_want_write(struct mux *);
void		 hop_frame(struct mux *, const uint8_t *, int);
void		 send_data(struct mux *, uint32_t, uint8_t, const void *,
		     size_t);
void		 send_simple(struct mux *, uint32_t, int, uint32_t);
void		 send_error(struct mux *, uint32_t, uint32_t, const char *);
/* Log why, end every session as if the hop were lost; MUX_DEAD follows. */
void		 mux_lost(struct mux *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));

/* sess.c: sessions */
struct sess	*sess_new(struct mux *, uint32_t);
/* Carry out queued items across the session's channels, in order. */
void		 sess_pump(struct sess *);
void		 sess_maybe_free(struct sess *);
/* End the session with an error (sent to the peer if send). */
void		 sess_fail(struct sess *, int send, uint32_t, const char *, ...)
		     __attribute__((format(printf, 4, 5)));
/*
 * The same for a system call that failed with err (FRAME_ERR_RESOURCE,
 * "what: strerror"), except that out of fds, which would repeat for every
 * session, is logged once a minute (sock_fdshort); the peer is told.
 */
void		 sess_fail_errno(struct sess *, int err, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 sess_start(struct sess *);
/* OPEN from the peer: a new session (far) or a new channel. */
void		 sess_recv_open(struct mux *, uint32_t, const uint8_t *,
		     size_t);
/* The mux is going: detach or end every session (PROTOCOL.md 11). */
void		 sess_end_all(struct mux *);

/* chan.c: channels */
struct chan	*chan_find(struct mux *, uint32_t);
int		 chan_socktype(uint8_t);
struct chan	*chan_new(struct sess *, uint32_t, uint8_t kind, uint8_t access,
		     int mine, int fd);
void		 chan_arm(struct chan *);
void		 chan_close_fd(struct chan *);
void		 chan_release_pass(struct chan *);
void		 chan_drop_queue(struct chan *);
void		 chan_update(struct chan *);
void		 chan_free(struct chan *);
void		 chan_send_close(struct chan *);
void		 chan_check_close(struct chan *);
/* Write what may be written.  Returns 1 if anything was done. */
int		 chan_write(struct chan *);
void		 chan_item_add(struct chan *, enum item_type, const void *,
		     size_t, uint32_t);
void		 chan_recv_fds(struct chan *, const uint8_t *, size_t);
void		 chan_recv_data(struct chan *, uint8_t, const uint8_t *, size_t);

/* tty.c: terminal modes and ptys */
void		 tty_get(int, struct frame_open *);
void		 tty_winsize(int, const struct frame_winsize *);
/* A pty: *master (non-blocking, ours), *slave (to pass). */
int		 tty_open(const struct frame_open *, int *master, int *slave);

#endif
