#!/bin/sh
# The spring exchange with Ruby's UNIXSocket#send_io/recv_io on both ends
# (one byte, one fd per call; Ruby's sockets are non-blocking, and ferry
# must leave that flag alone).  Skipped without ruby.
. "$TESTS_DIR/integration/lib.sh"

command -v ruby >/dev/null 2>&1 || skip "ruby is not installed"
RB="ruby $HELPERS/fdpass_spring.rb"
mkdir "$T/far" "$T/near"
bg server $RB server "$T/far/spring.sock" "$T/server.ready"
SERVER=$BGPID
wait_for test -s "$T/server.ready"

ferry_bg far -d tcp-listen:0,fork,fdpass "unix-connect:$T/far/spring.sock"
FAR=$FPID
ready far
ferry_bg near -d "unix-listen:$T/near/s.sock,fork,fdpass" "tcp:127.0.0.1:$PORT"
NEAR=$FPID
ready near
S=$T/near/s.sock

echo hello | timeout 30 $RB client "$S" cat >"$T/o1" || fail "ruby client failed"
[ "$(cat "$T/o1")" = hello ] || fail "got '$(cat "$T/o1")'"

randfile "$T/in" $((2 * 1024 * 1024))
timeout 30 $RB client "$S" sha256sum <"$T/in" >"$T/o2" || fail "sha256sum failed"
[ "$(cut -d' ' -f1 "$T/o2")" = "$(sha "$T/in")" ] || fail "stdin differs"

timeout 30 $RB client "$S" sh -c 'echo out; echo err >&2' </dev/null \
    2>"$T/e3" | cat >"$T/o3"
[ "$(cat "$T/o3")" = out ] || fail "stdout: '$(cat "$T/o3")'"
[ "$(cat "$T/e3")" = err ] || fail "stderr: '$(cat "$T/e3")'"

rc=0
timeout 30 $RB client "$S" sh -c 'exit 7' </dev/null || rc=$?
[ "$rc" -eq 7 ] || fail "exit 7 came back as $rc"

kill -0 "$SERVER" || fail "the ruby server died"
stop "$NEAR"
stop "$FAR"
