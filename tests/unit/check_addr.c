/*
 * Unit tests of the address parser: addr_parse() and addr_free() in
 * src/addr.c with the check hooks of src/addr_*.c, and the help that is
 * printed from the parser's own tables (addr_help, addr_help_families,
 * addr_usage, addr_aliases, addr_kind_at).
 *
 * The expected tables below (kinds, aliases, options and which kinds take
 * which options) are written out here on purpose, independently of the
 * tables in src/addr.c, and the "complete" tests check that both agree, so
 * a kind or an option added to the parser without a test fails here.
 *
 * Every addr and message a test makes is owned by the fixture and freed in
 * the teardown, which Check runs even after a failed assertion; so the
 * suite stays leak-free under CK_FORK=no valgrind even when a test fails.
 *
 * The fdpass option and the TLS kinds and options are expected only when
 * addr.h defines their groups (OG_FDPASS, OG_TLS).
 *
 * The "defects" test case holds tests of behaviour the parser gets wrong
 * at the time of writing; they describe the intended behaviour.  The
 * "robustness" case feeds 9,000 pseudo-random inputs (fixed seed, up to
 * 10 KB) and checks that each gives an addr or a one-line message.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "addr.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define TEXT_SHORT	64	/* a->text keeps this much before "..." */
#define SUN_PATH_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path))

/* ---- fixture and helpers ------------------------------------------------ */

static struct addr	*cur;		/* the last parse, freed by teardown */
static char		*cur_err;	/* its message */

static void
drop(void)
{
	addr_free(cur);
	cur = NULL;
	free(cur_err);
	cur_err = NULL;
}

static void
setup(void)
{
	cur = NULL;
	cur_err = NULL;
}

static void
teardown(void)
{
	drop();
}

/* s made printable for a failure message (static, truncated). */
static const char *
vis(const char *s)
{
	static char	buf[4][256];
	static int	n;
	char		*b = buf[n++ & 3];
	size_t		 len = 0;

	if (s == NULL)
		return ("(null)");
	for (; *s != '\0' && len < sizeof buf[0] - 8; s++) {
		unsigned char	c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f)
			b[len++] = (char)c;
		else {
			b[len++] = '\\';
			b[len++] = 'x';
			b[len++] = "0123456789abcdef"[c >> 4];
			b[len++] = "0123456789abcdef"[c & 15];
		}
	}
	if (*s != '\0') {
		memcpy(b + len, "...", 3);
		len += 3;
	}
	b[len] = '\0';
	return (b);
}

/* Parse text that must be accepted.  The addr belongs to the fixture. */
static struct addr *
ok(const char *text)
{
	char	*err = NULL;

	drop();
	cur = addr_parse(text, &err);
	cur_err = err;
	ck_assert_msg(cur != NULL, "'%s' rejected: %s", vis(text), vis(err));
	ck_assert_msg(err == NULL, "'%s' accepted, but with a message: %s",
	    vis(text), vis(err));
	ck_assert_ptr_nonnull(cur->kind);
	ck_assert_ptr_nonnull(cur->text);
	return (cur);
}

/* Parse text that must be rejected; returns the message (the fixture's). */
static const char *
bad(const char *text)
{
	char	*err = NULL;

	drop();
	cur = addr_parse(text, &err);
	cur_err = err;
	ck_assert_msg(cur == NULL, "'%s' accepted as %s", vis(text),
	    cur != NULL ? cur->kind->name : "");
	ck_assert_msg(err != NULL, "'%s' rejected without a message",
	    vis(text));
	return (err);
}

/* Rejected with exactly the message want. */
static void
bad_eq(const char *text, const char *want)
{
	const char	*err = bad(text);

	ck_assert_msg(strcmp(err, want) == 0,
	    "'%s':\n  got  '%s'\n  want '%s'", vis(text), vis(err), vis(want));
}

/* Rejected with "TEXT: msg", for texts short and printable. */
static void
bad_msg(const char *text, const char *msg)
{
	char	want[512];

	ck_assert_int_lt(snprintf(want, sizeof want, "%s: %s", text, msg),
	    (int)sizeof want);
	bad_eq(text, want);
}

/* No raw control byte (nor DEL) in s. */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return (0);
	return (1);
}

/* n copies of c after prefix, then suffix, into buf. */
static char *
fill(char *buf, size_t size, const char *prefix, char c, size_t n,
    const char *suffix)
{
	size_t	plen = strlen(prefix), slen = strlen(suffix);

	ck_assert_uint_lt(plen + n + slen, size);
	memcpy(buf, prefix, plen);
	memset(buf + plen, c, n);
	memcpy(buf + plen + n, suffix, slen + 1);
	return (buf);
}

/* ---- the expected tables ------------------------------------------------ */

/* Option groups as this test understands them. */
#define G_LISTEN	0x01	/* fork backlog max-children */
#define G_UNIXL		0x02	/* unlink-early */
#define G_IP		0x04	/* reuseaddr bind pf */
#define G_TCP		0x08	/* nodelay keepalive */
#define G_CONN		0x10	/* retry interval forever connect-timeout */
#define G_FILE		0x20	/* append trunc creat excl rdonly wronly */
#define G_FIFO		0x400000 /* PIPE:path */
#define G_PTY		0x800000 /* link raw echo wait-slave */
#define G_READLINE	0x1000000 /* history prompt */
#define G_SU		0x2000000 /* su: listening kinds, EXEC, SYSTEM */
#define G_PERM		(G_UNIXL | G_FILE | G_FIFO) /* unlink-close mode ... */
#define G_RECVFROM	0x4000	/* fork max-children on a datagram server */
#define G_UNIXBIND	0x8000	/* bind on UNIX-SENDTO */
#define G_RANGE		0x10000	/* range on IP listeners */
#define G_PEERCRED	0x20000	/* allow-uid allow-gid on UNIX listeners */
#define G_SSH		0x40000	/* ssh ssh-option ssh-config identity */
#ifdef OG_FDPASS
#define G_FDPASS	0x40	/* fdpass */
#else
#define G_FDPASS	0
#endif
#ifdef OG_TLS
#define G_TLS		0x80	/* tls cert key cafile verify ... */
#else
#define G_TLS		0
#endif
#ifdef OG_UNIX
#define G_UNIX		0x100	/* type */
#else
#define G_UNIX		0
#endif

static const struct kind_case {
	const char	*name;
	const char	*suffix;	/* after the name, in a valid address */
	int		 nparams;	/* what the suffix gives */
	const char	*p0, *p1;
	const char	*usage;		/* addr_usage() */
	const char	*pname0;	/* name of the first parameter */
	const char	*aliases;	/* addr_aliases() */
	unsigned	 groups;	/* G_* options it takes */
	int		 listens;
	int		 rest;		/* last parameter takes ':' too */
} kind_cases[] = {
	{ "STDIO", "", 0, NULL, NULL, "STDIO", NULL, "-", G_FDPASS, 0, 0 },
	{ "STDIN", "", 0, NULL, NULL, "STDIN", NULL, "", 0, 0, 0 },
	{ "STDOUT", "", 0, NULL, NULL, "STDOUT", NULL, "", 0, 0, 0 },
	{ "STDERR", "", 0, NULL, NULL, "STDERR", NULL, "", 0, 0, 0 },
	{ "FD", ":3", 1, "3", NULL, "FD:<fd>", "fd", "", G_FDPASS, 0, 0 },
	{ "UNIX-LISTEN", ":/tmp/ferry.sock", 1, "/tmp/ferry.sock", NULL,
	  "UNIX-LISTEN:<path>", "path", "UNIX-L",
	  G_LISTEN | G_UNIXL | G_FDPASS | G_TLS | G_UNIX | G_PEERCRED, 1, 1 },
	{ "UNIX-CONNECT", ":/tmp/ferry.sock", 1, "/tmp/ferry.sock", NULL,
	  "UNIX-CONNECT:<path>", "path", "", G_CONN | G_FDPASS | G_TLS | G_UNIX,
	  0, 1 },
	{ "UNIX-CLIENT", ":/tmp/ferry.sock", 1, "/tmp/ferry.sock", NULL,
	  "UNIX-CLIENT:<path>", "path", "UNIX, LOCAL",
	  G_CONN | G_FDPASS | G_TLS | G_UNIX, 0, 1 },
#if HAVE_ABSTRACT_SOCKETS
	{ "ABSTRACT-LISTEN", ":ferry.test", 1, "ferry.test", NULL,
	  "ABSTRACT-LISTEN:<name>", "name", "", G_LISTEN | G_TLS | G_PEERCRED,
	  1, 1 },
	{ "ABSTRACT-CONNECT", ":ferry.test", 1, "ferry.test", NULL,
	  "ABSTRACT-CONNECT:<name>", "name", "", G_CONN | G_TLS, 0, 1 },
	{ "ABSTRACT-CLIENT", ":ferry.test", 1, "ferry.test", NULL,
	  "ABSTRACT-CLIENT:<name>", "name", "ABSTRACT", G_CONN | G_TLS, 0, 1 },
	{ "ABSTRACT-SENDTO", ":ferry.test", 1, "ferry.test", NULL,
	  "ABSTRACT-SENDTO:<name>", "name", "", G_UNIXBIND, 0, 1 },
	{ "ABSTRACT-RECVFROM", ":ferry.test", 1, "ferry.test", NULL,
	  "ABSTRACT-RECVFROM:<name>", "name", "", G_RECVFROM, 1, 1 },
	{ "ABSTRACT-RECV", ":ferry.test", 1, "ferry.test", NULL,
	  "ABSTRACT-RECV:<name>", "name", "", 0, 1, 1 },
#endif
	{ "TCP-LISTEN", ":8080", 1, "8080", NULL, "TCP-LISTEN:<port>", "port",
	  "TCP-L", G_LISTEN | G_IP | G_TCP | G_FDPASS | G_TLS | G_RANGE, 1, 0 },
	{ "TCP4-LISTEN", ":8080", 1, "8080", NULL, "TCP4-LISTEN:<port>", "port",
	  "TCP4-L", G_LISTEN | G_IP | G_TCP | G_FDPASS | G_TLS | G_RANGE, 1, 0 },
	{ "TCP6-LISTEN", ":8080", 1, "8080", NULL, "TCP6-LISTEN:<port>", "port",
	  "TCP6-L", G_LISTEN | G_IP | G_TCP | G_FDPASS | G_TLS | G_RANGE, 1, 0 },
	{ "TCP-CONNECT", ":localhost:80", 2, "localhost", "80",
	  "TCP-CONNECT:<host>:<port>", "host", "TCP",
	  G_IP | G_TCP | G_CONN | G_FDPASS | G_TLS, 0, 0 },
	{ "TCP4-CONNECT", ":127.0.0.1:http", 2, "127.0.0.1", "http",
	  "TCP4-CONNECT:<host>:<port>", "host", "TCP4",
	  G_IP | G_TCP | G_CONN | G_FDPASS | G_TLS, 0, 0 },
	{ "TCP6-CONNECT", ":[::1]:80", 2, "[::1]", "80",
	  "TCP6-CONNECT:<host>:<port>", "host", "TCP6",
	  G_IP | G_TCP | G_CONN | G_FDPASS | G_TLS, 0, 0 },
#ifdef OG_TLS
	{ "OPENSSL-CONNECT", ":localhost:443", 2, "localhost", "443",
	  "OPENSSL-CONNECT:<host>:<port>", "host", "OPENSSL, SSL",
	  G_IP | G_TCP | G_CONN | G_FDPASS | G_TLS, 0, 0 },
	{ "OPENSSL-LISTEN", ":4433", 1, "4433", NULL, "OPENSSL-LISTEN:<port>",
	  "port", "OPENSSL-L, SSL-L",
	  G_LISTEN | G_IP | G_TCP | G_FDPASS | G_TLS | G_RANGE, 1, 0 },
#endif
	{ "UDP-CONNECT", ":localhost:53", 2, "localhost", "53",
	  "UDP-CONNECT:<host>:<port>", "host", "UDP", G_IP, 0, 0 },
	{ "UDP4-CONNECT", ":127.0.0.1:53", 2, "127.0.0.1", "53",
	  "UDP4-CONNECT:<host>:<port>", "host", "UDP4", G_IP, 0, 0 },
	{ "UDP6-CONNECT", ":[::1]:53", 2, "[::1]", "53",
	  "UDP6-CONNECT:<host>:<port>", "host", "UDP6", G_IP, 0, 0 },
	{ "UDP-SENDTO", ":localhost:53", 2, "localhost", "53",
	  "UDP-SENDTO:<host>:<port>", "host", "", G_IP, 0, 0 },
	{ "UDP4-SENDTO", ":127.0.0.1:domain", 2, "127.0.0.1", "domain",
	  "UDP4-SENDTO:<host>:<port>", "host", "", G_IP, 0, 0 },
	{ "UDP6-SENDTO", ":[::1]:53", 2, "[::1]", "53",
	  "UDP6-SENDTO:<host>:<port>", "host", "", G_IP, 0, 0 },
	{ "UDP-LISTEN", ":5353", 1, "5353", NULL, "UDP-LISTEN:<port>", "port",
	  "UDP-L", G_IP | G_RECVFROM, 1, 0 },
	{ "UDP4-LISTEN", ":5353", 1, "5353", NULL, "UDP4-LISTEN:<port>", "port",
	  "UDP4-L", G_IP | G_RECVFROM, 1, 0 },
	{ "UDP6-LISTEN", ":5353", 1, "5353", NULL, "UDP6-LISTEN:<port>", "port",
	  "UDP6-L", G_IP | G_RECVFROM, 1, 0 },
	{ "UDP-RECVFROM", ":5353", 1, "5353", NULL, "UDP-RECVFROM:<port>",
	  "port", "", G_IP | G_RECVFROM, 1, 0 },
	{ "UDP4-RECVFROM", ":5353", 1, "5353", NULL, "UDP4-RECVFROM:<port>",
	  "port", "", G_IP | G_RECVFROM, 1, 0 },
	{ "UDP6-RECVFROM", ":5353", 1, "5353", NULL, "UDP6-RECVFROM:<port>",
	  "port", "", G_IP | G_RECVFROM, 1, 0 },
	{ "UDP-RECV", ":5353", 1, "5353", NULL, "UDP-RECV:<port>", "port", "",
	  G_IP, 1, 0 },
	{ "UDP4-RECV", ":5353", 1, "5353", NULL, "UDP4-RECV:<port>", "port", "",
	  G_IP, 1, 0 },
	{ "UDP6-RECV", ":5353", 1, "5353", NULL, "UDP6-RECV:<port>", "port", "",
	  G_IP, 1, 0 },
	{ "UNIX-SENDTO", ":/tmp/ferry.sock", 1, "/tmp/ferry.sock", NULL,
	  "UNIX-SENDTO:<path>", "path", "", G_UNIXBIND, 0, 1 },
	{ "UNIX-RECVFROM", ":/tmp/ferry.sock", 1, "/tmp/ferry.sock", NULL,
	  "UNIX-RECVFROM:<path>", "path", "", G_UNIXL | G_RECVFROM, 1, 1 },
	{ "UNIX-RECV", ":/tmp/ferry.sock", 1, "/tmp/ferry.sock", NULL,
	  "UNIX-RECV:<path>", "path", "", G_UNIXL, 1, 1 },
	{ "EXEC", ":cat -u", 1, "cat -u", NULL, "EXEC:<command>", "command", "",
	  G_FDPASS | G_TLS, 0, 1 },
	{ "SYSTEM", ":cat | wc -l", 1, "cat | wc -l", NULL, "SYSTEM:<command>",
	  "command", "", G_FDPASS | G_TLS, 0, 1 },
#if HAVE_LINUX_VM_SOCKETS_H
	{ "VSOCK-LISTEN", ":1024", 1, "1024", NULL, "VSOCK-LISTEN:<port>",
	  "port", "VSOCK-L", G_LISTEN | G_TLS, 1, 0 },
	{ "VSOCK-CONNECT", ":1:1024", 2, "1", "1024",
	  "VSOCK-CONNECT:<cid>:<port>", "cid", "VSOCK", G_CONN | G_TLS, 0, 0 },
#endif
	{ "ACCEPT-FD", ":3", 1, "3", NULL, "ACCEPT-FD:<fd>", "fd", "",
	  G_LISTEN | G_TLS | G_RANGE | G_PEERCRED, 1, 0 },
	{ "SYSTEMD", ":web", 1, "web", NULL, "SYSTEMD:<name>", "name", "",
	  G_LISTEN | G_TLS | G_RANGE | G_PEERCRED, 1, 0 },
	{ "SSH", ":me@host:/tmp/ferry.sock", 2, "me@host", "/tmp/ferry.sock",
	  "SSH:<host>:<path>", "host", "", G_CONN | G_FDPASS | G_SSH, 0, 1 },
	{ "SSH-LISTEN", ":h:22:/x.sock", 2, "h", "22:/x.sock",
	  "SSH-LISTEN:<host>:<path>", "host", "",
	  G_LISTEN | G_FDPASS | G_SSH, 1, 1 },
	{ "OPEN", ":/dev/null", 1, "/dev/null", NULL, "OPEN:<path>", "path", "",
	  G_FILE, 0, 1 },
	{ "CREATE", ":/tmp/ferry.out", 1, "/tmp/ferry.out", NULL,
	  "CREATE:<path>", "path", "CREAT", G_FILE, 0, 1 },
	{ "GOPEN", ":/dev/null", 1, "/dev/null", NULL, "GOPEN:<path>", "path",
	  "", G_FILE, 0, 1 },
	{ "PIPE", ":/tmp/ferry.fifo", 1, "/tmp/ferry.fifo", NULL,
	  "PIPE:<path>", "path", "", G_FIFO, 0, 1 },
	{ "PTY", "", 0, NULL, NULL, "PTY", NULL, "", G_PTY, 0, 0 },
	{ "READLINE", "", 0, NULL, NULL, "READLINE", NULL, "", G_READLINE, 0,
	  0 },
};

