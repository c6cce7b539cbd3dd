/* The public directory's searches (db/directory.h): each search's match
 * list and each anonymous page kept between requests (sql/022), the facet
 * filters, counts and pages read from them. */
#include "db/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "core/filecache.h"
#include "core/log.h"
#include "core/sbuf.h"

/* A search reads every match of its country and keywords (for the exact
 * total and facet counts) once, as a list kept in a file cache of the host
 * (core/filecache.h, under <state_dir>/cache/directory) with its total and
 * counts, labelled with the country's generation (directory_generation,
 * bumped by every change of the country's rows). A later search reads the
 * list from its file, the country's current generation, and the page's
 * cards from the country's card file (db/directory_cards.c; without a
 * country, from directory_cards with the generation in the same query):
 * when the generation moved, it reads the matches again. The generation is
 * read before the matches, so a list is never newer than its label says.
 * Anonymous search pages are kept the same way. */
static struct filecache lists_cache, pages_cache;

void
db_directory_cache_open(const char *state_dir)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/cache/directory/lists", state_dir);
	if (filecache_open(&lists_cache, dir, DIRECTORY_CACHED_LISTS, DIRECTORY_LIST_MAX_BYTES) != 0)
		log_warn("directory: no list cache in %s", dir);
	snprintf(dir, sizeof(dir), "%s/cache/directory/pages", state_dir);
	if (filecache_open(&pages_cache, dir, DIRECTORY_CACHED_PAGES, DIRECTORY_PAGE_MAX_BYTES) != 0)
		log_warn("directory: no page cache in %s", dir);
	snprintf(dir, sizeof(dir), "%s/cache/directory/cards", state_dir);
	db_directory_cards_open(dir);
}

#define GENERATION_OF \
	"SELECT COALESCE(MAX(generation), 0) generation FROM directory_generation WHERE country=?"
DB_STMT(st_generation, GENERATION_OF);

/* The matches of each shape, whatever the facets: id, kind (0 where the
 * profile is published in the country), relevance and the three masks. */
#define MATCH_Q  "MATCH(t.body) AGAINST(? IN BOOLEAN MODE)"
#define MATCHES(kind) "SELECT t.profile_id, " kind ", " MATCH_Q ", t.areas, t.industries, " \
	"t.languages FROM directory_search t WHERE " MATCH_Q
DB_STMT(st_matches_all, "SELECT t.profile_id, 0, 0, t.areas, t.industries, t.languages FROM "
                        "directory_search t ORDER BY t.profile_id");
DB_STMT(st_matches_country, "SELECT d.profile_id, d.kind, 0, d.areas, d.industries, d.languages "
                            "FROM directory_countries d WHERE d.country=? "
                            "ORDER BY d.kind, d.profile_id");
DB_STMT(st_matches_all_q, MATCHES("0"));
DB_STMT(st_matches_country_q, MATCHES("0") " UNION ALL " MATCHES("1"));

/* The profiles with a language outside the common ones (its facet filter),
 * and the other languages of a set of profiles (their facet counts). */
DB_STMT(st_other_language_ids, "SELECT profile_id FROM profile_facets WHERE facet='language' "
                               "AND value=? ORDER BY profile_id");
DB_STMT(st_other_language_counts,
        "SELECT COALESCE(GROUP_CONCAT(CONCAT(x.value, '=', x.n) ORDER BY x.value), '') FROM "
        "(SELECT f.value, COUNT(*) n FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH "
        "'$')) j JOIN profile_facets f ON f.profile_id=j.id AND f.facet='language' GROUP BY "
        "f.value) x");

#define IDS_20 "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
/* The page's result cards (sql/023_directory_cards.sql: the profile's own,
 * and its own in the country when it has one) with the country's current
 * generation; none when no id is given. */
DB_STMT(st_hits_by_id,
        "SELECT (" GENERATION_OF "), c.profile_id, c.country, c.slug, c.name, c.summary, "
        "c.has_logo FROM directory_cards c WHERE c.profile_id IN (" IDS_20 ") AND c.country IN "
        "('', ?)");

static int
code_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The solution areas of packed facets, as comma-separated codes in
 * alphabetical order. */
