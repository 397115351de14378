#!/bin/sh
# An fdpass hop over TLS (OPENSSL-LISTEN / OPENSSL-CONNECT): the spring
# exchange with fds.  Off loopback the far peer needs to know who the near
# peer is: TLS with client certificates (mutual TLS) is accepted, TLS with
# a server certificate alone is refused.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
tls_client cli ca
SPRING="$PYTHON $HELPERS/fdpass_spring.py"
mkdir "$T/far" "$T/near"
bg server $SPRING server "$T/far/spring.sock" --ready "$T/server.ready"
wait_for test -s "$T/server.ready"

ferry_run noauth "openssl-listen:0,bind=0.0.0.0,fork,fdpass,cert=$PKI/srv.pem,key=$PKI/srv.key" \
    "unix-connect:$T/far/spring.sock"
[ "$RC" -eq 1 ] || fail "TLS without client authentication off loopback: exit $RC"
expect_log noauth "refusing to listen for fdpass hops on 0.0.0.0: .*client certificates"

ferry_bg far -d "openssl-listen:0,bind=0.0.0.0,fork,fdpass,cert=$PKI/srv.pem,key=$PKI/srv.key,cafile=$PKI/ca.pem" \
    "unix-connect:$T/far/spring.sock"
FAR=$FPID
ready far
ferry_bg near -d "unix-listen:$T/near/s.sock,fork,fdpass" \
    "openssl:localhost:$PORT,fdpass,cafile=$PKI/ca.pem,cert=$PKI/cli.pem,key=$PKI/cli.key"
NEAR=$FPID
ready near

randfile "$T/in" $((3 * 1024 * 1024))
timeout $((30 * SLOW)) $SPRING client "$T/near/s.sock" -- sha256sum <"$T/in" >"$T/out" ||
    fail "client over TLS failed"
[ "$(cut -d' ' -f1 "$T/out")" = "$(sha "$T/in")" ] || fail "stdin differs over TLS"
rc=0
timeout $((30 * SLOW)) $SPRING client "$T/near/s.sock" -- sh -c 'echo hi; exit 7' </dev/null >"$T/o2" || rc=$?
[ "$rc" -eq 7 ] || fail "exit 7 came back as $rc"
[ "$(cat "$T/o2")" = hi ] || fail "stdout: '$(cat "$T/o2")'"
stop "$NEAR"
stop "$FAR"
