/* libFuzzer harness: Cookie header values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/parse.h"

#define CHECK(c) ((c) ? (void)0 : __builtin_trap())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 4096);
	struct http_fields f = {0};
	enum http_parse_err e = http_parse_cookies(&a, (const char *)data, size, &f);
	CHECK(e == HTTP_PARSE_OK || e == HTTP_PARSE_TOO_LONG || e == HTTP_PARSE_TOO_MANY);
	CHECK(e == HTTP_PARSE_OK || f.n == 0);
	for (size_t i = 0; i < f.n; i++) {
		const struct http_field *x = &f.v[i];
		size_t nl = strlen(x->name);
		/* A raw NUL byte ends the C string early (even to ""). */
		CHECK(nl <= HTTP_MAX_NAME_LEN);
		CHECK(nl == 0 || !is_wsp(x->name[0]));
		CHECK(strchr(x->name, ';') == NULL && strchr(x->name, '=') == NULL);
		CHECK(x->value_len <= HTTP_MAX_VALUE_LEN && x->value[x->value_len] == '\0');
		CHECK(memchr(x->value, ';', x->value_len) == NULL);
		CHECK(http_fields_get(&f, x->name) != NULL);
	}
	arena_free(&a);
	return 0;
}
