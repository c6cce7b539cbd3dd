/* USPS Addresses API v3 address validation (GET /addresses/v3/address,
 * research/duns_address.md §2.2) over the addresses fixture (CONTRACT §6),
 * as strict as the real service: only the documented parameters, none
 * empty; for the US a state code in capitals, a 5-digit ZIPCode, a 4-digit
 * ZIPPlus4 with it. Several rows for one entry are a 400 ("multiple
 * addresses"), the fixture's dpv column the DPVConfirmation.
 *
 * Extension: country= (ISO alpha-2, other than US; absent = US) selects the
 * fixture rows of another country, so that addresses outside the US can be
 * "validated" the same way (the real service is US-only); the US formats
 * of state, ZIPCode and ZIPPlus4 are not checked for them. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/us_postal.h"
#include "sim/sim.h"

/* Secondary unit designators (USPS Pub 28 appendix C2), as
 * sim_street_word abbreviates them; '#' compares as UNIT. */
static bool
unit_word(const char *w)
{
	static const char *const units[] = {"APT", "STE", "UNIT", "FL",  "RM", "BLDG", "DEPT",
	                                    "LOT", "SPC", "TRLR", "OFC", "PH", "BSMT", NULL};
	for (const char *const *u = units; *u; u++)
		if (strcmp(*u, w) == 0)
			return true;
	return false;
}

/* Splits a street (text or key) before its first unit designator that is
 * not its first word: primary gets the words before, unit the rest ("" when
 * there is none). Both keep the spelling of text. */
static void
split_unit(const char *text, char *primary, size_t plen, char *unit, size_t ulen)
{
	const char *p = text, *cut = NULL;
	for (bool first = true; *p && cut == NULL; first = false) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n == 0)
			break;
		char word[SIM_FIELD], key[SIM_FIELD];
		snprintf(word, sizeof(word), "%.*s", (int)(n < SIM_FIELD - 1 ? n : SIM_FIELD - 1),
		         p);
		sim_street_key(word, key, sizeof(key));
		key[strcspn(key, " ")] = '\0';
		if (!first && unit_word(key))
			cut = p;
		else
			p += n;
	}
	if (cut == NULL) {
		snprintf(primary, plen, "%s", text);
		*unit = '\0';
		return;
	}
	size_t k = (size_t)(cut - text);
	while (k && text[k - 1] == ' ')
		k--;
	snprintf(primary, plen, "%.*s", (int)k, text);
	snprintf(unit, ulen, "%s", cut);
}

/* Two unit keys name the same unit when what follows the designator
 * agrees ("STE 2000", "UNIT 2000" from "# 2000"). */
static bool
same_unit(const char *a, const char *b)
{
	const char *ra = strchr(a, ' '), *rb = strchr(b, ' ');
	return ra && rb ? strcmp(ra, rb) == 0 : strcmp(a, b) == 0;
}

struct query {
	char primary[SIM_FIELD], unit[SIM_FIELD], city[SIM_FIELD], region[SIM_FIELD], zip[32],
	    plus4[8];
};

/* The entered address against one set of columns of a row (keys); the
 * ZIP+4 add-on, when entered, against the row's when it has one. */
static bool
columns_match(const struct query *q, const struct address *ad, const char *street, const char *city,
              const char *region, const char *postal)
{
	char primary[SIM_FIELD], unit[SIM_FIELD];
	split_unit(street, primary, sizeof(primary), unit, sizeof(unit));
	return strcmp(primary, q->primary) == 0 && (!*q->city || strcmp(city, q->city) == 0) &&
	       (!*q->region || strcmp(region, q->region) == 0) &&
	       (!*q->zip || strcmp(postal, q->zip) == 0) &&
	       (!*q->plus4 || !*ad->plus4 || strcmp(ad->plus4, q->plus4) == 0);
}

static const char *const text_22 =
    "Multiple addresses were found for the information you entered, and no default exists.";
static const char *const text_32 =
    "Default address: The address you entered was found but more information is needed (such "
    "as an apartment, suite, or box number) to match to a specific address.";

/* The documented query parameters (research §2.2) and our country=. */
static const char *const address_params[] = {
    "streetAddress", "secondaryAddress", "city",    "state", "ZIPCode", "ZIPPlus4",
    "firm",          "urbanization",     "country", NULL};

static bool
all_digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

