#!/bin/sh
# TLS settings that cannot work are refused at startup with one line that
# names the problem: a missing cert=, key= or cafile= (the OS error, not
# OpenSSL's "system lib"), a key that is not the certificate's, a server
# without a certificate, a version or cipher that does not exist.
. "$TESTS_DIR/integration/lib.sh"
. "$HELPERS/tls.sh"

tls_ca ca
tls_server srv ca
tls_client cli ca

# refused NAME REGEX ADDRESS: ferry - ADDRESS exits 1 with one line.
refused() {
	_n=$1; _re=$2; shift 2
	ferry_run "$_n" - "$@" </dev/null
	[ "$RC" -eq 1 ] || fail "$_n: exit $RC"
	only_line "$T/$_n.log" "$_re"
}

refused keymismatch '^ferry: .*: key=.*: key values mismatch$' \
    "openssl:localhost:9,cert=$PKI/srv.pem,key=$PKI/cli.key"
refused nocert '^ferry: openssl-listen:0: a TLS server needs cert= \(and key=\) or psk-file=$' \
    openssl-listen:0
refused tls11 '^ferry: .*: min-version takes TLSv1\.2 or TLSv1\.3$' \
    "openssl:localhost:9,min-version=TLSv1.1"
refused cipher '^ferry: .*: cipher=FOO: no such cipher$' \
    "openssl:localhost:9,cipher=FOO"
refused notca '^ferry: .*: cafile/capath: no certificate or crl found$' \
    "openssl:localhost:9,cafile=$PKI/srv.key"
refused cert '^ferry: .*: cert=/nonesuch\.pem: No such file or directory$' \
    "openssl:localhost:9,cert=/nonesuch.pem"
refused key '^ferry: .*: key=/nonesuch\.key: No such file or directory$' \
    "openssl:localhost:9,cert=$PKI/cli.pem,key=/nonesuch.key"
refused scert '^ferry: .*: cert=/nonesuch\.pem: No such file or directory$' \
    "openssl-listen:0,cert=/nonesuch.pem"
refused cafile '^ferry: .*: (cafile|cafile/capath).*: No such file or directory$' \
    "openssl:localhost:9,cafile=/nonesuch.pem"
