#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acl.h"
#include "sock.h"
#include "xmalloc.h"

#define ACL_MAX		64	/* entries of one kind */

struct prefix {
	int		family;
	uint8_t		addr[16];
	int		bits;
};

struct acl {
	struct prefix	 range[ACL_MAX];
	int		 nrange;
	uid_t		 uid[ACL_MAX];
	int		 nuid;
	gid_t		 gid[ACL_MAX];
	int		 ngid;
};

/* The next space-separated word of *sp into buf; 0 at the end. */
static int
next_word(const char **sp, char *buf, size_t size)
{
	const char	*s = *sp;
	size_t		 len;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return (0);
	len = strcspn(s, " ");
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*sp = s + strcspn(s, " ");
	return (1);
}

static int
mask_bits(const uint8_t *m, int n)
{
	int	bits = 0, i, b;

	for (i = 0; i < n; i++) {
		for (b = 7; b >= 0; b--) {
			if (m[i] & (1 << b)) {
				if (bits != i * 8 + (7 - b))
					return (-1);	/* not contiguous */
				bits++;
			}
		}
	}
	return (bits);
}

static int
parse_prefix(const char *w, struct prefix *p)
{
	char		 host[64], *slash, *end;
	const char	*mask = NULL;
	struct in_addr	 m4;
	long		 bits = -1;
	size_t		 len;

	if (*w == '[') {
		len = strcspn(w + 1, "]");
		if (w[1 + len] != ']' || len >= sizeof host)
			return (-1);
		memcpy(host, w + 1, len);
		host[len] = '\0';
		w += len + 2;
		if (*w == '/')
			slash = (char *)w;
		else if (*w == '\0')
			slash = NULL;
		else
			return (-1);
	} else {
		if (strlen(w) >= sizeof host)
			return (-1);
		strcpy(host, w);
		slash = strchr(host, '/');
		if (slash != NULL)
			*slash = '\0';
		else if (strchr(host, '.') != NULL && strchr(host, ':') != NULL &&
		    inet_pton(AF_INET6, host, p->addr) != 1) {
			/* socat's ADDR:MASK, IPv4 only */
			mask = strchr(host, ':') + 1;
			host[mask - host - 1] = '\0';
		}
		if (slash != NULL)
			slash = (char *)w + (slash - host);
	}
	if (inet_pton(AF_INET, host, p->addr) == 1) {
		p->family = AF_INET;
		p->bits = 32;
	} else if (inet_pton(AF_INET6, host, p->addr) == 1) {
		p->family = AF_INET6;
		p->bits = 128;
	} else
		return (-1);
	if (slash != NULL) {
		errno = 0;
		if (!isdigit((unsigned char)slash[1]))
			return (-1);
		bits = strtol(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || bits > p->bits)
			return (-1);
		p->bits = (int)bits;
	} else if (mask != NULL) {
		if (p->family != AF_INET || inet_pton(AF_INET, mask, &m4) != 1 ||
		    (p->bits = mask_bits((uint8_t *)&m4, 4)) < 0)
			return (-1);
	}
	return (0);
}

static int
parse_id(const char *w, int group, long *out)
{
	struct passwd	*pw;
	struct group	*gr;
	char		*end;

	if (isdigit((unsigned char)*w)) {
		errno = 0;
		*out = strtol(w, &end, 10);
		return (errno != 0 || *end != '\0' || *out > INT_MAX ? -1 : 0);
	}
	if (group && (gr = getgrnam(w)) != NULL) {
		*out = (long)gr->gr_gid;
		return (0);
	}
	if (!group && (pw = getpwnam(w)) != NULL) {
		*out = (long)pw->pw_uid;
		return (0);
	}
	return (-1);
}

