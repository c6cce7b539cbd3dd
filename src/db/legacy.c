#include "db/legacy.h"

#include "db/directory.h"

DB_STMT(st_tenant_of, "SELECT tenant_id FROM tenant_domains WHERE domain=?");
enum db_err
db_legacy_tenant_of(struct arena *a, const char *domain, long long *tenant_id)
{
	struct db_result res;
	*tenant_id = 0;
	enum db_err rc = db_exec(a, &st_tenant_of, &res, "s", domain);
	if (rc == DB_OK && res.nrows)
		*tenant_id = db_cell_ll(&res, 0, 0);
	return rc;
}

DB_STMT(st_taken, "SELECT 1 FROM profile_locations WHERE tenant_id=? AND country=?");
enum db_err
db_legacy_country_taken(struct arena *a, long long tenant_id, const char *country, bool *taken)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_taken, &res, "is", tenant_id, country);
	*taken = rc == DB_OK && res.nrows > 0;
	return rc;
}

DB_STMT(st_insert,
        "INSERT INTO profiles (tenant_id, partner_account_id, type, status, legacy, slug, name, "
        "description, website, lang, steps_done, search_text, created_at, updated_at, "
        "published_at) VALUES (?, NULL, 'non_csp', 'published', 1, ?, ?, ?, ?, 'en', "
        "'locations,markets,content', '', ?, ?, ?)");
DB_STMT(st_location, "INSERT INTO profile_locations (tenant_id, country, profile_id, description) "
                     "VALUES (?,?,?,'')");
enum db_err
db_legacy_insert(struct arena *a, const struct legacy_profile *l, long long *id)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_insert, &res, "isssssss", l->tenant_id, l->slug, l->name,
	                         l->description, l->website, l->created_on, l->created_on,
	                         l->created_on);
	if (rc != DB_OK)
		return rc;
	*id = (long long)res.insert_id;
	if ((rc = db_exec(a, &st_location, &res, "isi", l->tenant_id, l->country, *id)) != DB_OK)
		return rc;
	return db_directory_sync(a, *id);
}

DB_STMT(st_unmigrated,
        "SELECT p.id, p.name, p.slug, DATE_FORMAT(p.created_at,'%Y-%m-%d'), "
        "(SELECT COALESCE(GROUP_CONCAT(l.country ORDER BY l.country), '') FROM profile_locations l "
        "WHERE l.profile_id=p.id), p.linked_at IS NOT NULL FROM profiles p WHERE p.tenant_id=? "
        "AND p.legacy=1 AND p.migrated_at IS NULL AND p.status<>'deleted' "
        "ORDER BY p.created_at, p.id");
enum db_err
db_legacy_unmigrated(struct arena *a, long long tenant_id, struct profile **rows, size_t *n,
                     size_t *nlinked)
{
	struct db_result res;
	*n = *nlinked = 0;
	enum db_err rc = db_exec(a, &st_unmigrated, &res, "i", tenant_id);
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		struct profile *p = &(*rows)[i];
		*p = (struct profile){.id = db_cell_ll(&res, i, 0), .tenant_id = tenant_id,
		                      .legacy = true, .status = PROFILE_PUBLISHED,
		                      .type = PROFILE_NON_CSP};
		p->name = db_cell(&res, i, 1);
		p->slug = db_cell(&res, i, 2);
		p->created_at = db_cell(&res, i, 3);
		p->location_list = db_cell(&res, i, 4);
		p->linked = db_cell_ll(&res, i, 5) != 0;
		*nlinked += p->linked;
	}
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_migrated, "UPDATE profiles SET partner_account_id=?, type='non_csp', "
                     "migrated_at=NOW(3), updated_at=NOW(3) WHERE id=? AND legacy=1");
DB_STMT(st_link, "INSERT INTO partner_id_links (partner_account_id, purpose, ref) "
                 "VALUES (?, 'profile', ?)");
enum db_err
db_legacy_migrated(struct arena *a, long long profile_id, long long account_id)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_migrated, &res, "ii", account_id, profile_id);
	if (rc == DB_OK)
		rc = db_exec(a, &st_link, &res, "is", account_id, arena_printf(a, "%lld", profile_id));
	return rc;
}

#define LINK_DUE                                                                               \
	" p.legacy=1 AND p.migrated_at IS NULL AND p.linked_at IS NULL AND p.status<>'deleted' "
DB_STMT(st_link_all_ids,
        "INSERT INTO partner_id_links (partner_account_id, purpose, ref) "
        "SELECT g.id, 'profile', p.id FROM profiles p JOIN partner_accounts g "
        "ON g.live_pga_tenant=p.tenant_id WHERE" LINK_DUE);
DB_STMT(st_link_all,
        "UPDATE profiles p JOIN partner_accounts g ON g.live_pga_tenant=p.tenant_id "
        "SET p.partner_account_id=g.id, p.linked_at=NOW(3), p.updated_at=NOW(3) WHERE" LINK_DUE);
DB_STMT(st_no_pga, "SELECT COUNT(DISTINCT p.tenant_id) FROM profiles p WHERE" LINK_DUE
                   "AND NOT EXISTS (SELECT 1 FROM partner_accounts g "
                   "WHERE g.live_pga_tenant=p.tenant_id)");
enum db_err
db_legacy_link_all(struct arena *a, long long *linked, long long *no_pga)
{
	struct db_result res;
	enum db_err rc;
	*linked = *no_pga = 0;
	if ((rc = db_exec(a, &st_link_all_ids, &res, "")) != DB_OK ||
	    (rc = db_exec(a, &st_link_all, &res, "")) != DB_OK)
		return rc;
	*linked = (long long)res.affected;
	if ((rc = db_exec(a, &st_no_pga, &res, "")) == DB_OK)
		*no_pga = db_cell_ll(&res, 0, 0);
	return rc;
}
