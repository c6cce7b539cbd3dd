/* Translations: gettext .mo catalogs loaded once per process (po/fr.po and
 * po/en.po compiled by msgfmt), looked up without touching the process
 * locale so one worker serves both languages. Countries come from Debian's
 * iso-codes (ISO 3166-1 JSON and its translations). */
#ifndef PD_I18N_H
#define PD_I18N_H
#include <stdbool.h>
#include <stddef.h>

enum lang { LANG_EN, LANG_FR, LANG__MAX };

/* Marks a msgid for extraction (xgettext --keyword=N_) without translating. */
#define N_(s) s

struct mo_catalog;

/* Loads a .mo file; NULL (with errno) on error or bad format. */
struct mo_catalog *mo_load(const char *path);
/* Translation of msgid, or NULL when absent or empty. */
const char *mo_lookup(const struct mo_catalog *c, const char *msgid);
size_t mo_count(const struct mo_catalog *c);
void mo_free(struct mo_catalog *c);

/* Loads <dir>/en.mo and <dir>/fr.mo and the country tables. Returns 0, or
 * -1 after logging what is missing. */
int i18n_init(const char *locale_dir);
/* A number that changes when the catalogs' files do (sizes, change times). */
unsigned long long i18n_stamp(void);
void i18n_free(void);
/* msgid translated into lang; msgid itself when untranslated. */
const char *tr(enum lang lang, const char *msgid);
bool i18n_has(enum lang lang, const char *msgid);

const char *lang_code(enum lang l);
/* "fr"/"en" (case-insensitive) → lang; -1 when unknown. */
int lang_parse(const char *code);
/* Best match of an Accept-Language header; LANG_EN when nothing fits. */
enum lang lang_from_accept(const char *accept_language);

struct country {
	char        code[3];
	const char *name[LANG__MAX];
};
/* Countries sorted by name in lang; *n receives the count. */
const struct country *const *countries_sorted(enum lang lang, size_t *n);
/* Country by alpha-2 code (upper case), NULL when unknown. */
const struct country *country_find(const char *code);
#endif
