#!/bin/sh
# TLS over a UNIX socket: unix-listen:...,fork,tls with a certificate,
# unix-connect:...,tls,commonname=localhost verifying it; the name is
# checked (commonname= of another name fails); a plain client is refused.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
printf 'hello over a unix socket\n' >"$T/in"

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
ferry_bg server -d "unix-listen:$T/tls.sock,fork,tls,cert=$PKI/srv.pem,key=$PKI/srv.key" "unix-connect:$T/echo.sock"
SERVER=$FPID
ready server
[ "$ADDR" = "$T/tls.sock" ] || fail "ready file says $ADDR"

tls_echo client -d - "unix-connect:$T/tls.sock,tls,commonname=localhost,cafile=$PKI/ca.pem"
expect_log client 'TLS with .*: TLSv1\.3, peer /CN=localhost$'
tls_echo unix - "unix:$T/tls.sock,tls,commonname=localhost,cafile=$PKI/ca.pem"

tls_run wrongname "$T/in" - "unix-connect:$T/tls.sock,tls,commonname=example.test,cafile=$PKI/ca.pem"
[ "$RC" -eq 1 ] || fail "wrong commonname: exit $RC"
only_line "$T/wrongname.log" '^ferry: unix-connect:.*: TLS: hostname mismatch: expected example\.test, got localhost$'

# A plain client speaks no TLS: the server logs it and drops it.
tls_run plain "$T/in" - "unix-connect:$T/tls.sock"
wait_for grep -q 'TLS from' "$T/server.log"
[ ! -s "$T/plain.out" ] || fail "a plain client got: $(cat "$T/plain.out")"
tls_echo after - "unix-connect:$T/tls.sock,tls,commonname=localhost,cafile=$PKI/ca.pem"
n=$(grep -c 'echo.sock: closed, 25 bytes >, 25 bytes <' "$T/server.log" || true)
[ "$n" -eq 3 ] || fail "server logged $n relayed connections, expected 3"
stop "$SERVER"
