#!/bin/sh
# READLINE under tmux: ferry readline tcp:... in a pane of a fixed size,
# driven with send-keys.  Typed lines reach the server with a "\n" each,
# after editing with Left and Backspace; Up recalls history, also from a
# history= file a previous run saved; the prompt and the echo of what is
# typed are on the screen (capture-pane), and what the server sends back
# is printed above the prompt.  ^D ends the input: the server reads EOF.
. "$TESTS_DIR/integration/lib.sh"

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
"$FERRY" help kinds | grep -q '^  READLINE' || skip "no READLINE kind"
if "$FERRY" -d readline pipe </dev/null 2>&1 | grep -q 'without libedit'; then
	skip "built without libedit: READLINE reads plain lines"
fi

TMUX_SOCK=$T/tmux.sock
tm() {
	tmux -S "$TMUX_SOCK" "$@"
}
# The tmux server goes first when the test ends.
AT_EXIT='tmux -S "$TMUX_SOCK" kill-server 2>/dev/null'

# screen REGEX: the pane shows a line matching REGEX (capture-pane drops
# trailing spaces: a bare prompt is "> ?$").
screen() {
	tm capture-pane -p -t ferry | grep -Eq -- "$1"
}
# current REGEX: the last line shown (the one being edited) matches.
current() {
	tm capture-pane -p -t ferry | grep -v '^$' | tail -n 1 | grep -Eq -- "$1"
}

# run_ferry NAME ARGS...: ferry in a new 80x24 tmux session; its pid in
# $T/NAME.pid, stderr in $T/NAME.log.
run_ferry() {
	_n=$1; shift
	FERRY_LOGS="$FERRY_LOGS $T/$_n.log"
	tm -f /dev/null new-session -d -s ferry -x 80 -y 24 \
	    "echo \$\$ >'$T/$_n.pid'; exec '$FERRY' -d $* 2>'$T/$_n.log'"
	wait_for test -s "$T/$_n.pid"
	FERRY_PID=$(cat "$T/$_n.pid")
	wait_for raw
}

# raw: the pane's terminal is out of canonical mode, so the line editor
# reads the keys (before that the terminal itself would echo and hold
# them, and a ^D would be lost when ferry switches it).
raw() {
	stty -a -F "$(tm display -p -t ferry '#{pane_tty}')" | grep -q -- '-icanon'
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

# 1. Lines into a sink, edited on the way.
bg sink "$PYTHON" "$HELPERS/peer.py" sink tcp:127.0.0.1:0 --ready "$T/sink.ready" --out "$T/got"
SINK=$BGPID
wait_for test -s "$T/sink.ready"
run_ferry rl1 "readline,prompt='ferry> ',history=$T/hist" "tcp:$(cat "$T/sink.ready")"
wait_for current '^ferry> ?$'
tm send-keys -t ferry 'hello world' Enter
wait_for screen '^ferry> hello world$'
# "abc", two Left, Backspace (the a), X: "Xbc".
tm send-keys -t ferry 'abc' Left Left BSpace X Enter
wait_for screen '^ferry> Xbc$'
# Up twice recalls "hello world"; " again" at its end, Enter.
tm send-keys -t ferry Up Up
wait_for current '^ferry> hello world$'
tm send-keys -t ferry ' again' Enter
wait_for screen '^ferry> hello world again$'
wait_for current '^ferry> ?$'
tm send-keys -t ferry C-d
await "$SINK"
printf 'hello world\nXbc\nhello world again\n' >"$T/want"
same "$T/want" "$T/got"
wait_for gone "$FERRY_PID"
expect_log rl1 'closed, 34 bytes >, 0 bytes <'
grep -q 'hello.040world.040again' "$T/hist" || fail "history file lacks the last line: $(cat "$T/hist")"
tm kill-server 2>/dev/null || true

# 2. An echo server: its answers are printed above the prompt, and the
# history of run 1 is there (Up).
bg echo "$PYTHON" "$HELPERS/peer.py" echo tcp:127.0.0.1:0 --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
run_ferry rl2 "readline,prompt='> ',history=$T/hist" "tcp:$(cat "$T/echo.ready")"
wait_for current '^> ?$'
tm send-keys -t ferry 'ping' Enter
wait_for screen '^ping$'
wait_for current '^> ?$'
tm send-keys -t ferry Up
wait_for current '^> ping$'
tm send-keys -t ferry Up
wait_for current '^> hello world again$'
tm send-keys -t ferry Enter
wait_for screen '^hello world again$'
wait_for current '^> ?$'
tm capture-pane -p -t ferry >"$T/pane"
# The prompt is never left in the middle of an answer.
if grep -Eq '.> |> .*ping.*ping' "$T/pane"; then
	fail "output clobbered the prompt: $(cat "$T/pane")"
fi
tm send-keys -t ferry C-d
wait_for gone "$FERRY_PID"
expect_log rl2 'closed, 23 bytes >, 23 bytes <'
tm kill-server 2>/dev/null || true

# 3. Seed 003: ferry readline udp4:127.0.0.1:PORT, a UDP echo server;
# the answers are counted in the log (the typed lines look the same); ^D
# ends it once the server has been quiet for -t (0.5 s).
bg udpecho "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    d, a = s.recvfrom(65536)
    s.sendto(d, a)
' "$T/udp.port"
wait_for test -s "$T/udp.port"
run_ferry rl3 readline "udp4:127.0.0.1:$(cat "$T/udp.port")"
tm send-keys -t ferry 'hello' Enter
wait_for screen '^hello$'
tm send-keys -t ferry 'hello again' Enter
wait_for screen '^hello again$'
tm send-keys -t ferry C-d
wait_for gone "$FERRY_PID"
expect_log rl3 '2 records \(18 bytes\) >, 2 records \(18 bytes\) <'
tm kill-server 2>/dev/null || true

# 4. Without a terminal, READLINE reads plain lines (said at -d).
printf 'one\ntwo\n' >"$T/lines"
bg sink2 "$PYTHON" "$HELPERS/peer.py" sink tcp:127.0.0.1:0 --ready "$T/sink2.ready" --out "$T/got2"
SINK2=$BGPID
wait_for test -s "$T/sink2.ready"
ferry_run notty -d readline "tcp:$(cat "$T/sink2.ready")" <"$T/lines"
[ "$RC" -eq 0 ] || fail "readline without a terminal: exit $RC"
await "$SINK2"
same "$T/lines" "$T/got2"
expect_log notty 'not a terminal: plain lines'
