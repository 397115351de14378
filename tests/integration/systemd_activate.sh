#!/bin/sh
# Socket activation with systemd-socket-activate (Debian's systemd
# package), each a relay to a real Python echo server, bytes checked:
#  - UNIX, SYSTEMD:name,fork (--fdname), two clients at once; the children
#    ferry starts inherit neither LISTEN_* nor the fds; the socket file
#    systemd made is left in place at exit;
#  - contrib/systemd/ferry-proxy.service's command, with a backend that
#    appears only after the first client came (the wait-for recipe);
#  - TCP, ACCEPT-FD:3,fork; TCP by name and UNIX by number, with the
#    ready file naming the passed socket;
#  - one ferry per connection: --accept with FD:3, --inetd --accept with
#    FD:0 and with STDIO;
#  (datagram and seqpacket sockets: systemd_dgram.sh)
#  - a stream socket that is not listening, a file, a
#    closed fd, an unknown name, no LISTEN_FDS, another LISTEN_PID: one
#    line each, exit 1.
. "$TESTS_DIR/integration/lib.sh"

SA=$(command -v systemd-socket-activate) || skip "no systemd-socket-activate"

randfile "$T/in" $((1024 * 1024))
# The Python client sends everything before it reads: 64 KB, so that the
# echo never fills every buffer on the way (ferry clients take $T/in).
randfile "$T/small" $((64 * 1024))
printf 'hello, activated\n' >"$T/hello"
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
ECHO=$BGPID

# activated NAME ARGS...: systemd-socket-activate ARGS in the background,
# its (and then ferry's) stderr in $T/NAME.log, pid in $A; waits until it
# listens.  Without --accept it execs ferry, so $A becomes ferry's pid.
activated() {
	_name=$1; shift
	bg "$_name" "$SA" "$@"
	A=$BGPID
	FERRY_LOGS="$FERRY_LOGS $T/$_name.log"
	wait_for grep -q '^Listening on' "$T/$_name.log"
}

# send NAME ADDR: a Python client sends $T/small through ADDR and reads
# the answer into $T/NAME.out, in the background; pid in $BGPID.
send() {
	bg "$1" "$PYTHON" "$HELPERS/client.py" send "$2" --in "$T/small" --out "$T/$1.out"
}

# UNIX: SYSTEMD:web,fork; two clients at once.
# Two sockets: fd 3 named "admin" on admin.sock, fd 4 "web" on web.sock.
activated unix -l "$T/admin.sock" -l "$T/web.sock" --fdname=admin:web \
    "$FERRY" -d systemd:web,fork "unix-connect:$T/echo.sock"
U=$A
send u1 "unix:$T/web.sock"
C1=$BGPID
send u2 "unix:$T/web.sock"
C2=$BGPID
ferry_pipe u3 "$T/in" "$T/u3.out" - "unix-connect:$T/web.sock"
[ "$RC" -eq 0 ] || fail "ferry client over UNIX: exit $RC"
await "$C1"
[ "$REAPED" -eq 0 ] || fail "unix client 1: exit $REAPED"
await "$C2"
[ "$REAPED" -eq 0 ] || fail "unix client 2: exit $REAPED"
same "$T/small" "$T/u1.out"
same "$T/small" "$T/u2.out"
same "$T/in" "$T/u3.out"
expect_log unix "systemd:web,fork: listening on $T/web.sock"
stop "$U"
[ "$REAPED" -eq 143 ] || fail "activated ferry, SIGTERM: exit $REAPED"
[ -S "$T/web.sock" ] || fail "ferry removed the socket file systemd made"

# The first socket by default, and what a child of ferry inherits.
activated env -l "$T/env.sock" "$FERRY" systemd,fork \
    "system:env | grep ^LISTEN_; for n in 3 4 5; do test -e /proc/\$\$/fd/\$n && echo fd \$n; done; echo done"
E=$A
ferry_pipe cenv /dev/null "$T/env.out" -u "unix-connect:$T/env.sock" -
[ "$RC" -eq 0 ] || fail "client of SYSTEMD with a child: exit $RC"
[ "$(cat "$T/env.out")" = "done" ] || fail "the child inherited: $(cat "$T/env.out")"
stop "$E"

# contrib/systemd's ferry-proxy.service, its ExecStart as written but for
# the paths, started before the app's socket exists: the client waits,
# and is served once the app appears.
unit=$TESTS_DIR/../contrib/systemd/ferry-proxy.service
[ -f "$unit" ] || fail "no $unit"
cmd=$(sed -n 's/^ExecStart=//p' "$unit" | sed -e "s|/usr/local/bin/ferry|$FERRY|" \
    -e "s|/run/app/app.sock|$T/app.sock|")
case $cmd in "$FERRY "*"$T/app.sock"*) ;; *) fail "ExecStart: $cmd" ;; esac
# shellcheck disable=SC2086
activated unit -l "$T/proxy.sock" --fdname=web $cmd
P=$A
FERRY_STDIN=$T/hello ferry_bg late - "unix-connect:$T/proxy.sock"
C=$FPID
wait_for grep -q 'No such file or directory, retrying' "$T/unit.log"
bg app "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/app.sock" --ready "$T/app.ready"
APP=$BGPID
await "$C"
[ "$REAPED" -eq 0 ] || fail "client of the contrib unit: exit $REAPED"
same "$T/hello" "$T/late.out"
stop "$P"
stop "$APP"

