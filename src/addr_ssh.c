/*
 * SSH:[user@]host:[port:]/path and SSH-LISTEN:...: a UNIX socket on another
 * host, reached through the system's OpenSSH client (its config, agent and
 * known_hosts), with nothing but a stock sshd on the far side.
 *
 * Each address has one ssh master ("-M -S dir/ctl -N"), started when the
 * address is first needed and kept for the life of ferry: every connection
 * goes over it, so only the first pays for a login.  SSH forwards a private
 * socket (dir/s, in a 0700 temp dir) to the remote path with -L, and ferry
 * connects to dir/s for each connection.  SSH-LISTEN asks the server to
 * listen on the remote path with -R (StreamLocalBindUnlink replaces a stale
 * socket file) and ferry accepts on dir/s.
 *
 * ssh never prompts (BatchMode, unless ssh-option=BatchMode=no comes
 * first).  A master is ready when its LocalCommand prints a line on its
 * stdout, which happens after login and after its forwardings are set up;
 * if it exits first, the last meaningful line of its stderr is the error.
 * SSH then asks the master ("test -S PATH") whether the remote socket
 * exists, so a wrong path is a clear error rather than an early EOF.
 *
 * SSH starts its master, and then the probe, from the event loop:
 * connections that arrive meanwhile wait for them, and all fail with the
 * error if the master ends first or the probe fails (or it is not done
 * within LOGIN_SEC); relays already running go on meanwhile.
 *
 * SSH-LISTEN logs in when it binds, before there is anything to relay,
 * so a refused login is an error at start-up.  If its master ends later,
 * a line says so and a new one is started from the loop after 1 s, then
 * 2, 4... up to RETRY_MAX_S while logins keep failing; the local socket
 * it forwards to stays bound throughout.  Masters are stopped, and their
 * directories removed, at exit.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "addr.h"
#include "child.h"
#include "connector.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

#define LOGIN_SEC	60	/* the longest wait for a master to be up */
#define LINE_MAX_SSH	256
#define RETRY_S		1	/* SSH-LISTEN: the first wait for a new master */
#define RETRY_MAX_S	30	/* ... and the longest */

struct sshm {
	struct addr		*addr;
	int			 reverse;
	pid_t			 pid;		/* -1: not running */
	char			*dir;
	char			*ctl;
	char			*sock;
	int			 up;		/* logged in, forwarding */
	int			 errfd;		/* the master's stderr */
	struct event		*ev_err;
	/* SSH: starting without blocking the loop. */
	struct event_base	*base;
	int			 outfd;		/* LocalCommand says "up" */
	struct event		*ev_out;
	struct event		*ev_timer;
	char			 why[LINE_MAX_SSH];	/* we stopped it */
	pid_t			 probe;		/* "test -S", or -1 */
	/* SSH-LISTEN: a new master after the last one ended. */
	struct event		*ev_retry;
	int			 backoff;	/* seconds, 0: none yet */
	struct ssh_wait		*waiters;	/* opens waiting for it */
	char			 part[LINE_MAX_SSH];	/* a line so far */
	size_t			 plen;
	char			 last[LINE_MAX_SSH];	/* last meaningful */
	struct sshm		*next;
};

/* An SSH open waiting for its master to be up. */
struct ssh_wait {
	struct addr_open	*op;
	struct sshm		*m;
	struct ssh_wait		*next;
};

static struct sshm	*masters;
static int		 cleanup_set;

/* ---- the target --------------------------------------------------------- */

/*
 * Split a's parameters: "[user@]host" (an IPv6 host may be in brackets)
 * and "[port:]/path".  *dest and *port are allocated (*port NULL if not
 * given); *path points into a.  Returns 0, or -1 with *errp set.
 */
