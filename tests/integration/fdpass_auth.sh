#!/bin/sh
# AUTH (PROTOCOL.md 4.4): with FERRY_TOKEN_FILE on both peers the hop is
# authenticated; a peer without the token or with another one is dropped
# before any session starts.  A token also lets a TCP hop listen off
# loopback (with a warning: authenticated, not encrypted).
. "$TESTS_DIR/integration/lib.sh"

SPRING="$PYTHON $HELPERS/fdpass_spring.py"
mkdir "$T/far" "$T/near"
printf 'correct horse\n' >"$T/token"
printf 'battery staple\n' >"$T/wrong"
bg server $SPRING server "$T/far/spring.sock" --ready "$T/server.ready"
wait_for test -s "$T/server.ready"

export FERRY_TOKEN_FILE="$T/token"
ferry_bg far -d tcp-listen:0,fork,fdpass "unix-connect:$T/far/spring.sock"
FAR=$FPID
ready far
FARPORT=$PORT
ferry_bg near "unix-listen:$T/near/ok.sock,fork,fdpass" "tcp:127.0.0.1:$FARPORT"
NEAR=$FPID
ready near
out=$(echo hi | timeout 30 $SPRING client "$T/near/ok.sock" -- cat) || fail "client with the token failed"
[ "$out" = hi ] || fail "got '$out'"

# A token allows a non-loopback hop listener, with a warning.
ferry_bg wide tcp-listen:0,bind=0.0.0.0,fdpass "unix-connect:$T/far/spring.sock"
WIDE=$FPID
ready wide
expect_log wide "authenticated by the token but not encrypted"
stop "$WIDE"

# Without a token, and with the wrong one: no session.
unset FERRY_TOKEN_FILE
ferry_bg none "unix-listen:$T/near/none.sock,fork,fdpass" "tcp:127.0.0.1:$FARPORT"
ready none
rc=0
timeout 10 $SPRING client "$T/near/none.sock" -- true </dev/null 2>/dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "a near peer without the token got a session"
expect_log none "requires a token"

export FERRY_TOKEN_FILE="$T/wrong"
ferry_bg bad "unix-listen:$T/near/bad.sock,fork,fdpass" "tcp:127.0.0.1:$FARPORT"
ready bad
rc=0
timeout 10 $SPRING client "$T/near/bad.sock" -- true </dev/null 2>/dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "a near peer with the wrong token got a session"
expect_log far "wrong token"
unset FERRY_TOKEN_FILE

kill -0 "$FAR" || fail "the far peer died"
stop "$NEAR"
stop "$FAR"
