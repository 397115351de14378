/*
 * The fd-passing mode: which address is the local UNIX side and which the
 * hop, near or far role, and the life cycle of hops (PROTOCOL.md, ferry(1)).
 *
 * Near (the local side listens): one hop shared by all client sessions,
 * opened when the first client arrives; when it dies every session ends
 * and, with fork, a new one is opened after a backoff (near_restart), or
 * sooner by the next client (at most one attempt a second).
 * Far (the local side connects): every hop, accepted or opened, is its own
 * mux; every session on it connects to the local address.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <event2/event.h>

#include "addr.h"
#include "bridge.h"
#include "endpoint.h"
#include "fdpass/fdpass.h"
#include "fdpass/frame.h"
#include "fdpass/mux.h"
#include "listener.h"
#include "log.h"
#include "notify.h"
#include "priv.h"
#include "xmalloc.h"

#define MAXHOPS		256
#define RETRY_S		1
#define RETRY_MAX_S	30	/* restarting a lost hop: the longest wait */

struct fdpass {
	struct event_base	*base;
	struct addr		*local, *hop;
	int			 role;
	int			 many;		/* fork: more than one */
	int			 status;
	int			 signo;
	int			 done;
	double			 keepalive;	/* seconds, 0: none */
	struct listener		*listener;
	/* near */
	struct mux		*mux;
	struct addr_open	*op;
	struct endpoint		**pending;
	int			 npending;
	struct timeval		 last_try;
	struct event		*retry;
	int			 served;
	int			 restart;	/* reopen a lost hop unasked */
	int			 backoff;	/* seconds before the next try */
	/* far */
	struct mux		*muxes[MAXHOPS];
	int			 nmuxes;
	struct event		*sigev[3];
	struct event		*wait;
};

/*
 * The shared token for AUTH (PROTOCOL.md 4.4): the contents of the file
 * $FERRY_TOKEN_FILE, trailing newline removed (never the command line).
 * Returns 1 with a token set, 0 without the variable, -1 after logging.
 */
static int
fdpass_token(void)
{
	const char	*path = getenv("FERRY_TOKEN_FILE");
	char		 buf[4096];
	size_t		 n;
	FILE		*fp;

	if (path == NULL || *path == '\0')
		return (0);
	if ((fp = fopen(path, "r")) == NULL) {
		log_err("FERRY_TOKEN_FILE %s: %s", path, strerror(errno));
		return (-1);
	}
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	if (n == 0) {
		log_err("FERRY_TOKEN_FILE %s: empty token", path);
		return (-1);
	}
	mux_set_token(buf, n);
	memset(buf, 0, sizeof buf);
	return (1);
}

static int
is_unix(const struct addr *a)
{
	return (a->kind->ops == &addr_unix_listen_ops ||
	    a->kind->ops == &addr_unix_connect_ops);
}

static int
is_tcp_listen(const struct addr *a)
{
	return (a->kind->ops == &addr_tcp_listen_ops);
}

static void
fdpass_finish(struct fdpass *f)
{
	if (f->done)
		return;
	f->done = 1;
	event_base_loopexit(f->base, NULL);
}

/* ---- near --------------------------------------------------------------- */

static void	near_open_hop(struct fdpass *);

/*
 * A forking near peer whose hop died (an exec hop's command ended, a TCP
 * hop dropped) opens a new one without waiting for a client, after 1 s,
 * then 2, 4... up to RETRY_MAX_S while it keeps failing; the listener
 * stays up throughout.
 */
static void
near_restart(struct fdpass *f)
{
	struct timeval	tv;

	if (!f->many || f->signo != 0 || f->done)
		return;
	f->restart = 1;
	f->backoff = f->backoff == 0 ? RETRY_S : f->backoff * 2;
	if (f->backoff > RETRY_MAX_S)
		f->backoff = RETRY_MAX_S;
	log_info("%s: hop lost, opening a new one in %ds", f->hop->text,
	    f->backoff);
	tv.tv_sec = f->backoff;
	tv.tv_usec = 0;
	evtimer_add(f->retry, &tv);
}

