/* Parsers for what arrives on the wire: query strings, urlencoded bodies,
 * multipart/form-data bodies and Cookie headers. Pure functions: no I/O
 * except multipart file parts, which are written to temporary files.
 * All results are allocated in the caller's arena. A parser that fails leaves
 * *out as it was (no partial fields); *out must start empty or come from these
 * functions. */
#ifndef PD_HTTP_PARSE_H
#define PD_HTTP_PARSE_H
#include <stddef.h>
#include "core/arena.h"

/* Limits (CONTRACT §5): a request never holds more than these. */
#define HTTP_MAX_FIELDS        256        /* fields per query/body/cookie header */
#define HTTP_MAX_NAME_LEN      128        /* bytes of a field name */
#define HTTP_MAX_VALUE_LEN     (64 * 1024) /* bytes of a non-file field value */
#define HTTP_MAX_FILE_SIZE     (10 * 1024 * 1024) /* bytes of one uploaded file */
#define HTTP_MAX_FILES         4

enum http_parse_err {
	HTTP_PARSE_OK = 0,
	HTTP_PARSE_MALFORMED,    /* syntax error: bad boundary, bad escapes are NOT this (lenient) */
	HTTP_PARSE_TOO_MANY,     /* more than HTTP_MAX_FIELDS / HTTP_MAX_FILES */
	HTTP_PARSE_TOO_LONG,     /* a name or value over its limit */
	HTTP_PARSE_FILE_TOO_BIG, /* an uploaded file over HTTP_MAX_FILE_SIZE */
	HTTP_PARSE_IO,           /* temp file could not be written */
	HTTP_PARSE_ERR__MAX
};

/* One name/value pair. Values are NUL-terminated and may contain NULs
 * (value_len is authoritative). For a multipart file part: filename is the
 * client's file name (may be ""), path the temp file holding its bytes,
 * size its length, content_type the declared (untrusted) type; value is "". */
struct http_field {
	const char *name;
	const char *value;
	size_t      value_len;
	const char *filename;      /* NULL when not a file part */
	const char *path;          /* temp file path, NULL when not a file part */
	size_t      size;
	const char *content_type;
};

struct http_fields {
	struct http_field *v;
	size_t             n;
};

/* application/x-www-form-urlencoded and query strings: '&'-separated
 * (';' not a separator), '+' is space, %XX decoded, invalid %-escapes
 * kept literally, empty names skipped. */
enum http_parse_err http_parse_urlencoded(struct arena *a, const char *s, size_t len,
                                          struct http_fields *out);

/* Cookie header (RFC 6265 §5.2 lenient): "a=b; c=d"; names and values
 * trimmed of spaces, surrounding double quotes removed from values,
 * no percent-decoding. Pairs without '=' are skipped. */
enum http_parse_err http_parse_cookies(struct arena *a, const char *s, size_t len,
                                       struct http_fields *out);

/* Extracts the boundary parameter from a Content-Type header value
 * ("multipart/form-data; boundary=xyz", quoted or not). Returns NULL when
 * the type is not multipart/form-data or the boundary is missing/invalid
 * (RFC 2046: 1..70 chars). */
const char *http_multipart_boundary(struct arena *a, const char *content_type);

/* multipart/form-data body. File parts (a Content-Disposition with a
 * filename parameter) are written to new files created with mkstemp in
 * tmpdir; their paths are returned in the fields and also appended to
 * *tmpfiles (so the caller can unlink them at the end of the request even
 * on error). Header lines of a part are limited to 8 KiB in total. */
enum http_parse_err http_parse_multipart(struct arena *a, const char *body, size_t len,
                                         const char *boundary, const char *tmpdir,
                                         struct http_fields *out,
                                         struct http_fields *tmpfiles);

/* First field called name, or NULL. */
const struct http_field *http_fields_get(const struct http_fields *f, const char *name);

/* Percent-decodes in place semantics of urlencoded into a new arena string
 * ('+' to space when plus_is_space). *out_len receives the length. */
char *http_url_decode(struct arena *a, const char *s, size_t len, int plus_is_space,
                      size_t *out_len);

/* Percent-encodes for a URL query value (unreserved chars kept). */
char *http_url_encode(struct arena *a, const char *s);

const char *http_parse_strerror(enum http_parse_err e);
#endif
