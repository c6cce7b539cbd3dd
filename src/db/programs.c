#include "db/programs.h"

#include <stdio.h>
#include <string.h>

#include "core/sbuf.h"
#include "db/audit.h"
#include "domain/leads.h"

DB_STMT(st_metrics, "SELECT solution_area, category, metric, max_points FROM designation_metrics "
                    "ORDER BY position");
enum db_err
db_desig_metrics(struct arena *a, struct desig_metric **out, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_metrics, &res, "");
	if (rc != DB_OK)
		return rc;
	*out = arena_alloc(a, (res.nrows ? res.nrows : 1) * sizeof(**out));
	for (size_t i = 0; i < res.nrows; i++)
		(*out)[i] = (struct desig_metric){db_cell(&res, i, 0), db_cell(&res, i, 1),
		                                  db_cell(&res, i, 2), (int)db_cell_ll(&res, i, 3)};
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_pga_of, "SELECT id, tenant_id FROM partner_accounts WHERE partner_id=? AND "
                   "kind='global' AND status<>'deleted'");
enum db_err
db_pga_of_partner_id(struct arena *a, const char *partner_id, long long *account_id,
                     long long *tenant_id)
{
	struct db_result res;
	*account_id = *tenant_id = 0;
	enum db_err rc = db_exec(a, &st_pga_of, &res, "s", partner_id);
	if (rc == DB_OK && res.nrows == 1) {
		*account_id = db_cell_ll(&res, 0, 0);
		*tenant_id = db_cell_ll(&res, 0, 1);
	}
	return rc;
}

/* Many lines per statement: a JSON array of [account, tenant, area, metric, day, points]. */
DB_STMT(st_scores_put,
        "INSERT INTO capability_scores (partner_account_id, tenant_id, solution_area, metric, "
        "day, points) SELECT j.acc, j.ten, j.area, j.metric, j.day, j.points FROM JSON_TABLE(?, "
        "'$[*]' COLUMNS (acc BIGINT UNSIGNED PATH '$[0]', ten BIGINT UNSIGNED PATH '$[1]', "
        "area VARCHAR(40) PATH '$[2]', metric VARCHAR(60) PATH '$[3]', day DATE PATH '$[4]', "
        "points SMALLINT UNSIGNED PATH '$[5]')) j ON DUPLICATE KEY UPDATE "
        "points=VALUES(points), imported_at=CURRENT_TIMESTAMP(3)");
#define SCORES_PER_STATEMENT 2000

enum db_err
db_scores_put(struct arena *a, const struct score_line *lines, size_t n)
{
	enum db_err rc = DB_OK;
	struct sbuf b = {0};
	for (size_t i = 0; i < n && rc == DB_OK; i += SCORES_PER_STATEMENT) {
		sbuf_reset(&b);
		sbuf_adds(&b, "[");
		for (size_t k = i; k < n && k < i + SCORES_PER_STATEMENT; k++) {
			const struct score_line *l = &lines[k];
			/* Codes and dates were checked against the data: no character to escape. */
			sbuf_printf(&b, "%s[%lld,%lld,\"%s\",\"%s\",\"%s\",%d]", k > i ? "," : "",
			            l->account_id, l->tenant_id, l->area, l->metric, l->day, l->points);
		}
		sbuf_adds(&b, "]");
		rc = db_exec(a, &st_scores_put, NULL, "s", sbuf_cstr(&b));
	}
	sbuf_free(&b);
	return rc;
}

DB_STMT(st_competency_put, "INSERT INTO legacy_competencies (partner_account_id, level) VALUES "
                           "(?,?) ON DUPLICATE KEY UPDATE level=VALUES(level), "
                           "updated_at=CURRENT_TIMESTAMP(3)");
DB_STMT(st_competency_del, "DELETE FROM legacy_competencies WHERE partner_account_id=?");
enum db_err
db_competency_set(struct arena *a, long long account_id, enum desig_level level)
{
	if (level == DESIG_LEVEL_NONE)
		return db_exec(a, &st_competency_del, NULL, "i", account_id);
	return db_exec(a, &st_competency_put, NULL, "is", account_id, desig_level_code(level));
}

DB_STMT(st_state_pga,
        "SELECT g.id, g.partner_id, COALESCE(c.level,'none') FROM partner_accounts g LEFT JOIN "
        "legacy_competencies c ON c.partner_account_id=g.id WHERE g.live_pga_tenant=?");
DB_STMT(st_state_membership, "SELECT DATE_FORMAT(anniversary,'%Y-%m-%d'), years FROM "
                             "designation_memberships WHERE tenant_id=?");
