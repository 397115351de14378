/*
 * Unit tests of the fd-passing frame codec (src/fdpass/frame.c): round
 * trips of every message, the header layout byte by byte, truncation at
 * every length, and every way a frame or body can be malformed.
 *
 * Inputs handed to a decoder are copied into heap buffers of exactly their
 * length, so a read past the end shows up under valgrind or ASan.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "fdpass/frame.h"

#define BUFSZ	(FRAME_HDR_LEN + FRAME_PAYLOAD_MAX)

static uint8_t	*big;		/* BUFSZ bytes, for frames of any size */

static void
setup(void)
{
	big = malloc(BUFSZ);
	ck_assert_ptr_nonnull(big);
	memset(big, 0, BUFSZ);
}

static void
teardown(void)
{
	free(big);
	big = NULL;
}

/* A heap copy of exactly n bytes (one byte allocated when n is 0). */
static uint8_t *
dup_exact(const uint8_t *src, size_t n)
{
	uint8_t	*p;

	p = malloc(n == 0 ? 1 : n);
	ck_assert_ptr_nonnull(p);
	if (n != 0)
		memcpy(p, src, n);
	return (p);
}

/* frame_decode on an exact-size copy of buf[0..n). */
static int
decode_n(const uint8_t *buf, size_t n, uint32_t max, struct frame_hdr *hdr,
    size_t *sizep, const char **why)
{
	uint8_t	*p;
	int	 rc;

	p = dup_exact(buf, n);
	rc = frame_decode(p, n, max, hdr, sizep, why);
	free(p);
	return (rc);
}

/* Decode a whole frame that must be well-formed; returns the payload. */
static const uint8_t *
decode_ok(const uint8_t *buf, int size, struct frame_hdr *hdr)
{
	size_t		 sz = 0;
	const char	*why = NULL;

	ck_assert_int_gt(size, 0);
	ck_assert_int_eq(frame_decode(buf, (size_t)size, FRAME_PAYLOAD_MAX,
	    hdr, &sz, &why), 1);
	ck_assert_uint_eq(sz, (size_t)size);
	ck_assert_uint_eq(hdr->len, (size_t)size - FRAME_HDR_LEN);
	return (buf + FRAME_HDR_LEN);
}

/* Write a raw header, valid or not. */
static void
raw_hdr(uint8_t *p, uint32_t len, uint32_t chan, uint8_t type, uint8_t flags)
{
	p[0] = (uint8_t)(len >> 24);
	p[1] = (uint8_t)(len >> 16);
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = (uint8_t)(chan >> 24);
	p[5] = (uint8_t)(chan >> 16);
	p[6] = (uint8_t)(chan >> 8);
	p[7] = (uint8_t)chan;
	p[8] = type;
	p[9] = flags;
	p[10] = 0;
	p[11] = 0;
}

/* The payload length limits PROTOCOL.md gives each type. */
static const struct {
	uint8_t		type;
	uint32_t	min, max;
	uint32_t	chan;		/* a channel the type may use */
} limits[] = {
	{ FRAME_HELLO, 76, 1024, 0 },
	{ FRAME_AUTH, 32, 32, 0 },
	{ FRAME_OPEN, 8, 657, 2 },
	{ FRAME_DATA, 0, FRAME_PAYLOAD_MAX, 2 },
	{ FRAME_FDS, 12, 1020, 2 },
	{ FRAME_EOF, 1, 1, 2 },
	{ FRAME_CLOSE, 0, 0, 2 },
	{ FRAME_WINDOW, 4, 4, 2 },
	{ FRAME_ERROR, 4, 1028, 2 },
	{ FRAME_WINSIZE, 8, 8, 2 },
	{ FRAME_PING, 8, 8, 0 },
	{ FRAME_PONG, 8, 8, 0 },
};
#define NLIMITS	(sizeof(limits) / sizeof(limits[0]))

/* Run the body decoder of hdr's type; returns its result. */
static int
decode_body(const struct frame_hdr *hdr, const uint8_t *p, const char **why)
{
	struct frame_hello	h;
	struct frame_open	o;
	struct frame_fds	f;
	struct frame_error	e;
	struct frame_winsize	ws;
	uint8_t			mac[FRAME_MAC_LEN], dir;
	uint32_t		credit;
	uint64_t		cookie;

	switch (hdr->type) {
	case FRAME_HELLO:
		return (frame_hello_decode(p, hdr->len, &h, why));
	case FRAME_AUTH:
		return (frame_auth_decode(p, hdr->len, mac, why));
	case FRAME_OPEN:
		return (frame_open_decode(p, hdr->len, &o, why));
	case FRAME_FDS:
		return (frame_fds_decode(p, hdr->len, &f, why));
	case FRAME_EOF:
		return (frame_eof_decode(p, hdr->len, &dir, why));
	case FRAME_WINDOW:
		return (frame_window_decode(p, hdr->len, &credit, why));
	case FRAME_ERROR:
		return (frame_error_decode(p, hdr->len, &e, why));
	case FRAME_WINSIZE:
		return (frame_winsize_decode(p, hdr->len, &ws, why));
	case FRAME_PING:
	case FRAME_PONG:
		return (frame_ping_decode(p, hdr->len, &cookie, why));
	default:		/* DATA and CLOSE have nothing to check */
		return (0);
	}
}

static void
hello_sample(struct frame_hello *h)
{
	size_t	i;

	frame_hello_init(h, FRAME_ROLE_NEAR);
	h->caps = FRAME_CAP_TTY | FRAME_CAP_SEQPACKET | 0x80000000u;
	h->auth = FRAME_AUTHREQ_HMAC;
	for (i = 0; i < FRAME_NONCE_LEN; i++)
		h->nonce[i] = (uint8_t)(0xa0 + i);
}

static void
tty_sample(struct frame_open *o, size_t nmodes)
{
	size_t	i;

	memset(o, 0, sizeof(*o));
	o->session = 2;
	o->kind = FRAME_KIND_TTY;
	o->access = FRAME_ACCESS_RDWR;
	o->ws.rows = 50;
	o->ws.cols = 132;
	o->ws.xpixel = 1056;
	o->ws.ypixel = 800;
	o->nmodes = nmodes;
	for (i = 0; i < nmodes; i++) {
		o->modes[i].op = (uint8_t)(1 + i % FRAME_TTYOP_LAST);
		o->modes[i].val = 0x01020300u + (uint32_t)i;
	}
}

/*
 * One valid frame of every type (and a few variants) into buf; returns
 * its size.  n counts from 0; returns 0 past the last sample.
 */
static int
sample(int n, uint8_t *buf, size_t buflen)
{
	struct frame_hello	h;
	struct frame_open	o;
	struct frame_fds	f;
	struct frame_winsize	ws = { 24, 80, 0, 0 };
	uint8_t			mac[FRAME_MAC_LEN];

	memset(mac, 0x5a, sizeof(mac));
	memset(&o, 0, sizeof(o));
	memset(&f, 0, sizeof(f));
	switch (n) {
	case 0:
		hello_sample(&h);
		return (frame_hello_encode(buf, buflen, &h));
	case 1:
		return (frame_auth_encode(buf, buflen, mac));
	case 2:
		o.kind = FRAME_KIND_STREAM;
		o.access = FRAME_ACCESS_RDWR;
		return (frame_open_encode(buf, buflen, 2, &o));
	case 3:
		tty_sample(&o, 3);
		return (frame_open_encode(buf, buflen, 4, &o));
	case 4:
		return (frame_encode(buf, buflen, 2, FRAME_DATA, 0, "hello", 5));
	case 5:
		return (frame_encode(buf, buflen, 3, FRAME_DATA, FRAME_F_MORE,
		    "frag", 4));
	case 6:
		return (frame_encode(buf, buflen, 3, FRAME_DATA, 0, NULL, 0));
	case 7:
		f.pos = 4;
		f.n = 3;
		f.chans[0] = 6;
		f.chans[1] = 6;
		f.chans[2] = 8;
		return (frame_fds_encode(buf, buflen, 2, &f));
	case 8:
		return (frame_eof_encode(buf, buflen, 2, FRAME_EOF_SEND));
	case 9:
		return (frame_close_encode(buf, buflen, 2));
	case 10:
		return (frame_window_encode(buf, buflen, 2, 65536));
	case 11:
		return (frame_error_encode(buf, buflen, 0, FRAME_ERR_VERSION,
		    "no common version"));
	case 12:
		return (frame_winsize_encode(buf, buflen, 4, &ws));
	case 13:
		return (frame_ping_encode(buf, buflen, FRAME_PING, 42));
	case 14:
		return (frame_ping_encode(buf, buflen, FRAME_PONG, 42));
	default:
		return (0);
	}
}
#define NSAMPLES	15

/*
 * Header.
 */

