/* Solutions Partner designations (CONTRACT "Programs", DOMAIN §7): each
 * solution area's capability score over the window, per metric grouped by
 * category, with two server-drawn SVG charts (score per category; best
 * score per month with the 70-point line) and a table of the same numbers;
 * the purchase of qualified areas (one yearly fee, one anniversary). Global
 * admin or account admin of the company (the route's access); every query
 * is the signed-in company's. Every rule is domain/designations.h's. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/program_mail.h"
#include "core/log.h"
#include "db/programs.h"
#include "domain/designations.h"
#include "domain/leads.h"
#include "domain/profile_content.h"
#include "pages/pages.h"

/* "area" is repeated (read with req_form_all); declared for its error. */
static const struct form_field purchase_fields[] = {
    {"area", FT_TEXT, false, 0, 40, NULL},
    {"accept_fee", FT_TEXT, false, 0, 10, NULL},
};

/* Chart geometry (viewBox units). */
#define CAT_W      320
#define CAT_LABEL  130 /* left column of category names */
#define CAT_BAR_H  18
#define CAT_GAP    10
#define MON_W      320
#define MON_H      160
#define MON_TOP    10
#define MON_BOTTOM 130 /* the baseline: 0 points */
#define MON_LEFT   34


static const char *
day_text(struct req *r, long day)
{
	char *d = arena_alloc(r->a, 11);
	lead_day_format(day, d);
	return d;
}

static const char *
designation_area_name(struct req *r, const char *area)
{
	size_t n;
	const struct profile_choice *list = profile_solution_areas(&n);
	const char *label = profile_choice_label(list, n, area);
	return label ? tr(r->lang, label) : area;
}

/* msgid translated, its {placeholders} replaced in order by the values
 * given (NULL-terminated); allocates in r->a. */
static const char *
fill(struct req *r, const char *msgid, ...)
{
	const char *t = tr(r->lang, msgid);
	struct sbuf b = {0};
	va_list ap;
	va_start(ap, msgid);
	for (const char *p = t; *p;) {
		const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
		if (close == NULL) {
			sbuf_adds(&b, p);
			break;
		}
		sbuf_add(&b, p, (size_t)(open - p));
		const char *val = va_arg(ap, const char *);
		sbuf_adds(&b, val ? val : "");
		p = close + 1;
	}
	va_end(ap);
	const char *out = arena_strdup(r->a, sbuf_cstr(&b));
	sbuf_free(&b);
	return out;
}

static const char *
num(struct req *r, int n)
{
	return arena_printf(r->a, "%d", n);
}

/* The category chart and table of one area: points of the best day per
 * category against the category's maximum. */
static void
category_vars(struct req *r, struct tvars *it, const struct desig_area_state *ar,
              const char *name)
{
	const char *cats[DESIG_MAX_METRICS];
	int pts[DESIG_MAX_METRICS] = {0}, max[DESIG_MAX_METRICS] = {0};
	size_t nc = 0;
	for (size_t k = 0; k < ar->nmetrics; k++) {
		size_t c = 0;
		while (c < nc && strcmp(cats[c], ar->metrics[k].category) != 0)
			c++;
		if (c == nc)
			cats[nc++] = ar->metrics[k].category;
		pts[c] += ar->score.points[k];
		max[c] += ar->metrics[k].max_points;
	}
	int h = (int)nc * (CAT_BAR_H + CAT_GAP) + CAT_GAP;
	tv_setf(it, "cat_viewbox", "0 0 %d %d", CAT_W, h);
	tv_set(it, "cat_title", fill(r, N_("{area}: points per category"), name, NULL));
	struct sbuf desc = {0};
	int span = CAT_W - CAT_LABEL - 60;
	for (size_t c = 0; c < nc; c++) {
		const char *label = tr(r->lang, desig_category_label(cats[c]));
		sbuf_printf(&desc, "%s%s %d/%d", c ? ", " : "", label, pts[c], max[c]);
		struct tvars *b = tv_item(it, "cat_bars");
		int y = CAT_GAP + (int)c * (CAT_BAR_H + CAT_GAP);
		tv_set(b, "code", cats[c]);
		tv_set(b, "label", label);
		tv_setf(b, "points", "%d", pts[c]);
		tv_setf(b, "max", "%d", max[c]);
		tv_setf(b, "x", "%d", CAT_LABEL);
		tv_setf(b, "y", "%d", y);
		tv_setf(b, "h", "%d", CAT_BAR_H);
		/* The track is the area's 100 points; the category's share and its points on it. */
		tv_setf(b, "track_w", "%d", span * max[c] / DESIG_MAX_POINTS);
		tv_setf(b, "w", "%d", span * pts[c] / DESIG_MAX_POINTS);
		tv_setf(b, "label_y", "%d", y + CAT_BAR_H - 5);
		tv_setf(b, "value_x", "%d", CAT_LABEL + span * max[c] / DESIG_MAX_POINTS + 6);
		tv_set(b, "value", arena_printf(r->a, "%d/%d", pts[c], max[c]));
	}
	tv_set(it, "cat_desc", arena_strdup(r->a, sbuf_cstr(&desc)));
	sbuf_free(&desc);
}

