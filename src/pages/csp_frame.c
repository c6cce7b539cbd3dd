/* The CSP wizard's frame, shared by its pages (csp_wizard.c, csp_company.c,
 * csp_requests.c): what a request loads once (the application, the tenant's
 * IDs, the documents sent), the variables of the page at a step, and
 * rendering. A 422 re-renders from what the handler already loaded. */
#include <string.h>

#include "core/log.h"
#include "pages/pages.h"

/* A tenant without an application reads as an empty draft. */
static void
blank_app(struct csp_app *c)
{
	memset(c, 0, sizeof(*c));
	const char **strings[] = {
	    &c->duns,          &c->dnb_name,       &c->dnb_match_grade, &c->dnb_status,
	    &c->legal_name,    &c->address_line1,  &c->address_line2,   &c->city,
	    &c->region,        &c->postal_code,    &c->country,         &c->entered_address,
	    &c->suggested_address, &c->contact_name, &c->contact_email, &c->contact_phone,
	    &c->support_email, &c->support_phone,  &c->billing_day,     &c->tax_id,
	    &c->lang,          &c->request_note,   &c->decision_reason, &c->submitted_at,
	    &c->decided_at,    &c->created_at,     &c->tenant_name,     &c->tenant_country,
	    &c->partner_id};
	for (size_t i = 0; i < sizeof(strings) / sizeof(*strings); i++)
		*strings[i] = "";
}

int
csp_wizard_load(struct req *r, struct csp_wizard *w)
{
	memset(w, 0, sizeof(*w));
	bool found = false;
	if (db_csp_get(r->a, r->user->tenant_id, &w->app, &found) != DB_OK ||
	    db_partner_accounts(r->a, r->user->tenant_id, false, false, &w->accounts, &w->naccounts) !=
	        DB_OK)
		return page_error(r, 503);
	if (!found)
		blank_app(&w->app);
	w->enrolled = w->naccounts > 0 && partner_is_global(&w->accounts[0]);
	/* Documents exist only once the application went to staff. */
	if (w->app.status != CSP_NONE && w->app.status != CSP_DRAFT &&
	    db_csp_documents(r->a, w->app.id, &w->documents, &w->ndocuments) != DB_OK)
		return page_error(r, 503);
	return 0;
}

int
csp_wizard_editable(struct req *r, struct csp_wizard *w)
{
	int rc = csp_wizard_load(r, w);
	if (rc)
		return rc;
	if (!user_may_enroll(r->user) || !w->enrolled)
		return csp_wizard_render(r, 403, w, 1, NULL, NULL);
	if (!csp_editable(w->app.status))
		return csp_wizard_render(r, 409, w, csp_wizard_step(r, &w->app), NULL, NULL);
	return 0;
}

enum db_err
csp_wizard_draft(struct req *r, struct csp_wizard *w)
{
	if (w->app.status != CSP_NONE)
		return DB_OK;
	long long id = 0;
	enum db_err de = db_csp_ensure(r->a, r->user->tenant_id, lang_code(r->lang), &id);
	if (de == DB_OK) {
		w->app.id = id;
		w->app.status = CSP_DRAFT;
		w->app.lang = lang_code(r->lang);
	}
	return de;
}

const struct partner_account *
csp_wizard_account(const struct csp_wizard *w, const char *partner_id, long long id)
{
	for (size_t i = 0; i < w->naccounts; i++)
		if ((partner_id && strcmp(w->accounts[i].partner_id, partner_id) == 0) ||
		    (!partner_id && w->accounts[i].id == id))
			return &w->accounts[i];
	return NULL;
}

int
csp_wizard_step(struct req *r, const struct csp_app *c)
{
	const char *s = req_param(r, "step");
	int asked = s && s[0] >= '1' && s[0] <= '9' && s[1] == '\0' ? s[0] - '0' : 0;
	return csp_step_shown(c->step, asked);
}

static const char *
step_title(int step)
{
	static const char *const titles[CSP_STEPS] = {N_("Location"), N_("Company"), N_("Address"),
	                                              N_("Contacts and model"), N_("Review")};
	return titles[step - 1];
}

static void
location_choices(struct req *r, struct tvars *v, const struct csp_wizard *w)
{
	bool any = false;
	for (size_t i = 0; i < w->naccounts; i++) {
		const struct partner_account *p = &w->accounts[i];
		if (partner_is_global(p))
			continue;
		struct tvars *it = tv_item(v, "locations");
		tv_set(it, "partner_id", p->partner_id);
		tv_set(it, "name", p->name);
		tv_set(it, "country_name", country_label(r, p->country));
		const char *reason = NULL;
		switch (csp_location_check(p->kind, p->status, p->country, r->user->tenant_country)) {
		case CSP_LOCATION_INACTIVE:
			reason = tr(r->lang, N_("This location is inactive."));
			break;
		case CSP_LOCATION_OTHER_COUNTRY:
			reason = tr(r->lang, N_("This location is not in the country of your CSP account."));
			break;
		default:
			any = true;
		}
		if (reason)
			tv_set(it, "reason", reason);
		tv_bool(it, "disabled", reason != NULL);
		tv_bool(it, "checked", w->app.partner_account_id == p->id);
	}
	tv_bool(v, "no_eligible_location", !any);
}

