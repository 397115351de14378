#!/bin/sh
# fdpass without fds: a plain byte relay through a near and a far ferry.
# The echo server lives in a directory only the far peer's command line
# names.  10 MB each way sha256-checked, 100 concurrent sessions, then the
# same through an exec hop (the far peer on the near peer's stdio).
. "$TESTS_DIR/integration/lib.sh"

mkdir "$T/far" "$T/near"
randfile "$T/in" $((10 * 1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/far/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

ferry_bg far -d tcp-listen:0,fork,fdpass "unix-connect:$T/far/echo.sock"
FAR=$FPID
ready far
ferry_bg near -d "unix-listen:$T/near/n.sock,fork,fdpass" "tcp:127.0.0.1:$PORT"
NEAR=$FPID
ready near

ferry_run client - "unix-connect:$T/near/n.sock" <"$T/in" >"$T/out"
[ "$RC" -eq 0 ] || fail "client exited $RC"
same "$T/in" "$T/out"

# 100 concurrent sessions on the one hop.
i=0
pids=""
while [ $i -lt 100 ]; do
	( echo "hello $i" | "$FERRY" - "unix-connect:$T/near/n.sock" >"$T/c.$i" 2>>"$T/clients.log" ) &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p" || fail "a client failed: $(cat "$T/clients.log")"; done
i=0
while [ $i -lt 100 ]; do
	[ "$(cat "$T/c.$i")" = "hello $i" ] || fail "session $i got '$(cat "$T/c.$i")'"
	i=$((i + 1))
done
expect_log near "session .* 9 bytes in, 9 out"

# The hop listens on loopback only, and refuses anything else.
ferry_run refuse tcp-listen:0,bind=0.0.0.0,fdpass "unix-connect:$T/far/echo.sock"
[ "$RC" -eq 1 ] || fail "non-loopback fdpass hop: exit $RC"
expect_log refuse "must prove who it is: TLS with client certificates .* or a token"
ferry_run neither "unix-listen:$T/near/x.sock,fdpass" "unix-connect:$T/far/echo.sock,fdpass"
[ "$RC" -eq 1 ] || fail "fdpass on both UNIX addresses: exit $RC"
expect_log neither "both addresses are UNIX sockets"

stop "$NEAR"
[ "$REAPED" -eq 143 ] || fail "near exited $REAPED after SIGTERM"
[ ! -e "$T/near/n.sock" ] || fail "near left its socket file"
stop "$FAR"
[ "$REAPED" -eq 143 ] || fail "far exited $REAPED after SIGTERM"

# An exec hop: the far peer runs on the near peer's stdio, one client,
# then both exit 0.
ferry_bg near1 "unix-listen:$T/near/e.sock,fdpass" \
    "exec:'$FERRY -,fdpass unix-connect:$T/far/echo.sock'"
NEAR1=$FPID
ready near1
ferry_run client2 - "unix-connect:$T/near/e.sock" <"$T/in" >"$T/out2"
[ "$RC" -eq 0 ] || fail "client over the exec hop exited $RC"
same "$T/in" "$T/out2"
await "$NEAR1"
[ "$REAPED" -eq 0 ] || fail "near (no fork) exited $REAPED"
