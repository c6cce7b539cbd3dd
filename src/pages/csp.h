/* What the CSP pages share: the wizard (csp_enroll.c), staff review
 * (review.c) and the pending actions (actions.c). */
#ifndef PD_PAGES_CSP_H
#define PD_PAGES_CSP_H
#include "db/csp.h"
#include "pages/pages.h"

#define CSP_QUESTIONS 3
/* The partner agreement accepted after approval (our placeholder for the
 * vendor's Microsoft Partner Agreement, DOMAIN §3.8). */
#define CSP_AGREEMENT_VERSION "MPA-2026-01"

extern const char *const csp_questions[CSP_QUESTIONS];
extern const char *const csp_document_types[];

const char *csp_status_label(enum lang lang, const char *status);
const char *csp_document_type_label(enum lang lang, const char *type);
const char *csp_verdict_label(enum lang lang, const char *verdict);
const char *csp_address_line(struct arena *a, const char *line1, const char *line2,
                             const char *city, const char *region, const char *postal,
                             const char *country);
/* True when addresses of country go through the address service. */
bool csp_address_validated_in(const char *country);
/* PDF, PNG or JPEG by magic bytes; NULL otherwise. */
const char *csp_sniff(const unsigned char *head, size_t n);
/* Emails the primary contact about the application, in its language; kind
 * is submitted, approved, rejected, document or questionnaire. */
int csp_mail(struct req *r, const struct csp_app *c, const char *kind, const char *note);
int csp_send_document(struct req *r, const struct csp_document *d);
#endif
