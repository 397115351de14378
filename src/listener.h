/*
 * Listening sockets: an address's bound socket behind an evconnlistener,
 * with a connection limit, accept-error back-off, and removal of the UNIX
 * socket files ferry created on every exit it controls.
 */
#ifndef FERRY_LISTENER_H
#define FERRY_LISTENER_H

struct addr;
struct endpoint;
struct event_base;
struct listener;

typedef void	listener_cb(struct endpoint *, void *);

/*
 * Bind a (listening kind) and start accepting.  Each connection is handed to
 * cb as a new endpoint owned by the callee.  With once set, the listener
 * stops accepting after the first connection.  Returns NULL after logging
 * an error naming the address.
 */
struct listener	*listener_new(struct addr *, struct event_base *, int once,
		    listener_cb *, void *);
/* Stop accepting, close the socket and remove its socket file if ours. */
void		 listener_free(struct listener *);
/* Stop (0) or resume (1) accepting, e.g. at a connection limit. */
void		 listener_enable(struct listener *, int);
/* Where the listener listens: "0.0.0.0:8080", "/run/x.sock". */
const char	*listener_where(const struct listener *);
/*
 * Write every address a listener binds to path (a line each: "host:port"
 * or the socket path), replacing the file atomically each time.
 */
void		 listener_set_ready_file(const char *path);
/* Remove every socket file still registered (atexit). */
void		 listener_cleanup_files(void);

#endif
