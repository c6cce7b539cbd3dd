/* Wire parsers: urlencoded, cookies, multipart/form-data.
 * Inputs are (pointer, length) and never assumed NUL-terminated.
 * Every parser appends to *out; on error *out is put back as it was
 * (its n), so callers that ignore the result see no partial data. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem, mkostemp */
#endif
#include "http/parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MULTIPART_HEADER_MAX 8192 /* bytes of a part's header lines */
#define BOUNDARY_MAX         70   /* RFC 2046 §5.1.1 */

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ASCII case-insensitive comparison of s[0..n) with the C string lit. */
static int
eq_nocase(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n == l && strncasecmp(s, lit, l) == 0;
}

char *
http_url_decode(struct arena *a, const char *s, size_t len, int plus_is_space, size_t *out_len)
{
	char *out = arena_alloc(a, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%' && len - i > 2) {
			int h = hexval((unsigned char)s[i + 1]);
			int l = hexval((unsigned char)s[i + 2]);
			if (h >= 0 && l >= 0) {
				out[o++] = (char)(h * 16 + l);
				i += 2;
				continue;
			}
		}
		out[o++] = (plus_is_space && c == '+') ? ' ' : (char)c;
	}
	out[o] = '\0';
	if (out_len)
		*out_len = o;
	return out;
}

static int
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

char *
http_url_encode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (s == NULL)
		return arena_strdup(a, "");
	size_t n = strlen(s);
	char *out = arena_alloc(a, n * 3 + 1), *o = out;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (is_unreserved(c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/* Appends a zeroed field. The array's capacity is implied by n (8, then
 * powers of two), so *out must be empty or built by these functions. */
static enum http_parse_err
fields_add(struct arena *a, struct http_fields *out, struct http_field **slot)
{
	if (out->n >= HTTP_MAX_FIELDS)
		return HTTP_PARSE_TOO_MANY;
	if (out->n == 0 || (out->n >= 8 && (out->n & (out->n - 1)) == 0)) {
		size_t cap = out->n ? out->n * 2 : 8;
		struct http_field *v = arena_alloc(a, cap * sizeof(*v));
		if (out->n)
			memcpy(v, out->v, out->n * sizeof(*v));
		out->v = v;
	}
	*slot = &out->v[out->n++];
	memset(*slot, 0, sizeof(**slot));
	return HTTP_PARSE_OK;
}

static enum http_parse_err
urlencoded(struct arena *a, const char *s, size_t len, struct http_fields *out)
{
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && s[i] != '&')
			i++;
		size_t end = i++; /* i skips the '&' */
		if (end == start)
			continue;
		const char *eq = memchr(s + start, '=', end - start);
		size_t nlen = eq ? (size_t)(eq - (s + start)) : end - start;
		if (nlen == 0)
			continue;
		/* Three raw bytes decode to at least one: reject before copying. */
		if (nlen > 3 * (size_t)HTTP_MAX_NAME_LEN)
			return HTTP_PARSE_TOO_LONG;
		const char *vs = eq ? eq + 1 : s + end;
		size_t vlen = (size_t)(s + end - vs);
		if (vlen > 3 * (size_t)HTTP_MAX_VALUE_LEN)
			return HTTP_PARSE_TOO_LONG;
		size_t dn, dv;
		char *name = http_url_decode(a, s + start, nlen, 1, &dn);
		if (dn > HTTP_MAX_NAME_LEN)
			return HTTP_PARSE_TOO_LONG;
		char *value = http_url_decode(a, vs, vlen, 1, &dv);
		if (dv > HTTP_MAX_VALUE_LEN)
			return HTTP_PARSE_TOO_LONG;
		struct http_field *f;
		enum http_parse_err e = fields_add(a, out, &f);
		if (e != HTTP_PARSE_OK)
			return e;
		f->name = name;
		f->value = value;
		f->value_len = dv;
	}
	return HTTP_PARSE_OK;
}

