/*
 * PTY: a new pseudo terminal, relayed through its master side; a program
 * (a VM's or a device's console client, minicom, screen) opens the slave,
 * whose name is logged at -d and may be given a stable name with link=.
 *
 * Without wait-slave, ferry keeps the slave open itself, so that programs
 * may open and close it as they please without the master ever reading
 * EOF, as with a serial line.  With wait-slave, ferry closes it and waits
 * until another process opens it (the master stops reporting a hangup);
 * once that process closes it, the master reads EIO, which the relay takes
 * for the end of the data coming out of the pty.
 *
 * The termios settings (raw, echo=) are made on the slave before anyone
 * else can open it, and stay with it.  The link is removed at the end
 * only if it still points at this pty: with fork, or another ferry, a
 * newer pty may have taken it over.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <event2/event.h>

#include "addr.h"
#include "endpoint.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

#define PTY_POLL_MS	50	/* wait-slave: how often to look */

struct pty_wait {
	struct addr_open	*op;
	int			 master;
	char			*slave;
	char			*link;		/* to remove if not handed over */
	struct event		*ev;
};

static int
pty_termios(int fd, const struct addr *a)
{
	struct termios	t;

	if (tcgetattr(fd, &t) == -1)
		return (-1);
	if (a->o.raw)
		cfmakeraw(&t);
	if (a->o.echo == 0)
		t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	else if (a->o.echo == 1)
		t.c_lflag |= ECHO;
	return (tcsetattr(fd, TCSANOW, &t));
}

/* A symlink at path to the slave; an older symlink there is replaced. */
static int
pty_link(const char *path, const char *slave)
{
	struct stat	sb;

	if (lstat(path, &sb) == 0) {
		if (!S_ISLNK(sb.st_mode)) {
			errno = EEXIST;
			return (-1);
		}
		if (unlink(path) == -1)
			return (-1);
	}
	return (symlink(slave, path));
}

/* The link is removed only while it still points at our slave. */
struct pty_link {
	char	*path;
	char	*slave;
};

static void
pty_unlink(const char *path, const char *slave)
{
	char	buf[PATH_MAX];
	ssize_t	n;

	if ((n = readlink(path, buf, sizeof buf - 1)) == -1)
		return;
	buf[n] = '\0';
	if (strcmp(buf, slave) == 0)
		unlink(path);
}

static void
pty_link_free(void *arg)
{
	struct pty_link	*l = arg;

	pty_unlink(l->path, l->slave);
	x_free(l->path);
	x_free(l->slave);
	x_free(l);
}

static void
pty_wait_free(void *arg)
{
	struct pty_wait	*w = arg;

	if (w->ev != NULL)
		event_free(w->ev);
	if (w->master != -1)
		close(w->master);
	if (w->link != NULL)
		pty_unlink(w->link, w->slave);
	x_free(w->link);
	x_free(w->slave);
	x_free(w);
}

/* sfd: the slave, kept open, or -1; name: its path. */
static struct endpoint *
pty_endpoint(struct addr_open *op, int master, int sfd, const char *name)
{
	struct addr	*a = addr_open_addr(op);
	struct endpoint	*ep;
	struct pty_link	*l;

	ep = endpoint_new(a->text, master, master);
	endpoint_set_eio_eof(ep);
	if (sfd != -1)
		endpoint_hold_fd(ep, sfd);
	if (a->o.link != NULL) {
		l = xmalloc(sizeof *l);
		l->path = xstrdup(a->o.link);
		l->slave = xstrdup(name);
		endpoint_set_close(ep, pty_link_free, l);
	}
	return (ep);
}

/* wait-slave: on Linux the master polls POLLHUP until the slave is open. */
static void
pty_wait_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pty_wait	*w = arg;
	struct timeval	 tv = { 0, PTY_POLL_MS * 1000 };
	struct pollfd	 pfd;
	int		 master;

	pfd.fd = w->master;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) == -1 || (pfd.revents & POLLHUP)) {
		event_add(w->ev, &tv);
		return;
	}
	log_info("%s: %s opened", addr_open_addr(w->op)->text, w->slave);
	master = w->master;
	w->master = -1;
	x_free(w->link);
	w->link = NULL;		/* the endpoint removes it now */
	addr_open_done(w->op, pty_endpoint(w->op, master, -1, w->slave));
}

static void
pty_open(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);
	struct pty_wait	*w;
	struct timeval	 tv = { 0, 0 };
	const char	*name;
	char		*slave = NULL;
	int		 master, sfd = -1, linked = 0;

	if ((master = posix_openpt(O_RDWR | O_NOCTTY)) == -1) {
		addr_open_errno(op, errno, "posix_openpt");
		return;
	}
	if (grantpt(master) == -1 || unlockpt(master) == -1 ||
	    (name = ptsname(master)) == NULL) {
		addr_open_errno(op, errno, "grantpt");
		goto fail;
	}
	slave = xstrdup(name);
	if (sock_cloexec(master) == -1 || sock_nonblock(master, 1) == -1) {
		addr_open_errno(op, errno, "fcntl");
		goto fail;
	}
	if ((sfd = open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		addr_open_errno(op, errno, "open %s", slave);
		goto fail;
	}
	if (pty_termios(sfd, a) == -1) {
		addr_open_errno(op, errno, "%s: termios", slave);
		goto fail;
	}
	if (a->o.link != NULL) {
		if (pty_link(a->o.link, slave) == -1) {
			addr_open_errno(op, errno, "link %s", a->o.link);
			goto fail;
		}
		linked = 1;
	}
	log_info("%s: slave %s%s%s", a->text, slave,
	    a->o.link != NULL ? ", link " : "",
	    a->o.link != NULL ? a->o.link : "");
	if (!a->o.wait_slave) {
		addr_open_done(op, pty_endpoint(op, master, sfd, slave));
		x_free(slave);
		return;
	}
	close(sfd);
	w = xcalloc(1, sizeof *w);
	w->op = op;
	w->master = master;
	w->slave = slave;
	w->link = linked ? xstrdup(a->o.link) : NULL;
	w->ev = evtimer_new(addr_open_base(op), pty_wait_cb, w);
	addr_open_set_priv(op, w, pty_wait_free);
	log_info("%s: waiting for a process to open %s", a->text, slave);
	event_add(w->ev, &tv);
	return;

fail:
	if (linked)
		pty_unlink(a->o.link, slave);
	if (sfd != -1)
		close(sfd);
	close(master);
	x_free(slave);
}

const struct addr_ops addr_pty_ops = {
	.open = pty_open,
};
