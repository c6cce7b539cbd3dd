/* Leads (DOMAIN §5): a customer's contact request through the directory,
 * for the managing partner ID of the profile. */
#ifndef PD_DB_LEADS_H
#define PD_DB_LEADS_H
#include "db/db.h"

struct lead_request {
	long long   profile_id;
	const char *name, *email, *company, *country, *phone, *message;
	const char *lang; /* the customer's language */
};
/* A received lead for the published profile: its tenant, and its managing
 * partner account (the company's PGA for a legacy profile without one).
 * *id 0 when the profile is no longer published. */
enum db_err db_lead_create(struct arena *a, const struct lead_request *l, long long *id);
#endif
