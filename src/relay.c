#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "dump.h"
#include "endpoint.h"
#include "log.h"
#include "pump.h"
#include "relay.h"
#include "sock.h"
#include "tls.h"
#include "xmalloc.h"

#define READ_DEFAULT	(64 * 1024)
#define HIGH_FACTOR	4	/* stop reading at this many reads queued */
#define SPLICE_PIPE	(256 * 1024)	/* pipe size asked for a splice */
#define SPLICE_ROUNDS	8	/* per callback, so no relay hogs the loop */
#define POOL_MAX	32	/* idle splice pipes kept for reuse */
#define BOUNCE_SIZE	16384	/* no pipe to be had: copy this much a time */
#define PROGRESS_USEC	500000	/* --progress: the line's refresh */

enum dir_state {
	DIR_OPEN,		/* moving bytes */
	DIR_FLUSHING,		/* source at EOF, sink still has data */
	DIR_DONE,		/* sink shut down, or no such direction */
};

struct relay;

/* One endpoint's side: the bufferevents the relay reads and writes. */
struct side {
	struct relay		*r;
	int			 idx;
	struct endpoint		*ep;
	struct bufferevent	*in;	/* read: source of dir[idx] */
	struct bufferevent	*out;	/* written: sink of dir[!idx] */
	struct pump		*pin;
	struct pump		*pout;
	int			 borrowed;	/* the endpoint's own (TLS) */
};

/*
 * One direction: side[idx] -> side[!idx].  Bytes move either through
 * bufferevents (src, dst) or, between two non-blocking sockets on Linux,
 * through a pipe with splice(2) and never enter user space (sfd, dfd).
 */
struct dir {
	struct relay		*r;
	int			 idx;
	enum dir_state		 state;
	int			 blocked;	/* source paused: sink full */
	uint64_t		 bytes;
	struct bufferevent	*src;
	struct bufferevent	*dst;
	int			 splice;
	int			 raw;		/* read sfd ourselves: big reads */
	int			 sfd;
	int			 dfd;
	int			 pipe[2];	/* lent while bytes are in it */
	size_t			 inpipe;	/* bytes in the pipe */
	size_t			 pipecap;
	int			 eof;		/* sfd read EOF */
	int			 bounced;	/* no pipe, sink was full */
	int			 bounce_said;
	int			 stopping;	/* then EOF at stop_at bytes */
	uint64_t		 stop_at;
	struct event		*ev_rd;
	struct event		*ev_wr;
};

struct relay {
	struct event_base	*base;
	struct relay_conf	 conf;
	size_t			 high;
	struct side		 side[2];
	struct dir		 dir[2];
	int			 ending;
	enum relay_end		 why;
	int			 err;
	const char		*errstr;	/* instead of strerror(err) */
	const char		*errwhere;
	struct timeval		 start;
	struct timeval		 last;		/* last traffic, for -T */
	struct event		*ev_end;	/* deferred teardown */
	struct event		*ev_linger;
	struct event		*ev_idle;
	struct event		*ev_stop;
	struct event		*ev_progress;
	relay_done_cb		*cb;
	void			*arg;
};

static void	relay_end(struct relay *, enum relay_end, int err,
		    const char *where);
static void	dir_eof(struct dir *);
static void	dir_stopped(struct dir *);

static int	nrelays;	/* alive: the pipe pool never outgrows it */

static struct timeval
tv_secs(double s)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)s;
	tv.tv_usec = (suseconds_t)((s - floor(s)) * 1e6);
	return (tv);
}

static void
dir_finish(struct dir *d)
{
	struct relay	*r = d->r;
	struct dir	*other = &r->dir[!d->idx];
	struct timeval	 tv;

	if (d->state == DIR_DONE)
		return;
	d->state = DIR_DONE;
	if ((r->side[!d->idx].pout != NULL &&
	    pump_flush(r->side[!d->idx].pout) == -1) ||
	    endpoint_shutdown_wr(r->side[!d->idx].ep) == -1) {
		relay_end(r, RELAY_FAILED, errno,
		    endpoint_name(r->side[!d->idx].ep));
		return;
	}
	if (other->state == DIR_DONE) {
		relay_end(r, r->ending ? r->why : RELAY_DONE, 0, NULL);
		return;
	}
	if (r->ev_linger != NULL) {
		tv = tv_secs(r->conf.linger);
		event_add(r->ev_linger, &tv);
	}
}

