/* Solutions Partner designations (DOMAIN §7, CONTRACT "Programs"): the
 * partner capability score of a solution area over the qualification
 * window, the status of a designation and its transition table, the yearly
 * membership fee and its shared anniversary, the renewal window, free
 * enrollment, and the other programs' status codes on the membership page.
 * Pure: dates come in as day numbers (days since 1970-01-01, see
 * domain/leads.h lead_day), the metrics as data (data/designation-metrics.tsv).
 *
 * Decisions (ours, documented here and on the pages):
 * - The window is the current month and the five before it, from the first
 *   day of the oldest month through today; a measurement outside it (older,
 *   or after today) is ignored.
 * - A metric's points on a day are those of its latest measurement on or
 *   before that day inside the window, 0 before its first one: a day's
 *   score is the sum over the metrics. Scores change only on days with a
 *   measurement, so those days are the ones compared.
 * - The area's best day is the highest-scoring qualifying day when one
 *   qualifies (score ≥ 70 and every metric > 0), else the highest-scoring
 *   day; ties go to the latest day. data-score is that day's score and the
 *   metrics' points are that day's.
 * - One yearly fee covers every area: the membership starts with the first
 *   enrollment (its anniversary) and is paid through the anniversary a year
 *   later; a designation enrolled later shares it. The renewal window is the
 *   30 days before the paid-through day (that day minus 30 up to the day
 *   before it): enrolled designations are renewal_due there. A renewal pays
 *   one more year from the same anniversary for every area that still
 *   qualifies (the others end). Not renewed by the paid-through
 *   day, the membership lapses and each area falls back to its score.
 * - Enrolled without paying (audited, decided when scores are imported or a
 *   competency level is set): a qualified area of a company whose membership
 *   is active, or of a legacy Gold or Silver holder (whose membership then
 *   starts that day). */
#ifndef PD_DOMAIN_DESIGNATIONS_H
#define PD_DOMAIN_DESIGNATIONS_H
#include <stdbool.h>
#include <stddef.h>

#include "domain/csp.h"

#define DESIG_QUALIFY_POINTS 70 /* DOMAIN §7: qualified at 70 points or more */
#define DESIG_MAX_POINTS     100 /* an area's score is out of 100 */
#define DESIG_WINDOW_MONTHS  6  /* DOMAIN §7 / research §5: the current month and five before */
#define DESIG_RENEWAL_DAYS   30 /* our choice: the renewal window before the anniversary */
#define DESIG_MAX_METRICS    8  /* metrics per area (the data has 4 or 5) */
#define DESIG_FEE_USD        "4,730" /* research §5: the yearly fee, one for every area */

enum desig_status {
	DESIG_IN_PROGRESS,
	DESIG_QUALIFIED,
	DESIG_ENROLLED,
	DESIG_RENEWAL_DUE,
	DESIG_STATUS__MAX
};
const char *desig_status_code(enum desig_status s); /* "in_progress", … */
int desig_status_parse(const char *s);
const char *desig_status_label(enum desig_status s); /* msgid */

/* What moves a designation. */
enum desig_action {
	DESIG_QUALIFY,       /* the score reaches the bar (scores import) */
	DESIG_FALL_BACK,     /* the score falls below it again */
	DESIG_PURCHASE,      /* the fee is paid */
	DESIG_ENROLL_FREE,   /* legacy holder, or already a member */
	DESIG_RENEWAL_OPENS, /* the renewal window starts */
	DESIG_RENEW,         /* the next year is paid */
	DESIG_LAPSE,         /* the paid-through day passed without renewal */
	DESIG_ACTION__MAX
};
const char *desig_action_code(enum desig_action a);
int desig_action_parse(const char *s);
struct desig_transition {
	enum desig_status from;
	enum desig_action action;
	enum desig_status to;
};
/* The transition of action from `from`, NULL when the table has none. */
const struct desig_transition *desig_next(enum desig_status from, enum desig_action action);
const struct desig_transition *desig_transitions(size_t *n);

/* The legacy competency level of a PGA (`ctl competency set`). */
enum desig_level { DESIG_LEVEL_NONE, DESIG_LEVEL_SILVER, DESIG_LEVEL_GOLD, DESIG_LEVEL__MAX };
const char *desig_level_code(enum desig_level l); /* "none", "silver", "gold" */
int desig_level_parse(const char *s);

/* One metric of the reference data. */
struct desig_metric {
	const char *area, *category, *metric;
	int         max_points;
};
/* Labels (msgids) of the codes of the data; the code itself when unknown. */
const char *desig_category_label(const char *category);
const char *desig_metric_label(const char *metric);

/* ---- the window ---- */
struct desig_window {
	long first, last; /* first day of the oldest month, today */
};
void desig_window_of(long today, struct desig_window *w);
bool desig_in_window(const struct desig_window *w, long day);
/* The month index of day in the window (0 the oldest), -1 outside. */
int desig_month_index(const struct desig_window *w, long day);
/* "YYYY-MM" of the window's month i. */
void desig_month_label(const struct desig_window *w, int i, char out[8]);