static const char *
solution_areas_of(struct arena *a, uint64_t facets)
{
	const char *codes[64];
	size_t n = 0, len = 1;
	size_t bits = directory_facet_bits(DIRECTORY_FACET_SOLUTION_AREA);
	for (size_t b = 0; b < bits; b++)
		if (facets & directory_packed_bit(DIRECTORY_FACET_SOLUTION_AREA, (int)b)) {
			codes[n] = directory_facet_bit_code(DIRECTORY_FACET_SOLUTION_AREA, (int)b);
			len += strlen(codes[n++]) + 1;
		}
	qsort(codes, n, sizeof(*codes), code_cmp);
	char *out = arena_alloc(a, len), *at = out;
	*at = '\0';
	for (size_t i = 0; i < n; i++)
		at += sprintf(at, "%s%s", i ? "," : "", codes[i]);
	return out;
}

/* A search's list: its matches, total, how many are published in the
 * country, the counts. */
struct match_list {
	size_t               total, npublish;
	uint32_t             counts[64];
	const char          *others; /* "code=n,…" of the languages outside the common ones */
	const unsigned char *entries;
	size_t               nentries;
};

struct ranked {
	struct directory_match m;
	int    kind;
	double rel;
};
/* Publish locations first, then by relevance, then oldest first. */
static int
ranked_cmp(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->rel != b->rel)
		return a->rel > b->rel ? -1 : 1;
	return (a->m.id > b->m.id) - (a->m.id < b->m.id);
}

/* The other languages' counts ("code=n,…") of the ids in others (a JSON
 * array being built, "" for none). */
static enum db_err
other_counts(struct arena *a, struct sbuf *others, const char **out)
{
	*out = "";
	if (others->len == 0)
		return DB_OK;
	sbuf_adds(others, "]");
	struct db_result res;
	enum db_err rc = db_exec(a, &st_other_language_counts, &res, "s", sbuf_cstr(others));
	if (rc == DB_OK && res.nrows == 1 && db_cell(&res, 0, 0))
		*out = db_cell(&res, 0, 0);
	return rc;
}

/* Reads the list of (country, expr) from the tables. */
static enum db_err
list_read(struct arena *a, const char *country, const char *expr, struct match_list *l)
{
	struct db_result res;
	enum db_err rc;
	if (*expr == '\0')
		rc = *country ? db_exec(a, &st_matches_country, &res, "s", country)
		              : db_exec(a, &st_matches_all, &res, "");
	else if (*country == '\0')
		rc = db_exec(a, &st_matches_all_q, &res, "ss", expr, expr);
	else {
		char *pub = arena_alloc(a, 2 * DIRECTORY_CEXPR_MAX), *sell = pub + DIRECTORY_CEXPR_MAX;
		directory_country_expr(country, DIRECTORY_KINDS_PUBLISHED, expr, pub,
		                       DIRECTORY_CEXPR_MAX);
		directory_country_expr(country, DIRECTORY_KINDS_SELLS, expr, sell, DIRECTORY_CEXPR_MAX);
		rc = db_exec(a, &st_matches_country_q, &res, "ssss", pub, pub, sell, sell);
	}
	if (rc != DB_OK)
		return rc;
	struct ranked *r = arena_alloc(a, sizeof(*r) * (res.nrows + 1));
	for (size_t i = 0; i < res.nrows; i++) {
		unsigned long long mask[DIRECTORY_FACET__MAX];
		for (int f = 0; f < DIRECTORY_FACET__MAX; f++) {
			const char *cell = db_cell(&res, i, 3 + (size_t)f);
			mask[f] = cell ? strtoull(cell, NULL, 10) : 0;
		}
		r[i].m.id = (uint32_t)db_cell_ll(&res, i, 0);
		r[i].m.facets = directory_facets_pack(mask);
		r[i].kind = (int)db_cell_ll(&res, i, 1);
		r[i].rel = db_cell(&res, i, 2) ? strtod(db_cell(&res, i, 2), NULL) : 0;
	}
	if (*expr)
		qsort(r, res.nrows, sizeof(*r), ranked_cmp);
	memset(l, 0, sizeof(*l));
	l->total = l->nentries = res.nrows;
	struct directory_match *m = arena_alloc(a, sizeof(*m) * (res.nrows + 1));
	struct sbuf others = {0};
	const uint64_t other_bit = directory_packed_bit(DIRECTORY_FACET_LANGUAGE, DIRECTORY_OTHER_BIT);
	for (size_t i = 0; i < res.nrows; i++) {
		m[i] = r[i].m;
		l->npublish += r[i].kind == 0;
		directory_packed_count(m[i].facets, l->counts);
		if (m[i].facets & other_bit)
			sbuf_printf(&others, "%s%u", others.len ? "," : "[", m[i].id);
	}
	unsigned char *buf = arena_alloc(a, res.nrows * DIRECTORY_MATCH_BYTES + 1);
	directory_matches_encode(m, res.nrows, buf);
	l->entries = buf;
	rc = other_counts(a, &others, &l->others);
	sbuf_free(&others);
	return rc;
}

