/* Sign-up and sign-in rules (DOMAIN §1, CONTRACT §4). Pure: the caller
 * gathers the facts (the email's verdict, whether the domain has a tenant,
 * the failures counted in the window). */
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

/* Sign-in refused for the rest of the window after SIGNIN_MAX_FAILURES
 * failures in SIGNIN_WINDOW_SECONDS. */
bool signin_throttled(long long failures_in_window);

/* Enrolling in the partner program or in CSP needs a verified email (DOMAIN §1). */
bool user_may_enroll(const struct user *u);
#endif
