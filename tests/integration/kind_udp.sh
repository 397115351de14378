#!/bin/sh
# UDP-CONNECT (UDP), UDP-SENDTO, UDP-LISTEN, UDP-RECV and their UDP4/UDP6
# forms against real Python peers: a line and its echo; 1,000 datagrams of
# random sizes up to 65507 bytes through UDP-LISTEN, checked one by one;
# bind=; bad input refused with one line naming the address.
. "$TESTS_DIR/integration/lib.sh"

DG="$PYTHON $HELPERS/dgram.py"
bg echo4 $DG echo udp4:127.0.0.1:0 --ready "$T/echo4.ready"
wait_for test -s "$T/echo4.ready"
P4=$(sed 's/.*://' "$T/echo4.ready")

printf 'hello\n' >"$T/hello"
for k in udp udp4 UDP-CONNECT udp4-connect udp-sendto UDP4-SENDTO; do
	ferry_pipe "c$k" "$T/hello" "$T/out" -t 2 - "$k:127.0.0.1:$P4"
	[ "$RC" -eq 0 ] || fail "$k: exit $RC"
	same "$T/hello" "$T/out"
done
# bind= on a sending address: the echo answers the chosen local port.
ferry_pipe cbind "$T/hello" "$T/out" -t 2 - "udp4:127.0.0.1:$P4,bind=127.0.0.1:0"
[ "$RC" -eq 0 ] || fail "bind=: exit $RC"
same "$T/hello" "$T/out"

# IPv6, where the host has it.
if "$PYTHON" -c 'import socket; s=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' 2>/dev/null; then
	bg echo6 $DG echo "udp6:[::1]:0" --ready "$T/echo6.ready"
	wait_for test -s "$T/echo6.ready"
	P6=$(sed 's/.*://' "$T/echo6.ready")
	for k in udp6 udp6-sendto udp; do
		ferry_pipe "c6$k" "$T/hello" "$T/out" -t 2 - "$k:[::1]:$P6"
		[ "$RC" -eq 0 ] || fail "$k over IPv6: exit $RC"
		same "$T/hello" "$T/out"
	done
fi

# UDP-LISTEN: the first sender is the peer; 1,000 datagrams, one by one.
ferry_bg listen -d udp4-listen:0 "udp4:127.0.0.1:$P4"
LISTEN=$FPID
ready listen
timeout 120 $DG check "udp4:127.0.0.1:$PORT" --count 1000 --max 65507 >"$T/check.out" 2>&1 ||
	fail "UDP-LISTEN records: $(cat "$T/check.out")"
stop "$LISTEN"

# UDP-RECV: datagrams from anyone, to stdout, no replies.
FERRY_STDOUT=$T/recv.out ferry_bg recv -u udp4-recv:0 STDOUT
RECV=$FPID
ready recv
"$PYTHON" - "$PORT" <<'PY'
import socket, sys
for i in range(3):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"from sender %d\n" % i, ("127.0.0.1", int(sys.argv[1])))
    s.close()
PY
three() { [ "$(wc -l <"$T/recv.out")" -eq 3 ]; }
wait_for three
grep -q "from sender 2" "$T/recv.out" || fail "UDP-RECV: $(cat "$T/recv.out")"
stop "$RECV"

# Bad input: one line naming the address, exit 1.
ferry_run badport - udp4:127.0.0.1:99999 </dev/null
[ "$RC" -eq 1 ] || fail "bad port: exit $RC"
expect_log badport "udp4:127.0.0.1:99999: bad port '99999'"
[ "$(wc -l <"$T/badport.log")" -eq 1 ] || fail "bad port: more than one line"
ferry_run busy "udp4-listen:$P4,bind=127.0.0.1" - </dev/null
[ "$RC" -eq 1 ] || fail "busy port: exit $RC"
expect_log busy "udp4-listen:$P4,bind=127.0.0.1: bind: Address already in use"
ferry_run nohost - udp4:no-such-host.invalid:53 </dev/null
[ "$RC" -eq 1 ] || fail "unknown host: exit $RC"
expect_log nohost "udp4:no-such-host.invalid:53: cannot resolve"
ferry_run fork1 udp-recv:0,fork - </dev/null
[ "$RC" -eq 1 ] || fail "fork on UDP-RECV: exit $RC"
expect_log fork1 "option 'fork' does not apply to UDP-RECV"
