/*
 * ACCEPT-FD:n and SYSTEMD[:name]: listening sockets ferry inherits instead
 * of binding, from systemd's socket activation (see activate.c) or from
 * any parent.  ferry accepts on them, never listen(2)s anew unless
 * backlog= is given, and never removes their socket files: it did not
 * create them.
 *
 * For an accepted connection (inetd style, Accept=yes) use FD:n instead.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "activate.h"
#include "addr.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

#define ACTIVATE_SYSTEMD	1	/* kind variant: SYSTEMD[:name] */

static int
activate_stream(struct addr *a, int fd, struct bound *b)
{
	int		on = 0;
	socklen_t	len = sizeof on;

	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == -1) {
		log_err("%s: fd %d: getsockopt SO_ACCEPTCONN: %s", a->text,
		    fd, strerror(errno));
		return (-1);
	}
	if (!on) {
		log_err("%s: fd %d is a stream socket that is not listening "
		    "(for a connection already accepted, as with Accept=yes "
		    "or --inetd, use FD:%d)", a->text, fd, fd);
		return (-1);
	}
	b->fd = fd;
	b->inherited = 1;
	return (0);
}

/* A datagram socket: the listener serves it as *-RECVFROM does. */
static int
activate_dgram(struct addr *a, int fd, struct bound *b)
{
	b->fd = fd;
	b->inherited = 1;
	return (0);
}

/*
 * What each socket type gets: a listening stream or seqpacket socket is
 * accepted on (seqpacket connections relayed record for record), a
 * datagram socket served as *-RECVFROM is (one session per sender with
 * fork); anything else is an error.
 */
static const struct {
	int		 type;
	const char	*name;
	int		(*bind)(struct addr *, int, struct bound *);
} types[] = {
	{ SOCK_STREAM, "stream", activate_stream },
	{ SOCK_DGRAM, "datagram", activate_dgram },
#if HAVE_DECL_SOCK_SEQPACKET
	{ SOCK_SEQPACKET, "seqpacket", activate_stream },
#endif
};

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* Check that fd is a socket ferry can accept on, and hand it over. */
static int
activate_bind_fd(struct addr *a, int fd, struct bound *b)
{
	int		type;
	socklen_t	len = sizeof type;
	size_t		i;

	if (fcntl(fd, F_GETFD) == -1) {
		log_err("%s: fd %d: %s", a->text, fd, strerror(errno));
		return (-1);
	}
	if (!sock_is_socket(fd)) {
		log_err("%s: fd %d is not a socket", a->text, fd);
		return (-1);
	}
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1) {
		log_err("%s: fd %d: getsockopt SO_TYPE: %s", a->text, fd,
		    strerror(errno));
		return (-1);
	}
	if (sock_cloexec(fd) == -1) {
		log_err("%s: fd %d: %s", a->text, fd, strerror(errno));
		return (-1);
	}
	for (i = 0; i < nitems(types); i++) {
		if (types[i].type != type)
			continue;
		if (types[i].bind != NULL)
			return (types[i].bind(a, fd, b));
		log_err("%s: fd %d is a %s socket: activation of %s sockets "
		    "is not supported yet", a->text, fd, types[i].name,
		    types[i].name);
		return (-1);
	}
	log_err("%s: fd %d is a socket of type %d, not a listening stream "
	    "socket", a->text, fd, type);
	return (-1);
}

static int
activate_check(struct addr *a, char **errp)
{
	char	*end;
	long	 n;

	if (a->kind->variant == ACTIVATE_SYSTEMD)
		return (0);
	errno = 0;
	n = strtol(a->params[0], &end, 10);
	if (errno != 0 || *end != '\0' || n < 0 || n > 65535 ||
	    !isdigit((unsigned char)a->params[0][0])) {
		*errp = xasprintf("'%.32s' is not a file descriptor number",
		    a->params[0]);
		return (-1);
	}
	return (0);
}

static int
activate_bind(struct addr *a, struct bound *b)
{
	char	*err = NULL;
	int	 fd;

	if (a->kind->variant != ACTIVATE_SYSTEMD)
		return (activate_bind_fd(a, atoi(a->params[0]), b));
	if ((fd = activate_fd(a->nparams > 0 ? a->params[0] : NULL,
	    &err)) == -1) {
		log_err("%s: %s", a->text, err);
		x_free(err);
		return (-1);
	}
	return (activate_bind_fd(a, fd, b));
}

const struct addr_ops addr_activate_ops = {
	.check = activate_check,
	.bind = activate_bind,
};
