/* partnerdesk-ctl scores import, competency set and designations remind
 * (DOMAIN §7, CONTRACT §6 "Capability scores"; ctl/ctl.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/program_mail.h"
#include "core/i18n.h"
#include "core/tsv.h"
#include "ctl/ctl.h"
#include "db/accounts.h"
#include "db/audit.h"
#include "db/partners.h"
#include "db/programs.h"
#include "domain/designations.h"
#include "domain/email_rules.h"
#include "domain/leads.h"
#include "view/template.h"

#define SCORES_PROGRESS_LINES 20000 /* a progress line on stderr every so many lines */
#define PGA_CACHE 256               /* partner IDs remembered while checking a file */


/* Loads the templates and translations the emails need; -1 with a message. */
static int
mail_setup(const struct config *cfg, const char *cmd)
{
	if (i18n_init(config_get(cfg, "app.locale_dir", "po")) != 0 ||
	    tpl_load_dir(config_get(cfg, "app.templates", "www/templates")) != 0) {
		fprintf(stderr, "partnerdesk-ctl: %s: cannot load the templates and translations "
		                "([app] templates, locale_dir)\n", cmd);
		return -1;
	}
	return 0;
}

static void
mail_teardown(void)
{
	tpl_free_all();
	i18n_free();
}

static enum db_err
ctl_audit(struct arena *a, long long tenant_id, const char *action, const char *object,
          const char *after)
{
	struct audit_entry e = {.tenant_id = tenant_id, .actor_kind = "system",
	                        .actor_email = "scripts/ctl", .action = action, .object = object,
	                        .after_json = after};
	return db_audit_append(a, &e);
}

/* Settles the company at today (free enrollments, qualifications) and
 * queues the emails of what is new; *enrolled counts the areas enrolled.
 * Inside the caller's transaction. */
static enum db_err
settle_and_mail(struct arena *a, const char *base_url, long long tenant_id, long today,
                long long *enrolled, long long *qualified)
{
	struct desig_event *ev;
	size_t n = 0;
	enum db_err rc = db_desig_settle(a, tenant_id, today, "scripts/ctl", &ev, &n);
	if (rc != DB_OK || n == 0)
		return rc;
	struct desig_state st;
	if ((rc = db_desig_state(a, tenant_id, today, false, &st)) != DB_OK)
		return rc;
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		const struct desig_area_state *ar = desig_state_area(&st, ev[i].area);
		int score = ar ? ar->score.score : 0;
		if (ev[i].free == DESIG_FREE_NO)
			*qualified += ev[i].notify;
		else
			(*enrolled)++;
		if (ev[i].notify &&
		    program_mail_queue(a, base_url, tenant_id,
		                       ev[i].free == DESIG_FREE_NO ? PROGRAM_MAIL_QUALIFIED
		                                                   : PROGRAM_MAIL_ENROLLED,
		                       ev[i].area, desig_free_code(ev[i].free), score,
		                       &st.membership) != 0)
			rc = DB_ERROR;
	}
	return rc;
}

/* ---- scores import ---- */

struct pga_entry {
	char      id[8];
	long long account_id, tenant_id;
};

struct score_row {
	struct score_line l;
	size_t            line_no;
};

struct import {
	struct arena        *a;
	struct desig_metric *metrics;
	size_t               nmetrics;
	struct pga_entry     cache[PGA_CACHE];
	size_t               ncache, next_slot;
	enum db_err          dbe;
};

/* The PGA of a partner ID through a small cache (files hold few IDs). */
static const struct pga_entry *
pga_lookup(struct import *im, const char *id)
{
	for (size_t i = 0; i < im->ncache; i++)
		if (strcmp(im->cache[i].id, id) == 0)
			return &im->cache[i];
	struct pga_entry e = {0};
	snprintf(e.id, sizeof(e.id), "%s", id);
	if ((im->dbe = db_pga_of_partner_id(im->a, id, &e.account_id, &e.tenant_id)) != DB_OK)
		return NULL;
	size_t slot = im->ncache < PGA_CACHE ? im->ncache++ : (im->next_slot++ % PGA_CACHE);
	im->cache[slot] = e;
	return &im->cache[slot];
}

/* Checks one data line (modified in place); NULL when good (row filled),
 * else why (allocated). */
