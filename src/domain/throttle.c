#include "domain/throttle.h"

const struct rate_limit rate_limits[RATE_LIMIT__MAX] = {
    [RATE_SIGNIN_ADDRESS] = {"signin_fail_address", "signin_per_address", SIGNIN_ADDRESS_MAX,
                             SIGNIN_WINDOW_SECONDS, true},
    [RATE_SIGNUP_ADDRESS] = {"signup_address", "signup_per_address_hour", SIGNUP_ADDRESS_MAX,
                             RATE_HOUR_SECONDS, true},
    [RATE_RESEND_USER_MINUTE] = {"resend_user", "resend_per_user_minute", RESEND_USER_MINUTE_MAX,
                                 RATE_MINUTE_SECONDS, false},
    [RATE_RESEND_USER_HOUR] = {"resend_user", "resend_per_user_hour", RESEND_USER_HOUR_MAX,
                               RATE_HOUR_SECONDS, false},
    [RATE_RESEND_ADDRESS] = {"resend_address", "resend_per_address_hour", RESEND_ADDRESS_MAX,
                             RATE_HOUR_SECONDS, true},
    [RATE_RESET_EMAIL] = {"reset_email", "reset_per_email_hour", RESET_EMAIL_MAX, RATE_HOUR_SECONDS,
                          false},
    [RATE_RESET_ADDRESS] = {"reset_address", "reset_per_address_hour", RESET_ADDRESS_MAX,
                            RATE_HOUR_SECONDS, true},
    [RATE_CONTACT_ADDRESS] = {"contact_address", "contact_per_hour", CONTACT_ADDRESS_MAX,
                              RATE_HOUR_SECONDS, true},
};

long
rate_retry_after(int max, long window, const long long *ages_ms, size_t n)
{
	if (max < 1)
		return window > 0 ? window : 1;
	const long long window_ms = (long long)window * 1000;
	size_t inside = 0;
	while (inside < n && ages_ms[inside] >= 0 && ages_ms[inside] < window_ms)
		inside++;
	if (inside < (size_t)max)
		return 0;
	long long left_ms = window_ms - ages_ms[max - 1];
	long s = (long)((left_ms + 999) / 1000);
	return s < 1 ? 1 : s;
}

long
signin_delay(long long failures)
{
	if (failures < SIGNIN_MAX_FAILURES)
		return 0;
	long long beyond = failures - SIGNIN_MAX_FAILURES;
	long long d = SIGNIN_WINDOW_SECONDS;
	while (beyond-- > 0 && d < SIGNIN_DELAY_MAX_SECONDS)
		d *= 2;
	return (long)(d < SIGNIN_DELAY_MAX_SECONDS ? d : SIGNIN_DELAY_MAX_SECONDS);
}

long
signin_retry_after(long long failures, long long last_age_ms)
{
	long long delay_ms = (long long)signin_delay(failures) * 1000;
	if (last_age_ms < 0)
		last_age_ms = 0;
	if (delay_ms == 0 || last_age_ms >= delay_ms)
		return 0;
	long s = (long)((delay_ms - last_age_ms + 999) / 1000);
	return s < 1 ? 1 : s;
}
