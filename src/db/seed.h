/* Bulk loading of synthetic companies and published business profiles (the
 * directory's benchmark and the demo: partnerdesk-ctl directory seed). Rows
 * are buffered and written as multi-row INSERTs by db_seed_flush, inside the
 * caller's transaction; the caller gives every id (db_seed_next_ids), so no
 * row is read back. Every profile is published and complete: its directory
 * rows are built afterwards in bulk by db_directory_sync_range. */
#ifndef PD_DB_SEED_H
#define PD_DB_SEED_H
#include "db/db.h"
#include "db/profiles.h"

struct db_seed;

/* A new, empty buffer (allocation failure aborts); free with db_seed_free. */
struct db_seed *db_seed_new(void);
void db_seed_free(struct db_seed *s);

/* The first free ids of tenants, partner accounts and profiles. */
enum db_err db_seed_next_ids(struct arena *a, long long *tenant, long long *account,
                             long long *profile);
/* Calls fn with every partner ID ever issued (partner_id_registry). */
enum db_err db_seed_issued_ids(struct arena *a, void (*fn)(const char *id, void *ctx),
                               void *ctx);
/* How many companies own a sign-up domain ending in suffix (a seed's own). */
enum db_err db_seed_count_domains(struct arena *a, const char *suffix, long long *n);

/* A company: the tenant and its sign-up domain. */
void db_seed_tenant(struct db_seed *s, long long id, const char *name, const char *country,
                    const char *domain);

/* A partner ID (registry row and account): pga_id 0 makes the PGA. */
struct db_seed_account {
	long long   id, tenant_id, pga_id;
	const char *partner_id; /* 7 digits, not issued before */
	const char *name, *country, *address_line1, *city, *postal_code, *website;
	const char *contact_name, *contact_email;
};
void db_seed_account(struct db_seed *s, const struct db_seed_account *acc);

/* A published non-CSP profile managed by account_id, its link to that ID,
 * publish locations (unique per company), sell markets (regions' countries
 * included), regions and facets. */
struct db_seed_profile {
	long long   id, tenant_id, account_id;
	const char *slug, *name, *description, *website, *lead_email, *lang;
	const struct profile_location *locations;
	size_t      nlocations;
	const char *const *markets, *const *regions;
	size_t      nmarkets, nregions;
	const char *const *industries, *const *solution_areas, *const *languages;
	size_t      nindustries, nsolution_areas, nlanguages;
};
void db_seed_profile(struct db_seed *s, const struct db_seed_profile *p);

/* Bytes buffered so far (flush past a few MiB: one INSERT per table must
 * stay under the server's max_allowed_packet). */
size_t db_seed_pending(const struct db_seed *s);
/* Writes what is buffered, parents before children, and empties the
 * buffer. Inside the caller's transaction. */
enum db_err db_seed_flush(struct db_seed *s);
#endif
