/* Legacy profiles and their migration (DOMAIN §6): the list of the
 * company's legacy profiles still to migrate with the days left, the
 * migration of one (managing partner ID, publish locations, sell markets,
 * greyed out by the wizard's rules), the banner that counts the days down,
 * and the guard that keeps the wizard's ID, location and market steps off a
 * legacy profile. The window and the verdicts are domain/migration.h's. */
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/legacy.h"
#include "domain/migration.h"
#include "pages/pages.h"

static const struct form_field migrate_fields[] = {
    {"partner_id", FT_PARTNER_ID, true, 7, 7, NULL},
};

void
migration_now(struct migration_window *w, long *today)
{
	long days = config_get_long(app.cfg, "migration.window_days", MIGRATION_WINDOW_DAYS_DEFAULT, 0,
	                            MIGRATION_WINDOW_DAYS_MAX);
	const char *ga = config_get(app.cfg, "migration.ga_date", MIGRATION_GA_DATE_DEFAULT);
	if (!migration_window_make(ga, days, w)) {
		log_err("[migration] ga_date is not a YYYY-MM-DD day: %s used", MIGRATION_GA_DATE_DEFAULT);
		migration_window_make(MIGRATION_GA_DATE_DEFAULT, days, w);
	}
	*today = migration_day_of((long long)time(NULL));
}

/* The window's facts for a page: days left, its phase, its first and last days. */
static void
window_vars(struct req *r, struct tvars *v, const struct migration_window *w, long today)
{
	char first[11], last[11];
	enum migration_phase ph = migration_phase(w, today);
	tv_setf(v, "mig_days_left", "%ld", migration_days_left(w, today));
	tv_bool(v, "mig_open", ph == MIGRATION_OPEN);
	tv_bool(v, "mig_not_yet", ph == MIGRATION_NOT_YET);
	tv_bool(v, "mig_closed", ph == MIGRATION_CLOSED);
	tv_set(v, "mig_first_day", arena_strdup(r->a, migration_day_format(w->ga, first)));
	tv_set(v, "mig_last_day",
	       arena_strdup(r->a, migration_day_format(w->ga + w->days - 1, last)));
}

int
migration_banner_vars(struct req *r, struct tvars *v)
{
	struct profile *rows;
	size_t n, nlinked;
	if (db_legacy_unmigrated(r->a, r->user->tenant_id, &rows, &n, &nlinked) != DB_OK)
		return -1;
	n -= nlinked; /* once linked to the PGA, a profile leaves the countdown */
	if (n == 0)
		return 0;
	struct migration_window w;
	long today;
	migration_now(&w, &today);
	window_vars(r, v, &w, today);
	tv_bool(v, "mig_banner", true);
	tv_setf(v, "mig_count", "%zu", n);
	return 0;
}

int
profile_legacy_guard(struct req *r, const struct profile_wizard *w, bool type_step)
{
	if (!w->p.legacy || w->p.migrated || (w->p.linked && !type_step))
		return 0;
	return resp_redirect(r, arena_printf(r->a, "/profiles/%lld/migrate", w->p.id));
}

/* The names of a comma-separated list of country codes. */
static const char *
country_names(struct req *r, const char *list)
{
	struct sbuf names = {0};
	for (const char *c = list; *c;) {
		size_t len = strcspn(c, ",");
		sbuf_printf(&names, "%s%s", names.len ? ", " : "",
		            country_label(r, arena_strndup(r->a, c, len)));
		c += len + (c[len] == ',');
	}
	const char *out = arena_strdup(r->a, sbuf_cstr(&names));
	sbuf_free(&names);
	return out;
}

/* The legacy profiles not migrated; one linked to the PGA shows why it can
 * no longer be migrated. */
