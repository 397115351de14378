#!/bin/sh
# ferry --help is short (under 60 lines of 79 columns) and names every
# kind; ferry help kinds, options, flags and all list everything, a line
# per entry; every kind has its own page (ferry help KIND), whose options
# agree with ferry help options; every kind, option and flag is in
# ferry(1) and README.md; an unknown kind is one line and exit 1.
. "$TESTS_DIR/integration/lib.sh"

MAN=$TESTS_DIR/../man/ferry.1
README=$TESTS_DIR/../README.md

"$FERRY" --help >"$T/help" 2>"$T/err" || fail "--help exited $?"
[ ! -s "$T/err" ] || fail "--help wrote to stderr: $(cat "$T/err")"
"$FERRY" help >"$T/help2" || fail "help exited $?"
cmp -s "$T/help" "$T/help2" || fail "ferry help is not ferry --help"
n=$(wc -l <"$T/help")
[ "$n" -lt 60 ] || fail "--help has $n lines"
awk 'length > 79 { exit 1 }' "$T/help" || fail "--help has a long line"
for w in '^usage: ferry' '^Logging:' '^Relay:' '^TLS helpers:' '^Misc:' \
    '^Address kinds' '^Examples:' 'ferry help KIND' 'ferry help all'; do
	grep -q "$w" "$T/help" || fail "--help lacks $w"
done

"$FERRY" help kinds >"$T/kinds.txt" || fail "help kinds exited $?"
"$FERRY" help options >"$T/options.txt" || fail "help options exited $?"
"$FERRY" help flags >"$T/flags.txt" || fail "help flags exited $?"
"$FERRY" help all >"$T/all" || fail "help all exited $?"
sed -n 's/^  \([A-Z][A-Z0-9-]*\).*/\1/p' "$T/kinds.txt" >"$T/kinds"
sed -n 's/^  *alias: //p' "$T/kinds.txt" | tr -d ' ' | tr ',' '\n' \
    >"$T/aliases"
sed -n 's/^  \([a-z][a-z0-9-]*\)  .*/\1/p' "$T/options.txt" >"$T/opts"
sed -n 's/^  \(-[^ ].*\)/\1/p' "$T/flags.txt" | sed 's/   .*//' |
    tr ',' '\n' | awk '{ sub(/\[.*/, "", $1); print $1 }' >"$T/flags"
[ "$(wc -l <"$T/kinds")" -ge 20 ] || fail "too few kinds in help kinds"
[ "$(wc -l <"$T/opts")" -ge 20 ] || fail "too few options in help options"
for f in -d -v -lf -ly --stats -u -t -T -b -4 --no-splice --ready-file \
    --gen-psk --help -V; do
	grep -Fxq -- "$f" "$T/flags" || fail "help flags lacks $f"
done
# help all is the three lists, and the environment.
for f in kinds.txt options.txt flags.txt; do
	while IFS= read -r line; do
		grep -Fxq -- "$line" "$T/all" || fail "help all lacks: $line"
	done <"$T/$f"
done
grep -q '^Environment: LISTEN_FDS' "$T/all" || fail "help all: no environment"

# --help names every kind, or its TCP4-* form beside the base kind.
while read -r kind; do
	grep -qw -- "$kind" "$T/help" && continue
	v=$(printf '%s\n' "$kind" | sed -n 's/^\([A-Z]*[46]\)-.*/\1-\*/p')
	[ -n "$v" ] && grep -qF -- " $v" "$T/help" ||
	    fail "--help does not name $kind"
done <"$T/kinds"

# Each kind's page: its name first, and the options help options names it for.
while read -r kind; do
	"$FERRY" help "$kind" >"$T/page" 2>"$T/err" || fail "help $kind: $(cat "$T/err")"
	head -n 1 "$T/page" | grep -q "^$kind" || fail "help $kind: $(head -n 1 "$T/page")"
	sed -n 's/^  \([a-z][a-z0-9-]*\)  .*/\1/p' "$T/page" >"$T/opts.k"
	while read -r opt; do
		sed -n "/^  $opt  /{n;p;}" "$T/options.txt" | grep -qw -- "$kind" ||
		    fail "help $kind lists $opt, help options does not list $kind for it"
	done <"$T/opts.k"
done <"$T/kinds"

# Documented: every kind, alias, option and flag in ferry(1) (where '-' is
# written '\-') and README.md.
while read -r w; do
	m=$(printf '%s\n' "$w" | sed 's/-/\\-/g')
	grep -qiwF -- "$m" "$MAN" || fail "ferry(1) does not mention $w"
	grep -qiwF -- "$w" "$README" || fail "README.md does not mention $w"
done <<EOF
$(cat "$T/kinds" "$T/opts" "$T/flags"; grep -v '^-$' "$T/aliases")
EOF
for topic in kinds options flags all; do
	grep -qF "ferry help $topic" "$MAN" || grep -qF "help $topic" "$MAN" ||
	    fail "ferry(1) does not mention ferry help $topic"
done

"$FERRY" help tcp-l | grep -q '^  fork ' || fail "help tcp-l lacks fork"
RC=0
"$FERRY" help tcp-lisen >"$T/out" 2>"$T/err" || RC=$?
[ "$RC" -eq 1 ] || fail "help of an unknown kind exited $RC"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "not one line: $(cat "$T/err")"
grep -q "unknown address kind 'tcp-lisen', did you mean TCP-LISTEN?" "$T/err" ||
    fail "$(cat "$T/err")"
[ ! -s "$T/out" ] || fail "output on stdout for an unknown kind"
