/* Unit tests of pure code: email rules, validators, route matching,
 * Accept-Language, translations and templates. TAP output.
 * Needs PD_SRCDIR (templates) and PD_LOCALEDIR (compiled catalogs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "site/router.h"
#include "core/filecache.h"
#include "db/directory.h"
#include "core/i18n.h"
#include "core/secret.h"
#include "http/request.h"
#include "domain/audit_text.h"
#include "domain/csp.h"
#include "domain/email_rules.h"
#include "http/form.h"
#include "tap.h"
#include "view/template.h"

static const char *const freemail[] = {"gmail.com", "outlook.com", "hotmail.*", "yahoo.*",
                                       "icloud.com", "aol.com", "gmx.*", "proton.me"};
static const char *const roles[] = {"info", "admin", "marketing", "email"};

static void
test_email_rules(void)
{
	static const struct {
		const char        *email;
		enum email_verdict want;
	} cases[] = {
	    {"ana@contoso.com", EMAIL_OK},
	    {"ana.lopez@fabrikam.example", EMAIL_OK},
	    {"a+tag@sub.domain.co.uk", EMAIL_OK},
	    {"ana@gmail.com", EMAIL_FREEMAIL},
	    {"ana@yahoo.fr", EMAIL_FREEMAIL},
	    {"ana@yahoo.co.uk", EMAIL_FREEMAIL},
	    {"ana@gmx.de", EMAIL_FREEMAIL},
	    {"ana@hotmail.fr", EMAIL_FREEMAIL},
	    {"ana@proton.me", EMAIL_FREEMAIL},
	    {"ana@notgmail.com", EMAIL_OK},
	    {"ana@yahoo", EMAIL_SYNTAX},
	    {"info@contoso.com", EMAIL_ROLE},
	    {"admin@contoso.com", EMAIL_ROLE},
	    {"marketing@contoso.com", EMAIL_ROLE},
	    {"email@contoso.com", EMAIL_ROLE},
	    {"infos@contoso.com", EMAIL_OK},
	    {"", EMAIL_SYNTAX},
	    {"plainaddress", EMAIL_SYNTAX},
	    {"@contoso.com", EMAIL_SYNTAX},
	    {"ana@", EMAIL_SYNTAX},
	    {"ana@@contoso.com", EMAIL_SYNTAX},
	    {"ana..b@contoso.com", EMAIL_SYNTAX},
	    {".ana@contoso.com", EMAIL_SYNTAX},
	    {"ana.@contoso.com", EMAIL_SYNTAX},
	    {"ana@-contoso.com", EMAIL_SYNTAX},
	    {"ana@contoso-.com", EMAIL_SYNTAX},
	    {"ana@contoso..com", EMAIL_SYNTAX},
	    {"ana@contoso.123", EMAIL_SYNTAX},
	    {"ana lopez@contoso.com", EMAIL_SYNTAX},
	    {"ana@contoso .com", EMAIL_SYNTAX},
	    {"ana@localhost", EMAIL_SYNTAX},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		is_int(email_check_work(cases[i].email, freemail, 8, roles, 4), cases[i].want,
		       "email verdict of \"%s\"", cases[i].email);
	char buf[64];
	is_str(email_normalize("  Ana@Contoso.COM ", buf, sizeof(buf)), "ana@contoso.com",
	       "normalize trims and lower-cases");
	char longbuf[300];
	memset(longbuf, 'a', 260);
	strcpy(longbuf + 250, "@contoso.com");
	ok(!email_syntax_ok(longbuf), "an address over 254 characters is refused");
	ok(email_domain_matches("yahoo.com", "yahoo.*"), "yahoo.* matches yahoo.com");
	ok(!email_domain_matches("yahoo", "yahoo.*"), "yahoo.* does not match a bare name");
	ok(!email_domain_matches("myyahoo.com", "yahoo.*"), "yahoo.* does not match myyahoo.com");
}

static void
test_validators(void)
{
	struct arena a;
	arena_init(&a, 4096);
	static const char *const choices[] = {"member", "global_admin", NULL};
	static const struct {
		struct form_field f;
		const char       *in;
		bool              valid;
		const char       *out;
	} cases[] = {
	    {{"x", FT_TEXT, true, 1, 10, NULL}, "  Contoso  ", true, "Contoso"},
	    {{"x", FT_TEXT, true, 1, 10, NULL}, "", false, ""},
	    {{"x", FT_TEXT, true, 1, 10, NULL}, "   ", false, ""},
	    {{"x", FT_TEXT, false, 0, 10, NULL}, "", true, ""},
	    {{"x", FT_TEXT, true, 1, 5, NULL}, "éééé", true, "éééé"},
	    {{"x", FT_TEXT, true, 1, 5, NULL}, "éééééé", false, NULL},
	    {{"x", FT_TEXT, true, 1, 10, NULL}, "a\x01" "b", false, NULL},
	    {{"x", FT_TEXT, true, 1, 10, NULL}, "bad\xff", false, NULL},
	    {{"x", FT_TEXT, true, 1, 10, NULL}, "\xc3\x28", false, NULL},
	    {{"x", FT_EMAIL, true, 3, 254, NULL}, " Ana@Contoso.com", true, "ana@contoso.com"},
	    {{"x", FT_EMAIL, true, 3, 254, NULL}, "ana@", false, NULL},
	    {{"x", FT_PASSWORD, true, 12, 256, NULL}, "short", false, NULL},
	    {{"x", FT_PASSWORD, true, 12, 256, NULL}, " twelve chars ", true, " twelve chars "},
	    {{"x", FT_COUNTRY, true, 2, 2, NULL}, "fr", true, "FR"},
	    {{"x", FT_COUNTRY, true, 2, 2, NULL}, "XX", false, NULL},
	    {{"x", FT_COUNTRY, true, 2, 2, NULL}, "FRA", false, NULL},
	    {{"x", FT_ENUM, true, 1, 20, choices}, "member", true, "member"},
	    {{"x", FT_ENUM, true, 1, 20, choices}, "root", false, NULL},
	    {{"x", FT_PARTNER_ID, false, 7, 7, NULL}, "1234567", true, "1234567"},
	    {{"x", FT_PARTNER_ID, false, 7, 7, NULL}, "123456a", false, NULL},
	    {{"x", FT_PARTNER_ID, false, 7, 7, NULL}, "12345678", false, NULL},
	    {{"x", FT_TOKEN, true, 1, 100, NULL}, "abc-DEF_123", true, "abc-DEF_123"},
	    {{"x", FT_TOKEN, true, 1, 100, NULL}, "abc/def", false, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "https://contoso.example", true, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "http://www.contoso.fr:8080/fr/?a=1", true, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "HTTPS://Contoso.example/", true, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "contoso.example", false, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "javascript:alert(1)", false, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "ftp://contoso.example", false, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "https://", false, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "https://localhost", false, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "https://a b.example", false, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "https://contoso.example/a b", false, NULL},
	    {{"x", FT_URL, true, 0, 200, NULL}, "https://contoso.example/\"onmouseover", false, NULL},
	    {{"x", FT_PHONE, true, 0, 30, NULL}, "+33 1 23 45 67 89", true, NULL},
	    {{"x", FT_PHONE, true, 0, 30, NULL}, "(425) 555-0100", true, NULL},
	    {{"x", FT_PHONE, true, 0, 30, NULL}, "12345", false, NULL},
	    {{"x", FT_PHONE, true, 0, 30, NULL}, "1234567890123456", false, NULL},
	    {{"x", FT_PHONE, true, 0, 30, NULL}, "33+1234567", false, NULL},
	    {{"x", FT_PHONE, true, 0, 30, NULL}, "call me", false, NULL},
	    {{"x", FT_POSTAL, false, 0, 20, NULL}, "75002", true, NULL},
	    {{"x", FT_POSTAL, false, 0, 20, NULL}, "SW1A 1AA", true, NULL},
	    {{"x", FT_POSTAL, false, 0, 20, NULL}, "98052-6399", true, NULL},
	    {{"x", FT_POSTAL, false, 0, 20, NULL}, "750<02", false, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *out = NULL;
		const char *err = form_validate(&a, &cases[i].f, cases[i].in, &out);
		ok((err == NULL) == cases[i].valid, "validator %d on \"%s\" is %s", cases[i].f.type,
		   cases[i].in, cases[i].valid ? "valid" : "invalid");
		if (cases[i].valid && cases[i].out)
			is_str(out, cases[i].out, "normalized value of \"%s\"", cases[i].in);
		if (err)
			ok(i18n_has(LANG_FR, err), "message \"%s\" has a French translation", err);
	}
	arena_free(&a);
}

static void
test_routes(void)
{
	struct arena a;
	arena_init(&a, 4096);
	const char *p[REQ_MAX_PARAMS] = {0};
	ok(route_match("/signin", "/signin", p, &a) == 0, "exact path matches");
	ok(route_match("/signin", "/signin/", p, &a) != 0, "trailing slash does not match");
	ok(route_match("/account/users/{}/roles", "/account/users/42/roles", p, &a) == 0 &&
	       strcmp(p[0], "42") == 0,
	   "placeholder captures a segment");
	ok(route_match("/account/users/{}/roles", "/account/users//roles", p, &a) != 0,
	   "placeholder needs a non-empty segment");
	ok(route_match("/account/users/{}/roles", "/account/users/4/2/roles", p, &a) != 0,
	   "placeholder does not span segments");
	arena_free(&a);
}

static void
test_languages(void)
{
	is_int(lang_from_accept("fr-FR,fr;q=0.9,en;q=0.8"), LANG_FR, "Accept-Language fr-FR first");
	is_int(lang_from_accept("en-US,en;q=0.9,fr;q=0.8"), LANG_EN, "Accept-Language en first");
	is_int(lang_from_accept("de-DE,fr;q=0.5"), LANG_FR, "unsupported first, French next");
	is_int(lang_from_accept("de,es"), LANG_EN, "nothing supported: English");
	is_int(lang_from_accept("en;q=0.2, fr;q=0.7"), LANG_FR, "q values decide");
	is_int(lang_from_accept(NULL), LANG_EN, "no header: English");
	is_int(lang_from_accept("french"), LANG_EN, "a tag that only starts with fr is not French");
	is_int(lang_parse("FR"), LANG_FR, "lang_parse is case-insensitive");
	is_int(lang_parse("de"), -1, "lang_parse refuses other languages");
	is_str(tr(LANG_FR, "Sign in"), "Se connecter", "French catalog is loaded");
	is_str(tr(LANG_EN, "Sign in"), "Sign in", "English catalog is loaded");
	is_str(tr(LANG_FR, "no such message"), "no such message", "unknown msgid falls back");
	const struct country *fr = country_find("fr");
	ok(fr && strcmp(fr->name[LANG_EN], "France") == 0, "country FR in English");
	const struct country *de = country_find("DE");
	ok(de && strcmp(de->name[LANG_FR], "Allemagne") == 0, "country DE in French");
	ok(country_find("XX") == NULL, "XX is not a country");
	size_t n, eg = 0, es = 0, et = 0;
	const struct country *const *list = countries_sorted(LANG_FR, &n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(list[i]->code, "EG") == 0)
			eg = i;
		if (strcmp(list[i]->code, "ES") == 0)
			es = i;
		if (strcmp(list[i]->code, "EE") == 0)
			et = i;
	}
	ok(n > 240 && eg > 0 && eg < es && es < et,
	   "French country list sorts accented names with their base letter (Égypte < Espagne < Estonie)");
}

static int missing_translations;

static void
check_msgid(const char *msgid, void *ctx)
{
	(void)ctx;
	for (int l = 0; l < LANG__MAX; l++)
		if (!i18n_has((enum lang)l, msgid)) {
			printf("# missing %s translation: \"%s\"\n", lang_code((enum lang)l), msgid);
			missing_translations++;
		}
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	s[fread(s, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return s;
}

/* Golden files: the HTML of key pages and the text of every email with fixed
 * values. Regenerate with PD_GOLDEN_UPDATE=1 after an intended change, and
 * review the diff. */
