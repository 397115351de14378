#!/bin/sh
# Mutual TLS between two ferries: the server with cafile= requires a
# client certificate, verifies it, and logs the peer's subject at -d.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
tls_client cli ca ferry-client-1
printf 'hello, mutual\n' >"$T/in"

ferry_bg server -d "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key,cafile=$PKI/ca.pem" exec:cat
SERVER=$FPID
ready server

tls_echo client -d - "openssl:localhost:$PORT,cafile=$PKI/ca.pem,cert=$PKI/cli.pem,key=$PKI/cli.key"
wait_for grep -q 'exec:cat: closed' "$T/server.log"
expect_log server "TLS with 127\.0\.0\.1:[0-9]+: TLSv1\.3, peer /CN=ferry-client-1$"
expect_log client 'TLS with .*: TLSv1\.3, peer /CN=localhost$'
# TLS 1.2 asks for the certificate in the handshake itself.
tls_echo client12 -d - "openssl:localhost:$PORT,cafile=$PKI/ca.pem,cert=$PKI/cli.pem,key=$PKI/cli.key,max-version=TLSv1.2"
wait_for test "$(grep -c 'peer /CN=ferry-client-1$' "$T/server.log")" -eq 2
expect_log server 'TLS with 127\.0\.0\.1:[0-9]+: TLSv1\.2, peer /CN=ferry-client-1$'
stop "$SERVER"
