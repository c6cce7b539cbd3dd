/* The simulated services: D&B Direct+ (token, cleanseMatch, data by DUNS)
 * and USPS Addresses v3 (token, address), their faults and counters. */
#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/sim.h"

#define MAX_ROWS 10000
#define FIELD    256

struct company {
	char duns[10], name[FIELD], street[FIELD], city[FIELD], region[FIELD], postal[32], country[3];
	bool active;
	char key_name[FIELD]; /* normalised name words without legal forms */
	char key_street[FIELD], key_city[FIELD], key_postal[32];
};

struct address {
	char street[FIELD], city[FIELD], region[FIELD], postal[32], country[3];
	char std_street[FIELD], std_city[FIELD], std_region[FIELD], std_postal[32];
	char key_street[FIELD], key_city[FIELD], key_region[FIELD], key_postal[32];
};

static struct company *companies;
static size_t ncompanies;
static struct address *addresses;
static size_t naddresses;

static const char *cred_dnb_key = "", *cred_dnb_secret = "", *cred_usps_id = "",
                  *cred_usps_secret = "";
static long token_seconds = 86400;
/* Tokens carry their service, generation and expiry; expiring the tokens
 * of a service bumps its generation. */
static _Atomic int generation[SIM__SERVICES];

static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static enum sim_fault faults[SIM__SERVICES];
static long fault_ms[SIM__SERVICES];

/* Per endpoint (answered normally), and every request per service,
 * faulted ones included. */
enum counter {
	C_DNB_TOKEN, C_DNB_MATCH, C_DNB_DATA, C_USPS_TOKEN, C_USPS_ADDRESS, C_DNB_ALL, C_USPS_ALL,
	C__MAX
};
static const char *const counter_names[C__MAX] = {"dnb_token", "dnb_cleanse_match", "dnb_data_duns",
                                                  "address_token", "address_validate",
                                                  "dnb_requests", "address_requests"};
static _Atomic long counters[C__MAX];

/* ---- text ---- */

