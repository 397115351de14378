#!/bin/sh
# max-children=N: N connections are served at once; one more is accepted
# and closed at once (the log says why), without disturbing the N; when one
# of them ends, a new connection is served again.
. "$TESTS_DIR/integration/lib.sh"

CLIENT="$HELPERS/client.py"
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

for l in "tcp-listen:0,fork,bind=127.0.0.1,max-children=2" "unix-listen:$T/m.sock,fork,max-children=2"; do
	rm -f "$T/h1.ready" "$T/h2.ready" "$T/h1.eof" "$T/h2.eof"
	ferry_bg relay "$l" "unix-connect:$T/echo.sock"
	R=$FPID
	ready relay
	case $l in
	tcp*) A="tcp:127.0.0.1:$PORT" ;;
	*) A="unix:$T/m.sock" ;;
	esac
	bg h1 "$PYTHON" "$CLIENT" hold "$A" --ready "$T/h1.ready" --out "$T/h1.eof"
	H1=$BGPID
	bg h2 "$PYTHON" "$CLIENT" hold "$A" --ready "$T/h2.ready" --out "$T/h2.eof"
	H2=$BGPID
	wait_for test -s "$T/h1.ready"
	wait_for test -s "$T/h2.ready"

	# The third is refused: closed without an answer.
	rc=0
	"$PYTHON" "$CLIENT" probe "$A" --timeout 10 || rc=$?
	[ "$rc" -eq 3 ] || fail "$l: a third connection gave $rc, expected refusal (3)"
	expect_log relay "2 connections already \\(max-children\\), refusing"
	# Refusals come and go without touching the two held connections.
	i=0
	while [ $i -lt 20 ]; do
		rc=0
		"$PYTHON" "$CLIENT" probe "$A" --timeout 10 || rc=$?
		[ "$rc" -eq 3 ] || fail "$l: refusal $i gave $rc"
		i=$((i + 1))
	done
	[ ! -e "$T/h1.eof" ] && [ ! -e "$T/h2.eof" ] || fail "$l: a held connection was closed"
	kill -0 "$R" || fail "$l: ferry died"

	# One ends: there is room again (the slot frees when ferry has seen
	# the close, so poll).
	stop "$H1"
	WAIT=10 wait_for "$PYTHON" "$CLIENT" probe "$A" --timeout 10
	stop "$H2"
	stop "$R"
	[ "$REAPED" -eq 143 ] || fail "$l: SIGTERM exit status $REAPED"
done

# A value that is not a number is an error.
ferry_run bad "tcp-listen:0,fork,max-children=x" "unix-connect:$T/echo.sock"
[ "$RC" -eq 1 ] || fail "max-children=x: exit $RC"
expect_log bad "option 'max-children' needs a whole number"
