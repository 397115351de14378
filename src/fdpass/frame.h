/*
 * The frame codec of the fd-passing protocol (PROTOCOL.md): encode frames
 * into a caller's buffer and decode them from a caller's buffer.  No I/O,
 * no allocation, no global state: every function here is a pure function
 * of its arguments, so the codec can be unit-tested and fuzzed on its own.
 *
 * All integers on the wire are big-endian.  A frame is a 12-byte header
 * followed by hdr.len bytes of payload:
 *
 *	uint32 len	payload length, checked before any other field is read
 *	uint32 chan	channel id, 0 = the hop itself
 *	uint8  type	FRAME_HELLO ... FRAME_PONG
 *	uint8  flags	FRAME_F_MORE on DATA, otherwise zero
 *	uint16 rsvd	zero
 *
 * Decoders never read outside [buf, buf + len) and reject anything the
 * matching encoder would not produce, so decode(encode(x)) == x and a
 * decoded frame re-encodes to the same bytes (except HELLO's trailer).
 */
#ifndef FERRY_FDPASS_FRAME_H
#define FERRY_FDPASS_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_VERSION		1	/* the protocol version spoken here */
#define FRAME_MAGIC		"\x89" "FERRY\r\n"
#define FRAME_MAGIC_LEN		8
#define FRAME_HDR_LEN		12

/* Hard limits, whatever a peer announces. */
#define FRAME_PAYLOAD_MIN	4096		/* smallest max_frame allowed */
#define FRAME_PAYLOAD_MAX	(1024 * 1024)	/* largest max_frame allowed */
#define FRAME_HELLO_LIMIT	1024		/* payload limit before HELLO */
#define FRAME_RECORD_MAX	(16 * 1024 * 1024)
#define FRAME_WINDOW_MAX	(1024 * 1024 * 1024)
#define FRAME_FDS_MAX		253		/* fds in one FDS message */
#define FRAME_TTYMODES_MAX	128		/* modes in one tty OPEN */
#define FRAME_ERROR_TEXT_MAX	1024
#define FRAME_NONCE_LEN		32
#define FRAME_MAC_LEN		32

/* What frame_hello_init announces. */
#define FRAME_DEFAULT_MAX_FRAME		65536
#define FRAME_DEFAULT_MAX_SESSIONS	256
#define FRAME_DEFAULT_MAX_CHANNELS	16
#define FRAME_DEFAULT_WINDOW		262144
#define FRAME_DEFAULT_MAX_RECORD	262144
#define FRAME_DEFAULT_MAX_FDS		FRAME_FDS_MAX

/* Message types. */
enum frame_type {
	FRAME_HELLO = 1,	/* chan 0: magic, versions, limits */
	FRAME_AUTH,		/* chan 0: HMAC proving the shared token */
	FRAME_OPEN,		/* a new channel, or a new session */
	FRAME_DATA,		/* bytes, or one record (fragment) */
	FRAME_FDS,		/* fds attached to a byte or record */
	FRAME_EOF,		/* half-close of one direction */
	FRAME_CLOSE,		/* the channel is finished */
	FRAME_WINDOW,		/* flow-control credit */
	FRAME_ERROR,		/* fatal for the hop (chan 0) or session */
	FRAME_WINSIZE,		/* a tty channel's window size */
	FRAME_PING,		/* chan 0: keepalive */
	FRAME_PONG		/* chan 0: keepalive answer */
};
#define FRAME_TYPE_LAST		FRAME_PONG

/* Header flags. */
#define FRAME_F_MORE		0x01	/* DATA: more fragments of the record */

