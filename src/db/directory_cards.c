/* The result cards of a country's searches in a file of the host
 * (db/directory.h): every card of the country (directory_cards, the local
 * one where there is one) under the country's generation, read through a
 * mapping each worker keeps, so that a page's 20 cards cost no query beyond
 * the generation's. A file of an older generation is rebuilt by one worker
 * (the others query meanwhile).
 *
 * Format: "PDCARDS1", the generation (8 bytes) and the count (4 bytes,
 * then 4 zero bytes), little-endian; the index, sorted by id, of (id,
 * offset) pairs of 4 bytes each; then each card as slug, name and summary
 * each ended by a NUL, then '1' or '0' for the logo. */
#include "db/directory.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/bytes.h"
#include "core/log.h"
#include "core/sbuf.h"

#define MAGIC "PDCARDS1"
#define HEAD 24
#define MAPPED_COUNTRIES 64

void
db_directory_cards_encode(const struct directory_card *cards, size_t n, long long generation,
                       struct sbuf *out)
{
	sbuf_reset(out);
	unsigned char head[HEAD] = {0};
	memcpy(head, MAGIC, 8);
	le_store(head + 8, (uint64_t)generation, 8);
	le_store(head + 16, (uint32_t)n, 4);
	sbuf_add(out, head, sizeof(head));
	size_t at = HEAD + 8 * n;
	for (size_t i = 0; i < n; i++) {
		unsigned char pair[8];
		le_store(pair, cards[i].id, 4);
		le_store(pair + 4, (uint32_t)at, 4);
		sbuf_add(out, pair, sizeof(pair));
		at += strlen(cards[i].slug) + strlen(cards[i].name) + strlen(cards[i].summary) + 4;
	}
	for (size_t i = 0; i < n; i++) {
		sbuf_add(out, cards[i].slug, strlen(cards[i].slug) + 1);
		sbuf_add(out, cards[i].name, strlen(cards[i].name) + 1);
		sbuf_add(out, cards[i].summary, strlen(cards[i].summary) + 1);
		sbuf_add(out, cards[i].has_logo ? "1" : "0", 1);
	}
}

/* The generation and count of a cards file, or false when it is not one. */
static bool
cards_head(const unsigned char *p, size_t len, long long *generation, uint32_t *count)
{
	if (len < HEAD || memcmp(p, MAGIC, 8) != 0)
		return false;
	*generation = (long long)le_load(p + 8, 8);
	*count = (uint32_t)le_load(p + 16, 4);
	return (len - HEAD) / 8 >= *count;
}

bool
db_directory_cards_find(const unsigned char *p, size_t len, uint32_t id, struct directory_card *card)
{
	long long generation;
	uint32_t count;
	if (!cards_head(p, len, &generation, &count))
		return false;
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t at = (uint32_t)le_load(p + HEAD + 8 * mid, 4);
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == count || (uint32_t)le_load(p + HEAD + 8 * lo, 4) != id)
		return false;
	size_t off = (uint32_t)le_load(p + HEAD + 8 * lo + 4, 4);
	const char *fields[3];
	for (int f = 0; f < 3; f++) {
		const unsigned char *nul = off < len ? memchr(p + off, '\0', len - off) : NULL;
		if (nul == NULL)
			return false;
		fields[f] = (const char *)p + off;
		off = (size_t)(nul - p) + 1;
	}
	if (off >= len)
		return false;
	*card = (struct directory_card){id, fields[0], fields[1], fields[2], p[off] == '1'};
	return true;
}

/* This worker's mappings, one per country, the least recently used
 * replaced when full. */
static struct mapped {
	char           country[3];
	long long      generation;
	unsigned char *p;
	size_t         len;
	unsigned long  used;
} mapped[MAPPED_COUNTRIES];
static unsigned long uses;
static char cards_dir[512];

void
db_directory_cards_open(const char *dir)
{
	if (mkdir(dir, 0700) == 0 || access(dir, W_OK) == 0)
		snprintf(cards_dir, sizeof(cards_dir), "%s", dir);
}

