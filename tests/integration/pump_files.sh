#!/bin/sh
# Regular files can't be polled: ferry pumps them.  File to file, stdin
# file to stdout file, and a file to /dev/null keep every byte.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/a" $((50 * 1024 * 1024 + 4321))
ferry_run f2f -u "open:$T/a" "create:$T/b"
[ "$RC" -eq 0 ] || fail "open -> create exited $RC"
same "$T/a" "$T/b"

RC=0
timeout 60 "$FERRY" -u - - <"$T/a" >"$T/c" 2>"$T/s2s.log" || RC=$?
FERRY_LOGS="$FERRY_LOGS $T/s2s.log"
[ "$RC" -eq 0 ] || fail "stdin file -> stdout file exited $RC"
same "$T/a" "$T/c"

RC=0
timeout 60 "$FERRY" -u - - <"$T/a" >/dev/null 2>"$T/null.log" || RC=$?
FERRY_LOGS="$FERRY_LOGS $T/null.log"
[ "$RC" -eq 0 ] || fail "file -> /dev/null exited $RC"

# The dual form: read one file, write another.
ferry_run dual -u "open:$T/a!!create:$T/unused" "create:$T/d"
[ "$RC" -eq 0 ] || fail "dual form exited $RC"
same "$T/a" "$T/d"
