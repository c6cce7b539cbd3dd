/* The simulator's text handling: normalisation for the matching rules of
 * CONTRACT §6, query/form parameters (and the check of their names), the
 * TSV fixtures (addresses with their optional dpv column) and JSON answers:
 * the D+ envelope, the OAuth-style error of D+ /v3/token and the USPS v3
 * error envelope, each built in one place. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/us_postal.h"
#include "sim/sim.h"

struct company *sim_companies;
size_t sim_ncompanies;
struct address *sim_addresses;
size_t sim_naddresses;

/* ---- normalisation ---- */

/* ASCII for U+00C0–U+017F, two characters per code point ('_' = none). */
static const char fold_map[] = "A_A_A_A_A_A_AEC_E_E_E_E_I_I_I_I_D_N_O_O_O_O_O___O_U_U_U_U_Y_THSS"
                               "A_A_A_A_A_A_AEC_E_E_E_E_I_I_I_I_D_N_O_O_O_O_O___O_U_U_U_U_Y_THY_"
                               "A_A_A_A_A_A_C_C_C_C_C_C_C_C_D_D_D_D_E_E_E_E_E_E_E_E_E_E_G_G_G_G_"
                               "G_G_G_G_H_H_H_H_I_I_I_I_I_I_I_I_I_I_IJIJJ_J_K_K_K_L_L_L_L_L_L_L_"
                               "L_L_L_N_N_N_N_N_N_N_N_N_O_O_O_O_O_O_OEOER_R_R_R_R_R_S_S_S_S_S_S_"
                               "S_S_T_T_T_T_T_T_U_U_U_U_U_U_U_U_U_U_U_U_W_W_Y_Y_Y_Z_Z_Z_Z_Z_Z_S_";

/* Decodes one UTF-8 sequence at p (never past its NUL): the code point,
 * or -1 for a malformed byte; *len gets the bytes used. */
static long
utf8_next(const unsigned char *p, size_t *len)
{
	int n = p[0] >= 0xF8 ? -1 : p[0] >= 0xF0 ? 3 : p[0] >= 0xE0 ? 2 : p[0] >= 0xC2 ? 1 : -1;
	*len = 1;
	if (p[0] < 0x80)
		return p[0];
	if (n < 0)
		return -1;
	long cp = p[0] & (0x3F >> n);
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	*len = (size_t)n + 1;
	return cp;
}

