/* The one MariaDB connection of a process, over the unix socket. Every
 * query is a prepared statement, prepared on first use and cached; after the
 * server restarts the connection is re-opened and statements re-prepared
 * (a query outside a transaction is retried once). All SQL lives in src/db/.
 *
 * Parameters are described by a type string, one letter each:
 *   's' const char * (NULL is SQL NULL)   'i' long long
 *   'b' const void *, size_t (binary)     'n' SQL NULL (no argument)
 * Result cells are NUL-terminated strings in the caller's arena (NULL for
 * SQL NULL). */
#ifndef PD_DB_H
#define PD_DB_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/config.h"

enum db_err {
	DB_OK = 0,
	DB_DUPLICATE, /* unique key violation */
	DB_UNAVAILABLE, /* connection lost and not recovered */
	DB_ERROR,       /* anything else: logged */
	DB_ERR__MAX
};

struct db_stmt {
	const char *sql;
	void       *handle;     /* MYSQL_STMT *, owned by db.c */
	unsigned    generation; /* connection generation it was prepared on */
	struct db_stmt *next_prepared;
};
#define DB_STMT(name, sqltext) static struct db_stmt name = {.sql = sqltext}

struct db_result {
	size_t       nrows, ncols;
	char       **cells;   /* nrows * ncols */
	size_t      *lens;
	unsigned long long affected;
	unsigned long long insert_id;
};

int  db_open(const struct config *cfg);
void db_close(void);
/* In a forked child: leaves the parent's connection and statements to the
 * parent (nothing is sent on them) and opens one of its own. */
int  db_reopen_in_child(void);
/* True when a round trip to the server works (reconnects if needed). */
bool db_ping(void);

enum db_err db_exec(struct arena *a, struct db_stmt *st, struct db_result *res,
                    const char *types, ...);
/* Plain SQL without parameters (migrations, transactions' control). */
enum db_err db_query_plain(const char *sql);

enum db_err db_begin(void);
enum db_err db_commit(void);
void        db_rollback(void);
/* Ends the transaction a handler opened: commits when rc is DB_OK, rolls
 * back otherwise. Returns the outcome. */
enum db_err db_finish(enum db_err rc);
/* Rolls back whatever is open, at any depth (end of a request). */
void        db_abort_all(void);

static inline const char *
db_cell(const struct db_result *r, size_t row, size_t col)
{
	return row < r->nrows && col < r->ncols ? r->cells[row * r->ncols + col] : NULL;
}
long long db_cell_ll(const struct db_result *r, size_t row, size_t col);
const char *db_strerror(enum db_err e);
#endif
