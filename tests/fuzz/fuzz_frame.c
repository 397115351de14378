/*
 * libFuzzer target for the frame decoder (src/fdpass/frame.c).  The input
 * is a hop's byte stream: frames are decoded one after another as a peer
 * would, and every body that decodes must re-encode to the same bytes.
 *
 *	clang -g -fsanitize=fuzzer,address,undefined -Isrc \
 *	    tests/fuzz/fuzz_frame.c src/fdpass/frame.c -o fuzz_frame
 *	./fuzz_frame -max_total_time=60 tests/fuzz/corpus/frame
 *
 * Built with -DFUZZ_FRAME_MKCORPUS (and without -fsanitize=fuzzer) it is
 * instead a program writing the seed corpus into the directory it is
 * given, with the encoder itself:
 *
 *	cc -DFUZZ_FRAME_MKCORPUS -Isrc tests/fuzz/fuzz_frame.c \
 *	    src/fdpass/frame.c -o mkcorpus && ./mkcorpus tests/fuzz/corpus/frame
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fdpass/frame.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	again[FRAME_HDR_LEN + FRAME_PAYLOAD_MAX];

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

/* Decode the body of the frame at f (size bytes); if it is well-formed,
 * encode it again and compare. */
static void
roundtrip(const struct frame_hdr *hdr, const uint8_t *f, size_t size)
{
	const uint8_t		*p = f + FRAME_HDR_LEN;
	struct frame_hello	 h, local;
	struct frame_open	 o;
	struct frame_fds	 fds;
	struct frame_error	 e;
	struct frame_winsize	 ws;
	uint8_t			 mac[FRAME_MAC_LEN], dir;
	uint32_t		 credit;
	uint64_t		 cookie;
	uint16_t		 version;
	const char		*why = NULL;
	int			 n = -1;

	switch (hdr->type) {
	case FRAME_HELLO:
		if (frame_hello_decode(p, hdr->len, &h, &why) == -1)
			break;
		frame_hello_init(&local, FRAME_ROLE_FAR);
		if (frame_hello_negotiate(&local, &h, &version, &why) == 0)
			CHECK(version >= 1 && version <= h.vmax);
		/* Fields past version 1's are ignored, not re-encoded. */
		n = frame_hello_encode(again, sizeof(again), &h);
		CHECK(n == FRAME_HDR_LEN + FRAME_HELLO_LEN);
		CHECK(memcmp(again + 4, f + 4, FRAME_HDR_LEN - 4) == 0);
		CHECK(memcmp(again + FRAME_HDR_LEN, p, FRAME_HELLO_LEN) == 0);
		return;
	case FRAME_AUTH:
		if (frame_auth_decode(p, hdr->len, mac, &why) == 0)
			n = frame_auth_encode(again, sizeof(again), mac);
		break;
	case FRAME_OPEN:
		if (frame_open_decode(p, hdr->len, &o, &why) == 0)
			n = frame_open_encode(again, sizeof(again), hdr->chan,
			    &o);
		break;
	case FRAME_DATA:
		n = frame_encode(again, sizeof(again), hdr->chan, FRAME_DATA,
		    hdr->flags, p, hdr->len);
		break;
	case FRAME_FDS:
		if (frame_fds_decode(p, hdr->len, &fds, &why) == 0)
			n = frame_fds_encode(again, sizeof(again), hdr->chan,
			    &fds);
		break;
	case FRAME_EOF:
		if (frame_eof_decode(p, hdr->len, &dir, &why) == 0)
			n = frame_eof_encode(again, sizeof(again), hdr->chan,
			    dir);
		break;
	case FRAME_CLOSE:
		n = frame_close_encode(again, sizeof(again), hdr->chan);
		break;
	case FRAME_WINDOW:
		if (frame_window_decode(p, hdr->len, &credit, &why) == 0)
			n = frame_window_encode(again, sizeof(again),
			    hdr->chan, credit);
		break;
	case FRAME_ERROR:
		if (frame_error_decode(p, hdr->len, &e, &why) == 0) {
			CHECK(strlen(e.text) == e.textlen);
			n = frame_error_encode(again, sizeof(again), hdr->chan,
			    e.code, e.text);
		}
		break;
	case FRAME_WINSIZE:
		if (frame_winsize_decode(p, hdr->len, &ws, &why) == 0)
			n = frame_winsize_encode(again, sizeof(again),
			    hdr->chan, &ws);
		break;
	case FRAME_PING:
	case FRAME_PONG:
		if (frame_ping_decode(p, hdr->len, &cookie, &why) == 0)
			n = frame_ping_encode(again, sizeof(again), hdr->type,
			    cookie);
		break;
	default:
		/* frame_decode lets no other type through. */
		abort();
	}
	if (n == -1) {
		/* Rejected: with a reason, and never DATA or CLOSE. */
		CHECK(why != NULL);
		CHECK(hdr->type != FRAME_DATA && hdr->type != FRAME_CLOSE);
		return;
	}
	CHECK((size_t)n == size);
	CHECK(memcmp(again, f, size) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_hdr	 hdr, first;
	const char		*why;
	size_t			 off, sz, sz1;
	int			 rc, rc1;

	/* As the first frame of a hop, under the pre-handshake limit. */
	why = NULL;
	rc1 = frame_decode(data, size, FRAME_HELLO_LIMIT, &first, &sz1, &why);
	CHECK(rc1 != -1 || why != NULL);

	for (off = 0; off < size; off += sz) {
		why = NULL;
		rc = frame_decode(data + off, size - off, FRAME_PAYLOAD_MAX,
		    &hdr, &sz, &why);
		if (off == 0 && rc1 == 1)
			CHECK(rc == 1 && sz == sz1 && hdr.len == first.len);
		if (rc == -1) {
			CHECK(why != NULL);
			break;
		}
		if (rc == 0) {
			CHECK(sz > size - off && sz >= FRAME_HDR_LEN);
			break;
		}
		CHECK(sz == FRAME_HDR_LEN + hdr.len && sz <= size - off);
		/* One byte short of a good frame is never an error. */
		CHECK(frame_decode(data + off, sz - 1, FRAME_PAYLOAD_MAX,
		    &first, &sz1, NULL) == 0 && sz1 > sz - 1);
		roundtrip(&hdr, data + off, sz);
	}
	return (0);
}

#ifdef FUZZ_FRAME_MKCORPUS
#include <stdio.h>

static uint8_t	seed[65536];

static void
put(const char *dir, const char *name, const uint8_t *p, size_t len)
{
	char	 path[4096];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* Append frame n of a spring-like session to seed; returns its size. */
static int
frame_n(int n, uint8_t *buf, size_t buflen)
{
	struct frame_hello	h;
	struct frame_open	o;
	struct frame_fds	f;
	struct frame_winsize	ws = { 50, 132, 0, 0 };
	uint8_t			mac[FRAME_MAC_LEN];
	size_t			i;

	memset(&o, 0, sizeof(o));
	memset(&f, 0, sizeof(f));
	switch (n) {
	case 0:
		frame_hello_init(&h, FRAME_ROLE_NEAR);
		h.caps = FRAME_CAP_TTY | FRAME_CAP_SEQPACKET;
		h.auth = FRAME_AUTHREQ_HMAC;
		for (i = 0; i < FRAME_NONCE_LEN; i++)
			h.nonce[i] = (uint8_t)(i * 37);
		return (frame_hello_encode(buf, buflen, &h));
	case 1:
		memset(mac, 0x42, sizeof(mac));
		return (frame_auth_encode(buf, buflen, mac));
	case 2:		/* the client's connection: a new session */
		o.kind = FRAME_KIND_STREAM;
		o.access = FRAME_ACCESS_RDWR;
		return (frame_open_encode(buf, buflen, 2, &o));
	case 3:		/* a socketpair end passed over it */
		o.session = 2;
		o.kind = FRAME_KIND_STREAM;
		o.access = FRAME_ACCESS_RDWR;
		return (frame_open_encode(buf, buflen, 4, &o));
	case 4:
		f.pos = 5;
		f.n = 1;
		f.chans[0] = 4;
		return (frame_fds_encode(buf, buflen, 2, &f));
	case 5:
		return (frame_encode(buf, buflen, 2, FRAME_DATA, 0, "5\nx", 3));
	case 6:		/* the terminal, as stdout and stderr */
		o.session = 2;
		o.kind = FRAME_KIND_TTY;
		o.access = FRAME_ACCESS_RDWR;
		o.ws = ws;
		o.nmodes = 4;
		o.modes[0].op = 1;	/* VINTR */
		o.modes[0].val = 3;
		o.modes[1].op = 53;	/* ECHO */
		o.modes[1].val = 1;
		o.modes[2].op = 51;	/* ICANON */
		o.modes[2].val = 1;
		o.modes[3].op = 128;	/* TTY_OP_ISPEED */
		o.modes[3].val = 38400;
		return (frame_open_encode(buf, buflen, 6, &o));
	case 7:		/* stdin from a pipe */
		o.session = 2;
		o.kind = FRAME_KIND_PIPE_READ;
		o.access = FRAME_ACCESS_RD;
		return (frame_open_encode(buf, buflen, 8, &o));
	case 8:
		f.pos = 0;
		f.n = 3;
		f.chans[0] = 6;
		f.chans[1] = 6;
		f.chans[2] = 8;
		return (frame_fds_encode(buf, buflen, 4, &f));
	case 9:
		return (frame_encode(buf, buflen, 4, FRAME_DATA, 0, "x", 1));
	case 10:
		return (frame_winsize_encode(buf, buflen, 6, &ws));
	case 11:
		return (frame_window_encode(buf, buflen, 3, 65536));
	case 12:	/* a seqpacket record in two fragments */
		return (frame_encode(buf, buflen, 3, FRAME_DATA, FRAME_F_MORE,
		    "[\"ls\"", 5));
	case 13:
		return (frame_encode(buf, buflen, 3, FRAME_DATA, 0, "]", 1));
	case 14:
		return (frame_eof_encode(buf, buflen, 8, FRAME_EOF_SEND));
	case 15:
		return (frame_eof_encode(buf, buflen, 6, FRAME_EOF_RECV));
	case 16:
		return (frame_ping_encode(buf, buflen, FRAME_PING, 7));
	case 17:
		return (frame_ping_encode(buf, buflen, FRAME_PONG, 7));
	case 18:
		return (frame_error_encode(buf, buflen, 2, FRAME_ERR_CONNECT,
		    "/app/tmp/spring.sock: connect: Connection refused"));
	case 19:
		return (frame_close_encode(buf, buflen, 4));
	default:
		return (0);
	}
}

int
main(int argc, char **argv)
{
	char	name[32];
	size_t	off = 0;
	int	n, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s directory\n", argv[0]);
		return (1);
	}
	/* One seed per frame, then the whole session as one stream. */
	for (i = 0; (n = frame_n(i, seed + off, sizeof(seed) - off)) > 0;
	    i++) {
		snprintf(name, sizeof(name), "frame-%02d-%s", i,
		    frame_type_name(seed[off + 8]));
		put(argv[1], name, seed + off, (size_t)n);
		off += (size_t)n;
	}
	if (n == -1) {
		fprintf(stderr, "frame %d does not encode\n", i);
		return (1);
	}
	put(argv[1], "session", seed, off);
	return (0);
}
#endif