/* Move what the source has to the sink; pause the source if it is full. */
static void
dir_move(struct dir *d)
{
	struct relay	*r = d->r;
	struct evbuffer	*in = bufferevent_get_input(d->src);
	struct evbuffer	*out = bufferevent_get_output(d->dst);
	size_t		 n;

	if ((n = evbuffer_get_length(in)) == 0)
		return;
	if (r->conf.dump)
		dump_traffic(r->conf.dump, d->idx, in);
	evbuffer_add_buffer(out, in);
	d->bytes += n;
	if (r->conf.idle > 0)
		event_base_gettimeofday_cached(r->base, &r->last);
	if (!d->blocked && evbuffer_get_length(out) >= r->high) {
		d->blocked = 1;
		bufferevent_disable(d->src, EV_READ);
	}
}

static void
side_read(struct bufferevent *bev, void *arg)
{
	struct side	*s = arg;
	struct dir	*d = &s->r->dir[s->idx];

	if ((s->r->ending && s->r->ev_stop == NULL) || d->state != DIR_OPEN)
		return;
	dir_move(d);
	dir_stopped(d);
}

/* The sink drained below its low watermark (0 unless d->blocked). */
static void
side_write(struct bufferevent *bev, void *arg)
{
	struct side	*s = arg;
	struct dir	*d = &s->r->dir[!s->idx];
	struct evbuffer	*out = bufferevent_get_output(d->dst);

	if (s->r->ending && s->r->ev_stop == NULL)
		return;
	if (d->blocked && evbuffer_get_length(out) <= s->r->high / 2) {
		d->blocked = 0;
		if (d->state == DIR_OPEN && d->raw)
			event_add(d->ev_rd, NULL);
		else if (d->state == DIR_OPEN)
			bufferevent_enable(d->src, EV_READ);
	}
	if (d->state == DIR_FLUSHING && evbuffer_get_length(out) == 0)
		dir_finish(d);
}

static void
dir_eof(struct dir *d)
{
	if (d->state != DIR_OPEN)
		return;
	if (d->splice) {
		d->eof = 1;
		event_del(d->ev_rd);
		d->state = DIR_FLUSHING;
		if (d->inpipe == 0)
			dir_finish(d);
		return;
	}
	if (d->raw)
		event_del(d->ev_rd);
	else {
		dir_move(d);	/* a pump may hand over data with its EOF */
		bufferevent_disable(d->src, EV_READ);
	}
	d->state = DIR_FLUSHING;
	if (evbuffer_get_length(bufferevent_get_output(d->dst)) == 0)
		dir_finish(d);
}

/* Stopping: the source gave what it held at the signal; that is its end. */
static void
dir_stopped(struct dir *d)
{
	if (d->stopping && d->state == DIR_OPEN && d->bytes >= d->stop_at)
		dir_eof(d);
}

static int
side_errno(struct side *s, short what)
{
	if ((what & BEV_EVENT_READING) && s->pin != NULL)
		return (pump_error(s->pin));
	if ((what & BEV_EVENT_WRITING) && s->pout != NULL)
		return (pump_error(s->pout));
	return (EVUTIL_SOCKET_ERROR());
}

/* A side failed; a TLS peer may have said why just before its reset. */
static void
side_fail(struct side *s, int err)
{
	struct relay		*r = s->r;
	struct bufferevent	*bev = endpoint_bev(s->ep);

	if (bev != NULL && r->errstr == NULL &&
	    (err == ECONNRESET || err == EPIPE))
		r->errstr = tls_bev_alert(bev);
	relay_end(r, RELAY_FAILED, err, endpoint_name(s->ep));
}

