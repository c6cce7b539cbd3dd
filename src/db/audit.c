#include "db/audit.h"

DB_STMT(st_append,
        "INSERT INTO audit_log (tenant_id, actor_id, actor_email, actor_kind, action, object, "
        "before_json, after_json, ip) VALUES (NULLIF(?,0),NULLIF(?,0),?,?,?,?,?,?,?)");
enum db_err
db_audit_append(struct arena *a, const struct audit_entry *e)
{
	return db_exec(a, &st_append, NULL, "iisssssss", e->tenant_id, e->actor_id,
	               e->actor_email ? e->actor_email : "", e->actor_kind, e->action,
	               e->object ? e->object : "", e->before_json, e->after_json,
	               e->ip ? e->ip : "");
}

#define AUDIT_SELECT                                                                        \
	"SELECT l.id, DATE_FORMAT(l.at,'%Y-%m-%d %H:%i:%s'), COALESCE(l.tenant_id,0), "          \
	"COALESCE(t.name,''), COALESCE(l.actor_id,0), l.actor_email, l.actor_kind, l.action, "   \
	"l.object, l.before_json, l.after_json, l.ip "                                           \
	"FROM audit_log l LEFT JOIN tenants t ON t.id=l.tenant_id "

DB_STMT(st_list,
        AUDIT_SELECT ""
        "WHERE (?=0 OR l.tenant_id=?) AND (?=0 OR l.id<?) ORDER BY l.id DESC LIMIT ?");
static void
entries_from(struct arena *a, const struct db_result *res, struct audit_entry **rows, size_t *n);

enum db_err
db_audit_list(struct arena *a, long long tenant_id, long long before_id, size_t limit,
              struct audit_entry **rows, size_t *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_list, &res, "iiiii", tenant_id, tenant_id, before_id,
	                         before_id, (long long)limit);
	if (rc == DB_OK)
		entries_from(a, &res, rows, n);
	return rc;
}

DB_STMT(st_for_object,
        AUDIT_SELECT "WHERE l.object=? ORDER BY l.id");
enum db_err
db_audit_for_object(struct arena *a, const char *object, struct audit_entry **rows, size_t *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_for_object, &res, "s", object);
	if (rc == DB_OK)
		entries_from(a, &res, rows, n);
	return rc;
}

static void
entries_from(struct arena *a, const struct db_result *res_, struct audit_entry **rows, size_t *n)
{
	const struct db_result res = *res_;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		struct audit_entry *e = &(*rows)[i];
		e->id = db_cell_ll(&res, i, 0);
		e->at = db_cell(&res, i, 1);
		e->tenant_id = db_cell_ll(&res, i, 2);
		e->tenant_name = db_cell(&res, i, 3);
		e->actor_id = db_cell_ll(&res, i, 4);
		e->actor_email = db_cell(&res, i, 5);
		e->actor_kind = db_cell(&res, i, 6);
		e->action = db_cell(&res, i, 7);
		e->object = db_cell(&res, i, 8);
		e->before_json = db_cell(&res, i, 9);
		e->after_json = db_cell(&res, i, 10);
		e->ip = db_cell(&res, i, 11);
	}
	*n = res.nrows;
}