enum http_parse_err
http_parse_urlencoded(struct arena *a, const char *s, size_t len, struct http_fields *out)
{
	size_t n0 = out->n;
	enum http_parse_err e = s ? urlencoded(a, s, len, out) : HTTP_PARSE_OK;
	if (e != HTTP_PARSE_OK)
		out->n = n0;
	return e;
}

static enum http_parse_err
cookies(struct arena *a, const char *s, size_t len, struct http_fields *out)
{
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && s[i] != ';')
			i++;
		size_t end = i++;
		while (start < end && is_wsp(s[start]))
			start++;
		while (end > start && is_wsp(s[end - 1]))
			end--;
		const char *eq = memchr(s + start, '=', end - start);
		if (eq == NULL)
			continue;
		size_t ns = start, ne = (size_t)(eq - s);
		while (ne > ns && is_wsp(s[ne - 1]))
			ne--;
		if (ne == ns)
			continue;
		size_t vs = (size_t)(eq - s) + 1, ve = end;
		while (vs < ve && is_wsp(s[vs]))
			vs++;
		if (ve - vs >= 2 && s[vs] == '"' && s[ve - 1] == '"') {
			vs++;
			ve--;
		}
		if (ne - ns > HTTP_MAX_NAME_LEN || ve - vs > HTTP_MAX_VALUE_LEN)
			return HTTP_PARSE_TOO_LONG;
		struct http_field *f;
		enum http_parse_err e = fields_add(a, out, &f);
		if (e != HTTP_PARSE_OK)
			return e;
		f->name = arena_strndup(a, s + ns, ne - ns);
		f->value = arena_strndup(a, s + vs, ve - vs);
		f->value_len = ve - vs;
	}
	return HTTP_PARSE_OK;
}

enum http_parse_err
http_parse_cookies(struct arena *a, const char *s, size_t len, struct http_fields *out)
{
	size_t n0 = out->n;
	enum http_parse_err e = s ? cookies(a, s, len, out) : HTTP_PARSE_OK;
	if (e != HTTP_PARSE_OK)
		out->n = n0;
	return e;
}

/* RFC 2046 bchars. */
static int
is_bchar(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c != 0 && strchr("'()+_,-./:=? ", c) != NULL);
}

/* Scans a quoted-string starting at s[*i] == '"' (backslash escapes any
 * byte) or a token ended by ';', SP, HT or the end, moving *i past it.
 * When out is not NULL the unescaped value is copied into the arena.
 * Returns -1 for an unterminated quoted-string. */
static int
param_value(struct arena *a, const char *s, size_t len, size_t *i, char **out, size_t *out_len)
{
	size_t j = *i, st, n = 0;
	if (j < len && s[j] == '"') {
		st = ++j;
		for (;; j++, n++) {
			if (j >= len)
				return -1;
			if (s[j] == '"')
				break;
			if (s[j] == '\\' && j + 1 < len)
				j++;
		}
		*i = j + 1;
		if (out) {
			char *d = arena_alloc(a, n + 1);
			for (size_t k = st, o = 0; o < n; k++) {
				if (s[k] == '\\')
					k++;
				d[o++] = s[k];
			}
			*out = d;
		}
	} else {
		st = j;
		while (j < len && s[j] != ';' && !is_wsp(s[j]))
			j++;
		n = j - st;
		*i = j;
		if (out)
			*out = arena_strndup(a, s + st, n);
	}
	if (out_len)
		*out_len = n;
	return 0;
}

/* A parameter to look for; the first occurrence wins. */
struct param_want {
	const char *name;
	char       *val;
	size_t      len;
};

/* Walks the "; name=value" parameters of a header value from s[i],
 * filling w[]. Returns -1 on an unterminated quoted-string. */
