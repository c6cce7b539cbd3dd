/* The public directory's search (DOMAIN §5, CONTRACT "Public directory"):
 * the query parameters read and normalised, the keywords turned into a
 * MariaDB FULLTEXT boolean-mode expression, and the page bounds. Pure. */
#ifndef PD_DOMAIN_DIRECTORY_H
#define PD_DOMAIN_DIRECTORY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"

#define DIRECTORY_PAGE_SIZE   20
#define DIRECTORY_MAX_PAGES   50  /* deepest page reachable: OFFSET stays under 1,000 rows */
#define DIRECTORY_Q_MAX       200 /* bytes of keywords kept */
#define DIRECTORY_TERMS_MAX   8   /* keywords used, the first ones */
#define DIRECTORY_TERM_MIN    3   /* characters (InnoDB's token sizes, kept on Mroonga) */
#define DIRECTORY_TERM_MAX    84  /* characters */
#define DIRECTORY_EXPR_MAX    (DIRECTORY_TERMS_MAX * (DIRECTORY_TERM_MAX * 4 + 3) + 1)
#define DIRECTORY_FACET_MAX   40  /* bytes of a facet value (profile_facets.value) */

/* The facets a search filters on and counts. */
enum directory_facet {
	DIRECTORY_FACET_SOLUTION_AREA,
	DIRECTORY_FACET_INDUSTRY,
	DIRECTORY_FACET_LANGUAGE,
	DIRECTORY_FACET__MAX
};
/* "solution_area", "industry", "language" (the query parameter and
 * profile_facets.facet); "" out of range. */
const char *directory_facet_code(enum directory_facet f);
int directory_facet_parse(const char *s); /* -1 when unknown */

/* The directory's facet masks (directory_countries and directory_search hold
 * one per facet, so that filters and counts read no other table): bit i is
 * the i-th value of the facet's fixed list (domain/profile_content.h; the
 * lists only grow at their end, or the masks must be rebuilt); a language
 * outside the common ones sets DIRECTORY_OTHER_BIT (its own counts come
 * from profile_facets); DIRECTORY_NONE_BIT, never set, is what a value
 * outside the list filters on. */
#define DIRECTORY_OTHER_BIT  62
#define DIRECTORY_NONE_BIT   61
#define DIRECTORY_OTHER_MASK "4611686018427387904" /* 1 << 62, for SQL text */
#define DIRECTORY_OTHER_BIT_SQL "62"                 /* DIRECTORY_OTHER_BIT, for SQL text */
/* The bit of a facet value: its index in the list, DIRECTORY_OTHER_BIT for
 * a language outside the common ones, DIRECTORY_NONE_BIT for a solution
 * area or industry outside the list; -1 for "" or NULL. */
int directory_facet_bit(enum directory_facet f, const char *code);
/* The mask of a profile's values of facet f (0 for none). */
unsigned long long directory_facet_mask(enum directory_facet f, const char *const *codes,
                                        size_t n);
/* The code of bit b of facet f, NULL outside the list. */
const char *directory_facet_bit_code(enum directory_facet f, int bit);
/* The number of values of the fixed list of facet f. */
size_t directory_facet_bits(enum directory_facet f);

/* A search as asked for; every field is "" when not given or not valid
 * (a bad value is ignored, never an error). */
struct directory_query {
	char country[3];                                  /* ISO 3166-1 alpha-2, upper case */
	char q[DIRECTORY_Q_MAX + 1];                      /* keywords as typed, trimmed */
	char facet[DIRECTORY_FACET__MAX][DIRECTORY_FACET_MAX + 1];
	long page;                                        /* >= 1 (1 when absent or bad) */
};
/* Reads the raw parameters (NULL = absent): country as two ASCII letters
 * (upper-cased), q trimmed and cut at a character boundary under
 * DIRECTORY_Q_MAX bytes, each facet value lower-case [a-z0-9_] (ISO 639-1
 * for a language: two letters), page a positive decimal (else 1; huge values
 * saturate). */
void directory_query_parse(struct directory_query *dq, const char *country, const char *q,
                           const char *const facets[DIRECTORY_FACET__MAX], const char *page);

/* The boolean-mode expression of keywords: each word (a run of letters or
 * digits, any non-ASCII byte counting as a letter; everything else, every
 * FULLTEXT operator included, separates words) of at least
 * DIRECTORY_TERM_MIN and at most DIRECTORY_TERM_MAX characters that is not
 * a stopword, ASCII lower-cased, becomes "+word*" (all words required,
 * each a prefix: "partenaire" finds "partenaires"); at most
 * DIRECTORY_TERMS_MAX words, duplicates once. Writes into out (outlen >=
 * DIRECTORY_EXPR_MAX is always enough); returns the number of words, 0 when
 * nothing is left to search for (out is then ""). */
