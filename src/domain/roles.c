#include "domain/roles.h"

#include <string.h>

#include "core/i18n.h"
#include "domain/codes.h"

static const char *const role_names[ROLE__MAX] = {
    "global_admin", "account_admin", "profile_admin", "referral_admin",
    "member",       "reviewer",      "staff_admin"};

static const char *const user_status_codes[USER_STATUS__MAX] = {"active", "invited", "disabled"};
DOMAIN_CODES(user_status, enum user_status, USER_STATUS__MAX, user_status_codes)

const char *
user_status_label(enum user_status s)
{
	return s == USER_INVITED ? N_("Invitation sent") : s == USER_DISABLED ? N_("Disabled") : N_("Active");
}

bool
user_may_sign_in(enum user_status s)
{
	return s == USER_ACTIVE;
}

const char *
role_name(enum role r)
{
	return (unsigned)r < ROLE__MAX ? role_names[r] : "";
}

const char *
role_label(enum role r)
{
	static const char *const labels[ROLE__MAX] = {
	    N_("Global admin"), N_("Account admin"), N_("Profile admin"), N_("Referral admin"),
	    N_("Member"),       N_("Reviewer"),      N_("Staff admin")};
	return (unsigned)r < ROLE__MAX ? labels[r] : "";
}

int
role_parse(const char *s)
{
	for (int i = 0; s && i < ROLE__MAX; i++)
		if (strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}

bool
access_allows(const struct user *u, enum access a)
{
	const unsigned admin = ROLE_BIT(ROLE_GLOBAL_ADMIN) | ROLE_BIT(ROLE_ACCOUNT_ADMIN);
	if (a == ACCESS_PUBLIC)
		return true;
	if (u == NULL)
		return false;
	bool partner = u->tenant_id != 0;
	switch (a) {
	case ACCESS_USER:
		return true;
	case ACCESS_PARTNER:
		return partner;
	case ACCESS_ADMIN:
		return partner && (u->roles & admin);
	case ACCESS_GLOBAL_ADMIN:
		return partner && (u->roles & ROLE_BIT(ROLE_GLOBAL_ADMIN));
	case ACCESS_PROFILE_ADMIN:
		return partner &&
		       (u->roles & (ROLE_BIT(ROLE_GLOBAL_ADMIN) | ROLE_BIT(ROLE_PROFILE_ADMIN)));
	case ACCESS_STAFF:
		return (u->roles & ROLES_STAFF) != 0;
	case ACCESS_STAFF_ADMIN:
		return (u->roles & ROLE_BIT(ROLE_STAFF_ADMIN)) != 0;
	default:
		return false;
	}
}

unsigned
roles_normalize(unsigned bits)
{
	if ((bits & ROLE_BIT(ROLE_MEMBER)) && (bits & ~ROLE_BIT(ROLE_MEMBER)))
		bits &= ~ROLE_BIT(ROLE_MEMBER);
	return bits;
}

size_t
role_change_check(const struct role_change *c, enum role_refusal out[ROLE_REFUSAL__MAX])
{
	size_t n = 0;
	bool actor_global = c->actor_roles & ROLE_BIT(ROLE_GLOBAL_ADMIN);
	bool was_global = c->before & ROLE_BIT(ROLE_GLOBAL_ADMIN);
	bool becomes_global = c->after & ROLE_BIT(ROLE_GLOBAL_ADMIN);
	if (c->after == 0)
		out[n++] = ROLE_REFUSE_NONE_CHOSEN;
	if (c->nscope && !(c->after & ROLE_BIT(ROLE_REFERRAL_ADMIN)))
		out[n++] = ROLE_REFUSE_SCOPE_NOT_REFERRAL;
	if (!actor_global && becomes_global && !was_global)
		out[n++] = ROLE_REFUSE_GRANT_GLOBAL;
	if (!actor_global && was_global)
		out[n++] = ROLE_REFUSE_CHANGE_GLOBAL;
	if (c->self && actor_global && !becomes_global)
		out[n++] = ROLE_REFUSE_OWN_GLOBAL;
	else if (c->self && !actor_global && !(c->after & ROLE_BIT(ROLE_ACCOUNT_ADMIN)))
		out[n++] = ROLE_REFUSE_OWN_ACCOUNT_ADMIN;
	return n;
}
