#!/bin/sh
# From a fresh Debian 12 machine to a working ferry, as root:
#
#	sh contrib/debian/setup.sh
#
# installs the packages that are missing (contrib/debian/deps.sh), builds
# ferry out of tree in _build/ (./autogen.sh, ../configure, make), and runs
# the demo of its main job (contrib/demo/demo.sh): an HTTP server on a UNIX
# socket, reachable on TCP through ferry, fetched with curl.
#
# The binary is then _build/src/ferry; "make -C _build install" installs it
# and its manual page under /usr/local.  The build is out of tree so that
# tests/run-all.sh, which builds in trees of its own, works after it.
set -eu

cd "$(dirname "$0")/../.."
top=$(pwd)
exec </dev/null

# shellcheck source=contrib/debian/deps.sh
. "$top/contrib/debian/deps.sh"

echo "== packages"
deps_install
PYTHON=$(deps_python)
export PYTHON

echo "== build"
./autogen.sh
mkdir -p _build
cd _build
../configure
make -j"$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
./src/ferry -V
cd "$top"

echo "== demo"
sh contrib/demo/demo.sh "$top/_build/src/ferry"

echo
echo "ferry is built: $top/_build/src/ferry (man -l man/ferry.1)"
echo "install it with: make -C _build install; run every test with: sh tests/run-all.sh"