START_TEST(test_hdr_layout)
{
	uint8_t			buf[FRAME_HDR_LEN];
	const uint8_t		want[FRAME_HDR_LEN] = {
		0x00, 0x0a, 0x0b, 0x0c,	0x01, 0x02, 0x03, 0x04,
		FRAME_DATA, FRAME_F_MORE, 0x00, 0x00
	};
	struct frame_hdr	hdr;
	size_t			sz;

	ck_assert_int_eq(frame_encode_hdr(buf, sizeof(buf), 0x01020304,
	    FRAME_DATA, FRAME_F_MORE, 0x0a0b0c), FRAME_HDR_LEN);
	ck_assert_mem_eq(buf, want, FRAME_HDR_LEN);
	/* The header alone is not the frame: the payload is still due. */
	ck_assert_int_eq(frame_decode(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
	    &hdr, &sz, NULL), 0);
	ck_assert_uint_eq(sz, FRAME_HDR_LEN + 0x0a0b0c);
}
END_TEST

START_TEST(test_every_sample_roundtrips)
{
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	const char		*why = NULL;
	uint8_t			 buf[2048], again[2048];
	int			 size, i;

	for (i = 0; i < NSAMPLES; i++) {
		size = sample(i, buf, sizeof(buf));
		p = decode_ok(buf, size, &hdr);
		ck_assert_msg(decode_body(&hdr, p, &why) == 0,
		    "sample %d: %s", i, why);
		/* Encoding is deterministic. */
		ck_assert_int_eq(sample(i, again, sizeof(again)), size);
		ck_assert_mem_eq(buf, again, (size_t)size);
	}
	ck_assert_int_eq(sample(NSAMPLES, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(test_stream_of_frames)
{
	struct frame_hdr	hdr;
	uint8_t			buf[8192], one[2048];
	size_t			off = 0, used, sz;
	int			i, size;

	for (i = 0; i < NSAMPLES; i++) {
		size = sample(i, buf + off, sizeof(buf) - off);
		ck_assert_int_gt(size, 0);
		off += (size_t)size;
	}
	/* Each frame is found in turn; nothing of the next is consumed. */
	for (i = 0, used = 0; i < NSAMPLES; i++) {
		ck_assert_int_eq(frame_decode(buf + used, off - used,
		    FRAME_PAYLOAD_MAX, &hdr, &sz, NULL), 1);
		size = sample(i, one, sizeof(one));
		ck_assert_uint_eq(sz, (size_t)size);
		ck_assert_mem_eq(buf + used, one, sz);
		used += sz;
	}
	ck_assert_uint_eq(used, off);
}
END_TEST

START_TEST(test_truncated_every_length)
{
	struct frame_hdr	hdr;
	uint8_t			buf[2048];
	size_t			k, sz;
	int			size;

	size = sample(_i, buf, sizeof(buf));
	ck_assert_int_gt(size, 0);
	for (k = 0; k < (size_t)size; k++) {
		sz = 0;
		ck_assert_msg(decode_n(buf, k, FRAME_PAYLOAD_MAX, &hdr, &sz,
		    NULL) == 0, "sample %d cut at %zu", _i, k);
		if (k < FRAME_HDR_LEN)
			ck_assert_uint_eq(sz, FRAME_HDR_LEN);
		else
			ck_assert_uint_eq(sz, (size_t)size);
		ck_assert_uint_gt(sz, k);
	}
	ck_assert_int_eq(decode_n(buf, (size_t)size, FRAME_PAYLOAD_MAX, &hdr,
	    &sz, NULL), 1);
}
END_TEST

START_TEST(test_truncated_bodies)
{
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[2048], *cut;
	size_t			 k, upto;
	int			 size;

	/*
	 * A body decoder given fewer bytes than its message fails (an ERROR
	 * text may end anywhere, an FDS list after any id; DATA and CLOSE
	 * have no body to check).
	 */
	size = sample(_i, buf, sizeof(buf));
	p = decode_ok(buf, size, &hdr);
	if (hdr.type == FRAME_DATA || hdr.type == FRAME_CLOSE)
		return;
	upto = hdr.type == FRAME_ERROR ? 4 : hdr.type == FRAME_FDS ? 12 :
	    hdr.len;
	for (k = 0; k < upto; k++) {
		struct frame_hdr	short_hdr = hdr;
		const char		*why = NULL;

		short_hdr.len = (uint32_t)k;
		cut = dup_exact(p, k);
		ck_assert_msg(decode_body(&short_hdr, cut, &why) == -1,
		    "%s body cut at %zu", frame_type_name(hdr.type), k);
		ck_assert_ptr_nonnull(why);
		free(cut);
	}
}
END_TEST

START_TEST(test_oversized_length)
{
	struct frame_hdr	 hdr;
	uint8_t			 buf[FRAME_HDR_LEN];
	const char		*why = NULL;
	size_t			 sz;

	/* Rejected from the 4 length bytes alone, before the rest. */
	raw_hdr(buf, 4097, 2, FRAME_DATA, 0);
	ck_assert_int_eq(decode_n(buf, 4, 4096, &hdr, &sz, &why), -1);
	ck_assert_str_eq(why, "frame longer than the limit");
	ck_assert_int_eq(decode_n(buf, 3, 4096, &hdr, &sz, NULL), 0);
	ck_assert_int_eq(decode_n(buf, FRAME_HDR_LEN, 4096, &hdr, &sz,
	    NULL), -1);

	raw_hdr(buf, 0xffffffffu, 2, FRAME_DATA, 0);
	ck_assert_int_eq(decode_n(buf, 4, UINT32_MAX, &hdr, &sz, NULL), -1);

	/* The caller's limit never lifts the hard one. */
	raw_hdr(buf, FRAME_PAYLOAD_MAX + 1, 2, FRAME_DATA, 0);
	ck_assert_int_eq(decode_n(buf, FRAME_HDR_LEN, UINT32_MAX, &hdr, &sz,
	    NULL), -1);
	ck_assert_int_eq(frame_encode_hdr(buf, sizeof(buf), 2, FRAME_DATA, 0,
	    FRAME_PAYLOAD_MAX + 1), -1);

	/* Before the handshake, only a short HELLO gets through. */
	raw_hdr(buf, FRAME_HELLO_LIMIT + 1, 0, FRAME_HELLO, 0);
	ck_assert_int_eq(decode_n(buf, FRAME_HDR_LEN, FRAME_HELLO_LIMIT, &hdr,
	    &sz, NULL), -1);
	ck_assert_int_eq(decode_n(buf, FRAME_HDR_LEN, FRAME_PAYLOAD_MAX, &hdr,
	    &sz, NULL), -1);
	/* Noise on a stdio hop ("Welcome...") fails at once. */
	ck_assert_int_eq(decode_n((const uint8_t *)"Welcome", 7,
	    FRAME_HELLO_LIMIT, &hdr, &sz, NULL), -1);

	/* Exactly the limit is fine. */
	raw_hdr(big, 4096, 2, FRAME_DATA, 0);
	ck_assert_int_eq(frame_decode(big, FRAME_HDR_LEN + 4096, 4096, &hdr,
	    &sz, NULL), 1);
}
END_TEST

START_TEST(test_max_data_frame)
{
	struct frame_hdr	hdr;
	size_t			sz;
	int			size;

	memset(big + FRAME_HDR_LEN, 0x77, FRAME_PAYLOAD_MAX);
	size = frame_encode(big, BUFSZ, 2, FRAME_DATA, 0, big + FRAME_HDR_LEN,
	    FRAME_PAYLOAD_MAX);
	ck_assert_int_eq(size, BUFSZ);
	ck_assert_int_eq(frame_decode(big, BUFSZ, FRAME_PAYLOAD_MAX, &hdr, &sz,
	    NULL), 1);
	ck_assert_uint_eq(hdr.len, FRAME_PAYLOAD_MAX);
	ck_assert_int_eq(frame_decode(big, BUFSZ - 1, FRAME_PAYLOAD_MAX, &hdr,
	    &sz, NULL), 0);
	ck_assert_uint_eq(sz, BUFSZ);
	/* A peer that announced less gets a too-long frame rejected. */
	ck_assert_int_eq(frame_decode(big, BUFSZ, 65536, &hdr, &sz, NULL), -1);
	ck_assert_int_eq(frame_encode(big, BUFSZ - 1, 2, FRAME_DATA, 0,
	    big + FRAME_HDR_LEN, FRAME_PAYLOAD_MAX), -1);
	ck_assert_int_eq(frame_encode(big, SIZE_MAX, 2, FRAME_DATA, 0,
	    big + FRAME_HDR_LEN, FRAME_PAYLOAD_MAX + 1), -1);
}
END_TEST

START_TEST(test_unknown_type)
{
	const uint8_t		 bad[] = { 0, FRAME_TYPE_LAST + 1, 100, 255 };
	struct frame_hdr	 hdr;
	uint8_t			 buf[FRAME_HDR_LEN];
	const char		*why;
	size_t			 i, sz;

	for (i = 0; i < sizeof(bad); i++) {
		raw_hdr(buf, 0, 0, bad[i], 0);
		why = NULL;
		ck_assert_int_eq(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
		    &hdr, &sz, &why), -1);
		ck_assert_str_eq(why, "unknown frame type");
		raw_hdr(buf, 0, 7, bad[i], 0);
		ck_assert_int_eq(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
		    &hdr, &sz, NULL), -1);
		ck_assert_int_eq(frame_encode_hdr(buf, sizeof(buf), 7, bad[i],
		    0, 0), -1);
		ck_assert_str_eq(frame_type_name(bad[i]), "unknown");
	}
}
END_TEST

START_TEST(test_reserved_flags)
{
	struct frame_hdr	hdr;
	uint8_t			buf[FRAME_HDR_LEN + 2048];
	size_t			i, sz;
	int			bit, want;

	for (i = 0; i < NLIMITS; i++) {
		for (bit = 0; bit < 8; bit++) {
			uint8_t	flag = (uint8_t)(1 << bit);
			uint32_t len = limits[i].min ? limits[i].min : 1;

			if (limits[i].type == FRAME_CLOSE)
				len = 0;
			want = limits[i].type == FRAME_DATA &&
			    flag == FRAME_F_MORE ? 0 : -1;
			raw_hdr(buf, len, limits[i].chan, limits[i].type,
			    flag);
			/* A header alone: 0 means it passed the checks. */
			ck_assert_msg(decode_n(buf, FRAME_HDR_LEN, 65536, &hdr,
			    &sz, NULL) == want, "%s flag %#x",
			    frame_type_name(limits[i].type), flag);
			ck_assert_int_eq(frame_encode_hdr(buf, sizeof(buf),
			    limits[i].chan, limits[i].type, flag, len),
			    want == 0 ? FRAME_HDR_LEN : -1);
		}
	}
}
END_TEST

START_TEST(test_reserved_hdr_bits)
{
	struct frame_hdr	 hdr;
	uint8_t			 buf[FRAME_HDR_LEN];
	const char		*why = NULL;
	size_t			 sz;
	int			 byte, bit;

	for (byte = 10; byte < 12; byte++) {
		for (bit = 0; bit < 8; bit++) {
			raw_hdr(buf, 0, 2, FRAME_CLOSE, 0);
			buf[byte] = (uint8_t)(1 << bit);
			ck_assert_int_eq(decode_n(buf, sizeof(buf),
			    FRAME_PAYLOAD_MAX, &hdr, &sz, &why), -1);
			ck_assert_str_eq(why, "reserved header bits set");
		}
	}
}
END_TEST

START_TEST(test_zero_length)
{
	struct frame_hdr	hdr;
	uint8_t			buf[FRAME_HDR_LEN];
	size_t			i, sz;
	int			want;

	for (i = 0; i < NLIMITS; i++) {
		want = limits[i].min == 0 ? 1 : -1;
		raw_hdr(buf, 0, limits[i].chan, limits[i].type, 0);
		ck_assert_msg(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
		    &hdr, &sz, NULL) == want, "%s",
		    frame_type_name(limits[i].type));
	}
	/* Only DATA and CLOSE may be empty, and an empty DATA is a record,
	 * never a fragment. */
	raw_hdr(buf, 0, 3, FRAME_DATA, 0);
	ck_assert_int_eq(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX, &hdr,
	    &sz, NULL), 1);
	ck_assert_uint_eq(sz, FRAME_HDR_LEN);
	raw_hdr(buf, 0, 3, FRAME_DATA, FRAME_F_MORE);
	ck_assert_int_eq(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX, &hdr,
	    &sz, NULL), -1);
	ck_assert_int_eq(frame_encode(buf, sizeof(buf), 3, FRAME_DATA,
	    FRAME_F_MORE, NULL, 0), -1);
}
END_TEST

