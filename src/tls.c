#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>

#include "addr.h"
#include "endpoint.h"
#include "log.h"
#include "tls.h"
#include "xmalloc.h"

#define TLS_HANDSHAKE_SEC	30	/* a peer that stalls the handshake */
#define PSK_MAX			64
#define PSK_DEFAULT_IDENTITY	"ferry"

/* What an address's TLS layer needs beyond the SSL_CTX. */
struct tls_conf {
	SSL_CTX		*ctx;
	int		 server;
	unsigned char	 pin[32];	/* fingerprint=sha256:... */
	int		 pinned;
	unsigned char	 psk[PSK_MAX];
	size_t		 psklen;
	char		*identity;
};

struct tls_hs {
	struct addr		*addr;
	struct bufferevent	*bev;
	struct endpoint		*ep;	/* the plain endpoint, for its name */
	struct event		*timer;
	char			*name;
	char			*expect;	/* host name checked */
	char			*got;		/* names of a mismatching cert */
	tls_cb			*cb;
	void			*arg;
};

static int	tls_ex_conf = -1;	/* SSL_CTX ex_data: struct tls_conf */

static const char	*cert_names(X509 *, char *, size_t);

/*
 * The first OpenSSL error as words, clearing the queue; an OS error (a
 * missing file) as strerror says it, not "system lib".
 */
static const char *
ssl_reason(void)
{
	static char	buf[256];
	unsigned long	e, last = 0, sys = 0;
	const char	*r;

	while ((e = ERR_get_error()) != 0) {
		if (last == 0)
			last = e;
		if (sys == 0 && ERR_SYSTEM_ERROR(e))
			sys = e;
	}
	if (sys != 0) {
		snprintf(buf, sizeof buf, "%s", strerror(ERR_GET_REASON(sys)));
		return (buf);
	}
	if (last == 0)
		return (NULL);
	if ((r = ERR_reason_error_string(last)) != NULL)
		snprintf(buf, sizeof buf, "%s", r);
	else
		ERR_error_string_n(last, buf, sizeof buf);
	return (buf);
}

