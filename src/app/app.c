#include "app/app.h"
#include "db/profiles.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/accounts.h"
#include "db/audit.h"
#include "db/csp.h"
#include "domain/twofactor.h"
#include "http/parse.h"

struct app app;

int
app_load(void)
{
	arena_free(&app.arena);
	arena_init(&app.arena, 16384);
	const unsigned char *key;
	size_t keylen;
	if (db_secret_get(&app.arena, "csrf_hmac", &key, &keylen) != DB_OK || keylen < 32) {
		log_err("cannot read the CSRF key from app_secrets (are migrations applied?)");
		return -1;
	}
	memcpy(app.csrf_key, key, 32);
	if (db_secret_get(&app.arena, "totp_key", &key, &keylen) != DB_OK || keylen < 32) {
		log_err("cannot read the TOTP key from app_secrets (are migrations applied?)");
		return -1;
	}
	memcpy(app.seal_key, key, 32);
	if (db_freemail_patterns(&app.arena, &app.freemail, &app.nfreemail) != DB_OK ||
	    db_role_mailboxes(&app.arena, &app.roleboxes, &app.nroleboxes) != DB_OK) {
		log_err("cannot read the work-email rules");
		return -1;
	}
	struct csp_region_row *regions;
	size_t nregions;
	if (db_csp_regions(&app.arena, &regions, &nregions) != DB_OK || nregions == 0) {
		log_err("cannot read the CSP regions (run partnerdesk-ctl migrate)");
		return -1;
	}
	csp_regions_set(regions, nregions);
	return password_policy_init();
}

const char *
abs_url(struct arena *a, const char *path)
{
	return arena_printf(a, "%s%s", app.base_url, path);
}

const char *
abs_url_lang(struct arena *a, const char *path, enum lang lang)
{
	return arena_printf(a, "%s%s%slang=%s", app.base_url, path, strchr(path, '?') ? "&" : "?",
	                    lang_code(lang));
}

bool
has_role(const struct req *r, enum role role)
{
	return r->user && (r->user->roles & ROLE_BIT(role));
}

enum db_err
audit_record(struct req *r, const char *action, const char *object, json_t *before,
             json_t *after)
{
	return audit_record_tenant(r, r->user ? r->user->tenant_id : 0, action, object, before,
	                           after);
}

enum db_err
audit_record_tenant(struct req *r, long long tenant_id, const char *action, const char *object,
                    json_t *before, json_t *after)
{
	const size_t flags = JSON_COMPACT | JSON_SORT_KEYS;
	char *b = before ? json_dumps(before, flags) : NULL;
	char *f = after ? json_dumps(after, flags) : NULL;
	json_decref(before);
	json_decref(after);
	bool staff = has_role(r, ROLE_REVIEWER) || has_role(r, ROLE_STAFF_ADMIN);
	struct audit_entry e = {
	    .tenant_id = tenant_id,
	    .actor_id = r->user ? r->user->id : 0,
	    .actor_email = r->user ? r->user->email : "",
	    .actor_kind = r->user ? (staff ? "staff" : "user") : "system",
	    .action = action,
	    .object = object,
	    .before_json = b,
	    .after_json = f,
	    .ip = r->remote_addr,
	};
	enum db_err rc = db_audit_append(r->a, &e);
	free(b);
	free(f);
	return rc;
}

/* The counts in the navigation, for those who act on them: a global admin's
 * pending actions (csp_waiting, as the dashboard lists them) come with the
 * session row (no query); a reviewer's
 * applications waiting take one index-only count. Nobody else pays for them. */
static void
nav_counts(struct req *r, struct tvars *v, bool staff)
{
	long long n = 0;
	if (!staff && has_role(r, ROLE_GLOBAL_ADMIN))
		n = csp_waiting(r->user->csp_status, r->user->csp_request) != CSP_WAIT_NONE;
	else if (staff && db_csp_count(r->a, CSP_PENDING_REVIEW, &n) != DB_OK)
		return; /* the page still renders, without the count */
	else if (!staff)
		return;
	tv_bool(v, staff ? "nav_waiting" : "nav_pending", n > 0);
	tv_setf(v, staff ? "waiting_count" : "pending_count", "%lld", n);
}

struct tvars *
page_vars(struct req *r)
{
	struct tvars *v = tv_new(r->a, NULL);
	tv_set(v, "csrf", r->csrf ? r->csrf : "");
	enum lang other = r->lang == LANG_FR ? LANG_EN : LANG_FR;
	tv_set(v, "lang_switch_href",
	       arena_printf(r->a, "%s?lang=%s", r->raw_path ? r->raw_path : "/", lang_code(other)));
	tv_set(v, "lang_switch_code", lang_code(other));
	tv_set(v, "lang_switch_label", other == LANG_FR ? "Français" : "English");
	if (r->user) {
		tv_bool(v, "signed_in", true);
		tv_set(v, "user_name", r->user->display_name);
		tv_set(v, "user_email", r->user->email);
		tv_set(v, "tenant_name", r->user->tenant_name);
		bool staff = has_role(r, ROLE_REVIEWER) || has_role(r, ROLE_STAFF_ADMIN);
		tv_bool(v, "is_staff", staff);
		tv_bool(v, "is_staff_admin", has_role(r, ROLE_STAFF_ADMIN));
		tv_bool(v, "is_partner", !staff);
		tv_bool(v, "is_admin", has_role(r, ROLE_GLOBAL_ADMIN) || has_role(r, ROLE_ACCOUNT_ADMIN));
		tv_bool(v, "is_global_admin", has_role(r, ROLE_GLOBAL_ADMIN));
		tv_bool(v, "is_profile_admin", !staff && (has_role(r, ROLE_GLOBAL_ADMIN) ||
		                                          has_role(r, ROLE_PROFILE_ADMIN)));
		tv_bool(v, "is_lead_admin", access_allows(r->user, ACCESS_LEADS));
		/* The CSP market's pages: a global admin of an active CSP tenant. */
		tv_bool(v, "is_csp", !staff && has_role(r, ROLE_GLOBAL_ADMIN) &&
		                         r->user->csp_status == CSP_ACTIVE);
		nav_counts(r, v, staff);
		/* Staff still in their grace period to enrol are reminded on every page. */
		tv_bool(v, "tfa_nag", tfa_need(r->user->roles, r->user->tfa_enabled,
		                               r->user->tfa_due_passed) == TFA_GRACE);
	}
	return v;
}

