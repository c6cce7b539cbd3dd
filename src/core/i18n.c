#include "core/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

#define MO_MAGIC 0x950412deu
#define MO_MAGIC_SWAPPED 0xde120495u
#define ISO3166_JSON "/usr/share/iso-codes/json/iso_3166-1.json"
#define ISO3166_FR_MO "/usr/share/locale/fr/LC_MESSAGES/iso_3166-1.mo"

struct mo_catalog {
	unsigned char *map;
	size_t         size;
	uint32_t       n, orig_off, trans_off;
	bool           swapped;
};

static uint32_t
mo_u32(const struct mo_catalog *c, size_t off)
{
	uint32_t v;
	if (off + 4 > c->size)
		return 0;
	memcpy(&v, c->map + off, 4);
	return c->swapped ? __builtin_bswap32(v) : v;
}

/* String i of the table at table_off, or NULL when out of bounds. */
static const char *
mo_string(const struct mo_catalog *c, uint32_t table_off, uint32_t i, uint32_t *len)
{
	uint32_t l = mo_u32(c, (size_t)table_off + 8u * i);
	uint32_t o = mo_u32(c, (size_t)table_off + 8u * i + 4);
	if ((size_t)o + l >= c->size || c->map[o + l] != '\0')
		return NULL;
	if (len)
		*len = l;
	return (const char *)c->map + o;
}

struct mo_catalog *
mo_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size < 28) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return NULL;
	struct mo_catalog *c = calloc(1, sizeof(*c));
	if (c == NULL)
		abort();
	c->map = map;
	c->size = (size_t)st.st_size;
	uint32_t magic;
	memcpy(&magic, map, 4);
	if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED) {
		mo_free(c);
		errno = EINVAL;
		return NULL;
	}
	c->swapped = magic == MO_MAGIC_SWAPPED;
	c->n = mo_u32(c, 8);
	c->orig_off = mo_u32(c, 12);
	c->trans_off = mo_u32(c, 16);
	if ((size_t)c->orig_off + 8u * c->n > c->size || (size_t)c->trans_off + 8u * c->n > c->size) {
		mo_free(c);
		errno = EINVAL;
		return NULL;
	}
	return c;
}

