#!/bin/sh
# type=seqpacket without fdpass: the plain relay keeps records whole.
# 1,000 records of random sizes up to 64 KiB through a forking seqpacket
# listener to a seqpacket echo server, checked one by one; a record larger
# than 64 KiB ends the connection with one line naming its size, and is
# never split.
. "$TESTS_DIR/integration/lib.sh"

"$PYTHON" -c 'import socket; socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)' 2>/dev/null || skip "no SOCK_SEQPACKET here"
"$FERRY" "unix-connect:$T/none,type=seqpacket" - </dev/null 2>"$T/probe.log" || true
! grep -q "takes stream, not" "$T/probe.log" || skip "ferry built without SOCK_SEQPACKET"
DG="$PYTHON $HELPERS/dgram.py"

bg echo $DG echo "seqpacket:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
ferry_bg relay -d "unix-listen:$T/relay.sock,fork,type=seqpacket" "unix-connect:$T/echo.sock,type=seqpacket"
RELAY=$FPID
ready relay

timeout 120 $DG check "seqpacket:$T/relay.sock" --count 1000 --min 1 --max 65536 >"$T/check.out" 2>&1 ||
	fail "records: $(cat "$T/check.out")"

# Larger than 64 KiB: refused, the connection ends, the listener lives on.
timeout 30 $DG oversize "seqpacket:$T/relay.sock" --size 70000 >"$T/over.out" 2>&1 ||
	fail "oversize: $(cat "$T/over.out")"
wait_for grep -q "record of .*bytes is larger than the 65536 ferry relays whole" "$T/relay.log"
timeout 60 $DG check "seqpacket:$T/relay.sock" --count 10 --min 1 --max 65536 >"$T/check2.out" 2>&1 ||
	fail "after the oversize record: $(cat "$T/check2.out")"

# Backpressure: the server reads nothing at first; the client's sends
# block (ferry holds one record and stops reading), then every record
# arrives, whole and in order.
bg slow $DG slowsink "seqpacket:$T/slow.sock" --ready "$T/slow.ready" --go "$T/go" --count 2000 --size 4096 --status "$T/slow.status"
wait_for test -s "$T/slow.ready"
ferry_bg bp -d "unix-listen:$T/bp.sock,type=seqpacket" "unix-connect:$T/slow.sock,type=seqpacket"
BP=$FPID
ready bp
bg flood $DG flood "seqpacket:$T/bp.sock" --count 2000 --size 4096 --status "$T/flood.status"
FLOOD=$BGPID
WAIT=60 wait_for grep -q blocked "$T/flood.status"
: >"$T/go"
WAIT=60 wait_for test -s "$T/slow.status"
[ "$(cat "$T/slow.status")" = "ok 2000" ] || fail "backpressure: $(cat "$T/slow.status")"
WAIT=60 await "$FLOOD"
WAIT=60 await "$BP"
[ "$REAPED" -eq 0 ] || fail "backpressure relay exited $REAPED"

# A stream client of a seqpacket relay: the relay is refused by name.
ferry_run stream - "unix-connect:$T/relay.sock" </dev/null
[ "$RC" -eq 1 ] || fail "stream client of a seqpacket listener: exit $RC"
expect_log stream "not a stream socket"

stop "$RELAY"
[ ! -e "$T/relay.sock" ] || fail "socket file left behind"

# UDP in front of the seqpacket server: each datagram one record, an empty
# datagram dropped (it would read as the end there), 65507 bytes whole.
ferry_bg udp -d udp4-listen:0 "unix-connect:$T/echo.sock,type=seqpacket"
UDP=$FPID
ready udp
timeout 30 "$PYTHON" - "$PORT" <<'PY' || fail "UDP to seqpacket"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.send(b"")
s.send(b"abc")
assert s.recv(100) == b"abc"
m = bytes(range(256)) * 255 + b"x" * 227
s.send(m)
assert s.recv(70000) == m, "the 65507-byte datagram"
PY
stop "$UDP"
