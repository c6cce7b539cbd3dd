/* Pending actions of a partner (DOMAIN §3.8): after staff approve the CSP
 * application, the global admin reads the partner agreement (our own text,
 * versioned, in the page's language) and accepts it; the version, the
 * language and the SHA-256 of the exact text shown, the signer, email, time
 * and IP are recorded, the CSP account becomes active and the tenant a CSP
 * tenant. The text of any version is also at /agreement/{version} (HTML,
 * printable) and /agreement/{version}.txt (the bytes whose hash is kept). */
#include <string.h>

#include "app/agreement.h"
#include "core/log.h"
#include "pages/pages.h"

static const char *const yes[] = {"yes", NULL};
static const char *const langs[] = {"en", "fr", NULL};
static const struct form_field agreement_fields[] = {
    {"signer_name", FT_TEXT, true, 2, 100, NULL},
    {"signer_email", FT_EMAIL, true, 3, 254, NULL},
    {"accept", FT_ENUM, true, 1, 3, yes},
    /* What the page showed; absent: the current version in the page's language. */
    {"agreement_version", FT_TEXT, false, 0, 40, NULL},
    {"agreement_lang", FT_ENUM, false, 0, 2, langs},
};

/* The text as template vars: its paragraphs (blank-line separated, lines
 * joined), version, language, hash and links. */
