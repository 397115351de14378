#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "addr.h"
#include "bridge.h"
#include "dgram.h"
#include "dgserver.h"
#include "endpoint.h"
#include "fdpass/fdpass.h"
#include "listener.h"
#include "log.h"
#include "notify.h"
#include "priv.h"
#include "relay.h"
#include "tls.h"
#include "xmalloc.h"

struct session;

struct bridge {
	struct event_base		*base;
	const struct bridge_conf	*conf;
	struct addr			*addr[2];
	int				 server;	/* forking side, or -1 */
	struct listener			*listener;
	struct session			*sessions;
	int				 nsessions;
	int				 status;
	int				 signo;
	struct event			*sigev[3];
	struct event			*ev_stats;	/* SIGUSR1 */
	struct event			*ev_stats_timer;
	unsigned long long		 accepted;
	unsigned long long		 refused;
};

/* One connection: opening the other address, then relaying. */
struct session {
	struct bridge		*b;
	struct endpoint		*ep[2];
	struct addr_open	*op;
	int			 opening;	/* side being opened */
	struct relay		*relay;
	struct dgram		*dgram;		/* records: instead of relay */
	struct session		*next;
	struct session		**prevp;
};

static void	session_open_next(struct session *);

static int
need_of(const struct bridge *b, int side)
{
	int	dirs = b->conf->relay.dirs, need = 0;

	if (side == 0) {
		need |= (dirs & RELAY_LR) ? ADDR_RD : 0;
		need |= (dirs & RELAY_RL) ? ADDR_WR : 0;
	} else {
		need |= (dirs & RELAY_RL) ? ADDR_RD : 0;
		need |= (dirs & RELAY_LR) ? ADDR_WR : 0;
	}
	if (b->server != -1)
		need |= ADDR_MANY;
	return (need);
}

static void
bridge_check_done(struct bridge *b)
{
	if (b->listener == NULL && b->sessions == NULL)
		event_base_loopexit(b->base, NULL);
}

static struct session *
session_new(struct bridge *b)
{
	struct session	*s;

	s = xcalloc(1, sizeof *s);
	s->b = b;
	s->next = b->sessions;
	if (s->next != NULL)
		s->next->prevp = &s->next;
	s->prevp = &b->sessions;
	b->sessions = s;
	b->nsessions++;
	return (s);
}

static void
session_free(struct session *s)
{
	struct bridge	*b = s->b;

	addr_open_cancel(s->op);
	endpoint_free(s->ep[0]);
	endpoint_free(s->ep[1]);
	if (s->next != NULL)
		s->next->prevp = s->prevp;
	*s->prevp = s->next;
	b->nsessions--;
	x_free(s);
	bridge_check_done(b);
}

static void
session_relay_done(enum relay_end why, void *arg)
{
	struct session	*s = arg;
	struct bridge	*b = s->b;

	s->relay = NULL;
	s->dgram = NULL;
	if (b->server == -1 && b->signo == 0)
		b->status = (why == RELAY_FAILED) ? 1 : 0;
	session_free(s);
}

static void
session_opened(struct endpoint *ep, void *arg)
{
	struct session	*s = arg;
	struct bridge	*b = s->b;

	s->op = NULL;
	if (ep == NULL) {
		if (b->server == -1)
			b->status = 1;
		session_free(s);
		return;
	}
	s->ep[s->opening] = ep;
	session_open_next(s);
}

/* Open whichever side is still missing, then relay. */
static void
session_open_next(struct session *s)
{
	struct bridge	*b = s->b;
	int		 i;

	for (i = 0; i < 2; i++) {
		if (s->ep[i] == NULL) {
			s->opening = i;
			s->op = addr_open(b->addr[i], b->base, need_of(b, i),
			    session_opened, s);
			return;
		}
	}
	if (dgram_wanted(s->ep[0], s->ep[1]))
		s->dgram = dgram_new(b->base, s->ep[0], s->ep[1],
		    &b->conf->relay, session_relay_done, s);
	else
		s->relay = relay_new(b->base, s->ep[0], s->ep[1],
		    &b->conf->relay, session_relay_done, s);
	s->ep[0] = s->ep[1] = NULL;
}

static void
bridge_accept(struct endpoint *ep, void *arg)
{
	struct bridge	*b = arg;
	struct session	*s;
	struct addr	*a = b->addr[b->server];
	static time_t	 last;
	time_t		 now;

	if (a->o.max_children > 0 && b->nsessions >= a->o.max_children) {
		now = time(NULL);
		if (now != last)
			log_warn("%s: %d connections already (max-children), "
			    "refusing %s", a->text, b->nsessions,
			    endpoint_name(ep));
		else
			log_info("%s: max-children, refusing %s", a->text,
			    endpoint_name(ep));
		last = now;
		endpoint_free(ep);
		b->refused++;
		return;
	}
	b->accepted++;
	log_debug("%s: connection from %s", a->text, endpoint_name(ep));
	s = session_new(b);
	s->ep[b->server] = ep;
	session_open_next(s);
}

