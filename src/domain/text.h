/* UTF-8 decoding and ASCII character classes shared by the domain's text
 * rules (internal). */
#ifndef PD_DOMAIN_TEXT_H
#define PD_DOMAIN_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s (at most n bytes): its length, 0 when the
 * sequence is invalid (overlong, surrogate, beyond U+10FFFF, truncated). */
static inline size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}
/* ---- character classes (ASCII, where the patterns live) ---- */

static inline bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}
static inline bool
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}
static inline int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}
/* A byte that continues a word for the patterns: ASCII letter or digit, or
 * any byte of a non-ASCII character (accented letters). */
static inline bool
is_wordbyte(int c)
{
	return is_alnum(c) || (c & 0x80);
}
#endif
