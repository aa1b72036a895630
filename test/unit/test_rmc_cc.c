/*
 * TFMCC (proto/rmc_cc.c) on a fake clock: the formulas against figures
 * computed by hand, loss intervals, and a simulated bottleneck (a
 * drop-tail queue shared by every receiver, a one-way delay, per-receiver
 * random loss) where the sender's rate converges near the link's rate,
 * the feedback of many receivers is suppressed, a slower receiver becomes
 * the CLR, the rate recovers when loss stops and halves with no feedback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "rmc_cc.h"

/*
 * By hand: s 1000 bytes, R 0.1 s, p 0.01: R sqrt(2p/3) = 0.0081650,
 * t_RTO 3 sqrt(3p/8) p (1 + 32p^2) = 0.4 x 0.18371 x 0.01 x 1.0032 =
 * 0.00073721; X = 1000 / 0.0089022 = 112,332 bytes/s.
 */
static void
test_equation(void **state)
{
	(void)state;
	assert_true(fabs(rmc_cc_tcp_rate(1000, 0.1, 0.01) - 112332.2) < 1);
	/* s 1460, R 0.05, p 0.1: 0.0129099 + 0.2 x 0.58095 x 0.1 x 1.32
	 * = 0.0282469; 1460 / 0.0282469 = 51,687 */
	assert_true(fabs(rmc_cc_tcp_rate(1460, 0.05, 0.1) - 51687.0) < 1);
	assert_true(rmc_cc_tcp_rate(1000, 0.1, 0) == 0);
	/* halving R doubles X */
	assert_true(fabs(rmc_cc_tcp_rate(1000, 0.05, 0.01) -
			2 * rmc_cc_tcp_rate(1000, 0.1, 0.01)) < 1e-6);
}

static void
test_loss_intervals(void **state)
{
	double all[9] = { 0, 100, 100, 100, 100, 100, 100, 100, 100 };
	double open[9] = { 1000, 100, 100, 100, 100, 100, 100, 100, 100 };
	double two[3] = { 10, 50, 30 };

	(void)state;
	assert_true(rmc_cc_li_weight(0) == 1 && rmc_cc_li_weight(3) == 1);
	assert_true(fabs(rmc_cc_li_weight(4) - 0.8) < 1e-12);
	assert_true(fabs(rmc_cc_li_weight(7) - 0.2) < 1e-12);
	/* closed only: 100 */
	assert_true(fabs(rmc_cc_li_mean(all, 8) - 100) < 1e-9);
	/* a long open interval counts: (1000 + 100 x 5.0) / 6 = 250 */
	assert_true(fabs(rmc_cc_li_mean(open, 8) - 250) < 1e-9);
	/* two intervals: max(50 + 30, 10 + 50) / 2 = 40 */
	assert_true(fabs(rmc_cc_li_mean(two, 2) - 40) < 1e-9);
	assert_true(rmc_cc_li_mean(two, 0) == 0);
}

static void
test_timer_and_filters(void **state)
{
	(void)state;
	/* x 1: T (1 - gamma) + T gamma r */
	assert_true(fabs(rmc_cc_fb_delay(100, 1, 0, 10000) - 75) < 1e-9);
	assert_true(fabs(rmc_cc_fb_delay(100, 1, 1, 10000) - 100) < 1e-9);
	/* x 1/N: the log term is 0 */
	assert_true(fabs(rmc_cc_fb_delay(100, 1e-4, 0, 10000)) < 1e-9);
	/* x 0.01: 1 + log_N 0.01 = 0.5: 75 x 0.5 + 25 x 0.5 */
	assert_true(fabs(rmc_cc_fb_delay(100, 0.01, 0.5, 10000) - 50) < 1e-9);
	assert_true(rmc_cc_fb_delay(100, 1e-9, 0, 10000) == 0);
	assert_true(fabs(rmc_cc_rtt_filter(100, 200, true) - 105) < 1e-9);
	assert_true(fabs(rmc_cc_rtt_filter(100, 200, false) - 150) < 1e-9);
	assert_true(rmc_cc_suppressed(95, 100));
	assert_false(rmc_cc_suppressed(89, 100));
	assert_false(rmc_cc_suppressed(1000, 0));
}