static int
parse_version(const char *v, int *out)
{
	if (strcasecmp(v, "TLSv1.2") == 0 || strcmp(v, "1.2") == 0)
		*out = TLS1_2_VERSION;
	else if (strcasecmp(v, "TLSv1.3") == 0 || strcmp(v, "1.3") == 0)
		*out = TLS1_3_VERSION;
	else
		return (-1);
	return (0);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

/* Hex (':' allowed between bytes) into out; returns the length or -1. */
static int
unhex(const char *s, unsigned char *out, size_t max)
{
	size_t	n = 0;
	int	hi, lo;

	while (*s != '\0' && !isspace((unsigned char)*s)) {
		if (*s == ':') {
			s++;
			continue;
		}
		if ((hi = hexval((unsigned char)s[0])) == -1 ||
		    (lo = hexval((unsigned char)s[1])) == -1 || n == max)
			return (-1);
		out[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	return ((int)n);
}

static int
load_psk(struct addr *a, struct tls_conf *tc)
{
	struct stat	 sb;
	char		 buf[PSK_MAX * 2 + 64];
	ssize_t		 n;
	int		 fd, len;

	if ((fd = open(a->o.psk_file, O_RDONLY | O_CLOEXEC)) == -1) {
		log_err("%s: psk-file %s: %s", a->text, a->o.psk_file,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fd, &sb) == -1 || (sb.st_mode & 077) != 0) {
		log_err("%s: psk-file %s is readable by others (chmod 600 "
		    "it)", a->text, a->o.psk_file);
		close(fd);
		return (-1);
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) {
		log_err("%s: psk-file %s is empty", a->text, a->o.psk_file);
		return (-1);
	}
	buf[n] = '\0';
	if ((len = unhex(buf, tc->psk, sizeof tc->psk)) < 16) {
		log_err("%s: psk-file %s must hold 16 to 64 bytes in hex "
		    "(ferry --gen-psk makes one)", a->text, a->o.psk_file);
		return (-1);
	}
	tc->psklen = (size_t)len;
	tc->identity = xstrdup(a->o.psk_identity != NULL ?
	    a->o.psk_identity : PSK_DEFAULT_IDENTITY);
	return (0);
}

/* A TLS 1.3 session that carries the external PSK. */
static SSL_SESSION *
psk_session(SSL *ssl, struct tls_conf *tc)
{
	static const unsigned char	 aes128gcm[] = { 0x13, 0x01 };
	const SSL_CIPHER		*cipher;
	SSL_SESSION			*sess;

	if ((cipher = SSL_CIPHER_find(ssl, aes128gcm)) == NULL ||
	    (sess = SSL_SESSION_new()) == NULL)
		return (NULL);
	if (!SSL_SESSION_set1_master_key(sess, tc->psk, tc->psklen) ||
	    !SSL_SESSION_set_cipher(sess, cipher) ||
	    !SSL_SESSION_set_protocol_version(sess, TLS1_3_VERSION)) {
		SSL_SESSION_free(sess);
		return (NULL);
	}
	return (sess);
}

static struct tls_conf *
conf_of(SSL *ssl)
{
	return (SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), tls_ex_conf));
}

static int
psk_use_cb(SSL *ssl, const EVP_MD *md, const unsigned char **id,
    size_t *idlen, SSL_SESSION **sess)
{
	struct tls_conf	*tc = conf_of(ssl);

	if (md != NULL && md != EVP_sha256()) {
		*sess = NULL;
		return (1);
	}
	if ((*sess = psk_session(ssl, tc)) == NULL)
		return (0);
	*id = (const unsigned char *)tc->identity;
	*idlen = strlen(tc->identity);
	return (1);
}

static int
psk_find_cb(SSL *ssl, const unsigned char *id, size_t idlen,
    SSL_SESSION **sess)
{
	struct tls_conf	*tc = conf_of(ssl);

	if (idlen != strlen(tc->identity) ||
	    memcmp(id, tc->identity, idlen) != 0) {
		*sess = NULL;	/* unknown identity: no PSK, handshake fails */
		return (1);
	}
	return ((*sess = psk_session(ssl, tc)) != NULL);
}

/* fingerprint=: the leaf must be exactly the pinned certificate. */
static int
verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL		*ssl;
	struct tls_conf	*tc;
	struct tls_hs	*hs;
	X509		*cert;
	unsigned char	 md[256];
	unsigned int	 mdlen;

	ssl = X509_STORE_CTX_get_ex_data(xs,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	tc = conf_of(ssl);
	if (!ok && X509_STORE_CTX_get_error_depth(xs) == 0 &&
	    (X509_STORE_CTX_get_error(xs) == X509_V_ERR_HOSTNAME_MISMATCH ||
	    X509_STORE_CTX_get_error(xs) == X509_V_ERR_IP_ADDRESS_MISMATCH) &&
	    (hs = SSL_get_app_data(ssl)) != NULL && hs->got == NULL)
		hs->got = xstrdup(cert_names(X509_STORE_CTX_get_current_cert(xs),
		    (char *)md, sizeof md));
	if (!tc->pinned)
		return (ok);
	if (X509_STORE_CTX_get_error_depth(xs) != 0)
		return (1);	/* the chain does not matter, the leaf does */
	cert = X509_STORE_CTX_get_current_cert(xs);
	if (!X509_digest(cert, EVP_sha256(), md, &mdlen) || mdlen != 32 ||
	    memcmp(md, tc->pin, 32) != 0) {
		X509_STORE_CTX_set_error(xs, X509_V_ERR_CERT_REJECTED);
		return (0);
	}
	X509_STORE_CTX_set_error(xs, X509_V_OK);
	return (1);
}

static void
conf_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
    void *argp)
{
	struct tls_conf	*tc = ptr;

	if (tc == NULL)
		return;
	OPENSSL_cleanse(tc->psk, sizeof tc->psk);
	x_free(tc->identity);
	x_free(tc);
}

