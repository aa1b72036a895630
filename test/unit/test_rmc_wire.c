/*
 * The codec of mcast file's packets (proto/rmc_wire.c): the exact bytes
 * of each type, round trips, manifests of several entries, unsafe names,
 * and every kind of malformed packet.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rmc_wire.h"

static const struct rmc_hdr test_hdr = {
	.session = 0x01020304,
	.time_ms = 0x0a0b0c0d,
	.seq = 7,
};

static void
test_data_bytes(void **state)
{
	static const uint8_t want[] = {
		0x52,
		0x4d,
		0x01,
		0x02,
		0x01,
		0x02,
		0x03,
		0x04, /* */
		0x0a,
		0x0b,
		0x0c,
		0x0d,
		0x00,
		0x00,
		0x00,
		0x07, /* */
		0x00,
		0x00,
		0x00,
		0x02,
		0x00,
		0x00,
		0x01,
		0x00, /* */
		0x41,
		0x40,
		0x03,
		0x00,
		0xaa,
		0xbb,
		0xcc,
	};
	uint8_t sym[3] = { 0xaa, 0xbb, 0xcc }, buf[64];
	struct rmc_data d = { .file = 2,
		.block = 256,
		.symbol = 65,
		.k = 64,
		.burst = 3,
		.payload = sym,
		.payload_len = 3 };
	struct rmc_pkt pkt;

	assert_int_equal(rmc_encode_data(buf, sizeof(buf), &test_hdr, &d),
	    sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(rmc_encode_data(buf, sizeof(want) - 1, &test_hdr, &d),
	    -RMC_WIRE_NOSPACE);
	assert_int_equal(rmc_decode(want, sizeof(want), &pkt), 0);
	assert_int_equal(pkt.hdr.type, RMC_DATA);
	assert_int_equal(pkt.hdr.session, 0x01020304);
	assert_int_equal(pkt.hdr.time_ms, 0x0a0b0c0d);
	assert_int_equal(pkt.hdr.seq, 7);
	assert_int_equal(pkt.u.data.file, 2);
	assert_int_equal(pkt.u.data.block, 256);
	assert_int_equal(pkt.u.data.symbol, 65);
	assert_int_equal(pkt.u.data.k, 64);
	assert_int_equal(pkt.u.data.burst, 3);
	assert_int_equal(pkt.u.data.payload_len, 3);
	assert_ptr_equal(pkt.u.data.payload, want + RMC_DATA_HDR);
}

static void
test_nack_end_status_bytes(void **state)
{
	static const uint8_t want_nack[] = {
		0x52,
		0x4d,
		0x01,
		0x04,
		0x01,
		0x02,
		0x03,
		0x04, /* */
		0x0a,
		0x0b,
		0x0c,
		0x0d,
		0x00,
		0x00,
		0x00,
		0x07, /* */
		0xde,
		0xad,
		0xbe,
		0xef,
		0x00,
		0x00,
		0x00,
		0x01, /* */
		0x00,
		0x00,
		0x00,
		0x09,
		0x05,
		0x00,
		0x00,
		0x64,
	};
	static const uint8_t want_end_tail[] = {
		0x00,
		0x00,
		0x00,
		0x03,
		0x00,
		0x00,
		0x00,
		0x02, /* */
		0x00,
		0x00,
		0x00,
		0x08,
		0x01,
		0x00,
		0x00,
		0x00,
	};
	static const uint8_t want_status_tail[] = {
		0xde,
		0xad,
		0xbe,
		0xef,
		0x01,
		0x00,
		0x01,
		0xf4, /* */
		0x00,
		0x00,
		0x00,
		0x02,
	};
	struct rmc_nack n = { .receiver = 0xdeadbeef,
		.file = 1,
		.block = 9,
		.missing = 5,
		.loss = 100 };
	struct rmc_end e = { .pass = 3,
		.files = 2,
		.receivers = 8,
		.flags = RMC_END_LAST };
	struct rmc_status s = { .receiver = 0xdeadbeef,
		.state = RMC_RX_DONE,
		.loss = 500,
		.files_done = 2 };
	uint8_t buf[64];
	struct rmc_pkt pkt;

	assert_int_equal(rmc_encode_nack(buf, sizeof(buf), &test_hdr, &n),
	    RMC_NACK_LEN);
	assert_memory_equal(buf, want_nack, sizeof(want_nack));
	assert_int_equal(rmc_decode(buf, RMC_NACK_LEN, &pkt), 0);
	assert_int_equal(pkt.u.nack.receiver, 0xdeadbeef);
	assert_int_equal(pkt.u.nack.block, 9);
	assert_int_equal(pkt.u.nack.missing, 5);
	assert_int_equal(pkt.u.nack.loss, 100);
	assert_int_equal(rmc_decode(buf, RMC_NACK_LEN - 1, &pkt),
	    -RMC_WIRE_SHORT);
	assert_int_equal(rmc_decode(buf, RMC_NACK_LEN + 1, &pkt),
	    -RMC_WIRE_LENGTH);

	assert_int_equal(rmc_encode_end(buf, sizeof(buf), &test_hdr, &e),
	    RMC_END_LEN);
	assert_int_equal(buf[3], RMC_END);
	assert_memory_equal(buf + RMC_HDR_LEN, want_end_tail,
	    sizeof(want_end_tail));
	assert_int_equal(rmc_decode(buf, RMC_END_LEN, &pkt), 0);
	assert_int_equal(pkt.u.end.pass, 3);
	assert_int_equal(pkt.u.end.receivers, 8);
	assert_int_equal(pkt.u.end.flags, RMC_END_LAST);

	assert_int_equal(rmc_encode_status(buf, sizeof(buf), &test_hdr, &s),
	    RMC_STATUS_LEN);
	assert_memory_equal(buf + RMC_HDR_LEN, want_status_tail,
	    sizeof(want_status_tail));
	assert_int_equal(rmc_decode(buf, RMC_STATUS_LEN, &pkt), 0);
	assert_int_equal(pkt.u.status.state, RMC_RX_DONE);
	assert_int_equal(pkt.u.status.loss, 500);
	assert_int_equal(pkt.u.status.files_done, 2);
	assert_string_equal(rmc_rx_state_name(pkt.u.status.state), "done");
}

