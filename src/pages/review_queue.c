/* The reviewer's queue (DOMAIN §3.7, issue 11): submitted applications,
 * oldest first, with the days each has waited; filters as GET parameters
 * (status, country of the company account, age bucket, text in the company
 * name); a chart of the listed applications by status and age bucket, as
 * inline SVG with its data table (no JavaScript). Staff only. */
#include <string.h>

#include "domain/review.h"
#include "pages/pages.h"

/* The statuses of the queue, in the order of the filter and the chart. */
static const enum csp_status queue_statuses[] = {CSP_PENDING_REVIEW, CSP_INFO_REQUESTED,
                                                 CSP_APPROVED, CSP_REJECTED, CSP_ACTIVE};
#define NSTATUSES (sizeof(queue_statuses) / sizeof(*queue_statuses))

/* Chart geometry (SVG user units): a label column, then one bar per status,
 * its segments by age bucket, proportional to the largest row. */
#define CHART_LABEL_W 180
#define CHART_BAR_W 400
#define CHART_ROW_H 30
#define CHART_BAR_H 20
#define CHART_TOP 8
#define CHART_LEGEND_STEP 125
#define CHART_W (CHART_LABEL_W + CHART_BAR_W + 110)
/* One shade per bucket, darker as it ages (the legend and the table name them). */
/* Each at least 3:1 against the white page (WCAG 1.4.11). */
static const char *const bucket_fill[AGE__MAX] = {"#4a86c5", "#2e6da4", "#1f4e79", "#0b2545"};

static int
status_index(enum csp_status s)
{
	for (size_t i = 0; i < NSTATUSES; i++)
		if (queue_statuses[i] == s)
			return (int)i;
	return -1;
}

/* The chart (SVG bars and legend) and its data table of counts[status][bucket]. */
static void
chart_vars(struct req *r, struct tvars *v, long long counts[NSTATUSES][AGE__MAX])
{
	long long max = 0, all = 0;
	for (size_t s = 0; s < NSTATUSES; s++) {
		long long row = 0;
		for (int b = 0; b < AGE__MAX; b++)
			row += counts[s][b];
		if (row > max)
			max = row;
		all += row;
	}
	for (size_t s = 0; s < NSTATUSES; s++) {
		const char *label = tr(r->lang, csp_status_label(queue_statuses[s]));
		const char *code = csp_status_code(queue_statuses[s]);
		int y = CHART_TOP + (int)s * CHART_ROW_H;
		struct tvars *row = tv_item(v, "chart_rows");
		tv_set(row, "status", code);
		tv_set(row, "label", label);
		tv_setf(row, "text_y", "%d", y + CHART_BAR_H - 5);
		long long total = 0, x = CHART_LABEL_W;
		for (int b = 0; b < AGE__MAX; b++) {
			long long n = counts[s][b];
			tv_setf(row, arena_printf(r->a, "c%d", b), "%lld", n);
			total += n;
			if (n == 0)
				continue;
			long long w = max ? n * CHART_BAR_W / max : 0;
			struct tvars *bar = tv_item(v, "chart_bars");
			tv_set(bar, "status", code);
			tv_set(bar, "bucket", review_age_code((enum review_age)b));
			tv_setf(bar, "count", "%lld", n);
			tv_setf(bar, "x", "%lld", x);
			tv_setf(bar, "y", "%d", y);
			tv_setf(bar, "w", "%lld", w > 0 ? w : 1);
			tv_setf(bar, "h", "%d", CHART_BAR_H);
			tv_set(bar, "fill", bucket_fill[b]);
			tv_set(bar, "title", arena_printf(r->a, "%s, %s: %lld", label,
			                                  tr(r->lang, review_age_label((enum review_age)b)),
			                                  n));
			x += w;
		}
		tv_setf(row, "total", "%lld", total);
		tv_setf(row, "total_x", "%lld", x + 6);
	}
	for (int b = 0; b < AGE__MAX; b++) {
		struct tvars *it = tv_item(v, "chart_legend");
		int x = CHART_LABEL_W + b * CHART_LEGEND_STEP;
		tv_set(it, "label", tr(r->lang, review_age_label((enum review_age)b)));
		tv_set(it, "bucket", review_age_code((enum review_age)b));
		tv_set(it, "fill", bucket_fill[b]);
		tv_setf(it, "x", "%d", x);
		tv_setf(it, "text_x", "%d", x + 18);
	}
	int legend_y = CHART_TOP + (int)NSTATUSES * CHART_ROW_H + 6;
	tv_setf(v, "legend_y", "%d", legend_y);
	tv_setf(v, "legend_text_y", "%d", legend_y + 11);
	tv_setf(v, "chart_height", "%d", legend_y + 24);
	tv_setf(v, "chart_viewbox", "0 0 %d %d", CHART_W, legend_y + 24);
	tv_setf(v, "chart_total", "%lld", all);
}

