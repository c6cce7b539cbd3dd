#include "db/profiles.h"

#include <string.h>

#include "db/directory.h"

#define PROFILE_COLS                                                                             \
	"SELECT p.id, p.tenant_id, COALESCE(p.partner_account_id,0), p.type, p.status, p.legacy, " \
	"p.steps_done, p.slug, p.name, p.description, p.website, p.lead_email, p.lang, "          \
	"p.logo_type, p.logo_width, p.logo_height, DATE_FORMAT(p.created_at,'%Y-%m-%d %H:%i'), "  \
	"DATE_FORMAT(p.updated_at,'%Y-%m-%d %H:%i'), "                                            \
	"COALESCE(DATE_FORMAT(p.published_at,'%Y-%m-%d %H:%i'),''), "                             \
	"COALESCE(m.partner_id, g.partner_id, ''), COALESCE(m.country, g.country, ''), "          \
	"COALESCE(m.status, g.status, 'deleted'), "                                              \
	"(SELECT COALESCE(GROUP_CONCAT(l.country ORDER BY l.country), '') FROM profile_locations l " \
	"WHERE l.profile_id=p.id) "                                                              \
	"FROM profiles p LEFT JOIN partner_accounts m ON m.id=p.partner_account_id "             \
	"LEFT JOIN partner_accounts g ON p.partner_account_id IS NULL AND g.live_pga_tenant=p.tenant_id "

static void
profile_from(const struct db_result *res, size_t row, struct profile *p)
{
	size_t k = 0;
	memset(p, 0, sizeof(*p));
	p->id = db_cell_ll(res, row, k++);
	p->tenant_id = db_cell_ll(res, row, k++);
	p->partner_account_id = db_cell_ll(res, row, k++);
	int t = profile_type_parse(db_cell(res, row, k++));
	p->type = t < 0 ? PROFILE_NON_CSP : (enum profile_type)t;
	int s = profile_status_parse(db_cell(res, row, k++));
	p->status = s < 0 ? PROFILE_DELETED : (enum profile_status)s;
	p->legacy = db_cell_ll(res, row, k++) != 0;
	p->steps_done = profile_steps_parse(db_cell(res, row, k++));
	p->slug = db_cell(res, row, k++);
	p->name = db_cell(res, row, k++);
	p->description = db_cell(res, row, k++);
	p->website = db_cell(res, row, k++);
	p->lead_email = db_cell(res, row, k++);
	p->lang = db_cell(res, row, k++);
	p->logo_type = db_cell(res, row, k++);
	p->logo_width = db_cell_ll(res, row, k++);
	p->logo_height = db_cell_ll(res, row, k++);
	p->created_at = db_cell(res, row, k++);
	p->updated_at = db_cell(res, row, k++);
	p->published_at = db_cell(res, row, k++);
	p->partner_id = db_cell(res, row, k++);
	p->partner_country = db_cell(res, row, k++);
	int ps = partner_status_parse(db_cell(res, row, k++));
	p->partner_status = ps < 0 ? PARTNER_DELETED : (enum partner_status)ps;
	p->location_list = db_cell(res, row, k++);
}

DB_STMT(st_list, PROFILE_COLS "WHERE p.tenant_id=? AND p.status<>'deleted' ORDER BY p.id DESC");
enum db_err
db_profiles_list(struct arena *a, long long tenant_id, struct profile **rows, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_list, &res, "i", tenant_id);
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		profile_from(&res, i, &(*rows)[i]);
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_get, PROFILE_COLS "WHERE p.id=? AND p.tenant_id=? AND p.status<>'deleted'");
DB_STMT(st_get_lock,
        PROFILE_COLS "WHERE p.id=? AND p.tenant_id=? AND p.status<>'deleted' FOR UPDATE");
enum db_err
db_profile_get(struct arena *a, long long tenant_id, long long id, bool lock, struct profile *p,
               bool *found)
{
	struct db_result res;
	*found = false;
	memset(p, 0, sizeof(*p));
	enum db_err rc = db_exec(a, lock ? &st_get_lock : &st_get, &res, "ii", id, tenant_id);
	if (rc == DB_OK && res.nrows) {
		profile_from(&res, 0, p);
		*found = true;
	}
	return rc;
}

