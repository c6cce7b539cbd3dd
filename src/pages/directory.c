/* The public directory (DOMAIN §5, CONTRACT "Public directory"), for
 * anyone: the search by country, keywords and facets, a profile's public
 * page in the variant of the visitor's country, its logo, and the contact
 * form that creates a lead for the managing partner ID. No page here ever
 * shows a partner ID: the queries (db/directory.h) do not read one. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/log.h"
#include "db/directory.h"
#include "db/leads.h"
#include "domain/directory.h"
#include "domain/profile_content.h"
#include "pages/pages.h"
#include "view/template.h"

#define CONTACT_MESSAGE_MAX 2000 /* characters (CONTRACT "Public directory") */
#define CONTACT_HONEYPOT    "website_url"

static const struct form_field contact_fields[] = {
    {"name", FT_TEXT, true, 1, 100, NULL},
    {"email", FT_EMAIL, true, 3, 254, NULL},
    {"company", FT_TEXT, false, 0, 200, NULL},
    {"country", FT_COUNTRY, true, 2, 2, NULL},
    {"phone", FT_PHONE, false, 0, 30, NULL},
    {"message", FT_MULTILINE, true, 1, CONTACT_MESSAGE_MAX, NULL},
};

/* The fixed list of a facet's values (profile_content.h). */
static const struct profile_choice *
facet_choices(enum directory_facet f, size_t *n)
{
	switch (f) {
	case DIRECTORY_FACET_SOLUTION_AREA:
		return profile_solution_areas(n);
	case DIRECTORY_FACET_INDUSTRY:
		return profile_industries(n);
	default:
		return profile_common_languages(n);
	}
}

/* The label of a facet value in the request's language (the code itself
 * when the list does not have it, e.g. a rarer language). */
static const char *
facet_label(struct req *r, enum directory_facet f, const char *code)
{
	size_t n;
	const struct profile_choice *list = facet_choices(f, &n);
	const char *label = profile_choice_label(list, n, code);
	return label ? tr(r->lang, label) : code;
}

/* Labels of comma-separated codes, joined by ", ". */
static const char *
facet_labels(struct req *r, enum directory_facet f, const char *const *codes, size_t n)
{
	struct sbuf out = {0};
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_adds(&out, ", ");
		sbuf_adds(&out, facet_label(r, f, codes[i]));
	}
	const char *s = arena_strdup(r->a, sbuf_cstr(&out));
	sbuf_free(&out);
	return s;
}

/* A comma-separated list split in place (arena copy). */
static const char **
split_list(struct arena *a, const char *list, size_t *n)
{
	char *s = arena_strdup(a, list ? list : "");
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == ',';
	const char **out = arena_alloc(a, sizeof(*out) * (cap + 1));
	*n = 0;
	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ","))
		out[(*n)++] = tok;
	return out;
}

/* The search's URL with facet f set to value (f = DIRECTORY_FACET__MAX:
 * unchanged) and the page (1 leaves it out). */
static const char *
search_href(struct req *r, const struct directory_query *dq, int f, const char *value, long page)
{
	/* Called for every facet link of a page: plain appends, no printf. */
	struct sbuf u = {0};
	sbuf_adds(&u, "/partners");
	const char *sep = "?";
	if (*dq->country) {
		sbuf_adds(&u, sep);
		sbuf_adds(&u, "country=");
		sbuf_adds(&u, dq->country);
		sep = "&";
	}
	if (*dq->q) {
		sbuf_adds(&u, sep);
		sbuf_adds(&u, "q=");
		sbuf_adds(&u, http_url_encode(r->a, dq->q));
		sep = "&";
	}
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++) {
		const char *v = i == f ? value : dq->facet[i];
		if (v && *v) {
			sbuf_adds(&u, sep);
			sbuf_adds(&u, directory_facet_code((enum directory_facet)i));
			sbuf_adds(&u, "=");
			sbuf_adds(&u, http_url_encode(r->a, v));
			sep = "&";
		}
	}
	if (page > 1)
		sbuf_printf(&u, "%spage=%ld", sep, page);
	const char *s = arena_strndup(r->a, u.p, u.len);
	sbuf_free(&u);
	return s;
}

