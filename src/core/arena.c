#include "core/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
	struct arena_block *prev;
	size_t              size;
	size_t              used;
	_Alignas(max_align_t) unsigned char data[];
};

static struct arena_block *
block_new(size_t size, struct arena_block *prev)
{
	struct arena_block *b = malloc(sizeof(*b) + size);
	if (b == NULL) {
		fputs("arena: out of memory\n", stderr);
		abort();
	}
	b->prev = prev;
	b->size = size;
	b->used = 0;
	return b;
}

void
arena_init(struct arena *a, size_t block_size)
{
	a->block_size = block_size ? block_size : 16384;
	a->head = NULL;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	size_t need = (n + align - 1) & ~(align - 1);
	if (need == 0)
		need = align;
	struct arena_block *b = a->head;
	if (b == NULL || b->size - b->used < need) {
		if (need > a->block_size / 2) {
			/* Large allocation: its own block, kept behind the current one. */
			struct arena_block *big = block_new(need, NULL);
			if (b == NULL) {
				a->head = big;
			} else {
				big->prev = b->prev;
				b->prev = big;
			}
			big->used = need;
			memset(big->data, 0, need);
			return big->data;
		}
		b = block_new(a->block_size, b);
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	memset(p, 0, need);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *d = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *b = a->head;
	if (b == NULL)
		return;
	/* Keep the oldest regular-size block. */
	struct arena_block *keep = NULL;
	while (b) {
		struct arena_block *prev = b->prev;
		if (prev == NULL && b->size == a->block_size)
			keep = b;
		else
			free(b);
		b = prev;
	}
	if (keep) {
		keep->used = 0;
		keep->prev = NULL;
	}
	a->head = keep;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *prev = b->prev;
		free(b);
		b = prev;
	}
	a->head = NULL;
}
