/* partnerdesk-sim: a local HTTP/1.1 server speaking the protocols of the
 * two remote services (D&B Direct+ and USPS Addresses v3,
 * research/duns_address.md §1, §2.2, §4) from TSV fixtures (CONTRACT §6),
 * with the fault switch POST /_sim/fault. */
#ifndef PD_SIM_H
#define PD_SIM_H
#include <stdbool.h>
#include <stddef.h>

#include "core/sbuf.h"

struct sim_request {
	const char *method, *path, *query; /* query without '?', "" when none */
	const char *authorization, *content_type;
	const char *body;
	size_t      body_len;
};

struct sim_response {
	int         status;
	const char *content_type;
	struct sbuf body;
	long        retry_after; /* seconds, 0 = no header */
	bool        drop;        /* close without answering ("down") */
};

enum sim_service { SIM_DNB, SIM_ADDRESS, SIM__SERVICES };
enum sim_fault { FAULT_NONE, FAULT_SLOW, FAULT_ERROR, FAULT_GARBAGE, FAULT_DOWN, FAULT_RATELIMIT };

/* Fixtures: 0, or -1 after printing why. */
int sim_load_companies(const char *path);
int sim_load_addresses(const char *path);
void sim_set_credentials(const char *dnb_key, const char *dnb_secret, const char *usps_id,
                         const char *usps_secret, long token_seconds);

/* Answers one request (the fault of the service applied by the caller). */
void sim_handle(const struct sim_request *rq, struct sim_response *rs);

/* Value of a query or form parameter, decoded (malloc'd, NULL when absent). */
char *sim_param(const char *qs, const char *name);

/* Normalisation shared by the matching (exposed for reading): upper case,
 * accents folded, punctuation as spaces, single spaces. */
void sim_normalise(const char *in, char *out, size_t outlen);
#endif
