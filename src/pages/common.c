/* Helpers every page area shares: countries, addresses, the CSP emails and
 * document downloads. Page files call these, never each other. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/twofactor.h"
#include "domain/address.h"
#include "domain/audit_text.h"
#include "domain/roles.h"
#include "domain/twofactor.h"
#include "pages/pages.h"

const struct tpl_html *
country_options_html(struct req *r, const char *selected)
{
	/* 242 options were a tenth of a directory search's time (bench/README.md). */
	static const struct tpl_html *kept[LANG__MAX][26 * 26 + 1];
	size_t at = 26 * 26;
	if (selected && selected[0] >= 'A' && selected[0] <= 'Z' && selected[1] >= 'A' &&
	    selected[1] <= 'Z' && selected[2] == '\0' && country_find(selected))
		at = (size_t)(selected[0] - 'A') * 26 + (size_t)(selected[1] - 'A');
	const struct tpl_html **slot = &kept[r->lang][at];
	if (*slot == NULL) {
		struct tvars *v = tv_new(r->a, NULL);
		country_options(r, v, at < 26 * 26 ? selected : NULL);
		*slot = tpl_html_keep(tpl_render_inner("country_options", r->lang, v, r->a));
	}
	return *slot;
}

void
country_options(struct req *r, struct tvars *v, const char *selected)
{
	size_t n;
	const struct country *const *list = countries_sorted(r->lang, &n);
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, "countries");
		tv_set(it, "code", list[i]->code);
		tv_set(it, "name", list[i]->name[r->lang]);
		tv_bool(it, "selected", selected && strcmp(selected, list[i]->code) == 0);
	}
}

void
countries_by_name(struct req *r, const char **codes, size_t n)
{
	size_t nall, k = 0;
	const struct country *const *all = countries_sorted(r->lang, &nall);
	const char **sorted = arena_alloc(r->a, sizeof(*sorted) * (n + 1));
	for (size_t i = 0; i < nall && k < n; i++)
		for (size_t j = 0; j < n; j++)
			if (strcmp(codes[j], all[i]->code) == 0) {
				sorted[k++] = codes[j];
				break;
			}
	/* Codes the table does not know keep their order, last. */
	for (size_t j = 0; j < n && k < n; j++)
		if (country_find(codes[j]) == NULL)
			sorted[k++] = codes[j];
	if (k == n)
		memcpy(codes, sorted, sizeof(*codes) * n);
}

const char *
country_label(struct req *r, const char *code)
{
	const struct country *c = country_find(code);
	return c ? c->name[r->lang] : code;
}

const char *
address_line(struct req *r, const char *line1, const char *line2, const char *city,
             const char *region, const char *postal, const char *country, bool country_name)
{
	const char *text = address_text(r->a, line1, line2, city, region, postal, country, ", ");
	if (country == NULL || *country == '\0')
		return text;
	return arena_printf(r->a, "%s, %s", text, country_name ? country_label(r, country) : country);
}

const char *
address_text(struct arena *a, const char *line1, const char *line2, const char *city,
             const char *region, const char *postal, const char *country, const char *sep)
{
	struct postal_address pa = {line1, line2, city, region, postal, country};
	char small[512];
	size_t n = address_format(&pa, sep, small, sizeof(small));
	if (n < sizeof(small))
		return arena_strdup(a, small);
	char *big = arena_alloc(a, n + 1);
	address_format(&pa, sep, big, n + 1);
	return big;
}

/* The facts of an audit entry: its object and the top-level values of its
 * "after" details (numbers as digits, lists of strings joined by commas). */
static size_t
audit_facts(struct arena *a, const struct audit_entry *e, struct audit_fact *f, size_t max)
{
	size_t n = 0;
	f[n++] = (struct audit_fact){"object", e->object};
	json_t *after = e->after_json ? json_loads(e->after_json, 0, NULL) : NULL;
	const char *key;
	json_t *val;
	json_object_foreach(after, key, val) {
		if (n == max)
			break;
		const char *text = NULL;
		if (json_is_string(val))
			text = arena_strdup(a, json_string_value(val));
		else if (json_is_integer(val))
			text = arena_printf(a, "%lld", (long long)json_integer_value(val));
		else if (json_is_array(val)) {
			struct sbuf b = {0};
			size_t i;
			json_t *item;
			json_array_foreach(val, i, item) if (json_is_string(item))
			{
				if (b.len)
					sbuf_adds(&b, ",");
				sbuf_adds(&b, json_string_value(item));
			}
			text = arena_strdup(a, b.len ? sbuf_cstr(&b) : "");
			sbuf_free(&b);
		}
		if (text)
			f[n++] = (struct audit_fact){arena_strdup(a, key), text};
	}
	json_decref(after);
	return n;
}

