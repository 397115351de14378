/*
 * VSOCK-LISTEN:port and VSOCK-CONNECT:cid:port: stream sockets between a
 * virtual machine and its host (Linux AF_VSOCK).  CID 2 is the host, CID 1
 * this machine itself (with the vsock_loopback module).  Port 0 on a
 * listener lets the kernel pick one, as with TCP.
 *
 * A connect has the kernel's own timeout (2 s by default), so one that
 * cannot succeed always ends; connect-timeout= sets it.
 */
#include "config.h"

#ifdef HAVE_LINUX_VM_SOCKETS_H

#include <sys/types.h>
#include <sys/socket.h>
#include <linux/vm_sockets.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "connector.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

/* A 32-bit number from s.  Returns 0, or -1. */
static int
vsock_number(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long long	 n;
	char			*end;

	if (!isdigit((unsigned char)*s))
		return (-1);
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || n > max)
		return (-1);
	*out = (uint32_t)n;
	return (0);
}

static int
vsock_check(struct addr *a, char **errp)
{
	const char	*port = a->params[a->nparams - 1];
	uint32_t	 n;

	if (a->nparams == 2 && vsock_number(a->params[0], UINT32_MAX - 1,
	    &n) == -1) {
		*errp = xasprintf("bad cid '%.32s' (a number: 1 for this "
		    "machine, 2 for the host, a VM's own otherwise)",
		    a->params[0]);
		return (-1);
	}
	if (vsock_number(port, UINT32_MAX - 1, &n) == -1) {
		*errp = xasprintf("bad port '%.32s' (a number from 0 to %lu)",
		    port, (unsigned long)UINT32_MAX - 1);
		return (-1);
	}
	return (0);
}

static void
vsock_sockaddr(struct sockaddr_vm *svm, uint32_t cid, uint32_t port)
{
	memset(svm, 0, sizeof *svm);
	svm->svm_family = AF_VSOCK;
	svm->svm_cid = cid;
	svm->svm_port = port;
}

/* Words for the usual failures, or NULL. */
static const char *
vsock_hint(struct addr *a, int err)
{
	static char	buf[128];

	switch (err) {
	case EAFNOSUPPORT:
		return ("(no vsock in this kernel: the vsock modules are "
		    "not loaded)");
	case ECONNRESET:
	case ECONNREFUSED:
		if (a->nparams == 2) {
			snprintf(buf, sizeof buf, "(nothing listens on port "
			    "%s at CID %s)", a->params[1], a->params[0]);
			return (buf);
		}
		break;
	case ETIMEDOUT:
		if (a->nparams == 2 && strcmp(a->params[0], "1") == 0)
			return ("(no answer from CID 1: is the vsock_loopback "
			    "module loaded?)");
		if (a->nparams == 2) {
			snprintf(buf, sizeof buf, "(no answer from CID %s: is "
			    "that VM up?)", a->params[0]);
			return (buf);
		}
		break;
	case EADDRNOTAVAIL:
		return ("(no vsock transport: not a VM, nor a host of one?)");
	}
	return (NULL);
}

static int
vsock_bind(struct addr *a, struct bound *b)
{
	struct sockaddr_vm	 svm;
	const char		*hint;
	uint32_t		 port;
	int			 fd;

	(void)vsock_number(a->params[0], UINT32_MAX - 1, &port);
	vsock_sockaddr(&svm, VMADDR_CID_ANY, port == 0 ? VMADDR_PORT_ANY :
	    port);
	if ((fd = sock_socket(AF_VSOCK, SOCK_STREAM, 1)) == -1) {
		hint = vsock_hint(a, errno);
		log_err("%s: socket: %s%s%s", a->text, strerror(errno),
		    hint != NULL ? " " : "", hint != NULL ? hint : "");
		return (-1);
	}
	if (bind(fd, (struct sockaddr *)&svm, sizeof svm) == -1) {
		hint = vsock_hint(a, errno);
		log_err("%s: bind port %s: %s%s%s", a->text, a->params[0],
		    strerror(errno), hint != NULL ? " " : "",
		    hint != NULL ? hint : "");
		close(fd);
		return (-1);
	}
	b->fd = fd;
	return (0);
}

const struct addr_ops addr_vsock_listen_ops = {
	.check = vsock_check,
	.bind = vsock_bind,
};

static int
vsock_resolve(struct addr *a, struct connect_target *t, int *n, char **errp)
{
	uint32_t	cid, port;

	(void)vsock_number(a->params[0], UINT32_MAX - 1, &cid);
	(void)vsock_number(a->params[1], UINT32_MAX - 1, &port);
	memset(&t[0], 0, sizeof t[0]);
	vsock_sockaddr((struct sockaddr_vm *)&t[0].ss, cid, port);
	t[0].len = sizeof(struct sockaddr_vm);
	*n = 1;
	return (0);
}

/* connect-timeout= is the kernel's own connect timeout too. */
static int
vsock_prepare(struct addr *a, int fd, int family, char **errp)
{
	struct timeval	tv;

	if (a->o.connect_timeout <= 0)
		return (0);
	tv.tv_sec = (time_t)a->o.connect_timeout;
	tv.tv_usec = (suseconds_t)((a->o.connect_timeout - (double)tv.tv_sec) *
	    1e6);
	if (setsockopt(fd, AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, &tv,
	    sizeof tv) == -1)
		log_debug("%s: SO_VM_SOCKETS_CONNECT_TIMEOUT: %s", a->text,
		    strerror(errno));
	return (0);
}

static const struct connect_ops vsock_connect = {
	.resolve = vsock_resolve,
	.prepare = vsock_prepare,
	.hint = vsock_hint,
};

static void
vsock_open(struct addr_open *op)
{
	connector_open(op, &vsock_connect);
}

const struct addr_ops addr_vsock_connect_ops = {
	.check = vsock_check,
	.open = vsock_open,
};

#endif /* HAVE_LINUX_VM_SOCKETS_H */
