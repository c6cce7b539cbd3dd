/* The business-profile wizard's frame (DOMAIN §5): what every step loads
 * (the profile within the signed-in user's tenant, the company's live
 * partner IDs, its CSP market, the countries its other profiles use), the
 * progress indicator, and the page around each step. The rules are the
 * domain's (domain/profiles.h). */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/profiles.h"
#include "pages/pages.h"

/* The company's CSP market: the region of its active CSP application's
 * location. */
static int
csp_market_load(struct req *r, struct profile_wizard *w)
{
	w->active_csp = r->user->csp_status == CSP_ACTIVE;
	if (!w->active_csp)
		return 0;
	struct csp_app csp;
	bool found;
	if (db_csp_get(r->a, r->user->tenant_id, &csp, &found) != DB_OK)
		return page_error(r, 503);
	for (size_t i = 0; found && i < w->naccounts; i++)
		if (w->accounts[i].id == csp.partner_account_id)
			w->csp_region = csp_region_of(w->accounts[i].country);
	return 0;
}

int
profile_wizard_load(struct req *r, struct profile_wizard *w, bool lock)
{
	memset(w, 0, sizeof(*w));
	if (db_partner_accounts(r->a, r->user->tenant_id, false, false, &w->accounts,
	                        &w->naccounts) != DB_OK)
		return page_error(r, 503);
	w->enrolled = w->naccounts > 0;
	if (r->params[0]) {
		long long id = path_id(r->params[0]);
		bool found = false;
		if (id > 0 && db_profile_get(r->a, r->user->tenant_id, id, lock, &w->p, &found) != DB_OK)
			return page_error(r, 503);
		if (!found)
			return page_error(r, 404);
		if (db_profile_details(r->a, &w->p) != DB_OK ||
		    db_profile_taken_countries(r->a, r->user->tenant_id, w->p.id, &w->taken,
		                               &w->ntaken) != DB_OK)
			return page_error(r, 503);
	}
	return csp_market_load(r, w);
}

const struct partner_account *
profile_wizard_account(const struct profile_wizard *w, const char *partner_id)
{
	for (size_t i = 0; partner_id && i < w->naccounts; i++)
		if (w->accounts[i].status == PARTNER_ACTIVE &&
		    strcmp(w->accounts[i].partner_id, partner_id) == 0)
			return &w->accounts[i];
	return NULL;
}

bool
profile_in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

#define MAX_CHOSEN 400

/* The countries where the company has an active location ID, each once, by name. */
const char **
profile_location_countries(struct req *r, const struct profile_wizard *w, size_t *n)
{
	const char **out = arena_alloc(r->a, sizeof(*out) * (w->naccounts + 1));
	*n = 0;
	for (size_t i = 0; i < w->naccounts; i++) {
		const struct partner_account *a = &w->accounts[i];
		if (a->kind == PARTNER_LOCATION && a->status == PARTNER_ACTIVE &&
		    !profile_in_list(out, *n, a->country))
			out[(*n)++] = a->country;
	}
	countries_by_name(r, out, *n);
	return out;
}

enum profile_refusal
profile_location_verdict(const struct profile_wizard *w, const char *const *offered, size_t noffered,
                 const char *country)
{
	struct profile_location_facts facts = {
	    .has_active_location_id = profile_in_list(offered, noffered, country),
	    .taken_by_other = profile_in_list(w->taken, w->ntaken, country),
	    .csp = w->p.type == PROFILE_CSP,
	    .in_csp_market = csp_region_has(w->csp_region, country),
	};
	return profile_location_check(&facts);
}

/* The posted values of a repeated field, upper-cased, each once. */
const char **
profile_posted_codes(struct req *r, const char *name, size_t *n)
{
	const char **raw = arena_alloc(r->a, sizeof(*raw) * MAX_CHOSEN);
	size_t nraw = req_form_all(r, name, raw, MAX_CHOSEN);
	const char **out = arena_alloc(r->a, sizeof(*out) * (nraw + 1));
	*n = 0;
	for (size_t i = 0; i < nraw; i++) {
		char *c = arena_strdup(r->a, raw[i]);
		for (char *p = c; *p; p++)
			if (*p >= 'a' && *p <= 'z' && strcmp(name, "sell_region") != 0)
				*p = (char)(*p - 'a' + 'A');
		if (!profile_in_list(out, *n, c))
			out[(*n)++] = c;
	}
	return out;
}

