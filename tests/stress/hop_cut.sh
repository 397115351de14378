#!/bin/sh
# The fd-passing hop cut silently: the far peer runs in a network
# namespace joined to this one by a veth pair (10.213.N.0/30, traffic stays
# inside the machine), the hop is TCP across it, keepalive-interval=1 on
# both peers, a token to authenticate.  Three sessions run `cat` with live channels; then the link
# goes down inside the namespace (no RST, no FIN: only the pings can tell).
# The near peer must give the hop up within 3 intervals (plus a tick;
# 10 s allowed), close every channel (each client sees its session end
# and exits non-zero), not hang, and keep serving: once the link is back,
# a new client gets a new hop.  (The far peer killed with SIGKILL
# mid-session: tests/integration/fdpass_faults.sh.)  Skipped unless root
# on Linux with ip netns.
. "$TESTS_DIR/stress/lib.sh"

[ "$(uname -s)" = Linux ] || skip "network namespaces are Linux's"
[ "$(id -u)" -eq 0 ] || skip "needs root for ip netns"
command -v ip >/dev/null 2>&1 || skip "no ip(8)"
NS=ferry-cut-$$
VA=fcut$$a
VB=fcut$$b
NET=10.213.$(($$ % 250 + 1))
FAR=""
SERVER=""
netns_down() {
	for p in $FAR; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	ip link del "$VA" 2>/dev/null || true
	ip netns del "$NS" 2>/dev/null || true
}
AT_EXIT=netns_down
ip netns add "$NS" 2>/dev/null || skip "ip netns add failed"
ip link add "$VA" type veth peer name "$VB" netns "$NS" ||
	skip "no veth pairs here"
ip addr add "$NET.1/30" dev "$VA"
ip link set "$VA" up
ip netns exec "$NS" ip addr add "$NET.2/30" dev "$VB"
ip netns exec "$NS" ip link set "$VB" up
ip netns exec "$NS" ip link set lo up

SPRING="$PYTHON $HELPERS/fdpass_spring.py"
mkdir "$T/far" "$T/near"
bg server $SPRING server "$T/far/spring.sock" --ready "$T/server.ready"
SERVER=$BGPID
wait_for test -s "$T/server.ready"

# Off loopback, a hop needs proof of who the near peer is: a token.
printf 'cut-%s\n' "$$" >"$T/token"
chmod 600 "$T/token"
export FERRY_TOKEN_FILE="$T/token"
# The far peer, inside the namespace (a UNIX path is no network's).
ip netns exec "$NS" "$FERRY" --ready-file "$T/far.ready" \
    "tcp-listen:0,fork,fdpass,bind=$NET.2,keepalive-interval=1" \
    "unix-connect:$T/far/spring.sock" </dev/null >/dev/null 2>"$T/far.log" &
FAR=$!
PIDS="$PIDS $FAR"
FERRY_LOGS="$FERRY_LOGS $T/far.log"
ready far
FARPORT=$PORT
ferry_bg near -d "unix-listen:$T/near/s.sock,fork,fdpass,keepalive-interval=1" \
    "tcp:$NET.2:$FARPORT"
NEAR=$FPID
ready near
S=$T/near/s.sock

# Three sessions whose commands wait on FIFOs we hold open.
cls=""
for i in 1 2 3; do
	mkfifo "$T/in$i"
	eval "exec $((i + 2))<>\"\$T/in$i\""
	$SPRING client "$S" -- cat <"$T/in$i" >"$T/out$i" 2>&1 &
	cls="$cls $!"
	PIDS="$PIDS $!"
	echo "hello $i" >"$T/in$i"
	wait_for grep -q "hello $i" "$T/out$i"
done

# Cut the link inside the namespace: nothing more arrives, nothing is reset.
ip netns exec "$NS" ip link set "$VB" down
t0=$(date +%s%N)
for c in $cls; do
	WAIT=10 await "$c"
	[ "$REAPED" -ne 0 ] || fail "a client exited 0 after its hop was cut"
done
echo "hop cut: all 3 sessions ended after $(( ($(date +%s%N) - t0) / 1000000 )) ms (interval 1 s)"
exec 3>&- 4>&- 5>&-
expect_log near "keepalive: nothing received"
kill -0 "$NEAR" || fail "the near peer died with the hop"
kill -0 "$SERVER" || fail "the spring server died"

# The link comes back: the near peer serves the next client, over a new hop.
ip netns exec "$NS" ip link set "$VB" up
try() {
	out=$(echo again | timeout 10 $SPRING client "$S" -- cat 2>/dev/null) &&
	    [ "$out" = again ]
}
WAIT=30 wait_for try
stop "$NEAR"
stop "$FAR"
FAR=""
stop "$SERVER"
