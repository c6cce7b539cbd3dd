#include "db/leads.h"

DB_STMT(st_lead_create,
        "INSERT INTO leads (tenant_id, profile_id, partner_account_id, status, customer_name, "
        "customer_email, customer_company, customer_country, customer_phone, message, lang) "
        "SELECT p.tenant_id, p.id, COALESCE(p.partner_account_id, (SELECT g.id FROM "
        "partner_accounts g WHERE g.live_pga_tenant=p.tenant_id)), 'received', ?, ?, ?, ?, ?, "
        "?, ? FROM profiles p WHERE p.id=? AND p.status='published'");
enum db_err
db_lead_create(struct arena *a, const struct lead_request *l, long long *id)
{
	struct db_result res;
	*id = 0;
	enum db_err rc = db_exec(a, &st_lead_create, &res, "sssssssi", l->name, l->email, l->company,
	                         l->country, l->phone, l->message, l->lang, l->profile_id);
	if (rc == DB_OK && res.affected == 1)
		*id = (long long)res.insert_id;
	return rc;
}

#define LEAD_COLS                                                                                 \
	"l.id, l.tenant_id, l.profile_id, COALESCE(a.partner_id,''), p.name, l.status, "           \
	"DATE_FORMAT(l.created_at,'%Y-%m-%d %H:%i:%s'), l.customer_name, l.customer_email, "       \
	"l.customer_company, l.customer_country, l.customer_phone, l.message, l.lang, l.reason, " \
	"l.reminded_at IS NOT NULL "                                                              \
	"FROM leads l JOIN profiles p ON p.id=l.profile_id "                                      \
	"LEFT JOIN partner_accounts a ON a.id=l.partner_account_id "

static void
lead_from(const struct db_result *res, size_t row, struct lead *l)
{
	size_t k = 0;
	l->id = db_cell_ll(res, row, k++);
	l->tenant_id = db_cell_ll(res, row, k++);
	l->profile_id = db_cell_ll(res, row, k++);
	l->partner_id = db_cell(res, row, k++);
	l->profile_name = db_cell(res, row, k++);
	int s = lead_status_parse(db_cell(res, row, k++));
	l->status = s < 0 ? LEAD_RECEIVED : (enum lead_status)s;
	l->created_at = db_cell(res, row, k++);
	l->created_day = lead_day(l->created_at);
	l->customer_name = db_cell(res, row, k++);
	l->customer_email = db_cell(res, row, k++);
	l->customer_company = db_cell(res, row, k++);
	l->customer_country = db_cell(res, row, k++);
	l->customer_phone = db_cell(res, row, k++);
	l->message = db_cell(res, row, k++);
	l->lang = db_cell(res, row, k++);
	l->reason = db_cell(res, row, k++);
	l->reminded = db_cell_ll(res, row, k++) != 0;
}

static enum db_err
leads_from(struct arena *a, const struct db_result *res, struct lead **out, size_t *n)
{
	*n = res->nrows;
	*out = arena_alloc(a, (res->nrows ? res->nrows : 1) * sizeof(**out));
	for (size_t i = 0; i < res->nrows; i++)
		lead_from(res, i, &(*out)[i]);
	return DB_OK;
}

DB_STMT(st_leads_tenant, "SELECT " LEAD_COLS "WHERE l.tenant_id=? ORDER BY l.id DESC");
enum db_err
db_leads_of_tenant(struct arena *a, long long tenant_id, struct lead **out, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_leads_tenant, &res, "i", tenant_id);
	return rc == DB_OK ? leads_from(a, &res, out, n) : rc;
}

DB_STMT(st_lead_get, "SELECT " LEAD_COLS "WHERE l.tenant_id=? AND l.id=?");
enum db_err
db_lead_get(struct arena *a, long long tenant_id, long long id, struct lead *l, bool *found)
{
	struct db_result res;
	*found = false;
	enum db_err rc = db_exec(a, &st_lead_get, &res, "ii", tenant_id, id);
	if (rc == DB_OK && res.nrows == 1) {
		lead_from(&res, 0, l);
		*found = true;
	}
	return rc;
}

DB_STMT(st_lead_events,
        "SELECT DATE_FORMAT(e.created_at,'%Y-%m-%d %H:%i:%s'), e.action, e.status_to, "
        "COALESCE(u.display_name,''), COALESCE(u.email,''), e.reason FROM lead_events e "
        "LEFT JOIN users u ON u.id=e.user_id WHERE e.lead_id=? ORDER BY e.id");
enum db_err
db_lead_events(struct arena *a, long long lead_id, struct lead_event **out, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_lead_events, &res, "i", lead_id);
	if (rc != DB_OK)
		return rc;
	*out = arena_alloc(a, (res.nrows ? res.nrows : 1) * sizeof(**out));
	for (size_t i = 0; i < res.nrows; i++) {
		struct lead_event *e = &(*out)[i];
		e->at = db_cell(&res, i, 0);
		int act = lead_action_parse(db_cell(&res, i, 1));
		e->remind = act < 0; /* 'remind' */
		e->action = act < 0 ? LEAD_EXPIRE : (enum lead_action)act;
		int to = lead_status_parse(db_cell(&res, i, 2));
		e->to = to < 0 ? LEAD_RECEIVED : (enum lead_status)to;
		e->who_name = db_cell(&res, i, 3);
		e->who_email = db_cell(&res, i, 4);
		e->reason = db_cell(&res, i, 5);
	}
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_lead_move,
        "UPDATE leads SET status=?, reason=?, updated_at=CURRENT_TIMESTAMP(3) WHERE id=? AND "
        "status=? AND (status<>'received' OR created_at>=?)");
