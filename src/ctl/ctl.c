/* partnerdesk-ctl: the admin command line of an instance. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
#include "ctl/seed.h"
#include "db/directory.h"
#include "domain/twofactor.h"
#include "domain/email_rules.h"

static void
usage(FILE *f)
{
	fputs("usage: partnerdesk-ctl COMMAND\n"
	      "  migrate                                   apply the schema migrations\n"
	      "  staff add EMAIL --role reviewer|staff_admin [--name NAME] [--2fa-grace HOURS]\n"
	      "                                            add a staff user (password on stdin);\n"
	      "                                            they must set up two-factor authentication\n"
	      "                                            within HOURS (default [auth]\n"
	      "                                            staff_2fa_grace_hours, 48; 0 = at once)\n"
	      "  claims expire                             release every expired domain claim\n"
	      "                                            held only by unverified users (the\n"
	      "                                            mailer does it every 10 minutes)\n"
	      "  leads expire [--as-of YYYY-MM-DD]         mark expired every received lead older\n"
	      "                                            than 14 days at that date (default\n"
	      "                                            today, UTC); prints how many\n"
	      "  leads remind [--as-of YYYY-MM-DD]         email the referral admins of each\n"
	      "                                            received lead with 3 days or fewer\n"
	      "                                            left (once per lead); prints how many\n"
	      "  legacy import FILE.tsv                    import legacy profiles (all or nothing;\n"
	      "                                            tenant_domain name description website\n"
	      "                                            country created_on, header line first)\n"
	      "  migration expire [--as-of YYYY-MM-DD]     link every legacy profile not migrated\n"
	      "                                            to its company's PGA once the window\n"
	      "                                            has passed at that date (default today)\n"
	      "  demo                                      load demo users and companies; prints\n"
	      "                                            the logins (safe to run again)\n"
	      "  directory seed N [--seed S]               add N published business profiles of\n"
	      "                                            synthetic companies (S: the generator's\n"
	      "                                            seed, default 1); progress on stderr\n"
	      "  directory reindex                         rebuild every profile's directory rows\n"
	      "                                            and search text (after a failed write)\n"
	      "  help                                      this text\n",
	      f);
}

static int
cmd_migrate(const struct config *cfg)
{
	int n = migrate_apply(config_get(cfg, "sql.dir", "sql"));
	if (n < 0)
		return 1;
	printf("%d migration(s) applied\n", n);
	if (migrate_reference(config_get(cfg, "data.dir", "data")) != 0)
		return 1;
	return 0;
}

static int
read_password(char *buf, size_t len)
{
	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int
cmd_staff_add(const struct config *cfg, int argc, char **argv)
{
	const char *email_in = NULL, *role = NULL, *name = NULL;
	long grace = config_get_long(cfg, "auth.staff_2fa_grace_hours", TFA_STAFF_GRACE_HOURS_DEFAULT,
	                             0, TFA_STAFF_GRACE_HOURS_MAX);
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = argv[++i];
		else if (strcmp(argv[i], "--2fa-grace") == 0 && i + 1 < argc) {
			char *end = NULL;
			const char *arg = argv[++i];
			grace = strtol(arg, &end, 10);
			if (*arg == '\0' || *end != '\0' || grace < 0 || grace > TFA_STAFF_GRACE_HOURS_MAX) {
				fprintf(stderr, "staff add: --2fa-grace takes hours, 0 to %d\n",
				        TFA_STAFF_GRACE_HOURS_MAX);
				return 2;
			}
		}
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (argv[i][0] != '-' && email_in == NULL)
			email_in = argv[i];
		else {
			fprintf(stderr, "staff add: unexpected argument %s\n", argv[i]);
			return 2;
		}
	}
	char email[300];
	if (email_in == NULL || email_normalize(email_in, email, sizeof(email)) == NULL ||
	    !email_syntax_ok(email)) {
		fprintf(stderr, "staff add: give a valid email address\n");
		return 2;
	}
	if (role == NULL || (strcmp(role, "reviewer") != 0 && strcmp(role, "staff_admin") != 0)) {
		fprintf(stderr, "staff add: --role must be reviewer or staff_admin\n");
		return 2;
	}
	char password[512];
	if (read_password(password, sizeof(password)) != 0 || strlen(password) < PASSWORD_MIN_CHARS) {
		fprintf(stderr, "staff add: give a password of at least %d characters on stdin\n",
		        PASSWORD_MIN_CHARS);
		return 2;
	}
	char hash[128];
	if (password_hash(password, hash) != 0) {
		fprintf(stderr, "staff add: cannot hash the password (out of memory?)\n");
		return 1;
	}
	sodium_memzero(password, sizeof(password));
	struct arena a;
	arena_init(&a, 4096);
	char local[100];
	snprintf(local, sizeof(local), "%.*s", (int)strcspn(email, "@"), email);
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = db_staff_add(&a, email, name ? name : local, hash, role);
	if (rc == DB_OK)
		rc = db_tfa_due_set(&a, email, grace * 3600);
	if (rc == DB_OK) {
		json_t *j = json_pack("{s:s, s:s}", "email", email, "role", role);
		char *after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		struct audit_entry e = {.actor_kind = "system", .actor_email = "scripts/ctl",
		                        .action = "staff.add", .object = email, .after_json = after};
		rc = db_audit_append(&a, &e);
		free(after);
		json_decref(j);
	}
	rc = db_finish(rc);
	arena_free(&a);
	if (rc == DB_DUPLICATE) {
		fprintf(stderr, "staff add: %s already has an account\n", email);
		return 1;
	}
	if (rc != DB_OK) {
		fprintf(stderr, "staff add: %s\n", db_strerror(rc));
		return 1;
	}
	printf("staff user %s added with role %s\n", email, role);
	return 0;
}

/* The demo's leads, one or more in every status, on the first published
 * profile of the company of `email` (none without one), once: a company
 * with leads keeps them. Changed by the company's global admin, through the
 * same transitions as the pages. */
