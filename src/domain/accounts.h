/* Sign-up and sign-in rules (DOMAIN §1, CONTRACT §4). Pure: the caller
 * gathers the facts (the email's verdict, whether the domain has a tenant).
 * Sign-in throttling is domain/throttle.h's. */
#ifndef PD_DOMAIN_ACCOUNTS_H
#define PD_DOMAIN_ACCOUNTS_H
#include <stdbool.h>

#include "domain/email_rules.h"
#include "domain/limits.h"
#include "domain/roles.h"

enum signup_refusal {
	SIGNUP_OK,
	SIGNUP_SYNTAX,        /* not an address */
	SIGNUP_FREEMAIL,      /* a free-mail provider: work email only */
	SIGNUP_ROLE_MAILBOX,  /* info@, admin@, …: a person's address only */
	SIGNUP_DOMAIN_TAKEN,  /* the company has an account: ask to be invited */
	SIGNUP_REFUSAL__MAX
};
/* Whether a sign-up with an email of that verdict may create a tenant. */
enum signup_refusal signup_check(enum email_verdict email, bool domain_has_tenant);

/* Enrolling in the partner program or in CSP needs a verified email (DOMAIN §1). */
bool user_may_enroll(const struct user *u);

/* Whether a signed-in session still holds (CONTRACT §5, OWASP ASVS 3.3). */
enum session_verdict {
	SESSION_VALID,
	SESSION_IDLE,    /* unused for more than SESSION_IDLE_SECONDS */
	SESSION_TOO_OLD, /* signed in SESSION_MAX_SECONDS ago or more */
	SESSION_VERDICT__MAX
};
/* The verdict on a session created at created_at and last used at
 * last_seen, at now (seconds on one clock). Idle for exactly
 * SESSION_IDLE_SECONDS still holds; SESSION_MAX_SECONDS after sign-in it
 * ends. The lifetime is said first when both apply. */
enum session_verdict session_check(long long created_at, long long last_seen, long long now);
#endif
