#!/usr/bin/env python3
"""A client/server pair that mimics spring's exchange, for fdpass tests.

    fdpass_spring.py server PATH --ready FILE
    fdpass_spring.py client PATH -- ARGV...
    fdpass_spring.py ptyrun ROWS COLS OUT [--resize R C SECS] -- CMD...

server: listens on the UNIX socket PATH.  For each connection it reads a
"len\\n" line and then one byte carrying an fd (a socketpair end) from the
control socket; over that passed socket it receives three fds (one byte
each: the client's stdout, stderr, stdin), then a JSON line with argv.  It
runs argv with those fds as its stdio, writes "pid N\\n" on the passed
socket and, when the command exits, "exit N\\n", then closes both.

client: does the client's half of that with its own fds 1, 2, 0, and
exits with the command's status (99 if the exchange breaks off).

ptyrun: runs CMD with stdout and stderr on a new pty of ROWS x COLS, copies
what the pty shows to OUT, exits with CMD's status.  --resize: SECS after
the start, the pty becomes R x C.
"""
import json
import os
import pty
import select
import socket
import struct
import subprocess
import sys
import threading


def recv_byte_fds(s, maxfds):
    """One byte (b'' at EOF) and the fds that came with it."""
    data, fds, flags, addr = socket.recv_fds(s, 1, maxfds)
    return data, fds


def read_line(s):
    line = b""
    while not line.endswith(b"\n"):
        b, fds = recv_byte_fds(s, 4)
        for fd in fds:
            os.close(fd)
        if not b:
            raise EOFError("EOF in a line")
        line += b
    return line


def serve(c):
    sub = None
    try:
        n = int(read_line(c))
        b, fds = recv_byte_fds(c, 4)
        if len(fds) != 1:
            raise RuntimeError("expected one fd with the byte, got %r" % fds)
        sub = socket.socket(fileno=fds[0])
        std = []
        for _ in range(3):
            b, fds = recv_byte_fds(sub, 4)
            if len(fds) != 1:
                raise RuntimeError("expected one std fd, got %r" % fds)
            std.append(fds[0])
        out, err, inp = std
        args = json.loads(read_line(sub))
        if len(json.dumps(args)) < 0 or n <= 0:
            raise RuntimeError("bad length line")
        p = subprocess.Popen(args, stdin=inp, stdout=out, stderr=err)
        for fd in std:
            os.close(fd)
        sub.sendall(b"pid %d\n" % p.pid)
        rc = p.wait()
        if rc < 0:
            rc = 128 - rc
        sub.sendall(b"exit %d\n" % rc)
    except (OSError, EOFError, RuntimeError, ValueError) as e:
        sys.stderr.write("server: %s\n" % e)
    finally:
        if sub is not None:
            sub.close()
        c.close()


def server(path, ready):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(128)
    with open(ready + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(ready + ".tmp", ready)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def client(path, argv):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(path)
    a, b = socket.socketpair()
    payload = json.dumps(argv).encode()
    c.sendall(b"%d\n" % len(payload))
    socket.send_fds(c, [b"x"], [b.fileno()])
    b.close()
    for fd in (1, 2, 0):
        socket.send_fds(a, [b"."], [fd])
    a.sendall(payload + b"\n")
    f = a.makefile("rb")
    pid = f.readline()
    if not pid.startswith(b"pid "):
        sys.stderr.write("client: no pid line (%r)\n" % pid)
        return 99
    st = f.readline()
    if not st.startswith(b"exit "):
        sys.stderr.write("client: no exit line (%r)\n" % st)
        return 99
    return int(st.split()[1])


def ptyrun(rows, cols, out, cmd, resize=None):
    import fcntl
    import termios
    import time
    m, s = pty.openpty()
    fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    p = subprocess.Popen(cmd, stdout=s, stderr=s)
    t0 = time.time()
    got = b""
    while True:
        if resize is not None and time.time() - t0 >= resize[2]:
            fcntl.ioctl(s, termios.TIOCSWINSZ,
                        struct.pack("HHHH", resize[0], resize[1], 0, 0))
            resize = None
        r, _, _ = select.select([m], [], [], 0.1)
        if r:
            try:
                d = os.read(m, 4096)
            except OSError:
                d = b""
            if d:
                got += d
                continue
        if p.poll() is not None:
            # drain what is left
            while select.select([m], [], [], 0.2)[0]:
                try:
                    d = os.read(m, 4096)
                except OSError:
                    break
                if not d:
                    break
                got += d
            break
    os.close(s)
    with open(out, "wb") as f:
        f.write(got)
    return p.returncode


def main():
    mode = sys.argv[1]
    if mode == "server":
        server(sys.argv[2], sys.argv[4])
    elif mode == "client":
        i = sys.argv.index("--")
        sys.exit(client(sys.argv[2], sys.argv[i + 1:]))
    elif mode == "ptyrun":
        i = sys.argv.index("--")
        resize = None
        if sys.argv[5] == "--resize":
            resize = (int(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8]))
        sys.exit(ptyrun(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4],
                        sys.argv[i + 1:], resize))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
