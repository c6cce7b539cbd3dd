/* User management of a tenant: list, invite, roles. Admins only (the
 * route table answers 404 to everyone else). */
#include <stdlib.h>
#include <string.h>

#include "db/accounts.h"
#include "domain/email_rules.h"
#include "pages/pages.h"

static const char *const tenant_roles[] = {"global_admin", "account_admin", "profile_admin",
                                           "referral_admin", "member", NULL};

static const struct form_field invite_fields[] = {
    {"email", FT_EMAIL, true, 3, 254, NULL},
    {"display_name", FT_TEXT, true, 1, 100, NULL},
    {"role", FT_ENUM, true, 1, 32, tenant_roles},
};

static const struct form_field role_fields[] = {
    {"role", FT_ENUM, true, 1, 32, tenant_roles},
    {"partner_id", FT_PARTNER_ID, false, 7, 7, NULL},
};

static void
role_options(struct req *r, struct tvars *v, const char *list, const char *selected)
{
	for (const char *const *c = tenant_roles; *c; c++) {
		struct tvars *it = tv_item(v, list);
		tv_set(it, "value", *c);
		tv_set(it, "label", tr(r->lang, role_label((enum role)role_parse(*c))));
		tv_bool(it, "selected", selected && strcmp(selected, *c) == 0);
	}
}

static int
users_render(struct req *r, int status, struct form *f)
{
	struct tvars *v = page_vars(r);
	struct user_row *rows;
	size_t n;
	if (db_users_of_tenant(r->a, r->user->tenant_id, &rows, &n) != DB_OK)
		return page_error(r, 503);
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "users");
		tv_setf(it, "id", "%lld", rows[i].id);
		tv_set(it, "email", rows[i].email);
		tv_set(it, "name", rows[i].display_name);
		tv_set(it, "status", rows[i].status);
		tv_set(it, "status_label", tr(r->lang, strcmp(rows[i].status, "invited") == 0
		                                           ? N_("Invitation sent")
		                                           : N_("Active")));
		tv_setf(it, "roles_action", "/account/users/%lld/roles", rows[i].id);
		const char *current = NULL;
		struct sbuf labels = {0};
		for (int k = 0; k < ROLE__MAX; k++)
			if (rows[i].roles & ROLE_BIT(k)) {
				current = current ? current : role_name((enum role)k);
				if (labels.len)
					sbuf_adds(&labels, ", ");
				sbuf_adds(&labels, tr(r->lang, role_label((enum role)k)));
			}
		tv_set(it, "roles", arena_strdup(r->a, labels.len ? sbuf_cstr(&labels) : ""));
		tv_set(it, "role_codes", current ? current : "");
		sbuf_free(&labels);
		role_options(r, it, "role_choices", current);
		tv_bool(it, "is_self", rows[i].id == r->user->id);
	}
	if (f)
		form_to_vars(f, v, r->lang);
	role_options(r, v, "invite_roles", f ? form_get(f, "role") : "member");
	tv_bool(v, "invited", req_param(r, "invited") != NULL);
	tv_bool(v, "role_saved", req_param(r, "saved") != NULL);
	return page_render(r, status, "users", v);
}

int
page_users(struct req *r)
{
	return users_render(r, 200, NULL);
}

int
page_users_invite(struct req *r)
{
	struct form f;
	form_read(r, invite_fields, sizeof(invite_fields) / sizeof(*invite_fields), &f);
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
	if (f.errors[2] == NULL && strcmp(form_get(&f, "role"), "global_admin") == 0 &&
	    !(r->user->roles & ROLE_BIT(ROLE_GLOBAL_ADMIN)))
		form_error(&f, "role", "Only a global admin can make someone a global admin.");
	if (f.nerrors)
		return users_render(r, 422, &f);
	const char *token;
	unsigned char hash[32];
	token_new(r->a, &token, hash);
	long long user_id = 0;
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	enum db_err rc = db_user_invite(r->a, r->user->tenant_id, r->user->id, email,
	                                form_get(&f, "display_name"), lang_code(r->lang),
	                                form_get(&f, "role"), hash, INVITE_TOKEN_SECONDS, &user_id);
	if (rc == DB_OK) {
		struct tvars *mv = tv_new(r->a, NULL);
		tv_set(mv, "name", form_get(&f, "display_name"));
		tv_set(mv, "inviter", r->user->display_name);
		tv_set(mv, "company", r->user->tenant_name);
		tv_set(mv, "link", abs_url(r->a, arena_printf(r->a, "/set-password?token=%s", token)));
		if (mail_queue(r, email, r->lang, "mail_invite", mv) != 0)
			rc = DB_ERROR;
	}
	rc = db_finish(rc);
	if (rc == DB_DUPLICATE) {
		form_error(&f, "email", "This person already has an account.");
		return users_render(r, 422, &f);
	}
	if (rc != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/account/users?invited=1");
}

int
page_user_role(struct req *r)
{
	char *end;
	long long user_id = strtoll(r->params[0], &end, 10);
	if (*end || user_id <= 0)
		return page_error(r, 404);
	struct form f;
	form_read(r, role_fields, sizeof(role_fields) / sizeof(*role_fields), &f);
	const char *role = form_get(&f, "role");
	const char *partner_id = form_get(&f, "partner_id");
	if (*partner_id && strcmp(role, "referral_admin") != 0)
		form_error(&f, "partner_id", "Only referral admins are scoped to a partner ID.");
	if (*partner_id && f.errors[1] == NULL)
		/* Partner IDs appear with the partner program; none belongs to
		 * this tenant before it enrolls. */
		form_error(&f, "partner_id", "This partner ID does not belong to your company.");
	if (strcmp(role, "global_admin") == 0 && !(r->user->roles & ROLE_BIT(ROLE_GLOBAL_ADMIN)))
		form_error(&f, "role", "Only a global admin can make someone a global admin.");
	if (user_id == r->user->id && strcmp(role, "global_admin") != 0 &&
	    (r->user->roles & ROLE_BIT(ROLE_GLOBAL_ADMIN)))
		form_error(&f, "role", "You cannot remove your own global admin role.");
	if (f.nerrors) {
		/* The user must exist in this tenant before errors are shown. */
		struct user_row u;
		bool found;
		if (db_user_by_id(r->a, user_id, &u, &found) != DB_OK)
			return page_error(r, 503);
		if (!found || u.tenant_id != r->user->tenant_id)
			return page_error(r, 404);
		return users_render(r, 422, &f);
	}
	bool found = false;
	if (db_user_set_role(r->a, r->user->tenant_id, user_id, role, partner_id, &found) != DB_OK)
		return page_error(r, 503);
	if (!found)
		return page_error(r, 404);
	return resp_redirect(r, "/account/users?saved=1");
}
