/* Postal addresses as people of each country write them (DOMAIN §2, the
 * addresses shown on every page and in the audit log). Pure: the caller
 * gives the fields and a buffer; the country's name is added by the page. */
#ifndef PD_DOMAIN_ADDRESS_H
#define PD_DOMAIN_ADDRESS_H
#include <stdbool.h>
#include <stddef.h>

struct postal_address {
	const char *line1, *line2, *city, *region, *postal_code;
	const char *country; /* ISO 3166-1 alpha-2, upper case */
};

/* The layouts we know; every other country gets ADDRESS_OTHER. */
enum address_style {
	ADDRESS_OTHER,     /* street, postcode city, region */
	ADDRESS_US,        /* street, city, ST 12345 (USPS Publication 28) */
	ADDRESS_CA,        /* street, city, PR A1A 1A1 (Canada Post guidelines) */
	ADDRESS_GB,        /* street, post town, county, postcode (Royal Mail PAF) */
	ADDRESS_FR,        /* street, 75013 city (La Poste, NF Z10-011) */
	ADDRESS_DE,        /* street, 10115 city (Deutsche Post) */
	ADDRESS_JP,        /* Latin: street, city, prefecture postcode (Japan Post) */
	ADDRESS_JP_NATIVE, /* Japanese script: 〒postcode prefecture city street */
	ADDRESS_STYLE__MAX
};
/* The layout of a country; JP is native when the address holds Japanese
 * (non-ASCII) text in the street, city or prefecture. */
enum address_style address_style_of(const struct postal_address *a);

/* Writes the address (without the country) into out, lines joined by sep
 * (", " for one line, "\n" for a block; the native Japanese form is one
 * line joined by spaces whatever sep is). Empty fields are skipped.
 * Returns the length it needed (as snprintf: truncated when >= cap). */
size_t address_format(const struct postal_address *a, const char *sep, char *out, size_t cap);
#endif
