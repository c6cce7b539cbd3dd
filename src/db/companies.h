/* Companies' legal names, for the content guideline "no other company's
 * legal name" (domain/profile_content.h). */
#ifndef PD_DB_COMPANIES_H
#define PD_DB_COMPANIES_H
#include <stddef.h>
#include "db/db.h"

/* Looks the n word sequences of a text (profile_text_ngrams: normalized as
 * profile_name_normalize) up among the legal names of the other companies:
 * the global accounts (not deleted) and the tenant names of every tenant but
 * tenant_id, names of fewer than 3 characters and names that are also one of
 * this tenant's own left out. *found receives one such legal name as written
 * (in a), NULL when none. One query, by the index on the normalized names. */
enum db_err db_company_names_in(struct arena *a, long long tenant_id, const char *const *ngrams,
                                size_t n, const char **found);
#endif
