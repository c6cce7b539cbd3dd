/* The remote services' clients without the network: protocol readers on
 * recorded answers (research/duns_address.md §1.3, §2.2; the files of
 * tests/unit/fixtures/, found through PD_SRCDIR), backoff, escaping, magic
 * bytes, D+ error meanings, address queries, base URLs, the retry policy and
 * circuit breaker against a tiny HTTP server forked by the test (counts
 * requests, answers with the status the test sets), the D+ client against a
 * server replaying the recorded answers, and the host's shared token. TAP
 * output. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clients/address.h"
#include "clients/dnb.h"
#include "core/arena.h"
#include "tap.h"

static const char cleanse_match[] =
    "{\"transactionDetail\":{\"transactionID\":\"rrt-1\"},\"candidatesMatchedQuantity\":2,"
    "\"matchDataCriteria\":\"Name and Address Lookup\",\"matchCandidates\":["
    "{\"displaySequence\":1,\"organization\":{\"duns\":\"804735132\",\"primaryName\":"
    "\"GORMAN MANUFACTURING COMPANY, INC.\",\"dunsControlStatus\":{\"operatingStatus\":"
    "{\"description\":\"Active\",\"dnbCode\":9074}},\"primaryAddress\":{\"addressCountry\":"
    "{\"isoAlpha2Code\":\"US\"},\"addressLocality\":{\"name\":\"SAN FRANCISCO\"},"
    "\"addressRegion\":{\"abbreviatedName\":\"CA\"},\"postalCode\":\"94110\",\"streetAddress\":"
    "{\"line1\":\"492 KOLLER ST\",\"line2\":null}}},\"matchQualityInformation\":"
    "{\"confidenceCode\":10,\"matchGrade\":\"AAAAAZZAZZZ\"}},"
    "{\"displaySequence\":2,\"organization\":{\"duns\":\"051957769\",\"primaryName\":\"GORMAN "
    "HOLDINGS\",\"dunsControlStatus\":{\"operatingStatus\":{\"description\":\"Out of business\","
    "\"dnbCode\":403}},\"primaryAddress\":{\"addressCountry\":{\"isoAlpha2Code\":\"US\"}}},"
    "\"matchQualityInformation\":{\"confidenceCode\":4,\"matchGrade\":\"BZZZZZZZZZZ\"}}]}";

static void
test_readers(struct arena *a)
{
	struct dnb_company *c;
	size_t n;
	is_int(dnb_parse_candidates(a, cleanse_match, strlen(cleanse_match), &c, &n), REMOTE_OK,
	       "cleanseMatch answer is read");
	is_int((int)n, 2, "two candidates");
	is_str(c[0].duns, "804735132", "DUNS as a string");
	is_str(c[1].duns, "051957769", "leading zero kept");
	is_int(c[0].confidence, 10, "confidence code");
	is_str(c[0].match_grade, "AAAAAZZAZZZ", "match grade");
	is_str(c[0].city, "SAN FRANCISCO", "city");
	is_str(c[0].region, "CA", "region abbreviation");
	ok(c[0].active && !c[1].active, "operating status: active, out of business");
	const char empty[] = "{\"matchCandidates\":[]}";
	is_int(dnb_parse_candidates(a, empty, strlen(empty), &c, &n), REMOTE_NOT_FOUND,
	       "no candidate is 'not found'");
	const char *garbage[] = {"<html>busy</html>", "{\"matchCandidates\":{}}", "",
	                         "{\"matchCandidates\":[{\"organization\":{\"duns\":\"12\","
	                         "\"primaryName\":\"X\"},\"matchQualityInformation\":"
	                         "{\"confidenceCode\":5}}]}",
	                         "{\"matchCandidates\":[{\"organization\":{\"duns\":\"123456789\","
	                         "\"primaryName\":\"X\"},\"matchQualityInformation\":"
	                         "{\"confidenceCode\":11}}]}"};
	for (size_t i = 0; i < sizeof(garbage) / sizeof(*garbage); i++)
		is_int(dnb_parse_candidates(a, garbage[i], strlen(garbage[i]), &c, &n),
		       REMOTE_BAD_ANSWER, "garbage answer %zu is refused", i);
	struct dnb_company one;
	const char data[] = "{\"organization\":{\"duns\":\"804735132\",\"primaryName\":\"GORMAN\"}}";
	is_int(dnb_parse_company(a, data, strlen(data), &one), REMOTE_OK, "data/duns answer read");
	ok(dnb_duns_valid("051957769") && !dnb_duns_valid("80473513") &&
	       !dnb_duns_valid("80473513a") && !dnb_duns_valid("8047351321"),
	   "DUNS: 9 digits, nothing else (no check digit)");
	ok(dnb_duns_valid("079608595"), "a real DUNS that fails Luhn is valid");

	struct postal_address std;
	enum address_verdict v;
	const char a31[] = "{\"address\":{\"streetAddress\":\"492 KOLLER ST\",\"city\":\"SAN "
	                   "FRANCISCO\",\"state\":\"CA\",\"ZIPCode\":\"94110\",\"ZIPPlus4\":\"1234\"},"
	                   "\"corrections\":[],\"matches\":[{\"code\":\"31\",\"text\":\"exact\"}]}";
	is_int(address_parse(a, a31, strlen(a31), "US", &std, &v), REMOTE_OK, "USPS 31 read");
	is_int(v, ADDRESS_CONFIRMED, "31 without DPV is confirmed");
	is_str(std.postal_code, "94110-1234", "ZIP+4 joined");
	const char a32[] = "{\"address\":{\"streetAddress\":\"1 MAIN ST\",\"city\":\"X\"},"
	                   "\"corrections\":[{\"code\":\"32\",\"text\":\"more\"}],\"matches\":[]}";
	address_parse(a, a32, strlen(a32), "US", &std, &v);
	is_int(v, ADDRESS_NEEDS_UNIT, "32 needs a unit");
	const char a22[] = "{\"address\":{},\"matches\":[{\"code\":\"22\"}]}";
	address_parse(a, a22, strlen(a22), "US", &std, &v);
	is_int(v, ADDRESS_AMBIGUOUS, "22 is several addresses");
	is_int(address_parse(a, "nope", 4, "US", &std, &v), REMOTE_BAD_ANSWER, "garbage refused");
	struct postal_address p1 = {"492 Koller St", "", "San Francisco", "CA", "94110", "US"};
	struct postal_address p2 = {"492  KOLLER ST.", "", "SAN FRANCISCO", "ca", "94110", "US"};
	struct postal_address p3 = {"492 Koller Street", "", "San Francisco", "CA", "94110", "US"};
	ok(address_same(&p1, &p2), "same address with other case, spacing and dots");
	ok(!address_same(&p1, &p3), "St and Street differ (the service standardises)");
}

static void
test_helpers(struct arena *a)
{
	is_str(remote_escape(a, "Gorman & Co=é ~x"), "Gorman%20%26%20Co%3D%C3%A9%20~x",
	       "query values are percent-encoded");
	bool bounded = true;
	for (int n = 0; n < 8; n++)
		for (int k = 0; k < 200; k++) {
			long w = remote_backoff_ms(n);
			long cap = REMOTE_BACKOFF_BASE_MS << n;
			if (cap > REMOTE_BACKOFF_CAP_MS)
				cap = REMOTE_BACKOFF_CAP_MS;
			bounded = bounded && w >= 0 && w <= cap;
		}
	ok(bounded, "backoff is full jitter within the capped exponential bound");
	is_int((int)remote_token_renew_after_ms(86400), 86400000 - 60000,
	       "a 24 h token is renewed a minute before it expires");
	is_int((int)remote_token_renew_after_ms(60), 30000, "a short token at half its life");
	is_int((int)remote_token_renew_after_ms(0), 0, "a token without lifetime is not kept");
}

/* ---- recorded answers (tests/unit/fixtures/, their README says the
 * source of each) ---- */

