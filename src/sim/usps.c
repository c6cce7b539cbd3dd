/* USPS Addresses API v3 address validation (GET /addresses/v3/address,
 * research/duns_address.md §2.2) over the addresses fixture (CONTRACT §6).
 *
 * Extension: country= (ISO alpha-2, default US) selects the fixture rows of
 * another country, so that addresses outside the US can be "validated" the
 * same way (the real service is US-only). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	char primary[SIM_FIELD], unit[SIM_FIELD], city[SIM_FIELD], region[SIM_FIELD], zip[32];
};

/* The entered address against one set of columns of a row (keys). */
static bool
columns_match(const struct query *q, const char *street, const char *city, const char *region,
              const char *postal)
{
	char primary[SIM_FIELD], unit[SIM_FIELD];
	split_unit(street, primary, sizeof(primary), unit, sizeof(unit));
	return strcmp(primary, q->primary) == 0 && (!*q->city || strcmp(city, q->city) == 0) &&
	       (!*q->region || strcmp(region, q->region) == 0) &&
	       (!*q->zip || strcmp(postal, q->zip) == 0);
}

static const char *const text_22 =
    "Multiple addresses were found for the information you entered, and no default exists.";
static const char *const text_32 =
    "Default address: The address you entered was found but more information is needed (such "
    "as an apartment, suite, or box number) to match to a specific address.";

/* GET /addresses/v3/address (research §2.2). The entry matches a row when
 * its street (without unit), city, state and ZIP Code, those given,
 * equal the row's first columns or its std_* columns (keys: case,
 * spacing, punctuation and Pub 28 abbreviations ignored; ZIP+4 compares
 * on the ZIP). One row: 200 with the std_* form and
 *   matches 31 "Single Response - exact match", or, when the std street
 *   has a unit (APT, STE, UNIT, #…) and the entry none or another one,
 *   corrections 32 (default address; DPVConfirmation D, or S for a unit
 *   that is not the row's);
 * several rows: 200 with matches 22; none: 404 "Address Not Found.";
 * no streetAddress, or neither city nor ZIPCode: 400. */
void
usps_address(const struct sim_request *rq, struct sim_response *rs)
{
	sim_count(C_USPS_ADDRESS);
	const char *qs = rq->query;
	char *street = sim_param_s(qs, "streetAddress"),
	     *secondary = sim_param_s(qs, "secondaryAddress"), *city = sim_param_s(qs, "city"),
	     *state = sim_param_s(qs, "state"), *zip = sim_param_s(qs, "ZIPCode"),
	     *country = sim_param_s(qs, "country");
	if (*street == '\0' || (*city == '\0' && *zip == '\0')) {
		sim_usps_error(rs, 400, "streetAddress and city or ZIPCode are required.");
		goto out;
	}
	if (*country && strlen(country) != 2) {
		sim_usps_error(rs, 400, "country must be an ISO 3166-1 alpha-2 code.");
		goto out;
	}
	struct query q;
	char skey[SIM_FIELD];
	sim_street_key(street, skey, sizeof(skey));
	split_unit(skey, q.primary, sizeof(q.primary), q.unit, sizeof(q.unit));
	if (*secondary)
		sim_street_key(secondary, q.unit, sizeof(q.unit));
	sim_normalise(city, q.city, sizeof(q.city));
	sim_normalise(state, q.region, sizeof(q.region));
	sim_postal_key(zip, q.zip, sizeof(q.zip));
	const char *cc = *country ? country : "US";
	const struct address *hit = NULL;
	int hits = 0;
	for (size_t i = 0; i < sim_naddresses; i++) {
		const struct address *ad = &sim_addresses[i];
		if (strcasecmp(ad->country, cc) != 0)
			continue;
		if (columns_match(&q, ad->key_street, ad->key_city, ad->key_region,
		                  ad->key_postal) ||
		    columns_match(&q, ad->key_std_street, ad->key_std_city, ad->key_std_region,
		                  ad->key_std_postal)) {
			hit = hit ? hit : ad;
			hits++;
		}
	}
	if (hits == 0) {
		sim_usps_error(rs, 404, "Address Not Found.");
		goto out;
	}
	if (hits > 1) {
		sim_json(rs, 200,
		         json_pack("{s:s, s:{}, s:{}, s:[], s:[{s:s, s:s}]}", "firm", "", "address",
		                   "additionalInfo", "corrections", "matches", "code", "22", "text",
		                   text_22));
		goto out;
	}
	/* The std street as street line and unit; the unit keys to compare. */
	char std_primary[SIM_FIELD], std_unit[SIM_FIELD], key_primary[SIM_FIELD],
	    key_unit[SIM_FIELD];
	split_unit(hit->std_street, std_primary, sizeof(std_primary), std_unit, sizeof(std_unit));
	split_unit(hit->key_std_street, key_primary, sizeof(key_primary), key_unit,
	           sizeof(key_unit));
	const char *dpv = "Y", *secondary_out = q.unit;
	bool default_address = false;
	if (*key_unit) {
		default_address = !*q.unit || !same_unit(q.unit, key_unit);
		dpv = !*q.unit ? "D" : default_address ? "S" : "Y";
		secondary_out = default_address ? "" : std_unit;
	}
	/* ZIP+4 in the std postal code (NNNNN-NNNN) goes to ZIPPlus4. */
	char zip5[32], plus4[32] = "";
	snprintf(zip5, sizeof(zip5), "%s", hit->std_postal);
	if (strlen(zip5) == 10 && zip5[5] == '-' && strspn(zip5, "0123456789") == 5) {
		snprintf(plus4, sizeof(plus4), "%s", zip5 + 6);
		zip5[5] = '\0';
	}
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
out:
	free(street);
	free(secondary);
	free(city);
	free(state);
	free(zip);
	free(country);
}