static void
near_drop_pending(struct fdpass *f)
{
	int	i;

	for (i = 0; i < f->npending; i++)
		endpoint_free(f->pending[i]);
	f->npending = 0;
}

static void
near_mux_cb(struct mux *m, enum mux_event ev, int status, void *arg)
{
	struct fdpass	*f = arg;

	switch (ev) {
	case MUX_READY:
		f->restart = 0;
		f->backoff = 0;
		break;
	case MUX_SESSION_END:
		if (!f->many && f->signo == 0) {
			f->status = status;
			fdpass_finish(f);
		}
		break;
	case MUX_DEAD:
		mux_free(f->mux);
		f->mux = NULL;
		if (!f->many) {
			if (f->signo == 0)
				f->status = 1;
			fdpass_finish(f);
		} else if (f->npending > 0)
			near_open_hop(f);
		else
			near_restart(f);
		break;
	}
}

static void
near_hop_opened(struct endpoint *ep, void *arg)
{
	struct fdpass	*f = arg;
	int		 i;

	f->op = NULL;
	if (ep == NULL) {
		/* addr_open logged the error. */
		near_drop_pending(f);
		if (!f->many) {
			f->status = 1;
			fdpass_finish(f);
		} else if (f->restart)
			near_restart(f);
		return;
	}
	log_debug("%s: hop open", f->hop->text);
	f->mux = mux_new(f->base, ep, FRAME_ROLE_NEAR, NULL, near_mux_cb, f);
	mux_set_keepalive(f->mux, f->keepalive);
	for (i = 0; i < f->npending; i++)
		mux_attach(f->mux, f->pending[i]);
	f->npending = 0;
}

static void
near_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	near_open_hop(arg);
}

static void
near_open_hop(struct fdpass *f)
{
	struct timeval	now, d, wait;

	if (f->mux != NULL || f->op != NULL ||
	    (f->npending == 0 && !f->restart))
		return;
	gettimeofday(&now, NULL);
	timersub(&now, &f->last_try, &d);
	if (f->last_try.tv_sec != 0 && d.tv_sec < RETRY_S) {
		wait.tv_sec = 0;
		wait.tv_usec = 1000000 - d.tv_usec;
		if (!evtimer_pending(f->retry, NULL))
			evtimer_add(f->retry, &wait);
		return;
	}
	f->last_try = now;
	f->op = addr_open(f->hop, f->base, ADDR_RD | ADDR_WR,
	    near_hop_opened, f);
}

static void
near_accept(struct endpoint *ep, void *arg)
{
	struct fdpass	*f = arg;

	log_debug("%s: client %s", f->local->text, endpoint_name(ep));
	f->served++;
	if (f->mux != NULL) {
		mux_attach(f->mux, ep);
		return;
	}
	f->pending = xrealloc(f->pending, (f->npending + 1) * sizeof *f->pending);
	f->pending[f->npending++] = ep;
	near_open_hop(f);
}

/* ---- far ---------------------------------------------------------------- */

static void
far_mux_cb(struct mux *m, enum mux_event ev, int status, void *arg)
{
	struct fdpass	*f = arg;
	int		 i;

	if (ev != MUX_DEAD)
		return;
	for (i = 0; i < f->nmuxes; i++)
		if (f->muxes[i] == m) {
			f->muxes[i] = f->muxes[--f->nmuxes];
			break;
		}
	mux_free(m);
	if (!f->many)
		fdpass_finish(f);
}

