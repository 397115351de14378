/*
 * EXEC:'cmd args' (split into words here, no shell) and SYSTEM:'shell cmd'
 * (/bin/sh -c).  The child's stdin and stdout are one end of a socketpair,
 * so half-close reaches it as EOF.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "child.h"
#include "endpoint.h"
#include "sock.h"
#include "xmalloc.h"

#define EXEC_EXEC	0
#define EXEC_SYSTEM	1

/*
 * Split a command line into words: blanks separate, '...' and "..." group,
 * a backslash outside '...' takes the next character.  Returns a
 * NULL-terminated vector (free with argv_free) or NULL with *errp set.
 */
static char **
argv_split(const char *s, char **errp)
{
	char	**argv = NULL, *w = NULL, quote = '\0';
	size_t	  argc = 0, len = 0;
	int	  inword = 0;

	for (;; s++) {
		if (*s == '\0' || (quote == '\0' && (*s == ' ' || *s == '\t' ||
		    *s == '\n'))) {
			if (quote != '\0') {
				*errp = xasprintf("unterminated %c quote in "
				    "command", quote);
				goto fail;
			}
			if (inword) {
				argv = xrealloc(argv, (argc + 2) * sizeof *argv);
				argv[argc++] = w != NULL ? w : xstrdup("");
				argv[argc] = NULL;
				w = NULL;
				len = 0;
				inword = 0;
			}
			if (*s == '\0')
				break;
			continue;
		}
		inword = 1;
		if (*s == '\\' && quote != '\'' && s[1] != '\0') {
			s++;
		} else if (quote == '\0' && (*s == '\'' || *s == '"')) {
			quote = *s;
			continue;
		} else if (quote != '\0' && *s == quote) {
			quote = '\0';
			continue;
		}
		w = xrealloc(w, len + 2);
		w[len++] = *s;
		w[len] = '\0';
	}
	if (argc == 0) {
		*errp = xstrdup("empty command");
		goto fail;
	}
	return (argv);

fail:
	x_free(w);
	while (argc > 0)
		x_free(argv[--argc]);
	x_free(argv);
	return (NULL);
}

static void
argv_free(char **argv)
{
	char	**p;

	for (p = argv; *p != NULL; p++)
		x_free(*p);
	x_free(argv);
}

static int
exec_check(struct addr *a, char **errp)
{
	char	**argv;

	if (a->kind->variant == EXEC_SYSTEM)
		return (0);
	if ((argv = argv_split(a->params[0], errp)) == NULL)
		return (-1);
	argv_free(argv);
	return (0);
}

static void
exec_open(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);
	struct endpoint	*ep;
	char		**argv, *err = NULL;
	char		*shargv[] = { "/bin/sh", "-c", a->params[0], NULL };
	int		  sv[2], e = 0;
	pid_t		  pid;

	if (sock_pair(SOCK_STREAM, sv) == -1) {
		addr_open_errno(op, errno, "socketpair");
		return;
	}
	/* Our end is ours alone: non-blocking, so a child that stops
	 * reading never blocks the loop.  The child's end stays blocking. */
	if (sock_nonblock(sv[0], 1) == -1) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		addr_open_errno(op, e, "fcntl");
		return;
	}
	if (a->kind->variant == EXEC_SYSTEM) {
		pid = child_spawn(shargv, sv[1], &err);
		e = errno;
	} else if ((argv = argv_split(a->params[0], &err)) == NULL)
		pid = -1;
	else {
		pid = child_spawn(argv, sv[1], &err);
		e = errno;
		argv_free(argv);
	}
	close(sv[1]);
	if (pid == -1) {
		close(sv[0]);
		addr_open_fail_cause(op, e, "start", err);
		x_free(err);
		return;
	}
	ep = endpoint_new(a->text, sv[0], sv[0]);
	endpoint_set_child(ep, pid);
	addr_open_done(op, ep);
}

const struct addr_ops addr_exec_ops = {
	.check = exec_check,
	.open = exec_open,
};
