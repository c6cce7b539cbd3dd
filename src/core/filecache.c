/* Shared file cache (core/filecache.h). An entry is one file named by its
 * slot: a header (magic, generation, key and value lengths, little-endian),
 * the key, then the value. */
#include "core/filecache.h"

#include "core/bytes.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "PDFC0001"
#define HEADER_BYTES 28 /* magic 8, generation 8, key length 4, value length 8 */
#define KEY_MAX 4096

void
filecache_slots(const struct filecache *c, const char *key, unsigned slot[2])
{
	uint64_t h = fnv1a(key);
	unsigned n = c->slots ? c->slots : 1;
	slot[0] = (unsigned)(h % n);
	slot[1] = (unsigned)((h >> 32) * 2654435761u % n);
	if (slot[1] == slot[0])
		slot[1] = (slot[0] + 1) % n;
}

static int
make_dirs(const char *dir)
{
	char path[sizeof(((struct filecache *)0)->dir)];
	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/* Removes what writers that died left: their temporary files older than a
 * minute (a live writer renames its own within milliseconds). */
static void
remove_leftovers(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	time_t now = time(NULL);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strncmp(e->d_name, ".tmp-", 5) != 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    now - st.st_mtime > 60)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

int
filecache_open(struct filecache *c, const char *dir, unsigned slots, size_t max_bytes)
{
	memset(c, 0, sizeof(*c));
	if (slots == 0 || strlen(dir) + 16 >= sizeof(c->dir) || make_dirs(dir) != 0)
		return -1;
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	c->slots = slots;
	c->max_bytes = max_bytes;
	c->ready = true;
	remove_leftovers(dir);
	return 0;
}

static void
slot_path(const struct filecache *c, unsigned slot, char *out, size_t n)
{
	snprintf(out, n, "%s/%04x", c->dir, slot);
}

static int
read_at(int fd, void *buf, size_t len, off_t at)
{
	for (size_t got = 0; got < len;) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, at + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Of the open entry fd: whether it holds key (header and key read), with
 * its generation and value length. */
static bool
holds_key(const struct filecache *c, int fd, const char *key, long long *generation,
          size_t *value_len)
{
	size_t klen = strlen(key);
	unsigned char head[HEADER_BYTES + KEY_MAX];
	if (klen > KEY_MAX || read_at(fd, head, HEADER_BYTES + klen, 0) != 0 ||
	    memcmp(head, MAGIC, 8) != 0 || le_load(head + 16, 4) != klen ||
	    memcmp(head + HEADER_BYTES, key, klen) != 0)
		return false;
	uint64_t vlen = le_load(head + 20, 8);
	if (vlen > c->max_bytes)
		return false;
	*generation = (long long)le_load(head + 8, 8);
	*value_len = (size_t)vlen;
	return true;
}

const char *
filecache_get(struct filecache *c, struct arena *a, const char *key, long long *generation,
              size_t *len)
{
	*len = 0;
	*generation = 0;
	if (!c->ready)
		return NULL;
	unsigned slot[2];
	filecache_slots(c, key, slot);
	for (int i = 0; i < 2; i++) {
		char path[sizeof(c->dir) + 16];
		slot_path(c, slot[i], path, sizeof(path));
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		long long g;
		size_t vlen;
		char *value = NULL;
		if (holds_key(c, fd, key, &g, &vlen)) {
			value = arena_alloc(a, vlen + 1);
			if (read_at(fd, value, vlen, (off_t)(HEADER_BYTES + strlen(key))) != 0)
				value = NULL;
		}
		close(fd);
		if (value) {
			value[vlen] = '\0';
			*generation = g;
			*len = vlen;
			return value;
		}
	}
	return NULL;
}

/* Of key's two slots, the one a new entry takes: the one holding key, else
 * a free one, else the one written longer ago. */
static unsigned
slot_for(const struct filecache *c, const char *key)
{
	unsigned slot[2];
	filecache_slots(c, key, slot);
	struct timespec written[2] = {{0, 0}, {0, 0}};
	for (int i = 0; i < 2; i++) {
		char path[sizeof(c->dir) + 16];
		slot_path(c, slot[i], path, sizeof(path));
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return slot[i];
		long long g;
		size_t vlen;
		struct stat st;
		bool same = holds_key(c, fd, key, &g, &vlen);
		if (fstat(fd, &st) == 0)
			written[i] = st.st_mtim;
		close(fd);
		if (same)
			return slot[i];
	}
	bool second_older = written[1].tv_sec < written[0].tv_sec ||
	                    (written[1].tv_sec == written[0].tv_sec &&
	                     written[1].tv_nsec < written[0].tv_nsec);
	return slot[second_older ? 1 : 0];
}

int
filecache_put(struct filecache *c, const char *key, long long generation, const void *value,
              size_t len)
{
	size_t klen = strlen(key);
	if (!c->ready || len > c->max_bytes || klen > KEY_MAX)
		return -1;
	static unsigned long counter;
	char tmp[sizeof(c->dir) + 48], path[sizeof(c->dir) + 16];
	snprintf(tmp, sizeof(tmp), "%s/.tmp-%ld-%lu", c->dir, (long)getpid(), ++counter);
	slot_path(c, slot_for(c, key), path, sizeof(path));
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	unsigned char head[HEADER_BYTES];
	memcpy(head, MAGIC, 8);
	le_store(head + 8, (uint64_t)generation, 8);
	le_store(head + 16, klen, 4);
	le_store(head + 20, len, 8);
	struct iovec iov[3] = {{head, sizeof(head)}, {(void *)key, klen}, {(void *)value, len}};
	size_t want = sizeof(head) + klen + len;
	ssize_t n = writev(fd, iov, 3);
	/* A short write (a full disk) is a failure, not worth resuming. */
	int rc = (n == (ssize_t)want && close(fd) == 0) ? 0 : -1;
	if (n != (ssize_t)want)
		close(fd);
	if (rc == 0 && rename(tmp, path) == 0)
		return 0;
	unlink(tmp);
	return -1;
}
