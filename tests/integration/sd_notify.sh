#!/bin/sh
# sd_notify without libsystemd: a Python service-manager end of
# NOTIFY_SOCKET receives READY=1 once the listener is up (its socket file
# already there), WATCHDOG=1 again and again with WATCHDOG_USEC, and
# STOPPING=1 on SIGTERM, in that order; an abstract NOTIFY_SOCKET works
# too; children do not inherit the variables; a bad one is a warning only.
. "$TESTS_DIR/integration/lib.sh"

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
ECHO=$BGPID
wait_for test -s "$T/echo.ready"
printf 'hello, manager\n' >"$T/hello"

# A listener with the watchdog at 100 ms (WATCHDOG=1 every 50 ms).
bg mgr "$PYTHON" "$HELPERS/notify.py" "$T/notify.sock" --ready "$T/mgr.ready" \
    --out "$T/mgr.out" --check "$T/s.sock"
M=$BGPID
wait_for test -s "$T/mgr.ready"
export NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=100000
ferry_bg n -dd "unix-listen:$T/s.sock,fork" "unix-connect:$T/echo.sock"
F=$FPID
unset NOTIFY_SOCKET WATCHDOG_USEC
ready n
wait_for grep -q '^READY=1' "$T/mgr.out"
[ "$(head -n 1 "$T/mgr.out")" = "READY=1 present" ] ||
	fail "first message: $(head -n 1 "$T/mgr.out")"
ferry_pipe c "$T/hello" "$T/out" - "unix-connect:$T/s.sock"
[ "$RC" -eq 0 ] || fail "client of the notifying listener: exit $RC"
same "$T/hello" "$T/out"
watchdogs() {
	[ "$(grep -c '^WATCHDOG=1' "$T/mgr.out")" -ge 3 ]
}
wait_for watchdogs
stop "$F"
[ "$REAPED" -eq 143 ] || fail "SIGTERM: exit $REAPED"
wait_for grep -q '^STOPPING=1' "$T/mgr.out"
[ "$(grep -c '^READY=1' "$T/mgr.out")" -eq 1 ] || fail "READY=1 not once: $(cat "$T/mgr.out")"
[ "$(grep -c '^STOPPING=1' "$T/mgr.out")" -eq 1 ] || fail "STOPPING=1 not once: $(cat "$T/mgr.out")"
grep -v '^WATCHDOG=1' "$T/mgr.out" | cut -d' ' -f1 | tr '\n' ' ' >"$T/order"
[ "$(cat "$T/order")" = "READY=1 STOPPING=1 " ] || fail "order: $(cat "$T/order")"
expect_log n "watchdog: WATCHDOG=1 every 50000 us"
stop "$M"

# An abstract NOTIFY_SOCKET, a one-shot relay with no listener, and a
# child that must not see the variables (nor WATCHDOG_PID's watchdog,
# which is another process's).
N="@ferry-test-$$-${T##*/}"
bg mgr2 "$PYTHON" "$HELPERS/notify.py" "$N" --ready "$T/mgr2.ready" --out "$T/mgr2.out"
M=$BGPID
wait_for test -s "$T/mgr2.ready"
RC=0
NOTIFY_SOCKET=$N WATCHDOG_USEC=1000 WATCHDOG_PID=1 timeout 30 "$FERRY" -u \
    "system:env | grep -e ^NOTIFY_SOCKET= -e ^WATCHDOG_ || echo clean" \
    STDOUT >"$T/env.out" 2>"$T/abs.log" </dev/null || RC=$?
FERRY_LOGS="$FERRY_LOGS $T/abs.log"
[ "$RC" -eq 0 ] || fail "ferry with an abstract NOTIFY_SOCKET: exit $RC"
[ "$(cat "$T/env.out")" = "clean" ] || fail "the child inherited: $(cat "$T/env.out")"
wait_for grep -q '^STOPPING=1' "$T/mgr2.out"
[ "$(tr '\n' ' ' <"$T/mgr2.out")" = "READY=1 STOPPING=1 " ] ||
	fail "abstract NOTIFY_SOCKET got: $(cat "$T/mgr2.out")"
stop "$M"

# Nobody listening at NOTIFY_SOCKET, and one that is not a path: a
# warning each, and the relay goes on.
RC=0
NOTIFY_SOCKET=$T/nobody.sock timeout 30 "$FERRY" - "unix-connect:$T/echo.sock" \
    <"$T/hello" >"$T/out" 2>"$T/nobody.log" || RC=$?
FERRY_LOGS="$FERRY_LOGS $T/nobody.log"
[ "$RC" -eq 0 ] || fail "NOTIFY_SOCKET with nobody there: exit $RC"
same "$T/hello" "$T/out"
expect_log nobody "^ferry: NOTIFY_SOCKET $T/nobody.sock: READY=1: (No such file or directory|Connection refused)\$"
[ "$(wc -l <"$T/nobody.log")" -eq 1 ] || fail "more than one warning: $(cat "$T/nobody.log")"
RC=0
NOTIFY_SOCKET=relative.sock timeout 30 "$FERRY" - "unix-connect:$T/echo.sock" \
    <"$T/hello" >"$T/out" 2>"$T/rel.log" || RC=$?
FERRY_LOGS="$FERRY_LOGS $T/rel.log"
[ "$RC" -eq 0 ] || fail "NOTIFY_SOCKET not a path: exit $RC"
same "$T/hello" "$T/out"
expect_log rel "^ferry: NOTIFY_SOCKET 'relative.sock': not a path nor an @name; not notifying\$"
stop "$ECHO"
