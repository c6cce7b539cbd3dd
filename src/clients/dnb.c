#include "clients/dnb.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

static struct remote_token token;

bool
dnb_duns_valid(const char *duns)
{
	return duns && strlen(duns) == 9 && strspn(duns, "0123456789") == 9;
}

static const char *
jstr(struct arena *a, json_t *o, const char *path)
{
	/* path: "a.b.c" through objects */
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	json_t *cur = o;
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && cur;
	     k = strtok_r(NULL, ".", &save))
		cur = json_is_object(cur) ? json_object_get(cur, k) : NULL;
	return json_is_string(cur) ? arena_strdup(a, json_string_value(cur)) : "";
}

/* An "organization" object into *c; false when it lacks the DUNS or name. */
static bool
company_from(struct arena *a, json_t *org, struct dnb_company *c)
{
	if (!json_is_object(org))
		return false;
	c->duns = jstr(a, org, "duns");
	c->name = jstr(a, org, "primaryName");
	c->line1 = jstr(a, org, "primaryAddress.streetAddress.line1");
	c->line2 = jstr(a, org, "primaryAddress.streetAddress.line2");
	c->city = jstr(a, org, "primaryAddress.addressLocality.name");
	c->region = jstr(a, org, "primaryAddress.addressRegion.abbreviatedName");
	if (*c->region == '\0')
		c->region = jstr(a, org, "primaryAddress.addressRegion.name");
	c->postal_code = jstr(a, org, "primaryAddress.postalCode");
	c->country = jstr(a, org, "primaryAddress.addressCountry.isoAlpha2Code");
	c->operating_status = jstr(a, org, "dunsControlStatus.operatingStatus.description");
	c->active = *c->operating_status == '\0' || strcmp(c->operating_status, "Active") == 0;
	c->match_grade = "";
	return dnb_duns_valid(c->duns) && *c->name;
}

enum remote_err
dnb_parse_candidates(struct arena *a, const char *body, size_t len, struct dnb_company **out,
                     size_t *n)
{
	*n = 0;
	json_t *root = json_loadb(body, len, 0, NULL);
	json_t *list = root ? json_object_get(root, "matchCandidates") : NULL;
	if (!json_is_array(list)) {
		json_decref(root);
		return REMOTE_BAD_ANSWER;
	}
	*out = arena_alloc(a, sizeof(**out) * (json_array_size(list) + 1));
	size_t i;
	json_t *cand;
	json_array_foreach(list, i, cand)
	{
		struct dnb_company *c = &(*out)[*n];
		json_t *quality = json_object_get(cand, "matchQualityInformation");
		json_t *cc = quality ? json_object_get(quality, "confidenceCode") : NULL;
		if (!company_from(a, json_object_get(cand, "organization"), c) || !json_is_integer(cc)) {
			json_decref(root);
			return REMOTE_BAD_ANSWER;
		}
		c->confidence = (int)json_integer_value(cc);
		if (c->confidence < 1 || c->confidence > 10) {
			json_decref(root);
			return REMOTE_BAD_ANSWER;
		}
		c->match_grade = jstr(a, quality, "matchGrade");
		(*n)++;
	}
	json_decref(root);
	return *n ? REMOTE_OK : REMOTE_NOT_FOUND;
}

enum remote_err
dnb_parse_company(struct arena *a, const char *body, size_t len, struct dnb_company *out)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	memset(out, 0, sizeof(*out));
	bool ok = root && company_from(a, json_object_get(root, "organization"), out);
	json_decref(root);
	return ok ? REMOTE_OK : REMOTE_BAD_ANSWER;
}

/* The D+ errorCode of an error envelope, "" when absent. */
static const char *
error_code(struct arena *a, const struct remote_resp *r)
{
	json_t *root = json_loadb(r->body.p ? r->body.p : "", r->body.len, 0, NULL);
	const char *code = root ? jstr(a, root, "error.errorCode") : "";
	json_decref(root);
	return code;
}

static enum remote_err
read_token(void *ctx, const struct remote_resp *r)
{
	(void)ctx;
	if (r->status == 401 || r->status == 403) {
		log_err("dnb: the token endpoint refused the credentials (HTTP %ld)", r->status);
		return REMOTE_INVALID;
	}
	if (r->status != 200)
		return REMOTE_BAD_ANSWER;
	json_t *root = json_loadb(r->body.p ? r->body.p : "", r->body.len, 0, NULL);
	json_t *tok = root ? json_object_get(root, "access_token") : NULL;
	json_t *exp = root ? json_object_get(root, "expiresIn") : NULL;
	enum remote_err rc = REMOTE_BAD_ANSWER;
	if (json_is_string(tok) && json_is_integer(exp) &&
	    remote_token_store(&token, json_string_value(tok), json_integer_value(exp)))
		rc = REMOTE_OK;
	json_decref(root);
	return rc;
}

/* A token for the calls; fetched when none is cached or it is about to
 * expire (research §1.1: reuse for its 24 h lifetime). */
