/* "Your sessions": where the signed-in user is signed in, with a sign-out
 * of each session and of all the others (CONTRACT §5, issue 10). */
#include <string.h>

#include "core/log.h"
#include "db/accounts.h"
#include "pages/pages.h"

/* Characters of a user agent the page shows; the rest is cut with "…". */
#define AGENT_SHOWN 60
/* Length of a session's public id (32 hex digits). */
#define PUBLIC_ID_CHARS 32

/* The user agent as the page shows it (stored as printable ASCII). */
static const char *
agent_short(struct req *r, const char *ua)
{
	if (ua == NULL || *ua == '\0')
		return tr(r->lang, "Unknown browser");
	if (strlen(ua) <= AGENT_SHOWN)
		return ua;
	return arena_printf(r->a, "%.*s…", AGENT_SHOWN, ua);
}

int
page_sessions(struct req *r)
{
	unsigned char hash[TOKEN_HASH_BYTES];
	token_hash(r->session_token, hash);
	struct session_row *rows = NULL;
	size_t n = 0;
	if (db_sessions_of_user(r->a, r->user->id, hash, &rows, &n) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "sessions");
		tv_set(it, "id", rows[i].public_id);
		tv_set(it, "created", rows[i].created_at);
		tv_set(it, "last_seen", rows[i].last_seen);
		tv_set(it, "ip", rows[i].ip);
		tv_set(it, "agent", agent_short(r, rows[i].user_agent));
		tv_set(it, "agent_full", rows[i].user_agent);
		if (rows[i].current)
			tv_set(it, "current", "yes");
		else
			tv_bool(it, "current", false);
		tv_setf(it, "signout_action", "/account/sessions/%s/signout", rows[i].public_id);
	}
	tv_bool(v, "has_others", n > 1);
	tv_bool(v, "ended_one", req_param(r, "ended") != NULL);
	tv_bool(v, "ended_others", req_param(r, "others") != NULL);
	return page_render(r, 200, "sessions", v);
}

/* POST /account/sessions/{id}/signout: 404 unless the session is the user's. */
int
page_session_signout(struct req *r)
{
	const char *id = r->params[0];
	bool found = false;
	if (id == NULL || strlen(id) != PUBLIC_ID_CHARS)
		return page_error(r, 404);
	if (db_session_end(r->a, r->user->id, id, &found) != DB_OK)
		return page_error(r, 503);
	if (!found)
		return page_error(r, 404);
	log_info("user %lld ended one of their sessions", r->user->id);
	return resp_redirect(r, "/account/sessions?ended=1");
}

int
page_sessions_signout_others(struct req *r)
{
	unsigned char hash[TOKEN_HASH_BYTES];
	token_hash(r->session_token, hash);
	if (db_sessions_end_all(r->a, r->user->id, hash) != DB_OK)
		return page_error(r, 503);
	log_info("user %lld ended their other sessions", r->user->id);
	return resp_redirect(r, "/account/sessions?others=1");
}
