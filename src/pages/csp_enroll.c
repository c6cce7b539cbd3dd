/* The CSP enrollment wizard (DOMAIN §3): associate a location ID, company
 * information (DUNS lookup, DUNS number or manual entry), address
 * validation, contacts and model, review and submit; then the documents and
 * questionnaire staff ask for. The draft is a database row, so every step
 * can be left and resumed, even after signing out. When the DUNS or address
 * service is down, slow or answers garbage, the page says so and the manual
 * path completes: never a 5xx. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clients/lookup.h"
#include "core/log.h"
#include "db/csp.h"
#include "db/partners.h"
#include "pages/csp.h"

#define STEPS 5 /* location, company, address, contacts, review */

static const char *const company_modes[] = {"lookup", "duns", "manual", NULL};
static const char *const models[] = {"indirect_reseller", "direct_bill", NULL};
static const char *const address_uses[] = {"suggested", "entered", NULL};
const char *const csp_document_types[] = {"business_registration", "tax_certificate",
                                          "proof_of_address", "other", NULL};

static const struct form_field location_fields[] = {
    {"partner_id", FT_PARTNER_ID, true, 7, 7, NULL},
};
static const struct form_field mode_field[] = {
    {"mode", FT_ENUM, true, 1, 10, company_modes},
};
static const struct form_field lookup_fields[] = {
    {"company_name", FT_TEXT, true, 2, 200, NULL},
    {"country", FT_COUNTRY, true, 2, 2, NULL},
};
static const struct form_field duns_fields[] = {
    {"duns", FT_TEXT, true, 1, 20, NULL},
};
static const struct form_field manual_fields[] = {
    {"legal_name", FT_TEXT, true, 2, 200, NULL},
    {"address_line1", FT_TEXT, true, 1, 200, NULL},
    {"address_line2", FT_TEXT, false, 0, 200, NULL},
    {"city", FT_TEXT, true, 1, 100, NULL},
    {"region", FT_TEXT, false, 0, 100, NULL},
    {"postal_code", FT_POSTAL, false, 0, 20, NULL},
    {"country", FT_COUNTRY, true, 2, 2, NULL},
};
static const struct form_field address_fields[] = {
    {"address_line1", FT_TEXT, true, 1, 200, NULL},
    {"address_line2", FT_TEXT, false, 0, 200, NULL},
    {"city", FT_TEXT, true, 1, 100, NULL},
    {"region", FT_TEXT, false, 0, 100, NULL},
    {"postal_code", FT_POSTAL, false, 0, 20, NULL},
    {"use", FT_ENUM, false, 0, 10, address_uses},
};
static const struct form_field contact_fields[] = {
    {"contact_name", FT_TEXT, true, 1, 100, NULL},
    {"contact_email", FT_EMAIL, true, 3, 254, NULL},
    {"contact_phone", FT_PHONE, true, 0, 30, NULL},
    {"support_email", FT_EMAIL, true, 3, 254, NULL},
    {"support_phone", FT_PHONE, true, 0, 30, NULL},
    {"model", FT_ENUM, true, 1, 20, models},
    {"billing_day", FT_TEXT, false, 0, 2, NULL},
    {"tax_id", FT_TEXT, false, 0, 40, NULL},
};
static const struct form_field document_fields[] = {
    {"document_type", FT_ENUM, true, 1, 30, csp_document_types},
};
static const struct form_field questionnaire_fields[] = {
    {"answer_1", FT_MULTILINE, true, 2, 2000, NULL},
    {"answer_2", FT_MULTILINE, true, 1, 2000, NULL},
    {"answer_3", FT_MULTILINE, true, 2, 2000, NULL},
};

const char *const csp_questions[CSP_QUESTIONS] = {
    N_("What is your company's main business activity?"),
    N_("How many employees does your company have?"),
    N_("Which customers will you serve as a cloud solution provider (countries, sizes, industries)?"),
};

/* ---- shared with review.c and actions.c ---- */

const char *
csp_status_label(enum lang lang, const char *status)
{
	static const struct {
		const char *code, *msgid;
	} labels[] = {
	    {"not_enrolled", N_("Not enrolled")},     {"draft", N_("Draft")},
	    {"pending_review", N_("Pending review")}, {"info_requested", N_("Information requested")},
	    {"approved", N_("Approved")},             {"rejected", N_("Rejected")},
	    {"active", N_("Active")},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(*labels); i++)
		if (strcmp(labels[i].code, status) == 0)
			return tr(lang, labels[i].msgid);
	return status;
}

const char *
csp_document_type_label(enum lang lang, const char *type)
{
	if (strcmp(type, "business_registration") == 0)
		return tr(lang, N_("Business registration"));
	if (strcmp(type, "tax_certificate") == 0)
		return tr(lang, N_("Tax certificate"));
	if (strcmp(type, "proof_of_address") == 0)
		return tr(lang, N_("Proof of address"));
	return tr(lang, N_("Other document"));
}

const char *
csp_verdict_label(enum lang lang, const char *verdict)
{
	static const struct {
		const char *code, *msgid;
	} labels[] = {
	    {"not_checked", N_("Not checked (no validation in this country)")},
	    {"verified", N_("Verified as entered")},
	    {"corrected", N_("Verified (standardised address)")},
	    {"needs_unit", N_("Found, but the suite or apartment number is missing")},
	    {"ambiguous", N_("Several addresses match")},
	    {"not_found", N_("Not found by the address service")},
	    {"unverified", N_("Unverified: the address service was unavailable")},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(*labels); i++)
		if (strcmp(labels[i].code, verdict) == 0)
			return tr(lang, labels[i].msgid);
	return verdict;
}

