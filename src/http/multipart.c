/* multipart/form-data (RFC 7578): boundary, part headers, fields, and files
 * spooled to temporary files. Inputs are (pointer, length) and never
 * assumed NUL-terminated; on error *out is put back as it was. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem, mkostemp */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http/parse.h"
#include "http/parse_internal.h"

#define MULTIPART_HEADER_MAX 8192 /* bytes of a part's header lines */
#define BOUNDARY_MAX         70   /* RFC 2046 §5.1.1 */

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
		while (j < len && s[j] != ';' && !http_is_wsp(s[j]))
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
		while (i < len && (s[i] == ';' || http_is_wsp(s[i])))
			i++;
		if (i >= len)
			break;
		size_t ns = i;
		while (i < len && s[i] != '=' && s[i] != ';' && !http_is_wsp(s[i]))
			i++;
		size_t ne = i;
		while (i < len && http_is_wsp(s[i]))
			i++;
		if (i < len && s[i] == '=') {
			i++;
			while (i < len && http_is_wsp(s[i]))
				i++;
			struct param_want *hit = NULL;
			for (size_t k = 0; k < nw && hit == NULL; k++)
				if (w[k].val == NULL && http_eq_nocase(s + ns, ne - ns, w[k].name))
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
	while (i < len && http_is_wsp(ct[i]))
		i++;
	if (len - i < 19 || strncasecmp(ct + i, "multipart/form-data", 19) != 0)
		return NULL;
	i += 19;
	if (i < len && ct[i] != ';' && !http_is_wsp(ct[i]))
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
	while (st < o && http_is_wsp(out[st]))
		st++;
	while (o > st && http_is_wsp(out[o - 1]))
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
			if (le + 2 < hlen && http_is_wsp(h[le + 2])) {
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
		while (ne > ls && http_is_wsp(h[ne - 1]))
			ne--;
		size_t vs = (size_t)(colon - h) + 1;
		if (http_eq_nocase(h + ls, ne - ls, "Content-Disposition")) {
			if (seen_cd++)
				continue;
			size_t vl;
			char *v = unfold(a, h + vs, le - vs, &vl);
			size_t t = 0;
			while (t < vl && v[t] != ';' && !http_is_wsp(v[t]))
				t++;
			if (!http_eq_nocase(v, t, "form-data"))
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
		} else if (http_eq_nocase(h + ls, ne - ls, "Content-Type")) {
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
	(void)http_fields_add(a, tmpfiles, &tf); /* room checked above */
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
		while (p < end && http_is_wsp(*p))
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
		e = http_fields_add(a, out, &f);
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

