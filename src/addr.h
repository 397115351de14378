/*
 * Addresses: "KIND:param:param,opt=value,opt" (socat's syntax) parsed into a
 * struct addr, with one table of kinds and one table of options.  Each family
 * of kinds lives in addr_<family>.c behind a const struct addr_ops.
 */
#ifndef FERRY_ADDR_H
#define FERRY_ADDR_H

#include <sys/types.h>

#include <stdio.h>

struct event_base;
struct endpoint;
struct addr_open;
struct bound;
struct acl;

#define ADDR_MAXPARAMS	3

/* Option groups: a kind accepts the options of the groups it names. */
#define OG_LISTEN	0x0001	/* fork backlog max-children */
#define OG_UNIXLISTEN	0x0002	/* unlink-early unlink-close mode user group */
#define OG_IP		0x0004	/* bind reuseaddr pf */
#define OG_TCP		0x0008	/* nodelay keepalive */
#define OG_CONNECT	0x0010	/* retry interval forever connect-timeout */
#define OG_FILE		0x0020	/* append trunc creat excl rdonly wronly ... */
#define OG_FDPASS	0x0040	/* fdpass keepalive-interval */
#define OG_TLS		0x0080	/* tls cert key cafile verify ... */
#define OG_UNIX		0x0100	/* type */
#define OG_RECVFROM	0x4000	/* fork max-children on a datagram server */
#define OG_UNIXBIND	0x8000	/* bind: a UNIX datagram sender's own path */
#define OG_RANGE	0x10000	/* range: on IP listeners */
#define OG_PEERCRED	0x20000	/* allow-uid allow-gid: on UNIX listeners */
#define OG_SSH		0x40000	/* ssh ssh-option ssh-config identity */
#define OG_FIFO		0x400000 /* mode user group unlink-close: PIPE */
#define OG_PTY		0x800000 /* link raw echo wait-slave */
#define OG_READLINE	0x1000000 /* history prompt */
#define OG_SU		0x2000000 /* su: every listening kind, EXEC, SYSTEM */

/* Kind flags. */
#define KIND_LISTEN	0x0001	/* passive: binds and accepts */
#define KIND_REST	0x0002	/* the last parameter takes the rest, ':' too */
#define KIND_SHARED	0x0004	/* an fd of this process (stdio, FD:n) */
#define KIND_TLS	0x0008	/* the tls option is on by default */
#define KIND_RECV	0x0100	/* datagrams from anyone, no replies */
#define KIND_ABSTRACT	0x0200	/* a name in Linux's abstract namespace */

/* What the relay needs from an opened address. */
#define ADDR_RD		0x1
#define ADDR_WR		0x2
#define ADDR_MANY	0x4	/* opened once per connection, many at once */

struct addr_opts {
	int		 fork;
	char		*range;
	char		*allow_uid;
	char		*allow_gid;
	struct acl	*acl;		/* the three above, compiled */
	int		 fdpass;
	double		 keepalive_interval;	/* fdpass; -1: not given */
	int		 socktype;	/* 0: stream; SOCK_SEQPACKET */
	int		 backlog;
	int		 max_children;
	int		 reuseaddr;
	int		 unlink_early;
	int		 unlink_close;
	int		 mode;		/* -1: not given */
	int		 user_set;
	uid_t		 user;
	int		 group_set;
	gid_t		 group;
	char		*bind;
	int		 pf;		/* 0, 4 or 6 */
	int		 nodelay;
	int		 keepalive;
	int		 retry;
	int		 forever;
	double		 interval;
	double		 connect_timeout;
	int		 append;
	int		 trunc;
	int		 creat;
	int		 excl;
	int		 rdonly;
	int		 wronly;
	int		 tls;
	char		*cert;
	char		*key;
	char		*cafile;
	char		*capath;
	int		 verify;	/* -1: default (on) */
	char		*commonname;
	char		*snihost;
	char		*cipher;
	char		*min_version;
	char		*max_version;
	char		*fingerprint;
	char		*psk_file;
	char		*psk_identity;
	char		*ssh;		/* the ssh program */
	char		*ssh_options;	/* -o values, one a line */
	char		*ssh_config;
	char		*identity;
	char		*link;		/* PTY */
	int		 raw;
	int		 echo;		/* -1: not given */
	int		 wait_slave;
	char		*history;	/* READLINE */
	char		*prompt;
	char		*su;		/* priv.c: the user to become */
};

struct addr {
	const struct addr_kind	*kind;
	char			*text;		/* as typed, shortened */
	char			*params[ADDR_MAXPARAMS];
	int			 nparams;
	struct addr_opts	 o;
	struct addr		*wr;		/* "A!!B": B, written to */
	void			*tls;		/* tls.c's, once set up */
};

/*
 * A family's operations.  check validates parameters at parse time; open
 * starts an active open and finishes it with addr_open_done or
 * addr_open_fail; bind (listening kinds) returns a bound socket that is not
 * yet listening, and accepted (optional) prepares each accepted socket.
 */
struct addr_ops {
	int	(*check)(struct addr *, char **errp);
	void	(*open)(struct addr_open *);
	int	(*bind)(struct addr *, struct bound *);
	/* Socket options on an accepted connection; -1 with *errp. */
	int	(*accepted)(struct addr *, int fd, char **errp);
};

struct addr_kind {
	const char		*name;
	const struct addr_ops	*ops;
	const char		*params[ADDR_MAXPARAMS + 1];
	int			 nmin;		/* parameters required */
	unsigned		 groups;
	unsigned		 flags;
	int			 variant;	/* the family's own: AF_INET, ... */
	const char		*help;
};

