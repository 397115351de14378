/*
 * The address grammar: one table of kinds, one table of options, one parser.
 *
 *	address	:= kind [":" param]* ["," option]*  |  address "!!" address
 *	option	:= name ["=" value]
 *
 * Kind and option names are case-insensitive.  Outside quotes, a backslash
 * takes the next character literally; '...' and "..." protect separators and
 * are removed; [...], (...) and {...} protect separators and are kept, so
 * "tcp:[::1]:80" splits into "[::1]" and "80".  A bare number is FD:n and a
 * bare path with a '/' is GOPEN:path, as in socat.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "acl.h"
#include "addr.h"
#include "endpoint.h"
#include "listener.h"
#include "tls.h"
#include "log.h"
#include "sock.h"
#include "xmalloc.h"

#define TEXT_MAX	64	/* address text echoed in messages */

static const struct addr_kind kinds[] = {
	{ "STDIO", &addr_stdio_ops, { NULL }, 0, OG_FDPASS, KIND_SHARED,
	  ADDR_RD|ADDR_WR, "standard input and output (also '-')" },
	{ "STDIN", &addr_stdio_ops, { NULL }, 0, 0, KIND_SHARED,
	  ADDR_RD, "standard input, read only" },
	{ "STDOUT", &addr_stdio_ops, { NULL }, 0, 0, KIND_SHARED,
	  ADDR_WR, "standard output, write only" },
	{ "STDERR", &addr_stdio_ops, { NULL }, 0, 0, KIND_SHARED,
	  4, "standard error, write only" },
	{ "FD", &addr_fd_ops, { "fd", NULL }, 1, OG_FDPASS, KIND_SHARED,
	  0, "an inherited file descriptor (also a bare number)" },
	{ "UNIX-LISTEN", &addr_unix_listen_ops, { "path", NULL }, 1,
	  OG_LISTEN | OG_UNIXLISTEN | OG_FDPASS | OG_TLS | OG_UNIX |
	  OG_PEERCRED, KIND_LISTEN | KIND_REST, 0,
	  "listen on a UNIX stream socket" },
	{ "UNIX-CONNECT", &addr_unix_connect_ops, { "path", NULL }, 1,
	  OG_CONNECT | OG_FDPASS | OG_TLS | OG_UNIX, KIND_REST, 0,
	  "connect to a UNIX stream socket" },
	{ "UNIX-CLIENT", &addr_unix_connect_ops, { "path", NULL }, 1,
	  OG_CONNECT | OG_FDPASS | OG_TLS | OG_UNIX, KIND_REST, 1,
	  "connect to a UNIX socket (also UNIX)" },
#ifdef HAVE_ABSTRACT_SOCKETS
	{ "ABSTRACT-LISTEN", &addr_abstract_listen_ops, { "name", NULL }, 1,
	  OG_LISTEN | OG_TLS | OG_PEERCRED, KIND_LISTEN | KIND_REST, 0,
	  "listen on an abstract UNIX stream socket (Linux; no file)" },
	{ "ABSTRACT-CONNECT", &addr_abstract_connect_ops, { "name", NULL }, 1,
	  OG_CONNECT | OG_TLS, KIND_REST, 0,
	  "connect to an abstract UNIX stream socket" },
	{ "ABSTRACT-CLIENT", &addr_abstract_connect_ops, { "name", NULL }, 1,
	  OG_CONNECT | OG_TLS, KIND_REST, 1,
	  "connect to an abstract UNIX socket (also ABSTRACT)" },
	{ "ABSTRACT-SENDTO", &addr_unix_sendto_ops, { "name", NULL }, 1,
	  OG_UNIXBIND, KIND_REST | KIND_ABSTRACT, 0,
	  "send datagrams to an abstract UNIX datagram socket" },
	{ "ABSTRACT-RECVFROM", &addr_unix_recv_ops, { "name", NULL }, 1,
	  OG_RECVFROM, KIND_LISTEN | KIND_REST | KIND_ABSTRACT, 0,
	  "abstract UNIX datagrams from a sender, replies to it" },
	{ "ABSTRACT-RECV", &addr_unix_recv_ops, { "name", NULL }, 1,
	  0, KIND_LISTEN | KIND_REST | KIND_RECV | KIND_ABSTRACT, 0,
	  "receive abstract UNIX datagrams from anyone, no replies" },
#endif
	{ "TCP-LISTEN", &addr_tcp_listen_ops, { "port", NULL }, 1,
	  OG_LISTEN | OG_IP | OG_TCP | OG_FDPASS | OG_TLS | OG_RANGE,
	  KIND_LISTEN, 0, "listen on TCP, IPv6 and IPv4" },
	{ "TCP4-LISTEN", &addr_tcp_listen_ops, { "port", NULL }, 1,
	  OG_LISTEN | OG_IP | OG_TCP | OG_FDPASS | OG_TLS | OG_RANGE,
	  KIND_LISTEN, 4, "listen on TCP, IPv4" },
	{ "TCP6-LISTEN", &addr_tcp_listen_ops, { "port", NULL }, 1,
	  OG_LISTEN | OG_IP | OG_TCP | OG_FDPASS | OG_TLS | OG_RANGE,
	  KIND_LISTEN, 6, "listen on TCP, IPv6" },
	{ "TCP-CONNECT", &addr_tcp_connect_ops, { "host", "port", NULL }, 2,
	  OG_IP | OG_TCP | OG_CONNECT | OG_FDPASS | OG_TLS, 0, 0,
	  "connect over TCP, every resolved address in turn (also TCP)" },
	{ "TCP4-CONNECT", &addr_tcp_connect_ops, { "host", "port", NULL }, 2,
	  OG_IP | OG_TCP | OG_CONNECT | OG_FDPASS | OG_TLS, 0, 4, "connect over TCP, IPv4 only" },
	{ "TCP6-CONNECT", &addr_tcp_connect_ops, { "host", "port", NULL }, 2,
	  OG_IP | OG_TCP | OG_CONNECT | OG_FDPASS | OG_TLS, 0, 6, "connect over TCP, IPv6 only" },
	{ "OPENSSL-CONNECT", &addr_tcp_connect_ops, { "host", "port", NULL }, 2,
	  OG_IP | OG_TCP | OG_CONNECT | OG_FDPASS | OG_TLS, KIND_TLS, 0,
	  "TLS client over TCP (verifies the server by default)" },
	{ "OPENSSL-LISTEN", &addr_tcp_listen_ops, { "port", NULL }, 1,
	  OG_LISTEN | OG_IP | OG_TCP | OG_FDPASS | OG_TLS | OG_RANGE,
	  KIND_LISTEN | KIND_TLS, 0, "TLS server on TCP (needs cert= or "
	  "psk-file=)" },
	{ "UDP-CONNECT", &addr_udp_connect_ops, { "host", "port", NULL }, 2,
	  OG_IP, 0, 0, "send and receive UDP datagrams, one peer (also UDP)" },
	{ "UDP4-CONNECT", &addr_udp_connect_ops, { "host", "port", NULL }, 2,
	  OG_IP, 0, 4, "UDP-CONNECT, IPv4 only" },
	{ "UDP6-CONNECT", &addr_udp_connect_ops, { "host", "port", NULL }, 2,
	  OG_IP, 0, 6, "UDP-CONNECT, IPv6 only" },
	{ "UDP-SENDTO", &addr_udp_connect_ops, { "host", "port", NULL }, 2,
	  OG_IP, 0, 0, "send UDP datagrams to host:port, take its replies" },
	{ "UDP4-SENDTO", &addr_udp_connect_ops, { "host", "port", NULL }, 2,
	  OG_IP, 0, 4, "UDP-SENDTO, IPv4 only" },
	{ "UDP6-SENDTO", &addr_udp_connect_ops, { "host", "port", NULL }, 2,
	  OG_IP, 0, 6, "UDP-SENDTO, IPv6 only" },
	{ "UDP-LISTEN", &addr_udp_server_ops, { "port", NULL }, 1,
	  OG_IP | OG_RECVFROM, KIND_LISTEN, 0,
	  "wait for a datagram, then talk to its sender" },
	{ "UDP4-LISTEN", &addr_udp_server_ops, { "port", NULL }, 1,
	  OG_IP | OG_RECVFROM, KIND_LISTEN, 4, "UDP-LISTEN, IPv4 only" },
	{ "UDP6-LISTEN", &addr_udp_server_ops, { "port", NULL }, 1,
	  OG_IP | OG_RECVFROM, KIND_LISTEN, 6, "UDP-LISTEN, IPv6 only" },
	{ "UDP-RECVFROM", &addr_udp_server_ops, { "port", NULL }, 1,
	  OG_IP | OG_RECVFROM, KIND_LISTEN, 0,
	  "datagrams from a sender, replies to it; fork: one each" },
	{ "UDP4-RECVFROM", &addr_udp_server_ops, { "port", NULL }, 1,
	  OG_IP | OG_RECVFROM, KIND_LISTEN, 4, "UDP-RECVFROM, IPv4 only" },
	{ "UDP6-RECVFROM", &addr_udp_server_ops, { "port", NULL }, 1,
	  OG_IP | OG_RECVFROM, KIND_LISTEN, 6, "UDP-RECVFROM, IPv6 only" },
	{ "UDP-RECV", &addr_udp_server_ops, { "port", NULL }, 1,
	  OG_IP, KIND_LISTEN | KIND_RECV, 0,
	  "receive UDP datagrams from anyone, no replies" },
	{ "UDP4-RECV", &addr_udp_server_ops, { "port", NULL }, 1,
	  OG_IP, KIND_LISTEN | KIND_RECV, 4, "UDP-RECV, IPv4 only" },
	{ "UDP6-RECV", &addr_udp_server_ops, { "port", NULL }, 1,
	  OG_IP, KIND_LISTEN | KIND_RECV, 6, "UDP-RECV, IPv6 only" },
	{ "UNIX-SENDTO", &addr_unix_sendto_ops, { "path", NULL }, 1,
	  OG_UNIXBIND, KIND_REST, 0,
	  "send datagrams to a UNIX datagram socket, take its replies" },
	{ "UNIX-RECVFROM", &addr_unix_recv_ops, { "path", NULL }, 1,
	  OG_UNIXLISTEN | OG_RECVFROM, KIND_LISTEN | KIND_REST, 0,
	  "UNIX datagrams from a sender, replies to it; fork: one each" },
	{ "UNIX-RECV", &addr_unix_recv_ops, { "path", NULL }, 1,
	  OG_UNIXLISTEN, KIND_LISTEN | KIND_REST | KIND_RECV, 0,
	  "receive UNIX datagrams from anyone, no replies" },
	{ "EXEC", &addr_exec_ops, { "command", NULL }, 1, OG_FDPASS | OG_TLS,
	  KIND_REST, 0,
	  "run a command (no shell) on a socketpair" },
	{ "SYSTEM", &addr_exec_ops, { "command", NULL }, 1, OG_FDPASS | OG_TLS,
	  KIND_REST,
	  1,
	  "run a shell command on a socketpair" },
#ifdef HAVE_LINUX_VM_SOCKETS_H
	{ "VSOCK-LISTEN", &addr_vsock_listen_ops, { "port", NULL }, 1,
	  OG_LISTEN | OG_TLS, KIND_LISTEN, 0,
	  "listen on a vsock port, any CID (Linux VMs and hosts)" },
	{ "VSOCK-CONNECT", &addr_vsock_connect_ops, { "cid", "port", NULL }, 2,
	  OG_CONNECT | OG_TLS, 0, 0,
	  "connect over vsock; CID 2 is the host (also VSOCK)" },
#endif
	/* Inherited listening sockets (addr_activate.c); 1: by name. */
	{ "ACCEPT-FD", &addr_activate_ops, { "fd", NULL }, 1,
	  OG_LISTEN | OG_TLS | OG_RANGE | OG_PEERCRED, KIND_LISTEN, 0,
	  "accept on an inherited listening socket (socket activation)" },
	{ "SYSTEMD", &addr_activate_ops, { "name", NULL }, 0,
	  OG_LISTEN | OG_TLS | OG_RANGE | OG_PEERCRED, KIND_LISTEN, 1,
	  "accept on a socket systemd passed, by name (default: the first)" },
	/* Through the system's ssh: a remote UNIX socket (addr_ssh.c). */
	{ "SSH", &addr_ssh_ops, { "host", "path", NULL }, 2,
	  OG_CONNECT | OG_FDPASS | OG_SSH, KIND_REST, 0,
	  "a UNIX socket on [user@]host, path as [port:]/path, over ssh" },
	{ "SSH-LISTEN", &addr_ssh_listen_ops, { "host", "path", NULL }, 2,
	  OG_LISTEN | OG_FDPASS | OG_SSH, KIND_LISTEN | KIND_REST, 0,
	  "listen on a UNIX socket on [user@]host ([port:]/path), ssh -R" },
	{ "OPEN", &addr_file_ops, { "path", NULL }, 1, OG_FILE, KIND_REST, 0,
	  "open an existing file" },
	{ "CREATE", &addr_file_ops, { "path", NULL }, 1, OG_FILE, KIND_REST, 1,
	  "create or truncate a file, write only" },
	{ "GOPEN", &addr_file_ops, { "path", NULL }, 1, OG_FILE, KIND_REST, 2,
	  "open a file, or connect if it is a UNIX socket" },
	{ "PIPE", &addr_pipe_ops, { "path", NULL }, 0, OG_FIFO, KIND_REST, 0,
	  "a named pipe, made if missing; alone: an unnamed pipe (echo)" },
	{ "PTY", &addr_pty_ops, { NULL }, 0, OG_PTY, 0, 0,
	  "a new pseudo terminal; a program opens its slave (see link=)" },
	{ "READLINE", &addr_readline_ops, { NULL }, 0, OG_READLINE,
	  KIND_SHARED, ADDR_RD | ADDR_WR,
	  "the terminal, lines edited with history (libedit)" },
};

