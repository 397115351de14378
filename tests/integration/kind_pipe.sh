#!/bin/sh
# PIPE:path (a named pipe) with real processes writing and reading it,
# sha256 checked: made if missing and removed at exit, writers that come
# and go without an EOF, an existing FIFO left in place, mode=; and the
# unnamed PIPE, an echo.  Bad input: one line naming the address.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/a" 300000
randfile "$T/b" 5000
randfile "$T/c" 1000000
cat "$T/a" "$T/b" "$T/c" >"$T/abc"

# Size of a file, 0 if missing.
size() {
	if [ -f "$1" ]; then wc -c <"$1" | tr -d ' '; else echo 0; fi
}
has_size() {
	[ "$(size "$1")" -eq "$2" ]
}

# A reader: ferry makes the FIFO, three writers one after another (two
# cats and a python), each closing it; ferry never sees EOF in between.
ferry_bg rd -d -u "pipe:$T/fifo,mode=0620" "create:$T/got"
RD=$FPID
wait_for test -p "$T/fifo"
[ "$(stat -c %a "$T/fifo")" = 620 ] || fail "mode=0620 made $(stat -c %a "$T/fifo")"
cat "$T/a" >"$T/fifo"
wait_for has_size "$T/got" 300000
cat "$T/b" >"$T/fifo"
wait_for has_size "$T/got" 305000
"$PYTHON" -c '
import sys
with open(sys.argv[1], "rb") as f, open(sys.argv[2], "wb") as p:
    p.write(f.read())
' "$T/c" "$T/fifo"
wait_for has_size "$T/got" 1305000
kill -0 "$RD" || fail "ferry ended after the writers closed the FIFO"
stop "$RD"
same "$T/abc" "$T/got"
[ ! -e "$T/fifo" ] || fail "the FIFO ferry made is still there after exit"

# A writer into an existing FIFO: a python reader holds it open, reads
# every byte; ferry writes, exits, and leaves the FIFO in place.
mkfifo "$T/fifo2"
bg reader "$PYTHON" -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
open(sys.argv[3], "w").write("ready\n")
want, got = int(sys.argv[2]), b""
while len(got) < want:
    got += os.read(fd, 65536)
open(sys.argv[4], "wb").write(got)
' "$T/fifo2" 1305000 "$T/reader.ready" "$T/read"
READER=$BGPID
wait_for test -s "$T/reader.ready"
ferry_run wr -u "open:$T/abc" "pipe:$T/fifo2"
[ "$RC" -eq 0 ] || fail "-u open: pipe:fifo: exit $RC"
await "$READER"
same "$T/abc" "$T/read"
[ -p "$T/fifo2" ] || fail "ferry removed a FIFO it did not make"

# unlink-close=0 keeps a FIFO ferry made; a reader that gets a signal.
ferry_bg keep -u "pipe:$T/fifo3,unlink-close=0" "create:$T/got3"
KEEP=$FPID
wait_for test -p "$T/fifo3"
printf 'one line\n' >"$T/fifo3"
wait_for has_size "$T/got3" 9
stop "$KEEP"
[ -p "$T/fifo3" ] || fail "unlink-close=0 removed the FIFO"

# The unnamed PIPE echoes: stdin comes back on stdout, and ferry ends
# after stdin's EOF.
ferry_pipe echo "$T/abc" "$T/echoed" - pipe
[ "$RC" -eq 0 ] || fail "- pipe: exit $RC"
same "$T/abc" "$T/echoed"
: >"$T/empty"
ferry_pipe echo0 "$T/empty" "$T/echoed" - PIPE
[ "$RC" -eq 0 ] || fail "- PIPE with no input: exit $RC"
[ ! -s "$T/echoed" ] || fail "- PIPE echoed bytes that were not sent"

# Bad input.
ferry_run nodir - "pipe:$T/no/such/dir/fifo" </dev/null
[ "$RC" -eq 1 ] || fail "pipe: in a missing directory: exit $RC"
expect_log nodir "^ferry: pipe:$T/no/such/dir/fifo: mkfifo: No such file or directory\$"
ferry_run notfifo - "pipe:$T/a" </dev/null
[ "$RC" -eq 1 ] || fail "pipe: on a regular file: exit $RC"
expect_log notfifo "^ferry: pipe:$T/a: not a named pipe"
[ "$(wc -l <"$T/notfifo.log")" -eq 1 ] || fail "more than one line: $(cat "$T/notfifo.log")"
ferry_run mode - pipe,mode=0600 </dev/null
[ "$RC" -eq 1 ] || fail "pipe,mode=: exit $RC"
expect_log mode "need a path"