static void
side_event(struct bufferevent *bev, short what, void *arg)
{
	struct side	*s = arg;
	struct relay	*r = s->r;
	int		 err;

	if (r->ending && r->ev_stop == NULL)
		return;
	if (what & BEV_EVENT_ERROR) {
		if (endpoint_bev(s->ep) != NULL)
			r->errstr = tls_bev_error(bev);
		/* OpenSSL may call a reset an unexpected EOF. */
		if (r->errstr != NULL && (what & BEV_EVENT_READING) &&
		    tls_bev_reset(bev)) {
			r->errstr = NULL;
			side_fail(s, ECONNRESET);
			return;
		}
		err = side_errno(s, what);
		if (err == EIO && (what & BEV_EVENT_READING) &&
		    endpoint_eio_eof(s->ep)) {
			dir_eof(&r->dir[s->idx]);	/* a pty's slave closed */
			return;
		}
		side_fail(s, err != 0 ? err : EIO);
		return;
	}
	if ((what & BEV_EVENT_EOF) && (what & BEV_EVENT_WRITING)) {
		/*
		 * bufferevent_openssl with dirty shutdowns allowed reports a
		 * write to a reset peer as EOF, not as an error: nothing
		 * will ever drain what is queued for this side.
		 */
		err = side_errno(s, what);
		side_fail(s, err != 0 ? err : EPIPE);
		return;
	}
	if ((what & BEV_EVENT_EOF) && (what & BEV_EVENT_READING)) {
		/* With dirty shutdowns allowed, a reset reads as EOF. */
		if (endpoint_bev(s->ep) != NULL && tls_bev_reset(bev)) {
			side_fail(s, ECONNRESET);
			return;
		}
		/*
		 * bufferevent_openssl stops writing, too, when it reads the
		 * peer's close: bytes already queued the other way would
		 * wait forever.  Half-close says they still go out.
		 */
		if (endpoint_bev(s->ep) != NULL &&
		    r->dir[!s->idx].state != DIR_DONE)
			bufferevent_enable(bev, EV_WRITE);
		dir_eof(&r->dir[s->idx]);
	}
}

static void
relay_linger(evutil_socket_t fd, short what, void *arg)
{
	relay_end(arg, RELAY_LINGERED, 0, NULL);
}

static void
relay_idle(evutil_socket_t fd, short what, void *arg)
{
	struct relay	*r = arg;
	struct timeval	 now, since, left, limit;

	limit = tv_secs(r->conf.idle);
	event_base_gettimeofday_cached(r->base, &now);
	evutil_timersub(&now, &r->last, &since);
	if (evutil_timercmp(&since, &limit, <)) {
		evutil_timersub(&limit, &since, &left);
		event_add(r->ev_idle, &left);
		return;
	}
	relay_end(r, RELAY_IDLE, 0, NULL);
}

static const char *
end_words(enum relay_end why)
{
	switch (why) {
	case RELAY_DONE:
		return ("closed");
	case RELAY_LINGERED:
		return ("closed after -t");
	case RELAY_IDLE:
		return ("idle for -T");
	case RELAY_STOPPED:
		return ("stopped");
	case RELAY_FAILED:
		return ("failed");
	}
	return ("?");
}


#ifdef HAVE_SPLICE
/*
 * Pipes for splice(2) are lent to a direction only while bytes are in
 * flight, and taken back empty: an idle connection holds no pipe, and a
 * busy process reuses them instead of making one (pipe2, four fcntl) per
 * connection.  The pool never holds more pipes than there are relays, so
 * a process with no connection holds none.
 */
struct spipe {
	int	fd[2];
	size_t	cap;
};
static struct spipe	pool[POOL_MAX];
static int		npool;

static void
pool_trim(int max)
{
	while (npool > max) {
		npool--;
		close(pool[npool].fd[0]);
		close(pool[npool].fd[1]);
	}
}

static int
pipe_get(struct dir *d)
{
	int	fd[2], sz;

	if (npool > 0) {
		npool--;
		d->pipe[0] = pool[npool].fd[0];
		d->pipe[1] = pool[npool].fd[1];
		d->pipecap = pool[npool].cap;
		return (0);
	}
#if defined(HAVE_PIPE2) && defined(O_NONBLOCK)
	if (pipe2(fd, O_CLOEXEC | O_NONBLOCK) == -1)
		return (-1);
#else
	if (sock_pipe(fd) == -1)
		return (-1);
	(void)sock_nonblock(fd[0], 1);
	(void)sock_nonblock(fd[1], 1);
#endif
	/* A bigger pipe: fewer, larger splices on bulk transfers. */
#ifdef F_SETPIPE_SZ
	sz = fcntl(fd[1], F_SETPIPE_SZ, SPLICE_PIPE);
#else
	sz = -1;
#endif
	d->pipe[0] = fd[0];
	d->pipe[1] = fd[1];
	d->pipecap = sz > 0 ? (size_t)sz : 65536;
	return (0);
}

static void
pipe_put(struct dir *d)
{
	if (d->pipe[0] == -1)
		return;
	if (d->inpipe == 0 && npool < POOL_MAX && npool < nrelays) {
		pool[npool].fd[0] = d->pipe[0];
		pool[npool].fd[1] = d->pipe[1];
		pool[npool].cap = d->pipecap;
		npool++;
	} else {
		close(d->pipe[0]);
		close(d->pipe[1]);
	}
	d->pipe[0] = d->pipe[1] = -1;
	d->inpipe = 0;
}

