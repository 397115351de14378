#!/usr/bin/env python3
"""Peers for ferry's stress tests: many connections from one asyncio loop.

    stress.py server LISTEN --ready FILE [--mode echo|cmd|count]
              [--status FILE] [--cert PEM --key KEY]
        LISTEN is tcp:HOST:PORT (port 0: the kernel picks) or unix:PATH.
        Writes its address to FILE once listening.
        echo   send back every byte until EOF, then close
        count  read to EOF; after each close, --status holds
               "conns N bytes B" (totals so far)
        cmd    the first line says what to do: "echo"; "sink TAG" (write "open"
               to --status.TAG, read to EOF or reset, then write "closed"); "reset N" (read N bytes, then reset
               the connection with SO_LINGER 0); "gen N" (send N bytes,
               then close; --status holds "blocked K" whenever the
               number K of connections whose sending has made no
               progress for 0.5 s changes); "slow TAG" (read nothing
               until the file --status.go exists, then read to EOF and
               write "N ok" to --status.TAG if the N bytes are the first N of
               stress.py acked's connection TAG, "N differ" if not); "close N" (read N
               bytes, then close)

    stress.py load TARGET --conns N --bytes B [--prefix LINE]
        N connections at once, each sending B bytes of its own and reading
        them back; every byte checked by sha256.  "ok N" on success.

    stress.py burst TARGET --conns N --out FILE [--bytes B]
              [--release FILE2 --status FILE3]
        N connections at once, each a line (and B bytes) and its echo,
        sha256 checked.  Connections served are held until nothing has
        changed for a second, or with --release until FILE2 exists, then
        closed, so that the rest find room.  FILE: "ok N refused M";
        FILE3, rewritten as they change: the same counts so far.

    stress.py churn TARGET --total N --concurrency C
        N connections, C at a time, each a short echo round trip.

    stress.py stall TARGET --conns N --ready FILE [--prefix LINE]
        N connections that read nothing (after sending LINE, if given);
        FILE once all are open; holds them until killed.

    stress.py resets TARGET --status-dir DIR --bytes B [--tls-ca PEM]
        The reset scenario against a "cmd" server behind ferry: a bulk echo
        of B bytes starts, and while it is half done, a client resets its
        connection mid-stream (the server's side must close: DIR/sink.0
        appears) and a server resets its side (this client must see the
        close).  Then the echo completes, sha256 checked.

    stress.py acked TARGET --conns N --bytes B --status-dir DIR
        N TCP connections to a "cmd" server, each "slow I" and then as
        much of its own B bytes as the relay takes, until no more is
        acknowledged for 0.5 s; then DIR/acked holds, for each, the bytes
        the relay's kernel acknowledged (sent minus SIOCOUTQ).  Holds the
        connections until killed.  Linux only.

    stress.py send TARGET --bytes B --status FILE [--prefix LINE]
        Send B bytes as fast as possible until done or the connection
        closes; FILE holds "sent N" after each chunk (bytes the kernel
        took), then "done N" or "closed N".

Every wait is bounded by --timeout (default 60 s); exit status 1 with a
message on stderr when an expectation fails.
"""
import argparse
import asyncio
import hashlib
import os
import resource
import socket
import ssl
import struct
import sys
import time

CHUNK = 1 << 16


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def announce(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text + "\n")
    os.rename(tmp, path)


