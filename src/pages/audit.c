/* The audit log, read only: a tenant's rows for its global admins, every
 * row for staff; HTML pages of 100 rows and a CSV export. */
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "pages/pages.h"

#define AUDIT_PAGE_ROWS 100
/* The CSV export is bounded: older rows are reached with ?before=. */
#define AUDIT_CSV_ROWS  50000

static long long
param_ll(const struct req *r, const char *name)
{
	const char *s = req_param(r, name);
	if (s == NULL || *s == '\0' || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
		return 0;
	return strtoll(s, NULL, 10);
}

/* The stored value, or an empty cell for NULL. */
static const char *
or_blank(const char *s)
{
	return s && *s ? s : "";
}

/* The kind of actor as people read it (msgid); the stored code otherwise. */
static const char *
actor_kind_label(const char *kind)
{
	if (kind == NULL)
		return "";
	if (strcmp(kind, "user") == 0)
		return N_("user");
	if (strcmp(kind, "staff") == 0)
		return N_("staff");
	if (strcmp(kind, "system") == 0)
		return N_("system");
	return kind;
}

static int
audit_html(struct req *r, long long tenant_id, bool staff)
{
	struct audit_entry *rows;
	size_t n;
	long long before = param_ll(r, "before");
	if (db_audit_list(r->a, tenant_id, before, AUDIT_PAGE_ROWS + 1, &rows, &n) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	tv_bool(v, "staff_view", staff);
	const char *base = staff ? "/staff/audit" : "/account/audit";
	tv_set(v, "csv_href",
	       staff && tenant_id ? arena_printf(r->a, "%s.csv?tenant=%lld", base, tenant_id)
	                          : arena_printf(r->a, "%s.csv", base));
	if (staff && tenant_id)
		tv_setf(v, "tenant_filter", "%lld", tenant_id);
	size_t shown = n > AUDIT_PAGE_ROWS ? AUDIT_PAGE_ROWS : n;
	for (size_t i = 0; i < shown; i++) {
		struct tvars *it = tv_item(v, "rows");
		tv_setf(it, "id", "%lld", rows[i].id);
		tv_set(it, "at", rows[i].at);
		tv_set(it, "actor", or_blank(rows[i].actor_email));
		tv_set(it, "actor_kind", rows[i].actor_kind);
		tv_set(it, "actor_kind_label", tr(r->lang, actor_kind_label(rows[i].actor_kind)));
		tv_set(it, "action", rows[i].action);
		tv_set(it, "sentence", audit_text(r, &rows[i]));
		tv_set(it, "object", rows[i].object);
		tv_set(it, "before", or_blank(rows[i].before_json));
		tv_set(it, "after", or_blank(rows[i].after_json));
		tv_set(it, "ip", rows[i].ip);
		tv_set(it, "tenant_name", rows[i].tenant_name);
		if (staff && rows[i].tenant_id)
			tv_setf(it, "tenant_href", "/staff/audit?tenant=%lld", rows[i].tenant_id);
	}
	tv_bool(v, "empty", shown == 0);
	if (n > AUDIT_PAGE_ROWS) {
		const char *q = staff && tenant_id ? arena_printf(r->a, "tenant=%lld&", tenant_id) : "";
		tv_setf(v, "older_href", "%s?%sbefore=%lld", base, q, rows[shown - 1].id);
	}
	return page_render(r, 200, "audit", v);
}

static int
audit_csv(struct req *r, long long tenant_id, const char *filename)
{
	struct audit_entry *rows;
	size_t n;
	if (db_audit_list(r->a, tenant_id, param_ll(r, "before"), AUDIT_CSV_ROWS, &rows, &n) !=
	    DB_OK)
		return page_error(r, 503);
	struct sbuf *b = r->body;
	sbuf_reset(b);
	sbuf_adds(b, "id,at_utc,tenant,actor,actor_kind,action,object,before,after,ip\r\n");
	for (size_t i = 0; i < n; i++) {
		char id[24];
		snprintf(id, sizeof(id), "%lld", rows[i].id);
		csv_field(b, id, false);
		csv_field(b, rows[i].at, false);
		csv_field(b, rows[i].tenant_name, false);
		csv_field(b, rows[i].actor_email, false);
		csv_field(b, rows[i].actor_kind, false);
		csv_field(b, rows[i].action, false);
		csv_field(b, rows[i].object, false);
		csv_field(b, rows[i].before_json, false);
		csv_field(b, rows[i].after_json, false);
		csv_field(b, rows[i].ip, true);
	}
	r->status = 200;
	r->content_type_out = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition",
	            arena_printf(r->a, "attachment; filename=\"%s\"", filename));
	return 200;
}

int
page_audit(struct req *r)
{
	return audit_html(r, r->user->tenant_id, false);
}

int
page_audit_csv(struct req *r)
{
	return audit_csv(r, r->user->tenant_id, "audit-log.csv");
}

int
page_staff_audit(struct req *r)
{
	return audit_html(r, param_ll(r, "tenant"), true);
}

int
page_staff_audit_csv(struct req *r)
{
	return audit_csv(r, param_ll(r, "tenant"), "audit-log-all.csv");
}
