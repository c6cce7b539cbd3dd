/* Staff review of CSP applications (DOMAIN §3.7): the detail page (the
 * entered company beside the D&B record and the standard address, field by
 * field; warnings; DUNS match, address verdict, documents, answers, history)
 * and the decisions: approve, reject, request a document, request
 * the questionnaire. Each decision is audited and emailed to the primary
 * contact in the partner's language. Staff only (404 for everyone else). */
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "domain/review.h"
#include "pages/pages.h"

/* The decisions in the order offered: approve, the two requests, reject last. */
static const enum csp_action decision_order[] = {CSP_APPROVE, CSP_REQUEST_DOCUMENT,
                                                 CSP_REQUEST_QUESTIONNAIRE, CSP_REJECT};

static const struct form_field action_fields[] = {
    {"action", FT_ENUM, true, 1, 30, csp_decision_codes},
    {"note", FT_MULTILINE, false, 0, 2000, NULL},
};

/* The application in the path, or NULL after answering 404/503. */
static struct csp_app *
path_app(struct req *r)
{
	long long id = path_id(r->params[0]);
	struct csp_app *c = arena_alloc(r->a, sizeof(*c));
	bool found = false;
	if (id == 0) {
		page_error(r, 404);
		return NULL;
	}
	if (db_csp_get_by_id(r->a, id, c, &found) != DB_OK) {
		page_error(r, 503);
		return NULL;
	}
	if (!found || c->status == CSP_DRAFT) {
		page_error(r, 404); /* a draft is the partner's business */
		return NULL;
	}
	return c;
}

/* One row of the comparison: the entered value beside the D&B record's and
 * the standard address's (NULL: that source has no such record), each
 * marked when it differs from the entered one once normalised. */
static void
compare_row(struct req *r, struct tvars *v, const char *field, const char *label,
            enum review_field_kind kind, const char *entered, const char *dnb, const char *std)
{
	struct tvars *it = tv_item(v, "compare");
	tv_set(it, "field", field);
	tv_set(it, "label", tr(r->lang, label));
	bool country = kind == RF_COUNTRY;
	tv_set(it, "entered", country && *entered ? country_label(r, entered) : entered);
	const char *vals[] = {dnb, std}, *names[] = {"dnb", "std"};
	for (size_t i = 0; i < 2; i++) {
		const char *state = "none";
		if (vals[i]) {
			state = review_same(kind, entered, vals[i]) ? "same" : "differs";
			tv_set(it, names[i], country && *vals[i] ? country_label(r, vals[i]) : vals[i]);
			tv_bool(it, arena_printf(r->a, "%s_differs", names[i]), *state == 'd');
			if (*state == 'd')
				tv_set(it, arena_printf(r->a, "%s_class", names[i]), "differs");
			tv_bool(it, arena_printf(r->a, "%s_known", names[i]), true);
		}
		tv_set(it, arena_printf(r->a, "%s_state", names[i]), state);
	}
}

static void
compare_vars(struct req *r, struct tvars *v, const struct csp_app *c)
{
	bool duns = *c->duns != '\0', dnb_addr = duns && *c->dnb_address.line1 != '\0';
	const struct csp_address *e = &c->entered_parts;
	struct csp_address kept = {c->address_line1, c->address_line2, c->city,
	                           c->region,        c->postal_code,   c->country};
	if (!c->has_entered_parts) /* written before the parts were kept: the address kept */
		e = &kept;
	const struct csp_address *d = dnb_addr ? &c->dnb_address : NULL;
	const struct csp_address *s = c->has_std_parts ? &c->std_parts : NULL;
	compare_row(r, v, "legal_name", N_("Legal name"), RF_NAME,
	            *c->entered_name ? c->entered_name : c->legal_name, duns ? c->dnb_name : NULL,
	            NULL);
	compare_row(r, v, "address_line1", N_("Street"), RF_STREET, e->line1, d ? d->line1 : NULL,
	            s ? s->line1 : NULL);
	compare_row(r, v, "address_line2", N_("Address line 2"), RF_STREET, e->line2,
	            d ? d->line2 : NULL, s ? s->line2 : NULL);
	compare_row(r, v, "city", N_("City"), RF_CITY, e->city, d ? d->city : NULL,
	            s ? s->city : NULL);
	compare_row(r, v, "region", N_("State or region"), RF_REGION, e->region,
	            d ? d->region : NULL, s ? s->region : NULL);
	compare_row(r, v, "postal_code", N_("Postal code"), RF_POSTAL, e->postal_code,
	            d ? d->postal_code : NULL, s ? s->postal_code : NULL);
	compare_row(r, v, "country", N_("Country"), RF_COUNTRY, c->country, d ? d->country : NULL,
	            s ? c->country : NULL);
	tv_bool(v, "dnb_record", duns);
	tv_bool(v, "std_record", s != NULL);

	unsigned w = review_warnings(duns, c->dnb_confidence, c->dnb_status, c->address_verdict);
	for (unsigned i = 0; i < REVIEW_WARNINGS; i++) {
		if (!(w & (1u << i)))
			continue;
		struct tvars *it = tv_item(v, "warnings");
		tv_set(it, "code", review_warning_code(i));
		tv_set(it, "message", tr(r->lang, review_warning_message(i)));
		if ((1u << i) == RW_LOW_CONFIDENCE)
			tv_setf(it, "detail", "%d/10", c->dnb_confidence);
		else if ((1u << i) == RW_OUT_OF_BUSINESS)
			tv_set(it, "detail", c->dnb_status);
		else if ((1u << i) == RW_ADDRESS_UNVERIFIED)
			tv_set(it, "detail", tr(r->lang, csp_verdict_label(c->address_verdict)));
	}
	tv_bool(v, "has_warnings", w != 0);
}

