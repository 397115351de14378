#!/bin/sh
# --stats and SIGUSR1: one line per live connection with its peers, age
# and bytes each way, and a summary; -lf writes the log to a file.
. "$TESTS_DIR/integration/lib.sh"

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

ferry_bg relay -lf "$T/file.log" tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/echo.sock"
RELAY=$FPID
ready relay

# Three connections, 1000, 2000 and 3000 bytes echoed, held open.
bg conns "$PYTHON" "$HELPERS/conns.py" 127.0.0.1 "$PORT" "$T/conns.ready" 1000 2000 3000
CONNS=$BGPID
wait_for test -s "$T/conns.ready"

kill -USR1 "$RELAY"
stats_lines() { [ "$(grep -c 'stats: 127.0.0.1:' "$T/file.log")" -ge 3 ]; }
wait_for stats_lines
grep -q 'stats: 3 open, 3 accepted, 0 refused' "$T/file.log" || fail "no summary: $(cat "$T/file.log")"
for size in 1000 2000 3000; do
	grep -Eq "stats: 127\.0\.0\.1:[0-9]+ <-> unix-connect:.*: [0-9]+\.[0-9]{3}s, $size bytes >, $size bytes <$" "$T/file.log" ||
	    fail "no line for the $size-byte connection: $(cat "$T/file.log")"
done
# Each line names the client's port.
while read -r p; do
	grep -q "stats: 127.0.0.1:$p <-> " "$T/file.log" || fail "no line for port $p"
done <"$T/conns.ready"
# A file log has the time and pid; stderr has nothing.
grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{3} ferry\[$RELAY\]: stats: " "$T/file.log" ||
    fail "file log format: $(head -n 2 "$T/file.log")"
[ ! -s "$T/relay.log" ] || fail "stderr not empty with -lf: $(cat "$T/relay.log")"

stop "$CONNS"
stop "$RELAY"

# --stats SEC: without being asked, every SEC seconds.
ferry_bg periodic --stats 0.1 tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/echo.sock"
P2=$FPID
ready periodic
twice() { [ "$(grep -c 'stats: 0 open, 0 accepted' "$T/periodic.log")" -ge 2 ]; }
wait_for twice
stop "$P2"

# Bad values: one line, exit 1.
ferry_run bad --stats nope - -
[ "$RC" -eq 1 ] || fail "--stats nope exited $RC"
expect_log bad "^ferry: --stats needs a number of seconds, not 'nope'$"
ferry_run badf -lf "$T/no/such/dir/x.log" - -
[ "$RC" -eq 1 ] || fail "-lf into a missing dir exited $RC"
expect_log badf "^ferry: -lf $T/no/such/dir/x.log: No such file or directory$"
