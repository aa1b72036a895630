/*
 * RTP (proto/rtp.c): the header decoder on good and broken packets; the
 * per-SSRC counts on crafted sequences (probation, wrap at 65535, loss,
 * duplicates, reordering, a restart after a big jump), A.3's fraction
 * and A.8's jitter with exact values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rtp.h"

/* A 12-byte header: version 2, payload type pt, seq, ts, ssrc. */
static void
test_hdr(uint8_t *p, uint8_t pt, uint16_t seq, uint32_t ts, uint32_t ssrc)
{
	p[0] = 0x80;
	p[1] = pt;
	p[2] = (uint8_t)(seq >> 8);
	p[3] = (uint8_t)seq;
	p[4] = (uint8_t)(ts >> 24);
	p[5] = (uint8_t)(ts >> 16);
	p[6] = (uint8_t)(ts >> 8);
	p[7] = (uint8_t)ts;
	p[8] = (uint8_t)(ssrc >> 24);
	p[9] = (uint8_t)(ssrc >> 16);
	p[10] = (uint8_t)(ssrc >> 8);
	p[11] = (uint8_t)ssrc;
}

static void
test_decode(void **state)
{
	uint8_t p[64];
	struct rtp_header h;

	memset(p, 0, sizeof(p));
	test_hdr(p, 0x80 | 11, 0xfffe, 0x01020304, 0xdeadbeef);
	assert_int_equal(rtp_decode(p, 12 + 20, &h), RTP_DECODE_OK);
	assert_int_equal(h.version, 2);
	assert_true(h.marker);
	assert_int_equal(h.payload_type, 11);
	assert_int_equal(h.seq, 0xfffe);
	assert_int_equal(h.timestamp, 0x01020304);
	assert_int_equal(h.ssrc, 0xdeadbeef);
	assert_int_equal(h.header_len, 12);
	assert_int_equal(h.payload_len, 20);
	/* Two CSRCs and a one-word extension, 4 bytes of padding. */
	p[0] = 0x80 | 0x20 | 0x10 | 2;
	p[12] = 0x11, p[15] = 0x22; /* CSRC 1 = 0x11000022 */
	p[20] = 0xbe, p[21] = 0xde, p[22] = 0, p[23] = 1;
	p[39] = 4;
	assert_int_equal(rtp_decode(p, 40, &h), RTP_DECODE_OK);
	assert_int_equal(h.csrc_count, 2);
	assert_int_equal(h.csrc[0], 0x11000022);
	assert_int_equal(h.ext_profile, 0xbede);
	assert_int_equal(h.ext_len, 4);
	assert_int_equal(h.header_len, 28);
	assert_int_equal(h.padding_len, 4);
	assert_int_equal(h.payload_len, 40 - 28 - 4);
	/* Refusals, each of its kind. */
	assert_int_equal(rtp_decode(p, 11, &h), RTP_DECODE_SHORT);
	assert_int_equal(rtp_decode(p, 19, &h), RTP_DECODE_CSRC);
	assert_int_equal(rtp_decode(p, 23, &h), RTP_DECODE_EXTENSION);
	assert_int_equal(rtp_decode(p, 27, &h), RTP_DECODE_EXTENSION);
	p[27] = 0; /* padding count 0 */
	assert_int_equal(rtp_decode(p, 28, &h), RTP_DECODE_PADDING);
	p[39] = 13; /* more than the 12-byte payload */
	assert_int_equal(rtp_decode(p, 40, &h), RTP_DECODE_PADDING);
	p[39] = 12; /* all of it */
	assert_int_equal(rtp_decode(p, 40, &h), RTP_DECODE_OK);
	assert_int_equal(h.payload_len, 0);
	p[0] = 0x40; /* version 1 */
	assert_int_equal(rtp_decode(p, 40, &h), RTP_DECODE_VERSION);
	test_hdr(p, 200, 1, 2, 3); /* RTCP sender report */
	assert_int_equal(rtp_decode(p, 28, &h), RTP_DECODE_RTCP);
	assert_string_equal(rtp_decode_error_name(RTP_DECODE_EXTENSION),
	    "extension");
	assert_string_equal(rtp_decode_error_name(RTP_DECODE_ERRORS), "?");
}

static void
test_payload_types(void **state)
{
	assert_int_equal(rtp_pt_clock_rate(0), 8000);
	assert_int_equal(rtp_pt_clock_rate(11), 44100);
	assert_int_equal(rtp_pt_clock_rate(33), 90000);
	assert_int_equal(rtp_pt_clock_rate(2), 0);
	assert_int_equal(rtp_pt_clock_rate(96), 0);
	assert_int_equal(rtp_pt_clock_rate(127), 0);
	assert_string_equal(rtp_pt_name(33), "MP2T");
	assert_null(rtp_pt_name(100));
}

