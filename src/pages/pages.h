/* Page handlers, one file per area, and the helpers they share (common.c):
 * no page file calls another. Each handler returns the HTTP status it set. */
#ifndef PD_PAGES_H
#define PD_PAGES_H
#include "app/app.h"
#include "db/csp.h"
#include "db/partners.h"
#include "db/profiles.h"
#include "domain/accounts.h"

#define NFIELDS(a) (sizeof(a) / sizeof(*(a)))

/* ---- shared helpers (common.c) ---- */
/* Fills the list "countries" of a country <select> (code, name, selected). */
void country_options(struct req *r, struct tvars *v, const char *selected);
/* The same choices as markup, led by "All countries" (the fragment
 * country_options.xhtml), for a select whose data-text names it: rendered
 * once per language and choice by each process. */
const struct tpl_html *country_options_html(struct req *r, const char *selected);
/* Sorts country codes in place by their names in the request's language. */
void countries_by_name(struct req *r, const char **codes, size_t n);
/* The country's name in the request's language (the code when unknown). */
const char *country_label(struct req *r, const char *code);
/* One line of an address laid out for its country (an ISO code, see
 * domain/address.h), the country appended: its name in the request's
 * language, or the code (country_name false, for what is stored); allocates
 * in r->a. */
const char *address_line(struct req *r, const char *line1, const char *line2, const char *city,
                         const char *region, const char *postal, const char *country,
                         bool country_name);
/* The address laid out for its country, lines joined by sep, without the
 * country; allocates in a. */
const char *address_text(struct arena *a, const char *line1, const char *line2, const char *city,
                         const char *region, const char *postal, const char *country,
                         const char *sep);
struct audit_entry;
/* An audit entry as a sentence in the request's language (its action code
 * and details through domain/audit_text.h); allocates in r->a. */
const char *audit_text(struct req *r, const struct audit_entry *e);
/* The address and contact fields of the partner program's forms. */
#define ADDRESS_FIELDS                                   \
	{"address_line1", FT_TEXT, true, 1, 200, NULL},    \
	{"address_line2", FT_TEXT, false, 0, 200, NULL},   \
	{"city", FT_TEXT, true, 1, 100, NULL},             \
	{"region", FT_TEXT, false, 0, 100, NULL},          \
	{"postal_code", FT_POSTAL, false, 0, 20, NULL}
#define CONTACT_FIELDS                                   \
	{"contact_name", FT_TEXT, true, 1, 100, NULL},     \
	{"contact_email", FT_EMAIL, true, 3, 254, NULL}

/* The legal (or location) name, address and contact fields of a form, in p. */
void account_from_form(const struct form *f, struct partner_account *p);
/* What the audit log records of an account's legal info and address. */
json_t *account_json(const struct partner_account *p);
/* Address lines and contact of an account as template vars (prefix "a_"). */
void account_address_vars(struct req *r, struct tvars *v, const struct partner_account *p);
/* The partner agreement as accepted (version, language, SHA-256 of the
 * text, signer, time, a link to the text) as template vars "ag_*", and
 * the flag "ag_accepted". */
void agreement_acceptance_vars(struct req *r, struct tvars *v,
                               const struct agreement_acceptance *acc);
/* The address of an account laid out for its country, one item of the
 * list "a_lines" (var "line") per line, for an <address> block. */
void address_block_vars(struct req *r, struct tvars *v, const struct partner_account *p);
/* "csp:ID", the audit object of an application. */
const char *csp_object(struct req *r, long long id);
/* Emails the primary contact, in the application's language, what
 * transition t did (submitted, a document or the questionnaire asked for,
 * approved, rejected). 0 or -1. */
int csp_mail(struct req *r, const struct csp_app *c, const struct csp_transition *t,
             const char *note);
/* Sends a stored document as an attachment (the caller checked who may read it). */
int csp_send_document(struct req *r, const struct csp_document *d);
/* Bound of a password field in characters: the policy (at most
 * PASSWORD_MAX_CHARS) says what is wrong below it. */
