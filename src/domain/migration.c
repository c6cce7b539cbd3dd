#include "domain/migration.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "domain/leads.h"
#include "domain/profile_content.h"

/* Days from civil (H. Hinnant's algorithm), proleptic Gregorian. */
static long
days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool
migration_day_parse(const char *s, long *day)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	long m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return false;
	*day = days_from_civil(y, m, d);
	return true;
}

long
migration_day_of(long long unix_seconds)
{
	return lead_day_of(unix_seconds);
}

char *
migration_day_format(long day, char out[11])
{
	long z = day + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	int yy = (int)((y + (m <= 2)) % 10000 + 10000) % 10000; /* four digits */
	snprintf(out, 11, "%04d-%02d-%02d", yy, (int)m, (int)d);
	return out;
}

bool
migration_window_make(const char *ga_date, long days, struct migration_window *w)
{
	long ga;
	if (!migration_day_parse(ga_date, &ga) || days < 0)
		return false;
	*w = (struct migration_window){ga, days};
	return true;
}

enum migration_phase
migration_phase(const struct migration_window *w, long today)
{
	if (today < w->ga)
		return MIGRATION_NOT_YET;
	return today < w->ga + w->days ? MIGRATION_OPEN : MIGRATION_CLOSED;
}

long
migration_days_left(const struct migration_window *w, long today)
{
	switch (migration_phase(w, today)) {
	case MIGRATION_NOT_YET:
		return w->days;
	case MIGRATION_OPEN:
		return w->ga + w->days - today;
	default:
		return 0;
	}
}

enum migration_refusal
migration_check(const struct migration_window *w, long today, const struct migration_facts *f)
{
	if (!f->legacy)
		return MIGRATION_REFUSE_NOT_LEGACY;
	if (f->migrated)
		return MIGRATION_REFUSE_MIGRATED;
	if (f->linked)
		return MIGRATION_REFUSE_LINKED;
	switch (migration_phase(w, today)) {
	case MIGRATION_NOT_YET:
		return MIGRATION_REFUSE_NOT_YET;
	case MIGRATION_CLOSED:
		return MIGRATION_REFUSE_CLOSED;
	default:
		return MIGRATION_OK;
	}
}

bool
migration_link_due(const struct migration_window *w, long today, const struct migration_facts *f)
{
	return f->legacy && !f->migrated && !f->linked &&
	       migration_phase(w, today) == MIGRATION_CLOSED;
}

static const struct {
	const char *code, *message;
} refusals[] = {
    [MIGRATION_OK] = {"ok", ""},
    [MIGRATION_REFUSE_NOT_LEGACY] = {"not_legacy",
                                     N_("This profile was created under a managing partner ID: there is nothing to migrate.")},
    [MIGRATION_REFUSE_MIGRATED] = {"migrated", N_("This profile has already been migrated.")},
    [MIGRATION_REFUSE_LINKED] = {"linked",
                                 N_("The migration window has closed and this profile is now linked to your global partner ID (PGA): it can no longer be migrated.")},
    [MIGRATION_REFUSE_NOT_YET] = {"not_yet", N_("The migration of legacy profiles has not opened yet.")},
    [MIGRATION_REFUSE_CLOSED] = {"closed",
                                 N_("The migration window has closed: legacy profiles can no longer be migrated.")},
};

const char *
migration_refusal_code(enum migration_refusal r)
{
	return r < MIGRATION_REFUSAL__MAX ? refusals[r].code : "";
}

const char *
migration_refusal_message(enum migration_refusal r)
{
	return r < MIGRATION_REFUSAL__MAX ? refusals[r].message : "";
}

enum legacy_line_error
legacy_line_parse(char *line, struct legacy_line *l, long *day)
{
	char *f[6];
	size_t n = 0;
	for (char *p = line;; p++) {
		if (n == 6)
			return LEGACY_LINE_FIELDS;
		f[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			break;
		*p = '\0';
	}
	if (n != 6)
		return LEGACY_LINE_FIELDS;
	*l = (struct legacy_line){f[0], f[1], f[2], f[3], f[4], f[5]};
	if (!*l->domain || !*l->name || !*l->country || !*l->created_on)
		return LEGACY_LINE_EMPTY_FIELD;
	if (profile_name_check(l->name) != CONTENT_OK)
		return LEGACY_LINE_NAME;
	enum content_refusal d = profile_description_check(l->description);
	if (d == CONTENT_TOO_LONG || d == CONTENT_NOT_TEXT)
		return LEGACY_LINE_DESCRIPTION;
	if (*l->website && profile_website_check(l->website) != CONTENT_OK)
		return LEGACY_LINE_WEBSITE;
	long cutoff = 0;
	if (!migration_day_parse(l->created_on, day))
		return LEGACY_LINE_BAD_DATE;
	migration_day_parse(LEGACY_CUTOFF_DATE, &cutoff);
	return *day >= cutoff ? LEGACY_LINE_TOO_LATE : LEGACY_LINE_OK;
}

const char *
legacy_line_error_message(enum legacy_line_error e)
{
	switch (e) {
	case LEGACY_LINE_FIELDS:
		return "missing field: a line has 6 tab-separated fields (tenant_domain name description website country created_on)";
	case LEGACY_LINE_EMPTY_FIELD:
		return "missing field: tenant_domain, name, country and created_on are required";
	case LEGACY_LINE_NAME:
		return "bad name: plain text of at most 100 characters";
	case LEGACY_LINE_DESCRIPTION:
		return "bad description: text of at most 2,500 characters";
	case LEGACY_LINE_WEBSITE:
		return "bad website: empty or an http(s) URL";
	case LEGACY_LINE_BAD_DATE:
		return "bad date: created_on is a YYYY-MM-DD day";
	case LEGACY_LINE_TOO_LATE:
		return "date too late: a legacy profile was created before " LEGACY_CUTOFF_DATE;
	default:
		return "";
	}
}
