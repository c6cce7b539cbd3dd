/* Typed queries for tenants, users, roles, sessions, one-time tokens,
 * rate events (throttling) and the outbox. Every function returns enum db_err. */
#ifndef PD_DB_ACCOUNTS_H
#define PD_DB_ACCOUNTS_H
#include <stdbool.h>
#include "db/db.h"
#include "domain/roles.h"

#define TOKEN_HASH_LEN 32

struct user_row {
	long long   id;
	long long   tenant_id;
	const char *email;
	const char *display_name;
	const char *password_hash; /* NULL for an invited user */
	enum user_status status;
	const char *lang;
	bool        verified;
	unsigned    roles;
	const char *referral_scope; /* comma-separated partner IDs, "" = all */
	const char *created_at;
	const char *tenant_name; /* "" for staff */
};

enum db_err db_secret_get(struct arena *a, const char *name, const unsigned char **val,
                          size_t *len);
enum db_err db_freemail_patterns(struct arena *a, const char ***list, size_t *n);
enum db_err db_role_mailboxes(struct arena *a, const char ***list, size_t *n);
enum db_err db_health(struct arena *a);

/* last_seen is written at most once a minute per session, not at each request. */
#define SESSION_TOUCH_SECONDS 60

/* Session of a token hash, with its user and tenant, in one query by primary
 * keys; *found false when none or no longer valid (session_check: idle or
 * past its lifetime; such a session is deleted). *touch is set when
 * last_seen is SESSION_TOUCH_SECONDS old or more (the caller then calls
 * db_session_touch). */
enum db_err db_session_load(struct arena *a, const unsigned char *hash, struct user *u,
                            bool *found, bool *touch);
/* New session with a random public id, the client address and user agent. */
enum db_err db_session_create(struct arena *a, const unsigned char *hash, long long user_id,
                              const char *ip, const char *user_agent);
enum db_err db_session_touch(struct arena *a, const unsigned char *hash);
enum db_err db_session_delete(struct arena *a, const unsigned char *hash);
/* Deletes sessions idle or past their lifetime, and rate events older than
 * RATE_KEEP_SECONDS. */
enum db_err db_sessions_purge(struct arena *a);

/* One session as the "your sessions" page shows it. */
struct session_row {
	const char *public_id; /* random, never the token or its hash */
	const char *created_at, *last_seen; /* YYYY-MM-DD HH:MM */
	const char *ip, *user_agent;
	bool        current;   /* the session of token hash current */
};
/* The live sessions of user_id, newest first (rows in a). */
enum db_err db_sessions_of_user(struct arena *a, long long user_id, const unsigned char *current,
                                struct session_row **rows, size_t *n);
/* Ends the session public_id of user_id; *found false when the user has no
 * such session. */
enum db_err db_session_end(struct arena *a, long long user_id, const char *public_id,
                           bool *found);
/* Ends every session of user_id but the one of except_hash (NULL: all of
 * them): sign-out of the other sessions, and after a password change or
 * reset. */
enum db_err db_sessions_end_all(struct arena *a, long long user_id,
                                const unsigned char *except_hash);

enum db_err db_domain_tenant(struct arena *a, const char *domain, long long *tenant_id);
/* Creates tenant, its domain, the user and the global_admin role in one
 * transaction. DB_DUPLICATE when the domain or the email is taken. */
enum db_err db_signup(struct arena *a, const char *company, const char *country,
                      const char *domain, const char *email, const char *display_name,
                      const char *pwhash, const char *lang, long long *user_id);
enum db_err db_user_by_email(struct arena *a, const char *email, struct user_row *u, bool *found);
enum db_err db_user_by_id(struct arena *a, long long id, struct user_row *u, bool *found);
/* Users of a tenant, oldest first. */
enum db_err db_users_of_tenant(struct arena *a, long long tenant_id, struct user_row **rows,
                               size_t *n);
enum db_err db_tenant_has_domain(struct arena *a, long long tenant_id, const char *domain,
                                 bool *yes);

/* Rate events (domain/throttle.h), shared by every host: kind names what is
 * counted, key_hash (RATE_KEY_LEN bytes, the SHA-256 of the key) for whom. */
#define RATE_KEY_LEN 32
/* The ages in milliseconds of the newest events (at most limit) of kind
 * and key within window_seconds, newest first (in a). */
enum db_err db_rate_ages(struct arena *a, const char *kind, const unsigned char *key_hash,
                         long window_seconds, size_t limit, long long **ages_ms, size_t *n);
/* Records one event now. */
enum db_err db_rate_add(struct arena *a, const char *kind, const unsigned char *key_hash);
/* Forgets the events of kind and key (a successful sign-in). */
enum db_err db_rate_clear(struct arena *a, const char *kind, const unsigned char *key_hash);

enum db_err db_token_create(struct arena *a, const unsigned char *hash, long long user_id,
                            const char *purpose, long valid_seconds);
/* Marks an unexpired, unused token as used; *user_id 0 when not valid. */
enum db_err db_token_consume(struct arena *a, const unsigned char *hash, const char *purpose,
                             long long *user_id);
/* The user of an unexpired, unused token, without using it; *user_id 0
 * when not valid. */
enum db_err db_token_peek(struct arena *a, const unsigned char *hash, const char *purpose,
                          long long *user_id);
/* The user of an unexpired token already used, whose email is verified;
 * *user_id 0 otherwise. A verification link opened again (after a mail
 * scanner fetched it first) then says the address is verified. */
enum db_err db_token_used_verified(struct arena *a, const unsigned char *hash,
                                   const char *purpose, long long *user_id);
/* Marks every unused token of that purpose of the user as used. */
enum db_err db_tokens_revoke(struct arena *a, long long user_id, const char *purpose);
/* Replaces the password hash of an active user; *updated false when the
 * user is not active (or gone). */
enum db_err db_user_password_update(struct arena *a, long long user_id, const char *pwhash,
                                    bool *updated);
enum db_err db_user_mark_verified(struct arena *a, long long user_id);
/* Sets the password, marks the email verified and the user active, and
 * ends the user's other sessions. */
enum db_err db_user_set_password(struct arena *a, long long user_id, const char *pwhash);
/* Creates an invited user with one role and a set-password token, in one
 * transaction. DB_DUPLICATE when the email exists. */
enum db_err db_user_invite(struct arena *a, long long tenant_id, long long invited_by,
                           const char *email, const char *display_name, const char *lang,
                           enum role role, const unsigned char *token_hash,
                           long valid_seconds, long long *user_id);
/* Replaces the roles (ROLE_BIT set) of a user of tenant_id (one
 * transaction); a referral_admin role is scoped to the partner IDs of scope
 * (none = all). *found false when the user is not in that tenant. */
enum db_err db_user_set_roles(struct arena *a, long long tenant_id, long long user_id,
                              unsigned roles, const char *const *scope, size_t nscope,
                              bool *found);
/* Staff user (no tenant), verified, active. */
enum db_err db_staff_add(struct arena *a, const char *email, const char *display_name,
                         const char *pwhash, const char *role);

enum db_err db_outbox_add(struct arena *a, const char *to, const char *subject, const char *body);
#endif
