/* The membership page and ISV Success (CONTRACT "Programs", DOMAIN §7,
 * seed FAQ "Comment m'inscrire au programme" and "éditeur de logiciels"):
 * one card per program (partner program, CSP, Solutions Partner, ISV
 * Success) with what it is, its status, its IDs and a link to act; the ISV
 * Success enrollment form, then its benefits and next steps. Global admin
 * or account admin of the company (the route's access). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/csp.h"
#include "db/programs.h"
#include "domain/designations.h"
#include "domain/leads.h"
#include "pages/pages.h"

static const struct form_field isv_fields[] = {
    {"solution_name", FT_TEXT, true, 2, 100, NULL},
    {"solution_url", FT_URL, true, 8, 300, NULL},
    {"stage", FT_ENUM, true, 1, 10, isv_stage_codes},
    {"builds_software", FT_TEXT, false, 0, 10, NULL},
    {"accept_terms", FT_TEXT, false, 0, 10, NULL},
};


static struct tvars *
program_item(struct req *r, struct tvars *v, enum program p, enum program_status s)
{
	struct tvars *it = tv_item(v, "programs");
	tv_set(it, "code", program_code(p));
	tv_set(it, "status", program_status_code(s));
	tv_set(it, "status_label", tr(r->lang, program_status_label(s)));
	tv_bool(it, program_code(p), true);
	tv_set(it, "heading_id", arena_printf(r->a, "program-%s", program_code(p)));
	return it;
}

/* GET /membership: one [data-program] per program with data-status. */
int
page_membership(struct req *r)
{
	struct csp_app csp = {0};
	bool csp_found = false, isv_found = false;
	struct desig_state st;
	struct isv_enrollment isv;
	if (db_csp_get(r->a, r->user->tenant_id, &csp, &csp_found) != DB_OK ||
	    db_desig_state(r->a, r->user->tenant_id, lead_day_of(time(NULL)), false, &st) != DB_OK ||
	    db_isv_get(r->a, r->user->tenant_id, &isv, &isv_found) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);

	bool partner = *r->user->pga_partner_id != '\0';
	struct tvars *it = program_item(r, v, PROGRAM_PARTNER,
	                                partner ? PROGRAM_ACTIVE : PROGRAM_NOT_ENROLLED);
	tv_set(it, "pga", r->user->pga_partner_id);

	enum program_status cs = program_csp_status(csp_found ? csp.status : CSP_NONE);
	it = program_item(r, v, PROGRAM_CSP, cs);
	if (csp_found && csp.partner_id && *csp.partner_id)
		tv_set(it, "csp_partner_id", csp.partner_id);
	if (csp_found)
		tv_set(it, "csp_model", tr(r->lang, csp_model_label(csp.model)));
	tv_bool(it, "csp_start", cs == PROGRAM_NOT_ENROLLED);

	enum desig_status ds[16];
	size_t nd = 0, enrolled = 0, qualified = 0;
	bool points = false;
	for (size_t i = 0; i < st.nareas && nd < 16; i++) {
		ds[nd++] = st.areas[i].status;
		points |= st.areas[i].has_points;
		enrolled += st.areas[i].status == DESIG_ENROLLED || st.areas[i].status == DESIG_RENEWAL_DUE;
		qualified += st.areas[i].status == DESIG_QUALIFIED;
	}
	it = program_item(r, v, PROGRAM_SOLUTIONS_PARTNER, program_solutions_status(ds, nd, points));
	tv_set(it, "pga", st.pga_partner_id);
	tv_setf(it, "enrolled_count", "%zu", enrolled);
	tv_setf(it, "qualified_count", "%zu", qualified);
	if (desig_member(&st.membership, st.today)) {
		char d[11];
		lead_day_format(desig_paid_through(&st.membership), d);
		tv_set(it, "paid_through", arena_strdup(r->a, d));
	}

	it = program_item(r, v, PROGRAM_ISV, isv_found ? PROGRAM_ENROLLED : PROGRAM_NOT_ENROLLED);
	if (isv_found) {
		tv_set(it, "solution_name", isv.solution_name);
		tv_set(it, "isv_since", isv.enrolled_at);
	}
	return page_render(r, 200, "membership", v);
}

/* The ISV Success page: the form (f the one posted) before enrollment,
 * the benefits and next steps after. */
