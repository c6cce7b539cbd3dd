/* Legacy profiles and their migration (DOMAIN §6): the migration window
 * (open [migration] window_days days from [migration] ga_date), the days
 * left, who may still migrate a legacy profile (with the reason when not),
 * when the profiles left over are linked to the PGA, and the checks of one
 * line of a legacy import. Pure: dates are passed in as day numbers. */
#ifndef PD_DOMAIN_MIGRATION_H
#define PD_DOMAIN_MIGRATION_H
#include <stdbool.h>

#define MIGRATION_WINDOW_DAYS_DEFAULT 120          /* DOMAIN §6: open for 120 days */
#define MIGRATION_WINDOW_DAYS_MAX     3650         /* our choice: ten years at most */
#define MIGRATION_GA_DATE_DEFAULT     "2024-02-29" /* our choice: the managing-ID feature's date */
#define LEGACY_CUTOFF_DATE            "2024-02-29" /* DOMAIN §5: a legacy profile is older */

/* A day as the number of days since 1970-01-01 (proleptic Gregorian).
 * Parses a strict YYYY-MM-DD (a real calendar day); false otherwise. */
bool migration_day_parse(const char *s, long *day);
/* The UTC day of a time in seconds since the epoch. */
long migration_day_of(long long unix_seconds);
/* Writes day as YYYY-MM-DD into out (11 bytes); returns out. */
char *migration_day_format(long day, char out[11]);

/* The window: it opens on the GA day and its last day is GA + days - 1. */
struct migration_window {
	long ga;   /* day number of [migration] ga_date */
	long days; /* [migration] window_days */
};
/* The window of a configured GA date (YYYY-MM-DD) and length in days;
 * false, and w untouched, when the date is not a day or days < 0. */
bool migration_window_make(const char *ga_date, long days, struct migration_window *w);
enum migration_phase { MIGRATION_NOT_YET, MIGRATION_OPEN, MIGRATION_CLOSED, MIGRATION_PHASE__MAX };
enum migration_phase migration_phase(const struct migration_window *w, long today);
/* The days left, today included: the window's length before it opens, 1 on
 * its last day, 0 once closed. */
long migration_days_left(const struct migration_window *w, long today);

/* Why a legacy profile may not be migrated (the page shows the sentence). */
enum migration_refusal {
	MIGRATION_OK,
	MIGRATION_REFUSE_NOT_LEGACY, /* created under a managing partner ID */
	MIGRATION_REFUSE_MIGRATED,   /* already migrated */
	MIGRATION_REFUSE_LINKED,     /* linked to the PGA after the window */
	MIGRATION_REFUSE_NOT_YET,    /* the window has not opened */
	MIGRATION_REFUSE_CLOSED,     /* the window has closed */
	MIGRATION_REFUSAL__MAX
};
struct migration_facts {
	bool legacy, migrated, linked;
};
enum migration_refusal migration_check(const struct migration_window *w, long today,
                                       const struct migration_facts *f);
/* Stable code (data-refusal) and English sentence (msgid); "" out of range. */
const char *migration_refusal_code(enum migration_refusal r);
const char *migration_refusal_message(enum migration_refusal r);

/* True when a legacy profile in this state is linked to the PGA at today:
 * not migrated, not linked yet, and the window has closed. */
bool migration_link_due(const struct migration_window *w, long today,
                        const struct migration_facts *f);

/* One line of a legacy import (CONTRACT §6: tenant_domain name description
 * website country created_on). The checks that need no data; the tenant
 * domain and the taken country are the importer's. */
enum legacy_line_error {
	LEGACY_LINE_OK,
	LEGACY_LINE_FIELDS,       /* not six fields */
	LEGACY_LINE_EMPTY_FIELD,  /* domain, name, country or date empty */
	LEGACY_LINE_NAME,         /* name not plain text of at most 100 characters */
	LEGACY_LINE_DESCRIPTION,  /* description not text of at most 2,500 characters */
	LEGACY_LINE_WEBSITE,      /* website neither empty nor an http(s) URL */
	LEGACY_LINE_BAD_DATE,     /* created_on not a YYYY-MM-DD day */
	LEGACY_LINE_TOO_LATE,     /* created_on on or after 2024-02-29 */
	LEGACY_LINE_ERROR__MAX
};
struct legacy_line {
	const char *domain, *name, *description, *website, *country, *created_on;
};
/* Splits a line (no line end) on tabs into l (pointers into line, which is
 * modified) and checks what needs no data; *day receives created_on. */
enum legacy_line_error legacy_line_parse(char *line, struct legacy_line *l, long *day);
/* English explanation of an error, "" for LEGACY_LINE_OK. */
const char *legacy_line_error_message(enum legacy_line_error e);
#endif
