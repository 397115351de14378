/*
 * The hop of the fd-passing protocol (see mux.h and PROTOCOL.md): its
 * handshake and authentication, frames in (read in large pieces, decoded
 * in place, dispatched to sessions and channels) and out, keepalive, and
 * the mux's public functions.  Sessions are in sess.c, channels in chan.c,
 * terminal stand-ins in tty.c; mux_int.h holds what they share.
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
#include "fdpass/mux_int.h"
#include "log.h"
#include "sock.h"
#include "tls.h"
#include "xmalloc.h"

struct sess	*orphans;
int		 norphans;
static uint8_t		*token;		/* AUTH (PROTOCOL.md 4.4), or NULL */
static size_t		 tokenlen;

long
ms_since(const struct timeval *tv)
{
	struct timeval	now, d;

	gettimeofday(&now, NULL);
	timersub(&now, tv, &d);
	return (d.tv_sec * 1000 + d.tv_usec / 1000);
}

void
close_fds(int *fds, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* A channel or session id of our parity, not in use. */
uint32_t
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

void
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
	/*
	 * Write once this round of callbacks is done (so frames queued by
	 * several go out in one writev), without the two epoll_ctl calls of
	 * arming EV_WRITE on a socket that is almost always writable; EV_WRITE
	 * only once a write has left bytes behind.
	 */
	if (!event_pending(m->wev, EV_WRITE, NULL))
		event_active(m->flush, EV_TIMEOUT, 1);
	if (!m->full && evbuffer_get_length(m->out) > HOP_HIGH)
		m->full = 1;
}

void
hop_frame(struct mux *m, const uint8_t *buf, int len)
{
	if (m == NULL || m->dead || len < 0)
		return;
	evbuffer_add(m->out, buf, (size_t)len);
	hop_want_write(m);
}

void
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

void
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

void
send_error(struct mux *m, uint32_t chan, uint32_t code, const char *text)
{
	uint8_t	buf[FRAME_HDR_LEN + 4 + FRAME_ERROR_TEXT_MAX];

	hop_frame(m, buf, frame_error_encode(buf, sizeof buf, chan, code,
	    text));
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
		sess_recv_open(m, h->chan, p, h->len);
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
		chan_item_add(c, IT_CLOSE, NULL, 0, 0);
		sess_pump(c->s);
		return;
	}
	if (c->sent_close || c->s->failed)
		return;		/* discarded */
	switch (h->type) {
	case FRAME_DATA:
		chan_recv_data(c, h->flags, p, h->len);
		break;
	case FRAME_FDS:
		chan_recv_fds(c, p, h->len);
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
			chan_item_add(c, IT_EOF, NULL, 0, 0);
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

static void
mux_dead_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mux	*m = arg;

	if (m->cb != NULL)
		m->cb(m, MUX_DEAD, 0, m->arg);
}

void
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
		event_del(m->flush);
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
	if (m->dead)
		return;
	idle = ms_since(&m->last_rx);
	/*
	 * No PING before the handshake is done: in the middle of AUTH it
	 * would be taken for a wrong answer.  A peer slow to start (an exec
	 * hop) gets HANDSHAKE_S, whatever the interval.
	 */
	if (!m->ready) {
		if (idle >= HANDSHAKE_S * 1000)
			mux_lost(m, "no handshake after %d s", HANDSHAKE_S);
		return;
	}
	if (m->keepalive_ms == 0)
		return;
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
		m->flush = event_new(base, -1, 0, hop_write_cb, m);
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
	m->mine.caps |= FRAME_CAP_DGRAM;
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
		event_del(m->flush);
	}
	event_del(m->tick);
}

void
mux_free(struct mux *m)
{
	if (m == NULL)
		return;
	m->dead = 1;
	sess_end_all(m);
	if (m->bev != NULL)
		bufferevent_setcb(m->bev, NULL, NULL, NULL, NULL);
	else {
		event_free(m->rev);
		event_free(m->wev);
		event_free(m->flush);
	}
	event_free(m->tick);
	event_free(m->ev_dead);
	free(m->ibuf);
	evbuffer_free(m->out);
	endpoint_free(m->ep);
	free(m->rbuf);
	free(m);
}
