# bash completion for ferry(1): flags, address kinds, the options of the
# kind being typed (after a comma), and file names after a kind whose
# parameter is a path (UNIX-CONNECT:, OPEN:...).  The lists come from the
# ferry being completed, "ferry help kinds", "ferry help flags" and "ferry
# help KIND", so they never drift from the binary.  Install as
# .../bash-completion/completions/ferry or source it from ~/.bashrc.

# The kinds, canonical names only, with a ':' when they take parameters.
_ferry_kinds()
{
	"$1" help kinds 2>/dev/null | awk '
	    /^  [^ ]/ {
		k = $1
		if (k ~ /:/) { sub(/:.*/, "", k); k = k ":" }
		print k
	    }'
}

# The flags, from the lines that start with one ("-v, -x", "-ly[FAC]").
_ferry_flags()
{
	"$1" help flags 2>/dev/null | awk '
	    /^  -/ {
		for (i = 1; i <= NF; i++) {
		    w = $i; sub(/,$/, "", w); sub(/\[.*/, "", w)
		    if (w !~ /^-/) break
		    print w
		}
	    }'
}

# The options one kind takes.
_ferry_options()
{
	"$1" help "$2" 2>/dev/null | awk '
	    /^Options:/ { on = 1; next }
	    on && /^  [^ ]/ { print $1 }'
}

# Succeeds if the first parameter of a kind is a path.
_ferry_takes_path()
{
	"$1" help "$2" 2>/dev/null |
	    awk 'NR == 1 { ok = $1 ~ /^[^:]*:<path>/; exit } END { exit !ok }'
}

_ferry()
{
	local ferry=${COMP_WORDS[0]} line cur kind prefix w wb nocase
	local -a cands=()

	# The whole word, ':' and '=' included (they break words for bash).
	line=${COMP_LINE:0:COMP_POINT}
	cur=${line##*[[:space:]]}
	COMPREPLY=()
	case $cur in
	-*)
		while IFS= read -r w; do
			[[ $w == "$cur"* ]] && cands+=("$w")
		done < <(_ferry_flags "$ferry")
		[[ $cur == - ]] && cands+=(-)	# STDIO
		;;
	*,*)
		kind=${cur%%[:,]*}
		prefix=${cur%,*},
		while IFS= read -r w; do
			[[ $w == "${cur##*,}"* ]] && cands+=("$prefix$w")
		done < <(_ferry_options "$ferry" "$kind")
		;;
	*:*)
		# A path is completed; other parameters (hosts, ports) are not.
		kind=${cur%%:*}
		_ferry_takes_path "$ferry" "$kind" || return 0
		while IFS= read -r w; do
			[[ -d $w ]] && w=$w/
			cands+=("$kind:$w")
		done < <(compgen -f -- "${cur#*:}")
		;;
	*)
		# Kind names are case-insensitive (bash 3.2, macOS's, lacks ^^).
		shopt -q nocasematch && nocase=1 || nocase=
		shopt -s nocasematch
		while IFS= read -r w; do
			[[ $w == "$cur"* ]] && cands+=("$w")
		done < <(_ferry_kinds "$ferry")
		[[ -n $nocase ]] || shopt -u nocasematch
		[[ -z $cur ]] && cands+=(-)
		;;
	esac
	# bash replaces only what follows the last ':' or '=' of the word.
	wb=${cur%"${cur##*[:=]}"}
	COMPREPLY=("${cands[@]#"$wb"}")
	# A kind's ':' or an option: more to type right after it.
	if [[ $cur != -* ]] && type compopt >/dev/null 2>&1; then
		compopt -o nospace 2>/dev/null
	fi
	return 0
}

complete -F _ferry ferry
