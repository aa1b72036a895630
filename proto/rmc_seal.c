/* mcast file --key: packets sealed with libsodium's AEAD (rmc_seal.h). */
#include <string.h>
#include <sodium.h>

#include "rmc_seal.h"
#include "rmc_wire.h"

void
rmc_seal_key(const uint8_t *text, size_t len, uint8_t key[RMC_SEAL_KEY_LEN])
{
	crypto_generichash(key, RMC_SEAL_KEY_LEN, text, len, NULL, 0);
}

int
rmc_sealed(const uint8_t *p, size_t len)
{
	return len >= 3 && p[0] == 0x52 && p[1] == 0x4b &&
	    p[2] == RMC_SEAL_VERSION;
}

void
rmc_seal_nonce(uint64_t unix_ms, const uint8_t random[RMC_SEAL_RANDOM_LEN],
    uint8_t nonce[RMC_SEAL_NONCE_LEN])
{
	int i;

	for (i = 0; i < 8; i++)
		nonce[i] = (uint8_t)(unix_ms >> (56 - 8 * i));
	memcpy(nonce + 8, random, RMC_SEAL_RANDOM_LEN);
}

uint64_t
rmc_sealed_at(const uint8_t *sealed)
{
	uint64_t ms = 0;
	int i;

	for (i = 0; i < 8; i++)
		ms = ms << 8 | sealed[4 + i];
	return ms;
}

bool
rmc_seal_fresh(uint64_t sealed_ms, uint64_t now_ms, uint64_t window_ms)
{
	return sealed_ms <= now_ms ? now_ms - sealed_ms <= window_ms :
				     sealed_ms - now_ms <= window_ms;
}

int
rmc_seal(const uint8_t key[RMC_SEAL_KEY_LEN],
    const uint8_t nonce[RMC_SEAL_NONCE_LEN], const uint8_t *in, size_t len,
    uint8_t *out, size_t cap)
{
	unsigned long long clen;

	if (cap < len + RMC_SEAL_OVERHEAD)
		return -RMC_WIRE_NOSPACE;
	out[0] = 0x52;
	out[1] = 0x4b;
	out[2] = RMC_SEAL_VERSION;
	out[3] = 0;
	memcpy(out + 4, nonce, RMC_SEAL_NONCE_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 4 + RMC_SEAL_NONCE_LEN,
	    &clen, in, len, out, 4, NULL, nonce, key);
	return (int)(4 + RMC_SEAL_NONCE_LEN + clen);
}

int
rmc_open(const uint8_t key[RMC_SEAL_KEY_LEN], const uint8_t *in, size_t len,
    uint8_t *out, size_t cap)
{
	unsigned long long mlen;

	if (!rmc_sealed(in, len))
		return -RMC_WIRE_MAGIC;
	if (len < RMC_SEAL_OVERHEAD)
		return -RMC_WIRE_SHORT;
	if (cap < len - RMC_SEAL_OVERHEAD)
		return -RMC_WIRE_NOSPACE;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &mlen, NULL,
		in + 4 + RMC_SEAL_NONCE_LEN, len - 4 - RMC_SEAL_NONCE_LEN, in,
		4, in + 4, key) != 0)
		return -RMC_WIRE_AUTH;
	return (int)mlen;
}
