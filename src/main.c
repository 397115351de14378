/*
 * ferry: a socket relay.  Parses the command line, builds the two
 * addresses, runs the bridge between them, and cleans up on the way out.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "activate.h"
#include "addr.h"
#include "bridge.h"
#include "child.h"
#include "listener.h"
#include "log.h"
#include "notify.h"
#include "priv.h"
#include "tls.h"
#include "xmalloc.h"

#define STOP_TIMEOUT	2.0	/* seconds to flush relays after a signal */

/* The flags, by group, for --help and "ferry help flags"; main parses them. */
static const struct flag {
	const char	*group;		/* the first of a group: its title */
	const char	*usage;
	const char	*help;
	const char	*more;		/* a second line, for ferry help flags */
} flags[] = {
	{ "Logging", "-d", "log more: -d a line per connection, -dd debug, "
	  "-ddd trace", NULL },
	{ NULL, "-v, -x", "copy the traffic to stderr as text (-v) or hex (-x)",
	  NULL },
	{ NULL, "-lf FILE", "log to FILE (appended, with time and pid)", NULL },
	{ NULL, "-ly[FAC]", "log to syslog, facility FAC (default daemon)",
	  "(daemon, user, auth, local0 to local7)" },
	{ NULL, "-ls", "log to stderr (the default)", NULL },
	{ NULL, "--stats SEC", "every SEC seconds and on SIGUSR1, log each "
	  "connection", "(its peers, age and bytes each way)" },
	{ NULL, "--progress", "on a terminal: bytes, rate and time, like pv",
	  NULL },
	{ "Relay", "-u, -U", "one direction only: left to right (-u) or back (-U)",
	  NULL },
	{ NULL, "-t SEC", "after one direction ends, end the other after SEC s",
	  "(default: wait for both; socat's default is 0.5)" },
	{ NULL, "-T SEC", "end a connection after SEC s without traffic", NULL },
	{ NULL, "-b BYTES", "read size (default 65536)", NULL },
	{ NULL, "-4, -6", "only IPv4 (-4) or IPv6 (-6) where both would do",
	  "(an address's own pf= wins)" },
	{ NULL, "--no-splice", "read(2)/write(2) even where splice(2) could "
	  "serve", NULL },
	{ NULL, "--ready-file FILE", "once listening, write the addresses to "
	  "FILE", "(a line each: \"[::]:8080\", \"/run/x.sock\"; for scripts)" },
	{ "TLS helpers", "--gen-psk FILE", "write a new random pre-shared key "
	  "to FILE (0600)", NULL },
	{ "Misc", "-h, --help", "this help; ferry help: more", NULL },
	{ NULL, "-V, --version", "ferry's version and libevent's", NULL },
};

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* The flags by group; with more, their second lines too. */
static void
help_flags(FILE *f, int more)
{
	const struct flag	*fl;
	size_t			 i;

	for (i = 0; i < nitems(flags); i++) {
		fl = &flags[i];
		if (fl->group != NULL)
			fprintf(f, "%s:\n", fl->group);
		fprintf(f, "  %-18s %s\n", fl->usage, fl->help);
		if (more && fl->more != NULL)
			fprintf(f, "  %-18s %s\n", "", fl->more);
	}
}

/* ferry --help: short, with pointers to the rest. */
static void
usage(FILE *f)
{
	fprintf(f,
"usage: ferry [flags] ADDRESS ADDRESS\n"
"       ferry help [KIND | kinds | options | flags | all]\n"
"\n"
"Joins two addresses and moves bytes between them, both ways, until both\n"
"sides are done.  An address is KIND:params,option=value,option (socat's).\n"
"\n");
	help_flags(f, 0);
	fprintf(f, "\n");
	addr_help_families(f);
	fprintf(f,
"\n"
"Examples:\n"
"  echo hi | ferry - unix-connect:/tmp/x.sock\n"
"  ferry tcp-listen:9999,fork unix-connect:/tmp/app.sock\n"
"  ferry openssl-listen:9000,fork,cert=srv.pem unix-connect:/run/app.sock\n"
"  ferry unix-listen:/tmp/s.sock,fork ssh:me@host:/run/app.sock\n"
"  ferry unix-listen:/tmp/s.sock,fork,fdpass \\\n"
"    exec:'ssh -T box ferry -,fdpass unix-connect:/run/s.sock'  # fds too\n"
"\n"
"ferry help KIND: one kind and its options; ferry help all: every flag,\n"
"kind and option; man ferry: everything.\n");
}

