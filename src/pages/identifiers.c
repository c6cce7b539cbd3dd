/* Settings > Account settings > Identifiers (DOMAIN §2): every partner ID
 * of the company, and its locations (add, deactivate or reactivate, delete
 * with the ID typed as confirmation). The rules are the domain's
 * (domain/partners.h); every ID is looked up within the signed-in user's
 * tenant: another tenant's ID is a 404 like an unknown one. */
#include <string.h>

#include "core/log.h"
#include "pages/pages.h"

static const struct form_field location_fields[] = {
    {"name", FT_TEXT, true, 2, 200, NULL},
    {"country", FT_COUNTRY, true, 2, 2, NULL},
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
};
static const char *const settable_statuses[] = {"active", "inactive", NULL};
static const struct form_field status_fields[] = {
    {"status", FT_ENUM, true, 1, 10, settable_statuses},
};
static const struct form_field confirm_fields[] = {
    {"confirm", FT_TEXT, true, 1, 20, NULL},
};

/* What a refusal says (DOMAIN §2), by the domain's reason. */
static const char *
refusal_message(enum partner_refusal why)
{
	switch (why) {
	case PARTNER_REFUSE_GLOBAL_STATUS:
		return N_("The global partner ID cannot be deactivated.");
	case PARTNER_REFUSE_CSP_MUST_STAY:
		return N_("This location is linked to your CSP enrollment: it must stay active.");
	case PARTNER_REFUSE_GLOBAL_ADMIN_ONLY:
		return N_("Only a global admin can delete the global partner ID and close the account.");
	case PARTNER_REFUSE_LINKED_LOCATIONS:
		return N_("A location of this account is linked to CSP, a business profile or a program enrollment: end those first.");
	case PARTNER_REFUSE_CSP:
		return N_("This location is linked to your CSP enrollment and cannot be deleted.");
	case PARTNER_REFUSE_PROFILE:
		return N_("This location manages a business profile and cannot be deleted.");
	case PARTNER_REFUSE_PROGRAM:
		return N_("This location is used by a program enrollment and cannot be deleted.");
	case PARTNER_REFUSE_LAST_LOCATION:
		return N_("This is the last location of your account: a partner account keeps at least one location.");
	default:
		return "";
	}
}

static json_t *
id_json(const struct partner_account *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "partner_id", p->partner_id, "kind",
	                 partner_kind_code(p->kind), "name", p->name, "country", p->country,
	                 "status", partner_status_code(p->status));
}

static void
id_vars(struct req *r, struct tvars *it, const struct partner_account *p)
{
	tv_set(it, "partner_id", p->partner_id);
	tv_set(it, "kind", partner_kind_code(p->kind));
	tv_set(it, "kind_label", tr(r->lang, partner_kind_label(p->kind)));
	tv_set(it, "name", p->name);
	tv_set(it, "country", p->country);
	tv_set(it, "country_name", country_label(r, p->country));
	tv_set(it, "status", partner_status_code(p->status));
	tv_set(it, "status_label", tr(r->lang, partner_status_label(p->status)));
	tv_set(it, "created", arena_strndup(r->a, p->created_at, 10));
	tv_set(it, "deleted_on", p->deleted_at);
	if (p->links.csp)
		tv_set(it, "csp_linked", "yes");
	tv_bool(it, "is_location", !partner_is_global(p));
	tv_bool(it, "is_active", p->status == PARTNER_ACTIVE);
	tv_setf(it, "status_action", "/account/locations/%s/status", p->partner_id);
	tv_setf(it, "delete_href", "/account/locations/%s/delete", p->partner_id);
}

/* Every ID of the tenant (deleted ones too), loaded once per request. */
struct id_list {
	struct partner_account *rows;
	size_t                  n;
};

static int
ids_load(struct req *r, struct id_list *l)
{
	if (db_partner_accounts(r->a, r->user->tenant_id, true, true, &l->rows, &l->n) != DB_OK)
		return page_error(r, 503);
	return 0;
}