/* Latin-1 supplement letters (U+00C0–U+00FF, two UTF-8 bytes) to ASCII. */
static char
fold(unsigned char b1, unsigned char b2)
{
	static const char map[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
	unsigned cp = ((unsigned)(b1 & 0x1F) << 6) | (b2 & 0x3F);
	return cp >= 0xC0 && cp <= 0xFF ? map[cp - 0xC0] : ' ';
}

void
sim_normalise(const char *in, char *out, size_t outlen)
{
	size_t k = 0;
	bool space = true;
	for (const unsigned char *p = (const unsigned char *)in; *p && k + 1 < outlen; p++) {
		char c;
		if (*p >= 0xC3 && *p <= 0xC3 && p[1]) {
			c = fold(p[0], p[1]);
			p++;
		} else if (*p >= 0x80) {
			c = ' ';
			while (p[1] >= 0x80 && p[1] < 0xC0)
				p++;
		} else {
			c = (char)*p;
		}
		c = (char)toupper((unsigned char)c);
		if (!isalnum((unsigned char)c))
			c = ' ';
		if (c == ' ' && space)
			continue;
		out[k++] = c;
		space = c == ' ';
	}
	if (k && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
}

/* Legal forms, ignored when comparing company names (CONTRACT §6). */
static bool
legal_form(const char *w)
{
	static const char *const forms[] = {"INC", "INCORPORATED", "LLC", "LTD", "LIMITED", "CORP",
	                                    "CORPORATION", "CO", "COMPANY", "SA", "SAS", "SARL",
	                                    "GMBH", "AG", "BV", "NV", "SPA", "SRL", "PLC", "LLP",
	                                    "KK", "PTY", "THE", NULL};
	for (const char *const *f = forms; *f; f++)
		if (strcmp(*f, w) == 0)
			return true;
	return false;
}

/* USPS Publication 28 abbreviations for the address comparison. */
static const char *
abbreviation(const char *w)
{
	static const char *const pairs[][2] = {
	    {"STREET", "ST"},   {"AVENUE", "AVE"},  {"BOULEVARD", "BLVD"}, {"ROAD", "RD"},
	    {"DRIVE", "DR"},    {"LANE", "LN"},     {"COURT", "CT"},       {"PLACE", "PL"},
	    {"SUITE", "STE"},   {"APARTMENT", "APT"}, {"HIGHWAY", "HWY"},  {"PARKWAY", "PKWY"},
	    {"NORTH", "N"},     {"SOUTH", "S"},     {"EAST", "E"},         {"WEST", "W"},
	    {"SQUARE", "SQ"},   {"TERRACE", "TER"}, {"CIRCLE", "CIR"},     {"FLOOR", "FL"},
	    {"BOULEVARD", "BD"}, {"AV", "AVE"},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(*pairs); i++)
		if (strcmp(pairs[i][0], w) == 0)
			return pairs[i][1];
	return w;
}

/* Normalised text with each word mapped (abbreviated) or dropped (NULL). */
static void
words_key(const char *in, char *out, size_t outlen, const char *(*map)(const char *))
{
	char norm[FIELD * 2];
	sim_normalise(in, norm, sizeof(norm));
	size_t k = 0;
	out[0] = '\0';
	for (char *save = NULL, *w = strtok_r(norm, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		const char *m = map(w);
		if (m == NULL)
			continue;
		int n = snprintf(out + k, outlen - k, "%s%s", k ? " " : "", m);
		if (n < 0 || (size_t)n >= outlen - k)
			break;
		k += (size_t)n;
	}
}

static const char *
name_word(const char *w)
{
	return legal_form(w) ? NULL : w;
}

static void
postal_key(const char *in, char *out, size_t outlen)
{
	sim_normalise(in, out, outlen);
	/* ZIP+4 compares on the five-digit ZIP. */
	if (strlen(out) == 10 && out[5] == ' ' && isdigit((unsigned char)out[0]))
		out[5] = '\0';
}

/* ---- fixtures ---- */

/* Splits a TSV line into at most n fields (in place); returns the count. */
static size_t
split_tsv(char *line, char **fields, size_t n)
{
	size_t k = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; k < n;) {
		fields[k++] = p;
		char *tab = strchr(p, '\t');
		if (tab == NULL)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return k;
}

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

/* Reads a fixture (CONTRACT §6: TSV, UTF-8, header line first, '#' lines
 * ignored): each data row with exactly ncols fields goes to add, which
 * returns false to refuse it. 0, or -1 after printing why (expect names the
 * columns). */
static int
read_fixture(const char *path, size_t ncols, const char *expect, bool (*add)(char **cols))
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "partnerdesk-sim: cannot read %s\n", path);
		return -1;
	}
	char line[4096];
	bool header = true;
	int lineno = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n' || line[0] == '\r')
			continue;
		if (header) {
			header = false;
			continue;
		}
		char *cols[16];
		if (split_tsv(line, cols, ncols) != ncols || !add(cols)) {
			fprintf(stderr, "partnerdesk-sim: %s:%d: expected %s\n", path, lineno, expect);
			rc = -1;
		}
	}
	fclose(f);
	return rc;
}

static bool
add_company(char **c)
{
	if (ncompanies >= MAX_ROWS || strlen(c[0]) != 9 || strspn(c[0], "0123456789") != 9)
		return false;
	struct company *co = &companies[ncompanies++];
	COPY(co->duns, c[0]);
	COPY(co->name, c[1]);
	COPY(co->street, c[2]);
	COPY(co->city, c[3]);
	COPY(co->region, c[4]);
	COPY(co->postal, c[5]);
	COPY(co->country, c[6]);
	co->active = strcmp(c[7], "out_of_business") != 0;
	words_key(co->name, co->key_name, sizeof(co->key_name), name_word);
	words_key(co->street, co->key_street, sizeof(co->key_street), abbreviation);
	sim_normalise(co->city, co->key_city, sizeof(co->key_city));
	postal_key(co->postal, co->key_postal, sizeof(co->key_postal));
	return true;
}

int
sim_load_companies(const char *path)
{
	companies = calloc(MAX_ROWS, sizeof(*companies));
	return read_fixture(path, 8, "duns name street city region postal_code country status",
	                    add_company);
}

static bool
add_address(char **c)
{
	if (naddresses >= MAX_ROWS)
		return false;
	struct address *ad = &addresses[naddresses++];
	COPY(ad->street, c[0]);
	COPY(ad->city, c[1]);
	COPY(ad->region, c[2]);
	COPY(ad->postal, c[3]);
	COPY(ad->country, c[4]);
	COPY(ad->std_street, c[5]);
	COPY(ad->std_city, c[6]);
	COPY(ad->std_region, c[7]);
	COPY(ad->std_postal, c[8]);
	words_key(ad->street, ad->key_street, sizeof(ad->key_street), abbreviation);
	sim_normalise(ad->city, ad->key_city, sizeof(ad->key_city));
	sim_normalise(ad->region, ad->key_region, sizeof(ad->key_region));
	postal_key(ad->postal, ad->key_postal, sizeof(ad->key_postal));
	return true;
}

