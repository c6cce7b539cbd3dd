/* libFuzzer harness: the PDF checker of uploads on any bytes (the verdict is
 * one of the enum; no crash, no leak, bounded time and memory). */
#include <stdint.h>
#include <stdlib.h>

#include "content/pdf.h"

#define CHECK(c) ((c) ? (void)0 : __builtin_trap())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	enum pdf_verdict v = pdf_check(data, size, &why);
	CHECK((unsigned)v < PDF__MAX && why != NULL);
	return 0;
}
