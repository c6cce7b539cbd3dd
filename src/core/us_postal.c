#include "core/us_postal.h"

#include <ctype.h>
#include <string.h>

static const struct {
	const char *code, *name;
} states[] = {
    {"AL", "ALABAMA"},        {"AK", "ALASKA"},
    {"AZ", "ARIZONA"},        {"AR", "ARKANSAS"},
    {"CA", "CALIFORNIA"},     {"CO", "COLORADO"},
    {"CT", "CONNECTICUT"},    {"DE", "DELAWARE"},
    {"DC", "DISTRICT OF COLUMBIA"},
    {"FL", "FLORIDA"},        {"GA", "GEORGIA"},
    {"HI", "HAWAII"},         {"ID", "IDAHO"},
    {"IL", "ILLINOIS"},       {"IN", "INDIANA"},
    {"IA", "IOWA"},           {"KS", "KANSAS"},
    {"KY", "KENTUCKY"},       {"LA", "LOUISIANA"},
    {"ME", "MAINE"},          {"MD", "MARYLAND"},
    {"MA", "MASSACHUSETTS"},  {"MI", "MICHIGAN"},
    {"MN", "MINNESOTA"},      {"MS", "MISSISSIPPI"},
    {"MO", "MISSOURI"},       {"MT", "MONTANA"},
    {"NE", "NEBRASKA"},       {"NV", "NEVADA"},
    {"NH", "NEW HAMPSHIRE"},  {"NJ", "NEW JERSEY"},
    {"NM", "NEW MEXICO"},     {"NY", "NEW YORK"},
    {"NC", "NORTH CAROLINA"}, {"ND", "NORTH DAKOTA"},
    {"OH", "OHIO"},           {"OK", "OKLAHOMA"},
    {"OR", "OREGON"},         {"PA", "PENNSYLVANIA"},
    {"RI", "RHODE ISLAND"},   {"SC", "SOUTH CAROLINA"},
    {"SD", "SOUTH DAKOTA"},   {"TN", "TENNESSEE"},
    {"TX", "TEXAS"},          {"UT", "UTAH"},
    {"VT", "VERMONT"},        {"VA", "VIRGINIA"},
    {"WA", "WASHINGTON"},     {"WV", "WEST VIRGINIA"},
    {"WI", "WISCONSIN"},      {"WY", "WYOMING"},
    {"AS", "AMERICAN SAMOA"}, {"GU", "GUAM"},
    {"MP", "NORTHERN MARIANA ISLANDS"},
    {"PR", "PUERTO RICO"},    {"VI", "VIRGIN ISLANDS"},
    {"FM", "FEDERATED STATES OF MICRONESIA"},
    {"MH", "MARSHALL ISLANDS"},
    {"PW", "PALAU"},
    {"AA", "ARMED FORCES AMERICAS"},
    {"AE", "ARMED FORCES EUROPE"},
    {"AP", "ARMED FORCES PACIFIC"},
};
#define NSTATES (sizeof(states) / sizeof(*states))

bool
us_state_code_valid(const char *code)
{
	for (size_t i = 0; code && i < NSTATES; i++)
		if (strcmp(states[i].code, code) == 0)
			return true;
	return false;
}

const char *
us_state_code(const char *in)
{
	/* Upper case, dots dropped, runs of spaces as one, no outer spaces. */
	char key[40];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p; p++) {
		if (*p == '.')
			continue;
		if (isspace(*p)) {
			if (n && key[n - 1] != ' ' && n < sizeof(key) - 1)
				key[n++] = ' ';
			continue;
		}
		if (n >= sizeof(key) - 1)
			return NULL;
		key[n++] = (char)toupper(*p);
	}
	while (n && key[n - 1] == ' ')
		n--;
	key[n] = '\0';
	for (size_t i = 0; i < NSTATES; i++)
		if (strcmp(states[i].code, key) == 0 || strcmp(states[i].name, key) == 0)
			return states[i].code;
	return NULL;
}

/* The digits of p up to n of them; *end after them. */
static size_t
take_digits(const char *p, size_t max, char *out, const char **end)
{
	size_t n = 0;
	while (n < max && isdigit((unsigned char)p[n])) {
		out[n] = p[n];
		n++;
	}
	*end = p + n;
	return n;
}

static const char *
skip_spaces(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

bool
us_zip_split(const char *in, char zip5[6], char plus4[5])
{
	char d5[5], d4[4];
	const char *p = skip_spaces(in ? in : "");
	zip5[0] = plus4[0] = '\0';
	if (take_digits(p, 5, d5, &p) != 5)
		return false;
	const char *q = skip_spaces(p);
	bool dash = *q == '-';
	if (dash)
		p = skip_spaces(q + 1);
	size_t n4 = take_digits(p, 4, d4, &p);
	if ((n4 != 0 && n4 != 4) || (dash && n4 == 0) || *skip_spaces(p) != '\0')
		return false;
	memcpy(zip5, d5, 5);
	zip5[5] = '\0';
	if (n4 == 4) {
		memcpy(plus4, d4, 4);
		plus4[4] = '\0';
	}
	return true;
}
