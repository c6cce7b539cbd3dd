#include "domain/email_rules.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define EMAIL_MAX 254
#define LOCAL_MAX 64
#define DOMAIN_MAX 253
#define LABEL_MAX 63

char *
email_normalize(const char *in, char *buf, size_t len)
{
	while (isspace((unsigned char)*in))
		in++;
	size_t n = strlen(in);
	while (n && isspace((unsigned char)in[n - 1]))
		n--;
	if (n + 1 > len)
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)in[i]);
	buf[n] = '\0';
	return buf;
}

const char *
email_domain(const char *email)
{
	const char *at = strrchr(email, '@');
	return at ? at + 1 : NULL;
}

static bool
local_char(unsigned char c)
{
	return isalnum(c) || strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

bool
email_syntax_ok(const char *email)
{
	size_t len = strlen(email);
	const char *at = strchr(email, '@');
	if (len == 0 || len > EMAIL_MAX || at == NULL || strchr(at + 1, '@'))
		return false;
	size_t local_len = (size_t)(at - email);
	if (local_len == 0 || local_len > LOCAL_MAX || email[0] == '.' || at[-1] == '.')
		return false;
	for (const char *p = email; p < at; p++) {
		if (*p == '.') {
			if (p[1] == '.')
				return false;
		} else if (!local_char((unsigned char)*p)) {
			return false;
		}
	}
	const char *d = at + 1;
	size_t dlen = strlen(d);
	if (dlen == 0 || dlen > DOMAIN_MAX || strchr(d, '.') == NULL)
		return false;
	size_t label = 0;
	for (const char *p = d;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > LABEL_MAX || p[-1] == '-')
				return false;
			if (*p == '\0')
				break;
			label = 0;
			continue;
		}
		if (!(isalnum((unsigned char)*p) || *p == '-') || (label == 0 && *p == '-'))
			return false;
		label++;
	}
	/* The top-level label is not all digits. */
	const char *tld = strrchr(d, '.') + 1;
	for (const char *p = tld; *p; p++)
		if (!isdigit((unsigned char)*p))
			return true;
	return false;
}

bool
email_domain_matches(const char *domain, const char *pattern)
{
	size_t pl = strlen(pattern);
	if (pl >= 2 && strcmp(pattern + pl - 2, ".*") == 0) {
		size_t stem = pl - 1; /* "yahoo." */
		return strlen(domain) > stem && strncasecmp(domain, pattern, stem) == 0;
	}
	return strcasecmp(domain, pattern) == 0;
}

enum email_verdict
email_check_work(const char *email, const char *const *freemail, size_t nfreemail,
                 const char *const *roles, size_t nroles)
{
	if (!email_syntax_ok(email))
		return EMAIL_SYNTAX;
	const char *domain = email_domain(email);
	for (size_t i = 0; i < nfreemail; i++)
		if (email_domain_matches(domain, freemail[i]))
			return EMAIL_FREEMAIL;
	size_t local_len = (size_t)(domain - 1 - email);
	for (size_t i = 0; i < nroles; i++)
		if (strlen(roles[i]) == local_len && strncasecmp(email, roles[i], local_len) == 0)
			return EMAIL_ROLE;
	return EMAIL_OK;
}
