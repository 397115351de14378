#!/bin/sh
# SIGTERM during transfers loses no byte the relay acknowledged.  Through a
# tcp-listen,fork -> unix-connect relay, 10 clients each send as much as
# ferry takes to a server that reads nothing yet, until no more is
# acknowledged for 0.5 s: each one's bytes acknowledged by ferry's kernel
# (sent minus SIOCOUTQ) fill the server's socket, ferry's buffers or pipes,
# and ferry's own socket receive queue (checked non-empty).  Then ferry
# gets SIGTERM, and only after that does the server start reading: at
# least every acknowledged byte must reach it, intact (per connection,
# count and content), and ferry must exit with 143 (128+SIGTERM) within
# its 2 s drain bound (10 s allowed).  Before that, a server that closes
# mid-stream makes ferry write to a closed socket: SIGPIPE is harmless,
# ferry goes on.  Once with splice(2) where the build has it, once with
# --no-splice.
. "$TESTS_DIR/stress/lib.sh"

[ "$(uname -s)" = Linux ] || skip "SIOCOUTQ is Linux's"
N=10
BYTES=$((8 * 1024 * 1024))	# more than the relay holds

for mode in splice no-splice; do
	flag=""
	[ "$mode" = no-splice ] && flag=--no-splice
	mkdir "$T/rx$mode" "$T/ack$mode"
	server "rx$mode" "unix:$T/rx$mode.sock" --mode cmd --status "$T/rx$mode/st"
	RX=$SPID
	# shellcheck disable=SC2086 # an optional flag
	ferry_bg "$mode" -d $flag tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/rx$mode.sock"
	F=$FPID
	ready "$mode"

	# SIGPIPE: the server reads 64 KiB and closes, the client goes on.
	timeout -k 5 60 "$PYTHON" "$STRESS" send "tcp:127.0.0.1:$PORT" --prefix "close 65536" \
	    --bytes $((64 * 1024 * 1024)) --status "$T/pipe$mode.st" ||
	    fail "$mode: the sender to a closing server failed"
	grep -q '^closed' "$T/pipe$mode.st" ||
	    fail "$mode: the sender was not cut off: $(cat "$T/pipe$mode.st")"
	kill -0 "$F" || fail "$mode: ferry died writing to a closed socket"
	wait_for grep -Eq 'Broken pipe|reset by peer' "$T/$mode.log"

	bg "acked$mode" "$PYTHON" "$STRESS" acked "tcp:127.0.0.1:$PORT" --conns $N \
	    --bytes $BYTES --status-dir "$T/ack$mode" --timeout 60
	A=$BGPID
	WAIT=60 wait_for test -s "$T/ack$mode/acked"
	! ls "$T/rx$mode" | grep -q . || fail "$mode: the server read before the signal"
	# What the kernel holds for ferry, unread (rx_queue, /proc/net/tcp).
	rxq=$(for h in $(awk -v p="$(printf '%04X' "$PORT")" \
	    '$2 ~ ":"p"$" { split($5, q, ":"); print q[2] }' /proc/net/tcp); do
		echo $((0x$h))
	done | awk '{ n += $1 } END { print n + 0 }')
	[ "$rxq" -gt 0 ] || fail "$mode: ferry's sockets hold nothing unread: no test"
	kill -TERM "$F"
	: >"$T/rx$mode/st.go"
	WAIT=10 await "$F"
	[ "$REAPED" -eq 143 ] || fail "$mode: ferry exited $REAPED after SIGTERM"
	i=0
	total=0
	for acked in $(cat "$T/ack$mode/acked"); do
		WAIT=30 wait_for test -s "$T/rx$mode/st.$i"
		set -- $(cat "$T/rx$mode/st.$i")
		[ "$2" = ok ] || fail "$mode: connection $i: the bytes delivered differ"
		[ "$1" -ge "$acked" ] ||
			fail "$mode: connection $i: $acked bytes acknowledged, $1 delivered"
		total=$((total + acked))
		i=$((i + 1))
	done
	[ $i -eq $N ] || fail "$mode: $i connections, not $N"
	stop "$A"
	echo "$mode: $total bytes acknowledged before SIGTERM ($rxq of them unread by ferry), all delivered"
	stop "$RX"
done
