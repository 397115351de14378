#!/usr/bin/env python3
"""A service manager's end of NOTIFY_SOCKET, for ferry's tests.

    notify.py PATH|@NAME --ready FILE --out FILE [--check PATH]

Binds a datagram socket at PATH (or @NAME in the abstract namespace),
writes the ready file, then appends every datagram it receives to --out as
a line; with --check, each line also says whether PATH existed at that
moment ("present" or "absent").  Runs until killed.
"""
import argparse
import os
import socket


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("where")
    ap.add_argument("--ready", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--check")
    a = ap.parse_args()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind("\0" + a.where[1:] if a.where.startswith("@") else a.where)
    tmp = a.ready + ".tmp"
    with open(tmp, "w") as f:
        f.write(a.where + "\n")
    os.rename(tmp, a.ready)
    with open(a.out, "a") as out:
        while True:
            msg = s.recv(4096).decode("utf-8", "replace")
            if a.check:
                msg += " present" if os.path.exists(a.check) else " absent"
            out.write(msg + "\n")
            out.flush()


if __name__ == "__main__":
    main()
