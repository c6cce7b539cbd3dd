/* Home, dashboard, help, legal notice and the health check. */
#include <string.h>

#include "db/accounts.h"
#include "db/partners.h"
#include "pages/pages.h"

int
page_home(struct req *r)
{
	if (r->user)
		return resp_redirect(r, "/dashboard");
	return page_render(r, 200, "home", page_vars(r));
}

/* Help and the legal notice: static pages, open to everyone. */
int
page_help(struct req *r)
{
	return page_render(r, 200, "help", page_vars(r));
}

int
page_legal_notice(struct req *r)
{
	return page_render(r, 200, "legal_notice", page_vars(r));
}

int
page_healthz(struct req *r)
{
	r->content_type_out = "text/plain; charset=utf-8";
	if (db_health(r->a) != DB_OK)
		return resp_text(r, 503, "database unavailable\n");
	return resp_text(r, 200, "ok\n");
}

/* The pending actions of a global admin, as the list "waiting" (the link
 * and its sentence) and their count; 0 or -1 when the database fails. */
static int
pending_actions(struct req *r, struct tvars *v)
{
	struct csp_app c;
	bool found = false;
	if (db_csp_get(r->a, r->user->tenant_id, &c, &found) != DB_OK)
		return -1;
	enum csp_wait w = found ? csp_waiting(c.status, c.request_kind) : CSP_WAIT_NONE;
	int n = 0;
	if (w != CSP_WAIT_NONE) {
		struct tvars *it = tv_item(v, "waiting");
		tv_set(it, "href", w == CSP_WAIT_AGREEMENT ? "/actions" : "/csp/enroll");
		tv_set(it, "kind", w == CSP_WAIT_AGREEMENT  ? "accept-agreement"
		                   : w == CSP_WAIT_DOCUMENT ? "send-document"
		                                            : "answer-questionnaire");
		tv_set(it, "text",
		       tr(r->lang, w == CSP_WAIT_AGREEMENT
		                       ? N_("Accept the partner agreement to activate your CSP account")
		                   : w == CSP_WAIT_DOCUMENT
		                       ? N_("Send the document our support staff asked for")
		                       : N_("Answer the questionnaire our support staff sent")));
		n++;
	}
	tv_setf(v, "pending_count", "%d", n);
	tv_bool(v, "has_pending", n > 0);
	tv_bool(v, "show_pending", true);
	return 0;
}

int
page_dashboard(struct req *r)
{
	struct tvars *v = page_vars(r);
	const struct user *u = r->user;
	tv_bool(v, "unverified", !u->verified && u->tenant_id);
	tv_set(v, "email_verified", u->verified ? "yes" : "no");
	tv_bool(v, "verification_sent", req_param(r, "sent") != NULL);
	if (u->tenant_id) {
		const struct country *c = country_find(u->tenant_country);
		tv_set(v, "tenant_country", c ? c->name[r->lang] : u->tenant_country);
		/* The session row carries the PGA's ID: no query of its own. */
		bool enrolled = u->pga_partner_id && *u->pga_partner_id;
		if (enrolled)
			tv_set(v, "pga_partner_id", u->pga_partner_id);
		tv_bool(v, "can_enroll", !enrolled && (has_role(r, ROLE_GLOBAL_ADMIN) ||
		                                       has_role(r, ROLE_ACCOUNT_ADMIN)));
		tv_bool(v, "closed", req_param(r, "closed") != NULL);
		if (has_role(r, ROLE_GLOBAL_ADMIN) && pending_actions(r, v) != 0)
			return page_error(r, 503);
		if (profile_may_manage(u->roles) && migration_banner_vars(r, v) != 0)
			return page_error(r, 503);
	}
	for (int i = 0; i < ROLE__MAX; i++)
		if (u->roles & ROLE_BIT(i)) {
			struct tvars *it = tv_item(v, "roles");
			tv_set(it, "role", role_name((enum role)i));
			tv_set(it, "role_label", tr(r->lang, role_label((enum role)i)));
		}
	return page_render(r, 200, "dashboard", v);
}
