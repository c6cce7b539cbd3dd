#include "db/directory.h"

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
DB_STMT(st_sync_text_clear, "DELETE FROM directory_text WHERE profile_id=?");
DB_STMT(st_sync_text_add, "INSERT INTO directory_text (profile_id, body) SELECT id, search_text "
                          "FROM profiles WHERE id=? AND status='published'");
enum db_err
db_directory_sync(struct arena *a, long long profile_id)
{
	struct db_result res;
	enum db_err rc;
	if ((rc = db_exec(a, &st_sync_clear, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_publish, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_sell, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_text, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_text_clear, &res, "i", profile_id)) != DB_OK)
		return rc;
	return db_exec(a, &st_sync_text_add, &res, "i", profile_id);
}

/* The searches come in four shapes, by whether a country (the narrow
 * directory_countries range, publish locations first) and keywords (the
 * full-text index of directory_text) are given; the facet filters are the
 * same in each, an EXISTS on profile_facets' primary key that a '' value
 * turns off (MariaDB folds the constant at each execution). */
#define FACET_FILTER(id, facet)                                                          \
	" AND (?='' OR EXISTS (SELECT 1 FROM profile_facets ff WHERE ff.profile_id=" id      \
	" AND ff.facet='" facet "' AND ff.value=?))"
#define FACET_FILTERS(id)                                                                \
	FACET_FILTER(id, "solution_area") FACET_FILTER(id, "industry")                  \
	FACET_FILTER(id, "language")
#define MATCH_Q "MATCH(t.body) AGAINST(? IN BOOLEAN MODE)"
#define FROM_C  " FROM directory_countries d WHERE d.country=?" FACET_FILTERS("d.profile_id")
#define FROM_CQ                                                                          \
	" FROM directory_countries d JOIN directory_text t ON t.profile_id=d.profile_id "  \
	"WHERE d.country=? AND " MATCH_Q FACET_FILTERS("d.profile_id")
#define FROM_A  " FROM directory_text t WHERE 1" FACET_FILTERS("t.profile_id")
#define FROM_AQ " FROM directory_text t WHERE " MATCH_Q FACET_FILTERS("t.profile_id")

enum shape { SHAPE_ALL, SHAPE_ALL_Q, SHAPE_COUNTRY, SHAPE_COUNTRY_Q };
static enum shape
shape_of(const struct directory_filter *f)
{
	return (enum shape)((*f->country ? 2 : 0) | (*f->expr ? 1 : 0));
}

/* The six facet parameters: each value twice (the switch, the match). */
#define FACET_ARGS(f)                                                                  \
	(f)->facet[0], (f)->facet[0], (f)->facet[1], (f)->facet[1], (f)->facet[2], (f)->facet[2]

static struct db_stmt st_count[] = {
    [SHAPE_ALL] = {.sql = "SELECT COUNT(*)" FROM_A},
    [SHAPE_ALL_Q] = {.sql = "SELECT COUNT(*)" FROM_AQ},
    [SHAPE_COUNTRY] = {.sql = "SELECT COUNT(*)" FROM_C},
    [SHAPE_COUNTRY_Q] = {.sql = "SELECT COUNT(*)" FROM_CQ},
};
enum db_err
db_directory_count(struct arena *a, const struct directory_filter *f, long long *total)
{
	struct db_result res;
	enum db_err rc;
	*total = 0;
	switch (shape_of(f)) {
	case SHAPE_ALL:
		rc = db_exec(a, &st_count[SHAPE_ALL], &res, "ssssss", FACET_ARGS(f));
		break;
	case SHAPE_ALL_Q:
		rc = db_exec(a, &st_count[SHAPE_ALL_Q], &res, "sssssss", f->expr, FACET_ARGS(f));
		break;
	case SHAPE_COUNTRY:
		rc = db_exec(a, &st_count[SHAPE_COUNTRY], &res, "sssssss", f->country, FACET_ARGS(f));
		break;
	default:
		rc = db_exec(a, &st_count[SHAPE_COUNTRY_Q], &res, "ssssssss", f->country, f->expr,
		             FACET_ARGS(f));
		break;
	}
	if (rc == DB_OK)
		*total = db_cell_ll(&res, 0, 0);
	return rc;
}

