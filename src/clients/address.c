#include "clients/address.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/us_postal.h"

static const char *
jstr(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : "";
}

/* True when the list (corrections or matches) holds code; entries that
 * are not objects or carry an empty code (USPS sends {"code":"","text":""})
 * are skipped. */
static bool
has_code(json_t *list, const char *code)
{
	size_t i;
	json_t *it;
	if (!json_is_array(list))
		return false;
	json_array_foreach(list, i, it)
	{
		json_t *c = json_is_object(it) ? json_object_get(it, "code") : NULL;
		if (json_is_string(c) && strcmp(json_string_value(c), code) == 0)
			return true;
	}
	return false;
}

enum remote_err
address_parse(struct arena *a, const char *body, size_t len, const char *country,
              struct postal_address *std, enum address_verdict *verdict)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	json_t *addr = json_is_object(root) ? json_object_get(root, "address") : NULL;
	if (!json_is_object(addr)) {
		json_decref(root);
		return REMOTE_BAD_ANSWER;
	}
	json_t *corrections = json_object_get(root, "corrections");
	json_t *matches = json_object_get(root, "matches");
	const char *dpv = jstr(a, json_object_get(root, "additionalInfo"), "DPVConfirmation");
	memset(std, 0, sizeof(*std));
	std->line1 = jstr(a, addr, "streetAddress");
	std->line2 = jstr(a, addr, "secondaryAddress");
	std->city = jstr(a, addr, "city");
	std->region = jstr(a, addr, "state");
	const char *zip = jstr(a, addr, "ZIPCode"), *plus4 = jstr(a, addr, "ZIPPlus4");
	std->postal_code = *plus4 ? arena_printf(a, "%s-%s", zip, plus4) : zip;
	std->country = country;
	enum remote_err rc = REMOTE_OK;
	if (has_code(corrections, "22") || has_code(matches, "22"))
		*verdict = ADDRESS_AMBIGUOUS;
	else if (strcmp(dpv, "N") == 0)
		*verdict = ADDRESS_UNDELIVERABLE;
	else if (has_code(corrections, "32") || has_code(matches, "32") || strcmp(dpv, "D") == 0 ||
	         strcmp(dpv, "S") == 0)
		*verdict = ADDRESS_NEEDS_UNIT;
	else if (*std->line1 && *std->city && (*dpv == '\0' || strcmp(dpv, "Y") == 0))
		*verdict = ADDRESS_CONFIRMED;
	else
		rc = REMOTE_BAD_ANSWER; /* no address, or a DPV value outside the spec */
	json_decref(root);
	return rc;
}

/* True when haystack holds needle, case ignored. */
static bool
mentions(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = haystack; *p; p++)
		if (strncasecmp(p, needle, n) == 0)
			return true;
	return false;
}

enum remote_err
address_read_error(long status, const char *body, size_t len, enum address_verdict *verdict)
{
	json_t *root = json_loadb(body ? body : "", len, 0, NULL);
	json_t *err = json_is_object(root) ? json_object_get(root, "error") : NULL;
	const char *message = json_string_value(json_object_get(err, "message"));
	/* The message, then the title and detail of each item of errors[]:
	 * where USPS says what went wrong is not documented verbatim. */
	char text[1024];
	size_t used = (size_t)snprintf(text, sizeof(text), "%s", message ? message : "");
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(err, "errors"), i, item)
	{
		for (int k = 0; k < 2 && used < sizeof(text); k++) {
			const char *part = json_string_value(json_object_get(item, k ? "detail" : "title"));
			if (part)
				used += (size_t)snprintf(text + used, sizeof(text) - used, " | %s", part);
		}
	}
	json_decref(root);
	if (status == 404 || (status == 400 && mentions(text, "address not found"))) {
		*verdict = ADDRESS_NOT_FOUND;
		return REMOTE_OK;
	}
	if (status == 400 && mentions(text, "multiple addresses")) {
		*verdict = ADDRESS_AMBIGUOUS;
		return REMOTE_OK;
	}
	if (status == 403) {
		log_err("address: the service refuses this account (HTTP 403: %s)", text);
		return REMOTE_UNAVAILABLE;
	}
	log_warn("address: request refused (HTTP %ld: %s)", status, text);
	return REMOTE_INVALID;
}

/* ---- token ---- */

struct token_ctx {
	char      *value;
	size_t     size;
	long long *life_s;
};

static enum remote_err
read_token(void *vctx, const struct remote_resp *r)
{
	struct token_ctx *ctx = vctx;
	if (r->status != 200) {
		/* Wrong credentials (401/403) or a request it does not take (400):
		 * nothing the partner can change, so the service is unavailable. */
		log_err("address: the token endpoint refused the request (HTTP %ld)", r->status);
		return REMOTE_UNAVAILABLE;
	}
	json_t *root = json_loadb(r->body.p ? r->body.p : "", r->body.len, 0, NULL);
	json_t *tok = json_is_object(root) ? json_object_get(root, "access_token") : NULL;
	json_t *exp = json_is_object(root) ? json_object_get(root, "expires_in") : NULL;
	enum remote_err rc = REMOTE_BAD_ANSWER;
	if (json_is_string(tok) && json_is_integer(exp) &&
	    strlen(json_string_value(tok)) < ctx->size) {
		snprintf(ctx->value, ctx->size, "%s", json_string_value(tok));
		*ctx->life_s = json_integer_value(exp);
		rc = REMOTE_OK;
	}
	json_decref(root);
	return rc;
}

