/* Page handlers, one file per area. Each returns the HTTP status it set. */
#ifndef PD_PAGES_H
#define PD_PAGES_H
#include "app/app.h"

#define NFIELDS(a) (sizeof(a) / sizeof(*(a)))

/* Fills the list "countries" of a country <select> (code, name, selected). */
void country_options(struct req *r, struct tvars *v, const char *selected);
/* The country's name in the request's language (the code when unknown). */
const char *country_label(struct req *r, const char *code);

int page_home(struct req *r);
int page_healthz(struct req *r);
int page_signup_form(struct req *r);
int page_signup_post(struct req *r);
int page_verify_email(struct req *r);
int page_verify_resend(struct req *r);
int page_signin_form(struct req *r);
int page_signin_post(struct req *r);
int page_signout(struct req *r);
int page_dashboard(struct req *r);
int page_users(struct req *r);
int page_users_invite(struct req *r);
int page_user_role(struct req *r);
int page_set_password_form(struct req *r);
int page_set_password_post(struct req *r);
/* Partner program (partners.c). */
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
/* CSP enrollment (csp_enroll.c), staff review (review.c), actions (actions.c). */
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
/* Audit log (audit.c). */
int page_audit(struct req *r);
int page_audit_csv(struct req *r);
int page_staff_audit(struct req *r);
int page_staff_audit_csv(struct req *r);
#endif
