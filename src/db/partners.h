/* Partner program: partner IDs, the partner global account (PGA), its
 * locations (PLA) and what each ID is linked to. Every query is scoped to a
 * tenant. */
#ifndef PD_DB_PARTNERS_H
#define PD_DB_PARTNERS_H
#include <stdbool.h>
#include "db/db.h"
#include "domain/csp.h"
#include "domain/partners.h"

struct partner_account {
	long long   id;
	const char *partner_id; /* 7 digits */
	long long   tenant_id;
	enum partner_kind kind;
	const char *name;
	const char *country;
	const char *address_line1, *address_line2, *city, *region, *postal_code;
	const char *phone, *website;
	const char *contact_name, *contact_email;
	enum partner_status status;
	const char *created_at; /* YYYY-MM-DD HH:MM:SS */
	const char *deleted_at;
	struct partner_links links; /* what the ID is in use by (db_partner_accounts with_links) */
};

static inline bool
partner_is_global(const struct partner_account *p)
{
	return p->kind == PARTNER_GLOBAL;
}

/* Creates the PGA (legal info in *legal) and a first location in the same
 * country, each with a new partner ID, in one transaction. DB_DUPLICATE when
 * the tenant already has a live PGA. */
enum db_err db_partner_enroll(struct arena *a, long long tenant_id,
                              const struct partner_account *legal, const char **pga_id,
                              const char **location_id);
/* Every ID of the tenant, live ones first, the PGA before its locations,
 * oldest first; deleted ones only when with_deleted; what each is linked to
 * (links) only when with_links (one more join and sub-select). */
enum db_err db_partner_accounts(struct arena *a, long long tenant_id, bool with_deleted,
                                bool with_links, struct partner_account **rows, size_t *n);
/* The tenant's live PGA; *found false when the tenant is not enrolled. */
enum db_err db_partner_pga(struct arena *a, long long tenant_id, struct partner_account *out,
                           bool *found);
/* The PGA (as db_partner_pga) and the status of the tenant's CSP
 * application (CSP_NONE when none), in one query: the Legal info page. */
enum db_err db_partner_legal(struct arena *a, long long tenant_id, struct partner_account *pga,
                             bool *found, enum csp_status *csp);
/* Inside the caller's transaction: locks the tenant (concurrent creations of
 * IDs wait for each other) and counts every partner ID ever issued to it,
 * deleted ones included (the registry keeps them). */
enum db_err db_partner_ids_issued(struct arena *a, long long tenant_id, long long *n);
enum db_err db_partner_location_add(struct arena *a, long long tenant_id, long long pga_id,
                                    const struct partner_account *loc, const char **partner_id);
enum db_err db_partner_set_status(struct arena *a, long long account_id,
                                  enum partner_status status);
enum db_err db_partner_update_legal(struct arena *a, long long pga_id,
                                    const struct partner_account *legal);
/* Number of live (not deleted) locations under the PGA. */
enum db_err db_partner_live_locations(struct arena *a, long long pga_id, long long *n);
/* Marks one ID deleted (the registry keeps the number). */
enum db_err db_partner_delete(struct arena *a, long long account_id);
/* Marks the PGA and every location of the tenant deleted. */
enum db_err db_partner_close(struct arena *a, long long tenant_id);
#endif
