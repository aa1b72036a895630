/*
 * The erasure code of mcast file (a thin wrapper over ISA-L): a block of K
 * source symbols of S bytes has parity symbols of index K..254, rows of a
 * Cauchy matrix under the identity, so that any K distinct symbols of the
 * K + 255 - K rebuild the block.  Parity is made one index at a time, so
 * a repair asks for fresh indexes only.
 */
#ifndef MCAST_PROTO_RMC_FEC_H
#define MCAST_PROTO_RMC_FEC_H

#include <stddef.h>
#include <stdint.h>

#define RMC_FEC_N 255 /* symbol indexes 0..254 */

/* The coding matrix of one K (1..254): 255 x K bytes. */
struct rmc_fec {
	unsigned k;
	uint8_t *matrix;
};

/* 0, -EINVAL for a K outside 1..254, -ENOMEM. */
int rmc_fec_init(struct rmc_fec *f, unsigned k);
void rmc_fec_fini(struct rmc_fec *f);
/* The most parity symbols of a block: 255 - K. */
unsigned rmc_fec_parity_max(const struct rmc_fec *f);

/*
 * n parity symbols of len bytes into out[0..n-1]: index[i] (K..254) is
 * the symbol out[i] gets; src holds the K source symbols.  0 or -EINVAL.
 */
int rmc_fec_encode(const struct rmc_fec *f, const uint8_t *const *src,
    size_t len, const uint8_t *index, unsigned n, uint8_t **out);
/*
 * Rebuilds the K source symbols into out[0..K-1] from K distinct symbols
 * sym[i] of index index[i], of len bytes each (out[j] may be sym[i] when
 * index[i] == j).  0, -EINVAL (an index out of range or twice), -ENOMEM.
 */
int rmc_fec_decode(const struct rmc_fec *f, const uint8_t *const *sym,
    const uint8_t *index, size_t len, uint8_t **out);

#endif