static void
rcv_pkt(struct rmc_cc_rcv *c, mc_time_t now, uint32_t seq)
{
	struct rmc_hdr h = { .type = RMC_DATA,
		.session = 1,
		.time_ms = (uint32_t)now,
		.seq = seq };

	rmc_cc_rcv_packet(c, now, &h, 1000);
}

/* Loss events from sequence gaps: losses within an RTT are one event. */
static void
test_receiver_loss(void **state)
{
	struct rmc_cc_rcv c;
	struct rmc_ccinfo in = { .round = 1, .rate = 1000, .rtt_max = 10 };
	uint32_t seq = 0;
	mc_time_t now = 0;
	int i;

	(void)state;
	rmc_cc_rcv_init(&c, 7, 1000, now);
	rcv_pkt(&c, now, seq++);
	rmc_cc_rcv_info(&c, now, 0.5, &in);
	assert_true(rmc_cc_rcv_rtt(&c) == 10); /* R_max before a measure */
	for (i = 0; i < 99; i++)
		rcv_pkt(&c, ++now, seq++);
	assert_true(rmc_cc_rcv_p(&c) == 0);
	/* seq 100 lost: the first interval is 100 packets */
	seq++;
	rcv_pkt(&c, ++now, seq++);
	assert_int_equal(c.nli, 1);
	assert_true(c.li[1] == 100);
	/* 101, 102 lost 2 ms later: the same event (R 10 ms) */
	seq += 2;
	rcv_pkt(&c, now += 2, seq++);
	assert_int_equal(c.nli, 1);
	/* 50 ms on, 200 packets later: a second event, 200 + 3 packets on */
	for (i = 0; i < 200; i++)
		rcv_pkt(&c, ++now, seq++);
	seq++;
	rcv_pkt(&c, ++now, seq++);
	assert_int_equal(c.nli, 2);
	assert_true(c.li[1] == 205 && c.li[2] == 100);
	/* p = 1 / max((205 + 100) / 2, (1 + 205) / 2) */
	assert_true(fabs(rmc_cc_rcv_p(&c) - 2.0 / 305) < 1e-12);
	assert_true(rmc_cc_rcv_xcalc(&c) > 0);
}

/* ---- a bottleneck on a fake clock ---- */

#define NR_MAX 300
#define QLEN   8192

struct spkt {
	double at;
	struct rmc_hdr h;
	bool cc;
	struct rmc_ccinfo ci;
};

struct sfb {
	double at;
	uint32_t ts;
	struct rmc_feedback fb;
};

struct sim {
	struct rmc_cc_snd snd;
	struct rmc_cc_rcv rc[NR_MAX];
	double loss[NR_MAX], delay[NR_MAX];
	struct spkt q[NR_MAX][64];
	unsigned qh[NR_MAX], qt[NR_MAX];
	struct sfb fbq[QLEN];
	unsigned nfb;
	int n;
	double cap_bps; /* the bottleneck; 0: none */
	double busy_until;
	unsigned buffer; /* packets */
	double credit;
	uint32_t seq;
	uint64_t fb_total, fb_clr, delivered0;
	bool cut; /* feedback lost on the way */
	unsigned s;
	struct mc_rng rng;
};

static double
sim_rand(struct sim *m)
{
	return (double)(mc_rng_below(&m->rng, 1000000) + 1) / 1e6;
}