/* A list as the value of its file: total and publish count (8 bytes
 * each), the counts, the length of others (4 bytes) and others, then the
 * matches. */
#define LIST_HEAD (16 + DIRECTORY_COUNTS_BYTES + 4)

/* This worker's copies of the lists it read or wrote last, by key (one per
 * hash slot, the newest kept), under a bound on their bytes: a search of a
 * kept list reads no file. Their generation is checked like the files'. A
 * copy stays alive during the request that got it: it is replaced only by
 * a later get or put of another key in the same slot, or by the bound. */
#define KEPT_LISTS      1024
#define KEPT_LIST_BYTES (32u << 20)
static struct kept_list {
	char          *key;
	long long      generation;
	unsigned char *value;
	size_t         len;
} kept_lists[KEPT_LISTS];
static size_t kept_list_bytes;

static struct kept_list *
kept_list_slot(const char *key)
{
	return &kept_lists[fnv1a(key) % KEPT_LISTS];
}

static void
kept_list_drop(struct kept_list *k)
{
	kept_list_bytes -= k->len;
	free(k->key);
	free(k->value);
	memset(k, 0, sizeof(*k));
}

static const unsigned char *
kept_list_get(const char *key, long long *generation, size_t *len)
{
	struct kept_list *k = kept_list_slot(key);
	if (k->key == NULL || strcmp(k->key, key) != 0)
		return NULL;
	*generation = k->generation;
	*len = k->len;
	return k->value;
}

static void
kept_list_put(const char *key, long long generation, const unsigned char *value, size_t len)
{
	struct kept_list *k = kept_list_slot(key);
	if (k->key && strcmp(k->key, key) == 0 && k->generation == generation)
		return;
	if (k->key)
		kept_list_drop(k);
	if (len > KEPT_LIST_BYTES / 8)
		return;
	/* Over the bound: start again (rare, and each list is one file read). */
	if (kept_list_bytes + len > KEPT_LIST_BYTES)
		for (size_t i = 0; i < KEPT_LISTS; i++)
			if (kept_lists[i].key)
				kept_list_drop(&kept_lists[i]);
	k->key = strdup(key);
	k->value = malloc(len ? len : 1);
	if (k->key == NULL || k->value == NULL) {
		free(k->key);
		free(k->value);
		k->key = NULL;
		k->value = NULL;
		return;
	}
	memcpy(k->value, value, len);
	k->len = len;
	k->generation = generation;
	kept_list_bytes += len;
}

static void
list_put(struct arena *a, const char *key, long long generation, const struct match_list *l)
{
	size_t nothers = strlen(l->others), nbytes = l->nentries * DIRECTORY_MATCH_BYTES;
	size_t len = LIST_HEAD + nothers + nbytes;
	if (len > lists_cache.max_bytes)
		return;
	unsigned char *v = arena_alloc(a, len);
	le_store(v, l->total, 8);
	le_store(v + 8, l->npublish, 8);
	directory_counts_encode(l->counts, v + 16);
	le_store(v + 16 + DIRECTORY_COUNTS_BYTES, nothers, 4);
	memcpy(v + LIST_HEAD, l->others, nothers);
	memcpy(v + LIST_HEAD + nothers, l->entries, nbytes);
	if (filecache_put(&lists_cache, key, generation, v, len) != 0)
		log_warn("directory: the match list of a search was not cached");
	kept_list_put(key, generation, v, len);
}