static enum db_err
demo_leads(struct arena *a, const char *email)
{
	static const struct {
		const char *name, *email, *company, *country, *phone, *message, *reason;
		long days_ago;
		enum lead_action path[2]; /* LEAD_ACTION__MAX: none */
	} leads[] = {
	    {"Élise Moreau", "elise.moreau@fourth-coffee.example", "Fourth Coffee", "FR",
	     "+33 4 72 00 00 00", "We are moving our ERP to the cloud next spring.\nCan you help?",
	     "", 1, {LEAD_ACTION__MAX, LEAD_ACTION__MAX}},
	    {"Ravi Patel", "ravi.patel@tailspin.example", "Tailspin Toys", "BE", "",
	     "We need dashboards for our 40 shops.", "", 12, {LEAD_ACTION__MAX, LEAD_ACTION__MAX}},
	    {"Hanna Berg", "hanna.berg@wingtip.example", "Wingtip Toys", "LU", "+352 20 00 00",
	     "Looking for a partner to run our Dynamics migration.", "", 5,
	     {LEAD_ACCEPT, LEAD_ACTION__MAX}},
	    {"Tom Baker", "tom.baker@adatum.example", "Adatum", "CH", "",
	     "We want a quote for three hundred seats by Friday.",
	     "We do not serve this region yet.", 9, {LEAD_DECLINE, LEAD_ACTION__MAX}},
	    {"Marta Silva", "marta.silva@lucerne.example", "Lucerne Publishing", "FR", "",
	     "Our finance team needs a new closing process.", "", 30, {LEAD_ACCEPT, LEAD_WIN}},
	    {"Omar Haddad", "omar.haddad@litware.example", "Litware", "MA", "+212 5 22 00 00 00",
	     "We compare three partners for a CRM project.",
	     "The customer chose another partner.", 40, {LEAD_ACCEPT, LEAD_LOSE}},
	    {"Nina Keller", "nina.keller@proseware.example", "Proseware", "FR", "",
	     "Please call us about a data platform.", "", 20, {LEAD_EXPIRE, LEAD_ACTION__MAX}},
	};
	struct user_row u;
	bool found = false;
	enum db_err rc = db_user_by_email(a, email, &u, &found);
	long long n = 0;
	if (rc != DB_OK || !found || (rc = db_leads_count(a, u.tenant_id, &n)) != DB_OK || n > 0)
		return rc;
	struct profile *list;
	size_t np = 0;
	if ((rc = db_profiles_list(a, u.tenant_id, &list, &np)) != DB_OK)
		return rc;
	const struct profile *p = NULL;
	for (size_t i = 0; i < np && !p; i++)
		if (list[i].status == PROFILE_PUBLISHED)
			p = &list[i];
	if (p == NULL)
		return DB_OK;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	for (size_t i = 0; i < sizeof(leads) / sizeof(*leads) && rc == DB_OK; i++) {
		struct lead_request l = {.profile_id = p->id, .name = leads[i].name,
		                         .email = leads[i].email, .company = leads[i].company,
		                         .country = leads[i].country, .phone = leads[i].phone,
		                         .message = leads[i].message, .lang = "en"};
		long long id = 0;
		rc = db_lead_create(a, &l, &id);
		if (rc == DB_OK)
			rc = db_lead_backdate(a, id, leads[i].days_ago);
		enum lead_status at = LEAD_RECEIVED;
		for (int k = 0; k < 2 && rc == DB_OK && leads[i].path[k] != LEAD_ACTION__MAX; k++) {
			const struct lead_transition *t = lead_next(at, leads[i].path[k]);
			bool changed = false;
			rc = db_lead_transition(a, id, t, "1970-01-01",
			                        t->who == LEAD_BY_USER ? u.id : 0,
			                        t->reason_required ? leads[i].reason : "", &changed);
			at = t->to;
		}
	}
	return db_finish(rc);
}
static enum db_err demo_legacy(struct arena *a);

