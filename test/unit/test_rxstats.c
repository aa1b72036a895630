/* Receive statistics: loss, duplicates, reordering, delay, RFC 3550 jitter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include <mcast/mcast.h>

#define MS 1000000LL

static struct mc_rxstats *
fresh(void)
{
	static struct mc_rxstats s;

	mc_rxstats_init(&s);
	return &s;
}

static void
test_in_order_no_loss(void **state)
{
	struct mc_rxstats *s = fresh();
	uint64_t i;

	for (i = 0; i < 100; i++)
		mc_rxstats_add(s, i, 100, 64, (int64_t)i * MS,
		    (int64_t)i * MS + 2 * MS);
	assert_int_equal(s->packets, 100);
	assert_int_equal(s->unique, 100);
	assert_int_equal(s->bytes, 6400);
	assert_int_equal(mc_rxstats_lost(s, true), 0);
	assert_int_equal(s->duplicates, 0);
	assert_int_equal(s->reordered, 0);
	assert_int_equal(s->delay_min_ns, 2 * MS);
	assert_int_equal(s->delay_max_ns, 2 * MS);
	/* Constant transit time: no jitter at all. */
	assert_true(s->jitter_ns == 0.0);
}

static void
test_gaps_tail_and_announced_total(void **state)
{
	struct mc_rxstats *s = fresh();
	uint64_t i;

	/* 0..99 with every tenth (5, 15, ..., 95) missing, 99 also lost. */
	for (i = 0; i < 99; i++)
		if (i % 10 != 5)
			mc_rxstats_add(s, i, 100, 64, 0, 1);
	assert_int_equal(s->unique, 89);
	/* While the stream runs only the gaps below the highest count. */
	assert_int_equal(mc_rxstats_lost(s, false), 10);
	/* Once over, the sender's total tells of the lost tail (seq 99). */
	assert_int_equal(mc_rxstats_lost(s, true), 11);
}

static void
test_duplicates_and_reordering(void **state)
{
	struct mc_rxstats *s = fresh();
	const uint64_t seqs[] = { 0, 1, 3, 2, 3, 4, 4, 1, 6, 5 };
	size_t i;

	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		mc_rxstats_add(s, seqs[i], 0, 10, 0, 1);
	assert_int_equal(s->packets, 10);
	assert_int_equal(s->unique, 7);
	assert_int_equal(s->duplicates, 3);
	assert_int_equal(s->reordered, 2); /* 2 after 3, 5 after 6 */
	assert_int_equal(mc_rxstats_lost(s, true), 0);
}

static void
test_joined_mid_stream(void **state)
{
	struct mc_rxstats *s = fresh();

	mc_rxstats_add(s, 1000, 0, 10, 0, 1);
	mc_rxstats_add(s, 1002, 0, 10, 0, 1);
	/* Loss is counted from the first sequence received. */
	assert_int_equal(s->first_seq, 1000);
	assert_int_equal(mc_rxstats_lost(s, false), 1);
	/* A straggler from before the first is reordered, not lost. */
	mc_rxstats_add(s, 999, 0, 10, 0, 1);
	assert_int_equal(s->first_seq, 999);
	assert_int_equal(s->reordered, 1);
	assert_int_equal(mc_rxstats_lost(s, false), 1);
}

static void
test_window_wrap(void **state)
{
	struct mc_rxstats *s = fresh();

	mc_rxstats_add(s, 0, 0, 10, 0, 1);
	mc_rxstats_add(s, MC_RXSTATS_WINDOW + 5, 0, 10, 0, 1);
	/* The slot of 5 was reused: 5 now is new, not a duplicate. */
	mc_rxstats_add(s, MC_RXSTATS_WINDOW + 5, 0, 10, 0, 1);
	assert_int_equal(s->duplicates, 1);
	/* 0 is older than the window: neither duplicate nor new. */
	mc_rxstats_add(s, 0, 0, 10, 0, 1);
	assert_int_equal(s->late, 1);
	assert_int_equal(s->unique, 2);
}

/* RFC 3550 A.8 by hand: J += (|D| - J) / 16. */
static void
test_jitter_formula(void **state)
{
	double j = 0;

	j = mc_rfc3550_jitter_update(j, 10 * MS, 26 * MS);
	assert_true(j == 1.0 * MS); /* 16 ms / 16 */
	j = mc_rfc3550_jitter_update(j, 26 * MS, 10 * MS);
	assert_true(j == 1.0 * MS + (16.0 * MS - 1.0 * MS) / 16);
	assert_true(mc_rfc3550_jitter_update(5.0, 7, 7) == 5.0 - 5.0 / 16);
}

static void
test_jitter_and_delay_in_stream(void **state)
{
	struct mc_rxstats *s = fresh();
	/* Transit times 1, 3, 1, 3 ms: |D| is 2 ms each time. */
	const int64_t transit[] = { 1 * MS, 3 * MS, 1 * MS, 3 * MS };
	double want = 0;
	int i;

	for (i = 0; i < 4; i++)
		mc_rxstats_add(s, (uint64_t)i, 0, 10, i * 10 * MS,
		    i * 10 * MS + transit[i]);
	for (i = 1; i < 4; i++)
		want += (2.0 * MS - want) / 16;
	assert_true(s->jitter_ns > want - 1e-6 && s->jitter_ns < want + 1e-6);
	assert_int_equal(s->delay_min_ns, 1 * MS);
	assert_int_equal(s->delay_max_ns, 3 * MS);
	assert_int_equal(s->delay_sum_ns, 8 * MS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order_no_loss),
		cmocka_unit_test(test_gaps_tail_and_announced_total),
		cmocka_unit_test(test_duplicates_and_reordering),
		cmocka_unit_test(test_joined_mid_stream),
		cmocka_unit_test(test_window_wrap),
		cmocka_unit_test(test_jitter_formula),
		cmocka_unit_test(test_jitter_and_delay_in_stream),
	};

	return cmocka_run_group_tests_name("rxstats", tests, NULL, NULL);
}
