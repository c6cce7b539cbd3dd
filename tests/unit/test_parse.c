/* Unit tests for src/http/parse.c: table-driven valid and invalid inputs. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/tsv.h"
#include "http/parse.h"
#include "tap.h"

/* A literal with its exact length (it may contain NUL bytes). */
#define B(lit) lit, sizeof(lit) - 1

static struct arena A;
static char tmpdir[] = "/tmp/test_parse-XXXXXX";

/* Growable byte buffer for building large inputs. */
struct buf {
	char  *p;
	size_t n, cap;
};

static void
buf_add(struct buf *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL)
			abort();
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_rep(struct buf *b, const char *s, size_t times)
{
	for (size_t i = 0; i < times; i++)
		buf_str(b, s);
}

static void
buf_fill(struct buf *b, char c, size_t n)
{
	char *tmp = malloc(n ? n : 1);
	memset(tmp, c, n);
	buf_add(b, tmp, n);
	free(tmp);
}

static void
buf_escaped(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\0': buf_str(b, "\\0"); break;
		case '\r': buf_str(b, "\\r"); break;
		case '\n': buf_str(b, "\\n"); break;
		case '\\': buf_str(b, "\\\\"); break;
		default: buf_add(b, s + i, 1);
		}
	}
}

static char *
read_file(const char *path, size_t *len)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return b.p;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	*len = b.n;
	return b.p;
}

/* "name=value|..." with escapes; file parts as name=@filename(type)[bytes]. */
static char *
serialize(const struct http_fields *f)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t i = 0; i < f->n; i++) {
		const struct http_field *x = &f->v[i];
		if (i)
			buf_str(&b, "|");
		buf_escaped(&b, x->name, strlen(x->name));
		buf_str(&b, "=");
		if (x->filename) {
			size_t len = 0;
			char *data = x->path ? read_file(x->path, &len) : NULL;
			buf_str(&b, "@");
			buf_escaped(&b, x->filename, strlen(x->filename));
			buf_str(&b, "(");
			buf_str(&b, x->content_type ? x->content_type : "NULL");
			buf_str(&b, ")[");
			if (data)
				buf_escaped(&b, data, len);
			buf_str(&b, "]");
			if (len != x->size)
				buf_str(&b, "<size mismatch>");
			free(data);
		} else {
			buf_escaped(&b, x->value, x->value_len);
			if (x->value[x->value_len] != '\0')
				buf_str(&b, "<not NUL-terminated>");
		}
	}
	char *r = arena_strndup(&A, b.p, b.n);
	free(b.p);
	return r;
}

static size_t
tmpdir_count(void)
{
	DIR *d = opendir(tmpdir);
	size_t n = 0;
	struct dirent *e;
	if (d == NULL)
		return (size_t)-1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
unlink_all(struct http_fields *tmpfiles)
{
	for (size_t i = 0; i < tmpfiles->n; i++)
		if (tmpfiles->v[i].path)
			unlink(tmpfiles->v[i].path);
	tmpfiles->n = 0;
}

/* ---- urlencoded ---- */

struct kv_case {
	const char         *in;
	size_t              len;
	enum http_parse_err err;
	const char         *want;
};

static const struct kv_case urlencoded_cases[] = {
    {B(""), HTTP_PARSE_OK, ""},
    {B("a=1"), HTTP_PARSE_OK, "a=1"},
    {B("a=1&b=2"), HTTP_PARSE_OK, "a=1|b=2"},
    {B("a=1;b=2"), HTTP_PARSE_OK, "a=1;b=2"},
    {B("a+b=c+d"), HTTP_PARSE_OK, "a b=c d"},
    {B("a=%41%42"), HTTP_PARSE_OK, "a=AB"},
    {B("a=%c3%a9%E2%82%AC"), HTTP_PARSE_OK, "a=\xc3\xa9\xe2\x82\xac"},
    {B("%61%62=x"), HTTP_PARSE_OK, "ab=x"},
    {B("a=%2B%2b"), HTTP_PARSE_OK, "a=++"},
    {B("a=%26%3D"), HTTP_PARSE_OK, "a=&="},
    {B("a=%4"), HTTP_PARSE_OK, "a=%4"},
    {B("a=%"), HTTP_PARSE_OK, "a=%"},
    {B("a=%zz"), HTTP_PARSE_OK, "a=%zz"},
    {B("a=%4g%g4"), HTTP_PARSE_OK, "a=%4g%g4"},
    {B("a=100%"), HTTP_PARSE_OK, "a=100%"},
    {B("%=1"), HTTP_PARSE_OK, "%=1"},
    {B("a=%00b"), HTTP_PARSE_OK, "a=\\0b"},
    {B("a=x\0y"), HTTP_PARSE_OK, "a=x\\0y"},
    {B("=1&b=2"), HTTP_PARSE_OK, "b=2"},
    {B("="), HTTP_PARSE_OK, ""},
    {B("&&a=1&&"), HTTP_PARSE_OK, "a=1"},
    {B("&"), HTTP_PARSE_OK, ""},
    {B("a"), HTTP_PARSE_OK, "a="},
    {B("a="), HTTP_PARSE_OK, "a="},
    {B("a&b"), HTTP_PARSE_OK, "a=|b="},
    {B("a==b"), HTTP_PARSE_OK, "a==b"},
    {B("a=1&a=2"), HTTP_PARSE_OK, "a=1|a=2"},
    {B("+=+"), HTTP_PARSE_OK, " = "},
    {B("a=b c"), HTTP_PARSE_OK, "a=b c"},
    {B("a=\r\n"), HTTP_PARSE_OK, "a=\\r\\n"},
    /* Not NUL-terminated: only len bytes are read. */
    {"a=1&b=2", 3, HTTP_PARSE_OK, "a=1"},
    {"a=%41", 4, HTTP_PARSE_OK, "a=%4"},
    {"a=%41", 5, HTTP_PARSE_OK, "a=A"},
    {"ab", 1, HTTP_PARSE_OK, "a="},
};

static const struct kv_case cookie_cases[] = {
    {B(""), HTTP_PARSE_OK, ""},
    {B("a=b"), HTTP_PARSE_OK, "a=b"},
    {B("a=b; c=d"), HTTP_PARSE_OK, "a=b|c=d"},
    {B("a=b;c=d"), HTTP_PARSE_OK, "a=b|c=d"},
    {B("  a = b  ;c=d;"), HTTP_PARSE_OK, "a=b|c=d"},
    {B("\ta=b\t"), HTTP_PARSE_OK, "a=b"},
    {B("a=\"quoted\""), HTTP_PARSE_OK, "a=quoted"},
    {B("a= \"q v\" "), HTTP_PARSE_OK, "a=q v"},
    {B("a=\""), HTTP_PARSE_OK, "a=\""},
    {B("a=\"\""), HTTP_PARSE_OK, "a="},
    {B("a=\"x"), HTTP_PARSE_OK, "a=\"x"},
    {B("noeq; a=b"), HTTP_PARSE_OK, "a=b"},
    {B("=x; a=b"), HTTP_PARSE_OK, "a=b"},
    {B(" =x"), HTTP_PARSE_OK, ""},
    {B("a=%41+"), HTTP_PARSE_OK, "a=%41+"},
    {B("a=b=c"), HTTP_PARSE_OK, "a=b=c"},
    {B("a=b,c=d"), HTTP_PARSE_OK, "a=b,c=d"},
    {B(";;;"), HTTP_PARSE_OK, ""},
    {B("a="), HTTP_PARSE_OK, "a="},
    {B("a=1; a=2"), HTTP_PARSE_OK, "a=1|a=2"},
    {B("sid=abc\0def"), HTTP_PARSE_OK, "sid=abc\\0def"},
    {"a=b; c=d", 3, HTTP_PARSE_OK, "a=b"},
    {"a=\"x\"", 4, HTTP_PARSE_OK, "a=\"x"},
};

typedef enum http_parse_err (*kv_parser)(struct arena *, const char *, size_t,
                                         struct http_fields *);

static void
run_kv_cases(const char *what, kv_parser fn, const struct kv_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct http_fields f = {0};
		arena_reset(&A);
		/* A heap copy of exactly len bytes lets ASan catch over-reads. */
		char *in = malloc(c[i].len ? c[i].len : 1);
		memcpy(in, c[i].in, c[i].len);
		enum http_parse_err e = fn(&A, in, c[i].len, &f);
		is_int(e, c[i].err, "%s case %zu: error", what, i);
		struct buf esc = {0};
		buf_add(&esc, "", 0);
		buf_escaped(&esc, c[i].in, c[i].len);
		is_str(serialize(&f), c[i].want, "%s \"%s\" (len %zu)", what, esc.p, c[i].len);
		free(esc.p);
		free(in);
	}
}

