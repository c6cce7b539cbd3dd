/* Sealed values for two-factor authentication: the TOTP secret at rest and
 * short-lived tokens (the enrolment form's secret, the pre-auth state
 * between password and code, the recovery codes shown once), all
 * libsodium secretbox (XSalsa20-Poly1305) under the server key 'totp_key'
 * of app_secrets. */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "core/totp.h"

const unsigned char *
tfa_seal_secret(struct arena *a, const unsigned char *secret, size_t len, size_t *outlen)
{
	unsigned char *out =
	    arena_alloc(a, crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len);
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, secret, len, out, app.seal_key);
	*outlen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	return out;
}

int
tfa_open_secret(const unsigned char *sealed, size_t len, unsigned char *out)
{
	if (sealed == NULL ||
	    len != crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TOTP_SECRET_BYTES)
		return -1;
	return crypto_secretbox_open_easy(out, sealed + crypto_secretbox_NONCEBYTES,
	                                  len - crypto_secretbox_NONCEBYTES, sealed, app.seal_key);
}

/* Plaintext of a sealed token: purpose (NUL-terminated), user id and expiry
 * (8 bytes each, big-endian), payload. */
#define SEALED_MAX 512

static void
put64(unsigned char *p, unsigned long long v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (56 - 8 * i));
}

static unsigned long long
get64(const unsigned char *p)
{
	unsigned long long v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

const char *
sealed_token(struct arena *a, const char *purpose, long long user_id, long seconds,
             const void *payload, size_t len)
{
	unsigned char plain[SEALED_MAX];
	size_t pl = strlen(purpose) + 1;
	if (pl + 16 + len > sizeof(plain))
		return NULL;
	memcpy(plain, purpose, pl);
	put64(plain + pl, (unsigned long long)user_id);
	put64(plain + pl + 8, (unsigned long long)(time(NULL) + seconds));
	memcpy(plain + pl + 16, payload, len);
	size_t n = pl + 16 + len;
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SEALED_MAX];
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, plain, n, box, app.seal_key);
	sodium_memzero(plain, sizeof(plain));
	return b64url(a, box, crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n);
}

long
sealed_token_open(const char *token, const char *purpose, long long *user_id, void *out,
                  size_t outlen)
{
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SEALED_MAX];
	unsigned char plain[SEALED_MAX];
	size_t blen = 0;
	if (token == NULL ||
	    sodium_base642bin(box, sizeof(box), token, strlen(token), NULL, &blen, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return -1;
	size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	if (crypto_secretbox_open_easy(plain, box + crypto_secretbox_NONCEBYTES,
	                               blen - crypto_secretbox_NONCEBYTES, box, app.seal_key) != 0)
		return -1;
	size_t pl = strlen(purpose) + 1;
	long rc = -1;
	if (n >= pl + 16 && memcmp(plain, purpose, pl) == 0 &&
	    get64(plain + pl + 8) >= (unsigned long long)time(NULL) && n - pl - 16 <= outlen) {
		*user_id = (long long)get64(plain + pl);
		memcpy(out, plain + pl + 16, n - pl - 16);
		rc = (long)(n - pl - 16);
	}
	sodium_memzero(plain, sizeof(plain));
	return rc;
}