static enum remote_err
ensure_token(struct arena *a, const struct remote_service *svc, long long *start_ms, bool renew)
{
	if (!renew && remote_token_fresh(&token))
		return REMOTE_OK;
	token.value[0] = '\0';
	const char *cred = arena_printf(a, "%s:%s", svc->client_id, svc->client_secret);
	size_t blen = sodium_base64_encoded_len(strlen(cred), sodium_base64_VARIANT_ORIGINAL);
	char *b64 = arena_alloc(a, blen);
	sodium_bin2base64(b64, blen, (const unsigned char *)cred, strlen(cred),
	                  sodium_base64_VARIANT_ORIGINAL);
	const char *headers[] = {arena_printf(a, "Authorization: Basic %s", b64),
	                         "Content-Type: application/json", "Accept: application/json",
	                         NULL};
	struct remote_resp r = {0};
	enum remote_err rc = remote_call(svc, start_ms, "POST", "/v2/token", headers,
	                                 "{\"grant_type\":\"client_credentials\"}", &r, read_token,
	                                 NULL);
	sbuf_free(&r.body);
	return rc;
}

struct reader_ctx {
	struct arena       *a;
	struct dnb_company *one;   /* data/duns */
	struct dnb_company **list; /* cleanseMatch */
	size_t             *n;
	const char        **raw;     /* the 200 answer's body (for the cache) */
	bool                expired; /* 401: the token must be renewed */
};

static enum remote_err
read_answer(void *vctx, const struct remote_resp *r)
{
	struct reader_ctx *ctx = vctx;
	if (r->status == 401) {
		ctx->expired = true; /* 00040 expired, 00041 invalid: renew once */
		return REMOTE_OK;
	}
	if (r->status == 404)
		return REMOTE_NOT_FOUND;
	if (r->status >= 400) {
		log_warn("dnb: input refused (HTTP %ld, errorCode %s)", r->status,
		         error_code(ctx->a, r));
		return REMOTE_INVALID;
	}
	if (r->status != 200)
		return REMOTE_BAD_ANSWER;
	const char *body = r->body.p ? r->body.p : "";
	if (ctx->raw)
		*ctx->raw = arena_strndup(ctx->a, body, r->body.len);
	return ctx->one ? dnb_parse_company(ctx->a, body, r->body.len, ctx->one)
	                : dnb_parse_candidates(ctx->a, body, r->body.len, ctx->list, ctx->n);
}

static enum remote_err
authorized_get(struct arena *a, const struct remote_service *svc, long long *start_ms,
               const char *path, struct reader_ctx *ctx)
{
	enum remote_err rc = ensure_token(a, svc, start_ms, false);
	for (int round = 0; rc == REMOTE_OK && round < 2; round++) {
		const char *headers[] = {arena_printf(a, "Authorization: Bearer %s", token.value),
		                         "Accept: application/json", NULL};
		struct remote_resp r = {0};
		ctx->expired = false;
		rc = remote_call(svc, start_ms, "GET", path, headers, NULL, &r, read_answer, ctx);
		sbuf_free(&r.body);
		if (rc != REMOTE_OK || !ctx->expired)
			return rc;
		if (round == 1)
			return REMOTE_UNAVAILABLE; /* a fresh token refused too */
		log_info("dnb: token refused, renewing it once");
		rc = ensure_token(a, svc, start_ms, true);
	}
	return rc;
}

enum remote_err
dnb_match(struct arena *a, const struct remote_service *svc, long long *start_ms,
          const struct dnb_query *q, size_t max, struct dnb_company **out, size_t *n,
          const char **raw)
{
	*n = 0;
	struct sbuf path = {0};
	sbuf_printf(&path, "/v1/match/cleanseMatch?name=%s&countryISOAlpha2Code=%s",
	            remote_escape(a, q->name), remote_escape(a, q->country));
	const struct {
		const char *param, *value;
	} optional[] = {{"streetAddressLine1", q->line1},
	                {"addressLocality", q->city},
	                {"addressRegion", q->region},
	                {"postalCode", q->postal_code}};
	for (size_t i = 0; i < sizeof(optional) / sizeof(*optional); i++)
		if (optional[i].value && *optional[i].value)
			sbuf_printf(&path, "&%s=%s", optional[i].param, remote_escape(a, optional[i].value));
	sbuf_printf(&path, "&candidateMaximumQuantity=%zu", max);
	struct reader_ctx ctx = {.a = a, .list = out, .n = n, .raw = raw};
	enum remote_err rc = authorized_get(a, svc, start_ms, sbuf_cstr(&path), &ctx);
	sbuf_free(&path);
	if (rc == REMOTE_OK && *n > max)
		*n = max;
	return rc;
}

enum remote_err
dnb_company_by_duns(struct arena *a, const struct remote_service *svc, long long *start_ms,
                    const char *duns, struct dnb_company *out, const char **raw)
{
	if (!dnb_duns_valid(duns))
		return REMOTE_INVALID;
	struct reader_ctx ctx = {.a = a, .one = out, .raw = raw};
	return authorized_get(a, svc, start_ms,
	                      arena_printf(a, "/v1/data/duns/%s?blockIDs=companyinfo_L2_v1", duns),
	                      &ctx);
}
