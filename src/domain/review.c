#include "domain/review.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "core/us_postal.h"

struct abbrev {
	const char *word, *as;
};

/* USPS Publication 28, C1 (street suffixes) and B (directionals, units). */
static const struct abbrev street_words[] = {
    {"STREET", "ST"},     {"AVENUE", "AVE"},   {"AV", "AVE"},        {"ROAD", "RD"},
    {"BOULEVARD", "BLVD"}, {"DRIVE", "DR"},    {"LANE", "LN"},       {"COURT", "CT"},
    {"PLACE", "PL"},      {"SQUARE", "SQ"},    {"PARKWAY", "PKWY"},  {"HIGHWAY", "HWY"},
    {"TERRACE", "TER"},   {"CIRCLE", "CIR"},   {"EXPRESSWAY", "EXPY"}, {"FREEWAY", "FWY"},
    {"SUITE", "STE"},     {"APARTMENT", "APT"}, {"BUILDING", "BLDG"}, {"FLOOR", "FL"},
    {"ROOM", "RM"},       {"UNIT", "UNIT"},    {"NORTH", "N"},       {"SOUTH", "S"},
    {"EAST", "E"},        {"WEST", "W"},       {"NORTHEAST", "NE"},  {"NORTHWEST", "NW"},
    {"SOUTHEAST", "SE"},  {"SOUTHWEST", "SW"}, {NULL, NULL},
};
static const struct abbrev name_words[] = {
    {"INCORPORATED", "INC"}, {"CORPORATION", "CORP"}, {"COMPANY", "CO"},
    {"LIMITED", "LTD"},      {"AND", "&"},            {NULL, NULL},
};
static const struct abbrev city_words[] = {
    {"SAINT", "ST"}, {"FORT", "FT"}, {"MOUNT", "MT"}, {NULL, NULL},
};

static const struct abbrev *
words_of(enum review_field_kind kind)
{
	switch (kind) {
	case RF_NAME:
		return name_words;
	case RF_STREET:
		return street_words;
	case RF_CITY:
		return city_words;
	default:
		return NULL;
	}
}

/* Appends word (len bytes) to out at *at, as its abbreviation when it has one. */
static void
put_word(const struct abbrev *words, const char *w, size_t len, char *out, size_t n, size_t *at)
{
	for (const struct abbrev *x = words; x && x->word; x++)
		if (strlen(x->word) == len && memcmp(x->word, w, len) == 0) {
			w = x->as;
			len = strlen(w);
			break;
		}
	if (*at > 0 && *at + 1 < n)
		out[(*at)++] = ' ';
	for (size_t i = 0; i < len && *at + 1 < n; i++)
		out[(*at)++] = w[i];
	out[*at] = '\0';
}

void
review_normalize(enum review_field_kind kind, const char *in, char *out, size_t n)
{
	out[0] = '\0';
	if (in == NULL)
		return;
	/* Words first: uppercase, '.' and '\'' dropped, other punctuation a space. */
	char buf[512];
	size_t b = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p && b + 1 < sizeof(buf); p++) {
		unsigned char ch = *p;
		if (ch == '.' || ch == '\'')
			continue;
		if (ch == '&' && kind != RF_POSTAL && b + 3 < sizeof(buf)) {
			memcpy(buf + b, " & ", 3); /* a word of its own: "A&B" = "A AND B" */
			b += 3;
			continue;
		}
		if (ch == 0xC3 && p[1] >= 0xA0 && p[1] <= 0xBE && p[1] != 0xB7 && b + 2 < sizeof(buf)) {
			/* Latin-1 lowercase letters (à–þ, not ÷) as their capitals (À–Þ) */
			buf[b++] = (char)ch;
			buf[b++] = (char)(*++p - 0x20);
			continue;
		}
		if (ch >= 'a' && ch <= 'z')
			ch = (unsigned char)(ch - 'a' + 'A');
		else if (ch < 0x80 && !(ch >= 'A' && ch <= 'Z') && !(ch >= '0' && ch <= '9'))
			ch = ' ';
		if (kind == RF_POSTAL && ch == ' ')
			continue; /* "SW1A 2AA" = "SW1A2AA", "94110-1234" = "941101234" */
		buf[b++] = (char)ch;
	}
	buf[b] = '\0';
	if (kind == RF_REGION) {
		const char *code = us_state_code(buf);
		if (code) {
			snprintf(out, n, "%s", code);
			return;
		}
	}
	const struct abbrev *words = words_of(kind);
	size_t at = 0;
	for (char *w = buf; *w;) {
		if (*w == ' ') {
			w++;
			continue;
		}
		size_t len = strcspn(w, " ");
		put_word(words, w, len, out, n, &at);
		w += len;
	}
}

