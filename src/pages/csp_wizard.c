/* The CSP enrollment wizard (DOMAIN §3): the page, step 1 (a location ID),
 * step 4 (contacts and model) and the submission. Steps 2 and 3 are in
 * csp_company.c. The draft is a database row created by the first step
 * stored, so every step can be left and resumed, even after signing out. */
#include <string.h>

#include "pages/pages.h"

static const struct form_field location_fields[] = {
    {"partner_id", FT_PARTNER_ID, true, 7, 7, NULL},
};
static const struct form_field contact_fields[] = {
    {"contact_name", FT_TEXT, true, 1, 100, NULL},
    {"contact_email", FT_EMAIL, true, 3, 254, NULL},
    {"contact_phone", FT_PHONE, true, 0, 30, NULL},
    {"support_email", FT_EMAIL, true, 3, 254, NULL},
    {"support_phone", FT_PHONE, true, 0, 30, NULL},
    {"model", FT_ENUM, true, 1, 20, csp_model_codes},
    {"billing_day", FT_TEXT, false, 0, 2, NULL},
    {"tax_id", FT_TEXT, false, 0, 40, NULL},
};

int
page_csp_enroll(struct req *r)
{
	struct csp_wizard w;
	int rc = csp_wizard_load(r, &w);
	if (rc)
		return rc;
	return csp_wizard_render(r, 200, &w, csp_wizard_step(r, &w.app), NULL, NULL);
}

/* The message of a location the CSP account cannot use. */
static const char *
location_refusal(enum csp_location_verdict v)
{
	switch (v) {
	case CSP_LOCATION_INACTIVE:
		return N_("This location is inactive.");
	case CSP_LOCATION_OTHER_COUNTRY:
		return N_("The location must be in the same country as your CSP account.");
	default:
		return N_("Choose one of your location partner IDs.");
	}
}

static enum csp_location_verdict
location_verdict(struct req *r, const struct partner_account *loc)
{
	return loc ? csp_location_check(loc->kind, loc->status, loc->country,
	                                r->user->tenant_country)
	           : CSP_LOCATION_NOT_LOCATION;
}

int
page_csp_location(struct req *r)
{
	struct csp_wizard w;
	int rc = csp_wizard_editable(r, &w);
	if (rc)
		return rc;
	struct form f;
	form_read(r, location_fields, NFIELDS(location_fields), &f);
	const struct partner_account *loc = NULL;
	if (f.nerrors == 0) {
		loc = csp_wizard_account(&w, form_get(&f, "partner_id"), 0);
		enum csp_location_verdict verdict = location_verdict(r, loc);
		if (verdict != CSP_LOCATION_OK)
			form_error(&f, "partner_id", location_refusal(verdict));
	}
	if (f.nerrors)
		return csp_wizard_render(r, 422, &w, 1, &f, NULL);
	bool changed = false;
	enum db_err e = db_begin();
	if (e == DB_OK)
		e = csp_wizard_draft(r, &w);
	if (e == DB_OK)
		e = db_csp_set_location(r->a, w.app.id, w.app.status, loc->id, &changed);
	if (e == DB_OK && changed)
		e = audit_record(r, "csp.location", csp_object(r, w.app.id),
		                 json_pack("{s:s}", "partner_id", w.app.partner_id),
		                 json_pack("{s:s}", "partner_id", loc->partner_id));
	if (db_finish(e) != DB_OK)
		return page_error(r, 503);
	return csp_step_saved(r, "location", NULL);
}

int
page_csp_contact(struct req *r)
{
	struct csp_wizard w;
	int rc = csp_wizard_editable(r, &w);
	if (rc)
		return rc;
	if (w.app.step < 3)
		return resp_redirect(r, "/csp/enroll");
	struct form f;
	form_read(r, contact_fields, NFIELDS(contact_fields), &f);
	enum csp_model model = csp_model_parse(form_get(&f, "model")) == CSP_MODEL_DIRECT_BILL
	                           ? CSP_MODEL_DIRECT_BILL
	                           : CSP_MODEL_INDIRECT_RESELLER;
	const char *day = form_get(&f, "billing_day");
	const char *tax = form_get(&f, "tax_id");
	if (model == CSP_MODEL_DIRECT_BILL) {
		/* Direct bill: invoiced by the vendor, so billing day and tax ID. */
		if (!csp_billing_day_valid(day))
			form_error(&f, "billing_day", N_("Choose a billing day between 1 and 28."));
		if (!csp_tax_id_valid(tax))
			form_error(&f, "tax_id", N_("Enter your tax ID (4 to 20 letters and digits)."));
	} else {
		day = tax = "";
	}
	if (f.nerrors)
		return csp_wizard_render(r, 422, &w, 4, &f, NULL);
	struct csp_app c = {.contact_name = form_get(&f, "contact_name"),
	                    .contact_email = form_get(&f, "contact_email"),
	                    .contact_phone = form_get(&f, "contact_phone"),
	                    .support_email = form_get(&f, "support_email"),
	                    .support_phone = form_get(&f, "support_phone"),
	                    .model = model, .billing_day = day, .tax_id = tax};
	bool changed = false;
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = csp_wizard_draft(r, &w);
	if (de == DB_OK)
		de = db_csp_set_contact(r->a, w.app.id, w.app.status, &c, &changed);
	if (de == DB_OK && changed)
		de = audit_record(r, "csp.contact", csp_object(r, w.app.id), NULL,
		                  json_pack("{s:s, s:s, s:s}", "contact_email", c.contact_email,
		                            "support_email", c.support_email, "model",
		                            csp_model_code(model)));
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return csp_step_saved(r, "contact", NULL);
}

int
page_csp_submit(struct req *r)
{
	struct csp_wizard w;
	int rc = csp_wizard_editable(r, &w);
	if (rc)
		return rc;
	if (w.app.step < 4)
		return csp_wizard_render(r, 409, &w, csp_wizard_step(r, &w.app), NULL,
		                         tr(r->lang, N_("Complete every step before you submit.")));
	/* The location may have changed since step 1. */
	const struct partner_account *loc = csp_wizard_account(&w, NULL, w.app.partner_account_id);
	if (location_verdict(r, loc) != CSP_LOCATION_OK)
		return csp_wizard_render(r, 409, &w, 1, NULL,
		                         tr(r->lang, N_("The location chosen at step 1 can no longer be used: choose another one.")));
	const struct csp_transition *t = csp_next(w.app.status, CSP_SUBMIT, w.app.request_kind);
	if (t == NULL)
		return csp_wizard_render(r, 409, &w, csp_wizard_step(r, &w.app), NULL, NULL);
	bool changed = false;
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_csp_transition(r->a, w.app.id, t, NULL, &changed);
	if (de == DB_OK && changed)
		de = audit_record(r, "csp.submit", csp_object(r, w.app.id),
		                  json_pack("{s:s}", "status", csp_status_code(t->from)),
		                  json_pack("{s:s}", "status", csp_status_code(t->to)));
	if (de == DB_OK && changed && csp_mail(r, &w.app, t, NULL) != 0)
		de = DB_ERROR;
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/csp/enroll");
}
