#!/bin/sh
# openssl s_client to a ferry OPENSSL-LISTEN server that relays to an
# echo server on a UNIX socket: s_client verifies ferry's chain and host
# name, its line comes back, and ferry logs the connection.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
ferry_bg server -d "openssl-listen:0,bind=127.0.0.1,cert=$PKI/srv.pem,key=$PKI/srv.key" "unix-connect:$T/echo.sock"
SERVER=$FPID
ready server

# s_client reads a fifo held open until the answer is in, then sees EOF.
# (Opened read-write first, so that neither open blocks.)
mkfifo "$T/sc.in"
exec 3<>"$T/sc.in"
openssl s_client -connect "127.0.0.1:$PORT" -servername localhost \
    -CAfile "$PKI/ca.pem" -verify_return_error -verify_hostname localhost \
    -quiet -no_ign_eof <"$T/sc.in" >"$T/s_client.log" 2>&1 3>&- &
SC=$!
PIDS="$PIDS $SC"
printf 'hello from s_client\n' >&3
wait_for grep -q '^hello from s_client$' "$T/s_client.log"
exec 3>&-
await "$SC"
[ "$REAPED" -eq 0 ] || fail "s_client exited $REAPED: $(cat "$T/s_client.log")"
grep -q '^verify return:1$' "$T/s_client.log" || fail "s_client did not verify"
if grep -Eiq 'error|verify return:0' "$T/s_client.log"; then
	fail "s_client: $(cat "$T/s_client.log")"
fi

# Without fork ferry serves the one connection and exits 0.
await "$SERVER"
[ "$REAPED" -eq 0 ] || fail "server exited $REAPED"
expect_log server 'closed, 20 bytes >, 20 bytes <'
