#!/bin/sh
# Build ferry's libFuzzer targets with clang, into the current directory
# (a configured build tree: config.h is taken from here).
#
#	sh tests/fuzz/build.sh SRCDIR	# or: make fuzz
#
# Targets: fuzz_addr (addresses), fuzz_opts (option lists), fuzz_frame
# (the fd-passing hop's frames).  Each is built with ASan and UBSan; the
# first two link every source but main.c, as the unit tests do.
# CLANG overrides the compiler (default: clang).
set -eu

src=${1:?usage: build.sh SRCDIR}
cc=${CLANG:-clang}
out=tests/fuzz
flags="-g -O1 -std=c11 -D_GNU_SOURCE -DHAVE_CONFIG_H -I. -I$src/src
 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
libs="$(pkg-config --cflags --libs libevent libevent_openssl openssl) -lm"
# READLINE's line editor, when configure found libedit.
if grep -q '^#define HAVE_LIBEDIT 1' config.h 2>/dev/null; then
	libs="$libs $(pkg-config --cflags --libs libedit)"
fi

command -v "$cc" >/dev/null 2>&1 || {
	echo "fuzz: $cc not found (Debian: apt-get install clang)" >&2
	exit 1
}
mkdir -p "$out"
lib=""
for f in "$src"/src/*.c "$src"/src/fdpass/*.c; do
	[ "${f##*/}" = main.c ] || lib="$lib $f"
done
# shellcheck disable=SC2086 # word splitting of the lists is meant
{
	$cc $flags -o "$out/fuzz_addr" "$src/tests/fuzz/fuzz_addr.c" $lib $libs
	$cc $flags -DFUZZ_OPTS -o "$out/fuzz_opts" \
	    "$src/tests/fuzz/fuzz_addr.c" $lib $libs
	$cc $flags -o "$out/fuzz_frame" "$src/tests/fuzz/fuzz_frame.c" \
	    "$src/src/fdpass/frame.c"
}
echo "fuzz: built $out/fuzz_addr $out/fuzz_opts $out/fuzz_frame"
