#!/bin/sh
# fd passing over ssh, with ferry on the far side: the near peer's hop is
# an exec address running "ssh HOST ferry -,fdpass unix-connect:SERVER",
# so the far peer speaks on ssh's stdio (no port published).  A spring-like
# client passes its stdin, stdout and stderr; several clients share the one
# hop and the one ssh login.  And the SSH address as a hop to a far peer
# listening on a UNIX socket.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/sshd.sh"

sshd_start
SPRING="$PYTHON $HELPERS/fdpass_spring.py"
mkdir "$T/far" "$T/near"
bg server $SPRING server "$T/far/spring.sock" --ready "$T/server.ready"
wait_for test -s "$T/server.ready"

ferry_bg near -d "unix-listen:$T/near/s.sock,fork,mode=0600,fdpass" \
    "exec:'ssh -F $SSHCFG -T -p $SSHPORT 127.0.0.1 $FERRY -,fdpass unix-connect:$T/far/spring.sock'"
NEAR=$FPID
ready near

client() {
	_rc=0
	timeout 30 $SPRING client "$1" -- "$2" || _rc=$?
	echo "$_rc" >"$T/rc"
}

randfile "$T/in" $((1024 * 1024))
for i in 1 2 3; do
	client "$T/near/s.sock" cat <"$T/in" >"$T/out"
	[ "$(cat "$T/rc")" -eq 0 ] || fail "client $i: exit $(cat "$T/rc")"
	same "$T/in" "$T/out"
done
printf 'x\n' | client "$T/near/s.sock" false >/dev/null
[ "$(cat "$T/rc")" -eq 1 ] || fail "exit status not carried: $(cat "$T/rc")"
[ "$(sshd_logins)" -eq 1 ] || fail "expected 1 login, sshd has $(sshd_logins)"
stop "$NEAR"

# The SSH address as the hop: the far peer listens on a UNIX socket on the
# remote host, the near peer reaches it through ssh's forwarding.
ferry_bg far -d "unix-listen:$T/far/hop.sock,fork,fdpass" \
    "unix-connect:$T/far/spring.sock"
FAR=$FPID
ready far
ferry_bg near2 -d "unix-listen:$T/near/s2.sock,fork,fdpass" \
    "ssh:127.0.0.1:$SSHPORT:$T/far/hop.sock,ssh-config=$SSHCFG"
NEAR2=$FPID
ready near2
client "$T/near/s2.sock" cat <"$T/in" >"$T/out"
[ "$(cat "$T/rc")" -eq 0 ] || fail "over SSH: exit $(cat "$T/rc")"
same "$T/in" "$T/out"
[ "$(sshd_logins)" -eq 2 ] || fail "expected 2 logins, sshd has $(sshd_logins)"
stop "$NEAR2"
stop "$FAR"
exit 0
