#!/bin/sh
# ferry's main job in miniature: an HTTP server that listens only on a UNIX
# socket is made reachable on TCP by
#
#	ferry tcp-listen:PORT,fork unix-connect:SOCK
#
# on a port the kernel picks (read back from --ready-file), and fetched
# with curl.  Everything runs in a temp dir; every process started here is
# stopped by its pid and the temp dir removed, whatever happens.
#
#	sh contrib/demo/demo.sh [FERRY]	# default: ferry on PATH
#
# PYTHON may name the python3 to run the server with.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
FERRY=${1:-ferry}
PYTHON=${PYTHON:-python3}
WAIT_SECS=10

dir=$(mktemp -d "${TMPDIR:-/tmp}/ferry-demo.XXXXXX")
app_pid=""
ferry_pid=""

cleanup() {
	rc=$?
	trap - EXIT INT TERM HUP
	for p in $ferry_pid $app_pid; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $ferry_pid $app_pid; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$dir"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# wait_file FILE WHAT PID: poll (bounded) until FILE is not empty, as long
# as PID lives.
wait_file() {
	i=0
	while [ ! -s "$1" ]; do
		if ! kill -0 "$3" 2>/dev/null; then
			echo "demo: $2 exited before it was ready:" >&2
			cat "$dir"/*.log >&2 2>/dev/null || true
			exit 1
		fi
		i=$((i + 1))
		if [ "$i" -gt $((WAIT_SECS * 20)) ]; then
			echo "demo: $2 not ready after ${WAIT_SECS}s" >&2
			exit 1
		fi
		sleep 0.05
	done
}

sock=$dir/app.sock

echo "== an HTTP server on the UNIX socket $sock (and nowhere else)"
"$PYTHON" "$here/http_unix.py" "$sock" --ready "$dir/app.ready" \
    </dev/null >"$dir/app.log" 2>&1 &
app_pid=$!
wait_file "$dir/app.ready" "the HTTP server" "$app_pid"

echo "== ferry in front of it, on a TCP port the kernel picks"
echo "\$ ferry -d --ready-file $dir/ferry.ready tcp-listen:0,bind=127.0.0.1,fork unix-connect:$sock"
"$FERRY" -d --ready-file "$dir/ferry.ready" \
    tcp-listen:0,bind=127.0.0.1,fork "unix-connect:$sock" \
    </dev/null >/dev/null 2>"$dir/ferry.log" &
ferry_pid=$!
wait_file "$dir/ferry.ready" "ferry" "$ferry_pid"
addr=$(head -n 1 "$dir/ferry.ready")
port=${addr##*:}
echo "ferry listens on $addr"

echo
echo "== curl over TCP, through ferry, to the UNIX socket"
echo "\$ curl -sS -i http://127.0.0.1:$port/hello"
curl -sS -i --max-time 10 "http://127.0.0.1:$port/hello" >"$dir/response"
cat "$dir/response"
grep -q "You asked for /hello" "$dir/response" || {
	echo "demo: unexpected response" >&2
	exit 1
}

echo
echo "== stopping ferry (SIGTERM); its log at -d, one line per connection"
kill -TERM "$ferry_pid"
status=0
wait "$ferry_pid" || status=$?
ferry_pid=""
sed 's/^/    /' "$dir/ferry.log"
echo "ferry exited with status $status (128 + 15: stopped by SIGTERM)"
[ "$status" -eq 143 ] || exit 1

echo
echo "demo: OK"
