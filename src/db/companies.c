#include "db/companies.h"

#include <jansson.h>
#include <stdlib.h>

#include "core/log.h"

/* The ngrams arrive as one JSON array, a row each through JSON_TABLE, joined
 * to name_norm (sql/016) by its index; the collation of the column makes the
 * comparison case- and accent-insensitive. */
#define NGRAMS_TABLE                                                                      \
	"JSON_TABLE(?, '$[*]' COLUMNS (g VARCHAR(200) CHARACTER SET utf8mb4 "                 \
	"COLLATE utf8mb4_unicode_ci PATH '$')) j "
#define OWN_NAMES                                                                         \
	"(SELECT o.name_norm FROM partner_accounts o WHERE o.tenant_id=? AND o.kind='global' " \
	"AND o.status<>'deleted' UNION SELECT ot.name_norm FROM tenants ot WHERE ot.id=?)"
DB_STMT(st_names_in,
        "SELECT x.name FROM ("
        "SELECT pa.name FROM " NGRAMS_TABLE
        "JOIN partner_accounts pa ON pa.name_norm=j.g "
        "WHERE pa.kind='global' AND pa.status<>'deleted' AND pa.tenant_id<>? "
        "AND CHAR_LENGTH(pa.name_norm)>=3 AND pa.name_norm NOT IN " OWN_NAMES
        " UNION ALL "
        "SELECT t.name FROM " NGRAMS_TABLE
        "JOIN tenants t ON t.name_norm=j.g "
        "WHERE t.id<>? AND CHAR_LENGTH(t.name_norm)>=3 AND t.name_norm NOT IN " OWN_NAMES
        ") x LIMIT 1");

enum db_err
db_company_names_in(struct arena *a, long long tenant_id, const char *const *ngrams, size_t n,
                    const char **found)
{
	*found = NULL;
	if (n == 0)
		return DB_OK;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, json_string(ngrams[i]));
	char *js = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	if (!js) {
		log_err("out of memory");
		return DB_ERROR;
	}
	struct db_result res;
	enum db_err rc = db_exec(a, &st_names_in, &res, "siiisiii", js, tenant_id, tenant_id,
	                         tenant_id, js, tenant_id, tenant_id, tenant_id);
	free(js);
	if (rc == DB_OK && res.nrows)
		*found = db_cell(&res, 0, 0);
	return rc;
}
