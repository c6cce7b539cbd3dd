#include "clients/dnb.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

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
	const char *extension = jstr(a, org, "primaryAddress.postalCodeExtension");
	if (*c->postal_code && *extension) /* the ZIP+4 of a US address */
		c->postal_code = arena_printf(a, "%s-%s", c->postal_code, extension);
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
	json_t *list = json_is_object(root) ? json_object_get(root, "matchCandidates") : NULL;
	if ((list == NULL || json_is_null(list)) && json_is_object(root) &&
	    (json_object_get(root, "transactionDetail") ||
	     json_object_get(root, "candidatesMatchedQuantity"))) {
		json_decref(root); /* research §1.3: arrays may be null or absent: none */
		return REMOTE_NOT_FOUND;
	}
	if (!json_is_array(list)) {
		json_decref(root);
		return REMOTE_BAD_ANSWER;
	}
	*out = arena_alloc(a, sizeof(**out) * (json_array_size(list) + 1));
	size_t i, skipped = 0, total = json_array_size(list);
	json_t *cand;
	json_array_foreach(list, i, cand)
	{
		/* D&B says any string may be null: a candidate without a DUNS, a
		 * name or a confidence of 1–10 is skipped, the others are kept. */
		struct dnb_company *c = &(*out)[*n];
		json_t *quality = json_is_object(cand) ? json_object_get(cand, "matchQualityInformation")
		                                       : NULL;
		json_t *cc = json_is_object(quality) ? json_object_get(quality, "confidenceCode") : NULL;
		json_int_t conf = json_is_integer(cc) ? json_integer_value(cc) : 0;
		if (!json_is_object(cand) || !company_from(a, json_object_get(cand, "organization"), c) ||
		    conf < 1 || conf > 10) {
			skipped++;
			continue;
		}
		c->confidence = (int)conf;
		c->match_grade = jstr(a, quality, "matchGrade");
		(*n)++;
	}
	json_decref(root);
	if (skipped)
		log_warn("dnb: %zu of %zu candidates skipped (no DUNS, name or confidence 1-10)",
		         skipped, total);
	if (*n == 0 && skipped)
		return REMOTE_BAD_ANSWER; /* candidates, none of them readable */
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

/* The D+ errorCode of an error envelope (research §1.5), or of the
 * "ErrorCode: NNNNN" in the description of an OAuth-style (v3 token)
 * error; "" when absent. */
static const char *
error_code(struct arena *a, const char *body, size_t len)
{
	json_t *root = json_loadb(body ? body : "", len, 0, NULL);
	const char *code = root ? jstr(a, root, "error.errorCode") : "";
	const char *desc = root ? jstr(a, root, "error_description") : "";
	const char *at = strstr(desc, "ErrorCode: ");
	if (*code == '\0' && at && strspn(at + 11, "0123456789") >= 5)
		code = arena_strndup(a, at + 11, 5);
	json_decref(root);
	return code;
}

/* The documented error codes (research §1.5) and what they mean here:
 * "unavailable" for what the partner cannot change (our contract, our
 * credentials, our request, their outage), "not found", "refused" for
 * the partner's input, "rate limited", or renew the token. */
#define DNB_RENEW_TOKEN REMOTE__MAX
static const struct {
	const char *code;
	int         meaning; /* enum remote_err, or DNB_RENEW_TOKEN */
} error_codes[] = {
    {"00002", REMOTE_UNAVAILABLE},   /* request timeout */
    {"00003", REMOTE_INVALID},       /* parameters invalid or missing */
    {"00004", REMOTE_UNAVAILABLE},   /* not authorised for this product */
    {"00005", REMOTE_UNAVAILABLE},   /* outside the contract dates */
    {"00006", REMOTE_UNAVAILABLE},   /* credentials not allowed */
    {"00007", REMOTE_UNAVAILABLE},   /* credentials required */
    {"00008", REMOTE_UNAVAILABLE},   /* malformed payload (ours) */
    {"00010", REMOTE_UNAVAILABLE},   /* bad request (ours) */
    {"00012", REMOTE_UNAVAILABLE},   /* unauthorized */
    {"00014", REMOTE_UNAVAILABLE},   /* unauthorized */
    {"00034", REMOTE_UNAVAILABLE},   /* internal server error */
    {"00035", REMOTE_UNAVAILABLE},   /* internal server error */
    {"00037", REMOTE_NOT_FOUND},     /* not found */
    {"00038", REMOTE_NOT_FOUND},     /* not found */
    {"00040", DNB_RENEW_TOKEN},      /* access token expired */
    {"00041", DNB_RENEW_TOKEN},      /* access token invalid */
    {"00044", REMOTE_UNAVAILABLE},   /* unauthorized */
    {"00045", REMOTE_RATE_LIMITED},  /* too many requests */
    {"00046", REMOTE_RATE_LIMITED},  /* too many requests */
    {"05007", REMOTE_UNAVAILABLE},   /* v3 token request incomplete (ours) */
    {"10001", REMOTE_NOT_FOUND},     /* DUNS not found */
    {"10002", REMOTE_INVALID},       /* invalid parameters */
};