static const struct {
	const char	*alias;
	const char	*name;
} aliases[] = {
	{ "-", "STDIO" },
	{ "TCP", "TCP-CONNECT" },
	{ "TCP4", "TCP4-CONNECT" },
	{ "TCP6", "TCP6-CONNECT" },
	{ "TCP-L", "TCP-LISTEN" },
	{ "TCP4-L", "TCP4-LISTEN" },
	{ "TCP6-L", "TCP6-LISTEN" },
	{ "UDP", "UDP-CONNECT" },
	{ "UDP4", "UDP4-CONNECT" },
	{ "UDP6", "UDP6-CONNECT" },
	{ "UDP-L", "UDP-LISTEN" },
	{ "UDP4-L", "UDP4-LISTEN" },
	{ "UDP6-L", "UDP6-LISTEN" },
	{ "UNIX", "UNIX-CLIENT" },
	{ "UNIX-L", "UNIX-LISTEN" },
	{ "LOCAL", "UNIX-CLIENT" },
#ifdef HAVE_ABSTRACT_SOCKETS
	{ "ABSTRACT", "ABSTRACT-CLIENT" },
#endif
	{ "CREAT", "CREATE" },
#ifdef HAVE_LINUX_VM_SOCKETS_H
	{ "VSOCK", "VSOCK-CONNECT" },
	{ "VSOCK-L", "VSOCK-LISTEN" },
#endif
	{ "OPENSSL", "OPENSSL-CONNECT" },
	{ "SSL", "OPENSSL-CONNECT" },
	{ "OPENSSL-L", "OPENSSL-LISTEN" },
	{ "SSL-L", "OPENSSL-LISTEN" },
};

