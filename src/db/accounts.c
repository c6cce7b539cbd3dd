#include "db/accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"

/* users.roles is the SET of the user's roles, kept by triggers on user_roles
 * (sql/004_user_roles_column.sql); the scope of a referral admin is read
 * from user_roles. */
#define USER_COLS                                                                                 \
	"u.id, COALESCE(u.tenant_id,0), u.email, u.display_name, u.password_hash, u.status, u.lang, " \
	"u.email_verified_at IS NOT NULL, u.roles, "                                              \
	"(SELECT COALESCE(GROUP_CONCAT(r.partner_id ORDER BY r.partner_id),'') FROM user_roles r "  \
	" WHERE r.user_id=u.id AND r.role='referral_admin'), u.created_at, "                    \
	"COALESCE((SELECT t.name FROM tenants t WHERE t.id=u.tenant_id),'')"

static unsigned
roles_from_list(const char *list)
{
	unsigned bits = 0;
	if (list == NULL)
		return 0;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", list);
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int r = role_parse(t);
		if (r >= 0)
			bits |= ROLE_BIT(r);
	}
	return bits;
}

static void
user_row_from(const struct db_result *res, size_t row, struct user_row *u)
{
	u->id = db_cell_ll(res, row, 0);
	u->tenant_id = db_cell_ll(res, row, 1);
	u->email = db_cell(res, row, 2);
	u->display_name = db_cell(res, row, 3);
	u->password_hash = db_cell(res, row, 4);
	int status = user_status_parse(db_cell(res, row, 5));
	u->status = status < 0 ? USER_DISABLED : (enum user_status)status;
	u->lang = db_cell(res, row, 6);
	u->verified = db_cell_ll(res, row, 7) != 0;
	u->roles = roles_from_list(db_cell(res, row, 8));
	u->referral_scope = db_cell(res, row, 9);
	u->created_at = db_cell(res, row, 10);
	u->tenant_name = db_cell(res, row, 11);
}

DB_STMT(st_secret, "SELECT value FROM app_secrets WHERE name=?");
enum db_err
db_secret_get(struct arena *a, const char *name, const unsigned char **val, size_t *len)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_secret, &res, "s", name);
	if (rc != DB_OK)
		return rc;
	if (res.nrows != 1)
		return DB_ERROR;
	*val = (const unsigned char *)res.cells[0];
	*len = res.lens[0];
	return DB_OK;
}

static enum db_err
string_list(struct arena *a, struct db_stmt *st, const char ***list, size_t *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, st, &res, "");
	if (rc != DB_OK)
		return rc;
	*list = arena_alloc(a, sizeof(char *) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		(*list)[i] = db_cell(&res, i, 0);
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_freemail, "SELECT pattern FROM freemail_domains");
enum db_err
db_freemail_patterns(struct arena *a, const char ***list, size_t *n)
{
	return string_list(a, &st_freemail, list, n);
}

DB_STMT(st_roleboxes, "SELECT local_part FROM role_mailboxes");
enum db_err
db_role_mailboxes(struct arena *a, const char ***list, size_t *n)
{
	return string_list(a, &st_roleboxes, list, n);
}

DB_STMT(st_health, "SELECT 1");
enum db_err
db_health(struct arena *a)
{
	struct db_result res;
	return db_exec(a, &st_health, &res, "");
}

/* One lookup by primary keys: sessions, then users and tenants (eq_ref), the
 * PGA and the CSP application by unique keys, no sub-select (EXPLAIN in
 * bench/README.md). The application's status gives the navigation's count of
 * pending actions without a query of its own. */
DB_STMT(st_session_load,
        "SELECT u.id, COALESCE(u.tenant_id,0), u.email, u.display_name, "
        "u.email_verified_at IS NOT NULL, u.roles, COALESCE(t.name,''), COALESCE(t.country,''), "
        "TIMESTAMPDIFF(SECOND, s.last_seen, NOW(3)), COALESCE(g.partner_id,''), "
        "TIMESTAMPDIFF(SECOND, s.created_at, NOW(3)), u.totp_enabled_at IS NOT NULL, "
        "COALESCE(u.tfa_due_at <= NOW(3), 1), COALESCE(c.status,''), COALESCE(c.request_kind,'') "
        "FROM sessions s JOIN users u ON u.id=s.user_id LEFT JOIN tenants t ON t.id=u.tenant_id "
        "LEFT JOIN partner_accounts g ON g.live_pga_tenant=u.tenant_id "
        "LEFT JOIN csp_applications c ON c.tenant_id=u.tenant_id "
        "WHERE s.token_hash=? AND u.status='active'");
