#!/bin/sh
# OPEN, CREATE (CREAT), GOPEN (also a bare path), to and from real sockets
# and pipes, sha256 checked; append, trunc, creat, excl, rdonly, wronly,
# mode, unlink-close; and file to file, large and small.
. "$TESTS_DIR/integration/lib.sh"

randfile "$T/in" $((20 * 1024 * 1024))
bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# OPEN into a socket.
bg sink "$PYTHON" "$HELPERS/peer.py" sink "unix:$T/sink.sock" --ready "$T/sink.ready" --out "$T/sunk"
SINK=$BGPID
wait_for test -s "$T/sink.ready"
ferry_run open_sink -u "open:$T/in" "unix-connect:$T/sink.sock"
[ "$RC" -eq 0 ] || fail "-u open: -> sink: exit $RC"
await "$SINK"
same "$T/in" "$T/sunk"

# A socket into CREATE, and into CREAT with mode=.
for c in create creat; do
	bg source "$PYTHON" "$HELPERS/peer.py" source "unix:$T/src.sock" --ready "$T/src.ready" --out "$T/in"
	SRC=$BGPID
	rm -f "$T/src.ready"
	wait_for test -s "$T/src.ready"
	rm -f "$T/created"
	ferry_run "src_$c" "unix-connect:$T/src.sock" "$c:$T/created,mode=0640"
	[ "$RC" -eq 0 ] || fail "source -> $c: exit $RC"
	await "$SRC"
	rm -f "$T/src.sock"
	same "$T/in" "$T/created"
	[ "$(stat -c %a "$T/created")" = 640 ] || fail "$c,mode=0640 made mode $(stat -c %a "$T/created")"
done

# GOPEN and a bare path on a UNIX socket connect to it.
for a in "gopen:$T/echo.sock" "$T/echo.sock"; do
	ferry_pipe gsock "$T/in" "$T/out" - "$a"
	[ "$RC" -eq 0 ] || fail "- $a: exit $RC"
	same "$T/in" "$T/out"
