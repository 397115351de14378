#!/bin/sh
# Bounded memory: a UNIX server sends 1 GB through ferry (tcp-listen ->
# unix-connect) to a client that connects and reads nothing.  Once the
# server is blocked, ferry's VmRSS must be small (< 16 MiB; with the
# sanitizers, < 16 MiB above its idle size) and must stay so while the
# source stays blocked.  Then the client reads: all 1 GB arrives, sha256
# checked, and ferry's peak (VmHWM) stayed under the bound.
. "$TESTS_DIR/integration/lib.sh"
# Under make check VALGRIND=1 the memory measured would be valgrind's.
[ -z "${FERRY_VALGRIND_BIN:-}" ] || skip "VmRSS under valgrind is valgrind's"

SIZE=$((1024 * 1024 * 1024))
LIMIT=16384	# KiB

changed() {
	[ "$(cat "$T/gen.status")" != "$last" ]
}

kib() {
	awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"
}

bg gen "$PYTHON" "$HELPERS/peer.py" gen "unix:$T/gen.sock" --ready "$T/gen.ready" \
    --bytes "$SIZE" --status "$T/gen.status"
GEN=$BGPID
wait_for test -s "$T/gen.ready"
ferry_bg relay -d tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/gen.sock"
RELAY=$FPID
ready relay

base=0
if grep -q 'libasan\|libclang_rt.asan' "/proc/$RELAY/maps" 2>/dev/null; then
	# The sanitizers' own memory is not the relay's: count from idle.
	base=$(kib "$RELAY" VmRSS)
fi

bg stall "$PYTHON" "$HELPERS/client.py" stall "tcp:127.0.0.1:$PORT" --ready "$T/stall.ready" \
    --out "$T/stall.out" --timeout 120
STALL=$BGPID
wait_for test -s "$T/stall.ready"
# The source is blocked: a send made no progress for 0.5 s.
WAIT=30 wait_for grep -q '^blocked' "$T/gen.status"
sent1=$(awk '{ print $2 }' "$T/gen.status")
[ "$sent1" -lt "$SIZE" ] || fail "the source sent everything to a reader that reads nothing"

# Sample while the source stays blocked (each check is one more blocked
# send, 0.5 s apart), not by the clock.
n=0
last=$(cat "$T/gen.status")
while [ $n -lt 6 ]; do
	rss=$(kib "$RELAY" VmRSS)
	[ $((rss - base)) -lt $LIMIT ] ||
		fail "ferry's VmRSS is $rss KiB (idle $base) with a stalled reader"
	echo "source blocked at $(awk '{ print $2 }' "$T/gen.status") bytes; ferry VmRSS $rss KiB"
	WAIT=10 wait_for changed
	last=$(cat "$T/gen.status")
	case $last in blocked*) ;; *) fail "the source went on: $last" ;; esac
	n=$((n + 1))
done
sent2=$(awk '{ print $2 }' "$T/gen.status")
# ferry read nothing more while its reader stalled (a little slack for
# socket buffers the kernel may still grow).
[ $((sent2 - sent1)) -lt $((4 * 1024 * 1024)) ] ||
	fail "the source went from $sent1 to $sent2 bytes while the reader stalled"

# Now read: every byte arrives.
kill -USR1 "$STALL"
WAIT=120 await "$STALL"
[ "$REAPED" -eq 0 ] || fail "the client failed ($REAPED)"
WAIT=30 await "$GEN"
set -- $(cat "$T/gen.status")
{ [ "$1" = "done" ] && [ "$2" -eq "$SIZE" ]; } || fail "source status: $(cat "$T/gen.status")"
[ "$(cat "$T/stall.out")" = "$SIZE $3" ] ||
	fail "the reader got '$(cat "$T/stall.out")', the source sent '$2 $3'"
wait_for grep -q "closed, 0 bytes >, $SIZE bytes <" "$T/relay.log"
if [ "$base" -eq 0 ]; then
	hwm=$(kib "$RELAY" VmHWM)
	echo "ferry VmHWM after 1 GB: $hwm KiB"
	[ "$hwm" -lt $LIMIT ] || fail "ferry's peak VmHWM was $hwm KiB for a 1 GB relay"
fi
stop "$RELAY"
