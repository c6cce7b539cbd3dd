/* D&B Direct+ identity resolution (GET /v1/match/cleanseMatch) and data
 * blocks (GET /v1/data/duns/{duns}) over the companies fixture
 * (research/duns_address.md §1.2–§1.5; CONTRACT §6). A company whose name
 * column is empty is answered with "primaryName": null (D+ strings may be
 * null) and found by the named companies at its address. cleanseMatch
 * refuses what D+ refuses (400 10002 with errorDetails): an unknown
 * parameter, a country that is not 2 uppercase letters, no name (nor
 * DUNS, phone or registration number), a candidateMaximumQuantity out of
 * 1–25. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/sim.h"

static const char *
country_name(const char *code)
{
	static const char *const names[][2] = {
	    {"US", "United States"},  {"FR", "France"},       {"DE", "Germany"},
	    {"GB", "United Kingdom"}, {"CA", "Canada"},       {"BR", "Brazil"},
	    {"JP", "Japan"},          {"ZA", "South Africa"}, {"IN", "India"},
	    {"BE", "Belgium"},        {"ES", "Spain"},        {"IT", "Italy"},
	    {"NL", "Netherlands"},    {"CH", "Switzerland"},  {"AU", "Australia"},
	    {"MX", "Mexico"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(names[i][0], code) == 0)
			return names[i][1];
	return code;
}

/* The organization object of a candidate (research §1.3) or, with full,
 * of a data block (§1.4, which adds the registration and industry lists).
 * Out of business: operatingStatus "Out of business", dnbCode 403;
 * active: "Active", 9074. No name: primaryName null. */
static json_t *
organization(const struct company *c, bool full)
{
	json_t *o = json_pack(
	    "{s:s, s:{s:{s:s, s:i}, s:b, s:b}, s:s?, s:[], s:[], s:[], "
	    "s:{s:{s:s, s:s}, s:{s:s}, s:{s:n, s:s?}, s:s, s:n, s:{s:s, s:n}}}",
	    "duns", c->duns, "dunsControlStatus", "operatingStatus", "description",
	    c->active ? "Active" : "Out of business", "dnbCode", c->active ? 9074 : 403,
	    "isMarketable", c->active, "isMailUndeliverable", 0, "primaryName",
	    *c->name ? c->name : NULL, "tradeStyleNames", "websiteAddress", "telephone",
	    "primaryAddress", "addressCountry", "isoAlpha2Code", c->country, "name",
	    country_name(c->country), "addressLocality", "name", c->city, "addressRegion", "name",
	    "abbreviatedName", *c->region ? c->region : NULL, "postalCode", c->postal,
	    "postalCodeExtension", "streetAddress", "line1", c->street, "line2");
	if (full) {
		json_object_set_new(o, "countryISOAlpha2Code", json_string(c->country));
		json_object_set_new(o, "registrationNumbers", json_array());
		json_object_set_new(o, "industryCodes", json_array());
		json_object_set_new(o, "isStandalone", json_true());
	}
	return o;
}

/* research §1.3: one letter per component in this order; A same,
 * B similar, F different, Z missing. */
static const char *const grade_components[11] = {
    "Name",  "Street Number", "Street Name", "City",       "State", "PO Box",
    "Phone", "Postal Code",   "Density",     "Uniqueness", "SIC"};
enum { G_NAME, G_STREET_NO, G_STREET_NAME, G_CITY, G_STATE, G_PHONE = 6, G_POSTAL };

static json_t *
match_quality(int confidence, const char *grade, double name_score)
{
	json_t *comps = json_array();
	for (int i = 0; i < 11; i++) {
		char r[2] = {grade[i], 0};
		json_array_append_new(comps, json_pack("{s:s, s:s}", "componentType",
		                                       grade_components[i], "componentRating", r));
	}
	return json_pack("{s:i, s:s, s:i, s:o, s:f}", "confidenceCode", confidence, "matchGrade",
	                 grade, "matchGradeComponentsCount", 11, "matchGradeComponents", comps,
	                 "nameMatchScore", name_score);
}

