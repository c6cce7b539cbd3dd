#include "app/lookup.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "app/app.h"
#include "db/csp.h"

/* SHA-256 of the query's fields, upper-cased with spaces collapsed, so
 * that "Contoso  inc" and "CONTOSO INC" share one entry. */
static void
cache_key(const char *const *fields, size_t n, unsigned char key[32])
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < n; i++) {
		unsigned char prev = ' ';
		for (const unsigned char *p = (const unsigned char *)(fields[i] ? fields[i] : ""); *p;
		     p++) {
			unsigned char c = isspace(*p) ? ' ' : (unsigned char)toupper(*p);
			if (c == ' ' && prev == ' ')
				continue;
			crypto_hash_sha256_update(&st, &c, 1);
			prev = c;
		}
		crypto_hash_sha256_update(&st, (const unsigned char *)"\x1f", 1);
	}
	crypto_hash_sha256_final(&st, key);
}

/* Stores an outcome worth keeping: an answer or a "none". */
static void
remember(struct arena *a, const char *service, const unsigned char key[32], enum remote_err rc,
         const char *raw)
{
	if (rc == REMOTE_OK && raw)
		db_cache_put(a, service, key, true, raw, LOOKUP_TTL_FOUND);
	else if (rc == REMOTE_NOT_FOUND)
		db_cache_put(a, service, key, false, "", LOOKUP_TTL_NOT_FOUND);
}

enum remote_err
lookup_companies(struct arena *a, const struct remote_service *svc, long long *start_ms,
                 const struct dnb_query *q,
                 struct dnb_company **out, size_t *n)
{
	const char *fields[] = {"match", q->name, q->country, q->line1, q->city, q->region,
	                        q->postal_code};
	unsigned char key[32];
	cache_key(fields, sizeof(fields) / sizeof(*fields), key);
	bool hit, found;
	const char *body;
	*n = 0;
	if (db_cache_get(a, "dnb", key, &hit, &found, &body) == DB_OK && hit) {
		if (!found)
			return REMOTE_NOT_FOUND;
		if (dnb_parse_candidates(a, body, strlen(body), out, n) == REMOTE_OK) {
			if (*n > LOOKUP_MAX_CANDIDATES)
				*n = LOOKUP_MAX_CANDIDATES;
			return REMOTE_OK;
		}
	}
	const char *raw = NULL;
	enum remote_err rc = dnb_match(a, svc, start_ms, q, LOOKUP_MAX_CANDIDATES, out, n, &raw);
	remember(a, "dnb", key, rc, raw);
	return rc;
}

enum remote_err
lookup_company(struct arena *a, const struct remote_service *svc, long long *start_ms,
               const char *duns, struct dnb_company *out)
{
	const char *fields[] = {"duns", duns};
	unsigned char key[32];
	cache_key(fields, 2, key);
	bool hit, found;
	const char *body;
	if (db_cache_get(a, "dnb", key, &hit, &found, &body) == DB_OK && hit) {
		if (!found)
			return REMOTE_NOT_FOUND;
		if (dnb_parse_company(a, body, strlen(body), out) == REMOTE_OK)
			return REMOTE_OK;
	}
	const char *raw = NULL;
	enum remote_err rc = dnb_company_by_duns(a, svc, start_ms, duns, out, &raw);
	remember(a, "dnb", key, rc, raw);
	return rc;
}

enum remote_err
lookup_address(struct arena *a, const struct remote_service *svc, long long *start_ms,
               const struct postal_address *in,
               struct postal_address *std, enum address_verdict *verdict)
{
	const char *fields[] = {in->line1, in->line2, in->city, in->region, in->postal_code,
	                        in->country};
	unsigned char key[32];
	cache_key(fields, sizeof(fields) / sizeof(*fields), key);
	bool hit, found;
	const char *body;
	if (db_cache_get(a, "address", key, &hit, &found, &body) == DB_OK && hit) {
		if (!found) {
			*verdict = ADDRESS_NOT_FOUND;
			return REMOTE_OK;
		}
		if (address_parse(a, body, strlen(body), in->country, std, verdict) == REMOTE_OK)
			return REMOTE_OK;
	}
	const char *raw = NULL;
	enum remote_err rc = address_validate(a, svc, start_ms, in, std, verdict, &raw);
	if (rc == REMOTE_OK && *verdict == ADDRESS_NOT_FOUND)
		remember(a, "address", key, REMOTE_NOT_FOUND, NULL);
	else
		remember(a, "address", key, rc, raw);
	return rc;
}