/* One line of an address, for display and the audit log. */
const char *
csp_address_line(struct arena *a, const char *line1, const char *line2, const char *city,
                 const char *region, const char *postal, const char *country)
{
	struct sbuf b = {0};
	sbuf_adds(&b, line1);
	if (line2 && *line2)
		sbuf_printf(&b, ", %s", line2);
	sbuf_printf(&b, ", %s%s%s", postal && *postal ? postal : "", postal && *postal ? " " : "",
	            city);
	if (region && *region)
		sbuf_printf(&b, ", %s", region);
	if (country && *country)
		sbuf_printf(&b, ", %s", country);
	const char *out = arena_strdup(a, sbuf_cstr(&b));
	sbuf_free(&b);
	return out;
}

int
csp_mail(struct req *r, const struct csp_app *c, const char *kind, const char *note)
{
	enum lang lang = lang_parse(c->lang) >= 0 ? (enum lang)lang_parse(c->lang) : LANG_EN;
	struct tvars *mv = tv_new(r->a, NULL);
	tv_set(mv, "name", c->contact_name);
	tv_set(mv, "company", *c->legal_name ? c->legal_name : c->tenant_name);
	tv_set(mv, "note", note ? note : "");
	tv_bool(mv, kind, true);
	tv_set(mv, "link", abs_url(r->a, strcmp(kind, "approved") == 0 ? "/actions" : "/csp/enroll"));
	return mail_queue(r, c->contact_email, lang, "mail_csp", mv);
}

/* ---- the wizard ---- */

struct wizard {
	struct csp_app          app;
	struct partner_account  pga;
	bool                    enrolled;
};

/* Loads (creating when needed) the tenant's application. 0, or the status
 * of the page already answered. */
static int
wizard_load(struct req *r, struct wizard *w, bool create)
{
	if (db_partner_pga(r->a, r->user->tenant_id, &w->pga, &w->enrolled) != DB_OK)
		return page_error(r, 503);
	bool found = false;
	if (db_csp_get(r->a, r->user->tenant_id, &w->app, &found) != DB_OK)
		return page_error(r, 503);
	if (!found && create && w->enrolled && r->user->verified) {
		if (db_csp_ensure(r->a, r->user->tenant_id, lang_code(r->lang)) != DB_OK ||
		    db_csp_get(r->a, r->user->tenant_id, &w->app, &found) != DB_OK)
			return page_error(r, 503);
	}
	if (!found)
		memset(&w->app, 0, sizeof(w->app));
	return 0;
}

static bool
editable(const struct csp_app *c)
{
	return c->id && (strcmp(c->status, "draft") == 0 || strcmp(c->status, "rejected") == 0);
}

static const char *
step_title(int step)
{
	static const char *const titles[STEPS] = {N_("Location"), N_("Company"), N_("Address"),
	                                          N_("Contacts and model"), N_("Review")};
	return titles[step - 1];
}

/* Step shown: ?step=N when reachable, else the first one not done. */
static int
current_step(struct req *r, const struct csp_app *c)
{
	int next = c->step + 1 > STEPS ? STEPS : c->step + 1;
	const char *s = req_param(r, "step");
	if (s && s[0] >= '1' && s[0] <= '5' && s[1] == '\0' && s[0] - '0' <= next)
		return s[0] - '0';
	return next;
}

static bool
in_country_list(const char *list, const char *country)
{
	size_t n = strlen(country);
	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ", ");
		if (len == n && strncasecmp(p, country, n) == 0)
			return true;
		p += len;
	}
	return false;
}

bool
csp_address_validated_in(const char *country)
{
	return in_country_list(config_get(app.cfg, "address.validate_countries", "US"), country);
}

static void
location_choices(struct req *r, struct tvars *v, const struct wizard *w)
{
	struct partner_account *rows;
	size_t n;
	if (db_partner_accounts(r->a, r->user->tenant_id, false, &rows, &n) != DB_OK)
		return;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (partner_is_global(&rows[i]))
			continue;
		struct tvars *it = tv_item(v, "locations");
		tv_set(it, "partner_id", rows[i].partner_id);
		tv_set(it, "name", rows[i].name);
		tv_set(it, "country_name", country_label(r, rows[i].country));
		const char *reason = NULL;
		if (strcmp(rows[i].status, "active") != 0)
			reason = tr(r->lang, N_("This location is inactive."));
		else if (strcmp(rows[i].country, r->user->tenant_country) != 0)
			reason = tr(r->lang, N_("This location is not in the country of your CSP account."));
		if (reason)
			tv_set(it, "reason", reason);
		else
			any = true;
		tv_bool(it, "disabled", reason != NULL);
		tv_bool(it, "checked", w->app.partner_account_id == rows[i].id);
	}
	tv_bool(v, "no_eligible_location", !any);
}

