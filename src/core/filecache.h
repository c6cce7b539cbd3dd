/* A bounded cache of byte strings in files, shared by the processes of one
 * host: the kernel's page cache holds them, a hit costs an open and a read
 * (no round trip to another process), and a write is a rename, so a reader
 * sees a whole entry or none. Each entry carries the generation it was made
 * at; the caller says which generation is current. A key may take one of two
 * files (slots); a new entry takes the one holding the same key, else a free
 * one, else the one written longer ago. Nothing here is ever the only copy:
 * a missing, unreadable or corrupt file is a miss. */
#ifndef PD_FILECACHE_H
#define PD_FILECACHE_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

struct filecache {
	char     dir[512];
	unsigned slots;     /* files, at most */
	size_t   max_bytes; /* an entry's value, at most */
	bool     ready;
};

/* Creates dir (and its parents, mode 0700) if needed: 0, or -1 (the cache
 * then stays off: every get misses, every put is dropped). */
int filecache_open(struct filecache *c, const char *dir, unsigned slots, size_t max_bytes);

/* The value kept for key, in arena memory (NUL-terminated, not counted in
 * *len), with the generation it was stored at; NULL when there is none. */
const char *filecache_get(struct filecache *c, struct arena *a, const char *key,
                          long long *generation, size_t *len);

/* Keeps value (len bytes) for key at generation; 0, or -1 when it was not
 * kept (too large, cache off, disk error). */
int filecache_put(struct filecache *c, const char *key, long long generation, const void *value,
                  size_t len);

/* The two slots key may take (for tests). */
void filecache_slots(const struct filecache *c, const char *key, unsigned slot[2]);
#endif
