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

These break a per-session limit in one session while another session
stays open; each prints "session CODE" once the far peer failed the
breaking session alone with ERROR CODE (the other got no ERROR or CLOSE,
and the hop still answers PING), else exits 1:
sessions (opens one session more than the far peer's max_sessions),
record (a seqpacket channel's record grows past max_record: ERROR LIMIT,
since a fragment's credit comes back at once), credit
(DATA beyond the window: "slow 0" and then window + 4 MiB at once, to a
target that reads nothing), fdsrule (FDS naming a channel not in use).
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


def far_hello(s, buf):
    """Send our HELLO, read the far peer's: (its limits, rest of buf)."""
    s.sendall(hello())
    while True:
        chan, typ, body, buf = read_frame(s, buf)
        if typ == 1:
            f = struct.unpack(">IIIIII", body[20:44])
            return dict(max_frame=f[0], max_sessions=f[1],
                        max_channels=f[2], window=f[3], max_record=f[4],
                        max_fds=f[5]), buf


def open_frame(session, kind, access=3):
    return struct.pack(">IBBH", session, kind, access, 0)


def session_fails(s, buf, bad, good):
    """Read until ERROR on the bad session's channel; nothing may end
    good's; PINGs answered.  Returns (code, buf)."""
    while True:
        try:
            chan, typ, body, buf = read_frame(s, buf)
        except EOFError:
            print("the far peer dropped the hop")
            sys.exit(1)
        if typ == 9 and chan == 0:
            print("hop ERROR %r" % body)
            sys.exit(1)
        if chan in good and typ in (7, 9):
            print("the good session %d got type %d" % (chan, typ))
            sys.exit(1)
        if typ == 11:
            s.sendall(frame(0, 12, body))
        if typ == 9 and chan == bad:
            return struct.unpack(">I", body[:4])[0], buf


def still_up(s, buf, good):
    s.sendall(frame(0, 11, struct.pack(">Q", 78)))
    while True:
        chan, typ, body, buf = read_frame(s, buf)
        if chan in good and typ in (7, 9):
            print("the good session %d got type %d" % (chan, typ))
            sys.exit(1)
        if typ == 12:
            return


def per_session(s, mode):
    lim, buf = far_hello(s, b"")
    # The good session: id 2, a stream, left open.
    out = frame(2, 3, open_frame(0, 1))
    good = {2}
    if mode == "sessions":
        n = lim["max_sessions"]
        for i in range(1, n + 1):
            out += frame(2 + 2 * i, 3, open_frame(0, 1))
        bad = 2 + 2 * n
        good = set(range(2, bad, 2))
        s.sendall(out)
    elif mode == "record":
        bad = 4
        out += frame(4, 3, open_frame(0, 1))
        out += frame(6, 3, open_frame(4, 2))
        chunk = b"r" * min(65536, lim["max_frame"])
        sent = 0
        while sent + len(chunk) <= lim["window"]:
            out += frame(6, 4, chunk, flags=1)
            sent += len(chunk)
        s.sendall(out + frame(6, 4, chunk, flags=1))
    elif mode == "credit":
        bad = 4
        out += frame(4, 3, open_frame(0, 1)) + frame(4, 4, b"slow 0\n")
        s.sendall(out)
        chunk = b"c" * min(65536, lim["max_frame"])
        total = lim["window"] + 4 * 1024 * 1024
        try:
            for _ in range(0, total, len(chunk)):
                s.sendall(frame(4, 4, chunk))
        except OSError:
            pass
    elif mode == "fdsrule":
        bad = 4
        out += frame(4, 3, open_frame(0, 1))
        out += frame(4, 5, struct.pack(">QI", 0, 98)) + frame(4, 4, b"x")
        s.sendall(out)
    else:
        sys.exit("unknown mode " + mode)
    code, buf = session_fails(s, buf, bad, good)
    still_up(s, buf, good)
    print("session %d" % code)


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = socket.create_connection((host, port), timeout=5)
    if mode == "limit":
        limit(s)
        return
    if mode in ("sessions", "record", "credit", "fdsrule"):
        s.settimeout(30)
        per_session(s, mode)
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
