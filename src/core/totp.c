/* SHA-1, HMAC-SHA-1, HOTP/TOTP and base32 (see totp.h). */
#include "core/totp.h"

#include <string.h>

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static void
sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5A827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ED9EBA1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8F1BBCDC;
		} else {
			f = b ^ c ^ d;
			k = 0xCA62C1D6;
		}
		uint32_t t = ROL(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = ROL(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

/* SHA-1 of the concatenation of two parts (HMAC needs key block + message). */
static void
sha1_two(const unsigned char *p1, size_t l1, const unsigned char *p2, size_t l2,
         unsigned char out[SHA1_BYTES])
{
	uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
	unsigned char block[64];
	size_t fill = 0;
	uint64_t total = (uint64_t)l1 + l2;
	const unsigned char *parts[2] = {p1, p2};
	size_t lens[2] = {l1, l2};
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < lens[k]; i++) {
			block[fill++] = parts[k][i];
			if (fill == 64) {
				sha1_block(h, block);
				fill = 0;
			}
		}
	}
	block[fill++] = 0x80;
	if (fill > 56) {
		memset(block + fill, 0, 64 - fill);
		sha1_block(h, block);
		fill = 0;
	}
	memset(block + fill, 0, 56 - fill);
	uint64_t bits = total * 8;
	for (int i = 0; i < 8; i++)
		block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_block(h, block);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h[i] >> 8);
		out[4 * i + 3] = (unsigned char)h[i];
	}
}

void
sha1(const unsigned char *msg, size_t len, unsigned char out[SHA1_BYTES])
{
	sha1_two(msg, len, NULL, 0, out);
}

void
hmac_sha1(const unsigned char *key, size_t keylen, const unsigned char *msg, size_t len,
          unsigned char out[SHA1_BYTES])
{
	unsigned char k[64] = {0}, pad[64], inner[SHA1_BYTES];
	if (keylen > 64)
		sha1(key, keylen, k);
	else if (keylen)
		memcpy(k, key, keylen);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sha1_two(pad, 64, msg, len, inner);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sha1_two(pad, 64, inner, sizeof(inner), out);
}

uint32_t
hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits)
{
	unsigned char msg[8], mac[SHA1_BYTES];
	for (int i = 0; i < 8; i++)
		msg[i] = (unsigned char)(counter >> (56 - 8 * i));
	hmac_sha1(key, keylen, msg, sizeof(msg), mac);
	int off = mac[SHA1_BYTES - 1] & 0x0f; /* dynamic truncation, RFC 4226 §5.3 */
	uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	               (uint32_t)mac[off + 2] << 8 | mac[off + 3];
	uint32_t mod = 1;
	for (int i = 0; i < digits && i < 9; i++)
		mod *= 10;
	return bin % mod;
}

uint64_t
totp_step(int64_t unix_time)
{
	return unix_time < 0 ? 0 : (uint64_t)unix_time / TOTP_STEP_SECONDS;
}

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t
base32_encode(const unsigned char *bin, size_t len, bool pad, char *out, size_t outlen)
{
	size_t n = 0;
	uint32_t buf = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		buf = (buf << 8) | bin[i];
		bits += 8;
		while (bits >= 5) {
			if (n + 1 >= outlen)
				return 0;
			out[n++] = b32_alphabet[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) {
		if (n + 1 >= outlen)
			return 0;
		out[n++] = b32_alphabet[(buf << (5 - bits)) & 31];
	}
	while (pad && n % 8) {
		if (n + 1 >= outlen)
			return 0;
		out[n++] = '=';
	}
	if (n >= outlen)
		return 0;
	out[n] = '\0';
	return n;
}

long
base32_decode(const char *s, unsigned char *out, size_t outlen)
{
	size_t n = 0, chars = 0;
	uint32_t buf = 0;
	int bits = 0;
	bool padding = false;
	for (; *s; s++) {
		char c = *s;
		if (c == ' ')
			continue;
		if (c == '=') {
			padding = true;
			continue;
		}
		if (padding)
			return -1; /* data after the padding */
		int v;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= '2' && c <= '7')
			v = c - '2' + 26;
		else
			return -1;
		chars++;
		buf = (buf << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			if (n >= outlen)
				return -1;
			out[n++] = (unsigned char)(buf >> (bits - 8));
			bits -= 8;
		}
	}
	/* Lengths RFC 4648 never produces (1, 3 or 6 characters of a group),
	 * or leftover bits that are not zero, are not base32. */
	size_t r = chars % 8;
	if (r == 1 || r == 3 || r == 6 || (buf & ((1u << bits) - 1)) != 0)
		return -1;
	return (long)n;
}
