/*
 * MPEG-TS (proto/mpegts.c): header and adaptation field decoding with a
 * PCR; continuity counters per PID on crafted patterns (in order, loss,
 * one duplicate and two, no payload, discontinuity_indicator, wrap, null
 * packets); junk counted by kind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mpegts.h"

/* One packet: pid, counter cc, adaptation_field_control afc; with an
 * adaptation field of flags (and a PCR of pcr_base when 0x10). */
static void
test_pkt(uint8_t *p, uint16_t pid, uint8_t cc, uint8_t afc, uint8_t flags,
    uint64_t pcr_base)
{
	memset(p, 0xff, MPEGTS_PACKET_LEN);
	p[0] = MPEGTS_SYNC;
	p[1] = (uint8_t)(pid >> 8);
	p[2] = (uint8_t)pid;
	p[3] = (uint8_t)(afc << 4 | cc);
	if (afc & 2) {
		p[4] = afc == 2 ? 183 : 7;
		p[5] = flags;
		if (flags & 0x10) {
			p[6] = (uint8_t)(pcr_base >> 25);
			p[7] = (uint8_t)(pcr_base >> 17);
			p[8] = (uint8_t)(pcr_base >> 9);
			p[9] = (uint8_t)(pcr_base >> 1);
			p[10] = (uint8_t)((pcr_base & 1) << 7 | 0x7e);
			p[11] = 0;
		}
	}
}

/* Feed one packet of pid with counter cc and payload. */
static void
feed(struct mpegts_stats *s, uint16_t pid, uint8_t cc)
{
	uint8_t p[MPEGTS_PACKET_LEN];

	test_pkt(p, pid, cc & 0x0f, 1, 0, 0);
	mpegts_input(s, p, sizeof(p));
}

static void
test_decode(void **state)
{
	uint8_t p[MPEGTS_PACKET_LEN];
	struct mpegts_packet pk;

	test_pkt(p, 0x100, 5, 3, 0x80 | 0x40 | 0x10, 0x1ffffffffULL);
	p[1] |= 0x40; /* payload_unit_start */
	assert_int_equal(mpegts_decode(p, &pk), MPEGTS_OK);
	assert_int_equal(pk.pid, 0x100);
	assert_int_equal(pk.cc, 5);
	assert_true(pk.pusi);
	assert_true(pk.has_payload);
	assert_true(pk.discontinuity);
	assert_true(pk.random_access);
	assert_true(pk.has_pcr);
	assert_int_equal(pk.pcr, 0x1ffffffffULL * 300);
	/* Adaptation only: length 183; more is junk. */
	test_pkt(p, 0x101, 0, 2, 0, 0);
	assert_int_equal(mpegts_decode(p, &pk), MPEGTS_OK);
	assert_false(pk.has_payload);
	p[4] = 182;
	assert_int_equal(mpegts_decode(p, &pk), MPEGTS_ERR_AF_LENGTH);
	test_pkt(p, 0x101, 0, 3, 0, 0);
	p[4] = 183;
	assert_int_equal(mpegts_decode(p, &pk), MPEGTS_ERR_AF_LENGTH);
	p[4] = 3; /* PCR_flag in 3 bytes */
	p[5] = 0x10;
	assert_int_equal(mpegts_decode(p, &pk), MPEGTS_ERR_AF_LENGTH);
	test_pkt(p, 0x101, 0, 0, 0, 0);
	assert_int_equal(mpegts_decode(p, &pk), MPEGTS_ERR_AFC_RESERVED);
	test_pkt(p, 0x101, 0, 1, 0, 0);
	p[1] |= 0x80;
	assert_int_equal(mpegts_decode(p, &pk), MPEGTS_ERR_TEI);
	p[0] = 0x48;
	assert_int_equal(mpegts_decode(p, &pk), MPEGTS_ERR_SYNC);
	assert_string_equal(mpegts_error_name(MPEGTS_ERR_AF_LENGTH),
	    "af_length");
}

static void
test_looks_like(void **state)
{
	uint8_t p[8 * MPEGTS_PACKET_LEN];
	int i;

	for (i = 0; i < 8; i++)
		test_pkt(p + i * MPEGTS_PACKET_LEN, 0x100, 0, 1, 0, 0);
	assert_true(mpegts_looks_like(p, MPEGTS_PACKET_LEN));
	assert_true(mpegts_looks_like(p, 7 * MPEGTS_PACKET_LEN));
	assert_false(mpegts_looks_like(p, 8 * MPEGTS_PACKET_LEN));
	assert_false(mpegts_looks_like(p, 0));
	assert_false(mpegts_looks_like(p, 189));
	p[2 * MPEGTS_PACKET_LEN] = 0;
	assert_false(mpegts_looks_like(p, 3 * MPEGTS_PACKET_LEN));
}