int
page_render(struct req *r, int status, const char *name, struct tvars *v)
{
	r->status = status;
	r->content_type_out = "text/html; charset=utf-8";
	sbuf_reset(r->body);
	if (tpl_render_page(name, r->lang, v, r->body) != 0) {
		log_err("template %s missing", name);
		sbuf_reset(r->body);
		return page_error(r, 500);
	}
	return status;
}

int
page_error(struct req *r, int status)
{
	static const struct {
		int         status;
		const char *title, *text;
	} errors[] = {
	    {400, N_("Request not understood"), N_("The form data could not be read.")},
	    {403, N_("Request refused"),
	     N_("The form expired or was sent from another page. Go back, reload the page and try again.")},
	    {404, N_("Page not found"), N_("There is no page at this address, or you cannot see it.")},
	    {405, N_("Method not allowed"), N_("This address does not accept that kind of request.")},
	    {413, N_("Request too large"), N_("What you sent is larger than 12 MiB. Send a smaller file.")},
	    {500, N_("Something went wrong"), N_("An unexpected error occurred. Try again in a moment.")},
	    {503, N_("Service unavailable"),
	     N_("The portal cannot reach its database right now. Try again in a moment.")},
	    /* After 500 (index 5 is the fallback below). */
	    {409, N_("This cannot be done now"),
	     N_("What you asked no longer fits the current state: someone may have changed it meanwhile. Reload the page to see where things stand.")},
	};
	size_t i = 0;
	while (i < sizeof(errors) / sizeof(*errors) - 1 && errors[i].status != status)
		i++;
	if (errors[i].status != status)
		i = 5; /* 500 */
	struct tvars *v = page_vars(r);
	tv_setf(v, "error_code", "%d", status);
	tv_set(v, "error_title", tr(r->lang, errors[i].title));
	tv_set(v, "error_text", tr(r->lang, errors[i].text));
	r->status = status;
	r->content_type_out = "text/html; charset=utf-8";
	sbuf_reset(r->body);
	if (tpl_render_page("error", r->lang, v, r->body) != 0)
		return resp_text(r, status, errors[i].title);
	return status;
}

int
page_throttled(struct req *r, long retry_after)
{
	if (retry_after < 1)
		retry_after = 1;
	resp_header(r, "Retry-After", arena_printf(r->a, "%ld", retry_after));
	/* Rounded up: seconds under 2 minutes, minutes under 2 hours, else hours. */
	const char *msg = retry_after < 120    ? N_("Try again in {n} seconds.")
	                  : retry_after < 7200 ? N_("Try again in {n} minutes.")
	                                       : N_("Try again in {n} hours.");
	long n = retry_after < 120    ? retry_after
	         : retry_after < 7200 ? (retry_after + 59) / 60
	                              : (retry_after + 3599) / 3600;
	msg = tr(r->lang, msg);
	const char *at = strstr(msg, "{n}");
	const char *text = at ? arena_printf(r->a, "%.*s%ld%s", (int)(at - msg), msg, n, at + 3)
	                      : msg;
	struct tvars *v = page_vars(r);
	tv_set(v, "error_code", "429");
	tv_set(v, "error_title", tr(r->lang, N_("Too many attempts")));
	tv_set(v, "error_text",
	       tr(r->lang, N_("Too many requests from your connection or for this account. This one "
	                      "was not carried out and nothing was sent.")));
	tv_bool(v, "retry", true);
	tv_setf(v, "retry_after", "%ld", retry_after);
	tv_set(v, "retry_text", text);
	r->status = 429;
	r->content_type_out = "text/html; charset=utf-8";
	sbuf_reset(r->body);
	if (tpl_render_page("error", r->lang, v, r->body) != 0)
		return resp_text(r, 429, text);
	return 429;
}

int
mail_queue(struct req *r, const char *to, enum lang lang, const char *name, struct tvars *v)
{
	struct sbuf body = {0};
	const char *subject = tpl_title(name, lang, v, r->a);
	int rc = -1;
	if (subject && tpl_render_text(name, lang, v, &body) == 0 &&
	    db_outbox_add(r->a, to, subject, sbuf_cstr(&body)) == DB_OK)
		rc = 0;
	else
		log_err("cannot queue mail %s", name);
	sbuf_free(&body);
	return rc;
}