enum opt_type {
	OT_BOOL,
	OT_UINT,
	OT_TIME,
	OT_MODE,
	OT_USER,
	OT_GROUP,
	OT_STRING,
	OT_PF,
	OT_SOCKTYPE,
	OT_LIST,	/* a string; given again, one more line */
};

static const struct opt {
	const char	*name;
	const char	*alias;
	enum opt_type	 type;
	size_t		 off;
	unsigned	 groups;
	const char	*help;
} opts[] = {
#define O(f)	offsetof(struct addr_opts, f)
	{ "fork", NULL, OT_BOOL, O(fork), OG_LISTEN | OG_RECVFROM,
	  "serve every connection, each on its own (no fork(2))" },
	{ "fdpass", NULL, OT_BOOL, O(fdpass), OG_FDPASS,
	  "carry fds passed with SCM_RIGHTS across a hop (see ferry(1))" },
	{ "keepalive-interval", NULL, OT_TIME, O(keepalive_interval),
	  OG_FDPASS, "fdpass: seconds between pings of a quiet hop "
	  "(default 15, 0: off); 3 silent intervals lose it" },
	{ "range", NULL, OT_STRING, O(range), OG_RANGE,
	  "allow only clients from these ADDR[/BITS] (space separated)" },
	{ "allow-uid", NULL, OT_STRING, O(allow_uid), OG_PEERCRED,
	  "allow only peers running as these users (names or uids)" },
	{ "allow-gid", NULL, OT_STRING, O(allow_gid), OG_PEERCRED,
	  "allow only peers whose primary group is one of these" },
	{ "backlog", NULL, OT_UINT, O(backlog), OG_LISTEN,
	  "listen(2) backlog (default: the system maximum)" },
	{ "max-children", "max-conns", OT_UINT, O(max_children),
	  OG_LISTEN | OG_RECVFROM,
	  "refuse connections beyond this many at once" },
	{ "reuseaddr", NULL, OT_BOOL, O(reuseaddr), OG_IP,
	  "SO_REUSEADDR (default on for listeners)" },
	{ "bind", NULL, OT_STRING, O(bind), OG_IP | OG_UNIXBIND,
	  "local address: host on a listener; host, host:port or "
	  "[v6]:port on a connecting address; a path on UNIX-SENDTO" },
	{ "pf", "protocol-family", OT_PF, O(pf), OG_IP,
	  "ip4 or ip6: the protocol family to use" },
	{ "nodelay", "tcp-nodelay", OT_BOOL, O(nodelay), OG_TCP,
	  "TCP_NODELAY (default on)" },
	{ "keepalive", "so-keepalive", OT_BOOL, O(keepalive), OG_TCP,
	  "SO_KEEPALIVE" },
	{ "type", "socktype", OT_SOCKTYPE, O(socktype), OG_UNIX,
	  "stream (default) or seqpacket: the UNIX socket's type" },
	{ "unlink-early", NULL, OT_BOOL, O(unlink_early), OG_UNIXLISTEN,
	  "remove whatever file is at the path before binding" },
	{ "unlink-close", NULL, OT_BOOL, O(unlink_close),
	  OG_UNIXLISTEN | OG_FILE | OG_FIFO,
	  "remove the file when closed (default: 1 for listeners)" },
	{ "mode", "perm", OT_MODE, O(mode),
	  OG_UNIXLISTEN | OG_FILE | OG_FIFO,
	  "permissions of the created socket or file, octal" },
	{ "user", "owner", OT_USER, O(user),
	  OG_UNIXLISTEN | OG_FILE | OG_FIFO,
	  "owner of the created socket or file (name or uid)" },
	{ "group", NULL, OT_GROUP, O(group),
	  OG_UNIXLISTEN | OG_FILE | OG_FIFO,
	  "group of the created socket or file (name or gid)" },
	{ "retry", NULL, OT_UINT, O(retry), OG_CONNECT,
	  "connect attempts after the first failure" },
	{ "interval", NULL, OT_TIME, O(interval), OG_CONNECT,
	  "seconds between connect attempts (default 1)" },
	{ "forever", NULL, OT_BOOL, O(forever), OG_CONNECT,
	  "retry connecting without end" },
	{ "connect-timeout", NULL, OT_TIME, O(connect_timeout), OG_CONNECT,
	  "give up on one connect attempt after this many seconds" },
	{ "append", "o-append", OT_BOOL, O(append), OG_FILE,
	  "O_APPEND" },
	{ "trunc", "o-trunc", OT_BOOL, O(trunc), OG_FILE,
	  "O_TRUNC" },
	{ "creat", "o-creat", OT_BOOL, O(creat), OG_FILE,
	  "O_CREAT" },
	{ "excl", "o-excl", OT_BOOL, O(excl), OG_FILE,
	  "O_EXCL" },
	{ "rdonly", "o-rdonly", OT_BOOL, O(rdonly), OG_FILE,
	  "open read only" },
	{ "wronly", "o-wronly", OT_BOOL, O(wronly), OG_FILE,
	  "open write only" },
	{ "tls", NULL, OT_BOOL, O(tls), OG_TLS,
	  "TLS on this stream (client, or server on a listener)" },
	{ "cert", "certificate", OT_STRING, O(cert), OG_TLS,
	  "certificate chain file (PEM); the key too unless key= is given" },
	{ "key", NULL, OT_STRING, O(key), OG_TLS, "private key file (PEM)" },
	{ "cafile", NULL, OT_STRING, O(cafile), OG_TLS,
	  "trusted CAs (PEM); on a server: require client certificates" },
	{ "capath", NULL, OT_STRING, O(capath), OG_TLS,
	  "directory of trusted CAs (c_rehash layout)" },
	{ "verify", NULL, OT_BOOL, O(verify), OG_TLS,
	  "check the peer's certificate (default 1)" },
	{ "commonname", "cn", OT_STRING, O(commonname), OG_TLS,
	  "the name the server's certificate must carry (default: host)" },
	{ "snihost", NULL, OT_STRING, O(snihost), OG_TLS,
	  "the server name sent with SNI (default: host)" },
	{ "cipher", "ciphers", OT_STRING, O(cipher), OG_TLS,
	  "OpenSSL cipher list or TLS 1.3 cipher suites" },
	{ "min-version", NULL, OT_STRING, O(min_version), OG_TLS,
	  "lowest TLS version: TLSv1.2 (default) or TLSv1.3" },
	{ "max-version", NULL, OT_STRING, O(max_version), OG_TLS,
	  "highest TLS version: TLSv1.2 or TLSv1.3" },
	{ "fingerprint", NULL, OT_STRING, O(fingerprint), OG_TLS,
	  "sha256:HEX: accept exactly this peer certificate" },
	{ "psk-file", NULL, OT_STRING, O(psk_file), OG_TLS,
	  "TLS 1.3 pre-shared key in hex, mode 0600 (ferry --gen-psk)" },
	{ "psk-identity", NULL, OT_STRING, O(psk_identity), OG_TLS,
	  "identity of the pre-shared key (default: ferry)" },
	{ "ssh", NULL, OT_STRING, O(ssh), OG_SSH,
	  "the ssh program (default: ssh, from PATH)" },
	{ "ssh-option", NULL, OT_LIST, O(ssh_options), OG_SSH,
	  "an ssh -o option, e.g. Port=2222 (may be repeated)" },
	{ "ssh-config", NULL, OT_STRING, O(ssh_config), OG_SSH,
	  "ssh -F: this config file instead of ~/.ssh/config" },
	{ "identity", NULL, OT_STRING, O(identity), OG_SSH,
	  "ssh -i: the private key to log in with" },
	{ "link", NULL, OT_STRING, O(link), OG_PTY,
	  "a symlink at this path to the pty's slave, removed at exit" },
	{ "raw", NULL, OT_BOOL, O(raw), OG_PTY,
	  "raw mode: no line editing, no translation, no signals" },
	{ "echo", NULL, OT_BOOL, O(echo), OG_PTY,
	  "echo=0: the pty does not echo what it receives" },
	{ "wait-slave", "waitslave", OT_BOOL, O(wait_slave), OG_PTY,
	  "relay only once a process has opened the slave" },
	{ "history", "history-file", OT_STRING, O(history), OG_READLINE,
	  "READLINE: load the history from this file, save it at exit" },
	{ "prompt", NULL, OT_STRING, O(prompt), OG_READLINE,
	  "READLINE: the prompt shown before each line" },
	{ "su", "su-d", OT_STRING, O(su), OG_SU,
	  "once listening, run as this user, and start commands as it" },
#undef O
};

