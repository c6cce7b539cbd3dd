#include "db/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/sbuf.h"

DB_STMT(st_sync_clear, "DELETE FROM directory_countries WHERE profile_id=?");
/* Result cards (sql/023_directory_cards.sql): the profile's own, and one per
 * publish location with a description of its own. */
#define CARDS_OF(where) \
	"INSERT INTO directory_cards (profile_id, country, slug, name, summary, has_logo) SELECT " \
	"p.id, '', COALESCE(p.slug, ''), p.name, LEFT(p.description, 240), p.logo_type<>'' FROM " \
	"profiles p WHERE p.status='published' AND p.id " where " UNION ALL SELECT l.profile_id, " \
	"l.country, COALESCE(p.slug, ''), p.name, LEFT(l.description, 240), p.logo_type<>'' FROM " \
	"profile_locations l JOIN profiles p ON p.id=l.profile_id WHERE p.status='published' AND " \
	"l.description<>'' AND l.profile_id " where
DB_STMT(st_sync_cards_clear, "DELETE FROM directory_cards WHERE profile_id=?");
DB_STMT(st_sync_cards, CARDS_OF("=?"));
DB_STMT(st_sync_publish,
        "INSERT INTO directory_countries (country, kind, profile_id) "
        "SELECT l.country, 0, l.profile_id FROM profile_locations l JOIN profiles p "
        "ON p.id=l.profile_id WHERE l.profile_id=? AND p.status='published'");
DB_STMT(st_sync_sell,
        "INSERT IGNORE INTO directory_countries (country, kind, profile_id) "
        "SELECT m.country, 1, m.profile_id FROM profile_markets m JOIN profiles p "
        "ON p.id=m.profile_id WHERE m.profile_id=? AND p.status='published' AND NOT EXISTS "
        "(SELECT 1 FROM profile_locations l WHERE l.profile_id=m.profile_id "
        "AND l.country=m.country)");
DB_STMT(st_sync_text,
        "UPDATE profiles p SET p.search_text=CONCAT_WS(' ', p.name, p.description, "
        "(SELECT GROUP_CONCAT(l.description SEPARATOR ' ') FROM profile_locations l "
        "WHERE l.profile_id=p.id)) WHERE p.id=?");
DB_STMT(st_sync_text_clear, "DELETE FROM directory_search WHERE profile_id=?");
DB_STMT(st_sync_countries, "SELECT country, kind FROM directory_countries WHERE profile_id=? "
                           "ORDER BY kind, country");
DB_STMT(st_sync_text_add, "INSERT INTO directory_search (profile_id, areas, industries, "
                          "languages, body) SELECT id, ?, ?, ?, CONCAT_WS(' ', ?, search_text) "
                          "FROM profiles WHERE id=? AND status='published'");
/* A change of the directory's rows makes the cached match lists and pages
 * of the searches in the countries it touches stale, and those of the
 * searches without a country (src/db/directory_search.c): their
 * generations change, the rows locked in the order of the list ("" first).
 * A generation moves to the current microsecond (or one past itself), so
 * that a database restored from a backup never labels its rows with a
 * generation a cached file already carries. */
#define NEXT_GENERATION "FLOOR(UNIX_TIMESTAMP(NOW(6)) * 1000000)"
DB_STMT(st_sync_old_countries, "SELECT country FROM directory_countries WHERE profile_id=?");
DB_STMT(st_generation_bump,
        "INSERT INTO directory_generation (country, generation) SELECT j.c, " NEXT_GENERATION
        " FROM JSON_TABLE(?, '$[*]' COLUMNS (n FOR ORDINALITY, c VARCHAR(2) PATH '$')) j ORDER BY "
        "j.n ON DUPLICATE KEY UPDATE generation=GREATEST(generation+1, VALUES(generation))");
DB_STMT(st_generation_bump_all, "UPDATE directory_generation SET generation=GREATEST(generation+1, "
                                NEXT_GENERATION ")");
DB_STMT(st_generation_add_range,
        "INSERT IGNORE INTO directory_generation (country, generation) SELECT '', "
        NEXT_GENERATION " UNION SELECT DISTINCT country, " NEXT_GENERATION " FROM "
        "directory_countries WHERE profile_id BETWEEN ? AND ?");

static int
country_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Changes the generations of "" and of the countries of old and now (the
 * first column of each), in one statement. */