static void
test_kv_limits(const char *what, kv_parser fn, const char *sep, int encoded)
{
	struct http_fields f;
	struct buf b;

	/* Name length. */
	for (int extra = 0; extra <= 1; extra++) {
		b = (struct buf){0};
		buf_fill(&b, 'n', HTTP_MAX_NAME_LEN + extra);
		buf_str(&b, "=v");
		f = (struct http_fields){0};
		arena_reset(&A);
		is_int(fn(&A, b.p, b.n, &f), extra ? HTTP_PARSE_TOO_LONG : HTTP_PARSE_OK,
		       "%s: name of %d bytes", what, HTTP_MAX_NAME_LEN + extra);
		is_int(f.n, extra ? 0 : 1, "%s: field count after name of %d bytes", what,
		       HTTP_MAX_NAME_LEN + extra);
		free(b.p);
	}
	/* Value length. */
	for (int extra = 0; extra <= 1; extra++) {
		b = (struct buf){0};
		buf_str(&b, "a=b");
		buf_str(&b, sep);
		buf_str(&b, "v=");
		buf_fill(&b, 'x', HTTP_MAX_VALUE_LEN + extra);
		f = (struct http_fields){0};
		arena_reset(&A);
		is_int(fn(&A, b.p, b.n, &f), extra ? HTTP_PARSE_TOO_LONG : HTTP_PARSE_OK,
		       "%s: value of %d bytes", what, HTTP_MAX_VALUE_LEN + extra);
		is_int(f.n, extra ? 0 : 2, "%s: nothing kept on error (value %d)", what,
		       HTTP_MAX_VALUE_LEN + extra);
		if (!extra) {
			const struct http_field *v = http_fields_get(&f, "v");
			ok(v && v->value_len == HTTP_MAX_VALUE_LEN, "%s: long value length", what);
		}
		free(b.p);
	}
	/* Field count, with empty segments that do not count. */
	for (int extra = 0; extra <= 1; extra++) {
		b = (struct buf){0};
		for (int i = 0; i < HTTP_MAX_FIELDS + extra; i++) {
			char item[32];
			snprintf(item, sizeof(item), "%sk%d=%d", i ? sep : "", i, i);
			buf_str(&b, item);
			buf_str(&b, sep);
		}
		f = (struct http_fields){0};
		arena_reset(&A);
		is_int(fn(&A, b.p, b.n, &f), extra ? HTTP_PARSE_TOO_MANY : HTTP_PARSE_OK,
		       "%s: %d fields", what, HTTP_MAX_FIELDS + extra);
		is_int(f.n, extra ? 0 : HTTP_MAX_FIELDS, "%s: field count (%d)", what,
		       HTTP_MAX_FIELDS + extra);
		if (!extra) {
			const struct http_field *x = http_fields_get(&f, "k255");
			is_str(x ? x->value : NULL, "255", "%s: last field", what);
			x = http_fields_get(&f, "k0");
			is_str(x ? x->value : NULL, "0", "%s: first field", what);
		}
		free(b.p);
	}
	if (!encoded)
		return;
	/* Limits apply to decoded lengths. */
	b = (struct buf){0};
	buf_rep(&b, "%41", HTTP_MAX_NAME_LEN);
	buf_str(&b, "=");
	buf_rep(&b, "%42", HTTP_MAX_VALUE_LEN);
	f = (struct http_fields){0};
	arena_reset(&A);
	is_int(fn(&A, b.p, b.n, &f), HTTP_PARSE_OK, "%s: encoded name/value at the limits", what);
	ok(f.n == 1 && strlen(f.v[0].name) == HTTP_MAX_NAME_LEN &&
	       f.v[0].value_len == HTTP_MAX_VALUE_LEN,
	   "%s: decoded lengths", what);
	free(b.p);
	b = (struct buf){0};
	buf_rep(&b, "%41", HTTP_MAX_NAME_LEN);
	buf_str(&b, "A=1");
	f = (struct http_fields){0};
	arena_reset(&A);
	is_int(fn(&A, b.p, b.n, &f), HTTP_PARSE_TOO_LONG, "%s: encoded name over the limit", what);
	free(b.p);
	b = (struct buf){0};
	buf_str(&b, "a=");
	buf_rep(&b, "%42", HTTP_MAX_VALUE_LEN);
	buf_str(&b, "+");
	f = (struct http_fields){0};
	arena_reset(&A);
	is_int(fn(&A, b.p, b.n, &f), HTTP_PARSE_TOO_LONG, "%s: encoded value over the limit", what);
	free(b.p);
}

