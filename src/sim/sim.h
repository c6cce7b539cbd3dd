/* partnerdesk-sim: a local HTTP/1.1 server speaking the protocols of the
 * two remote services (D&B Direct+ and USPS Addresses v3,
 * research/duns_address.md §1, §2.2, §4) from TSV fixtures (CONTRACT §6),
 * with the fault switch POST /_sim/fault.
 *
 * server.c   HTTP/1.1: sockets, threads, request heads and bodies
 * services.c faults (mode=error with its status and D+ code), counters,
 *            /_sim/, dispatch
 * tokens.c   credentials and the token endpoints of both services
 * dnb.c      D&B identity resolution (cleanseMatch) and data by DUNS
 * usps.c     USPS address validation
 * text.c     normalisation, parameters, fixtures, JSON answers and the
 *            error envelopes of both services */
#ifndef PD_SIM_H
#define PD_SIM_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/sbuf.h"

struct sim_request {
	const char *method, *path, *query; /* query without '?', "" when none */
	const char *authorization, *content_type;
	const char *body;
	size_t body_len;
};

struct sim_response {
	int status;
	const char *content_type;
	struct sbuf body;
	long retry_after; /* seconds, 0 = no header */
	bool drop;        /* close without answering ("down") */
};

enum sim_service { SIM_DNB, SIM_ADDRESS, SIM__SERVICES };

/* ---- services.c ---- */

/* Answers one request, the fault of its service applied first. */
void sim_handle(const struct sim_request *rq, struct sim_response *rs);

/* Counters reported by GET /_sim/stats (the names are read by the suites):
 * one per endpoint, counting the calls it answered past the token check,
 * and one per service counting every request, faulted ones included. */
enum sim_counter {
	C_DNB_TOKEN,
	C_DNB_MATCH,
	C_DNB_DATA,
	C_USPS_TOKEN,
	C_USPS_ADDRESS,
	C_DNB_ALL,
	C_USPS_ALL,
	C__MAX
};
void sim_count(enum sim_counter c);

/* ---- tokens.c ---- */

void sim_set_credentials(const char *dnb_key, const char *dnb_secret, const char *usps_id,
                         const char *usps_secret, long token_seconds);
/* "dnb" or "address": the name of svc in tokens, /_sim/ and logs. */
const char *sim_service_name(enum sim_service svc);
/* True for "Bearer <token>" with a token this process issued for svc, of
 * the current generation and not expired. */
bool sim_token_valid(enum sim_service svc, const char *authorization);
/* Invalidates every token of svc issued so far (POST /_sim/expire-tokens). */
void sim_expire_tokens(enum sim_service svc);
/* POST /v2/token (v3 false) and /v3/token of D&B; POST /oauth2/v3/token. */
void sim_dnb_token(const struct sim_request *rq, struct sim_response *rs, bool v3);
void sim_usps_token(const struct sim_request *rq, struct sim_response *rs);

/* ---- dnb.c, usps.c: the endpoints (token already checked) ---- */
void dnb_match(const struct sim_request *rq, struct sim_response *rs);
void dnb_data(const struct sim_request *rq, struct sim_response *rs, const char *duns);
void usps_address(const struct sim_request *rq, struct sim_response *rs);

/* ---- text.c ---- */

#define SIM_FIELD 256

struct company {
	/* name "" when the fixture gives none: answered as primaryName null */
	char duns[10], name[SIM_FIELD], street[SIM_FIELD], city[SIM_FIELD], region[SIM_FIELD],
	    postal[32], country[3];
	bool active;
	/* Comparison keys: name words without legal forms, street words
	 * abbreviated, city and postal code normalised. */
	char key_name[SIM_FIELD], key_street[SIM_FIELD], key_city[SIM_FIELD], key_region[SIM_FIELD],
	    key_postal[32];
};

struct address {
	char street[SIM_FIELD], city[SIM_FIELD], region[SIM_FIELD], postal[32], country[3];
	char std_street[SIM_FIELD], std_city[SIM_FIELD], std_region[SIM_FIELD], std_postal[32];
	char dpv[2];   /* DPVConfirmation of the row: Y, D, S or N */
	char plus4[5]; /* ZIP+4 add-on of std_postal (else postal), "" when none */
	/* Keys of the entry columns and of the std_* columns (an address
	 * already in its standard form validates too). */
	char key_street[SIM_FIELD], key_city[SIM_FIELD], key_region[SIM_FIELD], key_postal[32];
	char key_std_street[SIM_FIELD], key_std_city[SIM_FIELD], key_std_region[SIM_FIELD],
	    key_std_postal[32];
};

extern struct company *sim_companies;
extern size_t sim_ncompanies;
extern struct address *sim_addresses;
extern size_t sim_naddresses;

/* Fixtures: 0, or -1 after logging why. */
int sim_load_companies(const char *path);
int sim_load_addresses(const char *path);

/* Upper case, accents folded (Latin-1 and Latin Extended-A; ß → SS),
 * apostrophes and dots dropped, other punctuation as spaces, single
 * spaces. Never writes more than outlen bytes (NUL included). */
void sim_normalise(const char *in, char *out, size_t outlen);
/* Normalised words of in, each mapped by map (NULL drops the word). */
void sim_words_key(const char *in, char *out, size_t outlen, const char *(*map)(const char *));
const char *sim_name_word(const char *w);   /* NULL for a legal form */
const char *sim_street_word(const char *w); /* USPS abbreviation */
void sim_street_key(const char *in, char *out, size_t outlen);
void sim_postal_key(const char *in, char *out, size_t outlen);

/* Value of a query or form parameter, decoded (malloc'd, NULL when absent). */
char *sim_param(const char *qs, const char *name);
/* Same, "" when absent or empty (malloc'd). */
char *sim_param_s(const char *qs, const char *name);
/* Checks the names of the query's parameters against known (NULL-ended,
 * exact case): PARAM_UNKNOWN for a name not in it, PARAM_EMPTY for one
 * without a value ("name" or "name="), the name at fault in bad (printable
 * ASCII, cut to badlen). Empty pairs ("a=1&&b=2") are skipped. */
enum sim_param_fault { PARAM_OK, PARAM_UNKNOWN, PARAM_EMPTY };
enum sim_param_fault sim_params_check(const char *qs, const char *const *known, char *bad,
                                      size_t badlen);

/* Sets status and the compact JSON body; takes the reference to body. */
void sim_json(struct sim_response *rs, int status, json_t *body);
json_t *sim_transaction_detail(void);
/* The reason phrase of an HTTP status ("Service Unavailable"). */
const char *sim_status_text(int status);
/* The D+ error envelope (research §1.5); parameter adds errorDetails. */
void sim_dnb_error(struct sim_response *rs, int status, const char *code, const char *message,
                   const char *parameter);
/* The OAuth-style error of D+ /v3/token (research §1.1):
 * {"error","error_description"}. */
void sim_oauth_error(struct sim_response *rs, int status, const char *error,
                     const char *description);
/* The USPS v3 error envelope, for every USPS error (research §2.2):
 * {"apiVersion":"/addresses/v3","error":{"code":"<status>","message",
 *  "errors":[{"status","code","title","detail","source":{"parameter"}}]}};
 * code is the short code of errors[] (NULL: the status text in capitals,
 * "SERVICE_UNAVAILABLE"), title the status text, detail the message;
 * source only with a parameter. */
void sim_usps_error(struct sim_response *rs, int status, const char *code, const char *message,
                    const char *parameter);
#endif
