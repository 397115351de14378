/*
 * The record relay (see dgram.h): two directions, each with one record
 * buffer, one read event on its source and one write event on its sink.
 * A fd that cannot be polled (a regular file) is treated as always ready.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "dgram.h"
#include "dump.h"
#include "endpoint.h"
#include "log.h"
#include "pump.h"
#include "xmalloc.h"

/* recv(MSG_TRUNC) gives a record's real length on Linux. */
#if HAVE_DECL_SOCK_SEQPACKET && defined(__linux__) && defined(MSG_TRUNC)
#define RECV_FLAGS	MSG_TRUNC
#else
#define RECV_FLAGS	0
#endif

struct dgram;

struct dgdir {
	struct dgram	*g;
	int		 idx;
	int		 open;		/* moving records */
	int		 sfd;
	int		 dfd;
	int		 stype;		/* SO_TYPE of sfd, 0: not a socket */
	int		 dtype;
	int		 spoll;		/* sfd can be polled */
	int		 dpoll;
	unsigned char	*buf;
	size_t		 cap;		/* read at most this much */
	size_t		 len;		/* held: bytes in buf */
	size_t		 off;		/* of them, written (stream sink) */
	int		 held;
	uint64_t	 bytes;
	uint64_t	 records;
	struct event	*ev_rd;
	struct event	*ev_wr;
};

struct dgram {
	struct event_base	*base;
	struct relay_conf	 conf;
	struct endpoint		*ep[2];
	struct dgdir		 dir[2];
	int			 ending;
	int			 stopping;
	enum relay_end		 why;
	struct timeval		 start;
	struct timeval		 last;
	struct event		*ev_end;
	struct event		*ev_linger;
	struct event		*ev_idle;
	struct event		*ev_stop;
	relay_done_cb		*cb;
	void			*arg;
};

static void	dgram_end(struct dgram *, enum relay_end, int, const char *);

static struct timeval
tv_secs(double s)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)s;
	tv.tv_usec = (suseconds_t)((s - floor(s)) * 1e6);
	return (tv);
}

int
dgram_socktype(int fd)
{
	int		type;
	socklen_t	len = sizeof type;

	if (fd == -1 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1)
		return (0);
	return (type);
}

static int
is_record(int type)
{
	if (type == SOCK_DGRAM)
		return (1);
#if HAVE_DECL_SOCK_SEQPACKET
	if (type == SOCK_SEQPACKET)
		return (1);
#endif
	return (0);
}

/* A stream socket of ours is known without asking the kernel. */
static int
ep_record(const struct endpoint *ep)
{
	if (endpoint_nbstream(ep))
		return (0);
	return (is_record(dgram_socktype(endpoint_rfd(ep))) ||
	    is_record(dgram_socktype(endpoint_wfd(ep))));
}

int
dgram_wanted(const struct endpoint *a, const struct endpoint *b)
{
	return (ep_record(a) || ep_record(b));
}

/* Ask for a read (or write) callback: poll, or run now if unpollable. */
static void
want(struct event *ev, int pollable)
{
	if (pollable)
		event_add(ev, NULL);
	else
		event_active(ev, EV_READ, 0);
}

static void
linger_arm(struct dgram *g)
{
	struct timeval	tv;

	tv = tv_secs(g->conf.linger > 0 ? g->conf.linger : DGRAM_LINGER);
	event_add(g->ev_linger, &tv);
}

/* Direction d is finished: its sink gets EOF where it can take one. */
static void
dir_done(struct dgdir *d)
{
	struct dgram	*g = d->g;
	struct dgdir	*other = &g->dir[!d->idx];

	if (!d->open)
		return;
	d->open = 0;
	event_del(d->ev_rd);
	event_del(d->ev_wr);
	if (endpoint_shutdown_wr(g->ep[!d->idx]) == -1 && !g->ending) {
		dgram_end(g, RELAY_FAILED, errno, endpoint_name(g->ep[!d->idx]));
		return;
	}
	if (!other->open || g->ending) {
		if (!other->held || !other->open)
			dgram_end(g, g->ending ? g->why : RELAY_DONE, 0, NULL);
		return;
	}
	/* A datagram source never ends: stop once it has been quiet. */
	if (other->stype == SOCK_DGRAM || g->conf.linger > 0)
		linger_arm(g);
}

