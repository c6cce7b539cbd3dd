#include "domain/designations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "domain/codes.h"

#define N(a) (sizeof(a) / sizeof(*(a)))

static const char *const status_codes[DESIG_STATUS__MAX] = {"in_progress", "qualified",
                                                            "enrolled", "renewal_due"};
DOMAIN_CODES(desig_status, enum desig_status, DESIG_STATUS__MAX, status_codes)
static const char *const status_labels[DESIG_STATUS__MAX] = {
    N_("In progress"), N_("Qualified"), N_("Enrolled"), N_("Enrolled (renewal due)")};

const char *
desig_status_label(enum desig_status s)
{
	return (unsigned)s < DESIG_STATUS__MAX ? status_labels[s] : "";
}

static const char *const action_codes[DESIG_ACTION__MAX] = {
    "qualify", "fall_back", "purchase", "enroll_free", "renewal_opens", "renew", "lapse"};
DOMAIN_CODES(desig_action, enum desig_action, DESIG_ACTION__MAX, action_codes)

/* DOMAIN §7: in progress → qualified → (paid, or free) enrolled → renewal due. */
static const struct desig_transition transitions[] = {
    {DESIG_IN_PROGRESS, DESIG_QUALIFY, DESIG_QUALIFIED},
    {DESIG_QUALIFIED, DESIG_FALL_BACK, DESIG_IN_PROGRESS},
    {DESIG_QUALIFIED, DESIG_PURCHASE, DESIG_ENROLLED},
    {DESIG_QUALIFIED, DESIG_ENROLL_FREE, DESIG_ENROLLED},
    {DESIG_ENROLLED, DESIG_RENEWAL_OPENS, DESIG_RENEWAL_DUE},
    {DESIG_RENEWAL_DUE, DESIG_RENEW, DESIG_ENROLLED},
    {DESIG_RENEWAL_DUE, DESIG_LAPSE, DESIG_IN_PROGRESS},
};

const struct desig_transition *
desig_next(enum desig_status from, enum desig_action action)
{
	for (size_t i = 0; i < N(transitions); i++)
		if (transitions[i].from == from && transitions[i].action == action)
			return &transitions[i];
	return NULL;
}

const struct desig_transition *
desig_transitions(size_t *n)
{
	*n = N(transitions);
	return transitions;
}

static const char *const level_codes[DESIG_LEVEL__MAX] = {"none", "silver", "gold"};
DOMAIN_CODES(desig_level, enum desig_level, DESIG_LEVEL__MAX, level_codes)

static const struct {
	const char *code, *label;
} categories[] = {
    {"performance", N_("Performance")},
    {"skilling", N_("Skilling")},
    {"customer_success", N_("Customer success")},
}, metrics[] = {
    {"net_customer_adds", N_("Net customer adds")},
    {"intermediate_certifications", N_("Intermediate certifications")},
    {"advanced_certifications", N_("Advanced certifications")},
    {"usage_growth", N_("Usage growth")},
    {"deployments", N_("Deployments")},
};

const char *
desig_category_label(const char *category)
{
	for (size_t i = 0; category && i < N(categories); i++)
		if (strcmp(categories[i].code, category) == 0)
			return categories[i].label;
	return category ? category : "";
}

const char *
desig_metric_label(const char *metric)
{
	for (size_t i = 0; metric && i < N(metrics); i++)
		if (strcmp(metrics[i].code, metric) == 0)
			return metrics[i].label;
	return metric ? metric : "";
}

/* ---- the calendar (H. Hinnant's civil algorithms) ---- */

static long
days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

/* ---- the window ---- */

void
desig_window_of(long today, struct desig_window *w)
{
	long y;
	unsigned m, d;
	civil_from_days(today, &y, &m, &d);
	long months = y * 12 + (long)(m - 1) - (DESIG_WINDOW_MONTHS - 1);
	w->first = days_from_civil(months / 12, (unsigned)(months % 12) + 1, 1);
	w->last = today;
}

