/* PNG, JPEG and GIF decoded and encoded again (image.h). */
#include "content/image.h"

#include <png.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>
#include <jerror.h>
#include <jpeglib.h>

static enum image_verdict
size_verdict(unsigned long w, unsigned long h)
{
	if (w == 0 || h == 0)
		return IMAGE_DAMAGED;
	if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE || (unsigned long long)w * h > IMAGE_MAX_PIXELS)
		return IMAGE_TOO_LARGE;
	return IMAGE_OK;
}

enum image_verdict
image_png_reencode(const unsigned char *in, size_t n, unsigned char **out, size_t *outlen)
{
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	*out = NULL;
	if (!png_image_begin_read_from_memory(&img, in, n))
		return IMAGE_DAMAGED;
	enum image_verdict v = size_verdict(img.width, img.height);
	if (v != IMAGE_OK) {
		png_image_free(&img);
		return v;
	}
	img.format = ((img.format & PNG_FORMAT_FLAG_COLOR) ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY) |
	             (img.format & PNG_FORMAT_FLAG_ALPHA);
	size_t stride = PNG_IMAGE_ROW_STRIDE(img);
	unsigned char *pixels = malloc(PNG_IMAGE_BUFFER_SIZE(img, stride));
	if (!pixels || !png_image_finish_read(&img, NULL, pixels, (png_int_32)stride, NULL)) {
		free(pixels);
		png_image_free(&img);
		return IMAGE_DAMAGED;
	}
	png_image w;
	memset(&w, 0, sizeof(w));
	w.version = PNG_IMAGE_VERSION;
	w.width = img.width;
	w.height = img.height;
	w.format = img.format;
	png_alloc_size_t size = 0;
	unsigned char *buf = NULL;
	if (png_image_write_to_memory(&w, NULL, &size, 0, pixels, (png_int_32)stride, NULL) &&
	    (buf = malloc(size)) != NULL &&
	    png_image_write_to_memory(&w, buf, &size, 0, pixels, (png_int_32)stride, NULL)) {
		*out = buf;
		*outlen = size;
	} else {
		free(buf);
		v = IMAGE_DAMAGED;
	}
	png_image_free(&w);
	free(pixels);
	return v;
}

/* libjpeg errors and warnings (corrupt data, early end) end the decoding. */
struct jpeg_err {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
};
static void
jpeg_on_error(j_common_ptr c)
{
	longjmp(((struct jpeg_err *)c->err)->jb, 1);
}
static void
jpeg_on_message(j_common_ptr c, int level)
{
	if (level < 0)
		longjmp(((struct jpeg_err *)c->err)->jb, 1);
}
static void
jpeg_on_progress(j_common_ptr c)
{
	if (c->is_decompressor && ((j_decompress_ptr)c)->input_scan_number > IMAGE_MAX_JPEG_SCANS)
		longjmp(((struct jpeg_err *)c->err)->jb, 1);
}

/* A destination that grows a malloc'd buffer (freed by the caller, also on
 * error, unlike jpeg_mem_dest's). */
struct jpeg_sink {
	struct jpeg_destination_mgr pub;
	unsigned char *buf;
	size_t cap;
};
static void
sink_init(j_compress_ptr c)
{
	struct jpeg_sink *s = (struct jpeg_sink *)c->dest;
	s->pub.next_output_byte = s->buf;
	s->pub.free_in_buffer = s->cap;
}
static boolean
sink_grow(j_compress_ptr c)
{
	struct jpeg_sink *s = (struct jpeg_sink *)c->dest;
	unsigned char *b = realloc(s->buf, s->cap * 2);
	if (!b)
		ERREXIT1(c, JERR_OUT_OF_MEMORY, 0);
	s->buf = b;
	s->pub.next_output_byte = b + s->cap;
	s->pub.free_in_buffer = s->cap;
	s->cap *= 2;
	return TRUE;
}
static void
sink_term(j_compress_ptr c)
{
	(void)c;
}

