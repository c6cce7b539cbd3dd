/* The directory seed's descriptions (ctl/seed_gen.h). */
#include "ctl/seed_gen.h"

#include <string.h>

/* ---- text ------------------------------------------------------------- */

static size_t
utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}


/* Appends template t with its placeholders filled. */
static void
fill(struct sbuf *b, struct rng *r, const struct voice *v, const char *t)
{
	for (const char *p = t; *p; p++) {
		if (p[0] != '%' || p[1] == '\0') {
			sbuf_addc(b, *p);
			continue;
		}
		p++;
		if (*p == 'B')
			sbuf_adds(b, v->brand);
		else if (*p == 'I')
			sbuf_adds(b, seed_industry_phrase[v->lang]
			                                 [v->industries[rng_below(r, v->nindustries)]]);
		else if (*p == 'A')
			sbuf_adds(b, seed_area_phrase[v->lang][v->areas[rng_below(r, v->nareas)]]);
	}
}

/* k distinct numbers below n (k <= n, k <= 4) into out. */
void
seed_distinct(struct rng *r, unsigned n, unsigned k, unsigned *out)
{
	for (unsigned i = 0; i < k; i++) {
		unsigned x;
		bool again;
		do {
			x = rng_below(r, n);
			again = false;
			for (unsigned j = 0; j < i; j++)
				again = again || out[j] == x;
		} while (again);
		out[i] = x;
	}
}

/* A description of DESC_MIN to DESC_MAX characters (shorter ones more
 * often): an opening sentence, sentences about the profile's solution areas
 * and general ones, a closing sentence. local: the opening of a country's
 * own text. */
const char *
seed_describe(struct arena *a, struct sbuf *b, struct rng *r, const struct voice *v, bool local)
{
	enum seed_lang l = v->lang;
	double u = rng_unit(r);
	size_t target = DESC_MIN + (size_t)(u * u * (DESC_MAX - DESC_MIN - 150));
	sbuf_reset(b);
	fill(b, r, v, pick(r, local ? &seed_local_intro[l] : &seed_intro[l]));
	/* Candidates: the areas' sentences and four general ones, taken in a
	 * random order, each at most once. */
	const char *cand[3 * SEED_PER_AREA + 4];
	size_t ncand = 0;
	for (unsigned i = 0; i < v->nareas; i++)
		for (unsigned k = 0; k < SEED_PER_AREA; k++)
			cand[ncand++] = seed_area_sentences[l][v->areas[i]][k];
	unsigned g[4];
	seed_distinct(r, (unsigned)seed_generic[l].n, 4, g);
	for (unsigned i = 0; i < 4; i++)
		cand[ncand++] = seed_generic[l].items[g[i]];
	struct sbuf s = {0};
	const char *closing = pick(r, &seed_closing[l]);
	size_t closing_len = strlen(closing) + 20;
	while (ncand > 0 && utf8_chars(b->p, b->len) < target) {
		size_t k = rng_below(r, (unsigned)ncand);
		sbuf_reset(&s);
		fill(&s, r, v, cand[k]);
		cand[k] = cand[--ncand];
		if (utf8_chars(b->p, b->len) + utf8_chars(s.p, s.len) + 1 + closing_len > DESC_MAX)
			continue;
		sbuf_addc(b, ' ');
		sbuf_add(b, s.p, s.len);
	}
	sbuf_addc(b, ' ');
	fill(b, r, v, closing);
	sbuf_free(&s);
	return arena_strndup(a, b->p, b->len);
}

/* 1 most often, up to max. */
unsigned
seed_small_count(struct rng *r, unsigned max)
{
	unsigned n = 1;
	while (n < max && rng_below(r, 100) < 40)
		n++;
	return n;
}
