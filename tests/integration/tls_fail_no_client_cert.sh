#!/bin/sh
# A server with cafile= requires a client certificate: a client without
# one, or with one from another CA, fails with one line and a non-zero
# exit; the server logs each refusal and goes on serving.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_ca other
tls_server srv ca
tls_client cli ca
tls_client stranger other
printf 'hello, mutual\n' >"$T/in"

ferry_bg server "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key,cafile=$PKI/ca.pem" exec:cat
SERVER=$FPID
ready server
A="openssl:localhost:$PORT,cafile=$PKI/ca.pem"

# TLS 1.3: the server's alert comes after the client's handshake is done.
tls_run nocert "$T/in" - "$A"
[ "$RC" -ne 0 ] || fail "a client without a certificate was served"
[ ! -s "$T/nocert.out" ] || fail "a client without a certificate got data"
only_line "$T/nocert.log" "^ferry: openssl:localhost:$PORT,.*: TLS: tlsv13 alert certificate required$"

# TLS 1.2: the server refuses in the handshake.
tls_run nocert12 "$T/in" - "$A,max-version=TLSv1.2"
[ "$RC" -ne 0 ] || fail "a TLS 1.2 client without a certificate was served"
only_line "$T/nocert12.log" "^ferry: openssl:localhost:$PORT,.*: TLS: .*handshake failure$"

tls_run stranger "$T/in" - "$A,cert=$PKI/stranger.pem,key=$PKI/stranger.key"
[ "$RC" -ne 0 ] || fail "a client with another CA's certificate was served"
only_line "$T/stranger.log" "^ferry: openssl:localhost:$PORT,.*: TLS: .*alert unknown ca$"

# Writing 4 MB, the client meets the server's reset while it writes: the
# alert that came before the reset is still what it reports.
randfile "$T/big" 4194304
tls_run bulk "$T/big" - "$A,cert=$PKI/stranger.pem,key=$PKI/stranger.key"
[ "$RC" -ne 0 ] || fail "a client with another CA's certificate was served"
only_line "$T/bulk.log" "^ferry: openssl:localhost:$PORT,.*: TLS: .*alert unknown ca$"

wait_for test "$(grep -c 'TLS from' "$T/server.log")" -eq 4
[ "$(grep -c 'TLS from 127\.0\.0\.1:[0-9]*: peer did not return a certificate$' "$T/server.log")" -eq 2 ] ||
    fail "server log: $(cat "$T/server.log")"
expect_log server 'TLS from 127\.0\.0\.1:[0-9]+: certificate verify failed'

# Still serving.
tls_echo good - "$A,cert=$PKI/cli.pem,key=$PKI/cli.key"
stop "$SERVER"
