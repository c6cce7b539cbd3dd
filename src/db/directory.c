#include "db/directory.h"

#include <stdlib.h>
#include <string.h>

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
DB_STMT(st_sync_facets, "SELECT facet, value FROM profile_facets WHERE profile_id=?");
DB_STMT(st_sync_masks, "UPDATE directory_countries SET areas=?, industries=?, languages=? "
                       "WHERE profile_id=?");
enum db_err
db_directory_sync(struct arena *a, long long profile_id)
{
	struct db_result res;
	enum db_err rc;
	if ((rc = db_exec(a, &st_sync_clear, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_publish, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_sell, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_text, &res, "i", profile_id)) != DB_OK ||
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
	return db_exec(a, &st_sync_text_add, &res, "iiisi", mask[0], mask[1], mask[2], tokens,
	               profile_id);
}

/* The searches come in four shapes, by whether a country (the narrow
 * directory_countries range, publish locations first, its rows carrying
 * the facet masks) and keywords (the full-text index of directory_search,
 * which carries the masks too; its text holds the country tokens, so that
 * the expression filters by country too) are given. The facet filters are the same
 * in each: a mask test that a 0 turns off (MariaDB folds the constant at
 * each execution), and for a language outside the common ones an EXISTS
 * on profile_facets that '' turns off. */
#define FACET_FILTERS(x)                                                                  \
	" AND (?=0 OR " x ".areas & ? <> 0) AND (?=0 OR " x ".industries & ? <> 0)"          \
	" AND (?=0 OR " x ".languages & ? <> 0) AND (?='' OR EXISTS (SELECT 1 FROM "        \
	"profile_facets ff WHERE ff.profile_id=" x ".profile_id AND ff.facet='language' "    \
	"AND ff.value=?))"
#define MATCH_Q "MATCH(t.body) AGAINST(? IN BOOLEAN MODE)"
#define FROM_C  " FROM directory_countries d WHERE d.country=?" FACET_FILTERS("d")
#define FROM_A  " FROM directory_search t WHERE 1" FACET_FILTERS("t")
#define FROM_AQ " FROM directory_search t WHERE " MATCH_Q FACET_FILTERS("t")

enum shape { SHAPE_ALL, SHAPE_ALL_Q, SHAPE_COUNTRY, SHAPE_COUNTRY_Q, SHAPE__MAX };
static enum shape
shape_of(const struct directory_filter *f)
{
	return (enum shape)((*f->country ? 2 : 0) | (*f->expr ? 1 : 0));
}

/* The facet filters' parameters: each mask twice, the other language twice. */
struct facet_args {
	long long mask[DIRECTORY_FACET__MAX];
	const char *other_language;
};
static void
facet_args_of(const struct directory_filter *f, struct facet_args *fa)
{
	fa->other_language = "";
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++) {
		int bit = directory_facet_bit((enum directory_facet)i, f->facet[i]);
		fa->mask[i] = bit < 0 ? 0 : (long long)(1ULL << bit);
		if (i == DIRECTORY_FACET_LANGUAGE && bit == DIRECTORY_OTHER_BIT)
			fa->other_language = f->facet[i];
	}
}
#define FACET_TYPES "iiiiiiss"
#define FACET_ARGS(fa)                                                                    \
	(fa).mask[0], (fa).mask[0], (fa).mask[1], (fa).mask[1], (fa).mask[2], (fa).mask[2], \
	    (fa).other_language, (fa).other_language

/* Runs st (of shape sh) with its leading parameters (the country, or the
 * expression: with a country, the one of directory_country_expr), the
 * facets' and, when paged, limit and offset. */
static enum db_err
exec_shape(struct arena *a, struct db_stmt *st, enum shape sh, const struct directory_filter *f,
           bool paged, long long limit, long long offset, struct db_result *res)
{
	struct facet_args fa;
	facet_args_of(f, &fa);
	switch (sh) {
	case SHAPE_ALL:
		return paged ? db_exec(a, st, res, FACET_TYPES "ii", FACET_ARGS(fa), limit, offset)
		             : db_exec(a, st, res, FACET_TYPES, FACET_ARGS(fa));
	case SHAPE_COUNTRY:
		return paged ? db_exec(a, st, res, "s" FACET_TYPES "ii", f->country, FACET_ARGS(fa), limit,
		                       offset)
		             : db_exec(a, st, res, "s" FACET_TYPES, f->country, FACET_ARGS(fa));
	default:
		return db_exec(a, st, res, "s" FACET_TYPES, f->expr, FACET_ARGS(fa));
	}
}

