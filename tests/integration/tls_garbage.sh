#!/bin/sh
# Clients that send garbage instead of a ClientHello (random bytes, a
# plain HTTP request), or nothing at all: each is dropped with one line in
# the server's log, and the server goes on serving proper TLS clients.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
printf 'hello after garbage\n' >"$T/in"

ferry_bg server "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/srv.pem,key=$PKI/srv.key" exec:cat
SERVER=$FPID
ready server

# send FILE: connect, send FILE, end the sending side, read to EOF;
# fails unless the server closes within 10 s.
send() {
	"$PYTHON" - "$PORT" "$1" <<'PY' || fail "garbage client: $1"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
data = open(sys.argv[2], "rb").read()
# The server may drop us before all is sent: that is fine too.
try:
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
except (ConnectionResetError, BrokenPipeError):
    pass
except OSError as e:
    if e.errno != 107:	# ENOTCONN: the server was quicker
        raise
PY
}

head -c 65536 /dev/urandom >"$T/random"
printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >"$T/http"
: >"$T/empty"
n=0
for g in random http empty random; do
	send "$T/$g"
	n=$((n + 1))
	wait_for test "$(grep -c 'TLS from' "$T/server.log")" -eq "$n"
	tls_echo good$n - "openssl:localhost:$PORT,cafile=$PKI/ca.pem"
done
[ "$(wc -l <"$T/server.log")" -eq 4 ] || fail "server log: $(cat "$T/server.log")"
[ "$(grep -c '^ferry: openssl-listen:0,.*: TLS from 127\.0\.0\.1:[0-9]*: [a-z]' "$T/server.log")" -eq 4 ] ||
    fail "server log: $(cat "$T/server.log")"
expect_log server 'TLS from 127\.0\.0\.1:[0-9]+: .*http request'
kill -0 "$SERVER" || fail "server died"
stop "$SERVER"