DB_STMT(st_session_delete, "DELETE FROM sessions WHERE token_hash=?");
enum db_err
db_session_load(struct arena *a, const unsigned char *hash, struct user *u, bool *found,
                bool *touch)
{
	struct db_result res;
	*found = *touch = false;
	enum db_err rc = db_exec(a, &st_session_load, &res, "b", hash, (size_t)TOKEN_HASH_LEN);
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	long long idle = db_cell_ll(&res, 0, 8), age = db_cell_ll(&res, 0, 10);
	/* Times counted from the sign-in, on the database's clock. */
	if (session_check(0, age - idle, age) != SESSION_VALID) {
		db_exec(a, &st_session_delete, NULL, "b", hash, (size_t)TOKEN_HASH_LEN);
		return DB_OK;
	}
	u->id = db_cell_ll(&res, 0, 0);
	u->tenant_id = db_cell_ll(&res, 0, 1);
	u->email = db_cell(&res, 0, 2);
	u->display_name = db_cell(&res, 0, 3);
	u->verified = db_cell_ll(&res, 0, 4) != 0;
	u->roles = roles_from_list(db_cell(&res, 0, 5));
	u->tenant_name = db_cell(&res, 0, 6);
	u->tenant_country = db_cell(&res, 0, 7);
	u->pga_partner_id = db_cell(&res, 0, 9);
	u->tfa_enabled = db_cell_ll(&res, 0, 11) != 0;
	u->tfa_due_passed = db_cell_ll(&res, 0, 12) != 0;
	int status = csp_status_parse(db_cell(&res, 0, 13));
	int asks = csp_request_parse(db_cell(&res, 0, 14));
	u->csp_status = status < 0 ? CSP_NONE : (enum csp_status)status;
	u->csp_request = asks < 0 ? CSP_ASKS_NONE : (enum csp_request)asks;
	*found = true;
	*touch = idle >= SESSION_TOUCH_SECONDS;
	return DB_OK;
}

/* The public id is random (MariaDB's RANDOM_BYTES), unrelated to the token. */
DB_STMT(st_session_create,
        "INSERT INTO sessions (token_hash, user_id, public_id, ip, user_agent) "
        "VALUES (?,?,LOWER(HEX(RANDOM_BYTES(16))),?,?)");
enum db_err
db_session_create(struct arena *a, const unsigned char *hash, long long user_id, const char *ip,
                  const char *user_agent)
{
	return db_exec(a, &st_session_create, NULL, "biss", hash, (size_t)TOKEN_HASH_LEN, user_id,
	               ip ? ip : "", user_agent ? user_agent : "");
}

/* Only the first of concurrent requests that found the session stale writes. */
DB_STMT(st_session_touch, "UPDATE sessions SET last_seen=NOW(3) WHERE token_hash=? "
                          "AND last_seen < NOW(3) - INTERVAL ? SECOND");
enum db_err
db_session_touch(struct arena *a, const unsigned char *hash)
{
	return db_exec(a, &st_session_touch, NULL, "bi", hash, (size_t)TOKEN_HASH_LEN,
	               (long long)SESSION_TOUCH_SECONDS);
}

enum db_err
db_session_delete(struct arena *a, const unsigned char *hash)
{
	return db_exec(a, &st_session_delete, NULL, "b", hash, (size_t)TOKEN_HASH_LEN);
}

DB_STMT(st_sessions_of_user,
        "SELECT public_id, DATE_FORMAT(created_at,'%Y-%m-%d %H:%i'), "
        "DATE_FORMAT(last_seen,'%Y-%m-%d %H:%i'), ip, user_agent, token_hash=?, "
        "TIMESTAMPDIFF(SECOND, created_at, NOW(3)), TIMESTAMPDIFF(SECOND, last_seen, NOW(3)) "
        "FROM sessions WHERE user_id=? ORDER BY created_at DESC, public_id");
