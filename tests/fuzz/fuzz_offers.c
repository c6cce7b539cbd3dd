/* libFuzzer harness: a line of the offers file (`ctl offers import`) as
 * src/domain/eligibility.c parses it, a customer's tenant domain as the
 * customer form normalises it, and the market page's search. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/eligibility.h"

#define CHECK(c) ((c) ? (void)0 : __builtin_trap())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* The domain and the search: the input as it is. */
	char *out = malloc(size + 2);
	if (tenant_domain_normalize(buf, out, size + 2)) {
		size_t n = strlen(out);
		CHECK(n >= 3 && n <= TENANT_DOMAIN_MAX && n <= strlen(buf));
		for (const char *c = out; *c; c++)
			CHECK((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '.');
		char *again = malloc(n + 1);
		CHECK(tenant_domain_normalize(out, again, n + 1) && strcmp(again, out) == 0);
		CHECK(tenant_domain_within(out, out));
		free(again);
	}
	csp_market_match(buf, "US", buf);
	/* The offer line (parsed in place). */
	static struct offer_line l;
	enum offer_line_error e = offer_line_parse(buf, &l);
	CHECK((unsigned)e < OFFER_LINE_ERROR__MAX);
	if (e == OFFER_LINE_OK) {
		CHECK(offer_id_valid(l.offer_id) && *l.name);
		CHECK(l.all ? l.ncodes == 0 : l.ncodes >= 1 && l.ncodes <= OFFER_COUNTRIES_MAX);
		for (size_t i = 0; i < l.ncodes; i++) {
			CHECK(strlen(l.codes[i]) == 2 && l.codes[i][0] >= 'A' && l.codes[i][0] <= 'Z' &&
			      l.codes[i][1] >= 'A' && l.codes[i][1] <= 'Z');
			for (size_t k = 0; k < i; k++)
				CHECK(strcmp(l.codes[i], l.codes[k]) != 0);
		}
	}
	free(out);
	free(buf);
	return 0;
}
