#!/usr/bin/env python3
"""Record peers for ferry's datagram and seqpacket tests.

    dgram.py echo SPEC --ready FILE
    dgram.py check SPEC [--count N] [--max BYTES] [--seed S] [--bind PATH]
    dgram.py multi SPEC --clients K [--count N] [--tmp DIR]
    dgram.py oversize SPEC [--size BYTES]

SPEC is udp4:HOST:PORT, udp6:[HOST]:PORT, unixdg:PATH, abstract:NAME (a
datagram socket in Linux's abstract namespace) or seqpacket:PATH
(port 0 lets the kernel pick; the ready file gets the real address).

    echo      send every record back to its sender, whole
    check     send N records of random sizes from --min to --max, one at a time,
              and check each answer is the same record (10 s bound each)
    multi     K clients at once, each with its own socket, each checking
              that every answer is its own record
    oversize  send one record of --size bytes and expect the connection
              to end (EOF) within 10 s, not a part of the record
    flood     send --count records of --size bytes, numbered; write
              "blocked" to --status once a send makes no progress for
              0.5 s, "sent" at the end
    slowsink  (seqpacket) accept one connection, read nothing until the
              file --go exists (60 s bound), then read --count records and
              write "ok N" or what was wrong to --status
"""
import argparse
import os
import random
import socket
import sys
import tempfile
import threading

TIMEOUT = 10


def parse(spec):
    kind, rest = spec.split(":", 1)
    if kind in ("udp4", "udp6"):
        host, port = rest.rsplit(":", 1)
        host = host.strip("[]")
        fam = socket.AF_INET6 if kind == "udp6" else socket.AF_INET
        return fam, socket.SOCK_DGRAM, (host, int(port))
    if kind == "unixdg":
        return socket.AF_UNIX, socket.SOCK_DGRAM, rest
    if kind == "abstract":      # a name in Linux's abstract namespace
        return socket.AF_UNIX, socket.SOCK_DGRAM, "\0" + rest
    if kind == "seqpacket":
        return socket.AF_UNIX, socket.SOCK_SEQPACKET, rest
    sys.exit("bad spec " + spec)


def announce(ready, where):
    with open(ready + ".tmp", "w") as f:
        f.write(where + "\n")
    os.rename(ready + ".tmp", ready)


def echo(args):
    fam, typ, addr = parse(args.spec)
    s = socket.socket(fam, typ)
    s.bind(addr)
    if fam == socket.AF_UNIX:
        where = addr.replace("\0", "@")
    else:
        h, p = s.getsockname()[:2]
        where = "[%s]:%d" % (h, p) if fam == socket.AF_INET6 else "%s:%d" % (h, p)
    if typ == socket.SOCK_DGRAM:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        announce(args.ready, where)
        while True:
            m, peer = s.recvfrom(1 << 17)
            if peer:
                s.sendto(m, peer)
    s.listen(16)
    announce(args.ready, where)

    def serve(c):
        while True:
            m = c.recv(1 << 17)
            if not m:
                break
            c.send(m)
        c.close()

    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def client(spec, bind=None):
    fam, typ, addr = parse(spec)
    s = socket.socket(fam, typ)
    if bind:
        s.bind(bind)
    elif fam == socket.AF_UNIX and addr.startswith("\0"):
        s.bind("")             # an autobound abstract name
    elif fam == socket.AF_UNIX and typ == socket.SOCK_DGRAM:
        s.bind(tempfile.mktemp(prefix="c", suffix=".sock",
                               dir=os.path.dirname(addr)))
    s.settimeout(TIMEOUT)
    s.connect(addr)
    return s


def unbind(s):
    try:
        name = s.getsockname()
        if isinstance(name, str) and name:
            os.unlink(name)
    except OSError:
        pass


def check(args):
    rnd = random.Random(args.seed)
    s = client(args.spec, args.bind)
    try:
        for i in range(args.count):
            n = rnd.randint(args.min, args.max) if i > 1 else (args.max, 1)[i]
            m = rnd.randbytes(n)
            s.send(m)
            r = s.recv(1 << 17)
            if r != m:
                sys.exit("record %d: sent %d bytes, got %d back%s" % (
                    i, n, len(r), " (different bytes)" if len(r) == n else ""))
    finally:
        unbind(s)
    print("ok %d records" % args.count)


def multi(args):
    errors = []

    def one(k):
        try:
            s = client(args.spec)
            try:
                for i in range(args.count):
                    m = ("client %d record %d " % (k, i)).encode() * (k + 1)
                    s.send(m)
                    r = s.recv(1 << 17)
                    if r != m:
                        errors.append("client %d record %d: got %r" % (k, i, r[:40]))
                        return
            finally:
                unbind(s)
        except Exception as e:
            errors.append("client %d: %s" % (k, e))

    ts = [threading.Thread(target=one, args=(k,)) for k in range(args.clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        sys.exit("; ".join(errors[:4]))
    print("ok %d clients" % args.clients)


def oversize(args):
    s = client(args.spec)
    s.send(os.urandom(args.size))
    r = s.recv(1 << 18)
    if r:
        sys.exit("got %d bytes back, wanted the end" % len(r))
    print("ended")


def status(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text + "\n")
    os.rename(path + ".tmp", path)


def flood(args):
    s = client(args.spec)
    told = False
    for i in range(args.count):
        m = i.to_bytes(4, "big") * (args.size // 4)
        while True:
            s.settimeout(None if told else 0.5)
            try:
                s.send(m)
                break
            except socket.timeout:
                status(args.status, "blocked")
                told = True
    status(args.status, "sent")
    s.settimeout(TIMEOUT)
    s.recv(1)       # the end, once the sink has read everything


def slowsink(args):
    import time
    fam, typ, addr = parse(args.spec)
    ls = socket.socket(fam, typ)
    ls.bind(addr)
    ls.listen(1)
    announce(args.ready, addr)
    c, _ = ls.accept()
    deadline = time.monotonic() + 60
    while not os.path.exists(args.go):
        if time.monotonic() > deadline:
            status(args.status, "no go file")
            return
        time.sleep(0.02)
    c.settimeout(TIMEOUT)
    for i in range(args.count):
        m = c.recv(1 << 17)
        if len(m) != args.size or m[:4] != i.to_bytes(4, "big"):
            status(args.status, "record %d: %d bytes, starts %r" % (i, len(m), m[:4]))
            return
    status(args.status, "ok %d" % args.count)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode")
    ap.add_argument("spec")
    ap.add_argument("--ready")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--max", type=int, default=65507)
    ap.add_argument("--min", type=int, default=0)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--bind")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--size", type=int, default=70000)
    ap.add_argument("--status")
    ap.add_argument("--go")
    args = ap.parse_args()
    {"echo": echo, "check": check, "multi": multi, "oversize": oversize,
     "flood": flood, "slowsink": slowsink}[args.mode](args)


if __name__ == "__main__":
    main()
