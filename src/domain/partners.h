/* Partner IDs, the partner global account (PGA) and its locations (PLA):
 * their kinds and statuses, and the rules that guard a status change or a
 * deletion (DOMAIN §2). Pure: the caller gathers the facts. */
#ifndef PD_DOMAIN_PARTNERS_H
#define PD_DOMAIN_PARTNERS_H
#include <stdbool.h>

#define PARTNER_ID_DIGITS 7 /* DOMAIN §2: a 7-digit number, shown as text */

enum partner_kind { PARTNER_GLOBAL, PARTNER_LOCATION, PARTNER_KIND__MAX };
enum partner_status { PARTNER_ACTIVE, PARTNER_INACTIVE, PARTNER_DELETED, PARTNER_STATUS__MAX };

/* Stable codes ("global", "active", …) stored in SQL and shown in data-*; "" out of range. */
const char *partner_kind_code(enum partner_kind k);
const char *partner_status_code(enum partner_status s);
/* Code → enum; -1 when unknown. */
int partner_kind_parse(const char *s);
int partner_status_parse(const char *s);
/* English labels (msgids). */
const char *partner_kind_label(enum partner_kind k);
const char *partner_status_label(enum partner_status s);

/* Exactly 7 ASCII digits. */
bool partner_id_valid(const char *s);

/* What a partner ID is in use by (DOMAIN §2): a submitted (not rejected)
 * CSP application, a business profile, another program enrollment. */
struct partner_links {
	bool csp, profile, program;
};
bool partner_links_any(const struct partner_links *l);

/* Why a status change or a deletion is refused. */
enum partner_refusal {
	PARTNER_OK,
	PARTNER_REFUSE_GLOBAL_STATUS,     /* the PGA is neither deactivated nor reactivated */
	PARTNER_REFUSE_CSP_MUST_STAY,     /* a CSP-linked location stays active */
	PARTNER_REFUSE_GLOBAL_ADMIN_ONLY, /* only a global admin deletes the PGA */
	PARTNER_REFUSE_LINKED_LOCATIONS,  /* the PGA while a location is linked */
	PARTNER_REFUSE_CSP,               /* a location linked to CSP */
	PARTNER_REFUSE_PROFILE,           /* … managing a business profile */
	PARTNER_REFUSE_PROGRAM,           /* … used by a program enrollment */
	PARTNER_REFUSE_LAST_LOCATION,     /* the last live location of the PGA */
	PARTNER_REFUSAL__MAX
};
/* Stable code of a refusal, shown in data-refusal ("csp", "last_location", …). */
const char *partner_refusal_code(enum partner_refusal r);

/* Changing an ID's status to `to` (active or inactive). */
enum partner_refusal partner_status_change_check(enum partner_kind kind,
                                                 const struct partner_links *links,
                                                 enum partner_status to);

struct partner_delete_facts {
	enum partner_kind    kind;
	struct partner_links links;
	bool                 actor_global_admin;
	bool                 any_location_linked; /* for the PGA: some live location is linked */
	long long            live_locations;      /* live locations under the PGA */
};
/* The per-company quota on partner IDs (issue 10): every ID ever issued to
 * the company counts, deleted ones included, since a deleted ID stays
 * reserved for good (DOMAIN §2). */
enum partner_quota_verdict {
	PARTNER_QUOTA_OK,
	PARTNER_QUOTA_REACHED, /* issuing `wanted` more would pass max */
	PARTNER_QUOTA_VERDICT__MAX
};
/* Whether `wanted` new IDs may be issued to a company holding `issued`,
 * with a quota of max (max <= 0: none may). */
enum partner_quota_verdict partner_quota_check(long long issued, long long wanted, long long max);

/* Deleting an ID: PARTNER_OK, or the first rule that refuses it. Deleting
 * the PGA closes the account. */
enum partner_refusal partner_delete_check(const struct partner_delete_facts *f);
#endif
