/* The second step of signing in (GET/POST /signin/2fa) for a user with
 * two-factor authentication: after a correct password there is no session
 * yet, only a sealed pre-auth token (cookie pd_2fa, 5 minutes, bound to the
 * pre-session); a current TOTP code or an unused recovery code starts the
 * session. A wrong code counts as a failed sign-in (app/throttle.c: the
 * same growing delays per email and client address as the password). */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/totp.h"
#include "db/accounts.h"
#include "db/twofactor.h"
#include "domain/twofactor.h"
#include "pages/pages.h"

/* The user of a valid pre-auth token of this browser; 0 when none. */
static long long
pending_user(struct req *r)
{
	unsigned char bound[32], want[32];
	long long uid = 0;
	if (r->pre_token == NULL ||
	    sealed_token_open(req_cookie(r, TFA_PENDING_COOKIE), TFA_PENDING_PURPOSE, &uid, bound,
	                      sizeof(bound)) != (long)sizeof(bound))
		return 0;
	crypto_hash_sha256(want, (const unsigned char *)r->pre_token, strlen(r->pre_token));
	return sodium_memcmp(bound, want, sizeof(want)) == 0 ? uid : 0;
}

static int
tfa_signin_render(struct req *r, int status, struct form *f, const char *message)
{
	struct tvars *v = page_vars(r);
	if (f) {
		form_to_vars(f, v, r->lang);
		tv_bool(v, "use_recovery", *form_get(f, "recovery_code") != '\0');
	}
	if (message)
		tv_set(v, "signin_error", tr(r->lang, message));
	return page_render(r, status, "signin_2fa", v);
}

/* GET /signin/2fa: the form, or 303 /signin without a pending sign-in. */
int
page_signin_tfa_form(struct req *r)
{
	if (r->user)
		return resp_redirect(r, "/dashboard");
	if (pending_user(r) == 0)
		return resp_redirect(r, "/signin");
	return tfa_signin_render(r, 200, NULL, NULL);
}

static const struct form_field tfa_signin_fields[] = {
    {"code", FT_TEXT, false, 0, 20, NULL},
    {"recovery_code", FT_TEXT, false, 0, 40, NULL},
};

/* Whether the form's code or recovery code is good for u (records the
 * step, or uses the code up). 0, or -1 when the database is away. */
static int
second_factor_ok(struct req *r, struct form *f, const struct user_row *u, bool *ok)
{
	*ok = false;
	struct tfa_row t;
	if (db_tfa_get(r->a, u->id, &t) != DB_OK)
		return -1;
	if (!t.enabled) /* turned off meanwhile: the password was enough */
		return *ok = true, 0;
	const char *recovery = form_get(f, "recovery_code");
	if (*recovery) {
		char norm[RECOVERY_CODE_CHARS + 1];
		if (!recovery_code_normalize(recovery, norm))
			return 0;
		unsigned char hash[RECOVERY_HASH_LEN];
		crypto_hash_sha256(hash, (const unsigned char *)norm, strlen(norm));
		if (db_tfa_code_use(r->a, u->id, hash, ok) != DB_OK)
			return -1;
		if (*ok)
			log_info("recovery code used by user %lld", u->id);
		return 0;
	}
	unsigned char secret[TOTP_SECRET_BYTES];
	if (tfa_open_secret(t.sealed, t.sealed_len, secret) != 0) {
		log_err("user %lld: the TOTP secret does not open", u->id);
		return -1;
	}
	uint64_t step = 0;
	enum totp_verdict v = totp_check(secret, sizeof(secret), form_get(f, "code"),
	                                 (int64_t)time(NULL), t.last_step, &step);
	sodium_memzero(secret, sizeof(secret));
	if (v == TOTP_OK && db_tfa_step_use(r->a, u->id, step, ok) != DB_OK)
		return -1;
	return 0;
}

/* POST /signin/2fa: `code` or `recovery_code` → the session starts, 303
 * /dashboard. 401 with the form on a wrong, reused or used-up code; 422 when
 * neither is given; 429 while the throttle holds this client back; 303
 * /signin when the pre-auth token expired. */
int
page_signin_tfa_post(struct req *r)
{
	long long uid = pending_user(r);
	if (uid == 0)
		return resp_redirect(r, "/signin?timeout=1");
	struct form f;
	form_read(r, tfa_signin_fields, NFIELDS(tfa_signin_fields), &f);
	if (f.nerrors == 0 && !*form_get(&f, "code") && !*form_get(&f, "recovery_code"))
		form_error(&f, "code", N_("Enter the 6 digits your authenticator app shows."));
	if (f.nerrors)
		return tfa_signin_render(r, 422, &f, NULL);
	struct user_row u;
	bool found = false;
	if (db_user_by_id(r->a, uid, &u, &found) != DB_OK)
		return page_error(r, 503);
	if (!found || !user_may_sign_in(u.status)) {
		resp_cookie(r, TFA_PENDING_COOKIE, "", 0);
		return resp_redirect(r, "/signin");
	}
	/* The password's throttle: the same delays per email and client address. */
	long wait = signin_wait(r, u.email);
	if (wait < 0)
		return page_error(r, 503);
	if (wait > 0)
		return page_throttled(r, wait);
	bool ok = false;
	if (second_factor_ok(r, &f, &u, &ok) != 0)
		return page_error(r, 503);
	if (!ok) {
		if (signin_failed(r, u.email) != DB_OK)
			return page_error(r, 503);
		bool recovery = *form_get(&f, "recovery_code") != '\0';
		form_error(&f, recovery ? "recovery_code" : "code",
		           recovery ? N_("This recovery code is not valid or was already used.")
		                    : N_("This code is not valid or was already used."));
		resp_header(r, "WWW-Authenticate", "FormBased");
		return tfa_signin_render(r, 401, &f, NULL);
	}
	if (signin_succeeded(r, u.email) != DB_OK)
		return page_error(r, 503);
	resp_cookie(r, TFA_PENDING_COOKIE, "", 0);
	if (session_start(r, u.id) != 0)
		return page_error(r, 503);
	int l = lang_parse(u.lang);
	if (l >= 0 && req_cookie(r, LANG_COOKIE) == NULL && req_param(r, "lang") == NULL)
		resp_cookie(r, LANG_COOKIE, u.lang, 365L * 24 * 3600);
	return resp_redirect(r, "/dashboard");
}
