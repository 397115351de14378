#!/bin/sh
# mode=, user= and group= on UNIX-LISTEN: the socket file has its final
# permissions and owner as soon as the ready file says it listens, no
# temporary file is left, and the socket works; as root, ownership goes
# to another user (by name and by number), which then can connect while
# others cannot; bad values are errors.
. "$TESTS_DIR/integration/lib.sh"

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"
printf 'hello\n' >"$T/hello"
chmod 755 "$T"

check() {	# NAME OPTS WANT(stat -c '%a %U %G')
	ferry_bg "$1" "unix-listen:$T/$1.sock,fork,$2" "unix-connect:$T/echo.sock"
	_f=$FPID
	ready "$1"
	got=$(stat -c '%a %U %G' "$T/$1.sock")
	[ "$got" = "$3" ] || fail "unix-listen,$2: socket is '$got', expected '$3'"
	[ -S "$T/$1.sock" ] || fail "unix-listen,$2: not a socket"
	[ -z "$(ls -A "$T" | grep '\.tmp$')" ] || fail "unix-listen,$2: left $(ls -A "$T" | grep '\.tmp$')"
	ferry_pipe "c$1" "$T/hello" "$T/out" - "unix:$T/$1.sock"
	[ "$RC" -eq 0 ] || fail "unix-listen,$2: client exit $RC"
	same "$T/hello" "$T/out"
	stop "$_f"
	[ ! -e "$T/$1.sock" ] || fail "unix-listen,$2: socket file left"
}

me=$(id -un)
mygroup=$(id -gn)
check m600 mode=600 "600 $me $mygroup"
check m666 mode=0666 "666 $me $mygroup"
check m640 perm=640 "640 $me $mygroup"
check m700 mode=700 "700 $me $mygroup"
check own "user=$me,group=$mygroup,mode=660" "660 $me $mygroup"
check ownid "user=$(id -u),group=$(id -g)" "$(stat -c %a "$T/echo.sock") $me $mygroup"

if [ "$(id -u)" -eq 0 ] && getent passwd nobody >/dev/null; then
	ng=$(id -gn nobody)
	check nobody "user=nobody,group=$ng,mode=600" "600 nobody $ng"
	check nobodyid "user=$(id -u nobody),group=$(id -g nobody),mode=0660" "660 nobody $ng"
	# The owner's permissions are what they say: nobody may connect to a
	# 600 socket of its own, and not to a 600 socket of root's.
	if command -v setpriv >/dev/null; then
		ferry_bg theirs "unix-listen:$T/theirs.sock,fork,user=nobody,mode=600" "unix-connect:$T/echo.sock"
		TF=$FPID
		ready theirs
		ferry_bg ours "unix-listen:$T/ours.sock,fork,mode=600" "unix-connect:$T/echo.sock"
		OF=$FPID
		ready ours
		# ferry as the client, run as nobody (ferry must be reachable).
		as_nobody() {
			cat "$T/hello" | timeout 20 setpriv --reuid="$(id -u nobody)" \
			    --regid="$(id -g nobody)" --clear-groups "$FERRY" - "unix:$1"
		}
		if as_nobody /dev/null 2>"$T/probe.err" ||
		    ! grep -q '^ferry: unix:/dev/null: connect' "$T/probe.err"; then
			echo "SKIP part: nobody cannot run $FERRY: $(cat "$T/probe.err")"
		else
			as_nobody "$T/theirs.sock" >"$T/out" 2>"$T/theirs.err" ||
				fail "nobody cannot use its own 600 socket: $(cat "$T/theirs.err")"
			same "$T/hello" "$T/out"
			if as_nobody "$T/ours.sock" >"$T/out" 2>"$T/ours.err"; then
				fail "nobody connected to root's 600 socket"
			fi
			grep -q 'Permission denied' "$T/ours.err" ||
				fail "nobody on root's socket: $(cat "$T/ours.err")"
		fi
		stop "$TF"
		stop "$OF"
	fi
else
	# Not root: giving the socket away is refused, with the reason.
	ferry_run giveaway "unix-listen:$T/g.sock,user=root" "unix-connect:$T/echo.sock" </dev/null
	[ "$RC" -eq 1 ] || fail "user=root as $me: exit $RC"
	expect_log giveaway "chown .*Operation not permitted"
	[ ! -e "$T/g.sock" ] || fail "a refused chown left the socket file"
fi

ferry_run badmode "unix-listen:$T/b.sock,mode=rw" "unix-connect:$T/echo.sock" </dev/null
[ "$RC" -eq 1 ] || fail "mode=rw: exit $RC"
expect_log badmode "option 'mode' needs an octal mode like 0600, not 'rw'"
ferry_run baduser "unix-listen:$T/b.sock,user=no-such-user-here" "unix-connect:$T/echo.sock" </dev/null
[ "$RC" -eq 1 ] || fail "user=no-such-user-here: exit $RC"
expect_log baduser "unknown user 'no-such-user-here'"
ferry_run badgroup "unix-listen:$T/b.sock,group=no-such-group-here" "unix-connect:$T/echo.sock" </dev/null
[ "$RC" -eq 1 ] || fail "group=no-such-group-here: exit $RC"
expect_log badgroup "unknown group 'no-such-group-here'"
[ ! -e "$T/b.sock" ] || fail "a bad option left a socket file"