/*
 * Kinds whose one parameter may be left out: "SYSTEMD" is the first fd,
 * "PIPE" an unnamed pipe.
 */
static int
param_optional(const struct kind_case *k)
{
	return (strcmp(k->name, "SYSTEMD") == 0 ||
	    strcmp(k->name, "PIPE") == 0);
}

/* The groups of a kind, su= (every listening kind, EXEC, SYSTEM) too. */
static unsigned
kgroups(const struct kind_case *k)
{
	if (k->listens || strcmp(k->name, "EXEC") == 0 ||
	    strcmp(k->name, "SYSTEM") == 0)
		return (k->groups | G_SU);
	return (k->groups);
}

static const struct kind_case *
kind_case(const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(kind_cases); i++)
		if (strcmp(kind_cases[i].name, name) == 0)
			return (&kind_cases[i]);
	return (NULL);
}

static const struct alias_case {
	const char	*alias;
	const char	*kind;
} alias_cases[] = {
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
#if HAVE_ABSTRACT_SOCKETS
	{ "ABSTRACT", "ABSTRACT-CLIENT" },
#endif
	{ "CREAT", "CREATE" },
#if HAVE_LINUX_VM_SOCKETS_H
	{ "VSOCK", "VSOCK-CONNECT" },
	{ "VSOCK-L", "VSOCK-LISTEN" },
#endif
#ifdef OG_TLS
	{ "OPENSSL", "OPENSSL-CONNECT" },
	{ "SSL", "OPENSSL-CONNECT" },
	{ "OPENSSL-L", "OPENSSL-LISTEN" },
	{ "SSL-L", "OPENSSL-LISTEN" },
#endif
};

enum ftype { F_INT, F_DBL, F_STR };

static const struct opt_case {
	const char	*name;
	const char	*alias;
	unsigned	 groups;
	const char	*value;		/* a valid value; NULL: the bare name */
	enum ftype	 type;
	size_t		 off;		/* the field in struct addr_opts */
	int		 want_i;
	double		 want_d;
	const char	*want_s;
} opt_cases[] = {
#define OFF(f)	offsetof(struct addr_opts, f)
	{ "fork", NULL, G_LISTEN | G_RECVFROM, NULL, F_INT, OFF(fork), 1, 0, NULL },
	{ "range", NULL, G_RANGE, "10.0.0.0/8", F_STR, OFF(range), 0, 0,
	  "10.0.0.0/8" },
	{ "allow-uid", NULL, G_PEERCRED, "0", F_STR, OFF(allow_uid), 0, 0,
	  "0" },
	{ "allow-gid", NULL, G_PEERCRED, "0", F_STR, OFF(allow_gid), 0, 0,
	  "0" },
	{ "backlog", NULL, G_LISTEN, "16", F_INT, OFF(backlog), 16, 0, NULL },
	{ "max-children", "max-conns", G_LISTEN | G_RECVFROM, "8", F_INT,
	  OFF(max_children), 8, 0, NULL },
	{ "reuseaddr", NULL, G_IP, NULL, F_INT, OFF(reuseaddr), 1, 0, NULL },
	{ "bind", NULL, G_IP | G_UNIXBIND, "127.0.0.1:5000", F_STR, OFF(bind), 0, 0,
	  "127.0.0.1:5000" },
	/* pf=ip6 on the TCP6 kinds, see opt_text() */
	{ "pf", "protocol-family", G_IP, "ip4", F_INT, OFF(pf), 4, 0, NULL },
	{ "nodelay", "tcp-nodelay", G_TCP, "0", F_INT, OFF(nodelay), 0, 0,
	  NULL },
	{ "keepalive", "so-keepalive", G_TCP, NULL, F_INT, OFF(keepalive), 1,
	  0, NULL },
	{ "unlink-early", NULL, G_UNIXL, NULL, F_INT, OFF(unlink_early), 1, 0,
	  NULL },
	{ "unlink-close", NULL, G_PERM, "0", F_INT, OFF(unlink_close), 0, 0,
	  NULL },
	{ "mode", "perm", G_PERM, "0640", F_INT, OFF(mode), 0640, 0, NULL },
	{ "user", "owner", G_PERM, "0", F_INT, OFF(user_set), 1, 0, NULL },
	{ "group", NULL, G_PERM, "0", F_INT, OFF(group_set), 1, 0, NULL },
	{ "retry", NULL, G_CONN, "3", F_INT, OFF(retry), 3, 0, NULL },
	{ "interval", NULL, G_CONN, "0.5", F_DBL, OFF(interval), 0, 0.5, NULL },
	{ "forever", NULL, G_CONN, NULL, F_INT, OFF(forever), 1, 0, NULL },
	{ "connect-timeout", NULL, G_CONN, "2.5", F_DBL, OFF(connect_timeout),
	  0, 2.5, NULL },
	{ "append", "o-append", G_FILE, NULL, F_INT, OFF(append), 1, 0, NULL },
	{ "trunc", "o-trunc", G_FILE, NULL, F_INT, OFF(trunc), 1, 0, NULL },
	{ "creat", "o-creat", G_FILE, NULL, F_INT, OFF(creat), 1, 0, NULL },
	{ "excl", "o-excl", G_FILE, NULL, F_INT, OFF(excl), 1, 0, NULL },
	{ "rdonly", "o-rdonly", G_FILE, NULL, F_INT, OFF(rdonly), 1, 0, NULL },
	{ "wronly", "o-wronly", G_FILE, NULL, F_INT, OFF(wronly), 1, 0, NULL },
	{ "ssh", NULL, G_SSH, "/usr/bin/ssh", F_STR, OFF(ssh), 0, 0,
	  "/usr/bin/ssh" },
	{ "ssh-option", NULL, G_SSH, "Port=2222", F_STR, OFF(ssh_options), 0,
	  0, "Port=2222" },
	{ "ssh-config", NULL, G_SSH, "/tmp/ssh_config", F_STR,
	  OFF(ssh_config), 0, 0, "/tmp/ssh_config" },
	{ "identity", NULL, G_SSH, "/tmp/id_ed25519", F_STR, OFF(identity),
	  0, 0, "/tmp/id_ed25519" },
	{ "link", NULL, G_PTY, "/tmp/ferry.tty", F_STR, OFF(link), 0, 0,
	  "/tmp/ferry.tty" },
	{ "raw", NULL, G_PTY, NULL, F_INT, OFF(raw), 1, 0, NULL },
	{ "echo", NULL, G_PTY, "0", F_INT, OFF(echo), 0, 0, NULL },
	{ "wait-slave", "waitslave", G_PTY, NULL, F_INT, OFF(wait_slave), 1, 0,
	  NULL },
	{ "history", "history-file", G_READLINE, "/tmp/ferry.hist", F_STR,
	  OFF(history), 0, 0, "/tmp/ferry.hist" },
	{ "prompt", NULL, G_READLINE, "ferry> ", F_STR, OFF(prompt), 0, 0,
	  "ferry> " },
	{ "su", "su-d", G_SU, "nobody", F_STR, OFF(su), 0, 0, "nobody" },
#ifdef OG_FDPASS
	{ "fdpass", NULL, G_FDPASS, NULL, F_INT, OFF(fdpass), 1, 0, NULL },
	{ "keepalive-interval", NULL, G_FDPASS, "2.5", F_DBL,
	  OFF(keepalive_interval), 0, 2.5, NULL },
#if defined(OG_UNIX) && HAVE_DECL_SOCK_SEQPACKET
	{ "type", "socktype", G_UNIX, "seqpacket", F_INT, OFF(socktype),
	  SOCK_SEQPACKET, 0, NULL },
#elif defined(OG_UNIX)
	/* Built without the Linux extras: only stream sockets. */
	{ "type", "socktype", G_UNIX, "stream", F_INT, OFF(socktype), 0, 0,
	  NULL },
#endif
#endif
#ifdef OG_TLS
	{ "tls", NULL, G_TLS, "1", F_INT, OFF(tls), 1, 0, NULL },
	{ "cert", "certificate", G_TLS, "/etc/ferry/c.pem", F_STR, OFF(cert),
	  0, 0, "/etc/ferry/c.pem" },
	{ "key", NULL, G_TLS, "k.pem", F_STR, OFF(key), 0, 0, "k.pem" },
	{ "cafile", NULL, G_TLS, "ca.pem", F_STR, OFF(cafile), 0, 0,
	  "ca.pem" },
	{ "capath", NULL, G_TLS, "/etc/ssl/certs", F_STR, OFF(capath), 0, 0,
	  "/etc/ssl/certs" },
	{ "verify", NULL, G_TLS, "0", F_INT, OFF(verify), 0, 0, NULL },
	{ "commonname", "cn", G_TLS, "example.org", F_STR, OFF(commonname),
	  0, 0, "example.org" },
	{ "snihost", NULL, G_TLS, "example.org", F_STR, OFF(snihost), 0, 0,
	  "example.org" },
	{ "cipher", "ciphers", G_TLS, "HIGH:!aNULL", F_STR, OFF(cipher), 0, 0,
	  "HIGH:!aNULL" },
	{ "min-version", NULL, G_TLS, "TLSv1.3", F_STR, OFF(min_version), 0, 0,
	  "TLSv1.3" },
	{ "max-version", NULL, G_TLS, "TLSv1.2", F_STR, OFF(max_version), 0, 0,
	  "TLSv1.2" },
	{ "fingerprint", NULL, G_TLS, "sha256:00ff", F_STR, OFF(fingerprint),
	  0, 0, "sha256:00ff" },
	{ "psk-file", NULL, G_TLS, "/tmp/psk", F_STR, OFF(psk_file), 0, 0,
	  "/tmp/psk" },
	{ "psk-identity", NULL, G_TLS, "me", F_STR, OFF(psk_identity), 0, 0,
	  "me" },
#endif
};

static int
opt_int(const struct addr *a, size_t off)
{
	int	v;

	memcpy(&v, (const char *)&a->o + off, sizeof v);
	return (v);
}

static double
opt_dbl(const struct addr *a, size_t off)
{
	double	v;

	memcpy(&v, (const char *)&a->o + off, sizeof v);
	return (v);
}

static const char *
opt_str(const struct addr *a, size_t off)
{
	const char	*v;

	memcpy(&v, (const char *)&a->o + off, sizeof v);
	return (v);
}

/* The field of option c holds what c's valid value gives. */
static void
check_opt_field(const struct addr *a, const struct opt_case *c,
    const char *text)
{
	switch (c->type) {
	case F_INT:
		ck_assert_msg(opt_int(a, c->off) == c->want_i,
		    "'%s': %s is %d, want %d", text, c->name,
		    opt_int(a, c->off), c->want_i);
		break;
	case F_DBL:
		ck_assert_msg(opt_dbl(a, c->off) == c->want_d,
		    "'%s': %s is %g, want %g", text, c->name,
		    opt_dbl(a, c->off), c->want_d);
		break;
	case F_STR:
		ck_assert_ptr_nonnull(opt_str(a, c->off));
		ck_assert_str_eq(opt_str(a, c->off), c->want_s);
		break;
	}
}