static void
agreement_vars(struct req *r, struct tvars *v, const struct agreement *ag)
{
	const char *code = lang_code(ag->lang);
	tv_set(v, "agreement_version", ag->version);
	tv_set(v, "agreement_lang", code);
	tv_set(v, "agreement_sha256", arena_strdup(r->a, ag->sha256));
	tv_bool(v, "agreement_fr", ag->lang == LANG_FR);
	tv_setf(v, "agreement_href", "/agreement/%s?lang=%s", ag->version, code);
	tv_setf(v, "agreement_txt_href", "/agreement/%s.txt?lang=%s", ag->version, code);
	tv_setf(v, "agreement_other_href", "/agreement/%s?lang=%s", ag->version,
	        ag->lang == LANG_FR ? "en" : "fr");
	const char *p = ag->text;
	while (*p) {
		while (*p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		const char *end = strstr(p, "\n\n");
		const char *crlf = strstr(p, "\r\n\r\n");
		if (crlf && (!end || crlf < end))
			end = crlf;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *para = arena_strndup(r->a, p, len);
		for (char *c = para; *c; c++)
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		tv_set(tv_item(v, "agreement_paragraphs"), "text", para);
		p += len;
	}
}

static int
actions_render(struct req *r, int status, const struct csp_app *c, bool found, struct form *f)
{
	struct tvars *v = page_vars(r);
	bool pending = found && csp_next(c->status, CSP_ACCEPT_AGREEMENT, c->request_kind) != NULL;
	tv_bool(v, "agreement_pending", pending);
	tv_bool(v, "can_accept", pending && has_role(r, ROLE_GLOBAL_ADMIN));
	tv_bool(v, "csp_active", found && c->status == CSP_ACTIVE);
	tv_bool(v, "nothing", !pending);
	if (pending) {
		struct agreement ag;
		if (agreement_load(r->a, CSP_AGREEMENT_VERSION, r->lang, &ag) != 0) {
			log_err("no text of the partner agreement %s in %s", CSP_AGREEMENT_VERSION,
			        lang_code(r->lang));
			return page_error(r, 503);
		}
		agreement_vars(r, v, &ag);
	}
	tv_set(v, "company", found && *c->legal_name ? c->legal_name : r->user->tenant_name);
	if (f) {
		form_to_vars(f, v, r->lang);
	} else {
		tv_set(v, "v_signer_name", r->user->display_name);
		tv_set(v, "v_signer_email", r->user->email);
	}
	return page_render(r, status, "actions", v);
}

int
page_actions(struct req *r)
{
	struct csp_app c;
	bool found = false;
	if (db_csp_get(r->a, r->user->tenant_id, &c, &found) != DB_OK)
		return page_error(r, 503);
	return actions_render(r, 200, &c, found, NULL);
}

int
page_agreement(struct req *r)
{
	struct csp_app c;
	bool found = false;
	if (db_csp_get(r->a, r->user->tenant_id, &c, &found) != DB_OK)
		return page_error(r, 503);
	struct form f;
	form_read(r, agreement_fields, NFIELDS(agreement_fields), &f);
	if (f.errors[2])
		f.errors[2] = N_("Tick the box to accept the agreement.");
	const char *shown = form_get(&f, "agreement_version");
	if (*shown && strcmp(shown, CSP_AGREEMENT_VERSION) != 0 && f.errors[2] == NULL)
		form_error(&f, "accept", N_("The agreement has a new version since this page was opened: read it below and accept it again."));
	const struct csp_transition *t =
	    found ? csp_next(c.status, CSP_ACCEPT_AGREEMENT, c.request_kind) : NULL;
	if (t == NULL)
		return actions_render(r, 409, &c, found, &f);
	if (f.nerrors)
		return actions_render(r, 422, &c, found, &f);
	int lang = *form_get(&f, "agreement_lang") ? lang_parse(form_get(&f, "agreement_lang"))
	                                           : (int)r->lang;
	struct agreement ag;
	if (agreement_load(r->a, CSP_AGREEMENT_VERSION, (enum lang)lang, &ag) != 0) {
		log_err("no text of the partner agreement %s in %s", CSP_AGREEMENT_VERSION,
		        lang_code((enum lang)lang));
		return page_error(r, 503);
	}
	struct agreement_acceptance acc = {
	    .version = ag.version, .language = lang_code(ag.lang), .text_sha256 = ag.sha256,
	    .signer_name = form_get(&f, "signer_name"), .signer_email = form_get(&f, "signer_email"),
	    .ip = r->remote_addr};
	bool changed = false;
	enum db_err e = db_begin();
	if (e == DB_OK)
		e = db_agreement_add(r->a, c.id, c.tenant_id, &acc, r->user->id);
	if (e == DB_OK)
		e = db_csp_transition(r->a, c.id, t, NULL, &changed);
	if (e == DB_OK && !changed)
		e = DB_DUPLICATE; /* accepted meanwhile */
	if (e == DB_OK)
		e = audit_record(r, "csp.agreement", csp_object(r, c.id),
		                 json_pack("{s:s}", "status", csp_status_code(t->from)),
		                 json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "status",
		                           csp_status_code(t->to), "version", acc.version, "language",
		                           acc.language, "text_sha256", acc.text_sha256, "signer_name",
		                           acc.signer_name, "signer_email", acc.signer_email, "ip",
		                           r->remote_addr ? r->remote_addr : ""));
	e = db_finish(e);
	if (e == DB_DUPLICATE) {
		found = db_csp_get(r->a, r->user->tenant_id, &c, &found) == DB_OK && found;
		return actions_render(r, 409, &c, found, &f);
	}
	if (e != DB_OK)
		return page_error(r, 503);
	return resp_redirect(r, "/csp/enroll?activated=1");
}

/* GET /agreement/{version}[.txt]?lang=: the text of a version in the
 * page's language, as a page or as the plain text whose SHA-256 is stored
 * with an acceptance; 404 for a version (or language) without a text. */
int
page_agreement_text(struct req *r)
{
	const char *version = r->params[0];
	size_t n = strlen(version);
	bool plain = n > 4 && strcmp(version + n - 4, ".txt") == 0;
	if (plain)
		version = arena_strndup(r->a, version, n - 4);
	struct agreement ag;
	if (agreement_load(r->a, version, r->lang, &ag) != 0)
		return page_error(r, 404);
	if (plain) {
		resp_header(r, "Content-Disposition",
		            arena_printf(r->a, "inline; filename=\"partner-agreement-%s.%s.txt\"",
		                         ag.version, lang_code(ag.lang)));
		return resp_text(r, 200, ag.text);
	}
	struct tvars *v = page_vars(r);
	agreement_vars(r, v, &ag);
	tv_bool(v, "agreement_current", strcmp(ag.version, CSP_AGREEMENT_VERSION) == 0);
	return page_render(r, 200, "agreement", v);
}
