#!/usr/bin/env python3
"""A tiny HTTP server that listens on a UNIX socket only, for ferry's demo.

    http_unix.py SOCKET [--ready FILE]

Answers every GET with a short text page naming the path asked for.  Once
it listens it writes SOCKET to FILE (atomically), so a script can wait for
it without guessing.  Python's http.server cannot listen on a UNIX socket by
itself; this is the few lines it takes.  Stops on SIGTERM or SIGINT and
removes its socket.
"""
import argparse
import http.server
import os
import signal
import socketserver
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "demo-on-a-unix-socket/1.0"

    def do_GET(self):
        body = ("Hello from an HTTP server that listens only on the UNIX "
                "socket %s.\nYou asked for %s.\n"
                % (self.server.server_address, self.path)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def address_string(self):
        return "unix-peer"      # a UNIX peer has no address to print

    def log_message(self, fmt, *args):
        sys.stderr.write("http_unix: %s\n" % (fmt % args))


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("socket")
    ap.add_argument("--ready", help="write SOCKET here once listening")
    args = ap.parse_args()

    srv = Server(args.socket, Handler)  # binds and listens

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)

    if args.ready:
        tmp = args.ready + ".tmp"
        with open(tmp, "w") as f:
            f.write(args.socket + "\n")
        os.rename(tmp, args.ready)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
        try:
            os.unlink(args.socket)
        except OSError:
            pass


if __name__ == "__main__":
    main()
