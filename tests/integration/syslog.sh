#!/bin/sh
# -ly: messages go to syslog (/dev/log) with the facility asked for and the
# level's priority, not to stderr.  Run in a private mount namespace whose
# /dev has our own /dev/log; needs root and unshare(1), else skipped.
. "$TESTS_DIR/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root for a mount namespace"
unshare -m true 2>/dev/null || skip "unshare -m does not work here"

cat >"$T/sink.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
open(sys.argv[2] + ".tmp", "w").close()
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
with open(sys.argv[1], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536).replace(b"\n", b" ") + b"\n")
PY

cat >"$T/inside.sh" <<'SH'
set -e
mount --make-rprivate /
mkdir "$T/realdev"
mount --rbind /dev "$T/realdev"
mount -t tmpfs tmpfs /dev
for n in null zero urandom random; do
	touch "/dev/$n"
	mount --bind "$T/realdev/$n" "/dev/$n"
done
"$PYTHON" "$T/sink.py" "$T/syslog.out" "$T/sink.ready" &
SINK=$!
i=0
until [ -e "$T/sink.ready" ]; do
	i=$((i + 1)); [ "$i" -lt 500 ] || { kill "$SINK"; exit 2; }
	sleep 0.02
done
rc=0
"$FERRY" -ly -d tcp:127.0.0.1:1 - </dev/null 2>"$T/daemon.err" || rc=$?
echo "$rc" >"$T/daemon.rc"
rc=0
"$FERRY" -lylocal3 tcp:127.0.0.1:1 - </dev/null 2>"$T/local3.err" || rc=$?
echo "$rc" >"$T/local3.rc"
i=0
until [ "$(wc -l <"$T/syslog.out" 2>/dev/null || echo 0)" -ge 2 ]; do
	i=$((i + 1)); [ "$i" -lt 500 ] || break
	sleep 0.02
done
kill "$SINK"
wait "$SINK" || true
SH

# A port nobody listens on: port 1 of loopback is refused at once.
T=$T FERRY=$FERRY PYTHON=$PYTHON timeout -k 5 60 unshare -m sh "$T/inside.sh" ||
    fail "the namespace script failed ($?)"
[ "$(cat "$T/daemon.rc")" -eq 1 ] || fail "-ly run exited $(cat "$T/daemon.rc")"
[ ! -s "$T/daemon.err" ] || fail "stderr with -ly: $(cat "$T/daemon.err")"
[ ! -s "$T/local3.err" ] || fail "stderr with -lylocal3: $(cat "$T/local3.err")"
# daemon (3) * 8 + err (3) = 27; local3 (19) * 8 + err (3) = 155.
grep -Eq '^<27>.*ferry\[[0-9]+\]: tcp:127\.0\.0\.1:1: connect: Connection refused$' "$T/syslog.out" ||
    fail "no daemon.err line: $(cat "$T/syslog.out")"
grep -Eq '^<155>.*ferry\[[0-9]+\]: tcp:127\.0\.0\.1:1: connect: Connection refused$' "$T/syslog.out" ||
    fail "no local3.err line: $(cat "$T/syslog.out")"