/* The list of key in the cache, whatever its generation: true with l and
 * *generation, false when there is none. */
static bool
list_cached(struct arena *a, const char *key, struct match_list *l, long long *generation)
{
	size_t len;
	const unsigned char *v = kept_list_get(key, generation, &len);
	if (v == NULL) {
		v = (const unsigned char *)filecache_get(&lists_cache, a, key, generation, &len);
		if (v)
			kept_list_put(key, *generation, v, len);
	}
	if (v == NULL || len < LIST_HEAD)
		return false;
	memset(l, 0, sizeof(*l));
	size_t nothers = le_load(v + 16 + DIRECTORY_COUNTS_BYTES, 4);
	if (nothers > len - LIST_HEAD || (len - LIST_HEAD - nothers) % DIRECTORY_MATCH_BYTES ||
	    !directory_counts_decode(v + 16, DIRECTORY_COUNTS_BYTES, l->counts))
		return false;
	l->total = le_load(v, 8);
	l->npublish = le_load(v + 8, 8);
	l->others = arena_strndup(a, (const char *)v + LIST_HEAD, nothers);
	l->entries = v + LIST_HEAD + nothers;
	l->nentries = (len - LIST_HEAD - nothers) / DIRECTORY_MATCH_BYTES;
	return l->nentries == l->total && l->npublish <= l->total;
}

/* The list of (country, expr) read from the tables and cached, labelled
 * with *generation (read first when it is -1). */
static enum db_err
list_fresh(struct arena *a, const char *country, const char *expr, const char *key,
           long long *generation, struct match_list *l)
{
	enum db_err rc;
	if (*generation < 0) {
		struct db_result res;
		if ((rc = db_exec(a, &st_generation, &res, "s", country)) != DB_OK)
			return rc;
		*generation = res.nrows ? db_cell_ll(&res, 0, 0) : 0;
	}
	if ((rc = list_read(a, country, expr, l)) != DB_OK)
		return rc;
	list_put(a, key, *generation, l);
	return DB_OK;
}

static int
id_cmp(const void *x, const void *y)
{
	long long a = *(const long long *)x, b = *(const long long *)y;
	return (a > b) - (a < b);
}

/* The facet counts as rows, from the count of each bit per facet and, for
 * the languages outside the common ones, others ("code=n,…"). */
static void
facet_rows(struct arena *a, const uint32_t packed[64], const char *others,
           struct directory_facet_count **rows, size_t *n)
{
	long long counts[DIRECTORY_FACET__MAX][64];
	directory_counts_unpack(packed, counts);
	size_t nbits = 0, nothers = 1;
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++)
		nbits += directory_facet_bits((enum directory_facet)i);
	for (const char *s = others; *s; s++)
		nothers += *s == ',';
	*n = 0;
	*rows = arena_alloc(a, sizeof(**rows) * (nbits + nothers + 1));
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++) {
		size_t bits = directory_facet_bits((enum directory_facet)i);
		for (size_t b = 0; b < bits; b++)
			if (counts[i][b] > 0)
				(*rows)[(*n)++] = (struct directory_facet_count){
				    (enum directory_facet)i,
				    directory_facet_bit_code((enum directory_facet)i, (int)b), counts[i][b]};
	}
	char *list = arena_strdup(a, others);
	for (char *save = NULL, *item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		long long c = strtoll(eq + 1, NULL, 10);
		if (c > 0 && directory_facet_bit(DIRECTORY_FACET_LANGUAGE, item) == DIRECTORY_OTHER_BIT)
			(*rows)[(*n)++] =
			    (struct directory_facet_count){DIRECTORY_FACET_LANGUAGE, item, c};
	}
}

/* Keeps the matches of l that pass the facet filters: their positions,
 * total and counts (l's own when nothing filters). */
