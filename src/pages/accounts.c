/* Sign-up, email verification, sign-in, sign-out, set password. */
#include <string.h>

#include "core/log.h"
#include "db/accounts.h"
#include "db/claims.h"
#include "domain/accounts.h"
#include "pages/pages.h"

static const struct form_field signup_fields[] = {
    {"email", FT_EMAIL, true, 3, 254, NULL},
    {"password", FT_PASSWORD, true, 1, PASSWORD_FIELD_MAX, NULL},
    {"display_name", FT_TEXT, true, 1, 100, NULL},
    {"company_name", FT_TEXT, true, 1, 200, NULL},
    {"country", FT_COUNTRY, true, 2, 2, NULL},
};
static int
signup_render(struct req *r, int status, struct form *f)
{
	struct tvars *v = page_vars(r);
	if (f)
		form_to_vars(f, v, r->lang);
	country_options(r, v, f ? form_get(f, "country") : NULL);
	return page_render(r, status, "signup", v);
}

int
page_signup_form(struct req *r)
{
	if (r->user)
		return resp_redirect(r, "/dashboard");
	return signup_render(r, 200, NULL);
}

/* Emails a fresh verification link to the user. */
static int
send_verification(struct req *r, long long user_id, const char *email, const char *name)
{
	const char *token;
	unsigned char hash[32];
	token_new(r->a, &token, hash);
	if (db_token_create(r->a, hash, user_id, "verify_email", VERIFY_TOKEN_SECONDS) != DB_OK)
		return -1;
	struct tvars *mv = tv_new(r->a, NULL);
	tv_set(mv, "name", name);
	tv_set(mv, "link", abs_url_lang(r->a, arena_printf(r->a, "/verify-email?token=%s", token), r->lang));
	return mail_queue(r, email, r->lang, "mail_verify", mv);
}

/* What a refused sign-up says next to the email field. */
static const char *
signup_refusal_message(enum signup_refusal why)
{
	switch (why) {
	case SIGNUP_FREEMAIL:
		return "Use your work email: addresses from free email providers are not accepted.";
	case SIGNUP_ROLE_MAILBOX:
		return "Use your personal work address, not a shared mailbox such as info@ or admin@.";
	case SIGNUP_DOMAIN_TAKEN:
		return "Your company already has an account. Ask one of its administrators to invite you.";
	case SIGNUP_DOMAIN_PENDING:
		return N_("Your company already has an account, waiting for its first user to confirm "
		          "their email address: ask that person to confirm it and to invite you. If "
		          "nobody confirms it, the account is removed and this domain released on "
		          "{date} UTC: you can then sign up again.");
	default:
		return "Enter a valid email address, like name@company.com.";
	}
}

/* The sign-up refusal of a pending claim, with the date it ends. */
static const char *
pending_message(struct req *r, const struct claim_row *c)
{
	const char *msg = tr(r->lang, signup_refusal_message(SIGNUP_DOMAIN_PENDING));
	const char *at = strstr(msg, "{date}");
	if (at == NULL)
		return msg;
	return arena_printf(r->a, "%.*s%s%s", (int)(at - msg), msg, c->expires_at ? c->expires_at : "",
	                    at + strlen("{date}"));
}

/* Inside the sign-up's transaction, when the domain's claim was found
 * stale: reads it again under its lock and removes the unverified tenant
 * that held it (audited). DB_DUPLICATE when the claim is no longer stale
 * (verified meanwhile, or taken over by a concurrent sign-up). */
static enum db_err
claim_take_over(struct req *r, const char *domain, const char *email)
{
	struct claim_row c;
	bool removed = false;
	enum db_err rc = db_claim_get(r->a, domain, true, &c);
	if (rc != DB_OK)
		return rc;
	if (claim_check(&c.facts) != CLAIM_STALE)
		return DB_DUPLICATE;
	if ((rc = db_claim_remove(r->a, &c, &removed)) != DB_OK)
		return rc;
	if (!removed)
		return DB_DUPLICATE;
	json_t *after = json_pack("{s:s}", "signed_up", email);
	rc = audit_record_tenant(r, c.tenant_id, "domain_claim.takeover", domain,
	                         json_loads(c.snapshot ? c.snapshot : "{}", 0, NULL), after);
	if (rc == DB_OK)
		log_info("expired claim on %s (tenant %lld) taken over by a sign-up", domain,
		         c.tenant_id);
	return rc;
}