static enum remote_err
fetch_token(struct arena *a, const struct remote_service *svc, long long *start_ms, char *value,
            size_t size, long long *life_s)
{
	(void)a;
	json_t *req = json_pack("{s:s, s:s, s:s, s:s}", "grant_type", "client_credentials",
	                        "client_id", svc->client_id, "client_secret", svc->client_secret,
	                        "scope", "addresses");
	char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (body == NULL)
		return REMOTE_UNAVAILABLE;
	const char *headers[] = {"Content-Type: application/json", "Accept: application/json", NULL};
	struct remote_resp r = {0};
	struct token_ctx ctx = {value, size, life_s};
	enum remote_err rc =
	    remote_call(svc, start_ms, "POST", "/oauth2/v3/token", headers, body, &r, read_token, &ctx);
	free(body);
	sbuf_free(&r.body);
	return rc;
}

/* ---- validation ---- */

struct reader_ctx {
	struct arena          *a;
	const char            *country;
	struct postal_address *std;
	enum address_verdict  *verdict;
	const char           **raw;
	bool                   expired;
};

static enum remote_err
read_answer(void *vctx, const struct remote_resp *r)
{
	struct reader_ctx *ctx = vctx;
	const char *body = r->body.p ? r->body.p : "";
	if (r->status == 401) {
		ctx->expired = true;
		return REMOTE_OK;
	}
	if (r->status >= 400)
		return address_read_error(r->status, body, r->body.len, ctx->verdict);
	if (r->status != 200)
		return REMOTE_BAD_ANSWER;
	if (ctx->raw)
		*ctx->raw = arena_strndup(ctx->a, body, r->body.len);
	return address_parse(ctx->a, body, r->body.len, ctx->country, ctx->std, ctx->verdict);
}

static void
add_param(struct arena *a, struct sbuf *q, const char *name, const char *value)
{
	if (value && *value)
		sbuf_printf(q, "%s%s=%s", q->len ? "&" : "", name, remote_escape(a, value));
}

const char *
address_query(struct arena *a, const struct postal_address *in)
{
	struct sbuf q = {0};
	bool us = in->country && strcmp(in->country, "US") == 0;
	const char *state = in->region;
	char zip5[6] = "", plus4[5] = "";
	if (us) {
		state = us_state_code(in->region);
		bool zip_ok = in->postal_code && *in->postal_code
		                  ? us_zip_split(in->postal_code, zip5, plus4)
		                  : in->city && *in->city;
		if (state == NULL || !zip_ok || !in->line1 || !*in->line1)
			return NULL;
	}
	add_param(a, &q, "streetAddress", in->line1);
	add_param(a, &q, "secondaryAddress", in->line2);
	add_param(a, &q, "city", in->city);
	add_param(a, &q, "state", state);
	if (us) {
		add_param(a, &q, "ZIPCode", zip5);
		add_param(a, &q, "ZIPPlus4", plus4);
	} else {
		add_param(a, &q, "ZIPCode", in->postal_code);
		add_param(a, &q, "country", in->country);
	}
	const char *out = arena_strdup(a, sbuf_cstr(&q));
	sbuf_free(&q);
	return out;
}

enum remote_err
address_validate(struct arena *a, const struct remote_service *svc, long long *start_ms,
                 const struct postal_address *in, struct postal_address *std,
                 enum address_verdict *verdict, const char **raw)
{
	const char *query = address_query(a, in);
	if (query == NULL)
		return REMOTE_INVALID; /* the service would refuse it */
	const char *path = arena_printf(a, "/addresses/v3/address?%s", query);
	struct reader_ctx ctx = {
	    .a = a, .country = in->country, .std = std, .verdict = verdict, .raw = raw};
	char token[REMOTE_TOKEN_MAX];
	enum remote_err rc = remote_token(a, svc, start_ms, NULL, fetch_token, token, sizeof(token));
	for (int round = 0; rc == REMOTE_OK && round < 2; round++) {
		const char *headers[] = {arena_printf(a, "Authorization: Bearer %s", token),
		                         "Accept: application/json", NULL};
		struct remote_resp r = {0};
		ctx.expired = false;
		rc = remote_call(svc, start_ms, "GET", path, headers, NULL, &r, read_answer, &ctx);
		sbuf_free(&r.body);
		if (rc != REMOTE_OK || !ctx.expired)
			break;
		if (round == 1) {
			rc = REMOTE_UNAVAILABLE; /* a fresh token refused too */
			break;
		}
		log_info("address: token refused, renewing it once");
		rc = remote_token(a, svc, start_ms, arena_strdup(a, token), fetch_token, token,
		                  sizeof(token));
	}
	return rc;
}

static bool
same_text(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	for (;;) {
		while (*a && (isspace((unsigned char)*a) || *a == ',' || *a == '.'))
			a++;
		while (*b && (isspace((unsigned char)*b) || *b == ',' || *b == '.'))
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
			return false;
		a++;
		b++;
	}
}

bool
address_same(const struct postal_address *a, const struct postal_address *b)
{
	return same_text(a->line1, b->line1) && same_text(a->line2, b->line2) &&
	       same_text(a->city, b->city) && same_text(a->region, b->region) &&
	       same_text(a->postal_code, b->postal_code) && same_text(a->country, b->country);
}
