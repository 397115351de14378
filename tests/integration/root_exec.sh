#!/bin/sh
# As root, a listener open to the network (TCP, UDP, OPENSSL; not bound to
# loopback) paired with EXEC or SYSTEM refuses to start: one line that
# says how to ask (su=), exit 1, nothing bound.  su=root asks, and the
# relay works; loopback, UNIX listeners and stdio need no asking.
. "$TESTS_DIR/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "the rule is for root"
CLIENT="$PYTHON $HELPERS/client.py"
# summed: $T/out is sha256sum's answer for $T/in (a 1 MiB echo could
# fill every buffer on the way while the client is still sending).
summed() {
	[ "$(cut -d' ' -f1 "$T/out")" = "$(sha "$T/in")" ] ||
		fail "sha256sum through ferry said '$(cat "$T/out")'"
}
: >"$T/empty"

# refused NAME ADDRESS ADDRESS: one line naming the listener, exit 1, no
# ready file (nothing was bound).
refused() {
	_n=$1; shift
	rm -f "$T/$_n.ready"
	ferry_run "$_n" --ready-file "$T/$_n.ready" "$@"
	[ "$RC" -eq 1 ] || fail "$*: exit $RC, not 1"
	[ "$(wc -l <"$T/$_n.log")" -eq 1 ] || fail "$*: not one line: $(cat "$T/$_n.log")"
	expect_log "$_n" "^ferry: [^ ]*: refusing to run a command as root for peers on the network: add su=USER to run it as USER \\(su=root: as root\\), or bind=127.0.0.1\$"
	[ ! -e "$T/$_n.ready" ] || fail "$*: bound before refusing"
}
refused tcp tcp-listen:0,fork exec:cat
refused tcp_left "system:echo hi" tcp-listen:0
refused any "tcp-listen:0,fork,bind=0.0.0.0" "system:cat"
refused udp udp-listen:0 exec:cat
refused pair tcp-listen:0 "exec:cat!!exec:cat"
expect_log tcp "^ferry: tcp-listen:0,fork: "

# su=root: asked for, so it runs, and relays.
randfile "$T/in" 1048576
ferry_bg asked tcp-listen:0,fork,su=root exec:sha256sum
ready asked
$CLIENT send "tcp:127.0.0.1:$PORT" --in "$T/in" --out "$T/out" ||
	fail "client to tcp-listen,su=root failed"
summed
# On the command's side works as well.
ferry_bg asked2 tcp-listen:0,fork "system:echo ran as \$(id -u),su=root"
ready asked2
$CLIENT send "tcp:127.0.0.1:$PORT" --in "$T/empty" --out "$T/out" ||
	fail "client to exec,su=root failed"
[ "$(cat "$T/out")" = "ran as 0" ] || fail "su=root: command said '$(cat "$T/out")'"

# Not from the network: loopback, UNIX, stdio.
ferry_bg lo tcp-listen:0,fork,bind=127.0.0.1 exec:sha256sum
ready lo
$CLIENT send "tcp:$ADDR" --in "$T/in" --out "$T/out" ||
	fail "client to a loopback listener failed"
summed
ferry_bg unix "unix-listen:$T/u.sock,fork" exec:sha256sum
ready unix
$CLIENT send "unix:$T/u.sock" --in "$T/in" --out "$T/out" ||
	fail "client to a UNIX listener failed"
summed
ferry_pipe stdio "$T/in" "$T/out" - exec:cat
[ "$RC" -eq 0 ] || fail "stdio to exec:cat: exit $RC"
same "$T/in" "$T/out"