int
page_signup_post(struct req *r)
{
	struct form f;
	form_read(r, signup_fields, NFIELDS(signup_fields), &f);
	const char *email = form_get(&f, "email");
	const char *domain = email_domain(email);
	enum claim_verdict claim = CLAIM_FREE;
	if (*email && f.errors[0] == NULL) {
		enum email_verdict verdict = email_check_work(email, app.freemail, app.nfreemail,
		                                              app.roleboxes, app.nroleboxes);
		struct claim_row c = {0};
		if (verdict == EMAIL_OK && db_claim_get(r->a, domain, false, &c) != DB_OK)
			return page_error(r, 503);
		claim = claim_check(&c.facts);
		enum signup_refusal why = signup_check(verdict, claim);
		if (why == SIGNUP_DOMAIN_PENDING)
			form_error(&f, "email", pending_message(r, &c));
		else if (why != SIGNUP_OK)
			form_error(&f, "email", signup_refusal_message(why));
	}
	new_password_check(&f, email, form_get(&f, "company_name"));
	if (f.nerrors)
		return signup_render(r, 422, &f);
	long wait = throttle_wait(r, RATE_SIGNUP_ADDRESS, NULL);
	if (wait < 0)
		return page_error(r, 503);
	if (wait > 0)
		return page_throttled(r, wait);

	char pwhash[128];
	if (password_hash(form_get(&f, "password"), pwhash) != 0)
		return page_error(r, 500);
	long long user_id = 0;
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	enum db_err rc = claim == CLAIM_STALE ? claim_take_over(r, domain, email) : DB_OK;
	if (rc == DB_OK)
		rc = db_signup(r->a, form_get(&f, "company_name"), form_get(&f, "country"), domain,
		               email, form_get(&f, "display_name"), pwhash, lang_code(r->lang),
		               &user_id);
	if (rc == DB_OK && send_verification(r, user_id, email, form_get(&f, "display_name")) != 0)
		rc = DB_ERROR;
	if (rc == DB_OK)
		rc = throttle_count(r, RATE_SIGNUP_ADDRESS, NULL);
	rc = db_finish(rc);
	if (rc == DB_DUPLICATE) {
		/* Another sign-up for the same domain or address won the race. */
		form_error(&f, "email",
		           "Your company already has an account. Ask one of its administrators to "
		           "invite you.");
		return signup_render(r, 422, &f);
	}
	if (rc != DB_OK)
		return page_error(r, 503);
	if (session_start(r, user_id) != 0)
		return resp_redirect(r, "/signin");
	log_info("sign-up of user %lld", user_id);
	return resp_redirect(r, "/dashboard");
}

/* GET /verify-email?token=: marks the email verified and uses the link up
 * (CONTRACT §4), 200. The same link opened again within its lifetime, once
 * the address is verified (a mail scanner fetched it first), says so: 410
 * (the link is used up) with the "verified" notice, not an error. An
 * unknown, expired or revoked link: 400. */
int
page_verify_email(struct req *r)
{
	struct tvars *v = page_vars(r);
	const char *token = req_param(r, "token");
	long long user_id = 0, already = 0;
	if (token && *token) {
		unsigned char hash[32];
		token_hash(token, hash);
		if (db_token_consume(r->a, hash, "verify_email", &user_id) != DB_OK)
			return page_error(r, 503);
		if (user_id && db_user_mark_verified(r->a, user_id) != DB_OK)
			return page_error(r, 503);
		if (!user_id && db_token_used_verified(r->a, hash, "verify_email", &already) != DB_OK)
			return page_error(r, 503);
	}
	tv_bool(v, "verified", user_id != 0);
	tv_bool(v, "already_verified", already != 0);
	tv_bool(v, "invalid", user_id == 0 && already == 0);
	return page_render(r, user_id ? 200 : already ? 410 : 400, "verify_email", v);
}

/* POST /verify-email/resend: a new link for an unverified user; the older
 * links stop working. 429 (nothing sent) past RATE_RESEND_* ; 503. */
int
page_verify_resend(struct req *r)
{
	if (r->user->verified)
		return resp_redirect(r, "/dashboard?sent=1");
	const char *user_key = arena_printf(r->a, "user:%lld", r->user->id);
	static const enum rate_limit_id limits[] = {RATE_RESEND_USER_MINUTE, RATE_RESEND_USER_HOUR,
	                                            RATE_RESEND_ADDRESS};
	for (size_t i = 0; i < NFIELDS(limits); i++) {
		long wait = throttle_wait(r, limits[i], user_key);
		if (wait < 0)
			return page_error(r, 503);
		if (wait > 0)
			return page_throttled(r, wait);
	}
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	enum db_err rc = db_tokens_revoke(r->a, r->user->id, "verify_email");
	if (rc == DB_OK)
		rc = throttle_count(r, RATE_RESEND_USER_HOUR, user_key);
	if (rc == DB_OK)
		rc = throttle_count(r, RATE_RESEND_ADDRESS, NULL);
	if (rc == DB_OK &&
	    send_verification(r, r->user->id, r->user->email, r->user->display_name) != 0)
		rc = DB_ERROR;
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/dashboard?sent=1");
}

static const struct form_field signin_fields[] = {
    {"email", FT_EMAIL, true, 3, 254, NULL},
    {"password", FT_PASSWORD, true, 1, 256, NULL},
};

