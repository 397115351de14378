#!/bin/sh
# SSH: a remote UNIX socket through the system's ssh and a real sshd on
# loopback: bytes both ways (sha256), 50 connections at once over one ssh
# login (they arrive while it logs in, and wait), a failing login behind a
# forking listener, and one-line errors with exit 1 for a refused login, an unknown
# host key and a remote path with no socket.  No ssh master, control
# socket or temp dir is left behind.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/sshd.sh"

sshd_start
mkdir "$T/far" "$T/tmp"
TMPDIR=$T/tmp
export TMPDIR
bg echo $PYTHON "$HELPERS/peer.py" echo "unix:$T/far/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
DEST="127.0.0.1:$SSHPORT"
OPTS="ssh-config=$SSHCFG"

# Bytes both ways through one connection.
randfile "$T/in" $((4 * 1024 * 1024))
ferry_pipe one "$T/in" "$T/out" - "ssh:$DEST:$T/far/echo.sock,$OPTS"
[ "$RC" -eq 0 ] || fail "ssh relay: exit $RC: $(cat "$T/one.log")"
same "$T/in" "$T/out"
[ "$(sshd_logins)" -eq 1 ] || fail "expected 1 login, sshd has $(sshd_logins)"
[ -z "$(ls "$T/tmp")" ] || fail "left behind in TMPDIR: $(ls "$T/tmp")"

# 50 connections at once through a forking listener: one ssh login.
ferry_bg near -d "unix-listen:$T/near.sock,fork" "ssh:$DEST:$T/far/echo.sock,$OPTS"
NEAR=$FPID
ready near
$PYTHON - "$T/near.sock" <<'PY' || fail "50 connections: $(cat "$T/near.log")"
import hashlib, os, socket, sys, threading
path, errors = sys.argv[1], []
def one(i):
    try:
        data = os.urandom(100000 + i)
        c = socket.socket(socket.AF_UNIX)
        c.settimeout(60)
        c.connect(path)
        c.sendall(data)
        c.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            d = c.recv(65536)
            if not d:
                break
            got += d
        if hashlib.sha256(got).digest() != hashlib.sha256(data).digest():
            errors.append("conn %d: %d bytes back of %d" % (i, len(got), len(data)))
    except Exception as e:
        errors.append("conn %d: %s" % (i, e))
ts = [threading.Thread(target=one, args=(i,)) for i in range(50)]
for t in ts: t.start()
for t in ts: t.join()
if errors:
    sys.exit("; ".join(errors[:5]))
PY
[ "$(sshd_logins)" -eq 2 ] || fail "50 connections: expected one more login, sshd has $(sshd_logins)"
master=$(grep -l "^PPid:[[:space:]]*$NEAR\$" /proc/[0-9]*/status 2>/dev/null | head -n 1)
[ -n "$master" ] || fail "no ssh master under ferry $NEAR"
master=$(basename "$(dirname "$master")")
# The master dies: the listener stays, the next connection logs in again.
kill -TERM "$master"
gone() {
	! kill -0 "$master" 2>/dev/null
}
wait_for gone
printf 'again\n' >"$T/again"
ferry_pipe again "$T/again" "$T/out" - "unix-connect:$T/near.sock"
[ "$RC" -eq 0 ] || fail "after the master died: exit $RC"
same "$T/again" "$T/out"
[ "$(sshd_logins)" -eq 3 ] || fail "after the master died: expected a new login, sshd has $(sshd_logins)"
master=$(grep -l "^PPid:[[:space:]]*$NEAR\$" /proc/[0-9]*/status 2>/dev/null | head -n 1)
[ -n "$master" ] || fail "no new ssh master under ferry $NEAR"
master=$(basename "$(dirname "$master")")
stop "$NEAR"
[ "$REAPED" -eq 143 ] || [ "$REAPED" -eq 0 ] || fail "near: exit $REAPED"
! kill -0 "$master" 2>/dev/null || fail "ssh master $master outlived ferry"
[ -z "$(ls "$T/tmp")" ] || fail "left behind in TMPDIR: $(ls "$T/tmp")"

