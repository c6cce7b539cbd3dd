/* Leads (CONTRACT "Leads", DOMAIN §5): the leads of the company that the
 * user may see (domain/leads.h: global admin, or referral admin of the
 * lead's partner ID or of all), with counts per status and a CSV; a lead
 * with its history; accept or decline a received lead, won or lost an
 * accepted one. A lead of another company, or one the user may not see,
 * is 404 on every page. Every status shown is lead_shown_status at today's
 * UTC date, so a received lead past its 14 days is expired everywhere. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/accounts.h"
#include "db/leads.h"
#include "domain/leads.h"
#include "pages/pages.h"

static const struct form_field lead_fields[] = {
    {"action", FT_ENUM, true, 1, 16, lead_user_action_codes},
    {"reason", FT_MULTILINE, false, 0, 500, NULL},
};


/* The referral scope of the signed-in user ("" = all). -1 when the
 * database fails. */
static int
viewer_scope(struct req *r, const char **scope)
{
	struct user_row u;
	bool found = false;
	*scope = "";
	if (db_user_by_id(r->a, r->user->id, &u, &found) != DB_OK || !found)
		return -1;
	*scope = u.referral_scope ? u.referral_scope : "";
	return 0;
}

/* The leads the user may see, filtered by status (LEAD_STATUS__MAX: all);
 * counts[] receives the visible ones per shown status. 0, or -1 when the
 * database fails. */
static int
visible_leads(struct req *r, enum lead_status only, struct lead **out, size_t *n,
              size_t counts[LEAD_STATUS__MAX], const char **scope)
{
	struct lead *all;
	size_t nall = 0;
	if (viewer_scope(r, scope) != 0 ||
	    db_leads_of_tenant(r->a, r->user->tenant_id, &all, &nall) != DB_OK)
		return -1;
	long now = lead_day_of(time(NULL));
	memset(counts, 0, sizeof(size_t) * LEAD_STATUS__MAX);
	*out = all;
	*n = 0;
	for (size_t i = 0; i < nall; i++) {
		if (!lead_visible(r->user->roles, *scope, all[i].partner_id))
			continue;
		all[i].status = lead_shown_status(all[i].status, all[i].created_day, now);
		counts[all[i].status]++;
		if (only == LEAD_STATUS__MAX || all[i].status == only)
			all[(*n)++] = all[i];
	}
	return 0;
}

static enum lead_status
status_filter(struct req *r)
{
	int s = lead_status_parse(req_param(r, "status"));
	return s < 0 ? LEAD_STATUS__MAX : (enum lead_status)s;
}

/* "answer by DATE" while a lead may still be answered. */
static void
deadline_vars(struct req *r, struct tvars *v, const struct lead *l, long now)
{
	if (l->status != LEAD_RECEIVED)
		return;
	char d[11];
	lead_day_format(lead_last_day(l->created_day), d);
	tv_set(v, "deadline", arena_strdup(r->a, d));
	tv_setf(v, "days_left", "%ld", lead_days_left(l->created_day, now));
}

/* GET /leads[?status=]: one row per lead the user may see. */
int
page_leads(struct req *r)
{
	enum lead_status only = status_filter(r);
	struct lead *leads;
	size_t n, counts[LEAD_STATUS__MAX];
	const char *scope;
	if (visible_leads(r, only, &leads, &n, counts, &scope) != 0)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	bool global = has_role(r, ROLE_GLOBAL_ADMIN);
	tv_bool(v, "scoped", !global && *scope);
	tv_set(v, "scope", scope);
	size_t total = 0;
	for (int s = 0; s < LEAD_STATUS__MAX; s++) {
		struct tvars *it = tv_item(v, "counts");
		tv_set(it, "code", lead_status_code((enum lead_status)s));
		tv_set(it, "label", tr(r->lang, lead_status_label((enum lead_status)s)));
		tv_setf(it, "count", "%zu", counts[s]);
		tv_setf(it, "href", "/leads?status=%s", lead_status_code((enum lead_status)s));
		if (only == (enum lead_status)s)
			tv_set(it, "current", "page");
		total += counts[s];
	}
	tv_set(v, "all_href", "/leads");
	tv_set(v, "all_code", "all");
	tv_setf(v, "all_count", "%zu", total);
	if (only == LEAD_STATUS__MAX)
		tv_set(v, "all_current", "page");
	tv_set(v, "csv_href", only == LEAD_STATUS__MAX
	                          ? "/leads.csv"
	                          : arena_printf(r->a, "/leads.csv?status=%s", lead_status_code(only)));
	tv_bool(v, "has_leads", n > 0);
	long now = lead_day_of(time(NULL));
	for (size_t i = 0; i < n; i++) {
		const struct lead *l = &leads[i];
		struct tvars *it = tv_item(v, "leads");
		tv_setf(it, "id", "%lld", l->id);
		tv_setf(it, "href", "/leads/%lld", l->id);
		tv_set(it, "partner_id", l->partner_id);
		tv_setf(it, "profile_id", "%lld", l->profile_id);
		tv_set(it, "status", lead_status_code(l->status));
		tv_set(it, "status_label", tr(r->lang, lead_status_label(l->status)));
		tv_set(it, "received_on", arena_strndup(r->a, l->created_at, 10));
		tv_set(it, "customer", l->customer_name);
		tv_set(it, "company", l->customer_company);
		tv_set(it, "country", country_label(r, l->customer_country));
		tv_set(it, "profile", l->profile_name);
		deadline_vars(r, it, l, now);
	}
	return page_render(r, 200, "leads", v);
}

