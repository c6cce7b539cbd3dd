/* The simulator's services: the fault switch (mode=error with its HTTP
 * status and, for D&B, its errorCode), counters, the /_sim/ control
 * endpoints and the dispatch of a request to its endpoint (the token
 * endpoints and the token check are in tokens.c). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "sim/sim.h"

#define SLOW_MS_DEFAULT 5000
#define SLOW_MS_MAX     600000 /* a slow answer never waits more than 10 min */

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

/* The fault of one service: its mode, the wait of mode=slow, and the HTTP
 * status and D+ errorCode (D&B only) that mode=error answers with. */
struct fault {
	enum sim_fault mode;
	long ms;
	int status;
	char code[6];
};
static const struct fault fault_defaults[SIM__SERVICES] = {
    [SIM_DNB] = {FAULT_NONE, SLOW_MS_DEFAULT, 500, "00034"},
    [SIM_ADDRESS] = {FAULT_NONE, SLOW_MS_DEFAULT, 503, ""},
};
/* The faults in force (under fault_lock), the defaults at start. */
static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fault faults[SIM__SERVICES] = {
    [SIM_DNB] = {FAULT_NONE, SLOW_MS_DEFAULT, 500, "00034"},
    [SIM_ADDRESS] = {FAULT_NONE, SLOW_MS_DEFAULT, 503, ""},
};

/* The D+ errorCode of mode=error when status= comes without code=
 * (research §1.5): 400 00005 (contract dates), 401 and 403 00004 (not
 * authorised), 404 00037, 429 00045, another 4xx 00010 (bad request),
 * 5xx 00034. */
static const char *
dnb_default_code(int status)
{
	switch (status) {
	case 400:
		return "00005";
	case 401:
	case 403:
		return "00004";
	case 404:
		return "00037";
	case 429:
		return "00045";
	default:
		return status >= 500 ? "00034" : "00010";
	}
}

/* The errorMessage of a D+ code (research §1.5), else the status text. */
static const char *
dnb_code_message(const char *code, int status)
{
	static const char *const messages[][2] = {
	    {"00002", "Request timeout."},
	    {"00003", "One or more parameters are invalid or missing."},
	    {"00004", "You are not currently authorised to access this product."},
	    {"00005", "The request is outside the dates of your contract."},
	    {"00006", "These credentials are not allowed."},
	    {"00007", "Credentials are required."},
	    {"00008", "Malformed payload."},
	    {"00010", "Bad request."},
	    {"00034", "Internal Server Error"},
	    {"00037", "Not Found"},
	    {"00040", "Access token expired or invalid."},
	    {"00045", "Too Many Requests"},
	};
	for (size_t i = 0; i < sizeof(messages) / sizeof(*messages); i++)
		if (strcmp(messages[i][0], code) == 0)
			return messages[i][1];
	return sim_status_text(status);
}

/* The OAuth error of a status, for D+ /v3/token (RFC 6749 §5.2 names). */
static const char *
oauth_error_name(int status)
{
	switch (status) {
	case 401:
		return "invalid_client";
	case 403:
		return "unauthorized_client";
	case 429:
	case 503:
		return "temporarily_unavailable";
	default:
		return status >= 500 ? "server_error" : "invalid_request";
	}
}

/* A D&B error made by a fault: the D+ envelope, or on /v3/token (oauth)
 * the OAuth style with the code in its description. */
static void
dnb_fault_error(struct sim_response *rs, bool oauth, int status, const char *code)
{
	const char *message = dnb_code_message(code, status);
	if (!oauth) {
		sim_dnb_error(rs, status, code, message, NULL);
		return;
	}
	char description[256];
	size_t n = strlen(message);
	snprintf(description, sizeof(description), "%s%s ErrorCode: %s.", message,
	         n && message[n - 1] == '.' ? "" : ".", code);
	sim_oauth_error(rs, status, oauth_error_name(status), description);
}

/* GET /_sim/fault: per service {"mode","ms","status"} and, for D&B,
 * "code": what mode=error answers with. */
static json_t *
fault_state(void)
{
	json_t *o = json_object();
	pthread_mutex_lock(&fault_lock);
	for (int s = 0; s < SIM__SERVICES; s++) {
		json_t *f = json_pack("{s:s, s:I, s:i}", "mode", fault_names[faults[s].mode], "ms",
		                      (json_int_t)faults[s].ms, "status", faults[s].status);
		if (s == SIM_DNB)
			json_object_set_new(f, "code", json_string(faults[s].code));
		json_object_set_new(o, sim_service_name((enum sim_service)s), f);
	}
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
 * research §1.5 codes); oauth for D+ /v3/token, whose errors are
 * OAuth-style. True when the fault made the answer. */