/* Write what d holds.  Returns 1 if it all went, 0 to wait, -1 ended. */
static int
dir_flush(struct dgdir *d)
{
	struct dgram	*g = d->g;
	ssize_t		 n;

	while (d->held) {
		if (is_record(d->dtype)) {
			do {
				n = send(d->dfd, d->buf, d->len, 0);
			} while (n == -1 && errno == EINTR);
		} else {
			do {
				n = write(d->dfd, d->buf + d->off,
				    d->len - d->off);
			} while (n == -1 && errno == EINTR);
		}
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS)) {
			want(d->ev_wr, d->dpoll);
			return (0);
		}
		if (n == -1) {
			if (errno == EMSGSIZE)
				log_warn("%s: a record of %zu bytes is too "
				    "large for it", endpoint_name(
				    g->ep[!d->idx]), d->len);
			dgram_end(g, RELAY_FAILED, errno,
			    endpoint_name(g->ep[!d->idx]));
			return (-1);
		}
		if (is_record(d->dtype) || (d->off += (size_t)n) == d->len) {
			d->held = 0;
			d->len = d->off = 0;
		}
	}
	return (1);
}

static void
dir_read(struct dgdir *d)
{
	struct dgram	*g = d->g;
	ssize_t		 n;

	if (is_record(d->stype)) {
		do {
			n = recv(d->sfd, d->buf, d->cap, RECV_FLAGS);
		} while (n == -1 && errno == EINTR);
	} else {
		do {
			n = read(d->sfd, d->buf, d->cap);
		} while (n == -1 && errno == EINTR);
	}
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			want(d->ev_rd, d->spoll);
			return;
		}
		dgram_end(g, RELAY_FAILED, errno, endpoint_name(g->ep[d->idx]));
		return;
	}
	if (n == 0 && d->stype != SOCK_DGRAM) {
		dir_done(d);
		return;
	}
	if (is_record(d->stype) && (size_t)n >= d->cap) {
		log_err("%s: a record of %s%zd bytes is larger than the "
		    "%d ferry relays whole: refused, not split",
		    endpoint_name(g->ep[d->idx]), RECV_FLAGS ? "" : "more than ",
		    RECV_FLAGS ? n : (ssize_t)DGRAM_MAX, DGRAM_MAX);
		dgram_end(g, RELAY_FAILED, 0, endpoint_name(g->ep[d->idx]));
		return;
	}
	if (g->conf.dump && n > 0)
		dump_bytes(g->conf.dump, d->idx, d->buf, (size_t)n, 0,
		    (size_t)n);
	d->bytes += (uint64_t)n;
	d->records++;
	if (g->conf.idle > 0)
		event_base_gettimeofday_cached(g->base, &g->last);
	if (!g->dir[!d->idx].open && evtimer_pending(g->ev_linger, NULL))
		linger_arm(g);
	/*
	 * An empty datagram is no bytes at all on a stream, and would read
	 * as the end on a seqpacket socket: only a datagram sink gets it.
	 */
	if (n == 0 && d->dtype != SOCK_DGRAM) {
		want(d->ev_rd, d->spoll);
		return;
	}
	d->len = (size_t)n;
	d->off = 0;
	d->held = 1;
	if (dir_flush(d) == 1)
		want(d->ev_rd, d->spoll);
}

static void
dir_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dgdir	*d = arg;

	if (d->g->ending || !d->open || d->held)
		return;
	dir_read(d);
}

static void
dir_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dgdir	*d = arg;
	struct dgram	*g = d->g;

	if (!d->open || (g->ending && !g->stopping))
		return;
	if (dir_flush(d) != 1)
		return;
	if (g->stopping) {
		dir_done(d);
		return;
	}
	want(d->ev_rd, d->spoll);
}