static int
isv_render(struct req *r, int status, const struct isv_enrollment *e, struct form *f)
{
	struct tvars *v = page_vars(r);
	tv_bool(v, "partner", *r->user->pga_partner_id != '\0');
	tv_bool(v, "enrolled", e != NULL);
	tv_set(v, "status", e ? program_status_code(PROGRAM_ENROLLED)
	                      : program_status_code(PROGRAM_NOT_ENROLLED));
	if (e) {
		tv_set(v, "solution_name", e->solution_name);
		tv_set(v, "solution_url", e->solution_url);
		tv_set(v, "stage", isv_stage_code(e->stage));
		tv_set(v, "stage_label", tr(r->lang, isv_stage_label(e->stage)));
		tv_set(v, "since", e->enrolled_at);
	}
	size_t nb;
	const struct isv_benefit *b = isv_benefits(&nb);
	for (size_t i = 0; i < nb; i++) {
		struct tvars *it = tv_item(v, "benefits");
		tv_set(it, "code", b[i].code);
		tv_set(it, "label", tr(r->lang, b[i].label));
		tv_set(it, "detail", tr(r->lang, b[i].detail));
	}
	const char *chosen = f ? form_get(f, "stage") : "";
	for (int s = 0; s < ISV_STAGE__MAX; s++) {
		struct tvars *it = tv_item(v, "stages");
		tv_set(it, "code", isv_stage_code((enum isv_stage)s));
		tv_set(it, "label", tr(r->lang, isv_stage_label((enum isv_stage)s)));
		tv_set(it, "input_id", arena_printf(r->a, "stage-%s", isv_stage_code((enum isv_stage)s)));
		tv_bool(it, "checked", strcmp(chosen, isv_stage_code((enum isv_stage)s)) == 0);
	}
	if (f) {
		form_to_vars(f, v, r->lang);
		tv_bool(v, "builds_checked", strcmp(form_get(f, "builds_software"), "yes") == 0);
		tv_bool(v, "terms_checked", strcmp(form_get(f, "accept_terms"), "yes") == 0);
	}
	const char *done = req_param(r, "done");
	if (status == 200 && e && done && strcmp(done, program_status_code(PROGRAM_ENROLLED)) == 0)
		tv_set(v, "done_notice", tr(r->lang, N_("Welcome to ISV Success: your benefits are listed below.")));
	return page_render(r, status, "isv", v);
}

/* GET /membership/isv. */
int
page_isv(struct req *r)
{
	struct isv_enrollment e;
	bool found = false;
	if (db_isv_get(r->a, r->user->tenant_id, &e, &found) != DB_OK)
		return page_error(r, 503);
	return isv_render(r, 200, found ? &e : NULL, NULL);
}

/* POST /membership/isv solution_name, solution_url (http/https), stage,
 * builds_software=yes, accept_terms=yes (csrf checked by the router): 303
 * to the page, enrolled and audited; 422 with each field's message; a
 * company outside the partner program is told to join it (422 on
 * accept_terms); enrolling again changes nothing (303). */
int
page_isv_post(struct req *r)
{
	struct form f;
	form_read(r, isv_fields, NFIELDS(isv_fields), &f);
	if (strcmp(form_get(&f, "builds_software"), "yes") != 0)
		form_error(&f, "builds_software",
		           N_("ISV Success is for companies that build software: confirm that yours does."));
	if (strcmp(form_get(&f, "accept_terms"), "yes") != 0)
		form_error(&f, "accept_terms", N_("Accept the ISV Success terms to enroll."));
	else if (*r->user->pga_partner_id == '\0')
		form_error(&f, "accept_terms",
		           N_("Join the partner program first: ISV Success is one of its programs."));
	if (f.nerrors)
		return isv_render(r, 422, NULL, &f);
	int stage = isv_stage_parse(form_get(&f, "stage"));
	struct isv_enrollment e = {form_get(&f, "solution_name"), form_get(&f, "solution_url"), NULL,
	                           (enum isv_stage)stage};
	bool created = false;
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = db_isv_enroll(r->a, r->user->tenant_id, &e, r->user->id, &created);
	if (rc == DB_OK && created)
		rc = audit_record(r, "isv.enroll", r->user->pga_partner_id, NULL,
		                  json_pack("{s:s, s:s, s:s}", "solution_name", e.solution_name,
		                            "solution_url", e.solution_url, "stage",
		                            isv_stage_code(e.stage)));
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	if (created)
		log_info("isv: tenant %lld enrolled", r->user->tenant_id);
	return resp_redirect(r, arena_printf(r->a, "/membership/isv?done=%s",
	                                      program_status_code(PROGRAM_ENROLLED)));
}
