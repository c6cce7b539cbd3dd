/* The partner program (DOMAIN §2): enrollment, which creates the partner
 * global account (PGA) and a first location, Settings, and Legal info. */
#include <string.h>

#include "core/log.h"
#include "pages/pages.h"

static const struct form_field enroll_fields[] = {
    {"legal_name", FT_TEXT, true, 2, 200, NULL},
    {"country", FT_COUNTRY, true, 2, 2, NULL},
    ADDRESS_FIELDS,
    {"phone", FT_PHONE, true, 0, 30, NULL},
    {"website", FT_URL, true, 0, 200, NULL},
    CONTACT_FIELDS,
};

static const struct form_field legal_fields[] = {
    {"legal_name", FT_TEXT, true, 2, 200, NULL},
    ADDRESS_FIELDS,
    {"phone", FT_PHONE, true, 0, 30, NULL},
    {"website", FT_URL, true, 0, 200, NULL},
    CONTACT_FIELDS,
};

static bool
is_global_admin(const struct req *r)
{
	return has_role(r, ROLE_GLOBAL_ADMIN);
}

/* Puts an account's values in a form, for an edit page. */
static void
form_vars_from_account(struct tvars *v, const struct partner_account *p)
{
	tv_set(v, "v_legal_name", p->name);
	tv_set(v, "v_country", p->country);
	tv_set(v, "v_address_line1", p->address_line1);
	tv_set(v, "v_address_line2", p->address_line2);
	tv_set(v, "v_city", p->city);
	tv_set(v, "v_region", p->region);
	tv_set(v, "v_postal_code", p->postal_code);
	tv_set(v, "v_phone", p->phone);
	tv_set(v, "v_website", p->website);
	tv_set(v, "v_contact_name", p->contact_name);
	tv_set(v, "v_contact_email", p->contact_email);
}

/* ---- enrollment ---- */

enum enroll_state { ENROLL_OPEN, ENROLL_UNVERIFIED, ENROLL_DONE };

static int
enroll_render(struct req *r, int status, struct form *f, enum enroll_state state,
              const struct partner_account *pga)
{
	struct tvars *v = page_vars(r);
	tv_bool(v, "state_open", state == ENROLL_OPEN);
	tv_bool(v, "state_unverified", state == ENROLL_UNVERIFIED);
	tv_bool(v, "state_done", state == ENROLL_DONE);
	if (pga)
		tv_set(v, "pga_partner_id", pga->partner_id);
	if (f) {
		form_to_vars(f, v, r->lang);
	} else {
		tv_set(v, "v_legal_name", r->user->tenant_name);
		tv_set(v, "v_contact_name", r->user->display_name);
		tv_set(v, "v_contact_email", r->user->email);
	}
	country_options(r, v, f ? form_get(f, "country") : r->user->tenant_country);
	return page_render(r, status, "enroll", v);
}

int
page_enroll_form(struct req *r)
{
	struct partner_account pga;
	bool found;
	if (db_partner_pga(r->a, r->user->tenant_id, &pga, &found) != DB_OK)
		return page_error(r, 503);
	if (found)
		return enroll_render(r, 200, NULL, ENROLL_DONE, &pga);
	return enroll_render(r, 200, NULL, user_may_enroll(r->user) ? ENROLL_OPEN : ENROLL_UNVERIFIED,
	                     NULL);
}

int
page_enroll_post(struct req *r)
{
	struct form f;
	form_read(r, enroll_fields, NFIELDS(enroll_fields), &f);
	if (!user_may_enroll(r->user))
		return enroll_render(r, 403, &f, ENROLL_UNVERIFIED, NULL);
	if (f.nerrors)
		return enroll_render(r, 422, &f, ENROLL_OPEN, NULL);
	struct partner_account legal = {0};
	account_from_form(&f, &legal);
	const char *pga_id = NULL, *location_id = NULL;
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = db_partner_enroll(r->a, r->user->tenant_id, &legal, &pga_id, &location_id);
	if (rc == DB_OK) {
		json_t *after = account_json(&legal);
		json_object_set_new(after, "global_partner_id", json_string(pga_id));
		json_object_set_new(after, "location_partner_id", json_string(location_id));
		rc = audit_record(r, "partner.enroll", pga_id, NULL, after);
	}
	rc = db_finish(rc);
	if (rc == DB_DUPLICATE) {
		struct partner_account pga;
		bool found = false;
		if (db_partner_pga(r->a, r->user->tenant_id, &pga, &found) != DB_OK)
			return page_error(r, 503);
		return enroll_render(r, 409, &f, ENROLL_DONE, found ? &pga : NULL);
	}
	if (rc != DB_OK)
		return page_error(r, 503);
	log_info("tenant %lld enrolled: %s, %s", r->user->tenant_id, pga_id, location_id);
	return resp_redirect(r, "/account/identifiers?welcome=1");
}