static enum rtp_seq_verdict
seq(struct rtp_source *s, uint16_t n)
{
	return rtp_source_update_seq(s, n);
}

/* Probation, then loss, a duplicate and a late one across the wrap. */
static void
test_wrap_loss_dup_reorder(void **state)
{
	struct rtp_source s;

	rtp_source_init(&s, 7, 65530);
	assert_int_equal(seq(&s, 65530), RTP_SEQ_PROBATION);
	assert_int_equal(rtp_source_expected(&s), 0);
	assert_int_equal(seq(&s, 65531), RTP_SEQ_NEW);
	assert_int_equal(rtp_source_expected(&s), 2);
	assert_int_equal(rtp_source_received(&s), 2);
	assert_int_equal(seq(&s, 65532), RTP_SEQ_NEW);
	/* 65533 lost; 65534, 65535, 0 (wrap), 1; 2 and 3 lost; 4. */
	assert_int_equal(seq(&s, 65534), RTP_SEQ_NEW);
	assert_int_equal(seq(&s, 65535), RTP_SEQ_NEW);
	assert_int_equal(seq(&s, 0), RTP_SEQ_NEW);
	assert_int_equal(s.cycles, 65536);
	assert_int_equal(seq(&s, 1), RTP_SEQ_NEW);
	assert_int_equal(seq(&s, 4), RTP_SEQ_NEW);
	assert_int_equal(rtp_source_extended_max(&s), 65536 + 4);
	assert_int_equal(rtp_source_expected(&s), 11);
	assert_int_equal(rtp_source_received(&s), 8);
	assert_int_equal(rtp_source_lost(&s), 3);
	/* 1 again: a duplicate; 65533 at last, from before the wrap. */
	assert_int_equal(seq(&s, 1), RTP_SEQ_DUPLICATE);
	assert_int_equal(seq(&s, 4), RTP_SEQ_DUPLICATE);
	assert_int_equal(seq(&s, 65533), RTP_SEQ_LATE);
	assert_int_equal(seq(&s, 65533), RTP_SEQ_DUPLICATE);
	assert_int_equal(seq(&s, 3), RTP_SEQ_LATE);
	assert_int_equal(rtp_source_lost(&s), 1);
	assert_int_equal(s.duplicates, 3);
	assert_int_equal(s.reordered, 2);
	assert_int_equal(s.packets, 13);
	/* A.3: 11 expected, 10 received since the start: 1/11 of 256. */
	assert_int_equal(rtp_source_fraction_lost(&s), 256 / 11);
	/* Next interval: 5..8 with 6 lost: 1 of 4. */
	seq(&s, 5);
	seq(&s, 7);
	seq(&s, 8);
	assert_int_equal(rtp_source_fraction_lost(&s), 64);
	assert_int_equal(rtp_source_fraction_lost(&s), 0);
}

/* A.1: a jump past MAX_DROPOUT is ignored once, taken as a restart when
 * the next packet follows it; a late one past MAX_MISORDER likewise. */
static void
test_restart(void **state)
{
	struct rtp_source s;
	uint16_t i;

	rtp_source_init(&s, 7, 100);
	for (i = 100; i < 110; i++)
		seq(&s, i);
	assert_int_equal(rtp_source_received(&s), 10);
	assert_int_equal(seq(&s, 20000), RTP_SEQ_BAD);
	assert_int_equal(seq(&s, 110), RTP_SEQ_NEW);
	assert_int_equal(seq(&s, 30000), RTP_SEQ_BAD);
	assert_int_equal(seq(&s, 30001), RTP_SEQ_RESTART);
	assert_int_equal(s.restarts, 1);
	assert_int_equal(s.bad_jumps, 2);
	/* 11 before (100..110), 30001 and then 30002, 30004. */
	assert_int_equal(seq(&s, 30002), RTP_SEQ_NEW);
	assert_int_equal(seq(&s, 30004), RTP_SEQ_NEW);
	assert_int_equal(rtp_source_received(&s), 14);
	assert_int_equal(rtp_source_expected(&s), 15);
	assert_int_equal(rtp_source_lost(&s), 1);
	/* Behind by more than MAX_MISORDER: a jump too. */
	assert_int_equal(seq(&s, 30004 - 200), RTP_SEQ_BAD);
	/* Within MAX_DROPOUT ahead: a gap, counted as loss. */
	assert_int_equal(seq(&s, 30004 + 2999), RTP_SEQ_NEW);
	assert_int_equal(rtp_source_lost(&s), 1 + 2998);
}

