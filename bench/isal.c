/*
 * ISA-L's erasure code in the file transfer's own setting (proto/rmc_fec.c):
 * blocks of K source symbols of S bytes, parity made one fresh index at a
 * time as a repair asks, and blocks rebuilt from K symbols of which L are
 * parity, on one core, with memcpy as the ceiling to compare with:
 *
 *   isal K S L MB    e.g. isal 64 1400 8 512
 *
 * prints parity_gbps= (GB/s of parity symbols made, one per call: each
 * reads the block's K source symbols), decode_gbps= (GB/s of blocks
 * rebuilt, L of their K sources missing) and memcpy_gbps= (of blocks).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rmc_fec.h"

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	unsigned k, s, l, i, j, blocks;
	uint8_t *src, *par, *out, *copy, idx[RMC_FEC_N];
	const uint8_t *in[RMC_FEC_N];
	uint8_t *sp[RMC_FEC_N], *op[RMC_FEC_N], *pp;
	struct rmc_fec f;
	double t, enc, dec, cpy, mb;
	volatile uint8_t sink = 0;

	if (argc != 5 || (k = (unsigned)atoi(argv[1])) < 1 || k > 254 ||
	    (s = (unsigned)atoi(argv[2])) < 1 ||
	    (l = (unsigned)atoi(argv[3])) > k || l > 255 - k ||
	    (mb = atof(argv[4])) <= 0) {
		fprintf(stderr,
		    "usage: isal K S L MB (K 1..254, L <= K and "
		    "L <= 255 - K)\n");
		return 2;
	}
	blocks = (unsigned)(mb * 1e6 / ((double)k * s)) + 1;
	src = malloc((size_t)k * s);
	par = malloc((size_t)RMC_FEC_N * s);
	out = malloc((size_t)k * s);
	copy = malloc((size_t)k * s);
	if (src == NULL || par == NULL || out == NULL || copy == NULL ||
	    rmc_fec_init(&f, k) != 0)
		return 1;
	for (i = 0; i < k * s; i++)
		src[i] = (uint8_t)(i * 2654435761u >> 13);
	for (i = 0; i < k; i++) {
		sp[i] = src + (size_t)i * s;
		op[i] = out + (size_t)i * s;
	}
	/* Encode: a fresh parity index per call, as repairs go. */
	t = bench_now();
	for (j = 0; j < blocks; j++) {
		idx[0] = (uint8_t)(k + j % (255 - k));
		pp = par + (size_t)idx[0] * s;
		rmc_fec_encode(&f, (const uint8_t *const *)sp, s, idx, 1, &pp);
	}
	enc = (double)blocks * s / (bench_now() - t) / 1e9;
	/* Decode: sources l..k-1 and parity k..k+l-1 (all made first). */
	for (i = 0; i < l; i++) {
		idx[0] = (uint8_t)(k + i);
		pp = par + (size_t)(k + i) * s;
		rmc_fec_encode(&f, (const uint8_t *const *)sp, s, idx, 1, &pp);
	}
	for (i = 0; i < k; i++) {
		idx[i] = (uint8_t)(i < k - l ? i + l : k + (i - (k - l)));
		in[i] = idx[i] < k ? sp[idx[i]] : par + (size_t)idx[i] * s;
	}
	t = bench_now();
	for (j = 0; j < blocks; j++)
		rmc_fec_decode(&f, in, idx, s, op);
	dec = (double)blocks * k * s / (bench_now() - t) / 1e9;
	if (memcmp(out, src, (size_t)k * s) != 0) {
		fprintf(stderr, "isal: decode gave other bytes\n");
		return 1;
	}
	t = bench_now();
	for (j = 0; j < blocks; j++) {
		memcpy(copy, src, (size_t)k * s);
		sink ^= copy[j % (k * s)];
	}
	cpy = (double)blocks * k * s / (bench_now() - t) / 1e9;
	printf("k=%u s=%u l=%u blocks=%u parity_gbps=%.3f decode_gbps=%.3f "
	       "memcpy_gbps=%.3f\n",
	    k, s, l, blocks, enc, dec, cpy);
	rmc_fec_fini(&f);
	free(src);
	free(par);
	free(out);
	free(copy);
	return sink == 255 ? 0 : 0;
}