static bool
apply_fault(enum sim_service svc, bool oauth, struct sim_response *rs)
{
	pthread_mutex_lock(&fault_lock);
	struct fault f = faults[svc];
	pthread_mutex_unlock(&fault_lock);
	switch (f.mode) {
	case FAULT_SLOW: /* then answers normally */
		sleep_ms(f.ms);
		return false;
	case FAULT_ERROR: /* status= (D+ 500 00034, USPS 503 by default), code= */
		if (svc == SIM_DNB)
			dnb_fault_error(rs, oauth, f.status, f.code);
		else
			sim_usps_error(rs, f.status, NULL, sim_status_text(f.status), NULL);
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
			dnb_fault_error(rs, oauth, 429, "00045");
		else
			sim_usps_error(rs, 429, NULL, "Too Many Requests", NULL);
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
			if (strcmp(s, sim_service_name((enum sim_service)i)) == 0)
				svc = i;
	free(s);
	return svc;
}

/* The fault asked by the parameters of POST /_sim/fault (see control);
 * false when they are not valid. */
static bool
fault_params(const char *params, int *svc, struct fault *f)
{
	char *mode = sim_param(params, "mode"), *ms = sim_param(params, "ms"),
	     *status = sim_param(params, "status"), *code = sim_param(params, "code");
	bool ok = (*svc = service_param(params, false)) >= 0;
	int m = -1;
	for (int i = 0; mode && i < FAULT__MAX; i++)
		if (strcmp(mode, fault_names[i]) == 0)
			m = i;
	ok = ok && m >= 0;
	if (ok) {
		*f = fault_defaults[*svc];
		f->mode = (enum sim_fault)m;
	}
	char *end = NULL;
	if (ok && ms && *ms) {
		f->ms = strtol(ms, &end, 10);
		ok = !*end && f->ms >= 0 && f->ms <= SLOW_MS_MAX;
	}
	/* status= and code= only with mode=error; code= only for D&B. */
	if (ok && status) {
		long v = strtol(status, &end, 10);
		ok = m == FAULT_ERROR && *status && !*end && v >= 400 && v <= 599;
		f->status = (int)v;
	}
	if (ok && code)
		ok = m == FAULT_ERROR && *svc == SIM_DNB && strlen(code) == 5 &&
		     strspn(code, "0123456789") == 5;
	if (ok && *svc == SIM_DNB)
		snprintf(f->code, sizeof(f->code), "%s", code ? code : dnb_default_code(f->status));
	free(mode);
	free(ms);
	free(status);
	free(code);
	return ok;
}

/* POST /_sim/fault service=dnb|address mode=none|slow|error|garbage|down|
 *   ratelimit [ms=5000] [status=400..599] [code=NNNNN]: 200 with the state
 *   of both services, 400 for anything else (GET: the state). status= and
 *   code= go with mode=error only: status default D+ 500, USPS 503; code=
 *   (D&B only) the D+ errorCode, default from the status (dnb_default_code).
 *   Every switch sets the whole fault of that service: what it omits
 *   takes its default;
 * ours (README "CSP onboarding"):
 * POST /_sim/expire-tokens [service=dnb|address]: every token issued so
 *   far (of that service, or of both) gets 401 (D+ 00040);
 * GET /_sim/stats: the counters as a JSON object;
 * POST /_sim/reset: counters to zero, faults (with status and code) to
 *   their defaults. */
static void
control(const struct sim_request *rq, struct sim_response *rs)
{
	char *form = strndup(rq->body ? rq->body : "", rq->body_len);
	const char *params = *form ? form : rq->query;
	const char *p = rq->path + 6;
	bool post = strcmp(rq->method, "POST") == 0, get = strcmp(rq->method, "GET") == 0;
	if (strcmp(p, "fault") == 0 && post) {
		int svc;
		struct fault f;
		if (!fault_params(params, &svc, &f)) {
			sim_json(rs, 400,
			         json_pack("{s:s}", "error",
			                   "service=dnb|address, mode=none|slow|error|garbage|"
			                   "down|ratelimit, ms=0..600000; with mode=error only: "
			                   "status=400..599, code=NNNNN (dnb only)"));
		} else {
			pthread_mutex_lock(&fault_lock);
			faults[svc] = f;
			pthread_mutex_unlock(&fault_lock);
			log_info("%s: fault %s (%ld ms, status %d%s%s)",
			         sim_service_name((enum sim_service)svc), fault_names[f.mode], f.ms,
			         f.status, *f.code ? ", code " : "", f.code);
			sim_json(rs, 200, fault_state());
		}
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
					sim_expire_tokens((enum sim_service)s);
					json_array_append_new(done, json_string(sim_service_name(
					                                (enum sim_service)s)));
				}
			log_info("tokens expired (%s)",
			         svc == SIM__SERVICES ? "all"
			                              : sim_service_name((enum sim_service)svc));
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
		for (int s = 0; s < SIM__SERVICES; s++)
			faults[s] = fault_defaults[s];
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

/* An error of the dispatch in the service's envelope (code: D+ only). */
static void
service_error(enum sim_service svc, struct sim_response *rs, int status, const char *code,
              const char *message)
{
	if (svc == SIM_DNB)
		sim_dnb_error(rs, status, code, message, NULL);
	else
		sim_usps_error(rs, status, NULL, message, NULL);
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
	if (apply_fault(svc, r == R_DNB_TOKEN3, rs))
		return;
	if (r < 0) {
		service_error(svc, rs, 404, "00037", "Not Found"); /* research §1.5: bad path */
	} else if (strcmp(rq->method, routes[r].method) != 0) {
		service_error(svc, rs, 405, "00010", "Method Not Allowed");
	} else if (r == R_DNB_TOKEN2 || r == R_DNB_TOKEN3) {
		sim_dnb_token(rq, rs, r == R_DNB_TOKEN3);
	} else if (r == R_USPS_TOKEN) {
		sim_usps_token(rq, rs);
	} else if (!sim_token_valid(svc, rq->authorization)) {
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
