#!/bin/sh
# SSH-LISTEN: sshd listens on a remote UNIX socket (ssh -R) and ferry
# relays each connection to a local address: a stale socket file at the
# remote path is replaced, bytes go both ways (sha256) on several
# connections, a refused login is one line and exit 1, and nothing is
# left running or in TMPDIR after ferry stops.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/sshd.sh"

sshd_start
mkdir "$T/far" "$T/near" "$T/tmp"
TMPDIR=$T/tmp
export TMPDIR
bg echo $PYTHON "$HELPERS/peer.py" echo "unix:$T/near/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
R=$T/far/r.sock

# A stale socket file where the remote socket goes.
$PYTHON -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$R"
[ -S "$R" ] || fail "no stale socket made"

ferry_bg rev -d "ssh-listen:127.0.0.1:$SSHPORT:$R,fork,ssh-config=$SSHCFG" \
    "unix-connect:$T/near/echo.sock"
REV=$FPID
ready rev
# Replaced: a connect is answered now (the stale file refused it).  The
# inode number is no sign, the file system may give the new one the same.
live() {
	$PYTHON -c 'import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$R"
}
wait_for live

randfile "$T/in" $((2 * 1024 * 1024))
for i in 1 2 3; do
	rm -f "$T/out"
	ferry_pipe c$i "$T/in" "$T/out" - "unix-connect:$R"
	[ "$RC" -eq 0 ] || fail "connection $i: exit $RC"
	same "$T/in" "$T/out"
done
[ "$(sshd_logins)" -eq 1 ] || fail "expected 1 login, sshd has $(sshd_logins)"
stop "$REV"
[ -z "$(ls "$T/tmp")" ] || fail "left behind in TMPDIR: $(ls "$T/tmp")"

# A refused login: one line, exit 1, nothing left behind.
grep -v IdentityFile "$SSHCFG" >"$T/noid_config"
ferry_run auth "ssh-listen:127.0.0.1:$SSHPORT:$T/far/x.sock,ssh-config=$T/noid_config,identity=$T/ssh/other_key" \
    "unix-connect:$T/near/echo.sock"
[ "$RC" -eq 1 ] || fail "refused login: exit $RC"
[ "$(wc -l <"$T/auth.log")" -eq 1 ] || fail "refused login: not one line: $(cat "$T/auth.log")"
expect_log auth "^ferry: ssh-listen:.*: ssh: .*Permission denied \(publickey\)\.\$"
[ -z "$(ls "$T/tmp")" ] || fail "left behind in TMPDIR: $(ls "$T/tmp")"
exit 0
