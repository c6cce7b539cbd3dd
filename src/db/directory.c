#include "db/directory.h"

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
enum db_err
db_directory_sync(struct arena *a, long long profile_id)
{
	struct db_result res;
	enum db_err rc;
	if ((rc = db_exec(a, &st_sync_clear, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_publish, &res, "i", profile_id)) != DB_OK ||
	    (rc = db_exec(a, &st_sync_sell, &res, "i", profile_id)) != DB_OK)
		return rc;
	return db_exec(a, &st_sync_text, &res, "i", profile_id);
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
        "UPDATE profiles p LEFT JOIN (SELECT l.profile_id, GROUP_CONCAT(l.description "
        "SEPARATOR ' ') AS texts FROM profile_locations l WHERE l.profile_id BETWEEN ? AND ? "
        "GROUP BY l.profile_id) t ON t.profile_id=p.id "
        "SET p.search_text=CONCAT_WS(' ', p.name, p.description, t.texts) "
        "WHERE p.id BETWEEN ? AND ?");
enum db_err
db_directory_sync_range(struct arena *a, long long first_id, long long last_id)
{
	struct db_result res;
	enum db_err rc;
	if ((rc = db_exec(a, &st_range_clear, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_publish, &res, "ii", first_id, last_id)) != DB_OK ||
	    (rc = db_exec(a, &st_range_sell, &res, "ii", first_id, last_id)) != DB_OK)
		return rc;
	return db_exec(a, &st_range_text, &res, "iiii", first_id, last_id, first_id, last_id);
}
