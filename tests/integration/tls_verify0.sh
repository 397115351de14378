#!/bin/sh
# verify=0 turns checking off and says so once, at startup, however many
# connections follow: a one-shot client prints exactly that line and
# exits 0; a forking relay prints it once for three connections.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_selfsigned self someone.example
printf 'hello, unverified\n' >"$T/in"

ferry_bg server "openssl-listen:0,bind=127.0.0.1,fork,cert=$PKI/self.pem,key=$PKI/self.key" exec:cat
SERVER=$FPID
ready server
SPORT=$PORT

tls_echo once - "openssl:localhost:$SPORT,verify=0"
only_line "$T/once.log" "^ferry: openssl:localhost:$SPORT,verify=0: verify=0: the server's certificate is not checked$"

ferry_bg relay "tcp-listen:0,bind=127.0.0.1,fork" "openssl:localhost:$SPORT,verify=0"
RELAY=$FPID
ready relay
# At startup: before any connection asks for the TLS client.
WAIT=5 wait_for grep -q "verify=0: the server's certificate is not checked$" "$T/relay.log"
for i in 1 2 3; do
	tls_echo c$i - "tcp:127.0.0.1:$PORT"
	[ ! -s "$T/c$i.log" ] || fail "plain client $i said: $(cat "$T/c$i.log")"
done
only_line "$T/relay.log" "^ferry: openssl:localhost:$SPORT,verify=0: verify=0: the server's certificate is not checked$"
stop "$RELAY"
stop "$SERVER"