enum image_verdict
image_jpeg_reencode(const unsigned char *in, size_t n, unsigned char **out, size_t *outlen)
{
	struct jpeg_decompress_struct d;
	struct jpeg_compress_struct c;
	struct jpeg_err err;
	struct jpeg_progress_mgr progress = {.progress_monitor = jpeg_on_progress};
	struct jpeg_sink sink = {.pub = {.init_destination = sink_init,
	                                 .empty_output_buffer = sink_grow,
	                                 .term_destination = sink_term}};
	unsigned char *volatile pixels = NULL;
	volatile int have_c = 0;
	volatile enum image_verdict v = IMAGE_DAMAGED;
	*out = NULL;
	if (n == 0 || n > (unsigned long)-1)
		return IMAGE_DAMAGED;
	d.err = jpeg_std_error(&err.pub);
	err.pub.error_exit = jpeg_on_error;
	err.pub.emit_message = jpeg_on_message;
	if (setjmp(err.jb)) {
		jpeg_destroy_decompress(&d);
		if (have_c)
			jpeg_destroy_compress(&c);
		free(pixels);
		free(sink.buf);
		return v;
	}
	jpeg_create_decompress(&d);
	d.progress = &progress;
	d.mem->max_memory_to_use = 512L << 20;
	jpeg_mem_src(&d, in, (unsigned long)n);
	if (jpeg_read_header(&d, TRUE) != JPEG_HEADER_OK)
		longjmp(err.jb, 1);
	if ((v = size_verdict(d.image_width, d.image_height)) != IMAGE_OK)
		longjmp(err.jb, 1);
	v = IMAGE_DAMAGED;
	int cmyk = d.jpeg_color_space == JCS_CMYK || d.jpeg_color_space == JCS_YCCK;
	d.out_color_space = d.num_components == 1 ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_RGB;
	jpeg_start_decompress(&d);
	size_t row = (size_t)d.output_width * (size_t)d.output_components;
	pixels = malloc(row * d.output_height);
	if (!pixels)
		longjmp(err.jb, 1);
	while (d.output_scanline < d.output_height) {
		JSAMPROW r = pixels + row * d.output_scanline;
		jpeg_read_scanlines(&d, &r, 1);
	}
	jpeg_finish_decompress(&d);

	c.err = d.err;
	jpeg_create_compress(&c);
	have_c = 1;
	sink.cap = 65536;
	if (!(sink.buf = malloc(sink.cap)))
		longjmp(err.jb, 1);
	c.dest = &sink.pub;
	c.image_width = d.output_width;
	c.image_height = d.output_height;
	c.input_components = d.output_components;
	c.in_color_space = d.out_color_space;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 90, TRUE);
	c.density_unit = d.density_unit;
	c.X_density = d.X_density;
	c.Y_density = d.Y_density;
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW r = pixels + row * c.next_scanline;
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	*outlen = (size_t)(sink.pub.next_output_byte - sink.buf);
	*out = sink.buf;
	jpeg_destroy_compress(&c);
	jpeg_destroy_decompress(&d);
	free(pixels);
	return IMAGE_OK;
}

const char *
image_verdict_code(enum image_verdict v)
{
	static const char *const codes[IMAGE__MAX] = {"ok", "damaged", "too_large", "not_image",
	                                              "too_wide"};
	return (unsigned)v < IMAGE__MAX ? codes[v] : "unknown";
}

/* ---- logos ---- */

enum image_kind { KIND_NONE, KIND_PNG, KIND_JPEG, KIND_GIF };

