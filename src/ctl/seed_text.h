/* Word lists and sentence templates of the directory seed (ctl/seed.c):
 * English and French sentences per solution area, about the industries a
 * partner serves. Placeholders: %B the brand, %I an industry phrase, %A a
 * solution area phrase. No digits, URLs, addresses or markup, so that every
 * text passes the content guidelines of a profile description. */
#ifndef PD_CTL_SEED_TEXT_H
#define PD_CTL_SEED_TEXT_H
#include <stddef.h>

enum seed_lang { SEED_EN, SEED_FR, SEED_LANG__MAX };
#define SEED_AREAS      6
#define SEED_INDUSTRIES 15
#define SEED_PER_AREA   8

/* Codes as in domain/profile_content (CONTRACT "Business profiles"), in the
 * order of the phrase and sentence tables; seed_directory checks them. */
extern const char *const seed_area_codes[SEED_AREAS];
extern const char *const seed_industry_codes[SEED_INDUSTRIES];
extern const char *const seed_area_phrase[SEED_LANG__MAX][SEED_AREAS];
extern const char *const seed_industry_phrase[SEED_LANG__MAX][SEED_INDUSTRIES];
extern const char *const seed_area_sentences[SEED_LANG__MAX][SEED_AREAS][SEED_PER_AREA];

struct seed_list {
	const char *const *items;
	size_t n;
};
extern const struct seed_list seed_generic[SEED_LANG__MAX], seed_intro[SEED_LANG__MAX],
    seed_local_intro[SEED_LANG__MAX], seed_closing[SEED_LANG__MAX];
/* Name parts. */
extern const struct seed_list seed_syllable_a, seed_syllable_b, seed_company_kind,
    seed_first_names, seed_last_names, seed_cities, seed_streets;
/* Words a profile name adds to the brand, per solution area (English). */
extern const char *const seed_area_name[SEED_AREAS];
#endif