/* msgfmt sorts the original strings, so a binary search finds msgid. */
const char *
mo_lookup(const struct mo_catalog *c, const char *msgid)
{
	if (c == NULL)
		return NULL;
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *s = mo_string(c, c->orig_off, mid, NULL);
		if (s == NULL)
			return NULL;
		int cmp = strcmp(msgid, s);
		if (cmp == 0) {
			uint32_t len = 0;
			const char *t = mo_string(c, c->trans_off, mid, &len);
			return t && len ? t : NULL;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t
mo_count(const struct mo_catalog *c)
{
	return c ? c->n : 0;
}

void
mo_free(struct mo_catalog *c)
{
	if (c == NULL)
		return;
	munmap(c->map, c->size);
	free(c);
}

static struct mo_catalog *catalogs[LANG__MAX];
static struct country *country_table;
static size_t country_count;
static const struct country **country_by_name[LANG__MAX];

static const char *lang_codes[LANG__MAX] = {"en", "fr"};

const char *
lang_code(enum lang l)
{
	return (unsigned)l < LANG__MAX ? lang_codes[l] : "en";
}

int
lang_parse(const char *code)
{
	if (code == NULL)
		return -1;
	for (int i = 0; i < LANG__MAX; i++)
		if (strcasecmp(code, lang_codes[i]) == 0)
			return i;
	return -1;
}

/* Picks the supported language with the highest q value; ties go to the
 * one listed first. */
enum lang
lang_from_accept(const char *h)
{
	enum lang best = LANG_EN;
	double best_q = 0.0;
	if (h == NULL)
		return best;
	const char *p = h;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *tag = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ')
			p++;
		size_t taglen = (size_t)(p - tag);
		double q = 1.0;
		while (*p && *p != ',') {
			if (*p == ';') {
				p++;
				while (*p == ' ')
					p++;
				if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
					q = strtod(p + 2, NULL);
			} else {
				p++;
			}
		}
		for (int i = 0; i < LANG__MAX; i++) {
			if (taglen >= 2 && strncasecmp(tag, lang_codes[i], 2) == 0 &&
			    (taglen == 2 || tag[2] == '-' || tag[2] == '_') && q > best_q) {
				best = (enum lang)i;
				best_q = q;
			}
		}
	}
	return best;
}

const char *
tr(enum lang lang, const char *msgid)
{
	const char *t = (unsigned)lang < LANG__MAX ? mo_lookup(catalogs[lang], msgid) : NULL;
	return t ? t : msgid;
}

bool
i18n_has(enum lang lang, const char *msgid)
{
	return (unsigned)lang < LANG__MAX && mo_lookup(catalogs[lang], msgid) != NULL;
}

static enum lang sort_lang;

/* Next letter of a UTF-8 name folded for sorting: Latin-1 accented letters
 * compare as their base letter, case ignored ("Égypte" sorts with E). */
static int
fold_next(const unsigned char **p)
{
	static const char latin1[] = "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
	const unsigned char *s = *p;
	if (*s == 0)
		return 0;
	if (s[0] == 0xC3 && s[1] >= 0x80 && s[1] <= 0xBF) {
		*p = s + 2;
		return tolower((unsigned char)latin1[s[1] - 0x80]);
	}
	*p = s + 1;
	return tolower(*s);
}

static int
country_cmp(const void *a, const void *b)
{
	const struct country *x = *(const struct country *const *)a;
	const struct country *y = *(const struct country *const *)b;
	const unsigned char *p = (const unsigned char *)x->name[sort_lang];
	const unsigned char *q = (const unsigned char *)y->name[sort_lang];
	for (;;) {
		int c = fold_next(&p), d = fold_next(&q);
		if (c != d || c == 0)
			return c - d;
	}
}

/* Reads ISO 3166-1 from iso-codes; French names from its catalog. */
static int
countries_load(void)
{
	json_error_t jerr;
	json_t *root = json_load_file(ISO3166_JSON, 0, &jerr);
	json_t *list = root ? json_object_get(root, "3166-1") : NULL;
	if (!json_is_array(list)) {
		log_err("cannot read %s (Debian package iso-codes): %s", ISO3166_JSON, jerr.text);
		json_decref(root);
		return -1;
	}
	struct mo_catalog *fr = mo_load(ISO3166_FR_MO);
	size_t n = json_array_size(list);
	country_table = calloc(n, sizeof(*country_table));
	if (country_table == NULL)
		abort();
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(list, i);
		const char *code = json_string_value(json_object_get(e, "alpha_2"));
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *common = json_string_value(json_object_get(e, "common_name"));
		if (code == NULL || name == NULL || strlen(code) != 2)
			continue;
		struct country *c = &country_table[country_count++];
		memcpy(c->code, code, 3);
		const char *en = common ? common : name;
		c->name[LANG_EN] = strdup(en);
		const char *fr_name = mo_lookup(fr, en);
		if (fr_name == NULL)
			fr_name = mo_lookup(fr, name);
		c->name[LANG_FR] = strdup(fr_name ? fr_name : en);
	}
	mo_free(fr);
	json_decref(root);
	for (int l = 0; l < LANG__MAX; l++) {
		country_by_name[l] = calloc(country_count, sizeof(*country_by_name[l]));
		if (country_by_name[l] == NULL)
			abort();
		for (size_t i = 0; i < country_count; i++)
			country_by_name[l][i] = &country_table[i];
		sort_lang = (enum lang)l;
		qsort(country_by_name[l], country_count, sizeof(*country_by_name[l]), country_cmp);
	}
	return 0;
}

static unsigned long long catalogs_stamp;

unsigned long long
i18n_stamp(void)
{
	return catalogs_stamp;
}

int
i18n_init(const char *dir)
{
	char path[4096];
	catalogs_stamp = 14695981039346656037ull;
	for (int l = 0; l < LANG__MAX; l++) {
		snprintf(path, sizeof(path), "%s/%s.mo", dir, lang_codes[l]);
		struct stat st;
		if (stat(path, &st) == 0) {
			unsigned long long facts[3] = {(unsigned long long)st.st_size,
			                               (unsigned long long)st.st_mtim.tv_sec,
			                               (unsigned long long)st.st_mtim.tv_nsec};
			for (int k = 0; k < 3; k++)
				catalogs_stamp = (catalogs_stamp ^ facts[k]) * 1099511628211ull;
		}
		catalogs[l] = mo_load(path);
		if (catalogs[l] == NULL) {
			log_err("cannot load catalog %s: %s", path, strerror(errno ? errno : EINVAL));
			return -1;
		}
	}
	return countries_load();
}

void
i18n_free(void)
{
	for (int l = 0; l < LANG__MAX; l++) {
		mo_free(catalogs[l]);
		catalogs[l] = NULL;
		free(country_by_name[l]);
		country_by_name[l] = NULL;
	}
	for (size_t i = 0; i < country_count; i++)
		for (int l = 0; l < LANG__MAX; l++)
			free((char *)country_table[i].name[l]);
	free(country_table);
	country_table = NULL;
	country_count = 0;
}

const struct country *const *
countries_sorted(enum lang lang, size_t *n)
{
	*n = country_count;
	return (const struct country *const *)country_by_name[(unsigned)lang < LANG__MAX ? lang : 0];
}

const struct country *
country_find(const char *code)
{
	if (code == NULL || strlen(code) != 2)
		return NULL;
	for (size_t i = 0; i < country_count; i++)
		if (country_table[i].code[0] == toupper((unsigned char)code[0]) &&
		    country_table[i].code[1] == toupper((unsigned char)code[1]))
			return &country_table[i];
	return NULL;
}