/* The month chart and table: the best day's score of each month of the
 * window, and the 70-point line. */
static void
month_vars(struct req *r, struct tvars *it, const struct desig_state *st,
           const struct desig_area_state *ar, const char *name)
{
	int plot = MON_BOTTOM - MON_TOP, slot = (MON_W - MON_LEFT) / DESIG_WINDOW_MONTHS;
	tv_setf(it, "mon_viewbox", "0 0 %d %d", MON_W, MON_H);
	tv_set(it, "mon_title", fill(r, N_("{area}: best score per month, last six months"), name, NULL));
	int line_y = MON_BOTTOM - plot * DESIG_QUALIFY_POINTS / DESIG_MAX_POINTS;
	tv_setf(it, "line_y", "%d", line_y);
	tv_setf(it, "line_x1", "%d", MON_LEFT);
	tv_setf(it, "line_x2", "%d", MON_W);
	tv_setf(it, "line_label_y", "%d", line_y + 4);
	tv_setf(it, "base_y", "%d", MON_BOTTOM);
	struct sbuf desc = {0};
	sbuf_adds(&desc, fill(r, N_("Qualifying line at {points} points."), num(r, DESIG_QUALIFY_POINTS), NULL));
	for (int m = 0; m < DESIG_WINDOW_MONTHS; m++) {
		char month[8];
		desig_month_label(&st->window, m, month);
		int v = ar->score.month_best[m];
		struct tvars *b = tv_item(it, "months");
		tv_set(b, "month", arena_strdup(r->a, month));
		tv_set(b, "short", arena_strdup(r->a, month + 2)); /* "YY-MM" under the bar */
		tv_set(b, "score", v < 0 ? tr(r->lang, N_("no measurement")) : arena_printf(r->a, "%d", v));
		tv_setf(b, "value", "%d", v < 0 ? 0 : v);
		int bh = plot * (v < 0 ? 0 : v) / DESIG_MAX_POINTS;
		int x = MON_LEFT + m * slot + slot / 6;
		tv_setf(b, "x", "%d", x);
		tv_setf(b, "w", "%d", slot * 2 / 3);
		tv_setf(b, "y", "%d", MON_BOTTOM - bh);
		tv_setf(b, "h", "%d", bh);
		tv_setf(b, "text_x", "%d", x + slot / 3);
		tv_setf(b, "text_y", "%d", MON_BOTTOM + 16);
		tv_setf(b, "value_y", "%d", MON_BOTTOM - bh - 3);
		tv_bool(b, "measured", v >= 0);
		sbuf_printf(&desc, " %s: %s.", month,
		            v < 0 ? tr(r->lang, N_("no measurement")) : arena_printf(r->a, "%d", v));
	}
	tv_set(it, "mon_desc", arena_strdup(r->a, sbuf_cstr(&desc)));
	sbuf_free(&desc);
}

