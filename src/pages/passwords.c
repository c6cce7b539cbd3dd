/* Forgotten password (reset by email) and change of password. The policy a
 * new password must meet is app/password.c's; its messages, common.c's. */
#include <ctype.h>
#include <string.h>

#include "core/log.h"
#include "db/accounts.h"
#include "db/audit.h"
#include "pages/pages.h"

#define RESET_PURPOSE "reset_password"

/* ---- forgotten password ---- */

static const struct form_field forgot_fields[] = {
    {"email", FT_EMAIL, true, 3, 254, NULL},
};

/* GET /password/forgot: the form, or "check your mail" after a request (?sent=1). */
int
page_password_forgot_form(struct req *r)
{
	struct tvars *v = page_vars(r);
	tv_bool(v, "sent", req_param(r, "sent") != NULL);
	return page_render(r, 200, "password_forgot", v);
}

/* The user's language for the mails about their account. */
static enum lang
user_lang(const struct user_row *u)
{
	int l = lang_parse(u->lang);
	return l >= 0 ? (enum lang)l : LANG_EN;
}

/* POST /password/forgot: the same 303 whether the address has an account or
 * not; an active account gets a reset link (older ones stop working). 422 on
 * an address that is not one, 429 (nothing sent) past RATE_RESET_EMAIL or
 * RATE_RESET_ADDRESS, 503 when the database is away. */
