#include "domain/profiles.h"

#include <string.h>

#include "core/i18n.h"
#include "domain/codes.h"
#include "domain/roles.h"

static const char *const type_codes[PROFILE_TYPE__MAX] = {"csp", "non_csp"};
static const char *const status_codes[PROFILE_STATUS__MAX] = {"draft", "published", "deleted"};
static const char *const step_codes[PROFILE_STEP__MAX] = {"locations", "markets", "content"};
static const char *const refusal_codes[PROFILE_REFUSAL__MAX] = {
    "",
    "not_csp_tenant",
    "no_csp_market",
    "partner_id_inactive",
    "no_location_id",
    "location_taken",
    "outside_csp_market",
    "publish_location",
    "role",
    "deleted",
};
DOMAIN_CODES(profile_type, enum profile_type, PROFILE_TYPE__MAX, type_codes)
DOMAIN_CODES(profile_status, enum profile_status, PROFILE_STATUS__MAX, status_codes)
DOMAIN_CODES(profile_step, enum profile_step, PROFILE_STEP__MAX, step_codes)

const char *
profile_refusal_code(enum profile_refusal r)
{
	return (unsigned)r < PROFILE_REFUSAL__MAX ? refusal_codes[r] : "";
}

const char *
profile_type_label(enum profile_type t)
{
	static const char *const labels[PROFILE_TYPE__MAX] = {N_("CSP profile"),
	                                                      N_("Non-CSP profile")};
	return (unsigned)t < PROFILE_TYPE__MAX ? labels[t] : "";
}

const char *
profile_status_label(enum profile_status s)
{
	static const char *const labels[PROFILE_STATUS__MAX] = {N_("Draft"), N_("Published"),
	                                                        N_("Deleted")};
	return (unsigned)s < PROFILE_STATUS__MAX ? labels[s] : "";
}

const char *
profile_step_label(enum profile_step s)
{
	static const char *const labels[PROFILE_STEP__MAX] = {N_("Publish locations"),
	                                                      N_("Sell markets"), N_("Content")};
	return (unsigned)s < PROFILE_STEP__MAX ? labels[s] : "";
}

unsigned
profile_steps_parse(const char *list)
{
	unsigned bits = 0;
	while (list && *list) {
		size_t len = strcspn(list, ",");
		for (int s = 0; s < PROFILE_STEP__MAX; s++)
			if (strlen(step_codes[s]) == len && strncmp(list, step_codes[s], len) == 0)
				bits |= PROFILE_STEP_BIT(s);
		list += len;
		if (*list == ',')
			list++;
	}
	return bits;
}

enum profile_step
profile_first_missing(unsigned done)
{
	for (int s = 0; s < PROFILE_STEP__MAX; s++)
		if (!(done & PROFILE_STEP_BIT(s)))
			return (enum profile_step)s;
	return PROFILE_STEP__MAX;
}

bool
profile_may_manage(unsigned roles)
{
	return (roles & (ROLE_BIT(ROLE_GLOBAL_ADMIN) | ROLE_BIT(ROLE_PROFILE_ADMIN))) != 0;
}

enum profile_refusal
profile_type_check(enum profile_type t, bool active_csp_tenant, bool has_csp_market)
{
	if (t != PROFILE_CSP)
		return PROFILE_OK;
	if (!active_csp_tenant)
		return PROFILE_REFUSE_NOT_CSP_TENANT;
	return has_csp_market ? PROFILE_OK : PROFILE_REFUSE_NO_CSP_MARKET;
}

enum profile_refusal
profile_location_check(const struct profile_location_facts *f)
{
	if (!f->has_active_location_id)
		return PROFILE_REFUSE_NO_LOCATION_ID;
	if (f->taken_by_other)
		return PROFILE_REFUSE_LOCATION_TAKEN;
	if (f->csp && !f->in_csp_market)
		return PROFILE_REFUSE_OUTSIDE_CSP_MARKET;
	return PROFILE_OK;
}

enum profile_refusal
profile_market_check(const struct profile_market_facts *f)
{
	if (f->is_publish_location)
		return PROFILE_REFUSE_IS_PUBLISH_LOCATION;
	if (f->csp && !f->in_csp_market)
		return PROFILE_REFUSE_OUTSIDE_CSP_MARKET;
	return PROFILE_OK;
}

