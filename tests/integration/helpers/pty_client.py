#!/usr/bin/env python3
"""A program on the slave side of ferry's PTY, for kind_pty.sh.

    pty_client.py PATH [--echo 0|1] [--icanon 0|1] [--winsize ROWS COLS]
                       [--bytes N]

Opens PATH (the link= symlink) as a program would, checks that it is a
terminal and that its termios flags are as expected, sets the window size
and reads it back (TIOCSWINSZ, TIOCGWINSZ), then writes N random bytes
while reading what comes back (the other side of ferry echoes), and checks
that exactly those bytes returned, by sha256.  Exits 0 on success, 1 with
a message otherwise.
"""
import argparse
import fcntl
import hashlib
import os
import struct
import sys
import termios
import threading


def fail(msg):
    sys.stderr.write("pty_client: %s\n" % msg)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--echo", type=int)
    ap.add_argument("--icanon", type=int)
    ap.add_argument("--winsize", type=int, nargs=2)
    ap.add_argument("--bytes", type=int, default=0)
    args = ap.parse_args()

    fd = os.open(args.path, os.O_RDWR | os.O_NOCTTY)
    if not os.isatty(fd):
        fail("%s is not a terminal" % args.path)
    lflag = termios.tcgetattr(fd)[3]
    if args.echo is not None and bool(lflag & termios.ECHO) != bool(args.echo):
        fail("ECHO is %s, expected %d" % (bool(lflag & termios.ECHO), args.echo))
    if args.icanon is not None and \
            bool(lflag & termios.ICANON) != bool(args.icanon):
        fail("ICANON is %s, expected %d" %
             (bool(lflag & termios.ICANON), args.icanon))
    if args.winsize:
        rows, cols = args.winsize
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols,
                                                        0, 0))
        got = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ,
                                                b"\0" * 8))
        if got[:2] != (rows, cols):
            fail("window size %r, expected %r" % (got[:2], (rows, cols)))
    if args.bytes:
        data = os.urandom(args.bytes)
        sent = hashlib.sha256(data).hexdigest()

        def writer():
            view = memoryview(data)
            while view:
                n = os.write(fd, view[:4096])
                view = view[n:]

        t = threading.Thread(target=writer)
        t.start()
        got = bytearray()
        while len(got) < len(data):
            chunk = os.read(fd, 65536)
            if not chunk:
                fail("EOF after %d bytes" % len(got))
            got += chunk
        t.join()
        if hashlib.sha256(got).hexdigest() != sent:
            fail("%d bytes came back different" % len(got))
    os.close(fd)
    print("ok")


main()