/* Template vars of the whole wizard page for step (and the summary). */
static struct tvars *
wizard_vars(struct req *r, const struct wizard *w, int step)
{
	struct tvars *v = page_vars(r);
	const struct csp_app *c = &w->app;
	const char *status = c->id ? c->status : "draft";
	tv_set(v, "status", status);
	tv_set(v, "status_label", csp_status_label(r->lang, status));
	tv_bool(v, "editable", editable(c) || c->id == 0);
	tv_bool(v, "rejected", c->id && strcmp(c->status, "rejected") == 0);
	tv_bool(v, "pending", c->id && strcmp(c->status, "pending_review") == 0);
	tv_bool(v, "info_requested", c->id && strcmp(c->status, "info_requested") == 0);
	tv_bool(v, "approved", c->id && strcmp(c->status, "approved") == 0);
	tv_bool(v, "active", c->id && strcmp(c->status, "active") == 0);
	tv_bool(v, "wants_document", c->id && strcmp(c->request_kind, "document") == 0);
	tv_bool(v, "wants_questionnaire", c->id && strcmp(c->request_kind, "questionnaire") == 0);
	tv_set(v, "request_note", c->request_note);
	tv_set(v, "decision_reason", c->decision_reason);
	tv_setf(v, "step", "%d", step);
	for (int s = 1; s <= STEPS; s++) {
		struct tvars *it = tv_item(v, "steps");
		tv_setf(it, "n", "%d", s);
		tv_set(it, "title", tr(r->lang, step_title(s)));
		tv_setf(it, "href", "/csp/enroll?step=%d", s);
		tv_bool(it, "done", s <= c->step);
		tv_bool(it, "current", s == step);
		tv_set(it, "aria_current", s == step ? "step" : NULL);
		tv_bool(it, "reachable", s <= c->step + 1 && s != step);
	}
	for (int s = 1; s <= STEPS; s++)
		tv_bool(v, tv_intern(v, arena_printf(r->a, "step%d", s)), s == step);
	/* Summary (review step and after submission). */
	tv_set(v, "s_partner_id", c->partner_id);
	tv_set(v, "s_legal_name", c->legal_name);
	tv_set(v, "s_duns", c->duns);
	tv_setf(v, "s_confidence", "%d", c->dnb_confidence);
	tv_bool(v, "s_has_duns", c->duns && *c->duns);
	tv_bool(v, "s_has_confidence", c->dnb_confidence > 0);
	tv_set(v, "s_address", c->id ? csp_address_line(r->a, c->address_line1, c->address_line2,
	                                                c->city, c->region, c->postal_code,
	                                                country_label(r, c->country))
	                             : "");
	tv_set(v, "s_verdict", c->address_verdict);
	tv_set(v, "s_verdict_label", c->id ? csp_verdict_label(r->lang, c->address_verdict) : "");
	tv_set(v, "s_contact", c->id ? arena_printf(r->a, "%s — %s — %s", c->contact_name,
	                                            c->contact_email, c->contact_phone)
	                             : "");
	tv_set(v, "s_support", c->id ? arena_printf(r->a, "%s — %s", c->support_email,
	                                            c->support_phone)
	                             : "");
	tv_set(v, "s_model", c->model);
	tv_set(v, "s_model_label",
	       tr(r->lang, c->id && strcmp(c->model, "direct_bill") == 0 ? N_("Direct bill")
	                                                                  : N_("Indirect reseller")));
	tv_bool(v, "s_direct_bill", c->id && strcmp(c->model, "direct_bill") == 0);
	tv_set(v, "s_billing_day", c->billing_day);
	tv_set(v, "s_tax_id", c->tax_id);
	tv_set(v, "tenant_country_name", country_label(r, r->user->tenant_country));
	return v;
}

/* Values of each step's form from the draft (when no form was posted). */
static void
draft_values(struct req *r, struct tvars *v, const struct csp_app *c)
{
	if (c->id == 0)
		return; /* no draft yet: not verified or not in the partner program */
	tv_set(v, "v_company_name", *c->legal_name ? c->legal_name : r->user->tenant_name);
	tv_set(v, "v_legal_name", *c->legal_name ? c->legal_name : r->user->tenant_name);
	tv_set(v, "v_duns", c->duns);
	tv_set(v, "v_address_line1", c->address_line1);
	tv_set(v, "v_address_line2", c->address_line2);
	tv_set(v, "v_city", c->city);
	tv_set(v, "v_region", c->region);
	tv_set(v, "v_postal_code", c->postal_code);
	tv_set(v, "v_contact_name", *c->contact_name ? c->contact_name : r->user->display_name);
	tv_set(v, "v_contact_email", *c->contact_email ? c->contact_email : r->user->email);
	tv_set(v, "v_contact_phone", c->contact_phone);
	tv_set(v, "v_support_email", c->support_email);
	tv_set(v, "v_support_phone", c->support_phone);
	tv_set(v, "v_billing_day", c->billing_day);
	tv_set(v, "v_tax_id", c->tax_id);
	tv_bool(v, "model_direct", strcmp(c->model ? c->model : "", "direct_bill") == 0);
}

static void
documents_vars(struct req *r, struct tvars *v, const struct csp_app *c)
{
	struct csp_document *docs;
	size_t n;
	if (c->id == 0 || db_csp_documents(r->a, c->id, &docs, &n) != DB_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "documents");
		tv_setf(it, "href", "/csp/enroll/documents/%lld", docs[i].id);
		tv_set(it, "filename", docs[i].filename);
		tv_set(it, "type_label", csp_document_type_label(r->lang, docs[i].document_type));
		tv_set(it, "uploaded_at", docs[i].uploaded_at);
	}
	tv_bool(v, "has_documents", n > 0);
	for (const char *const *t = csp_document_types; *t; t++) {
		struct tvars *it = tv_item(v, "document_types");
		tv_set(it, "value", *t);
		tv_set(it, "label", csp_document_type_label(r->lang, *t));
	}
	for (int i = 0; i < CSP_QUESTIONS; i++) {
		struct tvars *it = tv_item(v, "questions");
		tv_setf(it, "name", "answer_%d", i + 1);
		tv_set(it, "question", tr(r->lang, csp_questions[i]));
		const char *key = arena_printf(r->a, "v_answer_%d", i + 1);
		tv_set(it, "value", tv_get(v, key));
		tv_set(it, "error", tv_get(v, arena_printf(r->a, "err_answer_%d", i + 1)));
	}
}

