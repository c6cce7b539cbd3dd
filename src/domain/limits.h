/* Named limits of accounts and sessions, with their source. */
#ifndef PD_DOMAIN_LIMITS_H
#define PD_DOMAIN_LIMITS_H
#define SESSION_IDLE_SECONDS   (30 * 60)      /* CONTRACT §5: 30 min idle */
#define SESSION_MAX_SECONDS    (12 * 3600)    /* OWASP ASVS 4.0 3.3.2 (level 2): 12 h from sign-in */
#define SIGNIN_WINDOW_SECONDS  (15 * 60)      /* CONTRACT §4: 5 failures in 15 min */
#define SIGNIN_MAX_FAILURES    5
/* Sign-in throttling (issue 10, OWASP ASVS 4.0 2.2.1): failures are counted
 * per (email, client address), so that an attacker's address is held back
 * while the owner still signs in from theirs (no hard account lock). From
 * SIGNIN_MAX_FAILURES failures on, each further attempt waits
 * SIGNIN_WINDOW_SECONDS after the last failure, doubled for each failure
 * beyond, up to SIGNIN_DELAY_MAX_SECONDS; failures are remembered
 * SIGNIN_MEMORY_SECONDS. The delays start at the contract's 5 (CONTRACT §4:
 * the first five wrong passwords each get 401). */
#define SIGNIN_DELAY_MAX_SECONDS (4 * 3600)   /* our choice: 8 guesses a day past the first 5 */
#define SIGNIN_MEMORY_SECONDS  (24 * 3600)    /* our choice: a day, then the count starts over */
/* Per client address, across every email (password spraying): at most
 * SIGNIN_ADDRESS_MAX failures in SIGNIN_WINDOW_SECONDS. */
#define SIGNIN_ADDRESS_MAX     30             /* issue 10: one address tried 1,637 emails in 15 s */
/* Forms that send mail (issue 10; [limits] in the INI overrides the maxima):
 * at most MAX events per WINDOW seconds for one key. */
#define SIGNUP_ADDRESS_MAX     10             /* sign-ups per client address per hour */
#define RESEND_USER_MINUTE_MAX 1              /* verification resends per user per minute */
#define RESEND_USER_HOUR_MAX   3              /* ... and per hour */
#define RESEND_ADDRESS_MAX     10             /* verification resends per client address per hour */
#define RESET_EMAIL_MAX        3              /* reset requests per target email per hour */
#define RESET_ADDRESS_MAX      10             /* reset requests per client address per hour */
#define CONTACT_ADDRESS_MAX    10             /* directory contact requests per client address per hour */
#define RATE_HOUR_SECONDS      3600
#define RATE_MINUTE_SECONDS    60
/* Rate events older than this are purged (the longest memory above). */
#define RATE_KEEP_SECONDS      SIGNIN_MEMORY_SECONDS
#define VERIFY_TOKEN_SECONDS   (48 * 3600)    /* CONTRACT §4: link valid 48 h */
#define CLAIM_UNVERIFIED_SECONDS VERIFY_TOKEN_SECONDS /* issue 10: an unverified claim lasts as long as its link */
#define INVITE_TOKEN_SECONDS   (7 * 24 * 3600) /* our choice: invitations last a week */
#define PASSWORD_MIN_CHARS     12             /* CONTRACT §4 */
#define PASSWORD_MAX_CHARS     128            /* issue 10 (NIST SP 800-63B: at least 64) */
#define PASSWORD_NAME_MIN_CHARS 4             /* our choice: shorter names match too much */
#define RESET_TOKEN_SECONDS    3600           /* issue 10: reset links valid 1 h */
#define PARTNER_IDS_DEFAULT_MAX 200          /* issue 10: [partners] max_ids, per company */
#endif
