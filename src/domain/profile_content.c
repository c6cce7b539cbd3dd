/* The content guidelines of a business profile (profile_content.h). */
#include "domain/profile_content.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

static const char *const refusal_codes[CONTENT_REFUSAL__MAX] = {
    "ok", "too_long", "not_text", "markup", "url", "email", "phone", "company_name", "url_scheme",
};
static const char *const refusal_messages[CONTENT_REFUSAL__MAX] = {
    "",
    N_("This text is too long for this field."),
    N_("Enter plain text: this text contains characters that are not allowed."),
    N_("Enter plain text, without HTML tags, character entities or Markdown links."),
    N_("Remove the web address: a description may not contain links."),
    N_("Remove the email address: a description may not contain contact details."),
    N_("Remove the phone number: a description may not contain contact details."),
    N_("Remove the other company's name: a profile may name only its own company."),
    N_("Enter a full web address that starts with http:// or https://."),
};

const char *
content_refusal_code(enum content_refusal r)
{
	return (unsigned)r < CONTENT_REFUSAL__MAX ? refusal_codes[r] : "";
}

const char *
content_refusal_message(enum content_refusal r)
{
	return (unsigned)r < CONTENT_REFUSAL__MAX ? refusal_messages[r] : "";
}

/* ---- UTF-8 ---- */

/* Decodes the code point at s (at most n bytes): its length, 0 when the
 * sequence is invalid (overlong, surrogate, beyond U+10FFFF, truncated). */
static size_t
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

/* Plain text: valid UTF-8 without control characters (newlines and tabs
 * when multiline; CR only before LF, as browsers send a textarea). Counts
 * the characters into *chars, a CR LF pair as one. */
static bool
plain_text(const char *text, bool multiline, size_t *chars)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), i = 0;
	*chars = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_next(s + i, n - i, &cp);
		if (len == 0)
			return false;
		if (cp == '\r' && multiline && i + 1 < n && s[i + 1] == '\n') {
			i++; /* CR LF: one character, counted with the LF */
			continue;
		}
		if (cp < 0x20 && !(multiline && (cp == '\n' || cp == '\t')))
			return false;
		if ((cp >= 0x7F && cp <= 0x9F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
		    cp == 0xFFFE || cp == 0xFFFF || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return false; /* C1 controls, BOM, interlinear marks, bidi overrides */
		(*chars)++;
		i += len;
	}
	return true;
}

/* ---- character classes (ASCII, where the patterns live) ---- */

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}
static bool
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}
static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}
/* A byte that continues a word for the patterns: ASCII letter or digit, or
 * any byte of a non-ASCII character (accented letters). */
static bool
is_wordbyte(int c)
{
	return is_alnum(c) || (c & 0x80);
}

/* ---- markup ---- */

/* "<" then an optional "/", a letter and a tag name ended by a space, "/",
 * ">" or the end; or "<!" / "<?" (comments, declarations). "a < b" and
 * "<3" are prose. */
static bool
at_tag(const char *p)
{
	if (*p != '<')
		return false;
	p++;
	if (*p == '!' || *p == '?')
		return is_alpha((unsigned char)p[1]) || p[1] == '-' || p[1] == '[';
	if (*p == '/')
		p++;
	if (!is_alpha((unsigned char)*p))
		return false;
	while (is_alnum((unsigned char)*p) || *p == '-' || *p == ':' || *p == '_')
		p++;
	return *p == '\0' || *p == '>' || *p == '/' || *p == ' ' || *p == '\t' || *p == '\n' ||
	       *p == '\r';
}

/* "&name;", "&#123;" or "&#x1F;" (and "&#123" without its semicolon, which
 * HTML also reads). "AT&T", "R&D", "Q&A" are prose. */
static bool
at_entity(const char *p)
{
	if (*p != '&')
		return false;
	p++;
	if (*p == '#') {
		p++;
		if ((*p == 'x' || *p == 'X') && strchr("0123456789abcdefABCDEF", p[1]) && p[1])
			return true;
		return is_digit((unsigned char)*p);
	}
	size_t k = 0;
	while (is_alnum((unsigned char)p[k]) && k < 32)
		k++;
	return k > 0 && is_alpha((unsigned char)*p) && p[k] == ';';
}

