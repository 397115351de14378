# Shared by the stress tests: the integration tests' lib.sh (temp dir,
# processes stopped by pid, bounded waits), plus the asyncio peers in
# helpers/stress.py and a few /proc readers.
#
#	. "$TESTS_DIR/stress/lib.sh"

# shellcheck source=tests/integration/lib.sh
. "$TESTS_DIR/integration/lib.sh"

STRESS="$TESTS_DIR/stress/helpers/stress.py"

# server NAME LISTEN [ARGS...]: an asyncio server (stress.py server) in
# the background; waits until it listens.  Its pid in $SPID, its address
# in $SADDR.
server() {
	_sname=$1; shift
	bg "$_sname" "$PYTHON" "$STRESS" server "$@" --ready "$T/$_sname.ready"
	SPID=$BGPID
	wait_for test -s "$T/$_sname.ready"
	SADDR=$(cat "$T/$_sname.ready")
}

# kib PID FIELD: a /proc/PID/status field in KiB (VmRSS, VmHWM).
kib() {
	awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"
}

# nchildren PID: live child processes of PID.
nchildren() {
	pgrep -P "$1" | wc -l
}

# rss_base PID: 0, or under the sanitizers, the current VmRSS (their own
# memory is not the relay's).
rss_base() {
	if grep -q 'libasan\|libclang_rt.asan' "/proc/$1/maps" 2>/dev/null; then
		kib "$1" VmRSS
	else
		echo 0
	fi
}
