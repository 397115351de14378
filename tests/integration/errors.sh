#!/bin/sh
# Usage and address errors, as a user sees them: exactly one line on stderr,
# prefixed "ferry: ", naming the offending part; exit status 1; nothing on
# stdout; and no socket file or other trace left behind.
. "$TESTS_DIR/integration/lib.sh"

i=0
# check MESSAGE ARGS...: ferry ARGS exits 1 with MESSAGE as its only line.
check() {
	_msg=$1; shift
	i=$((i + 1))
	RUN_TIMEOUT=20 ferry_run "e$i" "$@" </dev/null >"$T/out$i"
	[ "$RC" -eq 1 ] || fail "ferry $*: exit $RC, expected 1"
	[ "$(cat "$T/e$i.log")" = "ferry: $_msg" ] ||
		fail "ferry $*: said '$(cat "$T/e$i.log")', expected 'ferry: $_msg'"
	[ ! -s "$T/out$i" ] || fail "ferry $*: wrote to stdout"
}

check "tcp:localhost: missing port (expected TCP:<host>:<port>)" - tcp:localhost
check "TCP4:localhost: missing port (expected TCP4:<host>:<port>)" - TCP4:localhost
check "unix-connect:$T/x,nosuchopt: unknown option 'nosuchopt' for UNIX-CONNECT" - "unix-connect:$T/x,nosuchopt"
check "unix-connect:$T/x,fork: option 'fork' does not apply to UNIX-CONNECT" - "unix-connect:$T/x,fork"
check "exec:cat,fork: option 'fork' does not apply to EXEC" - "exec:cat,fork"
check "tcpp:x:1: unknown address kind 'tcpp', did you mean TCP?" - tcpp:x:1
check "TCP-LISTN:1: unknown address kind 'TCP-LISTN', did you mean TCP-LISTEN?" - TCP-LISTN:1
check "tcp:a:1:2: too many parameters (expected TCP:<host>:<port>)" - tcp:a:1:2
check "unix-connect:: empty path (expected UNIX-CONNECT:<path>)" - unix-connect:
check "tcp:localhost:99999: bad port '99999' (a number from 0 to 65535 or a service name)" - tcp:localhost:99999
check "unix-listen:$T/m.sock,mode=999: option 'mode' needs an octal mode like 0600, not '999'" \
    "unix-listen:$T/m.sock,mode=999" -
check "unix-listen:$T/m.sock,user=nosuchuser: unknown user 'nosuchuser'" "unix-listen:$T/m.sock,user=nosuchuser" -
check "tcp:a:1,retry=x: option 'retry' needs a whole number, not 'x'" - "tcp:a:1,retry=x"
check "empty address" "" -
check "two addresses are needed, got 0 (see ferry --help)"
check "two addresses are needed, got 1 (see ferry --help)" -
check "two addresses are needed, got 3: '-' and more (quote an address that has spaces)" - - -
check "unknown flag '-q' (see ferry --help)" -q - -
check "unknown flag '--bogus' (see ferry --help)" --bogus - -
check "-t needs a number of seconds, not 'abc'" -t abc - -
check "-T needs a number of seconds, not '-1'" -T -1 - -
check "-b needs a size in bytes from 1 to 16777216" -b 0 - -
check "tcp-listen:0,fork: fork needs the other address to be one that can be opened for each connection, not a listener" \
    tcp-listen:0,fork "unix-listen:$T/l.sock"
# Errors when opening, not parsing: same shape.
check "unix-connect:$T/none.sock: connect: No such file or directory (no socket at $T/none.sock)" \
    - "unix-connect:$T/none.sock"
check "open:$T/none: open: No such file or directory" - "open:$T/none"
# No listener was left behind by any of these.
[ -z "$(ls "$T"/*.sock 2>/dev/null)" ] || fail "socket files left: $(ls "$T"/*.sock)"

# The good cases of the same commands: --help and -V exit 0 on stdout.
RC=0
"$FERRY" --help >"$T/help" 2>"$T/help.log" || RC=$?
[ "$RC" -eq 0 ] || fail "--help: exit $RC"
grep -q '^usage: ferry' "$T/help" || fail "--help: no usage line"
grep -q 'UNIX-LISTEN' "$T/help" || fail "--help: no list of kinds"
[ ! -s "$T/help.log" ] || fail "--help wrote to stderr"
RC=0
"$FERRY" -V >"$T/version" 2>&1 || RC=$?
[ "$RC" -eq 0 ] || fail "-V: exit $RC"
grep -q '^ferry [0-9]' "$T/version" || fail "-V said '$(cat "$T/version")'"
