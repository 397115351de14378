#!/bin/sh
# TCP-LISTEN, TCP4-LISTEN and their -L aliases; TCP-CONNECT, TCP, TCP4 and
# TCP4-CONNECT by address and by name; bind (the peer sees the source
# address), nodelay, keepalive, reuseaddr, backlog; a refused connect.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/in" $((4 * 1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# Every listening kind, without fork: one connection each, then exit 0.
i=0
for l in tcp-listen TCP-LISTEN tcp-l TCP4-LISTEN tcp4-l; do
	for c in tcp-connect TCP tcp4 TCP4-CONNECT; do
		i=$((i + 1))
		ferry_bg "l$i" "$l:0,bind=127.0.0.1" "unix-connect:$T/echo.sock"
		L=$FPID
		ready "l$i"
		[ "$ADDR" = "127.0.0.1:$PORT" ] || fail "$l: ready file says '$ADDR'"
		rm -f "$T/out"
		ferry_pipe "c$i" "$T/in" "$T/out" - "$c:127.0.0.1:$PORT"
		[ "$RC" -eq 0 ] || fail "$l <- $c: client exit $RC"
		same "$T/in" "$T/out"
		await "$L"
		[ "$REAPED" -eq 0 ] || fail "$l <- $c: listener exit $REAPED"
	done
done

# By name, and with every TCP option there is, on a forking listener
# whose -dd log shows where each connection came from.
ferry_bg relay -dd "tcp4-listen:0,fork,bind=127.0.0.1,reuseaddr,backlog=64,nodelay,keepalive" \
    "unix-connect:$T/echo.sock"
RELAY=$FPID
ready relay
ferry_pipe byname "$T/in" "$T/out" - "tcp:localhost:$PORT,nodelay,keepalive=1,reuseaddr"
[ "$RC" -eq 0 ] || fail "tcp:localhost: exit $RC"
same "$T/in" "$T/out"
# bind= on the client: the listener sees the connection from 127.0.0.2.
if "$PYTHON" -c 'import socket; socket.socket().bind(("127.0.0.2", 0))' 2>/dev/null; then
	ferry_pipe bound "$T/in" "$T/out" - "tcp:127.0.0.1:$PORT,bind=127.0.0.2"
	[ "$RC" -eq 0 ] || fail "bind=127.0.0.2: exit $RC"
	same "$T/in" "$T/out"
	wait_for grep -q 'connection from 127\.0\.0\.2:' "$T/relay.log"
fi
# A client bound to a fixed port: the listener sees that port.
cport=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'fixed port\n' >"$T/small"
ferry_pipe fixed "$T/small" "$T/out" - "tcp4:127.0.0.1:$PORT,bind=127.0.0.1:$cport"
[ "$RC" -eq 0 ] || fail "bind=127.0.0.1:$cport: exit $RC"
same "$T/small" "$T/out"
wait_for grep -q "connection from 127\\.0\\.0\\.1:$cport\$" "$T/relay.log"
stop "$RELAY"
[ "$REAPED" -eq 143 ] || fail "relay: SIGTERM exit status $REAPED"

# A refused connect: a port that is bound but not listening.
bg closed "$PYTHON" "$HELPERS/peer.py" echo "tcp:127.0.0.1:0" --ready "$T/closed.ready" --defer
CLOSED=$BGPID
wait_for test -s "$T/closed.ready"
cport=$(sed 's/.*://' "$T/closed.ready")
ferry_pipe refused "$T/small" "$T/out" - "tcp:127.0.0.1:$cport"
[ "$RC" -eq 1 ] || fail "refused connect: exit $RC"
expect_log refused "^ferry: tcp:127\\.0\\.0\\.1:$cport: connect: Connection refused"
[ "$(wc -l <"$T/refused.log")" -eq 1 ] || fail "refused connect: not one line: $(cat "$T/refused.log")"
[ ! -s "$T/out" ] || fail "refused connect wrote to stdout"
stop "$CLOSED"

# A port in use by another listener: a clear error, exit 1.
ferry_bg busy "tcp4-listen:0,bind=127.0.0.1,fork" "unix-connect:$T/echo.sock"
BUSY=$FPID
ready busy
ferry_run inuse "tcp4-listen:$PORT,bind=127.0.0.1" "unix-connect:$T/echo.sock"
[ "$RC" -eq 1 ] || fail "listen on a used port: exit $RC"
expect_log inuse "Address already in use"
stop "$BUSY"
