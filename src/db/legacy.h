/* Legacy profiles (DOMAIN §6): the import of a legacy file, the migration
 * of one profile to a managing partner ID, and the linking of the ones left
 * over to each company's PGA after the window. */
#ifndef PD_DB_LEGACY_H
#define PD_DB_LEGACY_H
#include <stdbool.h>
#include "db/db.h"
#include "db/profiles.h"

/* The tenant owning an email domain (tenant_domains); *tenant_id 0 when none. */
enum db_err db_legacy_tenant_of(struct arena *a, const char *domain, long long *tenant_id);
/* True in *taken when a profile of the tenant (any kind) is in country. */
enum db_err db_legacy_country_taken(struct arena *a, long long tenant_id, const char *country,
                                    bool *taken);

/* Inside the caller's transaction: a published legacy profile of the
 * tenant in its country, with no partner ID, created on created_on
 * (YYYY-MM-DD), with slug; its directory rows. DB_DUPLICATE when the
 * country is taken or the slug is (the caller tells them apart with
 * db_legacy_country_taken). */
struct legacy_profile {
	long long   tenant_id;
	const char *name, *description, *website, *country, *created_on, *slug;
};
enum db_err db_legacy_insert(struct arena *a, const struct legacy_profile *l, long long *id);

/* The company's legacy profiles not migrated (deleted ones left out), oldest
 * first: id, name, slug, created_at (a day), location_list and linked;
 * *nlinked of them are linked to the PGA. */
enum db_err db_legacy_unmigrated(struct arena *a, long long tenant_id, struct profile **rows,
                                 size_t *n, size_t *nlinked);
/* Inside the caller's transaction, after db_profile_set_locations and
 * db_profile_set_markets: the profile is now under account_id (a
 * non-CSP profile linked to that ID), migrated now. */
enum db_err db_legacy_migrated(struct arena *a, long long profile_id, long long account_id);

/* Inside the caller's transaction: links every legacy profile neither
 * migrated nor linked (deleted ones left out) to its company's live PGA.
 * *linked receives how many were, *no_pga how many companies have such
 * profiles but no PGA yet. */
enum db_err db_legacy_link_all(struct arena *a, long long *linked, long long *no_pga);
#endif
