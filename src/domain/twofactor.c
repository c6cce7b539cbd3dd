/* Two-factor authentication rules (see twofactor.h). */
#include "domain/twofactor.h"

#include <string.h>

#include "core/totp.h"
#include "domain/roles.h"

enum totp_verdict
totp_check(const unsigned char *secret, size_t len, const char *code, int64_t now,
           uint64_t last_step, uint64_t *step)
{
	uint32_t want = 0;
	int digits = 0;
	for (const char *p = code ? code : ""; *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || digits == TOTP_DIGITS)
			return TOTP_MALFORMED;
		want = want * 10 + (uint32_t)(*p - '0');
		digits++;
	}
	if (digits != TOTP_DIGITS)
		return TOTP_MALFORMED;
	uint64_t now_step = totp_step(now);
	bool reused = false;
	for (int d = -TOTP_DRIFT_STEPS; d <= TOTP_DRIFT_STEPS; d++) {
		if (d < 0 && now_step < (uint64_t)-d)
			continue;
		uint64_t s = now_step + (uint64_t)(int64_t)d;
		if (hotp(secret, len, s, TOTP_DIGITS) != want)
			continue;
		if (s <= last_step) {
			reused = true;
			continue;
		}
		*step = s;
		return TOTP_OK;
	}
	return reused ? TOTP_REUSED : TOTP_WRONG;
}

enum tfa_need
tfa_need(unsigned roles, bool enabled, bool due_passed)
{
	if (enabled)
		return TFA_ON;
	if ((roles & ROLES_STAFF) == 0)
		return TFA_OFFERED;
	return due_passed ? TFA_ENROL_NOW : TFA_GRACE;
}

enum tfa_off_refusal
tfa_off_check(unsigned roles, bool enabled)
{
	if (!enabled)
		return TFA_OFF_NOT_ENABLED;
	if (roles & ROLES_STAFF)
		return TFA_OFF_STAFF;
	return TFA_OFF_OK;
}

static const char recovery_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; /* 32 */

void
recovery_code_format(const unsigned char rnd[RECOVERY_CODE_CHARS],
                     char out[RECOVERY_CODE_CHARS + 2])
{
	size_t n = 0;
	for (int i = 0; i < RECOVERY_CODE_CHARS; i++) {
		if (i == RECOVERY_CODE_CHARS / 2)
			out[n++] = '-';
		out[n++] = recovery_alphabet[rnd[i] & 31];
	}
	out[n] = '\0';
}

bool
recovery_code_normalize(const char *in, char out[RECOVERY_CODE_CHARS + 1])
{
	size_t n = 0;
	for (const char *p = in ? in : ""; *p; p++) {
		char c = *p;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == '\0' || strchr(recovery_alphabet, c) == NULL || n == RECOVERY_CODE_CHARS)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == RECOVERY_CODE_CHARS;
}
