/* Address validation client, USPS Addresses API v3 protocol
 * (research/duns_address.md §2.2): OAuth token (POST /oauth2/v3/token,
 * cached, renewed once on 401) and GET /addresses/v3/address. The
 * simulator also validates other countries through its `country=`
 * extension; the real USPS service is US-only. */
#ifndef PD_ADDRESS_H
#define PD_ADDRESS_H
#include <stdbool.h>

#include "clients/remote.h"

struct postal_address {
	const char *line1, *line2, *city, *region, *postal_code, *country;
};

enum address_verdict {
	ADDRESS_EXACT,      /* code 31: found as entered or standardised */
	ADDRESS_NEEDS_UNIT, /* code 32: found, but an apartment/suite is missing */
	ADDRESS_AMBIGUOUS,  /* code 22: several addresses, no default */
	ADDRESS_NOT_FOUND,  /* the service does not know it */
	ADDRESS__MAX
};

/* Validates in; on REMOTE_OK *verdict is set and, for EXACT and
 * NEEDS_UNIT, *std holds the standardised address (arena). *raw (when raw
 * is not NULL) receives a 200 answer's JSON for the cache. */
enum remote_err address_validate(struct arena *a, const struct remote_service *svc,
                                 long long *start_ms, const struct postal_address *in,
                                 struct postal_address *std, enum address_verdict *verdict,
                                 const char **raw);
/* Parses a 200 answer (exposed for unit tests). */
enum remote_err address_parse(struct arena *a, const char *json, size_t len, const char *country,
                              struct postal_address *std, enum address_verdict *verdict);
/* True when a and b name the same place (case and spacing ignored). */
bool address_same(const struct postal_address *a, const struct postal_address *b);
#endif