const char *
profile_refusal_message(enum profile_refusal why)
{
	switch (why) {
	case PROFILE_REFUSE_NOT_CSP_TENANT:
		return N_("Only a company with an active CSP account can create a CSP profile: sign in from your CSP tenant once its enrollment is active.");
	case PROFILE_REFUSE_NO_CSP_MARKET:
		return N_("The country of your CSP location is in no CSP region, so a CSP profile has no market.");
	case PROFILE_REFUSE_PARTNER_ID_INACTIVE:
		return N_("Choose one of your company's active partner IDs.");
	case PROFILE_REFUSE_NO_LOCATION_ID:
		return N_("Your company has no active location ID in this country.");
	case PROFILE_REFUSE_LOCATION_TAKEN:
		return N_("Another profile of your company already uses this country.");
	case PROFILE_REFUSE_OUTSIDE_CSP_MARKET:
		return N_("Outside your CSP market: a CSP profile is shown only in the countries of your CSP region.");
	case PROFILE_REFUSE_IS_PUBLISH_LOCATION:
		return N_("Already a publish location of this profile.");
	case PROFILE_REFUSE_ROLE:
		return N_("Only a global admin or a profile admin manages business profiles.");
	case PROFILE_REFUSE_DELETED:
		return N_("This profile was deleted.");
	default:
		return "";
	}
}

/* The progress indicator: the first step (ID and type), the three stored
 * steps, the review; every step is reachable once the draft exists. */
static void
progress_vars(struct req *r, struct tvars *v, const struct profile_wizard *w, const char *current)
{
	static const char *const first = N_("Partner ID and type");
	struct tvars *it = tv_item(v, "steps");
	tv_set(it, "n", "1");
	tv_set(it, "title", tr(r->lang, first));
	tv_set(it, "code", "type");
	tv_bool(it, "done", w->p.id != 0);
	tv_set(it, "href", w->p.id ? arena_printf(r->a, "/profiles/%lld/type", w->p.id) : "");
	tv_bool(it, "reachable", w->p.id != 0 && strcmp(current, "type") != 0);
	if (strcmp(current, "type") == 0)
		tv_set(it, "aria_current", "step");
	for (int s = 0; s < PROFILE_STEP__MAX; s++) {
		it = tv_item(v, "steps");
		const char *code = profile_step_code(s);
		tv_setf(it, "n", "%d", s + 2);
		tv_set(it, "title", tr(r->lang, profile_step_label(s)));
		tv_set(it, "code", code);
		tv_bool(it, "done", (w->p.steps_done & PROFILE_STEP_BIT(s)) != 0);
		tv_setf(it, "href", "/profiles/%lld/%s", w->p.id, code);
		tv_bool(it, "reachable", w->p.id != 0 && strcmp(current, code) != 0);
		if (strcmp(current, code) == 0)
			tv_set(it, "aria_current", "step");
	}
	it = tv_item(v, "steps");
	tv_setf(it, "n", "%d", PROFILE_STEP__MAX + 2);
	tv_set(it, "title", tr(r->lang, N_("Review and publish")));
	tv_set(it, "code", "review");
	tv_bool(it, "done", w->p.status == PROFILE_PUBLISHED);
	tv_setf(it, "href", "/profiles/%lld/review", w->p.id);
	tv_bool(it, "reachable", w->p.id != 0 && strcmp(current, "review") != 0);
	if (strcmp(current, "review") == 0)
		tv_set(it, "aria_current", "step");
}

