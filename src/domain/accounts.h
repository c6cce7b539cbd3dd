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
	SIGNUP_DOMAIN_PENDING,/* the company's account waits for its first user to confirm */
	SIGNUP_REFUSAL__MAX
};

/* A tenant's claim on an email domain (tenant_domains), as the sign-up and
 * the staff's claims page see it (issue 10, domain squatting). */
struct domain_claim {
	bool      claimed;     /* a tenant holds the domain */
	bool      verified;    /* one of its users has confirmed an email */
	long long age_seconds; /* since the claim was made (the sign-up) */
};
enum claim_verdict {
	CLAIM_FREE,    /* nobody holds the domain: a sign-up creates the tenant */
	CLAIM_HELD,    /* a verified tenant holds it, for good: ask to be invited */
	CLAIM_PENDING, /* unverified, younger than CLAIM_UNVERIFIED_SECONDS: refused until then */
	CLAIM_STALE,   /* unverified and expired: the next sign-up takes it over */
	CLAIM_VERDICT__MAX
};
/* The claim's state as staff pages show it in data-state: "free", "held",
 * "pending", "expired". */
const char *claim_verdict_code(enum claim_verdict v);
int claim_verdict_parse(const char *s);
/* What a claim means for a new sign-up on its domain. A claim expires
 * exactly CLAIM_UNVERIFIED_SECONDS after it was made, as its link does. */
enum claim_verdict claim_check(const struct domain_claim *c);
/* Whether staff may release the claim (remove the tenant that holds it):
 * only a claim without a verified user, fresh or stale. */
bool claim_releasable(const struct domain_claim *c);
/* Whether a sign-up with an email of that verdict may create a tenant on a
 * domain whose claim is in that state (CLAIM_STALE: after taking it over). */
enum signup_refusal signup_check(enum email_verdict email, enum claim_verdict claim);

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