/* GET /leads.csv[?status=]: the same rows as CSV. */
int
page_leads_csv(struct req *r)
{
	struct lead *leads;
	size_t n, counts[LEAD_STATUS__MAX];
	const char *scope;
	if (visible_leads(r, status_filter(r), &leads, &n, counts, &scope) != 0)
		return page_error(r, 503);
	struct sbuf *b = r->body;
	sbuf_reset(b);
	sbuf_adds(b, "id,received_at_utc,status,partner_id,profile_id,profile,customer_name,"
	             "customer_company,customer_email,customer_country,customer_phone,message,"
	             "reason\r\n");
	for (size_t i = 0; i < n; i++) {
		const struct lead *l = &leads[i];
		csv_field(b, arena_printf(r->a, "%lld", l->id), false);
		csv_field(b, l->created_at, false);
		csv_field(b, lead_status_code(l->status), false);
		csv_field(b, l->partner_id, false);
		csv_field(b, arena_printf(r->a, "%lld", l->profile_id), false);
		csv_field(b, l->profile_name, false);
		csv_field(b, l->customer_name, false);
		csv_field(b, l->customer_company, false);
		csv_field(b, l->customer_email, false);
		csv_field(b, l->customer_country, false);
		csv_field(b, l->customer_phone, false);
		csv_field(b, l->message, false);
		csv_field(b, l->reason, true);
	}
	r->status = 200;
	r->content_type_out = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"leads.csv\"");
	return 200;
}

/* The lead of the path the user may see, its status as shown. 0; 404 or
 * 503 (the page rendered) otherwise. */
static int
lead_load(struct req *r, struct lead *l)
{
	long long id = path_id(r->params[0]);
	bool found = false;
	const char *scope;
	if (id && (viewer_scope(r, &scope) != 0 ||
	           db_lead_get(r->a, r->user->tenant_id, id, l, &found) != DB_OK))
		return page_error(r, 503);
	if (!found || !lead_visible(r->user->roles, scope, l->partner_id))
		return page_error(r, 404);
	l->status = lead_shown_status(l->status, l->created_day, lead_day_of(time(NULL)));
	return 0;
}

static const char *
utc(struct req *r, const char *at)
{
	return arena_printf(r->a, "%.16s", at ? at : "");
}

/* The lead's page: its facts, the answer it may get now, its history; f
 * the form sent (NULL: none), refusal why it was refused (409). */
