#!/bin/sh
# contrib/homebrew/ferry.rb and contrib/launchd/org.ferry.proxy.plist: the
# formula is valid Ruby (ruby -c, when ruby is installed), the plist a
# valid property list whose job runs ferry with two addresses.
. "$TESTS_DIR/integration/lib.sh"

C=$TESTS_DIR/../contrib
"$PYTHON" - "$C/launchd/org.ferry.proxy.plist" <<'PY' || fail "the plist"
import plistlib, sys
with open(sys.argv[1], "rb") as f:
    job = plistlib.load(f)
args = job["ProgramArguments"]
assert job["Label"] == "org.ferry.proxy", job["Label"]
assert args[0].endswith("/ferry"), args
assert len([a for a in args[1:] if not a.startswith("-")]) == 2, args
PY
if command -v ruby >/dev/null 2>&1; then
	ruby -c "$C/homebrew/ferry.rb" >/dev/null || fail "ruby -c ferry.rb"
fi
