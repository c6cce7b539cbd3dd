/* Growable byte buffer (heap). Reused across requests: sbuf_reset keeps
 * the allocation. Allocation failure aborts. */
#ifndef PD_SBUF_H
#define PD_SBUF_H
#include <stddef.h>

struct sbuf {
	char  *p;
	size_t len;
	size_t cap;
};

void sbuf_reserve(struct sbuf *b, size_t extra);
void sbuf_add(struct sbuf *b, const void *data, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* NUL-terminates without counting the NUL; returns b->p. */
const char *sbuf_cstr(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
void sbuf_free(struct sbuf *b);
#endif