def rst(writer):
    """Reset the connection: SO_LINGER 0, then close."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
    writer.transport.abort()


async def connect(target, ctx=None):
    if target.startswith("unix:"):
        return await asyncio.open_unix_connection(target[5:], ssl=ctx,
                                                  limit=1 << 20)
    host, port = target[4:].rsplit(":", 1)
    return await asyncio.open_connection(
        host.strip("[]"), int(port), ssl=ctx,
        server_hostname="localhost" if ctx else None, limit=1 << 20)


# ---- server ------------------------------------------------------------------

class Server:
    def __init__(self, args):
        self.args = args
        self.conns = 0
        self.bytes = 0
        self.n = 0

    async def echo(self, r, w):
        while True:
            b = await r.read(CHUNK)
            if not b:
                break
            w.write(b)
            await w.drain()

    def blocked(self, k):
        self.n += k
        announce(self.args.status, "blocked %d" % self.n)

    async def gen(self, w, size):
        block = payload(4, CHUNK)
        sent = 0
        while sent < size:
            w.write(block[:min(CHUNK, size - sent)])
            sent += min(CHUNK, size - sent)
            d = asyncio.ensure_future(w.drain())
            done, _ = await asyncio.wait({d}, timeout=0.5)
            if not done:
                self.blocked(1)
                try:
                    await d
                finally:
                    self.blocked(-1)

    async def count(self, r, w):
        n = 0
        try:
            while True:
                b = await r.read(CHUNK)
                if not b:
                    break
                n += len(b)
        finally:
            self.conns += 1
            self.bytes += n
            announce(self.args.status,
                     "conns %d bytes %d" % (self.conns, self.bytes))

    async def cmd(self, r, w):
        line = (await r.readline()).decode().split()
        if not line:
            return      # closed before a command
        if line == ["echo"]:
            await self.echo(r, w)
        elif len(line) == 2 and line[0] == "sink":
            announce("%s.%s" % (self.args.status, line[1]), "open")
            try:
                while await r.read(CHUNK):
                    pass
            except (ConnectionError, OSError):
                pass
            announce("%s.%s" % (self.args.status, line[1]), "closed")
        elif len(line) == 2 and line[0] == "slow":
            w.transport.pause_reading()     # not even into our buffer
            while not os.path.exists(self.args.status + ".go"):
                await asyncio.sleep(0.02)
            w.transport.resume_reading()
            got = bytearray()
            try:
                while True:
                    b = await r.read(CHUNK)
                    if not b:
                        break
                    got += b
            finally:
                want = payload(100 + int(line[1]), len(got))
                announce("%s.%s" % (self.args.status, line[1]),
                         "%d %s" % (len(got), "ok" if got == want
                                    else "differ"))
        elif len(line) == 2 and line[0] == "close":
            await r.readexactly(int(line[1]))
        elif len(line) == 2 and line[0] == "gen":
            await self.gen(w, int(line[1]))
        elif len(line) == 2 and line[0] == "reset":
            await r.readexactly(int(line[1]))
            rst(w)
            return
        else:
            raise SystemExit("bad command %r" % line)

    async def serve(self, r, w):
        try:
            if self.args.mode == "echo":
                await self.echo(r, w)
            elif self.args.mode == "count":
                await self.count(r, w)
            else:
                await self.cmd(r, w)
            w.close()
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            w.transport.abort()


async def server(args):
    srv = Server(args)
    ctx = None
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
    spec = args.listen
    if spec.startswith("unix:"):
        s = await asyncio.start_unix_server(srv.serve, spec[5:], ssl=ctx,
                                            backlog=4096, limit=1 << 20)
        where = spec[5:]
    else:
        host, port = spec[4:].rsplit(":", 1)
        s = await asyncio.start_server(srv.serve, host, int(port), ssl=ctx,
                                       backlog=4096, limit=1 << 20)
        where = "%s:%d" % s.sockets[0].getsockname()[:2]
    announce(args.ready, where)
    async with s:
        await s.serve_forever()


# ---- clients -----------------------------------------------------------------

def payload(i, size):
    """Connection i's bytes: deterministic, different for each i."""
    out = bytearray()
    h = hashlib.sha256(b"%d" % i).digest()
    while len(out) < size:
        h = hashlib.sha256(h).digest()
        out += h * 32
    return bytes(out[:size])


async def load_one(args, i, block):
    r, w = await connect(args.target)
    k = (i * 7919) % len(block)
    data = block[k:] + block[:k]
    if args.prefix:
        w.write(args.prefix.encode() + b"\n")

    async def send():
        for off in range(0, len(data), CHUNK):
            w.write(data[off:off + CHUNK])
            await w.drain()
        w.write_eof()

    st = asyncio.create_task(send())
    h = hashlib.sha256()
    n = 0
    while True:
        b = await r.read(CHUNK)
        if not b:
            break
        h.update(b)
        n += len(b)
    await st
    w.close()
    if n != len(data) or h.digest() != hashlib.sha256(data).digest():
        raise SystemExit("connection %d: sent %d bytes, got back %d, "
                         "sha256 %s" % (i, len(data), n,
                                        "same" if h.digest() ==
                                        hashlib.sha256(data).digest()
                                        else "differs"))


