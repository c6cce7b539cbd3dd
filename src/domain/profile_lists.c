/* The fixed lists a business profile chooses from (profile_content.h). */
#include <stdbool.h>
#include <string.h>

#include "core/i18n.h"
#include "domain/profile_content.h"

/* ---- the fixed lists ---- */

static const struct profile_choice solution_areas[] = {
    {"data_ai", N_("Data & AI (Azure)")},
    {"infrastructure", N_("Infrastructure (Azure)")},
    {"digital_app_innovation", N_("Digital & App Innovation (Azure)")},
    {"business_applications", N_("Business Applications")},
    {"modern_work", N_("Modern Work")},
    {"security", N_("Security")},
};

static const struct profile_choice industries[] = {
    {"agriculture", N_("Agriculture")},
    {"automotive", N_("Automotive")},
    {"education", N_("Education")},
    {"energy", N_("Energy and utilities")},
    {"financial_services", N_("Financial services")},
    {"government", N_("Government")},
    {"healthcare", N_("Healthcare")},
    {"hospitality", N_("Hospitality and travel")},
    {"manufacturing", N_("Manufacturing")},
    {"media", N_("Media and communications")},
    {"nonprofit", N_("Nonprofit")},
    {"professional_services", N_("Professional services")},
    {"retail", N_("Retail and consumer goods")},
    {"telecommunications", N_("Telecommunications")},
    {"transportation", N_("Transportation and logistics")},
};

static const struct profile_choice common_languages[] = {
    {"en", N_("English")},   {"fr", N_("French")},     {"de", N_("German")},
    {"es", N_("Spanish")},   {"it", N_("Italian")},    {"pt", N_("Portuguese")},
    {"nl", N_("Dutch")},     {"sv", N_("Swedish")},    {"da", N_("Danish")},
    {"no", N_("Norwegian")}, {"fi", N_("Finnish")},    {"pl", N_("Polish")},
    {"cs", N_("Czech")},     {"el", N_("Greek")},      {"ru", N_("Russian")},
    {"tr", N_("Turkish")},   {"ar", N_("Arabic")},     {"he", N_("Hebrew")},
    {"hi", N_("Hindi")},     {"ja", N_("Japanese")},   {"ko", N_("Korean")},
    {"zh", N_("Chinese")},
};

#define NELEM(a) (sizeof(a) / sizeof(*(a)))

const struct profile_choice *
profile_solution_areas(size_t *n)
{
	*n = NELEM(solution_areas);
	return solution_areas;
}

const struct profile_choice *
profile_industries(size_t *n)
{
	*n = NELEM(industries);
	return industries;
}

const struct profile_choice *
profile_common_languages(size_t *n)
{
	*n = NELEM(common_languages);
	return common_languages;
}

const char *
profile_choice_label(const struct profile_choice *list, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(list[i].code, code) == 0)
			return list[i].label;
	return NULL;
}

/* ISO 639-1: the 184 two-letter codes of the registration authority's list
 * (with "bh", since withdrawn; without "sh"), sorted for the binary search. */
static const char iso639_1[] =
    "aa" "ab" "ae" "af" "ak" "am" "an" "ar" "as" "av" "ay" "az"
    "ba" "be" "bg" "bh" "bi" "bm" "bn" "bo" "br" "bs"
    "ca" "ce" "ch" "co" "cr" "cs" "cu" "cv" "cy"
    "da" "de" "dv" "dz"
    "ee" "el" "en" "eo" "es" "et" "eu"
    "fa" "ff" "fi" "fj" "fo" "fr" "fy"
    "ga" "gd" "gl" "gn" "gu" "gv"
    "ha" "he" "hi" "ho" "hr" "ht" "hu" "hy" "hz"
    "ia" "id" "ie" "ig" "ii" "ik" "io" "is" "it" "iu"
    "ja" "jv"
    "ka" "kg" "ki" "kj" "kk" "kl" "km" "kn" "ko" "kr" "ks" "ku" "kv" "kw" "ky"
    "la" "lb" "lg" "li" "ln" "lo" "lt" "lu" "lv"
    "mg" "mh" "mi" "mk" "ml" "mn" "mr" "ms" "mt" "my"
    "na" "nb" "nd" "ne" "ng" "nl" "nn" "no" "nr" "nv" "ny"
    "oc" "oj" "om" "or" "os"
    "pa" "pi" "pl" "ps" "pt"
    "qu"
    "rm" "rn" "ro" "ru" "rw"
    "sa" "sc" "sd" "se" "sg" "si" "sk" "sl" "sm" "sn" "so" "sq" "sr" "ss" "st" "su" "sv" "sw"
    "ta" "te" "tg" "th" "ti" "tk" "tl" "tn" "to" "tr" "ts" "tt" "tw" "ty"
    "ug" "uk" "ur" "uz"
    "ve" "vi" "vo"
    "wa" "wo"
    "xh"
    "yi" "yo"
    "za" "zh" "zu";

bool
profile_language_valid(const char *code)
{
	if (!code || !(code[0] >= 'a' && code[0] <= 'z') || !(code[1] >= 'a' && code[1] <= 'z') ||
	    code[2] != '\0')
		return false;
	size_t lo = 0, hi = (sizeof(iso639_1) - 1) / 2;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = memcmp(iso639_1 + 2 * mid, code, 2);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}
