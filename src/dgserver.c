/*
 * Datagram servers (see dgserver.h): one bound socket, and with fork one
 * session per sender, each a seqpacket socketpair, with its own idle timer.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "addr.h"
#include "dgram.h"
#include "dgserver.h"
#include "endpoint.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

#if HAVE_DECL_SOCK_SEQPACKET && defined(__linux__) && defined(MSG_TRUNC)
#define RECV_FLAGS	MSG_TRUNC
#else
#define RECV_FLAGS	0
#endif

struct peer;

struct dgserver {
	struct addr		*addr;
	struct event_base	*base;
	int			 fd;
	int			 once;
	int			 enabled;
	listener_cb		*cb;
	void			*arg;
	struct event		*ev_rd;
	unsigned char		*buf;
	size_t			 len;
	struct peer		*waiting;	/* holds buf: its pair is full */
	struct peer		*peers;
};

/* One sender's session: our end of its socketpair. */
struct peer {
	struct dgserver		*s;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	char			 name[SOCK_NTOP_MAX];
	int			 fd;
	struct event		*ev_rd;		/* replies from the relay */
	struct event		*ev_wr;		/* the pair has room again */
	struct event		*ev_out;	/* the socket has room again */
	struct event		*ev_idle;
	struct timeval		 last;
	unsigned char		*rbuf;		/* a reply, while held */
	size_t			 rlen;
	struct peer		*next;
	struct peer		**prevp;
};

static double	idle_secs = DGSERVER_IDLE;

void
dgserver_set_idle(double secs)
{
	if (secs > 0)
		idle_secs = secs;
}

static struct timeval
tv_secs(double s)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)s;
	tv.tv_usec = (suseconds_t)((s - floor(s)) * 1e6);
	return (tv);
}

static void
server_read_on(struct dgserver *s)
{
	if (s->enabled && s->waiting == NULL && s->fd != -1)
		event_add(s->ev_rd, NULL);
}

/* The one teardown of a session: our end closes, the relay sees EOF. */
static void
peer_free(struct peer *p)
{
	struct dgserver	*s = p->s;

	log_debug("%s: session with %s ended", s->addr->text, p->name);
	event_free(p->ev_rd);
	event_free(p->ev_wr);
	event_free(p->ev_out);
	event_free(p->ev_idle);
	close(p->fd);
	x_free(p->rbuf);
	if (p->next != NULL)
		p->next->prevp = p->prevp;
	*p->prevp = p->next;
	if (s->waiting == p) {
		s->waiting = NULL;	/* its datagram goes with it */
		server_read_on(s);
	}
	x_free(p);
}

static void
peer_touch(struct peer *p)
{
	struct timeval	tv = tv_secs(idle_secs);

	event_base_gettimeofday_cached(p->s->base, &p->last);
	event_add(p->ev_idle, &tv);
}

static void
peer_idle(evutil_socket_t fd, short what, void *arg)
{
	peer_free(arg);
}

/* Send the held reply to the sender.  0 sent or dropped, 1 wait. */
static int
peer_reply(struct peer *p)
{
	struct dgserver	*s = p->s;
	ssize_t		 n;

	do {
		n = sendto(s->fd, p->rbuf, p->rlen, 0,
		    (struct sockaddr *)&p->ss, p->sslen);
	} while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == ENOBUFS)) {
		event_add(p->ev_out, NULL);
		return (1);
	}
	if (n == -1)
		log_info("%s: reply to %s: %s (dropped)", s->addr->text,
		    p->name, strerror(errno));
	p->rlen = 0;
	return (0);
}

static void
peer_read(evutil_socket_t fd, short what, void *arg)
{
	struct peer	*p = arg;
	ssize_t		 n;

	do {
		n = recv(p->fd, p->rbuf, DGRAM_MAX, 0);
	} while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		peer_free(p);
		return;
	}
	peer_touch(p);
	p->rlen = (size_t)n;
	if (p->sslen == 0) {
		log_debug("%s: %s has no address: reply dropped",
		    p->s->addr->text, p->name);
		p->rlen = 0;
		return;
	}
	if (peer_reply(p) == 1)
		event_del(p->ev_rd);
}

