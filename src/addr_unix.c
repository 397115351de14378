/*
 * UNIX-LISTEN, UNIX-CONNECT and UNIX-CLIENT: stream sockets on a path (and
 * UNIX-CLIENT on a datagram server talks datagrams, as UNIX-SENDTO); and
 * ABSTRACT-LISTEN, -CONNECT and -CLIENT: the same in Linux's abstract
 * namespace, where a name is no file, so there is nothing stale to probe,
 * nothing to chmod and nothing to remove.
 *
 * A listener never steals a live socket: an existing socket file is probed
 * with connect(2) and replaced only if nobody answers.  With mode=, user= or
 * group= the socket is bound under a temporary name in the same directory,
 * given its final permissions, then renamed into place, so no client ever
 * sees it with the wrong ones.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "connector.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

/* An ABSTRACT- kind?  (GOPEN comes here too, with a variant of its own.) */
static int
unix_abstract(const struct addr *a)
{
	return (a->kind->ops == &addr_abstract_listen_ops ||
	    a->kind->ops == &addr_abstract_connect_ops ||
	    (a->kind->flags & KIND_ABSTRACT));
}

/* The socket address of a's path or abstract name. */
static int
unix_addr(const struct addr *a, struct sockaddr_un *sun, socklen_t *lenp,
    char **errp)
{
	if (unix_abstract(a))
		return (sock_unix_abstract(a->params[0], sun, lenp, errp));
	return (sock_unix_addr(a->params[0], sun, lenp, errp));
}

static int
unix_check(struct addr *a, char **errp)
{
	struct sockaddr_un	sun;
	socklen_t		len;

	return (unix_addr(a, &sun, &len, errp));
}

/* ABSTRACT-LISTEN: bind the name; the kernel refuses one in use. */
static int
unix_bind_abstract(struct addr *a, struct bound *b)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	char			*err = NULL;
	int			 fd;

	if (unix_addr(a, &sun, &len, &err) == -1) {
		log_err("%s: %s", a->text, err);
		x_free(err);
		return (-1);
	}
	if ((fd = sock_socket(AF_UNIX, a->o.socktype != 0 ? a->o.socktype :
	    SOCK_STREAM, 1)) == -1) {
		log_err("%s: socket: %s", a->text, strerror(errno));
		return (-1);
	}
	if (bind(fd, (struct sockaddr *)&sun, len) == -1) {
		if (errno == EADDRINUSE)
			log_err("%s: @%s is in use by another socket", a->text,
			    a->params[0]);
		else
			log_err("%s: bind @%s: %s", a->text, a->params[0],
			    strerror(errno));
		close(fd);
		return (-1);
	}
	b->fd = fd;
	return (0);
}

/* Is there a live server on path?  1 yes, 0 stale, -1 error (errno). */
static int
unix_probe(const char *path)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	char			*err = NULL;
	int			fd, rc, saved;

	if (sock_unix_addr(path, &sun, &len, &err) == -1) {
		x_free(err);
		errno = ENAMETOOLONG;
		return (-1);
	}
	if ((fd = sock_socket(AF_UNIX, SOCK_STREAM, 1)) == -1)
		return (-1);
	rc = connect(fd, (struct sockaddr *)&sun, len);
	saved = errno;
	close(fd);
	if (rc == 0)
		return (1);
	switch (saved) {
	case EAGAIN:		/* backlog full: alive and busy */
	case EINPROGRESS:
	case EPROTOTYPE:	/* a datagram or seqpacket server */
		return (1);
	case ECONNREFUSED:
		return (0);
	}
	errno = saved;
	return (-1);
}