static int
parse_params(struct arena *a, const char *s, size_t len, size_t i, struct param_want *w, size_t nw)
{
	while (i < len) {
		while (i < len && (s[i] == ';' || is_wsp(s[i])))
			i++;
		if (i >= len)
			break;
		size_t ns = i;
		while (i < len && s[i] != '=' && s[i] != ';' && !is_wsp(s[i]))
			i++;
		size_t ne = i;
		while (i < len && is_wsp(s[i]))
			i++;
		if (i < len && s[i] == '=') {
			i++;
			while (i < len && is_wsp(s[i]))
				i++;
			struct param_want *hit = NULL;
			for (size_t k = 0; k < nw && hit == NULL; k++)
				if (w[k].val == NULL && eq_nocase(s + ns, ne - ns, w[k].name))
					hit = &w[k];
			if (param_value(a, s, len, &i, hit ? &hit->val : NULL,
			                hit ? &hit->len : NULL) != 0)
				return -1;
		}
		/* Anything else up to the next ';' is ignored (quotes respected). */
		while (i < len && s[i] != ';') {
			if (s[i] != '"')
				i++;
			else if (param_value(a, s, len, &i, NULL, NULL) != 0)
				return -1;
		}
	}
	return 0;
}

const char *
http_multipart_boundary(struct arena *a, const char *ct)
{
	if (ct == NULL)
		return NULL;
	size_t len = strlen(ct), i = 0;
	while (i < len && is_wsp(ct[i]))
		i++;
	if (len - i < 19 || strncasecmp(ct + i, "multipart/form-data", 19) != 0)
		return NULL;
	i += 19;
	if (i < len && ct[i] != ';' && !is_wsp(ct[i]))
		return NULL;
	struct param_want w = {"boundary", NULL, 0};
	if (parse_params(a, ct, len, i, &w, 1) != 0 || w.val == NULL)
		return NULL;
	if (w.len == 0 || w.len > BOUNDARY_MAX || w.val[w.len - 1] == ' ')
		return NULL;
	for (size_t k = 0; k < w.len; k++)
		if (!is_bchar((unsigned char)w.val[k]))
			return NULL;
	return w.val;
}

/* Copies a header value, dropping the CRLF of folded lines and trimming
 * surrounding whitespace. */
static char *
unfold(struct arena *a, const char *s, size_t len, size_t *out_len)
{
	char *out = arena_alloc(a, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			i++;
			continue;
		}
		out[o++] = s[i];
	}
	size_t st = 0;
	while (st < o && is_wsp(out[st]))
		st++;
	while (o > st && is_wsp(out[o - 1]))
		o--;
	if (st)
		memmove(out, out + st, o - st);
	o -= st;
	out[o] = '\0';
	*out_len = o;
	return out;
}

struct part_info {
	const char *name;     /* NULL: not a form-data part */
	size_t      name_len;
	const char *filename; /* NULL: not a file */
	const char *ctype;
};

/* Parses the header lines h[0..hlen) of one part (CRLF-separated, no
 * final CRLF). */
