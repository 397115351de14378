/*
 * The channel layer of the fd-passing protocol on one hop.  See mux.h and
 * PROTOCOL.md.  Objects: the mux (one hop), its sessions, each session's
 * channels.  A channel has one local fd (the original when we opened it,
 * the relay end of a stand-in when we accepted it), an outbound direction
 * (local fd -> DATA, under the peer's credit) and an inbound one (a queue
 * of ordered items written to the local fd, credit returned once written).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "addr.h"
#include "endpoint.h"
#include "fdpass/fdio.h"
#include "fdpass/frame.h"
#include "fdpass/mux.h"
#include "log.h"
#include "sock.h"
#include "tls.h"
#include "xmalloc.h"

#define HOP_HIGH	(1024 * 1024)	/* stop reading local fds above */
#define HOP_LOW		(512 * 1024)	/* ... resume below */
#define HOP_READ	(64 * 1024)	/* most read from a local fd at once */
#define STALL_MS	200		/* a channel stalled this long is
					   overtaken (PROTOCOL.md 8) */
#define PASS_LINGER_MS	500		/* keep a passed end for re-passing */
#define TICK_MS		250
#define ORPHAN_LINGER_S	30
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
	struct event		*rev, *wev, *tick, *ev_dead;
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

static struct sess	*orphans;
static int		 norphans;
static uint8_t		*token;		/* AUTH (PROTOCOL.md 4.4), or NULL */
static size_t		 tokenlen;

static void	chan_update(struct chan *);
static void	chan_check_close(struct chan *);
static void	chan_free(struct chan *);
static void	sess_pump(struct sess *);
static void	sess_fail(struct sess *, int send, uint32_t code,
		    const char *, ...) __attribute__((format(printf, 4, 5)));
