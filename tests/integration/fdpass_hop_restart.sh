#!/bin/sh
# An exec hop that dies is restarted by the near peer on its own, and the
# near listener stays up: clients before and after the far peer is killed
# both get through, and the hop in between is a new process.
. "$TESTS_DIR/integration/lib.sh"

SPRING="$PYTHON $HELPERS/fdpass_spring.py"
mkdir "$T/far" "$T/near"
bg server $SPRING server "$T/far/spring.sock" --ready "$T/server.ready"
wait_for test -s "$T/server.ready"

ferry_bg near -d "unix-listen:$T/near/s.sock,fork,fdpass" \
    "exec:'$FERRY -,fdpass unix-connect:$T/far/spring.sock'"
NEAR=$FPID
ready near

# far_pid: the far peer, the near peer's child.
far_pid() {
	child_pid "$NEAR"
}

client() {
	_rc=0
	echo "$1" | timeout 30 $SPRING client "$T/near/s.sock" -- cat >"$T/out" || _rc=$?
	[ "$_rc" -eq 0 ] || fail "client '$1': exit $_rc"
	[ "$(cat "$T/out")" = "$1" ] || fail "client '$1' got '$(cat "$T/out")'"
}

client one
far1=$(far_pid) || fail "no far peer under $NEAR"
kill -KILL "$far1"
new_far() {
	p=$(far_pid) && [ "$p" != "$far1" ]
}
wait_for new_far
expect_log near "hop lost, opening a new one in 1s"
client two
kill -0 "$NEAR" || fail "the near peer died"
stop "$NEAR"
[ "$REAPED" -eq 143 ] || fail "near exited $REAPED after SIGTERM"
exit 0
