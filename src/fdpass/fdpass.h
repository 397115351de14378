/*
 * The fd-passing mode (PROTOCOL.md): two ferry peers joined by one hop
 * carry a UNIX-socket conversation, including the fds its processes pass
 * with SCM_RIGHTS.  Entered when either address has the fdpass option.
 */
#ifndef FERRY_FDPASS_H
#define FERRY_FDPASS_H

struct addr;
struct bridge_conf;
struct event_base;

/*
 * Run the fd-passing relay between left and right until it is done, as
 * bridge_run does.  Which address is the hop and which the local UNIX side,
 * and whether this is the near or the far peer, follow from the addresses
 * (see ferry(1)).  Returns the exit status: 0, 1 on an error, 128+n after
 * signal n.
 */
int	fdpass_run(struct event_base *, struct addr *left, struct addr *right,
	    const struct bridge_conf *);

#endif
