/* D&B Direct+ client (research/duns_address.md §1): token (POST /v3/token
 * or /v2/token as [dnb] token_version says; one per host, reused for its
 * lifetime, renewed before it expires and once on 401), identity
 * resolution (GET /v1/match/cleanseMatch) and company data by DUNS (GET
 * /v1/data/duns/{duns}). A 404 means "no candidate", not an error; every
 * documented errorCode has its meaning (dnb_error_meaning). */
#ifndef PD_DNB_H
#define PD_DNB_H
#include <stdbool.h>
#include <stddef.h>

#include "clients/remote.h"

struct dnb_company {
	const char *duns; /* 9 digits */
	const char *name;
	const char *line1, *line2, *city, *region, *postal_code, *country;
	const char *operating_status; /* "Active", "Out of business", … */
	bool        active;
	int         confidence;       /* 1–10; 0 for a lookup by DUNS */
	const char *match_grade;      /* 11 letters, "" when absent */
};

struct dnb_query {
	const char *name, *country; /* required */
	const char *line1, *city, *region, *postal_code;
};

/* True for exactly 9 digits (no check digit: research §1.8). */
bool dnb_duns_valid(const char *duns);

/* Candidates for a company, best first, at most max. REMOTE_NOT_FOUND when
 * none. Strings live in the arena; *raw (when raw is not NULL) receives the
 * answer's JSON for the cache. */
enum remote_err dnb_match(struct arena *a, const struct remote_service *svc, long long *start_ms,
                          const struct dnb_query *q, size_t max, struct dnb_company **out,
                          size_t *n, const char **raw);
/* The company of one DUNS; REMOTE_NOT_FOUND when unknown. */
enum remote_err dnb_company_by_duns(struct arena *a, const struct remote_service *svc,
                                    long long *start_ms, const char *duns,
                                    struct dnb_company *out, const char **raw);
/* What an error answer means: an enum remote_err, or REMOTE__MAX when the
 * token must be renewed (00040, 00041, a 401 without code). code is the
 * D+ errorCode ("" when none); exposed for unit tests. */
int dnb_error_meaning(long status, const char *code);
/* Parses a cleanseMatch or data/duns answer (exposed for unit tests): a
 * candidate without a DUNS, a name or a confidence of 1–10 is skipped;
 * REMOTE_BAD_ANSWER only when none is readable or the shape is wrong. */
enum remote_err dnb_parse_candidates(struct arena *a, const char *json, size_t len,
                                     struct dnb_company **out, size_t *n);
enum remote_err dnb_parse_company(struct arena *a, const char *json, size_t len,
                                  struct dnb_company *out);
#endif