int
page_legacy_profiles(struct req *r)
{
	struct profile *rows;
	size_t n, nlinked;
	if (db_legacy_unmigrated(r->a, r->user->tenant_id, &rows, &n, &nlinked) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	struct migration_window w;
	long today;
	migration_now(&w, &today);
	window_vars(r, v, &w, today);
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "legacy_profiles");
		tv_setf(it, "id", "%lld", rows[i].id);
		tv_set(it, "name", rows[i].name);
		tv_set(it, "countries", rows[i].location_list);
		tv_set(it, "country_names", country_names(r, rows[i].location_list));
		tv_set(it, "created", rows[i].created_at);
		tv_set(it, "slug", rows[i].slug);
		tv_setf(it, "public_href", "/partners/%s", rows[i].slug);
		tv_setf(it, "migrate_href", "/profiles/%lld/migrate", rows[i].id);
		if (rows[i].linked) {
			tv_set(it, "linked", "pga");
			tv_set(it, "reason", tr(r->lang, migration_refusal_message(MIGRATION_REFUSE_LINKED)));
		}
	}
	tv_bool(v, "has_legacy", n > 0);
	return page_render(r, 200, "legacy_profiles", v);
}

/* The verdict on migrating w's profile today. */
static enum migration_refusal
migrate_verdict(const struct profile_wizard *w, struct migration_window *win, long *today)
{
	migration_now(win, today);
	struct migration_facts f = {w->p.legacy, w->p.migrated, w->p.linked};
	return migration_check(win, *today, &f);
}

/* The form (or the reason it is refused): the company's active IDs, the
 * publish locations greyed out where another profile is, the sell markets
 * greyed out where chosen as a publish location. */
static int
migrate_render(struct req *r, int status, const struct profile_wizard *w, struct form *f,
               const char *const *chosen, size_t nchosen, const char *const *markets,
               size_t nmarkets, const char *error_field, const char *error)
{
	struct tvars *v = page_vars(r);
	struct migration_window win;
	long today;
	enum migration_refusal why = migrate_verdict(w, &win, &today);
	window_vars(r, v, &win, today);
	tv_setf(v, "profile_id", "%lld", w->p.id);
	tv_set(v, "p_name", w->p.name);
	tv_set(v, "p_countries", country_names(r, w->p.location_list));
	tv_set(v, "p_slug", w->p.slug);
	if (w->p.slug)
		tv_setf(v, "public_href", "/partners/%s", w->p.slug);
	tv_setf(v, "migrate_action", "/profiles/%lld/migrate", w->p.id);
	if (why != MIGRATION_OK) {
		tv_set(v, "refusal", migration_refusal_code(why));
		tv_set(v, "refusal_text", tr(r->lang, migration_refusal_message(why)));
		return page_render(r, status, "profile_migrate", v);
	}
	tv_bool(v, "may_migrate", true);
	const char *chosen_id = f ? form_get(f, "partner_id") : NULL;
	profile_id_choices(r, v, w, chosen_id);
	size_t noffered;
	const char **offered = profile_location_countries(r, w, &noffered);
	for (size_t i = 0; i < noffered; i++) {
		struct tvars *it = tv_item(v, "publish_countries");
		enum profile_refusal pr = profile_location_verdict(w, offered, noffered, offered[i]);
		tv_set(it, "code", offered[i]);
		tv_set(it, "name", country_label(r, offered[i]));
		tv_bool(it, "checked", pr == PROFILE_OK && profile_in_list(chosen, nchosen, offered[i]));
		if (pr != PROFILE_OK) {
			tv_bool(it, "disabled", true);
			tv_set(it, "reason", tr(r->lang, profile_refusal_message(pr)));
			tv_set(it, "refusal", profile_refusal_code(pr));
		}
	}
	tv_bool(v, "no_location_countries", noffered == 0);
	size_t nall;
	const struct country *const *all = countries_sorted(r->lang, &nall);
	for (size_t i = 0; i < nall; i++) {
		struct tvars *it = tv_item(v, "market_countries");
		struct profile_market_facts mf = {
		    .is_publish_location = profile_in_list(chosen, nchosen, all[i]->code)};
		enum profile_refusal mr = profile_market_check(&mf);
		tv_set(it, "code", all[i]->code);
		tv_set(it, "name", all[i]->name[r->lang]);
		tv_bool(it, "checked", mr == PROFILE_OK && profile_in_list(markets, nmarkets, all[i]->code));
		if (mr != PROFILE_OK) {
			tv_bool(it, "disabled", true);
			tv_set(it, "reason", tr(r->lang, profile_refusal_message(mr)));
			tv_set(it, "refusal", profile_refusal_code(mr));
		}
	}
	tv_bool(v, "markets_open", nmarkets > 0);
	if (f)
		form_to_vars(f, v, r->lang);
	if (error) {
		tv_set(v, arena_printf(r->a, "err_%s", error_field), tr(r->lang, error));
		tv_bool(v, "has_errors", true);
	}
	return page_render(r, status, "profile_migrate", v);
}

