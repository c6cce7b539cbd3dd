/* CSP market, customers, offers and the eligibility check (CONTRACT "CSP
 * market and eligibility", DOMAIN §4): the market of an active CSP tenant
 * (the region of its CSP location's country) and the same page for staff
 * about any partner ID; the CSP's customers (another company's are 404);
 * the offers catalog; the eligibility check for the partner (a customer
 * and an offer) and for staff (a partner ID and a customer's facts). Every
 * check lands in the audit log with its verdict. The rules are
 * domain/eligibility.h's. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/sbuf.h"
#include "db/market.h"
#include "domain/eligibility.h"
#include "domain/profiles.h"
#include "pages/pages.h"

/* ---- the partner ---- */

struct csp_ctx {
	struct csp_partner p;
	bool        active; /* an active CSP: its application active, its location ID active */
	const char *region; /* the market: the region of the CSP location's country, NULL when none */
};

static void
ctx_finish(struct csp_ctx *c)
{
	c->active = c->p.csp == CSP_ACTIVE && c->p.csp_linked && c->p.id_active &&
	            c->p.is_location;
	c->region = csp_region_of(c->p.country);
}

/* The signed-in company as a partner. 0, or 503 (answered). */
static int
ctx_of_tenant(struct req *r, struct csp_ctx *c)
{
	memset(c, 0, sizeof(*c));
	if (db_csp_partner_of_tenant(r->a, r->user->tenant_id, &c->p) != DB_OK)
		return page_error(r, 503);
	ctx_finish(c);
	return 0;
}

/* The partner vars every page shows. */
static void
ctx_vars(struct req *r, struct tvars *v, const struct csp_ctx *c)
{
	tv_bool(v, "active_csp", c->active);
	tv_set(v, "partner_name", c->p.tenant_name);
	tv_set(v, "partner_id", c->p.partner_id);
	tv_set(v, "partner_country", c->p.country);
	tv_set(v, "partner_country_name", country_label(r, c->p.country));
	tv_set(v, "csp_status_label", tr(r->lang, c->p.csp == CSP_NONE
	                                              ? N_("no application")
	                                              : csp_status_label(c->p.csp)));
	if (c->region) {
		tv_set(v, "region", c->region);
		tv_set(v, "region_name", tr(r->lang, csp_region_name(c->region)));
	}
	/* Why there is no market (or no check to run) yet. */
	if (!c->active) {
		const char *why =
		    c->p.csp == CSP_ACTIVE && !c->p.csp_linked
		        ? N_("This partner ID is not the location ID linked to the company's CSP account.")
		    : c->p.csp == CSP_ACTIVE
		        ? N_("The location ID linked to the CSP account is no longer active.")
		    : c->p.csp == CSP_NONE
		        ? N_("The company has not applied to the CSP program.")
		        : N_("The company's CSP application is not active yet: it becomes active once staff approve it and a global admin accepts the partner agreement.");
		tv_set(v, "inactive_reason", tr(r->lang, why));
	}
}

/* ---- the market ---- */

/* The market of c: its region's countries in groups by initial letter,
 * those matching the search q. */
static int
market_render(struct req *r, struct tvars *v, const struct csp_ctx *c, const char *q)
{
	ctx_vars(r, v, c);
	tv_set(v, "q", q);
	if (!c->active || c->region == NULL)
		return page_render(r, 200, "csp_market", v);
	const char **codes;
	size_t n;
	if (db_region_countries(r->a, c->region, &codes, &n) != DB_OK)
		return page_error(r, 503);
	countries_by_name(r, codes, n);
	tv_bool(v, "has_market", true);
	tv_setf(v, "market_total", "%zu", n);
	struct tvars *group = NULL;
	char letter[8] = "";
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = country_label(r, codes[i]);
		if (!csp_market_match(q, codes[i], name))
			continue;
		char slug[160], first[8];
		profile_slug(name, NULL, slug, sizeof(slug));
		snprintf(first, sizeof(first), "%c", slug[0] >= 'a' && slug[0] <= 'z' ? slug[0] - 32 : '#');
		if (group == NULL || strcmp(first, letter) != 0) {
			memcpy(letter, first, sizeof(letter));
			group = tv_item(v, "groups");
			tv_set(group, "letter", arena_strdup(r->a, first));
		}
		struct tvars *it = tv_item(group, "countries");
		tv_set(it, "code", codes[i]);
		tv_set(it, "name", name);
		shown++;
	}
	tv_setf(v, "market_shown", "%zu", shown);
	tv_bool(v, "filtered", q && *q);
	tv_bool(v, "none_found", shown == 0);
	return page_render(r, 200, "csp_market", v);
}