static void	sess_maybe_free(struct sess *);
static void	mux_lost(struct mux *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	chan_read_cb(evutil_socket_t, short, void *);
static int	fd_readable(int);
static void	chan_write_cb(evutil_socket_t, short, void *);

/* ---- small helpers ---------------------------------------------------- */

static long
ms_since(const struct timeval *tv)
{
	struct timeval	now, d;

	gettimeofday(&now, NULL);
	timersub(&now, tv, &d);
	return (d.tv_sec * 1000 + d.tv_usec / 1000);
}

static void
close_fds(int *fds, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static struct chan *
chan_find(struct mux *m, uint32_t id)
{
	struct chan	*c;

	for (c = m->htab[id % HTAB]; c != NULL; c = c->hnext)
		if (c->id == id)
			return (c);
	return (NULL);
}

/* ---- hop output --------------------------------------------------------- */

static void
hop_want_write(struct mux *m)
{
	if (m->dead)
		return;
	if (m->bev != NULL) {
		bufferevent_write_buffer(m->bev, m->out);
		if (!m->full && evbuffer_get_length(
		    bufferevent_get_output(m->bev)) > HOP_HIGH)
			m->full = 1;
		return;
	}
	if (m->wev == NULL)
		return;
	event_add(m->wev, NULL);
	if (!m->full && evbuffer_get_length(m->out) > HOP_HIGH)
		m->full = 1;
}

static void
hop_frame(struct mux *m, const uint8_t *buf, int len)
{
	if (m == NULL || m->dead || len < 0)
		return;
	evbuffer_add(m->out, buf, (size_t)len);
	hop_want_write(m);
}

static void
send_data(struct mux *m, uint32_t chan, uint8_t flags, const void *p,
    size_t len)
{
	uint8_t	hdr[FRAME_HDR_LEN];

	if (m == NULL || m->dead)
		return;
	if (frame_encode_hdr(hdr, sizeof hdr, chan, FRAME_DATA, flags,
	    len) == -1)
		return;
	evbuffer_add(m->out, hdr, sizeof hdr);
	if (len > 0)
		evbuffer_add(m->out, p, len);
	hop_want_write(m);
}

static void
send_simple(struct mux *m, uint32_t chan, int type, uint32_t v)
{
	uint8_t	buf[64];
	int	n = -1;

	switch (type) {
	case FRAME_EOF:
		n = frame_eof_encode(buf, sizeof buf, chan, (uint8_t)v);
		break;
	case FRAME_CLOSE:
		n = frame_close_encode(buf, sizeof buf, chan);
		break;
	case FRAME_WINDOW:
		n = frame_window_encode(buf, sizeof buf, chan, v);
		break;
	}
	hop_frame(m, buf, n);
}

static void
send_error(struct mux *m, uint32_t chan, uint32_t code, const char *text)
{
	uint8_t	buf[FRAME_HDR_LEN + 4 + FRAME_ERROR_TEXT_MAX];

	hop_frame(m, buf, frame_error_encode(buf, sizeof buf, chan, code,
	    text));
}

/* ---- terminal modes (PROTOCOL.md 9.1), a portable subset ------------- */

struct ttymode {
	uint8_t		op;
	int		field;		/* 0 cc, 1 iflag, 2 lflag, 3 oflag */
	tcflag_t	bit;		/* or the cc index */
};

static const struct ttymode ttymodes[] = {
	{ 1, 0, VINTR }, { 2, 0, VQUIT }, { 3, 0, VERASE }, { 4, 0, VKILL },
	{ 5, 0, VEOF }, { 6, 0, VEOL }, { 8, 0, VSTART }, { 9, 0, VSTOP },
	{ 10, 0, VSUSP },
	{ 30, 1, IGNPAR }, { 34, 1, INLCR }, { 35, 1, IGNCR },
	{ 36, 1, ICRNL }, { 38, 1, IXON }, { 40, 1, IXOFF },
	{ 50, 2, ISIG }, { 51, 2, ICANON }, { 53, 2, ECHO }, { 54, 2, ECHOE },
	{ 55, 2, ECHOK }, { 56, 2, ECHONL }, { 57, 2, NOFLSH },
	{ 58, 2, TOSTOP }, { 59, 2, IEXTEN },
	{ 70, 3, OPOST }, { 72, 3, ONLCR },
};
#define NTTYMODES	(sizeof ttymodes / sizeof ttymodes[0])

static tcflag_t *
tty_field(struct termios *t, int field)
{
	switch (field) {
	case 1:
		return (&t->c_iflag);
	case 2:
		return (&t->c_lflag);
	default:
		return (&t->c_oflag);
	}
}

static void
tty_get(int fd, struct frame_open *o)
{
	struct winsize	ws;
	struct termios	t;
	size_t		i;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0) {
		o->ws.rows = ws.ws_row;
		o->ws.cols = ws.ws_col;
		o->ws.xpixel = ws.ws_xpixel;
		o->ws.ypixel = ws.ws_ypixel;
	}
	if (tcgetattr(fd, &t) == -1)
		return;
	for (i = 0; i < NTTYMODES; i++) {
		const struct ttymode *tm = &ttymodes[i];
		uint32_t	v;

		if (tm->field == 0)
			v = t.c_cc[tm->bit] == _POSIX_VDISABLE ? 255 :
			    t.c_cc[tm->bit];
		else
			v = (*tty_field(&t, tm->field) & tm->bit) ? 1 : 0;
		o->modes[o->nmodes].op = tm->op;
		o->modes[o->nmodes].val = v;
		o->nmodes++;
	}
}

static void
tty_set(int fd, const struct frame_open *o)
{
	struct termios	t;
	size_t		i, j;

	if (tcgetattr(fd, &t) == -1)
		return;
	for (i = 0; i < o->nmodes; i++) {
		for (j = 0; j < NTTYMODES; j++) {
			const struct ttymode *tm = &ttymodes[j];

			if (tm->op != o->modes[i].op)
				continue;
			if (tm->field == 0)
				t.c_cc[tm->bit] = o->modes[i].val == 255 ?
				    _POSIX_VDISABLE : (cc_t)o->modes[i].val;
			else if (o->modes[i].val)
				*tty_field(&t, tm->field) |= tm->bit;
			else
				*tty_field(&t, tm->field) &= ~tm->bit;
		}
	}
	/*
	 * The user's own terminal on the near side already echoes and
	 * processes output (it is never altered): doing it here too would
	 * double every echo and turn "\n" into "\r\r\n".
	 */
	t.c_oflag &= ~OPOST;
	t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	tcsetattr(fd, TCSANOW, &t);
}

static void
tty_winsize(int fd, const struct frame_winsize *w)
{
	struct winsize	ws;

	memset(&ws, 0, sizeof ws);
	ws.ws_row = w->rows;
	ws.ws_col = w->cols;
	ws.ws_xpixel = w->xpixel;
	ws.ws_ypixel = w->ypixel;
	ioctl(fd, TIOCSWINSZ, &ws);
}

/* A pty: *master (non-blocking, ours), *slave (to pass). */
static int
tty_open(const struct frame_open *o, int *master, int *slave)
{
	const char	*name;
	int		 mfd, sfd;

	if ((mfd = posix_openpt(O_RDWR | O_NOCTTY)) == -1)
		return (-1);
	if (grantpt(mfd) == -1 || unlockpt(mfd) == -1 ||
	    (name = ptsname(mfd)) == NULL ||
	    (sfd = open(name, O_RDWR | O_NOCTTY)) == -1) {
		close(mfd);
		return (-1);
	}
	fdio_cloexec(mfd);
	fdio_cloexec(sfd);
	sock_nonblock(mfd, 1);
	tty_set(sfd, o);
	tty_winsize(mfd, &o->ws);
	*master = mfd;
	*slave = sfd;
	return (0);
}

/* ---- channels -------------------------------------------------------- */

static int
in_allowed(const struct chan *c)
{
	return (c->mine ? (c->access & FRAME_ACCESS_WR) :
	    (c->access & FRAME_ACCESS_RD));
}

static int
out_allowed(const struct chan *c)
{
	return (c->mine ? (c->access & FRAME_ACCESS_RD) :
	    (c->access & FRAME_ACCESS_WR));
}

static struct chan *
chan_new(struct sess *s, uint32_t id, uint8_t kind, uint8_t access, int mine,
    int fd)
{
	struct mux	*m = s->m;
	struct chan	*c;

	c = xcalloc(1, sizeof *c);
	c->s = s;
	c->id = id;
	c->kind = kind;
	c->access = access;
	c->mine = mine;
	c->fd = fd;
	c->passfd = -1;
	c->pollable = 1;
	c->is_sock = (kind == FRAME_KIND_STREAM || kind == FRAME_KIND_SEQPACKET);
	c->is_rec = (kind == FRAME_KIND_SEQPACKET);
	c->qtail = &c->q;
	if (kind != FRAME_KIND_DEVNULL) {
		c->out_open = out_allowed(c) ? 1 : 0;
		c->in_open = in_allowed(c) ? 1 : 0;
	}
	c->credit = c->out_open ? m->peer.window : 0;
	c->in_avail = c->in_open ? m->mine.window : 0;
	c->next = s->chans;
	s->chans = c;
	s->nchans++;
	s->nopened++;
	if (mine)
		s->nmine++;
	else
		s->ntheirs++;
	c->hnext = m->htab[id % HTAB];
	m->htab[id % HTAB] = c;
	log_debug("session %u: channel %u open: %s %s%s (%s)", s->id, id,
	    frame_kind_name(kind),
	    (access & FRAME_ACCESS_RD) ? "r" : "",
	    (access & FRAME_ACCESS_WR) ? "w" : "",
	    mine ? "original here" : "stand-in here");
	return (c);
}

/* Set up the events once c->fd is known. */
static void
chan_arm(struct chan *c)
{
	struct event_base	*base = c->s->m->base;

	if (c->fd < 0)
		return;
	if (c->pollable) {
		c->rev = event_new(base, c->fd, EV_READ | EV_PERSIST,
		    chan_read_cb, c);
		c->wev = event_new(base, c->fd, EV_WRITE, chan_write_cb, c);
	} else
		c->tick = evtimer_new(base, chan_read_cb, c);
	chan_update(c);
}

static void
chan_close_fd(struct chan *c)
{
	if (c->rev != NULL) {
		event_free(c->rev);
		c->rev = NULL;
	}
	if (c->wev != NULL) {
		event_free(c->wev);
		c->wev = NULL;
	}
	if (c->tick != NULL) {
		event_free(c->tick);
		c->tick = NULL;
	}
	c->rev_on = 0;
	if (c->ep != NULL) {
		endpoint_free(c->ep);
		c->ep = NULL;
	} else if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static void
chan_release_pass(struct chan *c)
{
	if (c->passfd >= 0) {
		close(c->passfd);
		c->passfd = -1;
	}
}

static void
chan_drop_queue(struct chan *c)
{
	struct item	*it, *next;
	uint32_t	 cost = 0;

	for (it = c->q; it != NULL; it = next) {
		next = it->next;
		if (it->type == IT_DATA)
			cost += it->cost;
		close_fds(it->fds, it->nfds);
		free(it->fds);
		free(it);
	}
	c->q = NULL;
	c->qtail = &c->q;
	close_fds(c->pend_fds, c->pend_nfds);
	free(c->pend_fds);
	c->pend_fds = NULL;
	c->pend_nfds = 0;
	if (c->rec != NULL) {
		evbuffer_free(c->rec);
		c->rec = NULL;
	}
	c->ret += cost;
}

/* Read events on while there is somewhere to put what is read. */
static void
chan_update(struct chan *c)
{
	struct mux	*m = c->s->m;
	int		 want;

	if (c->fd < 0)
		return;
	if (c->drain)
		want = 1;
	else
		want = c->out_open && !c->s->failed && m != NULL &&
		    !m->dead && !m->full && c->credit > 0 && c->s->started;
	if (c->is_rec && want && !c->drain && c->credit < m->peer.max_record &&
	    c->credit < m->peer.window)
		want = 0;
	if (!c->pollable) {
		if (want && c->tick != NULL) {
			struct timeval	tv = { 0, 0 };

			event_add(c->tick, &tv);
		}
		return;
	}
	if (want && !c->rev_on)
		event_add(c->rev, NULL);
	else if (!want && c->rev_on)
		event_del(c->rev);
	c->rev_on = want;
}

static void
chan_return_credit(struct chan *c, int force)
{
	struct mux	*m = c->s->m;

	if (c->ret == 0 || m == NULL || c->sent_close)
		return;
	if (!force && c->ret < m->mine.window / 2)
		return;
	send_simple(m, c->id, FRAME_WINDOW, c->ret);
	c->in_avail += c->ret;
	c->ret = 0;
}

static void
chan_free(struct chan *c)
{
	struct sess	*s = c->s;
	struct chan	**cp;

	log_debug("session %u: channel %u closed (%llu bytes in, %llu out)",
	    s->id, c->id, (unsigned long long)c->nin,
	    (unsigned long long)c->nout);
	chan_drop_queue(c);
	chan_release_pass(c);
	chan_close_fd(c);
	s->nin += c->nin;
	s->nout += c->nout;
	for (cp = &s->chans; *cp != NULL; cp = &(*cp)->next)
		if (*cp == c) {
			*cp = c->next;
			break;
		}
	if (s->m != NULL) {
		for (cp = &s->m->htab[c->id % HTAB]; *cp != NULL;
		    cp = &(*cp)->hnext)
			if (*cp == c) {
				*cp = c->hnext;
				break;
			}
	}
	s->nchans--;
	if (c->mine)
		s->nmine--;
	else
		s->ntheirs--;
	free(c);
	sess_maybe_free(s);
}

/* Send CLOSE (once), closing the local side. */
static void
chan_send_close(struct chan *c)
{
	if (c->sent_close)
		return;
	c->sent_close = 1;
	c->out_open = c->in_open = 0;
	chan_drop_queue(c);
	chan_release_pass(c);
	chan_close_fd(c);
	send_simple(c->s->m, c->id, FRAME_CLOSE, 0);
}

/* A channel whose directions are both done sends CLOSE; freed once both
 * CLOSEs have crossed. */
static void
chan_check_close(struct chan *c)
{
	if (!c->sent_close && !c->out_open && !c->in_open &&
	    c->passfd == -1 && c->q == NULL && !c->drain)
		chan_send_close(c);
	if (c->sent_close && c->got_close)
		chan_free(c);
}

/* Our reader is gone: drop what is queued, tell the peer (EOF RECV). */
static void
chan_reader_gone(struct chan *c)
{
	chan_drop_queue(c);
	c->in_open = 0;
	c->blocked = 0;
	if (!c->sent_eof_recv) {
		c->sent_eof_recv = 1;
		send_simple(c->s->m, c->id, FRAME_EOF, FRAME_EOF_RECV);
	}
	chan_return_credit(c, 1);
}

/* Our source is done: read EOF. */
static void
chan_source_eof(struct chan *c)
{
	c->out_open = 0;
	send_simple(c->s->m, c->id, FRAME_EOF, FRAME_EOF_SEND);
	chan_update(c);
	if (!c->is_sock && !c->in_open && c->fd >= 0 && c->kind != FRAME_KIND_TTY)
		chan_close_fd(c);
}

/* ---- opening channels for fds the local process passed ---------------- */

/* The channel of this session that fd (classified as cls) already is. */
static struct chan *
chan_of_fd(struct sess *s, int fd, const struct fdio_class *cls)
{
	struct chan		*c;
	struct fdio_class	 cc;
	int			 f;

	for (c = s->chans; c != NULL; c = c->next) {
		if (c->sent_close)
			continue;
		f = c->mine ? c->fd : c->passfd;
		if (f < 0 || fdio_classify(f, &cc) == -1)
			continue;
		if (fdio_same(fd, cls, f, &cc))
			return (c);
	}
	return (NULL);
}

static uint32_t
mux_alloc_id(struct mux *m)
{
	uint32_t	id;

	do {
		id = m->next_id;
		m->next_id += 2;
		if (m->next_id < 2)
			m->next_id = (m->role == FRAME_ROLE_NEAR) ? 2 : 1;
	} while (id == 0 || chan_find(m, id) != NULL);
	return (id);
}

/*
 * fd (ours now) came from the local process on a channel of s: the
 * channel it is, opening one (OPEN sent) if new.  fd is consumed.  NULL
 * after failing the session.
 */
static struct chan *
chan_for_passed(struct sess *s, int fd)
{
	struct mux		*m = s->m;
	struct fdio_class	 cls;
	struct frame_open	 o;
	struct chan		*c;
	uint8_t			 buf[FRAME_HDR_LEN + 1024];

	if (fdio_classify(fd, &cls) == -1) {
		sess_fail(s, 1, FRAME_ERR_KIND, "cannot pass %s", cls.what);
		close(fd);
		return (NULL);
	}
	if ((c = chan_of_fd(s, fd, &cls)) != NULL) {
		close(fd);
		return (c);
	}
	if ((cls.kind == FRAME_KIND_TTY && !(m->peer.caps & FRAME_CAP_TTY)) ||
	    (cls.kind == FRAME_KIND_SEQPACKET &&
	    !(m->peer.caps & FRAME_CAP_SEQPACKET))) {
		sess_fail(s, 1, FRAME_ERR_KIND, "cannot pass %s: the peer "
		    "cannot stand in for it", cls.what);
		close(fd);
		return (NULL);
	}
	if ((uint32_t)s->nmine >= m->peer.max_channels) {
		sess_fail(s, 1, FRAME_ERR_LIMIT, "more than %u channels",
		    m->peer.max_channels);
		close(fd);
		return (NULL);
	}
	memset(&o, 0, sizeof o);
	o.session = s->id;
	o.kind = cls.kind;
	o.access = (cls.kind == FRAME_KIND_PIPE_READ) ? FRAME_ACCESS_RD :
	    (cls.kind == FRAME_KIND_PIPE_WRITE) ? FRAME_ACCESS_WR : cls.access;
	if (cls.kind == FRAME_KIND_TTY)
		tty_get(fd, &o);
	c = chan_new(s, mux_alloc_id(m), o.kind, o.access, 1, fd);
	c->pollable = cls.pollable;
	if (c->kind == FRAME_KIND_TTY)
		c->ws = o.ws;
	hop_frame(m, buf, frame_open_encode(buf, sizeof buf, c->id, &o));
	chan_arm(c);
	return (c);
}

/*
 * Announce fds that arrived with the next byte (record) of c: channels,
 * OPENs, then FDS.  Consumes the fds.  Returns 0, or -1 after failing the
 * session.
 */
static int
chan_send_fds(struct chan *c, int *fds, int nfds)
{
	struct sess	*s = c->s;
	struct frame_fds f;
	struct chan	*cc;
	uint8_t		 buf[FRAME_HDR_LEN + 8 + 4 * FRAME_FDS_MAX];
	int		 i;

	if ((uint32_t)nfds > s->m->peer.max_fds) {
		close_fds(fds, nfds);
		sess_fail(s, 1, FRAME_ERR_LIMIT, "%d fds in one message", nfds);
		return (-1);
	}
	memset(&f, 0, sizeof f);
	f.pos = c->out_pos;
	for (i = 0; i < nfds; i++) {
		cc = chan_for_passed(s, fds[i]);
		fds[i] = -1;
		if (cc == NULL) {
			close_fds(fds + i + 1, nfds - i - 1);
			return (-1);
		}
		f.chans[f.n++] = cc->id;
	}
	hop_frame(s->m, buf, frame_fds_encode(buf, sizeof buf, c->id, &f));
	return (0);
}

/* ---- reading local fds -------------------------------------------------- */

static void
chan_sent(struct chan *c, size_t n)
{
	c->credit -= (n > 0) ? n : 1;
	c->nin += n;
	if (!c->is_rec)
		c->out_pos += n;
	else
		c->out_pos++;
}

/*
 * Read up to budget bytes from a stream channel's fd.  The bytes land in
 * the hop's output buffer, after room for the DATA header, so a frame
 * costs no copy; a drained orphan's go to a scratch buffer.  c may be
 * gone on return.
 */
static void
chan_read_stream(struct chan *c, size_t budget)
{
	static uint8_t		 scratch[HOP_READ];
	struct sess		*s = c->s;
	struct mux		*m = s->m;
	struct evbuffer_iovec	 v;
	uint8_t			*buf, last;
	int			 fds[FDIO_MAXFDS], nfds = 0, ctrunc = 0;
	ssize_t			 n;

	if (c->drain || m == NULL) {
		buf = scratch;
		if (budget > sizeof scratch)
			budget = sizeof scratch;
	} else {
		if (evbuffer_reserve_space(m->out, (ssize_t)(FRAME_HDR_LEN +
		    budget), &v, 1) != 1) {
			sess_fail(s, 1, FRAME_ERR_IO, "out of memory");
			return;
		}
		buf = (uint8_t *)v.iov_base + FRAME_HDR_LEN;
	}
	if (c->is_sock)
		n = fdio_recv_stream(c->fd, buf, budget, fds, &nfds,
		    FDIO_MAXFDS, &ctrunc);
	else if (!c->own && !fd_readable(c->fd)) {
		/*
		 * A received pipe or terminal may block (its O_NONBLOCK is
		 * the sender's), and the readiness that called us may be
		 * stale: chan_read_cb can have drained it already as one of
		 * the session's other fds.  A blocking read here would stall
		 * every session on the hop until the writer writes again.
		 */
		return;
	} else {
		do {
			n = read(c->fd, buf, budget);
		} while (n == -1 && errno == EINTR);
		if (n == -1 && errno == EIO && c->kind == FRAME_KIND_TTY)
			n = 0;	/* pty slave side all closed */
	}
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if (errno == ECONNRESET || errno == EPIPE || c->drain) {
			n = 0;
		} else {
			sess_fail(s, 1, FRAME_ERR_IO, "read: %s",
			    strerror(errno));
			return;
		}
	}
	if (c->drain || m == NULL) {
		close_fds(fds, nfds);
		if (n == 0) {
			c->drain = 0;
			chan_close_fd(c);
			c->sent_close = c->got_close = 1;
			chan_free(c);
		}
		return;
	}
	if (ctrunc) {
		close_fds(fds, nfds);
		sess_fail(s, 1, FRAME_ERR_FDLOST, "fds were lost (MSG_CTRUNC)");
		return;
	}
	if (n == 0) {
		chan_source_eof(c);
		chan_check_close(c);
		return;
	}
	/*
	 * The fds go out between the bytes before their byte and their byte
	 * (PROTOCOL.md 6.3): commit those, then FDS, then the last byte in a
	 * frame of its own (the reservation is given up).
	 */
	last = buf[n - 1];
	if (nfds > 0)
		n--;
	if (n > 0) {
		frame_encode_hdr(v.iov_base, FRAME_HDR_LEN, c->id, FRAME_DATA,
		    0, (size_t)n);
		v.iov_len = FRAME_HDR_LEN + (size_t)n;
		evbuffer_commit_space(m->out, &v, 1);
		hop_want_write(m);
		chan_sent(c, (size_t)n);
	}
	if (nfds > 0) {
		if (chan_send_fds(c, fds, nfds) == -1)
			return;
		send_data(m, c->id, 0, &last, 1);
		chan_sent(c, 1);
	}
	chan_update(c);
}

static void
chan_read_record(struct chan *c)
{
	struct sess	*s = c->s;
	struct mux	*m = s->m;
	int		 fds[FDIO_MAXFDS], nfds = 0, ctrunc = 0, trunc = 0;
	ssize_t		 n;
	size_t		 off, chunk;
	size_t		 want = m != NULL ? m->peer.max_record + 1 : 65536;

	if (m == NULL) {
		uint8_t	tmp[4096];

		n = fdio_recv_record(c->fd, tmp, sizeof tmp, fds, &nfds,
		    FDIO_MAXFDS, &ctrunc, &trunc);
		close_fds(fds, nfds);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0 && nfds == 0) {
			c->drain = 0;
			chan_close_fd(c);
			c->sent_close = c->got_close = 1;
			chan_free(c);
		}
		return;
	}
	if (m->rbuflen < want) {
		m->rbuf = xrealloc(m->rbuf, want);
		m->rbuflen = want;
	}
	n = fdio_recv_record(c->fd, m->rbuf, want, fds, &nfds, FDIO_MAXFDS,
	    &ctrunc, &trunc);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if (errno != ECONNRESET && errno != EPIPE) {
			sess_fail(s, 1, FRAME_ERR_IO, "recvmsg: %s",
			    strerror(errno));
			return;
		}
		n = 0;
	}
	if (ctrunc) {
		close_fds(fds, nfds);
		sess_fail(s, 1, FRAME_ERR_FDLOST, "fds were lost (MSG_CTRUNC)");
		return;
	}
	if (trunc) {
		close_fds(fds, nfds);
		sess_fail(s, 1, FRAME_ERR_LIMIT, "a record larger than %u bytes",
		    m->peer.max_record);
		return;
	}
	if (n == 0 && nfds == 0) {
		chan_source_eof(c);
		chan_check_close(c);
		return;
	}
	if (nfds > 0 && chan_send_fds(c, fds, nfds) == -1)
		return;
	off = 0;
	do {
		chunk = (size_t)n - off;
		if (chunk > m->peer.max_frame)
			chunk = m->peer.max_frame;
		send_data(m, c->id, (off + chunk < (size_t)n) ? FRAME_F_MORE : 0,
		    m->rbuf + off, chunk);
		off += chunk;
	} while (off < (size_t)n);
	chan_sent(c, (size_t)n);
	chan_update(c);
}