static void
check_golden(const char *srcdir, const char *file, const char *got)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/unit/golden/%s", srcdir, file);
	if (getenv("PD_GOLDEN_UPDATE")) {
		FILE *f = fopen(path, "wb");
		if (f) {
			fputs(got, f);
			fclose(f);
		}
	}
	char *want = slurp(path);
	ok(want && strcmp(want, got) == 0, "%s matches the golden file", file);
	if (want == NULL || strcmp(want, got) != 0)
		printf("# got:\n# %s\n", got);
	free(want);
}

static void
golden(const char *srcdir, const char *name, enum lang lang, struct tvars *v)
{
	struct sbuf out = {0};
	ok(tpl_render_page(name, lang, v, &out) == 0, "render %s (%s)", name, lang_code(lang));
	char file[256];
	snprintf(file, sizeof(file), "%s.%s.html", name, lang_code(lang));
	check_golden(srcdir, file, sbuf_cstr(&out));
	sbuf_free(&out);
}

static void
test_templates(const char *srcdir)
{
	struct arena a;
	arena_init(&a, 65536);
	/* Escaping by construction: markup in values stays text. */
	struct tvars *v = tv_new(&a, NULL);
	tv_set(v, "csrf", "tok");
	tv_set(v, "v_email", "\"><script>alert(1)</script>");
	tv_set(v, "err_email", "<b>bad</b> & worse");
	tv_bool(v, "has_errors", true);
	tv_set(v, "lang_switch_href", "/signup?lang=fr");
	tv_set(v, "lang_switch_code", "fr");
	tv_set(v, "lang_switch_label", "Français");
	struct tvars *c = tv_item(v, "countries");
	tv_set(c, "code", "FR");
	tv_set(c, "name", "France");
	tv_bool(c, "selected", true);
	struct sbuf out = {0};
	ok(tpl_render_page("signup", LANG_EN, v, &out) == 0, "signup renders");
	const char *html = sbuf_cstr(&out);
	ok(strstr(html, "<script>") == NULL, "a value never becomes markup");
	ok(strstr(html, "&quot;&gt;&lt;script&gt;") != NULL || strstr(html, "\"&gt;&lt;script&gt;"),
	   "an attribute value is escaped");
	ok(strstr(html, "&lt;b&gt;bad&lt;/b&gt; &amp; worse") != NULL, "a text value is escaped");
	ok(strstr(html, "data-field=\"email\"") != NULL, "field error carries data-field");
	ok(strstr(html, "data-field=\"password\"") == NULL, "no error element without an error");
	ok(strstr(html, "data-t") == NULL && strstr(html, "data-if") == NULL &&
	       strstr(html, "data-attr") == NULL,
	   "template attributes are removed");
	ok(strstr(html, "<!DOCTYPE html>") == html, "output starts with the HTML5 doctype");
	ok(strstr(html, "<title>Error: Create your company account</title>") != NULL,
	   "title comes from the data-title element, after \"Error:\" when fields are in error");
	ok(strstr(html, "selected=\"selected\"") != NULL, "boolean attribute set when true");
	ok(strstr(html, "<p class=\"error\" data-field=\"email\" id=\"email-error\">") != NULL,
	   "element kept by data-if");
	ok(strstr(html, "</ul></div><section class=\"form-page\">") != NULL,
	   "page goes into the layout's slot, after the error summary");
	ok(strstr(html, "<p></p>") == NULL && strstr(html, "<select") != NULL,
	   "no empty paragraphs left");
	sbuf_reset(&out);
	ok(tpl_render_page("signup", LANG_FR, v, &out) == 0 &&
	       strstr(sbuf_cstr(&out), "Créez le compte de votre entreprise") != NULL &&
	       strstr(sbuf_cstr(&out), "lang=\"fr\"") != NULL,
	   "French rendering translates and sets lang");
	sbuf_reset(&out);
	struct tvars *mv = tv_new(&a, NULL);
	tv_set(mv, "name", "Ana");
	tv_set(mv, "link", "http://127.0.0.1:8080/verify-email?token=abc");
	ok(tpl_render_text("mail_verify", LANG_FR, mv, &out) == 0 &&
	       strstr(sbuf_cstr(&out), "Bonjour Ana,") != NULL &&
	       strstr(sbuf_cstr(&out), "http://127.0.0.1:8080/verify-email?token=abc\n") != NULL &&
	       strchr(sbuf_cstr(&out), '<') == NULL,
	   "email text body is plain text with the link, in French");
	is_str(tpl_title("mail_verify", LANG_EN, mv, &a), "Verify your email address for partnerdesk",
	       "email subject from data-title");
	sbuf_free(&out);

	/* Every template msgid has both translations. */
	missing_translations = 0;
	tpl_each_msgid(check_msgid, NULL);
	is_int(missing_translations, 0, "every template message exists in French and English");

	struct tvars *g = tv_new(&a, NULL);
	tv_set(g, "csrf", "CSRF-TOKEN");
	tv_set(g, "lang_switch_href", "/signin?lang=fr");
	tv_set(g, "lang_switch_code", "fr");
	tv_set(g, "lang_switch_label", "Français");
	golden(srcdir, "signin", LANG_EN, g);
	struct tvars *g2 = tv_new(&a, NULL);
	tv_set(g2, "csrf", "CSRF-TOKEN");
	tv_set(g2, "lang_switch_href", "/signin?lang=en");
	tv_set(g2, "lang_switch_code", "en");
	tv_set(g2, "lang_switch_label", "English");
	tv_set(g2, "signin_error", "E-mail ou mot de passe incorrect.");
	tv_set(g2, "v_email", "ana@contoso.example");
	golden(srcdir, "signin", LANG_FR, g2);
	struct tvars *g3 = tv_new(&a, NULL);
	tv_set(g3, "csrf", "CSRF-TOKEN");
	tv_bool(g3, "signed_in", true);
	tv_bool(g3, "is_partner", true);
	tv_bool(g3, "is_admin", true);
	tv_bool(g3, "unverified", true);
	tv_set(g3, "email_verified", "no");
	tv_set(g3, "user_name", "Ana López");
	tv_set(g3, "user_email", "ana@contoso.example");
	tv_set(g3, "tenant_name", "Contoso");
	tv_set(g3, "tenant_country", "France");
	tv_set(g3, "lang_switch_href", "/dashboard?lang=fr");
	tv_set(g3, "lang_switch_code", "fr");
	tv_set(g3, "lang_switch_label", "Français");
	tv_bool(g3, "nav_pending", true); /* the agreement waits: a count in the navigation */
	tv_set(g3, "pending_count", "1");
	struct tvars *r1 = tv_item(g3, "roles");
	tv_set(r1, "role", "global_admin");
	tv_set(r1, "role_label", "Global admin");
	golden(srcdir, "dashboard", LANG_EN, g3);
	struct sbuf esc = {0};
	tv_set(g3, "user_name", "<img src=x onerror=alert(1)> & \"Co\"");
	ok(tpl_render_page("dashboard", LANG_FR, g3, &esc) == 0 &&
	       strstr(sbuf_cstr(&esc), "Bienvenue, &lt;img src=x onerror=alert(1)&gt; &amp; \"Co\".") &&
	       strstr(sbuf_cstr(&esc), "<img src=x") == NULL,
	   "a value inside a translated sentence is escaped");
	sbuf_free(&esc);

	/* Identifiers (Settings > Account settings > Identifiers), in French. */
	struct tvars *g4 = tv_new(&a, NULL);
	tv_set(g4, "csrf", "CSRF-TOKEN");
	tv_bool(g4, "signed_in", true);
	tv_bool(g4, "is_partner", true);
	tv_bool(g4, "is_admin", true);
	tv_bool(g4, "in_program", true);
	tv_bool(g4, "has_deleted", true);
	tv_set(g4, "user_name", "Ana López");
	tv_set(g4, "lang_switch_href", "/account/identifiers?lang=en");
	tv_set(g4, "lang_switch_code", "en");
	tv_set(g4, "lang_switch_label", "English");
	tv_set(g4, "added", "7654321");
	const char *const ids[][6] = {
	    {"1234566", "global", "Global", "Contoso SAS", "active", ""},
	    {"7654321", "location", "Emplacement", "Contoso Lyon", "active", "yes"},
	    {"4391507", "location", "Emplacement", "Contoso Lille", "inactive", ""},
	};
	for (size_t i = 0; i < 3; i++) {
		struct tvars *it = tv_item(g4, "ids");
		tv_set(it, "partner_id", ids[i][0]);
		tv_set(it, "kind", ids[i][1]);
		tv_set(it, "kind_label", ids[i][2]);
		tv_set(it, "name", ids[i][3]);
		tv_set(it, "country", "FR");
		tv_set(it, "country_name", "France");
		tv_set(it, "status", ids[i][4]);
		tv_set(it, "status_label", i == 2 ? "Inactif" : "Actif");
		tv_set(it, "created", "2026-11-24");
		if (*ids[i][5])
			tv_set(it, "csp_linked", ids[i][5]);
		tv_bool(it, "is_location", i > 0);
		tv_bool(it, "is_active", i < 2);
		tv_setf(it, "status_action", "/account/locations/%s/status", ids[i][0]);
		tv_setf(it, "delete_href", "/account/locations/%s/delete", ids[i][0]);
		if (*ids[i][5]) {
			tv_set(it, "status_refused", "Cet emplacement est lié à votre inscription CSP : il doit rester actif.");
			tv_set(it, "delete_refused", "Cet emplacement est lié à votre inscription CSP et ne peut pas être supprimé.");
		}
	}
	struct tvars *d = tv_item(g4, "deleted_ids");
	tv_set(d, "partner_id", "8559542");
	tv_set(d, "kind_label", "Emplacement");
	tv_set(d, "name", "Contoso Nantes");
	tv_set(d, "country_name", "France");
	tv_set(d, "deleted_on", "2026-11-20");
	golden(srcdir, "identifiers", LANG_FR, g4);
	arena_free(&a);
}