static int
ssh_target(const struct addr *a, char **dest, char **port, const char **path,
    char **errp)
{
	const char	*h = a->params[0], *p = a->params[1], *at, *colon;
	size_t		 ulen;

	*dest = *port = NULL;
	if (*p != '/') {
		colon = strchr(p, ':');
		if (colon == NULL || colon == p ||
		    strspn(p, "0123456789") != (size_t)(colon - p) ||
		    colon[1] != '/') {
			*errp = xstrdup("the remote path must be absolute "
			    "(expected SSH:[user@]host:[port:]/path)");
			return (-1);
		}
		*port = xstrndup(p, (size_t)(colon - p));
		p = colon + 1;
	}
	*path = p;
	at = strrchr(h, '@');
	ulen = at != NULL ? (size_t)(at - h) + 1 : 0;
	if (h[ulen] == '[' && h[strlen(h) - 1] == ']')
		*dest = xasprintf("%.*s%.*s", (int)ulen, h,
		    (int)(strlen(h) - ulen - 2), h + ulen + 1);
	else
		*dest = xstrdup(h);
	if ((*dest)[ulen] == '\0' || (*dest)[ulen] == '-' ||
	    strpbrk(*dest, " \t\n") != NULL) {
		*errp = xstrdup("bad host name");
		x_free(*dest);
		x_free(*port);
		*dest = *port = NULL;
		return (-1);
	}
	return (0);
}

static int
ssh_check(struct addr *a, char **errp)
{
	char		*dest, *port;
	const char	*path;
	struct sockaddr_un sun;

	if (ssh_target(a, &dest, &port, &path, errp) == -1)
		return (-1);
	x_free(dest);
	x_free(port);
	if (strlen(path) >= sizeof sun.sun_path) {
		*errp = xasprintf("remote path too long (%zu bytes at most)",
		    sizeof sun.sun_path - 1);
		return (-1);
	}
	return (0);
}

/* ---- argument vectors --------------------------------------------------- */

struct args {
	char	**v;
	size_t	  n;
};

static void
args_add(struct args *ar, const char *s)
{
	ar->v = xrealloc(ar->v, (ar->n + 2) * sizeof *ar->v);
	ar->v[ar->n++] = xstrdup(s);
	ar->v[ar->n] = NULL;
}

static void
args_free(struct args *ar)
{
	size_t	i;

	for (i = 0; i < ar->n; i++)
		x_free(ar->v[i]);
	x_free(ar->v);
}

/* What every ssh we run gets: the user's options first, so they win. */
static void
args_common(struct args *ar, struct sshm *m, const char *port)
{
	struct addr	*a = m->addr;
	char		*opts, *line, *next;

	args_add(ar, a->o.ssh != NULL ? a->o.ssh : "ssh");
	if (a->o.ssh_config != NULL) {
		args_add(ar, "-F");
		args_add(ar, a->o.ssh_config);
	}
	if (a->o.identity != NULL) {
		args_add(ar, "-i");
		args_add(ar, a->o.identity);
	}
	if (a->o.ssh_options != NULL) {
		opts = xstrdup(a->o.ssh_options);
		for (line = opts; line != NULL; line = next) {
			if ((next = strchr(line, '\n')) != NULL)
				*next++ = '\0';
			args_add(ar, "-o");
			args_add(ar, line);
		}
		x_free(opts);
	}
	args_add(ar, "-o");
	args_add(ar, "BatchMode=yes");
	args_add(ar, "-S");
	args_add(ar, m->ctl);
	if (port != NULL) {
		args_add(ar, "-p");
		args_add(ar, port);
	}
}

/* ---- reading ssh's stderr ----------------------------------------------- */

/* Lines that say nothing about what went wrong. */
static int
line_meaningful(const char *s)
{
	if (s[strspn(s, " \t\r@")] == '\0')
		return (0);
	if (strncmp(s, "Warning: Permanently added", 26) == 0)
		return (0);
	return (1);
}

/*
 * Take what is readable on fd into m's partial line; each whole line is
 * logged if log is set, else kept as m->last if it says something.
 * Returns 0 at end of file, 1 otherwise.
 */
