#!/bin/sh
# --progress: on a terminal, a line rewritten in place with the bytes each
# way, the rate and the time, and a last line that stays; not a byte of it
# when stderr is not a terminal; ignored, with a warning, with fork.
. "$TESTS_DIR/integration/lib.sh"

"$PYTHON" "$HELPERS/progress.py" "$FERRY" "$T/out" >"$T/tty.txt" 2>&1 ||
    fail "$(cat "$T/tty.txt")"
[ "$(wc -c <"$T/out")" -eq $((2 * 1024 * 1024)) ] || fail "not 2 MiB written"

# Not a terminal: nothing.
randfile "$T/in" 100000
ferry_run file --progress -u - "create:$T/out2" <"$T/in"
[ "$RC" -eq 0 ] || fail "exit $RC"
same "$T/in" "$T/out2"
[ ! -s "$T/file.log" ] || fail "progress without a terminal: $(cat "$T/file.log")"

# With fork: a warning, and it listens as usual.
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
ferry_bg fork --progress tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/echo.sock"
F=$FPID
ready fork
expect_log fork "^ferry: --progress shows one relay: ignored with fork$"
stop "$F"