START_TEST(test_length_bounds)
{
	struct frame_hdr	hdr;
	uint8_t			buf[FRAME_HDR_LEN];
	size_t			i, sz;

	for (i = 0; i < NLIMITS; i++) {
		uint8_t		type = limits[i].type;
		uint32_t	chan = limits[i].chan;

		raw_hdr(buf, limits[i].min, chan, type, 0);
		ck_assert_msg(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
		    &hdr, &sz, NULL) >= 0, "%s min", frame_type_name(type));
		raw_hdr(buf, limits[i].max, chan, type, 0);
		ck_assert_msg(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
		    &hdr, &sz, NULL) >= 0, "%s max", frame_type_name(type));
		if (limits[i].min > 0) {
			raw_hdr(buf, limits[i].min - 1, chan, type, 0);
			ck_assert_msg(decode_n(buf, sizeof(buf),
			    FRAME_PAYLOAD_MAX, &hdr, &sz, NULL) == -1,
			    "%s min-1", frame_type_name(type));
			ck_assert_int_eq(frame_encode_hdr(buf, sizeof(buf),
			    chan, type, 0, limits[i].min - 1), -1);
		}
		raw_hdr(buf, limits[i].max + 1, chan, type, 0);
		ck_assert_msg(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
		    &hdr, &sz, NULL) == -1, "%s max+1", frame_type_name(type));
		ck_assert_int_eq(frame_encode_hdr(buf, sizeof(buf), chan, type,
		    0, limits[i].max + 1), -1);
		/* Control messages all fit the smallest max_frame. */
		if (type != FRAME_DATA)
			ck_assert_uint_le(limits[i].max, FRAME_PAYLOAD_MIN);
	}
}
END_TEST

START_TEST(test_channel_rules)
{
	struct frame_hdr	 hdr;
	uint8_t			 buf[FRAME_HDR_LEN];
	const char		*why;
	size_t			 i, sz;

	for (i = 0; i < NLIMITS; i++) {
		uint8_t		type = limits[i].type;
		int		hop = limits[i].chan == 0;

		if (type == FRAME_ERROR)
			continue;
		/* Hop messages never on a channel, and the reverse. */
		why = NULL;
		raw_hdr(buf, limits[i].min, hop ? 1 : 0, type, 0);
		ck_assert_msg(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
		    &hdr, &sz, &why) == -1, "%s", frame_type_name(type));
		ck_assert_str_eq(why, hop ? "hop message on a channel" :
		    "channel message on channel 0");
		ck_assert_int_eq(frame_encode_hdr(buf, sizeof(buf),
		    hop ? 0xffffffffu : 0, type, 0, limits[i].min), -1);
		if (hop)
			continue;
		/* Any non-zero channel id, up to the largest, is fine. */
		raw_hdr(buf, limits[i].min, 0xffffffffu, type, 0);
		ck_assert_int_ge(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
		    &hdr, &sz, NULL), 0);
		raw_hdr(buf, limits[i].min, 1, type, 0);
		ck_assert_int_ge(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
		    &hdr, &sz, NULL), 0);
	}
	/* ERROR goes on both: channel 0 for the hop, else a session. */
	raw_hdr(buf, 4, 0, FRAME_ERROR, 0);
	ck_assert_int_eq(decode_n(buf, sizeof(buf), FRAME_PAYLOAD_MAX, &hdr,
	    &sz, NULL), 0);

	ck_assert_int_eq(frame_chan_role(0), 0);
	ck_assert_int_eq(frame_chan_role(1), FRAME_ROLE_FAR);
	ck_assert_int_eq(frame_chan_role(2), FRAME_ROLE_NEAR);
	ck_assert_int_eq(frame_chan_role(0xfffffffeu), FRAME_ROLE_NEAR);
	ck_assert_int_eq(frame_chan_role(0xffffffffu), FRAME_ROLE_FAR);
}
END_TEST

START_TEST(test_hdr_fields_roundtrip)
{
	const uint32_t		 chans[] = { 1, 2, 0x7fffffff, 0x80000000u,
				     0xfffffffeu, 0xffffffffu };
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[64];
	size_t			 i;
	int			 size;

	for (i = 0; i < sizeof(chans) / sizeof(chans[0]); i++) {
		size = frame_encode(buf, sizeof(buf), chans[i], FRAME_DATA,
		    FRAME_F_MORE, "abc", 3);
		ck_assert_int_eq(size, FRAME_HDR_LEN + 3);
		p = decode_ok(buf, size, &hdr);
		ck_assert_uint_eq(hdr.chan, chans[i]);
		ck_assert_uint_eq(hdr.type, FRAME_DATA);
		ck_assert_uint_eq(hdr.flags, FRAME_F_MORE);
		ck_assert_mem_eq(p, "abc", 3);
	}
}
END_TEST

/*
 * HELLO and AUTH.
 */

START_TEST(test_hello_roundtrip)
{
	struct frame_hello	 h, d;
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[256];
	int			 size;

	hello_sample(&h);
	size = frame_hello_encode(buf, sizeof(buf), &h);
	ck_assert_int_eq(size, FRAME_HDR_LEN + FRAME_HELLO_LEN);
	p = decode_ok(buf, size, &hdr);
	ck_assert_uint_eq(hdr.type, FRAME_HELLO);
	ck_assert_uint_eq(hdr.chan, 0);
	ck_assert_mem_eq(p, "\x89" "FERRY\r\n", 8);
	/* Also a valid first frame before the handshake. */
	ck_assert_int_eq(frame_decode(buf, (size_t)size, FRAME_HELLO_LIMIT,
	    &hdr, NULL, NULL), 1);

	memset(&d, 0xee, sizeof(d));
	ck_assert_int_eq(frame_hello_decode(p, hdr.len, &d, NULL), 0);
	ck_assert_uint_eq(d.vmin, FRAME_VERSION);
	ck_assert_uint_eq(d.vmax, FRAME_VERSION);
	ck_assert_uint_eq(d.role, FRAME_ROLE_NEAR);
	ck_assert_uint_eq(d.auth, FRAME_AUTHREQ_HMAC);
	ck_assert_uint_eq(d.caps, h.caps);	/* unknown bits kept */
	ck_assert_uint_eq(d.max_frame, FRAME_DEFAULT_MAX_FRAME);
	ck_assert_uint_eq(d.max_sessions, FRAME_DEFAULT_MAX_SESSIONS);
	ck_assert_uint_eq(d.max_channels, FRAME_DEFAULT_MAX_CHANNELS);
	ck_assert_uint_eq(d.window, FRAME_DEFAULT_WINDOW);
	ck_assert_uint_eq(d.max_record, FRAME_DEFAULT_MAX_RECORD);
	ck_assert_uint_eq(d.max_fds, FRAME_DEFAULT_MAX_FDS);
	ck_assert_mem_eq(d.nonce, h.nonce, FRAME_NONCE_LEN);

	/* A far peer accepting no sessions is allowed to say so. */
	frame_hello_init(&h, FRAME_ROLE_FAR);
	h.max_sessions = 0;
	h.vmax = 7;
	size = frame_hello_encode(buf, sizeof(buf), &h);
	p = decode_ok(buf, size, &hdr);
	ck_assert_int_eq(frame_hello_decode(p, hdr.len, &d, NULL), 0);
	ck_assert_uint_eq(d.role, FRAME_ROLE_FAR);
	ck_assert_uint_eq(d.max_sessions, 0);
	ck_assert_uint_eq(d.vmax, 7);
}
END_TEST

