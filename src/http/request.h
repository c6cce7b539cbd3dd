/* One HTTP request and its response, as seen by handlers. Everything hangs
 * off r->a (freed at the end of the request) except the reusable buffers. */
#ifndef PD_REQUEST_H
#define PD_REQUEST_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/i18n.h"
#include "core/sbuf.h"
#include "domain/roles.h"
#include "http/parse.h"

/* 12 MiB (CONTRACT §5): larger bodies get 413 without being read. */
#define HTTP_MAX_BODY (12u * 1024u * 1024u)
#define REQ_MAX_PARAMS 4

#define LANG_COOKIE "pd_lang" /* the language chosen with ?lang= */

/* How the site's cookies are set (pure: cookie_attrs_for). The __Host-
 * prefix needs Secure, Path=/ and no Domain, which every cookie here has. */
#define COOKIE_HOST_PREFIX "__Host-"
struct cookie_attrs {
	bool secure;      /* the Secure attribute */
	bool host_prefix; /* names carry the __Host- prefix */
};
/* Cookies of a site configured at base_url: Secure and the __Host- prefix
 * when base_url is https, whatever the proxy passes; Secure alone when only
 * the proxy says the request came over https (proxy_https). */
struct cookie_attrs cookie_attrs_for(const char *base_url, bool proxy_https);
/* True when url starts with https:// (any letter case). */
bool url_is_https(const char *url);
/* The value of a Set-Cookie header for name=value under c:
 * "[__Host-]name=value; Path=/; HttpOnly; SameSite=Lax[; Max-Age=N][; Secure]";
 * max_age < 0 means a session cookie, 0 deletes. Allocated in a. */
const char *cookie_header(struct arena *a, struct cookie_attrs c, const char *name,
                          const char *value, long max_age);

/* True when addr is one of the addresses of list (separated by commas or
 * spaces, compared as written). */
bool http_addr_listed(const char *list, const char *addr);
/* The client's address: remote (REMOTE_ADDR, the peer nginx saw), or, when
 * remote is one of the trusted proxies, the rightmost address of the
 * X-Forwarded-For list forwarded that is not a trusted proxy itself (each
 * proxy appends the address it saw; what a client sends is further left and
 * never believed). A malformed entry, or none left, gives the last proxy's
 * address. Allocated in a (or remote itself). */
const char *http_client_addr(struct arena *a, const char *remote, const char *forwarded_for,
                             const char *trusted);

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_METHOD_OTHER };

struct req {
	struct arena     *a;
	enum http_method  method;
	const char       *method_name;
	const char       *path;          /* decoded, without query */
	const char       *raw_path;      /* as sent (percent-encoded), without query */
	const char       *request_uri;
	struct http_fields query, form, cookies, tmpfiles;
	const char       *content_type;
	size_t            content_length;
	const char       *remote_addr;   /* the client's (http_client_addr) */
	const char       *accept_language;
	const char       *user_agent;
	bool              https;         /* the proxy says HTTPS=on */
	bool              https_site;    /* the configured base_url is https (HSTS) */
	struct cookie_attrs cookie;      /* how cookies are named and marked */
	const char       *params[REQ_MAX_PARAMS]; /* {…} captures of the route */
	enum lang         lang;
	const char       *pre_token;     /* anonymous (pre-)session token */
	const char       *session_token; /* signed-in session token */
	struct user      *user;          /* NULL when signed out */
	const char       *csrf;          /* token forms must send back */
	/* response */
	int               status;
	struct sbuf      *headers;       /* extra header lines, CRLF-terminated */
	struct sbuf      *body;
	const char       *content_type_out;
	const char       *cache_control; /* NULL: no-store */
};

const char *req_param(const struct req *r, const char *name);  /* query */
const char *req_form(const struct req *r, const char *name);   /* body field */
/* The cookie name (with the __Host- prefix when r->cookie says so). */
const char *req_cookie(const struct req *r, const char *name);
/* Every value of a repeated body field (checkboxes), at most max; returns the count. */
size_t req_form_all(const struct req *r, const char *name, const char **out, size_t max);

/* Adds a header line; name and value must not contain CR/LF (checked). */
void resp_header(struct req *r, const char *name, const char *value);
/* Set-Cookie of cookie_header under r->cookie. */
void resp_cookie(struct req *r, const char *name, const char *value, long max_age);
/* 303 See Other to a local path. Returns 303. */
int resp_redirect(struct req *r, const char *location);
/* Plain text body. Returns status. */
int resp_text(struct req *r, int status, const char *text);
const char *http_status_text(int status);
#endif