int
dnb_error_meaning(long status, const char *code)
{
	for (size_t i = 0; code && *code && i < sizeof(error_codes) / sizeof(*error_codes); i++)
		if (strcmp(error_codes[i].code, code) == 0)
			return error_codes[i].meaning;
	/* An undocumented code: what its HTTP status says. */
	switch (status) {
	case 401:
		return code && *code ? REMOTE_UNAVAILABLE : DNB_RENEW_TOKEN;
	case 403:
		return REMOTE_UNAVAILABLE;
	case 404:
		return REMOTE_NOT_FOUND;
	case 429:
		return REMOTE_RATE_LIMITED;
	default:
		return status >= 500 ? REMOTE_UNAVAILABLE : REMOTE_INVALID;
	}
}

struct token_ctx {
	struct arena *a;
	char         *value;
	size_t        size;
	long long    *life_s;
};

static enum remote_err
read_token(void *vctx, const struct remote_resp *r)
{
	struct token_ctx *ctx = vctx;
	const char *body = r->body.p ? r->body.p : "";
	if (r->status != 200) {
		/* A wrong key or secret, an expired contract, a request it does not
		 * take: the lookup is unavailable, whatever the partner typed. */
		log_err("dnb: the token endpoint refused the request (HTTP %ld, errorCode %s)",
		        r->status, error_code(ctx->a, body, r->body.len));
		return REMOTE_UNAVAILABLE;
	}
	json_t *root = json_loadb(body, r->body.len, 0, NULL);
	json_t *tok = json_is_object(root) ? json_object_get(root, "access_token") : NULL;
	json_t *exp = json_is_object(root) ? json_object_get(root, "expires_in") : NULL;
	if (!json_is_integer(exp) && json_is_object(root))
		exp = json_object_get(root, "expiresIn"); /* v2 */
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

/* POST /v2/token (JSON body) or /v3/token (form body), Basic key:secret
 * (research §1.1); which one is [dnb] token_version. */
static enum remote_err
fetch_token(struct arena *a, const struct remote_service *svc, long long *start_ms, char *value,
            size_t size, long long *life_s)
{
	bool v2 = svc->token_version && strcmp(svc->token_version, "v2") == 0;
	const char *cred = arena_printf(a, "%s:%s", svc->client_id, svc->client_secret);
	size_t blen = sodium_base64_encoded_len(strlen(cred), sodium_base64_VARIANT_ORIGINAL);
	char *b64 = arena_alloc(a, blen);
	sodium_bin2base64(b64, blen, (const unsigned char *)cred, strlen(cred),
	                  sodium_base64_VARIANT_ORIGINAL);
	const char *headers[] = {arena_printf(a, "Authorization: Basic %s", b64),
	                         v2 ? "Content-Type: application/json"
	                            : "Content-Type: application/x-www-form-urlencoded",
	                         "Accept: application/json", NULL};
	struct remote_resp r = {0};
	struct token_ctx ctx = {a, value, size, life_s};
	enum remote_err rc = remote_call(svc, start_ms, "POST", v2 ? "/v2/token" : "/v3/token",
	                                 headers,
	                                 v2 ? "{\"grant_type\":\"client_credentials\"}"
	                                    : "grant_type=client_credentials",
	                                 &r, read_token, &ctx);
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
	const char *body = r->body.p ? r->body.p : "";
	if (r->status >= 400) {
		const char *code = error_code(ctx->a, body, r->body.len);
		int meaning = dnb_error_meaning(r->status, code);
		if (meaning == DNB_RENEW_TOKEN) {
			ctx->expired = true;
			return REMOTE_OK;
		}
		if (meaning != REMOTE_NOT_FOUND)
			log_warn("dnb: HTTP %ld, errorCode %s: %s", r->status, *code ? code : "none",
			         remote_strerror((enum remote_err)meaning));
		return (enum remote_err)meaning;
	}
	if (r->status != 200)
		return REMOTE_BAD_ANSWER;
	if (ctx->raw)
		*ctx->raw = arena_strndup(ctx->a, body, r->body.len);
	return ctx->one ? dnb_parse_company(ctx->a, body, r->body.len, ctx->one)
	                : dnb_parse_candidates(ctx->a, body, r->body.len, ctx->list, ctx->n);
}

static enum remote_err
authorized_get(struct arena *a, const struct remote_service *svc, long long *start_ms,
               const char *path, struct reader_ctx *ctx)
{
	char token[REMOTE_TOKEN_MAX];
	enum remote_err rc = remote_token(a, svc, start_ms, NULL, fetch_token, token, sizeof(token));
	for (int round = 0; rc == REMOTE_OK && round < 2; round++) {
		const char *headers[] = {arena_printf(a, "Authorization: Bearer %s", token),
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
		rc = remote_token(a, svc, start_ms, arena_strdup(a, token), fetch_token, token,
		                  sizeof(token));
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
