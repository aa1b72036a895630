/* The mcast datagram header: exact bytes both ways, and every rejection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <mcast/mcast.h>

static const uint8_t golden[MC_DGRAM_HEADER_LEN] = {
	0x4d, 0x43, 0x53, 0x54,				/* "MCST" */
	0x01,						/* version */
	0x01,						/* flags: probe */
	0x00, 0x20,					/* header length 32 */
	0xde, 0xad, 0xbe, 0xef,				/* sender id */
	0x00, 0x00, 0x03, 0xe8,				/* total 1000 */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* sequence */
	0x17, 0x9d, 0x4a, 0x5e, 0x12, 0x34, 0x56, 0x78, /* send time */
};

static void
test_encode_exact_bytes(void **state)
{
	struct mc_dgram_header h = {
		.flags = MC_DGRAM_PROBE,
		.sender_id = 0xdeadbeef,
		.total = 1000,
		.sequence = 0x0102030405060708ULL,
		.send_time_ns = 0x179d4a5e12345678ULL,
	};
	uint8_t buf[64];

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(mc_dgram_encode(&h, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, golden, sizeof(golden));
	/* Nothing past the header is touched. */
	assert_int_equal(buf[MC_DGRAM_HEADER_LEN], 0xaa);
}

static void
test_decode_golden(void **state)
{
	struct mc_dgram_header h;

	assert_int_equal(mc_dgram_decode(golden, sizeof(golden), &h), 0);
	assert_int_equal(h.flags, MC_DGRAM_PROBE);
	assert_int_equal(h.sender_id, 0xdeadbeef);
	assert_int_equal(h.total, 1000);
	assert_true(h.sequence == 0x0102030405060708ULL);
	assert_true(h.send_time_ns == 0x179d4a5e12345678ULL);
}

static void
test_round_trip_extremes(void **state)
{
	struct mc_dgram_header in = {
		.flags = 0xff, .sender_id = UINT32_MAX, .total = UINT32_MAX,
		.sequence = UINT64_MAX, .send_time_ns = UINT64_MAX,
	}, out;
	uint8_t buf[MC_DGRAM_HEADER_LEN];

	assert_int_equal(mc_dgram_encode(&in, buf, sizeof(buf)), 0);
	assert_int_equal(mc_dgram_decode(buf, sizeof(buf), &out), 0);
	assert_memory_equal(&in.sequence, &out.sequence, sizeof(in.sequence));
	assert_int_equal(out.flags, 0xff);
	assert_int_equal(out.total, UINT32_MAX);
	assert_true(out.send_time_ns == UINT64_MAX);
}

/* With the stream's start: header_len 40 and 8 more bytes; 32 without
 * room for them. */
static void
test_stream_start(void **state)
{
	struct mc_dgram_header h = {
		.sender_id = 0xdeadbeef,
		.total = 1000,
		.sequence = 0x0102030405060708ULL,
		.send_time_ns = 0x179d4a5e12345678ULL,
		.stream_start_ns = 0x179d4a5e00000001ULL,
	}, out;
	const uint8_t start[8] = { 0x17, 0x9d, 0x4a, 0x5e, 0, 0, 0, 1 };
	uint8_t buf[48];

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(mc_dgram_encode(&h, buf, sizeof(buf)), 0);
	assert_int_equal(buf[6] << 8 | buf[7], MC_DGRAM_HEADER_START_LEN);
	assert_memory_equal(buf + 8, golden + 8, 24);
	assert_memory_equal(buf + 32, start, 8);
	assert_int_equal(buf[40], 0xaa);
	assert_int_equal(mc_dgram_decode(buf, sizeof(buf), &out), 0);
	assert_true(out.stream_start_ns == h.stream_start_ns);
	/* An older receiver's view: the first 32 bytes are unchanged. */
	assert_true(out.sequence == h.sequence);
	/* No room: the 32-byte header, no start. */
	assert_int_equal(mc_dgram_encode(&h, buf, MC_DGRAM_HEADER_LEN), 0);
	assert_int_equal(buf[7], MC_DGRAM_HEADER_LEN);
	assert_int_equal(mc_dgram_decode(buf, MC_DGRAM_HEADER_LEN, &out), 0);
	assert_true(out.stream_start_ns == 0);
	/* An older sender's 32-byte header decodes without a start. */
	assert_int_equal(mc_dgram_decode(golden, sizeof(golden), &out), 0);
	assert_true(out.stream_start_ns == 0);
}

static void
test_rejections(void **state)
{
	struct mc_dgram_header h;
	uint8_t buf[MC_DGRAM_HEADER_LEN + 8];
	size_t len;

	/* Every truncation of a good header is refused. */
	for (len = 0; len < MC_DGRAM_HEADER_LEN; len++)
		assert_int_equal(mc_dgram_decode(golden, len, &h),
		    MC_E_TRUNCATED);
	assert_int_equal(mc_dgram_encode(&h, buf, MC_DGRAM_HEADER_LEN - 1),
	    MC_E_TRUNCATED);

	memcpy(buf, golden, sizeof(golden));
	buf[0] = 'X';
	assert_int_equal(mc_dgram_decode(buf, sizeof(golden), &h),
	    MC_E_BAD_MAGIC);

	memcpy(buf, golden, sizeof(golden));
	buf[4] = 2;
	assert_int_equal(mc_dgram_decode(buf, sizeof(golden), &h),
	    MC_E_BAD_VERSION);

	/* A header length below 32 or beyond the datagram is refused. */
	memcpy(buf, golden, sizeof(golden));
	buf[7] = 31;
	assert_int_equal(mc_dgram_decode(buf, sizeof(golden), &h),
	    MC_E_TRUNCATED);
	buf[7] = 40;
	assert_int_equal(mc_dgram_decode(buf, sizeof(golden), &h),
	    MC_E_TRUNCATED);
	/* A longer header of a later revision is accepted when present. */
	memset(buf + sizeof(golden), 0, 8);
	assert_int_equal(mc_dgram_decode(buf, sizeof(buf), &h), 0);
	assert_int_equal(h.total, 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_exact_bytes),
		cmocka_unit_test(test_decode_golden),
		cmocka_unit_test(test_round_trip_extremes),
		cmocka_unit_test(test_stream_start),
		cmocka_unit_test(test_rejections),
	};

	return cmocka_run_group_tests_name("dgram", tests, NULL, NULL);
}