static void
progress_vars(struct req *r, struct tvars *v, const struct csp_app *c, int step)
{
	tv_setf(v, "step", "%d", step);
	for (int s = 1; s <= CSP_STEPS; s++) {
		struct tvars *it = tv_item(v, "steps");
		tv_setf(it, "n", "%d", s);
		tv_set(it, "title", tr(r->lang, step_title(s)));
		tv_setf(it, "href", "/csp/enroll?step=%d", s);
		tv_bool(it, "done", s <= c->step);
		tv_bool(it, "current", s == step);
		tv_set(it, "aria_current", s == step ? "step" : NULL);
		tv_bool(it, "reachable", s <= c->step + 1 && s != step);
	}
	for (int s = 1; s <= CSP_STEPS; s++)
		tv_bool(v, tv_intern(v, arena_printf(r->a, "step%d", s)), s == step);
}

/* The summary (review step and after submission). */
static void
summary_vars(struct req *r, struct tvars *v, const struct csp_app *c)
{
	bool any = c->status != CSP_NONE;
	tv_set(v, "s_partner_id", c->partner_id);
	tv_set(v, "s_legal_name", c->legal_name);
	tv_set(v, "s_duns", c->duns);
	tv_setf(v, "s_confidence", "%d", c->dnb_confidence);
	tv_bool(v, "s_has_duns", *c->duns);
	tv_bool(v, "s_has_confidence", c->dnb_confidence > 0);
	tv_set(v, "s_address", any ? address_line(r, c->address_line1, c->address_line2, c->city,
	                                          c->region, c->postal_code, c->country, true)
	                           : "");
	tv_set(v, "s_verdict", any ? csp_verdict_code(c->address_verdict) : "");
	tv_set(v, "s_verdict_label", any ? tr(r->lang, csp_verdict_label(c->address_verdict)) : "");
	tv_set(v, "s_contact", any ? arena_printf(r->a, "%s — %s — %s", c->contact_name,
	                                          c->contact_email, c->contact_phone)
	                           : "");
	tv_set(v, "s_support",
	       any ? arena_printf(r->a, "%s — %s", c->support_email, c->support_phone) : "");
	tv_set(v, "s_model", any ? csp_model_code(c->model) : "");
	tv_set(v, "s_model_label", tr(r->lang, csp_model_label(c->model)));
	tv_bool(v, "s_direct_bill", c->model == CSP_MODEL_DIRECT_BILL);
	tv_set(v, "s_billing_day", c->billing_day);
	tv_set(v, "s_tax_id", c->tax_id);
}

/* Values of each step's form from the draft (when no form was posted). */
static void
draft_values(struct req *r, struct tvars *v, const struct csp_wizard *w)
{
	const struct csp_app *c = &w->app;
	if (c->status == CSP_NONE && (!r->user->verified || !w->enrolled))
		return; /* the wizard is closed: nothing to fill */
	/* Until the draft has a company, the company's legal data in the
	 * partner program (the PGA) fills the lookup and the manual entry. */
	const struct partner_account *pga = w->enrolled ? &w->accounts[0] : NULL;
	const char *name = *c->legal_name ? c->legal_name
	                   : pga && *pga->name ? pga->name
	                                       : r->user->tenant_name;
	tv_set(v, "v_company_name", name);
	tv_set(v, "v_legal_name", name);
	tv_set(v, "v_duns", c->duns);
	bool legal = *c->address_line1 == '\0' && pga;
	tv_set(v, "v_address_line1", legal ? pga->address_line1 : c->address_line1);
	tv_set(v, "v_address_line2", legal ? pga->address_line2 : c->address_line2);
	tv_set(v, "v_city", legal ? pga->city : c->city);
	tv_set(v, "v_region", legal ? pga->region : c->region);
	tv_set(v, "v_postal_code", legal ? pga->postal_code : c->postal_code);
	tv_set(v, "v_contact_name", *c->contact_name ? c->contact_name : r->user->display_name);
	tv_set(v, "v_contact_email", *c->contact_email ? c->contact_email : r->user->email);
	tv_set(v, "v_contact_phone", c->contact_phone);
	tv_set(v, "v_support_email", c->support_email);
	tv_set(v, "v_support_phone", c->support_phone);
	tv_set(v, "v_billing_day", c->billing_day);
	tv_set(v, "v_tax_id", c->tax_id);
	tv_bool(v, "model_direct", c->model == CSP_MODEL_DIRECT_BILL);
}