/* The search as typed (trimmed), "" when it is not one line of text of at
 * most 100 characters. */
static const char *
search_param(struct req *r)
{
	static const struct form_field field = {"q", FT_TEXT, false, 0, 100, NULL};
	const char *q;
	return form_validate(r->a, &field, req_param(r, "q"), &q) ? "" : q;
}

/* GET /csp/market[?q=]: the company's CSP market; a company that is not an
 * active CSP gets the reason (200). */
int
page_csp_market(struct req *r)
{
	struct csp_ctx c;
	int rc = ctx_of_tenant(r, &c);
	if (rc)
		return rc;
	struct tvars *v = page_vars(r);
	tv_set(v, "search_action", "/csp/market");
	return market_render(r, v, &c, search_param(r));
}

/* GET /staff/market?partner_id=[&q=]: the market of the CSP with that
 * location ID (staff); an unknown ID is an error next to the field (200). */
int
page_staff_market(struct req *r)
{
	struct tvars *v = page_vars(r);
	tv_bool(v, "staff_view", true);
	tv_set(v, "search_action", "/staff/market");
	const char *pid = req_param(r, "partner_id");
	static const struct form_field f_pid = {"partner_id", FT_PARTNER_ID, true, 7, 7, NULL};
	const char *value;
	const char *err = pid ? form_validate(r->a, &f_pid, pid, &value) : NULL;
	tv_set(v, "v_partner_id", pid ? value : "");
	struct csp_ctx c;
	memset(&c, 0, sizeof(c));
	bool found = false;
	if (pid && err == NULL) {
		if (db_csp_partner_by_id(r->a, value, &c.p, &found) != DB_OK)
			return page_error(r, 503);
		if (!found)
			err = N_("No partner ID has this number: check it on the partner's Identifiers page.");
	}
	if (err) {
		tv_set(v, "err_partner_id", tr(r->lang, err));
		tv_set(v, "inv_partner_id", "true");
		tv_bool(v, "has_errors", true);
	}
	if (!found)
		return page_render(r, 200, "csp_market", v);
	ctx_finish(&c);
	tv_bool(v, "partner_found", true);
	tv_set(v, "market_query", arena_printf(r->a, "partner_id=%s", value));
	return market_render(r, v, &c, search_param(r));
}

/* ---- customers ---- */

static const struct form_field customer_fields[] = {
    {"name", FT_TEXT, true, 2, 200, NULL},
    {"tenant_domain", FT_TEXT, true, 1, TENANT_DOMAIN_MAX + 1, NULL},
    {"country", FT_COUNTRY, true, 2, 2, NULL},
    {"relationship", FT_ENUM, true, 1, 16, customer_relationship_codes},
};

/* Replaces a field's value by its normal form (the validated fields only). */
static void
form_set(struct form *f, const char *name, const char *value)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			f->values[i] = value;
}