/* Column 0 of every row, as a list. */
static const char **
column_list(struct arena *a, const struct db_result *res, size_t col, size_t *n)
{
	const char **out = arena_alloc(a, sizeof(*out) * (res->nrows + 1));
	for (size_t i = 0; i < res->nrows; i++)
		out[i] = db_cell(res, i, col);
	*n = res->nrows;
	return out;
}

DB_STMT(st_locations,
        "SELECT country, description FROM profile_locations WHERE profile_id=? ORDER BY country");
DB_STMT(st_markets, "SELECT country FROM profile_markets WHERE profile_id=? ORDER BY country");
DB_STMT(st_regions,
        "SELECT region FROM profile_market_regions WHERE profile_id=? ORDER BY region");
DB_STMT(st_facets, "SELECT facet, value FROM profile_facets WHERE profile_id=? ORDER BY facet, value");
enum db_err
db_profile_details(struct arena *a, struct profile *p)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_locations, &res, "i", p->id);
	if (rc != DB_OK)
		return rc;
	p->locations = arena_alloc(a, sizeof(*p->locations) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		p->locations[i].country = db_cell(&res, i, 0);
		p->locations[i].description = db_cell(&res, i, 1);
	}
	p->nlocations = res.nrows;
	if ((rc = db_exec(a, &st_markets, &res, "i", p->id)) != DB_OK)
		return rc;
	p->markets = column_list(a, &res, 0, &p->nmarkets);
	if ((rc = db_exec(a, &st_regions, &res, "i", p->id)) != DB_OK)
		return rc;
	p->regions = column_list(a, &res, 0, &p->nregions);
	if ((rc = db_exec(a, &st_facets, &res, "i", p->id)) != DB_OK)
		return rc;
	p->industries = arena_alloc(a, sizeof(char *) * (res.nrows + 1));
	p->solution_areas = arena_alloc(a, sizeof(char *) * (res.nrows + 1));
	p->languages = arena_alloc(a, sizeof(char *) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		const char *facet = db_cell(&res, i, 0), *value = db_cell(&res, i, 1);
		if (strcmp(facet, "industry") == 0)
			p->industries[p->nindustries++] = value;
		else if (strcmp(facet, "solution_area") == 0)
			p->solution_areas[p->nsolution_areas++] = value;
		else
			p->languages[p->nlanguages++] = value;
	}
	return DB_OK;
}

DB_STMT(st_taken, "SELECT country FROM profile_locations WHERE tenant_id=? AND profile_id<>? "
                  "ORDER BY country");
enum db_err
db_profile_taken_countries(struct arena *a, long long tenant_id, long long exclude_id,
                           const char ***countries, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_taken, &res, "ii", tenant_id, exclude_id);
	if (rc == DB_OK)
		*countries = column_list(a, &res, 0, n);
	return rc;
}

DB_STMT(st_create, "INSERT INTO profiles (tenant_id, partner_account_id, type, created_by, lang, "
                   "description, search_text) VALUES (?,?,?,?,?,'','')");
DB_STMT(st_link, "INSERT INTO partner_id_links (partner_account_id, purpose, ref) "
                 "VALUES (?, 'profile', ?)");
enum db_err
db_profile_create(struct arena *a, long long tenant_id, long long account_id,
                  enum profile_type type, long long user_id, const char *lang, long long *id)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_create, &res, "iisis", tenant_id, account_id,
	                         profile_type_code(type), user_id, lang);
	if (rc != DB_OK)
		return rc;
	*id = (long long)res.insert_id;
	return db_exec(a, &st_link, &res, "is", account_id, arena_printf(a, "%lld", *id));
}

DB_STMT(st_step_done, "UPDATE profiles SET steps_done=CONCAT_WS(',', NULLIF(steps_done,''), ?), "
                      "updated_at=NOW(3) WHERE id=?");
static enum db_err
step_done(struct arena *a, long long profile_id, enum profile_step step)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_step_done, &res, "si", profile_step_code(step), profile_id);
	return rc == DB_OK ? db_directory_sync(a, profile_id) : rc;
}

static bool
in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

DB_STMT(st_location_delete, "DELETE FROM profile_locations WHERE profile_id=? AND country=?");
DB_STMT(st_location_insert, "INSERT INTO profile_locations (tenant_id, country, profile_id, "
                            "description) VALUES (?,?,?,'')");
