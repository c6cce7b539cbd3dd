#include "db/outbox.h"

DB_STMT(st_claim,
        "SELECT id, to_addr, subject, body, DATE_FORMAT(created_at, '%Y%m%dT%H%i%s'), attempts "
        "FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= NOW(3) "
        "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED");
enum db_err
db_outbox_claim(struct arena *a, int max, struct outbox_msg **msgs, size_t *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_claim, &res, "i", (long long)max);
	*n = 0;
	if (rc != DB_OK)
		return rc;
	*msgs = arena_alloc(a, sizeof(**msgs) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		struct outbox_msg *m = &(*msgs)[i];
		m->id = db_cell_ll(&res, i, 0);
		m->to = db_cell(&res, i, 1);
		m->subject = db_cell(&res, i, 2);
		m->body = db_cell(&res, i, 3);
		m->created_at = db_cell(&res, i, 4);
		m->attempts = (int)db_cell_ll(&res, i, 5);
	}
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_sent, "UPDATE outbox SET sent_at=NOW(3), attempts=attempts+1, last_error=NULL WHERE id=?");
enum db_err
db_outbox_sent(struct arena *a, long long id)
{
	return db_exec(a, &st_sent, NULL, "i", id);
}

DB_STMT(st_failed,
        "UPDATE outbox SET attempts=attempts+1, last_error=LEFT(?, 500), "
        "next_attempt_at=NOW(3) + INTERVAL ? SECOND WHERE id=?");
enum db_err
db_outbox_failed(struct arena *a, long long id, const char *error, long delay_seconds)
{
	return db_exec(a, &st_failed, NULL, "sii", error, (long long)delay_seconds, id);
}
