/* libFuzzer harness: the public directory's query parameters (country, q,
 * the three facets and page, one per line of the input) as
 * src/domain/directory.c reads them, the boolean-mode expression made of
 * the keywords, and the page bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/directory.h"

#define CHECK(c) ((c) ? (void)0 : __builtin_trap())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	const char *part[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
	char *p = buf;
	for (int i = 0; i < 6 && p; i++) {
		part[i] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}
	const char *facets[DIRECTORY_FACET__MAX] = {part[2], part[3], part[4]};
	struct directory_query dq;
	directory_query_parse(&dq, part[0], part[1], facets, part[5]);
	CHECK(dq.page >= 1);
	CHECK(strlen(dq.country) == 0 || (strlen(dq.country) == 2 && dq.country[0] >= 'A' &&
	                                   dq.country[0] <= 'Z' && dq.country[1] >= 'A' &&
	                                   dq.country[1] <= 'Z'));
	CHECK(strlen(dq.q) <= DIRECTORY_Q_MAX);
	for (int f = 0; f < DIRECTORY_FACET__MAX; f++)
		for (const char *c = dq.facet[f]; *c; c++)
			CHECK((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_');

	/* The expression: "+word*" items separated by one space, words of
	 * letters, digits and non-ASCII bytes only: no operator of the
	 * boolean mode can come from the input. */
	char expr[DIRECTORY_EXPR_MAX];
	size_t n = directory_keywords_expr(part[1], expr, sizeof(expr));
	CHECK(n <= DIRECTORY_TERMS_MAX && strlen(expr) < sizeof(expr));
	CHECK((n == 0) == (expr[0] == '\0'));
	size_t items = 0;
	for (const char *e = expr; *e;) {
		CHECK(*e == '+');
		e++;
		const char *w = e;
		for (; *e && *e != '*'; e++)
			CHECK((unsigned char)*e >= 0x80 || (*e >= 'a' && *e <= 'z') ||
			      (*e >= '0' && *e <= '9'));
		CHECK(*e == '*' && e > w);
		e++;
		items++;
		CHECK(*e == '\0' || (*e == ' ' && e[1] == '+'));
		if (*e == ' ')
			e++;
	}
	CHECK(items == n);
	char small[16];
	directory_keywords_expr(part[1], small, sizeof(small));
	CHECK(strlen(small) < sizeof(small));

	struct directory_page pg = directory_page_bounds((long long)dq.page * 7, dq.page);
	CHECK(pg.page >= 1 && pg.page <= pg.last && pg.last <= DIRECTORY_MAX_PAGES);
	CHECK(pg.offset == (pg.page - 1) * DIRECTORY_PAGE_SIZE);
	free(buf);
	return 0;
}
