/* Pending actions of a partner (DOMAIN §3.8): after staff approve the CSP
 * application, the global admin accepts the partner agreement; the version,
 * signer, email, time and IP are recorded, the CSP account becomes active
 * and the tenant a CSP tenant. */
#include <string.h>

#include "pages/pages.h"

static const char *const yes[] = {"yes", NULL};
static const struct form_field agreement_fields[] = {
    {"signer_name", FT_TEXT, true, 2, 100, NULL},
    {"signer_email", FT_EMAIL, true, 3, 254, NULL},
    {"accept", FT_ENUM, true, 1, 3, yes},
};

static int
actions_render(struct req *r, int status, const struct csp_app *c, bool found, struct form *f)
{
	struct tvars *v = page_vars(r);
	bool pending = found && csp_next(c->status, CSP_ACCEPT_AGREEMENT, c->request_kind) != NULL;
	tv_bool(v, "agreement_pending", pending);
	tv_bool(v, "can_accept", pending && has_role(r, ROLE_GLOBAL_ADMIN));
	tv_bool(v, "csp_active", found && c->status == CSP_ACTIVE);
	tv_bool(v, "nothing", !pending);
	tv_set(v, "agreement_version", CSP_AGREEMENT_VERSION);
	tv_set(v, "company", found && *c->legal_name ? c->legal_name : r->user->tenant_name);
	if (f) {
		form_to_vars(f, v, r->lang);
	} else {
		tv_set(v, "v_signer_name", r->user->display_name);
		tv_set(v, "v_signer_email", r->user->email);
	}
	return page_render(r, status, "actions", v);
}

int
page_actions(struct req *r)
{
	struct csp_app c;
	bool found = false;
	if (db_csp_get(r->a, r->user->tenant_id, &c, &found) != DB_OK)
		return page_error(r, 503);
	return actions_render(r, 200, &c, found, NULL);
}

int
page_agreement(struct req *r)
{
	struct csp_app c;
	bool found = false;
	if (db_csp_get(r->a, r->user->tenant_id, &c, &found) != DB_OK)
		return page_error(r, 503);
	struct form f;
	form_read(r, agreement_fields, NFIELDS(agreement_fields), &f);
	if (f.errors[2])
		f.errors[2] = N_("Tick the box to accept the agreement.");
	const struct csp_transition *t =
	    found ? csp_next(c.status, CSP_ACCEPT_AGREEMENT, c.request_kind) : NULL;
	if (t == NULL)
		return actions_render(r, 409, &c, found, &f);
	if (f.nerrors)
		return actions_render(r, 422, &c, found, &f);
	bool changed = false;
	enum db_err e = db_begin();
	if (e == DB_OK)
		e = db_agreement_add(r->a, c.id, c.tenant_id, CSP_AGREEMENT_VERSION,
		                     form_get(&f, "signer_name"), form_get(&f, "signer_email"),
		                     r->user->id, r->remote_addr);
	if (e == DB_OK)
		e = db_csp_transition(r->a, c.id, t, NULL, &changed);
	if (e == DB_OK && !changed)
		e = DB_DUPLICATE; /* accepted meanwhile */
	if (e == DB_OK)
		e = audit_record(r, "csp.agreement", csp_object(r, c.id),
		                 json_pack("{s:s}", "status", csp_status_code(t->from)),
		                 json_pack("{s:s, s:s, s:s, s:s, s:s}", "status",
		                           csp_status_code(t->to), "version",
		                           CSP_AGREEMENT_VERSION, "signer_name",
		                           form_get(&f, "signer_name"), "signer_email",
		                           form_get(&f, "signer_email"), "ip",
		                           r->remote_addr ? r->remote_addr : ""));
	e = db_finish(e);
	if (e == DB_DUPLICATE) {
		found = db_csp_get(r->a, r->user->tenant_id, &c, &found) == DB_OK && found;
		return actions_render(r, 409, &c, found, &f);
	}
	if (e != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/csp/enroll?activated=1");
}
