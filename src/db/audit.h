/* The append-only audit log. This module only inserts and reads: there is
 * no update or delete path (and the schema's triggers refuse both). */
#ifndef PD_DB_AUDIT_H
#define PD_DB_AUDIT_H
#include "db/db.h"

struct audit_entry {
	long long   id;
	const char *at;          /* YYYY-MM-DD HH:MM:SS, UTC */
	long long   tenant_id;   /* 0: not about a tenant */
	const char *tenant_name; /* read only */
	long long   actor_id;    /* 0: the system */
	const char *actor_email;
	const char *actor_kind;  /* user, staff, system */
	const char *action;      /* e.g. location.delete */
	const char *object;      /* what it acted on: a partner ID, an email */
	const char *before_json; /* NULL when nothing before */
	const char *after_json;  /* NULL when nothing after */
	const char *ip;
};

enum db_err db_audit_append(struct arena *a, const struct audit_entry *e);
/* Newest first: rows of tenant_id (0 = every tenant) with id < before_id
 * (0 = from the newest), at most limit. */
enum db_err db_audit_list(struct arena *a, long long tenant_id, long long before_id, size_t limit,
                          struct audit_entry **rows, size_t *n);
/* Oldest first: every row about object (e.g. "csp:12"). */
enum db_err db_audit_for_object(struct arena *a, const char *object, struct audit_entry **rows,
                                size_t *n);
#endif