/* What the list offers on an ID: a change of status and deletion when the
 * domain allows them, the reason (as a sentence) otherwise; the facts come
 * from the list itself (the POST checks them again inside its transaction). */
static void
id_actions(struct req *r, struct tvars *it, const struct id_list *l,
           const struct partner_account *p)
{
	enum partner_status to = p->status == PARTNER_ACTIVE ? PARTNER_INACTIVE : PARTNER_ACTIVE;
	enum partner_refusal why = partner_status_change_check(p->kind, &p->links, to);
	if (why != PARTNER_OK)
		tv_set(it, "status_refused", tr(r->lang, refusal_message(why)));
	struct partner_delete_facts facts = {.kind = p->kind, .links = p->links,
	                                     .actor_global_admin = has_role(r, ROLE_GLOBAL_ADMIN)};
	for (size_t i = 0; i < l->n; i++) {
		const struct partner_account *q = &l->rows[i];
		if (q->status == PARTNER_DELETED)
			continue;
		if (partner_links_any(&q->links))
			facts.any_location_linked = true;
		if (!partner_is_global(q))
			facts.live_locations++;
	}
	why = partner_delete_check(&facts);
	if (why != PARTNER_OK)
		tv_set(it, "delete_refused", tr(r->lang, refusal_message(why)));
}

/* The Identifiers page; for a refusal (409) its code and message about partner_id. */
static int
identifiers_render(struct req *r, int status, const struct id_list *l, const char *code,
                   const char *msgid, const char *partner_id)
{
	struct tvars *v = page_vars(r);
	tv_bool(v, "in_program", l->n > 0 && l->rows[0].status != PARTNER_DELETED);
	bool any_deleted = false;
	for (size_t i = 0; i < l->n; i++) {
		bool deleted = l->rows[i].status == PARTNER_DELETED;
		any_deleted = any_deleted || deleted;
		struct tvars *it = tv_item(v, deleted ? "deleted_ids" : "ids");
		id_vars(r, it, &l->rows[i]);
		if (!deleted)
			id_actions(r, it, l, &l->rows[i]);
	}
	tv_bool(v, "has_deleted", any_deleted);
	if (code) {
		tv_set(v, "refusal", code);
		tv_set(v, "refusal_message", tr(r->lang, msgid));
		tv_set(v, "refused_id", partner_id);
	} else {
		tv_set(v, "added", req_param(r, "added"));
		tv_set(v, "deleted", req_param(r, "deleted"));
		tv_bool(v, "just_enrolled", req_param(r, "welcome") != NULL);
		tv_bool(v, "status_saved", req_param(r, "status") != NULL);
	}
	return page_render(r, status, "identifiers", v);
}

int
page_identifiers(struct req *r)
{
	struct id_list l;
	int rc = ids_load(r, &l);
	return rc ? rc : identifiers_render(r, 200, &l, NULL, NULL, NULL);
}

/* ---- locations ---- */

/* The quota on partner IDs per company: [partners] max_ids (issue 10). */
static long long
partner_ids_max(void)
{
	return config_get_long(app.cfg, "partners.max_ids", PARTNER_IDS_DEFAULT_MAX, 0, 10000000);
}

/* The locations page; quota_reached (the quota, -1 when not reached) says
 * the company may not add another ID. */
static int
locations_render(struct req *r, int status, const struct id_list *l, struct form *f,
                 long long quota_reached)
{
	struct tvars *v = page_vars(r);
	if (quota_reached >= 0) {
		tv_set(v, "err_quota",
		       tr(r->lang, "Your company has reached its limit of partner IDs: it cannot add "
		                   "another location. Every ID ever issued to it counts, deleted ones "
		                   "included. Contact support if you need more."));
		tv_setf(v, "quota_max", "%lld", quota_reached);
	}
	bool enrolled = false;
	for (size_t i = 0; i < l->n; i++) {
		const struct partner_account *p = &l->rows[i];
		if (p->status == PARTNER_DELETED)
			continue;
		enrolled = true;
		if (partner_is_global(p))
			continue;
		struct tvars *it = tv_item(v, "locations");
		id_vars(r, it, p);
		account_address_vars(r, it, p);
	}
	tv_bool(v, "in_program", enrolled);
	if (f)
		form_to_vars(f, v, r->lang);
	country_options(r, v, f ? form_get(f, "country") : r->user->tenant_country);
	return page_render(r, status, "locations", v);
}

