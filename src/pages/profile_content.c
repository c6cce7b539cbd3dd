/* The wizard's content step (DOMAIN §5): name, descriptions (one per
 * publish location may replace the default), website, lead contact, the
 * lists, the logo. The content guidelines are the domain's
 * (domain/profile_content.h); a refusal goes next to its field and nothing
 * is stored. */
#include <string.h>

#include "content/image.h"
#include "core/log.h"
#include "db/companies.h"
#include "domain/profile_content.h"
#include "pages/pages.h"

#define MAX_CHOSEN 64

static const char *const email_languages[] = {"en", "fr", NULL};
static const struct form_field content_fields[] = {
    {"name", FT_TEXT, true, 1, 400, NULL},
    {"description", FT_MULTILINE, true, 1, 10000, NULL},
    {"website", FT_TEXT, false, 0, 2000, NULL},
    {"lead_email", FT_EMAIL, true, 3, 254, NULL},
    {"email_language", FT_ENUM, false, 0, 2, email_languages},
    /* Repeated check boxes, read whole by posted_choices: declared for their errors. */
    {"solution_area", FT_TEXT, false, 0, 40, NULL},
    {"industry", FT_TEXT, false, 0, 40, NULL},
    {"language", FT_TEXT, false, 0, 40, NULL},
};

/* The choices of a list, checked when chosen. */
static void
choice_items(struct req *r, struct tvars *v, const char *list, const struct profile_choice *c,
             size_t n, const char *const *chosen, size_t nchosen)
{
	for (size_t i = 0; i < n; i++) {
		struct tvars *it = tv_item(v, list);
		tv_set(it, "code", c[i].code);
		tv_set(it, "label", tr(r->lang, c[i].label));
		tv_bool(it, "checked", profile_in_list(chosen, nchosen, c[i].code));
	}
}

/* What the form shows: the stored content, or what was posted. */
struct content_values {
	const char *const *industries, *const *areas, *const *languages;
	size_t nindustries, nareas, nlanguages;
	const char **texts;  /* per publish location, in the profile's order */
	const char **errors; /* per publish location */
};

static int
content_render(struct req *r, int status, const struct profile_wizard *w, struct form *f,
               const struct content_values *cv, const char *logo_error)
{
	struct tvars *v = profile_wizard_vars(r, w, "content", f);
	if (f == NULL) {
		tv_set(v, "v_name", w->p.name);
		tv_set(v, "v_description", w->p.description);
		tv_set(v, "v_website", w->p.website);
		tv_set(v, "v_lead_email", *w->p.lead_email ? w->p.lead_email : r->user->email);
	}
	const char *lang = f && *form_get(f, "email_language") ? form_get(f, "email_language")
	                                                         : w->p.lang;
	tv_bool(v, "email_fr", strcmp(lang, "fr") == 0);
	size_t n;
	const struct profile_choice *c = profile_solution_areas(&n);
	choice_items(r, v, "solution_areas", c, n, cv->areas, cv->nareas);
	c = profile_industries(&n);
	choice_items(r, v, "industries", c, n, cv->industries, cv->nindustries);
	c = profile_common_languages(&n);
	choice_items(r, v, "languages", c, n, cv->languages, cv->nlanguages);
	/* A language chosen outside the common ones stays shown, checked. */
	for (size_t i = 0; i < cv->nlanguages; i++)
		if (profile_choice_label(c, n, cv->languages[i]) == NULL) {
			struct tvars *it = tv_item(v, "languages");
			tv_set(it, "code", cv->languages[i]);
			tv_set(it, "label", cv->languages[i]);
			tv_bool(it, "checked", true);
		}
	for (size_t i = 0; i < w->p.nlocations; i++) {
		const char *cc = w->p.locations[i].country;
		struct tvars *it = tv_item(v, "location_texts");
		tv_setf(it, "name", "description_%s", cc);
		tv_set(it, "country_name", country_label(r, cc));
		tv_set(it, "value", cv->texts[i]);
		if (cv->errors[i])
			tv_set(it, "error", tr(r->lang, cv->errors[i]));
	}
	tv_bool(v, "has_logo", *w->p.logo_type);
	tv_setf(v, "logo_href", "/profiles/%lld/logo", w->p.id);
	if (logo_error) {
		tv_set(v, "err_logo", tr(r->lang, logo_error));
		tv_bool(v, "has_errors", true);
	}
	for (size_t i = 0; i < w->p.nlocations; i++)
		if (cv->errors[i])
			tv_bool(v, "has_errors", true);
	return profile_wizard_page(r, status, v);
}

