/* The wizard's publish locations and sell markets (DOMAIN §5): every
 * country offered with its state from the domain (checked, or greyed out
 * with the reason), and the POSTs that store the choice in one transaction.
 * None is preselected: a country is checked only once the partner chose it. */
#include <string.h>

#include "pages/pages.h"

static int
locations_render(struct req *r, int status, const struct profile_wizard *w,
                 const char *const *chosen, size_t nchosen, const char *error)
{
	struct tvars *v = profile_wizard_vars(r, w, "locations", NULL);
	size_t n;
	const char **offered = profile_location_countries(r, w, &n);
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "publish_countries");
		enum profile_refusal why = profile_location_verdict(w, offered, n, offered[i]);
		tv_set(it, "code", offered[i]);
		tv_set(it, "name", country_label(r, offered[i]));
		tv_bool(it, "checked", why == PROFILE_OK && profile_in_list(chosen, nchosen, offered[i]));
		if (why != PROFILE_OK) {
			tv_bool(it, "disabled", true);
			tv_set(it, "reason", tr(r->lang, profile_refusal_message(why)));
			tv_set(it, "refusal", profile_refusal_code(why));
		}
	}
	tv_bool(v, "no_location_countries", n == 0);
	if (error) {
		tv_set(v, "err_publish_location", tr(r->lang, error));
		tv_bool(v, "has_errors", true);
	}
	return profile_wizard_page(r, status, v);
}

int
page_profile_locations_form(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_load(r, &w, false);
	if (rc == 0)
		rc = profile_legacy_guard(r, &w, false);
	if (rc)
		return rc;
	const char **chosen = arena_alloc(r->a, sizeof(*chosen) * (w.p.nlocations + 1));
	for (size_t i = 0; i < w.p.nlocations; i++)
		chosen[i] = w.p.locations[i].country;
	return locations_render(r, 200, &w, chosen, w.p.nlocations, NULL);
}

int
page_profile_locations(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_lock(r, &w, PROFILE_POST_STEP);
	if (rc)
		return rc;
	size_t nchosen, noffered;
	const char **chosen = profile_posted_codes(r, "publish_location", &nchosen);
	const char **offered = profile_location_countries(r, &w, &noffered);
	const char *error = NULL;
	if (nchosen == 0)
		error = N_("Choose at least one publish location.");
	for (size_t i = 0; i < nchosen && !error; i++) {
		enum profile_refusal why = profile_location_verdict(&w, offered, noffered, chosen[i]);
		if (why != PROFILE_OK)
			error = profile_refusal_message(why);
	}
	enum db_err de = error ? DB_ERROR : db_profile_set_locations(r->a, &w.p, chosen, nchosen);
	if (de == DB_DUPLICATE) /* another wizard took a country meanwhile */
		error = profile_refusal_message(PROFILE_REFUSE_LOCATION_TAKEN);
	if (error) {
		db_rollback();
		return locations_render(r, 422, &w, chosen, nchosen, error);
	}
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return profile_step_saved(r, &w, "locations", "markets");
}

/* ---- sell markets ---- */

static enum profile_refusal
market_verdict(const struct profile_wizard *w, const char *country)
{
	bool publish = false;
	for (size_t i = 0; i < w->p.nlocations && !publish; i++)
		publish = strcmp(w->p.locations[i].country, country) == 0;
	struct profile_market_facts facts = {
	    .is_publish_location = publish,
	    .csp = w->p.type == PROFILE_CSP,
	    .in_csp_market = csp_region_has(w->csp_region, country),
	};
	return profile_market_check(&facts);
}

/* The regions offered: every one, or for a CSP profile its market's only. */
static bool
region_offered(const struct profile_wizard *w, const char *region)
{
	return w->p.type != PROFILE_CSP || (w->csp_region && strcmp(w->csp_region, region) == 0);
}

/* One country of the single-country lists; a country of a region chosen
 * whole is shown included (checked, and unchecked only with its region). */
static void
market_country_item(struct req *r, struct tvars *list_owner, const struct profile_wizard *w,
                    const char *code, const char *const *chosen, size_t nchosen,
                    bool region_chosen)
{
	struct tvars *it = tv_item(list_owner, "countries");
	enum profile_refusal why = market_verdict(w, code);
	tv_set(it, "code", code);
	tv_set(it, "name", country_label(r, code));
	tv_bool(it, "checked", why == PROFILE_OK &&
	                           (region_chosen || profile_in_list(chosen, nchosen, code)));
	if (why == PROFILE_OK && region_chosen) {
		tv_bool(it, "disabled", true);
		tv_set(it, "reason", tr(r->lang, N_("Included: its whole region is chosen.")));
	} else if (why != PROFILE_OK) {
		tv_bool(it, "disabled", true);
		tv_set(it, "reason", tr(r->lang, profile_refusal_message(why)));
		tv_set(it, "refusal", profile_refusal_code(why));
	}
}

