#include "config.h"

#include <sys/types.h>
#include <sys/time.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
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
#include "xmalloc.h"

#define READ_DEFAULT	(64 * 1024)
#define HIGH_FACTOR	4	/* stop reading at this many reads queued */

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
};

/* One direction: side[idx] -> side[!idx]. */
struct dir {
	struct relay		*r;
	int			 idx;
	enum dir_state		 state;
	int			 blocked;	/* source paused: sink full */
	uint64_t		 bytes;
	struct bufferevent	*src;
	struct bufferevent	*dst;
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
	const char		*errwhere;
	struct timeval		 start;
	struct timeval		 last;		/* last traffic, for -T */
	struct event		*ev_end;	/* deferred teardown */
	struct event		*ev_linger;
	struct event		*ev_idle;
	struct event		*ev_stop;
	relay_done_cb		*cb;
	void			*arg;
};

static void	relay_end(struct relay *, enum relay_end, int err,
		    const char *where);
static void	dir_eof(struct dir *);

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
	if (endpoint_shutdown_wr(r->side[!d->idx].ep) == -1) {
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

	if (s->r->ending || d->state != DIR_OPEN)
		return;
	dir_move(d);
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
		if (d->state == DIR_OPEN)
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
	dir_move(d);		/* a pump may hand over data with its EOF */
	bufferevent_disable(d->src, EV_READ);
	d->state = DIR_FLUSHING;
	if (evbuffer_get_length(bufferevent_get_output(d->dst)) == 0)
		dir_finish(d);
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

static void
side_event(struct bufferevent *bev, short what, void *arg)
{
	struct side	*s = arg;
	struct relay	*r = s->r;
	int		 err;

	if (r->ending && r->ev_stop == NULL)
		return;
	if (what & BEV_EVENT_ERROR) {
		err = side_errno(s, what);
		relay_end(r, RELAY_FAILED, err != 0 ? err : EIO,
		    endpoint_name(s->ep));
		return;
	}
	if ((what & BEV_EVENT_EOF) && (what & BEV_EVENT_READING))
		dir_eof(&r->dir[s->idx]);
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

static void
side_free(struct side *s)
{
	if (s->out != NULL && s->out != s->in && s->pout == NULL)
		bufferevent_free(s->out);
	if (s->in != NULL && s->pin == NULL)
		bufferevent_free(s->in);
	pump_free(s->pin);
	pump_free(s->pout);
	endpoint_free(s->ep);
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
		    r->err ? strerror(r->err) : "",
		    (unsigned long long)r->dir[0].bytes,
		    (unsigned long long)r->dir[1].bytes,
		    (long)took.tv_sec, (long)took.tv_usec / 1000);
	}
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
	}
	if (why == RELAY_FAILED && err != 0) {
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
	evutil_gettimeofday(&r->start, NULL);
	r->last = r->start;

	/* A direction exists if its source reads and its sink writes. */
	want[0] = (conf->dirs & RELAY_LR) && endpoint_rfd(left) != -1 &&
	    endpoint_wfd(right) != -1;
	want[1] = (conf->dirs & RELAY_RL) && endpoint_rfd(right) != -1 &&
	    endpoint_wfd(left) != -1;
	for (i = 0; i < 2; i++) {
		if (side_init(r, i, ep[i], want[i], want[!i]) == -1) {
			r->side[!i].ep = ep[!i];
			relay_end(r, RELAY_FAILED, errno, endpoint_name(ep[i]));
			return (r);
		}
	}
	for (i = 0; i < 2; i++) {
		struct dir	*d = &r->dir[i];

		d->r = r;
		d->idx = i;
		d->src = r->side[i].in;
		d->dst = r->side[!i].out;
		d->state = want[i] ? DIR_OPEN : DIR_DONE;
	}
	if (!want[0] && !want[1]) {
		relay_end(r, RELAY_DONE, 0, NULL);
		return (r);
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
		bufferevent_enable(r->dir[i].src, EV_READ);
		bufferevent_enable(r->dir[i].dst, EV_WRITE);
	}
	/* Only one direction: the other side's EOF is no concern of ours. */
	return (r);
}

static void
relay_stop_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct relay	*r = arg;

	event_free(r->ev_stop);
	r->ev_stop = NULL;
	relay_end(r, RELAY_STOPPED, 0, NULL);
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
		dir_eof(&r->dir[i]);
}
