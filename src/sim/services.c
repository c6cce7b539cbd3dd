/* The simulator's services: credentials and tokens of both services, the
 * fault switch, counters, the /_sim/ control endpoints and the dispatch of
 * a request to its endpoint. */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "sim/sim.h"

#define SLOW_MS_DEFAULT 5000
#define SLOW_MS_MAX     600000 /* a slow answer never waits more than 10 min */

/* Copies of the configured credentials (set once before the threads). */
static char cred_dnb_key[256], cred_dnb_secret[256], cred_usps_id[256], cred_usps_secret[256];
static long token_seconds = 86400; /* research §1.1: 24 h */

/* ---- counters ---- */

static const char *const counter_names[C__MAX] = {
    "dnb_token",        "dnb_cleanse_match", "dnb_data_duns",   "address_token",
    "address_validate", "dnb_requests",      "address_requests"};
static _Atomic long counters[C__MAX];

void
sim_count(enum sim_counter c)
{
	atomic_fetch_add(&counters[c], 1);
}

/* ---- tokens ---- */

/* A token is "<svc>.<generation>.<expiry>.<nonce>.<mac>", the MAC (keyed
 * with a random key of this process) making unknown tokens invalid. Tokens
 * are not stored: POST /_sim/expire-tokens bumps the service's generation,
 * which invalidates every token issued before. */
static unsigned char token_key[crypto_auth_KEYBYTES];
static _Atomic int generation[SIM__SERVICES];
static const char *const svc_names[SIM__SERVICES] = {"dnb", "address"};

static void
token_mac(const char *payload, size_t len, char hex[33])
{
	unsigned char mac[crypto_auth_BYTES];
	crypto_auth(mac, (const unsigned char *)payload, len, token_key);
	sodium_bin2hex(hex, 33, mac, 16);
}

static void
issue_token(enum sim_service svc, char *out, size_t outlen)
{
	unsigned char rnd[12];
	char nonce[25], mac[33];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(nonce, sizeof(nonce), rnd, sizeof(rnd));
	int n =
	    snprintf(out, outlen, "%s.%d.%lld.%s", svc_names[svc], atomic_load(&generation[svc]),
	             (long long)time(NULL) + token_seconds, nonce);
	token_mac(out, (size_t)n, mac);
	snprintf(out + n, outlen - (size_t)n, ".%s", mac);
}

/* True for "Bearer <token>" with a token of this process for svc, of the
 * current generation and not expired. */
static bool
token_valid(enum sim_service svc, const char *authorization)
{
	if (authorization == NULL || strncmp(authorization, "Bearer ", 7) != 0)
		return false;
	const char *tok = authorization + 7, *dot = strrchr(tok, '.');
	size_t plen = strlen(svc_names[svc]);
	if (dot == NULL || strncmp(tok, svc_names[svc], plen) != 0 || tok[plen] != '.')
		return false;
	char mac[33];
	token_mac(tok, (size_t)(dot - tok), mac);
	if (strlen(dot + 1) != 32 || sodium_memcmp(mac, dot + 1, 32) != 0)
		return false;
	char *end;
	long gen = strtol(tok + plen + 1, &end, 10);
	if (*end != '.' || gen != atomic_load(&generation[svc]))
		return false;
	long long expires = strtoll(end + 1, &end, 10);
	return *end == '.' && expires > (long long)time(NULL);
}

void
sim_set_credentials(const char *dnb_key, const char *dnb_secret, const char *usps_id,
                    const char *usps_secret, long seconds)
{
	snprintf(cred_dnb_key, sizeof(cred_dnb_key), "%s", dnb_key);
	snprintf(cred_dnb_secret, sizeof(cred_dnb_secret), "%s", dnb_secret);
	snprintf(cred_usps_id, sizeof(cred_usps_id), "%s", usps_id);
	snprintf(cred_usps_secret, sizeof(cred_usps_secret), "%s", usps_secret);
	token_seconds = seconds > 0 ? seconds : 86400;
	crypto_auth_keygen(token_key);
}

