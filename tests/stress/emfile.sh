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
#
# Three times: relaying to a UNIX echo server (out of fds at accept and
# connect), to exec:cat (out of fds at accept, at the socketpair and at
# the pipe that reports exec errors), and to a TLS server.
. "$TESTS_DIR/stress/lib.sh"

server echo "unix:$T/echo.sock"

batch() {
	timeout -k 5 120 "$PYTHON" "$STRESS" load "tcp:127.0.0.1:$PORT" --conns 20 \
	    --bytes "$1" --timeout 100 >/dev/null
}
settled() {
	[ "$(nfds "$F")" -eq "$fds0" ]
}

# emfile NAME TARGET: the whole story against one relay target.
emfile() {
	_n=$1
	(
		ulimit -Hn 64 -Sn 64 || exit 77
		exec "$FERRY" -d --ready-file "$T/$_n.ready" \
		    tcp-listen:0,fork,bind=127.0.0.1 "$2" \
		    </dev/null >/dev/null 2>"$T/$_n.log"
	) &
	F=$!
	PIDS="$PIDS $F"
	FERRY_LOGS="$FERRY_LOGS $T/$_n.log"
	ready "$_n"
	[ "$(awk '/^Max open files/ { print $4 }' "/proc/$F/limits")" -eq 64 ] ||
		fail "$_n: ferry's fd limit is not 64: $(grep 'open files' "/proc/$F/limits")"

	# Warm up, then count.
	batch 65536 || fail "$_n: the warm-up batch failed"
	fds0=$(nfds "$F")

	bg "$_n.burst" "$PYTHON" "$STRESS" burst "tcp:127.0.0.1:$PORT" \
	    --conns 200 --bytes 65536 --out "$T/$_n.burst.out" \
	    --status "$T/$_n.burst.st" --release "$T/$_n.release" --timeout 100
	B=$BGPID
	# ferry runs out of fds while holding what it serves.
	WAIT=60 wait_for grep -q 'Too many open files' "$T/$_n.log"
	wait_for test -s "$T/$_n.burst.st"
	echo "$_n: at the shortage: $(cat "$T/$_n.burst.st"), ferry holds $(nfds "$F") fds"
	: >"$T/$_n.release"
	WAIT=100 await "$B"
	[ "$REAPED" -eq 0 ] || fail "$_n: the burst failed: $(cat "$T/$_n.burst.log")"
	set -- $(cat "$T/$_n.burst.out")
	echo "$_n: burst: $*"
	[ $(($2 + $4)) -eq 200 ] || fail "$_n: burst: $* (not 200 in all)"
	[ "$2" -ge 20 ] || fail "$_n: burst: only $2 connections served"
	kill -0 "$F" || fail "$_n: ferry died"

	# Said once: one line about the shortage, at warning level.
	_c=$(grep -c 'Too many open files' "$T/$_n.log")
	[ "$_c" -eq 1 ] || fail "$_n: the shortage was logged $_c times: $(grep 'Too many' "$T/$_n.log" | head -5)"
	expect_log "$_n" 'out of fds'

	# Recovered: everything closes, the fds come back, a new batch
	# succeeds.
	WAIT=15 wait_for settled
	batch $((1024 * 1024)) || fail "$_n: a batch after the shortage failed"
	WAIT=15 wait_for settled
	echo "$_n: ferry holds $fds0 fds before and after"
	stop "$F"
}

emfile unix "unix-connect:$T/echo.sock"
emfile exec exec:cat

# And to a TLS echo server (with no fd limit of its own).
. "$HELPERS/tls.sh"
tls_ca ca
tls_server srv ca
ferry_bg tlsecho "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key" \
    "unix-connect:$T/echo.sock"
ready tlsecho
emfile tls "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
