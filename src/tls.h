/*
 * TLS as a layer on any stream socket address (OPENSSL-CONNECT and
 * OPENSSL-LISTEN are TCP with the layer on; "unix-connect:PATH,tls" puts it
 * over a UNIX socket).  OpenSSL 3 through libevent's bufferevent_openssl.
 * Secure by default: a client verifies the chain against the system store
 * or cafile= and the host name, sends SNI, and speaks TLS 1.2 or later.
 */
#ifndef FERRY_TLS_H
#define FERRY_TLS_H

struct addr;
struct bufferevent;
struct endpoint;
struct event_base;
struct tls_hs;

typedef void	tls_cb(struct endpoint *, void *);

/*
 * Build the address's TLS context (once; later calls return 0) for the
 * client (server == 0) or server side, loading certificates and keys now
 * so that mistakes show at start-up.  Returns 0, or -1 after logging one
 * line naming the address.
 */
int		 tls_setup(struct addr *, int server);
/* Free what tls_setup built. */
void		 tls_free(struct addr *);
/*
 * Run the handshake on ep's socket.  ep is consumed.  cb gets a new
 * endpoint whose I/O goes through TLS, or NULL after one line saying why
 * the handshake failed was logged.  Returns a handle for tls_cancel.
 */
struct tls_hs	*tls_start(struct addr *, struct event_base *,
		    struct endpoint *ep, int server, tls_cb *, void *);
/* Abandon a handshake: no callback; everything is freed. */
void		 tls_cancel(struct tls_hs *);
/* OpenSSL's reason for the last error on a TLS bufferevent, or NULL. */
const char	*tls_bev_error(struct bufferevent *);
/*
 * After a TLS bufferevent read EOF: nonzero if the peer reset the
 * connection (no close_notify, and the socket is gone, not half-closed).
 */
int		 tls_bev_reset(struct bufferevent *);
/*
 * After a reset on a TLS bufferevent: the alert the peer sent before it,
 * still unread in the socket ("tlsv1 alert unknown ca"), or NULL.
 */
const char	*tls_bev_alert(struct bufferevent *);
/* Send close_notify on a TLS endpoint's bufferevent (half-close). */
void		 tls_close_notify(void *bev);
/*
 * Write a new random pre-shared key to path (mode 0600, refusing to
 * overwrite).  Returns 0, or -1 after logging.
 */
int		 tls_gen_psk(const char *path);

#endif
