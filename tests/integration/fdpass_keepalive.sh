#!/bin/sh
# keepalive-interval: a hop whose far peer stops answering (SIGSTOP, so the
# TCP connection stays up and only the pings can tell) is lost within a
# few intervals; the near client sees its session end and exits non-zero,
# the near peer keeps serving with a new hop, and the far server survives.
# A bad interval is refused at start with one line, and a far peer slow to
# start is not taken for a dead one.
. "$TESTS_DIR/integration/lib.sh"

SPRING="$PYTHON $HELPERS/fdpass_spring.py"
mkdir "$T/far" "$T/near"

# Bad values: one line naming the address, exit 1.
ferry_run short "unix-listen:$T/near/x.sock,fdpass,keepalive-interval=0.1" \
    tcp:127.0.0.1:1
[ "$RC" -eq 1 ] || fail "keepalive-interval=0.1 exited $RC"
expect_log short "keepalive-interval=0.1,?.*too short"
[ "$(wc -l <"$T/short.log")" -eq 1 ] || fail "more than one line: $(cat "$T/short.log")"
ferry_run nofdpass "tcp:127.0.0.1:1,keepalive-interval=1" -
[ "$RC" -eq 1 ] || fail "keepalive-interval without fdpass exited $RC"
expect_log nofdpass "keepalive-interval is for fdpass"

bg server $SPRING server "$T/far/spring.sock" --ready "$T/server.ready"
SERVER=$BGPID
wait_for test -s "$T/server.ready"

ferry_bg far tcp-listen:0,fork,fdpass,keepalive-interval=0.5 \
    "unix-connect:$T/far/spring.sock"
FAR=$FPID
ready far
FARPORT=$PORT
ferry_bg near "unix-listen:$T/near/s.sock,fork,fdpass,keepalive-interval=0.5" \
    "tcp:127.0.0.1:$FARPORT"
NEAR=$FPID
ready near
S=$T/near/s.sock

# A session whose command waits on a FIFO we hold open.
mkfifo "$T/in"
exec 3<>"$T/in"
$SPRING client "$S" -- cat <"$T/in" >"$T/client.out" 2>&1 &
CL=$!
PIDS="$PIDS $CL"
echo one >&3
wait_for grep -q one "$T/client.out"

# The far peer stops: no more PONGs.  The near peer must give the hop up.
kill -STOP "$FAR"
WAIT=30 await "$CL"
rc=$REAPED
kill -CONT "$FAR"
exec 3>&-
[ "$rc" -ne 0 ] || fail "the client exited 0 after its hop went silent"
expect_log near "keepalive: nothing received"
kill -0 "$NEAR" || fail "the near peer died with the hop"
kill -0 "$SERVER" || fail "the spring server died"

# The near peer serves the next client over a new hop (it retries a hop
# at most once a second, so a client may be turned away meanwhile).
try() {
	out=$(echo again | timeout 10 $SPRING client "$S" -- cat 2>/dev/null) &&
	    [ "$out" = again ]
}
WAIT=20 wait_for try

stop "$NEAR"
stop "$FAR"
kill -0 "$SERVER" || fail "the spring server died"

# A far peer slow to start (an exec hop whose command takes a second, as
# docker exec may) with a token and a short interval: the near peer must
# neither ping in the middle of the handshake nor count the wait as a
# silent hop.
printf 'tok\n' >"$T/token"
export FERRY_TOKEN_FILE="$T/token"
ferry_bg slow "unix-listen:$T/near/slow.sock,fork,fdpass,keepalive-interval=0.25" \
    "system:'sleep 1; exec $FERRY -,fdpass,keepalive-interval=0.25 unix-connect:$T/far/spring.sock'"
SLOW=$FPID
ready slow
unset FERRY_TOKEN_FILE
out=$(echo slow | timeout 30 $SPRING client "$T/near/slow.sock" -- cat) ||
    fail "client over a slow exec hop failed: $(cat "$T/slow.log")"
[ "$out" = slow ] || fail "over a slow exec hop got '$out'"
! grep -Eq "keepalive|handshake|authentication" "$T/slow.log" ||
    fail "slow hop: $(cat "$T/slow.log")"
stop "$SLOW"
stop "$SERVER"
exit 0
