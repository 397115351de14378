/*
 * What the IP families (TCP and UDP) share: checking host and port at
 * parse time, the address family pf= and the kind ask for, name lookup,
 * and bind= on a connecting socket.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "xmalloc.h"

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

int
ip_family(const struct addr *a)
{
	int	v = a->kind->variant != 0 ? a->kind->variant : a->o.pf;

	return (v == 4 ? AF_INET : v == 6 ? AF_INET6 : AF_UNSPEC);
}

int
ip_check(struct addr *a, char **errp)
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

int
ip_lookup(const char *host, const char *port, int family, int socktype,
    int passive, struct addrinfo **res, char **errp)
{
	struct addrinfo	hints;
	char		buf[256];
	size_t		len;
	int		rc, err;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = socktype;
	hints.ai_flags = passive ? AI_PASSIVE : 0;
	/* "[::1]": the brackets are ours, not the resolver's. */
	if (host != NULL && (len = strlen(host)) >= 2 && host[0] == '[' &&
	    host[len - 1] == ']') {
		snprintf(buf, sizeof buf, "%.*s", (int)(len - 2), host + 1);
		host = buf;
	}
	if ((rc = getaddrinfo(host, port, &hints, res)) != 0) {
		err = rc == EAI_SYSTEM ? errno : 0;
		if (rc == EAI_SYSTEM)
			*errp = xasprintf("cannot resolve '%s': %s",
			    host ? host : "", strerror(err));
		else
			*errp = xasprintf("cannot resolve '%s%s%s': %s",
			    host ? host : "", host ? ":" : "", port,
			    gai_strerror(rc));
		errno = err;
		return (-1);
	}
	return (0);
}

int
ip_bind_local(struct addr *a, int fd, int family, int socktype, char **errp)
{
	struct addrinfo	*res;
	char		*host, *port = NULL, *colon;
	int		 on = 1, rc = -1;

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
	if (ip_lookup(host[0] != '\0' ? host : NULL, port ? port : "0",
	    family, socktype, 1, &res, errp) == -1)
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

/* A loopback host: 127.0.0.0/8, ::1 or localhost, with or without brackets. */
int
ip_loopback(const char *host)
{
	struct in_addr	 v4;
	struct in6_addr	 v6;
	char		 buf[INET6_ADDRSTRLEN];
	size_t		 len = strlen(host);

	if (strcasecmp(host, "localhost") == 0)
		return (1);
	if (host[0] == '[' && len > 2 && len - 2 < sizeof buf &&
	    host[len - 1] == ']') {
		memcpy(buf, host + 1, len - 2);
		buf[len - 2] = '\0';
		host = buf;
	}
	if (inet_pton(AF_INET, host, &v4) == 1)
		return ((ntohl(v4.s_addr) >> 24) == 127);
	if (inet_pton(AF_INET6, host, &v6) == 1)
		return (IN6_IS_ADDR_LOOPBACK(&v6));
	return (0);
}
