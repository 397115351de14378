/*
 * activate: hand a listening loopback socket to a socket-activated
 * program (systemd's protocol: fd 3, LISTEN_FDS=1, LISTEN_PID).
 *
 *   activate READYFILE PROGRAM [ARG...]
 *
 * Binds 127.0.0.1 on a port the kernel picks, writes "tcp:127.0.0.1:PORT"
 * to READYFILE, and execs PROGRAM in this same process (so its pid is
 * the one the harness started).  With no PROGRAM, only prints a free
 * port and exits (for servers that cannot listen on port 0).
 */
#include "util.h"

int
main(int argc, char **argv)
{
	int fd;
	char pid[32];

	if (argc == 1) {
		struct sockaddr_in sin;
		socklen_t sl = sizeof sin;

		fd = listen_addr("tcp:127.0.0.1:0", NULL);
		getsockname(fd, (struct sockaddr *)&sin, &sl);
		printf("%u\n", (unsigned)ntohs(sin.sin_port));
		return 0;
	}
	if (argc < 3)
		die("usage: activate READYFILE PROGRAM [ARG...]");
	fd = listen_addr("tcp:127.0.0.1:0", argv[1]);
	if (fd != 3 && dup2(fd, 3) == -1)
		die("dup2");
	fcntl(3, F_SETFD, 0);	/* dup2 to itself keeps FD_CLOEXEC */
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("LISTEN_FDS", "1", 1);
	setenv("LISTEN_PID", pid, 1);
	unsetenv("LISTEN_FDNAMES");
	execv(argv[2], argv + 2);
	die("exec %s", argv[2]);
}