static int
detail_render(struct req *r, int status, const struct csp_app *c, struct form *f)
{
	struct tvars *v = page_vars(r);
	tv_setf(v, "id", "%lld", c->id);
	tv_setf(v, "action_href", "/review/%lld", c->id);
	tv_set(v, "status", csp_status_code(c->status));
	tv_set(v, "status_label", tr(r->lang, csp_status_label(c->status)));
	tv_setf(v, "age_days", "%lld", c->age_days);
	tv_set(v, "tenant_name", c->tenant_name);
	tv_set(v, "partner_id", c->partner_id);
	tv_set(v, "legal_name", c->legal_name);
	tv_set(v, "company_source", csp_source_code(c->company_source));
	tv_set(v, "company_source_label", tr(r->lang, csp_source_label(c->company_source)));
	tv_set(v, "duns", c->duns);
	tv_set(v, "dnb_name", c->dnb_name);
	tv_set(v, "dnb_status", c->dnb_status);
	tv_set(v, "match_grade", c->dnb_match_grade);
	if (c->dnb_confidence > 0)
		tv_setf(v, "confidence", "%d", c->dnb_confidence);
	tv_set(v, "address", address_line(r, c->address_line1, c->address_line2, c->city,
	                                      c->region, c->postal_code, c->country, true));
	tv_set(v, "verdict", csp_verdict_code(c->address_verdict));
	tv_set(v, "verdict_label", tr(r->lang, csp_verdict_label(c->address_verdict)));
	tv_set(v, "address_choice", c->address_choice == CSP_USE_SUGGESTED ? "suggested"
	                            : c->address_choice == CSP_USE_ENTERED ? "entered"
	                                                                   : "");
	tv_set(v, "entered_address", c->entered_address);
	tv_set(v, "suggested_address", c->suggested_address);
	bool corrected = c->address_verdict == CSP_VERDICT_CORRECTED;
	tv_bool(v, "kept_entered", corrected && c->address_choice == CSP_USE_ENTERED);
	tv_bool(v, "kept_suggested", corrected && c->address_choice == CSP_USE_SUGGESTED);
	tv_set(v, "contact", arena_printf(r->a, "%s — %s — %s", c->contact_name, c->contact_email,
	                                  c->contact_phone));
	tv_set(v, "support", arena_printf(r->a, "%s — %s", c->support_email, c->support_phone));
	tv_set(v, "model", csp_model_code(c->model));
	tv_set(v, "model_label", tr(r->lang, csp_model_label(c->model)));
	tv_set(v, "billing_day", c->billing_day);
	tv_set(v, "tax_id", c->tax_id);
	tv_set(v, "submitted_at", c->submitted_at);
	tv_set(v, "request_note", c->request_note);
	tv_set(v, "decision_reason", c->decision_reason);
	tv_bool(v, "can_decide", csp_decidable(c->status));
	compare_vars(r, v, c);

	struct csp_document *docs;
	size_t nd;
	if (db_csp_documents(r->a, c->id, &docs, &nd) != DB_OK)
		return page_error(r, 503);
	for (size_t i = 0; i < nd; i++) {
		struct tvars *it = tv_item(v, "documents");
		tv_setf(it, "href", "/review/%lld/documents/%lld", c->id, docs[i].id);
		tv_set(it, "filename", docs[i].filename);
		tv_set(it, "type_label", tr(r->lang, csp_document_type_label(docs[i].document_type)));
		tv_set(it, "content_type", docs[i].content_type);
		tv_setf(it, "size_kib", "%lld", (docs[i].size + 1023) / 1024);
		tv_set(it, "uploaded_at", docs[i].uploaded_at);
	}
	tv_bool(v, "has_documents", nd > 0);

	struct csp_answers *answers;
	size_t na;
	if (db_csp_answers(r->a, c->id, &answers, &na) != DB_OK)
		return page_error(r, 503);
	for (size_t i = 0; i < na; i++) {
		json_t *arr = json_loads(answers[i].answers_json, 0, NULL);
		for (size_t q = 0; q < CSP_QUESTIONS; q++) {
			json_t *ans = json_array_get(arr, q);
			struct tvars *it = tv_item(v, "answers");
			tv_set(it, "question", tr(r->lang, csp_questions[q]));
			tv_set(it, "answer", json_is_string(ans) ? arena_strdup(r->a, json_string_value(ans))
			                                         : "");
			tv_set(it, "answered_at", answers[i].answered_at);
		}
		json_decref(arr);
	}
	tv_bool(v, "has_answers", na > 0);

	struct agreement_acceptance acc;
	bool accepted = false;
	if (db_agreement_get(r->a, c->tenant_id, c->id, &acc, &accepted) != DB_OK)
		return page_error(r, 503);
	if (accepted)
		agreement_acceptance_vars(r, v, &acc);

	struct audit_entry *hist;
	size_t nh;
	if (db_audit_for_object(r->a, csp_object(r, c->id), &hist, &nh) != DB_OK)
		return page_error(r, 503);
	for (size_t i = 0; i < nh; i++) {
		struct tvars *it = tv_item(v, "history");
		tv_setf(it, "id", "%lld", hist[i].id);
		tv_set(it, "at", hist[i].at);
		tv_set(it, "actor", hist[i].actor_email);
		tv_set(it, "action", hist[i].action);
		tv_set(it, "sentence", audit_text(r, &hist[i]));
		tv_set(it, "after", hist[i].after_json ? hist[i].after_json : "");
	}
	if (f)
		form_to_vars(f, v, r->lang);
	for (size_t i = 0; i < sizeof(decision_order) / sizeof(*decision_order); i++) {
		const char *a = csp_action_code(decision_order[i]);
		struct tvars *it = tv_item(v, "actions");
		tv_set(it, "value", a);
		tv_set(it, "id", arena_printf(r->a, "action-%s", a));
		tv_set(it, "label", tr(r->lang, csp_action_label(decision_order[i])));
		tv_bool(it, "selected", f && strcmp(form_get(f, "action"), a) == 0);
	}
	tv_bool(v, "decided", req_param(r, "done") != NULL);
	return page_render(r, status, "review_detail", v);
}

