/* PNG and JPEG uploads decoded and encoded again (libpng, libjpeg-turbo):
 * what is stored is what was decoded, without metadata or trailing bytes.
 * No I/O; memory bounded by the pixel limit (a decompression bomb is refused
 * from its header, before any pixel is allocated). */
#ifndef PD_CONTENT_IMAGE_H
#define PD_CONTENT_IMAGE_H
#include <stddef.h>

#define IMAGE_MAX_PIXELS   (40u * 1000 * 1000) /* 40 megapixels: an A3 page at 600 dpi is 42 */
#define IMAGE_MAX_SIDE     15000               /* pixels on either side */
#define IMAGE_MAX_JPEG_SCANS 100               /* progressive scans (libjpeg-turbo's advice) */

enum image_verdict {
	IMAGE_OK,
	IMAGE_DAMAGED,   /* does not decode: truncated, bad checksum, not the format */
	IMAGE_TOO_LARGE, /* beyond IMAGE_MAX_PIXELS or IMAGE_MAX_SIDE */
	IMAGE__MAX
};

/* The n bytes at in decoded and encoded again as PNG (8 bits per sample,
 * gray or RGB, with alpha when the source has it). On IMAGE_OK, *out
 * receives a malloc'd buffer of *outlen bytes the caller frees. */
enum image_verdict image_png_reencode(const unsigned char *in, size_t n, unsigned char **out,
                                      size_t *outlen);
/* The same for JPEG (baseline, quality 90; gray, RGB or CMYK as the source). */
enum image_verdict image_jpeg_reencode(const unsigned char *in, size_t n, unsigned char **out,
                                       size_t *outlen);
const char *image_verdict_code(enum image_verdict v); /* "ok", "damaged", "too_large" */
#endif
