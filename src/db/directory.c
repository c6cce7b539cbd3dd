#include "db/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/sbuf.h"

DB_STMT(st_sync_clear, "DELETE FROM directory_countries WHERE profile_id=?");
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
/* A change of the directory's rows makes the cached match lists of the
 * searches in the countries it touches stale, and those of the searches
 * without a country (sql/022_directory_cache.sql): their generations
 * change, the rows locked in the order of the list ("" first). */
DB_STMT(st_sync_old_countries, "SELECT country FROM directory_countries WHERE profile_id=?");
DB_STMT(st_generation_bump,
        "INSERT INTO directory_generation (country, generation) SELECT j.c, 1 FROM "
        "JSON_TABLE(?, '$[*]' COLUMNS (n FOR ORDINALITY, c VARCHAR(2) PATH '$')) j ORDER BY j.n "
        "ON DUPLICATE KEY UPDATE generation=generation+1");
DB_STMT(st_generation_bump_all, "UPDATE directory_generation SET generation=generation+1");
DB_STMT(st_generation_add_range,
        "INSERT IGNORE INTO directory_generation (country, generation) SELECT '', 1 UNION "
        "SELECT DISTINCT country, 1 FROM directory_countries WHERE profile_id BETWEEN ? AND ?");

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

/* A search reads every match of its country and keywords (for the exact
 * total and facet counts), as a list kept between requests in
 * directory_match_cache (sql/022_directory_cache.sql) with its total and
 * counts while the directory's generation stays the same: a search without
 * facet filters then reads its page's ids only, one with filters the whole
 * list, and both only the page's profiles from the tables. The generation
 * is read before the matches, so a list is never newer than its label
 * says; a change commits with a new generation. */
#define CACHE_ROW "c.total, c.npublish, c.counts, c.others"
DB_STMT(st_cache_get,
        "SELECT COALESCE(g.generation, 0), " CACHE_ROW ", IF(?, c.matches, SUBSTRING(c.matches, "
        "?, ?)) FROM (SELECT ? AS country) k LEFT JOIN directory_generation g ON "
        "g.country=k.country LEFT JOIN directory_match_cache c ON c.slot BETWEEN ? AND ? AND "
        "c.search_key=? AND c.generation=COALESCE(g.generation, 0) LIMIT 1");
DB_STMT(st_cache_page, "SELECT SUBSTRING(matches, ?, ?) FROM directory_match_cache WHERE slot IN "
                       "(?, ?) AND search_key=? AND generation=? LIMIT 1");
DB_STMT(st_cache_slots, "SELECT slot FROM directory_match_cache WHERE slot BETWEEN ? AND ? "
                        "ORDER BY stored_at, slot");
DB_STMT(st_cache_put,
        "INSERT INTO directory_match_cache (slot, search_key, generation, total, npublish, "
        "counts, others, matches) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
        "search_key=VALUES(search_key), generation=VALUES(generation), total=VALUES(total), "
        "npublish=VALUES(npublish), counts=VALUES(counts), others=VALUES(others), "
        "matches=VALUES(matches), stored_at=NOW(6)");

/* The matches of each shape, whatever the facets: id, kind (0 where the
 * profile is published in the country), relevance and the three masks. */
#define MATCH_Q  "MATCH(t.body) AGAINST(? IN BOOLEAN MODE)"
#define MATCHES(kind) "SELECT t.profile_id, " kind ", " MATCH_Q ", t.areas, t.industries, " \
	"t.languages FROM directory_search t WHERE " MATCH_Q
DB_STMT(st_matches_all, "SELECT t.profile_id, 0, 0, t.areas, t.industries, t.languages FROM "
                        "directory_search t ORDER BY t.profile_id");
DB_STMT(st_matches_country, "SELECT d.profile_id, d.kind, 0, d.areas, d.industries, d.languages "
                            "FROM directory_countries d WHERE d.country=? "
                            "ORDER BY d.kind, d.profile_id");
