#!/bin/sh
# The exec-style hop into a "container" with no Docker: a network
# namespace of its own (no interface but lo, down) and a mount namespace
# where the server's directory is a tmpfs, so the near side sees neither
# the socket nor a network path to it.  The hop enters the container as
# `docker exec -i` would (nsenter into its namespaces) and runs the far
# peer on its stdio.  The spring-like pair goes through it (bytes by
# sha256), the hop killed by pid comes back by itself with the near
# listener kept, and plain bytes go through the same boundary.
# Needs root, ip netns, unshare and nsenter: skips (77) without them.
. "$TESTS_DIR/integration/lib.sh"

[ "$(uname -s)" = Linux ] || skip "namespaces are Linux's"
[ "$(id -u)" -eq 0 ] || skip "not root"
for c in ip unshare nsenter; do
	command -v "$c" >/dev/null 2>&1 || skip "no $c"
done
NS=ferry-test-$$-${T##*.}
ip netns add "$NS" 2>/dev/null || skip "ip netns add failed"
AT_EXIT='ip netns del "$NS" 2>/dev/null'

SPRING="$PYTHON $HELPERS/fdpass_spring.py"
BOX=$T/box
mkdir "$BOX" "$T/near"

# The container: the server, in both namespaces, its socket in a tmpfs
# only they see.  Its ready file is outside, where the test can see it.
bg box ip netns exec "$NS" unshare --mount --propagation private \
    sh -c 'mount -t tmpfs none "$1" && shift && exec "$@"' sh "$BOX" \
    $SPRING server "$BOX/spring.sock" --ready "$T/server.ready"
CPID=$BGPID
wait_for test -s "$T/server.ready"
IN="nsenter --target $CPID --mount --net"
bg echo $IN $PYTHON "$HELPERS/peer.py" echo "unix:$BOX/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# The boundary is real: nothing in $BOX out here, and in there no network.
[ -z "$(ls -A "$BOX")" ] || fail "the server's directory shows outside: $(ls -A "$BOX")"
$IN test -S "$BOX/spring.sock" || fail "no socket inside the container"
[ "$(ip -n "$NS" -o link | wc -l)" -eq 1 ] || fail "the namespace has links: $(ip -n "$NS" -o link)"

ferry_bg near -d "unix-listen:$T/near/s.sock,fork,fdpass" \
    "exec:'$IN $FERRY -,fdpass unix-connect:$BOX/spring.sock'"
NEAR=$FPID
ready near
S=$T/near/s.sock

# far_pid: the hop, the near peer's child.
far_pid() {
	child_pid "$NEAR"
}

# session TAG: the spring client runs sha256sum on 4 MB of stdin and cat
# on it the other way, through the hop.
randfile "$T/in" $((4 * 1024 * 1024))
session() {
	_rc=0
	timeout 30 $SPRING client "$S" -- sha256sum <"$T/in" >"$T/sum.$1" || _rc=$?
	[ "$_rc" -eq 0 ] || fail "$1: sha256sum: exit $_rc"
	[ "$(cut -d' ' -f1 "$T/sum.$1")" = "$(sha "$T/in")" ] ||
	    fail "$1: stdin differs over there"
	_rc=0
	timeout 30 $SPRING client "$S" -- cat <"$T/in" >"$T/out.$1" || _rc=$?
	[ "$_rc" -eq 0 ] || fail "$1: cat: exit $_rc"
	same "$T/in" "$T/out.$1"
	_rc=0
	echo "$1" | timeout 30 $SPRING client "$S" -- sh -c 'cat; exit 3' \
	    >"$T/echo.$1" || _rc=$?
	[ "$_rc" -eq 3 ] || fail "$1: exit status $_rc, not 3"
	[ "$(cat "$T/echo.$1")" = "$1" ] || fail "$1: got '$(cat "$T/echo.$1")'"
}

session first
far1=$(far_pid) || fail "no hop under $NEAR"
kill -KILL "$far1"
new_far() {
	p=$(far_pid) && [ "$p" != "$far1" ]
}
wait_for new_far
expect_log near "hop lost, opening a new one in 1s"
[ -S "$S" ] || fail "the near listener's socket is gone"
session second
kill -0 "$NEAR" || fail "the near peer died"
kill -0 "$CPID" || fail "the server died"

# Plain bytes through the same boundary: a far ferry per connection.
ferry_bg plain "unix-listen:$T/near/p.sock,fork" \
    "exec:'$IN $FERRY - unix-connect:$BOX/echo.sock'"
PLAIN=$FPID
ready plain
for i in 1 2; do
	rm -f "$T/pout"
	ferry_pipe p$i "$T/in" "$T/pout" - "unix-connect:$T/near/p.sock"
	[ "$RC" -eq 0 ] || fail "plain $i: exit $RC"
	same "$T/in" "$T/pout"
done

stop "$PLAIN"
stop "$NEAR"
[ "$REAPED" -eq 143 ] || fail "near exited $REAPED after SIGTERM"
exit 0