static const char *
score_check(struct import *im, char *line, struct score_row *row)
{
	char *cols[6];
	int n = 0;
	for (char *p = line; n < 6 && p;) {
		cols[n++] = p;
		p = strchr(p, '\t');
		if (p)
			*p++ = '\0';
	}
	if (n != 5)
		return "expected 5 tab-separated columns: partner_id solution_area metric points date";
	const char *id = cols[0];
	bool digits = strlen(id) == 7;
	for (int i = 0; digits && i < 7; i++)
		digits = isdigit((unsigned char)id[i]);
	if (!digits)
		return arena_printf(im->a, "bad partner ID: %s is not 7 digits", id);
	const struct pga_entry *pga = pga_lookup(im, id);
	if (pga == NULL)
		return NULL; /* im->dbe says why */
	if (pga->account_id == 0)
		return arena_printf(im->a, "unknown partner ID: %s is not a partner global account (PGA)",
		                    id);
	const struct desig_metric *m = NULL;
	bool area = false;
	for (size_t i = 0; i < im->nmetrics && !m; i++) {
		if (strcmp(im->metrics[i].area, cols[1]) != 0)
			continue;
		area = true;
		if (strcmp(im->metrics[i].metric, cols[2]) == 0)
			m = &im->metrics[i];
	}
	if (!area)
		return arena_printf(im->a, "unknown solution area: %s", cols[1]);
	if (!m)
		return arena_printf(im->a, "unknown metric: %s is not a metric of %s", cols[2], cols[1]);
	char *end = NULL;
	long pts = strtol(cols[3], &end, 10);
	if (!isdigit((unsigned char)cols[3][0]) || *end || pts < 0 || pts > m->max_points)
		return arena_printf(im->a, "bad points: %s is not a whole number from 0 to %d (%s %s)",
		                    cols[3], m->max_points, cols[1], cols[2]);
	if (strlen(cols[4]) != 10 || lead_day(cols[4]) < 0)
		return arena_printf(im->a, "bad date: %s is not a YYYY-MM-DD day", cols[4]);
	row->l = (struct score_line){pga->account_id, pga->tenant_id, m->area, m->metric,
	                             arena_strdup(im->a, cols[4]), (int)pts};
	return NULL;
}

static int
by_key_line(const void *x, const void *y)
{
	const struct score_row *a = x, *b = y;
	if (a->l.account_id != b->l.account_id)
		return a->l.account_id < b->l.account_id ? -1 : 1;
	int c = strcmp(a->l.area, b->l.area);
	if (!c)
		c = strcmp(a->l.metric, b->l.metric);
	if (!c)
		c = strcmp(a->l.day, b->l.day);
	return c ? c : (a->line_no > b->line_no) - (a->line_no < b->line_no);
}

static int
by_tenant(const void *x, const void *y)
{
	long long a = *(const long long *)x, b = *(const long long *)y;
	return (a > b) - (a < b);
}

static bool
same_key(const struct score_row *a, const struct score_row *b)
{
	return a->l.account_id == b->l.account_id && strcmp(a->l.area, b->l.area) == 0 &&
	       strcmp(a->l.metric, b->l.metric) == 0 && strcmp(a->l.day, b->l.day) == 0;
}

/* Keeps the last line of each key (rows sorted by key, then line); returns
 * the count and fills lines and the distinct companies. */
static size_t
scores_last_of_key(struct score_row *rows, size_t n, struct score_line *lines,
                   long long *tenants, size_t *ntenants)
{
	size_t k = 0;
	*ntenants = 0;
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && same_key(&rows[i], &rows[i + 1]))
			continue; /* a later line of the same key follows */
		lines[k++] = rows[i].l;
		tenants[(*ntenants)++] = rows[i].l.tenant_id;
	}
	qsort(tenants, *ntenants, sizeof(*tenants), by_tenant);
	size_t t = 0;
	for (size_t i = 0; i < *ntenants; i++)
		if (t == 0 || tenants[t - 1] != tenants[i])
			tenants[t++] = tenants[i];
	*ntenants = t;
	return k;
}

/* Stores the lines, then settles each company, in one transaction. */
static enum db_err
scores_store(struct arena *a, const char *base_url, const char *path, struct score_line *lines,
             size_t n, size_t nfile, const long long *tenants, size_t ntenants,
             long long *enrolled, long long *qualified)
{
	long today = lead_day_of(time(NULL));
	enum db_err rc = db_begin();
	for (size_t i = 0; i < n && rc == DB_OK; i += SCORES_PROGRESS_LINES) {
		size_t chunk = n - i < SCORES_PROGRESS_LINES ? n - i : SCORES_PROGRESS_LINES;
		rc = db_scores_put(a, lines + i, chunk);
		if (n >= SCORES_PROGRESS_LINES)
			fprintf(stderr, "stored %zu of %zu scores\n", i + chunk, n);
	}
	for (size_t i = 0; i < ntenants && rc == DB_OK; i++) {
		rc = ctl_audit(a, tenants[i], "scores.import", path,
		               arena_printf(a, "{\"lines\":%zu,\"stored\":%zu}", nfile, n));
		if (rc == DB_OK)
			rc = settle_and_mail(a, base_url, tenants[i], today, enrolled, qualified);
	}
	return db_finish(rc);
}