/* The options of the search form's facet selects. */
static void
facet_options(struct req *r, struct tvars *v, const struct directory_query *dq)
{
	static const char *const lists[DIRECTORY_FACET__MAX] = {"opt_solution_area", "opt_industry",
	                                                        "opt_language"};
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++) {
		size_t n;
		const struct profile_choice *list = facet_choices((enum directory_facet)f, &n);
		bool listed = false;
		for (size_t i = 0; i < n; i++) {
			struct tvars *it = tv_item(v, lists[f]);
			tv_set(it, "code", list[i].code);
			tv_set(it, "name", tr(r->lang, list[i].label));
			bool sel = strcmp(dq->facet[f], list[i].code) == 0;
			tv_bool(it, "selected", sel);
			listed = listed || sel;
		}
		if (*dq->facet[f] && !listed) {
			struct tvars *it = tv_item(v, lists[f]);
			tv_set(it, "code", dq->facet[f]);
			tv_set(it, "name", dq->facet[f]);
			tv_bool(it, "selected", true);
		}
	}
}

/* The facet counts as links that add (or, for the value chosen, remove)
 * the filter: lists facet_<code> of (value, label, count, href, current),
 * in the order of the fixed lists, other values after. */
static void
facet_vars(struct req *r, struct tvars *v, const struct directory_query *dq,
           const struct directory_facet_count *rows, size_t n)
{
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++) {
		const char *list = arena_printf(r->a, "facet_%s", directory_facet_code((enum directory_facet)f));
		size_t nchoices;
		const struct profile_choice *choices = facet_choices((enum directory_facet)f, &nchoices);
		bool *shown = arena_alloc(r->a, n + 1);
		memset(shown, 0, n + 1);
		bool any = false;
		/* Two passes: the fixed list's order, then the values it lacks. */
		for (size_t pass = 0; pass < 2; pass++) {
			size_t limit = pass == 0 ? nchoices : 1;
			for (size_t c = 0; c < limit; c++) {
				for (size_t i = 0; i < n; i++) {
					if ((int)rows[i].facet != f || shown[i] ||
					    (pass == 0 && strcmp(rows[i].value, choices[c].code) != 0))
						continue;
					shown[i] = true;
					any = true;
					bool sel = strcmp(dq->facet[f], rows[i].value) == 0;
					struct tvars *it = tv_item(v, list);
					tv_set(it, "facet", directory_facet_code((enum directory_facet)f));
					tv_set(it, "value", rows[i].value);
					tv_set(it, "label", facet_label(r, (enum directory_facet)f, rows[i].value));
					tv_setf(it, "count", "%lld", rows[i].count);
					tv_set(it, "current", sel ? "true" : "");
					tv_set(it, "href", search_href(r, dq, f, sel ? "" : rows[i].value, 1));
				}
			}
		}
		tv_bool(v, arena_printf(r->a, "has_facet_%s", directory_facet_code((enum directory_facet)f)), any);
	}
}

/* What this process renders pages with: its binary, templates and
 * catalogs (a change of any makes every cached page a stranger). */
static const char *
render_stamp(void)
{
	static char stamp[64];
	static unsigned long long templates, catalogs;
	if (*stamp == '\0' || templates != tpl_stamp() || catalogs != i18n_stamp()) {
		struct stat st;
		unsigned long long exe = 0;
		if (stat("/proc/self/exe", &st) == 0)
			exe = (unsigned long long)st.st_mtim.tv_sec * 1000003ull ^
			      (unsigned long long)st.st_size;
		templates = tpl_stamp();
		catalogs = i18n_stamp();
		snprintf(stamp, sizeof(stamp), "%llx.%llx.%llx", exe, templates, catalogs);
	}
	return stamp;
}

/* GET /partners: the search (CONTRACT "Public directory"). Bad parameters
 * are ignored and an out-of-range page shows the nearest one: 200, or 503
 * when the database does not answer. */