bool
desig_in_window(const struct desig_window *w, long day)
{
	return day >= w->first && day <= w->last;
}

int
desig_month_index(const struct desig_window *w, long day)
{
	if (!desig_in_window(w, day))
		return -1;
	long y0, y;
	unsigned m0, m, d;
	civil_from_days(w->first, &y0, &m0, &d);
	civil_from_days(day, &y, &m, &d);
	return (int)((y * 12 + m) - (y0 * 12 + m0));
}

void
desig_month_label(const struct desig_window *w, int i, char out[8])
{
	long y;
	unsigned m, d;
	civil_from_days(w->first, &y, &m, &d);
	long months = y * 12 + (long)(m - 1) + i;
	char buf[32];
	snprintf(buf, sizeof(buf), "%04ld-%02ld", (months / 12) % 10000, months % 12 + 1);
	memcpy(out, buf, 7);
	out[7] = '\0';
}

/* ---- the score ---- */

bool
desig_day_qualifies(const int *points, size_t nm)
{
	int sum = 0;
	for (size_t i = 0; i < nm; i++) {
		if (points[i] <= 0)
			return false;
		sum += points[i];
	}
	return nm > 0 && sum >= DESIG_QUALIFY_POINTS;
}

static int
by_day(const void *x, const void *y)
{
	const struct desig_point *a = x, *b = y;
	return (a->day > b->day) - (a->day < b->day);
}

void
desig_score(const struct desig_metric *m, size_t nm, struct desig_point *p, size_t np, long today,
            struct desig_score *out)
{
	memset(out, 0, sizeof(*out));
	out->best_day = -1;
	for (int i = 0; i < DESIG_WINDOW_MONTHS; i++)
		out->month_best[i] = -1;
	if (nm > DESIG_MAX_METRICS)
		nm = DESIG_MAX_METRICS;
	/* Insertion sort: stable (the later of a day's lines wins) and linear on
	 * the input the database gives, already in day order. */
	for (size_t i = 1; i < np; i++)
		for (size_t j = i; j > 0 && by_day(&p[j - 1], &p[j]) > 0; j--) {
			struct desig_point t = p[j];
			p[j] = p[j - 1];
			p[j - 1] = t;
		}
	struct desig_window w;
	desig_window_of(today, &w);
	int cur[DESIG_MAX_METRICS] = {0};
	bool best_q = false;
	int last_month = -1, carried = 0; /* the month of the last day scored, its score */
	for (size_t i = 0; i < np;) {
		long day = p[i].day;
		bool in = desig_in_window(&w, day);
		for (; i < np && p[i].day == day; i++)
			if (in && p[i].metric >= 0 && (size_t)p[i].metric < nm) /* within 0..max */
				cur[p[i].metric] = p[i].points < 0 ? 0
				                   : p[i].points > m[p[i].metric].max_points
				                       ? m[p[i].metric].max_points
				                       : p[i].points;
		if (!in)
			continue;
		int sum = 0;
		for (size_t k = 0; k < nm; k++)
			sum += cur[k];
		bool q = desig_day_qualifies(cur, nm);
		int mi = desig_month_index(&w, day);
		/* A month entered with points already measured starts at the carried score. */
		for (int k = last_month < 0 ? mi : last_month + 1; k <= mi && last_month >= 0; k++)
			if (carried > out->month_best[k])
				out->month_best[k] = carried;
		if (sum > out->month_best[mi])
			out->month_best[mi] = sum;
		last_month = mi;
		carried = sum;
		if (out->best_day < 0 || (q && !best_q) || (q == best_q && sum >= out->score)) {
			out->best_day = day;
			out->score = sum;
			best_q = q;
			memcpy(out->points, cur, sizeof(cur));
		}
	}
	for (int k = last_month + 1; last_month >= 0 && k < DESIG_WINDOW_MONTHS; k++)
		out->month_best[k] = carried; /* through today's month, the last one */
	out->qualified = best_q;
}