/* Every variable of the wizard page at step, with an optional posted form
 * (its values and errors); the caller adds what its answer shows and
 * renders with wizard_page. */
static struct tvars *
wizard_begin(struct req *r, const struct wizard *w, int step, struct form *f)
{
	struct tvars *v = wizard_vars(r, w, step);
	draft_values(r, v, &w->app);
	if (f) {
		form_to_vars(f, v, r->lang);
		/* The posted model, not the draft's, stays chosen on a 422. */
		if (*form_get(f, "model"))
			tv_bool(v, "model_direct", strcmp(form_get(f, "model"), "direct_bill") == 0);
	}
	tv_bool(v, "not_enrolled", !w->enrolled);
	tv_bool(v, "unverified", !r->user->verified);
	tv_bool(v, "address_unverified_notice", req_param(r, "unverified") != NULL);
	location_choices(r, v, w);
	country_options(r, v, f && *form_get(f, "country") ? form_get(f, "country")
	                                                    : r->user->tenant_country);
	documents_vars(r, v, &w->app);
	return v;
}

static int
wizard_page(struct req *r, int status, struct tvars *v)
{
	return page_render(r, status, "csp_enroll", v);
}

/* The wizard at step, with an optional notice at the top of the page. */
static int
wizard_render(struct req *r, int status, const struct wizard *w, int step, struct form *f,
              const char *notice)
{
	struct tvars *v = wizard_begin(r, w, step, f);
	if (notice)
		tv_set(v, "page_notice", notice);
	return wizard_page(r, status, v);
}

/* The company step when the DUNS service could not answer: says so and
 * opens the manual entry (200: nothing changed, nothing is wrong with the
 * input). */
static int
wizard_dnb_unavailable(struct req *r, const struct wizard *w, struct form *f, const char *notice)
{
	struct tvars *v = wizard_begin(r, w, 2, f);
	tv_set(v, "service_notice", notice);
	tv_bool(v, "show_manual", true);
	return wizard_page(r, 200, v);
}

int
page_csp_enroll(struct req *r)
{
	struct wizard w;
	int rc = wizard_load(r, &w, true);
	if (rc)
		return rc;
	return wizard_render(r, 200, &w, current_step(r, &w.app), NULL, NULL);
}

/* The application a step may change, or the status of the page answered
 * (403 unverified, 409 not editable). */
static int
editable_app(struct req *r, struct wizard *w)
{
	int rc = wizard_load(r, w, true);
	if (rc)
		return rc;
	if (!r->user->verified || !w->enrolled)
		return wizard_render(r, 403, w, 1, NULL, NULL);
	if (!editable(&w->app))
		return wizard_render(r, 409, w, current_step(r, &w->app), NULL, NULL);
	return 0;
}

static int
done_step(struct req *r, const char *action, const struct csp_app *before, const char *query)
{
	struct csp_app after;
	bool found;
	if (db_csp_get(r->a, r->user->tenant_id, &after, &found) != DB_OK || !found)
		return page_error(r, 503);
	(void)before;
	log_info("tenant %lld: CSP wizard step %s", r->user->tenant_id, action);
	return resp_redirect(r, query ? arena_printf(r->a, "/csp/enroll?%s", query) : "/csp/enroll");
}

int
page_csp_location(struct req *r)
{
	struct wizard w;
	int rc = editable_app(r, &w);
	if (rc)
		return rc;
	struct form f;
	form_read(r, location_fields, NFIELDS(location_fields), &f);
	struct partner_account loc;
	bool found = false;
	if (f.nerrors == 0 &&
	    db_partner_get(r->a, r->user->tenant_id, form_get(&f, "partner_id"), &loc, &found) != DB_OK)
		return page_error(r, 503);
	if (f.nerrors == 0) {
		if (!found || strcmp(loc.status, "deleted") == 0 || partner_is_global(&loc))
			form_error(&f, "partner_id", N_("Choose one of your location partner IDs."));
		else if (strcmp(loc.status, "active") != 0)
			form_error(&f, "partner_id", N_("This location is inactive."));
		else if (strcmp(loc.country, r->user->tenant_country) != 0)
			form_error(&f, "partner_id",
			           N_("The location must be in the same country as your CSP account."));
	}
	if (f.nerrors)
		return wizard_render(r, 422, &w, 1, &f, NULL);
	enum db_err e = db_begin();
	if (e == DB_OK)
		e = db_csp_set_location(r->a, w.app.id, loc.id);
	if (e == DB_OK)
		e = audit_record(r, "csp.location", arena_printf(r->a, "csp:%lld", w.app.id),
		                 json_pack("{s:s}", "partner_id", w.app.partner_id),
		                 json_pack("{s:s}", "partner_id", loc.partner_id));
	if (db_finish(e) != DB_OK)
		return page_error(r, 503);
	return done_step(r, "location", &w.app, NULL);
}

/* What to say when the DUNS service could not answer (never a 5xx,
 * research §3): the manual entry goes on. */
static const char *
dnb_notice(struct req *r, enum remote_err e)
{
	switch (e) {
	case REMOTE_RATE_LIMITED:
		return tr(r->lang, N_("The DUNS lookup is busy right now (too many requests). Try again in a minute, or enter your company manually below."));
	case REMOTE_BAD_ANSWER:
		return tr(r->lang, N_("The DUNS lookup sent an answer we could not read. Enter your company manually below, or try again later."));
	default:
		return tr(r->lang, N_("The DUNS lookup is unavailable right now. Enter your company manually below, or try again later."));
	}
}

