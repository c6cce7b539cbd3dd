/* partnerdesk-ctl offers import (CONTRACT §6 Offers; ctl/ctl.h). The file
 * is the whole catalog: every line is checked first and each bad one
 * reported with its number (the header is line 1, comment lines count);
 * then, in one transaction, every offer is upserted by its offer_id and the
 * offers the file no longer lists are removed. Nothing changes unless every
 * line is good. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tsv.h"
#include "core/config.h"
#include "core/i18n.h"
#include "db/accounts.h"
#include "db/audit.h"
#include "db/market.h"
#include "db/partners.h"
#include "domain/eligibility.h"
#include "ctl/ctl.h"

#define OFFERS_PROGRESS_LINES 1000 /* a progress line on stderr every so many lines */

struct offer_row {
	size_t      line_no;
	const char *offer_id, *name, *countries; /* countries as stored: "*" or "US,UM" */
};
struct offer_error {
	size_t      line_no;
	const char *why;
};

/* Checks one data line (modified); returns why it is bad (in a), NULL when good. */
static const char *
offer_check(struct arena *a, char *line, struct offer_row *row)
{
	static struct offer_line l; /* large: not on the stack */
	enum offer_line_error e = offer_line_parse(line, &l);
	if (e == OFFER_LINE_COUNTRY_CODE || e == OFFER_LINE_COUNTRY_TWICE)
		return arena_printf(a, "%s: %s", offer_line_error_message(e), l.bad_code);
	if (e != OFFER_LINE_OK)
		return offer_line_error_message(e);
	char *list = arena_alloc(a, l.all ? 2 : l.ncodes * 3 + 1);
	size_t ln = 0;
	if (l.all)
		list[ln++] = '*';
	for (size_t i = 0; i < l.ncodes; i++) {
		if (country_find(l.codes[i]) == NULL)
			return arena_printf(a, "bad country: %s is not an ISO 3166-1 alpha-2 code",
			                    l.codes[i]);
		if (i)
			list[ln++] = ',';
		memcpy(list + ln, l.codes[i], 2);
		ln += 2;
	}
	list[ln] = '\0';
	row->offer_id = arena_strdup(a, l.offer_id);
	row->name = arena_strdup(a, l.name);
	row->countries = list;
	return NULL;
}

static int
by_id_line(const void *x, const void *y)
{
	const struct offer_row *a = *(const struct offer_row *const *)x,
	                       *b = *(const struct offer_row *const *)y;
	int c = strcmp(a->offer_id, b->offer_id);
	return c ? c : (a->line_no > b->line_no) - (a->line_no < b->line_no);
}

static int
by_line(const void *x, const void *y)
{
	const struct offer_error *a = x, *b = y;
	return (a->line_no > b->line_no) - (a->line_no < b->line_no);
}

/* The good lines repeating an offer_id of an earlier line, appended to errs. */
static size_t
offer_duplicates(struct arena *a, const struct offer_row *rows, size_t n, struct offer_error *errs,
                 size_t nerrs)
{
	const struct offer_row **order = arena_alloc(a, sizeof(*order) * (n + 1));
	for (size_t i = 0; i < n; i++)
		order[i] = &rows[i];
	qsort(order, n, sizeof(*order), by_id_line);
	for (size_t i = 1; i < n; i++) {
		size_t first = i - 1;
		while (i < n && strcmp(order[i]->offer_id, order[first]->offer_id) == 0) {
			errs[nerrs++] = (struct offer_error){
			    order[i]->line_no, arena_printf(a, "offer_id %s already on line %zu",
			                                    order[i]->offer_id, order[first]->line_no)};
			i++;
		}
	}
	return nerrs;
}

