#include "domain/partners.h"

#include <string.h>

#include "core/i18n.h"
#include "domain/codes.h"

static const char *const kind_codes[PARTNER_KIND__MAX] = {"global", "location"};
static const char *const status_codes[PARTNER_STATUS__MAX] = {"active", "inactive", "deleted"};
DOMAIN_CODES(partner_kind, enum partner_kind, PARTNER_KIND__MAX, kind_codes)
DOMAIN_CODES(partner_status, enum partner_status, PARTNER_STATUS__MAX, status_codes)
static const char *const refusal_codes[PARTNER_REFUSAL__MAX] = {
    "",    "global",  "csp",     "global_admin_only", "linked_locations",
    "csp", "profile", "program", "last_location"};

const char *
partner_kind_label(enum partner_kind k)
{
	return k == PARTNER_GLOBAL ? N_("Global") : N_("Location");
}

const char *
partner_status_label(enum partner_status s)
{
	static const char *const labels[PARTNER_STATUS__MAX] = {N_("Active"), N_("Inactive"),
	                                                        N_("Deleted")};
	return (unsigned)s < PARTNER_STATUS__MAX ? labels[s] : "";
}

bool
partner_id_valid(const char *s)
{
	return s && strlen(s) == PARTNER_ID_DIGITS && strspn(s, "0123456789") == PARTNER_ID_DIGITS;
}

const char *
partner_refusal_code(enum partner_refusal r)
{
	return (unsigned)r < PARTNER_REFUSAL__MAX ? refusal_codes[r] : "";
}

bool
partner_links_any(const struct partner_links *l)
{
	return l->csp || l->profile || l->program;
}

enum partner_refusal
partner_status_change_check(enum partner_kind kind, const struct partner_links *links,
                            enum partner_status to)
{
	if (kind == PARTNER_GLOBAL)
		return PARTNER_REFUSE_GLOBAL_STATUS;
	if (to == PARTNER_INACTIVE && links->csp)
		return PARTNER_REFUSE_CSP_MUST_STAY;
	return PARTNER_OK;
}

enum partner_refusal
partner_delete_check(const struct partner_delete_facts *f)
{
	if (f->kind == PARTNER_GLOBAL) {
		if (!f->actor_global_admin)
			return PARTNER_REFUSE_GLOBAL_ADMIN_ONLY;
		if (f->any_location_linked)
			return PARTNER_REFUSE_LINKED_LOCATIONS;
		return PARTNER_OK;
	}
	if (f->links.csp)
		return PARTNER_REFUSE_CSP;
	if (f->links.profile)
		return PARTNER_REFUSE_PROFILE;
	if (f->links.program)
		return PARTNER_REFUSE_PROGRAM;
	if (f->live_locations <= 1)
		return PARTNER_REFUSE_LAST_LOCATION;
	return PARTNER_OK;
}

enum partner_quota_verdict
partner_quota_check(long long issued, long long wanted, long long max)
{
	if (wanted < 0 || issued < 0 || max <= 0 || issued > max || wanted > max - issued)
		return PARTNER_QUOTA_REACHED;
	return PARTNER_QUOTA_OK;
}
