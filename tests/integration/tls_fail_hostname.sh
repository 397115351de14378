#!/bin/sh
# A certificate the CA vouches for, but for another name: the client says
# which name it expected and which it got, in one line, exit 1.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
tls_server nameonly ca DNS:localhost
printf 'hello\n' >"$T/in"

ferry_bg server "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key" exec:cat
SERVER=$FPID
ready server

tls_run cn "$T/in" - "openssl:127.0.0.1:$PORT,cafile=$PKI/ca.pem,commonname=example.test"
[ "$RC" -eq 1 ] || fail "commonname=: exit $RC"
[ ! -s "$T/cn.out" ] || fail "commonname=: got data"
only_line "$T/cn.log" "^ferry: openssl:127\.0\.0\.1:$PORT,cafile=.*: TLS: hostname mismatch: expected example\.test, got localhost$"
# snihost= changes what is sent, not what is checked.
tls_run sni "$T/in" - "openssl:127.0.0.1:$PORT,cafile=$PKI/ca.pem,commonname=example.test,snihost=localhost"
[ "$RC" -eq 1 ] || fail "snihost=: exit $RC"
only_line "$T/sni.log" '^ferry: .*: TLS: hostname mismatch: expected example\.test, got localhost$'
stop "$SERVER"

# An address by IP, a certificate with no IP in it.
ferry_bg server2 "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/nameonly.pem,key=$PKI/nameonly.key" exec:cat
SERVER=$FPID
ready server2
tls_run ip "$T/in" - "openssl:127.0.0.1:$PORT,cafile=$PKI/ca.pem"
[ "$RC" -eq 1 ] || fail "IP address: exit $RC"
only_line "$T/ip.log" "^ferry: openssl:127\.0\.0\.1:$PORT,cafile=.*: TLS: hostname mismatch: expected 127\.0\.0\.1, got localhost$"
tls_echo good - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
stop "$SERVER"
