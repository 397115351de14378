#!/bin/sh
# ABSTRACT-LISTEN, ABSTRACT-CONNECT, ABSTRACT-CLIENT (and ABSTRACT): Linux's
# abstract namespace, with a Python echo server and a Python client on
# names unique to this test; 1 MB each way, sha256 checked.  No file is
# created anywhere, a name in use is refused, a name is free again once
# ferry is gone, and the file-only options are refused.
. "$TESTS_DIR/integration/lib.sh"

"$FERRY" help kinds | grep -q '^  ABSTRACT-LISTEN:' ||
	skip "built without abstract sockets"

N="ferry-test-$$-${T##*/}"
randfile "$T/in" $((1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "abstract:$N.echo" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
[ "$(cat "$T/echo.ready")" = "@$N.echo" ] || fail "echo server: $(cat "$T/echo.ready")"

# A forking abstract listener in front of the abstract echo server, run
# from the temp dir: it must leave no file there.
cd "$T"
ferry_bg relay -d "abstract-listen:$N.relay,fork" "abstract-connect:$N.echo"
RELAY=$FPID
ready relay
[ "$ADDR" = "@$N.relay" ] || fail "ready file says '$ADDR'"
cd /

for k in abstract-connect ABSTRACT-CONNECT abstract-client Abstract-Client abstract; do
	rm -f "$T/out"
	ferry_pipe "c$k" "$T/in" "$T/out" - "$k:$N.relay"
	[ "$RC" -eq 0 ] || fail "$k: exit $RC"
	same "$T/in" "$T/out"
done
# A Python client, too (it sends all before it reads: 64 KB).
head -c 65536 "$T/in" >"$T/small"
"$PYTHON" "$HELPERS/client.py" send "abstract:$N.relay" --in "$T/small" --out "$T/out" ||
	fail "python client through the abstract relay"
same "$T/small" "$T/out"
[ -z "$(find "$T" -type s)" ] || fail "a socket file appeared: $(find "$T" -type s)"

# The same name while ferry holds it: refused, in one line.
ferry_run dup "abstract-listen:$N.relay" "abstract-connect:$N.echo"
[ "$RC" -eq 1 ] || fail "second listener on a live name: exit $RC"
expect_log dup "^ferry: abstract-listen:$N.relay: @$N.relay is in use by another socket\$"
stop "$RELAY"
[ "$REAPED" -eq 143 ] || fail "relay: SIGTERM exit status $REAPED"

# Once ferry is gone the name is free: a new listener takes it (no stale
# state to clean), and serves once without fork, then exits 0.
ferry_bg once "ABSTRACT-LISTEN:$N.relay" "abstract-connect:$N.echo"
ONCE=$FPID
ready once
printf 'once\n' >"$T/small"
ferry_pipe conce "$T/small" "$T/out" - "abstract:$N.relay"
[ "$RC" -eq 0 ] || fail "client of the one-shot listener: exit $RC"
same "$T/small" "$T/out"
await "$ONCE"
[ "$REAPED" -eq 0 ] || fail "one-shot abstract listener exited $REAPED"

# Nobody there: one line naming the name.
ferry_pipe refused "$T/small" "$T/out" - "abstract-connect:$N.nobody"
[ "$RC" -eq 1 ] || fail "connect to a free name: exit $RC"
expect_log refused "^ferry: abstract-connect:$N.nobody: connect: Connection refused \\(no server is listening on @$N.nobody\\)\$"

# File options make no sense without a file.
for o in unlink-early mode=600 unlink-close=0; do
	ferry_run "opt${o%%=*}" "abstract-listen:$N.x,$o" -
	[ "$RC" -eq 1 ] || fail "abstract-listen with $o: exit $RC"
	expect_log "opt${o%%=*}" "option '${o%%=*}' does not apply to ABSTRACT-LISTEN"
done
stop "$BGPID"
