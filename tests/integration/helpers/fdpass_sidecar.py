#!/usr/bin/env python3
"""A sidecar-style exchange over a SOCK_SEQPACKET socket, for fdpass tests.

    fdpass_sidecar.py server PATH --ready FILE [--seqpacket]
    fdpass_sidecar.py client PATH [--seqpacket] -- ARGV...

The client connects to PATH (a stream socket), passes one end of a
SOCK_SEQPACKET socketpair with one byte, and over that socket sends ONE
record holding JSON [argv, env, cwd] with its stdin, stdout and stderr
attached.  The server runs argv with those fds.  Then the client sends
records of 1, 100, 4096, 65000 and 65536 bytes; the server answers each
with one record "LEN SHA256" (so a merged or split record shows), and
finally a record "exit N".  The client exits with N (99 on a broken
exchange, 98 on a record that was not kept whole).

With --seqpacket, PATH itself is a SOCK_SEQPACKET socket, as in the real
sidecar: the first record and its fds go straight over the connection.
"""
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading

SIZES = (1, 100, 4096, 65000, 65536)


def serve(c, seq=False):
    try:
        if seq:
            sp = c
        else:
            _, f, _, _ = socket.recv_fds(c, 1, 1)
            sp = socket.socket(fileno=f[0])
        rec, fds, _, _ = socket.recv_fds(sp, 70000, 8)
        if len(fds) != 3:
            raise RuntimeError("expected 3 fds with the first record, got %d" % len(fds))
        argv, env, cwd = json.loads(rec)
        p = subprocess.Popen(argv, stdin=fds[0], stdout=fds[1],
                             stderr=fds[2], cwd=cwd, env=dict(os.environ, **env))
        for fd in fds:
            os.close(fd)
        for _ in SIZES:
            r = sp.recv(70000)
            sp.send(b"%d %s" % (len(r), hashlib.sha256(r).hexdigest().encode()))
        rc = p.wait()
        sp.send(b"exit %d" % (rc if rc >= 0 else 128 - rc))
        sp.close()
    except (OSError, RuntimeError, ValueError) as e:
        sys.stderr.write("server: %s\n" % e)
    finally:
        c.close()


def server(path, ready, seq=False):
    s = socket.socket(socket.AF_UNIX,
                      socket.SOCK_SEQPACKET if seq else socket.SOCK_STREAM)
    s.bind(path)
    s.listen(16)
    with open(ready + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(ready + ".tmp", ready)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c, seq), daemon=True).start()


def client(path, argv, seq=False):
    if seq:
        a = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        a.connect(path)
    else:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(path)
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        socket.send_fds(c, [b"s"], [b.fileno()])
        b.close()
    rec = json.dumps([argv, {"SIDECAR": "1"}, "/"]).encode()
    socket.send_fds(a, [rec], [0, 1, 2])
    for n in SIZES:
        data = os.urandom(n)
        a.send(data)
        want = b"%d %s" % (n, hashlib.sha256(data).hexdigest().encode())
        got = a.recv(70000)
        if got != want:
            sys.stderr.write("record of %d bytes came as %r\n" % (n, got[:40]))
            return 98
    st = a.recv(100)
    if not st.startswith(b"exit "):
        return 99
    return int(st.split()[1])


if __name__ == "__main__":
    seq = "--seqpacket" in sys.argv
    if sys.argv[1] == "server":
        server(sys.argv[2], sys.argv[sys.argv.index("--ready") + 1], seq)
    else:
        i = sys.argv.index("--")
        sys.exit(client(sys.argv[2], sys.argv[i + 1:], seq))