static void
dgram_linger(evutil_socket_t fd, short what, void *arg)
{
	dgram_end(arg, RELAY_LINGERED, 0, NULL);
}

static void
dgram_idle(evutil_socket_t fd, short what, void *arg)
{
	struct dgram	*g = arg;
	struct timeval	 now, since, left, limit;

	limit = tv_secs(g->conf.idle);
	event_base_gettimeofday_cached(g->base, &now);
	evutil_timersub(&now, &g->last, &since);
	if (evutil_timercmp(&since, &limit, <)) {
		evutil_timersub(&limit, &since, &left);
		event_add(g->ev_idle, &left);
		return;
	}
	dgram_end(g, RELAY_IDLE, 0, NULL);
}

static void
dgram_stop_timeout(evutil_socket_t fd, short what, void *arg)
{
	/* Still stopping: dgram_end takes it from here. */
	dgram_end(arg, RELAY_STOPPED, 0, NULL);
}

static const char *
end_words(enum relay_end why)
{
	switch (why) {
	case RELAY_DONE:
		return ("closed");
	case RELAY_LINGERED:
		return ("quiet after the end of the other side");
	case RELAY_IDLE:
		return ("idle for -T");
	case RELAY_STOPPED:
		return ("stopped");
	case RELAY_FAILED:
		return ("failed");
	}
	return ("?");
}

void
dgram_describe(const struct dgram *g, char *buf, size_t size)
{
	struct timeval	now, took;

	evutil_gettimeofday(&now, NULL);
	evutil_timersub(&now, &g->start, &took);
	snprintf(buf, size, "%s <-> %s: %ld.%03lds, %llu records (%llu bytes) "
	    ">, %llu records (%llu bytes) <", endpoint_name(g->ep[0]),
	    endpoint_name(g->ep[1]), (long)took.tv_sec,
	    (long)took.tv_usec / 1000, (unsigned long long)g->dir[0].records,
	    (unsigned long long)g->dir[0].bytes,
	    (unsigned long long)g->dir[1].records,
	    (unsigned long long)g->dir[1].bytes);
}

static void
dgram_teardown(evutil_socket_t fd, short what, void *arg)
{
	struct dgram	*g = arg;
	relay_done_cb	*cb = g->cb;
	void		*cbarg = g->arg;
	enum relay_end	 why = g->why;
	int		 i;

	log_info("%s <-> %s: %s, %llu records (%llu bytes) >, %llu records "
	    "(%llu bytes) <", endpoint_name(g->ep[0]), endpoint_name(g->ep[1]),
	    end_words(g->why), (unsigned long long)g->dir[0].records,
	    (unsigned long long)g->dir[0].bytes,
	    (unsigned long long)g->dir[1].records,
	    (unsigned long long)g->dir[1].bytes);
	for (i = 0; i < 2; i++) {
		event_free(g->dir[i].ev_rd);
		event_free(g->dir[i].ev_wr);
		x_free(g->dir[i].buf);
		endpoint_free(g->ep[i]);
	}
	if (g->ev_linger != NULL)
		event_free(g->ev_linger);
	if (g->ev_idle != NULL)
		event_free(g->ev_idle);
	if (g->ev_stop != NULL)
		event_free(g->ev_stop);
	event_free(g->ev_end);
	x_free(g);
	cb(why, cbarg);
}

/* The one way out: stop every event now, free from the loop. */
static void
dgram_end(struct dgram *g, enum relay_end why, int err, const char *where)
{
	int	i;

	if (g->ending && !g->stopping)
		return;
	if (g->stopping && why == RELAY_DONE)
		why = RELAY_STOPPED;
	g->ending = 1;
	g->stopping = 0;
	g->why = why;
	for (i = 0; i < 2; i++) {
		event_del(g->dir[i].ev_rd);
		event_del(g->dir[i].ev_wr);
	}
	if (why == RELAY_FAILED && err != 0) {
		if (err == ECONNRESET || err == EPIPE)
			log_info("%s: %s", where, strerror(err));
		else if (err == ECONNREFUSED)
			log_warn("%s: %s (nothing listens there)", where,
			    strerror(err));
		else
			log_warn("%s: %s", where, strerror(err));
	}
	event_active(g->ev_end, EV_TIMEOUT, 0);
}