static int
unix_bind(struct addr *a, struct bound *b)
{
	const char		*path = a->params[0];
	struct sockaddr_un	 sun;
	struct stat		 sb;
	socklen_t		 len;
	char			*err = NULL, *tmp = NULL, *slash;
	const char		*at;
	int			 fd = -1, live, perms;

	if (unix_abstract(a))
		return (unix_bind_abstract(a, b));
	perms = a->o.mode != -1 || a->o.user_set || a->o.group_set;
	if (lstat(path, &sb) == 0) {
		if (a->o.unlink_early) {
			if (unlink(path) == -1) {
				log_err("%s: unlink %s: %s", a->text, path,
				    strerror(errno));
				return (-1);
			}
		} else if (!S_ISSOCK(sb.st_mode)) {
			log_err("%s: %s exists and is not a socket (remove it, "
			    "or add unlink-early)", a->text, path);
			return (-1);
		} else if ((live = unix_probe(path)) == 1) {
			log_err("%s: %s is in use by a live server", a->text,
			    path);
			return (-1);
		} else if (live == -1) {
			log_err("%s: cannot probe %s: %s", a->text, path,
			    strerror(errno));
			return (-1);
		} else {
			if (unlink(path) == -1) {
				log_err("%s: cannot remove stale socket %s: %s",
				    a->text, path, strerror(errno));
				return (-1);
			}
			log_info("%s: replaced stale socket %s", a->text, path);
		}
	}

	at = path;
	if (perms) {
		/* Same directory, so rename(2) is atomic. */
		if ((slash = strrchr(path, '/')) != NULL)
			tmp = xasprintf("%.*s/.%s.%ld.tmp",
			    (int)(slash - path), path, slash + 1,
			    (long)getpid());
		else
			tmp = xasprintf(".%s.%ld.tmp", path, (long)getpid());
		(void)unlink(tmp);
		at = tmp;
	}
	if (sock_unix_addr(at, &sun, &len, &err) == -1) {
		log_err("%s: %s", a->text, err);
		goto fail;
	}
	if ((fd = sock_socket(AF_UNIX, a->o.socktype != 0 ? a->o.socktype :
	    SOCK_STREAM, 1)) == -1) {
		log_err("%s: socket: %s", a->text, strerror(errno));
		goto fail;
	}
	if (bind(fd, (struct sockaddr *)&sun, len) == -1) {
		if (errno == EADDRINUSE)
			log_err("%s: %s is in use by a live server", a->text,
			    path);
		else
			log_err("%s: bind %s: %s", a->text, at,
			    strerror(errno));
		goto fail;
	}
	if (perms) {
		if (a->o.mode != -1 && chmod(tmp, (mode_t)a->o.mode) == -1) {
			log_err("%s: chmod %s: %s", a->text, tmp,
			    strerror(errno));
			goto fail_unlink;
		}
		if ((a->o.user_set || a->o.group_set) && lchown(tmp,
		    a->o.user_set ? a->o.user : (uid_t)-1,
		    a->o.group_set ? a->o.group : (gid_t)-1) == -1) {
			log_err("%s: chown %s: %s", a->text, tmp,
			    strerror(errno));
			goto fail_unlink;
		}
		if (rename(tmp, path) == -1) {
			log_err("%s: rename to %s: %s", a->text, path,
			    strerror(errno));
			goto fail_unlink;
		}
	}
	if (lstat(path, &sb) == -1) {
		log_err("%s: %s: %s", a->text, path, strerror(errno));
		goto fail;
	}
	b->fd = fd;
	if (a->o.unlink_close != 0) {
		b->path = xstrdup(path);
		b->dev = sb.st_dev;
		b->ino = sb.st_ino;
	}
	x_free(tmp);
	return (0);

fail_unlink:
	(void)unlink(tmp);
fail:
	x_free(err);
	x_free(tmp);
	if (fd != -1)
		close(fd);
	return (-1);
}

const struct addr_ops addr_unix_listen_ops = {
	.check = unix_check,
	.bind = unix_bind,
};

const struct addr_ops addr_abstract_listen_ops = {
	.check = unix_check,
	.bind = unix_bind,
};

static int
unix_resolve(struct addr *a, struct connect_target *t, int *n, char **errp)
{
	if (unix_addr(a, (struct sockaddr_un *)&t[0].ss, &t[0].len,
	    errp) == -1)
		return (-1);
	t[0].type = a->o.socktype;
	*n = 1;
	return (0);
}

static const char *
unix_hint(struct addr *a, int err)
{
	static char	buf[SOCK_NTOP_MAX + 64];

	switch (err) {
	case ECONNREFUSED:
		snprintf(buf, sizeof buf, "(no server is listening on %s%s)",
		    unix_abstract(a) ? "@" : "", a->params[0]);
		return (buf);
	case ENOENT:
		snprintf(buf, sizeof buf, "(no socket at %s)", a->params[0]);
		return (buf);
	case EPROTOTYPE:
		return (a->o.socktype == 0 ? "(the server's socket is not a "
		    "stream socket: type=seqpacket?)" : "(the server's socket "
		    "is not a seqpacket socket)");
	}
	return (NULL);
}

static const struct connect_ops unix_connect = {
	.resolve = unix_resolve,
	.hint = unix_hint,
};

/* Is path a datagram server?  As socat's UNIX-CLIENT, then talk to it so. */
static int
unix_is_dgram(const char *path)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	char			*err = NULL;
	int			fd, rc;

	if (sock_unix_addr(path, &sun, &len, &err) == -1) {
		x_free(err);
		return (0);
	}
	if ((fd = sock_socket(AF_UNIX, SOCK_DGRAM, 1)) == -1)
		return (0);
	rc = connect(fd, (struct sockaddr *)&sun, len);
	close(fd);
	return (rc == 0);
}

static void
unix_open(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);

	if (a->kind->variant == 1 && a->o.socktype == 0 &&
	    unix_is_dgram(a->params[0]))
		addr_unix_sendto_ops.open(op);
	else
		connector_open(op, &unix_connect);
}

const struct addr_ops addr_unix_connect_ops = {
	.check = unix_check,
	.open = unix_open,
};

const struct addr_ops addr_abstract_connect_ops = {
	.check = unix_check,
	.open = unix_open,
};
