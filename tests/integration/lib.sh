# Shared by the integration tests: a temp dir of the test's own, processes
# started in the background and stopped by pid, waits that poll with a
# bound, and a check that no ferry printed a sanitizer report.
#
#	. "$TESTS_DIR/integration/lib.sh"
#
# Exit status as automake expects: 0 pass, 1 fail, 77 skip.

set -eu

: "${FERRY:?FERRY must name the ferry binary}"
: "${TESTS_DIR:?TESTS_DIR must name the tests directory}"
HELPERS=$TESTS_DIR/integration/helpers
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
PYTHON=${PYTHON:-python3}

T=$(mktemp -d "${TMPDIR:-/tmp}/ferry-test.XXXXXX")
PIDS=""
FERRY_LOGS=""
_n=0
_watchdog=""

# make check VALGRIND=1: $FERRY is tests/valgrind-ferry (made from
# tests/valgrind.sh by make), FERRY_VALGRIND_BIN the binary; each report
# goes to $T/vg, and bounded waits are FERRY_SLOW times longer.
SLOW=${FERRY_SLOW:-1}
if [ -n "${FERRY_VALGRIND_BIN:-}" ]; then
	FERRY_VG_DIR=$T/vg
	export FERRY_VG_DIR
	mkdir "$FERRY_VG_DIR"
fi

# AT_EXIT: a test's own teardown (a command line), run first when the
# test ends, pass or fail.  (Not a trap of its own: under set -e a trap
# stops at its first failing command, and ours would never run.)
AT_EXIT=
_cleanup() {
	rc=$?
	trap - EXIT INT TERM
	[ -z "$AT_EXIT" ] || eval "$AT_EXIT" || true
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $PIDS; do
		_reap "$p" 5 || { kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; }
	done
	if [ -n "$_watchdog" ]; then
		kill "$_watchdog" 2>/dev/null || true
		wait "$_watchdog" 2>/dev/null || true
	fi
	# Any sanitizer report from any ferry fails the test (or valgrind's,
	# from a ferry started without $FERRY_VG_DIR in its environment).
	for log in $FERRY_LOGS; do
		if [ -f "$log" ] && grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: (Address|UndefinedBehavior)Sanitizer|^==[0-9]+== [A-Z0-9]' "$log"; then
			echo "sanitizer report in $log:" >&2
			cat "$log" >&2
			rc=1
		fi
	done
	# Any valgrind report too (empty files: processes with none).
	for log in "$T"/vg/vg.*; do
		[ -s "$log" ] || continue
		echo "valgrind report in $log:" >&2
		cat "$log" >&2
		rc=1
	done
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
		for log in $FERRY_LOGS; do
			[ -s "$log" ] && { echo "--- $log"; tail -n 30 "$log"; } >&2
		done
	fi
	rm -rf "$T"
	exit "$rc"
}
trap _cleanup EXIT
trap 'exit 1' INT TERM

# A watchdog so that no test hangs: it ends the test, never synchronises it.
TEST_TIMEOUT=$((TEST_TIMEOUT * SLOW))
( sleep "$TEST_TIMEOUT"; echo "test timed out after ${TEST_TIMEOUT}s" >&2; kill -TERM $$ ) 2>/dev/null &
_watchdog=$!

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# Wait up to $2 seconds (default 10) for pid $1 to exit; its status in $REAPED.
_reap() {
	_i=0
	_lim=$(( ${2:-10} * 50 * SLOW ))
	while kill -0 "$1" 2>/dev/null; do
		# A zombie of ours counts as exited: wait collects it below.
		case $(cat "/proc/$1/stat" 2>/dev/null | cut -d' ' -f3) in Z) break ;; esac
		_i=$((_i + 1))
		[ "$_i" -ge "$_lim" ] && return 1
		sleep 0.02
	done
	REAPED=0
	wait "$1" 2>/dev/null || REAPED=$?
	return 0
}

# Forget pid $1 (it was waited for).
_forget() {
	_new=""
	for p in $PIDS; do [ "$p" = "$1" ] || _new="$_new $p"; done
	PIDS=$_new
}

# bg NAME CMD...: run CMD in the background, stdout+stderr to $T/NAME.log;
# its pid in $BGPID.
bg() {
	_name=$1; shift
	rm -f "$T/$_name.log"	# not a previous run's, while this one starts
	"$@" >"$T/$_name.log" 2>&1 &
	BGPID=$!
	PIDS="$PIDS $BGPID"
}

