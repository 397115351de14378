#!/usr/bin/env python3
"""fds nested three levels deep, the same fd passed twice, and an fd
passed back by the server, for fdpass tests.

    fdpass_nested.py server PATH --ready FILE
    fdpass_nested.py client PATH

client: connects; passes socket s1 over the connection, s2 over s1, s3
over s2 (each a socketpair end); over s3 passes the write end of a pipe
twice in one message and once more in a second one.  server: writes "A",
"B", "C" to the three copies in that order and closes them, sends the
read end of a pipe of its own back over s2 and writes "back" into it,
and echoes a line it reads on s3.  The client checks everything and
prints "ok".
"""
import os
import socket
import sys
import threading


def recv1(s, maxfds=8):
    data, fds, _, _ = socket.recv_fds(s, 1, maxfds)
    return data, fds


def line(s):
    b = b""
    while not b.endswith(b"\n"):
        d = s.recv(1)
        if not d:
            raise EOFError("EOF")
        b += d
    return b


def serve(c):
    try:
        _, f = recv1(c)
        s1 = socket.socket(fileno=f[0])
        _, f = recv1(s1)
        s2 = socket.socket(fileno=f[0])
        _, f = recv1(s2)
        s3 = socket.socket(fileno=f[0])
        _, two = recv1(s3)
        _, one = recv1(s3)
        ws = two + one
        if len(ws) != 3:
            raise RuntimeError("expected 3 fds, got %d" % len(ws))
        st = [os.fstat(w) for w in ws]
        if len({(x.st_dev, x.st_ino) for x in st}) != 1:
            raise RuntimeError("the three fds are not one pipe")
        for w, ch in zip(ws, (b"A", b"B", b"C")):
            os.write(w, ch)
        for w in ws:
            os.close(w)
        r, w = os.pipe()
        socket.send_fds(s2, [b"r"], [r])
        os.close(r)
        os.write(w, b"back\n")
        os.close(w)
        got = line(s3)
        s3.sendall(b"echo:" + got)
        s1.sendall(b"level1\n")
        for s in (s3, s2, s1):
            s.close()
    except (OSError, EOFError, RuntimeError) as e:
        sys.stderr.write("server: %s\n" % e)
    finally:
        c.close()


def server(path, ready):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(16)
    with open(ready + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(ready + ".tmp", ready)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def client(path):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(path)
    a1, b1 = socket.socketpair()
    socket.send_fds(c, [b"1"], [b1.fileno()])
    b1.close()
    a2, b2 = socket.socketpair()
    socket.send_fds(a1, [b"2"], [b2.fileno()])
    b2.close()
    a3, b3 = socket.socketpair()
    socket.send_fds(a2, [b"3"], [b3.fileno()])
    b3.close()
    r, w = os.pipe()
    socket.send_fds(a3, [b"x"], [w, w])
    socket.send_fds(a3, [b"y"], [w])
    os.close(w)
    a3.sendall(b"deep\n")
    _, f = recv1(a2)
    if len(f) != 1:
        sys.exit("no fd came back")
    back = os.fdopen(f[0], "rb").read()
    if back != b"back\n":
        sys.exit("passed-back pipe said %r" % back)
    got = b""
    while True:
        d = os.read(r, 100)
        if not d:
            break
        got += d
    if got != b"ABC":
        sys.exit("pipe said %r, not b'ABC'" % got)
    if line(a3) != b"echo:deep\n":
        sys.exit("no echo at level 3")
    if line(a1) != b"level1\n":
        sys.exit("nothing at level 1")
    print("ok")


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], sys.argv[4])
    else:
        client(sys.argv[2])