DB_STMT(st_state_membership_lock, "SELECT DATE_FORMAT(anniversary,'%Y-%m-%d'), years FROM "
                                  "designation_memberships WHERE tenant_id=? FOR UPDATE");
DB_STMT(st_state_designations, "SELECT solution_area, DATE_FORMAT(enrolled_on,'%Y-%m-%d'), how "
                               "FROM designations WHERE tenant_id=?");
DB_STMT(st_state_designations_lock,
        "SELECT solution_area, DATE_FORMAT(enrolled_on,'%Y-%m-%d'), how FROM designations "
        "WHERE tenant_id=? FOR UPDATE");
DB_STMT(st_state_scores,
        "SELECT s.solution_area, s.metric, DATE_FORMAT(s.day,'%Y-%m-%d'), s.points FROM "
        "capability_scores s JOIN partner_accounts g ON g.id=s.partner_account_id AND "
        "g.live_pga_tenant=s.tenant_id WHERE s.tenant_id=? AND s.day>=? AND s.day<=? "
        "ORDER BY s.solution_area, s.day");

struct desig_area_state *
desig_state_area(struct desig_state *st, const char *area)
{
	for (size_t i = 0; area && i < st->nareas; i++)
		if (strcmp(st->areas[i].area, area) == 0)
			return &st->areas[i];
	return NULL;
}

/* The areas of the metrics, in the data's order, each with its metrics. */
static void
state_areas(struct arena *a, struct desig_state *st)
{
	st->areas = arena_alloc(a, (st->nmetrics ? st->nmetrics : 1) * sizeof(*st->areas));
	st->nareas = 0;
	for (size_t i = 0; i < st->nmetrics; i++) {
		struct desig_area_state *ar = desig_state_area(st, st->metrics[i].area);
		if (ar == NULL) {
			ar = &st->areas[st->nareas++];
			memset(ar, 0, sizeof(*ar));
			ar->area = st->metrics[i].area;
			ar->metrics = &st->metrics[i]; /* the data lists an area's metrics together */
		}
		if (ar->metrics + ar->nmetrics == &st->metrics[i])
			ar->nmetrics++;
	}
}

static int
metric_index(const struct desig_area_state *ar, const char *metric)
{
	for (size_t k = 0; k < ar->nmetrics; k++)
		if (strcmp(ar->metrics[k].metric, metric) == 0)
			return (int)k;
	return -1;
}

enum db_err
db_desig_state(struct arena *a, long long tenant_id, long today, bool lock,
               struct desig_state *st)
{
	struct db_result res;
	memset(st, 0, sizeof(*st));
	st->today = today;
	st->membership.anniversary = -1;
	st->pga_partner_id = "";
	desig_window_of(today, &st->window);
	enum db_err rc = db_desig_metrics(a, &st->metrics, &st->nmetrics);
	if (rc != DB_OK)
		return rc;
	state_areas(a, st);
	if ((rc = db_exec(a, &st_state_pga, &res, "i", tenant_id)) != DB_OK)
		return rc;
	if (res.nrows == 1) {
		st->pga_account_id = db_cell_ll(&res, 0, 0);
		st->pga_partner_id = db_cell(&res, 0, 1);
		int l = desig_level_parse(db_cell(&res, 0, 2));
		st->legacy = l < 0 ? DESIG_LEVEL_NONE : (enum desig_level)l;
	}
	rc = db_exec(a, lock ? &st_state_membership_lock : &st_state_membership, &res, "i",
	             tenant_id);
	if (rc != DB_OK)
		return rc;
	if (res.nrows == 1) {
		st->membership.anniversary = lead_day(db_cell(&res, 0, 0));
		st->membership.years = (int)db_cell_ll(&res, 0, 1);
	}
	rc = db_exec(a, lock ? &st_state_designations_lock : &st_state_designations, &res, "i",
	             tenant_id);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		struct desig_area_state *ar = desig_state_area(st, db_cell(&res, i, 0));
		if (ar) {
			ar->enrolled = true;
			ar->enrolled_on = db_cell(&res, i, 1);
			ar->how = db_cell(&res, i, 2);
		}
	}
	char first[11], last[11];
	lead_day_format(st->window.first, first);
	lead_day_format(today, last);
	if ((rc = db_exec(a, &st_state_scores, &res, "iss", tenant_id, first, last)) != DB_OK)
		return rc;
	struct desig_point *pts = arena_alloc(a, (res.nrows ? res.nrows : 1) * sizeof(*pts));
	size_t row = 0;
	for (size_t i = 0; i < st->nareas; i++) {
		struct desig_area_state *ar = &st->areas[i];
		size_t np = 0;
		for (row = 0; row < res.nrows; row++) {
			if (strcmp(db_cell(&res, row, 0), ar->area) != 0)
				continue;
			int k = metric_index(ar, db_cell(&res, row, 1));
			if (k < 0)
				continue;
			pts[np++] = (struct desig_point){k, lead_day(db_cell(&res, row, 2)),
			                                 (int)db_cell_ll(&res, row, 3)};
		}
		desig_score(ar->metrics, ar->nmetrics, pts, np, today, &ar->score);
		ar->has_points = ar->score.best_day >= 0;
		ar->status = desig_status_at(ar->score.qualified, ar->enrolled, &st->membership, today);
	}
	return DB_OK;
}