/* The source tree: PD_SRCDIR (make check), else where this file was
 * compiled from (the program run by hand from the build tree). */
static char srcdir[1024] = ".";

static void
find_srcdir(void)
{
	const char *env = getenv("PD_SRCDIR");
	const char *f = __FILE__, *tail = strstr(f, "tests/unit/test_remote.c");
	if (env && *env)
		snprintf(srcdir, sizeof(srcdir), "%s", env);
	else if (tail && tail - f > 1)
		snprintf(srcdir, sizeof(srcdir), "%.*s", (int)(tail - f - 1), f);
}

/* The content of fixtures/name (arena); a failed test and "" when unreadable. */
static const char *
fixture(struct arena *a, const char *name, size_t *len)
{
	char path[1200];
	snprintf(path, sizeof(path), "%s/tests/unit/fixtures/%s", srcdir, name);
	FILE *f = fopen(path, "rb");
	long n = -1;
	if (f && fseek(f, 0, SEEK_END) == 0)
		n = ftell(f);
	char *s = n >= 0 ? arena_alloc(a, (size_t)n + 1) : NULL;
	if (s == NULL || fseek(f, 0, SEEK_SET) != 0 || fread(s, 1, (size_t)n, f) != (size_t)n) {
		ok(0, "fixture %s is readable", path);
		if (f)
			fclose(f);
		*len = 0;
		return "";
	}
	fclose(f);
	s[n] = '\0';
	*len = (size_t)n;
	return s;
}

