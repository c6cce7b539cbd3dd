/* Steps 2 and 3 of the CSP wizard (DOMAIN §3.3–3.4): the company by DUNS
 * lookup, by DUNS number or by hand, then its address checked by the
 * address service where it validates. When a service is down, slow or
 * answers garbage, the page says so and the manual path goes on: never a 5xx. */
#include <string.h>

#include "app/lookup.h"
#include "pages/pages.h"

static const char *const company_modes[] = {"lookup", "duns", "manual", NULL};
static const char *const address_uses[] = {"suggested", "entered", NULL};

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

/* What to say when the DUNS service could not answer (research §3). */
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

/* The company step when the DUNS service could not answer: says so and
 * opens the manual entry (200: nothing is wrong with the input). */
static int
dnb_unavailable(struct req *r, const struct csp_wizard *w, struct form *f, enum remote_err e)
{
	struct tvars *v = csp_wizard_begin(r, w, 2, f);
	tv_set(v, "service_notice", dnb_notice(r, e));
	tv_bool(v, "show_manual", true);
	return csp_wizard_page(r, 200, v);
}

/* The address a lookup searched with (optional hints, a value over its
 * bound is dropped: it only narrows D&B's search). */
struct lookup_hints {
	const char *line1, *city, *region, *postal_code;
};

static const char *
hint(struct req *r, const char *name, size_t max)
{
	const char *s = req_form(r, name);
	bool valid = true;
	if (s == NULL || utf8_length(s, &valid) > max || !valid)
		return "";
	return s;
}

static struct lookup_hints
lookup_hints(struct req *r)
{
	return (struct lookup_hints){.line1 = hint(r, "address_line1", 200),
	                             .city = hint(r, "city", 100),
	                             .region = hint(r, "region", 100),
	                             .postal_code = hint(r, "postal_code", 20)};
}

/* The search of a company's name, with the address hints that are given. */
static struct dnb_query
lookup_query(struct req *r, const char *name, const struct lookup_hints *h)
{
	return (struct dnb_query){.name = name, .country = r->user->tenant_country,
	                          .line1 = *h->line1 ? h->line1 : NULL,
	                          .city = *h->city ? h->city : NULL,
	                          .region = *h->region ? h->region : NULL,
	                          .postal_code = *h->postal_code ? h->postal_code : NULL};
}

/* The candidates, none chosen: by confidence, and among equal confidences
 * those at the company's address (the one searched with, else its legal
 * address) first, each of them marked. */
