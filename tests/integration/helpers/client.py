#!/usr/bin/env python3
"""Real clients for ferry's integration tests.

    client.py MODE unix:PATH|tcp:HOST:PORT [options]

    send    connect, send --in FILE, shut down the write side, read to EOF
            into --out FILE (the half-close a client does)
    hold    connect, one echo round trip, write --ready FILE, then wait for
            EOF from the peer and write "eof" to --out FILE; with --keep,
            stay connected after that until killed
    probe   connect, send a line and expect it echoed within --timeout
            seconds: exit 0 if it was, 3 if the connection was refused,
            closed or reset first
    stall   connect, write --ready FILE, read nothing until SIGUSR1, then
            read to EOF and write "BYTES SHA256" to --out FILE
    many    --count N connections one after another, each an echo round
            trip of its own payload, then close
    reset   --count N times: connect, send 64 KiB, and reset the
            connection (SO_LINGER 0) without reading
    ping    send a line every --every seconds, --count times, each echoed;
            then wait for EOF; write "pings N eof after S" to --out FILE,
            S the seconds from the last echo to the EOF

Exit status 0 when the mode's expectations held, 1 (with a message on
stderr) when they did not.  Every wait is bounded by --timeout (default 30).
"""
import argparse
import hashlib
import os
import signal
import socket
import sys
import time


def connect(spec, timeout):
    if spec.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(spec[5:])
        return s
    if spec.startswith("abstract:"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect("\0" + spec[9:])
        return s
    if spec.startswith("tcp:"):
        host, port = spec[4:].rsplit(":", 1)
        host = host.strip("[]")
        return socket.create_connection((host, int(port)), timeout=timeout)
    sys.exit("bad address " + spec)


def announce(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text + "\n")
    os.rename(tmp, path)


def die(msg):
    sys.stderr.write("client: " + msg + "\n")
    sys.exit(1)


def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        b = s.recv(n - len(buf))
        if not b:
            return buf
        buf += b
    return buf


def roundtrip(s, payload):
    s.sendall(payload)
    got = read_exact(s, len(payload))
    if got != payload:
        die("sent %r, got back %r" % (payload, got))


def read_to_eof(s):
    while True:
        b = s.recv(65536)
        if not b:
            return


def mode_send(a):
    s = connect(a.addr, a.timeout)
    with open(a.infile, "rb") as f:
        s.sendfile(f)
    s.shutdown(socket.SHUT_WR)
    with open(a.out, "wb") as f:
        while True:
            b = s.recv(65536)
            if not b:
                break
            f.write(b)
    s.close()


def mode_hold(a):
    s = connect(a.addr, a.timeout)
    roundtrip(s, b"ping\n")
    announce(a.ready, "connected")
    s.settimeout(a.timeout)
    try:
        read_to_eof(s)
    except ConnectionResetError:
        pass
    if a.out:
        announce(a.out, "eof")
    if a.keep:
        signal.pause()


def mode_probe(a):
    try:
        s = connect(a.addr, a.timeout)
        s.sendall(b"probe\n")
        got = read_exact(s, 6)
    except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError):
        sys.exit(3)
    if got == b"probe\n":
        sys.exit(0)
    if got == b"":
        sys.exit(3)
    die("probe got %r" % got)


def mode_stall(a):
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    s = connect(a.addr, a.timeout)
    announce(a.ready, "connected")
    signal.sigwait([signal.SIGUSR1])
    s.settimeout(a.timeout)
    h = hashlib.sha256()
    n = 0
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        n += len(b)
        h.update(b)
    announce(a.out, "%d %s" % (n, h.hexdigest()))


def mode_many(a):
    for i in range(a.count):
        s = connect(a.addr, a.timeout)
        roundtrip(s, b"connection %d\n" % i)
        s.close()


def mode_reset(a):
    import struct
    for i in range(a.count):
        s = connect(a.addr, a.timeout)
        try:
            s.sendall(b"r" * 65536)
        except (ConnectionResetError, BrokenPipeError):
            pass
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        s.close()


def mode_ping(a):
    s = connect(a.addr, a.timeout)
    for i in range(a.count):
        if i > 0:
            time.sleep(a.every)	# pacing the traffic, not synchronising
        roundtrip(s, b"ping %d\n" % i)
    last = time.monotonic()
    try:
        read_to_eof(s)
    except ConnectionResetError:
        pass
    announce(a.out, "pings %d eof after %.3f" %
             (a.count, time.monotonic() - last))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["send", "hold", "probe", "stall",
                                     "many", "ping", "reset"])
    ap.add_argument("addr")
    ap.add_argument("--in", dest="infile")
    ap.add_argument("--out")
    ap.add_argument("--ready")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--every", type=float, default=0.25)
    ap.add_argument("--timeout", type=float, default=30)
    a = ap.parse_args()
    globals()["mode_" + a.mode](a)


if __name__ == "__main__":
    main()