/* "[text](target)": a Markdown link (or image, "![alt](src)"). */
static bool
at_md_link(const char *p)
{
	if (*p != '[')
		return false;
	const char *close = strpbrk(p + 1, "]\n");
	if (!close || *close != ']' || close[1] != '(')
		return false;
	const char *end = strpbrk(close + 2, ")\n");
	return end && *end == ')';
}

static bool
has_markup(const char *s)
{
	for (const char *p = s; *p; p++)
		if (at_tag(p) || at_entity(p) || at_md_link(p))
			return true;
	return false;
}

/* ---- web addresses ---- */

/* Top-level domains that mark a bare domain in prose ("contoso.com",
 * "example.fr/path"). Chosen so that prose and product names do not match:
 * "e.g.", "Node.js", "ASP.NET" (a TLD must be written in lower case). */
static const char *const tlds[] = {
    "com", "net", "org", "info", "biz", "io", "co", "ai", "app", "dev", "cloud", "tech",
    "online", "site", "shop", "store", "eu", "uk", "us", "fr", "de", "es", "it",
    "nl", "be", "ch", "at", "ca", "au", "nz", "jp", "cn", "in", "br", "mx", "ru", "pl",
    "se", "no", "dk", "fi", "ie", "pt", "cz", "gr", "hu", "ro", "tr", "za", "sg", "hk",
    "tv", "me", "ly", "gov", "edu", "int", "ar", "cl", "kr", "tw", "il", "ae", "sa", "lu",
};

static bool
known_tld(const char *p, size_t len)
{
	for (size_t i = 0; i < sizeof(tlds) / sizeof(*tlds); i++)
		if (strlen(tlds[i]) == len && memcmp(tlds[i], p, len) == 0)
			return true;
	return false;
}

/* A bare domain starting at p (p starts a word): labels of ASCII letters,
 * digits and dashes joined by dots, the last one a known lower-case TLD
 * followed by the end of the word ("/", ":", space, punctuation). */
static bool
at_domain(const char *p)
{
	const char *label = p;
	int labels = 0;
	for (;;) {
		const char *q = label;
		while (is_alnum((unsigned char)*q) || *q == '-')
			q++;
		if (q == label)
			return false;
		labels++;
		if (labels >= 2) {
			bool lower_letters = true;
			for (const char *r = label; r < q; r++)
				lower_letters = lower_letters && *r >= 'a' && *r <= 'z';
			if (lower_letters && known_tld(label, (size_t)(q - label)) &&
			    !is_wordbyte((unsigned char)*q) && *q != '@' &&
			    !(*q == '.' && is_alnum((unsigned char)q[1])))
				return true;
		}
		if (*q != '.' || !is_alnum((unsigned char)q[1]))
			return false;
		label = q + 1;
	}
}

static bool
word_start(const char *s, const char *p)
{
	return p == s || (!is_wordbyte((unsigned char)p[-1]) && p[-1] != '.' && p[-1] != '@' &&
	                  p[-1] != '-');
}

static bool
has_url(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (!is_alpha((unsigned char)*p) || !word_start(s, p))
			continue;
		/* scheme://  (http, https, ftp, any other) */
		const char *q = p;
		while (is_alnum((unsigned char)*q) || *q == '+' || *q == '.' || *q == '-')
			q++;
		if (q[0] == ':' && q[1] == '/' && q[2] == '/')
			return true;
		if (lower(p[0]) == 'w' && lower(p[1]) == 'w' && lower(p[2]) == 'w' && p[3] == '.' &&
		    is_alnum((unsigned char)p[4]))
			return true;
		if (at_domain(p))
			return true;
	}
	return false;
}

/* ---- email addresses ---- */

static bool
is_local_char(int c)
{
	return is_alnum(c) || (c && strchr("._%+-", c));
}

