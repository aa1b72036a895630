/*
 * RFC 2974 3.1's announcement timing (proto/sap_timer.c): the base
 * interval at and above 300 s, the offset's bounds (every transmission
 * within [2/3, 4/3] of the interval), reconsideration when the set of
 * announcements grows or shrinks, the aes67 and fixed profiles, and many
 * announcers sharing a group staying within 4,000 bit/s.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sap_timer.h"

static uint32_t rng_state = 12345;

/* xorshift32: the caller's RNG. */
static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void
test_base_interval(void **state)
{
	/* 8 x bytes / 4000 bit/s, at least 300 s. */
	assert_int_equal(sap_timer_base_interval_ms(0, 0), 300000);
	assert_int_equal(sap_timer_base_interval_ms(150000, 0), 300000);
	assert_int_equal(sap_timer_base_interval_ms(150001, 0), 300002);
	/* 10 announcers x 100 sessions x 300 bytes: 600 s. */
	assert_int_equal(sap_timer_base_interval_ms(300000, 4000), 600000);
	assert_int_equal(sap_timer_base_interval_ms(300000, 8000), 300000);
	assert_int_equal(sap_timer_base_interval_ms(300000, 1000), 2400000);
}

static void
test_offset_bounds(void **state)
{
	mc_time_t i = 300000, off, tn;
	unsigned k;

	/* RFC 2974 3.1 step 3: rand(2/3 interval) - interval/3. */
	assert_int_equal(sap_timer_offset_ms(i, 0), -100000);
	off = sap_timer_offset_ms(i, UINT32_MAX);
	assert_true(off < 100000 && off >= 99999);
	assert_int_equal(sap_timer_offset_ms(i, 1u << 31), 0);
	for (k = 0; k < 100000; k++) {
		tn = sap_timer_next(1000, i, sap_timer_offset_ms(i, rng()));
		assert_true(tn - 1000 >= i * 2 / 3);
		assert_true(tn - 1000 <= i * 4 / 3);
	}
}

static void
test_reconsider(void **state)
{
	struct sap_timer t = { .profile = SAP_TIMER_RFC };
	mc_time_t tn;

	/* Scheduled with 300,000 bytes heard: 600 s, offset 0. */
	tn = sap_timer_schedule(&t, 0, 300000, 1u << 31);
	assert_int_equal(tn, 600000);
	/* At tn the set has doubled: 1200 s, not yet. */
	assert_false(sap_timer_reconsider(&t, 600000, 600000));
	assert_int_equal(t.tn, 1200000);
	/* It shrank back to one small announcement: 300 s, already due. */
	assert_true(sap_timer_reconsider(&t, 600000, 500));
	assert_int_equal(t.tn, 300000);
	/* The same random number keeps the offset's share. */
	tn = sap_timer_schedule(&t, 0, 300000, 0);
	assert_int_equal(tn, 400000); /* 600 - 200 */
	sap_timer_reconsider(&t, 0, 600000);
	assert_int_equal(t.tn, 800000); /* 1200 - 400 */
}

static void
test_profiles(void **state)
{
	struct sap_timer t = { .profile = SAP_TIMER_AES67 };

	assert_int_equal(sap_timer_interval_ms(&t, 10000000), 30000);
	assert_int_equal(sap_timer_schedule(&t, 5000, 10000000, 1u << 31),
	    35000);
	assert_int_equal(sap_timer_schedule(&t, 0, 0, 0), 20000);
	t.profile = SAP_TIMER_FIXED;
	t.fixed_ms = 1000;
	assert_int_equal(sap_timer_schedule(&t, 0, 10000000, 1u << 31), 1000);
	t.profile = SAP_TIMER_RFC;
	t.limit_bps = 8000;
	assert_int_equal(sap_timer_interval_ms(&t, 600000), 600000);
}

/*
 * 10 announcers x 100 sessions of 500 bytes on one group, every announcer
 * hearing all (500,000 bytes: base 1000 s).  Over 10 hours the bytes sent
 * stay within the 4,000 bit/s budget (a few percent for the jitter), and
 * every gap lies in [2/3, 4/3] of the interval.
 */
static void
test_many_announcers(void **state)
{
	enum { N = 1000, SIZE = 500 };
	static struct sap_timer t[N];
	static mc_time_t last[N];
	const mc_time_t end = 10 * 3600 * 1000;
	uint64_t total = (uint64_t)N * SIZE, bytes = 0;
	mc_time_t now = 0, next;
	unsigned k, sends = 0;
	double bps;

	for (k = 0; k < N; k++) {
		t[k].profile = SAP_TIMER_RFC;
		sap_timer_schedule(&t[k], 0, total, rng());
		last[k] = 0;
	}
	for (;;) {
		next = MC_TIME_NEVER;
		for (k = 0; k < N; k++)
			if (t[k].tn < next)
				next = t[k].tn;
		if (next > end)
			break;
		now = next;
		for (k = 0; k < N; k++) {
			if (t[k].tn > now ||
			    !sap_timer_reconsider(&t[k], now, total))
				continue;
			assert_true(now - last[k] >= 1000000 * 2 / 3);
			assert_true(now - last[k] <= 1000000 * 4 / 3);
			last[k] = now;
			bytes += SIZE;
			sends++;
			sap_timer_schedule(&t[k], now, total, rng());
		}
	}
	bps = (double)bytes * 8 / (end / 1000.0);
	assert_true(sends > 30000);
	assert_true(bps <= 4000 * 1.05);
	assert_true(bps >= 4000 * 0.9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_interval),
		cmocka_unit_test(test_offset_bounds),
		cmocka_unit_test(test_reconsider),
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_many_announcers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
