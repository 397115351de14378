#!/bin/sh
# A TLS client whose stdin and stdout are regular files (read through the
# relay's pump, not polled), and one whose stdin is /dev/null: the bytes
# go out, the answer comes back, close_notify ends it, exit 0.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
printf 'hello over tls\n' >"$T/in"

ferry_bg server "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key" exec:cat
SERVER=$FPID
ready server

WAIT=10
FERRY_STDIN=$T/in FERRY_STDOUT=$T/file.out \
    ferry_bg file - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
await "$FPID"
[ "$REAPED" -eq 0 ] || fail "stdin from a file: exit $REAPED: $(cat "$T/file.log")"
same "$T/in" "$T/file.out"

ferry_bg null - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
await "$FPID"
[ "$REAPED" -eq 0 ] || fail "stdin from /dev/null: exit $REAPED: $(cat "$T/null.log")"
[ ! -s "$T/null.out" ] || fail "stdin from /dev/null: got output"

stop "$SERVER"