void
sim_normalise(const char *in, char *out, size_t outlen)
{
	size_t k = 0;
	bool space = true; /* no leading space */
	if (outlen == 0)
		return;
	for (const unsigned char *p = (const unsigned char *)in; *p && k + 3 < outlen;) {
		size_t len;
		long cp = utf8_next(p, &len);
		p += len;
		char buf[2] = {' ', 0};
		if (cp == '\'' || cp == '.' || cp == 0x2019 || (cp >= 0x300 && cp <= 0x36F))
			continue; /* apostrophes, dots, combining accents: dropped */
		if (cp >= 0xC0 && cp <= 0x17F) {
			buf[0] = fold_map[(cp - 0xC0) * 2];
			buf[1] = fold_map[(cp - 0xC0) * 2 + 1];
			if (buf[0] == '_')
				buf[0] = ' ';
			if (buf[1] == '_')
				buf[1] = 0;
		} else if (cp > 0 && cp < 0x80 && isalnum((int)cp)) {
			buf[0] = (char)toupper((int)cp);
		}
		for (int i = 0; i < 2 && buf[i]; i++) {
			if (buf[i] == ' ' && space)
				continue;
			out[k++] = buf[i];
			space = buf[i] == ' ';
		}
	}
	if (k && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
}

void
sim_words_key(const char *in, char *out, size_t outlen, const char *(*map)(const char *))
{
	char norm[SIM_FIELD * 2];
	sim_normalise(in, norm, sizeof(norm));
	size_t k = 0;
	out[0] = '\0';
	for (char *save = NULL, *w = strtok_r(norm, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		const char *m = map(w);
		if (m == NULL)
			continue;
		int n = snprintf(out + k, outlen - k, "%s%s", k ? " " : "", m);
		if (n < 0 || (size_t)n >= outlen - k) {
			out[k] = '\0';
			break;
		}
		k += (size_t)n;
	}
}

static bool
in_list(const char *const *list, const char *w)
{
	for (; *list; list++)
		if (strcmp(*list, w) == 0)
			return true;
	return false;
}

/* Legal forms, ignored when comparing company names (CONTRACT §6). */
const char *
sim_name_word(const char *w)
{
	static const char *const forms[] = {
	    "INC", "INCORPORATED", "LLC", "LLP", "LTD",  "LIMITED", "LTDA", "CORP", "CORPORATION",
	    "CO",  "COMPANY",      "SA",  "SAS", "SARL", "SE",      "GMBH", "AG",   "KG",
	    "BV",  "NV",           "SPA", "SRL", "SL",   "PLC",     "KK",   "PTY",  "PTE",
	    "PVT", "PRIVATE",      "AB",  "OY",  "THE",  NULL};
	return in_list(forms, w) ? NULL : w;
}

/* USPS Publication 28 street suffixes, directions and unit designators,
 * and the French/German ones of the fixtures, for the address
 * comparison (CONTRACT §6). */
const char *
sim_street_word(const char *w)
{
	static const char *const pairs[][2] = {
	    {"STREET", "ST"},       {"AVENUE", "AVE"},    {"AV", "AVE"},
	    {"BOULEVARD", "BLVD"},  {"BD", "BLVD"},       {"ROAD", "RD"},
	    {"DRIVE", "DR"},        {"LANE", "LN"},       {"COURT", "CT"},
	    {"PLACE", "PL"},        {"SQUARE", "SQ"},     {"TERRACE", "TER"},
	    {"CIRCLE", "CIR"},      {"HIGHWAY", "HWY"},   {"PARKWAY", "PKWY"},
	    {"EXPRESSWAY", "EXPY"}, {"NORTH", "N"},       {"SOUTH", "S"},
	    {"EAST", "E"},          {"WEST", "W"},        {"NORTHEAST", "NE"},
	    {"NORTHWEST", "NW"},    {"SOUTHEAST", "SE"},  {"SOUTHWEST", "SW"},
	    {"SUITE", "STE"},       {"APARTMENT", "APT"}, {"FLOOR", "FL"},
	    {"ROOM", "RM"},         {"BUILDING", "BLDG"}, {"DEPARTMENT", "DEPT"},
	    {"SAINT", "ST"},        {"STRASSE", "STR"},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(*pairs); i++)
		if (strcmp(pairs[i][0], w) == 0)
			return pairs[i][1];
	return w;
}

/* Street words abbreviated; '#' (USPS Pub 28: a unit of unknown kind)
 * compares as UNIT. */
void
sim_street_key(const char *in, char *out, size_t outlen)
{
	char buf[SIM_FIELD * 2];
	size_t k = 0;
	for (const char *p = in; *p && k + 7 < sizeof(buf); p++) {
		if (*p == '#') {
			memcpy(buf + k, " UNIT ", 6);
			k += 6;
		} else {
			buf[k++] = *p;
		}
	}
	buf[k] = '\0';
	sim_words_key(buf, out, outlen, sim_street_word);
}

void
sim_postal_key(const char *in, char *out, size_t outlen)
{
	sim_normalise(in, out, outlen);
	/* ZIP+4 compares on the five-digit ZIP. */
	if (strlen(out) == 10 && out[5] == ' ' && strspn(out, "0123456789") == 5)
		out[5] = '\0';
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
				/* s[1] and s[2] stay inside the string: '&' and NUL are not hex. */
				if (*s == '+') {
					out[k++] = ' ';
				} else if (*s == '%' && hexval((unsigned char)s[1]) >= 0 &&
				           hexval((unsigned char)s[2]) >= 0) {
					out[k++] = (char)(hexval((unsigned char)s[1]) * 16 +
					                  hexval((unsigned char)s[2]));
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

char *
sim_param_s(const char *qs, const char *name)
{
	char *v = sim_param(qs, name);
	return v ? v : strdup("");
}

/* Copies a parameter name for an error answer: at most outlen - 1 bytes,
 * printable ASCII kept, any other byte as '?' (the answer is JSON, and
 * the name may be any bytes the client sent). */
static void
param_name_copy(const char *name, size_t len, char *out, size_t outlen)
{
	size_t k = 0;
	for (size_t i = 0; i < len && k + 1 < outlen; i++)
		out[k++] = name[i] >= 0x20 && name[i] < 0x7F ? name[i] : '?';
	out[k] = '\0';
}

enum sim_param_fault
sim_params_check(const char *qs, const char *const *known, char *bad, size_t badlen)
{
	*bad = '\0';
	for (const char *p = qs; p && *p;) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		size_t nlen = strcspn(p, "=&");
		if (len > 0) { /* "a=1&&b=2": an empty pair is no parameter */
			bool found = false;
			for (const char *const *k = known; *k && !found; k++)
				found = strlen(*k) == nlen && strncmp(*k, p, nlen) == 0;
			param_name_copy(p, nlen, bad, badlen);
			if (!found)
				return PARAM_UNKNOWN;
			if (nlen + 1 >= len)
				return PARAM_EMPTY; /* "name" or "name=" */
		}
		p = end ? end + 1 : NULL;
	}
	*bad = '\0';
	return PARAM_OK;
}

/* ---- fixtures ---- */

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

/* Reads a fixture (CONTRACT §6: TSV, UTF-8, header line first, '#' lines
 * ignored): each data row with min_cols to max_cols fields goes to add
 * (with its number of fields), which returns false to refuse it. 0, or -1
 * after logging why (expect names the columns). */
static int
read_fixture(const char *path, size_t min_cols, size_t max_cols, const char *expect,
             bool (*add)(char **cols, size_t ncols))
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		log_err("cannot read %s", path);
		return -1;
	}
	char line[4096], count[32];
	if (min_cols == max_cols)
		snprintf(count, sizeof(count), "%zu", min_cols);
	else
		snprintf(count, sizeof(count), "%zu or %zu", min_cols, max_cols);
	bool header = true;
	int lineno = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (header) {
			header = false;
			continue;
		}
		char *cols[16];
		size_t k = 0;
		for (char *p = line; k < sizeof(cols) / sizeof(*cols);) {
			cols[k++] = p;
			if ((p = strchr(p, '\t')) == NULL)
				break;
			*p++ = '\0';
		}
		if (k < min_cols || k > max_cols || !add(cols, k)) {
			log_err("%s:%d: expected %s tab-separated columns: %s", path, lineno, count,
			        expect);
			rc = -1;
		}
	}
	fclose(f);
	return rc;
}