/* The customers page (status), with the posted form f (NULL: a blank one). */
static int
customers_render(struct req *r, int status, const struct csp_ctx *c, struct form *f)
{
	struct csp_customer *rows = NULL;
	size_t n = 0;
	if (c->active && db_customers(r->a, r->user->tenant_id, &rows, &n) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	ctx_vars(r, v, c);
	tv_bool(v, "has_customers", n > 0);
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "customers");
		tv_setf(it, "id", "%lld", rows[i].id);
		tv_set(it, "name", rows[i].name);
		tv_set(it, "tenant_domain", rows[i].tenant_domain);
		tv_set(it, "country", rows[i].country);
		tv_set(it, "country_name", country_label(r, rows[i].country));
		tv_set(it, "relationship", customer_relationship_code(rows[i].relationship));
		tv_set(it, "relationship_label",
		       tr(r->lang, customer_relationship_label(rows[i].relationship)));
		tv_set(it, "in_market", csp_region_has(c->region, rows[i].country) ? "yes" : "no");
		tv_bool(it, "outside", !csp_region_has(c->region, rows[i].country));
		tv_setf(it, "check_href", "/csp/eligibility?customer=%lld", rows[i].id);
	}
	const char *added = req_param(r, "added");
	if (status == 200 && added && path_id(added))
		tv_set(v, "added_notice", tr(r->lang, N_("Customer recorded. Check which offers you may sell to it.")));
	const char *sel_country = f ? form_get(f, "country") : "";
	const char *sel_rel = f ? form_get(f, "relationship") : "customer";
	country_options(r, v, sel_country);
	for (int i = 0; i < CUSTOMER_REL__MAX; i++) {
		struct tvars *it = tv_item(v, "relationships");
		tv_set(it, "value", customer_relationship_code((enum customer_relationship)i));
		tv_set(it, "label", tr(r->lang, customer_relationship_label((enum customer_relationship)i)));
		tv_bool(it, "checked", strcmp(sel_rel, customer_relationship_code(i)) == 0);
	}
	if (f)
		form_to_vars(f, v, r->lang);
	return page_render(r, status, "customers", v);
}

/* GET /customers: the company's customers and the form to record one (an
 * explanation instead for a company that is not an active CSP). */
int
page_customers(struct req *r)
{
	struct csp_ctx c;
	int rc = ctx_of_tenant(r, &c);
	return rc ? rc : customers_render(r, 200, &c, NULL);
}

/* POST /customers name, tenant_domain, country, relationship (csrf checked
 * by the router): 303 to the list; 422 with the form for a bad field or a
 * tenant domain the company already recorded; 403 with the explanation for
 * a company that is not an active CSP. */
int
page_customers_add(struct req *r)
{
	struct csp_ctx c;
	int rc = ctx_of_tenant(r, &c);
	if (rc)
		return rc;
	if (!c.active)
		return customers_render(r, 403, &c, NULL);
	struct form f;
	form_read(r, customer_fields, NFIELDS(customer_fields), &f);
	char domain[TENANT_DOMAIN_MAX + 2];
	const char *typed = form_get(&f, "tenant_domain");
	if (*typed && !tenant_domain_normalize(typed, domain, sizeof(domain)))
		form_error(&f, "tenant_domain",
		           N_("Enter the domain of the customer's tenant, like contoso.com or contoso.onmicrosoft.com."));
	if (f.nerrors)
		return customers_render(r, 422, &c, &f);
	form_set(&f, "tenant_domain", arena_strdup(r->a, domain));
	struct csp_customer cu = {
	    .tenant_id = r->user->tenant_id,
	    .name = form_get(&f, "name"),
	    .tenant_domain = form_get(&f, "tenant_domain"),
	    .country = form_get(&f, "country"),
	    .relationship = (enum customer_relationship)customer_relationship_parse(
	        form_get(&f, "relationship")),
	};
	long long id = 0;
	enum db_err e = db_begin();
	if (e == DB_OK)
		e = db_customer_add(r->a, &cu, r->user->id, &id);
	if (e == DB_OK)
		e = audit_record(r, "customer.add", arena_printf(r->a, "customer:%lld", id), NULL,
		                 json_pack("{s:s, s:s, s:s, s:s}", "name", cu.name, "tenant_domain",
		                           cu.tenant_domain, "country", cu.country, "relationship",
		                           customer_relationship_code(cu.relationship)));
	e = db_finish(e);
	if (e == DB_DUPLICATE) {
		form_error(&f, "tenant_domain",
		           N_("You already recorded a customer with this tenant domain."));
		return customers_render(r, 422, &c, &f);
	}
	if (e != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, arena_printf(r->a, "/customers?added=%lld", id));
}

/* ---- offers ---- */

/* The countries of an offer by name, joined ("All countries" for *);
 * allocates in r->a. */