DB_STMT(st_matches_all_q, MATCHES("0"));
DB_STMT(st_matches_country_q, MATCHES("0") " UNION ALL " MATCHES("1"));

/* The profiles with a language outside the common ones (its facet filter),
 * and the other languages of a set of profiles (their facet counts). */
DB_STMT(st_other_language_ids, "SELECT profile_id FROM profile_facets WHERE facet='language' "
                               "AND value=? ORDER BY profile_id");
DB_STMT(st_other_language_counts,
        "SELECT COALESCE(GROUP_CONCAT(CONCAT(x.value, '=', x.n) ORDER BY x.value), '') FROM "
        "(SELECT f.value, COUNT(*) n FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH "
        "'$')) j JOIN profile_facets f ON f.profile_id=j.id AND f.facet='language' GROUP BY "
        "f.value) x");

#define IDS_20 "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
DB_STMT(st_hits_by_id,
        "SELECT p.id, p.slug, p.name, LEFT(COALESCE(NULLIF(l.description,''), p.description), "
        "240), p.logo_type<>'' FROM profiles p LEFT JOIN profile_locations l ON "
        "l.profile_id=p.id AND l.country=? WHERE p.id IN (" IDS_20 ")");

static int
code_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The solution areas of packed facets, as comma-separated codes in
 * alphabetical order. */
static const char *
solution_areas_of(struct arena *a, uint64_t facets)
{
	const char *codes[64];
	size_t n = 0, len = 1;
	size_t bits = directory_facet_bits(DIRECTORY_FACET_SOLUTION_AREA);
	for (size_t b = 0; b < bits; b++)
		if (facets & directory_packed_bit(DIRECTORY_FACET_SOLUTION_AREA, (int)b)) {
			codes[n] = directory_facet_bit_code(DIRECTORY_FACET_SOLUTION_AREA, (int)b);
			len += strlen(codes[n++]) + 1;
		}
	qsort(codes, n, sizeof(*codes), code_cmp);
	char *out = arena_alloc(a, len), *at = out;
	*at = '\0';
	for (size_t i = 0; i < n; i++)
		at += sprintf(at, "%s%s", i ? "," : "", codes[i]);
	return out;
}

/* A search's list: its matches (all of them, or from index first on),
 * total, how many are published in the country, the counts. */
struct match_list {
	size_t               total, npublish;
	uint32_t             counts[64];
	const char          *others; /* "code=n,…" of the languages outside the common ones */
	const unsigned char *entries;
	size_t               first, nentries;
};

struct ranked {
	struct directory_match m;
	int    kind;
	double rel;
};
/* Publish locations first, then by relevance, then oldest first. */
static int
ranked_cmp(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->rel != b->rel)
		return a->rel > b->rel ? -1 : 1;
	return (a->m.id > b->m.id) - (a->m.id < b->m.id);
}

/* The other languages' counts ("code=n,…") of the ids in others (a JSON
 * array being built, "" for none). */
static enum db_err
other_counts(struct arena *a, struct sbuf *others, const char **out)
{
	*out = "";
	if (others->len == 0)
		return DB_OK;
	sbuf_adds(others, "]");
	struct db_result res;
	enum db_err rc = db_exec(a, &st_other_language_counts, &res, "s", sbuf_cstr(others));
	if (rc == DB_OK && res.nrows == 1 && db_cell(&res, 0, 0))
		*out = db_cell(&res, 0, 0);
	return rc;
}

