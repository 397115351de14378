#!/bin/sh
# Build ferry and run every test, the way CI does (.ci/run calls this):
#
#	sh tests/run-all.sh
#
#  1. install missing Debian packages (contrib/debian/deps.sh), ./autogen.sh
#  2. normal build, --enable-werror: make, make check -j2
#  3. portable build, --disable-linux-extras (the macOS code paths):
#     make, make check -j2
#  4. --enable-sanitizers (ASan + UBSan): make, make check -j2; any
#     sanitizer report in a test's log fails that test
#  5. make -j2 distcheck, from the normal build
#  6. make fuzz-run: each libFuzzer target for FUZZ_SECS seconds [20]
#  7. contrib/debian/build-deb.sh: the .deb builds; its ferry runs
#  8. a plain build: make check-valgrind, the subset of the tests
#     named in Makefile.am (VALGRIND_TESTS) with ferry under
#     valgrind memcheck; any error or definitely lost block fails a test
#
# Each build is out of tree, in a temp dir (FERRY_BUILD_ROOT to choose it),
# removed after a clean run and kept, with its logs, after a failure.  Works
# from a fresh clone, with stdin closed and without a terminal.
#
# The last line of output is the summary, from the test-suite.log files of
# the four "make check" runs:
#
#	N passed, N failed, N skipped
#
# PASS and XFAIL count as passed; FAIL, ERROR and XPASS as failed.  A step
# that fails before its tests could run (configure, make, make check without
# a test-suite.log, distcheck) counts as one failure.  The exit status is 1
# if anything failed, 0 otherwise.
set -eu

cd "$(dirname "$0")/.."
top=$(pwd)
exec </dev/null

# shellcheck source=contrib/debian/deps.sh
. "$top/contrib/debian/deps.sh"

jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
passed=0
failed=0
skipped=0
problems=""

say() {
	printf '\n==== %s\n' "$*"
}

# note_failure WHAT: a step failed; count it and remember it for the end.
note_failure() {
	failed=$((failed + 1))
	problems="$problems
  - $1"
	echo "run-all: FAILED: $1" >&2
}

# count_log BUILD_DIR NAME: add BUILD_DIR's test-suite.log to the totals.
# Only the first header block counts: the log goes on with the logs of the
# tests that failed, which may hold lines that look like a header.
count_log() {
	_log=$1/test-suite.log
	if [ ! -f "$_log" ]; then
		note_failure "$2: make check left no test-suite.log"
		return
	fi
	# shellcheck disable=SC2046 # three numbers
	set -- "$1" "$2" $(awk '
		/^# (PASS|XFAIL|FAIL|ERROR|XPASS|SKIP):/ {
			k = $2; sub(":", "", k)
			if (!(k in seen)) { seen[k] = 1; n[k] = $3 + 0 }
		}
		END {
			print n["PASS"] + n["XFAIL"],
			    n["FAIL"] + n["ERROR"] + n["XPASS"], n["SKIP"] + 0
		}' "$_log")
	passed=$((passed + $3))
	failed=$((failed + $4))
	skipped=$((skipped + $5))
	echo "run-all: $2: $3 passed, $4 failed, $5 skipped"
	if [ "$4" -gt 0 ]; then
		problems="$problems
  - $2: $4 failed test(s), see $_log"
		awk '/^(FAIL|ERROR|XPASS): /' "$_log" | sort -u | sed 's/^/      /' >&2
	fi
}

# sanitizer_check BUILD_DIR: a test whose log holds a sanitizer report
# fails, even if the test itself said PASS.
sanitizer_check() {
	_pat='ERROR: (Address|Leak)Sanitizer|SUMMARY: (Address|UndefinedBehavior)Sanitizer|runtime error:'
	# shellcheck disable=SC2044 # build paths have no blanks
	for _trs in $(find "$1/tests" -name '*.trs' 2>/dev/null); do
		_tlog=${_trs%.trs}.log
		[ -f "$_tlog" ] || continue
		grep -Eq "$_pat" "$_tlog" || continue
		if grep -Eq '^:test-result: (PASS|XFAIL)' "$_trs"; then
			passed=$((passed - 1))
			note_failure "sanitizer report in ${_tlog#"$1"/}"
			grep -E "$_pat" "$_tlog" | head -n 5 | sed 's/^/      /' >&2
		fi
	done
}

