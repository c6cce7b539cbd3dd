#include "db/twofactor.h"

#include <stdlib.h>

DB_STMT(st_tfa_get,
        "SELECT totp_enabled_at IS NOT NULL, totp_secret, totp_last_step, "
        "(SELECT COUNT(*) FROM recovery_codes c WHERE c.user_id=u.id AND c.used_at IS NULL) "
        "FROM users u WHERE u.id=?");
enum db_err
db_tfa_get(struct arena *a, long long user_id, struct tfa_row *t)
{
	struct db_result res;
	*t = (struct tfa_row){0};
	enum db_err rc = db_exec(a, &st_tfa_get, &res, "i", user_id);
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	t->enabled = db_cell_ll(&res, 0, 0) != 0;
	t->sealed = (const unsigned char *)res.cells[1];
	t->sealed_len = res.cells[1] ? res.lens[1] : 0;
	t->last_step = strtoull(db_cell(&res, 0, 2), NULL, 10);
	t->codes_left = db_cell_ll(&res, 0, 3);
	if (!t->enabled)
		t->sealed = NULL;
	return DB_OK;
}

DB_STMT(st_tfa_enable,
        "UPDATE users SET totp_secret=?, totp_enabled_at=NOW(3), "
        "totp_last_step=GREATEST(totp_last_step, ?) WHERE id=? AND totp_enabled_at IS NULL");
enum db_err
db_tfa_enable(struct arena *a, long long user_id, const unsigned char *sealed, size_t sealed_len,
              unsigned long long step, const unsigned char (*hashes)[RECOVERY_HASH_LEN], size_t n,
              bool *done)
{
	struct db_result res;
	*done = false;
	enum db_err rc =
	    db_exec(a, &st_tfa_enable, &res, "bii", sealed, sealed_len, (long long)step, user_id);
	if (rc != DB_OK || res.affected != 1)
		return rc;
	*done = true;
	return db_tfa_codes_replace(a, user_id, hashes, n);
}

DB_STMT(st_tfa_step_use, "UPDATE users SET totp_last_step=? WHERE id=? AND totp_last_step < ?");
enum db_err
db_tfa_step_use(struct arena *a, long long user_id, unsigned long long step, bool *ok)
{
	struct db_result res;
	enum db_err rc =
	    db_exec(a, &st_tfa_step_use, &res, "iii", (long long)step, user_id, (long long)step);
	*ok = rc == DB_OK && res.affected == 1;
	return rc;
}

DB_STMT(st_codes_delete, "DELETE FROM recovery_codes WHERE user_id=?");
DB_STMT(st_code_insert, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?,?)");
enum db_err
db_tfa_codes_replace(struct arena *a, long long user_id,
                     const unsigned char (*hashes)[RECOVERY_HASH_LEN], size_t n)
{
	enum db_err rc = db_exec(a, &st_codes_delete, NULL, "i", user_id);
	for (size_t i = 0; i < n && rc == DB_OK; i++)
		rc = db_exec(a, &st_code_insert, NULL, "ib", user_id, hashes[i],
		             (size_t)RECOVERY_HASH_LEN);
	return rc;
}

DB_STMT(st_code_use, "UPDATE recovery_codes SET used_at=NOW(3) "
                     "WHERE user_id=? AND code_hash=? AND used_at IS NULL");
enum db_err
db_tfa_code_use(struct arena *a, long long user_id, const unsigned char *hash, bool *ok)
{
	struct db_result res;
	enum db_err rc =
	    db_exec(a, &st_code_use, &res, "ib", user_id, hash, (size_t)RECOVERY_HASH_LEN);
	*ok = rc == DB_OK && res.affected == 1;
	return rc;
}

DB_STMT(st_tfa_disable, "UPDATE users SET totp_secret=NULL, totp_enabled_at=NULL "
                        "WHERE id=? AND totp_enabled_at IS NOT NULL");
enum db_err
db_tfa_disable(struct arena *a, long long user_id, bool *done)
{
	struct db_result res;
	*done = false;
	enum db_err rc = db_exec(a, &st_tfa_disable, &res, "i", user_id);
	if (rc != DB_OK || res.affected != 1)
		return rc;
	*done = true;
	return db_exec(a, &st_codes_delete, NULL, "i", user_id);
}

DB_STMT(st_due_set, "UPDATE users SET tfa_due_at=NOW(3) + INTERVAL ? SECOND "
                    "WHERE email=? AND tenant_id IS NULL");
enum db_err
db_tfa_due_set(struct arena *a, const char *email, long seconds)
{
	return db_exec(a, &st_due_set, NULL, "is", (long long)seconds, email);
}
