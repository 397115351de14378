#!/bin/sh
# fingerprint= of another certificate: the client refuses the server with
# one line and a non-zero exit, even when a CA would vouch for it; a
# malformed fingerprint= is an error at startup.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
tls_selfsigned other
OTHERFP=$(fingerprint other)
printf 'hello, pinned\n' >"$T/in"

ferry_bg server "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key" exec:cat
SERVER=$FPID
ready server

tls_run wrong "$T/in" - "openssl:localhost:$PORT,cafile=$PKI/ca.pem,fingerprint=$OTHERFP"
[ "$RC" -eq 1 ] || fail "wrong fingerprint: exit $RC"
[ ! -s "$T/wrong.out" ] || fail "wrong fingerprint: got data"
only_line "$T/wrong.log" "^ferry: openssl:localhost:$PORT,.*: TLS: certificate does not match fingerprint=$"

tls_run short "$T/in" - "openssl:localhost:$PORT,fingerprint=sha256:abcd"
[ "$RC" -eq 1 ] || fail "short fingerprint: exit $RC"
only_line "$T/short.log" '^ferry: openssl:localhost:[0-9]+,fingerprint=sha256:abcd: fingerprint= takes sha256: and 32 bytes in hex$'

tls_echo good - "openssl:localhost:$PORT,fingerprint=$(fingerprint srv)"
stop "$SERVER"
