#!/usr/bin/env python3
"""Real peers for ferry's integration tests.

    peer.py MODE unix:PATH|abstract:NAME|vsock:PORT|tcp:HOST:PORT --ready FILE [--out FILE]

Listens (port 0 lets the kernel pick), writes its address to the ready file
once listening ("HOST:PORT" or the path), and serves each connection in a
thread:

    echo       send back every byte until EOF, then close
    http       HTTP/1.1 on the socket; GET /N answers N bytes, keep-alive
    halfclose  read to EOF, then answer "got N bytes sha256 H\\n" and close
    sink       read to EOF into --out (one connection), then exit
    source     send the file --out to the first client, then close
    hold       accept, never read, never write, never close
    first      send the file --out, shut down the write side, then read to
               EOF and write "got N bytes sha256 H" to --status (one
               connection), then exit
    gen        send --bytes N bytes (a fixed 1 MiB random block repeated)
               to the first client, then close; --status FILE says
               "blocked SENT K" whenever a send makes no progress for 0.5 s
               (K counts those), and "done SENT SHA256" at the end

    --defer    bind and write the ready file, but listen only after
               SIGUSR1: until then a connect is refused
"""
import argparse
import hashlib
import http.server
import os
import signal
import socket
import socketserver
import sys
import threading


def listen(spec):
    if spec.startswith("unix:"):
        path = spec[5:]
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        where = path
    elif spec.startswith("abstract:"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind("\0" + spec[9:])
        where = "@" + spec[9:]
    elif spec.startswith("vsock:"):
        s = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
        s.bind((socket.VMADDR_CID_ANY, int(spec[6:])))
        where = "vsock:any:%d" % s.getsockname()[1]
    elif spec.startswith("tcp:"):
        host, port = spec[4:].rsplit(":", 1)
        host = host.strip("[]")
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, int(port)))
        h, p = s.getsockname()[:2]
        where = "[%s]:%d" % (h, p) if fam == socket.AF_INET6 else "%s:%d" % (h, p)
    else:
        sys.exit("bad listen spec " + spec)
    return s, where


def announce(ready, where):
    tmp = ready + ".tmp"
    with open(tmp, "w") as f:
        f.write(where + "\n")
    os.rename(tmp, ready)


def recv_all(c):
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(65536)
        if not b:
            return n, h.hexdigest()
        n += len(b)
        h.update(b)


def status(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text + "\n")
    os.rename(tmp, path)


def gen(c, args):
    block = os.urandom(1 << 20)
    h = hashlib.sha256()
    left = args.bytes
    sent = 0
    ticks = 0
    c.settimeout(0.5)
    view = memoryview(b"")
    while left > 0 or len(view) > 0:
        if len(view) == 0:
            view = memoryview(block[:min(left, len(block))])
            left -= len(view)
        try:
            n = c.send(view)
        except socket.timeout:
            ticks += 1
            if args.status:
                status(args.status, "blocked %d %d" % (sent, ticks))
            continue
        h.update(view[:n])
        sent += n
        view = view[n:]
    c.close()
    if args.status:
        status(args.status, "done %d %s" % (sent, h.hexdigest()))


def echo(c, args):
    while True:
        b = c.recv(65536)
        if not b:
            break
        c.sendall(b)
    c.close()


def halfclose(c, args):
    n, h = recv_all(c)
    c.sendall(b"got %d bytes sha256 %s\n" % (n, h.encode()))
    c.close()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def address_string(self):
        return "peer"

    def log_message(self, *a):
        pass

    def do_GET(self):
        try:
            n = int(self.path.strip("/") or "13")
        except ValueError:
            n = 13
        body = (b"hello, world\n" * (n // 13 + 1))[:n]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body)


def http(c, args):
    class Srv:
        pass
    try:
        Handler(c, ("peer", 0), Srv())
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        try:
            c.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["echo", "http", "halfclose", "sink",
                                     "source", "hold", "gen", "first"])
    ap.add_argument("listen")
    ap.add_argument("--ready", required=True)
    ap.add_argument("--out")
    ap.add_argument("--bytes", type=int, default=0)
    ap.add_argument("--status")
    ap.add_argument("--defer", action="store_true")
    args = ap.parse_args()
    if args.defer:
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    s, where = listen(args.listen)
    announce(args.ready, where)
    if args.defer:
        signal.sigwait([signal.SIGUSR1])
    s.listen(512)
    if args.mode == "gen":
        c, _ = s.accept()
        gen(c, args)
        return
    if args.mode == "first":
        c, _ = s.accept()
        with open(args.out, "rb") as f:
            c.sendfile(f)
        c.shutdown(socket.SHUT_WR)
        n, h = recv_all(c)
        c.close()
        status(args.status, "got %d bytes sha256 %s" % (n, h))
        return
    if args.mode == "hold":
        held = []
        while True:
            c, _ = s.accept()
            held.append(c)
    if args.mode in ("sink", "source"):
        c, _ = s.accept()
        if args.mode == "sink":
            with open(args.out, "wb") as f:
                while True:
                    b = c.recv(65536)
                    if not b:
                        break
                    f.write(b)
        else:
            with open(args.out, "rb") as f:
                c.sendfile(f)
        c.close()
        return
    serve = {"echo": echo, "http": http, "halfclose": halfclose}[args.mode]
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c, args), daemon=True).start()


if __name__ == "__main__":
    main()