void
relay_pool_drain(void)
{
	pool_trim(0);
}

/*
 * Out of fds for a pipe: copy through a small buffer instead, peeking at
 * the source and taking from it only what the sink took, so no byte is
 * ever held here and backpressure stays the kernel's.
 */
static void
splice_bounce(struct dir *d)
{
	struct relay	*r = d->r;
	char		 buf[BOUNCE_SIZE];
	ssize_t		 n, m;

	if (!d->bounce_said) {
		d->bounce_said = 1;
		log_debug("%s: no pipe for splice (%s): copying",
		    endpoint_name(r->side[d->idx].ep), strerror(errno));
	}
	d->bounced = 0;
	n = recv(d->sfd, buf, sizeof buf, MSG_PEEK);
	if (n == 0)
		d->eof = 1;
	else if (n == -1 && errno != EAGAIN && errno != EINTR) {
		relay_end(r, RELAY_FAILED, errno,
		    endpoint_name(r->side[d->idx].ep));
		return;
	} else if (n > 0) {
		m = send(d->dfd, buf, (size_t)n, MSG_NOSIGNAL);
		if (m == -1 && errno != EAGAIN && errno != EINTR) {
			relay_end(r, RELAY_FAILED, errno,
			    endpoint_name(r->side[!d->idx].ep));
			return;
		}
		if (m > 0) {
			(void)recv(d->sfd, buf, (size_t)m, 0);
			d->bytes += (uint64_t)m;
		}
		d->bounced = m < n;
	}
	if (d->bounced) {
		event_add(d->ev_wr, NULL);
		event_del(d->ev_rd);
	} else {
		event_del(d->ev_wr);
		if (d->eof)
			event_del(d->ev_rd);
		else
			event_add(d->ev_rd, NULL);
	}
	if (d->eof && d->state == DIR_OPEN)
		d->state = DIR_FLUSHING;
	if (d->eof)
		dir_finish(d);
	else
		dir_stopped(d);
}

/*
 * Move what can be moved without blocking: source -> pipe -> sink, a few
 * rounds at most.  The source is read only while the pipe has room, and
 * waited for only while the pipe is empty; the sink is waited for only
 * while the pipe holds bytes.  Same states as the bufferevent path.
 */
static void
splice_pump(struct dir *d)
{
	struct relay	*r = d->r;
	ssize_t		 n;
	int		 round, moved;

	if (d->pipe[0] == -1 && pipe_get(d) == -1) {
		splice_bounce(d);
		return;
	}
	for (round = 0; round < SPLICE_ROUNDS; round++) {
		moved = 0;
		if (!d->eof && d->inpipe < d->pipecap) {
			n = splice(d->sfd, NULL, d->pipe[1], NULL,
			    d->pipecap - d->inpipe,
			    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n > 0) {
				d->inpipe += (size_t)n;
				d->bytes += (uint64_t)n;
				moved = 1;
			} else if (n == 0)
				d->eof = 1;
			else if (errno != EAGAIN && errno != EINTR) {
				relay_end(r, RELAY_FAILED, errno,
				    endpoint_name(r->side[d->idx].ep));
				return;
			}
		}
		if (d->inpipe > 0) {
			n = splice(d->pipe[0], NULL, d->dfd, NULL, d->inpipe,
			    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n > 0) {
				d->inpipe -= (size_t)n;
				moved = 1;
			} else if (n == -1 && errno != EAGAIN &&
			    errno != EINTR) {
				relay_end(r, RELAY_FAILED, errno,
				    endpoint_name(r->side[!d->idx].ep));
				return;
			}
		}
		if (!moved)
			break;
	}
	if (r->conf.idle > 0)
		event_base_gettimeofday_cached(r->base, &r->last);
	if (d->inpipe > 0)
		event_add(d->ev_wr, NULL);
	else
		event_del(d->ev_wr);
	if (d->eof || d->inpipe >= d->pipecap)
		event_del(d->ev_rd);
	else
		event_add(d->ev_rd, NULL);
	if (d->inpipe == 0)
		pipe_put(d);
	if (d->eof && d->state == DIR_OPEN)
		d->state = DIR_FLUSHING;
	if (d->eof && d->inpipe == 0)
		dir_finish(d);
	else
		dir_stopped(d);
}

static void
splice_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dir	*d = arg;

	if (d->r->ending && d->r->ev_stop == NULL)
		return;
	if (d->state == DIR_DONE)
		return;
	splice_pump(d);
}

