/* Business profiles (DOMAIN §5): types, statuses, the wizard's steps, the
 * rules that grey out a choice (with the reason the partner reads), the
 * CSP market, what publishing needs, and who may manage profiles. Pure: the
 * caller gathers the facts. Content guidelines: domain/profile_content.h. */
#ifndef PD_DOMAIN_PROFILES_H
#define PD_DOMAIN_PROFILES_H
#include <stdbool.h>
#include <stddef.h>

enum profile_type { PROFILE_CSP, PROFILE_NON_CSP, PROFILE_TYPE__MAX };
enum profile_status { PROFILE_DRAFT, PROFILE_PUBLISHED, PROFILE_DELETED, PROFILE_STATUS__MAX };
/* "csp" / "non_csp", "draft" / "published" / "deleted"; "" out of range. */
const char *profile_type_code(enum profile_type t);
int profile_type_parse(const char *s); /* -1 when unknown */
const char *profile_status_code(enum profile_status s);
int profile_status_parse(const char *s);
/* English labels (msgids). */
const char *profile_type_label(enum profile_type t);
const char *profile_status_label(enum profile_status s);

/* The wizard's steps after the first (managing partner ID and type, which
 * create the draft). A step is "done" once stored; the review lists the
 * ones missing. */
enum profile_step {
	PROFILE_STEP_LOCATIONS,
	PROFILE_STEP_MARKETS,
	PROFILE_STEP_CONTENT,
	PROFILE_STEP__MAX
};
#define PROFILE_STEP_BIT(s) (1u << (s))
#define PROFILE_STEPS_ALL   ((1u << PROFILE_STEP__MAX) - 1)
/* "locations", "markets", "content" (the route's last segment and the SET
 * of profiles.steps_done); "" out of range. */
const char *profile_step_code(enum profile_step s);
int profile_step_parse(const char *s);
/* English label (msgid) of a step, for the progress indicator and the review. */
const char *profile_step_label(enum profile_step s);
/* The bits of a comma-separated list of step codes (unknown codes ignored). */
unsigned profile_steps_parse(const char *list);
/* The first step not done, PROFILE_STEP__MAX when every step is. */
enum profile_step profile_first_missing(unsigned done);

/* Why a choice is greyed out, or an action refused. */
enum profile_refusal {
	PROFILE_OK,
	PROFILE_REFUSE_NOT_CSP_TENANT,      /* CSP type: the company is not an active CSP tenant */
	PROFILE_REFUSE_NO_CSP_MARKET,       /* CSP type: the CSP location's country has no CSP region */
	PROFILE_REFUSE_PARTNER_ID_INACTIVE, /* the managing ID is not an active ID of the company */
	PROFILE_REFUSE_NO_LOCATION_ID,      /* publish location: no active location ID there */
	PROFILE_REFUSE_LOCATION_TAKEN,      /* publish location: another profile of the company is there */
	PROFILE_REFUSE_OUTSIDE_CSP_MARKET,  /* CSP profile: outside the CSP market */
	PROFILE_REFUSE_IS_PUBLISH_LOCATION, /* sell market: already a publish location */
	PROFILE_REFUSE_ROLE,                /* neither global admin nor profile admin */
	PROFILE_REFUSE_DELETED,             /* the profile is deleted */
	PROFILE_REFUSAL__MAX
};
/* Stable code of a refusal (data-refusal), "" out of range. */
const char *profile_refusal_code(enum profile_refusal r);

/* Who manages profiles: a global admin or a profile admin (ROLE_BIT set). */
bool profile_may_manage(unsigned roles);

/* The type: CSP only for an active CSP tenant with a CSP market. */
enum profile_refusal profile_type_check(enum profile_type t, bool active_csp_tenant,
                                        bool has_csp_market);

/* A country offered as a publish location of a profile. */
struct profile_location_facts {
	bool has_active_location_id; /* the company has an active location ID there */
	bool taken_by_other;         /* another profile of the company uses it */
	bool csp;                    /* the profile is a CSP profile */
	bool in_csp_market;          /* the country is in the company's CSP market */
};
enum profile_refusal profile_location_check(const struct profile_location_facts *f);

/* A country offered as a sell market. */
struct profile_market_facts {
	bool is_publish_location; /* chosen as a publish location of this profile */
	bool csp;
	bool in_csp_market;
};
enum profile_refusal profile_market_check(const struct profile_market_facts *f);

/* A public slug from the name: lower-case ASCII letters and digits (accents
 * folded, other characters as single dashes), at most 60 characters of the
 * name, then "-" and suffix (lower-case letters, no digits: a slug never
 * looks like a partner ID). Writes at most outlen bytes; returns out. */
char *profile_slug(const char *name, const char *suffix, char *out, size_t outlen);

/* The CSP regions (data/csp-regions.tsv), loaded once per process. */
struct csp_region_row {
	const char *country, *region, *region_name;
};
/* Replaces the table (rows are referenced, not copied: keep them alive). */
void csp_regions_set(const struct csp_region_row *rows, size_t n);
/* The region code of a country, NULL when it has none. */
const char *csp_region_of(const char *country);
/* The English name of a region (a msgid), NULL when unknown. */
const char *csp_region_name(const char *region);
/* Every distinct region code, in the order of the file; *n receives the count. */
const char *const *csp_region_codes(size_t *n);
/* True when country is in region. */
bool csp_region_has(const char *region, const char *country);
#endif
