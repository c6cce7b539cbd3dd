/* Rate limits and sign-in throttling (issue 10): which events are counted,
 * for which key, and how many are allowed in which window. Pure: the
 * caller reads the ages of the recent events from the database (rate_events,
 * shared by every host) and passes them in. */
#ifndef PD_DOMAIN_THROTTLE_H
#define PD_DOMAIN_THROTTLE_H
#include <stdbool.h>
#include <stddef.h>

#include "domain/limits.h"

/* The limits of the forms, one row each in rate_limits. */
enum rate_limit_id {
	RATE_SIGNIN_ADDRESS,     /* failed sign-ins from one address, any email */
	RATE_SIGNUP_ADDRESS,     /* sign-ups from one address */
	RATE_RESEND_USER_MINUTE, /* verification resends of one user */
	RATE_RESEND_USER_HOUR,
	RATE_RESEND_ADDRESS,     /* verification resends from one address */
	RATE_RESET_EMAIL,        /* password reset requests for one email */
	RATE_RESET_ADDRESS,      /* password reset requests from one address */
	RATE_CONTACT_ADDRESS,    /* directory contact requests from one address */
	RATE_LIMIT__MAX
};

struct rate_limit {
	const char *event;      /* what is counted: rate_events.kind (several limits may share one) */
	const char *config;     /* the [limits] key that overrides max */
	int         max;        /* default: at most max events ... */
	long        window;     /* ... in window seconds */
	bool        by_address; /* keyed by the client address (exempt addresses skip it) */
};
extern const struct rate_limit rate_limits[RATE_LIMIT__MAX];

/* The events of sign-in failures for one (email, address): signin_retry_after. */
#define RATE_EVENT_SIGNIN_FAIL "signin_fail"

/* Seconds to wait before one more event is allowed under "at most max in
 * window seconds", given the ages in milliseconds of the most recent events,
 * newest first (n of them; events older than the window are not counted):
 * 0 while fewer than max lie within the window, else until the max-th
 * newest leaves it (at least 1). max < 1 allows nothing for window s. */
long rate_retry_after(int max, long window, const long long *ages_ms, size_t n);

/* Seconds the client address must wait before trying an email again, given
 * failures, its failed sign-ins for that email in SIGNIN_MEMORY_SECONDS, the
 * newest last_age_ms ago: 0 under SIGNIN_MAX_FAILURES, then
 * SIGNIN_WINDOW_SECONDS after the last failure, doubled for each failure
 * beyond, at most SIGNIN_DELAY_MAX_SECONDS (at least 1 while waiting). */
long signin_retry_after(long long failures, long long last_age_ms);

/* The delay a refused attempt waits after failures (no time elapsed). */
long signin_delay(long long failures);
#endif
