#!/bin/sh
# A stale socket file (its server gone): a client gets "Connection refused
# (no server is listening on PATH)"; a listener replaces it, and says so at
# -d only.  A live socket and a non-socket file are refused and left alone;
# unlink-early replaces even those.
. "$TESTS_DIR/integration/lib.sh"

# A socket file whose server is gone: bound, never listened on, closed.
stale() {
	rm -f "$1"
	"$PYTHON" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$1"
	[ -S "$1" ] || fail "could not make a stale socket at $1"
}

printf 'hello\n' >"$T/hello"
S=$T/stale.sock

stale "$S"
ferry_pipe refused "$T/hello" "$T/out" - "unix-connect:$S"
[ "$RC" -eq 1 ] || fail "connect to a stale socket: exit $RC"
expect_log refused "^ferry: unix-connect:$S: connect: Connection refused \\(no server is listening on $S\\)\$"
[ "$(wc -l <"$T/refused.log")" -eq 1 ] || fail "not one line: $(cat "$T/refused.log")"
# The UNIX alias, and GOPEN, say the same.
ferry_pipe refused2 "$T/hello" "$T/out" - "unix:$S"
[ "$RC" -eq 1 ] || fail "unix: to a stale socket: exit $RC"
expect_log refused2 "Connection refused \\(no server is listening on $S\\)"
# No file at all.
ferry_pipe absent "$T/hello" "$T/out" - "unix-connect:$T/absent.sock"
[ "$RC" -eq 1 ] || fail "connect to a missing socket: exit $RC"
expect_log absent "^ferry: unix-connect:$T/absent.sock: connect: No such file or directory \\(no socket at $T/absent.sock\\)\$"

# A listener replaces the stale socket, and says so at -d.
ferry_bg quiet "unix-listen:$S" STDOUT
Q=$FPID
ready quiet
ferry_pipe c1 "$T/hello" /dev/null - "unix-connect:$S"
[ "$RC" -eq 0 ] || fail "client of the replacing listener: exit $RC"
await "$Q"
[ "$REAPED" -eq 0 ] || fail "listener that replaced a stale socket exited $REAPED"
same "$T/hello" "$T/quiet.out"
[ ! -s "$T/quiet.log" ] || fail "replaced a stale socket noisily without -d: $(cat "$T/quiet.log")"
[ ! -e "$S" ] || fail "socket file left after the listener's one connection"

stale "$S"
ferry_bg loud -d "unix-listen:$S" STDOUT
L=$FPID
ready loud
expect_log loud "replaced stale socket $S"
ferry_pipe c2 "$T/hello" /dev/null - "unix-connect:$S"
[ "$RC" -eq 0 ] || fail "client of the replacing listener (-d): exit $RC"
await "$L"
[ "$REAPED" -eq 0 ] || fail "listener (-d) exited $REAPED"
same "$T/hello" "$T/loud.out"

# A live socket is refused, and still works afterwards.
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/live.sock" --ready "$T/live.ready"
wait_for test -s "$T/live.ready"
ferry_run live "unix-listen:$T/live.sock" STDOUT </dev/null
[ "$RC" -eq 1 ] || fail "listen on a live socket: exit $RC"
expect_log live "^ferry: unix-listen:$T/live.sock: $T/live.sock is in use by a live server\$"
[ -S "$T/live.sock" ] || fail "the live socket file is gone"
ferry_pipe stillalive "$T/hello" "$T/out" - "unix-connect:$T/live.sock"
[ "$RC" -eq 0 ] || fail "the live server after the refused listener: exit $RC"
same "$T/hello" "$T/out"
# ... also with fork and mode=, which bind elsewhere and rename.
ferry_run live2 "unix-listen:$T/live.sock,fork,mode=600" "unix-connect:$T/live.sock" </dev/null
[ "$RC" -eq 1 ] || fail "listen,mode=600 on a live socket: exit $RC"
expect_log live2 "is in use by a live server"
ferry_pipe stillalive2 "$T/hello" "$T/out" - "unix-connect:$T/live.sock"
[ "$RC" -eq 0 ] || fail "the live server after the second refused listener: exit $RC"
same "$T/hello" "$T/out"

# A file that is not a socket is refused and left alone.
printf 'precious\n' >"$T/file"
cp "$T/file" "$T/file.orig"
ferry_run notsock "unix-listen:$T/file" STDOUT </dev/null
[ "$RC" -eq 1 ] || fail "listen on a regular file: exit $RC"
expect_log notsock "^ferry: unix-listen:$T/file: $T/file exists and is not a socket"
same "$T/file.orig" "$T/file"
mkdir "$T/dir"
ferry_run notsock2 "unix-listen:$T/dir" STDOUT </dev/null
[ "$RC" -eq 1 ] || fail "listen on a directory: exit $RC"
expect_log notsock2 "exists and is not a socket"
[ -d "$T/dir" ] || fail "the directory is gone"

# unlink-early removes whatever is there.
ferry_bg early "unix-listen:$T/file,unlink-early" STDOUT
E=$FPID
ready early
[ -S "$T/file" ] || fail "unlink-early did not replace the file with a socket"
ferry_pipe c3 "$T/hello" /dev/null - "unix-connect:$T/file"
[ "$RC" -eq 0 ] || fail "client of the unlink-early listener: exit $RC"
await "$E"
[ "$REAPED" -eq 0 ] || fail "unlink-early listener exited $REAPED"
same "$T/hello" "$T/early.out"