/* The start tag of the element with id="id" in html, as a string in a. */
static const char *
tag_with_id(struct arena *a, const char *html, const char *id)
{
	char *needle = arena_printf(a, " id=\"%s\"", id);
	const char *at = strstr(html, needle);
	if (at == NULL)
		return "";
	const char *start = at;
	while (start > html && *start != '<')
		start--;
	const char *end = strchr(at, '>');
	return arena_strndup(a, start, end ? (size_t)(end - start + 1) : strlen(start));
}

static bool
tag_has(const char *tag, const char *attr)
{
	return strstr(tag, attr) != NULL;
}

/* The form frame (view/frame.c) on a fixture template: ids, aria-describedby
 * with the error only while it shows, aria-invalid, required marks. */
static void
test_form_frame(const char *srcdir)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/unit/templates", srcdir);
	ok(tpl_load_dir(dir) == 0 && tpl_exists("frame_test"), "fixture templates load");
	struct arena a;
	arena_init(&a, 65536);

	struct tvars *v = tv_new(&a, NULL);
	tv_set(v, "err_x", "Bad x");
	tv_set(v, "err_choice", "Pick one");
	tv_set(tv_item(v, "choices"), "value", "a");
	struct tvars *q1 = tv_item(v, "questions");
	tv_set(q1, "name", "q1");
	tv_set(q1, "question", "First?");
	tv_set(q1, "error", "Too short");
	struct tvars *q2 = tv_item(v, "questions");
	tv_set(q2, "name", "q2");
	tv_set(q2, "question", "Second?");
	struct sbuf out = {0};
	ok(tpl_render_fragment("frame_test", LANG_EN, v, &out) == 0, "frame fixture renders");
	const char *html = arena_strdup(&a, sbuf_cstr(&out));
	const char *x = tag_with_id(&a, html, "x");
	ok(tag_has(x, "aria-describedby=\"x-hint x-error\""),
	   "a control with hint and shown error is described by both: %s", x);
	ok(tag_has(x, "aria-invalid=\"true\""), "aria-invalid added while the error shows");
	ok(strstr(html, "<p class=\"hint\" id=\"x-hint\">") != NULL, "the hint gets the id ID-hint");
	ok(strstr(html, "<p class=\"error\" data-field=\"x\" id=\"x-error\">Bad x</p>") != NULL,
	   "the error gets the id ID-error and keeps class error and data-field");
	ok(strstr(html, "<label for=\"x\">Work email<span class=\"req\" aria-hidden=\"true\"> *</span></label>") !=
	       NULL,
	   "the label of a required control is marked");
	ok(strstr(html, "<label for=\"y\">Optional</label>") != NULL, "an optional control is not marked");
	ok(strstr(html, "<p class=\"req-legend\">Fields marked * are required.</p>") != NULL,
	   "a form of several fields explains the mark");
	ok(strstr(html, "action=\"/a\" novalidate=\"novalidate\"") != NULL &&
	       strstr(html, "action=\"/b\" novalidate=\"novalidate\"") != NULL,
	   "a form with required controls gets novalidate (the server's messages speak)");
	const char *y = tag_with_id(&a, html, "y");
	ok(tag_has(y, "aria-describedby=\"help\"") && !tag_has(y, "aria-invalid"),
	   "a control keeps its own aria-describedby, no error no aria-invalid: %s", y);
	const char *group = tag_with_id(&a, html, "choice-group");
	ok(tag_has(group, "<fieldset") && tag_has(group, "tabindex=\"-1\"") &&
	       tag_has(group, "aria-describedby=\"choice-group-error\""),
	   "a radio group's fieldset is the target of its error: %s", group);
	const char *tq1 = tag_with_id(&a, html, "q1"), *tq2 = tag_with_id(&a, html, "q2");
	ok(tag_has(tq1, "aria-describedby=\"q1-error\"") && tag_has(tq1, "aria-invalid=\"true\""),
	   "in a repeat, ids come from the item: %s", tq1);
	ok(strstr(html, "id=\"q1-error\"") != NULL && !tag_has(tq2, "aria-describedby"),
	   "in a repeat, only the item in error is described by it: %s", tq2);
	ok(strstr(html, "<label for=\"code\">Code</label>") != NULL &&
	       strstr(strstr(html, "action=\"/b\""), "req-legend") == NULL,
	   "a form of one field is not marked (nothing to tell apart)");

	/* No error: the hint only, no aria-invalid, no error element. */
	struct tvars *w = tv_new(&a, NULL);
	sbuf_reset(&out);
	ok(tpl_render_fragment("frame_test", LANG_EN, w, &out) == 0, "frame fixture renders without errors");
	html = arena_strdup(&a, sbuf_cstr(&out));
	x = tag_with_id(&a, html, "x");
	ok(tag_has(x, "aria-describedby=\"x-hint\"") && !tag_has(x, "aria-invalid"),
	   "without the error, the control is described by its hint only: %s", x);
	ok(strstr(html, "x-error") == NULL, "no reference to an error that is not there");
	ok(!tag_has(tag_with_id(&a, html, "choice-group"), "aria-describedby"),
	   "a group without error is not described");

	/* A data-t error message: the summary of a page translates it; here
	 * the text of the fragment. */
	struct tvars *c = tv_new(&a, NULL);
	tv_bool(c, "err_code", true);
	sbuf_reset(&out);
	tpl_render_fragment("frame_test", LANG_EN, c, &out);
	ok(tag_has(tag_with_id(&a, sbuf_cstr(&out), "code"), "aria-describedby=\"code-error\""),
	   "an error with a static message is wired too");
	sbuf_free(&out);
	arena_free(&a);
	snprintf(dir, sizeof(dir), "%s/www/templates", srcdir);
	tpl_load_dir(dir);
}