/* Reads the list of (country, expr) from the tables. */
static enum db_err
list_read(struct arena *a, const char *country, const char *expr, struct match_list *l)
{
	struct db_result res;
	enum db_err rc;
	if (*expr == '\0')
		rc = *country ? db_exec(a, &st_matches_country, &res, "s", country)
		              : db_exec(a, &st_matches_all, &res, "");
	else if (*country == '\0')
		rc = db_exec(a, &st_matches_all_q, &res, "ss", expr, expr);
	else {
		char *pub = arena_alloc(a, 2 * DIRECTORY_CEXPR_MAX), *sell = pub + DIRECTORY_CEXPR_MAX;
		directory_country_expr(country, DIRECTORY_KINDS_PUBLISHED, expr, pub,
		                       DIRECTORY_CEXPR_MAX);
		directory_country_expr(country, DIRECTORY_KINDS_SELLS, expr, sell, DIRECTORY_CEXPR_MAX);
		rc = db_exec(a, &st_matches_country_q, &res, "ssss", pub, pub, sell, sell);
	}
	if (rc != DB_OK)
		return rc;
	struct ranked *r = arena_alloc(a, sizeof(*r) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		unsigned long long mask[DIRECTORY_FACET__MAX];
		for (int f = 0; f < DIRECTORY_FACET__MAX; f++) {
			const char *cell = db_cell(&res, i, 3 + (size_t)f);
			mask[f] = cell ? strtoull(cell, NULL, 10) : 0;
		}
		r[i].m.id = (uint32_t)db_cell_ll(&res, i, 0);
		r[i].m.facets = directory_facets_pack(mask);
		r[i].kind = (int)db_cell_ll(&res, i, 1);
		r[i].rel = db_cell(&res, i, 2) ? strtod(db_cell(&res, i, 2), NULL) : 0;
	}
	if (*expr)
		qsort(r, res.nrows, sizeof(*r), ranked_cmp);
	memset(l, 0, sizeof(*l));
	l->total = l->nentries = res.nrows;
	struct directory_match *m = arena_alloc(a, sizeof(*m) * (res.nrows + 1));
	struct sbuf others = {0};
	const uint64_t other_bit = directory_packed_bit(DIRECTORY_FACET_LANGUAGE, DIRECTORY_OTHER_BIT);
	for (size_t i = 0; i < res.nrows; i++) {
		m[i] = r[i].m;
		l->npublish += r[i].kind == 0;
		directory_packed_count(m[i].facets, l->counts);
		if (m[i].facets & other_bit)
			sbuf_printf(&others, "%s%u", others.len ? "," : "[", m[i].id);
	}
	unsigned char *buf = arena_alloc(a, res.nrows * DIRECTORY_MATCH_BYTES + 1);
	directory_matches_encode(m, res.nrows, buf);
	l->entries = buf;
	rc = other_counts(a, &others, &l->others);
	sbuf_free(&others);
	return rc;
}

/* Of a search's set of slots (st lists their slots and when they were
 * written): the first free one, else the one written longest ago. */
static long long
slot_choice(struct arena *a, struct db_stmt *st, const unsigned set[2])
{
	struct db_result res;
	if (db_exec(a, st, &res, "ii", (long long)set[0], (long long)set[1]) != DB_OK ||
	    res.nrows == 0)
		return set[0];
	bool used[DIRECTORY_CACHE_WAYS] = {false};
	long long oldest = db_cell_ll(&res, 0, 0);
	for (size_t i = 0; i < res.nrows; i++) {
		long long slot = db_cell_ll(&res, i, 0);
		if (slot >= set[0] && slot <= set[1])
			used[slot - set[0]] = true;
	}
	for (unsigned k = 0; k < DIRECTORY_CACHE_WAYS; k++)
		if (!used[k])
			return set[0] + k;
	return oldest; /* the rows come oldest first */
}

/* Caches list l of key in one of its slots: a free one, else one of
 * another generation, else the first (a failed write only costs the next
 * search a read). */
static void
list_put(struct arena *a, const unsigned slots[2], const char *key, long long generation,
         const struct match_list *l)
{
	struct db_result res;
	long long slot = slot_choice(a, &st_cache_slots, slots);
	unsigned char counts[DIRECTORY_COUNTS_BYTES];
	directory_counts_encode(l->counts, counts);
	if (db_exec(a, &st_cache_put, &res, "isiiibsb", slot, key, generation, (long long)l->total,
	            (long long)l->npublish, counts, sizeof(counts), l->others, l->entries,
	            l->total * DIRECTORY_MATCH_BYTES) != DB_OK)
		log_warn("directory: the match list of a search was not cached");
}