/* Kinds this build lacks, for a better message than "unknown". */
static const char *const unbuilt[] = {
#ifndef HAVE_ABSTRACT_SOCKETS
	"ABSTRACT-LISTEN", "ABSTRACT-CONNECT", "ABSTRACT-CLIENT", "ABSTRACT",
	"ABSTRACT-SENDTO", "ABSTRACT-RECVFROM", "ABSTRACT-RECV",
#endif
#ifndef HAVE_LINUX_VM_SOCKETS_H
	"VSOCK-LISTEN", "VSOCK-CONNECT", "VSOCK", "VSOCK-L",
#endif
	NULL
};

static char	*shorten(const char *);
static const struct addr_kind *find_kind(const char *, size_t);

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* A kind's option groups; su= (OG_SU) goes with every listening kind and
 * with EXEC and SYSTEM. */
static unsigned
kind_groups(const struct addr_kind *k)
{
	if ((k->flags & KIND_LISTEN) || k->ops == &addr_exec_ops)
		return (k->groups | OG_SU);
	return (k->groups);
}

const struct addr_kind *
addr_kind_at(int i)
{
	if (i < 0 || (size_t)i >= nitems(kinds))
		return (NULL);
	return (&kinds[i]);
}

const char *
addr_aliases(const struct addr_kind *k)
{
	static char	buf[128];
	size_t		i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < nitems(aliases) && len < sizeof buf; i++) {
		if (strcmp(aliases[i].name, k->name) != 0)
			continue;
		len += snprintf(buf + len, sizeof buf - len, "%s%s",
		    len > 0 ? ", " : "", aliases[i].alias);
	}
	return (buf);
}

static const char *
group_kinds(unsigned groups, char *buf, size_t size)
{
	size_t	i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < nitems(kinds) && len < size; i++) {
		if ((kind_groups(&kinds[i]) & groups) == 0)
			continue;
		len += snprintf(buf + len, size - len, "%s%s",
		    len > 0 ? " " : "", kinds[i].name);
	}
	return (buf);
}

void
addr_help_kinds(FILE *f)
{
	const struct addr_kind	*k;
	const char		*al;
	size_t			 i;

	fprintf(f, "Address kinds (names are case-insensitive):\n");
	for (i = 0; i < nitems(kinds); i++) {
		k = &kinds[i];
		fprintf(f, "  %-34s %s\n", addr_usage(k), k->help);
		if (*(al = addr_aliases(k)) != '\0')
			fprintf(f, "  %-34s   alias: %s\n", "", al);
	}
}

void
addr_help_options(FILE *f)
{
	char	buf[1024];
	size_t	i;

	fprintf(f, "Address options (KIND:params,opt=value,opt):\n");
	for (i = 0; i < nitems(opts); i++) {
		fprintf(f, "  %-16s %s\n", opts[i].name, opts[i].help);
		fprintf(f, "  %-16s   for: %s\n", "",
		    group_kinds(opts[i].groups, buf, sizeof buf));
	}
}

void
addr_help(FILE *f)
{
	addr_help_kinds(f);
	fprintf(f, "\n");
	addr_help_options(f);
}

/*
 * The families of --help's short list, by the kinds' operations; the kinds
 * that imply TLS make a family of their own.
 */