struct score_error {
	size_t      line_no;
	const char *why;
};

/* `scores import FILE.tsv`: every line checked first, each bad one
 * reported with its number (header line 1, comment lines count); nothing
 * stored unless every line is good. Then the companies are settled. */
int
cmd_scores_import(const struct config *cfg, const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "scores import: cannot open %s\n", path);
		return 1;
	}
	if (mail_setup(cfg, "scores import") != 0) {
		fclose(f);
		return 1;
	}
	struct arena a;
	arena_init(&a, 1 << 20);
	struct import im = {.a = &a};
	im.dbe = db_desig_metrics(&a, &im.metrics, &im.nmetrics);
	if (im.dbe == DB_OK && im.nmetrics == 0) {
		fprintf(stderr, "scores import: no designation metric loaded (run partnerdesk-ctl "
		                "migrate)\n");
		im.dbe = DB_ERROR;
	}
	size_t cap = 1024, n = 0, line_no = 0, nerrs = 0, errcap = 64;
	struct score_row *rows = malloc(sizeof(*rows) * cap);
	struct score_error *errs = malloc(sizeof(*errs) * errcap);
	bool no_memory = rows == NULL || errs == NULL;
	struct tsv_reader t;
	tsv_init(&t, f);
	char *s;
	clock_t t0 = clock();
	while (!no_memory && im.dbe == DB_OK && (s = tsv_next(&t)) != NULL) {
		line_no = t.line_no;
		if (t.header)
			continue;
		if (n == cap) {
			struct score_row *more = realloc(rows, sizeof(*rows) * cap * 2);
			if ((no_memory = more == NULL))
				break;
			rows = more;
			cap *= 2;
		}
		const char *why = score_check(&im, s, &rows[n]);
		if (why) {
			if (nerrs == errcap) {
				struct score_error *more = realloc(errs, sizeof(*errs) * errcap * 2);
				if ((no_memory = more == NULL))
					break;
				errs = more;
				errcap *= 2;
			}
			errs[nerrs++] = (struct score_error){line_no, why};
		} else if (im.dbe == DB_OK) {
			rows[n].line_no = line_no;
			n++;
		}
		if (line_no % SCORES_PROGRESS_LINES == 0)
			fprintf(stderr, "checked %zu lines\n", line_no);
	}
	tsv_free(&t);
	bool read_error = ferror(f) || no_memory;
	fclose(f);
	int rc = 1;
	long long enrolled = 0, qualified = 0;
	if (im.dbe != DB_OK)
		fprintf(stderr, "scores import: %s: nothing imported\n", db_strerror(im.dbe));
	else if (read_error)
		fprintf(stderr, "scores import: cannot read %s: nothing imported\n", path);
	else if (nerrs) {
		for (size_t i = 0; i < nerrs; i++)
			fprintf(stderr, "%s:%zu: %s\n", path, errs[i].line_no, errs[i].why);
		fprintf(stderr, "scores import: %zu bad line(s) in %s: nothing imported\n", nerrs, path);
	} else {
		qsort(rows, n, sizeof(*rows), by_key_line);
		struct score_line *lines = malloc(sizeof(*lines) * (n ? n : 1));
		long long *tenants = malloc(sizeof(*tenants) * (n ? n : 1));
		size_t ntenants = 0, kept = 0;
		enum db_err dbe = DB_ERROR;
		if (lines && tenants) {
			kept = scores_last_of_key(rows, n, lines, tenants, &ntenants);
			dbe = scores_store(&a, config_get(cfg, "app.base_url", "http://127.0.0.1:8080"),
			                   path, lines, kept, n, tenants, ntenants, &enrolled, &qualified);
		}
		if (dbe != DB_OK)
			fprintf(stderr, "scores import: %s: nothing imported\n", db_strerror(dbe));
		else {
			printf("%zu score line(s) imported (%zu after replacements) for %zu company(ies) "
			       "in %.1f s of processor time\n", n, kept, ntenants,
			       (double)(clock() - t0) / CLOCKS_PER_SEC);
			printf("%lld designation(s) enrolled without paying, %lld newly qualified\n",
			       enrolled, qualified);
			rc = 0;
		}
		free(lines);
		free(tenants);
	}
	free(errs);
	free(rows);
	arena_free(&a);
	mail_teardown();
	return rc;
}