/* The list of (country, expr): with every match when whole, else from
 * the page asked for on (the whole list when it is read from the tables). */
static enum db_err
list_of(struct arena *a, const char *country, const char *expr, bool whole, long page,
        struct match_list *l)
{
	unsigned slots[2];
	directory_cache_set(country, expr, slots);
	const char *key = arena_printf(a, "%s\x1f%s", country, expr);
	long long first = (page < 1 ? 0 : page - 1) * (long long)DIRECTORY_PAGE_SIZE;
	struct db_result res;
	enum db_err rc = db_exec(a, &st_cache_get, &res, "iiisiis", (long long)whole,
	                         first * DIRECTORY_MATCH_BYTES + 1,
	                         (long long)(DIRECTORY_PAGE_SIZE * DIRECTORY_MATCH_BYTES), country,
	                         (long long)slots[0], (long long)slots[1], key);
	if (rc != DB_OK)
		return rc;
	long long generation = res.nrows ? db_cell_ll(&res, 0, 0) : 0;
	memset(l, 0, sizeof(*l));
	if (res.nrows && db_cell(&res, 0, 1) &&
	    directory_counts_decode((const unsigned char *)db_cell(&res, 0, 3), res.lens[3],
	                            l->counts)) {
		l->total = (size_t)db_cell_ll(&res, 0, 1);
		l->npublish = (size_t)db_cell_ll(&res, 0, 2);
		l->others = db_cell(&res, 0, 4);
		l->entries = (const unsigned char *)db_cell(&res, 0, 5);
		l->nentries = res.lens[5] / DIRECTORY_MATCH_BYTES;
		l->first = whole ? 0 : (size_t)first;
		/* A page past the end shows the last one. */
		struct directory_page p = directory_page_bounds((long long)l->total, page);
		if (whole || (size_t)p.offset == l->first)
			return DB_OK;
		l->first = (size_t)p.offset;
		if ((rc = db_exec(a, &st_cache_page, &res, "iiiisi",
		                  (long long)l->first * DIRECTORY_MATCH_BYTES + 1,
		                  (long long)(DIRECTORY_PAGE_SIZE * DIRECTORY_MATCH_BYTES),
		                  (long long)slots[0], (long long)slots[1], key, generation)) != DB_OK)
			return rc;
		if (res.nrows == 1) {
			l->entries = (const unsigned char *)db_cell(&res, 0, 0);
			l->nentries = res.lens[0] / DIRECTORY_MATCH_BYTES;
			return DB_OK;
		}
	}
	if ((rc = list_read(a, country, expr, l)) != DB_OK)
		return rc;
	if (res.nrows)
		list_put(a, slots, key, generation, l);
	return DB_OK;
}

static int
id_cmp(const void *x, const void *y)
{
	long long a = *(const long long *)x, b = *(const long long *)y;
	return (a > b) - (a < b);
}

/* The facet counts as rows, from the count of each bit per facet and, for
 * the languages outside the common ones, others ("code=n,…"). */
static void
facet_rows(struct arena *a, const uint32_t packed[64], const char *others,
           struct directory_facet_count **rows, size_t *n)
{
	long long counts[DIRECTORY_FACET__MAX][64];
	directory_counts_unpack(packed, counts);
	size_t nbits = 0, nothers = 1;
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++)
		nbits += directory_facet_bits((enum directory_facet)i);
	for (const char *s = others; *s; s++)
		nothers += *s == ',';
	*n = 0;
	*rows = arena_alloc(a, sizeof(**rows) * (nbits + nothers + 1));
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++) {
		size_t bits = directory_facet_bits((enum directory_facet)i);
		for (size_t b = 0; b < bits; b++)
			if (counts[i][b] > 0)
				(*rows)[(*n)++] = (struct directory_facet_count){
				    (enum directory_facet)i,
				    directory_facet_bit_code((enum directory_facet)i, (int)b), counts[i][b]};
	}
	char *list = arena_strdup(a, others);
	for (char *save = NULL, *item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		long long c = strtoll(eq + 1, NULL, 10);
		if (c > 0 && directory_facet_bit(DIRECTORY_FACET_LANGUAGE, item) == DIRECTORY_OTHER_BIT)
			(*rows)[(*n)++] =
			    (struct directory_facet_count){DIRECTORY_FACET_LANGUAGE, item, c};
	}
}

