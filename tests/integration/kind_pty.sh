#!/bin/sh
# PTY: a program (helpers/pty_client.py) opens the slave through link=,
# checks isatty, the termios flags raw and echo=0 set, sets and reads the
# window size, and round-trips random bytes through an echo server (raw:
# nothing translated), sha256 checked; it may close and reopen the slave.
# A link taken over by a newer pty is left to it.
# wait-slave holds the other address until the slave is opened, and ends
# after it is closed.  The link is removed at exit; bad input is one line.
. "$TESTS_DIR/integration/lib.sh"

[ -e /dev/ptmx ] || skip "no /dev/ptmx"
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# raw,echo=0: twice in a row on the same pty, 1 MB, then a few bytes.
ferry_bg raw -d "pty,link=$T/tty,raw,echo=0" "unix-connect:$T/echo.sock"
RAW=$FPID
wait_for test -L "$T/tty"
"$PYTHON" "$HELPERS/pty_client.py" "$T/tty" --echo 0 --icanon 0 \
    --winsize 33 101 --bytes 1048576 >"$T/c1" || fail "raw pty: first client"
"$PYTHON" "$HELPERS/pty_client.py" "$T/tty" --echo 0 --icanon 0 \
    --bytes 4096 >"$T/c2" || fail "raw pty: the slave reopened"
kill -0 "$RAW" || fail "ferry ended when the slave was closed"
expect_log raw "^ferry: pty,link=$T/tty,raw,echo=0: slave /dev/[a-z/]+[0-9]+, link $T/tty\$"
slave=$(sed -n 's/.*: slave \([^,]*\),.*/\1/p' "$T/raw.log")
[ "$(readlink "$T/tty")" = "$slave" ] || fail "link points at $(readlink "$T/tty"), not $slave"
stop "$RAW"
[ ! -e "$T/tty" ] && [ ! -L "$T/tty" ] || fail "the link is still there after exit"

# A second pty takes the link over; the first, ending, leaves it alone.
ferry_bg first -d "pty,link=$T/shared" "unix-connect:$T/echo.sock"
FIRST=$FPID
wait_for test -L "$T/shared"
one=$(readlink "$T/shared")
ferry_bg second -d "pty,link=$T/shared" "unix-connect:$T/echo.sock"
SECOND=$FPID
wait_for grep -q ': slave ' "$T/second.log"
two=$(sed -n 's/.*: slave \([^,]*\),.*/\1/p' "$T/second.log")
[ "$one" != "$two" ] || fail "two ferries, one pty: $one"
[ "$(readlink "$T/shared")" = "$two" ] || fail "the second pty did not take the link"
stop "$FIRST"
[ "$(readlink "$T/shared")" = "$two" ] || fail "the first ferry removed the second's link"
stop "$SECOND"
[ ! -L "$T/shared" ] || fail "the second ferry left its link"

# echo=0 alone keeps canonical mode; no option at all echoes.
ferry_bg e0 "pty,link=$T/e0,echo=0" "unix-connect:$T/echo.sock"
E0=$FPID
wait_for test -L "$T/e0"
"$PYTHON" "$HELPERS/pty_client.py" "$T/e0" --echo 0 --icanon 1 >"$T/c3" ||
    fail "pty,echo=0: flags"
stop "$E0"
ferry_bg e1 "pty,link=$T/e1" "unix-connect:$T/echo.sock"
E1=$FPID
wait_for test -L "$T/e1"
"$PYTHON" "$HELPERS/pty_client.py" "$T/e1" --echo 1 --icanon 1 >"$T/c4" ||
    fail "pty: default flags"
stop "$E1"

# wait-slave: the command starts only once the slave is opened; closing
# the slave is the end of the pty's data: cat ends, and so does ferry.
ferry_bg ws -d "pty,link=$T/ws,wait-slave,raw,echo=0" \
    "system:touch $T/started; exec cat"
WS=$FPID
wait_for test -L "$T/ws"
wait_for grep -q "waiting for a process to open" "$T/ws.log"
[ ! -e "$T/started" ] || fail "wait-slave: the other address opened before the slave"
"$PYTHON" "$HELPERS/pty_client.py" "$T/ws" --bytes 65536 >"$T/c5" ||
    fail "wait-slave: client"
[ -e "$T/started" ] || fail "wait-slave: the command never started"
await "$WS"
[ "$REAPED" -eq 0 ] || fail "wait-slave: exit $REAPED after the slave closed"
expect_log ws "opened\$"
[ ! -L "$T/ws" ] || fail "wait-slave: the link is still there after exit"

# Bad input.
ferry_run nodir "pty,link=$T/no/such/link" "unix-connect:$T/echo.sock"
[ "$RC" -eq 1 ] || fail "link= in a missing directory: exit $RC"
expect_log nodir "^ferry: pty,link=$T/no/such/link: link $T/no/such/link: No such file or directory\$"
[ "$(wc -l <"$T/nodir.log")" -eq 1 ] || fail "more than one line: $(cat "$T/nodir.log")"
: >"$T/file"
ferry_run exists "pty,link=$T/file" "unix-connect:$T/echo.sock"
[ "$RC" -eq 1 ] || fail "link= on a regular file: exit $RC"
expect_log exists "link $T/file: File exists\$"
[ -f "$T/file" ] || fail "link= replaced a regular file"
ferry_run param "pty:x" - </dev/null
[ "$RC" -eq 1 ] || fail "pty:x: exit $RC"
expect_log param "too many parameters"
