#include "db/db.h"

#include <errno.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

#define DB_MAX_PARAMS 32

static MYSQL          *conn;
static unsigned        generation = 1;
static bool            in_transaction;
static int             tx_depth;  /* nesting of db_begin */
static bool            tx_failed; /* an inner level rolled back */
static struct db_stmt *prepared; /* statements prepared on this connection */
static char           *cfg_socket, *cfg_user, *cfg_name, *cfg_password;

static bool
connection_lost(unsigned err)
{
	return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST || err == CR_CONNECTION_ERROR ||
	       err == CR_CONN_HOST_ERROR || err == ER_CONNECTION_KILLED || err == CR_STMT_CLOSED ||
	       err == 4031 /* ER_CLIENT_INTERACTION_TIMEOUT */;
}

static int
connect_now(void)
{
	MYSQL *m = mysql_init(NULL);
	if (m == NULL)
		return -1;
	unsigned timeout = 3;
	my_bool off = 0;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &off);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(m, MYSQL_INIT_COMMAND,
	              "SET time_zone='+00:00', sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,"
	              "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	if (mysql_real_connect(m, NULL, cfg_user, cfg_password, cfg_name, 0, cfg_socket,
	                       CLIENT_MULTI_STATEMENTS) == NULL) {
		log_err("cannot connect to MariaDB at %s: %s", cfg_socket, mysql_error(m));
		mysql_close(m);
		return -1;
	}
	conn = m;
	return 0;
}

static void
drop_prepared(void)
{
	for (struct db_stmt *s = prepared; s;) {
		struct db_stmt *next = s->next_prepared;
		if (s->handle)
			mysql_stmt_close(s->handle);
		s->handle = NULL;
		s->next_prepared = NULL;
		s = next;
	}
	prepared = NULL;
}

static int
reconnect(void)
{
	drop_prepared();
	if (conn)
		mysql_close(conn);
	conn = NULL;
	generation++;
	in_transaction = false;
	tx_depth = 0;
	return connect_now();
}

int
db_open(const struct config *cfg)
{
	free(cfg_socket);
	free(cfg_user);
	free(cfg_name);
	free(cfg_password);
	cfg_socket = strdup(config_get(cfg, "db.socket", "var/run/mariadb.sock"));
	cfg_user = strdup(config_get(cfg, "db.user", "root"));
	cfg_name = strdup(config_get(cfg, "db.name", "partnerdesk"));
	const char *pw = config_get(cfg, "db.password", NULL);
	cfg_password = pw && *pw ? strdup(pw) : NULL;
	return connect_now();
}

int
db_reopen_in_child(void)
{
	for (struct db_stmt *s = prepared; s;) {
		struct db_stmt *next = s->next_prepared;
		s->handle = NULL;
		s->next_prepared = NULL;
		s = next;
	}
	prepared = NULL;
	conn = NULL;
	generation++;
	in_transaction = false;
	tx_depth = 0;
	tx_failed = false;
	return connect_now();
}

void
db_close(void)
{
	drop_prepared();
	if (conn)
		mysql_close(conn);
	conn = NULL;
	free(cfg_socket);
	free(cfg_user);
	free(cfg_name);
	free(cfg_password);
	cfg_socket = cfg_user = cfg_name = cfg_password = NULL;
}

bool
db_ping(void)
{
	if (conn == NULL && connect_now() != 0)
		return false;
	if (mysql_ping(conn) == 0)
		return true;
	if (in_transaction)
		return false;
	return reconnect() == 0 && mysql_ping(conn) == 0;
}

