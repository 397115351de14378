#!/bin/sh
# fds nested three levels deep (a socket passed over a passed socket over
# a passed socket), the same pipe passed twice in one message and again in
# another (one channel, order kept), and an fd passed back by the server.
. "$TESTS_DIR/integration/lib.sh"

NEST="$PYTHON $HELPERS/fdpass_nested.py"
mkdir "$T/far" "$T/near"
bg server $NEST server "$T/far/nest.sock" --ready "$T/server.ready"
SERVER=$BGPID
wait_for test -s "$T/server.ready"

ferry_bg far -dd tcp-listen:0,fork,fdpass "unix-connect:$T/far/nest.sock"
FAR=$FPID
ready far
ferry_bg near -dd "unix-listen:$T/near/n.sock,fork,fdpass" "tcp:127.0.0.1:$PORT"
NEAR=$FPID
ready near

for i in 1 2 3; do
	out=$(timeout 30 $NEST client "$T/near/n.sock") || fail "client $i failed: $out $(cat "$T/server.log")"
	[ "$out" = ok ] || fail "client $i said '$out'"
done
# control + 3 sockets + 1 pipe (passed three times) + 1 passed back = 6
expect_log near "session [0-9]+ from .* 6 channels"
expect_log near "channel 1 open: pipe-read r \(stand-in here\)"
kill -0 "$SERVER" || fail "the server died"
stop "$NEAR"
stop "$FAR"
