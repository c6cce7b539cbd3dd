/* CSP applications (draft, review, agreement), their documents and
 * questionnaire answers, and the cache of the remote services' answers. */
#ifndef PD_DB_CSP_H
#define PD_DB_CSP_H
#include <stdbool.h>
#include "db/db.h"
#include "domain/csp.h"

/* An address in parts (the D&B record's, the one typed, the standard form). */
struct csp_app {
	long long   id, tenant_id, partner_account_id;
	enum csp_status status; /* CSP_NONE: no application (a zeroed struct) */
	int         step;   /* last completed wizard step, 0–4 */
	enum csp_company_source company_source;
	const char *duns, *dnb_name, *dnb_match_grade, *dnb_status;
	int         dnb_confidence;
	const char *legal_name, *address_line1, *address_line2, *city, *region, *postal_code,
	    *country;
	enum csp_verdict     address_verdict;
	enum csp_address_use address_choice;
	const char *entered_address, *suggested_address;
	const char *contact_name, *contact_email, *contact_phone, *support_email, *support_phone;
	enum csp_model model;
	const char *billing_day, *tax_id, *lang;
	enum csp_request request_kind;
	const char *request_note, *decision_reason;
	const char *submitted_at, *decided_at, *created_at;
	long long   age_days; /* since submission (or creation) */
	/* joined */
	const char *tenant_name, *tenant_country, *partner_id;
	/* compared on the review page ("" / false on rows older than migration 013) */
	const char *entered_name;      /* the legal name typed, searched, or the account's */
	struct csp_address dnb_address; /* the D&B record's */
	struct csp_address entered_parts, std_parts; /* typed at the address step; standard form */
	bool has_entered_parts, has_std_parts;
};

enum db_err db_csp_get(struct arena *a, long long tenant_id, struct csp_app *out, bool *found);
enum db_err db_csp_get_by_id(struct arena *a, long long id, struct csp_app *out, bool *found);
/* Creates the tenant's draft when it has none (idempotent) and returns its id. */
enum db_err db_csp_ensure(struct arena *a, long long tenant_id, const char *lang, long long *id);
/* Each wizard step changes the application only while it is still in the
 * status `expected` the page read (and found editable); *changed false
 * otherwise (changed meanwhile). */
enum db_err db_csp_set_location(struct arena *a, long long id, enum csp_status expected,
                                long long partner_account_id, bool *changed);
enum db_err db_csp_set_company(struct arena *a, long long id, enum csp_status expected,
                               const struct csp_app *c, bool *changed);
enum db_err db_csp_set_address(struct arena *a, long long id, enum csp_status expected,
                               const struct csp_app *c, bool *changed);
enum db_err db_csp_set_contact(struct arena *a, long long id, enum csp_status expected,
                               const struct csp_app *c, bool *changed);
/* Applies a transition of the domain's table to an application still in
 * t->from; *changed false when it was not (changed meanwhile). Stores the
 * request left pending with its note, and the reason of a rejection. */
enum db_err db_csp_transition(struct arena *a, long long id, const struct csp_transition *t,
                              const char *note, bool *changed);
/* How many applications are in status, across tenants (staff only): the
 * navigation's count of applications waiting; an index-only count on ix_csp_status. */
enum db_err db_csp_count(struct arena *a, enum csp_status status, long long *n);
/* The queue's filters: CSP_NONE = every submitted status; "" = any country
 * (the company account's) or any name; days waiting between min and max. */
struct csp_queue_filter {
	enum csp_status status;
	const char *country, *text;
	long long min_days, max_days;
};
/* Queue for staff, oldest submission first (at most 500). */
enum db_err db_csp_queue(struct arena *a, const struct csp_queue_filter *f, struct csp_app **rows,
                         size_t *n);
/* The countries of the company accounts with a submitted application, sorted. */
enum db_err db_csp_queue_countries(struct arena *a, const char ***codes, size_t *n);

struct csp_document {
	long long   id, application_id, size;
	enum csp_document_type document_type;
	const char *filename, *content_type, *sha256, *storage_name, *uploaded_at;
};
enum db_err db_csp_document_add(struct arena *a, const struct csp_document *d, long long user_id,
                                long long *id);
enum db_err db_csp_documents(struct arena *a, long long application_id,
                             struct csp_document **rows, size_t *n);
enum db_err db_csp_document_get(struct arena *a, long long application_id, long long id,
                                struct csp_document *out, bool *found);

struct csp_answers {
	const char *answers_json, *answered_at;
};
enum db_err db_csp_answers_add(struct arena *a, long long application_id, const char *json,
                               long long user_id);
enum db_err db_csp_answers(struct arena *a, long long application_id, struct csp_answers **rows,
                           size_t *n);

/* The partner agreement as accepted: the version, the language and the
 * SHA-256 (hex) of the exact text shown ("" for acceptances older than
 * migration 012), who signed, from where and when (accepted_at as
 * "YYYY-MM-DD HH:MM UTC", read only). */
struct agreement_acceptance {
	const char *version, *language, *text_sha256, *signer_name, *signer_email, *ip;
	const char *accepted_at;
};
enum db_err db_agreement_add(struct arena *a, long long application_id, long long tenant_id,
                             const struct agreement_acceptance *acc, long long user_id);
/* The tenant's acceptance of application_id (0: of its latest accepted
 * application); *found false when none. */
enum db_err db_agreement_get(struct arena *a, long long tenant_id, long long application_id,
                             struct agreement_acceptance *out, bool *found);

/* Remote answers cache: key is a SHA-256 of the normalised query. */
enum db_err db_cache_get(struct arena *a, const char *service, const unsigned char key[32],
                         bool *hit, bool *found, const char **body);
enum db_err db_cache_put(struct arena *a, const char *service, const unsigned char key[32],
                         bool found, const char *body, long ttl_seconds);
#endif
