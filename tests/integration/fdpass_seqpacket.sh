#!/bin/sh
# Sidecar-style SOCK_SEQPACKET: the client passes a seqpacket socket, then
# sends one record with [argv, env, cwd] and its three std fds attached,
# then records of up to 64 KiB that must arrive whole (never merged or
# split), then reads the exit status record.
#
# Twice: with the seqpacket socket passed over a stream connection, and as
# the real sidecar does it, the near listener and the far server themselves
# SOCK_SEQPACKET (type=seqpacket), the first record carrying the fds.
. "$TESTS_DIR/integration/lib.sh"

"$PYTHON" -c 'import socket; socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)' 2>/dev/null || skip "no SOCK_SEQPACKET here"
# A ferry built without the Linux extras (the macOS paths) has none either.
"$FERRY" "unix-connect:$T/none,type=seqpacket" - </dev/null 2>"$T/probe.log" || true
! grep -q "takes stream, not" "$T/probe.log" || skip "ferry built without SOCK_SEQPACKET"
SC="$PYTHON $HELPERS/fdpass_sidecar.py"
mkdir "$T/far" "$T/near"
bg server $SC server "$T/far/sidecar.sock" --ready "$T/server.ready"
SERVER=$BGPID
wait_for test -s "$T/server.ready"

ferry_bg far -dd tcp-listen:0,fork,fdpass "unix-connect:$T/far/sidecar.sock"
FAR=$FPID
ready far
ferry_bg near -dd "unix-listen:$T/near/s.sock,fork,fdpass" "tcp:127.0.0.1:$PORT"
NEAR=$FPID
ready near

rc=0
echo in | timeout 30 $SC client "$T/near/s.sock" -- sh -c 'cat; echo "$SIDECAR $(pwd)"; echo e >&2; exit 3' \
    >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" -eq 3 ] || fail "sidecar client exited $rc: $(cat "$T/err")"
[ "$(cat "$T/out")" = "in
1 /" ] || fail "stdout: '$(cat "$T/out")'"
[ "$(cat "$T/err")" = e ] || fail "stderr: '$(cat "$T/err")'"
expect_log near "channel [0-9]+ open: seqpacket rw"
kill -0 "$SERVER" || fail "the server died"
stop "$NEAR"
stop "$FAR"

# The real sidecar: a seqpacket listener, a seqpacket server.
bg sqserver $SC server "$T/far/seq.sock" --ready "$T/sq.ready" --seqpacket
wait_for test -s "$T/sq.ready"
ferry_bg sqfar -dd tcp-listen:0,fork,fdpass "unix-connect:$T/far/seq.sock,type=seqpacket"
ready sqfar
SQPORT=$PORT
ferry_bg sqnear -dd "unix-listen:$T/near/seq.sock,fork,fdpass,type=seqpacket" "tcp:127.0.0.1:$SQPORT"
SQNEAR=$FPID
ready sqnear
rc=0
echo in2 | timeout 30 $SC client "$T/near/seq.sock" --seqpacket -- sh -c 'cat; exit 5' \
    >"$T/out2" 2>"$T/err2" || rc=$?
[ "$rc" -eq 5 ] || fail "seqpacket sidecar client exited $rc: $(cat "$T/err2")"
[ "$(cat "$T/out2")" = in2 ] || fail "seqpacket stdout: '$(cat "$T/out2")'"
expect_log sqnear "session"

# A stream client on a seqpacket far target is refused by name, not hung.
ferry_bg mism -dd "unix-listen:$T/near/mism.sock,fork,fdpass" "tcp:127.0.0.1:$SQPORT"
ready mism
rc=0
echo x | timeout 10 $SC client "$T/near/mism.sock" -- true >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a stream session on a seqpacket target succeeded"
wait_for grep -q "is a seqpacket socket" "$T/sqfar.log"