/* Appends one zeroed element to a growing array (aborts when out of memory). */
static void *
grow(void *arr, size_t *n, size_t size)
{
	if ((*n & (*n + 1)) == 0) { /* capacity: powers of two minus one */
		arr = realloc(arr, (2 * *n + 1) * size);
		if (arr == NULL)
			abort();
	}
	memset((char *)arr + *n * size, 0, size);
	(*n)++;
	return arr;
}

/* A company row; an empty name is allowed (answered as primaryName null). */
static bool
add_company(char **c, size_t ncols)
{
	(void)ncols;
	if (strlen(c[0]) != 9 || strspn(c[0], "0123456789") != 9 || strlen(c[6]) != 2 ||
	    (strcmp(c[7], "active") != 0 && strcmp(c[7], "out_of_business") != 0))
		return false;
	sim_companies = grow(sim_companies, &sim_ncompanies, sizeof(*sim_companies));
	struct company *co = &sim_companies[sim_ncompanies - 1];
	COPY(co->duns, c[0]);
	COPY(co->name, c[1]);
	COPY(co->street, c[2]);
	COPY(co->city, c[3]);
	COPY(co->region, c[4]);
	COPY(co->postal, c[5]);
	COPY(co->country, c[6]);
	co->active = strcmp(c[7], "active") == 0;
	sim_words_key(co->name, co->key_name, sizeof(co->key_name), sim_name_word);
	sim_street_key(co->street, co->key_street, sizeof(co->key_street));
	sim_normalise(co->city, co->key_city, sizeof(co->key_city));
	sim_normalise(co->region, co->key_region, sizeof(co->key_region));
	sim_postal_key(co->postal, co->key_postal, sizeof(co->key_postal));
	return true;
}

int
sim_load_companies(const char *path)
{
	return read_fixture(path, 8, 8, "duns name street city region postal_code country status",
	                    add_company);
}

/* An address row: nine columns and the optional dpv (Y, D, S or N; empty
 * or absent = Y). The row's ZIP+4 add-on is that of std_postal_code, else
 * that of postal_code ("" when neither has one). */
static bool
add_address(char **c, size_t ncols)
{
	const char *dpv = ncols > 9 && *c[9] ? c[9] : "Y";
	if (strlen(c[4]) != 2 || strlen(dpv) != 1 || strchr("YDSN", dpv[0]) == NULL)
		return false;
	sim_addresses = grow(sim_addresses, &sim_naddresses, sizeof(*sim_addresses));
	struct address *ad = &sim_addresses[sim_naddresses - 1];
	COPY(ad->street, c[0]);
	COPY(ad->city, c[1]);
	COPY(ad->region, c[2]);
	COPY(ad->postal, c[3]);
	COPY(ad->country, c[4]);
	COPY(ad->std_street, c[5]);
	COPY(ad->std_city, c[6]);
	COPY(ad->std_region, c[7]);
	COPY(ad->std_postal, c[8]);
	COPY(ad->dpv, dpv);
	char zip5[6];
	if (!us_zip_split(ad->std_postal, zip5, ad->plus4) || !*ad->plus4)
		us_zip_split(ad->postal, zip5, ad->plus4);
	sim_street_key(ad->street, ad->key_street, sizeof(ad->key_street));
	sim_normalise(ad->city, ad->key_city, sizeof(ad->key_city));
	sim_normalise(ad->region, ad->key_region, sizeof(ad->key_region));
	sim_postal_key(ad->postal, ad->key_postal, sizeof(ad->key_postal));
	sim_street_key(ad->std_street, ad->key_std_street, sizeof(ad->key_std_street));
	sim_normalise(ad->std_city, ad->key_std_city, sizeof(ad->key_std_city));
	sim_normalise(ad->std_region, ad->key_std_region, sizeof(ad->key_std_region));
	sim_postal_key(ad->std_postal, ad->key_std_postal, sizeof(ad->key_std_postal));
	return true;
}

