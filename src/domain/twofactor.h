/* Two-factor authentication rules (issue 10): when a user must, may or
 * need not enrol, whether a TOTP code is accepted, recovery code format.
 * Pure: times are passed in, secrets are bytes. */
#ifndef PD_DOMAIN_TWOFACTOR_H
#define PD_DOMAIN_TWOFACTOR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Accepted clock drift: one 30 s step either side (RFC 6238 §5.2). */
#define TOTP_DRIFT_STEPS 1
/* Recovery codes: how many, and their length (10 characters of a 32-letter
 * alphabet: 50 random bits each, stored as SHA-256). */
#define RECOVERY_CODES      10
#define RECOVERY_CODE_CHARS 10
/* The signed pre-auth token between the password and the code (5 min). */
#define TFA_PENDING_SECONDS 300
/* Staff added by scripts/ctl have this long to enrol ([auth] staff_2fa_grace_hours). */
#define TFA_STAFF_GRACE_HOURS_DEFAULT 48
#define TFA_STAFF_GRACE_HOURS_MAX     720 /* 30 days */

enum totp_verdict {
	TOTP_OK,        /* matches a step not used before: *step set */
	TOTP_WRONG,     /* no step of the window gives this code */
	TOTP_REUSED,    /* it matches, but that step was already used */
	TOTP_MALFORMED, /* not 6 digits */
	TOTP_VERDICT__MAX
};
/* Checks code (6 digits; spaces ignored) against secret at unix time now:
 * the steps now-1, now, now+1; only a step after last_step is accepted,
 * so each code works once. */
enum totp_verdict totp_check(const unsigned char *secret, size_t len, const char *code,
                             int64_t now, uint64_t last_step, uint64_t *step);

/* Where a user stands with two-factor authentication. */
enum tfa_need {
	TFA_OFFERED,   /* a partner without it: may turn it on */
	TFA_ON,        /* enabled */
	TFA_GRACE,     /* staff without it, before the deadline: reminded */
	TFA_ENROL_NOW, /* staff without it, deadline passed: only enrolment is open */
	TFA_NEED__MAX
};
/* roles: ROLE_BIT set; due_passed: the staff deadline to enrol has passed
 * (or none was given). */
enum tfa_need tfa_need(unsigned roles, bool enabled, bool due_passed);

enum tfa_off_refusal { TFA_OFF_OK, TFA_OFF_STAFF, TFA_OFF_NOT_ENABLED, TFA_OFF__MAX };
/* Whether the user may turn two-factor authentication off. */
enum tfa_off_refusal tfa_off_check(unsigned roles, bool enabled);

/* A recovery code from RECOVERY_CODE_CHARS random bytes: "ABCDE-FGHJK"
 * (digits and capitals without 0, 1, I, O). */
void recovery_code_format(const unsigned char rnd[RECOVERY_CODE_CHARS],
                          char out[RECOVERY_CODE_CHARS + 2]);
/* The canonical form of a typed code (either case, dashes and spaces
 * ignored) into out; false when it cannot be one. */
bool recovery_code_normalize(const char *in, char out[RECOVERY_CODE_CHARS + 1]);
#endif
