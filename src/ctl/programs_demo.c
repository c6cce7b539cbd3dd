/* The demo's designations (scripts/run --demo; ctl/ctl.h demo_programs):
 * companies with designations in every status, their scores relative to
 * today. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl/ctl.h"
#include "db/accounts.h"
#include "db/audit.h"
#include "db/partners.h"
#include "db/programs.h"
#include "domain/designations.h"
#include "domain/email_rules.h"
#include "domain/leads.h"

/* The demo's scores of one area for the company's PGA: each metric's
 * points (-1: not measured) reached in three steps over the window, 140,
 * 70 and 10 days before today. */
static enum db_err
demo_area_scores(struct arena *a, const struct desig_state *st, long long tenant_id,
                 const char *area, const int *points, long today)
{
	struct desig_area_state *ar = desig_state_area((struct desig_state *)st, area);
	if (ar == NULL)
		return DB_OK;
	struct score_line lines[3 * DESIG_MAX_METRICS];
	size_t n = 0;
	static const long days_ago[] = {140, 70, 10};
	for (size_t k = 0; k < ar->nmetrics; k++) {
		if (points[k] < 0)
			continue;
		for (int s = 0; s < 3; s++) {
			char *d = arena_alloc(a, 11);
			lead_day_format(today - days_ago[s], d);
			int p = points[k] * (s + 1) / 3;
			lines[n++] = (struct score_line){st->pga_account_id, tenant_id, ar->area,
			                                 ar->metrics[k].metric, d, p > ar->metrics[k].max_points
			                                                               ? ar->metrics[k].max_points
			                                                               : p};
		}
	}
	return db_scores_put(a, lines, n);
}

/* Enrolls areas on the membership m (enrolled on its anniversary). */
static enum db_err
demo_enroll(struct arena *a, long long tenant_id, const struct desig_membership *m,
            const char *const *areas, size_t n)
{
	char day[11];
	lead_day_format(m->anniversary, day);
	enum db_err rc = db_membership_put(a, tenant_id, m);
	for (size_t i = 0; i < n && rc == DB_OK; i++)
		rc = db_designation_enroll(a, tenant_id, areas[i], day, "purchase", 0);
	return rc;
}

struct demo_programs_company {
	const char *company, *country, *email, *name, *street, *city, *postal_code, *website;
};
/* The third demo company, enrolled in designations and ISV Success. */
static const struct demo_programs_company tailwind = {
    "Tailwind Traders GmbH", "DE", "lena.vogel@tailwind-demo.example", "Lena Vogel",
    "Friedrichstraße 68", "Berlin", "10117", "https://tailwind-demo.example"};

/* The company of email (0 when there is none), created (verified, in the
 * partner program) from c when given. */
static enum db_err
demo_tenant(struct arena *a, const char *email, const struct demo_programs_company *c,
            const char *pwhash, long long *tenant)
{
	struct user_row u;
	bool found = false;
	*tenant = 0;
	enum db_err rc = db_user_by_email(a, email, &u, &found);
	if (rc == DB_OK && !found && c) {
		long long user_id = 0;
		rc = db_signup(a, c->company, c->country, email_domain(c->email), c->email, c->name,
		               pwhash, "en", &user_id);
		if (rc == DB_OK)
			rc = db_user_mark_verified(a, user_id);
		if (rc == DB_OK)
			rc = db_user_by_id(a, user_id, &u, &found);
		const char *pga = NULL, *pla = NULL;
		struct partner_account legal = {
		    .name = c->company, .country = c->country, .address_line1 = c->street,
		    .address_line2 = "", .city = c->city, .region = "", .postal_code = c->postal_code,
		    .phone = "+49 30 123456", .website = c->website, .contact_name = c->name,
		    .contact_email = c->email};
		if (rc == DB_OK && found)
			rc = db_partner_enroll(a, u.tenant_id, &legal, &pga, &pla);
	}
	if (rc == DB_OK && found)
		*tenant = u.tenant_id;
	return rc;
}

enum db_err
demo_programs(struct arena *a, const char *contoso, const char *fabrikam, const char *pwhash)
{
	long today = lead_day_of(time(NULL));
	long long t[3];
	enum db_err rc = demo_tenant(a, contoso, NULL, NULL, &t[0]);
	if (rc == DB_OK)
		rc = demo_tenant(a, fabrikam, NULL, NULL, &t[1]);
	if (rc == DB_OK)
		rc = demo_tenant(a, tailwind.email, &tailwind, pwhash, &t[2]);
	for (int i = 0; i < 3 && rc == DB_OK; i++) {
		struct desig_state st;
		if (t[i] == 0 || (rc = db_desig_state(a, t[i], today, false, &st)) != DB_OK)
			continue;
		bool any = false;
		for (size_t k = 0; k < st.nareas; k++)
			any |= st.areas[k].has_points;
		if (any || st.pga_account_id == 0)
			continue; /* the demo ran before, or the company is not a partner */
		/* Points per metric in the data's order (data_ai: 4 metrics; others: 5, security 4). */
		static const int data_ai_q[] = {30, 30, 15, 10}, security_low[] = {12, 24, 10, 8},
		                 modern_zero[] = {20, 10, 15, 30, 0}, infra_q[] = {30, 16, 12, 16, 8},
		                 security_q[] = {20, 34, 14, 14}, bizapps_q[] = {15, 20, 15, 24, 16};
		if ((rc = db_begin()) != DB_OK)
			break;
		if (i == 0) { /* Contoso: qualified, in progress, a metric at 0 */
			rc = demo_area_scores(a, &st, t[i], "data_ai", data_ai_q, today);
			if (rc == DB_OK)
				rc = demo_area_scores(a, &st, t[i], "security", security_low, today);
			if (rc == DB_OK)
				rc = demo_area_scores(a, &st, t[i], "modern_work", modern_zero, today);
		} else if (i == 1) { /* Fabrikam: renewal due in 20 days */
			static const char *const areas[] = {"security", "infrastructure"};
			struct desig_membership m = {desig_add_years(today + 20, -1), 1};
			rc = demo_area_scores(a, &st, t[i], "security", security_q, today);
			if (rc == DB_OK)
				rc = demo_area_scores(a, &st, t[i], "infrastructure", infra_q, today);
			if (rc == DB_OK)
				rc = demo_enroll(a, t[i], &m, areas, 2);
		} else { /* Tailwind: enrolled for three months */
			static const char *const areas[] = {"data_ai", "business_applications"};
			struct desig_membership m = {today - 90, 1};
			rc = demo_area_scores(a, &st, t[i], "data_ai", data_ai_q, today);
			if (rc == DB_OK)
				rc = demo_area_scores(a, &st, t[i], "business_applications", bizapps_q, today);
			if (rc == DB_OK)
				rc = demo_area_scores(a, &st, t[i], "security", security_low, today);
			if (rc == DB_OK)
				rc = demo_enroll(a, t[i], &m, areas, 2);
			bool created = false;
			struct isv_enrollment isv = {"Tailwind Shelf Insights",
			                             "https://tailwind-demo.example/shelf", NULL, ISV_BUILD};
			if (rc == DB_OK)
				rc = db_isv_enroll(a, t[i], &isv, 0, &created);
		}
		rc = db_finish(rc);
	}
	return rc;
}