static void
sim_init(struct sim *m, int n, double cap, double ceiling, double delay)
{
	int i;

	memset(m, 0, sizeof(*m));
	m->n = n;
	m->s = 1456;
	m->cap_bps = cap;
	m->buffer = 25;
	m->rng.state = 42;
	rmc_cc_snd_init(&m->snd, (uint64_t)ceiling, m->s, 0);
	for (i = 0; i < n; i++) {
		rmc_cc_rcv_init(&m->rc[i], (uint32_t)i + 1, m->s, 0);
		m->delay[i] = delay;
	}
}

/* A packet of the sender at now through the bottleneck to each receiver. */
static void
sim_emit(struct sim *m, double now, const struct spkt *p)
{
	double tx, at = now;
	int i;

	if (m->cap_bps > 0) {
		tx = 8.0 * m->s * 1000 / m->cap_bps;
		if (m->busy_until > now &&
		    (m->busy_until - now) / tx >= m->buffer)
			return; /* drop-tail */
		at = (m->busy_until > now ? m->busy_until : now) + tx;
		m->busy_until = at;
	}
	for (i = 0; i < m->n; i++) {
		struct spkt *d;

		if (m->loss[i] > 0 && sim_rand(m) <= m->loss[i])
			continue;
		if (m->qt[i] - m->qh[i] >= 64)
			continue; /* (never: the queue is short) */
		d = &m->q[i][m->qt[i]++ % 64];
		*d = *p;
		d->at = at + m->delay[i];
	}
}

static void
sim_ms(struct sim *m, mc_time_t now)
{
	struct rmc_feedback fb;
	unsigned j;
	int i;

	/* feedback arriving */
	for (j = 0; j < m->nfb;) {
		if (m->fbq[j].at <= (double)now) {
			rmc_cc_snd_feedback(&m->snd, now, m->fbq[j].ts,
			    &m->fbq[j].fb);
			m->fbq[j] = m->fbq[--m->nfb];
		} else {
			j++;
		}
	}
	rmc_cc_snd_tick(&m->snd, now);
	/* the sender: CC packets when due, data at its rate */
	m->credit += (double)rmc_cc_snd_rate(&m->snd) / 1000;
	if (m->credit > 8.0 * m->s * 20)
		m->credit = 8.0 * m->s * 20;
	while (m->credit >= 8.0 * m->s) {
		struct spkt p = { .h = { .type = RMC_DATA,
				      .time_ms = (uint32_t)now,
				      .seq = m->seq++ } };

		if (rmc_cc_snd_info_due(&m->snd, now)) {
			p.cc = true;
			p.h.type = RMC_CC;
			rmc_cc_snd_info(&m->snd, now, &p.ci);
		}
		m->credit -= 8.0 * m->s;
		sim_emit(m, (double)now, &p);
	}
	/* the receivers */
	for (i = 0; i < m->n; i++) {
		while (m->qh[i] != m->qt[i] &&
		    m->q[i][m->qh[i] % 64].at <= (double)now) {
			struct spkt *p = &m->q[i][m->qh[i]++ % 64];

			rmc_cc_rcv_packet(&m->rc[i], now, &p->h, m->s);
			if (p->cc)
				rmc_cc_rcv_info(&m->rc[i], now, sim_rand(m),
				    &p->ci);
			if (i == 0)
				m->delivered0 += m->s;
		}
		if (rmc_cc_rcv_feedback(&m->rc[i], now, &fb)) {
			m->fb_total++;
			if (fb.flags & RMC_FB_CLR)
				m->fb_clr++;
			if (!m->cut && m->nfb < QLEN) {
				m->fbq[m->nfb].at = (double)now + m->delay[i];
				m->fbq[m->nfb].ts = (uint32_t)now;
				m->fbq[m->nfb++].fb = fb;
			}
		}
	}
}

/* Runs [from, to) ms; the mean of the sender's rate over it. */
static double
sim_run(struct sim *m, mc_time_t from, mc_time_t to)
{
	double sum = 0;
	mc_time_t t;

	for (t = from; t < to; t++) {
		sim_ms(m, t);
		sum += (double)rmc_cc_snd_rate(&m->snd);
	}
	return sum / (double)(to - from);
}

