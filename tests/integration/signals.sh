#!/bin/sh
# SIGTERM, SIGINT and SIGHUP: the listener closes, the socket file goes,
# live relays end within a short bound, exit status 128+N.  A second
# signal ends ferry at once.  A listener without fork serves one
# connection, removes its socket file and exits 0; after a fatal error it
# exits 1, and the file is gone too.  SIGPIPE never kills.
. "$TESTS_DIR/integration/lib.sh"

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
printf 'hello\n' >"$T/hello"

for sig in TERM INT HUP; do
	case $sig in TERM) n=15 ;; INT) n=2 ;; HUP) n=1 ;; esac

	# Idle: nothing connected.
	ferry_bg "idle$sig" "unix-listen:$T/s.sock,fork" "unix-connect:$T/echo.sock"
	F=$FPID
	ready "idle$sig"
	[ -S "$T/s.sock" ] || fail "no socket file"
	stop "$F" "$sig"
	[ "$REAPED" -eq $((128 + n)) ] || fail "SIG$sig, idle: exit $REAPED, expected $((128 + n))"
	[ ! -e "$T/s.sock" ] || fail "SIG$sig left the socket file"

done

# TCP listeners too.
ferry_bg tcp tcp-listen:0,fork,bind=127.0.0.1 "unix-connect:$T/echo.sock"
F=$FPID
ready tcp
stop "$F" TERM
[ "$REAPED" -eq 143 ] || fail "tcp listener, SIGTERM: exit $REAPED"

# A second signal while the first one's relays drain: out at once.
rm -f "$T/gen.ready" "$T/gen.status" "$T/stall.ready"
bg gen2 "$PYTHON" "$HELPERS/peer.py" gen "unix:$T/gen2.sock" --ready "$T/gen.ready" \
    --bytes $((1 << 30)) --status "$T/gen.status"
G=$BGPID
wait_for test -s "$T/gen.ready"
ferry_bg twice -d "unix-listen:$T/s.sock,fork" "unix-connect:$T/gen2.sock"
F=$FPID
ready twice
bg stall2 "$PYTHON" "$HELPERS/client.py" stall "unix:$T/s.sock" --ready "$T/stall.ready" \
    --out "$T/stall.out"
H=$BGPID
wait_for test -s "$T/stall.ready"
wait_for grep -q blocked "$T/gen.status"
kill -TERM "$F"
wait_for grep -q 'signal 15: shutting down' "$T/twice.log"
stop "$F" INT
[ "$REAPED" -eq 130 ] || fail "second signal (INT after TERM): exit $REAPED, expected 130"
[ ! -e "$T/s.sock" ] || fail "two signals left the socket file"
stop "$H"
stop "$G"

# Without fork: one connection, then the file goes and the exit is 0.
ferry_bg once "unix-listen:$T/once.sock" "unix-connect:$T/echo.sock"
F=$FPID
ready once
ferry_pipe c "$T/hello" "$T/out" - "unix-connect:$T/once.sock"
[ "$RC" -eq 0 ] || fail "client of the one-shot listener: exit $RC"
same "$T/hello" "$T/out"
await "$F"
[ "$REAPED" -eq 0 ] || fail "one-shot listener: exit $REAPED"
[ ! -e "$T/once.sock" ] || fail "one-shot listener left its socket file"

# A fatal error: the one-shot listener's other side cannot be opened;
# ferry exits 1 and the socket file is gone all the same.
ferry_bg fatal "unix-listen:$T/fatal.sock" "unix-connect:$T/nobody.sock"
F=$FPID
ready fatal
ferry_pipe cfatal "$T/hello" "$T/out" - "unix-connect:$T/fatal.sock"
await "$F"
[ "$REAPED" -eq 1 ] || fail "one-shot listener, fatal error: exit $REAPED"
expect_log fatal "connect: No such file or directory"
[ ! -e "$T/fatal.sock" ] || fail "a fatal error left the socket file"

# SIGPIPE: the reader of ferry's stdout goes away mid-stream.
RC=$( { { RC=0; timeout -k 5 60 "$FERRY" "exec:'yes'" STDOUT 2>"$T/pipe.log" 3>&- || RC=$?
	echo "$RC" >&3; } | head -c 100000 >/dev/null; } 3>&1 )
FERRY_LOGS="$FERRY_LOGS $T/pipe.log"
[ "$RC" -ne 124 ] || fail "ferry kept running after its reader went away"
[ "$RC" -ne 141 ] || fail "ferry was killed by SIGPIPE"
[ "$RC" -le 1 ] || fail "ferry exited $RC after its reader went away"

# Busy: for each signal, a source sends without end to a client that reads
# nothing, so the relay cannot drain; it is ended within a bound (ferry's
# own is 2 s, stop allows 10), and the status is still 128+N.
for sig in TERM INT HUP; do
	case $sig in TERM) n=15 ;; INT) n=2 ;; HUP) n=1 ;; esac
	rm -f "$T/gen.ready" "$T/gen.status" "$T/stall.ready"
	bg "gen$sig" "$PYTHON" "$HELPERS/peer.py" gen "unix:$T/gen$sig.sock" --ready "$T/gen.ready" \
	    --bytes $((1 << 30)) --status "$T/gen.status"
	G=$BGPID
	wait_for test -s "$T/gen.ready"
	ferry_bg "busy$sig" "unix-listen:$T/s.sock,fork" "unix-connect:$T/gen$sig.sock"
	F=$FPID
	ready "busy$sig"
	bg "stall$sig" "$PYTHON" "$HELPERS/client.py" stall "unix:$T/s.sock" --ready "$T/stall.ready" \
	    --out "$T/stall.out"
	H=$BGPID
	wait_for test -s "$T/stall.ready"
	wait_for grep -q blocked "$T/gen.status"
	stop "$F" "$sig"
	[ "$REAPED" -eq $((128 + n)) ] || fail "SIG$sig, busy: exit $REAPED, expected $((128 + n))"
	[ ! -e "$T/s.sock" ] || fail "SIG$sig (busy) left the socket file"
	stop "$H"
	stop "$G"
done
