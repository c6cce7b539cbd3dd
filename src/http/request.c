#include "http/request.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *
field_value(const struct http_fields *f, const char *name)
{
	const struct http_field *x = http_fields_get(f, name);
	return x && x->path == NULL ? x->value : NULL;
}

const char *
req_param(const struct req *r, const char *name)
{
	return field_value(&r->query, name);
}

const char *
req_form(const struct req *r, const char *name)
{
	return field_value(&r->form, name);
}

size_t
req_form_all(const struct req *r, const char *name, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->form.n && n < max; i++)
		if (strcmp(r->form.v[i].name, name) == 0 && r->form.v[i].value)
			out[n++] = r->form.v[i].value;
	return n;
}

bool
http_addr_listed(const char *list, const char *addr)
{
	if (list == NULL || addr == NULL || *addr == '\0')
		return false;
	size_t len = strlen(addr);
	const char *p = list;
	while (*p) {
		p += strspn(p, ", \t");
		size_t n = strcspn(p, ", \t");
		if (n == len && strncmp(p, addr, n) == 0)
			return true;
		p += n;
	}
	return false;
}

const char *
http_client_addr(struct arena *a, const char *remote, const char *forwarded_for,
                 const char *trusted)
{
	if (remote == NULL || forwarded_for == NULL || !http_addr_listed(trusted, remote))
		return remote;
	const char *proxy = remote;
	size_t end = strlen(forwarded_for);
	while (end > 0) {
		size_t start = end;
		while (start > 0 && forwarded_for[start - 1] != ',')
			start--;
		size_t b = start, e = end;
		while (b < e && (forwarded_for[b] == ' ' || forwarded_for[b] == '\t'))
			b++;
		while (e > b && (forwarded_for[e - 1] == ' ' || forwarded_for[e - 1] == '\t'))
			e--;
		size_t n = e - b;
		/* An IPv4 or IPv6 address: hex digits, dots and colons only. */
		if (n == 0 || n > 45 || strspn(forwarded_for + b, "0123456789abcdefABCDEF.:") < n)
			return proxy;
		const char *addr = arena_strndup(a, forwarded_for + b, n);
		if (!http_addr_listed(trusted, addr))
			return addr;
		proxy = addr;
		end = start > 0 ? start - 1 : 0;
	}
	return proxy;
}

bool
url_is_https(const char *url)
{
	return url != NULL && strncasecmp(url, "https://", 8) == 0;
}

struct cookie_attrs
cookie_attrs_for(const char *base_url, bool proxy_https)
{
	bool site = url_is_https(base_url);
	return (struct cookie_attrs){.secure = site || proxy_https, .host_prefix = site};
}

const char *
cookie_header(struct arena *a, struct cookie_attrs c, const char *name, const char *value,
              long max_age)
{
	char extra[64] = "";
	if (max_age >= 0)
		snprintf(extra, sizeof(extra), "; Max-Age=%ld", max_age);
	return arena_printf(a, "%s%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
	                    c.host_prefix ? COOKIE_HOST_PREFIX : "", name, value, extra,
	                    c.secure || c.host_prefix ? "; Secure" : "");
}

const char *
req_cookie(const struct req *r, const char *name)
{
	if (!r->cookie.host_prefix)
		return field_value(&r->cookies, name);
	char full[128];
	snprintf(full, sizeof(full), "%s%s", COOKIE_HOST_PREFIX, name);
	return field_value(&r->cookies, full);
}

static bool
header_safe(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	if (!header_safe(name) || !header_safe(value))
		return;
	sbuf_adds(r->headers, name);
	sbuf_adds(r->headers, ": ");
	sbuf_adds(r->headers, value);
	sbuf_adds(r->headers, "\r\n");
}

void
resp_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	resp_header(r, "Set-Cookie", cookie_header(r->a, r->cookie, name, value, max_age));
}

int
resp_redirect(struct req *r, const char *location)
{
	/* Only local paths: never an open redirect. */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	resp_header(r, "Location", location);
	r->status = 303;
	return 303;
}

int
resp_text(struct req *r, int status, const char *text)
{
	r->status = status;
	r->content_type_out = "text/plain; charset=utf-8";
	sbuf_reset(r->body);
	sbuf_adds(r->body, text);
	return status;
}

const char *
http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}
