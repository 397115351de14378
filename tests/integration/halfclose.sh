#!/bin/sh
# Half-close: a client sends, shuts down its write side, and only then gets
# the server's answer (peer.py halfclose answers at EOF with the byte count
# and sha256 of what it got).  Through a TCP->UNIX relay with a Python
# client, with ferry itself as the client, and through EXEC.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/in" $((3 * 1024 * 1024 + 7))
want="got $(wc -c <"$T/in" | tr -d ' ') bytes sha256 $(sha "$T/in")"
bg hc "$PYTHON" "$HELPERS/peer.py" halfclose "unix:$T/hc.sock" --ready "$T/hc.ready"
wait_for test -s "$T/hc.ready"

ferry_bg relay -d tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/hc.sock"
RELAY=$FPID
ready relay

# A Python client through TCP -> ferry -> UNIX.
"$PYTHON" "$HELPERS/client.py" send "tcp:127.0.0.1:$PORT" --in "$T/in" --out "$T/answer" --timeout 30 ||
	fail "python client through the relay failed"
[ "$(cat "$T/answer")" = "$want" ] || fail "through the relay: got '$(cat "$T/answer")', want '$want'"

# Nothing sent at all: shut down at once, still answered.
: >"$T/empty"
"$PYTHON" "$HELPERS/client.py" send "tcp:127.0.0.1:$PORT" --in "$T/empty" --out "$T/answer" --timeout 30 ||
	fail "python client sending nothing failed"
[ "$(cat "$T/answer")" = "got 0 bytes sha256 $(sha "$T/empty")" ] ||
	fail "empty request: got '$(cat "$T/answer")'"

# ferry as the client, straight to the server and through the relay.
for a in "unix-connect:$T/hc.sock" "tcp:127.0.0.1:$PORT"; do
	ferry_pipe client "$T/in" "$T/answer" - "$a"
	[ "$RC" -eq 0 ] || fail "ferry - $a: exit $RC"
	[ "$(cat "$T/answer")" = "$want" ] || fail "ferry - $a: got '$(cat "$T/answer")'"
done

# The relay saw every byte each way, and called it a normal close.
logged() {
	[ "$(grep -c 'closed, ' "$T/relay.log")" -eq 3 ]
}
wait_for logged
n=$(grep -c "closed, $(wc -c <"$T/in" | tr -d ' ') bytes >, $((${#want} + 1)) bytes <" "$T/relay.log")
[ "$n" -eq 2 ] || fail "relay log: $(cat "$T/relay.log")"
stop "$RELAY"

# EXEC: the child sees EOF on its stdin and answers after it.
ferry_pipe exec "$T/in" "$T/answer" - "system:'wc -c; echo done'"
[ "$RC" -eq 0 ] || fail "system:wc: exit $RC"
[ "$(tr -d ' ' <"$T/answer")" = "$(wc -c <"$T/in" | tr -d ' ')
done" ] || fail "system:wc answered '$(cat "$T/answer")'"

# The other way round: the server sends everything and shuts down its
# write side first; the client's direction keeps flowing to its end.
randfile "$T/reply" $((2 * 1024 * 1024))
bg first "$PYTHON" "$HELPERS/peer.py" first "unix:$T/first.sock" --ready "$T/first.ready" \
    --out "$T/reply" --status "$T/first.status"
FIRST=$BGPID
wait_for test -s "$T/first.ready"
ferry_bg relay2 tcp-listen:0,bind=127.0.0.1 "unix-connect:$T/first.sock"
RELAY=$FPID
ready relay2
ferry_pipe client2 "$T/in" "$T/out" - "tcp:127.0.0.1:$PORT"
[ "$RC" -eq 0 ] || fail "server shuts down first: client exit $RC"
same "$T/reply" "$T/out"
await "$FIRST"
[ "$(cat "$T/first.status")" = "$want" ] || fail "server shuts down first: server $(cat "$T/first.status")"
await "$RELAY"
[ "$REAPED" -eq 0 ] || fail "relay exited $REAPED"