/* Why an area is where it is, in a sentence. */
static const char *
status_reason(struct req *r, const struct desig_area_state *ar, const struct desig_state *st)
{
	switch (ar->status) {
	case DESIG_IN_PROGRESS: {
		if (!ar->has_points)
			return tr(r->lang, N_("No score measured in the last six months."));
		for (size_t k = 0; k < ar->nmetrics; k++)
			if (ar->score.points[k] <= 0)
				return fill(r, N_("Not qualified yet: {metric} is at 0 points."),
				            tr(r->lang, desig_metric_label(ar->metrics[k].metric)), NULL);
		return fill(r, N_("Not qualified yet: {points} more points are needed."),
		            num(r, DESIG_QUALIFY_POINTS - ar->score.score), NULL);
	}
	case DESIG_QUALIFIED:
		return tr(r->lang, N_("Qualified: buy the designation to enroll."));
	case DESIG_ENROLLED:
		return fill(r, N_("Enrolled on {date}; renewal opens on {renewal_start}."), ar->enrolled_on,
		            day_text(r, desig_renewal_start(&st->membership)), NULL);
	case DESIG_RENEWAL_DUE:
		return fill(r, N_("Renew by {date} to keep the designation."),
		            day_text(r, desig_paid_through(&st->membership)), NULL);
	default:
		return "";
	}
}

/* The designations page: status 200, or 422 with the purchase form f and
 * the error of its "area" field. */
static int
designations_render(struct req *r, int status, struct desig_state *st, struct form *f,
                    const char *const *chosen, size_t nchosen)
{
	struct tvars *v = page_vars(r);
	tv_bool(v, "partner", st->pga_account_id != 0);
	tv_set(v, "pga", st->pga_partner_id);
	tv_set(v, "fee", DESIG_FEE_USD);
	tv_set(v, "window_first", day_text(r, st->window.first));
	tv_set(v, "window_last", day_text(r, st->window.last));
	tv_setf(v, "bar", "%d", DESIG_QUALIFY_POINTS);
	tv_set(v, "legacy", desig_level_code(st->legacy));
	tv_bool(v, "legacy_holder", st->legacy != DESIG_LEVEL_NONE);
	tv_set(v, "legacy_label", st->legacy == DESIG_LEVEL_GOLD ? tr(r->lang, N_("Gold"))
	                                                         : tr(r->lang, N_("Silver")));
	bool member = desig_member(&st->membership, st->today);
	tv_bool(v, "member", member);
	if (member) {
		tv_set(v, "anniversary", day_text(r, st->membership.anniversary));
		tv_set(v, "paid_through", day_text(r, desig_paid_through(&st->membership)));
		tv_set(v, "renewal_start", day_text(r, desig_renewal_start(&st->membership)));
		tv_bool(v, "renewal_open", desig_in_renewal(&st->membership, st->today));
	}
	bool can_buy = false;
	for (size_t i = 0; i < st->nareas; i++) {
		const struct desig_area_state *ar = &st->areas[i];
		const char *name = designation_area_name(r, ar->area);
		struct tvars *it = tv_item(v, "areas");
		tv_set(it, "code", ar->area);
		tv_set(it, "name", name);
		tv_setf(it, "score", "%d", ar->score.score);
		tv_set(it, "status", desig_status_code(ar->status));
		tv_set(it, "status_label", tr(r->lang, desig_status_label(ar->status)));
		tv_set(it, "reason", status_reason(r, ar, st));
		tv_set(it, "heading_id", arena_printf(r->a, "area-%s", ar->area));
		tv_set(it, "cat_title_id", arena_printf(r->a, "cat-title-%s", ar->area));
		tv_set(it, "cat_desc_id", arena_printf(r->a, "cat-desc-%s", ar->area));
		tv_set(it, "mon_title_id", arena_printf(r->a, "mon-title-%s", ar->area));
		tv_set(it, "mon_desc_id", arena_printf(r->a, "mon-desc-%s", ar->area));
		tv_set(it, "best_day", ar->score.best_day >= 0 ? day_text(r, ar->score.best_day) : "");
		/* The metrics grouped per category, in the data's order. */
		struct tvars *cat = NULL;
		const char *cat_code = NULL;
		for (size_t k = 0; k < ar->nmetrics; k++) {
			const struct desig_metric *m = &ar->metrics[k];
			if (cat_code == NULL || strcmp(cat_code, m->category) != 0) {
				cat = tv_item(it, "categories");
				cat_code = m->category;
				tv_set(cat, "category", m->category);
				tv_set(cat, "category_label", tr(r->lang, desig_category_label(m->category)));
			}
			struct tvars *mt = tv_item(cat, "metrics");
			tv_set(mt, "metric", m->metric);
			tv_set(mt, "label", tr(r->lang, desig_metric_label(m->metric)));
			tv_setf(mt, "points", "%d", ar->score.points[k]);
			tv_setf(mt, "max", "%d", m->max_points);
			tv_bool(mt, "zero", ar->score.points[k] <= 0);
		}
		category_vars(r, it, ar, name);
		month_vars(r, it, st, ar, name);

		/* The purchase form's choice. */
		enum desig_refusal why = st->pga_account_id == 0
		                             ? DESIG_REFUSE_NOT_PARTNER
		                             : desig_purchase_check(ar->status, ar->score.qualified);
		struct tvars *p = tv_item(v, "purchase_areas");
		tv_set(p, "code", ar->area);
		tv_set(p, "name", name);
		tv_set(p, "input_id", arena_printf(r->a, "buy-%s", ar->area));
		tv_bool(p, "disabled", why != DESIG_REFUSE_NONE);
		tv_set(p, "reason", why != DESIG_REFUSE_NONE ? tr(r->lang, desig_refusal_message(why)) : "");
		tv_set(p, "refusal", desig_refusal_code(why));
		bool checked = false;
		for (size_t c = 0; c < nchosen; c++)
			checked |= strcmp(chosen[c], ar->area) == 0;
		tv_bool(p, "checked", checked && why == DESIG_REFUSE_NONE);
		can_buy |= why == DESIG_REFUSE_NONE;
	}
	tv_bool(v, "can_buy", can_buy);
	const char *done = req_param(r, "done");
	if (status == 200 && done && strcmp(done, "purchase") == 0)
		tv_set(v, "done_notice",
		       tr(r->lang, N_("Enrolled: the designations bought are listed as enrolled.")));
	if (f) {
		form_to_vars(f, v, r->lang);
		tv_bool(v, "fee_checked", strcmp(form_get(f, "accept_fee"), "yes") == 0);
	}
	return page_render(r, status, "designations", v);
}