const char *
audit_text(struct req *r, const struct audit_entry *e)
{
	struct audit_fact facts[24];
	size_t nf = audit_facts(r->a, e, facts, sizeof(facts) / sizeof(*facts));
	struct audit_sentence s = audit_sentence(e->action, facts, nf);
	const char *args[AUDIT_ARGS] = {0};
	for (size_t i = 0; i < s.nargs; i++) {
		if (s.args[i].kind == AUDIT_ARG_MSGID) {
			args[i] = tr(r->lang, s.args[i].value);
		} else if (s.args[i].kind == AUDIT_ARG_ROLES) {
			struct sbuf b = {0};
			const char *p = s.args[i].value;
			while (*p) {
				size_t len = strcspn(p, ",");
				const char *code = arena_printf(r->a, "%.*s", (int)len, p);
				int role = role_parse(code);
				if (b.len)
					sbuf_adds(&b, ", ");
				sbuf_adds(&b, role >= 0 ? tr(r->lang, role_label((enum role)role)) : code);
				p += len + (p[len] == ',');
			}
			args[i] = arena_strdup(r->a, sbuf_cstr(&b));
			sbuf_free(&b);
		} else {
			args[i] = s.args[i].value;
		}
	}
	const char *tmpl = tr(r->lang, s.msgid);
	size_t n = audit_fill(tmpl, args, s.nargs, NULL, 0);
	char *out = arena_alloc(r->a, n + 1);
	audit_fill(tmpl, args, s.nargs, out, n + 1);
	return out;
}

const char *
csp_object(struct req *r, long long id)
{
	return arena_printf(r->a, "csp:%lld", id);
}

long long
path_id(const char *s)
{
	char *end;
	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	long long id = strtoll(s, &end, 10);
	return *end || id <= 0 ? 0 : id;
}

int
csp_mail(struct req *r, const struct csp_app *c, const struct csp_transition *t, const char *note)
{
	/* The template's part: the request made, the submission, or the decision;
	 * and a subject of its own for each. */
	enum csp_mail_kind kind = csp_mail_kind_of(t);
	if (kind == CSP_MAIL_NONE)
		return 0;
	enum lang lang = lang_parse(c->lang) >= 0 ? (enum lang)lang_parse(c->lang) : LANG_EN;
	const char *company = *c->legal_name ? c->legal_name : c->tenant_name;
	const char *subject = tr(lang, csp_mail_subject(kind));
	size_t n = audit_fill(subject, &company, 1, NULL, 0);
	char *filled = arena_alloc(r->a, n + 1);
	audit_fill(subject, &company, 1, filled, n + 1);
	struct tvars *mv = tv_new(r->a, NULL);
	tv_set(mv, "subject", filled);
	tv_set(mv, "name", c->contact_name);
	tv_set(mv, "company", company);
	tv_set(mv, "note", note ? note : "");
	tv_bool(mv, csp_mail_code(kind), true);
	tv_set(mv, "link",
	       abs_url_lang(r->a, kind == CSP_MAIL_APPROVED ? "/actions" : "/csp/enroll", lang));
	return mail_queue(r, c->contact_email, lang, "mail_csp", mv);
}

int
csp_send_document(struct req *r, const struct csp_document *d)
{
	const char *path = arena_printf(r->a, "%s/documents/%s", app.state_dir, d->storage_name);
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return page_error(r, 404);
	sbuf_reset(r->body);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sbuf_add(r->body, buf, n);
	fclose(fp);
	r->status = 200;
	r->content_type_out = d->content_type;
	const char *ext = strcmp(d->content_type, "application/pdf") == 0 ? "pdf"
	                  : strcmp(d->content_type, "image/png") == 0     ? "png"
	                                                                  : "jpg";
	resp_header(r, "Content-Disposition",
	            arena_printf(r->a, "attachment; filename=\"document-%lld.%s\"", d->id, ext));
	return 200;
}

json_t *
account_json(const struct partner_account *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "legal_name",
	                 p->name, "country", p->country, "address_line1", p->address_line1,
	                 "address_line2", p->address_line2, "city", p->city, "region", p->region,
	                 "postal_code", p->postal_code, "phone", p->phone, "website", p->website,
	                 "contact_name", p->contact_name, "contact_email", p->contact_email);
}

void
account_address_vars(struct req *r, struct tvars *v, const struct partner_account *p)
{
	tv_set(v, "a_line1", p->address_line1);
	tv_set(v, "a_line2", p->address_line2);
	tv_set(v, "a_city", p->city);
	tv_set(v, "a_region", p->region);
	tv_set(v, "a_postal_code", p->postal_code);
	tv_set(v, "a_country", country_label(r, p->country));
	tv_set(v, "a_address",
	       address_text(r->a, p->address_line1, p->address_line2, p->city, p->region,
	                    p->postal_code, p->country, ", "));
	tv_set(v, "a_contact_name", p->contact_name);
	tv_set(v, "a_contact_email", p->contact_email);
}