/* "name", "name=value" (or the alias) for kind k. */
static const char *
opt_text(const struct opt_case *c, const struct kind_case *k, int alias,
    char *buf, size_t size)
{
	const char	*name = alias ? c->alias : c->name;
	const char	*value = c->value;

	if (strcmp(c->name, "pf") == 0 && (strncmp(k->name, "TCP6", 4) == 0 ||
	    strncmp(k->name, "UDP6", 4) == 0))
		value = "ip6";
	if (value == NULL)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%s=%s", name, value);
	return (buf);
}

/* ---- kinds and aliases --------------------------------------------------- */

/* The name in upper, lower or alternating case. */
static const char *
recase(const char *name, int how, char *buf, size_t size)
{
	size_t	i;

	for (i = 0; name[i] != '\0' && i < size - 1; i++) {
		char	c = name[i];

		if (how == 1 || (how == 2 && i % 2 == 0))
			buf[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
		else
			buf[i] = c;
	}
	buf[i] = '\0';
	return (buf);
}

/* Every kind, in three cases, gives the kind, parameters and text. */
START_TEST(test_kind_parses)
{
	const struct kind_case	*k = &kind_cases[_i];
	const struct addr	*a;
	char			 name[64], text[128];
	int			 how;

	for (how = 0; how < 3; how++) {
		snprintf(text, sizeof text, "%s%s",
		    recase(k->name, how, name, sizeof name), k->suffix);
		a = ok(text);
		ck_assert_str_eq(a->kind->name, k->name);
		ck_assert_int_eq(a->nparams, k->nparams);
		if (k->nparams > 0)
			ck_assert_str_eq(a->params[0], k->p0);
		if (k->nparams > 1)
			ck_assert_str_eq(a->params[1], k->p1);
		ck_assert_str_eq(a->text, text);
		ck_assert_ptr_null(a->wr);
		ck_assert_int_eq(addr_listens(a) != 0, k->listens);
		ck_assert_str_eq(addr_usage(a->kind), k->usage);
		ck_assert_str_eq(addr_aliases(a->kind), k->aliases);
	}
}
END_TEST

/* Missing, empty and extra parameters of every kind. */
START_TEST(test_kind_param_count)
{
	const struct kind_case	*k = &kind_cases[_i];
	const struct addr	*a;
	char			 text[128], msg[256];

	if (k->nparams == 0) {
		/* "STDIO:x" */
		snprintf(text, sizeof text, "%s:x", k->name);
		snprintf(msg, sizeof msg, "too many parameters (expected %s)",
		    k->usage);
		bad_msg(text, msg);
		return;
	}
	/* "FD"; "SYSTEMD" alone is the first socket passed */
	snprintf(msg, sizeof msg, "missing %s (expected %s)", k->pname0,
	    k->usage);
	if (param_optional(k))
		ck_assert_int_eq(ok(k->name)->nparams, 0);
	else
		bad_msg(k->name, msg);
	/* "FD:" */
	snprintf(text, sizeof text, "%s:", k->name);
	if (k->nparams == 1)
		snprintf(msg, sizeof msg, "empty %s (expected %s)", k->pname0,
		    k->usage);
	else	/* the second parameter: "port", or "path" for SSH */
		snprintf(msg, sizeof msg, "missing %.*s (expected %s)",
		    (int)strcspn(strrchr(k->usage, '<') + 1, ">"),
		    strrchr(k->usage, '<') + 1, k->usage);
	bad_msg(text, msg);
	/* "FD:3:x": the REST kinds take it into their last parameter */
	snprintf(text, sizeof text, "%s%s:x", k->name, k->suffix);
	if (k->rest) {
		char	want[128];

		a = ok(text);
		ck_assert_int_eq(a->nparams, k->nparams);
		snprintf(want, sizeof want, "%s:x",
		    k->nparams == 1 ? k->p0 : k->p1);
		ck_assert_str_eq(a->params[a->nparams - 1], want);
	} else {
		snprintf(msg, sizeof msg, "too many parameters (expected %s)",
		    k->usage);
		bad_msg(text, msg);
	}
}
END_TEST

/* Every alias, in three cases, is its kind; messages use the typed name. */
START_TEST(test_alias_parses)
{
	const struct alias_case	*al = &alias_cases[_i];
	const struct kind_case	*k = kind_case(al->kind);
	const struct addr	*a;
	char			 name[64], text[128], usage[128], msg[256];
	int			 how;

	ck_assert_ptr_nonnull(k);
	for (how = 0; how < 3; how++) {
		snprintf(text, sizeof text, "%s%s",
		    recase(al->alias, how, name, sizeof name), k->suffix);
		a = ok(text);
		ck_assert_str_eq(a->kind->name, al->kind);
		ck_assert_int_eq(a->nparams, k->nparams);
		if (k->nparams > 0)
			ck_assert_str_eq(a->params[0], k->p0);
		ck_assert_str_eq(a->text, text);
	}
	/* "(expected TCP-L:<port>)": the alias as typed, upper case */
	snprintf(usage, sizeof usage, "%s%s", al->alias,
	    strchr(k->usage, ':') != NULL ? strchr(k->usage, ':') : "");
	snprintf(text, sizeof text, "%s%s:x:y", recase(al->alias, 1, name,
	    sizeof name), k->suffix);
	if (k->rest)
		return;
	snprintf(msg, sizeof msg, "too many parameters (expected %s)", usage);
	bad_msg(text, msg);
}
END_TEST

/* The test's tables cover every kind and alias of the parser. */
START_TEST(test_kind_table_complete)
{
	const struct addr_kind	*k;
	char			 want[128];
	size_t			 i, j, len;
	int			 n;

	for (n = 0; (k = addr_kind_at(n)) != NULL; n++)
		ck_assert_msg(kind_case(k->name) != NULL,
		    "kind %s is not tested", k->name);
	ck_assert_int_eq(n, (int)nitems(kind_cases));
	ck_assert_ptr_null(addr_kind_at(-1));
	ck_assert_ptr_null(addr_kind_at(n));
	ck_assert_ptr_null(addr_kind_at(1000));

	/* The aliases of each kind are exactly the test's, in order. */
	for (n = 0; (k = addr_kind_at(n)) != NULL; n++) {
		want[0] = '\0';
		for (j = 0, len = 0; j < nitems(alias_cases); j++) {
			if (strcmp(alias_cases[j].kind, k->name) != 0)
				continue;
			len += (size_t)snprintf(want + len, sizeof want - len,
			    "%s%s", len > 0 ? ", " : "", alias_cases[j].alias);
		}
		ck_assert_str_eq(addr_aliases(k), want);
		ck_assert_str_eq(addr_aliases(k), kind_case(k->name)->aliases);
		ck_assert_str_eq(addr_usage(k), kind_case(k->name)->usage);
	}
	/* Distinct names, no alias shadowing a kind. */
	for (i = 0; i < nitems(alias_cases); i++)
		ck_assert_ptr_null(kind_case(alias_cases[i].alias));
}
END_TEST

/* ---- bare numbers and paths --------------------------------------------- */

static const struct param_case {
	const char	*text;
	const char	*kind;
	int		 nparams;
	const char	*p0, *p1;
} bare_cases[] = {
	{ "0", "FD", 1, "0", NULL },
	{ "3", "FD", 1, "3", NULL },
	{ "255", "FD", 1, "255", NULL },
	{ "007", "FD", 1, "007", NULL },
	{ "65535", "FD", 1, "65535", NULL },
	{ "/tmp/x", "GOPEN", 1, "/tmp/x", NULL },
	{ "/dev/null", "GOPEN", 1, "/dev/null", NULL },
	{ "./x", "GOPEN", 1, "./x", NULL },
	{ "dir/file", "GOPEN", 1, "dir/file", NULL },
	{ "/tmp/a:b", "GOPEN", 1, "/tmp/a:b", NULL },
	{ "/tmp/a b", "GOPEN", 1, "/tmp/a b", NULL },
	{ "'/tmp/a,b'", "GOPEN", 1, "/tmp/a,b", NULL },
	{ "/tmp/a\\,b", "GOPEN", 1, "/tmp/a,b", NULL },
};

START_TEST(test_bare)
{
	const struct param_case	*c = &bare_cases[_i];
	const struct addr	*a = ok(c->text);

	ck_assert_str_eq(a->kind->name, c->kind);
	ck_assert_int_eq(a->nparams, c->nparams);
	ck_assert_str_eq(a->params[0], c->p0);
	ck_assert_str_eq(a->text, c->text);
}
END_TEST

/* range=, allow-uid=, allow-gid=: compiled at parse time, errors named. */
START_TEST(test_acl_options)
{
	ck_assert_ptr_nonnull(ok("tcp-l:80,range=10.0.0.0/8")->o.acl);
	ck_assert_ptr_nonnull(ok("tcp-l:80,range='10.1.2.3 [::1]/128 fe80::/10 "
	    "192.168.0.0:255.255.0.0 ::ffff:1.2.3.4'")->o.acl);
	ck_assert_ptr_nonnull(ok("unix-l:/s,allow-uid='root 1000',allow-gid=0")
	    ->o.acl);
	ck_assert_ptr_null(ok("tcp-l:80")->o.acl);
	bad_msg("tcp-l:80,range=10.0.0.0/33", "range: '10.0.0.0/33' is not an "
	    "address, ADDR/BITS, [IPv6]/BITS or IPv4:MASK");
	bad_msg("tcp-l:80,range=10.0.0.0:255.0.255.0", "range: "
	    "'10.0.0.0:255.0.255.0' is not an address, ADDR/BITS, "
	    "[IPv6]/BITS or IPv4:MASK");
	bad_msg("tcp-l:80,range=example.com", "range: 'example.com' is not an "
	    "address, ADDR/BITS, [IPv6]/BITS or IPv4:MASK");
	bad_msg("tcp-l:80,range=' '", "an empty list allows no one");
	bad_msg("unix-l:/s,allow-uid=no-such-user-here",
	    "allow-uid: no user 'no-such-user-here'");
	bad_msg("unix-l:/s,allow-gid=no-such-group-here",
	    "allow-gid: no group 'no-such-group-here'");
	bad_msg("tcp:h:80,range=10.0.0.0/8",
	    "option 'range' does not apply to TCP-CONNECT");
	bad_msg("tcp-l:80,allow-uid=0",
	    "option 'allow-uid' does not apply to TCP-LISTEN");
}
END_TEST

START_TEST(test_bare_with_options)
{
	const struct addr	*a;

	a = ok("/tmp/x,append,creat");
	ck_assert_str_eq(a->kind->name, "GOPEN");
	ck_assert_str_eq(a->params[0], "/tmp/x");
	ck_assert_int_eq(a->o.append, 1);
	ck_assert_int_eq(a->o.creat, 1);
	a = ok("/tmp/x,MODE=0600");
	ck_assert_int_eq(a->o.mode, 0600);

	bad_msg("5,fork", "option 'fork' does not apply to FD");
	bad_msg("/tmp/x,fork", "option 'fork' does not apply to GOPEN");
	bad_msg("/tmp/x,nosuchopt", "unknown option 'nosuchopt' for GOPEN");
	bad_msg("70000", "'70000' is not a file descriptor number");
	bad_msg("99999999999999999999",
	    "'99999999999999999999' is not a file descriptor number");
	/* A number before ':' is not a kind; '/' only after ',' not a path */
	ck_assert_int_eq(strncmp(bad("5:x"), "5:x: unknown address kind '5'",
	    strlen("5:x: unknown address kind '5'")), 0);
	ck_assert_ptr_nonnull(strstr(bad("x,bind=/a"), "unknown address kind "
	    "'x'"));
	ck_assert_ptr_nonnull(strstr(bad("-5"), "unknown address kind '-5'"));
}
END_TEST

/* ---- parameters, quoting, brackets -------------------------------------- */

static const struct param_case param_cases[] = {
	/* IPv6 literals in brackets; ':' splits outside them */
	{ "tcp:[::1]:80", "TCP-CONNECT", 2, "[::1]", "80" },
	{ "tcp6:[fe80::1%eth0]:443", "TCP6-CONNECT", 2, "[fe80::1%eth0]",
	  "443" },
	{ "TCP6-CONNECT:[2001:db8::1]:https", "TCP6-CONNECT", 2,
	  "[2001:db8::1]", "https" },
	{ "tcp:localhost:http", "TCP-CONNECT", 2, "localhost", "http" },
	{ "tcp:h:0", "TCP-CONNECT", 2, "h", "0" },
	{ "tcp:h:65535", "TCP-CONNECT", 2, "h", "65535" },
	{ "tcp:h:x-y_z", "TCP-CONNECT", 2, "h", "x-y_z" },
	{ "tcp6-listen:8080,bind=[::1]", "TCP6-LISTEN", 1, "8080", NULL },
	/* the last parameter of a path or command kind keeps ':' */
	{ "unix-connect:/tmp/a:b", "UNIX-CONNECT", 1, "/tmp/a:b", NULL },
	{ "unix-listen:/tmp/a:b:c,fork", "UNIX-LISTEN", 1, "/tmp/a:b:c",
	  NULL },
	{ "open:/tmp/x::y", "OPEN", 1, "/tmp/x::y", NULL },
	{ "exec:date +%H:%M", "EXEC", 1, "date +%H:%M", NULL },
	/* quotes are removed and protect ',' ':' and '!!' */
	{ "exec:'sh -c \"echo a,b\"'", "EXEC", 1, "sh -c \"echo a,b\"", NULL },
	{ "system:\"echo 'a:b'\"", "SYSTEM", 1, "echo 'a:b'", NULL },
	{ "system:'echo a!!b'", "SYSTEM", 1, "echo a!!b", NULL },
	{ "exec:'a'\"b\"c", "EXEC", 1, "abc", NULL },
	{ "exec:'it''s'", "EXEC", 1, "its", NULL },
	{ "open:\"/tmp/x y\"", "OPEN", 1, "/tmp/x y", NULL },
	{ "tcp:'h':'80'", "TCP-CONNECT", 2, "h", "80" },
	/* backslash outside '...' takes the next character */
	{ "exec:echo a\\,b", "EXEC", 1, "echo a,b", NULL },
	{ "tcp:h\\:x:80", "TCP-CONNECT", 2, "h:x", "80" },
	{ "exec:a\\!!b", "EXEC", 1, "a!!b", NULL },
	{ "exec:a\\\\b", "EXEC", 1, "a\\b", NULL },
	{ "system:\\'x", "SYSTEM", 1, "'x", NULL },
	{ "exec:'a\\b'", "EXEC", 1, "a\\b", NULL },
	{ "exec:\"a\\,b\"", "EXEC", 1, "a,b", NULL },
	{ "exec:\"a\\\\b\"", "EXEC", 1, "a\\b", NULL },
	/* (), [] and {} protect separators and are kept */
	{ "exec:(a,b)", "EXEC", 1, "(a,b)", NULL },
	{ "exec:{a:b,c}", "EXEC", 1, "{a:b,c}", NULL },
	{ "exec:[a,(b,{c})]", "EXEC", 1, "[a,(b,{c})]", NULL },
	{ "exec:(a!!b)", "EXEC", 1, "(a!!b)", NULL },
	{ "exec:a]b", "EXEC", 1, "a]b", NULL },
	{ "exec:'(' x", "EXEC", 1, "( x", NULL },
	{ "exec:((((((((((((((((x))))))))))))))))", "EXEC", 1,
	  "((((((((((((((((x))))))))))))))))", NULL },
};

START_TEST(test_params)
{
	const struct param_case	*c = &param_cases[_i];
	const struct addr	*a = ok(c->text);

	ck_assert_str_eq(a->kind->name, c->kind);
	ck_assert_int_eq(a->nparams, c->nparams);
	ck_assert_str_eq(a->params[0], c->p0);
	if (c->nparams > 1)
		ck_assert_str_eq(a->params[1], c->p1);
	ck_assert_str_eq(a->text, c->text);
}
END_TEST

START_TEST(test_params_with_options)
{
	const struct addr	*a;

	a = ok("tcp6-listen:8080,bind=[::1]");
	ck_assert_str_eq(a->o.bind, "[::1]");
	a = ok("tcp:[::1]:80,bind=[::1]:5000,nodelay");
	ck_assert_str_eq(a->params[0], "[::1]");
	ck_assert_str_eq(a->o.bind, "[::1]:5000");
	ck_assert_int_eq(a->o.nodelay, 1);
	bad_msg("exec:'sh -c \"echo a,b\"',nosuchopt",
	    "unknown option 'nosuchopt' for EXEC");
}
END_TEST

START_TEST(test_options_split_from_rest_kinds)
{
	const struct addr	*a;

	a = ok("unix-listen:/tmp/a:b,fork,mode=0600");
	ck_assert_str_eq(a->params[0], "/tmp/a:b");
	ck_assert_int_eq(a->o.fork, 1);
	ck_assert_int_eq(a->o.mode, 0600);
	a = ok("open:'/tmp/a,b',append");
	ck_assert_str_eq(a->params[0], "/tmp/a,b");
	ck_assert_int_eq(a->o.append, 1);
	a = ok("unix-connect:/tmp/s,retry=2,interval=0.25");
	ck_assert_int_eq(a->o.retry, 2);
	ck_assert(a->o.interval == 0.25);
	/* EXEC and SYSTEM take no options: ',' still ends the command */
	bad_msg("exec:ls -l,fork", "option 'fork' does not apply to EXEC");
	bad_msg("system:ls,x=1", "unknown option 'x' for SYSTEM");
}
END_TEST

/* ---- syntax errors and the exact messages -------------------------------- */

static const struct err_case {
	const char	*text;
	const char	*msg;		/* after "TEXT: " */
} err_cases[] = {
	/* missing, empty and extra parameters */
	{ "tcp:localhost", "missing port (expected TCP:<host>:<port>)" },
	{ "tcp", "missing host (expected TCP:<host>:<port>)" },
	{ "TCP-CONNECT", "missing host (expected TCP-CONNECT:<host>:<port>)" },
	{ "Tcp4:h", "missing port (expected TCP4:<host>:<port>)" },
	{ "tcp-l", "missing port (expected TCP-L:<port>)" },
	{ "unix-l", "missing path (expected UNIX-L:<path>)" },
	{ "tcp:a:b:c", "too many parameters (expected TCP:<host>:<port>)" },
	{ "tcp:::1:80", "too many parameters (expected TCP:<host>:<port>)" },
	{ "TCP4-L:1:2", "too many parameters (expected TCP4-L:<port>)" },
	{ "tcp6-l:[::1]:1", "too many parameters (expected TCP6-L:<port>)" },
	{ "stdio:x", "too many parameters (expected STDIO)" },
	{ "stdio:", "too many parameters (expected STDIO)" },
	{ "-:x", "too many parameters (expected -)" },
	{ "fd:3:4", "too many parameters (expected FD:<fd>)" },
	{ "tcp::80", "empty host (expected TCP:<host>:<port>)" },
	{ "tcp:h:", "empty port (expected TCP:<host>:<port>)" },
	{ "tcp:'':80", "empty host (expected TCP:<host>:<port>)" },
	{ "tcp-l:", "empty port (expected TCP-L:<port>)" },
	{ "unix-connect:", "empty path (expected UNIX-CONNECT:<path>)" },
	{ "local:", "empty path (expected LOCAL:<path>)" },
	{ "creat:", "empty path (expected CREAT:<path>)" },
	{ "exec:", "empty command (expected EXEC:<command>)" },
	{ "fd:", "empty fd (expected FD:<fd>)" },
	/* unknown kinds */
	{ "tcpp:x:1", "unknown address kind 'tcpp', did you mean TCP?" },
	{ "tcpp", "unknown address kind 'tcpp', did you mean TCP?" },
	{ "TCP-LISEN:80", "unknown address kind 'TCP-LISEN', did you mean "
	  "TCP-LISTEN?" },
	{ "tcp-lsten:80", "unknown address kind 'tcp-lsten', did you mean "
	  "TCP-LISTEN?" },
	{ "stdoi", "unknown address kind 'stdoi', did you mean STDIO?" },
	{ "exce:ls", "unknown address kind 'exce', did you mean EXEC?" },
	{ "sytem:ls", "unknown address kind 'sytem', did you mean SYSTEM?" },
	{ "fd4:3", "unknown address kind 'fd4', did you mean FD?" },
	{ "nosuchkind:x", "unknown address kind 'nosuchkind' (see ferry "
	  "--help)" },
	{ "'tcp':h:1", "unknown address kind ''tcp'', did you mean TCP?" },
	{ "tcp-connect-x:h:1", "unknown address kind 'tcp-connect-x', did you "
	  "mean TCP-CONNECT?" },
	/* ports */
	{ "tcp:h:1,cert=c.pem", "option 'cert' needs the tls option (or an "
	    "OPENSSL-CONNECT/-LISTEN address)" },
	{ "unix-listen:/s,fingerprint=sha256:00", "option 'fingerprint' needs the tls "
	    "option (or an OPENSSL-CONNECT/-LISTEN address)" },
	{ "tcp:[]:80", "empty host" },
	{ "tcp:h:99999", "bad port '99999' (a number from 0 to 65535 or a "
	  "service name)" },
	{ "tcp:h:65536", "bad port '65536' (a number from 0 to 65535 or a "
	  "service name)" },
	{ "tcp:h:8o", "bad port '8o' (a number from 0 to 65535 or a service "
	  "name)" },
	{ "tcp:h:a.b", "bad port 'a.b' (a number from 0 to 65535 or a service "
	  "name)" },
	{ "tcp:h:[80]", "bad port '[80]' (a number from 0 to 65535 or a "
	  "service name)" },
	{ "tcp-l:80 ", "bad port '80 ' (a number from 0 to 65535 or a service "
	  "name)" },
	{ "tcp6-l:99999999999999999999", "bad port '99999999999999999999' (a "
	  "number from 0 to 65535 or a service name)" },
	/* brackets and the host */
	{ "tcp:[::1:80", "unclosed '['" },
	{ "tcp:(a:1", "unclosed '('" },
	{ "exec:{x", "unclosed '{'" },
	{ "exec:[a(b]c)", "unclosed '['" },
	{ "exec:(((((((((((((((((x)))))))))))))))))",
	  "brackets nested too deeply" },
	{ "tcp:\\[:80", "bad host '[' (an IPv6 address goes in brackets: [::1])" },
	/* quotes and backslashes */
	{ "exec:'abc", "unterminated ' quote" },
	{ "exec:\"abc", "unterminated \" quote" },
	{ "system:'", "unterminated ' quote" },
	{ "tcp:h:1,bind='x", "unterminated ' quote" },
	{ "tcp:h:1\\", "backslash at the end" },
	{ "exec:a\\", "backslash at the end" },
	{ "exec:\"a\\\"", "unterminated \" quote" },
	/* commands (EXEC splits into words at parse time; SYSTEM does not) */
	{ "exec:' '", "empty command" },
	{ "exec:\"'\"", "unterminated ' quote in command" },
	{ "exec:'echo \"a'", "unterminated \" quote in command" },
	/* options */
	{ "tcp:h:1,", "empty option" },
	{ "tcp:h:1,,fork", "empty option" },
	{ "tcp-l:1,fork,", "empty option" },
	{ "tcp:h:1,fork", "option 'fork' does not apply to TCP-CONNECT" },
	{ "unix-connect:/x,fork", "option 'fork' does not apply to "
	  "UNIX-CONNECT" },
	{ "unix-connect:/x,nosuchopt", "unknown option 'nosuchopt' for "
	  "UNIX-CONNECT" },
	{ "unix:/x,nosuchopt=1", "unknown option 'nosuchopt' for "
	  "UNIX-CLIENT" },
	{ "TCP-L:80,NoSuchOpt", "unknown option 'NoSuchOpt' for TCP-LISTEN" },
	{ "tcp-l:80,=5", "unknown option '' for TCP-LISTEN" },
	{ "tcp-l:80,fork1", "unknown option 'fork1' for TCP-LISTEN" },
	{ "tcp-l:80,perm=0600", "option 'mode' does not apply to TCP-LISTEN" },
	{ "tcp:h:1,user=", "option 'user' does not apply to TCP-CONNECT" },
	/* checks of the families */
	{ "tcp6:h:1,pf=ip4", "pf=ip4 contradicts TCP6-CONNECT" },
	{ "tcp4-l:1,pf=ip6", "pf=ip6 contradicts TCP4-LISTEN" },
	{ "tcp4:h:1,protocol-family=6", "pf=ip6 contradicts TCP4-CONNECT" },
	{ "udp6:h:1,pf=ip4", "pf=ip4 contradicts UDP6-CONNECT" },
	{ "udp4-recvfrom:1,pf=6", "pf=ip6 contradicts UDP4-RECVFROM" },
	{ "udp:h:99999", "bad port '99999' (a number from 0 to 65535 or a "
	  "service name)" },
	{ "udp-l:x.y", "bad port 'x.y' (a number from 0 to 65535 or a "
	  "service name)" },
	{ "udp-recv:1,fork", "option 'fork' does not apply to UDP-RECV" },
	{ "unix-recv:/x,fork", "option 'fork' does not apply to UNIX-RECV" },
	{ "unix-sendto:/x,mode=0600", "option 'mode' does not apply to "
	  "UNIX-SENDTO" },
	{ "udp:h:1,nodelay", "option 'nodelay' does not apply to UDP-CONNECT" },
	{ "unix-recvfrom:", "empty path (expected UNIX-RECVFROM:<path>)" },
	{ "open:/x,rdonly,wronly", "rdonly and wronly exclude each other" },
	{ "gopen:/x,o-rdonly,o-wronly", "rdonly and wronly exclude each "
	  "other" },
	{ "create:/x,rdonly", "CREATE opens for writing; rdonly makes no "
	  "sense" },
	{ "fd:abc", "'abc' is not a file descriptor number" },
	{ "fd:-1", "'-1' is not a file descriptor number" },
	{ "fd:65536", "'65536' is not a file descriptor number" },
	{ "fd:3x", "'3x' is not a file descriptor number" },
};

START_TEST(test_error)
{
	bad_msg(err_cases[_i].text, err_cases[_i].msg);
}
END_TEST

/* Socket paths: the longest that fits, one more, much more. */
/* SSH: user, port, an IPv6 host in brackets; the path must be absolute. */
START_TEST(test_ssh_target)
{
	struct addr	*a;

	a = ok("ssh:root@[::1]:2222:/tmp/a:b.sock,ssh-option=Port=1,"
	    "ssh-option=User=x");
	ck_assert_str_eq(a->params[0], "root@[::1]");
	ck_assert_str_eq(a->params[1], "2222:/tmp/a:b.sock");
	ck_assert_str_eq(a->o.ssh_options, "Port=1\nUser=x");
	ok("SSH-LISTEN:host:/run/x.sock,fork");
	bad_msg("ssh:host:tmp/x.sock", "the remote path must be absolute "
	    "(expected SSH:[user@]host:[port:]/path)");
	bad_msg("ssh:host:22:x.sock", "the remote path must be absolute "
	    "(expected SSH:[user@]host:[port:]/path)");
	bad_msg("ssh:-oProxyCommand=x:/a", "bad host name");
	bad_msg("ssh:host", "missing path (expected SSH:<host>:<path>)");
}
END_TEST

START_TEST(test_unix_path_length)
{
	char	path[1024], text[1200], want[1400], head[128];
	size_t	max = SUN_PATH_MAX - 1;		/* room for the NUL */

	fill(path, sizeof path, "/", 'p', max - 1, "");
	snprintf(text, sizeof text, "unix-listen:%s", path);
	ck_assert_uint_eq(strlen(ok(text)->params[0]), max);
	snprintf(text, sizeof text, "unix-connect:%s", path);
	ck_assert_uint_eq(strlen(ok(text)->params[0]), max);

	fill(path, sizeof path, "/", 'p', max, "");
	snprintf(text, sizeof text, "unix-listen:%s", path);
	memcpy(head, text, TEXT_SHORT);
	head[TEXT_SHORT] = '\0';
	snprintf(want, sizeof want, "%s...: socket path too long (%zu bytes, "
	    "at most %zu)", head, max + 1, max);
	bad_eq(text, want);
	snprintf(text, sizeof text, "unix:%s", path);
	memcpy(head, text, TEXT_SHORT);
	snprintf(want, sizeof want, "%s...: socket path too long (%zu bytes, "
	    "at most %zu)", head, max + 1, max);
	bad_eq(text, want);
}
END_TEST

START_TEST(test_empty_address_rejected)
{
	const char	*err = bad("");

	ck_assert_ptr_nonnull(strstr(err, "empty address"));
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

/* ---- options ------------------------------------------------------------- */

static int
needs_tls(const struct opt_case *c, const struct kind_case *k)
{
#ifdef OG_TLS
	return ((c->groups & OG_TLS) && (k->groups & OG_TLS) &&
	    strcmp(c->name, "tls") != 0 && strncmp(k->name, "OPENSSL", 7) != 0);
#else
	return (0);
#endif
}

/*
 * A base address of kind k with each option (and its alias) after it: the
 * option applies and sets its field, or is refused by name.
 */
static void
check_matrix(const struct kind_case *k)
{
	const struct opt_case	*c;
	const struct addr	*a;
	char			 opt[64], text[256], msg[256];
	size_t			 i;
	int			 alias;

	for (i = 0; i < nitems(opt_cases); i++) {
		c = &opt_cases[i];
		for (alias = 0; alias < 2; alias++) {
			if (alias && c->alias == NULL)
				continue;
			/* TLS options need the layer on (OPENSSL-* have it). */
			snprintf(text, sizeof text, "%s%s,%s%s", k->name,
			    k->suffix, needs_tls(c, k) ? "tls," : "",
			    opt_text(c, k, alias, opt, sizeof opt));
			if ((kgroups(k) & c->groups) == 0) {
				snprintf(msg, sizeof msg, "option '%s' does "
				    "not apply to %s", c->name, k->name);
				bad_msg(text, msg);
				continue;
			}
			if (strcmp(k->name, "CREATE") == 0 &&
			    strcmp(c->name, "rdonly") == 0) {
				bad_msg(text, "CREATE opens for writing; "
				    "rdonly makes no sense");
				continue;
			}
			a = ok(text);
			ck_assert_str_eq(a->kind->name, k->name);
			if (strcmp(c->name, "pf") == 0)
				ck_assert_int_eq(a->o.pf,
				    (strncmp(k->name, "TCP6", 4) == 0 ||
				    strncmp(k->name, "UDP6", 4) == 0) ? 6 : 4);
			else
				check_opt_field(a, c, text);
		}
	}
}

/* The kinds with parameters; those without: test_defect_option_matrix. */
START_TEST(test_option_applicability)
{
	if (kind_cases[_i].nparams > 0)
		check_matrix(&kind_cases[_i]);
}
END_TEST

/* Everything at once, on the kinds that take the most. */
START_TEST(test_option_combinations)
{
	const struct addr	*a;

	a = ok("tcp-listen:8080,fork,backlog=128,max-children=50,reuseaddr=0,"
	    "bind=0.0.0.0,pf=ip4,nodelay=1,keepalive=1");
	ck_assert_int_eq(a->o.fork, 1);
	ck_assert_int_eq(a->o.backlog, 128);
	ck_assert_int_eq(a->o.max_children, 50);
	ck_assert_int_eq(a->o.reuseaddr, 0);
	ck_assert_str_eq(a->o.bind, "0.0.0.0");
	ck_assert_int_eq(a->o.pf, 4);
	ck_assert_int_eq(a->o.nodelay, 1);
	ck_assert_int_eq(a->o.keepalive, 1);

	a = ok("unix-listen:/tmp/s,fork,unlink-early,unlink-close=0,"
	    "mode=0660,user=0,group=0,backlog=5,max-conns=3");
	ck_assert_int_eq(a->o.unlink_early, 1);
	ck_assert_int_eq(a->o.unlink_close, 0);
	ck_assert_int_eq(a->o.mode, 0660);
	ck_assert_int_eq(a->o.user_set, 1);
	ck_assert_uint_eq(a->o.user, 0);
	ck_assert_int_eq(a->o.group_set, 1);
	ck_assert_uint_eq(a->o.group, 0);
	ck_assert_int_eq(a->o.max_children, 3);

	a = ok("tcp6:[::1]:80,retry=5,interval=0.5,forever,"
	    "connect-timeout=3,bind=[::1]:0,pf=ip6,so-keepalive");
	ck_assert_int_eq(a->o.retry, 5);
	ck_assert(a->o.interval == 0.5);
	ck_assert_int_eq(a->o.forever, 1);
	ck_assert(a->o.connect_timeout == 3.0);
	ck_assert_int_eq(a->o.pf, 6);
	ck_assert_int_eq(a->o.keepalive, 1);

	a = ok("open:/tmp/f,append,trunc,creat,excl,wronly,mode=0600,"
	    "unlink-close");
	ck_assert_int_eq(a->o.append + a->o.trunc + a->o.creat + a->o.excl +
	    a->o.wronly, 5);
	ck_assert_int_eq(a->o.rdonly, 0);
	ck_assert_int_eq(a->o.unlink_close, 1);
}
END_TEST

/* What an address gets when no option is given (struct addr_opts). */
START_TEST(test_option_defaults)
{
	static const char *const texts[] = {
		"tcp-l:80", "tcp:h:1", "unix-l:/s", "unix:/s", "open:/f", "-",
	};
	const struct addr	*a;
	size_t			 i;

	for (i = 0; i < nitems(texts); i++) {
		a = ok(texts[i]);
		ck_assert_int_eq(a->o.fork, 0);
#ifdef OG_FDPASS
		ck_assert_int_eq(a->o.fdpass, 0);
#endif
		ck_assert_int_eq(a->o.backlog, -1);
		ck_assert_int_eq(a->o.max_children, 0);
		ck_assert_int_eq(a->o.reuseaddr, -1);
		ck_assert_int_eq(a->o.unlink_early, 0);
		ck_assert_int_eq(a->o.unlink_close, -1);
		ck_assert_int_eq(a->o.mode, -1);
		ck_assert_int_eq(a->o.user_set, 0);
		ck_assert_int_eq(a->o.group_set, 0);
		ck_assert_ptr_null(a->o.bind);
		ck_assert_int_eq(a->o.pf, 0);
		ck_assert_int_eq(a->o.nodelay, -1);
		ck_assert_int_eq(a->o.keepalive, 0);
		ck_assert_int_eq(a->o.retry, 0);
		ck_assert_int_eq(a->o.forever, 0);
		ck_assert(a->o.interval == 1.0);
		ck_assert(a->o.connect_timeout == 0.0);
		ck_assert_int_eq(a->o.append + a->o.trunc + a->o.creat +
		    a->o.excl + a->o.rdonly + a->o.wronly, 0);
	}
}
END_TEST

#ifdef OG_TLS
/* TLS is on by default for the OPENSSL kinds only; verify is "default". */
START_TEST(test_option_tls_defaults)
{
	static const char *const on[] = {
		"openssl-connect:h:443", "OPENSSL:h:443", "ssl:h:443",
		"openssl-listen:443", "openssl-l:443", "SSL-L:443",
	};
	static const char *const off[] = {
		"tcp:h:443", "tcp-l:443", "unix:/s", "unix-l:/s", "exec:cat",
		"system:cat", "-", "fd:3", "open:/f",
	};
	const struct addr	*a;
	size_t			 i;

	for (i = 0; i < nitems(on); i++) {
		a = ok(on[i]);
		ck_assert_int_eq(a->o.tls, 1);
		ck_assert_int_eq(a->o.verify, -1);
		ck_assert_ptr_null(a->o.cert);
		ck_assert_ptr_null(a->o.psk_file);
	}
	for (i = 0; i < nitems(off); i++) {
		a = ok(off[i]);
		ck_assert_int_eq(a->o.tls, 0);
		ck_assert_int_eq(a->o.verify, -1);
	}
	/* a TLS pair: each half its own */
	a = ok("openssl:h:443,cafile=ca.pem!!ssl:h2:443,cafile=other.pem");
	ck_assert_str_eq(a->o.cafile, "ca.pem");
	ck_assert_str_eq(a->wr->o.cafile, "other.pem");
	ck_assert_int_eq(a->wr->o.tls, 1);
}
END_TEST
#endif

/* Valid values of every type of option. */
static const struct value_case {
	const char	*text;
	size_t		 off;
	enum ftype	 type;
	int		 want_i;
	double		 want_d;
	const char	*want_s;
} value_cases[] = {
#define VI(t, f, v)	{ t, OFF(f), F_INT, v, 0, NULL }
#define VD(t, f, v)	{ t, OFF(f), F_DBL, 0, v, NULL }
#define VS(t, f, v)	{ t, OFF(f), F_STR, 0, 0, v }
	/* booleans */
	VI("tcp-l:80,fork", fork, 1),
	VI("tcp-l:80,fork=1", fork, 1),
	VI("tcp-l:80,fork=0", fork, 0),
	VI("tcp-l:80,fork=yes", fork, 1),
	VI("tcp-l:80,fork=no", fork, 0),
	VI("tcp-l:80,fork=YES", fork, 1),
	VI("tcp-l:80,fork=No", fork, 0),
	VI("tcp-l:80,fork=true", fork, 1),
	VI("tcp-l:80,fork=FALSE", fork, 0),
	VI("tcp-l:80,fork=on", fork, 1),
	VI("tcp-l:80,fork=Off", fork, 0),
	VI("tcp-l:80,fork=0,fork", fork, 1),
	VI("tcp-l:80,fork,fork=0", fork, 0),
	VI("tcp-l:80,reuseaddr=0", reuseaddr, 0),
	VI("tcp:h:1,nodelay", nodelay, 1),
	VI("tcp:h:1,nodelay=off", nodelay, 0),
	VI("tcp:h:1,tcp-nodelay=0", nodelay, 0),
	VI("tcp:h:1,keepalive=yes", keepalive, 1),
	VI("unix-l:/s,unlink-close=no", unlink_close, 0),
	VI("unix-l:/s,unlink-close", unlink_close, 1),
	VI("unix:/s,forever=1", forever, 1),
	VI("open:/f,o-append=1", append, 1),
	VI("open:/f,append=0", append, 0),
	/* whole numbers */
	VI("tcp-l:80,backlog=0", backlog, 0),
	VI("tcp-l:80,backlog=1", backlog, 1),
	VI("tcp-l:80,backlog=007", backlog, 7),
	VI("tcp-l:80,backlog=2147483647", backlog, 2147483647),
	VI("tcp-l:80,backlog=5,backlog=6", backlog, 6),
	VI("tcp-l:80,max-children=0", max_children, 0),
	VI("tcp-l:80,max-conns=100", max_children, 100),
	VI("unix:/s,retry=0", retry, 0),
	VI("unix:/s,retry=1000", retry, 1000),
	/* seconds */
	VD("unix:/s,interval=0", interval, 0.0),
	VD("unix:/s,interval=0.5", interval, 0.5),
	VD("unix:/s,interval=2", interval, 2.0),
	VD("unix:/s,interval=1000", interval, 1000.0),
	VD("unix:/s,interval=10000000", interval, 1e7),
	VD("tcp:h:1,connect-timeout=0.25", connect_timeout, 0.25),
	VD("tcp:h:1,connect-timeout=30", connect_timeout, 30.0),
	/* octal modes */
	VI("unix-l:/s,mode=0600", mode, 0600),
	VI("unix-l:/s,mode=600", mode, 0600),
	VI("unix-l:/s,mode=0", mode, 0),
	VI("unix-l:/s,mode=7777", mode, 07777),
	VI("unix-l:/s,mode=07777", mode, 07777),
	VI("create:/f,perm=0755", mode, 0755),
	/* users and groups by number (names: test_option_user_group) */
	VI("unix-l:/s,user=0", user_set, 1),
	VI("unix-l:/s,owner=0", user_set, 1),
	VI("unix-l:/s,group=0", group_set, 1),
	VI("open:/f,user=65534", user, 65534),
	VI("open:/f,group=65534", group, 65534),
	/* protocol families */
	VI("tcp:h:1,pf=ip4", pf, 4),
	VI("tcp:h:1,pf=IPv4", pf, 4),
	VI("tcp:h:1,pf=inet", pf, 4),
	VI("tcp:h:1,pf=4", pf, 4),
	VI("tcp:h:1,protocol-family=ip4", pf, 4),
	VI("tcp:h:1,pf=ip6", pf, 6),
	VI("tcp:h:1,pf=IPV6", pf, 6),
	VI("tcp:h:1,pf=inet6", pf, 6),
	VI("tcp:h:1,pf=6", pf, 6),
	VI("tcp-l:1,pf=ip6", pf, 6),
	VI("tcp4:h:1,pf=ip4", pf, 4),
	VI("tcp6-l:1,pf=ip6", pf, 6),
	/* strings */
	VS("tcp:h:1,bind=[::1]", bind, "[::1]"),
	VS("tcp6-listen:8080,bind=[::1]", bind, "[::1]"),
	VS("tcp:h:1,bind=[::1]:5000", bind, "[::1]:5000"),
	VS("tcp:h:1,bind=10.0.0.1:5000", bind, "10.0.0.1:5000"),
	VS("tcp:h:1,bind='a,b'", bind, "a,b"),
	VS("tcp:h:1,bind=a\\,b", bind, "a,b"),
	VS("tcp:h:1,bind=a=b", bind, "a=b"),
	VS("tcp:h:1,bind=a,bind=b", bind, "b"),
	VS("tcp-l:1,bind=localhost", bind, "localhost"),
#ifdef OG_FDPASS
	VI("fd:3,fdpass", fdpass, 1),
	VI("tcp-l:1,fdpass=0", fdpass, 0),
	VI("unix:/s,FDPASS=yes", fdpass, 1),
	VI("exec:cat,fdpass", fdpass, 1),
#endif
#ifdef OG_TLS
	VI("tcp:h:1,tls", tls, 1),
	VI("openssl:h:443,tls=0", tls, 0),
	VI("openssl:h:443,verify=no", verify, 0),
	VI("openssl:h:443,verify", verify, 1),
	VS("openssl:h:443,cert=a.pem,cert=b.pem", cert, "b.pem"),
	VS("openssl:h:443,cn='a,b'", commonname, "a,b"),
	VS("openssl:h:443,ciphers=ECDHE+AESGCM:!aNULL", cipher,
	    "ECDHE+AESGCM:!aNULL"),
	VS("ssl-l:443,fingerprint=sha256:AB:CD", fingerprint, "sha256:AB:CD"),
#endif
#undef VI
#undef VD
#undef VS
};

START_TEST(test_option_value)
{
	const struct value_case	*c = &value_cases[_i];
	const struct addr	*a = ok(c->text);

	switch (c->type) {
	case F_INT:
		if (c->off == OFF(user) || c->off == OFF(group)) {
			uid_t	id;

			if (c->off == OFF(user))
				id = a->o.user;
			else
				id = (uid_t)a->o.group;
			ck_assert_uint_eq(id, (uid_t)c->want_i);
			break;
		}
		ck_assert_msg(opt_int(a, c->off) == c->want_i,
		    "'%s': %d, want %d", c->text, opt_int(a, c->off),
		    c->want_i);
		break;
	case F_DBL:
		ck_assert_msg(opt_dbl(a, c->off) == c->want_d,
		    "'%s': %g, want %g", c->text, opt_dbl(a, c->off),
		    c->want_d);
		break;
	case F_STR:
		ck_assert_str_eq(opt_str(a, c->off), c->want_s);
		break;
	}
}
END_TEST

/* Invalid values, with their messages (after "TEXT: "). */
static const struct err_case bad_value_cases[] = {
	/* booleans */
	{ "tcp-l:80,fork=2", "option 'fork' takes 0 or 1, not '2'" },
	{ "tcp-l:80,fork=", "option 'fork' takes 0 or 1, not ''" },
	{ "tcp-l:80,fork=maybe", "option 'fork' takes 0 or 1, not 'maybe'" },
	{ "tcp-l:80,fork=yess", "option 'fork' takes 0 or 1, not 'yess'" },
	{ "tcp:h:1,nodelay=-1", "option 'nodelay' takes 0 or 1, not '-1'" },
	{ "open:/f,append=x", "option 'append' takes 0 or 1, not 'x'" },
	{ "unix:/s,forever=01", "option 'forever' takes 0 or 1, not '01'" },
	/* whole numbers */
	{ "tcp-l:80,backlog", "option 'backlog' needs a value" },
	{ "tcp-l:80,backlog=", "option 'backlog' needs a value" },
	{ "tcp-l:80,backlog=-1", "option 'backlog' needs a whole number, not "
	  "'-1'" },
	{ "tcp-l:80,backlog=+1", "option 'backlog' needs a whole number, not "
	  "'+1'" },
	{ "tcp-l:80,backlog=1.5", "option 'backlog' needs a whole number, not "
	  "'1.5'" },
	{ "tcp-l:80,backlog=12x", "option 'backlog' needs a whole number, not "
	  "'12x'" },
	{ "tcp-l:80,backlog=' 1'", "option 'backlog' needs a whole number, "
	  "not ' 1'" },
	{ "tcp-l:80,backlog=2147483648", "option 'backlog' needs a whole "
	  "number, not '2147483648'" },
	{ "tcp-l:80,backlog=99999999999999999999", "option 'backlog' needs a "
	  "whole number, not '99999999999999999999'" },
	{ "tcp-l:80,max-children=ten", "option 'max-children' needs a whole "
	  "number, not 'ten'" },
	{ "tcp-l:80,max-conns", "option 'max-children' needs a value" },
	{ "unix:/s,retry=-3", "option 'retry' needs a whole number, not "
	  "'-3'" },
	/* seconds */
	{ "unix:/s,interval", "option 'interval' needs a value" },
	{ "unix:/s,interval=", "option 'interval' needs a value" },
	{ "unix:/s,interval=.5", "option 'interval' needs seconds, not '.5'" },
	{ "unix:/s,interval=-1", "option 'interval' needs seconds, not '-1'" },
	{ "unix:/s,interval=1e8", "option 'interval' needs seconds, not "
	  "'1e8'" },
	{ "unix:/s,interval=nan", "option 'interval' needs seconds, not "
	  "'nan'" },
	{ "unix:/s,interval=inf", "option 'interval' needs seconds, not "
	  "'inf'" },
	{ "unix:/s,interval=1s", "option 'interval' needs seconds, not "
	  "'1s'" },
	{ "unix:/s,interval=1e999", "option 'interval' needs seconds, not "
	  "'1e999'" },
	{ "tcp:h:1,connect-timeout=abc", "option 'connect-timeout' needs "
	  "seconds, not 'abc'" },
	/* octal modes */
	{ "unix-l:/s,mode=999", "option 'mode' needs an octal mode like 0600, "
	  "not '999'" },
	{ "unix-l:/s,mode=8", "option 'mode' needs an octal mode like 0600, "
	  "not '8'" },
	{ "unix-l:/s,mode=10000", "option 'mode' needs an octal mode like "
	  "0600, not '10000'" },
	{ "unix-l:/s,mode=-1", "option 'mode' needs an octal mode like 0600, "
	  "not '-1'" },
	{ "unix-l:/s,mode=rw", "option 'mode' needs an octal mode like 0600, "
	  "not 'rw'" },
	{ "unix-l:/s,mode=0x1ff", "option 'mode' needs an octal mode like "
	  "0600, not '0x1ff'" },
	{ "open:/f,perm=u+rw", "option 'mode' needs an octal mode like 0600, "
	  "not 'u+rw'" },
	{ "unix-l:/s,mode", "option 'mode' needs a value" },
	/* users and groups */
	{ "unix-l:/s,user=ferry-no-such-user", "unknown user "
	  "'ferry-no-such-user'" },
	{ "unix-l:/s,user=-1", "unknown user '-1'" },
	{ "unix-l:/s,user=99999999999", "unknown user '99999999999'" },
	{ "open:/f,owner=ferry-no-such-user", "unknown user "
	  "'ferry-no-such-user'" },
	{ "unix-l:/s,user", "option 'user' needs a value" },
	{ "unix-l:/s,group=ferry-no-such-group", "unknown group "
	  "'ferry-no-such-group'" },
	{ "create:/f,group=-1", "unknown group '-1'" },
	{ "unix-l:/s,group=", "option 'group' needs a value" },
	/* protocol families */
	{ "tcp:h:1,pf=ip5", "option 'pf' takes ip4 or ip6, not 'ip5'" },
	{ "tcp:h:1,pf=unix", "option 'pf' takes ip4 or ip6, not 'unix'" },
	{ "tcp:h:1,pf=46", "option 'pf' takes ip4 or ip6, not '46'" },
	{ "tcp:h:1,pf=", "option 'pf' needs a value" },
	{ "tcp:h:1,protocol-family", "option 'pf' needs a value" },
	/* strings */
	{ "tcp:h:1,bind", "option 'bind' needs a value" },
	{ "tcp:h:1,bind=", "option 'bind' needs a value" },
	{ "tcp:h:1,bind=''", "option 'bind' needs a value" },
#ifdef OG_FDPASS
	{ "tcp-l:1,fdpass=2", "option 'fdpass' takes 0 or 1, not '2'" },
	{ "open:/f,fdpass", "option 'fdpass' does not apply to OPEN" },
	{ "stdin:,fdpass", "too many parameters (expected STDIN)" },
#endif
#ifdef OG_TLS
	{ "tcp:h:1,tls=tls", "option 'tls' takes 0 or 1, not 'tls'" },
	{ "openssl:h:1,verify=maybe", "option 'verify' takes 0 or 1, not "
	  "'maybe'" },
	{ "openssl:h:1,cert", "option 'cert' needs a value" },
	{ "openssl:h:1,certificate=", "option 'cert' needs a value" },
	{ "ssl-l:1,psk-file", "option 'psk-file' needs a value" },
	{ "open:/f,tls", "option 'tls' does not apply to OPEN" },
	{ "fd:3,cafile=x", "option 'cafile' does not apply to FD" },
#endif
};

START_TEST(test_option_bad_value)
{
	bad_msg(bad_value_cases[_i].text, bad_value_cases[_i].msg);
}
END_TEST

/* Names of users and groups, where the system has them. */
START_TEST(test_option_user_group)
{
	const struct addr	*a;
	struct passwd		*pw;
	struct group		*gr;
	char			 text[256];

	if ((pw = getpwuid(0)) != NULL) {
		snprintf(text, sizeof text, "unix-l:/s,user=%s", pw->pw_name);
		a = ok(text);
		ck_assert_int_eq(a->o.user_set, 1);
		ck_assert_uint_eq(a->o.user, 0);
		ck_assert_int_eq(a->o.group_set, 0);
	}
	if ((gr = getgrgid(0)) != NULL) {
		snprintf(text, sizeof text, "open:/f,group=%s", gr->gr_name);
		a = ok(text);
		ck_assert_int_eq(a->o.group_set, 1);
		ck_assert_uint_eq(a->o.group, 0);
		ck_assert_int_eq(a->o.user_set, 0);
	}
	a = ok("unix-l:/s,user=0");
	ck_assert_uint_eq(a->o.user, 0);
	a = ok("unix-l:/s,group=0,owner=0");
	ck_assert_uint_eq(a->o.group, 0);
	ck_assert_int_eq(a->o.user_set, 1);
}
END_TEST

/* Option names are case-insensitive, values of bool and pf too. */
START_TEST(test_option_case)
{
	const struct addr	*a;

	a = ok("tcp-l:80,FORK,BackLog=5,Max-Children=2,REUSEADDR=Yes");
	ck_assert_int_eq(a->o.fork, 1);
	ck_assert_int_eq(a->o.backlog, 5);
	ck_assert_int_eq(a->o.max_children, 2);
	ck_assert_int_eq(a->o.reuseaddr, 1);
	a = ok("TCP:h:1,PF=IP6,NoDelay=OFF,SO-KEEPALIVE,Bind=[::1]");
	ck_assert_int_eq(a->o.pf, 6);
	ck_assert_int_eq(a->o.nodelay, 0);
	ck_assert_int_eq(a->o.keepalive, 1);
	ck_assert_str_eq(a->o.bind, "[::1]");
	a = ok("unix-l:/s,Unlink-Early,UNLINK-CLOSE=0,MODE=0600,Perm=0640");
	ck_assert_int_eq(a->o.unlink_early, 1);
	ck_assert_int_eq(a->o.unlink_close, 0);
	ck_assert_int_eq(a->o.mode, 0640);
	a = ok("open:/f,O-APPEND,Creat,EXCL=TRUE");
	ck_assert_int_eq(a->o.append + a->o.creat + a->o.excl, 3);
	a = ok("unix:/s,RETRY=3,Interval=0.5,FOREVER,Connect-Timeout=1");
	ck_assert_int_eq(a->o.retry, 3);
	ck_assert_int_eq(a->o.forever, 1);
	/* the message names the option as the table does */
	bad_msg("tcp:h:1,FORK", "option 'fork' does not apply to TCP-CONNECT");
	bad_msg("tcp-l:1,BACKLOG=x", "option 'backlog' needs a whole number, "
	    "not 'x'");
}
END_TEST

/* ---- the dual form A!!B -------------------------------------------------- */

START_TEST(test_dual)
{
	const struct addr	*a;

	a = ok("-!!-");
	ck_assert_str_eq(a->kind->name, "STDIO");
	ck_assert_ptr_nonnull(a->wr);
	ck_assert_str_eq(a->wr->kind->name, "STDIO");
	ck_assert_ptr_null(a->wr->wr);
	ck_assert_str_eq(a->text, "-!!-");
	ck_assert_str_eq(a->wr->text, "-");
	ck_assert_int_eq(addr_listens(a), 0);

	a = ok("stdin!!STDOUT");
	ck_assert_str_eq(a->kind->name, "STDIN");
	ck_assert_str_eq(a->wr->kind->name, "STDOUT");

	a = ok("open:/tmp/in,rdonly!!create:/tmp/out,append,mode=0600");
	ck_assert_str_eq(a->kind->name, "OPEN");
	ck_assert_str_eq(a->params[0], "/tmp/in");
	ck_assert_int_eq(a->o.rdonly, 1);
	ck_assert_int_eq(a->o.append, 0);
	ck_assert_str_eq(a->wr->kind->name, "CREATE");
	ck_assert_str_eq(a->wr->params[0], "/tmp/out");
	ck_assert_int_eq(a->wr->o.append, 1);
	ck_assert_int_eq(a->wr->o.mode, 0600);
	ck_assert_int_eq(a->wr->o.rdonly, 0);

	a = ok("tcp:[::1]:80,retry=2!!unix:/tmp/s");
	ck_assert_str_eq(a->kind->name, "TCP-CONNECT");
	ck_assert_int_eq(a->o.retry, 2);
	ck_assert_str_eq(a->wr->kind->name, "UNIX-CLIENT");
	ck_assert_str_eq(a->text, "tcp:[::1]:80,retry=2!!unix:/tmp/s");

	a = ok("3!!/tmp/log");
	ck_assert_str_eq(a->kind->name, "FD");
	ck_assert_str_eq(a->wr->kind->name, "GOPEN");

	a = ok("exec:'cat'!!system:'wc -l'");
	ck_assert_str_eq(a->params[0], "cat");
	ck_assert_str_eq(a->wr->params[0], "wc -l");

	/* '!!' inside quotes, brackets or escaped is not a separator */
	a = ok("system:'a!!b'");
	ck_assert_ptr_null(a->wr);
	a = ok("system:\"a!!b\"");
	ck_assert_ptr_null(a->wr);
	a = ok("exec:(a!!b)");
	ck_assert_ptr_null(a->wr);
	a = ok("exec:a\\!!b");
	ck_assert_ptr_null(a->wr);
}
END_TEST

START_TEST(test_dual_errors)
{
	static const char	msg[] = "the !! form joins two non-listening "
	    "addresses, read from the first and written to the second";
	char			want[256];

	snprintf(want, sizeof want, "tcp-l:80: %s", msg);
	bad_eq("tcp-l:80!!-", want);
	snprintf(want, sizeof want, "unix-listen:/s,fork: %s", msg);
	bad_eq("unix-listen:/s,fork!!stdout", want);
	/* a bad half is named on its own */
	bad_eq("tcpp:1!!-", "tcpp:1: unknown address kind 'tcpp', did you "
	    "mean TCP?");
	bad_eq("-!!tcp:h", "tcp:h: missing port (expected TCP:<host>:<port>)");
	bad_eq("-!!tcp:h:1,fork", "tcp:h:1,fork: option 'fork' does not "
	    "apply to TCP-CONNECT");
	bad_eq("stdin:x!!-", "stdin:x: too many parameters (expected STDIN)");
	/* an unquoted !! in a command splits it, as in socat */
	ck_assert_ptr_nonnull(strstr(bad("exec:a!!b"), "unknown address kind "
	    "'b'"));
	/* empty halves */
	ck_assert_ptr_nonnull(strstr(bad("!!-"), "empty address"));
	ck_assert_ptr_nonnull(strstr(bad("-!!"), "empty address"));
	ck_assert_ptr_nonnull(strstr(bad("!!"), "empty address"));
	/* three halves */
	bad("-!!exec:a!!b");
	bad("-!!-!!-");
}
END_TEST

/* ---- the text of an address in messages --------------------------------- */

START_TEST(test_text_shortened)
{
	char	text[256], want[512], head[TEXT_SHORT + 1];

	/* exactly TEXT_SHORT characters: kept whole */
	fill(text, sizeof text, "exec:", 'x', TEXT_SHORT - 5, "");
	ck_assert_str_eq(ok(text)->text, text);
	/* one more: cut, with "..." */
	fill(text, sizeof text, "exec:", 'x', TEXT_SHORT - 4, "");
	fill(want, sizeof want, "exec:", 'x', TEXT_SHORT - 5, "...");
	ck_assert_str_eq(ok(text)->text, want);
	/* in a message */
	fill(text, sizeof text, "tcp:", 'h', 100, ":99999");
	memcpy(head, text, TEXT_SHORT);
	head[TEXT_SHORT] = '\0';
	snprintf(want, sizeof want, "%s...: bad port '99999' (a number from 0 "
	    "to 65535 or a service name)", head);
	bad_eq(text, want);
	/* a long unknown kind: no hint, the kind cut too */
	fill(text, sizeof text, "", 'k', 100, ":x");
	fill(want, sizeof want, "", 'k', TEXT_SHORT, "...: unknown address "
	    "kind '");
	fill(want + strlen(want), sizeof want - strlen(want), "", 'k',
	    TEXT_SHORT, "...' (see ferry --help)");
	bad_eq(text, want);
	/* a long unknown option: cut in both places */
	fill(text, sizeof text, "tcp-l:1,", 'o', 100, "");
	fill(want, sizeof want, "tcp-l:1,", 'o', TEXT_SHORT - 8, "...: "
	    "unknown option '");
	fill(want + strlen(want), sizeof want - strlen(want), "", 'o',
	    TEXT_SHORT, "...' for TCP-LISTEN");
	bad_eq(text, want);
	/* a long bad value: at most 32 characters of it */
	fill(text, sizeof text, "tcp-l:1,backlog=", 'x', 40, "");
	fill(want, sizeof want, "tcp-l:1,backlog=", 'x', 40, ": option "
	    "'backlog' needs a whole number, not '");
	fill(want + strlen(want), sizeof want - strlen(want), "", 'x', 32,
	    "'");
	bad_eq(text, want);
	/* the pair is shortened as a whole */
	fill(text, sizeof text, "-!!exec:", 'y', 100, "");
	fill(want, sizeof want, "-!!exec:", 'y', TEXT_SHORT - 8, "...");
	ck_assert_str_eq(ok(text)->text, want);
}
END_TEST

START_TEST(test_text_escaped)
{
	char	text[256], want[512];
	size_t	len;

	ck_assert_str_eq(ok("exec:a\tb\x7f\xc3\xa9")->text,
	    "exec:a\\x09b\\x7f\\xc3\\xa9");
	bad_eq("tcp-l:1,\x01" "fork", "tcp-l:1,\\x01fork: unknown option "
	    "'\\x01fork' for TCP-LISTEN");
	bad_eq("x\x1by:1", "x\\x1by:1: unknown address kind 'x\\x1by' (see "
	    "ferry --help)");
	/* escapes count towards the limit */
	fill(text, sizeof text, "exec:", '\x01', 70, "");
	len = (size_t)snprintf(want, sizeof want, "exec:");
	while (len < TEXT_SHORT)
		len += (size_t)snprintf(want + len, sizeof want - len,
		    "\\x01");
	snprintf(want + len, sizeof want - len, "...");
	ck_assert_str_eq(ok(text)->text, want);
}
END_TEST

/* ---- help ----------------------------------------------------------------- */

static char	help[32768];

static void
read_help(void)
{
	FILE	*f;
	size_t	 n;

	f = tmpfile();
	ck_assert_ptr_nonnull(f);
	addr_help(f);
	rewind(f);
	n = fread(help, 1, sizeof help - 1, f);
	fclose(f);
	ck_assert_uint_lt(n, sizeof help - 1);
	help[n] = '\0';
}

/* The line after the one that starts with start, or NULL. */
static const char *
line_after(const char *start, char *buf, size_t size)
{
	const char	*p = help, *nl;

	while ((p = strstr(p, start)) != NULL) {
		if (p == help || p[-1] == '\n')
			break;
		p++;
	}
	if (p == NULL || (p = strchr(p, '\n')) == NULL)
		return (NULL);
	p++;
	nl = strchr(p, '\n');
	snprintf(buf, size, "%.*s", (int)(nl != NULL ? nl - p :
	    (ptrdiff_t)strlen(p)), p);
	return (buf);
}

START_TEST(test_help_kinds)
{
	const struct addr_kind	*k;
	const struct kind_case	*kc;
	const char		*sect, *end, *p;
	char			 start[128], want[256], next[256];
	int			 i, lines = 0;

	read_help();
	sect = strstr(help, "Address kinds (names are case-insensitive):\n");
	ck_assert_ptr_eq(sect, help);
	end = strstr(help, "\n\nAddress options (KIND:params,opt=value,opt):\n");
	ck_assert_ptr_nonnull(end);
	for (i = 0; (k = addr_kind_at(i)) != NULL; i++) {
		kc = kind_case(k->name);
		ck_assert_ptr_nonnull(kc);
		snprintf(start, sizeof start, "  %-34s %s", kc->usage, k->help);
		ck_assert_msg(line_after(start, next, sizeof next) != NULL,
		    "no line for %s in help", k->name);
		if (kc->aliases[0] == '\0') {
			ck_assert_ptr_null(strstr(next, "alias:"));
			continue;
		}
		snprintf(want, sizeof want, "  %-34s   alias: %s", "",
		    kc->aliases);
		ck_assert_str_eq(next, want);
	}
	/* one line per kind, plus the alias lines */
	for (p = strchr(help, '\n') + 1; p < end; p = strchr(p, '\n') + 1)
		if (strncmp(p, "  ", 2) == 0 && p[2] != ' ')
			lines++;
	ck_assert_int_eq(lines, (int)nitems(kind_cases));
}
END_TEST

START_TEST(test_help_options)
{
	const struct addr_kind	*k;
	const struct opt_case	*c;
	const char		*p;
	char			 start[64], want[1024], next[1024];
	size_t			 i, len;
	int			 j, lines = 0;

	read_help();
	for (i = 0; i < nitems(opt_cases); i++) {
		c = &opt_cases[i];
		/* "for:" lists the kinds that take it, in table order */
		len = (size_t)snprintf(want, sizeof want, "  %-16s   for:", "");
		for (j = 0; (k = addr_kind_at(j)) != NULL; j++)
			if (kind_case(k->name) != NULL &&
			    (kgroups(kind_case(k->name)) & c->groups))
				len += (size_t)snprintf(want + len,
				    sizeof want - len, " %s", k->name);
		ck_assert_uint_lt(len, sizeof want);
		snprintf(start, sizeof start, "  %-16s ", c->name);
		ck_assert_msg(line_after(start, next, sizeof next) != NULL,
		    "no line for option %s in help", c->name);
		ck_assert_str_eq(next, want);
	}
	/* and no other option */
	p = strstr(help, "\nAddress options (KIND:params,opt=value,opt):\n");
	ck_assert_ptr_nonnull(p);
	for (p = strchr(p + 1, '\n') + 1; *p != '\0'; p = strchr(p, '\n') + 1)
		if (strncmp(p, "  ", 2) == 0 && p[2] != ' ')
			lines++;
	ck_assert_int_eq(lines, (int)nitems(opt_cases));
}
END_TEST

/*
 * The families of --help: every kind once, by name or, for a TCP4- or
 * UDP6- form, as "TCP4-*" beside its base kind; lines of 78 columns at most.
 */
START_TEST(test_help_families)
{
	const struct addr_kind	*k;
	const char		*p, *q, *digit;
	char			 word[64], base[64];
	size_t			 n, wlen;
	int			 i, found;
	FILE			*f;

	f = tmpfile();
	ck_assert_ptr_nonnull(f);
	addr_help_families(f);
	rewind(f);
	n = fread(help, 1, sizeof help - 1, f);
	fclose(f);
	help[n] = '\0';
	ck_assert_ptr_eq(strstr(help, "Address kinds"), help);
	for (p = help; *p != '\0'; p = q + 1) {
		q = strchr(p, '\n');
		ck_assert_ptr_nonnull(q);
		ck_assert_msg(q - p <= 78, "help line too long: %.*s",
		    (int)(q - p), p);
	}
	for (i = 0; (k = addr_kind_at(i)) != NULL; i++) {
		/* the name as a whole word, counted */
		wlen = strlen(k->name);
		found = 0;
		for (p = help; (p = strstr(p, k->name)) != NULL; p += wlen)
			if (p > help && p[-1] == ' ' && (p[wlen] == ' ' ||
			    p[wlen] == '\n'))
				found++;
		digit = strpbrk(k->name, "46");
		if (found == 0 && digit != NULL) {
			snprintf(word, sizeof word, " %.*s-* ",
			    (int)(digit - k->name) + 1, k->name);
			snprintf(base, sizeof base, " %.*s%s",
			    (int)(digit - k->name), k->name, digit + 1);
			ck_assert_msg(strstr(help, base) != NULL,
			    "no %s for %s in help", base, k->name);
			word[strlen(word) - 1] = '\0';
			ck_assert_msg(strstr(help, word) != NULL,
			    "no%s for %s in help", word, k->name);
			continue;
		}
		ck_assert_msg(found == 1, "%s %d times in help", k->name,
		    found);
	}
}
END_TEST

/* addr_free(NULL) is a no-op; a message is left alone on success. */
START_TEST(test_free_null)
{
	char	*err = NULL;

	addr_free(NULL);
	cur = addr_parse("-", &err);
	ck_assert_ptr_nonnull(cur);
	ck_assert_ptr_null(err);
}
END_TEST

/* ---- defects (behaviour the parser gets wrong when this was written) ----- */

/* Options after a kind typed without ':' fail as "empty option". */
START_TEST(test_defect_options_without_colon)
{
#ifdef OG_FDPASS
	ck_assert_int_eq(ok("-,fdpass")->o.fdpass, 1);
	ck_assert_int_eq(ok("stdio,fdpass")->o.fdpass, 1);
#endif
	bad_msg("stdio,fork", "option 'fork' does not apply to STDIO");
	bad_msg("-,nosuchopt", "unknown option 'nosuchopt' for STDIO");
	bad_msg("tcp-listen,fork", "missing port (expected TCP-LISTEN:<port>)");
	bad_msg("tcp-l,fork", "missing port (expected TCP-L:<port>)");
}
END_TEST

/*
 * The same matrix on the kinds without parameters ("STDIO,fdpass"), which
 * all fail as "empty option" now.
 */
START_TEST(test_defect_option_matrix)
{
	if (kind_cases[_i].nparams == 0)
		check_matrix(&kind_cases[_i]);
}
END_TEST

/* An empty address or half is named ": empty address". */
START_TEST(test_defect_empty_address_message)
{
	const char	*err;

	err = bad("");
	ck_assert_msg(err[0] != ':' && strstr(err, "empty address") != NULL,
	    "got '%s'", err);
	err = bad("!!-");
	ck_assert_msg(err[0] != ':' && strstr(err, "empty address") != NULL,
	    "got '%s'", err);
	err = bad("-!!");
	ck_assert_msg(err[0] != ':' && strstr(err, "empty address") != NULL,
	    "got '%s'", err);
}
END_TEST

/*
 * Control bytes typed in the address reach the message raw in some
 * messages; they should be escaped there too, as in the address text.
 */
static const struct {
	const char	*text;
	const char	*esc;		/* how the byte looks escaped */
} ctl_cases[] = {
	{ "tc\np:1", "\\x0a" },				/* kind hint */
	{ "fd:\x01", "\\x01" },				/* fd_check */
	{ "tcp:h:\n", "\\x0a" },			/* bad port */
	{ "tcp:\\[\n:1", "\\x0a" },			/* host */
	{ "tcp-l:1,fork=\n", "\\x0a" },			/* bool */
	{ "tcp-l:1,backlog=\n", "\\x0a" },		/* number */
	{ "unix:/s,interval=\n", "\\x0a" },		/* seconds */
	{ "unix-l:/s,mode=\x1b", "\\x1b" },		/* mode */
	{ "unix-l:/s,user=a\nb", "\\x0a" },		/* user */
	{ "unix-l:/s,group=a\nb", "\\x0a" },		/* group */
	{ "tcp:h:1,pf=\r", "\\x0d" },			/* pf */
};

START_TEST(test_defect_control_bytes_in_message)
{
	const char	*err = bad(ctl_cases[_i].text), *p;
	int		 n = 0;

	ck_assert_msg(printable(err), "raw control byte in '%s'", vis(err));
	/* escaped in the address text and in the message part */
	for (p = err; (p = strstr(p, ctl_cases[_i].esc)) != NULL; p++)
		n++;
	ck_assert_msg(n >= 2, "'%s' not escaped twice", vis(err));
}
END_TEST

/* FD:<long junk> copies the whole parameter into the message. */
START_TEST(test_defect_long_fd_message)
{
	char		 text[512];
	const char	*err;

	fill(text, sizeof text, "fd:", 'a', 300, "");
	err = bad(text);
	ck_assert_msg(strlen(err) < 256, "message of %zu bytes: %s",
	    strlen(err), vis(err));
}
END_TEST

/* "-!!tcp-l:80" names "-", the half that is fine. */
START_TEST(test_defect_dual_names_listener)
{
	const char	*err = bad("-!!tcp-l:80");

	ck_assert_msg(strstr(err, "tcp-l:80") != NULL, "got '%s'", err);
	ck_assert_ptr_nonnull(strstr(err, "the !! form"));
}
END_TEST

/* A third half is reported as an unknown kind "-!!-". */
START_TEST(test_defect_dual_three_halves)
{
	const char	*err = bad("-!!-!!-");

	ck_assert_msg(strstr(err, "the !! form") != NULL, "got '%s'", err);
}
END_TEST

/*
 * A mistyped kind followed by a path ("unix-conect:/tmp/s") is taken as a
 * GOPEN of the file "unix-conect:/tmp/s".  socat treats a word as a file
 * name only if the part before the first ':' has a '/'.
 */
START_TEST(test_defect_typo_kind_before_path)
{
	const struct addr	*a;

	bad_msg("unix-conect:/tmp/s", "unknown address kind 'unix-conect', "
	    "did you mean UNIX-CONNECT?");
	bad_msg("craete:/tmp/out", "unknown address kind 'craete', did you "
	    "mean CREATE?");
	ck_assert_ptr_nonnull(strstr(bad("ferry:/etc/passwd"),
	    "unknown address kind 'ferry'"));
	/* still files */
	a = ok("/tmp/a:b");
	ck_assert_str_eq(a->kind->name, "GOPEN");
	a = ok("./a:b");
	ck_assert_str_eq(a->kind->name, "GOPEN");
}
END_TEST

/* ---- robustness ---------------------------------------------------------- */

#define FUZZ_SEED	0x5eedf3e7ULL
#define FUZZ_ROUNDS	3000		/* per generator */
#define FUZZ_MAX	10240
#define MSG_MAX		512
#define ADDR_TEXT_MAX	(TEXT_SHORT + 16)

static uint64_t	rng_state;

/* splitmix64: the same sequence everywhere. */
static uint64_t
rng(void)
{
	uint64_t	z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static size_t
rnd(size_t n)
{
	return (n == 0 ? 0 : (size_t)(rng() % n));
}

static size_t
fuzz_len(void)
{
	size_t	r = rnd(100);

	if (r < 60)
		return (rnd(64));
	if (r < 90)
		return (rnd(512));
	if (r < 97)
		return (rnd(4096));
	return (rnd(FUZZ_MAX + 1));
}

struct gen {
	char	buf[FUZZ_MAX + 1];
	size_t	len;
	size_t	max;
};

static void
gen_add(struct gen *g, const char *s, size_t n)
{
	if (n > g->max - g->len)
		n = g->max - g->len;
	memcpy(g->buf + g->len, s, n);
	g->len += n;
	g->buf[g->len] = '\0';
}

static void
gen_str(struct gen *g, const char *s)
{
	gen_add(g, s, strlen(s));
}

/* A name in random case. */
static void
gen_name(struct gen *g, const char *s)
{
	char	c;

	for (; *s != '\0'; s++) {
		c = *s;
		if (rnd(2) && c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		else if (rnd(2) && c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		gen_add(g, &c, 1);
	}
}

static const char	fuzz_special[] = ":,'\"[](){}\\!";

static const char *const fuzz_values[] = {
	"", "0", "1", "yes", "Off", "-1", "0600", "999", "0.5", "1e3", ".5",
	"ip4", "ip6", "root", "65535", "65536", "[::1]", "[::1]:80",
	"localhost", "http", "/tmp/x", "\n", "a\x01", "\xff\xfe", "'a,b'",
	"\"x:y\"", "\\,", "(", ")", "]", "'", "\\", "!!", "2147483648",
	"99999999999999999999", "nan", "0x1ff", "sh -c 'echo hi'",
};

static void
gen_kind(struct gen *g)
{
	const struct addr_kind	*k;
	size_t			 n = nitems(kind_cases) + nitems(alias_cases);
	size_t			 i = rnd(n + 3);

	if (i < nitems(kind_cases)) {
		k = addr_kind_at((int)i);
		gen_name(g, k != NULL ? k->name : "x");
	} else if (i < n)
		gen_name(g, alias_cases[i - nitems(kind_cases)].alias);
	else if (i == n)
		gen_str(g, "/tmp/f");
	else if (i == n + 1)
		gen_str(g, "7");
	else
		gen_str(g, "tcpp");
}

static void
gen_value(struct gen *g)
{
	size_t	i, n;
	char	c;

	if (rnd(4) != 0) {
		gen_str(g, fuzz_values[rnd(nitems(fuzz_values))]);
		return;
	}
	for (i = 0, n = rnd(20); i < n; i++) {
		c = rnd(3) == 0 ? fuzz_special[rnd(sizeof fuzz_special - 1)] :
		    (char)(rnd(2) ? 'a' + rnd(26) : 1 + rnd(255));
		gen_add(g, &c, 1);
	}
}

/* Random bytes, no NUL. */
static void
gen_bytes(struct gen *g)
{
	char	c;

	while (g->len < g->max) {
		c = (char)(1 + rnd(255));
		gen_add(g, &c, 1);
	}
}

/* Separators, quotes, brackets, names and junk, mixed. */
static void
gen_mix(struct gen *g)
{
	const struct opt_case	*o;
	char			 c;

	while (g->len < g->max) {
		switch (rnd(10)) {
		case 0: case 1: case 2: case 3:
			c = fuzz_special[rnd(sizeof fuzz_special - 1)];
			gen_add(g, &c, 1);
			break;
		case 4:
			gen_str(g, "!!");
			break;
		case 5:
			gen_kind(g);
			break;
		case 6:
			o = &opt_cases[rnd(nitems(opt_cases))];
			gen_name(g, rnd(3) == 0 && o->alias ? o->alias :
			    o->name);
			if (rnd(2))
				gen_str(g, "=");
			break;
		case 7:
			c = (char)(' ' + rnd(95));
			gen_add(g, &c, 1);
			break;
		case 8:
			c = (char)('0' + rnd(10));
			gen_add(g, &c, 1);
			break;
		default:
			c = (char)(rnd(2) ? 1 + rnd(31) : 128 + rnd(128));
			if (rnd(3) == 0)
				c = '/';
			gen_add(g, &c, 1);
			break;
		}
	}
}

/*
 * kind:param:param,opt=value,... and sometimes !!another: mostly a valid
 * base and options that apply to it, so that the values and the checks of
 * the families are reached, with junk mixed in.
 */
static void
gen_struct(struct gen *g)
{
	const struct kind_case	*k;
	const struct opt_case	*o;
	size_t			 i, n;
	int			 half;

	for (half = 0; half < (rnd(5) == 0 ? 2 : 1); half++) {
		if (half)
			gen_str(g, "!!");
		k = &kind_cases[rnd(nitems(kind_cases))];
		if (rnd(4) != 0) {
			gen_name(g, k->name);
			gen_str(g, k->suffix);
		} else {
			gen_kind(g);
			for (i = 0, n = rnd(4); i < n; i++) {
				gen_str(g, ":");
				gen_value(g);
			}
		}
		for (i = 0, n = rnd(7); i < n; i++) {
			gen_str(g, ",");
			do
				o = &opt_cases[rnd(nitems(opt_cases))];
			while ((o->groups & k->groups) == 0 && rnd(4) != 0 &&
			    k->groups != 0);
			gen_name(g, rnd(3) == 0 && o->alias ? o->alias :
			    o->name);
			if (o->value != NULL && rnd(2) == 0) {
				gen_str(g, "=");
				gen_str(g, o->value);
			} else if (rnd(4) != 0) {
				gen_str(g, "=");
				gen_value(g);
			}
		}
	}
	if (rnd(10) == 0)		/* pad to a long address */
		gen_mix(g);
}

/* What can go wrong with one input. */
#define V_NOMSG		0x01	/* rejected without a message */
#define V_BOTH		0x02	/* accepted with a message */
#define V_NEWLINE	0x04	/* message of more than one line */
#define V_CTRL		0x08	/* raw control byte in the message */
#define V_LONGMSG	0x10	/* message longer than MSG_MAX */
#define V_ADDR		0x20	/* accepted addr breaks an invariant */
#define V_NKINDS	6

static const char *const v_names[V_NKINDS] = {
	"rejected without a message", "accepted with a message",
	"message with a newline", "message with a raw control byte",
	"message longer than 512 bytes", "accepted addr inconsistent",
};

static int
kind_known(const struct addr_kind *k)
{
	const struct addr_kind	*p;
	int			 i;

	for (i = 0; (p = addr_kind_at(i)) != NULL; i++)
		if (p == k)
			return (1);
	return (0);
}

static int
nparams_max(const struct addr_kind *k)
{
	int	n = 0;

	while (n < ADDR_MAXPARAMS && k->params[n] != NULL)
		n++;
	return (n);
}

static int
addr_sane(const struct addr *a, int top)
{
	int	i;

	if (a->kind == NULL || !kind_known(a->kind) || a->text == NULL ||
	    strlen(a->text) > ADDR_TEXT_MAX || !printable(a->text))
		return (0);
	if (a->nparams < a->kind->nmin || a->nparams > nparams_max(a->kind))
		return (0);
	for (i = 0; i < a->nparams; i++)
		if (a->params[i] == NULL || a->params[i][0] == '\0')
			return (0);
	if (a->wr != NULL) {
		if (!top || addr_listens(a) || addr_listens(a->wr) ||
		    !addr_sane(a->wr, 0))
			return (0);
	}
	return (1);
}

/*
 * Parse s (a heap copy of exactly its length); returns V_* bits, and the
 * message made printable into msg.
 */
static int
fuzz_one(const char *s, size_t *accepted, char *msg, size_t size)
{
	struct addr	*a;
	char		*err = NULL;
	int		 v = 0;

	a = addr_parse(s, &err);
	*accepted += a != NULL;
	if (a == NULL && err == NULL)
		v |= V_NOMSG;
	if (a != NULL && err != NULL)
		v |= V_BOTH;
	if (a != NULL && !addr_sane(a, 1))
		v |= V_ADDR;
	if (err != NULL) {
		if (strchr(err, '\n') != NULL)
			v |= V_NEWLINE;
		if (!printable(err))
			v |= V_CTRL;
		if (strlen(err) > MSG_MAX)
			v |= V_LONGMSG;
		snprintf(msg, size, "%s", vis(err));
	} else
		snprintf(msg, size, "(none)");
	addr_free(a);
	free(err);
	return (v);
}

START_TEST(test_fuzz)
{
	static struct gen	 g;
	static char		 first[V_NKINDS][128], firstmsg[V_NKINDS][128];
	char			 msg[128];
	void			(*gens[])(struct gen *) = {
		gen_bytes, gen_mix, gen_struct,
	};
	size_t			 count[V_NKINDS] = { 0 }, total = 0, len;
	size_t			 accepted = 0, round, which;
	char			*copy, report[4096];
	int			 v, bit;

	rng_state = FUZZ_SEED;
	memset(first, 0, sizeof first);
	memset(firstmsg, 0, sizeof firstmsg);
	for (which = 0; which < nitems(gens); which++) {
		for (round = 0; round < FUZZ_ROUNDS; round++) {
			g.len = 0;
			g.buf[0] = '\0';
			g.max = fuzz_len();
			if (which == 2 && rnd(4) != 0)
				g.max = FUZZ_MAX;	/* whole, mostly */
			gens[which](&g);
			len = g.len;
			copy = malloc(len + 1);
			if (copy == NULL)
				abort();
			memcpy(copy, g.buf, len + 1);
			v = fuzz_one(copy, &accepted, msg, sizeof msg);
			for (bit = 0; bit < V_NKINDS; bit++) {
				if ((v & (1 << bit)) == 0)
					continue;
				if (count[bit]++ == 0) {
					snprintf(first[bit], sizeof first[bit],
					    "%s", vis(copy));
					snprintf(firstmsg[bit],
					    sizeof firstmsg[bit], "%s", msg);
				}
				total++;
			}
			free(copy);
		}
	}
	len = (size_t)snprintf(report, sizeof report, "%zu of %zu inputs "
	    "broke a rule:", total, nitems(gens) * FUZZ_ROUNDS);
	for (bit = 0; bit < V_NKINDS; bit++) {
		if (count[bit] == 0 || len >= sizeof report)
			continue;
		len += (size_t)snprintf(report + len, sizeof report - len,
		    " [%s: %zu, first '%s' -> '%s']", v_names[bit], count[bit],
		    first[bit], firstmsg[bit]);
	}
	ck_assert_msg(total == 0, "%s", report);
	/* the structured inputs reach the end of the parser now and then */
	ck_assert_uint_gt(accepted, 10);
}
END_TEST

/* The worst cases for time and nesting, one each. */
START_TEST(test_fuzz_extremes)
{
	static const char	 fills[] = ",:!'\"([{\\a/";
	char			*s;
	size_t			 i, accepted = 0;
	char			 msg[128];
	int			 v = 0;

	s = malloc(FUZZ_MAX + 1);
	if (s == NULL)
		abort();
	for (i = 0; i < sizeof fills - 1; i++) {
		memset(s, fills[i], FUZZ_MAX);
		s[FUZZ_MAX] = '\0';
		v = fuzz_one(s, &accepted, msg, sizeof msg);
		memcpy(s, "exec:", 5);
		v |= fuzz_one(s, &accepted, msg, sizeof msg);
		memcpy(s, "tcp-l:1,", 8);
		v |= fuzz_one(s, &accepted, msg, sizeof msg);
		if (v != 0)
			break;
	}
	free(s);
	ck_assert_msg(v == 0, "'%c' x %d: rule broken (0x%x): %s", fills[i],
	    FUZZ_MAX, v, msg);
}
END_TEST

/* ---- the suite ----------------------------------------------------------- */

static TCase *
tcase(Suite *s, const char *name)
{
	TCase	*tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return (tc);
}

static Suite *
addr_suite(void)
{
	Suite	*s = suite_create("addr");
	TCase	*tc;

	tc = tcase(s, "kinds");
	tcase_add_loop_test(tc, test_kind_parses, 0, nitems(kind_cases));
	tcase_add_loop_test(tc, test_kind_param_count, 0, nitems(kind_cases));
	tcase_add_loop_test(tc, test_alias_parses, 0, nitems(alias_cases));
	tcase_add_test(tc, test_kind_table_complete);
	tcase_add_loop_test(tc, test_bare, 0, nitems(bare_cases));
	tcase_add_test(tc, test_bare_with_options);
	tcase_add_test(tc, test_acl_options);

	tc = tcase(s, "params");
	tcase_add_loop_test(tc, test_params, 0, nitems(param_cases));
	tcase_add_test(tc, test_params_with_options);
	tcase_add_test(tc, test_options_split_from_rest_kinds);

	tc = tcase(s, "errors");
	tcase_add_loop_test(tc, test_error, 0, nitems(err_cases));
	tcase_add_test(tc, test_unix_path_length);
	tcase_add_test(tc, test_ssh_target);
	tcase_add_test(tc, test_empty_address_rejected);

	tc = tcase(s, "options");
	tcase_add_loop_test(tc, test_option_applicability, 0,
	    nitems(kind_cases));
	tcase_add_test(tc, test_option_combinations);
	tcase_add_test(tc, test_option_defaults);
#ifdef OG_TLS
	tcase_add_test(tc, test_option_tls_defaults);
#endif
	tcase_add_loop_test(tc, test_option_value, 0, nitems(value_cases));
	tcase_add_loop_test(tc, test_option_bad_value, 0,
	    nitems(bad_value_cases));
	tcase_add_test(tc, test_option_user_group);
	tcase_add_test(tc, test_option_case);

	tc = tcase(s, "dual");
	tcase_add_test(tc, test_dual);
	tcase_add_test(tc, test_dual_errors);

	tc = tcase(s, "text");
	tcase_add_test(tc, test_text_shortened);
	tcase_add_test(tc, test_text_escaped);

	tc = tcase(s, "help");
	tcase_add_test(tc, test_help_kinds);
	tcase_add_test(tc, test_help_options);
	tcase_add_test(tc, test_help_families);
	tcase_add_test(tc, test_free_null);

	tc = tcase(s, "defects");
	tcase_add_test(tc, test_defect_options_without_colon);
	tcase_add_loop_test(tc, test_defect_option_matrix, 0,
	    nitems(kind_cases));
	tcase_add_test(tc, test_defect_empty_address_message);
	tcase_add_loop_test(tc, test_defect_control_bytes_in_message, 0,
	    nitems(ctl_cases));
	tcase_add_test(tc, test_defect_long_fd_message);
	tcase_add_test(tc, test_defect_dual_names_listener);
	tcase_add_test(tc, test_defect_dual_three_halves);
	tcase_add_test(tc, test_defect_typo_kind_before_path);

	tc = tcase(s, "robustness");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_fuzz);
	tcase_add_test(tc, test_fuzz_extremes);

	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(addr_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
