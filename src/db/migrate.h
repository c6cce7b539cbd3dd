/* Schema migrations: sql/NNN_name.sql applied in order, once each, recorded
 * in schema_migrations; written to be safe to re-run (IF NOT EXISTS,
 * INSERT IGNORE) since MariaDB commits DDL implicitly. */
#ifndef PD_MIGRATE_H
#define PD_MIGRATE_H
/* Applies what is missing; prints one line per migration to stdout.
 * Returns the number applied, or -1 on error (message on stderr). */
int migrate_apply(const char *sql_dir);
/* Loads the reference data of data_dir (csp-regions.tsv, designation-metrics.tsv) into its tables,
 * replacing what was there, in one transaction. 0, or -1 (message on stderr). */
int migrate_reference(const char *data_dir);
#endif