/* ferry help all: every flag, kind and option, the environment, exit. */
static void
help_all(FILE *f)
{
	fprintf(f, "usage: ferry [flags] ADDRESS ADDRESS\n\n");
	help_flags(f, 1);
	fprintf(f, "\n");
	addr_help(f);
	fprintf(f, "\nEnvironment: LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES "
	    "(socket activation,\nfor SYSTEMD and ACCEPT-FD); NOTIFY_SOCKET, "
	    "WATCHDOG_USEC, WATCHDOG_PID\n(sd_notify); FERRY_TOKEN_FILE "
	    "(fdpass).\n");
	fprintf(f, "\nExit status: 0 when the relay ended normally, 1 on an "
	    "error, 128+N after signal N.\nSee ferry(1).\n");
}

/*
 * ferry help [TOPIC]: --help, one of the full lists (a line per entry,
 * stable, for scripts and completion) or one kind.  Returns the exit status.
 */
static int
help(const char *topic)
{
	if (topic == NULL)
		usage(stdout);
	else if (strcasecmp(topic, "all") == 0)
		help_all(stdout);
	else if (strcasecmp(topic, "flags") == 0)
		help_flags(stdout, 1);
	else if (strcasecmp(topic, "kinds") == 0)
		addr_help_kinds(stdout);
	else if (strcasecmp(topic, "options") == 0)
		addr_help_options(stdout);
	else if (addr_help_kind(stdout, topic) == -1)
		return (1);
	return (0);
}

/*
 * The event loop.  A chain of callbacks that keep each other going (a file
 * copied to a file: pump, relay, pump) would otherwise run to its end
 * before the loop looks at timers or signals again; after 64 callbacks or
 * 20 ms it looks.
 */
static struct event_base *
loop_new(void)
{
	struct event_config	*cfg;
	struct event_base	*base;
	struct timeval		 tv = { 0, 20000 };

	if ((cfg = event_config_new()) == NULL)
		return (NULL);
	(void)event_config_set_max_dispatch_interval(cfg, &tv, 64, 0);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return (base);
}

/* -lf FILE, -ls (stderr, the default), -ly[FACILITY]: where logs go. */
static int
log_flag(const char *arg, char **argv, int *ip)
{
	const char	*val;

	if (strcmp(arg, "-ls") == 0)
		return (0);
	if (strncmp(arg, "-lf", 3) == 0) {
		val = arg[3] != '\0' ? arg + 3 : argv[++*ip];
		if (val == NULL || *val == '\0') {
			log_err("-lf needs a file name");
			return (-1);
		}
		if (log_to_file(val) == -1) {
			log_err("-lf %s: %s", val, strerror(errno));
			return (-1);
		}
		return (0);
	}
	if (strncmp(arg, "-ly", 3) == 0) {
		if (log_to_syslog(arg + 3) == -1) {
			log_err("-ly%.32s: unknown syslog facility (daemon, "
			    "user, auth, local0 to local7)", arg + 3);
			return (-1);
		}
		return (0);
	}
	log_err("unknown flag '%.32s' (see ferry --help)", arg);
	return (-1);
}

static int
parse_secs(const char *flag, const char *s, double *out)
{
	char	*end;
	double	 d;

	if (s == NULL) {
		log_err("%s needs a number of seconds", flag);
		return (-1);
	}
	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(d) || d < 0 ||
	    d > 1e7) {
		log_err("%s needs a number of seconds, not '%.32s'", flag, s);
		return (-1);
	}
	*out = d;
	return (0);
}

