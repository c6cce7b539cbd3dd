/* The business rules of src/domain/ (DOMAIN §1–§3) as tables of cases:
 * one row per rule and boundary. Each table row is one TAP test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/totp.h"
#include "core/us_postal.h"
#include "domain/accounts.h"
#include "domain/address.h"
#include "domain/audit_text.h"
#include "domain/csp.h"
#include "domain/designations.h"
#include "domain/directory.h"
#include "domain/eligibility.h"
#include "domain/leads.h"
#include "domain/migration.h"
#include "domain/partners.h"
#include "domain/passwords.h"
#include "domain/profiles.h"
#include "domain/profile_content.h"
#include "domain/review.h"
#include "domain/roles.h"
#include "domain/throttle.h"
#include "domain/twofactor.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof(*(a)))
#define R(x) ROLE_BIT(ROLE_##x)

/* ---- roles (DOMAIN §1, §2 "Roles") ---- */

static void
test_roles(void)
{
	for (int i = 0; i < ROLE__MAX; i++)
		is_int(role_parse(role_name((enum role)i)), i, "role %s round-trips", role_name(i));
	ok(role_parse("owner") == -1 && role_parse(NULL) == -1 && *role_name(ROLE__MAX) == '\0',
	   "unknown role codes are refused");

	static const struct {
		unsigned in, out;
		const char *why;
	} norm[] = {
	    {R(MEMBER), R(MEMBER), "member alone stays member"},
	    {R(MEMBER) | R(PROFILE_ADMIN), R(PROFILE_ADMIN), "member with another role is that role"},
	    {R(GLOBAL_ADMIN) | R(REFERRAL_ADMIN), R(GLOBAL_ADMIN) | R(REFERRAL_ADMIN),
	     "several roles are kept"},
	    {0, 0, "no role stays none"},
	};
	for (size_t i = 0; i < N(norm); i++)
		is_int(roles_normalize(norm[i].in), norm[i].out, "normalize: %s", norm[i].why);

#define X ROLE_REFUSAL__MAX /* no refusal */
	static const struct {
		struct role_change c;
		enum role_refusal first; /* X: allowed */
		size_t n;
		const char *why;
	} cases[] = {
	    {{R(GLOBAL_ADMIN), false, R(MEMBER), R(GLOBAL_ADMIN), 0}, X, 0,
	     "a global admin makes someone a global admin"},
	    {{R(ACCOUNT_ADMIN), false, R(MEMBER), R(GLOBAL_ADMIN), 0}, ROLE_REFUSE_GRANT_GLOBAL, 1,
	     "an account admin cannot grant global admin"},
	    {{R(ACCOUNT_ADMIN), false, R(GLOBAL_ADMIN), R(GLOBAL_ADMIN) | R(MEMBER), 0},
	     ROLE_REFUSE_CHANGE_GLOBAL, 1, "an account admin cannot change a global admin"},
	    {{R(ACCOUNT_ADMIN), false, R(GLOBAL_ADMIN), R(MEMBER), 0}, ROLE_REFUSE_CHANGE_GLOBAL, 1,
	     "nor demote one"},
	    {{R(ACCOUNT_ADMIN), false, R(MEMBER), R(PROFILE_ADMIN), 0}, X, 0,
	     "an account admin changes a member's roles"},
	    {{R(GLOBAL_ADMIN), true, R(GLOBAL_ADMIN), R(ACCOUNT_ADMIN), 0}, ROLE_REFUSE_OWN_GLOBAL, 1,
	     "a global admin cannot drop their own global admin role"},
	    {{R(GLOBAL_ADMIN), true, R(GLOBAL_ADMIN), R(GLOBAL_ADMIN) | R(REFERRAL_ADMIN), 0}, X, 0,
	     "a global admin may add roles to themselves"},
	    {{R(ACCOUNT_ADMIN), true, R(ACCOUNT_ADMIN), R(MEMBER), 0}, ROLE_REFUSE_OWN_ACCOUNT_ADMIN,
	     1, "an account admin cannot drop their own account admin role"},
	    {{R(ACCOUNT_ADMIN), true, R(ACCOUNT_ADMIN), R(ACCOUNT_ADMIN) | R(PROFILE_ADMIN), 0}, X,
	     0, "an account admin may keep account admin and add roles"},
	    {{R(GLOBAL_ADMIN), false, R(MEMBER), 0, 0}, ROLE_REFUSE_NONE_CHOSEN, 1,
	     "at least one role"},
	    {{R(GLOBAL_ADMIN), false, R(MEMBER), R(PROFILE_ADMIN), 2}, ROLE_REFUSE_SCOPE_NOT_REFERRAL,
	     1, "partner IDs scope only a referral admin"},
	    {{R(GLOBAL_ADMIN), false, R(MEMBER), R(REFERRAL_ADMIN), 2}, X, 0,
	     "a referral admin scoped to two IDs"},
	    {{R(GLOBAL_ADMIN), false, R(MEMBER), R(REFERRAL_ADMIN), 0}, X, 0,
	     "a referral admin scoped to all IDs (none named)"},
	    {{R(ACCOUNT_ADMIN), true, R(ACCOUNT_ADMIN), 0, 1}, ROLE_REFUSE_NONE_CHOSEN, 3,
	     "every broken rule is reported (none chosen, scope, own role)"},
	};
	for (size_t i = 0; i < N(cases); i++) {
		enum role_refusal out[ROLE_REFUSAL__MAX];
		size_t n = role_change_check(&cases[i].c, out);
		ok(n == cases[i].n && (n == 0 || out[0] == cases[i].first), "role change: %s",
		   cases[i].why);
	}
#undef X
}

/* ---- access to pages, sign-up and sign-in (DOMAIN §1) ---- */

static void
test_access(void)
{
	static const struct user global = {.id = 1, .tenant_id = 7, .verified = true,
	                                   .roles = R(GLOBAL_ADMIN)},
	                         account = {.id = 2, .tenant_id = 7, .roles = R(ACCOUNT_ADMIN)},
	                         member = {.id = 3, .tenant_id = 7, .roles = R(MEMBER)},
	                         referral = {.id = 4, .tenant_id = 7, .roles = R(REFERRAL_ADMIN)},
	                         reviewer = {.id = 5, .tenant_id = 0, .roles = R(REVIEWER)},
	                         staff_admin = {.id = 6, .tenant_id = 0, .roles = R(STAFF_ADMIN)},
	                         profiles = {.id = 8, .tenant_id = 7, .roles = R(PROFILE_ADMIN)};
	static const struct {
		const struct user *u;
		const char *who;
		/* public, user, partner, admin, global admin, profile admin, leads, staff, staff admin */
		bool allows[ACCESS__MAX];
	} cases[] = {
	    {NULL, "signed out", {true, false, false, false, false, false, false, false, false}},
	    {&global, "global admin", {true, true, true, true, true, true, true, false, false}},
	    {&account, "account admin", {true, true, true, true, false, false, false, false, false}},
	    {&member, "member", {true, true, true, false, false, false, false, false, false}},
	    {&referral, "referral admin", {true, true, true, false, false, false, true, false, false}},
	    {&profiles, "profile admin", {true, true, true, false, false, true, false, false, false}},
	    {&reviewer, "reviewer", {true, true, false, false, false, false, false, true, false}},
	    {&staff_admin, "staff admin", {true, true, false, false, false, false, false, true, true}},
	};
	for (size_t i = 0; i < N(cases); i++) {
		bool same = true;
		for (int a = 0; a < ACCESS__MAX; a++)
			same = same && access_allows(cases[i].u, a) == cases[i].allows[a];
		ok(same, "access of a %s to public, user, partner, admin, global admin, profile admin, "
		   "leads, staff and staff admin pages",
		   cases[i].who);
	}

	/* A domain's claim (issue 10): verified for good, unverified until the
	 * link's 48 h have passed. */
	const long long H = 3600, LIFE = CLAIM_UNVERIFIED_SECONDS;
	static const struct {
		struct domain_claim c;
		enum claim_verdict want;
		bool releasable;
		const char *why;
	} claims[] = {
	    {{false, false, 0}, CLAIM_FREE, false, "no claim: the domain is free"},
	    {{true, true, 0}, CLAIM_HELD, false, "a verified tenant holds its domain"},
	    {{true, true, 400 * 24 * 3600}, CLAIM_HELD, false, "… whatever its age: never taken over"},
	    {{true, false, 0}, CLAIM_PENDING, true, "an unverified claim just made is pending"},
	    {{true, false, 47 * 3600}, CLAIM_PENDING, true, "… still pending at 47 h"},
	    {{true, false, 48 * 3600 - 1}, CLAIM_PENDING, true, "… and one second before 48 h"},
	    {{true, false, 48 * 3600}, CLAIM_STALE, true, "at 48 h exactly it has expired"},
	    {{true, false, 30 * 24 * 3600}, CLAIM_STALE, true, "… and stays expired"},
	};
	ok(LIFE == 48 * H && LIFE == VERIFY_TOKEN_SECONDS,
	   "a claim lasts as long as the verification link: 48 h");
	for (size_t i = 0; i < N(claims); i++) {
		is_int(claim_check(&claims[i].c), claims[i].want, "claim: %s", claims[i].why);
		ok(claim_releasable(&claims[i].c) == claims[i].releasable, "staff release: %s",
		   claims[i].why);
	}
	ok(strcmp(claim_verdict_code(CLAIM_PENDING), "pending") == 0 &&
	       strcmp(claim_verdict_code(CLAIM_STALE), "expired") == 0 &&
	       claim_verdict_parse("held") == CLAIM_HELD && claim_verdict_parse("gone") == -1,
	   "claim states as staff pages show them (data-state)");
	static const struct {
		enum email_verdict email;
		enum claim_verdict claim;
		enum signup_refusal want;
		const char *why;
	} signup[] = {
	    {EMAIL_OK, CLAIM_FREE, SIGNUP_OK, "a work email on a new domain creates the tenant"},
	    {EMAIL_OK, CLAIM_HELD, SIGNUP_DOMAIN_TAKEN,
	     "a sign-up on a verified company's domain is refused: ask to be invited"},
	    {EMAIL_OK, CLAIM_PENDING, SIGNUP_DOMAIN_PENDING,
	     "a sign-up on a fresh unverified claim is refused until it expires"},
	    {EMAIL_OK, CLAIM_STALE, SIGNUP_OK, "a sign-up on an expired claim takes the domain over"},
	    {EMAIL_FREEMAIL, CLAIM_FREE, SIGNUP_FREEMAIL, "free-mail refused"},
	    {EMAIL_FREEMAIL, CLAIM_HELD, SIGNUP_FREEMAIL, "free-mail is said before the domain"},
	    {EMAIL_ROLE, CLAIM_STALE, SIGNUP_ROLE_MAILBOX,
	     "a role mailbox never takes over an expired claim"},
	    {EMAIL_ROLE, CLAIM_FREE, SIGNUP_ROLE_MAILBOX, "role mailbox refused"},
	    {EMAIL_SYNTAX, CLAIM_FREE, SIGNUP_SYNTAX, "not an address"},
	};
	for (size_t i = 0; i < N(signup); i++)
		is_int(signup_check(signup[i].email, signup[i].claim), signup[i].want, "sign-up: %s",
		       signup[i].why);
	static const struct {
		enum user_status s;
		bool signs_in;
	} accounts[] = {{USER_ACTIVE, true}, {USER_INVITED, false}, {USER_DISABLED, false}};
	for (size_t i = 0; i < N(accounts); i++) {
		is_int(user_status_parse(user_status_code(accounts[i].s)), accounts[i].s,
		       "user status %s round-trips", user_status_code(accounts[i].s));
		ok(user_may_sign_in(accounts[i].s) == accounts[i].signs_in, "a %s account %s",
		   user_status_code(accounts[i].s), accounts[i].signs_in ? "signs in" : "cannot sign in");
	}
	static const struct user unverified = {.id = 8, .tenant_id = 7, .roles = R(GLOBAL_ADMIN)};
	ok(user_may_enroll(&global) && !user_may_enroll(&unverified) && !user_may_enroll(&reviewer) &&
	       !user_may_enroll(NULL),
	   "enrolling needs a verified email of a tenant");
}

/* ---- partner IDs, locations and deletion guards (DOMAIN §2) ---- */

static void
test_partners(void)
{
	static const struct {
		const char *id;
		bool valid;
	} ids[] = {{"1234567", true},  {"0000000", true}, {"123456", false},
	           {"12345678", false}, {"12a4567", false}, {"", false}, {NULL, false}};
	for (size_t i = 0; i < N(ids); i++)
		ok(partner_id_valid(ids[i].id) == ids[i].valid, "partner ID \"%s\" %s",
		   ids[i].id ? ids[i].id : "(null)", ids[i].valid ? "valid" : "refused");
	for (int k = 0; k < PARTNER_KIND__MAX; k++)
		is_int(partner_kind_parse(partner_kind_code(k)), k, "kind %s round-trips",
		       partner_kind_code(k));
	for (int s = 0; s < PARTNER_STATUS__MAX; s++)
		is_int(partner_status_parse(partner_status_code(s)), s, "status %s round-trips",
		       partner_status_code(s));

	static const struct partner_links none = {0}, csp = {.csp = true},
	                                  profile = {.profile = true}, program = {.program = true};
	static const struct {
		enum partner_kind kind;
		const struct partner_links *links;
		enum partner_status to;
		enum partner_refusal want;
		const char *why;
	} status[] = {
	    {PARTNER_GLOBAL, &none, PARTNER_INACTIVE, PARTNER_REFUSE_GLOBAL_STATUS,
	     "the PGA cannot be deactivated"},
	    {PARTNER_LOCATION, &none, PARTNER_INACTIVE, PARTNER_OK, "a free location is deactivated"},
	    {PARTNER_LOCATION, &csp, PARTNER_INACTIVE, PARTNER_REFUSE_CSP_MUST_STAY,
	     "a CSP location stays active"},
	    {PARTNER_LOCATION, &csp, PARTNER_ACTIVE, PARTNER_OK, "a CSP location may be reactivated"},
	    {PARTNER_LOCATION, &profile, PARTNER_INACTIVE, PARTNER_OK,
	     "a profile's location may be deactivated"},
	    {PARTNER_LOCATION, &program, PARTNER_INACTIVE, PARTNER_OK,
	     "a program's location may be deactivated"},
	};
	for (size_t i = 0; i < N(status); i++)
		is_int(partner_status_change_check(status[i].kind, status[i].links, status[i].to),
		       status[i].want, "status change: %s", status[i].why);

	static const struct {
		struct partner_delete_facts f;
		enum partner_refusal want;
		const char *why;
	} del[] = {
	    {{PARTNER_LOCATION, {0}, false, false, 2}, PARTNER_OK,
	     "a location with another one left is deleted"},
	    {{PARTNER_LOCATION, {0}, false, false, 1}, PARTNER_REFUSE_LAST_LOCATION,
	     "the last location cannot be deleted"},
	    {{PARTNER_LOCATION, {0}, true, false, 0}, PARTNER_REFUSE_LAST_LOCATION,
	     "no live location counted is the last one too"},
	    {{PARTNER_LOCATION, {.csp = true}, false, false, 5}, PARTNER_REFUSE_CSP,
	     "a location linked to CSP"},
	    {{PARTNER_LOCATION, {.profile = true}, false, false, 5}, PARTNER_REFUSE_PROFILE,
	     "a location managing a business profile"},
	    {{PARTNER_LOCATION, {.program = true}, false, false, 5}, PARTNER_REFUSE_PROGRAM,
	     "a location used by a program enrollment"},
	    {{PARTNER_LOCATION, {.csp = true, .profile = true}, false, false, 1}, PARTNER_REFUSE_CSP,
	     "CSP is said first"},
	    {{PARTNER_GLOBAL, {0}, false, false, 1}, PARTNER_REFUSE_GLOBAL_ADMIN_ONLY,
	     "only a global admin deletes the PGA"},
	    {{PARTNER_GLOBAL, {0}, true, true, 1}, PARTNER_REFUSE_LINKED_LOCATIONS,
	     "not while a location is linked"},
	    {{PARTNER_GLOBAL, {0}, true, false, 1}, PARTNER_OK,
	     "a global admin closes the account (last location or not)"},
	};
	for (size_t i = 0; i < N(del); i++)
		is_int(partner_delete_check(&del[i].f), del[i].want, "delete: %s", del[i].why);
	/* The quota on partner IDs (issue 10): deleted IDs count, they stay reserved. */
	static const struct {
		long long issued, wanted, max;
		enum partner_quota_verdict want;
		const char *why;
	} quota[] = {
	    {0, 2, 200, PARTNER_QUOTA_OK, "enrollment issues the PGA and a first location"},
	    {198, 2, 200, PARTNER_QUOTA_OK, "… up to the quota exactly"},
	    {199, 2, 200, PARTNER_QUOTA_REACHED, "… not one past it"},
	    {199, 1, 200, PARTNER_QUOTA_OK, "the last ID of the quota"},
	    {200, 1, 200, PARTNER_QUOTA_REACHED, "quota reached: no new location"},
	    {250, 1, 200, PARTNER_QUOTA_REACHED, "above a lowered quota: none either"},
	    {5, 1, 0, PARTNER_QUOTA_REACHED, "a quota of 0 issues nothing"},
	    {0, 1, 1, PARTNER_QUOTA_OK, "a quota of 1 issues one"},
	    {1, 1, 1, PARTNER_QUOTA_REACHED, "… and no second"},
	    {10, -1, 200, PARTNER_QUOTA_REACHED, "a negative request is refused"},
	    {1, 9223372036854775807LL, 200, PARTNER_QUOTA_REACHED, "no overflow on a huge request"},
	};
	for (size_t i = 0; i < N(quota); i++)
		is_int(partner_quota_check(quota[i].issued, quota[i].wanted, quota[i].max),
		       quota[i].want, "quota: %s", quota[i].why);
	static const struct {
		enum partner_refusal r;
		const char *code;
	} codes[] = {{PARTNER_REFUSE_CSP, "csp"},           {PARTNER_REFUSE_CSP_MUST_STAY, "csp"},
	             {PARTNER_REFUSE_PROFILE, "profile"},   {PARTNER_REFUSE_PROGRAM, "program"},
	             {PARTNER_REFUSE_LAST_LOCATION, "last_location"},
	             {PARTNER_REFUSE_GLOBAL_STATUS, "global"},
	             {PARTNER_REFUSE_GLOBAL_ADMIN_ONLY, "global_admin_only"},
	             {PARTNER_REFUSE_LINKED_LOCATIONS, "linked_locations"}};
	for (size_t i = 0; i < N(codes); i++)
		is_str(partner_refusal_code(codes[i].r), codes[i].code, "data-refusal code, case %zu",
		       i);
}

/* ---- CSP applications (DOMAIN §3) ---- */