#define PASSWORD_FIELD_MAX 1024
/* The sentence (msgid) of a password refusal; NULL for PASSWORD_OK. */
const char *password_refusal_message(enum password_refusal why);
/* Checks the form's "password" against the policy (for the user of that
 * email and company) and, when the form has one, that "password_confirm"
 * repeats it; each refusal goes next to its field. True when "password"
 * itself is accepted. */
bool new_password_check(struct form *f, const char *email, const char *company);
/* Two-factor authentication at sign-in: the pre-auth token's cookie and purpose. */
#define TFA_PENDING_COOKIE  "pd_2fa"
#define TFA_PENDING_PURPOSE "tfa_signin"
/* After a correct password: for a user with two-factor authentication, no
 * session but a pre-auth token (TFA_PENDING_SECONDS, bound to this
 * pre-session) and 303 /signin/2fa; returns that status (or 503). 0 when
 * the user has no second step: the caller starts the session. */
int signin_second_step(struct req *r, long long user_id);
/* The upload read whole into the request's arena (at most the upload
 * limit), or NULL. */
struct http_field;
unsigned char *upload_read(struct req *r, const struct http_field *file);
/* Parses a positive decimal id of the path (0 when it is not one). */
long long path_id(const char *s);
/* Appends s as one RFC 4180 field (a formula's leading character
 * neutralised), then "," or, for the last field, CRLF. */
void csv_field(struct sbuf *b, const char *s, bool last);

/* ---- the CSP wizard's frame (csp_frame.c), shared by the CSP pages ---- */
struct csp_wizard {
	struct csp_app          app;      /* status CSP_NONE: no application yet */
	struct partner_account *accounts; /* the tenant's live IDs, the PGA first */
	size_t                  naccounts;
	bool                    enrolled; /* in the partner program */
	struct csp_document    *documents; /* sent to staff (none while a draft) */
	size_t                  ndocuments;
};
/* Loads what every wizard page shows. 0, or the status already answered (503). */
int csp_wizard_load(struct req *r, struct csp_wizard *w);
/* For a step's POST: loads, answers 403 (unverified, not enrolled) or 409
 * (not editable). 0 or the status. */
int csp_wizard_editable(struct req *r, struct csp_wizard *w);
/* Inside the step's transaction: creates the draft when there is none yet
 * (the first step stored creates it; a GET never writes). */
enum db_err csp_wizard_draft(struct req *r, struct csp_wizard *w);
/* One of the tenant's live IDs, by number (or, when partner_id is NULL, by row id). */
const struct partner_account *csp_wizard_account(const struct csp_wizard *w,
                                                 const char *partner_id, long long id);
/* The step shown: ?step=N when reachable, else the first one not done. */
int csp_wizard_step(struct req *r, const struct csp_app *c);
/* Every variable of the wizard page at step, with an optional posted form;
 * the caller adds what its answer shows and renders with csp_wizard_page. */
struct tvars *csp_wizard_begin(struct req *r, const struct csp_wizard *w, int step,
                               struct form *f);
int csp_wizard_page(struct req *r, int status, struct tvars *v);
/* The wizard at step, with an optional notice at the top of the page. */
int csp_wizard_render(struct req *r, int status, const struct csp_wizard *w, int step,
                      struct form *f, const char *notice);
/* After a step is stored: 303 to the wizard (with an optional query). */
int csp_step_saved(struct req *r, const char *step, const char *query);

/* ---- the business-profile wizard's frame (profile_frame.c) ---- */
struct profile_wizard {
	struct profile          p;         /* id 0 before the draft exists */
	struct partner_account *accounts;  /* the company's live IDs, the PGA first */
	size_t                  naccounts;
	bool                    enrolled;  /* in the partner program */
	bool                    active_csp;
	const char             *csp_region; /* the CSP market's region, NULL when none */
	const char            **taken;     /* countries other profiles of the company use */
	size_t                  ntaken;
};
/* Loads the company's IDs and CSP market, and the profile of the path
 * ({id}, with its lists; lock for the caller's transaction) when the route
 * has one: another company's, a deleted or an unknown profile is a 404.
 * 0, or the status already answered. */