/* ---- membership ---- */

long
desig_add_years(long day, int years)
{
	long y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	y += years;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		d = 28;
	return days_from_civil(y, m, d);
}

long
desig_paid_through(const struct desig_membership *m)
{
	return m->anniversary < 0 ? -1 : desig_add_years(m->anniversary, m->years);
}

bool
desig_member(const struct desig_membership *m, long today)
{
	return m->anniversary >= 0 && today >= m->anniversary && today < desig_paid_through(m);
}

long
desig_renewal_start(const struct desig_membership *m)
{
	return m->anniversary < 0 ? -1 : desig_paid_through(m) - DESIG_RENEWAL_DAYS;
}

bool
desig_in_renewal(const struct desig_membership *m, long today)
{
	return desig_member(m, today) && today >= desig_renewal_start(m);
}

struct desig_membership
desig_membership_after(const struct desig_membership *m, long today, bool renew)
{
	if (desig_member(m, today))
		return (struct desig_membership){m->anniversary, m->years + (renew ? 1 : 0)};
	return (struct desig_membership){today, 1};
}

enum desig_status
desig_status_at(bool qualified, bool enrolled, const struct desig_membership *m, long today)
{
	if (enrolled && desig_member(m, today))
		return desig_in_renewal(m, today) ? DESIG_RENEWAL_DUE : DESIG_ENROLLED;
	return qualified ? DESIG_QUALIFIED : DESIG_IN_PROGRESS;
}

static const char *const refusal_codes[DESIG_REFUSAL__MAX] = {
    "", "unknown_area", "not_qualified", "enrolled", "no_area", "fee", "not_partner"};
DOMAIN_CODES(desig_refusal, enum desig_refusal, DESIG_REFUSAL__MAX, refusal_codes)

const char *
desig_refusal_message(enum desig_refusal r)
{
	switch (r) {
	case DESIG_REFUSE_UNKNOWN_AREA:
		return N_("Choose solution areas from the list.");
	case DESIG_REFUSE_NOT_QUALIFIED:
		return N_("Only a qualified area can be bought: it needs a score of at least 70 with every metric above 0 on one day of the last six months.");
	case DESIG_REFUSE_ENROLLED:
		return N_("This area is already enrolled; it can be renewed in the 30 days before the anniversary.");
	case DESIG_REFUSE_NO_AREA:
		return N_("Choose at least one qualified solution area.");
	case DESIG_REFUSE_FEE:
		return N_("Accept the yearly fee to enroll.");
	case DESIG_REFUSE_NOT_PARTNER:
		return N_("Join the partner program first: designations belong to the partner global account.");
	default:
		return "";
	}
}

enum desig_refusal
desig_purchase_check(enum desig_status s, bool qualified)
{
	const struct desig_transition *t =
	    desig_next(s, s == DESIG_RENEWAL_DUE ? DESIG_RENEW : DESIG_PURCHASE);
	if (t == NULL)
		return s == DESIG_ENROLLED ? DESIG_REFUSE_ENROLLED : DESIG_REFUSE_NOT_QUALIFIED;
	return qualified ? DESIG_REFUSE_NONE : DESIG_REFUSE_NOT_QUALIFIED;
}

const char *
desig_free_code(enum desig_free f)
{
	return f == DESIG_FREE_MEMBER ? "member" : f == DESIG_FREE_LEGACY ? "legacy" : "";
}

enum desig_free
desig_free_enrollment(enum desig_status s, enum desig_level legacy, bool member)
{
	if (desig_next(s, DESIG_ENROLL_FREE) == NULL)
		return DESIG_FREE_NO;
	if (member)
		return DESIG_FREE_MEMBER;
	return legacy == DESIG_LEVEL_GOLD || legacy == DESIG_LEVEL_SILVER ? DESIG_FREE_LEGACY
	                                                                  : DESIG_FREE_NO;
}

