/*
 * Who may connect to a listener: range= (addresses and prefixes, IPv4 and
 * IPv6) on IP listeners, allow-uid= and allow-gid= (the peer's credentials
 * from the kernel) on UNIX listeners.  Checked right after accept, before
 * TLS or anything else is spent on the peer.
 */
#ifndef FERRY_ACL_H
#define FERRY_ACL_H

#include <sys/types.h>
#include <sys/socket.h>

struct acl;

/*
 * Compile the option values (each NULL if not given): range is one or
 * more "ADDR[/PREFIX]" or "ADDR:MASK" (IPv6 in brackets or bare),
 * separated by spaces; allow_uid and allow_gid are names or numbers,
 * separated by spaces.  Returns NULL with *errp set on bad input.
 */
struct acl	*acl_new(const char *range, const char *allow_uid,
		    const char *allow_gid, char **errp);
void		 acl_free(struct acl *);
/*
 * 0 if the peer of fd (its address sa) may connect; -1 with *errp set to
 * why not (allocated).
 */
int		 acl_check(const struct acl *, int fd, const struct sockaddr *sa,
		    socklen_t salen, char **errp);

#endif
