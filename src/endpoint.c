#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <event2/bufferevent.h>

#include "child.h"
#include "endpoint.h"
#include "sock.h"
#include "tls.h"
#include "xmalloc.h"

struct endpoint {
	char		*name;
	int		 rfd;
	int		 wfd;
	int		 wr_socket;	/* wfd is a socket: shutdown, not close */
	int		 wr_shut;
	int		 nbstream;	/* one non-blocking stream socket */
	pid_t		 child;
	char		*unlink_path;
	int		 held;		/* another fd of ours, or -1 */
	int		 eio_eof;
	void		(*close_fn)(void *);
	void		*close_arg;
	struct endpoint	*sub[2];	/* the halves of a join */
	struct bufferevent *bev;	/* TLS */
};

struct endpoint *
endpoint_new(const char *name, int rfd, int wfd)
{
	struct endpoint	*ep;

	ep = xcalloc(1, sizeof *ep);
	ep->name = xstrdup(name);
	ep->rfd = rfd;
	ep->wfd = wfd;
	ep->wr_socket = wfd != -1 && sock_is_socket(wfd);
	ep->child = -1;
	ep->held = -1;
	return (ep);
}

struct endpoint *
endpoint_new_sock(const char *name, int fd)
{
	struct endpoint	*ep;

	ep = xcalloc(1, sizeof *ep);
	ep->name = xstrdup(name);
	ep->rfd = ep->wfd = fd;
	ep->wr_socket = 1;
	ep->nbstream = 1;
	ep->child = -1;
	ep->held = -1;
	return (ep);
}

int
endpoint_nbstream(const struct endpoint *ep)
{
	return (ep->nbstream && ep->bev == NULL && ep->sub[0] == NULL);
}

int
endpoint_wr_socket(const struct endpoint *ep)
{
	return (ep->wr_socket);
}

struct endpoint *
endpoint_new_bev(const char *name, struct bufferevent *bev)
{
	struct endpoint	*ep;
	int		 fd = bufferevent_getfd(bev);

	ep = endpoint_new(name, fd, fd);
	ep->bev = bev;
	return (ep);
}

struct bufferevent *
endpoint_bev(const struct endpoint *ep)
{
	return (ep->bev);
}

int
endpoint_take_fd(struct endpoint *ep)
{
	int	fd = ep->rfd;

	ep->rfd = ep->wfd = -1;
	return (fd);
}

struct endpoint *
endpoint_join(const char *name, struct endpoint *rd, struct endpoint *wr)
{
	struct endpoint	*ep;

	ep = endpoint_new(name, rd->rfd, wr->wfd);
	ep->sub[0] = rd;
	ep->sub[1] = wr;
	/* The first half is only read: a socket there (EXEC) gets EOF now. */
	if (rd->wfd != -1 && rd->wr_socket && rd->wfd != wr->wfd)
		(void)endpoint_shutdown_wr(rd);
	return (ep);
}

void
endpoint_set_child(struct endpoint *ep, pid_t pid)
{
	ep->child = pid;
}

void
endpoint_set_unlink(struct endpoint *ep, const char *path)
{
	x_free(ep->unlink_path);
	ep->unlink_path = xstrdup(path);
}

void
endpoint_set_close(struct endpoint *ep, void (*fn)(void *), void *arg)
{
	ep->close_fn = fn;
	ep->close_arg = arg;
}

void
endpoint_hold_fd(struct endpoint *ep, int fd)
{
	if (ep->held != -1)
		close(ep->held);
	ep->held = fd;
}

void
endpoint_set_eio_eof(struct endpoint *ep)
{
	ep->eio_eof = 1;
}

int
endpoint_eio_eof(const struct endpoint *ep)
{
	if (ep->sub[0] != NULL)
		return (endpoint_eio_eof(ep->sub[0]));
	return (ep->eio_eof);
}

int
endpoint_rfd(const struct endpoint *ep)
{
	return (ep->rfd);
}

int
endpoint_wfd(const struct endpoint *ep)
{
	return (ep->wfd);
}

const char *
endpoint_name(const struct endpoint *ep)
{
	return (ep->name);
}

/* Close fd, or for 0-2 point it at /dev/null so it is never reused. */
static void
close_fd(int fd)
{
	int	null;

	if (fd < 0)
		return;
	if (fd > 2) {
		close(fd);
		return;
	}
	if ((null = open("/dev/null", O_RDWR)) == -1) {
		close(fd);
		return;
	}
	if (null != fd) {
		dup2(null, fd);
		close(null);
	}
}

int
endpoint_shutdown_wr(struct endpoint *ep)
{
	if (ep->sub[1] != NULL)
		return (endpoint_shutdown_wr(ep->sub[1]));
	if (ep->wfd == -1 || ep->wr_shut)
		return (0);
	ep->wr_shut = 1;
	if (ep->bev != NULL)
		tls_close_notify(ep->bev);
	if (ep->wr_socket) {
		if (shutdown(ep->wfd, SHUT_WR) == -1 && errno != ENOTCONN)
			return (-1);
		return (0);
	}
	if (ep->wfd == ep->rfd)
		return (0);	/* a tty or fd both ways: keep it for reading */
	close_fd(ep->wfd);
	ep->wfd = -1;
	return (0);
}

void
endpoint_free(struct endpoint *ep)
{
	if (ep == NULL)
		return;
	if (ep->sub[0] != NULL || ep->sub[1] != NULL) {
		endpoint_free(ep->sub[0]);
		endpoint_free(ep->sub[1]);
	} else if (ep->bev != NULL)
		bufferevent_free(ep->bev);	/* closes the fd */
	else {
		close_fd(ep->rfd);
		if (ep->wfd != ep->rfd)
			close_fd(ep->wfd);
	}
	if (ep->held != -1)
		close(ep->held);
	if (ep->close_fn != NULL)
		ep->close_fn(ep->close_arg);
	if (ep->child != -1)
		child_release(ep->child);
	if (ep->unlink_path != NULL)
		unlink(ep->unlink_path);
	x_free(ep->unlink_path);
	x_free(ep->name);
	x_free(ep);
}