/* The error summary and the title of a page with field errors: the links go
 * to the controls' ids as the frame found them, in the order of the page,
 * only for the fields of the form shown. */
static void
test_error_summary(void)
{
	struct arena a;
	arena_init(&a, 65536);
	struct tvars *v = tv_new(&a, NULL);
	tv_set(v, "err_country", "Choose a country from the list.");
	tv_set(v, "inv_country", "true");
	tv_set(v, "err_email", "Enter a valid email address.");
	tv_set(v, "inv_email", "true");
	struct sbuf out = {0};
	ok(tpl_render_page("signup", LANG_EN, v, &out) == 0, "signup with errors renders");
	const char *html = sbuf_cstr(&out);
	ok(strstr(html, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"") != NULL,
	   "the error summary is there, focusable");
	const char *l1 = strstr(html, "<a href=\"#email\">Work email: Enter a valid email address.</a>");
	const char *l2 = strstr(html, "<a href=\"#country\">Company country: Choose a country from the list.</a>");
	ok(l1 && l2 && l1 < l2,
	   "one link per error to the control's id, named after its label, in the order of the form");
	ok(strstr(html, "<main id=\"main\"><div class=\"error-summary\"") != NULL,
	   "the summary comes first in the main content");
	ok(strstr(html, "data-field=\"error-summary\"") == NULL &&
	       strstr(strstr(html, "error-summary"), "class=\"error\" data-field=\"email\"") != NULL,
	   "the summary is no field error element; the field error stays");
	const char *email = tag_with_id(&a, html, "email");
	ok(tag_has(email, "aria-describedby=\"email-error\"") && tag_has(email, "aria-invalid=\"true\""),
	   "the control in error is described by its message: %s", email);
	ok(strstr(html, "<title>Error: Create your company account</title>") != NULL, "title says Error:");
	sbuf_reset(&out);
	ok(tpl_render_page("signup", LANG_FR, v, &out) == 0 &&
	       strstr(sbuf_cstr(&out), "<title>Erreur : ") != NULL &&
	       strstr(sbuf_cstr(&out), ">Il y a un problème</h2>") != NULL,
	   "in French: Erreur : and the heading");
	ok(strstr(sbuf_cstr(&out), "<li><a href=\"#email\">E-mail professionnel : Enter") != NULL,
	   "in French the field's name is translated, with the French colon");
	const char *first = strstr(sbuf_cstr(&out), "href=\"#email\"");
	ok(first && strstr(first + 1, "href=\"#email\"") == NULL, "no duplicate link");

	/* Two forms with the same field names: the link goes to the control of
	 * the form shown (csp_enroll step 2 manual form: m_*, step 3: plain). */
	struct tvars *w = tv_new(&a, NULL);
	tv_bool(w, "editable", true);
	tv_bool(w, "step2", true);
	tv_set(w, "err_address_line1", "This field is required.");
	sbuf_reset(&out);
	tpl_render_page("csp_enroll", LANG_EN, w, &out);
	ok(strstr(sbuf_cstr(&out), "<a href=\"#m_address_line1\">") != NULL &&
	       strstr(sbuf_cstr(&out), "<a href=\"#address_line1\">") == NULL,
	   "step 2: the link goes to the manual form's control");
	tv_bool(w, "step2", false);
	tv_bool(w, "step3", true);
	sbuf_reset(&out);
	tpl_render_page("csp_enroll", LANG_EN, w, &out);
	ok(strstr(sbuf_cstr(&out), "<a href=\"#address_line1\">") != NULL &&
	       strstr(sbuf_cstr(&out), "<a href=\"#m_address_line1\">") == NULL,
	   "step 3: the link goes to the address form's control");

	/* Errors set by hand under other names (two-factor forms). */
	struct tvars *t = tv_new(&a, NULL);
	tv_bool(t, "enabled", true);
	tv_bool(t, "may_disable", true);
	tv_set(t, "off_err_code", "Wrong code.");
	sbuf_reset(&out);
	tpl_render_page("twofactor", LANG_EN, t, &out);
	ok(strstr(sbuf_cstr(&out), "<a href=\"#off_code\">Code from the app: Wrong code.</a>") != NULL,
	   "a form's own error variable links to its own control");

	/* No error: no summary, plain title. */
	struct tvars *n = tv_new(&a, NULL);
	sbuf_reset(&out);
	tpl_render_page("signup", LANG_EN, n, &out);
	ok(strstr(sbuf_cstr(&out), "error-summary") == NULL &&
	       strstr(sbuf_cstr(&out), "<title>Create your company account</title>") != NULL,
	   "without errors: no summary, the title as it is");
	sbuf_free(&out);
	arena_free(&a);
}