DB_STMT(st_enroll, "INSERT INTO designations (tenant_id, solution_area, enrolled_on, how, user_id) "
                   "VALUES (?,?,?,?,NULLIF(?,0)) ON DUPLICATE KEY UPDATE "
                   "enrolled_on=VALUES(enrolled_on), how=VALUES(how), user_id=VALUES(user_id)");
enum db_err
db_designation_enroll(struct arena *a, long long tenant_id, const char *area, const char *day,
                      const char *how, long long user_id)
{
	return db_exec(a, &st_enroll, NULL, "isssi", tenant_id, area, day, how, user_id);
}

DB_STMT(st_designation_end, "DELETE FROM designations WHERE tenant_id=? AND solution_area=?");
enum db_err
db_designation_end(struct arena *a, long long tenant_id, const char *area)
{
	return db_exec(a, &st_designation_end, NULL, "is", tenant_id, area);
}

DB_STMT(st_membership_put, "INSERT INTO designation_memberships (tenant_id, anniversary, years) "
                           "VALUES (?,?,?) ON DUPLICATE KEY UPDATE anniversary=VALUES(anniversary), "
                           "years=VALUES(years), updated_at=CURRENT_TIMESTAMP(3)");
enum db_err
db_membership_put(struct arena *a, long long tenant_id, const struct desig_membership *m)
{
	char day[11];
	lead_day_format(m->anniversary, day);
	return db_exec(a, &st_membership_put, NULL, "isi", tenant_id, day, (long long)m->years);
}

DB_STMT(st_notice, "INSERT IGNORE INTO designation_notices (tenant_id, solution_area, kind, "
                   "period) VALUES (?,?,?,?)");
enum db_err
db_notice_once(struct arena *a, long long tenant_id, const char *area, const char *kind,
               const char *period, bool *first)
{
	struct db_result res;
	*first = false;
	enum db_err rc = db_exec(a, &st_notice, &res, "isss", tenant_id, area, kind, period);
	if (rc == DB_OK)
		*first = res.affected == 1;
	return rc;
}

/* The period of a notice: the membership's paid-through day, or the
 * epoch before any membership. */
static const char *
notice_period(struct arena *a, const struct desig_membership *m)
{
	char *d = arena_alloc(a, 11);
	lead_day_format(m->anniversary < 0 ? 0 : desig_paid_through(m), d);
	return d;
}

static enum db_err
settle_audit(struct arena *a, long long tenant_id, const char *by, const char *action,
             const char *area, const char *details)
{
	struct audit_entry e = {.tenant_id = tenant_id, .actor_kind = "system", .actor_email = by,
	                        .action = action, .object = arena_printf(a, "designation:%s", area),
	                        .after_json = details};
	return db_audit_append(a, &e);
}

