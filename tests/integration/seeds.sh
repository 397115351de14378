#!/bin/sh
# The seed one-liners of ../shared/seeds/ that use this issue's kinds, with
# ferry in place of socat, as written there (ports and paths made the
# test's own):
#   echo hello | socat - unix:$HOME/echo_stream_sock.demo        (003)
#   socat - UNIX-CONNECT:tmp/simple.sock  (relative path)        (000)
#   socat unix-listen:/tmp/stream.sock,fork STDOUT
#     + echo "hello world" | socat - unix-connect:/tmp/stream.sock (004)
#   socat tcp-listen:9999,fork unix-connect:/tmp/stream.sock + curl (004)
#   echo hello | socat - tcp4:127.0.0.1:3000                     (003)
#   echo hello | socat - tcp6:[::1]:3000                         (003)
#   the errors of 000: a stale socket file, and no socket file at all
. "$TESTS_DIR/integration/lib.sh"

# seed: one line in, one line out, exit 0, stderr quiet.
seed() {
	_name=$1; _in=$2; _want=$3; shift 3
	printf '%s\n' "$_in" >"$T/$_name.in"
	ferry_pipe "$_name" "$T/$_name.in" "$T/$_name.got" "$@"
	[ "$RC" -eq 0 ] || fail "seed $_name: exit $RC: $(cat "$T/$_name.log")"
	[ "$(cat "$T/$_name.got")" = "$_want" ] || fail "seed $_name: got '$(cat "$T/$_name.got")', want '$_want'"
	[ ! -s "$T/$_name.log" ] || fail "seed $_name: stderr: $(cat "$T/$_name.log")"
}

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo_stream_sock.demo" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
seed unix hello hello - "unix:$T/echo_stream_sock.demo"
seed unix_connect hello hello - "unix-connect:$T/echo_stream_sock.demo"

# 000: a relative path from the working directory.
mkdir "$T/tmp"
bg simple "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/tmp/simple.sock" --ready "$T/simple.ready"
SIMPLE=$BGPID
wait_for test -s "$T/simple.ready"
cd "$T"
seed relative "a line" "a line" - UNIX-CONNECT:tmp/simple.sock
# 000: the server is gone but its file stays; then the file goes too.
stop "$SIMPLE"
[ -S tmp/simple.sock ] || fail "the server removed its socket file; no stale file to test"
ferry_pipe stale "$T/relative.in" "$T/out" - UNIX-CONNECT:tmp/simple.sock
[ "$RC" -eq 1 ] || fail "stale socket: exit $RC"
expect_log stale "Connection refused \\(no server is listening on tmp/simple.sock\\)"
rm tmp/simple.sock
ferry_pipe nofile "$T/relative.in" "$T/out" - UNIX-CONNECT:tmp/simple.sock
[ "$RC" -eq 1 ] || fail "no socket file: exit $RC"
expect_log nofile "No such file or directory \\(no socket at tmp/simple.sock\\)"
cd /

# 004: a forking UNIX listener printing what it gets; two clients.
FERRY_STDOUT=$T/stream.out ferry_bg stream "unix-listen:$T/stream.sock,fork" STDOUT
S=$FPID
ready stream
seed hw1 "hello world" "" - "unix-connect:$T/stream.sock"
seed hw2 "hello again" "" - "unix-connect:$T/stream.sock"
both() {
	grep -qx 'hello world' "$T/stream.out" && grep -qx 'hello again' "$T/stream.out"
}
wait_for both
kill -0 "$S" || fail "the forking listener ended after its clients"
stop "$S"
[ ! -e "$T/stream.sock" ] || fail "the listener left its socket file"

# 004: a forking TCP front for an HTTP server on a UNIX socket, with curl.
if command -v curl >/dev/null; then
	bg http "$PYTHON" "$HELPERS/peer.py" http "unix:$T/app.sock" --ready "$T/app.ready"
	wait_for test -s "$T/app.ready"
	ferry_bg front tcp-listen:0,fork "unix-connect:$T/app.sock"
	F=$FPID
	ready front
	for n in 1 2 3; do
		body=$(curl -sS --max-time 10 "http://localhost:$PORT/13")
		[ "$body" = "hello, world" ] || fail "curl through ferry $n: '$body'"
	done
	body=$(curl -sS --max-time 10 --unix-socket "$T/app.sock" "http://localhost/13")
	[ "$body" = "hello, world" ] || fail "curl --unix-socket: '$body'"
	stop "$F"
fi

# 003: an echo server on TCP, over IPv4 and IPv6.
ferry_bg tcpecho tcp-listen:0,fork "unix-connect:$T/echo_stream_sock.demo"
E=$FPID
ready tcpecho
seed tcp4 hello hello - "tcp4:127.0.0.1:$PORT"
if "$PYTHON" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	seed tcp6 hello hello - "tcp6:[::1]:$PORT"
else
	echo "no ::1 here: the tcp6 seed is not run"
fi
stop "$E"