struct tvars *
profile_wizard_vars(struct req *r, const struct profile_wizard *w, const char *step,
                    struct form *f)
{
	struct tvars *v = page_vars(r);
	tv_bool(v, "step_type", strcmp(step, "type") == 0);
	tv_bool(v, "step_locations", strcmp(step, "locations") == 0);
	tv_bool(v, "step_markets", strcmp(step, "markets") == 0);
	tv_bool(v, "step_content", strcmp(step, "content") == 0);
	tv_bool(v, "step_review", strcmp(step, "review") == 0);
	tv_bool(v, "is_new", w->p.id == 0);
	/* The page's title: the step and the profile it is about. */
	static const struct {
		const char *step, *msgid;
	} titles[] = {{"type", N_("Managing partner ID and type")},
	              {"locations", N_("Publish locations")},
	              {"markets", N_("Sell markets")},
	              {"content", N_("Content")},
	              {"review", N_("Review and publish")},
	              {"delete", N_("Delete a business profile")}};
	const char *title = N_("Create a business profile");
	for (size_t i = 0; w->p.id && i < sizeof(titles) / sizeof(*titles); i++)
		if (strcmp(step, titles[i].step) == 0)
			title = titles[i].msgid;
	tv_set(v, "wizard_title",
	       w->p.id && *w->p.name
	           ? arena_printf(r->a, "%s — %s", tr(r->lang, title), w->p.name)
	           : tr(r->lang, title));
	progress_vars(r, v, w, step);
	if (w->p.id) {
		tv_setf(v, "profile_id", "%lld", w->p.id);
		tv_setf(v, "step_action", "/profiles/%lld/%s", w->p.id, step);
		tv_setf(v, "publish_action", "/profiles/%lld/publish", w->p.id);
		tv_set(v, "p_type", profile_type_code(w->p.type));
		tv_set(v, "p_type_label", tr(r->lang, profile_type_label(w->p.type)));
		tv_set(v, "p_status", profile_status_code(w->p.status));
		tv_set(v, "p_status_label", tr(r->lang, profile_status_label(w->p.status)));
		tv_set(v, "p_partner_id", w->p.partner_id);
		tv_set(v, "p_name", w->p.name);
		tv_set(v, "p_display_name", *w->p.name ? w->p.name : tr(r->lang, N_("(no name yet)")));
		tv_bool(v, "is_published", w->p.status == PROFILE_PUBLISHED);
		tv_set(v, "p_slug", w->p.slug);
		if (w->p.slug)
			tv_setf(v, "public_href", "/partners/%s", w->p.slug);
	}
	tv_bool(v, "csp_profile", w->p.id && w->p.type == PROFILE_CSP);
	if (w->csp_region) {
		tv_set(v, "csp_region", w->csp_region);
		tv_set(v, "csp_region_name", tr(r->lang, csp_region_name(w->csp_region)));
	}
	if (f)
		form_to_vars(f, v, r->lang);
	return v;
}

int
profile_wizard_page(struct req *r, int status, struct tvars *v)
{
	return page_render(r, status, "profile_wizard", v);
}

int
profile_step_saved(struct req *r, const struct profile_wizard *w, const char *step,
                   const char *next)
{
	log_info("tenant %lld: profile %lld step %s stored", r->user->tenant_id, w->p.id, step);
	return resp_redirect(r, arena_printf(r->a, "/profiles/%lld/%s", w->p.id, next));
}

int
profile_wizard_lock(struct req *r, struct profile_wizard *w, enum profile_post post)
{
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	int rc = profile_wizard_load(r, w, true);
	if (rc == 0 && post != PROFILE_POST_ANY)
		rc = profile_legacy_guard(r, w, post == PROFILE_POST_TYPE);
	if (rc)
		db_rollback();
	return rc;
}

void
profile_id_choices(struct req *r, struct tvars *v, const struct profile_wizard *w,
                   const char *chosen_id)
{
	for (size_t i = 0; i < w->naccounts; i++) {
		const struct partner_account *a = &w->accounts[i];
		if (a->status != PARTNER_ACTIVE)
			continue;
		struct tvars *it = tv_item(v, "ids");
		tv_set(it, "partner_id", a->partner_id);
		tv_set(it, "name", a->name);
		tv_set(it, "kind_label", tr(r->lang, partner_kind_label(a->kind)));
		tv_set(it, "country_name", country_label(r, a->country));
		tv_bool(it, "checked", chosen_id && strcmp(chosen_id, a->partner_id) == 0);
	}
}
