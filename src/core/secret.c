#include "core/secret.h"

#include <sodium.h>
#include <string.h>

/* OWASP password storage cheat sheet: Argon2id m=19 MiB, t=2, p=1. */
#define ARGON2_OPSLIMIT 2
#define ARGON2_MEMLIMIT (19u * 1024u * 1024u)

_Static_assert(PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "password hash buffer size");
_Static_assert(TOKEN_HASH_BYTES == crypto_hash_sha256_BYTES, "token hash size");

const char *
b64url(struct arena *a, const unsigned char *bin, size_t len)
{
	size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, n);
	sodium_bin2base64(out, n, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

void
token_hash(const char *token, unsigned char hash[TOKEN_HASH_BYTES])
{
	crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
}

void
token_new(struct arena *a, const char **token, unsigned char hash[TOKEN_HASH_BYTES])
{
	unsigned char raw[TOKEN_RAW_BYTES];
	randombytes_buf(raw, sizeof(raw));
	*token = b64url(a, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	token_hash(*token, hash);
}

bool
token_well_formed(const char *t)
{
	size_t n = t ? strlen(t) : 0;
	if (n < 40 || n > 64)
		return false;
	for (; *t; t++)
		if (!((*t >= 'A' && *t <= 'Z') || (*t >= 'a' && *t <= 'z') ||
		      (*t >= '0' && *t <= '9') || *t == '-' || *t == '_'))
			return false;
	return true;
}

int
password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	return crypto_pwhash_str(out, password, strlen(password), ARGON2_OPSLIMIT, ARGON2_MEMLIMIT);
}

bool
password_verify(const char *hash, const char *password)
{
	static char dummy[crypto_pwhash_STRBYTES];
	if (hash == NULL || *hash == '\0') {
		/* Same work for unknown accounts, so timing reveals nothing. */
		if (dummy[0] == '\0' && password_hash("partnerdesk-dummy", dummy) != 0)
			return false;
		if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
			return false;
		return false;
	}
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
