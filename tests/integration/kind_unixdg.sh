#!/bin/sh
# UNIX-SENDTO, UNIX-CLIENT on a datagram server, UNIX-RECVFROM, UNIX-RECV
# against real Python peers: echoes, 1,000 datagrams of random sizes up to
# 64 KiB checked one by one, the sender's own address cleaned up, mode=,
# stale and live socket files, bad input.
. "$TESTS_DIR/integration/lib.sh"

DG="$PYTHON $HELPERS/dgram.py"
export TMPDIR="$T"	# where a sender's temporary name would go
bg echo $DG echo "unixdg:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

printf 'hello\n' >"$T/hello"
for k in unix-sendto UNIX-SENDTO unix-client unix local; do
	ferry_pipe "c$k" "$T/hello" "$T/out" -t 2 - "$k:$T/echo.sock"
	[ "$RC" -eq 0 ] || fail "$k: exit $RC"
	same "$T/hello" "$T/out"
done
# bind=PATH: the sender's own socket file, removed at the end.
ferry_pipe cbind "$T/hello" "$T/out" -t 2 - "unix-sendto:$T/echo.sock,bind=$T/me.sock"
[ "$RC" -eq 0 ] || fail "bind=: exit $RC"
same "$T/hello" "$T/out"
[ ! -e "$T/me.sock" ] || fail "bind= socket file left behind"
! ls "$T"/ferry.*.sock >/dev/null 2>&1 || fail "a temporary socket file left behind"

# UNIX-RECVFROM (no fork): the first sender is the peer; 1,000 datagrams.
ferry_bg rf -d "unix-recvfrom:$T/rf.sock" "unix-sendto:$T/echo.sock"
RF=$FPID
ready rf
[ "$ADDR" = "$T/rf.sock" ] || fail "ready file says '$ADDR'"
timeout 120 $DG check "unixdg:$T/rf.sock" --count 1000 --max 65536 >"$T/check.out" 2>&1 ||
	fail "UNIX-RECVFROM records: $(cat "$T/check.out")"
stop "$RF"
[ ! -e "$T/rf.sock" ] || fail "UNIX-RECVFROM left its socket file"

# UNIX-RECV: from anyone, no replies.
FERRY_STDOUT=$T/recv.out ferry_bg recv -u "unix-recv:$T/in.sock" STDOUT
RECV=$FPID
ready recv
"$PYTHON" - "$T/in.sock" <<'PY'
import socket, sys
for i in range(3):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.sendto(b"from sender %d\n" % i, sys.argv[1])
    s.close()
PY
three() { [ "$(wc -l <"$T/recv.out")" -eq 3 ]; }
wait_for three
stop "$RECV"
[ ! -e "$T/in.sock" ] || fail "UNIX-RECV left its socket file"

# mode=: the socket file has its mode as soon as ferry announces it.
ferry_bg mode -u "unix-recv:$T/mode.sock,mode=0640" STDOUT
MODE=$FPID
ready mode
[ "$(stat -c %a "$T/mode.sock")" = 640 ] || fail "mode=0640 gave $(stat -c %a "$T/mode.sock")"
stop "$MODE"
[ ! -e "$T/mode.sock" ] || fail "mode= socket file left behind"

# A stale socket file is replaced; a live one is not; a plain file is not.
"$PYTHON" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])' "$T/stale.sock"
[ -S "$T/stale.sock" ] || fail "no stale socket made"
ferry_bg stale -d "unix-recvfrom:$T/stale.sock" "unix-sendto:$T/echo.sock"
STALE=$FPID
ready stale
expect_log stale "replaced stale socket"
timeout 30 $DG check "unixdg:$T/stale.sock" --count 5 >"$T/c2.out" 2>&1 || fail "after stale: $(cat "$T/c2.out")"
stop "$STALE"
ferry_run live "unix-recv:$T/echo.sock" STDOUT </dev/null
[ "$RC" -eq 1 ] || fail "live socket: exit $RC"
expect_log live "is in use by a live server"
[ -S "$T/echo.sock" ] || fail "the live server's socket file was removed"
: >"$T/plain"
ferry_run plain "unix-recvfrom:$T/plain" STDOUT </dev/null
[ "$RC" -eq 1 ] || fail "plain file: exit $RC"
expect_log plain "exists and is not a socket"

# Bad input: one line naming the address and the OS error.
ferry_run missing - "unix-sendto:$T/missing.sock" </dev/null
[ "$RC" -eq 1 ] || fail "missing path: exit $RC"
expect_log missing "unix-sendto:.*missing.sock: connect to .*: No such file or directory"
[ "$(wc -l <"$T/missing.log")" -eq 1 ] || fail "missing path: more than one line"
ferry_run nodir "unix-recvfrom:$T/no/such/dir.sock" STDOUT </dev/null
[ "$RC" -eq 1 ] || fail "no such directory: exit $RC"
expect_log nodir "bind .*: No such file or directory"
! ls "$T"/ferry.*.sock >/dev/null 2>&1 || fail "a temporary socket file left behind"

# Every signal ferry handles removes a datagram server's socket file (here
# while it waits for a first sender; after serving, see above).
for sig in INT TERM HUP; do
	ferry_bg "sig$sig" "unix-recvfrom:$T/sig.sock" "unix-sendto:$T/echo.sock"
	SIGP=$FPID
	ready "sig$sig"
	[ -S "$T/sig.sock" ] || fail "no socket file before SIG$sig"
	stop "$SIGP" "$sig"
	[ ! -e "$T/sig.sock" ] || fail "socket file left behind after SIG$sig"
	case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
	[ "$REAPED" -eq "$want" ] || fail "SIG$sig: exit $REAPED, not $want"
done
