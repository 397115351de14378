#!/bin/sh
# ferry to ferry over TLS, verified against a CA made here: by host name
# and by IP address, TLS 1.3 and 1.2, through each alias of the kinds.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
printf 'hello over tls\n' >"$T/in"

ferry_bg server -d "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key" exec:cat
SERVER=$FPID
ready server

tls_echo byname -d - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
expect_log byname 'TLS with .*: TLSv1\.3, peer /CN=localhost$'
tls_echo byip -d - "openssl-connect:127.0.0.1:$PORT,cafile=$PKI/ca.pem"
tls_echo tls12 -d - "ssl:localhost:$PORT,cafile=$PKI/ca.pem,max-version=TLSv1.2"
expect_log tls12 'TLS with .*: TLSv1\.2, peer /CN=localhost$'
tls_echo tls13 -d - "ssl:localhost:$PORT,cafile=$PKI/ca.pem,min-version=TLSv1.3"
expect_log tls13 'TLS with .*: TLSv1\.3, peer'
# The tls option on a plain TCP address is the same client.
tls_echo tcptls -d - "tcp:localhost:$PORT,tls,cafile=$PKI/ca.pem"

n=$(grep -c 'exec:cat: closed, 15 bytes >, 15 bytes <' "$T/server.log" || true)
[ "$n" -eq 5 ] || fail "server logged $n connections, expected 5"
if grep -q 'TLS from' "$T/server.log"; then
	fail "server logged a TLS failure: $(cat "$T/server.log")"
fi
stop "$SERVER"

# The aliases of the listener, without fork: one connection, then exit 0.
ferry_bg server2 "ssl-l:0,bind=127.0.0.1,cert=$PKI/srv.pem,key=$PKI/srv.key" exec:cat
SERVER=$FPID
ready server2
tls_echo alias -d - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
await "$SERVER"
[ "$REAPED" -eq 0 ] || fail "one-shot server exited $REAPED"
