/* Address validation client, USPS Addresses API v3 protocol
 * (research/duns_address.md §2.2): OAuth token (POST /oauth2/v3/token,
 * one per host, renewed before it expires and once on 401) and GET
 * /addresses/v3/address with the fields the spec requires (state code, ZIP
 * Code and ZIP+4 apart). The simulator also validates other countries
 * through its `country=` extension, sent only for them; the real USPS
 * service is US-only. */
#ifndef PD_ADDRESS_H
#define PD_ADDRESS_H
#include <stdbool.h>

#include "clients/remote.h"

struct postal_address {
	const char *line1, *line2, *city, *region, *postal_code, *country;
};

/* What the service said of an address (research §2.2): DPVConfirmation
 * (Y confirmed, D unit missing, S unit not confirmed, N not deliverable)
 * and the codes of corrections and matches (31 exact, 32 default address
 * needing a unit, 22 several addresses and no default). Whether the
 * standardised form differs from the entry ("corrected") is the caller's
 * comparison. */
enum address_verdict {
	ADDRESS_CONFIRMED,     /* found and deliverable: *std is its standard form */
	ADDRESS_NEEDS_UNIT,    /* 32, DPV D or S: the suite or apartment is missing or unknown */
	ADDRESS_UNDELIVERABLE, /* DPV N: the service knows it, mail is not delivered there */
	ADDRESS_AMBIGUOUS,     /* 22, or a 400 "multiple addresses were found" */
	ADDRESS_NOT_FOUND,     /* 404, or a 400 "address not found" */
	ADDRESS__MAX
};

/* Validates in; on REMOTE_OK *verdict is set and, except for AMBIGUOUS and
 * NOT_FOUND, *std holds the standardised address (arena). REMOTE_INVALID
 * when the service refused the request (or, for a US address, it would:
 * see address_query). *raw (when raw is not NULL) receives a 200 answer's
 * JSON for the cache. */
enum remote_err address_validate(struct arena *a, const struct remote_service *svc,
                                 long long *start_ms, const struct postal_address *in,
                                 struct postal_address *std, enum address_verdict *verdict,
                                 const char **raw);
/* The query string of GET /addresses/v3/address for in (arena), or NULL
 * when a US address lacks what the spec requires: a state code of the USPS
 * table (region), a 5-digit ZIP Code or ZIP+4 (postal_code, which may be
 * empty when there is a city), a street and a city or ZIP Code. Empty
 * values are left out. Outside the US the simulator's country= extension
 * is added; the real service is US-only. */
const char *address_query(struct arena *a, const struct postal_address *in);
/* Reads a 200 answer (exposed for unit tests). */
enum remote_err address_parse(struct arena *a, const char *json, size_t len, const char *country,
                              struct postal_address *std, enum address_verdict *verdict);
/* Reads an error answer (400, 403, 404, other 4xx but 401 and 429):
 * REMOTE_OK with NOT_FOUND or AMBIGUOUS, REMOTE_INVALID (input refused) or
 * REMOTE_UNAVAILABLE (403: the account may not use the API). */
enum remote_err address_read_error(long status, const char *json, size_t len,
                                   enum address_verdict *verdict);
/* True when a and b name the same place (case and spacing ignored). */
bool address_same(const struct postal_address *a, const struct postal_address *b);
#endif
