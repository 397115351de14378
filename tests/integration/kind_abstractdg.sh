#!/bin/sh
# ABSTRACT-SENDTO, -RECVFROM and -RECV: datagrams in Linux's abstract
# namespace, no file anywhere.  1,000 records of up to 64 KiB through
# ABSTRACT-RECVFROM -> ABSTRACT-SENDTO to an echo server, checked one by
# one; four senders at once with fork; ABSTRACT-RECV to a file; a name
# nobody bound is one line and exit 1.
. "$TESTS_DIR/integration/lib.sh"

"$FERRY" help kinds | grep -q '^  ABSTRACT-SENDTO' || skip "no abstract sockets in this build"
DG="$PYTHON $HELPERS/dgram.py"
N=ferry-test-$$

bg echo $DG echo "abstract:$N-echo" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

ferry_bg rf "abstract-recvfrom:$N-rf" "abstract-sendto:$N-echo"
RF=$FPID
ready rf
[ "$ADDR" = "@$N-rf" ] || fail "ready file: $ADDR"
timeout 120 $DG check "abstract:$N-rf" --count 1000 --max 65536 >"$T/check.out" 2>&1 ||
    fail "records through abstract sockets: $(cat "$T/check.out")"
stop "$RF"

ferry_bg fork "abstract-recvfrom:$N-fork,fork" "abstract-sendto:$N-echo"
FORK=$FPID
ready fork
timeout 60 $DG multi "abstract:$N-fork" --clients 4 --count 50 >"$T/multi.out" 2>&1 ||
    fail "four senders: $(cat "$T/multi.out")"
stop "$FORK"

# RECV: from anyone, to a file; nothing goes back.
ferry_bg recv -u "abstract-recv:$N-recv" "create:$T/got"
RECV=$FPID
ready recv
"$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"one\n", "\0" + sys.argv[1])' "$N-recv"
wait_for grep -q '^one$' "$T/got"
stop "$RECV"

ferry_run none - "abstract-sendto:$N-nobody" </dev/null
[ "$RC" -eq 1 ] || fail "sendto a name nobody bound: exit $RC"
expect_log none "^ferry: abstract-sendto:$N-nobody: connect to @$N-nobody: Connection refused \(nothing is bound there\)\$"
[ "$(wc -l <"$T/none.log")" -eq 1 ] || fail "not one line: $(cat "$T/none.log")"
