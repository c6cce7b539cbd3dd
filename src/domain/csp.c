#include "domain/csp.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <stdio.h>

#include "core/i18n.h"
#include "core/us_postal.h"
#include "domain/codes.h"

#define N(a) (sizeof(a) / sizeof(*(a)))

/* ---- application states ---- */

static const char *const status_codes[CSP_STATUS__MAX] = {
    "not_enrolled", "draft", "pending_review", "info_requested", "approved", "rejected", "active"};
DOMAIN_CODES(csp_status, enum csp_status, CSP_STATUS__MAX, status_codes)
static const char *const status_labels[CSP_STATUS__MAX] = {
    N_("Not enrolled"), N_("Draft"),    N_("Pending review"), N_("Information requested"),
    N_("Approved"),     N_("Rejected"), N_("Active")};
static const char *const action_codes[CSP_ACTION__MAX] = {
    "save_step",         "submit",         "request_document", "request_questionnaire",
    "send_document",     "answer_questionnaire", "approve",    "reject",
    "accept_agreement"};
DOMAIN_CODES(csp_action, enum csp_action, CSP_ACTION__MAX, action_codes)
const char *const csp_decision_codes[] = {"approve", "reject", "request_document",
                                          "request_questionnaire", NULL};
static const char *const request_codes[CSP_REQUEST__MAX] = {"", "document", "questionnaire"};

/* DOMAIN §3.6–3.8. Anything else is refused (409 on the page). */
static const struct csp_transition transitions[] = {
    {CSP_NONE, CSP_SAVE_STEP, CSP_DRAFT, CSP_BY_PARTNER, CSP_ASKS_NONE, CSP_ASKS_NONE, CSP_STAMP_NONE},
    {CSP_DRAFT, CSP_SAVE_STEP, CSP_DRAFT, CSP_BY_PARTNER, CSP_ASKS_NONE, CSP_ASKS_NONE, CSP_STAMP_NONE},
    {CSP_REJECTED, CSP_SAVE_STEP, CSP_REJECTED, CSP_BY_PARTNER, CSP_ASKS_NONE, CSP_ASKS_NONE, CSP_STAMP_NONE},
    {CSP_DRAFT, CSP_SUBMIT, CSP_PENDING_REVIEW, CSP_BY_PARTNER, CSP_ASKS_NONE, CSP_ASKS_NONE, CSP_STAMP_SUBMITTED},
    {CSP_REJECTED, CSP_SUBMIT, CSP_PENDING_REVIEW, CSP_BY_PARTNER, CSP_ASKS_NONE, CSP_ASKS_NONE, CSP_STAMP_SUBMITTED},
    {CSP_PENDING_REVIEW, CSP_REQUEST_DOCUMENT, CSP_INFO_REQUESTED, CSP_BY_STAFF, CSP_ASKS_NONE, CSP_ASKS_DOCUMENT, CSP_STAMP_NONE},
    {CSP_PENDING_REVIEW, CSP_REQUEST_QUESTIONNAIRE, CSP_INFO_REQUESTED, CSP_BY_STAFF, CSP_ASKS_NONE, CSP_ASKS_QUESTIONNAIRE, CSP_STAMP_NONE},
    {CSP_INFO_REQUESTED, CSP_SEND_DOCUMENT, CSP_PENDING_REVIEW, CSP_BY_PARTNER, CSP_ASKS_DOCUMENT, CSP_ASKS_NONE, CSP_STAMP_NONE},
    {CSP_INFO_REQUESTED, CSP_ANSWER_QUESTIONNAIRE, CSP_PENDING_REVIEW, CSP_BY_PARTNER, CSP_ASKS_QUESTIONNAIRE, CSP_ASKS_NONE, CSP_STAMP_NONE},
    {CSP_PENDING_REVIEW, CSP_APPROVE, CSP_APPROVED, CSP_BY_STAFF, CSP_ASKS_NONE, CSP_ASKS_NONE, CSP_STAMP_DECIDED},
    {CSP_PENDING_REVIEW, CSP_REJECT, CSP_REJECTED, CSP_BY_STAFF, CSP_ASKS_NONE, CSP_ASKS_NONE, CSP_STAMP_DECIDED},
    {CSP_INFO_REQUESTED, CSP_REJECT, CSP_REJECTED, CSP_BY_STAFF, CSP_ASKS_NONE, CSP_ASKS_NONE, CSP_STAMP_DECIDED},
    {CSP_APPROVED, CSP_ACCEPT_AGREEMENT, CSP_ACTIVE, CSP_BY_PARTNER, CSP_ASKS_NONE, CSP_ASKS_NONE, CSP_STAMP_NONE},
};