static bool
has_email(const char *s)
{
	for (const char *at = strchr(s, '@'); at; at = strchr(at + 1, '@')) {
		if (at == s || !is_local_char((unsigned char)at[-1]) || at[-1] == '.')
			continue;
		/* a domain after it: label(.label)+, the last of letters */
		const char *q = at + 1;
		int labels = 0;
		const char *last = q;
		for (;;) {
			const char *b = q;
			while (is_alnum((unsigned char)*q) || *q == '-')
				q++;
			if (q == b)
				break;
			labels++;
			last = b;
			if (*q != '.' || !is_alnum((unsigned char)q[1]))
				break;
			q++;
		}
		if (labels < 2)
			continue;
		bool letters = q - last >= 2;
		for (const char *r = last; r < q; r++)
			letters = letters && is_alpha((unsigned char)*r);
		if (letters)
			return true;
	}
	return false;
}

/* ---- phone numbers ---- */

/* A phone-like run: from "+", "(" or a digit that does not follow a letter
 * or digit, digits in groups joined by one separator (space, "-", ".", or
 * parentheses around a group). It is a phone number when it has 6 digits or
 * more, unless it reads as another number:
 *   - one group without "+" or "(": a phone only from 8 digits (0612345678;
 *     "100000 users" and "ISO 27001" are not);
 *   - thousands (1 to 3 digits, then groups of exactly 3 with one kind of
 *     separator other than "-": "1 500 000", "1.500.000");
 *   - years (every group 4 digits from 1900 to 2099: "2019-2024");
 *   - a date (d.m.yyyy, d-m-yyyy, yyyy-mm-dd) or a decimal (two groups
 *     joined by "."). A "+" or "(" always makes it a phone number. */
#define PHONE_MIN_DIGITS  6
#define PHONE_MIN_BARE    8
#define PHONE_MAX_GROUPS  16

static bool
phone_run(const char *p, const char **end)
{
	bool plus = false, paren = false;
	int groups[PHONE_MAX_GROUPS], ng = 0, digits = 0;
	char seps[PHONE_MAX_GROUPS];
	const char *q = p;
	if (*q == '+') {
		plus = true;
		q++;
		if (*q == ' ')
			q++;
	}
	for (;;) {
		if (*q == '(') {
			paren = true;
			q++;
		}
		if (!is_digit((unsigned char)*q))
			break;
		int g = 0;
		while (is_digit((unsigned char)*q))
			g++, q++;
		if (ng < PHONE_MAX_GROUPS)
			groups[ng] = g;
		digits += g;
		ng++;
		if (*q == ')') {
			paren = true;
			q++;
		}
		/* one separator (")" then a space counts as one), then a digit or "(" */
		char sep = *q;
		if ((sep == ' ' || sep == '-' || sep == '.') &&
		    (is_digit((unsigned char)q[1]) || q[1] == '(')) {
			if (ng <= PHONE_MAX_GROUPS)
				seps[ng - 1] = sep;
			q++;
		} else if (q > p && q[-1] == ')' && is_digit((unsigned char)*q)) {
			if (ng <= PHONE_MAX_GROUPS)
				seps[ng - 1] = ')';
		} else {
			break;
		}
	}
	*end = q;
	if (digits < PHONE_MIN_DIGITS || ng == 0)
		return false;
	if (plus || paren)
		return true;
	if (ng > PHONE_MAX_GROUPS)
		return true;
	if (ng == 1)
		return digits >= PHONE_MIN_BARE;
	bool thousands = groups[0] <= 3 && seps[0] != '-', years = true;
	for (int i = 0; i < ng; i++) {
		if (i > 0 && (groups[i] != 3 || (i < ng - 1 && seps[i] != seps[0])))
			thousands = false;
		years = years && groups[i] == 4;
	}
	if (thousands)
		return false;
	if (years) {
		/* each group from 1900 to 2099 */
		const char *r = p;
		bool all = true;
		for (int i = 0; i < ng; i++) {
			while (!is_digit((unsigned char)*r))
				r++;
			all = all && ((r[0] == '1' && r[1] == '9') || (r[0] == '2' && r[1] == '0'));
			r += 4;
		}
		if (all)
			return false;
	}
	if (ng == 3 && seps[0] == seps[1] && (seps[0] == '.' || seps[0] == '-' || seps[0] == '/') &&
	    ((groups[0] <= 2 && groups[1] <= 2 && (groups[2] == 4 || groups[2] == 2)) ||
	     (groups[0] == 4 && groups[1] == 2 && groups[2] == 2)))
		return false; /* a date */
	if (ng == 2 && seps[0] == '.')
		return false; /* a decimal */
	return true;
}

