#!/bin/sh
# EMFILE on the fd-passing far peer: it runs with 64 fds, and 30 spring
# clients at once each pass their stdin, stdout and stderr through a near
# peer, to run cat over there.  Each session costs the far peer a dozen
# fds (the target connection, a stand-in for every fd passed), so most
# fail: each of those clients is told (its connection closes) and the far
# peer says it is out of fds once, not per session (-d would add a line
# per session, as for any connection).  The
# sessions it could make run to the end (exit 0) once their stdin closes,
# the hop stays up, the far peer's fds come back to what they were, and
# a new session works.
. "$TESTS_DIR/stress/lib.sh"

SPRING="$PYTHON $HELPERS/fdpass_spring.py"
N=30
mkdir "$T/far" "$T/near"
bg spring $SPRING server "$T/far/spring.sock" --ready "$T/spring.ready"
wait_for test -s "$T/spring.ready"
(
	ulimit -Hn 64 -Sn 64 || exit 77
	exec "$FERRY" --ready-file "$T/far.ready" \
	    tcp-listen:0,fork,fdpass,bind=127.0.0.1 \
	    "unix-connect:$T/far/spring.sock" </dev/null >/dev/null 2>"$T/far.log"
) &
FAR=$!
PIDS="$PIDS $FAR"
FERRY_LOGS="$FERRY_LOGS $T/far.log"
ready far
ferry_bg near "unix-listen:$T/near/s.sock,fork,fdpass,mode=0600" "tcp:127.0.0.1:$PORT"
ready near

session() {
	out=$(echo hi | timeout -k 5 30 $SPRING client "$T/near/s.sock" -- cat) ||
	    fail "$1: a session failed"
	[ "$out" = hi ] || fail "$1: a session got '$out'"
}
settled() {
	[ "$(nfds "$FAR")" -eq "$fds0" ]
}
session warm-up
fds0=$(nfds "$FAR")

# N clients whose stdin stays open until released (the test holds the
# fifo's only write side; the clients do not inherit it).
mkfifo "$T/stdin"
exec 3<>"$T/stdin"
i=0
CLIENTS=
while [ "$i" -lt "$N" ]; do
	timeout -k 5 100 $SPRING client "$T/near/s.sock" -- cat \
	    <"$T/stdin" >"$T/c$i.out" 2>"$T/c$i.err" 3>&- &
	CLIENTS="$CLIENTS $!"
	PIDS="$PIDS $!"
	i=$((i + 1))
done
WAIT=60 wait_for grep -q 'Too many open files' "$T/far.log"
exec 3>&-
ok=0 broken=0
i=0
for p in $CLIENTS; do
	WAIT=100 await "$p"
	# A refused client finds its connection closed: before the answer
	# (99), or while it still passes its fds (a Python exception).
	case $REAPED in
	0) ok=$((ok + 1)) ;;
	99) broken=$((broken + 1)) ;;
	1) grep -Eq '^(BrokenPipe|ConnectionReset)Error' "$T/c$i.err" ||
	    fail "client $i: $(cat "$T/c$i.err")"
	   broken=$((broken + 1)) ;;
	*) fail "client $i: exit $REAPED: $(cat "$T/c$i.err")" ;;
	esac
	i=$((i + 1))
done
echo "$N sessions at once: $ok ran, $broken refused"
[ "$ok" -ge 2 ] || fail "only $ok sessions ran"
[ "$broken" -ge 1 ] || fail "the far peer never ran out of fds"
kill -0 "$FAR" || fail "the far peer died"

n=$(grep -c 'Too many open files' "$T/far.log")
[ "$n" -eq 1 ] || fail "the shortage was logged $n times: $(grep 'Too many' "$T/far.log" | head -5)"
expect_log far 'out of fds'

WAIT=15 wait_for settled
session after
WAIT=15 wait_for settled
echo "the far peer holds $fds0 fds before and after"
stop "$FAR"
