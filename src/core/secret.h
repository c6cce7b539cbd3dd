/* Passwords and random tokens (libsodium; sodium_init() must have run).
 *
 * Passwords are stored as Argon2id strings; tokens are 32 random bytes in
 * URL-safe base64 without padding, stored only as their SHA-256. */
#ifndef PD_SECRET_H
#define PD_SECRET_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

#define TOKEN_RAW_BYTES   32  /* 256 bits */
#define TOKEN_HASH_BYTES  32  /* SHA-256 */
#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */

/* URL-safe base64 of bin, without padding, allocated in a. */
const char *b64url(struct arena *a, const unsigned char *bin, size_t len);
/* A new random token (allocated in a) and its SHA-256. */
void token_new(struct arena *a, const char **token, unsigned char hash[TOKEN_HASH_BYTES]);
/* SHA-256 of a token, the form it is stored in. */
void token_hash(const char *token, unsigned char hash[TOKEN_HASH_BYTES]);
/* True when t (may be NULL) looks like a token of ours: 40 to 64 URL-safe
 * base64 characters. Checked before any lookup. */
bool token_well_formed(const char *t);

/* Pre-session tokens (the anonymous session of the CSRF token) are issued
 * by the server: PRE_TOKEN_RAW random bytes and the first PRE_TOKEN_MAC
 * bytes of their HMAC-SHA256 under the server's key, in URL-safe base64
 * (54 characters), so no value a client makes up is taken. */
#define PRE_TOKEN_RAW 24
#define PRE_TOKEN_MAC 16
/* A new pre-session token, allocated in a. */
const char *pre_token_new(struct arena *a, const unsigned char key[32]);
/* True when t (may be NULL) is a pre-session token issued under key. */
bool pre_token_valid(const unsigned char key[32], const char *t);

/* Argon2id hash of password into out. 0, or -1 when out of memory. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* True when password matches hash. A NULL or empty hash (unknown account,
 * invited user) costs the same work and is false. */
bool password_verify(const char *hash, const char *password);
#endif
