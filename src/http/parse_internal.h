/* What parse.c and multipart.c share; not for other files. */
#ifndef PD_HTTP_PARSE_INTERNAL_H
#define PD_HTTP_PARSE_INTERNAL_H
#include "http/parse.h"

/* Space or horizontal tab. */
int http_is_wsp(char c);
/* ASCII case-insensitive comparison of s[0..n) with the C string lit. */
int http_eq_nocase(const char *s, size_t n, const char *lit);
/* Appends a zeroed field. The array's capacity is implied by n (8, then
 * powers of two), so *out must be empty or built by these functions. */
enum http_parse_err http_fields_add(struct arena *a, struct http_fields *out,
                                    struct http_field **slot);
#endif