const struct csp_transition *
csp_next(enum csp_status from, enum csp_action action, enum csp_request pending)
{
	for (size_t i = 0; i < N(transitions); i++) {
		const struct csp_transition *t = &transitions[i];
		if (t->from == from && t->action == action &&
		    (t->needs == CSP_ASKS_NONE || t->needs == pending))
			return t;
	}
	return NULL;
}

const struct csp_transition *
csp_transitions(size_t *n)
{
	*n = N(transitions);
	return transitions;
}

bool
csp_editable(enum csp_status s)
{
	return csp_next(s, CSP_SAVE_STEP, CSP_ASKS_NONE) != NULL;
}

bool
csp_decidable(enum csp_status s)
{
	return csp_next(s, CSP_REJECT, CSP_ASKS_NONE) != NULL;
}

bool
csp_links_location(enum csp_status s)
{
	return s == CSP_PENDING_REVIEW || s == CSP_INFO_REQUESTED || s == CSP_APPROVED ||
	       s == CSP_ACTIVE;
}

const char *
csp_status_label(enum csp_status s)
{
	return (unsigned)s < CSP_STATUS__MAX ? status_labels[s] : "";
}

const char *
csp_action_label(enum csp_action a)
{
	switch (a) {
	case CSP_APPROVE:
		return N_("Approve");
	case CSP_REJECT:
		return N_("Reject");
	case CSP_REQUEST_DOCUMENT:
		return N_("Request a document");
	case CSP_REQUEST_QUESTIONNAIRE:
		return N_("Request the questionnaire");
	default:
		return "";
	}
}

const char *
csp_request_code(enum csp_request r)
{
	return (unsigned)r < CSP_REQUEST__MAX ? request_codes[r] : "";
}

int
csp_request_parse(const char *s)
{
	return codes_parse(request_codes, CSP_REQUEST__MAX, s ? s : "");
}

int
csp_step_shown(int done, int asked)
{
	int next = done + 1 > CSP_STEPS ? CSP_STEPS : done + 1;
	return asked >= 1 && asked <= next ? asked : next;
}

/* ---- company ---- */

static const char *const source_codes[CSP_SOURCE__MAX] = {"lookup", "duns", "manual"};
DOMAIN_CODES(csp_source, enum csp_company_source, CSP_SOURCE__MAX, source_codes)

const char *
csp_source_label(enum csp_company_source s)
{
	static const char *const labels[CSP_SOURCE__MAX] = {
	    N_("Found by a DUNS lookup"), N_("DUNS number typed by the partner"),
	    N_("Entered manually")};
	return (unsigned)s < CSP_SOURCE__MAX ? labels[s] : "";
}

bool
csp_duns_normalize(const char *in, char out[10])
{
	size_t k = 0;
	out[0] = '\0';
	for (const char *p = in ? in : ""; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (*p < '0' || *p > '9' || k == 9)
			return false;
		out[k++] = *p;
	}
	out[k] = '\0';
	return k == 9;
}

enum csp_location_verdict
csp_location_check(enum partner_kind kind, enum partner_status status, const char *country,
                   const char *tenant_country)
{
	if (kind != PARTNER_LOCATION || status == PARTNER_DELETED)
		return CSP_LOCATION_NOT_LOCATION;
	if (status != PARTNER_ACTIVE)
		return CSP_LOCATION_INACTIVE;
	if (strcmp(country, tenant_country) != 0)
		return CSP_LOCATION_OTHER_COUNTRY;
	return CSP_LOCATION_OK;
}

/* ---- address ---- */

static const char *const verdict_codes[CSP_VERDICT__MAX] = {
    "not_checked", "verified",   "corrected",     "needs_unit",
    "ambiguous",   "not_found",  "unverified",    "undeliverable", "refused"};
