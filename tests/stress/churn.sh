#!/bin/sh
# 10,000 connections opened and closed through a forking listener, 50 at
# a time, each an echo round trip: afterwards ferry holds the fds and
# children it held before, and its VmRSS grew by less than 4 MiB, all
# read from /proc.
. "$TESTS_DIR/stress/lib.sh"

server echo "unix:$T/echo.sock"
ferry_bg relay "tcp-listen:0,fork,bind=127.0.0.1" "unix-connect:$T/echo.sock"
F=$FPID
ready relay
# Warm up (libevent, the pipe pool), then count.
timeout -k 5 60 "$PYTHON" "$STRESS" churn "tcp:127.0.0.1:$PORT" --total 200 \
    --concurrency 50 >/dev/null || fail "warm-up failed"
fds0=$(nfds "$F")
kids0=$(nchildren "$F")
rss0=$(kib "$F" VmRSS)

timeout -k 5 300 "$PYTHON" "$STRESS" churn "tcp:127.0.0.1:$PORT" --total 10000 \
    --concurrency 50 --timeout 240 || fail "a connection failed"

settled() {
	[ "$(nfds "$F")" -eq "$fds0" ] && [ "$(nchildren "$F")" -eq "$kids0" ]
}
WAIT=15 wait_for settled
rss1=$(kib "$F" VmRSS)
echo "ferry: $fds0 fds, $kids0 children; VmRSS $rss0 KiB before, $rss1 KiB after"
# (Under AddressSanitizer freed memory is held in quarantine: RSS says
# nothing about leaks there, and LeakSanitizer checks them at exit; under
# valgrind it is valgrind's, and memcheck checks them.)
if ! grep -qa __asan_init "$FERRY" && [ -z "${FERRY_VALGRIND_BIN:-}" ]; then
	[ $((rss1 - rss0)) -lt 4096 ] || fail "VmRSS grew from $rss0 to $rss1 KiB"
fi
stop "$F"