struct acl *
acl_new(const char *range, const char *allow_uid, const char *allow_gid,
    char **errp)
{
	struct acl	*acl;
	const char	*s;
	char		 w[128];
	long		 id;

	acl = xcalloc(1, sizeof *acl);
	for (s = range; s != NULL && next_word(&s, w, sizeof w);) {
		if (acl->nrange == ACL_MAX) {
			*errp = xasprintf("range: at most %d prefixes",
			    ACL_MAX);
			goto fail;
		}
		if (parse_prefix(w, &acl->range[acl->nrange]) == -1) {
			*errp = xasprintf("range: '%.64s' is not an address, "
			    "ADDR/BITS, [IPv6]/BITS or IPv4:MASK", w);
			goto fail;
		}
		acl->nrange++;
	}
	for (s = allow_uid; s != NULL && next_word(&s, w, sizeof w);) {
		if (acl->nuid == ACL_MAX || parse_id(w, 0, &id) == -1) {
			*errp = xasprintf("allow-uid: no user '%.64s'", w);
			goto fail;
		}
		acl->uid[acl->nuid++] = (uid_t)id;
	}
	for (s = allow_gid; s != NULL && next_word(&s, w, sizeof w);) {
		if (acl->ngid == ACL_MAX || parse_id(w, 1, &id) == -1) {
			*errp = xasprintf("allow-gid: no group '%.64s'", w);
			goto fail;
		}
		acl->gid[acl->ngid++] = (gid_t)id;
	}
	if ((range != NULL && acl->nrange == 0) ||
	    (allow_uid != NULL && acl->nuid == 0) ||
	    (allow_gid != NULL && acl->ngid == 0)) {
		*errp = xasprintf("an empty list allows no one");
		goto fail;
	}
#if !HAVE_DECL_SO_PEERCRED && !defined(HAVE_GETPEEREID)
	if (acl->nuid > 0 || acl->ngid > 0) {
		*errp = xasprintf("allow-uid and allow-gid: this system cannot "
		    "tell a UNIX peer's credentials");
		goto fail;
	}
#endif
	return (acl);
fail:
	free(acl);
	return (NULL);
}

void
acl_free(struct acl *acl)
{
	free(acl);
}

static int
prefix_match(const struct prefix *p, int family, const uint8_t *a)
{
	int	full = p->bits / 8, rest = p->bits % 8;

	if (p->family != family)
		return (0);
	if (memcmp(p->addr, a, (size_t)full) != 0)
		return (0);
	return (rest == 0 ||
	    ((p->addr[full] ^ a[full]) & (0xff << (8 - rest)) & 0xff) == 0);
}

static int
range_ok(const struct acl *acl, const struct sockaddr *sa)
{
	static const uint8_t	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    0xff, 0xff };
	const uint8_t		*a;
	int			 family = sa->sa_family, i;

	if (family == AF_INET)
		a = (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr;
	else if (family == AF_INET6) {
		a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		/* A v4 client of a dual-stack listener: check it as v4. */
		if (memcmp(a, mapped, sizeof mapped) == 0) {
			a += 12;
			family = AF_INET;
		}
	} else
		return (0);
	for (i = 0; i < acl->nrange; i++)
		if (prefix_match(&acl->range[i], family, a))
			return (1);
	return (0);
}

static int
peer_ids(int fd, uid_t *uid, gid_t *gid)
{
#if HAVE_DECL_SO_PEERCRED
	struct ucred	cr;
	socklen_t	len = sizeof cr;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1)
		return (-1);
	*uid = cr.uid;
	*gid = cr.gid;
	return (0);
#elif defined(HAVE_GETPEEREID)
	return (getpeereid(fd, uid, gid));
#else
	errno = ENOTSUP;
	return (-1);
#endif
}

int
acl_check(const struct acl *acl, int fd, const struct sockaddr *sa,
    socklen_t salen, char **errp)
{
	uid_t	uid;
	gid_t	gid;
	int	i, ok;

	if (acl->nrange > 0 && !range_ok(acl, sa)) {
		*errp = xasprintf("not in range=");
		return (-1);
	}
	if (acl->nuid == 0 && acl->ngid == 0)
		return (0);
	if (peer_ids(fd, &uid, &gid) == -1) {
		*errp = xasprintf("peer credentials: %s", strerror(errno));
		return (-1);
	}
	for (i = 0, ok = 0; i < acl->nuid && !ok; i++)
		ok = acl->uid[i] == uid;
	for (i = 0; i < acl->ngid && !ok; i++)
		ok = acl->gid[i] == gid;
	if (!ok) {
		*errp = xasprintf("uid %ld gid %ld not allowed", (long)uid,
		    (long)gid);
		return (-1);
	}
	return (0);
}
