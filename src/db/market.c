#include "db/market.h"

#include <string.h>

/* ---- customers ---- */

DB_STMT(st_customer_add, "INSERT INTO csp_customers (tenant_id, name, tenant_domain, country, "
                         "relationship, created_by) VALUES (?,?,?,?,?,NULLIF(?,0))");
enum db_err
db_customer_add(struct arena *a, const struct csp_customer *c, long long user_id, long long *id)
{
	struct db_result res;
	*id = 0;
	enum db_err rc = db_exec(a, &st_customer_add, &res, "issssi", c->tenant_id, c->name,
	                         c->tenant_domain, c->country,
	                         customer_relationship_code(c->relationship), user_id);
	if (rc == DB_OK)
		*id = (long long)res.insert_id;
	return rc;
}

#define CUSTOMER_COLS                                                                   \
	"SELECT id, tenant_id, name, tenant_domain, country, relationship, "             \
	"DATE_FORMAT(created_at,'%Y-%m-%d') FROM csp_customers "

static void
customer_from(const struct db_result *res, size_t row, struct csp_customer *c)
{
	c->id = db_cell_ll(res, row, 0);
	c->tenant_id = db_cell_ll(res, row, 1);
	c->name = db_cell(res, row, 2);
	c->tenant_domain = db_cell(res, row, 3);
	c->country = db_cell(res, row, 4);
	int rel = customer_relationship_parse(db_cell(res, row, 5));
	c->relationship = rel < 0 ? CUSTOMER_REL_CUSTOMER : (enum customer_relationship)rel;
	c->created_at = db_cell(res, row, 6);
}

DB_STMT(st_customers, CUSTOMER_COLS "WHERE tenant_id=? ORDER BY name, id");
enum db_err
db_customers(struct arena *a, long long tenant_id, struct csp_customer **rows, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_customers, &res, "i", tenant_id);
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows ? res.nrows : 1));
	for (size_t i = 0; i < res.nrows; i++)
		customer_from(&res, i, &(*rows)[i]);
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_customer_get, CUSTOMER_COLS "WHERE tenant_id=? AND id=?");
enum db_err
db_customer_get(struct arena *a, long long tenant_id, long long id, struct csp_customer *out,
                bool *found)
{
	struct db_result res;
	*found = false;
	enum db_err rc = db_exec(a, &st_customer_get, &res, "ii", tenant_id, id);
	if (rc == DB_OK && res.nrows == 1) {
		customer_from(&res, 0, out);
		*found = true;
	}
	return rc;
}

/* ---- offers ---- */

/* The stored list as struct offer_countries (codes in a). */
static void
offer_where(struct arena *a, const char *stored, struct offer_countries *w)
{
	memset(w, 0, sizeof(*w));
	if (strcmp(stored, "*") == 0) {
		w->all = true;
		return;
	}
	size_t cap = 1;
	for (const char *p = stored; *p; p++)
		cap += *p == ',';
	const char **codes = arena_alloc(a, sizeof(*codes) * cap);
	char *copy = arena_strdup(a, stored), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t && w->n < cap; t = strtok_r(NULL, ",", &save))
		codes[w->n++] = t;
	w->codes = codes;
}

static void
offer_from(struct arena *a, const struct db_result *res, size_t row, struct offer *o)
{
	o->offer_id = db_cell(res, row, 0);
	o->name = db_cell(res, row, 1);
	o->countries = db_cell(res, row, 2);
	offer_where(a, o->countries, &o->where);
}

DB_STMT(st_offers, "SELECT offer_id, name, countries FROM offers ORDER BY name, offer_id");
enum db_err
db_offers(struct arena *a, struct offer **rows, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_offers, &res, "");
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows ? res.nrows : 1));
	for (size_t i = 0; i < res.nrows; i++)
		offer_from(a, &res, i, &(*rows)[i]);
	*n = res.nrows;
	return DB_OK;
}

DB_STMT(st_offer_get, "SELECT offer_id, name, countries FROM offers WHERE offer_id=?");
enum db_err
db_offer_get(struct arena *a, const char *offer_id, struct offer *out, bool *found)
{
	struct db_result res;
	*found = false;
	enum db_err rc = db_exec(a, &st_offer_get, &res, "s", offer_id);
	if (rc == DB_OK && res.nrows == 1) {
		offer_from(a, &res, 0, out);
		*found = true;
	}
	return rc;
}

DB_STMT(st_offer_upsert, "INSERT INTO offers (offer_id, name, countries, imported_at) "
                         "VALUES (?,?,?,?) ON DUPLICATE KEY UPDATE name=VALUES(name), "
                         "countries=VALUES(countries), imported_at=VALUES(imported_at)");
enum db_err
db_offer_upsert(struct arena *a, const char *offer_id, const char *name, const char *countries,
                const char *batch)
{
	struct db_result res;
	return db_exec(a, &st_offer_upsert, &res, "ssss", offer_id, name, countries, batch);
}