START_TEST(test_hello_trailer)
{
	struct frame_hello	 h, d;
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[FRAME_HDR_LEN + FRAME_HELLO_LIMIT + 1];
	const size_t		 extras[] = { 1, 4, 100,
				     FRAME_HELLO_LIMIT - FRAME_HELLO_LEN };
	size_t			 i, extra;
	int			 size;

	/* Later versions append fields; version 1 ignores them. */
	hello_sample(&h);
	ck_assert_int_gt(frame_hello_encode(buf, sizeof(buf), &h), 0);
	for (i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
		extra = extras[i];
		size = (int)(FRAME_HDR_LEN + FRAME_HELLO_LEN + extra);
		raw_hdr(buf, (uint32_t)(FRAME_HELLO_LEN + extra), 0,
		    FRAME_HELLO, 0);
		memset(buf + FRAME_HDR_LEN + FRAME_HELLO_LEN, 0xcc, extra);
		p = decode_ok(buf, size, &hdr);
		ck_assert_int_eq(frame_hello_decode(p, hdr.len, &d, NULL), 0);
		ck_assert_uint_eq(d.max_frame, h.max_frame);
		ck_assert_mem_eq(d.nonce, h.nonce, FRAME_NONCE_LEN);
	}
	/* But not past the limit. */
	raw_hdr(buf, FRAME_HELLO_LIMIT + 1, 0, FRAME_HELLO, 0);
	ck_assert_int_eq(frame_decode(buf, sizeof(buf), FRAME_PAYLOAD_MAX,
	    &hdr, NULL, NULL), -1);
}
END_TEST

START_TEST(test_hello_bad_magic)
{
	struct frame_hello	 h, d;
	uint8_t			 buf[256], *body;
	const char		*why;
	int			 i, bit;

	hello_sample(&h);
	ck_assert_int_gt(frame_hello_encode(buf, sizeof(buf), &h), 0);
	body = buf + FRAME_HDR_LEN;
	for (i = 0; i < FRAME_MAGIC_LEN; i++) {
		for (bit = 0; bit < 8; bit++) {
			body[i] ^= (uint8_t)(1 << bit);
			why = NULL;
			ck_assert_int_eq(frame_hello_decode(body,
			    FRAME_HELLO_LEN, &d, &why), -1);
			ck_assert_str_eq(why, "bad magic: not a ferry peer");
			body[i] ^= (uint8_t)(1 << bit);
		}
	}
	/* What a tty in the path or a 7-bit channel would make of it. */
	memcpy(body, "\x89" "FERRY\r\r", 8);
	ck_assert_int_eq(frame_hello_decode(body, FRAME_HELLO_LEN, &d, NULL),
	    -1);
	memcpy(body, "\x09" "FERRY\r\n", 8);
	ck_assert_int_eq(frame_hello_decode(body, FRAME_HELLO_LEN, &d, NULL),
	    -1);
	memcpy(body, FRAME_MAGIC, 8);
	ck_assert_int_eq(frame_hello_decode(body, FRAME_HELLO_LEN, &d, NULL),
	    0);
}
END_TEST

/* Offsets in the HELLO body, and a bad value for each. */
static const struct {
	size_t		off;
	int		width;		/* 1, 2 or 4 bytes */
	uint32_t	val;
	const char	*why;
} hello_bad[] = {
	{ 8, 2, 0, "bad version range" },		/* vmin 0 */
	{ 8, 2, 2, "bad version range" },		/* vmin > vmax */
	{ 12, 1, 0, "unknown role" },
	{ 12, 1, 3, "unknown role" },
	{ 13, 1, 2, "unknown authentication method" },
	{ 14, 2, 1, "reserved HELLO bits set" },
	{ 14, 2, 0x8000, "reserved HELLO bits set" },
	{ 20, 4, FRAME_PAYLOAD_MIN - 1, "max_frame out of range" },
	{ 20, 4, FRAME_PAYLOAD_MAX + 1, "max_frame out of range" },
	{ 20, 4, 0, "max_frame out of range" },
	{ 28, 4, 0, "max_channels is zero" },
	{ 32, 4, FRAME_DEFAULT_MAX_RECORD - 1, "window out of range" },
	{ 32, 4, FRAME_WINDOW_MAX + 1u, "window out of range" },
	{ 36, 4, 0, "max_record out of range" },
	{ 36, 4, FRAME_RECORD_MAX + 1, "max_record out of range" },
	{ 40, 4, 0, "max_fds out of range" },
	{ 40, 4, FRAME_FDS_MAX + 1, "max_fds out of range" },
};

START_TEST(test_hello_bad_fields)
{
	struct frame_hello	 h, d;
	uint8_t			 buf[256], *body, *copy;
	const char		*why = NULL;
	size_t			 off = hello_bad[_i].off;
	uint32_t		 v = hello_bad[_i].val;

	hello_sample(&h);
	ck_assert_int_gt(frame_hello_encode(buf, sizeof(buf), &h), 0);
	body = buf + FRAME_HDR_LEN;
	switch (hello_bad[_i].width) {
	case 4:
		body[off++] = (uint8_t)(v >> 24);
		body[off++] = (uint8_t)(v >> 16);
		/* FALLTHROUGH */
	case 2:
		body[off++] = (uint8_t)(v >> 8);
		/* FALLTHROUGH */
	default:
		body[off] = (uint8_t)v;
	}
	copy = dup_exact(body, FRAME_HELLO_LEN);
	ck_assert_int_eq(frame_hello_decode(copy, FRAME_HELLO_LEN, &d, &why),
	    -1);
	ck_assert_str_eq(why, hello_bad[_i].why);
	free(copy);
}
END_TEST

START_TEST(test_hello_encode_invalid)
{
	struct frame_hello	h;
	uint8_t			buf[256];

	hello_sample(&h);
	h.vmin = 0;
	ck_assert_int_eq(frame_hello_encode(buf, sizeof(buf), &h), -1);
	hello_sample(&h);
	h.role = 0;
	ck_assert_int_eq(frame_hello_encode(buf, sizeof(buf), &h), -1);
	hello_sample(&h);
	h.window = h.max_record - 1;
	ck_assert_int_eq(frame_hello_encode(buf, sizeof(buf), &h), -1);
	hello_sample(&h);
	h.max_fds = 0;
	ck_assert_int_eq(frame_hello_encode(buf, sizeof(buf), &h), -1);
	hello_sample(&h);
	ck_assert_int_eq(frame_hello_encode(buf,
	    FRAME_HDR_LEN + FRAME_HELLO_LEN - 1, &h), -1);
}
END_TEST

START_TEST(test_version_negotiate)
{
	static const struct {
		uint16_t	lmin, lmax, pmin, pmax;
		int		rc;
		uint16_t	version;
	} cases[] = {
		{ 1, 1, 1, 1, 0, 1 },
		{ 1, 1, 1, 5, 0, 1 },		/* newer peer steps down */
		{ 1, 3, 1, 1, 0, 1 },
		{ 1, 3, 2, 5, 0, 3 },
		{ 2, 4, 1, 3, 0, 3 },
		{ 1, 1, 2, 2, -1, 0 },		/* peer too new */
		{ 2, 3, 1, 1, -1, 0 },		/* peer too old */
		{ 4, 9, 1, 3, -1, 0 },
	};
	struct frame_hello	 l, p;
	const char		*why;
	uint16_t		 v;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		frame_hello_init(&l, FRAME_ROLE_NEAR);
		frame_hello_init(&p, FRAME_ROLE_FAR);
		l.vmin = cases[i].lmin;
		l.vmax = cases[i].lmax;
		p.vmin = cases[i].pmin;
		p.vmax = cases[i].pmax;
		v = 0;
		why = NULL;
		ck_assert_int_eq(frame_hello_negotiate(&l, &p, &v, &why),
		    cases[i].rc);
		if (cases[i].rc == 0)
			ck_assert_uint_eq(v, cases[i].version);
		else
			ck_assert_str_eq(why, "no common protocol version");
		/* It is symmetric. */
		ck_assert_int_eq(frame_hello_negotiate(&p, &l, &v, NULL),
		    cases[i].rc);
	}

	frame_hello_init(&l, FRAME_ROLE_NEAR);
	frame_hello_init(&p, FRAME_ROLE_NEAR);
	ck_assert_int_eq(frame_hello_negotiate(&l, &p, &v, &why), -1);
	ck_assert_str_eq(why, "both peers have the same role");
	l.role = p.role = FRAME_ROLE_FAR;
	ck_assert_int_eq(frame_hello_negotiate(&l, &p, &v, NULL), -1);
}
END_TEST

