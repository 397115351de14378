#!/bin/sh
# A relay whose TLS client side is misconfigured (a psk-file others can
# read, a missing cafile) fails at startup, before it listens, with one
# line and exit 1, not at its first connection.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

"$FERRY" --gen-psk "$T/psk" || fail "--gen-psk"
chmod 644 "$T/psk"

WAIT=5
ferry_bg psk "tcp-listen:0,bind=127.0.0.1,fork" "openssl:localhost:9,psk-file=$T/psk"
await "$FPID"
[ "$REAPED" -eq 1 ] || fail "psk relay: exit $REAPED"
[ ! -s "$T/psk.ready" ] || fail "psk relay listened on $(cat "$T/psk.ready")"
only_line "$T/psk.log" "psk-file $T/psk is readable by others \(chmod 600 it\)$"

ferry_bg ca "tcp-listen:0,bind=127.0.0.1,fork" "openssl:localhost:9,cafile=$T/nonesuch.pem"
await "$FPID"
[ "$REAPED" -eq 1 ] || fail "cafile relay: exit $REAPED"
[ ! -s "$T/ca.ready" ] || fail "cafile relay listened on $(cat "$T/ca.ready")"
only_line "$T/ca.log" '^ferry: openssl:localhost:9,cafile=.*: cafile/capath: '