enum db_err
db_sessions_of_user(struct arena *a, long long user_id, const unsigned char *current,
                    struct session_row **rows, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_sessions_of_user, &res, "bi", current,
	                         (size_t)TOKEN_HASH_LEN, user_id);
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		long long age = db_cell_ll(&res, i, 6), idle = db_cell_ll(&res, i, 7);
		if (session_check(0, age - idle, age) != SESSION_VALID)
			continue;
		struct session_row *s = &(*rows)[(*n)++];
		s->public_id = db_cell(&res, i, 0);
		s->created_at = db_cell(&res, i, 1);
		s->last_seen = db_cell(&res, i, 2);
		s->ip = db_cell(&res, i, 3);
		s->user_agent = db_cell(&res, i, 4);
		s->current = db_cell_ll(&res, i, 5) != 0;
	}
	return DB_OK;
}

DB_STMT(st_session_end, "DELETE FROM sessions WHERE public_id=? AND user_id=?");
enum db_err
db_session_end(struct arena *a, long long user_id, const char *public_id, bool *found)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_session_end, &res, "si", public_id, user_id);
	*found = rc == DB_OK && res.affected == 1;
	return rc;
}

DB_STMT(st_user_sessions_delete, "DELETE FROM sessions WHERE user_id=?");
DB_STMT(st_user_sessions_delete_except, "DELETE FROM sessions WHERE user_id=? AND token_hash<>?");
enum db_err
db_sessions_end_all(struct arena *a, long long user_id, const unsigned char *except_hash)
{
	if (except_hash == NULL)
		return db_exec(a, &st_user_sessions_delete, NULL, "i", user_id);
	return db_exec(a, &st_user_sessions_delete_except, NULL, "ib", user_id, except_hash,
	               (size_t)TOKEN_HASH_LEN);
}

DB_STMT(st_sessions_purge, "DELETE FROM sessions WHERE last_seen < NOW(3) - INTERVAL ? SECOND "
                           "OR created_at <= NOW(3) - INTERVAL ? SECOND");
DB_STMT(st_rate_purge, "DELETE FROM rate_events WHERE at < NOW(3) - INTERVAL ? SECOND");
enum db_err
db_sessions_purge(struct arena *a)
{
	enum db_err rc = db_exec(a, &st_sessions_purge, NULL, "ii", (long long)SESSION_IDLE_SECONDS,
	                         (long long)SESSION_MAX_SECONDS);
	if (rc == DB_OK)
		rc = db_exec(a, &st_rate_purge, NULL, "i", (long long)RATE_KEEP_SECONDS);
	return rc;
}

DB_STMT(st_domain_tenant, "SELECT tenant_id FROM tenant_domains WHERE domain=?");
enum db_err
db_domain_tenant(struct arena *a, const char *domain, long long *tenant_id)
{
	struct db_result res;
	*tenant_id = 0;
	enum db_err rc = db_exec(a, &st_domain_tenant, &res, "s", domain);
	if (rc == DB_OK && res.nrows)
		*tenant_id = db_cell_ll(&res, 0, 0);
	return rc;
}

DB_STMT(st_tenant_insert, "INSERT INTO tenants (name, country) VALUES (?,?)");
DB_STMT(st_domain_insert, "INSERT INTO tenant_domains (domain, tenant_id) VALUES (?,?)");
DB_STMT(st_user_insert,
        "INSERT INTO users (tenant_id, email, display_name, password_hash, status, lang, invited_by) "
        "VALUES (?,?,?,?,?,?,?)");
DB_STMT(st_role_insert, "INSERT INTO user_roles (user_id, role, partner_id) VALUES (?,?,?)");