done
# GOPEN and a bare path on a file: written from a pipe (-u), then read
# back into a pipe (-U).
for a in "gopen:$T/g1,creat" "$T/g2,creat"; do
	f=${a%,creat}; f=${f#gopen:}
	ferry_pipe gw "$T/in" /dev/null -u - "$a"
	[ "$RC" -eq 0 ] || fail "-u - $a: exit $RC"
	same "$T/in" "$f"
	ferry_pipe gr /dev/null "$T/out" -U - "${a%,creat}"
	[ "$RC" -eq 0 ] || fail "-U - ${a%,creat}: exit $RC"
	same "$T/in" "$T/out"
done

printf 'old contents\n' >"$T/old"
printf 'new\n' >"$T/new"

# Without trunc, OPEN writes over the start of the file.
cp "$T/old" "$T/f"
ferry_pipe plain "$T/new" /dev/null -u - "open:$T/f"
[ "$RC" -eq 0 ] || fail "open: exit $RC"
[ "$(cat "$T/f")" = "new
contents" ] || fail "open: without trunc left '$(cat "$T/f")'"
# trunc
cp "$T/old" "$T/f"
ferry_pipe trunc "$T/new" /dev/null -u - "open:$T/f,trunc"
[ "$RC" -eq 0 ] || fail "open:,trunc: exit $RC"
same "$T/new" "$T/f"
# append
cp "$T/old" "$T/f"
ferry_pipe append "$T/new" /dev/null -u - "open:$T/f,append"
[ "$RC" -eq 0 ] || fail "open:,append: exit $RC"
[ "$(cat "$T/f")" = "old contents
new" ] || fail "open:,append left '$(cat "$T/f")'"
# CREATE truncates.
cp "$T/old" "$T/f"
ferry_pipe create_trunc "$T/new" /dev/null -u - "create:$T/f"
[ "$RC" -eq 0 ] || fail "create: on a file: exit $RC"
same "$T/new" "$T/f"
# OPEN needs the file, unless creat.
ferry_pipe nofile "$T/new" /dev/null -u - "open:$T/absent"
[ "$RC" -eq 1 ] || fail "open: on a missing file: exit $RC"
expect_log nofile "^ferry: open:$T/absent: open: No such file or directory\$"
ferry_pipe creat "$T/new" /dev/null -u - "open:$T/absent,creat,mode=600"
[ "$RC" -eq 0 ] || fail "open:,creat: exit $RC"
same "$T/new" "$T/absent"
[ "$(stat -c %a "$T/absent")" = 600 ] || fail "open:,creat,mode=600 made mode $(stat -c %a "$T/absent")"
# excl refuses an existing file and leaves it alone.
cp "$T/old" "$T/f"
ferry_pipe excl "$T/new" /dev/null -u - "open:$T/f,creat,excl"
[ "$RC" -eq 1 ] || fail "open:,creat,excl on an existing file: exit $RC"
expect_log excl "File exists"
same "$T/old" "$T/f"
ferry_pipe excl_new "$T/new" /dev/null -u - "open:$T/excl,creat,excl"
[ "$RC" -eq 0 ] || fail "open:,creat,excl on a new file: exit $RC"
same "$T/new" "$T/excl"
# rdonly cannot be written, wronly cannot be read.
ferry_pipe rdonly "$T/new" /dev/null -u - "open:$T/f,rdonly"
[ "$RC" -eq 1 ] || fail "-u - open:,rdonly: exit $RC"
expect_log rdonly "read only, which the relay cannot use"
same "$T/old" "$T/f"
ferry_pipe wronly /dev/null "$T/out" -U - "open:$T/f,wronly"
[ "$RC" -eq 1 ] || fail "-U - open:,wronly: exit $RC"
expect_log wronly "write only, which the relay cannot use"
ferry_run both - "open:$T/f,rdonly,wronly" </dev/null
[ "$RC" -eq 1 ] || fail "rdonly,wronly: exit $RC"
expect_log both "rdonly and wronly exclude each other"
ferry_run create_rd - "create:$T/f,rdonly" </dev/null
[ "$RC" -eq 1 ] || fail "create:,rdonly: exit $RC"
expect_log create_rd "CREATE opens for writing"

# Small files as sources (all of a file, and its end, read at once).
cp "$T/old" "$T/f"
RUN_TIMEOUT=20 ferry_pipe rdonly_ok /dev/null "$T/out" - "open:$T/f,rdonly"
[ "$RC" -eq 0 ] || fail "- open:,rdonly: exit $RC"
same "$T/old" "$T/out"
# unlink-close removes the file when the relay is done.
cp "$T/old" "$T/gone"
RUN_TIMEOUT=20 ferry_pipe unlink "$T/new" "$T/out" - "open:$T/gone,rdonly,unlink-close"
[ "$RC" -eq 0 ] || fail "open:,unlink-close: exit $RC"
same "$T/old" "$T/out"
[ ! -e "$T/gone" ] || fail "unlink-close left the file"

# File to file: ferry -u OPEN:a CREATE:b, and without -u.
for n in $((20 * 1024 * 1024)) 300000 1000 0; do
	randfile "$T/a" "$n"
	rm -f "$T/b"
	RUN_TIMEOUT=30 ferry_run "ff$n" -u "open:$T/a" "create:$T/b"
	[ "$RC" -eq 0 ] || fail "-u open: create: ($n bytes): exit $RC"
	same "$T/a" "$T/b"
	rm -f "$T/b"
	RUN_TIMEOUT=30 ferry_run "ffb$n" "open:$T/a" "create:$T/b"
	[ "$RC" -eq 0 ] || fail "open: create: ($n bytes): exit $RC"
	same "$T/a" "$T/b"
done

# Small files into a socket.
for n in 1000 0; do
	randfile "$T/a" "$n"
	bg sink "$PYTHON" "$HELPERS/peer.py" sink "unix:$T/sink$n.sock" --ready "$T/sink$n.ready" --out "$T/sunk$n"
	SINK=$BGPID
	wait_for test -s "$T/sink$n.ready"
	RUN_TIMEOUT=30 ferry_run "small_sink$n" -u "open:$T/a" "unix-connect:$T/sink$n.sock"
	[ "$RC" -eq 0 ] || fail "-u open: -> sink ($n bytes): exit $RC"
	await "$SINK"
	same "$T/a" "$T/sunk$n"
done
