/* Work-email rules of DOMAIN §1: syntax (no DNS look-up), free-mail domains
 * and role mailboxes refused. Pure functions: the lists are passed in. */
#ifndef PD_EMAIL_RULES_H
#define PD_EMAIL_RULES_H
#include <stdbool.h>
#include <stddef.h>

enum email_verdict {
	EMAIL_OK = 0,
	EMAIL_SYNTAX,   /* not an address */
	EMAIL_FREEMAIL, /* a free-mail provider's domain */
	EMAIL_ROLE,     /* info@, admin@, … */
	EMAIL_VERDICT__MAX
};

/* Syntax check of a lower-cased address: local@domain, local part of
 * dot-atom characters (≤ 64), domain of LDH labels with a dot (≤ 253),
 * whole address ≤ 254. */
bool email_syntax_ok(const char *email);
/* Pattern "name.*" matches name under any TLD ("yahoo.*" ~ yahoo.co.uk);
 * otherwise an exact, case-insensitive match. */
bool email_domain_matches(const char *domain, const char *pattern);
enum email_verdict email_check_work(const char *email, const char *const *freemail,
                                    size_t nfreemail, const char *const *roles, size_t nroles);
/* Lower-cased, trimmed copy into buf (size len); NULL when too long. */
char *email_normalize(const char *in, char *buf, size_t len);
/* The part after '@' (pointer into email), or NULL. */
const char *email_domain(const char *email);
#endif
