/* Sessions and CSRF tokens (the tokens and passwords themselves: core/secret.c).
 *
 * A visitor without a session gets a pre-session token issued by the server
 * (cookie pd_pre: random bytes and their MAC, so a value the client made up
 * is replaced, and nobody can fix another's CSRF token); signing in creates
 * a row in `sessions` keyed by the SHA-256 of a new token (cookie
 * pd_session). The CSRF token of a form is an HMAC of the current
 * (pre-)session token, so it is valid for every POST of that session and
 * changes at sign-in. With an https base_url both cookies carry the __Host-
 * prefix (http/request.c). */
#include <sodium.h>
#include <string.h>

#include "app/app.h"
#include "core/secret.h"
#include "db/accounts.h"

static const char *
csrf_for(struct arena *a, const char *token)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, app.csrf_key, sizeof(app.csrf_key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"csrf|", 5);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)token, strlen(token));
	crypto_auth_hmacsha256_final(&st, mac);
	return b64url(a, mac, sizeof(mac));
}

int
session_load(struct req *r)
{
	const char *st = req_cookie(r, SESSION_COOKIE);
	if (token_well_formed(st)) {
		unsigned char hash[32];
		token_hash(st, hash);
		struct user *u = arena_alloc(r->a, sizeof(*u));
		bool found = false, touch = false;
		enum db_err rc = db_session_load(r->a, hash, u, &found, &touch);
		if (rc != DB_OK) {
			/* The database is away: the session may well be valid, so the
			 * cookie stays and the visitor is told to retry (503). */
			r->pre_token = st;
			r->csrf = csrf_for(r->a, st);
			return -1;
		}
		if (found) {
			r->user = u;
			r->session_token = st;
			if (touch)
				db_session_touch(r->a, hash);
		} else {
			resp_cookie(r, SESSION_COOKIE, "", 0);
		}
	}
	if (r->user == NULL) {
		const char *pre = req_cookie(r, PRE_COOKIE);
		if (!pre_token_valid(app.csrf_key, pre)) {
			pre = pre_token_new(r->a, app.csrf_key);
			resp_cookie(r, PRE_COOKIE, pre, -1);
		}
		r->pre_token = pre;
	}
	r->csrf = csrf_for(r->a, r->user ? r->session_token : r->pre_token);
	return 0;
}

/* The User-Agent header as kept with a session: printable ASCII (anything
 * else becomes '?'), at most SESSION_AGENT_MAX characters. */
#define SESSION_AGENT_MAX 255
static const char *
agent_of(struct req *r)
{
	const char *ua = r->user_agent ? r->user_agent : "";
	size_t n = strlen(ua);
	if (n > SESSION_AGENT_MAX)
		n = SESSION_AGENT_MAX;
	char *out = arena_strndup(r->a, ua, n);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	return out;
}

int
session_start(struct req *r, long long user_id)
{
	const char *token;
	unsigned char hash[32];
	token_new(r->a, &token, hash);
	if (db_session_create(r->a, hash, user_id, r->remote_addr, agent_of(r)) != DB_OK)
		return -1;
	if (r->session_token) {
		unsigned char old[32];
		token_hash(r->session_token, old);
		db_session_delete(r->a, old);
	}
	r->session_token = token;
	r->csrf = csrf_for(r->a, token);
	resp_cookie(r, SESSION_COOKIE, token, -1);
	/* The pre-session is spent: a new one starts after sign-out. */
	resp_cookie(r, PRE_COOKIE, "", 0);
	return 0;
}

void
session_end(struct req *r)
{
	if (r->session_token) {
		unsigned char hash[32];
		token_hash(r->session_token, hash);
		db_session_delete(r->a, hash);
	}
	r->user = NULL;
	r->session_token = NULL;
	resp_cookie(r, SESSION_COOKIE, "", 0);
	resp_cookie(r, PRE_COOKIE, "", 0);
}

bool
csrf_valid(struct req *r)
{
	const char *sent = req_form(r, "csrf");
	if (sent == NULL || r->csrf == NULL || strlen(sent) != strlen(r->csrf))
		return false;
	return sodium_memcmp(sent, r->csrf, strlen(sent)) == 0;
}