int
page_profile_migrate_form(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_load(r, &w, false);
	return rc ? rc : migrate_render(r, 200, &w, NULL, NULL, 0, NULL, 0, NULL, NULL);
}

/* Checks the posted choice against the wizard's rules; the first error in
 * *field and *error (a msgid), or the form's own errors. */
static void
migrate_read(struct req *r, const struct profile_wizard *w, struct form *f,
             const struct partner_account **acc, const char *const *chosen, size_t nchosen,
             const char *const *markets, size_t nmarkets, const char **field, const char **error)
{
	form_read(r, migrate_fields, NFIELDS(migrate_fields), f);
	*acc = NULL;
	*field = *error = NULL;
	if (!w->enrolled)
		form_error(f, "partner_id",
		           N_("Your company is not in the partner program yet: join it to get a partner ID first."));
	else if (!f->errors[0] && (*acc = profile_wizard_account(w, form_get(f, "partner_id"))) == NULL)
		form_error(f, "partner_id", profile_refusal_message(PROFILE_REFUSE_PARTNER_ID_INACTIVE));
	size_t noffered;
	const char **offered = profile_location_countries(r, w, &noffered);
	*field = "publish_location";
	if (nchosen == 0)
		*error = N_("Choose at least one publish location.");
	for (size_t i = 0; i < nchosen && !*error; i++) {
		enum profile_refusal why = profile_location_verdict(w, offered, noffered, chosen[i]);
		if (why != PROFILE_OK)
			*error = profile_refusal_message(why);
	}
	if (*error)
		return;
	*field = "sell_market";
	for (size_t i = 0; i < nmarkets && !*error; i++) {
		struct profile_market_facts mf = {
		    .is_publish_location = profile_in_list(chosen, nchosen, markets[i])};
		enum profile_refusal why = profile_market_check(&mf);
		if (country_find(markets[i]) == NULL)
			*error = N_("Choose countries from the list.");
		else if (why != PROFILE_OK)
			*error = profile_refusal_message(why);
	}
}

int
page_profile_migrate(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_lock(r, &w, PROFILE_POST_ANY);
	if (rc)
		return rc;
	size_t nchosen, nmarkets;
	const char **chosen = profile_posted_codes(r, "publish_location", &nchosen);
	const char **markets = profile_posted_codes(r, "sell_market", &nmarkets);
	struct migration_window win;
	long today;
	if (migrate_verdict(&w, &win, &today) != MIGRATION_OK) {
		db_rollback();
		return migrate_render(r, 422, &w, NULL, chosen, nchosen, markets, nmarkets, NULL, NULL);
	}
	struct form f;
	const struct partner_account *acc;
	const char *field, *error;
	migrate_read(r, &w, &f, &acc, chosen, nchosen, markets, nmarkets, &field, &error);
	enum db_err de = DB_ERROR;
	if (!f.nerrors && !error) {
		de = db_profile_set_locations(r->a, &w.p, chosen, nchosen);
		if (de == DB_DUPLICATE) { /* another profile took a country meanwhile */
			field = "publish_location";
			error = profile_refusal_message(PROFILE_REFUSE_LOCATION_TAKEN);
		}
	}
	if (f.nerrors || error) {
		db_rollback();
		return migrate_render(r, 422, &w, &f, chosen, nchosen, markets, nmarkets, field, error);
	}
	if (de == DB_OK)
		de = db_profile_set_markets(r->a, w.p.id, markets, nmarkets, NULL, 0);
	if (de == DB_OK)
		de = db_legacy_migrated(r->a, w.p.id, acc->id);
	if (de == DB_OK)
		de = audit_record(r, "profile.migrate", arena_printf(r->a, "profile:%lld", w.p.id), NULL,
		                  json_pack("{s:s, s:s}", "partner_id", acc->partner_id, "name", w.p.name));
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	log_info("tenant %lld: legacy profile %lld migrated", r->user->tenant_id, w.p.id);
	return resp_redirect(r, "/profiles?done=migrate");
}