/* Without keywords, the count and every facet value's count in one scan:
 * the matching rows grouped by their three masks in index order (a few
 * hundred combinations where there are thousands of rows), the bits summed
 * here. */
#define SUMMARY(x, from) "SELECT " x ".areas, " x ".industries, " x ".languages, COUNT(*)" from \
	" GROUP BY " x ".areas, " x ".industries, " x ".languages"
static struct db_stmt st_summary[SHAPE__MAX] = {
    [SHAPE_ALL] = {.sql = SUMMARY("t", FROM_A)},
    [SHAPE_COUNTRY] = {.sql = SUMMARY("d", FROM_C)},
};

/* The other languages' counts, read only when some profile has one. */
static struct db_stmt st_other[SHAPE__MAX] = {
    [SHAPE_ALL] = {.sql = "SELECT f.value, COUNT(*) FROM directory_search t JOIN profile_facets f "
                          "ON f.profile_id=t.profile_id AND f.facet='language' WHERE t.languages & "
                          DIRECTORY_OTHER_MASK " <> 0" FACET_FILTERS("t") " GROUP BY f.value"},
    [SHAPE_ALL_Q] = {.sql = "SELECT f.value, COUNT(*) FROM directory_search t JOIN profile_facets f "
                            "ON f.profile_id=t.profile_id AND f.facet='language' WHERE " MATCH_Q
                            " AND t.languages & " DIRECTORY_OTHER_MASK " <> 0" FACET_FILTERS("t")
                            " GROUP BY f.value"},
    [SHAPE_COUNTRY] = {.sql = "SELECT f.value, COUNT(*) FROM directory_countries d JOIN "
                              "profile_facets f ON f.profile_id=d.profile_id AND f.facet='language' "
                              "WHERE d.country=? AND d.languages & " DIRECTORY_OTHER_MASK " <> 0"
                              FACET_FILTERS("d") " GROUP BY f.value"},
    [SHAPE_COUNTRY_Q] = {.sql = "SELECT f.value, COUNT(*) FROM directory_search t JOIN "
                                "profile_facets f ON f.profile_id=t.profile_id AND "
                                "f.facet='language' WHERE " MATCH_Q " AND t.languages & "
                                DIRECTORY_OTHER_MASK " <> 0" FACET_FILTERS("t") " GROUP BY f.value"},
};

/* The facet counts as rows, from the count of each bit per facet (the
 * other-language bit's values from other, the st_other answer). */
static void
facet_rows(struct arena *a, long long counts[DIRECTORY_FACET__MAX][64],
           const struct db_result *other, struct directory_facet_count **rows, size_t *n)
{
	size_t nbits = 0;
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++)
		nbits += directory_facet_bits((enum directory_facet)i);
	*n = 0;
	*rows = arena_alloc(a, sizeof(**rows) * (nbits + other->nrows + 1));
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++) {
		size_t bits = directory_facet_bits((enum directory_facet)i);
		for (size_t b = 0; b < bits; b++)
			if (counts[i][b] > 0)
				(*rows)[(*n)++] = (struct directory_facet_count){
				    (enum directory_facet)i,
				    directory_facet_bit_code((enum directory_facet)i, (int)b), counts[i][b]};
	}
	for (size_t i = 0; i < other->nrows; i++) {
		const char *value = db_cell(other, i, 0);
		if (directory_facet_bit(DIRECTORY_FACET_LANGUAGE, value) == DIRECTORY_OTHER_BIT)
			(*rows)[(*n)++] = (struct directory_facet_count){DIRECTORY_FACET_LANGUAGE, value,
			                                                 db_cell_ll(other, i, 1)};
	}
}

/* Adds c to the count of every bit of the three masks in cells[0..2]. */
static void
count_masks(long long counts[DIRECTORY_FACET__MAX][64], const struct db_result *res, size_t row,
            size_t col, long long c)
{
	for (int fc = 0; fc < DIRECTORY_FACET__MAX; fc++) {
		const char *cell = db_cell(res, row, col + (size_t)fc);
		unsigned long long m = cell ? strtoull(cell, NULL, 10) : 0;
		for (int b = 0; m; b++, m >>= 1)
			if (m & 1)
				counts[fc][b] += c;
	}
}