static void
candidates_vars(struct req *r, struct tvars *v, const struct csp_wizard *w,
                const struct lookup_hints *h, struct dnb_company *cands, size_t n)
{
	const struct partner_account *pga = w->enrolled ? &w->accounts[0] : NULL;
	struct csp_address ours = {.line1 = h->line1, .city = h->city,
	                           .postal_code = h->postal_code,
	                           .country = r->user->tenant_country};
	if (*h->line1 == '\0' && pga)
		ours = (struct csp_address){.line1 = pga->address_line1, .city = pga->city,
		                            .postal_code = pga->postal_code, .country = pga->country};
	bool *match = arena_alloc(r->a, n + 1);
	for (size_t i = 0; i < n; i++) {
		struct csp_address theirs = {.line1 = cands[i].line1, .city = cands[i].city,
		                             .postal_code = cands[i].postal_code,
		                             .country = cands[i].country};
		match[i] = csp_address_matches(&ours, &theirs);
	}
	/* Stable insertion sort: D&B's order stays within each group. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			bool before = cands[j].confidence > cands[j - 1].confidence ||
			              (cands[j].confidence == cands[j - 1].confidence && match[j] &&
			               !match[j - 1]);
			if (!before)
				break;
			struct dnb_company tc = cands[j];
			cands[j] = cands[j - 1];
			cands[j - 1] = tc;
			bool tm = match[j];
			match[j] = match[j - 1];
			match[j - 1] = tm;
		}
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "candidates");
		tv_set(it, "duns", cands[i].duns);
		tv_set(it, "name", cands[i].name);
		tv_setf(it, "confidence", "%d", cands[i].confidence);
		tv_set(it, "address",
		       address_line(r, cands[i].line1, cands[i].line2, cands[i].city,
		                    cands[i].region, cands[i].postal_code, cands[i].country, true));
		tv_set(it, "operating_status", cands[i].operating_status);
		tv_bool(it, "inactive", !cands[i].active);
		tv_set(it, "address_match", match[i] ? "yes" : NULL);
	}
	tv_bool(v, "has_candidates", n > 0);
	tv_bool(v, "searched", true);
	tv_bool(v, "no_candidates", n == 0);
	tv_bool(v, "show_manual", n == 0);
}

/* The address searched with, kept in the lookup form (and carried with
 * the pick: the same query tells the chosen candidate's confidence). */
static void
hint_vars(struct tvars *v, const struct lookup_hints *h)
{
	tv_set(v, "v_address_line1", h->line1);
	tv_set(v, "v_city", h->city);
	tv_set(v, "v_region", h->region);
	tv_set(v, "v_postal_code", h->postal_code);
}

/* Stores the company (and audits it as source). */
static int
store_company(struct req *r, struct csp_wizard *w, const struct csp_app *c)
{
	bool changed = false;
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = csp_wizard_draft(r, w);
	if (de == DB_OK)
		de = db_csp_set_company(r->a, w->app.id, w->app.status, c, &changed);
	if (de == DB_OK && changed) {
		const char *source = csp_source_code(c->company_source);
		json_t *after = c->company_source == CSP_SOURCE_MANUAL
		                    ? json_pack("{s:s, s:s}", "source", source, "legal_name",
		                                c->legal_name)
		                    : json_pack("{s:s, s:s, s:s, s:i}", "source", source, "duns",
		                                c->duns, "legal_name", c->legal_name, "confidence",
		                                c->dnb_confidence);
		de = audit_record(r, "csp.company", csp_object(r, w->app.id), NULL, after);
	}
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return csp_step_saved(r, "company", NULL);
}

/* The company of a DUNS number (typed, or picked from the candidates). */
static int
company_by_duns(struct req *r, struct csp_wizard *w, enum csp_company_source source)
{
	struct form f;
	form_read(r, duns_fields, NFIELDS(duns_fields), &f);
	char duns[10] = "";
	const char *searched = req_form(r, "company_name");
	struct lookup_hints h = lookup_hints(r);
	long long start = 0;
	if (f.nerrors && source == CSP_SOURCE_LOOKUP && searched && *searched) {
		/* No candidate chosen: the same candidates again, none chosen. */
		f.errors[0] = N_("Choose your company among the candidates, or type its DUNS number.");
		struct dnb_query q = lookup_query(r, searched, &h);
		struct dnb_company *cands = NULL;
		size_t n = 0;
		enum remote_err e = lookup_companies(r->a, &app.dnb, &start, &q, &cands, &n);
		struct tvars *v = csp_wizard_begin(r, w, 2, &f);
		tv_set(v, "v_company_name", searched);
		hint_vars(v, &h);
		if (e == REMOTE_OK)
			candidates_vars(r, v, w, &h, cands, n);
		return csp_wizard_page(r, 422, v);
	}
	if (f.nerrors == 0 && !csp_duns_normalize(form_get(&f, "duns"), duns))
		form_error(&f, "duns", N_("A DUNS number has 9 digits."));
	if (f.nerrors)
		return csp_wizard_render(r, 422, w, 2, &f, NULL);
	struct dnb_company co;
	enum remote_err e = lookup_company(r->a, &app.dnb, &start, duns, &co);
	if (e == REMOTE_NOT_FOUND)
		form_error(&f, "duns", N_("D&B knows no company with this DUNS number. Check it, or enter your company manually."));
	else if (e == REMOTE_INVALID)
		form_error(&f, "duns", N_("D&B refused this DUNS number. Check it, or enter your company manually."));
	else if (e != REMOTE_OK)
		return dnb_unavailable(r, w, &f, e);
	else if (!co.active)
		form_error(&f, "duns", N_("D&B lists this company as out of business."));
	else if (strcmp(co.country, r->user->tenant_country) != 0)
		form_error(&f, "duns", N_("This company is not registered in the country of your CSP account."));
	if (f.nerrors)
		return csp_wizard_render(r, 422, w, 2, &f, NULL);
	struct csp_app c = {.company_source = source, .duns = co.duns, .dnb_name = co.name,
	                    .dnb_confidence = 0, .dnb_match_grade = co.match_grade,
	                    .dnb_status = co.operating_status, .legal_name = co.name,
	                    .address_line1 = co.line1, .address_line2 = co.line2, .city = co.city,
	                    .region = co.region, .postal_code = co.postal_code, .country = co.country,
	                    .entered_name = r->user->tenant_name,
	                    .dnb_address = {co.line1, co.line2, co.city, co.region, co.postal_code,
	                                    co.country}};
	/* A company picked from the candidates keeps its confidence and match
	 * grade: the same search again (answered by the cache) tells them. */
	if (source == CSP_SOURCE_LOOKUP && searched && *searched) {
		c.entered_name = searched;
		struct dnb_query q = lookup_query(r, searched, &h);
		struct dnb_company *cands;
		size_t n = 0;
		if (lookup_companies(r->a, &app.dnb, &start, &q, &cands, &n) == REMOTE_OK)
			for (size_t i = 0; i < n; i++)
				if (strcmp(cands[i].duns, co.duns) == 0) {
					c.dnb_confidence = cands[i].confidence;
					c.dnb_match_grade = cands[i].match_grade;
				}
	}
	return store_company(r, w, &c);
}

/* A search answers 200 with its result (CONTRACT §3). */
static int
company_search(struct req *r, struct csp_wizard *w)
{
	struct form f;
	form_read(r, lookup_fields, NFIELDS(lookup_fields), &f);
	struct lookup_hints h = lookup_hints(r);
	if (f.errors[1] == NULL && strcmp(form_get(&f, "country"), r->user->tenant_country) != 0)
		form_error(&f, "country", N_("Your CSP account is in another country: look up the company registered there."));
	if (f.nerrors) {
		struct tvars *v = csp_wizard_begin(r, w, 2, &f);
		hint_vars(v, &h);
		return csp_wizard_page(r, 422, v);
	}
	struct dnb_query q = lookup_query(r, form_get(&f, "company_name"), &h);
	struct dnb_company *cands = NULL;
	size_t n = 0;
	long long start = 0;
	enum remote_err e = lookup_companies(r->a, &app.dnb, &start, &q, &cands, &n);
	if (e == REMOTE_INVALID) {
		/* The input was refused (D+ 10002, 00003): say so next to it. */
		form_error(&f, "company_name", N_("D&B refused this search. Check the company name, or enter your company manually."));
		struct tvars *v = csp_wizard_begin(r, w, 2, &f);
		hint_vars(v, &h);
		tv_bool(v, "show_manual", true);
		return csp_wizard_page(r, 422, v);
	}
	if (e != REMOTE_OK && e != REMOTE_NOT_FOUND)
		return dnb_unavailable(r, w, &f, e);
	struct tvars *v = csp_wizard_begin(r, w, 2, &f);
	hint_vars(v, &h);
	candidates_vars(r, v, w, &h, cands, n);
	return csp_wizard_page(r, 200, v);
}

static int
company_manual(struct req *r, struct csp_wizard *w)
{
	struct form f;
	form_read(r, manual_fields, NFIELDS(manual_fields), &f);
	if (f.errors[6] == NULL && strcmp(form_get(&f, "country"), r->user->tenant_country) != 0)
		form_error(&f, "country", N_("The company must be registered in the country of your CSP account."));
	if (f.nerrors) {
		struct tvars *v = csp_wizard_begin(r, w, 2, &f);
		tv_bool(v, "show_manual", true);
		return csp_wizard_page(r, 422, v);
	}
	struct csp_app c = {.company_source = CSP_SOURCE_MANUAL, .duns = "", .dnb_name = "",
	                    .dnb_match_grade = "", .dnb_status = "",
	                    .legal_name = form_get(&f, "legal_name"),
	                    .address_line1 = form_get(&f, "address_line1"),
	                    .address_line2 = form_get(&f, "address_line2"),
	                    .city = form_get(&f, "city"), .region = form_get(&f, "region"),
	                    .postal_code = form_get(&f, "postal_code"),
	                    .country = form_get(&f, "country"),
	                    .entered_name = form_get(&f, "legal_name"),
	                    .dnb_address = {"", "", "", "", "", ""}};
	return store_company(r, w, &c);
}

int
page_csp_company(struct req *r)
{
	struct csp_wizard w;
	int rc = csp_wizard_editable(r, &w);
	if (rc)
		return rc;
	struct form mf;
	form_read(r, mode_field, NFIELDS(mode_field), &mf);
	const char *mode = mf.nerrors ? "manual" : form_get(&mf, "mode");
	if (strcmp(mode, "duns") == 0) {
		const char *from = req_form(r, "source");
		return company_by_duns(r, &w, from && strcmp(from, "lookup") == 0 ? CSP_SOURCE_LOOKUP
		                                                                   : CSP_SOURCE_DUNS);
	}
	if (strcmp(mode, "lookup") == 0)
		return company_search(r, &w);
	return company_manual(r, &w);
}

static enum csp_address_check
address_check(enum remote_err e, enum address_verdict verdict)
{
	if (e == REMOTE_INVALID)
		return CSP_CHECK_REFUSED;
	if (e != REMOTE_OK)
		return CSP_CHECK_UNAVAILABLE;
	switch (verdict) {
	case ADDRESS_CONFIRMED:
		return CSP_CHECK_CONFIRMED;
	case ADDRESS_NEEDS_UNIT:
		return CSP_CHECK_NEEDS_UNIT;
	case ADDRESS_UNDELIVERABLE:
		return CSP_CHECK_UNDELIVERABLE;
	case ADDRESS_AMBIGUOUS:
		return CSP_CHECK_AMBIGUOUS;
	default:
		return CSP_CHECK_NOT_FOUND;
	}
}

/* Why an address is not usable as is, next to the field at fault. */
static void
address_refusal(struct form *f, enum csp_verdict verdict)
{
	switch (verdict) {
	case CSP_VERDICT_NEEDS_UNIT:
		form_error(f, "address_line2", N_("This address needs a suite or apartment number that the address service can confirm."));
		break;
	case CSP_VERDICT_AMBIGUOUS:
		form_error(f, "address_line1", N_("Several addresses match: add the details that tell them apart."));
		break;
	case CSP_VERDICT_UNDELIVERABLE:
		form_error(f, "address_line1", N_("The address service knows this address, but mail is not delivered there. Check it, or keep it as entered: the reviewer will check it."));
		break;
	case CSP_VERDICT_REFUSED:
		form_error(f, "address_line1", N_("The address service refused this address. Check it, or keep it as entered: the reviewer will check it."));
		break;
	default:
		form_error(f, "address_line1", N_("The address service does not know this address. Check it, or keep it as entered: the reviewer will check it."));
	}
}

static const char *
address_line_of(struct req *r, const struct postal_address *p, bool country_name)
{
	return address_line(r, p->line1, p->line2, p->city, p->region, p->postal_code, p->country,
	                    country_name);
}

int
page_csp_address(struct req *r)
{
	struct csp_wizard w;
	int rc = csp_wizard_editable(r, &w);
	if (rc)
		return rc;
	if (w.app.step < 2)
		return resp_redirect(r, "/csp/enroll");
	struct form f;
	form_read(r, address_fields, NFIELDS(address_fields), &f);
	if (f.nerrors)
		return csp_wizard_render(r, 422, &w, 3, &f, NULL);
	struct postal_address in = {.line1 = form_get(&f, "address_line1"),
	                            .line2 = form_get(&f, "address_line2"),
	                            .city = form_get(&f, "city"), .region = form_get(&f, "region"),
	                            .postal_code = form_get(&f, "postal_code"),
	                            .country = w.app.country};
	bool validated = csp_country_in_list(config_get(app.cfg, "address.validate_countries", "US"),
	                                     w.app.country);
	char zip[11];
	if (validated && strcmp(w.app.country, "US") == 0) {
		/* What the service requires, checked and normalised before it is asked. */
		switch (csp_us_address_normalize(in.region, in.postal_code, &in.region, zip)) {
		case CSP_US_BAD_STATE:
			form_error(&f, "region", N_("Enter the state: its two-letter code (CA) or its name (California)."));
			break;
		case CSP_US_BAD_ZIP:
			form_error(&f, "postal_code", N_("Enter a ZIP Code of 5 digits, or a ZIP+4 (12345-6789)."));
			break;
		case CSP_US_OK:
			in.postal_code = arena_strdup(r->a, zip);
		}
		if (f.nerrors)
			return csp_wizard_render(r, 422, &w, 3, &f, NULL);
	}
	const char *use_s = form_get(&f, "use");
	enum csp_address_use use = strcmp(use_s, "suggested") == 0 ? CSP_USE_SUGGESTED
	                           : strcmp(use_s, "entered") == 0 ? CSP_USE_ENTERED
	                                                           : CSP_USE_UNSAID;
	struct csp_app c = {.address_line1 = in.line1, .address_line2 = in.line2, .city = in.city,
	                    .region = in.region, .postal_code = in.postal_code,
	                    .address_verdict = CSP_VERDICT_NOT_CHECKED,
	                    .address_choice = CSP_USE_ENTERED, .entered_address = "",
	                    .suggested_address = "",
	                    .entered_parts = {in.line1, in.line2, in.city, in.region, in.postal_code,
	                                      in.country},
	                    .std_parts = {"", "", "", "", "", ""}};
	const char *query = NULL;
	if (validated) {
		struct postal_address std;
		enum address_verdict verdict = ADDRESS_NOT_FOUND;
		long long start = 0;
		enum remote_err e = lookup_address(r->a, &app.address, &start, &in, &std, &verdict);
		enum csp_address_check check = address_check(e, verdict);
		bool same = check == CSP_CHECK_CONFIRMED && address_same(&in, &std);
		struct csp_address_outcome o = csp_address_decide(check, same, use);
		c.entered_address = address_line_of(r, &in, false);
		if (o.next == CSP_ADDRESS_SUGGEST) {
			struct tvars *v = csp_wizard_begin(r, &w, 3, &f);
			tv_bool(v, "suggestion", true);
			tv_set(v, "suggested_address", address_line_of(r, &std, true));
			tv_set(v, "entered_address", address_line_of(r, &in, true));
			return csp_wizard_page(r, 200, v);
		}
		if (o.next == CSP_ADDRESS_REFUSE) {
			address_refusal(&f, o.verdict);
			struct tvars *v = csp_wizard_begin(r, &w, 3, &f);
			tv_bool(v, "offer_keep", true);
			return csp_wizard_page(r, 422, v);
		}
		c.address_verdict = o.verdict;
		if (o.verdict == CSP_VERDICT_VERIFIED || o.verdict == CSP_VERDICT_CORRECTED) {
			c.std_parts = (struct csp_address){std.line1, std.line2, std.city, std.region,
			                                   std.postal_code, std.country};
			c.has_std_parts = true;
		}
		if (o.verdict == CSP_VERDICT_CORRECTED)
			c.suggested_address = address_line_of(r, &std, false);
		if (o.use_suggested) {
			c.address_line1 = std.line1;
			c.address_line2 = std.line2;
			c.city = std.city;
			c.region = std.region;
			c.postal_code = std.postal_code;
			c.address_choice = CSP_USE_SUGGESTED;
		}
		if (o.verdict == CSP_VERDICT_UNVERIFIED)
			query = "unverified=1";
	}
	bool changed = false;
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = csp_wizard_draft(r, &w);
	if (de == DB_OK)
		de = db_csp_set_address(r->a, w.app.id, w.app.status, &c, &changed);
	if (de == DB_OK && changed)
		de = audit_record(r, "csp.address", csp_object(r, w.app.id), NULL,
		                  json_pack("{s:s, s:s, s:s, s:s}", "verdict",
		                            csp_verdict_code(c.address_verdict), "choice",
		                            c.address_choice == CSP_USE_SUGGESTED ? "suggested" : "entered",
		                            "entered", c.entered_address, "suggested",
		                            c.suggested_address));
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return csp_step_saved(r, "address", query);
}