static const struct family {
	const char		*name;
	const struct addr_ops	*ops[7];
} families[] = {
	{ "stdio, files, programs", { &addr_stdio_ops, &addr_file_ops,
	  &addr_pipe_ops, &addr_exec_ops } },
#ifdef HAVE_ABSTRACT_SOCKETS
	{ "UNIX, abstract", { &addr_unix_listen_ops, &addr_unix_connect_ops,
	  &addr_abstract_listen_ops, &addr_abstract_connect_ops,
#else
	{ "UNIX", { &addr_unix_listen_ops, &addr_unix_connect_ops,
#endif
	  &addr_unix_sendto_ops, &addr_unix_recv_ops } },
#ifdef HAVE_LINUX_VM_SOCKETS_H
	{ "TCP, UDP, vsock", { &addr_tcp_listen_ops, &addr_tcp_connect_ops,
	  &addr_udp_connect_ops, &addr_udp_server_ops,
	  &addr_vsock_listen_ops, &addr_vsock_connect_ops } },
#else
	{ "TCP, UDP", { &addr_tcp_listen_ops, &addr_tcp_connect_ops,
	  &addr_udp_connect_ops, &addr_udp_server_ops } },
#endif
	{ "TLS", { NULL } },
	{ "ssh", { &addr_ssh_ops, &addr_ssh_listen_ops } },
	{ "systemd, fds", { &addr_activate_ops, &addr_fd_ops } },
	{ "terminals", { &addr_pty_ops, &addr_readline_ops } },
};

static int
family_has(const struct family *fam, const struct addr_kind *k)
{
	size_t	i;

	if (k->flags & KIND_TLS)
		return (fam->ops[0] == NULL);
	for (i = 0; i < nitems(fam->ops) && fam->ops[i] != NULL; i++)
		if (fam->ops[i] == k->ops)
			return (1);
	return (0);
}

/*
 * A TCP4- or UDP6- form of another kind: its name less the digit is one.
 * Returns the length of the name up to and including the digit, or 0.
 */
static size_t
ip_variant(const struct addr_kind *k)
{
	const char	*d;
	char		 base[64];

	if ((d = strpbrk(k->name, "46")) == NULL || d == k->name ||
	    strlen(k->name) >= sizeof base)
		return (0);
	snprintf(base, sizeof base, "%.*s%s", (int)(d - k->name), k->name,
	    d + 1);
	if (find_kind(base, strlen(base)) == NULL)
		return (0);
	return ((size_t)(d - k->name) + 1);
}

/* Print word after the others on a line of at most 78 columns. */
static void
help_word(FILE *f, const char *word, size_t *col, size_t indent)
{
	if (*col + 1 + strlen(word) > 78) {
		fprintf(f, "\n%*s", (int)indent, "");
		*col = indent;
	} else if (*col > indent) {
		fputc(' ', f);
		(*col)++;
	}
	fputs(word, f);
	*col += strlen(word);
}

void
addr_help_families(FILE *f)
{
	const struct family	*fam;
	char			 word[64], seen[256];
	size_t			 i, j, n, col, len;

	fprintf(f, "Address kinds (ferry help kinds: all, with aliases):\n");
	for (i = 0; i < nitems(families); i++) {
		fam = &families[i];
		col = (size_t)fprintf(f, "  %s:%*s", fam->name,
		    (int)(23 - strlen(fam->name)), "");
		for (j = 0; j < nitems(kinds); j++) {
			if (family_has(fam, &kinds[j]) &&
			    ip_variant(&kinds[j]) == 0)
				help_word(f, kinds[j].name, &col, 26);
		}
		/* The IPv4 and IPv6 forms, as TCP4-* and UDP6-*. */
		seen[0] = '\0';
		len = 0;
		for (j = 0; j < nitems(kinds); j++) {
			if (!family_has(fam, &kinds[j]) ||
			    (n = ip_variant(&kinds[j])) == 0)
				continue;
			snprintf(word, sizeof word, "%.*s-*", (int)n,
			    kinds[j].name);
			if (strstr(seen, word) != NULL)
				continue;
			if (seen[0] == '\0')
				help_word(f, "and", &col, 26);
			help_word(f, word, &col, 26);
			if (len < sizeof seen)
				len += (size_t)snprintf(seen + len,
				    sizeof seen - len, " %s", word);
		}
		fprintf(f, "\n");
	}
}

static const char *
usage_as(const char *typed, const struct addr_kind *k)
{
	static char	buf[256];
	const char	*const *p;
	size_t		len;

	snprintf(buf, sizeof buf, "%s", typed);
	for (p = k->params; *p != NULL; p++) {
		len = strlen(buf);
		snprintf(buf + len, sizeof buf - len, ":<%s>", *p);
	}
	return (buf);
}

const char *
addr_usage(const struct addr_kind *k)
{
	return (usage_as(k->name, k));
}

static int
nparams_max(const struct addr_kind *k)
{
	int	n = 0;

	while (k->params[n] != NULL)
		n++;
	return (n);
}

static const struct addr_kind *
find_kind(const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < nitems(aliases); i++) {
		if (strlen(aliases[i].alias) == len &&
		    strncasecmp(aliases[i].alias, name, len) == 0) {
			name = aliases[i].name;
			len = strlen(name);
			break;
		}
	}
	for (i = 0; i < nitems(kinds); i++) {
		if (strlen(kinds[i].name) == len &&
		    strncasecmp(kinds[i].name, name, len) == 0)
			return (&kinds[i]);
	}
	return (NULL);
}

/*
 * Edit distance, for "did you mean" hints on short names; SIZE_MAX when it
 * is surely at least limit (the lengths alone tell).
 */
static size_t
distance(const char *a, const char *b, size_t limit)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, prev, tmp, best;
	size_t	row[32];

	if (la >= nitems(row) || lb >= nitems(row) ||
	    (la > lb ? la - lb : lb - la) >= limit)
		return (SIZE_MAX);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]));
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return (row[lb]);
}

static const char *
closest_kind(const char *name)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = 3;

	/* Control bytes were not a typo of a kind's name. */
	for (i = 0; name[i] != '\0'; i++)
		if (!isprint((unsigned char)name[i]))
			return (NULL);
	for (i = 0; i < nitems(kinds); i++) {
		if ((d = distance(name, kinds[i].name, bestd)) < bestd) {
			bestd = d;
			best = kinds[i].name;
		}
	}
	for (i = 0; i < nitems(aliases); i++) {
		if ((d = distance(name, aliases[i].alias, bestd)) < bestd) {
			bestd = d;
			best = aliases[i].alias;
		}
	}
	return (best);
}

int
addr_help_kind(FILE *f, const char *name)
{
	const struct addr_kind	*k;
	const char		*hint;
	char			*safe;
	size_t			 i;
	int			 n = 0;

	if ((k = find_kind(name, strlen(name))) == NULL) {
		safe = shorten(name);
		if (strlen(name) <= 32 && (hint = closest_kind(name)) != NULL)
			log_err("unknown address kind '%s', did you mean %s?",
			    safe, hint);
		else
			log_err("unknown address kind '%s' (see ferry --help)",
			    safe);
		x_free(safe);
		return (-1);
	}
	fprintf(f, "%s\n  %s\n", addr_usage(k), k->help);
	if (*addr_aliases(k) != '\0')
		fprintf(f, "  alias: %s\n", addr_aliases(k));
	for (i = 0; i < nitems(opts); i++) {
		if ((opts[i].groups & kind_groups(k)) == 0)
			continue;
		if (n++ == 0)
			fprintf(f, "\nOptions:\n");
		fprintf(f, "  %-16s %s\n", opts[i].name, opts[i].help);
	}
	if (n == 0)
		fprintf(f, "\nNo options.\n");
	return (0);
}

/* A growable string. */
struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

static void
buf_add(struct buf *b, char c)
{
	if (b->len + 2 > b->cap) {
		b->cap = b->cap == 0 ? 64 : b->cap * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

static char *
buf_take(struct buf *b)
{
	char	*s = b->s != NULL ? b->s : xstrdup("");

	memset(b, 0, sizeof *b);
	return (s);
}

/*
 * Find the first occurrence of sep outside quotes, brackets and escapes.
 * Returns its offset, or -1.
 */
static ssize_t
find_toplevel(const char *s, const char *sep)
{
	size_t	i, seplen = strlen(sep);
	int	depth = 0;
	char	quote = '\0';

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' && quote != '\'') {
			if (s[i + 1] == '\0')
				break;
			i++;
			continue;
		}
		if (quote != '\0') {
			if (s[i] == quote)
				quote = '\0';
			continue;
		}
		if (s[i] == '\'' || s[i] == '"')
			quote = s[i];
		else if (strchr("[({", s[i]) != NULL)
			depth++;
		else if (strchr("])}", s[i]) != NULL && depth > 0)
			depth--;
		else if (depth == 0 && strncmp(s + i, sep, seplen) == 0)
			return ((ssize_t)i);
	}
	return (-1);
}

/*
 * Split s (the text after "kind:", or after the kind if it has no
 * parameters) into at most maxp parameters and any number of options.  With
 * rest set, the last parameter takes ':' literally.  Returns 0, or -1 with
 * *errp set.
 */