/*
 * Read what c's fd holds, within its credit and the hop's room: one read
 * per readiness (several in a row measured slower: the hop's writes wait
 * for them).
 */
static void
chan_read_one(struct chan *c)
{
	struct mux	*m = c->s->m;
	size_t		 budget = HOP_READ;

	if (c->fd < 0)
		return;
	if (c->is_rec) {
		chan_read_record(c);
		return;
	}
	if (!c->drain) {
		if (m == NULL || !c->out_open || c->credit == 0 || m->full) {
			chan_update(c);
			return;
		}
		if (budget > c->credit)
			budget = c->credit;
		if (budget > m->peer.max_frame)
			budget = m->peer.max_frame;
	}
	chan_read_stream(c, budget);
}

static int
fd_readable(int fd)
{
	struct pollfd	pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return (poll(&pfd, 1, 0) > 0 && pfd.revents != 0);
}

/*
 * A local fd is readable.  First read what the session's other fds
 * already hold (PROTOCOL.md 8, sender): a process wrote that earlier, so
 * it goes out first; then this fd.
 */
static void
chan_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chan	*c = arg, *o;
	struct sess	*s = c->s;
	struct mux	*m = s->m;
	uint32_t	 id = c->id, ids[64];
	int		 i, n = 0;

	if (m != NULL && !c->drain && !s->reading && s->nchans > 1) {
		for (o = s->chans; o != NULL && n < 64; o = o->next)
			if (o != c && o->fd >= 0 && o->pollable &&
			    o->out_open && !o->drain && o->credit > 0 &&
			    fd_readable(o->fd))
				ids[n++] = o->id;
		if (n > 0) {
			s->reading = 1;
			s->nchans++;
			for (i = 0; i < n; i++) {
				o = chan_find(m, ids[i]);
				if (o != NULL && o->s == s && o->fd >= 0 &&
				    !m->full)
					chan_read_one(o);
			}
			s->reading = 0;
			s->nchans--;
			if (s->nchans == 0) {
				sess_maybe_free(s);
				return;
			}
			if ((c = chan_find(m, id)) == NULL || c->s != s)
				return;
		}
	}
	chan_read_one(c);
}

