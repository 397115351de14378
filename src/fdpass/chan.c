/*
 * The channels of the fd-passing mode: one local fd each (the original
 * when we opened it, the relay end of a stand-in when we accepted it), an
 * outbound direction (local fd -> DATA, under the peer's credit) and an
 * inbound one (a queue of ordered items written to the local fd, credit
 * returned once written), and the channel frames from the hop.
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

#include "addr.h"
#include "endpoint.h"
#include "fdpass/fdio.h"
#include "fdpass/frame.h"
#include "fdpass/mux.h"
#include "fdpass/mux_int.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

static void	chan_read_cb(evutil_socket_t, short, void *);
static int	fd_readable(int);
static void	chan_source_eof(struct chan *);
static void	chan_write_cb(evutil_socket_t, short, void *);

struct chan *
chan_find(struct mux *m, uint32_t id)
{
	struct chan	*c;

	for (c = m->htab[id % HTAB]; c != NULL; c = c->hnext)
		if (c->id == id)
			return (c);
	return (NULL);
}

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

/* The socket type that stands in for a socket channel of kind. */
int
chan_socktype(uint8_t kind)
{
	switch (kind) {
	case FRAME_KIND_SEQPACKET:
		return (SOCK_SEQPACKET);
	case FRAME_KIND_DGRAM:
		return (SOCK_DGRAM);
	}
	return (SOCK_STREAM);
}

struct chan *
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
	c->is_sock = (kind == FRAME_KIND_STREAM ||
	    kind == FRAME_KIND_SEQPACKET || kind == FRAME_KIND_DGRAM);
	c->is_rec = (kind == FRAME_KIND_SEQPACKET || kind == FRAME_KIND_DGRAM);
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
void
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

void
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

void
chan_release_pass(struct chan *c)
{
	if (c->passfd >= 0) {
		close(c->passfd);
		c->passfd = -1;
	}
}

void
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
void
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

/*
 * A datagram socket tells no end of file, so its channel ends with the
 * session's own connection: when the control channel goes, the datagram
 * channels stop reading (EOF SEND) and close once the peer, which does
 * the same, has stopped too.
 */
static void
chan_dgram_end(struct sess *s)
{
	struct chan	*c, *next;

	s->nchans++;	/* hold the session */
	for (c = s->chans; c != NULL; c = next) {
		next = c->next;
		if (c->kind != FRAME_KIND_DGRAM || s->m == NULL)
			continue;
		if (c->out_open)
			chan_source_eof(c);
		chan_check_close(c);
	}
	s->nchans--;
}

void
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
	if (c->id == s->id && !s->freeing)
		chan_dgram_end(s);
	free(c);
	sess_maybe_free(s);
}

/* Send CLOSE (once), closing the local side. */
void
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
void
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
	    !(m->peer.caps & FRAME_CAP_SEQPACKET)) ||
	    (cls.kind == FRAME_KIND_DGRAM &&
	    !(m->peer.caps & FRAME_CAP_DGRAM))) {
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
	/* A datagram socket has no end of file: 0 is an empty record. */
	if (n == 0 && nfds == 0 && c->kind != FRAME_KIND_DGRAM) {
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
int
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
				    errno == EIO || errno == ECONNREFUSED) {
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

void
chan_item_add(struct chan *c, enum item_type type, const void *p, size_t len,
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
	case FRAME_KIND_DGRAM:
		if (sock_pair(chan_socktype(kind), fds) == -1)
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

void
chan_recv_fds(struct chan *c, const uint8_t *p, size_t len)
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
			sess_fail_errno(s, errno, "dup");
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

void
chan_recv_data(struct chan *c, uint8_t flags, const uint8_t *p, size_t len)
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
		/*
		 * A fragment's credit goes back at once (PROTOCOL.md 7), so
		 * a record as large as the window can always be finished;
		 * the record is bounded by max_record instead.  The whole
		 * record then costs only its last fragment.
		 */
		if (flags & FRAME_F_MORE) {
			c->ret += cost;
			chan_return_credit(c, c->q == NULL);
			return;
		}
		len = evbuffer_get_length(c->rec);
		chan_item_add(c, IT_DATA, evbuffer_pullup(c->rec, -1), len,
		    cost);
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
		chan_item_add(c, IT_DATA, p + done, len - done,
		    (uint32_t)(len - done));
		if (done > 0)
			chan_blocked(c);
	}
	sess_pump(s);
}
