/* Calls to the remote services (DUNS lookup, address validation) over
 * libcurl: one easy handle per process (its connection cache keeps
 * connections open), a deadline per logical call, bounded retries with
 * capped exponential backoff and full jitter on transport errors, 429 and
 * 5xx only (Retry-After honoured), and one circuit breaker per service
 * shared by every worker of the host. research/duns_address.md §3. */
#ifndef PD_REMOTE_H
#define PD_REMOTE_H
#include <stdbool.h>
#include <curl/curl.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/sbuf.h"

/* Named limits (our choices, research §3.2: "connect 2 s, total 5 s, ≤ 2
 * retries"; the wizard page must not wait more than about 3 s). */
#define REMOTE_CONNECT_TIMEOUT_MS 1000
#define REMOTE_ATTEMPT_TIMEOUT_MS 2500
#define REMOTE_DEADLINE_MS        3000
#define REMOTE_MAX_RETRIES        2
#define REMOTE_BACKOFF_BASE_MS    100
#define REMOTE_BACKOFF_CAP_MS     1000
#define REMOTE_MAX_BODY           (4 * 1024 * 1024)
/* Breaker: this many failed calls in a row open it for the cooldown. */
#define BREAKER_FAILURES          5
#define BREAKER_COOLDOWN_MS       30000

enum remote_err {
	REMOTE_OK = 0,
	REMOTE_NOT_FOUND,    /* the service answered that nothing matches */
	REMOTE_INVALID,      /* the service refused the input (4xx) */
	REMOTE_UNAVAILABLE,  /* down, timed out, 5xx, or its breaker is open */
	REMOTE_RATE_LIMITED, /* still 429 when the retries or the deadline ran out */
	REMOTE_BAD_ANSWER,   /* an answer outside the protocol (not JSON, wrong shape) */
	REMOTE__MAX
};
const char *remote_strerror(enum remote_err e);

enum breaker_state { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_HALF_OPEN };

enum remote_service_id { SERVICE_DNB, SERVICE_ADDRESS, SERVICE__MAX };

struct remote_service {
	enum remote_service_id id;
	const char *name;     /* "dnb", "address": config section and log name */
	const char *base_url; /* no trailing slash; https unless loopback */
	const char *token_version; /* D&B: "v2" or "v3" (the token endpoint) */
	const char *client_id, *client_secret; /* credentials of the token endpoint */
	long connect_timeout_ms, attempt_timeout_ms, deadline_ms, cooldown_ms;
	int  max_retries, breaker_failures;
};

struct remote_resp {
	long        status;      /* HTTP status, 0 when none arrived */
	struct sbuf body;        /* owned: sbuf_free it */
	long        retry_after; /* seconds, 0 when absent */
};

/* Creates the breakers' shared memory; call once in the master before the
 * workers fork. Without it each process keeps its own breakers. */
int remote_init_shared(void);
/* Fills svc from the [name] section of cfg: base_url, the credentials in
 * id_key and secret_key, token_version, timeouts and breaker settings. */
void remote_service_load(struct remote_service *svc, enum remote_service_id id,
                         const char *name, const char *id_key, const char *secret_key,
                         const struct config *cfg);
/* Percent-encodes s for a query string (arena). */
const char *remote_escape(struct arena *a, const char *s);

/* Reads an answer (status < 500, not 429) of the protocol: returns what it
 * means (REMOTE_OK, NOT_FOUND, INVALID, or BAD_ANSWER for garbage). */
typedef enum remote_err (*remote_reader)(void *ctx, const struct remote_resp *resp);

/* One logical call within svc's deadline (counted from *start_ms, which is
 * set when 0 so that several calls of one page share a deadline): retried
 * on transport errors, 429 and 5xx; an answer is given to read (NULL: any
 * answer is REMOTE_OK). Fails fast with REMOTE_UNAVAILABLE while the
 * breaker is open; the breaker is told the outcome. */
enum remote_err remote_call(const struct remote_service *svc, long long *start_ms,
                            const char *method, const char *path, const char *const *headers,
                            const char *body, struct remote_resp *out, remote_reader read,
                            void *ctx);
enum breaker_state remote_breaker_state(const struct remote_service *svc);

/* True when base_url may be called: https, or http to a loopback address
 * (127.0.0.0/8, [::1], localhost) such as the simulator; a plain-http URL
 * could reach a real host in clear text. */
bool remote_url_allowed(const char *base_url);

/* Bearer tokens: one per service for the whole host, kept in the shared
 * memory of remote_init_shared beside the breakers (research §1.1: reuse
 * one token for its lifetime). A worker that finds it missing, about to
 * expire, or refused renews it under a lock while the others wait for the
 * new one, so a host asks for one token per lifetime, not one per worker. */
#define REMOTE_TOKEN_MAX 2048
/* Asks the service for a token: writes it (NUL-terminated, < size) and its
 * lifetime in seconds. */
typedef enum remote_err (*remote_token_fetch)(struct arena *a, const struct remote_service *svc,
                                              long long *start_ms, char *value, size_t size,
                                              long long *life_s);
/* The service's token into out. refused: the token the service has just
 * answered 401 to (renewed unless another worker already did), or NULL. */
enum remote_err remote_token(struct arena *a, const struct remote_service *svc,
                             long long *start_ms, const char *refused, remote_token_fetch fetch,
                             char *out, size_t size);
/* When a token of life_s seconds is renewed: a minute before it expires,
 * or at half its life when that is shorter (ms after it was issued; 0 for
 * a lifetime that is not positive). */
long long remote_token_renew_after_ms(long long life_s);
/* How many tokens this host has fetched for svc (logs and tests). */
long remote_token_fetches(const struct remote_service *svc);

long long remote_now_ms(void);
/* Backoff before retry n (0-based): full jitter, capped (pure but random). */
long remote_backoff_ms(int n);
#endif