int profile_wizard_load(struct req *r, struct profile_wizard *w, bool lock);
/* An active ID of the company by number, NULL when none. */
const struct partner_account *profile_wizard_account(const struct profile_wizard *w,
                                                     const char *partner_id);
bool profile_in_list(const char *const *list, size_t n, const char *s);
/* The countries where the company has an active location ID, each once, by name. */
const char **profile_location_countries(struct req *r, const struct profile_wizard *w, size_t *n);
/* The verdict on country as a publish location of w's profile (offered: the
 * countries above). */
enum profile_refusal profile_location_verdict(const struct profile_wizard *w,
                                              const char *const *offered, size_t noffered,
                                              const char *country);
/* The posted values of a repeated field, upper-cased (but sell_region), each once. */
const char **profile_posted_codes(struct req *r, const char *name, size_t *n);
/* The sentence (msgid) of a refusal. */
const char *profile_refusal_message(enum profile_refusal why);
/* Every variable of the wizard page at step ("type", "locations",
 * "markets", "content", "review"), with an optional posted form. */
struct tvars *profile_wizard_vars(struct req *r, const struct profile_wizard *w, const char *step,
                                  struct form *f);
int profile_wizard_page(struct req *r, int status, struct tvars *v);
/* After a step is stored: 303 to the next step. */
int profile_step_saved(struct req *r, const struct profile_wizard *w, const char *step,
                       const char *next);

/* ---- legacy profiles and their migration (migration.c) ---- */
struct migration_window;
/* The configured window ([migration] ga_date, window_days) and today (UTC). */
void migration_now(struct migration_window *w, long *today);
/* The banner's variables (mig_banner, mig_count, mig_days_left, the phase)
 * while the company has legacy profiles to migrate; -1 on a database error. */
int migration_banner_vars(struct req *r, struct tvars *v);
/* The wizard's ID, location and market steps of a legacy profile not
 * migrated (the ID step also once linked to the PGA) answer 303 to its
 * migration page; 0 when the step may go on. */
int profile_legacy_guard(struct req *r, const struct profile_wizard *w, bool type_step);
/* Which steps of the wizard a POST is: what profile_wizard_lock guards. */
enum profile_post { PROFILE_POST_ANY, PROFILE_POST_STEP, PROFILE_POST_TYPE };
/* For a POST that changes the profile of the path: opens the transaction,
 * loads the profile locked and, for the ID and type step (TYPE) or the
 * locations and markets steps (STEP), applies profile_legacy_guard. 0, or
 * the status already answered with the transaction rolled back. */
int profile_wizard_lock(struct req *r, struct profile_wizard *w, enum profile_post post);
/* The company's active IDs as the list "ids" of a radio group, the one
 * numbered chosen_id checked. */
void profile_id_choices(struct req *r, struct tvars *v, const struct profile_wizard *w,
                        const char *chosen_id);
int page_legacy_profiles(struct req *r);
int page_profile_migrate_form(struct req *r);
int page_profile_migrate(struct req *r);

int page_home(struct req *r);
int page_help(struct req *r);
int page_legal_notice(struct req *r);
int page_healthz(struct req *r);
int page_signup_form(struct req *r);
int page_signup_post(struct req *r);
int page_verify_email(struct req *r);
int page_verify_resend(struct req *r);
int page_signin_form(struct req *r);
int page_signin_post(struct req *r);
int page_signout(struct req *r);
/* Two-factor authentication: the account page (twofactor.c), the sign-in
 * step (twofactor_signin.c). */
