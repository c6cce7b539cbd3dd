/* Business profiles: the profile row, its publish locations (one profile per
 * company and country), sell markets, facets and logo; the directory's
 * index kept in step (db/directory.h). Every query on a profile is scoped to
 * its tenant: another company's profile is not found. */
#ifndef PD_DB_PROFILES_H
#define PD_DB_PROFILES_H
#include <stdbool.h>
#include "db/db.h"
#include "domain/partners.h"
#include "domain/profiles.h"

struct profile_location {
	const char *country;
	const char *description; /* "" = the profile's description */
};

struct profile {
	long long   id, tenant_id, partner_account_id; /* partner_account_id 0 for a legacy profile */
	enum profile_type   type;
	enum profile_status status;
	bool        legacy;
	unsigned    steps_done; /* PROFILE_STEP_BIT set */
	const char *slug;       /* NULL before the first publication */
	const char *name, *description, *website, *lead_email, *lang;
	const char *logo_type;  /* "" without a logo */
	long long   logo_width, logo_height;
	const char *created_at, *updated_at, *published_at;
	/* joined: the managing ID (the PGA's for a legacy profile) */
	const char *partner_id, *partner_country;
	enum partner_status partner_status;
	const char *location_list; /* the publish locations' codes, comma-separated */
	/* db_profile_details */
	struct profile_location *locations;
	size_t      nlocations;
	const char **markets, **regions; /* countries chosen (regions expanded), regions chosen */
	size_t      nmarkets, nregions;
	const char **industries, **solution_areas, **languages;
	size_t      nindustries, nsolution_areas, nlanguages;
};

/* The company's profiles, deleted ones left out, newest first. */
enum db_err db_profiles_list(struct arena *a, long long tenant_id, struct profile **rows,
                             size_t *n);
/* A profile of the tenant (deleted ones are not found); lock takes a row
 * lock for the caller's transaction. *found false when none. */
enum db_err db_profile_get(struct arena *a, long long tenant_id, long long id, bool lock,
                           struct profile *p, bool *found);
/* Fills the lists of p (locations, markets, regions, facets). */
enum db_err db_profile_details(struct arena *a, struct profile *p);
/* The countries other profiles of the tenant publish in (drafts, published
 * and legacy alike), except profile exclude_id. */
enum db_err db_profile_taken_countries(struct arena *a, long long tenant_id, long long exclude_id,
                                       const char ***countries, size_t *n);

/* Inside the caller's transaction. */
/* A draft under the managing partner account, linked to it (partner_id_links). */
enum db_err db_profile_create(struct arena *a, long long tenant_id, long long account_id,
                              enum profile_type type, long long user_id, const char *lang,
                              long long *id);
/* Changes the managing partner account (moving its link) and the type. */
enum db_err db_profile_set_partner(struct arena *a, long long profile_id, long long account_id,
                                   enum profile_type type);
/* Replaces the publish locations (keeping the description of a country
 * that stays; a country added that was a sell market leaves the markets)
 * and marks the step done. DB_DUPLICATE when another profile of the
 * company took a country meanwhile. */
enum db_err db_profile_set_locations(struct arena *a, const struct profile *p,
                                     const char *const *countries, size_t n);
/* Replaces the sell markets (countries with the regions' countries
 * included) and the regions chosen; marks the step done. */
enum db_err db_profile_set_markets(struct arena *a, long long profile_id,
                                   const char *const *countries, size_t n,
                                   const char *const *regions, size_t nregions);

/* The content step, as stored. */
struct profile_content {
	const char *name, *description, *website, *lead_email, *lang;
	const char *const *industries, *const *solution_areas, *const *languages;
	size_t nindustries, nsolution_areas, nlanguages;
	const struct profile_location *location_texts; /* description per publish location */
	size_t nlocation_texts;
};
enum db_err db_profile_set_content(struct arena *a, long long profile_id,
                                   const struct profile_content *c);
/* The logo, as checked and encoded again (content/image.h). */
enum db_err db_profile_set_logo(struct arena *a, long long profile_id, const void *data,
                                size_t len, const char *type, long long width, long long height);
enum db_err db_profile_remove_logo(struct arena *a, long long profile_id);
/* The logo bytes of a profile of the tenant (tenant_id 0: a published
 * profile by slug for the directory); *len 0 when none. */
enum db_err db_profile_logo(struct arena *a, long long tenant_id, long long profile_id,
                            const char *slug, const void **data, size_t *len, const char **type);
/* Publishes: status published, the slug given when it has none. DB_DUPLICATE
 * when the slug is taken (draw another suffix). */
enum db_err db_profile_publish(struct arena *a, long long profile_id, const char *slug);
/* Deletes for good: status deleted, its countries, markets, facets and its
 * link to the partner ID go; its leads stay. */
enum db_err db_profile_delete(struct arena *a, long long profile_id);
/* The CSP regions (reference data), for csp_regions_set. */
enum db_err db_csp_regions(struct arena *a, struct csp_region_row **rows, size_t *n);
#endif
