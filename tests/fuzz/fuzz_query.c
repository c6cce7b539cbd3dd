/* libFuzzer harness: a REQUEST_URI as the worker handles it (path decoded
 * without '+', query string parsed) plus url encode/decode round trips. */
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
	const char *s = (const char *)data;
	struct arena a;
	arena_init(&a, 4096);
	const char *q = size ? memchr(s, '?', size) : NULL;
	size_t plen = q ? (size_t)(q - s) : size;

	size_t dlen;
	char *path = http_url_decode(&a, s, plen, 0, &dlen);
	CHECK(dlen <= plen && path[dlen] == '\0');

	struct http_fields f = {0};
	if (q) {
		size_t qlen = size - plen - 1;
		enum http_parse_err e = http_parse_urlencoded(&a, q + 1, qlen, &f);
		CHECK(e == HTTP_PARSE_OK || e == HTTP_PARSE_TOO_LONG || e == HTTP_PARSE_TOO_MANY);
		CHECK(e == HTTP_PARSE_OK || f.n == 0);
		for (size_t i = 0; i < f.n; i++) {
			/* Names may hold NUL bytes (raw or %00): only bounded. */
			CHECK(strlen(f.v[i].name) <= HTTP_MAX_NAME_LEN);
			CHECK(f.v[i].value[f.v[i].value_len] == '\0');
			CHECK(f.v[i].value_len <= HTTP_MAX_VALUE_LEN);
			CHECK(http_fields_get(&f, f.v[i].name) != NULL);
		}
	}

	/* decode(encode(x)) == x for the NUL-free prefix of the input. */
	char *z = arena_strndup(&a, s, size);
	size_t zlen = strlen(z);
	char *enc = http_url_encode(&a, z);
	size_t elen = strlen(enc);
	CHECK(elen >= zlen && elen <= 3 * zlen);
	for (size_t i = 0; i < elen; i++)
		CHECK(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%",
		             enc[i]) != NULL);
	for (int plus = 0; plus <= 1; plus++) {
		size_t n;
		char *dec = http_url_decode(&a, enc, elen, plus, &n);
		CHECK(n == zlen && memcmp(dec, z, n) == 0);
	}
	arena_free(&a);
	return 0;
}
