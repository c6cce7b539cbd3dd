/* Unit tests of the upload content checks: the PDF checker as a table of
 * files, PNG and JPEG decoded and encoded again, profile logos (PNG, JPEG,
 * GIF; width, kind by magic bytes), and the clamd client against
 * a fake clamd on a unix socket (a child process). */
#include <gif_lib.h>
#include <png.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "clients/clamd.h"
#include "content/image.h"
#include "content/pdf.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
static char pdfbuf[1 << 20];

/* A PDF of the given objects (numbered from 1) with a correct xref table. */
static size_t
build_pdf(const char *version, const char *const *objs, size_t n, const char *trailer_extra)
{
	size_t off[32], len = (size_t)sprintf(pdfbuf, "%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n", version);
	for (size_t i = 0; i < n; i++) {
		off[i] = len;
		len += (size_t)sprintf(pdfbuf + len, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	size_t xref = len;
	len += (size_t)sprintf(pdfbuf + len, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(pdfbuf + len, "%010zu 00000 n \n", off[i]);
	len += (size_t)sprintf(pdfbuf + len,
	                       "trailer\n<< /Size %zu /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n",
	                       n + 1, trailer_extra ? trailer_extra : "", xref);
	return len;
}

/* A PDF 1.5 whose objects 1..n sit in object stream n+1 (Flate, or the
 * filter given), with an xref stream n+2 (W [1 2 1], PNG Up predictor when
 * predictor is set). */
static size_t
build_objstm_pdf(const char *const *objs, size_t n, const char *filter, bool predictor)
{
	char body[8192], head[512];
	size_t blen = 0, hlen = 0;
	for (size_t i = 0; i < n; i++) {
		hlen += (size_t)sprintf(head + hlen, "%zu %zu ", i + 1, blen);
		blen += (size_t)sprintf(body + blen, "%s\n", objs[i]);
	}
	char raw[9000];
	size_t rlen = (size_t)sprintf(raw, "%s%s", head, body);
	unsigned char z[9000];
	uLongf zlen = sizeof(z);
	if (filter) {
		memcpy(z, raw, rlen);
		zlen = rlen;
	} else
		compress(z, &zlen, (unsigned char *)raw, rlen);
	size_t len = (size_t)sprintf(pdfbuf, "%%PDF-1.5\n%%\xe2\xe3\xcf\xd3\n");
	size_t stm_off = len;
	len += (size_t)sprintf(pdfbuf + len,
	                       "%zu 0 obj\n<< /Type /ObjStm /N %zu /First %zu /Length %lu /Filter /%s >>\nstream\n",
	                       n + 1, n, hlen, (unsigned long)zlen, filter ? filter : "FlateDecode");
	memcpy(pdfbuf + len, z, zlen);
	len += zlen;
	len += (size_t)sprintf(pdfbuf + len, "\nendstream\nendobj\n");
	size_t xref_off = len;
	/* rows: type (1 byte), field 2 (2 bytes), field 3 (1 byte) */
	unsigned char rows[64][4] = {{0, 0, 0, 255}};
	for (size_t i = 0; i < n; i++)
		rows[i + 1][0] = 2, rows[i + 1][1] = (unsigned char)((n + 1) >> 8),
		            rows[i + 1][2] = (unsigned char)(n + 1), rows[i + 1][3] = (unsigned char)i;
	rows[n + 1][0] = 1, rows[n + 1][1] = (unsigned char)(stm_off >> 8),
	            rows[n + 1][2] = (unsigned char)stm_off, rows[n + 1][3] = 0;
	rows[n + 2][0] = 1, rows[n + 2][1] = (unsigned char)(xref_off >> 8),
	            rows[n + 2][2] = (unsigned char)xref_off, rows[n + 2][3] = 0;
	unsigned char data[64 * 5];
	size_t dlen = 0;
	for (size_t r = 0; r < n + 3; r++) {
		if (predictor)
			data[dlen++] = 2;
		for (int c = 0; c < 4; c++)
			data[dlen++] = predictor && r ? (unsigned char)(rows[r][c] - rows[r - 1][c]) : rows[r][c];
	}
	zlen = sizeof(z);
	compress(z, &zlen, data, dlen);
	len += (size_t)sprintf(pdfbuf + len,
	                       "%zu 0 obj\n<< /Type /XRef /Size %zu /W [1 2 1] /Root 1 0 R /Length %lu "
	                       "/Filter /FlateDecode %s >>\nstream\n",
	                       n + 2, n + 3, (unsigned long)zlen,
	                       predictor ? "/DecodeParms << /Predictor 12 /Columns 4 >>" : "");
	memcpy(pdfbuf + len, z, zlen);
	len += zlen;
	len += (size_t)sprintf(pdfbuf + len, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref_off);
	return len;
}

static const char *catalog = "<< /Type /Catalog /Pages 2 0 R >>";
static const char *pages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
static const char *page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>";

static void
test_pdf(void)
{
	const char *plain[] = {catalog, pages, page, "<< /Title (A \\) paren) /Author <414243> >>"};
	struct {
		const char *name;
		enum pdf_verdict want;
		const char *objs[4];
		const char *trailer;
		const char *append; /* after %%EOF */
	} rows[] = {
	    {"a plain PDF", PDF_OK, {catalog, pages, page}, NULL, NULL},
	    {"trailing whitespace after %%EOF", PDF_OK, {catalog, pages, page}, NULL, "\n  \r\n\n"},
	    {"HTML after %%EOF", PDF_MALFORMED, {catalog, pages, page}, NULL, "<html><script>x</script></html>"},
	    {"/OpenAction with /JavaScript",
	     PDF_ACTIVE,
	     {"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", pages, page},
	     NULL, NULL},
	    {"/JS alone", PDF_ACTIVE, {catalog, pages, "<< /Type /Page /Parent 2 0 R /AA << /O << /JS 4 0 R >> >> >>"}, NULL, NULL},
	    {"obfuscated /Java#53cript", PDF_ACTIVE,
	     {"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Java#53cript /#4a#53 (x) >> >>", pages, page}, NULL, NULL},
	    {"/EmbeddedFiles", PDF_ACTIVE,
	     {"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a) 4 0 R] >> >> >>", pages, page}, NULL, NULL},
	    {"/EmbeddedFile stream", PDF_ACTIVE, {catalog, pages, page, "<< /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream"}, NULL, NULL},
	    {"/Launch action", PDF_ACTIVE, {"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>", pages, page}, NULL, NULL},
	    {"/RichMedia", PDF_ACTIVE, {catalog, pages, "<< /Type /Page /Annots [<< /Subtype /RichMedia >>] >>"}, NULL, NULL},
	    {"/XFA", PDF_ACTIVE, {"<< /Type /Catalog /Pages 2 0 R /AcroForm << /XFA 4 0 R >> >>", pages, page}, NULL, NULL},
	    {"/Encrypt in the trailer", PDF_ENCRYPTED, {catalog, pages, page}, "/Encrypt << /Filter /Standard >>", NULL},
	    {"HTML between objects", PDF_MALFORMED, {catalog, "<< >>\nendobj\n<!DOCTYPE html><p>hi</p>\n9 0 obj\nnull", page}, NULL, NULL},
	    {"a bad name escape", PDF_MALFORMED, {"<< /Type /Catalog /Pages 2 0 R /X#zz 1 >>", pages, page}, NULL, NULL},
	    {"an unbalanced dictionary", PDF_MALFORMED, {"<< /Type /Catalog /Pages 2 0 R", pages, page}, NULL, NULL},
	    {"nested 40 deep", PDF_UNSUPPORTED, {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", pages, page}, NULL, NULL},
	    {"a stream with a direct /Length over binary data", PDF_OK,
	     {catalog, pages, page, "<< /Length 13 >>\nstream\nendstream\x01\x02\x03\x04\nendstream"}, NULL, NULL},
	    {"a stream with an indirect /Length", PDF_OK, {catalog, pages, page, "<< /Length 9 0 R >>\nstream\nBT ET\nendstream"}, NULL, NULL},
	    {"a string holding /JS is only text", PDF_OK, {catalog, pages, page, "<< /Title (/JS /JavaScript) >>"}, NULL, NULL},
	};
	for (size_t i = 0; i < N(rows); i++) {
		size_t n = 0;
		while (n < 4 && rows[i].objs[n])
			n++;
		size_t len = build_pdf("1.4", rows[i].objs, n, rows[i].trailer);
		if (rows[i].append)
			len += (size_t)sprintf(pdfbuf + len, "%s", rows[i].append);
		const char *why;
		enum pdf_verdict v = pdf_check((unsigned char *)pdfbuf, len, &why);
		is_str(pdf_verdict_code(v), pdf_verdict_code(rows[i].want), "pdf: %s (%s)", rows[i].name, why);
	}
	size_t len = build_pdf("1.7", plain, N(plain), NULL);
	is_int(pdf_check((unsigned char *)pdfbuf, len, NULL), PDF_OK, "pdf: version 1.7");
	for (size_t cut = 9; cut < len; cut += len / 7)
		is_int(pdf_check((unsigned char *)pdfbuf, cut, NULL), PDF_MALFORMED, "pdf: cut at %zu of %zu", cut, len);
	len = build_pdf("2.0", plain, N(plain), NULL);
	is_int(pdf_check((unsigned char *)pdfbuf, len, NULL), PDF_OK, "pdf: version 2.0");
	len = build_pdf("1.9", plain, N(plain), NULL);
	is_int(pdf_check((unsigned char *)pdfbuf, len, NULL), PDF_MALFORMED, "pdf: version 1.9");
	len = build_pdf("1.4", plain, N(plain), NULL);
	char *x = strstr(pdfbuf, "0000000015 00000 n");
	if (x)
		x[9] = '6'; /* object 1 now points one byte off */
	is_int(pdf_check((unsigned char *)pdfbuf, len, NULL), PDF_OK,
	       "pdf: a classic xref entry off by one is rebuilt from the objects (as readers do)");
	static const char *const scripted[] = {
	    "<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"};
	len = build_pdf("1.4", scripted, N(scripted), NULL);
	x = strstr(pdfbuf, "0000000015 00000 n");
	if (x)
		x[9] = '6';
	is_int(pdf_check((unsigned char *)pdfbuf, len, NULL), PDF_ACTIVE,
	       "pdf: a script is refused also when the table has to be rebuilt");
	len = build_pdf("1.4", plain, N(plain), NULL);
	x = strstr(pdfbuf, "startxref\n");
	x[10] = x[10] == '1' ? '2' : '1';
	is_int(pdf_check((unsigned char *)pdfbuf, len, NULL), PDF_OK,
	       "pdf: startxref pointing elsewhere: rebuilt from the objects");
	static const char html[] = "%PDF-1.4\n<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n%%EOF\n";
	is_int(pdf_check((const unsigned char *)html, sizeof(html) - 1, NULL), PDF_MALFORMED, "pdf: a header then HTML");

	/* object streams and xref streams */
	const char *clean[] = {catalog, pages, page};
	len = build_objstm_pdf(clean, 3, NULL, false);
	const char *why;
	is_str(pdf_verdict_code(pdf_check((unsigned char *)pdfbuf, len, &why)), "ok", "pdf: objects in a stream, xref stream (%s)", why);
	len = build_objstm_pdf(clean, 3, NULL, true);
	is_str(pdf_verdict_code(pdf_check((unsigned char *)pdfbuf, len, &why)), "ok", "pdf: xref stream with a PNG predictor (%s)", why);
	const char *hidden[] = {catalog, pages, "<< /Type /Page /AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> >>"};
	len = build_objstm_pdf(hidden, 3, NULL, false);
	is_int(pdf_check((unsigned char *)pdfbuf, len, NULL), PDF_ACTIVE, "pdf: JavaScript hidden in a compressed object stream");
	const char *hidden2[] = {catalog, pages, "<< /Type /Page /AA << /O << /S /Java#53cript /J#53 (x) >> >> >>"};
	len = build_objstm_pdf(hidden2, 3, NULL, false);
	is_int(pdf_check((unsigned char *)pdfbuf, len, NULL), PDF_ACTIVE, "pdf: obfuscated names in an object stream");
	len = build_objstm_pdf(clean, 3, "ASCIIHexDecode", false);
	is_int(pdf_check((unsigned char *)pdfbuf, len, NULL), PDF_UNSUPPORTED, "pdf: an object stream filter other than Flate");
	len = build_objstm_pdf(clean, 3, NULL, false);
	x = memmem(pdfbuf, len, "/ObjStm", 7);
	memcpy(x, "/ObjStx", 7);
	is_int(pdf_check((unsigned char *)pdfbuf, len, NULL), PDF_MALFORMED, "pdf: compressed objects in something not an object stream");
	unsigned char zeros[64] = {0};
	is_int(pdf_check(zeros, sizeof(zeros), NULL), PDF_MALFORMED, "pdf: zeros");
	is_int(pdf_check(zeros, 0, NULL), PDF_MALFORMED, "pdf: nothing");
}

/* A PNG of w×h RGB pixels (libpng's simplified writer); malloc'd. */
static unsigned char *
make_png(unsigned w, unsigned h, size_t *len)
{
	png_image img = {.version = PNG_IMAGE_VERSION, .width = w, .height = h, .format = PNG_FORMAT_RGB};
	unsigned char *px = calloc((size_t)w * h, 3);
	for (size_t i = 0; i < (size_t)w * h * 3; i++)
		px[i] = (unsigned char)(i * 7);
	png_alloc_size_t size = 0;
	png_image_write_to_memory(&img, NULL, &size, 0, px, 0, NULL);
	unsigned char *out = malloc(size + 64);
	png_image_write_to_memory(&img, out, &size, 0, px, 0, NULL);
	free(px);
	*len = size;
	return out;
}

/* A signature, an IHDR claiming w×h, a short IDAT and IEND (a decompression
 * bomb's start). */
static size_t
png_header(unsigned char *b, unsigned w, unsigned h)
{
	memcpy(b, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
	unsigned char *d = b + 16;
	d[0] = (unsigned char)(w >> 24), d[1] = (unsigned char)(w >> 16), d[2] = (unsigned char)(w >> 8), d[3] = (unsigned char)w;
	d[4] = (unsigned char)(h >> 24), d[5] = (unsigned char)(h >> 16), d[6] = (unsigned char)(h >> 8), d[7] = (unsigned char)h;
	d[8] = 8, d[9] = 2, d[10] = d[11] = d[12] = 0;
	uLong crc = crc32(0, b + 12, 17);
	b[29] = (unsigned char)(crc >> 24), b[30] = (unsigned char)(crc >> 16), b[31] = (unsigned char)(crc >> 8), b[32] = (unsigned char)crc;
	static const unsigned char rest[] = {0, 0, 0, 2, 'I', 'D', 'A', 'T', 0x78, 0x9c, 0x7d, 0x2f, 0x90, 0x3a,
	                                     0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
	memcpy(b + 33, rest, sizeof(rest));
	crc = crc32(0, b + 37, 6);
	b[43] = (unsigned char)(crc >> 24), b[44] = (unsigned char)(crc >> 16), b[45] = (unsigned char)(crc >> 8), b[46] = (unsigned char)crc;
	return 33 + sizeof(rest);
}

static void
test_images(void)
{
	size_t len, outlen;
	unsigned char *png = make_png(5, 4, &len), *out;
	static const char tail[] = "<html><script>alert(1)</script></html>";
	memcpy(png + len, tail, sizeof(tail) - 1);
	is_int(image_png_reencode(png, len + sizeof(tail) - 1, &out, &outlen), IMAGE_OK, "png: trailing HTML is accepted");
	ok(out && memmem(out, outlen, "<html>", 6) == NULL, "png: the encoded image has no trailing text");
	png_image img = {.version = PNG_IMAGE_VERSION};
	ok(out && png_image_begin_read_from_memory(&img, out, outlen) && img.width == 5 && img.height == 4, "png: the encoded image decodes, 5×4");
	png_image_free(&img);
	free(out);
	is_int(image_png_reencode(png, len - 20, &out, &outlen), IMAGE_DAMAGED, "png: truncated");
	png[40] ^= 0x55;
	is_int(image_png_reencode(png, len, &out, &outlen), IMAGE_DAMAGED, "png: a flipped byte (CRC)");
	free(png);
	unsigned char hdr[64];
	is_int(image_png_reencode(hdr, png_header(hdr, 1, 50000), &out, &outlen), IMAGE_TOO_LARGE, "png: 1×50000");
	is_int(image_png_reencode(hdr, png_header(hdr, 20000, 20000), &out, &outlen), IMAGE_TOO_LARGE, "png: 20000×20000");
	is_int(image_png_reencode(hdr, png_header(hdr, 7000, 7000), &out, &outlen), IMAGE_TOO_LARGE, "png: 49 megapixels");
	is_int(image_png_reencode(hdr, png_header(hdr, 600, 800), &out, &outlen), IMAGE_DAMAGED, "png: a header without pixels");

	/* the 1×1 arithmetic-coded JPEG of the acceptance suite */
	static const char hex[] = "FFD8FFE000104A46494600010100000100010000FFDB004300030202020202030202020303030304060404040404080606050609080A0A090809090A0C0F0C0A0B0E0B09090D110D0E0F101011100A0C12131210130F101010FFC9000B080001000101011100FFCC000600101005FFDA0008010100003F00D2CF20FFD9";
	unsigned char jpg[256];
	size_t jlen = 0;
	for (size_t i = 0; hex[i]; i += 2)
		sscanf(hex + i, "%2hhx", &jpg[jlen++]);
	is_int(image_jpeg_reencode(jpg, jlen, &out, &outlen), IMAGE_OK, "jpeg: decodes");
	ok(out && outlen > 4 && out[0] == 0xFF && out[1] == 0xD8 && out[outlen - 2] == 0xFF && out[outlen - 1] == 0xD9, "jpeg: encoded again, SOI to EOI");
	unsigned char *again = NULL;
	size_t alen;
	is_int(out ? (int)image_jpeg_reencode(out, outlen, &again, &alen) : -1, IMAGE_OK, "jpeg: the encoded image decodes");
	free(again);
	free(out);
	is_int(image_jpeg_reencode(jpg, jlen - 8, &out, &outlen), IMAGE_DAMAGED, "jpeg: truncated");
	is_int(image_jpeg_reencode(jpg, 20, &out, &outlen), IMAGE_DAMAGED, "jpeg: only the start");
	unsigned char big[sizeof(jpg)];
	memcpy(big, jpg, jlen);
	unsigned char *sof = memmem(big, jlen, "\xFF\xC9\x00\x0B\x08", 5);
	sof[5] = 0x4E, sof[6] = 0x20, sof[7] = 0x4E, sof[8] = 0x20; /* 20000×20000 */
	is_int(image_jpeg_reencode(big, jlen, &out, &outlen), IMAGE_TOO_LARGE, "jpeg: 20000×20000");
}

/* A GIF of w×h pixels with a 4-colour map, index 3 transparent (giflib's
 * encoder into memory); malloc'd. With interlace, the rows are interlaced. */
struct gif_sink {
	unsigned char *buf;
	size_t len, cap;
};
static int
gif_write(GifFileType *g, const GifByteType *b, int n)
{
	struct gif_sink *s = g->UserData;
	if (s->len + (size_t)n > s->cap) {
		s->cap = (s->len + (size_t)n) * 2;
		s->buf = realloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->len, b, (size_t)n);
	s->len += (size_t)n;
	return n;
}
static unsigned char *
make_gif(unsigned w, unsigned h, bool interlace, size_t *len)
{
	struct gif_sink s = {0};
	int err;
	GifFileType *g = EGifOpen(&s, gif_write, &err);
	GifColorType colors[4] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {0, 0, 0}};
	ColorMapObject *map = GifMakeMapObject(4, colors);
	EGifSetGifVersion(g, true);
	EGifPutScreenDesc(g, (int)w, (int)h, 2, 0, map);
	static const GifByteType gce[4] = {1, 0, 0, 3}; /* transparent, index 3 */
	EGifPutExtension(g, GRAPHICS_EXT_FUNC_CODE, 4, gce);
	EGifPutImageDesc(g, 0, 0, (int)w, (int)h, interlace, NULL);
	GifPixelType *line = malloc(w);
	static const int start[] = {0, 4, 2, 1}, step[] = {8, 8, 4, 2};
	for (int pass = 0; pass < (interlace ? 4 : 1); pass++)
		for (unsigned y = interlace ? (unsigned)start[pass] : 0; y < h;
		     y += interlace ? (unsigned)step[pass] : 1) {
			for (unsigned x = 0; x < w; x++)
				line[x] = (GifPixelType)((x + y) % 4);
			EGifPutLine(g, line, (int)w);
		}
	free(line);
	EGifCloseFile(g, &err);
	GifFreeMapObject(map);
	*len = s.len;
	return s.buf;
}

static void
test_logos(void)
{
	unsigned char *out;
	size_t outlen, len;
	const char *mime;
	unsigned w, h;

	unsigned char *png = make_png(300, 2, &len);
	is_int(image_logo(png, len, &out, &outlen, &mime, &w, &h), IMAGE_OK, "logo: a PNG 300 px wide");
	ok(out && strcmp(mime, "image/png") == 0 && w == 300 && h == 2 && memcmp(out, "\x89PNG", 4) == 0,
	   "logo: stays a PNG, 300×2");
	free(out);
	free(png);
	png = make_png(301, 2, &len);
	is_int(image_logo(png, len, &out, &outlen, &mime, &w, &h), IMAGE_TOO_WIDE, "logo: a PNG 301 px wide");
	ok(out == NULL && mime == NULL, "logo: nothing returned when refused");
	free(png);
	unsigned char hdr[64];
	is_int(image_logo(hdr, png_header(hdr, 20000, 20000), &out, &outlen, &mime, &w, &h), IMAGE_TOO_WIDE,
	       "logo: a 20000 px PNG header is too wide, before decoding");
	is_int(image_logo(hdr, png_header(hdr, 200, 20000), &out, &outlen, &mime, &w, &h), IMAGE_TOO_LARGE,
	       "logo: 200×20000 is too large");
	is_int(image_logo(hdr, png_header(hdr, 200, 100), &out, &outlen, &mime, &w, &h), IMAGE_DAMAGED,
	       "logo: a PNG header without pixels");

	static const char hex[] = "FFD8FFE000104A46494600010100000100010000FFDB004300030202020202030202020303030304060404040404080606050609080A0A090809090A0C0F0C0A0B0E0B09090D110D0E0F101011100A0C12131210130F101010FFC9000B080001000101011100FFCC000600101005FFDA0008010100003F00D2CF20FFD9";
	unsigned char jpg[256];
	size_t jlen = 0;
	for (size_t i = 0; hex[i]; i += 2)
		sscanf(hex + i, "%2hhx", &jpg[jlen++]);
	is_int(image_logo(jpg, jlen, &out, &outlen, &mime, &w, &h), IMAGE_OK, "logo: a JPEG");
	ok(out && strcmp(mime, "image/jpeg") == 0 && w == 1 && h == 1 && out[0] == 0xFF && out[1] == 0xD8,
	   "logo: stays a JPEG, 1×1");
	free(out);
	unsigned char *sof = memmem(jpg, jlen, "\xFF\xC9\x00\x0B\x08", 5);
	sof[7] = 0x01, sof[8] = 0x2D; /* 301 wide */
	is_int(image_logo(jpg, jlen, &out, &outlen, &mime, &w, &h), IMAGE_TOO_WIDE, "logo: a JPEG 301 px wide");
	sof[7] = 0x01, sof[8] = 0x2C; /* 300 wide: the header passes; the size is the frame's */
	is_int(image_logo(jpg, jlen, &out, &outlen, &mime, &w, &h), IMAGE_OK, "logo: a JPEG 300 px wide");
	ok(out && w == 300 && h == 1, "logo: its size is the frame header's, 300×1");
	free(out);
	is_int(image_logo(jpg, 20, &out, &outlen, &mime, &w, &h), IMAGE_DAMAGED, "logo: a JPEG without a frame header");

	unsigned char *gif = make_gif(7, 5, false, &len);
	is_int(image_logo(gif, len, &out, &outlen, &mime, &w, &h), IMAGE_OK, "logo: a GIF");
	ok(out && strcmp(mime, "image/png") == 0 && w == 7 && h == 5, "logo: a GIF becomes a PNG, 7×5");
	png_image img = {.version = PNG_IMAGE_VERSION};
	unsigned char px[7 * 5 * 4];
	bool decoded = out && png_image_begin_read_from_memory(&img, out, outlen);
	img.format = PNG_FORMAT_RGBA;
	decoded = decoded && png_image_finish_read(&img, NULL, px, 0, NULL);
	ok(decoded && px[0] == 255 && px[1] == 0 && px[3] == 255 && px[4 * 1 + 1] == 255 && px[4 * 3 + 3] == 0 &&
	       px[(7 * 1 + 0) * 4 + 1] == 255,
	   "logo: the GIF's colours, and its transparent index, in the PNG");
	free(out);
	free(gif);
	gif = make_gif(9, 11, true, &len);
	is_int(image_logo(gif, len, &out, &outlen, &mime, &w, &h), IMAGE_OK, "logo: an interlaced GIF");
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	unsigned char px2[9 * 11 * 4];
	decoded = out && png_image_begin_read_from_memory(&img, out, outlen);
	img.format = PNG_FORMAT_RGBA;
	decoded = decoded && png_image_finish_read(&img, NULL, px2, 0, NULL);
	bool rows = decoded;
	for (unsigned y = 0; y < 11 && rows; y++) /* (x + y) % 4 at x = 0: red, green, blue, clear */
		rows = (y % 4 == 3) ? px2[y * 9 * 4 + 3] == 0 : px2[y * 9 * 4 + (y % 4)] == 255;
	ok(rows, "logo: the interlaced rows land where they belong");
	free(out);
	is_int(image_logo(gif, len - 5, &out, &outlen, &mime, &w, &h), IMAGE_DAMAGED, "logo: a truncated GIF");
	is_int(image_logo(gif, 13, &out, &outlen, &mime, &w, &h), IMAGE_DAMAGED, "logo: a GIF without an image");
	gif[6] = 0x2D, gif[7] = 0x01; /* 301 wide */
	is_int(image_logo(gif, len, &out, &outlen, &mime, &w, &h), IMAGE_TOO_WIDE, "logo: a GIF 301 px wide");
	free(gif);
	static const unsigned char gif1[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00"
	                                    "!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00"
	                                    "\x02\x02\x44\x01\x00;";
	is_int(image_logo(gif1, sizeof(gif1) - 1, &out, &outlen, &mime, &w, &h), IMAGE_OK, "logo: the classic 1×1 GIF");
	free(out);

	static const struct {
		const char *bytes;
		size_t n;
		const char *why;
	} not_images[] = {
	    {"%PDF-1.7\n", 9, "a PDF"},
	    {"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", 40, "an SVG"},
	    {"hello, this is text renamed .png", 32, "text renamed .png"},
	    {"\x89PNG\r\n", 6, "a PNG signature cut short"},
	    {"GIF88a\x01\x00\x01\x00", 10, "an unknown GIF version"},
	    {"BM\x36\x00\x00\x00", 6, "a BMP"},
	    {"RIFF\x1a\x00\x00\x00WEBPVP8 ", 16, "a WebP"},
	    {"", 0, "nothing"},
	};
	for (size_t i = 0; i < N(not_images); i++)
		is_int(image_logo((const unsigned char *)not_images[i].bytes, not_images[i].n, &out, &outlen, &mime, &w, &h),
		       IMAGE_NOT_IMAGE, "logo: %s is not an image", not_images[i].why);
	is_str(image_verdict_code(IMAGE_NOT_IMAGE), "not_image", "verdict code not_image");
	is_str(image_verdict_code(IMAGE_TOO_WIDE), "too_wide", "verdict code too_wide");
	is_str(image_verdict_code(IMAGE__MAX), "unknown", "verdict code out of range");
}

/* A fake clamd on path: for each connection, reads INSTREAM chunks and
 * answers FOUND when the stream holds "EICAR", OK otherwise; in mode
 * 'silent' it never answers. Returns the child's pid. */
static pid_t
fake_clamd(const char *path, bool silent)
{
	unlink(path);
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(ls, 4) != 0)
		return -1;
	pid_t pid = fork();
	if (pid != 0) {
		close(ls);
		return pid;
	}
	for (;;) {
		int c = accept(ls, NULL, NULL);
		if (c < 0)
			_exit(1);
		static char data[1 << 20];
		size_t got = 0;
		char cmd[10];
		bool ok = recv(c, cmd, 10, MSG_WAITALL) == 10 && memcmp(cmd, "zINSTREAM", 10) == 0;
		for (;;) {
			unsigned char h[4];
			if (!ok || recv(c, h, 4, MSG_WAITALL) != 4)
				break;
			size_t len = (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3];
			if (len == 0 || len > sizeof(data) - got || recv(c, data + got, len, MSG_WAITALL) != (ssize_t)len)
				break;
			got += len;
		}
		if (silent) {
			sleep(5);
			close(c);
			continue;
		}
		const char *a = !ok ? "UNKNOWN COMMAND" : memmem(data, got, "EICAR", 5) ? "stream: Eicar-Test-Signature FOUND" : "stream: OK";
		if (send(c, a, strlen(a) + 1, MSG_NOSIGNAL) < 0)
			_exit(1);
		close(c);
	}
}

static void
test_clamd(void)
{
	char path[64], quiet[64], sig[64];
	snprintf(path, sizeof(path), "/tmp/pd-clamd-%d.sock", (int)getpid());
	snprintf(quiet, sizeof(quiet), "/tmp/pd-clamd-%d-quiet.sock", (int)getpid());
	pid_t a = fake_clamd(path, false), b = fake_clamd(quiet, true);
	ok(a > 0 && b > 0, "clamd: fakes started");
	static unsigned char buf[300000];
	memset(buf, 'x', sizeof(buf));
	is_str(clamd_verdict_code(clamd_scan(path, buf, sizeof(buf), 5000, sig, sizeof(sig))), "clean", "clamd: a clean stream of 5 chunks");
	memcpy(buf + sizeof(buf) - 5, "EICAR", 5);
	is_str(clamd_verdict_code(clamd_scan(path, buf, sizeof(buf), 5000, sig, sizeof(sig))), "infected", "clamd: a signature in the last chunk");
	is_str(sig, "Eicar-Test-Signature", "clamd: the signature's name");
	is_str(clamd_verdict_code(clamd_scan(path, buf, 0, 5000, sig, sizeof(sig))), "clean", "clamd: an empty stream");
	is_str(clamd_verdict_code(clamd_scan(quiet, buf, 100, 300, sig, sizeof(sig))), "unavailable", "clamd: no answer within the deadline");
	is_str(clamd_verdict_code(clamd_scan("/tmp/pd-no-such-clamd.sock", buf, 100, 300, sig, sizeof(sig))), "unavailable", "clamd: no socket");
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	unlink(path);
	unlink(quiet);
}

int
main(void)
{
	test_pdf();
	test_images();
	test_logos();
	test_clamd();
	return done_testing();
}
