/*
 * mcast file's engines wired in memory on a fake clock (proto/rmc_send.c,
 * proto/rmc_recv.c, the harness in rmc_sim.h): one sender, 8 to 100
 * receivers.  Every receiver ends with byte-identical files at 0, 1, 5 and
 * 20 % loss and in a mix of them; NACKs per receiver per 1,000 data
 * packets stay <= 1 at 1 % loss with suppression and are many times that
 * without it; a late joiner completes; a receiver that vanishes does not
 * stall the others; a NACK flood neither.
 */
#include "rmc_sim.h"

static void
test_lossless(void **state)
{
	struct sim_opts o = { .n = 8, .loss = 0, .suppress = true, .seed = 1 };
	struct sim *sim = sim_new(&o);
	int i;

	sim_run(sim);
	for (i = 0; i < sim->n; i++)
		sim_check_complete(sim, i);
	assert_true(rmc_send_done(sim->s));
	/* 2048 + 196 symbols of 512 bytes, once; nobody asked for more. */
	assert_int_equal(rmc_send_stats(sim->s)->data, 2048 + 196);
	assert_int_equal(rmc_send_stats(sim->s)->repair, 0);
	assert_int_equal(sim_nacks(sim), 0);
	assert_int_equal(rmc_send_stats(sim->s)->receivers, 8);
	assert_int_equal(rmc_send_stats(sim->s)->receivers_done, 8);
	sim_free(sim);
}

static void
test_loss_levels(void **state)
{
	static const double loss[] = { 0.01, 0.05, 0.20 };
	size_t l;
	int i;

	for (l = 0; l < sizeof(loss) / sizeof(loss[0]); l++) {
		struct sim_opts o = { .n = 8,
			.loss = loss[l],
			.suppress = true,
			.seed = 10 + l };
		struct sim *sim = sim_new(&o);

		sim_run(sim);
		for (i = 0; i < sim->n; i++)
			sim_check_complete(sim, i);
		assert_true(rmc_send_done(sim->s));
		assert_true(rmc_send_stats(sim->s)->repair > 0);
		print_message("# %2.0f %% loss, 8 receivers: %" PRIu64
			      " repair symbols for %" PRIu64 " data, %" PRIu64
			      " NACKs, done at %" PRId64 " ms\n",
		    loss[l] * 100, rmc_send_stats(sim->s)->repair,
		    rmc_send_stats(sim->s)->data, sim_nacks(sim), sim->now);
		sim_free(sim);
	}
}

static void
test_nack_suppression(void **state)
{
	struct sim_opts o = { .n = 100,
		.loss = 0.01,
		.suppress = true,
		.seed = 42 };
	struct sim *sim = sim_new(&o);
	uint64_t with, without;
	int i;

	sim_run(sim);
	for (i = 0; i < sim->n; i++)
		sim_check_complete(sim, i);
	with = sim_nack_rate_x100(sim);
	sim_free(sim);

	o.suppress = false;
	sim = sim_new(&o);
	sim_run(sim);
	for (i = 0; i < sim->n; i++)
		sim_check_complete(sim, i);
	without = sim_nack_rate_x100(sim);
	sim_free(sim);
	print_message("# 1 %% loss, 100 receivers: %" PRIu64 ".%02" PRIu64
		      " NACKs per receiver per 1000 data packets with "
		      "suppression, %" PRIu64 ".%02" PRIu64 " without\n",
	    with / 100, with % 100, without / 100, without % 100);
	assert_true(with <= 100);
	assert_true(without >= 4 * with);
}

static void
test_late_join(void **state)
{
	struct sim_opts o = { .n = 8,
		.loss = 0.01,
		.suppress = true,
		.seed = 7 };
	struct sim *sim = sim_new(&o);
	int i;

	/* Half of the first pass has gone by when the last one joins. */
	sim->rc[7].join_at = 1200;
	sim_run(sim);
	for (i = 0; i < sim->n; i++)
		sim_check_complete(sim, i);
	assert_true(rmc_recv_stats(sim->rc[7].r)->nacks_sent > 0);
	sim_free(sim);
}

static void
test_vanished(void **state)
{
	struct sim_opts o = { .n = 8,
		.loss = 0.05,
		.suppress = true,
		.seed = 9 };
	struct sim *sim = sim_new(&o);
	int i;

	sim->rc[3].die_at = 800;
	sim_run(sim);
	for (i = 0; i < sim->n; i++)
		if (i != 3)
			sim_check_complete(sim, i);
	assert_false(sim->rc[3].done);
	/* The sender lingered out instead of waiting for it. */
	assert_true(rmc_send_done(sim->s));
	assert_int_equal(rmc_send_stats(sim->s)->receivers, 8);
	assert_int_equal(rmc_send_stats(sim->s)->receivers_done, 7);
	assert_true(sim->now < 10000);
	sim_free(sim);
}

