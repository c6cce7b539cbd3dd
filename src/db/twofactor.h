/* Two-factor authentication of a user (sql/010_totp.sql): the sealed TOTP
 * secret, the last step used, recovery codes (SHA-256), the staff deadline
 * to enrol. Every query is keyed by the user's id. */
#ifndef PD_DB_TWOFACTOR_H
#define PD_DB_TWOFACTOR_H
#include <stdbool.h>
#include <stddef.h>
#include "db/db.h"

#define RECOVERY_HASH_LEN 32

struct tfa_row {
	bool                 enabled;
	const unsigned char *sealed; /* nonce || secretbox of the secret; NULL when off */
	size_t               sealed_len;
	unsigned long long   last_step; /* last TOTP step accepted */
	long long            codes_left; /* unused recovery codes */
};
enum db_err db_tfa_get(struct arena *a, long long user_id, struct tfa_row *t);
/* Turns 2FA on with the sealed secret, step as the last one used, and n
 * recovery codes (replacing any): call inside a transaction. *done false
 * when it was already on (a concurrent enrolment). */
enum db_err db_tfa_enable(struct arena *a, long long user_id, const unsigned char *sealed,
                          size_t sealed_len, unsigned long long step,
                          const unsigned char (*hashes)[RECOVERY_HASH_LEN], size_t n,
                          bool *done);
/* Records step as used when it is later than the last one: *ok false when
 * it is not (the code was used already, by a concurrent request too). */
enum db_err db_tfa_step_use(struct arena *a, long long user_id, unsigned long long step,
                            bool *ok);
/* Replaces the user's recovery codes (inside a transaction). */
enum db_err db_tfa_codes_replace(struct arena *a, long long user_id,
                                 const unsigned char (*hashes)[RECOVERY_HASH_LEN], size_t n);
/* Uses an unused recovery code: *ok false when there is none with that hash. */
enum db_err db_tfa_code_use(struct arena *a, long long user_id, const unsigned char *hash,
                            bool *ok);
/* Turns 2FA off: the secret and the recovery codes go (inside a transaction). */
enum db_err db_tfa_disable(struct arena *a, long long user_id, bool *done);
/* The staff deadline to enrol: seconds from now. */
enum db_err db_tfa_due_set(struct arena *a, const char *email, long seconds);
#endif