static void
test_fixture_readers(struct arena *a)
{
	struct dnb_company *c = NULL;
	size_t n = 0, len;
	const char *body = fixture(a, "dnb/cleansematch-200-gorman-1-candidate.json", &len);
	is_int(dnb_parse_candidates(a, body, len, &c, &n), REMOTE_OK, "D+ cleanseMatch 200 is read");
	is_int((int)n, 1, "its one candidate is kept");
	if (n >= 1) {
		is_str(c[0].duns, "804735132", "cleanseMatch: DUNS");
		is_str(c[0].name, "GORMAN MANUFACTURING COMPANY, INC.", "cleanseMatch: primaryName");
		is_str(c[0].line1, "492 KOLLER ST", "cleanseMatch: street line 1");
		is_str(c[0].line2, "", "cleanseMatch: line2 null is empty");
		is_str(c[0].city, "SAN FRANCISCO", "cleanseMatch: addressLocality.name");
		is_str(c[0].region, "CA", "cleanseMatch: abbreviatedName read beside name null");
		is_str(c[0].postal_code, "94110", "cleanseMatch: postalCode (extension null)");
		is_str(c[0].country, "US", "cleanseMatch: isoAlpha2Code");
		ok(c[0].active && strcmp(c[0].operating_status, "Active") == 0, "cleanseMatch: active");
		is_int(c[0].confidence, 10, "cleanseMatch: confidenceCode");
		is_str(c[0].match_grade, "AAAAAZZZAAZ", "cleanseMatch: matchGrade");
	}

	body = fixture(a, "dnb/cleansematch-200-gorman-5-candidates-3-malformed.json", &len);
	is_int(dnb_parse_candidates(a, body, len, &c, &n), REMOTE_OK,
	       "cleanseMatch with malformed candidates is still read");
	is_int((int)n, 2, "2 of 5 kept: name null, confidence 0 and 11 skipped");
	if (n == 2) {
		is_str(c[0].duns, "804735132", "the good candidates keep their order (1st)");
		is_str(c[1].duns, "014159265", "2nd: DUNS with its leading zero");
		ok(!c[1].active && c[1].confidence == 6, "2nd: out of business, confidence 6");
	}

	body = fixture(a, "dnb/cleansematch-200-no-match-null-candidates.json", &len);
	is_int(dnb_parse_candidates(a, body, len, &c, &n), REMOTE_NOT_FOUND,
	       "matchCandidates null with transactionDetail: no match, not a bad answer");
	is_int((int)n, 0, "no match: no candidate");

	struct dnb_company one;
	body = fixture(a, "dnb/data-duns-200-gorman-companyinfo.json", &len);
	is_int(dnb_parse_company(a, body, len, &one), REMOTE_OK, "D+ data/duns 200 is read");
	is_str(one.duns, "804735132", "data/duns: DUNS");
	is_str(one.name, "GORMAN MANUFACTURING COMPANY, INC.", "data/duns: primaryName");
	is_str(one.region, "CA", "data/duns: abbreviatedName preferred to the name");
	is_str(one.postal_code, "94110", "data/duns: postalCode");
	ok(one.active && one.confidence == 0 && one.match_grade && *one.match_grade == '\0',
	   "data/duns: active, no confidence nor grade for a lookup by DUNS");
	body = fixture(a, "dnb/data-duns-200-gb-out-of-business-leading-zero.json", &len);
	is_int(dnb_parse_company(a, body, len, &one), REMOTE_OK, "data/duns of a GB company is read");
	is_str(one.duns, "014159265", "data/duns: leading zero kept");
	is_str(one.region, "", "data/duns: addressRegion {} is empty");
	is_str(one.line2, "Clerkenwell", "data/duns: street line 2");
	is_str(one.postal_code, "EC1A 1BB", "data/duns: a GB postcode as is");
	is_str(one.country, "GB", "data/duns: country");
	ok(!one.active, "data/duns: out of business is not active");

	static const struct {
		const char *file;
		enum address_verdict verdict;
		const char *line1, *line2, *city, *region, *postal;
		const char *why;
	} usps[] = {
	    {"address-200-dpv-y-match-31.json", ADDRESS_CONFIRMED, "492 KOLLER ST", "",
	     "SAN FRANCISCO", "CA", "94110-1227", "DPV Y and match 31: confirmed"},
	    {"address-200-dpv-y-empty-correction.json", ADDRESS_CONFIRMED, "492 KOLLER ST", "",
	     "SAN FRANCISCO", "CA", "94110-1227", "an empty correction {code:\"\"} is no correction"},
	    {"address-200-dpv-d-correction-32.json", ADDRESS_NEEDS_UNIT, "6406 IVY LN", "", "GREENBELT",
	     "MD", "20770-1435", "code 32 with DPV D: the unit is missing"},
	    {"address-200-dpv-s.json", ADDRESS_NEEDS_UNIT, "6406 IVY LN", "APT 999", "GREENBELT", "MD",
	     "20770-1435", "DPV S: the unit is not confirmed"},
	    {"address-200-dpv-n.json", ADDRESS_UNDELIVERABLE, "1 KOLLER ST", "", "SAN FRANCISCO", "CA",
	     "94110-1227", "DPV N: not deliverable"},
	    {"address-200-correction-22.json", ADDRESS_AMBIGUOUS, "100 MAIN ST", "", "GREENBELT", "MD",
	     "20770", "code 22 in corrections: several addresses"},
	    {"address-200-zipplus4-empty.json", ADDRESS_CONFIRMED, "492 KOLLER ST", "",
	     "SAN FRANCISCO", "CA", "94110",
	     "ZIPPlus4 \"\": the ZIP Code alone (and no DPV reads as confirmed)"},
	};
	for (size_t i = 0; i < sizeof(usps) / sizeof(*usps); i++) {
		struct postal_address std = {0};
		enum address_verdict v = ADDRESS__MAX;
		body = fixture(a, arena_printf(a, "usps/%s", usps[i].file), &len);
		enum remote_err rc = address_parse(a, body, len, "US", &std, &v);
		ok(rc == REMOTE_OK && v == usps[i].verdict, "USPS 200 %s: %s", usps[i].file, usps[i].why);
		if (rc != REMOTE_OK || v != usps[i].verdict)
			printf("#   got rc %d verdict %d, want verdict %d\n", rc, v, usps[i].verdict);
		ok(rc == REMOTE_OK && strcmp(std.line1, usps[i].line1) == 0 &&
		       strcmp(std.line2, usps[i].line2) == 0 && strcmp(std.city, usps[i].city) == 0 &&
		       strcmp(std.region, usps[i].region) == 0 &&
		       strcmp(std.postal_code, usps[i].postal) == 0 && strcmp(std.country, "US") == 0,
		   "USPS 200 %s: standard form %s, %s, %s %s %s", usps[i].file, usps[i].line1,
		   usps[i].line2, usps[i].city, usps[i].region, usps[i].postal);
	}

	enum { NONE = -1 };
	static const struct {
		const char *file; /* NULL: no body */
		long status;
		enum remote_err rc;
		int verdict; /* NONE: not set */
		const char *why;
	} errors[] = {
	    {"error-400-multiple-addresses.json", 400, REMOTE_OK, ADDRESS_AMBIGUOUS,
	     "400 'Multiple addresses were found': several addresses"},
	    {"error-400-address-not-found.json", 400, REMOTE_OK, ADDRESS_NOT_FOUND,
	     "400 'Address Not Found.': not found"},
	    {"error-400-invalid-zipcode.json", 400, REMOTE_INVALID, NONE,
	     "400 on the ZIPCode parameter: input refused"},
	    {"error-403-forbidden.json", 403, REMOTE_UNAVAILABLE, NONE,
	     "403: the account may not use the API, unavailable"},
	    {NULL, 404, REMOTE_OK, ADDRESS_NOT_FOUND, "404 without a body: not found"},
	    {NULL, 400, REMOTE_INVALID, NONE, "400 without a body: input refused"},
	};
	for (size_t i = 0; i < sizeof(errors) / sizeof(*errors); i++) {
		enum address_verdict v = ADDRESS__MAX;
		len = 0;
		body = errors[i].file ? fixture(a, arena_printf(a, "usps/%s", errors[i].file), &len) : "";
		enum remote_err rc = address_read_error(errors[i].status, body, len, &v);
		ok(rc == errors[i].rc && (errors[i].verdict == NONE || (int)v == errors[i].verdict),
		   "USPS error: %s", errors[i].why);
		if (rc != errors[i].rc || (errors[i].verdict != NONE && (int)v != errors[i].verdict))
			printf("#   got rc %d verdict %d, want rc %d verdict %d\n", rc, v, errors[i].rc,
			       errors[i].verdict);
	}
}

/* ---- what a D+ error means (the table of src/clients/dnb.c) ---- */

