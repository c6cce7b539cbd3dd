/* partnerdesk-ctl: the admin command line of an instance. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "domain/limits.h"
#include "core/config.h"
#include "core/secret.h"
#include "db/accounts.h"
#include "db/audit.h"
#include "db/claims.h"
#include "db/db.h"
#include "db/partners.h"
#include "db/profiles.h"
#include "db/migrate.h"
#include "db/twofactor.h"
#include "ctl/seed.h"
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
	      "  directory seed N [--seed S]               add N published business profiles of\n"
	      "                                            synthetic companies (S: the generator's\n"
	      "                                            seed, default 1); progress on stderr\n"
	      "  demo                                      load demo users and companies and a\n"
	      "                                            populated directory; prints the logins\n"
	      "                                            (safe to run again)\n"
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

/* The demo companies: a verified global admin each, enrolled in the partner
 * program, and a published bilingual profile (a French text for the
 * French-speaking country where each is published). */
struct demo_company {
	const char *company, *country, *email, *name;
	const char *street, *city, *region, *postal_code, *phone, *website;
	const char *second_country, *second_city, *second_postal_code; /* a second location ID */
	const char *profile_name, *description, *description_fr;
	const char *markets[6];
	const char *industries[3], *areas[3], *languages[4];
};
static const struct demo_company demo_companies[] = {
    {"Contoso SARL", "FR", "camille.martin@contoso-demo.example", "Camille Martin",
     "12 rue de la Paix", "Paris", "", "75002", "+33 1 23 45 67 89", "https://contoso-demo.example",
     NULL, NULL, NULL, "Contoso SARL",
     "Contoso is a Paris consultancy that brings ERP, CRM and analytics to mid-sized "
     "manufacturers and retailers. Our consultants move finance, supply chain and sales to the "
     "cloud with a fixed-milestone method, then build the dashboards that managers use every "
     "morning. We train your teams, stay for the first closing of the books, and support you "
     "afterwards in French and English.",
     "Contoso est un cabinet parisien qui met en œuvre ERP, CRM et outils d'analyse pour les "
     "industriels et les enseignes de distribution de taille intermédiaire. Nos consultants "
     "migrent la finance, la chaîne logistique et les ventes vers le cloud avec une méthode à "
     "jalons fixes, puis construisent les tableaux de bord que les managers consultent chaque "
     "matin. Nous formons vos équipes, restons à vos côtés pour la première clôture et vous "
     "accompagnons ensuite en français et en anglais.",
     {"BE", "LU", "CH", "MC", "MA"},
     {"manufacturing", "retail"}, {"business_applications", "data_ai"}, {"fr", "en"}},
    {"Fabrikam Inc.", "US", "jordan.lee@fabrikam-demo.example", "Jordan Lee", "400 Pine Street",
     "Seattle", "WA", "98101", "+1 206 555 0100", "https://fabrikam-demo.example", "CA",
     "Montreal", "H2Y 1C6", "Fabrikam Cloud Security",
     "Fabrikam protects hospitals, clinics, banks and insurers as they move to the cloud. Our "
     "security operations centre watches identities, devices and cloud workloads day and night, "
     "and our engineers design landing zones, backup and disaster recovery that pass an "
     "auditor's review. Every engagement starts with a two-week assessment and ends with a "
     "plan your own team can run.",
     "Fabrikam protège les hôpitaux, les cliniques, les banques et les assureurs dans leur "
     "passage au cloud. Notre centre opérationnel de sécurité surveille identités, appareils et "
     "charges cloud jour et nuit, et nos ingénieurs conçoivent zones d'accueil, sauvegardes et "
     "plans de reprise qui satisfont les auditeurs. Notre équipe de Montréal vous accompagne en "
     "français, de l'évaluation initiale au plan que votre équipe pourra exploiter seule.",
     {"MX", "GB"},
     {"healthcare", "financial_services"}, {"security", "infrastructure"}, {"en", "fr", "es"}},
};
#define DEMO_SEED     2026 /* the generator's seed of the demo directory */
#define DEMO_PROFILES 300  /* seeded profiles beside the two demo companies' */

static size_t
count_set(const char *const *list, size_t max)
{
	size_t n = 0;
	while (n < max && list[n])
		n++;
	return n;
}

