#include "domain/directory.h"

#include "core/bytes.h"

#include <stdio.h>
#include <string.h>

#include "domain/profile_content.h"

static const char *const facet_codes[DIRECTORY_FACET__MAX] = {
    [DIRECTORY_FACET_SOLUTION_AREA] = "solution_area",
    [DIRECTORY_FACET_INDUSTRY] = "industry",
    [DIRECTORY_FACET_LANGUAGE] = "language",
};

const char *
directory_facet_code(enum directory_facet f)
{
	return (unsigned)f < DIRECTORY_FACET__MAX ? facet_codes[f] : "";
}

int
directory_facet_parse(const char *s)
{
	for (int i = 0; s && i < DIRECTORY_FACET__MAX; i++)
		if (strcmp(s, facet_codes[i]) == 0)
			return i;
	return -1;
}

static const struct profile_choice *
facet_list(enum directory_facet f, size_t *n)
{
	switch (f) {
	case DIRECTORY_FACET_SOLUTION_AREA:
		return profile_solution_areas(n);
	case DIRECTORY_FACET_INDUSTRY:
		return profile_industries(n);
	case DIRECTORY_FACET_LANGUAGE:
		return profile_common_languages(n);
	default:
		*n = 0;
		return NULL;
	}
}

size_t
directory_facet_bits(enum directory_facet f)
{
	size_t n;
	facet_list(f, &n);
	return n < DIRECTORY_NONE_BIT ? n : DIRECTORY_NONE_BIT;
}

int
directory_facet_bit(enum directory_facet f, const char *code)
{
	if (code == NULL || *code == '\0')
		return -1;
	size_t n;
	const struct profile_choice *list = facet_list(f, &n);
	for (size_t i = 0; i < n && i < DIRECTORY_NONE_BIT; i++)
		if (strcmp(list[i].code, code) == 0)
			return (int)i;
	return f == DIRECTORY_FACET_LANGUAGE ? DIRECTORY_OTHER_BIT : DIRECTORY_NONE_BIT;
}

unsigned long long
directory_facet_mask(enum directory_facet f, const char *const *codes, size_t n)
{
	unsigned long long mask = 0;
	for (size_t i = 0; i < n; i++) {
		int bit = directory_facet_bit(f, codes[i]);
		if (bit >= 0 && bit != DIRECTORY_NONE_BIT)
			mask |= 1ULL << bit;
	}
	return mask;
}

const char *
directory_facet_bit_code(enum directory_facet f, int bit)
{
	size_t n;
	const struct profile_choice *list = facet_list(f, &n);
	return bit >= 0 && (size_t)bit < directory_facet_bits(f) ? list[bit].code : NULL;
}

/* InnoDB's built-in English list, a few more English words, and French
 * ones; sorted is not needed (a few dozen words). The same words are the
 * index's stopword table (sql/015_directory.sql). */
const char *const directory_stopwords[] = {
    /* InnoDB's default list */
    "a", "about", "an", "are", "as", "at", "be", "by", "com", "de", "en", "for", "from", "how",
    "i", "in", "is", "it", "la", "of", "on", "or", "that", "the", "this", "to", "was", "what",
    "when", "where", "who", "will", "with", "und", "www",
    /* English */
    "and", "our", "your", "you", "we", "they", "their", "has", "have", "its", "into", "can",
    "all", "any", "but", "not", "also",
    /* French */
    "le", "les", "des", "du", "un", "une", "et", "au", "aux", "pour", "avec", "dans", "sur",
    "par", "ce", "ces", "cet", "cette", "qui", "que", "quoi", "dont", "est", "sont", "son",
    "sa", "ses", "leur", "leurs", "nous", "vous", "ils", "elle", "elles", "il", "mais", "ou",
    "où", "donc", "car", "ni", "pas", "ne", "se", "si", "notre", "nos", "votre", "vos",
    "été", "être", "avoir", "fait", "très", "aussi", "comme", "entre", "chez", "sans",
    "sous", "vers", "tout", "tous", "toute", "toutes", "ainsi", "afin", "même", NULL,
};

bool
directory_stopword(const char *word)
{
	for (size_t i = 0; directory_stopwords[i]; i++)
		if (strcmp(word, directory_stopwords[i]) == 0)
			return true;
	return false;
}

