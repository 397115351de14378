#!/bin/sh
# range= on TCP listeners (IPv4, IPv6, a v4 client of a dual-stack
# listener) and allow-uid=/allow-gid= on UNIX listeners: a refused peer is
# closed before anything is relayed, logged, and the listener keeps
# serving; an allowed one is relayed.
. "$TESTS_DIR/integration/lib.sh"

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

probe() {	# probe ADDR: 0 if echoed, 3 if refused/closed
	"$PYTHON" "$HELPERS/client.py" probe "$1" --timeout 10 2>/dev/null
}

# IPv4: outside the range, closed; inside, relayed.
ferry_bg no4 tcp4-listen:0,fork,bind=127.0.0.1,range=10.0.0.0/8 "unix-connect:$T/echo.sock"
NO4=$FPID
ready no4
t0=$(date +%s)
i=0
while [ $i -lt 10 ]; do
	RC=0; probe "tcp:127.0.0.1:$PORT" || RC=$?
	[ "$RC" -eq 3 ] || fail "client $i outside range= got $RC"
	i=$((i + 1))
done
t1=$(date +%s)
expect_log no4 "refused 127\.0\.0\.1:[0-9]+: not in range="
# Said at most once a second (without -d), not once per client.
[ "$(grep -c refused "$T/no4.log")" -le $((t1 - t0 + 1)) ] ||
    fail "refusals said more than once a second: $(cat "$T/no4.log")"
stop "$NO4"

ferry_bg yes4 tcp4-listen:0,fork,bind=127.0.0.1,range='10.0.0.0/8 127.0.0.0:255.0.0.0' "unix-connect:$T/echo.sock"
YES4=$FPID
ready yes4
probe "tcp:127.0.0.1:$PORT" || fail "a client inside range= was not relayed"
stop "$YES4"

# A v4 client of a dual-stack listener is checked as IPv4.
ferry_bg dual tcp-listen:0,fork,range=127.0.0.1 "unix-connect:$T/echo.sock"
DUAL=$FPID
ready dual
probe "tcp:127.0.0.1:$PORT" || fail "a v4 client of a dual-stack listener was refused"
stop "$DUAL"

# IPv6.
if "$PYTHON" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	ferry_bg no6 tcp6-listen:0,fork,bind=[::1],range=[fe80::]/10 "unix-connect:$T/echo.sock"
	NO6=$FPID
	ready no6
	RC=0; probe "tcp:[::1]:$PORT" || RC=$?
	[ "$RC" -eq 3 ] || fail "an IPv6 client outside range= got $RC"
	expect_log no6 "refused \[::1\]:[0-9]+: not in range="
	stop "$NO6"
	ferry_bg yes6 tcp6-listen:0,fork,bind=[::1],range=::1 "unix-connect:$T/echo.sock"
	YES6=$FPID
	ready yes6
	probe "tcp:[::1]:$PORT" || fail "an IPv6 client inside range= was refused"
	stop "$YES6"
fi

# UNIX: the peer's uid and primary gid, from the kernel.
ME=$(id -u)
ferry_bg mine "unix-listen:$T/mine.sock,fork,mode=666,allow-uid=$ME" "unix-connect:$T/echo.sock"
MINE=$FPID
ready mine
probe "unix:$T/mine.sock" || fail "our own uid was refused"
stop "$MINE"

ferry_bg other "unix-listen:$T/other.sock,fork,mode=666,allow-uid=$((ME + 4242)),allow-gid=$(($(id -g) + 4242))" "unix-connect:$T/echo.sock"
OTHER=$FPID
ready other
RC=0; probe "unix:$T/other.sock" || RC=$?
[ "$RC" -eq 3 ] || fail "a uid not allowed got $RC"
expect_log other "refused a peer: uid $ME gid $(id -g) not allowed"
# ... and it still serves: allowed by group this time.
stop "$OTHER"
ferry_bg bygroup "unix-listen:$T/bygroup.sock,fork,allow-uid=$((ME + 4242)),allow-gid=$(id -g)" "unix-connect:$T/echo.sock"
BYGROUP=$FPID
ready bygroup
probe "unix:$T/bygroup.sock" || fail "our primary group was refused"
stop "$BYGROUP"

# As root: a client running as nobody against allow-uid=root.
# (Debian's python3 and a copy of the client: nobody may not read ours.)
if [ "$ME" -eq 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 &&
    [ -x /usr/bin/python3 ]; then
	cp "$HELPERS/client.py" "$T/client.py"
	chmod 644 "$T/client.py"
	ferry_bg rootonly "unix-listen:$T/root.sock,fork,mode=666,allow-uid=root" "unix-connect:$T/echo.sock"
	ROOT=$FPID
	ready rootonly
	chmod 755 "$T"
	RC=0
	setpriv --reuid nobody --regid nogroup --clear-groups \
	    /usr/bin/python3 "$T/client.py" probe "unix:$T/root.sock" --timeout 10 2>/dev/null || RC=$?
	[ "$RC" -eq 3 ] || fail "nobody got $RC from an allow-uid=root listener"
	expect_log rootonly "refused a peer: uid $(id -u nobody) "
	probe "unix:$T/root.sock" || fail "root was refused by allow-uid=root"
	stop "$ROOT"
fi
