/* The reviewer's console (DOMAIN §3.7, issue 11): the entered company
 * compared field by field with the D&B record and the standard address,
 * the warnings a reviewer must read before deciding, and the queue's age
 * buckets. Pure functions, table-tested in tests/unit/test_domain.c. */
#ifndef PD_DOMAIN_REVIEW_H
#define PD_DOMAIN_REVIEW_H
#include <stdbool.h>
#include <stddef.h>

#include "domain/csp.h"

/* How a field's value is normalised before it is compared. */
enum review_field_kind {
	RF_NAME,    /* legal name: company suffixes (INCORPORATED → INC, …) */
	RF_STREET,  /* street lines: USPS suffixes and directions (STREET → ST, NORTH → N) */
	RF_CITY,    /* city: SAINT → ST, FORT → FT, MOUNT → MT */
	RF_REGION,  /* state or region: a US state's name is its code */
	RF_POSTAL,  /* postal code: spaces and dashes ignored; a ZIP agrees with its ZIP+4 */
	RF_COUNTRY, /* ISO code */
};

/* The value in its compared form: uppercase, punctuation dropped ('.' and
 * '\'' removed, the rest a space), Latin-1 letters in capitals too, one space
 * between words, abbreviations of its kind applied. Truncated to fit out (n > 0). */
void review_normalize(enum review_field_kind kind, const char *in, char *out, size_t n);
/* True when the two values are the same once normalised (two empty values
 * agree; an empty one and another do not). */
bool review_same(enum review_field_kind kind, const char *a, const char *b);

/* The warnings on an application, a bit set of enum review_warning. */
enum review_warning {
	RW_LOW_CONFIDENCE = 1 << 0,     /* a D&B match below REVIEW_CONFIDENCE_FLOOR */
	RW_OUT_OF_BUSINESS = 1 << 1,    /* D&B's operating status is not Active */
	RW_NO_DUNS = 1 << 2,            /* entered by hand: no D&B record to compare */
	RW_ADDRESS_UNVERIFIED = 1 << 3, /* the verdict is neither verified nor corrected */
};
#define REVIEW_WARNINGS 4
/* D&B's confidence codes below 5 mean a weak match (the name or the address disagree). */
#define REVIEW_CONFIDENCE_FLOOR 5
/* confidence 0 = not known (a DUNS typed by the partner, not a match). */
unsigned review_warnings(bool has_duns, int confidence, const char *operating_status,
                         enum csp_verdict verdict);
/* The code of warning bit i (0 ≤ i < REVIEW_WARNINGS) and its message (msgid). */
const char *review_warning_code(unsigned i);
const char *review_warning_message(unsigned i);

/* How long an application has waited, in the queue's buckets. */
enum review_age { AGE_0_2, AGE_3_7, AGE_8_14, AGE_15_PLUS, AGE__MAX };
enum review_age review_age_bucket(long long days);
const char *review_age_code(enum review_age a);  /* "0-2", "3-7", "8-14", "15+" */
const char *review_age_label(enum review_age a); /* msgid */
int review_age_parse(const char *s);             /* -1 when unknown */
/* The days of a bucket: min ≤ days ≤ max. */
void review_age_range(enum review_age a, long long *min, long long *max);
#endif
