/*
 * Frame codec of the fd-passing protocol: see frame.h and PROTOCOL.md.
 * Every read of the input goes through get16/get32/get64 after a length
 * check; every encoder validates with the same function its decoder uses.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "frame.h"

/* Where a message type may appear. */
#define ON_HOP		1	/* channel 0 only */
#define ON_CHAN		2	/* any channel but 0 */
#define ON_ANY		3

#define OPEN_FIXED_LEN	8
#define OPEN_TTY_LEN	(OPEN_FIXED_LEN + 8)
#define OPEN_MAX_LEN	(OPEN_TTY_LEN + FRAME_TTYMODES_MAX * 5 + 1)
#define FDS_MIN_LEN	(8 + 4)
#define FDS_MAX_LEN	(8 + 4 * FRAME_FDS_MAX)
#define ERROR_MAX_LEN	(4 + FRAME_ERROR_TEXT_MAX)

static const struct frame_rule {
	const char	*name;
	uint32_t	 minlen;
	uint32_t	 maxlen;
	uint8_t		 flags;		/* flags allowed */
	uint8_t		 where;		/* ON_* */
} frame_rules[FRAME_TYPE_LAST + 1] = {
	[FRAME_HELLO] =	  { "HELLO", FRAME_HELLO_LEN, FRAME_HELLO_LIMIT, 0,
			    ON_HOP },
	[FRAME_AUTH] =	  { "AUTH", FRAME_MAC_LEN, FRAME_MAC_LEN, 0, ON_HOP },
	[FRAME_OPEN] =	  { "OPEN", OPEN_FIXED_LEN, OPEN_MAX_LEN, 0, ON_CHAN },
	[FRAME_DATA] =	  { "DATA", 0, FRAME_PAYLOAD_MAX, FRAME_F_MORE,
			    ON_CHAN },
	[FRAME_FDS] =	  { "FDS", FDS_MIN_LEN, FDS_MAX_LEN, 0, ON_CHAN },
	[FRAME_EOF] =	  { "EOF", 1, 1, 0, ON_CHAN },
	[FRAME_CLOSE] =	  { "CLOSE", 0, 0, 0, ON_CHAN },
	[FRAME_WINDOW] =  { "WINDOW", 4, 4, 0, ON_CHAN },
	[FRAME_ERROR] =	  { "ERROR", 4, ERROR_MAX_LEN, 0, ON_ANY },
	[FRAME_WINSIZE] = { "WINSIZE", 8, 8, 0, ON_CHAN },
	[FRAME_PING] =	  { "PING", 8, 8, 0, ON_HOP },
	[FRAME_PONG] =	  { "PONG", 8, 8, 0, ON_HOP },
};

/* Every message but DATA fits in the smallest max_frame a peer may set. */
_Static_assert(FRAME_HELLO_LIMIT <= FRAME_PAYLOAD_MIN, "HELLO limit");
_Static_assert(OPEN_MAX_LEN <= FRAME_PAYLOAD_MIN, "OPEN too long");
_Static_assert(FDS_MAX_LEN <= FRAME_PAYLOAD_MIN, "FDS too long");
_Static_assert(ERROR_MAX_LEN <= FRAME_PAYLOAD_MIN, "ERROR too long");
_Static_assert(FRAME_DEFAULT_WINDOW >= FRAME_DEFAULT_MAX_RECORD, "window");

static const char *const frame_kinds[FRAME_KIND_LAST + 1] = {
	[FRAME_KIND_STREAM] = "stream",
	[FRAME_KIND_SEQPACKET] = "seqpacket",
	[FRAME_KIND_DGRAM] = "datagram",
	[FRAME_KIND_PIPE_READ] = "pipe-read",
	[FRAME_KIND_PIPE_WRITE] = "pipe-write",
	[FRAME_KIND_TTY] = "tty",
	[FRAME_KIND_DEVNULL] = "devnull",
};

static int
fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return (-1);
}

static uint16_t
get16(const uint8_t *p)
{
	return ((uint16_t)((p[0] << 8) | p[1]));
}