int
page_directory(struct req *r)
{
	struct directory_query dq;
	const char *facets[DIRECTORY_FACET__MAX];
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++)
		facets[f] = req_param(r, directory_facet_code((enum directory_facet)f));
	directory_query_parse(&dq, req_param(r, "country"), req_param(r, "q"), facets,
	                      req_param(r, "page"));
	if (*dq.country && country_find(dq.country) == NULL)
		dq.country[0] = '\0';
	char expr[DIRECTORY_EXPR_MAX];
	size_t nwords = directory_keywords_expr(dq.q, expr, sizeof(expr));
	struct directory_filter filter = {.country = dq.country, .expr = expr};
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++)
		filter.facet[f] = dq.facet[f];

	/* An anonymous visitor's page is the same for every one of them: kept
	 * (db_directory_page_get) until the directory changes in the country.
	 * Pages with facet filters are not (their combinations are many, and
	 * each is filtered from the search's cached list anyway). */
	const char *page_key = NULL;
	long long generation = 0;
	bool faceted = false;
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++)
		faceted = faceted || *dq.facet[f];
	if (r->user == NULL && !faceted) {
		page_key = arena_printf(r->a, "%s %s %s", render_stamp(), lang_code(r->lang),
		                        search_href(r, &dq, DIRECTORY_FACET__MAX, NULL, dq.page));
		const char *body;
		size_t len;
		if (db_directory_page_get(r->a, dq.country, page_key, &generation, &body, &len) != DB_OK)
			return page_error(r, 503);
		if (body) {
			r->status = 200;
			r->content_type_out = "text/html; charset=utf-8";
			sbuf_reset(r->body);
			sbuf_add(r->body, body, len);
			return 200;
		}
	}

	struct directory_result res;
	if (db_directory_search(r->a, &filter, dq.page, &res) != DB_OK)
		return page_error(r, 503);
	const long long total = res.total;
	const struct directory_page pg = res.page;

	struct tvars *v = page_vars(r);
	const char *here = search_href(r, &dq, DIRECTORY_FACET__MAX, NULL, pg.page);
	tv_set(v, "lang_switch_href", arena_printf(r->a, "%s%clang=%s", here,
	                                           strchr(here, '?') ? '&' : '?',
	                                           lang_code(r->lang == LANG_FR ? LANG_EN : LANG_FR)));
	tv_html(v, "country_options", country_options_html(r, dq.country));
	facet_options(r, v, &dq);
	tv_set(v, "v_q", dq.q);
	tv_bool(v, "words_ignored", *dq.q && nwords == 0);
	tv_set(v, "country_name", *dq.country ? country_label(r, dq.country) : "");
	tv_setf(v, "total", "%lld", total);
	tv_bool(v, "no_results", total == 0);
	for (size_t i = 0; i < res.nhits; i++) {
		const struct directory_hit *h = &res.hits[i];
		struct tvars *it = tv_item(v, "hits");
		tv_set(it, "slug", h->slug);
		tv_set(it, "href", *dq.country ? arena_printf(r->a, "/partners/%s?country=%s", h->slug,
		                                              dq.country)
		                               : arena_printf(r->a, "/partners/%s", h->slug));
		tv_set(it, "name", h->name);
		bool valid;
		size_t chars = utf8_length(h->summary, &valid);
		tv_set(it, "summary", chars >= 240 ? arena_printf(r->a, "%s…", h->summary) : h->summary);
		if (h->has_logo)
			tv_set(it, "logo", arena_printf(r->a, "/partners/%s/logo", h->slug));
		size_t nareas;
		const char **areas = split_list(r->a, h->solution_areas, &nareas);
		tv_set(it, "areas", facet_labels(r, DIRECTORY_FACET_SOLUTION_AREA, areas, nareas));
		tv_bool(it, "local", *dq.country && !h->sells_only);
		tv_bool(it, "sells", *dq.country && h->sells_only);
	}
	facet_vars(r, v, &dq, res.facets, res.nfacets);
	tv_setf(v, "page", "%ld", pg.page);
	tv_setf(v, "last_page", "%ld", pg.last);
	tv_bool(v, "paged", pg.last > 1);
	if (pg.page > 1)
		tv_set(v, "prev_href", search_href(r, &dq, DIRECTORY_FACET__MAX, NULL, pg.page - 1));
	if (pg.page < pg.last)
		tv_set(v, "next_href", search_href(r, &dq, DIRECTORY_FACET__MAX, NULL, pg.page + 1));
	tv_bool(v, "capped", total > (long long)DIRECTORY_MAX_PAGES * DIRECTORY_PAGE_SIZE);
	int status = page_render(r, 200, "directory", v);
	if (status == 200 && page_key)
		db_directory_page_put(page_key, generation, sbuf_cstr(r->body), r->body->len);
	return status;
}