static int
markets_render(struct req *r, int status, const struct profile_wizard *w,
               const char *const *chosen, size_t nchosen, const char *const *regions,
               size_t nregions, const char *error_field, const char *error)
{
	struct tvars *v = profile_wizard_vars(r, w, "markets", NULL);
	size_t ncodes, ncountries;
	const char *const *codes = csp_region_codes(&ncodes);
	const struct country *const *all = countries_sorted(r->lang, &ncountries);
	for (size_t g = 0; g < ncodes; g++) {
		if (!region_offered(w, codes[g]))
			continue;
		struct tvars *it = tv_item(v, "regions");
		tv_set(it, "code", codes[g]);
		tv_set(it, "name", tr(r->lang, csp_region_name(codes[g])));
		bool whole = profile_in_list(regions, nregions, codes[g]);
		tv_bool(it, "checked", whole);
		for (size_t i = 0; i < ncountries; i++)
			if (csp_region_has(codes[g], all[i]->code))
				market_country_item(r, it, w, all[i]->code, chosen, nchosen, whole);
	}
	if (w->p.type != PROFILE_CSP) {
		/* Countries of no CSP region, for a profile that is not a CSP one. */
		struct tvars *other = NULL;
		for (size_t i = 0; i < ncountries; i++)
			if (csp_region_of(all[i]->code) == NULL) {
				if (other == NULL)
					other = tv_item(v, "other_regions");
				market_country_item(r, other, w, all[i]->code, chosen, nchosen, false);
			}
	}
	if (error) {
		tv_set(v, arena_printf(r->a, "err_%s", error_field), tr(r->lang, error));
		tv_bool(v, "has_errors", true);
	}
	return profile_wizard_page(r, status, v);
}

int
page_profile_markets_form(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_load(r, &w, false);
	if (rc == 0)
		rc = profile_legacy_guard(r, &w, false);
	if (rc)
		return rc;
	return markets_render(r, 200, &w, w.p.markets, w.p.nmarkets, w.p.regions, w.p.nregions,
	                      NULL, NULL);
}

int
page_profile_markets(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_lock(r, &w, PROFILE_POST_STEP);
	if (rc)
		return rc;
	size_t nchosen, nregions;
	const char **chosen = profile_posted_codes(r, "sell_market", &nchosen);
	const char **regions = profile_posted_codes(r, "sell_region", &nregions);
	const char *error = NULL, *field = NULL;
	for (size_t i = 0; i < nchosen && !error; i++) {
		enum profile_refusal why = country_find(chosen[i]) ? market_verdict(&w, chosen[i])
		                                                   : PROFILE_REFUSE_NO_LOCATION_ID;
		if (why == PROFILE_REFUSE_NO_LOCATION_ID)
			error = N_("Choose countries from the list.");
		else if (why != PROFILE_OK)
			error = profile_refusal_message(why);
		field = "sell_market";
	}
	for (size_t i = 0; i < nregions && !error; i++) {
		field = "sell_region";
		if (csp_region_name(regions[i]) == NULL)
			error = N_("Choose regions from the list.");
		else if (!region_offered(&w, regions[i]))
			error = profile_refusal_message(PROFILE_REFUSE_OUTSIDE_CSP_MARKET);
	}
	if (error) {
		db_rollback();
		return markets_render(r, 422, &w, chosen, nchosen, regions, nregions, field, error);
	}
	/* A region stands for its countries, publish locations left out. */
	size_t ncountries;
	const struct country *const *all = countries_sorted(r->lang, &ncountries);
	const char **stored = arena_alloc(r->a, sizeof(*stored) * (nchosen + ncountries + 1));
	size_t nstored = 0;
	for (size_t i = 0; i < nchosen; i++)
		stored[nstored++] = chosen[i];
	for (size_t g = 0; g < nregions; g++)
		for (size_t i = 0; i < ncountries; i++)
			if (csp_region_has(regions[g], all[i]->code) &&
			    market_verdict(&w, all[i]->code) == PROFILE_OK &&
			    !profile_in_list(stored, nstored, all[i]->code))
				stored[nstored++] = all[i]->code;
	enum db_err de = db_profile_set_markets(r->a, w.p.id, stored, nstored, regions, nregions);
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return profile_step_saved(r, &w, "markets", "content");
}
