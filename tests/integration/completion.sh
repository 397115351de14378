#!/bin/sh
# The completions in contrib/completion: bash -n and zsh -n (when zsh is
# installed) say they parse; bash, with ferry.bash sourced, completes
# flags, kinds (case-insensitive, canonical names, ':' when they take
# parameters), after a comma the options of the kind being typed, and file
# names after a kind whose parameter is a path.  completion_zsh.sh drives
# zsh's.
. "$TESTS_DIR/integration/lib.sh"

COMP=$TESTS_DIR/../contrib/completion
command -v bash >/dev/null 2>&1 || skip "bash is not installed"
bash -n "$COMP/ferry.bash" || fail "bash -n ferry.bash"
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$COMP/_ferry" || fail "zsh -n _ferry"
fi

# complete WORD: COMPREPLY for "ferry WORD", one a line, into $T/reply.
complete_word() {
	bash -c '
	    . "$1" || exit 1
	    complete -p ferry >/dev/null || exit 1
	    COMP_WORDS=("$2" "$3"); COMP_CWORD=1
	    COMP_LINE="$2 $3"; COMP_POINT=${#COMP_LINE}
	    _ferry
	    printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP/ferry.bash" "$FERRY" "$1" \
	    >"$T/reply" || fail "completing '$1' failed"
}

# expect WORD REPLY...: exactly these replies, in any order.
expect() {
	_w=$1; shift
	complete_word "$_w"
	printf '%s\n' "$@" | sort >"$T/want"
	sort "$T/reply" >"$T/got"
	cmp -s "$T/want" "$T/got" ||
	    fail "'ferry $_w' completes to '$(tr '\n' ' ' <"$T/got")', not '$*'"
}

# expect_has WORD REPLY: REPLY is among the replies.
expect_has() {
	complete_word "$1"
	grep -Fxq -- "$2" "$T/reply" ||
	    fail "'ferry $1' completes to '$(tr '\n' ' ' <"$T/reply")', without '$2'"
}

expect tcp-l TCP-LISTEN:
expect TCP4-L TCP4-LISTEN:
expect readl READLINE
expect_has "" STDIO
expect_has "" PTY
expect_has "" OPENSSL-CONNECT:
# Options after a comma: bash replaces what follows the last ':' or '='.
expect "tcp-listen:8080,fo" "8080,fork"
expect "pty,li" "pty,link"
expect "pty,raw,w" "pty,raw,wait-slave"
expect "readline,h" "readline,history"
expect "unix-connect:/run/x.sock,for" "/run/x.sock,forever"
expect_has "open:/tmp/f," "/tmp/f,creat"
# Parameters are not guessed, but paths are completed; bash replaces what
# follows the ':', a directory gets its '/'.
expect "tcp:" ""
expect "tcp:lo" ""
expect "ssh:ho" ""
mkdir "$T/p" "$T/p/alps"
: >"$T/p/alpha.sock"
: >"$T/p/alpine"
: >"$T/p/beta"
expect "unix-connect:$T/p/al" "$T/p/alpha.sock" "$T/p/alpine" "$T/p/alps/"
expect "unix:$T/p/alp" "$T/p/alpha.sock" "$T/p/alpine" "$T/p/alps/"
expect "OPEN:$T/p/b" "$T/p/beta"
expect "unix-listen:$T/p/nothing" ""
# Flags.
expect --st --stats
expect -l -lf -ly -ls
expect_has - -d
expect_has - -
expect_has --re --ready-file
