#include "db/claims.h"

#include "db/audit.h"

/* Every column a claim row is read from; the one bound parameter is the
 * claim's lifetime. */
#define CLAIM_COLS                                                                               \
	"SELECT d.domain, d.tenant_id, t.name, DATE_FORMAT(d.claimed_at,'%Y-%m-%d %H:%i'), "     \
	"DATE_FORMAT(d.claimed_at + INTERVAL ? SECOND,'%Y-%m-%d %H:%i'), "                       \
	"(SELECT COUNT(*) FROM users u WHERE u.tenant_id=d.tenant_id), "                         \
	"EXISTS(SELECT 1 FROM users u WHERE u.tenant_id=d.tenant_id "                            \
	"AND u.email_verified_at IS NOT NULL), "                                                 \
	"TIMESTAMPDIFF(SECOND, d.claimed_at, NOW(3)), "                                          \
	"JSON_OBJECT('domain', d.domain, 'tenant_id', t.id, 'tenant', t.name, "                  \
	"'country', t.country, 'claimed_at', DATE_FORMAT(d.claimed_at,'%Y-%m-%d %H:%i:%s'), "    \
	"'users', (SELECT JSON_ARRAYAGG(u.email) FROM users u WHERE u.tenant_id=d.tenant_id)) " \
	"FROM tenant_domains d JOIN tenants t ON t.id=d.tenant_id "

static void
claim_from(const struct db_result *res, size_t row, struct claim_row *c)
{
	c->domain = db_cell(res, row, 0);
	c->tenant_id = db_cell_ll(res, row, 1);
	c->tenant_name = db_cell(res, row, 2);
	c->claimed_at = db_cell(res, row, 3);
	c->expires_at = db_cell(res, row, 4);
	c->users = db_cell_ll(res, row, 5);
	c->facts.claimed = true;
	c->facts.verified = db_cell_ll(res, row, 6) != 0;
	c->facts.age_seconds = db_cell_ll(res, row, 7);
	c->snapshot = db_cell(res, row, 8);
}

DB_STMT(st_claim_get, CLAIM_COLS "WHERE d.domain=?");
DB_STMT(st_claim_lock, CLAIM_COLS "WHERE d.domain=? FOR UPDATE");
enum db_err
db_claim_get(struct arena *a, const char *domain, bool lock, struct claim_row *c)
{
	struct db_result res;
	*c = (struct claim_row){.domain = domain};
	enum db_err rc = db_exec(a, lock ? &st_claim_lock : &st_claim_get, &res, "is",
	                         (long long)CLAIM_UNVERIFIED_SECONDS, domain);
	if (rc == DB_OK && res.nrows)
		claim_from(&res, 0, c);
	return rc;
}

DB_STMT(st_claims_list,
        CLAIM_COLS "WHERE LOCATE(?, d.domain) > 0 ORDER BY d.claimed_at DESC, d.domain LIMIT ?");
enum db_err
db_claims_list(struct arena *a, const char *q, size_t limit, struct claim_row **rows, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_claims_list, &res, "isi", (long long)CLAIM_UNVERIFIED_SECONDS,
	                         q ? q : "", (long long)limit);
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		claim_from(&res, i, &(*rows)[i]);
	*n = res.nrows;
	return DB_OK;
}

/* The users are locked first: a verification under way waits, then finds
 * its user gone (or the removal finds it verified and stops). */
DB_STMT(st_claim_users_lock,
        "SELECT COALESCE(MAX(email_verified_at IS NOT NULL),0) FROM users WHERE tenant_id=? "
        "FOR UPDATE");
DB_STMT(st_claim_users_delete, "DELETE FROM users WHERE tenant_id=?");
DB_STMT(st_claim_domains_delete, "DELETE FROM tenant_domains WHERE tenant_id=?");
DB_STMT(st_claim_tenant_delete, "DELETE FROM tenants WHERE id=?");
enum db_err
db_claim_remove(struct arena *a, const struct claim_row *c, bool *removed)
{
	struct db_result res;
	*removed = false;
	if (!c->facts.claimed)
		return DB_OK;
	enum db_err rc = db_exec(a, &st_claim_users_lock, &res, "i", c->tenant_id);
	if (rc != DB_OK || db_cell_ll(&res, 0, 0) != 0)
		return rc;
	/* Roles, sessions and one-time links go with the users (ON DELETE
	 * CASCADE); partner IDs and CSP applications need a verified email, so
	 * an unverified tenant has none (a foreign key would refuse it). */
	if ((rc = db_exec(a, &st_claim_users_delete, NULL, "i", c->tenant_id)) != DB_OK ||
	    (rc = db_exec(a, &st_claim_domains_delete, NULL, "i", c->tenant_id)) != DB_OK ||
	    (rc = db_exec(a, &st_claim_tenant_delete, NULL, "i", c->tenant_id)) != DB_OK)
		return rc;
	*removed = true;
	return DB_OK;
}

/* Candidates only: each is decided again under its lock by claim_check. */
DB_STMT(st_claims_stale,
        "SELECT d.domain FROM tenant_domains d WHERE d.claimed_at <= NOW(3) - INTERVAL ? SECOND "
        "AND NOT EXISTS(SELECT 1 FROM users u WHERE u.tenant_id=d.tenant_id "
        "AND u.email_verified_at IS NOT NULL) ORDER BY d.claimed_at LIMIT 500");
enum db_err
db_claims_expire(struct arena *a, long long *count)
{
	struct db_result list;
	*count = 0;
	enum db_err rc = db_exec(a, &st_claims_stale, &list, "i", (long long)CLAIM_UNVERIFIED_SECONDS);
	for (size_t i = 0; rc == DB_OK && i < list.nrows; i++) {
		struct claim_row c;
		bool removed = false;
		if ((rc = db_begin()) != DB_OK)
			break;
		rc = db_claim_get(a, db_cell(&list, i, 0), true, &c);
		if (rc == DB_OK && claim_check(&c.facts) == CLAIM_STALE)
			rc = db_claim_remove(a, &c, &removed);
		if (rc == DB_OK && removed) {
			struct audit_entry e = {
			    .tenant_id = c.tenant_id,
			    .actor_kind = "system",
			    .action = "domain_claim.expire",
			    .object = c.domain,
			    .before_json = c.snapshot,
			    .ip = "",
			};
			rc = db_audit_append(a, &e);
		}
		if ((rc = db_finish(rc)) == DB_OK && removed)
			(*count)++;
	}
	return rc;
}