static const char *
offer_countries_text(struct req *r, const struct offer *o)
{
	if (o->where.all)
		return tr(r->lang, N_("All countries"));
	const char **codes = arena_alloc(r->a, sizeof(*codes) * (o->where.n + 1));
	memcpy(codes, o->where.codes, sizeof(*codes) * o->where.n);
	countries_by_name(r, codes, o->where.n);
	struct sbuf b = {0};
	for (size_t i = 0; i < o->where.n; i++) {
		if (i)
			sbuf_adds(&b, ", ");
		sbuf_adds(&b, country_label(r, codes[i]));
	}
	const char *out = arena_strdup(r->a, b.len ? sbuf_cstr(&b) : "");
	sbuf_free(&b);
	return out;
}

/* GET /offers: the catalog. */
int
page_offers(struct req *r)
{
	struct offer *rows;
	size_t n;
	if (db_offers(r->a, &rows, &n) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	tv_bool(v, "has_offers", n > 0);
	tv_setf(v, "offer_count", "%zu", n);
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "offers");
		tv_set(it, "offer_id", rows[i].offer_id);
		tv_set(it, "name", rows[i].name);
		tv_set(it, "countries", rows[i].countries);
		tv_set(it, "countries_text", offer_countries_text(r, &rows[i]));
	}
	return page_render(r, 200, "offers", v);
}

/* ---- the eligibility check ---- */

/* The verdict on the page: data-eligible and one item of "failed" per rule,
 * with the facts its explanation names. */
static void
verdict_vars(struct req *r, struct tvars *v, const struct elig_facts *f, unsigned failed,
             const struct offer *o)
{
	tv_bool(v, "checked", true);
	tv_set(v, "eligible", failed ? "no" : "yes");
	tv_bool(v, "is_eligible", failed == 0);
	tv_set(v, "offer_name", o->name);
	tv_set(v, "offer_id", o->offer_id);
	tv_set(v, "offer_countries_text", offer_countries_text(r, o));
	tv_set(v, "customer_country", f->customer_country);
	tv_set(v, "customer_country_name", country_label(r, f->customer_country));
	tv_set(v, "customer_domain", f->customer_domain);
	const char *cregion = csp_region_of(f->customer_country);
	if (cregion)
		tv_set(v, "customer_region_name", tr(r->lang, csp_region_name(cregion)));
	for (size_t i = 0; i < f->npartner_domains; i++)
		if (tenant_domain_within(f->customer_domain, f->partner_domains[i]))
			tv_set(v, "partner_domain", f->partner_domains[i]);
	size_t nfailed = 0;
	for (int rule = 0; rule < ELIG_RULE__MAX; rule++) {
		if (!(failed & ELIG_BIT(rule)))
			continue;
		struct tvars *it = tv_item(v, "failed");
		const char *code = elig_rule_code((enum elig_rule)rule);
		tv_set(it, "code", code);
		tv_bool(it, tv_intern(it, arena_printf(r->a, "is_%s", code)), true);
		nfailed++;
	}
	tv_setf(v, "failed_count", "%zu", nfailed);
}

/* Records the check as the signed-in user (its own transaction). */
static void
verdict_audit(struct req *r, long long tenant_id, const char *object, const struct offer *o,
              const struct elig_facts *f, unsigned failed)
{
	const char *codes = "";
	for (int rule = 0; rule < ELIG_RULE__MAX; rule++)
		if (failed & ELIG_BIT(rule))
			codes = arena_printf(r->a, "%s%s%s", codes, *codes ? "," : "",
			                     elig_rule_code((enum elig_rule)rule));
	json_t *after = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "offer", o->offer_id, "partner_country",
	    f->partner_country, "customer_country", f->customer_country, "customer_domain",
	    f->customer_domain, "relationship", customer_relationship_code(f->relationship),
	    "verdict", failed ? "no" : "yes", "failed", codes);
	enum db_err e = db_begin();
	if (e == DB_OK)
		e = audit_record_tenant(r, tenant_id, "csp.eligibility", object, NULL, after);
	else
		json_decref(after);
	if (db_finish(e) != DB_OK)
		log_err("%s: the eligibility check of %s was not recorded", __func__, object);
}

/* The offers as the choices of a <select>, the one chosen selected. */
static void
offer_options(struct tvars *v, const struct offer *rows, size_t n, const char *chosen)
{
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "offer_options");
		tv_set(it, "value", rows[i].offer_id);
		tv_set(it, "label", rows[i].name);
		tv_bool(it, "selected", chosen && strcmp(chosen, rows[i].offer_id) == 0);
	}
}

