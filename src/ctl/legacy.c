/* partnerdesk-ctl legacy import and migration expire (DOMAIN §6; ctl/ctl.h). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tsv.h"
#include "core/secret.h"
#include "domain/limits.h"
#include "core/config.h"
#include "core/secret.h"
#include "db/accounts.h"
#include "db/audit.h"
#include "db/claims.h"
#include "db/leads.h"
#include "db/profiles.h"
#include "core/i18n.h"
#include "core/sbuf.h"
#include "domain/leads.h"
#include "view/template.h"
#include "db/db.h"
#include "db/partners.h"
#include "db/migrate.h"
#include "db/twofactor.h"
#include "db/legacy.h"
#include "core/i18n.h"
#include "domain/migration.h"
#include "domain/profiles.h"
#include <ctype.h>
#include <time.h>
#include "domain/twofactor.h"
#include "domain/email_rules.h"
#include "ctl/ctl.h"

/* ---- legacy profiles (DOMAIN §6) ---- */

#define LEGACY_PROGRESS_LINES 1000 /* a progress line on stderr every so many lines */

/* Appends an audit entry by the command line; returns the outcome. */
static enum db_err
ctl_audit(struct arena *a, const char *action, const char *object, json_t *after)
{
	char *json = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	struct audit_entry e = {.actor_kind = "system", .actor_email = "scripts/ctl",
	                        .action = action, .object = object, .after_json = json};
	enum db_err rc = db_audit_append(a, &e);
	free(json);
	json_decref(after);
	return rc;
}

/* The window of [migration] ga_date and window_days; -1 with a message when
 * the configuration is wrong. */
static int
ctl_window(const struct config *cfg, struct migration_window *w)
{
	const char *ga = config_get(cfg, "migration.ga_date", MIGRATION_GA_DATE_DEFAULT);
	long days = config_get_long(cfg, "migration.window_days", MIGRATION_WINDOW_DAYS_DEFAULT, 0,
	                            MIGRATION_WINDOW_DAYS_MAX);
	if (!migration_window_make(ga, days, w)) {
		fprintf(stderr, "partnerdesk-ctl: [migration] ga_date must be a YYYY-MM-DD day (not %s)\n",
		        ga);
		return -1;
	}
	return 0;
}

struct legacy_row {
	size_t      line_no;
	long long   tenant_id;
	struct legacy_line l;
};

/* Six lower-case letters (a slug's suffix has no digits: profile_slug). */
static const char *
legacy_suffix(struct arena *a)
{
	char *s = arena_alloc(a, 7);
	for (int i = 0; i < 6; i++)
		s[i] = (char)('a' + randombytes_uniform(26));
	s[6] = '\0';
	return s;
}

/* Checks one data line (line is modified) on its own and against the
 * database; returns why it is bad (allocated in a), NULL when good. */