DOMAIN_CODES(csp_verdict, enum csp_verdict, CSP_VERDICT__MAX, verdict_codes)

const char *
csp_verdict_label(enum csp_verdict v)
{
	static const char *const labels[CSP_VERDICT__MAX] = {
	    N_("Not checked (no validation in this country)"),
	    N_("Verified as entered"),
	    N_("Corrected: the address service has a standard form of it"),
	    N_("Found, but the suite or apartment number is missing or not confirmed"),
	    N_("Several addresses match"),
	    N_("Not found by the address service"),
	    N_("Unverified: the address service was unavailable"),
	    N_("Not deliverable: the address service knows it, but mail is not delivered there"),
	    N_("Refused by the address service")};
	return (unsigned)v < CSP_VERDICT__MAX ? labels[v] : "";
}

struct csp_address_outcome
csp_address_decide(enum csp_address_check check, bool same, enum csp_address_use use)
{
	struct csp_address_outcome o = {CSP_ADDRESS_STORE, CSP_VERDICT_VERIFIED, false};
	switch (check) {
	case CSP_CHECK_UNAVAILABLE:
		/* Kept as entered and flagged for the reviewer (DOMAIN §3.4). */
		o.verdict = CSP_VERDICT_UNVERIFIED;
		return o;
	case CSP_CHECK_CONFIRMED:
		if (same)
			return o;
		/* The standard form differs: both shown, the partner chooses; the
		 * verdict stays "corrected" whichever is kept. */
		o.verdict = CSP_VERDICT_CORRECTED;
		if (use == CSP_USE_UNSAID)
			o.next = CSP_ADDRESS_SUGGEST;
		o.use_suggested = use == CSP_USE_SUGGESTED;
		return o;
	case CSP_CHECK_NEEDS_UNIT:
		o.verdict = CSP_VERDICT_NEEDS_UNIT;
		break;
	case CSP_CHECK_UNDELIVERABLE:
		o.verdict = CSP_VERDICT_UNDELIVERABLE;
		break;
	case CSP_CHECK_AMBIGUOUS:
		o.verdict = CSP_VERDICT_AMBIGUOUS;
		break;
	case CSP_CHECK_NOT_FOUND:
		o.verdict = CSP_VERDICT_NOT_FOUND;
		break;
	case CSP_CHECK_REFUSED:
		o.verdict = CSP_VERDICT_REFUSED;
		break;
	}
	/* Not usable as is: refused unless the partner keeps it as entered. */
	o.next = use == CSP_USE_ENTERED ? CSP_ADDRESS_STORE : CSP_ADDRESS_REFUSE;
	return o;
}

enum csp_us_address
csp_us_address_normalize(const char *region, const char *postal_code, const char **state,
                         char postal[11])
{
	char zip5[6], plus4[5];
	postal[0] = '\0';
	*state = us_state_code(region);
	if (*state == NULL)
		return CSP_US_BAD_STATE;
	if (postal_code == NULL || *postal_code == '\0')
		return CSP_US_OK;
	if (!us_zip_split(postal_code, zip5, plus4))
		return CSP_US_BAD_ZIP;
	if (*plus4)
		snprintf(postal, 11, "%s-%s", zip5, plus4);
	else
		snprintf(postal, 11, "%s", zip5);
	return CSP_US_OK;
}

