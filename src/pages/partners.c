/* The partner program (DOMAIN §2): enrollment, Legal info, Settings >
 * Account settings > Identifiers, locations (add, deactivate, delete).
 * Every ID is looked up within the signed-in user's tenant: another
 * tenant's ID is a 404 like an unknown one. */
#include <string.h>

#include "core/log.h"
#include "db/partners.h"
#include "pages/csp.h"

/* Shared by enrollment, legal info and locations. */
#define ADDRESS_FIELDS                                   \
	{"address_line1", FT_TEXT, true, 1, 200, NULL},    \
	{"address_line2", FT_TEXT, false, 0, 200, NULL},   \
	{"city", FT_TEXT, true, 1, 100, NULL},             \
	{"region", FT_TEXT, false, 0, 100, NULL},          \
	{"postal_code", FT_POSTAL, false, 0, 20, NULL}
#define CONTACT_FIELDS                                   \
	{"contact_name", FT_TEXT, true, 1, 100, NULL},     \
	{"contact_email", FT_EMAIL, true, 3, 254, NULL}

static const struct form_field enroll_fields[] = {
    {"legal_name", FT_TEXT, true, 2, 200, NULL},
    {"country", FT_COUNTRY, true, 2, 2, NULL},
    ADDRESS_FIELDS,
    {"phone", FT_PHONE, true, 0, 30, NULL},
    {"website", FT_URL, true, 0, 200, NULL},
    CONTACT_FIELDS,
};

static const struct form_field legal_fields[] = {
    {"legal_name", FT_TEXT, true, 2, 200, NULL},
    ADDRESS_FIELDS,
    {"phone", FT_PHONE, true, 0, 30, NULL},
    {"website", FT_URL, true, 0, 200, NULL},
    CONTACT_FIELDS,
};

static const struct form_field location_fields[] = {
    {"name", FT_TEXT, true, 2, 200, NULL},
    {"country", FT_COUNTRY, true, 2, 2, NULL},
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
};

static const char *const statuses[] = {"active", "inactive", NULL};
static const struct form_field status_fields[] = {
    {"status", FT_ENUM, true, 1, 10, statuses},
};

static const struct form_field confirm_fields[] = {
    {"confirm", FT_TEXT, true, 1, 20, NULL},
};

const char *
country_label(struct req *r, const char *code)
{
	const struct country *c = country_find(code);
	return c ? c->name[r->lang] : code;
}

static bool
is_global_admin(const struct req *r)
{
	return has_role(r, ROLE_GLOBAL_ADMIN);
}

/* The legal and address fields of a form, in an account struct. */
static void
account_from_form(const struct form *f, struct partner_account *p)
{
	p->name = *form_get(f, "legal_name") ? form_get(f, "legal_name") : form_get(f, "name");
	p->country = form_get(f, "country");
	p->address_line1 = form_get(f, "address_line1");
	p->address_line2 = form_get(f, "address_line2");
	p->city = form_get(f, "city");
	p->region = form_get(f, "region");
	p->postal_code = form_get(f, "postal_code");
	p->phone = form_get(f, "phone");
	p->website = form_get(f, "website");
	p->contact_name = form_get(f, "contact_name");
	p->contact_email = form_get(f, "contact_email");
}

/* What the audit log records of legal info. */
static json_t *
legal_json(const struct partner_account *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "legal_name",
	                 p->name, "country", p->country, "address_line1", p->address_line1,
	                 "address_line2", p->address_line2, "city", p->city, "region", p->region,
	                 "postal_code", p->postal_code, "phone", p->phone, "website", p->website,
	                 "contact_name", p->contact_name, "contact_email", p->contact_email);
}

static json_t *
id_json(const struct partner_account *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "partner_id", p->partner_id, "kind", p->kind,
	                 "name", p->name, "country", p->country, "status", p->status);
}

/* Address lines of an account as template vars (prefix "a_"). */
static void
address_vars(struct req *r, struct tvars *v, const struct partner_account *p)
{
	tv_set(v, "a_line1", p->address_line1);
	tv_set(v, "a_line2", p->address_line2);
	tv_set(v, "a_city", p->city);
	tv_set(v, "a_region", p->region);
	tv_set(v, "a_postal_code", p->postal_code);
	tv_set(v, "a_country", country_label(r, p->country));
	tv_set(v, "a_contact_name", p->contact_name);
	tv_set(v, "a_contact_email", p->contact_email);
}