/* Email text: the same compiled templates as pages, run in text mode. Values
 * are written as they are (no escaping, nothing parsed), white space
 * collapses as in a browser, each block is a paragraph, the data-title
 * element is the subject and not part of the body. */
static void
mail_golden(const char *srcdir, const char *file, const char *name, enum lang lang,
            struct tvars *v, struct arena *a)
{
	struct sbuf out = {0};
	const char *subject = tpl_title(name, lang, v, a);
	sbuf_printf(&out, "Subject: %s\n\n", subject ? subject : "(none)");
	ok(tpl_render_text(name, lang, v, &out) == 0, "text of %s (%s)", name, lang_code(lang));
	check_golden(srcdir, file, sbuf_cstr(&out));
	sbuf_free(&out);
}

static void
test_mail_goldens(const char *srcdir)
{
	struct arena a;
	arena_init(&a, 16384);
	struct tvars *v = tv_new(&a, NULL);
	tv_set(v, "name", "Ana");
	tv_set(v, "link", "http://127.0.0.1:8080/verify-email?token=abc");
	mail_golden(srcdir, "mail_verify.en.txt", "mail_verify", LANG_EN, v, &a);
	v = tv_new(&a, NULL);
	tv_set(v, "name", "Zoë <b>&amp;</b> & Co");
	tv_set(v, "link", "http://127.0.0.1:8080/verify-email?token=a&b=<c>");
	mail_golden(srcdir, "mail_verify.fr.txt", "mail_verify", LANG_FR, v, &a);
	for (int l = 0; l < LANG__MAX; l++) {
		v = tv_new(&a, NULL);
		tv_set(v, "name", "Ana López");
		tv_set(v, "inviter", "Bob \"the boss\" <bob@contoso.example>");
		tv_set(v, "company", "Smith &amp; Sons & Co");
		tv_set(v, "link", "http://127.0.0.1:8080/set-password?token=abc");
		char file[64];
		snprintf(file, sizeof(file), "mail_invite.%s.txt", lang_code((enum lang)l));
		mail_golden(srcdir, file, "mail_invite", (enum lang)l, v, &a);
	}
	static const char *const password_mails[] = {"mail_password_reset", "mail_password_changed"};
	for (size_t m = 0; m < 2; m++)
		for (int l = 0; l < LANG__MAX; l++) {
			v = tv_new(&a, NULL);
			tv_set(v, "name", "Ana López");
			tv_set(v, "link", m ? "http://127.0.0.1:8080/password/forgot"
			                    : "http://127.0.0.1:8080/password/reset?token=abc");
			char file[64];
			snprintf(file, sizeof(file), "%s.%s.txt", password_mails[m],
			         lang_code((enum lang)l));
			mail_golden(srcdir, file, password_mails[m], (enum lang)l, v, &a);
		}
	/* The directory's lead email: the customer's text as typed, line by line. */
	for (int l = 0; l < LANG__MAX; l++) {
		v = tv_new(&a, NULL);
		tv_set(v, "profile", "Alpha & Co <Conseil>");
		tv_set(v, "customer", "Jeanne \"JC\" Client");
		tv_set(v, "email", "jeanne@customer.example");
		tv_set(v, "company", l ? "" : "Client SA &amp; fils");
		tv_set(v, "country", l ? "France" : "Belgium");
		tv_set(v, "phone", l ? "+33 1 23 45 67 89" : "");
		tv_set(tv_item(v, "message_lines"), "line", "Bonjour,");
		tv_set(tv_item(v, "message_lines"), "line", "we need <help> with   our cloud.");
		tv_set(v, "link", arena_printf(&a, "http://127.0.0.1:8080/leads/42?lang=%s",
		                               lang_code((enum lang)l)));
		char file[64];
		snprintf(file, sizeof(file), "mail_lead.%s.txt", lang_code((enum lang)l));
		mail_golden(srcdir, file, "mail_lead", (enum lang)l, v, &a);
	}
	static const enum csp_mail_kind kinds[] = {CSP_MAIL_SUBMITTED, CSP_MAIL_APPROVED,
	                                           CSP_MAIL_REJECTED, CSP_MAIL_DOCUMENT,
	                                           CSP_MAIL_QUESTIONNAIRE};
	const char *company = "A & B &lt;C&gt; SAS";
	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		enum lang lang = k % 2 ? LANG_FR : LANG_EN;
		char subject[256];
		audit_fill(tr(lang, csp_mail_subject(kinds[k])), &company, 1, subject, sizeof(subject));
		v = tv_new(&a, NULL);
		tv_set(v, "subject", subject);
		tv_set(v, "name", "Ana");
		tv_set(v, "company", company);
		tv_set(v, "note", k < 2 ? "" : "The <K-bis> & the \"tax\" form, &amp; quickly.");
		tv_bool(v, csp_mail_code(kinds[k]), true);
		tv_set(v, "link", arena_printf(&a, "http://127.0.0.1:8080/%s?lang=%s",
		                               k == 1 ? "actions" : "csp/enroll", lang_code(lang)));
		char file[64];
		snprintf(file, sizeof(file), "mail_csp.%s.%s.txt", csp_mail_code(kinds[k]), lang_code(lang));
		mail_golden(srcdir, file, "mail_csp", lang, v, &a);
	}
	/* Each CSP email has a subject of its own, in both languages, translated. */
	for (int l = 0; l < LANG__MAX; l++)
		for (int i = CSP_MAIL_SUBMITTED; i < CSP_MAIL__MAX; i++) {
			const char *si = tr((enum lang)l, csp_mail_subject((enum csp_mail_kind)i));
			bool distinct = i18n_has((enum lang)l, csp_mail_subject((enum csp_mail_kind)i));
			for (int j = CSP_MAIL_SUBMITTED; j < i; j++)
				distinct = distinct &&
				           strcmp(si, tr((enum lang)l, csp_mail_subject((enum csp_mail_kind)j)));
			ok(distinct, "mail_csp %s (%s): a translated subject of its own", csp_mail_code(i),
			   lang_code((enum lang)l));
		}
	arena_free(&a);
}

