#!/bin/sh
# contrib/homebrew/ferry.rb, as far as Linux can check it: it parses
# (ruby -c); loaded with a stand-in for Homebrew's Formula class
# (helpers/brew_stub.rb), its dependencies are what configure.ac's
# PKG_CHECK_MODULES need, its configure flags exist in configure.ac (and
# in configure --help), its sha256 is a real one and its url names this
# version's tarball, and its test block passes against this ferry;
# update-formula.sh rewrites url and sha256 from a tarball, and nothing
# else.
. "$TESTS_DIR/integration/lib.sh"

command -v ruby >/dev/null 2>&1 || skip "ruby is not installed"
SRC=$TESTS_DIR/..
F=$SRC/contrib/homebrew/ferry.rb
AC=$SRC/configure.ac
ruby -c "$F" >/dev/null || fail "ruby -c ferry.rb"
# The formula's bin: ferry as the tests run it (under valgrind, too).
mkdir "$T/bin"
ln -s "$FERRY" "$T/bin/ferry"
ruby "$HELPERS/brew_stub.rb" "$F" "$T/bin" >"$T/facts" \
    2>"$T/err" || fail "loading the formula: $(tail -n 3 "$T/err")"
grep -qx 'test ok' "$T/facts" || fail "the formula's test block did not pass"

# url and sha256.
version=$(sed -n 's/^AC_INIT(\[ferry\], \[\([^]]*\)\].*/\1/p' "$AC")
[ -n "$version" ] || fail "no version in configure.ac"
url=$(sed -n 's/^field url //p' "$T/facts")
[ "${url##*/}" = "ferry-$version.tar.gz" ] || fail "url $url is not ferry-$version"
sum=$(sed -n 's/^field sha256 //p' "$T/facts")
printf '%s\n' "$sum" | grep -Eqx '[0-9a-f]{64}' || fail "sha256 $sum"
printf '%s\n' "$sum" | grep -Eqx '0+' && fail "sha256 is a placeholder"
grep -q '^field head ' "$T/facts" || fail "no head"

# Dependencies: what each pkg-config module of configure.ac is in Homebrew.
sed -n 's/^ *PKG_CHECK_MODULES(\[[A-Z_]*\], *\[\([^]]*\)\].*/\1/p' "$AC" |
    tr ' ' '\n' | grep -E '^[a-z]' | sort -u >"$T/modules"
[ -s "$T/modules" ] || fail "no PKG_CHECK_MODULES in configure.ac"
: >"$T/want"
while read -r m; do
	case $m in
	libevent_*) echo libevent ;;
	openssl) echo openssl@3 ;;
	libedit) echo libedit ;;
	check) ;;		# make check only; the formula does not run it
	*) fail "configure.ac needs $m: give it a Homebrew name here and in the formula" ;;
	esac >>"$T/want"
done <"$T/modules"
sort -u "$T/want" -o "$T/want"
sed -n 's/^depends \(.*\) run$/\1/p' "$T/facts" | sort >"$T/got"
cmp -s "$T/want" "$T/got" ||
    fail "depends on '$(tr '\n' ' ' <"$T/got")', configure.ac needs '$(tr '\n' ' ' <"$T/want")'"
grep -Eqx 'depends (pkgconf|pkg-config) build' "$T/facts" ||
    fail "no pkg-config at build time, which PKG_CHECK_MODULES needs"
# From git: autogen.sh runs autoreconf; libtool only if configure.ac uses it.
want_head="autoconf automake"
grep -q '^LT_INIT' "$AC" && want_head="$want_head libtool"
got_head=$(sed -n 's/^head depends \(.*\) build$/\1/p' "$T/facts" | sort | tr '\n' ' ')
[ "$got_head" = "$want_head " ] || fail "head depends on '$got_head', not '$want_head'"
grep -qx 'system head ./autogen.sh' "$T/facts" || fail "head does not run autogen.sh"
grep -q "^system stable make	install" "$T/facts" || fail "no make install"

