#!/bin/sh
# 100 stalled readers: through one tcp-listen,fork -> unix-connect relay,
# 100 clients each ask the server for 100 MB and read nothing.  Once every
# one of the server's 100 senders is blocked (no progress for 0.5 s),
# ferry's VmRSS stays under 64 MiB (above its idle size under the
# sanitizers) at every sample, and meanwhile another connection through
# the same ferry echoes 16 MiB, sha256 checked.  Then the readers go away:
# ferry closes all 100 and holds the fds it held before.  Once with
# splice(2) where the build has it (the bytes wait in kernel pipes), once
# with --no-splice (in ferry's own buffers).
. "$TESTS_DIR/stress/lib.sh"

# Under make check VALGRIND=1 the memory measured would be valgrind's.
[ -z "${FERRY_VALGRIND_BIN:-}" ] || skip "VmRSS under valgrind is valgrind's"

N=100
LIMIT=65536	# KiB

server gen "unix:$T/gen.sock" --mode cmd --status "$T/gen.st"
# AddressSanitizer holds freed memory in quarantine (256 MiB by default):
# keep it small, so that RSS counts what the relay holds.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=1"
export ASAN_OPTIONS
for mode in splice no-splice; do
	flag=""
	[ "$mode" = no-splice ] && flag=--no-splice
	# shellcheck disable=SC2086 # an optional flag
	ferry_bg "$mode" $flag tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/gen.sock"
	F=$FPID
	ready "$mode"
	base=$(rss_base "$F")
	fds0=$(nfds "$F")

	bg "stall$mode" "$PYTHON" "$STRESS" stall "tcp:127.0.0.1:$PORT" --conns "$N" \
	    --prefix "gen 104857600" --ready "$T/stall$mode.ready"
	ST=$BGPID
	wait_for test -s "$T/stall$mode.ready"
	all_blocked() {
		[ "$(cat "$T/gen.st")" = "blocked $N" ]
	}
	WAIT=60 wait_for all_blocked

	max=0
	sample() {
		rss=$(kib "$F" VmRSS)
		[ "$rss" -gt "$max" ] && max=$rss
		[ $((rss - base)) -lt $LIMIT ] ||
			fail "ferry's VmRSS is $rss KiB (idle $base) with $N stalled readers"
	}
	sample
	# Another connection flows meanwhile, and the readers stay stalled.
	bg "flow$mode" "$PYTHON" "$STRESS" load "tcp:127.0.0.1:$PORT" --conns 1 \
	    --bytes $((16 * 1024 * 1024)) --prefix echo --timeout 100
	FL=$BGPID
	while kill -0 "$FL" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$FL/stat")" != Z ]; do
		sample
		sleep 0.1	# a sampling period, not a synchronisation
	done
	WAIT=100 await "$FL"
	[ "$REAPED" -eq 0 ] || fail "the flowing connection failed: $(cat "$T/flow$mode.log")"
	sample
	echo "$mode, $N stalled readers: ferry VmRSS at most $max KiB (idle $base)"

	stop "$ST"
	settled() {
		[ "$(nfds "$F")" -eq "$fds0" ]
	}
	WAIT=30 wait_for settled
	WAIT=30 wait_for grep -qx 'blocked 0' "$T/gen.st"
	stop "$F"
done
