/*
 * PIPE: an unnamed pipe, so that what is written to it is read back (an
 * echo, as socat's PIPE); and PIPE:path, a named pipe (FIFO), made if
 * missing and opened for reading and writing both, so that it never reads
 * EOF while writers come and go, and its writes never meet EPIPE while no
 * reader has it open.  A FIFO that ferry made is removed when the address
 * is closed (unlink-close=0 keeps it); one that existed is left alone.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "endpoint.h"
#include "sock.h"
#include "xmalloc.h"

static void
pipe_unnamed(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);
	int		 need = addr_open_need(op), fd[2];

	if (sock_pipe(fd) == -1) {
		addr_open_errno(op, errno, "pipe");
		return;
	}
	/* Both ends are ours: a blocking write would wait for ourselves. */
	if (sock_nonblock(fd[0], 1) == -1 || sock_nonblock(fd[1], 1) == -1) {
		addr_open_errno(op, errno, "pipe");
		close(fd[0]);
		close(fd[1]);
		return;
	}
	if (!(need & ADDR_RD)) {
		close(fd[0]);
		fd[0] = -1;
	}
	if (!(need & ADDR_WR)) {
		close(fd[1]);
		fd[1] = -1;
	}
	addr_open_done(op, endpoint_new(a->text, fd[0], fd[1]));
}

static void
pipe_named(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);
	const char	*path = a->params[0];
	struct endpoint	*ep;
	struct stat	 sb;
	mode_t		 mode;
	int		 need = addr_open_need(op), fd, made = 0;

	mode = a->o.mode != -1 ? (mode_t)a->o.mode : 0666;
	if (mkfifo(path, mode) == 0)
		made = 1;
	else if (errno != EEXIST) {
		addr_open_errno(op, errno, "mkfifo");
		return;
	}
	/* O_RDWR on a FIFO never blocks and holds both of its ends. */
	if ((fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) ==
	    -1) {
		addr_open_errno(op, errno, "open");
		goto fail;
	}
	if (fstat(fd, &sb) == -1) {
		addr_open_errno(op, errno, "fstat");
		goto fail;
	}
	if (!S_ISFIFO(sb.st_mode)) {
		addr_open_fail(op, "not a named pipe (OPEN and GOPEN open "
		    "other files)");
		goto fail;
	}
	if (made && a->o.mode != -1 && fchmod(fd, mode) == -1) {
		addr_open_errno(op, errno, "chmod");
		goto fail;
	}
	if (made && (a->o.user_set || a->o.group_set) && fchown(fd,
	    a->o.user_set ? a->o.user : (uid_t)-1,
	    a->o.group_set ? a->o.group : (gid_t)-1) == -1) {
		addr_open_errno(op, errno, "chown");
		goto fail;
	}
	ep = endpoint_new(a->text, (need & ADDR_RD) ? fd : -1,
	    (need & ADDR_WR) ? fd : -1);
	if (a->o.unlink_close == 1 || (a->o.unlink_close == -1 && made))
		endpoint_set_unlink(ep, path);
	addr_open_done(op, ep);
	return;

fail:
	if (fd != -1)
		close(fd);
	if (made)
		unlink(path);
}

static void
pipe_open(struct addr_open *op)
{
	if (addr_open_addr(op)->nparams == 0)
		pipe_unnamed(op);
	else
		pipe_named(op);
}

static int
pipe_check(struct addr *a, char **errp)
{
	if (a->nparams == 0 && (a->o.mode != -1 || a->o.user_set ||
	    a->o.group_set || a->o.unlink_close != -1)) {
		*errp = xstrdup("mode, user, group and unlink-close need a "
		    "path (PIPE:path)");
		return (-1);
	}
	return (0);
}

const struct addr_ops addr_pipe_ops = {
	.check = pipe_check,
	.open = pipe_open,
};