static void
stored_values(struct req *r, const struct profile_wizard *w, struct content_values *cv)
{
	cv->industries = w->p.industries;
	cv->nindustries = w->p.nindustries;
	cv->areas = w->p.solution_areas;
	cv->nareas = w->p.nsolution_areas;
	cv->languages = w->p.languages;
	cv->nlanguages = w->p.nlanguages;
	cv->texts = arena_alloc(r->a, sizeof(char *) * (w->p.nlocations + 1));
	cv->errors = arena_alloc(r->a, sizeof(char *) * (w->p.nlocations + 1));
	for (size_t i = 0; i < w->p.nlocations; i++) {
		cv->texts[i] = w->p.locations[i].description;
		cv->errors[i] = NULL;
	}
}

int
page_profile_content_form(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_load(r, &w, false);
	if (rc)
		return rc;
	struct content_values cv;
	stored_values(r, &w, &cv);
	return content_render(r, 200, &w, NULL, &cv, NULL);
}

/* The values of a repeated field that belong to a list (or, for
 * languages, are ISO 639-1 codes), each once; *bad when one does not. */
static const char **
posted_choices(struct req *r, const char *field, const struct profile_choice *list, size_t nlist,
               size_t *n, bool *bad)
{
	const char *raw[MAX_CHOSEN];
	size_t nraw = req_form_all(r, field, raw, MAX_CHOSEN);
	const char **out = arena_alloc(r->a, sizeof(*out) * (nraw + 1));
	*n = 0;
	for (size_t i = 0; i < nraw; i++) {
		bool known = list ? profile_choice_label(list, nlist, raw[i]) != NULL
		                  : profile_language_valid(raw[i]);
		if (!known)
			*bad = true;
		else if (!profile_in_list(out, *n, raw[i]))
			out[(*n)++] = raw[i];
	}
	return out;
}

struct ngram_list {
	struct arena *a;
	const char  **items;
	size_t        n, max;
};

static void
ngram_add(const char *ngram, void *ctx)
{
	struct ngram_list *l = ctx;
	if (l->n < l->max)
		l->items[l->n++] = arena_strdup(l->a, ngram);
}

/* Another company's legal name in text: the name found, NULL when none, or
 * "" when the database cannot tell. */
static const char *
other_company_in(struct req *r, const char *text)
{
	enum { MAX_NGRAMS = 4000 };
	struct ngram_list l = {r->a, arena_alloc(r->a, sizeof(char *) * MAX_NGRAMS), 0, MAX_NGRAMS};
	profile_text_ngrams(text, MAX_NGRAMS, ngram_add, &l);
	const char *found = NULL;
	if (l.n && db_company_names_in(r->a, r->user->tenant_id, l.items, l.n, &found) != DB_OK)
		return "";
	return found;
}

/* Checks one text against a guideline and the other companies' names; the
 * refusal (msgid) or NULL. *unavailable when the database cannot tell. */
static const char *
text_refusal(struct req *r, const char *text, enum content_refusal verdict, bool *unavailable)
{
	if (verdict != CONTENT_OK)
		return content_refusal_message(verdict);
	const char *other = *text ? other_company_in(r, text) : NULL;
	if (other && *other == '\0')
		*unavailable = true;
	return other && *other ? content_refusal_message(CONTENT_COMPANY_NAME) : NULL;
}

/* The logo posted, checked by content and encoded again; the refusal or NULL. */
static const char *
logo_read(struct req *r, const unsigned char **bytes, size_t *len, const char **mime,
          unsigned *width, unsigned *height)
{
	const struct http_field *file = http_fields_get(&r->form, "logo");
	*len = 0;
	if (file == NULL || file->path == NULL || file->size == 0)
		return NULL;
	if (file->size > PROFILE_LOGO_MAX_BYTES)
		return N_("The logo is over 1 MiB: send a smaller file.");
	const unsigned char *in = upload_read(r, file);
	if (in == NULL) {
		log_err("cannot read an uploaded logo");
		return N_("The logo could not be read: send it again.");
	}
	unsigned char *out = NULL;
	size_t outlen = 0;
	enum image_verdict iv = image_logo(in, file->size, &out, &outlen, mime, width, height);
	switch (iv) {
	case IMAGE_OK:
		*bytes = arena_alloc(r->a, outlen);
		memcpy((void *)*bytes, out, outlen);
		*len = outlen;
		free(out);
		return NULL;
	case IMAGE_TOO_WIDE:
		return N_("The logo is wider than 300 pixels: send a narrower image.");
	case IMAGE_NOT_IMAGE:
		return N_("The logo must be a PNG, JPEG or GIF image.");
	default:
		log_info("logo refused: %s", image_verdict_code(iv));
		return N_("The logo could not be decoded: send a valid PNG, JPEG or GIF image.");
	}
}