/*
 * A NACK flood (a whole block, every ms, a new id each time) while 8
 * receivers at 1 % loss work: they all finish, and what the sender puts
 * out stays within its cap.
 */
static void
test_nack_flood(void **state)
{
	struct sim_opts o = { .n = 8,
		.loss = 0.01,
		.suppress = true,
		.seed = 77 };
	struct sim *sim = sim_new(&o);
	int i;

	sim->flood = true;
	sim_run(sim);
	for (i = 0; i < sim->n; i++)
		sim_check_complete(sim, i);
	assert_true(rmc_send_done(sim->s));
	assert_true(sim->flood_nacks > 1000);
	/* 8 Mbit/s and a bucket of 2 ms. */
	assert_true(sim->sent_bits <= (uint64_t)sim->now * 8000 + 16000);
	print_message("# NACK flood: %" PRIu64 " forged NACKs, %" PRIu64
		      " repair symbols; done at %" PRId64 " ms\n",
	    sim->flood_nacks, rmc_send_stats(sim->s)->repair, sim->now);
	sim_free(sim);
}

/*
 * The lab's mix (t_file_loss): 0, 0, 1, 1, 5, 5, 20, 20 % at 40 Mbit/s,
 * where the first pass is over in a quarter of a second: repairs stay
 * below half the data.
 */
static void
test_mixed_loss(void **state)
{
	static const double losses[] = { 0, 0, .01, .01, .05, .05, .2, .2 };
	struct sim_opts o = { .n = 8,
		.losses = losses,
		.suppress = true,
		.seed = 21,
		.rate_bps = 40000000 };
	struct sim *sim = sim_new(&o);
	int i;

	sim_run(sim);
	for (i = 0; i < sim->n; i++)
		sim_check_complete(sim, i);
	print_message("# 0/0/1/1/5/5/20/20 %% loss: %" PRIu64
		      " repair symbols (%" PRIu64 " bursts) for %" PRIu64
		      " data, %" PRIu64 " NACKs, done at %" PRId64 " ms\n",
	    rmc_send_stats(sim->s)->repair, rmc_send_stats(sim->s)->repairs,
	    rmc_send_stats(sim->s)->data, sim_nacks(sim), sim->now);
	/*
	 * About 0.2 x 2244 / 0.8 is what the 20 % ones need; a receiver that
	 * lost the only manifest of a fast first pass made it 1.2 x data.
	 */
	assert_true(rmc_send_stats(sim->s)->repair * 2 <=
	    rmc_send_stats(sim->s)->data);
	sim_free(sim);
}

/*
 * --cc tfmcc: the files still arrive whole; the receivers answer the
 * sender's CC packets with FEEDBACK, the sender picks a CLR and its rate
 * leaves slow start at the first loss and stays under the ceiling.
 */
static void
test_tfmcc(void **state)
{
	struct sim_opts o = { .n = 8,
		.loss = 0.01,
		.suppress = true,
		.seed = 5,
		.cc_tfmcc = true };
	struct sim *sim = sim_new(&o);
	const struct rmc_send_stats *ss;
	uint64_t fb = 0;
	int i;

	(void)state;
	sim_run(sim);
	for (i = 0; i < sim->n; i++) {
		const struct rmc_recv_stats *rs = rmc_recv_stats(sim->rc[i].r);

		sim_check_complete(sim, i);
		assert_true(rs->cc);
		fb += rs->feedback_sent;
	}
	ss = rmc_send_stats(sim->s);
	assert_true(rmc_send_done(sim->s));
	assert_true(ss->cc_packets > 0);
	assert_true(ss->feedback > 0 && ss->feedback <= fb);
	assert_true(ss->clr_changes >= 1);
	assert_false(ss->slow_start);
	assert_true(ss->rate_bps > 0 && ss->rate_bps <= 8000000);
	sim_free(sim);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lossless),
		cmocka_unit_test(test_loss_levels),
		cmocka_unit_test(test_nack_suppression),
		cmocka_unit_test(test_late_join),
		cmocka_unit_test(test_vanished),
		cmocka_unit_test(test_mixed_loss),
		cmocka_unit_test(test_tfmcc),
		cmocka_unit_test(test_nack_flood),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