/* Can this direction splice?  Both ends non-blocking stream sockets. */
static int
splice_ok(const struct endpoint *ep, int fd)
{
	struct stat	sb;
	int		fl, type;
	socklen_t	len = sizeof type;

	if (endpoint_nbstream(ep))
		return (1);
	return (fstat(fd, &sb) == 0 && S_ISSOCK(sb.st_mode) &&
	    (fl = fcntl(fd, F_GETFL)) != -1 && (fl & O_NONBLOCK) &&
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	    type == SOCK_STREAM);
}

static int
splice_init(struct relay *r, struct dir *d, struct endpoint *src,
    struct endpoint *dst)
{
	int	sfd = endpoint_rfd(src), dfd = endpoint_wfd(dst);

	if (r->conf.nosplice || r->conf.dump || !splice_ok(src, sfd) ||
	    !splice_ok(dst, dfd))
		return (0);
	d->splice = 1;
	d->sfd = sfd;
	d->dfd = dfd;
	d->ev_rd = event_new(r->base, sfd, EV_READ | EV_PERSIST, splice_cb, d);
	d->ev_wr = event_new(r->base, dfd, EV_WRITE | EV_PERSIST, splice_cb,
	    d);
	return (1);
}
#else
static int
splice_init(struct relay *r, struct dir *d, struct endpoint *src,
    struct endpoint *dst)
{
	return (0);
}

static void
pipe_put(struct dir *d)
{
}

static void
pool_trim(int max)
{
}

void
relay_pool_drain(void)
{
}
#endif


/*
 * A fd source: read it ourselves, straight into the sink's output buffer.
 * (libevent 2.1's bufferevent_socket reads at most 4096 bytes a call.)
 */
static void
raw_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dir		*d = arg;
	struct relay		*r = d->r;
	struct evbuffer		*out;
	struct evbuffer_iovec	 v[2];
	ssize_t			 n;
	size_t			 left;
	int			 nv, i;

	if ((r->ending && r->ev_stop == NULL) || d->state != DIR_OPEN)
		return;
	out = bufferevent_get_output(d->dst);
	if ((nv = evbuffer_reserve_space(out, (ssize_t)r->conf.readsize, v,
	    2)) <= 0) {
		relay_end(r, RELAY_FAILED, ENOMEM, "relay");
		return;
	}
	do {
		n = readv(d->sfd, (struct iovec *)v, nv);
	} while (n == -1 && errno == EINTR);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if (errno == EIO && endpoint_eio_eof(r->side[d->idx].ep)) {
			dir_eof(d);
			return;
		}
		relay_end(r, RELAY_FAILED, errno,
		    endpoint_name(r->side[d->idx].ep));
		return;
	}
	if (n == 0) {
		dir_eof(d);
		return;
	}
	for (i = 0, left = (size_t)n; i < nv; i++) {
		if (v[i].iov_len > left)
			v[i].iov_len = left;
		if (r->conf.dump && v[i].iov_len > 0)
			dump_bytes(r->conf.dump, d->idx, v[i].iov_base,
			    v[i].iov_len, (size_t)n - left, (size_t)n);
		left -= v[i].iov_len;
	}
	evbuffer_commit_space(out, v, nv);
	d->bytes += (uint64_t)n;
	if (r->conf.idle > 0)
		event_base_gettimeofday_cached(r->base, &r->last);
	if (evbuffer_get_length(out) >= r->high) {
		d->blocked = 1;
		event_del(d->ev_rd);
	}
	dir_stopped(d);
}

static void
raw_init(struct relay *r, struct dir *d, int sfd)
{
	if (pump_needed(r->base, sfd))
		return;
	d->raw = 1;
	d->sfd = sfd;
	d->ev_rd = event_new(r->base, sfd, EV_READ | EV_PERSIST, raw_read_cb, d);
}

static void
dir_free(struct dir *d)
{
	if (d->ev_rd != NULL)
		event_free(d->ev_rd);
	if (d->ev_wr != NULL)
		event_free(d->ev_wr);
	pipe_put(d);
}

static void
side_free(struct side *s)
{
	if (s->borrowed) {
		endpoint_free(s->ep);
		return;
	}
	if (s->out != NULL && s->out != s->in && s->pout == NULL)
		bufferevent_free(s->out);
	if (s->in != NULL && s->pin == NULL)
		bufferevent_free(s->in);
	pump_free(s->pin);
	pump_free(s->pout);
	endpoint_free(s->ep);
}

