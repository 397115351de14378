#!/bin/sh
# A server certificate the client cannot trust: signed by a CA other than
# cafile=, or self-signed: one line with OpenSSL's reason, exit 1, no
# data; the server logs the client's alert and keeps serving.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_ca other
tls_server srv ca
tls_selfsigned self localhost "DNS:localhost"
printf 'hello\n' >"$T/in"

ferry_bg server "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key" exec:cat
SERVER=$FPID
ready server

tls_run otherca "$T/in" - "openssl:localhost:$PORT,cafile=$PKI/other.pem"
[ "$RC" -eq 1 ] || fail "other CA: exit $RC"
[ ! -s "$T/otherca.out" ] || fail "other CA: got data"
only_line "$T/otherca.log" "^ferry: openssl:localhost:$PORT,cafile=.*: TLS: certificate verify failed: unable to get local issuer certificate$"
wait_for grep -q 'TLS from' "$T/server.log"
only_line "$T/server.log" '^ferry: openssl-listen:0,.*: TLS from 127\.0\.0\.1:[0-9]+: tlsv1 alert unknown ca$'

# Secure by default: without cafile= the system store decides.
tls_run default "$T/in" - "openssl:localhost:$PORT"
[ "$RC" -eq 1 ] || fail "system store: exit $RC"
only_line "$T/default.log" "^ferry: openssl:localhost:$PORT: TLS: certificate verify failed: unable to get local issuer certificate$"
tls_echo good - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
stop "$SERVER"

ferry_bg sserver "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/self.pem,key=$PKI/self.key" exec:cat
SERVER=$FPID
ready sserver
tls_run self "$T/in" - "openssl:localhost:$PORT"
[ "$RC" -eq 1 ] || fail "self-signed: exit $RC"
only_line "$T/self.log" "^ferry: openssl:localhost:$PORT: TLS: certificate verify failed: self-signed certificate$"
tls_run selfca "$T/in" - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
[ "$RC" -eq 1 ] || fail "self-signed, cafile=: exit $RC"
only_line "$T/selfca.log" "^ferry: openssl:localhost:$PORT,cafile=.*: TLS: certificate verify failed: self-signed certificate$"
stop "$SERVER"
