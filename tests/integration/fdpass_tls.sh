#!/bin/sh
# An fdpass hop over TLS (OPENSSL-LISTEN / OPENSSL-CONNECT): the spring
# exchange with fds, and TLS lets the hop listen off loopback.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
SPRING="$PYTHON $HELPERS/fdpass_spring.py"
mkdir "$T/far" "$T/near"
bg server $SPRING server "$T/far/spring.sock" --ready "$T/server.ready"
wait_for test -s "$T/server.ready"

ferry_bg far -d "openssl-listen:0,bind=0.0.0.0,fork,fdpass,cert=$PKI/srv.pem,key=$PKI/srv.key" \
    "unix-connect:$T/far/spring.sock"
FAR=$FPID
ready far
ferry_bg near -d "unix-listen:$T/near/s.sock,fork,fdpass" \
    "openssl:localhost:$PORT,fdpass,cafile=$PKI/ca.pem"
NEAR=$FPID
ready near

randfile "$T/in" $((3 * 1024 * 1024))
timeout 30 $SPRING client "$T/near/s.sock" -- sha256sum <"$T/in" >"$T/out" ||
    fail "client over TLS failed"
[ "$(cut -d' ' -f1 "$T/out")" = "$(sha "$T/in")" ] || fail "stdin differs over TLS"
rc=0
timeout 30 $SPRING client "$T/near/s.sock" -- sh -c 'echo hi; exit 7' </dev/null >"$T/o2" || rc=$?
[ "$rc" -eq 7 ] || fail "exit 7 came back as $rc"
[ "$(cat "$T/o2")" = hi ] || fail "stdout: '$(cat "$T/o2")'"
stop "$NEAR"
stop "$FAR"
