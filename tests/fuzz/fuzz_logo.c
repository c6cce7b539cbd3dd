/* libFuzzer harness: a profile's logo on any bytes (PNG, JPEG, GIF decoded
 * and encoded again): a verdict of the enum, and on IMAGE_OK an image of at
 * most the logo width whose type matches its first bytes; no crash, no leak,
 * bounded time and memory. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content/image.h"

#define CHECK(c) ((c) ? (void)0 : __builtin_trap())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *out = NULL;
	size_t outlen = 0;
	const char *mime = NULL;
	unsigned w = 0, h = 0;
	enum image_verdict v = image_logo(data, size, &out, &outlen, &mime, &w, &h);
	CHECK((unsigned)v < IMAGE__MAX);
	if (v == IMAGE_OK) {
		CHECK(out && outlen > 8 && mime && w > 0 && w <= IMAGE_LOGO_MAX_WIDTH && h > 0);
		CHECK(strcmp(mime, "image/png") == 0 ? memcmp(out, "\x89PNG", 4) == 0
		                                      : out[0] == 0xFF && out[1] == 0xD8);
	} else {
		CHECK(out == NULL && mime == NULL);
	}
	free(out);
	return 0;
}