static void
candidates_vars(struct req *r, struct tvars *v, const struct dnb_company *cands, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "candidates");
		tv_set(it, "duns", cands[i].duns);
		tv_set(it, "name", cands[i].name);
		tv_setf(it, "confidence", "%d", cands[i].confidence);
		tv_set(it, "address",
		       csp_address_line(r->a, cands[i].line1, cands[i].line2, cands[i].city,
		                        cands[i].region, cands[i].postal_code,
		                        country_label(r, cands[i].country)));
		tv_set(it, "operating_status", cands[i].operating_status);
		tv_bool(it, "inactive", !cands[i].active);
		tv_bool(it, "first", i == 0);
	}
	tv_bool(v, "has_candidates", n > 0);
}

/* Saves the company of a DUNS number (typed or picked from the candidates). */
static int
company_by_duns(struct req *r, struct wizard *w, const char *source)
{
	struct form f;
	form_read(r, duns_fields, NFIELDS(duns_fields), &f);
	char duns[16] = "";
	if (f.nerrors == 0) {
		/* Dashes and spaces are display only (research §1.8). */
		size_t k = 0;
		for (const char *p = form_get(&f, "duns"); *p && k < sizeof(duns) - 1; p++)
			if (*p != '-' && *p != ' ')
				duns[k++] = *p;
		duns[k] = '\0';
		if (!dnb_duns_valid(duns))
			form_error(&f, "duns", N_("A DUNS number has 9 digits."));
	}
	if (f.nerrors)
		return wizard_render(r, 422, w, 2, &f, NULL);
	long long start = 0;
	struct dnb_company co;
	enum remote_err e = lookup_company(r->a, &start, duns, &co);
	if (e == REMOTE_NOT_FOUND || e == REMOTE_INVALID) {
		form_error(&f, "duns", N_("D&B knows no company with this DUNS number. Check it, or enter your company manually."));
		return wizard_render(r, 422, w, 2, &f, NULL);
	}
	if (e != REMOTE_OK)
		return wizard_dnb_unavailable(r, w, &f, dnb_notice(r, e));
	if (!co.active) {
		form_error(&f, "duns", N_("D&B lists this company as out of business."));
		return wizard_render(r, 422, w, 2, &f, NULL);
	}
	if (strcmp(co.country, r->user->tenant_country) != 0) {
		form_error(&f, "duns", N_("This company is not registered in the country of your CSP account."));
		return wizard_render(r, 422, w, 2, &f, NULL);
	}
	struct csp_app c = {.company_source = source, .duns = co.duns, .dnb_name = co.name,
	                    .dnb_confidence = 0, .dnb_match_grade = co.match_grade,
	                    .dnb_status = co.operating_status, .legal_name = co.name,
	                    .address_line1 = co.line1, .address_line2 = co.line2, .city = co.city,
	                    .region = co.region, .postal_code = co.postal_code, .country = co.country};
	/* A company picked from the candidates keeps its confidence and match
	 * grade: the same search again (answered by the cache) tells them. */
	const char *searched = req_form(r, "company_name");
	if (strcmp(source, "lookup") == 0 && searched && *searched) {
		struct dnb_query q = {.name = searched, .country = r->user->tenant_country};
		struct dnb_company *cands;
		size_t n = 0;
		if (lookup_companies(r->a, &start, &q, &cands, &n) == REMOTE_OK)
			for (size_t i = 0; i < n; i++)
				if (strcmp(cands[i].duns, co.duns) == 0) {
					c.dnb_confidence = cands[i].confidence;
					c.dnb_match_grade = cands[i].match_grade;
				}
	}
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_csp_set_company(r->a, w->app.id, &c);
	if (de == DB_OK)
		de = audit_record(r, "csp.company", arena_printf(r->a, "csp:%lld", w->app.id), NULL,
		                  json_pack("{s:s, s:s, s:s, s:i}", "source", source, "duns", co.duns,
		                            "legal_name", co.name, "confidence", c.dnb_confidence));
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return done_step(r, "company", &w->app, NULL);
}

int
page_csp_company(struct req *r)
{
	struct wizard w;
	int rc = editable_app(r, &w);
	if (rc)
		return rc;
	struct form mf;
	form_read(r, mode_field, NFIELDS(mode_field), &mf);
	const char *mode = mf.nerrors ? "manual" : form_get(&mf, "mode");
	if (strcmp(mode, "duns") == 0)
		return company_by_duns(r, &w, req_form(r, "source") &&
		                                      strcmp(req_form(r, "source"), "lookup") == 0
		                                  ? "lookup"
		                                  : "duns");
	if (strcmp(mode, "lookup") == 0) {
		struct form f;
		form_read(r, lookup_fields, NFIELDS(lookup_fields), &f);
		if (f.errors[1] == NULL && strcmp(form_get(&f, "country"), r->user->tenant_country) != 0)
			form_error(&f, "country", N_("Your CSP account is in another country: look up the company registered there."));
		if (f.nerrors)
			return wizard_render(r, 422, &w, 2, &f, NULL);
		struct dnb_query q = {.name = form_get(&f, "company_name"),
		                      .country = form_get(&f, "country")};
		struct dnb_company *cands = NULL;
		size_t n = 0;
		long long start = 0;
		enum remote_err e = lookup_companies(r->a, &start, &q, &cands, &n);
		if (e != REMOTE_OK && e != REMOTE_NOT_FOUND && e != REMOTE_INVALID)
			return wizard_dnb_unavailable(r, &w, &f, dnb_notice(r, e));
		/* A search answers 200 with its result (CONTRACT §3). */
		struct tvars *v = wizard_begin(r, &w, 2, &f);
		tv_bool(v, "searched", true);
		tv_bool(v, "no_candidates", n == 0);
		tv_bool(v, "show_manual", n == 0);
		candidates_vars(r, v, cands, n);
		return wizard_page(r, 200, v);
	}
	struct form f;
	form_read(r, manual_fields, NFIELDS(manual_fields), &f);
	if (f.errors[6] == NULL && strcmp(form_get(&f, "country"), r->user->tenant_country) != 0)
		form_error(&f, "country", N_("The company must be registered in the country of your CSP account."));
	if (f.nerrors) {
		struct tvars *v = wizard_begin(r, &w, 2, &f);
		tv_bool(v, "show_manual", true);
		return wizard_page(r, 422, v);
	}
	struct csp_app c = {.company_source = "manual", .duns = "", .dnb_name = "",
	                    .dnb_match_grade = "", .dnb_status = "",
	                    .legal_name = form_get(&f, "legal_name"),
	                    .address_line1 = form_get(&f, "address_line1"),
	                    .address_line2 = form_get(&f, "address_line2"),
	                    .city = form_get(&f, "city"), .region = form_get(&f, "region"),
	                    .postal_code = form_get(&f, "postal_code"),
	                    .country = form_get(&f, "country")};
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_csp_set_company(r->a, w.app.id, &c);
	if (de == DB_OK)
		de = audit_record(r, "csp.company", arena_printf(r->a, "csp:%lld", w.app.id), NULL,
		                  json_pack("{s:s, s:s}", "source", "manual", "legal_name",
		                            c.legal_name));
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return done_step(r, "company", &w.app, NULL);
}