/* A late packet older than the first counted: the count starts there. */
static void
test_late_before_base(void **state)
{
	struct rtp_source s;

	rtp_source_init(&s, 9, 1000);
	seq(&s, 1000);
	seq(&s, 1001);
	seq(&s, 1002);
	assert_int_equal(seq(&s, 997), RTP_SEQ_LATE);
	assert_int_equal(s.base_seq, 997);
	assert_int_equal(rtp_source_expected(&s), 6);
	assert_int_equal(rtp_source_received(&s), 4);
	assert_int_equal(rtp_source_lost(&s), 2);
	assert_int_equal(seq(&s, 998), RTP_SEQ_LATE);
	assert_int_equal(seq(&s, 997), RTP_SEQ_DUPLICATE);
	assert_int_equal(rtp_source_lost(&s), 1);
}

/* Probation broken: the packets before the break are not counted. */
static void
test_probation(void **state)
{
	struct rtp_source s;

	rtp_source_init(&s, 9, 0);
	assert_int_equal(seq(&s, 0), RTP_SEQ_PROBATION);
	assert_int_equal(seq(&s, 2), RTP_SEQ_PROBATION);
	assert_int_equal(s.probation_dropped, 1);
	assert_int_equal(seq(&s, 3), RTP_SEQ_NEW);
	assert_int_equal(s.base_seq, 2);
	assert_int_equal(rtp_source_received(&s), 2);
	assert_int_equal(rtp_source_lost(&s), 0);
	/* Validated at sequence 0: the first was 65535, before a wrap. */
	rtp_source_init(&s, 9, 65535);
	seq(&s, 65535);
	assert_int_equal(seq(&s, 0), RTP_SEQ_NEW);
	assert_int_equal(rtp_source_expected(&s), 2);
	assert_int_equal(seq(&s, 2), RTP_SEQ_NEW);
	assert_int_equal(rtp_source_expected(&s), 4);
	assert_int_equal(rtp_source_lost(&s), 1);
}

/* A.8 with exact figures: timestamps 160 apart, arrivals 160, 170, 150,
 * 160 apart: |D| is 0, 10, 10, 0. */
static void
test_jitter(void **state)
{
	struct rtp_source s;
	struct rtp_header h;
	uint32_t arrival[] = { 1000, 1160, 1330, 1480, 1640 };
	double j = 0;
	int i;

	memset(&h, 0, sizeof(h));
	rtp_source_init(&s, 1, 10);
	for (i = 0; i < 5; i++) {
		h.seq = (uint16_t)(10 + i);
		h.timestamp = 0xfffffe00u + 160u * (uint32_t)i; /* wraps */
		rtp_source_input(&s, &h, true, arrival[i]);
	}
	j += (0 - j) / 16;
	j += (10 - j) / 16;
	j += (10 - j) / 16;
	j += (0 - j) / 16;
	assert_true(rtp_source_jitter(&s) > j - 1e-9 &&
	    rtp_source_jitter(&s) < j + 1e-9);
	assert_int_equal(s.jitter_samples, 4);
	assert_true(s.jitter_max == rtp_source_jitter(&s) ||
	    s.jitter_max > rtp_source_jitter(&s));
	/* A duplicate leaves the jitter alone; no clock, no jitter. */
	h.seq = 14;
	rtp_source_input(&s, &h, true, 99999);
	assert_true(rtp_source_jitter(&s) > j - 1e-9 &&
	    rtp_source_jitter(&s) < j + 1e-9);
	h.seq = 15;
	rtp_source_input(&s, &h, false, 99999);
	assert_true(rtp_source_jitter(&s) > j - 1e-9 &&
	    rtp_source_jitter(&s) < j + 1e-9);
	assert_int_equal(rtp_source_received(&s), 6);
}

/* 70,000 packets in order with every 7th missing: exact loss over a
 * wrap, the window sliding by 2. */
static void
test_long_run(void **state)
{
	struct rtp_source s;
	uint32_t i, lost = 0;

	rtp_source_init(&s, 1, 40000);
	for (i = 40000; i < 40000 + 70000; i++) {
		if (i % 7 == 6 && i > 40002) {
			lost++;
			continue;
		}
		seq(&s, (uint16_t)i);
	}
	assert_int_equal(rtp_source_lost(&s), lost);
	assert_int_equal(rtp_source_expected(&s), 70000);
	assert_int_equal(s.duplicates, 0);
	assert_int_equal(s.reordered, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_payload_types),
		cmocka_unit_test(test_wrap_loss_dup_reorder),
		cmocka_unit_test(test_restart),
		cmocka_unit_test(test_probation),
		cmocka_unit_test(test_late_before_base),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_long_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