/* A 400 naming the parameter at fault. */
static void
invalid(struct sim_response *rs, const char *code, const char *message, const char *parameter)
{
	sim_usps_error(rs, 400, code, message, parameter);
}

/* Checks the request's parameters (research §2.2); false after answering
 * 400 for the first fault found:
 *   every name documented (or country=), none empty;
 *   country=, when present, 2 letters and not US (any case);
 *   streetAddress present; city or ZIPCode present;
 *   for the US only: state one of the USPS codes in capitals
 *   (us_state_code_valid), ZIPCode exactly 5 digits, ZIPPlus4 exactly 4
 *   digits and only with ZIPCode. */
static bool
params_valid(struct sim_response *rs, const char *qs, bool us, const char *country,
             const char *street, const char *city, const char *state, const char *zip,
             const char *plus4)
{
	char bad[64];
	enum sim_param_fault fault = sim_params_check(qs, address_params, bad, sizeof(bad));
	if (fault == PARAM_UNKNOWN)
		invalid(rs, "UNKNOWN_PARAMETER", "Unknown query parameter.", bad);
	else if (fault == PARAM_EMPTY)
		invalid(rs, "EMPTY_PARAMETER", "A query parameter may not be empty.", bad);
	else if (*country && (strlen(country) != 2 || !isalpha((unsigned char)country[0]) ||
	                      !isalpha((unsigned char)country[1]) || us))
		invalid(rs, "INVALID_PARAMETER",
		        "country must be an ISO 3166-1 alpha-2 code other than US (leave it out "
		        "for the US).",
		        "country");
	else if (!*street)
		invalid(rs, "MISSING_PARAMETER", "streetAddress is required.", "streetAddress");
	else if (us && !*state)
		invalid(rs, "MISSING_PARAMETER", "state is required.", "state");
	else if (us && !us_state_code_valid(state))
		invalid(rs, "INVALID_PARAMETER",
		        "state must be a two-letter USPS state code in capitals.", "state");
	else if (!*city && !*zip)
		invalid(rs, "MISSING_PARAMETER", "city or ZIPCode is required.", "city");
	else if (us && *zip && !all_digits(zip, 5))
		invalid(rs, "INVALID_PARAMETER", "ZIPCode must be 5 digits.", "ZIPCode");
	else if (us && *plus4 && !all_digits(plus4, 4))
		invalid(rs, "INVALID_PARAMETER", "ZIPPlus4 must be 4 digits.", "ZIPPlus4");
	else if (us && *plus4 && !*zip)
		invalid(rs, "MISSING_PARAMETER", "ZIPPlus4 needs ZIPCode.", "ZIPCode");
	else
		return true;
	return false;
}

/* The 200 answer for the one row hit (std_* form, research §2.2). */
static void
answer_row(struct sim_response *rs, const struct address *hit, const struct query *q)
{
	/* The std street as street line and unit; the unit keys to compare. */
	char std_primary[SIM_FIELD], std_unit[SIM_FIELD], key_primary[SIM_FIELD],
	    key_unit[SIM_FIELD];
	split_unit(hit->std_street, std_primary, sizeof(std_primary), std_unit, sizeof(std_unit));
	split_unit(hit->key_std_street, key_primary, sizeof(key_primary), key_unit,
	           sizeof(key_unit));
	const char *dpv = "Y", *secondary_out = q->unit;
	bool default_address = false;
	if (*key_unit) {
		default_address = !*q->unit || !same_unit(q->unit, key_unit);
		dpv = !*q->unit ? "D" : default_address ? "S" : "Y";
		secondary_out = default_address ? "" : std_unit;
	}
	if (strcmp(hit->dpv, "Y") != 0) /* the fixture's D, S or N wins over a Y */
		dpv = hit->dpv;
	/* A US ZIP+4 (NNNNN-NNNN) goes to ZIPCode and ZIPPlus4. */
	char zip5[32], plus4[5] = "";
	if (strcmp(hit->country, "US") != 0 || !us_zip_split(hit->std_postal, zip5, plus4))
		snprintf(zip5, sizeof(zip5), "%s", hit->std_postal);
	char delivery_point[4];
	snprintf(delivery_point, sizeof(delivery_point), "%02d", atoi(std_primary) % 100);
	json_t *corrections = json_array(), *matches = json_array();
	if (default_address)
		json_array_append_new(corrections,
		                      json_pack("{s:s, s:s}", "code", "32", "text", text_32));
	else
		json_array_append_new(matches, json_pack("{s:s, s:s}", "code", "31", "text",
		                                         "Single Response - exact match"));
	sim_json(rs, 200,
	         json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}, "
	                   "s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s}, s:o, s:o}",
	                   "firm", "", "address", "streetAddress", std_primary,
	                   "streetAddressAbbreviation", std_primary, "secondaryAddress",
	                   secondary_out, "city", hit->std_city, "cityAbbreviation", hit->std_city,
	                   "state", hit->std_region, "ZIPCode", zip5, "ZIPPlus4", plus4,
	                   "urbanization", "", "additionalInfo", "deliveryPoint", delivery_point,
	                   "carrierRoute", "C001", "DPVConfirmation", dpv, "DPVCMRA", "N",
	                   "business", "Y", "centralDeliveryPoint", "N", "vacant", "N",
	                   "corrections", corrections, "matches", matches));
}

