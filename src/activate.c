/*
 * Socket activation, systemd's protocol written out (no libsystemd): fds
 * from 3 on, LISTEN_FDS of them, meant for us only if LISTEN_PID is our pid,
 * named by the colon-separated LISTEN_FDNAMES.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "activate.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

#define ACTIVATE_FD_START	3	/* SD_LISTEN_FDS_START */

static int	  nfds;
static char	**names;	/* nfds of them, or NULL */
static char	 *listen_pid;	/* LISTEN_PID, when it is not ours */

static int
number(const char *s, long *out)
{
	char	*end;
	long	 n;

	if (s == NULL || *s < '0' || *s > '9')
		return (-1);
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0 || n > INT_MAX - 3)
		return (-1);
	*out = n;
	return (0);
}

/* Split LISTEN_FDNAMES; names are kept only if there is one per fd. */
static void
activate_names(const char *text)
{
	char	*copy, *p, *name;
	int	 i = 0;

	if (text == NULL)
		return;
	names = xcalloc((size_t)nfds, sizeof *names);
	copy = p = xstrdup(text);
	while ((name = strsep(&p, ":")) != NULL && i < nfds)
		names[i++] = xstrdup(name);
	if (i != nfds || name != NULL) {
		log_warn("LISTEN_FDNAMES has not one name per fd (%d); "
		    "ignoring it", nfds);
		while (i > 0)
			x_free(names[--i]);
		x_free(names);
		names = NULL;
	}
	x_free(copy);
}

void
activate_init(void)
{
	const char	*pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	long		 n, p;
	int		 i;

	for (i = 0; names != NULL && i < nfds; i++)
		x_free(names[i]);
	x_free(names);
	names = NULL;
	nfds = 0;
	x_free(listen_pid);
	listen_pid = NULL;
	if (fds != NULL && number(fds, &n) == 0 && n > 0) {
		if (number(pid, &p) == 0 && p == (long)getpid()) {
			nfds = (int)n;
			for (i = 0; i < nfds; i++)
				if (sock_cloexec(ACTIVATE_FD_START + i) == -1)
					log_warn("LISTEN_FDS: fd %d: %s",
					    ACTIVATE_FD_START + i,
					    strerror(errno));
			activate_names(getenv("LISTEN_FDNAMES"));
		} else
			listen_pid = xstrdup(pid != NULL ? pid : "unset");
	}
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDNAMES");
}

int
activate_fd(const char *name, char **errp)
{
	int	i;

	if (nfds == 0) {
		if (listen_pid != NULL)
			*errp = xasprintf("the sockets passed with LISTEN_FDS "
			    "are for another process (LISTEN_PID is %.32s, "
			    "this is %ld)", listen_pid, (long)getpid());
		else
			*errp = xstrdup("no sockets passed (LISTEN_FDS is not "
			    "set: run under a systemd .socket unit or "
			    "systemd-socket-activate)");
		return (-1);
	}
	if (name == NULL)
		return (ACTIVATE_FD_START);
	for (i = 0; names != NULL && i < nfds; i++)
		if (strcmp(names[i], name) == 0)
			return (ACTIVATE_FD_START + i);
	*errp = xasprintf("no socket named '%.64s' among the %d passed "
	    "(LISTEN_FDNAMES: FileDescriptorName= in the .socket unit)",
	    name, nfds);
	return (-1);
}
