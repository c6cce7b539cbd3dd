/* The directory seed's generator (ctl/seed.c): a seeded random stream and
 * the descriptions written from the word lists of ctl/seed_text.c. */
#ifndef PD_CTL_SEED_GEN_H
#define PD_CTL_SEED_GEN_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/sbuf.h"
#include "ctl/seed_text.h"

#define DESC_MIN 300 /* characters of a generated description */
#define DESC_MAX 1500

/* splitmix64: small, fast, and the same sequence everywhere. */
struct rng {
	uint64_t s;
};
static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
/* A well-mixed starting state for stream k of a seed (neighbouring k give
 * unrelated streams). */
static inline struct rng
rng_stream(unsigned long long seed, unsigned long long k)
{
	struct rng r = {seed};
	uint64_t a = rng_next(&r);
	r.s = a ^ (k * 0xD6E8FEB86659FD93ull);
	uint64_t b = rng_next(&r);
	r.s = a ^ b;
	return r;
}
static inline unsigned
rng_below(struct rng *r, unsigned n)
{
	return n ? (unsigned)((rng_next(r) >> 11) % n) : 0;
}
static inline double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}
static inline const char *
pick(struct rng *r, const struct seed_list *l)
{
	return l->items[rng_below(r, (unsigned)l->n)];
}

struct voice {
	enum seed_lang lang;
	const char    *brand;
	unsigned       areas[3], nareas;
	unsigned       industries[3], nindustries;
};

/* k distinct numbers below n into out (k <= n). */
void seed_distinct(struct rng *r, unsigned n, unsigned k, unsigned *out);
/* A description of DESC_MIN to DESC_MAX characters in v's language (local:
 * written for the customers of a country), built in b, copied into a. */
const char *seed_describe(struct arena *a, struct sbuf *b, struct rng *r, const struct voice *v,
                          bool local);
/* 1 to max, small counts likelier. */
unsigned seed_small_count(struct rng *r, unsigned max);
#endif
