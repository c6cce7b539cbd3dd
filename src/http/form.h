/* Form fields declared once with their validator (kcgi's key table idea):
 * handlers read validated values and a list of field errors. */
#ifndef PD_FORM_H
#define PD_FORM_H
#include <stdbool.h>
#include <stddef.h>
#include "http/request.h"

struct tvars;

enum field_type {
	FT_TEXT,     /* one line of text: trimmed, no control characters */
	FT_EMAIL,    /* address syntax; lower-cased */
	FT_PASSWORD, /* kept as sent, never echoed back */
	FT_COUNTRY,  /* ISO 3166-1 alpha-2, upper-cased */
	FT_ENUM,     /* one of choices[] */
	FT_TOKEN,    /* URL-safe token */
	FT_PARTNER_ID, /* 7 digits */
	FT_URL,      /* absolute http(s) URL with a host */
	FT_PHONE,    /* digits with + ( ) - . and spaces, 6 to 15 digits */
	FT_POSTAL,   /* letters, digits, spaces and dashes */
	FT_MULTILINE, /* text that may hold line breaks and tabs */
	FT__MAX
};

struct form_field {
	const char      *name;
	enum field_type  type;
	bool             required;
	size_t           min_len; /* characters (UTF-8 code points) */
	size_t           max_len;
	const char *const *choices; /* FT_ENUM, NULL-terminated */
};

struct form {
	const struct form_field *fields;
	size_t                   n;
	const char             **values; /* normalized; "" when absent */
	const char             **errors; /* msgid per field, NULL when fine */
	size_t                   nerrors;
};

/* Validates one value; returns NULL or the msgid of the problem and puts the
 * normalized value in *out (arena). Pure apart from the country table. */
const char *form_validate(struct arena *a, const struct form_field *f, const char *raw,
                          const char **out);
/* Reads every declared field of the request body. */
void form_read(struct req *r, const struct form_field *fields, size_t n, struct form *f);
const char *form_get(const struct form *f, const char *name);
/* Adds an error (msgid) to a field, unless it already has one. */
void form_error(struct form *f, const char *name, const char *msgid);
/* v_<name> (not for passwords), err_<name> translated, has_errors. */
void form_to_vars(const struct form *f, struct tvars *v, enum lang lang);
size_t utf8_length(const char *s, bool *valid);
#endif
