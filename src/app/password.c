/* The password policy with its dictionary: domain/passwords.c's rules, then
 * libpwquality's check against the cracklib dictionary (Debian packages
 * libpwquality-dev and cracklib-runtime). Only the dictionary part of
 * libpwquality is used: its composition, repetition and user checks are off
 * (NIST SP 800-63B asks for no composition rules). */
#include <ctype.h>
#include <pwquality.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "core/log.h"

/* Debian's cracklib-runtime builds the dictionary there (update-cracklib). */
#define CRACKLIB_DICT "/var/cache/cracklib/cracklib_dict"
/* cracklib refuses anything shorter as too short, not as a word. */
#define VARIANT_MIN_BYTES 6
/* A password of PASSWORD_MAX_CHARS characters of up to 4 bytes. */
#define PASSWORD_BUF (PASSWORD_MAX_CHARS * 4 + 1)

/* Per process, made at the first use. */
static pwquality_settings_t *pwq;

static pwquality_settings_t *
settings(void)
{
	if (pwq)
		return pwq;
	pwquality_settings_t *s = pwquality_default_settings();
	if (s == NULL)
		return NULL;
	static const int off[] = {PWQ_SETTING_DIG_CREDIT,       PWQ_SETTING_UP_CREDIT,
	                          PWQ_SETTING_LOW_CREDIT,       PWQ_SETTING_OTH_CREDIT,
	                          PWQ_SETTING_MIN_CLASS,        PWQ_SETTING_MAX_REPEAT,
	                          PWQ_SETTING_MAX_CLASS_REPEAT, PWQ_SETTING_MAX_SEQUENCE,
	                          PWQ_SETTING_GECOS_CHECK,      PWQ_SETTING_USER_CHECK,
	                          PWQ_SETTING_DIFF_OK};
	int rc = pwquality_set_int_value(s, PWQ_SETTING_MIN_LENGTH, 6); /* its floor; ours is 12 */
	for (size_t i = 0; rc == 0 && i < sizeof(off) / sizeof(*off); i++)
		rc = pwquality_set_int_value(s, off[i], 0);
	if (rc == 0)
		rc = pwquality_set_int_value(s, PWQ_SETTING_DICT_CHECK, 1);
	if (rc == 0)
		rc = pwquality_set_str_value(s, PWQ_SETTING_DICT_PATH, CRACKLIB_DICT);
	if (rc != 0) {
		pwquality_free_settings(s);
		return NULL;
	}
	return pwq = s;
}

int
password_policy_init(void)
{
	if (access(CRACKLIB_DICT ".pwd", R_OK) != 0 || settings() == NULL) {
		log_err("cannot use the password dictionary %s (install the Debian package "
		        "cracklib-runtime)", CRACKLIB_DICT);
		return -1;
	}
	return 0;
}

/* The shortest u of which s is a repetition (u, u u, u u u…), in buf. */
static const char *
repeated_unit(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);
	for (size_t p = 1; p < n && p < size; p++) {
		if (n % p)
			continue;
		size_t i = p;
		while (i < n && s[i] == s[i - p])
			i++;
		if (i == n) {
			memcpy(buf, s, p);
			buf[p] = '\0';
			return buf;
		}
	}
	return s;
}

/* s without the digits, punctuation and spaces around its letters, in buf. */
static const char *
core_word(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s), b = 0;
	while (b < n && (unsigned char)s[b] < 0x80 && !isalpha((unsigned char)s[b]))
		b++;
	while (n > b && (unsigned char)s[n - 1] < 0x80 && !isalpha((unsigned char)s[n - 1]))
		n--;
	if (n - b >= size)
		return s;
	memcpy(buf, s + b, n - b);
	buf[n - b] = '\0';
	return buf;
}

/* Whether the dictionary knows this form of the password (cracklib itself
 * finds words behind simple changes, not a word repeated or padded with
 * digits, as passwordpassword or letmein12345). Forms shorter than
 * cracklib's minimum are not looked up. */
static bool
in_dictionary(pwquality_settings_t *s, const char *form)
{
	if (strlen(form) < VARIANT_MIN_BYTES)
		return false;
	return pwquality_check(s, form, NULL, NULL, NULL) == PWQ_ERROR_CRACKLIB_CHECK;
}

enum password_refusal
password_policy(const char *password, const char *email, const char *company)
{
	enum password_refusal why = password_check(password, email, company);
	if (why != PASSWORD_OK)
		return why;
	pwquality_settings_t *s = settings();
	if (s == NULL) {
		log_err("password settings unavailable");
		return PASSWORD_COMMON;
	}
	/* The refusals left on: the dictionary, a palindrome, cracklib's "too
	 * simplistic/systematic" and "not enough different characters". */
	if (pwquality_check(s, password, NULL, NULL, NULL) < 0)
		return PASSWORD_COMMON;
	char unit[PASSWORD_BUF], core[PASSWORD_BUF], core_unit[PASSWORD_BUF];
	const char *c = core_word(password, core, sizeof(core));
	if (in_dictionary(s, repeated_unit(password, unit, sizeof(unit))) || in_dictionary(s, c) ||
	    in_dictionary(s, repeated_unit(c, core_unit, sizeof(core_unit))))
		return PASSWORD_COMMON;
	return PASSWORD_OK;
}
