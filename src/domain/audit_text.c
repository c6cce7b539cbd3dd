/* Audit sentences: see audit_text.h. The table lists every action code
 * recorded by src/pages, src/db and src/ctl; tests/unit/test_domain.c checks
 * each one has a sentence of its own. */
#include "domain/audit_text.h"

#include <stdbool.h>
#include <string.h>

#include "core/i18n.h"
#include "domain/csp.h"

/* How a fact becomes an argument. */
enum audit_map { MAP_TEXT, MAP_STATUS, MAP_VERDICT, MAP_MODEL, MAP_DOCTYPE, MAP_ROLES };

struct audit_row {
	const char *action;
	const char *when_key, *when_value; /* condition on a fact, or NULL */
	const char *msgid;
	const char *keys[AUDIT_ARGS];      /* facts filled in, in order */
	enum audit_map maps[AUDIT_ARGS];
};

static const struct audit_row rows[] = {
    {"partner.enroll", NULL, NULL,
     N_("Joined the partner program: global ID {1}, location ID {2}"),
     {"global_partner_id", "location_partner_id"}, {MAP_TEXT, MAP_TEXT}},
    {"partner.enroll", NULL, NULL, N_("Joined the partner program"), {NULL}, {MAP_TEXT}},
    {"legal.update", NULL, NULL, N_("Legal information updated: {1}"), {"legal_name"}, {MAP_TEXT}},
    {"legal.update", NULL, NULL, N_("Legal information updated"), {NULL}, {MAP_TEXT}},
    {"location.add", NULL, NULL, N_("Location {1} added: {2}"), {"partner_id", "name"},
     {MAP_TEXT, MAP_TEXT}},
    {"location.add", NULL, NULL, N_("Location {1} added"), {"object"}, {MAP_TEXT}},
    {"location.deactivate", NULL, NULL, N_("Location {1} deactivated"), {"object"}, {MAP_TEXT}},
    {"location.reactivate", NULL, NULL, N_("Location {1} reactivated"), {"object"}, {MAP_TEXT}},
    {"location.delete", NULL, NULL, N_("Location {1} deleted"), {"object"}, {MAP_TEXT}},
    {"profile.create", NULL, NULL, N_("Business profile draft {1} created under partner ID {2}"),
     {"object", "partner_id"}, {MAP_TEXT, MAP_TEXT}},
    {"profile.create", NULL, NULL, N_("Business profile draft {1} created"), {"object"},
     {MAP_TEXT}},
    {"profile.publish", NULL, NULL, N_("Business profile {1} published: {2}"), {"object", "name"},
     {MAP_TEXT, MAP_TEXT}},
    {"profile.publish", NULL, NULL, N_("Business profile {1} published"), {"object"},
     {MAP_TEXT}},
    {"profile.delete", NULL, NULL, N_("Business profile {1} deleted: {2}"), {"object", "name"},
     {MAP_TEXT, MAP_TEXT}},
    {"profile.delete", NULL, NULL, N_("Business profile {1} deleted"), {"object"}, {MAP_TEXT}},
    {"profile.migrate", NULL, NULL,
     N_("Legacy business profile {1} migrated to partner ID {2}: {3}"),
     {"object", "partner_id", "name"}, {MAP_TEXT, MAP_TEXT, MAP_TEXT}},
    {"profile.migrate", NULL, NULL, N_("Legacy business profile {1} migrated"), {"object"},
     {MAP_TEXT}},
    {"legacy.import", NULL, NULL, N_("{1} legacy business profiles imported from {2}"),
     {"profiles", "object"}, {MAP_TEXT, MAP_TEXT}},
    {"legacy.import", NULL, NULL, N_("Legacy business profiles imported from {1}"), {"object"},
     {MAP_TEXT}},
    {"legacy.link_pga", NULL, NULL,
     N_("{1} legacy business profiles linked to their global partner ID (migration window closed on {2})"),
     {"profiles", "as_of"}, {MAP_TEXT, MAP_TEXT}},
    {"legacy.link_pga", NULL, NULL,
     N_("Legacy business profiles linked to their global partner ID (as of {1})"), {"object"},
     {MAP_TEXT}},
    {"customer.add", NULL, NULL, N_("Customer {1} recorded: tenant {2} in {3}"),
     {"name", "tenant_domain", "country"}, {MAP_TEXT, MAP_TEXT, MAP_TEXT}},
    {"customer.add", NULL, NULL, N_("Customer {1} recorded"), {"object"}, {MAP_TEXT}},
    {"csp.eligibility", "verdict", "yes", N_("Eligibility check of {1} for offer {2}: eligible"),
     {"object", "offer"}, {MAP_TEXT, MAP_TEXT}},
    {"csp.eligibility", "verdict", "no",
     N_("Eligibility check of {1} for offer {2}: not eligible ({3})"),
     {"object", "offer", "failed"}, {MAP_TEXT, MAP_TEXT, MAP_TEXT}},
    {"csp.eligibility", NULL, NULL, N_("Eligibility check of {1}"), {"object"}, {MAP_TEXT}},
    {"offers.import", NULL, NULL, N_("Offers catalog imported from {1}: {2} offers, {3} removed"),
     {"object", "offers", "removed"}, {MAP_TEXT, MAP_TEXT, MAP_TEXT}},
    {"offers.import", NULL, NULL, N_("Offers catalog imported from {1}"), {"object"},
     {MAP_TEXT}},
    {"scores.import", NULL, NULL, N_("Capability scores imported from {1}: {2} lines"),
     {"object", "lines"}, {MAP_TEXT, MAP_TEXT}},
    {"scores.import", NULL, NULL, N_("Capability scores imported from {1}"), {"object"},
     {MAP_TEXT}},
    {"competency.set", NULL, NULL, N_("Legacy competency of {1} set to {2}"), {"object", "level"},
     {MAP_TEXT, MAP_TEXT}},
    {"competency.set", NULL, NULL, N_("Legacy competency of {1} changed"), {"object"}, {MAP_TEXT}},
    {"designation.qualify", NULL, NULL, N_("Designation qualified: {1}, {2} points"),
     {"area", "score"}, {MAP_TEXT, MAP_TEXT}},
    {"designation.qualify", NULL, NULL, N_("Designation qualified: {1}"), {"object"}, {MAP_TEXT}},
    {"designation.enroll", "how", "legacy",
     N_("Designation enrolled without paying (legacy competency): {1}"), {"area"}, {MAP_TEXT}},
    {"designation.enroll", "how", "member",
     N_("Designation enrolled without paying (covered by the yearly fee): {1}"), {"area"},
     {MAP_TEXT}},
    {"designation.enroll", NULL, NULL, N_("Designation enrolled: {1}"), {"object"}, {MAP_TEXT}},
    {"designation.purchase", NULL, NULL, N_("Designations bought: {1}; paid through {2}"),
     {"areas", "paid_through"}, {MAP_TEXT, MAP_TEXT}},
    {"designation.purchase", NULL, NULL, N_("Designations bought"), {NULL}, {MAP_TEXT}},
    {"designation.renew", NULL, NULL, N_("Designations renewed: {1}; paid through {2}"),
     {"areas", "paid_through"}, {MAP_TEXT, MAP_TEXT}},
    {"designation.renew", NULL, NULL, N_("Designations renewed"), {NULL}, {MAP_TEXT}},
    {"designation.renewal_due", NULL, NULL, N_("Renewal reminder sent: renew by {1}"),
     {"paid_through"}, {MAP_TEXT}},
    {"designation.renewal_due", NULL, NULL, N_("Renewal reminder sent"), {NULL}, {MAP_TEXT}},
    {"designation.end", NULL, NULL, N_("Designation not renewed: {1}"), {"area"}, {MAP_TEXT}},
    {"designation.end", NULL, NULL, N_("Designation not renewed"), {NULL}, {MAP_TEXT}},
    {"isv.enroll", NULL, NULL, N_("Enrolled in ISV Success: {1}"), {"solution_name"}, {MAP_TEXT}},
    {"isv.enroll", NULL, NULL, N_("Enrolled in ISV Success"), {NULL}, {MAP_TEXT}},
    {"account.close", NULL, NULL, N_("Partner account {1} closed"), {"object"}, {MAP_TEXT}},
    {"user.invite", NULL, NULL, N_("{1} invited as {2}"), {"object", "roles"},
     {MAP_TEXT, MAP_ROLES}},
    {"user.invite", NULL, NULL, N_("{1} invited"), {"object"}, {MAP_TEXT}},
    {"user.roles", NULL, NULL, N_("Roles of {1} changed to {2}"), {"object", "roles"},
     {MAP_TEXT, MAP_ROLES}},
    {"user.roles", NULL, NULL, N_("Roles of {1} changed"), {"object"}, {MAP_TEXT}},
    {"user.password_change", NULL, NULL, N_("Password changed"), {NULL}, {MAP_TEXT}},
    {"user.password_reset", NULL, NULL, N_("Password reset with an emailed link"), {NULL},
     {MAP_TEXT}},
    {"user.2fa_enable", NULL, NULL, N_("Two-step sign-in turned on"), {NULL}, {MAP_TEXT}},
    {"user.2fa_disable", NULL, NULL, N_("Two-step sign-in turned off"), {NULL}, {MAP_TEXT}},
    {"user.2fa_recovery_codes", NULL, NULL, N_("New recovery codes created"), {NULL},
     {MAP_TEXT}},
    {"staff.add", NULL, NULL, N_("Staff account {1} created"), {"object"}, {MAP_TEXT}},
    {"domain_claim.release", NULL, NULL, N_("Claim on the domain {1} released by staff"),
     {"object"}, {MAP_TEXT}},
    {"domain_claim.takeover", NULL, NULL,
     N_("Unverified claim on the domain {1} taken over by the sign-up of {2}"),
     {"object", "signed_up"}, {MAP_TEXT, MAP_TEXT}},
    {"domain_claim.expire", NULL, NULL, N_("Unverified claim on the domain {1} expired"),
     {"object"}, {MAP_TEXT}},
    {"csp.location", NULL, NULL, N_("Location {1} chosen for the CSP application"),
     {"partner_id"}, {MAP_TEXT}},
    {"csp.company", "source", "manual", N_("Company entered by hand: {1}"), {"legal_name"},
     {MAP_TEXT}},
    {"csp.company", "source", "lookup",
     N_("Company chosen from the DUNS search: {2}, DUNS number {1} (confidence {3}/10)"),
     {"duns", "legal_name", "confidence"}, {MAP_TEXT, MAP_TEXT, MAP_TEXT}},
    {"csp.company", NULL, NULL, N_("Company chosen by DUNS number {1}: {2}"),
     {"duns", "legal_name"}, {MAP_TEXT, MAP_TEXT}},
    {"csp.company", NULL, NULL, N_("Company information stored"), {NULL}, {MAP_TEXT}},
    {"csp.address", "choice", "suggested", N_("Address checked: {1}; the suggested form was kept"),
     {"verdict"}, {MAP_VERDICT}},
    {"csp.address", NULL, NULL, N_("Address checked: {1}"), {"verdict"}, {MAP_VERDICT}},
    {"csp.contact", NULL, NULL, N_("Contacts stored; CSP model: {1}"), {"model"}, {MAP_MODEL}},
    {"csp.submit", NULL, NULL, N_("Application submitted for review"), {NULL}, {MAP_TEXT}},
    {"csp.approve", NULL, NULL, N_("Application approved"), {NULL}, {MAP_TEXT}},
    {"csp.reject", NULL, NULL, N_("Application rejected: {1}"), {"note"}, {MAP_TEXT}},
    {"csp.reject", NULL, NULL, N_("Application rejected"), {NULL}, {MAP_TEXT}},
    {"csp.request_document", NULL, NULL, N_("Document requested: {1}"), {"note"}, {MAP_TEXT}},
    {"csp.request_document", NULL, NULL, N_("Document requested"), {NULL}, {MAP_TEXT}},
    {"csp.request_questionnaire", NULL, NULL, N_("Questionnaire requested: {1}"), {"note"},
     {MAP_TEXT}},
    {"csp.request_questionnaire", NULL, NULL, N_("Questionnaire requested"), {NULL}, {MAP_TEXT}},
    {"csp.document", NULL, NULL, N_("Document sent: {1}"), {"type"}, {MAP_DOCTYPE}},
    {"csp.document", NULL, NULL, N_("Document sent"), {NULL}, {MAP_TEXT}},
    {"csp.questionnaire", NULL, NULL, N_("Questionnaire answered"), {NULL}, {MAP_TEXT}},
    {"csp.agreement", NULL, NULL, N_("Partner agreement {1} accepted by {2}"),
     {"version", "signer_name"}, {MAP_TEXT, MAP_TEXT}},
    {"csp.agreement", NULL, NULL, N_("Partner agreement accepted"), {NULL}, {MAP_TEXT}},
};

