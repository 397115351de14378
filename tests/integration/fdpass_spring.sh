#!/bin/sh
# A spring-like exchange through a near and a far ferry: a socketpair end
# passed over the server socket, then stdout, stderr, stdin over the passed
# socket, a JSON argv line, a pid line and an exit status.  The server
# lives in a directory only the far peer's command line names.
. "$TESTS_DIR/integration/lib.sh"

SPRING="$PYTHON $HELPERS/fdpass_spring.py"
mkdir "$T/far" "$T/near"
bg server $SPRING server "$T/far/spring.sock" --ready "$T/server.ready"
SERVER=$BGPID
wait_for test -s "$T/server.ready"

ferry_bg far -dd tcp-listen:0,fork,fdpass "unix-connect:$T/far/spring.sock"
FAR=$FPID
ready far
ferry_bg near -dd "unix-listen:$T/near/s.sock,fork,fdpass" "tcp:127.0.0.1:$PORT"
NEAR=$FPID
ready near
S=$T/near/s.sock

# client ARGV...: run the spring client; its status in $T/rc (pipelines
# run it in a subshell), read back into $CRC by rc.
client() {
	_rc=0
	timeout 30 $SPRING client "$S" -- "$@" || _rc=$?
	echo "$_rc" >"$T/rc"
}
rc() {
	CRC=$(cat "$T/rc")
}

# stdin from a pipe, stdout to a file.
echo hello | client cat >"$T/o1"
rc
[ "$CRC" -eq 0 ] || fail "pipe stdin: exit $CRC"
[ "$(cat "$T/o1")" = hello ] || fail "pipe stdin: got '$(cat "$T/o1")'"

NEARFDS=$(nfds "$NEAR")
FARFDS=$(nfds "$FAR")

# Ordering (PROTOCOL.md 8): the command's output has reached the client's
# stdout (a file) by the time the client has the exit status.
client sh -c 'head -c 3000000 /dev/zero | tr "\\0" x; echo; exit 5' </dev/null >"$T/o0"
rc
[ "$CRC" -eq 5 ] || fail "ordering: exit $CRC"
[ "$(wc -c <"$T/o0")" -eq 3000001 ] || fail "output incomplete at exit status: $(wc -c <"$T/o0") bytes"

# stdin from a file: 10 MB, sha256 of what the command read.
randfile "$T/in" $((10 * 1024 * 1024))
client sha256sum <"$T/in" >"$T/o2"
rc
[ "$CRC" -eq 0 ] || fail "file stdin: exit $CRC"
[ "$(cut -d' ' -f1 "$T/o2")" = "$(sha "$T/in")" ] || fail "10 MB stdin differs"

# stdin /dev/null, stdout and stderr to pipes.
client sh -c 'cat; echo out; echo err >&2' </dev/null 2>"$T/e3" | cat >"$T/o3"
[ "$(cat "$T/o3")" = out ] || fail "stdout pipe: got '$(cat "$T/o3")'"
[ "$(cat "$T/e3")" = err ] || fail "stderr: got '$(cat "$T/e3")'"

# stdout to a pipe, 10 MB the other way.
client cat <"$T/in" | cat >"$T/o4"
same "$T/in" "$T/o4"

# Exit codes.
for code in 0 1 7; do
	client sh -c "exit $code" </dev/null
	rc
	[ "$CRC" -eq "$code" ] || fail "exit $code came back as $CRC"
done

# stdout and stderr on a terminal: a pty on the far side, same size.
timeout 30 $SPRING ptyrun 33 77 "$T/pty" -- $SPRING client "$S" -- \
    sh -c 'test -t 1 && echo ISATTY; stty size <&1; echo to-stderr >&2' \
    </dev/null || fail "pty client failed: $(cat "$T/pty")"
grep -q ISATTY "$T/pty" || fail "stdout is no tty over there: $(cat "$T/pty")"
grep -q "33 77" "$T/pty" || fail "window size lost: $(cat "$T/pty")"
grep -q to-stderr "$T/pty" || fail "stderr lost: $(cat "$T/pty")"

# A window size change on the near terminal reaches the far pty (WINSIZE).
timeout 30 $SPRING ptyrun 33 77 "$T/pty2" --resize 40 100 0.5 -- \
    $SPRING client "$S" -- sh -c 'sleep 3; stty size <&1' </dev/null ||
    fail "pty resize client failed: $(cat "$T/pty2")"
grep -q "40 100" "$T/pty2" || fail "window size change lost: $(cat "$T/pty2")"

# 1 MB of stdout into head -c 10: the command gets EPIPE, nothing hangs.
n=$( (timeout 30 $SPRING client "$S" -- sh -c 'head -c 1000000 /dev/zero; echo' </dev/null || true) | head -c 10 | wc -c)
[ "$n" -eq 10 ] || fail "head -c 10 got $n bytes"
yes | head -c 1000000 >/dev/null  # (the pipeline above did not hang)

# The server survived everything, and neither peer kept fds.
sleep 1
[ "$(nfds "$NEAR")" -le "$NEARFDS" ] || fail "near leaks fds: $NEARFDS then $(nfds "$NEAR")"
[ "$(nfds "$FAR")" -le "$FARFDS" ] || fail "far leaks fds: $FARFDS then $(nfds "$FAR")"

kill -0 "$SERVER" || fail "the spring server died"
expect_log near "session [0-9]+ from .* 5 channels"
stop "$NEAR"
stop "$FAR"
