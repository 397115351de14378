/*
 * Datagram kinds: UDP-CONNECT, UDP-SENDTO (and their UDP4/UDP6 forms),
 * UNIX-SENDTO; and the bound side, UDP-LISTEN, UDP-RECVFROM, UDP-RECV,
 * UNIX-RECVFROM and UNIX-RECV, whose sockets listener.c hands to a
 * dgserver instead of listen(2).
 *
 * The sending kinds connect(2) their socket, so replies come only from the
 * address sent to, as socat's UDP-SENDTO takes them (it filters by hand).  UNIX-SENDTO needs
 * an address of its own for replies: with bind=PATH that one (removed when
 * the address closes), otherwise an autobound abstract name on Linux, or a
 * temporary socket file in $TMPDIR (or /tmp) elsewhere, removed when the
 * address closes.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "endpoint.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

static void
udp_open(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);
	struct addrinfo	*res, *ai;
	char		*err = NULL, where[SOCK_NTOP_MAX];
	int		 fd = -1, saved = 0;

	if (ip_lookup(a->params[0], a->params[1], ip_family(a), SOCK_DGRAM, 0,
	    &res, &err) == -1) {
		addr_open_fail_cause(op, errno, "resolve", err);
		x_free(err);
		return;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		sock_ntop(ai->ai_addr, ai->ai_addrlen, where);
		if ((fd = sock_socket(ai->ai_family, SOCK_DGRAM, 1)) == -1) {
			saved = errno;
			continue;
		}
		if (ip_bind_local(a, fd, ai->ai_family, SOCK_DGRAM, &err) == -1) {
			close(fd);
			freeaddrinfo(res);
			addr_open_fail(op, "%s", err);
			x_free(err);
			return;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		addr_open_errno(op, saved, "connect to %s", where);
		return;
	}
	log_debug("%s: sending to %s", a->text, where);
	addr_open_done(op, endpoint_new(a->text, fd, fd));
}

static int
udp_bind(struct addr *a, struct bound *b)
{
	struct addrinfo	*res = NULL, *ai = NULL;
	char		*err = NULL;
	int		 fd = -1, on = 1, off = 0, family;

	family = ip_family(a);
	if (a->o.bind == NULL && family == AF_UNSPEC)
		family = AF_INET6;	/* dual stack, IPv4 if that fails */
	for (;;) {
		if (ip_lookup(a->o.bind, a->params[0], family, SOCK_DGRAM, 1,
		    &res, &err) == -1)
			goto fail;
		for (ai = res; ai != NULL; ai = ai->ai_next)
			if ((fd = sock_socket(ai->ai_family, SOCK_DGRAM,
			    1)) != -1)
				break;
		if (fd != -1 || family != AF_INET6 || ip_family(a) != 0 ||
		    a->o.bind != NULL)
			break;
		freeaddrinfo(res);
		res = NULL;
		family = AF_INET;
	}
	if (fd == -1) {
		log_err("%s: socket: %s", a->text, strerror(errno));
		goto fail;
	}
	if (a->o.reuseaddr != 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR,
	    &on, sizeof on) == -1) {
		log_err("%s: setsockopt SO_REUSEADDR: %s", a->text,
		    strerror(errno));
		goto fail;
	}
	if (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, a->kind->variant == 6 ? &on : &off, sizeof on) == -1)
		log_debug("%s: IPV6_V6ONLY: %s", a->text, strerror(errno));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		log_err("%s: bind: %s", a->text, strerror(errno));
		goto fail;
	}
	freeaddrinfo(res);
	b->fd = fd;
	return (0);

fail:
	if (err != NULL) {
		log_err("%s: %s", a->text, err);
		x_free(err);
	}
	if (res != NULL)
		freeaddrinfo(res);
	if (fd != -1)
		close(fd);
	return (-1);
}

const struct addr_ops addr_udp_connect_ops = {
	.check = ip_check,
	.open = udp_open,
};

const struct addr_ops addr_udp_server_ops = {
	.check = ip_check,
	.bind = udp_bind,
};

/* ---- UNIX datagram sockets ---------------------------------------------- */

