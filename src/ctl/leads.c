/* partnerdesk-ctl leads expire and leads remind (DOMAIN §5; ctl/ctl.h). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/secret.h"
#include "domain/limits.h"
#include "core/config.h"
#include "core/secret.h"
#include "db/accounts.h"
#include "db/audit.h"
#include "db/claims.h"
#include "db/leads.h"
#include "db/profiles.h"
#include "core/i18n.h"
#include "core/sbuf.h"
#include "domain/leads.h"
#include "view/template.h"
#include "db/db.h"
#include "db/partners.h"
#include "db/migrate.h"
#include "db/twofactor.h"
#include "db/legacy.h"
#include "core/i18n.h"
#include "domain/migration.h"
#include "domain/profiles.h"
#include <ctype.h>
#include <time.h>
#include "domain/twofactor.h"
#include "domain/email_rules.h"
#include "ctl/ctl.h"

/* The date of --as-of in argv (YYYY-MM-DD), or today (UTC) without it. -1
 * with the message on stderr for anything else. */
static long
as_of(const char *cmd, int argc, char **argv)
{
	if (argc == 0)
		return lead_day_of(time(NULL));
	long day = argc == 2 && strcmp(argv[0], "--as-of") == 0 && strlen(argv[1]) == 10
	               ? lead_day(argv[1])
	               : -1;
	if (day < 0)
		fprintf(stderr, "partnerdesk-ctl: %s: %s; expected --as-of YYYY-MM-DD (a real date, "
		                "1970 or later)\n", cmd,
		        argc == 2 && strcmp(argv[0], "--as-of") == 0 ? "not a date" : "bad arguments");
	return day;
}

/* Marks expired every received lead whose 14 days have passed at the date. */
int
cmd_leads_expire(int argc, char **argv)
{
	long today = as_of("leads expire", argc, argv);
	if (today < 0)
		return 2;
	char through[11], date[11];
	lead_day_format(lead_expire_through(today), through);
	lead_day_format(today, date);
	struct arena a;
	arena_init(&a, 8192);
	long long n = 0;
	enum db_err rc = db_leads_expire(&a, through, &n);
	arena_free(&a);
	if (rc != DB_OK) {
		fprintf(stderr, "partnerdesk-ctl: leads expire: %s\n", db_strerror(rc));
		return 1;
	}
	printf("%lld lead(s) expired as of %s (received on %s or before)\n", n, date, through);
	return 0;
}

/* One reminder email, in the recipient's language. 0 or -1. */
static int
remind_mail(struct arena *a, const char *base_url, const struct lead *l,
            const struct lead_recipient *to)
{
	int li = lang_parse(to->lang);
	enum lang lang = li < 0 ? LANG_EN : (enum lang)li;
	char deadline[11];
	lead_day_format(lead_last_day(l->created_day), deadline);
	struct tvars *v = tv_new(a, NULL);
	tv_set(v, "customer", l->customer_name);
	tv_set(v, "company", l->customer_company);
	const struct country *c = country_find(l->customer_country);
	tv_set(v, "country", c ? c->name[lang] : l->customer_country);
	tv_set(v, "profile", l->profile_name);
	tv_set(v, "received", arena_strndup(a, l->created_at, 10));
	tv_set(v, "deadline", deadline);
	tv_set(v, "link", arena_printf(a, "%s/leads/%lld?lang=%s", base_url, l->id, lang_code(lang)));
	struct sbuf body = {0};
	const char *subject = tpl_title("mail_lead_reminder", lang, v, a);
	int rc = subject && tpl_render_text("mail_lead_reminder", lang, v, &body) == 0 &&
	                 db_outbox_add(a, to->email, subject, sbuf_cstr(&body)) == DB_OK
	             ? 0
	             : -1;
	sbuf_free(&body);
	return rc;
}

/* Emails the referral admins of each received lead's partner ID (or of
 * all; the global admins when the ID has none) once its days left reach
 * LEAD_REMIND_DAYS_LEFT; the reminder is recorded on the lead in the same
 * transaction as its emails, so running it again sends nothing twice. */
int
cmd_leads_remind(const struct config *cfg, int argc, char **argv)
{
	long today = as_of("leads remind", argc, argv);
	if (today < 0)
		return 2;
	if (i18n_init(config_get(cfg, "app.locale_dir", "po")) != 0 ||
	    tpl_load_dir(config_get(cfg, "app.templates", "www/templates")) != 0) {
		fprintf(stderr, "partnerdesk-ctl: leads remind: cannot load the templates and "
		                "translations ([app] templates, locale_dir)\n");
		return 1;
	}
	const char *base_url = config_get(cfg, "app.base_url", "http://127.0.0.1:8080");
	char since[11];
	lead_day_format(today - LEAD_ANSWER_DAYS, since);
	struct arena a;
	arena_init(&a, 65536);
	struct lead *leads;
	size_t n = 0;
	long long reminded = 0, mails = 0;
	enum db_err rc = db_leads_remind_candidates(&a, since, &leads, &n);
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		const struct lead *l = &leads[i];
		if (!lead_remind_due(l->status, l->created_day, today, l->reminded))
			continue;
		struct lead_recipient *to;
		size_t nto = 0, referral = 0, sent = 0;
		bool changed = false;
		if ((rc = db_begin()) != DB_OK)
			break;
		rc = db_lead_mark_reminded(&a, l->id, &changed);
		if (rc == DB_OK && changed)
			rc = db_lead_recipients(&a, l->id, &to, &nto);
		for (size_t k = 0; rc == DB_OK && changed && k < nto; k++)
			referral += to[k].referral;
		for (size_t k = 0; rc == DB_OK && changed && k < nto; k++) {
			if (referral ? !to[k].referral : !to[k].global)
				continue;
			if (remind_mail(&a, base_url, l, &to[k]) != 0)
				rc = DB_ERROR;
			sent++;
		}
		if ((rc = db_finish(rc)) == DB_OK && changed) {
			reminded++;
			mails += (long long)sent;
		}
	}
	arena_free(&a);
	tpl_free_all();
	i18n_free();
	if (rc != DB_OK) {
		fprintf(stderr, "partnerdesk-ctl: leads remind: %s\n", db_strerror(rc));
		return 1;
	}
	char date[11];
	lead_day_format(today, date);
	printf("%lld lead(s) reminded as of %s (%lld email(s))\n", reminded, date, mails);
	return 0;
}