/* A bound listening socket, as returned by ops->bind. */
struct bound {
	int		 fd;
	char		*path;		/* UNIX socket file to remove, or NULL */
	dev_t		 dev;
	ino_t		 ino;
	int		 inherited;	/* already listening, not ours to
					   listen(2) on again or remove */
};

/*
 * Parse one address (or a "A!!B" pair).  Returns an allocated addr, or NULL
 * with *errp set to an allocated one-line message that names the address.
 */
struct addr	*addr_parse(const char *text, char **errp);
/* Free an address from addr_parse. NULL is a no-op. */
void		 addr_free(struct addr *);
/* Nonzero if the address listens (either half of a pair). */
int		 addr_listens(const struct addr *);
/* Print every kind and option, from the parser's own tables. */
void		 addr_help(FILE *);
/* Print every kind (addr_help's first half), a line each, and aliases. */
void		 addr_help_kinds(FILE *);
/* Print every option (addr_help's second half) and the kinds taking it. */
void		 addr_help_options(FILE *);
/* Print the kinds by family, a few lines, for --help. */
void		 addr_help_families(FILE *);
/*
 * Print one kind (a name or alias): its syntax, aliases and the options
 * it takes.  Returns -1 after logging an error if there is no such kind.
 */
int		 addr_help_kind(FILE *, const char *);
/* The usage string of a kind, e.g. "TCP-CONNECT:<host>:<port>". Static. */
const char	*addr_usage(const struct addr_kind *);
/* Iterate over the kinds, for --help: returns NULL past the end. */
const struct addr_kind *addr_kind_at(int i);
/* The aliases of a kind, comma separated, into buf (static storage). */
const char	*addr_aliases(const struct addr_kind *);

typedef void	 addr_open_cb(struct endpoint *, void *);

/*
 * Open an address actively (connect, open a file, start a command, or for a
 * listening kind: accept one connection then close the listener).  need is
 * ADDR_RD|ADDR_WR, what the relay will do with it.  cb is called exactly
 * once, from the event loop and never before addr_open returns, with the
 * endpoint (owned by the callee) or NULL after the error was logged.
 * Returns a handle for addr_open_cancel, which frees it without a callback.
 */
struct addr_open *addr_open(struct addr *, struct event_base *, int need,
		    addr_open_cb *, void *);
void		 addr_open_cancel(struct addr_open *);

/* For the families: the state of an open in progress. */
struct addr	*addr_open_addr(struct addr_open *);
struct event_base *addr_open_base(struct addr_open *);
int		 addr_open_need(struct addr_open *);
/* Register the family's own state and how to free it on cancel/done. */
void		 addr_open_set_priv(struct addr_open *, void *,
		    void (*)(void *));
/* Finish: ep is handed to the caller. Frees the family's state. */
void		 addr_open_done(struct addr_open *, struct endpoint *);
/* Finish with an error: log "ADDR: message" and call back with NULL. */
void		 addr_open_fail(struct addr_open *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/*
 * The same for a failure whose system cause was err (0: none): "ADDR:
 * msg", except that running out of fds, which would repeat for every
 * connection, is said once a minute as "ADDR: what: strerror(err)"
 * (sock_fdshort).
 */
void		 addr_open_fail_cause(struct addr_open *, int err,
		    const char *what, const char *msg);
/* addr_open_fail_cause for a system call: msg is "what: strerror(err)". */
void		 addr_open_errno(struct addr_open *, int err, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* For the IP families (addr_ip.c): AF_INET, AF_INET6 or AF_UNSPEC from the
 * kind and pf=; host and port checked at parse time; getaddrinfo with a
 * one-line error ("[v6]" brackets removed; errno the system's cause, or
 * 0); bind= on a connecting socket. */
struct addrinfo;
int		 ip_family(const struct addr *);
/* Nonzero for 127.0.0.0/8, ::1 or localhost (brackets allowed). */
int		 ip_loopback(const char *host);
int		 ip_check(struct addr *, char **errp);
int		 ip_lookup(const char *host, const char *port, int family,
		    int socktype, int passive, struct addrinfo **, char **errp);
int		 ip_bind_local(struct addr *, int fd, int family, int socktype,
		    char **errp);

/* The family tables (addr_<family>.c). */
extern const struct addr_ops addr_stdio_ops;
extern const struct addr_ops addr_fd_ops;
extern const struct addr_ops addr_file_ops;
extern const struct addr_ops addr_unix_listen_ops;
extern const struct addr_ops addr_unix_connect_ops;
extern const struct addr_ops addr_abstract_listen_ops;
extern const struct addr_ops addr_abstract_connect_ops;
extern const struct addr_ops addr_tcp_listen_ops;
extern const struct addr_ops addr_tcp_connect_ops;
extern const struct addr_ops addr_exec_ops;
extern const struct addr_ops addr_udp_connect_ops;
extern const struct addr_ops addr_udp_server_ops;
extern const struct addr_ops addr_unix_sendto_ops;
extern const struct addr_ops addr_unix_recv_ops;
extern const struct addr_ops addr_activate_ops;
extern const struct addr_ops addr_vsock_listen_ops;
extern const struct addr_ops addr_vsock_connect_ops;
extern const struct addr_ops addr_ssh_ops;
extern const struct addr_ops addr_ssh_listen_ops;
extern const struct addr_ops addr_pipe_ops;
extern const struct addr_ops addr_pty_ops;
extern const struct addr_ops addr_readline_ops;

#endif
