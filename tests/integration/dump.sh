#!/bin/sh
# -v and -x copy the traffic to stderr: a header per chunk ("> DATE TIME
# length=N" one way, "<" the other), then the bytes as text (-v, with \r
# and \xNN escapes) or as a hex dump (-x) from which the exact bytes can be
# read back; the relayed data is untouched.
. "$TESTS_DIR/integration/lib.sh"

bg echo "$PYTHON" "$HELPERS/peer.py" echo "unix:$T/echo.sock" --ready "$T/echo.ready"
wait_for test -s "$T/echo.ready"

# -v, a small text with a CR and a control byte.
printf 'hello\r\nwor\001ld\n' >"$T/text"
ferry_pipe v "$T/text" "$T/out" -v - "unix-connect:$T/echo.sock"
[ "$RC" -eq 0 ] || fail "-v: exit $RC"
same "$T/text" "$T/out"
grep -Eq '^> [0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}  length=14$' "$T/v.log" ||
	fail "-v: no '>' header: $(cat "$T/v.log")"
grep -Eq '^< [0-9/]{10} [0-9:.]{15}  length=14$' "$T/v.log" || fail "-v: no '<' header: $(cat "$T/v.log")"
[ "$(grep -c '^hello\\r$' "$T/v.log")" -eq 2 ] || fail "-v: 'hello\\r' not shown both ways: $(cat "$T/v.log")"
[ "$(grep -c '^wor\\x01ld$' "$T/v.log")" -eq 2 ] || fail "-v: 'wor\\x01ld' not shown both ways: $(cat "$T/v.log")"
[ "$(wc -l <"$T/v.log")" -eq 6 ] || fail "-v: more than the traffic: $(cat "$T/v.log")"

# Without -v or -x, nothing.
ferry_pipe quiet "$T/text" "$T/out" - "unix-connect:$T/echo.sock"
[ "$RC" -eq 0 ] || fail "no dump: exit $RC"
[ ! -s "$T/quiet.log" ] || fail "no -v/-x, yet stderr has: $(cat "$T/quiet.log")"

# -x, 300 KB of random bytes: each direction's dump reads back to exactly
# the bytes sent, however they were chunked.
randfile "$T/bin" 300000
ferry_pipe x "$T/bin" "$T/out" -x - "unix-connect:$T/echo.sock"
[ "$RC" -eq 0 ] || fail "-x: exit $RC"
same "$T/bin" "$T/out"
"$PYTHON" - "$T/x.log" "$T/gt" "$T/lt" <<'PY' || fail "-x: the hex dump does not parse"
import re, sys
out = {">": bytearray(), "<": bytearray()}
told = {">": 0, "<": 0}
cur = None
off = 0
head = re.compile(r"^([<>]) \d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{6}  length=(\d+)$")
line = re.compile(r"^ ([0-9a-f]{8}) ((?: [0-9a-f]{2}){1,16})")
for l in open(sys.argv[1], encoding="latin-1"):
    l = l.rstrip("\n")
    m = head.match(l)
    if m:
        cur = m.group(1)
        told[cur] += int(m.group(2))
        start = len(out[cur])
        continue
    m = line.match(l)
    if not m or cur is None:
        sys.exit("stray line: %r" % l)
    if int(m.group(1), 16) != len(out[cur]) - start:
        sys.exit("offset %s, expected %x" % (m.group(1), len(out[cur]) - start))
    out[cur] += bytes(int(h, 16) for h in m.group(2).split())
for d, f in ((">", sys.argv[2]), ("<", sys.argv[3])):
    if told[d] != len(out[d]):
        sys.exit("%s: headers say %d bytes, dump has %d" % (d, told[d], len(out[d])))
    open(f, "wb").write(out[d])
PY
same "$T/bin" "$T/gt"
same "$T/bin" "$T/lt"

# -v on a forking listener dumps each connection's traffic.
ferry_bg vl -v "unix-listen:$T/l.sock,fork" "unix-connect:$T/echo.sock"
VL=$FPID
ready vl
printf 'first\n' >"$T/a"
printf 'second\n' >"$T/b"
ferry_pipe c1 "$T/a" "$T/out" - "unix:$T/l.sock"
ferry_pipe c2 "$T/b" "$T/out" - "unix:$T/l.sock"
same "$T/b" "$T/out"
dumped() {
	[ "$(grep -c '^first$' "$T/vl.log")" -eq 2 ] && [ "$(grep -c '^second$' "$T/vl.log")" -eq 2 ]
}
wait_for dumped
stop "$VL"
