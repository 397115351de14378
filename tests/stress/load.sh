#!/bin/sh
# Load: 1,000 connections at once through a tcp-listen,fork -> unix-connect
# relay to an echo server, each sending 1 MiB and reading it back: every
# byte checked by sha256 both ways.  Once with splice(2) where the build
# has it, once with --no-splice (read/write).  Afterwards ferry holds the
# fds it held before.  (About 10 s, 16 s under AddressSanitizer, on 2
# cores.)
. "$TESTS_DIR/stress/lib.sh"

CONNS=1000
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge $((3 * CONNS + 100)) ] ||
	skip "the fd hard limit ($(ulimit -Hn)) is too low for $CONNS connections"

server echo "unix:$T/echo.sock"
for mode in splice no-splice; do
	flag=""
	[ "$mode" = no-splice ] && flag=--no-splice
	# shellcheck disable=SC2086 # an optional flag
	ferry_bg "$mode" $flag tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/echo.sock"
	F=$FPID
	ready "$mode"
	fds0=$(nfds "$F")
	out=$(timeout -k 5 240 "$PYTHON" "$STRESS" load "tcp:127.0.0.1:$PORT" \
	    --conns "$CONNS" --bytes 1048576 --timeout 220) ||
	    fail "$mode: the load failed"
	[ "$out" = "ok $CONNS" ] || fail "$mode: $out"
	settled() {
		[ "$(nfds "$F")" -eq "$fds0" ]
	}
	WAIT=15 wait_for settled
	echo "$mode: $CONNS connections, 1 MiB each way each, all intact"
	stop "$F"
done