static enum db_err
generation_bump(struct arena *a, const struct db_result *old, const struct db_result *now)
{
	size_t n = 0;
	const char **c = arena_alloc(a, sizeof(*c) * (old->nrows + now->nrows + 1));
	for (size_t i = 0; i < old->nrows; i++)
		c[n++] = db_cell(old, i, 0);
	for (size_t i = 0; i < now->nrows; i++)
		c[n++] = db_cell(now, i, 0);
	qsort(c, n, sizeof(*c), country_cmp);
	struct sbuf json = {0};
	sbuf_adds(&json, "[\"\"");
	for (size_t i = 0; i < n; i++)
		if (c[i] && strlen(c[i]) == 2 && (i == 0 || strcmp(c[i], c[i - 1]) != 0))
			sbuf_printf(&json, ",\"%s\"", c[i]);
	sbuf_adds(&json, "]");
	struct db_result res;
	enum db_err rc = db_exec(a, &st_generation_bump, &res, "s", sbuf_cstr(&json));
	sbuf_free(&json);
	return rc;
}
DB_STMT(st_sync_facets, "SELECT facet, value FROM profile_facets WHERE profile_id=?");
DB_STMT(st_sync_masks, "UPDATE directory_countries SET areas=?, industries=?, languages=? "
                       "WHERE profile_id=?");
enum db_err
db_directory_sync(struct arena *a, long long profile_id)
{
	struct db_result res;
	enum db_err rc;
	/* Rows of the profile before or after: the directory changes (a
	 * draft's steps do not). */
	unsigned long long rows = 0;
	struct db_result old;
	if ((rc = db_exec(a, &st_sync_old_countries, &old, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_clear, &res, "i", profile_id)) != DB_OK)
		return rc;
	rows += res.affected;
	if ((rc = db_exec(a, &st_sync_publish, &res, "i", profile_id)) != DB_OK)
		return rc;
	rows += res.affected;
	if ((rc = db_exec(a, &st_sync_cards_clear, &res, "i", profile_id)) != DB_OK)
		return rc;
	rows += res.affected;
	if ((rc = db_exec(a, &st_sync_cards, &res, "ii", profile_id, profile_id)) != DB_OK)
		return rc;
	rows += res.affected;
	if ((rc = db_exec(a, &st_sync_text, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_sell, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_facets, &res, "i", profile_id)) != DB_OK)
		return rc;
	long long mask[DIRECTORY_FACET__MAX] = {0};
	for (size_t i = 0; i < res.nrows; i++) {
		int f = directory_facet_parse(db_cell(&res, i, 0));
		const char *value = db_cell(&res, i, 1);
		if (f >= 0)
			mask[f] |= (long long)directory_facet_mask((enum directory_facet)f, &value, 1);
	}
	if ((rc = db_exec(a, &st_sync_masks, &res, "iiii", mask[0], mask[1], mask[2], profile_id)) !=
	    DB_OK ||
	    (rc = db_exec(a, &st_sync_countries, &res, "i", profile_id)) != DB_OK)
		return rc;
	struct db_result now = res;
	/* The text row last: a rollback does not undo its full-text index
	 * (sql/019_directory_search.sql). */
	char *tokens = arena_alloc(a, res.nrows * DIRECTORY_TOKEN_SIZE + 1);
	size_t len = 0;
	for (size_t i = 0; i < res.nrows; i++) {
		char tok[DIRECTORY_TOKEN_SIZE];
		directory_country_token(db_cell(&res, i, 0), db_cell_ll(&res, i, 1) != 0, tok);
		if (*tok) {
			if (len)
				tokens[len++] = ' ';
			memcpy(tokens + len, tok, DIRECTORY_TOKEN_SIZE - 1);
			len += DIRECTORY_TOKEN_SIZE - 1;
		}
	}
	tokens[len] = '\0';
	if ((rc = db_exec(a, &st_sync_text_clear, &res, "i", profile_id)) != DB_OK)
		return rc;
	rows += res.affected;
	if ((rc = db_exec(a, &st_sync_text_add, &res, "iiisi", mask[0], mask[1], mask[2], tokens,
	                  profile_id)) != DB_OK)
		return rc;
	rows += res.affected;
	/* Last: the generation's row lock is held only until the commit. */
	return rows ? generation_bump(a, &old, &now) : DB_OK;
}