/* ---- writing local fds (ordered, PROTOCOL.md 8) ------------------------- */

static int
fd_writable(int fd)
{
	struct pollfd	pfd;

	pfd.fd = fd;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) <= 0)
		return (0);
	return ((pfd.revents & (POLLOUT | POLLERR | POLLHUP)) != 0);
}

/* May c carry out its first item now?  Not while an earlier item of the
 * session waits on another channel that is still accepting data. */
static int
chan_may_write(struct chan *c)
{
	struct chan	*o;

	for (o = c->s->chans; o != NULL; o = o->next) {
		if (o == c || o->q == NULL || o->q->seq > c->q->seq)
			continue;
		if (o->blocked && ms_since(&o->blocked_since) >= STALL_MS)
			continue;
		return (0);
	}
	return (1);
}

static void
chan_blocked(struct chan *c)
{
	if (!c->blocked) {
		c->blocked = 1;
		gettimeofday(&c->blocked_since, NULL);
	}
	if (c->wev != NULL)
		event_add(c->wev, NULL);
}

/* Write what may be written.  Returns 1 if anything was done. */
static int
chan_write(struct chan *c)
{
	struct item	*it;
	ssize_t		 n;
	size_t		 len;
	int		 done = 0;

	while ((it = c->q) != NULL && chan_may_write(c)) {
		if (it->type == IT_DATA) {
			if (c->fd < 0) {
				if (c->sent_eof_recv || !c->in_open)
					goto consumed;
				chan_blocked(c);
				break;
			}
			len = it->len - it->off;
			if (c->is_rec) {
				n = fdio_send(c->fd, it->data, it->len,
				    it->fds, it->nfds);
				if (n >= 0)
					n = len;
			} else if (c->is_sock) {
				if (it->nfds > 0 && it->off == 0)
					len = 1;
				n = fdio_send(c->fd, it->data + it->off, len,
				    it->off == 0 ? it->fds : NULL,
				    it->off == 0 ? it->nfds : 0);
			} else {
				if (!c->own && !fd_writable(c->fd)) {
					chan_blocked(c);
					break;
				}
				if (!c->own && len > PIPE_BUF)
					len = PIPE_BUF;
				n = write(c->fd, it->data + it->off, len);
			}
			if (n == -1) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN || errno == EWOULDBLOCK) {
					chan_blocked(c);
					break;
				}
				if (errno == EPIPE || errno == ECONNRESET ||
				    errno == EIO) {
					chan_reader_gone(c);
					done = 1;
					break;
				}
				sess_fail(c->s, 1, FRAME_ERR_IO, "write: %s",
				    strerror(errno));
				return (1);
			}
			c->blocked = 0;
			done = 1;
			if (it->off == 0 && it->nfds > 0) {
				close_fds(it->fds, it->nfds);
				it->nfds = 0;
			}
			it->off += n;
			c->nout += n;
			if (!c->is_rec) {
				c->ret += n;
				it->cost -= n;
			}
			if (it->off < it->len) {
				if (!c->own && !c->is_sock)
					chan_blocked(c);  /* next readiness */
				else
					continue;
				break;
			}
			c->ret += it->cost;
		} else if (it->type == IT_EOF) {
			c->in_open = 0;
			if (c->fd >= 0) {
				if (c->is_sock)
					shutdown(c->fd, SHUT_WR);
				else if (c->kind == FRAME_KIND_TTY) {
					if (!c->mine) {
						char	eof = 4;

						(void)!write(c->fd, &eof, 1);
					}
				} else if (!c->out_open)
					chan_close_fd(c);
			}
		} else {
			/* IT_CLOSE */
			c->q = it->next;
			if (c->q == NULL)
				c->qtail = &c->q;
			free(it->fds);
			free(it);
			c->got_close = 1;
			chan_send_close(c);
			chan_free(c);
			return (1);
		}
consumed:
		done = 1;
		c->q = it->next;
		if (c->q == NULL)
			c->qtail = &c->q;
		close_fds(it->fds, it->nfds);
		free(it->fds);
		free(it);
	}
	if (c->q == NULL)
		c->blocked = 0;
	chan_return_credit(c, c->q == NULL);
	return (done);
}

static void
chan_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chan	*c = arg;

	c->blocked = 0;
	sess_pump(c->s);
}

static void
sess_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	sess_pump(arg);
}

/* Carry out queued items across the session's channels, in order. */
static void
sess_pump(struct sess *s)
{
	struct chan	*c, *next;
	int		 progress, waiting;

	s->nchans++;	/* hold the session while pumping */
	do {
		progress = 0;
		for (c = s->chans; c != NULL; c = next) {
			next = c->next;
			if (c->q == NULL)
				continue;
			if (chan_write(c)) {
				progress = 1;
				break;	/* the list may have changed */
			}
		}
	} while (progress);
	waiting = 0;
	for (c = s->chans; c != NULL; c = next) {
		next = c->next;
		if (c->q != NULL && !c->blocked)
			waiting = 1;
		chan_check_close(c);
	}
	s->nchans--;
	if (waiting && s->kick != NULL) {
		struct timeval	tv = { 0, STALL_MS * 1000 / 2 };

		event_add(s->kick, &tv);
	}
	sess_maybe_free(s);
}

/* ---- sessions --------------------------------------------------------- */

static struct sess *
sess_new(struct mux *m, uint32_t id)
{
	struct sess	*s;

	s = xcalloc(1, sizeof *s);
	s->m = m;
	s->id = id;
	s->kick = evtimer_new(m->base, sess_kick_cb, s);
	s->next = m->sessions;
	if (s->next != NULL)
		s->next->prevp = &s->next;
	s->prevp = &m->sessions;
	m->sessions = s;
	m->nsessions++;
	return (s);
}

static void
sess_unlink(struct sess *s)
{
	if (s->next != NULL)
		s->next->prevp = s->prevp;
	*s->prevp = s->next;
	s->next = NULL;
	s->prevp = NULL;
}

static void
sess_free(struct sess *s)
{
	struct mux	*m = s->m;

	while (s->chans != NULL) {
		s->chans->sent_close = s->chans->got_close = 1;
		s->nchans++;
		chan_free(s->chans);
		s->nchans--;
	}
	if (s->op != NULL)
		addr_open_cancel(s->op);
	if (s->kick != NULL)
		event_free(s->kick);
	if (s->linger != NULL)
		event_free(s->linger);
	log_info("session %u%s%s: %llu bytes in, %llu out, %d channels, %s",
	    s->id, s->who[0] ? " " : "", s->who, (unsigned long long)s->nin,
	    (unsigned long long)s->nout, s->nopened,
	    s->how != NULL ? s->how : "done");
	sess_unlink(s);
	if (m != NULL) {
		m->nsessions--;
		if (m->cb != NULL && m->role == FRAME_ROLE_NEAR)
			m->cb(m, MUX_SESSION_END, s->failed ? 1 : 0, m->arg);
	} else
		norphans--;
	free(s);
}