DB_STMT(st_lead_event_add,
        "INSERT INTO lead_events (lead_id, action, status_to, user_id, reason) VALUES (?,?,?,?,?)");
enum db_err
db_lead_transition(struct arena *a, long long id, const struct lead_transition *t,
                   const char *answerable_from, long long user_id, const char *reason,
                   bool *changed)
{
	struct db_result res;
	*changed = false;
	reason = reason ? reason : "";
	enum db_err rc = db_exec(a, &st_lead_move, &res, "ssiss", lead_status_code(t->to), reason, id,
	                         lead_status_code(t->from), answerable_from);
	if (rc != DB_OK || res.affected != 1)
		return rc;
	*changed = true;
	return user_id ? db_exec(a, &st_lead_event_add, NULL, "issis", id, lead_action_code(t->action),
	                         lead_status_code(t->to), user_id, reason)
	               : db_exec(a, &st_lead_event_add, NULL, "issns", id,
	                         lead_action_code(t->action), lead_status_code(t->to), reason);
}

DB_STMT(st_leads_expire_events,
        "INSERT INTO lead_events (lead_id, action, status_to) SELECT id, 'expire', 'expired' "
        "FROM leads WHERE status='received' AND created_at<DATE_ADD(?, INTERVAL 1 DAY)");
DB_STMT(st_leads_expire,
        "UPDATE leads SET status='expired', updated_at=CURRENT_TIMESTAMP(3) "
        "WHERE status='received' AND created_at<DATE_ADD(?, INTERVAL 1 DAY)");
enum db_err
db_leads_expire(struct arena *a, const char *through, long long *n)
{
	struct db_result res = {0};
	*n = 0;
	enum db_err rc = db_begin();
	if (rc != DB_OK)
		return rc;
	rc = db_exec(a, &st_leads_expire_events, NULL, "s", through);
	if (rc == DB_OK)
		rc = db_exec(a, &st_leads_expire, &res, "s", through);
	rc = db_finish(rc);
	if (rc == DB_OK)
		*n = (long long)res.affected;
	return rc;
}

DB_STMT(st_leads_remind,
        "SELECT " LEAD_COLS "WHERE l.status='received' AND l.reminded_at IS NULL AND "
        "l.created_at>=? ORDER BY l.id");
enum db_err
db_leads_remind_candidates(struct arena *a, const char *since, struct lead **out, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_leads_remind, &res, "s", since);
	return rc == DB_OK ? leads_from(a, &res, out, n) : rc;
}

DB_STMT(st_lead_reminded,
        "UPDATE leads SET reminded_at=CURRENT_TIMESTAMP(3) WHERE id=? AND reminded_at IS NULL "
        "AND status='received'");
DB_STMT(st_lead_remind_event,
        "INSERT INTO lead_events (lead_id, action, status_to) VALUES (?, 'remind', 'received')");
enum db_err
db_lead_mark_reminded(struct arena *a, long long id, bool *changed)
{
	struct db_result res;
	*changed = false;
	enum db_err rc = db_exec(a, &st_lead_reminded, &res, "i", id);
	if (rc != DB_OK || res.affected != 1)
		return rc;
	*changed = true;
	return db_exec(a, &st_lead_remind_event, NULL, "i", id);
}

DB_STMT(st_lead_recipients,
        "SELECT u.email, u.lang, u.display_name, EXISTS(SELECT 1 FROM user_roles r WHERE "
        "r.user_id=u.id AND r.role='referral_admin' AND (r.partner_id IS NULL OR "
        "r.partner_id=a.partner_id)), FIND_IN_SET('global_admin', u.roles) > 0 "
        "FROM leads l JOIN users u ON u.tenant_id=l.tenant_id AND u.status='active' "
        "LEFT JOIN partner_accounts a ON a.id=l.partner_account_id WHERE l.id=? AND "
        "(FIND_IN_SET('global_admin', u.roles) > 0 OR EXISTS(SELECT 1 FROM user_roles r WHERE "
        "r.user_id=u.id AND r.role='referral_admin' AND (r.partner_id IS NULL OR "
        "r.partner_id=a.partner_id))) ORDER BY u.id");
enum db_err
db_lead_recipients(struct arena *a, long long lead_id, struct lead_recipient **out, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_lead_recipients, &res, "i", lead_id);
	if (rc != DB_OK)
		return rc;
	*out = arena_alloc(a, (res.nrows ? res.nrows : 1) * sizeof(**out));
	for (size_t i = 0; i < res.nrows; i++) {
		(*out)[i] = (struct lead_recipient){
		    .email = db_cell(&res, i, 0), .lang = db_cell(&res, i, 1),
		    .display_name = db_cell(&res, i, 2), .referral = db_cell_ll(&res, i, 3) != 0,
		    .global = db_cell_ll(&res, i, 4) != 0};
	}
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_lead_backdate,
        "UPDATE leads SET created_at=created_at - INTERVAL ? DAY, updated_at=created_at WHERE id=?");
enum db_err
db_lead_backdate(struct arena *a, long long id, long days)
{
	return db_exec(a, &st_lead_backdate, NULL, "ii", (long long)days, id);
}

DB_STMT(st_leads_count, "SELECT COUNT(*) FROM leads WHERE tenant_id=?");
enum db_err
db_leads_count(struct arena *a, long long tenant_id, long long *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_leads_count, &res, "i", tenant_id);
	if (rc == DB_OK && res.nrows == 1)
		*n = db_cell_ll(&res, 0, 0);
	return rc;
}
