#include "domain/eligibility.h"

#include <stdint.h>
#include <string.h>

#include "core/i18n.h"
#include "domain/codes.h"
#include "domain/profiles.h"
#include "domain/text.h"

static const char *const rel_codes[CUSTOMER_REL__MAX] = {"customer", "affiliate"};
DOMAIN_CODES(customer_relationship, enum customer_relationship, CUSTOMER_REL__MAX, rel_codes)
const char *const customer_relationship_codes[] = {"customer", "affiliate", NULL};
static const char *const rel_labels[CUSTOMER_REL__MAX] = {N_("Customer"), N_("Affiliate")};

const char *
customer_relationship_label(enum customer_relationship r)
{
	return (unsigned)r < CUSTOMER_REL__MAX ? rel_labels[r] : "";
}

static const char *const rule_codes[ELIG_RULE__MAX] = {
    "not_active_csp",      "customer_outside_market", "offer_not_in_partner_country",
    "offer_not_in_customer_country", "customer_is_partner", "customer_is_affiliate"};
DOMAIN_CODES(elig_rule, enum elig_rule, ELIG_RULE__MAX, rule_codes)

/* ---- tenant domains ---- */

bool
tenant_domain_normalize(const char *domain, char *out, size_t outlen)
{
	size_t n = domain ? strlen(domain) : 0;
	if (n && domain[n - 1] == '.')
		n--;
	if (n == 0 || n > TENANT_DOMAIN_MAX || outlen <= n)
		return false;
	size_t labels = 0, len = 0, label_start = 0;
	bool all_digits = true;
	for (size_t i = 0; i <= n; i++) {
		int c = i < n ? lower((unsigned char)domain[i]) : '.';
		if (c == '.') {
			if (len == 0 || len > 63 || out[i - 1] == '-' || out[label_start] == '-')
				return false;
			labels++;
			if (i == n)
				break;
			out[i] = '.';
			len = 0;
			label_start = i + 1;
			all_digits = true;
			continue;
		}
		if (!is_alnum(c) && c != '-')
			return false;
		all_digits = all_digits && is_digit(c);
		out[i] = (char)c;
		len++;
	}
	out[n] = '\0';
	return labels >= 2 && !all_digits;
}

bool
tenant_domain_within(const char *domain, const char *partner_domain)
{
	if (domain == NULL || partner_domain == NULL || *partner_domain == '\0')
		return false;
	size_t n = strlen(domain), m = strlen(partner_domain);
	if (n < m || strcmp(domain + n - m, partner_domain) != 0)
		return false;
	return n == m || domain[n - m - 1] == '.';
}

/* ---- offers ---- */

bool
offer_available_in(const struct offer_countries *o, const char *country)
{
	if (o->all)
		return true;
	for (size_t i = 0; country && i < o->n; i++)
		if (strcmp(o->codes[i], country) == 0)
			return true;
	return false;
}

bool
offer_id_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > OFFER_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && !strchr("._:-", s[i]))
			return false;
	return true;
}

/* Plain text of at most max code points: valid UTF-8, no control character. */
static bool
plain_text(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), count = 0;
	while (left) {
		uint32_t cp;
		size_t len = utf8_next(p, left, &cp);
		if (len == 0 || cp < 0x20 || cp == 0x7F || ++count > max)
			return false;
		p += len;
		left -= len;
	}
	return count > 0;
}

static char *
trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

