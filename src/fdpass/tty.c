/*
 * Terminals for the fd-passing mode (PROTOCOL.md 9): a passed terminal's
 * settings and window size, a pty that stands in for it on the other side.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/time.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "fdpass/fdio.h"
#include "fdpass/frame.h"
#include "fdpass/mux.h"
#include "fdpass/mux_int.h"

struct ttymode {
	uint8_t		op;
	int		field;		/* 0 cc, 1 iflag, 2 lflag, 3 oflag */
	tcflag_t	bit;		/* or the cc index */
};

static const struct ttymode ttymodes[] = {
	{ 1, 0, VINTR }, { 2, 0, VQUIT }, { 3, 0, VERASE }, { 4, 0, VKILL },
	{ 5, 0, VEOF }, { 6, 0, VEOL }, { 8, 0, VSTART }, { 9, 0, VSTOP },
	{ 10, 0, VSUSP },
	{ 30, 1, IGNPAR }, { 34, 1, INLCR }, { 35, 1, IGNCR },
	{ 36, 1, ICRNL }, { 38, 1, IXON }, { 40, 1, IXOFF },
	{ 50, 2, ISIG }, { 51, 2, ICANON }, { 53, 2, ECHO }, { 54, 2, ECHOE },
	{ 55, 2, ECHOK }, { 56, 2, ECHONL }, { 57, 2, NOFLSH },
	{ 58, 2, TOSTOP }, { 59, 2, IEXTEN },
	{ 70, 3, OPOST }, { 72, 3, ONLCR },
};
#define NTTYMODES	(sizeof ttymodes / sizeof ttymodes[0])

static tcflag_t *
tty_field(struct termios *t, int field)
{
	switch (field) {
	case 1:
		return (&t->c_iflag);
	case 2:
		return (&t->c_lflag);
	default:
		return (&t->c_oflag);
	}
}

void
tty_get(int fd, struct frame_open *o)
{
	struct winsize	ws;
	struct termios	t;
	size_t		i;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0) {
		o->ws.rows = ws.ws_row;
		o->ws.cols = ws.ws_col;
		o->ws.xpixel = ws.ws_xpixel;
		o->ws.ypixel = ws.ws_ypixel;
	}
	if (tcgetattr(fd, &t) == -1)
		return;
	for (i = 0; i < NTTYMODES; i++) {
		const struct ttymode *tm = &ttymodes[i];
		uint32_t	v;

		if (tm->field == 0)
			v = t.c_cc[tm->bit] == _POSIX_VDISABLE ? 255 :
			    t.c_cc[tm->bit];
		else
			v = (*tty_field(&t, tm->field) & tm->bit) ? 1 : 0;
		o->modes[o->nmodes].op = tm->op;
		o->modes[o->nmodes].val = v;
		o->nmodes++;
	}
}

static void
tty_set(int fd, const struct frame_open *o)
{
	struct termios	t;
	size_t		i, j;

	if (tcgetattr(fd, &t) == -1)
		return;
	for (i = 0; i < o->nmodes; i++) {
		for (j = 0; j < NTTYMODES; j++) {
			const struct ttymode *tm = &ttymodes[j];

			if (tm->op != o->modes[i].op)
				continue;
			if (tm->field == 0)
				t.c_cc[tm->bit] = o->modes[i].val == 255 ?
				    _POSIX_VDISABLE : (cc_t)o->modes[i].val;
			else if (o->modes[i].val)
				*tty_field(&t, tm->field) |= tm->bit;
			else
				*tty_field(&t, tm->field) &= ~tm->bit;
		}
	}
	/*
	 * The user's own terminal on the near side already echoes and
	 * processes output (it is never altered): doing it here too would
	 * double every echo and turn "\n" into "\r\r\n".
	 */
	t.c_oflag &= ~OPOST;
	t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	tcsetattr(fd, TCSANOW, &t);
}

void
tty_winsize(int fd, const struct frame_winsize *w)
{
	struct winsize	ws;

	memset(&ws, 0, sizeof ws);
	ws.ws_row = w->rows;
	ws.ws_col = w->cols;
	ws.ws_xpixel = w->xpixel;
	ws.ws_ypixel = w->ypixel;
	ioctl(fd, TIOCSWINSZ, &ws);
}

/* A pty: *master (non-blocking, ours), *slave (to pass). */
int
tty_open(const struct frame_open *o, int *master, int *slave)
{
	const char	*name;
	int		 mfd, sfd;

	if ((mfd = posix_openpt(O_RDWR | O_NOCTTY)) == -1)
		return (-1);
	if (grantpt(mfd) == -1 || unlockpt(mfd) == -1 ||
	    (name = ptsname(mfd)) == NULL ||
	    (sfd = open(name, O_RDWR | O_NOCTTY)) == -1) {
		close(mfd);
		return (-1);
	}
	fdio_cloexec(mfd);
	fdio_cloexec(sfd);
	sock_nonblock(mfd, 1);
	tty_set(sfd, o);
	tty_winsize(mfd, &o->ws);
	*master = mfd;
	*slave = sfd;
	return (0);
}
