/*
 * libFuzzer target for the address parser (src/addr.c): the input is an
 * address as typed on the command line.  Every input must either parse,
 * or fail with one printable line naming the problem; parsing is
 * deterministic and leaks nothing.
 *
 * Built with -DFUZZ_OPTS, the input is an option list instead, put after
 * one of a few kinds (chosen by the first byte), so that the option table,
 * values and groups are what gets explored.
 *
 * make fuzz builds both (tests/fuzz/build.sh); tests/fuzz/run.sh runs them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

#define CHECK(x)	do { if (!(x)) abort(); } while (0)
#define MSG_MAX		2048	/* what a one-line message may take */

#ifdef FUZZ_OPTS
static const char *const kinds[] = {
	"TCP-LISTEN:0", "TCP:localhost:1", "UDP-LISTEN:0", "UNIX-LISTEN:/x",
	"UNIX-CONNECT:/x", "OPENSSL:h:1", "OPENSSL-LISTEN:1", "OPEN:/x",
	"CREATE:/x", "EXEC:true", "SYSTEM:true", "STDIO", "FD:3",
	"ABSTRACT-LISTEN:x", "VSOCK-CONNECT:1:1", "SYSTEMD",
};
#define NKINDS	(sizeof kinds / sizeof kinds[0])
#endif

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init(-2);	/* the parser returns its messages: log nothing */
	return (0);
}

/* A message: one line, printable, bounded. */
static void
check_msg(const char *m)
{
	const unsigned char	*p;

	CHECK(m != NULL && *m != '\0' && strlen(m) < MSG_MAX);
	for (p = (const unsigned char *)m; *p != '\0'; p++)
		CHECK(*p >= 0x20 && *p != 0x7f);
}

static void
parse(const char *text, char **errp, struct addr **ap)
{
	*errp = NULL;
	*ap = addr_parse(text, errp);
	CHECK((*ap == NULL) != (*errp == NULL));
	if (*ap != NULL) {
		CHECK((*ap)->kind != NULL && (*ap)->text != NULL);
		CHECK((*ap)->nparams >= 0 && (*ap)->nparams <= ADDR_MAXPARAMS);
		check_msg((*ap)->text);
		(void)addr_usage((*ap)->kind);
		(void)addr_listens(*ap);
	} else
		check_msg(*errp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct addr	*a, *b;
	char		*text, *err, *err2;
	size_t		 off = 0;

#ifdef FUZZ_OPTS
	const char	*kind;

	if (size == 0)
		return (0);
	kind = kinds[data[0] % NKINDS];
	text = xmalloc(strlen(kind) + size + 1);
	off = strlen(kind);
	memcpy(text, kind, off);
	text[off++] = ',';
	memcpy(text + off, data + 1, size - 1);
	text[off + size - 1] = '\0';
#else
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
#endif
	parse(text, &err, &a);
	/* Twice: the same answer. */
	parse(text, &err2, &b);
	CHECK((a == NULL) == (b == NULL));
	if (a != NULL)
		CHECK(a->kind == b->kind && strcmp(a->text, b->text) == 0);
	else
		CHECK(strcmp(err, err2) == 0);
	addr_free(a);
	addr_free(b);
	free(err);
	free(err2);
	free(text);
	(void)off;
	return (0);
}