/* Puts an account's values in a form, for an edit page. */
static void
form_vars_from_account(struct tvars *v, const struct partner_account *p)
{
	tv_set(v, "v_legal_name", p->name);
	tv_set(v, "v_country", p->country);
	tv_set(v, "v_address_line1", p->address_line1);
	tv_set(v, "v_address_line2", p->address_line2);
	tv_set(v, "v_city", p->city);
	tv_set(v, "v_region", p->region);
	tv_set(v, "v_postal_code", p->postal_code);
	tv_set(v, "v_phone", p->phone);
	tv_set(v, "v_website", p->website);
	tv_set(v, "v_contact_name", p->contact_name);
	tv_set(v, "v_contact_email", p->contact_email);
}

/* ---- enrollment ---- */

enum enroll_state { ENROLL_OPEN, ENROLL_UNVERIFIED, ENROLL_DONE };

static int
enroll_render(struct req *r, int status, struct form *f, enum enroll_state state,
              const struct partner_account *pga)
{
	struct tvars *v = page_vars(r);
	tv_bool(v, "state_open", state == ENROLL_OPEN);
	tv_bool(v, "state_unverified", state == ENROLL_UNVERIFIED);
	tv_bool(v, "state_done", state == ENROLL_DONE);
	if (pga)
		tv_set(v, "pga_partner_id", pga->partner_id);
	if (f) {
		form_to_vars(f, v, r->lang);
	} else {
		tv_set(v, "v_legal_name", r->user->tenant_name);
		tv_set(v, "v_contact_name", r->user->display_name);
		tv_set(v, "v_contact_email", r->user->email);
	}
	country_options(r, v, f ? form_get(f, "country") : r->user->tenant_country);
	return page_render(r, status, "enroll", v);
}

int
page_enroll_form(struct req *r)
{
	struct partner_account pga;
	bool found;
	if (db_partner_pga(r->a, r->user->tenant_id, &pga, &found) != DB_OK)
		return page_error(r, 503);
	if (found)
		return enroll_render(r, 200, NULL, ENROLL_DONE, &pga);
	return enroll_render(r, 200, NULL, r->user->verified ? ENROLL_OPEN : ENROLL_UNVERIFIED,
	                     NULL);
}

int
page_enroll_post(struct req *r)
{
	struct form f;
	form_read(r, enroll_fields, NFIELDS(enroll_fields), &f);
	if (!r->user->verified)
		return enroll_render(r, 403, &f, ENROLL_UNVERIFIED, NULL);
	if (f.nerrors)
		return enroll_render(r, 422, &f, ENROLL_OPEN, NULL);
	struct partner_account legal = {0};
	account_from_form(&f, &legal);
	const char *pga_id = NULL, *location_id = NULL;
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = db_partner_enroll(r->a, r->user->tenant_id, &legal, &pga_id, &location_id);
	if (rc == DB_OK) {
		json_t *after = legal_json(&legal);
		json_object_set_new(after, "global_partner_id", json_string(pga_id));
		json_object_set_new(after, "location_partner_id", json_string(location_id));
		rc = audit_record(r, "partner.enroll", pga_id, NULL, after);
	}
	rc = db_finish(rc);
	if (rc == DB_DUPLICATE) {
		struct partner_account pga;
		bool found = false;
		if (db_partner_pga(r->a, r->user->tenant_id, &pga, &found) != DB_OK)
			return page_error(r, 503);
		return enroll_render(r, 409, &f, ENROLL_DONE, found ? &pga : NULL);
	}
	if (rc != DB_OK)
		return page_error(r, 503);
	log_info("tenant %lld enrolled: %s, %s", r->user->tenant_id, pga_id, location_id);
	return resp_redirect(r, "/account/identifiers?enrolled=1");
}

/* ---- settings ---- */

int
page_settings(struct req *r)
{
	return page_render(r, 200, "settings", page_vars(r));
}

int
page_account_settings(struct req *r)
{
	return page_render(r, 200, "account_settings", page_vars(r));
}

/* ---- legal info ---- */

