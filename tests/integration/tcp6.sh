#!/bin/sh
# IPv6: TCP6-LISTEN (and TCP6-L) bound to [::1]; TCP6, TCP6-CONNECT and TCP
# with [::1] literals; a dual-stack TCP-LISTEN reached over both families;
# -4/-6 and pf=; bind= with a [v6]:port; the ready file's [v6]:port form.
# Skipped (77) where ::1 is unavailable.
. "$TESTS_DIR/integration/lib.sh"

"$PYTHON" -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0)); s.listen(1)' 2>/dev/null ||
	skip "no IPv6 loopback (::1)"

randfile "$T/in" $((4 * 1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# TCP6 listeners on ::1 (bind= with and without brackets).
i=0
for l in "tcp6-listen:0,bind=::1" "TCP6-L:0,bind=[::1]" "tcp-listen:0,bind=[::1]"; do
	for c in tcp6 TCP6-CONNECT tcp tcp-connect; do
		i=$((i + 1))
		ferry_bg "l$i" "$l" "unix-connect:$T/echo.sock"
		L=$FPID
		ready "l$i"
		[ "$ADDR" = "[::1]:$PORT" ] || fail "$l: ready file says '$ADDR'"
		ferry_pipe "c$i" "$T/in" "$T/out" - "$c:[::1]:$PORT"
		[ "$RC" -eq 0 ] || fail "$l <- $c:[::1]: exit $RC"
		same "$T/in" "$T/out"
		await "$L"
		[ "$REAPED" -eq 0 ] || fail "$l: exit $REAPED"
	done
done

# A dual-stack listener: reached from 127.0.0.1 and from ::1, the log
# naming each peer's family.
ferry_bg dual -dd tcp-listen:0,fork "unix-connect:$T/echo.sock"
D=$FPID
ready dual
case $ADDR in "[::]:"*) ;; *) fail "tcp-listen:0 listens on '$ADDR', expected [::]:PORT" ;; esac
ferry_pipe d4 "$T/in" "$T/out" - "tcp4:127.0.0.1:$PORT"
[ "$RC" -eq 0 ] || fail "tcp4 to the dual-stack listener: exit $RC"
same "$T/in" "$T/out"
ferry_pipe d6 "$T/in" "$T/out" - "tcp6:[::1]:$PORT"
[ "$RC" -eq 0 ] || fail "tcp6 to the dual-stack listener: exit $RC"
same "$T/in" "$T/out"
wait_for grep -q 'connection from \[::1\]:[0-9]' "$T/dual.log"
wait_for grep -Eq 'connection from (\[::ffff:)?127\.0\.0\.1\]?:[0-9]' "$T/dual.log"
# A v6 client bound to a fixed [::1]:port.
cport=$("$PYTHON" -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0)); print(s.getsockname()[1])')
ferry_pipe b6 "$T/in" "$T/out" - "tcp6:[::1]:$PORT,bind=[::1]:$cport"
[ "$RC" -eq 0 ] || fail "bind=[::1]:$cport: exit $RC"
same "$T/in" "$T/out"
wait_for grep -q "connection from \\[::1\\]:$cport\$" "$T/dual.log"
stop "$D"

# TCP4 and TCP6 say no to the other family's literals.
ferry_pipe wrong6 "$T/in" "$T/out" - "tcp4:[::1]:1"
[ "$RC" -eq 1 ] || fail "tcp4:[::1]: exit $RC"
ferry_pipe wrong4 "$T/in" "$T/out" - "tcp6:127.0.0.1:1"
[ "$RC" -eq 1 ] || fail "tcp6:127.0.0.1: exit $RC"
ferry_run pf - "tcp6:[::1]:1,pf=ip4" </dev/null
[ "$RC" -eq 1 ] || fail "tcp6 with pf=ip4: exit $RC"
expect_log pf "pf=ip4 contradicts"

# -6 and pf=ip6 on a plain TCP-LISTEN: it listens on IPv6 only.
for f in "-6 tcp-listen:0" "tcp-listen:0,pf=ip6"; do
	# shellcheck disable=SC2086
	ferry_bg six $f "unix-connect:$T/echo.sock"
	S=$FPID
	ready six
	case $ADDR in "["*"]:"*) ;; *) fail "$f listens on '$ADDR'" ;; esac
	ferry_pipe s6 "$T/in" "$T/out" - "tcp:[::1]:$PORT"
	[ "$RC" -eq 0 ] || fail "$f: client exit $RC"
	same "$T/in" "$T/out"
	await "$S"
done
# -4: IPv4 only.
ferry_bg four -4 tcp-listen:0 "unix-connect:$T/echo.sock"
S=$FPID
ready four
[ "$ADDR" = "0.0.0.0:$PORT" ] || fail "-4 tcp-listen:0 listens on '$ADDR'"
ferry_pipe f4 "$T/in" "$T/out" - "tcp:127.0.0.1:$PORT"
[ "$RC" -eq 0 ] || fail "-4: client exit $RC"
same "$T/in" "$T/out"
await "$S"