static void
bridge_signal(evutil_socket_t sig, short what, void *arg)
{
	struct bridge	*b = arg;
	struct session	*s, *next;

	if (b->signo != 0) {
		log_info("second signal %d, exiting now", (int)sig);
		exit(128 + (int)sig);
	}
	log_info("signal %d: shutting down", (int)sig);
	notify_stopping();
	b->signo = (int)sig;
	b->status = 128 + (int)sig;
	listener_free(b->listener);
	b->listener = NULL;
	for (s = b->sessions; s != NULL; s = next) {
		next = s->next;
		if (s->relay != NULL)
			relay_stop(s->relay, b->conf->stop_timeout);
		else if (s->dgram != NULL)
			dgram_stop(s->dgram, b->conf->stop_timeout);
		else
			session_free(s);
	}
	bridge_check_done(b);
}

static void
stats_schedule(struct bridge *b)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)b->conf->stats;
	tv.tv_usec = (suseconds_t)((b->conf->stats - (double)tv.tv_sec) * 1e6);
	event_add(b->ev_stats_timer, &tv);
}

/* SIGUSR1 or --stats: every connection, its peers, age and bytes. */
static void
bridge_stats(evutil_socket_t fd, short what, void *arg)
{
	struct bridge	*b = arg;
	struct session	*s;
	char		 line[1024];

	if (b->server != -1)
		log_note("stats: %d open, %llu accepted, %llu refused",
		    b->nsessions, b->accepted, b->refused);
	else
		log_note("stats: %d open", b->nsessions);
	for (s = b->sessions; s != NULL; s = s->next) {
		if (s->relay != NULL || s->dgram != NULL) {
			if (s->relay != NULL)
				relay_describe(s->relay, line, sizeof line);
			else
				dgram_describe(s->dgram, line, sizeof line);
			log_note("stats: %s", line);
		} else
			log_note("stats: %s: opening %s",
			    s->ep[!s->opening] != NULL ?
			    endpoint_name(s->ep[!s->opening]) : "-",
			    b->addr[s->opening]->text);
	}
	if (what == EV_TIMEOUT)
		stats_schedule(b);
}

int
bridge_run(struct event_base *base, struct addr *left, struct addr *right,
    const struct bridge_conf *conf)
{
	struct bridge	 b;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	int		 i;

	if (left->o.fdpass || right->o.fdpass)
		return (fdpass_run(base, left, right, conf));
	for (i = 0; i < 2; i++) {
		struct addr	*a = i == 0 ? left : right;

		/* Certificates, keys and CAs are read now: mistakes show at
		 * start-up, not at the first connection. */
		if (a->o.tls && tls_setup(a, addr_listens(a)) == -1)
			return (1);
		if (a->wr != NULL && a->wr->o.tls &&
		    tls_setup(a->wr, addr_listens(a->wr)) == -1)
			return (1);
		if (a->o.keepalive_interval >= 0) {
			log_err("%s: keepalive-interval is for fdpass hops; "
			    "plain TCP has keepalive (SO_KEEPALIVE)", a->text);
			return (1);
		}
		if (a->o.socktype != 0 && a->o.tls) {
			log_err("%s: TLS runs over stream sockets only, not "
			    "over records", a->text);
			return (1);
		}
	}

	memset(&b, 0, sizeof b);
	b.base = base;
	b.conf = conf;
	b.addr[0] = left;
	b.addr[1] = right;
	b.server = -1;
	dgserver_set_idle(conf->relay.idle);
	for (i = 0; i < 2; i++) {
		if (!b.addr[i]->o.fork)
			continue;
		if (b.server != -1) {
			log_err("%s: fork on both addresses; only one may "
			    "accept many connections", right->text);
			return (1);
		}
		if (addr_listens(b.addr[!i])) {
			log_err("%s: fork needs the other address to be one "
			    "that can be opened for each connection, not a "
			    "listener", b.addr[i]->text);
			return (1);
		}
		b.server = i;
	}
	for (i = 0; i < 3; i++) {
		b.sigev[i] = evsignal_new(base, sigs[i], bridge_signal, &b);
		event_add(b.sigev[i], NULL);
	}
	b.ev_stats = evsignal_new(base, SIGUSR1, bridge_stats, &b);
	event_add(b.ev_stats, NULL);
	if (conf->stats > 0) {
		b.ev_stats_timer = evtimer_new(base, bridge_stats, &b);
		stats_schedule(&b);
	}

	if (b.server != -1) {
		b.listener = listener_new(b.addr[b.server], base, 0,
		    bridge_accept, &b);
		if (b.listener == NULL)
			b.status = 1;
	} else
		session_open_next(session_new(&b));

	/* su=: every listener is bound; nothing was accepted yet. */
	if (b.status == 0 && priv_drop() == -1)
		b.status = 1;
	if (b.status == 0) {
		notify_ready();		/* every listener is up */
		event_base_dispatch(base);
	}

	while (b.sessions != NULL)
		session_free(b.sessions);
	listener_free(b.listener);
	for (i = 0; i < 3; i++)
		event_free(b.sigev[i]);
	event_free(b.ev_stats);
	if (b.ev_stats_timer != NULL)
		event_free(b.ev_stats_timer);
	return (b.status);
}
