#include "app/program_mail.h"

#include <string.h>

#include "core/i18n.h"
#include "core/sbuf.h"
#include "db/accounts.h"
#include "domain/leads.h"
#include "domain/profile_content.h"
#include "view/template.h"

static const char *const templates[] = {"mail_designation_qualified", "mail_designation_enrolled",
                                        "mail_designation_renewal"};

/* The area's name in lang (the code when the list does not know it). */
static const char *
area_name(const char *area, enum lang lang)
{
	size_t n;
	const struct profile_choice *list = profile_solution_areas(&n);
	const char *label = area ? profile_choice_label(list, n, area) : NULL;
	return label ? tr(lang, label) : area ? area : "";
}

int
program_mail_queue(struct arena *a, const char *base_url, long long tenant_id,
                   enum program_mail kind, const char *area, const char *how, int score,
                   const struct desig_membership *m)
{
	struct program_recipient *to;
	size_t n = 0;
	if (db_program_recipients(a, tenant_id, &to, &n) != DB_OK)
		return -1;
	char anniversary[11] = "", paid[11] = "", renewal[11] = "";
	if (m && m->anniversary >= 0) {
		lead_day_format(m->anniversary, anniversary);
		lead_day_format(desig_paid_through(m), paid);
		lead_day_format(desig_renewal_start(m), renewal);
	}
	for (size_t i = 0; i < n; i++) {
		int li = lang_parse(to[i].lang);
		enum lang lang = li < 0 ? LANG_EN : (enum lang)li;
		struct tvars *v = tv_new(a, NULL);
		tv_set(v, "name", to[i].display_name);
		tv_set(v, "area", area_name(area, lang));
		tv_setf(v, "score", "%d", score);
		tv_set(v, "anniversary", arena_strdup(a, anniversary));
		tv_set(v, "paid_through", arena_strdup(a, paid));
		tv_set(v, "renewal_start", arena_strdup(a, renewal));
		tv_bool(v, "how_purchase", how && strcmp(how, "purchase") == 0);
		tv_bool(v, "how_member", how && strcmp(how, "member") == 0);
		tv_bool(v, "how_legacy", how && strcmp(how, "legacy") == 0);
		tv_set(v, "link", arena_printf(a, "%s/membership/designations?lang=%s", base_url,
		                               lang_code(lang)));
		struct sbuf body = {0};
		const char *subject = tpl_title(templates[kind], lang, v, a);
		int rc = subject && tpl_render_text(templates[kind], lang, v, &body) == 0 &&
		                 db_outbox_add(a, to[i].email, subject, sbuf_cstr(&body)) == DB_OK
		             ? 0
		             : -1;
		sbuf_free(&body);
		if (rc != 0)
			return -1;
	}
	return 0;
}
