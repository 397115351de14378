/*
 * TCP-LISTEN, TCP-CONNECT and their TCP4/TCP6 forms.  IPv6 literals go in
 * brackets: tcp:[::1]:80.  TCP-LISTEN listens on IPv6 and IPv4 at once
 * where the system can, on IPv4 otherwise.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "connector.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

/* Options common to listening and connected TCP sockets. */
static int
tcp_sockopts(struct addr *a, int fd, char **errp)
{
	int	on;

	on = a->o.nodelay != 0;		/* default on: a relay should not wait */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == -1) {
		*errp = xasprintf("setsockopt TCP_NODELAY: %s", strerror(errno));
		return (-1);
	}
	if (a->o.keepalive) {
		on = 1;
		if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on,
		    sizeof on) == -1) {
			*errp = xasprintf("setsockopt SO_KEEPALIVE: %s",
			    strerror(errno));
			return (-1);
		}
	}
	return (0);
}

static int
tcp_bind(struct addr *a, struct bound *b)
{
	struct addrinfo		*res = NULL, *ai;
	char			*err = NULL;
	int			 fd = -1, on = 1, off = 0, family;

	family = ip_family(a);
	if (a->o.bind == NULL && family == AF_UNSPEC)
		family = AF_INET6;	/* dual stack, IPv4 if that fails */
	for (;;) {
		if (ip_lookup(a->o.bind, a->params[0], family, SOCK_STREAM, 1,
		    &res, &err) == -1)
			goto fail;
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			fd = sock_socket(ai->ai_family, SOCK_STREAM, 1);
			if (fd != -1)
				break;
		}
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
	if (ai->ai_family == AF_INET6) {
		/* TCP6-LISTEN is IPv6 only; TCP-LISTEN takes both. */
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
		    a->kind->variant == 6 ? &on : &off, sizeof on) == -1)
			log_debug("%s: IPV6_V6ONLY: %s", a->text,
			    strerror(errno));
	}
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

static int
tcp_accepted(struct addr *a, int fd, char **errp)
{
	return (tcp_sockopts(a, fd, errp));
}

const struct addr_ops addr_tcp_listen_ops = {
	.check = ip_check,
	.bind = tcp_bind,
	.accepted = tcp_accepted,
};

static int
tcp_resolve(struct addr *a, struct connect_target *t, int *n, char **errp)
{
	struct addrinfo	*res, *ai;
	int		 i = 0;

	if (ip_lookup(a->params[0], a->params[1], ip_family(a), SOCK_STREAM, 0,
	    &res, errp) == -1)
		return (-1);
	for (ai = res; ai != NULL && i < *n; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof t[i].ss)
			continue;
		memcpy(&t[i].ss, ai->ai_addr, ai->ai_addrlen);
		t[i].len = ai->ai_addrlen;
		t[i].type = 0;
		i++;
	}
	freeaddrinfo(res);
	*n = i;
	return (0);
}

/* Socket options, and bind= for the local end of a connection. */
static int
tcp_prepare(struct addr *a, int fd, int family, char **errp)
{
	if (tcp_sockopts(a, fd, errp) == -1)
		return (-1);
	return (ip_bind_local(a, fd, family, SOCK_STREAM, errp));
}

static const struct connect_ops tcp_connect = {
	.resolve = tcp_resolve,
	.prepare = tcp_prepare,
};

static void
tcp_open(struct addr_open *op)
{
	connector_open(op, &tcp_connect);
}

const struct addr_ops addr_tcp_connect_ops = {
	.check = ip_check,
	.open = tcp_open,
};
