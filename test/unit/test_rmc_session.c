/*
 * The file transfer's sessions beyond loss (the harness in rmc_sim.h): the
 * sender's rate cap as a loop drives it, the NACK backoff's distribution,
 * a carousel, --resume, --fec auto, and the engines' trace lines.
 */
#include "rmc_sim.h"

struct test_lines {
	char text[16384];
	size_t len;
	unsigned n;
};

static void
test_trace_line(void *arg, const char *line)
{
	struct test_lines *l = arg;
	int n = snprintf(l->text + l->len, sizeof(l->text) - l->len, "%s\n",
	    line);

	if (n > 0 && l->len + (size_t)n < sizeof(l->text))
		l->len += (size_t)n;
	l->n++;
}

static bool
test_ends_with(const struct test_lines *l, const char *tail)
{
	size_t n = strlen(tail);

	return l->len >= n && strcmp(l->text + l->len - n, tail) == 0;
}

/* The engines' trace lines: one per transition, the first and last known. */
static void
test_trace(void **state)
{
	static struct test_lines sl, rl;
	struct sim_opts o = { .n = 2,
		.loss = 0.05,
		.suppress = true,
		.seed = 3,
		.trace = test_trace_line,
		.trace_arg = { &sl, &rl } };
	const char *first =
	    "session 00005e55: 3 files, symbols of 512 bytes, K 64\n";
	struct sim *sim = sim_new(&o);
	int i;

	sim_run(sim);
	for (i = 0; i < sim->n; i++)
		sim_check_complete(sim, i);
	assert_memory_equal(rl.text, first, strlen(first));
	assert_non_null(strstr(rl.text, "file 2 done\n")); /* the empty one */
	assert_non_null(strstr(rl.text, ": NACK of "));
	assert_non_null(strstr(rl.text, ": done, rebuilt from parity\n"));
	assert_true(test_ends_with(&rl, "done: 3 files\n"));
	/* The session, 36 blocks, 3 files, the end; NACKs sent and held. */
	assert_int_equal(rl.n,
	    1 + 36 + 3 + 1 + rmc_recv_stats(sim->rc[0].r)->nacks_sent +
		rmc_recv_stats(sim->rc[0].r)->nacks_held);
	assert_non_null(strstr(sl.text, "pass 1 over: lingering\n"));
	assert_non_null(strstr(sl.text, ": repair of "));
	assert_true(test_ends_with(&sl, "over: 2 of 2 receivers done\n"));
	sim_free(sim);
}

/*
 * --fec auto at 5 % loss: parity goes with each block once the receivers
 * have reported their loss, and far fewer NACKs are needed.
 */
static void
test_fec_auto(void **state)
{
	struct sim_opts o = { .n = 8,
		.loss = 0.05,
		.suppress = true,
		.seed = 55 };
	uint64_t nacks[2], proactive = 0, repair[2];
	int i, a;

	for (a = 0; a < 2; a++) {
		struct sim *sim;

		o.fec_auto = a;
		sim = sim_new(&o);
		sim_run(sim);
		for (i = 0; i < sim->n; i++)
			sim_check_complete(sim, i);
		nacks[a] = sim_nacks(sim);
		repair[a] = rmc_send_stats(sim->s)->repair;
		if (a)
			proactive = rmc_send_stats(sim->s)->proactive;
		sim_free(sim);
	}
	print_message("# 5 %% loss, 8 receivers: %" PRIu64 " NACKs and %" PRIu64
		      " repair symbols; with --fec auto %" PRIu64
		      " NACKs, %" PRIu64 " repair and %" PRIu64
		      " proactive parity symbols\n",
	    nacks[0], repair[0], nacks[1], repair[1], proactive);
	assert_true(proactive > 0);
	assert_true(nacks[1] * 2 <= nacks[0]);
}

/*
 * --resume: a receiver that has the first 16 blocks of file 0 on disk takes
 * no symbol of theirs and ends with the same bytes.
 */