static void
test_error_meaning(void)
{
	enum { RENEW = REMOTE__MAX }; /* renew the token and try again */
	static const struct {
		long status;
		const char *code;
		int want;
		const char *why;
	} cases[] = {
	    {503, "00002", REMOTE_UNAVAILABLE, "00002 request timeout"},
	    {400, "00003", REMOTE_INVALID, "00003 parameters invalid or missing: the input"},
	    {401, "00004", REMOTE_UNAVAILABLE, "00004 not authorised for the product"},
	    {400, "00005", REMOTE_UNAVAILABLE, "00005 outside the contract dates"},
	    {400, "00006", REMOTE_UNAVAILABLE, "00006 credentials not allowed"},
	    {400, "00007", REMOTE_UNAVAILABLE, "00007 credentials required"},
	    {400, "00008", REMOTE_UNAVAILABLE, "00008 malformed payload (ours)"},
	    {400, "00010", REMOTE_UNAVAILABLE, "00010 bad request (ours)"},
	    {401, "00012", REMOTE_UNAVAILABLE, "00012 unauthorized"},
	    {401, "00014", REMOTE_UNAVAILABLE, "00014 unauthorized"},
	    {500, "00034", REMOTE_UNAVAILABLE, "00034 internal server error"},
	    {500, "00035", REMOTE_UNAVAILABLE, "00035 internal server error"},
	    {404, "00037", REMOTE_NOT_FOUND, "00037 not found"},
	    {404, "00038", REMOTE_NOT_FOUND, "00038 not found"},
	    {401, "00040", RENEW, "00040 access token expired: renew"},
	    {401, "00041", RENEW, "00041 access token invalid: renew"},
	    {401, "00044", REMOTE_UNAVAILABLE, "00044 unauthorized"},
	    {429, "00045", REMOTE_RATE_LIMITED, "00045 too many requests"},
	    {429, "00046", REMOTE_RATE_LIMITED, "00046 too many requests"},
	    {400, "05007", REMOTE_UNAVAILABLE, "05007 v3 token request incomplete (ours)"},
	    {404, "10001", REMOTE_NOT_FOUND, "10001 DUNS not found"},
	    {400, "10002", REMOTE_INVALID, "10002 invalid parameters"},
	    {400, "10001", REMOTE_NOT_FOUND, "a documented code wins over the status"},
	    {401, "", RENEW, "401 without a code: renew the token"},
	    {401, NULL, RENEW, "401 without a code (NULL): renew the token"},
	    {401, "99999", REMOTE_UNAVAILABLE, "401 with an unknown code: unavailable, no renewal"},
	    {403, "", REMOTE_UNAVAILABLE, "403: unavailable"},
	    {404, "", REMOTE_NOT_FOUND, "404 without a code: no match"},
	    {429, "", REMOTE_RATE_LIMITED, "429: rate limited"},
	    {500, "", REMOTE_UNAVAILABLE, "500: unavailable"},
	    {503, "99999", REMOTE_UNAVAILABLE, "503 with an unknown code: unavailable"},
	    {400, "", REMOTE_INVALID, "400 without a code: input refused"},
	    {422, "99999", REMOTE_INVALID, "another 4xx with an unknown code: input refused"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		is_int(dnb_error_meaning(cases[i].status, cases[i].code), cases[i].want,
		       "D+ error %ld %s: %s", cases[i].status, cases[i].code ? cases[i].code : "(null)",
		       cases[i].why);
}

/* ---- the query of GET /addresses/v3/address ---- */

static void
test_address_query(struct arena *a)
{
	static const struct {
		struct postal_address in;
		const char *want; /* NULL: refused before the call */
		const char *why;
	} cases[] = {
	    {{"492 Koller St", "", "San Francisco", "California", "94110", "US"},
	     "streetAddress=492%20Koller%20St&city=San%20Francisco&state=CA&ZIPCode=94110",
	     "state name → its code; empty secondary left out; no country for the US"},
	    {{"492 Koller St", NULL, "San Francisco", "ca", "94110", "US"},
	     "streetAddress=492%20Koller%20St&city=San%20Francisco&state=CA&ZIPCode=94110",
	     "lowercase code → uppercase"},
	    {{"492 Koller St", "", "San Francisco", "CA", "94110", "US"},
	     "streetAddress=492%20Koller%20St&city=San%20Francisco&state=CA&ZIPCode=94110",
	     "the code as is"},
	    {{"1 Main St", "", "Cambridge", "MA", "02139-4307", "US"},
	     "streetAddress=1%20Main%20St&city=Cambridge&state=MA&ZIPCode=02139&ZIPPlus4=4307",
	     "ZIP+4 with a dash: ZIPCode and ZIPPlus4 apart, leading zero kept"},
	    {{"1 Main St", "", "Cambridge", "MA", "021394307", "US"},
	     "streetAddress=1%20Main%20St&city=Cambridge&state=MA&ZIPCode=02139&ZIPPlus4=4307",
	     "ZIP+4 as 9 digits"},
	    {{"1 Main St", "", "Cambridge", "MA", "2139", "US"}, NULL,
	     "a 4-digit ZIP (leading zero lost) is refused"},
	    {{"1 Main St", "", "Cambridge", "", "02139", "US"}, NULL, "no state: refused"},
	    {{"1 Main St", "", "Cambridge", NULL, "02139", "US"}, NULL, "no state (NULL): refused"},
	    {{"1 Main St", "", "Cambridge", "Calif", "02139", "US"}, NULL,
	     "a state that is neither code nor name: refused"},
	    {{"1 Main St", "", "Cambridge", "MA", "", "US"},
	     "streetAddress=1%20Main%20St&city=Cambridge&state=MA", "no ZIP but a city: sent"},
	    {{"1 Main St", "", "", "MA", "", "US"}, NULL, "neither ZIP nor city: refused"},
	    {{"1 Main St", "", "", "MA", "02139", "US"},
	     "streetAddress=1%20Main%20St&state=MA&ZIPCode=02139", "a ZIP without a city: sent"},
	    {{"", "", "Cambridge", "MA", "02139", "US"}, NULL, "no street: refused"},
	    {{"1 Main St", "Suite #5", "Cambridge", "MA", "02139", "US"},
	     "streetAddress=1%20Main%20St&secondaryAddress=Suite%20%235&city=Cambridge&state=MA&"
	     "ZIPCode=02139",
	     "secondary sent, space and # percent-encoded"},
	    {{"10 rue de la Paix", "", "Paris", "", "75002", "FR"},
	     "streetAddress=10%20rue%20de%20la%20Paix&city=Paris&ZIPCode=75002&country=FR",
	     "FR: country sent, postal code as is, no state"},
	    {{"3 place de l'Hôtel de Ville", "", "Saint-Étienne", "", "42000", "FR"},
	     "streetAddress=3%20place%20de%20l%27H%C3%B4tel%20de%20Ville&city=Saint-%C3%89tienne&"
	     "ZIPCode=42000&country=FR",
	     "non-ASCII as percent-encoded UTF-8"},
	    {{"10 Downing St", "", "London", "", "SW1A 2AA", "GB"},
	     "streetAddress=10%20Downing%20St&city=London&ZIPCode=SW1A%202AA&country=GB",
	     "GB postcode as is (no US ZIP rule)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		is_str(address_query(a, &cases[i].in), cases[i].want, "address query: %s",
		       cases[i].why);
}

/* ---- base URLs: https, or http to loopback only ---- */

static void
test_url_allowed(void)
{
	static const struct {
		const char *url;
		bool allowed;
	} cases[] = {
	    {"https://plus.dnb.com", true},
	    {"https://apis.usps.com/", true},
	    {"https://10.0.0.1:8443", true},
	    {"http://127.0.0.1", true},
	    {"http://127.0.0.1:8080", true},
	    {"http://127.0.0.1:8080/sim", true},
	    {"http://127.1.2.3", true},
	    {"http://localhost", true},
	    {"http://localhost:9000", true},
	    {"http://LOCALHOST:9000", true},
	    {"http://[::1]", true},
	    {"http://[::1]:8080", true},
	    {"http://10.0.0.1", false},
	    {"http://example.com", false},
	    {"http://127.0.0.1.evil.com", false},
	    {"http://localhost.evil.com", false},
	    {"http://user@127.0.0.1", false},
	    {"http://127.0.0.1@evil.com", false},
	    {"http://127.0.0.1:8080@evil.com/", false},
	    {"http://evil.com#@127.0.0.1", false},
	    {"http://127.0.0.1:", false},
	    {"http://127.0.0.1:80x", false},
	    {"http://[::2]", false},
	    {"http://[::1]x", false},
	    {"http://[::1", false},
	    {"ftp://127.0.0.1", false},
	    {"file:///etc/passwd", false},
	    {"127.0.0.1:8080", false},
	    {"", false},
	    {"http://", false},
	    {"https://", false},
	    {NULL, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		ok(remote_url_allowed(cases[i].url) == cases[i].allowed, "base URL %s %s",
		   cases[i].url ? cases[i].url : "(null)", cases[i].allowed ? "allowed" : "refused");
}

/* ---- a forked HTTP server: answers every request with *status ---- */

struct shared {
	_Atomic int status;
	_Atomic int requests;
	_Atomic int retry_after; /* seconds; 0: no header */
};

static pid_t
serve(int fd, struct shared *sh)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	for (;;) {
		int c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		char buf[8192];
		size_t got = 0;
		ssize_t n;
		while (got < sizeof(buf) - 1 && (n = read(c, buf + got, sizeof(buf) - 1 - got)) > 0) {
			got += (size_t)n;
			buf[got] = '\0';
			if (strstr(buf, "\r\n\r\n"))
				break;
		}
		atomic_fetch_add(&sh->requests, 1);
		char resp[256];
		int st = atomic_load(&sh->status), ra = atomic_load(&sh->retry_after);
		char extra[64] = "";
		if (ra > 0)
			snprintf(extra, sizeof(extra), "Retry-After: %d\r\n", ra);
		int len = snprintf(resp, sizeof(resp),
		                   "HTTP/1.1 %d X\r\nContent-Length: 2\r\n%sConnection: close\r\n\r\n{}",
		                   st, extra);
		if (write(c, resp, (size_t)len) != len)
			perror("write");
		close(c);
	}
}

static enum remote_err
read_any(void *ctx, const struct remote_resp *r)
{
	(void)ctx;
	return r->status == 200 ? REMOTE_OK : REMOTE_NOT_FOUND;
}

static enum remote_err
read_garbage(void *ctx, const struct remote_resp *r)
{
	(void)ctx;
	(void)r;
	return REMOTE_BAD_ANSWER;
}

static void
pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void
test_breaker(void)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
	                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		ok(0, "test server listens");
		return;
	}
	pid_t child = serve(fd, sh);
	char base[64];
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", ntohs(sa.sin_port));
	struct remote_service svc = {.id = SERVICE_DNB, .name = "test", .base_url = base,
	                             .connect_timeout_ms = 1000, .attempt_timeout_ms = 2000,
	                             .deadline_ms = 5000, .cooldown_ms = 300, .max_retries = 2,
	                             .breaker_failures = 3};
	struct remote_resp resp = {0};
	long long start;

	atomic_store(&sh->status, 200);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL), REMOTE_OK,
	       "a 200 answer is read");
	is_int(atomic_load(&sh->requests), 1, "one request for one answer");
	atomic_store(&sh->status, 404);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_NOT_FOUND, "a 404 is an answer, not a failure");
	is_int(atomic_load(&sh->requests), 2, "a 404 is not retried");

	atomic_store(&sh->status, 503);
	atomic_store(&sh->requests, 0);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_UNAVAILABLE, "5xx after the retries is 'unavailable'");
	is_int(atomic_load(&sh->requests), 3, "a 5xx is tried three times (2 retries)");
	atomic_store(&sh->status, 429);
	atomic_store(&sh->requests, 0);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_RATE_LIMITED, "429 after the retries is 'rate limited'");
	is_int(atomic_load(&sh->requests), 3, "a 429 is retried too");

	is_int(remote_breaker_state(&svc), BREAKER_CLOSED, "two failed calls: still closed");
	atomic_store(&sh->status, 200);
	start = 0;
	remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL);
	is_int(remote_breaker_state(&svc), BREAKER_CLOSED, "a success resets the count");
	atomic_store(&sh->status, 429);
	/* Retry-After beyond the deadline: no retry (a short backoff would retry). */
	atomic_store(&sh->retry_after, 10);
	atomic_store(&sh->requests, 0);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_RATE_LIMITED, "429 with a long Retry-After: rate limited");
	is_int(atomic_load(&sh->requests), 1, "Retry-After is honoured: no retry before it");
	is_int((int)resp.retry_after, 10, "Retry-After read");
	atomic_store(&sh->retry_after, 0);
	atomic_store(&sh->status, 503);
	start = 0;
	remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL);

	svc.max_retries = 0;
	atomic_store(&sh->status, 200);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_garbage, NULL),
	       REMOTE_BAD_ANSWER, "an answer outside the protocol is 'bad answer'");
	is_int(remote_breaker_state(&svc), BREAKER_OPEN, "the third failure in a row opens it");
	atomic_store(&sh->requests, 0);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_UNAVAILABLE, "open: fails at once");
	is_int(atomic_load(&sh->requests), 0, "open: no request reaches the service");

	pause_ms(svc.cooldown_ms + 100);
	is_int(remote_breaker_state(&svc), BREAKER_HALF_OPEN, "after the cooldown: half-open");
	atomic_store(&sh->status, 500);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_UNAVAILABLE, "the probe fails");
	is_int(atomic_load(&sh->requests), 1, "one probe went through");
	is_int(remote_breaker_state(&svc), BREAKER_OPEN, "a failed probe opens it again");

	pause_ms(svc.cooldown_ms + 100);
	atomic_store(&sh->status, 200);
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL), REMOTE_OK,
	       "the next probe succeeds");
	is_int(remote_breaker_state(&svc), BREAKER_CLOSED, "a good probe closes it");

	svc.base_url = "http://127.0.0.1:1";
	svc.id = SERVICE_ADDRESS;
	start = 0;
	is_int(remote_call(&svc, &start, "GET", "/", NULL, NULL, &resp, read_any, NULL),
	       REMOTE_UNAVAILABLE, "connection refused is 'unavailable'");
	sbuf_free(&resp.body);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(fd);
}