# TCP: ACCEPT-FD:3,fork on a port picked by the kernel (bound, closed,
# then given to systemd-socket-activate: an acceptable race).
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
activated tcp -l "127.0.0.1:$port" "$FERRY" accept-fd:3,fork "unix-connect:$T/echo.sock"
P=$A
send t1 "tcp:127.0.0.1:$port"
C1=$BGPID
ferry_pipe t2 "$T/in" "$T/t2.out" - "tcp:127.0.0.1:$port"
[ "$RC" -eq 0 ] || fail "ferry client over TCP: exit $RC"
await "$C1"
[ "$REAPED" -eq 0 ] || fail "tcp client: exit $REAPED"
same "$T/small" "$T/t1.out"
same "$T/in" "$T/t2.out"
stop "$P"
[ "$REAPED" -eq 143 ] || fail "ACCEPT-FD over TCP, SIGTERM: exit $REAPED"

# The other way round: TCP by name, UNIX by number; the ready file names
# the socket that was passed.
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
activated tcpname -l "127.0.0.1:$port" --fdname=api "$FERRY" --ready-file "$T/tn.ready" \
    systemd:api,fork "unix-connect:$T/echo.sock"
P=$A
ferry_pipe tn "$T/in" "$T/tn.out" - "tcp:127.0.0.1:$port"
[ "$RC" -eq 0 ] || fail "SYSTEMD:api over TCP: exit $RC"
same "$T/in" "$T/tn.out"
wait_for test -s "$T/tn.ready"
[ "$(cat "$T/tn.ready")" = "127.0.0.1:$port" ] || fail "ready file: $(cat "$T/tn.ready")"
stop "$P"
activated unixfd -l "$T/byfd.sock" "$FERRY" --ready-file "$T/uf.ready" \
    accept-fd:3,fork "unix-connect:$T/echo.sock"
P=$A
ferry_pipe uf "$T/in" "$T/uf.out" - "unix-connect:$T/byfd.sock"
[ "$RC" -eq 0 ] || fail "ACCEPT-FD:3 over UNIX: exit $RC"
same "$T/in" "$T/uf.out"
wait_for test -s "$T/uf.ready"
[ "$(cat "$T/uf.ready")" = "$T/byfd.sock" ] || fail "ready file: $(cat "$T/uf.ready")"
stop "$P"
[ -S "$T/byfd.sock" ] || fail "ferry removed the socket file systemd made"

# One ferry per connection: --accept passes the connection as fd 3, and
# with --inetd as stdin and stdout.
for mode in "accept fd:3" "inetd fd:0" "inetd STDIO"; do
	how=${mode% *}
	addr=${mode#* }
	set -- --accept
	[ "$how" = inetd ] && set -- --accept --inetd
	activated "per$how$addr" "$@" -l "$T/per.sock" "$FERRY" "$addr" "unix-connect:$T/echo.sock"
	S=$A
	ferry_pipe "p$how" "$T/in" "$T/p$how.out" - "unix-connect:$T/per.sock"
	[ "$RC" -eq 0 ] || fail "$mode: client exit $RC"
	same "$T/in" "$T/p$how.out"
	send "q$how" "unix:$T/per.sock"
	await "$BGPID"
	[ "$REAPED" -eq 0 ] || fail "$mode: python client exit $REAPED"
	same "$T/small" "$T/q$how.out"
	stop "$S"
	rm -f "$T/per.sock"
done

# ACCEPT-FD on a connection: the hint says FD:3.
activated notlisten --accept -l "$T/nl.sock" "$FERRY" accept-fd:3 "unix-connect:$T/echo.sock"
S=$A
ferry_pipe cnl "$T/hello" "$T/out" - "unix-connect:$T/nl.sock"
wait_for grep -q 'not listening' "$T/notlisten.log"
expect_log notlisten "^ferry: accept-fd:3: fd 3 is a stream socket that is not listening \\(for a connection already accepted, as with Accept=yes or --inetd, use FD:3\\)\$"
stop "$S"

# A name nobody passed.
activated noname -l "$T/nn.sock" --fdname=web "$FERRY" systemd:api -
S=$A
ferry_pipe cnn "$T/hello" "$T/out" - "unix-connect:$T/nn.sock"
await "$S"
[ "$REAPED" -eq 1 ] || fail "unknown name: exit $REAPED"
expect_log noname "^ferry: systemd:api: no socket named 'api' among the 1 passed \\(LISTEN_FDNAMES: FileDescriptorName= in the .socket unit\\)\$"

# Without systemd: a file, a closed fd, no LISTEN_FDS, another LISTEN_PID.
ferry_run file accept-fd:3 - 3<"$T/hello" </dev/null
[ "$RC" -eq 1 ] || fail "accept-fd on a file: exit $RC"
expect_log file "^ferry: accept-fd:3: fd 3 is not a socket\$"
ferry_run closed accept-fd:9 - </dev/null
[ "$RC" -eq 1 ] || fail "accept-fd on a closed fd: exit $RC"
expect_log closed "^ferry: accept-fd:9: fd 9: Bad file descriptor\$"
ferry_run none systemd - </dev/null
[ "$RC" -eq 1 ] || fail "systemd without LISTEN_FDS: exit $RC"
expect_log none "^ferry: systemd: no sockets passed \\(LISTEN_FDS is not set: run under a systemd .socket unit or systemd-socket-activate\\)\$"
RC=0
LISTEN_FDS=1 LISTEN_PID=1 timeout 30 "$FERRY" systemd - 3<"$T/hello" </dev/null 2>"$T/pid.log" || RC=$?
FERRY_LOGS="$FERRY_LOGS $T/pid.log"
[ "$RC" -eq 1 ] || fail "another LISTEN_PID: exit $RC"
expect_log pid "^ferry: systemd: the sockets passed with LISTEN_FDS are for another process \\(LISTEN_PID is 1, this is [0-9]+\\)\$"
stop "$ECHO"