static const char *
fact(const struct audit_fact *facts, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (facts[i].key && strcmp(facts[i].key, key) == 0)
			return facts[i].value && *facts[i].value ? facts[i].value : NULL;
	return NULL;
}

/* The argument of a fact, or false when a coded fact is out of its table. */
static bool
map_arg(enum audit_map m, const char *v, enum audit_arg_kind *kind, const char **out)
{
	int k;
	*kind = AUDIT_ARG_MSGID;
	switch (m) {
	case MAP_STATUS:
		k = csp_status_parse(v);
		*out = k >= 0 ? csp_status_label((enum csp_status)k) : NULL;
		break;
	case MAP_VERDICT:
		k = csp_verdict_parse(v);
		*out = k >= 0 ? csp_verdict_label((enum csp_verdict)k) : NULL;
		break;
	case MAP_MODEL:
		k = csp_model_parse(v);
		*out = k >= 0 ? csp_model_label((enum csp_model)k) : NULL;
		break;
	case MAP_DOCTYPE:
		k = csp_document_type_parse(v);
		*out = k >= 0 ? csp_document_type_label((enum csp_document_type)k) : NULL;
		break;
	case MAP_ROLES:
		*kind = AUDIT_ARG_ROLES;
		*out = v;
		break;
	default:
		*kind = AUDIT_ARG_TEXT;
		*out = v;
		break;
	}
	return *out != NULL && **out != '\0';
}

