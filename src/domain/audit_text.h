/* The audit log read by people (DOMAIN §8): each recorded action code
 * (audit_record's strings) and the facts of its details become a sentence
 * to translate, with its arguments. Pure: the page flattens the entry's
 * JSON into facts, translates the msgid and the arguments, and fills it. */
#ifndef PD_DOMAIN_AUDIT_TEXT_H
#define PD_DOMAIN_AUDIT_TEXT_H
#include <stddef.h>

/* One fact of an entry: a key of its "after" details (or "object"). */
struct audit_fact {
	const char *key, *value;
};
enum audit_arg_kind {
	AUDIT_ARG_TEXT,  /* shown as stored (an ID, a name, a note) */
	AUDIT_ARG_MSGID, /* a msgid to translate (a status, a verdict, a model) */
	AUDIT_ARG_ROLES, /* comma-separated role codes, each shown by its label */
};
#define AUDIT_ARGS 3
struct audit_sentence {
	const char *msgid; /* with {1}, {2}, {3} where the arguments go */
	size_t      nargs;
	struct {
		enum audit_arg_kind kind;
		const char         *value;
	} args[AUDIT_ARGS];
};

/* The sentence of an action: the first row of the table for that code
 * whose condition holds and whose facts are all present (non-empty); an
 * unknown code gives the generic sentence with the code as argument. */
struct audit_sentence audit_sentence(const char *action, const struct audit_fact *facts,
                                     size_t n);
/* Writes tmpl with each {k} (1..nargs) replaced by args[k-1] into out;
 * a {k} without an argument stays as written. Returns the length needed
 * (as snprintf). */
size_t audit_fill(const char *tmpl, const char *const *args, size_t nargs, char *out, size_t cap);
#endif
