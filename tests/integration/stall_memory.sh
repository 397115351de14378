#!/bin/sh
# Backpressure: a child writes 1 GB as fast as it can to a client that
# never reads.  ferry must stop reading the child once its small buffers
# are full, so its memory stays bounded (here: VmRSS under 16 MiB at every
# sample while the flood lasts), and it must not stall other connections.
. "$TESTS_DIR/integration/lib.sh"
# Under make check VALGRIND=1 the memory measured would be valgrind's.
[ -z "${FERRY_VALGRIND_BIN:-}" ] || skip "VmRSS under valgrind is valgrind's"

ferry_bg relay "tcp-listen:0,fork,bind=127.0.0.1" \
    "exec:head -c 1073741824 /dev/zero"
F=$FPID
ready relay

# A client that connects and then reads nothing until it is killed.
bg stall "$PYTHON" -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
open(sys.argv[2], "w").close()
time.sleep(600)' "$PORT" "$T/stall.ready"
STALL=$BGPID
wait_for test -e "$T/stall.ready"

# Wait until the flood has filled every buffer between the child and the
# client: the child is then asleep in write(2) on the socketpair.
child_blocked() {
	for p in $(pgrep -P "$F" head); do
		[ "$(cut -d' ' -f3 "/proc/$p/stat")" = S ] &&
		    grep -q 'unix_stream\|sock_alloc_send\|wait' "/proc/$p/wchan" 2>/dev/null &&
		    return 0
		# Some kernels show 0 in wchan: then a sleeping writer will do.
		[ "$(cut -d' ' -f3 "/proc/$p/stat")" = S ] && return 0
	done
	return 1
}
wait_for child_blocked

max=0
i=0
while [ $i -lt 40 ]; do
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$F/status")
	[ "$rss" -gt "$max" ] && max=$rss
	i=$((i + 1))
	sleep 0.05
done
[ "$max" -lt 16384 ] || fail "ferry's VmRSS reached $max KiB with a stalled reader"

# Meanwhile another connection is served at once (the child says hi).
echo ok >"$T/want"
ferry_bg other2 "tcp-listen:0,bind=127.0.0.1" "system:echo ok"
ready other2
RUN_TIMEOUT=10 ferry_run c2 - "tcp:127.0.0.1:$PORT" </dev/null >"$T/got"
[ "$RC" -eq 0 ] || fail "a second relay exited $RC"
same "$T/want" "$T/got"

stop "$STALL"
stop "$F"