int
sim_load_addresses(const char *path)
{
	addresses = calloc(MAX_ROWS, sizeof(*addresses));
	return read_fixture(path, 9,
	                    "street city region postal_code country std_street std_city std_region "
	                    "std_postal_code",
	                    add_address);
}

void
sim_set_credentials(const char *dnb_key, const char *dnb_secret, const char *usps_id,
                    const char *usps_secret, long seconds)
{
	cred_dnb_key = dnb_key;
	cred_dnb_secret = dnb_secret;
	cred_usps_id = usps_id;
	cred_usps_secret = usps_secret;
	token_seconds = seconds > 0 ? seconds : 86400;
}

/* ---- parameters ---- */

static int
hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (toupper(c) - 'A' + 10) : -1;
}

char *
sim_param(const char *qs, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = qs; p && *p;) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			char *out = malloc(len - n);
			size_t k = 0;
			for (const char *s = p + n + 1; s < p + len; s++) {
				if (*s == '+') {
					out[k++] = ' ';
				} else if (*s == '%' && s + 2 < p + len + 1 && hexval(s[1]) >= 0 &&
				           hexval(s[2]) >= 0) {
					out[k++] = (char)(hexval(s[1]) * 16 + hexval(s[2]));
					s += 2;
				} else {
					out[k++] = *s;
				}
			}
			out[k] = '\0';
			return out;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

/* ---- responses ---- */

static void
json_answer(struct sim_response *rs, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	rs->status = status;
	rs->content_type = "application/json";
	sbuf_adds(&rs->body, s ? s : "{}");
	free(s);
	json_decref(body);
}

