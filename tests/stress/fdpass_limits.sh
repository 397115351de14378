#!/bin/sh
# The fd-passing far peer enforces its per-session limits, and a peer that
# breaks one loses that session only: the hop and another session on it
# stay up (fdpass_fake.py checks that no ERROR or CLOSE reaches the other
# session and that the hop still answers PING).  Cases: one session more
# than max_sessions (256), a record past max_record (256 KiB, also the
# window: the far peer returns a fragment's credit at once, so it is the
# record limit, LIMIT, that the fake peer meets, not the credit), DATA
# beyond the window (256 KiB of credit, 4 MiB more sent at once to a
# target that reads nothing: the far peer must not buffer it), and FDS
# naming a channel not in use.  (Channels over max_channels, garbage and
# framing errors: tests/integration/fdpass_faults.sh.)  Afterwards the far
# peer is alive, its memory stayed bounded (VmHWM under 64 MiB, above its
# idle size under the sanitizers), and a real session through it works.
. "$TESTS_DIR/stress/lib.sh"

FAKE=$HELPERS/fdpass_fake.py
SPRING="$PYTHON $HELPERS/fdpass_spring.py"
mkdir "$T/far" "$T/near"
server target "unix:$T/far/target.sock" --mode cmd --status "$T/target.st"
ferry_bg far -d tcp-listen:0,fork,fdpass,bind=127.0.0.1 "unix-connect:$T/far/target.sock"
FAR=$FPID
ready far
FARPORT=$PORT
base=$(rss_base "$FAR")

for mode in sessions record credit fdsrule; do
	out=$(timeout -k 5 60 "$PYTHON" "$FAKE" "$mode" 127.0.0.1 "$FARPORT") ||
	    fail "$mode: $out"
	echo "$mode: $out"
	# ERROR LIMIT (4) or PROTOCOL (1)
	case $mode:$out in
	sessions:"session 4" | record:"session 4") ;;
	credit:"session 1" | fdsrule:"session 1") ;;
	*) fail "$mode: '$out'" ;;
	esac
	kill -0 "$FAR" || fail "$mode: the far peer died"
done
expect_log far "more than 256 sessions"
expect_log far "record larger"
expect_log far "beyond credit"
hwm=$(kib "$FAR" VmHWM)
echo "far peer VmHWM $hwm KiB (idle $base)"
[ $((hwm - base)) -lt 65536 ] || fail "the far peer's VmHWM reached $hwm KiB"

# Still serving real sessions, through a near peer, to a real server.
bg spring $SPRING server "$T/far/spring.sock" --ready "$T/spring.ready"
wait_for test -s "$T/spring.ready"
ferry_bg far2 tcp-listen:0,fork,fdpass,bind=127.0.0.1 "unix-connect:$T/far/spring.sock"
ready far2
ferry_bg near "unix-listen:$T/near/s.sock,fork,fdpass" "tcp:127.0.0.1:$PORT"
ready near
out=$(echo hi | timeout 30 $SPRING client "$T/near/s.sock" -- cat) || fail "a real session failed"
[ "$out" = hi ] || fail "a real session got '$out'"
grep -E "session [0-9]+( to [^ ]*)?: " "$T/far.log" | grep -Ev "open: |closed \(|hop lost|bytes in" || true
stop "$FAR"