static enum db_err
list_filter(struct arena *a, const struct directory_filter *f, struct match_list *l,
            size_t **kept)
{
	uint64_t want[DIRECTORY_FACET__MAX] = {0};
	bool filtered[DIRECTORY_FACET__MAX] = {false}, any = false;
	long long *other_ids = NULL;
	size_t nother_ids = 0;
	enum db_err rc;
	for (int i = 0; i < DIRECTORY_FACET__MAX; i++) {
		int bit = directory_facet_bit((enum directory_facet)i, f->facet[i]);
		if (bit < 0)
			continue;
		any = filtered[i] = true;
		/* 0 for a value outside the lists: nothing matches. */
		want[i] = directory_packed_bit((enum directory_facet)i, bit);
		if (i == DIRECTORY_FACET_LANGUAGE && bit == DIRECTORY_OTHER_BIT) {
			struct db_result ids;
			if ((rc = db_exec(a, &st_other_language_ids, &ids, "s", f->facet[i])) != DB_OK)
				return rc;
			other_ids = arena_alloc(a, sizeof(*other_ids) * (ids.nrows + 1));
			for (size_t k = 0; k < ids.nrows; k++)
				other_ids[nother_ids++] = db_cell_ll(&ids, k, 0);
		}
	}
	*kept = NULL;
	if (!any)
		return DB_OK;
	size_t *pos = arena_alloc(a, sizeof(*pos) * (l->nentries + 1)), nkept = 0;
	uint32_t counts[64] = {0};
	struct sbuf others = {0};
	const uint64_t other_bit = directory_packed_bit(DIRECTORY_FACET_LANGUAGE, DIRECTORY_OTHER_BIT);
	for (size_t i = 0; i < l->nentries; i++) {
		struct directory_match m = directory_match_at(l->entries, i);
		bool pass = true;
		for (int k = 0; k < DIRECTORY_FACET__MAX && pass; k++)
			pass = !filtered[k] || (m.facets & want[k]) != 0;
		if (pass && other_ids) {
			long long id = m.id;
			pass = bsearch(&id, other_ids, nother_ids, sizeof(*other_ids), id_cmp) != NULL;
		}
		if (!pass)
			continue;
		pos[nkept++] = i;
		directory_packed_count(m.facets, counts);
		if (m.facets & other_bit)
			sbuf_printf(&others, "%s%u", others.len ? "," : "[", m.id);
	}
	l->total = nkept;
	memcpy(l->counts, counts, sizeof(counts));
	rc = other_counts(a, &others, &l->others);
	sbuf_free(&others);
	*kept = pos;
	return rc;
}

/* The page of l (filtered to kept when not NULL) into out, with its
 * profiles and the country's current generation. */
