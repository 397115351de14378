#!/bin/sh
# ferry help KIND: every kind --help lists has its own page, whose options
# agree with --help's; an unknown kind is one line and exit 1.
. "$TESTS_DIR/integration/lib.sh"

"$FERRY" --help >"$T/help" || fail "--help exited $?"
sed -n 's/^  \([A-Z][A-Z0-9-]*\).*/\1/p' "$T/help" >"$T/kinds"
[ "$(wc -l <"$T/kinds")" -ge 20 ] || fail "too few kinds in --help"
while read -r kind; do
	"$FERRY" help "$kind" >"$T/page" 2>"$T/err" || fail "help $kind: $(cat "$T/err")"
	head -n 1 "$T/page" | grep -q "^$kind" || fail "help $kind: $(head -n 1 "$T/page")"
	# The options it lists are the ones --help names it for.
	sed -n 's/^  \([a-z][a-z0-9-]*\)  .*/\1/p' "$T/page" >"$T/opts"
	while read -r opt; do
		sed -n "/^  $opt  /{n;p;}" "$T/help" | grep -qw -- "$kind" ||
		    fail "help $kind lists $opt, --help does not list $kind for it"
	done <"$T/opts"
done <"$T/kinds"

"$FERRY" help tcp-l | grep -q '^  fork ' || fail "help tcp-l lacks fork"
RC=0
"$FERRY" help tcp-lisen >"$T/out" 2>"$T/err" || RC=$?
[ "$RC" -eq 1 ] || fail "help of an unknown kind exited $RC"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "not one line: $(cat "$T/err")"
grep -q "unknown address kind 'tcp-lisen', did you mean TCP-LISTEN?" "$T/err" ||
    fail "$(cat "$T/err")"
[ ! -s "$T/out" ] || fail "output on stdout for an unknown kind"
