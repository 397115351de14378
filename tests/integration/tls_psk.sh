#!/bin/sh
# Two ferries with a TLS 1.3 pre-shared key and no certificates:
# ferry --gen-psk makes the key file (mode 0600, 32 bytes in hex, never
# overwrites), both sides use it, with the default and a chosen identity.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

printf 'hello, psk\n' >"$T/in"
ferry_run gen --gen-psk "$T/psk"
[ "$RC" -eq 0 ] || fail "--gen-psk: exit $RC: $(cat "$T/gen.log")"
[ ! -s "$T/gen.log" ] || fail "--gen-psk said: $(cat "$T/gen.log")"
[ "$(stat -c %a "$T/psk")" = 600 ] || fail "key file mode $(stat -c %a "$T/psk")"
grep -Eqx '[0-9a-f]{64}' "$T/psk" || fail "key file: $(cat "$T/psk")"
[ "$(wc -l <"$T/psk")" -eq 1 ] || fail "key file is not one line"
cp "$T/psk" "$T/psk.before"
ferry_run again --gen-psk "$T/psk"
[ "$RC" -ne 0 ] || fail "--gen-psk overwrote a file"
only_line "$T/again.log" "^ferry: --gen-psk $T/psk: File exists$"
same "$T/psk" "$T/psk.before"
ferry_run gen2 --gen-psk "$T/psk2"
cmp -s "$T/psk" "$T/psk2" && fail "two --gen-psk gave the same key"

ferry_bg server -d "openssl-listen:0,bind=127.0.0.1,fork,psk-file=$T/psk" exec:cat
SERVER=$FPID
ready server
tls_echo client -dd - "openssl:127.0.0.1:$PORT,psk-file=$T/psk"
expect_log client 'TLS with .*: TLSv1\.3'
tls_echo byname - "openssl:localhost:$PORT,psk-file=$T/psk"
stop "$SERVER"

ferry_bg server2 "openssl-listen:0,bind=127.0.0.1,fork,psk-file=$T/psk,psk-identity=mac-to-box" exec:cat
SERVER=$FPID
ready server2
tls_echo ident - "openssl:127.0.0.1:$PORT,psk-file=$T/psk,psk-identity=mac-to-box"
stop "$SERVER"