int
page_profile_content(struct req *r)
{
	struct profile_wizard w;
	int rc = profile_wizard_lock(r, &w, PROFILE_POST_ANY);
	if (rc)
		return rc;
	struct form f;
	form_read(r, content_fields, NFIELDS(content_fields), &f);
	struct content_values cv;
	stored_values(r, &w, &cv);
	size_t n;
	bool bad_area = false, bad_industry = false, bad_language = false, unavailable = false;
	const struct profile_choice *list = profile_solution_areas(&n);
	cv.areas = posted_choices(r, "solution_area", list, n, &cv.nareas, &bad_area);
	list = profile_industries(&n);
	cv.industries = posted_choices(r, "industry", list, n, &cv.nindustries, &bad_industry);
	cv.languages = posted_choices(r, "language", NULL, 0, &cv.nlanguages, &bad_language);
	if (bad_area)
		form_error(&f, "solution_area", N_("Choose solution areas from the list."));
	if (bad_industry)
		form_error(&f, "industry", N_("Choose industries from the list."));
	if (bad_language)
		form_error(&f, "language", N_("Choose languages from the list (ISO 639-1 codes)."));
	const char *why;
	if (!f.errors[0] &&
	    (why = text_refusal(r, form_get(&f, "name"), profile_name_check(form_get(&f, "name")),
	                        &unavailable)))
		form_error(&f, "name", why);
	if (!f.errors[1] &&
	    (why = text_refusal(r, form_get(&f, "description"),
	                        profile_description_check(form_get(&f, "description")),
	                        &unavailable)))
		form_error(&f, "description", why);
	const char *website = form_get(&f, "website");
	enum content_refusal wv;
	if (!f.errors[2] && *website && (wv = profile_website_check(website)) != CONTENT_OK)
		form_error(&f, "website", content_refusal_message(wv));
	bool text_errors = false;
	struct profile_location *texts =
	    arena_alloc(r->a, sizeof(*texts) * (w.p.nlocations + 1));
	for (size_t i = 0; i < w.p.nlocations; i++) {
		const char *cc = w.p.locations[i].country;
		const char *raw = req_form(r, arena_printf(r->a, "description_%s", cc));
		const char *text = raw ? raw : "";
		cv.texts[i] = text;
		texts[i] = (struct profile_location){cc, text};
		cv.errors[i] = *text ? text_refusal(r, text, profile_description_check(text),
		                                    &unavailable)
		                     : NULL;
		text_errors = text_errors || cv.errors[i];
	}
	const unsigned char *logo = NULL;
	size_t logo_len;
	const char *mime = NULL;
	unsigned width = 0, height = 0;
	const char *logo_error = logo_read(r, &logo, &logo_len, &mime, &width, &height);
	if (unavailable) {
		db_rollback();
		return page_error(r, 503);
	}
	if (f.nerrors || text_errors || logo_error) {
		db_rollback();
		return content_render(r, 422, &w, &f, &cv, logo_error);
	}
	struct profile_content c = {
	    .name = form_get(&f, "name"),
	    .description = form_get(&f, "description"),
	    .website = website,
	    .lead_email = form_get(&f, "lead_email"),
	    .lang = *form_get(&f, "email_language") ? form_get(&f, "email_language") : w.p.lang,
	    .industries = cv.industries,
	    .nindustries = cv.nindustries,
	    .solution_areas = cv.areas,
	    .nsolution_areas = cv.nareas,
	    .languages = cv.languages,
	    .nlanguages = cv.nlanguages,
	    .location_texts = texts,
	    .nlocation_texts = w.p.nlocations,
	};
	enum db_err de = db_profile_set_content(r->a, w.p.id, &c);
	if (de == DB_OK && logo_len)
		de = db_profile_set_logo(r->a, w.p.id, logo, logo_len, mime, width, height);
	else if (de == DB_OK && req_form(r, "remove_logo") && *w.p.logo_type)
		de = db_profile_remove_logo(r->a, w.p.id);
	if (db_finish(de) != DB_OK)
		return page_error(r, 503);
	return profile_step_saved(r, &w, "content", "review");
}

/* The logo as stored, for the partner's own pages. */
int
page_profile_logo(struct req *r)
{
	long long id = path_id(r->params[0]);
	const void *data = NULL;
	size_t len = 0;
	const char *type = NULL;
	if (id <= 0)
		return page_error(r, 404);
	if (db_profile_logo(r->a, r->user->tenant_id, id, NULL, &data, &len, &type) != DB_OK)
		return page_error(r, 503);
	if (len == 0)
		return page_error(r, 404);
	r->content_type_out = type;
	resp_header(r, "Cache-Control", "private, no-cache");
	sbuf_add(r->body, data, len);
	r->status = 200;
	return 200;
}
