/* Two-factor authentication of the signed-in user (GET/POST /account/2fa):
 * enrolment with a QR code (libqrencode, drawn as inline SVG) and the key
 * in base32, confirmation with a current code, recovery codes shown once,
 * new recovery codes, turning it off (not for staff). The sign-in step is
 * twofactor_signin.c; the rules, domain/twofactor.c. */
#include <qrencode.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/totp.h"
#include "db/accounts.h"
#include "db/twofactor.h"
#include "domain/twofactor.h"
#include "pages/pages.h"

#define ENROL_PURPOSE "tfa_enrol"
#define ENROL_SECONDS 3600 /* the set-up form stays valid an hour */
#define CODES_PURPOSE "tfa_codes"
#define CODES_COOKIE  "pd_rc"
#define CODES_SECONDS 600 /* the new codes are shown within 10 min, once */
#define QR_QUIET      4   /* modules of white border (ISO/IEC 18004) */

/* The otpauth:// address of a secret (Key Uri Format of Google Authenticator). */
static const char *
otpauth_uri(struct arena *a, const char *email, const char *b32)
{
	struct sbuf s = {0};
	sbuf_adds(&s, "otpauth://totp/partnerdesk:");
	for (const unsigned char *p = (const unsigned char *)email; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~@", *p))
			sbuf_addc(&s, (char)*p);
		else
			sbuf_printf(&s, "%%%02X", *p);
	}
	sbuf_printf(&s, "?secret=%s&issuer=partnerdesk", b32);
	const char *out = arena_strdup(a, sbuf_cstr(&s));
	sbuf_free(&s);
	return out;
}

/* The QR code of text as one SVG path (a 1x1 square per dark module) and
 * its viewBox; 0, or -1 when it cannot be encoded. */
static int
qr_svg(struct arena *a, const char *text, const char **path, const char **viewbox)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return -1;
	struct sbuf s = {0};
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1)
				sbuf_printf(&s, "M%d %dh1v1h-1z", x + QR_QUIET, y + QR_QUIET);
	*path = arena_strdup(a, sbuf_cstr(&s));
	*viewbox = arena_printf(a, "0 0 %d %d", qr->width + 2 * QR_QUIET, qr->width + 2 * QR_QUIET);
	sbuf_free(&s);
	QRcode_free(qr);
	return 0;
}

/* The user's language for the mails about their account. */
static enum lang
user_lang(const struct user_row *u)
{
	int l = lang_parse(u->lang);
	return l >= 0 ? (enum lang)l : LANG_EN;
}

/* The page: set-up (a new secret, or the one of the form being corrected)
 * or the state of 2FA; f, when given, is the form that failed (which one:
 * prefix "", "rc_" or "off_" of its error variables). */
static int
tfa_render(struct req *r, int status, const unsigned char *secret, struct form *f,
           const char *prefix)
{
	struct tvars *v = page_vars(r);
	struct tfa_row t;
	if (db_tfa_get(r->a, r->user->id, &t) != DB_OK)
		return page_error(r, 503);
	enum tfa_need need = tfa_need(r->user->roles, t.enabled, r->user->tfa_due_passed);
	tv_bool(v, "must_enrol", need == TFA_ENROL_NOW);
	tv_bool(v, "enabled", t.enabled);
	tv_bool(v, "turned_off", !t.enabled && req_param(r, "off") != NULL);
	tv_bool(v, "may_disable", tfa_off_check(r->user->roles, t.enabled) == TFA_OFF_OK);
	if (f) {
		tv_bool(v, "has_errors", true);
		for (size_t i = 0; i < f->n; i++)
			if (f->errors[i]) {
				const char *name = f->fields[i].name;
				tv_set(v,
				       tv_intern(v, arena_printf(r->a, "%serr_%s", prefix, name)),
				       tr(r->lang, f->errors[i]));
				tv_set(v,
				       tv_intern(v, arena_printf(r->a, "%sinv_%s", prefix, name)),
				       "true");
			}
	}
	if (!t.enabled) {
		unsigned char fresh[TOTP_SECRET_BYTES];
		if (secret == NULL) {
			randombytes_buf(fresh, sizeof(fresh));
			secret = fresh;
		}
		char b32[64];
		base32_encode(secret, TOTP_SECRET_BYTES, false, b32, sizeof(b32));
		const char *uri = otpauth_uri(r->a, r->user->email, b32), *path, *viewbox;
		if (qr_svg(r->a, uri, &path, &viewbox) != 0)
			return page_error(r, 500);
		tv_set(v, "secret_b32", arena_strdup(r->a, b32));
		tv_set(v, "otpauth_uri", uri);
		tv_set(v, "qr_path", path);
		tv_set(v, "qr_viewbox", viewbox);
		tv_set(v, "enrolment",
		       sealed_token(r->a, ENROL_PURPOSE, r->user->id, ENROL_SECONDS, secret,
		                    TOTP_SECRET_BYTES));
		sodium_memzero(fresh, sizeof(fresh));
		sodium_memzero(b32, sizeof(b32));
	} else {
		tv_setf(v, "codes_left", "%lld", t.codes_left);
		/* New recovery codes, right after they were made: shown once. */
		char codes[RECOVERY_CODES * (RECOVERY_CODE_CHARS + 2) + 1];
		long long uid = 0;
		long n = sealed_token_open(req_cookie(r, CODES_COOKIE), CODES_PURPOSE, &uid, codes,
		                           sizeof(codes) - 1);
		if (req_cookie(r, CODES_COOKIE))
			resp_cookie(r, CODES_COOKIE, "", 0);
		if (n > 0 && uid == r->user->id) {
			codes[n] = '\0';
			tv_bool(v, "show_codes", true);
			char *save = NULL;
			for (char *c = strtok_r(codes, " ", &save); c;
			     c = strtok_r(NULL, " ", &save))
				tv_set(tv_item(v, "codes"), "code", arena_strdup(r->a, c));
		}
	}
	return page_render(r, status, "twofactor", v);
}

