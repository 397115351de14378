#!/bin/sh
# A server certificate that expired (valid only in January 2020, made by
# openssl ca -startdate/-enddate): one line, exit 1.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_expired old ca
printf 'hello\n' >"$T/in"

ferry_bg server "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/old.pem,key=$PKI/old.key" exec:cat
SERVER=$FPID
ready server

tls_run client "$T/in" - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
[ "$RC" -eq 1 ] || fail "expired: exit $RC"
[ ! -s "$T/client.out" ] || fail "expired: got data"
only_line "$T/client.log" "^ferry: openssl:localhost:$PORT,cafile=.*: TLS: certificate verify failed: certificate has expired$"
# An expired pinned certificate is still the pinned certificate.
tls_echo pinned - "openssl:localhost:$PORT,fingerprint=$(fingerprint old)"
stop "$SERVER"
