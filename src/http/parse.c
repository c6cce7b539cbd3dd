/* Wire parsers: URL coding, urlencoded bodies and query strings, cookies
 * (multipart/form-data is in multipart.c).
 * Inputs are (pointer, length) and never assumed NUL-terminated.
 * Every parser appends to *out; on error *out is put back as it was
 * (its n), so callers that ignore the result see no partial data. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem, mkostemp */
#endif
#include "http/parse.h"
#include "http/parse_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>


int
http_is_wsp(char c)
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

int
http_eq_nocase(const char *s, size_t n, const char *lit)
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

enum http_parse_err
http_fields_add(struct arena *a, struct http_fields *out, struct http_field **slot)
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
		enum http_parse_err e = http_fields_add(a, out, &f);
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
		while (start < end && http_is_wsp(s[start]))
			start++;
		while (end > start && http_is_wsp(s[end - 1]))
			end--;
		const char *eq = memchr(s + start, '=', end - start);
		if (eq == NULL)
			continue;
		size_t ns = start, ne = (size_t)(eq - s);
		while (ne > ns && http_is_wsp(s[ne - 1]))
			ne--;
		if (ne == ns)
			continue;
		size_t vs = (size_t)(eq - s) + 1, ve = end;
		while (vs < ve && http_is_wsp(s[vs]))
			vs++;
		if (ve - vs >= 2 && s[vs] == '"' && s[ve - 1] == '"') {
			vs++;
			ve--;
		}
		if (ne - ns > HTTP_MAX_NAME_LEN || ve - vs > HTTP_MAX_VALUE_LEN)
			return HTTP_PARSE_TOO_LONG;
		struct http_field *f;
		enum http_parse_err e = http_fields_add(a, out, &f);
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