/* Words of a in b (count), and the word counts of a and b. */
static void
word_overlap(const char *a, const char *b, int *common, int *na, int *nb)
{
	char ab[SIM_FIELD], bb[SIM_FIELD];
	snprintf(bb, sizeof(bb), "%s", b);
	*common = *na = *nb = 0;
	for (char *s = NULL, *w = strtok_r(bb, " ", &s); w; w = strtok_r(NULL, " ", &s))
		(*nb)++;
	snprintf(ab, sizeof(ab), "%s", a);
	for (char *s = NULL, *w = strtok_r(ab, " ", &s); w; w = strtok_r(NULL, " ", &s)) {
		(*na)++;
		snprintf(bb, sizeof(bb), "%s", b);
		for (char *s2 = NULL, *x = strtok_r(bb, " ", &s2); x; x = strtok_r(NULL, " ", &s2))
			if (strcmp(w, x) == 0) {
				(*common)++;
				break;
			}
	}
}

/* A same, B one holds all the words of the other, F different, Z not given. */
static char
grade(const char *given, const char *have)
{
	if (*given == '\0')
		return 'Z';
	if (strcmp(given, have) == 0)
		return 'A';
	int common, ng, nh;
	word_overlap(given, have, &common, &ng, &nh);
	return common > 0 && (common == ng || common == nh) ? 'B' : 'F';
}

/* Splits a street key into its number (first word, when it has a digit)
 * and the rest. */
static void
split_street(const char *key, char *no, size_t nolen, const char **name)
{
	size_t n = strcspn(key, " ");
	if (strpbrk(key, "0123456789") && strpbrk(key, "0123456789") < key + n) {
		snprintf(no, nolen, "%.*s", (int)n, key);
		*name = key[n] ? key + n + 1 : "";
	} else {
		*no = '\0';
		*name = key;
	}
}

struct candidate {
	const struct company *c;
	int confidence;
	double name_score;
	char grade[12];
};

static int
by_confidence(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	if (x->confidence != y->confidence)
		return y->confidence - x->confidence;
	int r = strcmp(x->c->name, y->c->name);
	return r ? r : strcmp(x->c->duns, y->c->duns);
}

/* Grades the address of company c against the query keys into g (street
 * number and name, city, state, postal code) and returns its confidence
 * points: street +1 when number and name agree, −1 when either differs;
 * city, postal code: +1 when it agrees, −1 when it differs; what the query
 * does not give counts 0; region only grades. */
static int
address_points(const struct company *c, const char *qstreet, const char *qcity, const char *qregion,
               const char *qpostal, char g[12])
{
	char qno[32], cno[32];
	const char *qsn, *csn;
	split_street(qstreet, qno, sizeof(qno), &qsn);
	split_street(c->key_street, cno, sizeof(cno), &csn);
	g[G_STREET_NO] = grade(qno, cno);
	g[G_STREET_NAME] = grade(qsn, csn);
	g[G_CITY] = grade(qcity, c->key_city);
	g[G_STATE] = grade(qregion, c->key_region);
	g[G_POSTAL] = grade(qpostal, c->key_postal);
	int points = 0;
	if (g[G_STREET_NO] == 'A' && g[G_STREET_NAME] == 'A')
		points++;
	else if (g[G_STREET_NO] == 'F' || g[G_STREET_NAME] == 'F')
		points--;
	points += (g[G_CITY] == 'A') - (g[G_CITY] == 'F');
	points += (g[G_POSTAL] == 'A') - (g[G_POSTAL] == 'F');
	return points;
}

static int
clamp_confidence(int conf)
{
	return conf < 1 ? 1 : conf > 10 ? 10 : conf;
}

/* Scores company c against the query keys (all normalised like the
 * fixture's); false when no name word is shared.
 * Confidence 1–10 (research §1.3 scale, our rule, CONTRACT §6):
 *   name: 7 × shared name words / words of the longer name, rounded
 *         (legal forms such as INC or GMBH are not words here);
 *   plus the address points (address_points).
 * So an exact name alone scores 7 and with street, city and postal code
 * 10; one word of three shared scores 2. */
static bool
score(const struct company *c, const char *qname, const char *qstreet, const char *qcity,
      const char *qregion, const char *qpostal, struct candidate *out)
{
	int common, nq, nc;
	word_overlap(qname, c->key_name, &common, &nq, &nc);
	if (common == 0)
		return false;
	double share = (double)common / (nq > nc ? nq : nc);
	char g[12] = "ZZZZZZZZZZZ";
	g[G_NAME] = common == nq && common == nc ? 'A' : 'B';
	int conf =
	    (int)(7.0 * share + 0.5) + address_points(c, qstreet, qcity, qregion, qpostal, g);
	out->c = c;
	out->confidence = clamp_confidence(conf);
	out->name_score = (double)(int)(1000.0 * share + 0.5) / 10.0;
	memcpy(out->grade, g, sizeof(g));
	return true;
}

