/* Programs (DOMAIN §7, CONTRACT "Programs"): the designation metrics
 * (reference data), capability scores, legacy competency levels, the
 * Solutions Partner membership and its designations, their notices, and
 * ISV Success enrollment. Every query names the tenant (or the PGA of a
 * partner ID for the staff's imports). */
#ifndef PD_DB_PROGRAMS_H
#define PD_DB_PROGRAMS_H
#include "db/db.h"
#include "domain/designations.h"

/* The metrics of data/designation-metrics.tsv in the file's order. */
enum db_err db_desig_metrics(struct arena *a, struct desig_metric **out, size_t *n);

/* The live PGA of a partner ID: *account_id 0 when the ID is unknown, a
 * location's or deleted. */
enum db_err db_pga_of_partner_id(struct arena *a, const char *partner_id, long long *account_id,
                                 long long *tenant_id);

/* One line of a scores import, checked. */
struct score_line {
	long long   account_id, tenant_id;
	const char *area, *metric, *day; /* day "YYYY-MM-DD" */
	int         points;
};
/* Stores lines (each key once: the caller keeps the last), replacing the
 * points of a key already stored. Call inside a transaction. */
enum db_err db_scores_put(struct arena *a, const struct score_line *lines, size_t n);

/* A PGA's legacy level (none deletes it). Call inside a transaction. */
enum db_err db_competency_set(struct arena *a, long long account_id, enum desig_level level);

/* Everything the designations of a company are decided from, at today. */
struct desig_area_state {
	const char                *area;
	const struct desig_metric *metrics; /* into desig_state.metrics */
	size_t                     nmetrics;
	struct desig_score         score;
	bool                       enrolled;     /* a row in designations */
	const char                *enrolled_on;  /* "YYYY-MM-DD" when enrolled */
	const char                *how;          /* purchase, member, legacy */
	bool                       has_points;   /* some measurement in the window */
	enum desig_status          status;
};
struct desig_state {
	struct desig_metric     *metrics;
	size_t                   nmetrics;
	struct desig_area_state *areas;
	size_t                   nareas;
	struct desig_membership  membership;
	enum desig_level         legacy;
	long long                pga_account_id; /* 0 when the company has no PGA */
	const char              *pga_partner_id; /* "" when none */
	struct desig_window      window;
	long                     today;
};
/* Loads and decides (lock: the membership row and the designations locked
 * for the caller's transaction). */
enum db_err db_desig_state(struct arena *a, long long tenant_id, long today, bool lock,
                           struct desig_state *st);
/* The area's state, NULL when the data has no such area. */
struct desig_area_state *desig_state_area(struct desig_state *st, const char *area);

/* Enrolls an area on day (how: purchase, member, legacy; user_id 0: the
 * portal) and stores the membership m. Call inside a transaction. */
enum db_err db_designation_enroll(struct arena *a, long long tenant_id, const char *area,
                                  const char *day, const char *how, long long user_id);
/* Ends an area's enrollment (not renewed). Call inside a transaction. */
enum db_err db_designation_end(struct arena *a, long long tenant_id, const char *area);
enum db_err db_membership_put(struct arena *a, long long tenant_id,
                              const struct desig_membership *m);

/* Records a notice (kind: qualified, enrolled, renewal_due; area "" for the
 * membership) for period; *first true when it was not recorded before. */
enum db_err db_notice_once(struct arena *a, long long tenant_id, const char *area,
                           const char *kind, const char *period, bool *first);

/* What the portal decided on its own for a company (db_desig_settle). */
struct desig_event {
	const char     *area;
	enum desig_free free;      /* DESIG_FREE_NO: qualified, not enrolled */
	bool            notify;    /* the first notice of this kind: email it */
};
/* Decides at today what the company's scores and legacy level give,
 * inside the caller's transaction: each qualified area enrolled without
 * paying (a member, or a legacy Gold/Silver holder: desig_free_enrollment),
 * the membership started or kept, each qualification and enrollment
 * audited (actor: the system, by `by`); *ev the events (allocated in a). */
enum db_err db_desig_settle(struct arena *a, long long tenant_id, long today, const char *by,
                            struct desig_event **ev, size_t *nev);

/* The active global and account admins of a company (who get the emails). */
struct program_recipient {
	const char *email, *lang, *display_name;
};
enum db_err db_program_recipients(struct arena *a, long long tenant_id,
                                  struct program_recipient **out, size_t *n);
/* The companies with a membership whose renewal window may be open at
 * today (paid-through within DESIG_RENEWAL_DAYS), with their membership. */
struct membership_row {
	long long               tenant_id;
	struct desig_membership m;
};
enum db_err db_memberships(struct arena *a, struct membership_row **out, size_t *n);

/* ISV Success. */
struct isv_enrollment {
	const char    *solution_name, *solution_url, *enrolled_at;
	enum isv_stage stage;
};
enum db_err db_isv_get(struct arena *a, long long tenant_id, struct isv_enrollment *e,
                       bool *found);
/* *created false when the company was already enrolled. */
enum db_err db_isv_enroll(struct arena *a, long long tenant_id, const struct isv_enrollment *e,
                          long long user_id, bool *created);
#endif
