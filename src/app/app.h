/* What pages share: configuration, rendering, sessions, mail. */
#ifndef PD_APP_H
#define PD_APP_H
#include <jansson.h>
#include <stdbool.h>
#include "clients/remote.h"
#include "core/config.h"
#include "core/secret.h" /* tokens and passwords, for the pages */
#include "db/db.h"
#include "domain/limits.h"
#include "domain/passwords.h"
#include "domain/throttle.h"
#include "http/form.h"
#include "http/request.h"
#include "view/template.h"

#define PRE_COOKIE             "pd_pre"
#define SESSION_COOKIE         "pd_session"

struct app {
	struct config *cfg;
	const char    *base_url;  /* absolute, no trailing slash */
	const char    *state_dir;
	const char    *tmp_dir;
	unsigned char  csrf_key[32];
	unsigned char  seal_key[32]; /* secretbox key: TOTP secrets, sealed tokens */
	const char   **freemail;
	size_t         nfreemail;
	const char   **roleboxes;
	size_t         nroleboxes;
	struct remote_service dnb;     /* DUNS lookup (D&B Direct+) */
	struct remote_service address; /* address validation (USPS v3) */
	struct arena   arena;     /* process-lifetime data */
};
extern struct app app;

/* Loads per-process state from the database (keys, email rules). */
int app_load(void);

/* Common template variables: language, user, csrf, navigation. */
struct tvars *page_vars(struct req *r);
/* Renders template name in the layout with status. Returns status. */
int page_render(struct req *r, int status, const char *name, struct tvars *v);
/* Bilingual error page for status (403, 404, 405, 413, 500, 503; 429 is
 * page_throttled's). */
int page_error(struct req *r, int status);

/* 429 with Retry-After: seconds and a page (in the request's language)
 * that says when to try again. Returns 429. */
int page_throttled(struct req *r, long retry_after);

/* Rate limits (throttle.c), counted in the database (rate_events). */
/* The host itself by default: its own tools and monitoring, and, behind a
 * local proxy that is not listed in [app] trusted_proxies, every client at
 * once (limiting them by one shared address would lock out everyone; the
 * limits per email, user and target still apply). */
#define THROTTLE_EXEMPT_DEFAULT "127.0.0.1, ::1"
/* True when the client address is one of [limits] exempt_addresses: the
 * limits by address do not apply to it. */
bool throttle_exempt(const struct req *r);
/* The maximum of limit id: [limits] <config key>, else its default. */
int throttle_max(enum rate_limit_id id);
/* Seconds to wait under limit id for key (ignored by the limits by client
 * address); 0 when allowed, -1 when the database cannot tell (503). */
long throttle_wait(struct req *r, enum rate_limit_id id, const char *key);
/* Counts one event of limit id's kind for key (limits sharing a kind, like
 * the resends per minute and per hour, are counted once). */
enum db_err throttle_count(struct req *r, enum rate_limit_id id, const char *key);
/* Sign-in: seconds the client address waits before trying email again
 * (growing delays per email and address, and the limit per address across
 * every email); 0, or -1 when the database cannot tell. */
long signin_wait(struct req *r, const char *email);
/* Counts a failed sign-in for email from the client address. */
enum db_err signin_failed(struct req *r, const char *email);
/* Forgets the failures of email from the client address (and only from it). */
enum db_err signin_succeeded(struct req *r, const char *email);

/* Sessions and CSRF (session.c). */
/* Finds the visitor's session; -1 when the database cannot tell (503). */
int session_load(struct req *r);
/* New session for user_id: rotates the token (new CSRF) and sets the cookie. */
int session_start(struct req *r, long long user_id);
void session_end(struct req *r);
bool csrf_valid(struct req *r);

/* Sealed values (twofactor.c): libsodium secretbox under app.seal_key. */
/* A TOTP secret as stored: nonce || box. Allocated in a. */
const unsigned char *tfa_seal_secret(struct arena *a, const unsigned char *secret, size_t len,
                                     size_t *outlen);
/* The secret back into out (TOTP_SECRET_BYTES); -1 when it does not open. */
int tfa_open_secret(const unsigned char *sealed, size_t len, unsigned char *out);
/* A URL-safe token that carries payload for user_id until now + seconds,
 * for one purpose only (encrypted and authenticated). Allocated in a. */
const char *sealed_token(struct arena *a, const char *purpose, long long user_id, long seconds,
                         const void *payload, size_t len);
/* The payload of a sealed token of that purpose, unexpired, into out (at
 * most outlen bytes); its user in *user_id. Returns the payload length, or
 * -1 when the token is not valid. */
long sealed_token_open(const char *token, const char *purpose, long long *user_id, void *out,
                       size_t outlen);

/* Queues an email rendered from template name (subject from its
 * data-title element). Returns 0 or -1. */
int mail_queue(struct req *r, const char *to, enum lang lang, const char *name, struct tvars *v);
/* True when the signed-in user holds role. */
bool has_role(const struct req *r, enum role role);
/* Appends an audit row as the signed-in user (or the system), inside the
 * caller's transaction. Takes ownership of before/after (may be NULL). */
enum db_err audit_record(struct req *r, const char *action, const char *object, json_t *before,
                         json_t *after);
/* The same about another tenant's object (staff acting on an application). */
enum db_err audit_record_tenant(struct req *r, long long tenant_id, const char *action,
                                const char *object, json_t *before, json_t *after);
/* The password policy (password.c): domain/passwords.h's rules, then the
 * cracklib dictionary through libpwquality. Reads the dictionary files. */
enum password_refusal password_policy(const char *password, const char *email,
                                      const char *company);
/* -1 (logged) when the dictionary cannot be used: the worker does not start. */
int password_policy_init(void);
/* Absolute URL for a local path. */
const char *abs_url(struct arena *a, const char *path);
/* Absolute URL for a local path in an email, with lang= of the recipient's
 * language so that the page opens in it (pages honour ?lang=). */
const char *abs_url_lang(struct arena *a, const char *path, enum lang lang);
#endif