int
tls_setup(struct addr *a, int server)
{
	struct tls_conf	*tc;
	SSL_CTX		*ctx;
	const char	*why;
	int		 v, mode;

	if (a->tls != NULL)
		return (0);
	if (tls_ex_conf == -1)
		tls_ex_conf = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL,
		    conf_free);
	if ((ctx = SSL_CTX_new(server ? TLS_server_method() :
	    TLS_client_method())) == NULL) {
		log_err("%s: TLS: %s", a->text, ssl_reason());
		return (-1);
	}
	tc = xcalloc(1, sizeof *tc);
	tc->ctx = ctx;
	tc->server = server;
	SSL_CTX_set_ex_data(ctx, tls_ex_conf, tc);
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
	    SSL_MODE_ENABLE_PARTIAL_WRITE);

	v = TLS1_2_VERSION;
	if (a->o.min_version != NULL && parse_version(a->o.min_version,
	    &v) == -1) {
		log_err("%s: min-version takes TLSv1.2 or TLSv1.3", a->text);
		goto fail;
	}
	SSL_CTX_set_min_proto_version(ctx, v);
	if (a->o.max_version != NULL) {
		if (parse_version(a->o.max_version, &v) == -1) {
			log_err("%s: max-version takes TLSv1.2 or TLSv1.3",
			    a->text);
			goto fail;
		}
		SSL_CTX_set_max_proto_version(ctx, v);
	}
	if (a->o.cipher != NULL && !SSL_CTX_set_cipher_list(ctx,
	    a->o.cipher) && !SSL_CTX_set_ciphersuites(ctx, a->o.cipher)) {
		log_err("%s: cipher=%s: no such cipher", a->text, a->o.cipher);
		goto fail;
	}
	if (a->o.cert != NULL) {
		if (!SSL_CTX_use_certificate_chain_file(ctx, a->o.cert)) {
			why = ssl_reason();
			log_err("%s: cert=%s: %s", a->text, a->o.cert,
			    why ? why : strerror(errno));
			goto fail;
		}
		if (!SSL_CTX_use_PrivateKey_file(ctx, a->o.key != NULL ?
		    a->o.key : a->o.cert, SSL_FILETYPE_PEM)) {
			why = ssl_reason();
			log_err("%s: key=%s: %s", a->text, a->o.key != NULL ?
			    a->o.key : a->o.cert, why ? why : strerror(errno));
			goto fail;
		}
		if (!SSL_CTX_check_private_key(ctx)) {
			log_err("%s: the key does not match the certificate",
			    a->text);
			goto fail;
		}
	} else if (a->o.key != NULL) {
		log_err("%s: key= needs cert=", a->text);
		goto fail;
	}
	if (a->o.psk_file != NULL) {
		if (load_psk(a, tc) == -1)
			goto fail;
		SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
		/* The PSK session's suite must hash like the handshake. */
		SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256:"
		    "TLS_CHACHA20_POLY1305_SHA256");
		if (server)
			SSL_CTX_set_psk_find_session_callback(ctx, psk_find_cb);
		else
			SSL_CTX_set_psk_use_session_callback(ctx, psk_use_cb);
	}
	if (server && a->o.cert == NULL && a->o.psk_file == NULL) {
		log_err("%s: a TLS server needs cert= (and key=) or psk-file=",
		    a->text);
		goto fail;
	}
	if (a->o.fingerprint != NULL) {
		const char	*fp = a->o.fingerprint;

		if (strncasecmp(fp, "sha256:", 7) == 0)
			fp += 7;
		if (unhex(fp, tc->pin, sizeof tc->pin) != 32) {
			log_err("%s: fingerprint= takes sha256: and 32 bytes "
			    "in hex", a->text);
			goto fail;
		}
		tc->pinned = 1;
	}
	if (a->o.cafile != NULL || a->o.capath != NULL) {
		if (!SSL_CTX_load_verify_locations(ctx, a->o.cafile,
		    a->o.capath)) {
			why = ssl_reason();
			log_err("%s: cafile/capath: %s", a->text,
			    why ? why : strerror(errno));
			goto fail;
		}
	} else if (!server)
		SSL_CTX_set_default_verify_paths(ctx);

	/* A client with no host name to check must be told what to check. */
	if (!server && a->o.verify != 0 && a->nparams < 2 &&
	    a->o.commonname == NULL && !tc->pinned && a->o.psk_file == NULL) {
		log_err("%s: TLS here has no host name to check: give "
		    "commonname= (the name the server's certificate must carry), "
		    "fingerprint= or psk-file=, or verify=0", a->text);
		goto fail;
	}

	/* Who is checked. */
	mode = SSL_VERIFY_NONE;
	if (!server && a->o.verify != 0 && a->o.psk_file == NULL)
		mode = SSL_VERIFY_PEER;
	if (server && (a->o.cafile != NULL || a->o.capath != NULL ||
	    tc->pinned) && a->o.verify != 0)
		mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	SSL_CTX_set_verify(ctx, mode, verify_cb);
	if (!server && a->o.verify == 0)
		log_warn("%s: verify=0: the server's certificate is not "
		    "checked", a->text);
	a->tls = tc;
	return (0);