bool
csp_country_in_list(const char *list, const char *country)
{
	size_t n = strlen(country);
	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ", ");
		if (len == n && n > 0 && strncasecmp(p, country, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/* ---- model and billing ---- */

const char *const csp_model_codes[CSP_MODEL__MAX + 1] = {"indirect_reseller", "direct_bill",
                                                         NULL};
DOMAIN_CODES(csp_model, enum csp_model, CSP_MODEL__MAX, csp_model_codes)

const char *
csp_model_label(enum csp_model m)
{
	return m == CSP_MODEL_DIRECT_BILL ? N_("Direct bill") : N_("Indirect reseller");
}

bool
csp_billing_day_valid(const char *day)
{
	if (day == NULL || *day == '\0' || strlen(day) > 2 || strspn(day, "0123456789") != strlen(day))
		return false;
	int d = day[0] - '0';
	if (day[1])
		d = d * 10 + (day[1] - '0');
	return d >= CSP_BILLING_DAY_MIN && d <= CSP_BILLING_DAY_MAX;
}

bool
csp_tax_id_valid(const char *tax)
{
	size_t n = tax ? strlen(tax) : 0;
	if (n < CSP_TAX_ID_MIN || n > CSP_TAX_ID_MAX)
		return false;
	for (const char *p = tax; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      *p == '-' || *p == ' ' || *p == '.'))
			return false;
	return true;
}

/* ---- documents and questionnaire ---- */

const char *const csp_document_type_codes[CSP_DOC__MAX + 1] = {
    "business_registration", "tax_certificate", "proof_of_address", "other", NULL};
DOMAIN_CODES(csp_document_type, enum csp_document_type, CSP_DOC__MAX, csp_document_type_codes)

const char *
csp_document_type_label(enum csp_document_type t)
{
	static const char *const labels[CSP_DOC__MAX] = {
	    N_("Business registration"), N_("Tax certificate"), N_("Proof of address"),
	    N_("Other document")};
	return (unsigned)t < CSP_DOC__MAX ? labels[t] : N_("Other document");
}

const char *
csp_document_sniff(const unsigned char *head, size_t n)
{
	if (n >= 5 && memcmp(head, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 8 && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
		return "image/jpeg";
	return NULL;
}

const char *const csp_questions[CSP_QUESTIONS] = {
    N_("What is your company's main business activity?"),
    N_("How many employees does your company have?"),
    N_("Which customers will you serve as a cloud solution provider (countries, sizes, industries)?"),
};

bool
csp_agreement_version_ok(const char *version)
{
	size_t n = version ? strlen(version) : 0;
	if (n == 0 || n > 40 || !isalnum((unsigned char)version[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)version[i];
		if (!isalnum(c) && c != '-' && c != '.')
			return false;
	}
	return true;
}

/* Street words and their usual abbreviation (USPS Publication 28, and
 * the French ones D&B and La Poste use). */
static const char *const street_words[][2] = {
    {"STREET", "ST"},    {"AVENUE", "AVE"},   {"AV", "AVE"},       {"ROAD", "RD"},
    {"BOULEVARD", "BLVD"}, {"BD", "BLVD"},    {"DRIVE", "DR"},     {"LANE", "LN"},
    {"COURT", "CT"},     {"PLACE", "PL"},     {"SQUARE", "SQ"},    {"PARKWAY", "PKWY"},
    {"HIGHWAY", "HWY"},  {"TERRACE", "TER"},  {"SUITE", "STE"},    {"APARTMENT", "APT"},
    {"FLOOR", "FL"},     {"BUILDING", "BLDG"}, {"NORTH", "N"},     {"SOUTH", "S"},
    {"EAST", "E"},       {"WEST", "W"},       {"NORTHEAST", "NE"}, {"NORTHWEST", "NW"},
    {"SOUTHEAST", "SE"}, {"SOUTHWEST", "SW"}, {"SAINT", "ST"},     {"STRASSE", "STR"},
};

/* Upper-case ASCII of a UTF-8 Latin-1 letter with an accent ("é" → 'E'),
 * or 0. */
static char
unaccent(unsigned char b0, unsigned char b1)
{
	if (b0 != 0xC3)
		return 0;
	static const char map[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsAAAAAAACEEEEIIIIDNOOOOO/OUUUUYTY";
	if (b1 < 0x80 || b1 > 0xBF)
		return 0;
	char c = map[b1 - 0x80];
	return (c >= 'A' && c <= 'Z') ? c : 0;
}

/* The words of s, upper-case ASCII, each abbreviated, separated by one
 * space, in out (at most outsz - 1 bytes, cut beyond). "ß" counts as SS. */
static void
address_words(const char *s, char *out, size_t outsz)
{
	size_t o = 0;
	char word[64];
	size_t w = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	for (;;) {
		char c = 0;
		int extra = 0;
		if (*p && isalnum(*p))
			c = (char)toupper(*p);
		else if (p[0] == 0xC3 && p[1] == 0x9F) {
			c = 'S';
			extra = 1;
			if (w + 1 < sizeof(word))
				word[w++] = 'S';
		} else if (p[0] && p[1] && (c = unaccent(p[0], p[1])) != 0)
			extra = 1;
		if (c) {
			if (w + 1 < sizeof(word))
				word[w++] = c;
			p += 1 + extra;
			continue;
		}
		if (w) {
			word[w] = '\0';
			const char *put = word;
			for (size_t i = 0; i < sizeof(street_words) / sizeof(*street_words); i++)
				if (strcmp(word, street_words[i][0]) == 0)
					put = street_words[i][1];
			size_t len = strlen(put);
			if (o && o + 1 < outsz)
				out[o++] = ' ';
			for (size_t i = 0; i < len && o + 1 < outsz; i++)
				out[o++] = put[i];
			w = 0;
		}
		if (*p == '\0')
			break;
		p++;
	}
	out[o < outsz ? o : outsz - 1] = '\0';
}

/* The postal code's letters and digits, upper-case; a US ZIP+4 as its ZIP. */
static void
postal_key(const char *s, const char *country, char *out, size_t outsz)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && o + 1 < outsz; p++)
		if (isalnum(*p))
			out[o++] = (char)toupper(*p);
	if (country && strcmp(country, "US") == 0 && o > 5)
		o = 5;
	out[o] = '\0';
}

bool
csp_address_matches(const struct csp_address *a, const struct csp_address *b)
{
	if (a->country == NULL || b->country == NULL || strcasecmp(a->country, b->country) != 0)
		return false;
	char x[256], y[256];
	address_words(a->line1, x, sizeof(x));
	address_words(b->line1, y, sizeof(y));
	if (*x == '\0' || strcmp(x, y) != 0)
		return false;
	address_words(a->city, x, sizeof(x));
	address_words(b->city, y, sizeof(y));
	if (*x == '\0' || strcmp(x, y) != 0)
		return false;
	postal_key(a->postal_code, a->country, x, sizeof(x));
	postal_key(b->postal_code, b->country, y, sizeof(y));
	return strcmp(x, y) == 0;
}

enum csp_mail_kind
csp_mail_kind_of(const struct csp_transition *t)
{
	if (t == NULL)
		return CSP_MAIL_NONE;
	if (t->request == CSP_ASKS_DOCUMENT)
		return CSP_MAIL_DOCUMENT;
	if (t->request == CSP_ASKS_QUESTIONNAIRE)
		return CSP_MAIL_QUESTIONNAIRE;
	if (t->action == CSP_SUBMIT)
		return CSP_MAIL_SUBMITTED;
	if (t->to == CSP_APPROVED)
		return CSP_MAIL_APPROVED;
	if (t->to == CSP_REJECTED)
		return CSP_MAIL_REJECTED;
	return CSP_MAIL_NONE;
}

const char *
csp_mail_code(enum csp_mail_kind k)
{
	static const char *const codes[CSP_MAIL__MAX] = {"",         "submitted", "document",
	                                                 "questionnaire", "approved", "rejected"};
	return (unsigned)k < CSP_MAIL__MAX ? codes[k] : "";
}

const char *
csp_mail_subject(enum csp_mail_kind k)
{
	static const char *const subjects[CSP_MAIL__MAX] = {
	    "",
	    N_("CSP application received: {1}"),
	    N_("Document needed for your CSP application: {1}"),
	    N_("Questionnaire to answer for your CSP application: {1}"),
	    N_("CSP application approved: {1}"),
	    N_("CSP application rejected: {1}")};
	return (unsigned)k < CSP_MAIL__MAX ? subjects[k] : "";
}

enum csp_wait
csp_waiting(enum csp_status s, enum csp_request pending)
{
	if (csp_next(s, CSP_ACCEPT_AGREEMENT, pending))
		return CSP_WAIT_AGREEMENT;
	if (pending == CSP_ASKS_DOCUMENT && csp_next(s, CSP_SEND_DOCUMENT, pending))
		return CSP_WAIT_DOCUMENT;
	if (pending == CSP_ASKS_QUESTIONNAIRE && csp_next(s, CSP_ANSWER_QUESTIONNAIRE, pending))
		return CSP_WAIT_QUESTIONNAIRE;
	return CSP_WAIT_NONE;
}