static const char *
legacy_check(struct arena *a, size_t line_no, char *line, struct legacy_row *row,
             enum db_err *dbe)
{
	long day;
	enum legacy_line_error le = legacy_line_parse(line, &row->l, &day);
	row->line_no = line_no;
	if (le != LEGACY_LINE_OK)
		return legacy_line_error_message(le);
	if (country_find(row->l.country) == NULL)
		return arena_printf(a, "bad country: %s is not an ISO 3166-1 alpha-2 code", row->l.country);
	char *cc = arena_strdup(a, row->l.country);
	for (char *p = cc; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	row->l.country = cc;
	char *dom = arena_strdup(a, row->l.domain);
	for (char *p = dom; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	row->l.domain = dom;
	bool taken = false;
	if ((*dbe = db_legacy_tenant_of(a, dom, &row->tenant_id)) != DB_OK)
		return NULL;
	if (row->tenant_id == 0)
		return arena_printf(a, "unknown tenant domain: %s belongs to no company", dom);
	if ((*dbe = db_legacy_country_taken(a, row->tenant_id, cc, &taken)) != DB_OK)
		return NULL;
	if (taken)
		return arena_printf(a, "country taken: the company of %s already has a profile in %s",
		                    dom, cc);
	return NULL;
}

/* A bad line and why. */
struct legacy_error {
	size_t      line_no;
	const char *why;
};

static int
by_company_country(const void *x, const void *y)
{
	const struct legacy_row *a = *(const struct legacy_row *const *)x,
	                        *b = *(const struct legacy_row *const *)y;
	if (a->tenant_id != b->tenant_id)
		return a->tenant_id < b->tenant_id ? -1 : 1;
	int c = strcmp(a->l.country, b->l.country);
	return c ? c : (a->line_no > b->line_no) - (a->line_no < b->line_no);
}

static int
by_line(const void *x, const void *y)
{
	const struct legacy_error *a = x, *b = y;
	return (a->line_no > b->line_no) - (a->line_no < b->line_no);
}

/* The good lines that give a company a country an earlier line already
 * gives it (sorted, so that large files stay fast), appended to errs. */
static size_t
legacy_duplicates(struct arena *a, const struct legacy_row *rows, size_t n,
                  struct legacy_error *errs, size_t nerrs)
{
	const struct legacy_row **order = arena_alloc(a, sizeof(*order) * (n + 1));
	for (size_t i = 0; i < n; i++)
		order[i] = &rows[i];
	qsort(order, n, sizeof(*order), by_company_country);
	for (size_t i = 1; i < n; i++) {
		const struct legacy_row *first = order[i - 1];
		if (first->tenant_id != order[i]->tenant_id ||
		    strcmp(first->l.country, order[i]->l.country) != 0)
			continue;
		while (i < n && order[i]->tenant_id == first->tenant_id &&
		       strcmp(order[i]->l.country, first->l.country) == 0) {
			errs[nerrs++] = (struct legacy_error){
			    order[i]->line_no,
			    arena_printf(a, "country taken: line %zu already gives the company of %s a "
			                    "profile in %s", first->line_no, first->l.domain, first->l.country)};
			i++;
		}
	}
	return nerrs;
}

/* Demo legacy profiles of the first demo company (DOMAIN §6), published in
 * CH and BE (its modern profile is in FR); a country it already has a
 * profile in is left alone, so running the demo again adds nothing. */
enum db_err
demo_legacy(struct arena *a)
{
	static const struct {
		const char *name, *description, *country, *created_on;
	} rows[] = {
	    {"Contoso Suisse", "Conseil et migration vers le cloud pour les PME romandes depuis 2009.",
	     "CH", "2022-09-14"},
	    {"Contoso Belgique", "Cloud services for Belgian retailers and manufacturers.", "BE",
	     "2023-06-01"},
	};
	long long tenant = 0;
	enum db_err rc = db_legacy_tenant_of(a, "contoso-demo.example", &tenant);
	for (size_t i = 0; rc == DB_OK && tenant && i < sizeof(rows) / sizeof(*rows); i++) {
		bool taken = false;
		if ((rc = db_legacy_country_taken(a, tenant, rows[i].country, &taken)) != DB_OK || taken)
			continue;
		char slug[160];
		long long id;
		profile_slug(rows[i].name, legacy_suffix(a), slug, sizeof(slug));
		struct legacy_profile lp = {tenant, rows[i].name, rows[i].description,
		                            "https://contoso-demo.example", rows[i].country,
		                            rows[i].created_on, slug};
		rc = db_legacy_insert(a, &lp, &id);
	}
	return rc;
}

/* Stores the checked rows in one transaction. */
static enum db_err
legacy_store(struct arena *a, const char *path, const struct legacy_row *rows, size_t n)
{
	enum db_err rc = db_begin();
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		const struct legacy_row *r = &rows[i];
		char slug[160];
		long long id = 0;
		struct legacy_profile lp = {r->tenant_id, r->l.name, r->l.description, r->l.website,
		                            r->l.country, r->l.created_on, slug};
		for (int attempt = 0; attempt < 5; attempt++) {
			profile_slug(r->l.name, legacy_suffix(a), slug, sizeof(slug));
			rc = db_legacy_insert(a, &lp, &id);
			bool taken = false;
			if (rc == DB_DUPLICATE && db_legacy_country_taken(a, r->tenant_id, r->l.country,
			                                                  &taken) == DB_OK && taken) {
				fprintf(stderr, "%s:%zu: country taken: the company already has a profile in %s "
				                "(added meanwhile)\n", path, r->line_no, r->l.country);
				break;
			}
			if (rc != DB_DUPLICATE)
				break;
		}
		if (n >= LEGACY_PROGRESS_LINES && (i + 1) % LEGACY_PROGRESS_LINES == 0)
			fprintf(stderr, "imported %zu of %zu profiles\n", i + 1, n);
	}
	if (rc == DB_OK)
		rc = ctl_audit(a, "legacy.import", path,
		               json_pack("{s:s}", "profiles", arena_printf(a, "%zu", n)));
	return db_finish(rc);
}

/* `legacy import FILE.tsv`: every line checked first, each bad one reported
 * with its number (the header is line 1, comment lines count); nothing is
 * stored unless every line is good. */
int
cmd_legacy_import(const struct config *cfg, const char *path)
{
	if (i18n_init(config_get(cfg, "app.locale_dir", "po")) != 0) {
		fprintf(stderr, "legacy import: cannot load the country list (iso-codes)\n");
		return 1;
	}
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "legacy import: cannot open %s\n", path);
		return 1;
	}
	struct arena a;
	arena_init(&a, 1 << 16);
	size_t cap = 64, n = 0, line_no = 0, nerrs = 0;
	struct legacy_row *rows = malloc(sizeof(*rows) * cap);
	struct legacy_error *errs = malloc(sizeof(*errs) * cap);
	struct tsv_reader t;
	tsv_init(&t, f);
	char *s;
	enum db_err dbe = DB_OK;
	bool no_memory = rows == NULL || errs == NULL;
	while (!no_memory && dbe == DB_OK && (s = tsv_next(&t)) != NULL) {
		line_no = t.line_no;
		if (t.header)
			continue;
		if (n + nerrs == cap) { /* rows and errors together never pass cap */
			struct legacy_row *more = realloc(rows, sizeof(*rows) * cap * 2);
			struct legacy_error *more_errs = more ? realloc(errs, sizeof(*errs) * cap * 2) : NULL;
			rows = more ? more : rows;
			errs = more_errs ? more_errs : errs;
			if ((no_memory = more_errs == NULL))
				break;
			cap *= 2;
		}
		const char *why = legacy_check(&a, line_no, arena_strdup(&a, s), &rows[n], &dbe);
		if (why)
			errs[nerrs++] = (struct legacy_error){line_no, why};
		else if (dbe == DB_OK)
			n++;
		if (line_no % LEGACY_PROGRESS_LINES == 0)
			fprintf(stderr, "checked %zu lines\n", line_no);
	}
	tsv_free(&t);
	bool read_error = ferror(f) || no_memory;
	fclose(f);
	if (dbe == DB_OK && !read_error) {
		nerrs = legacy_duplicates(&a, rows, n, errs, nerrs);
		qsort(errs, nerrs, sizeof(*errs), by_line);
		for (size_t i = 0; i < nerrs; i++)
			fprintf(stderr, "%s:%zu: %s\n", path, errs[i].line_no, errs[i].why);
	}
	int rc = 1;
	if (dbe != DB_OK)
		fprintf(stderr, "legacy import: %s: nothing imported\n", db_strerror(dbe));
	else if (read_error)
		fprintf(stderr, "legacy import: cannot read %s: nothing imported\n", path);
	else if (nerrs)
		fprintf(stderr, "legacy import: %zu bad line(s) in %s: nothing imported\n", nerrs, path);
	else if ((dbe = legacy_store(&a, path, rows, n)) != DB_OK)
		fprintf(stderr, "legacy import: %s: nothing imported\n", db_strerror(dbe));
	else {
		printf("%zu legacy profile(s) imported\n", n);
		rc = 0;
	}
	free(errs);
	free(rows);
	arena_free(&a);
	return rc;
}