/* ---- competency set ---- */

/* `competency set PARTNER_ID gold|silver|none`: a PGA's legacy level; a
 * Gold or Silver holder's qualified areas are enrolled without paying. */
int
cmd_competency_set(const struct config *cfg, const char *partner_id, const char *level_s)
{
	int level = desig_level_parse(level_s);
	if (level < 0) {
		fprintf(stderr, "competency set: the level is gold, silver or none (not %s)\n", level_s);
		return 2;
	}
	if (mail_setup(cfg, "competency set") != 0)
		return 1;
	struct arena a;
	arena_init(&a, 65536);
	long long account = 0, tenant = 0, enrolled = 0, qualified = 0;
	enum db_err rc = db_pga_of_partner_id(&a, partner_id, &account, &tenant);
	if (rc == DB_OK && account == 0) {
		fprintf(stderr, "competency set: %s is not the ID of a partner global account (PGA)\n",
		            partner_id);
		arena_free(&a);
		mail_teardown();
		return 1;
	}
	if (rc == DB_OK)
		rc = db_begin();
	if (rc == DB_OK) {
		rc = db_competency_set(&a, account, (enum desig_level)level);
		if (rc == DB_OK)
			rc = ctl_audit(&a, tenant, "competency.set", partner_id,
			               arena_printf(&a, "{\"level\":\"%s\"}", level_s));
		if (rc == DB_OK)
			rc = settle_and_mail(&a, config_get(cfg, "app.base_url", "http://127.0.0.1:8080"),
			                     tenant, lead_day_of(time(NULL)), &enrolled, &qualified);
		rc = db_finish(rc);
	}
	arena_free(&a);
	mail_teardown();
	if (rc != DB_OK) {
		fprintf(stderr, "competency set: %s\n", db_strerror(rc));
		return 1;
	}
	printf("legacy competency of %s set to %s; %lld designation(s) enrolled without paying\n",
	       partner_id, level_s, enrolled);
	return 0;
}

/* ---- designations remind ---- */

/* `designations remind [--as-of YYYY-MM-DD]`: emails the admins of each
 * company whose renewal window is open, once per membership year. */
int
cmd_designations_remind(const struct config *cfg, int argc, char **argv)
{
	long today = lead_day_of(time(NULL));
	if (argc == 2 && strcmp(argv[0], "--as-of") == 0 && strlen(argv[1]) == 10 &&
	    lead_day(argv[1]) >= 0)
		today = lead_day(argv[1]);
	else if (argc != 0) {
		fprintf(stderr, "designations remind: usage: designations remind [--as-of YYYY-MM-DD]\n");
		return 2;
	}
	if (mail_setup(cfg, "designations remind") != 0)
		return 1;
	const char *base_url = config_get(cfg, "app.base_url", "http://127.0.0.1:8080");
	struct arena a;
	arena_init(&a, 65536);
	struct membership_row *m;
	size_t n = 0;
	long long reminded = 0;
	enum db_err rc = db_memberships(&a, &m, &n);
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		if (!desig_in_renewal(&m[i].m, today))
			continue;
		char paid[11];
		lead_day_format(desig_paid_through(&m[i].m), paid);
		bool first = false;
		if ((rc = db_begin()) != DB_OK)
			break;
		rc = db_notice_once(&a, m[i].tenant_id, "", desig_status_code(DESIG_RENEWAL_DUE), paid, &first);
		if (rc == DB_OK && first)
			rc = ctl_audit(&a, m[i].tenant_id, "designation.renewal_due", paid,
			               arena_printf(&a, "{\"paid_through\":\"%s\"}", paid));
		if (rc == DB_OK && first &&
		    program_mail_queue(&a, base_url, m[i].tenant_id, PROGRAM_MAIL_RENEWAL, NULL, NULL, 0,
		                       &m[i].m) != 0)
			rc = DB_ERROR;
		if ((rc = db_finish(rc)) == DB_OK && first)
			reminded++;
	}
	arena_free(&a);
	mail_teardown();
	if (rc != DB_OK) {
		fprintf(stderr, "designations remind: %s\n", db_strerror(rc));
		return 1;
	}
	char day[11];
	lead_day_format(today, day);
	printf("%lld company(ies) reminded of their renewal as of %s\n", reminded, day);
	return 0;
}
