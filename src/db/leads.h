/* Leads (DOMAIN §5): a customer's contact request through the directory,
 * for the managing partner ID of the profile, its handling and history. */
#ifndef PD_DB_LEADS_H
#define PD_DB_LEADS_H
#include "db/db.h"
#include "domain/leads.h"

struct lead_request {
	long long   profile_id;
	const char *name, *email, *company, *country, *phone, *message;
	const char *lang; /* the customer's language */
};
/* A received lead for the published profile: its tenant, and its managing
 * partner account (the company's PGA for a legacy profile without one).
 * *id 0 when the profile is no longer published. */
enum db_err db_lead_create(struct arena *a, const struct lead_request *l, long long *id);

struct lead {
	long long        id, tenant_id, profile_id;
	const char      *partner_id;   /* the managing partner ID, "" when none */
	const char      *profile_name;
	enum lead_status status;       /* as stored (see lead_shown_status) */
	long             created_day;  /* lead_day of created_at (UTC) */
	const char      *created_at;   /* "YYYY-MM-DD HH:MM:SS" UTC */
	const char      *customer_name, *customer_email, *customer_company, *customer_country,
	                *customer_phone, *message, *lang;
	const char      *reason;       /* of the last decline or loss */
	bool             reminded;     /* the 3-days-left reminder was sent */
};
/* Every lead of the tenant, newest first (the caller keeps what the user may see). */
enum db_err db_leads_of_tenant(struct arena *a, long long tenant_id, struct lead **out, size_t *n);
/* The lead id of the tenant; *found false for another company's or none. */
enum db_err db_lead_get(struct arena *a, long long tenant_id, long long id, struct lead *l,
                        bool *found);

struct lead_event {
	const char      *at; /* UTC */
	bool             remind; /* the reminder, not a transition */
	enum lead_action action;
	enum lead_status to;
	const char      *who_name, *who_email; /* "" for the portal */
	const char      *reason;
};
/* The history of a lead, oldest first. */
enum db_err db_lead_events(struct arena *a, long long lead_id, struct lead_event **out, size_t *n);

/* Applies t to the lead (stored in t->from; a received lead only while
 * created on or after `answerable_from`, "YYYY-MM-DD") and records the event by
 * user_id (0: the portal) with its reason. *changed false when the lead
 * was changed meanwhile. Call inside a transaction. */
enum db_err db_lead_transition(struct arena *a, long long id, const struct lead_transition *t,
                               const char *answerable_from, long long user_id,
                               const char *reason, bool *changed);
/* Expires every received lead created up to and including the day
 * `through` ("YYYY-MM-DD"), each with its event; *n how many. Its own
 * transaction. */
enum db_err db_leads_expire(struct arena *a, const char *through, long long *n);
/* Received leads not reminded yet, created on or after `since` ("YYYY-MM-DD"). */
enum db_err db_leads_remind_candidates(struct arena *a, const char *since, struct lead **out,
                                       size_t *n);
/* Records the reminder of a received lead (once: *changed false when it
 * was already reminded or answered). Call inside a transaction. */
enum db_err db_lead_mark_reminded(struct arena *a, long long id, bool *changed);

struct lead_recipient {
	const char *email, *lang, *display_name;
	bool        referral; /* referral admin of the lead's ID (or of all) */
	bool        global;   /* global admin of the company */
};
/* The active users of the lead's company who are global admins or
 * referral admins of its partner ID (or of all). */
enum db_err db_lead_recipients(struct arena *a, long long lead_id, struct lead_recipient **out,
                               size_t *n);
/* The demo's history: moves the lead's creation `days` back. */
enum db_err db_lead_backdate(struct arena *a, long long id, long days);
/* How many leads the tenant has. */
enum db_err db_leads_count(struct arena *a, long long tenant_id, long long *n);
#endif