# ferry_bg NAME ARGS...: start ferry in the background with --ready-file;
# stderr to $T/NAME.log, stdin from /dev/null unless redirected by the
# caller via FERRY_STDIN; pid in $FPID.  Waits until it listens, if it does.
ferry_bg() {
	_name=$1; shift
	rm -f "$T/$_name.ready" "$T/$_name.log"
	"$FERRY" --ready-file "$T/$_name.ready" "$@" <"${FERRY_STDIN:-/dev/null}" \
	    >"${FERRY_STDOUT:-$T/$_name.out}" 2>"$T/$_name.log" &
	FPID=$!
	PIDS="$PIDS $FPID"
	FERRY_LOGS="$FERRY_LOGS $T/$_name.log"
}

# ferry_run NAME ARGS...: run ferry in the foreground, for at most
# $RUN_TIMEOUT seconds (default 120; then it is killed and RC is 124);
# status in $RC, stderr in $T/NAME.log.
ferry_run() {
	_name=$1; shift
	FERRY_LOGS="$FERRY_LOGS $T/$_name.log"
	RC=0
	timeout -k 5 "$(( ${RUN_TIMEOUT:-120} * SLOW ))" "$FERRY" "$@" \
	    2>"$T/$_name.log" || RC=$?
	[ "$RC" -ne 124 ] || echo "ferry $_name: killed after ${RUN_TIMEOUT:-120}s" >&2
}

# ferry_pipe NAME IN OUT ARGS...: like ferry_run, but with stdin and stdout
# on pipes, as in "cat IN | ferry ARGS | cat >OUT".
ferry_pipe() {
	_name=$1; _in=$2; _out=$3; shift 3
	FERRY_LOGS="$FERRY_LOGS $T/$_name.log"
	RC=$( { cat "$_in" | { RC=0; timeout -k 5 \
	    "$(( ${RUN_TIMEOUT:-120} * SLOW ))" "$FERRY" "$@" 2>"$T/$_name.log" 3>&- || RC=$?; echo "$RC" >&3; } |
	    cat >"$_out"; } 3>&1 )
	[ "$RC" -ne 124 ] || echo "ferry $_name: killed after ${RUN_TIMEOUT:-120}s" >&2
}

# wait_for CMD...: poll CMD until it succeeds, for at most $WAIT seconds.
wait_for() {
	_i=0
	_lim=$(( ${WAIT:-10} * 50 * SLOW ))
	until "$@" 2>/dev/null; do
		_i=$((_i + 1))
		[ "$_i" -ge "$_lim" ] && fail "timed out waiting for: $*"
		sleep 0.02
	done
}

# ready NAME: wait for ferry NAME's ready file; the first listening address
# in $ADDR and its port in $PORT.
ready() {
	wait_for test -s "$T/$1.ready"
	ADDR=$(head -n 1 "$T/$1.ready")
	PORT=${ADDR##*:}
}

# stop PID [SIG]: signal PID (default TERM), wait (bounded); status in $REAPED.
stop() {
	kill "-${2:-TERM}" "$1" 2>/dev/null || true
	_reap "$1" 10 || fail "pid $1 did not exit after SIG${2:-TERM}"
	_forget "$1"
}

# await PID: wait (bounded, $WAIT or 30 s) for PID to exit by itself.
await() {
	_reap "$1" "${WAIT:-30}" || fail "pid $1 did not exit in time"
	_forget "$1"
}

sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# same FILE1 FILE2: byte-identical, by sha256.
same() {
	[ "$(sha "$1")" = "$(sha "$2")" ] || fail "$1 and $2 differ"
}

# nfds PID: open fds of PID.
nfds() {
	ls "/proc/$1/fd" | wc -l
}

# child_pid PARENT [WORD]: the pid of a child of PARENT (whose command
# line has WORD as one of its arguments, if given); status 1 if none.
child_pid() {
	for _f in /proc/[0-9]*/status; do
		grep -q "^PPid:[[:space:]]*$1\$" "$_f" 2>/dev/null || continue
		_p=${_f#/proc/}
		_p=${_p%/status}
		if [ $# -gt 1 ]; then
			tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null |
			    grep -q -- " $2 " || continue
		fi
		echo "$_p"
		return 0
	done
	return 1
}

# expect_log NAME REGEX: ferry NAME's stderr matches.
expect_log() {
	grep -Eq -- "$2" "$T/$1.log" || fail "log $1 lacks /$2/: $(cat "$T/$1.log")"
}

# randfile PATH BYTES
randfile() {
	head -c "$2" /dev/urandom >"$1"
}
