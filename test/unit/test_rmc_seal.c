/*
 * mcast file --key (proto/rmc_seal.c): a sealed packet's layout, the round
 * trip, and what is refused: another key, a byte altered in the header or
 * the body, a packet that is not sealed, one too short; the sealer's clock
 * in the nonce, and how far from ours it may be.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rmc_seal.h"
#include "rmc_wire.h"

static void
test_round_trip(void **state)
{
	uint8_t key[RMC_SEAL_KEY_LEN], other[RMC_SEAL_KEY_LEN];
	uint8_t nonce[RMC_SEAL_NONCE_LEN], in[100], sealed[200], out[200];
	int len;

	rmc_seal_key((const uint8_t *)"secret\n", 7, key);
	rmc_seal_key((const uint8_t *)"secret", 6, other);
	assert_memory_not_equal(key, other, sizeof(key));
	memset(nonce, 0xa5, sizeof(nonce));
	memset(in, 0x3c, sizeof(in));
	len = rmc_seal(key, nonce, in, sizeof(in), sealed, sizeof(sealed));
	assert_int_equal(len, sizeof(in) + RMC_SEAL_OVERHEAD);
	assert_int_equal(RMC_SEAL_OVERHEAD, 44);
	assert_memory_equal(sealed, "\x52\x4b\x02\x00", 4);
	assert_memory_equal(sealed + 4, nonce, sizeof(nonce));
	assert_true(rmc_sealed(sealed, (size_t)len));
	/* The body is not there in clear. */
	assert_memory_not_equal(sealed + 28, in, sizeof(in));
	assert_int_equal(rmc_open(key, sealed, (size_t)len, out, sizeof(out)),
	    sizeof(in));
	assert_memory_equal(out, in, sizeof(in));
	assert_int_equal(rmc_open(other, sealed, (size_t)len, out, sizeof(out)),
	    -RMC_WIRE_AUTH);
	assert_int_equal(rmc_open(key, sealed, (size_t)len, out, 99),
	    -RMC_WIRE_NOSPACE);
	assert_int_equal(rmc_seal(key, nonce, in, sizeof(in), sealed, 143),
	    -RMC_WIRE_NOSPACE);
}

static void
test_altered(void **state)
{
	uint8_t key[RMC_SEAL_KEY_LEN], nonce[RMC_SEAL_NONCE_LEN] = { 1 };
	uint8_t in[40] = { 9 }, sealed[100], out[100];
	int len, i;

	rmc_seal_key((const uint8_t *)"k", 1, key);
	len = rmc_seal(key, nonce, in, sizeof(in), sealed, sizeof(sealed));
	/* Any byte after the magic and version: refused. */
	for (i = 3; i < len; i++) {
		sealed[i] ^= 0x01;
		assert_int_equal(rmc_open(key, sealed, (size_t)len, out,
				     sizeof(out)),
		    -RMC_WIRE_AUTH);
		sealed[i] ^= 0x01;
	}
	sealed[0] = 'X';
	assert_int_equal(rmc_open(key, sealed, (size_t)len, out, sizeof(out)),
	    -RMC_WIRE_MAGIC);
	sealed[0] = 0x52;
	assert_int_equal(rmc_open(key, sealed, RMC_SEAL_OVERHEAD - 1, out,
			     sizeof(out)),
	    -RMC_WIRE_SHORT);
	assert_int_equal(rmc_open(key, sealed, (size_t)len - 1, out,
			     sizeof(out)),
	    -RMC_WIRE_AUTH);
	assert_string_equal(rmc_wire_error_name(-RMC_WIRE_AUTH),
	    "failed authentication");
}

static void
test_sealed_time(void **state)
{
	uint8_t key[RMC_SEAL_KEY_LEN], nonce[RMC_SEAL_NONCE_LEN];
	uint8_t random[RMC_SEAL_RANDOM_LEN], in[8] = { 7 }, sealed[64];
	uint8_t out[64];
	const uint64_t t = 1796292406123ull; /* 2026-12-03 10:06:46.123 UTC */
	int len, i;

	for (i = 0; i < RMC_SEAL_RANDOM_LEN; i++)
		random[i] = (uint8_t)(0xf0 + i);
	rmc_seal_nonce(t, random, nonce);
	assert_memory_equal(nonce,
	    "\x00\x00\x01\xa2\x3b\x5e\xeb\x6b"
	    "\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7"
	    "\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff",
	    RMC_SEAL_NONCE_LEN);
	rmc_seal_key((const uint8_t *)"k", 1, key);
	len = rmc_seal(key, nonce, in, sizeof(in), sealed, sizeof(sealed));
	assert_int_equal(rmc_sealed_at(sealed), t);
	/* The time is authenticated: a second more is another packet. */
	sealed[11]++;
	assert_int_equal(rmc_open(key, sealed, (size_t)len, out, sizeof(out)),
	    -RMC_WIRE_AUTH);
	/* A version 1 packet (random nonce, no time) is not ours. */
	sealed[11]--;
	sealed[2] = 1;
	assert_false(rmc_sealed(sealed, (size_t)len));
	assert_int_equal(rmc_open(key, sealed, (size_t)len, out, sizeof(out)),
	    -RMC_WIRE_MAGIC);
	/* Within the window either way, and not a millisecond more. */
	assert_true(rmc_seal_fresh(t, t, RMC_SEAL_WINDOW_MS));
	assert_true(rmc_seal_fresh(t, t + 60000, RMC_SEAL_WINDOW_MS));
	assert_false(rmc_seal_fresh(t, t + 60001, RMC_SEAL_WINDOW_MS));
	assert_true(rmc_seal_fresh(t + 60000, t, RMC_SEAL_WINDOW_MS));
	assert_false(rmc_seal_fresh(t + 60001, t, RMC_SEAL_WINDOW_MS));
	assert_false(rmc_seal_fresh(0, t, RMC_SEAL_WINDOW_MS));
	assert_false(rmc_seal_fresh(UINT64_MAX, t, RMC_SEAL_WINDOW_MS));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_altered),
		cmocka_unit_test(test_sealed_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