/* A company without a name (primaryName null) is found with the named
 * candidates at its address: same country, street, city and postal code
 * (keys) as one of the n candidates in cands (our rule: D+ returns the
 * other records of a matched location). Name grade Z, name score 0,
 * confidence the address points alone (at least 1). */
static bool
score_nameless(const struct company *c, const struct candidate *cands, size_t n,
               const char *qstreet, const char *qcity, const char *qregion, const char *qpostal,
               struct candidate *out)
{
	bool located = false;
	for (size_t i = 0; i < n && !located; i++) {
		const struct company *o = cands[i].c;
		located = *o->key_name && strcmp(o->country, c->country) == 0 &&
		          strcmp(o->key_street, c->key_street) == 0 &&
		          strcmp(o->key_city, c->key_city) == 0 &&
		          strcmp(o->key_postal, c->key_postal) == 0;
	}
	if (!located)
		return false;
	char g[12] = "ZZZZZZZZZZZ";
	int conf = address_points(c, qstreet, qcity, qregion, qpostal, g);
	out->c = c;
	out->confidence = clamp_confidence(conf);
	out->name_score = 0;
	memcpy(out->grade, g, sizeof(g));
	return true;
}

static bool
is_duns(const char *s)
{
	return strlen(s) == 9 && strspn(s, "0123456789") == 9;
}

/* An integer parameter within [lo, hi]; def when absent; false when
 * empty, not a number or out of range. */
static bool
int_param(const char *qs, const char *name, long lo, long hi, long def, long *out)
{
	char *v = sim_param(qs, name), *end;
	*out = def;
	if (v == NULL)
		return true;
	long n = strtol(v, &end, 10);
	bool ok = *v != '\0' && *end == '\0' && n >= lo && n <= hi;
	free(v);
	if (ok)
		*out = n;
	return ok;
}

static json_t *
inquiry_detail(const char *name, const char *country, const char *street, const char *city,
               const char *region, const char *postal, long max)
{
	json_t *addr = json_pack("{s:s}", "countryISOAlpha2Code", country);
	if (*street)
		json_object_set_new(addr, "streetAddressLine", json_pack("{s:s}", "line1", street));
	if (*city)
		json_object_set_new(addr, "addressLocality", json_string(city));
	if (*region)
		json_object_set_new(addr, "addressRegion", json_string(region));
	if (*postal)
		json_object_set_new(addr, "postalCode", json_string(postal));
	return json_pack("{s:s, s:o, s:I}", "name", name, "address", addr,
	                 "candidateMaximumQuantity", (json_int_t)max);
}

/* The query parameters of cleanseMatch (research §1.2); any other → 400. */
static const char *const match_params[] = {"name",
                                           "countryISOAlpha2Code",
                                           "streetAddressLine1",
                                           "streetAddressLine2",
                                           "addressLocality",
                                           "addressRegion",
                                           "postalCode",
                                           "telephoneNumber",
                                           "registrationNumber",
                                           "registrationNumberType",
                                           "duns",
                                           "url",
                                           "email",
                                           "candidateMaximumQuantity",
                                           "confidenceLowerLevelThresholdValue",
                                           "isCleanseAndStandardizeInformationRequired",
                                           "exclusionCriteria",
                                           "inLanguage",
                                           "customerReference",
                                           "customerBillingEndorsement",
                                           NULL};

static bool
is_country_code(const char *s)
{
	return strlen(s) == 2 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]);
}

/* The 400 10002 of a refused cleanseMatch, naming what is at fault
 * (research §1.5). */
static void
invalid_parameter(struct sim_response *rs, const char *parameter)
{
	sim_dnb_error(rs, 400, "10002", "Invalid parameters.", parameter);
}

/* GET /v1/match/cleanseMatch?duns= (matchDataCriteria "DUNS Number
 * Lookup"): 200 with the one company, 404 20502 when unknown, 400 10002
 * when not 9 digits. */
