/* The arithmetic of a paced mcast send: schedule, batch per wake-up, and
 * the verdict on a run that fell behind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "send_pace.h"

#define MS 1000000LL

static void
test_batch_per_wakeup(void **state)
{
	/* One wake-up per 100 us: below 10,000/s one datagram each. */
	assert_int_equal(send_pace_batch(1000, 64), 1);
	assert_int_equal(send_pace_batch(10000, 64), 1);
	assert_int_equal(send_pace_batch(20000, 64), 2);
	assert_int_equal(send_pace_batch(500000, 64), 50);
	/* Never more than a batch holds (64, or a GSO train's share). */
	assert_int_equal(send_pace_batch(5e6, 64), 64);
	assert_int_equal(send_pace_batch(5e6, 46), 46);
	assert_int_equal(send_pace_batch(0.5, 64), 1);
}

static void
test_schedule(void **state)
{
	/* Datagram n is due at n / rate: 0 at once, 1 after 50 us. */
	assert_int_equal(send_pace_allowed(20000, 0), 1);
	assert_int_equal(send_pace_allowed(20000, 49999), 1);
	assert_int_equal(send_pace_allowed(20000, 50000), 2);
	assert_int_equal(send_pace_allowed(20000, 1000 * MS), 20001);
	assert_true(send_pace_allowed(0, 1) == UINT64_MAX); /* flat out */
	assert_int_equal(send_pace_due_ns(20000, 0), 0);
	assert_int_equal(send_pace_due_ns(20000, 19999), 999950000);
	assert_int_equal(send_pace_due_ns(3, 1), 333333334); /* rounded up */
}

static void
test_verdict(void **state)
{
	struct send_pace_verdict v;

	/* 20,000 at 20,000/s, the last one 0.5 ms late: on schedule. */
	send_pace_judge(20000, 20000, 999950000 + MS / 2, 999950000 + MS / 2,
	    &v);
	assert_false(v.short_of_rate);
	assert_int_equal(v.behind_ns, MS / 2);
	assert_true(v.achieved_pps > 19990 && v.achieved_pps < 20000);
	/* The example of the issue: 500,000/s asked, 152,550 sent in 1 s. */
	send_pace_judge(500000, 152550, 1000 * MS, 1000 * MS, &v);
	assert_true(v.short_of_rate);
	assert_true(v.achieved_pps == 152550.0);
	/* 2% behind on a 1 s run: the slack, not yet short; 3%: short. */
	send_pace_judge(1000, 1000, 999 * MS + 20 * MS, 999 * MS + 20 * MS, &v);
	assert_false(v.short_of_rate);
	send_pace_judge(1000, 1000, 999 * MS + 30 * MS, 999 * MS + 30 * MS, &v);
	assert_true(v.short_of_rate);
	/* A short run is given 10 ms: 5 at 1000/s ending 8 ms late is fine. */
	send_pace_judge(1000, 5, 4 * MS + 8 * MS, 4 * MS + 8 * MS, &v);
	assert_false(v.short_of_rate);
	send_pace_judge(1000, 5, 4 * MS + 11 * MS, 4 * MS + 11 * MS, &v);
	assert_true(v.short_of_rate);
	/* Flat out has no rate to fall short of. */
	send_pace_judge(0, 5, 1000 * MS, 1000 * MS, &v);
	assert_false(v.short_of_rate);
	assert_int_equal(v.behind_ns, 0);
	/*
	 * -r 10 -d 2: 20 sent, the last at 1.9 s as due, then asleep until
	 * the end at 2 s: on schedule (the sleep is not a shortfall).
	 */
	send_pace_judge(10, 20, 2000 * MS, 1900 * MS + MS / 2, &v);
	assert_false(v.short_of_rate);
	assert_int_equal(v.behind_ns, MS / 2);
	/* Ctrl-C 0.9 s after the last one at 1/s: on schedule too. */
	send_pace_judge(1, 3, 2900 * MS, 2000 * MS, &v);
	assert_false(v.short_of_rate);
	/* Nothing sent in a second of a paced run: short. */
	send_pace_judge(1000, 0, 1000 * MS, 1000 * MS, &v);
	assert_true(v.short_of_rate);
	assert_true(v.achieved_pps == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_per_wakeup),
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_verdict),
	};

	return cmocka_run_group_tests_name("send_pace", tests, NULL, NULL);
}
