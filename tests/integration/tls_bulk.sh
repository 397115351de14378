#!/bin/sh
# 100 MB each way at once through TLS: a ferry client (stdin from a pipe,
# stdout to a file) to a ferry OPENSSL-LISTEN server relaying to an echo
# server on a UNIX socket; sha256 checked.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
randfile "$T/in" $((100 * 1024 * 1024))

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
ferry_bg server -d "openssl-listen:0,bind=127.0.0.1,cert=$PKI/srv.pem,key=$PKI/srv.key" "unix-connect:$T/echo.sock"
SERVER=$FPID
ready server

WAIT=180
tls_run client "$T/in" - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
[ "$RC" -eq 0 ] || fail "client exited $RC: $(cat "$T/client.log")"
same "$T/in" "$T/client.out"
await "$SERVER"
[ "$REAPED" -eq 0 ] || fail "server exited $REAPED"
expect_log server 'closed, 104857600 bytes >, 104857600 bytes <'