enum db_err
db_signup(struct arena *a, const char *company, const char *country, const char *domain,
          const char *email, const char *display_name, const char *pwhash, const char *lang,
          long long *user_id)
{
	struct db_result res;
	enum db_err rc = db_begin();
	if (rc != DB_OK)
		return rc;
	if ((rc = db_exec(a, &st_tenant_insert, &res, "ss", company, country)) != DB_OK)
		goto fail;
	long long tenant_id = (long long)res.insert_id;
	if ((rc = db_exec(a, &st_domain_insert, NULL, "si", domain, tenant_id)) != DB_OK)
		goto fail;
	if ((rc = db_exec(a, &st_user_insert, &res, "isssssn", tenant_id, email, display_name, pwhash,
	                  "active", lang)) != DB_OK)
		goto fail;
	*user_id = (long long)res.insert_id;
	if ((rc = db_exec(a, &st_role_insert, NULL, "isn", *user_id, "global_admin")) != DB_OK)
		goto fail;
	return db_commit();
fail:
	db_rollback();
	return rc;
}

/* The first row of a user query, if any. */
static enum db_err
first_user(enum db_err rc, const struct db_result *res, struct user_row *u, bool *found)
{
	*found = rc == DB_OK && res->nrows > 0;
	if (*found)
		user_row_from(res, 0, u);
	return rc;
}

DB_STMT(st_user_by_email, "SELECT " USER_COLS " FROM users u WHERE u.email=?");
enum db_err
db_user_by_email(struct arena *a, const char *email, struct user_row *u, bool *found)
{
	struct db_result res = {0};
	return first_user(db_exec(a, &st_user_by_email, &res, "s", email), &res, u, found);
}

DB_STMT(st_user_by_id, "SELECT " USER_COLS " FROM users u WHERE u.id=?");
enum db_err
db_user_by_id(struct arena *a, long long id, struct user_row *u, bool *found)
{
	struct db_result res = {0};
	return first_user(db_exec(a, &st_user_by_id, &res, "i", id), &res, u, found);
}

DB_STMT(st_users_of_tenant, "SELECT " USER_COLS " FROM users u WHERE u.tenant_id=? ORDER BY u.id");
enum db_err
db_users_of_tenant(struct arena *a, long long tenant_id, struct user_row **rows, size_t *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_users_of_tenant, &res, "i", tenant_id);
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		user_row_from(&res, i, &(*rows)[i]);
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_tenant_has_domain, "SELECT 1 FROM tenant_domains WHERE tenant_id=? AND domain=?");
enum db_err
db_tenant_has_domain(struct arena *a, long long tenant_id, const char *domain, bool *yes)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_tenant_has_domain, &res, "is", tenant_id, domain);
	*yes = rc == DB_OK && res.nrows > 0;
	return rc;
}

/* Newest first, in the window, at most limit rows: ix_rate_events (kind, key_hash, at). */
DB_STMT(st_rate_ages,
        "SELECT TIMESTAMPDIFF(MICROSECOND, at, NOW(3)) DIV 1000 FROM rate_events "
        "WHERE kind=? AND key_hash=? AND at > NOW(3) - INTERVAL ? SECOND "
        "ORDER BY at DESC LIMIT ?");
enum db_err
db_rate_ages(struct arena *a, const char *kind, const unsigned char *key_hash, long window_seconds,
             size_t limit, long long **ages_ms, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_rate_ages, &res, "sbii", kind, key_hash, (size_t)RATE_KEY_LEN,
	                         (long long)window_seconds, (long long)limit);
	if (rc != DB_OK)
		return rc;
	*ages_ms = arena_alloc(a, sizeof(**ages_ms) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		(*ages_ms)[i] = db_cell_ll(&res, i, 0);
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_rate_add, "INSERT INTO rate_events (kind, key_hash) VALUES (?,?)");
enum db_err
db_rate_add(struct arena *a, const char *kind, const unsigned char *key_hash)
{
	return db_exec(a, &st_rate_add, NULL, "sb", kind, key_hash, (size_t)RATE_KEY_LEN);
}

DB_STMT(st_rate_clear, "DELETE FROM rate_events WHERE kind=? AND key_hash=?");
enum db_err
db_rate_clear(struct arena *a, const char *kind, const unsigned char *key_hash)
{
	return db_exec(a, &st_rate_clear, NULL, "sb", kind, key_hash, (size_t)RATE_KEY_LEN);
}

DB_STMT(st_token_create,
        "INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) "
        "VALUES (?,?,?, NOW(3) + INTERVAL ? SECOND)");
