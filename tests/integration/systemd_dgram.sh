#!/bin/sh
# Socket activation of record sockets with systemd-socket-activate:
#  - UDP, ACCEPT-FD:3,fork: one session per sender, four senders at once,
#    each getting only its own records back from a UDP echo server
#    (without SOCK_SEQPACKET, no fork: one sender);
#  - a UNIX datagram socket by name, SYSTEMD:dg,fork, the same;
#  - a listening SOCK_SEQPACKET socket, ACCEPT-FD:3,fork, records of up to
#    64 KiB relayed whole to a seqpacket echo server.
. "$TESTS_DIR/integration/lib.sh"

SA=$(command -v systemd-socket-activate) || skip "no systemd-socket-activate"
"$FERRY" help kinds | grep -q '^  UDP-RECVFROM' || skip "no datagram kinds in this build"

activated() {
	_name=$1; shift
	bg "$_name" "$SA" "$@"
	A=$BGPID
	FERRY_LOGS="$FERRY_LOGS $T/$_name.log"
	wait_for grep -q '^Listening on' "$T/$_name.log"
}

# fork on a datagram socket needs SOCK_SEQPACKET socketpairs; without them
# (the portable build) one sender is served, without fork.
"$FERRY" "unix-connect:$T/none,type=seqpacket" - </dev/null 2>"$T/probe.log" || true
if ! grep -q "takes stream, not" "$T/probe.log"; then
	FORK=,fork
	senders() { timeout 60 $DG multi "$1" --clients 4 --count 50; }
else
	FORK=
	senders() { timeout 60 $DG check "$1" --count 50; }
fi
DG="$PYTHON $HELPERS/dgram.py"

bg uecho "$PYTHON" "$HELPERS/dgram.py" echo udp4:127.0.0.1:0 --ready "$T/uecho.ready"
wait_for test -s "$T/uecho.ready"
UECHO=$(cat "$T/uecho.ready")

# UDP: the port is picked by the kernel for a moment, then given to
# systemd-socket-activate (which takes no port 0).
port=$("$PYTHON" -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
activated udp --datagram -l "127.0.0.1:$port" "$FERRY" -d "accept-fd:3$FORK" "udp4:$UECHO"
U=$A
senders "udp4:127.0.0.1:$port" || fail "UDP senders through an activated socket"
stop "$U"
# One session per sender, each with its 50 records both ways.
want=1; [ -z "$FORK" ] || want=4
[ "$(grep -Ec '^ferry: 127\.0\.0\.1:[0-9]+ <-> udp4:.*: (stopped|closed[a-z -]*), 50 records .* >, 50 records' "$T/udp.log")" -eq "$want" ] ||
    fail "not $want sessions: $(cat "$T/udp.log")"

# A UNIX datagram socket, by name.
activated unixdg --datagram -l "$T/dg.sock" --fdname=dg "$FERRY" "systemd:dg$FORK" "udp4:$UECHO"
D=$A
senders "unixdg:$T/dg.sock" || fail "UNIX datagram senders through an activated socket"
stop "$D"
[ -S "$T/dg.sock" ] || fail "ferry removed the socket file systemd made"

# SOCK_SEQPACKET, accepted on like a stream, relayed record for record.
if "$PYTHON" -c 'import socket; socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)' 2>/dev/null &&
    [ -n "$FORK" ]; then
	bg secho "$PYTHON" "$HELPERS/dgram.py" echo "seqpacket:$T/secho.sock" --ready "$T/secho.ready"
	wait_for test -s "$T/secho.ready"
	activated seq --seqpacket -l "$T/sp.sock" "$FERRY" accept-fd:3,fork \
	    "unix-connect:$T/secho.sock,type=seqpacket"
	P=$A
	"$PYTHON" "$HELPERS/dgram.py" check "seqpacket:$T/sp.sock" --count 200 --max 65536 ||
	    fail "seqpacket records through an activated socket"
	stop "$P"
fi
