/* Other companies' names in a profile's text (profile_content.h): the
 * normalized word sequences a name is compared with. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/profile_content.h"
#include "domain/text.h"

/* ---- company names in text ---- */

/* The lower case of a code point (ASCII, Latin-1, Latin Extended-A, Greek,
 * Cyrillic); others unchanged. The database compares case-insensitively
 * anyway: this only makes the ngrams distinct. */
static uint32_t
cp_lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 && c != 0x178) {
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return (c & 1) ? c + 1 : c;
		return (c & 1) ? c : c + 1;
	}
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
		return c + 32;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

/* How a character counts in a name: a part of a word, a space between
 * words (spaces, dashes, "/", "_"), or dropped (other punctuation and
 * symbols: "L.L.C." is "llc", "Margie's" is "margies"). The database's
 * normalized names (sql/016) follow the same rule. */
enum name_class { NC_WORD, NC_SPACE, NC_DROP };

static enum name_class
name_class(uint32_t c)
{
	if (c < 0x80) {
		if (is_alnum((int)c))
			return NC_WORD;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
		    c == '-' || c == '/' || c == '_')
			return NC_SPACE;
		return NC_DROP;
	}
	if (c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || (c >= 0x2010 && c <= 0x2015))
		return NC_SPACE;
	if ((c >= 0xA1 && c <= 0xBF && c != 0xAA && c != 0xB2 && c != 0xB3 && c != 0xB5 &&
	     c != 0xB9 && c != 0xBA && !(c >= 0xBC && c <= 0xBE)) ||
	    c == 0xD7 || c == 0xF7 || (c >= 0x2016 && c <= 0x206F) || (c >= 0x20A0 && c <= 0x20CF) ||
	    (c >= 0x2100 && c <= 0x214F && c != 0x2102 && c != 0x2107 &&
	     !(c >= 0x210A && c <= 0x2113) && c != 0x2115 && !(c >= 0x2119 && c <= 0x211D) &&
	     c != 0x2124 && c != 0x2126 && c != 0x2128 && !(c >= 0x212A && c <= 0x212D) &&
	     !(c >= 0x212F && c <= 0x2139) && !(c >= 0x213C && c <= 0x213F) &&
	     !(c >= 0x2145 && c <= 0x2149) && c != 0x214E) ||
	    (c >= 0x2190 && c <= 0x2BFF) || (c >= 0x3001 && c <= 0x3003) ||
	    (c >= 0x3008 && c <= 0x3011) || (c >= 0xFF01 && c <= 0xFF0F) ||
	    (c >= 0x1F000 && c <= 0x1FAFF) || c == 0xFEFF || c == 0x200B)
		return NC_DROP;
	return NC_WORD;
}

static size_t
utf8_put(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* The normalized words of text into buf (at least strlen(text) + 1 bytes:
 * lower-casing never lengthens a character here), separated by single
 * spaces; invalid bytes are dropped. Returns the length. */
static size_t
normalize_into(const char *text, char *buf)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), i = 0, o = 0;
	bool pending_space = false;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_next(s + i, n - i, &cp);
		if (len == 0) {
			i++;
			continue;
		}
		i += len;
		enum name_class k = name_class(cp);
		if (k == NC_SPACE) {
			pending_space = o > 0;
		} else if (k == NC_WORD) {
			if (pending_space)
				buf[o++] = ' ';
			pending_space = false;
			uint32_t l = cp_lower(cp);
			char tmp[4];
			size_t w = utf8_put(l, tmp);
			if (w > len) /* never for the ranges above; keep the original */
				w = utf8_put(cp, tmp);
			memcpy(buf + o, tmp, w);
			o += w;
		}
	}
	buf[o] = '\0';
	return o;
}

char *
profile_name_normalize(const char *name, char *out, size_t outlen)
{
	if (outlen == 0)
		return out;
	if (!name)
		name = "";
	char *buf = malloc(strlen(name) + 1);
	if (!buf) {
		out[0] = '\0';
		return out;
	}
	size_t len = normalize_into(name, buf);
	if (len >= outlen) {
		len = outlen - 1;
		while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80)
			len--; /* do not cut a character */
	}
	memcpy(out, buf, len);
	out[len] = '\0';
	free(buf);
	return out;
}

static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

size_t
profile_text_ngrams(const char *text, size_t max,
                    void (*fn)(const char *ngram, void *ctx), void *ctx)
{
	if (!text || max == 0)
		return 0;
	size_t tl = strlen(text);
	char *buf = malloc(tl + 1), *gram = malloc(tl + 1);
	size_t nwords = 0;
	size_t *starts = NULL;
	struct slot {
		size_t off, len;
	} *set = NULL;
	size_t cap = 0, count = 0;
	if (!buf || !gram)
		goto done;
	size_t len = normalize_into(text, buf);
	for (size_t i = 0; i < len; i++)
		if (i == 0 || buf[i - 1] == ' ')
			nwords++;
	if (nwords == 0)
		goto done;
	starts = malloc(sizeof(*starts) * (nwords + 1));
	for (cap = 64; cap < 2 * nwords * PROFILE_NGRAM_WORDS; cap *= 2)
		;
	if (cap > 2 * max)
		for (cap = 64; cap < 2 * max; cap *= 2)
			;
	set = calloc(cap, sizeof(*set));
	if (!starts || !set)
		goto done;
	for (size_t i = 0, w = 0; i < len; i++)
		if (i == 0 || buf[i - 1] == ' ')
			starts[w++] = i;
	starts[nwords] = len + 1; /* one past the end, as if a space followed */
	for (size_t w = 0; w < nwords && count < max; w++) {
		for (size_t k = 1; k <= PROFILE_NGRAM_WORDS && w + k <= nwords && count < max; k++) {
			size_t off = starts[w], glen = starts[w + k] - 1 - off;
			uint64_t h = hash_bytes(buf + off, glen);
			size_t j = (size_t)h & (cap - 1);
			bool seen = false;
			while (set[j].len) {
				if (set[j].len == glen && memcmp(buf + set[j].off, buf + off, glen) == 0) {
					seen = true;
					break;
				}
				j = (j + 1) & (cap - 1);
			}
			if (seen)
				continue;
			set[j].off = off;
			set[j].len = glen;
			count++;
			if (fn) {
				memcpy(gram, buf + off, glen);
				gram[glen] = '\0';
				fn(gram, ctx);
			}
		}
	}
done:
	free(set);
	free(starts);
	free(gram);
	free(buf);
	return count;
}