int
sim_load_addresses(const char *path)
{
	return read_fixture(path, 9, 10,
	                    "street city region postal_code country std_street std_city std_region "
	                    "std_postal_code [dpv: Y, D, S or N]",
	                    add_address);
}

/* ---- JSON answers ---- */

void
sim_json(struct sim_response *rs, int status, json_t *body)
{
	char *s = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	rs->status = status;
	rs->content_type = "application/json";
	sbuf_reset(&rs->body);
	sbuf_adds(&rs->body, s ? s : "{}");
	free(s);
	json_decref(body);
}

json_t *
sim_transaction_detail(void)
{
	char id[40], ts[32];
	unsigned char rnd[8];
	randombytes_buf(rnd, sizeof(rnd));
	snprintf(id, sizeof(id), "rrt-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
	         rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	size_t n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + n, sizeof(ts) - n, ".%03ldZ", now.tv_nsec / 1000000);
	return json_pack("{s:s, s:s, s:s, s:s}", "transactionID", id, "transactionTimestamp", ts,
	                 "inLanguage", "en-US", "serviceVersion", "1");
}

void
sim_dnb_error(struct sim_response *rs, int status, const char *code, const char *message,
              const char *parameter)
{
	json_t *err = json_pack("{s:s, s:s}", "errorCode", code, "errorMessage", message);
	if (parameter) {
		char desc[160];
		snprintf(desc, sizeof(desc),
		         "'%s' element is missing or contains an invalid value.", parameter);
		json_object_set_new(
		    err, "errorDetails",
		    json_pack("[{s:s, s:s}]", "parameter", parameter, "description", desc));
	}
	sim_json(
	    rs, status,
	    json_pack("{s:o, s:o}", "transactionDetail", sim_transaction_detail(), "error", err));
}

const char *
sim_status_text(int status)
{
	static const struct {
		int status;
		const char *text;
	} texts[] = {
	    {200, "OK"},
	    {400, "Bad Request"},
	    {401, "Unauthorized"},
	    {402, "Payment Required"},
	    {403, "Forbidden"},
	    {404, "Not Found"},
	    {405, "Method Not Allowed"},
	    {408, "Request Timeout"},
	    {409, "Conflict"},
	    {413, "Payload Too Large"},
	    {415, "Unsupported Media Type"},
	    {422, "Unprocessable Entity"},
	    {429, "Too Many Requests"},
	    {500, "Internal Server Error"},
	    {501, "Not Implemented"},
	    {502, "Bad Gateway"},
	    {503, "Service Unavailable"},
	    {504, "Gateway Timeout"},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		if (texts[i].status == status)
			return texts[i].text;
	return status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "Status";
}

void
sim_oauth_error(struct sim_response *rs, int status, const char *error, const char *description)
{
	sim_json(rs, status,
	         json_pack("{s:s, s:s}", "error", error, "error_description", description));
}

/* The short code of a USPS error that names none: the status text in
 * capitals, words joined by '_' ("SERVICE_UNAVAILABLE"). */
static void
usps_default_code(int status, char *out, size_t outlen)
{
	size_t k = 0;
	for (const char *p = sim_status_text(status); *p && k + 1 < outlen; p++)
		out[k++] = *p == ' ' ? '_' : (char)toupper((unsigned char)*p);
	out[k] = '\0';
}

void
sim_usps_error(struct sim_response *rs, int status, const char *code, const char *message,
               const char *parameter)
{
	char status_s[8], default_code[48];
	snprintf(status_s, sizeof(status_s), "%d", status);
	if (code == NULL) {
		usps_default_code(status, default_code, sizeof(default_code));
		code = default_code;
	}
	json_t *item = json_pack("{s:s, s:s, s:s, s:s}", "status", status_s, "code", code, "title",
	                         sim_status_text(status), "detail", message);
	if (parameter)
		json_object_set_new(item, "source", json_pack("{s:s}", "parameter", parameter));
	sim_json(rs, status,
	         json_pack("{s:s, s:{s:s, s:s, s:[o]}}", "apiVersion", "/addresses/v3", "error",
	                   "code", status_s, "message", message, "errors", item));
}