/* slug, name, summary (the country's description, else the default), has
 * a logo, kind, solution areas; the page of ids chosen first from the
 * index alone (a deep page reads no profile it skips). */
#define HIT_COLS                                                                          \
	"SELECT p.slug, p.name, LEFT(COALESCE(NULLIF(l.description,''), p.description), 240), " \
	"p.logo_type<>'', x.kind, (SELECT COALESCE(GROUP_CONCAT(s.value ORDER BY s.value), '') " \
	"FROM profile_facets s WHERE s.profile_id=p.id AND s.facet='solution_area') FROM ("
#define HIT_JOIN                                                                          \
	") x JOIN profiles p ON p.id=x.profile_id LEFT JOIN profile_locations l "             \
	"ON l.profile_id=x.profile_id AND l.country=x.country "
static struct db_stmt st_page[] = {
    [SHAPE_ALL] = {.sql = HIT_COLS "SELECT t.profile_id, 0 AS kind, '' AS country" FROM_A
                          " ORDER BY t.profile_id LIMIT ? OFFSET ?" HIT_JOIN
                          "ORDER BY x.profile_id"},
    [SHAPE_COUNTRY] = {.sql = HIT_COLS "SELECT d.profile_id, d.kind, d.country" FROM_C
                              " ORDER BY d.kind, d.profile_id LIMIT ? OFFSET ?" HIT_JOIN
                              "ORDER BY x.kind, x.profile_id"},
};

static void
hit_from(const struct db_result *res, size_t i, size_t col, struct directory_hit *h)
{
	h->slug = db_cell(res, i, col);
	h->name = db_cell(res, i, col + 1);
	h->summary = db_cell(res, i, col + 2);
	h->has_logo = db_cell_ll(res, i, col + 3) != 0;
	h->sells_only = db_cell_ll(res, i, col + 4) != 0;
	h->solution_areas = db_cell(res, i, col + 5);
}

/* Without keywords: the count and the facet counts grouped by masks, then
 * the page read from the index. */
