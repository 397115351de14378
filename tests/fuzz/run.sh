#!/bin/sh
# Run ferry's fuzz targets (built by make fuzz) from their seed corpora.
#
#	sh tests/fuzz/run.sh SRCDIR [libFuzzer flags...]
#	sh tests/fuzz/run.sh .. -max_total_time=30	# each target 30 s
#	sh tests/fuzz/run.sh .. -runs=10000000		# 10M executions each
#
# Run from the build tree.  The corpus grows in a temp dir (the seeds in
# SRCDIR are not touched); the dictionary of kinds and options comes from
# ferry help all, so it follows the parser's tables.  Prints one line per
# target with its executions; exits 1 if any target crashed, leaked or
# tripped a sanitizer (its reproducer is kept and named).
set -u

src=${1:?usage: run.sh SRCDIR [libFuzzer flags]}
shift
[ $# -gt 0 ] || set -- -max_total_time=30
out=tests/fuzz
work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-fuzz.XXXXXX") || exit 1
[ -n "${FUZZ_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
status=0

# Kinds ("TCP-LISTEN:") and options ("fork", "mode=") from the help.
src/ferry help all | sed -n \
    -e 's/^  \([A-Z][A-Z0-9-]*\).*/"\1:"/p' \
    -e 's/^  *alias: \(.*\)/\1/p' \
    -e 's/^  \([a-z][a-z0-9-]*\)  .*/"\1="\n"\1,"/p' |
    tr ',' '\n' | sed -e 's/^ *//' -e '/^$/d' \
    -e 's/^\([A-Z0-9-]*\)$/"\1:"/' -e 's/^"\([a-z0-9-]*\)$/"\1,"/' \
    >"$work/addr.dict"
printf '%s\n' '"!!"' '":"' '","' '"="' '"["' '"]"' "\"'\"" '"\\"' \
    '"\""' >>"$work/addr.dict"

for t in addr opts frame; do
	bin=$out/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz: $bin missing: make fuzz" >&2; exit 1; }
	mkdir -p "$work/$t" "$work/$t.crash"
	dict=""
	[ "$t" = frame ] || dict="-dict=$work/addr.dict"
	"$bin" $dict -artifact_prefix="$work/$t.crash/" -print_final_stats=1 \
	    "$@" "$work/$t" "$src/tests/fuzz/corpus/$t" \
	    >"$work/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
	if [ "$rc" -ne 0 ]; then
		status=1
		echo "fuzz_$t: FAILED (exit $rc) after ${runs:-?} executions"
		grep -E 'ERROR|SUMMARY|deadly|leak' "$work/$t.log" | head -5
		for c in "$work/$t.crash"/*; do
			[ -e "$c" ] || continue
			cp "$c" "$out/" && echo "fuzz_$t: reproducer $out/${c##*/}"
		done
	else
		echo "fuzz_$t: ok, ${runs:-?} executions, corpus $(ls "$work/$t" | wc -l)"
	fi
done
exit $status
