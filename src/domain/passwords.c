#include "domain/passwords.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "domain/limits.h"

/* Longest name compared: an email (254) or a company's name (200 chars). */
#define NAME_MAX_CHARS 256

size_t
password_length(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

/* One code point of UTF-8 at *p, advancing *p; a stray byte stands for itself. */
static uint32_t
next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = *s++;
	int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	if (extra)
		c &= 0x3F >> extra;
	for (; extra && (*s & 0xC0) == 0x80; extra--)
		c = (c << 6) | (*s++ & 0x3F);
	*p = s;
	return c;
}

/* Lower case of ASCII and Latin-1 letters (the rest as is). */
static uint32_t
fold(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 0x20;
	return c;
}

static bool
is_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* Letters and digits of any script: what makes the words of a name. */
static bool
is_word(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	return !is_space(c) && !(c >= 0xA1 && c <= 0xBF) && c != 0xD7 && c != 0xF7 &&
	       !(c >= 0x2000 && c <= 0x206F) && !(c >= 0x3000 && c <= 0x303F);
}

/* Folded code points of s (at most max; n > max tells it was longer). */
static size_t
decode(const char *s, uint32_t *out, size_t max)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t c = fold(next_cp(&p));
		if (n < max)
			out[n] = c;
		n++;
	}
	return n;
}

static bool
contains(const uint32_t *hay, size_t nh, const uint32_t *needle, size_t nn)
{
	if (nn == 0 || nn > nh)
		return false;
	for (size_t i = 0; i + nn <= nh; i++)
		if (memcmp(hay + i, needle, nn * sizeof(*needle)) == 0)
			return true;
	return false;
}

/* Whether pw holds the email (or its local part, when long enough). */
static bool
has_email(const uint32_t *pw, size_t n, const char *email)
{
	uint32_t e[NAME_MAX_CHARS];
	size_t ne = decode(email, e, NAME_MAX_CHARS);
	if (ne > NAME_MAX_CHARS)
		return false;
	size_t local = ne;
	for (size_t i = 0; i < ne; i++)
		if (e[i] == '@')
			local = i;
	if (local < ne && local >= PASSWORD_NAME_MIN_CHARS)
		return contains(pw, n, e, local);
	return contains(pw, n, e, ne);
}

/* Whether pw holds one of the company name's words of PASSWORD_NAME_MIN_CHARS or more. */
static bool
has_company_word(const uint32_t *pw, size_t n, const char *company)
{
	uint32_t c[NAME_MAX_CHARS];
	size_t nc = decode(company, c, NAME_MAX_CHARS);
	if (nc > NAME_MAX_CHARS)
		nc = NAME_MAX_CHARS;
	for (size_t i = 0; i < nc;) {
		if (!is_word(c[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < nc && is_word(c[j]))
			j++;
		if (j - i >= PASSWORD_NAME_MIN_CHARS && contains(pw, n, c + i, j - i))
			return true;
		i = j;
	}
	return false;
}

enum password_refusal
password_check(const char *password, const char *email, const char *company)
{
	size_t len = password_length(password);
	if (len < PASSWORD_MIN_CHARS)
		return PASSWORD_TOO_SHORT;
	if (len > PASSWORD_MAX_CHARS)
		return PASSWORD_TOO_LONG;
	uint32_t pw[PASSWORD_MAX_CHARS];
	size_t n = decode(password, pw, PASSWORD_MAX_CHARS);
	bool spaces = true, repeated = true;
	for (size_t i = 0; i < n; i++) {
		spaces = spaces && is_space(pw[i]);
		repeated = repeated && pw[i] == pw[0];
	}
	if (spaces)
		return PASSWORD_WHITESPACE;
	if (repeated)
		return PASSWORD_REPEATED;
	if (email && *email && has_email(pw, n, email))
		return PASSWORD_HAS_EMAIL;
	if (company && *company && has_company_word(pw, n, company))
		return PASSWORD_HAS_COMPANY;
	return PASSWORD_OK;
}