async def load(args):
    block = payload(0, args.bytes)
    await asyncio.wait_for(asyncio.gather(
        *(load_one(args, i, block) for i in range(args.conns))),
        args.timeout)
    print("ok %d" % args.conns)


async def burst(args):
    progress = [time.monotonic()]
    release = asyncio.Event()
    res = {"ok": 0, "refused": 0}

    block = payload(3, args.bytes) if args.bytes else b""

    def counted(what):
        res[what] += 1
        progress[0] = time.monotonic()
        if args.status:
            announce(args.status, "ok %d refused %d" % (res["ok"],
                                                        res["refused"]))

    async def one(i):
        msg = b"ping %d\n" % i + block
        try:
            r, w = await connect(args.target)
        except OSError:
            counted("refused")
            return
        try:
            w.write(msg)
            await w.drain()
            got = await r.readexactly(len(msg))
        except asyncio.IncompleteReadError as e:
            if e.partial:
                raise SystemExit("connection %d: closed after %d of %d "
                                 "bytes" % (i, len(e.partial), len(msg)))
            got = b""
        except (ConnectionError, OSError):
            got = b""
        if got and hashlib.sha256(got).digest() != \
                hashlib.sha256(msg).digest():
            raise SystemExit("connection %d: sha256 differs" % i)
        if got != msg:
            counted("refused")
            w.transport.abort()
            return
        counted("ok")
        await release.wait()
        w.close()

    async def watch():
        while not release.is_set():
            await asyncio.sleep(0.05)
            if args.release:
                if os.path.exists(args.release):
                    release.set()
            elif time.monotonic() - progress[0] > 1.0:
                release.set()

    wt = asyncio.create_task(watch())
    await asyncio.wait_for(asyncio.gather(
        *(one(i) for i in range(args.conns))), args.timeout)
    release.set()
    await wt
    announce(args.out, "ok %d refused %d" % (res["ok"], res["refused"]))


async def churn(args):
    sem = asyncio.Semaphore(args.concurrency)

    async def one(i):
        async with sem:
            r, w = await connect(args.target)
            msg = b"churn %d\n" % i
            w.write(msg)
            await w.drain()
            got = await r.readline()
            w.close()
            await w.wait_closed()
            if got != msg:
                raise SystemExit("connection %d: got %r" % (i, got))

    await asyncio.wait_for(asyncio.gather(
        *(one(i) for i in range(args.total))), args.timeout)
    print("ok %d" % args.total)


async def stall(args):
    conns = []
    for i in range(args.conns):
        sock = socket.socket(socket.AF_INET if args.target.startswith("tcp:")
                             else socket.AF_UNIX)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        if args.target.startswith("tcp:"):
            host, port = args.target[4:].rsplit(":", 1)
            sock.connect((host, int(port)))
        else:
            sock.connect(args.target[5:])
        if args.prefix:
            sock.sendall(args.prefix.encode() + b"\n")
        conns.append(sock)
    announce(args.ready, "%d" % len(conns))
    await asyncio.Event().wait()