static bool
has_phone(const char *s)
{
	for (const char *p = s; *p;) {
		if ((*p == '+' || *p == '(' || is_digit((unsigned char)*p)) &&
		    (p == s || !is_wordbyte((unsigned char)p[-1]))) {
			const char *end;
			if (phone_run(p, &end))
				return true;
			p = end > p ? end : p + 1;
		} else {
			p++;
		}
	}
	return false;
}

/* ---- the checks ---- */

enum content_refusal
profile_name_check(const char *name)
{
	size_t chars;
	if (!name)
		name = "";
	if (!plain_text(name, false, &chars))
		return CONTENT_NOT_TEXT;
	if (chars > PROFILE_NAME_MAX)
		return CONTENT_TOO_LONG;
	if (has_markup(name))
		return CONTENT_MARKUP;
	return CONTENT_OK;
}

enum content_refusal
profile_description_check(const char *text)
{
	size_t chars;
	if (!text)
		text = "";
	if (!plain_text(text, true, &chars))
		return CONTENT_NOT_TEXT;
	if (chars > PROFILE_DESCRIPTION_MAX)
		return CONTENT_TOO_LONG;
	if (has_markup(text))
		return CONTENT_MARKUP;
	if (has_email(text))
		return CONTENT_EMAIL;
	if (has_url(text))
		return CONTENT_URL;
	if (has_phone(text))
		return CONTENT_PHONE;
	return CONTENT_OK;
}

enum content_refusal
profile_website_check(const char *url)
{
	size_t chars;
	if (!url)
		url = "";
	if (!plain_text(url, false, &chars))
		return CONTENT_NOT_TEXT;
	if (chars > PROFILE_WEBSITE_MAX)
		return CONTENT_TOO_LONG;
	const char *p;
	if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return CONTENT_URL_SCHEME;
	/* the host: labels of letters, digits, dashes (or non-ASCII), with a dot,
	 * optionally a port; no user info, no spaces anywhere */
	const char *h = p;
	int dots = 0;
	while (*p && *p != '/' && *p != '?' && *p != '#' && *p != ':') {
		unsigned char c = (unsigned char)*p;
		if (c == '.') {
			if (p == h || p[-1] == '.')
				return CONTENT_URL_SCHEME;
			dots++;
		} else if (!is_alnum(c) && c != '-' && !(c & 0x80)) {
			return CONTENT_URL_SCHEME;
		}
		p++;
	}
	if (p == h || p[-1] == '.' || p[-1] == '-' || *h == '-')
		return CONTENT_URL_SCHEME;
	if (dots == 0 && !(p - h == 9 && strncasecmp(h, "localhost", 9) == 0))
		return CONTENT_URL_SCHEME;
	if (*p == ':') {
		p++;
		int port = 0, nd = 0;
		while (is_digit((unsigned char)*p) && nd < 6)
			port = port * 10 + (*p++ - '0'), nd++;
		if (nd == 0 || port == 0 || port > 65535)
			return CONTENT_URL_SCHEME;
		if (*p && *p != '/' && *p != '?' && *p != '#')
			return CONTENT_URL_SCHEME;
	}
	for (; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return CONTENT_URL_SCHEME;
	return CONTENT_OK;
}

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

/* ---- the fixed lists ---- */

static const struct profile_choice solution_areas[] = {
    {"data_ai", N_("Data & AI (Azure)")},
    {"infrastructure", N_("Infrastructure (Azure)")},
    {"digital_app_innovation", N_("Digital & App Innovation (Azure)")},
    {"business_applications", N_("Business Applications")},
    {"modern_work", N_("Modern Work")},
    {"security", N_("Security")},
};

static const struct profile_choice industries[] = {
    {"agriculture", N_("Agriculture")},
    {"automotive", N_("Automotive")},
    {"education", N_("Education")},
    {"energy", N_("Energy and utilities")},
    {"financial_services", N_("Financial services")},
    {"government", N_("Government")},
    {"healthcare", N_("Healthcare")},
    {"hospitality", N_("Hospitality and travel")},
    {"manufacturing", N_("Manufacturing")},
    {"media", N_("Media and communications")},
    {"nonprofit", N_("Nonprofit")},
    {"professional_services", N_("Professional services")},
    {"retail", N_("Retail and consumer goods")},
    {"telecommunications", N_("Telecommunications")},
    {"transportation", N_("Transportation and logistics")},
};

static const struct profile_choice common_languages[] = {
    {"en", N_("English")},   {"fr", N_("French")},     {"de", N_("German")},
    {"es", N_("Spanish")},   {"it", N_("Italian")},    {"pt", N_("Portuguese")},
    {"nl", N_("Dutch")},     {"sv", N_("Swedish")},    {"da", N_("Danish")},
    {"no", N_("Norwegian")}, {"fi", N_("Finnish")},    {"pl", N_("Polish")},
    {"cs", N_("Czech")},     {"el", N_("Greek")},      {"ru", N_("Russian")},
    {"tr", N_("Turkish")},   {"ar", N_("Arabic")},     {"he", N_("Hebrew")},
    {"hi", N_("Hindi")},     {"ja", N_("Japanese")},   {"ko", N_("Korean")},
    {"zh", N_("Chinese")},
};

#define NELEM(a) (sizeof(a) / sizeof(*(a)))

const struct profile_choice *
profile_solution_areas(size_t *n)
{
	*n = NELEM(solution_areas);
	return solution_areas;
}

const struct profile_choice *
profile_industries(size_t *n)
{
	*n = NELEM(industries);
	return industries;
}

const struct profile_choice *
profile_common_languages(size_t *n)
{
	*n = NELEM(common_languages);
	return common_languages;
}

const char *
profile_choice_label(const struct profile_choice *list, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(list[i].code, code) == 0)
			return list[i].label;
	return NULL;
}