int
page_locations(struct req *r)
{
	struct id_list l;
	int rc = ids_load(r, &l);
	return rc ? rc : locations_render(r, 200, &l, NULL, -1);
}

int
page_location_add(struct req *r)
{
	struct id_list l;
	int rc = ids_load(r, &l);
	if (rc)
		return rc;
	/* The live PGA comes first (db_partner_accounts). */
	const struct partner_account *pga = l.n ? &l.rows[0] : NULL;
	if (pga == NULL || !partner_is_global(pga) || pga->status == PARTNER_DELETED)
		return resp_redirect(r, "/enroll");
	struct form f;
	form_read(r, location_fields, NFIELDS(location_fields), &f);
	if (f.nerrors)
		return locations_render(r, 422, &l, &f, -1);
	struct partner_account loc = {0};
	account_from_form(&f, &loc);
	const char *partner_id = NULL;
	long long issued = 0, max = partner_ids_max();
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_partner_ids_issued(r->a, r->user->tenant_id, &issued);
	if (de == DB_OK && partner_quota_check(issued, 1, max) != PARTNER_QUOTA_OK) {
		db_finish(DB_ERROR);
		return locations_render(r, 422, &l, &f, max);
	}
	if (de == DB_OK)
		de = db_partner_location_add(r->a, r->user->tenant_id, pga->id, &loc, &partner_id);
	if (de == DB_OK) {
		json_t *after = account_json(&loc);
		json_object_del(after, "legal_name");
		json_object_del(after, "phone");
		json_object_del(after, "website");
		json_object_set_new(after, "name", json_string(loc.name));
		json_object_set_new(after, "partner_id", json_string(partner_id));
		de = audit_record(r, "location.add", partner_id, NULL, after);
	}
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, arena_printf(r->a, "/account/identifiers?added=%s", partner_id));
}

/* Loads every ID of the tenant into l and finds the live one of the path
 * (*p). 0, or the status already answered (404 for an unknown, deleted or
 * foreign ID, 503). */
static int
path_load(struct req *r, struct id_list *l, const struct partner_account **p)
{
	int rc = ids_load(r, l);
	if (rc)
		return rc;
	const char *id = r->params[0];
	for (size_t i = 0; partner_id_valid(id) && i < l->n; i++)
		if (strcmp(l->rows[i].partner_id, id) == 0 && l->rows[i].status != PARTNER_DELETED) {
			*p = &l->rows[i];
			return 0;
		}
	return page_error(r, 404);
}

int
page_location_status(struct req *r)
{
	struct id_list l;
	const struct partner_account *p = NULL;
	int rc = path_load(r, &l, &p);
	if (rc)
		return rc;
	struct form f;
	form_read(r, status_fields, NFIELDS(status_fields), &f);
	if (f.nerrors)
		return identifiers_render(r, 409, &l, "status", N_("Choose active or inactive."),
		                          p->partner_id);
	enum partner_status to = (enum partner_status)partner_status_parse(form_get(&f, "status"));
	enum partner_refusal why = partner_status_change_check(p->kind, &p->links, to);
	if (why != PARTNER_OK)
		return identifiers_render(r, 409, &l, partner_refusal_code(why), refusal_message(why),
		                          p->partner_id);
	if (to == p->status)
		return resp_redirect(r, "/account/identifiers?status=1");
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = db_partner_set_status(r->a, p->id, to);
	if (de == DB_OK) {
		json_t *before = id_json(p);
		json_t *after = json_deep_copy(before);
		json_object_set_new(after, "status", json_string(partner_status_code(to)));
		de = audit_record(r, to == PARTNER_INACTIVE ? "location.deactivate" : "location.reactivate",
		                  p->partner_id, before, after);
	}
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/account/identifiers?status=1");
}