int
page_review_detail(struct req *r)
{
	struct csp_app *c = path_app(r);
	return c ? detail_render(r, 200, c, NULL) : r->status;
}

int
page_review_action(struct req *r)
{
	struct csp_app *c = path_app(r);
	if (c == NULL)
		return r->status;
	struct form f;
	form_read(r, action_fields, NFIELDS(action_fields), &f);
	enum csp_action action = csp_action_parse(form_get(&f, "action"));
	const char *note = form_get(&f, "note");
	if (f.nerrors == 0 && action != CSP_APPROVE && *note == '\0')
		form_error(&f, "note", N_("Write a note: the partner reads it in the email."));
	if (f.nerrors)
		return detail_render(r, 422, c, &f);
	const struct csp_transition *t = csp_next(c->status, action, c->request_kind);
	bool changed = false;
	enum db_err e = DB_OK;
	if (t && t->who == CSP_BY_STAFF) {
		e = db_begin();
		if (e == DB_OK)
			e = db_csp_transition(r->a, c->id, t, note, &changed);
	}
	if (e == DB_OK && !changed) {
		db_rollback(); /* not in the table, or decided meanwhile */
		form_error(&f, "action", N_("This decision does not apply to the application in its current status."));
		return detail_render(r, 409, c, &f);
	}
	if (e == DB_OK)
		e = audit_record_tenant(r, c->tenant_id, arena_printf(r->a, "csp.%s", csp_action_code(action)),
		                        csp_object(r, c->id),
		                        json_pack("{s:s}", "status", csp_status_code(c->status)),
		                        json_pack("{s:s, s:s}", "status", csp_status_code(t->to), "note", note));
	if (e == DB_OK && csp_mail(r, c, t, note) != 0)
		e = DB_ERROR;
	if (db_finish(e) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, arena_printf(r->a, "/review/%lld?done=1", c->id));
}

int
page_review_document(struct req *r)
{
	struct csp_app *c = path_app(r);
	if (c == NULL)
		return r->status;
	long long id = path_id(r->params[1]);
	struct csp_document d;
	bool found = false;
	if (id == 0)
		return page_error(r, 404);
	if (db_csp_document_get(r->a, c->id, id, &d, &found) != DB_OK)
		return page_error(r, 503);
	if (!found)
		return page_error(r, 404);
	return csp_send_document(r, &d);
}
