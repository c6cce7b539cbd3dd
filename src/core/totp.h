/* One-time passwords (RFC 4226 HOTP, RFC 6238 TOTP with HMAC-SHA-1) and
 * base32 (RFC 4648): pure functions, no I/O, no allocation.
 *
 * SHA-1 is implemented here (FIPS 180-4) because libsodium has none and the
 * authenticator apps only speak HMAC-SHA-1; tests/unit/test_domain.c checks
 * it with the FIPS and RFC 2202 vectors and TOTP with RFC 6238 appendix B. */
#ifndef PD_TOTP_H
#define PD_TOTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA1_BYTES     20
#define TOTP_SECRET_BYTES 20 /* 160 bits, RFC 4226 §4 recommends it */
#define TOTP_STEP_SECONDS 30 /* RFC 6238 §5.2 */
#define TOTP_DIGITS       6

void sha1(const unsigned char *msg, size_t len, unsigned char out[SHA1_BYTES]);
void hmac_sha1(const unsigned char *key, size_t keylen, const unsigned char *msg, size_t len,
               unsigned char out[SHA1_BYTES]);
/* RFC 4226 HOTP value of counter, modulo 10^digits (1 to 9). */
uint32_t hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits);
/* The TOTP time step of a Unix time (T0 = 0, X = 30 s). */
uint64_t totp_step(int64_t unix_time);

/* RFC 4648 base32 (upper case, with '=' padding when pad) of bin into out,
 * NUL-terminated; returns the length, or 0 when outlen is too small. */
size_t base32_encode(const unsigned char *bin, size_t len, bool pad, char *out, size_t outlen);
/* Decodes base32 (either case; spaces and trailing '=' ignored) into out.
 * Returns the number of bytes, or -1 on a bad character, a bad length or
 * when out is too small. */
long base32_decode(const char *s, unsigned char *out, size_t outlen);
#endif