static int
sshm_read_err(struct sshm *m, int fd, int log)
{
	char	buf[1024];
	ssize_t	n, i;

	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (1);
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n' && m->plen < sizeof m->part - 1) {
				if (buf[i] != '\r')
					m->part[m->plen++] = buf[i];
				continue;
			}
			if (buf[i] != '\n')
				continue;	/* too long: cut */
			m->part[m->plen] = '\0';
			m->plen = 0;
			if (!line_meaningful(m->part))
				continue;
			if (log)	/* said now: not the reason it ends */
				log_warn("%s: ssh: %s", m->addr->text,
				    m->part);
			else
				memcpy(m->last, m->part, sizeof m->last);
		}
	}
	if (m->plen > 0) {
		m->part[m->plen] = '\0';
		m->plen = 0;
		if (line_meaningful(m->part))
			memcpy(m->last, m->part, sizeof m->last);
	}
	return (0);
}

static void
sshm_err_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sshm	*m = arg;

	if (sshm_read_err(m, m->errfd, m->up) == 0) {
		event_free(m->ev_err);
		m->ev_err = NULL;
	}
}

/* ---- masters ------------------------------------------------------------ */

static void	sshm_read_log(struct sshm *, const char *);

/* The master is gone (or going): close and remove what it had. */
static void
sshm_clear(struct sshm *m)
{
	if (m->ev_err != NULL) {
		event_free(m->ev_err);
		m->ev_err = NULL;
	}
	if (m->errfd != -1) {
		close(m->errfd);
		m->errfd = -1;
	}
	if (m->ev_out != NULL) {
		event_free(m->ev_out);
		m->ev_out = NULL;
	}
	if (m->outfd != -1) {
		close(m->outfd);
		m->outfd = -1;
	}
	if (m->ev_timer != NULL) {
		event_free(m->ev_timer);
		m->ev_timer = NULL;
	}
	if (m->probe != -1) {
		child_watch(m->probe, NULL, NULL);	/* reaped by the loop */
		kill(m->probe, SIGTERM);
		m->probe = -1;
		sshm_read_log(m, "probe");	/* removes it */
	}
	m->up = 0;
	if (m->ctl != NULL)
		(void)unlink(m->ctl);
	if (m->sock != NULL && !m->reverse)
		(void)unlink(m->sock);
	m->plen = 0;	/* dir stays for the next master, until exit */
}

static void	ssh_waiters_fail(struct sshm *, const char *);
static int	sshm_begin(struct sshm *, struct event_base *, char **);

/*
 * SSH-LISTEN's master ended after it was up (wasup) or before: say so,
 * with why (its last words, or NULL), and try again after the backoff.
 */
static void
sshm_retry(struct sshm *m, int wasup, const char *why)
{
	struct timeval	tv;

	m->backoff = m->backoff == 0 ? RETRY_S : m->backoff * 2;
	if (m->backoff > RETRY_MAX_S)
		m->backoff = RETRY_MAX_S;
	if (wasup)
		log_warn("%s: the ssh connection ended%s%s; reconnecting "
		    "in %ds", m->addr->text, why != NULL ? ": " : "",
		    why != NULL ? why : "", m->backoff);
	else
		log_warn("%s: cannot reconnect: %s; trying again in %ds",
		    m->addr->text, why != NULL ? why : "ssh failed",
		    m->backoff);
	tv.tv_sec = m->backoff;
	tv.tv_usec = 0;
	evtimer_add(m->ev_retry, &tv);
}

static void
sshm_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sshm		*m = arg;
	struct event_base	*base = child_event_base();
	char			*err = NULL;

	if (base == NULL || m->pid != -1)
		return;
	if (sshm_begin(m, base, &err) == -1) {
		sshm_retry(m, 0, err);
		x_free(err);
	}
}