struct text_case {
	const char *what, *tpl;
	enum lang   lang;
	const char *vars[6][2];  /* name, value; a NULL value is boolean true */
	const char *items[3][2]; /* label, href of the list "items" */
	const char *subject;     /* NULL: not checked */
	const char *body;        /* whole body, or a line it has when it starts with '~' */
};

static const struct text_case text_cases[] = {
    {"a value's markup stays as written", "mail_verify", LANG_EN,
     {{"name", "A & B <b>bold</b>"}, {"link", "http://h/p?a=1&b=<2>"}}, {{0}}, NULL,
     "Hello A & B <b>bold</b>,\n\nPlease confirm that this address is yours by opening the link "
     "below. It is valid for 48 hours and can be used once.\n\nhttp://h/p?a=1&b=<2>\n\nIf you did "
     "not create an account, ignore this message.\n"},
    {"entities in a value are not decoded", "mail_invite", LANG_EN,
     {{"name", "&amp; &lt;x&gt; &#38; &unknown;"}, {"inviter", "&quot;Bob&quot;"},
      {"company", "Smith &amp; Sons"}, {"link", "http://h/?q=&amp;"}},
     {{0}}, "You are invited to partnerdesk", "~Hello &amp; &lt;x&gt; &#38; &unknown;,"},
    {"entities in a translated text's value", "mail_invite", LANG_FR,
     {{"name", "Ana"}, {"inviter", "&quot;Bob&quot;"}, {"company", "Smith &amp; Sons"}}, {{0}},
     NULL,
     "~&quot;Bob&quot; vous invite à rejoindre Smith &amp; Sons sur le portail partenaires. "
     "Choisissez votre mot de passe avec le lien ci-dessous ; il est valable 7 jours et ne peut "
     "servir qu’une fois."},
    {"subject: value interpolated as written", "mail_csp", LANG_EN,
     {{"subject", "Smith &amp; Sons <x> & co"}}, {{0}}, "Smith &amp; Sons <x> & co", NULL},
    {"subject in French", "mail_invite", LANG_FR, {{"name", "Ana"}}, {{0}},
     "Vous êtes invité(e) sur partnerdesk", NULL},
    {"subject: unset value kept as a placeholder", "mail_csp", LANG_EN, {{0}}, {{0}},
     "{subject}", NULL},
    {"the title is not in the body", "mail_verify", LANG_EN, {{"name", "Ana"}}, {{0}}, NULL,
     "~Hello Ana,"},
    {"a value's placeholder is not interpolated", "mail_verify", LANG_EN,
     {{"name", "{link}"}, {"link", "L"}}, {{0}}, NULL, "~Hello {link},"},
    {"white space in a value collapses", "mail_verify", LANG_EN, {{"name", "  Ana\n\tLópez"}},
     {{0}}, NULL, "~Hello Ana López,"},
    {"data-if keeps the approved paragraph only", "mail_csp", LANG_EN,
     {{"name", "Ana"}, {"company", "C"}, {"approved", NULL}, {"note", ""}, {"link", "/actions"}},
     {{0}}, NULL,
     "Hello Ana,\n\nYour application is approved. To activate your CSP account, a global admin "
     "of your company must accept the partner agreement in the portal's pending actions.\n\nOpen "
     "the portal:\n\n/actions\n"},
    {"data-if with the note of a rejection", "mail_csp", LANG_FR,
     {{"name", "Ana"}, {"rejected", NULL}, {"note", "Pas de <K-bis> & &amp;"}, {"link", "/csp"}},
     {{0}}, NULL,
     "Bonjour Ana,\n\nVotre demande a été refusée. Motif :\n\nPas de <K-bis> & &amp;\n\nOuvrez "
     "le portail :\n\n/csp\n"},
    {"data-repeat: one line per item, a link's address after its text", "mail_test", LANG_EN,
     {{"name", "Ana"}, {"company", "C & D"}},
     {{"Order <1>", "https://example.test/o/1?a&b"}, {"https://example.test/o/2", "https://example.test/o/2"},
      {"&amp;", NULL}},
     "Orders of C & D",
     "Hello Ana,\n\nOrder <1>: Order <1> <https://example.test/o/1?a&b>\n\n"
     "https://example.test/o/2: https://example.test/o/2\n\n&amp;: &amp;\n\n"
     "Line one\nline two\n\nthe help pages <https://example.test/help>, https://example.test/\n"},
    {"data-repeat with no item: data-if=\"!items\"", "mail_test", LANG_EN, {{"name", "Ana"}},
     {{0}}, "Orders of {company}",
     "Hello Ana,\n\nNo orders.\n\nLine one\nline two\n\nthe help pages "
     "<https://example.test/help>, https://example.test/\n"},
};

/* Runs text_cases; mail_test lives in tests/unit/templates, the others in
 * www/templates: the set in use is switched when a case needs the other. */
static void
test_text_mode(const char *srcdir)
{
	char www[4096], test[4096];
	snprintf(www, sizeof(www), "%s/www/templates", srcdir);
	snprintf(test, sizeof(test), "%s/tests/unit/templates", srcdir);
	struct arena a;
	arena_init(&a, 16384);
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(*text_cases); i++) {
		const struct text_case *c = &text_cases[i];
		if (!tpl_exists(c->tpl))
			tpl_load_dir(strcmp(c->tpl, "mail_test") == 0 ? test : www);
		struct tvars *v = tv_new(&a, NULL);
		for (size_t j = 0; j < 6 && c->vars[j][0]; j++) {
			if (c->vars[j][1])
				tv_set(v, c->vars[j][0], c->vars[j][1]);
			else
				tv_bool(v, c->vars[j][0], true);
		}
		for (size_t j = 0; j < 3 && c->items[j][0]; j++) {
			struct tvars *it = tv_item(v, "items");
			tv_set(it, "label", c->items[j][0]);
			if (c->items[j][1])
				tv_set(it, "href", c->items[j][1]);
		}
		if (c->subject)
			is_str(tpl_title(c->tpl, c->lang, v, &a), c->subject, "text: %s (subject)", c->what);
		if (c->body == NULL)
			continue;
		struct sbuf out = {0};
		int rc = tpl_render_text(c->tpl, c->lang, v, &out);
		if (c->body[0] == '~') {
			/* One whole line of the body. */
			char *lines = arena_printf(&a, "\n%s", sbuf_cstr(&out));
			char *line = arena_printf(&a, "\n%s\n", c->body + 1);
			ok(rc == 0 && strstr(lines, line) != NULL, "text: %s", c->what);
			if (strstr(lines, line) == NULL)
				printf("# got:\n%s", sbuf_cstr(&out));
		} else {
			is_str(rc == 0 ? sbuf_cstr(&out) : NULL, c->body, "text: %s", c->what);
		}
		sbuf_free(&out);
	}
	arena_free(&a);
	if (!tpl_exists("layout"))
		tpl_load_dir(www);
}