/* GET /membership/designations. */
int
page_designations(struct req *r)
{
	struct desig_state st;
	if (db_desig_state(r->a, r->user->tenant_id, lead_day_of(time(NULL)), false, &st) != DB_OK)
		return page_error(r, 503);
	return designations_render(r, 200, &st, NULL, NULL, 0);
}

/* POST /membership/designations/purchase area=… (repeated) accept_fee=yes
 * (csrf checked by the router): 303 back to the page with the areas
 * enrolled; 422 with the reason next to "area" (none chosen, unknown, not
 * qualified, already enrolled, no PGA) or "accept_fee". One fee: the
 * membership starts with the first purchase and later ones share its
 * anniversary; a renewal pays one more year for every area that still
 * qualifies (the others due for renewal end). */
int
page_designations_purchase(struct req *r)
{
	struct form f;
	form_read(r, purchase_fields, NFIELDS(purchase_fields), &f);
	const char *chosen[16];
	size_t nchosen = req_form_all(r, "area", chosen, 16);
	long now = lead_day_of(time(NULL));
	struct desig_state st;
	enum db_err e = db_begin();
	if (e == DB_OK)
		e = db_desig_state(r->a, r->user->tenant_id, now, true, &st);
	if (e != DB_OK) {
		db_abort_all();
		return page_error(r, 503);
	}
	enum desig_refusal why = nchosen == 0 ? DESIG_REFUSE_NO_AREA : DESIG_REFUSE_NONE;
	const char *bad_area = NULL;
	bool renew = false;
	for (size_t i = 0; i < nchosen && why == DESIG_REFUSE_NONE; i++) {
		struct desig_area_state *ar = desig_state_area(&st, chosen[i]);
		if (st.pga_account_id == 0)
			why = DESIG_REFUSE_NOT_PARTNER;
		else if (ar == NULL)
			why = DESIG_REFUSE_UNKNOWN_AREA;
		else
			why = desig_purchase_check(ar->status, ar->score.qualified);
		if (why != DESIG_REFUSE_NONE && ar)
			bad_area = ar->area;
		renew |= ar && ar->status == DESIG_RENEWAL_DUE;
	}
	if (why != DESIG_REFUSE_NONE)
		form_error(&f, "area", desig_refusal_message(why));
	if (strcmp(form_get(&f, "accept_fee"), "yes") != 0)
		form_error(&f, "accept_fee", desig_refusal_message(DESIG_REFUSE_FEE));
	if (f.nerrors) {
		db_rollback();
		for (size_t i = 0; bad_area && i < f.n; i++) /* name the area in the message */
			if (strcmp(f.fields[i].name, "area") == 0)
				f.errors[i] = arena_printf(r->a, "%s — %s", designation_area_name(r, bad_area),
				                           tr(r->lang, desig_refusal_message(why)));
		return designations_render(r, 422, &st, &f, chosen, nchosen);
	}
	struct desig_membership before = st.membership;
	st.membership = desig_membership_after(&st.membership, now, renew);
	char day[11], paid[11], ann[11];
	lead_day_format(now, day);
	lead_day_format(desig_paid_through(&st.membership), paid);
	lead_day_format(st.membership.anniversary, ann);
	e = db_membership_put(r->a, r->user->tenant_id, &st.membership);
	json_t *areas = json_array();
	for (size_t i = 0; i < nchosen && e == DB_OK; i++) {
		struct desig_area_state *ar = desig_state_area(&st, chosen[i]);
		json_array_append_new(areas, json_string(ar->area));
		if (ar->status == DESIG_RENEWAL_DUE)
			continue; /* renewed: same enrollment, one more year */
		e = db_designation_enroll(r->a, r->user->tenant_id, ar->area, day, "purchase",
		                          r->user->id);
		bool first = false;
		if (e == DB_OK)
			e = db_notice_once(r->a, r->user->tenant_id, ar->area, desig_status_code(DESIG_ENROLLED), paid, &first);
		if (e == DB_OK && first &&
		    program_mail_queue(r->a, app.base_url, r->user->tenant_id, PROGRAM_MAIL_ENROLLED,
		                       ar->area, "purchase", ar->score.score, &st.membership) != 0)
			e = DB_ERROR;
	}
	if (e == DB_OK) {
		json_t *b = before.anniversary >= 0
		                ? json_pack("{s:s, s:i}", "anniversary", day_text(r, before.anniversary),
		                            "years", before.years)
		                : NULL;
		e = audit_record(r, renew ? "designation.renew" : "designation.purchase", "designations",
		                 b,
		                 json_pack("{s:o, s:s, s:s, s:s, s:s}", "areas", areas, "fee_usd",
		                           DESIG_FEE_USD, "anniversary", ann, "paid_through", paid,
		                           "accept_fee", "yes"));
		areas = NULL;
	}
	json_decref(areas);
	/* A renewal keeps the areas that still qualify (the fee covers them all);
	 * the others due for renewal end. */
	for (size_t i = 0; renew && i < st.nareas && e == DB_OK; i++) {
		if (st.areas[i].status == DESIG_RENEWAL_DUE && !st.areas[i].score.qualified) {
			e = db_designation_end(r->a, r->user->tenant_id, st.areas[i].area);
			if (e == DB_OK)
				e = audit_record(r, "designation.end",
				                 arena_printf(r->a, "designation:%s", st.areas[i].area), NULL,
				                 json_pack("{s:s}", "area", st.areas[i].area));
		}
	}
	/* Now a member: other qualified areas are included in the fee. */
	struct desig_event *ev;
	size_t nev = 0;
	if (e == DB_OK)
		e = db_desig_settle(r->a, r->user->tenant_id, now, r->user->email, &ev, &nev);
	for (size_t i = 0; i < nev && e == DB_OK; i++)
		if (ev[i].notify && ev[i].free != DESIG_FREE_NO &&
		    program_mail_queue(r->a, app.base_url, r->user->tenant_id, PROGRAM_MAIL_ENROLLED,
		                       ev[i].area, desig_free_code(ev[i].free), 0, &st.membership) != 0)
			e = DB_ERROR;
	if (db_finish(e) != DB_OK)
		return page_error(r, 503);
	log_info("designations: tenant %lld bought %zu area(s)", r->user->tenant_id, nchosen);
	return resp_redirect(r, "/membership/designations?done=purchase");
}
