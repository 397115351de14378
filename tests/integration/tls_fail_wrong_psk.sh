#!/bin/sh
# A pre-shared key that differs, or an identity the server does not know,
# or no key at all: the client exits non-zero with one line; the server
# logs each and keeps serving.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

printf 'hello, psk\n' >"$T/in"
"$FERRY" --gen-psk "$T/psk" || fail "--gen-psk"
"$FERRY" --gen-psk "$T/wrong" || fail "--gen-psk"

ferry_bg server "openssl-listen:0,bind=127.0.0.1,fork,psk-file=$T/psk" exec:cat
SERVER=$FPID
ready server

tls_run wrongkey "$T/in" - "openssl:127.0.0.1:$PORT,psk-file=$T/wrong"
[ "$RC" -eq 1 ] || fail "wrong key: exit $RC"
[ ! -s "$T/wrongkey.out" ] || fail "wrong key: got data"
only_line "$T/wrongkey.log" "^ferry: openssl:127\.0\.0\.1:$PORT,psk-file=.*: TLS: .* \(is the pre-shared key the same on both sides\?\)$"

tls_run wrongid "$T/in" - "openssl:127.0.0.1:$PORT,psk-file=$T/psk,psk-identity=nobody"
[ "$RC" -eq 1 ] || fail "unknown identity: exit $RC"
only_line "$T/wrongid.log" "^ferry: openssl:127\.0\.0\.1:$PORT,psk-file=.*: TLS: .* \(is the pre-shared key the same on both sides\?\)$"

wait_for test "$(grep -c 'TLS from' "$T/server.log")" -eq 2
tls_echo good - "openssl:127.0.0.1:$PORT,psk-file=$T/psk"
stop "$SERVER"
