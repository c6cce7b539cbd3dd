/* CSP enrollment (DOMAIN §3): the application's states and the table of
 * allowed transitions, the wizard's steps, the eligibility of a location, the
 * company and address rules, and the billing rules of the direct-bill model.
 * Pure: the caller gathers the facts and stores the outcome. */
#ifndef PD_DOMAIN_CSP_H
#define PD_DOMAIN_CSP_H
#include <stdbool.h>
#include <stddef.h>

#include "domain/partners.h"

/* The partner agreement accepted after approval (DOMAIN §3.8): our own
 * text, one file per version and language, www/agreements/
 * partner-agreement-VERSION.LANG.txt. A new text is a new version. */
#define CSP_AGREEMENT_VERSION "2026-12"
#define CSP_STEPS 5 /* location, company, address, contacts and model, review */
#define CSP_QUESTIONS 3

/* CSP_NONE: the tenant has no application yet (shown "not_enrolled"). */
enum csp_status {
	CSP_NONE,
	CSP_DRAFT,
	CSP_PENDING_REVIEW,
	CSP_INFO_REQUESTED,
	CSP_APPROVED,
	CSP_REJECTED,
	CSP_ACTIVE,
	CSP_STATUS__MAX
};
enum csp_action {
	CSP_SAVE_STEP,             /* a wizard step stored */
	CSP_SUBMIT,
	CSP_REQUEST_DOCUMENT,
	CSP_REQUEST_QUESTIONNAIRE,
	CSP_SEND_DOCUMENT,
	CSP_ANSWER_QUESTIONNAIRE,
	CSP_APPROVE,
	CSP_REJECT,
	CSP_ACCEPT_AGREEMENT,
	CSP_ACTION__MAX
};
enum csp_actor { CSP_BY_PARTNER, CSP_BY_STAFF };
/* What staff asked for while the application is info_requested. */
enum csp_request { CSP_ASKS_NONE, CSP_ASKS_DOCUMENT, CSP_ASKS_QUESTIONNAIRE, CSP_REQUEST__MAX };
/* Which date a transition records. */
enum csp_stamp { CSP_STAMP_NONE, CSP_STAMP_SUBMITTED, CSP_STAMP_DECIDED };

struct csp_transition {
	enum csp_status  from;
	enum csp_action  action;
	enum csp_status  to;
	enum csp_actor   who;
	enum csp_request needs;   /* the pending request the action answers (NONE: any) */
	enum csp_request request; /* the request left pending after it */
	enum csp_stamp   stamp;
};
/* The transition for action from `from` with `pending` asked for, or NULL
 * when the action does not apply in that status. */
const struct csp_transition *csp_next(enum csp_status from, enum csp_action action,
                                      enum csp_request pending);
/* Every row of the table (for tests and documentation); *n receives the count. */
const struct csp_transition *csp_transitions(size_t *n);
/* The wizard's steps may change the application (draft, or rejected and being corrected). */
bool csp_editable(enum csp_status s);
/* Staff may still decide (approve, reject, ask for more). */
bool csp_decidable(enum csp_status s);
/* The application links its location ID (a submitted one, not rejected: DOMAIN §2). */
bool csp_links_location(enum csp_status s);

const char *csp_status_code(enum csp_status s);
int csp_status_parse(const char *s);
const char *csp_status_label(enum csp_status s); /* msgid */
const char *csp_action_code(enum csp_action a);  /* "approve", "request_document", … */
int csp_action_parse(const char *s);
const char *csp_action_label(enum csp_action a); /* msgid of a staff decision */
/* The decisions staff choose from, in the order shown (NULL-terminated codes). */
extern const char *const csp_decision_codes[];
const char *csp_request_code(enum csp_request r); /* "" for none */
int csp_request_parse(const char *s);             /* "" → none */

/* What waits for the partner's global admin (the dashboard's pending
 * actions): the agreement after approval, or the document or questionnaire
 * staff asked for. By the transition table: an action waits when the
 * partner may take it now. */
