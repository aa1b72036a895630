/*
 * mcast file --key: every packet sealed with a pre-shared key (libsodium's
 * XChaCha20-Poly1305 AEAD), without I/O.  A sealed datagram is
 *
 *	0 'R' 'K' (0x52 0x4b), 2 version (2), 3 0, 4 nonce (24 bytes: the
 *	sealer's wall clock in milliseconds since 1970 (64, big-endian),
 *	then 16 random bytes), 28 the packet encrypted, then its 16-byte tag
 *
 * with the first 4 bytes as associated data: 44 bytes more than the
 * packet (a 1400-byte symbol still fits a 1500-byte MTU).  The nonce takes
 * part in the authentication, so the time in it cannot be altered: a
 * receiver drops what was sealed further than RMC_SEAL_WINDOW_MS from its
 * own clock, and an old session recorded and replayed later is refused.
 */
#ifndef MCAST_PROTO_RMC_SEAL_H
#define MCAST_PROTO_RMC_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RMC_SEAL_KEY_LEN    32
#define RMC_SEAL_NONCE_LEN  24
#define RMC_SEAL_OVERHEAD   (4 + RMC_SEAL_NONCE_LEN + 16)
#define RMC_SEAL_VERSION    2
#define RMC_SEAL_RANDOM_LEN 16 /* the nonce after its time */
/* Sealer's and opener's clocks may differ by this much, either way. */
#define RMC_SEAL_WINDOW_MS 60000

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
/* A nonce: unix_ms big-endian, then the random bytes. */
void rmc_seal_nonce(uint64_t unix_ms, const uint8_t random[RMC_SEAL_RANDOM_LEN],
    uint8_t nonce[RMC_SEAL_NONCE_LEN]);
/* When a sealed datagram (rmc_sealed) says it was sealed, in ms since 1970. */
uint64_t rmc_sealed_at(const uint8_t *sealed);
/*
 * Whether something sealed at sealed_ms may be taken at now_ms: within
 * window_ms of it, either way (clocks drift both ways).
 */
bool rmc_seal_fresh(uint64_t sealed_ms, uint64_t now_ms, uint64_t window_ms);
/*
 * Opens a sealed datagram into out (cap bytes): the packet's length, or
 * -RMC_WIRE_MAGIC (not sealed), -RMC_WIRE_SHORT, -RMC_WIRE_NOSPACE, or
 * -RMC_WIRE_AUTH (another key, or altered).
 */
int rmc_open(const uint8_t key[RMC_SEAL_KEY_LEN], const uint8_t *in, size_t len,
    uint8_t *out, size_t cap);

#endif
