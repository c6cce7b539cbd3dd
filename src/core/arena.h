/* Per-request arena: every allocation of a request hangs off one arena and
 * is released by a single arena_reset()/arena_free(). Allocation never fails
 * (aborts on out-of-memory, like xmalloc). */
#ifndef PD_ARENA_H
#define PD_ARENA_H
#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;  /* current block; older blocks chained */
	size_t              block_size;
};

void   arena_init(struct arena *a, size_t block_size);
/* Returns zeroed memory aligned for any type. */
void  *arena_alloc(struct arena *a, size_t n);
/* Copies n bytes and appends a NUL. */
char  *arena_strndup(struct arena *a, const char *s, size_t n);
char  *arena_strdup(struct arena *a, const char *s);
/* printf into the arena. */
char  *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Frees every block but the first, which is kept for reuse. */
void   arena_reset(struct arena *a);
void   arena_free(struct arena *a);
#endif
