#!/usr/bin/env python3
"""Drive ferry --progress with its stderr on a terminal.

    progress.py FERRY OUTFILE

Runs "FERRY --progress -u - create:OUTFILE" with stdin on a pipe and
stderr on a pty.  Writes 1 MiB, waits (10 s bound) until the terminal
shows "1.0 MiB >", writes 1 MiB more, closes stdin, and expects ferry to
exit 0 with a last line "ferry: 2.0 MiB >, 0 B <, RATE/s, SECSs" ended by a
newline.  Prints what the terminal got; exit 1 if anything was wrong."""
import os
import pty
import re
import select
import subprocess
import sys
import time


def read_until(fd, pattern, got, limit=10.0):
    end = time.monotonic() + limit
    while not re.search(pattern, got[0]):
        left = end - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                return bool(re.search(pattern, got[0]))
            got[0] += data.decode("utf-8", "replace")
    return True


def main():
    ferry, out = sys.argv[1], sys.argv[2]
    master, slave = pty.openpty()
    p = subprocess.Popen([ferry, "--progress", "-u", "-", "create:" + out],
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=slave)
    os.close(slave)
    got = [""]
    block = b"x" * (1 << 20)
    p.stdin.write(block)
    p.stdin.flush()
    if not read_until(master, r"\rferry: 1\.0 MiB >, 0 B <, [0-9.]+ [KMG]?i?B/s, [0-9.]+s", got):
        p.kill()
        sys.exit("no progress line for the first MiB: %r" % got[0])
    p.stdin.write(block)
    p.stdin.close()
    rc = p.wait(timeout=30)
    read_until(master, r"2\.0 MiB >[^\n]*\n", got, 5)
    print(repr(got[0]))
    if rc != 0:
        sys.exit("ferry exited %d" % rc)
    if not re.search(r"\rferry: 2\.0 MiB >, 0 B <, [0-9.]+ [KMG]?i?B/s, [0-9.]+s\x1b\[K\r?\n$", got[0]):
        sys.exit("no last line: %r" % got[0])


if __name__ == "__main__":
    main()