static void
sess_maybe_free(struct sess *s)
{
	if (s->nchans == 0)
		sess_free(s);
}

/* End the session: ERROR (if send), CLOSE for every channel. */
static void
sess_fail(struct sess *s, int send, uint32_t code, const char *fmt, ...)
{
	struct chan	*c, *next;
	va_list		 ap;
	char		*msg;

	if (s->failed)
		return;
	s->failed = 1;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (send) {
		log_warn("session %u%s%s: %s", s->id, s->who[0] ? " " : "",
		    s->who, msg);
		send_error(s->m, s->id, code, msg);
		s->how = "failed";
	} else {
		log_warn("session %u%s%s: peer: %s", s->id,
		    s->who[0] ? " " : "", s->who, msg);
		s->how = "failed by the peer";
	}
	free(msg);
	if (s->op != NULL) {
		addr_open_cancel(s->op);
		s->op = NULL;
	}
	s->nchans++;
	for (c = s->chans; c != NULL; c = next) {
		next = c->next;
		/* Sockets first: shut down the write side so clients see EOF. */
		if (c->fd >= 0 && c->is_sock)
			shutdown(c->fd, SHUT_RDWR);
		chan_send_close(c);
		if (c->got_close)
			chan_free(c);
	}
	s->nchans--;
	sess_maybe_free(s);
}

static void
sess_start(struct sess *s)
{
	struct chan	*c;

	s->started = 1;
	for (c = s->chans; c != NULL; c = c->next) {
		if (c->out_open)
			c->credit = s->m->peer.window;
		if (c->in_open)
			c->in_avail = s->m->mine.window;
		chan_update(c);
	}
}

static void
far_connected(struct endpoint *ep, void *arg)
{
	struct sess	*s = arg;
	struct chan	*c;

	s->op = NULL;
	c = chan_find(s->m, s->id);
	if (ep == NULL) {
		sess_fail(s, 1, FRAME_ERR_CONNECT, "cannot connect to %s",
		    s->m->target->text);
		return;
	}
	if (c == NULL || c->sent_close) {
		endpoint_free(ep);
		return;
	}
	c->ep = ep;
	c->fd = endpoint_rfd(ep);
	chan_arm(c);
	sess_pump(s);
}

/* ---- frames from the hop ------------------------------------------------ */

static void
item_add(struct chan *c, enum item_type type, const void *p, size_t len,
    uint32_t cost)
{
	struct item	*it;

	it = xmalloc(sizeof *it + len);
	memset(it, 0, sizeof *it);
	it->seq = c->s->seq++;
	it->type = type;
	it->len = len;
	it->cost = cost;
	if (len > 0)
		memcpy(it->data, p, len);
	if (type == IT_DATA && c->pend_nfds > 0) {
		it->fds = c->pend_fds;
		it->nfds = c->pend_nfds;
		c->pend_fds = NULL;
		c->pend_nfds = 0;
	}
	*c->qtail = it;
	c->qtail = &it->next;
}

static void
recv_open(struct mux *m, uint32_t id, const uint8_t *p, size_t len)
{
	struct frame_open	 o;
	const char		*why;
	struct sess		*s;
	struct chan		*c;
	int			 fds[2], fd = -1, pass = -1;

	if (frame_open_decode(p, len, &o, &why) == -1) {
		mux_lost(m, "bad OPEN: %s", why);
		return;
	}
	if (frame_chan_role(id) != m->peer.role || chan_find(m, id) != NULL) {
		mux_lost(m, "OPEN for channel %u: %s", id,
		    chan_find(m, id) ? "in use" : "wrong parity");
		return;
	}
	if (o.session == 0) {
		if (m->role != FRAME_ROLE_FAR) {
			mux_lost(m, "the far peer opened a session");
			return;
		}
		s = sess_new(m, id);
		s->started = 1;
		c = chan_new(s, id, o.kind, o.access, 0, -1);
		if ((uint32_t)m->nsessions > m->mine.max_sessions) {
			sess_fail(s, 1, FRAME_ERR_LIMIT, "more than %u sessions",
			    m->mine.max_sessions);
			return;
		}
		if (o.kind != (m->target->o.socktype == SOCK_SEQPACKET ?
		    FRAME_KIND_SEQPACKET : FRAME_KIND_STREAM)) {
			sess_fail(s, 1, FRAME_ERR_KIND, "a %s session, but %s "
			    "is a %s socket (type=)", frame_kind_name(o.kind),
			    m->target->text, m->target->o.socktype ==
			    SOCK_SEQPACKET ? "seqpacket" : "stream");
			return;
		}
		snprintf(s->who, sizeof s->who, "to %s", m->target->text);
		s->op = addr_open(m->target, m->base,
		    ADDR_RD | ADDR_WR | ADDR_MANY, far_connected, s);
		return;
	}
	if ((c = chan_find(m, o.session)) == NULL || c->s->id != o.session) {
		mux_lost(m, "OPEN for channel %u in unknown session %u", id,
		    o.session);
		return;
	}
	s = c->s;
	c = chan_new(s, id, o.kind, o.access, 0, -1);
	if (s->failed) {
		chan_send_close(c);
		return;
	}
	if ((uint32_t)s->ntheirs > m->mine.max_channels) {
		sess_fail(s, 1, FRAME_ERR_LIMIT, "more than %u channels",
		    m->mine.max_channels);
		return;
	}
	switch (o.kind) {
	case FRAME_KIND_STREAM:
	case FRAME_KIND_SEQPACKET:
		if (sock_pair(o.kind == FRAME_KIND_STREAM ? SOCK_STREAM :
		    SOCK_SEQPACKET, fds) == -1)
			goto fail;
		fd = fds[0];
		pass = fds[1];
		break;
	case FRAME_KIND_PIPE_READ:
	case FRAME_KIND_PIPE_WRITE:
		if (sock_pipe(fds) == -1)
			goto fail;
		fd = fds[o.kind == FRAME_KIND_PIPE_READ ? 1 : 0];
		pass = fds[o.kind == FRAME_KIND_PIPE_READ ? 0 : 1];
		break;
	case FRAME_KIND_TTY:
		if (tty_open(&o, &fd, &pass) == -1)
			goto fail;
		break;
	case FRAME_KIND_DEVNULL:
		pass = open("/dev/null", o.access == FRAME_ACCESS_RD ?
		    O_RDONLY : o.access == FRAME_ACCESS_WR ? O_WRONLY : O_RDWR);
		if (pass == -1)
			goto fail;
		fdio_cloexec(pass);
		break;
	default:
		sess_fail(s, 1, FRAME_ERR_KIND, "cannot stand in for %s",
		    frame_kind_name(o.kind));
		return;
	}
	if (fd >= 0)
		sock_nonblock(fd, 1);
	c->fd = fd;
	c->passfd = pass;
	c->own = 1;
	gettimeofday(&c->last_pass, NULL);
	chan_arm(c);
	return;
fail:
	sess_fail(s, 1, FRAME_ERR_RESOURCE, "cannot make a stand-in for %s: "
	    "%s", frame_kind_name(o.kind), strerror(errno));
}

/*
 * A stand-in of kind whose relay end is already closed, for a channel
 * passed again after we let go of it (6.3): the process sees EOF or EPIPE.
 */
static int
dead_standin(uint8_t kind)
{
	int	fds[2];

	switch (kind) {
	case FRAME_KIND_STREAM:
	case FRAME_KIND_SEQPACKET:
		if (sock_pair(kind == FRAME_KIND_STREAM ? SOCK_STREAM :
		    SOCK_SEQPACKET, fds) == -1)
			return (-1);
		close(fds[0]);
		return (fds[1]);
	case FRAME_KIND_PIPE_READ:
	case FRAME_KIND_PIPE_WRITE:
		if (sock_pipe(fds) == -1)
			return (-1);
		close(fds[kind == FRAME_KIND_PIPE_READ ? 1 : 0]);
		return (fds[kind == FRAME_KIND_PIPE_READ ? 0 : 1]);
	}
	return (open("/dev/null", O_RDWR | O_CLOEXEC));
}

