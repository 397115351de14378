/*
 * Dropping privileges (su=).  The user is looked up once, at start-up,
 * with its group list, so that a child between fork and exec makes system
 * calls only.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"
#include "priv.h"
#include "xmalloc.h"

#define PRIV_MAXGROUPS	256

static struct {
	int	 set;		/* su= was given */
	int	 dropped;
	char	*name;
	uid_t	 uid;
	gid_t	 gid;
	gid_t	*groups;
	int	 ngroups;
	char	*where;		/* the address that named it */
} priv;

/* EXEC and SYSTEM: a command on the far side of the relay. */
static int
runs_command(const struct addr *a)
{
	return (a->kind->ops == &addr_exec_ops ||
	    (a->wr != NULL && a->wr->kind->ops == &addr_exec_ops));
}

/* A listener anyone on the network may connect or send to: not one bound
 * to loopback, nor a UNIX socket (mode=, allow-uid= guard those). */
static int
network_listener(const struct addr *a)
{
	if (!addr_listens(a))
		return (0);
	if (a->kind->groups & OG_IP)
		return (a->o.bind == NULL || !ip_loopback(a->o.bind));
#ifdef HAVE_LINUX_VM_SOCKETS_H
	if (a->kind->ops == &addr_vsock_listen_ops)
		return (1);
#endif
	return (0);
}

static int
lookup(const struct addr *a, const char *user)
{
	struct passwd	*pw;
	int		 n;

	if ((pw = getpwnam(user)) == NULL) {
		log_err("%s: su=%.32s: no such user", a->text, user);
		return (-1);
	}
	priv.name = xstrdup(pw->pw_name);
	priv.uid = pw->pw_uid;
	priv.gid = pw->pw_gid;
	priv.groups = xcalloc(PRIV_MAXGROUPS, sizeof *priv.groups);
	n = PRIV_MAXGROUPS;
#ifdef __APPLE__	/* int, not gid_t, there */
	if (getgrouplist(pw->pw_name, (int)pw->pw_gid, (int *)priv.groups,
	    &n) == -1) {
#else
	if (getgrouplist(pw->pw_name, pw->pw_gid, priv.groups, &n) == -1) {
#endif
		log_err("%s: su=%.32s: more than %d groups", a->text, user,
		    PRIV_MAXGROUPS);
		return (-1);
	}
	priv.ngroups = n;
	priv.where = xstrdup(a->text);
	priv.set = 1;
	return (0);
}

int
priv_init(struct addr *left, struct addr *right)
{
	struct addr	*all[4] = { left, left->wr, right, right->wr };
	struct addr	*a;
	struct passwd	*pw;
	int		 i;

	for (i = 0; i < 4; i++) {
		if ((a = all[i]) == NULL || a->o.su == NULL)
			continue;
		if (!priv.set) {
			if (lookup(a, a->o.su) == -1)
				return (-1);
		} else if ((pw = getpwnam(a->o.su)) == NULL ||
		    pw->pw_uid != priv.uid) {
			log_err("%s: su=%.32s, but %s has su=%s: ferry is one "
			    "process, run by one user", a->text, a->o.su,
			    priv.where, priv.name);
			return (-1);
		}
	}
	if (priv.set || geteuid() != 0)
		return (0);
	for (i = 0; i < 2; i++) {
		a = i == 0 ? left : right;
		if (network_listener(a) && runs_command(i == 0 ? right : left)) {
			log_err("%s: refusing to run a command as root for "
			    "peers on the network: add su=USER to run it as "
			    "USER (su=root: as root), or bind=127.0.0.1",
			    a->text);
			return (-1);
		}
	}
	return (0);
}

int
priv_drop_child(void)
{
	if (!priv.set || priv.dropped)
		return (0);
	if (setgroups((size_t)priv.ngroups, priv.groups) == -1 ||
	    setgid(priv.gid) == -1 || setuid(priv.uid) == -1)
		return (-1);
	if (priv.uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		errno = EPERM;
		return (-1);
	}
	priv.dropped = 1;
	return (0);
}

int
priv_drop(void)
{
	if (!priv.set || priv.dropped)
		return (0);
	if (setgroups((size_t)priv.ngroups, priv.groups) == -1) {
		log_err("%s: su=%s: setgroups: %s", priv.where, priv.name,
		    strerror(errno));
		return (-1);
	}
	if (setgid(priv.gid) == -1 || getgid() != priv.gid ||
	    getegid() != priv.gid) {
		log_err("%s: su=%s: setgid %ld: %s", priv.where, priv.name,
		    (long)priv.gid, strerror(errno));
		return (-1);
	}
	if (setuid(priv.uid) == -1 || getuid() != priv.uid ||
	    geteuid() != priv.uid) {
		log_err("%s: su=%s: setuid %ld: %s", priv.where, priv.name,
		    (long)priv.uid, strerror(errno));
		return (-1);
	}
	if (priv.uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		log_err("%s: su=%s: uid 0 could be taken back after setuid",
		    priv.where, priv.name);
		return (-1);
	}
	priv.dropped = 1;
	log_info("%s: now running as %s (uid %ld, gid %ld)", priv.where,
	    priv.name, (long)priv.uid, (long)priv.gid);
	return (0);
}
