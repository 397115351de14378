/*
 * su=USER: the user ferry becomes once its listening sockets are bound,
 * and the rule that keeps a root ferry from running commands for whoever
 * connects over the network unless it was asked to.
 */
#ifndef FERRY_PRIV_H
#define FERRY_PRIV_H

struct addr;

/*
 * Look at both addresses (and the halves of "A!!B" pairs): resolve su=
 * (the same user wherever it is given) and apply the root rule: with an
 * effective uid of 0, a listener that accepts from the network (TCP, UDP,
 * OPENSSL, VSOCK) paired with EXEC or SYSTEM needs su=, su=root to say
 * root is meant.  Returns -1 after logging one line naming the address.
 */
int	priv_init(struct addr *, struct addr *);
/*
 * Become the su= user, for good: supplementary groups, gid, then uid, and
 * check that uid 0 cannot be taken back.  Nothing to do without su= or
 * after the first call.  Returns -1 after logging an error.
 */
int	priv_drop(void);
/*
 * The same in a child between fork and exec: system calls only, nothing
 * logged.  Returns -1 with errno set.
 */
int	priv_drop_child(void);

#endif