static void
sshm_exited(pid_t pid, int status, void *arg)
{
	struct sshm		*m = arg;
	struct event_base	*base = child_event_base();
	const char		*why;

	m->pid = -1;
	if (m->errfd != -1)
		(void)sshm_read_err(m, m->errfd, 0);
	if (m->reverse)
		sshm_read_log(m, "log");
	why = m->why[0] != '\0' ? m->why : m->last[0] != '\0' ? m->last :
	    NULL;
	if (!m->up && m->waiters != NULL)
		ssh_waiters_fail(m, why != NULL ? why : "ssh failed");
	if (base == NULL || status == -1)
		;	/* ferry is stopping it */
	else if (m->reverse && m->ev_retry != NULL)
		sshm_retry(m, m->up, why);
	else if (m->why[0] == '\0' && !(WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGTERM))
		log_info("%s: the ssh connection ended%s%s", m->addr->text,
		    why != NULL ? ": " : "", why != NULL ? why : "");
	sshm_clear(m);
}

static void
sshm_cleanup(void)
{
	struct sshm	*m;

	for (m = masters; m != NULL; m = m->next) {
		if (m->pid != -1) {
			child_watch(m->pid, NULL, NULL);
			kill(m->pid, SIGTERM);
			(void)child_wait(m->pid);
			m->pid = -1;
		}
		sshm_clear(m);
		/* After the loop is gone its events are left alone. */
		if (m->ev_retry != NULL && child_event_base() != NULL) {
			event_free(m->ev_retry);
			m->ev_retry = NULL;
		}
		if (m->reverse) {
			sshm_read_log(m, "log");
			(void)unlink(m->sock);
		}
		(void)rmdir(m->dir);
	}
}

static struct sshm *
sshm_get(struct addr *a, int reverse)
{
	struct sshm	*m;
	const char	*tmp;
	char		*tmpl;

	for (m = masters; m != NULL; m = m->next)
		if (m->addr == a)
			return (m);
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	tmpl = xasprintf("%s/ferry-ssh.XXXXXX", tmp);
	if (mkdtemp(tmpl) == NULL) {
		log_err("%s: mkdtemp %s: %s", a->text, tmpl, strerror(errno));
		x_free(tmpl);
		return (NULL);
	}
	m = xcalloc(1, sizeof *m);
	m->addr = a;
	m->reverse = reverse;
	m->pid = -1;
	m->probe = -1;
	m->errfd = -1;
	m->outfd = -1;
	m->dir = tmpl;
	m->ctl = xasprintf("%s/ctl", m->dir);
	m->sock = xasprintf("%s/s", m->dir);
	m->next = masters;
	masters = m;
	if (!cleanup_set) {
		atexit(sshm_cleanup);
		cleanup_set = 1;
	}
	return (m);
}

/*
 * Run argv with stdin and stdout on fd and stderr into m's line reader,
 * until its stdout says something (returns 1) or ends (0), for at most
 * LOGIN_SEC.  *errfdp gets the read end of its stderr.  -1 with *errp
 * if it could not be started or timed out.
 */
static int
sshm_wait_line(struct sshm *m, char *const argv[], pid_t *pidp, int *errfdp,
    char **errp)
{
	struct pollfd	 pfd[2];
	int		 out[2] = { -1, -1 }, err[2] = { -1, -1 }, rc = -1;
	int		 outopen = 1, erropen = 1;
	char		 buf[256];
	ssize_t		 n;
	time_t		 until = time(NULL) + LOGIN_SEC;

	*pidp = -1;
	*errfdp = -1;
	if (sock_pipe(out) == -1 || sock_pipe(err) == -1) {
		*errp = xasprintf("pipe: %s", strerror(errno));
		goto out;
	}
	if ((*pidp = child_spawn_err(argv, out[1], err[1], errp)) == -1)
		goto out;
	close(out[1]);
	close(err[1]);
	out[1] = err[1] = -1;
	(void)sock_nonblock(err[0], 1);
	while (outopen && time(NULL) < until) {
		pfd[0].fd = out[0];
		pfd[0].events = POLLIN;
		pfd[1].fd = erropen ? err[0] : -1;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, 1000) == -1 && errno != EINTR)
			break;
		if (erropen && (pfd[1].revents & (POLLIN | POLLHUP)))
			erropen = sshm_read_err(m, err[0], 0);
		if (pfd[0].revents & (POLLIN | POLLHUP)) {
			n = read(out[0], buf, sizeof buf);
			if (n > 0) {
				rc = 1;
				goto out;
			}
			if (n == 0 || (errno != EINTR && errno != EAGAIN))
				outopen = 0;
		}
	}
	if (outopen) {
		*errp = xasprintf("no answer from ssh in %d seconds",
		    LOGIN_SEC);
		kill(*pidp, SIGTERM);
		goto out;
	}
	/* It ended: the rest of its stderr, up to its end. */
	(void)sock_nonblock(err[0], 0);
	while (erropen)
		erropen = sshm_read_err(m, err[0], 0);
	rc = 0;