START_TEST(test_auth_roundtrip)
{
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[64], mac[FRAME_MAC_LEN], got[FRAME_MAC_LEN];
	size_t			 i;
	int			 size;

	for (i = 0; i < FRAME_MAC_LEN; i++)
		mac[i] = (uint8_t)(i * 7);
	size = frame_auth_encode(buf, sizeof(buf), mac);
	ck_assert_int_eq(size, FRAME_HDR_LEN + FRAME_MAC_LEN);
	p = decode_ok(buf, size, &hdr);
	ck_assert_uint_eq(hdr.type, FRAME_AUTH);
	ck_assert_uint_eq(hdr.chan, 0);
	ck_assert_int_eq(frame_auth_decode(p, hdr.len, got, NULL), 0);
	ck_assert_mem_eq(got, mac, FRAME_MAC_LEN);
	ck_assert_int_eq(frame_auth_decode(p, FRAME_MAC_LEN + 1, got, NULL),
	    -1);
}
END_TEST

/*
 * OPEN.
 */

static void
open_roundtrip(uint32_t chan, const struct frame_open *o)
{
	struct frame_open	 d;
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[2048];
	const char		*why = NULL;
	size_t			 i;
	int			 size;

	size = frame_open_encode(buf, sizeof(buf), chan, o);
	ck_assert_int_gt(size, 0);
	p = decode_ok(buf, size, &hdr);
	ck_assert_uint_eq(hdr.type, FRAME_OPEN);
	ck_assert_uint_eq(hdr.chan, chan);
	memset(&d, 0xee, sizeof(d));
	ck_assert_msg(frame_open_decode(p, hdr.len, &d, &why) == 0, "%s", why);
	ck_assert_uint_eq(d.session, o->session);
	ck_assert_uint_eq(d.kind, o->kind);
	ck_assert_uint_eq(d.access, o->access);
	if (o->kind != FRAME_KIND_TTY) {
		ck_assert_uint_eq(hdr.len, 8);
		ck_assert_uint_eq(d.nmodes, 0);
		ck_assert_uint_eq(d.ws.rows, 0);
		return;
	}
	ck_assert_uint_eq(hdr.len, 16 + 5 * o->nmodes + 1);
	ck_assert_uint_eq(d.ws.rows, o->ws.rows);
	ck_assert_uint_eq(d.ws.cols, o->ws.cols);
	ck_assert_uint_eq(d.ws.xpixel, o->ws.xpixel);
	ck_assert_uint_eq(d.ws.ypixel, o->ws.ypixel);
	ck_assert_uint_eq(d.nmodes, o->nmodes);
	for (i = 0; i < o->nmodes; i++) {
		ck_assert_uint_eq(d.modes[i].op, o->modes[i].op);
		ck_assert_uint_eq(d.modes[i].val, o->modes[i].val);
	}
}

START_TEST(test_open_roundtrip)
{
	static const struct {
		uint8_t	kind, access;
	} ok[] = {
		{ FRAME_KIND_STREAM, FRAME_ACCESS_RDWR },
		{ FRAME_KIND_SEQPACKET, FRAME_ACCESS_RDWR },
		{ FRAME_KIND_DGRAM, FRAME_ACCESS_RDWR },
		{ FRAME_KIND_PIPE_READ, FRAME_ACCESS_RD },
		{ FRAME_KIND_PIPE_WRITE, FRAME_ACCESS_WR },
		{ FRAME_KIND_DEVNULL, FRAME_ACCESS_RD },
		{ FRAME_KIND_DEVNULL, FRAME_ACCESS_WR },
		{ FRAME_KIND_DEVNULL, FRAME_ACCESS_RDWR },
	};
	struct frame_open	o;
	size_t			i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(&o, 0, sizeof(o));
		o.session = 0x12345678;
		o.kind = ok[i].kind;
		o.access = ok[i].access;
		/* Non-tty kinds carry no tty fields, whatever is set. */
		o.ws.rows = 99;
		o.nmodes = 3;
		open_roundtrip(0xfffffffeu, &o);
	}
	/* A new session: its control channel is a stream or seqpacket. */
	memset(&o, 0, sizeof(o));
	o.kind = FRAME_KIND_STREAM;
	o.access = FRAME_ACCESS_RDWR;
	open_roundtrip(2, &o);
	o.kind = FRAME_KIND_SEQPACKET;
	open_roundtrip(4, &o);

	tty_sample(&o, 0);
	open_roundtrip(6, &o);
	tty_sample(&o, 1);
	o.access = FRAME_ACCESS_WR;
	open_roundtrip(7, &o);
	tty_sample(&o, FRAME_TTYMODES_MAX);
	o.access = FRAME_ACCESS_RD;
	open_roundtrip(8, &o);
	/* The highest opcode, and repeats (the last one wins). */
	tty_sample(&o, 3);
	o.modes[0].op = FRAME_TTYOP_LAST;
	o.modes[1].op = 53;
	o.modes[2].op = 53;
	open_roundtrip(10, &o);
}
END_TEST

START_TEST(test_open_encode_invalid)
{
	struct frame_open	o;
	uint8_t			buf[2048];

	memset(&o, 0, sizeof(o));
	o.session = 2;
	o.access = FRAME_ACCESS_RDWR;
	o.kind = 0;
	ck_assert_int_eq(frame_open_encode(buf, sizeof(buf), 4, &o), -1);
	o.kind = FRAME_KIND_LAST + 1;
	ck_assert_int_eq(frame_open_encode(buf, sizeof(buf), 4, &o), -1);
	o.kind = FRAME_KIND_PIPE_READ;		/* pipes are one-way */
	ck_assert_int_eq(frame_open_encode(buf, sizeof(buf), 4, &o), -1);
	o.access = FRAME_ACCESS_RD;
	o.session = 0;				/* a pipe is no session */
	ck_assert_int_eq(frame_open_encode(buf, sizeof(buf), 4, &o), -1);
	o.session = 2;
	ck_assert_int_gt(frame_open_encode(buf, sizeof(buf), 4, &o), 0);
	ck_assert_int_eq(frame_open_encode(buf, sizeof(buf), 0, &o), -1);
	tty_sample(&o, FRAME_TTYMODES_MAX);
	o.nmodes = FRAME_TTYMODES_MAX + 1;
	ck_assert_int_eq(frame_open_encode(buf, sizeof(buf), 4, &o), -1);
	tty_sample(&o, 2);
	o.modes[1].op = FRAME_TTYOP_END;
	ck_assert_int_eq(frame_open_encode(buf, sizeof(buf), 4, &o), -1);
	o.modes[1].op = FRAME_TTYOP_LAST + 1;
	ck_assert_int_eq(frame_open_encode(buf, sizeof(buf), 4, &o), -1);
	tty_sample(&o, 2);
	o.access = 0;
	ck_assert_int_eq(frame_open_encode(buf, sizeof(buf), 4, &o), -1);
	o.access = 4;
	ck_assert_int_eq(frame_open_encode(buf, sizeof(buf), 4, &o), -1);
	o.access = FRAME_ACCESS_RDWR;
	ck_assert_int_eq(frame_open_encode(buf, 16 + 2 * 5 + 1 +
	    FRAME_HDR_LEN - 1, 4, &o), -1);
	ck_assert_int_eq(frame_open_encode(buf, 16 + 2 * 5 + 1 +
	    FRAME_HDR_LEN, 4, &o), 16 + 2 * 5 + 1 + FRAME_HDR_LEN);
}
END_TEST

