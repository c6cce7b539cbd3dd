/* User management of a tenant: list, invite, roles. Admins only (the
 * route table answers 404 to everyone else). */
#include <stdlib.h>
#include <string.h>

#include "db/accounts.h"
#include "db/partners.h"
#include "domain/email_rules.h"
#include "pages/pages.h"

static const char *const tenant_roles[] = {"global_admin", "account_admin", "profile_admin",
                                           "referral_admin", "member", NULL};

static const char *const languages[] = {"en", "fr", NULL};

/* The invitee has no language yet: the inviter chooses the one of the
 * email and of the invitee's pages (the inviter's own by default). */
static const struct form_field invite_fields[] = {
    {"email", FT_EMAIL, true, 3, 254, NULL},
    {"display_name", FT_TEXT, true, 1, 100, NULL},
    {"role", FT_ENUM, true, 1, 32, tenant_roles},
    {"language", FT_ENUM, false, 0, 2, languages},
};

/* The language chosen on the invitation form, else the inviter's. */
static enum lang
invite_lang(const struct req *r, const struct form *f)
{
	int l = f ? lang_parse(form_get(f, "language")) : -1;
	return l >= 0 ? (enum lang)l : r->lang;
}

/* The role form is checkboxes: one or more roles, and for a referral admin
 * one or more partner IDs (none = every ID). */
static const struct form_field role_fields[] = {
    {"role", FT_ENUM, false, 0, 32, tenant_roles},
    {"partner_id", FT_PARTNER_ID, false, 0, 7, NULL},
};
#define MAX_VALUES 64

static void
role_options(struct req *r, struct tvars *v, const char *list, unsigned selected)
{
	for (const char *const *c = tenant_roles; *c; c++) {
		int role = role_parse(*c);
		struct tvars *it = tv_item(v, list);
		tv_set(it, "value", *c);
		tv_set(it, "label", tr(r->lang, role_label((enum role)role)));
		tv_bool(it, "selected", (selected & ROLE_BIT(role)) != 0);
	}
}

/* "a,b" of the role codes in bits. */
static const char *
role_codes(struct arena *a, unsigned bits)
{
	struct sbuf b = {0};
	for (int k = 0; k < ROLE__MAX; k++)
		if (bits & ROLE_BIT(k)) {
			if (b.len)
				sbuf_adds(&b, ",");
			sbuf_adds(&b, role_name((enum role)k));
		}
	const char *out = arena_strdup(a, b.len ? sbuf_cstr(&b) : "");
	sbuf_free(&b);
	return out;
}

