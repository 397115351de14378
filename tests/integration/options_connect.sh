#!/bin/sh
# retry=, interval= and forever on connecting addresses: a client started
# before its UNIX server exists is held, retrying, and connects once the
# server appears (the wait-for-socket recipe of ferry(1)); the same over TCP to a port that starts listening later;
# retry= runs out with the plain error after exactly N retries; and a
# forking listener in front of a late backend holds its client too.
. "$TESTS_DIR/integration/lib.sh"

printf 'hello, late server\n' >"$T/hello"
retried() {
	[ "$(grep -c 'retrying in' "$T/$1.log")" -ge "$2" ]
}

# UNIX, retry=: the server appears after the client has retried twice.
for opts in "retry=100,interval=0.05" "forever,interval=0.05" "interval=0.05,forever=1"; do
	rm -f "$T/late.sock" "$T/late.ready"
	FERRY_STDIN=$T/hello ferry_bg client -d - "unix-connect:$T/late.sock,$opts"
	C=$FPID
	wait_for retried client 2
	kill -0 "$C" || fail "$opts: the client gave up"
	bg late "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/late.sock" --ready "$T/late.ready"
	S=$BGPID
	await "$C"
	[ "$REAPED" -eq 0 ] || fail "$opts: client exit $REAPED"
	same "$T/hello" "$T/client.out"
	expect_log client "No such file or directory, retrying in 0\\.05s"
	stop "$S"
done

# UNIX-CLIENT and a socket that exists but refuses until it listens.
rm -f "$T/late.ready"
bg deferred "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/def.sock" --ready "$T/late.ready" --defer
S=$BGPID
wait_for test -s "$T/late.ready"
FERRY_STDIN=$T/hello ferry_bg client2 -d - "unix:$T/def.sock,retry=200,interval=0.05"
C=$FPID
wait_for retried client2 2
expect_log client2 "Connection refused, retrying"
kill -USR1 "$S"
await "$C"
[ "$REAPED" -eq 0 ] || fail "unix: with retry: client exit $REAPED"
same "$T/hello" "$T/client2.out"
stop "$S"

# TCP: a port that is bound but listens only later.
rm -f "$T/late.ready"
bg deferred "$PYTHON" "$HELPERS/peer.py" echo "tcp:127.0.0.1:0" --ready "$T/late.ready" --defer
S=$BGPID
wait_for test -s "$T/late.ready"
port=$(sed 's/.*://' "$T/late.ready")
FERRY_STDIN=$T/hello ferry_bg client3 -d - "tcp:127.0.0.1:$port,forever,interval=0.05"
C=$FPID
wait_for retried client3 2
kill -USR1 "$S"
await "$C"
[ "$REAPED" -eq 0 ] || fail "tcp: with forever: client exit $REAPED"
same "$T/hello" "$T/client3.out"
stop "$S"

# retry=2 runs out: two retries, then the usual error, exit 1.
ferry_pipe giveup "$T/hello" "$T/out" -d - "unix-connect:$T/never.sock,retry=2,interval=0.05"
[ "$RC" -eq 1 ] || fail "retry=2 with no server: exit $RC"
[ "$(grep -c 'retrying in' "$T/giveup.log")" -eq 2 ] || fail "retry=2: $(cat "$T/giveup.log")"
expect_log giveup "connect: No such file or directory \\(no socket at $T/never.sock\\)\$"
# Without retry, one attempt; without -d, one line.
ferry_pipe once "$T/hello" "$T/out" - "unix-connect:$T/never.sock"
[ "$RC" -eq 1 ] || fail "no retry, no server: exit $RC"
[ "$(wc -l <"$T/once.log")" -eq 1 ] || fail "no retry: $(cat "$T/once.log")"
# interval= spaces the attempts: 3 retries at 0.3 s take at least 0.9 s.
start=$(date +%s%N)
ferry_pipe spaced "$T/hello" "$T/out" - "unix-connect:$T/never.sock,retry=3,interval=0.3"
took=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$RC" -eq 1 ] || fail "retry=3,interval=0.3: exit $RC"
[ "$took" -ge 850 ] || fail "retry=3,interval=0.3 gave up after $took ms"

# The wait-for recipe of ferry(1) for scripts: sends nothing, exits 0 once
# the server accepts.
rm -f "$T/late.sock" "$T/late.ready"
ferry_bg waitfor -d -u /dev/null "unix-connect:$T/late.sock,retry=200,interval=0.05"
C=$FPID
wait_for retried waitfor 2
bg late "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/late.sock" --ready "$T/late.ready"
S=$BGPID
await "$C"
[ "$REAPED" -eq 0 ] || fail "wait-for recipe: exit $REAPED"
[ ! -s "$T/waitfor.out" ] || fail "wait-for recipe printed: $(cat "$T/waitfor.out")"
stop "$S"

# A forking listener whose backend comes up late holds its client.
rm -f "$T/late.sock" "$T/late.ready"
ferry_bg relay -d tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/late.sock,forever,interval=0.05"
R=$FPID
ready relay
FERRY_STDIN=$T/hello ferry_bg client4 - "tcp:127.0.0.1:$PORT"
C=$FPID
wait_for retried relay 2
bg late "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/late.sock" --ready "$T/late.ready"
S=$BGPID
await "$C"
[ "$REAPED" -eq 0 ] || fail "client of a relay with a late backend: exit $REAPED"
same "$T/hello" "$T/client4.out"
stop "$R"
stop "$S"