DB_STMT(st_offers_prune, "DELETE FROM offers WHERE imported_at <> ?");
enum db_err
db_offers_prune(struct arena *a, const char *batch, long long *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_offers_prune, &res, "s", batch);
	if (rc == DB_OK)
		*n = (long long)res.affected;
	return rc;
}

DB_STMT(st_region_countries, "SELECT country FROM csp_regions WHERE region=? ORDER BY country");
enum db_err
db_region_countries(struct arena *a, const char *region, const char ***codes, size_t *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_region_countries, &res, "s", region);
	if (rc != DB_OK)
		return rc;
	*codes = arena_alloc(a, sizeof(**codes) * (res.nrows ? res.nrows : 1));
	for (size_t i = 0; i < res.nrows; i++)
		(*codes)[(*n)++] = db_cell(&res, i, 0);
	return DB_OK;
}

/* ---- the partner's facts ---- */

DB_STMT(st_tenant_domains, "SELECT domain FROM tenant_domains WHERE tenant_id=? ORDER BY domain");
static enum db_err
tenant_domains(struct arena *a, struct csp_partner *p)
{
	struct db_result res;
	p->ndomains = 0;
	enum db_err rc = db_exec(a, &st_tenant_domains, &res, "i", p->tenant_id);
	if (rc != DB_OK)
		return rc;
	p->domains = arena_alloc(a, sizeof(*p->domains) * (res.nrows ? res.nrows : 1));
	for (size_t i = 0; i < res.nrows; i++)
		p->domains[p->ndomains++] = db_cell(&res, i, 0);
	return DB_OK;
}

/* Columns: the tenant, its CSP application, and the account a (NULL when none). */
#define PARTNER_COLS                                                                            \
	"SELECT t.id, t.name, t.country, COALESCE(a.partner_id,''), COALESCE(a.country,t.country), " \
	"COALESCE(a.status='active',0), COALESCE(a.kind='location',0), "                           \
	"COALESCE(c.partner_account_id=a.id,0), COALESCE(c.status,'') "

static enum db_err
partner_from(struct arena *a, const struct db_result *res, struct csp_partner *p)
{
	memset(p, 0, sizeof(*p));
	p->tenant_id = db_cell_ll(res, 0, 0);
	p->tenant_name = db_cell(res, 0, 1);
	p->tenant_country = db_cell(res, 0, 2);
	p->partner_id = db_cell(res, 0, 3);
	p->country = db_cell(res, 0, 4);
	p->id_active = db_cell_ll(res, 0, 5) != 0;
	p->is_location = db_cell_ll(res, 0, 6) != 0;
	p->csp_linked = db_cell_ll(res, 0, 7) != 0;
	int s = csp_status_parse(db_cell(res, 0, 8));
	p->csp = s < 0 ? CSP_NONE : (enum csp_status)s;
	return tenant_domains(a, p);
}

DB_STMT(st_partner_of_tenant,
        PARTNER_COLS "FROM tenants t LEFT JOIN csp_applications c ON c.tenant_id=t.id "
                     "LEFT JOIN partner_accounts a ON a.id=c.partner_account_id "
                     "AND a.deleted_at IS NULL WHERE t.id=?");
enum db_err
db_csp_partner_of_tenant(struct arena *a, long long tenant_id, struct csp_partner *p)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_partner_of_tenant, &res, "i", tenant_id);
	if (rc != DB_OK)
		return rc;
	if (res.nrows != 1)
		return DB_ERROR;
	return partner_from(a, &res, p);
}

DB_STMT(st_partner_by_id,
        PARTNER_COLS "FROM partner_accounts a JOIN tenants t ON t.id=a.tenant_id "
                     "LEFT JOIN csp_applications c ON c.tenant_id=t.id "
                     "WHERE a.partner_id=? AND a.deleted_at IS NULL");
enum db_err
db_csp_partner_by_id(struct arena *a, const char *partner_id, struct csp_partner *p, bool *found)
{
	struct db_result res;
	*found = false;
	enum db_err rc = db_exec(a, &st_partner_by_id, &res, "s", partner_id);
	if (rc != DB_OK || res.nrows != 1)
		return rc;
	*found = true;
	return partner_from(a, &res, p);
}

DB_STMT(st_demo_activate,
        "INSERT IGNORE INTO csp_applications (tenant_id, status, step, partner_account_id, "
        "company_source, legal_name, address_line1, city, region, postal_code, country, "
        "contact_name, contact_email, submitted_at, decided_at) "
        "SELECT a.tenant_id, 'active', 4, a.id, 'manual', ?, a.address_line1, a.city, a.region, "
        "a.postal_code, a.country, a.contact_name, a.contact_email, NOW(3), NOW(3) "
        "FROM partner_accounts a WHERE a.id=? AND a.tenant_id=? AND a.kind='location'");
enum db_err
db_csp_demo_activate(struct arena *a, long long tenant_id, long long account_id,
                     const char *legal_name, bool *created)
{
	struct db_result res;
	*created = false;
	enum db_err rc = db_exec(a, &st_demo_activate, &res, "sii", legal_name, account_id, tenant_id);
	if (rc == DB_OK)
		*created = res.affected == 1;
	return rc;
}
