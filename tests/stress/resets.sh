#!/bin/sh
# Peers reset mid-transfer, on both sides, over plain TCP and over TLS on
# either side of the relay: the other side of each reset connection is
# closed promptly, a bulk echo running meanwhile through the same ferry
# completes with every byte intact, ferry keeps serving, and its log (-d)
# says what happened.
. "$TESTS_DIR/stress/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca

BYTES=$((16 * 1024 * 1024))

# scenario NAME FERRY-LEFT FERRY-RIGHT [SERVER-ARGS] -- [CLIENT-ARGS]
scenario() {
	_n=$1; _left=$2; _right=$3; shift 3
	_sargs=""; while [ "$1" != -- ]; do _sargs="$_sargs $1"; shift; done; shift
	mkdir -p "$T/$_n.st"
	# shellcheck disable=SC2086 # word lists
	server "$_n.srv" tcp:127.0.0.1:0 --mode cmd --status "$T/$_n.st/sink" $_sargs
	_srv=$SPID
	ferry_bg "$_n" -d "$_left" "$(printf "$_right" "${SADDR##*:}")"
	_f=$FPID
	ready "$_n"
	timeout -k 5 120 "$PYTHON" "$STRESS" resets "tcp:127.0.0.1:$PORT" --bytes "$BYTES" \
	    --status-dir "$T/$_n.st" --timeout 60 "$@" ||
	    fail "$_n: the reset scenario failed"
	kill -0 "$_f" || fail "$_n: ferry died"
	# Still serving: one more echo.
	timeout -k 5 120 "$PYTHON" "$STRESS" resets "tcp:127.0.0.1:$PORT" --bytes 262144 \
	    --status-dir "$T/$_n.st" --timeout 60 "$@" ||
	    fail "$_n: ferry stopped serving after the resets"
	stop "$_f"
	stop "$_srv"
}

scenario tcp tcp-listen:0,fork,bind=127.0.0.1 tcp:127.0.0.1:%s --
expect_log tcp "Connection reset by peer"

# TLS between the client and ferry.
scenario tlsin "openssl-listen:0,fork,bind=127.0.0.1,cert=$PKI/srv.pem,key=$PKI/srv.key" \
    tcp:127.0.0.1:%s -- --tls-ca "$PKI/ca.pem"
expect_log tlsin "reset by peer|TLS"

# TLS between ferry and the server.
scenario tlsout tcp-listen:0,fork,bind=127.0.0.1 \
    "openssl:localhost:%s,cafile=$PKI/ca.pem" \
    --cert "$PKI/srv.pem" --key "$PKI/srv.key" --
expect_log tlsout "reset by peer"
# Each of the two runs per scenario reset one connection on each side:
# four relays ended by a reset, each logged as such (a TLS peer's reset
# is no TLS close, and not "closed").
for n in tcp tlsin tlsout; do
	k=$(grep -c ' <-> .*: failed: Connection reset by peer' "$T/$n.log") || true
	[ "$k" -eq 4 ] || fail "$n: $k relays logged as reset, not 4: $(grep ' <-> ' "$T/$n.log")"
done
grep -E "reset|TLS" "$T"/tcp.log "$T"/tlsin.log "$T"/tlsout.log || true