/* Stores the checked rows in one transaction; *removed: offers the file no longer lists. */
static enum db_err
offers_store(struct arena *a, const char *path, const struct offer_row *rows, size_t n,
             long long *removed)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char day[24];
	strftime(day, sizeof(day), "%Y-%m-%d %H:%M:%S", &tm);
	const char *batch = arena_printf(a, "%s.%03ld", day, ts.tv_nsec / 1000000);
	enum db_err rc = db_begin();
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		rc = db_offer_upsert(a, rows[i].offer_id, rows[i].name, rows[i].countries, batch);
		if (n >= OFFERS_PROGRESS_LINES && (i + 1) % OFFERS_PROGRESS_LINES == 0)
			fprintf(stderr, "imported %zu of %zu offers\n", i + 1, n);
	}
	if (rc == DB_OK)
		rc = db_offers_prune(a, batch, removed);
	if (rc == DB_OK) {
		json_t *after = json_pack("{s:s, s:s}", "offers", arena_printf(a, "%zu", n), "removed",
		                          arena_printf(a, "%lld", *removed));
		char *json = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
		struct audit_entry e = {.actor_kind = "system", .actor_email = "scripts/ctl",
		                        .action = "offers.import", .object = path, .after_json = json};
		rc = db_audit_append(a, &e);
		free(json);
		json_decref(after);
	}
	return db_finish(rc);
}

int
cmd_offers_import(const struct config *cfg, const char *path)
{
	if (i18n_init(config_get(cfg, "app.locale_dir", "po")) != 0) {
		fprintf(stderr, "offers import: cannot load the country list (iso-codes)\n");
		return 1;
	}
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "offers import: cannot open %s\n", path);
		return 1;
	}
	struct arena a;
	arena_init(&a, 1 << 16);
	size_t cap = 64, n = 0, line_no = 0, nerrs = 0;
	struct offer_row *rows = malloc(sizeof(*rows) * cap);
	struct offer_error *errs = malloc(sizeof(*errs) * cap);
	struct tsv_reader t;
	tsv_init(&t, f);
	char *s;
	bool no_memory = rows == NULL || errs == NULL;
	while (!no_memory && (s = tsv_next(&t)) != NULL) {
		line_no = t.line_no;
		if (t.header) {
			if (strncmp(s, "offer_id\tname\tcountries", 24) != 0)
				errs[nerrs++] = (struct offer_error){
				    line_no, "the header must be: offer_id<TAB>name<TAB>countries"};
			continue;
		}
		if (n + nerrs == cap) { /* rows and errors together never pass cap */
			struct offer_row *more = realloc(rows, sizeof(*rows) * cap * 2);
			struct offer_error *more_errs = more ? realloc(errs, sizeof(*errs) * cap * 2) : NULL;
			rows = more ? more : rows;
			errs = more_errs ? more_errs : errs;
			if ((no_memory = more_errs == NULL))
				break;
			cap *= 2;
		}
		rows[n].line_no = line_no;
		const char *why = offer_check(&a, arena_strdup(&a, s), &rows[n]);
		if (why)
			errs[nerrs++] = (struct offer_error){line_no, why};
		else
			n++;
		if (line_no % OFFERS_PROGRESS_LINES == 0)
			fprintf(stderr, "checked %zu lines\n", line_no);
	}
	tsv_free(&t);
	if (line_no == 0)
		errs[nerrs++] = (struct offer_error){1, "empty file: the header must be: "
		                                        "offer_id<TAB>name<TAB>countries"};
	bool read_error = ferror(f) || no_memory;
	fclose(f);
	int rc = 1;
	if (read_error) {
		fprintf(stderr, "offers import: cannot read %s: nothing imported\n", path);
	} else {
		nerrs = offer_duplicates(&a, rows, n, errs, nerrs);
		qsort(errs, nerrs, sizeof(*errs), by_line);
		for (size_t i = 0; i < nerrs; i++)
			fprintf(stderr, "%s:%zu: %s\n", path, errs[i].line_no, errs[i].why);
		long long removed = 0;
		enum db_err dbe;
		if (nerrs)
			fprintf(stderr, "offers import: %zu bad line(s) in %s: nothing imported\n", nerrs,
			        path);
		else if ((dbe = offers_store(&a, path, rows, n, &removed)) != DB_OK)
			fprintf(stderr, "offers import: %s: nothing imported\n", db_strerror(dbe));
		else {
			printf("%zu offer(s) imported, %lld removed from the catalog\n", n, removed);
			rc = 0;
		}
	}
	free(errs);
	free(rows);
	arena_free(&a);
	return rc;
}

