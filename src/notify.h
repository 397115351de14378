/*
 * The service manager's notification protocol (sd_notify(3)), written out:
 * one datagram per state to the UNIX socket named by NOTIFY_SOCKET.  No
 * libsystemd, and nothing at all when ferry does not run under systemd.
 */
#ifndef FERRY_NOTIFY_H
#define FERRY_NOTIFY_H

struct event_base;

/*
 * Read NOTIFY_SOCKET (a path, or "@name" in the abstract namespace),
 * WATCHDOG_USEC and WATCHDOG_PID, and remove them from the environment so
 * that no child (EXEC, SYSTEM) speaks for ferry.  If the watchdog is on
 * and meant for this process, send WATCHDOG=1 every WATCHDOG_USEC/2 from a
 * timer on base.  A bad variable is warned about and ignored.
 */
void	notify_init(struct event_base *);
/* READY=1, once: every listener is up (when --ready-file is written). */
void	notify_ready(void);
/* STOPPING=1, once: shutting down (a signal, or the end). */
void	notify_stopping(void);
/* Stop the watchdog timer and close the socket, before base is freed. */
void	notify_shutdown(void);

#endif