static void
test_cc(void **state)
{
	static struct mpegts_stats s;
	const struct mpegts_pid *a;
	uint8_t p[MPEGTS_PACKET_LEN];
	int i;

	mpegts_stats_init(&s);
	/* PID 0x100: 0..15, 0, 1 (wrap), then 1 again (a duplicate). */
	for (i = 0; i < 18; i++)
		feed(&s, 0x100, (uint8_t)i);
	feed(&s, 0x100, 1);
	a = mpegts_pid_find(&s, 0x100);
	assert_int_equal(a->packets, 19);
	assert_int_equal(a->cc_errors, 0);
	assert_int_equal(a->duplicates, 1);
	/* A third 1: an error; then 2: fine. */
	feed(&s, 0x100, 1);
	feed(&s, 0x100, 2);
	assert_int_equal(a->cc_errors, 1);
	assert_int_equal(a->cc_lost, 0);
	/* 3 and 4 lost: 5 is one error, two missing. */
	feed(&s, 0x100, 5);
	assert_int_equal(a->cc_errors, 2);
	assert_int_equal(a->cc_lost, 2);
	/* 14 lost across the wrap (6..15, 0..3), then 4. */
	feed(&s, 0x100, 4);
	assert_int_equal(a->cc_errors, 3);
	assert_int_equal(a->cc_lost, 2 + 14);
	/* No payload: the counter stays (4); with payload it goes on. */
	test_pkt(p, 0x100, 4, 2, 0x10, 1000);
	mpegts_input(&s, p, sizeof(p));
	feed(&s, 0x100, 5);
	assert_int_equal(a->cc_errors, 3);
	assert_int_equal(a->duplicates, 1);
	/* A counter that moves without payload is an error. */
	test_pkt(p, 0x100, 7, 2, 0, 0);
	mpegts_input(&s, p, sizeof(p));
	assert_int_equal(a->cc_errors, 4);
	assert_int_equal(a->cc_lost, 2 + 14 + 2);
	/* Discontinuity indicator: any counter, no error. */
	test_pkt(p, 0x100, 12, 3, 0x80, 0);
	mpegts_input(&s, p, sizeof(p));
	feed(&s, 0x100, 13);
	assert_int_equal(a->cc_errors, 4);
	assert_int_equal(a->discontinuities, 1);
	/* A second PID on its own; null packets are never checked. */
	feed(&s, 0x200, 9);
	feed(&s, 0x200, 11);
	feed(&s, MPEGTS_PID_NULL, 3);
	feed(&s, MPEGTS_PID_NULL, 3);
	feed(&s, MPEGTS_PID_NULL, 9);
	assert_int_equal(mpegts_pid_find(&s, 0x200)->cc_errors, 1);
	assert_int_equal(mpegts_pid_find(&s, 0x200)->cc_lost, 1);
	assert_null(mpegts_pid_find(&s, MPEGTS_PID_NULL));
	assert_int_equal(s.null_packets, 3);
	assert_int_equal(s.npids, 2);
	assert_int_equal(mpegts_cc_errors(&s), 5);
	assert_int_equal(mpegts_errors(&s), 0);
}

static void
test_pcr(void **state)
{
	static struct mpegts_stats s;
	const struct mpegts_pid *a;
	uint8_t p[MPEGTS_PACKET_LEN];
	uint64_t base[] = { (1ULL << 33) - 900, 2700, 2700 + 3600 };
	int i;

	mpegts_stats_init(&s);
	for (i = 0; i < 3; i++) {
		test_pkt(p, 0x31, (uint8_t)i, 3, 0x10, base[i]);
		mpegts_input(&s, p, sizeof(p));
	}
	a = mpegts_pid_find(&s, 0x31);
	assert_int_equal(a->pcr_count, 3);
	assert_int_equal(a->pcr_intervals, 2);
	/* 3600 ticks of 90 kHz across the wrap, 3600 again: 40 ms. */
	assert_int_equal(a->pcr_interval_min, 3600 * 300);
	assert_int_equal(a->pcr_interval_max, 3600 * 300);
	assert_int_equal(a->pcr_interval_sum, 2 * 3600 * 300);
	assert_int_equal(a->cc_errors, 0);
}

static void
test_junk(void **state)
{
	static struct mpegts_stats s;
	uint8_t p[3 * MPEGTS_PACKET_LEN + 5];

	mpegts_stats_init(&s);
	test_pkt(p, 0x100, 0, 1, 0, 0);
	test_pkt(p + MPEGTS_PACKET_LEN, 0x100, 1, 1, 0, 0);
	test_pkt(p + 2 * MPEGTS_PACKET_LEN, 0x100, 2, 0, 0, 0);
	p[MPEGTS_PACKET_LEN] = 0;
	mpegts_input(&s, p, sizeof(p));
	assert_int_equal(s.errors[MPEGTS_ERR_LENGTH], 1);
	assert_int_equal(s.errors[MPEGTS_ERR_SYNC], 1);
	assert_int_equal(s.errors[MPEGTS_ERR_AFC_RESERVED], 1);
	assert_int_equal(s.packets, 1);
	assert_int_equal(mpegts_errors(&s), 3);
	mpegts_input(&s, p, 10);
	assert_int_equal(s.errors[MPEGTS_ERR_LENGTH], 2);
	/* More PIDs than tracked: counted, not kept. */
	mpegts_stats_init(&s);
	for (int i = 0; i < MPEGTS_MAX_PIDS + 3; i++)
		feed(&s, (uint16_t)(0x20 + i), 0);
	assert_int_equal(s.npids, MPEGTS_MAX_PIDS);
	assert_int_equal(s.pids_untracked, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_cc),
		cmocka_unit_test(test_pcr),
		cmocka_unit_test(test_junk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