static void
test_manifest(void **state)
{
	struct rmc_entry e = { .index = 0,
		.size = 0x100000001ULL,
		.mode = 0644,
		.name = (const uint8_t *)"a/b.txt",
		.name_len = 7 },
			 got;
	struct rmc_pkt pkt;
	uint8_t buf[150];
	int len;

	memset(e.sha256, 0x5a, sizeof(e.sha256));
	len = rmc_manifest_begin(buf, sizeof(buf), &test_hdr, 2, 1400, 64);
	assert_int_equal(len, RMC_MANIFEST_HDR);
	len = rmc_manifest_add(buf, sizeof(buf), (size_t)len, &e);
	assert_int_equal(len, RMC_MANIFEST_HDR + RMC_ENTRY_FIXED + 7);
	e.index = 1;
	e.size = 0;
	e.name = (const uint8_t *)"c";
	e.name_len = 1;
	len = rmc_manifest_add(buf, sizeof(buf), (size_t)len, &e);
	assert_int_equal(len, RMC_MANIFEST_HDR + 2 * RMC_ENTRY_FIXED + 8);
	/* A third does not fit: the packet stays as it was. */
	assert_int_equal(rmc_manifest_add(buf, sizeof(buf), (size_t)len, &e),
	    -RMC_WIRE_NOSPACE);
	assert_int_equal(buf[23], 2);
	assert_int_equal(rmc_decode(buf, (size_t)len, &pkt), 0);
	assert_int_equal(pkt.u.manifest.files, 2);
	assert_int_equal(pkt.u.manifest.symbol_size, 1400);
	assert_int_equal(pkt.u.manifest.k, 64);
	assert_int_equal(pkt.u.manifest.entries, 2);
	assert_true(rmc_entry_next(&pkt.u.manifest, &got));
	assert_int_equal(got.index, 0);
	assert_true(got.size == 0x100000001ULL);
	assert_int_equal(got.mode, 0644);
	assert_int_equal(got.sha256[31], 0x5a);
	assert_int_equal(got.name_len, 7);
	assert_memory_equal(got.name, "a/b.txt", 7);
	assert_true(rmc_entry_next(&pkt.u.manifest, &got));
	assert_int_equal(got.index, 1);
	assert_memory_equal(got.name, "c", 1);
	assert_false(rmc_entry_next(&pkt.u.manifest, &got));
	/* Entries that do not fill the packet, or overrun it. */
	assert_int_equal(rmc_decode(buf, (size_t)len - 1, &pkt),
	    -RMC_WIRE_LENGTH);
	buf[len] = 0;
	assert_int_equal(rmc_decode(buf, (size_t)len + 1, &pkt),
	    -RMC_WIRE_LENGTH);
	/* An unsafe name in a received manifest. */
	buf[RMC_MANIFEST_HDR + RMC_ENTRY_FIXED] = '/';
	assert_int_equal(rmc_decode(buf, (size_t)len, &pkt), -RMC_WIRE_NAME);
	buf[22] = 0;
	assert_int_equal(rmc_decode(buf, (size_t)len, &pkt), -RMC_WIRE_PARAM);
}