static bool
all_digits(const char *s, size_t len)
{
	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool
review_same(enum review_field_kind kind, const char *a, const char *b)
{
	char x[512], y[512];
	review_normalize(kind, a, x, sizeof(x));
	review_normalize(kind, b, y, sizeof(y));
	if (strcmp(x, y) == 0)
		return true;
	if (kind == RF_POSTAL) {
		/* A ZIP Code agrees with a ZIP+4 that begins with it. */
		if (all_digits(x, 5) && all_digits(y, 9))
			return strncmp(x, y, 5) == 0;
		if (all_digits(y, 5) && all_digits(x, 9))
			return strncmp(x, y, 5) == 0;
	}
	return false;
}

unsigned
review_warnings(bool has_duns, int confidence, const char *operating_status,
                enum csp_verdict verdict)
{
	unsigned w = 0;
	if (has_duns && confidence > 0 && confidence < REVIEW_CONFIDENCE_FLOOR)
		w |= RW_LOW_CONFIDENCE;
	if (has_duns && operating_status && *operating_status &&
	    strcasecmp(operating_status, "Active") != 0)
		w |= RW_OUT_OF_BUSINESS;
	if (!has_duns)
		w |= RW_NO_DUNS;
	if (verdict != CSP_VERDICT_VERIFIED && verdict != CSP_VERDICT_CORRECTED)
		w |= RW_ADDRESS_UNVERIFIED;
	return w;
}

static const char *const warning_codes[REVIEW_WARNINGS] = {
    "low_confidence", "out_of_business", "no_duns", "address_unverified"};
static const char *const warning_messages[REVIEW_WARNINGS] = {
    N_("Weak DUNS match: D&B's confidence is below 5 out of 10, so the name or the address of this record disagrees with what was searched. Check that it is the partner's company."),
    N_("D&B lists this company as out of business: its operating status is not Active."),
    N_("No DUNS number: the company was entered by hand, with no D&B record to compare it with. Ask for a business registration document if in doubt."),
    N_("The address service did not confirm this address: the partner kept it as entered, or it was not checked."),
};

const char *
review_warning_code(unsigned i)
{
	return i < REVIEW_WARNINGS ? warning_codes[i] : "";
}

const char *
review_warning_message(unsigned i)
{
	return i < REVIEW_WARNINGS ? warning_messages[i] : "";
}

static const char *const age_codes[AGE__MAX] = {"0-2", "3-7", "8-14", "15+"};
static const char *const age_labels[AGE__MAX] = {N_("0–2 days"), N_("3–7 days"),
                                                 N_("8–14 days"), N_("15 days or more")};
static const long long age_min[AGE__MAX] = {0, 3, 8, 15};

enum review_age
review_age_bucket(long long days)
{
	for (int a = AGE__MAX - 1; a > 0; a--)
		if (days >= age_min[a])
			return (enum review_age)a;
	return AGE_0_2;
}

const char *
review_age_code(enum review_age a)
{
	return a < AGE__MAX ? age_codes[a] : "";
}

const char *
review_age_label(enum review_age a)
{
	return a < AGE__MAX ? age_labels[a] : "";
}

int
review_age_parse(const char *s)
{
	for (int a = 0; s && a < AGE__MAX; a++)
		if (strcmp(s, age_codes[a]) == 0)
			return a;
	return -1;
}

void
review_age_range(enum review_age a, long long *min, long long *max)
{
	*min = a < AGE__MAX ? age_min[a] : 0;
	*max = a + 1 < AGE__MAX ? age_min[a + 1] - 1 : 1000000;
}