out:
	if (out[0] != -1)
		close(out[0]);
	if (out[1] != -1)
		close(out[1]);
	if (err[1] != -1)
		close(err[1]);
	if (rc == 1)
		*errfdp = err[0];
	else if (err[0] != -1)
		close(err[0]);
	return (rc);
}

/* Single quotes for the remote shell. */
static char *
shell_quote(const char *s)
{
	size_t	 len = 2, i, j;
	char	*q;

	for (i = 0; s[i] != '\0'; i++)
		len += s[i] == '\'' ? 4 : 1;
	q = xmalloc(len + 1);
	j = 0;
	q[j++] = '\'';
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\'') {
			memcpy(q + j, "'\\''", 4);
			j += 4;
		} else
			q[j++] = s[i];
	}
	q[j++] = '\'';
	q[j] = '\0';
	return (q);
}

static void	sshm_up(struct sshm *);
static void	sshm_stop(struct sshm *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* The probe ended: its status says whether the socket is there. */
static void
sshm_probed(pid_t pid, int status, void *arg)
{
	struct sshm	*m = arg;
	char		*dest = NULL, *port = NULL, *err = NULL;
	const char	*path;

	m->probe = -1;
	m->last[0] = '\0';
	sshm_read_log(m, "probe");
	if (m->pid == -1 || status == -1)
		return;		/* the master is gone: sshm_exited said why */
	if (status == 0) {
		sshm_up(m);
		return;
	}
	if (ssh_target(m->addr, &dest, &port, &path, &err) == -1)
		sshm_stop(m, "%s", err);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		sshm_stop(m, "no socket at %s on %s", path, dest);
	else
		sshm_stop(m, "checking %s: %s", path,
		    m->last[0] != '\0' ? m->last : "ssh failed");
	x_free(err);
	x_free(dest);
	x_free(port);
}

/*
 * Ask, through the master, whether there is a socket at the remote path;
 * sshm_probed has the answer.  Its messages go to dir/probe (-E).
 * Returns 0, or -1 with *errp set.
 */
static int
sshm_probe(struct sshm *m, char **errp)
{
	struct args	 ar = { NULL, 0 };
	char		*dest = NULL, *port = NULL, *q;
	const char	*path;
	int		 null = -1, rc = -1;

	if (ssh_target(m->addr, &dest, &port, &path, errp) == -1)
		goto out;
	args_common(&ar, m, port);
	q = xasprintf("%s/probe", m->dir);
	args_add(&ar, "-E");
	args_add(&ar, q);
	(void)unlink(q);
	x_free(q);
	args_add(&ar, "-o");
	args_add(&ar, "ControlMaster=no");
	args_add(&ar, "-T");
	args_add(&ar, "--");
	args_add(&ar, dest);
	q = shell_quote(path);
	args_add(&ar, "test");
	args_add(&ar, "-S");
	args_add(&ar, q);
	x_free(q);
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1) {
		*errp = xasprintf("/dev/null: %s", strerror(errno));
		goto out;
	}
	if ((m->probe = child_spawn_err(ar.v, null, null, errp)) == -1)
		goto out;
	child_watch(m->probe, sshm_probed, m);
	rc = 0;
out:
	if (null != -1)
		close(null);
	x_free(dest);
	x_free(port);
	args_free(&ar);
	return (rc);
}