/* The variant asked for by ?country= (a known country), "" otherwise. */
static const char *
variant_country(struct req *r)
{
	struct directory_query dq;
	directory_query_parse(&dq, req_param(r, "country"), NULL, NULL, NULL);
	return *dq.country && country_find(dq.country) ? arena_strdup(r->a, dq.country) : "";
}

/* The published profile of the route's slug: 0, 404 or 503 answered. */
static int
profile_load(struct req *r, struct profile *p)
{
	bool found;
	const char *slug = r->params[0];
	if (slug == NULL || strlen(slug) > 140)
		return page_error(r, 404);
	if (db_directory_profile(r->a, slug, p, &found) != DB_OK)
		return page_error(r, 503);
	return found ? 0 : page_error(r, 404);
}

/* Every variable of the public page of p in the variant of country, with
 * the contact form (f NULL: empty, its country the variant's). */
static struct tvars *
profile_vars(struct req *r, const struct profile *p, const char *country, struct form *f)
{
	struct tvars *v = page_vars(r);
	tv_set(v, "slug", p->slug);
	tv_set(v, "name", p->name);
	tv_set(v, "variant", country);
	const char *text = p->description;
	for (size_t i = 0; *country && i < p->nlocations; i++)
		if (strcmp(p->locations[i].country, country) == 0 && *p->locations[i].description)
			text = p->locations[i].description;
	/* Paragraphs: the text's lines, blank ones dropped. */
	char *copy = arena_strdup(r->a, text);
	for (char *line = strtok(copy, "\r\n"); line; line = strtok(NULL, "\r\n")) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line)
			tv_set(tv_item(v, "paragraphs"), "text", line);
	}
	if (*p->website)
		tv_set(v, "website", p->website);
	if (*p->logo_type) {
		tv_set(v, "logo", arena_printf(r->a, "/partners/%s/logo", p->slug));
		tv_setf(v, "logo_width", "%lld", p->logo_width);
		tv_setf(v, "logo_height", "%lld", p->logo_height);
	}
	tv_set(v, "industries", facet_labels(r, DIRECTORY_FACET_INDUSTRY, p->industries, p->nindustries));
	tv_set(v, "solution_areas",
	       facet_labels(r, DIRECTORY_FACET_SOLUTION_AREA, p->solution_areas, p->nsolution_areas));
	tv_set(v, "languages", facet_labels(r, DIRECTORY_FACET_LANGUAGE, p->languages, p->nlanguages));
	const char **codes = arena_alloc(r->a, sizeof(*codes) * (p->nlocations + p->nmarkets + 1));
	for (size_t i = 0; i < p->nlocations; i++)
		codes[i] = p->locations[i].country;
	countries_by_name(r, codes, p->nlocations);
	for (size_t i = 0; i < p->nlocations; i++) {
		struct tvars *it = tv_item(v, "publish_countries");
		tv_set(it, "code", codes[i]);
		tv_set(it, "name", country_label(r, codes[i]));
	}
	memcpy(codes, p->markets, sizeof(*codes) * p->nmarkets);
	countries_by_name(r, codes, p->nmarkets);
	for (size_t i = 0; i < p->nmarkets; i++) {
		struct tvars *it = tv_item(v, "sell_countries");
		tv_set(it, "code", codes[i]);
		tv_set(it, "name", country_label(r, codes[i]));
	}
	tv_bool(v, "has_markets", p->nmarkets > 0);
	const char *q = *country ? arena_printf(r->a, "?country=%s", country) : "";
	tv_set(v, "contact_action", arena_printf(r->a, "/partners/%s/contact%s", p->slug, q));
	tv_set(v, "back_href", *country ? arena_printf(r->a, "/partners?country=%s", country)
	                                : "/partners");
	tv_set(v, "lang_switch_href",
	       arena_printf(r->a, "/partners/%s?%s%slang=%s", p->slug,
	                    *country ? arena_printf(r->a, "country=%s", country) : "",
	                    *country ? "&" : "", lang_code(r->lang == LANG_FR ? LANG_EN : LANG_FR)));
	if (f)
		form_to_vars(f, v, r->lang);
	country_options(r, v, f ? form_get(f, "country") : country);
	return v;
}

