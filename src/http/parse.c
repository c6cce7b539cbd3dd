#include "http/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MULTIPART_HEADER_MAX 8192

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

char *
http_url_decode(struct arena *a, const char *s, size_t len, int plus_is_space, size_t *out_len)
{
	char *out = arena_alloc(a, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			int h = i + 1 < len ? hexval((unsigned char)s[i + 1]) : -1;
			int l = i + 2 < len ? hexval((unsigned char)s[i + 2]) : -1;
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

char *
http_url_encode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = arena_alloc(a, n * 3 + 1), *o = out;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
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

static enum http_parse_err
fields_add(struct arena *a, struct http_fields *out, struct http_field **slot)
{
	if (out->n >= HTTP_MAX_FIELDS)
		return HTTP_PARSE_TOO_MANY;
	if (out->n == 0 || (out->n & (out->n - 1)) == 0) {
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

enum http_parse_err
http_parse_urlencoded(struct arena *a, const char *s, size_t len, struct http_fields *out)
{
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && s[i] != '&')
			i++;
		size_t end = i;
		i++; /* skip '&' */
		if (end == start)
			continue;
		const char *eq = memchr(s + start, '=', end - start);
		size_t nlen = eq ? (size_t)(eq - (s + start)) : end - start;
		if (nlen == 0)
			continue;
		if (nlen > HTTP_MAX_NAME_LEN * 3)
			return HTTP_PARSE_TOO_LONG;
		size_t dn, dv = 0;
		char *name = http_url_decode(a, s + start, nlen, 1, &dn);
		if (dn > HTTP_MAX_NAME_LEN)
			return HTTP_PARSE_TOO_LONG;
		const char *vs = eq ? eq + 1 : s + end;
		size_t vlen = eq ? (size_t)(s + end - vs) : 0;
		if (vlen > HTTP_MAX_VALUE_LEN * 3)
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
http_parse_cookies(struct arena *a, const char *s, size_t len, struct http_fields *out)
{
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && s[i] != ';')
			i++;
		size_t end = i++;
		while (start < end && (s[start] == ' ' || s[start] == '\t'))
			start++;
		while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
			end--;
		const char *eq = memchr(s + start, '=', end - start);
		if (eq == NULL)
			continue;
		size_t ns = start, ne = (size_t)(eq - s);
		while (ne > ns && (s[ne - 1] == ' ' || s[ne - 1] == '\t'))
			ne--;
		size_t vs = ne + 1;
		vs = (size_t)(eq - s) + 1;
		while (vs < end && (s[vs] == ' ' || s[vs] == '\t'))
			vs++;
		size_t ve = end;
		if (ve - vs >= 2 && s[vs] == '"' && s[ve - 1] == '"') {
			vs++;
			ve--;
		}
		if (ne == ns)
			continue;
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

const char *
http_multipart_boundary(struct arena *a, const char *ct)
{
	if (ct == NULL || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return NULL;
	const char *p = ct + 19;
	while (*p) {
		while (*p == ';' || *p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) == 0) {
			p += 9;
			const char *start, *end;
			if (*p == '"') {
				start = ++p;
				end = strchr(p, '"');
				if (end == NULL)
					return NULL;
			} else {
				start = p;
				end = p + strcspn(p, "; \t");
			}
			size_t n = (size_t)(end - start);
			if (n == 0 || n > 70)
				return NULL;
			return arena_strndup(a, start, n);
		}
		p += strcspn(p, ";");
	}
	return NULL;
}

/* Value of a parameter (name="..." or name=token) in a Content-Disposition. */
static const char *
disposition_param(struct arena *a, const char *h, size_t hlen, const char *param)
{
	size_t plen = strlen(param);
	for (size_t i = 0; i + plen + 1 < hlen; i++) {
		if ((i == 0 || h[i - 1] == ';' || h[i - 1] == ' ' || h[i - 1] == '\t') &&
		    strncasecmp(h + i, param, plen) == 0 && h[i + plen] == '=') {
			size_t j = i + plen + 1;
			char *out = arena_alloc(a, hlen - j + 1);
			size_t o = 0;
			if (j < hlen && h[j] == '"') {
				j++;
				while (j < hlen && h[j] != '"') {
					if (h[j] == '\\' && j + 1 < hlen)
						j++;
					out[o++] = h[j++];
				}
			} else {
				while (j < hlen && h[j] != ';' && h[j] != ' ' && h[j] != '\t')
					out[o++] = h[j++];
			}
			out[o] = '\0';
			return out;
		}
	}
	return NULL;
}

static enum http_parse_err
write_temp(struct arena *a, const char *tmpdir, const char *data, size_t len, const char **path,
           struct http_fields *tmpfiles)
{
	char *tpl = arena_printf(a, "%s/upload-XXXXXX", tmpdir);
	int fd = mkstemp(tpl);
	if (fd < 0)
		return HTTP_PARSE_IO;
	struct http_field *tf;
	if (fields_add(a, tmpfiles, &tf) != HTTP_PARSE_OK) {
		close(fd);
		unlink(tpl);
		return HTTP_PARSE_TOO_MANY;
	}
	tf->name = "file";
	tf->value = "";
	tf->path = tpl;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
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

enum http_parse_err
http_parse_multipart(struct arena *a, const char *body, size_t len, const char *boundary,
                     const char *tmpdir, struct http_fields *out, struct http_fields *tmpfiles)
{
	size_t blen = strlen(boundary);
	char *delim = arena_printf(a, "\r\n--%s", boundary); /* between parts */
	size_t dlen = blen + 4;
	/* The first boundary may start the body without a preceding CRLF. */
	const char *p;
	if (len >= blen + 2 && body[0] == '-' && body[1] == '-' && memcmp(body + 2, boundary, blen) == 0)
		p = body + 2 + blen;
	else {
		const char *f = memmem(body, len, delim, dlen);
		if (f == NULL)
			return HTTP_PARSE_MALFORMED;
		p = f + dlen;
	}
	const char *end = body + len;
	size_t nfiles = 0;
	for (;;) {
		/* After a boundary: "--" ends, else CRLF then headers. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return HTTP_PARSE_OK;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return HTTP_PARSE_MALFORMED;
		p += 2;
		const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		const char *hstart = p;
		if (hend == NULL) {
			/* A part with no headers at all starts with CRLF directly. */
			if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
				hend = p - 2;
			else
				return HTTP_PARSE_MALFORMED;
		}
		if (hend > hstart && (size_t)(hend - hstart) > MULTIPART_HEADER_MAX)
			return HTTP_PARSE_TOO_LONG;
		const char *name = NULL, *filename = NULL, *ctype = NULL;
		for (const char *l = hstart; l < hend;) {
			const char *le = memmem(l, (size_t)(hend - l), "\r\n", 2);
			if (le == NULL)
				le = hend;
			size_t ll = (size_t)(le - l);
			if (ll > 20 && strncasecmp(l, "Content-Disposition:", 20) == 0) {
				name = disposition_param(a, l + 20, ll - 20, "name");
				filename = disposition_param(a, l + 20, ll - 20, "filename");
			} else if (ll > 13 && strncasecmp(l, "Content-Type:", 13) == 0) {
				const char *v = l + 13;
				while (v < le && (*v == ' ' || *v == '\t'))
					v++;
				ctype = arena_strndup(a, v, (size_t)(le - v));
			}
			l = le + 2;
		}
		const char *data = hend + 4;
		if (data > end)
			return HTTP_PARSE_MALFORMED;
		const char *next = memmem(data, (size_t)(end - data), delim, dlen);
		if (next == NULL)
			return HTTP_PARSE_MALFORMED;
		size_t dlen_part = (size_t)(next - data);
		if (name && *name) {
			if (strlen(name) > HTTP_MAX_NAME_LEN)
				return HTTP_PARSE_TOO_LONG;
			struct http_field *f;
			enum http_parse_err e = fields_add(a, out, &f);
			if (e != HTTP_PARSE_OK)
				return e;
			f->name = name;
			if (filename) {
				if (++nfiles > HTTP_MAX_FILES)
					return HTTP_PARSE_TOO_MANY;
				if (dlen_part > HTTP_MAX_FILE_SIZE)
					return HTTP_PARSE_FILE_TOO_BIG;
				f->value = "";
				f->filename = filename;
				f->size = dlen_part;
				f->content_type = ctype ? ctype : "application/octet-stream";
				e = write_temp(a, tmpdir, data, dlen_part, &f->path, tmpfiles);
				if (e != HTTP_PARSE_OK)
					return e;
			} else {
				if (dlen_part > HTTP_MAX_VALUE_LEN)
					return HTTP_PARSE_TOO_LONG;
				f->value = arena_strndup(a, data, dlen_part);
				f->value_len = dlen_part;
			}
		}
		p = next + dlen;
	}
}

const struct http_field *
http_fields_get(const struct http_fields *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	return NULL;
}

const char *
http_parse_strerror(enum http_parse_err e)
{
	static const char *msgs[HTTP_PARSE_ERR__MAX] = {
	    "ok", "malformed", "too many fields", "field too long", "file too big", "i/o error"};
	return (unsigned)e < HTTP_PARSE_ERR__MAX ? msgs[e] : "?";
}