enum csp_wait { CSP_WAIT_NONE, CSP_WAIT_AGREEMENT, CSP_WAIT_DOCUMENT, CSP_WAIT_QUESTIONNAIRE };
enum csp_wait csp_waiting(enum csp_status s, enum csp_request pending);

/* The emails an application's transitions send to its primary contact. */
enum csp_mail_kind {
	CSP_MAIL_NONE, /* the transition sends no email */
	CSP_MAIL_SUBMITTED,
	CSP_MAIL_DOCUMENT,
	CSP_MAIL_QUESTIONNAIRE,
	CSP_MAIL_APPROVED,
	CSP_MAIL_REJECTED,
	CSP_MAIL__MAX
};
enum csp_mail_kind csp_mail_kind_of(const struct csp_transition *t);
/* The part of mail_csp.xhtml shown ("submitted", "document", …; "" for none). */
const char *csp_mail_code(enum csp_mail_kind k);
/* The subject (msgid, {1} = the company), one of its own per kind. */
const char *csp_mail_subject(enum csp_mail_kind k);

/* The wizard's step to show: `asked` (1..5, 0 = none) when reachable, else
 * the first one not done. `done` is the last completed step (0..4). */
int csp_step_shown(int done, int asked);

/* Company information (DOMAIN §3.3). */
enum csp_company_source { CSP_SOURCE_LOOKUP, CSP_SOURCE_DUNS, CSP_SOURCE_MANUAL, CSP_SOURCE__MAX };
const char *csp_source_code(enum csp_company_source s);
int csp_source_parse(const char *s);
const char *csp_source_label(enum csp_company_source s); /* msgid, for the reviewer */

/* A DUNS number: 9 digits, dashes and spaces ignored, no check digit
 * (research §1.8). Writes the digits into out[10]; false when not 9 digits. */
bool csp_duns_normalize(const char *in, char out[10]);

/* CSP location eligibility (DOMAIN §3.2): an active location ID in the
 * tenant's country. */
enum csp_location_verdict {
	CSP_LOCATION_OK,
	CSP_LOCATION_NOT_LOCATION, /* unknown, deleted, or the global ID */
	CSP_LOCATION_INACTIVE,
	CSP_LOCATION_OTHER_COUNTRY,
	CSP_LOCATION__MAX
};
enum csp_location_verdict csp_location_check(enum partner_kind kind, enum partner_status status,
                                             const char *country, const char *tenant_country);

/* Address validation (DOMAIN §3.4). */
enum csp_verdict {
	CSP_VERDICT_NOT_CHECKED, /* no validation in this country */
	CSP_VERDICT_VERIFIED,      /* found and deliverable as entered */
	CSP_VERDICT_CORRECTED,     /* its standard form differs; the choice says which is kept */
	CSP_VERDICT_NEEDS_UNIT,    /* the suite or apartment is missing or not confirmed */
	CSP_VERDICT_AMBIGUOUS,     /* several addresses match */
	CSP_VERDICT_NOT_FOUND,
	CSP_VERDICT_UNVERIFIED,    /* the service was unavailable */
	CSP_VERDICT_UNDELIVERABLE, /* known, but mail is not delivered there */
	CSP_VERDICT_REFUSED,       /* the service refused the request */
	CSP_VERDICT__MAX
};
const char *csp_verdict_code(enum csp_verdict v);
int csp_verdict_parse(const char *s);
const char *csp_verdict_label(enum csp_verdict v); /* msgid */

