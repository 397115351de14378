#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "child.h"
#include "log.h"
#include "priv.h"
#include "sock.h"
#include "xmalloc.h"

/* The most fds we ask for (macOS refuses more than OPEN_MAX). */
#ifdef OPEN_MAX
#define NOFILE_MAX	((rlim_t)OPEN_MAX)
#else
#define NOFILE_MAX	((rlim_t)1 << 20)
#endif

#define CHILD_GRACE_SEC		2	/* after release, before SIGTERM */
#define CHILD_SHUTDOWN_MSEC	2000	/* at exit, before SIGKILL */

struct child {
	pid_t		 pid;
	int		 released;
	void		(*exited)(pid_t, int, void *);
	void		*arg;
	struct event	*timer;
	struct child	*next;
};

static struct event_base	*child_base;
static struct event		*child_sigev;
static struct child		*children;

static struct child *
child_find(pid_t pid, struct child ***prevp)
{
	struct child	**pp, *c;

	for (pp = &children; (c = *pp) != NULL; pp = &c->next) {
		if (c->pid == pid) {
			if (prevp != NULL)
				*prevp = pp;
			return (c);
		}
	}
	return (NULL);
}

static void
child_remove(pid_t pid, int status)
{
	struct child	**pp, *c;

	if ((c = child_find(pid, &pp)) == NULL)
		return;
	*pp = c->next;
	if (c->exited != NULL)
		c->exited(pid, status, c->arg);
	if (c->timer != NULL)
		event_free(c->timer);
	x_free(c);
}

static void
child_log_status(pid_t pid, int status)
{
	if (WIFEXITED(status))
		log_debug("child %ld exited with status %d", (long)pid,
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_debug("child %ld killed by signal %d", (long)pid,
		    WTERMSIG(status));
}

static void
child_reap(void)
{
	pid_t	pid;
	int	status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		child_log_status(pid, status);
		child_remove(pid, status);
	}
}

static void
child_sigchld(evutil_socket_t sig, short what, void *arg)
{
	child_reap();
}

void
child_init(struct event_base *base)
{
	child_base = base;
	child_sigev = evsignal_new(base, SIGCHLD, child_sigchld, NULL);
	event_add(child_sigev, NULL);
}

/*
 * Many connections need many fds: raise the soft limit to the hard one.
 * A command we start gets the limit we were given (some still select(2)).
 */
static struct rlimit	nofile_given;
static int		nofile_raised;

void
child_raise_nofile(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= rl.rlim_max)
		return;
	nofile_given = rl;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > NOFILE_MAX)
		rl.rlim_cur = NOFILE_MAX;
	else
		rl.rlim_cur = rl.rlim_max;
	if (rl.rlim_cur > nofile_given.rlim_cur && setrlimit(RLIMIT_NOFILE,
	    &rl) == 0)
		nofile_raised = 1;
}

static void
child_exec(char *const argv[], int fd, int efd, int errfd)
{
	struct sigaction	sa;
	int			sig, err, maxfd, i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	if (nofile_raised)
		(void)setrlimit(RLIMIT_NOFILE, &nofile_given);
	if (dup2(fd, 0) == -1 || dup2(fd, 1) == -1)
		goto fail;
	if (efd != -1 && dup2(efd, 2) == -1)
		goto fail;
	if (errfd <= 2 && (errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 3)) == -1)
		goto fail;
#ifdef HAVE_CLOSE_RANGE
	if (errfd > 3)
		close_range(3, (unsigned)errfd - 1, 0);
	close_range((unsigned)errfd + 1, ~0U, 0);
#else
	maxfd = (int)sysconf(_SC_OPEN_MAX);
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	for (i = 3; i < maxfd; i++)
		if (i != errfd)
			close(i);
#endif
	(void)maxfd;
	(void)i;
	if (priv_drop_child() == -1)	/* su=, if ferry has not yet */
		goto fail;
	execvp(argv[0], argv);