static void
recv_fds(struct chan *c, const uint8_t *p, size_t len)
{
	struct sess	*s = c->s;
	struct frame_fds f;
	struct chan	*cc;
	const char	*why;
	size_t		 i;
	int		 fd;

	if (frame_fds_decode(p, len, &f, &why) == -1) {
		sess_fail(s, 1, FRAME_ERR_PROTOCOL, "bad FDS: %s", why);
		return;
	}
	if (!c->is_sock || f.n > s->m->mine.max_fds || c->pend_nfds > 0) {
		sess_fail(s, 1, FRAME_ERR_PROTOCOL, "FDS breaks the rules");
		return;
	}
	c->pend_fds = xcalloc(f.n, sizeof(int));
	for (i = 0; i < f.n; i++)
		c->pend_fds[i] = -1;
	c->pend_nfds = (int)f.n;
	for (i = 0; i < f.n; i++) {
		cc = chan_find(s->m, f.chans[i]);
		if (cc == NULL || cc->s != s) {
			sess_fail(s, 1, FRAME_ERR_PROTOCOL, "FDS names channel "
			    "%u, not of this session", f.chans[i]);
			return;
		}
		fd = cc->mine ? cc->fd : cc->passfd;
		if (fd >= 0)
			fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		else
			fd = dead_standin(cc->kind);
		if (fd == -1) {
			sess_fail(s, 1, FRAME_ERR_RESOURCE, "dup: %s",
			    strerror(errno));
			return;
		}
		gettimeofday(&cc->last_pass, NULL);
		c->pend_fds[i] = fd;
	}
}

/*
 * The fast path for DATA on a stream: when nothing of the session waits
 * to be carried out (so order cannot suffer) and the local fd takes
 * writes without blocking us (a socket, with MSG_DONTWAIT, or a stand-in
 * of ours), write from the frame itself.  Returns the bytes written;
 * what is left is queued as usual.  Errors are left for chan_write.
 */
static size_t
chan_write_now(struct chan *c, const uint8_t *p, size_t len)
{
	struct chan	*o;
	ssize_t		 n;

	if (c->fd < 0 || c->is_rec || c->pend_nfds > 0 ||
	    (!c->is_sock && !c->own))
		return (0);
	for (o = c->s->chans; o != NULL; o = o->next)
		if (o->q != NULL)
			return (0);
	do {
		if (c->is_sock)
			n = fdio_send(c->fd, p, len, NULL, 0);
		else
			n = write(c->fd, p, len);
	} while (n == -1 && errno == EINTR);
	if (n <= 0)
		return (0);
	c->nout += (uint64_t)n;
	c->ret += (uint32_t)n;
	chan_return_credit(c, 1);
	return ((size_t)n);
}

static void
recv_data(struct chan *c, uint8_t flags, const uint8_t *p, size_t len)
{
	struct sess	*s = c->s;
	struct mux	*m = s->m;
	uint32_t	 cost = len > 0 ? (uint32_t)len : 1;
	size_t		 done;

	if (!in_allowed(c) || c->got_eof) {
		sess_fail(s, 1, FRAME_ERR_PROTOCOL, "DATA on channel %u after "
		    "EOF or against its access", c->id);
		return;
	}
	if (cost > c->in_avail) {
		sess_fail(s, 1, FRAME_ERR_PROTOCOL, "DATA beyond credit on "
		    "channel %u", c->id);
		return;
	}
	c->in_avail -= cost;
	if (c->sent_eof_recv) {
		c->ret += cost;
		chan_return_credit(c, 1);
		return;
	}
	if (c->is_rec) {
		if (c->rec == NULL)
			c->rec = evbuffer_new();
		evbuffer_add(c->rec, p, len);
		if (evbuffer_get_length(c->rec) > m->mine.max_record) {
			sess_fail(s, 1, FRAME_ERR_LIMIT, "a record larger than "
			    "%u bytes", m->mine.max_record);
			return;
		}
		if (flags & FRAME_F_MORE) {
			c->ret += 0;
			return;
		}
		len = evbuffer_get_length(c->rec);
		item_add(c, IT_DATA, evbuffer_pullup(c->rec, -1), len,
		    len > 0 ? (uint32_t)len : 1);
		/* credit of the fragments: returned once written */
		c->q->cost += 0;
		evbuffer_free(c->rec);
		c->rec = NULL;
	} else {
		if (len == 0 || (flags & FRAME_F_MORE)) {
			sess_fail(s, 1, FRAME_ERR_PROTOCOL, "empty or "
			    "fragmented DATA on a stream");
			return;
		}
		if ((done = chan_write_now(c, p, len)) == len)
			return;
		item_add(c, IT_DATA, p + done, len - done,
		    (uint32_t)(len - done));
		if (done > 0)
			chan_blocked(c);
	}
	sess_pump(s);
}

/* HMAC-SHA256(token, "ferry-auth-v1" || role || nonce1 || nonce2). */
static void
auth_mac(uint8_t role, const uint8_t *n1, const uint8_t *n2,
    uint8_t mac[FRAME_MAC_LEN])
{
	uint8_t		msg[13 + 1 + 2 * FRAME_NONCE_LEN];
	unsigned int	len = FRAME_MAC_LEN;

	memcpy(msg, "ferry-auth-v1", 13);
	msg[13] = role;
	memcpy(msg + 14, n1, FRAME_NONCE_LEN);
	memcpy(msg + 14 + FRAME_NONCE_LEN, n2, FRAME_NONCE_LEN);
	HMAC(EVP_sha256(), token, (int)tokenlen, msg, sizeof msg, mac, &len);
}

/* Both HELLOs (and AUTHs) are in: sessions may start. */
static void
mux_handshake_done(struct mux *m)
{
	struct sess	*s;

	m->ready = 1;
	log_debug("hop %s: handshake done%s", endpoint_name(m->ep),
	    token != NULL ? " (token verified)" : "");
	for (s = m->sessions; s != NULL; s = s->next)
		if (!s->started) {
			struct frame_open o;
			uint8_t	ob[FRAME_HDR_LEN + 16];

			memset(&o, 0, sizeof o);
			o.kind = chan_find(m, s->id)->kind;
			o.access = FRAME_ACCESS_RDWR;
			hop_frame(m, ob, frame_open_encode(ob, sizeof ob,
			    s->id, &o));
			sess_start(s);
		}
	if (m->cb != NULL)
		m->cb(m, MUX_READY, 0, m->arg);
}

static void
recv_handshake(struct mux *m, const struct frame_hdr *h, const uint8_t *p)
{
	struct frame_hello	 hello;
	struct frame_error	 e;
	const char		*why;
	uint16_t		 v;
	uint8_t			 mac[FRAME_MAC_LEN], want[FRAME_MAC_LEN];
	uint8_t			 buf[FRAME_HDR_LEN + FRAME_MAC_LEN];

	if (h->type == FRAME_ERROR && m->hello) {
		if (frame_error_decode(p, h->len, &e, &why) == -1)
			mux_lost(m, "bad ERROR: %s", why);
		else
			mux_lost(m, "peer: %s", e.text);
		return;
	}
	if (!m->hello) {
		if (h->type != FRAME_HELLO) {
			mux_lost(m, "the peer is not a ferry fdpass peer "
			    "(first frame: %s)", frame_type_name(h->type));
			return;
		}
		if (frame_hello_decode(p, h->len, &hello, &why) == -1) {
			mux_lost(m, "bad HELLO: %s", why);
			return;
		}
		if (frame_hello_negotiate(&m->mine, &hello, &v, &why) == -1) {
			send_error(m, 0, hello.role == m->mine.role ?
			    FRAME_ERR_PROTOCOL : FRAME_ERR_VERSION, why);
			mux_lost(m, "%s", why);
			return;
		}
		m->peer = hello;
		m->hello = 1;
		if (hello.auth == FRAME_AUTHREQ_NONE && token == NULL) {
			mux_handshake_done(m);
			return;
		}
		if (token == NULL) {
			send_error(m, 0, FRAME_ERR_AUTH, "no token configured");
			mux_lost(m, "the peer requires a token (AUTH); set "
			    "FERRY_TOKEN_FILE to a file holding it");
			return;
		}
		auth_mac(m->mine.role, m->mine.nonce, m->peer.nonce, mac);
		hop_frame(m, buf, frame_auth_encode(buf, sizeof buf, mac));
		return;
	}
	if (h->type != FRAME_AUTH ||
	    frame_auth_decode(p, h->len, mac, &why) == -1) {
		send_error(m, 0, FRAME_ERR_AUTH, "expected AUTH");
		mux_lost(m, "authentication failed: the peer sent %s, not "
		    "AUTH (has it a token?)", frame_type_name(h->type));
		return;
	}
	auth_mac(m->peer.role, m->peer.nonce, m->mine.nonce, want);
	if (CRYPTO_memcmp(mac, want, sizeof want) != 0) {
		send_error(m, 0, FRAME_ERR_AUTH, "wrong token");
		mux_lost(m, "authentication failed: wrong token");
		return;
	}
	mux_handshake_done(m);
}

