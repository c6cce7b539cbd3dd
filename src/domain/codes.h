/* The stable codes of an enum (stored in SQL, shown in data-*): one table
 * of strings indexed by the enum, and its two lookups. */
#ifndef PD_DOMAIN_CODES_H
#define PD_DOMAIN_CODES_H
#include <string.h>

/* Index of s in codes[0..n), or -1 (NULL s included). */
static inline int
codes_parse(const char *const *codes, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (codes[i] && strcmp(s, codes[i]) == 0)
			return i;
	return -1;
}

/* Defines NAME_code(type) → the code ("" out of range) and NAME_parse(s) → the enum or -1. */
#define DOMAIN_CODES(name, type, max, table)                                   \
	const char *name##_code(type v)                                        \
	{                                                                      \
		return (unsigned)v < (unsigned)(max) ? (table)[v] : "";        \
	}                                                                      \
	int name##_parse(const char *s)                                        \
	{                                                                      \
		return codes_parse((table), (max), s);                         \
	}
#endif
