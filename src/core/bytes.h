/* Little-endian integers in byte buffers (the formats of the directory's
 * kept lists, cards and cache files), and the hash that places their keys. */
#ifndef PD_BYTES_H
#define PD_BYTES_H
#include <stdint.h>

/* The first n bytes (1-8) of p, least significant first. */
static inline uint64_t
le_load(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* v as n bytes (1-8) at p, least significant first. */
static inline void
le_store(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The 64-bit FNV-1a hash of a string. */
static inline uint64_t
fnv1a(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}
#endif
