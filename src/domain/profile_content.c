/* The content guidelines of a business profile (profile_content.h). */
#include "domain/profile_content.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "domain/text.h"

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
    "example", "solutions", "digital", "agency", "consulting", "group", "software", "systems",
    "services", "company", "global", "email", "network", "studio",
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