static MYSQL_STMT *
prepare(struct db_stmt *st)
{
	if (st->handle && st->generation == generation)
		return st->handle;
	MYSQL_STMT *h = mysql_stmt_init(conn);
	if (h == NULL)
		return NULL;
	my_bool update_max = 1;
	mysql_stmt_attr_set(h, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
	if (mysql_stmt_prepare(h, st->sql, strlen(st->sql)) != 0) {
		unsigned e = mysql_stmt_errno(h);
		if (!connection_lost(e))
			log_err("prepare failed (%u): %s; sql: %.200s", e, mysql_stmt_error(h), st->sql);
		mysql_stmt_close(h);
		errno = (int)e;
		return NULL;
	}
	st->handle = h;
	st->generation = generation;
	st->next_prepared = prepared;
	prepared = st;
	return h;
}

long long
db_cell_ll(const struct db_result *r, size_t row, size_t col)
{
	const char *s = db_cell(r, row, col);
	return s ? strtoll(s, NULL, 10) : 0;
}

struct param_store {
	MYSQL_BIND    bind[DB_MAX_PARAMS];
	long long     ints[DB_MAX_PARAMS];
	unsigned long lens[DB_MAX_PARAMS];
	my_bool       nulls[DB_MAX_PARAMS];
};

static int
bind_params(struct param_store *ps, const char *types, va_list ap, unsigned *count)
{
	unsigned n = 0;
	memset(ps->bind, 0, sizeof(ps->bind));
	for (const char *t = types; t && *t; t++, n++) {
		if (n >= DB_MAX_PARAMS)
			return -1;
		MYSQL_BIND *b = &ps->bind[n];
		switch (*t) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			b->buffer_type = MYSQL_TYPE_STRING;
			if (s == NULL) {
				ps->nulls[n] = 1;
				b->is_null = &ps->nulls[n];
			} else {
				b->buffer = (void *)s;
				ps->lens[n] = (unsigned long)strlen(s);
				b->buffer_length = ps->lens[n];
				b->length = &ps->lens[n];
			}
			break;
		}
		case 'i':
			ps->ints[n] = va_arg(ap, long long);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &ps->ints[n];
			break;
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t len = va_arg(ap, size_t);
			b->buffer_type = MYSQL_TYPE_BLOB;
			b->buffer = (void *)p;
			ps->lens[n] = (unsigned long)len;
			b->buffer_length = ps->lens[n];
			b->length = &ps->lens[n];
			break;
		}
		case 'n':
			b->buffer_type = MYSQL_TYPE_NULL;
			break;
		default:
			return -1;
		}
	}
	*count = n;
	return 0;
}

static enum db_err
fetch_all(struct arena *a, MYSQL_STMT *h, struct db_result *res)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(h);
	if (meta == NULL)
		return DB_OK;
	if (mysql_stmt_store_result(h) != 0) {
		mysql_free_result(meta);
		return DB_ERROR;
	}
	unsigned ncols = mysql_num_fields(meta);
	MYSQL_FIELD *fields = mysql_fetch_fields(meta);
	size_t nrows = (size_t)mysql_stmt_num_rows(h);
	MYSQL_BIND *bind = arena_alloc(a, sizeof(*bind) * ncols);
	unsigned long *lens = arena_alloc(a, sizeof(*lens) * ncols);
	my_bool *nulls = arena_alloc(a, sizeof(*nulls) * ncols);
	for (unsigned c = 0; c < ncols; c++) {
		size_t cap = fields[c].max_length + 1;
		if (cap < 32)
			cap = 32; /* numbers converted to text */
		bind[c].buffer_type = MYSQL_TYPE_STRING;
		bind[c].buffer = arena_alloc(a, cap);
		bind[c].buffer_length = (unsigned long)cap;
		bind[c].length = &lens[c];
		bind[c].is_null = &nulls[c];
	}
	if (res) {
		res->ncols = ncols;
		res->nrows = 0;
		res->cells = arena_alloc(a, sizeof(char *) * ncols * (nrows ? nrows : 1));
		res->lens = arena_alloc(a, sizeof(size_t) * ncols * (nrows ? nrows : 1));
	}
	enum db_err rc = DB_OK;
	if (mysql_stmt_bind_result(h, bind) != 0) {
		rc = DB_ERROR;
		goto done;
	}
	for (;;) {
		int f = mysql_stmt_fetch(h);
		if (f == MYSQL_NO_DATA)
			break;
		if (f == 1) {
			rc = DB_ERROR;
			break;
		}
		if (res == NULL || res->nrows >= nrows)
			continue;
		for (unsigned c = 0; c < ncols; c++) {
			size_t i = res->nrows * ncols + c;
			if (nulls[c]) {
				res->cells[i] = NULL;
				res->lens[i] = 0;
			} else {
				size_t len = lens[c] < bind[c].buffer_length ? lens[c] : bind[c].buffer_length;
				res->cells[i] = arena_strndup(a, bind[c].buffer, len);
				res->lens[i] = len;
			}
		}
		res->nrows++;
	}
done:
	mysql_stmt_free_result(h);
	mysql_free_result(meta);
	return rc;
}