static void
test_append(void)
{
	struct http_fields f = {0};
	arena_reset(&A);
	is_int(http_parse_urlencoded(&A, B("a=1&b=2"), &f), HTTP_PARSE_OK, "append: first call");
	is_int(http_parse_urlencoded(&A, B("c=3"), &f), HTTP_PARSE_OK, "append: second call");
	is_str(serialize(&f), "a=1|b=2|c=3", "append: fields accumulate");
	is_int(http_parse_urlencoded(&A, B("d=%41&e"), &f), HTTP_PARSE_OK, "append: third call");
	is_str(serialize(&f), "a=1|b=2|c=3|d=A|e=", "append: fields accumulate again");
	struct buf b = {0};
	buf_str(&b, "x=");
	buf_fill(&b, 'x', HTTP_MAX_VALUE_LEN + 1);
	is_int(http_parse_urlencoded(&A, b.p, b.n, &f), HTTP_PARSE_TOO_LONG, "append: error");
	is_int(f.n, 5, "append: earlier fields kept after an error");
	free(b.p);
	f = (struct http_fields){0};
	is_int(http_parse_urlencoded(&A, NULL, 0, &f), HTTP_PARSE_OK, "NULL, 0 is empty");
	is_int(http_parse_cookies(&A, NULL, 0, &f), HTTP_PARSE_OK, "cookies: NULL, 0 is empty");
	is_int(f.n, 0, "no fields from NULL input");
}

/* ---- url decode / encode ---- */

struct dec_case {
	const char *in;
	size_t      len;
	int         plus;
	const char *want;
	size_t      want_len;
};

static const struct dec_case decode_cases[] = {
    {B(""), 0, B("")},
    {B("abc"), 0, B("abc")},
    {B("a+b"), 0, B("a+b")},
    {B("a+b"), 1, B("a b")},
    {B("%20"), 0, B(" ")},
    {B("%2b"), 1, B("+")},
    {B("%"), 0, B("%")},
    {B("%%"), 0, B("%%")},
    {B("%%41"), 0, B("%A")},
    {B("%4"), 0, B("%4")},
    {B("%G1"), 0, B("%G1")},
    {B("%00"), 0, B("\0")},
    {B("a%00b%ff"), 0, B("a\0b\xff")},
    {B("/path%2Fx"), 0, B("/path/x")},
    {B("%C3%A9t%C3%A9"), 1, B("\xc3\xa9t\xc3\xa9")},
    {"%41", 2, 0, B("%4")},
    {"%41", 1, 0, B("%")},
};

struct enc_case {
	const char *in;
	const char *want;
};

static const struct enc_case encode_cases[] = {
    {"", ""},
    {"abcXYZ019-._~", "abcXYZ019-._~"},
    {" ", "%20"},
    {"a b", "a%20b"},
    {"a/b?c=d&e", "a%2Fb%3Fc%3Dd%26e"},
    {"+", "%2B"},
    {"%", "%25"},
    {"*'()!", "%2A%27%28%29%21"},
    {"\xc3\xa9", "%C3%A9"},
    {"\x01\x7f\xff", "%01%7F%FF"},
    {"/partners?q=1", "%2Fpartners%3Fq%3D1"},
};

static void
test_url_coding(void)
{
	for (size_t i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++) {
		const struct dec_case *c = &decode_cases[i];
		size_t n = 12345;
		arena_reset(&A);
		char *in = malloc(c->len ? c->len : 1);
		memcpy(in, c->in, c->len);
		char *d = http_url_decode(&A, in, c->len, c->plus, &n);
		ok(n == c->want_len && memcmp(d, c->want, n) == 0 && d[n] == '\0',
		   "decode case %zu (\"%.*s\", plus %d)", i, (int)c->len, c->in, c->plus);
		free(in);
	}
	ok(http_url_decode(&A, B("a%41"), 0, NULL) != NULL, "decode with NULL out_len");
	for (size_t i = 0; i < sizeof(encode_cases) / sizeof(encode_cases[0]); i++)
		is_str(http_url_encode(&A, encode_cases[i].in), encode_cases[i].want,
		       "encode case %zu", i);
	/* Round trips over every byte value and a few mixed strings. */
	char all[256];
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	const char *samples[] = {all, "", "a b+c", "100% sure & done", "\xe2\x82\xac/\\?#",
	                         "~user/._-"};
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		for (int plus = 0; plus <= 1; plus++) {
			char *e = http_url_encode(&A, samples[i]);
			size_t n;
			char *d = http_url_decode(&A, e, strlen(e), plus, &n);
			ok(n == strlen(samples[i]) && memcmp(d, samples[i], n) == 0 &&
			       strspn(e, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			                 "0123456789-._~%") == strlen(e),
			   "round trip %zu (plus %d)", i, plus);
		}
	}
}

/* ---- boundary ---- */

struct boundary_case {
	const char *ct;
	const char *want;
};

#define B70 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqr"