static void
far_new_hop(struct fdpass *f, struct endpoint *ep)
{
	if (f->nmuxes == MAXHOPS) {
		log_warn("%s: %d hops already, refusing %s", f->hop->text,
		    MAXHOPS, endpoint_name(ep));
		endpoint_free(ep);
		return;
	}
	log_debug("%s: hop %s", f->hop->text, endpoint_name(ep));
	f->muxes[f->nmuxes] = mux_new(f->base, ep, FRAME_ROLE_FAR, f->local,
	    far_mux_cb, f);
	mux_set_keepalive(f->muxes[f->nmuxes++], f->keepalive);
}

static void
far_accept(struct endpoint *ep, void *arg)
{
	far_new_hop(arg, ep);
}

static void
far_hop_opened(struct endpoint *ep, void *arg)
{
	struct fdpass	*f = arg;

	f->op = NULL;
	if (ep == NULL) {
		f->status = 1;
		fdpass_finish(f);
		return;
	}
	far_new_hop(f, ep);
}

/* ---- both --------------------------------------------------------------- */

static void
fdpass_signal(evutil_socket_t sig, short what, void *arg)
{
	struct fdpass	*f = arg;
	int		 i;

	if (f->signo != 0) {
		log_info("second signal %d, exiting now", (int)sig);
		exit(128 + (int)sig);
	}
	log_info("signal %d: shutting down", (int)sig);
	f->signo = (int)sig;
	f->status = 128 + (int)sig;
	listener_free(f->listener);
	f->listener = NULL;
	if (f->mux != NULL)
		mux_shutdown(f->mux);
	for (i = 0; i < f->nmuxes; i++)
		mux_shutdown(f->muxes[i]);
	fdpass_finish(f);
}

static void
fdpass_wait_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fdpass	*f = arg;

	if (mux_orphans() == 0)
		event_base_loopexit(f->base, NULL);
}

/*
 * Which address is local and which the hop.  Returns 0, or -1 after
 * logging why.
 */
static int
fdpass_sides(struct fdpass *f, struct addr *left, struct addr *right,
    int token)
{
	int	ul = is_unix(left), ur = is_unix(right);

	if (ul && ur) {
		if (left->o.fdpass == right->o.fdpass) {
			log_err("%s: both addresses are UNIX sockets: put "
			    "fdpass on the hop only (the address that leads "
			    "to the other ferry), not on %s", left->text,
			    left->o.fdpass ? "both" : "neither");
			return (-1);
		}
		f->hop = left->o.fdpass ? left : right;
		f->local = left->o.fdpass ? right : left;
	} else if (ul || ur) {
		f->local = ul ? left : right;
		f->hop = ul ? right : left;
	} else {
		log_err("%s: fdpass needs a UNIX socket address on one side "
		    "(UNIX-LISTEN for the near peer, UNIX-CONNECT for the far "
		    "peer)", left->text);
		return (-1);
	}
	if (f->local->wr != NULL || f->hop->wr != NULL) {
		log_err("%s: fdpass does not take \"A!!B\" pairs",
		    f->local->wr ? f->local->text : f->hop->text);
		return (-1);
	}
	f->role = addr_listens(f->local) ? FRAME_ROLE_NEAR : FRAME_ROLE_FAR;
	/* On the hop, or on the local address where fdpass often sits. */
	f->keepalive = f->hop->o.keepalive_interval;
	if (f->keepalive < 0)
		f->keepalive = f->local->o.keepalive_interval;
	if (f->keepalive < 0)
		f->keepalive = MUX_KEEPALIVE;
	else if (f->keepalive > 0 && f->keepalive < 0.25) {
		log_err("%s: keepalive-interval=%g is too short: 0.25 seconds "
		    "at least, or 0 for none", f->hop->o.keepalive_interval >= 0 ?
		    f->hop->text : f->local->text, f->keepalive);
		return (-1);
	}
	if (f->role == FRAME_ROLE_NEAR) {
		f->many = f->local->o.fork;
		if (f->hop->o.fork) {
			log_err("%s: fork belongs on the local UNIX-LISTEN "
			    "address of a near peer", f->hop->text);
			return (-1);
		}
	} else {
		f->many = f->hop->o.fork;
		if (f->local->o.fork) {
			log_err("%s: fork belongs on the hop of a far peer",
			    f->local->text);
			return (-1);
		}
	}
	if (is_tcp_listen(f->hop)) {
		if (f->hop->o.bind == NULL)
			f->hop->o.bind = xstrdup(f->hop->kind->variant == 6 ?
			    "::1" : "127.0.0.1");
		else if (!ip_loopback(f->hop->o.bind)) {
			struct addr_opts	*o = &f->hop->o;
			int			 clientauth;

			/* TLS encrypts; only these say who the near peer is. */
			clientauth = o->tls && (o->cafile != NULL ||
			    o->capath != NULL || o->psk_file != NULL ||
			    o->fingerprint != NULL);
			if (!clientauth && !token) {
				log_err("%s: refusing to listen for fdpass hops "
				    "on %s: a hop lets its peer use this "
				    "machine's UNIX server, so off loopback the "
				    "near peer must prove who it is: TLS with "
				    "client certificates (cafile=), psk-file= or "
				    "fingerprint=, or a token (FERRY_TOKEN_FILE "
				    "on both peers); or bind to loopback and "
				    "tunnel (ssh -L), or use an exec hop",
				    f->hop->text, o->bind);
				return (-1);
			}
			if (!o->tls)
				log_warn("%s: hops on %s are authenticated by "
				    "the token but not encrypted", f->hop->text,
				    o->bind);
		}
	}
	return (0);
}