int
page_password_forgot_post(struct req *r)
{
	struct form f;
	form_read(r, forgot_fields, NFIELDS(forgot_fields), &f);
	if (f.nerrors) {
		struct tvars *v = page_vars(r);
		form_to_vars(&f, v, r->lang);
		return page_render(r, 422, "password_forgot", v);
	}
	/* Limited per target email and per client address, whether the email
	 * has an account or not (the answer says nothing about that). */
	const char *email_key = arena_printf(r->a, "email:%s", form_get(&f, "email"));
	for (char *p = (char *)email_key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	static const enum rate_limit_id limits[] = {RATE_RESET_EMAIL, RATE_RESET_ADDRESS};
	for (size_t i = 0; i < NFIELDS(limits); i++) {
		long wait = throttle_wait(r, limits[i], email_key);
		if (wait < 0)
			return page_error(r, 503);
		if (wait > 0)
			return page_throttled(r, wait);
	}
	if (throttle_count(r, RATE_RESET_EMAIL, email_key) != DB_OK ||
	    throttle_count(r, RATE_RESET_ADDRESS, NULL) != DB_OK)
		return page_error(r, 503);
	struct user_row u;
	bool found = false;
	if (db_user_by_email(r->a, form_get(&f, "email"), &u, &found) != DB_OK)
		return page_error(r, 503);
	if (found && user_may_sign_in(u.status)) {
		const char *token;
		unsigned char hash[32];
		token_new(r->a, &token, hash);
		struct tvars *mv = tv_new(r->a, NULL);
		tv_set(mv, "name", u.display_name);
		tv_set(mv, "link",
		       abs_url_lang(r->a, arena_printf(r->a, "/password/reset?token=%s", token),
		                    user_lang(&u)));
		if (db_begin() != DB_OK)
			return page_error(r, 503);
		enum db_err rc = db_tokens_revoke(r->a, u.id, RESET_PURPOSE);
		if (rc == DB_OK)
			rc = db_token_create(r->a, hash, u.id, RESET_PURPOSE, RESET_TOKEN_SECONDS);
		if (rc == DB_OK && mail_queue(r, u.email, user_lang(&u), "mail_password_reset", mv))
			rc = DB_ERROR;
		if (db_finish(rc) != DB_OK)
			return page_error(r, 503);
		log_info("password reset link for user %lld", u.id);
	}
	return resp_redirect(r, "/password/forgot?sent=1");
}

/* The active user of a valid reset token (not used up); false when none. */
static int
reset_user(struct req *r, const char *token, struct user_row *u, bool *valid)
{
	*valid = false;
	if (!token_well_formed(token))
		return 0;
	unsigned char hash[32];
	long long user_id = 0;
	bool found = false;
	token_hash(token, hash);
	if (db_token_peek(r->a, hash, RESET_PURPOSE, &user_id) != DB_OK ||
	    (user_id && db_user_by_id(r->a, user_id, u, &found) != DB_OK))
		return -1;
	*valid = found && user_may_sign_in(u->status);
	return 0;
}

/* The reset page: its form, or (token_invalid) why the link no longer works. */
static int
reset_render(struct req *r, int status, struct form *f, const char *token, bool invalid)
{
	struct tvars *v = page_vars(r);
	if (f)
		form_to_vars(f, v, r->lang);
	tv_set(v, "v_token", token ? token : "");
	tv_bool(v, "token_invalid", invalid);
	if (invalid)
		tv_set(v, "err_token",
		       tr(r->lang, "This link is not valid: it has expired, was already used, or a "
		                   "newer one was sent. Ask for a new one."));
	return page_render(r, status, "password_reset", v);
}

/* GET /password/reset?token=: the form, without using the token; 400 with a
 * link to ask again when it is not valid. */
int
page_password_reset_form(struct req *r)
{
	const char *token = req_param(r, "token");
	struct user_row u;
	bool valid;
	if (reset_user(r, token, &u, &valid) != 0)
		return page_error(r, 503);
	return reset_render(r, valid ? 200 : 400, NULL, valid ? token : NULL, !valid);
}

/* Audits a change of u's own password made without a session (a reset). */
static enum db_err
audit_own(struct req *r, const struct user_row *u, const char *action)
{
	bool staff = (u->roles & (ROLE_BIT(ROLE_REVIEWER) | ROLE_BIT(ROLE_STAFF_ADMIN))) != 0;
	struct audit_entry e = {
	    .tenant_id = u->tenant_id,
	    .actor_id = u->id,
	    .actor_email = u->email,
	    .actor_kind = staff ? "staff" : "user",
	    .action = action,
	    .object = u->email,
	    .ip = r->remote_addr,
	};
	return db_audit_append(r->a, &e);
}

/* Mails u that their password changed (in their language). 0 or -1. */
static int
changed_mail(struct req *r, const struct user_row *u)
{
	struct tvars *mv = tv_new(r->a, NULL);
	tv_set(mv, "name", u->display_name);
	tv_set(mv, "link", abs_url_lang(r->a, "/password/forgot", user_lang(u)));
	return mail_queue(r, u->email, user_lang(u), "mail_password_changed", mv);
}

static const struct form_field reset_fields[] = {
    {"token", FT_TOKEN, true, 20, 100, NULL},
    {"password", FT_PASSWORD, true, 1, PASSWORD_FIELD_MAX, NULL},
    {"password_confirm", FT_PASSWORD, true, 1, PASSWORD_FIELD_MAX, NULL},
};

/* POST /password/reset: sets the password, uses the token up, ends every
 * session of the user, audits, mails a notice, 303 /signin. 422 with the
 * form (bad password) or the "not valid" page (token); 503. */
int
page_password_reset_post(struct req *r)
{
	struct form f;
	form_read(r, reset_fields, NFIELDS(reset_fields), &f);
	const char *token = form_get(&f, "token");
	struct user_row u;
	bool valid;
	if (reset_user(r, token, &u, &valid) != 0)
		return page_error(r, 503);
	if (!valid)
		return reset_render(r, 422, NULL, NULL, true);
	new_password_check(&f, u.email, u.tenant_name);
	if (f.nerrors)
		return reset_render(r, 422, &f, token, false);
	char pwhash[PASSWORD_HASH_MAX];
	if (password_hash(form_get(&f, "password"), pwhash) != 0)
		return page_error(r, 500);
	unsigned char hash[32];
	long long user_id = 0;
	bool updated = false;
	token_hash(token, hash);
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	/* The consume is the single-use guard against a concurrent POST. */
	enum db_err rc = db_token_consume(r->a, hash, RESET_PURPOSE, &user_id);
	if (rc == DB_OK && user_id == u.id)
		rc = db_user_password_update(r->a, u.id, pwhash, &updated);
	if (rc == DB_OK && updated)
		rc = db_sessions_end_all(r->a, u.id, NULL);
	if (rc == DB_OK && updated)
		rc = audit_own(r, &u, "user.password_reset");
	if (rc == DB_OK && updated && changed_mail(r, &u) != 0)
		rc = DB_ERROR;
	if (!updated && rc == DB_OK) {
		db_finish(DB_ERROR);
		return reset_render(r, 422, NULL, NULL, true);
	}
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	log_info("password reset of user %lld", u.id);
	if (r->user && r->user->id == u.id) /* this browser's session ended too */
		session_end(r);
	return resp_redirect(r, "/signin?reset=1");
}

/* ---- change of password (signed in) ---- */

static const struct form_field change_fields[] = {
    {"current_password", FT_PASSWORD, true, 1, PASSWORD_FIELD_MAX, NULL},
    {"password", FT_PASSWORD, true, 1, PASSWORD_FIELD_MAX, NULL},
    {"password_confirm", FT_PASSWORD, true, 1, PASSWORD_FIELD_MAX, NULL},
};

static int
change_render(struct req *r, int status, struct form *f)
{
	struct tvars *v = page_vars(r);
	if (f)
		form_to_vars(f, v, r->lang);
	return page_render(r, status, "password_change", v);
}

/* GET /account/password: the form. */
int
page_password_change_form(struct req *r)
{
	return change_render(r, 200, NULL);
}

/* POST /account/password: checks the current password, the policy, that
 * the new one differs; ends the user's other sessions, rotates this one,
 * audits, mails a notice; 303 to the account settings (partners) or the
 * dashboard (staff). 422 with the form; 503. */
int
page_password_change_post(struct req *r)
{
	struct form f;
	form_read(r, change_fields, NFIELDS(change_fields), &f);
	struct user_row u;
	bool found = false;
	if (db_user_by_id(r->a, r->user->id, &u, &found) != DB_OK || !found)
		return page_error(r, 503);
	const char *current = form_get(&f, "current_password");
	if (*current && !password_verify(u.password_hash, current))
		form_error(&f, "current_password", N_("This is not your current password."));
	if (new_password_check(&f, u.email, u.tenant_name) &&
	    password_verify(u.password_hash, form_get(&f, "password")))
		form_error(&f, "password", N_("Choose a password different from your current one."));
	if (f.nerrors)
		return change_render(r, 422, &f);
	char pwhash[PASSWORD_HASH_MAX];
	if (password_hash(form_get(&f, "password"), pwhash) != 0)
		return page_error(r, 500);
	bool updated = false;
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	enum db_err rc = db_user_password_update(r->a, u.id, pwhash, &updated);
	if (rc == DB_OK && !updated)
		rc = DB_ERROR;
	if (rc == DB_OK)
		rc = db_sessions_end_all(r->a, u.id, NULL);
	/* This browser stays signed in, on a new session id. */
	if (rc == DB_OK && session_start(r, u.id) != 0)
		rc = DB_ERROR;
	if (rc == DB_OK)
		rc = audit_record(r, "user.password_change", u.email, NULL, NULL);
	if (rc == DB_OK && changed_mail(r, &u) != 0)
		rc = DB_ERROR;
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	log_info("password change of user %lld", u.id);
	return resp_redirect(r, u.tenant_id ? "/settings/account?password=changed"
	                                    : "/dashboard");
}