/*
 * The master's command line into ar, with the target's host in *dest and
 * port in *port (allocated) and path in *path.  -1 with *errp set.
 */
static int
sshm_argv(struct sshm *m, struct args *ar, char **dest, char **port,
    const char **path, char **errp)
{
	char	*fwd;

	if (ssh_target(m->addr, dest, port, path, errp) == -1)
		return (-1);
	args_common(ar, m, *port);
	args_add(ar, "-M");
	args_add(ar, "-n");
	args_add(ar, "-N");
	args_add(ar, "-T");
	args_add(ar, "-o");
	args_add(ar, "ControlPersist=no");
	args_add(ar, "-o");
	args_add(ar, "ExitOnForwardFailure=yes");
	args_add(ar, "-o");
	args_add(ar, "PermitLocalCommand=yes");
	args_add(ar, "-o");
	args_add(ar, "LocalCommand=echo up");
	if (m->reverse) {
		/* Nobody reads its stderr once it is up: a file, not a pipe
		 * that could fill and stop it. */
		fwd = xasprintf("%s/log", m->dir);
		args_add(ar, "-E");
		args_add(ar, fwd);
		x_free(fwd);
		args_add(ar, "-o");
		args_add(ar, "StreamLocalBindUnlink=yes");
		args_add(ar, "-R");
		fwd = xasprintf("%s:%s", *path, m->sock);
	} else {
		args_add(ar, "-L");
		fwd = xasprintf("%s:%s", m->sock, *path);
	}
	args_add(ar, fwd);
	x_free(fwd);
	args_add(ar, "--");
	args_add(ar, *dest);
	(void)unlink(m->ctl);
	if (!m->reverse)
		(void)unlink(m->sock);
	m->last[0] = '\0';
	m->why[0] = '\0';
	log_debug("%s: starting ssh master for %s", m->addr->text, *dest);
	return (0);
}

/* A log ssh wrote (-E) in m's dir: its last line into m->last. */
static void
sshm_read_log(struct sshm *m, const char *name)
{
	char	*path = xasprintf("%s/%s", m->dir, name);
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		(void)sshm_read_err(m, fd, 0);
		close(fd);
	}
	(void)unlink(path);
	x_free(path);
}

/*
 * SSH-LISTEN: start m's master and wait, blocking, until it is up.
 * Returns 0, or -1 with *errp set and nothing left running.
 */
static int
sshm_start(struct sshm *m, char **errp)
{
	struct args	 ar = { NULL, 0 };
	char		*dest = NULL, *port = NULL;
	const char	*path;
	pid_t		 pid;
	int		 errfd = -1, up, rc = -1;

	if (sshm_argv(m, &ar, &dest, &port, &path, errp) == -1)
		goto out;
	if ((up = sshm_wait_line(m, ar.v, &pid, &errfd, errp)) != 1) {
		if (pid != -1)
			(void)child_wait(pid);
		sshm_read_log(m, "log");
		if (up == 0)
			*errp = xstrdup(m->last[0] != '\0' ? m->last :
			    "ssh failed");
		goto out;
	}
	m->pid = pid;
	m->errfd = errfd;
	m->up = 1;
	if ((m->base = child_event_base()) != NULL) {
		m->ev_retry = evtimer_new(m->base, sshm_retry_cb, m);
		m->ev_err = event_new(m->base, m->errfd, EV_READ | EV_PERSIST,
		    sshm_err_cb, m);
		event_add(m->ev_err, NULL);
	}
	child_watch(pid, sshm_exited, m);
	log_debug("%s: ssh master %ld up", m->addr->text, (long)pid);
	rc = 0;
out:
	x_free(dest);
	x_free(port);
	args_free(&ar);
	return (rc);
}

