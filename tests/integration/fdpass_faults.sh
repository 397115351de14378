#!/bin/sh
# Faults: fake peers that send garbage or malformed frames to a far peer
# (it logs one line, drops that hop, keeps serving), and the far peer
# killed with SIGKILL in the middle of a session (the near client sees EOF
# and exits non-zero within a second, the far server survives, and the
# next client gets a new hop).
. "$TESTS_DIR/integration/lib.sh"

SPRING="$PYTHON $HELPERS/fdpass_spring.py"
mkdir "$T/far" "$T/near"
bg server $SPRING server "$T/far/spring.sock" --ready "$T/server.ready"
SERVER=$BGPID
wait_for test -s "$T/server.ready"

ferry_bg far tcp-listen:0,fork,fdpass,reuseaddr "unix-connect:$T/far/spring.sock"
FAR=$FPID
ready far
FARPORT=$PORT

for mode in garbage badhello badframe bigframe; do
	out=$("$PYTHON" "$HELPERS/fdpass_fake.py" $mode 127.0.0.1 "$FARPORT") || true
	[ "$out" = dropped ] || fail "$mode: the far peer did not drop the hop"
done
expect_log far "not a ferry fdpass peer"
expect_log far "bad HELLO"
expect_log far "not in use"
expect_log far "malformed frame"
# A session over its channel limit fails alone; the hop stays up.
out=$("$PYTHON" "$HELPERS/fdpass_fake.py" limit 127.0.0.1 "$FARPORT") || true
[ "$out" = limit ] || fail "channel limit: $out"
expect_log far "more than 16 channels"
kill -0 "$FAR" || fail "the far peer died of a fake peer"

ferry_bg near "unix-listen:$T/near/s.sock,fork,fdpass" "tcp:127.0.0.1:$FARPORT"
NEAR=$FPID
ready near
S=$T/near/s.sock

# The far peer still serves real sessions.
out=$(echo hi | timeout 30 $SPRING client "$S" -- cat) || fail "client failed"
[ "$out" = hi ] || fail "got '$out'"

# SIGKILL the far peer in the middle of a session.
timeout 30 $SPRING client "$S" -- sleep 30 </dev/null >/dev/null 2>&1 &
CL=$!
PIDS="$PIDS $CL"
# The session is up once the server runs the command.
wait_for pgrep -f -P "$SERVER" '^sleep 30$'
kill -KILL "$FAR"
_forget "$FAR"
t0=$(date +%s%N)
WAIT=2 await "$CL"
t1=$(date +%s%N)
[ "$REAPED" -ne 0 ] || fail "the client exited 0 after losing the far peer"
[ $(( (t1 - t0) / 1000000 )) -lt 1500 ] || fail "the client took $(( (t1 - t0) / 1000000 )) ms to see the loss"
kill -0 "$SERVER" || fail "the spring server died with the far peer"
kill -0 "$NEAR" || fail "the near peer died with the hop"

# A new far peer on the same port: the next client gets a new hop.
ferry_bg far2 tcp-listen:$FARPORT,fork,fdpass,reuseaddr "unix-connect:$T/far/spring.sock"
FAR2=$FPID
ready far2
# (The near peer retries a hop at most once a second: a client may be
# turned away meanwhile.)
again() {
	out=$(echo again | timeout 10 $SPRING client "$S" -- cat 2>/dev/null) &&
	    [ "$out" = again ]
}
WAIT=20 wait_for again
stop "$NEAR"
stop "$FAR2"

# A hop that cannot be opened: the waiting client is closed, the error is
# logged once, and a near peer without fork exits 1.
ferry_bg lone "unix-listen:$T/near/lone.sock,fdpass" "tcp:127.0.0.1:1"
LONE=$FPID
ready lone
rc=0
timeout 10 $SPRING client "$T/near/lone.sock" -- true </dev/null 2>/dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "a client of an unreachable hop exited 0"
await "$LONE"
[ "$REAPED" -eq 1 ] || fail "near without a hop exited $REAPED"
expect_log lone "127.0.0.1:1"