DB_STMT(st_market_delete, "DELETE FROM profile_markets WHERE profile_id=? AND country=?");
enum db_err
db_profile_set_locations(struct arena *a, const struct profile *p, const char *const *countries,
                         size_t n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_locations, &res, "i", p->id);
	if (rc != DB_OK)
		return rc;
	size_t nold = res.nrows;
	const char **old = column_list(a, &res, 0, &nold);
	for (size_t i = 0; i < nold; i++)
		if (!in_list(countries, n, old[i]) &&
		    (rc = db_exec(a, &st_location_delete, &res, "is", p->id, old[i])) != DB_OK)
			return rc;
	for (size_t i = 0; i < n; i++) {
		if (in_list(old, nold, countries[i]))
			continue;
		if ((rc = db_exec(a, &st_location_insert, &res, "isi", p->tenant_id, countries[i],
		                  p->id)) != DB_OK)
			return rc;
		if ((rc = db_exec(a, &st_market_delete, &res, "is", p->id, countries[i])) != DB_OK)
			return rc;
	}
	return step_done(a, p->id, PROFILE_STEP_LOCATIONS);
}

DB_STMT(st_markets_clear, "DELETE FROM profile_markets WHERE profile_id=?");
DB_STMT(st_regions_clear, "DELETE FROM profile_market_regions WHERE profile_id=?");
DB_STMT(st_market_insert, "INSERT IGNORE INTO profile_markets (profile_id, country) VALUES (?,?)");
DB_STMT(st_region_insert,
        "INSERT IGNORE INTO profile_market_regions (profile_id, region) VALUES (?,?)");
enum db_err
db_profile_set_markets(struct arena *a, long long profile_id, const char *const *countries,
                       size_t n, const char *const *regions, size_t nregions)
{
	struct db_result res;
	enum db_err rc;
	if ((rc = db_exec(a, &st_markets_clear, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_regions_clear, &res, "i", profile_id)) != DB_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if ((rc = db_exec(a, &st_market_insert, &res, "is", profile_id, countries[i])) != DB_OK)
			return rc;
	for (size_t i = 0; i < nregions; i++)
		if ((rc = db_exec(a, &st_region_insert, &res, "is", profile_id, regions[i])) != DB_OK)
			return rc;
	return step_done(a, profile_id, PROFILE_STEP_MARKETS);
}

DB_STMT(st_content, "UPDATE profiles SET name=?, description=?, website=?, lead_email=?, lang=? "
                    "WHERE id=?");
DB_STMT(st_facets_clear, "DELETE FROM profile_facets WHERE profile_id=?");
DB_STMT(st_facet_insert,
        "INSERT IGNORE INTO profile_facets (profile_id, facet, value) VALUES (?,?,?)");
DB_STMT(st_location_text,
        "UPDATE profile_locations SET description=? WHERE profile_id=? AND country=?");
static enum db_err
facets_insert(struct arena *a, long long profile_id, const char *facet,
              const char *const *values, size_t n)
{
	struct db_result res;
	enum db_err rc = DB_OK;
	for (size_t i = 0; i < n && rc == DB_OK; i++)
		rc = db_exec(a, &st_facet_insert, &res, "iss", profile_id, facet, values[i]);
	return rc;
}

enum db_err
db_profile_set_content(struct arena *a, long long profile_id, const struct profile_content *c)
{
	struct db_result res;
	enum db_err rc;
	if ((rc = db_exec(a, &st_content, &res, "sssssi", c->name, c->description, c->website,
	                  c->lead_email, c->lang, profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_facets_clear, &res, "i", profile_id)) != DB_OK ||
	    (rc = facets_insert(a, profile_id, "industry", c->industries, c->nindustries)) != DB_OK ||
	    (rc = facets_insert(a, profile_id, "solution_area", c->solution_areas,
	                        c->nsolution_areas)) != DB_OK ||
	    (rc = facets_insert(a, profile_id, "language", c->languages, c->nlanguages)) != DB_OK)
		return rc;
	for (size_t i = 0; i < c->nlocation_texts; i++)
		if ((rc = db_exec(a, &st_location_text, &res, "sis", c->location_texts[i].description,
		                  profile_id, c->location_texts[i].country)) != DB_OK)
			return rc;
	return step_done(a, profile_id, PROFILE_STEP_CONTENT);
}

DB_STMT(st_logo_set, "UPDATE profiles SET logo=?, logo_type=?, logo_width=?, logo_height=?, "
                     "updated_at=NOW(3) WHERE id=?");
enum db_err
db_profile_set_logo(struct arena *a, long long profile_id, const void *data, size_t len,
                    const char *type, long long width, long long height)
{
	struct db_result res;
	return db_exec(a, &st_logo_set, &res, "bsiii", data, len, type, width, height, profile_id);
}

DB_STMT(st_logo_remove, "UPDATE profiles SET logo=NULL, logo_type='', logo_width=0, "
                        "logo_height=0, updated_at=NOW(3) WHERE id=?");
enum db_err
db_profile_remove_logo(struct arena *a, long long profile_id)
{
	struct db_result res;
	return db_exec(a, &st_logo_remove, &res, "i", profile_id);
}

DB_STMT(st_logo_by_id, "SELECT logo, logo_type FROM profiles WHERE id=? AND tenant_id=? "
                       "AND status<>'deleted' AND logo IS NOT NULL");
DB_STMT(st_logo_by_slug, "SELECT logo, logo_type FROM profiles WHERE slug=? "
                         "AND status='published' AND logo IS NOT NULL");
enum db_err
db_profile_logo(struct arena *a, long long tenant_id, long long profile_id, const char *slug,
                const void **data, size_t *len, const char **type)
{
	struct db_result res;
	*len = 0;
	enum db_err rc = tenant_id ? db_exec(a, &st_logo_by_id, &res, "ii", profile_id, tenant_id)
	                           : db_exec(a, &st_logo_by_slug, &res, "s", slug);
	if (rc == DB_OK && res.nrows) {
		*data = db_cell(&res, 0, 0);
		*len = res.lens[0];
		*type = db_cell(&res, 0, 1);
	}
	return rc;
}

DB_STMT(st_publish, "UPDATE profiles SET status='published', slug=COALESCE(slug, ?), "
                    "published_at=COALESCE(published_at, NOW(3)), updated_at=NOW(3) WHERE id=?");
enum db_err
db_profile_publish(struct arena *a, long long profile_id, const char *slug)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_publish, &res, "si", slug, profile_id);
	return rc == DB_OK ? db_directory_sync(a, profile_id) : rc;
}

