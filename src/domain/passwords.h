/* The password policy (NIST SP 800-63B §5.1.1.2): 12 to 128 characters, no
 * composition rules, and no password an attacker guesses first. This is the
 * pure part (length, repetition, what it must not contain); the dictionary
 * check (libpwquality with the cracklib dictionary) is app/password.c, which
 * calls this first. Sign-up, set-password, reset and change all use it. */
#ifndef PD_DOMAIN_PASSWORDS_H
#define PD_DOMAIN_PASSWORDS_H
#include <stddef.h>

enum password_refusal {
	PASSWORD_OK,
	PASSWORD_TOO_SHORT,     /* fewer than PASSWORD_MIN_CHARS characters */
	PASSWORD_TOO_LONG,      /* more than PASSWORD_MAX_CHARS characters */
	PASSWORD_WHITESPACE,    /* only spaces */
	PASSWORD_REPEATED,      /* one character repeated */
	PASSWORD_HAS_EMAIL,     /* holds the email, or its local part */
	PASSWORD_HAS_COMPANY,   /* holds a word of the company's name */
	PASSWORD_COMMON,        /* common or from a dictionary (app/password.c) */
	PASSWORD_REFUSAL__MAX
};

/* Characters (UTF-8 code points) of s. */
size_t password_length(const char *s);
/* The first rule password breaks, PASSWORD_OK when none (never
 * PASSWORD_COMMON: that one needs the dictionary). email and company may be
 * NULL or "" (nothing to compare). Letters compare case-insensitively (ASCII
 * and Latin-1); the local part is compared when it has at least
 * PASSWORD_NAME_MIN_CHARS characters (else the whole email), the company's
 * name word by word, words of PASSWORD_NAME_MIN_CHARS characters or more.
 * Allocates nothing. */
enum password_refusal password_check(const char *password, const char *email, const char *company);
#endif