fail:
	SSL_CTX_free(ctx);	/* frees tc through conf_free */
	return (-1);
}

void
tls_free(struct addr *a)
{
	struct tls_conf	*tc = a->tls;

	if (tc == NULL)
		return;
	SSL_CTX_free(tc->ctx);
	a->tls = NULL;
}

/* The name to check and send as SNI, or NULL. */
static char *
peer_name(struct addr *a, char *buf, size_t size)
{
	size_t	len;

	if (a->o.commonname != NULL)
		return (a->o.commonname);
	if (a->nparams < 2)
		return (NULL);		/* not a host:port address */
	len = strlen(a->params[0]);
	if (a->params[0][0] == '[' && len > 2)
		snprintf(buf, size, "%.*s", (int)len - 2, a->params[0] + 1);
	else
		snprintf(buf, size, "%s", a->params[0]);
	return (buf);
}

static int
is_ip(const char *s)
{
	unsigned char	buf[16];

	return (inet_pton(AF_INET, s, buf) == 1 ||
	    inet_pton(AF_INET6, s, buf) == 1);
}

static void
hs_free(struct tls_hs *hs)
{
	if (hs->bev != NULL)
		bufferevent_free(hs->bev);
	if (hs->timer != NULL)
		event_free(hs->timer);
	x_free(hs->name);
	x_free(hs->expect);
	x_free(hs->got);
	x_free(hs);
}

void
tls_cancel(struct tls_hs *hs)
{
	if (hs != NULL)
		hs_free(hs);
}