DB_STMT(st_delete, "UPDATE profiles SET status='deleted', deleted_at=NOW(3), updated_at=NOW(3), "
                   "logo=NULL WHERE id=?");
DB_STMT(st_locations_clear, "DELETE FROM profile_locations WHERE profile_id=?");
DB_STMT(st_unlink, "DELETE FROM partner_id_links WHERE purpose='profile' AND ref=?");
enum db_err
db_profile_delete(struct arena *a, long long profile_id)
{
	struct db_result res;
	enum db_err rc;
	if ((rc = db_exec(a, &st_delete, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_locations_clear, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_markets_clear, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_regions_clear, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_facets_clear, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_unlink, &res, "s", arena_printf(a, "%lld", profile_id))) != DB_OK)
		return rc;
	return db_directory_sync(a, profile_id);
}

DB_STMT(st_regions_all, "SELECT country, region, region_name FROM csp_regions ORDER BY region, country");
enum db_err
db_csp_regions(struct arena *a, struct csp_region_row **rows, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_regions_all, &res, "");
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		(*rows)[i] = (struct csp_region_row){db_cell(&res, i, 0), db_cell(&res, i, 1),
		                                      db_cell(&res, i, 2)};
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_set_partner, "UPDATE profiles SET partner_account_id=?, type=?, updated_at=NOW(3) "
                        "WHERE id=?");
DB_STMT(st_relink, "UPDATE partner_id_links SET partner_account_id=? WHERE purpose='profile' "
                   "AND ref=?");
enum db_err
db_profile_set_partner(struct arena *a, long long profile_id, long long account_id,
                       enum profile_type type)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_set_partner, &res, "isi", account_id,
	                         profile_type_code(type), profile_id);
	if (rc == DB_OK)
		rc = db_exec(a, &st_relink, &res, "is", account_id,
		             arena_printf(a, "%lld", profile_id));
	return rc;
}
