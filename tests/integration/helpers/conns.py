#!/usr/bin/env python3
"""Open connections and hold them: conns.py HOST PORT READY SIZE...

For each SIZE, connect, send SIZE bytes and read them back (through an echo
server), keeping the connection open.  Then write the local ports to READY,
one a line, and hold them until killed."""
import os
import signal
import socket
import sys


def main():
    host, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    conns = []
    for size in map(int, sys.argv[4:]):
        c = socket.create_connection((host, port), timeout=30)
        c.sendall(b"x" * size)
        got = 0
        while got < size:
            d = c.recv(65536)
            if not d:
                sys.exit("connection closed early")
            got += len(d)
        conns.append(c)
    with open(ready + ".tmp", "w") as f:
        for c in conns:
            f.write("%d\n" % c.getsockname()[1])
    os.rename(ready + ".tmp", ready)
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