/* The peer's address: a path, or an ABSTRACT-* kind's name. */
static int
unixdg_addr(struct addr *a, struct sockaddr_un *sun, socklen_t *lenp,
    char **errp)
{
	if (a->kind->flags & KIND_ABSTRACT)
		return (sock_unix_abstract(a->params[0], sun, lenp, errp));
	return (sock_unix_addr(a->params[0], sun, lenp, errp));
}

static int
unixdg_check(struct addr *a, char **errp)
{
	struct sockaddr_un	sun;
	socklen_t		len;

	a->o.socktype = SOCK_DGRAM;
	if (unixdg_addr(a, &sun, &len, errp) == -1)
		return (-1);
	if (a->o.bind != NULL && sock_unix_addr(a->o.bind, &sun, &len,
	    errp) == -1)
		return (-1);
	return (0);
}

/*
 * Give fd an address of its own, for replies: the bind= path, an abstract
 * autobound name (Linux), or a temporary file.  *pathp gets the file to
 * remove at close (allocated), or NULL.  Returns 0, or -1 with *errp.
 */
static int
unixdg_bind_local(struct addr *a, int fd, char **pathp, char **errp)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	static unsigned		n;
	const char		*tmpdir;
	char			*path;

	*pathp = NULL;
	if (a->o.bind == NULL) {
#ifdef HAVE_ABSTRACT_SOCKETS
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		if (bind(fd, (struct sockaddr *)&sun,
		    offsetof(struct sockaddr_un, sun_path)) == 0)
			return (0);
		*errp = xasprintf("bind an abstract name: %s",
		    strerror(errno));
		return (-1);
#endif
	}
	if (a->o.bind != NULL)
		path = xstrdup(a->o.bind);
	else {
		if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
			tmpdir = "/tmp";
		path = xasprintf("%s/ferry.%ld.%u.sock", tmpdir,
		    (long)getpid(), n++);
		(void)unlink(path);
	}
	if (sock_unix_addr(path, &sun, &len, errp) == -1) {
		x_free(path);
		return (-1);
	}
	if (bind(fd, (struct sockaddr *)&sun, len) == -1) {
		*errp = xasprintf("bind %s: %s", path, strerror(errno));
		x_free(path);
		return (-1);
	}
	*pathp = path;
	return (0);
}

static void
unixdg_open(struct addr_open *op)
{
	struct addr		*a = addr_open_addr(op);
	struct sockaddr_un	 sun;
	struct endpoint		*ep;
	socklen_t		 len;
	char			*err = NULL, *local = NULL;
	const char		*hint = "";
	int			 fd;

	if (unixdg_addr(a, &sun, &len, &err) == -1)
		goto fail;
	if ((fd = sock_socket(AF_UNIX, SOCK_DGRAM, 1)) == -1) {
		err = xasprintf("socket: %s", strerror(errno));
		goto fail;
	}
	if (unixdg_bind_local(a, fd, &local, &err) == -1) {
		close(fd);
		goto fail;
	}
	if (connect(fd, (struct sockaddr *)&sun, len) == -1) {
		switch (errno) {
		case ENOENT:
			hint = " (no socket there)";
			break;
		case ECONNREFUSED:
			hint = " (nothing is bound there)";
			break;
		case EPROTOTYPE:
			hint = " (not a datagram socket: UNIX-CONNECT?)";
			break;
		}
		err = xasprintf("connect to %s%s: %s%s",
		    (a->kind->flags & KIND_ABSTRACT) ? "@" : "", a->params[0],
		    strerror(errno), hint);
		close(fd);
		if (local != NULL)
			(void)unlink(local);
		x_free(local);
		goto fail;
	}
	ep = endpoint_new(a->text, fd, fd);
	if (local != NULL)
		endpoint_set_unlink(ep, local);
	x_free(local);
	addr_open_done(op, ep);
	return;

fail:
	addr_open_fail(op, "%s", err);
	x_free(err);
}

const struct addr_ops addr_unix_sendto_ops = {
	.check = unixdg_check,
	.open = unixdg_open,
};

static int
unixdg_bind(struct addr *a, struct bound *b)
{
	return (addr_unix_listen_ops.bind(a, b));
}

const struct addr_ops addr_unix_recv_ops = {
	.check = unixdg_check,
	.bind = unixdg_bind,
};
