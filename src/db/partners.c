#include "db/partners.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/csp.h"

#define ACCOUNT_COLS                                                                             \
	"p.id, p.partner_id, p.tenant_id, p.kind, p.name, p.country, p.address_line1, "          \
	"p.address_line2, p.city, p.region, p.postal_code, p.phone, p.website, p.contact_name, " \
	"p.contact_email, p.status, DATE_FORMAT(p.created_at,'%Y-%m-%d %H:%i:%s'), "              \
	"COALESCE(DATE_FORMAT(p.deleted_at,'%Y-%m-%d'),'') "
#define ACCOUNT_NCOLS 18
/* What an ID is linked to: the purposes of its partner_id_links rows (index
 * range) and the status of the CSP application naming it (unique key). */
#define LINK_COLS                                                                           \
	", (SELECT GROUP_CONCAT(l.purpose) FROM partner_id_links l WHERE l.partner_account_id=p.id), " \
	"c.status "
#define LINK_JOIN " LEFT JOIN csp_applications c ON c.partner_account_id=p.id "

/* Attempts at drawing a free number before giving up: with 9 million numbers
 * a collision is rare, several in a row practically impossible. */
#define DRAW_ATTEMPTS 32

static void
account_from(const struct db_result *res, size_t row, struct partner_account *p)
{
	p->id = db_cell_ll(res, row, 0);
	p->partner_id = db_cell(res, row, 1);
	p->tenant_id = db_cell_ll(res, row, 2);
	p->kind = partner_kind_parse(db_cell(res, row, 3)) == PARTNER_GLOBAL ? PARTNER_GLOBAL
	                                                                     : PARTNER_LOCATION;
	p->name = db_cell(res, row, 4);
	p->country = db_cell(res, row, 5);
	p->address_line1 = db_cell(res, row, 6);
	p->address_line2 = db_cell(res, row, 7);
	p->city = db_cell(res, row, 8);
	p->region = db_cell(res, row, 9);
	p->postal_code = db_cell(res, row, 10);
	p->phone = db_cell(res, row, 11);
	p->website = db_cell(res, row, 12);
	p->contact_name = db_cell(res, row, 13);
	p->contact_email = db_cell(res, row, 14);
	int status = partner_status_parse(db_cell(res, row, 15));
	p->status = status < 0 ? PARTNER_DELETED : (enum partner_status)status;
	p->created_at = db_cell(res, row, 16);
	p->deleted_at = db_cell(res, row, 17);
	memset(&p->links, 0, sizeof(p->links));
	if (res->ncols < ACCOUNT_NCOLS + 2)
		return;
	const char *purposes = db_cell(res, row, ACCOUNT_NCOLS);
	for (const char *q = purposes; q && *q; q += strcspn(q, ","), q += *q == ',') {
		size_t n = strcspn(q, ",");
		p->links.csp = p->links.csp || (n == 3 && strncmp(q, "csp", 3) == 0);
		p->links.profile = p->links.profile || (n == 7 && strncmp(q, "profile", 7) == 0);
		p->links.program = p->links.program || (n == 7 && strncmp(q, "program", 7) == 0);
	}
	/* Linked to CSP by its application once submitted (the rule is the domain's). */
	int csp = csp_status_parse(db_cell(res, row, ACCOUNT_NCOLS + 1));
	p->links.csp = p->links.csp || (csp >= 0 && csp_links_location(csp));
}

DB_STMT(st_registry_insert, "INSERT INTO partner_id_registry (partner_id, tenant_id) VALUES (?,?)");
/* Reserves a new random 7-digit ID for the tenant (inside the caller's
 * transaction). A number already issued is a duplicate key: draw again. */
static enum db_err
draw_partner_id(struct arena *a, long long tenant_id, const char **out)
{
	for (int i = 0; i < DRAW_ATTEMPTS; i++) {
		char id[8];
		snprintf(id, sizeof(id), "%07u", 1000000u + randombytes_uniform(9000000u));
		enum db_err rc = db_exec(a, &st_registry_insert, NULL, "si", id, tenant_id);
		if (rc == DB_DUPLICATE)
			continue;
		if (rc == DB_OK)
			*out = arena_strdup(a, id);
		return rc;
	}
	return DB_ERROR;
}

