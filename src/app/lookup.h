/* The remote lookups as pages use them: answers cached in MariaDB (a
 * repeated query costs no call), then the clients. */
#ifndef PD_LOOKUP_H
#define PD_LOOKUP_H
#include "clients/address.h"
#include "clients/dnb.h"

/* Cache lifetimes (our choice; D&B contracts may restrict caching, research §3.3). */
#define LOOKUP_TTL_FOUND     (30L * 24 * 3600)
#define LOOKUP_TTL_NOT_FOUND (24L * 3600)
#define LOOKUP_MAX_CANDIDATES 5

/* Each takes the service it calls (D&B for companies, the address service). */
enum remote_err lookup_companies(struct arena *a, const struct remote_service *svc,
                                 long long *start_ms, const struct dnb_query *q,
                                 struct dnb_company **out, size_t *n);
enum remote_err lookup_company(struct arena *a, const struct remote_service *svc,
                               long long *start_ms, const char *duns, struct dnb_company *out);
enum remote_err lookup_address(struct arena *a, const struct remote_service *svc,
                               long long *start_ms, const struct postal_address *in,
                               struct postal_address *std, enum address_verdict *verdict);
#endif