static int
signin_render(struct req *r, int status, struct form *f, const char *message)
{
	struct tvars *v = page_vars(r);
	if (f)
		form_to_vars(f, v, r->lang);
	if (message)
		tv_set(v, "signin_error", tr(r->lang, message));
	tv_bool(v, "password_reset", req_param(r, "reset") != NULL);
	tv_bool(v, "signin_expired", req_param(r, "timeout") != NULL);
	return page_render(r, status, "signin", v);
}

int
page_signin_form(struct req *r)
{
	if (r->user)
		return resp_redirect(r, "/dashboard");
	return signin_render(r, 200, NULL, NULL);
}

int
page_signin_post(struct req *r)
{
	struct form f;
	form_read(r, signin_fields, NFIELDS(signin_fields), &f);
	if (f.nerrors)
		return signin_render(r, 422, &f, NULL);
	const char *email = form_get(&f, "email");
	/* Held back per (email, client address) and per address: never the
	 * account itself, so that the owner signs in from their own address. */
	long wait = signin_wait(r, email);
	if (wait < 0)
		return page_error(r, 503);
	if (wait > 0)
		return page_throttled(r, wait);
	struct user_row u;
	bool found = false;
	if (db_user_by_email(r->a, email, &u, &found) != DB_OK)
		return page_error(r, 503);
	bool ok = password_verify(found ? u.password_hash : NULL, form_get(&f, "password")) && found &&
	          user_may_sign_in(u.status);
	if (!ok) {
		if (signin_failed(r, email) != DB_OK)
			return page_error(r, 503);
		resp_header(r, "WWW-Authenticate", "FormBased");
		return signin_render(r, 401, &f, "Wrong email or password.");
	}
	/* Two-factor authentication: a second step before any session. */
	int second = signin_second_step(r, u.id);
	if (second != 0)
		return second;
	if (signin_succeeded(r, email) != DB_OK)
		return page_error(r, 503);
	if (session_start(r, u.id) != 0)
		return page_error(r, 503);
	int l = lang_parse(u.lang);
	if (l >= 0 && req_cookie(r, LANG_COOKIE) == NULL && req_param(r, "lang") == NULL)
		resp_cookie(r, LANG_COOKIE, u.lang, 365L * 24 * 3600);
	return resp_redirect(r, "/dashboard");
}

int
page_signout(struct req *r)
{
	session_end(r);
	return resp_redirect(r, "/signin");
}

static const struct form_field set_password_fields[] = {
    {"token", FT_TOKEN, true, 20, 100, NULL},
    {"password", FT_PASSWORD, true, 1, PASSWORD_FIELD_MAX, NULL},
    {"password_confirm", FT_PASSWORD, true, 1, PASSWORD_FIELD_MAX, NULL},
};

int
page_set_password_form(struct req *r)
{
	struct tvars *v = page_vars(r);
	const char *token = req_param(r, "token");
	tv_set(v, "v_token", token ? token : "");
	tv_bool(v, "token_missing", token == NULL || *token == '\0');
	return page_render(r, token && *token ? 200 : 400, "set_password", v);
}

int
page_set_password_post(struct req *r)
{
	struct form f;
	form_read(r, set_password_fields, NFIELDS(set_password_fields), &f);
	unsigned char hash[32];
	long long user_id = 0;
	struct user_row u;
	bool found = false;
	token_hash(form_get(&f, "token"), hash);
	/* The invitee's email and company, for the password policy. */
	if (f.errors[0] == NULL &&
	    (db_token_peek(r->a, hash, "set_password", &user_id) != DB_OK ||
	     (user_id && db_user_by_id(r->a, user_id, &u, &found) != DB_OK)))
		return page_error(r, 503);
	if (found)
		new_password_check(&f, u.email, u.tenant_name);
	else
		form_error(&f, "token", "This link has expired or was already used. Ask for a new "
		                        "invitation.");
	if (f.nerrors == 0) {
		char pwhash[128];
		if (password_hash(form_get(&f, "password"), pwhash) != 0)
			return page_error(r, 500);
		if (db_begin() != DB_OK)
			return page_error(r, 503);
		enum db_err rc = db_token_consume(r->a, hash, "set_password", &user_id);
		if (rc == DB_OK && user_id)
			rc = db_user_set_password(r->a, user_id, pwhash);
		if (db_finish(rc) != DB_OK)
			return page_error(r, 503);
		if (user_id) {
			if (session_start(r, user_id) != 0)
				return resp_redirect(r, "/signin");
			return resp_redirect(r, "/dashboard");
		}
		form_error(&f, "token", "This link has expired or was already used. Ask for a new "
		                        "invitation.");
	}
	struct tvars *v = page_vars(r);
	form_to_vars(&f, v, r->lang);
	return page_render(r, 422, "set_password", v);
}