/* ---- settings ---- */

int
page_settings(struct req *r)
{
	return page_render(r, 200, "settings", page_vars(r));
}

int
page_account_settings(struct req *r)
{
	struct tvars *v = page_vars(r);
	tv_bool(v, "password_changed", req_param(r, "password") != NULL);
	return page_render(r, 200, "account_settings", v);
}

/* ---- legal info ---- */

/* What the Legal info page shows, loaded once by the handler. */
struct legal {
	struct partner_account pga;
	bool                   found;
	enum csp_status        csp;
	struct agreement_acceptance agreement; /* when has_agreement */
	bool                   has_agreement;
};

static int
legal_load(struct req *r, struct legal *l)
{
	if (db_partner_legal(r->a, r->user->tenant_id, &l->pga, &l->found, &l->csp) != DB_OK)
		return page_error(r, 503);
	l->has_agreement = false;
	if (l->csp == CSP_ACTIVE && db_agreement_get(r->a, r->user->tenant_id, 0, &l->agreement,
	                                             &l->has_agreement) != DB_OK)
		return page_error(r, 503);
	return 0;
}

static int
legal_render(struct req *r, int status, const struct legal *l, struct form *f)
{
	struct tvars *v = page_vars(r);
	const struct partner_account pga = l->pga;
	bool found = l->found;
	tv_bool(v, "in_program", found);
	tv_bool(v, "can_edit", found && (is_global_admin(r) || has_role(r, ROLE_ACCOUNT_ADMIN)));
	tv_bool(v, "saved", req_param(r, "saved") != NULL);
	if (found) {
		tv_set(v, "legal_name", pga.name);
		tv_set(v, "pga_partner_id", pga.partner_id);
		tv_set(v, "phone", pga.phone);
		tv_set(v, "website", pga.website);
		account_address_vars(r, v, &pga);
		address_block_vars(r, v, &pga);
		/* Email ownership of the enrolling admin is the partner program's
		 * verification; the CSP verification is done by staff. */
		tv_set(v, "program_status", "verified");
		tv_set(v, "program_status_label", tr(r->lang, N_("Verified")));
		tv_set(v, "csp_status", csp_status_code(l->csp));
		tv_set(v, "csp_status_label", tr(r->lang, csp_status_label(l->csp)));
		tv_bool(v, "csp_tenant", l->csp == CSP_ACTIVE);
		if (l->has_agreement)
			agreement_acceptance_vars(r, v, &l->agreement);
		if (f)
			form_to_vars(f, v, r->lang);
		else
			form_vars_from_account(v, &pga);
	}
	return page_render(r, status, "legal", v);
}

int
page_legal(struct req *r)
{
	struct legal l;
	int rc = legal_load(r, &l);
	return rc ? rc : legal_render(r, 200, &l, NULL);
}

int
page_legal_post(struct req *r)
{
	struct legal l;
	int status = legal_load(r, &l);
	if (status)
		return status;
	if (!l.found)
		return page_error(r, 404);
	const struct partner_account pga = l.pga;
	struct form f;
	form_read(r, legal_fields, NFIELDS(legal_fields), &f);
	if (f.nerrors)
		return legal_render(r, 422, &l, &f);
	struct partner_account legal = pga;
	account_from_form(&f, &legal);
	legal.country = pga.country; /* the legal country is fixed at enrollment */
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = db_partner_update_legal(r->a, pga.id, &legal);
	if (rc == DB_OK)
		rc = audit_record(r, "legal.update", pga.partner_id, account_json(&pga),
		                  account_json(&legal));
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/account/legal?saved=1");
}

