# Certificates for the TLS tests, made at test time with openssl(1) in
# $T/pki.  Source after lib.sh:
#
#	. "$TESTS_DIR/integration/lib.sh"
#	. "$HELPERS/tls.sh"
#
# Every function leaves $PKI/NAME.pem (certificate) and $PKI/NAME.key
# (private key, P-256: quick to make).
#
#	tls_ca NAME [CN]                 a CA
#	tls_server NAME CA [SAN]         a server cert for CN=localhost, by CA;
#	                                 SAN defaults to DNS:localhost,IP:127.0.0.1
#	tls_client NAME CA [CN]          a client cert (CN=ferry-client), by CA
#	tls_selfsigned NAME [CN] [SAN]   self-signed, no CA
#	tls_expired NAME CA              like tls_server, but valid only
#	                                 in January 2020
#	fingerprint NAME                 "sha256:AB:CD:..." of NAME.pem
#	only_line FILE REGEX             FILE has exactly one line, matching

command -v openssl >/dev/null || skip "openssl(1) not installed"

PKI=$T/pki
mkdir -p "$PKI"

# No distribution openssl.cnf: the extensions are exactly these.
cat >"$PKI/req.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ca]
default_ca = test_ca
[test_ca]
database = $ENV::PKI/index.txt
new_certs_dir = $ENV::PKI
serial = $ENV::PKI/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
EOF
export PKI

_tls_openssl() {
	openssl "$@" >"$PKI/openssl.log" 2>&1 || {
		cat "$PKI/openssl.log" >&2
		fail "openssl $1 failed"
	}
}

_tls_key() {
	_tls_openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$PKI/$1.key"
}

tls_ca() {
	_tls_key "$1"
	_tls_openssl req -config "$PKI/req.cnf" -new -x509 -days 30 \
	    -key "$PKI/$1.key" -subj "/CN=${2:-ferry test CA $1}" \
	    -extensions ca_ext -out "$PKI/$1.pem"
}

# _tls_leaf NAME CA CN EXTLINES
_tls_leaf() {
	_tls_key "$1"
	printf '%s\n' "$4" >"$PKI/$1.ext"
	_tls_openssl req -config "$PKI/req.cnf" -new -key "$PKI/$1.key" \
	    -subj "/CN=$3" -out "$PKI/$1.csr"
	_tls_openssl x509 -req -in "$PKI/$1.csr" -days 30 \
	    -CA "$PKI/$2.pem" -CAkey "$PKI/$2.key" -set_serial "$(_tls_serial)" \
	    -extfile "$PKI/$1.ext" -out "$PKI/$1.pem"
}

_tls_serial() {
	od -An -N8 -tu8 /dev/urandom | tr -d ' '
}

tls_server() {
	_tls_leaf "$1" "$2" localhost \
	    "subjectAltName=${3:-DNS:localhost,IP:127.0.0.1}
extendedKeyUsage=serverAuth"
}

tls_client() {
	_tls_leaf "$1" "$2" "${3:-ferry-client}" "extendedKeyUsage=clientAuth"
}

tls_selfsigned() {
	_tls_key "$1"
	_tls_openssl req -config "$PKI/req.cnf" -new -x509 -days 30 \
	    -key "$PKI/$1.key" -subj "/CN=${2:-ferry-peer}" \
	    -addext "subjectAltName=${3:-DNS:${2:-ferry-peer}}" \
	    -out "$PKI/$1.pem"
}

# openssl x509 -req cannot set a start date; openssl ca can.
tls_expired() {
	_tls_key "$1"
	: >"$PKI/index.txt"
	printf '%X\n' 4096 >"$PKI/serial"
	_tls_openssl req -config "$PKI/req.cnf" -new -key "$PKI/$1.key" \
	    -subj /CN=localhost \
	    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	    -out "$PKI/$1.csr"
	_tls_openssl ca -batch -config "$PKI/req.cnf" -notext \
	    -cert "$PKI/$2.pem" -keyfile "$PKI/$2.key" -in "$PKI/$1.csr" \
	    -startdate 20200101000000Z -enddate 20200201000000Z \
	    -out "$PKI/$1.pem"
}

fingerprint() {
	_fp=$(openssl x509 -in "$PKI/$1.pem" -noout -fingerprint -sha256) ||
	    fail "no fingerprint for $1"
	echo "sha256:${_fp#*=}"
}

# only_line FILE REGEX: FILE holds exactly one line, and it matches.
only_line() {
	[ "$(wc -l <"$1")" -eq 1 ] ||
	    fail "$1: expected one line, got: $(cat "$1")"
	grep -Eq -- "$2" "$1" || fail "$1: expected /$2/, got: $(cat "$1")"
}

# tls_run NAME INFILE ARGS...: ferry ARGS in the background with INFILE
# fed through a pipe as its stdin, stdout to $T/NAME.out, stderr to
# $T/NAME.log; waits (bounded: a hang fails the test, it does not stall
# it) and leaves the exit status in $RC.
tls_run() {
	_name=$1; _in=$2; shift 2
	FERRY_LOGS="$FERRY_LOGS $T/$_name.log"
	cat "$_in" | "$FERRY" "$@" >"$T/$_name.out" 2>"$T/$_name.log" &
	_pid=$!
	PIDS="$PIDS $_pid"
	await "$_pid"
	RC=$REAPED
}

# tls_echo NAME ARGS...: one exchange of $T/in through an echo server,
# exit 0 and the bytes back checked.
tls_echo() {
	_name=$1; shift
	tls_run "$_name" "$T/in" "$@"
	[ "$RC" -eq 0 ] || fail "$_name: exit $RC: $(cat "$T/$_name.log")"
	same "$T/in" "$T/$_name.out"
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
	"$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