/* HELLO fields. */
#define FRAME_HELLO_LEN		76	/* body bytes defined by version 1 */
#define FRAME_ROLE_NEAR		1	/* opens sessions, allocates even ids */
#define FRAME_ROLE_FAR		2	/* accepts sessions, allocates odd ids */
#define FRAME_AUTHREQ_NONE	0
#define FRAME_AUTHREQ_HMAC	1	/* HMAC-SHA256 over a shared token */
#define FRAME_CAP_TTY		0x00000001	/* can stand in for a tty */
#define FRAME_CAP_SEQPACKET	0x00000002	/* ... a seqpacket socket */
#define FRAME_CAP_DGRAM		0x00000004	/* ... a datagram socket */

/* OPEN fields. */
enum frame_kind {
	FRAME_KIND_STREAM = 1,
	FRAME_KIND_SEQPACKET,
	FRAME_KIND_DGRAM,
	FRAME_KIND_PIPE_READ,	/* the passed fd is a pipe's read end */
	FRAME_KIND_PIPE_WRITE,	/* the passed fd is a pipe's write end */
	FRAME_KIND_TTY,
	FRAME_KIND_DEVNULL
};
#define FRAME_KIND_LAST		FRAME_KIND_DEVNULL
#define FRAME_ACCESS_RD		0x01	/* data flows opener -> acceptor */
#define FRAME_ACCESS_WR		0x02	/* data flows acceptor -> opener */
#define FRAME_ACCESS_RDWR	(FRAME_ACCESS_RD | FRAME_ACCESS_WR)
#define FRAME_TTYOP_END		0	/* ends the mode list */
#define FRAME_TTYOP_LAST	159	/* RFC 4254: 1..159 take a uint32 */

/* EOF directions, from the sender's point of view. */
#define FRAME_EOF_SEND		1	/* I will send no more DATA */
#define FRAME_EOF_RECV		2	/* I will deliver no more DATA */

/* ERROR codes. */
#define FRAME_ERR_PROTOCOL	1	/* malformed frame or broken rule */
#define FRAME_ERR_VERSION	2	/* no common protocol version */
#define FRAME_ERR_AUTH		3	/* token missing or wrong */
#define FRAME_ERR_LIMIT		4	/* a limit was exceeded */
#define FRAME_ERR_CONNECT	5	/* far peer could not reach its target */
#define FRAME_ERR_KIND		6	/* fd kind that cannot be carried */
#define FRAME_ERR_RESOURCE	7	/* out of fds, memory, ptys */
#define FRAME_ERR_IO		8	/* I/O error on a local fd */
#define FRAME_ERR_FDLOST	9	/* fds lost (MSG_CTRUNC) */
#define FRAME_ERR_SHUTDOWN	10	/* the peer is exiting */

struct frame_hdr {
	uint32_t	len;	/* payload bytes after the header */
	uint32_t	chan;
	uint8_t		type;
	uint8_t		flags;
};

struct frame_hello {
	uint16_t	vmin;		/* lowest version spoken, >= 1 */
	uint16_t	vmax;		/* highest version spoken, >= vmin */
	uint8_t		role;		/* FRAME_ROLE_* */
	uint8_t		auth;		/* FRAME_AUTHREQ_* */
	uint32_t	caps;		/* FRAME_CAP_*; unknown bits ignored */
	uint32_t	max_frame;	/* largest payload I accept */
	uint32_t	max_sessions;	/* sessions you may open at once */
	uint32_t	max_channels;	/* channels you may open per session */
	uint32_t	window;		/* initial credit per channel */
	uint32_t	max_record;	/* largest record I accept */
	uint32_t	max_fds;	/* fds in one FDS message */
	uint8_t		nonce[FRAME_NONCE_LEN];
};

struct frame_winsize {
	uint16_t	rows;
	uint16_t	cols;
	uint16_t	xpixel;
	uint16_t	ypixel;
};

struct frame_ttymode {
	uint8_t		op;	/* RFC 4254 section 8 opcode, 1..159 */
	uint32_t	val;
};