int
page_review_queue(struct req *r)
{
	struct csp_queue_filter f = {.status = CSP_NONE, .country = "", .text = "",
	                             .min_days = 0, .max_days = 1000000};
	int parsed = csp_status_parse(req_param(r, "status"));
	for (size_t i = 0; i < NSTATUSES; i++)
		if ((int)queue_statuses[i] == parsed)
			f.status = queue_statuses[i];
	const char **countries;
	size_t nc;
	if (db_csp_queue_countries(r->a, &countries, &nc) != DB_OK)
		return page_error(r, 503);
	/* Any country of the list of countries (none of the queue's: an empty list). */
	const char *country = req_param(r, "country");
	const struct country *known = country && *country ? country_find(country) : NULL;
	if (known)
		f.country = known->code;
	const char *q = req_param(r, "q");
	if (q) {
		while (*q == ' ')
			q++;
		size_t len = strlen(q);
		while (len && q[len - 1] == ' ')
			len--;
		f.text = arena_strndup(r->a, q, len > 200 ? 200 : len);
	}
	int age = review_age_parse(req_param(r, "age"));
	if (age >= 0)
		review_age_range((enum review_age)age, &f.min_days, &f.max_days);

	struct csp_app *rows;
	size_t n;
	if (db_csp_queue(r->a, &f, &rows, &n) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < NSTATUSES; i++) {
		struct tvars *it = tv_item(v, "filters");
		tv_set(it, "value", csp_status_code(queue_statuses[i]));
		tv_set(it, "label", tr(r->lang, csp_status_label(queue_statuses[i])));
		tv_bool(it, "selected", f.status == queue_statuses[i]);
	}
	for (size_t i = 0; i < nc; i++) {
		struct tvars *it = tv_item(v, "countries");
		tv_set(it, "value", countries[i]);
		tv_set(it, "label", country_label(r, countries[i]));
		tv_bool(it, "selected", strcmp(f.country, countries[i]) == 0);
	}
	for (int b = 0; b < AGE__MAX; b++) {
		struct tvars *it = tv_item(v, "ages");
		tv_set(it, "value", review_age_code((enum review_age)b));
		tv_set(it, "label", tr(r->lang, review_age_label((enum review_age)b)));
		tv_bool(it, "selected", age == b);
	}
	tv_set(v, "v_q", f.text);
	tv_bool(v, "filtered", f.status != CSP_NONE || *f.country || *f.text || age >= 0);

	long long counts[NSTATUSES][AGE__MAX] = {{0}};
	for (size_t i = 0; i < n; i++) {
		enum review_age bucket = review_age_bucket(rows[i].age_days);
		int s = status_index(rows[i].status);
		if (s >= 0)
			counts[s][bucket]++;
		struct tvars *it = tv_item(v, "applications");
		tv_setf(it, "id", "%lld", rows[i].id);
		tv_setf(it, "href", "/review/%lld", rows[i].id);
		tv_set(it, "status", csp_status_code(rows[i].status));
		tv_set(it, "status_label", tr(r->lang, csp_status_label(rows[i].status)));
		tv_setf(it, "age_days", "%lld", rows[i].age_days);
		tv_set(it, "age_bucket", review_age_code(bucket));
		tv_set(it, "company", *rows[i].legal_name ? rows[i].legal_name : rows[i].tenant_name);
		tv_set(it, "country_code", rows[i].tenant_country);
		tv_set(it, "country", country_label(r, rows[i].tenant_country));
		tv_set(it, "submitted_at", rows[i].submitted_at);
		tv_set(it, "verdict", tr(r->lang, csp_verdict_label(rows[i].address_verdict)));
		if (rows[i].dnb_confidence > 0)
			tv_setf(it, "confidence", "%d", rows[i].dnb_confidence);
		unsigned w = review_warnings(*rows[i].duns != '\0', rows[i].dnb_confidence,
		                             rows[i].dnb_status, rows[i].address_verdict);
		tv_bool(it, "weak", (w & (RW_LOW_CONFIDENCE | RW_OUT_OF_BUSINESS)) != 0);
	}
	tv_setf(v, "count", "%zu", n);
	tv_bool(v, "empty", n == 0);
	chart_vars(r, v, counts);
	return page_render(r, 200, "review_queue", v);
}
