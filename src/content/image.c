/* PNG and JPEG decoded and encoded again (image.h). */
#include "content/image.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	static const char *const codes[IMAGE__MAX] = {"ok", "damaged", "too_large"};
	return (unsigned)v < IMAGE__MAX ? codes[v] : "unknown";
}