static void
test_resume(void **state)
{
	struct sim_opts o = { .n = 2, .loss = 0, .suppress = true, .seed = 4 };
	struct sim *sim = sim_new(&o);
	int i;

	sim->rc[1].resume_blocks = 16;
	sim_run(sim);
	for (i = 0; i < sim->n; i++)
		sim_check_complete(sim, i);
	assert_int_equal(rmc_recv_stats(sim->rc[0].r)->symbols, 2244);
	assert_int_equal(rmc_recv_stats(sim->rc[1].r)->symbols, 2244 - 16 * 64);
	assert_int_equal(rmc_recv_stats(sim->rc[1].r)->nacks_sent, 0);
	sim_free(sim);
}

static void
test_carousel(void **state)
{
	struct sim_opts o = { .n = 4,
		.loss = 0.01,
		.suppress = true,
		.carousel = true,
		.seed = 5 };
	struct sim *sim = sim_new(&o);
	int i;

	/* Joins after the first pass: the second one brings everything. */
	sim->rc[3].join_at = 2400;
	sim_run(sim);
	for (i = 0; i < sim->n; i++)
		sim_check_complete(sim, i);
	assert_false(rmc_send_done(sim->s));
	assert_true(rmc_send_stats(sim->s)->passes >= 1);
	assert_true(rmc_send_stats(sim->s)->data > 2244);
	assert_true(sim->now < SIM_LIMIT_MS);
	sim_free(sim);
}

/*
 * The rate cap as a loop drives it: called only at its deadlines (which do
 * not move as time passes), the sender puts out 1 Mbit/s, headers counted,
 * and the extra bytes the caller adds to each packet (--key's seal: 44)
 * when it says so (the lab measured 1.03 times the cap before).
 */
static void
test_rate_cap_extra(unsigned extra)
{
	static uint8_t src[1 << 20];
	struct rmc_send_file f = { .size = sizeof(src), .name = "f" };
	struct rmc_send_config c;
	struct rmc_send_need need;
	struct rmc_send *s;
	uint8_t buf[2048];
	uint64_t bits = 0, pkt = 8 * (512 + 28 + 28 + extra);
	mc_time_t now = 1000000, d;
	int error, len;

	rmc_send_config_default(&c);
	c.symbol_size = 512;
	c.rate_bps = 1000000;
	c.packet_extra = extra;
	s = rmc_send_new(&c, &f, 1, now, &error);
	assert_non_null(s);
	while (now < 1000000 + 2000) {
		d = rmc_send_deadline(s, now);
		assert_true(d >= now);
		if (d > now + 1)
			assert_int_equal(rmc_send_deadline(s, now + 1), d);
		now = d;
		while (rmc_send_need(s, &need))
			assert_int_equal(rmc_send_supply(s, need.file,
					     need.block, src + need.offset,
					     need.len),
			    0);
		while ((len = rmc_send_output(s, now, buf, sizeof(buf))) > 0)
			if (now < 1000000 + 2000)
				bits += 8 * ((uint64_t)len + 28 + extra);
	}
	/* 2 s at 1 Mbit/s, give or take the bucket (2 packets) and one more. */
	print_message("# %" PRIu64 " bits in 2 s at 1 Mbit/s, %u bytes added\n",
	    bits, extra);
	assert_true(bits <= 2000000 + 3 * pkt);
	assert_true(bits >= 2000000 - 3 * pkt);
	rmc_send_free(s);
}

static void
test_rate_cap(void **state)
{
	test_rate_cap_extra(0);
	test_rate_cap_extra(44);
}

static void
test_backoff(void **state)
{
	struct mc_rng rng = { 1 };
	unsigned i, early_big = 0, early_one = 0;

	/* Large groups pick long delays; all stay within [0, max). */
	for (i = 0; i < 10000; i++) {
		mc_time_t a = rmc_nack_backoff_ms(&rng, 100, 1000);
		mc_time_t b = rmc_nack_backoff_ms(&rng, 100, 1);

		assert_true(a >= 0 && a < 100);
		assert_true(b >= 0 && b < 100);
		early_big += a < 50;
		early_one += b < 50;
	}
	assert_true(early_big < 1000); /* ~ 2 % of 10000 */
	assert_true(early_one > 3000); /* lambda 1: ~ 38 % */
	assert_int_equal(rmc_nack_backoff_ms(&rng, 0, 10), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_rate_cap),
		cmocka_unit_test(test_carousel),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_fec_auto),
		cmocka_unit_test(test_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