static enum image_kind
image_kind(const unsigned char *in, size_t n)
{
	if (n >= 8 && memcmp(in, "\x89PNG\r\n\x1a\n", 8) == 0)
		return KIND_PNG;
	if (n >= 3 && in[0] == 0xFF && in[1] == 0xD8 && in[2] == 0xFF)
		return KIND_JPEG;
	if (n >= 6 && (memcmp(in, "GIF87a", 6) == 0 || memcmp(in, "GIF89a", 6) == 0))
		return KIND_GIF;
	return KIND_NONE;
}

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The size a header declares: PNG's IHDR, JPEG's first SOF segment, GIF's
 * logical screen. False when the header is not there. */
static bool
header_size(enum image_kind k, const unsigned char *in, size_t n, unsigned long *w,
            unsigned long *h)
{
	switch (k) {
	case KIND_PNG:
		if (n < 24 || memcmp(in + 12, "IHDR", 4) != 0)
			return false;
		*w = (unsigned long)be16(in + 16) << 16 | be16(in + 18);
		*h = (unsigned long)be16(in + 20) << 16 | be16(in + 22);
		return true;
	case KIND_JPEG:
		for (size_t i = 2; i + 4 <= n;) {
			if (in[i] != 0xFF)
				return false;
			unsigned m = in[i + 1];
			if (m == 0xFF) { /* fill byte */
				i++;
				continue;
			}
			if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* no length */
				i += 2;
				continue;
			}
			if (m == 0xD9 || m == 0xDA) /* end, or scan data before any frame */
				return false;
			unsigned len = be16(in + i + 2);
			if (len < 2)
				return false;
			if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
				if (i + 9 > n || len < 7)
					return false;
				*h = be16(in + i + 5);
				*w = be16(in + i + 7);
				return true;
			}
			i += 2 + (size_t)len;
		}
		return false;
	case KIND_GIF:
		if (n < 10)
			return false;
		*w = (unsigned long)in[6] | (unsigned long)in[7] << 8;
		*h = (unsigned long)in[8] | (unsigned long)in[9] << 8;
		return true;
	default:
		return false;
	}
}

struct gif_src {
	const unsigned char *p;
	size_t n, pos;
};
static int
gif_read(GifFileType *g, GifByteType *buf, int len)
{
	struct gif_src *s = g->UserData;
	size_t k = len < 0 ? 0 : (size_t)len;
	if (k > s->n - s->pos)
		k = s->n - s->pos;
	memcpy(buf, s->p + s->pos, k);
	s->pos += k;
	return (int)k;
}

/* The first frame of a GIF as RGBA pixels of the logical screen (w × h,
 * already checked), malloc'd into *rgba. */
