/* The partner agreement's text (DOMAIN §3.8): our own, one UTF-8 file per
 * version and language in [app] agreements (default www/agreements), named
 * partner-agreement-VERSION.LANG.txt. What a signer accepts is the exact
 * bytes of that file: its SHA-256 is stored with the acceptance. */
#ifndef PD_AGREEMENT_H
#define PD_AGREEMENT_H
#include <stddef.h>

#include "core/arena.h"
#include "core/i18n.h"

#define AGREEMENT_MAX_BYTES (256 * 1024)

struct agreement {
	const char *version;
	enum lang   lang;
	const char *text;      /* the file's bytes, NUL-terminated */
	size_t      len;
	char        sha256[65]; /* lower-case hex */
};

/* Reads the text of version in lang (in the arena). 0; -1 when the
 * version is not a valid name or has no text in that language (404), or
 * the file cannot be read or is not UTF-8 text (logged). */
int agreement_load(struct arena *a, const char *version, enum lang lang, struct agreement *out);
#endif
