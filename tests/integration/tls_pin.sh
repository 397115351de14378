#!/bin/sh
# Two ferries, self-signed certificates, no CA: fingerprint=sha256:...
# (as openssl x509 -fingerprint prints it) accepts exactly that
# certificate, whatever its name; the server pins the client's too.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_selfsigned srv ferry-server
tls_selfsigned cli ferry-client
SRVFP=$(fingerprint srv)
CLIFP=$(fingerprint cli)
printf 'hello, pinned\n' >"$T/in"

ferry_bg server -d "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key" exec:cat
SERVER=$FPID
ready server

# By IP address and by a name the certificate does not carry: the pin
# is what counts.
tls_echo byip - "openssl:127.0.0.1:$PORT,fingerprint=$SRVFP"
tls_echo byname - "openssl:localhost:$PORT,fingerprint=$SRVFP"
# Lower case hex without colons is the same fingerprint.
fp=$(echo "$SRVFP" | sed 's/^sha256://; s/://g' | tr 'A-F' 'a-f')
tls_echo lower - "openssl:localhost:$PORT,fingerprint=sha256:$fp"
if grep -q 'TLS from' "$T/server.log"; then
	fail "server: $(cat "$T/server.log")"
fi
stop "$SERVER"

# The server pins the client's certificate: it must be presented.
ferry_bg mserver -d "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key,fingerprint=$CLIFP" exec:cat
SERVER=$FPID
ready mserver
tls_echo mutual -d - "openssl:localhost:$PORT,fingerprint=$SRVFP,cert=$PKI/cli.pem,key=$PKI/cli.key"
wait_for grep -q 'exec:cat: closed' "$T/mserver.log"
expect_log mserver 'TLS with 127\.0\.0\.1:[0-9]+: TLSv1\.3, peer /CN=ferry-client$'
tls_run nocert "$T/in" - "openssl:localhost:$PORT,fingerprint=$SRVFP"
[ "$RC" -ne 0 ] || fail "the pinning server served a client without a certificate"
only_line "$T/nocert.log" '^ferry: .*: TLS: tlsv13 alert certificate required$'
stop "$SERVER"