/* Demo data: a reviewer and two partner companies with a verified global
 * admin each, the first one enrolled in the partner program. Existing accounts are kept, so running it again is harmless. */
static int
cmd_demo(void)
{
	static const struct {
		const char *company, *country, *email, *name;
		bool enrolled;
	} companies[] = {
	    {"Contoso SARL", "FR", "camille.martin@contoso-demo.example", "Camille Martin", true},
	    {"Fabrikam Inc.", "US", "jordan.lee@fabrikam-demo.example", "Jordan Lee", false},
	};
	const char *password = "partnerdesk-demo";
	char hash[128];
	if (password_hash(password, hash) != 0) {
		fprintf(stderr, "demo: cannot hash the password\n");
		return 1;
	}
	struct arena a;
	arena_init(&a, 8192);
	int rc = 0;
	enum db_err e = db_staff_add(&a, "reviewer@partnerdesk-demo.example", "Riley Reviewer", hash,
	                             "reviewer");
	if (e == DB_OK)
		e = db_tfa_due_set(&a, "reviewer@partnerdesk-demo.example",
		                   TFA_STAFF_GRACE_HOURS_DEFAULT * 3600L);
	if (e != DB_OK && e != DB_DUPLICATE)
		rc = 1;
	for (size_t i = 0; i < sizeof(companies) / sizeof(*companies) && rc == 0; i++) {
		long long user_id = 0;
		e = db_signup(&a, companies[i].company, companies[i].country,
		              email_domain(companies[i].email), companies[i].email, companies[i].name, hash,
		              "en", &user_id);
		if (e == DB_OK)
			e = db_user_mark_verified(&a, user_id);
		struct user_row u;
		bool found = false;
		if (e == DB_OK && companies[i].enrolled)
			e = db_user_by_id(&a, user_id, &u, &found);
		if (e == DB_OK && found) {
			/* The first company is already in the partner program. */
			const char *pga = NULL, *pla = NULL;
			struct partner_account legal = {
			    .name = companies[i].company, .country = companies[i].country,
			    .address_line1 = "12 rue de la Paix", .address_line2 = "", .city = "Paris",
			    .region = "", .postal_code = "75002", .phone = "+33 1 23 45 67 89",
			    .website = "https://contoso-demo.example", .contact_name = companies[i].name,
			    .contact_email = companies[i].email};
			e = db_partner_enroll(&a, u.tenant_id, &legal, &pga, &pla);
		}
		if (e != DB_OK && e != DB_DUPLICATE)
			rc = 1;
	}
	if (rc == 0 && (e = demo_legacy(&a)) != DB_OK)
		rc = 1;
	/* Last: the companies' profiles exist by now. */
	for (size_t i = 0; i < sizeof(companies) / sizeof(*companies) && rc == 0; i++)
		if ((e = demo_leads(&a, companies[i].email)) != DB_OK)
			rc = 1;
	arena_free(&a);
	if (rc != 0) {
		fprintf(stderr, "demo: %s\n", db_strerror(e));
		return 1;
	}
	printf("demo logins (password: %s)\n", password);
	printf("  %-32s %s\n", "reviewer (staff)", "reviewer@partnerdesk-demo.example");
	for (size_t i = 0; i < sizeof(companies) / sizeof(*companies); i++)
		printf("  global admin of %-16s %s\n", companies[i].company, companies[i].email);
	printf("  %s has legacy profiles to migrate: /profiles/migrate\n", companies[0].company);
	return 0;
}
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
 * FR and BE; a country it already has a profile in is left alone, so
 * running the demo again adds nothing. */
