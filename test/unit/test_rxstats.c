/* Receive statistics: loss, duplicates, reordering, delay, RFC 3550 jitter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
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

/* The receiver listened from t=1000; the sender began at 2000. */
#define LISTENING 1000
#define BEGAN	  2000

static void
add_from_start(struct mc_rxstats *s, uint64_t seq, uint32_t total)
{
	mc_rxstats_stream_start(s, BEGAN, LISTENING);
	mc_rxstats_add(s, seq, total, 64, 0, 1);
}

/* 3 dropped at the head of a stream the receiver heard begin: 3 lost. */
static void
test_head_loss_counted(void **state)
{
	struct mc_rxstats *s = fresh();
	uint64_t i;

	for (i = 3; i < 100; i++)
		add_from_start(s, i, 100);
	assert_int_equal(s->first_seq, 3);
	assert_int_equal(mc_rxstats_count_from(s), 0);
	assert_false(mc_rxstats_joined_mid_stream(s));
	assert_int_equal(mc_rxstats_lost(s, false), 3);
	assert_int_equal(mc_rxstats_lost(s, true), 3);
}

/* 120 of 6,000 dropped, sequence 0 among them: 120 lost, not 119. */
static void
test_120_of_6000(void **state)
{
	struct mc_rxstats *s = fresh();
	uint64_t i;

	for (i = 0; i < 6000; i++)
		if (i % 50 != 0)
			add_from_start(s, i, 6000);
	assert_int_equal(s->unique, 5880);
	assert_int_equal(mc_rxstats_lost(s, true), 120);
	/* An older sender says nothing of its start: 119, as before. */
	s = fresh();
	for (i = 0; i < 6000; i++)
		if (i % 50 != 0)
			mc_rxstats_add(s, i, 6000, 64, 0, 1);
	assert_int_equal(mc_rxstats_lost(s, true), 119);
}

/* The last 10 of an announced 6,000 dropped: lost once the stream is over. */
static void
test_tail_loss_with_total(void **state)
{
	struct mc_rxstats *s = fresh();
	uint64_t i;

	for (i = 0; i < 5990; i++)
		add_from_start(s, i, 6000);
	assert_int_equal(mc_rxstats_lost(s, false), 0);
	assert_int_equal(mc_rxstats_lost(s, true), 10);
}

/* A stream that began before the receiver listened: nothing before the
 * first datagram received counts, and the receiver knows it joined late. */
static void
test_mid_stream_join_known(void **state)
{
	struct mc_rxstats *s = fresh();
	uint64_t i;

	for (i = 500; i < 1000; i++) {
		mc_rxstats_stream_start(s, LISTENING - 1, LISTENING);
		mc_rxstats_add(s, i, 1000, 64, 0, 1);
	}
	assert_true(mc_rxstats_joined_mid_stream(s));
	assert_int_equal(mc_rxstats_count_from(s), 500);
	assert_int_equal(mc_rxstats_lost(s, true), 0);
	/* The first call decides: a later start changes nothing. */
	mc_rxstats_stream_start(s, BEGAN, LISTENING);
	assert_int_equal(mc_rxstats_lost(s, true), 0);
}

/* Interval loss: new sequence numbers up to the highest minus those that
 * arrived in the interval. */
static void
test_interval_loss(void **state)
{
	struct mc_rxstats *s = fresh();
	struct mc_rxstats_mark m = { 0, 0 };
	struct mc_rxstats_interval iv;
	uint64_t i;

	/* Interval 1: 0..99, 2 at the head and 10, 11 dropped. */
	for (i = 2; i < 100; i++)
		if (i != 10 && i != 11)
			add_from_start(s, i, 0);
	mc_rxstats_since(s, &m, &iv);
	assert_int_equal(iv.expected, 100);
	assert_int_equal(iv.received, 96);
	assert_int_equal(iv.lost, 4);
	mc_rxstats_mark(s, &m);
	/* Interval 2: 100..199, every tenth dropped. */
	for (i = 100; i < 200; i++)
		if (i % 10 != 0)
			add_from_start(s, i, 0);
	mc_rxstats_since(s, &m, &iv);
	assert_int_equal(iv.expected, 100);
	assert_int_equal(iv.lost, 10);
	mc_rxstats_mark(s, &m);
	/* Interval 3: nothing new, but 10 and 11 arrive late: no loss, and
	 * the total goes down by them. */
	add_from_start(s, 10, 0);
	add_from_start(s, 11, 0);
	mc_rxstats_since(s, &m, &iv);
	assert_int_equal(iv.expected, 0);
	assert_int_equal(iv.received, 2);
	assert_int_equal(iv.lost, 0);
	assert_int_equal(mc_rxstats_lost(s, false), 12);
	/* An empty interval of a stream not yet started. */
	s = fresh();
	memset(&m, 0, sizeof(m));
	mc_rxstats_since(s, &m, &iv);
	assert_int_equal(iv.expected + iv.received + iv.lost, 0);
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
		cmocka_unit_test(test_head_loss_counted),
		cmocka_unit_test(test_120_of_6000),
		cmocka_unit_test(test_tail_loss_with_total),
		cmocka_unit_test(test_mid_stream_join_known),
		cmocka_unit_test(test_interval_loss),
		cmocka_unit_test(test_window_wrap),
		cmocka_unit_test(test_jitter_formula),
		cmocka_unit_test(test_jitter_and_delay_in_stream),
	};

	return cmocka_run_group_tests_name("rxstats", tests, NULL, NULL);
}