static const struct boundary_case boundary_cases[] = {
    {"multipart/form-data; boundary=abc", "abc"},
    {"multipart/form-data;boundary=abc", "abc"},
    {"Multipart/Form-Data; BOUNDARY=abc", "abc"},
    {"multipart/form-data ; boundary = abc", "abc"},
    {"multipart/form-data; boundary=abc ", "abc"},
    {"multipart/form-data; boundary=\"abc\"", "abc"},
    {"multipart/form-data; boundary=\"a b:c\"", "a b:c"},
    {"multipart/form-data; boundary=\"a\\bc\"", "abc"},
    {"multipart/form-data; boundary=\"abc\"; charset=utf-8", "abc"},
    {"multipart/form-data; boundary=abc;charset=utf-8", "abc"},
    {"multipart/form-data; charset=utf-8; boundary=abc", "abc"},
    {"multipart/form-data; charset=\"x; boundary=evil\"; boundary=good", "good"},
    {"multipart/form-data; boundary=abc; boundary=def", "abc"},
    {"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
     "----WebKitFormBoundary7MA4YWxkTrZu0gW"},
    {"multipart/form-data; boundary=---------------------------9051914041544843365972754266",
     "---------------------------9051914041544843365972754266"},
    {"multipart/form-data; boundary=\"'()+_,-./:=?\"", "'()+_,-./:=?"},
    {"multipart/form-data; boundary=" B70, B70},
    {"multipart/form-data; boundary=\"" B70 "\"", B70},
    {"multipart/form-data; boundary=1", "1"},
    {"multipart/form-data; boundary=" B70 "s", NULL},
    {"multipart/form-data; boundary=\"" B70 "s\"", NULL},
    {"multipart/form-data", NULL},
    {"multipart/form-data;", NULL},
    {"multipart/form-data; boundary", NULL},
    {"multipart/form-data; boundary=", NULL},
    {"multipart/form-data; boundary=;", NULL},
    {"multipart/form-data; boundary=\"\"", NULL},
    {"multipart/form-data; boundary=\"abc", NULL},
    {"multipart/form-data; boundary=\"abc \"", NULL},
    {"multipart/form-data; boundary=ab<c", NULL},
    {"multipart/form-data; boundary=\"ab\x01\"", NULL},
    {"multipart/form-data; boundary=\"a\\\"b\"", NULL},
    {"multipart/form-data; xboundary=abc", NULL},
    {"multipart/form-data; boundaryx=abc", NULL},
    {"multipart/form-dataX; boundary=abc", NULL},
    {"multipart/mixed; boundary=abc", NULL},
    {"text/plain; boundary=abc", NULL},
    {"application/x-www-form-urlencoded", NULL},
    {"multipart/form", NULL},
    {"", NULL},
    {NULL, NULL},
};

static void
test_boundary(void)
{
	for (size_t i = 0; i < sizeof(boundary_cases) / sizeof(boundary_cases[0]); i++) {
		arena_reset(&A);
		is_str(http_multipart_boundary(&A, boundary_cases[i].ct), boundary_cases[i].want,
		       "boundary of \"%s\"", boundary_cases[i].ct ? boundary_cases[i].ct : "(null)");
	}
}

/* ---- multipart ---- */

#define CD "Content-Disposition: form-data; "

struct mp_case {
	const char         *desc;
	const char         *body;
	size_t              len;
	enum http_parse_err err;
	const char         *want;   /* serialized fields when OK */
	size_t              nfiles; /* temp files listed in tmpfiles */
};