static void
peer_out(evutil_socket_t fd, short what, void *arg)
{
	struct peer	*p = arg;

	if (peer_reply(p) == 0)
		event_add(p->ev_rd, NULL);
}

/* Hand the server's datagram to p.  0 done, 1 wait for room. */
static int
peer_deliver(struct peer *p)
{
	struct dgserver	*s = p->s;
	ssize_t		 n;

	do {
		n = send(p->fd, s->buf, s->len, 0);
	} while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == ENOBUFS)) {
		s->waiting = p;
		event_add(p->ev_wr, NULL);
		return (1);
	}
	if (n == -1) {
		/* The relay is gone: so is the session. */
		peer_free(p);
	}
	return (0);
}

static void
peer_room(evutil_socket_t fd, short what, void *arg)
{
	struct peer	*p = arg;
	struct dgserver	*s = p->s;

	s->waiting = NULL;
	if (peer_deliver(p) == 0)
		server_read_on(s);
}

static struct peer *
peer_find(struct dgserver *s, const struct sockaddr_storage *ss,
    socklen_t len)
{
	struct peer	*p;

	for (p = s->peers; p != NULL; p = p->next)
		if (p->sslen == len && memcmp(&p->ss, ss, len) == 0)
			return (p);
	return (NULL);
}

static struct peer *
peer_new(struct dgserver *s, const struct sockaddr_storage *ss,
    socklen_t len)
{
	struct peer	*p;
	struct endpoint	*ep;
	int		 fds[2];

#if HAVE_DECL_SOCK_SEQPACKET
	if (sock_pair(SOCK_SEQPACKET, fds) == -1) {
		log_warn("%s: socketpair: %s", s->addr->text, strerror(errno));
		return (NULL);
	}
#else
	(void)fds;
	return (NULL);		/* dgserver_new refuses fork without them */
#endif
	(void)sock_nonblock(fds[0], 1);
	(void)sock_nonblock(fds[1], 1);
	p = xcalloc(1, sizeof *p);
	p->s = s;
	memcpy(&p->ss, ss, len);
	p->sslen = len;
	if (len > offsetof(struct sockaddr, sa_data) || ss->ss_family !=
	    AF_UNIX)
		sock_ntop((const struct sockaddr *)ss, len, p->name);
	else {
		snprintf(p->name, sizeof p->name, "(unnamed)");
		p->sslen = 0;
	}
	p->fd = fds[0];
	p->rbuf = xmalloc(DGRAM_MAX);
	p->ev_rd = event_new(s->base, p->fd, EV_READ | EV_PERSIST, peer_read,
	    p);
	p->ev_wr = event_new(s->base, p->fd, EV_WRITE, peer_room, p);
	p->ev_out = event_new(s->base, s->fd, EV_WRITE, peer_out, p);
	p->ev_idle = evtimer_new(s->base, peer_idle, p);
	p->next = s->peers;
	if (p->next != NULL)
		p->next->prevp = &p->next;
	p->prevp = &s->peers;
	s->peers = p;
	event_add(p->ev_rd, NULL);
	peer_touch(p);
	log_debug("%s: new session with %s", s->addr->text, p->name);
	ep = endpoint_new(p->name, fds[1], fds[1]);
	s->cb(ep, s->arg);	/* may free ep (max-children): p sees EOF */
	return (p);
}

