#!/bin/sh
# FD:n and bare numbers: inherited pipes, an inherited connected socket
# (both ways, sha256 checked), a regular file, and fds that are not open.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/in" $((4 * 1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# Run "ferry ARGS" with fd 5 the read end of a pipe fed from $T/in and fd 6
# the write end of a pipe into $T/out; stdin and stdout are /dev/null.
pipes() {
	_name=$1; shift
	FERRY_LOGS="$FERRY_LOGS $T/$_name.log"
	RC=$( { cat "$T/in" | { RC=0; timeout -k 5 60 "$FERRY" "$@" 5<&0 6>&1 \
	    </dev/null >/dev/null 2>"$T/$_name.log" 3>&- || RC=$?; echo "$RC" >&3; } |
	    cat >"$T/out"; } 3>&1 )
}

for a in "fd:5 fd:6" "FD:5 Fd:6" "5 6"; do
	rm -f "$T/out"
	# shellcheck disable=SC2086
	pipes "p${a% *}" $a
	[ "$RC" -eq 0 ] || fail "ferry $a on pipes: exit $RC"
	same "$T/in" "$T/out"
done

# An inherited socket, connected to the echo server, both ways.
RC=$( { cat "$T/in" | { RC=0; timeout -k 5 60 "$PYTHON" "$HELPERS/withsock.py" \
    "unix:$T/echo.sock" 7 "$FERRY" - fd:7 2>"$T/sock.log" 3>&- || RC=$?; \
    echo "$RC" >&3; } | cat >"$T/out"; } 3>&1 )
FERRY_LOGS="$FERRY_LOGS $T/sock.log"
[ "$RC" -eq 0 ] || fail "ferry - fd:7 on an inherited socket: exit $RC"
same "$T/in" "$T/out"

# fd 0 and 1 by number.
printf 'by number\n' >"$T/small"
ferry_pipe zero_one "$T/small" "$T/out" 0 1
[ "$RC" -eq 0 ] || fail "ferry 0 1: exit $RC"
same "$T/small" "$T/out"

# An inherited regular file read to its end, into an inherited pipe.
RC=$( { { RC=0; timeout -k 5 60 "$FERRY" fd:5 fd:6 5<"$T/in" 6>&1 </dev/null \
    >/dev/null 2>"$T/file.log" 3>&- || RC=$?; echo "$RC" >&3; } | cat >"$T/out"; } 3>&1 )
FERRY_LOGS="$FERRY_LOGS $T/file.log"
[ "$RC" -eq 0 ] || fail "ferry fd:5 fd:6 from a file: exit $RC"
same "$T/in" "$T/out"

# Not open, not a number.
ferry_pipe closed "$T/small" "$T/out" - fd:99
[ "$RC" -eq 1 ] || fail "fd:99 (not open): exit $RC"
expect_log closed "^ferry: fd:99: fd 99: Bad file descriptor\$"
ferry_run nan - fd:abc </dev/null
[ "$RC" -eq 1 ] || fail "fd:abc: exit $RC"
expect_log nan "^ferry: fd:abc: 'abc' is not a file descriptor number\$"