static int
pollable(struct event_base *base, int fd)
{
	return (fd == -1 || !pump_needed(base, fd));
}

struct dgram *
dgram_new(struct event_base *base, struct endpoint *left,
    struct endpoint *right, const struct relay_conf *conf, relay_done_cb *cb,
    void *arg)
{
	struct dgram	*g;
	struct timeval	 tv;
	int		 i, any = 0;

	g = xcalloc(1, sizeof *g);
	g->base = base;
	g->conf = *conf;
	g->ep[0] = left;
	g->ep[1] = right;
	g->cb = cb;
	g->arg = arg;
	g->ev_end = event_new(base, -1, 0, dgram_teardown, g);
	g->ev_linger = evtimer_new(base, dgram_linger, g);
	evutil_gettimeofday(&g->start, NULL);
	g->last = g->start;
	for (i = 0; i < 2; i++) {
		struct dgdir	*d = &g->dir[i];

		d->g = g;
		d->idx = i;
		d->sfd = endpoint_rfd(g->ep[i]);
		d->dfd = endpoint_wfd(g->ep[!i]);
		d->open = (conf->dirs & (i == 0 ? RELAY_LR : RELAY_RL)) &&
		    d->sfd != -1 && d->dfd != -1;
		d->stype = dgram_socktype(d->sfd);
		d->dtype = dgram_socktype(d->dfd);
		d->spoll = pollable(base, d->sfd);
		d->dpoll = pollable(base, d->dfd);
		if (is_record(d->stype))
			d->cap = DGRAM_MAX + 1;
		else {
			d->cap = conf->readsize > 0 ? conf->readsize : 65536;
			if (is_record(d->dtype) && d->cap > DGRAM_CHUNK)
				d->cap = DGRAM_CHUNK;
		}
		d->buf = xmalloc(d->cap);
		d->ev_rd = event_new(base, d->spoll ? d->sfd : -1, EV_READ,
		    dir_read_cb, d);
		d->ev_wr = event_new(base, d->dpoll ? d->dfd : -1, EV_WRITE,
		    dir_write_cb, d);
		any |= d->open;
	}
	if (!any) {
		dgram_end(g, RELAY_DONE, 0, NULL);
		return (g);
	}
	/* A direction that does not exist: its sink reads EOF now. */
	for (i = 0; i < 2; i++) {
		int	wfd = endpoint_wfd(g->ep[!i]);

		if (g->dir[i].open || wfd == -1 || dgram_socktype(wfd) == 0 ||
		    wfd == endpoint_rfd(g->ep[i]) ||
		    wfd == endpoint_wfd(g->ep[i]))
			continue;
		(void)endpoint_shutdown_wr(g->ep[!i]);
	}
	if (conf->idle > 0) {
		g->ev_idle = evtimer_new(base, dgram_idle, g);
		tv = tv_secs(conf->idle);
		event_add(g->ev_idle, &tv);
	}
	for (i = 0; i < 2; i++)
		if (g->dir[i].open)
			want(g->dir[i].ev_rd, g->dir[i].spoll);
	return (g);
}

void
dgram_stop(struct dgram *g, double timeout)
{
	struct timeval	tv = tv_secs(timeout);
	int		i;

	if (g->ending)
		return;
	g->ending = 1;
	g->stopping = 1;
	g->why = RELAY_STOPPED;
	g->ev_stop = evtimer_new(g->base, dgram_stop_timeout, g);
	event_add(g->ev_stop, &tv);
	for (i = 0; i < 2; i++) {
		event_del(g->dir[i].ev_rd);
		if (!g->dir[i].held)
			dir_done(&g->dir[i]);
	}
}