void
address_block_vars(struct req *r, struct tvars *v, const struct partner_account *p)
{
	const char *block = address_text(r->a, p->address_line1, p->address_line2, p->city,
	                                 p->region, p->postal_code, p->country, "\n");
	while (*block) {
		size_t n = strcspn(block, "\n");
		tv_set(tv_item(v, "a_lines"), "line", arena_printf(r->a, "%.*s", (int)n, block));
		block += n + (block[n] == '\n');
	}
}

void
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


const char *
password_refusal_message(enum password_refusal why)
{
	switch (why) {
	case PASSWORD_TOO_SHORT:
		return N_("Use at least 12 characters.");
	case PASSWORD_TOO_LONG:
		return N_("Use at most 128 characters.");
	case PASSWORD_WHITESPACE:
		return N_("A password cannot be only spaces.");
	case PASSWORD_REPEATED:
		return N_("A password cannot be one character repeated.");
	case PASSWORD_HAS_EMAIL:
		return N_("Your password must not contain your email address.");
	case PASSWORD_HAS_COMPANY:
		return N_("Your password must not contain your company's name.");
	case PASSWORD_COMMON:
		return N_("This password is too common or too easy to guess. A few unrelated words "
		          "make a strong one.");
	default:
		return NULL;
	}
}

/* The index of a field of f, or -1. */
static int
field_index(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool
new_password_check(struct form *f, const char *email, const char *company)
{
	int pw = field_index(f, "password"), confirm = field_index(f, "password_confirm");
	if (pw < 0 || f->errors[pw])
		return false;
	const char *why = password_refusal_message(password_policy(f->values[pw], email, company));
	if (why) {
		form_error(f, "password", why);
		return false;
	}
	if (confirm >= 0 && f->errors[confirm] == NULL && strcmp(f->values[pw], f->values[confirm]))
		form_error(f, "password_confirm", N_("The two passwords differ."));
	return true;
}

/* The second step of sign-in: see pages.h. */
int
signin_second_step(struct req *r, long long user_id)
{
	struct tfa_row t;
	if (db_tfa_get(r->a, user_id, &t) != DB_OK)
		return page_error(r, 503);
	if (!t.enabled)
		return 0;
	unsigned char bound[32];
	const char *pre = r->pre_token ? r->pre_token : "";
	crypto_hash_sha256(bound, (const unsigned char *)pre, strlen(pre));
	resp_cookie(r, TFA_PENDING_COOKIE,
	            sealed_token(r->a, TFA_PENDING_PURPOSE, user_id, TFA_PENDING_SECONDS, bound,
	                         sizeof(bound)),
	            TFA_PENDING_SECONDS);
	return resp_redirect(r, "/signin/2fa");
}

/* The partner agreement as accepted: see pages.h. */
void
agreement_acceptance_vars(struct req *r, struct tvars *v, const struct agreement_acceptance *acc)
{
	tv_bool(v, "ag_accepted", true);
	tv_set(v, "ag_version", acc->version);
	int l = lang_parse(acc->language);
	tv_set(v, "ag_language", acc->language);
	tv_set(v, "ag_language_label", l == LANG_FR   ? tr(r->lang, N_("French"))
	                               : l == LANG_EN ? tr(r->lang, N_("English"))
	                                              : tr(r->lang, N_("not recorded")));
	tv_set(v, "ag_sha256", *acc->text_sha256 ? acc->text_sha256 : tr(r->lang, N_("not recorded")));
	tv_set(v, "ag_signer", arena_printf(r->a, "%s — %s", acc->signer_name, acc->signer_email));
	tv_set(v, "ag_accepted_at", acc->accepted_at);
	tv_setf(v, "ag_href", "/agreement/%s?lang=%s", acc->version,
	        l == LANG_FR || l == LANG_EN ? acc->language : lang_code(r->lang));
}

/* The upload read whole into the request's arena (at most the upload limit),
 * or NULL. */
unsigned char *
upload_read(struct req *r, const struct http_field *file)
{
	unsigned char *buf = arena_alloc(r->a, file->size + 1);
	int fd = open(file->path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	ssize_t n = 1;
	while (fd >= 0 && got < file->size && (n = read(fd, buf + got, file->size - got)) != 0) {
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0)
			got += (size_t)n;
	}
	if (fd >= 0)
		close(fd);
	return got == file->size ? buf : NULL;
}

/* RFC 4180 field; a leading = + - @ is neutralised so that a spreadsheet
 * never runs it as a formula (OWASP CSV injection). */
void
csv_field(struct sbuf *b, const char *s, bool last)
{
	s = s ? s : "";
	bool formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		sbuf_adds(b, "\"");
	if (formula)
		sbuf_adds(b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			sbuf_adds(b, "\"\"");
		else
			sbuf_add(b, p, 1);
	}
	if (quote)
		sbuf_adds(b, "\"");
	sbuf_adds(b, last ? "\r\n" : ",");
}