/* ---- the membership page ---- */

static const char *const program_codes[PROGRAM__MAX] = {"partner_program", "csp",
                                                        "solutions_partner", "isv_success"};
const char *
program_code(enum program p)
{
	return (unsigned)p < PROGRAM__MAX ? program_codes[p] : "";
}

static const char *const pstatus_codes[PROGRAM_STATUS__MAX] = {
    "not_enrolled", "active", "pending", "rejected", "in_progress", "qualified", "enrolled",
    "renewal_due"};
DOMAIN_CODES(program_status, enum program_status, PROGRAM_STATUS__MAX, pstatus_codes)
static const char *const pstatus_labels[PROGRAM_STATUS__MAX] = {
    N_("Not enrolled"), N_("Active"),    N_("Application under way"), N_("Application rejected"),
    N_("In progress"),  N_("Qualified"), N_("Enrolled"),              N_("Enrolled (renewal due)")};

const char *
program_status_label(enum program_status s)
{
	return (unsigned)s < PROGRAM_STATUS__MAX ? pstatus_labels[s] : "";
}

enum program_status
program_csp_status(enum csp_status s)
{
	switch (s) {
	case CSP_NONE:
		return PROGRAM_NOT_ENROLLED;
	case CSP_ACTIVE:
		return PROGRAM_ACTIVE;
	case CSP_REJECTED:
		return PROGRAM_REJECTED;
	default: /* draft, pending review, information requested, approved (agreement to accept) */
		return PROGRAM_PENDING;
	}
}

enum program_status
program_solutions_status(const enum desig_status *s, size_t n, bool points)
{
	bool enrolled = false, renewal = false, qualified = false;
	for (size_t i = 0; i < n; i++) {
		renewal |= s[i] == DESIG_RENEWAL_DUE;
		enrolled |= s[i] == DESIG_ENROLLED;
		qualified |= s[i] == DESIG_QUALIFIED;
	}
	if (renewal)
		return PROGRAM_RENEWAL_DUE;
	if (enrolled)
		return PROGRAM_ENROLLED;
	if (qualified)
		return PROGRAM_QUALIFIED;
	return points ? PROGRAM_IN_PROGRESS : PROGRAM_NOT_ENROLLED;
}

/* ---- ISV Success ---- */

const char *const isv_stage_codes[] = {"idea", "build", "publish", NULL};
DOMAIN_CODES(isv_stage, enum isv_stage, ISV_STAGE__MAX, isv_stage_codes)
static const char *const stage_labels[ISV_STAGE__MAX] = {
    N_("Idea: designing the solution"), N_("Build: developing the solution"),
    N_("Publish: ready for the marketplace")};

const char *
isv_stage_label(enum isv_stage s)
{
	return (unsigned)s < ISV_STAGE__MAX ? stage_labels[s] : "";
}

/* The seed FAQ's "Rejoignez ISV Success" and "Différenciez votre entreprise". */
static const struct isv_benefit benefits[] = {
    {"technical_consultations", N_("Technical consultations"),
     N_("One-to-one technical consultations to design and build your application.")},
    {"ai_tooling", N_("AI tooling"),
     N_("Access to the vendor's AI studio and hosted models to build intelligent applications.")},
    {"support_plan", N_("Round-the-clock support plan"),
     N_("A cloud support plan that answers 24 hours a day, 7 days a week.")},
    {"cloud_credits", N_("Cloud credits and developer tools"),
     N_("Cloud credits and developer tools free for 12 months, with no commitment to renew.")},
    {"go_to_market", N_("Go-to-market resources"),
     N_("Marketing resources to launch and promote your solution.")},
};

const struct isv_benefit *
isv_benefits(size_t *n)
{
	*n = N(benefits);
	return benefits;
}
