#include "db/seed.h"

#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"

/* The tables in the order they are written (parents first) and the head
 * of each one's INSERT. */
enum seed_table {
	T_TENANTS,
	T_DOMAINS,
	T_REGISTRY,
	T_ACCOUNTS,
	T_PROFILES,
	T_LINKS,
	T_LOCATIONS,
	T_MARKETS,
	T_REGIONS,
	T_FACETS,
	T__MAX
};
static const char *const insert_head[T__MAX] = {
    [T_TENANTS] = "INSERT INTO tenants (id, name, country) VALUES ",
    [T_DOMAINS] = "INSERT INTO tenant_domains (domain, tenant_id) VALUES ",
    [T_REGISTRY] = "INSERT INTO partner_id_registry (partner_id, tenant_id) VALUES ",
    [T_ACCOUNTS] = "INSERT INTO partner_accounts (id, partner_id, tenant_id, kind, pga_id, name, "
                   "country, address_line1, city, postal_code, website, contact_name, "
                   "contact_email, live_pga_tenant) VALUES ",
    [T_PROFILES] = "INSERT INTO profiles (id, tenant_id, partner_account_id, type, status, slug, "
                   "name, description, website, lead_email, lang, steps_done, search_text, "
                   "published_at) VALUES ",
    [T_LINKS] = "INSERT INTO partner_id_links (partner_account_id, purpose, ref) VALUES ",
    [T_LOCATIONS] = "INSERT INTO profile_locations (tenant_id, country, profile_id, description) "
                    "VALUES ",
    [T_MARKETS] = "INSERT INTO profile_markets (profile_id, country) VALUES ",
    [T_REGIONS] = "INSERT INTO profile_market_regions (profile_id, region) VALUES ",
    [T_FACETS] = "INSERT INTO profile_facets (profile_id, facet, value) VALUES ",
};

struct db_seed {
	struct sbuf sql[T__MAX];
};

struct db_seed *
db_seed_new(void)
{
	struct db_seed *s = calloc(1, sizeof(*s));
	if (s == NULL)
		abort();
	return s;
}

void
db_seed_free(struct db_seed *s)
{
	if (s == NULL)
		return;
	for (int t = 0; t < T__MAX; t++)
		sbuf_free(&s->sql[t]);
	free(s);
}

/* Starts a row of table t: the INSERT's head or a comma, then "(". */
static struct sbuf *
row(struct db_seed *s, enum seed_table t)
{
	struct sbuf *b = &s->sql[t];
	if (b->len == 0)
		sbuf_adds(b, insert_head[t]);
	else
		sbuf_addc(b, ',');
	sbuf_addc(b, '(');
	return b;
}

/* A quoted string literal. The connection's character set is utf8mb4 (db.c),
 * in which no byte of a multi-byte character is ASCII, so escaping the ASCII
 * specials byte by byte is what mysql_real_escape_string does. */
static void
add_str(struct sbuf *b, const char *v)
{
	sbuf_addc(b, '\'');
	for (const char *p = v ? v : ""; *p; p++) {
		switch (*p) {
		case '\'': sbuf_add(b, "\\'", 2); break;
		case '\\': sbuf_add(b, "\\\\", 2); break;
		case '"': sbuf_add(b, "\\\"", 2); break;
		case '\n': sbuf_add(b, "\\n", 2); break;
		case '\r': sbuf_add(b, "\\r", 2); break;
		case '\032': sbuf_add(b, "\\Z", 2); break;
		default: sbuf_addc(b, *p);
		}
	}
	sbuf_addc(b, '\'');
}

static void
add_int(struct sbuf *b, long long v)
{
	sbuf_printf(b, "%lld", v);
}

void
db_seed_tenant(struct db_seed *s, long long id, const char *name, const char *country,
               const char *domain)
{
	struct sbuf *b = row(s, T_TENANTS);
	add_int(b, id);
	sbuf_addc(b, ',');
	add_str(b, name);
	sbuf_addc(b, ',');
	add_str(b, country);
	sbuf_addc(b, ')');
	b = row(s, T_DOMAINS);
	add_str(b, domain);
	sbuf_addc(b, ',');
	add_int(b, id);
	sbuf_addc(b, ')');
}

void
db_seed_account(struct db_seed *s, const struct db_seed_account *acc)
{
	struct sbuf *b = row(s, T_REGISTRY);
	add_str(b, acc->partner_id);
	sbuf_addc(b, ',');
	add_int(b, acc->tenant_id);
	sbuf_addc(b, ')');
	b = row(s, T_ACCOUNTS);
	add_int(b, acc->id);
	sbuf_addc(b, ',');
	add_str(b, acc->partner_id);
	sbuf_addc(b, ',');
	add_int(b, acc->tenant_id);
	sbuf_adds(b, acc->pga_id ? ",'location'," : ",'global',NULL,");
	if (acc->pga_id) {
		add_int(b, acc->pga_id);
		sbuf_addc(b, ',');
	}
	const char *text[] = {acc->name,    acc->country, acc->address_line1, acc->city,
	                      acc->postal_code, acc->website, acc->contact_name, acc->contact_email};
	for (size_t i = 0; i < sizeof(text) / sizeof(*text); i++) {
		add_str(b, text[i]);
		sbuf_addc(b, ',');
	}
	if (acc->pga_id)
		sbuf_adds(b, "NULL");
	else
		add_int(b, acc->tenant_id);
	sbuf_addc(b, ')');
}

