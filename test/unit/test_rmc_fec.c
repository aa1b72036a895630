/*
 * The erasure code of mcast file (proto/rmc_fec.c over ISA-L): every
 * erasure pattern of small blocks decodes, random patterns of K = 64 with
 * parity indexes up to 254 decode, parity made one index at a time equals
 * parity made in a batch, and bad index sets are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "engine.h"
#include "rmc_fec.h"

#define TEST_LEN 100 /* not a multiple of 16 or 32 */

struct test_block {
	unsigned k;
	uint8_t sym[RMC_FEC_N][TEST_LEN]; /* source, then parity by index */
	uint8_t *ptr[RMC_FEC_N];
};

static void
test_block_make(struct test_block *b, const struct rmc_fec *f, unsigned m,
    uint64_t seed)
{
	struct mc_rng rng = { seed };
	uint8_t index[RMC_FEC_N];
	unsigned i, j;

	b->k = f->k;
	for (i = 0; i < RMC_FEC_N; i++)
		b->ptr[i] = b->sym[i];
	for (i = 0; i < f->k; i++)
		for (j = 0; j < TEST_LEN; j++)
			b->sym[i][j] = (uint8_t)mc_rng_next(&rng);
	for (i = 0; i < m; i++)
		index[i] = (uint8_t)(f->k + i);
	assert_int_equal(rmc_fec_encode(f, (const uint8_t *const *)b->ptr,
			     TEST_LEN, index, m, b->ptr + f->k),
	    0);
}

/* Decodes from the symbols of the given indexes; checks every source. */
static void
test_decode_from(const struct test_block *b, const struct rmc_fec *f,
    const uint8_t *index)
{
	uint8_t out[RMC_FEC_N][TEST_LEN], *optr[RMC_FEC_N];
	const uint8_t *in[RMC_FEC_N];
	unsigned i;

	for (i = 0; i < f->k; i++) {
		in[i] = b->sym[index[i]];
		optr[i] = out[i];
	}
	memset(out, 0xee, sizeof(out));
	assert_int_equal(rmc_fec_decode(f, in, index, TEST_LEN, optr), 0);
	for (i = 0; i < f->k; i++)
		assert_memory_equal(out[i], b->sym[i], TEST_LEN);
}

/* Every choice of k indexes out of n (recursive). */
static unsigned
test_all_subsets(const struct test_block *b, const struct rmc_fec *f,
    unsigned n, uint8_t *index, unsigned have, unsigned next)
{
	unsigned count = 0, i;

	if (have == f->k) {
		test_decode_from(b, f, index);
		return 1;
	}
	for (i = next; i < n; i++) {
		index[have] = (uint8_t)i;
		count += test_all_subsets(b, f, n, index, have + 1, i + 1);
	}
	return count;
}

static void
test_all_patterns(void **state)
{
	static const unsigned km[][3] = {
		/* k, m, C(k + m, k) */
		{ 1, 6, 7 },
		{ 2, 5, 21 },
		{ 4, 4, 70 },
		{ 5, 6, 462 },
		{ 8, 4, 495 },
	};
	static struct test_block b;
	uint8_t index[RMC_FEC_N];
	size_t i;

	for (i = 0; i < sizeof(km) / sizeof(km[0]); i++) {
		struct rmc_fec f;

		assert_int_equal(rmc_fec_init(&f, km[i][0]), 0);
		test_block_make(&b, &f, km[i][1], i + 1);
		assert_int_equal(test_all_subsets(&b, &f, km[i][0] + km[i][1],
				     index, 0, 0),
		    km[i][2]);
		rmc_fec_fini(&f);
	}
}

static void
test_random_k64(void **state)
{
	static struct test_block b;
	struct mc_rng rng = { 64 };
	uint8_t index[RMC_FEC_N];
	struct rmc_fec f;
	unsigned t, i;

	assert_int_equal(rmc_fec_init(&f, 64), 0);
	assert_int_equal(rmc_fec_parity_max(&f), 191);
	test_block_make(&b, &f, rmc_fec_parity_max(&f), 7);
	for (t = 0; t < 200; t++) {
		uint8_t perm[RMC_FEC_N];

		for (i = 0; i < RMC_FEC_N; i++)
			perm[i] = (uint8_t)i;
		/* A random K of the 255 (Fisher-Yates), in random order. */
		for (i = 0; i < 64; i++) {
			unsigned j = i +
			    (unsigned)mc_rng_below(&rng, RMC_FEC_N - i);
			uint8_t x = perm[i];

			perm[i] = perm[j];
			perm[j] = x;
			index[i] = perm[i];
		}
		test_decode_from(&b, &f, index);
	}
	/* All parity, no source: the highest indexes. */
	for (i = 0; i < 64; i++)
		index[i] = (uint8_t)(254 - i);
	test_decode_from(&b, &f, index);
	rmc_fec_fini(&f);
}

static void
test_lazy_parity(void **state)
{
	static struct test_block b;
	uint8_t one[TEST_LEN], *optr = one, idx;
	struct rmc_fec f;
	unsigned i;

	assert_int_equal(rmc_fec_init(&f, 16), 0);
	test_block_make(&b, &f, 239, 3);
	for (i = 16; i < RMC_FEC_N; i += 37) {
		idx = (uint8_t)i;
		assert_int_equal(rmc_fec_encode(&f,
				     (const uint8_t *const *)b.ptr, TEST_LEN,
				     &idx, 1, &optr),
		    0);
		assert_memory_equal(one, b.sym[i], TEST_LEN);
	}
	rmc_fec_fini(&f);
}

static void
test_refused(void **state)
{
	static struct test_block b;
	uint8_t out[4][TEST_LEN], *optr[4] = { out[0], out[1], out[2], out[3] };
	const uint8_t *in[4];
	uint8_t index[4] = { 0, 1, 5, 5 }, idx = 3;
	struct rmc_fec f;

	assert_int_equal(rmc_fec_init(&f, 0), -EINVAL);
	assert_int_equal(rmc_fec_init(&f, 255), -EINVAL);
	assert_int_equal(rmc_fec_init(&f, 4), 0);
	test_block_make(&b, &f, 4, 9);
	for (int i = 0; i < 4; i++)
		in[i] = b.sym[index[i]];
	assert_int_equal(rmc_fec_decode(&f, in, index, TEST_LEN, optr),
	    -EINVAL);
	index[3] = 255;
	assert_int_equal(rmc_fec_decode(&f, in, index, TEST_LEN, optr),
	    -EINVAL);
	/* A source index is not parity. */
	assert_int_equal(rmc_fec_encode(&f, (const uint8_t *const *)b.ptr,
			     TEST_LEN, &idx, 1, optr),
	    -EINVAL);
	rmc_fec_fini(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_patterns),
		cmocka_unit_test(test_random_k64),
		cmocka_unit_test(test_lazy_parity),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