static bool
is_ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void
trim_copy(const char *s, char *out, size_t outlen)
{
	size_t n = 0;
	if (s) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		n = strlen(s);
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
		if (n > outlen - 1) {
			n = outlen - 1;
			/* Not inside a UTF-8 sequence: drop continuation bytes and their lead. */
			while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(out, s, n);
	}
	out[n] = '\0';
}

void
directory_query_parse(struct directory_query *dq, const char *country, const char *q,
                      const char *const facets[DIRECTORY_FACET__MAX], const char *page)
{
	memset(dq, 0, sizeof(*dq));
	if (country && strlen(country) == 2 && is_ascii_alpha(country[0]) &&
	    is_ascii_alpha(country[1])) {
		dq->country[0] = (char)(country[0] & ~0x20);
		dq->country[1] = (char)(country[1] & ~0x20);
	}
	trim_copy(q, dq->q, sizeof(dq->q));
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++) {
		const char *v = facets ? facets[f] : NULL;
		size_t n = v ? strlen(v) : 0;
		bool ok = n > 0 && n <= DIRECTORY_FACET_MAX;
		for (size_t i = 0; ok && i < n; i++) {
			char c = v[i];
			ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
		}
		if (ok && f == DIRECTORY_FACET_LANGUAGE)
			ok = n == 2 && v[0] >= 'a' && v[0] <= 'z' && v[1] >= 'a' && v[1] <= 'z';
		if (ok)
			memcpy(dq->facet[f], v, n + 1);
	}
	dq->page = 1;
	if (page && *page) {
		long p = 0;
		const char *s = page;
		for (; *s >= '0' && *s <= '9'; s++)
			p = p > 100000000 ? 100000000 : p * 10 + (*s - '0');
		if (*s == '\0' && p >= 1)
			dq->page = p;
	}
}

/* A byte that belongs to a word: ASCII letters and digits, and every byte of
 * a non-ASCII character (accented letters; the index's parser decides the
 * rest, the same way for the text and the query). */
static bool
word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Length of the non-ASCII punctuation at s that separates words (typographic
 * quotes and apostrophes, dashes, no-break spaces, the ellipsis), else 0. */
static size_t
separator_len(const char *s)
{
	static const char *const seps[] = {
	    "\u2018", "\u2019", "\u201C", "\u201D", "\u00AB", "\u00BB", "\u2013", "\u2014",
	    "\u00A0", "\u202F", "\u2026", "\u00B7", NULL,
	};
	for (size_t i = 0; seps[i]; i++) {
		size_t n = strlen(seps[i]);
		if (strncmp(s, seps[i], n) == 0)
			return n;
	}
	return 0;
}

size_t
directory_keywords_expr(const char *q, char *out, size_t outlen)
{
	char words[DIRECTORY_TERMS_MAX][DIRECTORY_TERM_MAX * 4 + 1];
	size_t nwords = 0, len = 0;
	if (outlen)
		out[0] = '\0';
	for (const char *s = q ? q : ""; *s && nwords < DIRECTORY_TERMS_MAX;) {
		size_t sep = separator_len(s);
		if (sep || !word_byte((unsigned char)*s)) {
			s += sep ? sep : 1;
			continue;
		}
		const char *start = s;
		size_t chars = 0;
		while (*s && word_byte((unsigned char)*s) && separator_len(s) == 0) {
			if (((unsigned char)*s & 0xC0) != 0x80)
				chars++;
			s++;
		}
		size_t n = (size_t)(s - start);
		if (chars < DIRECTORY_TERM_MIN || chars > DIRECTORY_TERM_MAX ||
		    n >= sizeof(words[0]))
			continue;
		char *w = words[nwords];
		for (size_t i = 0; i < n; i++)
			w[i] = (start[i] >= 'A' && start[i] <= 'Z') ? (char)(start[i] | 0x20) : start[i];
		w[n] = '\0';
		bool dup = directory_stopword(w);
		for (size_t i = 0; !dup && i < nwords; i++)
			dup = strcmp(words[i], w) == 0;
		if (dup)
			continue;
		size_t need = len + (len ? 1 : 0) + 1 + n + 1;
		if (need + 1 > outlen)
			break;
		if (len)
			out[len++] = ' ';
		out[len++] = '+';
		memcpy(out + len, w, n);
		len += n;
		out[len++] = '*';
		out[len] = '\0';
		nwords++;
	}
	return nwords;
}

