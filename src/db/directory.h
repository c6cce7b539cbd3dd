/* The public directory (DOMAIN §5): its index of published profiles by
 * country, kept in step with the profiles, and the searches over it. No
 * query here ever reads a partner ID. */
#ifndef PD_DB_DIRECTORY_H
#define PD_DB_DIRECTORY_H
#include "db/db.h"

/* Inside the caller's transaction: rebuilds the directory's rows of a
 * profile (its countries, publish locations first, and its search text)
 * from what is stored; a profile that is not published has none. */
enum db_err db_directory_sync(struct arena *a, long long profile_id);
/* The same for every profile with an id from first_id to last_id (bulk
 * loads: partnerdesk-ctl directory seed). */
enum db_err db_directory_sync_range(struct arena *a, long long first_id, long long last_id);
#endif