static enum http_parse_err
part_headers(struct arena *a, const char *h, size_t hlen, struct part_info *pi)
{
	int seen_cd = 0;
	size_t i = 0;
	while (i < hlen) {
		/* One logical line: continuation lines start with SP/HT. */
		size_t ls = i, le;
		for (;;) {
			const char *crlf = memmem(h + i, hlen - i, "\r\n", 2);
			le = crlf ? (size_t)(crlf - h) : hlen;
			if (le + 2 < hlen && is_wsp(h[le + 2])) {
				i = le + 2;
				continue;
			}
			break;
		}
		i = le < hlen ? le + 2 : hlen;
		const char *colon = memchr(h + ls, ':', le - ls);
		if (colon == NULL)
			continue; /* not a header line: ignored */
		size_t ne = (size_t)(colon - h);
		while (ne > ls && is_wsp(h[ne - 1]))
			ne--;
		size_t vs = (size_t)(colon - h) + 1;
		if (eq_nocase(h + ls, ne - ls, "Content-Disposition")) {
			if (seen_cd++)
				continue;
			size_t vl;
			char *v = unfold(a, h + vs, le - vs, &vl);
			size_t t = 0;
			while (t < vl && v[t] != ';' && !is_wsp(v[t]))
				t++;
			if (!eq_nocase(v, t, "form-data"))
				continue;
			struct param_want w[2] = {{"name", NULL, 0}, {"filename", NULL, 0}};
			if (parse_params(a, v, vl, t, w, 2) != 0)
				return HTTP_PARSE_MALFORMED;
			/* NUL would silently cut the C strings short. */
			if ((w[0].val && memchr(w[0].val, '\0', w[0].len)) ||
			    (w[1].val && memchr(w[1].val, '\0', w[1].len)))
				return HTTP_PARSE_MALFORMED;
			pi->name = w[0].val;
			pi->name_len = w[0].len;
			pi->filename = w[1].val;
		} else if (eq_nocase(h + ls, ne - ls, "Content-Type")) {
			if (pi->ctype == NULL) {
				size_t vl;
				pi->ctype = unfold(a, h + vs, le - vs, &vl);
			}
		}
	}
	return HTTP_PARSE_OK;
}

struct pending_file {
	size_t      idx; /* in out->v */
	const char *data;
	size_t      len;
};

static enum http_parse_err
write_temp(struct arena *a, const char *tmpdir, const char *data, size_t len, const char **path,
           struct http_fields *tmpfiles)
{
	if (tmpdir == NULL || *tmpdir == '\0')
		return HTTP_PARSE_IO;
	if (tmpfiles->n >= HTTP_MAX_FIELDS)
		return HTTP_PARSE_TOO_MANY;
	char *tpl = arena_printf(a, "%s/upload-XXXXXX", tmpdir);
	int fd = mkostemp(tpl, O_CLOEXEC); /* mode 0600 */
	if (fd < 0)
		return HTTP_PARSE_IO;
	struct http_field *tf;
	(void)fields_add(a, tmpfiles, &tf); /* room checked above */
	tf->name = "file";
	tf->value = "";
	tf->path = tpl;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return HTTP_PARSE_IO;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0)
		return HTTP_PARSE_IO;
	*path = tpl;
	return HTTP_PARSE_OK;
}

/* Pass 1 checks the whole body and collects the fields; file contents are
 * written in pass 2 only when the body is valid. */
