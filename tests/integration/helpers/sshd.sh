# A real sshd for the SSH tests, sourced after lib.sh: host and user keys
# made now, in $T/ssh; sshd on a loopback port the kernel picked; a client
# config ($SSHCFG) that uses only these files.  Skips (77) without sshd.
#
#	sshd_start		sets SSHD (its pid), SSHPORT, SSHCFG, SSHLOG;
#				$SSHD_EXTRA, if set, ends its sshd_config
#	sshd_logins		how many logins sshd has accepted
#	sshd_kill		stop sshd and every session it has
#	sshd_again		start sshd again on the same port

SSHD_BIN=${SSHD_BIN:-/usr/sbin/sshd}
[ -x "$SSHD_BIN" ] || skip "no $SSHD_BIN (openssh-server)"
command -v ssh >/dev/null 2>&1 || skip "no ssh client"
command -v ssh-keygen >/dev/null 2>&1 || skip "no ssh-keygen"

sshd_start() {
	S=$T/ssh
	mkdir -p "$S"
	chmod 700 "$S"
	[ -d /run/sshd ] || mkdir -p /run/sshd 2>/dev/null ||
		skip "no privilege separation dir /run/sshd"
	ssh-keygen -q -t ed25519 -N '' -f "$S/host_key"
	ssh-keygen -q -t ed25519 -N '' -f "$S/user_key"
	ssh-keygen -q -t ed25519 -N '' -f "$S/other_key"
	cp "$S/user_key.pub" "$S/authorized_keys"
	SSHLOG=$T/sshd.log
	FERRY_LOGS="$FERRY_LOGS $SSHLOG"	# shown if the test fails
	_try=0
	while :; do
		SSHPORT=$($PYTHON -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		cat >"$S/sshd_config" <<EOC
Port $SSHPORT
ListenAddress 127.0.0.1
HostKey $S/host_key
AuthorizedKeysFile $S/authorized_keys
PidFile none
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowStreamLocalForwarding yes
AllowTcpForwarding yes
StreamLocalBindUnlink yes
LogLevel VERBOSE
${SSHD_EXTRA:-}
EOC
		: >"$SSHLOG"
		"$SSHD_BIN" -D -e -f "$S/sshd_config" >>"$SSHLOG" 2>&1 &
		SSHD=$!
		PIDS="$PIDS $SSHD"
		_i=0
		while ! grep -q 'Server listening' "$SSHLOG"; do
			kill -0 "$SSHD" 2>/dev/null || break
			_i=$((_i + 1))
			[ "$_i" -ge 500 ] && fail "sshd did not start: $(cat "$SSHLOG")"
			sleep 0.02
		done
		grep -q 'Server listening' "$SSHLOG" && break
		stop "$SSHD"
		_try=$((_try + 1))
		[ "$_try" -lt 5 ] || fail "sshd would not start: $(cat "$SSHLOG")"
	done
	echo "[127.0.0.1]:$SSHPORT $(cat "$S/host_key.pub")" >"$S/known_hosts"
	SSHCFG=$S/ssh_config
	cat >"$SSHCFG" <<EOC
Host *
	User $(id -un)
	IdentityFile $S/user_key
	IdentitiesOnly yes
	IdentityAgent none
	UserKnownHostsFile $S/known_hosts
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking yes
	LogLevel ERROR
EOC
}

sshd_kill() {
	for _f in /proc/[0-9]*/status; do
		grep -q "^PPid:[[:space:]]*$SSHD\$" "$_f" 2>/dev/null || continue
		_p=${_f#/proc/}
		kill -TERM "${_p%/status}" 2>/dev/null || true
	done
	stop "$SSHD"
}

sshd_again() {
	_sn=$(grep -c 'Server listening' "$SSHLOG" || true)
	"$SSHD_BIN" -D -e -f "$S/sshd_config" >>"$SSHLOG" 2>&1 &
	SSHD=$!
	PIDS="$PIDS $SSHD"
	_up() {
		[ "$(grep -c 'Server listening' "$SSHLOG")" -gt "$_sn" ]
	}
	wait_for _up
}

sshd_logins() {
	grep -c 'Accepted publickey' "$SSHLOG" || true
}