static bool
scope_has(const char *scope, const char *partner_id)
{
	size_t n = strlen(partner_id);
	for (const char *p = scope; p && (p = strstr(p, partner_id)) != NULL; p += n)
		if ((p == scope || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

/* What the users page shows, loaded once by the handler. */
struct users_page {
	struct user_row        *rows;
	size_t                  n;
	struct partner_account *ids; /* the company's live partner IDs */
	size_t                  nids;
};

static int
users_load(struct req *r, struct users_page *u)
{
	if (db_users_of_tenant(r->a, r->user->tenant_id, &u->rows, &u->n) != DB_OK ||
	    db_partner_accounts(r->a, r->user->tenant_id, false, false, &u->ids, &u->nids) != DB_OK)
		return page_error(r, 503);
	return 0;
}

static int
users_render(struct req *r, int status, const struct users_page *u, struct form *f)
{
	struct tvars *v = page_vars(r);
	const struct user_row *rows = u->rows;
	size_t n = u->n;
	const struct partner_account *ids = u->ids;
	size_t nids = u->nids;
	tv_bool(v, "has_ids", nids > 0);
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "users");
		tv_setf(it, "id", "%lld", rows[i].id);
		tv_set(it, "email", rows[i].email);
		tv_set(it, "name", rows[i].display_name);
		tv_set(it, "status", user_status_code(rows[i].status));
		tv_set(it, "status_label", tr(r->lang, user_status_label(rows[i].status)));
		tv_setf(it, "roles_action", "/account/users/%lld/roles", rows[i].id);
		struct sbuf labels = {0};
		for (int k = 0; k < ROLE__MAX; k++)
			if (rows[i].roles & ROLE_BIT(k)) {
				if (labels.len)
					sbuf_adds(&labels, ", ");
				sbuf_adds(&labels, tr(r->lang, role_label((enum role)k)));
			}
		bool referral = rows[i].roles & ROLE_BIT(ROLE_REFERRAL_ADMIN);
		const char *scope = rows[i].referral_scope ? rows[i].referral_scope : "";
		if (referral) {
			tv_set(it, "referral_scope", *scope ? scope : "all");
			sbuf_adds(&labels, " (");
			sbuf_adds(&labels, *scope ? scope : tr(r->lang, N_("every partner ID")));
			sbuf_adds(&labels, ")");
		}
		tv_set(it, "roles", arena_strdup(r->a, labels.len ? sbuf_cstr(&labels) : ""));
		tv_set(it, "role_codes", role_codes(r->a, rows[i].roles));
		sbuf_free(&labels);
		role_options(r, it, "role_choices", rows[i].roles);
		for (size_t k = 0; k < nids; k++) {
			struct tvars *c = tv_item(it, "scope_choices");
			tv_set(c, "value", ids[k].partner_id);
			tv_set(c, "label", arena_printf(r->a, "%s — %s", ids[k].partner_id, ids[k].name));
			tv_bool(c, "selected", referral && scope_has(scope, ids[k].partner_id));
		}
		tv_bool(it, "is_self", rows[i].id == r->user->id);
	}
	if (f)
		form_to_vars(f, v, r->lang);
	int chosen = f ? role_parse(form_get(f, "role")) : -1;
	role_options(r, v, "invite_roles", ROLE_BIT(chosen >= 0 ? chosen : ROLE_MEMBER));
	enum lang invitee = invite_lang(r, f);
	static const char *const language_names[LANG__MAX] = {N_("English"), N_("French")};
	for (int l = 0; l < LANG__MAX; l++) {
		struct tvars *it = tv_item(v, "invite_languages");
		tv_set(it, "value", lang_code((enum lang)l));
		tv_set(it, "label", tr(r->lang, language_names[l]));
		tv_bool(it, "selected", (enum lang)l == invitee);
	}
	tv_bool(v, "invited", req_param(r, "invited") != NULL);
	tv_bool(v, "role_saved", req_param(r, "saved") != NULL);
	return page_render(r, status, "users", v);
}

int
page_users(struct req *r)
{
	struct users_page u;
	int rc = users_load(r, &u);
	return rc ? rc : users_render(r, 200, &u, NULL);
}

/* A 422 of the users page. */
static int
users_refuse(struct req *r, struct form *f)
{
	struct users_page u;
	int rc = users_load(r, &u);
	return rc ? rc : users_render(r, 422, &u, f);
}

/* What a refused role change says, by the domain's reason. */
static const char *
role_refusal_message(enum role_refusal why)
{
	switch (why) {
	case ROLE_REFUSE_NONE_CHOSEN:
		return N_("Choose at least one role.");
	case ROLE_REFUSE_SCOPE_NOT_REFERRAL:
		return N_("Only referral admins are scoped to a partner ID.");
	case ROLE_REFUSE_GRANT_GLOBAL:
		return N_("Only a global admin can make someone a global admin.");
	case ROLE_REFUSE_CHANGE_GLOBAL:
		return N_("Only a global admin can change the roles of a global admin.");
	case ROLE_REFUSE_OWN_GLOBAL:
		return N_("You cannot remove your own global admin role.");
	default:
		return N_("You cannot remove your own account admin role.");
	}
}

int
page_users_invite(struct req *r)
{
	struct form f;
	form_read(r, invite_fields, NFIELDS(invite_fields), &f);
	const char *email = form_get(&f, "email");
	if (f.errors[0] == NULL) {
		enum email_verdict ev = email_check_work(email, app.freemail, app.nfreemail,
		                                         app.roleboxes, app.nroleboxes);
		bool same_tenant = false;
		if (ev == EMAIL_OK &&
		    db_tenant_has_domain(r->a, r->user->tenant_id, email_domain(email), &same_tenant) !=
		        DB_OK)
			return page_error(r, 503);
		if (ev == EMAIL_ROLE)
			form_error(&f, "email",
			           "Use your personal work address, not a shared mailbox such as info@ or "
			           "admin@.");
		else if (ev != EMAIL_OK || !same_tenant)
			form_error(&f, "email", "Invite people with an address of your company's domain.");
	}
	if (f.errors[2] == NULL) {
		struct role_change change = {.actor_roles = r->user->roles,
		                             .after = ROLE_BIT(role_parse(form_get(&f, "role")))};
		enum role_refusal why[ROLE_REFUSAL__MAX];
		size_t nwhy = role_change_check(&change, why);
		for (size_t i = 0; i < nwhy; i++)
			form_error(&f, "role", role_refusal_message(why[i]));
	}
	if (f.nerrors)
		return users_refuse(r, &f);
	const char *token;
	unsigned char hash[32];
	token_new(r->a, &token, hash);
	long long user_id = 0;
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	enum db_err rc = db_user_invite(r->a, r->user->tenant_id, r->user->id, email,
	                                form_get(&f, "display_name"), lang_code(invite_lang(r, &f)),
	                                (enum role)role_parse(form_get(&f, "role")), hash,
	                                INVITE_TOKEN_SECONDS, &user_id);
	if (rc == DB_OK) {
		struct tvars *mv = tv_new(r->a, NULL);
		tv_set(mv, "name", form_get(&f, "display_name"));
		tv_set(mv, "inviter", r->user->display_name);
		tv_set(mv, "company", r->user->tenant_name);
		tv_set(mv, "link", abs_url_lang(r->a, arena_printf(r->a, "/set-password?token=%s", token),
		                                invite_lang(r, &f)));
		if (mail_queue(r, email, invite_lang(r, &f), "mail_invite", mv) != 0)
			rc = DB_ERROR;
	}
	if (rc == DB_OK)
		rc = audit_record(r, "user.invite", email, NULL,
		                  json_pack("{s:s, s:s, s:[s]}", "email", email, "display_name",
		                            form_get(&f, "display_name"), "roles",
		                            form_get(&f, "role")));
	rc = db_finish(rc);
	if (rc == DB_DUPLICATE) {
		form_error(&f, "email", "This person already has an account.");
		return users_refuse(r, &f);
	}
	if (rc != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/account/users?invited=1");
}

static json_t *
roles_json(unsigned bits, const char *scope)
{
	json_t *roles = json_array();
	for (int k = 0; k < ROLE__MAX; k++)
		if (bits & ROLE_BIT(k))
			json_array_append_new(roles, json_string(role_name((enum role)k)));
	json_t *o = json_pack("{s:o}", "roles", roles);
	if (bits & ROLE_BIT(ROLE_REFERRAL_ADMIN))
		json_object_set_new(o, "referral_scope", json_string(scope && *scope ? scope : "all"));
	return o;
}

int
page_user_role(struct req *r)
{
	long long user_id = path_id(r->params[0]);
	struct users_page page;
	if (user_id == 0)
		return page_error(r, 404);
	int status = users_load(r, &page);
	if (status)
		return status;
	/* The user must exist in this tenant before anything else is said. */
	const struct user_row *t = NULL;
	for (size_t i = 0; i < page.n; i++)
		if (page.rows[i].id == user_id)
			t = &page.rows[i];
	if (t == NULL)
		return page_error(r, 404);
	const struct user_row target = *t;
	bool found = true;

	struct form f;
	form_read(r, role_fields, NFIELDS(role_fields), &f);
	const char *raw_roles[MAX_VALUES], *raw_ids[MAX_VALUES];
	size_t nraw = req_form_all(r, "role", raw_roles, MAX_VALUES);
	size_t nids_raw = req_form_all(r, "partner_id", raw_ids, MAX_VALUES);
	const char *ids[MAX_VALUES];
	size_t nids = 0;
	unsigned asked = 0;
	for (size_t i = 0; i < nraw; i++) {
		const char *val;
		if (form_validate(r->a, &role_fields[0], raw_roles[i], &val) != NULL)
			form_error(&f, "role", N_("Choose one of the options."));
		else if (*val)
			asked |= ROLE_BIT(role_parse(val));
	}
	for (size_t i = 0; i < nids_raw; i++) {
		const char *val;
		const char *err = form_validate(r->a, &role_fields[1], raw_ids[i], &val);
		if (err) {
			form_error(&f, "partner_id", err);
			continue;
		}
		bool dup = false;
		for (size_t k = 0; k < nids; k++)
			dup = dup || strcmp(ids[k], val) == 0;
		if (*val && !dup)
			ids[nids++] = val;
	}
	unsigned bits = roles_normalize(asked);
	bool referral = bits & ROLE_BIT(ROLE_REFERRAL_ADMIN);
	struct role_change change = {.actor_roles = r->user->roles, .self = user_id == r->user->id,
	                             .before = target.roles, .after = bits, .nscope = nids};
	enum role_refusal why[ROLE_REFUSAL__MAX];
	size_t nwhy = role_change_check(&change, why);
	for (size_t i = 0; i < nwhy; i++)
		form_error(&f, why[i] == ROLE_REFUSE_SCOPE_NOT_REFERRAL ? "partner_id" : "role",
		           role_refusal_message(why[i]));
	for (size_t i = 0; referral && i < nids; i++) {
		bool owned = false;
		for (size_t k = 0; k < page.nids; k++)
			owned = owned || strcmp(page.ids[k].partner_id, ids[i]) == 0;
		if (!owned)
			form_error(&f, "partner_id", N_("This partner ID does not belong to your company."));
	}
	if (f.nerrors)
		return users_render(r, 422, &page, &f);
	enum db_err rc = db_begin();
	if (rc == DB_OK)
		rc = db_user_set_roles(r->a, r->user->tenant_id, user_id, bits,
		                       referral ? ids : NULL, referral ? nids : 0, &found);
	if (rc == DB_OK && found) {
		struct sbuf scope = {0};
		for (size_t i = 0; i < nids; i++) {
			if (i)
				sbuf_adds(&scope, ",");
			sbuf_adds(&scope, ids[i]);
		}
		rc = audit_record(r, "user.roles", target.email,
		                  roles_json(target.roles, target.referral_scope),
		                  roles_json(bits, sbuf_cstr(&scope)));
		sbuf_free(&scope);
	}
	if (db_finish(rc) != DB_OK)
		return page_error(r, 503);
	if (!found)
		return page_error(r, 404);
	return resp_redirect(r, "/account/users?saved=1");
}