static enum db_err
demo_legacy(struct arena *a)
{
	static const struct {
		const char *name, *description, *country, *created_on;
	} rows[] = {
	    {"Contoso Conseil", "Conseil et migration vers le cloud pour les PME françaises depuis 2009.",
	     "FR", "2022-09-14"},
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
static int
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
	char *line = NULL;
	size_t len = 0;
	enum db_err dbe = DB_OK;
	bool no_memory = rows == NULL || errs == NULL;
	while (!no_memory && dbe == DB_OK && getline(&line, &len, f) >= 0) {
		line_no++;
		char *s = line;
		s[strcspn(s, "\r\n")] = '\0';
		if (line_no == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
		    (unsigned char)s[2] == 0xBF)
			s += 3;
		if (line_no == 1 || *s == '#' || *s == '\0')
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
	free(line);
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
static int
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

/* directory seed N [--seed S]. */
static int
cmd_directory_seed(int argc, char **argv)
{
	long long n = -1;
	unsigned long long seed = 1;
	for (int i = 0; i < argc; i++) {
		char *end = NULL;
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			const char *arg = argv[++i];
			seed = strtoull(arg, &end, 10);
			if (*arg < '0' || *arg > '9' || *end != '\0') {
				fprintf(stderr, "directory seed: --seed takes a whole number\n");
				return 2;
			}
		} else if (n < 0 && argv[i][0] >= '0' && argv[i][0] <= '9') {
			n = strtoll(argv[i], &end, 10);
			if (*end != '\0' || n < 1 || n > SEED_MAX_PROFILES) {
				fprintf(stderr, "directory seed: N is a number of profiles, 1 to %d\n",
				        SEED_MAX_PROFILES);
				return 2;
			}
		} else {
			fprintf(stderr, "directory seed: unexpected argument %s\n", argv[i]);
			return 2;
		}
	}
	if (n < 0) {
		fprintf(stderr, "usage: partnerdesk-ctl directory seed N [--seed S]\n");
		return 2;
	}
	if (seed_directory(n, seed, stderr) != 0)
		return 1;
	printf("%lld published profile(s) added\n", n);
	return 0;
}

#define REINDEX_CHUNK 5000 /* profiles per transaction */

/* directory reindex: every profile's directory rows rebuilt from what is
 * stored, by id ranges (the full-text index is not undone by a rollback:
 * sql/019_directory_search.sql). */
static int
cmd_directory_reindex(void)
{
	struct arena a;
	arena_init(&a, 65536);
	long long first = 0, last = 0;
	enum db_err rc = db_directory_id_range(&a, &first, &last);
	for (long long from = first; rc == DB_OK && first > 0 && from <= last; from += REINDEX_CHUNK) {
		long long to = from + REINDEX_CHUNK - 1 < last ? from + REINDEX_CHUNK - 1 : last;
		if ((rc = db_begin()) == DB_OK)
			rc = db_finish(db_directory_sync_range(&a, from, to));
		arena_reset(&a);
	}
	arena_free(&a);
	if (rc != DB_OK) {
		fprintf(stderr, "directory reindex: %s\n", db_strerror(rc));
		return 1;
	}
	printf("directory rebuilt for profile ids %lld to %lld\n", first, last);
	return 0;
}

/* Releases the expired claims now (the mailer's housekeeping does the same). */
static int
cmd_claims_expire(void)
{
	struct arena a;
	arena_init(&a, 65536);
	long long n = 0;
	enum db_err rc = db_claims_expire(&a, &n);
	arena_free(&a);
	if (rc != DB_OK) {
		fprintf(stderr, "partnerdesk-ctl: claims expire: %s\n", db_strerror(rc));
		return 1;
	}
	printf("%lld expired claim(s) released\n", n);
	return 0;
}

/* The date of --as-of in argv (YYYY-MM-DD), or today (UTC) without it. -1
 * with the message on stderr for anything else. */
static long
as_of(const char *cmd, int argc, char **argv)
{
	if (argc == 0) {
		time_t now = time(NULL);
		struct tm tm;
		char d[11];
		gmtime_r(&now, &tm);
		strftime(d, sizeof(d), "%Y-%m-%d", &tm);
		return lead_day(d);
	}
	long day = argc == 2 && strcmp(argv[0], "--as-of") == 0 && strlen(argv[1]) == 10
	               ? lead_day(argv[1])
	               : -1;
	if (day < 0)
		fprintf(stderr, "partnerdesk-ctl: %s: %s; expected --as-of YYYY-MM-DD (a real date, "
		                "1970 or later)\n", cmd,
		        argc == 2 && strcmp(argv[0], "--as-of") == 0 ? "not a date" : "bad arguments");
	return day;
}

/* Marks expired every received lead whose 14 days have passed at the date. */
static int
cmd_leads_expire(int argc, char **argv)
{
	long today = as_of("leads expire", argc, argv);
	if (today < 0)
		return 2;
	char through[11], date[11];
	lead_day_format(lead_expire_through(today), through);
	lead_day_format(today, date);
	struct arena a;
	arena_init(&a, 8192);
	long long n = 0;
	enum db_err rc = db_leads_expire(&a, through, &n);
	arena_free(&a);
	if (rc != DB_OK) {
		fprintf(stderr, "partnerdesk-ctl: leads expire: %s\n", db_strerror(rc));
		return 1;
	}
	printf("%lld lead(s) expired as of %s (received on %s or before)\n", n, date, through);
	return 0;
}

/* One reminder email, in the recipient's language. 0 or -1. */
static int
remind_mail(struct arena *a, const char *base_url, const struct lead *l,
            const struct lead_recipient *to)
{
	int li = lang_parse(to->lang);
	enum lang lang = li < 0 ? LANG_EN : (enum lang)li;
	char deadline[11];
	lead_day_format(lead_last_day(l->created_day), deadline);
	struct tvars *v = tv_new(a, NULL);
	tv_set(v, "customer", l->customer_name);
	tv_set(v, "company", l->customer_company);
	const struct country *c = country_find(l->customer_country);
	tv_set(v, "country", c ? c->name[lang] : l->customer_country);
	tv_set(v, "profile", l->profile_name);
	tv_set(v, "received", arena_strndup(a, l->created_at, 10));
	tv_set(v, "deadline", deadline);
	tv_set(v, "link", arena_printf(a, "%s/leads/%lld?lang=%s", base_url, l->id, lang_code(lang)));
	struct sbuf body = {0};
	const char *subject = tpl_title("mail_lead_reminder", lang, v, a);
	int rc = subject && tpl_render_text("mail_lead_reminder", lang, v, &body) == 0 &&
	                 db_outbox_add(a, to->email, subject, sbuf_cstr(&body)) == DB_OK
	             ? 0
	             : -1;
	sbuf_free(&body);
	return rc;
}

/* Emails the referral admins of each received lead's partner ID (or of
 * all; the global admins when the ID has none) once its days left reach
 * LEAD_REMIND_DAYS_LEFT; the reminder is recorded on the lead in the same
 * transaction as its emails, so running it again sends nothing twice. */
static int
cmd_leads_remind(const struct config *cfg, int argc, char **argv)
{
	long today = as_of("leads remind", argc, argv);
	if (today < 0)
		return 2;
	if (i18n_init(config_get(cfg, "app.locale_dir", "po")) != 0 ||
	    tpl_load_dir(config_get(cfg, "app.templates", "www/templates")) != 0) {
		fprintf(stderr, "partnerdesk-ctl: leads remind: cannot load the templates and "
		                "translations ([app] templates, locale_dir)\n");
		return 1;
	}
	const char *base_url = config_get(cfg, "app.base_url", "http://127.0.0.1:8080");
	char since[11];
	lead_day_format(today - LEAD_ANSWER_DAYS, since);
	struct arena a;
	arena_init(&a, 65536);
	struct lead *leads;
	size_t n = 0;
	long long reminded = 0, mails = 0;
	enum db_err rc = db_leads_remind_candidates(&a, since, &leads, &n);
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		const struct lead *l = &leads[i];
		if (!lead_remind_due(l->status, l->created_day, today, l->reminded))
			continue;
		struct lead_recipient *to;
		size_t nto = 0, referral = 0, sent = 0;
		bool changed = false;
		if ((rc = db_begin()) != DB_OK)
			break;
		rc = db_lead_mark_reminded(&a, l->id, &changed);
		if (rc == DB_OK && changed)
			rc = db_lead_recipients(&a, l->id, &to, &nto);
		for (size_t k = 0; rc == DB_OK && changed && k < nto; k++)
			referral += to[k].referral;
		for (size_t k = 0; rc == DB_OK && changed && k < nto; k++) {
			if (referral ? !to[k].referral : !to[k].global)
				continue;
			if (remind_mail(&a, base_url, l, &to[k]) != 0)
				rc = DB_ERROR;
			sent++;
		}
		if ((rc = db_finish(rc)) == DB_OK && changed) {
			reminded++;
			mails += (long long)sent;
		}
	}
	arena_free(&a);
	tpl_free_all();
	i18n_free();
	if (rc != DB_OK) {
		fprintf(stderr, "partnerdesk-ctl: leads remind: %s\n", db_strerror(rc));
		return 1;
	}
	char date[11];
	lead_day_format(today, date);
	printf("%lld lead(s) reminded as of %s (%lld email(s))\n", reminded, date, mails);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (sodium_init() < 0)
		return 1;
	struct config *cfg = config_load_default();
	if (cfg == NULL)
		return 1;
	if (db_open(cfg) != 0) {
		fprintf(stderr, "partnerdesk-ctl: cannot reach the database of this instance; is it "
		                "started (scripts/run --detach)?\n");
		config_free(cfg);
		return 1;
	}
	int rc;
	if (strcmp(argv[1], "migrate") == 0 && argc == 2)
		rc = cmd_migrate(cfg);
	else if (strcmp(argv[1], "demo") == 0 && argc == 2)
		rc = cmd_demo();
	else if (strcmp(argv[1], "leads") == 0 && argc >= 3 && strcmp(argv[2], "expire") == 0)
		rc = cmd_leads_expire(argc - 3, argv + 3);
	else if (strcmp(argv[1], "leads") == 0 && argc >= 3 && strcmp(argv[2], "remind") == 0)
		rc = cmd_leads_remind(cfg, argc - 3, argv + 3);
	else if (strcmp(argv[1], "directory") == 0 && argc >= 3 && strcmp(argv[2], "seed") == 0)
		rc = cmd_directory_seed(argc - 3, argv + 3);
	else if (strcmp(argv[1], "directory") == 0 && argc == 3 && strcmp(argv[2], "reindex") == 0)
		rc = cmd_directory_reindex();
	else if (strcmp(argv[1], "claims") == 0 && argc == 3 && strcmp(argv[2], "expire") == 0)
		rc = cmd_claims_expire();
	else if (strcmp(argv[1], "legacy") == 0 && argc == 4 && strcmp(argv[2], "import") == 0)
		rc = cmd_legacy_import(cfg, argv[3]);
	else if (strcmp(argv[1], "migration") == 0 && argc >= 3 && strcmp(argv[2], "expire") == 0)
		rc = cmd_migration_expire(cfg, argc - 3, argv + 3);
	else if (strcmp(argv[1], "staff") == 0 && argc >= 3 && strcmp(argv[2], "add") == 0)
		rc = cmd_staff_add(cfg, argc - 3, argv + 3);
	else {
		fprintf(stderr, "partnerdesk-ctl: unknown command: %s\n", argv[1]);
		usage(stderr);
		rc = 2;
	}
	db_close();
	config_free(cfg);
	return rc;
}