/* Alone on an 8 Mbit/s link (its fair share is all of it). */
static void
test_bottleneck(void **state)
{
	struct sim *m = calloc(1, sizeof(*m));
	double mean, goodput;

	(void)state;
	sim_init(m, 3, 8e6, 50e6, 10);
	sim_run(m, 0, 20000);
	m->delivered0 = 0;
	mean = sim_run(m, 20000, 60000);
	goodput = (double)m->delivered0 * 8 / 40;
	print_message("bottleneck 8 Mbit/s: mean rate %.2f Mbit/s, receiver "
		      "goodput %.2f Mbit/s, R_max %.0f ms, p %.5f\n",
	    mean / 1e6, goodput / 1e6, rmc_cc_snd_rmax(&m->snd),
	    rmc_cc_rcv_p(&m->rc[0]));
	assert_false(m->snd.slow_start);
	assert_true(mean > 0.6 * 8e6 && mean < 1.25 * 8e6);
	assert_true(goodput > 0.6 * 8e6 && goodput <= 8e6 * 1.001);
	free(m);
}

/*
 * Two TFMCC flows cannot be simulated here; the equation is the fair
 * rate instead: 2 % random loss, R 40 ms.  The rate settles near what a
 * TCP would get there.
 */
static void
test_fair_rate(void **state)
{
	struct sim *m = calloc(1, sizeof(*m));
	double mean, fair;

	(void)state;
	sim_init(m, 2, 0, 100e6, 20);
	m->loss[0] = m->loss[1] = 0.02;
	sim_run(m, 0, 20000);
	mean = sim_run(m, 20000, 60000);
	fair = 8 * rmc_cc_tcp_rate(m->s, 0.040, rmc_cc_rcv_p(&m->rc[0]));
	print_message("2 %% loss, 40 ms: mean %.2f Mbit/s, equation %.2f "
		      "Mbit/s at p %.4f\n",
	    mean / 1e6, fair / 1e6, rmc_cc_rcv_p(&m->rc[0]));
	assert_true(mean > 0.6 * fair && mean < 1.4 * fair);
	free(m);
}

/* 200 receivers alike: few feedback packets per round. */
static void
test_suppression(void **state)
{
	struct sim *m = calloc(1, sizeof(*m));
	uint64_t rounds, fb, clr;
	int i;

	(void)state;
	sim_init(m, 200, 0, 20e6, 10);
	for (i = 0; i < m->n; i++)
		m->loss[i] = 0.01;
	sim_run(m, 0, 10000);
	rounds = m->snd.st.rounds;
	fb = m->fb_total;
	clr = m->fb_clr;
	sim_run(m, 10000, 40000);
	rounds = m->snd.st.rounds - rounds;
	clr = m->fb_clr - clr;
	fb = m->fb_total - fb - clr;
	print_message("200 receivers: %llu feedback from the CLR, %llu from "
		      "others in %llu rounds\n",
	    (unsigned long long)clr, (unsigned long long)fb,
	    (unsigned long long)rounds);
	assert_true(rounds > 50);
	/* the CLR's once per RTT (20 ms) */
	assert_true(clr <= 30000 / 20 + 10);
	/*
	 * Of 200 receivers, fewer than 1 in 8 answers a round (without
	 * suppression all would): with 1 % loss each their rates spread,
	 * and those 10 % below the lowest echoed still answer.
	 */
	assert_true(fb < rounds * 200 / 8);
	free(m);
}

/* A receiver with more loss appears: it becomes the CLR; loss stops: the
 * rate comes back. */
