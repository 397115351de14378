#!/bin/sh
# Half-close over TLS: the client sends 1 MB and ends its side
# (close_notify); the server passes the EOF on to a peer that reads to
# EOF and only then answers; the answer still comes back.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
randfile "$T/in" $((1024 * 1024))

bg peer "$PYTHON" "$HELPERS/peer.py" halfclose "unix:$T/hc.sock" --ready "$T/hc.ready"
wait_for test -s "$T/hc.ready"
ferry_bg server "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key" "unix-connect:$T/hc.sock"
SERVER=$FPID
ready server

printf 'got %d bytes sha256 %s\n' $((1024 * 1024)) "$(sha "$T/in")" >"$T/want"
tls_run client "$T/in" - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
[ "$RC" -eq 0 ] || fail "client exited $RC: $(cat "$T/client.log")"
same "$T/want" "$T/client.out"
# Over TLS 1.2 too.
tls_run client12 "$T/in" - "openssl:localhost:$PORT,cafile=$PKI/ca.pem,max-version=TLSv1.2"
[ "$RC" -eq 0 ] || fail "TLS 1.2 client exited $RC: $(cat "$T/client12.log")"
same "$T/want" "$T/client12.out"
stop "$SERVER"
