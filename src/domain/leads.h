/* Leads (DOMAIN §5, CONTRACT "Leads"): the states of a customer's contact
 * request and the table of allowed transitions, the 14-day expiry and the
 * reminder 3 days before it, and who sees a lead. Pure: dates come in as
 * day numbers (lead_day), never from the clock. */
#ifndef PD_DOMAIN_LEADS_H
#define PD_DOMAIN_LEADS_H
#include <stdbool.h>
#include <stddef.h>

enum lead_status {
	LEAD_RECEIVED,
	LEAD_ACCEPTED,
	LEAD_DECLINED,
	LEAD_WON,
	LEAD_LOST,
	LEAD_EXPIRED,
	LEAD_STATUS__MAX
};
/* The codes of the actions are those of the form (action=) and of lead_events. */
enum lead_action { LEAD_ACCEPT, LEAD_DECLINE, LEAD_WIN, LEAD_LOSE, LEAD_EXPIRE, LEAD_ACTION__MAX };
enum lead_actor { LEAD_BY_USER, LEAD_BY_PORTAL };

struct lead_transition {
	enum lead_status from;
	enum lead_action action;
	enum lead_status to;
	enum lead_actor  who;
	bool             reason_required;
};
/* The transition of action from `from`, or NULL when the table has none. */
const struct lead_transition *lead_next(enum lead_status from, enum lead_action action);
/* Every row of the table; *n receives the count. */
const struct lead_transition *lead_transitions(size_t *n);

/* Why a user's action is refused (409 with the sentence). */
enum lead_refusal {
	LEAD_REFUSE_NONE,
	LEAD_REFUSE_EXPIRED,      /* its 14 days have passed */
	LEAD_REFUSE_ANSWERED,     /* accept or decline once it left received */
	LEAD_REFUSE_NOT_ACCEPTED, /* won or lost before accepting, or after closing */
	LEAD_REFUSE_PORTAL_ONLY,  /* an action only the portal takes (expire) */
	LEAD_REFUSAL__MAX
};
/* The verdict on a user's action on a lead shown in status `shown` (see
 * lead_shown_status); *t receives the transition when allowed. */
enum lead_refusal lead_check(enum lead_status shown, enum lead_action action,
                             const struct lead_transition **t);
const char *lead_refusal_message(enum lead_refusal r); /* msgid; "" for none */
/* Stable code of a refusal, shown in data-refusal ("expired", "answered", …; "" for none). */
const char *lead_refusal_code(enum lead_refusal r);
int lead_refusal_parse(const char *s);

const char *lead_status_code(enum lead_status s);
int lead_status_parse(const char *s);
const char *lead_status_label(enum lead_status s); /* msgid */
const char *lead_action_code(enum lead_action a);  /* "accept", "decline", "won", "lost", "expire" */
int lead_action_parse(const char *s);
const char *lead_action_label(enum lead_action a); /* msgid of the button ("" for expire) */
/* The codes a user may send as action=, NULL-terminated (the form's choices). */
extern const char *const lead_user_action_codes[];

/* ---- dates ---- */
/* A date "YYYY-MM-DD" (anything after the 10th character is ignored, so a
 * DATETIME works) as days since 1970-01-01; -1 when it is not a real date. */
long lead_day(const char *date);
/* The day (UTC) of a time in seconds since 1970, as a day number. */
long lead_day_of(long long seconds);
/* The day number as "YYYY-MM-DD" into out[11]. */
void lead_day_format(long day, char out[11]);

/* ---- expiry (14 days) ----
 * A lead received on day D (the UTC date of its creation) may be answered
 * through day D+14, its last day; from day D+15 on it is expired. So at
 * "today" it is expired when today - D > 14, i.e. "older than 14 days":
 * received 2026-11-01, still received on 2026-11-15, expired on 2026-11-16. */
#define LEAD_ANSWER_DAYS 14
#define LEAD_REMIND_DAYS_LEFT 3
/* The last day the lead may be answered. */
long lead_last_day(long created_day);
/* Days left to answer at today: 0 on the last day, negative once expired. */
long lead_days_left(long created_day, long today);
bool lead_expired(long created_day, long today);
/* The latest creation day of a lead expired at today (today - 15): what
 * `ctl leads expire` expires, up to and including that day. */
long lead_expire_through(long today);
/* The status every page shows: a received lead whose 14 days have passed
 * is expired even before `ctl leads expire` stores it. */
enum lead_status lead_shown_status(enum lead_status stored, long created_day, long today);
/* The reminder is due for a received lead with 3 days left or fewer (a
 * missed day catches up), while it may still be answered, once. */
bool lead_remind_due(enum lead_status stored, long created_day, long today, bool reminded);

/* ---- who sees a lead ---- */
/* A user sees a lead of their company when global admin, or referral admin
 * scoped to all partner IDs (scope "") or to the lead's partner ID (scope:
 * the comma-separated IDs of their referral_admin role, as user_roles
 * holds them). A lead without a partner ID (a legacy profile of a company
 * with no global ID) is seen by global admins and referral admins of all. */
bool lead_visible(unsigned roles, const char *scope, const char *partner_id);
/* Whoever may see some lead: global admin or referral admin (the route's access). */
bool lead_handler(unsigned roles);
#endif
