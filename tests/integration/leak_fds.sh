#!/bin/sh
# 1,000 connections through a forking listener, each a request and its
# answer: afterwards ferry holds exactly the fds it held before, and no
# child is left (EXEC) — checked from /proc.
. "$TESTS_DIR/integration/lib.sh"

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
ferry_bg relay "tcp-listen:0,fork,bind=127.0.0.1" "unix-connect:$T/echo.sock"
F=$FPID
ready relay
TCPPORT=$PORT
ferry_bg ex "unix-listen:$T/ex.sock,fork" "exec:cat"
EX=$FPID
ready ex

before=$(nfds "$F")
exbefore=$(nfds "$EX")
"$PYTHON" - "$TCPPORT" "$T/ex.sock" <<'PY' || fail "a connection failed"
import socket, sys
port, path = int(sys.argv[1]), sys.argv[2]
for i in range(1000):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    msg = b"hello %d\n" % i
    s.sendall(msg)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = s.recv(100)
        if not b:
            break
        got += b
    assert got == msg, (i, got)
    s.close()
for i in range(200):
    u = socket.socket(socket.AF_UNIX)
    u.settimeout(10)
    u.connect(path)
    u.sendall(b"x%d" % i)
    u.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = u.recv(100)
        if not b:
            break
        got += b
    assert got == b"x%d" % i, (i, got)
    u.close()
PY

# Connections close asynchronously: poll (bounded) until the counts settle.
settled() {
	[ "$(nfds "$F")" -eq "$before" ] && [ "$(nfds "$EX")" -eq "$exbefore" ] &&
	    [ -z "$(pgrep -P "$EX")" ]
}
WAIT=15 wait_for settled
stop "$F"
stop "$EX"
