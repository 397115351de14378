/*
 * Allocators that never return NULL: on exhaustion they print one line and
 * exit(1).  x_free(NULL) is a no-op, like free(3).
 */
#ifndef FERRY_XMALLOC_H
#define FERRY_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Allocate and format; the caller frees the result. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));
void	 x_free(void *);

#endif