/* Raw OPEN bodies that must not decode. */
static const struct {
	const char	*name;
	size_t		 len;
	uint8_t		 body[40];
	const char	*why;
} open_bad[] = {
	{ "kind 0", 8, { 0, 0, 0, 2, 0, 3, 0, 0 }, "unknown channel kind" },
	{ "kind 8", 8, { 0, 0, 0, 2, 8, 3, 0, 0 }, "unknown channel kind" },
	{ "kind 255", 8, { 0, 0, 0, 2, 255, 3, 0, 0 },
	    "unknown channel kind" },
	{ "stream rd", 8, { 0, 0, 0, 2, 1, 1, 0, 0 },
	    "socket channel not read-write" },
	{ "dgram wr", 8, { 0, 0, 0, 2, 3, 2, 0, 0 },
	    "socket channel not read-write" },
	{ "pipe-read rdwr", 8, { 0, 0, 0, 2, 4, 3, 0, 0 },
	    "pipe-read channel not read-only" },
	{ "pipe-write rd", 8, { 0, 0, 0, 2, 5, 1, 0, 0 },
	    "pipe-write channel not write-only" },
	{ "devnull access 0", 8, { 0, 0, 0, 2, 7, 0, 0, 0 },
	    "bad access mode" },
	{ "devnull access 4", 8, { 0, 0, 0, 2, 7, 4, 0, 0 },
	    "bad access mode" },
	{ "session of a dgram", 8, { 0, 0, 0, 0, 3, 3, 0, 0 },
	    "session control channel not a socket" },
	{ "session of a pipe", 8, { 0, 0, 0, 0, 4, 1, 0, 0 },
	    "session control channel not a socket" },
	{ "reserved", 8, { 0, 0, 0, 2, 1, 3, 0, 1 },
	    "reserved OPEN bits set" },
	{ "reserved high", 8, { 0, 0, 0, 2, 1, 3, 0x80, 0 },
	    "reserved OPEN bits set" },
	{ "short", 7, { 0, 0, 0, 2, 1, 3, 0 }, "OPEN too short" },
	{ "trailing", 9, { 0, 0, 0, 2, 1, 3, 0, 0, 0 },
	    "trailing bytes after OPEN" },
	{ "tty no modes", 16, { 0, 0, 0, 2, 6, 3, 0, 0,
	    0, 24, 0, 80, 0, 0, 0, 0 }, "tty OPEN too short" },
	{ "tty no END", 21, { 0, 0, 0, 2, 6, 3, 0, 0,
	    0, 24, 0, 80, 0, 0, 0, 0, 53, 0, 0, 0, 1 },
	    "tty mode list not terminated" },
	{ "tty value cut", 20, { 0, 0, 0, 2, 6, 3, 0, 0,
	    0, 24, 0, 80, 0, 0, 0, 0, 53, 0, 0, 0 },
	    "tty mode list not terminated" },
	{ "tty op 160", 22, { 0, 0, 0, 2, 6, 3, 0, 0,
	    0, 24, 0, 80, 0, 0, 0, 0, 160, 0, 0, 0, 1, 0 },
	    "bad tty mode opcode" },
	{ "tty op 255", 22, { 0, 0, 0, 2, 6, 3, 0, 0,
	    0, 24, 0, 80, 0, 0, 0, 0, 255, 0, 0, 0, 1, 0 },
	    "bad tty mode opcode" },
	{ "tty after END", 18, { 0, 0, 0, 2, 6, 3, 0, 0,
	    0, 24, 0, 80, 0, 0, 0, 0, 0, 0 },
	    "trailing bytes after tty modes" },
	{ "tty access 0", 17, { 0, 0, 0, 2, 6, 0, 0, 0,
	    0, 24, 0, 80, 0, 0, 0, 0, 0 }, "bad access mode" },
	{ "tty session", 17, { 0, 0, 0, 0, 6, 3, 0, 0,
	    0, 24, 0, 80, 0, 0, 0, 0, 0 },
	    "session control channel not a socket" },
};

START_TEST(test_open_decode_bad)
{
	struct frame_open	 o;
	const char		*why = NULL;
	uint8_t			*p;

	p = dup_exact(open_bad[_i].body, open_bad[_i].len);
	ck_assert_msg(frame_open_decode(p, open_bad[_i].len, &o, &why) == -1,
	    "%s", open_bad[_i].name);
	ck_assert_str_eq(why, open_bad[_i].why);
	free(p);
}
END_TEST

START_TEST(test_open_too_many_modes)
{
	struct frame_open	 o;
	uint8_t			*p;
	const char		*why = NULL;
	size_t			 len, i;

	/* One mode more than allowed, well terminated. */
	len = 16 + 5 * (FRAME_TTYMODES_MAX + 1) + 1;
	p = calloc(1, len);
	ck_assert_ptr_nonnull(p);
	p[3] = 2;
	p[4] = FRAME_KIND_TTY;
	p[5] = FRAME_ACCESS_RDWR;
	for (i = 0; i < FRAME_TTYMODES_MAX + 1; i++)
		p[16 + 5 * i] = 53;
	ck_assert_int_eq(frame_open_decode(p, len, &o, &why), -1);
	ck_assert_str_eq(why, "too many tty modes");
	/* Nor could such a frame get past frame_decode. */
	ck_assert_int_eq(frame_encode_hdr(big, BUFSZ, 4, FRAME_OPEN, 0, len),
	    -1);
	free(p);
}
END_TEST

/*
 * DATA, FDS, EOF, CLOSE, WINDOW.
 */

START_TEST(test_data_roundtrip)
{
	static const size_t	 sizes[] = { 0, 1, 2, 11, 12, 13, 4096, 65535,
				     65536, 65537 };
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 payload[65537];
	size_t			 i, j;
	int			 size;

	for (j = 0; j < sizeof(payload); j++)
		payload[j] = (uint8_t)(j * 31 + 7);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size = frame_encode(big, BUFSZ, 3, FRAME_DATA, 0, payload,
		    sizes[i]);
		ck_assert_int_eq(size, (int)(FRAME_HDR_LEN + sizes[i]));
		p = decode_ok(big, size, &hdr);
		ck_assert_uint_eq(hdr.type, FRAME_DATA);
		ck_assert_uint_eq(hdr.flags, 0);
		ck_assert_uint_eq(hdr.len, sizes[i]);
		if (sizes[i] != 0)
			ck_assert_mem_eq(p, payload, sizes[i]);
		if (sizes[i] == 0)
			continue;
		/* A fragment of a record bigger than one frame. */
		size = frame_encode(big, BUFSZ, 3, FRAME_DATA, FRAME_F_MORE,
		    payload, sizes[i]);
		p = decode_ok(big, size, &hdr);
		ck_assert_uint_eq(hdr.flags, FRAME_F_MORE);
		ck_assert_mem_eq(p, payload, sizes[i]);
	}
	/* Header only, for sending the payload from elsewhere. */
	ck_assert_int_eq(frame_encode_hdr(big, FRAME_HDR_LEN, 3, FRAME_DATA, 0,
	    65536), FRAME_HDR_LEN);
	ck_assert_int_eq(frame_encode_hdr(big, FRAME_HDR_LEN - 1, 3,
	    FRAME_DATA, 0, 1), -1);
	ck_assert_int_eq(frame_encode(big, BUFSZ, 3, FRAME_DATA, 0, NULL, 1),
	    -1);
}
END_TEST

static void
fds_roundtrip(uint32_t chan, const struct frame_fds *f)
{
	struct frame_fds	 d;
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[2048];
	size_t			 i;
	int			 size;

	size = frame_fds_encode(buf, sizeof(buf), chan, f);
	ck_assert_int_eq(size, (int)(FRAME_HDR_LEN + 8 + 4 * f->n));
	p = decode_ok(buf, size, &hdr);
	ck_assert_uint_eq(hdr.type, FRAME_FDS);
	ck_assert_uint_eq(hdr.chan, chan);
	ck_assert_int_eq(frame_fds_decode(p, hdr.len, &d, NULL), 0);
	ck_assert(d.pos == f->pos);
	ck_assert_uint_eq(d.n, f->n);
	for (i = 0; i < f->n; i++)
		ck_assert_uint_eq(d.chans[i], f->chans[i]);
}

START_TEST(test_fds_roundtrip)
{
	struct frame_fds	f;
	size_t			i;

	memset(&f, 0, sizeof(f));
	f.pos = 0;
	f.n = 1;
	f.chans[0] = 4;
	fds_roundtrip(2, &f);
	/* stdout and stderr sharing one description: one channel, twice. */
	f.pos = 4;
	f.n = 3;
	f.chans[0] = 6;
	f.chans[1] = 6;
	f.chans[2] = 8;
	fds_roundtrip(4, &f);
	/* As many as one SCM_RIGHTS message can hold, at the last byte. */
	f.pos = UINT64_MAX;
	f.n = FRAME_FDS_MAX;
	for (i = 0; i < f.n; i++)
		f.chans[i] = 0xffffffffu - (uint32_t)i;
	fds_roundtrip(0xffffffffu, &f);
	/* The far side passing back the client's own channel. */
	f.pos = 0x0102030405060708ull;
	f.n = 2;
	f.chans[0] = 1;
	f.chans[1] = 2;
	fds_roundtrip(3, &f);
}
END_TEST