/* Basic base64(key:secret) of the D+ token endpoints (research §1.1). */
static bool
basic_valid(const char *authorization)
{
	if (authorization == NULL || strncmp(authorization, "Basic ", 6) != 0 || !*cred_dnb_key)
		return false;
	unsigned char bin[512];
	size_t len = 0;
	if (sodium_base642bin(bin, sizeof(bin) - 1, authorization + 6, strlen(authorization + 6),
	                      NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return false;
	bin[len] = '\0';
	char expect[512];
	snprintf(expect, sizeof(expect), "%s:%s", cred_dnb_key, cred_dnb_secret);
	return strlen((char *)bin) == len && strcmp((char *)bin, expect) == 0;
}

/* The grant_type of a JSON or form body ("" when none; malloc'd). */
static char *
grant_type(const struct sim_request *rq, json_t **json)
{
	*json = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, NULL);
	const char *g = json_string_value(json_object_get(*json, "grant_type"));
	if (g)
		return strdup(g);
	char *form = strndup(rq->body ? rq->body : "", rq->body_len);
	char *v = sim_param_s(form, "grant_type");
	free(form);
	return v;
}

/* POST /v2/token (JSON body) and /v3/token (form body), research §1.1:
 * v2 answers {"access_token","expiresIn"} and errors in the D+ envelope
 * (401 00004 for bad credentials, 400 00003 without grant_type); v3
 * answers {"access_token","expires_in","token_type"} and OAuth-style
 * errors (401 invalid_client, 400 invalid_request 05007). */
static void
dnb_token(const struct sim_request *rq, struct sim_response *rs, bool v3)
{
	sim_count(C_DNB_TOKEN);
	json_t *body;
	char *grant = grant_type(rq, &body);
	json_decref(body);
	if (!basic_valid(rq->authorization)) {
		if (v3)
			sim_json(rs, 401,
			         json_pack("{s:s, s:s}", "error", "invalid_client",
			                   "error_description",
			                   "Invalid client credentials. ErrorCode: 00004."));
		else
			sim_dnb_error(rs, 401, "00004",
			              "You are not currently authorised to access this product.",
			              NULL);
	} else if (strcmp(grant, "client_credentials") != 0) {
		if (v3)
			sim_json(rs, 400,
			         json_pack("{s:s, s:s}", "error", "invalid_request",
			                   "error_description",
			                   "Request missing required element: 'grant_type'. "
			                   "ErrorCode: 05007."));
		else
			sim_dnb_error(rs, 400, "00003",
			              "One or more parameters are invalid or missing.",
			              "grant_type");
	} else {
		char token[256];
		issue_token(SIM_DNB, token, sizeof(token));
		if (v3)
			sim_json(rs, 200,
			         json_pack("{s:s, s:I, s:s}", "access_token", token, "expires_in",
			                   (json_int_t)token_seconds, "token_type", "Bearer"));
		else
			sim_json(rs, 200,
			         json_pack("{s:s, s:I}", "access_token", token, "expiresIn",
			                   (json_int_t)token_seconds));
	}
	free(grant);
}

/* POST /oauth2/v3/token, research §2.2: JSON (a form is accepted too)
 * with grant_type client_credentials, client_id, client_secret → 200
 * {"access_token","token_type":"Bearer","expires_in","scope"}; wrong
 * credentials → 401, another grant_type → 400. */
static void
usps_token(const struct sim_request *rq, struct sim_response *rs)
{
	sim_count(C_USPS_TOKEN);
	json_t *json;
	char *grant = grant_type(rq, &json);
	char *form = strndup(rq->body ? rq->body : "", rq->body_len);
	const char *id = json_string_value(json_object_get(json, "client_id"));
	const char *secret = json_string_value(json_object_get(json, "client_secret"));
	char *fid = json ? NULL : sim_param(form, "client_id");
	char *fsecret = json ? NULL : sim_param(form, "client_secret");
	id = id ? id : fid;
	secret = secret ? secret : fsecret;
	if (!(id && secret && *cred_usps_id && strcmp(id, cred_usps_id) == 0 &&
	      strcmp(secret, cred_usps_secret) == 0)) {
		sim_usps_error(rs, 401, "Invalid client credentials.");
	} else if (strcmp(grant, "client_credentials") != 0) {
		sim_usps_error(rs, 400, "grant_type must be client_credentials.");
	} else {
		char token[256];
		issue_token(SIM_ADDRESS, token, sizeof(token));
		sim_json(rs, 200,
		         json_pack("{s:s, s:s, s:I, s:s}", "access_token", token, "token_type",
		                   "Bearer", "expires_in", (json_int_t)token_seconds, "scope",
		                   "addresses"));
	}
	json_decref(json);
	free(grant);
	free(form);
	free(fid);
	free(fsecret);
}

/* ---- faults ---- */

enum sim_fault {
	FAULT_NONE,
	FAULT_SLOW,
	FAULT_ERROR,
	FAULT_GARBAGE,
	FAULT_DOWN,
	FAULT_RATELIMIT,
	FAULT__MAX
};
static const char *const fault_names[FAULT__MAX] = {"none",    "slow", "error",
                                                    "garbage", "down", "ratelimit"};
static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static enum sim_fault faults[SIM__SERVICES];
static long fault_ms[SIM__SERVICES] = {SLOW_MS_DEFAULT, SLOW_MS_DEFAULT};

static json_t *
fault_state(void)
{
	json_t *o = json_object();
	pthread_mutex_lock(&fault_lock);
	for (int s = 0; s < SIM__SERVICES; s++)
		json_object_set_new(o, svc_names[s],
		                    json_pack("{s:s, s:I}", "mode", fault_names[faults[s]], "ms",
		                              (json_int_t)fault_ms[s]));
	pthread_mutex_unlock(&fault_lock);
	return o;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Applies the fault of svc before its endpoint answers (CONTRACT §6;
 * research §1.5 codes); true when the fault made the answer. */
static bool
apply_fault(enum sim_service svc, struct sim_response *rs)
{
	pthread_mutex_lock(&fault_lock);
	enum sim_fault f = faults[svc];
	long ms = fault_ms[svc];
	pthread_mutex_unlock(&fault_lock);
	switch (f) {
	case FAULT_SLOW: /* then answers normally */
		sleep_ms(ms);
		return false;
	case FAULT_ERROR: /* D+ 500 00034; USPS 503 (§2.2) */
		if (svc == SIM_DNB)
			sim_dnb_error(rs, 500, "00034", "Internal Server Error", NULL);
		else
			sim_usps_error(rs, 503, "Service Unavailable");
		return true;
	case FAULT_GARBAGE: /* 200, announced as JSON, that is not JSON */
		rs->status = 200;
		rs->content_type = "application/json";
		sbuf_adds(&rs->body, "<html><body>Gateway maintenance {\"partial\": ");
		return true;
	case FAULT_DOWN: /* the connection is closed without an answer */
		rs->drop = true;
		return true;
	case FAULT_RATELIMIT: /* 429 + Retry-After: 1; D+ 00045 (§1.5, §1.6) */
		rs->retry_after = 1;
		if (svc == SIM_DNB)
			sim_dnb_error(rs, 429, "00045", "Too Many Requests", NULL);
		else
			sim_usps_error(rs, 429, "Too Many Requests");
		return true;
	default:
		return false;
	}
}

/* ---- control endpoints (never faulted) ---- */

/* service= of params: the service, SIM__SERVICES for "all" when absent
 * and allow_all, -1 when invalid. */
static int
service_param(const char *params, bool allow_all)
{
	char *s = sim_param(params, "service");
	int svc = -1;
	if (s == NULL || *s == '\0')
		svc = allow_all ? SIM__SERVICES : -1;
	else
		for (int i = 0; i < SIM__SERVICES; i++)
			if (strcmp(s, svc_names[i]) == 0)
				svc = i;
	free(s);
	return svc;
}

/* POST /_sim/fault service=dnb|address mode=none|slow|error|garbage|down|
 *   ratelimit [ms=5000]: 200 with the state of both services, 400 for
 *   anything else (GET: the state);
 * ours (README "CSP onboarding"):
 * POST /_sim/expire-tokens [service=dnb|address]: every token issued so
 *   far (of that service, or of both) gets 401 (D+ 00040);
 * GET /_sim/stats: the counters as a JSON object;
 * POST /_sim/reset: counters to zero, faults to none. */
static void
control(const struct sim_request *rq, struct sim_response *rs)
{
	char *form = strndup(rq->body ? rq->body : "", rq->body_len);
	const char *params = *form ? form : rq->query;
	const char *p = rq->path + 6;
	bool post = strcmp(rq->method, "POST") == 0, get = strcmp(rq->method, "GET") == 0;
	if (strcmp(p, "fault") == 0 && post) {
		int svc = service_param(params, false);
		char *mode = sim_param(params, "mode"), *ms = sim_param(params, "ms"), *end = NULL;
		int m = -1;
		for (int i = 0; mode && i < FAULT__MAX; i++)
			if (strcmp(mode, fault_names[i]) == 0)
				m = i;
		long msv = ms && *ms ? strtol(ms, &end, 10) : SLOW_MS_DEFAULT;
		if (svc < 0 || m < 0 || (end && *end) || msv < 0 || msv > SLOW_MS_MAX) {
			sim_json(rs, 400,
			         json_pack("{s:s}", "error",
			                   "service=dnb|address, mode=none|slow|error|garbage|"
			                   "down|ratelimit, ms=0..600000"));
		} else {
			pthread_mutex_lock(&fault_lock);
			faults[svc] = (enum sim_fault)m;
			fault_ms[svc] = msv;
			pthread_mutex_unlock(&fault_lock);
			log_info("%s: fault %s (%ld ms)", svc_names[svc], fault_names[m], msv);
			sim_json(rs, 200, fault_state());
		}
		free(mode);
		free(ms);
	} else if (strcmp(p, "fault") == 0 && get) {
		sim_json(rs, 200, fault_state());
	} else if (strcmp(p, "expire-tokens") == 0 && post) {
		int svc = service_param(params, true);
		if (svc < 0) {
			sim_json(rs, 400, json_pack("{s:s}", "error", "service=dnb|address"));
		} else {
			json_t *done = json_array();
			for (int s = 0; s < SIM__SERVICES; s++)
				if (svc == s || svc == SIM__SERVICES) {
					atomic_fetch_add(&generation[s], 1);
					json_array_append_new(done, json_string(svc_names[s]));
				}
			log_info("tokens expired (%s)",
			         svc == SIM__SERVICES ? "all" : svc_names[svc]);
			sim_json(rs, 200, json_pack("{s:o}", "expired", done));
		}
	} else if (strcmp(p, "stats") == 0 && get) {
		json_t *o = json_object();
		for (int i = 0; i < C__MAX; i++)
			json_object_set_new(o, counter_names[i],
			                    json_integer(atomic_load(&counters[i])));
		sim_json(rs, 200, o);
	} else if (strcmp(p, "reset") == 0 && post) {
		for (int i = 0; i < C__MAX; i++)
			atomic_store(&counters[i], 0);
		pthread_mutex_lock(&fault_lock);
		for (int s = 0; s < SIM__SERVICES; s++) {
			faults[s] = FAULT_NONE;
			fault_ms[s] = SLOW_MS_DEFAULT;
		}
		pthread_mutex_unlock(&fault_lock);
		log_info("reset: counters zeroed, faults cleared");
		sim_json(rs, 200, fault_state());
	} else if (strcmp(p, "fault") == 0 || strcmp(p, "expire-tokens") == 0 ||
	           strcmp(p, "stats") == 0 || strcmp(p, "reset") == 0) {
		sim_json(rs, 405, json_pack("{s:s}", "error", "method not allowed"));
	} else {
		sim_json(rs, 404, json_pack("{s:s}", "error", "unknown control endpoint"));
	}
	free(form);
}

/* ---- dispatch ---- */

enum route { R_DNB_TOKEN2, R_DNB_TOKEN3, R_DNB_MATCH, R_DNB_DATA, R_USPS_TOKEN, R_USPS_ADDRESS };
static const struct {
	const char *path; /* a prefix when it ends with '/' */
	const char *method;
	enum sim_service svc;
} routes[] = {
    [R_DNB_TOKEN2] = {"/v2/token", "POST", SIM_DNB},
    [R_DNB_TOKEN3] = {"/v3/token", "POST", SIM_DNB},
    [R_DNB_MATCH] = {"/v1/match/cleanseMatch", "GET", SIM_DNB},
    [R_DNB_DATA] = {"/v1/data/duns/", "GET", SIM_DNB},
    [R_USPS_TOKEN] = {"/oauth2/v3/token", "POST", SIM_ADDRESS},
    [R_USPS_ADDRESS] = {"/addresses/v3/address", "GET", SIM_ADDRESS},
};

static void
service_error(enum sim_service svc, struct sim_response *rs, int status, const char *code,
              const char *message)
{
	if (svc == SIM_DNB)
		sim_dnb_error(rs, status, code, message, NULL);
	else
		sim_usps_error(rs, status, message);
}

void
sim_handle(const struct sim_request *rq, struct sim_response *rs)
{
	const char *p = rq->path;
	if (strncmp(p, "/_sim/", 6) == 0) {
		control(rq, rs);
		return;
	}
	int r = -1;
	for (size_t i = 0; i < sizeof(routes) / sizeof(*routes) && r < 0; i++) {
		size_t n = strlen(routes[i].path);
		if (routes[i].path[n - 1] == '/' ? strncmp(p, routes[i].path, n) == 0 && p[n]
		                                 : strcmp(p, routes[i].path) == 0)
			r = (int)i;
	}
	/* Unknown paths under a service's prefixes still belong to it. */
	enum sim_service svc;
	if (r >= 0)
		svc = routes[r].svc;
	else if (strncmp(p, "/v1/", 4) == 0 || strncmp(p, "/v2/", 4) == 0 ||
	         strncmp(p, "/v3/", 4) == 0)
		svc = SIM_DNB;
	else if (strncmp(p, "/addresses/", 11) == 0 || strncmp(p, "/oauth2/", 8) == 0)
		svc = SIM_ADDRESS;
	else {
		sim_json(rs, 404, json_pack("{s:s}", "error", "not found"));
		return;
	}
	sim_count(svc == SIM_DNB ? C_DNB_ALL : C_USPS_ALL);
	if (apply_fault(svc, rs))
		return;
	if (r < 0) {
		service_error(svc, rs, 404, "00037", "Not Found"); /* research §1.5: bad path */
	} else if (strcmp(rq->method, routes[r].method) != 0) {
		service_error(svc, rs, 405, "00010", "Method Not Allowed");
	} else if (r == R_DNB_TOKEN2 || r == R_DNB_TOKEN3) {
		dnb_token(rq, rs, r == R_DNB_TOKEN3);
	} else if (r == R_USPS_TOKEN) {
		usps_token(rq, rs);
	} else if (!token_valid(svc, rq->authorization)) {
		/* research §1.1: expired (or unknown) token → 401 00040. */
		service_error(svc, rs, 401, "00040", "Access token expired or invalid.");
	} else if (r == R_DNB_MATCH) {
		dnb_match(rq, rs);
	} else if (r == R_DNB_DATA) {
		dnb_data(rq, rs, p + strlen(routes[R_DNB_DATA].path));
	} else {
		usps_address(rq, rs);
	}
}