static int
split_fields(const char *s, int maxp, int rest, int has_params, struct addr *a,
    char ***optv, int *optc, char **errp)
{
	struct buf	 cur = { NULL, 0, 0 };
	char		 stack[16], quote = '\0';
	int		 depth = 0, in_opts = !has_params;
	size_t		 i;

	*optv = NULL;
	*optc = 0;
	for (i = 0;; i++) {
		char	c = s[i];

		if (c == '\0' || (quote == '\0' && depth == 0 && (c == ',' ||
		    (c == ':' && !in_opts && !(rest && a->nparams == maxp - 1))))) {
			if (quote != '\0') {
				*errp = xasprintf("unterminated %c quote", quote);
				goto fail;
			}
			if (depth != 0) {
				*errp = xasprintf("unclosed '%c'", stack[depth - 1]);
				goto fail;
			}
			if (!in_opts) {
				if (a->nparams == maxp) {
					*errp = xstrdup("too many parameters");
					goto fail;
				}
				a->params[a->nparams++] = buf_take(&cur);
			} else if (cur.len > 0) {
				*optv = xrealloc(*optv, (*optc + 1) * sizeof **optv);
				(*optv)[(*optc)++] = buf_take(&cur);
			} else if (c != '\0' || i > 0) {
				/* "kind:x,,y" or a trailing ',' */
				if (c != '\0' || s[i - 1] == ',') {
					*errp = xstrdup("empty option");
					goto fail;
				}
			}
			if (c == '\0')
				break;
			if (c == ',')
				in_opts = 1;
			continue;
		}
		if (c == '\\' && quote != '\'') {
			if (s[i + 1] == '\0') {
				*errp = xstrdup("backslash at the end");
				goto fail;
			}
			buf_add(&cur, s[++i]);
			continue;
		}
		if (quote != '\0') {
			if (c == quote)
				quote = '\0';
			else
				buf_add(&cur, c);
			continue;
		}
		if (c == '\'' || c == '"') {
			quote = c;
			continue;
		}
		if (strchr("[({", c) != NULL) {
			if (depth == (int)sizeof stack) {
				*errp = xstrdup("brackets nested too deeply");
				goto fail;
			}
			stack[depth++] = c;
		} else if (depth > 0 && c == ")]}"[strchr("([{", stack[depth -
		    1]) - "([{"])
			depth--;
		buf_add(&cur, c);
	}
	x_free(cur.s);
	return (0);

fail:
	x_free(cur.s);
	return (-1);
}

static int
parse_uint(const char *s, long max, long *out)
{
	char	*end;
	long	 v;

	if (*s == '\0' || !isdigit((unsigned char)*s))
		return (-1);
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > max)
		return (-1);
	*out = v;
	return (0);
}

static int
parse_bool(const char *v, int *out)
{
	if (v == NULL || strcmp(v, "1") == 0 || strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0)
		*out = 1;
	else if (strcmp(v, "0") == 0 || strcasecmp(v, "no") == 0 ||
	    strcasecmp(v, "false") == 0 || strcasecmp(v, "off") == 0)
		*out = 0;
	else
		return (-1);
	return (0);
}

/* *tls_opt is set to the name of a TLS option other than tls itself. */
static int
set_option(struct addr *a, const char *text, char **errp,
    const char **tls_opt)
{
	const struct opt	*o = NULL;
	char			*name, *eq;
	const char		*v;
	void			*field;
	struct passwd		*pw;
	struct group		*gr;
	size_t			 i;
	long			 n;
	double			 d;
	char			*end;
	int			 rc = -1;

	name = xstrdup(text);
	if ((eq = strchr(name, '=')) != NULL)
		*eq = '\0';
	v = eq != NULL ? eq + 1 : NULL;
	for (i = 0; i < nitems(opts); i++) {
		if (strcasecmp(opts[i].name, name) == 0 ||
		    (opts[i].alias != NULL &&
		    strcasecmp(opts[i].alias, name) == 0)) {
			o = &opts[i];
			break;
		}
	}
	if (o == NULL) {
		char	*safe = shorten(name);

		*errp = xasprintf("unknown option '%s' for %s", safe,
		    a->kind->name);
		x_free(safe);
		goto out;
	}
	if ((o->groups & kind_groups(a->kind)) == 0) {
		*errp = xasprintf("option '%s' does not apply to %s", o->name,
		    a->kind->name);
		goto out;
	}
	if (o->type != OT_BOOL && (v == NULL || *v == '\0')) {
		*errp = xasprintf("option '%s' needs a value", o->name);
		goto out;
	}
	if (o->groups == OG_TLS && o->off != offsetof(struct addr_opts, tls))
		*tls_opt = o->name;
	field = (char *)&a->o + o->off;
	switch (o->type) {
	case OT_BOOL:
		if (parse_bool(v, field) == -1) {
			*errp = xasprintf("option '%s' takes 0 or 1, not "
			    "'%.32s'", o->name, v);
			goto out;
		}
		break;
	case OT_UINT:
		if (parse_uint(v, INT_MAX, &n) == -1) {
			*errp = xasprintf("option '%s' needs a whole number, "
			    "not '%.32s'", o->name, v);
			goto out;
		}
		*(int *)field = (int)n;
		break;
	case OT_TIME:
		errno = 0;
		d = strtod(v, &end);
		if (errno != 0 || *end != '\0' || end == v || !isfinite(d) ||
		    d < 0 || d > 1e7 || !isdigit((unsigned char)*v) ||
		    strspn(v, "0123456789.") != strlen(v)) {
			*errp = xasprintf("option '%s' needs seconds, not "
			    "'%.32s'", o->name, v);
			goto out;
		}
		*(double *)field = d;
		break;
	case OT_MODE:
		errno = 0;
		n = strtol(v, &end, 8);
		if (errno != 0 || *end != '\0' || n < 0 || n > 07777 ||
		    !isdigit((unsigned char)*v)) {
			*errp = xasprintf("option '%s' needs an octal mode like "
			    "0600, not '%.32s'", o->name, v);
			goto out;
		}
		*(int *)field = (int)n;
		break;
	case OT_USER:
		if (parse_uint(v, INT_MAX, &n) == 0)
			a->o.user = (uid_t)n;
		else if ((pw = getpwnam(v)) != NULL)
			a->o.user = pw->pw_uid;
		else {
			*errp = xasprintf("unknown user '%.32s'", v);
			goto out;
		}
		a->o.user_set = 1;
		break;
	case OT_GROUP:
		if (parse_uint(v, INT_MAX, &n) == 0)
			a->o.group = (gid_t)n;
		else if ((gr = getgrnam(v)) != NULL)
			a->o.group = gr->gr_gid;
		else {
			*errp = xasprintf("unknown group '%.32s'", v);
			goto out;
		}
		a->o.group_set = 1;
		break;
	case OT_STRING:
		x_free(*(char **)field);
		*(char **)field = xstrdup(v);
		break;
	case OT_LIST:
		if (*(char **)field == NULL)
			*(char **)field = xstrdup(v);
		else {
			char	*old = *(char **)field;

			*(char **)field = xasprintf("%s\n%s", old, v);
			x_free(old);
		}
		break;
	case OT_SOCKTYPE:
		if (strcasecmp(v, "stream") == 0)
			a->o.socktype = 0;
#if HAVE_DECL_SOCK_SEQPACKET
		else if (strcasecmp(v, "seqpacket") == 0)
			a->o.socktype = SOCK_SEQPACKET;
#endif
		else {
			*errp = xasprintf("option 'type' takes stream"
#if HAVE_DECL_SOCK_SEQPACKET
			    " or seqpacket"
#endif
			    ", not '%.32s'", v);
			goto out;
		}
		break;
	case OT_PF:
		if (strcasecmp(v, "ip4") == 0 || strcasecmp(v, "ipv4") == 0 ||
		    strcasecmp(v, "inet") == 0 || strcmp(v, "4") == 0)
			a->o.pf = 4;
		else if (strcasecmp(v, "ip6") == 0 ||
		    strcasecmp(v, "ipv6") == 0 ||
		    strcasecmp(v, "inet6") == 0 || strcmp(v, "6") == 0)
			a->o.pf = 6;
		else {
			*errp = xasprintf("option 'pf' takes ip4 or ip6, not "
			    "'%.32s'", v);
			goto out;
		}
		break;
	}
	rc = 0;
out:
	x_free(name);
	return (rc);
}

