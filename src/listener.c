#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "acl.h"
#include "addr.h"
#include "dgram.h"
#include "dgserver.h"
#include "endpoint.h"
#include "listener.h"
#include "log.h"
#include "relay.h"
#include "sock.h"
#include "tls.h"
#include "xmalloc.h"

#define BACKOFF_MSEC	100	/* after EMFILE and friends */

struct listener {
	struct addr		*addr;
	struct evconnlistener	*evl;
	struct event		*backoff;
	int			 once;
	int			 enabled;
	int			 stream;	/* SOCK_STREAM: accepted ones too */
	listener_cb		*cb;
	void			*arg;
	char			 where[SOCK_NTOP_MAX];
	struct sockfile		*file;
	struct pending		*pending;	/* TLS handshakes */
	struct dgserver		*dgs;		/* a datagram socket's */
};

/* An accepted connection whose TLS handshake is under way. */
struct pending {
	struct listener	*l;
	struct tls_hs	*hs;
	struct pending	*next;
	struct pending	**prevp;
};

static void
pending_done(struct endpoint *ep, void *arg)
{
	struct pending	*p = arg;
	struct listener	*l = p->l;

	if (p->next != NULL)
		p->next->prevp = p->prevp;
	*p->prevp = p->next;
	x_free(p);
	if (ep != NULL)
		l->cb(ep, l->arg);
	else if (l->once)
		listener_enable(l, 1);	/* that one failed: wait for another */
}

/* UNIX socket files we created, removed at exit if still ours. */
struct sockfile {
	char		*path;
	dev_t		 dev;
	ino_t		 ino;
	struct sockfile	*next;
};
static struct sockfile	*sockfiles;

/* --ready-file: every listening address, a line each. */
static char		*ready_path;
static char		*ready_text;

void
listener_set_ready_file(const char *path)
{
	ready_path = xstrdup(path);
	ready_text = xstrdup("");
}

/* Rewrite the ready file with one more line, atomically. */
static void
ready_note(const char *where)
{
	char	*tmp, *text;
	FILE	*f;

	if (ready_path == NULL)
		return;
	text = xasprintf("%s%s\n", ready_text, where);
	x_free(ready_text);
	ready_text = text;
	tmp = xasprintf("%s.%ld.tmp", ready_path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) == EOF || rename(tmp, ready_path) == -1) {
		log_warn("--ready-file %s: %s", ready_path, strerror(errno));
		(void)unlink(tmp);
	}
	x_free(tmp);
}

static struct sockfile *
sockfile_add(const char *path, dev_t dev, ino_t ino)
{
	struct sockfile	*sf;

	sf = xcalloc(1, sizeof *sf);
	sf->path = xstrdup(path);
	sf->dev = dev;
	sf->ino = ino;
	sf->next = sockfiles;
	sockfiles = sf;
	return (sf);
}

/* Remove the file if it is still the socket we bound, and forget it. */
static void
sockfile_remove(struct sockfile *sf)
{
	struct sockfile	**pp;
	struct stat	  sb;

	if (lstat(sf->path, &sb) == 0 && sb.st_dev == sf->dev &&
	    sb.st_ino == sf->ino) {
		if (unlink(sf->path) == 0)
			log_debug("removed %s", sf->path);
		else	/* su= took the right to write the directory */
			log_warn("cannot remove %s: %s", sf->path,
			    strerror(errno));
	}
	for (pp = &sockfiles; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == sf) {
			*pp = sf->next;
			break;
		}
	}
	x_free(sf->path);
	x_free(sf);
}

void
listener_cleanup_files(void)
{
	while (sockfiles != NULL)
		sockfile_remove(sockfiles);
}

/* A peer the acl refused: closed, said once a second (a flood is not
 * a flood of lines), every time at -d. */
static void
listener_refused(struct listener *l, int fd, struct sockaddr *sa, int salen,
    const char *why)
{
	static time_t	 last;
	time_t		 now = time(NULL);
	char		 peer[SOCK_NTOP_MAX];

	if (sa->sa_family == AF_UNIX)
		snprintf(peer, sizeof peer, "a peer");
	else
		sock_ntop(sa, (socklen_t)salen, peer);
	if (now != last)
		log_warn("%s: refused %s: %s", l->addr->text, peer, why);
	else
		log_info("%s: refused %s: %s", l->addr->text, peer, why);
	last = now;
	evutil_closesocket(fd);
}

