#!/usr/bin/env python3
"""A fake fdpass peer that misbehaves, for fdpass tests.

    fdpass_fake.py MODE HOST PORT

MODE: garbage (an HTTP request), badhello (the magic, but version 0),
badframe (a good HELLO, then DATA for a channel nobody opened), bigframe
(a good HELLO, then a header announcing 2 GiB), limit (a session that
opens more channels than the far peer allows: that session gets ERROR
LIMIT, the hop stays up and answers PING; prints "limit").  Other modes
print "dropped" and exit 0 once the far peer closes the connection
(within 5 s), else 1.
"""
import socket
import struct
import sys

MAGIC = b"\x89FERRY\r\n"


def hello(vmin=1, vmax=1, role=1):
    body = MAGIC + struct.pack(">HHBBHIIIIIIII", vmin, vmax, role, 0, 0, 0,
                               65536, 0, 16, 262144, 262144, 253, 0)
    body = body[:44] + b"\0" * 32
    return struct.pack(">IIBBH", len(body), 0, 1, 0, 0) + body


def frame(chan, typ, body=b"", flags=0):
    return struct.pack(">IIBBH", len(body), chan, typ, flags, 0) + body


def read_frame(s, buf):
    while len(buf) < 12 or len(buf) < 12 + struct.unpack(">I", buf[:4])[0]:
        d = s.recv(65536)
        if not d:
            raise EOFError
        buf += d
    n, chan, typ, _, _ = struct.unpack(">IIBBH", buf[:12])
    return chan, typ, buf[12:12 + n], buf[12 + n:]


def limit(s):
    s.sendall(hello())
    # session 2 (a stream), then 20 pipe channels in it
    out = frame(2, 3, struct.pack(">IBBH", 0, 1, 3, 0))
    for i in range(20):
        out += frame(4 + 2 * i, 3, struct.pack(">IBBH", 2, 4, 1, 0))
    s.sendall(out)
    buf = b""
    code = None
    while code is None:
        chan, typ, body, buf = read_frame(s, buf)
        if typ == 9 and chan != 0:
            code = struct.unpack(">I", body[:4])[0]
    if code != 4:
        print("error code %d, not LIMIT" % code)
        sys.exit(1)
    s.sendall(frame(0, 11, struct.pack(">Q", 77)))
    while True:
        chan, typ, body, buf = read_frame(s, buf)
        if typ == 12:
            break
    print("limit")


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = socket.create_connection((host, port), timeout=5)
    if mode == "limit":
        limit(s)
        return
    if mode == "garbage":
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
    elif mode == "badhello":
        s.sendall(hello(vmin=0))
    elif mode == "badframe":
        s.sendall(hello() + struct.pack(">IIBBH", 3, 42, 4, 0, 0) + b"abc")
    elif mode == "bigframe":
        s.sendall(hello() + struct.pack(">IIBBH", 0x80000000, 2, 4, 0, 0))
    try:
        while s.recv(4096):
            pass
    except socket.timeout:
        print("not dropped")
        sys.exit(1)
    except ConnectionResetError:
        pass
    print("dropped")


if __name__ == "__main__":
    main()