static void
test_csp_transitions(void)
{
	for (int s = 0; s < CSP_STATUS__MAX; s++)
		is_int(csp_status_parse(csp_status_code(s)), s, "CSP status %s round-trips",
		       csp_status_code(s));
	for (int a = 0; a < CSP_ACTION__MAX; a++)
		is_int(csp_action_parse(csp_action_code(a)), a, "CSP action %s round-trips",
		       csp_action_code(a));

	/* Every (status, action) pair: the table's answer, written out. */
	enum { NO = -1 };
	static const struct {
		enum csp_status from;
		enum csp_action action;
		enum csp_request pending;
		int to; /* NO: refused */
		enum csp_actor who;
		const char *why;
	} cases[] = {
	    {CSP_NONE, CSP_SAVE_STEP, CSP_ASKS_NONE, CSP_DRAFT, CSP_BY_PARTNER,
	     "the first step stored makes a draft"},
	    {CSP_NONE, CSP_SUBMIT, CSP_ASKS_NONE, NO, 0, "nothing to submit without a draft"},
	    {CSP_DRAFT, CSP_SAVE_STEP, CSP_ASKS_NONE, CSP_DRAFT, CSP_BY_PARTNER, "a draft is edited"},
	    {CSP_DRAFT, CSP_SUBMIT, CSP_ASKS_NONE, CSP_PENDING_REVIEW, CSP_BY_PARTNER,
	     "submit → pending_review"},
	    {CSP_DRAFT, CSP_APPROVE, CSP_ASKS_NONE, NO, 0, "staff never decide a draft"},
	    {CSP_PENDING_REVIEW, CSP_SAVE_STEP, CSP_ASKS_NONE, NO, 0,
	     "an application under review is not edited"},
	    {CSP_PENDING_REVIEW, CSP_SUBMIT, CSP_ASKS_NONE, NO, 0, "no second submission"},
	    {CSP_PENDING_REVIEW, CSP_APPROVE, CSP_ASKS_NONE, CSP_APPROVED, CSP_BY_STAFF,
	     "approve → approved"},
	    {CSP_PENDING_REVIEW, CSP_REJECT, CSP_ASKS_NONE, CSP_REJECTED, CSP_BY_STAFF,
	     "reject → rejected"},
	    {CSP_PENDING_REVIEW, CSP_REQUEST_DOCUMENT, CSP_ASKS_NONE, CSP_INFO_REQUESTED,
	     CSP_BY_STAFF, "request a document → info_requested"},
	    {CSP_PENDING_REVIEW, CSP_REQUEST_QUESTIONNAIRE, CSP_ASKS_NONE, CSP_INFO_REQUESTED,
	     CSP_BY_STAFF, "request the questionnaire → info_requested"},
	    {CSP_PENDING_REVIEW, CSP_SEND_DOCUMENT, CSP_ASKS_NONE, NO, 0,
	     "a document nobody asked for is refused"},
	    {CSP_INFO_REQUESTED, CSP_SEND_DOCUMENT, CSP_ASKS_DOCUMENT, CSP_PENDING_REVIEW,
	     CSP_BY_PARTNER, "the document asked for → back to review"},
	    {CSP_INFO_REQUESTED, CSP_SEND_DOCUMENT, CSP_ASKS_QUESTIONNAIRE, NO, 0,
	     "a document when the questionnaire was asked for is refused"},
	    {CSP_INFO_REQUESTED, CSP_ANSWER_QUESTIONNAIRE, CSP_ASKS_QUESTIONNAIRE,
	     CSP_PENDING_REVIEW, CSP_BY_PARTNER, "the questionnaire asked for → back to review"},
	    {CSP_INFO_REQUESTED, CSP_ANSWER_QUESTIONNAIRE, CSP_ASKS_DOCUMENT, NO, 0,
	     "answers when a document was asked for are refused"},
	    {CSP_INFO_REQUESTED, CSP_APPROVE, CSP_ASKS_DOCUMENT, NO, 0,
	     "no approval while information is awaited"},
	    {CSP_INFO_REQUESTED, CSP_REJECT, CSP_ASKS_DOCUMENT, CSP_REJECTED, CSP_BY_STAFF,
	     "reject while information is awaited"},
	    {CSP_INFO_REQUESTED, CSP_REQUEST_DOCUMENT, CSP_ASKS_DOCUMENT, NO, 0,
	     "no second request while one is open"},
	    {CSP_REJECTED, CSP_SAVE_STEP, CSP_ASKS_NONE, CSP_REJECTED, CSP_BY_PARTNER,
	     "a rejected application is corrected"},
	    {CSP_REJECTED, CSP_SUBMIT, CSP_ASKS_NONE, CSP_PENDING_REVIEW, CSP_BY_PARTNER,
	     "and submitted again"},
	    {CSP_REJECTED, CSP_APPROVE, CSP_ASKS_NONE, NO, 0, "a rejection is not approved"},
	    {CSP_APPROVED, CSP_ACCEPT_AGREEMENT, CSP_ASKS_NONE, CSP_ACTIVE, CSP_BY_PARTNER,
	     "accepting the agreement → active"},
	    {CSP_APPROVED, CSP_REJECT, CSP_ASKS_NONE, NO, 0, "an approval is final"},
	    {CSP_APPROVED, CSP_SAVE_STEP, CSP_ASKS_NONE, NO, 0, "an approved application is not edited"},
	    {CSP_PENDING_REVIEW, CSP_ACCEPT_AGREEMENT, CSP_ASKS_NONE, NO, 0,
	     "no agreement before approval"},
	    {CSP_ACTIVE, CSP_ACCEPT_AGREEMENT, CSP_ASKS_NONE, NO, 0, "the agreement is accepted once"},
	    {CSP_ACTIVE, CSP_REJECT, CSP_ASKS_NONE, NO, 0, "an active CSP is not rejected here"},
	};
	for (size_t i = 0; i < N(cases); i++) {
		const struct csp_transition *t =
		    csp_next(cases[i].from, cases[i].action, cases[i].pending);
		bool pass = cases[i].to == NO ? t == NULL
		                              : t && (int)t->to == cases[i].to && t->who == cases[i].who;
		ok(pass, "transition: %s", cases[i].why);
	}
	/* What a transition records. */
	const struct csp_transition *t = csp_next(CSP_DRAFT, CSP_SUBMIT, CSP_ASKS_NONE);
	ok(t && t->stamp == CSP_STAMP_SUBMITTED, "submitting stamps the submission time");
	t = csp_next(CSP_INFO_REQUESTED, CSP_SEND_DOCUMENT, CSP_ASKS_DOCUMENT);
	ok(t && t->stamp == CSP_STAMP_NONE && t->request == CSP_ASKS_NONE,
	   "an answer keeps the submission time and closes the request");
	t = csp_next(CSP_PENDING_REVIEW, CSP_REQUEST_QUESTIONNAIRE, CSP_ASKS_NONE);
	ok(t && t->request == CSP_ASKS_QUESTIONNAIRE, "a request leaves what it asks for pending");
	t = csp_next(CSP_INFO_REQUESTED, CSP_REJECT, CSP_ASKS_QUESTIONNAIRE);
	ok(t && t->stamp == CSP_STAMP_DECIDED && t->request == CSP_ASKS_NONE,
	   "a decision stamps the decision time and clears the request");
	size_t n;
	const struct csp_transition *all = csp_transitions(&n);
	bool unique = true;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			unique = unique && !(all[i].from == all[j].from && all[i].action == all[j].action &&
			                     all[i].needs == all[j].needs);
	ok(unique, "the table has one row per (status, action, pending request)");

	static const struct {
		enum csp_status s;
		bool editable, decidable, links;
	} props[] = {
	    {CSP_NONE, true, false, false},          {CSP_DRAFT, true, false, false},
	    {CSP_PENDING_REVIEW, false, true, true}, {CSP_INFO_REQUESTED, false, true, true},
	    {CSP_APPROVED, false, false, true},      {CSP_REJECTED, true, false, false},
	    {CSP_ACTIVE, false, false, true},
	};
	for (size_t i = 0; i < N(props); i++)
		ok(csp_editable(props[i].s) == props[i].editable &&
		       csp_decidable(props[i].s) == props[i].decidable &&
		       csp_links_location(props[i].s) == props[i].links,
		   "%s: editable %d, decidable %d, links its location %d", csp_status_code(props[i].s),
		   props[i].editable, props[i].decidable, props[i].links);
}

static void
test_csp_rules(void)
{
	static const struct {
		int done, asked, shown;
	} steps[] = {{0, 0, 1}, {0, 2, 1}, {0, 1, 1}, {2, 3, 3}, {2, 4, 3}, {2, 1, 1},
	             {4, 5, 5}, {4, 0, 5}, {5, 0, 5}, {4, 6, 5}, {3, -1, 4}};
	for (size_t i = 0; i < N(steps); i++)
		is_int(csp_step_shown(steps[i].done, steps[i].asked), steps[i].shown,
		       "step shown: %d done, asked %d", steps[i].done, steps[i].asked);

	static const struct {
		const char *in, *out;
	} duns[] = {{"123456789", "123456789"}, {"12-345-6789", "123456789"},
	            {" 123 456 789 ", "123456789"}, {"12345678", NULL}, {"1234567890", NULL},
	            {"12345678a", NULL}, {"", NULL}};
	for (size_t i = 0; i < N(duns); i++) {
		char out[10];
		bool valid = csp_duns_normalize(duns[i].in, out);
		ok(duns[i].out ? valid && strcmp(out, duns[i].out) == 0 : !valid, "DUNS \"%s\" %s",
		   duns[i].in, duns[i].out ? "normalized" : "refused");
	}

	static const struct {
		enum partner_kind kind;
		enum partner_status status;
		const char *country;
		enum csp_location_verdict want;
		const char *why;
	} loc[] = {
	    {PARTNER_LOCATION, PARTNER_ACTIVE, "US", CSP_LOCATION_OK,
	     "an active location in the tenant's country"},
	    {PARTNER_LOCATION, PARTNER_INACTIVE, "US", CSP_LOCATION_INACTIVE, "an inactive location"},
	    {PARTNER_LOCATION, PARTNER_ACTIVE, "FR", CSP_LOCATION_OTHER_COUNTRY,
	     "a location in another country"},
	    {PARTNER_LOCATION, PARTNER_INACTIVE, "FR", CSP_LOCATION_INACTIVE,
	     "inactive is said before the country"},
	    {PARTNER_GLOBAL, PARTNER_ACTIVE, "US", CSP_LOCATION_NOT_LOCATION, "the global ID"},
	    {PARTNER_LOCATION, PARTNER_DELETED, "US", CSP_LOCATION_NOT_LOCATION, "a deleted ID"},
	};
	for (size_t i = 0; i < N(loc); i++)
		is_int(csp_location_check(loc[i].kind, loc[i].status, loc[i].country, "US"),
		       loc[i].want, "CSP location: %s", loc[i].why);

	enum { S = CSP_ADDRESS_STORE, G = CSP_ADDRESS_SUGGEST, F = CSP_ADDRESS_REFUSE };
	static const struct {
		enum csp_address_check check;
		bool same;
		enum csp_address_use use;
		int next;
		enum csp_verdict verdict;
		bool suggested;
		const char *why;
	} addr[] = {
	    {CSP_CHECK_CONFIRMED, true, CSP_USE_UNSAID, S, CSP_VERDICT_VERIFIED, false,
	     "found as entered: verified"},
	    {CSP_CHECK_CONFIRMED, true, CSP_USE_ENTERED, S, CSP_VERDICT_VERIFIED, false,
	     "found as entered, 'keep' said anyway: verified"},
	    {CSP_CHECK_CONFIRMED, false, CSP_USE_UNSAID, G, CSP_VERDICT_CORRECTED, false,
	     "standardised differently: both shown"},
	    {CSP_CHECK_CONFIRMED, false, CSP_USE_SUGGESTED, S, CSP_VERDICT_CORRECTED, true,
	     "the suggestion chosen: corrected, standard form stored"},
	    {CSP_CHECK_CONFIRMED, false, CSP_USE_ENTERED, S, CSP_VERDICT_CORRECTED, false,
	     "the entry kept though it differs: corrected, not verified"},
	    {CSP_CHECK_UNDELIVERABLE, true, CSP_USE_UNSAID, F, CSP_VERDICT_UNDELIVERABLE, false,
	     "not deliverable (DPV N) is refused, even as entered"},
	    {CSP_CHECK_UNDELIVERABLE, false, CSP_USE_SUGGESTED, F, CSP_VERDICT_UNDELIVERABLE, false,
	     "not deliverable: no suggestion to take"},
	    {CSP_CHECK_UNDELIVERABLE, false, CSP_USE_ENTERED, S, CSP_VERDICT_UNDELIVERABLE, false,
	     "not deliverable, kept for the reviewer"},
	    {CSP_CHECK_REFUSED, false, CSP_USE_UNSAID, F, CSP_VERDICT_REFUSED, false,
	     "refused by the service: said, not stored"},
	    {CSP_CHECK_REFUSED, false, CSP_USE_ENTERED, S, CSP_VERDICT_REFUSED, false,
	     "refused, kept for the reviewer"},
	    {CSP_CHECK_NOT_FOUND, false, CSP_USE_UNSAID, F, CSP_VERDICT_NOT_FOUND, false,
	     "not found is refused"},
	    {CSP_CHECK_NEEDS_UNIT, false, CSP_USE_UNSAID, F, CSP_VERDICT_NEEDS_UNIT, false,
	     "a missing unit is refused"},
	    {CSP_CHECK_NEEDS_UNIT, false, CSP_USE_ENTERED, S, CSP_VERDICT_NEEDS_UNIT, false,
	     "unless kept as entered"},
	    {CSP_CHECK_AMBIGUOUS, false, CSP_USE_SUGGESTED, F, CSP_VERDICT_AMBIGUOUS, false,
	     "several matches: no suggestion to take"},
	    {CSP_CHECK_NOT_FOUND, false, CSP_USE_ENTERED, S, CSP_VERDICT_NOT_FOUND, false,
	     "not found, kept for the reviewer"},
	    {CSP_CHECK_UNAVAILABLE, false, CSP_USE_UNSAID, S, CSP_VERDICT_UNVERIFIED, false,
	     "service down: kept, flagged unverified"},
	};
	for (size_t i = 0; i < N(addr); i++) {
		struct csp_address_outcome o = csp_address_decide(addr[i].check, addr[i].same, addr[i].use);
		ok((int)o.next == addr[i].next && ((int)o.next == G || o.verdict == addr[i].verdict) &&
		       o.use_suggested == addr[i].suggested,
		   "address: %s", addr[i].why);
	}

	static const struct {
		const char *list, *country;
		bool in;
	} countries[] = {{"US", "US", true},      {"US,CA", "CA", true}, {" us , ca ", "US", true},
	                 {"US", "USA", false},    {"USA", "US", false},  {"", "US", false},
	                 {"US,CA", "", false}};
	for (size_t i = 0; i < N(countries); i++)
		ok(csp_country_in_list(countries[i].list, countries[i].country) == countries[i].in,
		   "address validated in \"%s\" for %s: %d", countries[i].list, countries[i].country,
		   countries[i].in);

	static const struct {
		const char *day;
		bool valid;
	} days[] = {{"1", true},  {"01", true}, {"28", true}, {"29", false}, {"0", false},
	            {"", false},  {"7a", false}, {"-1", false}, {"100", false}};
	for (size_t i = 0; i < N(days); i++)
		ok(csp_billing_day_valid(days[i].day) == days[i].valid, "billing day \"%s\" %s",
		   days[i].day, days[i].valid ? "valid" : "refused");
	static const struct {
		const char *tax;
		bool valid;
	} taxes[] = {{"FR12", true},   {"FR1", false},  {"DE 123.456-78", true},
	             {"12345678901234567890", true}, {"123456789012345678901", false},
	             {"FR12;", false}, {"", false}};
	for (size_t i = 0; i < N(taxes); i++)
		ok(csp_tax_id_valid(taxes[i].tax) == taxes[i].valid, "tax ID \"%s\" %s", taxes[i].tax,
		   taxes[i].valid ? "valid" : "refused");
	for (int m = 0; m < CSP_MODEL__MAX; m++)
		is_int(csp_model_parse(csp_model_code(m)), m, "model %s round-trips", csp_model_code(m));

	static const struct {
		const char *head;
		size_t n;
		const char *type;
	} sniff[] = {{"%PDF-1.7", 8, "application/pdf"}, {"\x89PNG\r\n\x1a\n", 8, "image/png"},
	             {"\xff\xd8\xff\xe0", 4, "image/jpeg"}, {"GIF89a", 6, NULL},
	             {"<html>", 6, NULL}, {"%PDF", 4, NULL}};
	for (size_t i = 0; i < N(sniff); i++)
		is_str(csp_document_sniff((const unsigned char *)sniff[i].head, sniff[i].n),
		       sniff[i].type, "document by content: case %zu", i);
}

/* ---- US state codes and ZIP Codes (USPS Publication 28), and a US
 * address as the address service takes it (research §2.2) ---- */

/* The agreement's versions and the DUNS candidates' address match. */
static void
test_csp_agreement_and_address(void)
{
	static const struct {
		const char *v;
		bool ok;
	} versions[] = {{"2026-12", true},        {"MPA-2026-01", true}, {"v1.2", true},
	                {"", false},              {"../etc/passwd", false}, {".hidden", false},
	                {"2026/12", false},       {"2026 12", false},    {"-2026", false},
	                {"a23456789012345678901234567890123456789", true},
	                {"a234567890123456789012345678901234567890", true},
	                {"a2345678901234567890123456789012345678901", false}};
	for (size_t i = 0; i < N(versions); i++)
		is_int(csp_agreement_version_ok(versions[i].v), versions[i].ok, "agreement version \"%s\"",
		       versions[i].v);

	static const struct {
		struct csp_address a, b;
		bool same;
		const char *why;
	} addr[] = {
	    {{.line1 = "492 Koller St", .city = "San Francisco", .postal_code = "94110", .country = "US"},
	     {.line1 = "492 KOLLER ST", .city = "SAN FRANCISCO", .postal_code = "94110", .country = "US"}, true, "case"},
	    {{.line1 = "492 Koller Street", .city = "San  Francisco", .postal_code = "94110-1234", .country = "US"},
	     {.line1 = "492 KOLLER ST", .city = "SAN FRANCISCO", .postal_code = "94110", .country = "US"}, true, "STREET = ST, spacing, ZIP+4"},
	    {{.line1 = "77 Massachusetts Avenue.", .city = "Cambridge", .postal_code = "02139", .country = "US"},
	     {.line1 = "77 MASSACHUSETTS AVE", .city = "CAMBRIDGE", .postal_code = "02139", .country = "US"}, true, "AVENUE = AVE, a dot"},
	    {{.line1 = "8 rue des Écoles", .city = "Marseille", .postal_code = "13001", .country = "FR"},
	     {.line1 = "8 RUE DES ECOLES", .city = "MARSEILLE", .postal_code = "13001", .country = "FR"}, true, "an accent"},
	    {{.line1 = "Leopoldstraße 44", .city = "München", .postal_code = "80802", .country = "DE"},
	     {.line1 = "LEOPOLDSTRASSE 44", .city = "MÜNCHEN", .postal_code = "80802", .country = "DE"}, true, "ß = SS, Ü = U"},
	    {{.line1 = "10 Downing St", .city = "London", .postal_code = "SW1A 2AA", .country = "GB"},
	     {.line1 = "10 DOWNING ST", .city = "LONDON", .postal_code = "SW1A2AA", .country = "GB"}, true, "a space in the postcode"},
	    {{.line1 = "493 Koller St", .city = "San Francisco", .postal_code = "94110", .country = "US"},
	     {.line1 = "492 KOLLER ST", .city = "SAN FRANCISCO", .postal_code = "94110", .country = "US"}, false, "another number"},
	    {{.line1 = "492 Koller St", .city = "Oakland", .postal_code = "94110", .country = "US"},
	     {.line1 = "492 KOLLER ST", .city = "SAN FRANCISCO", .postal_code = "94110", .country = "US"}, false, "another city"},
	    {{.line1 = "492 Koller St", .city = "San Francisco", .postal_code = "94111", .country = "US"},
	     {.line1 = "492 KOLLER ST", .city = "SAN FRANCISCO", .postal_code = "94110", .country = "US"}, false, "another ZIP"},
	    {{.line1 = "492 Koller St", .city = "San Francisco", .postal_code = "94110", .country = "CA"},
	     {.line1 = "492 KOLLER ST", .city = "SAN FRANCISCO", .postal_code = "94110", .country = "US"}, false, "another country"},
	    {{.line1 = "", .city = "", .postal_code = "", .country = "US"}, {.line1 = "", .city = "", .postal_code = "", .country = "US"}, false, "no street never matches"},
	    {{.line1 = "12 Kaiserstr", .city = "Frankfurt am Main", .postal_code = "60311", .country = "DE"},
	     {.line1 = "KAISERSTRASSE 12", .city = "FRANKFURT AM MAIN", .postal_code = "60311", .country = "DE"}, false,
	     "the number on the other side is another street"},
	    {{.line1 = "1 Microsoft Way", .city = "Redmond", .postal_code = "98052", .country = "US"},
	     {.line1 = "1 MICROSOFT WAY", .city = "REDMOND", .postal_code = NULL, .country = "US"}, false, "a postal code missing on one side"},
	};
	for (size_t i = 0; i < N(addr); i++) {
		is_int(csp_address_matches(&addr[i].a, &addr[i].b), addr[i].same, "address: %s",
		       addr[i].why);
		is_int(csp_address_matches(&addr[i].b, &addr[i].a), addr[i].same,
		       "address (other way): %s", addr[i].why);
	}
}

static void
test_us_postal(void)
{
	static const struct {
		const char *in, *code; /* code NULL: none */
		const char *why;
	} states[] = {
	    {"CA", "CA", "a code"},
	    {"ca", "CA", "a code in lowercase"},
	    {" ca ", "CA", "spaces around"},
	    {"California", "CA", "a name"},
	    {"CALIFORNIA", "CA", "a name in uppercase"},
	    {"new  york", "NY", "runs of spaces as one"},
	    {"new\tyork", "NY", "any white space"},
	    {"N.Y.", "NY", "dots dropped from a code"},
	    {"D.C.", "DC", "D.C."},
	    {"district of columbia", "DC", "the District of Columbia by name"},
	    {"west virginia", "WV", "West Virginia is not Virginia"},
	    {"Washington", "WA", "Washington is the state, not DC"},
	    {"PR", "PR", "a territory"},
	    {"puerto rico", "PR", "a territory by name"},
	    {"AE", "AE", "armed forces"},
	    {"Calif", NULL, "an abbreviation that is not the code"},
	    {"newyork", NULL, "words run together"},
	    {"XX", NULL, "not a code"},
	    {"", NULL, "empty"},
	    {NULL, NULL, "NULL"},
	};
	for (size_t i = 0; i < N(states); i++)
		is_str(us_state_code(states[i].in), states[i].code, "state \"%s\": %s",
		       states[i].in ? states[i].in : "(null)", states[i].why);

	static const struct {
		const char *code;
		bool valid;
	} codes[] = {{"CA", true},     {"DC", true},          {"GU", true},  {"AP", true},
	             {"ca", false},    {"Ca", false},         {" CA", false}, {"CA ", false},
	             {"C.A.", false},  {"Calif", false},      {"California", false},
	             {"XX", false},    {"", false},           {NULL, false}};
	for (size_t i = 0; i < N(codes); i++)
		ok(us_state_code_valid(codes[i].code) == codes[i].valid, "state code \"%s\" %s",
		   codes[i].code ? codes[i].code : "(null)", codes[i].valid ? "valid" : "refused");

	static const struct {
		const char *in, *zip5, *plus4; /* zip5 NULL: refused */
		const char *why;
	} zips[] = {
	    {"94110", "94110", "", "a ZIP Code"},
	    {"02139", "02139", "", "its leading zero kept"},
	    {"94110-1227", "94110", "1227", "ZIP+4 with a dash"},
	    {"941101227", "94110", "1227", "ZIP+4 as 9 digits"},
	    {" 94110 - 1227 ", "94110", "1227", "spaces around it and around the dash"},
	    {"9411", NULL, NULL, "4 digits"},
	    {"941101", NULL, NULL, "6 digits"},
	    {"94110-12", NULL, NULL, "a short +4"},
	    {"94110-", NULL, NULL, "a dash and nothing after"},
	    {"-94110", NULL, NULL, "a dash first"},
	    {"9411-01227", NULL, NULL, "the dash after 4 digits"},
	    {"94110-1227-1", NULL, NULL, "two dashes"},
	    {"9411O", NULL, NULL, "a letter O"},
	    {"9411012270", NULL, NULL, "10 digits"},
	    {"", NULL, NULL, "empty"},
	    {NULL, NULL, NULL, "NULL"},
	};
	for (size_t i = 0; i < N(zips); i++) {
		char zip5[6] = "x", plus4[5] = "x";
		bool valid = us_zip_split(zips[i].in, zip5, plus4);
		ok(zips[i].zip5 ? valid && strcmp(zip5, zips[i].zip5) == 0 &&
		                      strcmp(plus4, zips[i].plus4) == 0
		                : !valid && *zip5 == '\0' && *plus4 == '\0',
		   "ZIP \"%s\": %s", zips[i].in ? zips[i].in : "(null)", zips[i].why);
	}

	static const struct {
		const char *region, *zip;
		enum csp_us_address want;
		const char *state, *postal; /* state NULL: none */
		const char *why;
	} addr[] = {
	    {"California", "94110", CSP_US_OK, "CA", "94110", "name and ZIP Code"},
	    {"ca", "94110-1227", CSP_US_OK, "CA", "94110-1227", "code and ZIP+4"},
	    {"CA", "941101227", CSP_US_OK, "CA", "94110-1227", "9 digits → NNNNN-NNNN"},
	    {"CA", " 94110 - 1227 ", CSP_US_OK, "CA", "94110-1227", "spaced ZIP+4 → NNNNN-NNNN"},
	    {"New York", "", CSP_US_OK, "NY", "", "no ZIP Code: OK, empty"},
	    {"NY", NULL, CSP_US_OK, "NY", "", "no ZIP Code (NULL): OK, empty"},
	    {"Calif", "94110", CSP_US_BAD_STATE, NULL, "", "not a state"},
	    {"", "94110", CSP_US_BAD_STATE, NULL, "", "no state"},
	    {"XX", "9411", CSP_US_BAD_STATE, NULL, "", "the state is said before the ZIP"},
	    {"CA", "9411", CSP_US_BAD_ZIP, "CA", "", "a 4-digit ZIP"},
	    {"CA", "94110-", CSP_US_BAD_ZIP, "CA", "", "a dash and no +4"},
	    {"CA", "SW1A 2AA", CSP_US_BAD_ZIP, "CA", "", "a postcode of another country"},
	};
	for (size_t i = 0; i < N(addr); i++) {
		const char *state = "?";
		char postal[11] = "?";
		enum csp_us_address got = csp_us_address_normalize(addr[i].region, addr[i].zip, &state,
		                                                   postal);
		bool same_state = addr[i].state ? state && strcmp(state, addr[i].state) == 0 : !state;
		ok(got == addr[i].want && same_state && strcmp(postal, addr[i].postal) == 0,
		   "US address \"%s\" \"%s\": %s", addr[i].region, addr[i].zip ? addr[i].zip : "(null)",
		   addr[i].why);
		if (!(got == addr[i].want && same_state && strcmp(postal, addr[i].postal) == 0))
			printf("#   got %d, state %s, postal \"%s\"\n", got, state ? state : "(null)",
			       postal);
	}
}

