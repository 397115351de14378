/*
 * util.h: the few helpers the bench programs share: parse an address
 * ("unix:PATH", "tcp:HOST:PORT", or a bare path), connect or listen on it,
 * write a ready file, read the clock.  Header only, so each program is one
 * compile; only loopback and UNIX sockets are meant to be used.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static inline void
die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	fprintf(stderr, "bench: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e != 0)
		fprintf(stderr, ": %s", strerror(e));
	fputc('\n', stderr);
	exit(1);
}

static inline uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Fill *ss from "tcp:HOST:PORT" (IPv4 literal) or "unix:PATH" / "PATH". */
static inline socklen_t
parse_addr(const char *spec, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (strncmp(spec, "tcp:", 4) == 0) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		char host[64];
		const char *colon = strrchr(spec + 4, ':');
		size_t n;

		if (colon == NULL || (n = (size_t)(colon - (spec + 4))) >= sizeof host)
			die("bad address %s", spec);
		memcpy(host, spec + 4, n);
		host[n] = '\0';
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)atoi(colon + 1));
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			die("bad host in %s", spec);
		return sizeof *sin;
	} else {
		struct sockaddr_un *sun = (struct sockaddr_un *)ss;
		const char *path = strncmp(spec, "unix:", 5) == 0 ? spec + 5 : spec;

		if (strlen(path) >= sizeof sun->sun_path)
			die("path too long: %s", path);
		sun->sun_family = AF_UNIX;
		strcpy(sun->sun_path, path);
		return sizeof *sun;
	}
}

/* A blocking connected socket; TCP_NODELAY on TCP. Dies on failure. */
static inline int
connect_addr(const char *spec)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(spec, &ss);
	int fd, one = 1;

	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket");
	if (connect(fd, (struct sockaddr *)&ss, len) == -1)
		die("connect %s", spec);
	if (ss.ss_family == AF_INET)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/*
 * A listening socket on spec (port 0 allowed; a UNIX path is unlinked
 * first).  Writes the address actually bound to readyfile ("tcp:H:P" or
 * "unix:PATH"), through a rename so a reader never sees half a line.
 */
static inline int
listen_addr(const char *spec, const char *readyfile)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(spec, &ss);
	int fd, one = 1;
	char line[256], tmp[4096];
	FILE *f;

	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket");
	if (ss.ss_family == AF_UNIX)
		unlink(((struct sockaddr_un *)&ss)->sun_path);
	else
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, len) == -1)
		die("bind %s", spec);
	if (listen(fd, 4096) == -1)
		die("listen");
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in sin;
		socklen_t sl = sizeof sin;
		char host[64];

		getsockname(fd, (struct sockaddr *)&sin, &sl);
		inet_ntop(AF_INET, &sin.sin_addr, host, sizeof host);
		snprintf(line, sizeof line, "tcp:%s:%u\n", host,
		    (unsigned)ntohs(sin.sin_port));
	} else
		snprintf(line, sizeof line, "unix:%s\n",
		    ((struct sockaddr_un *)&ss)->sun_path);
	if (readyfile != NULL) {
		snprintf(tmp, sizeof tmp, "%s.tmp", readyfile);
		if ((f = fopen(tmp, "w")) == NULL)
			die("open %s", tmp);
		fputs(line, f);
		if (fclose(f) != 0 || rename(tmp, readyfile) != 0)
			die("write %s", readyfile);
	}
	return fd;
}

/* Write all of buf; -1 on error. */
static inline int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

#endif
