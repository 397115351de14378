#!/bin/sh
# ferry as a TLS client of openssl s_server (-rev: each line comes back
# reversed), with s_server requiring and verifying a client certificate.
# s_server cannot bind port 0 and report it: take a port a just-closed
# socket had, and try again (a few times) if someone took it meanwhile.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
tls_client cli ca
printf 'hello, s_server\n' >"$T/in"

tries=0
while :; do
	tries=$((tries + 1))
	[ "$tries" -le 5 ] || fail "s_server did not start: $(cat "$T/s_server.log")"
	PORT=$(free_port)
	bg s_server openssl s_server -accept "127.0.0.1:$PORT" -naccept 1 -rev \
	    -cert "$PKI/srv.pem" -key "$PKI/srv.key" \
	    -CAfile "$PKI/ca.pem" -Verify 1 -verify_return_error
	SS=$BGPID
	# s_server says ACCEPT once it listens, or exits if the bind failed.
	i=0
	while [ $i -lt 500 ] && kill -0 "$SS" 2>/dev/null &&
	    ! grep -q '^ACCEPT' "$T/s_server.log"; do
		sleep 0.02
		i=$((i + 1))
	done
	grep -q '^ACCEPT' "$T/s_server.log" && break
	stop "$SS" KILL
done

tls_run client "$T/in" -d - "openssl:localhost:$PORT,cafile=$PKI/ca.pem,cert=$PKI/cli.pem,key=$PKI/cli.key"
[ "$RC" -eq 0 ] || fail "client exit $RC: $(cat "$T/client.log")"
printf 'revres_s ,olleh\n' >"$T/want"
same "$T/want" "$T/client.out"
expect_log client 'TLS with .*: TLSv1\.3, peer /CN=localhost$'
# -naccept 1: s_server exits after the one connection.
await "$SS"
[ "$REAPED" -eq 0 ] || fail "s_server exited $REAPED: $(cat "$T/s_server.log")"
grep -q '^CONNECTION ESTABLISHED' "$T/s_server.log" ||
    fail "s_server saw no connection: $(cat "$T/s_server.log")"
grep -Eq '^Peer certificate: CN ?= ?ferry-client' "$T/s_server.log" ||
    fail "s_server saw no client certificate: $(cat "$T/s_server.log")"