/* GET /account/2fa. */
int
page_tfa(struct req *r)
{
	return tfa_render(r, 200, NULL, NULL, "");
}

/* New recovery codes for the user: their hashes into hashes, and the
 * sealed list for the page into the codes cookie. */
static void
new_recovery_codes(struct req *r, unsigned char hashes[RECOVERY_CODES][RECOVERY_HASH_LEN])
{
	struct sbuf list = {0};
	for (int i = 0; i < RECOVERY_CODES; i++) {
		unsigned char rnd[RECOVERY_CODE_CHARS];
		char code[RECOVERY_CODE_CHARS + 2], norm[RECOVERY_CODE_CHARS + 1];
		randombytes_buf(rnd, sizeof(rnd));
		recovery_code_format(rnd, code);
		recovery_code_normalize(code, norm);
		crypto_hash_sha256(hashes[i], (const unsigned char *)norm, strlen(norm));
		sbuf_printf(&list, "%s%s", i ? " " : "", code);
	}
	resp_cookie(r, CODES_COOKIE,
	            sealed_token(r->a, CODES_PURPOSE, r->user->id, CODES_SECONDS, list.p, list.len),
	            CODES_SECONDS);
	sodium_memzero(list.p, list.len);
	sbuf_free(&list);
}

/* The msgid for a refused code, or NULL. */
static const char *
code_refusal(enum totp_verdict v)
{
	switch (v) {
	case TOTP_OK:
		return NULL;
	case TOTP_MALFORMED:
		return N_("Enter the 6 digits your authenticator app shows.");
	case TOTP_REUSED:
		return N_("This code was already used: wait for the next one.");
	default:
		return N_("This code is not valid: check the time on your phone and try again.");
	}
}

/* Checks the form's "code" against the user's enabled secret and records
 * its step as used; an error goes next to "code". 0, or -1 (503). */
static int
check_current_code(struct req *r, struct form *f, const struct tfa_row *t)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	if (tfa_open_secret(t->sealed, t->sealed_len, secret) != 0) {
		log_err("user %lld: the TOTP secret does not open", r->user->id);
		return -1;
	}
	uint64_t step = 0;
	enum totp_verdict verdict = totp_check(secret, sizeof(secret), form_get(f, "code"),
	                                       (int64_t)time(NULL), t->last_step, &step);
	sodium_memzero(secret, sizeof(secret));
	bool fresh = false;
	if (verdict == TOTP_OK && db_tfa_step_use(r->a, r->user->id, step, &fresh) != DB_OK)
		return -1;
	if (verdict == TOTP_OK && !fresh)
		verdict = TOTP_REUSED;
	if (verdict != TOTP_OK)
		form_error(f, "code", code_refusal(verdict));
	return 0;
}

/* Mails the user that 2FA was turned on or off. 0 or -1. */
static int
tfa_mail(struct req *r, const char *name)
{
	struct user_row u;
	bool found = false;
	if (db_user_by_id(r->a, r->user->id, &u, &found) != DB_OK || !found)
		return -1;
	struct tvars *mv = tv_new(r->a, NULL);
	tv_set(mv, "name", u.display_name);
	tv_set(mv, "link", abs_url_lang(r->a, "/password/forgot", user_lang(&u)));
	return mail_queue(r, u.email, user_lang(&u), name, mv);
}

static const struct form_field enrol_fields[] = {
    {"enrolment", FT_TOKEN, true, 20, 400, NULL},
    {"code", FT_TEXT, true, 1, 20, NULL},
};

/* POST /account/2fa: turns 2FA on when the code matches the secret of the
 * form; audits, mails a notice, makes the recovery codes; 303 /account/2fa
 * (which shows them once). 422 with the same QR code and key. 409 when it
 * is on already. */
