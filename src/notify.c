/*
 * sd_notify by hand: "READY=1", "STOPPING=1" and "WATCHDOG=1" datagrams
 * to $NOTIFY_SOCKET.  A failed send is warned about once and otherwise
 * ignored: the service manager's view never stops the relay.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "notify.h"
#include "sock.h"
#include "xmalloc.h"

static int			 notify_fd = -1;
static struct sockaddr_un	 notify_sun;
static socklen_t		 notify_len;
static char			*notify_where;
static struct event		*notify_wd;
static int			 notify_ready_sent;
static int			 notify_stopping_sent;
static int			 notify_warned;

static void
notify_send(const char *msg)
{
	if (notify_fd == -1)
		return;
	if (sendto(notify_fd, msg, strlen(msg), 0,
	    (struct sockaddr *)&notify_sun, notify_len) == -1) {
		if (!notify_warned)
			log_warn("NOTIFY_SOCKET %s: %s: %s", notify_where, msg,
			    strerror(errno));
		notify_warned = 1;
		return;
	}
	log_debug("NOTIFY_SOCKET %s: %s", notify_where, msg);
}

static void
notify_watchdog(evutil_socket_t fd, short what, void *arg)
{
	notify_send("WATCHDOG=1");
}

/* WATCHDOG_USEC in microseconds if the watchdog is ours, else 0. */
static unsigned long long
notify_watchdog_usec(void)
{
	const char		*usec = getenv("WATCHDOG_USEC");
	const char		*pid = getenv("WATCHDOG_PID");
	unsigned long long	 n;
	char			*end;

	if (usec == NULL)
		return (0);
	if (pid != NULL && strtol(pid, &end, 10) != (long)getpid())
		return (0);
	errno = 0;
	n = strtoull(usec, &end, 10);
	if (errno != 0 || *end != '\0' || end == usec || *usec == '-' ||
	    n == 0) {
		log_warn("WATCHDOG_USEC '%.32s' is not a number of "
		    "microseconds; no watchdog", usec);
		return (0);
	}
	return (n);
}

void
notify_init(struct event_base *base)
{
	const char		*path = getenv("NOTIFY_SOCKET");
	unsigned long long	 usec;
	struct timeval		 tv;
	char			*err = NULL;
	int			 rc;

	if (path == NULL || *path == '\0')
		goto out;
	if (path[0] == '@')
		rc = sock_unix_abstract(path + 1, &notify_sun, &notify_len,
		    &err);
	else if (path[0] == '/')
		rc = sock_unix_addr(path, &notify_sun, &notify_len, &err);
	else {
		err = xstrdup("not a path nor an @name");
		rc = -1;
	}
	if (rc == -1) {
		log_warn("NOTIFY_SOCKET '%.64s': %s; not notifying", path, err);
		x_free(err);
		goto out;
	}
	if ((notify_fd = sock_socket(AF_UNIX, SOCK_DGRAM, 1)) == -1) {
		log_warn("NOTIFY_SOCKET: socket: %s; not notifying",
		    strerror(errno));
		goto out;
	}
	notify_where = xstrdup(path);
	if ((usec = notify_watchdog_usec()) != 0) {
		usec /= 2;
		tv.tv_sec = (time_t)(usec / 1000000);
		tv.tv_usec = (suseconds_t)(usec % 1000000);
		notify_wd = event_new(base, -1, EV_PERSIST, notify_watchdog,
		    NULL);
		event_add(notify_wd, &tv);
		log_debug("watchdog: WATCHDOG=1 every %llu us", usec);
	}
out:
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

void
notify_ready(void)
{
	if (notify_ready_sent)
		return;
	notify_ready_sent = 1;
	notify_send("READY=1");
}

void
notify_stopping(void)
{
	if (notify_stopping_sent)
		return;
	notify_stopping_sent = 1;
	notify_send("STOPPING=1");
}

void
notify_shutdown(void)
{
	if (notify_wd != NULL)
		event_free(notify_wd);
	notify_wd = NULL;
	if (notify_fd != -1)
		close(notify_fd);
	notify_fd = -1;
	x_free(notify_where);
	notify_where = NULL;
}
