#!/bin/sh
# STDIO ('-', any case), STDIN, STDOUT and STDERR, each against a real peer
# on a UNIX socket, through regular files and through pipes; sha256 checked.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/in" $((8 * 1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# '-' and STDIO both ways, stdin and stdout regular files.
for a in - STDIO stdio StdIo; do
	rm -f "$T/out"
	ferry_run "rt$a" "$a" "unix-connect:$T/echo.sock" <"$T/in" >"$T/out"
	[ "$RC" -eq 0 ] || fail "$a: exit $RC"
	same "$T/in" "$T/out"
	[ ! -s "$T/rt$a.log" ] || fail "$a: unexpected stderr: $(cat "$T/rt$a.log")"
done
# A small regular file on stdin (all of it, and its end, read at once).
for n in 6 1000 200000; do
	randfile "$T/small" "$n"
	rm -f "$T/out"
	RUN_TIMEOUT=20 ferry_run "small$n" - "unix-connect:$T/echo.sock" <"$T/small" >"$T/out"
	[ "$RC" -eq 0 ] || fail "$n bytes from a regular file on stdin: exit $RC"
	same "$T/small" "$T/out"
done

# STDIO on pipes at both ends.
ferry_pipe pipe "$T/in" "$T/out" - "unix-connect:$T/echo.sock"
[ "$RC" -eq 0 ] || fail "pipes: exit $RC"
same "$T/in" "$T/out"
[ ! -s "$T/pipe.log" ] || fail "pipe: unexpected stderr: $(cat "$T/pipe.log")"

# STDIN: read only, into a sink.
bg sink "$PYTHON" "$HELPERS/peer.py" sink "unix:$T/sink.sock" --ready "$T/sink.ready" --out "$T/sunk"
SINK=$BGPID
wait_for test -s "$T/sink.ready"
ferry_run stdin STDIN "unix-connect:$T/sink.sock" <"$T/in" >"$T/stdout"
[ "$RC" -eq 0 ] || fail "STDIN: exit $RC"
await "$SINK"
same "$T/in" "$T/sunk"
[ ! -s "$T/stdout" ] || fail "STDIN: something was written to stdout"

# STDOUT: write only, from a source.
for k in STDOUT stdout; do
	bg source "$PYTHON" "$HELPERS/peer.py" source "unix:$T/src.sock" --ready "$T/src.ready" --out "$T/in"
	SRC=$BGPID
	rm -f "$T/src.ready"
	wait_for test -s "$T/src.ready"
	rm -f "$T/out"
	ferry_run "stdout$k" "unix-connect:$T/src.sock" "$k" >"$T/out"
	[ "$RC" -eq 0 ] || fail "$k: exit $RC"
	await "$SRC"
	rm -f "$T/src.sock"
	same "$T/in" "$T/out"
done

# STDERR: write only, to fd 2.
bg source "$PYTHON" "$HELPERS/peer.py" source "unix:$T/src.sock" --ready "$T/src.ready" --out "$T/in"
SRC=$BGPID
rm -f "$T/src.ready"
wait_for test -s "$T/src.ready"
RC=0
"$FERRY" "unix-connect:$T/src.sock" STDERR 2>"$T/err" >"$T/stdout" || RC=$?
[ "$RC" -eq 0 ] || fail "STDERR: exit $RC"
await "$SRC"
same "$T/in" "$T/err"
[ ! -s "$T/stdout" ] || fail "STDERR: something was written to stdout"

# STDIN and STDOUT are one way each: joining them copies stdin to stdout.
ferry_run inout STDIN STDOUT <"$T/in" >"$T/out"
[ "$RC" -eq 0 ] || fail "STDIN STDOUT: exit $RC"
same "$T/in" "$T/out"