static json_t *
transaction_detail(void)
{
	char id[40], ts[32];
	unsigned char rnd[8];
	randombytes_buf(rnd, sizeof(rnd));
	snprintf(id, sizeof(id), "rrt-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
	         rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	time_t now = time(NULL);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S.000Z", gmtime(&now));
	return json_pack("{s:s, s:s, s:s, s:s}", "transactionID", id, "transactionTimestamp", ts,
	                 "inLanguage", "en-US", "serviceVersion", "1");
}

/* The D+ error envelope (research §1.5). */
static void
dnb_error(struct sim_response *rs, int status, const char *code, const char *message,
          const char *parameter)
{
	json_t *err = json_pack("{s:s, s:s}", "errorCode", code, "errorMessage", message);
	if (parameter)
		json_object_set_new(err, "errorDetails",
		                    json_pack("[{s:s, s:s}]", "parameter", parameter, "description",
		                              "Required parameter is missing or invalid."));
	json_answer(rs, status, json_pack("{s:o, s:o}", "transactionDetail", transaction_detail(),
	                                  "error", err));
}

static void
usps_error(struct sim_response *rs, int status, const char *message)
{
	char code[8];
	snprintf(code, sizeof(code), "%d", status);
	json_answer(rs, status, json_pack("{s:s, s:{s:s, s:s}}", "apiVersion", "3.0", "error",
	                                  "code", code, "message", message));
}

/* ---- tokens ---- */

static void
issue_token(enum sim_service svc, char *out, size_t outlen)
{
	unsigned char rnd[16];
	char hex[33];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(out, outlen, "%s.%d.%ld.%s", svc == SIM_DNB ? "dnb" : "usps",
	         atomic_load(&generation[svc]), (long)time(NULL) + token_seconds, hex);
}

static bool
token_valid(enum sim_service svc, const char *authorization)
{
	const char *prefix = svc == SIM_DNB ? "Bearer dnb." : "Bearer usps.";
	if (authorization == NULL || strncmp(authorization, prefix, strlen(prefix)) != 0)
		return false;
	char *end;
	long gen = strtol(authorization + strlen(prefix), &end, 10);
	if (*end != '.' || gen != atomic_load(&generation[svc]))
		return false;
	long expires = strtol(end + 1, &end, 10);
	return *end == '.' && expires > (long)time(NULL);
}

/* Basic key:secret of the D+ token endpoint. */
static bool
basic_valid(const char *authorization)
{
	if (authorization == NULL || strncmp(authorization, "Basic ", 6) != 0)
		return false;
	unsigned char bin[512];
	size_t len = 0;
	if (sodium_base642bin(bin, sizeof(bin) - 1, authorization + 6, strlen(authorization + 6),
	                      NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return false;
	bin[len] = '\0';
	char expect[512];
	snprintf(expect, sizeof(expect), "%s:%s", cred_dnb_key, cred_dnb_secret);
	return *cred_dnb_key && strcmp((char *)bin, expect) == 0;
}

static void
dnb_token(const struct sim_request *rq, struct sim_response *rs, bool v3)
{
	atomic_fetch_add(&counters[C_DNB_TOKEN], 1);
	if (!basic_valid(rq->authorization)) {
		if (v3)
			json_answer(rs, 401, json_pack("{s:s, s:s}", "error", "invalid_client",
			                               "error_description", "Invalid credentials. ErrorCode: 00004."));
		else
			dnb_error(rs, 401, "00004", "You are not currently authorised to access this product.", NULL);
		return;
	}
	char token[160];
	issue_token(SIM_DNB, token, sizeof(token));
	if (v3)
		json_answer(rs, 200, json_pack("{s:s, s:I, s:s}", "access_token", token, "expires_in",
		                               (json_int_t)token_seconds, "token_type", "Bearer"));
	else
		json_answer(rs, 200, json_pack("{s:s, s:I}", "access_token", token, "expiresIn",
		                               (json_int_t)token_seconds));
}

/* ---- D&B identity resolution ---- */

static const char *
country_name(const char *code)
{
	static const char *const names[][2] = {
	    {"US", "United States"}, {"FR", "France"},       {"DE", "Germany"},
	    {"GB", "United Kingdom"}, {"CA", "Canada"},      {"BR", "Brazil"},
	    {"JP", "Japan"},         {"ZA", "South Africa"}, {"IN", "India"},
	    {"BE", "Belgium"},       {"ES", "Spain"},        {"IT", "Italy"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(names[i][0], code) == 0)
			return names[i][1];
	return code;
}

static json_t *
organization(const struct company *c)
{
	json_t *line1 = json_string(c->street);
	return json_pack(
	    "{s:s, s:{s:{s:s, s:i}, s:b}, s:s, s:[], s:[], s:{s:{s:s, s:s}, s:{s:s}, s:{s:n, s:s}, "
	    "s:s, s:{s:o, s:n}}}",
	    "duns", c->duns, "dunsControlStatus", "operatingStatus", "description",
	    c->active ? "Active" : "Out of business", "dnbCode", c->active ? 9074 : 403,
	    "isMailUndeliverable", 0, "primaryName", c->name, "tradeStyleNames", "websiteAddress",
	    "primaryAddress", "addressCountry", "isoAlpha2Code", c->country, "name",
	    country_name(c->country), "addressLocality", "name", c->city, "addressRegion", "name",
	    "abbreviatedName", c->region, "postalCode", c->postal, "streetAddress", "line1", line1,
	    "line2");
}

/* Share of the query's name words found in the company's, and the reverse. */
static void
name_overlap(const char *q, const char *c, int *common, int *nq, int *nc)
{
	char qb[FIELD], cb[FIELD];
	COPY(qb, q);
	COPY(cb, c);
	*common = *nq = *nc = 0;
	for (char *s1 = NULL, *w = strtok_r(cb, " ", &s1); w; w = strtok_r(NULL, " ", &s1))
		(*nc)++;
	for (char *s2 = NULL, *w = strtok_r(qb, " ", &s2); w; w = strtok_r(NULL, " ", &s2)) {
		(*nq)++;
		char cb2[FIELD];
		COPY(cb2, c);
		for (char *s3 = NULL, *x = strtok_r(cb2, " ", &s3); x; x = strtok_r(NULL, " ", &s3))
			if (strcmp(w, x) == 0) {
				(*common)++;
				break;
			}
	}
}

/* A: same, F: different, Z: not given (research §1.3). */
static char
grade(const char *given, const char *have)
{
	if (given == NULL || *given == '\0')
		return 'Z';
	return strcmp(given, have) == 0 ? 'A' : 'F';
}

struct candidate {
	const struct company *c;
	int confidence;
	char grade[12];
};

static int
by_confidence(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	return y->confidence - x->confidence;
}

/* Confidence 1–10: up to 7 for the name (the share of words in common, in
 * both directions), +1 for each of street, city and postal code that the
 * query gives and that agrees, −1 for each that disagrees. */
static void
dnb_match(const struct sim_request *rq, struct sim_response *rs)
{
	atomic_fetch_add(&counters[C_DNB_MATCH], 1);
	char *name = sim_param(rq->query, "name"), *country = sim_param(rq->query, "countryISOAlpha2Code"),
	     *duns = sim_param(rq->query, "duns"), *street = sim_param(rq->query, "streetAddressLine1"),
	     *city = sim_param(rq->query, "addressLocality"),
	     *postal = sim_param(rq->query, "postalCode"),
	     *maxq = sim_param(rq->query, "candidateMaximumQuantity");
	size_t max = maxq && atoi(maxq) > 0 ? (size_t)atoi(maxq) : 5;
	if (duns && *duns) {
		const struct company *hit = NULL;
		for (size_t i = 0; i < ncompanies && !hit; i++)
			if (strcmp(companies[i].duns, duns) == 0)
				hit = &companies[i];
		if (hit == NULL) {
			dnb_error(rs, 404, "20502", "No Match found for the given input criteria.", NULL);
		} else {
			json_t *cand = json_pack("{s:i, s:o, s:{s:i, s:s}}", "displaySequence", 1,
			                         "organization", organization(hit),
			                         "matchQualityInformation", "confidenceCode", 10, "matchGrade",
			                         "AZZZZZZZZAZ");
			json_answer(rs, 200, json_pack("{s:o, s:{s:s}, s:i, s:s, s:[o]}", "transactionDetail",
			                               transaction_detail(), "inquiryDetail", "duns", duns,
			                               "candidatesMatchedQuantity", 1, "matchDataCriteria",
			                               "DUNS Number Lookup", "matchCandidates", cand));
		}
		goto out;
	}
	if (name == NULL || *name == '\0' || country == NULL || strlen(country) != 2) {
		dnb_error(rs, 400, "10002", "Invalid parameters.",
		          name == NULL || *name == '\0' ? "name" : "countryISOAlpha2Code");
		goto out;
	}
	char qname[FIELD], qstreet[FIELD] = "", qcity[FIELD] = "", qpostal[32] = "";
	words_key(name, qname, sizeof(qname), name_word);
	if (street)
		words_key(street, qstreet, sizeof(qstreet), abbreviation);
	if (city)
		sim_normalise(city, qcity, sizeof(qcity));
	if (postal)
		postal_key(postal, qpostal, sizeof(qpostal));
	struct candidate *cands = calloc(ncompanies + 1, sizeof(*cands));
	size_t n = 0;
	for (size_t i = 0; i < ncompanies; i++) {
		const struct company *c = &companies[i];
		if (strcasecmp(c->country, country) != 0)
			continue;
		int common, nq, nc;
		name_overlap(qname, c->key_name, &common, &nq, &nc);
		if (common == 0)
			continue;
		int conf = (int)(7.0 * common / (nq > nc ? nq : nc) + 0.5);
		char gs = grade(qstreet, c->key_street), gc = grade(qcity, c->key_city),
		     gp = grade(qpostal, c->key_postal);
		conf += (gs == 'A') - (gs == 'F') + (gc == 'A') - (gc == 'F') + (gp == 'A') - (gp == 'F');
		cands[n].c = c;
		cands[n].confidence = conf < 1 ? 1 : conf > 10 ? 10 : conf;
		/* Name, street number, street name, city, state, PO box, phone,
		 * postal code, density, uniqueness, SIC. */
		snprintf(cands[n].grade, sizeof(cands[n].grade), "%c%c%c%cZZZ%cZZZ",
		         common == nq && common == nc ? 'A' : 'B', gs, gs, gc, gp);
		n++;
	}
	qsort(cands, n, sizeof(*cands), by_confidence);
	if (n == 0) {
		dnb_error(rs, 404, "20502", "No Match found for the given input criteria.", NULL);
	} else {
		json_t *list = json_array();
		for (size_t i = 0; i < n && i < max; i++)
			json_array_append_new(
			    list, json_pack("{s:i, s:o, s:{s:i, s:s, s:i, s:f}}", "displaySequence", (int)i + 1,
			                    "organization", organization(cands[i].c),
			                    "matchQualityInformation", "confidenceCode", cands[i].confidence,
			                    "matchGrade", cands[i].grade, "matchGradeComponentsCount", 11,
			                    "nameMatchScore", 10.0 * cands[i].confidence));
		json_answer(rs, 200,
		            json_pack("{s:o, s:{s:s, s:{s:s}, s:I}, s:I, s:s, s:o}", "transactionDetail",
		                      transaction_detail(), "inquiryDetail", "name", name, "address",
		                      "countryISOAlpha2Code", country, "candidateMaximumQuantity",
		                      (json_int_t)max, "candidatesMatchedQuantity", (json_int_t)n,
		                      "matchDataCriteria", "Name and Address Lookup", "matchCandidates",
		                      list));
	}
	free(cands);
out:
	free(name);
	free(country);
	free(duns);
	free(street);
	free(city);
	free(postal);
	free(maxq);
}

static void
dnb_data(const struct sim_request *rq, struct sim_response *rs, const char *duns)
{
	atomic_fetch_add(&counters[C_DNB_DATA], 1);
	(void)rq;
	if (strlen(duns) != 9 || strspn(duns, "0123456789") != 9) {
		dnb_error(rs, 400, "10002", "Invalid parameters.", "duns");
		return;
	}
	for (size_t i = 0; i < ncompanies; i++)
		if (strcmp(companies[i].duns, duns) == 0) {
			json_answer(rs, 200,
			            json_pack("{s:o, s:{s:s, s:[s]}, s:[{s:s, s:s, s:n}], s:o}",
			                      "transactionDetail", transaction_detail(), "inquiryDetail",
			                      "duns", duns, "blockIDs", "companyinfo_L2_v1", "blockStatus",
			                      "blockID", "companyinfo_L2_v1", "status", "ok", "reason",
			                      "organization", organization(&companies[i])));
			return;
		}
	dnb_error(rs, 404, "10001", "DUNS not found.", NULL);
}

/* ---- USPS Addresses v3 ---- */

static void
usps_token(const struct sim_request *rq, struct sim_response *rs)
{
	atomic_fetch_add(&counters[C_USPS_TOKEN], 1);
	json_t *req = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, NULL);
	const char *id = json_string_value(json_object_get(req, "client_id"));
	const char *secret = json_string_value(json_object_get(req, "client_secret"));
	bool ok = id && secret && *cred_usps_id && strcmp(id, cred_usps_id) == 0 &&
	          strcmp(secret, cred_usps_secret) == 0;
	json_decref(req);
	if (!ok) {
		usps_error(rs, 401, "Invalid client credentials.");
		return;
	}
	char token[160];
	issue_token(SIM_ADDRESS, token, sizeof(token));
	json_answer(rs, 200, json_pack("{s:s, s:s, s:I, s:s}", "access_token", token, "token_type",
	                               "Bearer", "expires_in", (json_int_t)token_seconds, "scope",
	                               "addresses"));
}

/* True when the street carries a unit (apartment, suite): such an address
 * needs a secondary address (USPS code 32 without one). */
static bool
has_unit(const char *std_street)
{
	char k[FIELD];
	words_key(std_street, k, sizeof(k), abbreviation);
	return strstr(k, " APT") || strstr(k, " STE") || strstr(k, " UNIT") || strchr(std_street, '#');
}

static void
usps_address(const struct sim_request *rq, struct sim_response *rs)
{
	atomic_fetch_add(&counters[C_USPS_ADDRESS], 1);
	char *street = sim_param(rq->query, "streetAddress"),
	     *secondary = sim_param(rq->query, "secondaryAddress"),
	     *city = sim_param(rq->query, "city"), *state = sim_param(rq->query, "state"),
	     *zip = sim_param(rq->query, "ZIPCode"), *country = sim_param(rq->query, "country");
	if (street == NULL || *street == '\0' || ((city == NULL || *city == '\0') &&
	                                          (zip == NULL || *zip == '\0'))) {
		usps_error(rs, 400, "streetAddress and city or ZIPCode are required.");
		goto out;
	}
	char ks[FIELD], kc[FIELD] = "", kr[FIELD] = "", kz[32] = "", full[FIELD * 2];
	snprintf(full, sizeof(full), "%s %s", street, secondary ? secondary : "");
	words_key(street, ks, sizeof(ks), abbreviation);
	char kfull[FIELD];
	words_key(full, kfull, sizeof(kfull), abbreviation);
	if (city)
		sim_normalise(city, kc, sizeof(kc));
	if (state)
		sim_normalise(state, kr, sizeof(kr));
	if (zip)
		postal_key(zip, kz, sizeof(kz));
	const char *cc = country && *country ? country : "US";
	const struct address *hit = NULL;
	int hits = 0;
	for (size_t i = 0; i < naddresses; i++) {
		const struct address *ad = &addresses[i];
		if (strcasecmp(ad->country, cc) != 0 ||
		    (strcmp(ad->key_street, ks) != 0 && strcmp(ad->key_street, kfull) != 0))
			continue;
		if ((*kc && strcmp(ad->key_city, kc) != 0) || (*kr && strcmp(ad->key_region, kr) != 0) ||
		    (*kz && strcmp(ad->key_postal, kz) != 0))
			continue;
		hit = hit ? hit : ad;
		hits++;
	}
	if (hits == 0) {
		usps_error(rs, 404, "Address Not Found.");
		goto out;
	}
	if (hits > 1) {
		json_answer(rs, 200, json_pack("{s:s, s:{}, s:{}, s:[], s:[{s:s, s:s}]}", "firm", "",
		                               "address", "additionalInfo", "corrections", "matches",
		                               "code", "22", "text",
		                               "Multiple addresses were found for the information you "
		                               "entered, and no default exists."));
		goto out;
	}
	bool needs_unit = has_unit(hit->std_street) && (secondary == NULL || *secondary == '\0');
	char zip5[32], plus4[32] = "";
	COPY(zip5, hit->std_postal);
	char *dash = strchr(zip5, '-');
	if (dash) {
		COPY(plus4, dash + 1);
		*dash = '\0';
	}
	char sec[FIELD] = "";
	if (secondary)
		words_key(secondary, sec, sizeof(sec), abbreviation);
	json_t *corrections = json_array(), *matches = json_array();
	if (needs_unit)
		json_array_append_new(corrections,
		                      json_pack("{s:s, s:s}", "code", "32", "text",
		                                "Default address: The address you entered was found but "
		                                "more information is needed (such as an apartment, suite, "
		                                "or box number) to match to a specific address."));
	else
		json_array_append_new(matches, json_pack("{s:s, s:s}", "code", "31", "text",
		                                         "Single Response - exact match"));
	json_answer(rs, 200,
	            json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, "
	                      "s:o, s:o}",
	                      "firm", "", "address", "streetAddress", hit->std_street,
	                      "secondaryAddress", sec, "city", hit->std_city, "state", hit->std_region,
	                      "ZIPCode", zip5, "ZIPPlus4", plus4, "urbanization", "", "additionalInfo",
	                      "DPVConfirmation", needs_unit ? "D" : "Y", "DPVCMRA", "N", "business",
	                      "Y", "vacant", "N", "corrections", corrections, "matches", matches));
out:
	free(street);
	free(secondary);
	free(city);
	free(state);
	free(zip);
	free(country);
}

/* ---- control endpoints ---- */

static enum sim_service
service_param(const char *body, bool *ok)
{
	char *s = sim_param(body, "service");
	*ok = s && (strcmp(s, "dnb") == 0 || strcmp(s, "address") == 0);
	enum sim_service svc = s && strcmp(s, "address") == 0 ? SIM_ADDRESS : SIM_DNB;
	free(s);
	return svc;
}

static const char *const fault_names[] = {"none", "slow", "error", "garbage", "down", "ratelimit"};

static json_t *
fault_state(void)
{
	json_t *o = json_object();
	pthread_mutex_lock(&fault_lock);
	for (int s = 0; s < SIM__SERVICES; s++)
		json_object_set_new(o, s == SIM_DNB ? "dnb" : "address",
		                    json_pack("{s:s, s:I}", "mode", fault_names[faults[s]], "ms",
		                              (json_int_t)fault_ms[s]));
	pthread_mutex_unlock(&fault_lock);
	return o;
}

static void
control(const struct sim_request *rq, struct sim_response *rs)
{
	char body[4096];
	snprintf(body, sizeof(body), "%.*s", (int)(rq->body_len < 4000 ? rq->body_len : 4000),
	         rq->body ? rq->body : "");
	const char *params = *body ? body : rq->query;
	bool post = strcmp(rq->method, "POST") == 0;
	if (strcmp(rq->path, "/_sim/fault") == 0 && post) {
		bool ok;
		enum sim_service svc = service_param(params, &ok);
		char *mode = sim_param(params, "mode"), *ms = sim_param(params, "ms");
		int m = -1;
		for (int i = 0; mode && i < 6; i++)
			if (strcmp(mode, fault_names[i]) == 0)
				m = i;
		if (!ok || m < 0) {
			free(mode);
			free(ms);
			json_answer(rs, 400, json_pack("{s:s}", "error",
			                               "service=dnb|address and mode=none|slow|error|garbage|down|ratelimit"));
			return;
		}
		pthread_mutex_lock(&fault_lock);
		faults[svc] = (enum sim_fault)m;
		fault_ms[svc] = ms && atol(ms) > 0 ? atol(ms) : 5000;
		pthread_mutex_unlock(&fault_lock);
		free(mode);
		free(ms);
		json_answer(rs, 200, fault_state());
	} else if (strcmp(rq->path, "/_sim/fault") == 0) {
		json_answer(rs, 200, fault_state());
	} else if (strcmp(rq->path, "/_sim/expire-tokens") == 0 && post) {
		bool ok;
		enum sim_service svc = service_param(params, &ok);
		if (!ok) {
			json_answer(rs, 400, json_pack("{s:s}", "error", "service=dnb|address"));
			return;
		}
		atomic_fetch_add(&generation[svc], 1);
		json_answer(rs, 200, json_pack("{s:s}", "expired", svc == SIM_DNB ? "dnb" : "address"));
	} else if (strcmp(rq->path, "/_sim/stats") == 0) {
		json_t *o = json_object();
		for (int i = 0; i < C__MAX; i++)
			json_object_set_new(o, counter_names[i], json_integer(atomic_load(&counters[i])));
		json_answer(rs, 200, o);
	} else if (strcmp(rq->path, "/_sim/reset") == 0 && post) {
		for (int i = 0; i < C__MAX; i++)
			atomic_store(&counters[i], 0);
		pthread_mutex_lock(&fault_lock);
		memset(faults, 0, sizeof(faults));
		pthread_mutex_unlock(&fault_lock);
		json_answer(rs, 200, fault_state());
	} else {
		json_answer(rs, 404, json_pack("{s:s}", "error", "unknown control endpoint"));
	}
}

/* ---- dispatch ---- */

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* The fault of a service, applied before its endpoint answers; true when
 * the fault made the answer. */
static bool
apply_fault(enum sim_service svc, struct sim_response *rs)
{
	pthread_mutex_lock(&fault_lock);
	enum sim_fault f = faults[svc];
	long ms = fault_ms[svc];
	pthread_mutex_unlock(&fault_lock);
	switch (f) {
	case FAULT_SLOW:
		sleep_ms(ms);
		return false;
	case FAULT_ERROR:
		if (svc == SIM_DNB)
			dnb_error(rs, 500, "00034", "Internal Server Error", NULL);
		else
			usps_error(rs, 503, "Service Unavailable");
		return true;
	case FAULT_GARBAGE:
		rs->status = 200;
		rs->content_type = "application/json";
		sbuf_adds(&rs->body, "<html><body>Gateway maintenance {\"partial\": ");
		return true;
	case FAULT_DOWN:
		rs->drop = true;
		return true;
	case FAULT_RATELIMIT:
		rs->retry_after = 1;
		if (svc == SIM_DNB)
			dnb_error(rs, 429, "00045", "Too Many Requests", NULL);
		else
			usps_error(rs, 429, "Too Many Requests");
		return true;
	default:
		return false;
	}
}

void
sim_handle(const struct sim_request *rq, struct sim_response *rs)
{
	const char *p = rq->path;
	bool get = strcmp(rq->method, "GET") == 0, post = strcmp(rq->method, "POST") == 0;
	if (strncmp(p, "/_sim/", 6) == 0) {
		control(rq, rs);
		return;
	}
	enum sim_service svc;
	if (strcmp(p, "/v2/token") == 0 || strcmp(p, "/v3/token") == 0 || strncmp(p, "/v1/", 4) == 0)
		svc = SIM_DNB;
	else if (strcmp(p, "/oauth2/v3/token") == 0 || strncmp(p, "/addresses/", 11) == 0)
		svc = SIM_ADDRESS;
	else {
		json_answer(rs, 404, json_pack("{s:s}", "error", "not found"));
		return;
	}
	atomic_fetch_add(&counters[svc == SIM_DNB ? C_DNB_ALL : C_USPS_ALL], 1);
	if (apply_fault(svc, rs))
		return;
	if (post && (strcmp(p, "/v2/token") == 0 || strcmp(p, "/v3/token") == 0)) {
		dnb_token(rq, rs, p[2] == '3');
	} else if (post && strcmp(p, "/oauth2/v3/token") == 0) {
		usps_token(rq, rs);
	} else if (svc == SIM_DNB && !token_valid(SIM_DNB, rq->authorization)) {
		dnb_error(rs, 401, "00040", "Access token expired or invalid.", NULL);
	} else if (svc == SIM_ADDRESS && !token_valid(SIM_ADDRESS, rq->authorization)) {
		usps_error(rs, 401, "Access token expired or invalid.");
	} else if (get && strcmp(p, "/v1/match/cleanseMatch") == 0) {
		dnb_match(rq, rs);
	} else if (get && strncmp(p, "/v1/data/duns/", 14) == 0) {
		dnb_data(rq, rs, p + 14);
	} else if (get && strcmp(p, "/addresses/v3/address") == 0) {
		usps_address(rq, rs);
	} else if (svc == SIM_DNB) {
		dnb_error(rs, 404, "00037", "Not Found", NULL);
	} else {
		usps_error(rs, 404, "Not Found");
	}
}