static const char *const verdict_codes[ADDRESS__MAX] = {"verified", "needs_unit", "ambiguous",
                                                        "not_found"};

int
page_csp_address(struct req *r)
{
	struct wizard w;
	int rc = editable_app(r, &w);
	if (rc)
		return rc;
	if (w.app.step < 2)
		return resp_redirect(r, "/csp/enroll");
	struct form f;
	form_read(r, address_fields, NFIELDS(address_fields), &f);
	if (f.nerrors)
		return wizard_render(r, 422, &w, 3, &f, NULL);
	struct postal_address in = {.line1 = form_get(&f, "address_line1"),
	                            .line2 = form_get(&f, "address_line2"),
	                            .city = form_get(&f, "city"), .region = form_get(&f, "region"),
	                            .postal_code = form_get(&f, "postal_code"),
	                            .country = w.app.country};
	const char *use = form_get(&f, "use");
	struct csp_app c = {.address_line1 = in.line1, .address_line2 = in.line2, .city = in.city,
	                    .region = in.region, .postal_code = in.postal_code,
	                    .address_verdict = "not_checked", .address_choice = "entered",
	                    .entered_address = "", .suggested_address = ""};
	const char *query = NULL;
	if (csp_address_validated_in(w.app.country)) {
		struct postal_address std;
		enum address_verdict verdict;
		long long start = 0;
		enum remote_err e = lookup_address(r->a, &start, &in, &std, &verdict);
		c.entered_address = csp_address_line(r->a, in.line1, in.line2, in.city, in.region,
		                                     in.postal_code, in.country);
		if (e != REMOTE_OK) {
			/* Kept as entered and flagged for the reviewer (DOMAIN §3.4). */
			c.address_verdict = "unverified";
			query = "unverified=1";
		} else if (verdict == ADDRESS_EXACT && address_same(&in, &std)) {
			c.address_verdict = "verified";
		} else if (verdict == ADDRESS_EXACT && *use == '\0') {
			/* Both shown, the validated one suggested: the partner chooses. */
			struct tvars *v = wizard_begin(r, &w, 3, &f);
			tv_bool(v, "suggestion", true);
			tv_set(v, "suggested_address",
			       csp_address_line(r->a, std.line1, std.line2, std.city, std.region,
			                        std.postal_code, country_label(r, std.country)));
			tv_set(v, "entered_address",
			       csp_address_line(r->a, in.line1, in.line2, in.city, in.region,
			                        in.postal_code, country_label(r, in.country)));
			return wizard_page(r, 200, v);
		} else if (verdict == ADDRESS_EXACT) {
			c.suggested_address = csp_address_line(r->a, std.line1, std.line2, std.city,
			                                       std.region, std.postal_code, std.country);
			if (strcmp(use, "suggested") == 0) {
				c.address_line1 = std.line1;
				c.address_line2 = std.line2;
				c.city = std.city;
				c.region = std.region;
				c.postal_code = std.postal_code;
				c.address_verdict = "corrected";
				c.address_choice = "suggested";
			} else {
				c.address_verdict = "verified";
			}
		} else if (strcmp(use, "entered") != 0) {
			/* Not usable as is: say why next to the field, offer to keep it. */
			if (verdict == ADDRESS_NEEDS_UNIT)
				form_error(&f, "address_line2", N_("This address needs a suite or apartment number."));
			else if (verdict == ADDRESS_AMBIGUOUS)
				form_error(&f, "address_line1", N_("Several addresses match: add the details that tell them apart."));
			else
				form_error(&f, "address_line1", N_("The address service does not know this address. Check it, or keep it as entered: the reviewer will check it."));
			struct tvars *v = wizard_begin(r, &w, 3, &f);
			tv_bool(v, "offer_keep", true);
			return wizard_page(r, 422, v);
		} else {
			c.address_verdict = verdict_codes[verdict];
		}
	}
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_csp_set_address(r->a, w.app.id, &c);
	if (de == DB_OK)
		de = audit_record(r, "csp.address", arena_printf(r->a, "csp:%lld", w.app.id), NULL,
		                  json_pack("{s:s, s:s, s:s, s:s}", "verdict", c.address_verdict,
		                            "choice", c.address_choice, "entered", c.entered_address,
		                            "suggested", c.suggested_address));
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return done_step(r, "address", &w.app, query);
}

