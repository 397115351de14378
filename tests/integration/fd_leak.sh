#!/bin/sh
# No fd leaks across 1,000 connections to a forking ferry, counting
# /proc/PID/fd before and after, on the good path and the error paths:
# 600 echo round trips, 100 clients that reset mid-stream, 100 connections
# whose backend is down, 100 EXEC children, and 100 refusals by
# max-children.  No child or zombie is left either.
. "$TESTS_DIR/integration/lib.sh"

CLIENT="$HELPERS/client.py"
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
ECHO=$BGPID
wait_for test -s "$T/echo.ready"

ferry_bg relay -d tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/echo.sock"
RELAY=$FPID
ready relay
RPORT=$PORT
# Warm up (libevent and the resolver may open things once), then count.
"$PYTHON" "$CLIENT" many "tcp:127.0.0.1:$RPORT" --count 1 || fail "warm-up connection failed"
settle() {
	[ "$(nfds "$1")" -eq "$2" ]
}
one_closed() {
	[ "$(grep -c ' closed, ' "$T/relay.log")" -eq 1 ]
}
wait_for one_closed
before=$(nfds "$RELAY")
echo "ferry holds $before fds"

"$PYTHON" "$CLIENT" many "tcp:127.0.0.1:$RPORT" --count 600 || fail "a round trip failed"
"$PYTHON" "$CLIENT" reset "tcp:127.0.0.1:$RPORT" --count 100 || fail "the resetting client failed"
"$PYTHON" "$CLIENT" many "tcp:127.0.0.1:$RPORT" --count 1 || fail "a round trip after the resets failed"
WAIT=15 wait_for settle "$RELAY" "$before"

# The backend goes away: every connection fails to open its other side.
stop "$ECHO"
rm -f "$T/echo.sock"
i=0
while [ $i -lt 100 ]; do
	rc=0
	"$PYTHON" "$CLIENT" probe "tcp:127.0.0.1:$RPORT" --timeout 10 || rc=$?
	[ "$rc" -eq 3 ] || fail "with the backend down, a probe gave $rc"
	i=$((i + 1))
done
WAIT=15 wait_for settle "$RELAY" "$before"
stop "$RELAY"

# EXEC: a socketpair and a child per connection.
ferry_bg ex "unix-listen:$T/ex.sock,fork" exec:cat
EX=$FPID
ready ex
"$PYTHON" "$CLIENT" many "unix:$T/ex.sock" --count 1 || fail "warm-up exec connection failed"
no_children() {
	! grep -q "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null
}
WAIT=15 wait_for no_children "$EX"
exbefore=$(nfds "$EX")
"$PYTHON" "$CLIENT" many "unix:$T/ex.sock" --count 100 || fail "an exec round trip failed"
WAIT=15 wait_for no_children "$EX"
WAIT=15 wait_for settle "$EX" "$exbefore"
stop "$EX"

# max-children: one connection held, 100 refused.
bg echo2 "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo2.sock" --ready "$T/echo2.ready"
wait_for test -s "$T/echo2.ready"
ferry_bg max "unix-listen:$T/max.sock,fork,max-children=1" "unix-connect:$T/echo2.sock"
MAX=$FPID
ready max
mbefore=$(nfds "$MAX")
# (held for as long as the probes take, however loaded the machine)
bg hold "$PYTHON" "$CLIENT" hold "unix:$T/max.sock" --ready "$T/hold.ready" --keep --timeout 900
HOLD=$BGPID
wait_for test -s "$T/hold.ready"
i=0
while [ $i -lt 100 ]; do
	rc=0
	"$PYTHON" "$CLIENT" probe "unix:$T/max.sock" --timeout 10 || rc=$?
	[ "$rc" -eq 3 ] || fail "beyond max-children, a probe gave $rc"
	i=$((i + 1))
done
stop "$HOLD"
WAIT=15 wait_for settle "$MAX" "$mbefore"
stop "$MAX"
