/* The outbox as the mailer sees it: claim due messages, record outcomes. */
#ifndef PD_DB_OUTBOX_H
#define PD_DB_OUTBOX_H
#include "db/db.h"

struct outbox_msg {
	long long   id;
	const char *to;
	const char *subject;
	const char *body;
	const char *created_at;
	int         attempts;
};

/* Up to max due messages, locked for this transaction (SKIP LOCKED, so
 * several mailers can share one outbox). Call inside db_begin/db_commit. */
enum db_err db_outbox_claim(struct arena *a, int max, struct outbox_msg **msgs, size_t *n);
enum db_err db_outbox_sent(struct arena *a, long long id);
/* Schedules a retry after delay_seconds and records the error. */
enum db_err db_outbox_failed(struct arena *a, long long id, const char *error, long delay_seconds);
#endif