/* GET /partners/{slug}[?country=CC]: the public page, 200; a draft, deleted
 * or unknown profile: 404. */
int
page_directory_profile(struct req *r)
{
	struct profile p;
	int rc = profile_load(r, &p);
	if (rc)
		return rc;
	return page_render(r, 200, "directory_profile", profile_vars(r, &p, variant_country(r), NULL));
}

/* GET /partners/{slug}/logo: the logo's bytes from our origin with its
 * stored type, cacheable for a day; 404 without one. */
int
page_directory_logo(struct req *r)
{
	const void *data;
	size_t len;
	const char *type;
	const char *slug = r->params[0];
	if (slug == NULL || strlen(slug) > 140)
		return page_error(r, 404);
	if (db_profile_logo(r->a, 0, 0, slug, &data, &len, &type) != DB_OK)
		return page_error(r, 503);
	if (len == 0 || (strcmp(type, "image/png") != 0 && strcmp(type, "image/jpeg") != 0 &&
	                 strcmp(type, "image/gif") != 0))
		return page_error(r, 404);
	sbuf_reset(r->body);
	sbuf_add(r->body, data, len);
	r->status = 200;
	r->content_type_out = type;
	r->cache_control = "public, max-age=86400";
	return 200;
}

/* Emails `to`, in lang_code (the profile's language for its lead contact,
 * theirs for a user), the customer's request and a link to the lead. 0 or -1. */
static int
lead_mail(struct req *r, const struct profile *p, const struct form *f, long long lead_id,
          const char *to, const char *lang_code)
{
	int l = lang_parse(lang_code);
	enum lang lang = l < 0 ? LANG_EN : (enum lang)l;
	struct tvars *mv = tv_new(r->a, NULL);
	tv_set(mv, "profile", p->name);
	tv_set(mv, "customer", form_get(f, "name"));
	tv_set(mv, "email", form_get(f, "email"));
	tv_set(mv, "company", form_get(f, "company"));
	const struct country *c = country_find(form_get(f, "country"));
	tv_set(mv, "country", c ? c->name[lang] : form_get(f, "country"));
	tv_set(mv, "phone", form_get(f, "phone"));
	char *msg = arena_strdup(r->a, form_get(f, "message"));
	for (char *line = strtok(msg, "\r\n"); line; line = strtok(NULL, "\r\n"))
		tv_set(tv_item(mv, "message_lines"), "line", line);
	tv_set(mv, "link", abs_url_lang(r->a, arena_printf(r->a, "/leads/%lld", lead_id), lang));
	return mail_queue(r, to, lang, "mail_lead", mv);
}

/* The same email to the company's global admins and the referral admins of
 * the lead's partner ID (or of all), but the lead contact already mailed. */
