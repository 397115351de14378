/*
 * OPEN:path, CREATE:path and GOPEN:path.  GOPEN connects when the path is a
 * UNIX socket, as socat does.
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
#include "xmalloc.h"

#define FILE_OPEN	0
#define FILE_CREATE	1
#define FILE_GOPEN	2

static int
file_check(struct addr *a, char **errp)
{
	if (a->o.rdonly && a->o.wronly) {
		*errp = xstrdup("rdonly and wronly exclude each other");
		return (-1);
	}
	if (a->kind->variant == FILE_CREATE && a->o.rdonly) {
		*errp = xstrdup("CREATE opens for writing; rdonly makes no "
		    "sense");
		return (-1);
	}
	return (0);
}

static void
file_open(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);
	const char	*path = a->params[0];
	struct stat	 sb;
	int		 need = addr_open_need(op), flags, fd, rfd, wfd;
	mode_t		 mode;

	if (a->kind->variant == FILE_GOPEN && stat(path, &sb) == 0 &&
	    S_ISSOCK(sb.st_mode)) {
		addr_unix_connect_ops.open(op);
		return;
	}
	/* What the user said comes first, then what the relay needs. */
	if (a->o.rdonly)
		flags = O_RDONLY;
	else if (a->kind->variant == FILE_CREATE || a->o.wronly ||
	    !(need & ADDR_RD))
		flags = O_WRONLY;
	else if (!(need & ADDR_WR))
		flags = O_RDONLY;
	else
		flags = O_RDWR;
	if (a->kind->variant == FILE_CREATE)
		flags |= O_CREAT | O_TRUNC;
	if (a->o.append)
		flags |= O_APPEND;
	if (a->o.trunc)
		flags |= O_TRUNC;
	if (a->o.creat)
		flags |= O_CREAT;
	if (a->o.excl)
		flags |= O_EXCL;
	mode = a->o.mode != -1 ? (mode_t)a->o.mode : 0666;
	if ((fd = open(path, flags | O_CLOEXEC | O_NOCTTY, mode)) == -1) {
		addr_open_errno(op, errno, "open");
		return;
	}
	if (a->o.mode != -1 && (flags & O_CREAT) && fchmod(fd, mode) == -1)
		goto fail;
	if ((a->o.user_set || a->o.group_set) && fchown(fd,
	    a->o.user_set ? a->o.user : (uid_t)-1,
	    a->o.group_set ? a->o.group : (gid_t)-1) == -1)
		goto fail;
	rfd = (flags & O_ACCMODE) != O_WRONLY && (need & ADDR_RD) ? fd : -1;
	wfd = (flags & O_ACCMODE) != O_RDONLY && (need & ADDR_WR) ? fd : -1;
	if (rfd == -1 && wfd == -1) {
		close(fd);
		addr_open_fail(op, "opened %s, which the relay cannot use "
		    "in this direction", (flags & O_ACCMODE) == O_RDONLY ?
		    "read only" : "write only");
		return;
	}
	{
		struct endpoint	*ep = endpoint_new(a->text, rfd, wfd);

		if (a->o.unlink_close == 1)
			endpoint_set_unlink(ep, path);
		addr_open_done(op, ep);
	}
	return;

fail:
	addr_open_errno(op, errno, "%s", path);
	close(fd);
}

const struct addr_ops addr_file_ops = {
	.check = file_check,
	.open = file_open,
};