static int
lead_render(struct req *r, int status, const struct lead *l, const struct form *f,
            enum lead_refusal refusal)
{
	struct lead_event *ev;
	size_t nev = 0;
	if (db_lead_events(r->a, l->id, &ev, &nev) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	tv_setf(v, "id", "%lld", l->id);
	tv_set(v, "partner_id", l->partner_id);
	tv_setf(v, "profile_id", "%lld", l->profile_id);
	tv_set(v, "status", lead_status_code(l->status));
	tv_set(v, "status_label", tr(r->lang, lead_status_label(l->status)));
	deadline_vars(r, v, l, lead_day_of(time(NULL)));
	tv_set(v, "customer", l->customer_name);
	tv_set(v, "company", l->customer_company);
	tv_set(v, "email", l->customer_email);
	tv_set(v, "mailto", arena_printf(r->a, "mailto:%s", l->customer_email));
	tv_set(v, "country_code", l->customer_country);
	tv_set(v, "country", country_label(r, l->customer_country));
	tv_set(v, "phone", l->customer_phone);
	tv_set(v, "profile", l->profile_name);
	tv_set(v, "received_on", arena_printf(r->a, "%s UTC", utc(r, l->created_at)));
	char *msg = arena_strdup(r->a, l->message);
	char *save = NULL;
	for (char *line = strtok_r(msg, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save))
		tv_set(tv_item(v, "message_lines"), "line", line);
	tv_setf(v, "post_href", "/leads/%lld", l->id);
	tv_bool(v, "can_answer", l->status == LEAD_RECEIVED);
	tv_bool(v, "can_close", l->status == LEAD_ACCEPTED);
	if (refusal != LEAD_REFUSE_NONE) {
		tv_set(v, "refusal", tr(r->lang, lead_refusal_message(refusal)));
		tv_set(v, "refusal_code", lead_refusal_code(refusal));
	}
	const char *done = req_param(r, "done");
	int act = status == 200 && done ? lead_action_parse(done) : -1;
	if (act >= 0 && act != LEAD_EXPIRE)
		tv_set(v, "done_notice",
		       tr(r->lang, N_("Saved: the lead's status and history are up to date.")));
	if (f)
		form_to_vars(f, v, r->lang);

	struct tvars *it = tv_item(v, "history");
	tv_set(it, "event", lead_status_code(LEAD_RECEIVED)); /* the request itself */
	tv_set(it, "to", lead_status_code(LEAD_RECEIVED));
	tv_set(it, "at", utc(r, l->created_at));
	tv_set(it, "who", arena_printf(r->a, "%s <%s>", l->customer_name, l->customer_email));
	tv_set(it, "what", tr(r->lang, N_("Contact request received from the partner directory")));
	for (size_t i = 0; i < nev; i++) {
		it = tv_item(v, "history");
		tv_set(it, "event", ev[i].remind ? "remind" : lead_action_code(ev[i].action));
		tv_set(it, "to", lead_status_code(ev[i].to));
		tv_set(it, "at", utc(r, ev[i].at));
		tv_set(it, "who", *ev[i].who_email ? arena_printf(r->a, "%s <%s>", ev[i].who_name,
		                                                  ev[i].who_email)
		                                   : tr(r->lang, N_("The portal")));
		tv_set(it, "what",
		       ev[i].remind ? tr(r->lang, N_("Reminder sent to the referral admins: the last days to answer"))
		       : ev[i].action == LEAD_EXPIRE
		           ? tr(r->lang, N_("Expired: not answered within 14 days"))
		           : tr(r->lang, lead_status_label(ev[i].to)));
		tv_set(it, "reason", ev[i].reason);
	}
	return page_render(r, status, "leads_detail", v);
}

/* GET /leads/{id}: 200, or 404 for a lead the user may not see. */
int
page_lead(struct req *r)
{
	struct lead l;
	int rc = lead_load(r, &l);
	return rc ? rc : lead_render(r, 200, &l, NULL, LEAD_REFUSE_NONE);
}

/* POST /leads/{id} action=accept|decline|won|lost [reason] (csrf checked by
 * the router): 303 back to the lead; 409 with the page and the reason for a
 * transition the lead's status does not allow; 422 for an unknown action or
 * a decline or loss without a reason; 404 as the page. */
int
page_lead_post(struct req *r)
{
	struct lead l;
	int rc = lead_load(r, &l);
	if (rc)
		return rc;
	struct form f;
	form_read(r, lead_fields, NFIELDS(lead_fields), &f);
	int act = lead_action_parse(form_get(&f, "action"));
	if (act < 0)
		return lead_render(r, 422, &l, &f, LEAD_REFUSE_NONE);
	const struct lead_transition *t;
	enum lead_refusal why = lead_check(l.status, (enum lead_action)act, &t);
	if (why != LEAD_REFUSE_NONE)
		return lead_render(r, 409, &l, &f, why);
	if (t->reason_required && *form_get(&f, "reason") == '\0')
		form_error(&f, "reason",
		           t->action == LEAD_DECLINE ? N_("Say why you decline the lead.")
		                                     : N_("Say why the lead was lost."));
	if (f.nerrors)
		return lead_render(r, 422, &l, &f, LEAD_REFUSE_NONE);

	char from[11];
	lead_day_format(lead_expire_through(lead_day_of(time(NULL))) + 1, from);
	bool changed = false;
	enum db_err e = db_begin();
	if (e == DB_OK)
		e = db_lead_transition(r->a, l.id, t, from, r->user->id,
		                       t->reason_required ? form_get(&f, "reason") : "", &changed);
	e = db_finish(e);
	if (e != DB_OK)
		return page_error(r, 503);
	if (!changed) { /* answered meanwhile, or its 14 days ended */
		if ((rc = lead_load(r, &l)) != 0)
			return rc;
		return lead_render(r, 409, &l, &f, lead_check(l.status, t->action, &t));
	}
	log_info("lead %lld: %s by user %lld", l.id, lead_action_code(t->action), r->user->id);
	return resp_redirect(r, arena_printf(r->a, "/leads/%lld?done=%s", l.id,
	                                     lead_action_code(t->action)));
}
