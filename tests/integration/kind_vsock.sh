#!/bin/sh
# VSOCK-LISTEN and VSOCK-CONNECT (VSOCK, VSOCK-L), on CID 1 only (this
# machine, through the vsock_loopback module); never CID 2.  A connect
# that cannot succeed ends with one line within the connect timeout,
# loopback or not.  With loopback: a Python echo server on vsock behind a
# forking ferry vsock listener, 1 MB each way, sha256 checked.  Skipped
# (after the failure cases) where the kernel has no vsock loopback.
. "$TESTS_DIR/integration/lib.sh"

"$FERRY" help kinds | grep -q '^  VSOCK-LISTEN:' || skip "built without vsock"
"$PYTHON" -c 'import socket; socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)' 2>/dev/null ||
	skip "no AF_VSOCK in this kernel"

# Is there a loopback transport?  A listener on any CID, a connect to CID 1.
loop=$("$PYTHON" - <<'PY'
import socket
s = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
try:
    s.bind((socket.VMADDR_CID_ANY, socket.VMADDR_PORT_ANY))
    s.listen()
    c = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    c.settimeout(5)
    c.connect((1, s.getsockname()[1]))
    print(1)
except OSError:
    print(0)
PY
)
# A port nobody listens on: bound, read back, closed (an acceptable race).
free=$("$PYTHON" -c 'import socket; s = socket.socket(socket.AF_VSOCK); s.bind((socket.VMADDR_CID_ANY, socket.VMADDR_PORT_ANY)); print(s.getsockname()[1])')
printf 'hello, vsock\n' >"$T/hello"

# No hang: the kernel's timeout (2 s) or connect-timeout= ends it, with
# the reason and a hint, in one line.
RUN_TIMEOUT=30
for opt in "" ",connect-timeout=1"; do
	ferry_pipe "nobody$opt" "$T/hello" "$T/out" - "vsock-connect:1:$free$opt"
	[ "$RC" -eq 1 ] || fail "vsock-connect:1:$free$opt with nobody there: exit $RC"
	expect_log "nobody$opt" "^ferry: vsock-connect:1:$free$opt: connect: (Connection reset by peer \\(nothing listens on port $free at CID 1\\)|Connection timed out \\(no answer from CID 1: is the vsock_loopback module loaded\\?\\))\$"
	[ "$(wc -l <"$T/nobody$opt.log")" -eq 1 ] || fail "not one line: $(cat "$T/nobody$opt.log")"
done
ferry_run badcid - vsock:x:1 </dev/null
[ "$RC" -eq 1 ] || fail "vsock:x:1: exit $RC"
expect_log badcid "^ferry: vsock:x:1: bad cid 'x'"
ferry_run badport vsock-l:http - </dev/null
[ "$RC" -eq 1 ] || fail "vsock-l:http: exit $RC"
expect_log badport "^ferry: vsock-l:http: bad port 'http'"

# A listener binds (any CID) and says where, loopback or not.
ferry_bg bound vsock-listen:0,fork -
B=$FPID
ready bound
case $ADDR in vsock:any:[0-9]*) ;; *) fail "ready file says '$ADDR'" ;; esac
stop "$B"
[ "$REAPED" -eq 143 ] || fail "idle vsock listener, SIGTERM: exit $REAPED"

[ "$loop" = 1 ] || skip "no vsock loopback (CID 1): modprobe vsock_loopback"

randfile "$T/in" $((1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo vsock:0 --ready "$T/echo.ready"
ECHO=$BGPID
wait_for test -s "$T/echo.ready"
eport=$(sed 's/.*://' "$T/echo.ready")

ferry_bg relay -d vsock-listen:0,fork "vsock-connect:1:$eport"
R=$FPID
ready relay
case $ADDR in vsock:any:[0-9]*) ;; *) fail "ready file says '$ADDR'" ;; esac
for k in vsock-connect VSOCK; do
	ferry_pipe "c$k" "$T/in" "$T/out" - "$k:1:$PORT"
	[ "$RC" -eq 0 ] || fail "$k:1:$PORT: exit $RC"
	same "$T/in" "$T/out"
done
# A UNIX listener in front of the vsock relay, and VSOCK-L once.
ferry_bg front "unix-listen:$T/front.sock,fork" "vsock:1:$PORT"
F=$FPID
ready front
ferry_pipe cfront "$T/in" "$T/out" - "unix-connect:$T/front.sock"
[ "$RC" -eq 0 ] || fail "through unix and vsock: exit $RC"
same "$T/in" "$T/out"
stop "$F"
stop "$R"
[ "$REAPED" -eq 143 ] || fail "vsock relay, SIGTERM: exit $REAPED"
ferry_bg once VSOCK-L:0 "vsock-connect:1:$eport"
O=$FPID
ready once
ferry_pipe conce "$T/hello" "$T/out" - "vsock:1:$PORT"
[ "$RC" -eq 0 ] || fail "client of VSOCK-L: exit $RC"
same "$T/hello" "$T/out"
await "$O"
[ "$REAPED" -eq 0 ] || fail "VSOCK-L without fork exited $REAPED"
stop "$ECHO"