static enum image_verdict
gif_first_frame(const unsigned char *in, size_t n, unsigned w, unsigned h, unsigned char **rgba)
{
	struct gif_src src = {in, n, 0};
	int err = 0, transparent = -1;
	enum image_verdict v = IMAGE_DAMAGED;
	unsigned char *px = NULL;
	GifPixelType *line = NULL;
	*rgba = NULL;
	GifFileType *g = DGifOpen(&src, gif_read, &err);
	if (!g)
		return IMAGE_DAMAGED;
	for (;;) {
		GifRecordType rt;
		if (DGifGetRecordType(g, &rt) == GIF_ERROR || rt == TERMINATE_RECORD_TYPE)
			goto done;
		if (rt == EXTENSION_RECORD_TYPE) {
			int code;
			GifByteType *ext;
			if (DGifGetExtension(g, &code, &ext) == GIF_ERROR)
				goto done;
			if (code == GRAPHICS_EXT_FUNC_CODE && ext && ext[0] >= 4 && (ext[1] & 1))
				transparent = ext[4];
			while (ext)
				if (DGifGetExtensionNext(g, &ext) == GIF_ERROR)
					goto done;
			continue;
		}
		if (rt != IMAGE_DESC_RECORD_TYPE)
			continue;
		if (DGifGetImageDesc(g) == GIF_ERROR)
			goto done;
		const GifImageDesc *d = &g->Image;
		const ColorMapObject *cmap = d->ColorMap ? d->ColorMap : g->SColorMap;
		if (!cmap || d->Width <= 0 || d->Height <= 0 || d->Width > IMAGE_MAX_SIDE ||
		    d->Height > IMAGE_MAX_SIDE)
			goto done;
		if (!(px = calloc((size_t)w * h, 4)) || !(line = malloc((size_t)d->Width)))
			goto done;
		static const int start[] = {0, 4, 2, 1}, step[] = {8, 8, 4, 2};
		int passes = d->Interlace ? 4 : 1;
		for (int pass = 0; pass < passes; pass++) {
			for (int y = d->Interlace ? start[pass] : 0; y < d->Height;
			     y += d->Interlace ? step[pass] : 1) {
				if (DGifGetLine(g, line, d->Width) == GIF_ERROR)
					goto done;
				long sy = (long)d->Top + y;
				if (sy < 0 || sy >= (long)h)
					continue;
				for (int x = 0; x < d->Width; x++) {
					long sx = (long)d->Left + x;
					int idx = line[x];
					if (sx < 0 || sx >= (long)w || idx == transparent ||
					    idx >= cmap->ColorCount)
						continue;
					unsigned char *o = px + ((size_t)sy * w + (size_t)sx) * 4;
					o[0] = cmap->Colors[idx].Red;
					o[1] = cmap->Colors[idx].Green;
					o[2] = cmap->Colors[idx].Blue;
					o[3] = 255;
				}
			}
		}
		v = IMAGE_OK;
		break;
	}
done:
	DGifCloseFile(g, &err);
	free(line);
	if (v == IMAGE_OK)
		*rgba = px;
	else
		free(px);
	return v;
}

static enum image_verdict
png_from_rgba(const unsigned char *px, unsigned w, unsigned h, unsigned char **out,
              size_t *outlen)
{
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = w;
	img.height = h;
	img.format = PNG_FORMAT_RGBA;
	png_alloc_size_t size = 0;
	unsigned char *buf = NULL;
	enum image_verdict v = IMAGE_DAMAGED;
	if (png_image_write_to_memory(&img, NULL, &size, 0, px, 0, NULL) &&
	    (buf = malloc(size)) != NULL &&
	    png_image_write_to_memory(&img, buf, &size, 0, px, 0, NULL)) {
		*out = buf;
		*outlen = size;
		v = IMAGE_OK;
	} else {
		free(buf);
	}
	png_image_free(&img);
	return v;
}

enum image_verdict
image_logo(const unsigned char *in, size_t n, unsigned char **out, size_t *outlen,
           const char **mime, unsigned *width, unsigned *height)
{
	unsigned long w = 0, h = 0;
	*out = NULL;
	*outlen = 0;
	*mime = NULL;
	*width = *height = 0;
	enum image_kind k = in ? image_kind(in, n) : KIND_NONE;
	if (k == KIND_NONE)
		return IMAGE_NOT_IMAGE;
	if (!header_size(k, in, n, &w, &h))
		return IMAGE_DAMAGED;
	if (w > IMAGE_LOGO_MAX_WIDTH)
		return IMAGE_TOO_WIDE;
	enum image_verdict v = size_verdict(w, h);
	if (v != IMAGE_OK)
		return v;
	if (k == KIND_PNG) {
		v = image_png_reencode(in, n, out, outlen);
		*mime = "image/png";
	} else if (k == KIND_JPEG) {
		v = image_jpeg_reencode(in, n, out, outlen);
		*mime = "image/jpeg";
	} else {
		unsigned char *px;
		v = gif_first_frame(in, n, (unsigned)w, (unsigned)h, &px);
		if (v == IMAGE_OK) {
			v = png_from_rgba(px, (unsigned)w, (unsigned)h, out, outlen);
			free(px);
		}
		*mime = "image/png";
	}
	if (v != IMAGE_OK) {
		*mime = NULL;
		return v;
	}
	*width = (unsigned)w;
	*height = (unsigned)h;
	return IMAGE_OK;
}
