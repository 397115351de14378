#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "addr.h"
#include "connector.h"
#include "endpoint.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

#define BUSY_RETRY_MSEC		10	/* a UNIX listener's backlog is full */
#define BUSY_TIMEOUT_SEC	10

enum connector_state {
	C_CONNECTING,		/* waiting for connect(2) to finish */
	C_BUSY,			/* a UNIX backlog was full: same target soon */
	C_PAUSED,		/* between rounds (retry=, forever) */
};

struct connector {
	enum connector_state		 state;
	struct addr_open		*op;
	struct addr			*addr;
	const struct connect_ops	*ops;
	struct connect_target		 t[CONNECT_MAXTARGETS];
	int				 n;
	int				 i;
	int				 fd;
	int				 retries;	/* left */
	int				 err;
	char				 where[SOCK_NTOP_MAX];
	struct timeval			 busy_since;
	struct event			*ev;
};

static void	connector_round(struct connector *);
static void	connector_try(struct connector *);

static struct timeval
secs(double s)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)s;
	tv.tv_usec = (suseconds_t)((s - floor(s)) * 1e6);
	return (tv);
}

static void
connector_free(void *arg)
{
	struct connector	*c = arg;

	if (c->ev != NULL)
		event_free(c->ev);
	if (c->fd != -1)
		close(c->fd);
	x_free(c);
}

static void
connector_success(struct connector *c)
{
	struct endpoint	*ep;
	char		 local[SOCK_NTOP_MAX];

	log_debug("%s: connected to %s from %s", c->addr->text, c->where,
	    sock_local(c->fd, local));
	if (c->t[c->i].type == 0 || c->t[c->i].type == SOCK_STREAM)
		ep = endpoint_new_sock(c->addr->text, c->fd);
	else
		ep = endpoint_new(c->addr->text, c->fd, c->fd);
	c->fd = -1;
	addr_open_done(c->op, ep);
}

static void
connector_failed(struct connector *c, int err)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->err = err;
	log_debug("%s: connect to %s: %s", c->addr->text, c->where,
	    strerror(err));
	c->i++;
	connector_try(c);
}

static void
connector_event(evutil_socket_t fd, short what, void *arg)
{
	struct connector	*c = arg;
	int			 err = 0;
	socklen_t		 len = sizeof err;

	switch (c->state) {
	case C_PAUSED:
		connector_round(c);
		return;
	case C_BUSY:
		connector_try(c);
		return;
	case C_CONNECTING:
		break;
	}
	if (what & EV_TIMEOUT) {
		connector_failed(c, ETIMEDOUT);
		return;
	}
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		connector_failed(c, err);
		return;
	}
	connector_success(c);
}

static void
connector_wait(struct connector *c, int fd, short what, struct timeval *tv)
{
	if (c->ev != NULL)
		event_free(c->ev);
	c->ev = event_new(addr_open_base(c->op), fd, what, connector_event, c);
	event_add(c->ev, tv);
}

static void
connector_give_up(struct connector *c)
{
	const char	*hint = NULL;
	struct timeval	 tv;

	if (c->retries != 0) {
		if (c->retries > 0)
			c->retries--;
		log_info("%s: %s, retrying in %gs", c->addr->text,
		    strerror(c->err), c->addr->o.interval);
		tv = secs(c->addr->o.interval);
		c->state = C_PAUSED;
		connector_wait(c, -1, 0, &tv);
		return;
	}
	if (sock_fdshort(c->addr->text, "connect", c->err)) {
		addr_open_done(c->op, NULL);	/* said once, not each time */
		return;
	}
	if (c->ops->hint != NULL)
		hint = c->ops->hint(c->addr, c->err);
	if (c->n > 1)
		addr_open_fail(c->op, "connect to %s: %s%s%s", c->where,
		    strerror(c->err), hint ? " " : "", hint ? hint : "");
	else
		addr_open_fail(c->op, "connect: %s%s%s", strerror(c->err),
		    hint ? " " : "", hint ? hint : "");
}

static void
connector_try(struct connector *c)
{
	struct addr		*a = c->addr;
	struct connect_target	*t;
	struct timeval		 tv, now, waited;
	char			*err = NULL;
	int			 family;

	if (c->i >= c->n) {
		connector_give_up(c);
		return;
	}
	t = &c->t[c->i];
	family = t->ss.ss_family;
	sock_ntop((struct sockaddr *)&t->ss, t->len, c->where);
	if ((c->fd = sock_socket(family, t->type != 0 ? t->type : SOCK_STREAM,
	    1)) == -1) {
		c->err = errno;
		c->i++;
		connector_try(c);
		return;
	}
	if (c->ops->prepare != NULL && c->ops->prepare(a, c->fd, family,
	    &err) == -1) {
		close(c->fd);
		c->fd = -1;
		addr_open_fail(c->op, "%s", err);
		x_free(err);
		return;
	}
	if (connect(c->fd, (struct sockaddr *)&t->ss, t->len) == 0) {
		connector_success(c);
		return;
	}
	if (errno == EINPROGRESS) {
		c->busy_since.tv_sec = 0;
		c->state = C_CONNECTING;
		tv = secs(a->o.connect_timeout);
		connector_wait(c, c->fd, EV_WRITE, a->o.connect_timeout > 0 ?
		    &tv : NULL);
		return;
	}
	if (errno == EAGAIN && family == AF_UNIX) {
		/* The listener's backlog is full: try again shortly. */
		evutil_gettimeofday(&now, NULL);
		if (c->busy_since.tv_sec == 0)
			c->busy_since = now;
		evutil_timersub(&now, &c->busy_since, &waited);
		if (waited.tv_sec < (a->o.connect_timeout > 0 ?
		    a->o.connect_timeout : BUSY_TIMEOUT_SEC)) {
			close(c->fd);
			c->fd = -1;
			tv.tv_sec = 0;
			tv.tv_usec = BUSY_RETRY_MSEC * 1000;
			c->state = C_BUSY;
			connector_wait(c, -1, 0, &tv);
			return;
		}
		c->busy_since.tv_sec = 0;
		errno = EAGAIN;
	}
	connector_failed(c, errno);
}

static void
connector_round(struct connector *c)
{
	char	*err = NULL;
	int	 e;

	if (c->fd != -1) {
		close(c->fd);
		c->fd = -1;
	}
	c->n = CONNECT_MAXTARGETS;
	c->i = 0;
	errno = 0;
	if (c->ops->resolve(c->addr, c->t, &c->n, &err) == -1) {
		e = errno;
		if (c->retries != 0) {
			log_info("%s: %s", c->addr->text, err);
			x_free(err);
			c->n = 0;
			c->err = EHOSTUNREACH;
			connector_give_up(c);
			return;
		}
		/* Out of fds, the resolver cannot read its files. */
		addr_open_fail_cause(c->op, e, "resolve", err);
		x_free(err);
		return;
	}
	connector_try(c);
}

void
connector_open(struct addr_open *op, const struct connect_ops *ops)
{
	struct connector	*c;
	struct addr		*a = addr_open_addr(op);

	c = xcalloc(1, sizeof *c);
	c->op = op;
	c->addr = a;
	c->ops = ops;
	c->fd = -1;
	c->retries = a->o.forever ? -1 : a->o.retry;
	addr_open_set_priv(op, c, connector_free);
	connector_round(c);
}
