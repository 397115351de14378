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

/* Strip the brackets of "[::1]" into buf. Returns buf. */
static const char *
tcp_host(const char *host, char *buf, size_t size)
{
	size_t	len = strlen(host);

	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		snprintf(buf, size, "%.*s", (int)(len - 2), host + 1);
		return (buf);
	}
	snprintf(buf, size, "%s", host);
	return (buf);
}

static int
port_ok(const char *port)
{
	const char	*p;
	long		 n;
	char		*end;

	if (isdigit((unsigned char)*port)) {
		n = strtol(port, &end, 10);
		return (*end == '\0' && n >= 0 && n <= 65535);
	}
	if (!isalpha((unsigned char)*port))
		return (0);
	for (p = port; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return (0);
	return (1);
}

static int
tcp_family(const struct addr *a)
{
	int	v = a->kind->variant != 0 ? a->kind->variant : a->o.pf;

	return (v == 4 ? AF_INET : v == 6 ? AF_INET6 : AF_UNSPEC);
}

static int
tcp_check(struct addr *a, char **errp)
{
	const char	*port = a->params[a->nparams - 1];
	const char	*host = a->params[0];
	size_t		 len = strlen(host);

	if (!port_ok(port)) {
		*errp = xasprintf("bad port '%.32s' (a number from 0 to 65535 "
		    "or a service name)", port);
		return (-1);
	}
	if (a->nparams == 2 && host[0] == '[' && host[len - 1] != ']') {
		*errp = xasprintf("bad host '%.64s' (an IPv6 address goes in "
		    "brackets: [::1])", host);
		return (-1);
	}
	if (a->nparams == 2 && strcmp(host, "[]") == 0) {
		*errp = xstrdup("empty host");
		return (-1);
	}
	if (a->kind->variant != 0 && a->o.pf != 0 &&
	    a->kind->variant != a->o.pf) {
		*errp = xasprintf("pf=ip%d contradicts %s", a->o.pf,
		    a->kind->name);
		return (-1);
	}
	return (0);
}

static int
tcp_lookup(const char *host, const char *port, int family, int passive,
    struct addrinfo **res, char **errp)
{
	struct addrinfo	hints;
	char		buf[256];
	int		rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = passive ? AI_PASSIVE : 0;
	if (host != NULL)
		host = tcp_host(host, buf, sizeof buf);
	if ((rc = getaddrinfo(host, port, &hints, res)) != 0) {
		if (rc == EAI_SYSTEM)
			*errp = xasprintf("cannot resolve '%s': %s",
			    host ? host : "", strerror(errno));
		else
			*errp = xasprintf("cannot resolve '%s%s%s': %s",
			    host ? host : "", host ? ":" : "", port,
			    gai_strerror(rc));
		return (-1);
	}
	return (0);
}

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

	family = tcp_family(a);
	if (a->o.bind == NULL && family == AF_UNSPEC)
		family = AF_INET6;	/* dual stack, IPv4 if that fails */
	for (;;) {
		if (tcp_lookup(a->o.bind, a->params[0], family, 1, &res,
		    &err) == -1)
			goto fail;
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			fd = sock_socket(ai->ai_family, SOCK_STREAM, 1);
			if (fd != -1)
				break;
		}
		if (fd != -1 || family != AF_INET6 || tcp_family(a) != 0 ||
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
	.check = tcp_check,
	.bind = tcp_bind,
	.accepted = tcp_accepted,
};

static int
tcp_resolve(struct addr *a, struct connect_target *t, int *n, char **errp)
{
	struct addrinfo	*res, *ai;
	int		 i = 0;

	if (tcp_lookup(a->params[0], a->params[1], tcp_family(a), 0, &res,
	    errp) == -1)
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

/* bind=host[:port] or bind=[v6]:port for the local end of a connection. */
static int
tcp_prepare(struct addr *a, int fd, int family, char **errp)
{
	struct addrinfo	*res;
	char		*host, *port = NULL, *colon;
	int		 on = 1, rc = -1;

	if (tcp_sockopts(a, fd, errp) == -1)
		return (-1);
	if (a->o.bind == NULL)
		return (0);
	host = xstrdup(a->o.bind);
	if (host[0] == '[') {
		if ((colon = strstr(host, "]:")) != NULL) {
			colon[1] = '\0';
			port = colon + 2;
		}
	} else if ((colon = strchr(host, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		*colon = '\0';
		port = colon + 1;
	}
	if (tcp_lookup(host[0] != '\0' ? host : NULL, port ? port : "0",
	    family, 1, &res, errp) == -1)
		goto out;
	if (a->o.reuseaddr == 1)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1)
		*errp = xasprintf("bind %s: %s", a->o.bind, strerror(errno));
	else
		rc = 0;
	freeaddrinfo(res);
out:
	x_free(host);
	return (rc);
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
	.check = tcp_check,
	.open = tcp_open,
};