/* GET /addresses/v3/address (research §2.2), parameters as params_valid
 * checks them. The entry matches a row of its country when its street
 * (without unit), city, state and ZIP Code, those given, equal the row's
 * first columns or its std_* columns (keys: case, spacing, punctuation and
 * Pub 28 abbreviations ignored; the row's ZIP+4 compares on its ZIP, and
 * its add-on with ZIPPlus4 when both have one). One row: 200 with the
 * std_* form and
 *   matches 31 "Single Response - exact match", or, when the std street
 *   has a unit (APT, STE, UNIT, #…) and the entry none or another one,
 *   corrections 32 (default address; DPVConfirmation D, or S for a unit
 *   that is not the row's);
 *   DPVConfirmation: the row's dpv column when it is D, S or N, else the
 *   unit rule's (Y by default);
 * several rows: 400 "Multiple addresses were found …" (the message of code
 * 22); none: 404 "Address Not Found.". Every error in the USPS envelope. */
void
usps_address(const struct sim_request *rq, struct sim_response *rs)
{
	sim_count(C_USPS_ADDRESS);
	const char *qs = rq->query;
	char *street = sim_param_s(qs, "streetAddress"),
	     *secondary = sim_param_s(qs, "secondaryAddress"), *city = sim_param_s(qs, "city"),
	     *state = sim_param_s(qs, "state"), *zip = sim_param_s(qs, "ZIPCode"),
	     *plus4 = sim_param_s(qs, "ZIPPlus4"), *country = sim_param_s(qs, "country");
	bool us = !*country || strcasecmp(country, "US") == 0;
	if (!params_valid(rs, qs, us, country, street, city, state, zip, plus4))
		goto out;
	struct query q;
	char skey[SIM_FIELD];
	sim_street_key(street, skey, sizeof(skey));
	split_unit(skey, q.primary, sizeof(q.primary), q.unit, sizeof(q.unit));
	if (*secondary)
		sim_street_key(secondary, q.unit, sizeof(q.unit));
	sim_normalise(city, q.city, sizeof(q.city));
	sim_normalise(state, q.region, sizeof(q.region));
	sim_postal_key(zip, q.zip, sizeof(q.zip));
	snprintf(q.plus4, sizeof(q.plus4), "%s", us ? plus4 : "");
	const char *cc = us ? "US" : country;
	const struct address *hit = NULL;
	int hits = 0;
	for (size_t i = 0; i < sim_naddresses; i++) {
		const struct address *ad = &sim_addresses[i];
		if (strcasecmp(ad->country, cc) != 0)
			continue;
		if (columns_match(&q, ad, ad->key_street, ad->key_city, ad->key_region,
		                  ad->key_postal) ||
		    columns_match(&q, ad, ad->key_std_street, ad->key_std_city, ad->key_std_region,
		                  ad->key_std_postal)) {
			hit = hit ? hit : ad;
			hits++;
		}
	}
	if (hits == 0)
		sim_usps_error(rs, 404, "ADDRESS_NOT_FOUND", "Address Not Found.", NULL);
	else if (hits > 1)
		sim_usps_error(rs, 400, "MULTIPLE_ADDRESSES", text_22, NULL);
	else
		answer_row(rs, hit, &q);
out:
	free(street);
	free(secondary);
	free(city);
	free(state);
	free(zip);
	free(plus4);
	free(country);
}