enum db_err
db_desig_settle(struct arena *a, long long tenant_id, long today, const char *by,
                struct desig_event **ev, size_t *nev)
{
	struct desig_state st;
	*nev = 0;
	enum db_err rc = db_desig_state(a, tenant_id, today, true, &st);
	if (rc != DB_OK)
		return rc;
	*ev = arena_alloc(a, (st.nareas ? st.nareas : 1) * sizeof(**ev));
	char day[11];
	lead_day_format(today, day);
	bool member = desig_member(&st.membership, today); /* before this settling */
	for (size_t i = 0; i < st.nareas && rc == DB_OK; i++) {
		struct desig_area_state *ar = &st.areas[i];
		if (ar->status != DESIG_QUALIFIED || st.pga_account_id == 0)
			continue;
		enum desig_free f = desig_free_enrollment(ar->status, st.legacy, member);
		struct desig_event *e = &(*ev)[(*nev)++];
		*e = (struct desig_event){ar->area, f, false};
		if (f == DESIG_FREE_NO) {
			rc = db_notice_once(a, tenant_id, ar->area, desig_status_code(DESIG_QUALIFIED),
			                    notice_period(a, &st.membership), &e->notify);
			if (rc == DB_OK && e->notify)
				rc = settle_audit(a, tenant_id, by, "designation.qualify", ar->area,
				                  arena_printf(a, "{\"area\":\"%s\",\"score\":%d}", ar->area,
				                               ar->score.score));
			continue;
		}
		st.membership = desig_membership_after(&st.membership, today, false);
		rc = db_membership_put(a, tenant_id, &st.membership);
		if (rc == DB_OK)
			rc = db_designation_enroll(a, tenant_id, ar->area, day, desig_free_code(f), 0);
		if (rc == DB_OK)
			rc = db_notice_once(a, tenant_id, ar->area, desig_status_code(DESIG_ENROLLED),
			                    notice_period(a, &st.membership), &e->notify);
		char paid[11];
		lead_day_format(desig_paid_through(&st.membership), paid);
		if (rc == DB_OK)
			rc = settle_audit(
			    a, tenant_id, by, "designation.enroll", ar->area,
			    arena_printf(a, "{\"area\":\"%s\",\"how\":\"%s\",\"score\":%d,\"paid_through\":\"%s\"}",
			                 ar->area, desig_free_code(f), ar->score.score, paid));
		ar->status = DESIG_ENROLLED;
	}
	return rc;
}

DB_STMT(st_recipients,
        "SELECT email, lang, display_name FROM users WHERE tenant_id=? AND status='active' AND "
        "(FIND_IN_SET('global_admin', roles) > 0 OR FIND_IN_SET('account_admin', roles) > 0) "
        "ORDER BY id");
enum db_err
db_program_recipients(struct arena *a, long long tenant_id, struct program_recipient **out,
                      size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_recipients, &res, "i", tenant_id);
	if (rc != DB_OK)
		return rc;
	*out = arena_alloc(a, (res.nrows ? res.nrows : 1) * sizeof(**out));
	for (size_t i = 0; i < res.nrows; i++)
		(*out)[i] = (struct program_recipient){db_cell(&res, i, 0), db_cell(&res, i, 1),
		                                       db_cell(&res, i, 2)};
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_memberships, "SELECT tenant_id, DATE_FORMAT(anniversary,'%Y-%m-%d'), years FROM "
                        "designation_memberships ORDER BY tenant_id");
enum db_err
db_memberships(struct arena *a, struct membership_row **out, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_memberships, &res, "");
	if (rc != DB_OK)
		return rc;
	*out = arena_alloc(a, (res.nrows ? res.nrows : 1) * sizeof(**out));
	for (size_t i = 0; i < res.nrows; i++)
		(*out)[i] = (struct membership_row){
		    db_cell_ll(&res, i, 0), {lead_day(db_cell(&res, i, 1)), (int)db_cell_ll(&res, i, 2)}};
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_isv_get, "SELECT solution_name, solution_url, stage, DATE_FORMAT(enrolled_at,"
                    "'%Y-%m-%d') FROM isv_enrollments WHERE tenant_id=?");
enum db_err
db_isv_get(struct arena *a, long long tenant_id, struct isv_enrollment *e, bool *found)
{
	struct db_result res;
	*found = false;
	enum db_err rc = db_exec(a, &st_isv_get, &res, "i", tenant_id);
	if (rc == DB_OK && res.nrows == 1) {
		int s = isv_stage_parse(db_cell(&res, 0, 2));
		*e = (struct isv_enrollment){db_cell(&res, 0, 0), db_cell(&res, 0, 1),
		                             db_cell(&res, 0, 3), s < 0 ? ISV_IDEA : (enum isv_stage)s};
		*found = true;
	}
	return rc;
}

DB_STMT(st_isv_put, "INSERT IGNORE INTO isv_enrollments (tenant_id, solution_name, solution_url, "
                    "stage, user_id) VALUES (?,?,?,?,?)");
enum db_err
db_isv_enroll(struct arena *a, long long tenant_id, const struct isv_enrollment *e,
              long long user_id, bool *created)
{
	struct db_result res;
	*created = false;
	enum db_err rc = db_exec(a, &st_isv_put, &res, "isssi", tenant_id, e->solution_name,
	                         e->solution_url, isv_stage_code(e->stage), user_id);
	if (rc == DB_OK)
		*created = res.affected == 1;
	return rc;
}