struct directory_page
directory_page_bounds(long long total, long page)
{
	struct directory_page p = {0};
	long long pages = total <= 0 ? 1 : (total + DIRECTORY_PAGE_SIZE - 1) / DIRECTORY_PAGE_SIZE;
	p.last = pages > DIRECTORY_MAX_PAGES ? DIRECTORY_MAX_PAGES : (long)pages;
	p.page = page;
	if (page < 1) {
		p.page = 1;
		p.clamped = true;
	} else if (page > p.last) {
		p.page = p.last;
		p.clamped = true;
	}
	p.offset = (p.page - 1) * DIRECTORY_PAGE_SIZE;
	return p;
}

void
directory_country_token(const char *country, bool sells, char out[DIRECTORY_TOKEN_SIZE])
{
	out[0] = '\0';
	if (country == NULL || !is_ascii_alpha(country[0]) || !is_ascii_alpha(country[1]) ||
	    country[2] != '\0')
		return;
	out[0] = 'c';
	out[1] = 'c';
	out[2] = (char)(country[0] | 0x20);
	out[3] = (char)(country[1] | 0x20);
	out[4] = sells ? 's' : 'p';
	out[5] = '\0';
}

void
directory_country_expr(const char *country, enum directory_kinds k, const char *expr, char *out,
                       size_t outlen)
{
	char p[DIRECTORY_TOKEN_SIZE], s[DIRECTORY_TOKEN_SIZE];
	directory_country_token(country, false, p);
	directory_country_token(country, true, s);
	if (k == DIRECTORY_KINDS_BOTH)
		snprintf(out, outlen, "+(%s %s) %s", p, s, expr);
	else
		snprintf(out, outlen, "+%s %s", k == DIRECTORY_KINDS_SELLS ? s : p, expr);
}

/* Where each facet's mask starts in the packed word, and its width. */
static const int pack_shift[DIRECTORY_FACET__MAX] = {0, DIRECTORY_PACK_AREAS,
                                                     DIRECTORY_PACK_AREAS +
                                                         DIRECTORY_PACK_INDUSTRIES};
static const int pack_width[DIRECTORY_FACET__MAX] = {
    DIRECTORY_PACK_AREAS, DIRECTORY_PACK_INDUSTRIES, DIRECTORY_PACK_LANGUAGES};
#define PACKED_OTHER_BIT 63

uint64_t
directory_packed_bit(enum directory_facet f, int b)
{
	if ((unsigned)f >= DIRECTORY_FACET__MAX)
		return 0;
	if (f == DIRECTORY_FACET_LANGUAGE && b == DIRECTORY_OTHER_BIT)
		return 1ULL << PACKED_OTHER_BIT;
	if (b < 0 || b >= pack_width[f])
		return 0;
	return 1ULL << (pack_shift[f] + b);
}

uint64_t
directory_facets_pack(const unsigned long long mask[DIRECTORY_FACET__MAX])
{
	uint64_t out = 0;
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++)
		for (unsigned long long m = mask[f]; m; m &= m - 1)
			out |= directory_packed_bit((enum directory_facet)f, __builtin_ctzll(m));
	return out;
}

void
directory_packed_count(uint64_t packed, uint32_t counts[64])
{
	for (; packed; packed &= packed - 1)
		counts[__builtin_ctzll(packed)]++;
}

void
directory_counts_unpack(const uint32_t packed[64], long long counts[DIRECTORY_FACET__MAX][64])
{
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++)
		for (int b = 0; b < 64; b++) {
			uint64_t bit = directory_packed_bit((enum directory_facet)f, b);
			counts[f][b] = bit ? packed[__builtin_ctzll(bit)] : 0;
		}
}

void
directory_matches_encode(const struct directory_match *m, size_t n, unsigned char *out)
{
	for (size_t i = 0; i < n; i++, out += DIRECTORY_MATCH_BYTES) {
		le_store(out, m[i].id, 4);
		le_store(out + 4, m[i].facets, 8);
	}
}

void
directory_counts_encode(const uint32_t counts[64], unsigned char out[DIRECTORY_COUNTS_BYTES])
{
	for (int b = 0; b < 64; b++)
		le_store(out + 4 * b, counts[b], 4);
}

bool
directory_counts_decode(const unsigned char *buf, size_t len, uint32_t counts[64])
{
	if (len != DIRECTORY_COUNTS_BYTES)
		return false;
	for (int b = 0; b < 64; b++)
		counts[b] = (uint32_t)le_load(buf + 4 * b, 4);
	return true;
}
