#!/usr/bin/env python3
"""A real TLS peer (Python's ssl module) for ferry's TLS tests.

    tls_peer.py echo tcp:HOST:PORT|unix:PATH --ready FILE --cert C --key K
                [--cafile CA] [--log FILE]

Listens (port 0 lets the kernel pick), writes its address to the ready file
once listening, and serves each connection in a thread: a TLS handshake,
then every byte sent back until the peer's close_notify (or EOF), then a
close_notify of its own.  With --cafile a client certificate is required
and checked.  --log gets one line per connection:

    sni=NAME version=TLSv1.3 peer=CN bytes=N
    error=REASON
"""
import argparse
import os
import socket
import ssl
import sys
import threading

lock = threading.Lock()


def log(path, line):
    if path is None:
        return
    with lock, open(path, "a") as f:
        f.write(line + "\n")


def listen(spec):
    if spec.startswith("unix:"):
        path = spec[5:]
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        where = path
    elif spec.startswith("tcp:"):
        host, port = spec[4:].rsplit(":", 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, int(port)))
        where = "%s:%d" % s.getsockname()[:2]
    else:
        sys.exit("bad listen spec " + spec)
    s.listen(64)
    return s, where


def announce(ready, where):
    tmp = ready + ".tmp"
    with open(tmp, "w") as f:
        f.write(where + "\n")
    os.rename(tmp, ready)


def serve(ctx, raw, args):
    sni = {}
    try:
        c = ctx.wrap_socket(raw, server_side=True,
                            do_handshake_on_connect=False)
        c._ferry_sni = sni
        c.do_handshake()
    except (ssl.SSLError, OSError) as e:
        log(args.log, "error=%s" % (getattr(e, "reason", None) or e))
        raw.close()
        return
    version = c.version()
    peer = "-"
    cert = c.getpeercert()
    if cert:
        for rdn in cert.get("subject", ()):
            for k, v in rdn:
                if k == "commonName":
                    peer = v
    n = 0
    try:
        while True:
            b = c.recv(65536)
            if not b:
                break
            n += len(b)
            c.sendall(b)
        try:
            c.unwrap()
        except (ssl.SSLError, OSError):
            pass
    except (ssl.SSLError, OSError) as e:
        log(args.log, "error=%s" % (getattr(e, "reason", None) or e))
    log(args.log, "sni=%s version=%s peer=%s bytes=%d" %
        (sni.get("name") or "-", version, peer, n))
    c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["echo"])
    ap.add_argument("listen")
    ap.add_argument("--ready", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--cafile")
    ap.add_argument("--log")
    args = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    if args.cafile:
        ctx.load_verify_locations(args.cafile)
        ctx.verify_mode = ssl.CERT_REQUIRED

    def sni_cb(sock, name, _ctx):
        d = getattr(sock, "_ferry_sni", None)
        if d is not None:
            d["name"] = name
        return None
    ctx.sni_callback = sni_cb

    s, where = listen(args.listen)
    announce(args.ready, where)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(ctx, c, args),
                         daemon=True).start()


if __name__ == "__main__":
    main()