static void
recv_frame(struct mux *m, const struct frame_hdr *h, const uint8_t *p)
{
	struct frame_error	 e;
	struct frame_winsize	 ws;
	struct chan		*c;
	const char		*why;
	uint64_t		 cookie;
	uint32_t		 credit;
	uint8_t			 dir, buf[64];

	if (!m->ready) {
		recv_handshake(m, h, p);
		return;
	}
	switch (h->type) {
	case FRAME_HELLO:
	case FRAME_AUTH:
		mux_lost(m, "unexpected %s", frame_type_name(h->type));
		return;
	case FRAME_PING:
		if (frame_ping_decode(p, h->len, &cookie, &why) == 0)
			hop_frame(m, buf, frame_ping_encode(buf, sizeof buf,
			    FRAME_PONG, cookie));
		return;
	case FRAME_PONG:
		return;
	case FRAME_OPEN:
		recv_open(m, h->chan, p, h->len);
		return;
	}
	if (h->type == FRAME_ERROR && h->chan == 0) {
		if (frame_error_decode(p, h->len, &e, &why) == -1)
			mux_lost(m, "bad ERROR: %s", why);
		else if (e.code == FRAME_ERR_SHUTDOWN) {
			m->quiet = 1;
			mux_lost(m, "the peer is shutting down");
		}
		else
			mux_lost(m, "peer: %s", e.text);
		return;
	}
	if ((c = chan_find(m, h->chan)) == NULL) {
		mux_lost(m, "%s for channel %u, not in use",
		    frame_type_name(h->type), h->chan);
		return;
	}
	if (h->type == FRAME_CLOSE) {
		if (c->got_close) {
			mux_lost(m, "CLOSE twice on channel %u", c->id);
			return;
		}
		if (c->sent_close) {
			c->got_close = 1;
			chan_free(c);
			return;
		}
		item_add(c, IT_CLOSE, NULL, 0, 0);
		sess_pump(c->s);
		return;
	}
	if (c->sent_close || c->s->failed)
		return;		/* discarded */
	switch (h->type) {
	case FRAME_DATA:
		recv_data(c, h->flags, p, h->len);
		break;
	case FRAME_FDS:
		recv_fds(c, p, h->len);
		break;
	case FRAME_EOF:
		if (frame_eof_decode(p, h->len, &dir, &why) == -1) {
			sess_fail(c->s, 1, FRAME_ERR_PROTOCOL, "bad EOF: %s",
			    why);
			break;
		}
		if (dir == FRAME_EOF_SEND) {
			if (c->got_eof) {
				sess_fail(c->s, 1, FRAME_ERR_PROTOCOL,
				    "EOF twice");
				break;
			}
			c->got_eof = 1;
			item_add(c, IT_EOF, NULL, 0, 0);
			sess_pump(c->s);
		} else {
			/* The peer's reader is gone: stop reading ours. */
			c->out_open = 0;
			chan_update(c);
			if (c->fd >= 0) {
				if (c->is_sock)
					shutdown(c->fd, SHUT_RD);
				else if (!c->in_open &&
				    c->kind != FRAME_KIND_TTY)
					chan_close_fd(c);
			}
			chan_check_close(c);
		}
		break;
	case FRAME_WINDOW:
		if (frame_window_decode(p, h->len, &credit, &why) == -1 ||
		    (uint64_t)c->credit + credit > m->peer.window) {
			sess_fail(c->s, 1, FRAME_ERR_PROTOCOL, "bad WINDOW");
			break;
		}
		c->credit += credit;
		chan_update(c);
		break;
	case FRAME_WINSIZE:
		if (frame_winsize_decode(p, h->len, &ws, &why) == 0 &&
		    c->kind == FRAME_KIND_TTY && !c->mine && c->fd >= 0)
			tty_winsize(c->fd, &ws);
		break;
	case FRAME_ERROR:
		if (frame_error_decode(p, h->len, &e, &why) == -1)
			snprintf(e.text, sizeof e.text, "(bad ERROR: %s)", why);
		sess_fail(c->s, 0, e.code, "%s", e.text);
		break;
	}
}

/* ---- the hop ------------------------------------------------------------ */

static void
mux_dead_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mux	*m = arg;

	if (m->cb != NULL)
		m->cb(m, MUX_DEAD, 0, m->arg);
}

static void
orphan_linger_cb(evutil_socket_t fd, short what, void *arg)
{
	sess_free(arg);
}

/* End every session on a dead hop. */
static void
mux_end_sessions(struct mux *m)
{
	struct sess	*s, *next;
	struct chan	*c, *cn;
	struct timeval	 linger = { ORPHAN_LINGER_S, 0 };

	for (s = m->sessions; s != NULL; s = next) {
		next = s->next;
		if (m->role == FRAME_ROLE_NEAR) {
			for (c = s->chans; c != NULL; c = c->next)
				if (c->fd >= 0 && c->is_sock)
					shutdown(c->fd, SHUT_RDWR);
			if (!s->failed)
				s->how = "hop lost";
			s->failed = 1;
			sess_free(s);
			continue;
		}
		/* Far: wind down gracefully (PROTOCOL.md 11). */
		sess_unlink(s);
		m->nsessions--;
		s->m = NULL;
		if (s->how == NULL)
			s->how = "hop lost";
		s->next = orphans;
		if (s->next != NULL)
			s->next->prevp = &s->next;
		s->prevp = &orphans;
		orphans = s;
		norphans++;
		if (s->op != NULL) {
			addr_open_cancel(s->op);
			s->op = NULL;
		}
		s->nchans++;
		for (c = s->chans; c != NULL; c = cn) {
			cn = c->next;
			chan_drop_queue(c);
			chan_release_pass(c);
			c->out_open = c->in_open = 0;
			if (c->fd >= 0 && c->is_sock) {
				shutdown(c->fd, SHUT_WR);
				c->drain = 1;
				chan_update(c);
			} else if (c->fd >= 0 && c->kind ==
			    FRAME_KIND_PIPE_WRITE && !c->mine) {
				c->drain = 1;	/* the server's output */
				chan_update(c);
			} else {
				c->sent_close = c->got_close = 1;
				chan_free(c);
			}
		}
		s->nchans--;
		if (s->nchans == 0) {
			sess_free(s);
			continue;
		}
		s->linger = evtimer_new(m->base, orphan_linger_cb, s);
		event_add(s->linger, &linger);
	}
}

static void
mux_lost(struct mux *m, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (m->dead)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (m->quiet)
		log_info("hop %s: %s", endpoint_name(m->ep), msg);
	else
		log_err("hop %s: %s", endpoint_name(m->ep), msg);
	free(msg);
	/* Flush what can go without waiting (an ERROR, say). */
	if (m->bev == NULL && evbuffer_get_length(m->out) > 0)
		evbuffer_write(m->out, m->wfd);
	m->dead = 1;
	if (m->bev != NULL)
		bufferevent_disable(m->bev, EV_READ);
	else {
		event_del(m->rev);
		event_del(m->wev);
	}
	event_del(m->tick);
	event_active(m->ev_dead, EV_TIMEOUT, 1);
}

static void	hop_parse(struct mux *);

/*
 * Room at the end of the hop input buffer, at least a whole frame's: the
 * unparsed tail (less than one frame) moves to the front when the room
 * left is less than half the buffer.
 */
static size_t
hop_room(struct mux *m)
{
	if (m->ilen == 0)
		m->ioff = 0;
	else if (m->isize - m->ioff - m->ilen < m->isize / 2) {
		memmove(m->ibuf, m->ibuf + m->ioff, m->ilen);
		m->ioff = 0;
	}
	return (m->isize - m->ioff - m->ilen);
}

/*
 * The hop is readable: one large read straight into the input buffer
 * (evbuffer_read would take 4096 bytes at a time), then every whole frame
 * is carried out in place.
 */
static void
hop_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mux		*m = arg;
	size_t			 room = hop_room(m);
	ssize_t			 n;

	do {
		n = read(m->rfd, m->ibuf + m->ioff + m->ilen, room);
	} while (n == -1 && errno == EINTR);
	if (n == 0) {
		m->quiet = (m->ilen == 0);
		mux_lost(m, "closed by the peer");
		return;
	}
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		mux_lost(m, "read: %s", strerror(errno));
		return;
	}
	m->ilen += (size_t)n;
	hop_parse(m);
}

/* Carry out every whole frame in the input buffer. */
static void
hop_parse(struct mux *m)
{
	struct frame_hdr	 h;
	const uint8_t		*p;
	const char		*why;
	size_t			 size;
	int			 r;

	gettimeofday(&m->last_rx, NULL);
	while (!m->dead && m->ilen > 0) {
		p = m->ibuf + m->ioff;
		r = frame_decode(p, m->ilen, m->ready ? m->mine.max_frame :
		    FRAME_HELLO_LIMIT, &h, &size, &why);
		if (r == -1) {
			if (!m->ready)
				mux_lost(m, "the peer is not a ferry fdpass "
				    "peer, or something mangles the stream: "
				    "%s", why);
			else
				mux_lost(m, "malformed frame: %s", why);
			return;
		}
		if (r == 0)
			break;
		/* Consumed before it is carried out: recv_frame may not
		 * come back to this frame, and the next starts after it. */
		m->ioff += size;
		m->ilen -= size;
		recv_frame(m, &h, p + FRAME_HDR_LEN);
	}
}

static void
mux_unfull(struct mux *m)
{
	struct sess	*s;
	struct chan	*c;

	m->full = 0;
	for (s = m->sessions; s != NULL; s = s->next)
		for (c = s->chans; c != NULL; c = c->next)
			chan_update(c);
}

