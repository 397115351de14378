#!/bin/sh
# EMFILE: ferry runs with 64 fds (soft and hard limit: it raises its soft
# limit to the hard one at start) as a tcp-listen,fork -> unix-connect
# relay, and 200 connections arrive at once, each sending a line and
# 64 KiB to an echo server behind it and holding on once served.  ferry
# serves what its fds allow, the rest wait in the backlog or are refused
# (closed before any byte), and it says so once, not per connection.
# Every connection served gets its bytes back, sha256 checked.  Once the
# held connections close, the waiting ones are served; afterwards a new
# batch all succeeds (20 connections, 1 MB both ways each) and ferry holds
# the fds it held before.
. "$TESTS_DIR/stress/lib.sh"

server echo "unix:$T/echo.sock"
(
	ulimit -Hn 64 -Sn 64 || exit 77
	exec "$FERRY" -d --ready-file "$T/relay.ready" \
	    tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/echo.sock" \
	    </dev/null >/dev/null 2>"$T/relay.log"
) &
F=$!
PIDS="$PIDS $F"
FERRY_LOGS="$FERRY_LOGS $T/relay.log"
ready relay
[ "$(awk '/^Max open files/ { print $4 }' "/proc/$F/limits")" -eq 64 ] ||
	fail "ferry's fd limit is not 64: $(grep 'open files' "/proc/$F/limits")"

# Warm up, then count.
batch() {
	timeout -k 5 120 "$PYTHON" "$STRESS" load "tcp:127.0.0.1:$PORT" --conns 20 \
	    --bytes "$1" --timeout 100 >/dev/null
}
batch 65536 || fail "the warm-up batch failed"
settled() {
	[ "$(nfds "$F")" -eq "$fds0" ]
}
fds0=$(nfds "$F")

bg burst "$PYTHON" "$STRESS" burst "tcp:127.0.0.1:$PORT" --conns 200 --bytes 65536 \
    --out "$T/burst.out" --status "$T/burst.st" --release "$T/release" --timeout 100
B=$BGPID
# ferry runs out of fds while holding what it serves.
WAIT=60 wait_for grep -q 'Too many open files' "$T/relay.log"
wait_for test -s "$T/burst.st"
echo "at the shortage: $(cat "$T/burst.st"), ferry holds $(nfds "$F") fds"
: >"$T/release"
WAIT=100 await "$B"
[ "$REAPED" -eq 0 ] || fail "the burst failed: $(cat "$T/burst.log")"
set -- $(cat "$T/burst.out")
echo "burst: $*"
[ $(($2 + $4)) -eq 200 ] || fail "burst: $* (not 200 in all)"
[ "$2" -ge 20 ] || fail "burst: only $2 connections served"
kill -0 "$F" || fail "ferry died"

# Said once: one line about the shortage, at warning level.
n=$(grep -c 'Too many open files' "$T/relay.log")
[ "$n" -eq 1 ] || fail "the shortage was logged $n times: $(grep 'Too many' "$T/relay.log" | head -5)"
expect_log relay 'out of fds'

# Recovered: everything closes, the fds come back, a new batch succeeds.
WAIT=15 wait_for settled
batch $((1024 * 1024)) || fail "a batch after the shortage failed"
WAIT=15 wait_for settled
echo "ferry holds $fds0 fds before and after"
stop "$F"
