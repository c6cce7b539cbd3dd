#include "site/router.h"

#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "domain/twofactor.h"
#include "pages/pages.h"

static const struct route routes[] = {
    {HTTP_GET, "/", page_home, ACCESS_PUBLIC, false, false},
    {HTTP_GET, "/healthz", page_healthz, ACCESS_PUBLIC, false, true},
    {HTTP_GET, "/help", page_help, ACCESS_PUBLIC, false, false},
    {HTTP_GET, "/legal-notice", page_legal_notice, ACCESS_PUBLIC, false, false},
    {HTTP_GET, "/partners", page_directory, ACCESS_PUBLIC, false, false},
    {HTTP_GET, "/partners/{}", page_directory_profile, ACCESS_PUBLIC, false, false},
    {HTTP_GET, "/partners/{}/logo", page_directory_logo, ACCESS_PUBLIC, false, true},
    {HTTP_POST, "/partners/{}/contact", page_directory_contact, ACCESS_PUBLIC, true, false},
    {HTTP_GET, "/partners/{}/contact/sent", page_directory_contact_sent, ACCESS_PUBLIC, false,
     false},
    {HTTP_GET, "/signup", page_signup_form, ACCESS_PUBLIC, false, false},
    {HTTP_POST, "/signup", page_signup_post, ACCESS_PUBLIC, true, false},
    {HTTP_GET, "/verify-email", page_verify_email, ACCESS_PUBLIC, false, false},
    {HTTP_POST, "/verify-email/resend", page_verify_resend, ACCESS_PARTNER, true, false},
    {HTTP_GET, "/signin", page_signin_form, ACCESS_PUBLIC, false, false},
    {HTTP_POST, "/signin", page_signin_post, ACCESS_PUBLIC, true, false},
    {HTTP_POST, "/signout", page_signout, ACCESS_USER, true, false},
    {HTTP_GET, "/signin/2fa", page_signin_tfa_form, ACCESS_PUBLIC, false, false},
    {HTTP_POST, "/signin/2fa", page_signin_tfa_post, ACCESS_PUBLIC, true, false},
    {HTTP_GET, "/account/2fa", page_tfa, ACCESS_USER, false, false},
    {HTTP_POST, "/account/2fa", page_tfa_enable, ACCESS_USER, true, false},
    {HTTP_POST, "/account/2fa/recovery", page_tfa_recovery, ACCESS_USER, true, false},
    {HTTP_POST, "/account/2fa/disable", page_tfa_disable, ACCESS_USER, true, false},
    {HTTP_GET, "/account/sessions", page_sessions, ACCESS_USER, false, false},
    {HTTP_POST, "/account/sessions/signout-others", page_sessions_signout_others, ACCESS_USER,
     true, false},
    {HTTP_POST, "/account/sessions/{}/signout", page_session_signout, ACCESS_USER, true, false},
    {HTTP_GET, "/dashboard", page_dashboard, ACCESS_USER, false, false},
    {HTTP_GET, "/account/users", page_users, ACCESS_ADMIN, false, false},
    {HTTP_POST, "/account/users", page_users_invite, ACCESS_ADMIN, true, false},
    {HTTP_POST, "/account/users/{}/roles", page_user_role, ACCESS_ADMIN, true, false},
    {HTTP_GET, "/enroll", page_enroll_form, ACCESS_ADMIN, false, false},
    {HTTP_POST, "/enroll", page_enroll_post, ACCESS_ADMIN, true, false},
    {HTTP_GET, "/settings", page_settings, ACCESS_PARTNER, false, false},
    {HTTP_GET, "/settings/account", page_account_settings, ACCESS_PARTNER, false, false},
    {HTTP_GET, "/account/legal", page_legal, ACCESS_PARTNER, false, false},
    {HTTP_POST, "/account/legal", page_legal_post, ACCESS_ADMIN, true, false},
    {HTTP_GET, "/account/identifiers", page_identifiers, ACCESS_ADMIN, false, false},
    {HTTP_GET, "/account/locations", page_locations, ACCESS_ADMIN, false, false},
    {HTTP_POST, "/account/locations", page_location_add, ACCESS_ADMIN, true, false},
    {HTTP_POST, "/account/locations/{}/status", page_location_status, ACCESS_ADMIN, true, false},
    {HTTP_GET, "/account/locations/{}/delete", page_location_delete_form, ACCESS_ADMIN, false,
     false},
    {HTTP_POST, "/account/locations/{}/delete", page_location_delete, ACCESS_ADMIN, true, false},
    {HTTP_GET, "/csp/enroll", page_csp_enroll, ACCESS_GLOBAL_ADMIN, false, false},
    {HTTP_POST, "/csp/enroll/location", page_csp_location, ACCESS_GLOBAL_ADMIN, true, false},
    {HTTP_POST, "/csp/enroll/company", page_csp_company, ACCESS_GLOBAL_ADMIN, true, false},
    {HTTP_POST, "/csp/enroll/address", page_csp_address, ACCESS_GLOBAL_ADMIN, true, false},
    {HTTP_POST, "/csp/enroll/contact", page_csp_contact, ACCESS_GLOBAL_ADMIN, true, false},
    {HTTP_POST, "/csp/enroll/submit", page_csp_submit, ACCESS_GLOBAL_ADMIN, true, false},
    {HTTP_POST, "/csp/enroll/document", page_csp_document, ACCESS_GLOBAL_ADMIN, true, false},
    {HTTP_POST, "/csp/enroll/questionnaire", page_csp_questionnaire, ACCESS_GLOBAL_ADMIN, true,
     false},
    {HTTP_GET, "/csp/enroll/documents/{}", page_csp_document_download, ACCESS_GLOBAL_ADMIN,
     false, false},
    {HTTP_GET, "/profiles", page_profiles, ACCESS_PROFILE_ADMIN, false, false},
    {HTTP_GET, "/profiles/migrate", page_legacy_profiles, ACCESS_PROFILE_ADMIN, false, false},
    {HTTP_GET, "/profiles/{}/migrate", page_profile_migrate_form, ACCESS_PROFILE_ADMIN, false,
     false},
    {HTTP_POST, "/profiles/{}/migrate", page_profile_migrate, ACCESS_PROFILE_ADMIN, true, false},
    {HTTP_GET, "/profiles/new", page_profile_new_form, ACCESS_PROFILE_ADMIN, false, false},
    {HTTP_POST, "/profiles/new", page_profile_new, ACCESS_PROFILE_ADMIN, true, false},
    {HTTP_GET, "/profiles/{}/type", page_profile_type_form, ACCESS_PROFILE_ADMIN, false, false},
    {HTTP_POST, "/profiles/{}/type", page_profile_type, ACCESS_PROFILE_ADMIN, true, false},
    {HTTP_GET, "/profiles/{}/locations", page_profile_locations_form, ACCESS_PROFILE_ADMIN, false,
     false},
    {HTTP_POST, "/profiles/{}/locations", page_profile_locations, ACCESS_PROFILE_ADMIN, true,
     false},
    {HTTP_GET, "/profiles/{}/markets", page_profile_markets_form, ACCESS_PROFILE_ADMIN, false,
     false},
    {HTTP_POST, "/profiles/{}/markets", page_profile_markets, ACCESS_PROFILE_ADMIN, true, false},
    {HTTP_GET, "/profiles/{}/content", page_profile_content_form, ACCESS_PROFILE_ADMIN, false,
     false},
    {HTTP_POST, "/profiles/{}/content", page_profile_content, ACCESS_PROFILE_ADMIN, true, false},
    {HTTP_GET, "/profiles/{}/logo", page_profile_logo, ACCESS_PROFILE_ADMIN, false, false},
    {HTTP_GET, "/profiles/{}/review", page_profile_review, ACCESS_PROFILE_ADMIN, false, false},
    {HTTP_POST, "/profiles/{}/publish", page_profile_publish, ACCESS_PROFILE_ADMIN, true, false},
    {HTTP_GET, "/profiles/{}/delete", page_profile_delete_form, ACCESS_PROFILE_ADMIN, false,
     false},
    {HTTP_POST, "/profiles/{}/delete", page_profile_delete, ACCESS_PROFILE_ADMIN, true, false},
    {HTTP_GET, "/leads", page_leads, ACCESS_LEADS, false, false},
    {HTTP_GET, "/leads.csv", page_leads_csv, ACCESS_LEADS, false, false},
    {HTTP_GET, "/leads/{}", page_lead, ACCESS_LEADS, false, false},
    {HTTP_POST, "/leads/{}", page_lead_post, ACCESS_LEADS, true, false},
    {HTTP_GET, "/csp/market", page_csp_market, ACCESS_GLOBAL_ADMIN, false, false},
    {HTTP_GET, "/customers", page_customers, ACCESS_GLOBAL_ADMIN, false, false},
    {HTTP_POST, "/customers", page_customers_add, ACCESS_GLOBAL_ADMIN, true, false},
    {HTTP_GET, "/offers", page_offers, ACCESS_USER, false, false},
    {HTTP_GET, "/csp/eligibility", page_csp_eligibility, ACCESS_GLOBAL_ADMIN, false, false},
    {HTTP_GET, "/staff/market", page_staff_market, ACCESS_STAFF, false, false},
    {HTTP_GET, "/staff/eligibility", page_staff_eligibility, ACCESS_STAFF, false, false},
    {HTTP_GET, "/membership", page_membership, ACCESS_ADMIN, false, false},
    {HTTP_GET, "/membership/designations", page_designations, ACCESS_ADMIN, false, false},
    {HTTP_POST, "/membership/designations/purchase", page_designations_purchase, ACCESS_ADMIN,
     true, false},
    {HTTP_GET, "/membership/isv", page_isv, ACCESS_ADMIN, false, false},
    {HTTP_POST, "/membership/isv", page_isv_post, ACCESS_ADMIN, true, false},
    {HTTP_GET, "/actions", page_actions, ACCESS_PARTNER, false, false},
    {HTTP_POST, "/actions/agreement", page_agreement, ACCESS_GLOBAL_ADMIN, true, false},
    {HTTP_GET, "/agreement/{}", page_agreement_text, ACCESS_PUBLIC, false, false},
    {HTTP_GET, "/review", page_review_queue, ACCESS_STAFF, false, false},
    {HTTP_GET, "/review/{}", page_review_detail, ACCESS_STAFF, false, false},
    {HTTP_POST, "/review/{}", page_review_action, ACCESS_STAFF, true, false},
    {HTTP_GET, "/review/{}/documents/{}", page_review_document, ACCESS_STAFF, false, false},
    {HTTP_GET, "/account/audit", page_audit, ACCESS_GLOBAL_ADMIN, false, false},
    {HTTP_GET, "/account/audit.csv", page_audit_csv, ACCESS_GLOBAL_ADMIN, false, false},
    {HTTP_GET, "/staff/audit", page_staff_audit, ACCESS_STAFF, false, false},
    {HTTP_GET, "/staff/audit.csv", page_staff_audit_csv, ACCESS_STAFF, false, false},
    {HTTP_GET, "/staff/claims", page_staff_claims, ACCESS_STAFF_ADMIN, false, false},
    {HTTP_POST, "/staff/claims/{}/release", page_staff_claim_release, ACCESS_STAFF_ADMIN, true,
     false},
    {HTTP_GET, "/set-password", page_set_password_form, ACCESS_PUBLIC, false, false},
    {HTTP_POST, "/set-password", page_set_password_post, ACCESS_PUBLIC, true, false},
    {HTTP_GET, "/password/forgot", page_password_forgot_form, ACCESS_PUBLIC, false, false},
    {HTTP_POST, "/password/forgot", page_password_forgot_post, ACCESS_PUBLIC, true, false},
    {HTTP_GET, "/password/reset", page_password_reset_form, ACCESS_PUBLIC, false, false},
    {HTTP_POST, "/password/reset", page_password_reset_post, ACCESS_PUBLIC, true, false},
    {HTTP_GET, "/account/password", page_password_change_form, ACCESS_USER, false, false},
    {HTTP_POST, "/account/password", page_password_change_post, ACCESS_USER, true, false},
};

