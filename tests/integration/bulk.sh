#!/bin/sh
# 200 MB each way at once through tcp-listen -> unix-connect to an echo
# server, with ferry as the client too; sha256 checked both ways.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/in" $((200 * 1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
ferry_bg relay tcp-listen:0,bind=127.0.0.1 "unix-connect:$T/echo.sock"
RELAY=$FPID
ready relay

ferry_run client - "tcp:127.0.0.1:$PORT" <"$T/in" >"$T/out"
[ "$RC" -eq 0 ] || fail "client exited $RC"
same "$T/in" "$T/out"
# A listener without fork serves one connection, then exits 0.
await "$RELAY"
[ "$REAPED" -eq 0 ] || fail "relay exited $REAPED"