static void
test_names(void **state)
{
	static const char *const good[] = { "a", "a/b", "a.b/.c", "..a", "a..",
		"d/e/f.tar.gz" };
	static const char *const bad[] = { "", "/etc/passwd", "..", "a/..",
		"../a", "a/../b", ".", "a/./b", "a//b", "a/", "a\nb" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(rmc_name_ok((const uint8_t *)good[i],
		    strlen(good[i])));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(rmc_name_ok((const uint8_t *)bad[i],
		    strlen(bad[i])));
	assert_false(rmc_name_ok((const uint8_t *)"a\0b", 3));
}

static void
test_malformed(void **state)
{
	uint8_t buf[64], sym[4] = { 1, 2, 3, 4 };
	struct rmc_pkt pkt;
	struct rmc_data d = { .k = 4,
		.symbol = 1,
		.payload = sym,
		.payload_len = 4 };
	int len = rmc_encode_data(buf, sizeof(buf), &test_hdr, &d);

	assert_int_equal(rmc_decode(buf, RMC_HDR_LEN - 1, &pkt),
	    -RMC_WIRE_SHORT);
	assert_int_equal(rmc_decode(buf, RMC_DATA_HDR, &pkt), -RMC_WIRE_SHORT);
	buf[25] = 0;
	assert_int_equal(rmc_decode(buf, (size_t)len, &pkt), -RMC_WIRE_SYMBOL);
	buf[25] = 4;
	buf[24] = 255;
	assert_int_equal(rmc_decode(buf, (size_t)len, &pkt), -RMC_WIRE_SYMBOL);
	buf[3] = 9;
	assert_int_equal(rmc_decode(buf, (size_t)len, &pkt), -RMC_WIRE_TYPE);
	buf[2] = 2;
	assert_int_equal(rmc_decode(buf, (size_t)len, &pkt), -RMC_WIRE_VERSION);
	buf[0] = 'X';
	assert_int_equal(rmc_decode(buf, (size_t)len, &pkt), -RMC_WIRE_MAGIC);
	assert_string_equal(rmc_wire_error_name(-RMC_WIRE_NAME),
	    "unsafe file name");
	assert_string_equal(rmc_wire_error_name(RMC_WIRE_ERRORS),
	    "unknown error");
	assert_string_equal(rmc_type_name(RMC_NACK), "nack");
}

/* --cc tfmcc's packets, byte by byte. */
static void
test_cc_bytes(void **state)
{
	static const uint8_t want[RMC_CC_LEN] = {
		0x52, 0x4d, 0x01, 0x06, 0x01, 0x02, 0x03, 0x04, /* */
		0x0a, 0x0b, 0x0c, 0x0d, 0x00, 0x00, 0x00, 0x07, /* */
		0x00, 0x00, 0x00, 0x05,				/* round */
		0x00, 0x00, 0x27, 0x10, /* rate 10000 kbit/s */
		0xff, 0xff, 0xff, 0xff, /* no suppression rate */
		0xde, 0xad, 0xbe, 0xef, /* CLR */
		0x11, 0x22, 0x33, 0x44, /* echo: receiver */
		0x00, 0x01, 0x02, 0x03, /* echo: its time */
		0x00, 0x03,		/* held 3 ms */
		0x00, 0x28,		/* R_max 40 ms */
		0x01, 0x00, 0x00, 0x00, /* slow start */
	};
	static const struct rmc_ccinfo c = { .round = 5,
		.rate = 10000,
		.supp = RMC_RATE_NONE,
		.clr = 0xdeadbeef,
		.echo_rcvr = 0x11223344,
		.echo_ts = 0x00010203,
		.echo_delay = 3,
		.rtt_max = 40,
		.flags = RMC_CC_SLOWSTART };
	uint8_t buf[64];
	struct rmc_pkt pkt;

	(void)state;
	assert_int_equal(rmc_encode_cc(buf, RMC_CC_LEN - 1, &test_hdr, &c),
	    -RMC_WIRE_NOSPACE);
	assert_int_equal(rmc_encode_cc(buf, sizeof(buf), &test_hdr, &c),
	    RMC_CC_LEN);
	assert_memory_equal(buf, want, RMC_CC_LEN);
	assert_int_equal(rmc_decode(buf, RMC_CC_LEN, &pkt), 0);
	assert_int_equal(pkt.hdr.type, RMC_CC);
	assert_int_equal(pkt.u.cc.round, 5);
	assert_int_equal(pkt.u.cc.rate, 10000);
	assert_int_equal(pkt.u.cc.supp, RMC_RATE_NONE);
	assert_int_equal(pkt.u.cc.clr, 0xdeadbeef);
	assert_int_equal(pkt.u.cc.echo_rcvr, 0x11223344);
	assert_int_equal(pkt.u.cc.echo_ts, 0x00010203);
	assert_int_equal(pkt.u.cc.echo_delay, 3);
	assert_int_equal(pkt.u.cc.rtt_max, 40);
	assert_int_equal(pkt.u.cc.flags, RMC_CC_SLOWSTART);
	assert_string_equal(rmc_type_name(RMC_CC), "cc");
	assert_int_equal(rmc_decode(buf, RMC_CC_LEN - 1, &pkt),
	    -RMC_WIRE_SHORT);
	assert_int_equal(rmc_decode(buf, RMC_CC_LEN + 1, &pkt),
	    -RMC_WIRE_LENGTH);
}

static void
test_feedback_bytes(void **state)
{
	static const uint8_t want[RMC_FEEDBACK_LEN] = {
		0x52, 0x4d, 0x01, 0x07, 0x01, 0x02, 0x03, 0x04, /* */
		0x0a, 0x0b, 0x0c, 0x0d, 0x00, 0x00, 0x00, 0x07, /* */
		0xca, 0xfe, 0x00, 0x01,				/* receiver */
		0x00, 0x00, 0x00, 0x05,				/* round */
		0x00, 0x00, 0x0b, 0xb8, /* X_calc 3000 kbit/s */
		0x00, 0x00, 0x0f, 0xa0, /* X_recv 4000 kbit/s */
		0x00, 0x00, 0x27, 0x10, /* p 0.01 */
		0x0a, 0x0b, 0x0c, 0x00, /* echo: the sender's time */
		0x00, 0x02,		/* held 2 ms */
		0x00, 0x14,		/* RTT 20 ms */
		0x03, 0x00, 0x00, 0x00, /* RTT measured, CLR */
	};
	static const struct rmc_feedback f = { .receiver = 0xcafe0001,
		.round = 5,
		.rate = 3000,
		.recv = 4000,
		.p = 10000,
		.echo_ts = 0x0a0b0c00,
		.echo_delay = 2,
		.rtt = 20,
		.flags = RMC_FB_HAVE_RTT | RMC_FB_CLR };
	uint8_t buf[64];
	struct rmc_pkt pkt;

	(void)state;
	assert_int_equal(rmc_encode_feedback(buf, RMC_FEEDBACK_LEN - 1,
			     &test_hdr, &f),
	    -RMC_WIRE_NOSPACE);
	assert_int_equal(rmc_encode_feedback(buf, sizeof(buf), &test_hdr, &f),
	    RMC_FEEDBACK_LEN);
	assert_memory_equal(buf, want, RMC_FEEDBACK_LEN);
	assert_int_equal(rmc_decode(buf, RMC_FEEDBACK_LEN, &pkt), 0);
	assert_int_equal(pkt.hdr.type, RMC_FEEDBACK);
	assert_int_equal(pkt.u.feedback.receiver, 0xcafe0001);
	assert_int_equal(pkt.u.feedback.round, 5);
	assert_int_equal(pkt.u.feedback.rate, 3000);
	assert_int_equal(pkt.u.feedback.recv, 4000);
	assert_int_equal(pkt.u.feedback.p, 10000);
	assert_int_equal(pkt.u.feedback.echo_ts, 0x0a0b0c00);
	assert_int_equal(pkt.u.feedback.echo_delay, 2);
	assert_int_equal(pkt.u.feedback.rtt, 20);
	assert_int_equal(pkt.u.feedback.flags, RMC_FB_HAVE_RTT | RMC_FB_CLR);
	assert_string_equal(rmc_type_name(RMC_FEEDBACK), "feedback");
	assert_int_equal(rmc_decode(buf, 20, &pkt), -RMC_WIRE_SHORT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_bytes),
		cmocka_unit_test(test_nack_end_status_bytes),
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_cc_bytes),
		cmocka_unit_test(test_feedback_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
