#!/bin/sh
# -t (linger): after one direction ends, the other is ended SEC later; by
# default ferry waits for both.  -T (idle): a connection without traffic
# for SEC ends; traffic keeps it alive.  Both end normally (exit 0) and say
# why at -d.
. "$TESTS_DIR/integration/lib.sh"

now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# A server that accepts and then does nothing, never closes.
bg hold "$PYTHON" "$HELPERS/peer.py" hold "unix:$T/hold.sock" --ready "$T/hold.ready"
wait_for test -s "$T/hold.ready"
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# -t 1: our stdin ends at once, the server never answers nor closes.  A
# ferry without -t started at the same moment is still there afterwards.
ferry_bg forever -d - "unix-connect:$T/hold.sock"
FOREVER=$FPID
start=$(now_ms)
ferry_bg linger -d -t 1 - "unix-connect:$T/hold.sock"
L=$FPID
WAIT=20 await "$L"
took=$(( $(now_ms) - start ))
[ "$REAPED" -eq 0 ] || fail "-t 1: exit $REAPED"
[ "$took" -ge 900 ] || fail "-t 1 ended the relay after $took ms"
[ "$took" -lt 10000 ] || fail "-t 1 ended the relay only after $took ms"
expect_log linger "closed after -t"
kill -0 "$FOREVER" || fail "without -t, ferry ended a relay whose other direction was still open"
stop "$FOREVER"
[ "$REAPED" -eq 143 ] || fail "without -t: SIGTERM exit status $REAPED"

# -t 0.3 on a forking listener: each connection lingers on its own.
ferry_bg lrelay -d -t 0.3 "unix-listen:$T/l.sock,fork" "unix-connect:$T/hold.sock"
R=$FPID
ready lrelay
: >"$T/empty"
start=$(now_ms)
RUN_TIMEOUT=20 ferry_pipe lc "$T/empty" "$T/out" - "unix:$T/l.sock"
took=$(( $(now_ms) - start ))
[ "$RC" -eq 0 ] || fail "client of the -t 0.3 relay: exit $RC"
[ "$took" -ge 250 ] || fail "-t 0.3: the client was let go after $took ms"
stop "$R"

# -t does not cut a direction that is still moving data while it lasts:
# the echo server answers everything before it closes.
randfile "$T/in" $((8 * 1024 * 1024))
ferry_pipe tbulk "$T/in" "$T/out" -t 5 - "unix-connect:$T/echo.sock"
[ "$RC" -eq 0 ] || fail "-t 5 with an echo server: exit $RC"
same "$T/in" "$T/out"

# -T 1: a client that sends a line every 0.3 s for 2 s is not cut; when it
# stops, the relay ends about 1 s later (the client sees EOF).
ferry_bg idle -d -T 1 tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/echo.sock"
I=$FPID
ready idle
"$PYTHON" "$HELPERS/client.py" ping "tcp:127.0.0.1:$PORT" --count 8 --every 0.3 \
    --out "$T/ping.out" --timeout 20 || fail "the pinging client failed (cut while active?)"
set -- $(cat "$T/ping.out")
[ "$2" -eq 8 ] || fail "ping: $(cat "$T/ping.out")"
# "eof after S": S seconds from the last echo to the EOF.
awk -v s="$5" 'BEGIN { exit !(s >= 0.8 && s < 8) }' || fail "-T 1: EOF came $5 s after the last traffic"
wait_for grep -q 'idle for -T' "$T/idle.log"
# The listener goes on serving.
printf 'still\n' >"$T/small"
ferry_pipe after "$T/small" "$T/out" - "tcp:127.0.0.1:$PORT"
[ "$RC" -eq 0 ] || fail "after an idle timeout, the next client: exit $RC"
same "$T/small" "$T/out"
stop "$I"

# -T on a single relay: ends it, exit 0.
start=$(now_ms)
ferry_bg idle1 -T 0.5 - "unix-connect:$T/hold.sock"
I=$FPID
# (stdin is /dev/null: at EOF at once, so only the other way is idle)
WAIT=20 await "$I"
took=$(( $(now_ms) - start ))
[ "$REAPED" -eq 0 ] || fail "-T 0.5: exit $REAPED"
[ "$took" -ge 400 ] || fail "-T 0.5 ended after $took ms"

# Bad values.
ferry_run badt -t x - - </dev/null
[ "$RC" -eq 1 ] || fail "-t x: exit $RC"
ferry_run badT -T -5 - - </dev/null
[ "$RC" -eq 1 ] || fail "-T -5: exit $RC"
