/*
 * mcast file --key (proto/rmc_seal.c): a sealed packet's layout, the round
 * trip, and what is refused: another key, a byte altered in the header or
 * the body, a packet that is not sealed, one too short.
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
	assert_memory_equal(sealed, "\x52\x4b\x01\x00", 4);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_altered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
