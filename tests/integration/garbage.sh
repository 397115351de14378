#!/bin/sh
# 10 KB of garbage as an address, random and structured, on either side:
# exit status 1 (not a crash, not a hang), exactly one line on stderr that
# does not echo the 10 KB back (messages quote at most a few hundred bytes
# of it; the cap here is 1 KB), nothing on stdout, nothing created.
. "$TESTS_DIR/integration/lib.sh"

mkdir "$T/cwd"
cd "$T/cwd"
i=0
# try ADDR1 ADDR2 [FLAGS...]
try() {
	i=$((i + 1))
	RUN_TIMEOUT=20 ferry_run "g$i" "$@" </dev/null >"$T/out$i"
	[ "$RC" -ne 124 ] || fail "garbage $i hung"
	[ "$RC" -eq 1 ] || fail "garbage $i: exit $RC, expected 1: $(head -c 300 "$T/g$i.log")"
	[ "$(wc -l <"$T/g$i.log")" -eq 1 ] || fail "garbage $i: not one line: $(head -c 600 "$T/g$i.log")"
	[ "$(wc -c <"$T/g$i.log")" -le 1024 ] || fail "garbage $i: a $(wc -c <"$T/g$i.log")-byte message"
	head -c 7 "$T/g$i.log" | grep -q '^ferry: ' || fail "garbage $i: no 'ferry: ' prefix"
	[ ! -s "$T/out$i" ] || fail "garbage $i: wrote to stdout"
}

# n copies of a string, 10 KB or so.
rep() {
	"$PYTHON" -c 'import sys; s = sys.argv[1]; sys.stdout.write(s * (10240 // len(s)))' "$1"
}

# Random bytes (no NUL, which argv cannot hold), several draws.
n=0
while [ $n -lt 20 ]; do
	g=$(head -c 16384 /dev/urandom | tr -d '\000' | head -c 10240)
	try "$g" -
	try - "$g"
	n=$((n + 1))
done
# Random printable text.
g=$(head -c 65536 /dev/urandom | tr -dc '[:print:]' | head -c 10240)
try "$g" -
try "$g" "$g"

# Structured garbage.
for s in a : "," "[" "]" "(" "{" "'" '"' '\' '!!' ',,' '=' 'x=' ',fork' ':,' '[(' "'\"" '!' '\\,'; do
	try - "$(rep "$s")"
	try "tcp:$(rep "$s")" -
done
try - "tcp:$(rep a):80"
try - "tcp:localhost:$(rep 9)"
try - "tcp:[$(rep :)]:80"
try - "tcp:localhost:80,$(rep nosuchopt,)x"
try - "tcp:localhost:80,bind=$(rep a)"
try - "unix-connect:$(rep a)"
try "unix-listen:$(rep a)" -
try "unix-listen:/$(rep a/)" -
try - "fd:$(rep 9)"
try - "$(rep 9)"
try - "exec:$(rep a)"
try - "exec:'$(rep a)"
try - "open:/$(rep a)"
try - "$(rep /a)"
try - "$(rep tcp:)"
try - "$(rep 'stdin!!')stdout"
try - "unix-connect:x,mode=$(rep 7)"
try - "tcp:a:1,retry=$(rep 9)"
try - "tcp:a:1,interval=$(rep 9)"
try - "tcp:a:1,interval=1e$(rep 9)"
try - "$(rep TCP-LISTEN)"
try -t "$(rep 9)" - -
try -b "$(rep 9)" - -
try "-$(rep d)Z" - -

# Nothing was created where ferry ran.
[ -z "$(ls -A "$T/cwd")" ] || fail "garbage created: $(ls -A "$T/cwd" | head -c 300)"
cd /