static void
test_clr_change_and_recovery(void **state)
{
	struct sim *m = calloc(1, sizeof(*m));
	double before, slow, after;

	(void)state;
	sim_init(m, 3, 0, 20e6, 10);
	m->loss[0] = m->loss[1] = m->loss[2] = 0.001;
	before = sim_run(m, 0, 20000);
	before = sim_run(m, 15000, 20000);
	m->loss[2] = 0.05;
	sim_run(m, 20000, 30000);
	assert_int_equal(m->snd.clr, 3);
	slow = sim_run(m, 30000, 35000);
	assert_true(slow < before / 2);
	m->loss[2] = 0.001;
	sim_run(m, 35000, 70000);
	after = sim_run(m, 70000, 75000);
	print_message("rate %.2f, slow receiver %.2f, after %.2f Mbit/s; "
		      "%llu CLR changes\n",
	    before / 1e6, slow / 1e6, after / 1e6,
	    (unsigned long long)m->snd.st.clr_changes);
	assert_true(after > 2 * slow);
	assert_true(m->snd.st.clr_changes >= 2);
	free(m);
}

/* No feedback: the rate halves every 10 R_max (at least 100 ms). */
static void
test_no_feedback(void **state)
{
	struct sim *m = calloc(1, sizeof(*m));
	double x0, wait;
	mc_time_t t;

	(void)state;
	sim_init(m, 1, 0, 20e6, 10);
	m->loss[0] = 0.01;
	sim_run(m, 0, 10000);
	m->cut = true;
	m->nfb = 0;
	sim_run(m, 10000, 10001);
	x0 = (double)rmc_cc_snd_rate(&m->snd);
	wait = RMC_CC_NOFB_RMAX *
	    fmax(rmc_cc_snd_rmax(&m->snd), RMC_CC_CLR_MIN_MS);
	/* the time-out counts from the CLR's last report */
	for (t = 10001; m->snd.st.halvings == 0 && t < 20000; t++) {
		x0 = (double)rmc_cc_snd_rate(&m->snd);
		sim_ms(m, t);
	}
	print_message("no feedback: %.0f -> %.0f after %lld ms (10 R_max "
		      "%.0f ms)\n",
	    x0, (double)rmc_cc_snd_rate(&m->snd), (long long)(t - 10001), wait);
	assert_int_equal(m->snd.st.halvings, 1);
	assert_true((double)(t - 10001) <= wait + 1 &&
	    (double)(t - 10001) >= wait - 60);
	assert_true(fabs((double)rmc_cc_snd_rate(&m->snd) - x0 / 2) < 2);
	x0 = (double)rmc_cc_snd_rate(&m->snd) * 2;
	sim_run(m, t, t + 5000);
	assert_true(m->snd.st.halvings >= 3);
	assert_true((double)rmc_cc_snd_rate(&m->snd) <= x0 / 8 + 1);
	free(m);
}

/* Slow start: one packet per R_max, then doubling up to the link. */
static void
test_slow_start(void **state)
{
	struct sim *m = calloc(1, sizeof(*m));

	(void)state;
	sim_init(m, 2, 0, 10e6, 5);
	assert_true(fabs((double)rmc_cc_snd_rate(&m->snd) - 8.0 * 1456 * 2) <
	    1);
	sim_run(m, 0, 5000);
	print_message("slow start: %.2f Mbit/s after 5 s, R_max %.1f, %d\n",
	    (double)rmc_cc_snd_rate(&m->snd) / 1e6, rmc_cc_snd_rmax(&m->snd),
	    m->snd.have_clr);
	assert_true(m->snd.slow_start);
	assert_true(rmc_cc_snd_rate(&m->snd) == 10000000); /* the ceiling */
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equation),
		cmocka_unit_test(test_loss_intervals),
		cmocka_unit_test(test_timer_and_filters),
		cmocka_unit_test(test_receiver_loss),
		cmocka_unit_test(test_bottleneck),
		cmocka_unit_test(test_fair_rate),
		cmocka_unit_test(test_suppression),
		cmocka_unit_test(test_clr_change_and_recovery),
		cmocka_unit_test(test_no_feedback),
		cmocka_unit_test(test_slow_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
