#include "core/secret.h"

#include <sodium.h>
#include <string.h>

/* OWASP password storage cheat sheet: Argon2id m=19 MiB, t=2, p=1. */
#define ARGON2_OPSLIMIT 2
#define ARGON2_MEMLIMIT (19u * 1024u * 1024u)

_Static_assert(PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "password hash buffer size");
/* Base64 lengths without padding: 24 bytes → 32 characters, 16 → 22. */
#define PRE_TOKEN_RAW_CHARS 32
#define PRE_TOKEN_MAC_CHARS 22
#define PRE_TOKEN_CHARS     (PRE_TOKEN_RAW_CHARS + PRE_TOKEN_MAC_CHARS)
_Static_assert(PRE_TOKEN_RAW * 4 == PRE_TOKEN_RAW_CHARS * 3, "pre-session token: no padding");
_Static_assert(PRE_TOKEN_CHARS <= 64, "pre-session token is a well-formed token");
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

/* URL-safe base64 of the MAC of raw under key. */
static void
pre_token_mac(const unsigned char key[32], const unsigned char raw[PRE_TOKEN_RAW],
              char out[PRE_TOKEN_MAC_CHARS + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"pre|", 4);
	crypto_auth_hmacsha256_update(&st, raw, PRE_TOKEN_RAW);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, PRE_TOKEN_MAC_CHARS + 1, mac, PRE_TOKEN_MAC,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

const char *
pre_token_new(struct arena *a, const unsigned char key[32])
{
	unsigned char raw[PRE_TOKEN_RAW];
	char *t = arena_alloc(a, PRE_TOKEN_CHARS + 1);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(t, PRE_TOKEN_RAW_CHARS + 1, raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	pre_token_mac(key, raw, t + PRE_TOKEN_RAW_CHARS);
	return t;
}

bool
pre_token_valid(const unsigned char key[32], const char *t)
{
	unsigned char raw[PRE_TOKEN_RAW];
	char mac[PRE_TOKEN_MAC_CHARS + 1];
	size_t len = 0;
	const char *end = NULL;
	if (t == NULL || strlen(t) != PRE_TOKEN_CHARS ||
	    sodium_base642bin(raw, sizeof(raw), t, PRE_TOKEN_RAW_CHARS, NULL, &len, &end,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != sizeof(raw) || end != t + PRE_TOKEN_RAW_CHARS)
		return false;
	pre_token_mac(key, raw, mac);
	return sodium_memcmp(mac, t + PRE_TOKEN_RAW_CHARS, PRE_TOKEN_MAC_CHARS) == 0;
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
