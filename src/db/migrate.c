#include "db/migrate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "core/tsv.h"
#include "db/db.h"

DB_STMT(st_lock, "SELECT GET_LOCK('partnerdesk_migrate', 60)");
DB_STMT(st_unlock, "SELECT RELEASE_LOCK('partnerdesk_migrate')");
DB_STMT(st_applied, "SELECT 1 FROM schema_migrations WHERE version=?");
DB_STMT(st_record, "INSERT INTO schema_migrations (version) VALUES (?)");

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_migration(const char *name)
{
	size_t n = strlen(name);
	return n > 8 && name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' &&
	       name[2] >= '0' && name[2] <= '9' && name[3] == '_' && strcmp(name + n - 4, ".sql") == 0;
}

static int
read_file(const char *path, struct sbuf *out)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_add(out, buf, n);
	fclose(f);
	sbuf_cstr(out);
	return 0;
}

int
migrate_apply(const char *sql_dir)
{
	struct arena a;
	arena_init(&a, 16384);
	int applied = -1;
	char **names = NULL;
	size_t n = 0;
	struct db_result res;
	if (db_query_plain("CREATE TABLE IF NOT EXISTS schema_migrations ("
	                   " version VARCHAR(100) NOT NULL PRIMARY KEY,"
	                   " applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"
	                   ") ENGINE=InnoDB") != DB_OK)
		goto out;
	if (db_exec(&a, &st_lock, &res, "") != DB_OK || db_cell_ll(&res, 0, 0) != 1) {
		fprintf(stderr, "migrate: another migration is running\n");
		goto out;
	}
	DIR *d = opendir(sql_dir);
	if (d == NULL) {
		fprintf(stderr, "migrate: cannot open %s\n", sql_dir);
		goto unlock;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (is_migration(de->d_name)) {
			names = realloc(names, sizeof(*names) * (n + 1));
			names[n++] = strdup(de->d_name);
		}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	applied = 0;
	for (size_t i = 0; i < n; i++) {
		char version[128];
		snprintf(version, sizeof(version), "%.*s", (int)(strlen(names[i]) - 4), names[i]);
		if (db_exec(&a, &st_applied, &res, "s", version) != DB_OK) {
			applied = -1;
			break;
		}
		if (res.nrows)
			continue;
		char path[4096];
		struct sbuf sql = {0};
		snprintf(path, sizeof(path), "%s/%s", sql_dir, names[i]);
		if (read_file(path, &sql) != 0) {
			fprintf(stderr, "migrate: cannot read %s\n", path);
			applied = -1;
			break;
		}
		/* DDL commits implicitly; data statements of the file and its record
		 * are one transaction. */
		bool ok = db_begin() == DB_OK && db_query_plain(sql.p) == DB_OK &&
		          db_exec(&a, &st_record, NULL, "s", version) == DB_OK && db_commit() == DB_OK;
		sbuf_free(&sql);
		if (!ok) {
			db_abort_all();
			fprintf(stderr, "migrate: %s failed (see the message above)\n", names[i]);
			applied = -1;
			break;
		}
		printf("applied %s\n", version);
		applied++;
	}
unlock:
	db_exec(&a, &st_unlock, &res, "");
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	arena_free(&a);
	return applied;
}

DB_STMT(st_region_upsert, "INSERT INTO csp_regions (country, region, region_name, currency) "
                          "VALUES (?,?,?,?) ON DUPLICATE KEY UPDATE region=VALUES(region), "
                          "region_name=VALUES(region_name), currency=VALUES(currency)");
DB_STMT(st_region_prune, "DELETE FROM csp_regions WHERE country NOT IN "
                         "(SELECT j.c FROM JSON_TABLE(?, '$[*]' COLUMNS (c CHAR(2) PATH '$')) j)");

/* data/csp-regions.tsv: region, region_name, country, currency (header first). */
static int
load_csp_regions(struct arena *a, const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "migrate: cannot read %s\n", path);
		return -1;
	}
	int rows = 0, rc = 0;
	struct sbuf seen = {0};
	sbuf_printf(&seen, "[");
	if (db_begin() != DB_OK)
		rc = -1;
	struct tsv_reader t;
	tsv_init(&t, f);
	char *line;
	while (rc == 0 && (line = tsv_next(&t)) != NULL) {
		if (t.header)
			continue;
		char *cols[4];
		int n = tsv_split(line, cols, 4);
		/* The currency may be empty (a country the table prices in none). */
		if (n != 4 || strlen(cols[2]) != 2 || cols[0][0] == '\0' ||
		    (strlen(cols[3]) != 3 && cols[3][0] != '\0')) {
			fprintf(stderr, "migrate: %s:%zu: expected region, name, country, currency\n",
			        path, t.line_no);
			rc = -1;
			break;
		}
		if (db_exec(a, &st_region_upsert, NULL, "ssss", cols[2], cols[0], cols[1], cols[3]) !=
		    DB_OK)
			rc = -1;
		sbuf_printf(&seen, "%s\"%s\"", rows ? "," : "", cols[2]);
		rows++;
	}
	tsv_free(&t);
	fclose(f);
	sbuf_printf(&seen, "]");
	if (rc == 0 && rows > 0 &&
	    db_exec(a, &st_region_prune, NULL, "s", sbuf_cstr(&seen)) != DB_OK)
		rc = -1;
	sbuf_free(&seen);
	if (rc == 0 && (rows == 0 || db_commit() != DB_OK)) {
		fprintf(stderr, "migrate: %s: no region loaded\n", path);
		rc = -1;
	}
	if (rc != 0)
		db_abort_all();
	else
		printf("reference data: %d CSP region rows\n", rows);
	return rc;
}

