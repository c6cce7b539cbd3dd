#include "app/agreement.h"

#include <errno.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "domain/csp.h"

int
agreement_load(struct arena *a, const char *version, enum lang lang, struct agreement *out)
{
	memset(out, 0, sizeof(*out));
	if (!csp_agreement_version_ok(version))
		return -1;
	const char *dir = config_get(app.cfg, "app.agreements", "www/agreements");
	const char *path =
	    arena_printf(a, "%s/partner-agreement-%s.%s.txt", dir, version, lang_code(lang));
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		if (errno != ENOENT)
			log_err("%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = arena_alloc(a, AGREEMENT_MAX_BYTES + 1);
	size_t n = fread(buf, 1, AGREEMENT_MAX_BYTES + 1, f);
	bool bad = ferror(f) || n > AGREEMENT_MAX_BYTES || n == 0 || memchr(buf, '\0', n) != NULL;
	fclose(f);
	if (bad) {
		log_err("%s: empty, unreadable, binary or over %d bytes", path,
		          AGREEMENT_MAX_BYTES);
		return -1;
	}
	buf[n] = '\0';
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)buf, n);
	sodium_bin2hex(out->sha256, sizeof(out->sha256), h, sizeof(h));
	out->version = arena_strdup(a, version);
	out->lang = lang;
	out->text = buf;
	out->len = n;
	return 0;
}
