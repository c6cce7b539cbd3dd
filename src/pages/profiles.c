/* Business profiles (DOMAIN §5): the company's list, the first step
 * (managing partner ID and type) that creates the draft, the review and
 * publication, and deletion confirmed by the name. Every profile is looked up
 * within the signed-in user's tenant (profile_wizard_load): another
 * company's is a 404. The router lets only global and profile admins in. */
#include <sodium.h>
#include <string.h>

#include "core/log.h"
#include "domain/profile_content.h"
#include "pages/pages.h"

static const char *const type_codes[] = {"csp", "non_csp", NULL};
static const struct form_field type_fields[] = {
    {"partner_id", FT_PARTNER_ID, true, 7, 7, NULL},
    {"type", FT_ENUM, true, 1, 10, type_codes},
};
static const struct form_field confirm_fields[] = {
    {"confirm", FT_TEXT, true, 1, 100, NULL},
};

static void
list_vars(struct req *r, struct tvars *v, const struct profile *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct profile *p = &rows[i];
		struct tvars *it = tv_item(v, "profiles");
		tv_setf(it, "id", "%lld", p->id);
		tv_set(it, "partner_id", p->partner_id);
		tv_set(it, "type", profile_type_code(p->type));
		tv_set(it, "type_label", tr(r->lang, profile_type_label(p->type)));
		tv_set(it, "status", profile_status_code(p->status));
		tv_set(it, "status_label", tr(r->lang, profile_status_label(p->status)));
		tv_set(it, "name", *p->name ? p->name : tr(r->lang, N_("(no name yet)")));
		tv_set(it, "updated", p->updated_at);
		struct sbuf names = {0};
		for (const char *c = p->location_list; *c;) {
			size_t len = strcspn(c, ",");
			sbuf_printf(&names, "%s%s", names.len ? ", " : "",
			            country_label(r, arena_strndup(r->a, c, len)));
			c += len + (c[len] == ',');
		}
		tv_set(it, "locations", arena_strdup(r->a, sbuf_cstr(&names)));
		sbuf_free(&names);
		/* A migrated legacy profile is a modern one (DOMAIN §6). */
		if (p->legacy && !p->migrated)
			tv_set(it, "legacy_flag", "yes");
		if (p->legacy && p->linked)
			tv_set(it, "linked", "pga");
		enum profile_step next = profile_first_missing(p->steps_done);
		if (p->legacy && !p->migrated && !p->linked)
			tv_setf(it, "edit_href", "/profiles/%lld/migrate", p->id);
		else
			tv_setf(it, "edit_href", "/profiles/%lld/%s", p->id,
			        next == PROFILE_STEP__MAX ? "review" : profile_step_code(next));
		tv_setf(it, "delete_href", "/profiles/%lld/delete", p->id);
		if (p->status == PROFILE_PUBLISHED && p->slug)
			tv_setf(it, "public_href", "/partners/%s", p->slug);
	}
	tv_bool(v, "has_profiles", n > 0);
}

