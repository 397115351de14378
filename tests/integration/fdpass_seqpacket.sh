#!/bin/sh
# Sidecar-style SOCK_SEQPACKET: the client passes a seqpacket socket, then
# sends one record with [argv, env, cwd] and its three std fds attached,
# then records of up to 64 KiB that must arrive whole (never merged or
# split), then reads the exit status record.
#
# The near listener itself is a stream socket: UNIX-LISTEN makes only
# SOCK_STREAM sockets (a seqpacket listener needs an option in the core);
# the seqpacket socket is a passed channel, which is what carries records.
. "$TESTS_DIR/integration/lib.sh"

"$PYTHON" -c 'import socket; socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)' 2>/dev/null || skip "no SOCK_SEQPACKET here"
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
