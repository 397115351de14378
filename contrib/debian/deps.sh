#!/bin/sh
# The Debian packages that ferry's build, demo and tests need, and how to
# install the missing ones.  Sourced by contrib/debian/setup.sh and
# tests/run-all.sh:
#
#	. contrib/debian/deps.sh
#	deps_install		# apt-get only what dpkg says is missing
#	PYTHON=$(deps_python)	# a python3 that works, for the tests and demo
#
# Or run on its own: sh contrib/debian/deps.sh
#
# Packages are checked with dpkg-query; when one or more are missing,
# "apt-get update" runs once, then one "apt-get install" for all of them.
# Nothing is asked on the terminal (stdin may be closed, as in CI).  As
# root it runs apt-get directly, otherwise through sudo.  Off Debian
# (no dpkg-query) it installs nothing and says so.

# The build: compiler, autotools, libevent 2.1, OpenSSL 3, Check; libedit
# for READLINE's line editing (optional: configure goes on without it).
DEPS_BUILD="build-essential autoconf automake libtool pkg-config
libevent-dev libssl-dev check libedit-dev"
# The demo and the tests: real peers and clients, process and socket tools,
# servers and clients that later scenarios put behind or in front of
# ferry, clang for the libFuzzer targets, debhelper for the package, tmux
# to drive READLINE, zsh to check its completion's syntax, and valgrind
# for make check-valgrind.
DEPS_TEST="python3 curl socat procps iproute2 openssl nginx-light
openssh-server openssh-client ruby clang debhelper tmux zsh valgrind"
DEPS_PACKAGES="$DEPS_BUILD $DEPS_TEST"

# Print the packages of $DEPS_PACKAGES that are not installed, one a line.
deps_missing() {
	for _p in $DEPS_PACKAGES; do
		_st=$(dpkg-query -W -f='${db:Status-Status}' "$_p" 2>/dev/null) ||
		    _st=""
		[ "$_st" = installed ] || printf '%s\n' "$_p"
	done
}

# Install what is missing.  Returns 0 when everything is installed.
deps_install() {
	if ! command -v dpkg-query >/dev/null 2>&1; then
		# shellcheck disable=SC2086 # one line, whatever the newlines
		echo "deps: not Debian (no dpkg-query), not installing:" \
		    $DEPS_PACKAGES >&2
		return 0
	fi
	_missing=$(deps_missing | tr '\n' ' ')
	if [ -z "$_missing" ]; then
		echo "deps: all packages are installed"
		return 0
	fi
	if [ "$(id -u)" -eq 0 ]; then
		_sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		_sudo="sudo"
	else
		echo "deps: missing $_missing; run as root to install them" >&2
		return 1
	fi
	echo "deps: installing $_missing"
	# shellcheck disable=SC2086 # $_sudo and $_missing are word lists
	$_sudo env DEBIAN_FRONTEND=noninteractive apt-get -q \
	    -o DPkg::Lock::Timeout=300 update </dev/null || return 1
	# shellcheck disable=SC2086
	$_sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
	    -o DPkg::Lock::Timeout=300 install --no-install-recommends \
	    $_missing </dev/null || return 1
	_missing=$(deps_missing | tr '\n' ' ')
	if [ -n "$_missing" ]; then
		echo "deps: still missing after apt-get: $_missing" >&2
		return 1
	fi
	return 0
}

# Print the path of a python3 that runs.  Debian's own comes first: a
# python3 earlier on PATH may be a pyenv shim that fails, or is slow to
# start, in a directory whose .python-version names another Python.
deps_python() {
	for _py in /usr/bin/python3 "$(command -v python3 2>/dev/null)"; do
		if [ -z "$_py" ] || [ ! -x "$_py" ]; then
			continue
		fi
		if "$_py" -c 'import sys; sys.exit(sys.version_info < (3, 7))' \
		    </dev/null >/dev/null 2>&1; then
			printf '%s\n' "$_py"
			return 0
		fi
	done
	echo "deps: no working python3 (3.7 or later)" >&2
	return 1
}

# Run on its own (not sourced): install.
case ${0##*/} in
deps.sh) deps_install ;;
esac