static enum http_parse_err
multipart(struct arena *a, const char *body, size_t len, const char *boundary,
          const char *tmpdir, struct http_fields *out, struct http_fields *tmpfiles)
{
	size_t blen = boundary ? strlen(boundary) : 0;
	if (blen == 0 || blen > BOUNDARY_MAX || body == NULL || len < blen + 2)
		return HTTP_PARSE_MALFORMED;
	char *delim = arena_printf(a, "\r\n--%s", boundary);
	size_t dlen = blen + 4;
	const char *end = body + len, *p;
	/* The first delimiter may open the body without its CRLF; anything
	 * before it is preamble. */
	if (body[0] == '-' && body[1] == '-' && memcmp(body + 2, boundary, blen) == 0) {
		p = body + 2 + blen;
	} else {
		const char *f = memmem(body, len, delim, dlen);
		if (f == NULL)
			return HTTP_PARSE_MALFORMED;
		p = f + dlen;
	}
	struct pending_file files[HTTP_MAX_FILES];
	size_t nfiles = 0, nparts = 0;
	for (;;) {
		/* After a delimiter: "--" closes (epilogue ignored), else
		 * transport padding and CRLF. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break;
		while (p < end && is_wsp(*p))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return HTTP_PARSE_MALFORMED;
		p += 2;
		const char *next = memmem(p, (size_t)(end - p), delim, dlen);
		if (next == NULL)
			return HTTP_PARSE_MALFORMED;
		if (++nparts > HTTP_MAX_FIELDS)
			return HTTP_PARSE_TOO_MANY;
		const char *hend, *data;
		if (next == p) {
			hend = data = p; /* empty part */
		} else if (next - p >= 2 && p[0] == '\r' && p[1] == '\n') {
			hend = p; /* no headers */
			data = p + 2;
		} else {
			/* The blank line may end in the delimiter's own CRLF. */
			size_t win = (size_t)(next + 2 - p);
			int capped = win > MULTIPART_HEADER_MAX + 4;
			if (capped)
				win = MULTIPART_HEADER_MAX + 4;
			hend = memmem(p, win, "\r\n\r\n", 4);
			if (hend == NULL)
				return capped ? HTTP_PARSE_TOO_LONG : HTTP_PARSE_MALFORMED;
			data = hend + 4 <= next ? hend + 4 : next;
		}
		struct part_info pi = {0};
		enum http_parse_err e = part_headers(a, p, (size_t)(hend - p), &pi);
		if (e != HTTP_PARSE_OK)
			return e;
		size_t dl = (size_t)(next - data);
		p = next + dlen;
		if (pi.name == NULL || pi.name_len == 0)
			continue;
		if (pi.name_len > HTTP_MAX_NAME_LEN)
			return HTTP_PARSE_TOO_LONG;
		if (pi.filename) {
			if (nfiles >= HTTP_MAX_FILES)
				return HTTP_PARSE_TOO_MANY;
			if (dl > HTTP_MAX_FILE_SIZE)
				return HTTP_PARSE_FILE_TOO_BIG;
		} else if (dl > HTTP_MAX_VALUE_LEN) {
			return HTTP_PARSE_TOO_LONG;
		}
		struct http_field *f;
		e = fields_add(a, out, &f);
		if (e != HTTP_PARSE_OK)
			return e;
		f->name = pi.name;
		f->content_type = pi.ctype;
		if (pi.filename) {
			f->value = "";
			f->filename = pi.filename;
			f->size = dl;
			if (f->content_type == NULL)
				f->content_type = "application/octet-stream";
			files[nfiles++] = (struct pending_file){out->n - 1, data, dl};
		} else {
			f->value = arena_strndup(a, data, dl);
			f->value_len = dl;
		}
	}
	for (size_t k = 0; k < nfiles; k++) {
		const char *path = NULL;
		enum http_parse_err e =
		    write_temp(a, tmpdir, files[k].data, files[k].len, &path, tmpfiles);
		if (e != HTTP_PARSE_OK)
			return e;
		out->v[files[k].idx].path = path;
	}
	return HTTP_PARSE_OK;
}

enum http_parse_err
http_parse_multipart(struct arena *a, const char *body, size_t len, const char *boundary,
                     const char *tmpdir, struct http_fields *out, struct http_fields *tmpfiles)
{
	size_t n0 = out->n;
	enum http_parse_err e = multipart(a, body, len, boundary, tmpdir, out, tmpfiles);
	if (e != HTTP_PARSE_OK)
		out->n = n0;
	return e;
}

const struct http_field *
http_fields_get(const struct http_fields *f, const char *name)
{
	if (f == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].name && strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	return NULL;
}

const char *
http_parse_strerror(enum http_parse_err e)
{
	switch (e) {
	case HTTP_PARSE_OK:
		return "ok";
	case HTTP_PARSE_MALFORMED:
		return "malformed data";
	case HTTP_PARSE_TOO_MANY:
		return "too many fields or files";
	case HTTP_PARSE_TOO_LONG:
		return "field name or value too long";
	case HTTP_PARSE_FILE_TOO_BIG:
		return "uploaded file too big";
	case HTTP_PARSE_IO:
		return "temporary file could not be written";
	case HTTP_PARSE_ERR__MAX:
		break;
	}
	return "unknown error";
}