# Configure flags (beyond Homebrew's std_configure_args) exist.
sed -n 's/^system stable \.\/configure	//p' "$T/facts" | tr '\t' '\n' |
    grep -Ev '^--(prefix|libdir)=|^--disable-(debug|dependency-tracking)$' \
    >"$T/flags"
grep -qx -- --with-libedit "$T/flags" ||
    fail "libedit is a dependency but configure is not told --with-libedit"
[ -x "$SRC/configure" ] && "$SRC/configure" --help >"$T/confhelp"
while read -r flag; do
	case $flag in
	--disable-silent-rules) name=silent-rules; macro=AM_SILENT_RULES ;;
	--enable-*|--disable-*)
		name=${flag#--*able-}; name=${name%%=*}; macro="AC_ARG_ENABLE(\[$name\]" ;;
	--with-*|--without-*)
		name=${flag#--with-}; name=${name#--without-}; name=${name%%=*}
		macro="AC_ARG_WITH(\[$name\]" ;;
	*) fail "configure flag $flag: not an --enable or --with" ;;
	esac
	# silent-rules is automake's, in configure whenever AM_INIT_AUTOMAKE is.
	[ "$name" = silent-rules ] || grep -q "$macro" "$AC" ||
	    fail "formula passes $flag, configure.ac has no $macro"
	if [ -f "$T/confhelp" ]; then
		grep -Eq -- "--(enable|disable|with|without)-$name([= ]|$)" \
		    "$T/confhelp" || fail "configure --help lacks $flag"
	fi
done <"$T/flags"

# update-formula.sh on a copy: url and sha256 change, nothing else.
cp "$F" "$T/ferry.rb"
head -c 4096 /dev/urandom >"$T/ferry-$version.tar.gz"
sh "$SRC/contrib/homebrew/update-formula.sh" -f "$T/ferry.rb" \
    -u 'https://dl.example.org/a&b/' "$T/ferry-$version.tar.gz" \
    >"$T/up.out" 2>&1 || fail "update-formula.sh: $(cat "$T/up.out")"
want=$(sha256sum "$T/ferry-$version.tar.gz" | cut -d' ' -f1)
grep -qx "  sha256 \"$want\"" "$T/ferry.rb" || fail "sha256 not rewritten"
grep -qx "  url \"https://dl.example.org/a&b/ferry-$version.tar.gz\"" \
    "$T/ferry.rb" || fail "url not rewritten: $(grep '^  url' "$T/ferry.rb")"
diff "$F" "$T/ferry.rb" | grep '^[<>]' | grep -Ev '^[<>]   (url|sha256) ' &&
    fail "update-formula.sh changed more than url and sha256"
ruby -c "$T/ferry.rb" >/dev/null || fail "ruby -c after update-formula.sh"
# -g sets head and homepage; a tarball not named ferry-VERSION is refused.
sh "$SRC/contrib/homebrew/update-formula.sh" -f "$T/ferry.rb" \
    -g https://git.example.org/ferry.git "$T/ferry-$version.tar.gz" \
    >/dev/null || fail "update-formula.sh -g"
grep -qx '  head "https://git.example.org/ferry.git", branch: "main"' \
    "$T/ferry.rb" || fail "head not rewritten: $(grep '^  head' "$T/ferry.rb")"
grep -qx '  homepage "https://git.example.org/ferry"' "$T/ferry.rb" ||
    fail "homepage not rewritten"
cp "$T/ferry-$version.tar.gz" "$T/other.tar.gz"
RC=0
sh "$SRC/contrib/homebrew/update-formula.sh" -f "$T/ferry.rb" \
    "$T/other.tar.gz" >/dev/null 2>"$T/err" || RC=$?
[ "$RC" -eq 1 ] || fail "update-formula.sh took other.tar.gz (exit $RC)"
grep -q 'not ferry-VERSION.tar.gz' "$T/err" || fail "$(cat "$T/err")"
