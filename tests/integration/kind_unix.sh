#!/bin/sh
# UNIX-LISTEN (and UNIX-L), UNIX-CONNECT, UNIX-CLIENT and its aliases UNIX
# and LOCAL, relative paths, unlink-close; 4 MB each way, sha256 checked.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/in" $((4 * 1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# A forking UNIX listener in front of the echo server.
ferry_bg relay -d "unix-listen:$T/relay.sock,fork" "unix-connect:$T/echo.sock"
RELAY=$FPID
ready relay
[ "$ADDR" = "$T/relay.sock" ] || fail "ready file says '$ADDR'"
[ -S "$T/relay.sock" ] || fail "no socket file at $T/relay.sock"

n=0
for k in unix-connect UNIX-CONNECT unix-client Unix-Client unix UNIX local LOCAL; do
	rm -f "$T/out"
	ferry_pipe "c$k" "$T/in" "$T/out" - "$k:$T/relay.sock"
	[ "$RC" -eq 0 ] || fail "$k: exit $RC"
	same "$T/in" "$T/out"
	n=$((n + 1))
done
# A relative path, from the socket's directory.
cd "$T"
ferry_pipe rel "$T/in" "$T/out" - unix-connect:relay.sock
[ "$RC" -eq 0 ] || fail "relative path: exit $RC"
cd /
same "$T/in" "$T/out"
n=$((n + 1))
# One line per connection at -d.
logged() {
	[ "$(grep -c 'closed, [0-9]* bytes >' "$T/relay.log")" -eq "$n" ]
}
wait_for logged
expect_log relay "closed, 4194304 bytes >, 4194304 bytes <"
stop "$RELAY"
[ "$REAPED" -eq 143 ] || fail "relay: SIGTERM exit status $REAPED"
[ ! -e "$T/relay.sock" ] || fail "socket file left behind after SIGTERM"

# UNIX-L without fork: one connection, then the socket file goes and
# ferry exits 0.
ferry_bg once UNIX-L:"$T/once.sock" "unix-connect:$T/echo.sock"
ONCE=$FPID
ready once
ferry_pipe conce "$T/in" "$T/out" - "unix:$T/once.sock"
[ "$RC" -eq 0 ] || fail "client of UNIX-L: exit $RC"
same "$T/in" "$T/out"
await "$ONCE"
[ "$REAPED" -eq 0 ] || fail "UNIX-L without fork exited $REAPED"
[ ! -e "$T/once.sock" ] || fail "UNIX-L left its socket file"

# unlink-close=0 keeps the socket file.
ferry_bg keep "unix-listen:$T/keep.sock,fork,unlink-close=0" "unix-connect:$T/echo.sock"
KEEP=$FPID
ready keep
stop "$KEEP"
[ "$REAPED" -eq 143 ] || fail "unlink-close=0: SIGTERM exit status $REAPED"
[ -S "$T/keep.sock" ] || fail "unlink-close=0 removed the socket file"

# A second listener on the same path while the first is live is refused,
# and the first keeps its file and keeps serving.
ferry_bg first "unix-listen:$T/dup.sock,fork" "unix-connect:$T/echo.sock"
FIRST=$FPID
ready first
ferry_run second "unix-listen:$T/dup.sock" "unix-connect:$T/echo.sock"
[ "$RC" -eq 1 ] || fail "second listener on a live path: exit $RC"
expect_log second "is in use by a live server"
printf 'still there\n' >"$T/small"
ferry_pipe cfirst "$T/small" "$T/out" - "unix:$T/dup.sock"
[ "$RC" -eq 0 ] || fail "first listener after the refused second: exit $RC"
same "$T/small" "$T/out"
stop "$FIRST"
