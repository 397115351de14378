#!/bin/sh
# su=USER, as root: ferry binds first (a socket file owned by root with its
# mode), then becomes USER for good (real, effective, saved and file-system
# uid and gid, USER's groups only, no capabilities left), and so do the
# commands it starts; the relay works as before.  An unknown user is one
# line naming the address and the user, exit 1, nothing left behind.
. "$TESTS_DIR/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "su= needs root"
getent passwd nobody >/dev/null || skip "no user nobody"
NU=$(id -u nobody)
NG=$(id -g nobody)
NGROUPS=$(id -G nobody | tr ' ' '\n' | sort -n | tr '\n' ' ')
CLIENT="$PYTHON $HELPERS/client.py"
# summed: $T/out is sha256sum's answer for $T/in (a 1 MiB echo could
# fill every buffer on the way while the client is still sending).
summed() {
	[ "$(cut -d' ' -f1 "$T/out")" = "$(sha "$T/in")" ] ||
		fail "sha256sum through ferry said '$(cat "$T/out")'"
}
# nobody reaches $T, and under valgrind writes its reports to $T/vg.
chmod 755 "$T"
[ ! -d "$T/vg" ] || chmod 1777 "$T/vg"

# ids PID: "uids / gids / groups / CapEff" from /proc/PID/status, each
# list of ids sorted and space separated.
ids() {
	awk '
	    /^Uid:/ { u = $2 " " $3 " " $4 " " $5 }
	    /^Gid:/ { g = $2 " " $3 " " $4 " " $5 }
	    /^CapEff:/ { c = $2 }
	    END { print u " / " g " / " c }' "/proc/$1/status"
}
groups_of() {
	sed -n 's/^Groups:[[:space:]]*//p' "/proc/$1/status" | tr ' ' '\n' |
	    grep . | sort -n | tr '\n' ' '
}
WANT="$NU $NU $NU $NU / $NG $NG $NG $NG / 0000000000000000"
as_nobody() {
	[ "$(ids "$1")" = "$WANT" ]
}

# An unknown user: before anything is bound.
ferry_run nouser "unix-listen:$T/nouser.sock,fork,su=ferry-no-such-user" exec:cat
[ "$RC" -eq 1 ] || fail "su=ferry-no-such-user: exit $RC"
expect_log nouser "^ferry: unix-listen:$T/nouser.sock,[^ ]*: su=ferry-no-such-user: no such user\$"
[ "$(wc -l <"$T/nouser.log")" -eq 1 ] || fail "unknown user: not one line"
[ ! -e "$T/nouser.sock" ] || fail "unknown user: socket file left"
# Two users for one process.
ferry_run two "tcp-listen:0,su=nobody" "exec:cat,su=root"
[ "$RC" -eq 1 ] || fail "two users: exit $RC"
expect_log two "^ferry: exec:cat,su=root: su=root, but tcp-listen:0,su=nobody has su=nobody"

# TCP: ferry and each command it starts run as nobody; the command
# reports its own ids.
ferry_bg tcp "tcp-listen:0,fork,su=nobody" "exec:cat /proc/self/status"
TCP=$FPID
ready tcp
wait_for as_nobody "$TCP"
[ "$(groups_of "$TCP")" = "$NGROUPS" ] ||
	fail "ferry's groups are '$(groups_of "$TCP")', not '$NGROUPS'"
: >"$T/empty"
$CLIENT send "tcp:127.0.0.1:$PORT" --in "$T/empty" --out "$T/status" ||
	fail "client to tcp-listen,su=nobody failed"
child=$(sed -n 's/^Pid:[[:space:]]*//p' "$T/status")
got=$(awk '/^Uid:/ { u = $2 " " $3 " " $4 " " $5 }
    /^Gid:/ { g = $2 " " $3 " " $4 " " $5 }
    /^CapEff:/ { c = $2 } END { print u " / " g " / " c }' "$T/status")
[ "$got" = "$WANT" ] || fail "EXEC child $child runs as '$got', not '$WANT'"
grep -q "^Groups:[[:space:]]*$(id -G nobody | sed 's/ /[[:space:]]*/g')[[:space:]]*\$" "$T/status" ||
	fail "EXEC child's groups: $(grep ^Groups "$T/status")"
stop "$TCP"

# The relay still works: 1 MiB to sha256sum, whose answer is checked.
randfile "$T/in" 1048576
ferry_bg cat "tcp-listen:0,fork,su=nobody" exec:sha256sum
CAT=$FPID
ready cat
wait_for as_nobody "$CAT"
$CLIENT send "tcp:127.0.0.1:$PORT" --in "$T/in" --out "$T/out" ||
	fail "client through exec:cat failed"
summed
stop "$CAT"

# UNIX: the socket file is made by root with mode=, then ferry becomes
# nobody and still accepts on it.  In a directory nobody may write, the
# file goes at exit; in root's $T it cannot (said once), and the next
# ferry replaces it as stale.
mkdir "$T/pub"
chown nobody "$T/pub"
chmod 755 "$T/pub"
for dir in "$T/pub" "$T"; do
	ferry_bg unix "unix-listen:$dir/u.sock,fork,mode=0600,su=nobody" exec:sha256sum
	U=$FPID
	ready unix
	[ "$(stat -c '%a %U' "$dir/u.sock")" = "600 root" ] ||
		fail "$dir/u.sock is '$(stat -c '%a %U' "$dir/u.sock")', not '600 root'"
	wait_for as_nobody "$U"
	$CLIENT send "unix:$dir/u.sock" --in "$T/in" --out "$T/out" ||
		fail "client to unix-listen,su=nobody failed"
	summed
	stop "$U"
done
[ ! -e "$T/pub/u.sock" ] || fail "$T/pub/u.sock left by its ferry"
[ -S "$T/u.sock" ] || fail "$T/u.sock was removed: nobody could not"
expect_log unix "cannot remove $T/u.sock: Permission denied"
ferry_bg again "unix-listen:$T/u.sock,fork,su=nobody" exec:sha256sum
ready again
$CLIENT send "unix:$T/u.sock" --in "$T/in" --out "$T/out" ||
	fail "client to a replaced socket failed"
summed