enum db_err
db_token_create(struct arena *a, const unsigned char *hash, long long user_id, const char *purpose,
                long valid_seconds)
{
	return db_exec(a, &st_token_create, NULL, "bisi", hash, (size_t)TOKEN_HASH_LEN, user_id,
	               purpose, (long long)valid_seconds);
}

DB_STMT(st_token_use,
        "UPDATE email_tokens SET used_at=NOW(3) "
        "WHERE token_hash=? AND purpose=? AND used_at IS NULL AND expires_at > NOW(3)");
DB_STMT(st_token_user, "SELECT user_id FROM email_tokens WHERE token_hash=?");
enum db_err
db_token_consume(struct arena *a, const unsigned char *hash, const char *purpose,
                 long long *user_id)
{
	struct db_result res;
	*user_id = 0;
	/* The UPDATE is the single-use guard: only one caller sees affected=1. */
	enum db_err rc = db_exec(a, &st_token_use, &res, "bs", hash, (size_t)TOKEN_HASH_LEN, purpose);
	if (rc != DB_OK || res.affected != 1)
		return rc;
	rc = db_exec(a, &st_token_user, &res, "b", hash, (size_t)TOKEN_HASH_LEN);
	if (rc == DB_OK && res.nrows)
		*user_id = db_cell_ll(&res, 0, 0);
	return rc;
}

DB_STMT(st_token_peek,
        "SELECT user_id FROM email_tokens "
        "WHERE token_hash=? AND purpose=? AND used_at IS NULL AND expires_at > NOW(3)");
enum db_err
db_token_peek(struct arena *a, const unsigned char *hash, const char *purpose, long long *user_id)
{
	struct db_result res;
	*user_id = 0;
	enum db_err rc = db_exec(a, &st_token_peek, &res, "bs", hash, (size_t)TOKEN_HASH_LEN, purpose);
	if (rc == DB_OK && res.nrows)
		*user_id = db_cell_ll(&res, 0, 0);
	return rc;
}

DB_STMT(st_token_used_verified,
        "SELECT t.user_id FROM email_tokens t JOIN users u ON u.id=t.user_id "
        "WHERE t.token_hash=? AND t.purpose=? AND t.used_at IS NOT NULL "
        "AND t.expires_at > NOW(3) AND u.email_verified_at IS NOT NULL");
enum db_err
db_token_used_verified(struct arena *a, const unsigned char *hash, const char *purpose,
                       long long *user_id)
{
	struct db_result res;
	*user_id = 0;
	enum db_err rc = db_exec(a, &st_token_used_verified, &res, "bs", hash,
	                         (size_t)TOKEN_HASH_LEN, purpose);
	if (rc == DB_OK && res.nrows)
		*user_id = db_cell_ll(&res, 0, 0);
	return rc;
}

DB_STMT(st_tokens_revoke, "UPDATE email_tokens SET used_at=NOW(3) "
                          "WHERE user_id=? AND purpose=? AND used_at IS NULL");
enum db_err
db_tokens_revoke(struct arena *a, long long user_id, const char *purpose)
{
	return db_exec(a, &st_tokens_revoke, NULL, "is", user_id, purpose);
}

DB_STMT(st_user_verify,
        "UPDATE users SET email_verified_at=COALESCE(email_verified_at, NOW(3)) WHERE id=?");
enum db_err
db_user_mark_verified(struct arena *a, long long user_id)
{
	return db_exec(a, &st_user_verify, NULL, "i", user_id);
}

DB_STMT(st_user_set_pw,
        "UPDATE users SET password_hash=?, status='active', "
        "email_verified_at=COALESCE(email_verified_at, NOW(3)) WHERE id=?");
DB_STMT(st_user_password, "UPDATE users SET password_hash=? WHERE id=? AND status='active'");
enum db_err
db_user_password_update(struct arena *a, long long user_id, const char *pwhash, bool *updated)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_user_password, &res, "si", pwhash, user_id);
	*updated = rc == DB_OK && res.affected == 1;
	return rc;
}

