/* The public directory (DOMAIN §5): its index of published profiles by
 * country and keyword, kept in step with the profiles, and the searches
 * over it. No query here ever reads a partner ID. */
#ifndef PD_DB_DIRECTORY_H
#define PD_DB_DIRECTORY_H
#include <stdbool.h>
#include "core/sbuf.h"
#include "db/db.h"
#include "db/profiles.h"
#include "domain/directory.h"

/* Inside the caller's transaction: rebuilds the directory's rows of a
 * profile (its countries, publish locations first, and its search text)
 * from what is stored; a profile that is not published has none. */
enum db_err db_directory_sync(struct arena *a, long long profile_id);
/* The same for every profile with an id from first_id to last_id (bulk
 * loads: partnerdesk-ctl directory seed). */
enum db_err db_directory_sync_range(struct arena *a, long long first_id, long long last_id);
/* The lowest and highest profile ids (0 and 0 without profiles), for a
 * rebuild by ranges (partnerdesk-ctl directory reindex). */
enum db_err db_directory_id_range(struct arena *a, long long *first_id, long long *last_id);

/* What a search asks for. */
struct directory_filter {
	const char *country;                     /* "" = every published profile */
	const char *expr;                        /* boolean-mode expression, "" = no keywords */
	const char *facet[DIRECTORY_FACET__MAX]; /* "" = any value (masks: domain/directory.h) */
};

/* One result, in the variant of the filter's country. */
struct directory_hit {
	const char *slug, *name;
	const char *summary;        /* the description's first characters */
	const char *solution_areas; /* comma-separated codes, "" when none */
	bool        has_logo;
	bool        sells_only;     /* the country is a sell market, not a publish location */
};

struct directory_facet_count {
	enum directory_facet facet;
	const char *value;
	long long   count;
};

/* A search's answer: the number of matches, the page shown (the one asked
 * for, within bounds), its results (publish locations before sell markets,
 * then by relevance to the keywords, then oldest first), and how many of
 * the matches have each facet value (values with none left out). */
struct directory_result {
	long long                     total;
	struct directory_page         page;
	struct directory_hit         *hits;
	size_t                        nhits;
	struct directory_facet_count *facets;
	size_t                        nfacets;
};
enum db_err db_directory_search(struct arena *a, const struct directory_filter *f, long page,
                                struct directory_result *out);

/* The host's caches of match lists and anonymous search pages, in files
 * under state_dir/cache/directory (core/filecache.h); until this is called
 * (partnerdesk-ctl), nothing is cached. */
#define DIRECTORY_CACHED_LISTS    4096
#define DIRECTORY_LIST_MAX_BYTES  (4u << 20)
#define DIRECTORY_CACHED_PAGES    4096
#define DIRECTORY_PAGE_MAX_BYTES  (1u << 20)
void db_directory_cache_open(const char *state_dir);

/* A result card: what a search result shows of a profile in a country. */
struct directory_card {
	uint32_t    id;
	const char *slug, *name, *summary;
	bool        has_logo;
};
/* The host's files of the countries' cards (db/directory_cards.c), under
 * dir; called by db_directory_cache_open. */
void db_directory_cards_open(const char *dir);
/* The cards of ids (n of them) in country at its current generation, from
 * the country's file (built when missing or older): true when every one was
 * found; false when the file cannot serve now (the caller queries). The
 * strings live in a mapping the next call may replace. */
bool db_directory_cards_of(struct arena *a, const char *country, long long generation,
                           const long long *ids, size_t n, struct directory_card *out);
/* The file's bytes for cards sorted by id, and one card found in them. */
void db_directory_cards_encode(const struct directory_card *cards, size_t n, long long generation,
                               struct sbuf *out);
bool db_directory_cards_find(const unsigned char *p, size_t len, uint32_t id,
                             struct directory_card *card);

/* The cached search page of key (in country, "" for none), when the
 * country's generation is still the one it was rendered under: *body and
 * *len, else *body NULL; *generation is the current one, to label the page
 * rendered instead (read before anything of it). */
enum db_err db_directory_page_get(struct arena *a, const char *country, const char *key,
                                  long long *generation, const char **body, size_t *len);
/* Keeps a rendered page (a failed write is only logged). */
void db_directory_page_put(const char *key, long long generation, const char *body, size_t len);

/* The published profile with that slug, with its lists (db_profile_details);
 * p->partner_account_id is the managing account's row id (the PGA's for a
 * legacy profile, 0 when there is none), p->partner_id stays NULL: the
 * directory never reads a partner ID. *found false when none. */
enum db_err db_directory_profile(struct arena *a, const char *slug, struct profile *p,
                                 bool *found);
#endif