async def resets(args):
    ctx = None
    if args.tls_ca:
        ctx = ssl.create_default_context(cafile=args.tls_ca)
    data = payload(1, args.bytes)
    half = asyncio.Event()
    go = asyncio.Event()

    async def bulk():
        r, w = await connect(args.target, ctx)
        w.write(b"echo\n")

        async def send():
            mid = len(data) // 2
            for off in range(0, len(data), CHUNK):
                if off >= mid and not go.is_set():
                    half.set()
                    await go.wait()
                w.write(data[off:off + CHUNK])
                await w.drain()
            # No half-close: Python's TLS streams end the whole
            # connection at a close_notify, losing the echo's tail.

        st = asyncio.create_task(send())
        got = bytearray()
        while len(got) < len(data):
            b = await r.read(CHUNK)
            if not b:
                break
            got += b
        await st
        w.close()
        if bytes(got) != data:
            raise SystemExit("bulk echo: sent %d bytes, got back %d (%s)" %
                             (len(data), len(got),
                              "sha256 differs" if len(got) == len(data)
                              else "short"))

    async def client_reset():
        r, w = await connect(args.target, ctx)
        tag = os.urandom(8).hex()
        w.write(b"sink %s\n" % tag.encode() + data[:1 << 20])
        await w.drain()
        # Reset once the relay has opened the server's side (a reset
        # before it read the command would leave the server nothing).
        path = os.path.join(args.status_dir, "sink." + tag)
        while not os.path.exists(path):
            await asyncio.sleep(0.02)
        rst(w)
        # The server's side of that connection must close.
        while open(path).read() != "closed\n":
            await asyncio.sleep(0.02)

    async def server_reset():
        r, w = await connect(args.target, ctx)
        w.write(b"reset %d\n" % (1 << 20))

        async def feed():
            # Keep sending until the close reaches us.
            try:
                while not w.transport.is_closing():
                    w.write(data[:CHUNK])
                    await w.drain()
                    await asyncio.sleep(0)
            except (ConnectionError, OSError):
                pass

        ft = asyncio.create_task(feed())
        try:
            while await r.read(CHUNK):
                pass
        except (ConnectionError, OSError):
            pass
        ft.cancel()
        w.transport.abort()

    bt = asyncio.create_task(bulk())
    await asyncio.wait_for(half.wait(), args.timeout)
    await asyncio.wait_for(client_reset(), args.timeout)
    await asyncio.wait_for(server_reset(), args.timeout)
    go.set()
    await asyncio.wait_for(bt, args.timeout)
    print("ok")


async def acked(args):
    import fcntl
    import termios

    socks = []
    for i in range(args.conns):
        host, port = args.target[4:].rsplit(":", 1)
        sock = socket.create_connection((host, int(port)))
        sock.sendall(b"slow %d\n" % i)
        sock.setblocking(False)
        socks.append([sock, payload(100 + i, args.bytes), 0])

    def outq(sock):
        return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ,
                                              b"\0" * 4))[0]

    # Send until the kernels take no more and nothing more is acknowledged
    # for half a second (the relay's buffers are full).
    last, since = None, time.monotonic()
    while time.monotonic() - since < 0.5:
        for c in socks:
            try:
                c[2] += c[0].send(c[1][c[2]:c[2] + CHUNK])
            except BlockingIOError:
                pass
        now = [c[2] - outq(c[0]) for c in socks]
        if now != last:
            last, since = now, time.monotonic()
        await asyncio.sleep(0.01)
        if time.monotonic() - since > args.timeout:
            raise SystemExit("acked: no end")
    for i, c in enumerate(socks):
        if c[2] == len(c[1]):
            raise SystemExit("acked: connection %d sent all %d bytes" %
                             (i, c[2]))
    announce(os.path.join(args.status_dir, "acked"),
             " ".join("%d" % n for n in last))
    # Held until killed.
    await asyncio.Event().wait()


async def send(args):
    r, w = await connect(args.target)
    if args.prefix:
        w.write(args.prefix.encode() + b"\n")
    sent = 0
    block = payload(2, CHUNK)
    end = "done"
    sock = w.get_extra_info("socket")
    try:
        while sent < args.bytes:
            w.write(block[:min(CHUNK, args.bytes - sent)])
            await w.drain()
            sent += min(CHUNK, args.bytes - sent)
            announce(args.status, "sent %d" % sent)
        w.write_eof()
        await r.read()
    except (ConnectionError, OSError):
        end = "closed"
    del sock
    announce(args.status, "%s %d" % (end, sent))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["server", "load", "burst", "churn",
                                    "stall", "resets", "send", "acked"])
    ap.add_argument("target", help="LISTEN for server, TARGET otherwise")
    ap.add_argument("--ready")
    ap.add_argument("--mode", default="echo", choices=["echo", "cmd", "count"])
    ap.add_argument("--status")
    ap.add_argument("--status-dir")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--tls-ca")
    ap.add_argument("--conns", type=int, default=1)
    ap.add_argument("--bytes", type=int, default=0)
    ap.add_argument("--prefix")
    ap.add_argument("--out")
    ap.add_argument("--release")
    ap.add_argument("--total", type=int, default=0)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    if args.cmd == "server":
        args.listen = args.target
    raise_nofile()
    try:
        asyncio.run(globals()[args.cmd](args))
    except asyncio.TimeoutError:
        sys.exit("%s: timed out after %gs" % (args.cmd, args.timeout))


if __name__ == "__main__":
    main()
