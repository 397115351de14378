#!/usr/bin/env python3
"""Datagram channels, for fdpass tests.

    fdpass_dgram.py server PATH --ready FILE
    fdpass_dgram.py client PATH COUNT SEED

The client connects to PATH (a stream socket) and passes one end of a
SOCK_DGRAM socketpair with one byte.  Over it, it sends COUNT records of
random sizes (0 to 65000 bytes, random contents from SEED), 16 at a time,
and the server echoes every record back as it came; the client checks
each echo against what it sent, one by one (so a merged, split, lost or
reordered record shows).  Then it sends END, the server answers BYE and
closes.  Exit status: 0, or 98 on a record that came back different, 99
on a broken exchange.
"""
import os
import random
import socket
import sys
import threading

END = b"\xff--end--\xff"
MAXREC = 65000


def serve(c):
    try:
        msg, fds, flags, addr = socket.recv_fds(c, 1, 4)
        if not fds:
            return
        d = socket.socket(fileno=fds[0])
        for fd in fds[1:]:
            os.close(fd)
        while True:
            rec = d.recv(MAXREC + 1)
            if rec == END:
                d.send(b"BYE")
                break
            d.send(rec)
        d.close()
    finally:
        c.close()


def server(path, ready):
    l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    l.bind(path)
    l.listen(16)
    with open(ready + ".tmp", "w") as f:
        f.write(path + "\n")
    os.rename(ready + ".tmp", ready)
    while True:
        c, _ = l.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def client(path, count, seed):
    rnd = random.Random(seed)
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.settimeout(60)
    c.connect(path)
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    mine.settimeout(60)
    socket.send_fds(c, [b"d"], [theirs.fileno()])
    theirs.close()
    left = count
    sizes = {}
    while left > 0:
        batch = []
        for _ in range(min(16, left)):
            n = rnd.choice((0, 1, rnd.randrange(MAXREC + 1)))
            batch.append(rnd.randbytes(n))
        for rec in batch:
            mine.send(rec)
        for i, rec in enumerate(batch):
            got = mine.recv(MAXREC + 1)
            if got != rec:
                print("record %d: sent %d bytes, got %d back" %
                      (count - left + i, len(rec), len(got)),
                      file=sys.stderr)
                return 98
            sizes[len(rec)] = 1
        left -= len(batch)
    mine.send(END)
    if mine.recv(16) != b"BYE":
        return 99
    mine.close()
    c.close()
    print("%d records, %d distinct sizes" % (count, len(sizes)))
    return 0


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "server" and \
            sys.argv[3] == "--ready":
        server(sys.argv[2], sys.argv[4])
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "client":
        try:
            return client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        except (OSError, ValueError) as e:
            print("client: %s" % e, file=sys.stderr)
            return 99
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