static void
server_read_fork(struct dgserver *s)
{
	struct sockaddr_storage	 ss;
	struct peer		*p;
	socklen_t		 len;
	ssize_t			 n;
	int			 i;

	for (i = 0; i < 64 && s->waiting == NULL; i++) {
		len = sizeof ss;
		memset(&ss, 0, sizeof ss);
		do {
			n = recvfrom(s->fd, s->buf, DGRAM_MAX + 1, RECV_FLAGS,
			    (struct sockaddr *)&ss, &len);
		} while (n == -1 && errno == EINTR);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_info("%s: recvfrom: %s", s->addr->text,
				    strerror(errno));
			return;
		}
		if (n > DGRAM_MAX) {
			log_warn("%s: a datagram of %zd bytes is larger than "
			    "the %d ferry relays whole: dropped",
			    s->addr->text, n, DGRAM_MAX);
			continue;
		}
		if (n == 0)
			continue;
		s->len = (size_t)n;
		/* A refused session (max-children) fails the send below. */
		if ((p = peer_find(s, &ss, len)) == NULL &&
		    (p = peer_new(s, &ss, len)) == NULL)
			continue;
		peer_touch(p);
		(void)peer_deliver(p);
	}
}

/* Once: connect the socket to the first sender and hand it over. */
static void
server_read_once(struct dgserver *s)
{
	struct sockaddr_storage	 ss;
	struct endpoint		*ep;
	socklen_t		 len = sizeof ss;
	char			 name[SOCK_NTOP_MAX];
	unsigned char		 c;
	int			 fd = s->fd, named;

	memset(&ss, 0, sizeof ss);
	if (recvfrom(fd, &c, 1, MSG_PEEK, (struct sockaddr *)&ss, &len) == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_info("%s: recvfrom: %s", s->addr->text,
			    strerror(errno));
		server_read_on(s);
		return;
	}
	named = ss.ss_family != AF_UNIX ||
	    len > offsetof(struct sockaddr, sa_data);
	if (named) {
		sock_ntop((struct sockaddr *)&ss, len, name);
		if (connect(fd, (struct sockaddr *)&ss, len) == -1) {
			log_warn("%s: connect to %s: %s", s->addr->text, name,
			    strerror(errno));
			named = 0;
		}
	} else
		snprintf(name, sizeof name, "(unnamed)");
	log_debug("%s: first datagram from %s", s->addr->text, name);
	s->fd = -1;
	ep = endpoint_new(named ? name : s->addr->text, fd, named ? fd : -1);
	s->cb(ep, s->arg);
}

static void
server_read(evutil_socket_t fd, short what, void *arg)
{
	struct dgserver	*s = arg;

	if (s->once)
		server_read_once(s);
	else {
		server_read_fork(s);
		server_read_on(s);
	}
}

struct dgserver *
dgserver_new(struct addr *a, struct event_base *base, int fd, int once,
    listener_cb *cb, void *arg)
{
	struct dgserver	*s;
	struct endpoint	*ep;

#if !HAVE_DECL_SOCK_SEQPACKET
	if (!once) {
		log_err("%s: fork on a datagram address needs SOCK_SEQPACKET "
		    "socketpairs, which this build has not", a->text);
		close(fd);
		return (NULL);
	}
#endif
	if (sock_nonblock(fd, 1) == -1) {
		log_err("%s: %s", a->text, strerror(errno));
		close(fd);
		return (NULL);
	}
	s = xcalloc(1, sizeof *s);
	s->addr = a;
	s->base = base;
	s->fd = fd;
	s->once = once;
	s->enabled = 1;
	s->cb = cb;
	s->arg = arg;
	s->buf = xmalloc(DGRAM_MAX + 1);
	s->ev_rd = event_new(base, fd, EV_READ, server_read, s);
	if (once && (a->kind->flags & KIND_RECV)) {
		/* Datagrams from anyone, no replies: the socket as it is. */
		s->fd = -1;
		ep = endpoint_new(a->text, fd, -1);
		s->cb(ep, s->arg);
		return (s);
	}
	server_read_on(s);
	return (s);
}

void
dgserver_enable(struct dgserver *s, int on)
{
	s->enabled = on;
	if (on)
		server_read_on(s);
	else
		event_del(s->ev_rd);
}

void
dgserver_free(struct dgserver *s)
{
	if (s == NULL)
		return;
	while (s->peers != NULL)
		peer_free(s->peers);
	event_free(s->ev_rd);
	if (s->fd != -1)
		close(s->fd);
	x_free(s->buf);
	x_free(s);
}