int
fdpass_run(struct event_base *base, struct addr *left, struct addr *right,
    const struct bridge_conf *conf)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct fdpass	 f;
	struct timeval	 tv = { 0, 100000 };
	int		 i, token;

	memset(&f, 0, sizeof f);
	f.base = base;
	if ((token = fdpass_token()) == -1 ||
	    fdpass_sides(&f, left, right, token) == -1)
		return (1);
	for (i = 0; i < 3; i++) {
		f.sigev[i] = evsignal_new(base, sigs[i], fdpass_signal, &f);
		event_add(f.sigev[i], NULL);
	}
	f.retry = evtimer_new(base, near_retry_cb, &f);
	if (f.role == FRAME_ROLE_NEAR) {
		f.listener = listener_new(f.local, base, !f.many, near_accept,
		    &f);
		if (f.listener == NULL)
			f.status = 1;
	} else if (addr_listens(f.hop)) {
		f.listener = listener_new(f.hop, base, !f.many, far_accept, &f);
		if (f.listener == NULL)
			f.status = 1;
	} else {
		f.many = 0;
		f.op = addr_open(f.hop, base, ADDR_RD | ADDR_WR,
		    far_hop_opened, &f);
	}
	/* su=: every listener is bound; nothing was accepted yet. */
	if (f.status == 0 && priv_drop() == -1)
		f.status = 1;
	if (f.status == 0) {
		notify_ready();		/* every listener is up */
		event_base_dispatch(base);
	}

	listener_free(f.listener);
	f.listener = NULL;
	if (f.op != NULL)
		addr_open_cancel(f.op);
	near_drop_pending(&f);
	free(f.pending);
	mux_free(f.mux);
	for (i = 0; i < f.nmuxes; i++)
		mux_free(f.muxes[i]);
	/* Far: let detached sessions wind down (PROTOCOL.md 11). */
	if (f.signo == 0 && mux_orphans() > 0) {
		f.wait = event_new(base, -1, EV_PERSIST, fdpass_wait_cb, &f);
		event_add(f.wait, &tv);
		event_base_dispatch(base);
		event_free(f.wait);
	}
	event_free(f.retry);
	mux_set_token(NULL, 0);
	for (i = 0; i < 3; i++)
		event_free(f.sigev[i]);
	return (f.status);
}