DB_STMT(st_metrics_clear, "DELETE FROM designation_metrics");
DB_STMT(st_metric_add, "INSERT INTO designation_metrics (solution_area, metric, category, "
                       "max_points, position) VALUES (?,?,?,?,?)");

/* data/designation-metrics.tsv: solution_area, category, metric, max_points
 * (header first, # comments), replacing the table's rows. */
static int
load_designation_metrics(struct arena *a, const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "migrate: cannot read %s\n", path);
		return -1;
	}
	int rows = 0, rc = 0;
	if (db_begin() != DB_OK || db_exec(a, &st_metrics_clear, NULL, "") != DB_OK)
		rc = -1;
	struct tsv_reader t;
	tsv_init(&t, f);
	char *line;
	while (rc == 0 && (line = tsv_next(&t)) != NULL) {
		if (t.header)
			continue;
		char *cols[4], *end = NULL;
		int n = tsv_split(line, cols, 4);
		long max = n == 4 ? strtol(cols[3], &end, 10) : -1;
		if (n != 4 || !*cols[0] || !*cols[1] || !*cols[2] || *end || max < 1 || max > 100) {
			fprintf(stderr, "migrate: %s:%zu: expected solution_area, category, metric, "
			                "max_points (1 to 100)\n", path, t.line_no);
			rc = -1;
			break;
		}
		if (db_exec(a, &st_metric_add, NULL, "sssii", cols[0], cols[2], cols[1],
		            (long long)max, (long long)rows) != DB_OK)
			rc = -1;
		rows++;
	}
	tsv_free(&t);
	fclose(f);
	if (rc == 0 && (rows == 0 || db_commit() != DB_OK)) {
		fprintf(stderr, "migrate: %s: no metric loaded\n", path);
		rc = -1;
	}
	if (rc != 0)
		db_abort_all();
	else
		printf("reference data: %d designation metric rows\n", rows);
	return rc;
}

int
migrate_reference(const char *data_dir)
{
	struct arena a;
	arena_init(&a, 16384);
	char path[4096];
	snprintf(path, sizeof(path), "%s/csp-regions.tsv", data_dir);
	int rc = load_csp_regions(&a, path);
	snprintf(path, sizeof(path), "%s/designation-metrics.tsv", data_dir);
	if (rc == 0)
		rc = load_designation_metrics(&a, path);
	arena_free(&a);
	return rc;
}