struct frame_open {
	uint32_t		session;	/* 0: open a new session */
	uint8_t			kind;		/* FRAME_KIND_* */
	uint8_t			access;		/* FRAME_ACCESS_* */
	/* FRAME_KIND_TTY only. */
	struct frame_winsize	ws;
	size_t			nmodes;
	struct frame_ttymode	modes[FRAME_TTYMODES_MAX];
};

struct frame_fds {
	uint64_t	pos;	/* byte offset (stream) or record number */
	size_t		n;	/* 1..FRAME_FDS_MAX */
	uint32_t	chans[FRAME_FDS_MAX];
};

struct frame_error {
	uint32_t	code;	/* FRAME_ERR_*, or unknown but non-zero */
	size_t		textlen;
	char		text[FRAME_ERROR_TEXT_MAX + 1];	/* NUL-terminated */
};

/*
 * Frames.
 */

/*
 * Decode the frame header at the start of buf (buflen bytes) and say
 * whether the whole frame is there.  The length field is read and checked
 * against maxpayload (clamped to FRAME_PAYLOAD_MAX; before the handshake
 * use FRAME_HELLO_LIMIT) first, then the reserved bits, type, flags,
 * channel rule (hop messages on channel 0 only, channel messages never on
 * channel 0) and the type's length bounds, each as soon as its bytes are
 * there, so garbage fails early.  Returns
 *	 1: a complete, well-formed frame: *hdr is filled in, *sizep is
 *	    FRAME_HDR_LEN + hdr->len, the payload is at buf + FRAME_HDR_LEN;
 *	 0: need more bytes: *sizep is how many buf must hold (at least)
 *	    before the next call;
 *	-1: malformed: *why points to a static reason.
 * Reads no byte at or past buf + buflen.  The payload's contents are not
 * checked; use the frame_<type>_decode functions for that.  why and
 * sizep may be NULL.
 */
int	frame_decode(const uint8_t *buf, size_t buflen, uint32_t maxpayload,
	    struct frame_hdr *hdr, size_t *sizep, const char **why);
/*
 * Write a frame header for a payload of len bytes into buf (buflen bytes).
 * The payload itself is the caller's to place at buf + FRAME_HDR_LEN, or
 * to send from elsewhere (DATA without a copy).  Returns FRAME_HDR_LEN, or
 * -1 if buf is too small or the header would not decode (unknown type,
 * flag not defined for the type, wrong channel, bad length for the type).
 */
int	frame_encode_hdr(uint8_t *buf, size_t buflen, uint32_t chan,
	    uint8_t type, uint8_t flags, size_t len);
/*
 * Write a header and copy len bytes of payload after it into buf.
 * payload may be NULL when len is 0.  Returns the frame size, or -1 as
 * for frame_encode_hdr (buf unchanged when too small).
 */
int	frame_encode(uint8_t *buf, size_t buflen, uint32_t chan, uint8_t type,
	    uint8_t flags, const void *payload, size_t len);
/* The role (FRAME_ROLE_*) that allocates chan, or 0 for channel 0. */
int	frame_chan_role(uint32_t chan);
/* Printable names for logs: "OPEN", "seqpacket"; "unknown" otherwise. */
const char	*frame_type_name(uint8_t type);
const char	*frame_kind_name(uint8_t kind);

/*
 * Typed messages.  Each _encode writes a whole frame (header and body) for
 * channel chan into buf and returns its size, or -1 if buf is too small or
 * the message is invalid (the same checks as the decoder); buf is not
 * written on failure.  Each _decode parses the payload p of len bytes
 * (buf + FRAME_HDR_LEN, hdr.len, after frame_decode returned 1) into the
 * caller's struct and returns 0, or -1 with *why (may be NULL) set to a
 * static reason; the struct is then unspecified.  Nothing is allocated
 * and nothing is kept: the caller owns all memory.
 */

/* Fill h with version FRAME_VERSION, role and the FRAME_DEFAULT_* limits;
 * caps, auth and nonce are zero. */