DB_STMT(st_tenant_lock, "SELECT id FROM tenants WHERE id=? FOR UPDATE");
DB_STMT(st_ids_issued, "SELECT COUNT(*) FROM partner_id_registry WHERE tenant_id=?");
enum db_err
db_partner_ids_issued(struct arena *a, long long tenant_id, long long *n)
{
	struct db_result res;
	*n = 0;
	enum db_err rc = db_exec(a, &st_tenant_lock, NULL, "i", tenant_id);
	if (rc == DB_OK && (rc = db_exec(a, &st_ids_issued, &res, "i", tenant_id)) == DB_OK)
		*n = db_cell_ll(&res, 0, 0);
	return rc;
}

#define ACCOUNT_INSERT                                                                          \
	"INSERT INTO partner_accounts (partner_id, tenant_id, name, country, address_line1, "      \
	"address_line2, city, region, postal_code, phone, website, contact_name, contact_email, " \
	"kind, pga_id, live_pga_tenant) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,"
DB_STMT(st_pga_insert, ACCOUNT_INSERT "'global',NULL,?)");
DB_STMT(st_location_insert, ACCOUNT_INSERT "'location',?,NULL)");
static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

/* pga_id 0 inserts the PGA itself (live_pga_tenant set: one per tenant). */
static enum db_err
insert_account(struct arena *a, long long tenant_id, long long pga_id,
               const struct partner_account *p, const char **partner_id, long long *id)
{
	struct db_result res;
	enum db_err rc = draw_partner_id(a, tenant_id, partner_id);
	if (rc != DB_OK)
		return rc;
	rc = db_exec(a, pga_id ? &st_location_insert : &st_pga_insert, &res, "sisssssssssssi",
	             *partner_id, tenant_id, p->name, p->country, p->address_line1,
	             or_empty(p->address_line2), p->city, or_empty(p->region),
	             or_empty(p->postal_code), or_empty(p->phone), or_empty(p->website),
	             p->contact_name, p->contact_email, pga_id ? pga_id : tenant_id);
	if (rc == DB_OK && id)
		*id = (long long)res.insert_id;
	return rc;
}

enum db_err
db_partner_enroll(struct arena *a, long long tenant_id, const struct partner_account *legal,
                  const char **pga_id, const char **location_id)
{
	enum db_err rc = db_begin();
	if (rc != DB_OK)
		return rc;
	long long pga = 0;
	struct partner_account loc = *legal;
	loc.phone = loc.website = "";
	if ((rc = insert_account(a, tenant_id, 0, legal, pga_id, &pga)) != DB_OK ||
	    (rc = insert_account(a, tenant_id, pga, &loc, location_id, NULL)) != DB_OK) {
		db_rollback();
		return rc;
	}
	return db_commit();
}

/* Live first, then the PGA before its locations, each oldest first. */
static int
account_order(const void *x, const void *y)
{
	const struct partner_account *a = x, *b = y;
	int da = a->status == PARTNER_DELETED, db = b->status == PARTNER_DELETED;
	if (da != db)
		return da - db;
	if (a->kind != b->kind)
		return a->kind == PARTNER_GLOBAL ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

DB_STMT(st_accounts, "SELECT " ACCOUNT_COLS "FROM partner_accounts p WHERE p.tenant_id=? "
                     "AND (p.status<>'deleted' OR ?)");
DB_STMT(st_accounts_links, "SELECT " ACCOUNT_COLS LINK_COLS "FROM partner_accounts p" LINK_JOIN
                           "WHERE p.tenant_id=? AND (p.status<>'deleted' OR ?)");
enum db_err
db_partner_accounts(struct arena *a, long long tenant_id, bool with_deleted, bool with_links,
                    struct partner_account **rows, size_t *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, with_links ? &st_accounts_links : &st_accounts, &res, "ii",
	                         tenant_id, (long long)with_deleted);
	if (rc != DB_OK)
		return rc;
	*rows = arena_alloc(a, sizeof(**rows) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++)
		account_from(&res, i, &(*rows)[i]);
	*n = res.nrows;
	qsort(*rows, *n, sizeof(**rows), account_order);
	return DB_OK;
}

/* The one row of st for the tenant (and partner_id when not NULL); *found
 * false when there is none. */
