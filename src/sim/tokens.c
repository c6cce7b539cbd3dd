/* The simulator's credentials and the token endpoints of both services,
 * as strict as the real ones about their bodies:
 *   D&B POST /v2/token: Content-Type application/json, a JSON body
 *     (research §1.1), errors in the D+ envelope;
 *   D&B POST /v3/token: Content-Type application/x-www-form-urlencoded, a
 *     form body, OAuth-style errors;
 *   USPS POST /oauth2/v3/token: Content-Type application/json, a JSON body
 *     with scope "addresses" (research §2.2), errors in the USPS envelope.
 * Tokens are checked here too (sim_token_valid) and expired by
 * POST /_sim/expire-tokens (sim_expire_tokens). */
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sim/sim.h"

/* Copies of the configured credentials (set once before the threads). */
static char cred_dnb_key[256], cred_dnb_secret[256], cred_usps_id[256], cred_usps_secret[256];
static long token_seconds = 86400; /* research §1.1: 24 h */

/* A token is "<svc>.<generation>.<expiry>.<nonce>.<mac>", the MAC (keyed
 * with a random key of this process) making unknown tokens invalid. Tokens
 * are not stored: POST /_sim/expire-tokens bumps the service's generation,
 * which invalidates every token issued before. */
static unsigned char token_key[crypto_auth_KEYBYTES];
static _Atomic int generation[SIM__SERVICES];
static const char *const svc_names[SIM__SERVICES] = {"dnb", "address"};

const char *
sim_service_name(enum sim_service svc)
{
	return svc_names[svc];
}

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

bool
sim_token_valid(enum sim_service svc, const char *authorization)
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
sim_expire_tokens(enum sim_service svc)
{
	atomic_fetch_add(&generation[svc], 1);
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

/* True when the media type of a Content-Type header is type (case
 * ignored, parameters such as "; charset=utf-8" allowed). */
static bool
media_type_is(const char *content_type, const char *type)
{
	const char *ct = content_type ? content_type : "";
	size_t n = strlen(type);
	if (strncasecmp(ct, type, n) != 0)
		return false;
	for (ct += n; *ct == ' ' || *ct == '\t'; ct++)
		;
	return *ct == '\0' || *ct == ';';
}

/* The body as a JSON object when the request is application/json and its
 * body one (NULL otherwise; the caller decrefs). */
static json_t *
json_body(const struct sim_request *rq)
{
	if (!media_type_is(rq->content_type, "application/json"))
		return NULL;
	json_t *body = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, NULL);
	if (!json_is_object(body)) {
		json_decref(body);
		return NULL;
	}
	return body;
}

/* A string member of a JSON object, "" when absent or not a string. */
static const char *
json_text(json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));
	return s ? s : "";
}

/* POST /v2/token (JSON body) and /v3/token (form body), research §1.1:
 * v2 answers {"access_token","expiresIn"} and errors in the D+ envelope
 * (401 00004 for bad credentials, 400 00008 for a body that is not JSON
 * with Content-Type application/json, 400 00003 without grant_type); v3
 * answers {"access_token","expires_in","token_type"} and OAuth-style
 * errors (401 invalid_client; 400 invalid_request for another
 * Content-Type than application/x-www-form-urlencoded, or 05007 when the
 * form has no grant_type client_credentials, a JSON body included).
 * Credentials are checked first. */
void
sim_dnb_token(const struct sim_request *rq, struct sim_response *rs, bool v3)
{
	sim_count(C_DNB_TOKEN);
	json_t *json = v3 ? NULL : json_body(rq);
	char *form = v3 ? strndup(rq->body ? rq->body : "", rq->body_len) : NULL;
	char *grant = v3 ? sim_param_s(form, "grant_type") : strdup(json_text(json, "grant_type"));
	if (!basic_valid(rq->authorization)) {
		if (v3)
			sim_oauth_error(rs, 401, "invalid_client",
			                "Invalid client credentials. ErrorCode: 00004.");
		else
			sim_dnb_error(rs, 401, "00004",
			              "You are not currently authorised to access this product.",
			              NULL);
	} else if (v3 && !media_type_is(rq->content_type, "application/x-www-form-urlencoded")) {
		sim_oauth_error(rs, 400, "invalid_request",
		                "Unsupported Content-Type: the request must be "
		                "application/x-www-form-urlencoded.");
	} else if (!v3 && json == NULL) {
		sim_dnb_error(rs, 400, "00008",
		              "Malformed payload: a JSON object with Content-Type application/json "
		              "is expected.",
		              NULL);
	} else if (strcmp(grant, "client_credentials") != 0) {
		if (v3)
			sim_oauth_error(rs, 400, "invalid_request",
			                "Request missing required element: 'grant_type'. "
			                "ErrorCode: 05007.");
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
	json_decref(json);
	free(form);
	free(grant);
}

/* True when scope (space-separated, OAuth) holds the word "addresses". */
static bool
scope_has_addresses(const char *scope)
{
	for (const char *p = scope; *p;) {
		size_t n = strcspn(p, " ");
		if (n == 9 && strncmp(p, "addresses", 9) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

/* POST /oauth2/v3/token, research §2.2: Content-Type application/json and
 * a JSON object {grant_type client_credentials, client_id, client_secret,
 * scope holding "addresses"} → 200 {"access_token","token_type":"Bearer",
 * "expires_in","scope"}. Errors, in this order, in the USPS envelope:
 * another body or Content-Type 400 INVALID_REQUEST; wrong credentials 401
 * INVALID_CLIENT; another grant_type 400 UNSUPPORTED_GRANT_TYPE; a scope
 * without addresses 400 INVALID_SCOPE. */
void
sim_usps_token(const struct sim_request *rq, struct sim_response *rs)
{
	sim_count(C_USPS_TOKEN);
	json_t *json = json_body(rq);
	const char *id = json_text(json, "client_id"), *secret = json_text(json, "client_secret");
	if (json == NULL) {
		sim_usps_error(rs, 400, "INVALID_REQUEST",
		               "The request body must be a JSON object sent as application/json.",
		               NULL);
	} else if (!(*id && *cred_usps_id && strcmp(id, cred_usps_id) == 0 &&
	             strcmp(secret, cred_usps_secret) == 0)) {
		sim_usps_error(rs, 401, "INVALID_CLIENT", "Invalid client credentials.", NULL);
	} else if (strcmp(json_text(json, "grant_type"), "client_credentials") != 0) {
		sim_usps_error(rs, 400, "UNSUPPORTED_GRANT_TYPE",
		               "grant_type must be client_credentials.", "grant_type");
	} else if (!scope_has_addresses(json_text(json, "scope"))) {
		sim_usps_error(rs, 400, "INVALID_SCOPE", "scope must include addresses.", "scope");
	} else {
		char token[256];
		issue_token(SIM_ADDRESS, token, sizeof(token));
		sim_json(rs, 200,
		         json_pack("{s:s, s:s, s:I, s:s}", "access_token", token, "token_type",
		                   "Bearer", "expires_in", (json_int_t)token_seconds, "scope",
		                   "addresses"));
	}
	json_decref(json);
}