/* ---- SSH ---------------------------------------------------------------- */

static struct sshm *
sshm_of(const struct addr *a)
{
	struct sshm	*m;

	for (m = masters; m != NULL; m = m->next)
		if (m->addr == a)
			return (m);
	return (NULL);
}

static int
ssh_resolve(struct addr *a, struct connect_target *t, int *n, char **errp)
{
	struct sshm	*m = sshm_of(a);

	if (m == NULL || !m->up) {
		*errp = xstrdup("the ssh connection is gone");
		return (-1);
	}
	if (sock_unix_addr(m->sock, (struct sockaddr_un *)&t[0].ss,
	    &t[0].len, errp) == -1)
		return (-1);
	t[0].type = 0;
	*n = 1;
	return (0);
}

static const struct connect_ops ssh_connect = {
	.resolve = ssh_resolve,
};

static void
ssh_wait_free(void *arg)
{
	struct ssh_wait	*w = arg, **pp;

	for (pp = &w->m->waiters; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	x_free(w);
}

/* Take the first waiter off m's list: its open, now with no priv. */
static struct addr_open *
ssh_waiters_take(struct sshm *m)
{
	struct ssh_wait		*w = m->waiters;
	struct addr_open	*op = w->op;

	m->waiters = w->next;
	x_free(w);
	addr_open_set_priv(op, NULL, NULL);
	return (op);
}

static void
ssh_waiters_fail(struct sshm *m, const char *msg)
{
	while (m->waiters != NULL)
		addr_open_fail(ssh_waiters_take(m), "ssh: %s", msg);
}

/* m is up and forwarding: serve what waits for it. */
static void
sshm_up(struct sshm *m)
{
	if (m->ev_timer != NULL) {
		event_free(m->ev_timer);
		m->ev_timer = NULL;
	}
	m->up = 1;
	m->backoff = 0;
	if (m->reverse)
		log_info("%s: the ssh connection is back", m->addr->text);
	log_debug("%s: ssh master %ld up", m->addr->text, (long)m->pid);
	while (m->waiters != NULL)
		connector_open(ssh_waiters_take(m), &ssh_connect);
}

/*
 * Stop m's master for a reason (the first one given stands).  Whoever
 * waits for it is told now, not once the master has exited; sshm_exited
 * tells any who come meanwhile.
 */
static void
sshm_stop(struct sshm *m, const char *fmt, ...)
{
	va_list	ap;

	if (m->why[0] == '\0') {
		va_start(ap, fmt);
		(void)vsnprintf(m->why, sizeof m->why, fmt, ap);
		va_end(ap);
	}
	if (!m->up)
		ssh_waiters_fail(m, m->why);
	if (m->pid != -1)
		kill(m->pid, SIGTERM);
}

/* The master has logged in: SSH checks the remote path first. */
static void
sshm_ready(struct sshm *m)
{
	char	*err = NULL;

	event_free(m->ev_out);
	m->ev_out = NULL;
	close(m->outfd);
	m->outfd = -1;
	if (m->reverse)
		sshm_up(m);
	else if (sshm_probe(m, &err) == -1) {
		sshm_stop(m, "%s", err);
		x_free(err);
	}
}

static void
sshm_out_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sshm	*m = arg;
	char		 buf[64];
	ssize_t		 n;

	n = read(m->outfd, buf, sizeof buf);
	if (n > 0) {
		sshm_ready(m);
		return;
	}
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	/* It is ending: sshm_exited says why. */
	event_free(m->ev_out);
	m->ev_out = NULL;
}

static void
sshm_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sshm	*m = arg;

	/* Logged in, but the check of the remote path never came back? */
	sshm_stop(m, "no answer from ssh in %d seconds%s", LOGIN_SEC,
	    m->probe != -1 ? " (checking the remote path)" : "");
}

/*
 * Start m's master without waiting: its stdout and stderr are watched
 * from base, and the waiters are served when it says it is up (or failed
 * when it exits first).  Returns 0, or -1 with *errp set.
 */
