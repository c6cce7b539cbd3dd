#include "http/form.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "domain/email_rules.h"
#include "view/template.h"

/* Code points of a UTF-8 string; *valid false on bad encoding. */
size_t
utf8_length(const char *s, bool *valid)
{
	size_t n = 0;
	*valid = true;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int extra;
		if (*p < 0x80)
			extra = 0;
		else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2)
			extra = 1;
		else if ((*p & 0xF0) == 0xE0)
			extra = 2;
		else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4)
			extra = 3;
		else {
			*valid = false;
			return n;
		}
		p++;
		for (int i = 0; i < extra; i++, p++)
			if ((*p & 0xC0) != 0x80) {
				*valid = false;
				return n;
			}
		n++;
	}
	return n;
}

static char *
trim_copy(struct arena *a, const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

/* http:// or https://, then a host of letters, digits, dots and dashes
 * (an optional :port), then an optional path without spaces. */
static bool
url_ok(const char *v)
{
	const char *h;
	if (strncasecmp(v, "https://", 8) == 0)
		h = v + 8;
	else if (strncasecmp(v, "http://", 7) == 0)
		h = v + 7;
	else
		return false;
	size_t hn = 0;
	bool dot = false;
	for (; *h && *h != '/' && *h != ':' && *h != '?' && *h != '#'; h++, hn++) {
		if (*h == '.')
			dot = true;
		else if (!isalnum((unsigned char)*h) && *h != '-')
			return false;
	}
	if (hn == 0 || !dot)
		return false;
	for (; *h; h++)
		if ((unsigned char)*h <= ' ' || *h == '"' || *h == '<' || *h == '>' || *h == '\\')
			return false;
	return true;
}

const char *
form_validate(struct arena *a, const struct form_field *f, const char *raw, const char **out)
{
	const char *v = raw ? raw : "";
	*out = "";
	if (f->type != FT_PASSWORD)
		v = trim_copy(a, v);
	bool valid;
	size_t len = utf8_length(v, &valid);
	if (!valid)
		return N_("Contains characters that are not valid text.");
	if (f->type != FT_PASSWORD)
		for (const unsigned char *p = (const unsigned char *)v; *p; p++)
			if ((*p < 0x20 || *p == 0x7f) &&
			    !(f->type == FT_MULTILINE && (*p == '\n' || *p == '\r' || *p == '\t')))
				return N_("Contains characters that are not allowed.");
	*out = v;
	if (len == 0)
		return f->required ? N_("This field is required.") : NULL;
	if (f->max_len && len > f->max_len)
		return N_("This value is too long.");
	if (f->min_len && len < f->min_len)
		return f->type == FT_PASSWORD ? N_("Use at least 12 characters.") : N_("This value is too short.");
	switch (f->type) {
	case FT_EMAIL: {
		char buf[300];
		if (email_normalize(v, buf, sizeof(buf)) == NULL || !email_syntax_ok(buf))
			return N_("Enter a valid email address, like name@company.com.");
		*out = arena_strdup(a, buf);
		break;
	}
	case FT_COUNTRY: {
		const struct country *c = country_find(v);
		if (c == NULL)
			return N_("Choose a country from the list.");
		*out = arena_strdup(a, c->code);
		break;
	}
	case FT_ENUM:
		for (const char *const *c = f->choices; c && *c; c++)
			if (strcmp(*c, v) == 0)
				return NULL;
		return N_("Choose one of the options.");
	case FT_TOKEN:
		for (const char *p = v; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
				return N_("This link is not valid.");
		break;
	case FT_PARTNER_ID:
		if (strlen(v) != 7)
			return N_("A partner ID has 7 digits.");
		for (const char *p = v; *p; p++)
			if (!isdigit((unsigned char)*p))
				return N_("A partner ID has 7 digits.");
		break;
	case FT_URL:
		if (!url_ok(v))
			return N_("Enter a web address starting with http:// or https://.");
		break;
	case FT_PHONE: {
		size_t digits = 0;
		for (const char *p = v; *p; p++) {
			if (isdigit((unsigned char)*p))
				digits++;
			else if (!strchr("+()-. ", *p) || (*p == '+' && p != v))
				return N_("Enter a phone number with digits, spaces and an optional leading +.");
		}
		if (digits < 6 || digits > 15)
			return N_("Enter a phone number with digits, spaces and an optional leading +.");
		break;
	}
	case FT_POSTAL:
		for (const char *p = v; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != ' ' && *p != '-')
				return N_("Use only letters, digits, spaces and dashes.");
		break;
	default:
		break;
	}
	return NULL;
}

void
form_read(struct req *r, const struct form_field *fields, size_t n, struct form *f)
{
	f->fields = fields;
	f->n = n;
	f->values = arena_alloc(r->a, sizeof(char *) * n);
	f->errors = arena_alloc(r->a, sizeof(char *) * n);
	f->nerrors = 0;
	for (size_t i = 0; i < n; i++) {
		f->errors[i] = form_validate(r->a, &fields[i], req_form(r, fields[i].name), &f->values[i]);
		if (f->errors[i])
			f->nerrors++;
	}
}

const char *
form_get(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return f->values[i];
	return "";
}

void
form_error(struct form *f, const char *name, const char *msgid)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0 && f->errors[i] == NULL) {
			f->errors[i] = msgid;
			f->nerrors++;
		}
}

void
form_to_vars(const struct form *f, struct tvars *v, enum lang lang)
{
	for (size_t i = 0; i < f->n; i++) {
		const char *name = f->fields[i].name;
		char key[96];
		if (f->fields[i].type != FT_PASSWORD) {
			snprintf(key, sizeof(key), "v_%s", name);
			tv_set(v, tv_intern(v, key), f->values[i]);
		}
		if (f->errors[i]) {
			snprintf(key, sizeof(key), "err_%s", name);
			tv_set(v, tv_intern(v, key), tr(lang, f->errors[i]));
			snprintf(key, sizeof(key), "inv_%s", name);
			tv_set(v, tv_intern(v, key), "true");
		}
	}
	tv_bool(v, "has_errors", f->nerrors > 0);
}
