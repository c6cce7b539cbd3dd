/* Staff: the companies' claims on their email domains (issue 10, domain
 * squatting). A claim held only by unverified users expires 48 h after the
 * sign-up (the next sign-up or the housekeeping releases it); a staff admin
 * may release one sooner. A verified company's claim is never released. */
#include <string.h>

#include "core/log.h"
#include "db/claims.h"
#include "pages/pages.h"

#define CLAIMS_PAGE_ROWS 200

/* A domain as the path may name one: letters, digits, dots and hyphens. */
static bool
domain_param_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n > 0 && n <= 253 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789.-") == n;
}

/* The list (filtered by ?q=), with an optional notice (a refusal, or the
 * domain just released). */
static int
claims_render(struct req *r, int status, const char *error, const char *released)
{
	struct claim_row *rows;
	size_t n;
	const char *q = req_param(r, "q");
	if (q && !domain_param_ok(q))
		q = "";
	if (db_claims_list(r->a, q ? q : "", CLAIMS_PAGE_ROWS, &rows, &n) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	tv_set(v, "q", q ? q : "");
	for (size_t i = 0; i < n; i++) {
		const struct claim_row *c = &rows[i];
		enum claim_verdict verdict = claim_check(&c->facts);
		struct tvars *it = tv_item(v, "claims");
		tv_set(it, "domain", c->domain);
		tv_set(it, "tenant", c->tenant_name);
		tv_setf(it, "tenant_id", "%lld", c->tenant_id);
		tv_setf(it, "tenant_href", "/staff/audit?tenant=%lld", c->tenant_id);
		tv_set(it, "claimed_at", c->claimed_at);
		tv_setf(it, "users", "%lld", c->users);
		tv_set(it, "verified", c->facts.verified ? "yes" : "no");
		tv_set(it, "state", claim_verdict_code(verdict));
		tv_bool(it, "is_verified", c->facts.verified);
		tv_bool(it, "is_pending", verdict == CLAIM_PENDING);
		tv_bool(it, "is_expired", verdict == CLAIM_STALE);
		tv_set(it, "expires_at", c->expires_at);
		long long age = c->facts.age_seconds < 0 ? 0 : c->facts.age_seconds;
		tv_setf(it, "age_hours", "%lld", age / 3600);
		tv_setf(it, "age", "%lld d %lld h", age / 86400, age % 86400 / 3600);
		tv_bool(it, "releasable", claim_releasable(&c->facts));
		tv_setf(it, "release_action", "/staff/claims/%s/release", c->domain);
	}
	tv_bool(v, "empty", n == 0);
	tv_bool(v, "truncated", n == CLAIMS_PAGE_ROWS);
	if (error)
		tv_set(v, "claim_error", tr(r->lang, error));
	if (released)
		tv_set(v, "released", released);
	return page_render(r, status, "staff_claims", v);
}

/* GET /staff/claims: every claim, newest first; ?released=DOMAIN after a release. */
int
page_staff_claims(struct req *r)
{
	const char *released = req_param(r, "released");
	return claims_render(r, 200, NULL, released && domain_param_ok(released) ? released : NULL);
}

/* POST /staff/claims/{domain}/release: removes the unverified company that
 * holds the claim, its users and the claim, audited with what was removed;
 * 303 to the list. 404 for an unknown domain, 409 with the list for a claim
 * with a verified user, 503. */
int
page_staff_claim_release(struct req *r)
{
	const char *domain = r->params[0];
	if (!domain_param_ok(domain))
		return page_error(r, 404);
	struct claim_row c;
	bool removed = false;
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	enum db_err rc = db_claim_get(r->a, domain, true, &c);
	if (rc == DB_OK && !c.facts.claimed) {
		db_finish(DB_ERROR);
		return page_error(r, 404);
	}
	if (rc == DB_OK && claim_releasable(&c.facts))
		rc = db_claim_remove(r->a, &c, &removed);
	if (rc == DB_OK && removed)
		rc = audit_record_tenant(r, c.tenant_id, "domain_claim.release", domain,
		                         json_loads(c.snapshot ? c.snapshot : "{}", 0, NULL), NULL);
	if (rc == DB_OK && !removed) {
		db_finish(DB_ERROR);
		return claims_render(r, 409,
		                     N_("This domain belongs to a company with a verified user: its "
		                        "claim is never released."),
		                     NULL);
	}
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	log_info("claim on %s (tenant %lld) released by staff user %lld", domain, c.tenant_id,
	         r->user->id);
	return resp_redirect(r, arena_printf(r->a, "/staff/claims?released=%s", domain));
}