static void
hop_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mux	*m = arg;
	int		 n;

	n = evbuffer_write(m->out, m->wfd);
	if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR) {
		mux_lost(m, "write: %s", strerror(errno));
		return;
	}
	if (evbuffer_get_length(m->out) > 0)
		event_add(m->wev, NULL);
	if (m->full && evbuffer_get_length(m->out) < HOP_LOW)
		mux_unfull(m);
}

/* A TLS hop: its bufferevent does the I/O. */
static void
hop_bev_read(struct bufferevent *bev, void *arg)
{
	struct mux	*m = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	size_t		 room;
	int		 n;

	while (!m->dead && evbuffer_get_length(in) > 0) {
		room = hop_room(m);
		if ((n = evbuffer_remove(in, m->ibuf + m->ioff + m->ilen,
		    room)) <= 0)
			break;
		m->ilen += (size_t)n;
		hop_parse(m);
	}
}

static void
hop_bev_write(struct bufferevent *bev, void *arg)
{
	struct mux	*m = arg;

	if (m->full && !m->dead)
		mux_unfull(m);
}

static void
hop_bev_event(struct bufferevent *bev, short what, void *arg)
{
	struct mux	*m = arg;
	const char	*err;

	if (what & BEV_EVENT_EOF) {
		m->quiet = 1;
		mux_lost(m, "closed by the peer");
	} else if (what & BEV_EVENT_ERROR) {
		err = tls_bev_error(bev);
		mux_lost(m, "%s", err != NULL ? err : strerror(errno));
	}
}

/* Every TICK_MS: passed ends to let go, window sizes, keepalive. */
static void
mux_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mux	*m = arg;
	struct sess	*s, *sn;
	struct chan	*c, *cn;
	struct winsize	 ws;
	uint8_t		 buf[64];
	struct frame_winsize fw;
	long		 idle;

	m->ticks++;
	for (s = m->sessions; s != NULL; s = sn) {
		sn = s->next;
		s->nchans++;
		for (c = s->chans; c != NULL; c = cn) {
			cn = c->next;
			if (c->passfd >= 0 &&
			    ms_since(&c->last_pass) >= PASS_LINGER_MS) {
				chan_release_pass(c);
				chan_check_close(c);
				continue;
			}
			if (c->kind == FRAME_KIND_TTY && c->mine &&
			    c->fd >= 0 && m->ticks % 4 == 0 &&
			    ioctl(c->fd, TIOCGWINSZ, &ws) == 0 &&
			    (ws.ws_row != c->ws.rows ||
			    ws.ws_col != c->ws.cols)) {
				fw.rows = ws.ws_row;
				fw.cols = ws.ws_col;
				fw.xpixel = ws.ws_xpixel;
				fw.ypixel = ws.ws_ypixel;
				c->ws = fw;
				hop_frame(m, buf, frame_winsize_encode(buf,
				    sizeof buf, c->id, &fw));
			}
		}
		s->nchans--;
		sess_maybe_free(s);
	}
	if (m->keepalive_ms == 0 || m->dead)
		return;
	idle = ms_since(&m->last_rx);
	if (idle >= 3 * m->keepalive_ms)
		mux_lost(m, "keepalive: nothing received for %ld.%01ld s",
		    idle / 1000, (idle % 1000) / 100);
	else if (idle >= m->keepalive_ms &&
	    ms_since(&m->last_ping) >= m->keepalive_ms) {
		hop_frame(m, buf, frame_ping_encode(buf, sizeof buf,
		    FRAME_PING, (uint64_t)m->ticks));
		gettimeofday(&m->last_ping, NULL);
	}
}

struct mux *
mux_new(struct event_base *base, struct endpoint *hop, int role,
    struct addr *target, mux_cb *cb, void *arg)
{
	struct mux	*m;
	struct timeval	 tv = { 0, TICK_MS * 1000 };
	uint8_t		 buf[FRAME_HDR_LEN + FRAME_HELLO_LEN];

	m = xcalloc(1, sizeof *m);
	m->base = base;
	m->role = role;
	m->target = target;
	m->ep = hop;
	m->rfd = endpoint_rfd(hop);
	m->wfd = endpoint_wfd(hop);
	m->cb = cb;
	m->arg = arg;
	m->next_id = (role == FRAME_ROLE_NEAR) ? 2 : 1;
	m->out = evbuffer_new();
	if ((m->bev = endpoint_bev(hop)) != NULL) {
		bufferevent_setcb(m->bev, hop_bev_read, hop_bev_write,
		    hop_bev_event, m);
		bufferevent_setwatermark(m->bev, EV_WRITE, HOP_LOW, 0);
		bufferevent_enable(m->bev, EV_READ | EV_WRITE);
	} else {
		sock_nonblock(m->rfd, 1);
		sock_nonblock(m->wfd, 1);
		m->rev = event_new(base, m->rfd, EV_READ | EV_PERSIST,
		    hop_read_cb, m);
		m->wev = event_new(base, m->wfd, EV_WRITE, hop_write_cb, m);
	}
	m->tick = event_new(base, -1, EV_PERSIST, mux_tick_cb, m);
	m->ev_dead = event_new(base, -1, 0, mux_dead_cb, m);
	gettimeofday(&m->last_rx, NULL);
	m->keepalive_ms = MUX_KEEPALIVE * 1000;
	frame_hello_init(&m->mine, (uint8_t)role);
	m->isize = 4 * (FRAME_HDR_LEN + (size_t)m->mine.max_frame);
	m->ibuf = xmalloc(m->isize);
	m->mine.caps = FRAME_CAP_TTY;
#if defined(HAVE_DECL_SOCK_SEQPACKET) && HAVE_DECL_SOCK_SEQPACKET
	m->mine.caps |= FRAME_CAP_SEQPACKET;
#endif
	if (role == FRAME_ROLE_NEAR)
		m->mine.max_sessions = 0;
	if (token != NULL)
		m->mine.auth = FRAME_AUTHREQ_HMAC;
	evutil_secure_rng_get_bytes(m->mine.nonce, sizeof m->mine.nonce);
	hop_frame(m, buf, frame_hello_encode(buf, sizeof buf, &m->mine));
	if (m->rev != NULL)
		event_add(m->rev, NULL);
	event_add(m->tick, &tv);
	return (m);
}

void
mux_attach(struct mux *m, struct endpoint *ep)
{
	struct sess	*s;
	struct chan	*c;
	struct frame_open o;
	uint8_t		 buf[FRAME_HDR_LEN + 16];
	int		 fd = endpoint_rfd(ep), type = SOCK_STREAM;
	uint8_t		 kind;
	socklen_t	 len = sizeof type;

	/* The client's socket says what the session is: stream or records. */
	(void)getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
	kind = type == SOCK_SEQPACKET ? FRAME_KIND_SEQPACKET : FRAME_KIND_STREAM;
	s = sess_new(m, mux_alloc_id(m));
	snprintf(s->who, sizeof s->who, "from %s", endpoint_name(ep));
	c = chan_new(s, s->id, kind, FRAME_ACCESS_RDWR, 1, fd);
	c->ep = ep;
	if (m->ready) {
		memset(&o, 0, sizeof o);
		o.kind = kind;
		o.access = FRAME_ACCESS_RDWR;
		hop_frame(m, buf, frame_open_encode(buf, sizeof buf, s->id, &o));
		s->started = 1;
	}
	chan_arm(c);
}

void
mux_set_keepalive(struct mux *m, double secs)
{
	m->keepalive_ms = (long)(secs * 1000);
	if (secs > 0 && m->keepalive_ms < TICK_MS)
		m->keepalive_ms = TICK_MS;
}

int
mux_sessions(const struct mux *m)
{
	return (m->nsessions);
}

void
mux_set_token(const void *t, size_t len)
{
	if (token != NULL) {
		OPENSSL_cleanse(token, tokenlen);
		free(token);
	}
	token = NULL;
	tokenlen = 0;
	if (t != NULL && len > 0) {
		token = xmalloc(len);
		memcpy(token, t, len);
		tokenlen = len;
	}
}

int
mux_orphans(void)
{
	return (norphans);
}

void
mux_shutdown(struct mux *m)
{
	if (m->dead)
		return;
	send_error(m, 0, FRAME_ERR_SHUTDOWN, "shutting down");
	m->dead = 1;
	if (m->bev != NULL)
		bufferevent_disable(m->bev, EV_READ);
	else {
		evbuffer_write(m->out, m->wfd);
		event_del(m->rev);
		event_del(m->wev);
	}
	event_del(m->tick);
}

void
mux_free(struct mux *m)
{
	if (m == NULL)
		return;
	m->dead = 1;
	mux_end_sessions(m);
	if (m->bev != NULL)
		bufferevent_setcb(m->bev, NULL, NULL, NULL, NULL);
	else {
		event_free(m->rev);
		event_free(m->wev);
	}
	event_free(m->tick);
	event_free(m->ev_dead);
	free(m->ibuf);
	evbuffer_free(m->out);
	endpoint_free(m->ep);
	free(m->rbuf);
	free(m);
}