/* GET /csp/eligibility[?customer=ID&offer=ID]: with both, the verdict on
 * selling that offer to that customer; the choices otherwise. Another
 * company's (or an unknown) customer is 404; an offer not in the catalog
 * is an error next to its field (200). */
int
page_csp_eligibility(struct req *r)
{
	struct csp_ctx c;
	int rc = ctx_of_tenant(r, &c);
	if (rc)
		return rc;
	const char *qcustomer = req_param(r, "customer"), *qoffer = req_param(r, "offer");
	struct csp_customer cu;
	bool have_customer = false;
	if (qcustomer && *qcustomer) {
		long long id = path_id(qcustomer);
		if (id && db_customer_get(r->a, r->user->tenant_id, id, &cu, &have_customer) != DB_OK)
			return page_error(r, 503);
		if (!have_customer)
			return page_error(r, 404);
	}
	struct csp_customer *customers;
	struct offer *offers, o;
	size_t ncustomers, noffers;
	if (db_customers(r->a, r->user->tenant_id, &customers, &ncustomers) != DB_OK ||
	    db_offers(r->a, &offers, &noffers) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	ctx_vars(r, v, &c);
	tv_bool(v, "has_customers", ncustomers > 0);
	tv_bool(v, "has_offers", noffers > 0);
	for (size_t i = 0; i < ncustomers; i++) {
		struct tvars *it = tv_item(v, "customer_options");
		tv_setf(it, "value", "%lld", customers[i].id);
		tv_set(it, "label", arena_printf(r->a, "%s (%s, %s)", customers[i].name,
		                                 customers[i].tenant_domain,
		                                 country_label(r, customers[i].country)));
		tv_bool(it, "selected", have_customer && customers[i].id == cu.id);
	}
	offer_options(v, offers, noffers, qoffer);
	bool have_offer = false;
	if (qoffer && *qoffer) {
		if (offer_id_valid(qoffer) && db_offer_get(r->a, qoffer, &o, &have_offer) != DB_OK)
			return page_error(r, 503);
		if (!have_offer) {
			tv_set(v, "err_offer", tr(r->lang, N_("This offer is not in the catalog: choose one from the list.")));
			tv_set(v, "inv_offer", "true");
			tv_bool(v, "has_errors", true);
		}
	} else if (qcustomer && *qcustomer) {
		tv_set(v, "err_offer", tr(r->lang, N_("Choose an offer.")));
		tv_set(v, "inv_offer", "true");
		tv_bool(v, "has_errors", true);
	}
	if (qoffer && *qoffer && !(qcustomer && *qcustomer)) {
		tv_set(v, "err_customer", tr(r->lang, N_("Choose a customer.")));
		tv_set(v, "inv_customer", "true");
		tv_bool(v, "has_errors", true);
	}
	if (!have_customer || !have_offer)
		return page_render(r, 200, "csp_eligibility", v);
	struct elig_facts f = {
	    .active_csp = c.active,
	    .partner_country = c.p.country,
	    .partner_domains = c.p.domains,
	    .npartner_domains = c.p.ndomains,
	    .customer_country = cu.country,
	    .customer_domain = cu.tenant_domain,
	    .relationship = cu.relationship,
	    .offer = o.where,
	};
	unsigned failed = elig_check(&f);
	tv_set(v, "customer_name", cu.name);
	verdict_vars(r, v, &f, failed, &o);
	verdict_audit(r, r->user->tenant_id, arena_printf(r->a, "customer:%lld", cu.id), &o, &f,
	              failed);
	return page_render(r, 200, "csp_eligibility", v);
}

static const struct form_field staff_check_fields[] = {
    {"partner_id", FT_PARTNER_ID, true, 7, 7, NULL},
    {"customer_country", FT_COUNTRY, true, 2, 2, NULL},
    {"customer_domain", FT_TEXT, true, 1, TENANT_DOMAIN_MAX + 1, NULL},
    {"offer", FT_TEXT, true, 1, OFFER_ID_MAX, NULL},
    {"relationship", FT_ENUM, false, 0, 16, customer_relationship_codes},
};

/* GET /staff/eligibility[?partner_id=&customer_country=&customer_domain=&offer=
 * [&relationship=]]: the same check for staff about any partner. A form
 * with errors next to the fields (an unknown partner ID or offer included)
 * answers 200 without a verdict. */
int
page_staff_eligibility(struct req *r)
{
	struct offer *offers, o;
	size_t noffers;
	if (db_offers(r->a, &offers, &noffers) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	tv_bool(v, "staff_check", true);
	tv_bool(v, "has_offers", noffers > 0);
	bool asked = false;
	for (size_t i = 0; i < NFIELDS(staff_check_fields); i++)
		asked = asked || req_param(r, staff_check_fields[i].name) != NULL;
	/* The fields come in the query (a GET form): validated as a posted form
	 * would be, once anything was asked. */
	struct form f = {staff_check_fields, NFIELDS(staff_check_fields), NULL, NULL, 0};
	f.values = arena_alloc(r->a, sizeof(char *) * f.n);
	f.errors = arena_alloc(r->a, sizeof(char *) * f.n);
	for (size_t i = 0; i < f.n; i++) {
		f.values[i] = "";
		f.errors[i] = NULL;
		if (asked)
			f.errors[i] = form_validate(r->a, &f.fields[i], req_param(r, f.fields[i].name),
			                            &f.values[i]);
		f.nerrors += f.errors[i] != NULL;
	}
	struct csp_ctx c;
	memset(&c, 0, sizeof(c));
	char domain[TENANT_DOMAIN_MAX + 2];
	bool found = false, have_offer = false;
	if (asked) {
		const char *typed = form_get(&f, "customer_domain");
		if (*typed && !tenant_domain_normalize(typed, domain, sizeof(domain)))
			form_error(&f, "customer_domain",
			           N_("Enter the domain of the customer's tenant, like contoso.com or contoso.onmicrosoft.com."));
		else if (*typed)
			form_set(&f, "customer_domain", arena_strdup(r->a, domain));
		const char *pid = form_get(&f, "partner_id"), *oid = form_get(&f, "offer");
		if (*pid && db_csp_partner_by_id(r->a, pid, &c.p, &found) != DB_OK)
			return page_error(r, 503);
		if (*pid && !found)
			form_error(&f, "partner_id",
			           N_("No partner ID has this number: check it on the partner's Identifiers page."));
		if (*oid && offer_id_valid(oid) && db_offer_get(r->a, oid, &o, &have_offer) != DB_OK)
			return page_error(r, 503);
		if (*oid && !have_offer)
			form_error(&f, "offer", N_("This offer is not in the catalog: choose one from the list."));
	}
	const char *rel = form_get(&f, "relationship");
	country_options(r, v, form_get(&f, "customer_country"));
	offer_options(v, offers, noffers, form_get(&f, "offer"));
	for (int i = 0; i < CUSTOMER_REL__MAX; i++) {
		struct tvars *it = tv_item(v, "relationships");
		tv_set(it, "value", customer_relationship_code((enum customer_relationship)i));
		tv_set(it, "label", tr(r->lang, customer_relationship_label((enum customer_relationship)i)));
		tv_bool(it, "checked", strcmp(*rel ? rel : "customer", customer_relationship_code(i)) == 0);
	}
	form_to_vars(&f, v, r->lang);
	if (!asked || f.nerrors)
		return page_render(r, 200, "csp_eligibility", v);
	ctx_finish(&c);
	ctx_vars(r, v, &c);
	struct elig_facts facts = {
	    .active_csp = c.active,
	    .partner_country = c.p.country,
	    .partner_domains = c.p.domains,
	    .npartner_domains = c.p.ndomains,
	    .customer_country = form_get(&f, "customer_country"),
	    .customer_domain = form_get(&f, "customer_domain"),
	    .relationship = *rel ? (enum customer_relationship)customer_relationship_parse(rel)
	                         : CUSTOMER_REL_CUSTOMER,
	    .offer = o.where,
	};
	unsigned failed = elig_check(&facts);
	tv_set(v, "customer_name", facts.customer_domain);
	verdict_vars(r, v, &facts, failed, &o);
	verdict_audit(r, c.p.tenant_id, form_get(&f, "partner_id"), &o, &facts, failed);
	return page_render(r, 200, "csp_eligibility", v);
}