/* slug, name, summary (the country's description, else the default), has
 * a logo, kind, solution areas. */
#define HIT_COLS_C                                                                      \
	"SELECT p.slug, p.name, LEFT(COALESCE(NULLIF(l.description,''), p.description), 240), " \
	"p.logo_type<>'', d.kind, (SELECT COALESCE(GROUP_CONCAT(s.value ORDER BY s.value), '') " \
	"FROM profile_facets s WHERE s.profile_id=p.id AND s.facet='solution_area')"
#define HIT_COLS_A                                                                      \
	"SELECT p.slug, p.name, LEFT(p.description, 240), p.logo_type<>'', 0, "              \
	"(SELECT COALESCE(GROUP_CONCAT(s.value ORDER BY s.value), '') "                       \
	"FROM profile_facets s WHERE s.profile_id=p.id AND s.facet='solution_area')"
#define JOIN_C                                                                          \
	" JOIN profiles p ON p.id=d.profile_id LEFT JOIN profile_locations l "              \
	"ON l.profile_id=d.profile_id AND l.country=d.country"
static struct db_stmt st_page[] = {
    [SHAPE_ALL] = {.sql = HIT_COLS_A " FROM directory_text t JOIN profiles p ON p.id=t.profile_id "
                          "WHERE 1" FACET_FILTERS("t.profile_id")
                          " ORDER BY t.profile_id LIMIT ? OFFSET ?"},
    [SHAPE_ALL_Q] = {.sql = HIT_COLS_A ", " MATCH_Q " AS rel FROM directory_text t JOIN profiles p "
                            "ON p.id=t.profile_id WHERE " MATCH_Q FACET_FILTERS("t.profile_id")
                            " ORDER BY rel DESC, t.profile_id LIMIT ? OFFSET ?"},
    [SHAPE_COUNTRY] = {.sql = HIT_COLS_C " FROM directory_countries d" JOIN_C
                              " WHERE d.country=?" FACET_FILTERS("d.profile_id")
                              " ORDER BY d.kind, d.profile_id LIMIT ? OFFSET ?"},
    [SHAPE_COUNTRY_Q] = {.sql = HIT_COLS_C ", " MATCH_Q " AS rel FROM directory_countries d "
                                "JOIN directory_text t ON t.profile_id=d.profile_id" JOIN_C
                                " WHERE d.country=? AND " MATCH_Q FACET_FILTERS("d.profile_id")
                                " ORDER BY d.kind, rel DESC, d.profile_id LIMIT ? OFFSET ?"},
};
enum db_err
db_directory_page(struct arena *a, const struct directory_filter *f, long offset,
                  struct directory_hit **hits, size_t *n)
{
	struct db_result res;
	enum db_err rc;
	const long long size = DIRECTORY_PAGE_SIZE, off = offset;
	*n = 0;
	switch (shape_of(f)) {
	case SHAPE_ALL:
		rc = db_exec(a, &st_page[SHAPE_ALL], &res, "ssssssii", FACET_ARGS(f), size, off);
		break;
	case SHAPE_ALL_Q:
		rc = db_exec(a, &st_page[SHAPE_ALL_Q], &res, "ssssssssii", f->expr, f->expr,
		             FACET_ARGS(f), size, off);
		break;
	case SHAPE_COUNTRY:
		rc = db_exec(a, &st_page[SHAPE_COUNTRY], &res, "sssssssii", f->country, FACET_ARGS(f),
		             size, off);
		break;
	default:
		rc = db_exec(a, &st_page[SHAPE_COUNTRY_Q], &res, "sssssssssii", f->expr, f->country,
		             f->expr, FACET_ARGS(f), size, off);
		break;
	}
	if (rc != DB_OK)
		return rc;
	*hits = arena_alloc(a, sizeof(**hits) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		struct directory_hit *h = &(*hits)[i];
		h->slug = db_cell(&res, i, 0);
		h->name = db_cell(&res, i, 1);
		h->summary = db_cell(&res, i, 2);
		h->has_logo = db_cell_ll(&res, i, 3) != 0;
		h->sells_only = db_cell_ll(&res, i, 4) != 0;
		h->solution_areas = db_cell(&res, i, 5);
	}
	*n = res.nrows;
	return DB_OK;
}