/* ---- the score ---- */
/* One measurement: the metric's index in the area's metric list. */
struct desig_point {
	int  metric;
	long day;
	int  points;
};
struct desig_score {
	int  score;     /* the best day's, 0 when nothing was measured in the window */
	long best_day;  /* -1 when none */
	bool qualified; /* some day qualifies */
	int  points[DESIG_MAX_METRICS]; /* each metric's points on the best day */
	int  month_best[DESIG_WINDOW_MONTHS]; /* the best score of a day of each month (a month
	                                         * after the first measurement starts at the
	                                         * score carried into it), -1 before it */
};
/* The area's score at today from its nm metrics (at most DESIG_MAX_METRICS)
 * and np measurements, which it sorts by day in place (same day: array order,
 * the later one wins); points are held within 0..the metric's maximum. */
void desig_score(const struct desig_metric *m, size_t nm, struct desig_point *p, size_t np,
                 long today, struct desig_score *out);
/* A day qualifies: sum ≥ 70 and every metric above 0. */
bool desig_day_qualifies(const int *points, size_t nm);

/* ---- membership: one fee, one anniversary ---- */
struct desig_membership {
	long anniversary; /* the first enrollment's day, -1 when never */
	int  years;       /* years paid from it */
};
/* The day the paid years end: the anniversary `years` later (29 February
 * becomes 28 February in a common year). -1 when none. */
long desig_paid_through(const struct desig_membership *m);
long desig_add_years(long day, int years);
bool desig_member(const struct desig_membership *m, long today);
/* The first day of the renewal window (paid-through day − 30); its last
 * day is the day before the paid-through day. */
long desig_renewal_start(const struct desig_membership *m);
bool desig_in_renewal(const struct desig_membership *m, long today);
/* The membership after enrolling on today: unchanged while active (the
 * new designation shares the anniversary), one year more for a renewal,
 * a new one from today otherwise. */
struct desig_membership desig_membership_after(const struct desig_membership *m, long today,
                                               bool renew);

/* The status of an area at today. */
enum desig_status desig_status_at(bool qualified, bool enrolled, const struct desig_membership *m,
                                  long today);

/* Why an area may not be bought. */
enum desig_refusal {
	DESIG_REFUSE_NONE,
	DESIG_REFUSE_UNKNOWN_AREA,
	DESIG_REFUSE_NOT_QUALIFIED, /* below 70 or a metric at 0 in the window */
	DESIG_REFUSE_ENROLLED,      /* already enrolled, renewal not open yet */
	DESIG_REFUSE_NO_AREA,       /* none chosen */
	DESIG_REFUSE_FEE,           /* the fee not accepted */
	DESIG_REFUSE_NOT_PARTNER,   /* no PGA: the company must join the partner program */
	DESIG_REFUSAL__MAX
};
const char *desig_refusal_code(enum desig_refusal r);
int desig_refusal_parse(const char *s);
const char *desig_refusal_message(enum desig_refusal r); /* msgid; "" for none */
/* The verdict on buying an area shown in status s (qualified: whether it
 * qualifies in the window now, needed for a renewal too). */
enum desig_refusal desig_purchase_check(enum desig_status s, bool qualified);

/* How a qualified area is enrolled without paying. */
enum desig_free { DESIG_FREE_NO, DESIG_FREE_MEMBER, DESIG_FREE_LEGACY };
const char *desig_free_code(enum desig_free f); /* "", "member", "legacy" */
enum desig_free desig_free_enrollment(enum desig_status s, enum desig_level legacy,
                                      bool member);

/* ---- the membership page: one status per program ---- */
enum program { PROGRAM_PARTNER, PROGRAM_CSP, PROGRAM_SOLUTIONS_PARTNER, PROGRAM_ISV, PROGRAM__MAX };
const char *program_code(enum program p); /* "partner_program", "csp", "solutions_partner", "isv_success" */
enum program_status {
	PROGRAM_NOT_ENROLLED, /* not joined (no application, no score) */
	PROGRAM_ACTIVE,       /* partner program joined; CSP account active */
	PROGRAM_PENDING,      /* CSP application under way (draft to approved) */
	PROGRAM_REJECTED,     /* CSP application rejected */
	PROGRAM_IN_PROGRESS,  /* Solutions Partner: some points, nothing qualified */
	PROGRAM_QUALIFIED,    /* Solutions Partner: some area qualified, none enrolled */
	PROGRAM_ENROLLED,     /* Solutions Partner: some area enrolled; ISV Success: enrolled */
	PROGRAM_RENEWAL_DUE,  /* Solutions Partner: the renewal window is open */
	PROGRAM_STATUS__MAX
};
const char *program_status_code(enum program_status s);
int program_status_parse(const char *s);
const char *program_status_label(enum program_status s); /* msgid */
/* The CSP program's status from the company's application. */
enum program_status program_csp_status(enum csp_status s);
/* The Solutions Partner program's status from its areas' statuses (and
 * whether any area has points). */
enum program_status program_solutions_status(const enum desig_status *s, size_t n, bool points);

/* ---- ISV Success ---- */
enum isv_stage { ISV_IDEA, ISV_BUILD, ISV_PUBLISH, ISV_STAGE__MAX };
const char *isv_stage_code(enum isv_stage s);
int isv_stage_parse(const char *s);
const char *isv_stage_label(enum isv_stage s); /* msgid */
extern const char *const isv_stage_codes[]; /* NULL-terminated, the form's choices */
/* The benefits of ISV Success (seed FAQ): code and label (msgid). */
struct isv_benefit {
	const char *code, *label, *detail;
};
const struct isv_benefit *isv_benefits(size_t *n);
#endif
