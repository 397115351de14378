#!/bin/sh
# Seed socket-activate-echo's datagram one-liners, as typed there (with
# -t 30, so the answer has time to come), against a UDP echo server:
#   echo hello | ferry -t 30 - udp4:127.0.0.1:PORT
#   echo hello | ferry -t 30 - udp6:[::1]:PORT
# Both run at once; each ends 30 s after its last datagram.
. "$TESTS_DIR/integration/lib.sh"

DG="$PYTHON $HELPERS/dgram.py"
bg echo4 $DG echo udp4:127.0.0.1:0 --ready "$T/echo4.ready"
wait_for test -s "$T/echo4.ready"
P4=$(sed 's/.*://' "$T/echo4.ready")
v6=0
if "$PYTHON" -c 'import socket; s=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' 2>/dev/null; then
	v6=1
	bg echo6 $DG echo "udp6:[::1]:0" --ready "$T/echo6.ready"
	wait_for test -s "$T/echo6.ready"
	P6=$(sed 's/.*://' "$T/echo6.ready")
fi

FERRY_LOGS="$FERRY_LOGS $T/s4.log $T/s6.log"
(echo hello | timeout 60 "$FERRY" -t 30 - "udp4:127.0.0.1:$P4" >"$T/out4" 2>"$T/s4.log"; echo $? >"$T/rc4") &
S4=$!
PIDS="$PIDS $S4"
if [ "$v6" -eq 1 ]; then
	(echo hello | timeout 60 "$FERRY" -t 30 - "udp6:[::1]:$P6" >"$T/out6" 2>"$T/s6.log"; echo $? >"$T/rc6") &
	S6=$!
	PIDS="$PIDS $S6"
fi
WAIT=60 await "$S4"
[ "$(cat "$T/rc4")" -eq 0 ] || fail "udp4 seed: exit $(cat "$T/rc4")"
[ "$(cat "$T/out4")" = hello ] || fail "udp4 seed printed '$(cat "$T/out4")'"
if [ "$v6" -eq 1 ]; then
	WAIT=60 await "$S6"
	[ "$(cat "$T/rc6")" -eq 0 ] || fail "udp6 seed: exit $(cat "$T/rc6")"
	[ "$(cat "$T/out6")" = hello ] || fail "udp6 seed printed '$(cat "$T/out6")'"
fi