static enum db_err
one_account(struct arena *a, struct db_stmt *st, long long tenant_id, const char *partner_id,
            struct partner_account *out, bool *found)
{
	struct db_result res;
	*found = false;
	enum db_err rc = partner_id ? db_exec(a, st, &res, "is", tenant_id, partner_id)
	                            : db_exec(a, st, &res, "i", tenant_id);
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	account_from(&res, 0, out);
	*found = true;
	return DB_OK;
}

DB_STMT(st_pga, "SELECT " ACCOUNT_COLS "FROM partner_accounts p WHERE p.live_pga_tenant=?");
enum db_err
db_partner_pga(struct arena *a, long long tenant_id, struct partner_account *out, bool *found)
{
	return one_account(a, &st_pga, tenant_id, NULL, out, found);
}

DB_STMT(st_legal, "SELECT " ACCOUNT_COLS ", c.status FROM partner_accounts p "
                  "LEFT JOIN csp_applications c ON c.tenant_id=p.tenant_id "
                  "WHERE p.live_pga_tenant=?");
enum db_err
db_partner_legal(struct arena *a, long long tenant_id, struct partner_account *pga, bool *found,
                 enum csp_status *csp)
{
	struct db_result res;
	*found = false;
	*csp = CSP_NONE;
	enum db_err rc = db_exec(a, &st_legal, &res, "i", tenant_id);
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	account_from(&res, 0, pga);
	int status = csp_status_parse(db_cell(&res, 0, ACCOUNT_NCOLS));
	*csp = status < 0 ? CSP_NONE : (enum csp_status)status;
	*found = true;
	return DB_OK;
}

enum db_err
db_partner_location_add(struct arena *a, long long tenant_id, long long pga_id,
                        const struct partner_account *loc, const char **partner_id)
{
	enum db_err rc = db_begin();
	if (rc != DB_OK)
		return rc;
	struct partner_account l = *loc;
	l.phone = l.website = "";
	if ((rc = insert_account(a, tenant_id, pga_id, &l, partner_id, NULL)) != DB_OK) {
		db_rollback();
		return rc;
	}
	return db_commit();
}

DB_STMT(st_set_status,
        "UPDATE partner_accounts SET status=?, updated_at=NOW(3) WHERE id=? AND status<>'deleted'");
enum db_err
db_partner_set_status(struct arena *a, long long account_id, enum partner_status status)
{
	return db_exec(a, &st_set_status, NULL, "si", partner_status_code(status), account_id);
}

DB_STMT(st_update_legal,
        "UPDATE partner_accounts SET name=?, address_line1=?, address_line2=?, city=?, region=?, "
        "postal_code=?, phone=?, website=?, contact_name=?, contact_email=?, updated_at=NOW(3) "
        "WHERE id=? AND kind='global'");
enum db_err
db_partner_update_legal(struct arena *a, long long pga_id, const struct partner_account *p)
{
	return db_exec(a, &st_update_legal, NULL, "ssssssssssi", p->name, p->address_line1,
	               p->address_line2, p->city, p->region, p->postal_code, p->phone, p->website,
	               p->contact_name, p->contact_email, pga_id);
}

/* FOR UPDATE: two deletions of the last two locations cannot both pass. */
DB_STMT(st_live_locations,
        "SELECT id FROM partner_accounts WHERE pga_id=? AND kind='location' "
        "AND status<>'deleted' FOR UPDATE");
enum db_err
db_partner_live_locations(struct arena *a, long long pga_id, long long *n)
{
	struct db_result res;
	enum db_err rc = db_exec(a, &st_live_locations, &res, "i", pga_id);
	if (rc == DB_OK)
		*n = (long long)res.nrows;
	return rc;
}

DB_STMT(st_delete,
        "UPDATE partner_accounts SET status='deleted', live_pga_tenant=NULL, deleted_at=NOW(3), "
        "updated_at=NOW(3) WHERE id=? AND status<>'deleted'");
enum db_err
db_partner_delete(struct arena *a, long long account_id)
{
	return db_exec(a, &st_delete, NULL, "i", account_id);
}

DB_STMT(st_close,
        "UPDATE partner_accounts SET status='deleted', live_pga_tenant=NULL, deleted_at=NOW(3), "
        "updated_at=NOW(3) WHERE tenant_id=? AND status<>'deleted'");
enum db_err
db_partner_close(struct arena *a, long long tenant_id)
{
	return db_exec(a, &st_close, NULL, "i", tenant_id);
}
