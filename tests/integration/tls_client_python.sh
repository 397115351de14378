#!/bin/sh
# ferry as a TLS client of Python's ssl module (a real, independent TLS
# stack): the chain is verified against the CA, the host name is sent as
# SNI (but not for an IP address), snihost= overrides it, a client
# certificate is presented when the server requires one.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"
"$PYTHON" -c 'import ssl' 2>/dev/null || skip "python3 has no ssl module"

tls_ca ca
tls_server srv ca
tls_client cli ca
printf 'hello, python\n' >"$T/in"

bg peer "$PYTHON" "$HELPERS/tls_peer.py" echo tcp:127.0.0.1:0 \
    --ready "$T/peer.ready" --cert "$PKI/srv.pem" --key "$PKI/srv.key" \
    --log "$T/peer.conns"
wait_for test -s "$T/peer.ready"
PORT=$(sed 's/.*://' "$T/peer.ready")

# conn N REGEX: the peer's Nth connection line matches.
conn() {
	wait_for test "$(wc -l <"$T/peer.conns")" -ge "$1"
	sed -n "${1}p" "$T/peer.conns" | grep -Eq -- "$2" ||
	    fail "peer connection $1: expected /$2/, got: $(sed -n "${1}p" "$T/peer.conns")"
}

tls_echo byname - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
conn 1 '^sni=localhost version=TLSv1\.3 peer=- bytes=14$'
tls_echo byip - "openssl:127.0.0.1:$PORT,cafile=$PKI/ca.pem"
conn 2 '^sni=- version=TLSv1\.3 '
tls_echo sni - "openssl:127.0.0.1:$PORT,cafile=$PKI/ca.pem,snihost=front.example"
conn 3 '^sni=front\.example '
tls_echo tls12 - "openssl:localhost:$PORT,cafile=$PKI/ca.pem,max-version=TLSv1.2"
conn 4 '^sni=localhost version=TLSv1\.2 '

# A second peer that requires a client certificate.
bg mpeer "$PYTHON" "$HELPERS/tls_peer.py" echo tcp:127.0.0.1:0 \
    --ready "$T/mpeer.ready" --cert "$PKI/srv.pem" --key "$PKI/srv.key" \
    --cafile "$PKI/ca.pem" --log "$T/mpeer.conns"
wait_for test -s "$T/mpeer.ready"
MPORT=$(sed 's/.*://' "$T/mpeer.ready")
tls_echo mutual - "openssl:localhost:$MPORT,cafile=$PKI/ca.pem,cert=$PKI/cli.pem,key=$PKI/cli.key"
wait_for test -s "$T/mpeer.conns"
grep -Eq '^sni=localhost version=TLSv1\.3 peer=ferry-client bytes=14$' "$T/mpeer.conns" ||
    fail "mutual: peer saw $(cat "$T/mpeer.conns")"
