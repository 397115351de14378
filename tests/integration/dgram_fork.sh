#!/bin/sh
# fork on UDP-RECVFROM, UDP-LISTEN and UNIX-RECVFROM: one session per
# sender inside the one process, each with its own connection to the other
# address; several senders at once each get their own replies; sessions
# end after -T without traffic; max-children applies; the seed's
# "unix-recvfrom:SOCK,fork STDOUT" with "unix-sendto:SOCK" senders.
. "$TESTS_DIR/integration/lib.sh"

"$PYTHON" -c 'import socket; socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)' 2>/dev/null || skip "no SOCK_SEQPACKET here"
DG="$PYTHON $HELPERS/dgram.py"
bg echo4 $DG echo udp4:127.0.0.1:0 --ready "$T/echo4.ready"
bg echou $DG echo "unixdg:$T/echo.sock" --ready "$T/echou.ready"
wait_for test -s "$T/echo4.ready"
wait_for test -s "$T/echou.ready"
P4=$(sed 's/.*://' "$T/echo4.ready")

# A ferry built without the Linux extras has no seqpacket pairs: no fork.
"$FERRY" "unix-connect:$T/none,type=seqpacket" - </dev/null 2>"$T/probe.log" || true
if grep -q "takes stream, not" "$T/probe.log"; then
	ferry_run nofork udp4-recvfrom:0,fork - </dev/null
	[ "$RC" -eq 1 ] || fail "fork without SOCK_SEQPACKET: exit $RC"
	expect_log nofork "fork on a datagram address needs SOCK_SEQPACKET"
	skip "ferry built without SOCK_SEQPACKET"
fi

# UDP-RECVFROM,fork: 8 senders at once, each its own session.
ferry_bg rf -dd -T 1 udp4-recvfrom:0,fork "udp4:127.0.0.1:$P4"
RF=$FPID
ready rf
timeout 120 $DG multi "udp4:127.0.0.1:$PORT" --clients 8 --count 100 >"$T/multi.out" 2>&1 ||
	fail "UDP-RECVFROM,fork: $(cat "$T/multi.out")"
[ "$(grep -c 'new session with' "$T/rf.log")" -eq 8 ] || fail "not 8 sessions: $(grep -c 'new session with' "$T/rf.log")"
# 1,000 datagrams up to the maximum through one session.
timeout 120 $DG check "udp4:127.0.0.1:$PORT" --count 1000 --max 65507 >"$T/check.out" 2>&1 ||
	fail "UDP-RECVFROM,fork records: $(cat "$T/check.out")"
# -T 1: every session ends once quiet.
ended() { [ "$(grep -c 'idle for -T' "$T/rf.log")" -ge 9 ]; }
WAIT=30 wait_for ended
kill -0 "$RF" || fail "the server ended with its sessions"
one=$(nfds "$RF")
timeout 30 $DG multi "udp4:127.0.0.1:$PORT" --clients 3 --count 5 >"$T/multi2.out" 2>&1 ||
	fail "after idle: $(cat "$T/multi2.out")"
ended2() { [ "$(grep -c 'idle for -T' "$T/rf.log")" -ge 12 ]; }
WAIT=30 wait_for ended2
same_fds() { [ "$(nfds "$RF")" -eq "$one" ]; }
wait_for same_fds
stop "$RF"

# UDP-LISTEN,fork and max-children=2: a third sender is refused, logged.
ferry_bg lf -d udp4-listen:0,fork,max-children=2 "udp4:127.0.0.1:$P4"
LF=$FPID
ready lf
timeout 30 $DG multi "udp4:127.0.0.1:$PORT" --clients 2 --count 5 >"$T/lf.out" 2>&1 ||
	fail "UDP-LISTEN,fork: $(cat "$T/lf.out")"
"$PYTHON" - "$PORT" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"third", ("127.0.0.1", int(sys.argv[1])))
PY
wait_for grep -q "max-children" "$T/lf.log"
stop "$LF"

# UNIX-RECVFROM,fork: 8 senders at once, each bound to its own name.
ferry_bg uf -d "unix-recvfrom:$T/uf.sock,fork" "unix-sendto:$T/echo.sock"
UF=$FPID
ready uf
timeout 120 $DG multi "unixdg:$T/uf.sock" --clients 8 --count 100 >"$T/umulti.out" 2>&1 ||
	fail "UNIX-RECVFROM,fork: $(cat "$T/umulti.out")"
stop "$UF"
[ ! -e "$T/uf.sock" ] || fail "socket file left behind after SIGTERM"

# The seed: a forking receiver printing what each sender sends.
FERRY_STDOUT=$T/seed.out ferry_bg seed "unix-recvfrom:$T/seed.sock,fork" STDOUT
SEED=$FPID
ready seed
for w in x y z; do
	printf '%s\n' "$w" >"$T/w"
	ferry_pipe "send$w" "$T/w" "$T/sout" - "unix-sendto:$T/seed.sock"
	[ "$RC" -eq 0 ] || fail "unix-sendto $w: exit $RC"
done
three() { [ "$(sort "$T/seed.out" | tr -d '\n')" = xyz ]; }
wait_for three
stop "$SEED"
[ ! -e "$T/seed.sock" ] || fail "seed socket file left behind"