enum offer_line_error
offer_line_parse(char *line, struct offer_line *out)
{
	memset(out, 0, sizeof(*out));
	char *col[3];
	size_t ncol = 0;
	for (char *p = line;; ncol++) {
		char *tab = strchr(p, '\t');
		if (ncol < 3)
			col[ncol] = p;
		if (tab == NULL) {
			ncol++;
			break;
		}
		*tab = '\0';
		p = tab + 1;
	}
	if (ncol != 3)
		return OFFER_LINE_COLUMNS;
	out->offer_id = trim(col[0]);
	out->name = trim(col[1]);
	if (!offer_id_valid(out->offer_id))
		return OFFER_LINE_ID;
	if (!plain_text(out->name, OFFER_NAME_MAX))
		return OFFER_LINE_NAME;
	char *countries = trim(col[2]);
	if (strcmp(countries, "*") == 0) {
		out->all = true;
		return OFFER_LINE_OK;
	}
	if (*countries == '\0')
		return OFFER_LINE_COUNTRIES;
	for (char *p = countries; p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		char *code = trim(p);
		p = comma ? comma + 1 : NULL;
		if (strcmp(code, "*") == 0)
			return OFFER_LINE_COUNTRIES;
		size_t len = strlen(code);
		if (len >= sizeof(out->bad_code))
			len = sizeof(out->bad_code) - 1;
		memcpy(out->bad_code, code, len);
		out->bad_code[len] = '\0';
		if (strlen(code) != 2 || !is_alpha((unsigned char)code[0]) ||
		    !is_alpha((unsigned char)code[1]))
			return OFFER_LINE_COUNTRY_CODE;
		char cc[3] = {(char)(lower((unsigned char)code[0]) - 32),
		              (char)(lower((unsigned char)code[1]) - 32), '\0'};
		memcpy(out->bad_code, cc, 3);
		for (size_t i = 0; i < out->ncodes; i++)
			if (strcmp(out->codes[i], cc) == 0)
				return OFFER_LINE_COUNTRY_TWICE;
		if (out->ncodes == OFFER_COUNTRIES_MAX)
			return OFFER_LINE_TOO_MANY;
		memcpy(out->codes[out->ncodes++], cc, 3);
	}
	out->bad_code[0] = '\0';
	return OFFER_LINE_OK;
}

const char *
offer_line_error_message(enum offer_line_error e)
{
	switch (e) {
	case OFFER_LINE_COLUMNS:
		return "expected 3 tab-separated columns: offer_id, name, countries";
	case OFFER_LINE_ID:
		return "bad offer_id: 1 to 64 letters, digits, '.', '_', ':' or '-'";
	case OFFER_LINE_NAME:
		return "bad name: 1 to 200 characters of plain UTF-8 text";
	case OFFER_LINE_COUNTRIES:
		return "bad countries: a comma-separated list of ISO 3166-1 alpha-2 codes, or * alone";
	case OFFER_LINE_COUNTRY_CODE:
		return "bad country code: not two letters";
	case OFFER_LINE_COUNTRY_TWICE:
		return "country listed twice";
	case OFFER_LINE_TOO_MANY:
		return "too many countries";
	default:
		return "";
	}
}

/* ---- the check ---- */

unsigned
elig_check(const struct elig_facts *f)
{
	unsigned failed = 0;
	if (!f->active_csp)
		failed |= ELIG_BIT(ELIG_NOT_ACTIVE_CSP);
	const char *region = f->partner_country ? csp_region_of(f->partner_country) : NULL;
	if (!csp_region_has(region, f->customer_country))
		failed |= ELIG_BIT(ELIG_CUSTOMER_OUTSIDE_MARKET);
	if (!offer_available_in(&f->offer, f->partner_country))
		failed |= ELIG_BIT(ELIG_OFFER_NOT_IN_PARTNER_COUNTRY);
	if (!offer_available_in(&f->offer, f->customer_country))
		failed |= ELIG_BIT(ELIG_OFFER_NOT_IN_CUSTOMER_COUNTRY);
	for (size_t i = 0; i < f->npartner_domains; i++)
		if (tenant_domain_within(f->customer_domain, f->partner_domains[i]))
			failed |= ELIG_BIT(ELIG_CUSTOMER_IS_PARTNER);
	if (f->relationship == CUSTOMER_REL_AFFILIATE)
		failed |= ELIG_BIT(ELIG_CUSTOMER_IS_AFFILIATE);
	return failed;
}

/* ---- the market page's search ---- */

bool
csp_market_match(const char *q, const char *code, const char *name)
{
	char key[128], folded[160];
	size_t n = 0;
	while (q && *q == ' ')
		q++;
	if (q == NULL || *q == '\0')
		return true;
	n = strlen(q);
	while (n && q[n - 1] == ' ')
		n--;
	if (n == 2 && code && lower((unsigned char)q[0]) == lower((unsigned char)code[0]) &&
	    lower((unsigned char)q[1]) == lower((unsigned char)code[1]))
		return true;
	char qs[128];
	if (n >= sizeof(qs))
		n = sizeof(qs) - 1;
	memcpy(qs, q, n);
	qs[n] = '\0';
	/* profile_slug folds case and accents and turns the rest into dashes;
	 * a search folding to nothing ("partner", its fallback) matches nothing. */
	profile_slug(qs, NULL, key, sizeof(key));
	profile_slug(name ? name : "", NULL, folded, sizeof(folded));
	bool letters = false;
	for (const char *p = qs; *p; p++)
		letters = letters || is_wordbyte((unsigned char)*p);
	return letters && strstr(folded, key) != NULL;
}