static void
match_by_duns(struct sim_response *rs, const char *duns)
{
	if (!is_duns(duns)) {
		invalid_parameter(rs, "duns");
		return;
	}
	const struct company *hit = NULL;
	for (size_t i = 0; i < sim_ncompanies && !hit; i++)
		if (strcmp(sim_companies[i].duns, duns) == 0)
			hit = &sim_companies[i];
	if (hit == NULL) {
		sim_dnb_error(rs, 404, "20502", "No Match found for the given input criteria.",
		              NULL);
		return;
	}
	json_t *cand = json_pack("{s:i, s:o, s:o}", "displaySequence", 1, "organization",
	                         organization(hit, false), "matchQualityInformation",
	                         match_quality(10, "ZZZZZZZZZAZ", 100.0));
	sim_json(rs, 200,
	         json_pack("{s:o, s:{s:s}, s:i, s:s, s:[o]}", "transactionDetail",
	                   sim_transaction_detail(), "inquiryDetail", "duns", duns,
	                   "candidatesMatchedQuantity", 1, "matchDataCriteria",
	                   "DUNS Number Lookup", "matchCandidates", cand));
}

/* The lookup of cleanseMatch by name (qname: its key) and address in
 * country (parameters checked): 200 with the candidates by confidence, at
 * most max, none under floor; 404 20502 when there is none. */
static void
match_by_name(struct sim_response *rs, const char *qs, const char *name, const char *qname,
              const char *country, long max, long floor)
{
	char *street = sim_param_s(qs, "streetAddressLine1"),
	     *city = sim_param_s(qs, "addressLocality"), *region = sim_param_s(qs, "addressRegion"),
	     *postal = sim_param_s(qs, "postalCode"), *excl = sim_param_s(qs, "exclusionCriteria");
	char qstreet[SIM_FIELD], qcity[SIM_FIELD], qregion[SIM_FIELD], qpostal[32];
	sim_street_key(street, qstreet, sizeof(qstreet));
	sim_normalise(city, qcity, sizeof(qcity));
	sim_normalise(region, qregion, sizeof(qregion));
	sim_postal_key(postal, qpostal, sizeof(qpostal));
	bool skip_oob = strcasestr(excl, "ExcludeOutofBusiness") != NULL;
	struct candidate *cands = calloc(sim_ncompanies + 1, sizeof(*cands));
	size_t n = 0;
	for (size_t i = 0; *qname && i < sim_ncompanies; i++) {
		const struct company *c = &sim_companies[i];
		if (strcmp(c->country, country) != 0 || (skip_oob && !c->active))
			continue;
		if (score(c, qname, qstreet, qcity, qregion, qpostal, &cands[n]) &&
		    cands[n].confidence >= floor)
			n++;
	}
	for (size_t i = 0, named = n; i < sim_ncompanies; i++) {
		const struct company *c = &sim_companies[i];
		if (*c->name || strcmp(c->country, country) != 0 || (skip_oob && !c->active))
			continue;
		if (score_nameless(c, cands, named, qstreet, qcity, qregion, qpostal, &cands[n]) &&
		    cands[n].confidence >= floor)
			n++;
	}
	if (n == 0) {
		sim_dnb_error(rs, 404, "20502", "No Match found for the given input criteria.",
		              NULL);
	} else {
		qsort(cands, n, sizeof(*cands), by_confidence);
		if (n > (size_t)max)
			n = (size_t)max;
		json_t *list = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(
			    list, json_pack("{s:i, s:o, s:o}", "displaySequence", (int)i + 1,
			                    "organization", organization(cands[i].c, false),
			                    "matchQualityInformation",
			                    match_quality(cands[i].confidence, cands[i].grade,
			                                  cands[i].name_score)));
		sim_json(rs, 200,
		         json_pack("{s:o, s:o, s:I, s:s, s:o}", "transactionDetail",
		                   sim_transaction_detail(), "inquiryDetail",
		                   inquiry_detail(name, country, street, city, region, postal, max),
		                   "candidatesMatchedQuantity", (json_int_t)n, "matchDataCriteria",
		                   "Name and Address Lookup", "matchCandidates", list));
	}
	free(cands);
	free(street);
	free(city);
	free(region);
	free(postal);
	free(excl);
}

/* GET /v1/match/cleanseMatch (research §1.2, §1.3). 200 with candidates
 * by confidence (at most candidateMaximumQuantity, 1–25, default 5); 404
 * when none (§1.5: the errorCode of "no match" is not documented, ours is
 * 20502); 400 10002 with errorDetails naming the parameter for: an
 * unknown parameter, countryISOAlpha2Code missing or not 2 uppercase
 * letters (it may be left out of a lookup by duns=), no name words (legal
 * forms alone do not count) unless duns=, telephoneNumber or
 * registrationNumber is given, a malformed candidateMaximumQuantity or
 * confidenceLowerLevelThresholdValue (1–10). duns= looks up by DUNS. A
 * telephoneNumber or registrationNumber without a name finds nothing (the
 * fixture has neither): 404. Also honoured: exclusionCriteria containing
 * ExcludeOutofBusiness. */
