/*
 * Child processes (EXEC, SYSTEM): started with a socketpair as their stdin
 * and stdout, reaped from the event loop, never left behind as zombies.
 */
#ifndef FERRY_CHILD_H
#define FERRY_CHILD_H

#include <sys/types.h>

struct event_base;

/* Reap children from base's loop (SIGCHLD). Call once. */
void	child_init(struct event_base *);
/* Raise the fd limit for ourselves; commands we start get the old one. */
void	child_raise_nofile(void);
/*
 * Start argv[0] (searched in PATH) with fd as its stdin and stdout; stderr is
 * ferry's.  Every other fd is closed in the child.  Returns the pid, or -1
 * with *errp set to an allocated message (exec failures are reported here,
 * not by a child that exits 127) and errno to the cause.  fd stays the
 * caller's.
 */
pid_t	child_spawn(char *const argv[], int fd, char **errp);
/* The same, with efd (-1: ferry's) as its stderr.  efd stays the caller's. */
pid_t	child_spawn_err(char *const argv[], int fd, int efd, char **errp);
/*
 * Call cb(pid, status, arg) from the loop when pid is reaped (status as
 * from waitpid, -1 if it was killed at shutdown).  NULL cb: no call.
 */
/* Wait for pid to end, blocking; its status, or -1 (errno). */
int	child_wait(pid_t);
void	child_watch(pid_t, void (*cb)(pid_t, int, void *), void *arg);
/*
 * The child's endpoint is gone: the child should end by itself on EOF; if
 * it is still running after a grace period it is sent SIGTERM.
 */
void	child_release(pid_t);
/* SIGTERM every child still running and wait (bounded) for them. */
void	child_shutdown(void);
/* The loop children are reaped in; NULL once child_shutdown has begun. */
struct event_base *child_event_base(void);
/* Children started and not yet reaped. */
int	child_count(void);

#endif