DB_STMT(st_profile,
        "SELECT p.id, p.tenant_id, COALESCE(p.partner_account_id, (SELECT g.id FROM "
        "partner_accounts g WHERE g.live_pga_tenant=p.tenant_id), 0), p.type, p.legacy, p.slug, "
        "p.name, p.description, p.website, p.lead_email, p.lang, p.logo_type, p.logo_width, "
        "p.logo_height FROM profiles p WHERE p.slug=? AND p.status='published'");
enum db_err
db_directory_profile(struct arena *a, const char *slug, struct profile *p, bool *found)
{
	struct db_result res;
	*found = false;
	memset(p, 0, sizeof(*p));
	enum db_err rc = db_exec(a, &st_profile, &res, "s", slug);
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	size_t k = 0;
	p->id = db_cell_ll(&res, 0, k++);
	p->tenant_id = db_cell_ll(&res, 0, k++);
	p->partner_account_id = db_cell_ll(&res, 0, k++);
	int t = profile_type_parse(db_cell(&res, 0, k++));
	p->type = t < 0 ? PROFILE_NON_CSP : (enum profile_type)t;
	p->status = PROFILE_PUBLISHED;
	p->legacy = db_cell_ll(&res, 0, k++) != 0;
	p->slug = db_cell(&res, 0, k++);
	p->name = db_cell(&res, 0, k++);
	p->description = db_cell(&res, 0, k++);
	p->website = db_cell(&res, 0, k++);
	p->lead_email = db_cell(&res, 0, k++);
	p->lang = db_cell(&res, 0, k++);
	p->logo_type = db_cell(&res, 0, k++);
	p->logo_width = db_cell_ll(&res, 0, k++);
	p->logo_height = db_cell_ll(&res, 0, k++);
	*found = true;
	return db_profile_details(a, p);
}

/* The same rows as db_directory_sync, for every profile of an id range at
 * once, each directory row written with its facet masks (domain
 * directory_facet_mask: bit i for the i-th code of the facet's list, given
 * as a comma-separated list, DIRECTORY_OTHER_BIT for a language outside
 * it), computed once per profile. */
DB_STMT(st_range_clear, "DELETE FROM directory_countries WHERE profile_id BETWEEN ? AND ?");
DB_STMT(st_range_cards_clear, "DELETE FROM directory_cards WHERE profile_id BETWEEN ? AND ?");
DB_STMT(st_range_cards, CARDS_OF("BETWEEN ? AND ?"));
/* The range's masks, computed once into a temporary table of the session. */
DB_STMT(st_range_masks_table,
        "CREATE TEMPORARY TABLE IF NOT EXISTS directory_range_masks (profile_id BIGINT UNSIGNED "
        "NOT NULL PRIMARY KEY, areas BIGINT UNSIGNED NOT NULL, industries BIGINT UNSIGNED NOT "
        "NULL, languages BIGINT UNSIGNED NOT NULL) ENGINE=MEMORY");
DB_STMT(st_range_masks_clear, "DELETE FROM directory_range_masks");
DB_STMT(st_range_masks,
        "INSERT INTO directory_range_masks (profile_id, areas, industries, languages) SELECT "
        "f.profile_id, BIT_OR(IF(f.facet='solution_area' AND FIND_IN_SET(f.value, ?) > 0, 1 << "
        "(FIND_IN_SET(f.value, ?) - 1), 0)), BIT_OR(IF(f.facet='industry' AND "
        "FIND_IN_SET(f.value, ?) > 0, 1 << (FIND_IN_SET(f.value, ?) - 1), 0)), "
        "BIT_OR(IF(f.facet='language', IF(FIND_IN_SET(f.value, ?) > 0, 1 << (FIND_IN_SET(f.value, "
        "?) - 1), 1 << " DIRECTORY_OTHER_BIT_SQL "), 0)) FROM profile_facets f WHERE "
        "f.profile_id BETWEEN ? AND ? GROUP BY f.profile_id");
#define RANGE_MASKS " directory_range_masks m ON m.profile_id=p.id "
#define RANGE_ROW_MASKS "COALESCE(m.areas, 0), COALESCE(m.industries, 0), COALESCE(m.languages, 0)"
DB_STMT(st_range_publish,
        "INSERT INTO directory_countries (country, kind, profile_id, areas, industries, "
        "languages) SELECT l.country, 0, l.profile_id, " RANGE_ROW_MASKS " FROM "
        "profile_locations l JOIN profiles p ON p.id=l.profile_id LEFT JOIN" RANGE_MASKS
        "WHERE l.profile_id BETWEEN ? AND ? AND p.status='published'");