static int
sshm_begin(struct sshm *m, struct event_base *base, char **errp)
{
	struct args	 ar = { NULL, 0 };
	struct timeval	 tv = { LOGIN_SEC, 0 };
	char		*dest = NULL, *port = NULL;
	const char	*path;
	int		 out[2] = { -1, -1 }, err[2] = { -1, -1 }, rc = -1;

	if (sshm_argv(m, &ar, &dest, &port, &path, errp) == -1)
		goto out;
	if (sock_pipe(out) == -1 || sock_pipe(err) == -1) {
		*errp = xasprintf("pipe: %s", strerror(errno));
		goto out;
	}
	if ((m->pid = child_spawn_err(ar.v, out[1], err[1], errp)) == -1)
		goto out;
	child_watch(m->pid, sshm_exited, m);
	(void)sock_nonblock(out[0], 1);
	(void)sock_nonblock(err[0], 1);
	m->base = base;
	m->outfd = out[0];
	m->errfd = err[0];
	out[0] = err[0] = -1;
	m->ev_out = event_new(base, m->outfd, EV_READ | EV_PERSIST,
	    sshm_out_cb, m);
	event_add(m->ev_out, NULL);
	m->ev_err = event_new(base, m->errfd, EV_READ | EV_PERSIST,
	    sshm_err_cb, m);
	event_add(m->ev_err, NULL);
	m->ev_timer = evtimer_new(base, sshm_timer_cb, m);
	evtimer_add(m->ev_timer, &tv);
	rc = 0;
out:
	if (out[0] != -1)
		close(out[0]);
	if (out[1] != -1)
		close(out[1]);
	if (err[0] != -1)
		close(err[0]);
	if (err[1] != -1)
		close(err[1]);
	x_free(dest);
	x_free(port);
	args_free(&ar);
	return (rc);
}

static void
ssh_open(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);
	struct sshm	*m;
	struct ssh_wait	*w, **pp;
	char		*err = NULL;

	if ((m = sshm_get(a, 0)) == NULL) {
		addr_open_fail(op, "cannot make a directory for ssh");
		return;
	}
	if (m->up) {
		connector_open(op, &ssh_connect);
		return;
	}
	if (m->pid == -1 && sshm_begin(m, addr_open_base(op), &err) == -1) {
		addr_open_fail(op, "ssh: %s", err);
		x_free(err);
		return;
	}
	w = xcalloc(1, sizeof *w);
	w->op = op;
	w->m = m;
	for (pp = &m->waiters; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = w;	/* served in the order they came */
	addr_open_set_priv(op, w, ssh_wait_free);
}

const struct addr_ops addr_ssh_ops = {
	.check = ssh_check,
	.open = ssh_open,
};

/* ---- SSH-LISTEN --------------------------------------------------------- */

static int
ssh_bind(struct addr *a, struct bound *b)
{
	struct sshm		*m;
	struct sockaddr_un	 sun;
	socklen_t		 len;
	char			*err = NULL;
	int			 fd = -1;

	if ((m = sshm_get(a, 1)) == NULL)
		return (-1);
	if (m->pid != -1) {
		log_err("%s: already listening", a->text);
		return (-1);
	}
	(void)unlink(m->sock);
	if (sock_unix_addr(m->sock, &sun, &len, &err) == -1 ||
	    (fd = sock_socket(AF_UNIX, SOCK_STREAM, 1)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, len) == -1) {
		log_err("%s: %s: %s", a->text, m->sock, err != NULL ? err :
		    strerror(errno));
		goto fail;
	}
	if (sshm_start(m, &err) == -1) {
		log_err("%s: ssh: %s", a->text, err);
		goto fail;
	}
	b->fd = fd;
	return (0);

fail:
	x_free(err);
	if (fd != -1)
		close(fd);
	return (-1);
}

const struct addr_ops addr_ssh_listen_ops = {
	.check = ssh_check,
	.bind = ssh_bind,
};