static void
documents_vars(struct req *r, struct tvars *v, const struct csp_wizard *w)
{
	for (size_t i = 0; i < w->ndocuments; i++) {
		const struct csp_document *d = &w->documents[i];
		struct tvars *it = tv_item(v, "documents");
		tv_setf(it, "href", "/csp/enroll/documents/%lld", d->id);
		tv_set(it, "filename", d->filename);
		tv_set(it, "type_label", tr(r->lang, csp_document_type_label(d->document_type)));
		tv_set(it, "uploaded_at", d->uploaded_at);
	}
	tv_bool(v, "has_documents", w->ndocuments > 0);
	for (int t = 0; t < CSP_DOC__MAX; t++) {
		struct tvars *it = tv_item(v, "document_types");
		tv_set(it, "value", csp_document_type_code(t));
		tv_set(it, "label", tr(r->lang, csp_document_type_label(t)));
	}
	for (int i = 0; i < CSP_QUESTIONS; i++) {
		struct tvars *it = tv_item(v, "questions");
		tv_setf(it, "name", "answer_%d", i + 1);
		tv_set(it, "question", tr(r->lang, csp_questions[i]));
		tv_set(it, "value", tv_get(v, arena_printf(r->a, "v_answer_%d", i + 1)));
		tv_set(it, "error", tv_get(v, arena_printf(r->a, "err_answer_%d", i + 1)));
	}
}

struct tvars *
csp_wizard_begin(struct req *r, const struct csp_wizard *w, int step, struct form *f)
{
	struct tvars *v = page_vars(r);
	const struct csp_app *c = &w->app;
	enum csp_status shown = c->status == CSP_NONE ? CSP_DRAFT : c->status;
	tv_set(v, "status", csp_status_code(shown));
	/* Before the first step is stored there is no draft yet: the page says
	 * so, while the status fact stays the draft's code. */
	tv_set(v, "status_label", tr(r->lang, c->status == CSP_NONE ? N_("Not started")
	                                                            : csp_status_label(shown)));
	tv_bool(v, "editable", csp_editable(c->status));
	/* One flag per status the page words differently, named by its code. */
	static const enum csp_status flagged[] = {CSP_REJECTED, CSP_INFO_REQUESTED, CSP_APPROVED,
	                                          CSP_ACTIVE};
	for (size_t i = 0; i < sizeof(flagged) / sizeof(*flagged); i++)
		tv_bool(v, csp_status_code(flagged[i]), c->status == flagged[i]);
	tv_bool(v, "pending", c->status == CSP_PENDING_REVIEW);
	tv_bool(v, "wants_document", c->request_kind == CSP_ASKS_DOCUMENT);
	tv_bool(v, "wants_questionnaire", c->request_kind == CSP_ASKS_QUESTIONNAIRE);
	tv_set(v, "request_note", c->request_note);
	tv_set(v, "decision_reason", c->decision_reason);
	progress_vars(r, v, c, step);
	summary_vars(r, v, c);
	tv_set(v, "tenant_country_name", country_label(r, r->user->tenant_country));
	/* A US address needs its state (the address service requires it). */
	tv_bool(v, "us_address", strcmp(r->user->tenant_country, "US") == 0);
	draft_values(r, v, w);
	if (f) {
		form_to_vars(f, v, r->lang);
		/* The posted model, not the draft's, stays chosen on a 422. */
		if (*form_get(f, "model"))
			tv_bool(v, "model_direct",
			        csp_model_parse(form_get(f, "model")) == CSP_MODEL_DIRECT_BILL);
	}
	tv_bool(v, "not_enrolled", !w->enrolled);
	tv_bool(v, "unverified", !r->user->verified);
	tv_bool(v, "address_unverified_notice", req_param(r, "unverified") != NULL);
	location_choices(r, v, w);
	/* The company is registered in the country of the CSP account: the
	 * only country offered. */
	tv_set(v, "tenant_country", r->user->tenant_country);
	documents_vars(r, v, w);
	return v;
}

int
csp_wizard_page(struct req *r, int status, struct tvars *v)
{
	return page_render(r, status, "csp_enroll", v);
}

int
csp_wizard_render(struct req *r, int status, const struct csp_wizard *w, int step,
                  struct form *f, const char *notice)
{
	struct tvars *v = csp_wizard_begin(r, w, step, f);
	if (notice)
		tv_set(v, "page_notice", notice);
	return csp_wizard_page(r, status, v);
}

int
csp_step_saved(struct req *r, const char *step, const char *query)
{
	log_info("tenant %lld: CSP wizard step %s", r->user->tenant_id, step);
	return resp_redirect(r, query ? arena_printf(r->a, "/csp/enroll?%s", query) : "/csp/enroll");
}