DB_STMT(st_range_sell,
        "INSERT IGNORE INTO directory_countries (country, kind, profile_id, areas, industries, "
        "languages) SELECT mk.country, 1, mk.profile_id, " RANGE_ROW_MASKS " FROM "
        "profile_markets mk JOIN profiles p ON p.id=mk.profile_id LEFT JOIN" RANGE_MASKS
        "WHERE mk.profile_id BETWEEN ? AND ? AND p.status='published' AND NOT EXISTS (SELECT 1 "
        "FROM profile_locations l WHERE l.profile_id=mk.profile_id AND l.country=mk.country)");
DB_STMT(st_range_text,
        "UPDATE profiles p SET p.search_text=CONCAT_WS(' ', p.name, p.description, "
        "(SELECT GROUP_CONCAT(l.description SEPARATOR ' ') FROM profile_locations l "
        "WHERE l.profile_id=p.id)) WHERE p.id BETWEEN ? AND ?");
DB_STMT(st_range_text_clear, "DELETE FROM directory_search WHERE profile_id BETWEEN ? AND ?");
/* The country tokens as sql/019_directory_search.sql builds them, the
 * masks from the profile's directory_countries rows. */
DB_STMT(st_range_text_add,
        "INSERT INTO directory_search (profile_id, areas, industries, languages, body) SELECT "
        "p.id, COALESCE(m.areas, 0), COALESCE(m.industries, 0), COALESCE(m.languages, 0), "
        "CONCAT_WS(' ', (SELECT "
        "GROUP_CONCAT(CONCAT('cc', LOWER(d.country), IF(d.kind=0, 'p', 's')) ORDER BY d.kind, "
        "d.country SEPARATOR ' ') FROM directory_countries d WHERE d.profile_id=p.id), "
        "p.search_text) FROM profiles p LEFT JOIN" RANGE_MASKS "WHERE p.id BETWEEN ? AND ? AND "
        "p.status='published'");

/* The codes of facet f's list, comma-separated (for FIND_IN_SET). */
static const char *
facet_list_csv(struct arena *a, enum directory_facet f)
{
	size_t n = directory_facet_bits(f), len = 0;
	for (size_t b = 0; b < n; b++)
		len += strlen(directory_facet_bit_code(f, (int)b)) + 1;
	char *out = arena_alloc(a, len + 1);
	out[0] = '\0';
	for (size_t b = 0, at = 0; b < n; b++) {
		const char *code = directory_facet_bit_code(f, (int)b);
		size_t k = strlen(code);
		if (b)
			out[at++] = ',';
		memcpy(out + at, code, k);
		at += k;
		out[at] = '\0';
	}
	return out;
}

enum db_err
db_directory_sync_range(struct arena *a, long long first_id, long long last_id)
{
	struct db_result res;
	enum db_err rc;
	const char *sa = facet_list_csv(a, DIRECTORY_FACET_SOLUTION_AREA),
	           *in = facet_list_csv(a, DIRECTORY_FACET_INDUSTRY),
	           *la = facet_list_csv(a, DIRECTORY_FACET_LANGUAGE);
	if ((rc = db_exec(a, &st_range_masks_table, &res, "")) != DB_OK ||
	    (rc = db_exec(a, &st_range_masks_clear, &res, "")) != DB_OK ||
	    (rc = db_exec(a, &st_range_masks, &res, "ssssssii", sa, sa, in, in, la, la, first_id,
	                  last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_clear, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_publish, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_cards_clear, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_cards, &res, "iiii", first_id, last_id, first_id, last_id)) !=
	        DB_OK ||
	    (rc = db_exec(a, &st_range_sell, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_text, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_text_clear, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_query_plain("SET SESSION group_concat_max_len=1048576")) != DB_OK ||
	    (rc = db_exec(a, &st_range_text_add, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_generation_bump_all, &res, "")) != DB_OK)
		return rc;
	return db_exec(a, &st_generation_add_range, &res, "ii", first_id, last_id);
}

DB_STMT(st_id_range, "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM profiles");
enum db_err
db_directory_id_range(struct arena *a, long long *first_id, long long *last_id)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_id_range, &res, "");
	*first_id = *last_id = 0;
	if (rc == DB_OK && res.nrows == 1) {
		*first_id = db_cell_ll(&res, 0, 0);
		*last_id = db_cell_ll(&res, 0, 1);
	}
	return rc;
}
