#!/usr/bin/env python3
"""A fake fdpass peer that misbehaves, for fdpass tests.

    fdpass_fake.py MODE HOST PORT

MODE: garbage (an HTTP request), badhello (the magic, but version 0),
badframe (a good HELLO, then DATA for a channel nobody opened), bigframe
(a good HELLO, then a header announcing 2 GiB).  Prints "dropped" and
exits 0 once the far peer closes the connection (within 5 s), else 1.
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


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = socket.create_connection((host, port), timeout=5)
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