static void
facet_rows(struct db_seed *s, long long profile_id, const char *facet, const char *const *values,
           size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct sbuf *b = row(s, T_FACETS);
		add_int(b, profile_id);
		sbuf_addc(b, ',');
		add_str(b, facet);
		sbuf_addc(b, ',');
		add_str(b, values[i]);
		sbuf_addc(b, ')');
	}
}

void
db_seed_profile(struct db_seed *s, const struct db_seed_profile *p)
{
	struct sbuf *b = row(s, T_PROFILES);
	add_int(b, p->id);
	sbuf_addc(b, ',');
	add_int(b, p->tenant_id);
	sbuf_addc(b, ',');
	add_int(b, p->account_id);
	sbuf_adds(b, ",'non_csp','published',");
	const char *text[] = {p->slug, p->name, p->description, p->website, p->lead_email, p->lang};
	for (size_t i = 0; i < sizeof(text) / sizeof(*text); i++) {
		add_str(b, text[i]);
		sbuf_addc(b, ',');
	}
	sbuf_adds(b, "'locations,markets,content','',NOW(3))");

	b = row(s, T_LINKS);
	add_int(b, p->account_id);
	sbuf_adds(b, ",'profile',");
	sbuf_printf(b, "'%lld')", p->id);

	for (size_t i = 0; i < p->nlocations; i++) {
		b = row(s, T_LOCATIONS);
		add_int(b, p->tenant_id);
		sbuf_addc(b, ',');
		add_str(b, p->locations[i].country);
		sbuf_addc(b, ',');
		add_int(b, p->id);
		sbuf_addc(b, ',');
		add_str(b, p->locations[i].description);
		sbuf_addc(b, ')');
	}
	for (size_t i = 0; i < p->nmarkets; i++) {
		b = row(s, T_MARKETS);
		add_int(b, p->id);
		sbuf_addc(b, ',');
		add_str(b, p->markets[i]);
		sbuf_addc(b, ')');
	}
	for (size_t i = 0; i < p->nregions; i++) {
		b = row(s, T_REGIONS);
		add_int(b, p->id);
		sbuf_addc(b, ',');
		add_str(b, p->regions[i]);
		sbuf_addc(b, ')');
	}
	facet_rows(s, p->id, "industry", p->industries, p->nindustries);
	facet_rows(s, p->id, "solution_area", p->solution_areas, p->nsolution_areas);
	facet_rows(s, p->id, "language", p->languages, p->nlanguages);
}

size_t
db_seed_pending(const struct db_seed *s)
{
	size_t n = 0;
	for (int t = 0; t < T__MAX; t++)
		n += s->sql[t].len;
	return n;
}

/* Foreign keys are not checked during the INSERTs (as a dump is restored):
 * the caller gives every id, and parents are written before their children
 * in the same transaction. Unique keys are checked as always. */
enum db_err
db_seed_flush(struct db_seed *s)
{
	enum db_err rc = db_query_plain("SET SESSION foreign_key_checks=0");
	for (int t = 0; t < T__MAX && rc == DB_OK; t++)
		if (s->sql[t].len)
			rc = db_query_plain(sbuf_cstr(&s->sql[t]));
	for (int t = 0; t < T__MAX; t++)
		sbuf_reset(&s->sql[t]);
	enum db_err on = db_query_plain("SET SESSION foreign_key_checks=1");
	return rc != DB_OK ? rc : on;
}

DB_STMT(st_next_ids, "SELECT (SELECT COALESCE(MAX(id),0)+1 FROM tenants), "
                     "(SELECT COALESCE(MAX(id),0)+1 FROM partner_accounts), "
                     "(SELECT COALESCE(MAX(id),0)+1 FROM profiles)");
enum db_err
db_seed_next_ids(struct arena *a, long long *tenant, long long *account, long long *profile)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_next_ids, &res, "");
	if (rc != DB_OK)
		return rc;
	*tenant = db_cell_ll(&res, 0, 0);
	*account = db_cell_ll(&res, 0, 1);
	*profile = db_cell_ll(&res, 0, 2);
	return DB_OK;
}

DB_STMT(st_issued, "SELECT partner_id FROM partner_id_registry");
enum db_err
db_seed_issued_ids(struct arena *a, void (*fn)(const char *id, void *ctx), void *ctx)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_issued, &res, "");
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		fn(db_cell(&res, i, 0), ctx);
	return rc;
}

DB_STMT(st_count_domains, "SELECT COUNT(*) FROM tenant_domains WHERE domain LIKE CONCAT('%', ?)");
enum db_err
db_seed_count_domains(struct arena *a, const char *suffix, long long *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_count_domains, &res, "s", suffix);
	*n = rc == DB_OK ? db_cell_ll(&res, 0, 0) : 0;
	return rc;
}