static void
listener_accept(struct evconnlistener *evl, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct listener	*l = arg;
	struct endpoint	*ep;
	char		 peer[SOCK_NTOP_MAX], *name, *err = NULL;

	if (l->addr->o.acl != NULL && acl_check(l->addr->o.acl, fd, sa,
	    (socklen_t)salen, &err) == -1) {
		listener_refused(l, fd, sa, salen, err);
		x_free(err);
		return;
	}
	if (l->addr->kind->ops->accepted != NULL &&
	    l->addr->kind->ops->accepted(l->addr, fd, &err) == -1) {
		log_info("%s: %s", l->addr->text, err);
		x_free(err);
		evutil_closesocket(fd);
		return;
	}
	if (sa->sa_family == AF_UNIX)
		name = xasprintf("%s", l->addr->text);
	else
		name = xasprintf("%s", sock_ntop(sa, (socklen_t)salen, peer));
	/* Accepted non-blocking (evconnlistener's accept4 or fcntl). */
	if (l->stream)
		ep = endpoint_new_sock(name, fd);
	else
		ep = endpoint_new(name, fd, fd);
	x_free(name);
	if (l->once)
		listener_enable(l, 0);
	if (l->addr->o.tls) {
		struct pending	*p = xcalloc(1, sizeof *p);

		p->l = l;
		p->next = l->pending;
		if (p->next != NULL)
			p->next->prevp = &p->next;
		p->prevp = &l->pending;
		l->pending = p;
		p->hs = tls_start(l->addr, evconnlistener_get_base(evl), ep, 1,
		    pending_done, p);
		return;
	}
	l->cb(ep, l->arg);
}

static void
listener_resume(evutil_socket_t fd, short what, void *arg)
{
	struct listener	*l = arg;

	if (l->enabled)
		evconnlistener_enable(l->evl);
}

static void
listener_error(struct evconnlistener *evl, void *arg)
{
	struct listener	*l = arg;
	struct timeval	 tv = { 0, BACKOFF_MSEC * 1000 };
	static time_t	 last;
	int		 err = EVUTIL_SOCKET_ERROR();
	time_t		 now = time(NULL);

	/* Out of fds or memory: pause, say so once in a while, go on. */
	relay_pool_drain();
	if (!sock_fdshort(l->addr->text, "accept", err) && now != last)
		log_warn("%s: accept: %s (pausing new connections)",
		    l->addr->text, strerror(err));
	last = now;
	evconnlistener_disable(l->evl);
	evtimer_add(l->backoff, &tv);
}

struct listener *
listener_new(struct addr *a, struct event_base *base, int once,
    listener_cb *cb, void *arg)
{
	struct listener	*l;
	struct bound	 b;
	int		 backlog, type = 0;
	socklen_t	 len;

	memset(&b, 0, sizeof b);
	b.fd = -1;
	if (a->o.tls && tls_setup(a, 1) == -1)
		return (NULL);
	if (a->kind->ops->bind(a, &b) == -1)
		return (NULL);
	l = xcalloc(1, sizeof *l);
	l->addr = a;
	l->once = once;
	l->enabled = 1;
	l->cb = cb;
	l->arg = arg;
	if (b.path != NULL) {
		l->file = sockfile_add(b.path, b.dev, b.ino);
		snprintf(l->where, sizeof l->where, "%s", b.path);
		x_free(b.path);
	} else
		sock_local(b.fd, l->where);
	if (dgram_socktype(b.fd) == SOCK_DGRAM) {
		/*
		 * No listen(2): a datagram server hands out sessions.  Once,
		 * the socket goes with the session; its file stays till exit.
		 */
		l->dgs = dgserver_new(a, base, b.fd, once, cb, arg);
		b.fd = -1;
		if (l->dgs == NULL)
			goto fail;
		if (once)
			l->file = NULL;
		log_info("%s: receiving on %s", a->text, l->where);
		ready_note(l->where);
		return (l);
	}
	/* Default: the system's maximum, not socat's 5. */
	backlog = a->o.backlog > 0 ? a->o.backlog : INT_MAX;
	if (once)
		backlog = a->o.backlog > 0 ? a->o.backlog : 1;
	len = sizeof type;
	l->stream = getsockopt(b.fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	    type == SOCK_STREAM;
	/* An inherited socket keeps its owner's backlog unless told. */
	if (b.inherited && a->o.backlog <= 0)
		backlog = -1;
	if (sock_nonblock(b.fd, 1) == -1 ||
	    (backlog != -1 && listen(b.fd, backlog) == -1)) {
		log_err("%s: listen: %s", a->text, strerror(errno));
		goto fail;
	}
	l->evl = evconnlistener_new(base, listener_accept, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, b.fd);
	if (l->evl == NULL) {
		log_err("%s: cannot listen", a->text);
		goto fail;
	}
	b.fd = -1;
	evconnlistener_set_error_cb(l->evl, listener_error);
	l->backoff = evtimer_new(base, listener_resume, l);
	log_info("%s: listening on %s", a->text, l->where);
	ready_note(l->where);
	return (l);

fail:
	if (b.fd != -1)
		close(b.fd);
	listener_free(l);
	return (NULL);
}

void
listener_enable(struct listener *l, int on)
{
	l->enabled = on;
	if (l->dgs != NULL)
		dgserver_enable(l->dgs, on);
	else if (on)
		evconnlistener_enable(l->evl);
	else
		evconnlistener_disable(l->evl);
}

const char *
listener_where(const struct listener *l)
{
	return (l->where);
}

void
listener_free(struct listener *l)
{
	if (l == NULL)
		return;
	while (l->pending != NULL) {
		struct pending	*p = l->pending;

		l->pending = p->next;
		tls_cancel(p->hs);
		x_free(p);
	}
	dgserver_free(l->dgs);
	if (l->backoff != NULL)
		event_free(l->backoff);
	if (l->evl != NULL)
		evconnlistener_free(l->evl);
	if (l->file != NULL)
		sockfile_remove(l->file);
	x_free(l);
}
