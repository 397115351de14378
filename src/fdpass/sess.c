/*
 * The sessions of the fd-passing mode: one per client connection, the
 * channels it holds, their ordered delivery (PROTOCOL.md 8), opening on
 * the far side, failure and the graceful wind-down of orphans.
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

static void
sess_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	sess_pump(arg);
}

/* Carry out queued items across the session's channels, in order. */
void
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

struct sess *
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

	s->freeing = 1;
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

void
sess_maybe_free(struct sess *s)
{
	if (s->nchans == 0)
		sess_free(s);
}

/*
 * End the session: ERROR (if send), CLOSE for every channel.  msg is a
 * warning, or only -d's if quiet (the cause was said already).
 */
static void
sess_fail_msg(struct sess *s, int send, int quiet, uint32_t code,
    const char *msg)
{
	struct chan	*c, *next;

	if (s->failed)
		return;
	s->failed = 1;
	if (send) {
		log_msg(quiet ? LOG_INFO : LOG_WARN, "session %u%s%s: %s",
		    s->id, s->who[0] ? " " : "", s->who, msg);
		send_error(s->m, s->id, code, msg);
		s->how = "failed";
	} else {
		log_warn("session %u%s%s: peer: %s", s->id,
		    s->who[0] ? " " : "", s->who, msg);
		s->how = "failed by the peer";
	}
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

void
sess_fail(struct sess *s, int send, uint32_t code, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (s->failed)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	sess_fail_msg(s, send, 0, code, msg);
	free(msg);
}

void
sess_fail_errno(struct sess *s, int err, const char *fmt, ...)
{
	va_list	 ap;
	char	*what, *msg, who[32];
	int	 quiet;

	if (s->failed)
		return;
	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	snprintf(who, sizeof who, "session %u", s->id);
	quiet = sock_fdshort(who, what, err);
	msg = xasprintf("%s: %s", what, strerror(err));
	sess_fail_msg(s, 1, quiet, FRAME_ERR_RESOURCE, msg);
	free(what);
	free(msg);
}

void
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
	char		*msg;

	s->op = NULL;
	c = chan_find(s->m, s->id);
	if (ep == NULL) {
		/* addr_open said why. */
		msg = xasprintf("cannot connect to %s", s->m->target->text);
		sess_fail_msg(s, 1, 1, FRAME_ERR_CONNECT, msg);
		free(msg);
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

void
sess_recv_open(struct mux *m, uint32_t id, const uint8_t *p, size_t len)
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
	case FRAME_KIND_DGRAM:
		if (sock_pair(chan_socktype(o.kind), fds) == -1)
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
	sess_fail_errno(s, errno, "cannot make a stand-in for %s",
	    frame_kind_name(o.kind));
}

static void
orphan_linger_cb(evutil_socket_t fd, short what, void *arg)
{
	sess_free(arg);
}

/* End every session on a dead hop. */
void
sess_end_all(struct mux *m)
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