static enum db_err
lead_mail_admins(struct req *r, const struct profile *p, const struct form *f, long long lead_id)
{
	struct lead_recipient *to;
	size_t n = 0;
	enum db_err rc = db_lead_recipients(r->a, lead_id, &to, &n);
	for (size_t i = 0; rc == DB_OK && i < n; i++)
		if (strcasecmp(to[i].email, p->lead_email) != 0 &&
		    lead_mail(r, p, f, lead_id, to[i].email, to[i].lang) != 0)
			rc = DB_ERROR;
	return rc;
}

/* POST /partners/{slug}/contact[?country=CC] (the router checked the
 * csrf: 403): 303 to the thank-you page after creating the lead and
 * queuing its emails (the lead contact, the global admins and the referral
 * admins of its partner ID, in the same transaction); 422 with the form and the errors next to the fields;
 * 429 past CONTACT_ADDRESS_MAX requests from one client address in an
 * hour; 404 for a profile that is not published. A filled honeypot answers
 * like a success and creates nothing. */
int
page_directory_contact(struct req *r)
{
	struct profile p;
	int rc = profile_load(r, &p);
	if (rc)
		return rc;
	const char *country = variant_country(r);
	const char *sent = arena_printf(r->a, "/partners/%s/contact/sent%s%s", p.slug,
	                                *country ? "?country=" : "", country);
	long wait = throttle_wait(r, RATE_CONTACT_ADDRESS, NULL);
	if (wait < 0)
		return page_error(r, 503);
	if (wait > 0)
		return page_throttled(r, wait);
	const char *trap = req_form(r, CONTACT_HONEYPOT);
	if (trap && *trap) {
		if (throttle_count(r, RATE_CONTACT_ADDRESS, NULL) != DB_OK)
			return page_error(r, 503);
		log_info("contact to profile %lld: honeypot filled, nothing created", p.id);
		return resp_redirect(r, sent);
	}
	struct form f;
	form_read(r, contact_fields, NFIELDS(contact_fields), &f);
	if (f.nerrors)
		return page_render(r, 422, "directory_profile", profile_vars(r, &p, country, &f));

	struct lead_request lead = {
	    .profile_id = p.id,
	    .name = form_get(&f, "name"),
	    .email = form_get(&f, "email"),
	    .company = form_get(&f, "company"),
	    .country = form_get(&f, "country"),
	    .phone = form_get(&f, "phone"),
	    .message = form_get(&f, "message"),
	    .lang = lang_code(r->lang),
	};
	long long lead_id = 0;
	if (db_begin() != DB_OK)
		return page_error(r, 503);
	enum db_err drc = db_lead_create(r->a, &lead, &lead_id);
	bool gone = drc == DB_OK && lead_id == 0; /* unpublished meanwhile */
	if (gone)
		drc = DB_ERROR;
	if (drc == DB_OK && *p.lead_email &&
	    lead_mail(r, &p, &f, lead_id, p.lead_email, p.lang) != 0)
		drc = DB_ERROR;
	if (drc == DB_OK)
		drc = lead_mail_admins(r, &p, &f, lead_id);
	if (drc == DB_OK)
		drc = throttle_count(r, RATE_CONTACT_ADDRESS, NULL);
	drc = db_finish(drc);
	if (gone)
		return page_error(r, 404);
	if (drc != DB_OK)
		return page_error(r, 503);
	log_info("lead %lld for profile %lld", lead_id, p.id);
	return resp_redirect(r, sent);
}

/* GET /partners/{slug}/contact/sent: the thank-you page, 200 (404 as the profile's page). */
int
page_directory_contact_sent(struct req *r)
{
	struct profile p;
	int rc = profile_load(r, &p);
	if (rc)
		return rc;
	const char *country = variant_country(r);
	struct tvars *v = page_vars(r);
	tv_set(v, "name", p.name);
	tv_set(v, "profile_href", *country ? arena_printf(r->a, "/partners/%s?country=%s", p.slug,
	                                                  country)
	                                   : arena_printf(r->a, "/partners/%s", p.slug));
	tv_set(v, "back_href", *country ? arena_printf(r->a, "/partners?country=%s", country)
	                                : "/partners");
	return page_render(r, 200, "directory_sent", v);
}
