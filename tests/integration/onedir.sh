#!/bin/sh
# -u and -U, one direction only: "ferry -u OPEN:big TCP:host:port"
# transfers a file to a TCP sink, "-U CREATE:file TCP:..." fetches one from
# a TCP source (sha256 checked); with an echo server, -u sends but nothing
# comes back; -U takes only a source's bytes, none of stdin's; and a
# command ferry only reads from (-U) gets EOF on its input rather than
# waiting for ever.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/big" $((64 * 1024 * 1024 + 17))

# -u OPEN:big TCP:127.0.0.1:PORT into a sink.
bg sink "$PYTHON" "$HELPERS/peer.py" sink "tcp:127.0.0.1:0" --ready "$T/sink.ready" --out "$T/sunk"
SINK=$BGPID
wait_for test -s "$T/sink.ready"
port=$(sed 's/.*://' "$T/sink.ready")
ferry_run up -u "OPEN:$T/big" "TCP:127.0.0.1:$port"
[ "$RC" -eq 0 ] || fail "-u OPEN: TCP:: exit $RC"
await "$SINK"
same "$T/big" "$T/sunk"

# -U CREATE:file TCP:127.0.0.1:PORT from a source.
bg source "$PYTHON" "$HELPERS/peer.py" source "tcp:127.0.0.1:0" --ready "$T/src.ready" --out "$T/big"
SRC=$BGPID
wait_for test -s "$T/src.ready"
port=$(sed 's/.*://' "$T/src.ready")
ferry_run down -U "CREATE:$T/fetched" "TCP:127.0.0.1:$port"
[ "$RC" -eq 0 ] || fail "-U CREATE: TCP:: exit $RC"
await "$SRC"
same "$T/big" "$T/fetched"

# -u through a TCP listener into a file: ferry tcp-listen:0 create:...
ferry_bg recv -u tcp-listen:0,bind=127.0.0.1 "create:$T/received"
R=$FPID
ready recv
ferry_run send -u "open:$T/big" "tcp:127.0.0.1:$PORT"
[ "$RC" -eq 0 ] || fail "sender: exit $RC"
await "$R"
[ "$REAPED" -eq 0 ] || fail "receiver: exit $REAPED"
same "$T/big" "$T/received"

# With an echo server: -u sends and reads nothing back.  (Little data: an
# echo server that nobody reads from stops reading too.)
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
randfile "$T/in" 20000
ferry_pipe u "$T/in" "$T/out" -d -u - "unix-connect:$T/echo.sock"
[ "$RC" -eq 0 ] || fail "-u - echo: exit $RC"
[ ! -s "$T/out" ] || fail "-u: $(wc -c <"$T/out") bytes came back"
expect_log u "closed, 20000 bytes >, 0 bytes <"
# -U from a source: only the source's bytes, into stdout.
bg source2 "$PYTHON" "$HELPERS/peer.py" source "unix:$T/src2.sock" --ready "$T/src2.ready" --out "$T/in"
wait_for test -s "$T/src2.ready"
ferry_pipe U2 "$T/big" "$T/out" -U - "unix-connect:$T/src2.sock"
[ "$RC" -eq 0 ] || fail "-U - source: exit $RC"
same "$T/in" "$T/out"

# A command that is only read from gets EOF on its input at once (socat
# hands it socat's own stdin instead; ferry gives it a socketpair, which
# must then be shut down, or the command waits for ever).
RUN_TIMEOUT=20 ferry_pipe wc "$T/in" "$T/out" -U - "exec:'wc -c'"
[ "$RC" -eq 0 ] || fail "-U - exec:'wc -c': exit $RC"
[ "$(tr -d ' ' <"$T/out")" = 0 ] || fail "-U - exec:'wc -c' said '$(cat "$T/out")'"
