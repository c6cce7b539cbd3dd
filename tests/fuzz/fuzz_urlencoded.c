/* libFuzzer harness: application/x-www-form-urlencoded bodies. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/parse.h"

#define CHECK(c) ((c) ? (void)0 : __builtin_trap())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 4096);
	struct http_fields f = {0};
	enum http_parse_err e = http_parse_urlencoded(&a, (const char *)data, size, &f);
	CHECK(e == HTTP_PARSE_OK || e == HTTP_PARSE_TOO_LONG || e == HTTP_PARSE_TOO_MANY);
	CHECK(e == HTTP_PARSE_OK || f.n == 0);
	CHECK(f.n <= HTTP_MAX_FIELDS);
	size_t total = 0;
	for (size_t i = 0; i < f.n; i++) {
		const struct http_field *x = &f.v[i];
		CHECK(x->name != NULL && x->value != NULL);
		CHECK(strlen(x->name) <= HTTP_MAX_NAME_LEN);
		CHECK(x->value_len <= HTTP_MAX_VALUE_LEN && x->value[x->value_len] == '\0');
		CHECK(x->filename == NULL && x->path == NULL);
		total += x->value_len;
	}
	CHECK(total <= size);
	/* A second parse of the same input appends the same fields. */
	if (e == HTTP_PARSE_OK && f.n <= HTTP_MAX_FIELDS / 2) {
		size_t n = f.n;
		CHECK(http_parse_urlencoded(&a, (const char *)data, size, &f) == HTTP_PARSE_OK);
		CHECK(f.n == 2 * n);
		for (size_t i = 0; i < n; i++)
			CHECK(f.v[i].value_len == f.v[n + i].value_len &&
			      memcmp(f.v[i].value, f.v[n + i].value, f.v[i].value_len) == 0 &&
			      strcmp(f.v[i].name, f.v[n + i].name) == 0);
	}
	arena_free(&a);
	return 0;
}