int
main(int argc, char **argv)
{
	struct bridge_conf	 conf;
	struct event_base	*base;
	struct addr		*a[2] = { NULL, NULL };
	char			*err = NULL, *end;
	const char		*arg, *val;
	int			 i, j, verbose = 0, pf = 0, naddr = 0, status;
	long			 n;

	memset(&conf, 0, sizeof conf);
	conf.relay.dirs = RELAY_LR | RELAY_RL;
	conf.stop_timeout = STOP_TIMEOUT;

	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (arg[0] != '-' || arg[1] == '\0' || arg[1] == ',' ||
		    arg[1] == '!')
			break;		/* "-" is STDIO, an address */
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 ||
		    strcmp(arg, "-?") == 0) {
			usage(stdout);
			return (0);
		}
		if (strcmp(arg, "--version") == 0 || strcmp(arg, "-V") == 0) {
			printf("ferry %s (libevent %s)\n", PACKAGE_VERSION,
			    event_get_version());
			return (0);
		}
		if (strcmp(arg, "--gen-psk") == 0) {
			if (i + 1 >= argc) {
				log_err("--gen-psk needs a file name");
				return (1);
			}
			return (tls_gen_psk(argv[i + 1]) == -1 ? 1 : 0);
		}
		if (strncmp(arg, "--stats", 7) == 0 && (arg[7] == '\0' ||
		    arg[7] == '=')) {
			if (parse_secs("--stats", arg[7] == '=' ? arg + 8 :
			    argv[++i], &conf.stats) == -1)
				return (1);
			continue;
		}
		if (strcmp(arg, "--progress") == 0) {
			conf.relay.progress = 1;
			continue;
		}
		if (strcmp(arg, "--no-splice") == 0) {
			conf.relay.nosplice = 1;
			continue;
		}
		if (strncmp(arg, "--ready-file", 12) == 0) {
			val = arg[12] == '=' ? arg + 13 : arg[12] == '\0' ?
			    argv[++i] : NULL;
			if (val == NULL || *val == '\0') {
				log_err("--ready-file needs a file name");
				return (1);
			}
			listener_set_ready_file(val);
			continue;
		}
		if (arg[1] == 'l' && log_flag(arg, argv, &i) == -1)
			return (1);
		if (arg[1] == 'l')
			continue;
		if (arg[1] == '-') {
			log_err("unknown flag '%.32s' (see ferry --help)", arg);
			return (1);
		}
		for (j = 1; arg[j] != '\0'; j++) {
			switch (arg[j]) {
			case 'd':
				verbose++;
				continue;
			case 'v':
			case 'x':
				conf.relay.dump = arg[j];
				continue;
			case 'u':
				conf.relay.dirs = RELAY_LR;
				continue;
			case 'U':
				conf.relay.dirs = RELAY_RL;
				continue;
			case '4':
			case '6':
				pf = arg[j] - '0';
				continue;
			case 't':
			case 'T':
			case 'b':
				break;
			default:
				log_err("unknown flag '-%c' (see ferry --help)",
				    arg[j]);
				return (1);
			}
			/* A flag with a value: -t5 or -t 5. */
			val = arg[j + 1] != '\0' ? arg + j + 1 : argv[++i];
			if (arg[j] == 'b') {
				errno = 0;
				n = val != NULL ? strtol(val, &end, 10) : 0;
				if (val == NULL || errno != 0 || *end != '\0' ||
				    n < 1 || n > 16 * 1024 * 1024) {
					log_err("-b needs a size in bytes from "
					    "1 to 16777216");
					return (1);
				}
				conf.relay.readsize = (size_t)n;
			} else if (parse_secs(arg[j] == 't' ? "-t" : "-T", val,
			    arg[j] == 't' ? &conf.relay.linger :
			    &conf.relay.idle) == -1)
				return (1);
			break;
		}
	}
	log_init(verbose);
	activate_init();

	/* "ferry help [TOPIC]": lists, or one kind's syntax and options. */
	if (argc - i >= 1 && strcmp(argv[i], "help") == 0 && argc - i <= 2)
		return (help(argc - i == 2 ? argv[i + 1] : NULL));
	if (argc - i != 2) {
		if (argc - i < 2)
			log_err("two addresses are needed, got %d (see ferry "
			    "--help)", argc - i);
		else
			log_err("two addresses are needed, got %d: '%.32s' and "
			    "more (quote an address that has spaces)", argc - i,
			    argv[i + 2]);
		return (1);
	}
	for (naddr = 0; naddr < 2; naddr++) {
		if ((a[naddr] = addr_parse(argv[i + naddr], &err)) == NULL) {
			log_err("%s", err);
			x_free(err);
			addr_free(a[0]);
			return (1);
		}
		if (pf != 0 && a[naddr]->o.pf == 0)
			a[naddr]->o.pf = pf;
	}

	if (priv_init(a[0], a[1]) == -1) {
		addr_free(a[0]);
		addr_free(a[1]);
		return (1);
	}

	if (conf.relay.progress && (a[0]->o.fork || a[1]->o.fork)) {
		log_warn("--progress shows one relay: ignored with fork");
		conf.relay.progress = 0;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);	/* --stats: the bridge takes it */
	child_raise_nofile();
	atexit(listener_cleanup_files);
	if ((base = loop_new()) == NULL)
		log_fatal("cannot create an event loop");
	child_init(base);
	notify_init(base);

	status = bridge_run(base, a[0], a[1], &conf);

	notify_stopping();
	notify_shutdown();
	child_shutdown();
	listener_cleanup_files();
	event_base_free(base);
	addr_free(a[0]);
	addr_free(a[1]);
	return (status);
}
