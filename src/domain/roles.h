/* Roles inside a tenant and of staff, the signed-in user, and the policy for
 * changing someone's roles (DOMAIN §1, §2 "Roles"). Pure: no I/O. */
#ifndef PD_DOMAIN_ROLES_H
#define PD_DOMAIN_ROLES_H
#include <stdbool.h>
#include <stddef.h>

#include "domain/csp.h"

enum role {
	ROLE_GLOBAL_ADMIN,
	ROLE_ACCOUNT_ADMIN,
	ROLE_PROFILE_ADMIN,
	ROLE_REFERRAL_ADMIN,
	ROLE_MEMBER,
	ROLE_REVIEWER,
	ROLE_STAFF_ADMIN,
	ROLE__MAX
};
#define ROLE_BIT(r) (1u << (r))
#define ROLES_STAFF (ROLE_BIT(ROLE_REVIEWER) | ROLE_BIT(ROLE_STAFF_ADMIN))

/* Stable code stored in SQL ("global_admin", …); "" when out of range. */
const char *role_name(enum role r);
/* Code → role; -1 when unknown. */
int role_parse(const char *s);
/* English label (a msgid) of a role. */
const char *role_label(enum role r);

/* A user account: active, invited (no password yet) or disabled. */
enum user_status { USER_ACTIVE, USER_INVITED, USER_DISABLED, USER_STATUS__MAX };
const char *user_status_code(enum user_status s); /* "" out of range */
int user_status_parse(const char *s);            /* -1 when unknown */
/* English label (a msgid) of a status, for the users page. */
const char *user_status_label(enum user_status s);
/* Only an active account signs in. */
bool user_may_sign_in(enum user_status s);

/* The signed-in user, as the session gives it. */
struct user {
	long long   id;
	long long   tenant_id; /* 0 for staff */
	const char *email;
	const char *display_name;
	const char *tenant_name;
	const char *tenant_country;
	const char *pga_partner_id; /* the company's PGA ID, "" when not in the partner program */
	bool        verified;
	unsigned    roles; /* ROLE_BIT set */
	bool        tfa_enabled;    /* two-factor authentication is on */
	bool        tfa_due_passed; /* staff: the deadline to enrol has passed (or none given) */
	enum csp_status  csp_status;  /* the tenant's CSP application (CSP_NONE: none) */
	enum csp_request csp_request; /* what staff asked for on it */
};

/* Who may see a page: the route table names one per route. */
enum access {
	ACCESS_PUBLIC,       /* anyone */
	ACCESS_USER,         /* any signed-in user, partner or staff */
	ACCESS_PARTNER,      /* signed-in user of a tenant */
	ACCESS_ADMIN,        /* global_admin or account_admin of a tenant */
	ACCESS_GLOBAL_ADMIN, /* global_admin of a tenant */
	ACCESS_PROFILE_ADMIN, /* global_admin or profile_admin of a tenant: business profiles */
	ACCESS_STAFF,        /* reviewer or staff_admin: sees every application, never acts as a partner */
	ACCESS_STAFF_ADMIN,  /* staff_admin only: the staff's administration pages */
	ACCESS__MAX
};
/* True when u (NULL when signed out) may see a page of that access. */
bool access_allows(const struct user *u, enum access a);

/* A member who also holds other roles is just those roles. */
unsigned roles_normalize(unsigned bits);

/* Why a role change is refused. */
enum role_refusal {
	ROLE_REFUSE_NONE_CHOSEN,       /* no role at all */
	ROLE_REFUSE_SCOPE_NOT_REFERRAL,/* partner IDs given, but not a referral admin */
	ROLE_REFUSE_GRANT_GLOBAL,      /* only a global admin makes a global admin */
	ROLE_REFUSE_CHANGE_GLOBAL,     /* only a global admin changes a global admin */
	ROLE_REFUSE_OWN_GLOBAL,        /* nobody removes their own global admin role */
	ROLE_REFUSE_OWN_ACCOUNT_ADMIN, /* nor their own account admin role */
	ROLE_REFUSAL__MAX
};

struct role_change {
	unsigned actor_roles; /* of the admin making the change */
	bool     self;        /* the admin changes their own roles */
	unsigned before;      /* the target's roles now */
	unsigned after;       /* requested (normalized) */
	size_t   nscope;      /* partner IDs the referral scope names (0 = all) */
};

/* Every rule the change breaks, in the order above, into out; returns how
 * many (0: allowed). The ownership of the scoped IDs is the caller's check. */
size_t role_change_check(const struct role_change *c, enum role_refusal out[ROLE_REFUSAL__MAX]);
#endif
