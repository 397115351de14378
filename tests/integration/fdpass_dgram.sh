#!/bin/sh
# Datagram channels: a client passes one end of a SOCK_DGRAM socketpair and
# exchanges 1,000 records of random sizes (empty ones too) with the far
# server, which echoes each; every echo is checked one by one, so a record
# merged, split, lost or reordered fails.  The session then ends by
# itself (a datagram socket has no end of file: its channel ends with the
# session's connection) and the near peer holds no fd more than before.
. "$TESTS_DIR/integration/lib.sh"

DG="$PYTHON $HELPERS/fdpass_dgram.py"
mkdir "$T/far" "$T/near"
bg server $DG server "$T/far/dg.sock" --ready "$T/server.ready"
SERVER=$BGPID
wait_for test -s "$T/server.ready"

ferry_bg far -dd tcp-listen:0,fork,fdpass "unix-connect:$T/far/dg.sock"
FAR=$FPID
ready far
ferry_bg near -dd "unix-listen:$T/near/s.sock,fork,fdpass" "tcp:127.0.0.1:$PORT"
NEAR=$FPID
ready near

# One session first, so that the hop is up when the fds are counted.
out=$(timeout 60 $DG client "$T/near/s.sock" 10 1) || fail "warm-up: $out"
wait_for grep -q "2 channels, done" "$T/near.log"
before=$(nfds "$NEAR")

rc=0
out=$(timeout 120 $DG client "$T/near/s.sock" 1000 42) || rc=$?
[ "$rc" -eq 0 ] || fail "client exited $rc: $out"
case $out in "1000 records, "*) ;; *) fail "client: $out" ;; esac
expect_log near "channel [0-9]+ open: datagram rw \(original here\)"
expect_log far "channel [0-9]+ open: datagram rw \(stand-in here\)"

# Both sessions end, on both peers, and leave no fd behind.
near_done() { [ "$(grep -c "2 channels, done" "$T/near.log")" -eq 2 ]; }
far_done() { [ "$(grep -c "2 channels, done" "$T/far.log")" -eq 2 ]; }
wait_for near_done
wait_for far_done
fds_back() { [ "$(nfds "$NEAR")" -eq "$before" ]; }
wait_for fds_back

# An unconnected datagram socket is refused by name.
rc=0
"$PYTHON" - "$T/near/s.sock" <<'PY' || rc=$?
import socket, sys
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.settimeout(30)
c.connect(sys.argv[1])
u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
socket.send_fds(c, [b"d"], [u.fileno()])
sys.exit(0 if c.recv(1) == b"" else 1)
PY
[ "$rc" -eq 0 ] || fail "the session with an unconnected datagram socket stayed up"
wait_for grep -q "an unconnected datagram socket" "$T/near.log"

kill -0 "$SERVER" || fail "the server died"
stop "$NEAR"
stop "$FAR"
stop "$SERVER"
exit 0