static enum db_err
search_plain(struct arena *a, const struct directory_filter *f, long page,
             struct directory_result *out)
{
	struct db_result res, other = {0};
	enum shape sh = shape_of(f);
	enum db_err rc = exec_shape(a, &st_summary[sh], sh, f, false, 0, 0, &res);
	if (rc != DB_OK)
		return rc;
	long long counts[DIRECTORY_FACET__MAX][64] = {{0}};
	for (size_t i = 0; i < res.nrows; i++) {
		long long c = db_cell_ll(&res, i, 3);
		out->total += c;
		count_masks(counts, &res, i, 0, c);
	}
	if (counts[DIRECTORY_FACET_LANGUAGE][DIRECTORY_OTHER_BIT] > 0 &&
	    (rc = exec_shape(a, &st_other[sh], sh, f, false, 0, 0, &other)) != DB_OK)
		return rc;
	facet_rows(a, counts, &other, &out->facets, &out->nfacets);
	out->page = directory_page_bounds(out->total, page);
	if (out->total == 0)
		return DB_OK;
	if ((rc = exec_shape(a, &st_page[sh], sh, f, true, DIRECTORY_PAGE_SIZE, out->page.offset,
	                     &res)) != DB_OK)
		return rc;
	out->hits = arena_alloc(a, sizeof(*out->hits) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		hit_from(&res, i, 0, &out->hits[i]);
	out->nhits = res.nrows;
	return DB_OK;
}

/* With keywords, the full-text search runs once (with a country, once per
 * kind, the country's token in each expression): every match with its
 * kind, relevance and masks (the counts are summed here, the page sorted
 * here), then the page's profiles by id. */
#define MATCHES(kind) "SELECT t.profile_id, " kind ", " MATCH_Q ", t.areas, t.industries, " \
	"t.languages" FROM_AQ
static struct db_stmt st_matches[SHAPE__MAX] = {
    [SHAPE_ALL_Q] = {.sql = MATCHES("0")},
    [SHAPE_COUNTRY_Q] = {.sql = MATCHES("0") " UNION ALL " MATCHES("1")},
};
#define IDS_20 "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
DB_STMT(st_hits_by_id,
        "SELECT p.id, p.slug, p.name, LEFT(COALESCE(NULLIF(l.description,''), p.description), "
        "240), p.logo_type<>'', 0, (SELECT COALESCE(GROUP_CONCAT(s.value ORDER BY s.value), '') "
        "FROM profile_facets s WHERE s.profile_id=p.id AND s.facet='solution_area') FROM profiles "
        "p LEFT JOIN profile_locations l ON l.profile_id=p.id AND l.country=? WHERE p.id IN "
        "(" IDS_20 ")");

struct match {
	long long id;
	int       kind;
	double    rel;
};
/* Publish locations first, then by relevance, then oldest first. */
static int
match_cmp(const void *x, const void *y)
{
	const struct match *a = x, *b = y;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->rel != b->rel)
		return a->rel > b->rel ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

static enum db_err
search_keywords(struct arena *a, const struct directory_filter *f, long page,
                struct directory_result *out)
{
	struct db_result res, other = {0};
	struct facet_args fa;
	enum shape sh = shape_of(f);
	enum db_err rc;
	facet_args_of(f, &fa);
	/* With a country: the expressions of its publish locations, its sell
	 * markets, and both (for st_other). */
	struct directory_filter cf = *f;
	char *pub = arena_alloc(a, 3 * DIRECTORY_CEXPR_MAX);
	char *sell = pub + DIRECTORY_CEXPR_MAX, *both = sell + DIRECTORY_CEXPR_MAX;
	if (sh == SHAPE_ALL_Q)
		rc = db_exec(a, &st_matches[sh], &res, "ss" FACET_TYPES, f->expr, f->expr,
		             FACET_ARGS(fa));
	else {
		directory_country_expr(f->country, DIRECTORY_KINDS_PUBLISHED, f->expr, pub,
		                       DIRECTORY_CEXPR_MAX);
		directory_country_expr(f->country, DIRECTORY_KINDS_SELLS, f->expr, sell,
		                       DIRECTORY_CEXPR_MAX);
		directory_country_expr(f->country, DIRECTORY_KINDS_BOTH, f->expr, both,
		                       DIRECTORY_CEXPR_MAX);
		cf.expr = both;
		rc = db_exec(a, &st_matches[sh], &res, "ss" FACET_TYPES "ss" FACET_TYPES, pub, pub,
		             FACET_ARGS(fa), sell, sell, FACET_ARGS(fa));
	}
	if (rc != DB_OK)
		return rc;
	long long counts[DIRECTORY_FACET__MAX][64] = {{0}};
	struct match *m = arena_alloc(a, sizeof(*m) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		m[i].id = db_cell_ll(&res, i, 0);
		m[i].kind = (int)db_cell_ll(&res, i, 1);
		m[i].rel = db_cell(&res, i, 2) ? strtod(db_cell(&res, i, 2), NULL) : 0;
		count_masks(counts, &res, i, 3, 1);
	}
	out->total = (long long)res.nrows;
	if (counts[DIRECTORY_FACET_LANGUAGE][DIRECTORY_OTHER_BIT] > 0 &&
	    (rc = exec_shape(a, &st_other[sh], sh, &cf, false, 0, 0, &other)) != DB_OK)
		return rc;
	facet_rows(a, counts, &other, &out->facets, &out->nfacets);
	out->page = directory_page_bounds(out->total, page);
	if (out->total == 0)
		return DB_OK;
	qsort(m, res.nrows, sizeof(*m), match_cmp);
	size_t from = (size_t)out->page.offset, k = res.nrows - from;
	if (k > DIRECTORY_PAGE_SIZE)
		k = DIRECTORY_PAGE_SIZE;
	long long ids[20] = {0};
	for (size_t i = 0; i < k; i++)
		ids[i] = m[from + i].id;
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
				hit_from(&hits, j, 1, h);
				h->sells_only = m[from + i].kind != 0;
			}
	return DB_OK;
}