int
page_profiles(struct req *r)
{
	struct profile *rows;
	size_t n;
	struct partner_account pga;
	bool enrolled;
	if (db_profiles_list(r->a, r->user->tenant_id, &rows, &n) != DB_OK ||
	    db_partner_pga(r->a, r->user->tenant_id, &pga, &enrolled) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	tv_bool(v, "not_enrolled", !enrolled);
	list_vars(r, v, rows, n);
	const char *done = req_param(r, "done");
	tv_bool(v, "published_notice", done && strcmp(done, "publish") == 0);
	tv_bool(v, "deleted_notice", done && strcmp(done, "delete") == 0);
	tv_bool(v, "migrated_notice", done && strcmp(done, "migrate") == 0);
	if (migration_banner_vars(r, v) != 0)
		return page_error(r, 503);
	return page_render(r, 200, "profiles", v);
}

/* The choices of the first step: the company's active IDs and the two
 * types, CSP greyed out with the reason when it is refused. */
static void
type_choices(struct req *r, struct tvars *v, const struct profile_wizard *w, const char *chosen_id,
             const char *chosen_type)
{
	profile_id_choices(r, v, w, chosen_id);
	for (int t = 0; t < PROFILE_TYPE__MAX; t++) {
		struct tvars *it = tv_item(v, "types");
		tv_set(it, "value", profile_type_code(t));
		tv_set(it, "label", tr(r->lang, profile_type_label(t)));
		enum profile_refusal why = profile_type_check(t, w->active_csp, w->csp_region != NULL);
		if (why != PROFILE_OK) {
			tv_bool(it, "disabled", true);
			tv_set(it, "reason", tr(r->lang, profile_refusal_message(why)));
			tv_set(it, "refusal", profile_refusal_code(why));
		}
		tv_bool(it, "checked", why == PROFILE_OK && chosen_type &&
		                           strcmp(chosen_type, profile_type_code(t)) == 0);
	}
	tv_bool(v, "not_enrolled", !w->enrolled);
}

static int
type_render(struct req *r, int status, const struct profile_wizard *w, struct form *f)
{
	struct tvars *v = profile_wizard_vars(r, w, "type", f);
	const char *id = f ? form_get(f, "partner_id") : w->p.id ? w->p.partner_id : NULL;
	const char *type = f ? form_get(f, "type") : w->p.id ? profile_type_code(w->p.type) : NULL;
	type_choices(r, v, w, id, type);
	tv_set(v, "type_action", w->p.id ? arena_printf(r->a, "/profiles/%lld/type", w->p.id)
	                                 : "/profiles/new");
	return profile_wizard_page(r, status, v);
}

/* Reads and checks the first step's form: the account chosen in *acc. */
static void
type_read(struct req *r, const struct profile_wizard *w, struct form *f,
          const struct partner_account **acc, enum profile_type *type)
{
	form_read(r, type_fields, NFIELDS(type_fields), f);
	*acc = NULL;
	if (!w->enrolled)
		form_error(f, "partner_id",
		           N_("Your company is not in the partner program yet: join it to get a partner ID first."));
	else if (!f->errors[0] && (*acc = profile_wizard_account(w, form_get(f, "partner_id"))) == NULL)
		form_error(f, "partner_id", profile_refusal_message(PROFILE_REFUSE_PARTNER_ID_INACTIVE));
	int t = profile_type_parse(form_get(f, "type"));
	*type = t < 0 ? PROFILE_NON_CSP : (enum profile_type)t;
	if (t >= 0) {
		enum profile_refusal why = profile_type_check(*type, w->active_csp, w->csp_region != NULL);
		if (why != PROFILE_OK)
			form_error(f, "type", profile_refusal_message(why));
	}
}

int
page_profile_new_form(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_load(r, &w, false);
	return rc ? rc : type_render(r, 200, &w, NULL);
}

int
page_profile_new(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_load(r, &w, false);
	if (rc)
		return rc;
	struct form f;
	const struct partner_account *acc;
	enum profile_type type;
	type_read(r, &w, &f, &acc, &type);
	if (f.nerrors)
		return type_render(r, 422, &w, &f);
	long long id = 0;
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_profile_create(r->a, r->user->tenant_id, acc->id, type, r->user->id,
		                       lang_code(r->lang), &id);
	if (de == DB_OK)
		de = audit_record(r, "profile.create", arena_printf(r->a, "profile:%lld", id), NULL,
		                  json_pack("{s:s, s:s}", "partner_id", acc->partner_id, "type",
		                            profile_type_code(type)));
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	w.p.id = id;
	return profile_step_saved(r, &w, "type", "locations");
}

int
page_profile_type_form(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_load(r, &w, false);
	if (rc == 0)
		rc = profile_legacy_guard(r, &w, true);
	return rc ? rc : type_render(r, 200, &w, NULL);
}

/* A change of the managing ID or of the type after creation: a CSP profile
 * keeps its countries inside the CSP market. */
int
page_profile_type(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_lock(r, &w, PROFILE_POST_TYPE);
	if (rc)
		return rc;
	enum db_err de = DB_OK;
	struct form f;
	const struct partner_account *acc;
	enum profile_type type;
	type_read(r, &w, &f, &acc, &type);
	if (!f.nerrors && type == PROFILE_CSP) {
		bool outside = false;
		for (size_t i = 0; i < w.p.nlocations; i++)
			outside = outside || !csp_region_has(w.csp_region, w.p.locations[i].country);
		for (size_t i = 0; i < w.p.nmarkets; i++)
			outside = outside || !csp_region_has(w.csp_region, w.p.markets[i]);
		if (outside)
			form_error(&f, "type", N_("Some publish locations or sell markets of this profile are outside your CSP market: remove them first."));
	}
	if (f.nerrors) {
		db_rollback();
		return type_render(r, 422, &w, &f);
	}
	de = db_profile_set_partner(r->a, w.p.id, acc->id, type);
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return profile_step_saved(r, &w, "type", "locations");
}

/* The labels of a profile's choices, as one item each of list. */
static void
review_choices(struct req *r, struct tvars *v, const char *list,
               const struct profile_choice *(*choices)(size_t *), const char *const *codes,
               size_t n)
{
	size_t nc;
	const struct profile_choice *c = choices(&nc);
	for (size_t i = 0; i < n; i++) {
		const char *label = profile_choice_label(c, nc, codes[i]);
		tv_set(tv_item(v, list), "label", label ? tr(r->lang, label) : codes[i]);
	}
}

/* The review's summary and what is missing before publication. */
static void
review_vars(struct req *r, struct tvars *v, const struct profile_wizard *w)
{
	const struct profile *p = &w->p;
	const char **codes = arena_alloc(r->a, sizeof(*codes) * (p->nlocations + 1));
	for (size_t i = 0; i < p->nlocations; i++)
		codes[i] = p->locations[i].country;
	countries_by_name(r, codes, p->nlocations);
	for (size_t i = 0; i < p->nlocations; i++) {
		const struct profile_location *l = NULL;
		for (size_t j = 0; j < p->nlocations && !l; j++)
			if (p->locations[j].country == codes[i])
				l = &p->locations[j];
		struct tvars *it = tv_item(v, "r_locations");
		tv_set(it, "code", l->country);
		tv_set(it, "name", country_label(r, l->country));
		tv_set(it, "description", l->description);
		tv_bool(it, "has_description", *l->description);
	}
	const char **markets = arena_alloc(r->a, sizeof(*markets) * (p->nmarkets + 1));
	memcpy(markets, p->markets, sizeof(*markets) * p->nmarkets);
	countries_by_name(r, markets, p->nmarkets);
	for (size_t i = 0; i < p->nmarkets; i++) {
		struct tvars *it = tv_item(v, "r_markets");
		tv_set(it, "code", markets[i]);
		tv_set(it, "name", country_label(r, markets[i]));
	}
	review_choices(r, v, "r_areas", profile_solution_areas, p->solution_areas,
	               p->nsolution_areas);
	review_choices(r, v, "r_industries", profile_industries, p->industries, p->nindustries);
	review_choices(r, v, "r_languages", profile_common_languages, p->languages, p->nlanguages);
	tv_set(v, "r_email_language", strcmp(p->lang, "fr") == 0 ? tr(r->lang, N_("French"))
	                                                          : tr(r->lang, N_("English")));
	tv_bool(v, "r_no_markets", p->nmarkets == 0);
	tv_set(v, "r_description", p->description);
	tv_set(v, "r_website", p->website);
	tv_set(v, "r_lead_email", p->lead_email);
	tv_bool(v, "r_logo", *p->logo_type);
	tv_setf(v, "r_logo_href", "/profiles/%lld/logo", p->id);
	for (int s = 0; s < PROFILE_STEP__MAX; s++) {
		if (p->steps_done & PROFILE_STEP_BIT(s))
			continue;
		struct tvars *it = tv_item(v, "missing");
		tv_set(it, "step", profile_step_code(s));
		tv_set(it, "title", tr(r->lang, profile_step_label(s)));
		tv_setf(it, "href", "/profiles/%lld/%s", p->id, profile_step_code(s));
	}
	tv_bool(v, "complete", (p->steps_done & PROFILE_STEPS_ALL) == PROFILE_STEPS_ALL);
}

static int
review_render(struct req *r, int status, const struct profile_wizard *w, const char *error)
{
	struct tvars *v = profile_wizard_vars(r, w, "review", NULL);
	review_vars(r, v, w);
	if (error) {
		tv_set(v, "err_publish", tr(r->lang, error));
		tv_bool(v, "has_errors", true);
	}
	return profile_wizard_page(r, status, v);
}

int
page_profile_review(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_load(r, &w, false);
	return rc ? rc : review_render(r, 200, &w, NULL);
}

/* Six lower-case letters: the slug's suffix (no digits, see profile_slug). */
static const char *
slug_suffix(struct req *r)
{
	char *s = arena_alloc(r->a, 7);
	for (int i = 0; i < 6; i++)
		s[i] = (char)('a' + randombytes_uniform(26));
	s[6] = '\0';
	return s;
}

int
page_profile_publish(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_lock(r, &w, PROFILE_POST_ANY);
	if (rc)
		return rc;
	enum db_err de = DB_OK;
	const char *error = NULL;
	enum profile_step missing = profile_first_missing(w.p.steps_done);
	enum profile_refusal why = profile_type_check(w.p.type, w.active_csp, w.csp_region != NULL);
	if (missing != PROFILE_STEP__MAX)
		error = N_("Complete every step before publishing: the steps missing are listed below.");
	else if (w.p.partner_status != PARTNER_ACTIVE)
		error = profile_refusal_message(PROFILE_REFUSE_PARTNER_ID_INACTIVE);
	else if (why != PROFILE_OK)
		error = profile_refusal_message(why);
	if (error) {
		db_rollback();
		return review_render(r, 422, &w, error);
	}
	char slug[160];
	for (int attempt = 0; attempt < 5; attempt++) {
		profile_slug(w.p.name, slug_suffix(r), slug, sizeof(slug));
		de = db_profile_publish(r->a, w.p.id, slug);
		if (de != DB_DUPLICATE)
			break;
	}
	if (de == DB_OK && w.p.status != PROFILE_PUBLISHED)
		de = audit_record(r, "profile.publish", arena_printf(r->a, "profile:%lld", w.p.id), NULL,
		                  json_pack("{s:s}", "name", w.p.name));
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	log_info("tenant %lld: profile %lld published", r->user->tenant_id, w.p.id);
	return resp_redirect(r, "/profiles?done=publish");
}

/* What the partner types to confirm a deletion: the name, or for a draft
 * that has none yet, its number. */
static const char *
confirm_text(struct req *r, const struct profile *p)
{
	return *p->name ? p->name : arena_printf(r->a, "%lld", p->id);
}

static int
delete_render(struct req *r, int status, const struct profile_wizard *w, struct form *f)
{
	struct tvars *v = profile_wizard_vars(r, w, "delete", f);
	tv_set(v, "confirm_text", confirm_text(r, &w->p));
	tv_setf(v, "delete_action", "/profiles/%lld/delete", w->p.id);
	if (f)
		tv_set(v, "v_confirm", "");
	return page_render(r, status, "profile_delete", v);
}

int
page_profile_delete_form(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_load(r, &w, false);
	return rc ? rc : delete_render(r, 200, &w, NULL);
}

int
page_profile_delete(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_lock(r, &w, PROFILE_POST_ANY);
	if (rc)
		return rc;
	enum db_err de = DB_OK;
	struct form f;
	form_read(r, confirm_fields, NFIELDS(confirm_fields), &f);
	if (!f.nerrors && strcmp(form_get(&f, "confirm"), confirm_text(r, &w.p)) != 0)
		form_error(&f, "confirm", *w.p.name ? N_("Type the profile's name exactly as shown to confirm.")
		                                    : N_("Type the draft's number exactly as shown to confirm."));
	if (f.nerrors) {
		db_rollback();
		return delete_render(r, 422, &w, &f);
	}
	de = db_profile_delete(r->a, w.p.id);
	if (de == DB_OK)
		de = audit_record(r, "profile.delete", arena_printf(r->a, "profile:%lld", w.p.id),
		                  json_pack("{s:s, s:s, s:s}", "name", w.p.name, "partner_id",
		                            w.p.partner_id, "status", profile_status_code(w.p.status)),
		                  NULL);
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	log_info("tenant %lld: profile %lld deleted", r->user->tenant_id, w.p.id);
	return resp_redirect(r, "/profiles?done=delete");
}