# build NAME CONFIGURE_ARGS...: configure and make in $root/NAME, then
# make check -j2 and count its results.
build() {
	_name=$1
	shift
	_dir=$root/$_name
	say "$_name: configure $*"
	mkdir -p "$_dir"
	if ! (cd "$_dir" && "$top/configure" "$@"); then
		note_failure "$_name: configure"
		return 1
	fi
	say "$_name: make"
	if ! make -C "$_dir" -j"$jobs"; then
		note_failure "$_name: make"
		return 1
	fi
	say "$_name: make check -j2"
	_rc=0
	make -C "$_dir" -j2 check || _rc=$?
	count_log "$_dir" "$_name"
	if [ "$_rc" -ne 0 ] && [ ! -f "$_dir/test-suite.log" ]; then
		return 1
	fi
	return 0
}

say "packages"
deps_install

if [ -n "${FERRY_BUILD_ROOT:-}" ]; then
	root=$FERRY_BUILD_ROOT
	mkdir -p "$root"
else
	root=$(mktemp -d "${TMPDIR:-/tmp}/ferry-run-all.XXXXXX")
fi
echo "run-all: building in $root"

# One python3 for every test, first on PATH too, so that a helper started
# as "python3" or through "#!/usr/bin/env python3" gets it rather than a
# pyenv shim.
PYTHON=$(deps_python)
export PYTHON
mkdir -p "$root/bin"
ln -sf "$PYTHON" "$root/bin/python3"
PATH=$root/bin:$PATH
export PATH
echo "run-all: python3 for the tests: $PYTHON"

say "autogen"
if ! ./autogen.sh; then
	note_failure "autogen.sh"
else
	build normal --enable-werror || true
	build portable --disable-linux-extras || true
	if build sanitizers --enable-sanitizers; then
		sanitizer_check "$root/sanitizers"
	fi
	if [ -f "$root/normal/Makefile" ]; then
		say "normal: make distcheck"
		if ! make -C "$root/normal" -j2 distcheck; then
			note_failure "make distcheck"
		fi
	else
		note_failure "make distcheck: no configured normal build"
	fi
	# Each fuzz target for a bounded time; one "test" each.
	if [ -f "$root/normal/Makefile" ]; then
		say "normal: make fuzz-run (${FUZZ_SECS:-20} s a target)"
		if make -C "$root/normal" fuzz-run \
		    FUZZ_FLAGS="-max_total_time=${FUZZ_SECS:-20}"; then
			passed=$((passed + 3))
		else
			note_failure "make fuzz-run"
		fi
	fi
	# The Debian package builds, and what it installs runs.
	say "package: contrib/debian/build-deb.sh"
	if deb=$(sh contrib/debian/build-deb.sh "$root") &&
	    dpkg -x "$deb" "$root/deb" &&
	    "$root/deb/usr/bin/ferry" -V &&
	    [ -f "$root/deb/usr/share/man/man1/ferry.1.gz" ]; then
		passed=$((passed + 1))
	else
		note_failure "Debian package"
	fi
	# ferry under valgrind (a plain build: valgrind and ASan do not mix).
	say "valgrind: configure, make, make check-valgrind"
	if command -v valgrind >/dev/null 2>&1; then
		mkdir -p "$root/valgrind"
		if (cd "$root/valgrind" && "$top/configure") &&
		    make -C "$root/valgrind" -j"$jobs"; then
			make -C "$root/valgrind" -j2 check-valgrind || true
			count_log "$root/valgrind" valgrind
		else
			note_failure "valgrind: configure or make"
		fi
	else
		note_failure "valgrind: not installed"
	fi
fi

say "summary"
if [ "$failed" -eq 0 ]; then
	[ -n "${FERRY_BUILD_ROOT:-}" ] || rm -rf "$root"
	echo "run-all: everything passed"
else
	echo "run-all: failures:$problems"
	echo "run-all: builds and logs kept in $root"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
