#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "pump.h"
#include "xmalloc.h"

#define PUMP_CHUNK	(64 * 1024)
#define PUMP_HIGH	(256 * 1024)	/* read ahead at most this much */

struct pump {
	int			 fd;
	short			 what;
	int			 err;
	int			 eof;
	struct bufferevent	*pair[2];	/* [0] ours, [1] the relay's */
	struct event		*kick;		/* the first fill */
};

int
pump_needed(struct event_base *base, int fd)
{
	struct stat	 sb;
	struct event	*ev;
	int		 rc;

	if (fstat(fd, &sb) == -1)
		return (0);	/* the relay will report the error */
	if (S_ISREG(sb.st_mode) || S_ISBLK(sb.st_mode) || S_ISDIR(sb.st_mode))
		return (1);
	if (S_ISSOCK(sb.st_mode) || S_ISFIFO(sb.st_mode))
		return (0);
	/* A character device: ttys can be polled, /dev/null cannot. */
	if ((ev = event_new(base, fd, EV_READ, NULL, NULL)) == NULL)
		return (1);
	rc = event_add(ev, NULL);
	event_free(ev);
	return (rc == -1);
}

static void
pump_fail(struct pump *p, int err)
{
	p->err = err;
	bufferevent_disable(p->pair[0], EV_READ | EV_WRITE);
	bufferevent_trigger_event(p->pair[1],
	    (p->what == EV_READ ? BEV_EVENT_READING : BEV_EVENT_WRITING) |
	    BEV_EVENT_ERROR, 0);
}

/* Read ahead while the relay's side is not full. */
static void
pump_fill(struct bufferevent *bev, void *arg)
{
	struct pump	*p = arg;
	struct evbuffer	*out = bufferevent_get_output(p->pair[0]);
	int		 n;

	while (!p->eof && evbuffer_get_length(out) < PUMP_HIGH) {
		n = evbuffer_read(out, p->fd, PUMP_CHUNK);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			pump_fail(p, errno);
			return;
		}
		if (n == 0) {
			p->eof = 1;
			bufferevent_flush(p->pair[0], EV_WRITE, BEV_FINISHED);
		}
	}
}

/* Write out whatever the relay gave us; files do not block for long. */
static void
pump_drain(struct bufferevent *bev, void *arg)
{
	struct pump	*p = arg;
	struct evbuffer	*in = bufferevent_get_input(p->pair[0]);
	int		 n;

	while (evbuffer_get_length(in) > 0) {
		n = evbuffer_write(in, p->fd);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			pump_fail(p, errno);
			return;
		}
	}
}

int
pump_flush(struct pump *p)
{
	bufferevent_flush(p->pair[1], EV_WRITE, BEV_FLUSH);
	pump_drain(p->pair[0], p);
	if (p->err != 0) {
		errno = p->err;
		return (-1);
	}
	return (0);
}

/*
 * The first read waits for the loop: until the relay has set its
 * callbacks, libevent drops the read and EOF events of its end.
 */
static void
pump_kick(evutil_socket_t fd, short what, void *arg)
{
	struct pump	*p = arg;

	pump_fill(p->pair[0], p);
}

struct pump *
pump_new(struct event_base *base, int fd, short what)
{
	struct pump	*p;

	p = xcalloc(1, sizeof *p);
	p->fd = fd;
	p->what = what;
	if (bufferevent_pair_new(base, BEV_OPT_DEFER_CALLBACKS, p->pair) == -1) {
		x_free(p);
		return (NULL);
	}
	if (what == EV_READ) {
		bufferevent_setcb(p->pair[0], NULL, pump_fill, NULL, p);
		bufferevent_setwatermark(p->pair[0], EV_WRITE, PUMP_HIGH / 2, 0);
		bufferevent_enable(p->pair[0], EV_WRITE);
		p->kick = evtimer_new(base, pump_kick, p);
		event_active(p->kick, EV_TIMEOUT, 0);
	} else {
		bufferevent_setcb(p->pair[0], pump_drain, NULL, NULL, p);
		bufferevent_enable(p->pair[0], EV_READ);
	}
	return (p);
}

struct bufferevent *
pump_bev(struct pump *p)
{
	return (p->pair[1]);
}

int
pump_error(const struct pump *p)
{
	return (p->err);
}

void
pump_free(struct pump *p)
{
	if (p == NULL)
		return;
	if (p->kick != NULL)
		event_free(p->kick);
	bufferevent_free(p->pair[0]);
	bufferevent_free(p->pair[1]);
	x_free(p);
}