/* ---- session lifetime (CONTRACT §5, ASVS V3.3.2) ---- */

static void
test_sessions(void)
{
	const long long t0 = 1800000000; /* sign-in */
	static const struct {
		long long age, idle; /* seconds since sign-in, since the last request */
		enum session_verdict want;
		const char *why;
	} cases[] = {
	    {0, 0, SESSION_VALID, "just signed in"},
	    {SESSION_IDLE_SECONDS, SESSION_IDLE_SECONDS, SESSION_VALID,
	     "idle for exactly 30 minutes still holds"},
	    {SESSION_IDLE_SECONDS + 1, SESSION_IDLE_SECONDS + 1, SESSION_IDLE,
	     "idle for 30 minutes and a second ends"},
	    {5 * 3600, 60, SESSION_VALID, "used every minute for 5 hours"},
	    {SESSION_MAX_SECONDS - 1, 0, SESSION_VALID, "a second before 12 hours, used now"},
	    {SESSION_MAX_SECONDS, 0, SESSION_TOO_OLD, "12 hours exactly ends, even used now"},
	    {SESSION_MAX_SECONDS + 1, 0, SESSION_TOO_OLD, "past 12 hours ends"},
	    {30LL * 24 * 3600, 10, SESSION_TOO_OLD, "a 30-day-old session in use ends"},
	    {SESSION_MAX_SECONDS, SESSION_IDLE_SECONDS + 1, SESSION_TOO_OLD,
	     "both: the lifetime is said"},
	};
	for (size_t i = 0; i < N(cases); i++) {
		long long now = t0 + cases[i].age;
		is_int(session_check(t0, now - cases[i].idle, now), cases[i].want, "session: %s",
		       cases[i].why);
	}
	ok(SESSION_IDLE_SECONDS == 30 * 60 && SESSION_MAX_SECONDS == 12 * 3600,
	   "limits: 30 min idle, 12 h from sign-in");
}

/* ---- the password policy's pure part (issue 10, NIST SP 800-63B) ---- */

static void
test_passwords(void)
{
	char len128[129], len129[130], ws[13];
	memset(len128, 'x', 128);
	len128[0] = 'Q', len128[127] = '7', len128[128] = '\0';
	memset(len129, 'x', 129);
	len129[0] = 'Q', len129[129] = '\0';
	memset(ws, ' ', 12);
	ws[12] = '\0';
	const char *email = "ana.lopez@acme-widgets.example", *company = "Acme Widgets SA";
	static const struct {
		const char *pw, *email, *company;
		enum password_refusal want;
		const char *why;
	} cases[] = {
	    {"elevenchars", NULL, NULL, PASSWORD_TOO_SHORT, "11 characters are too few"},
	    {"twelve chars", NULL, NULL, PASSWORD_OK, "12 characters are enough"},
	    {"éééééééééé1", NULL, NULL, PASSWORD_TOO_SHORT, "11 two-byte characters are too few"},
	    {"ключ-к-двери", NULL, NULL, PASSWORD_OK, "12 two-byte characters are enough (not 22 bytes)"},
	    {"", NULL, NULL, PASSWORD_TOO_SHORT, "empty"},
	    {NULL, NULL, NULL, PASSWORD_TOO_LONG, "129 characters are too many"},
	    {NULL, NULL, NULL, PASSWORD_OK, "128 characters are accepted"},
	    {NULL, NULL, NULL, PASSWORD_WHITESPACE, "twelve spaces"},
	    {"\t \u00a0 \u3000      \t", NULL, NULL, PASSWORD_WHITESPACE, "tabs and Unicode spaces"},
	    {"aaaaaaaaaaaaaaa", NULL, NULL, PASSWORD_REPEATED, "one letter repeated"},
	    {"AaAaAaAaAaAaA", NULL, NULL, PASSWORD_REPEATED, "one letter in both cases"},
	    {"éééééééééééé", NULL, NULL, PASSWORD_REPEATED, "one accented letter repeated"},
	    {"aaaaaaaaaaab", NULL, NULL, PASSWORD_OK, "two different characters are not one repeated"},
	    {"my ana.lopez secret", NULL, NULL, PASSWORD_HAS_EMAIL, "the local part (set below)"},
	    {"my ANA.LOPEZ secret", NULL, NULL, PASSWORD_HAS_EMAIL, "the local part in capitals"},
	    {"ana.lopez@acme-widgets.example", NULL, NULL, PASSWORD_HAS_EMAIL, "the whole email"},
	    {"ana lopez is here", NULL, NULL, PASSWORD_OK, "the names apart are not the local part"},
	    {"jo@x.example!!", "jo@x.example", NULL, PASSWORD_HAS_EMAIL,
	     "a short local part: the whole email is compared"},
	    {"jo and joanne here", "jo@x.example", NULL, PASSWORD_OK,
	     "a local part under 4 characters alone is allowed"},
	    {"my widgets forever", NULL, NULL, PASSWORD_HAS_COMPANY, "a word of the company's name"},
	    {"ACME rocket skates", NULL, NULL, PASSWORD_HAS_COMPANY, "case-insensitive, 4 letters"},
	    {"sa sa sa sa sa!", NULL, NULL, PASSWORD_OK, "words under 4 letters are not compared"},
	    {"le café société!", "x@y.example", "Société Générale", PASSWORD_HAS_COMPANY,
	     "accented words"},
	    {"LE CAFÉ SOCIÉTÉ!", "x@y.example", "Société Générale", PASSWORD_HAS_COMPANY,
	     "accented words in capitals"},
	    {"correct horse battery", NULL, NULL, PASSWORD_OK, "a passphrase"},
	    {"passwordpassword", NULL, NULL, PASSWORD_OK,
	     "no dictionary here (app/password.c refuses it)"},
	};
	for (size_t i = 0; i < N(cases); i++) {
		const char *pw = cases[i].pw;
		if (pw == NULL)
			pw = cases[i].want == PASSWORD_TOO_LONG ? len129
			     : cases[i].want == PASSWORD_OK     ? len128
			                                        : ws;
		is_int(password_check(pw, cases[i].email ? cases[i].email : email,
		                      cases[i].company ? cases[i].company : company),
		       cases[i].want, "password: %s", cases[i].why);
	}
	ok(password_check("my ana.lopez secret", NULL, NULL) == PASSWORD_OK &&
	       password_check("my ana.lopez secret", "", "") == PASSWORD_OK,
	   "password: nothing to compare without an email or a company");
	is_int((int)password_length("ключ-к-двери"), 12, "password length counts characters");
}

/* ---- rate limits and sign-in throttling (issue 10, CONTRACT §4) ---- */

static void
test_throttle(void)
{
	/* Ages in ms, newest first. */
	static const long long none[] = {0}, two[] = {1000, 30000},
	                       three[] = {1000, 2000, 3000}, three_old[] = {1000, 2000, 3600000},
	                       edge[] = {0, 0, 3599999}, four[] = {500, 600, 700, 800};
	static const struct {
		int max;
		long window;
		const long long *ages;
		size_t n;
		long want;
		const char *why;
	} rates[] = {
	    {3, 3600, none, 0, 0, "no event yet"},
	    {3, 3600, two, 2, 0, "two of three"},
	    {3, 3600, three, 3, 3597, "the third: wait until the oldest of them is an hour old"},
	    {3, 3600, three_old, 3, 0, "one of the three is an hour old: out of the window"},
	    {3, 3600, edge, 3, 1, "a millisecond before the hour: at least 1 s"},
	    {3, 3600, four, 4, 3600, "the third newest counts, not the oldest read"},
	    {1, 60, two, 2, 59, "one a minute: 1 s after the last, 59 s to wait"},
	    {1, 60, two + 1, 1, 30, "one a minute, 30 s ago: 30 s to wait"},
	    {10, 3600, three, 3, 0, "under a larger maximum"},
	    {0, 3600, none, 0, 3600, "a maximum of 0 allows nothing"},
	};
	for (size_t i = 0; i < N(rates); i++)
		is_int(rate_retry_after(rates[i].max, rates[i].window, rates[i].ages, rates[i].n),
		       rates[i].want, "rate: %s", rates[i].why);

	static const struct {
		long long failures, last_age_ms;
		long want;
		const char *why;
	} signin[] = {
	    {0, 0, 0, "no failure"},
	    {4, 0, 0, "four failures: the fifth attempt is checked (CONTRACT §4: 401)"},
	    {5, 0, 900, "five: 15 minutes after the last (CONTRACT §4: 429)"},
	    {5, 899000, 1, "five, a second before the 15 minutes"},
	    {5, 900000, 0, "five, 15 minutes after the last: one more try (soft limit)"},
	    {6, 0, 1800, "six: the delay doubles"},
	    {6, 900000, 900, "six, 15 minutes on: 15 more"},
	    {7, 0, 3600, "seven: an hour"},
	    {9, 0, 4 * 3600, "nine: the cap, 4 hours"},
	    {64, 0, 4 * 3600, "many: still the cap"},
	    {5, -5, 900, "a clock step back counts as now"},
	};
	for (size_t i = 0; i < N(signin); i++)
		is_int(signin_retry_after(signin[i].failures, signin[i].last_age_ms), signin[i].want,
		       "sign-in delay: %s", signin[i].why);
	ok(signin_delay(SIGNIN_MAX_FAILURES - 1) == 0 && signin_delay(SIGNIN_MAX_FAILURES) == 900 &&
	       signin_delay(1000000) == SIGNIN_DELAY_MAX_SECONDS,
	   "sign-in delay grows from the contract's 5 failures to the cap");

	for (int i = 0; i < RATE_LIMIT__MAX; i++)
		ok(rate_limits[i].event && rate_limits[i].config && rate_limits[i].max > 0 &&
		       rate_limits[i].window > 0,
		   "rate limit %s is complete", rate_limits[i].config ? rate_limits[i].config : "?");
	ok(rate_limits[RATE_SIGNUP_ADDRESS].by_address && rate_limits[RATE_RESET_ADDRESS].by_address &&
	       rate_limits[RATE_SIGNIN_ADDRESS].by_address && !rate_limits[RATE_RESET_EMAIL].by_address &&
	       !rate_limits[RATE_RESEND_USER_HOUR].by_address,
	   "limits by address and by target are told apart (exempt addresses skip the former)");
	ok(strcmp(rate_limits[RATE_RESEND_USER_MINUTE].event, rate_limits[RATE_RESEND_USER_HOUR].event) ==
	       0,
	   "the resends per minute and per hour count the same events");
}

/* ---- SHA-1, HMAC-SHA-1, base32, TOTP (core/totp.c) and the 2FA rules ---- */

static const char *
hex_of(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
	return out;
}

