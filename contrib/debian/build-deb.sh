#!/bin/sh
# Build a Debian package of ferry from this source tree, into OUTDIR:
#
#	sh contrib/debian/build-deb.sh [OUTDIR]	# default: the current dir
#
# Copies the tree (as make dist would ship it) to a temp dir, adds
# contrib/debian/package/debian, and runs dpkg-buildpackage -b -us -uc
# (needs debhelper: apt-get install debhelper).  Prints the .deb's path.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(cd "${1:-.}" && pwd)
command -v dpkg-buildpackage >/dev/null 2>&1 ||
    { echo "build-deb: no dpkg-buildpackage (apt-get install debhelper)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/ferry-0.1.0"
# The tracked files only, when this is a git checkout.
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -z | (cd "$top" && xargs -0 tar cf -) |
	    (cd "$work/ferry-0.1.0" && tar xf -)
else
	(cd "$top" && tar cf - --exclude=./_build* .) |
	    (cd "$work/ferry-0.1.0" && tar xf -)
fi
cp -R "$top/contrib/debian/package/debian" "$work/ferry-0.1.0/debian"
(cd "$work/ferry-0.1.0" && dpkg-buildpackage -b -us -uc) >"$work/build.log" 2>&1 ||
    { tail -n 30 "$work/build.log" >&2; echo "build-deb: dpkg-buildpackage failed" >&2; exit 1; }
for deb in "$work"/ferry_*.deb; do
	cp "$deb" "$out/"
	echo "$out/${deb##*/}"
done