static int
legal_render(struct req *r, int status, struct form *f)
{
	struct tvars *v = page_vars(r);
	struct partner_account pga;
	bool found;
	if (db_partner_pga(r->a, r->user->tenant_id, &pga, &found) != DB_OK)
		return page_error(r, 503);
	tv_bool(v, "enrolled", found);
	tv_bool(v, "can_edit", found && (is_global_admin(r) || has_role(r, ROLE_ACCOUNT_ADMIN)));
	tv_bool(v, "saved", req_param(r, "saved") != NULL);
	if (found) {
		tv_set(v, "legal_name", pga.name);
		tv_set(v, "pga_partner_id", pga.partner_id);
		tv_set(v, "phone", pga.phone);
		tv_set(v, "website", pga.website);
		address_vars(r, v, &pga);
		/* Email ownership of the enrolling admin is the partner program's
		 * verification; the CSP verification is done by staff. */
		tv_set(v, "program_status", "verified");
		tv_set(v, "program_status_label", tr(r->lang, N_("Verified")));
		struct csp_app csp;
		bool has_csp = false;
		if (db_csp_get(r->a, r->user->tenant_id, &csp, &has_csp) != DB_OK)
			return page_error(r, 503);
		const char *cs = has_csp ? csp.status : "not_enrolled";
		tv_set(v, "csp_status", cs);
		tv_set(v, "csp_status_label", csp_status_label(r->lang, cs));
		tv_bool(v, "csp_tenant", has_csp && strcmp(cs, "active") == 0);
		if (f)
			form_to_vars(f, v, r->lang);
		else
			form_vars_from_account(v, &pga);
	}
	return page_render(r, status, "legal", v);
}

int
page_legal(struct req *r)
{
	return legal_render(r, 200, NULL);
}

int
page_legal_post(struct req *r)
{
	struct partner_account pga;
	bool found;
	if (db_partner_pga(r->a, r->user->tenant_id, &pga, &found) != DB_OK)
		return page_error(r, 503);
	if (!found)
		return page_error(r, 404);
	struct form f;
	form_read(r, legal_fields, NFIELDS(legal_fields), &f);
	if (f.nerrors)
		return legal_render(r, 422, &f);
	struct partner_account legal = pga;
	account_from_form(&f, &legal);
	legal.country = pga.country; /* the legal country is fixed at enrollment */
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = db_partner_update_legal(r->a, pga.id, &legal);
	if (rc == DB_OK)
		rc = audit_record(r, "legal.update", pga.partner_id, legal_json(&pga),
		                  legal_json(&legal));
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/account/legal?saved=1");
}

/* ---- identifiers ---- */

static const char *
kind_label(struct req *r, const struct partner_account *p)
{
	return tr(r->lang, partner_is_global(p) ? N_("Global") : N_("Location"));
}

static const char *
status_label(struct req *r, const char *status)
{
	if (strcmp(status, "active") == 0)
		return tr(r->lang, N_("Active"));
	if (strcmp(status, "inactive") == 0)
		return tr(r->lang, N_("Inactive"));
	return tr(r->lang, N_("Deleted"));
}

static void
id_vars(struct req *r, struct tvars *it, const struct partner_account *p)
{
	tv_set(it, "partner_id", p->partner_id);
	tv_set(it, "kind", p->kind);
	tv_set(it, "kind_label", kind_label(r, p));
	tv_set(it, "name", p->name);
	tv_set(it, "country", p->country);
	tv_set(it, "country_name", country_label(r, p->country));
	tv_set(it, "status", p->status);
	tv_set(it, "status_label", status_label(r, p->status));
	tv_set(it, "created", arena_strndup(r->a, p->created_at, 10));
	tv_set(it, "deleted_on", p->deleted_at);
	if (p->linked_csp)
		tv_set(it, "csp_linked", "yes");
	tv_bool(it, "is_location", !partner_is_global(p));
	tv_bool(it, "is_active", strcmp(p->status, "active") == 0);
	tv_setf(it, "status_action", "/account/locations/%s/status", p->partner_id);
	tv_setf(it, "delete_href", "/account/locations/%s/delete", p->partner_id);
}

/* Live IDs in "ids", deleted ones in "deleted_ids". */
static void
id_list_vars(struct req *r, struct tvars *v, const struct partner_account *rows, size_t n)
{
	bool any_deleted = false;
	for (size_t i = 0; i < n; i++) {
		bool deleted = strcmp(rows[i].status, "deleted") == 0;
		any_deleted = any_deleted || deleted;
		id_vars(r, tv_item(v, deleted ? "deleted_ids" : "ids"), &rows[i]);
	}
	tv_bool(v, "has_deleted", any_deleted);
}