static void
hs_fail(struct tls_hs *hs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
hs_fail(struct tls_hs *hs, const char *fmt, ...)
{
	tls_cb	*cb = hs->cb;
	void	*arg = hs->arg;
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (((struct tls_conf *)hs->addr->tls)->server)
		log_warn("%s: TLS from %s: %s", hs->addr->text, hs->name, msg);
	else
		log_err("%s: TLS: %s", hs->addr->text, msg);
	x_free(msg);
	hs_free(hs);
	cb(NULL, arg);
}

/* The DNS names (or else the CN) of a certificate, into buf. */
static const char *
cert_names(X509 *cert, char *buf, size_t size)
{
	GENERAL_NAMES		*names;
	const GENERAL_NAME	*gn;
	size_t			 len = 0;
	int			 i;

	buf[0] = '\0';
	names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	for (i = 0; names != NULL && i < sk_GENERAL_NAME_num(names); i++) {
		gn = sk_GENERAL_NAME_value(names, i);
		if (gn->type != GEN_DNS || len >= size)
			continue;
		len += snprintf(buf + len, size - len, "%s%.*s",
		    len > 0 ? ", " : "", ASN1_STRING_length(gn->d.dNSName),
		    (const char *)ASN1_STRING_get0_data(gn->d.dNSName));
	}
	GENERAL_NAMES_free(names);
	if (len == 0)
		X509_NAME_get_text_by_NID(X509_get_subject_name(cert),
		    NID_commonName, buf, (int)size);
	return (buf[0] != '\0' ? buf : "a certificate with no name");
}

/* Why the handshake failed, in one line. */
static void
hs_error(struct tls_hs *hs)
{
	SSL		*ssl = bufferevent_openssl_get_ssl(hs->bev);
	long		 vr = SSL_get_verify_result(ssl);
	unsigned long	 e, last = 0;
	const char	*reason = NULL;
	char		 buf[256];
	int		 err = EVUTIL_SOCKET_ERROR();

	/* libevent appends SSL_get_error()'s code (lib 0): keep the first
	 * real OpenSSL error. */
	while ((e = bufferevent_get_openssl_error(hs->bev)) != 0)
		if (last == 0 && ERR_GET_LIB(e) != 0)
			last = e;
	if (last != 0) {
		reason = ERR_reason_error_string(last);
		if (reason == NULL) {
			ERR_error_string_n(last, buf, sizeof buf);
			reason = buf;
		}
	}
	ERR_clear_error();
	if (vr == X509_V_ERR_HOSTNAME_MISMATCH ||
	    vr == X509_V_ERR_IP_ADDRESS_MISMATCH)
		hs_fail(hs, "hostname mismatch: expected %s, got %s",
		    hs->expect != NULL ? hs->expect : "?", hs->got != NULL ?
		    hs->got : "?");
	else if (reason != NULL && ((struct tls_conf *)hs->addr->tls)->psklen
	    > 0 && !((struct tls_conf *)hs->addr->tls)->server)
		hs_fail(hs, "%s (is the pre-shared key the same on both "
		    "sides?)", reason);
	else if (vr == X509_V_ERR_CERT_REJECTED &&
	    ((struct tls_conf *)hs->addr->tls)->pinned)
		hs_fail(hs, "certificate does not match fingerprint=");
	else if (vr != X509_V_OK)
		hs_fail(hs, "certificate verify failed: %s",
		    X509_verify_cert_error_string(vr));
	else if (reason != NULL)
		hs_fail(hs, "%s", reason);
	else if (err != 0)
		hs_fail(hs, "%s", strerror(err));
	else
		hs_fail(hs, "connection closed during the handshake");
}

static void
hs_event(struct bufferevent *bev, short what, void *arg)
{
	struct tls_hs	*hs = arg;
	struct endpoint	*ep;
	SSL		*ssl;
	X509		*peer;
	char		 subject[256];
	tls_cb		*cb;
	void		*cbarg;

	if (!(what & BEV_EVENT_CONNECTED)) {
		hs_error(hs);
		return;
	}
	ssl = bufferevent_openssl_get_ssl(bev);
	if (log_enabled(LOG_INFO) && (peer = SSL_get_peer_certificate(ssl))) {
		X509_NAME_oneline(X509_get_subject_name(peer), subject,
		    sizeof subject);
		log_info("%s: TLS with %s: %s, peer %s", hs->addr->text,
		    hs->name, SSL_get_version(ssl), subject);
		X509_free(peer);
	} else
		log_debug("%s: TLS with %s: %s", hs->addr->text, hs->name,
		    SSL_get_version(ssl));
	bufferevent_setcb(bev, NULL, NULL, NULL, NULL);
	bufferevent_disable(bev, EV_READ | EV_WRITE);
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	ep = endpoint_new_bev(hs->name, bev);
	hs->bev = NULL;
	cb = hs->cb;
	cbarg = hs->arg;
	hs_free(hs);
	cb(ep, cbarg);
}

static void
hs_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct tls_hs	*hs = arg;

	hs_fail(hs, "handshake timed out after %ds", TLS_HANDSHAKE_SEC);
}

