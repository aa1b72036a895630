/*
 * mcast file --key: every packet sealed with a pre-shared key (libsodium's
 * XChaCha20-Poly1305 AEAD), without I/O.  A sealed datagram is
 *
 *	0 'R' 'K' (0x52 0x4b), 2 version (1), 3 0, 4 nonce (24 bytes, random
 *	per packet), 28 the packet encrypted, then its 16-byte tag
 *
 * with the first 4 bytes as associated data: 44 bytes more than the
 * packet (a 1400-byte symbol still fits a 1500-byte MTU).
 */
#ifndef MCAST_PROTO_RMC_SEAL_H
#define MCAST_PROTO_RMC_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define RMC_SEAL_KEY_LEN   32
#define RMC_SEAL_NONCE_LEN 24
#define RMC_SEAL_OVERHEAD  (4 + RMC_SEAL_NONCE_LEN + 16)

/* The key of a key file's contents (BLAKE2b-256: any passphrase works). */
void rmc_seal_key(const uint8_t *text, size_t len,
    uint8_t key[RMC_SEAL_KEY_LEN]);
/* Whether a datagram looks sealed (its first bytes). */
int rmc_sealed(const uint8_t *p, size_t len);
/*
 * Seals len bytes into out (cap bytes) with nonce: the sealed length, or
 * -RMC_WIRE_NOSPACE.
 */
int rmc_seal(const uint8_t key[RMC_SEAL_KEY_LEN],
    const uint8_t nonce[RMC_SEAL_NONCE_LEN], const uint8_t *in, size_t len,
    uint8_t *out, size_t cap);
/*
 * Opens a sealed datagram into out (cap bytes): the packet's length, or
 * -RMC_WIRE_MAGIC (not sealed), -RMC_WIRE_SHORT, -RMC_WIRE_NOSPACE, or
 * -RMC_WIRE_AUTH (another key, or altered).
 */
int rmc_open(const uint8_t key[RMC_SEAL_KEY_LEN], const uint8_t *in, size_t len,
    uint8_t *out, size_t cap);

#endif
