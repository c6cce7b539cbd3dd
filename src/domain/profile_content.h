/* The content guidelines of a business profile (DOMAIN §5, CONTRACT
 * "Business profiles"): plain text only, length limits, http(s) URLs only,
 * no contact details in a description, no other company's legal name; and
 * the fixed lists a profile chooses from. Pure: the caller looks up the
 * other companies' names (db_company_names_in). */
#ifndef PD_DOMAIN_PROFILE_CONTENT_H
#define PD_DOMAIN_PROFILE_CONTENT_H
#include <stdbool.h>
#include <stddef.h>

#define PROFILE_NAME_MAX        100  /* characters */
#define PROFILE_DESCRIPTION_MAX 2500
#define PROFILE_WEBSITE_MAX     300
#define PROFILE_LOGO_MAX_BYTES  (1024 * 1024)
#define PROFILE_LOGO_MAX_WIDTH  300  /* pixels */
#define PROFILE_NGRAM_WORDS     8    /* longest company name looked for, in words */

/* Why a text of the profile is refused. */
enum content_refusal {
	CONTENT_OK,
	CONTENT_TOO_LONG,     /* over its limit in characters */
	CONTENT_NOT_TEXT,     /* invalid UTF-8 or control characters */
	CONTENT_MARKUP,       /* HTML or XML tags, entities, Markdown links */
	CONTENT_URL,          /* a web address in a description */
	CONTENT_EMAIL,        /* an email address in a description */
	CONTENT_PHONE,        /* a phone number in a description */
	CONTENT_COMPANY_NAME, /* another company's legal name */
	CONTENT_URL_SCHEME,   /* the website is not an absolute http(s) URL with a host */
	CONTENT_REFUSAL__MAX
};
/* Stable code (data-refusal) and English sentence (msgid) of a refusal. */
const char *content_refusal_code(enum content_refusal r);
const char *content_refusal_message(enum content_refusal r);

/* The profile's name: plain text, no markup, at most PROFILE_NAME_MAX. */
enum content_refusal profile_name_check(const char *name);
/* A description (the default one or a location's): plain text, at most
 * PROFILE_DESCRIPTION_MAX characters, no markup, no URL, email address or
 * phone number. */
enum content_refusal profile_description_check(const char *text);
/* The website: absolute http or https URL with a host, at most PROFILE_WEBSITE_MAX. */
enum content_refusal profile_website_check(const char *url);

/* The word sequences of text (1 to PROFILE_NGRAM_WORDS words, lower-case,
 * accents kept, punctuation between words dropped, words joined by one
 * space) that could be a company's name, each once, at most max; calls fn
 * for each. Returns how many. */
size_t profile_text_ngrams(const char *text, size_t max,
                           void (*fn)(const char *ngram, void *ctx), void *ctx);
/* Normalized form of a company name as compared with the ngrams above. */
char *profile_name_normalize(const char *name, char *out, size_t outlen);

/* The fixed lists (stable codes; the English label is a msgid). */
struct profile_choice {
	const char *code, *label;
};
/* Solution areas: data_ai, infrastructure, digital_app_innovation,
 * business_applications, modern_work, security. */
const struct profile_choice *profile_solution_areas(size_t *n);
/* Industries. */
const struct profile_choice *profile_industries(size_t *n);
/* The languages offered first on the form (ISO 639-1); any other valid
 * ISO 639-1 code is accepted too. */
const struct profile_choice *profile_common_languages(size_t *n);
/* True for any ISO 639-1 code (two lower-case letters of the standard's list). */
bool profile_language_valid(const char *code);
/* Label of a code of one of the lists above, NULL when unknown. */
const char *profile_choice_label(const struct profile_choice *list, size_t n, const char *code);
#endif
