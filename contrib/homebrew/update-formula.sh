#!/bin/sh
# Point contrib/homebrew/ferry.rb at a release tarball: rewrite its url and
# sha256 lines (and, if asked, homepage and head).
#
#	sh contrib/homebrew/update-formula.sh [-f FORMULA] [-u BASEURL] \
#	    [-g GITURL] [TARBALL]
#
# Without TARBALL, "make dist" is run in the current directory (a
# configured build tree) and ferry-VERSION.tar.gz taken from it.  BASEURL
# is where the tarball is downloaded from, a directory ending in '/'
# (default: the formula's url less its file name); GITURL is the git
# repository for head (default: left as it is).  Upload the tarball to
# BASEURL unchanged: its sha256 is what the formula checks.
set -eu

dir=$(cd "$(dirname "$0")" && pwd)
formula=$dir/ferry.rb
base=""
git=""
while getopts f:u:g: opt; do
	case $opt in
	f) formula=$OPTARG ;;
	u) base=$OPTARG ;;
	g) git=$OPTARG ;;
	*) echo "usage: update-formula.sh [-f FORMULA] [-u BASEURL]" \
	    "[-g GITURL] [TARBALL]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ $# -ge 1 ]; then
	tarball=$1
else
	make dist >&2
	tarball=$(ls -t ferry-*.tar.gz | head -n 1)
fi
name=$(basename "$tarball")
case $name in
ferry-[0-9]*.tar.gz) ;;
*) echo "update-formula.sh: $name is not ferry-VERSION.tar.gz" >&2; exit 1 ;;
esac
[ -f "$tarball" ] || { echo "update-formula.sh: $tarball: no such file" >&2; exit 1; }

if command -v sha256sum >/dev/null 2>&1; then
	sum=$(sha256sum "$tarball" | cut -d' ' -f1)
else
	sum=$(shasum -a 256 "$tarball" | cut -d' ' -f1)	# macOS
fi
for key in url sha256 head homepage; do
	n=$(grep -c "^  $key \"" "$formula" || true)
	[ "$n" -eq 1 ] || {
		echo "update-formula.sh: $formula: $n '$key' lines, not 1" >&2
		exit 1
	}
done
if [ -z "$base" ]; then
	base=$(sed -n 's/^  url "\(.*\/\)[^/]*".*/\1/p' "$formula")
fi
case $base in */) ;; *) base=$base/ ;; esac

# '&', '|' and '\' are sed's in a replacement.
esc() { printf '%s\n' "$1" | sed 's/[&|\\]/\\&/g'; }
base=$(esc "$base")
git=$(esc "$git")
tmp=$formula.tmp.$$
sed -e "s|^  url \".*\"|  url \"$base$name\"|" \
    -e "s|^  sha256 \".*\"|  sha256 \"$sum\"|" "$formula" >"$tmp"
if [ -n "$git" ]; then
	sed -e "s|^  head \"[^\"]*\"|  head \"$git\"|" \
	    -e "s|^  homepage \".*\"|  homepage \"${git%.git}\"|" "$tmp" \
	    >"$tmp.2"
	mv "$tmp.2" "$tmp"
fi
mv "$tmp" "$formula"
echo "$formula: url $base$name, sha256 $sum"