int
page_csp_contact(struct req *r)
{
	struct wizard w;
	int rc = editable_app(r, &w);
	if (rc)
		return rc;
	if (w.app.step < 3)
		return resp_redirect(r, "/csp/enroll");
	struct form f;
	form_read(r, contact_fields, NFIELDS(contact_fields), &f);
	bool direct = strcmp(form_get(&f, "model"), "direct_bill") == 0;
	const char *day = form_get(&f, "billing_day");
	const char *tax = form_get(&f, "tax_id");
	if (direct) {
		/* Direct bill: invoiced by the vendor, so billing day and tax ID. */
		int d = atoi(day);
		if (*day == '\0' || strspn(day, "0123456789") != strlen(day) || d < 1 || d > 28)
			form_error(&f, "billing_day", N_("Choose a billing day between 1 and 28."));
		size_t tl = strlen(tax);
		bool tax_ok = tl >= 4 && tl <= 20;
		for (const char *p = tax; *p && tax_ok; p++)
			tax_ok = (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
			         (*p >= 'a' && *p <= 'z') || *p == '-' || *p == ' ' || *p == '.';
		if (!tax_ok)
			form_error(&f, "tax_id", N_("Enter your tax ID (4 to 20 letters and digits)."));
	} else {
		day = tax = "";
	}
	if (f.nerrors)
		return wizard_render(r, 422, &w, 4, &f, NULL);
	struct csp_app c = {.contact_name = form_get(&f, "contact_name"),
	                    .contact_email = form_get(&f, "contact_email"),
	                    .contact_phone = form_get(&f, "contact_phone"),
	                    .support_email = form_get(&f, "support_email"),
	                    .support_phone = form_get(&f, "support_phone"),
	                    .model = form_get(&f, "model"), .billing_day = day, .tax_id = tax};
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_csp_set_contact(r->a, w.app.id, &c);
	if (de == DB_OK)
		de = audit_record(r, "csp.contact", arena_printf(r->a, "csp:%lld", w.app.id), NULL,
		                  json_pack("{s:s, s:s, s:s}", "contact_email", c.contact_email,
		                            "support_email", c.support_email, "model", c.model));
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return done_step(r, "contact", &w.app, NULL);
}

int
page_csp_submit(struct req *r)
{
	struct wizard w;
	int rc = editable_app(r, &w);
	if (rc)
		return rc;
	if (w.app.step < 4)
		return wizard_render(r, 409, &w, current_step(r, &w.app), NULL,
		                     tr(r->lang, N_("Complete every step before you submit.")));
	/* The location may have changed since step 1. */
	struct partner_account loc;
	bool found = false;
	if (db_partner_get(r->a, r->user->tenant_id, w.app.partner_id, &loc, &found) != DB_OK)
		return page_error(r, 503);
	if (!found || strcmp(loc.status, "active") != 0 ||
	    strcmp(loc.country, r->user->tenant_country) != 0)
		return wizard_render(r, 409, &w, 1, NULL,
		                     tr(r->lang, N_("The location chosen at step 1 can no longer be used: choose another one.")));
	bool changed = false;
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_csp_transition(r->a, w.app.id, "draft,rejected", "pending_review", NULL, NULL,
		                       NULL, &changed);
	if (de == DB_OK && changed)
		de = audit_record(r, "csp.submit", arena_printf(r->a, "csp:%lld", w.app.id),
		                  json_pack("{s:s}", "status", w.app.status),
		                  json_pack("{s:s}", "status", "pending_review"));
	if (de == DB_OK && changed && csp_mail(r, &w.app, "submitted", NULL) != 0)
		de = DB_ERROR;
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/csp/enroll");
}

/* ---- answers to staff requests ---- */

static int
answerable_app(struct req *r, struct wizard *w, const char *kind)
{
	int rc = wizard_load(r, w, false);
	if (rc)
		return rc;
	if (w->app.id == 0 || strcmp(w->app.status, "info_requested") != 0 ||
	    strcmp(w->app.request_kind, kind) != 0)
		return wizard_render(r, 409, w, current_step(r, &w->app), NULL, NULL);
	return 0;
}

/* What a file's first bytes say it is: PDF, PNG or JPEG; NULL otherwise. */
const char *
csp_sniff(const unsigned char *head, size_t n)
{
	if (n >= 5 && memcmp(head, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 8 && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
		return "image/jpeg";
	return NULL;
}

/* Copies the upload to the documents directory (outside the web root) under
 * a random name; fills sha256. Returns 0. */
static int
store_document(struct req *r, const char *src, const char *storage_name, char sha_hex[65])
{
	const char *dir = arena_printf(r->a, "%s/documents", app.state_dir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	const char *dst = arena_printf(r->a, "%s/%s", dir, storage_name);
	int in = open(src, O_RDONLY | O_CLOEXEC);
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc = in >= 0 && out >= 0 ? 0 : -1;
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	char buf[65536];
	ssize_t n;
	while (rc == 0 && (n = read(in, buf, sizeof(buf))) > 0) {
		crypto_hash_sha256_update(&st, (unsigned char *)buf, (size_t)n);
		if (write(out, buf, (size_t)n) != n)
			rc = -1;
	}
	if (in >= 0)
		close(in);
	if (out >= 0 && (fsync(out) != 0 || close(out) != 0))
		rc = -1;
	unsigned char sha[32];
	crypto_hash_sha256_final(&st, sha);
	sodium_bin2hex(sha_hex, 65, sha, sizeof(sha));
	if (rc != 0)
		unlink(dst);
	return rc;
}

int
page_csp_document(struct req *r)
{
	struct wizard w;
	int rc = answerable_app(r, &w, "document");
	if (rc)
		return rc;
	struct form f;
	form_read(r, document_fields, NFIELDS(document_fields), &f);
	const struct http_field *file = http_fields_get(&r->form, "document");
	const char *type = NULL;
	if (file == NULL || file->path == NULL || file->size == 0) {
		form_error(&f, "document_type", N_("Choose the file to send."));
	} else {
		unsigned char head[8] = {0};
		int fd = open(file->path, O_RDONLY | O_CLOEXEC);
		ssize_t got = fd >= 0 ? read(fd, head, sizeof(head)) : -1;
		if (fd >= 0)
			close(fd);
		type = got > 0 ? csp_sniff(head, (size_t)got) : NULL;
		if (type == NULL)
			form_error(&f, "document_type", N_("Send a PDF, PNG or JPEG file."));
	}
	if (f.nerrors) {
		struct tvars *v = wizard_begin(r, &w, current_step(r, &w.app), &f);
		tv_set(v, "err_document", tv_get(v, "err_document_type"));
		return wizard_page(r, 422, v);
	}
	unsigned char rnd[16];
	char name[40];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(name, 33, rnd, sizeof(rnd));
	char sha[65];
	if (store_document(r, file->path, name, sha) != 0) {
		log_err("cannot store an uploaded document: %s", strerror(errno));
		return page_error(r, 503);
	}
	/* The client's file name is kept for display only, reduced to safe characters. */
	char shown[101];
	size_t k = 0;
	for (const char *p = file->filename ? file->filename : ""; *p && k < sizeof(shown) - 1; p++)
		shown[k++] = (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20) ? '_' : *p;
	shown[k] = '\0';
	struct csp_document d = {.application_id = w.app.id, .size = (long long)file->size,
	                         .document_type = form_get(&f, "document_type"),
	                         .filename = k ? shown : "document", .content_type = type,
	                         .sha256 = sha, .storage_name = name};
	long long doc_id = 0;
	bool changed = false;
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_csp_document_add(r->a, &d, r->user->id, &doc_id);
	if (de == DB_OK)
		de = db_csp_transition(r->a, w.app.id, "info_requested", "pending_review", NULL, NULL,
		                       NULL, &changed);
	if (de == DB_OK)
		de = audit_record(r, "csp.document", arena_printf(r->a, "csp:%lld", w.app.id), NULL,
		                  json_pack("{s:I, s:s, s:s, s:I, s:s}", "document_id", doc_id, "type",
		                            d.document_type, "content_type", type, "size",
		                            (json_int_t)d.size, "sha256", sha));
	if (db_finish(de) != DB_OK) {
		unlink(arena_printf(r->a, "%s/documents/%s", app.state_dir, name));
		return page_error(r, 503);
	}
	return resp_redirect(r, "/csp/enroll?sent=1");
}

int
page_csp_questionnaire(struct req *r)
{
	struct wizard w;
	int rc = answerable_app(r, &w, "questionnaire");
	if (rc)
		return rc;
	struct form f;
	form_read(r, questionnaire_fields, NFIELDS(questionnaire_fields), &f);
	if (f.nerrors) {
		return wizard_render(r, 422, &w, current_step(r, &w.app), &f, NULL);
	}
	json_t *answers = json_array();
	for (size_t i = 0; i < NFIELDS(questionnaire_fields); i++)
		json_array_append_new(answers, json_string(f.values[i]));
	char *json = json_dumps(answers, JSON_COMPACT);
	json_decref(answers);
	bool changed = false;
	enum db_err de = json ? db_begin() : DB_ERROR;
	if (de == DB_OK)
		de = db_csp_answers_add(r->a, w.app.id, json, r->user->id);
	if (de == DB_OK)
		de = db_csp_transition(r->a, w.app.id, "info_requested", "pending_review", NULL, NULL,
		                       NULL, &changed);
	if (de == DB_OK)
		de = audit_record(r, "csp.questionnaire", arena_printf(r->a, "csp:%lld", w.app.id), NULL,
		                  json_pack("{s:s}", "status", "pending_review"));
	free(json);
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/csp/enroll?sent=1");
}

/* Sends a stored document (the caller checked who may read it). */
int
csp_send_document(struct req *r, const struct csp_document *d)
{
	const char *path = arena_printf(r->a, "%s/documents/%s", app.state_dir, d->storage_name);
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return page_error(r, 404);
	sbuf_reset(r->body);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sbuf_add(r->body, buf, n);
	fclose(fp);
	r->status = 200;
	r->content_type_out = d->content_type;
	const char *ext = strcmp(d->content_type, "application/pdf") == 0 ? "pdf"
	                  : strcmp(d->content_type, "image/png") == 0     ? "png"
	                                                                  : "jpg";
	resp_header(r, "Content-Disposition",
	            arena_printf(r->a, "attachment; filename=\"document-%lld.%s\"", d->id, ext));
	return 200;
}

int
page_csp_document_download(struct req *r)
{
	struct wizard w;
	int rc = wizard_load(r, &w, false);
	if (rc)
		return rc;
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	struct csp_document d;
	bool found = false;
	if (*end || id <= 0 || w.app.id == 0)
		return page_error(r, 404);
	if (db_csp_document_get(r->a, w.app.id, id, &d, &found) != DB_OK)
		return page_error(r, 503);
	if (!found)
		return page_error(r, 404);
	return csp_send_document(r, &d);
}