/* 1536 -> "1.5 KiB", into buf. */
static const char *
human(char *buf, size_t size, double n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int			 u = 0;

	while (n >= 1024 && u < 4) {
		n /= 1024;
		u++;
	}
	snprintf(buf, size, u == 0 ? "%.0f %s" : "%.1f %s", n, units[u]);
	return (buf);
}

/*
 * --progress: one line on the terminal, rewritten in place, like pv:
 * bytes each way, the mean rate, the time so far; the last one stays.
 */
static void
progress_show(struct relay *r, int last)
{
	struct timeval	now, took;
	double		secs;
	char		a[32], b[32], c[32];

	evutil_gettimeofday(&now, NULL);
	evutil_timersub(&now, &r->start, &took);
	secs = (double)took.tv_sec + (double)took.tv_usec / 1e6;
	fprintf(stderr, "\rferry: %s >, %s <, %s/s, %.1fs%s",
	    human(a, sizeof a, (double)r->dir[0].bytes),
	    human(b, sizeof b, (double)r->dir[1].bytes),
	    human(c, sizeof c, secs > 0 ? (double)(r->dir[0].bytes +
	    r->dir[1].bytes) / secs : 0), secs, last ? "\033[K\n" : "\033[K");
	fflush(stderr);
}

static void
relay_progress(evutil_socket_t fd, short what, void *arg)
{
	progress_show(arg, 0);
}

void
relay_describe(const struct relay *r, char *buf, size_t size)
{
	struct timeval	now, took;

	evutil_gettimeofday(&now, NULL);
	evutil_timersub(&now, &r->start, &took);
	snprintf(buf, size, "%s <-> %s: %ld.%03lds, %llu bytes >, %llu "
	    "bytes <%s", endpoint_name(r->side[0].ep),
	    endpoint_name(r->side[1].ep), (long)took.tv_sec,
	    (long)took.tv_usec / 1000, (unsigned long long)r->dir[0].bytes,
	    (unsigned long long)r->dir[1].bytes, r->ending ? ", ending" :
	    r->dir[0].state != DIR_OPEN || r->dir[1].state != DIR_OPEN ?
	    ", half closed" : "");
}

static void
relay_teardown(evutil_socket_t fd, short what, void *arg)
{
	struct relay	*r = arg;
	relay_done_cb	*cb = r->cb;
	void		*cbarg = r->arg;
	enum relay_end	 why = r->why;
	struct timeval	 now, took;

	if (log_enabled(LOG_INFO)) {
		evutil_gettimeofday(&now, NULL);
		evutil_timersub(&now, &r->start, &took);
		log_msg(LOG_INFO, "%s <-> %s: %s%s%s, %llu bytes >, %llu "
		    "bytes <, %ld.%03lds",
		    endpoint_name(r->side[0].ep), endpoint_name(r->side[1].ep),
		    end_words(r->why), r->err ? ": " : "",
		    r->errstr ? r->errstr : r->err ? strerror(r->err) : "",
		    (unsigned long long)r->dir[0].bytes,
		    (unsigned long long)r->dir[1].bytes,
		    (long)took.tv_sec, (long)took.tv_usec / 1000);
	}
	if (r->ev_progress != NULL) {
		progress_show(r, 1);
		event_free(r->ev_progress);
	}
	dir_free(&r->dir[0]);
	dir_free(&r->dir[1]);
	nrelays--;
	pool_trim(nrelays);
	side_free(&r->side[0]);
	side_free(&r->side[1]);
	if (r->ev_linger != NULL)
		event_free(r->ev_linger);
	if (r->ev_idle != NULL)
		event_free(r->ev_idle);
	if (r->ev_stop != NULL)
		event_free(r->ev_stop);
	event_free(r->ev_end);
	x_free(r);
	cb(why, cbarg);
}

/*
 * End the relay: stop every callback now, free everything from the loop
 * (never inside a bufferevent's own callback).
 */