static void
opts_init(struct addr_opts *o)
{
	memset(o, 0, sizeof *o);
	o->backlog = -1;
	o->reuseaddr = -1;
	o->unlink_close = -1;
	o->mode = -1;
	o->nodelay = -1;
	o->interval = 1.0;
	o->verify = -1;
	o->keepalive_interval = -1;
	o->echo = -1;
}

static int
all_digits(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return (0);
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return (0);
	return (1);
}

/*
 * A copy of s for a message: at most max bytes of it, then "...", with
 * control bytes (and with ascii set, any byte outside printable ASCII)
 * written as \xNN, so that a message is always one line.
 */
static char *
escape(const char *s, size_t max, int ascii)
{
	struct buf	 b = { NULL, 0, 0 };
	unsigned char	 c;
	char		 hex[5], *p;
	size_t		 i;

	for (i = 0; s[i] != '\0' && b.len < max; i++) {
		c = (unsigned char)s[i];
		if (ascii ? isprint(c) : !iscntrl(c)) {
			buf_add(&b, (char)c);
			continue;
		}
		snprintf(hex, sizeof hex, "\\x%02x", c);
		for (p = hex; *p != '\0'; p++)
			buf_add(&b, *p);
	}
	if (s[i] != '\0')
		for (p = "..."; *p != '\0'; p++)
			buf_add(&b, *p);
	return (buf_take(&b));
}

static char *
escape_msg(const char *msg)
{
	return (escape(msg, 256, 0));
}

/* The address as typed, for messages: shortened, control bytes escaped. */
static char *
shorten(const char *text)
{
	return (escape(text, TEXT_MAX, 1));
}

static struct addr *
parse_one(const char *text, char **errp)
{
	const struct addr_kind	*k;
	struct addr		*a;
	const char		*rest, *typed_kind;
	char			**optv = NULL, *msg = NULL, *kname = NULL;
	size_t			 headlen, i;
	int			 optc = 0, has_params;
	const char		*hint, *tls_opt = NULL;

	a = xcalloc(1, sizeof *a);
	a->text = shorten(text);
	opts_init(&a->o);

	if (*text == '\0') {
		msg = xstrdup("empty address");
		goto fail;
	}
	headlen = strcspn(text, ":,");
	kname = xstrndup(text, headlen);
	if ((k = find_kind(text, headlen)) != NULL) {
		typed_kind = kname;
		rest = text + headlen;
		has_params = (*rest == ':');
		if (has_params || *rest == ',')
			rest++;		/* "-,fdpass": options right away */
	} else if (all_digits(text, headlen) && text[headlen] != ':') {
		k = find_kind("FD", 2);
		typed_kind = "FD";
		rest = text;
		has_params = 1;
	} else if (memchr(text, '/', headlen) != NULL) {
		k = find_kind("GOPEN", 5);
		typed_kind = "GOPEN";
		rest = text;
		has_params = 1;
	} else {
		for (i = 0; unbuilt[i] != NULL; i++)
			if (strcasecmp(unbuilt[i], kname) == 0)
				break;
		if (unbuilt[i] != NULL) {
			msg = xasprintf("%s is not supported by this build "
			    "(Linux only, or configured without it)",
			    unbuilt[i]);
			goto fail;
		}
		if (headlen > 32 || (hint = closest_kind(kname)) == NULL) {
			char	*safe = shorten(kname);

			msg = xasprintf("unknown address kind '%s' (see "
			    "ferry --help)", safe);
			x_free(safe);
		} else
			msg = xasprintf("unknown address kind '%s', did you "
			    "mean %s?", kname, hint);
		goto fail;
	}
	a->kind = k;
	a->o.tls = (k->flags & KIND_TLS) != 0;
	for (i = 0; kname[i] != '\0'; i++)
		kname[i] = toupper((unsigned char)kname[i]);

	if (split_fields(rest, nparams_max(k), k->flags & KIND_REST,
	    has_params, a, &optv, &optc, &msg) == -1) {
		if (strcmp(msg, "too many parameters") == 0) {
			x_free(msg);
			msg = xasprintf("too many parameters (expected %s)",
			    usage_as(typed_kind == kname ? kname : k->name, k));
		}
		goto fail;
	}
	if (a->nparams < k->nmin) {
		msg = xasprintf("missing %s (expected %s)",
		    k->params[a->nparams],
		    usage_as(typed_kind == kname ? kname : k->name, k));
		goto fail;
	}
	for (i = 0; i < (size_t)a->nparams; i++) {
		if (a->params[i][0] == '\0') {
			msg = xasprintf("empty %s (expected %s)", k->params[i],
			    usage_as(typed_kind == kname ? kname : k->name, k));
			goto fail;
		}
	}
	for (i = 0; i < (size_t)optc; i++) {
		if (set_option(a, optv[i], &msg, &tls_opt) == -1)
			goto fail;
	}
	if (!a->o.tls && tls_opt != NULL) {
		msg = xasprintf("option '%s' needs the tls option (or an "
		    "OPENSSL-CONNECT/-LISTEN address)", tls_opt);
		goto fail;
	}
	if (k->ops->check != NULL && k->ops->check(a, &msg) == -1)
		goto fail;
	if ((a->o.range != NULL || a->o.allow_uid != NULL ||
	    a->o.allow_gid != NULL) && (a->o.acl = acl_new(a->o.range,
	    a->o.allow_uid, a->o.allow_gid, &msg)) == NULL)
		goto fail;

	for (i = 0; i < (size_t)optc; i++)
		x_free(optv[i]);
	x_free(optv);
	x_free(kname);
	return (a);

fail:
	{
		char	*safe = escape_msg(msg);

		if (*text == '\0')
			*errp = safe;
		else {
			*errp = xasprintf("%s: %s", a->text, safe);
			x_free(safe);
		}
	}
	x_free(msg);
	for (i = 0; i < (size_t)optc; i++)
		x_free(optv[i]);
	x_free(optv);
	x_free(kname);
	addr_free(a);
	return (NULL);
}

struct addr *
addr_parse(const char *text, char **errp)
{
	struct addr	*a, *b;
	ssize_t		 at;
	char		*left;

	if ((at = find_toplevel(text, "!!")) == -1)
		return (parse_one(text, errp));
	if (find_toplevel(text + at + 2, "!!") != -1) {
		b = xcalloc(1, sizeof *b);
		b->text = shorten(text);
		*errp = xasprintf("%s: the !! form joins exactly two addresses",
		    b->text);
		addr_free(b);
		return (NULL);
	}
	left = xstrndup(text, (size_t)at);
	a = parse_one(left, errp);
	x_free(left);
	if (a == NULL)
		return (NULL);
	if ((b = parse_one(text + at + 2, errp)) == NULL) {
		addr_free(a);
		return (NULL);
	}
	if ((a->kind->flags & KIND_LISTEN) || (b->kind->flags & KIND_LISTEN)) {
		*errp = xasprintf("%s: the !! form joins two non-listening "
		    "addresses, read from the first and written to the second",
		    (a->kind->flags & KIND_LISTEN) ? a->text : b->text);
		addr_free(a);
		addr_free(b);
		return (NULL);
	}
	x_free(a->text);
	a->text = shorten(text);
	a->wr = b;
	return (a);
}