static uint32_t
get32(const uint8_t *p)
{
	return (((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | (uint32_t)p[3]);
}

static uint64_t
get64(const uint8_t *p)
{
	return (((uint64_t)get32(p) << 32) | get32(p + 4));
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static const struct frame_rule *
frame_rule(uint8_t type)
{
	if (type == 0 || type > FRAME_TYPE_LAST)
		return (NULL);
	return (&frame_rules[type]);
}

/* The header checks after the length, shared by decoder and encoder. */
static int
frame_check_hdr(uint32_t chan, uint8_t type, uint8_t flags, uint32_t len,
    const char **why)
{
	const struct frame_rule	*r;

	if ((r = frame_rule(type)) == NULL)
		return (fail(why, "unknown frame type"));
	if (flags & ~r->flags)
		return (fail(why, "flag not defined for this frame type"));
	if (chan == 0 && !(r->where & ON_HOP))
		return (fail(why, "channel message on channel 0"));
	if (chan != 0 && !(r->where & ON_CHAN))
		return (fail(why, "hop message on a channel"));
	if (len < r->minlen || len > r->maxlen)
		return (fail(why, "bad payload length for this frame type"));
	if ((flags & FRAME_F_MORE) && len == 0)
		return (fail(why, "empty record fragment"));
	return (0);
}

int
frame_decode(const uint8_t *buf, size_t buflen, uint32_t maxpayload,
    struct frame_hdr *hdr, size_t *sizep, const char **why)
{
	uint32_t	len, chan;
	uint8_t		type, flags;
	size_t		need;

	if (maxpayload > FRAME_PAYLOAD_MAX)
		maxpayload = FRAME_PAYLOAD_MAX;

	/* The length comes first and is checked before anything else. */
	need = FRAME_HDR_LEN;
	if (buflen < 4)
		goto more;
	len = get32(buf);
	if (len > maxpayload)
		return (fail(why, "frame longer than the limit"));
	if (buflen < FRAME_HDR_LEN)
		goto more;
	chan = get32(buf + 4);
	type = buf[8];
	flags = buf[9];
	if (get16(buf + 10) != 0)
		return (fail(why, "reserved header bits set"));
	if (frame_check_hdr(chan, type, flags, len, why) == -1)
		return (-1);
	need = FRAME_HDR_LEN + (size_t)len;
	if (buflen < need)
		goto more;

	hdr->len = len;
	hdr->chan = chan;
	hdr->type = type;
	hdr->flags = flags;
	if (sizep != NULL)
		*sizep = need;
	return (1);

more:
	if (sizep != NULL)
		*sizep = need;
	return (0);
}

int
frame_encode_hdr(uint8_t *buf, size_t buflen, uint32_t chan, uint8_t type,
    uint8_t flags, size_t len)
{
	if (buflen < FRAME_HDR_LEN || len > FRAME_PAYLOAD_MAX)
		return (-1);
	if (frame_check_hdr(chan, type, flags, (uint32_t)len, NULL) == -1)
		return (-1);
	put32(buf, (uint32_t)len);
	put32(buf + 4, chan);
	buf[8] = type;
	buf[9] = flags;
	put16(buf + 10, 0);
	return (FRAME_HDR_LEN);
}

int
frame_encode(uint8_t *buf, size_t buflen, uint32_t chan, uint8_t type,
    uint8_t flags, const void *payload, size_t len)
{
	if (len > FRAME_PAYLOAD_MAX || buflen < FRAME_HDR_LEN + len)
		return (-1);
	if (len != 0 && payload == NULL)
		return (-1);
	if (frame_encode_hdr(buf, buflen, chan, type, flags, len) == -1)
		return (-1);
	if (len != 0)
		memcpy(buf + FRAME_HDR_LEN, payload, len);
	return ((int)(FRAME_HDR_LEN + len));
}

int
frame_chan_role(uint32_t chan)
{
	if (chan == 0)
		return (0);
	return ((chan & 1) ? FRAME_ROLE_FAR : FRAME_ROLE_NEAR);
}

const char *
frame_type_name(uint8_t type)
{
	const struct frame_rule	*r;

	if ((r = frame_rule(type)) == NULL)
		return ("unknown");
	return (r->name);
}

const char *
frame_kind_name(uint8_t kind)
{
	if (kind == 0 || kind > FRAME_KIND_LAST)
		return ("unknown");
	return (frame_kinds[kind]);
}

/*
 * Start a typed frame: check room for the header and len bytes of body and
 * write the header.  Returns the body pointer, or NULL.
 */
static uint8_t *
frame_start(uint8_t *buf, size_t buflen, uint32_t chan, uint8_t type,
    size_t len)
{
	if (buflen < FRAME_HDR_LEN + len)
		return (NULL);
	if (frame_encode_hdr(buf, buflen, chan, type, 0, len) == -1)
		return (NULL);
	return (buf + FRAME_HDR_LEN);
}

/* HELLO */

void
frame_hello_init(struct frame_hello *h, uint8_t role)
{
	memset(h, 0, sizeof(*h));
	h->vmin = FRAME_VERSION;
	h->vmax = FRAME_VERSION;
	h->role = role;
	h->auth = FRAME_AUTHREQ_NONE;
	h->max_frame = FRAME_DEFAULT_MAX_FRAME;
	h->max_sessions = FRAME_DEFAULT_MAX_SESSIONS;
	h->max_channels = FRAME_DEFAULT_MAX_CHANNELS;
	h->window = FRAME_DEFAULT_WINDOW;
	h->max_record = FRAME_DEFAULT_MAX_RECORD;
	h->max_fds = FRAME_DEFAULT_MAX_FDS;
}

static int
frame_hello_check(const struct frame_hello *h, const char **why)
{
	if (h->vmin == 0 || h->vmin > h->vmax)
		return (fail(why, "bad version range"));
	if (h->role != FRAME_ROLE_NEAR && h->role != FRAME_ROLE_FAR)
		return (fail(why, "unknown role"));
	if (h->auth != FRAME_AUTHREQ_NONE && h->auth != FRAME_AUTHREQ_HMAC)
		return (fail(why, "unknown authentication method"));
	if (h->max_frame < FRAME_PAYLOAD_MIN || h->max_frame > FRAME_PAYLOAD_MAX)
		return (fail(why, "max_frame out of range"));
	if (h->max_channels == 0)
		return (fail(why, "max_channels is zero"));
	if (h->max_record == 0 || h->max_record > FRAME_RECORD_MAX)
		return (fail(why, "max_record out of range"));
	if (h->window < h->max_record || h->window > FRAME_WINDOW_MAX)
		return (fail(why, "window out of range"));
	if (h->max_fds == 0 || h->max_fds > FRAME_FDS_MAX)
		return (fail(why, "max_fds out of range"));
	return (0);
}

int
frame_hello_encode(uint8_t *buf, size_t buflen, const struct frame_hello *h)
{
	uint8_t	*p;

	if (frame_hello_check(h, NULL) == -1)
		return (-1);
	if ((p = frame_start(buf, buflen, 0, FRAME_HELLO,
	    FRAME_HELLO_LEN)) == NULL)
		return (-1);
	memcpy(p, FRAME_MAGIC, FRAME_MAGIC_LEN);
	put16(p + 8, h->vmin);
	put16(p + 10, h->vmax);
	p[12] = h->role;
	p[13] = h->auth;
	put16(p + 14, 0);
	put32(p + 16, h->caps);
	put32(p + 20, h->max_frame);
	put32(p + 24, h->max_sessions);
	put32(p + 28, h->max_channels);
	put32(p + 32, h->window);
	put32(p + 36, h->max_record);
	put32(p + 40, h->max_fds);
	memcpy(p + 44, h->nonce, FRAME_NONCE_LEN);
	return (FRAME_HDR_LEN + FRAME_HELLO_LEN);
}

int
frame_hello_decode(const uint8_t *p, size_t len, struct frame_hello *h,
    const char **why)
{
	if (len < FRAME_HELLO_LEN)
		return (fail(why, "HELLO too short"));
	if (memcmp(p, FRAME_MAGIC, FRAME_MAGIC_LEN) != 0)
		return (fail(why, "bad magic: not a ferry peer"));
	if (get16(p + 14) != 0)
		return (fail(why, "reserved HELLO bits set"));
	h->vmin = get16(p + 8);
	h->vmax = get16(p + 10);
	h->role = p[12];
	h->auth = p[13];
	h->caps = get32(p + 16);
	h->max_frame = get32(p + 20);
	h->max_sessions = get32(p + 24);
	h->max_channels = get32(p + 28);
	h->window = get32(p + 32);
	h->max_record = get32(p + 36);
	h->max_fds = get32(p + 40);
	memcpy(h->nonce, p + 44, FRAME_NONCE_LEN);
	return (frame_hello_check(h, why));
}

int
frame_hello_negotiate(const struct frame_hello *local,
    const struct frame_hello *peer, uint16_t *version, const char **why)
{
	uint16_t	lo, hi;

	if (local->role == peer->role)
		return (fail(why, "both peers have the same role"));
	lo = local->vmin > peer->vmin ? local->vmin : peer->vmin;
	hi = local->vmax < peer->vmax ? local->vmax : peer->vmax;
	if (hi < lo)
		return (fail(why, "no common protocol version"));
	*version = hi;
	return (0);
}

/* AUTH */

int
frame_auth_encode(uint8_t *buf, size_t buflen,
    const uint8_t mac[FRAME_MAC_LEN])
{
	uint8_t	*p;

	if ((p = frame_start(buf, buflen, 0, FRAME_AUTH,
	    FRAME_MAC_LEN)) == NULL)
		return (-1);
	memcpy(p, mac, FRAME_MAC_LEN);
	return (FRAME_HDR_LEN + FRAME_MAC_LEN);
}

int
frame_auth_decode(const uint8_t *p, size_t len, uint8_t mac[FRAME_MAC_LEN],
    const char **why)
{
	if (len != FRAME_MAC_LEN)
		return (fail(why, "bad AUTH length"));
	memcpy(mac, p, FRAME_MAC_LEN);
	return (0);
}

/* OPEN */

static int
frame_open_check(const struct frame_open *o, const char **why)
{
	size_t	i;

	switch (o->kind) {
	case FRAME_KIND_STREAM:
	case FRAME_KIND_SEQPACKET:
	case FRAME_KIND_DGRAM:
		if (o->access != FRAME_ACCESS_RDWR)
			return (fail(why, "socket channel not read-write"));
		break;
	case FRAME_KIND_PIPE_READ:
		if (o->access != FRAME_ACCESS_RD)
			return (fail(why, "pipe-read channel not read-only"));
		break;
	case FRAME_KIND_PIPE_WRITE:
		if (o->access != FRAME_ACCESS_WR)
			return (fail(why, "pipe-write channel not write-only"));
		break;
	case FRAME_KIND_TTY:
	case FRAME_KIND_DEVNULL:
		if (o->access == 0 || (o->access & ~FRAME_ACCESS_RDWR))
			return (fail(why, "bad access mode"));
		break;
	default:
		return (fail(why, "unknown channel kind"));
	}
	if (o->session == 0 && o->kind != FRAME_KIND_STREAM &&
	    o->kind != FRAME_KIND_SEQPACKET)
		return (fail(why, "session control channel not a socket"));
	if (o->kind != FRAME_KIND_TTY)
		return (0);
	if (o->nmodes > FRAME_TTYMODES_MAX)
		return (fail(why, "too many tty modes"));
	for (i = 0; i < o->nmodes; i++) {
		if (o->modes[i].op == FRAME_TTYOP_END ||
		    o->modes[i].op > FRAME_TTYOP_LAST)
			return (fail(why, "bad tty mode opcode"));
	}
	return (0);
}

int
frame_open_encode(uint8_t *buf, size_t buflen, uint32_t chan,
    const struct frame_open *o)
{
	uint8_t	*p;
	size_t	 len, i;

	if (frame_open_check(o, NULL) == -1)
		return (-1);
	len = OPEN_FIXED_LEN;
	if (o->kind == FRAME_KIND_TTY)
		len = OPEN_TTY_LEN + o->nmodes * 5 + 1;
	if ((p = frame_start(buf, buflen, chan, FRAME_OPEN, len)) == NULL)
		return (-1);
	put32(p, o->session);
	p[4] = o->kind;
	p[5] = o->access;
	put16(p + 6, 0);
	if (o->kind == FRAME_KIND_TTY) {
		put16(p + 8, o->ws.rows);
		put16(p + 10, o->ws.cols);
		put16(p + 12, o->ws.xpixel);
		put16(p + 14, o->ws.ypixel);
		p += OPEN_TTY_LEN;
		for (i = 0; i < o->nmodes; i++, p += 5) {
			p[0] = o->modes[i].op;
			put32(p + 1, o->modes[i].val);
		}
		p[0] = FRAME_TTYOP_END;
	}
	return ((int)(FRAME_HDR_LEN + len));
}

int
frame_open_decode(const uint8_t *p, size_t len, struct frame_open *o,
    const char **why)
{
	size_t	off;

	if (len < OPEN_FIXED_LEN)
		return (fail(why, "OPEN too short"));
	if (get16(p + 6) != 0)
		return (fail(why, "reserved OPEN bits set"));
	o->session = get32(p);
	o->kind = p[4];
	o->access = p[5];
	memset(&o->ws, 0, sizeof(o->ws));
	o->nmodes = 0;
	if (o->kind != FRAME_KIND_TTY) {
		if (len != OPEN_FIXED_LEN)
			return (fail(why, "trailing bytes after OPEN"));
		return (frame_open_check(o, why));
	}

	if (len < OPEN_TTY_LEN + 1)
		return (fail(why, "tty OPEN too short"));
	o->ws.rows = get16(p + 8);
	o->ws.cols = get16(p + 10);
	o->ws.xpixel = get16(p + 12);
	o->ws.ypixel = get16(p + 14);
	for (off = OPEN_TTY_LEN; p[off] != FRAME_TTYOP_END; off += 5) {
		if (p[off] > FRAME_TTYOP_LAST)
			return (fail(why, "bad tty mode opcode"));
		if (o->nmodes == FRAME_TTYMODES_MAX)
			return (fail(why, "too many tty modes"));
		/* The op, its value and at least the END byte. */
		if (len - off < 5 + 1)
			return (fail(why, "tty mode list not terminated"));
		o->modes[o->nmodes].op = p[off];
		o->modes[o->nmodes].val = get32(p + off + 1);
		o->nmodes++;
	}
	if (off + 1 != len)
		return (fail(why, "trailing bytes after tty modes"));
	return (frame_open_check(o, why));
}

/* FDS */

static int
frame_fds_check(const struct frame_fds *f, const char **why)
{
	size_t	i;

	if (f->n == 0 || f->n > FRAME_FDS_MAX)
		return (fail(why, "bad number of fds"));
	for (i = 0; i < f->n; i++) {
		if (f->chans[i] == 0)
			return (fail(why, "fd on channel 0"));
	}
	return (0);
}

int
frame_fds_encode(uint8_t *buf, size_t buflen, uint32_t chan,
    const struct frame_fds *f)
{
	uint8_t	*p;
	size_t	 i, len;

	if (frame_fds_check(f, NULL) == -1)
		return (-1);
	len = 8 + 4 * f->n;
	if ((p = frame_start(buf, buflen, chan, FRAME_FDS, len)) == NULL)
		return (-1);
	put64(p, f->pos);
	for (i = 0; i < f->n; i++)
		put32(p + 8 + 4 * i, f->chans[i]);
	return ((int)(FRAME_HDR_LEN + len));
}

int
frame_fds_decode(const uint8_t *p, size_t len, struct frame_fds *f,
    const char **why)
{
	size_t	i;

	if (len < FDS_MIN_LEN || len > FDS_MAX_LEN || (len - 8) % 4 != 0)
		return (fail(why, "bad FDS length"));
	f->pos = get64(p);
	f->n = (len - 8) / 4;
	for (i = 0; i < f->n; i++)
		f->chans[i] = get32(p + 8 + 4 * i);
	return (frame_fds_check(f, why));
}

/* EOF, CLOSE */

int
frame_eof_encode(uint8_t *buf, size_t buflen, uint32_t chan, uint8_t dir)
{
	uint8_t	*p;

	if (dir != FRAME_EOF_SEND && dir != FRAME_EOF_RECV)
		return (-1);
	if ((p = frame_start(buf, buflen, chan, FRAME_EOF, 1)) == NULL)
		return (-1);
	p[0] = dir;
	return (FRAME_HDR_LEN + 1);
}

int
frame_eof_decode(const uint8_t *p, size_t len, uint8_t *dir, const char **why)
{
	if (len != 1)
		return (fail(why, "bad EOF length"));
	if (p[0] != FRAME_EOF_SEND && p[0] != FRAME_EOF_RECV)
		return (fail(why, "unknown EOF direction"));
	*dir = p[0];
	return (0);
}

int
frame_close_encode(uint8_t *buf, size_t buflen, uint32_t chan)
{
	if (frame_start(buf, buflen, chan, FRAME_CLOSE, 0) == NULL)
		return (-1);
	return (FRAME_HDR_LEN);
}

/* WINDOW */

int
frame_window_encode(uint8_t *buf, size_t buflen, uint32_t chan,
    uint32_t credit)
{
	uint8_t	*p;

	if (credit == 0 || credit > FRAME_WINDOW_MAX)
		return (-1);
	if ((p = frame_start(buf, buflen, chan, FRAME_WINDOW, 4)) == NULL)
		return (-1);
	put32(p, credit);
	return (FRAME_HDR_LEN + 4);
}

int
frame_window_decode(const uint8_t *p, size_t len, uint32_t *credit,
    const char **why)
{
	uint32_t	c;

	if (len != 4)
		return (fail(why, "bad WINDOW length"));
	c = get32(p);
	if (c == 0 || c > FRAME_WINDOW_MAX)
		return (fail(why, "WINDOW credit out of range"));
	*credit = c;
	return (0);
}

/* ERROR */

int
frame_error_encode(uint8_t *buf, size_t buflen, uint32_t chan, uint32_t code,
    const char *text)
{
	uint8_t		*p;
	const char	*nul;
	size_t		 textlen;

	if (code == 0)
		return (-1);
	if (text == NULL)
		text = "";
	/* memchr stops at the first match, so it never reads past the NUL. */
	if ((nul = memchr(text, '\0', FRAME_ERROR_TEXT_MAX)) != NULL)
		textlen = (size_t)(nul - text);
	else
		textlen = FRAME_ERROR_TEXT_MAX;
	if ((p = frame_start(buf, buflen, chan, FRAME_ERROR,
	    4 + textlen)) == NULL)
		return (-1);
	put32(p, code);
	memcpy(p + 4, text, textlen);
	return ((int)(FRAME_HDR_LEN + 4 + textlen));
}

int
frame_error_decode(const uint8_t *p, size_t len, struct frame_error *e,
    const char **why)
{
	if (len < 4 || len > ERROR_MAX_LEN)
		return (fail(why, "bad ERROR length"));
	e->code = get32(p);
	if (e->code == 0)
		return (fail(why, "ERROR code is zero"));
	e->textlen = len - 4;
	if (memchr(p + 4, '\0', e->textlen) != NULL)
		return (fail(why, "NUL in ERROR text"));
	memcpy(e->text, p + 4, e->textlen);
	e->text[e->textlen] = '\0';
	return (0);
}

/* WINSIZE */

int
frame_winsize_encode(uint8_t *buf, size_t buflen, uint32_t chan,
    const struct frame_winsize *ws)
{
	uint8_t	*p;

	if ((p = frame_start(buf, buflen, chan, FRAME_WINSIZE, 8)) == NULL)
		return (-1);
	put16(p, ws->rows);
	put16(p + 2, ws->cols);
	put16(p + 4, ws->xpixel);
	put16(p + 6, ws->ypixel);
	return (FRAME_HDR_LEN + 8);
}

int
frame_winsize_decode(const uint8_t *p, size_t len, struct frame_winsize *ws,
    const char **why)
{
	if (len != 8)
		return (fail(why, "bad WINSIZE length"));
	ws->rows = get16(p);
	ws->cols = get16(p + 2);
	ws->xpixel = get16(p + 4);
	ws->ypixel = get16(p + 6);
	return (0);
}

/* PING, PONG */

int
frame_ping_encode(uint8_t *buf, size_t buflen, uint8_t type, uint64_t cookie)
{
	uint8_t	*p;

	if (type != FRAME_PING && type != FRAME_PONG)
		return (-1);
	if ((p = frame_start(buf, buflen, 0, type, 8)) == NULL)
		return (-1);
	put64(p, cookie);
	return (FRAME_HDR_LEN + 8);
}

int
frame_ping_decode(const uint8_t *p, size_t len, uint64_t *cookie,
    const char **why)
{
	if (len != 8)
		return (fail(why, "bad PING/PONG length"));
	*cookie = get64(p);
	return (0);
}