struct tls_hs *
tls_start(struct addr *a, struct event_base *base, struct endpoint *ep,
    int server, tls_cb *cb, void *arg)
{
	struct tls_conf	*tc = a->tls;
	struct tls_hs	*hs;
	struct timeval	 tv = { TLS_HANDSHAKE_SEC, 0 };
	char		*name;
	char		 buf[256];
	SSL		*ssl;
	int		 fd;

	hs = xcalloc(1, sizeof *hs);
	hs->addr = a;
	hs->cb = cb;
	hs->arg = arg;
	hs->name = xstrdup(endpoint_name(ep));
	fd = endpoint_take_fd(ep);
	endpoint_free(ep);
	if ((ssl = SSL_new(tc->ctx)) == NULL) {
		evutil_closesocket(fd);
		hs->timer = evtimer_new(base, hs_timeout, hs);
		event_active(hs->timer, EV_TIMEOUT, 0);
		return (hs);
	}
	SSL_set_app_data(ssl, hs);
	if (!server) {
		name = peer_name(a, buf, sizeof buf);
		if (name != NULL && !is_ip(name))
			SSL_set_tlsext_host_name(ssl, a->o.snihost != NULL ?
			    a->o.snihost : name);
		else if (a->o.snihost != NULL)
			SSL_set_tlsext_host_name(ssl, a->o.snihost);
		if (name != NULL && a->o.verify != 0 && !tc->pinned &&
		    tc->psklen == 0) {
			hs->expect = xstrdup(name);
			if (is_ip(name))
				X509_VERIFY_PARAM_set1_ip_asc(
				    SSL_get0_param(ssl), name);
			else
				SSL_set1_host(ssl, name);
		}
	}
	hs->bev = bufferevent_openssl_socket_new(base, fd, ssl, server ?
	    BUFFEREVENT_SSL_ACCEPTING : BUFFEREVENT_SSL_CONNECTING,
	    BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(hs->bev, NULL, NULL, hs_event, hs);
	bufferevent_enable(hs->bev, EV_READ | EV_WRITE);
	hs->timer = evtimer_new(base, hs_timeout, hs);
	evtimer_add(hs->timer, &tv);
	return (hs);
}

void
tls_close_notify(void *bev)
{
	SSL	*ssl = bufferevent_openssl_get_ssl(bev);

	if (ssl != NULL && !(SSL_get_shutdown(ssl) & SSL_SENT_SHUTDOWN)) {
		(void)SSL_shutdown(ssl);
		ERR_clear_error();
	}
}

int
tls_gen_psk(const char *path)
{
	unsigned char	key[32];
	char		hex[sizeof key * 2 + 2];
	size_t		i;
	int		fd;

	if (RAND_bytes(key, sizeof key) != 1) {
		log_err("--gen-psk: no randomness: %s", ssl_reason());
		return (-1);
	}
	for (i = 0; i < sizeof key; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	hex[2 * sizeof key] = '\n';
	OPENSSL_cleanse(key, sizeof key);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		log_err("--gen-psk %s: %s", path, strerror(errno));
		return (-1);
	}
	if (write(fd, hex, 2 * sizeof key + 1) != (ssize_t)(2 * sizeof key + 1)
	    || close(fd) == -1) {
		log_err("--gen-psk %s: %s", path, strerror(errno));
		unlink(path);
		return (-1);
	}
	OPENSSL_cleanse(hex, sizeof hex);
	return (0);
}

const char *
tls_bev_error(struct bufferevent *bev)
{
	static char	 buf[256];
	unsigned long	 e, first = 0;
	const char	*r;

	while ((e = bufferevent_get_openssl_error(bev)) != 0)
		if (first == 0 && ERR_GET_LIB(e) != 0)
			first = e;
	ERR_clear_error();
	if (first == 0)
		return (NULL);
	if ((r = ERR_reason_error_string(first)) != NULL)
		return (r);
	ERR_error_string_n(first, buf, sizeof buf);
	return (buf);
}

int
tls_bev_reset(struct bufferevent *bev)
{
	SSL		*ssl = bufferevent_openssl_get_ssl(bev);
	int		 err = EVUTIL_SOCKET_ERROR();
#if defined(TCP_INFO) && defined(__linux__)
	struct tcp_info	 ti;
	socklen_t	 len = sizeof ti;
#endif

	if (ssl == NULL || (SSL_get_shutdown(ssl) & SSL_RECEIVED_SHUTDOWN))
		return (0);
#if defined(TCP_INFO) && defined(__linux__)
	/* A FIN leaves the socket in CLOSE_WAIT, a reset closes it. */
	if (getsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_INFO, &ti,
	    &len) == 0)
		return (ti.tcpi_state == TCP_CLOSE);
#endif
	return (err == ECONNRESET);
}

/*
 * A TLS 1.3 server checks the client's certificate after the client's
 * handshake is done: its alert can cross the client's first bytes, which
 * the server's kernel then answers with a reset.  The alert still waits
 * in the socket; read up to it, for the reason it gives.
 */
const char *
tls_bev_alert(struct bufferevent *bev)
{
	SSL		*ssl = bufferevent_openssl_get_ssl(bev);
	char		 buf[4096];
	unsigned long	 e;
	int		 i;

	if (ssl == NULL)
		return (NULL);
	ERR_clear_error();
	for (i = 0; i < 16 && SSL_read(ssl, buf, sizeof buf) > 0; i++)
		continue;
	e = ERR_peek_last_error();
	ERR_clear_error();
	if (ERR_GET_LIB(e) != ERR_LIB_SSL ||
	    ERR_GET_REASON(e) < SSL_AD_REASON_OFFSET)
		return (NULL);
	return (ERR_reason_error_string(e));
}
