/* Synthetic companies and published business profiles for the directory
 * (partnerdesk-ctl directory seed, the demo, bench/directory). */
#ifndef PD_CTL_SEED_H
#define PD_CTL_SEED_H
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

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

/* The seed's directory writer (seed_writer.c): a child process on its own
 * connection that builds the directory's rows (db_directory_sync_range) of
 * each id range the seed sends, one transaction each, in READ COMMITTED
 * so that neither waits for the other's rows, and reports the progress. */
struct seed_writer {
	pid_t pid;
	int   fd; /* the ranges' pipe */
};
int seed_writer_start(struct seed_writer *w, long long total, const struct timespec *t0,
                      FILE *progress);
/* The profiles from first to last are written, done of the total so far. */
int seed_writer_send(struct seed_writer *w, long long first, long long last, long long done);
/* Waits for the writer (started or not): 0 when every range was written. */
int seed_writer_finish(struct seed_writer *w);
/* Seconds since t0 (CLOCK_MONOTONIC). */
double seed_elapsed(const struct timespec *t0);
#endif
