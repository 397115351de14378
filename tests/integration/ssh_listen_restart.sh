#!/bin/sh
# SSH-LISTEN keeps its remote socket: when the ssh master dies (killed by
# pid, or sshd stopped with its sessions) ferry says so in one line and
# starts a new master after 1 s, then 2 s... while logins fail; the
# remote socket works again (bytes checked by sha256) and ferry never
# exits meanwhile.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/sshd.sh"

sshd_start
mkdir "$T/far" "$T/near"
bg echo $PYTHON "$HELPERS/peer.py" echo "unix:$T/near/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
R=$T/far/r.sock

ferry_bg rev -d "ssh-listen:127.0.0.1:$SSHPORT:$R,fork,ssh-config=$SSHCFG" \
    "unix-connect:$T/near/echo.sock"
REV=$FPID
ready rev

# master: the pid of ferry's ssh master.
master() {
	child_pid "$REV" -M
}
live() {
	$PYTHON -c 'import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$R"
}
randfile "$T/in" $((1024 * 1024))
relay() {
	rm -f "$T/out"
	ferry_pipe "c$1" "$T/in" "$T/out" - "unix-connect:$R"
	[ "$RC" -eq 0 ] || fail "connection $1: exit $RC"
	same "$T/in" "$T/out"
}

wait_for live
relay 1
m1=$(master) || fail "no ssh master under $REV"

# The master killed: one line, a new master, the socket back.
kill -KILL "$m1"
new_master() {
	p=$(master) && [ "$p" != "$m1" ]
}
WAIT=30 wait_for new_master
WAIT=30 wait_for live
relay 2
kill -0 "$REV" || fail "ferry exited"
[ "$(grep -c 'the ssh connection ended' "$T/rev.log")" -eq 1 ] ||
    fail "not one line for the ended master: $(cat "$T/rev.log")"
expect_log rev "^ferry: ssh-listen:.*: the ssh connection ended; reconnecting in 1s\$"
[ "$(sshd_logins)" -eq 2 ] || fail "expected 2 logins, sshd has $(sshd_logins)"

# sshd gone: logins fail and the wait doubles; sshd back on the same
# port: the socket works again.
m2=$(master) || fail "no ssh master under $REV"
sshd_kill
gone() {
	! kill -0 "$m2" 2>/dev/null
}
wait_for gone
WAIT=30 wait_for grep -q "trying again in 2s\$" "$T/rev.log"
expect_log rev "^ferry: ssh-listen:.*: cannot reconnect: ssh: connect to host .*: Connection refused; trying again in 2s\$"
kill -0 "$REV" || fail "ferry exited while sshd was down"
sshd_again
WAIT=60 wait_for live
relay 3
stop "$REV"
[ "$REAPED" -eq 143 ] || fail "ferry exited $REAPED after SIGTERM"
exit 0
