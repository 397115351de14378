#!/bin/sh
# EXEC (no shell: words split by ferry, quotes kept together) and SYSTEM
# (/bin/sh -c): data both ways with sha256, half-close reaching the child
# as EOF, a missing command, a child that outlives its relay, and a forking
# listener with a child per connection, none left behind.
. "$TESTS_DIR/integration/lib.sh"

children_of() {
	grep -l "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null | wc -l
}

randfile "$T/in" $((4 * 1024 * 1024))

for a in exec:cat EXEC:cat "exec:'cat'" system:cat "SYSTEM:'cat -'"; do
	rm -f "$T/out"
	ferry_pipe cat "$T/in" "$T/out" - "$a"
	[ "$RC" -eq 0 ] || fail "$a: exit $RC"
	same "$T/in" "$T/out"
done

printf 'hello\n' >"$T/hello"
ferry_pipe tr "$T/hello" "$T/out" - "exec:'tr a-z A-Z'"
[ "$RC" -eq 0 ] || fail "exec:tr: exit $RC"
[ "$(cat "$T/out")" = HELLO ] || fail "exec:tr gave '$(cat "$T/out")'"

# No shell: the words are the arguments, quotes group, ',' and '!!' inside
# quotes are not address syntax, and $HOME is not expanded.
: >"$T/empty"
ferry_pipe words "$T/empty" "$T/out" - "exec:\"printf '<%s>' 'a b' c 'x,y' 'p!!q' \$HOME\""
[ "$RC" -eq 0 ] || fail "exec:printf: exit $RC"
[ "$(cat "$T/out")" = '<a b><c><x,y><p!!q><$HOME>' ] ||
	fail "exec:printf gave '$(cat "$T/out")'"
# SYSTEM has a shell.
ferry_pipe sys "$T/hello" "$T/out" - 'system:"echo $((6 * 7)); read l; echo got $l"'
[ "$RC" -eq 0 ] || fail "system: exit $RC"
[ "$(cat "$T/out")" = "42
got hello" ] || fail "system gave '$(cat "$T/out")'"

# The end of our input reaches the child as EOF: wc answers only then.
ferry_pipe wc "$T/in" "$T/out" - "exec:'wc -c'"
[ "$RC" -eq 0 ] || fail "exec:wc: exit $RC"
[ "$(tr -d ' ' <"$T/out")" = 4194304 ] || fail "exec:wc gave '$(cat "$T/out")'"

# A command that does not exist: one clear line, exit 1.
ferry_pipe missing "$T/hello" "$T/out" - "exec:/nonexistent/cmd -x"
[ "$RC" -eq 1 ] || fail "missing command: exit $RC"
expect_log missing "^ferry: exec:/nonexistent/cmd -x: /nonexistent/cmd: No such file or directory\$"
[ "$(wc -l <"$T/missing.log")" -eq 1 ] || fail "missing command: not one line"
# A name longer than a file name can be (glibc's execvp would read past
# its copy of it): refused before fork.
long=$(printf '%0300d' 0)
ferry_pipe long "$T/hello" "$T/out" - "exec:$long"
[ "$RC" -eq 1 ] || fail "300-byte command name: exit $RC"
expect_log long ": File name too long\$"
[ "$(wc -l <"$T/long.log")" -eq 1 ] || fail "300-byte command name: not one line"
ferry_pipe unterminated "$T/hello" "$T/out" - "exec:\"printf 'x\""
[ "$RC" -eq 1 ] || fail "unterminated quote: exit $RC"
expect_log unterminated "unterminated ' quote"

# A child that never ends is stopped when its relay ends (-t), not left
# running after ferry exits.
ferry_pipe sleeper "$T/hello" "$T/out" -dd -t 0.2 - "exec:'sleep 1000'"
[ "$RC" -eq 0 ] || fail "exec:sleep with -t: exit $RC"
pid=$(sed -n 's/.*started child \([0-9]*\): sleep.*/\1/p' "$T/sleeper.log")
[ -n "$pid" ] || fail "no 'started child' line: $(cat "$T/sleeper.log")"
if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q '^sleep 1000'; then
	fail "child $pid (sleep 1000) outlived ferry"
fi

# A child per connection behind a forking listener, 20 clients at once.
ferry_bg relay tcp-listen:0,fork,bind=127.0.0.1 "exec:'cat -n'"
RELAY=$FPID
ready relay
seq 1 1000 >"$T/lines"
seq 1 1000 | awk '{ printf "%6d\t%d\n", NR, $1 }' >"$T/numbered"
i=0
pids=""
while [ $i -lt 20 ]; do
	(ferry_pipe "c$i" "$T/lines" "$T/c$i" - "tcp:127.0.0.1:$PORT"; exit "$RC") &
	pids="$pids $!"
	PIDS="$PIDS $!"
	FERRY_LOGS="$FERRY_LOGS $T/c$i.log"
	i=$((i + 1))
done
for p in $pids; do
	await "$p"
	[ "$REAPED" -eq 0 ] || fail "a client of exec:'cat -n' exited $REAPED"
done
i=0
while [ $i -lt 20 ]; do
	same "$T/numbered" "$T/c$i"
	i=$((i + 1))
done
# Every cat has ended and been reaped: no children, no zombies.
no_children() {
	[ "$(children_of "$RELAY")" -eq 0 ]
}
wait_for no_children
stop "$RELAY"
[ "$REAPED" -eq 143 ] || fail "relay: SIGTERM exit status $REAPED"