/* Keeps the matches of l that pass the facet filters: their positions,
 * total and counts (l's own when nothing filters). */
static enum db_err
list_filter(struct arena *a, const struct directory_filter *f, struct match_list *l,
            size_t **kept)
{
	uint64_t want[DIRECTORY_FACET__MAX] = {0};
	bool filtered[DIRECTORY_FACET__MAX] = {false}, any = false;
	long long *other_ids = NULL;
	size_t nother_ids = 0;
	enum db_err rc;
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++) {
		int bit = directory_facet_bit((enum directory_facet)i, f->facet[i]);
		if (bit < 0)
			continue;
		any = filtered[i] = true;
		/* 0 for a value outside the lists: nothing matches. */
		want[i] = directory_packed_bit((enum directory_facet)i, bit);
		if (i == DIRECTORY_FACET_LANGUAGE && bit == DIRECTORY_OTHER_BIT) {
			struct db_result ids;
			if ((rc = db_exec(a, &st_other_language_ids, &ids, "s", f->facet[i])) != DB_OK)
				return rc;
			other_ids = arena_alloc(a, sizeof(*other_ids) * (ids.nrows + 1));
			for (size_t k = 0; k < ids.nrows; k++)
				other_ids[nother_ids++] = db_cell_ll(&ids, k, 0);
		}
	}
	*kept = NULL;
	if (!any)
		return DB_OK;
	size_t *pos = arena_alloc(a, sizeof(*pos) * (l->nentries + 1)), nkept = 0;
	uint32_t counts[64] = {0};
	struct sbuf others = {0};
	const uint64_t other_bit = directory_packed_bit(DIRECTORY_FACET_LANGUAGE, DIRECTORY_OTHER_BIT);
	for (size_t i = 0; i < l->nentries; i++) {
		struct directory_match m = directory_match_at(l->entries, i);
		bool pass = true;
		for (int k = 0; k < DIRECTORY_FACET__MAX && pass; k++)
			pass = !filtered[k] || (m.facets & want[k]) != 0;
		if (pass && other_ids) {
			long long id = m.id;
			pass = bsearch(&id, other_ids, nother_ids, sizeof(*other_ids), id_cmp) != NULL;
		}
		if (!pass)
			continue;
		pos[nkept++] = i;
		directory_packed_count(m.facets, counts);
		if (m.facets & other_bit)
			sbuf_printf(&others, "%s%u", others.len ? "," : "[", m.id);
	}
	l->total = nkept;
	memcpy(l->counts, counts, sizeof(counts));
	rc = other_counts(a, &others, &l->others);
	sbuf_free(&others);
	*kept = pos;
	return rc;
}