static enum db_err
exec_once(struct arena *a, struct db_stmt *st, struct db_result *res, const char *types,
          va_list ap, unsigned *errnum)
{
	*errnum = 0;
	if (conn == NULL && connect_now() != 0) {
		*errnum = CR_CONNECTION_ERROR;
		return DB_UNAVAILABLE;
	}
	MYSQL_STMT *h = prepare(st);
	if (h == NULL) {
		*errnum = (unsigned)errno;
		if (*errnum == 0)
			*errnum = mysql_errno(conn);
		return connection_lost(*errnum) ? DB_UNAVAILABLE : DB_ERROR;
	}
	struct param_store ps;
	unsigned n = 0;
	/* Checked before any argument is read: a wrong type string is a logged
	 * error, never a read past the caller's arguments. */
	size_t ntypes = types ? strlen(types) : 0;
	if (ntypes != mysql_stmt_param_count(h) || bind_params(&ps, types, ap, &n) != 0) {
		log_err("parameter mismatch (%zu given, %lu expected): %.200s", ntypes,
		        mysql_stmt_param_count(h), st->sql);
		return DB_ERROR;
	}
	if ((n && mysql_stmt_bind_param(h, ps.bind) != 0) || mysql_stmt_execute(h) != 0) {
		*errnum = mysql_stmt_errno(h);
		if (*errnum == ER_DUP_ENTRY || *errnum == ER_DUP_KEY)
			return DB_DUPLICATE;
		if (connection_lost(*errnum))
			return DB_UNAVAILABLE;
		log_err("execute failed (%u): %s; sql: %.200s", *errnum, mysql_stmt_error(h), st->sql);
		return DB_ERROR;
	}
	if (res)
		memset(res, 0, sizeof(*res));
	enum db_err rc = fetch_all(a, h, res);
	if (res) {
		res->affected = mysql_stmt_affected_rows(h);
		res->insert_id = mysql_stmt_insert_id(h);
	}
	if (rc != DB_OK)
		log_err("fetch failed: %s", mysql_stmt_error(h));
	return rc;
}

enum db_err
db_exec(struct arena *a, struct db_stmt *st, struct db_result *res, const char *types, ...)
{
	unsigned errnum;
	va_list ap;
	va_start(ap, types);
	enum db_err rc = exec_once(a, st, res, types, ap, &errnum);
	va_end(ap);
	if (rc == DB_UNAVAILABLE && !in_transaction) {
		log_warn("connection lost (%u), reconnecting", errnum);
		if (reconnect() == 0) {
			va_start(ap, types);
			rc = exec_once(a, st, res, types, ap, &errnum);
			va_end(ap);
		}
	}
	return rc;
}

enum db_err
db_query_plain(const char *sql)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (conn == NULL && connect_now() != 0)
			return DB_UNAVAILABLE;
		if (mysql_real_query(conn, sql, (unsigned long)strlen(sql)) == 0) {
			/* Drain every result of a multi-statement query. */
			int status;
			do {
				MYSQL_RES *r = mysql_store_result(conn);
				if (r)
					mysql_free_result(r);
				status = mysql_next_result(conn);
			} while (status == 0);
			if (status > 0) {
				log_err("query failed: %s", mysql_error(conn));
				return DB_ERROR;
			}
			return DB_OK;
		}
		unsigned e = mysql_errno(conn);
		if (!connection_lost(e) || in_transaction || attempt == 1) {
			if (e == ER_DUP_ENTRY)
				return DB_DUPLICATE;
			log_err("query failed (%u): %s", e, mysql_error(conn));
			return connection_lost(e) ? DB_UNAVAILABLE : DB_ERROR;
		}
		if (reconnect() != 0)
			return DB_UNAVAILABLE;
	}
	return DB_ERROR;
}

/* Transactions nest: only the outermost begin/commit reach the server; a
 * rollback at any depth makes the outermost commit roll back. */
enum db_err
db_begin(void)
{
	if (tx_depth++ > 0)
		return DB_OK;
	enum db_err rc = db_query_plain("START TRANSACTION");
	if (rc == DB_OK) {
		in_transaction = true;
		tx_failed = false;
	} else {
		tx_depth = 0;
	}
	return rc;
}

enum db_err
db_commit(void)
{
	if (tx_depth == 0)
		return DB_ERROR;
	if (--tx_depth > 0)
		return tx_failed ? DB_ERROR : DB_OK;
	if (tx_failed) {
		db_abort_all();
		return DB_ERROR;
	}
	enum db_err rc = db_query_plain("COMMIT");
	in_transaction = false;
	return rc;
}

void
db_rollback(void)
{
	if (tx_depth > 1) {
		tx_depth--;
		tx_failed = true;
		return;
	}
	db_abort_all();
}

enum db_err
db_finish(enum db_err rc)
{
	if (rc == DB_OK)
		return db_commit();
	db_abort_all();
	return rc;
}

void
db_abort_all(void)
{
	if (conn && in_transaction)
		mysql_rollback(conn);
	in_transaction = false;
	tx_depth = 0;
	tx_failed = false;
}

const char *
db_strerror(enum db_err e)
{
	static const char *msgs[DB_ERR__MAX] = {"ok", "duplicate", "database unavailable",
	                                        "database error"};
	return (unsigned)e < DB_ERR__MAX ? msgs[e] : "?";
}