#define FACET_COLS "SELECT f.facet, f.value, COUNT(*)"
#define FACET_GROUP " GROUP BY f.facet, f.value"
static struct db_stmt st_facets[] = {
    [SHAPE_ALL] = {.sql = FACET_COLS " FROM directory_text t JOIN profile_facets f "
                                     "ON f.profile_id=t.profile_id WHERE 1"
                          FACET_FILTERS("t.profile_id") FACET_GROUP},
    [SHAPE_ALL_Q] = {.sql = FACET_COLS " FROM directory_text t JOIN profile_facets f "
                                       "ON f.profile_id=t.profile_id WHERE " MATCH_Q
                            FACET_FILTERS("t.profile_id") FACET_GROUP},
    [SHAPE_COUNTRY] = {.sql = FACET_COLS " FROM directory_countries d JOIN profile_facets f "
                                         "ON f.profile_id=d.profile_id WHERE d.country=?"
                              FACET_FILTERS("d.profile_id") FACET_GROUP},
    [SHAPE_COUNTRY_Q] = {.sql = FACET_COLS " FROM directory_countries d JOIN directory_text t "
                                           "ON t.profile_id=d.profile_id JOIN profile_facets f "
                                           "ON f.profile_id=d.profile_id WHERE d.country=? AND "
                                MATCH_Q FACET_FILTERS("d.profile_id") FACET_GROUP},
};
enum db_err
db_directory_facets(struct arena *a, const struct directory_filter *f,
                    struct directory_facet_count **rows, size_t *n)
{
	struct db_result res;
	enum db_err rc;
	*n = 0;
	switch (shape_of(f)) {
	case SHAPE_ALL:
		rc = db_exec(a, &st_facets[SHAPE_ALL], &res, "ssssss", FACET_ARGS(f));
		break;
	case SHAPE_ALL_Q:
		rc = db_exec(a, &st_facets[SHAPE_ALL_Q], &res, "sssssss", f->expr, FACET_ARGS(f));
		break;
	case SHAPE_COUNTRY:
		rc = db_exec(a, &st_facets[SHAPE_COUNTRY], &res, "sssssss", f->country, FACET_ARGS(f));
		break;
	default:
		rc = db_exec(a, &st_facets[SHAPE_COUNTRY_Q], &res, "ssssssss", f->country, f->expr,
		             FACET_ARGS(f));
		break;
	}
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		int facet = directory_facet_parse(db_cell(&res, i, 0));
		if (facet < 0)
			continue;
		(*rows)[*n] = (struct directory_facet_count){(enum directory_facet)facet,
		                                             db_cell(&res, i, 1), db_cell_ll(&res, i, 2)};
		(*n)++;
	}
	return DB_OK;
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
DB_STMT(st_range_text_clear, "DELETE FROM directory_text WHERE profile_id BETWEEN ? AND ?");
DB_STMT(st_range_text_add, "INSERT INTO directory_text (profile_id, body) SELECT id, search_text "
                           "FROM profiles WHERE id BETWEEN ? AND ? AND status='published'");
enum db_err
db_directory_sync_range(struct arena *a, long long first_id, long long last_id)
{
	struct db_result res;
	enum db_err rc;
	if ((rc = db_exec(a, &st_range_clear, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_publish, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_sell, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_text, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_text_clear, &res, "ii", first_id, last_id)) != DB_OK)
		return rc;
	return db_exec(a, &st_range_text_add, &res, "ii", first_id, last_id);
}