size_t directory_keywords_expr(const char *q, char *out, size_t outlen);
/* The token of a directory country in the search index's text
 * (directory_search.body, led by one per country of the profile;
 * sql/019_directory_search.sql builds the same): "cc", the ISO code in
 * lower case, then "p" where the profile is published, "s" where it only
 * sells ("ccfrp", "ccbes"). out is "" for a code that is not two ASCII
 * letters. */
#define DIRECTORY_TOKEN_SIZE 6 /* bytes of a token with its NUL */
void directory_country_token(const char *country, bool sells, char out[DIRECTORY_TOKEN_SIZE]);
/* Which of a country's profiles a search expression keeps. */
enum directory_kinds {
	DIRECTORY_KINDS_PUBLISHED, /* published there */
	DIRECTORY_KINDS_SELLS,     /* selling there only */
	DIRECTORY_KINDS_BOTH
};
/* The expression of keywords expr (from directory_keywords_expr) within
 * country: "+ccfrp " + expr, "+ccfrs " + expr or "+(ccfrp ccfrs) " + expr. */
#define DIRECTORY_CEXPR_MAX (DIRECTORY_EXPR_MAX + 2 * DIRECTORY_TOKEN_SIZE + 8)
void directory_country_expr(const char *country, enum directory_kinds k, const char *expr,
                            char *out, size_t outlen);
/* True when word (lower-case) is a stopword of the index: the French list
 * and InnoDB's English one (sql/015_directory.sql holds the same words). */
bool directory_stopword(const char *word);
/* The stopwords, for the migration's check (NULL-terminated). */
extern const char *const directory_stopwords[];

/* Which page to show of total results when page was asked for: clamped to
 * 1 .. the last page (at most DIRECTORY_MAX_PAGES). */
struct directory_page {
	long page, last;   /* last >= 1, even without results */
	long offset;       /* rows to skip */
	bool clamped;      /* the page asked for was out of range */
};
struct directory_page directory_page_bounds(long long total, long page);
/* A search's matches as the directory keeps them between requests
 * (db/directory.c caches the list of a country and keywords, and every
 * facet filter, page and count is read from it): the profile id and its
 * three facet masks packed in one word, the solution areas in bits 0-7,
 * the industries in bits 8-31, the common languages in bits 32-62 and
 * DIRECTORY_OTHER_BIT as bit 63. The lists must fit (a unit test checks). */
#define DIRECTORY_PACK_AREAS      8
#define DIRECTORY_PACK_INDUSTRIES 24
#define DIRECTORY_PACK_LANGUAGES  31
struct directory_match {
	uint32_t id;
	uint64_t facets;
};
uint64_t directory_facets_pack(const unsigned long long mask[DIRECTORY_FACET__MAX]);
/* The packed bit of bit b of facet f's mask (0 when it has none: a bit
 * outside the list, DIRECTORY_NONE_BIT). */
uint64_t directory_packed_bit(enum directory_facet f, int b);

/* The count of each packed bit over a list (the facet counts of its
 * matches), and those counts per facet and bit of its mask. */
void directory_packed_count(uint64_t packed, uint32_t counts[64]);
void directory_counts_unpack(const uint32_t packed[64], long long counts[DIRECTORY_FACET__MAX][64]);

/* A list of matches as bytes: 12 per match, the id then the packed facets,
 * little-endian; and the 64 counts of directory_packed_count as 4 bytes
 * each. */
#define DIRECTORY_MATCH_BYTES  12
#define DIRECTORY_COUNTS_BYTES 256
void directory_matches_encode(const struct directory_match *m, size_t n, unsigned char *out);
/* Match i of buf (inline: read once per match by every facet filter). */
static inline struct directory_match
directory_match_at(const unsigned char *buf, size_t i)
{
	const unsigned char *p = buf + i * DIRECTORY_MATCH_BYTES;
	return (struct directory_match){(uint32_t)le_load(p, 4), le_load(p + 4, 8)};
}
void directory_counts_encode(const uint32_t counts[64], unsigned char out[DIRECTORY_COUNTS_BYTES]);
/* false when len is not DIRECTORY_COUNTS_BYTES. */
bool directory_counts_decode(const unsigned char *buf, size_t len, uint32_t counts[64]);
#endif
