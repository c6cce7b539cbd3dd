/* The public directory's searches (db/directory.h): each search's match
 * list and each anonymous page kept between requests (sql/022), the facet
 * filters, counts and pages read from them. */
#include "db/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/sbuf.h"

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
