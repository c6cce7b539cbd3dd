#include "domain/leads.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "domain/codes.h"
#include "domain/roles.h"

#define N(a) (sizeof(a) / sizeof(*(a)))

static const char *const status_codes[LEAD_STATUS__MAX] = {"received", "accepted", "declined",
                                                           "won",      "lost",     "expired"};
DOMAIN_CODES(lead_status, enum lead_status, LEAD_STATUS__MAX, status_codes)
static const char *const status_labels[LEAD_STATUS__MAX] = {
    N_("Received"), N_("Accepted"), N_("Declined"), N_("Won"), N_("Lost"), N_("Expired")};
static const char *const action_codes[LEAD_ACTION__MAX] = {"accept", "decline", "won", "lost",
                                                           "expire"};
DOMAIN_CODES(lead_action, enum lead_action, LEAD_ACTION__MAX, action_codes)
static const char *const action_labels[LEAD_ACTION__MAX] = {
    N_("Accept"), N_("Decline"), N_("Mark as won"), N_("Mark as lost"), ""};
static const char *const refusal_codes[LEAD_REFUSAL__MAX] = {"", "expired", "answered",
                                                             "not_accepted", "portal_only"};
DOMAIN_CODES(lead_refusal, enum lead_refusal, LEAD_REFUSAL__MAX, refusal_codes)
const char *const lead_user_action_codes[] = {"accept", "decline", "won", "lost", NULL};

/* DOMAIN §5. Anything else is refused (409 on the page). */
static const struct lead_transition transitions[] = {
    {LEAD_RECEIVED, LEAD_ACCEPT, LEAD_ACCEPTED, LEAD_BY_USER, false},
    {LEAD_RECEIVED, LEAD_DECLINE, LEAD_DECLINED, LEAD_BY_USER, true},
    {LEAD_ACCEPTED, LEAD_WIN, LEAD_WON, LEAD_BY_USER, false},
    {LEAD_ACCEPTED, LEAD_LOSE, LEAD_LOST, LEAD_BY_USER, true},
    {LEAD_RECEIVED, LEAD_EXPIRE, LEAD_EXPIRED, LEAD_BY_PORTAL, false},
};

const struct lead_transition *
lead_next(enum lead_status from, enum lead_action action)
{
	for (size_t i = 0; i < N(transitions); i++)
		if (transitions[i].from == from && transitions[i].action == action)
			return &transitions[i];
	return NULL;
}

const struct lead_transition *
lead_transitions(size_t *n)
{
	*n = N(transitions);
	return transitions;
}

enum lead_refusal
lead_check(enum lead_status shown, enum lead_action action, const struct lead_transition **t)
{
	*t = NULL;
	const struct lead_transition *next = lead_next(shown, action);
	if (next && next->who == LEAD_BY_USER) {
		*t = next;
		return LEAD_REFUSE_NONE;
	}
	if (action == LEAD_EXPIRE)
		return LEAD_REFUSE_PORTAL_ONLY;
	if (shown == LEAD_EXPIRED)
		return LEAD_REFUSE_EXPIRED;
	if (action == LEAD_ACCEPT || action == LEAD_DECLINE)
		return LEAD_REFUSE_ANSWERED;
	return LEAD_REFUSE_NOT_ACCEPTED;
}

const char *
lead_refusal_message(enum lead_refusal r)
{
	switch (r) {
	case LEAD_REFUSE_EXPIRED:
		return N_("This lead expired: it was not answered within 14 days.");
	case LEAD_REFUSE_ANSWERED:
		return N_("This lead was already answered: only a lead just received can be accepted or declined.");
	case LEAD_REFUSE_NOT_ACCEPTED:
		return N_("Only an accepted lead can be marked as won or lost.");
	case LEAD_REFUSE_PORTAL_ONLY:
		return N_("Leads expire on their own after 14 days without an answer.");
	default:
		return "";
	}
}

const char *
lead_status_label(enum lead_status s)
{
	return (unsigned)s < LEAD_STATUS__MAX ? status_labels[s] : "";
}

const char *
lead_action_label(enum lead_action a)
{
	return (unsigned)a < LEAD_ACTION__MAX ? action_labels[a] : "";
}

/* ---- dates: the proleptic Gregorian calendar (H. Hinnant's days_from_civil) ---- */

static long
days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

long
lead_day(const char *s)
{
	if (s == NULL || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	return days_from_civil(y, m, d);
}

long
lead_day_of(long long seconds)
{
	return (long)(seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400));
}

void
lead_day_format(long z, char out[11])
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	char buf[32];
	snprintf(buf, sizeof(buf), "%04ld-%02u-%02u", y % 10000, m, d);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

/* ---- expiry ---- */

long
lead_last_day(long created_day)
{
	return created_day + LEAD_ANSWER_DAYS;
}

long
lead_days_left(long created_day, long today)
{
	return lead_last_day(created_day) - today;
}

bool
lead_expired(long created_day, long today)
{
	return lead_days_left(created_day, today) < 0;
}

long
lead_expire_through(long today)
{
	return today - LEAD_ANSWER_DAYS - 1;
}

enum lead_status
lead_shown_status(enum lead_status stored, long created_day, long today)
{
	return stored == LEAD_RECEIVED && lead_expired(created_day, today) ? LEAD_EXPIRED : stored;
}

bool
lead_remind_due(enum lead_status stored, long created_day, long today, bool reminded)
{
	long left = lead_days_left(created_day, today);
	return stored == LEAD_RECEIVED && !reminded && left >= 0 && left <= LEAD_REMIND_DAYS_LEFT;
}

/* ---- visibility ---- */

static bool
scope_names(const char *scope, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = scope; n && (p = strstr(p, id)) != NULL; p += n)
		if ((p == scope || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

bool
lead_visible(unsigned roles, const char *scope, const char *partner_id)
{
	if (roles & ROLE_BIT(ROLE_GLOBAL_ADMIN))
		return true;
	if (!(roles & ROLE_BIT(ROLE_REFERRAL_ADMIN)))
		return false;
	if (scope == NULL || *scope == '\0')
		return true;
	return partner_id && *partner_id && scope_names(scope, partner_id);
}

bool
lead_handler(unsigned roles)
{
	return (roles & (ROLE_BIT(ROLE_GLOBAL_ADMIN) | ROLE_BIT(ROLE_REFERRAL_ADMIN))) != 0;
}
