#!/bin/sh
# Out of fds for a splice pipe: a relay between two sockets still moves
# every byte, both ways at once (copying, taking from the source only what
# the sink took).  ferry runs with exactly enough fds for its listener and
# the two sockets of one connection.
. "$TESTS_DIR/integration/lib.sh"
# valgrind needs fds of its own, more than this test leaves ferry.
[ -z "${FERRY_VALGRIND_BIN:-}" ] || skip "a few fds are too few for valgrind"

randfile "$T/in" $((20 * 1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# How many fds does a listening ferry hold?
ferry_bg probe tcp-listen:0,bind=127.0.0.1 "unix-connect:$T/echo.sock"
ready probe
BASE=$(nfds "$FPID")
stop "$FPID"

# Room for the accepted socket and the connected one, not for a pipe.
( ulimit -n $((BASE + 2)) &&
    exec "$FERRY" -dd --ready-file "$T/relay.ready" \
    tcp-listen:0,bind=127.0.0.1 "unix-connect:$T/echo.sock" \
    </dev/null >/dev/null 2>"$T/relay.log" ) &
RELAY=$!
PIDS="$PIDS $RELAY"
FERRY_LOGS="$FERRY_LOGS $T/relay.log"
ready relay

ferry_run client - "tcp:127.0.0.1:$PORT" <"$T/in" >"$T/out"
[ "$RC" -eq 0 ] || fail "client exited $RC: $(cat "$T/client.log")"
same "$T/in" "$T/out"
await "$RELAY"
[ "$REAPED" -eq 0 ] || fail "relay exited $REAPED: $(cat "$T/relay.log")"
if grep -q '^#define HAVE_SPLICE 1' "$(dirname "$FERRY")/../config.h" 2>/dev/null
then
	expect_log relay "no pipe for splice \(Too many open files\)"
fi
