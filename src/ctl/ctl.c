/* partnerdesk-ctl: the admin command line of an instance (ctl/ctl.h). */
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
#include "domain/twofactor.h"
#include "domain/email_rules.h"
#include "ctl/ctl.h"
#include "ctl/seed.h"
#include "db/directory.h"

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
	      "  offers import FILE.tsv                    replace the offers catalog (all or\n"
	      "                                            nothing; offer_id name countries, header\n"
	      "                                            line first; countries: ISO codes,\n"
	      "                                            comma-separated, or *); offers the file\n"
	      "                                            no longer lists are removed\n"
	      "  migration expire [--as-of YYYY-MM-DD]     link every legacy profile not migrated\n"
	      "                                            to its company's PGA once the window\n"
	      "                                            has passed at that date (default today)\n"
	      "  scores import FILE.tsv                    import capability scores (all or\n"
	      "                                            nothing; partner_id solution_area\n"
	      "                                            metric points date, header first);\n"
	      "                                            enrolls what qualifies for free\n"
	      "  competency set PARTNER_ID gold|silver|none\n"
	      "                                            a PGA's legacy competency level\n"
	      "  designations remind [--as-of YYYY-MM-DD]  email the admins of each company whose\n"
	      "                                            renewal window is open (once a year)\n"
	      "  directory seed N [--seed S]               add N published business profiles of\n"
	      "                                            synthetic companies (S: the generator's\n"
	      "                                            seed, default 1); progress on stderr\n"
	      "  directory reindex                         rebuild every profile's directory rows\n"
	      "                                            and search text (after a failed write)\n"
	      "  demo                                      load demo users and companies, legacy\n"
	      "                                            profiles, leads and a populated\n"
	      "                                            directory; prints the logins (safe to\n"
	      "                                            run again)\n"
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
	else if (strcmp(argv[1], "offers") == 0 && argc == 4 && strcmp(argv[2], "import") == 0)
		rc = cmd_offers_import(cfg, argv[3]);
	else if (strcmp(argv[1], "migration") == 0 && argc >= 3 && strcmp(argv[2], "expire") == 0)
		rc = cmd_migration_expire(cfg, argc - 3, argv + 3);
	else if (strcmp(argv[1], "scores") == 0 && argc == 4 && strcmp(argv[2], "import") == 0)
		rc = cmd_scores_import(cfg, argv[3]);
	else if (strcmp(argv[1], "competency") == 0 && argc == 5 && strcmp(argv[2], "set") == 0)
		rc = cmd_competency_set(cfg, argv[3], argv[4]);
	else if (strcmp(argv[1], "designations") == 0 && argc >= 3 &&
	         strcmp(argv[2], "remind") == 0)
		rc = cmd_designations_remind(cfg, argc - 3, argv + 3);
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