static void
relay_end(struct relay *r, enum relay_end why, int err, const char *where)
{
	int	i;

	if (r->ending && r->ev_stop == NULL)
		return;
	if (r->ev_stop != NULL) {
		event_free(r->ev_stop);
		r->ev_stop = NULL;
		if (why == RELAY_DONE)
			why = RELAY_STOPPED;
	}
	r->ending = 1;
	r->why = why;
	r->err = err;
	r->errwhere = where;
	for (i = 0; i < 2; i++) {
		if (r->side[i].in != NULL)
			bufferevent_disable(r->side[i].in, EV_READ | EV_WRITE);
		if (r->side[i].out != NULL)
			bufferevent_disable(r->side[i].out, EV_READ | EV_WRITE);
		if (r->dir[i].ev_rd != NULL)
			event_del(r->dir[i].ev_rd);
		if (r->dir[i].ev_wr != NULL)
			event_del(r->dir[i].ev_wr);
	}
	if (why == RELAY_FAILED && r->errstr != NULL)
		log_warn("%s: TLS: %s", where, r->errstr);
	else if (why == RELAY_FAILED && err != 0) {
		/* Resets and vanished readers are a peer's business. */
		if (err == ECONNRESET || err == EPIPE)
			log_info("%s: %s", where, strerror(err));
		else
			log_warn("%s: %s", where, strerror(err));
	}
	event_active(r->ev_end, EV_TIMEOUT, 0);
}

static struct bufferevent *
side_bev(struct relay *r, int fd, short what, struct pump **pp)
{
	struct bufferevent	*bev;

	if (pump_needed(r->base, fd)) {
		if ((*pp = pump_new(r->base, fd, what)) == NULL)
			return (NULL);
		return (pump_bev(*pp));
	}
	if ((bev = bufferevent_socket_new(r->base, fd, 0)) == NULL)
		return (NULL);
	bufferevent_set_max_single_read(bev, r->conf.readsize);
	bufferevent_set_max_single_write(bev, r->high);
	return (bev);
}

static int
side_init(struct relay *r, int idx, struct endpoint *ep, int rd, int wr)
{
	struct side	*s = &r->side[idx];
	int		 rfd = endpoint_rfd(ep), wfd = endpoint_wfd(ep);

	s->r = r;
	s->idx = idx;
	s->ep = ep;
	if (endpoint_bev(ep) != NULL) {
		s->borrowed = 1;
		s->in = rd ? endpoint_bev(ep) : NULL;
		s->out = wr ? endpoint_bev(ep) : NULL;
		if (s->in == NULL && s->out == NULL)
			return (0);
		bufferevent_setcb(endpoint_bev(ep), side_read, side_write,
		    side_event, s);
		bufferevent_set_max_single_read(endpoint_bev(ep),
		    (ssize_t)r->conf.readsize);
		return (0);
	}
	if (rd && wr && rfd == wfd) {
		if ((s->in = side_bev(r, rfd, EV_READ, &s->pin)) == NULL)
			return (-1);
		if (s->pin != NULL) {
			/* A pumped file both ways: two pumps. */
			if ((s->out = side_bev(r, wfd, EV_WRITE,
			    &s->pout)) == NULL)
				return (-1);
		} else
			s->out = s->in;
	} else {
		if (rd && (s->in = side_bev(r, rfd, EV_READ, &s->pin)) == NULL)
			return (-1);
		if (wr && (s->out = side_bev(r, wfd, EV_WRITE,
		    &s->pout)) == NULL)
			return (-1);
	}
	if (s->in != NULL)
		bufferevent_setcb(s->in, side_read, side_write, side_event, s);
	if (s->out != NULL && s->out != s->in)
		bufferevent_setcb(s->out, side_read, side_write, side_event, s);
	return (0);
}

