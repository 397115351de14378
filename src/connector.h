/*
 * Active stream connections for every socket family: each target in turn,
 * non-blocking, with connect-timeout, retry=N, interval=S and forever.
 */
#ifndef FERRY_CONNECTOR_H
#define FERRY_CONNECTOR_H

#include <sys/types.h>
#include <sys/socket.h>

struct addr;
struct addr_open;

struct connect_target {
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			type;	/* 0: SOCK_STREAM */
};

struct connect_ops {
	/*
	 * Fill up to *n targets (n holds the room) for one round of
	 * attempts.  Returns 0, or -1 with *errp set (e.g. a failed lookup)
	 * and errno the system's cause, if any (EMFILE is said once).
	 */
	int		(*resolve)(struct addr *, struct connect_target *,
			    int *n, char **errp);
	/* Socket options before connect(2).  -1 with *errp on failure. */
	int		(*prepare)(struct addr *, int fd, int family,
			    char **errp);
	/* Words to add to an error message for err, or NULL. */
	const char	*(*hint)(struct addr *, int err);
};

#define CONNECT_MAXTARGETS	16

/*
 * Connect for op (see addr_open); finishes it with an endpoint for the
 * connected socket, or with an error naming the last target tried.
 */
void	connector_open(struct addr_open *, const struct connect_ops *);

#endif