static const struct mp_case mp_cases[] = {
    {"two fields",
     B("--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ\r\n" CD
       "name=\"b\"\r\n\r\nhello world\r\n--XyZ--\r\n"),
     HTTP_PARSE_OK, "a=1|b=hello world", 0},
    {"no CRLF after the close delimiter", B("--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=1", 0},
    {"preamble and epilogue",
     B("This is a preamble --XyZ\r\n\r\n--XyZ\r\n" CD
       "name=\"a\"\r\n\r\n1\r\n--XyZ--\r\nepilogue\r\n--XyZ\r\njunk"),
     HTTP_PARSE_OK, "a=1", 0},
    {"leading CRLF", B("\r\n--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ--"), HTTP_PARSE_OK,
     "a=1", 0},
    {"transport padding", B("--XyZ \t\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ  \r\n" CD
                            "name=\"b\"\r\n\r\n2\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=1|b=2", 0},
    {"empty value", B("--XyZ\r\n" CD "name=\"a\"\r\n\r\n\r\n--XyZ--"), HTTP_PARSE_OK, "a=", 0},
    {"blank line shared with the delimiter", B("--XyZ\r\n" CD "name=\"a\"\r\n\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=", 0},
    {"value with CRLFs", B("--XyZ\r\n" CD "name=\"t\"\r\n\r\nline1\r\nline2\r\n\r\n\r\n--XyZ--"),
     HTTP_PARSE_OK, "t=line1\\r\\nline2\\r\\n\\r\\n", 0},
    {"value with NUL", B("--XyZ\r\n" CD "name=\"t\"\r\n\r\na\0b\r\n--XyZ--"), HTTP_PARSE_OK,
     "t=a\\0b", 0},
    {"boundary text inside a value", B("--XyZ\r\n" CD "name=\"t\"\r\n\r\na--XyZb\n--XyZ\r--XyZ\r\n--Xy\r\n--XyZ--"),
     HTTP_PARSE_OK, "t=a--XyZb\\n--XyZ\\r--XyZ\\r\\n--Xy", 0},
    {"unquoted and escaped names",
     B("--XyZ\r\n" CD "name=plain\r\n\r\n1\r\n--XyZ\r\n" CD
       "name=\"q\\\"uo\\\\te\"\r\n\r\n2\r\n--XyZ\r\n" CD "name=\"se;mi\"\r\n\r\n3\r\n--XyZ--"),
     HTTP_PARSE_OK, "plain=1|q\"uo\\\\te=2|se;mi=3", 0},
    {"case-insensitive header and parameters",
     B("--XyZ\r\ncontent-disposition: FORM-DATA; NAME=\"a\"\r\n\r\n1\r\n--XyZ\r\n"
       "CONTENT-DISPOSITION:form-data;name=b\r\n\r\n2\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=1|b=2", 0},
    {"name= inside a quoted filename",
     B("--XyZ\r\n" CD "filename=\"a; name=evil\"; name=\"real\"\r\n\r\nx\r\n--XyZ--"),
     HTTP_PARSE_OK, "real=@a; name=evil(application/octet-stream)[x]", 1},
    {"filename*= is ignored",
     B("--XyZ\r\n" CD "name=\"f\"; filename*=UTF-8''%C3%A9.txt\r\n\r\nx\r\n--XyZ--"),
     HTTP_PARSE_OK, "f=x", 0},
    {"filename and filename*",
     B("--XyZ\r\n" CD "name=\"f\"; filename*=UTF-8''e.txt; filename=\"e.txt\"\r\n\r\nx\r\n--XyZ--"),
     HTTP_PARSE_OK, "f=@e.txt(application/octet-stream)[x]", 1},
    {"file part with binary content",
     B("--XyZ\r\n" CD "name=\"up\"; filename=\"f.bin\"\r\nContent-Type: image/png\r\n\r\n"
       "\x89PNG\r\n\x1a\n\0\0\0\r\n\r\n--Xy\r\n-\0\xff\r\n--XyZ--\r\n"),
     HTTP_PARSE_OK, "up=@f.bin(image/png)[\x89PNG\\r\\n\x1a\\n\\0\\0\\0\\r\\n\\r\\n--Xy\\r\\n-\\0\xff]",
     1},
    {"file part and fields",
     B("--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ\r\n" CD
       "name=\"doc\"; filename=\"C:\\\\x\\\\r.txt\"\r\nContent-Type:  text/plain \r\n\r\n"
       "line\r\n--XyZ\r\n" CD "name=\"b\"\r\n\r\n2\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=1|doc=@C:\\\\x\\\\r.txt(text/plain)[line]|b=2", 1},
    {"empty file with empty filename",
     B("--XyZ\r\n" CD "name=\"f\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n"
       "\r\n--XyZ--"),
     HTTP_PARSE_OK, "f=@(application/octet-stream)[]", 1},
    {"folded header",
     B("--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\";\r\n\tfilename=\"z\"\r\n\r\n"
       "1\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=@z(application/octet-stream)[1]", 1},
    {"other headers and a line without colon",
     B("--XyZ\r\nX-Foo: bar\r\ngarbage line\r\n" CD "name=\"a\"\r\nContent-Length: 1\r\n\r\n"
       "1\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=1", 0},
    {"first Content-Disposition wins",
     B("--XyZ\r\n" CD "name=\"a\"\r\n" CD "name=\"b\"\r\n\r\n1\r\n--XyZ--"), HTTP_PARSE_OK,
     "a=1", 0},
    {"parameters without values",
     B("--XyZ\r\n" CD "flag; x\"y;z\" ;name=\"a\" junk \"q;r\"; other=1\r\n\r\n1\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=1", 0},
    {"first name parameter wins", B("--XyZ\r\n" CD "name=\"a\"; name=\"b\"\r\n\r\n1\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=1", 0},
    {"parts without a name are skipped",
     B("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ\r\n"
       "Content-Disposition: attachment; name=\"att\"\r\n\r\nx\r\n--XyZ\r\n" CD
       "name=\"\"\r\n\r\nx\r\n--XyZ\r\n" CD "filename=\"nofield\"\r\n\r\nx\r\n--XyZ\r\n"
       "Content-Disposition: form-data\r\n\r\nx\r\n--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=1", 0},
    {"part without headers", B("--XyZ\r\n\r\nvalue\r\n--XyZ--"), HTTP_PARSE_OK, "", 0},
    {"empty part", B("--XyZ\r\n\r\n--XyZ--"), HTTP_PARSE_OK, "", 0},
    {"only the close delimiter", B("--XyZ--"), HTTP_PARSE_OK, "", 0},
    {"duplicate names kept", B("--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ\r\n" CD
                               "name=\"a\"\r\n\r\n2\r\n--XyZ--"),
     HTTP_PARSE_OK, "a=1|a=2", 0},
    {"UTF-8 name", B("--XyZ\r\n" CD "name=\"\xc3\xa9t\xc3\xa9\"\r\n\r\n\xe2\x82\xac\r\n--XyZ--"),
     HTTP_PARSE_OK, "\xc3\xa9t\xc3\xa9=\xe2\x82\xac", 0},
    /* Malformed bodies. */
    {"empty body", B(""), HTTP_PARSE_MALFORMED, "", 0},
    {"no boundary at all", B("a=1&b=2"), HTTP_PARSE_MALFORMED, "", 0},
    {"other boundary", B("--Other\r\n" CD "name=\"a\"\r\n\r\n1\r\n--Other--"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"missing final boundary", B("--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n"), HTTP_PARSE_MALFORMED,
     "", 0},
    {"missing close after a delimiter", B("--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"half a close delimiter", B("--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ-"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"missing final boundary after a file",
     B("--XyZ\r\n" CD "name=\"f\"; filename=\"a\"\r\n\r\ndata\r\n"), HTTP_PARSE_MALFORMED, "",
     0},
    {"garbage after a delimiter", B("--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZX\r\n--XyZ--"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"garbage after the first delimiter", B("--XyZ garbage\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ--"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"LF line endings", B("--XyZ\n" CD "name=\"a\"\n\n1\n--XyZ--\n"), HTTP_PARSE_MALFORMED, "",
     0},
    {"headers not ended by a blank line", B("--XyZ\r\n" CD "name=\"a\"\r\n--XyZ--"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"headers run into the next part",
     B("--XyZ\r\n" CD "name=\"a\"\r\n--XyZ\r\n" CD "name=\"b\"\r\n\r\n2\r\n--XyZ--"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"unterminated quoted name", B("--XyZ\r\n" CD "name=\"a\r\n\r\n1\r\n--XyZ--"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"unterminated quoted filename",
     B("--XyZ\r\n" CD "name=\"a\"; filename=\"x\r\n\r\n1\r\n--XyZ--"), HTTP_PARSE_MALFORMED, "",
     0},
    {"NUL in a name", B("--XyZ\r\n" CD "name=\"a\0b\"\r\n\r\n1\r\n--XyZ--"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"NUL in a filename", B("--XyZ\r\n" CD "name=\"a\"; filename=\"x\0.txt\"\r\n\r\n1\r\n--XyZ--"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"backslash ending a quoted name", B("--XyZ\r\n" CD "name=\"a\\\r\n\r\n1\r\n--XyZ--"),
     HTTP_PARSE_MALFORMED, "", 0},
    {"valid part then malformed part",
     B("--XyZ\r\n" CD "name=\"f\"; filename=\"a\"\r\n\r\ndata\r\n--XyZ\r\n" CD
       "name=\"b\"\r\n\r\n2\r\n--XyZ"),
     HTTP_PARSE_MALFORMED, "", 0},
};

static void
check_mode(const struct http_fields *tmpfiles, const char *desc)
{
	for (size_t i = 0; i < tmpfiles->n; i++) {
		struct stat st;
		const char *p = tmpfiles->v[i].path;
		size_t tl = strlen(tmpdir);
		ok(p && strncmp(p, tmpdir, tl) == 0 && strncmp(p + tl, "/upload-", 8) == 0 &&
		       strlen(p + tl + 8) == 6 && stat(p, &st) == 0 && (st.st_mode & 0777) == 0600,
		   "%s: temp file %zu is %s/upload-XXXXXX, mode 0600", desc, i, tmpdir);
	}
}

static void
test_multipart_cases(void)
{
	for (size_t i = 0; i < sizeof(mp_cases) / sizeof(mp_cases[0]); i++) {
		const struct mp_case *c = &mp_cases[i];
		struct http_fields f = {0}, t = {0};
		arena_reset(&A);
		char *body = malloc(c->len ? c->len : 1);
		memcpy(body, c->body, c->len);
		enum http_parse_err e = http_parse_multipart(&A, body, c->len, "XyZ", tmpdir, &f, &t);
		is_int(e, c->err, "multipart %s: %s", c->desc, http_parse_strerror(c->err));
		is_str(serialize(&f), c->want, "multipart %s: fields", c->desc);
		is_int(t.n, c->nfiles, "multipart %s: temp files listed", c->desc);
		is_int(tmpdir_count(), c->nfiles, "multipart %s: temp files on disk", c->desc);
		check_mode(&t, c->desc);
		unlink_all(&t);
		free(body);
	}
}

/* Body of n text parts named p0..p(n-1). */
static void
build_parts(struct buf *b, int n, int files)
{
	for (int i = 0; i < n; i++) {
		char part[160];
		snprintf(part, sizeof(part), "--XyZ\r\n" CD "name=\"p%d\"%s\r\n\r\nv%d\r\n", i,
		         files ? "; filename=\"f.txt\"" : "", i);
		buf_str(b, part);
	}
	buf_str(b, "--XyZ--\r\n");
}

static enum http_parse_err
mp(struct buf *b, struct http_fields *f, struct http_fields *t)
{
	*f = (struct http_fields){0};
	arena_reset(&A);
	return http_parse_multipart(&A, b->p, b->n, "XyZ", tmpdir, f, t);
}

static void
test_multipart_limits(void)
{
	struct http_fields f, t = {0};
	struct buf b;

	for (int extra = 0; extra <= 1; extra++) {
		b = (struct buf){0};
		build_parts(&b, HTTP_MAX_FIELDS + extra, 0);
		is_int(mp(&b, &f, &t), extra ? HTTP_PARSE_TOO_MANY : HTTP_PARSE_OK,
		       "multipart: %d fields", HTTP_MAX_FIELDS + extra);
		is_int(f.n, extra ? 0 : HTTP_MAX_FIELDS, "multipart: field count");
		if (!extra) {
			const struct http_field *x = http_fields_get(&f, "p255");
			is_str(x ? x->value : NULL, "v255", "multipart: last of 256 fields");
		}
		free(b.p);
	}
	b = (struct buf){0};
	buf_rep(&b, "--XyZ\r\n\r\n", HTTP_MAX_FIELDS + 1);
	buf_str(&b, "--XyZ--");
	is_int(mp(&b, &f, &t), HTTP_PARSE_TOO_MANY, "multipart: too many unnamed parts");
	free(b.p);

	for (int extra = 0; extra <= 1; extra++) {
		b = (struct buf){0};
		build_parts(&b, HTTP_MAX_FILES + extra, 1);
		is_int(mp(&b, &f, &t), extra ? HTTP_PARSE_TOO_MANY : HTTP_PARSE_OK,
		       "multipart: %d files", HTTP_MAX_FILES + extra);
		is_int(t.n, extra ? 0 : HTTP_MAX_FILES, "multipart: temp files for %d files",
		       HTTP_MAX_FILES + extra);
		is_int(tmpdir_count(), t.n, "multipart: temp files on disk");
		if (!extra) {
			const struct http_field *x = http_fields_get(&f, "p3");
			size_t n = 0;
			char *data = x && x->path ? read_file(x->path, &n) : NULL;
			ok(data && n == 2 && memcmp(data, "v3", 2) == 0 && x->size == 2 &&
			       strcmp(x->value, "") == 0 && x->value_len == 0,
			   "multipart: content of the fourth file");
			free(data);
		}
		unlink_all(&t);
		free(b.p);
	}

	for (int extra = 0; extra <= 1; extra++) {
		b = (struct buf){0};
		buf_str(&b, "--XyZ\r\n" CD "name=\"");
		buf_fill(&b, 'n', HTTP_MAX_NAME_LEN + extra);
		buf_str(&b, "\"\r\n\r\nv\r\n--XyZ--");
		is_int(mp(&b, &f, &t), extra ? HTTP_PARSE_TOO_LONG : HTTP_PARSE_OK,
		       "multipart: name of %d bytes", HTTP_MAX_NAME_LEN + extra);
		free(b.p);
	}

	for (int extra = 0; extra <= 1; extra++) {
		b = (struct buf){0};
		buf_str(&b, "--XyZ\r\n" CD "name=\"v\"\r\n\r\n");
		buf_fill(&b, 'x', HTTP_MAX_VALUE_LEN + extra);
		buf_str(&b, "\r\n--XyZ--");
		is_int(mp(&b, &f, &t), extra ? HTTP_PARSE_TOO_LONG : HTTP_PARSE_OK,
		       "multipart: value of %d bytes", HTTP_MAX_VALUE_LEN + extra);
		ok(extra || (f.n == 1 && f.v[0].value_len == HTTP_MAX_VALUE_LEN),
		   "multipart: value length");
		free(b.p);
	}

	for (int extra = 0; extra <= 1; extra++) {
		b = (struct buf){0};
		buf_str(&b, "--XyZ\r\n" CD "name=\"f\"; filename=\"big\"\r\n\r\n");
		buf_fill(&b, '\0', HTTP_MAX_FILE_SIZE + extra);
		buf_str(&b, "\r\n--XyZ--");
		is_int(mp(&b, &f, &t), extra ? HTTP_PARSE_FILE_TOO_BIG : HTTP_PARSE_OK,
		       "multipart: file of %d bytes", HTTP_MAX_FILE_SIZE + extra);
		struct stat st;
		ok(extra ? t.n == 0 && tmpdir_count() == 0
		         : t.n == 1 && stat(t.v[0].path, &st) == 0 && st.st_size == HTTP_MAX_FILE_SIZE,
		   "multipart: temp file for a file of %d bytes", HTTP_MAX_FILE_SIZE + extra);
		unlink_all(&t);
		free(b.p);
	}

	/* Header block (lines and the CRLFs between them) of exactly 8192 bytes. */
	for (int extra = 0; extra <= 1; extra++) {
		b = (struct buf){0};
		const char *cd = CD "name=\"a\"\r\nX-Pad: ";
		buf_str(&b, "--XyZ\r\n");
		buf_str(&b, cd);
		buf_fill(&b, 'p', 8192 - strlen(cd) + extra);
		buf_str(&b, "\r\n\r\nv\r\n--XyZ--");
		is_int(mp(&b, &f, &t), extra ? HTTP_PARSE_TOO_LONG : HTTP_PARSE_OK,
		       "multipart: headers of %d bytes", 8192 + extra);
		free(b.p);
	}
	b = (struct buf){0};
	buf_str(&b, "--XyZ\r\n" CD);
	buf_rep(&b, "x=\"\"; ", 1300);
	buf_str(&b, "name=\"a\"\r\n\r\nv\r\n--XyZ--");
	is_int(mp(&b, &f, &t), HTTP_PARSE_OK, "multipart: many parameters");
	is_str(serialize(&f), "a=v", "multipart: many parameters, fields");
	free(b.p);
	b = (struct buf){0};
	buf_str(&b, "--XyZ\r\n" CD "name=\"a\"\r\n");
	buf_rep(&b, "X-Pad: 0123456789\r\n", 1000);
	buf_str(&b, "\r\nv\r\n--XyZ--");
	is_int(mp(&b, &f, &t), HTTP_PARSE_TOO_LONG, "multipart: many header lines");
	free(b.p);
	b = (struct buf){0};
	buf_str(&b, "--XyZ\r\n" CD "name=\"a\"\r\n");
	buf_fill(&b, 'x', 20000);
	buf_str(&b, "\r\n--XyZ--");
	is_int(mp(&b, &f, &t), HTTP_PARSE_TOO_LONG, "multipart: headers never ended");
	free(b.p);
}

static void
test_multipart_misc(void)
{
	struct http_fields f = {0}, t = {0};
	static const char body[] = "--XyZ\r\n" CD "name=\"a\"\r\n\r\n1\r\n--XyZ--";
	arena_reset(&A);
	is_int(http_parse_multipart(&A, B(body), NULL, tmpdir, &f, &t), HTTP_PARSE_MALFORMED,
	       "multipart: NULL boundary");
	is_int(http_parse_multipart(&A, B(body), "", tmpdir, &f, &t), HTTP_PARSE_MALFORMED,
	       "multipart: empty boundary");
	is_int(http_parse_multipart(&A, NULL, 0, "XyZ", tmpdir, &f, &t), HTTP_PARSE_MALFORMED,
	       "multipart: NULL body");
	/* Only len bytes count: the close delimiter lies beyond. */
	is_int(http_parse_multipart(&A, body, sizeof(body) - 3, "XyZ", tmpdir, &f, &t),
	       HTTP_PARSE_MALFORMED, "multipart: truncated by len");
	is_int(f.n, 0, "multipart: no fields after errors");

	/* Text part Content-Type is kept; absent one is NULL. */
	static const char ctb[] = "--XyZ\r\n" CD "name=\"a\"\r\nContent-Type: text/plain; "
	                          "charset=utf-8\r\n\r\n1\r\n--XyZ\r\n" CD "name=\"b\"\r\n\r\n2\r\n--XyZ--";
	f = (struct http_fields){0};
	is_int(http_parse_multipart(&A, B(ctb), "XyZ", tmpdir, &f, &t), HTTP_PARSE_OK,
	       "multipart: text parts with Content-Type");
	const struct http_field *x = http_fields_get(&f, "a");
	is_str(x ? x->content_type : NULL, "text/plain; charset=utf-8", "multipart: text content type");
	ok(x && x->filename == NULL && x->path == NULL, "multipart: text part is not a file");
	x = http_fields_get(&f, "b");
	ok(x && x->content_type == NULL, "multipart: no content type");

	/* Boundary with spaces and specials, from http_multipart_boundary. */
	const char *bd = http_multipart_boundary(&A, "multipart/form-data; boundary=\"a b'(+)\"");
	static const char sb[] = "--a b'(+)\r\n" CD "name=\"a\"\r\n\r\n1\r\n--a b'(+)--";
	f = (struct http_fields){0};
	is_int(bd ? (int)http_parse_multipart(&A, B(sb), bd, tmpdir, &f, &t) : -1, HTTP_PARSE_OK,
	       "multipart: boundary with spaces");
	is_str(serialize(&f), "a=1", "multipart: boundary with spaces, fields");

	/* Appending: existing fields and temp files are kept. */
	static const char fb[] = "--XyZ\r\n" CD "name=\"f\"; filename=\"x\"\r\n\r\nabc\r\n--XyZ--";
	f = (struct http_fields){0};
	t = (struct http_fields){0};
	http_parse_urlencoded(&A, B("q=1"), &f);
	is_int(http_parse_multipart(&A, B(fb), "XyZ", tmpdir, &f, &t), HTTP_PARSE_OK,
	       "multipart: first file");
	is_int(http_parse_multipart(&A, B(fb), "XyZ", tmpdir, &f, &t), HTTP_PARSE_OK,
	       "multipart: second file");
	ok(f.n == 3 && t.n == 2 && strcmp(t.v[0].path, t.v[1].path) != 0 &&
	       strcmp(f.v[1].path, t.v[0].path) == 0 && strcmp(f.v[2].path, t.v[1].path) == 0,
	   "multipart: fields and temp files accumulate");
	unlink_all(&t);

	/* Temp directory missing: I/O error, nothing kept. */
	f = (struct http_fields){0};
	is_int(http_parse_multipart(&A, B(fb), "XyZ", "/nonexistent/dir", &f, &t), HTTP_PARSE_IO,
	       "multipart: missing temp dir");
	ok(f.n == 0 && t.n == 0, "multipart: nothing listed after mkstemp failure");
	is_int(http_parse_multipart(&A, B(body), "XyZ", NULL, &f, &t), HTTP_PARSE_OK,
	       "multipart: no tmpdir needed without files");

	/* A write failure on the second file: both files stay listed. */
	static const char two[] = "--XyZ\r\n" CD "name=\"a\"; filename=\"a\"\r\n\r\nsmall\r\n--XyZ\r\n" CD
	                          "name=\"b\"; filename=\"b\"\r\n\r\n";
	struct buf b = {0};
	buf_add(&b, two, sizeof(two) - 1);
	buf_fill(&b, 'z', 100000);
	buf_str(&b, "\r\n--XyZ--");
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 50000;
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &lim);
	f = (struct http_fields){0};
	enum http_parse_err e = http_parse_multipart(&A, b.p, b.n, "XyZ", tmpdir, &f, &t);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);
	is_int(e, HTTP_PARSE_IO, "multipart: write failure");
	is_int(t.n, 2, "multipart: files created so far are listed");
	is_int(tmpdir_count(), 2, "multipart: and they exist");
	is_int(f.n, 0, "multipart: no fields after a write failure");
	unlink_all(&t);
	is_int(tmpdir_count(), 0, "multipart: temp dir clean");
	free(b.p);
}

static void
test_fields_get(void)
{
	struct http_fields f = {0};
	arena_reset(&A);
	http_parse_urlencoded(&A, B("a=1&b=2&a=3&A=4&c"), &f);
	const struct http_field *x = http_fields_get(&f, "a");
	is_str(x ? x->value : NULL, "1", "fields_get: first of duplicates");
	x = http_fields_get(&f, "A");
	is_str(x ? x->value : NULL, "4", "fields_get: case-sensitive");
	x = http_fields_get(&f, "c");
	ok(x && x->value_len == 0 && strcmp(x->value, "") == 0, "fields_get: empty value");
	ok(http_fields_get(&f, "d") == NULL, "fields_get: missing name");
	ok(http_fields_get(&f, "") == NULL, "fields_get: empty name");
	struct http_fields empty = {0};
	ok(http_fields_get(&empty, "a") == NULL, "fields_get: empty list");
	ok(http_fields_get(NULL, "a") == NULL, "fields_get: NULL list");
}

static void
test_strerror(void)
{
	static const enum http_parse_err all[] = {
	    HTTP_PARSE_OK,      HTTP_PARSE_MALFORMED,     HTTP_PARSE_TOO_MANY,
	    HTTP_PARSE_TOO_LONG, HTTP_PARSE_FILE_TOO_BIG, HTTP_PARSE_IO,
	};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *s = http_parse_strerror(all[i]);
		ok(s && *s, "strerror(%d) = \"%s\"", (int)all[i], s ? s : "(null)");
		for (size_t j = 0; j < i; j++)
			if (strcmp(s, http_parse_strerror(all[j])) == 0)
				ok(0, "strerror(%d) is distinct", (int)all[i]);
	}
	ok(http_parse_strerror(HTTP_PARSE_ERR__MAX) != NULL, "strerror of an unknown code");
	ok(http_parse_strerror((enum http_parse_err)-1) != NULL, "strerror of a negative code");
}

/* The TSV reader of the imports and the reference data (core/tsv.h). */
static void
test_tsv(void)
{
	static const char text[] = "\xEF\xBB\xBF# a comment\r\n\nid\tname\r\n1\tone\n# two\n2\ttwo\tand more\n3";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct tsv_reader t;
	tsv_init(&t, f);
	char *s = tsv_next(&t);
	ok(s && strcmp(s, "id\tname") == 0 && t.header && t.line_no == 3,
	   "tsv: comments, a byte order mark and blank lines before the header are skipped; it is line 3");
	s = tsv_next(&t);
	ok(s && strcmp(s, "1\tone") == 0 && !t.header && t.line_no == 4, "tsv: a data line, its line end removed");
	char *cols[2];
	is_int(tsv_split(s, cols, 2), 2, "tsv: two columns");
	ok(strcmp(cols[0], "1") == 0 && strcmp(cols[1], "one") == 0, "tsv: split in place");
	s = tsv_next(&t);
	ok(s && t.line_no == 6, "tsv: a comment line counts in the numbers");
	is_int(tsv_split(s, cols, 2), 3, "tsv: more columns than asked: max + 1");
	s = tsv_next(&t);
	ok(s && strcmp(s, "3") == 0 && t.line_no == 7, "tsv: a last line without its line end");
	ok(tsv_next(&t) == NULL, "tsv: the end");
	char empty[] = "";
	is_int(tsv_split(empty, cols, 2), 1, "tsv: an empty line is one empty column");
	tsv_free(&t);
	fclose(f);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	arena_init(&A, 0);
	run_kv_cases("urlencoded", http_parse_urlencoded, urlencoded_cases,
	             sizeof(urlencoded_cases) / sizeof(urlencoded_cases[0]));
	test_kv_limits("urlencoded", http_parse_urlencoded, "&", 1);
	run_kv_cases("cookies", http_parse_cookies, cookie_cases,
	             sizeof(cookie_cases) / sizeof(cookie_cases[0]));
	test_kv_limits("cookies", http_parse_cookies, "; ", 0);
	test_append();
	test_url_coding();
	test_boundary();
	test_multipart_cases();
	test_multipart_limits();
	test_multipart_misc();
	test_fields_get();
	test_strerror();
	test_tsv();
	arena_free(&A);
	rmdir(tmpdir);
	return done_testing();
}
