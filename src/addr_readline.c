/*
 * READLINE: lines typed on the terminal, with line editing and history
 * (libedit, through its readline-compatible callback interface, so that
 * the event loop never blocks in it), each sent with a "\n"; what comes
 * back is printed above the line being edited.
 *
 * The relay sees one end of a socketpair, as for any stream; the other
 * end belongs to this file's one line editor (there is one terminal).  The
 * editor ends when the relay frees its endpoint: whatever is still in the
 * pair is printed, the terminal is given back in its own mode, and the
 * history is saved.
 *
 * Without a terminal on standard input, or in a build without libedit,
 * READLINE is STDIO: plain lines, as read(2) gives them (said at -d).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#ifdef HAVE_LIBEDIT
#include <editline/readline.h>
#endif

#include "addr.h"
#include "endpoint.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

#ifdef HAVE_LIBEDIT

struct editor {
	int			 fd;		/* our end of the pair */
	struct bufferevent	*bev;		/* lines out, output in */
	struct event		*ev_tty;	/* standard input readable */
	char			*prompt;
	char			*history;
	int			 eof;		/* ^D typed */
};

static struct editor	*ed;		/* the terminal's, if any */

/* Lines from the other side, printed above the prompt and the line. */
static void
editor_print(const void *data, size_t len)
{
	if (len == 0)
		return;
	if (!ed->eof)
		fputs("\r\033[K", stdout);	/* the prompt's line, cleared */
	fwrite(data, 1, len, stdout);
	fflush(stdout);
	if (!ed->eof)
		rl_forced_update_display();
}

static void
editor_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer	*in = bufferevent_get_input(bev);
	size_t		 len = evbuffer_get_length(in);

	editor_print(evbuffer_pullup(in, (ssize_t)len), len);
	evbuffer_drain(in, len);
}

/* All sent after ^D: the other side reads EOF. */
static void
editor_written(struct bufferevent *bev, void *arg)
{
	if (ed->eof)
		(void)shutdown(ed->fd, SHUT_WR);
}

static void
editor_event(struct bufferevent *bev, short what, void *arg)
{
	/* EOF: the other side sends no more; errors end with the relay. */
	bufferevent_disable(bev, EV_READ);
}

static void
editor_line(char *line)
{
	struct evbuffer	*out = bufferevent_get_output(ed->bev);

	if (line == NULL) {
		ed->eof = 1;
		event_del(ed->ev_tty);
		rl_callback_handler_remove();
		fputs("\n", stdout);
		fflush(stdout);
		if (evbuffer_get_length(out) == 0)
			(void)shutdown(ed->fd, SHUT_WR);
		return;
	}
	if (*line != '\0')
		add_history(line);
	evbuffer_add(out, line, strlen(line));
	evbuffer_add(out, "\n", 1);
	free(line);
	/* libedit leaves callback mode after each line: back into it. */
	rl_callback_handler_install(ed->prompt, editor_line);
}

static void
editor_tty(evutil_socket_t fd, short what, void *arg)
{
	rl_callback_read_char();
}

/* Give the terminal back; save the history. */
static void
editor_free(void *arg)
{
	char	buf[4096];
	ssize_t	n;

	if (ed == NULL)
		return;
	if (!ed->eof)
		rl_callback_handler_remove();
	/* What the other side sent before the end is shown, all of it. */
	if (ed->bev != NULL)
		editor_read(ed->bev, NULL);
	ed->eof = 1;
	while ((n = read(ed->fd, buf, sizeof buf)) > 0)
		editor_print(buf, (size_t)n);
	if (ed->history != NULL && write_history(ed->history) != 0)
		log_warn("history %s: %s", ed->history, strerror(errno));
	if (ed->ev_tty != NULL)
		event_free(ed->ev_tty);
	if (ed->bev != NULL)
		bufferevent_free(ed->bev);	/* closes ed->fd */
	else
		close(ed->fd);
	x_free(ed->prompt);
	x_free(ed->history);
	x_free(ed);
	ed = NULL;
}

/* A second signal exits at once: the terminal must not stay raw. */
static void
editor_atexit(void)
{
	if (ed != NULL && !ed->eof)
		rl_callback_handler_remove();
}

static int
editor_new(struct addr_open *op, int fd)
{
	struct addr		*a = addr_open_addr(op);
	struct event_base	*base = addr_open_base(op);
	static int		 registered;

	ed = xcalloc(1, sizeof *ed);
	ed->fd = fd;
	ed->prompt = xstrdup(a->o.prompt != NULL ? a->o.prompt : "");
	if (a->o.history != NULL)
		ed->history = xstrdup(a->o.history);
	ed->bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	ed->ev_tty = event_new(base, STDIN_FILENO, EV_READ | EV_PERSIST,
	    editor_tty, NULL);
	if (ed->bev == NULL || ed->ev_tty == NULL)
		return (-1);
	bufferevent_setcb(ed->bev, editor_read, editor_written, editor_event,
	    NULL);
	bufferevent_enable(ed->bev, EV_READ | EV_WRITE);
	if (!registered) {
		atexit(editor_atexit);
		registered = 1;
	}
	rl_catch_signals = 0;		/* the event loop has them */
	rl_instream = stdin;
	rl_outstream = stdout;
	using_history();
	if (ed->history != NULL && read_history(ed->history) != 0 &&
	    errno != ENOENT)
		log_warn("history %s: %s", ed->history, strerror(errno));
	rl_callback_handler_install(ed->prompt, editor_line);
	event_add(ed->ev_tty, NULL);
	return (0);
}

static void
readline_open(struct addr_open *op)
{
	struct addr	*a = addr_open_addr(op);
	struct endpoint	*ep;
	int		 sv[2];

	if (!isatty(STDIN_FILENO)) {
		log_info("%s: standard input is not a terminal: plain lines",
		    a->text);
		addr_stdio_ops.open(op);
		return;
	}
	if (ed != NULL) {
		addr_open_fail(op, "the terminal is already being read");
		return;
	}
	if (sock_pair(SOCK_STREAM, sv) == -1 || sock_nonblock(sv[0], 1) ==
	    -1 || sock_nonblock(sv[1], 1) == -1) {
		addr_open_errno(op, errno, "socketpair");
		return;
	}
	if (editor_new(op, sv[1]) == -1) {
		editor_free(NULL);
		close(sv[0]);
		addr_open_fail(op, "cannot set up the line editor");
		return;
	}
	ep = endpoint_new_sock(a->text, sv[0]);
	endpoint_set_close(ep, editor_free, NULL);
	addr_open_done(op, ep);
}

#else /* !HAVE_LIBEDIT */

static void
readline_open(struct addr_open *op)
{
	log_info("%s: built without libedit: plain lines",
	    addr_open_addr(op)->text);
	addr_stdio_ops.open(op);
}

#endif

const struct addr_ops addr_readline_ops = {
	.open = readline_open,
};