void	frame_hello_init(struct frame_hello *h, uint8_t role);
int	frame_hello_encode(uint8_t *buf, size_t buflen,
	    const struct frame_hello *h);
/* Checks the magic, the version range, the role and every limit.  Bytes
 * past FRAME_HELLO_LEN are ignored (later versions append fields). */
int	frame_hello_decode(const uint8_t *p, size_t len, struct frame_hello *h,
	    const char **why);
/*
 * Agree on a version: the highest both local and peer speak.  Returns 0
 * with *version set, or -1 with *why set if there is none or both peers
 * have the same role; the caller then sends ERROR (FRAME_ERR_VERSION or
 * FRAME_ERR_PROTOCOL) on channel 0 and drops the hop.
 */
int	frame_hello_negotiate(const struct frame_hello *local,
	    const struct frame_hello *peer, uint16_t *version, const char **why);

int	frame_auth_encode(uint8_t *buf, size_t buflen,
	    const uint8_t mac[FRAME_MAC_LEN]);
int	frame_auth_decode(const uint8_t *p, size_t len,
	    uint8_t mac[FRAME_MAC_LEN], const char **why);

/* Checks kind, access against kind, session 0 only with a kind that can
 * be a control channel (stream, seqpacket), and for a tty the mode list:
 * at most FRAME_TTYMODES_MAX ops in 1..159, then FRAME_TTYOP_END, then
 * nothing.  o->ws and o->modes are ignored and zeroed for other kinds. */
int	frame_open_encode(uint8_t *buf, size_t buflen, uint32_t chan,
	    const struct frame_open *o);
int	frame_open_decode(const uint8_t *p, size_t len, struct frame_open *o,
	    const char **why);

/* n must be 1..FRAME_FDS_MAX; channel ids non-zero, repeats allowed. */
int	frame_fds_encode(uint8_t *buf, size_t buflen, uint32_t chan,
	    const struct frame_fds *f);
int	frame_fds_decode(const uint8_t *p, size_t len, struct frame_fds *f,
	    const char **why);

/* dir is FRAME_EOF_SEND or FRAME_EOF_RECV. */
int	frame_eof_encode(uint8_t *buf, size_t buflen, uint32_t chan,
	    uint8_t dir);
int	frame_eof_decode(const uint8_t *p, size_t len, uint8_t *dir,
	    const char **why);

/* CLOSE has no body: frame_decode has already checked its length. */
int	frame_close_encode(uint8_t *buf, size_t buflen, uint32_t chan);

/* credit is 1..FRAME_WINDOW_MAX. */
int	frame_window_encode(uint8_t *buf, size_t buflen, uint32_t chan,
	    uint32_t credit);
int	frame_window_decode(const uint8_t *p, size_t len, uint32_t *credit,
	    const char **why);

/* code is non-zero; text is a C string (NULL: empty), cut to
 * FRAME_ERROR_TEXT_MAX bytes.  Decoding copies the text into e->text and
 * NUL-terminates it; a text holding a NUL byte is malformed.  The text is
 * the peer's: escape it before printing. */
int	frame_error_encode(uint8_t *buf, size_t buflen, uint32_t chan,
	    uint32_t code, const char *text);
int	frame_error_decode(const uint8_t *p, size_t len, struct frame_error *e,
	    const char **why);

int	frame_winsize_encode(uint8_t *buf, size_t buflen, uint32_t chan,
	    const struct frame_winsize *ws);
int	frame_winsize_decode(const uint8_t *p, size_t len,
	    struct frame_winsize *ws, const char **why);

/* type is FRAME_PING or FRAME_PONG; a PONG echoes the PING's cookie. */
int	frame_ping_encode(uint8_t *buf, size_t buflen, uint8_t type,
	    uint64_t cookie);
int	frame_ping_decode(const uint8_t *p, size_t len, uint64_t *cookie,
	    const char **why);

#endif