/* Session cookies: Secure and __Host- from the configured base_url, whatever
 * the proxy passes (issue 10); http keeps today's names (tests, CONTRACT). */
static void
test_cookies(void)
{
	struct arena a;
	arena_init(&a, 0);
	static const struct {
		const char *base_url;
		bool        proxy_https;
		long        max_age;
		const char *want;
	} cases[] = {
	    {"http://127.0.0.1:8080", false, -1, "pd_session=T; Path=/; HttpOnly; SameSite=Lax"},
	    {"http://127.0.0.1:8080", false, 0,
	     "pd_session=T; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"},
	    {"http://portal.example", true, -1,
	     "pd_session=T; Path=/; HttpOnly; SameSite=Lax; Secure"},
	    {"https://portal.example", false, -1,
	     "__Host-pd_session=T; Path=/; HttpOnly; SameSite=Lax; Secure"},
	    {"https://portal.example", true, -1,
	     "__Host-pd_session=T; Path=/; HttpOnly; SameSite=Lax; Secure"},
	    {"HTTPS://Portal.example/", false, 0,
	     "__Host-pd_session=T; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure"},
	    {"https://portal.example", false, 3600,
	     "__Host-pd_session=T; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600; Secure"},
	    {NULL, false, -1, "pd_session=T; Path=/; HttpOnly; SameSite=Lax"},
	    {"httpsx://portal.example", false, -1, "pd_session=T; Path=/; HttpOnly; SameSite=Lax"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct cookie_attrs c = cookie_attrs_for(cases[i].base_url, cases[i].proxy_https);
		const char *got = cookie_header(&a, c, "pd_session", "T", cases[i].max_age);
		is_str(got, cases[i].want, "cookie for base_url %s%s, max-age %ld",
		       cases[i].base_url ? cases[i].base_url : "(none)",
		       cases[i].proxy_https ? " behind HTTPS=on" : "", cases[i].max_age);
		ok(strstr(got, "Domain=") == NULL, "no Domain attribute (__Host- needs none)");
	}
	arena_free(&a);
}

/* The client address behind trusted proxies (README "Configuration"): only
 * the addresses the trusted proxies appended to X-Forwarded-For count. */
static void
test_client_addr(void)
{
	struct arena a;
	arena_init(&a, 0);
	static const char trusted[] = "10.0.0.1, 10.0.0.2 ::1";
	static const struct {
		const char *remote, *xff, *trusted, *want, *why;
	} cases[] = {
	    {"203.0.113.7", NULL, trusted, "203.0.113.7", "no header: the peer"},
	    {"203.0.113.7", "198.51.100.1", trusted, "203.0.113.7",
	     "a client's own header is never believed"},
	    {"203.0.113.7", "198.51.100.1", "", "203.0.113.7", "no trusted proxy configured"},
	    {"10.0.0.1", "198.51.100.1", trusted, "198.51.100.1", "behind one trusted proxy"},
	    {"10.0.0.1", "6.6.6.6, 198.51.100.1", trusted, "198.51.100.1",
	     "what the client prepended is ignored"},
	    {"10.0.0.1", "198.51.100.1,10.0.0.2", trusted, "198.51.100.1",
	     "two trusted proxies in a row"},
	    {"::1", "2001:db8::5", trusted, "2001:db8::5", "IPv6"},
	    {"10.0.0.1", "10.0.0.2", trusted, "10.0.0.2", "only proxies: the last one"},
	    {"10.0.0.1", "", trusted, "10.0.0.1", "an empty header: the peer"},
	    {"10.0.0.1", "1.2.3.4, <script>", trusted, "10.0.0.1",
	     "a malformed entry: the proxy's address"},
	    {"10.0.0.10", "198.51.100.1", trusted, "10.0.0.10",
	     "addresses are compared whole (10.0.0.1 is not 10.0.0.10)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		is_str(http_client_addr(&a, cases[i].remote, cases[i].xff, cases[i].trusted),
		       cases[i].want, "client address: %s", cases[i].why);
	ok(http_addr_listed("127.0.0.1 127.0.0.3", "127.0.0.3") &&
	       !http_addr_listed("127.0.0.1", "127.0.0.") && !http_addr_listed("", "127.0.0.1") &&
	       !http_addr_listed("127.0.0.1", ""),
	   "address lists: whole entries only");
	arena_free(&a);
}

/* Pre-session tokens: only the server's are taken. */
static void
test_pre_tokens(void)
{
	struct arena a;
	arena_init(&a, 0);
	unsigned char key[32], other[32];
	randombytes_buf(key, sizeof(key));
	randombytes_buf(other, sizeof(other));
	const char *t = pre_token_new(&a, key), *t2 = pre_token_new(&a, key);
	ok(pre_token_valid(key, t), "an issued pre-session token is valid");
	ok(token_well_formed(t) && strlen(t) == 54, "it is a well-formed token of 54 characters");
	ok(strcmp(t, t2) != 0, "two tokens differ");
	ok(!pre_token_valid(other, t), "a token is not valid under another key");
	char *forged = arena_strdup(&a, t);
	forged[53] = forged[53] == 'A' ? 'B' : 'A';
	ok(!pre_token_valid(key, forged), "a token with a changed MAC is refused");
	forged = arena_strdup(&a, t);
	forged[0] = forged[0] == 'A' ? 'B' : 'A';
	ok(!pre_token_valid(key, forged), "a token with a changed random part is refused");
	static const char *const bad[] = {
	    NULL, "", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "well-formed-but-made-up-by-the-client-0123456789abcdefgh",
	    "++++++++++++++++++++++++++++++++++++++++++++++++++++++"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(!pre_token_valid(key, bad[i]), "made-up pre-session value %zu refused", i);
	ok(!pre_token_valid(key, arena_printf(&a, "%s=", t)), "a longer value is refused");
	arena_free(&a);
}

/* The shared file cache: what is put is got back with its generation,
 * bounded by its slots and size, and anything unreadable is a miss. */
static void
test_filecache(void)
{
	char dir[] = "/tmp/pd-filecache-XXXXXX";
	if (mkdtemp(dir) == NULL) {
		ok(0, "a temporary directory for the file cache");
		return;
	}
	char sub[256];
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	struct filecache c;
	struct arena a;
	arena_init(&a, 4096);
	ok(filecache_open(&c, sub, 4, 64) == 0, "the cache makes its directory and parents");
	long long g = -1;
	size_t len = 1;
	ok(filecache_get(&c, &a, "FR+cloud", &g, &len) == NULL && len == 0, "an empty cache misses");
	ok(filecache_put(&c, "FR+cloud", 7, "abc\0def", 7) == 0, "a value is kept");
	const char *v = filecache_get(&c, &a, "FR+cloud", &g, &len);
	ok(v && len == 7 && memcmp(v, "abc\0def", 7) == 0 && v[7] == '\0' && g == 7,
	   "it reads back whole, bytes and generation");
	ok(filecache_put(&c, "FR+cloud", 8, "xyz", 3) == 0 &&
	       (v = filecache_get(&c, &a, "FR+cloud", &g, &len)) && len == 3 && g == 8,
	   "a new value of the same key replaces the old one");
	ok(filecache_get(&c, &a, "FR+clou", &g, &len) == NULL &&
	       filecache_get(&c, &a, "FR+cloudy", &g, &len) == NULL,
	   "another key (a prefix, a longer one) misses");
	char big[65] = {0};
	ok(filecache_put(&c, "big", 1, big, sizeof(big)) != 0, "a value above the size bound is not kept");
	ok(filecache_put(&c, "exact", 1, big, 64) == 0, "a value of exactly the bound is kept");
	unsigned slot[2];
	filecache_slots(&c, "FR+cloud", slot);
	ok(slot[0] != slot[1] && slot[0] < 4 && slot[1] < 4, "a key has two different slots in range");
	/* More keys than slots: never more files than slots, and the newest stays. */
	for (int i = 0; i < 40; i++) {
		char key[16];
		snprintf(key, sizeof(key), "key%d", i);
		filecache_put(&c, key, i, key, strlen(key));
	}
	int files = 0;
	for (unsigned s = 0; s < 8; s++) {
		char path[300];
		snprintf(path, sizeof(path), "%s/%04x", sub, s);
		files += access(path, F_OK) == 0;
	}
	ok(files <= 4, "no more files than slots (%d)", files);
	ok((v = filecache_get(&c, &a, "key39", &g, &len)) && g == 39 && len == 5,
	   "the last key written is there");
	/* A corrupt file (truncated, wrong magic) is a miss, and is replaced. */
	filecache_put(&c, "victim", 3, "value", 5);
	filecache_slots(&c, "victim", slot);
	for (int i = 0; i < 2; i++) {
		char path[300];
		snprintf(path, sizeof(path), "%s/%04x", sub, slot[i]);
		FILE *f = fopen(path, "w");
		if (f) {
			fputs("PDFC", f);
			fclose(f);
		}
	}
	ok(filecache_get(&c, &a, "victim", &g, &len) == NULL, "a truncated entry is a miss");
	ok(filecache_put(&c, "victim", 4, "again", 5) == 0 &&
	       filecache_get(&c, &a, "victim", &g, &len) && g == 4,
	   "and is written over");
	struct filecache off;
	ok(filecache_open(&off, "/proc/pd-no-such-dir/x", 4, 64) != 0 &&
	       filecache_put(&off, "k", 1, "v", 1) != 0 && filecache_get(&off, &a, "k", &g, &len) == NULL,
	   "a cache that cannot open keeps nothing and misses");
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	ok(system(cmd) == 0, "the temporary directory is removed");
	arena_free(&a);
}

/* A country's cards file: every card found by id with its strings and
 * logo, a missing id or a damaged file found nothing. */
static void
test_cards_file(void)
{
	const struct directory_card cards[] = {
	    {3, "alpha", "Alpha", "We secure clouds.", true},
	    {17, "beta-co", "Beta Co", "", false},
	    {40000, "gamma", "Gamma Intégration", "Intégration de données.", false},
	};
	struct sbuf out = {0};
	db_directory_cards_encode(cards, 3, 1700000000123456LL, &out);
	const unsigned char *p = (const unsigned char *)out.p;
	struct directory_card c;
	bool all = true;
	for (size_t i = 0; i < 3; i++)
		all = all && db_directory_cards_find(p, out.len, cards[i].id, &c) && c.id == cards[i].id &&
		      strcmp(c.slug, cards[i].slug) == 0 && strcmp(c.name, cards[i].name) == 0 &&
		      strcmp(c.summary, cards[i].summary) == 0 && c.has_logo == cards[i].has_logo;
	ok(all, "every card is found by id with its slug, name, summary and logo");
	ok(!db_directory_cards_find(p, out.len, 4, &c) && !db_directory_cards_find(p, out.len, 0, &c) &&
	       !db_directory_cards_find(p, out.len, 40001, &c),
	   "an id between, before or after the cards is not found");
	ok(!db_directory_cards_find(p, out.len - 1, 40000, &c), "a file cut short does not give its last card");
	ok(!db_directory_cards_find(p, 20, 3, &c), "a file shorter than its head gives nothing");
	char *bad = malloc(out.len);
	memcpy(bad, out.p, out.len);
	bad[0] = 'X';
	ok(!db_directory_cards_find((const unsigned char *)bad, out.len, 3, &c), "another magic gives nothing");
	free(bad);
	db_directory_cards_encode(cards, 0, 1, &out);
	ok(!db_directory_cards_find((const unsigned char *)out.p, out.len, 3, &c), "an empty country has no card");
	sbuf_free(&out);
}

/* Markup a template rendered is the only markup a variable may hold
 * (tv_html): written as it is, while the same text set as a string is
 * escaped; and a fragment's inner markup drops its root element. */
static void
test_trusted_markup(void)
{
	struct arena a;
	arena_init(&a, 65536);
	struct tvars *c = tv_new(&a, NULL);
	struct tvars *it = tv_item(c, "countries");
	tv_set(it, "code", "FR");
	tv_set(it, "name", "<France & co>");
	tv_bool(it, "selected", true);
	const struct tpl_html *h = tpl_render_inner("country_options", LANG_EN, c, &a);
	struct tvars *t = tv_new(&a, NULL);
	tv_html(t, "m", h);
	const char *m = tv_get(t, "m");
	ok(m && strstr(m, "<option value=\"\">All countries</option>") &&
	       strstr(m, "<option value=\"FR\" selected=\"selected\">&lt;France &amp; co&gt;</option>") &&
	       !strstr(m, "<select") && !strstr(m, "</select>"),
	   "a fragment's inner markup: its options, values escaped, without its root");
	ok(tpl_render_inner("no_such_template", LANG_EN, c, &a) == NULL, "an unknown fragment gives nothing");
	struct sbuf out = {0};
	struct tvars *v = tv_new(&a, NULL);
	tv_html(v, "country_options", h);
	ok(tpl_render_page("directory", LANG_EN, v, &out) == 0 &&
	       strstr(sbuf_cstr(&out), "<select id=\"country\" name=\"country\">") &&
	       strstr(sbuf_cstr(&out), "<option value=\"FR\" selected=\"selected\">"),
	   "markup set with tv_html is written as it is");
	struct tvars *w = tv_new(&a, NULL);
	tv_set(w, "country_options", "<option value=\"FR\">x</option>");
	ok(tpl_render_page("directory", LANG_EN, w, &out) == 0 &&
	       strstr(sbuf_cstr(&out), "&lt;option value=\"FR\"&gt;x&lt;/option&gt;") &&
	       !strstr(sbuf_cstr(&out), "<option value=\"FR\">x"),
	   "the same markup set as a string is escaped");
	const struct tpl_html *k = tpl_html_keep(h);
	struct tvars *kv = tv_new(&a, NULL);
	tv_html(kv, "m", k);
	ok(k && k != h && strcmp(tv_get(kv, "m"), m ? m : "") == 0, "kept markup is a copy of the same markup");
	tpl_html_free(k);
	sbuf_free(&out);
	arena_free(&a);
}

int
main(void)
{
	const char *srcdir = getenv("PD_SRCDIR") ? getenv("PD_SRCDIR") : ".";
	const char *localedir = getenv("PD_LOCALEDIR") ? getenv("PD_LOCALEDIR") : "po";
	char tdir[4096];
	snprintf(tdir, sizeof(tdir), "%s/www/templates", srcdir);
	if (i18n_init(localedir) != 0 || tpl_load_dir(tdir) != 0) {
		printf("Bail out! cannot load catalogs from %s or templates from %s\n", localedir, tdir);
		return 1;
	}
	if (sodium_init() < 0) {
		printf("Bail out! sodium_init\n");
		return 1;
	}
	test_email_rules();
	test_filecache();
	test_cards_file();
	test_validators();
	test_cookies();
	test_client_addr();
	test_pre_tokens();
	test_routes();
	test_languages();
	test_templates(srcdir);
	test_form_frame(srcdir);
	test_error_summary();
	test_trusted_markup();
	test_mail_goldens(srcdir);
	test_text_mode(srcdir);
	tpl_free_all();
	i18n_free();
	return done_testing();
}