int
page_identifiers(struct req *r)
{
	struct partner_account *rows;
	size_t n;
	if (db_partner_accounts(r->a, r->user->tenant_id, true, &rows, &n) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	tv_bool(v, "enrolled", n > 0 && strcmp(rows[0].status, "deleted") != 0);
	id_list_vars(r, v, rows, n);
	tv_set(v, "added", req_param(r, "added"));
	tv_set(v, "deleted", req_param(r, "deleted"));
	tv_bool(v, "just_enrolled", req_param(r, "enrolled") != NULL);
	tv_bool(v, "status_saved", req_param(r, "status") != NULL);
	return page_render(r, 200, "identifiers", v);
}

/* ---- locations ---- */

static int
locations_render(struct req *r, int status, struct form *f)
{
	struct partner_account *rows;
	size_t n;
	if (db_partner_accounts(r->a, r->user->tenant_id, false, &rows, &n) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	bool enrolled = n > 0;
	tv_bool(v, "enrolled", enrolled);
	for (size_t i = 0; i < n; i++) {
		if (partner_is_global(&rows[i]))
			continue;
		struct tvars *it = tv_item(v, "locations");
		id_vars(r, it, &rows[i]);
		address_vars(r, it, &rows[i]);
	}
	if (f)
		form_to_vars(f, v, r->lang);
	country_options(r, v, f ? form_get(f, "country") : r->user->tenant_country);
	return page_render(r, status, "locations", v);
}

int
page_locations(struct req *r)
{
	return locations_render(r, 200, NULL);
}

int
page_location_add(struct req *r)
{
	struct partner_account pga;
	bool found;
	if (db_partner_pga(r->a, r->user->tenant_id, &pga, &found) != DB_OK)
		return page_error(r, 503);
	if (!found)
		return resp_redirect(r, "/enroll");
	struct form f;
	form_read(r, location_fields, NFIELDS(location_fields), &f);
	if (f.nerrors)
		return locations_render(r, 422, &f);
	struct partner_account loc = {0};
	account_from_form(&f, &loc);
	const char *partner_id = NULL;
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = db_partner_location_add(r->a, r->user->tenant_id, pga.id, &loc, &partner_id);
	if (rc == DB_OK) {
		json_t *after = legal_json(&loc);
		json_object_del(after, "legal_name");
		json_object_del(after, "phone");
		json_object_del(after, "website");
		json_object_set_new(after, "name", json_string(loc.name));
		json_object_set_new(after, "partner_id", json_string(partner_id));
		rc = audit_record(r, "location.add", partner_id, NULL, after);
	}
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, arena_printf(r->a, "/account/identifiers?added=%s", partner_id));
}

/* The tenant's ID named in the path, or NULL after answering 404/503. */
static struct partner_account *
path_account(struct req *r)
{
	struct partner_account *p = arena_alloc(r->a, sizeof(*p));
	bool found = false;
	const char *id = r->params[0];
	if (strlen(id) != 7 || strspn(id, "0123456789") != 7) {
		page_error(r, 404);
		return NULL;
	}
	if (db_partner_get(r->a, r->user->tenant_id, id, p, &found) != DB_OK) {
		page_error(r, 503);
		return NULL;
	}
	if (!found || strcmp(p->status, "deleted") == 0) {
		page_error(r, 404);
		return NULL;
	}
	return p;
}

/* A refusal shown on the identifiers page (409): code and message. */
static int
identifiers_refusal(struct req *r, const char *code, const char *msgid, const char *partner_id)
{
	struct partner_account *rows;
	size_t n;
	if (db_partner_accounts(r->a, r->user->tenant_id, true, &rows, &n) != DB_OK)
		return page_error(r, 503);
	struct tvars *v = page_vars(r);
	tv_bool(v, "enrolled", true);
	id_list_vars(r, v, rows, n);
	tv_set(v, "refusal", code);
	tv_set(v, "refusal_message", tr(r->lang, msgid));
	tv_set(v, "refused_id", partner_id);
	return page_render(r, 409, "identifiers", v);
}

int
page_location_status(struct req *r)
{
	struct partner_account *p = path_account(r);
	if (p == NULL)
		return r->status;
	struct form f;
	form_read(r, status_fields, NFIELDS(status_fields), &f);
	if (f.nerrors)
		return identifiers_refusal(r, "status", N_("Choose active or inactive."), p->partner_id);
	const char *status = form_get(&f, "status");
	if (partner_is_global(p))
		return identifiers_refusal(r, "global",
		                           N_("The global partner ID cannot be deactivated."),
		                           p->partner_id);
	if (strcmp(status, "inactive") == 0 && p->linked_csp)
		return identifiers_refusal(
		    r, "csp", N_("This location is linked to your CSP enrollment: it must stay active."),
		    p->partner_id);
	if (strcmp(status, p->status) == 0)
		return resp_redirect(r, "/account/identifiers?status=1");
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = db_partner_set_status(r->a, p->id, status);
	if (rc == DB_OK) {
		json_t *before = id_json(p);
		json_t *after = json_deep_copy(before);
		json_object_set_new(after, "status", json_string(status));
		rc = audit_record(r,
		                  strcmp(status, "inactive") == 0 ? "location.deactivate"
		                                                  : "location.reactivate",
		                  p->partner_id, before, after);
	}
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/account/identifiers?status=1");
}

/* Why this ID cannot be deleted (NULL when it can): a short code for the
 * data-refusal attribute and a message. Call inside the deleting
 * transaction: the location count is read FOR UPDATE. */
static enum db_err
delete_refusal(struct req *r, const struct partner_account *p, const char **code,
               const char **msgid)
{
	*code = *msgid = NULL;
	if (partner_is_global(p)) {
		if (!is_global_admin(r)) {
			*code = "global_admin_only";
			*msgid = N_("Only a global admin can delete the global partner ID and close the "
			            "account.");
			return DB_OK;
		}
		struct partner_account *rows;
		size_t n;
		enum db_err rc = db_partner_accounts(r->a, r->user->tenant_id, false, &rows, &n);
		if (rc != DB_OK)
			return rc;
		for (size_t i = 0; i < n; i++)
			if (rows[i].linked_csp || rows[i].linked_profile || rows[i].linked_program) {
				*code = "linked_locations";
				*msgid = N_("A location of this account is linked to CSP, a business profile "
				            "or a program enrollment: end those first.");
				return DB_OK;
			}
		return DB_OK;
	}
	if (p->linked_csp) {
		*code = "csp";
		*msgid = N_("This location is linked to your CSP enrollment and cannot be deleted.");
	} else if (p->linked_profile) {
		*code = "profile";
		*msgid = N_("This location manages a business profile and cannot be deleted.");
	} else if (p->linked_program) {
		*code = "program";
		*msgid = N_("This location is used by a program enrollment and cannot be deleted.");
	} else {
		long long live = 0;
		struct partner_account pga;
		bool found;
		enum db_err rc = db_partner_pga(r->a, r->user->tenant_id, &pga, &found);
		if (rc == DB_OK && found)
			rc = db_partner_live_locations(r->a, pga.id, &live);
		if (rc != DB_OK)
			return rc;
		if (live <= 1) {
			*code = "last_location";
			*msgid = N_("This is the last location of your account: a partner account keeps "
			            "at least one location.");
		}
	}
	return DB_OK;
}

static int
delete_render(struct req *r, int status, const struct partner_account *p, struct form *f,
              const char *code, const char *msgid)
{
	struct tvars *v = page_vars(r);
	id_vars(r, v, p);
	tv_bool(v, "is_global", partner_is_global(p));
	if (code) {
		tv_set(v, "refusal", code);
		tv_set(v, "refusal_message", tr(r->lang, msgid));
	}
	if (f)
		form_to_vars(f, v, r->lang);
	return page_render(r, status, "location_delete", v);
}

int
page_location_delete_form(struct req *r)
{
	struct partner_account *p = path_account(r);
	if (p == NULL)
		return r->status;
	const char *code, *msgid;
	if (delete_refusal(r, p, &code, &msgid) != DB_OK)
		return page_error(r, 503);
	return delete_render(r, 200, p, NULL, code, msgid);
}

int
page_location_delete(struct req *r)
{
	struct partner_account *p = path_account(r);
	if (p == NULL)
		return r->status;
	struct form f;
	form_read(r, confirm_fields, NFIELDS(confirm_fields), &f);
	if (f.errors[0] == NULL && strcmp(form_get(&f, "confirm"), p->partner_id) != 0)
		form_error(&f, "confirm", N_("Type the partner ID exactly as shown to confirm."));
	const char *code, *msgid;
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = delete_refusal(r, p, &code, &msgid);
	if (rc != DB_OK) {
		db_finish(rc);
		return page_error(r, 503);
	}
	if (code) {
		db_rollback();
		return delete_render(r, 409, p, NULL, code, msgid);
	}
	if (f.nerrors) {
		db_rollback();
		return delete_render(r, 422, p, &f, NULL, NULL);
	}
	bool close = partner_is_global(p);
	rc = close ? db_partner_close(r->a, r->user->tenant_id) : db_partner_delete(r->a, p->id);
	if (rc == DB_OK) {
		json_t *after = id_json(p);
		json_object_set_new(after, "status", json_string("deleted"));
		rc = audit_record(r, close ? "account.close" : "location.delete", p->partner_id,
		                  id_json(p), after);
	}
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	log_info("tenant %lld: partner ID %s deleted%s", r->user->tenant_id, p->partner_id,
	         close ? " (account closed)" : "");
	if (close)
		return resp_redirect(r, "/dashboard?closed=1");
	return resp_redirect(r, arena_printf(r->a, "/account/identifiers?deleted=%s", p->partner_id));
}
