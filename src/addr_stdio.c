/*
 * STDIO, STDIN, STDOUT, STDERR and FD:n: fds this process already has.
 * When such an address serves many connections (the other side forks),
 * each connection gets its own dup of the fd.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "endpoint.h"
#include "sock.h"
#include "xmalloc.h"

static int
stdio_dup(int fd, int shared)
{
	if (!shared)
		return (fd);
	return (fcntl(fd, F_DUPFD_CLOEXEC, 3));
}

static void
open_fds(struct addr_open *op, int rfd, int wfd)
{
	struct addr	*a = addr_open_addr(op);
	int		 shared = (addr_open_need(op) & ADDR_MANY) != 0;
	int		 r = -1, w = -1;

	if (rfd != -1 && fcntl(rfd, F_GETFD) == -1) {
		addr_open_errno(op, errno, "fd %d", rfd);
		return;
	}
	if (wfd != -1 && wfd != rfd && fcntl(wfd, F_GETFD) == -1) {
		addr_open_errno(op, errno, "fd %d", wfd);
		return;
	}
	if (rfd != -1 && (r = stdio_dup(rfd, shared)) == -1)
		goto fail;
	if (wfd == rfd)
		w = r;
	else if (wfd != -1 && (w = stdio_dup(wfd, shared)) == -1)
		goto fail;
	addr_open_done(op, endpoint_new(a->text, r, w));
	return;

fail:
	addr_open_errno(op, errno, "dup");
	if (r != -1 && shared)
		close(r);
}

static void
stdio_open(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);
	int		 v = a->kind->variant, need = addr_open_need(op);
	int		 rfd = -1, wfd = -1;

	if ((v & ADDR_RD) && (need & ADDR_RD))
		rfd = 0;
	if ((v & ADDR_WR) && (need & ADDR_WR))
		wfd = 1;
	if (v == 4 && (need & ADDR_WR))
		wfd = 2;
	open_fds(op, rfd, wfd);
}

const struct addr_ops addr_stdio_ops = {
	.open = stdio_open,
};

static int
fd_check(struct addr *a, char **errp)
{
	char	*end;
	long	 n;

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

static void
fd_open(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);
	int		 fd = atoi(a->params[0]), need = addr_open_need(op);
	int		 acc;

	if ((acc = fcntl(fd, F_GETFL)) == -1) {
		addr_open_errno(op, errno, "fd %d", fd);
		return;
	}
	acc &= O_ACCMODE;
	open_fds(op, (need & ADDR_RD) && acc != O_WRONLY ? fd : -1,
	    (need & ADDR_WR) && acc != O_RDONLY ? fd : -1);
}

const struct addr_ops addr_fd_ops = {
	.check = fd_check,
	.open = fd_open,
};
