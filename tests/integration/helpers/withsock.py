#!/usr/bin/env python3
"""withsock.py unix:PATH|tcp:HOST:PORT FD CMD [ARGS...]

Connect to the address, put the connected socket on descriptor FD (not
close-on-exec), and exec CMD: the command inherits a live socket, as a
program started by inetd or systemd would.
"""
import os
import socket
import sys

spec, fd, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
if spec.startswith("unix:"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(spec[5:])
else:
    host, port = spec[4:].rsplit(":", 1)
    s = socket.create_connection((host.strip("[]"), int(port)))
os.dup2(s.fileno(), fd, inheritable=True)
s.close()
os.execvp(argv[0], argv)
