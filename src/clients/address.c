#include "clients/address.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

static struct remote_token token;

static const char *
jstr(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : "";
}

/* True when the list (corrections or matches) holds code. */
static bool
has_code(json_t *list, const char *code)
{
	size_t i;
	json_t *it;
	if (!json_is_array(list))
		return false;
	json_array_foreach(list, i, it)
	{
		json_t *c = json_object_get(it, "code");
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
	json_t *addr = root ? json_object_get(root, "address") : NULL;
	if (!json_is_object(addr)) {
		json_decref(root);
		return REMOTE_BAD_ANSWER;
	}
	json_t *corrections = json_object_get(root, "corrections");
	json_t *matches = json_object_get(root, "matches");
	memset(std, 0, sizeof(*std));
	std->line1 = jstr(a, addr, "streetAddress");
	std->line2 = jstr(a, addr, "secondaryAddress");
	std->city = jstr(a, addr, "city");
	std->region = jstr(a, addr, "state");
	const char *zip = jstr(a, addr, "ZIPCode"), *plus4 = jstr(a, addr, "ZIPPlus4");
	std->postal_code = *plus4 ? arena_printf(a, "%s-%s", zip, plus4) : zip;
	std->country = country;
	/* research §2.2: 31 exact, 32 default address needing a unit, 22 several. */
	if (has_code(matches, "22") || has_code(corrections, "22"))
		*verdict = ADDRESS_AMBIGUOUS;
	else if (has_code(corrections, "32") || has_code(matches, "32"))
		*verdict = ADDRESS_NEEDS_UNIT;
	else if (*std->line1 && *std->city)
		*verdict = ADDRESS_EXACT;
	else {
		json_decref(root);
		return REMOTE_BAD_ANSWER;
	}
	json_decref(root);
	return REMOTE_OK;
}

static enum remote_err
read_token(void *ctx, const struct remote_resp *r)
{
	(void)ctx;
	if (r->status == 401 || r->status == 403) {
		log_err("address: the token endpoint refused the credentials (HTTP %ld)", r->status);
		return REMOTE_INVALID;
	}
	if (r->status != 200)
		return REMOTE_BAD_ANSWER;
	json_t *root = json_loadb(r->body.p ? r->body.p : "", r->body.len, 0, NULL);
	json_t *tok = root ? json_object_get(root, "access_token") : NULL;
	json_t *exp = root ? json_object_get(root, "expires_in") : NULL;
	bool ok = json_is_string(tok) && json_is_integer(exp) &&
	          remote_token_store(&token, json_string_value(tok), json_integer_value(exp));
	json_decref(root);
	return ok ? REMOTE_OK : REMOTE_BAD_ANSWER;
}

static enum remote_err
ensure_token(struct arena *a, const struct remote_service *svc, long long *start_ms, bool renew)
{
	if (!renew && remote_token_fresh(&token))
		return REMOTE_OK;
	token.value[0] = '\0';
	json_t *req = json_pack("{s:s, s:s, s:s, s:s}", "grant_type", "client_credentials",
	                        "client_id", svc->client_id, "client_secret", svc->client_secret,
	                        "scope", "addresses");
	char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (body == NULL)
		return REMOTE_UNAVAILABLE;
	const char *headers[] = {"Content-Type: application/json", "Accept: application/json", NULL};
	struct remote_resp r = {0};
	enum remote_err rc =
	    remote_call(svc, start_ms, "POST", "/oauth2/v3/token", headers, body, &r, read_token, NULL);
	free(body);
	sbuf_free(&r.body);
	(void)a;
	return rc;
}

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
	if (r->status == 401) {
		ctx->expired = true;
		return REMOTE_OK;
	}
	if (r->status == 404) {
		*ctx->verdict = ADDRESS_NOT_FOUND;
		return REMOTE_OK;
	}
	if (r->status >= 400)
		return REMOTE_INVALID;
	if (r->status != 200)
		return REMOTE_BAD_ANSWER;
	if (ctx->raw)
		*ctx->raw = arena_strndup(ctx->a, r->body.p ? r->body.p : "", r->body.len);
	return address_parse(ctx->a, r->body.p ? r->body.p : "", r->body.len, ctx->country,
	                     ctx->std, ctx->verdict);
}

enum remote_err
address_validate(struct arena *a, const struct remote_service *svc, long long *start_ms,
                 const struct postal_address *in, struct postal_address *std,
                 enum address_verdict *verdict, const char **raw)
{
	struct sbuf path = {0};
	sbuf_adds(&path, "/addresses/v3/address?");
	/* Empty parameters are left out: USPS answers 400 to some (research §2.2). */
	const struct {
		const char *param, *value;
	} params[] = {{"streetAddress", in->line1}, {"secondaryAddress", in->line2},
	              {"city", in->city},           {"state", in->region},
	              {"ZIPCode", in->postal_code}, {"country", in->country}};
	for (size_t i = 0; i < sizeof(params) / sizeof(*params); i++)
		if (params[i].value && *params[i].value)
			sbuf_printf(&path, "%s%s=%s", path.len > 22 ? "&" : "", params[i].param,
			            remote_escape(a, params[i].value));
	struct reader_ctx ctx = {
	    .a = a, .country = in->country, .std = std, .verdict = verdict, .raw = raw};
	enum remote_err rc = ensure_token(a, svc, start_ms, false);
	for (int round = 0; rc == REMOTE_OK && round < 2; round++) {
		const char *headers[] = {arena_printf(a, "Authorization: Bearer %s", token.value),
		                         "Accept: application/json", NULL};
		struct remote_resp r = {0};
		ctx.expired = false;
		rc = remote_call(svc, start_ms, "GET", sbuf_cstr(&path), headers, NULL, &r, read_answer,
		                 &ctx);
		sbuf_free(&r.body);
		if (rc != REMOTE_OK || !ctx.expired)
			break;
		if (round == 1) {
			rc = REMOTE_UNAVAILABLE;
			break;
		}
		log_info("address: token refused, renewing it once");
		rc = ensure_token(a, svc, start_ms, true);
	}
	sbuf_free(&path);
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
