#include "domain/accounts.h"

#include "domain/codes.h"

enum claim_verdict
claim_check(const struct domain_claim *c)
{
	if (!c->claimed)
		return CLAIM_FREE;
	if (c->verified)
		return CLAIM_HELD;
	return c->age_seconds >= CLAIM_UNVERIFIED_SECONDS ? CLAIM_STALE : CLAIM_PENDING;
}

bool
claim_releasable(const struct domain_claim *c)
{
	return c->claimed && !c->verified;
}

enum signup_refusal
signup_check(enum email_verdict email, enum claim_verdict claim)
{
	switch (email) {
	case EMAIL_SYNTAX:
		return SIGNUP_SYNTAX;
	case EMAIL_FREEMAIL:
		return SIGNUP_FREEMAIL;
	case EMAIL_ROLE:
		return SIGNUP_ROLE_MAILBOX;
	default:
		switch (claim) {
		case CLAIM_HELD:
			return SIGNUP_DOMAIN_TAKEN;
		case CLAIM_PENDING:
			return SIGNUP_DOMAIN_PENDING;
		default:
			return SIGNUP_OK;
		}
	}
}

bool
user_may_enroll(const struct user *u)
{
	return u != NULL && u->tenant_id != 0 && u->verified;
}

enum session_verdict
session_check(long long created_at, long long last_seen, long long now)
{
	if (now - created_at >= SESSION_MAX_SECONDS)
		return SESSION_TOO_OLD;
	if (now - last_seen > SESSION_IDLE_SECONDS)
		return SESSION_IDLE;
	return SESSION_VALID;
}

static const char *const claim_codes[CLAIM_VERDICT__MAX] = {"free", "held", "pending", "expired"};
DOMAIN_CODES(claim_verdict, enum claim_verdict, CLAIM_VERDICT__MAX, claim_codes)