struct audit_sentence
audit_sentence(const char *action, const struct audit_fact *facts, size_t n)
{
	struct audit_sentence s = {0};
	for (size_t i = 0; action && i < sizeof(rows) / sizeof(*rows); i++) {
		const struct audit_row *row = &rows[i];
		if (strcmp(row->action, action) != 0)
			continue;
		if (row->when_key) {
			const char *w = fact(facts, n, row->when_key);
			if (w == NULL || strcmp(w, row->when_value) != 0)
				continue;
		}
		bool all = true;
		s.nargs = 0;
		for (size_t k = 0; k < AUDIT_ARGS && row->keys[k] && all; k++) {
			const char *v = fact(facts, n, row->keys[k]);
			all = v != NULL && map_arg(row->maps[k], v, &s.args[k].kind, &s.args[k].value);
			s.nargs = k + 1;
		}
		if (!all)
			continue;
		s.msgid = row->msgid;
		return s;
	}
	s.msgid = N_("Recorded action: {1}");
	s.nargs = 1;
	s.args[0].kind = AUDIT_ARG_TEXT;
	s.args[0].value = action && *action ? action : "?";
	return s;
}

size_t
audit_fill(const char *tmpl, const char *const *args, size_t nargs, char *out, size_t cap)
{
	size_t len = 0;
	for (const char *p = tmpl; *p;) {
		const char *piece = p;
		size_t plen = 1;
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}' &&
		    (size_t)(p[1] - '1') < nargs) {
			piece = args[p[1] - '1'] ? args[p[1] - '1'] : "";
			plen = strlen(piece);
			p += 3;
		} else {
			p++;
		}
		if (len < cap) {
			size_t room = cap - len - 1;
			memcpy(out + len, piece, plen < room ? plen : room);
		}
		len += plen;
	}
	if (cap)
		out[len < cap ? len : cap - 1] = '\0';
	return len;
}