void
addr_free(struct addr *a)
{
	int	i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nparams; i++)
		x_free(a->params[i]);
	x_free(a->o.bind);
	x_free(a->o.range);
	x_free(a->o.allow_uid);
	x_free(a->o.allow_gid);
	x_free(a->o.su);
	acl_free(a->o.acl);
	x_free(a->o.cert);
	x_free(a->o.key);
	x_free(a->o.cafile);
	x_free(a->o.capath);
	x_free(a->o.commonname);
	x_free(a->o.snihost);
	x_free(a->o.cipher);
	x_free(a->o.min_version);
	x_free(a->o.max_version);
	x_free(a->o.fingerprint);
	x_free(a->o.psk_file);
	x_free(a->o.psk_identity);
	x_free(a->o.ssh);
	x_free(a->o.ssh_options);
	x_free(a->o.ssh_config);
	x_free(a->o.identity);
	x_free(a->o.link);
	x_free(a->o.history);
	x_free(a->o.prompt);
	tls_free(a);
	x_free(a->text);
	addr_free(a->wr);
	x_free(a);
}

int
addr_listens(const struct addr *a)
{
	return ((a->kind->flags & KIND_LISTEN) != 0);
}

/* ---- opening ------------------------------------------------------------ */

struct addr_open {
	struct addr		*addr;
	struct event_base	*base;
	int			 need;
	addr_open_cb		*cb;
	void			*arg;
	void			*priv;
	void			(*priv_free)(void *);
	struct event		*ev;
	struct endpoint		*ep;
	int			 finished;
	/* The two halves of "A!!B". */
	struct addr_open	*half[2];
	struct endpoint		*half_ep[2];
	int			 halves_left;
	struct tls_hs		*tls;		/* handshake under way */
	int			 tls_done;
};

static void	open_deliver(evutil_socket_t, short, void *);

static void
open_tls_done(struct endpoint *ep, void *arg)
{
	struct addr_open	*op = arg;

	op->tls = NULL;
	op->tls_done = 1;
	op->ep = ep;
	open_deliver(-1, 0, op);
}

static void
open_deliver(evutil_socket_t fd, short what, void *arg)
{
	struct addr_open	*op = arg;
	addr_open_cb		*cb = op->cb;
	void			*cbarg = op->arg;
	struct endpoint		*ep = op->ep;

	if (ep != NULL && op->addr->o.tls && !op->tls_done &&
	    op->addr->wr == NULL && !addr_listens(op->addr)) {
		/* A TLS client: the handshake first, then the endpoint. */
		op->ep = NULL;
		if (op->priv_free != NULL) {
			op->priv_free(op->priv);
			op->priv_free = NULL;
		}
		op->tls = tls_start(op->addr, op->base, ep, 0, open_tls_done,
		    op);
		return;
	}
	op->ep = NULL;
	addr_open_cancel(op);
	cb(ep, cbarg);
}

static void
open_finish(struct addr_open *op, struct endpoint *ep)
{
	if (op->finished) {
		endpoint_free(ep);
		return;
	}
	op->finished = 1;
	op->ep = ep;
	event_active(op->ev, EV_TIMEOUT, 0);
}

void
addr_open_done(struct addr_open *op, struct endpoint *ep)
{
	open_finish(op, ep);
}

void
addr_open_fail(struct addr_open *op, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	log_err("%s: %s", op->addr->text, msg);
	x_free(msg);
	open_finish(op, NULL);
}

void
addr_open_fail_cause(struct addr_open *op, int err, const char *what,
    const char *msg)
{
	if (!sock_fdshort(op->addr->text, what, err))
		log_err("%s: %s", op->addr->text, msg);
	open_finish(op, NULL);
}

void
addr_open_errno(struct addr_open *op, int err, const char *fmt, ...)
{
	va_list	 ap;
	char	*what, *msg;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	msg = xasprintf("%s: %s", what, strerror(err));
	addr_open_fail_cause(op, err, what, msg);
	x_free(msg);
	x_free(what);
}

struct addr *
addr_open_addr(struct addr_open *op)
{
	return (op->addr);
}

struct event_base *
addr_open_base(struct addr_open *op)
{
	return (op->base);
}

int
addr_open_need(struct addr_open *op)
{
	return (op->need);
}

void
addr_open_set_priv(struct addr_open *op, void *priv, void (*fn)(void *))
{
	op->priv = priv;
	op->priv_free = fn;
}

static void
listen_once_cb(struct endpoint *ep, void *arg)
{
	struct addr_open	*op = arg;

	addr_open_done(op, ep);
}

static void
listen_once_free(void *priv)
{
	listener_free(priv);
}

struct half_arg {
	struct addr_open	*op;
	int			 idx;
};

static void
dual_cb(struct endpoint *ep, void *arg)
{
	struct half_arg		*ha = arg;
	struct addr_open	*op = ha->op;
	int			 idx = ha->idx;

	op->half[idx] = NULL;
	x_free(ha);
	if (ep == NULL) {
		addr_open_cancel(op->half[!idx]);
		op->half[!idx] = NULL;
		open_finish(op, NULL);
		return;
	}
	op->half_ep[idx] = ep;
	if (--op->halves_left > 0)
		return;
	open_finish(op, endpoint_join(op->addr->text, op->half_ep[0],
	    op->half_ep[1]));
	op->half_ep[0] = op->half_ep[1] = NULL;
}

static struct addr_open	*open_single(struct addr *, struct event_base *, int,
			    addr_open_cb *, void *);

static struct addr_open *
open_half(struct addr_open *op, struct addr *a, int idx, int need)
{
	struct half_arg	*ha = xmalloc(sizeof *ha);

	ha->op = op;
	ha->idx = idx;
	return (open_single(a, op->base, need, dual_cb, ha));
}

static struct addr_open *
open_single(struct addr *a, struct event_base *base, int need,
    addr_open_cb *cb, void *arg)
{
	struct addr_open	*op;
	struct listener		*l;

	op = xcalloc(1, sizeof *op);
	op->addr = a;
	op->base = base;
	op->need = need;
	op->cb = cb;
	op->arg = arg;
	op->ev = event_new(base, -1, 0, open_deliver, op);
	if (a->o.tls && tls_setup(a, addr_listens(a)) == -1) {
		open_finish(op, NULL);
		return (op);
	}
	if (a->kind->flags & KIND_LISTEN) {
		if ((l = listener_new(a, base, 1, listen_once_cb, op)) == NULL)
			open_finish(op, NULL);
		else
			addr_open_set_priv(op, l, listen_once_free);
	} else
		a->kind->ops->open(op);
	return (op);
}

struct addr_open *
addr_open(struct addr *a, struct event_base *base, int need, addr_open_cb *cb,
    void *arg)
{
	struct addr_open	*op;

	if (a->wr == NULL)
		return (open_single(a, base, need, cb, arg));
	/* "A!!B": read from A, write to B, both opened at once. */
	op = xcalloc(1, sizeof *op);
	op->addr = a;
	op->base = base;
	op->need = need;
	op->cb = cb;
	op->arg = arg;
	op->ev = event_new(base, -1, 0, open_deliver, op);
	op->halves_left = 2;
	op->half[0] = open_half(op, a, 0, ADDR_RD);
	op->half[1] = open_half(op, a->wr, 1, ADDR_WR);
	return (op);
}

void
addr_open_cancel(struct addr_open *op)
{
	int	i;

	if (op == NULL)
		return;
	for (i = 0; i < 2; i++) {
		addr_open_cancel(op->half[i]);
		endpoint_free(op->half_ep[i]);
	}
	if (op->priv_free != NULL)
		op->priv_free(op->priv);
	tls_cancel(op->tls);
	endpoint_free(op->ep);
	event_free(op->ev);
	x_free(op);
}