/* ---- D+ answers replayed through the client: a forked server serves the
 * recorded token and data answers (status and body set by the test) and
 * keeps the last request of each kind ---- */

#define FX_BODY 32768
struct fx {
	_Atomic int token_status, status;
	_Atomic int first_status, first_left; /* the next first_left data requests */
	_Atomic int token_requests, requests;
	char        token_body[FX_BODY], first_body[FX_BODY], body[FX_BODY];
	char        token_req[4096], req[4096];
};

static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* A request, head and Content-Length body, into buf. */
static void
read_request(int c, char *buf, size_t size)
{
	size_t got = 0, want = 0;
	const char *end = NULL;
	ssize_t n;
	buf[0] = '\0';
	while (got < size - 1 && (end == NULL || got < want) &&
	       (n = read(c, buf + got, size - 1 - got)) > 0) {
		got += (size_t)n;
		buf[got] = '\0';
		if (end == NULL && (end = strstr(buf, "\r\n\r\n")) != NULL) {
			const char *cl = strcasestr(buf, "\r\nContent-Length:");
			want = (size_t)(end + 4 - buf) +
			       (cl && cl < end ? (size_t)strtoul(cl + 17, NULL, 10) : 0);
		}
	}
}

static pid_t
serve_fixtures(int fd, struct fx *fx)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid != 0)
		return pid;
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* not left behind by a crashed test */
#endif
	for (;;) {
		int c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		char buf[8192];
		read_request(c, buf, sizeof(buf));
		const char *eol = strstr(buf, "\r\n"), *tok = strstr(buf, "/token ");
		int status;
		const char *body;
		if (tok && (eol == NULL || tok < eol)) {
			atomic_fetch_add(&fx->token_requests, 1);
			snprintf(fx->token_req, sizeof(fx->token_req), "%.*s", (int)sizeof(fx->token_req) - 1, buf);
			status = atomic_load(&fx->token_status);
			body = fx->token_body;
		} else {
			atomic_fetch_add(&fx->requests, 1);
			snprintf(fx->req, sizeof(fx->req), "%.*s", (int)sizeof(fx->req) - 1, buf);
			if (atomic_load(&fx->first_left) > 0) {
				atomic_fetch_sub(&fx->first_left, 1);
				status = atomic_load(&fx->first_status);
				body = fx->first_body;
			} else {
				status = atomic_load(&fx->status);
				body = fx->body;
			}
		}
		char head[256];
		int hl = snprintf(head, sizeof(head),
		                  "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
		                  "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		                  status, strlen(body));
		write_all(c, head, (size_t)hl);
		write_all(c, body, strlen(body));
		close(c);
	}
}

