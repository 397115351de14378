#!/bin/sh
# The !! form, read from the first address and write to the second:
# 'stdin!!stdout' against an echo server, 'open:a!!create:b' against an
# echo server (b ends up a copy of a) and against STDIO (both ways at
# once), 'exec:...!!create:...'; a listener in a !! is an error.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/in" $((3 * 1024 * 1024))
randfile "$T/a" $((2 * 1024 * 1024 + 3))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

for d in 'stdin!!stdout' 'STDIN!!STDOUT' 'Stdin!!Stdout'; do
	ferry_pipe "d$d" "$T/in" "$T/out" "$d" "unix-connect:$T/echo.sock"
	[ "$RC" -eq 0 ] || fail "'$d' unix-connect: exit $RC"
	same "$T/in" "$T/out"
done
# Regular files on stdin and stdout.
ferry_run dfiles 'stdin!!stdout' "unix-connect:$T/echo.sock" <"$T/in" >"$T/out"
[ "$RC" -eq 0 ] || fail "'stdin!!stdout' with files: exit $RC"
same "$T/in" "$T/out"

# open:a!!create:b through the echo server: b becomes a.
ferry_run ab "open:$T/a!!create:$T/b" "unix-connect:$T/echo.sock"
[ "$RC" -eq 0 ] || fail "'open:a!!create:b' unix-connect: exit $RC"
same "$T/a" "$T/b"
# ... and against STDIO: a goes to stdout while stdin goes into b.
rm -f "$T/b"
ferry_pipe abstdio "$T/in" "$T/out" - "open:$T/a!!create:$T/b"
[ "$RC" -eq 0 ] || fail "- 'open:a!!create:b': exit $RC"
same "$T/a" "$T/out"
same "$T/in" "$T/b"

# A command on the reading side: its output comes to stdout while stdin
# goes into a file.
: >"$T/empty"
ferry_pipe execread "$T/in" "$T/out" - "exec:\"printf hello\"!!create:$T/b"
[ "$RC" -eq 0 ] || fail "exec:printf!!create: exit $RC"
[ "$(cat "$T/out")" = hello ] || fail "exec:printf!!create: got '$(cat "$T/out")'"
same "$T/in" "$T/b"

# A !! inside quotes is not the dual form (exec gets it as an argument).
: >"$T/empty"
ferry_pipe quoted "$T/empty" "$T/out" - "exec:\"printf 'a!!b'\""
[ "$RC" -eq 0 ] || fail "quoted !!: exit $RC"
[ "$(cat "$T/out")" = 'a!!b' ] || fail "quoted !!: got '$(cat "$T/out")'"

# Listeners do not go in a !!.
ferry_run lis - "unix-listen:$T/l.sock!!stdout" </dev/null
[ "$RC" -eq 1 ] || fail "unix-listen in !!: exit $RC"
expect_log lis "the !! form joins two non-listening addresses"
[ ! -e "$T/l.sock" ] || fail "unix-listen in !! left a socket file"
ferry_run three - 'stdin!!stdout!!stderr' </dev/null
[ "$RC" -eq 1 ] || fail "three-way !!: exit $RC"

# A command that ferry only reads from is never written to: it gets EOF
# on its input at once (as with socat), so 'wc -c' answers 0 and ends.
RUN_TIMEOUT=20 ferry_pipe wc "$T/in" "$T/out" - "exec:'wc -c'!!create:$T/b"
[ "$RC" -eq 0 ] || fail "- exec:'wc -c'!!create: exit $RC"
[ "$(tr -d ' ' <"$T/out")" = 0 ] || fail "exec:'wc -c' on the reading side said '$(cat "$T/out")'"
same "$T/in" "$T/b"