int page_tfa(struct req *r);
int page_tfa_enable(struct req *r);
int page_tfa_recovery(struct req *r);
int page_tfa_disable(struct req *r);
int page_signin_tfa_form(struct req *r);
int page_signin_tfa_post(struct req *r);
/* "Your sessions" (sessions.c). */
int page_sessions(struct req *r);
int page_session_signout(struct req *r);
int page_sessions_signout_others(struct req *r);
int page_dashboard(struct req *r);
int page_users(struct req *r);
int page_users_invite(struct req *r);
int page_user_role(struct req *r);
int page_set_password_form(struct req *r);
int page_set_password_post(struct req *r);
/* Forgotten password and change of password (passwords.c). */
int page_password_forgot_form(struct req *r);
int page_password_forgot_post(struct req *r);
int page_password_reset_form(struct req *r);
int page_password_reset_post(struct req *r);
int page_password_change_form(struct req *r);
int page_password_change_post(struct req *r);
/* Partner program: enrollment and legal info (enroll.c), identifiers and locations (identifiers.c). */
int page_enroll_form(struct req *r);
int page_enroll_post(struct req *r);
int page_settings(struct req *r);
int page_account_settings(struct req *r);
int page_legal(struct req *r);
int page_legal_post(struct req *r);
int page_identifiers(struct req *r);
int page_locations(struct req *r);
int page_location_add(struct req *r);
int page_location_status(struct req *r);
int page_location_delete_form(struct req *r);
int page_location_delete(struct req *r);
/* CSP enrollment: the wizard (csp_wizard.c), its company and address steps
 * (csp_company.c), the answers to staff requests (csp_requests.c), staff
 * review (review_queue.c, review.c), pending actions (actions.c). */
int page_csp_enroll(struct req *r);
int page_csp_location(struct req *r);
int page_csp_company(struct req *r);
int page_csp_address(struct req *r);
int page_csp_contact(struct req *r);
int page_csp_submit(struct req *r);
int page_csp_document(struct req *r);
int page_csp_questionnaire(struct req *r);
int page_csp_document_download(struct req *r);
int page_review_queue(struct req *r);
int page_review_detail(struct req *r);
int page_review_action(struct req *r);
int page_review_document(struct req *r);
int page_actions(struct req *r);
int page_agreement(struct req *r);
int page_agreement_text(struct req *r);
/* Audit log (audit.c). */
int page_audit(struct req *r);
int page_audit_csv(struct req *r);
int page_staff_audit(struct req *r);
int page_staff_audit_csv(struct req *r);
/* The public directory: search, public profile pages, logos and the
 * contact form (directory.c). */
int page_directory(struct req *r);
int page_directory_profile(struct req *r);
int page_directory_logo(struct req *r);
int page_directory_contact(struct req *r);
int page_directory_contact_sent(struct req *r);
/* Domain claims, for staff admins (claims.c). */
int page_staff_claims(struct req *r);
int page_staff_claim_release(struct req *r);
/* Business profiles: the list, creation, review, publication and deletion
 * (profiles.c); the locations, markets and content steps (profile_steps.c,
 * profile_content.c). */
int page_profiles(struct req *r);
int page_profile_new_form(struct req *r);
int page_profile_new(struct req *r);
int page_profile_type_form(struct req *r);
int page_profile_type(struct req *r);
int page_profile_locations_form(struct req *r);
int page_profile_locations(struct req *r);
int page_profile_markets_form(struct req *r);
int page_profile_markets(struct req *r);
int page_profile_content_form(struct req *r);
int page_profile_content(struct req *r);
int page_profile_logo(struct req *r);
int page_profile_review(struct req *r);
int page_profile_publish(struct req *r);
int page_profile_delete_form(struct req *r);
int page_profile_delete(struct req *r);
/* Leads: the list with counts per status, its CSV, a lead with its
 * history, and accepting, declining, won and lost (leads.c). */
int page_leads(struct req *r);
int page_leads_csv(struct req *r);
int page_lead(struct req *r);
int page_lead_post(struct req *r);
/* CSP market, customers, offers and the eligibility check (csp_market.c). */
int page_csp_market(struct req *r);
int page_staff_market(struct req *r);
int page_customers(struct req *r);
int page_customers_add(struct req *r);
int page_offers(struct req *r);
int page_csp_eligibility(struct req *r);
int page_staff_eligibility(struct req *r);
/* Programs: the membership page and ISV Success (programs.c), Solutions
 * Partner designations and their purchase (designations.c). */
int page_membership(struct req *r);
int page_isv(struct req *r);
int page_isv_post(struct req *r);
int page_designations(struct req *r);
int page_designations_purchase(struct req *r);
#endif
