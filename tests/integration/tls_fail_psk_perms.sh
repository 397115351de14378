#!/bin/sh
# A psk-file that others can read is refused, by client and server alike,
# at startup, with one line that says how to fix it.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

"$FERRY" --gen-psk "$T/psk" || fail "--gen-psk"
for mode in 644 640 604; do
	chmod "$mode" "$T/psk"
	ferry_run server$mode "openssl-listen:0,bind=127.0.0.1,psk-file=$T/psk" exec:cat
	[ "$RC" -eq 1 ] || fail "server, mode $mode: exit $RC"
	only_line "$T/server$mode.log" "^ferry: openssl-listen:0,.*: psk-file $T/psk is readable by others \(chmod 600 it\)$"
	ferry_run client$mode - "openssl:127.0.0.1:9,psk-file=$T/psk" </dev/null
	[ "$RC" -eq 1 ] || fail "client, mode $mode: exit $RC"
	only_line "$T/client$mode.log" "^ferry: openssl:127\.0\.0\.1:9,psk-file=$T/psk: psk-file $T/psk is readable by others \(chmod 600 it\)$"
done
ferry_run missing - "openssl:127.0.0.1:9,psk-file=$T/nonesuch" </dev/null
[ "$RC" -eq 1 ] || fail "missing key file: exit $RC"
only_line "$T/missing.log" "^ferry: .*: psk-file $T/nonesuch: No such file or directory$"
printf 'abcd\n' >"$T/short"
chmod 600 "$T/short"
ferry_run short - "openssl:127.0.0.1:9,psk-file=$T/short" </dev/null
[ "$RC" -eq 1 ] || fail "short key: exit $RC"
only_line "$T/short.log" "^ferry: .*: psk-file $T/short must hold 16 to 64 bytes in hex"