enum db_err
db_directory_search(struct arena *a, const struct directory_filter *f, long page,
                    struct directory_result *out)
{
	memset(out, 0, sizeof(*out));
	out->page = directory_page_bounds(0, 1);
	return *f->expr ? search_keywords(a, f, page, out) : search_plain(a, f, page, out);
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

/* The same rows as db_directory_sync, for every profile of an id range at once. */
DB_STMT(st_range_clear, "DELETE FROM directory_countries WHERE profile_id BETWEEN ? AND ?");
DB_STMT(st_range_publish,
        "INSERT INTO directory_countries (country, kind, profile_id) "
        "SELECT l.country, 0, l.profile_id FROM profile_locations l JOIN profiles p "
        "ON p.id=l.profile_id WHERE l.profile_id BETWEEN ? AND ? AND p.status='published'");
DB_STMT(st_range_sell,
        "INSERT IGNORE INTO directory_countries (country, kind, profile_id) "
        "SELECT m.country, 1, m.profile_id FROM profile_markets m JOIN profiles p "
        "ON p.id=m.profile_id WHERE m.profile_id BETWEEN ? AND ? AND p.status='published' "
        "AND NOT EXISTS (SELECT 1 FROM profile_locations l WHERE l.profile_id=m.profile_id "
        "AND l.country=m.country)");
DB_STMT(st_range_text,
        "UPDATE profiles p SET p.search_text=CONCAT_WS(' ', p.name, p.description, "
        "(SELECT GROUP_CONCAT(l.description SEPARATOR ' ') FROM profile_locations l "
        "WHERE l.profile_id=p.id)) WHERE p.id BETWEEN ? AND ?");
/* The facet masks of db_directory_sync (domain directory_facet_mask): bit
 * i for the i-th code of the facet's list (given as a comma-separated
 * list), DIRECTORY_OTHER_BIT for a language outside it. */
#define RANGE_MASK(facet)                                                                 \
	"(SELECT COALESCE(BIT_OR(1 << (FIND_IN_SET(f.value, ?) - 1)), 0) FROM profile_facets f " \
	"WHERE f.profile_id=d.profile_id AND f.facet='" facet "' AND FIND_IN_SET(f.value, ?) > 0)"
DB_STMT(st_range_masks,
        "UPDATE directory_countries d SET d.areas=" RANGE_MASK("solution_area") ", d.industries="
        RANGE_MASK("industry") ", d.languages=" RANGE_MASK("language") " | (SELECT IF(COUNT(*) "
        "> 0, 1 << " DIRECTORY_OTHER_BIT_SQL ", 0) FROM profile_facets f WHERE "
        "f.profile_id=d.profile_id AND f.facet='language' AND FIND_IN_SET(f.value, ?) = 0) "
        "WHERE d.profile_id BETWEEN ? AND ?");
DB_STMT(st_range_text_clear, "DELETE FROM directory_search WHERE profile_id BETWEEN ? AND ?");
/* The country tokens as sql/019_directory_search.sql builds them, the
 * masks from the profile's directory_countries rows. */
DB_STMT(st_range_text_add,
        "INSERT INTO directory_search (profile_id, areas, industries, languages, body) SELECT "
        "p.id, COALESCE(m.areas, 0), COALESCE(m.industries, 0), COALESCE(m.languages, 0), "
        "CONCAT_WS(' ', (SELECT "
        "GROUP_CONCAT(CONCAT('cc', LOWER(d.country), IF(d.kind=0, 'p', 's')) ORDER BY d.kind, "
        "d.country SEPARATOR ' ') FROM directory_countries d WHERE d.profile_id=p.id), "
        "p.search_text) FROM profiles p LEFT JOIN (SELECT profile_id, MAX(areas) areas, "
        "MAX(industries) industries, MAX(languages) languages FROM directory_countries WHERE "
        "profile_id BETWEEN ? AND ? GROUP BY profile_id) m ON m.profile_id=p.id WHERE p.id "
        "BETWEEN ? AND ? AND p.status='published'");

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
	if ((rc = db_exec(a, &st_range_clear, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_publish, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_sell, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_text, &res, "ii", first_id, last_id)) != DB_OK)
		return rc;
	const char *sa = facet_list_csv(a, DIRECTORY_FACET_SOLUTION_AREA),
	           *in = facet_list_csv(a, DIRECTORY_FACET_INDUSTRY),
	           *la = facet_list_csv(a, DIRECTORY_FACET_LANGUAGE);
	if ((rc = db_exec(a, &st_range_masks, &res, "sssssssii", sa, sa, in, in, la, la, la,
	                  first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_text_clear, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_query_plain("SET SESSION group_concat_max_len=1048576")) != DB_OK)
		return rc;
	return db_exec(a, &st_range_text_add, &res, "iiii", first_id, last_id, first_id, last_id);
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