int
route_match(const char *pattern, const char *path, const char **params, struct arena *a)
{
	int np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (p[0] == '{' && p[1] == '}') {
			const char *end = strchr(s, '/');
			size_t len = end ? (size_t)(end - s) : strlen(s);
			if (len == 0 || np >= REQ_MAX_PARAMS)
				return -1;
			if (params)
				params[np] = arena_strndup(a, s, len);
			np++;
			p += 2;
			s += len;
			continue;
		}
		if (*p != *s)
			return -1;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0' ? 0 : -1;
}

/* The routes open to a user who must enrol in two-factor authentication. */
static bool
enrolment_route(const struct route *rt)
{
	return rt->handler == page_tfa || rt->handler == page_tfa_enable ||
	       rt->handler == page_signout;
}

void
router_dispatch(struct req *r)
{
	const struct route *found = NULL;
	bool path_known = false;
	const char *params[REQ_MAX_PARAMS] = {0};
	enum http_method m = r->method == HTTP_HEAD ? HTTP_GET : r->method;
	for (size_t i = 0; i < sizeof(routes) / sizeof(*routes); i++) {
		/* A pattern that fails half-way leaves its parameters behind. */
		memset(params, 0, sizeof(params));
		if (route_match(routes[i].pattern, r->path, params, r->a) != 0)
			continue;
		path_known = true;
		if (routes[i].method == m) {
			found = &routes[i];
			memcpy(r->params, params, sizeof(params));
			break;
		}
	}
	if ((found == NULL || !found->no_session) && session_load(r) != 0) {
		page_error(r, 503);
		return;
	}
	if (found == NULL) {
		if (path_known) {
			resp_header(r, "Allow", "GET, HEAD, POST");
			page_error(r, 405);
		} else {
			page_error(r, 404);
		}
		return;
	}
	if (found->access != ACCESS_PUBLIC && r->user == NULL) {
		resp_redirect(r, "/signin");
		return;
	}
	/* Staff who must enrol in two-factor authentication reach nothing else. */
	if (r->user && !enrolment_route(found) &&
	    tfa_need(r->user->roles, r->user->tfa_enabled, r->user->tfa_due_passed) ==
	        TFA_ENROL_NOW) {
		resp_redirect(r, "/account/2fa");
		return;
	}
	if (!access_allows(r->user, found->access)) {
		page_error(r, 404);
		return;
	}
	if (found->csrf && !csrf_valid(r)) {
		page_error(r, 403);
		return;
	}
	found->handler(r);
}