/* Maps the file of country when it holds generation: true, with *m set. */
static bool
map_file(const char *country, long long generation, struct mapped *m)
{
	char path[sizeof(cards_dir) + 8];
	snprintf(path, sizeof(path), "%s/%s", cards_dir, country);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	void *p = MAP_FAILED;
	if (fstat(fd, &st) == 0 && st.st_size >= HEAD)
		/* Populated at once: faulting its pages in one at a time, at
		 * every first touch of each worker, cost more than the search. */
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return false;
	long long g;
	uint32_t count;
	if (!cards_head(p, (size_t)st.st_size, &g, &count) || g != generation) {
		munmap(p, (size_t)st.st_size);
		return false;
	}
	if (m->p)
		munmap(m->p, m->len);
	snprintf(m->country, sizeof(m->country), "%s", country);
	m->generation = generation;
	m->p = p;
	m->len = (size_t)st.st_size;
	return true;
}

DB_STMT(st_country_cards,
        "SELECT d.profile_id, c.slug, c.name, COALESCE(x.summary, c.summary), c.has_logo FROM "
        "directory_countries d JOIN directory_cards c ON c.profile_id=d.profile_id AND "
        "c.country='' LEFT JOIN directory_cards x ON x.profile_id=d.profile_id AND "
        "x.country=d.country WHERE d.country=? ORDER BY d.profile_id");

/* Writes the file of country at generation (read before its cards, so a
 * file never claims a newer generation than its content). */
static bool
build_file(struct arena *a, const char *country, long long generation)
{
	struct db_result res;
	if (db_exec(a, &st_country_cards, &res, "s", country) != DB_OK)
		return false;
	struct directory_card *cards = arena_alloc(a, sizeof(*cards) * (res.nrows + 1));
	size_t n = 0;
	for (size_t i = 0; i < res.nrows; i++) {
		uint32_t id = (uint32_t)db_cell_ll(&res, i, 0);
		if (n && cards[n - 1].id == id)
			continue; /* a profile both published and sold in the country */
		cards[n++] = (struct directory_card){id, db_cell(&res, i, 1), db_cell(&res, i, 2),
		                                     db_cell(&res, i, 3), db_cell_ll(&res, i, 4) != 0};
	}
	struct sbuf out = {0};
	db_directory_cards_encode(cards, n, generation, &out);
	char tmp[sizeof(cards_dir) + 48], path[sizeof(cards_dir) + 8];
	snprintf(tmp, sizeof(tmp), "%s/.tmp-%ld-%s", cards_dir, (long)getpid(), country);
	snprintf(path, sizeof(path), "%s/%s", cards_dir, country);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	bool ok = fd >= 0 && write(fd, out.p, out.len) == (ssize_t)out.len;
	if (fd >= 0)
		ok = close(fd) == 0 && ok;
	ok = ok && rename(tmp, path) == 0;
	if (!ok) {
		unlink(tmp);
		log_warn("directory: the cards of %s were not written", country);
	}
	sbuf_free(&out);
	return ok;
}

bool
db_directory_cards_of(struct arena *a, const char *country, long long generation,
                   const long long *ids, size_t n, struct directory_card *out)
{
	if (*cards_dir == '\0' || strlen(country) != 2)
		return false;
	struct mapped *m = NULL, *oldest = &mapped[0];
	for (size_t i = 0; i < MAPPED_COUNTRIES && m == NULL; i++) {
		if (strcmp(mapped[i].country, country) == 0)
			m = &mapped[i];
		else if (mapped[i].used < oldest->used)
			oldest = &mapped[i];
	}
	if (m == NULL) {
		m = oldest;
		if (m->p)
			munmap(m->p, m->len);
		memset(m, 0, sizeof(*m));
	}
	m->used = ++uses;
	if (m->p == NULL || m->generation != generation) {
		if (!map_file(country, generation, m)) {
			/* One worker builds; the others query meanwhile. */
			char lock[sizeof(cards_dir) + 16];
			snprintf(lock, sizeof(lock), "%s/%s.lock", cards_dir, country);
			int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
			if (fd < 0)
				return false;
			bool built = flock(fd, LOCK_EX | LOCK_NB) == 0 &&
			             (map_file(country, generation, m) ||
			              (build_file(a, country, generation) && map_file(country, generation, m)));
			close(fd); /* releases the lock */
			if (!built)
				return false;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!db_directory_cards_find(m->p, m->len, (uint32_t)ids[i], &out[i]))
			return false;
	return true;
}
