#!/bin/sh
# SSH checks the remote path from the event loop, not with it blocked:
# sshd holds that check (a ForceCommand that waits while a file exists),
# and meanwhile ferry accepts two connections and answers SIGUSR1 with
# its statistics, both sessions waiting for ssh; once the check goes on,
# both relay their bytes (sha256) over the one login.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/sshd.sh"

cat >"$T/gate" <<EOS
#!/bin/sh
: >"$T/held"
i=0
while [ -e "$T/hold" ] && [ \$i -lt 3000 ]; do
	i=\$((i + 1))
	sleep 0.02
done
exec /bin/sh -c "\$SSH_ORIGINAL_COMMAND"
EOS
chmod 755 "$T/gate"
SSHD_EXTRA="ForceCommand $T/gate"
sshd_start
mkdir "$T/far"
bg echo $PYTHON "$HELPERS/peer.py" echo "unix:$T/far/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

ferry_bg near -d "unix-listen:$T/near.sock,fork" \
    "ssh:127.0.0.1:$SSHPORT:$T/far/echo.sock,ssh-config=$SSHCFG"
NEAR=$FPID
ready near

: >"$T/hold"
randfile "$T/in1" $((1024 * 1024))
randfile "$T/in2" $((1024 * 1024 + 7))
bg c1 $PYTHON "$HELPERS/client.py" send "unix:$T/near.sock" --in "$T/in1" --out "$T/out1" --timeout 90
C1=$BGPID
wait_for test -e "$T/held"

# The check is held; the loop goes on.
bg c2 $PYTHON "$HELPERS/client.py" send "unix:$T/near.sock" --in "$T/in2" --out "$T/out2" --timeout 90
C2=$BGPID
stats() {
	kill -USR1 "$NEAR"
	grep -q "stats: 2 open, 2 accepted" "$T/near.log"
}
wait_for stats
[ "$(grep -c "stats: .*: opening ssh:" "$T/near.log")" -ge 2 ] ||
    fail "sessions not waiting for ssh: $(cat "$T/near.log")"
[ -e "$T/held" ] && [ -e "$T/hold" ] || fail "the check was not held"
[ ! -s "$T/out1" ] || fail "bytes came back before the check"

rm -f "$T/hold"
await "$C1"
[ "$REAPED" -eq 0 ] || fail "client 1: exit $REAPED: $(cat "$T/c1.log")"
await "$C2"
[ "$REAPED" -eq 0 ] || fail "client 2: exit $REAPED: $(cat "$T/c2.log")"
same "$T/in1" "$T/out1"
same "$T/in2" "$T/out2"
[ "$(sshd_logins)" -eq 1 ] || fail "expected 1 login, sshd has $(sshd_logins)"
stop "$NEAR"
exit 0
