/* Domain claims (tenant_domains): what a sign-up, the staff's claims page
 * and the housekeeping read of a claim, and the removal of an unverified
 * tenant whose claim is released (issue 10, domain squatting). The rule that
 * decides is domain/accounts.h's claim_check. */
#ifndef PD_DB_CLAIMS_H
#define PD_DB_CLAIMS_H
#include <stdbool.h>
#include "db/db.h"
#include "domain/accounts.h"

struct claim_row {
	const char *domain;
	long long   tenant_id;
	const char *tenant_name;
	const char *claimed_at;  /* YYYY-MM-DD HH:MM, UTC */
	const char *expires_at;  /* claimed_at + CLAIM_UNVERIFIED_SECONDS, same form */
	long long   users;       /* users of the tenant */
	struct domain_claim facts;
	const char *snapshot;    /* JSON: the tenant, its users and the claim, for the audit log */
};

/* The claim on domain; c->facts.claimed false when there is none. With
 * lock, the row is locked until the caller's transaction ends (a sign-up
 * or a release re-reads its facts under the lock). */
enum db_err db_claim_get(struct arena *a, const char *domain, bool lock, struct claim_row *c);
/* Claims whose domain contains q ("" = all), newest first, at most limit. */
enum db_err db_claims_list(struct arena *a, const char *q, size_t limit, struct claim_row **rows,
                           size_t *n);
/* Inside the caller's transaction, after db_claim_get with lock: removes the
 * tenant holding c, its users (their roles, sessions and links go with
 * them) and the claim. *removed false, nothing changed, when a user of the
 * tenant is verified (such a claim is never released). The audit log keeps
 * what was removed (the caller writes it from c->snapshot). */
enum db_err db_claim_remove(struct arena *a, const struct claim_row *c, bool *removed);
/* Housekeeping: releases every claim that claim_check finds stale, each in
 * its own transaction with an audit row of the system (domain_claim.expire).
 * *count: how many were released. */
enum db_err db_claims_expire(struct arena *a, long long *count);
#endif