fail:
	err = errno;
	(void)!write(errfd, &err, sizeof err);
	_exit(127);
}

pid_t
child_spawn(char *const argv[], int fd, char **errp)
{
	return (child_spawn_err(argv, fd, -1, errp));
}

pid_t
child_spawn_err(char *const argv[], int fd, int efd, char **errp)
{
	struct child	*c;
	pid_t		 pid;
	int		 pfd[2], err;
	ssize_t		 n;

	/* A name to look for in PATH longer than a file name can be:
	 * glibc's execvp would read past the copy it makes (valgrind). */
	if (strchr(argv[0], '/') == NULL && strlen(argv[0]) > NAME_MAX) {
		*errp = xasprintf("%s: %s", argv[0], strerror(ENAMETOOLONG));
		errno = ENAMETOOLONG;
		return (-1);
	}
	if (sock_pipe(pfd) == -1) {
		err = errno;
		*errp = xasprintf("pipe: %s", strerror(err));
		errno = err;
		return (-1);
	}
	if ((pid = fork()) == -1) {
		err = errno;
		*errp = xasprintf("fork: %s", strerror(err));
		close(pfd[0]);
		close(pfd[1]);
		errno = err;
		return (-1);
	}
	if (pid == 0) {
		close(pfd[0]);
		child_exec(argv, fd, efd, pfd[1]);
	}
	close(pfd[1]);
	/* The pipe closes on a successful exec; otherwise it holds errno. */
	do {
		n = read(pfd[0], &err, sizeof err);
	} while (n == -1 && errno == EINTR);
	close(pfd[0]);
	if (n == sizeof err) {
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		*errp = xasprintf("%s: %s", argv[0], strerror(err));
		errno = err;
		return (-1);
	}
	c = xcalloc(1, sizeof *c);
	c->pid = pid;
	c->next = children;
	children = c;
	log_debug("started child %ld: %s", (long)pid, argv[0]);
	return (pid);
}

int
child_wait(pid_t pid)
{
	int	status;

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return (-1);
	}
	child_log_status(pid, status);
	child_remove(pid, status);
	return (status);
}

void
child_watch(pid_t pid, void (*cb)(pid_t, int, void *), void *arg)
{
	struct child	*c;

	if ((c = child_find(pid, NULL)) == NULL)
		return;
	c->exited = cb;
	c->arg = arg;
}

static void
child_grace_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child	*c = arg;

	log_debug("child %ld still running, sending SIGTERM", (long)c->pid);
	kill(c->pid, SIGTERM);
}

void
child_release(pid_t pid)
{
	struct child	*c;
	struct timeval	 tv = { CHILD_GRACE_SEC, 0 };

	child_reap();
	if ((c = child_find(pid, NULL)) == NULL || c->released)
		return;
	c->released = 1;
	c->timer = evtimer_new(child_base, child_grace_cb, c);
	evtimer_add(c->timer, &tv);
}

void
child_shutdown(void)
{
	struct child	*c;
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };
	int		 waited;

	child_base = NULL;	/* nothing new is started from here on */
	child_reap();
	for (c = children; c != NULL; c = c->next)
		kill(c->pid, SIGTERM);
	for (waited = 0; children != NULL; waited += 10) {
		if (waited >= CHILD_SHUTDOWN_MSEC) {
			for (c = children; c != NULL; c = c->next)
				kill(c->pid, SIGKILL);
			while (children != NULL) {
				while (waitpid(children->pid, NULL, 0) == -1 &&
				    errno == EINTR)
					;
				child_remove(children->pid, -1);
			}
			break;
		}
		nanosleep(&ts, NULL);
		child_reap();
	}
	if (child_sigev != NULL) {
		event_free(child_sigev);
		child_sigev = NULL;
	}
}

struct event_base *
child_event_base(void)
{
	return (child_base);
}

int
child_count(void)
{
	struct child	*c;
	int		 n = 0;

	for (c = children; c != NULL; c = c->next)
		n++;
	return (n);
}
