/* The rate limits of the forms and the sign-in throttling (domain/throttle.h)
 * over the rate_events table, so that every host counts the same events.
 * Keys are stored as their SHA-256, never as addresses or emails. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "db/accounts.h"

/* Events read for one sign-in check: beyond this the delay is at its cap. */
#define SIGNIN_EVENTS_READ 64

bool
throttle_exempt(const struct req *r)
{
	return http_addr_listed(config_get(app.cfg, "limits.exempt_addresses", THROTTLE_EXEMPT_DEFAULT), r->remote_addr);
}

int
throttle_max(enum rate_limit_id id)
{
	char key[80];
	snprintf(key, sizeof(key), "limits.%s", rate_limits[id].config);
	return (int)config_get_long(app.cfg, key, rate_limits[id].max, 0, 1000000);
}

/* SHA-256 of the key of id: the client address for the limits by address. */
static void
key_hash(const struct req *r, enum rate_limit_id id, const char *key, unsigned char h[32])
{
	token_hash(rate_limits[id].by_address || key == NULL
	               ? (r->remote_addr ? r->remote_addr : "")
	               : key,
	           h);
}

long
throttle_wait(struct req *r, enum rate_limit_id id, const char *key)
{
	const struct rate_limit *l = &rate_limits[id];
	if (l->by_address && throttle_exempt(r))
		return 0;
	int max = throttle_max(id);
	unsigned char h[32];
	long long *ages;
	size_t n;
	key_hash(r, id, key, h);
	if (db_rate_ages(r->a, l->event, h, l->window, (size_t)max + 1, &ages, &n) != DB_OK)
		return -1;
	return rate_retry_after(max, l->window, ages, n);
}

enum db_err
throttle_count(struct req *r, enum rate_limit_id id, const char *key)
{
	if (rate_limits[id].by_address && throttle_exempt(r))
		return DB_OK;
	unsigned char h[32];
	key_hash(r, id, key, h);
	return db_rate_add(r->a, rate_limits[id].event, h);
}

/* SHA-256 of the email (in lower case) with the client address. */
static void
signin_key(struct req *r, const char *email, unsigned char h[32])
{
	char *k = arena_printf(r->a, "%s\n%s", email, r->remote_addr ? r->remote_addr : "");
	for (char *p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	token_hash(k, h);
}

long
signin_wait(struct req *r, const char *email)
{
	long wait = throttle_wait(r, RATE_SIGNIN_ADDRESS, NULL);
	if (wait < 0)
		return -1;
	unsigned char h[32];
	long long *ages;
	size_t n;
	signin_key(r, email, h);
	if (db_rate_ages(r->a, RATE_EVENT_SIGNIN_FAIL, h, SIGNIN_MEMORY_SECONDS, SIGNIN_EVENTS_READ,
	                 &ages, &n) != DB_OK)
		return -1;
	long mine = n ? signin_retry_after((long long)n, ages[0]) : 0;
	return mine > wait ? mine : wait;
}

enum db_err
signin_failed(struct req *r, const char *email)
{
	unsigned char h[32];
	signin_key(r, email, h);
	enum db_err rc = db_rate_add(r->a, RATE_EVENT_SIGNIN_FAIL, h);
	if (rc == DB_OK)
		rc = throttle_count(r, RATE_SIGNIN_ADDRESS, NULL);
	return rc;
}

enum db_err
signin_succeeded(struct req *r, const char *email)
{
	unsigned char h[32];
	signin_key(r, email, h);
	return db_rate_clear(r->a, RATE_EVENT_SIGNIN_FAIL, h);
}
