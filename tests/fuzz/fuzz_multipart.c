/* libFuzzer harness: multipart/form-data bodies with a fixed boundary;
 * file parts go to a temp dir made once and are unlinked after each
 * input. The input, cut at its first NUL, is also tried as a
 * Content-Type header for http_multipart_boundary. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "http/parse.h"

#define CHECK(c) ((c) ? (void)0 : __builtin_trap())
#define BOUNDARY "fuzzBoundary"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmpdir[] = "/tmp/fuzz_multipart-XXXXXX";

static void
remove_tmpdir(void)
{
	rmdir(tmpdir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		if (mkdtemp(tmpdir) == NULL) {
			perror("mkdtemp");
			abort();
		}
		atexit(remove_tmpdir);
		ready = 1;
	}
	struct arena a;
	arena_init(&a, 4096);

	const char *ct = arena_strndup(&a, (const char *)data, size);
	const char *b = http_multipart_boundary(&a, ct);
	CHECK(b == NULL || (strlen(b) >= 1 && strlen(b) <= 70));

	struct http_fields f = {0}, t = {0};
	enum http_parse_err e =
	    http_parse_multipart(&a, (const char *)data, size, BOUNDARY, tmpdir, &f, &t);
	CHECK(e >= HTTP_PARSE_OK && e < HTTP_PARSE_ERR__MAX && e != HTTP_PARSE_IO);
	CHECK(e == HTTP_PARSE_OK || f.n == 0);
	CHECK(t.n <= HTTP_MAX_FILES);
	size_t files = 0;
	for (size_t i = 0; i < f.n; i++) {
		const struct http_field *x = &f.v[i];
		size_t nl = strlen(x->name);
		CHECK(nl > 0 && nl <= HTTP_MAX_NAME_LEN);
		CHECK(x->value != NULL && x->value[x->value_len] == '\0');
		if (x->filename) {
			struct stat st;
			CHECK(x->path != NULL && x->content_type != NULL && x->value_len == 0);
			CHECK(stat(x->path, &st) == 0 && (size_t)st.st_size == x->size);
			CHECK(x->size <= size);
			files++;
		} else {
			CHECK(x->path == NULL && x->value_len <= HTTP_MAX_VALUE_LEN);
		}
	}
	CHECK(files == (e == HTTP_PARSE_OK ? t.n : 0));
	for (size_t i = 0; i < t.n; i++)
		CHECK(unlink(t.v[i].path) == 0);
	arena_free(&a);
	return 0;
}