/* The ASCII letter of a Latin-1 Supplement or Latin Extended-A letter
 * (U+00C0–U+017F), 0 for anything else. */
static char
latin_fold(unsigned cp)
{
	static const char sup[] = "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
	if (cp >= 0xC0 && cp <= 0xFF) {
		char c = sup[cp - 0xC0];
		return c == '*' || c == '/' ? 0 : c;
	}
	if (cp >= 0x100 && cp <= 0x17F) {
		static const char ext[] = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLl"
		                          "NnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
		size_t i = cp - 0x100;
		return i < sizeof(ext) - 1 ? ext[i] : 0;
	}
	return 0;
}

char *
profile_slug(const char *name, const char *suffix, char *out, size_t outlen)
{
	size_t o = 0, taken = 0;
	bool dash = false;
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	if (outlen == 0)
		return out;
	while (*p && taken < 60 && o + 2 < outlen) {
		unsigned cp = *p;
		size_t len = 1;
		if (cp >= 0xC0 && cp < 0xE0 && (p[1] & 0xC0) == 0x80) {
			cp = ((cp & 0x1F) << 6) | (p[1] & 0x3F);
			len = 2;
		} else if (cp >= 0xE0 && cp < 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
			cp = 0xFFFF; /* outside the foldable range */
			len = 3;
		} else if (cp >= 0xF0) {
			cp = 0xFFFF;
			for (len = 1; len < 4 && p[len] && (p[len] & 0xC0) == 0x80; len++)
				;
		}
		/* Ligatures fold to two letters. */
		const char *pair = cp == 0xC6 || cp == 0xE6     ? "ae"
		                   : cp == 0xDF                 ? "ss"
		                   : cp == 0x152 || cp == 0x153 ? "oe"
		                                                : NULL;
		if (pair && o + 3 < outlen) {
			if (dash && o > 0)
				out[o++] = '-';
			dash = false;
			out[o++] = pair[0];
			out[o++] = pair[1];
			taken += 2;
			p += len;
			continue;
		}
		char c = 0;
		if (cp < 0x80 && ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')))
			c = (char)cp;
		else if (cp >= 'A' && cp <= 'Z')
			c = (char)(cp - 'A' + 'a');
		else if (cp >= 0xC0 && cp <= 0x17F) {
			c = latin_fold(cp);
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
		}
		if (c) {
			if (dash && o > 0)
				out[o++] = '-';
			dash = false;
			if (o + 1 < outlen)
				out[o++] = c;
			taken++;
		} else {
			dash = true;
		}
		p += len;
	}
	if (o == 0 && o + 7 < outlen) {
		memcpy(out, "partner", 7);
		o = 7;
	}
	for (const char *s = suffix; s && *s && o + 2 < outlen; s++) {
		if (s == suffix)
			out[o++] = '-';
		if (*s >= 'a' && *s <= 'z')
			out[o++] = *s;
	}
	out[o] = '\0';
	return out;
}

/* ---- CSP regions ---- */
static const struct csp_region_row *region_rows;
static size_t nregion_rows;
static const char *region_codes[64];
static size_t nregion_codes;

void
csp_regions_set(const struct csp_region_row *rows, size_t n)
{
	region_rows = rows;
	nregion_rows = n;
	nregion_codes = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < nregion_codes && !seen; j++)
			seen = strcmp(region_codes[j], rows[i].region) == 0;
		if (!seen && nregion_codes < sizeof(region_codes) / sizeof(*region_codes))
			region_codes[nregion_codes++] = rows[i].region;
	}
}

const char *
csp_region_of(const char *country)
{
	for (size_t i = 0; country && i < nregion_rows; i++)
		if (strcmp(region_rows[i].country, country) == 0)
			return region_rows[i].region;
	return NULL;
}

const char *
csp_region_name(const char *region)
{
	for (size_t i = 0; region && i < nregion_rows; i++)
		if (strcmp(region_rows[i].region, region) == 0)
			return region_rows[i].region_name;
	return NULL;
}

const char *const *
csp_region_codes(size_t *n)
{
	*n = nregion_codes;
	return region_codes;
}

bool
csp_region_has(const char *region, const char *country)
{
	const char *r = csp_region_of(country);
	return r && region && strcmp(r, region) == 0;
}
