#!/bin/sh
# tcp-listen:0,fork in front of a real HTTP server on a UNIX socket:
# 200 sequential and 50 concurrent curl requests, every body checked.
. "$TESTS_DIR/integration/lib.sh"
command -v curl >/dev/null || skip "curl not installed"

bg http "$PYTHON" "$HELPERS/peer.py" http "unix:$T/app.sock" --ready "$T/app.ready"
wait_for test -s "$T/app.ready"
ferry_bg relay -d tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/app.sock"
RELAY=$FPID
ready relay

i=0
while [ $i -lt 200 ]; do
	body=$(curl -sS --max-time 10 "http://127.0.0.1:$PORT/20")
	[ "$body" = "hello, world
hello, " ] || fail "request $i: got '$body'"
	i=$((i + 1))
done

i=0
curls=""
while [ $i -lt 50 ]; do
	curl -sS --max-time 20 -o "$T/c$i" "http://127.0.0.1:$PORT/100000" &
	curls="$curls $!"
	i=$((i + 1))
done
failed=0
for j in $curls; do
	wait "$j" || failed=$((failed + 1))
done
[ "$failed" -eq 0 ] || fail "$failed concurrent requests failed"
i=0
while [ $i -lt 50 ]; do
	[ "$(wc -c <"$T/c$i")" -eq 100000 ] || fail "concurrent body $i is short"
	i=$((i + 1))
done

# One log line per connection at -d, with bytes both ways.
n=$(grep -c 'closed, [0-9]* bytes >, [0-9]* bytes <' "$T/relay.log" || true)
[ "$n" -eq 250 ] || fail "expected 250 connection lines, got $n"
stop "$RELAY"
[ "$REAPED" -eq 143 ] || fail "SIGTERM exit status $REAPED, expected 143"