# identity= logs in with that key.
grep -v IdentityFile "$SSHCFG" >"$T/noid_config"
ferry_pipe id "$T/in" "$T/out" - "ssh:$DEST:$T/far/echo.sock,ssh-config=$T/noid_config,identity=$T/ssh/user_key"
[ "$RC" -eq 0 ] || fail "identity=: exit $RC: $(cat "$T/id.log")"
same "$T/in" "$T/out"

# A refused login: one line naming the address, exit 1.
# (A config whose only key is not authorized; identity= names the key.)
printf 'x\n' >"$T/x"
ferry_pipe auth "$T/x" "$T/out" - "ssh:$DEST:$T/far/echo.sock,ssh-config=$T/noid_config,identity=$T/ssh/other_key"
[ "$RC" -eq 1 ] || fail "refused login: exit $RC"
[ "$(wc -l <"$T/auth.log")" -eq 1 ] || fail "refused login: not one line: $(cat "$T/auth.log")"
expect_log auth "^ferry: ssh:127\.0\.0\.1:$SSHPORT:.*: ssh: .*Permission denied \(publickey\)\.\$"

# Behind a forking listener a refused login ends the connections waiting
# for it (their clients see EOF), is logged, and the listener stays; the
# next connection tries again.
ferry_bg bad "unix-listen:$T/bad.sock,fork" "ssh:$DEST:$T/far/echo.sock,ssh-config=$T/noid_config,identity=$T/ssh/other_key"
BAD=$FPID
ready bad
: >"$T/empty"
for i in 1 2; do
	ferry_pipe badc$i "$T/empty" "$T/out" - "unix-connect:$T/bad.sock"
	[ "$RC" -eq 0 ] || fail "client $i of a failing SSH: exit $RC"
	[ ! -s "$T/out" ] || fail "client $i of a failing SSH got data"
done
[ "$(grep -c 'Permission denied' "$T/bad.log")" -eq 2 ] ||
	fail "refused logins not logged once each: $(cat "$T/bad.log")"
kill -0 "$BAD" || fail "the listener died with its ssh"
stop "$BAD"
[ -z "$(ls "$T/tmp")" ] || fail "left behind in TMPDIR: $(ls "$T/tmp")"

# An unknown host key: one line, exit 1.
ssh-keygen -q -t ed25519 -N '' -f "$T/wrong_host"
echo "[127.0.0.1]:$SSHPORT $(cat "$T/wrong_host.pub")" >"$T/known_bad"
ferry_pipe hostkey "$T/x" "$T/out" - "ssh:$DEST:$T/far/echo.sock,$OPTS,ssh-option=UserKnownHostsFile=$T/known_bad"
[ "$RC" -eq 1 ] || fail "host key mismatch: exit $RC"
[ "$(wc -l <"$T/hostkey.log")" -eq 1 ] || fail "host key: not one line: $(cat "$T/hostkey.log")"
expect_log hostkey "^ferry: ssh:.*: ssh: Host key verification failed\.\$"

# No socket at the remote path: one line, exit 1.
ferry_pipe nopath "$T/x" "$T/out" - "ssh:$DEST:$T/far/nothing.sock,$OPTS"
[ "$RC" -eq 1 ] || fail "missing path: exit $RC"
[ "$(wc -l <"$T/nopath.log")" -eq 1 ] || fail "missing path: not one line: $(cat "$T/nopath.log")"
expect_log nopath "^ferry: ssh:.*: ssh: no socket at $T/far/nothing.sock on 127\.0\.0\.1\$"
[ -z "$(ls "$T/tmp")" ] || fail "left behind in TMPDIR: $(ls "$T/tmp")"

# A relative path is refused when parsed.
ferry_run rel - "ssh:$DEST:tmp/x.sock"
[ "$RC" -eq 1 ] || fail "relative path: exit $RC"
expect_log rel "the remote path must be absolute"
exit 0
