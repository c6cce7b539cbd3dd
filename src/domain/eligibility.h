/* CSP markets, customers, offers and the eligibility check (DOMAIN §4,
 * CONTRACT "CSP market and eligibility"). Pure: the caller gathers the
 * facts (the CSP regions through domain/profiles.h's table, the offer's
 * countries, the domains of the partner's tenant). */
#ifndef PD_DOMAIN_ELIGIBILITY_H
#define PD_DOMAIN_ELIGIBILITY_H
#include <stdbool.h>
#include <stddef.h>

/* What a customer is to the CSP: an end customer, or one of its affiliates
 * (a CSP may not sell to those, DOMAIN §4). */
enum customer_relationship { CUSTOMER_REL_CUSTOMER, CUSTOMER_REL_AFFILIATE, CUSTOMER_REL__MAX };
/* "customer" / "affiliate"; "" out of range. */
const char *customer_relationship_code(enum customer_relationship r);
int customer_relationship_parse(const char *s); /* -1 when unknown */
const char *customer_relationship_label(enum customer_relationship r); /* msgid */
/* The codes of the form's choices, NULL-terminated. */
extern const char *const customer_relationship_codes[];

/* A customer's tenant domain: lower-case labels of letters, digits and
 * inner dashes (1–63 each), at least two, a top-level label that is not
 * all digits, at most 253 characters; an upper-case domain or one with a
 * final dot is written lower-case without the dot into out (at least
 * strlen(domain) + 1 bytes). False when it is not a domain. */
#define TENANT_DOMAIN_MAX 253
bool tenant_domain_normalize(const char *domain, char *out, size_t outlen);
/* True when domain is partner_domain or one of its subdomains (both
 * normalised): "eu.contoso.example" belongs to "contoso.example". */
bool tenant_domain_within(const char *domain, const char *partner_domain);

/* ---- offers (CONTRACT §6 Offers) ---- */
/* An offer's countries: every country ("*" in the catalog), or a list of
 * ISO 3166-1 alpha-2 codes. */
struct offer_countries {
	bool               all;
	const char *const *codes;
	size_t             n;
};
bool offer_available_in(const struct offer_countries *o, const char *country);

#define OFFER_ID_MAX        64
#define OFFER_NAME_MAX      200
#define OFFER_COUNTRIES_MAX 300 /* more than ISO 3166-1 has */
/* One data line of the offers file: offer_id, name, countries. */
struct offer_line {
	const char *offer_id, *name;
	bool        all;
	char        codes[OFFER_COUNTRIES_MAX][3]; /* upper-cased, each once */
	size_t      ncodes;
	char        bad_code[8]; /* the code at fault (truncated), for the message */
};
enum offer_line_error {
	OFFER_LINE_OK,
	OFFER_LINE_COLUMNS,       /* not three tab-separated columns */
	OFFER_LINE_ID,            /* offer_id: 1–64 of A-Z a-z 0-9 . _ : - */
	OFFER_LINE_NAME,          /* name empty, too long, or not UTF-8 text */
	OFFER_LINE_COUNTRIES,     /* countries empty, or "*" with codes */
	OFFER_LINE_COUNTRY_CODE,  /* not two letters (bad_code) */
	OFFER_LINE_COUNTRY_TWICE, /* a code listed twice (bad_code) */
	OFFER_LINE_TOO_MANY,      /* more codes than OFFER_COUNTRIES_MAX */
	OFFER_LINE_ERROR__MAX
};
/* Parses line (modified in place: fields point into it). Whether each code
 * is a real country is the caller's check (the ISO table). */
enum offer_line_error offer_line_parse(char *line, struct offer_line *out);
/* What is wrong, in English for the operator (the command line is not translated). */
const char *offer_line_error_message(enum offer_line_error e);
/* An offer ID as the catalog and the query accept it. */
bool offer_id_valid(const char *s);

/* ---- the eligibility check ---- */
enum elig_rule {
	ELIG_NOT_ACTIVE_CSP,               /* the partner is not an active CSP */
	ELIG_CUSTOMER_OUTSIDE_MARKET,      /* the customer's tenant country is outside the CSP's region */
	ELIG_OFFER_NOT_IN_PARTNER_COUNTRY, /* the offer is not sold in the partner's country */
	ELIG_OFFER_NOT_IN_CUSTOMER_COUNTRY,/* nor in the customer's tenant country */
	ELIG_CUSTOMER_IS_PARTNER,          /* the customer's tenant domain is the partner's */
	ELIG_CUSTOMER_IS_AFFILIATE,        /* the customer is an affiliate of the partner */
	ELIG_RULE__MAX
};
#define ELIG_BIT(r) (1u << (r))
/* The stable code of a rule (data-failed-rule), "" out of range. */
const char *elig_rule_code(enum elig_rule r);
int elig_rule_parse(const char *s);

struct elig_facts {
	bool active_csp;             /* the partner's tenant is an active CSP tenant */
	const char *partner_country; /* the country of the CSP location (= the tenant country, DOMAIN §3) */
	const char *const *partner_domains; /* the domains of the partner's tenant */
	size_t npartner_domains;
	const char *customer_country; /* the customer's TENANT country */
	const char *customer_domain;  /* the customer's tenant domain (normalised) */
	enum customer_relationship relationship;
	struct offer_countries offer;
};
/* Every rule that fails, as ELIG_BIT()s; 0 means eligible. The market is
 * the CSP region of partner_country (csp_region_of), checked whether or
 * not the partner is active yet, so that every rule to fix is listed at
 * once; a country in no region has an empty market. */
unsigned elig_check(const struct elig_facts *f);

/* ---- the market page ---- */
/* True when the search q (trimmed; empty matches everything) is the
 * country's code, or a part of its name, letters compared without case or
 * accents ("etats" finds "États-Unis"). */
bool csp_market_match(const char *q, const char *code, const char *name);
#endif
