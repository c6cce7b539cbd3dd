/* Synthetic companies and published business profiles for the directory
 * (partnerdesk-ctl directory seed, the demo, bench/directory). */
#ifndef PD_CTL_SEED_H
#define PD_CTL_SEED_H
#include <stdio.h>

#define SEED_MAX_PROFILES 1000000 /* per run */

/* Adds count published profiles under new synthetic companies (a tenant, a
 * PGA and a location ID per publish country each, partner IDs drawn as the
 * registry requires), spread over the countries of the CSP regions table,
 * with English and French text. The same seed on the same database gives
 * the same data; companies already seeded with that seed are kept and the
 * new ones follow them. Progress goes to progress (NULL: none) every
 * 10,000 profiles. Returns 0, or -1 after printing the error to stderr. */
int seed_directory(long long count, unsigned long long seed, FILE *progress);

/* How many companies seed already made (0 when none). -1 on a database
 * error. */
long long seed_companies(unsigned long long seed);
#endif