/* What the address service said, as the rule needs it. */
enum csp_address_check {
	CSP_CHECK_UNAVAILABLE,
	CSP_CHECK_CONFIRMED, /* found and deliverable (standard form in hand) */
	CSP_CHECK_NEEDS_UNIT,
	CSP_CHECK_UNDELIVERABLE,
	CSP_CHECK_AMBIGUOUS,
	CSP_CHECK_NOT_FOUND,
	CSP_CHECK_REFUSED,
};
enum csp_address_use { CSP_USE_UNSAID, CSP_USE_SUGGESTED, CSP_USE_ENTERED };
enum csp_address_next {
	CSP_ADDRESS_STORE,   /* store with verdict and choice */
	CSP_ADDRESS_SUGGEST, /* show both, the partner chooses */
	CSP_ADDRESS_REFUSE,  /* not usable as is: say why, offer to keep it */
};
struct csp_address_outcome {
	enum csp_address_next next;
	enum csp_verdict      verdict;       /* for STORE, and the reason of REFUSE */
	bool                  use_suggested; /* for STORE: store the standardised address */
};
/* The rule of DOMAIN §3.4: `same` when the standardised address equals the
 * entered one. */
struct csp_address_outcome csp_address_decide(enum csp_address_check check, bool same,
                                              enum csp_address_use use);
/* A US address as the address service takes it (research §2.2): region a
 * state code or name (→ its code), postal_code empty or a ZIP Code or
 * ZIP+4 (→ "NNNNN" or "NNNNN-NNNN"). */
enum csp_us_address { CSP_US_OK, CSP_US_BAD_STATE, CSP_US_BAD_ZIP };
enum csp_us_address csp_us_address_normalize(const char *region, const char *postal_code,
                                             const char **state, char postal[11]);
/* True when country is in the comma/space separated list (case-insensitive). */
bool csp_country_in_list(const char *list, const char *country);

/* CSP models (DOMAIN §3.5). */
enum csp_model { CSP_MODEL_INDIRECT_RESELLER, CSP_MODEL_DIRECT_BILL, CSP_MODEL__MAX };
const char *csp_model_code(enum csp_model m);
int csp_model_parse(const char *s);
const char *csp_model_label(enum csp_model m); /* msgid */
extern const char *const csp_model_codes[CSP_MODEL__MAX + 1]; /* NULL-terminated, for forms */

/* Direct bill: a billing day 1–28 (every month has it) and a tax ID of 4 to
 * 20 letters, digits, spaces, dashes and dots (our rule). */
#define CSP_BILLING_DAY_MIN 1
#define CSP_BILLING_DAY_MAX 28
#define CSP_TAX_ID_MIN 4
#define CSP_TAX_ID_MAX 20
bool csp_billing_day_valid(const char *day);
bool csp_tax_id_valid(const char *tax_id);

/* Documents staff may ask for. */
enum csp_document_type {
	CSP_DOC_BUSINESS_REGISTRATION,
	CSP_DOC_TAX_CERTIFICATE,
	CSP_DOC_PROOF_OF_ADDRESS,
	CSP_DOC_OTHER,
	CSP_DOC__MAX
};
const char *csp_document_type_code(enum csp_document_type t);
int csp_document_type_parse(const char *s);
const char *csp_document_type_label(enum csp_document_type t); /* msgid */
extern const char *const csp_document_type_codes[CSP_DOC__MAX + 1]; /* NULL-terminated */
/* PDF, PNG or JPEG by magic bytes: the media type, or NULL. */
const char *csp_document_sniff(const unsigned char *head, size_t n);
/* True for a name that can be an agreement version (and part of its file
 * name): 1–40 letters, digits, dots and dashes, starting with a letter or
 * a digit. */
bool csp_agreement_version_ok(const char *version);

/* An address as the DUNS candidates and the company's legal data give it. */
struct csp_address {
	const char *line1, *city, *postal_code, *country;
};
/* True when two addresses are the same place: the same country, and the
 * street, city and postal code equal once normalised (case, accents of
 * Latin-1 letters, punctuation and spacing ignored; common street words
 * abbreviated: STREET = ST, AVENUE = AVE, …; a US ZIP+4 compared by its
 * ZIP). An empty street or city never matches. */
bool csp_address_matches(const struct csp_address *a, const struct csp_address *b);

/* The questionnaire (msgids). */
extern const char *const csp_questions[CSP_QUESTIONS];
#endif