START_TEST(test_fds_bad)
{
	struct frame_fds	 f;
	uint8_t			 body[8 + 4 * 3 + 2], *p;
	const char		*why;

	memset(&f, 0, sizeof(f));
	f.n = 0;
	ck_assert_int_eq(frame_fds_encode(big, BUFSZ, 2, &f), -1);
	f.n = FRAME_FDS_MAX + 1;
	ck_assert_int_eq(frame_fds_encode(big, BUFSZ, 2, &f), -1);
	f.n = 2;
	f.chans[0] = 4;
	f.chans[1] = 0;
	ck_assert_int_eq(frame_fds_encode(big, BUFSZ, 2, &f), -1);
	f.chans[1] = 6;
	ck_assert_int_eq(frame_fds_encode(big, FRAME_HDR_LEN + 15, 2, &f), -1);
	ck_assert_int_eq(frame_fds_encode(big, FRAME_HDR_LEN + 16, 2, &f),
	    FRAME_HDR_LEN + 16);

	memset(body, 0, sizeof(body));
	body[11] = 4;
	body[15] = 6;
	body[19] = 8;
	/* No fd at all, a ragged length, channel 0 in the list. */
	why = NULL;
	ck_assert_int_eq(frame_fds_decode(body, 8, &f, &why), -1);
	ck_assert_str_eq(why, "bad FDS length");
	ck_assert_int_eq(frame_fds_decode(body, 13, &f, NULL), -1);
	ck_assert_int_eq(frame_fds_decode(body, 22, &f, NULL), -1);
	ck_assert_int_eq(frame_fds_decode(body, 20, &f, NULL), 0);
	ck_assert_uint_eq(f.n, 3);
	body[15] = 0;
	why = NULL;
	ck_assert_int_eq(frame_fds_decode(body, 20, &f, &why), -1);
	ck_assert_str_eq(why, "fd on channel 0");
	/* One past the largest count. */
	p = calloc(1, 8 + 4 * (FRAME_FDS_MAX + 1));
	ck_assert_ptr_nonnull(p);
	memset(p + 8, 0x11, 4 * (FRAME_FDS_MAX + 1));
	ck_assert_int_eq(frame_fds_decode(p, 8 + 4 * (FRAME_FDS_MAX + 1), &f,
	    NULL), -1);
	ck_assert_int_eq(frame_fds_decode(p, 8 + 4 * FRAME_FDS_MAX, &f, NULL),
	    0);
	free(p);
}
END_TEST

START_TEST(test_eof_close)
{
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[64], dir, body[1];
	int			 size;

	size = frame_eof_encode(buf, sizeof(buf), 5, FRAME_EOF_SEND);
	ck_assert_int_eq(size, FRAME_HDR_LEN + 1);
	p = decode_ok(buf, size, &hdr);
	ck_assert_uint_eq(hdr.type, FRAME_EOF);
	ck_assert_int_eq(frame_eof_decode(p, hdr.len, &dir, NULL), 0);
	ck_assert_uint_eq(dir, FRAME_EOF_SEND);
	size = frame_eof_encode(buf, sizeof(buf), 5, FRAME_EOF_RECV);
	p = decode_ok(buf, size, &hdr);
	ck_assert_int_eq(frame_eof_decode(p, hdr.len, &dir, NULL), 0);
	ck_assert_uint_eq(dir, FRAME_EOF_RECV);

	ck_assert_int_eq(frame_eof_encode(buf, sizeof(buf), 5, 0), -1);
	ck_assert_int_eq(frame_eof_encode(buf, sizeof(buf), 5, 3), -1);
	ck_assert_int_eq(frame_eof_encode(buf, sizeof(buf), 0,
	    FRAME_EOF_SEND), -1);
	body[0] = 0;
	ck_assert_int_eq(frame_eof_decode(body, 1, &dir, NULL), -1);
	body[0] = 3;
	ck_assert_int_eq(frame_eof_decode(body, 1, &dir, NULL), -1);
	body[0] = FRAME_EOF_SEND;
	ck_assert_int_eq(frame_eof_decode(body, 0, &dir, NULL), -1);

	size = frame_close_encode(buf, sizeof(buf), 0xffffffffu);
	ck_assert_int_eq(size, FRAME_HDR_LEN);
	decode_ok(buf, size, &hdr);
	ck_assert_uint_eq(hdr.type, FRAME_CLOSE);
	ck_assert_uint_eq(hdr.chan, 0xffffffffu);
	ck_assert_int_eq(frame_close_encode(buf, sizeof(buf), 0), -1);
	ck_assert_int_eq(frame_close_encode(buf, FRAME_HDR_LEN - 1, 9), -1);
	/* A CLOSE with a body is malformed. */
	raw_hdr(buf, 1, 9, FRAME_CLOSE, 0);
	ck_assert_int_eq(decode_n(buf, FRAME_HDR_LEN + 1, FRAME_PAYLOAD_MAX,
	    &hdr, NULL, NULL), -1);
}
END_TEST