void
dnb_match(const struct sim_request *rq, struct sim_response *rs)
{
	sim_count(C_DNB_MATCH);
	const char *qs = rq->query;
	char *name = sim_param_s(qs, "name"), *country = sim_param(qs, "countryISOAlpha2Code"),
	     *duns = sim_param(qs, "duns"), *phone = sim_param_s(qs, "telephoneNumber"),
	     *registration = sim_param_s(qs, "registrationNumber");
	long max, floor;
	char unknown[64], qname[SIM_FIELD];
	sim_words_key(name, qname, sizeof(qname), sim_name_word);
	if (sim_params_check(qs, match_params, unknown, sizeof(unknown)) == PARAM_UNKNOWN)
		invalid_parameter(rs, unknown);
	else if (!int_param(qs, "candidateMaximumQuantity", 1, 25, 5, &max))
		invalid_parameter(rs, "candidateMaximumQuantity");
	else if (!int_param(qs, "confidenceLowerLevelThresholdValue", 1, 10, 1, &floor))
		invalid_parameter(rs, "confidenceLowerLevelThresholdValue");
	else if (country ? !is_country_code(country) : duns == NULL)
		invalid_parameter(rs, "countryISOAlpha2Code");
	else if (duns)
		match_by_duns(rs, duns);
	else if (*qname == '\0' && (*name || (!*phone && !*registration)))
		invalid_parameter(rs, "name");
	else
		match_by_name(rs, qs, name, qname, country, max, floor);
	free(name);
	free(country);
	free(duns);
	free(phone);
	free(registration);
}

/* A block ID: <name>_L<level>_v<version> (research §1.4). */
static bool
block_id_valid(const char *s)
{
	const char *l = strstr(s, "_L");
	if (l == NULL || l == s || strspn(s, "abcdefghijklmnopqrstuvwxyz") != (size_t)(l - s))
		return false;
	size_t d = strspn(l + 2, "0123456789");
	return d > 0 && strncmp(l + 2 + d, "_v", 2) == 0 && strlen(l + 4 + d) > 0 &&
	       strspn(l + 4 + d, "0123456789") == strlen(l + 4 + d);
}

/* GET /v1/data/duns/{duns}?blockIDs=… (research §1.4, §1.5): 200 with
 * inquiryDetail, blockStatus (baseinfo_L1_v1 added as D+ does) and the
 * organization; 400 10002 for a DUNS that is not 9 digits or a missing or
 * malformed blockIDs; 404 10001 "DUNS not found". */
void
dnb_data(const struct sim_request *rq, struct sim_response *rs, const char *duns)
{
	sim_count(C_DNB_DATA);
	char *blocks = sim_param_s(rq->query, "blockIDs");
	if (!is_duns(duns)) {
		sim_dnb_error(rs, 400, "10002", "Invalid parameters.", "duns");
		goto out;
	}
	json_t *ids = json_array(), *status = json_array();
	json_array_append_new(status, json_pack("{s:s, s:s, s:n}", "blockID", "baseinfo_L1_v1",
	                                        "status", "ok", "reason"));
	bool ok = *blocks != '\0';
	for (char *s = NULL, *b = strtok_r(blocks, ",", &s); ok && b; b = strtok_r(NULL, ",", &s)) {
		ok = block_id_valid(b);
		json_array_append_new(ids, json_string(b));
		if (strcmp(b, "baseinfo_L1_v1") != 0)
			json_array_append_new(status, json_pack("{s:s, s:s, s:n}", "blockID", b,
			                                        "status", "ok", "reason"));
	}
	if (!ok) {
		json_decref(ids);
		json_decref(status);
		sim_dnb_error(rs, 400, "10002", "Invalid parameters.", "blockIDs");
		goto out;
	}
	for (size_t i = 0; i < sim_ncompanies; i++)
		if (strcmp(sim_companies[i].duns, duns) == 0) {
			sim_json(rs, 200,
			         json_pack("{s:o, s:{s:s, s:o}, s:o, s:o}", "transactionDetail",
			                   sim_transaction_detail(), "inquiryDetail", "duns", duns,
			                   "blockIDs", ids, "blockStatus", status, "organization",
			                   organization(&sim_companies[i], true)));
			goto out;
		}
	json_decref(ids);
	json_decref(status);
	sim_dnb_error(rs, 404, "10001", "DUNS not found.", NULL);
out:
	free(blocks);
}