int
page_tfa_enable(struct req *r)
{
	struct form f;
	form_read(r, enrol_fields, NFIELDS(enrol_fields), &f);
	unsigned char secret[TOTP_SECRET_BYTES];
	long long uid = 0;
	long n = sealed_token_open(form_get(&f, "enrolment"), ENROL_PURPOSE, &uid, secret,
	                           sizeof(secret));
	if (n != TOTP_SECRET_BYTES || uid != r->user->id) {
		form_error(&f, "code",
		           N_("This set-up form has expired: scan the new QR code and "
		              "enter a new code."));
		return tfa_render(r, 422, NULL, &f, "");
	}
	uint64_t step = 0;
	enum totp_verdict verdict =
	    totp_check(secret, sizeof(secret), form_get(&f, "code"), (int64_t)time(NULL), 0, &step);
	if (verdict != TOTP_OK)
		form_error(&f, "code", code_refusal(verdict));
	if (f.nerrors) {
		int st = tfa_render(r, 422, secret, &f, "");
		sodium_memzero(secret, sizeof(secret));
		return st;
	}
	size_t sealed_len = 0;
	const unsigned char *sealed = tfa_seal_secret(r->a, secret, sizeof(secret), &sealed_len);
	sodium_memzero(secret, sizeof(secret));
	unsigned char hashes[RECOVERY_CODES][RECOVERY_HASH_LEN];
	new_recovery_codes(r, hashes);
	bool done = false;
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	enum db_err rc =
	    db_tfa_enable(r->a, r->user->id, sealed, sealed_len, step,
	                  (const unsigned char(*)[RECOVERY_HASH_LEN])hashes, RECOVERY_CODES, &done);
	if (rc == DB_OK && !done) {
		db_finish(DB_ERROR);
		resp_cookie(r, CODES_COOKIE, "", 0);
		return page_error(r, 409);
	}
	if (rc == DB_OK)
		rc = audit_record(r, "user.2fa_enable", r->user->email, NULL, NULL);
	if (rc == DB_OK && tfa_mail(r, "mail_2fa_enabled") != 0)
		rc = DB_ERROR;
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	log_info("two-factor authentication on for user %lld", r->user->id);
	return resp_redirect(r, "/account/2fa");
}

static const struct form_field code_fields[] = {
    {"code", FT_TEXT, true, 1, 20, NULL},
};

/* POST /account/2fa/recovery: new recovery codes (the old ones stop
 * working) after a current code; audits; 303 /account/2fa which shows them.
 * 422 next to "code"; 409 when 2FA is off. */
int
page_tfa_recovery(struct req *r)
{
	struct form f;
	form_read(r, code_fields, NFIELDS(code_fields), &f);
	struct tfa_row t;
	if (db_tfa_get(r->a, r->user->id, &t) != DB_OK)
		return page_error(r, 503);
	if (!t.enabled)
		return page_error(r, 409);
	if (f.nerrors == 0 && check_current_code(r, &f, &t) != 0)
		return page_error(r, 503);
	if (f.nerrors)
		return tfa_render(r, 422, NULL, &f, "rc_");
	unsigned char hashes[RECOVERY_CODES][RECOVERY_HASH_LEN];
	new_recovery_codes(r, hashes);
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	enum db_err rc = db_tfa_codes_replace(
	    r->a, r->user->id, (const unsigned char(*)[RECOVERY_HASH_LEN])hashes, RECOVERY_CODES);
	if (rc == DB_OK)
		rc = audit_record(r, "user.2fa_recovery_codes", r->user->email, NULL, NULL);
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/account/2fa");
}

static const struct form_field off_fields[] = {
    {"password", FT_PASSWORD, true, 1, PASSWORD_FIELD_MAX, NULL},
    {"code", FT_TEXT, true, 1, 20, NULL},
};

/* POST /account/2fa/disable: the password and a current code turn 2FA off;
 * audits, mails a notice; 303 /account/2fa?off=1. 422 next to the fields;
 * 403 for staff (they must keep it); 409 when it is off. */
int
page_tfa_disable(struct req *r)
{
	struct form f;
	form_read(r, off_fields, NFIELDS(off_fields), &f);
	struct tfa_row t;
	if (db_tfa_get(r->a, r->user->id, &t) != DB_OK)
		return page_error(r, 503);
	switch (tfa_off_check(r->user->roles, t.enabled)) {
	case TFA_OFF_STAFF:
		return page_error(r, 403);
	case TFA_OFF_NOT_ENABLED:
		return page_error(r, 409);
	default:
		break;
	}
	struct user_row u;
	bool found = false;
	if (db_user_by_id(r->a, r->user->id, &u, &found) != DB_OK || !found)
		return page_error(r, 503);
	const char *password = form_get(&f, "password");
	if (*password && !password_verify(u.password_hash, password))
		form_error(&f, "password", N_("This is not your current password."));
	if (f.nerrors == 0 && check_current_code(r, &f, &t) != 0)
		return page_error(r, 503);
	if (f.nerrors)
		return tfa_render(r, 422, NULL, &f, "off_");
	bool done = false;
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	enum db_err rc = db_tfa_disable(r->a, r->user->id, &done);
	if (rc == DB_OK && done)
		rc = audit_record(r, "user.2fa_disable", r->user->email, NULL, NULL);
	if (rc == DB_OK && done && tfa_mail(r, "mail_2fa_disabled") != 0)
		rc = DB_ERROR;
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	log_info("two-factor authentication off for user %lld", r->user->id);
	return resp_redirect(r, "/account/2fa?off=1");
}