/* The domain's verdict on deleting p. Inside the deleting transaction the
 * count of live locations is read FOR UPDATE, so two deletions of the last
 * two locations cannot both pass. */
static enum db_err
delete_check(struct req *r, const struct id_list *l, const struct partner_account *p,
             enum partner_refusal *why)
{
	struct partner_delete_facts facts = {.kind = p->kind, .links = p->links,
	                                     .actor_global_admin = has_role(r, ROLE_GLOBAL_ADMIN)};
	for (size_t i = 0; i < l->n; i++)
		if (l->rows[i].status != PARTNER_DELETED && partner_links_any(&l->rows[i].links))
			facts.any_location_linked = true;
	const struct partner_account *pga = &l->rows[0]; /* path_account found one: l->n > 0 */
	if (!partner_is_global(p) && partner_is_global(pga) && pga->status != PARTNER_DELETED) {
		enum db_err de = db_partner_live_locations(r->a, pga->id, &facts.live_locations);
		if (de != DB_OK)
			return de;
	}
	*why = partner_delete_check(&facts);
	return DB_OK;
}

static int
delete_render(struct req *r, int status, const struct partner_account *p, struct form *f,
              enum partner_refusal why)
{
	struct tvars *v = page_vars(r);
	id_vars(r, v, p);
	tv_bool(v, "is_global", partner_is_global(p));
	if (why != PARTNER_OK) {
		tv_set(v, "refusal", partner_refusal_code(why));
		tv_set(v, "refusal_message", tr(r->lang, refusal_message(why)));
	}
	if (f)
		form_to_vars(f, v, r->lang);
	return page_render(r, status, "location_delete", v);
}

int
page_location_delete_form(struct req *r)
{
	struct id_list l;
	const struct partner_account *p = NULL;
	int rc = path_load(r, &l, &p);
	if (rc)
		return rc;
	enum partner_refusal why;
	if (delete_check(r, &l, p, &why) != DB_OK)
		return page_error(r, 503);
	return delete_render(r, 200, p, NULL, why);
}

int
page_location_delete(struct req *r)
{
	struct id_list l;
	const struct partner_account *p = NULL;
	int rc = path_load(r, &l, &p);
	if (rc)
		return rc;
	struct form f;
	form_read(r, confirm_fields, NFIELDS(confirm_fields), &f);
	if (f.errors[0] == NULL && strcmp(form_get(&f, "confirm"), p->partner_id) != 0)
		form_error(&f, "confirm", N_("Type the partner ID exactly as shown to confirm."));
	enum partner_refusal why = PARTNER_OK;
	enum db_err de = db_begin();
	if (de == DB_OK)
		de = delete_check(r, &l, p, &why);
	if (de != DB_OK) {
		db_finish(de);
		return page_error(r, 503);
	}
	if (why != PARTNER_OK) {
		db_rollback();
		return delete_render(r, 409, p, NULL, why);
	}
	if (f.nerrors) {
		db_rollback();
		return delete_render(r, 422, p, &f, PARTNER_OK);
	}
	bool close = partner_is_global(p);
	de = close ? db_partner_close(r->a, r->user->tenant_id) : db_partner_delete(r->a, p->id);
	if (de == DB_OK) {
		json_t *after = id_json(p);
		json_object_set_new(after, "status", json_string(partner_status_code(PARTNER_DELETED)));
		de = audit_record(r, close ? "account.close" : "location.delete", p->partner_id,
		                  id_json(p), after);
	}
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	log_info("tenant %lld: partner ID %s deleted%s", r->user->tenant_id, p->partner_id,
	         close ? " (account closed)" : "");
	if (close)
		return resp_redirect(r, "/dashboard?closed=1");
	return resp_redirect(r, arena_printf(r->a, "/account/identifiers?deleted=%s", p->partner_id));
}