/* ---- demo data ---- */

/* The demo catalog: offers for every country and offers of a few. */
static const struct {
	const char *offer_id, *name, *countries;
} demo_offers[] = {
    {"DEMO-M365-BB", "Microsoft 365 Business Basic", "*"},
    {"DEMO-M365-E3", "Microsoft 365 E3", "*"},
    {"DEMO-AZURE-PLAN", "Azure plan", "*"},
    {"DEMO-D365-SALES", "Dynamics 365 Sales Enterprise", "US,CA,GB,FR,DE"},
    {"DEMO-TEAMS-CALLING", "Teams Phone with Calling Plan", "US,CA,GB,FR"},
    {"DEMO-D365-BC-BR", "Dynamics 365 Business Central (Brazil localization)", "BR"},
};
/* The demo CSP's customers: one eligible for every offer sold in its
 * country and the customer's, and one for each reason to say no. */
static const struct {
	const char *name, *domain, *country;
	enum customer_relationship rel;
} demo_customers[] = {
    {"Woodgrove Bank", "woodgrove-demo.example", "US", CUSTOMER_REL_CUSTOMER},
    /* The seed's example: the US Outlying Islands are in the US market. */
    {"Midway Atoll Research Station", "midway-demo.example", "UM", CUSTOMER_REL_CUSTOMER},
    /* The seed's other example, seen from the US: located in Brazil, its tenant is US. */
    {"Contoso Brasil Ltda (tenant in the United States)", "contoso-brasil-demo.example", "US",
     CUSTOMER_REL_CUSTOMER},
    {"Maple Leaf Outfitters", "mapleleaf-demo.example", "CA", CUSTOMER_REL_CUSTOMER},
    {"Tailspin Toys", "tailspin-demo.example", "US", CUSTOMER_REL_AFFILIATE},
    {"Fabrikam IT department", "it.fabrikam-demo.example", "US", CUSTOMER_REL_CUSTOMER},
};

enum db_err
demo_csp_market(struct arena *a, const char *email, const char *legal_name)
{
	enum db_err rc = DB_OK;
	struct offer *offers;
	size_t n = 0;
	if ((rc = db_offers(a, &offers, &n)) != DB_OK)
		return rc;
	if (n == 0) { /* an imported catalog is kept */
		rc = db_begin();
		for (size_t i = 0; rc == DB_OK && i < sizeof(demo_offers) / sizeof(*demo_offers); i++)
			rc = db_offer_upsert(a, demo_offers[i].offer_id, demo_offers[i].name,
			                     demo_offers[i].countries, "2026-01-01 00:00:00.000");
		if ((rc = db_finish(rc)) != DB_OK)
			return rc;
	}
	struct user_row u;
	bool found = false, created = false;
	if ((rc = db_user_by_email(a, email, &u, &found)) != DB_OK || !found)
		return rc;
	struct partner_account *ids;
	size_t nids;
	if ((rc = db_partner_accounts(a, u.tenant_id, false, false, &ids, &nids)) != DB_OK)
		return rc;
	const char *home = NULL; /* the PGA's country: the CSP location must be there (DOMAIN §3) */
	for (size_t i = 0; i < nids; i++)
		if (partner_is_global(&ids[i]))
			home = ids[i].country;
	for (size_t i = 0; home && i < nids; i++)
		if (!partner_is_global(&ids[i]) && strcmp(ids[i].country, home) == 0) {
			rc = db_csp_demo_activate(a, u.tenant_id, ids[i].id, legal_name, &created);
			break;
		}
	if (rc != DB_OK || !created) /* a CSP already: its customers are its own */
		return rc;
	rc = db_begin();
	for (size_t i = 0; rc == DB_OK && i < sizeof(demo_customers) / sizeof(*demo_customers); i++) {
		struct csp_customer c = {.tenant_id = u.tenant_id, .name = demo_customers[i].name,
		                         .tenant_domain = demo_customers[i].domain,
		                         .country = demo_customers[i].country,
		                         .relationship = demo_customers[i].rel};
		long long id;
		rc = db_customer_add(a, &c, u.id, &id);
	}
	return db_finish(rc);
}