START_TEST(test_window)
{
	static const uint32_t	 ok[] = { 1, 2, 65536, FRAME_WINDOW_MAX };
	static const uint32_t	 bad[] = { 0, FRAME_WINDOW_MAX + 1u,
				     0xffffffffu };
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[64], body[4];
	uint32_t		 credit;
	size_t			 i;
	int			 size;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		size = frame_window_encode(buf, sizeof(buf), 7, ok[i]);
		ck_assert_int_eq(size, FRAME_HDR_LEN + 4);
		p = decode_ok(buf, size, &hdr);
		ck_assert_uint_eq(hdr.type, FRAME_WINDOW);
		ck_assert_int_eq(frame_window_decode(p, hdr.len, &credit,
		    NULL), 0);
		ck_assert_uint_eq(credit, ok[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(frame_window_encode(buf, sizeof(buf), 7,
		    bad[i]), -1);
		body[0] = (uint8_t)(bad[i] >> 24);
		body[1] = (uint8_t)(bad[i] >> 16);
		body[2] = (uint8_t)(bad[i] >> 8);
		body[3] = (uint8_t)bad[i];
		ck_assert_int_eq(frame_window_decode(body, 4, &credit, NULL),
		    -1);
	}
	ck_assert_int_eq(frame_window_encode(buf, sizeof(buf), 0, 1), -1);
}
END_TEST

/*
 * ERROR, WINSIZE, PING, PONG.
 */

START_TEST(test_error_roundtrip)
{
	struct frame_error	 e;
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	char			 text[FRAME_ERROR_TEXT_MAX + 100];
	uint8_t			 buf[2048];
	int			 size;

	size = frame_error_encode(buf, sizeof(buf), 0, FRAME_ERR_VERSION,
	    "peer speaks 2..3, I speak 1..1");
	p = decode_ok(buf, size, &hdr);
	ck_assert_uint_eq(hdr.type, FRAME_ERROR);
	ck_assert_uint_eq(hdr.chan, 0);
	ck_assert_int_eq(frame_error_decode(p, hdr.len, &e, NULL), 0);
	ck_assert_uint_eq(e.code, FRAME_ERR_VERSION);
	ck_assert_str_eq(e.text, "peer speaks 2..3, I speak 1..1");
	ck_assert_uint_eq(e.textlen, strlen(e.text));

	/* On a session's channel; empty and NULL text. */
	size = frame_error_encode(buf, sizeof(buf), 2, FRAME_ERR_CONNECT, "");
	ck_assert_int_eq(size, FRAME_HDR_LEN + 4);
	p = decode_ok(buf, size, &hdr);
	ck_assert_int_eq(frame_error_decode(p, hdr.len, &e, NULL), 0);
	ck_assert_str_eq(e.text, "");
	ck_assert_int_eq(frame_error_encode(buf, sizeof(buf), 2,
	    FRAME_ERR_KIND, NULL), FRAME_HDR_LEN + 4);

	/* Codes this version does not know still decode. */
	size = frame_error_encode(buf, sizeof(buf), 9, 0xdeadbeefu, "x");
	p = decode_ok(buf, size, &hdr);
	ck_assert_int_eq(frame_error_decode(p, hdr.len, &e, NULL), 0);
	ck_assert_uint_eq(e.code, 0xdeadbeefu);

	/* A long text is cut to the limit. */
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	size = frame_error_encode(buf, sizeof(buf), 2, FRAME_ERR_IO, text);
	ck_assert_int_eq(size, FRAME_HDR_LEN + 4 + FRAME_ERROR_TEXT_MAX);
	p = decode_ok(buf, size, &hdr);
	ck_assert_int_eq(frame_error_decode(p, hdr.len, &e, NULL), 0);
	ck_assert_uint_eq(e.textlen, FRAME_ERROR_TEXT_MAX);
	ck_assert_uint_eq(strlen(e.text), FRAME_ERROR_TEXT_MAX);
	text[FRAME_ERROR_TEXT_MAX] = '\0';
	ck_assert_str_eq(e.text, text);
}
END_TEST

START_TEST(test_error_bad)
{
	struct frame_error	 e;
	uint8_t			 buf[64], body[8] = { 0, 0, 0, 1, 'a', 0, 'b',
				     'c' }, *p;
	const char		*why;

	ck_assert_int_eq(frame_error_encode(buf, sizeof(buf), 2, 0, "x"), -1);
	ck_assert_int_eq(frame_error_encode(buf, FRAME_HDR_LEN + 4 + 2, 2, 1,
	    "abc"), -1);
	why = NULL;
	ck_assert_int_eq(frame_error_decode(body, 8, &e, &why), -1);
	ck_assert_str_eq(why, "NUL in ERROR text");
	ck_assert_int_eq(frame_error_decode(body, 5, &e, NULL), 0);
	ck_assert_str_eq(e.text, "a");
	ck_assert_int_eq(frame_error_decode(body, 3, &e, NULL), -1);
	body[3] = 0;
	why = NULL;
	ck_assert_int_eq(frame_error_decode(body, 5, &e, &why), -1);
	ck_assert_str_eq(why, "ERROR code is zero");
	p = calloc(1, 4 + FRAME_ERROR_TEXT_MAX + 1);
	ck_assert_ptr_nonnull(p);
	p[3] = 1;
	memset(p + 4, 'z', FRAME_ERROR_TEXT_MAX + 1);
	ck_assert_int_eq(frame_error_decode(p, 4 + FRAME_ERROR_TEXT_MAX + 1,
	    &e, NULL), -1);
	ck_assert_int_eq(frame_error_decode(p, 4 + FRAME_ERROR_TEXT_MAX, &e,
	    NULL), 0);
	free(p);
}
END_TEST

START_TEST(test_winsize)
{
	struct frame_winsize	 ws = { 0xffff, 0x1234, 0, 0x8001 }, d;
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[64];
	int			 size;

	size = frame_winsize_encode(buf, sizeof(buf), 6, &ws);
	ck_assert_int_eq(size, FRAME_HDR_LEN + 8);
	p = decode_ok(buf, size, &hdr);
	ck_assert_uint_eq(hdr.type, FRAME_WINSIZE);
	ck_assert_mem_eq(p, "\xff\xff\x12\x34\x00\x00\x80\x01", 8);
	ck_assert_int_eq(frame_winsize_decode(p, hdr.len, &d, NULL), 0);
	ck_assert_uint_eq(d.rows, ws.rows);
	ck_assert_uint_eq(d.cols, ws.cols);
	ck_assert_uint_eq(d.xpixel, ws.xpixel);
	ck_assert_uint_eq(d.ypixel, ws.ypixel);
	ck_assert_int_eq(frame_winsize_decode(p, 7, &d, NULL), -1);
	ck_assert_int_eq(frame_winsize_encode(buf, sizeof(buf), 0, &ws), -1);
}
END_TEST

START_TEST(test_ping_pong)
{
	static const uint64_t	 cookies[] = { 0, 1, 0x0102030405060708ull,
				     UINT64_MAX };
	struct frame_hdr	 hdr;
	const uint8_t		*p;
	uint8_t			 buf[64];
	uint64_t		 c;
	size_t			 i;
	int			 size, t;

	for (t = FRAME_PING; t <= FRAME_PONG; t++) {
		for (i = 0; i < sizeof(cookies) / sizeof(cookies[0]); i++) {
			size = frame_ping_encode(buf, sizeof(buf), (uint8_t)t,
			    cookies[i]);
			ck_assert_int_eq(size, FRAME_HDR_LEN + 8);
			p = decode_ok(buf, size, &hdr);
			ck_assert_uint_eq(hdr.type, (unsigned)t);
			ck_assert_uint_eq(hdr.chan, 0);
			ck_assert_int_eq(frame_ping_decode(p, hdr.len, &c,
			    NULL), 0);
			ck_assert(c == cookies[i]);
		}
	}
	ck_assert_int_eq(frame_ping_encode(buf, sizeof(buf), FRAME_DATA, 1),
	    -1);
	ck_assert_int_eq(frame_ping_encode(buf, FRAME_HDR_LEN + 7, FRAME_PING,
	    1), -1);
	ck_assert_int_eq(frame_ping_decode(buf, 9, &c, NULL), -1);
}
END_TEST

/*
 * Encoders and odds and ends.
 */

START_TEST(test_encode_short_buffer)
{
	uint8_t	 buf[2048], ref[2048];
	int	 size, k;

	/* Every buffer one byte short fails and leaves the buffer alone. */
	size = sample(_i, ref, sizeof(ref));
	ck_assert_int_gt(size, 0);
	for (k = 0; k < size; k++) {
		memset(buf, 0xaa, sizeof(buf));
		ck_assert_msg(sample(_i, buf, (size_t)k) == -1,
		    "sample %d in %d bytes", _i, k);
		ck_assert_uint_eq(buf[0], 0xaa);
		ck_assert_uint_eq(buf[size - 1], 0xaa);
	}
	ck_assert_int_eq(sample(_i, buf, (size_t)size), size);
	ck_assert_mem_eq(buf, ref, (size_t)size);
}
END_TEST

START_TEST(test_null_out_params)
{
	struct frame_hdr	hdr;
	uint8_t			buf[64];
	int			size;

	size = frame_close_encode(buf, sizeof(buf), 2);
	ck_assert_int_eq(frame_decode(buf, (size_t)size, FRAME_PAYLOAD_MAX,
	    &hdr, NULL, NULL), 1);
	ck_assert_int_eq(frame_decode(buf, 5, FRAME_PAYLOAD_MAX, &hdr, NULL,
	    NULL), 0);
	buf[8] = 0;
	ck_assert_int_eq(frame_decode(buf, (size_t)size, FRAME_PAYLOAD_MAX,
	    &hdr, NULL, NULL), -1);
	ck_assert_int_eq(frame_window_decode(buf, 3, NULL, NULL), -1);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(frame_type_name(FRAME_HELLO), "HELLO");
	ck_assert_str_eq(frame_type_name(FRAME_FDS), "FDS");
	ck_assert_str_eq(frame_type_name(FRAME_PONG), "PONG");
	ck_assert_str_eq(frame_kind_name(FRAME_KIND_STREAM), "stream");
	ck_assert_str_eq(frame_kind_name(FRAME_KIND_PIPE_WRITE),
	    "pipe-write");
	ck_assert_str_eq(frame_kind_name(FRAME_KIND_DEVNULL), "devnull");
	ck_assert_str_eq(frame_kind_name(0), "unknown");
	ck_assert_str_eq(frame_kind_name(FRAME_KIND_LAST + 1), "unknown");
}
END_TEST

START_TEST(test_garbage)
{
	struct frame_hdr	 hdr;
	uint64_t		 x = 0x9e3779b97f4a7c15ull;
	uint8_t			 buf[256], *p;
	const char		*why;
	size_t			 n, j, sz;
	int			 i, rc, ok = 0;

	/* Random bytes, with a plausible header now and then. */
	for (i = 0; i < 200000; i++) {
		for (j = 0; j < sizeof(buf); j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[j] = (uint8_t)x;
		}
		n = (size_t)(x >> 40) % sizeof(buf);
		if (i & 1) {
			buf[0] = buf[1] = buf[2] = 0;
			buf[8] %= FRAME_TYPE_LAST + 1;
			buf[9] &= 1;
			buf[10] = buf[11] = 0;
			if (i & 2)
				memset(buf + 4, 0, 4);
		}
		p = dup_exact(buf, n);
		why = NULL;
		rc = frame_decode(p, n, FRAME_PAYLOAD_MAX, &hdr, &sz, &why);
		if (rc == -1)
			ck_assert_ptr_nonnull(why);
		else if (rc == 0)
			ck_assert_uint_gt(sz, n);
		else {
			ck_assert_uint_le(sz, n);
			ok++;
			why = NULL;
			if (decode_body(&hdr, p + FRAME_HDR_LEN, &why) == -1)
				ck_assert_ptr_nonnull(why);
		}
		free(p);
	}
	ck_assert_int_gt(ok, 0);
}
END_TEST

static Suite *
frame_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("frame");

	tc = tcase_create("header");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_hdr_layout);
	tcase_add_test(tc, test_hdr_fields_roundtrip);
	tcase_add_test(tc, test_every_sample_roundtrips);
	tcase_add_test(tc, test_stream_of_frames);
	tcase_add_loop_test(tc, test_truncated_every_length, 0, NSAMPLES);
	tcase_add_loop_test(tc, test_truncated_bodies, 0, NSAMPLES);
	tcase_add_test(tc, test_oversized_length);
	tcase_add_test(tc, test_max_data_frame);
	tcase_add_test(tc, test_unknown_type);
	tcase_add_test(tc, test_reserved_flags);
	tcase_add_test(tc, test_reserved_hdr_bits);
	tcase_add_test(tc, test_zero_length);
	tcase_add_test(tc, test_length_bounds);
	tcase_add_test(tc, test_channel_rules);
	tcase_add_test(tc, test_null_out_params);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("handshake");
	tcase_add_test(tc, test_hello_roundtrip);
	tcase_add_test(tc, test_hello_trailer);
	tcase_add_test(tc, test_hello_bad_magic);
	tcase_add_loop_test(tc, test_hello_bad_fields, 0,
	    sizeof(hello_bad) / sizeof(hello_bad[0]));
	tcase_add_test(tc, test_hello_encode_invalid);
	tcase_add_test(tc, test_version_negotiate);
	tcase_add_test(tc, test_auth_roundtrip);
	suite_add_tcase(s, tc);

	tc = tcase_create("messages");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_open_roundtrip);
	tcase_add_test(tc, test_open_encode_invalid);
	tcase_add_loop_test(tc, test_open_decode_bad, 0,
	    sizeof(open_bad) / sizeof(open_bad[0]));
	tcase_add_test(tc, test_open_too_many_modes);
	tcase_add_test(tc, test_data_roundtrip);
	tcase_add_test(tc, test_fds_roundtrip);
	tcase_add_test(tc, test_fds_bad);
	tcase_add_test(tc, test_eof_close);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_error_roundtrip);
	tcase_add_test(tc, test_error_bad);
	tcase_add_test(tc, test_winsize);
	tcase_add_test(tc, test_ping_pong);
	tcase_add_loop_test(tc, test_encode_short_buffer, 0, NSAMPLES);
	suite_add_tcase(s, tc);

	tc = tcase_create("garbage");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_garbage);
	suite_add_tcase(s, tc);

	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(frame_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