/* dst (FX_BODY) := the fixture name, or "" for NULL. */
static void
fx_set(struct arena *a, char *dst, const char *name)
{
	size_t len = 0;
	const char *s = name ? fixture(a, name, &len) : "";
	snprintf(dst, FX_BODY, "%s", len < FX_BODY ? s : "");
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* What the code logs (stderr) between the two calls. */
static int stderr_saved = -1;
static FILE *stderr_file;

static void
capture_stderr(void)
{
	fflush(stderr);
	stderr_file = tmpfile();
	stderr_saved = dup(2);
	if (stderr_file)
		dup2(fileno(stderr_file), 2);
}

static const char *
captured_stderr(struct arena *a)
{
	fflush(stderr);
	dup2(stderr_saved, 2);
	close(stderr_saved);
	if (stderr_file == NULL)
		return "";
	int fd = fileno(stderr_file);
	off_t n = lseek(fd, 0, SEEK_END);
	char *s = arena_alloc(a, n > 0 ? (size_t)n + 1 : 1);
	ssize_t got = n > 0 ? pread(fd, s, (size_t)n, 0) : 0;
	s[got > 0 ? got : 0] = '\0';
	fclose(stderr_file);
	fputs(s, stderr); /* still shown */
	return s;
}

static void
test_replay(struct arena *a)
{
	struct fx *fx = mmap(NULL, sizeof(*fx), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	                     -1, 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	if (fx == MAP_FAILED || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 16) != 0 || getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		ok(0, "fixture server listens");
		return;
	}
	pid_t child = serve_fixtures(fd, fx);
	char base[64];
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", ntohs(sa.sin_port));
	struct remote_service svc = {.id = SERVICE_DNB, .name = "dnb", .base_url = base,
	                             .token_version = "v3", .client_id = "key",
	                             .client_secret = "secret", .connect_timeout_ms = 1000,
	                             .attempt_timeout_ms = 2000, .deadline_ms = 5000,
	                             .cooldown_ms = 300, .max_retries = 1, .breaker_failures = 1000};
	struct dnb_company one = {0}; /* zeroed before each lookup: read when it fails too */
	long long start;
	enum remote_err rc;
	long fetches = remote_token_fetches(&svc);

	/* The v3 token endpoint refuses (OAuth-style error). */
	fx_set(a, fx->token_body, "dnb/token-v3-400-error-05007.json");
	atomic_store(&fx->token_status, 400);
	fx_set(a, fx->body, "dnb/data-duns-200-gorman-companyinfo.json");
	atomic_store(&fx->status, 200);
	capture_stderr();
	start = 0;
	memset(&one, 0, sizeof(one));
	rc = dnb_company_by_duns(a, &svc, &start, "804735132", &one, NULL);
	const char *log = captured_stderr(a);
	is_int(rc, REMOTE_UNAVAILABLE, "v3 token refused (OAuth error): the lookup is unavailable");
	ok(strstr(log, "errorCode 05007") != NULL,
	   "the ErrorCode in error_description is read (logged)");
	is_int(atomic_load(&fx->requests), 0, "no lookup without a token");
	is_int(remote_token_fetches(&svc), fetches, "a refused token request fetches nothing");
	ok(starts_with(fx->token_req, "POST /v3/token HTTP/1.1\r\n"), "v3: POST /v3/token");
	ok(strstr(fx->token_req, "\r\nAuthorization: Basic a2V5OnNlY3JldA==\r\n") != NULL,
	   "v3: Authorization Basic base64(key:secret)");
	ok(strstr(fx->token_req, "\r\nContent-Type: application/x-www-form-urlencoded\r\n") != NULL,
	   "v3: a form body");
	ok(ends_with(fx->token_req, "\r\n\r\ngrant_type=client_credentials"),
	   "v3: grant_type=client_credentials");

	/* The v3 token, then data by DUNS. */
	fx_set(a, fx->token_body, "dnb/token-v3-200.json");
	atomic_store(&fx->token_status, 200);
	start = 0;
	memset(&one, 0, sizeof(one));
	rc = dnb_company_by_duns(a, &svc, &start, "804735132", &one, NULL);
	is_int(rc, REMOTE_OK, "v3 token (expires_in, token_type), then data/duns 200");
	is_str(one.name, "GORMAN MANUFACTURING COMPANY, INC.", "data/duns through the client");
	is_int(remote_token_fetches(&svc), fetches + 1, "one token fetched");
	ok(starts_with(fx->req, "GET /v1/data/duns/804735132?blockIDs=companyinfo_L2_v1 HTTP/1.1\r\n"),
	   "data by DUNS: path and block");
	ok(strstr(fx->req, "\r\nAuthorization: Bearer Qm9vZ2llExampleTokenV3\r\n") != NULL,
	   "the v3 access_token is sent as Bearer");
	fx_set(a, fx->body, "dnb/data-duns-200-gb-out-of-business-leading-zero.json");
	start = 0;
	memset(&one, 0, sizeof(one));
	rc = dnb_company_by_duns(a, &svc, &start, "014159265", &one, NULL);
	is_int(rc, REMOTE_OK, "data/duns of a DUNS with a leading zero");
	is_str(one.duns, "014159265", "its leading zero kept");
	ok(starts_with(fx->req, "GET /v1/data/duns/014159265?"), "the DUNS is sent with its zero");
	is_int(atomic_load(&fx->token_requests), 2, "the token is reused, not asked again");

	/* D+ error envelopes (HTTP status as documented). */
	static const struct {
		const char *file;
		int status;
		enum remote_err want;
		int requests;
		const char *why;
	} errors[] = {
	    {"dnb/error-404-10001-duns-not-found.json", 404, REMOTE_NOT_FOUND, 1,
	     "404 10001: not found, not retried"},
	    {"dnb/error-400-10002-invalid-parameters.json", 400, REMOTE_INVALID, 1,
	     "400 10002 with errorDetails: input refused, not retried"},
	    {"dnb/error-429-00045-too-many-requests.json", 429, REMOTE_RATE_LIMITED, 2,
	     "429 00045: rate limited after its retry"},
	    {"dnb/error-500-00034-internal-server-error.json", 500, REMOTE_UNAVAILABLE, 2,
	     "500 00034: unavailable after its retry"},
	};
	for (size_t i = 0; i < sizeof(errors) / sizeof(*errors); i++) {
		fx_set(a, fx->body, errors[i].file);
		atomic_store(&fx->status, errors[i].status);
		atomic_store(&fx->requests, 0);
		start = 0;
		memset(&one, 0, sizeof(one));
		is_int(dnb_company_by_duns(a, &svc, &start, "804735132", &one, NULL), errors[i].want,
		       "D+ %s", errors[i].why);
		is_int(atomic_load(&fx->requests), errors[i].requests, "D+ %s: %d request(s)",
		       errors[i].why, errors[i].requests);
	}

	/* 401 00040 once: the token is renewed (v2 endpoint now), the call
	 * made again. */
	svc.token_version = "v2";
	fx_set(a, fx->token_body, "dnb/token-v2-200.json");
	fx_set(a, fx->first_body, "dnb/error-401-00040-token-expired.json");
	atomic_store(&fx->first_status, 401);
	atomic_store(&fx->first_left, 1);
	fx_set(a, fx->body, "dnb/cleansematch-200-gorman-5-candidates-3-malformed.json");
	atomic_store(&fx->status, 200);
	atomic_store(&fx->requests, 0);
	struct dnb_query q = {.name = "Gorman", .country = "US", .line1 = "492 Koller Street",
	                      .city = "San Francisco", .region = "CA"};
	struct dnb_company *c = NULL;
	size_t n = 0;
	start = 0;
	rc = dnb_match(a, &svc, &start, &q, 5, &c, &n, NULL);
	is_int(rc, REMOTE_OK, "401 00040: token renewed once, the match made again");
	is_int((int)n, 2, "the readable candidates of the answer");
	is_int(atomic_load(&fx->requests), 2, "two match requests (refused, then answered)");
	is_int(remote_token_fetches(&svc), fetches + 2, "one more token fetched");
	ok(starts_with(fx->token_req, "POST /v2/token HTTP/1.1\r\n"), "v2: POST /v2/token");
	ok(strstr(fx->token_req, "\r\nContent-Type: application/json\r\n") != NULL,
	   "v2: a JSON body");
	ok(ends_with(fx->token_req, "\r\n\r\n{\"grant_type\":\"client_credentials\"}"),
	   "v2: {\"grant_type\":\"client_credentials\"}");
	ok(strstr(fx->req, "\r\nAuthorization: Bearer bWfz1eVQx3ZkV2ExampleTokenV2\r\n") != NULL,
	   "the renewed token (expiresIn answer) is sent");
	ok(starts_with(fx->req, "GET /v1/match/cleanseMatch?name=Gorman&countryISOAlpha2Code=US&"
	                        "streetAddressLine1=492%20Koller%20Street&addressLocality=San%20"
	                        "Francisco&addressRegion=CA&candidateMaximumQuantity=5 HTTP/1.1\r\n"),
	   "cleanseMatch query");
	start = 0;
	rc = dnb_match(a, &svc, &start, &q, 1, &c, &n, NULL);
	ok(rc == REMOTE_OK && n == 1 && strcmp(c[0].duns, "804735132") == 0,
	   "at most max candidates, the best first");

	/* 00040 every time: a fresh token refused too. */
	fx_set(a, fx->body, "dnb/error-401-00040-token-expired.json");
	atomic_store(&fx->status, 401);
	atomic_store(&fx->requests, 0);
	start = 0;
	rc = dnb_match(a, &svc, &start, &q, 5, &c, &n, NULL);
	is_int(rc, REMOTE_UNAVAILABLE, "401 00040 again after the renewal: unavailable");
	is_int(atomic_load(&fx->requests), 2, "renewed once only");
	is_int(remote_token_fetches(&svc), fetches + 3, "one renewal for that call");

	/* No match. */
	fx_set(a, fx->body, "dnb/cleansematch-200-no-match-null-candidates.json");
	atomic_store(&fx->status, 200);
	start = 0;
	rc = dnb_match(a, &svc, &start, &q, 5, &c, &n, NULL);
	ok(rc == REMOTE_NOT_FOUND && n == 0, "200 with matchCandidates null: no candidate");
	fx_set(a, fx->body, NULL);
	atomic_store(&fx->status, 404);
	start = 0;
	rc = dnb_match(a, &svc, &start, &q, 5, &c, &n, NULL);
	ok(rc == REMOTE_NOT_FOUND && n == 0, "404 without a body: no candidate");

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(fd);
	munmap(fx, sizeof(*fx));
}

/* ---- one token for the host (shared memory, lock, renewal) ---- */

#define WORKERS 6
struct tok_shared {
	_Atomic int       calls; /* fetches asked for */
	_Atomic int       rc;    /* what the fetch answers */
	_Atomic long long life;  /* lifetime it gives, seconds */
	_Atomic int       die;   /* the fetching process dies holding the lock */
	struct {
		int  rc;
		char token[64];
	} got[WORKERS];
};
static struct tok_shared *ts;

/* A token service: slow (200 ms), tokens "tok-<n>" for the nth call. */
static enum remote_err
slow_fetch(struct arena *a, const struct remote_service *svc, long long *start_ms, char *value,
           size_t size, long long *life_s)
{
	(void)a;
	(void)svc;
	(void)start_ms;
	int n = atomic_fetch_add(&ts->calls, 1) + 1;
	if (atomic_load(&ts->die))
		_exit(0);
	pause_ms(200);
	if (atomic_load(&ts->rc) != REMOTE_OK)
		return (enum remote_err)atomic_load(&ts->rc);
	snprintf(value, size, "tok-%d", n);
	*life_s = atomic_load(&ts->life);
	return REMOTE_OK;
}

/* Runs last: remote_init_shared moves the breakers and tokens to new shared
 * memory. */
static void
test_shared_token(struct arena *a)
{
	ts = mmap(NULL, sizeof(*ts), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int go[2];
	if (ts == MAP_FAILED || remote_init_shared() != 0 || pipe(go) != 0) {
		ok(0, "shared memory for the tokens");
		return;
	}
	struct remote_service svc = {.id = SERVICE_DNB, .name = "shared", .deadline_ms = 5000};
	atomic_store(&ts->life, 86400);
	pid_t kids[WORKERS];
	fflush(stdout);
	for (int i = 0; i < WORKERS; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			char c, out[64];
			close(go[1]);
			if (read(go[0], &c, 1) < 0) /* EOF when the parent says go */
				_exit(1);
			long long start = 0;
			ts->got[i].rc = remote_token(a, &svc, &start, NULL, slow_fetch, out, sizeof(out));
			snprintf(ts->got[i].token, sizeof(ts->got[i].token), "%s", out);
			_exit(0);
		}
	}
	close(go[0]);
	close(go[1]); /* all at once */
	for (int i = 0; i < WORKERS; i++)
		waitpid(kids[i], NULL, 0);
	is_int(remote_token_fetches(&svc), 1, "%d workers at once: one token fetched for the host",
	       WORKERS);
	is_int(atomic_load(&ts->calls), 1, "the token service was asked once");
	bool same = true;
	for (int i = 0; i < WORKERS; i++)
		same = same && ts->got[i].rc == REMOTE_OK && strcmp(ts->got[i].token, "tok-1") == 0;
	ok(same, "every worker got the same token");

	char out[64];
	long long start = 0;
	enum remote_err rc = remote_token(a, &svc, &start, "tok-1", slow_fetch, out, sizeof(out));
	ok(rc == REMOTE_OK && strcmp(out, "tok-2") == 0, "the current token refused: a new one");
	is_int(remote_token_fetches(&svc), 2, "refused current token: one more fetch");
	start = 0;
	rc = remote_token(a, &svc, &start, "tok-1", slow_fetch, out, sizeof(out));
	ok(rc == REMOTE_OK && strcmp(out, "tok-2") == 0, "an older token refused: the current one");
	is_int(remote_token_fetches(&svc), 2, "refused older token: no fetch");

	atomic_store(&ts->rc, REMOTE_UNAVAILABLE);
	start = 0;
	rc = remote_token(a, &svc, &start, "tok-2", slow_fetch, out, sizeof(out));
	ok(rc == REMOTE_UNAVAILABLE && *out == '\0', "a failed fetch: the caller is told, no token");
	atomic_store(&ts->rc, REMOTE_OK);
	start = 0;
	rc = remote_token(a, &svc, &start, NULL, slow_fetch, out, sizeof(out));
	ok(rc == REMOTE_OK && strcmp(out, "tok-4") == 0, "after a failed fetch the next call fetches");
	is_int(remote_token_fetches(&svc), 3, "fetches counted: the failed one is not");

	atomic_store(&ts->life, 2); /* renewed after 1 s */
	start = 0;
	rc = remote_token(a, &svc, &start, "tok-4", slow_fetch, out, sizeof(out));
	ok(rc == REMOTE_OK && strcmp(out, "tok-5") == 0, "a token of 2 s");
	start = 0;
	rc = remote_token(a, &svc, &start, NULL, slow_fetch, out, sizeof(out));
	ok(rc == REMOTE_OK && strcmp(out, "tok-5") == 0, "kept before half its life");
	pause_ms(1200);
	start = 0;
	rc = remote_token(a, &svc, &start, NULL, slow_fetch, out, sizeof(out));
	ok(rc == REMOTE_OK && strcmp(out, "tok-6") == 0, "renewed once past half its life");
	is_int(remote_token_fetches(&svc), 5, "fetched again after renew_after");

	/* A worker dies while it renews, holding the lock. */
	atomic_store(&ts->die, 1);
	fflush(stdout);
	pid_t dying = fork();
	if (dying == 0) {
		long long s = 0;
		remote_token(a, &svc, &s, "tok-6", slow_fetch, out, sizeof(out));
		_exit(1);
	}
	waitpid(dying, NULL, 0);
	atomic_store(&ts->die, 0);
	start = 0;
	rc = remote_token(a, &svc, &start, NULL, slow_fetch, out, sizeof(out));
	ok(rc == REMOTE_OK && strcmp(out, "tok-8") == 0,
	   "a worker died renewing: the lock is recovered and a token fetched");
	munmap(ts, sizeof(*ts));
}

int
main(void)
{
	struct arena a;
	arena_init(&a, 65536);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	find_srcdir();
	test_readers(&a);
	test_helpers(&a);
	test_fixture_readers(&a);
	test_error_meaning();
	test_address_query(&a);
	test_url_allowed();
	test_breaker();
	test_replay(&a);
	test_shared_token(&a); /* last: moves the shared state */
	arena_free(&a);
	curl_global_cleanup();
	return done_testing();
}
