#!/bin/sh
# zsh's completion of ferry, for real: an interactive zsh -f on a pty
# (zsh/zpty), compinit with contrib/completion in $fpath, and TAB typed
# after a command line; _ferry runs as zle calls it, and compadd, wrapped,
# writes the matches it is given that fit what was typed to a file.  Kinds
# (case-insensitive), the options of a kind after a comma, file names after
# UNIX-CONNECT: (and its alias UNIX:), none after TCP:, and flags.
. "$TESTS_DIR/integration/lib.sh"

command -v zsh >/dev/null 2>&1 || skip "zsh is not installed"
zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty module"
COMP=$(cd "$TESTS_DIR/../contrib/completion" && pwd)
# ferry in $PATH as the tests run it (under valgrind, too).
BIN=$T/bin
mkdir "$BIN"
ln -s "$FERRY" "$BIN/ferry"

mkdir "$T/p" "$T/p/alps"
: >"$T/p/alpha.sock"
: >"$T/p/alpine"
: >"$T/p/beta"

# The cases: a command line typed after "ferry ", a line each.
cat >"$T/cases" <<EOF
tcp-l
TCP4-L
tcp-listen:80,fo
pty,raw,w
unix-connect:/nonexistent/x.sock,for
unix-connect:$T/p/al
unix:$T/p/alp
tcp:lo
--st
-l
EOF

# Run in the zsh on the pty.
cat >"$T/setup.zsh" <<EOF
PS1='> '
cd "$T"
fpath=("$COMP" \$fpath)
unsetopt autolist listambiguous
setopt nobeep
autoload -Uz compinit
compinit -u -d "$T/zcompdump"
bindkey '^I' complete-word
bindkey '^Xk' kill-whole-line
EOF
# A compadd that writes the matches it is given that fit the line to
# \$OUT, then adds them as usual; a compadd asked only to match (-O, -A,
# -D: _path_files does that) is left alone.
cat >>"$T/setup.zsh" <<'EOF'
compadd() {
	local a
	local -a m
	for a; do
		[[ $a == (-|--) ]] && break
		if [[ $a == -[a-zA-Z]#[OAD]* ]]; then
			builtin compadd "$@"
			return
		fi
	done
	builtin compadd -O m "$@"
	(( $#m )) && print -rl -- $m >>$OUT
	builtin compadd "$@"
}
EOF

cat >"$T/drive.zsh" <<'EOF'
# zsh -f drive.zsh T COMPDIR BINDIR: type each case, TAB, and wait for
# its sync line, on a pty; the matches land in T/m.N.
zmodload zsh/zpty || exit 77
T=$1 COMP=$2 BIN=$3
zpty z env -i HOME="$T" TERM=vt100 PATH="$BIN:/usr/bin:/bin" \
    zsh -f -i || exit 1
zpty -w z "source ${(q)T}/setup.zsh"
n=0
while IFS= read -r line; do
	n=$((n + 1))
	zpty -w z "OUT=${(q)T}/m.$n"
	zpty -wn z "ferry $line"$'\t'
	# Erase the line (not with ^U: typed ahead while a command runs, the
	# tty would take it), then a sync line whose output the typing lacks.
	zpty -w z $'\C-xk'"print SYNC\$(( $n * 1000 + 7 ))"
	zpty -r z out "*SYNC$((n * 1000 + 7))*" || exit 1
done <"$T/cases"
zpty -d z
EOF

# zpty -r waits for its pattern; timeout bounds the whole.
timeout 60 zsh -f "$T/drive.zsh" "$T" "$COMP" "$BIN" >"$T/drive.out" 2>&1 ||
    fail "driving zsh failed ($?): $(tail -n 5 "$T/drive.out")"

# expect N MATCH...: case N offered exactly these (none: no file).
expect() {
	_n=$1; shift
	_case=$(sed -n "${_n}p" "$T/cases")
	if [ $# -eq 0 ]; then
		[ ! -s "$T/m.$_n" ] ||
		    fail "'ferry $_case' offers $(tr '\n' ' ' <"$T/m.$_n")"
		return 0
	fi
	[ -f "$T/m.$_n" ] || fail "'ferry $_case' offers nothing, not $*"
	printf '%s\n' "$@" | sort >"$T/want"
	sort -u "$T/m.$_n" >"$T/got"
	cmp -s "$T/want" "$T/got" ||
	    fail "'ferry $_case' offers '$(tr '\n' ' ' <"$T/got")', not '$*'"
}

expect 1 TCP-LISTEN:
expect 2 TCP4-LISTEN:
expect 3 fork
expect 4 wait-slave
expect 5 forever
expect 6 alpha.sock alpine alps
expect 7 alpha.sock alpine alps
expect 8
expect 9 --stats
expect 10 -lf -ly -ls