enum db_err
db_directory_search(struct arena *a, const struct directory_filter *f, long page,
                    struct directory_result *out)
{
	memset(out, 0, sizeof(*out));
	out->page = directory_page_bounds(0, 1);
	bool whole = false;
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++)
		whole = whole || directory_facet_bit((enum directory_facet)i, f->facet[i]) >= 0;
	struct match_list l;
	size_t *kept;
	enum db_err rc = list_of(a, f->country, f->expr, whole, page, &l);
	if (rc != DB_OK || (rc = list_filter(a, f, &l, &kept)) != DB_OK)
		return rc;
	out->total = (long long)l.total;
	facet_rows(a, l.counts, l.others ? l.others : "", &out->facets, &out->nfacets);
	out->page = directory_page_bounds(out->total, page);
	if (out->total == 0)
		return DB_OK;
	/* The page's positions in the list, and in l's entries. */
	size_t from = (size_t)out->page.offset, k = l.total - from;
	if (k > DIRECTORY_PAGE_SIZE)
		k = DIRECTORY_PAGE_SIZE;
	long long ids[DIRECTORY_PAGE_SIZE] = {0};
	uint64_t facets[DIRECTORY_PAGE_SIZE] = {0};
	size_t at[DIRECTORY_PAGE_SIZE] = {0};
	for (size_t i = 0; i < k; i++) {
		at[i] = kept ? kept[from + i] : from + i;
		if (at[i] < l.first || at[i] - l.first >= l.nentries)
			return DB_ERROR;
		struct directory_match m = directory_match_at(l.entries, at[i] - l.first);
		ids[i] = m.id;
		facets[i] = m.facets;
	}
	struct db_result hits;
	if ((rc = db_exec(a, &st_hits_by_id, &hits, "s" "iiiiiiiiiiiiiiiiiiii", f->country, ids[0],
	                  ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8], ids[9],
	                  ids[10], ids[11], ids[12], ids[13], ids[14], ids[15], ids[16], ids[17],
	                  ids[18], ids[19])) != DB_OK)
		return rc;
	out->hits = arena_alloc(a, sizeof(*out->hits) * (k + 1));
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < hits.nrows; j++)
			if (db_cell_ll(&hits, j, 0) == ids[i]) {
				struct directory_hit *h = &out->hits[out->nhits++];
				h->slug = db_cell(&hits, j, 1);
				h->name = db_cell(&hits, j, 2);
				h->summary = db_cell(&hits, j, 3);
				h->has_logo = db_cell_ll(&hits, j, 4) != 0;
				h->solution_areas = solution_areas_of(a, facets[i]);
				h->sells_only = at[i] >= l.npublish;
			}
	return DB_OK;
}

DB_STMT(st_page_get,
        "SELECT COALESCE(g.generation, 0), c.body FROM (SELECT ? AS country) k LEFT JOIN "
        "directory_generation g ON g.country=k.country LEFT JOIN directory_page_cache c ON "
        "c.slot BETWEEN ? AND ? AND c.page_key=? AND c.generation=COALESCE(g.generation, 0) LIMIT 1");
DB_STMT(st_page_slots, "SELECT slot FROM directory_page_cache WHERE slot BETWEEN ? AND ? ORDER "
                       "BY stored_at, slot");
DB_STMT(st_page_put, "INSERT INTO directory_page_cache (slot, page_key, generation, body) VALUES "
                     "(?, ?, ?, ?) ON DUPLICATE KEY UPDATE page_key=VALUES(page_key), "
                     "generation=VALUES(generation), body=VALUES(body), stored_at=NOW(6)");

enum db_err
db_directory_page_get(struct arena *a, const char *country, const char *key,
                      long long *generation, const char **body, size_t *len)
{
	unsigned slots[2];
	directory_cache_set(country, key, slots);
	struct db_result res;
	*generation = 0;
	*body = NULL;
	*len = 0;
	enum db_err rc = db_exec(a, &st_page_get, &res, "siis", country, (long long)slots[0],
	                         (long long)slots[1], key);
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	*generation = db_cell_ll(&res, 0, 0);
	if (db_cell(&res, 0, 1)) {
		*body = db_cell(&res, 0, 1);
		*len = res.lens[1];
	}
	return DB_OK;
}

void
db_directory_page_put(struct arena *a, const char *country, const char *key, long long generation,
                      const char *body, size_t len)
{
	unsigned slots[2];
	directory_cache_set(country, key, slots);
	struct db_result res;
	long long slot = slot_choice(a, &st_page_slots, slots);
	if (db_exec(a, &st_page_put, &res, "isib", slot, key, generation, body, len) != DB_OK)
		log_warn("directory: a search page was not cached");
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
