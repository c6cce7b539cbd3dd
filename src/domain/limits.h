/* Named limits of accounts and sessions, with their source. */
#ifndef PD_DOMAIN_LIMITS_H
#define PD_DOMAIN_LIMITS_H
#define SESSION_IDLE_SECONDS   (30 * 60)      /* CONTRACT §5: 30 min idle */
#define SESSION_MAX_SECONDS    (12 * 3600)    /* OWASP ASVS 4.0 3.3.2 (level 2): 12 h from sign-in */
#define SIGNIN_WINDOW_SECONDS  (15 * 60)      /* CONTRACT §4: 5 failures in 15 min */
#define SIGNIN_MAX_FAILURES    5
#define VERIFY_TOKEN_SECONDS   (48 * 3600)    /* CONTRACT §4: link valid 48 h */
#define CLAIM_UNVERIFIED_SECONDS VERIFY_TOKEN_SECONDS /* issue 10: an unverified claim lasts as long as its link */
#define INVITE_TOKEN_SECONDS   (7 * 24 * 3600) /* our choice: invitations last a week */
#define PASSWORD_MIN_CHARS     12             /* CONTRACT §4 */
#define PASSWORD_MAX_CHARS     128            /* issue 10 (NIST SP 800-63B: at least 64) */
#define PASSWORD_NAME_MIN_CHARS 4             /* our choice: shorter names match too much */
#define RESET_TOKEN_SECONDS    3600           /* issue 10: reset links valid 1 h */
#define PARTNER_IDS_DEFAULT_MAX 200          /* issue 10: [partners] max_ids, per company */
#endif