/* ISO 639-1: the 184 two-letter codes of the registration authority's list
 * (with "bh", since withdrawn; without "sh"), sorted for the binary search. */
static const char iso639_1[] =
    "aa" "ab" "ae" "af" "ak" "am" "an" "ar" "as" "av" "ay" "az"
    "ba" "be" "bg" "bh" "bi" "bm" "bn" "bo" "br" "bs"
    "ca" "ce" "ch" "co" "cr" "cs" "cu" "cv" "cy"
    "da" "de" "dv" "dz"
    "ee" "el" "en" "eo" "es" "et" "eu"
    "fa" "ff" "fi" "fj" "fo" "fr" "fy"
    "ga" "gd" "gl" "gn" "gu" "gv"
    "ha" "he" "hi" "ho" "hr" "ht" "hu" "hy" "hz"
    "ia" "id" "ie" "ig" "ii" "ik" "io" "is" "it" "iu"
    "ja" "jv"
    "ka" "kg" "ki" "kj" "kk" "kl" "km" "kn" "ko" "kr" "ks" "ku" "kv" "kw" "ky"
    "la" "lb" "lg" "li" "ln" "lo" "lt" "lu" "lv"
    "mg" "mh" "mi" "mk" "ml" "mn" "mr" "ms" "mt" "my"
    "na" "nb" "nd" "ne" "ng" "nl" "nn" "no" "nr" "nv" "ny"
    "oc" "oj" "om" "or" "os"
    "pa" "pi" "pl" "ps" "pt"
    "qu"
    "rm" "rn" "ro" "ru" "rw"
    "sa" "sc" "sd" "se" "sg" "si" "sk" "sl" "sm" "sn" "so" "sq" "sr" "ss" "st" "su" "sv" "sw"
    "ta" "te" "tg" "th" "ti" "tk" "tl" "tn" "to" "tr" "ts" "tt" "tw" "ty"
    "ug" "uk" "ur" "uz"
    "ve" "vi" "vo"
    "wa" "wo"
    "xh"
    "yi" "yo"
    "za" "zh" "zu";

bool
profile_language_valid(const char *code)
{
	if (!code || !(code[0] >= 'a' && code[0] <= 'z') || !(code[1] >= 'a' && code[1] <= 'z') ||
	    code[2] != '\0')
		return false;
	size_t lo = 0, hi = (sizeof(iso639_1) - 1) / 2;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = memcmp(iso639_1 + 2 * mid, code, 2);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}