/* `migration expire [--as-of DATE]`: once the window has passed at that
 * date, links every legacy profile neither migrated nor linked to its
 * company's PGA. Running it again links nothing more. */
int
cmd_migration_expire(const struct config *cfg, int argc, char **argv)
{
	struct migration_window w;
	if (ctl_window(cfg, &w) != 0)
		return 1;
	long today = migration_day_of((long long)time(NULL));
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc &&
		    migration_day_parse(argv[i + 1], &today))
			i++;
		else {
			fprintf(stderr, "migration expire: usage: migration expire [--as-of YYYY-MM-DD]\n");
			return 2;
		}
	}
	char day[11], last[11];
	migration_day_format(today, day);
	if (migration_phase(&w, today) != MIGRATION_CLOSED) {
		migration_day_format(w.ga + w.days - 1, last);
		printf("the migration window is open until %s (as of %s): 0 legacy profile(s) linked\n",
		       last, day);
		return 0;
	}
	struct arena a;
	arena_init(&a, 4096);
	long long linked = 0, no_pga = 0;
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = db_legacy_link_all(&a, &linked, &no_pga);
	if (rc == DB_OK && linked)
		rc = ctl_audit(&a, "legacy.link_pga", day,
		               json_pack("{s:s, s:s}", "profiles", arena_printf(&a, "%lld", linked),
		                         "as_of", day));
	rc = db_finish(rc);
	arena_free(&a);
	if (rc != DB_OK) {
		fprintf(stderr, "migration expire: %s\n", db_strerror(rc));
		return 1;
	}
	printf("%lld legacy profile(s) linked to their company's PGA (as of %s)\n", linked, day);
	printf("%lld company(ies) with legacy profiles have no PGA yet\n", no_pga);
	return 0;
}