/* The demo company's profile, unless the company has one already. */
static enum db_err
demo_profile(struct arena *a, const struct demo_company *c)
{
	struct user_row u;
	bool found = false;
	enum db_err rc = db_user_by_email(a, c->email, &u, &found);
	if (rc != DB_OK || !found)
		return rc;
	struct profile *list;
	size_t n;
	if ((rc = db_profiles_list(a, u.tenant_id, &list, &n)) != DB_OK || n > 0)
		return rc;
	struct partner_account *ids;
	size_t nids;
	if ((rc = db_partner_accounts(a, u.tenant_id, false, false, &ids, &nids)) != DB_OK)
		return rc;
	long long pga = 0, home = 0;
	bool has_second = false;
	for (size_t i = 0; i < nids; i++) {
		if (partner_is_global(&ids[i]))
			pga = ids[i].id;
		else if (strcmp(ids[i].country, c->country) == 0 && home == 0)
			home = ids[i].id;
		else if (c->second_country && strcmp(ids[i].country, c->second_country) == 0)
			has_second = true;
	}
	if (pga == 0 || home == 0)
		return DB_OK; /* not enrolled */
	if (c->second_country && !has_second) {
		const char *partner_id;
		struct partner_account loc = {
		    .name = c->company, .country = c->second_country, .address_line1 = c->street,
		    .address_line2 = "", .city = c->second_city, .region = "",
		    .postal_code = c->second_postal_code, .contact_name = c->name,
		    .contact_email = c->email};
		if ((rc = db_partner_location_add(a, u.tenant_id, pga, &loc, &partner_id)) != DB_OK)
			return rc;
	}
	if ((rc = db_begin()) != DB_OK)
		return rc;
	long long id = 0;
	struct profile p;
	found = false;
	rc = db_profile_create(a, u.tenant_id, home, PROFILE_NON_CSP, u.id, "en", &id);
	if (rc == DB_OK)
		rc = db_profile_get(a, u.tenant_id, id, true, &p, &found);
	const char *locations[2] = {c->country, c->second_country};
	size_t nlocations = c->second_country ? 2 : 1;
	if (rc == DB_OK && found)
		rc = db_profile_set_locations(a, &p, locations, nlocations);
	if (rc == DB_OK)
		rc = db_profile_set_markets(a, id, c->markets, count_set(c->markets, 6), NULL, 0);
	/* The French text where the customer's country speaks French. */
	struct profile_location texts[1] = {
	    {.country = strcmp(c->country, "FR") == 0 ? c->country : c->second_country,
	     .description = c->description_fr}};
	struct profile_content content = {
	    .name = c->profile_name, .description = c->description, .website = c->website,
	    .lead_email = c->email, .lang = "en", .industries = c->industries,
	    .nindustries = count_set(c->industries, 3), .solution_areas = c->areas,
	    .nsolution_areas = count_set(c->areas, 3), .languages = c->languages,
	    .nlanguages = count_set(c->languages, 4), .location_texts = texts, .nlocation_texts = 1};
	if (rc == DB_OK)
		rc = db_profile_set_content(a, id, &content);
	char slug[140];
	profile_slug(c->profile_name, "demo", slug, sizeof(slug));
	if (rc == DB_OK)
		rc = db_profile_publish(a, id, slug);
	return db_finish(rc);
}

/* Demo data: a reviewer, the two demo companies with their profiles, and a
 * directory of DEMO_PROFILES seeded profiles. Existing accounts, profiles and
 * seeded companies are kept, so running it again is harmless. */
static int
cmd_demo(void)
{
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
	const size_t ncompanies = sizeof(demo_companies) / sizeof(*demo_companies);
	for (size_t i = 0; i < ncompanies && rc == 0; i++) {
		const struct demo_company *c = &demo_companies[i];
		long long user_id = 0;
		e = db_signup(&a, c->company, c->country, email_domain(c->email), c->email, c->name, hash,
		              "en", &user_id);
		if (e == DB_OK)
			e = db_user_mark_verified(&a, user_id);
		struct user_row u;
		bool found = false;
		if (e == DB_OK)
			e = db_user_by_id(&a, user_id, &u, &found);
		if (e == DB_OK && found) {
			/* Already in the partner program. */
			const char *pga = NULL, *pla = NULL;
			struct partner_account legal = {
			    .name = c->company, .country = c->country, .address_line1 = c->street,
			    .address_line2 = "", .city = c->city, .region = c->region,
			    .postal_code = c->postal_code, .phone = c->phone, .website = c->website,
			    .contact_name = c->name, .contact_email = c->email};
			e = db_partner_enroll(&a, u.tenant_id, &legal, &pga, &pla);
		}
		if (e == DB_OK || e == DB_DUPLICATE)
			e = demo_profile(&a, c);
		if (e != DB_OK && e != DB_DUPLICATE)
			rc = 1;
		arena_reset(&a);
	}
	arena_free(&a);
	if (rc != 0) {
		fprintf(stderr, "demo: %s\n", db_strerror(e));
		return 1;
	}
	long long seeded = seed_companies(DEMO_SEED);
	if (seeded < 0 || (seeded == 0 && seed_directory(DEMO_PROFILES, DEMO_SEED, NULL) != 0)) {
		fprintf(stderr, "demo: cannot seed the directory\n");
		return 1;
	}
	printf("demo logins (password: %s)\n", password);
	printf("  %-32s %s\n", "reviewer (staff)", "reviewer@partnerdesk-demo.example");
	for (size_t i = 0; i < ncompanies; i++)
		printf("  global admin of %-16s %s\n", demo_companies[i].company, demo_companies[i].email);
	printf("public directory: /partners (%d seeded profiles and the two companies')\n",
	       DEMO_PROFILES);
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
	else if (strcmp(argv[1], "directory") == 0 && argc >= 3 && strcmp(argv[2], "seed") == 0)
		rc = cmd_directory_seed(argc - 3, argv + 3);
	else if (strcmp(argv[1], "claims") == 0 && argc == 3 && strcmp(argv[2], "expire") == 0)
		rc = cmd_claims_expire();
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
