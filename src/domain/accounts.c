#include "domain/accounts.h"

enum signup_refusal
signup_check(enum email_verdict email, bool domain_has_tenant)
{
	switch (email) {
	case EMAIL_SYNTAX:
		return SIGNUP_SYNTAX;
	case EMAIL_FREEMAIL:
		return SIGNUP_FREEMAIL;
	case EMAIL_ROLE:
		return SIGNUP_ROLE_MAILBOX;
	default:
		return domain_has_tenant ? SIGNUP_DOMAIN_TAKEN : SIGNUP_OK;
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