static enum db_err
page_of(struct arena *a, const struct directory_filter *f, const struct match_list *l,
        const size_t *kept, long page, struct directory_result *out, long long *generation)
{
	out->total = (long long)l->total;
	facet_rows(a, l->counts, l->others ? l->others : "", &out->facets, &out->nfacets);
	out->page = directory_page_bounds(out->total, page);
	/* The page's positions in the list, and in l's entries. */
	size_t from = (size_t)out->page.offset, k = out->total ? l->total - from : 0;
	if (k > DIRECTORY_PAGE_SIZE)
		k = DIRECTORY_PAGE_SIZE;
	long long ids[DIRECTORY_PAGE_SIZE] = {0};
	uint64_t facets[DIRECTORY_PAGE_SIZE] = {0};
	size_t at[DIRECTORY_PAGE_SIZE] = {0};
	for (size_t i = 0; i < k; i++) {
		at[i] = kept ? kept[from + i] : from + i;
		if (at[i] >= l->nentries)
			return DB_ERROR;
		struct directory_match m = directory_match_at(l->entries, at[i]);
		ids[i] = m.id;
		facets[i] = m.facets;
	}
	struct db_result hits;
	enum db_err rc;
	out->nhits = 0;
	out->hits = arena_alloc(a, sizeof(*out->hits) * (k + 1));
	if (k == 0 || *f->country) {
		if ((rc = db_exec(a, &st_generation, &hits, "s", f->country)) != DB_OK)
			return rc;
		*generation = hits.nrows ? db_cell_ll(&hits, 0, 0) : 0;
		struct directory_card cards[DIRECTORY_PAGE_SIZE];
		if (k == 0)
			return DB_OK;
		if (db_directory_cards_of(a, f->country, *generation, ids, k, cards)) {
			for (size_t i = 0; i < k; i++) {
				struct directory_hit *h = &out->hits[out->nhits++];
				h->slug = arena_strdup(a, cards[i].slug);
				h->name = arena_strdup(a, cards[i].name);
				h->summary = arena_strdup(a, cards[i].summary);
				h->has_logo = cards[i].has_logo;
				h->solution_areas = solution_areas_of(a, facets[i]);
				h->sells_only = at[i] >= l->npublish;
			}
			return DB_OK;
		}
	}
	if ((rc = db_exec(a, &st_hits_by_id, &hits, "s" "iiiiiiiiiiiiiiiiiiii" "s", f->country, ids[0],
	                  ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8], ids[9],
	                  ids[10], ids[11], ids[12], ids[13], ids[14], ids[15], ids[16], ids[17],
	                  ids[18], ids[19], f->country)) != DB_OK)
		return rc;
	*generation = hits.nrows ? db_cell_ll(&hits, 0, 0) : 0;
	for (size_t i = 0; i < k; i++) {
		/* The card of the visitor's country when there is one. */
		size_t card = hits.nrows;
		for (size_t j = 0; j < hits.nrows; j++)
			if (db_cell_ll(&hits, j, 1) == ids[i] &&
			    (card == hits.nrows || *db_cell(&hits, j, 2)))
				card = j;
		if (card == hits.nrows)
			continue;
		struct directory_hit *h = &out->hits[out->nhits++];
		h->slug = db_cell(&hits, card, 3);
		h->name = db_cell(&hits, card, 4);
		h->summary = db_cell(&hits, card, 5);
		h->has_logo = db_cell_ll(&hits, card, 6) != 0;
		h->solution_areas = solution_areas_of(a, facets[i]);
		h->sells_only = at[i] >= l->npublish;
	}
	return DB_OK;
}

enum db_err
db_directory_search(struct arena *a, const struct directory_filter *f, long page,
                    struct directory_result *out)
{
	memset(out, 0, sizeof(*out));
	out->page = directory_page_bounds(0, 1);
	const char *key = arena_printf(a, "%s\x1f%s", f->country, f->expr);
	struct match_list l;
	long long cached_generation = 0, generation = -1;
	bool cached = list_cached(a, key, &l, &cached_generation);
	for (;;) {
		size_t *kept;
		enum db_err rc;
		if (!cached && (rc = list_fresh(a, f->country, f->expr, key, &generation, &l)) != DB_OK)
			return rc;
		if ((rc = list_filter(a, f, &l, &kept)) != DB_OK)
			return rc;
		long long current;
		if ((rc = page_of(a, f, &l, kept, page, out, &current)) != DB_OK)
			return rc;
		/* A cached list of an older generation: the matches again, under
		 * the generation just read (before them). */
		if (!cached || current == cached_generation)
			return DB_OK;
		cached = false;
		generation = current;
	}
}

enum db_err
db_directory_page_get(struct arena *a, const char *country, const char *key,
                      long long *generation, const char **body, size_t *len)
{
	struct db_result res;
	*generation = 0;
	*body = NULL;
	*len = 0;
	enum db_err rc = db_exec(a, &st_generation, &res, "s", country);
	if (rc != DB_OK)
		return rc;
	*generation = res.nrows ? db_cell_ll(&res, 0, 0) : 0;
	long long kept_at;
	const char *kept = filecache_get(&pages_cache, a, key, &kept_at, len);
	if (kept && kept_at == *generation)
		*body = kept;
	else
		*len = 0;
	return DB_OK;
}

void
db_directory_page_put(const char *key, long long generation, const char *body, size_t len)
{
	if (pages_cache.ready && filecache_put(&pages_cache, key, generation, body, len) != 0)
		log_warn("directory: a search page was not cached");
}
