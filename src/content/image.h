/* PNG, JPEG and GIF uploads decoded and encoded again (libpng, libjpeg-turbo,
 * giflib):
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
	IMAGE_NOT_IMAGE, /* neither PNG, JPEG nor GIF by its first bytes */
	IMAGE_TOO_WIDE,  /* a logo wider than PROFILE_LOGO_MAX_WIDTH (from the header) */
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
/* A profile's logo: PNG, JPEG or GIF by its magic bytes (otherwise
 * IMAGE_NOT_IMAGE), at most IMAGE_LOGO_MAX_WIDTH pixels wide as its header
 * says (otherwise IMAGE_TOO_WIDE, before any decoding), encoded again: PNG
 * and JPEG as themselves, GIF as a PNG of its first frame (on the logical
 * screen, transparent where the frame does not cover it). On IMAGE_OK,
 * *out is a malloc'd buffer of *outlen bytes the caller frees, *mime its
 * type ("image/png" or "image/jpeg"), *width and *height its size. */
#define IMAGE_LOGO_MAX_WIDTH 300 /* = PROFILE_LOGO_MAX_WIDTH (domain/profile_content.h) */
enum image_verdict image_logo(const unsigned char *in, size_t n, unsigned char **out,
                              size_t *outlen, const char **mime, unsigned *width,
                              unsigned *height);
/* "ok", "damaged", "too_large", "not_image", "too_wide" */
const char *image_verdict_code(enum image_verdict v);
#endif