enum db_err
db_user_set_password(struct arena *a, long long user_id, const char *pwhash)
{
	enum db_err rc = db_begin();
	if (rc != DB_OK)
		return rc;
	if ((rc = db_exec(a, &st_user_set_pw, NULL, "si", pwhash, user_id)) != DB_OK ||
	    (rc = db_exec(a, &st_user_sessions_delete, NULL, "i", user_id)) != DB_OK) {
		db_rollback();
		return rc;
	}
	return db_commit();
}

enum db_err
db_user_invite(struct arena *a, long long tenant_id, long long invited_by, const char *email,
               const char *display_name, const char *lang, enum role role,
               const unsigned char *token_hash, long valid_seconds, long long *user_id)
{
	struct db_result res;
	enum db_err rc = db_begin();
	if (rc != DB_OK)
		return rc;
	if ((rc = db_exec(a, &st_user_insert, &res, "isssssi", tenant_id, email, display_name, NULL,
	                  "invited", lang, invited_by)) != DB_OK)
		goto fail;
	*user_id = (long long)res.insert_id;
	if ((rc = db_exec(a, &st_role_insert, NULL, "isn", *user_id, role_name(role))) != DB_OK)
		goto fail;
	if ((rc = db_exec(a, &st_token_create, NULL, "bisi", token_hash, (size_t)TOKEN_HASH_LEN,
	                  *user_id, "set_password", (long long)valid_seconds)) != DB_OK)
		goto fail;
	return db_commit();
fail:
	db_rollback();
	return rc;
}

DB_STMT(st_user_in_tenant, "SELECT 1 FROM users WHERE id=? AND tenant_id=? FOR UPDATE");
DB_STMT(st_roles_delete, "DELETE FROM user_roles WHERE user_id=?");
DB_STMT(st_role_insert_scoped, "INSERT INTO user_roles (user_id, role, partner_id) VALUES (?,?,?)");
enum db_err
db_user_set_roles(struct arena *a, long long tenant_id, long long user_id, unsigned roles,
                  const char *const *scope, size_t nscope, bool *found)
{
	struct db_result res;
	*found = false;
	enum db_err rc = db_begin();
	if (rc != DB_OK)
		return rc;
	if ((rc = db_exec(a, &st_user_in_tenant, &res, "ii", user_id, tenant_id)) != DB_OK)
		goto fail;
	if (res.nrows == 0) {
		db_rollback();
		return DB_OK;
	}
	*found = true;
	if ((rc = db_exec(a, &st_roles_delete, NULL, "i", user_id)) != DB_OK)
		goto fail;
	for (int role = 0; role < ROLE__MAX; role++) {
		if (!(roles & ROLE_BIT(role)))
			continue;
		bool scoped = role == ROLE_REFERRAL_ADMIN && nscope > 0;
		for (size_t k = 0; k < (scoped ? nscope : 1); k++)
			if ((rc = db_exec(a, &st_role_insert_scoped, NULL, "iss", user_id,
			                  role_name((enum role)role), scoped ? scope[k] : NULL)) != DB_OK)
				goto fail;
	}
	return db_commit();
fail:
	db_rollback();
	return rc;
}

DB_STMT(st_staff_insert,
        "INSERT INTO users (tenant_id, email, display_name, password_hash, status, lang, "
        "email_verified_at) VALUES (NULL,?,?,?,'active','en',NOW(3))");
enum db_err
db_staff_add(struct arena *a, const char *email, const char *display_name, const char *pwhash,
             const char *role)
{
	struct db_result res;
	enum db_err rc = db_begin();
	if (rc != DB_OK)
		return rc;
	if ((rc = db_exec(a, &st_staff_insert, &res, "sss", email, display_name, pwhash)) != DB_OK ||
	    (rc = db_exec(a, &st_role_insert, NULL, "isn", (long long)res.insert_id, role)) != DB_OK) {
		db_rollback();
		return rc;
	}
	return db_commit();
}

DB_STMT(st_outbox_add, "INSERT INTO outbox (to_addr, subject, body) VALUES (?,?,?)");
enum db_err
db_outbox_add(struct arena *a, const char *to, const char *subject, const char *body)
{
	return db_exec(a, &st_outbox_add, NULL, "sss", to, subject, body);
}