static void
test_sha1(void)
{
	/* FIPS 180-2 appendix A and RFC 3174 test vectors. */
	static const struct {
		const char *msg, *hex;
	} sha[] = {
	    {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
	    {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
	    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	     "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
	    {"0123456701234567012345670123456701234567012345670123456701234567",
	     "e0c094e867ef46c350ef54a7f59dd60bed92ae83"},
	};
	for (size_t i = 0; i < N(sha); i++) {
		unsigned char d[SHA1_BYTES];
		char hex[41];
		sha1((const unsigned char *)sha[i].msg, strlen(sha[i].msg), d);
		is_str(hex_of(d, sizeof(d), hex), sha[i].hex, "SHA-1 of a %zu-byte message",
		       strlen(sha[i].msg));
	}
	unsigned char k1[20], k6[80];
	memset(k1, 0x0b, sizeof(k1));
	memset(k6, 0xaa, sizeof(k6));
	/* RFC 2202 §3 test cases 1, 2 and 6 (a key longer than the block). */
	static const char *msg6 = "Test Using Larger Than Block-Size Key - Hash Key First";
	const struct {
		const unsigned char *key;
		size_t keylen;
		const char *msg, *hex;
	} mac[] = {
	    {k1, sizeof(k1), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"},
	    {(const unsigned char *)"Jefe", 4, "what do ya want for nothing?",
	     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
	    {k6, sizeof(k6), NULL, "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
	};
	for (size_t i = 0; i < N(mac); i++) {
		const char *m = mac[i].msg ? mac[i].msg : msg6;
		unsigned char d[SHA1_BYTES];
		char hex[41];
		hmac_sha1(mac[i].key, mac[i].keylen, (const unsigned char *)m, strlen(m), d);
		is_str(hex_of(d, sizeof(d), hex), mac[i].hex, "HMAC-SHA-1, RFC 2202 case %zu", i + 1);
	}
}

static void
test_base32(void)
{
	/* RFC 4648 §10. */
	static const struct {
		const char *bin, *b32;
	} v[] = {
	    {"", ""},          {"f", "MY======"},         {"fo", "MZXQ===="},
	    {"foo", "MZXW6==="}, {"foob", "MZXW6YQ="},    {"fooba", "MZXW6YTB"},
	    {"foobar", "MZXW6YTBOI======"},
	};
	for (size_t i = 0; i < N(v); i++) {
		char out[32];
		unsigned char back[16];
		size_t n = strlen(v[i].bin);
		base32_encode((const unsigned char *)v[i].bin, n, true, out, sizeof(out));
		is_str(out, v[i].b32, "base32 of \"%s\"", v[i].bin);
		long m = base32_decode(v[i].b32, back, sizeof(back));
		ok(m == (long)n && memcmp(back, v[i].bin, n) == 0, "base32 decodes \"%s\"", v[i].b32);
	}
	char out[64];
	base32_encode((const unsigned char *)"12345678901234567890", 20, false, out, sizeof(out));
	is_str(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "the RFC 6238 secret, unpadded (32 characters)");
	unsigned char back[32];
	is_int(base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", back, sizeof(back)), 20,
	       "decoding ignores case and spaces");
	static const char *bad[] = {"MY1=====", "M", "MZX", "MZXW6Y", "MZ=XQ", "MZ"};
	for (size_t i = 0; i < N(bad); i++)
		is_int(base32_decode(bad[i], back, sizeof(back)), -1, "not base32: \"%s\"", bad[i]);
	is_int(base32_encode((const unsigned char *)"foobar", 6, true, out, 16), 0,
	       "encoding into a buffer too small fails");
}

static void
test_totp(void)
{
	/* RFC 6238 appendix B, SHA-1 rows: the 8-digit values, and the 6 digits
	 * the reference code gives (binary % 10^6, i.e. the last six). */
	const unsigned char *key = (const unsigned char *)"12345678901234567890";
	static const struct {
		int64_t t;
		uint32_t eight, six;
	} v[] = {
	    {59, 94287082, 287082},         {1111111109, 7081804, 81804},
	    {1111111111, 14050471, 50471},  {1234567890, 89005924, 5924},
	    {2000000000, 69279037, 279037}, {20000000000LL, 65353130, 353130},
	};
	for (size_t i = 0; i < N(v); i++) {
		is_int(hotp(key, 20, totp_step(v[i].t), 8), v[i].eight, "TOTP (8 digits) at T=%lld",
		       (long long)v[i].t);
		is_int(hotp(key, 20, totp_step(v[i].t), 6), v[i].six, "TOTP (6 digits) at T=%lld",
		       (long long)v[i].t);
	}
	is_int(totp_step(59), 1, "T=59 is step 1");
	is_int(totp_step(1111111109), 0x23523EC, "T=1111111109 is step 0x23523EC");

	/* Acceptance: ±1 step of drift, each step once. Step 1 (T=30..59) gives 287082. */
	static const struct {
		const char *code;
		int64_t now;
		uint64_t last;
		enum totp_verdict want;
		uint64_t step;
		const char *why;
	} c[] = {
	    {"287082", 59, 0, TOTP_OK, 1, "the current step's code"},
	    {"287082", 30, 0, TOTP_OK, 1, "at the first second of its step"},
	    {"287082", 29, 0, TOTP_OK, 1, "one step early (clock behind)"},
	    {"287082", 89, 0, TOTP_OK, 1, "one step late (clock ahead)"},
	    {"287082", 90, 0, TOTP_WRONG, 0, "two steps late: refused"},
	    {"287082", 120, 0, TOTP_WRONG, 0, "three steps late: refused"},
	    {"287082", 59, 1, TOTP_REUSED, 0, "the step already used: refused once used"},
	    {"287082", 59, 2, TOTP_REUSED, 0, "an older step than the last used one"},
	    {"287 082", 59, 0, TOTP_OK, 1, "spaces are ignored"},
	    {"000000", 59, 0, TOTP_WRONG, 0, "a wrong code"},
	    {"28708", 59, 0, TOTP_MALFORMED, 0, "five digits"},
	    {"2870820", 59, 0, TOTP_MALFORMED, 0, "seven digits"},
	    {"28708a", 59, 0, TOTP_MALFORMED, 0, "a letter"},
	    {"", 59, 0, TOTP_MALFORMED, 0, "empty"},
	};
	for (size_t i = 0; i < N(c); i++) {
		uint64_t step = 0;
		enum totp_verdict got = totp_check(key, 20, c[i].code, c[i].now, c[i].last, &step);
		ok(got == c[i].want && (got != TOTP_OK || step == c[i].step), "totp_check: %s",
		   c[i].why);
	}
}

static void
test_twofactor(void)
{
	static const struct {
		unsigned roles;
		bool enabled, due;
		enum tfa_need want;
		const char *why;
	} need[] = {
	    {R(GLOBAL_ADMIN), false, false, TFA_OFFERED, "a partner without 2FA is offered it"},
	    {R(MEMBER), false, true, TFA_OFFERED, "a partner is never forced (no deadline applies)"},
	    {R(MEMBER), true, false, TFA_ON, "a partner with 2FA"},
	    {R(REVIEWER), false, false, TFA_GRACE, "a reviewer before the deadline"},
	    {R(REVIEWER), false, true, TFA_ENROL_NOW, "a reviewer past the deadline must enrol"},
	    {R(STAFF_ADMIN), false, true, TFA_ENROL_NOW, "a staff admin past the deadline too"},
	    {R(STAFF_ADMIN), true, true, TFA_ON, "staff enrolled"},
	};
	for (size_t i = 0; i < N(need); i++)
		is_int(tfa_need(need[i].roles, need[i].enabled, need[i].due), need[i].want,
		       "tfa_need: %s", need[i].why);
	is_int(tfa_off_check(R(GLOBAL_ADMIN), true), TFA_OFF_OK, "a partner may turn 2FA off");
	is_int(tfa_off_check(R(REVIEWER), true), TFA_OFF_STAFF, "a reviewer may not");
	is_int(tfa_off_check(R(STAFF_ADMIN), true), TFA_OFF_STAFF, "a staff admin may not");
	is_int(tfa_off_check(R(MEMBER), false), TFA_OFF_NOT_ENABLED, "nothing to turn off");

	unsigned char rnd[RECOVERY_CODE_CHARS] = {0, 1, 2, 3, 31, 32, 33, 8, 9, 255};
	char code[RECOVERY_CODE_CHARS + 2], norm[RECOVERY_CODE_CHARS + 1];
	recovery_code_format(rnd, code);
	is_str(code, "2345Z-23ABZ", "recovery code: 10 characters in two groups");
	static const struct {
		const char *in, *want;
	} rc[] = {
	    {"23455-234AB", "23455234AB"}, {"23455 234ab", "23455234AB"}, {"23455234AB", "23455234AB"},
	    {"23455-234A", NULL},          {"23455-234ABC", NULL},        {"O1455-234AB", NULL},
	    {"", NULL},
	};
	for (size_t i = 0; i < N(rc); i++) {
		bool okv = recovery_code_normalize(rc[i].in, norm);
		ok(rc[i].want ? okv && strcmp(norm, rc[i].want) == 0 : !okv,
		   "recovery code \"%s\" %s", rc[i].in, rc[i].want ? "is read" : "is refused");
	}
}

/* ---- addresses by country (src/domain/address.c: sources there) ---- */

static void
test_addresses(void)
{
	static const struct {
		struct postal_address a;
		const char *one, *block, *why;
	} cases[] = {
	    {{"1 Main St", "", "Springfield", "IL", "62701", "US"}, "1 Main St, Springfield, IL 62701",
	     "1 Main St\nSpringfield, IL 62701", "US: city, state ZIP on the last line"},
	    {{"1 Broadway", "Suite 200", "Cambridge", "MA", "02139", "US"},
	     "1 Broadway, Suite 200, Cambridge, MA 02139", NULL,
	     "US: the ZIP Code after the state, never before the city"},
	    {{"100 Queen St W", "", "Toronto", "ON", "M5H 2N2", "CA"},
	     "100 Queen St W, Toronto, ON M5H 2N2", NULL, "CA: city, province, postal code"},
	    {{"10 Downing Street", "", "London", "", "SW1A 2AA", "GB"},
	     "10 Downing Street, London, SW1A 2AA", "10 Downing Street\nLondon\nSW1A 2AA",
	     "GB: post town, then the postcode on its own line"},
	    {{"1 High St", "", "Guildford", "Surrey", "GU1 3AA", "GB"},
	     "1 High St, Guildford, Surrey, GU1 3AA", NULL, "GB: a county given is kept before the postcode"},
	    {{"1 avenue de France", "", "Paris", "", "75013", "FR"}, "1 avenue de France, 75013 Paris",
	     "1 avenue de France\n75013 Paris", "FR: postcode before the town"},
	    {{"Unter den Linden 1", "", "Berlin", "Berlin", "10117", "DE"},
	     "Unter den Linden 1, 10117 Berlin", NULL, "DE: postcode before the town; a Land that repeats the town is not repeated"},
	    {{"Marienplatz 1", "", "M\xc3\xbcnchen", "Bayern", "80331", "DE"},
	     "Marienplatz 1, 80331 M\xc3\xbcnchen, Bayern", "Marienplatz 1\n80331 M\xc3\xbcnchen\nBayern",
	     "DE: a Land entered is kept after the town"},
	    {{"8 rue du Faubourg", "B\xc3\xa2timent B", "Paris", "\xc3\x8ele-de-France", "75008", "FR"},
	     "8 rue du Faubourg, B\xc3\xa2timent B, 75008 Paris, \xc3\x8ele-de-France", NULL,
	     "FR: a region entered is kept after the postcode and town"},
	    {{"1-1 Chiyoda", "", "Chiyoda-ku", "Tokyo", "100-0001", "JP"},
	     "1-1 Chiyoda, Chiyoda-ku, Tokyo 100-0001", NULL, "JP in Latin script: smallest unit first"},
	    {{"\xe5\x8d\x83\xe4\xbb\xa3\xe7\x94\xb0" "1-1", "", "\xe5\x8d\x83\xe4\xbb\xa3\xe7\x94\xb0\xe5\x8c\xba",
	      "\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd", "100-0001", "JP"},
	     "\xe3\x80\x92" "100-0001 \xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd \xe5\x8d\x83\xe4\xbb\xa3\xe7\x94\xb0\xe5\x8c\xba \xe5\x8d\x83\xe4\xbb\xa3\xe7\x94\xb0" "1-1",
	     "\xe3\x80\x92" "100-0001 \xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd \xe5\x8d\x83\xe4\xbb\xa3\xe7\x94\xb0\xe5\x8c\xba \xe5\x8d\x83\xe4\xbb\xa3\xe7\x94\xb0" "1-1",
	     "JP in Japanese script: \xe3\x80\x92postcode, prefecture, city, street, on one line"},
	    {{"Calle Mayor 1", "", "Madrid", "Madrid", "28013", "ES"}, "Calle Mayor 1, 28013 Madrid, Madrid",
	     NULL, "another country: postcode city, region"},
	    {{"1 Main St", "", "Springfield", "", "", "US"}, "1 Main St, Springfield", NULL,
	     "empty fields leave no stray separator"},
	};
	char buf[256];
	for (size_t i = 0; i < N(cases); i++) {
		address_format(&cases[i].a, ", ", buf, sizeof(buf));
		is_str(buf, cases[i].one, "address: %s", cases[i].why);
		if (cases[i].block) {
			address_format(&cases[i].a, "\n", buf, sizeof(buf));
			is_str(buf, cases[i].block, "address block: %s", cases[i].why);
		}
	}
	struct postal_address us = {"1 Main St", "", "Springfield", "IL", "62701", "US"};
	char small[8];
	size_t need = address_format(&us, ", ", small, sizeof(small));
	ok(need == strlen("1 Main St, Springfield, IL 62701") && strcmp(small, "1 Main ") == 0,
	   "a short buffer is truncated and the length needed returned");
	is_int(address_style_of(&(struct postal_address){.country = "JP", .city = "Osaka"}), ADDRESS_JP,
	       "JP in ASCII is the Latin layout");
}

/* ---- audit entries as sentences (src/domain/audit_text.c) ---- */

static const char *
sentence(const char *action, const struct audit_fact *f, size_t n)
{
	static char buf[512];
	struct audit_sentence s = audit_sentence(action, f, n);
	const char *args[AUDIT_ARGS] = {0};
	for (size_t i = 0; i < s.nargs; i++)
		args[i] = s.args[i].value;
	audit_fill(s.msgid, args, s.nargs, buf, sizeof(buf));
	return buf;
}

static void
test_audit_sentences(void)
{
#define F(...) ((const struct audit_fact[]){__VA_ARGS__})
#define NF(...) (sizeof((const struct audit_fact[]){__VA_ARGS__}) / sizeof(struct audit_fact))
#define CASE(action, want, ...) is_str(sentence(action, F(__VA_ARGS__), NF(__VA_ARGS__)), want, "audit %s: %s", action, want)
	CASE("csp.address", "Address checked: Verified as entered", {"verdict", "verified"},
	     {"choice", "entered"});
	CASE("csp.address", "Address checked: Corrected: the address service has a standard form of it; the suggested form was kept",
	     {"verdict", "corrected"}, {"choice", "suggested"});
	CASE("csp.address", "Recorded action: csp.address", {"verdict", "no-such-verdict"});
	CASE("csp.company", "Company chosen by DUNS number 804735132: Contoso Inc",
	     {"source", "duns"}, {"duns", "804735132"}, {"legal_name", "Contoso Inc"});
	CASE("csp.company", "Company chosen from the DUNS search: Contoso Inc, DUNS number 804735132 (confidence 9/10)",
	     {"source", "lookup"}, {"duns", "804735132"}, {"legal_name", "Contoso Inc"}, {"confidence", "9"});
	CASE("csp.company", "Company entered by hand: Fabrikam SAS", {"source", "manual"},
	     {"legal_name", "Fabrikam SAS"});
	CASE("csp.reject", "Application rejected: Not a company", {"status", "rejected"},
	     {"note", "Not a company"});
	CASE("csp.approve", "Application approved", {"status", "approved"}, {"note", ""});
	CASE("csp.reject", "Application rejected", {"note", ""});
	CASE("csp.document", "Document sent: Tax certificate", {"type", "tax_certificate"});
	CASE("csp.contact", "Contacts stored; CSP model: Indirect reseller", {"model", "indirect_reseller"});
	CASE("location.deactivate", "Location 1234567 deactivated", {"object", "1234567"});
	CASE("location.add", "Location 1234567 added: Lyon office", {"object", "1234567"},
	     {"partner_id", "1234567"}, {"name", "Lyon office"});
	CASE("user.roles", "Roles of a@b.example changed to referral_admin", {"object", "a@b.example"},
	     {"roles", "referral_admin"});
	CASE("no.such.action", "Recorded action: no.such.action", {"object", "x"});
	is_str(sentence(NULL, NULL, 0), "Recorded action: ?", "audit: no action code at all");
	struct audit_sentence s = audit_sentence("user.invite", F({"object", "a@b.example"}, {"roles", "member,profile_admin"}), 2);
	ok(s.nargs == 2 && s.args[1].kind == AUDIT_ARG_ROLES && s.args[0].kind == AUDIT_ARG_TEXT,
	   "audit: the roles of an invitation are role codes for the page to name");
	s = audit_sentence("csp.address", F({"verdict", "verified"}), 1);
	ok(s.args[0].kind == AUDIT_ARG_MSGID, "audit: a verdict is a msgid to translate");
	/* Every code the portal records has its own sentence (not the generic one). */
	static const char *const codes[] = {
	    "partner.enroll", "legal.update", "location.add", "location.deactivate", "location.reactivate",
	    "location.delete", "account.close", "user.invite", "user.roles", "user.password_change",
	    "user.password_reset", "user.2fa_enable", "user.2fa_disable", "user.2fa_recovery_codes",
	    "staff.add", "domain_claim.release", "domain_claim.takeover", "domain_claim.expire",
	    "csp.location", "csp.company", "csp.address", "csp.contact", "csp.submit", "csp.approve",
	    "csp.reject", "csp.request_document", "csp.request_questionnaire", "csp.document",
	    "csp.questionnaire", "csp.agreement", "profile.migrate", "legacy.import", "legacy.link_pga",
	    "customer.add", "csp.eligibility", "offers.import", "scores.import", "competency.set",
	    "designation.qualify", "designation.enroll", "designation.purchase", "designation.renew",
	    "designation.renewal_due", "designation.end", "isv.enroll"};
	static const struct audit_fact any[] = {{"object", "X"}, {"partner_id", "1"}, {"model", "direct_bill"},
	                                        {"verdict", "verified"}, {"signed_up", "a@b.example"}};
	for (size_t i = 0; i < N(codes); i++)
		ok(strcmp(audit_sentence(codes[i], any, N(any)).msgid, "Recorded action: {1}") != 0,
		   "audit: %s has a sentence of its own", codes[i]);
	char buf[64];
	audit_fill("{2} before {1}, {3} stays", (const char *const[]){"a", "b"}, 2, buf, sizeof(buf));
	is_str(buf, "b before a, {3} stays", "audit: arguments go where the translation puts them");
	ok(audit_fill("{1}{1}", (const char *const[]){"abcdef"}, 1, buf, 8) == 12 && strcmp(buf, "abcdefa") == 0,
	   "audit: fill truncates and returns the length needed");
#undef CASE
#undef NF
#undef F
}

/* ---- what waits for the partner, and the CSP emails (DOMAIN §3.6–3.8) ---- */

static void
test_csp_waiting(void)
{
	static const struct {
		enum csp_status  s;
		enum csp_request pending;
		enum csp_wait    want;
		const char      *why;
	} cases[] = {
	    {CSP_NONE, CSP_ASKS_NONE, CSP_WAIT_NONE, "no application: nothing waits"},
	    {CSP_DRAFT, CSP_ASKS_NONE, CSP_WAIT_NONE, "a draft: nothing waits (the wizard is no action)"},
	    {CSP_PENDING_REVIEW, CSP_ASKS_NONE, CSP_WAIT_NONE, "with staff: nothing waits for the partner"},
	    {CSP_INFO_REQUESTED, CSP_ASKS_DOCUMENT, CSP_WAIT_DOCUMENT, "a document asked for waits"},
	    {CSP_INFO_REQUESTED, CSP_ASKS_QUESTIONNAIRE, CSP_WAIT_QUESTIONNAIRE,
	     "a questionnaire asked for waits"},
	    {CSP_APPROVED, CSP_ASKS_NONE, CSP_WAIT_AGREEMENT, "approved: the agreement waits"},
	    {CSP_ACTIVE, CSP_ASKS_NONE, CSP_WAIT_NONE, "active: nothing waits"},
	    {CSP_REJECTED, CSP_ASKS_NONE, CSP_WAIT_NONE, "rejected: nothing waits"},
	};
	for (size_t i = 0; i < N(cases); i++)
		is_int(csp_waiting(cases[i].s, cases[i].pending), cases[i].want, "waiting: %s",
		       cases[i].why);
	static const struct {
		enum csp_status    from;
		enum csp_action    action;
		enum csp_request   pending;
		enum csp_mail_kind want;
	} mails[] = {
	    {CSP_DRAFT, CSP_SUBMIT, CSP_ASKS_NONE, CSP_MAIL_SUBMITTED},
	    {CSP_PENDING_REVIEW, CSP_REQUEST_DOCUMENT, CSP_ASKS_NONE, CSP_MAIL_DOCUMENT},
	    {CSP_PENDING_REVIEW, CSP_REQUEST_QUESTIONNAIRE, CSP_ASKS_NONE, CSP_MAIL_QUESTIONNAIRE},
	    {CSP_PENDING_REVIEW, CSP_APPROVE, CSP_ASKS_NONE, CSP_MAIL_APPROVED},
	    {CSP_PENDING_REVIEW, CSP_REJECT, CSP_ASKS_NONE, CSP_MAIL_REJECTED},
	};
	for (size_t i = 0; i < N(mails); i++) {
		const struct csp_transition *t = csp_next(mails[i].from, mails[i].action, mails[i].pending);
		ok(t != NULL, "mail: %s from %s is a transition", csp_action_code(mails[i].action),
		   csp_status_code(mails[i].from));
		is_int(csp_mail_kind_of(t), mails[i].want, "mail: %s sends the %s email",
		       csp_action_code(mails[i].action), csp_mail_code(mails[i].want));
	}
	is_int(csp_mail_kind_of(NULL), CSP_MAIL_NONE, "mail: no transition, no email");
	for (int i = CSP_MAIL_SUBMITTED; i < CSP_MAIL__MAX; i++)
		for (int j = CSP_MAIL_SUBMITTED; j < i; j++)
			ok(strcmp(csp_mail_subject(i), csp_mail_subject(j)) != 0 &&
			       strstr(csp_mail_subject(i), "{1}") != NULL,
			   "mail: %s and %s have distinct subjects naming the company", csp_mail_code(i),
			   csp_mail_code(j));
}

static void
test_review(void)
{
	/* The comparison of the reviewer's console: the same once normalised? */
	static const struct {
		enum review_field_kind kind;
		const char *a, *b;
		bool same;
		const char *why;
	} cmp[] = {
	    {RF_NAME, "Gorman Manufacturing Company, Inc.", "GORMAN MANUFACTURING COMPANY, INC.", true, "case and punctuation"},
	    {RF_NAME, "Gorman Manufacturing Co Inc", "GORMAN MANUFACTURING COMPANY, INC.", true, "COMPANY = CO"},
	    {RF_NAME, "Contoso Incorporated", "CONTOSO INC.", true, "INCORPORATED = INC, the dot dropped"},
	    {RF_NAME, "Contoso Limited", "CONTOSO LTD", true, "LIMITED = LTD"},
	    {RF_NAME, "Fabrikam Corporation", "FABRIKAM CORP.", true, "CORPORATION = CORP"},
	    {RF_NAME, "Smith & Sons", "SMITH AND SONS", true, "& = AND"},
	    {RF_NAME, "Smith&Sons", "Smith and Sons", true, "& without spaces"},
	    {RF_NAME, "Margies Travel LLC", "MARGIE'S TRAVEL L.L.C.", true, "apostrophe and dots dropped"},
	    {RF_NAME, "  Contoso   Ltd ", "CONTOSO LTD", true, "outer and repeated spaces"},
	    {RF_NAME, "Contoso", "CONTOSO LTD", false, "a suffix missing differs"},
	    {RF_NAME, "Contoso Ltd", "CONTOSO PHARMACEUTICALS INC", false, "another company"},
	    {RF_STREET, "492 Koller Street", "492 KOLLER ST", true, "STREET = ST"},
	    {RF_STREET, "1 Microsoft Way", "1 MICROSOFT WAY", true, "case only"},
	    {RF_STREET, "4000 North First St.", "4000 N FIRST ST", true, "NORTH = N, dot dropped"},
	    {RF_STREET, "500 East Pike Street", "500 E PIKE ST", true, "EAST = E"},
	    {RF_STREET, "3000 Sand Hill Road", "3000 SAND HILL RD", true, "ROAD = RD"},
	    {RF_STREET, "1200 Park Avenue", "1200 PARK AVE", true, "AVENUE = AVE"},
	    {RF_STREET, "Suite 100", "STE 100", true, "SUITE = STE"},
	    {RF_STREET, "2 Quai Saint-Antoine", "2 QUAI SAINT ANTOINE", true, "a hyphen is a space"},
	    {RF_STREET, "492 Koller St", "493 KOLLER ST", false, "another number"},
	    {RF_STREET, "492 Koller St", "492 KOLLER AVE", false, "another suffix"},
	    {RF_STREET, "", "", true, "two empty lines agree"},
	    {RF_STREET, "Suite 100", "", false, "a line 2 only on one side differs"},
	    {RF_CITY, "Saint Paul", "ST PAUL", true, "SAINT = ST in a city"},
	    {RF_CITY, "Fort Worth", "FT WORTH", true, "FORT = FT"},
	    {RF_CITY, "San Francisco", "SAN FRANCISCO", true, "case"},
	    {RF_CITY, "Oakland", "SAN FRANCISCO", false, "another city"},
	    {RF_REGION, "California", "CA", true, "a state's name is its code"},
	    {RF_REGION, "new  york", "NY", true, "any case and spacing"},
	    {RF_REGION, "ca", "CA", true, "a code in lower case"},
	    {RF_REGION, "CA", "WA", false, "another state"},
	    {RF_REGION, "île-de-france", "ÎLE DE FRANCE", true, "accented letters in any case"},
	    {RF_CITY, "München", "MÜNCHEN", true, "ü = Ü"},
	    {RF_CITY, "Munchen", "MÜNCHEN", false, "an accent missing differs"},
	    {RF_REGION, "Ontario", "Ontario", true, "a region outside the US, same text"},
	    {RF_POSTAL, "94110", "94110-1234", true, "a ZIP agrees with its ZIP+4"},
	    {RF_POSTAL, "941101234", "94110", true, "and the other way"},
	    {RF_POSTAL, "94110", "94111-1234", false, "another ZIP"},
	    {RF_POSTAL, "sw1a 2aa", "SW1A2AA", true, "case and spaces of a UK postcode"},
	    {RF_POSTAL, "75002", "75008", false, "another code"},
	    {RF_POSTAL, "9411", "94110-1234", false, "a shorter prefix is not a ZIP"},
	    {RF_COUNTRY, "us", "US", true, "country code case"},
	    {RF_COUNTRY, "US", "CA", false, "another country"},
	};
	for (size_t i = 0; i < N(cmp); i++)
		ok(review_same(cmp[i].kind, cmp[i].a, cmp[i].b) == cmp[i].same,
		   "review_same \"%s\" / \"%s\": %s", cmp[i].a, cmp[i].b, cmp[i].why);

	char out[64];
	review_normalize(RF_STREET, "4000 North 1st Street, Suite 5", out, sizeof(out));
	is_str(out, "4000 N 1ST ST STE 5", "normal form of a street line");
	review_normalize(RF_NAME, "Gorman Manufacturing Company, Inc.", out, 12);
	is_str(out, "GORMAN MANU", "the normal form is cut to fit");
	review_normalize(RF_NAME, NULL, out, sizeof(out));
	is_str(out, "", "no value: empty");

	static const struct {
		bool duns;
		int confidence;
		const char *status;
		enum csp_verdict verdict;
		unsigned want;
		const char *why;
	} warn[] = {
	    {true, 8, "Active", CSP_VERDICT_VERIFIED, 0, "a strong active match, verified address"},
	    {true, 5, "Active", CSP_VERDICT_CORRECTED, 0, "5 is not below the floor; corrected is fine"},
	    {true, 4, "Active", CSP_VERDICT_VERIFIED, RW_LOW_CONFIDENCE, "4 is a weak match"},
	    {true, 1, "", CSP_VERDICT_VERIFIED, RW_LOW_CONFIDENCE, "1 is a weak match"},
	    {true, 0, "Active", CSP_VERDICT_VERIFIED, 0, "0: a DUNS typed, no match to judge"},
	    {true, 9, "Out of Business", CSP_VERDICT_VERIFIED, RW_OUT_OF_BUSINESS, "out of business"},
	    {true, 9, "active", CSP_VERDICT_VERIFIED, 0, "Active in any case"},
	    {true, 9, "", CSP_VERDICT_VERIFIED, 0, "no status said: not out of business"},
	    {false, 0, "", CSP_VERDICT_VERIFIED, RW_NO_DUNS, "entered by hand"},
	    {false, 3, "Out of Business", CSP_VERDICT_VERIFIED, RW_NO_DUNS, "no DUNS: no D&B warning"},
	    {true, 9, "Active", CSP_VERDICT_NOT_FOUND, RW_ADDRESS_UNVERIFIED, "address not found"},
	    {true, 9, "Active", CSP_VERDICT_UNVERIFIED, RW_ADDRESS_UNVERIFIED, "service unavailable"},
	    {true, 9, "Active", CSP_VERDICT_NOT_CHECKED, RW_ADDRESS_UNVERIFIED, "not checked"},
	    {true, 9, "Active", CSP_VERDICT_UNDELIVERABLE, RW_ADDRESS_UNVERIFIED, "undeliverable"},
	    {true, 2, "Out of Business", CSP_VERDICT_NEEDS_UNIT,
	     RW_LOW_CONFIDENCE | RW_OUT_OF_BUSINESS | RW_ADDRESS_UNVERIFIED, "all three at once"},
	};
	for (size_t i = 0; i < N(warn); i++)
		is_int(review_warnings(warn[i].duns, warn[i].confidence, warn[i].status, warn[i].verdict),
		       warn[i].want, "review_warnings: %s", warn[i].why);
	is_str(review_warning_code(0), "low_confidence", "warning code of bit 0");
	is_str(review_warning_code(3), "address_unverified", "warning code of bit 3");
	ok((1u << 1) == RW_OUT_OF_BUSINESS && strcmp(review_warning_code(1), "out_of_business") == 0,
	   "bit 1 is out_of_business");
	ok((1u << 2) == RW_NO_DUNS && strcmp(review_warning_code(2), "no_duns") == 0,
	   "bit 2 is no_duns");

	static const struct {
		long long days;
		enum review_age want;
	} age[] = {{0, AGE_0_2}, {2, AGE_0_2}, {3, AGE_3_7}, {7, AGE_3_7}, {8, AGE_8_14},
	           {14, AGE_8_14}, {15, AGE_15_PLUS}, {400, AGE_15_PLUS}, {-1, AGE_0_2}};
	for (size_t i = 0; i < N(age); i++)
		is_int(review_age_bucket(age[i].days), age[i].want, "%lld days: bucket %s", age[i].days,
		       review_age_code(age[i].want));
	for (int a = 0; a < AGE__MAX; a++) {
		long long lo, hi;
		review_age_range((enum review_age)a, &lo, &hi);
		ok((int)review_age_bucket(lo) == a && (int)review_age_bucket(hi) == a &&
		       (a == 0 || (int)review_age_bucket(lo - 1) == a - 1) &&
		       (a == AGE__MAX - 1 || (int)review_age_bucket(hi + 1) == a + 1),
		   "the range of bucket %s is exactly its days", review_age_code((enum review_age)a));
		is_int(review_age_parse(review_age_code((enum review_age)a)), a, "parse %s",
		       review_age_code((enum review_age)a));
	}
	is_int(review_age_parse("15"), -1, "an unknown bucket");
	is_int(review_age_parse(NULL), -1, "no bucket");
}

/* The public directory's search: parameters, keywords, pages. */
static void
test_directory(void)
{
	static const struct {
		const char *q, *want;
		size_t n;
		const char *why;
	} kw[] = {
	    {"", "", 0, "no keywords"},
	    {NULL, "", 0, "absent keywords"},
	    {"cloud", "+cloud*", 1, "one word, a required prefix"},
	    {"Cloud Sécurité", "+cloud* +sécurité*", 2, "ASCII lower-cased, accents kept (the collation folds them)"},
	    {"SÉCURITÉ", "+sÉcuritÉ*", 1, "non-ASCII letters left to the collation"},
	    {"les partenaires de la sécurité", "+partenaires* +sécurité*", 2, "French stopwords dropped"},
	    {"the data and the cloud", "+data* +cloud*", 2, "English stopwords dropped"},
	    {"AI ML BI erp", "+erp*", 1, "words under 3 characters are not indexed: dropped"},
	    {"été", "", 0, "an accented stopword"},
	    {"+cloud -azure", "+cloud* +azure*", 2, "boolean operators are separators"},
	    {"\"azure\" (devops) <x> ~ai @3 data*", "+azure* +devops* +data*", 3, "quotes, brackets, tilde, at and star separate"},
	    {"l'entreprise", "+entreprise*", 1, "an apostrophe separates"},
	    {"l\xe2\x80\x99" "entreprise", "+entreprise*", 1, "a typographic apostrophe separates"},
	    {"«\xc2\xa0sécurité\xc2\xa0»", "+sécurité*", 1, "French quotes and no-break spaces"},
	    {"microsoft_365 dynamics-365", "+microsoft* +365* +dynamics*", 3, "underscore and dash separate, digits are words"},
	    {"cloud CLOUD Cloud", "+cloud*", 1, "a word once"},
	    {"one two three four five six seven eight nine ten", "+one* +two* +three* +four* +five* +six* +seven* +eight*", 8, "at most 8 words"},
	    {"%_\\'; DROP", "+drop*", 1, "SQL characters are separators (and the value is bound anyway)"},
	};
	for (size_t i = 0; i < N(kw); i++) {
		char out[DIRECTORY_EXPR_MAX];
		size_t n = directory_keywords_expr(kw[i].q, out, sizeof(out));
		is_str(out, kw[i].want, "keywords: %s", kw[i].why);
		is_int(n, kw[i].n, "keywords: %s (count)", kw[i].why);
	}
	char longw[200];
	memset(longw, 'x', 85);
	longw[85] = '\0';
	char out[DIRECTORY_EXPR_MAX];
	is_int(directory_keywords_expr(longw, out, sizeof(out)), 0, "a word over 84 characters is dropped");
	longw[84] = '\0';
	is_int(directory_keywords_expr(longw, out, sizeof(out)), 1, "a word of 84 characters is kept");
	char small[10];
	directory_keywords_expr("cloud security", small, sizeof(small));
	is_str(small, "+cloud*", "a short buffer keeps whole words only");
	ok(directory_stopword("pour") && directory_stopword("the") && !directory_stopword("cloud"),
	   "stopwords of both languages");
	static const struct {
		const char *country;
		bool sells;
		const char *want, *why;
	} toks[] = {
	    {"FR", false, "ccfrp", "a publish location"},
	    {"be", true, "ccbes", "a sell market, the code lower-cased"},
	    {"F1", false, "", "not two letters"},
	    {"FRA", true, "", "three letters"},
	    {NULL, false, "", "no country"},
	};
	for (size_t i = 0; i < N(toks); i++) {
		char tok[DIRECTORY_TOKEN_SIZE];
		directory_country_token(toks[i].country, toks[i].sells, tok);
		is_str(tok, toks[i].want, "country token: %s", toks[i].why);
	}
	static const struct {
		enum directory_kinds k;
		const char *want, *why;
	} cex[] = {
	    {DIRECTORY_KINDS_PUBLISHED, "+ccfrp +cloud* +data*", "published there"},
	    {DIRECTORY_KINDS_SELLS, "+ccfrs +cloud* +data*", "selling there only"},
	    {DIRECTORY_KINDS_BOTH, "+(ccfrp ccfrs) +cloud* +data*", "either"},
	};
	for (size_t i = 0; i < N(cex); i++) {
		char e[DIRECTORY_CEXPR_MAX];
		directory_country_expr("FR", cex[i].k, "+cloud* +data*", e, sizeof(e));
		is_str(e, cex[i].want, "country expression: %s", cex[i].why);
	}

	static const struct {
		const char *country, *q, *sa, *ind, *lang, *page;
		const char *want_country, *want_q, *want_sa, *want_ind, *want_lang;
		long want_page;
		const char *why;
	} qs[] = {
	    {NULL, NULL, NULL, NULL, NULL, NULL, "", "", "", "", "", 1, "nothing given"},
	    {"fr", "  cloud  ", "security", "retail", "fr", "3", "FR", "cloud", "security", "retail", "fr", 3, "every parameter"},
	    {"FRA", "", "", "", "", "0", "", "", "", "", "", 1, "a three-letter country, page 0"},
	    {"F1", "", "Security", "re tail", "fra", "-2", "", "", "", "", "", 1, "bad values are ignored"},
	    {"", "", "data_ai", "x'or", "e1", "2x", "", "", "data_ai", "", "", 1, "an underscore is fine, a quote is not"},
	    {"", "", "", "", "", "99999999999999999999", "", "", "", "", "", 100000000, "a huge page saturates"},
	    {"", "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", "", "", "", "", "", "", "", 1, "a facet value over 40 bytes"},
	};
	for (size_t i = 0; i < N(qs); i++) {
		struct directory_query dq;
		const char *f[DIRECTORY_FACET__MAX] = {qs[i].sa, qs[i].ind, qs[i].lang};
		directory_query_parse(&dq, qs[i].country, qs[i].q, f, qs[i].page);
		ok(strcmp(dq.country, qs[i].want_country) == 0 && strcmp(dq.q, qs[i].want_q) == 0 &&
		       strcmp(dq.facet[DIRECTORY_FACET_SOLUTION_AREA], qs[i].want_sa) == 0 &&
		       strcmp(dq.facet[DIRECTORY_FACET_INDUSTRY], qs[i].want_ind) == 0 &&
		       strcmp(dq.facet[DIRECTORY_FACET_LANGUAGE], qs[i].want_lang) == 0 &&
		       dq.page == qs[i].want_page,
		   "query: %s", qs[i].why);
	}
	char longq[400];
	memset(longq, 'a', sizeof(longq));
	memcpy(longq + DIRECTORY_Q_MAX - 1, "\xc3\xa9", 2);
	longq[sizeof(longq) - 1] = '\0';
	struct directory_query dq;
	directory_query_parse(&dq, NULL, longq, NULL, NULL);
	is_int(strlen(dq.q), DIRECTORY_Q_MAX - 1, "long keywords are cut before a split character");

	static const struct {
		long long total;
		long page, want_page, want_last, want_offset;
		bool clamped;
		const char *why;
	} pg[] = {
	    {0, 1, 1, 1, 0, false, "no results: page 1 of 1"},
	    {0, 5, 1, 1, 0, true, "no results, page 5: page 1"},
	    {20, 1, 1, 1, 0, false, "20 results: one page"},
	    {21, 2, 2, 2, 20, false, "21 results: page 2 holds the last"},
	    {21, 3, 2, 2, 20, true, "past the last page: the last"},
	    {21, 0, 1, 2, 0, true, "page 0: page 1"},
	    {21, -7, 1, 2, 0, true, "a negative page: page 1"},
	    {100000, 50, 50, 50, 980, false, "deep pages stop at 50"},
	    {100000, 51, 50, 50, 980, true, "page 51: the deepest page"},
	    {100000, 100000000, 50, 50, 980, true, "a huge page: the deepest page"},
	};
	for (size_t i = 0; i < N(pg); i++) {
		struct directory_page p = directory_page_bounds(pg[i].total, pg[i].page);
		ok(p.page == pg[i].want_page && p.last == pg[i].want_last &&
		       p.offset == pg[i].want_offset && p.clamped == pg[i].clamped,
		   "pages: %s", pg[i].why);
	}
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++)
		is_int(directory_facet_parse(directory_facet_code((enum directory_facet)f)), f,
		       "facet %s", directory_facet_code((enum directory_facet)f));
	is_int(directory_facet_parse("services"), -1, "an unknown facet");

	/* The facet masks. */
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++) {
		size_t n = directory_facet_bits((enum directory_facet)f);
		ok(n > 0 && n < DIRECTORY_NONE_BIT, "facet %s: %zu values fit in a mask",
		   directory_facet_code((enum directory_facet)f), n);
		bool round = true;
		for (size_t b = 0; b < n; b++)
			round = round && directory_facet_bit((enum directory_facet)f,
			                                     directory_facet_bit_code((enum directory_facet)f, (int)b)) == (int)b;
		ok(round, "facet %s: every value's bit maps back to it", directory_facet_code((enum directory_facet)f));
		ok(directory_facet_bit_code((enum directory_facet)f, (int)n) == NULL &&
		       directory_facet_bit_code((enum directory_facet)f, -1) == NULL,
		   "facet %s: no code outside the list", directory_facet_code((enum directory_facet)f));
	}
	is_int(directory_facet_bit(DIRECTORY_FACET_SOLUTION_AREA, "data_ai"), 0, "the first solution area is bit 0");
	is_int(directory_facet_bit(DIRECTORY_FACET_SOLUTION_AREA, "security"), 5, "security is bit 5");
	is_int(directory_facet_bit(DIRECTORY_FACET_SOLUTION_AREA, "blockchain"), DIRECTORY_NONE_BIT, "an unknown area matches nothing");
	is_int(directory_facet_bit(DIRECTORY_FACET_INDUSTRY, ""), -1, "no value, no bit");
	is_int(directory_facet_bit(DIRECTORY_FACET_LANGUAGE, "en"), 0, "English is bit 0");
	is_int(directory_facet_bit(DIRECTORY_FACET_LANGUAGE, "eu"), DIRECTORY_OTHER_BIT, "Basque: another language");

	/* The match lists: every facet's list fits its part of the packed word. */
	ok(directory_facet_bits(DIRECTORY_FACET_SOLUTION_AREA) <= DIRECTORY_PACK_AREAS &&
	       directory_facet_bits(DIRECTORY_FACET_INDUSTRY) <= DIRECTORY_PACK_INDUSTRIES &&
	       directory_facet_bits(DIRECTORY_FACET_LANGUAGE) <= DIRECTORY_PACK_LANGUAGES,
	   "every facet's values fit in the packed word");
	{
		uint64_t seen = 0;
		bool distinct = true;
		for (int f = 0; f < DIRECTORY_FACET__MAX; f++)
			for (size_t b = 0; b < directory_facet_bits((enum directory_facet)f); b++) {
				uint64_t bit = directory_packed_bit((enum directory_facet)f, (int)b);
				distinct = distinct && bit != 0 && (seen & bit) == 0;
				seen |= bit;
			}
		uint64_t other = directory_packed_bit(DIRECTORY_FACET_LANGUAGE, DIRECTORY_OTHER_BIT);
		ok(distinct && other != 0 && (seen & other) == 0, "each facet value has its own packed bit");
		is_int((long long)directory_packed_bit(DIRECTORY_FACET_SOLUTION_AREA, DIRECTORY_NONE_BIT), 0,
		       "a value outside the list has no packed bit (a filter on it keeps nothing)");
		unsigned long long mask[DIRECTORY_FACET__MAX] = {
		    1ULL << 5 | 1ULL << 0, 1ULL << 14, 1ULL << 1 | 1ULL << DIRECTORY_OTHER_BIT};
		uint32_t packed_counts[64] = {0};
		directory_packed_count(directory_facets_pack(mask), packed_counts);
		directory_packed_count(directory_facets_pack(mask), packed_counts);
		long long counts[DIRECTORY_FACET__MAX][64];
		directory_counts_unpack(packed_counts, counts);
		ok(counts[DIRECTORY_FACET_SOLUTION_AREA][0] == 2 && counts[DIRECTORY_FACET_SOLUTION_AREA][5] == 2 &&
		       counts[DIRECTORY_FACET_SOLUTION_AREA][1] == 0 && counts[DIRECTORY_FACET_INDUSTRY][14] == 2 &&
		       counts[DIRECTORY_FACET_INDUSTRY][0] == 0 && counts[DIRECTORY_FACET_LANGUAGE][1] == 2 &&
		       counts[DIRECTORY_FACET_LANGUAGE][DIRECTORY_OTHER_BIT] == 2 &&
		       counts[DIRECTORY_FACET_LANGUAGE][0] == 0,
		   "packed masks count back to each facet's values");
		struct directory_match m[3] = {{1, 0}, {4000000000u, directory_facets_pack(mask)}, {77, 1ULL << 63}};
		unsigned char buf[3 * DIRECTORY_MATCH_BYTES];
		directory_matches_encode(m, 3, buf);
		bool same = true;
		for (size_t i = 0; i < 3; i++) {
			struct directory_match r = directory_match_at(buf, i);
			same = same && r.id == m[i].id && r.facets == m[i].facets;
		}
		ok(same, "a list of matches reads back as written");
		unsigned char cb[DIRECTORY_COUNTS_BYTES];
		uint32_t back[64];
		directory_counts_encode(packed_counts, cb);
		ok(directory_counts_decode(cb, sizeof(cb), back) && memcmp(back, packed_counts, sizeof(back)) == 0,
		   "the counts read back as written");
		ok(!directory_counts_decode(cb, sizeof(cb) - 1, back), "counts of the wrong size are refused");
	}
	const char *langs[] = {"fr", "en", "eu", "xx"};
	ok(directory_facet_mask(DIRECTORY_FACET_LANGUAGE, langs, 4) ==
	       (1ULL << 0 | 1ULL << 1 | 1ULL << DIRECTORY_OTHER_BIT),
	   "a language mask: the common ones and the other bit");
	const char *areas[] = {"security", "blockchain", "security"};
	ok(directory_facet_mask(DIRECTORY_FACET_SOLUTION_AREA, areas, 3) == 1ULL << 5,
	   "an area mask: unknown values set nothing");
	ok(strcmp(DIRECTORY_OTHER_MASK, "4611686018427387904") == 0 && (1ULL << DIRECTORY_OTHER_BIT) == 4611686018427387904ULL,
	   "the SQL text of the other-language bit");
}

/* ---- business profiles (DOMAIN §5) ---- */
static void
test_profiles(void)
{
	for (int t = 0; t < PROFILE_TYPE__MAX; t++)
		is_int(profile_type_parse(profile_type_code(t)), t, "profile type %s round-trips",
		       profile_type_code(t));
	for (int s = 0; s < PROFILE_STATUS__MAX; s++)
		is_int(profile_status_parse(profile_status_code(s)), s, "profile status %s round-trips",
		       profile_status_code(s));
	is_int(profile_type_parse("CSP"), -1, "type codes are exact");
	/* Who manages profiles. */
	static const struct {
		unsigned roles;
		bool want;
		const char *why;
	} manage[] = {
	    {R(GLOBAL_ADMIN), true, "a global admin manages profiles"},
	    {R(PROFILE_ADMIN), true, "a profile admin manages profiles"},
	    {R(ACCOUNT_ADMIN), false, "an account admin does not"},
	    {R(REFERRAL_ADMIN), false, "a referral admin does not"},
	    {R(MEMBER), false, "a member does not"},
	    {R(REVIEWER), false, "staff do not"},
	};
	for (size_t i = 0; i < N(manage); i++)
		is_int(profile_may_manage(manage[i].roles), manage[i].want, "%s", manage[i].why);
	/* The type: CSP only from an active CSP tenant with a market. */
	is_int(profile_type_check(PROFILE_NON_CSP, false, false), PROFILE_OK,
	       "a non-CSP profile needs no CSP account");
	is_int(profile_type_check(PROFILE_CSP, false, true), PROFILE_REFUSE_NOT_CSP_TENANT,
	       "CSP type greyed out for a company that is not an active CSP");
	is_int(profile_type_check(PROFILE_CSP, true, false), PROFILE_REFUSE_NO_CSP_MARKET,
	       "CSP type greyed out without a CSP market");
	is_int(profile_type_check(PROFILE_CSP, true, true), PROFILE_OK,
	       "CSP type for an active CSP tenant");
	/* Publish locations: one row per rule, in the order they apply. */
	static const struct {
		struct profile_location_facts f;
		enum profile_refusal want;
		const char *why;
	} loc[] = {
	    {{true, false, false, false}, PROFILE_OK, "an active location ID's country"},
	    {{false, false, false, false}, PROFILE_REFUSE_NO_LOCATION_ID,
	     "no active location ID there"},
	    {{true, true, false, false}, PROFILE_REFUSE_LOCATION_TAKEN,
	     "another profile of the company is there (one per company and country)"},
	    {{true, false, true, false}, PROFILE_REFUSE_OUTSIDE_CSP_MARKET,
	     "a CSP profile outside the CSP market"},
	    {{true, false, true, true}, PROFILE_OK, "a CSP profile inside the CSP market"},
	    {{true, true, true, false}, PROFILE_REFUSE_LOCATION_TAKEN,
	     "taken says more than outside the market"},
	};
	for (size_t i = 0; i < N(loc); i++)
		is_int(profile_location_check(&loc[i].f), loc[i].want, "location: %s", loc[i].why);
	static const struct {
		struct profile_market_facts f;
		enum profile_refusal want;
		const char *why;
	} mk[] = {
	    {{false, false, false}, PROFILE_OK, "a non-CSP profile sells anywhere"},
	    {{true, false, false}, PROFILE_REFUSE_IS_PUBLISH_LOCATION,
	     "a publish location is greyed out as a sell market"},
	    {{false, true, false}, PROFILE_REFUSE_OUTSIDE_CSP_MARKET,
	     "a CSP profile sells only inside its market"},
	    {{false, true, true}, PROFILE_OK, "… and inside it, it does"},
	};
	for (size_t i = 0; i < N(mk); i++)
		is_int(profile_market_check(&mk[i].f), mk[i].want, "market: %s", mk[i].why);
	/* The steps. */
	is_int(profile_steps_parse(""), 0, "no step done");
	is_int(profile_steps_parse("locations,content"),
	       PROFILE_STEP_BIT(PROFILE_STEP_LOCATIONS) | PROFILE_STEP_BIT(PROFILE_STEP_CONTENT),
	       "steps from the SET column");
	is_int(profile_first_missing(PROFILE_STEP_BIT(PROFILE_STEP_LOCATIONS)), PROFILE_STEP_MARKETS,
	       "markets come after locations");
	is_int(profile_first_missing(PROFILE_STEPS_ALL), PROFILE_STEP__MAX, "every step done");
	/* Slugs: ASCII, accents folded, and never a run of digits from the suffix. */
	static const struct {
		const char *name, *suffix, *want;
	} slugs[] = {
	    {"Contoso Conseil", "abcdef", "contoso-conseil-abcdef"},
	    {"Société Générale d'Île-de-France", "xyz", "societe-generale-d-ile-de-france-xyz"},
	    {"  --Ørsted & Æther  ", "q", "orsted-aether-q"},
	    {"Łódź Cloud", "q", "lodz-cloud-q"},
	    {"東京クラウド", "abc", "partner-abc"},
	    {"", "abc", "partner-abc"},
	    {"Acme 2024", "k1l2", "acme-2024-kl"},
	};
	for (size_t i = 0; i < N(slugs); i++) {
		char out[160];
		is_str(profile_slug(slugs[i].name, slugs[i].suffix, out, sizeof(out)), slugs[i].want,
		       "slug of \"%s\"", slugs[i].name);
	}
	char long_slug[160];
	profile_slug("Aaaaaaaaaa Bbbbbbbbbb Cccccccccc Dddddddddd Eeeeeeeeee Ffffffffff Gggggggggg",
	             "zz", long_slug, sizeof(long_slug));
	is_int(strlen(long_slug) <= 60 + 6 + 3, true, "a slug keeps at most 60 letters of the name");
	/* The CSP regions table. */
	static const struct csp_region_row rows[] = {
	    {"FR", "europe", "Europe"}, {"DE", "europe", "Europe"}, {"US", "united_states", "United States"}};
	csp_regions_set(rows, N(rows));
	is_str(csp_region_of("DE"), "europe", "a country's region");
	is_int(csp_region_of("ZZ") == NULL, true, "a country in no region");
	is_int(csp_region_has("europe", "FR"), true, "FR is in Europe");
	is_int(csp_region_has("europe", "US"), false, "US is not");
	is_int(csp_region_has(NULL, "US"), false, "no market holds nothing");
	size_t n;
	csp_region_codes(&n);
	is_int(n, 2, "two distinct regions");
	csp_regions_set(NULL, 0);
}

/* ---- content guidelines of a business profile (DOMAIN §5, CONTRACT "Business profiles") ---- */

static void
collect_ngram(const char *g, void *ctx)
{
	char *list = ctx;
	if (*list)
		strcat(list, "|");
	strcat(list, g);
}

/* s repeated n times into buf. */
static char *
repeat(char *buf, const char *s, size_t n)
{
	buf[0] = '\0';
	size_t len = strlen(s), o = 0;
	for (size_t i = 0; i < n; i++, o += len)
		memcpy(buf + o, s, len);
	buf[o] = '\0';
	return buf;
}

static void
test_profile_content(void)
{
#define OK_ CONTENT_OK
	static const struct {
		const char *text;
		enum content_refusal want;
		const char *why;
	} desc[] = {
	    /* plain text */
	    {"We build data platforms on Azure for retailers.", OK_, "plain prose"},
	    {"Nous accompagnons les PME françaises depuis 2009.\nÉquipe certifiée.", OK_, "French, a newline"},
	    {"Line one\r\nLine two\tTabbed", OK_, "CR LF and a tab"},
	    {"Bad \x01 control", CONTENT_NOT_TEXT, "a control character"},
	    {"Bad \r alone", CONTENT_NOT_TEXT, "a CR not before LF"},
	    {"Bad \x7f delete", CONTENT_NOT_TEXT, "DEL"},
	    {"Bad \xc2\x85 NEL", CONTENT_NOT_TEXT, "a C1 control (U+0085)"},
	    {"Bad \xe2\x80\xae override", CONTENT_NOT_TEXT, "a bidi override (U+202E)"},
	    {"Bad \xff byte", CONTENT_NOT_TEXT, "invalid UTF-8"},
	    {"Bad \xc3\x28 sequence", CONTENT_NOT_TEXT, "a broken sequence"},
	    {"Bad \xc0\xaf overlong", CONTENT_NOT_TEXT, "an overlong encoding"},
	    {"Bad \xed\xa0\x80 surrogate", CONTENT_NOT_TEXT, "a surrogate"},
	    {"Cut \xe2\x82", CONTENT_NOT_TEXT, "a truncated character"},
	    {"Emoji \xf0\x9f\x9a\x80 launch", OK_, "a 4-byte character"},
	    /* markup */
	    {"We are <b>great</b>", CONTENT_MARKUP, "an HTML tag"},
	    {"End of paragraph</p>", CONTENT_MARKUP, "a closing tag"},
	    {"<script>alert(1)</script>", CONTENT_MARKUP, "a script"},
	    {"Unclosed <script", CONTENT_MARKUP, "an unclosed script tag"},
	    {"Hidden <!-- comment -->", CONTENT_MARKUP, "an HTML comment"},
	    {"<?xml version=\"1.0\"?>", CONTENT_MARKUP, "an XML declaration"},
	    {"<br/>", CONTENT_MARKUP, "a self-closing tag"},
	    {"<img src=x onerror=alert(1)>", CONTENT_MARKUP, "a tag with attributes"},
	    {"Fish &amp; chips", CONTENT_MARKUP, "a named entity"},
	    {"It&#39;s", CONTENT_MARKUP, "a numeric entity"},
	    {"It&#x27;s", CONTENT_MARKUP, "a hexadecimal entity"},
	    {"See [our site](http://x)", CONTENT_MARKUP, "a Markdown link"},
	    {"![logo](x.png)", CONTENT_MARKUP, "a Markdown image"},
	    {"when a < b and c > d", OK_, "comparisons in prose"},
	    {"We <3 Azure", OK_, "<3"},
	    {"AT&T, R&D and Q&A", OK_, "ampersands in names"},
	    {"Fish & chips", OK_, "a lone ampersand"},
	    {"See [1] (annex)", OK_, "a bracket then a space: not a link"},
	    /* web addresses */
	    {"Visit http://contoso.example", CONTENT_URL, "http://"},
	    {"Visit HTTPS://CONTOSO.EXAMPLE/x", CONTENT_URL, "https:// in capitals"},
	    {"Files at ftp://files.contoso", CONTENT_URL, "another scheme"},
	    {"Visit www.contoso.fr", CONTENT_URL, "www."},
	    {"See contoso.com for more", CONTENT_URL, "a bare .com domain"},
	    {"See Contoso.com.", CONTENT_URL, "a capitalised name, the sentence's full stop"},
	    {"See example.fr/path", CONTENT_URL, "a domain and a path"},
	    {"See shop.contoso.co.uk today", CONTENT_URL, "sub-domains, a two-part TLD"},
	    {"(contoso.io)", CONTENT_URL, "a domain in parentheses"},
	    {"See northwind.example", CONTENT_URL, "the reserved .example"},
	    {"See fabrikam.solutions now", CONTENT_URL, "a newer generic TLD"},
	    {"e.g. migrations, i.e. moves", OK_, "e.g. and i.e."},
	    {"Node.js, Vue.js and ASP.NET apps", OK_, "product names with dots"},
	    {"Version 2.0 of v3.5.1", OK_, "version numbers"},
	    {"We work with St. Louis firms.Then more", OK_, "a missing space after a full stop"},
	    {"Microsoft 365 and Dynamics 365", OK_, "product names with numbers"},
	    /* email addresses */
	    {"Write to sales@contoso.com", CONTENT_EMAIL, "an email address"},
	    {"Write to first.last+tag@mail.contoso.fr.", CONTENT_EMAIL, "a dotted, tagged address"},
	    {"Follow @contoso on social media", OK_, "a handle"},
	    {"Meet us @ the fair", OK_, "an at sign alone"},
	    {"name@localhost", OK_, "no dotted domain: not an address"},
	    /* phone numbers */
	    {"Call +33 1 23 45 67 89", CONTENT_PHONE, "an international number"},
	    {"Call (425) 555-0100", CONTENT_PHONE, "a US number with parentheses"},
	    {"Call 425.555.0100", CONTENT_PHONE, "dots"},
	    {"Call 425-555-0100 now", CONTENT_PHONE, "dashes"},
	    {"Call 01 23 45 67 89", CONTENT_PHONE, "a French number"},
	    {"Call 555 0100", CONTENT_PHONE, "7 digits in two groups"},
	    {"Call 555-012", CONTENT_PHONE, "6 digits in two groups: the threshold"},
	    {"Call 55-012", OK_, "5 digits in two groups"},
	    {"Call +44 20 79", CONTENT_PHONE, "a plus sign and 6 digits"},
	    {"Call 0612345678", CONTENT_PHONE, "10 digits in one group"},
	    {"Call 06123456", CONTENT_PHONE, "8 digits in one group"},
	    {"Founded in 2024", OK_, "a year"},
	    {"From 2019 to 2024", OK_, "two years in words"},
	    {"Projects 2019-2024", OK_, "a range of years"},
	    {"Since 1998 2004 2024", OK_, "years in a row"},
	    {"Support 24/7", OK_, "24/7"},
	    {"Certified ISO 27001", OK_, "ISO 27001 (5 digits)"},
	    {"ISO 27001:2022 and ISO 9001", OK_, "a standard with its year"},
	    {"Over 100000 users", OK_, "6 digits in one group: a count"},
	    {"Plus de 1 500 000 utilisateurs", OK_, "thousands with spaces"},
	    {"Over 1.500.000 users", OK_, "thousands with dots"},
	    {"Over 1,500,000 users", OK_, "thousands with commas"},
	    {"On 12.05.2024 we moved", OK_, "a date with dots"},
	    {"On 2024-05-12 we moved", OK_, "an ISO date"},
	    {"Pi is 3.14159265", OK_, "a decimal"},
	    {"Exam AZ-104 and SC-100", OK_, "exam codes"},
	};
#undef OK_
	for (size_t i = 0; i < N(desc); i++) {
		enum content_refusal got = profile_description_check(desc[i].text);
		ok(got == desc[i].want, "description %s: %s (got %s)", content_refusal_code(desc[i].want),
		   desc[i].why, content_refusal_code(got));
	}

	/* lengths in characters, multibyte text at the boundary */
	static char buf[PROFILE_DESCRIPTION_MAX * 4 + 16];
	is_int(profile_description_check(repeat(buf, "\xc3\xa9", 2500)), CONTENT_OK, "2,500 × é (5,000 bytes)");
	is_int(profile_description_check(repeat(buf, "\xc3\xa9", 2501)), CONTENT_TOO_LONG, "2,501 × é");
	is_int(profile_description_check(repeat(buf, "\xe2\x82\xac", 2500)), CONTENT_OK, "2,500 × € (3 bytes each)");
	is_int(profile_description_check(repeat(buf, "\xf0\x9f\x9a\x80", 2501)), CONTENT_TOO_LONG, "2,501 × a 4-byte emoji");
	is_int(profile_description_check(repeat(buf, "a\r\n", 1250)), CONTENT_OK, "1,250 lines of CR LF: 2,500 characters");
	is_int(profile_description_check(repeat(buf, "ab\r\n", 834)), CONTENT_TOO_LONG, "834 × 'ab' CR LF: 2,502 characters");
	is_int(profile_description_check(""), CONTENT_OK, "an empty description (required or not is the form's)");
	is_int(profile_description_check(NULL), CONTENT_OK, "no description");

	static const struct {
		const char *name;
		enum content_refusal want;
		const char *why;
	} names[] = {
	    {"Contoso Cloud Services", CONTENT_OK, "a name"},
	    {"Société Générale d'Informatique", CONTENT_OK, "accents and an apostrophe"},
	    {"Contoso <b>Cloud</b>", CONTENT_MARKUP, "a tag"},
	    {"Contoso &amp; Co", CONTENT_MARKUP, "an entity"},
	    {"Contoso & Co", CONTENT_OK, "an ampersand"},
	    {"Contoso\nCloud", CONTENT_NOT_TEXT, "a newline in a name"},
	    {"Contoso\tCloud", CONTENT_NOT_TEXT, "a tab in a name"},
	    {"Contoso \xff", CONTENT_NOT_TEXT, "invalid UTF-8"},
	    {"contoso.com", CONTENT_OK, "a domain as a name (only descriptions refuse addresses)"},
	};
	for (size_t i = 0; i < N(names); i++)
		is_int(profile_name_check(names[i].name), names[i].want, "name: %s", names[i].why);
	is_int(profile_name_check(repeat(buf, "\xc3\xa9", 100)), CONTENT_OK, "name: 100 × é");
	is_int(profile_name_check(repeat(buf, "\xc3\xa9", 101)), CONTENT_TOO_LONG, "name: 101 × é");
	is_int(profile_name_check(repeat(buf, "a", 100)), CONTENT_OK, "name: 100 ASCII");
	is_int(profile_name_check(repeat(buf, "a", 101)), CONTENT_TOO_LONG, "name: 101 ASCII");

	static const struct {
		const char *url;
		enum content_refusal want;
		const char *why;
	} sites[] = {
	    {"https://contoso.example", CONTENT_OK, "https and a host"},
	    {"http://contoso.example/fr/partenaires?x=1#top", CONTENT_OK, "http, a path, a query"},
	    {"HTTPS://Contoso.Example", CONTENT_OK, "capitals"},
	    {"https://contoso.example:8443/", CONTENT_OK, "a port"},
	    {"https://société.example", CONTENT_OK, "an internationalised host"},
	    {"ftp://contoso.example", CONTENT_URL_SCHEME, "ftp"},
	    {"javascript:alert(1)", CONTENT_URL_SCHEME, "javascript:"},
	    {"contoso.example", CONTENT_URL_SCHEME, "no scheme"},
	    {"//contoso.example", CONTENT_URL_SCHEME, "scheme-relative"},
	    {"https://", CONTENT_URL_SCHEME, "no host"},
	    {"https:///path", CONTENT_URL_SCHEME, "an empty host"},
	    {"https://contoso", CONTENT_URL_SCHEME, "a host without a dot"},
	    {"https://user:pw@contoso.example", CONTENT_URL_SCHEME, "user info"},
	    {"https://contoso..example", CONTENT_URL_SCHEME, "an empty label"},
	    {"https://contoso.example:99999", CONTENT_URL_SCHEME, "a port out of range"},
	    {"https://contoso.example/a b", CONTENT_URL_SCHEME, "a space"},
	    {"https://contoso.example/<x>", CONTENT_URL_SCHEME, "angle brackets"},
	    {"", CONTENT_URL_SCHEME, "empty"},
	    {"https://contoso.example/\x01", CONTENT_NOT_TEXT, "a control character"},
	};
	for (size_t i = 0; i < N(sites); i++)
		is_int(profile_website_check(sites[i].url), sites[i].want, "website: %s", sites[i].why);
	char url[PROFILE_WEBSITE_MAX + 16];
	memcpy(url, "https://contoso.example/", 24);
	repeat(url + 24, "a", PROFILE_WEBSITE_MAX - 24);
	is_int(profile_website_check(url), CONTENT_OK, "website: 300 characters");
	strcat(url, "a");
	is_int(profile_website_check(url), CONTENT_TOO_LONG, "website: 301 characters");

	/* company names in text */
	static const struct {
		const char *in, *out;
	} norm[] = {
	    {"Contoso, Ltd.", "contoso ltd"},
	    {"Margie's Travel L.L.C.", "margies travel llc"},
	    {"  Fabrikam   Inc ", "fabrikam inc"},
	    {"Smith & Sons", "smith sons"},
	    {"Île-de-France Conseil", "île de france conseil"},
	    {"SOCIÉTÉ GÉNÉRALE", "société générale"},
	    {"Contoso\xe2\x84\xa2 Cloud", "contoso cloud"},
	    {"Alpine Ski House \xe2\x80\x93 Europe", "alpine ski house europe"},
	    {"A/B_Test", "a b test"},
	    {"Łódź ŻÓŁW", "łódź żółw"},
	    {"МОСКВА", "москва"},
	    {"", ""},
	};
	char out[128];
	for (size_t i = 0; i < N(norm); i++)
		is_str(profile_name_normalize(norm[i].in, out, sizeof(out)), norm[i].out, "normalize \"%s\"", norm[i].in);
	is_str(profile_name_normalize("Société", out, 5), "soci", "normalize: cut before a character, not in it");

	static char grams[8192];
	grams[0] = '\0';
	size_t n = profile_text_ngrams("We love Contoso, Ltd.!", 100, collect_ngram, grams);
	is_str(grams, "we|we love|we love contoso|we love contoso ltd|love|love contoso|love contoso ltd|"
	              "contoso|contoso ltd|ltd", "ngrams of a sentence");
	is_int(n, 10, "10 ngrams of 4 words");
	grams[0] = '\0';
	n = profile_text_ngrams("the cloud the cloud", 100, collect_ngram, grams);
	is_str(grams, "the|the cloud|the cloud the|the cloud the cloud|cloud|cloud the|cloud the cloud",
	       "each ngram once");
	grams[0] = '\0';
	n = profile_text_ngrams("a b c d e f g h i j", 1000, collect_ngram, grams);
	is_int(n, 10 + 9 + 8 + 7 + 6 + 5 + 4 + 3, "10 words: 10 - k + 1 ngrams of k words, k from 1 to 8");
	ok(strstr(grams, "a b c d e f g h") && !strstr(grams, "a b c d e f g h i"), "at most 8 words");
	grams[0] = '\0';
	n = profile_text_ngrams("one two three four", 3, collect_ngram, grams);
	is_int(n, 3, "at most max ngrams");
	is_int(profile_text_ngrams("", 10, NULL, NULL), 0, "no words, no ngrams");
	is_int(profile_text_ngrams(" , - ! ", 10, NULL, NULL), 0, "punctuation only, no ngrams");
	grams[0] = '\0';
	profile_text_ngrams("Margie's Travel L.L.C. helps", 100, collect_ngram, grams);
	ok(strstr(grams, "|margies travel llc|") != NULL, "an ngram normalized as a name is");

	/* lists */
	size_t k;
	const struct profile_choice *areas = profile_solution_areas(&k);
	static const char *const area_codes[] = {"data_ai", "infrastructure", "digital_app_innovation",
	                                         "business_applications", "modern_work", "security"};
	bool same = k == N(area_codes);
	for (size_t i = 0; same && i < k; i++)
		same = strcmp(areas[i].code, area_codes[i]) == 0;
	ok(same, "the six solution areas in order");
	is_str(profile_choice_label(areas, k, "data_ai"), "Data & AI (Azure)", "label of data_ai");
	is_str(profile_choice_label(areas, k, "nope"), NULL, "an unknown code has no label");
	const struct profile_choice *ind = profile_industries(&k);
	ok(k >= 15 && profile_choice_label(ind, k, "financial_services") &&
	       profile_choice_label(ind, k, "healthcare") && profile_choice_label(ind, k, "retail"),
	   "industries: %zu, with financial_services, healthcare, retail", k);
	const struct profile_choice *langs = profile_common_languages(&k);
	bool valid = k >= 20;
	for (size_t i = 0; valid && i < k; i++)
		valid = profile_language_valid(langs[i].code);
	ok(valid, "%zu common languages, each a valid ISO 639-1 code", k);
	is_str(profile_choice_label(langs, k, "fr"), "French", "label of fr");
	static const struct {
		const char *code;
		bool valid;
	} iso[] = {{"aa", true}, {"en", true}, {"fr", true}, {"zu", true}, {"yo", true}, {"nb", true},
	           {"bh", true}, {"xx", false}, {"EN", false}, {"eng", false}, {"e", false}, {"", false},
	           {"zz", false}, {"a1", false}};
	for (size_t i = 0; i < N(iso); i++)
		is_int(profile_language_valid(iso[i].code), iso[i].valid, "ISO 639-1 \"%s\"", iso[i].code);
	ok(!profile_language_valid(NULL), "ISO 639-1: no code");
	int count = 0;
	for (char a = 'a'; a <= 'z'; a++)
		for (char b = 'a'; b <= 'z'; b++)
			count += profile_language_valid((char[]){a, b, '\0'});
	is_int(count, 184, "184 ISO 639-1 codes");
	for (int r = 0; r < CONTENT_REFUSAL__MAX; r++)
		ok(*content_refusal_code((enum content_refusal)r) &&
		       (r == CONTENT_OK || *content_refusal_message((enum content_refusal)r)),
		   "refusal %d has a code and a message", r);
	is_str(content_refusal_code(CONTENT_REFUSAL__MAX), "", "refusal out of range");
}

/* ---- leads (DOMAIN §5, CONTRACT "Leads") ---- */

static void
test_leads(void)
{
	for (int i = 0; i < LEAD_STATUS__MAX; i++)
		is_int(lead_status_parse(lead_status_code((enum lead_status)i)), i,
		       "lead status %s round-trips", lead_status_code(i));
	for (int i = 0; i < LEAD_ACTION__MAX; i++)
		is_int(lead_action_parse(lead_action_code((enum lead_action)i)), i,
		       "lead action %s round-trips", lead_action_code(i));
	ok(lead_status_parse("open") == -1 && lead_action_parse("reopen") == -1 &&
	       lead_action_parse(NULL) == -1 && *lead_status_code(LEAD_STATUS__MAX) == '\0',
	   "unknown lead codes are refused");
	size_t nt = 0;
	const struct lead_transition *all = lead_transitions(&nt);
	for (size_t i = 0; i < nt; i++)
		ok(*lead_status_label(all[i].to) &&
		       (*lead_action_label(all[i].action) != '\0') == (all[i].who == LEAD_BY_USER),
		   "transition %s → %s is labelled (a button for a user's)", lead_action_code(all[i].action),
		   lead_status_code(all[i].to));

	/* Every user action from every shown status: the one allowed move, or the refusal. */
#define NO LEAD_STATUS__MAX
	static const struct {
		enum lead_status from;
		enum lead_action action;
		enum lead_status to; /* NO: refused */
		enum lead_refusal why;
		bool reason;
	} moves[] = {
	    {LEAD_RECEIVED, LEAD_ACCEPT, LEAD_ACCEPTED, LEAD_REFUSE_NONE, false},
	    {LEAD_RECEIVED, LEAD_DECLINE, LEAD_DECLINED, LEAD_REFUSE_NONE, true},
	    {LEAD_RECEIVED, LEAD_WIN, NO, LEAD_REFUSE_NOT_ACCEPTED, false},
	    {LEAD_RECEIVED, LEAD_LOSE, NO, LEAD_REFUSE_NOT_ACCEPTED, false},
	    {LEAD_RECEIVED, LEAD_EXPIRE, NO, LEAD_REFUSE_PORTAL_ONLY, false},
	    {LEAD_ACCEPTED, LEAD_ACCEPT, NO, LEAD_REFUSE_ANSWERED, false},
	    {LEAD_ACCEPTED, LEAD_DECLINE, NO, LEAD_REFUSE_ANSWERED, false},
	    {LEAD_ACCEPTED, LEAD_WIN, LEAD_WON, LEAD_REFUSE_NONE, false},
	    {LEAD_ACCEPTED, LEAD_LOSE, LEAD_LOST, LEAD_REFUSE_NONE, true},
	    {LEAD_ACCEPTED, LEAD_EXPIRE, NO, LEAD_REFUSE_PORTAL_ONLY, false},
	    {LEAD_DECLINED, LEAD_ACCEPT, NO, LEAD_REFUSE_ANSWERED, false},
	    {LEAD_DECLINED, LEAD_WIN, NO, LEAD_REFUSE_NOT_ACCEPTED, false},
	    {LEAD_WON, LEAD_LOSE, NO, LEAD_REFUSE_NOT_ACCEPTED, false},
	    {LEAD_WON, LEAD_DECLINE, NO, LEAD_REFUSE_ANSWERED, false},
	    {LEAD_LOST, LEAD_WIN, NO, LEAD_REFUSE_NOT_ACCEPTED, false},
	    {LEAD_EXPIRED, LEAD_ACCEPT, NO, LEAD_REFUSE_EXPIRED, false},
	    {LEAD_EXPIRED, LEAD_DECLINE, NO, LEAD_REFUSE_EXPIRED, false},
	    {LEAD_EXPIRED, LEAD_WIN, NO, LEAD_REFUSE_EXPIRED, false},
	};
	for (size_t i = 0; i < N(moves); i++) {
		const struct lead_transition *t = NULL;
		enum lead_refusal why = lead_check(moves[i].from, moves[i].action, &t);
		ok(why == moves[i].why && (t ? t->to : NO) == moves[i].to &&
		       (!t || t->reason_required == moves[i].reason) &&
		       (why == LEAD_REFUSE_NONE) == (*lead_refusal_message(why) == '\0'),
		   "%s from %s: %s", lead_action_code(moves[i].action),
		   lead_status_code(moves[i].from),
		   moves[i].to == NO ? "refused with its reason" : lead_status_code(moves[i].to));
	}
	for (int i = 0; i < LEAD_REFUSAL__MAX; i++)
		is_int(lead_refusal_parse(lead_refusal_code((enum lead_refusal)i)), i,
		       "lead refusal \"%s\" round-trips", lead_refusal_code(i));
	const struct lead_transition *ex = lead_next(LEAD_RECEIVED, LEAD_EXPIRE);
	ok(ex && ex->to == LEAD_EXPIRED && ex->who == LEAD_BY_PORTAL &&
	       lead_next(LEAD_ACCEPTED, LEAD_EXPIRE) == NULL,
	   "only a received lead expires, by the portal");
#undef NO

	/* Dates. */
	static const struct {
		const char *in;
		bool valid;
	} dates[] = {
	    {"2026-11-01", true},  {"2024-02-29", true},  {"2026-12-01 13:01:02.123", true},
	    {"1970-01-01", true},  {"2026-02-29", false}, {"2100-02-29", false},
	    {"2026-13-01", false}, {"2026-00-10", false}, {"2026-04-31", false},
	    {"2026-1-01", false},  {"26-11-01", false},   {"2026/11/01", false},
	    {"", false},           {"today", false},      {"1969-12-31", false},
	};
	for (size_t i = 0; i < N(dates); i++) {
		long d = lead_day(dates[i].in);
		char back[11];
		if (d >= 0)
			lead_day_format(d, back);
		ok(dates[i].valid ? d >= 0 && strncmp(back, dates[i].in, 10) == 0 : d == -1,
		   "date \"%s\" is %s", dates[i].in, dates[i].valid ? "read and written back" : "refused");
	}
	ok(lead_day_of(0) == 0 && lead_day_of(86399) == 0 && lead_day_of(86400) == 1 &&
	       lead_day_of(-1) == -1 && lead_day_of(-86400) == -1 && lead_day_of(-86401) == -2,
	   "the day of a time: whole days since 1970 (UTC), earlier times before day 0");
	ok(lead_day_of(1796083200) == lead_day("2026-12-01"), "2026-12-01 00:00 UTC is that day");
	is_int(lead_day("1970-01-02"), 1, "day numbers count from 1970-01-01");
	is_int(lead_day("2026-03-01") - lead_day("2026-02-28"), 1, "2026 is not a leap year");

	/* Expiry: received 2026-11-01, its last day is 2026-11-15 (day 14), expired on 2026-11-16 (day 15). */
	const long d0 = lead_day("2026-11-01");
	static const struct {
		const char *today;
		enum lead_status stored, shown;
		long left;
		bool reminded, remind;
	} days[] = {
	    {"2026-11-01", LEAD_RECEIVED, LEAD_RECEIVED, 14, false, false},
	    {"2026-11-11", LEAD_RECEIVED, LEAD_RECEIVED, 4, false, false},
	    {"2026-11-12", LEAD_RECEIVED, LEAD_RECEIVED, 3, false, true},
	    {"2026-11-12", LEAD_RECEIVED, LEAD_RECEIVED, 3, true, false},
	    {"2026-11-13", LEAD_RECEIVED, LEAD_RECEIVED, 2, false, true},
	    {"2026-11-15", LEAD_RECEIVED, LEAD_RECEIVED, 0, false, true},
	    {"2026-11-16", LEAD_RECEIVED, LEAD_EXPIRED, -1, false, false},
	    {"2026-12-31", LEAD_RECEIVED, LEAD_EXPIRED, -46, false, false},
	    {"2026-11-12", LEAD_ACCEPTED, LEAD_ACCEPTED, 3, false, false},
	    {"2026-11-16", LEAD_ACCEPTED, LEAD_ACCEPTED, -1, false, false},
	    {"2026-11-16", LEAD_DECLINED, LEAD_DECLINED, -1, false, false},
	    {"2026-11-16", LEAD_EXPIRED, LEAD_EXPIRED, -1, false, false},
	};
	for (size_t i = 0; i < N(days); i++) {
		long today = lead_day(days[i].today);
		ok(lead_days_left(d0, today) == days[i].left &&
		       lead_shown_status(days[i].stored, d0, today) == days[i].shown &&
		       lead_expired(d0, today) == (days[i].left < 0) &&
		       lead_remind_due(days[i].stored, d0, today, days[i].reminded) == days[i].remind,
		   "a %s lead of 2026-11-01 on %s: %ld day(s) left, shown %s, reminder %s",
		   lead_status_code(days[i].stored), days[i].today, days[i].left,
		   lead_status_code(days[i].shown), days[i].remind ? "due" : "not due");
	}
	char through[11];
	lead_day_format(lead_expire_through(lead_day("2026-11-16")), through);
	is_str(through, "2026-11-01", "expire as of 2026-11-16: leads received up to 2026-11-01");
	lead_day_format(lead_expire_through(lead_day("2026-11-15")), through);
	is_str(through, "2026-10-31", "expire as of 2026-11-15: a lead of 2026-11-01 stays");
	lead_day_format(lead_last_day(lead_day("2024-02-20")), through);
	is_str(through, "2024-03-05", "the last day across a leap day");

	/* Who sees a lead of partner ID 1234567. */
	static const struct {
		unsigned roles;
		const char *scope, *partner_id;
		bool sees;
		const char *why;
	} seen[] = {
	    {R(GLOBAL_ADMIN), "", "1234567", true, "a global admin sees every lead"},
	    {R(GLOBAL_ADMIN), "", NULL, true, "a global admin sees a lead without an ID"},
	    {R(REFERRAL_ADMIN), "", "1234567", true, "a referral admin of all IDs"},
	    {R(REFERRAL_ADMIN), "", NULL, true, "a referral admin of all IDs: a lead without an ID"},
	    {R(REFERRAL_ADMIN), "1234567", "1234567", true, "a referral admin of that ID"},
	    {R(REFERRAL_ADMIN), "1111111,1234567", "1234567", true, "a referral admin of that ID among others"},
	    {R(REFERRAL_ADMIN), "1234567,2222222", "1234567", true, "the ID first in the scope"},
	    {R(REFERRAL_ADMIN), "7654321", "1234567", false, "a referral admin of another ID"},
	    {R(REFERRAL_ADMIN), "12345678", "1234567", false, "an ID that merely contains it"},
	    {R(REFERRAL_ADMIN), "0123456,7123456", "1234567", false, "IDs that contain parts of it"},
	    {R(REFERRAL_ADMIN), "7654321", NULL, false, "a scoped referral admin: a lead without an ID"},
	    {R(REFERRAL_ADMIN), "7654321", "", false, "a scoped referral admin: an empty ID"},
	    {R(PROFILE_ADMIN), "", "1234567", false, "a profile admin"},
	    {R(ACCOUNT_ADMIN), "", "1234567", false, "an account admin"},
	    {R(MEMBER), "", "1234567", false, "a member"},
	    {R(REFERRAL_ADMIN) | R(PROFILE_ADMIN), "1234567", "1234567", true, "roles combine"},
	};
	for (size_t i = 0; i < N(seen); i++)
		ok(lead_visible(seen[i].roles, seen[i].scope, seen[i].partner_id) == seen[i].sees &&
		       (!seen[i].sees || lead_handler(seen[i].roles)),
		   "lead visibility: %s", seen[i].why);
}

/* ---- the migration of legacy profiles (DOMAIN §6) ---- */

static long
day_of(const char *s)
{
	long d = -1;
	migration_day_parse(s, &d);
	return d;
}

static void
test_migration(void)
{
	static const struct {
		const char *in;
		bool ok;
		long day;
		const char *why;
	} days[] = {
	    {"1970-01-01", true, 0, "the epoch"},
	    {"2024-02-29", true, 19782, "a leap day"},
	    {"2023-02-29", false, 0, "no leap day in 2023"},
	    {"1900-02-29", false, 0, "no leap day in 1900"},
	    {"2000-02-29", true, 11016, "a leap day in 2000"},
	    {"2024-12-31", true, 20088, "the year's last day"},
	    {"2024-13-01", false, 0, "month 13"},
	    {"2024-04-31", false, 0, "April 31"},
	    {"2024-00-10", false, 0, "month 0"},
	    {"2024-1-01", false, 0, "a one-digit month"},
	    {"2024/01/01", false, 0, "slashes"},
	    {"2024-01-01 ", false, 0, "a trailing space"},
	    {"", false, 0, "empty"},
	};
	for (size_t i = 0; i < N(days); i++) {
		long d = -1;
		bool got = migration_day_parse(days[i].in, &d);
		ok(got == days[i].ok && (!got || d == days[i].day), "day \"%s\": %s", days[i].in,
		   days[i].why);
		char out[11];
		if (got)
			is_str(migration_day_format(d, out), days[i].in, "day %ld formats back", d);
	}
	ok(!migration_day_parse(NULL, &(long){0}), "no date");
	ok(migration_day_of(0) == 0 && migration_day_of(86399) == 0 && migration_day_of(86400) == 1 &&
	       migration_day_of(-1) == -1 && migration_day_of(1709164800LL) == 19782,
	   "the UTC day of a time (midnight starts a day)");

	/* GA on 2026-09-01, 120 days: open through 2026-12-29, closed from 2026-12-30. */
	const struct migration_window w = {day_of("2026-09-01"), 120};
	static const struct {
		const char *today;
		enum migration_phase phase;
		long left;
		const char *why;
	} window[] = {
	    {"2026-08-31", MIGRATION_NOT_YET, 120, "the day before GA: not open, the whole window ahead"},
	    {"2026-09-01", MIGRATION_OPEN, 120, "GA day: open, 120 days left"},
	    {"2026-09-02", MIGRATION_OPEN, 119, "the second day"},
	    {"2026-12-28", MIGRATION_OPEN, 2, "the day before the last"},
	    {"2026-12-29", MIGRATION_OPEN, 1, "the last day (GA + 119): 1 day left, today"},
	    {"2026-12-30", MIGRATION_CLOSED, 0, "GA + 120: closed, 0 left"},
	    {"2027-06-01", MIGRATION_CLOSED, 0, "long after"},
	};
	for (size_t i = 0; i < N(window); i++) {
		long t = day_of(window[i].today);
		ok(migration_phase(&w, t) == window[i].phase &&
		       migration_days_left(&w, t) == window[i].left,
		   "window at %s: %s", window[i].today, window[i].why);
	}
	struct migration_window made = {0, 0};
	ok(migration_window_make("2026-09-01", 120, &made) && made.ga == w.ga && made.days == 120,
	   "a window from the configuration");
	ok(!migration_window_make("2026-02-30", 120, &made) && !migration_window_make("", 120, &made) &&
	       !migration_window_make("2026-09-01", -1, &made) && made.ga == w.ga,
	   "a bad GA date or length is refused");
	const struct migration_window zero = {day_of("2026-09-01"), 0};
	ok(migration_phase(&zero, day_of("2026-09-01")) == MIGRATION_CLOSED &&
	       migration_days_left(&zero, day_of("2026-09-01")) == 0,
	   "a window of 0 days is closed on GA day");

	static const struct {
		const char *today;
		struct migration_facts f;
		enum migration_refusal want;
		bool link;
		const char *why;
	} verdicts[] = {
	    {"2026-09-01", {true, false, false}, MIGRATION_OK, false, "legacy, GA day"},
	    {"2026-12-29", {true, false, false}, MIGRATION_OK, false, "legacy, the last day"},
	    {"2026-12-30", {true, false, false}, MIGRATION_REFUSE_CLOSED, true, "legacy, closed: linked"},
	    {"2026-08-31", {true, false, false}, MIGRATION_REFUSE_NOT_YET, false, "before GA"},
	    {"2026-10-01", {true, true, false}, MIGRATION_REFUSE_MIGRATED, false, "already migrated"},
	    {"2027-01-10", {true, true, false}, MIGRATION_REFUSE_MIGRATED, false,
	     "migrated, window closed: never linked"},
	    {"2027-01-10", {true, false, true}, MIGRATION_REFUSE_LINKED, false, "already linked"},
	    {"2026-10-01", {false, false, false}, MIGRATION_REFUSE_NOT_LEGACY, false, "a wizard profile"},
	    {"2027-01-10", {false, false, false}, MIGRATION_REFUSE_NOT_LEGACY, false,
	     "a wizard profile is never linked"},
	};
	for (size_t i = 0; i < N(verdicts); i++) {
		long t = day_of(verdicts[i].today);
		ok(migration_check(&w, t, &verdicts[i].f) == verdicts[i].want &&
		       migration_link_due(&w, t, &verdicts[i].f) == verdicts[i].link,
		   "migrate at %s: %s", verdicts[i].today, verdicts[i].why);
	}
	for (int r = 0; r < MIGRATION_REFUSAL__MAX; r++)
		ok(*migration_refusal_code((enum migration_refusal)r) &&
		       (r == MIGRATION_OK || *migration_refusal_message((enum migration_refusal)r)),
		   "migration refusal %d has a code and a message", r);
	is_str(migration_refusal_code(MIGRATION_REFUSAL__MAX), "", "migration refusal out of range");

	static const struct {
		const char *line;
		enum legacy_line_error want;
		const char *why;
	} lines[] = {
	    {"contoso.example\tContoso\tWe build.\thttps://contoso.example\tFR\t2023-05-02",
	     LEGACY_LINE_OK, "a good line"},
	    {"contoso.example\tContoso\t\t\tFR\t2024-02-28", LEGACY_LINE_OK,
	     "empty description and website, the last legacy day"},
	    {"contoso.example\tContoso\tx\t\tFR\t2024-02-29", LEGACY_LINE_TOO_LATE, "2024-02-29"},
	    {"contoso.example\tContoso\tx\t\tFR\t2025-01-01", LEGACY_LINE_TOO_LATE, "a later date"},
	    {"contoso.example\tContoso\tx\t\tFR\t2023-02-29", LEGACY_LINE_BAD_DATE, "no such day"},
	    {"contoso.example\tContoso\tx\t\tFR\t02/05/2023", LEGACY_LINE_BAD_DATE, "another format"},
	    {"contoso.example\tContoso\tx\t\tFR", LEGACY_LINE_FIELDS, "five fields"},
	    {"contoso.example\tContoso\tx\t\tFR\t2023-01-01\textra", LEGACY_LINE_FIELDS, "seven fields"},
	    {"contoso.example", LEGACY_LINE_FIELDS, "one field"},
	    {"\tContoso\tx\t\tFR\t2023-01-01", LEGACY_LINE_EMPTY_FIELD, "no domain"},
	    {"contoso.example\t\tx\t\tFR\t2023-01-01", LEGACY_LINE_EMPTY_FIELD, "no name"},
	    {"contoso.example\tContoso\tx\t\t\t2023-01-01", LEGACY_LINE_EMPTY_FIELD, "no country"},
	    {"contoso.example\tContoso\tx\t\tFR\t", LEGACY_LINE_EMPTY_FIELD, "no date"},
	    {"contoso.example\t<b>Contoso</b>\tx\t\tFR\t2023-01-01", LEGACY_LINE_NAME, "markup in the name"},
	    {"contoso.example\tContoso\tx\tftp://contoso.example\tFR\t2023-01-01", LEGACY_LINE_WEBSITE,
	     "an ftp website"},
	    {"contoso.example\tContoso\tBad \x01\t\tFR\t2023-01-01", LEGACY_LINE_DESCRIPTION,
	     "a control character in the description"},
	};
	for (size_t i = 0; i < N(lines); i++) {
		char buf[300];
		snprintf(buf, sizeof(buf), "%s", lines[i].line);
		struct legacy_line l;
		long d;
		is_int(legacy_line_parse(buf, &l, &d), lines[i].want, "legacy line: %s", lines[i].why);
	}
	char good[] = "contoso.example\tContoso\tWe build.\t\tFR\t2023-05-02";
	struct legacy_line l;
	long d;
	legacy_line_parse(good, &l, &d);
	ok(strcmp(l.domain, "contoso.example") == 0 && strcmp(l.country, "FR") == 0 &&
	       strcmp(l.description, "We build.") == 0 && *l.website == '\0' &&
	       d == day_of("2023-05-02"),
	   "a good line's fields");
	for (int e = 1; e < LEGACY_LINE_ERROR__MAX; e++)
		ok(*legacy_line_error_message((enum legacy_line_error)e), "line error %d has a message", e);
}

/* ---- CSP market and eligibility (DOMAIN §4, src/domain/eligibility.c) ---- */

/* The CSP regions of data/csp-regions.tsv (PD_SRCDIR, else the source tree
 * this file was compiled from), loaded as the portal loads them. Rows and
 * strings live until the end of the program. Returns how many rows. */
static size_t
load_csp_regions(void)
{
	char root[1024] = ".", path[1100];
	const char *env = getenv("PD_SRCDIR"), *f = __FILE__, *tail = strstr(f, "tests/unit/");
	if (env && *env)
		snprintf(root, sizeof(root), "%s", env);
	else if (tail && tail - f > 1)
		snprintf(root, sizeof(root), "%.*s", (int)(tail - f - 1), f);
	snprintf(path, sizeof(path), "%s/data/csp-regions.tsv", root);
	FILE *in = fopen(path, "r");
	static struct csp_region_row rows[400];
	size_t n = 0;
	char line[256];
	bool header = false;
	while (in && n < N(rows) && fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (!header) {
			header = true;
			continue;
		}
		char *region = strtok(line, "\t"), *name = strtok(NULL, "\t"), *cc = strtok(NULL, "\t");
		if (region && name && cc)
			rows[n++] = (struct csp_region_row){strdup(cc), strdup(region), strdup(name)};
	}
	if (in)
		fclose(in);
	csp_regions_set(rows, n);
	return n;
}

static void
test_eligibility(void)
{
	ok(load_csp_regions() > 200, "data/csp-regions.tsv loaded");
	/* Relationships and rule codes round-trip. */
	for (int i = 0; i < CUSTOMER_REL__MAX; i++)
		is_int(customer_relationship_parse(customer_relationship_code(i)), i, "relationship %s",
		       customer_relationship_code(i));
	for (int i = 0; i < ELIG_RULE__MAX; i++)
		is_int(elig_rule_parse(elig_rule_code(i)), i, "rule %s round-trips", elig_rule_code(i));
	ok(customer_relationship_parse("partner") < 0 && elig_rule_parse("nope") < 0,
	   "unknown codes are refused");

	/* Tenant domains. */
	static const struct {
		const char *in, *want; /* want NULL: refused */
	} domains[] = {
	    {"contoso.com", "contoso.com"},
	    {"Contoso.OnMicrosoft.com", "contoso.onmicrosoft.com"},
	    {"contoso.com.", "contoso.com"},
	    {"a-b.c-d.example", "a-b.c-d.example"},
	    {"xn--bcher-kva.example", "xn--bcher-kva.example"},
	    {"localhost", NULL},
	    {"", NULL},
	    {"contoso..com", NULL},
	    {".contoso.com", NULL},
	    {"-contoso.com", NULL},
	    {"contoso-.com", NULL},
	    {"con toso.com", NULL},
	    {"https://contoso.com", NULL},
	    {"contoso.com/x", NULL},
	    {"10.0.0.1", NULL},
	    {"contoso.123", NULL},
	    {"bücher.example", NULL},
	};
	for (size_t i = 0; i < N(domains); i++) {
		char out[300];
		bool got = tenant_domain_normalize(domains[i].in, out, sizeof(out));
		ok(got == (domains[i].want != NULL) && (!got || strcmp(out, domains[i].want) == 0),
		   "domain \"%s\" → %s", domains[i].in, domains[i].want ? domains[i].want : "refused");
	}
	char label63[80], label64[80], out[300];
	snprintf(label63, sizeof(label63), "%.63s.example", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	snprintf(label64, sizeof(label64), "%.64s.example", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	ok(tenant_domain_normalize(label63, out, sizeof(out)), "a label of 63 characters");
	ok(!tenant_domain_normalize(label64, out, sizeof(out)), "a label of 64 is refused");
	char long_domain[300] = "";
	while (strlen(long_domain) < 250)
		strcat(long_domain, "abcdefghi.");
	strcat(long_domain, "example"); /* 257 characters */
	ok(!tenant_domain_normalize(long_domain, out, sizeof(out)), "over 253 characters is refused");
	ok(tenant_domain_within("contoso.com", "contoso.com"), "the partner's own domain");
	ok(tenant_domain_within("eu.sales.contoso.com", "contoso.com"), "a subdomain of it");
	ok(!tenant_domain_within("notcontoso.com", "contoso.com"), "a domain ending with the same letters is not");
	ok(!tenant_domain_within("contoso.com", "eu.contoso.com"), "the parent of a partner's subdomain is not");
	ok(!tenant_domain_within("contoso.com", ""), "an empty partner domain matches nothing");

	/* Offer lines. */
	static const struct {
		const char *line;
		enum offer_line_error want;
		const char *countries; /* the codes as parsed, "*" for all */
	} lines[] = {
	    {"CFQ7TTC0LH18\tMicrosoft 365 Business Basic\t*", OFFER_LINE_OK, "*"},
	    {"DZH318Z0BQ3Q\tDynamics 365 Sales\tUS,UM, ca", OFFER_LINE_OK, "US,UM,CA"},
	    {"a.b_c:d-1\tÉdition française\tFR", OFFER_LINE_OK, "FR"},
	    {"X\tName", OFFER_LINE_COLUMNS, NULL},
	    {"X\tName\t*\textra", OFFER_LINE_COLUMNS, NULL},
	    {"bad id\tName\t*", OFFER_LINE_ID, NULL},
	    {"\tName\t*", OFFER_LINE_ID, NULL},
	    {"X\t\t*", OFFER_LINE_NAME, NULL},
	    {"X\tName\t", OFFER_LINE_COUNTRIES, NULL},
	    {"X\tName\t*,US", OFFER_LINE_COUNTRIES, NULL},
	    {"X\tName\tUSA", OFFER_LINE_COUNTRY_CODE, NULL},
	    {"X\tName\tUS,", OFFER_LINE_COUNTRY_CODE, NULL},
	    {"X\tName\tU1", OFFER_LINE_COUNTRY_CODE, NULL},
	    {"X\tName\tUS,us", OFFER_LINE_COUNTRY_TWICE, NULL},
	};
	for (size_t i = 0; i < N(lines); i++) {
		static struct offer_line l;
		char buf[200];
		snprintf(buf, sizeof(buf), "%s", lines[i].line);
		enum offer_line_error e = offer_line_parse(buf, &l);
		char got[100] = "";
		if (e == OFFER_LINE_OK && l.all)
			strcpy(got, "*");
		for (size_t k = 0; e == OFFER_LINE_OK && k < l.ncodes; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? "," : "", l.codes[k]);
		ok(e == lines[i].want && (lines[i].countries == NULL || strcmp(got, lines[i].countries) == 0),
		   "offer line \"%s\" → %d %s", lines[i].line, lines[i].want, got);
	}
	{
		char id65[80];
		memset(id65, 'A', 65);
		id65[65] = '\0';
		ok(!offer_id_valid(id65) && offer_id_valid(id65 + 1), "an offer ID has at most 64 characters");
		for (int e = 1; e < OFFER_LINE_ERROR__MAX; e++)
			ok(*offer_line_error_message((enum offer_line_error)e), "offer line error %d has a message", e);
	}

	/* The check: each rule alone, several at once, the seed's examples. */
	static const char *const us_only[] = {"US"}, *const um_only[] = {"UM"},
	                         *const americas[] = {"US", "UM", "CA", "BR"};
	static const char *const partner_domains[] = {"fabrikam.example", "fabrikam.onmicrosoft.com"};
	const struct offer_countries all = {true, NULL, 0}, us = {false, us_only, 1},
	                             um = {false, um_only, 1}, amer = {false, americas, 4};
#define B(r) ELIG_BIT(ELIG_##r)
	static const struct {
		const char *why;
		bool active;
		const char *partner, *customer, *domain;
		enum customer_relationship rel;
		int offer; /* 0 all, 1 US, 2 UM, 3 Americas */
		unsigned want;
	} cases[] = {
	    {"seed: a US CSP and a US Outlying Islands customer: eligible", true, "US", "UM",
	     "midway.example", CUSTOMER_REL_CUSTOMER, 0, 0},
	    {"a US CSP and a US customer", true, "US", "US", "woodgrove.example", CUSTOMER_REL_CUSTOMER, 1, 0},
	    {"a US CSP and a Guam customer, offer in the Americas list lacks GU", true, "US", "GU",
	     "guam.example", CUSTOMER_REL_CUSTOMER, 3, B(OFFER_NOT_IN_CUSTOMER_COUNTRY)},
	    {"seed: a Brazil CSP and a customer in Brazil whose tenant is US: outside the market", true,
	     "BR", "US", "clientebr.example", CUSTOMER_REL_CUSTOMER, 0, B(CUSTOMER_OUTSIDE_MARKET)},
	    {"a Brazil CSP and a Brazil tenant", true, "BR", "BR", "clientebr.example",
	     CUSTOMER_REL_CUSTOMER, 3, 0},
	    {"an Africa CSP (KE) sells to another Africa country (NG)", true, "KE", "NG", "lagos.example",
	     CUSTOMER_REL_CUSTOMER, 0, 0},
	    {"a Europe CSP (FR) and a US tenant", true, "FR", "US", "woodgrove.example",
	     CUSTOMER_REL_CUSTOMER, 0, B(CUSTOMER_OUTSIDE_MARKET)},
	    {"not an active CSP, alone", false, "US", "US", "woodgrove.example", CUSTOMER_REL_CUSTOMER, 0,
	     B(NOT_ACTIVE_CSP)},
	    {"offer not in the partner's country, alone", true, "US", "UM", "midway.example",
	     CUSTOMER_REL_CUSTOMER, 2, B(OFFER_NOT_IN_PARTNER_COUNTRY)},
	    {"offer not in the customer's country, alone", true, "US", "UM", "midway.example",
	     CUSTOMER_REL_CUSTOMER, 1, B(OFFER_NOT_IN_CUSTOMER_COUNTRY)},
	    {"the partner's own domain, alone", true, "US", "US", "fabrikam.example",
	     CUSTOMER_REL_CUSTOMER, 0, B(CUSTOMER_IS_PARTNER)},
	    {"a subdomain of the partner's domain", true, "US", "US", "eu.fabrikam.onmicrosoft.com",
	     CUSTOMER_REL_CUSTOMER, 0, B(CUSTOMER_IS_PARTNER)},
	    {"a domain that only ends like the partner's", true, "US", "US", "notfabrikam.example",
	     CUSTOMER_REL_CUSTOMER, 0, 0},
	    {"an affiliate, alone", true, "US", "US", "sister.example", CUSTOMER_REL_AFFILIATE, 0,
	     B(CUSTOMER_IS_AFFILIATE)},
	    {"a country in no CSP region: outside every market", true, "US", "IR", "tehran.example",
	     CUSTOMER_REL_CUSTOMER, 0, B(CUSTOMER_OUTSIDE_MARKET)},
	    {"a partner country in no region has no market", true, "IR", "IR", "tehran.example",
	     CUSTOMER_REL_CUSTOMER, 0, B(CUSTOMER_OUTSIDE_MARKET)},
	    {"several at once: outside, offer nowhere, own domain, affiliate", true, "US", "CA",
	     "fabrikam.example", CUSTOMER_REL_AFFILIATE, 2,
	     B(CUSTOMER_OUTSIDE_MARKET) | B(OFFER_NOT_IN_PARTNER_COUNTRY) |
	         B(OFFER_NOT_IN_CUSTOMER_COUNTRY) | B(CUSTOMER_IS_PARTNER) | B(CUSTOMER_IS_AFFILIATE)},
	    {"every rule at once", false, "US", "CA", "fabrikam.example", CUSTOMER_REL_AFFILIATE, 2,
	     (1u << ELIG_RULE__MAX) - 1},
	    {"not active and outside the market", false, "BR", "US", "woodgrove.example",
	     CUSTOMER_REL_CUSTOMER, 0, B(NOT_ACTIVE_CSP) | B(CUSTOMER_OUTSIDE_MARKET)},
	};
	const struct offer_countries *offers[] = {&all, &us, &um, &amer};
	for (size_t i = 0; i < N(cases); i++) {
		struct elig_facts f = {
		    .active_csp = cases[i].active,
		    .partner_country = cases[i].partner,
		    .partner_domains = partner_domains,
		    .npartner_domains = N(partner_domains),
		    .customer_country = cases[i].customer,
		    .customer_domain = cases[i].domain,
		    .relationship = cases[i].rel,
		    .offer = *offers[cases[i].offer],
		};
		is_int(elig_check(&f), cases[i].want, "eligibility: %s", cases[i].why);
	}
#undef B
	ok(offer_available_in(&all, "ZW") && !offer_available_in(&us, "CA") &&
	       offer_available_in(&amer, "BR") && !offer_available_in(&us, NULL),
	   "offer availability: * holds every country, a list its own");

	/* The market page's search. */
	static const struct {
		const char *q, *code, *name;
		bool want;
	} searches[] = {
	    {"", "US", "United States", true},
	    {"  ", "US", "United States", true},
	    {"us", "US", "United States", true},
	    {"UM", "UM", "United States Minor Outlying Islands", true},
	    {"outlying", "UM", "United States Minor Outlying Islands", true},
	    {"etats", "US", "États-Unis", true},
	    {"États-Unis", "UM", "Îles mineures éloignées des États-Unis", true},
	    {"etats unis", "US", "États-Unis", true},
	    {"canada", "US", "United States", false},
	    {"ca", "US", "United States", false},
	    {"!!", "US", "United States", false},
	};
	for (size_t i = 0; i < N(searches); i++)
		ok(csp_market_match(searches[i].q, searches[i].code, searches[i].name) == searches[i].want,
		   "market search \"%s\" %s %s", searches[i].q, searches[i].want ? "finds" : "misses",
		   searches[i].name);
	csp_regions_set(NULL, 0);
}

/* ---- Solutions Partner designations (DOMAIN §7, CONTRACT "Programs") ---- */

/* data_ai's metrics as data/designation-metrics.tsv gives them. */
static const struct desig_metric data_ai[] = {
    {"data_ai", "performance", "net_customer_adds", 30},
    {"data_ai", "skilling", "intermediate_certifications", 40},
    {"data_ai", "customer_success", "usage_growth", 20},
    {"data_ai", "customer_success", "deployments", 10},
};

static void
test_designations(void)
{
	for (int i = 0; i < DESIG_STATUS__MAX; i++)
		ok(desig_status_parse(desig_status_code((enum desig_status)i)) == i &&
		       *desig_status_label((enum desig_status)i),
		   "designation status %s round-trips and is labelled", desig_status_code(i));
	ok(desig_status_parse("active") == -1 && desig_level_parse("platinum") == -1 &&
	       desig_level_parse("gold") == DESIG_LEVEL_GOLD && desig_level_parse("none") == DESIG_LEVEL_NONE,
	   "designation codes: unknown ones refused");
	static const struct {
		enum desig_status from;
		enum desig_action action;
		int to; /* -1: no such move */
	} moves[] = {
	    {DESIG_IN_PROGRESS, DESIG_QUALIFY, DESIG_QUALIFIED},
	    {DESIG_IN_PROGRESS, DESIG_PURCHASE, -1},
	    {DESIG_IN_PROGRESS, DESIG_ENROLL_FREE, -1},
	    {DESIG_QUALIFIED, DESIG_PURCHASE, DESIG_ENROLLED},
	    {DESIG_QUALIFIED, DESIG_ENROLL_FREE, DESIG_ENROLLED},
	    {DESIG_QUALIFIED, DESIG_FALL_BACK, DESIG_IN_PROGRESS},
	    {DESIG_ENROLLED, DESIG_PURCHASE, -1},
	    {DESIG_ENROLLED, DESIG_RENEWAL_OPENS, DESIG_RENEWAL_DUE},
	    {DESIG_RENEWAL_DUE, DESIG_RENEW, DESIG_ENROLLED},
	    {DESIG_RENEWAL_DUE, DESIG_LAPSE, DESIG_IN_PROGRESS},
	    {DESIG_RENEWAL_DUE, DESIG_PURCHASE, -1},
	};
	for (size_t i = 0; i < N(moves); i++) {
		const struct desig_transition *t = desig_next(moves[i].from, moves[i].action);
		is_int(t ? (int)t->to : -1, moves[i].to, "designation %s --%s-->",
		       desig_status_code(moves[i].from), desig_action_code(moves[i].action));
	}

	/* The window: the current month and the five before. */
	static const struct {
		const char *today, *first;
	} windows[] = {
	    {"2026-12-01", "2026-07-01"}, {"2026-12-31", "2026-07-01"}, {"2026-03-15", "2025-10-01"},
	    {"2026-06-30", "2026-01-01"}, {"2024-02-29", "2023-09-01"},
	};
	for (size_t i = 0; i < N(windows); i++) {
		struct desig_window w;
		desig_window_of(day_of(windows[i].today), &w);
		ok(w.first == day_of(windows[i].first) && w.last == day_of(windows[i].today),
		   "window at %s starts on %s", windows[i].today, windows[i].first);
	}
	struct desig_window w;
	long today = day_of("2026-12-01");
	desig_window_of(today, &w);
	ok(!desig_in_window(&w, w.first - 1) && desig_in_window(&w, w.first) &&
	       desig_in_window(&w, today) && !desig_in_window(&w, today + 1),
	   "window boundaries: the day before its first day and tomorrow are outside");
	char label[8];
	desig_month_label(&w, 0, label);
	is_str(label, "2026-07", "the window's first month");
	desig_month_label(&w, 5, label);
	is_str(label, "2026-12", "the window's last month is today's");
	ok(desig_month_index(&w, day_of("2026-07-31")) == 0 &&
	       desig_month_index(&w, day_of("2026-08-01")) == 1 && desig_month_index(&w, today) == 5 &&
	       desig_month_index(&w, w.first - 1) == -1,
	   "month index of days in the window");

	/* Scores: each case a list of measurements at today 2026-12-01. */
	long d1 = day_of("2026-11-02"), d2 = day_of("2026-11-20"), out = w.first - 1;
	struct {
		const char *why;
		struct desig_point p[8];
		size_t np;
		int score;
		bool qualified;
		long best;
	} cases[] = {
	    {"69 points, every metric above 0: in progress",
	     {{0, d1, 30}, {1, d1, 20}, {2, d1, 10}, {3, d1, 9}}, 4, 69, false, d1},
	    {"70 points, every metric above 0: qualified",
	     {{0, d1, 30}, {1, d1, 20}, {2, d1, 10}, {3, d1, 10}}, 4, 70, true, d1},
	    {"90 points with a metric at 0: not qualified",
	     {{0, d1, 30}, {1, d1, 40}, {2, d1, 20}, {3, d1, 0}}, 4, 90, false, d1},
	    {"a metric never measured counts 0",
	     {{0, d1, 30}, {1, d1, 40}, {2, d1, 20}}, 3, 90, false, d1},
	    {"a day just outside the window is ignored",
	     {{0, out, 30}, {1, out, 40}, {2, out, 20}, {3, out, 10}}, 4, 0, false, -1},
	    {"the window's first day counts",
	     {{0, w.first, 30}, {1, w.first, 40}, {2, w.first, 20}, {3, w.first, 10}}, 4, 100, true,
	     w.first},
	    {"tomorrow is outside the window",
	     {{0, today + 1, 30}, {1, today + 1, 40}, {2, today + 1, 20}, {3, today + 1, 10}}, 4, 0,
	     false, -1},
	    {"a metric keeps its latest points on later days",
	     {{0, d1, 30}, {1, d2, 20}, {2, d2, 10}, {3, d2, 10}}, 4, 70, true, d2},
	    {"a measurement before the window is not carried into it",
	     {{0, out, 30}, {1, d2, 40}, {2, d2, 20}, {3, d2, 10}}, 4, 70, false, d2},
	    {"the later line of the same metric and day wins",
	     {{0, d1, 30}, {1, d1, 20}, {2, d1, 10}, {3, d1, 9}, {3, d1, 10}}, 5, 70, true, d1},
	    {"a qualifying day beats a higher day with a metric at 0",
	     {{0, d1, 30}, {1, d1, 40}, {2, d1, 20}, {3, d1, 0}, {3, d2, 10}, {1, d2, 12}}, 6, 72,
	     true, d2},
	    {"points above a metric's maximum count as the maximum",
	     {{0, d1, 35}, {1, d1, 20}, {2, d1, 10}, {3, d1, 10}}, 4, 70, true, d1},
	    {"measurements out of order are sorted by day",
	     {{3, d2, 10}, {0, d1, 30}, {2, d2, 10}, {1, d1, 20}}, 4, 70, true, d2},
	};
	for (size_t i = 0; i < N(cases); i++) {
		struct desig_score sc;
		desig_score(data_ai, N(data_ai), cases[i].p, cases[i].np, today, &sc);
		ok(sc.score == cases[i].score && sc.qualified == cases[i].qualified &&
		       sc.best_day == cases[i].best,
		   "score: %s (%d, %s)", cases[i].why, sc.score, sc.qualified ? "qualified" : "not");
	}
	struct desig_point mp[] = {{0, day_of("2026-08-10"), 30}, {1, day_of("2026-08-10"), 20},
	                           {1, day_of("2026-10-05"), 40}};
	struct desig_score sc;
	desig_score(data_ai, N(data_ai), mp, N(mp), today, &sc);
	ok(sc.month_best[0] == -1 && sc.month_best[1] == 50 && sc.month_best[2] == 50 &&
	       sc.month_best[3] == 70 && sc.month_best[4] == 70 && sc.month_best[5] == 70,
	   "per month: none before the first measurement, then carried into later months");
	ok(sc.points[0] == 30 && sc.points[1] == 40 && sc.points[2] == 0 && sc.points[3] == 0,
	   "the metrics' points are the best day's");

	/* One fee, one anniversary; the renewal window. */
	ok(desig_add_years(day_of("2024-02-29"), 1) == day_of("2025-02-28") &&
	       desig_add_years(day_of("2024-02-29"), 4) == day_of("2028-02-29") &&
	       desig_add_years(day_of("2026-12-01"), 1) == day_of("2027-12-01"),
	   "a year later (29 February becomes 28 February)");
	struct desig_membership none = {-1, 0}, m = {day_of("2026-03-10"), 1};
	long paid = day_of("2027-03-10");
	ok(desig_paid_through(&m) == paid && desig_paid_through(&none) == -1,
	   "paid through the anniversary a year later");
	ok(!desig_member(&none, today) && !desig_member(&m, m.anniversary - 1) &&
	       desig_member(&m, m.anniversary) && desig_member(&m, paid - 1) && !desig_member(&m, paid),
	   "a member from the anniversary to the day before the paid-through day");
	is_int(desig_renewal_start(&m), paid - DESIG_RENEWAL_DAYS, "renewal opens 30 days before");
	static const struct {
		long offset; /* from the paid-through day */
		enum desig_status enrolled_q, enrolled_nq;
	} renewal[] = {
	    {-31, DESIG_ENROLLED, DESIG_ENROLLED},
	    {-30, DESIG_RENEWAL_DUE, DESIG_RENEWAL_DUE}, /* the window's first day */
	    {-1, DESIG_RENEWAL_DUE, DESIG_RENEWAL_DUE},  /* its last day */
	    {0, DESIG_QUALIFIED, DESIG_IN_PROGRESS},     /* lapsed: back to the score */
	};
	for (size_t i = 0; i < N(renewal); i++) {
		long day = paid + renewal[i].offset;
		ok(desig_status_at(true, true, &m, day) == renewal[i].enrolled_q &&
		       desig_status_at(false, true, &m, day) == renewal[i].enrolled_nq &&
		       desig_in_renewal(&m, day) == (renewal[i].offset >= -30 && renewal[i].offset < 0),
		   "an enrolled area %ld day(s) from the paid-through day", renewal[i].offset);
	}
	ok(desig_status_at(true, false, &m, today) == DESIG_QUALIFIED &&
	       desig_status_at(false, false, &m, today) == DESIG_IN_PROGRESS &&
	       desig_status_at(true, false, &none, today) == DESIG_QUALIFIED,
	   "an area not enrolled follows its score");
	struct desig_membership later = desig_membership_after(&m, day_of("2026-09-01"), false);
	ok(later.anniversary == m.anniversary && later.years == 1,
	   "a designation enrolled later shares the first one's anniversary");
	struct desig_membership renewed = desig_membership_after(&m, paid - 5, true);
	ok(renewed.anniversary == m.anniversary && renewed.years == 2 &&
	       desig_paid_through(&renewed) == day_of("2028-03-10"),
	   "a renewal pays one more year from the same anniversary");
	struct desig_membership fresh = desig_membership_after(&m, paid, false);
	ok(fresh.anniversary == paid && fresh.years == 1,
	   "after a lapse, the next enrollment starts a new anniversary");
	fresh = desig_membership_after(&none, today, false);
	ok(fresh.anniversary == today && fresh.years == 1, "the first enrollment is the anniversary");

	/* Free enrollment and purchase verdicts. */
	static const struct {
		enum desig_status s;
		enum desig_level legacy;
		bool member;
		enum desig_free want;
	} free_cases[] = {
	    {DESIG_QUALIFIED, DESIG_LEVEL_NONE, true, DESIG_FREE_MEMBER},
	    {DESIG_QUALIFIED, DESIG_LEVEL_GOLD, false, DESIG_FREE_LEGACY},
	    {DESIG_QUALIFIED, DESIG_LEVEL_SILVER, false, DESIG_FREE_LEGACY},
	    {DESIG_QUALIFIED, DESIG_LEVEL_GOLD, true, DESIG_FREE_MEMBER},
	    {DESIG_QUALIFIED, DESIG_LEVEL_NONE, false, DESIG_FREE_NO},
	    {DESIG_IN_PROGRESS, DESIG_LEVEL_GOLD, true, DESIG_FREE_NO},
	    {DESIG_ENROLLED, DESIG_LEVEL_GOLD, true, DESIG_FREE_NO},
	    {DESIG_RENEWAL_DUE, DESIG_LEVEL_GOLD, true, DESIG_FREE_NO},
	};
	for (size_t i = 0; i < N(free_cases); i++)
		is_int(desig_free_enrollment(free_cases[i].s, free_cases[i].legacy, free_cases[i].member),
		       free_cases[i].want, "free enrollment: %s, legacy %s, %s",
		       desig_status_code(free_cases[i].s), desig_level_code(free_cases[i].legacy),
		       free_cases[i].member ? "member" : "not a member");
	static const struct {
		enum desig_status s;
		bool q;
		enum desig_refusal want;
	} buy[] = {
	    {DESIG_QUALIFIED, true, DESIG_REFUSE_NONE},
	    {DESIG_IN_PROGRESS, false, DESIG_REFUSE_NOT_QUALIFIED},
	    {DESIG_ENROLLED, true, DESIG_REFUSE_ENROLLED},
	    {DESIG_RENEWAL_DUE, true, DESIG_REFUSE_NONE},
	    {DESIG_RENEWAL_DUE, false, DESIG_REFUSE_NOT_QUALIFIED},
	};
	for (size_t i = 0; i < N(buy); i++)
		is_int(desig_purchase_check(buy[i].s, buy[i].q), buy[i].want, "purchase of a %s area (%s)",
		       desig_status_code(buy[i].s), buy[i].q ? "qualifies" : "does not qualify");
	for (int r = 1; r < DESIG_REFUSAL__MAX; r++)
		ok(*desig_refusal_message((enum desig_refusal)r) &&
		       desig_refusal_parse(desig_refusal_code((enum desig_refusal)r)) == r,
		   "purchase refusal %s has a message", desig_refusal_code(r));

	/* The membership page's statuses. */
	enum desig_status a1[] = {DESIG_IN_PROGRESS, DESIG_QUALIFIED, DESIG_ENROLLED},
	                  a2[] = {DESIG_IN_PROGRESS, DESIG_QUALIFIED},
	                  a3[] = {DESIG_ENROLLED, DESIG_RENEWAL_DUE}, a4[] = {DESIG_IN_PROGRESS};
	ok(program_solutions_status(a1, 3, true) == PROGRAM_ENROLLED &&
	       program_solutions_status(a2, 2, true) == PROGRAM_QUALIFIED &&
	       program_solutions_status(a3, 2, true) == PROGRAM_RENEWAL_DUE &&
	       program_solutions_status(a4, 1, true) == PROGRAM_IN_PROGRESS &&
	       program_solutions_status(a4, 1, false) == PROGRAM_NOT_ENROLLED,
	   "Solutions Partner program status from the areas");
	ok(program_csp_status(CSP_NONE) == PROGRAM_NOT_ENROLLED &&
	       program_csp_status(CSP_DRAFT) == PROGRAM_PENDING &&
	       program_csp_status(CSP_PENDING_REVIEW) == PROGRAM_PENDING &&
	       program_csp_status(CSP_APPROVED) == PROGRAM_PENDING &&
	       program_csp_status(CSP_REJECTED) == PROGRAM_REJECTED &&
	       program_csp_status(CSP_ACTIVE) == PROGRAM_ACTIVE,
	   "CSP program status from the application");
	for (int p = 0; p < PROGRAM__MAX; p++)
		ok(*program_code((enum program)p), "program %d has a code", p);
	for (int i = 0; i < PROGRAM_STATUS__MAX; i++)
		ok(program_status_parse(program_status_code((enum program_status)i)) == i &&
		       *program_status_label((enum program_status)i),
		   "program status %s round-trips", program_status_code(i));

	/* ISV Success. */
	ok(isv_stage_parse("idea") == ISV_IDEA && isv_stage_parse("publish") == ISV_PUBLISH &&
	       isv_stage_parse("launch") == -1,
	   "ISV stages");
	size_t nb;
	const struct isv_benefit *b = isv_benefits(&nb);
	bool all = nb == 5;
	for (size_t i = 0; i < nb; i++)
		all = all && *b[i].code && *b[i].label && *b[i].detail;
	ok(all, "five ISV Success benefits, each with a code, a label and a detail");
}

int
main(void)
{
	test_roles();
	test_access();
	test_partners();
	test_csp_transitions();
	test_csp_rules();
	test_csp_agreement_and_address();
	test_us_postal();
	test_sessions();
	test_passwords();
	test_throttle();
	test_sha1();
	test_base32();
	test_totp();
	test_twofactor();
	test_addresses();
	test_audit_sentences();
	test_csp_waiting();
	test_review();
	test_profiles();
	test_profile_content();
	test_directory();
	test_leads();
	test_migration();
	test_designations();
	test_eligibility();
	return done_testing();
}