struct relay *
relay_new(struct event_base *base, struct endpoint *left,
    struct endpoint *right, const struct relay_conf *conf, relay_done_cb *cb,
    void *arg)
{
	struct relay	*r;
	struct endpoint	*ep[2] = { left, right };
	struct timeval	 tv;
	int		 i, want[2];

	r = xcalloc(1, sizeof *r);
	r->base = base;
	r->conf = *conf;
	if (r->conf.readsize == 0)
		r->conf.readsize = READ_DEFAULT;
	r->high = r->conf.readsize * HIGH_FACTOR;
	r->cb = cb;
	r->arg = arg;
	r->ev_end = event_new(base, -1, 0, relay_teardown, r);
	nrelays++;
	evutil_gettimeofday(&r->start, NULL);
	r->last = r->start;

	/* A direction exists if its source reads and its sink writes. */
	want[0] = (conf->dirs & RELAY_LR) && endpoint_rfd(left) != -1 &&
	    endpoint_wfd(right) != -1;
	want[1] = (conf->dirs & RELAY_RL) && endpoint_rfd(right) != -1 &&
	    endpoint_wfd(left) != -1;
	for (i = 0; i < 2; i++) {
		struct dir	*d = &r->dir[i];

		d->r = r;
		d->idx = i;
		d->pipe[0] = d->pipe[1] = -1;
		d->state = want[i] ? DIR_OPEN : DIR_DONE;
		if (!want[i] || endpoint_bev(ep[i]) != NULL)
			continue;
		if (endpoint_bev(ep[!i]) != NULL ||
		    !splice_init(r, d, ep[i], ep[!i]))
			raw_init(r, d, endpoint_rfd(ep[i]));
	}
	for (i = 0; i < 2; i++) {
		r->side[i].ep = ep[i];
		if (side_init(r, i, ep[i], want[i] && !r->dir[i].splice &&
		    !r->dir[i].raw, want[!i] && !r->dir[!i].splice) == -1) {
			r->side[!i].ep = ep[!i];
			relay_end(r, RELAY_FAILED, errno, endpoint_name(ep[i]));
			return (r);
		}
	}
	for (i = 0; i < 2; i++) {
		r->dir[i].src = r->side[i].in;
		r->dir[i].dst = r->side[!i].out;
	}
	if (!want[0] && !want[1]) {
		relay_end(r, RELAY_DONE, 0, NULL);
		return (r);
	}
	/*
	 * A direction that does not exist (-u, -U, a read-only address) is
	 * finished from the start: its sink, a socket no one else uses,
	 * reads EOF now (a child on EXEC sees its input end).
	 */
	for (i = 0; i < 2; i++) {
		int	wfd = endpoint_wfd(ep[!i]);

		if (want[i] || wfd == -1 || !endpoint_wr_socket(ep[!i]) ||
		    wfd == endpoint_rfd(ep[i]) || wfd == endpoint_wfd(ep[i]))
			continue;
		if (endpoint_shutdown_wr(ep[!i]) == -1)
			log_debug("%s: shutdown: %s", endpoint_name(ep[!i]),
			    strerror(errno));
	}
	if (conf->progress && isatty(STDERR_FILENO)) {
		r->ev_progress = event_new(base, -1, EV_PERSIST, relay_progress,
		    r);
		tv.tv_sec = 0;
		tv.tv_usec = PROGRESS_USEC;
		event_add(r->ev_progress, &tv);
	}
	if (conf->linger > 0)
		r->ev_linger = evtimer_new(base, relay_linger, r);
	if (conf->idle > 0) {
		r->ev_idle = evtimer_new(base, relay_idle, r);
		tv = tv_secs(conf->idle);
		event_add(r->ev_idle, &tv);
	}
	for (i = 0; i < 2; i++) {
		if (r->dir[i].state != DIR_OPEN)
			continue;
		if (r->dir[i].splice || r->dir[i].raw)
			event_add(r->dir[i].ev_rd, NULL);
		else
			bufferevent_enable(r->dir[i].src, EV_READ);
		if (!r->dir[i].splice)
			bufferevent_enable(r->dir[i].dst, EV_WRITE);
	}
	/* Only one direction: the other side's EOF is no concern of ours. */
	return (r);
}

static void
relay_stop_timeout(evutil_socket_t fd, short what, void *arg)
{
	/* relay_end frees ev_stop and reports RELAY_STOPPED. */
	relay_end(arg, RELAY_STOPPED, 0, NULL);
}

/*
 * Stopping a direction: the bytes its source's kernel holds now were
 * acknowledged to the sender, so they still go through, and then the
 * direction ends as at EOF.  A source whose queue cannot be counted in
 * bytes of ours (TLS, a pumped file) ends at once.
 */
static void
dir_stop(struct dir *d)
{
	struct relay	*r = d->r;
	int		 fd = -1, n = 0;

	if (d->state != DIR_OPEN)
		return;
	if (d->splice || d->raw)
		fd = d->sfd;
	else if (endpoint_bev(r->side[d->idx].ep) == NULL &&
	    r->side[d->idx].pin == NULL)
		fd = bufferevent_getfd(d->src);
	if (fd == -1 || ioctl(fd, FIONREAD, &n) == -1 || n <= 0) {
		dir_eof(d);
		return;
	}
	d->stopping = 1;
	d->stop_at = d->bytes + (uint64_t)n;
}

void
relay_stop(struct relay *r, double timeout)
{
	struct timeval	tv = tv_secs(timeout);
	int		i;

	if (r->ending)
		return;
	r->ending = 1;
	r->why = RELAY_STOPPED;
	r->ev_stop = evtimer_new(r->base, relay_stop_timeout, r);
	event_add(r->ev_stop, &tv);
	for (i = 0; i < 2; i++)
		dir_stop(&r->dir[i]);
}
