#!/bin/sh
# No fd leaks into EXEC and SYSTEM children: a forking listener starts a
# child per connection; 20 connections move 16 MiB each through their
# children (sockets, socketpairs and splice pipes in use), and meanwhile
# 50 more connections are opened and held.  Each child, read from
# /proc/CHILD/fd while the connections are live, holds exactly 0, 1 and 2
# (its end of a socketpair): none of ferry's listener, accepted sockets,
# other children's socketpairs, splice pipes or event-loop fds.
. "$TESTS_DIR/stress/lib.sh"

[ -d /proc/self/fd ] || skip "no /proc"
N=50

# check NAME LISTEN CHILD [STALL-ARGS]
check() {
	_n=$1; _l=$2; _c=$3; shift 3
	ferry_bg "$_n" -d "$_l" "$_c"
	_f=$FPID
	ready "$_n"
	bg "load$_n" "$PYTHON" "$STRESS" load "tcp:127.0.0.1:$PORT" --conns 20 \
	    --bytes $((16 * 1024 * 1024)) --timeout 200
	_l=$BGPID
	bg "stall$_n" "$PYTHON" "$STRESS" stall "tcp:127.0.0.1:$PORT" --conns $N \
	    --ready "$T/stall$_n.ready" "$@"
	_s=$BGPID
	wait_for test -s "$T/stall$_n.ready"
	all_born() {
		[ "$(nchildren "$_f")" -ge $N ] || return 1
		for _k in $(pgrep -P "$_f"); do
			# Each has exec'd its program (no longer a copy of ferry).
			[ "$(readlink "/proc/$_k/exe")" != "$(readlink "/proc/$_f/exe")" ] ||
			    return 1
		done
	}
	WAIT=30 wait_for all_born
	echo "$_n: ferry holds $(nfds "$_f") fds with $N children"
	_seen=0
	for _k in $(pgrep -P "$_f"); do
		# (a child of the bulk echo may end meanwhile)
		_fds=$(ls "/proc/$_k/fd" 2>/dev/null | sort -n | tr '\n' ' ') || continue
		[ -n "$_fds" ] || continue
		_seen=$((_seen + 1))
		[ "$_fds" = "0 1 2 " ] || fail "$_n: child $_k ($(tr '\0' ' ' \
		    <"/proc/$_k/cmdline")) holds fds $_fds: $(ls -l "/proc/$_k/fd")"
	done
	[ $_seen -ge $N ] || fail "$_n: only $_seen children seen"
	echo "$_n: $_seen children, each holding fds 0 1 2 only"
	WAIT=200 await "$_l"
	[ "$REAPED" -eq 0 ] || fail "$_n: the bulk echo failed: $(cat "$T/load$_n.log")"
	stop "$_s"
	stop "$_f"
}

check exec tcp-listen:0,fork,bind=127.0.0.1 exec:cat
check system tcp-listen:0,fork,bind=127.0.0.1 "system:cat"
