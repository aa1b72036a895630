/*
 * mcast file's engines wired in memory on a fake clock (proto/rmc_send.c,
 * proto/rmc_recv.c): one sender, 8 to 100 receivers, a one-way delay and
 * seeded random loss per receiver (on what it gets and what it sends).
 * Every receiver ends with byte-identical files at 0, 1, 5 and 20 % loss;
 * NACKs per receiver per 1,000 data packets stay <= 1 at 1 % loss with
 * suppression and are many times that without it; a late joiner
 * completes; a receiver that vanishes does not stall the others.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "rmc_recv.h"
#include "rmc_send.h"

#define SIM_RCVRS_MAX 100
#define SIM_FILES     3
#define SIM_DELAY_MS  5
#define SIM_LIMIT_MS  120000

static const uint64_t sim_sizes[SIM_FILES] = { 1 << 20, 100000, 0 };
static const char *const sim_names[SIM_FILES] = { "big.bin", "dir/small",
	"empty" };

struct sim_pkt {
	int refs;
	size_t len;
	uint8_t data[];
};

struct sim_msg {
	mc_time_t at;
	int dst; /* -1: the sender */
	struct sim_pkt *pkt;
};

struct sim_rcvr {
	struct rmc_recv *r;
	double loss;
	mc_time_t join_at, die_at;
	uint8_t *out[SIM_FILES];
	bool file_done[SIM_FILES], announced[SIM_FILES], done, timeout;
	unsigned writes_bad;
	uint32_t resume_blocks; /* of file 0 on "disk" when it is announced */
};

struct sim {
	struct rmc_send *s;
	struct sim_rcvr rc[SIM_RCVRS_MAX];
	int n;
	struct mc_rng rng;
	uint8_t *src[SIM_FILES];
	struct sim_msg *q;
	size_t qhead, qtail, qcap;
	mc_time_t now;
	uint64_t nacks_lost;
	bool carousel; /* the sender never ends: done when receivers are */
	bool flood;    /* a host NACKs whole blocks every ms, forged ids */
	uint64_t sent_bits, flood_nacks;
};

static bool
sim_lost(struct sim *sim, double p)
{
	return p > 0 &&
	    (double)(mc_rng_next(&sim->rng) >> 11) / 9007199254740992.0 < p;
}

static void
sim_queue(struct sim *sim, int dst, struct sim_pkt *pkt)
{
	if (sim->qtail == sim->qcap) {
		if (sim->qhead > 0) {
			memmove(sim->q, sim->q + sim->qhead,
			    (sim->qtail - sim->qhead) * sizeof(*sim->q));
			sim->qtail -= sim->qhead;
			sim->qhead = 0;
		} else {
			sim->qcap = sim->qcap ? sim->qcap * 2 : 1024;
			sim->q = realloc(sim->q, sim->qcap * sizeof(*sim->q));
			assert_non_null(sim->q);
		}
	}
	pkt->refs++;
	sim->q[sim->qtail++] = (struct sim_msg){ sim->now + SIM_DELAY_MS, dst,
		pkt };
}

static struct sim_pkt *
sim_pkt(const uint8_t *data, size_t len)
{
	struct sim_pkt *pkt = malloc(sizeof(*pkt) + len);

	assert_non_null(pkt);
	pkt->refs = 1; /* ours until sent */
	pkt->len = len;
	memcpy(pkt->data, data, len);
	return pkt;
}

static void
sim_unref(struct sim_pkt *pkt)
{
	if (--pkt->refs == 0)
		free(pkt);
}

static bool
sim_alive(const struct sim *sim, int i)
{
	return sim->now >= sim->rc[i].join_at && sim->now < sim->rc[i].die_at;
}

/* A packet from receiver from (-1: the sender) to the group. */
static void
sim_multicast(struct sim *sim, int from, const uint8_t *data, size_t len)
{
	struct sim_pkt *pkt;
	int i;

	if (from >= 0 && sim_lost(sim, sim->rc[from].loss)) {
		sim->nacks_lost++;
		return;
	}
	if (from < 0)
		sim->sent_bits += 8 * ((uint64_t)len + 28);
	pkt = sim_pkt(data, len);
	if (from >= 0)
		sim_queue(sim, -1, pkt);
	for (i = 0; i < sim->n; i++)
		if (i != from && !sim_lost(sim, sim->rc[i].loss))
			sim_queue(sim, i, pkt);
	sim_unref(pkt);
}

static void
sim_events(struct sim *sim, int i)
{
	struct sim_rcvr *rc = &sim->rc[i];
	const struct rmc_recv_ev *ev;

	while ((ev = rmc_recv_event(rc->r)) != NULL) {
		switch (ev->type) {
		case RMC_EV_SEND:
			if (ev->len > 0)
				sim_multicast(sim, i, ev->data, ev->len);
			break;
		case RMC_EV_FILE:
			assert_true(ev->file < SIM_FILES);
			assert_true(ev->entry.size == sim_sizes[ev->file]);
			assert_int_equal(ev->entry.name_len,
			    strlen(sim_names[ev->file]));
			assert_memory_equal(ev->entry.name, sim_names[ev->file],
			    ev->entry.name_len);
			rc->announced[ev->file] = true;
			if (ev->file == 0 && rc->resume_blocks > 0) {
				uint64_t bb = ev->block_bytes;

				assert_int_equal(bb, 64 * 512);
				for (uint32_t b = 0; b < rc->resume_blocks;
				     b++) {
					memcpy(rc->out[0] + b * bb,
					    sim->src[0] + b * bb, bb);
					assert_int_equal(rmc_recv_have(rc->r,
							     sim->now, 0, b),
					    0);
				}
				assert_int_equal(rmc_recv_have(rc->r, sim->now,
						     0, 32),
				    -EINVAL);
			}
			break;
		case RMC_EV_WRITE:
			if (ev->file >= SIM_FILES ||
			    ev->offset + ev->len > sim_sizes[ev->file]) {
				rc->writes_bad++;
				break;
			}
			memcpy(rc->out[ev->file] + ev->offset, ev->data,
			    ev->len);
			break;
		case RMC_EV_FILE_DONE:
			rc->file_done[ev->file] = true;
			break;
		case RMC_EV_DONE:
			rc->done = true;
			break;
		case RMC_EV_TIMEOUT:
			rc->timeout = true;
			break;
		}
	}
}

static void
sim_sender(struct sim *sim)
{
	struct rmc_send_need need;
	uint8_t buf[2048];
	int len;

	for (;;) {
		while (rmc_send_need(sim->s, &need))
			assert_int_equal(rmc_send_supply(sim->s, need.file,
					     need.block,
					     sim->src[need.file] + need.offset,
					     need.len),
			    0);
		len = rmc_send_output(sim->s, sim->now, buf, sizeof(buf));
		assert_true(len >= 0);
		if (len == 0)
			break;
		sim_multicast(sim, -1, buf, (size_t)len);
	}
}

static bool
sim_finished(const struct sim *sim)
{
	int i;

	if (!sim->carousel && !rmc_send_done(sim->s))
		return false;
	for (i = 0; i < sim->n; i++)
		if (sim->now < sim->rc[i].die_at && !sim->rc[i].done &&
		    !sim->rc[i].timeout)
			return false;
	return true;
}

/* While the receivers work, a NACK for a whole block, forged id, each ms. */
static void
sim_flood(struct sim *sim)
{
	struct rmc_hdr h = { .session = 0x5e55 };
	struct rmc_nack n = { .file = 0, .missing = 64 };
	struct sim_pkt *pkt;
	uint8_t buf[RMC_NACK_LEN];
	int i;

	for (i = 0; i < sim->n; i++)
		if (!sim->rc[i].done)
			break;
	if (i == sim->n)
		return;
	n.receiver = (uint32_t)mc_rng_next(&sim->rng);
	n.block = (uint32_t)mc_rng_below(&sim->rng, 32);
	assert_int_equal(rmc_encode_nack(buf, sizeof(buf), &h, &n),
	    RMC_NACK_LEN);
	pkt = sim_pkt(buf, sizeof(buf));
	sim_queue(sim, -1, pkt);
	sim_unref(pkt);
	sim->flood_nacks++;
}

static void
sim_run(struct sim *sim)
{
	while (sim->now < SIM_LIMIT_MS && !sim_finished(sim)) {
		mc_time_t next = MC_TIME_NEVER;
		int i;

		while (sim->qhead < sim->qtail &&
		    sim->q[sim->qhead].at <= sim->now) {
			struct sim_msg m = sim->q[sim->qhead++];

			if (m.dst < 0)
				rmc_send_input(sim->s, sim->now, m.pkt->data,
				    m.pkt->len);
			else if (sim_alive(sim, m.dst)) {
				assert_int_equal(rmc_recv_input(sim->rc[m.dst]
								    .r,
						     sim->now, m.pkt->data,
						     m.pkt->len),
				    0);
				sim_events(sim, m.dst);
			}
			sim_unref(m.pkt);
		}
		if (sim->flood)
			sim_flood(sim);
		sim_sender(sim);
		for (i = 0; i < sim->n; i++) {
			if (!sim_alive(sim, i))
				continue;
			rmc_recv_timer(sim->rc[i].r, sim->now);
			sim_events(sim, i);
			next = mc_time_min(next,
			    rmc_recv_deadline(sim->rc[i].r));
		}
		next = mc_time_min(next, rmc_send_deadline(sim->s, sim->now));
		if (sim->qhead < sim->qtail)
			next = mc_time_min(next, sim->q[sim->qhead].at);
		if (sim->flood)
			next = mc_time_min(next, sim->now + 1);
		if (next == MC_TIME_NEVER)
			break;
		sim->now = next > sim->now ? next : sim->now + 1;
	}
}

struct sim_opts {
	int n;
	double loss;
	bool suppress;
	bool carousel;
	bool fec_auto;
	uint64_t seed;
	const double *losses; /* per receiver, instead of loss */
	mc_trace_fn trace;    /* of the sender and receiver 0 */
	void *trace_arg[2];
	uint64_t rate_bps; /* instead of 8 Mbit/s */
};

static struct sim *
sim_new(const struct sim_opts *o)
{
	struct sim *sim = calloc(1, sizeof(*sim));
	struct rmc_send_file files[SIM_FILES];
	struct rmc_send_config sc;
	int i, f, error;

	assert_non_null(sim);
	sim->n = o->n;
	sim->rng.state = o->seed;
	for (f = 0; f < SIM_FILES; f++) {
		sim->src[f] = malloc(sim_sizes[f] + 1);
		assert_non_null(sim->src[f]);
		for (uint64_t b = 0; b < sim_sizes[f]; b++)
			sim->src[f][b] = (uint8_t)mc_rng_next(&sim->rng);
		memset(&files[f], 0, sizeof(files[f]));
		files[f].size = sim_sizes[f];
		files[f].mode = 0644;
		files[f].name = sim_names[f];
		files[f].sha256[0] = (uint8_t)f;
	}
	rmc_send_config_default(&sc);
	sc.session = 0x5e55;
	sc.symbol_size = 512;
	sc.k = 64;
	sc.rate_bps = o->rate_bps ? o->rate_bps : 8000000;
	sc.manifest_interval_ms = 250;
	sc.linger_ms = 1000;
	sc.carousel = o->carousel;
	sc.fec_auto = o->fec_auto;
	sc.trace = o->trace;
	sc.trace_arg = o->trace_arg[0];
	sim->carousel = o->carousel;
	sim->s = rmc_send_new(&sc, files, SIM_FILES, 0, &error);
	assert_non_null(sim->s);
	for (i = 0; i < o->n; i++) {
		struct rmc_recv_config rc;
		struct sim_rcvr *r = &sim->rc[i];

		rmc_recv_config_default(&rc);
		rc.receiver = 1000 + (uint32_t)i;
		rc.grtt_ms = 4 * SIM_DELAY_MS;
		rc.holdoff_ms = 100;
		rc.idle_ms = 5000;
		rc.status_interval_ms = 200;
		rc.group_size = 100;
		rc.suppress = o->suppress;
		if (i == 0) {
			rc.trace = o->trace;
			rc.trace_arg = o->trace_arg[1];
		}
		r->r = rmc_recv_new(&rc, 0, o->seed * 7919 + (uint64_t)i,
		    &error);
		assert_non_null(r->r);
		r->loss = o->losses ? o->losses[i] : o->loss;
		r->die_at = MC_TIME_NEVER;
		for (f = 0; f < SIM_FILES; f++) {
			r->out[f] = calloc(1, sim_sizes[f] + 1);
			assert_non_null(r->out[f]);
		}
	}
	return sim;
}

static void
sim_free(struct sim *sim)
{
	int i, f;

	while (sim->qhead < sim->qtail)
		sim_unref(sim->q[sim->qhead++].pkt);
	free(sim->q);
	for (i = 0; i < sim->n; i++) {
		rmc_recv_free(sim->rc[i].r);
		for (f = 0; f < SIM_FILES; f++)
			free(sim->rc[i].out[f]);
	}
	for (f = 0; f < SIM_FILES; f++)
		free(sim->src[f]);
	rmc_send_free(sim->s);
	free(sim);
}

/* Receiver i has every file, byte for byte. */
static void
sim_check_complete(const struct sim *sim, int i)
{
	const struct sim_rcvr *rc = &sim->rc[i];
	int f;

	assert_true(rc->done);
	assert_false(rc->timeout);
	assert_int_equal(rc->writes_bad, 0);
	assert_int_equal(rmc_recv_held(rc->r), 0);
	for (f = 0; f < SIM_FILES; f++) {
		assert_true(rc->announced[f]);
		assert_true(rc->file_done[f]);
		assert_memory_equal(rc->out[f], sim->src[f], sim_sizes[f]);
	}
}

static uint64_t
sim_nacks(const struct sim *sim)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < sim->n; i++)
		n += rmc_recv_stats(sim->rc[i].r)->nacks_sent;
	return n;
}

/* NACKs per receiver per 1,000 first-pass data packets, x 100. */
static uint64_t
sim_nack_rate_x100(const struct sim *sim)
{
	return sim_nacks(sim) * 100000 /
	    ((uint64_t)sim->n * rmc_send_stats(sim->s)->data);
}

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
 * not move as time passes), the sender puts out 1 Mbit/s, headers counted.
 */
static void
test_rate_cap(void **state)
{
	static uint8_t src[1 << 20];
	struct rmc_send_file f = { .size = sizeof(src), .name = "f" };
	struct rmc_send_config c;
	struct rmc_send_need need;
	struct rmc_send *s;
	uint8_t buf[2048];
	uint64_t bits = 0;
	mc_time_t now = 1000000, d;
	int error, len;

	rmc_send_config_default(&c);
	c.symbol_size = 512;
	c.rate_bps = 1000000;
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
				bits += 8 * ((uint64_t)len + 28);
	}
	/* 2 s at 1 Mbit/s, give or take the bucket (2 packets) and one more. */
	print_message("# %" PRIu64 " bits in 2 s at 1 Mbit/s\n", bits);
	assert_true(bits <= 2000000 + 3 * 8 * (512 + 28 + 28));
	assert_true(bits >= 2000000 - 3 * 8 * (512 + 28 + 28));
	rmc_send_free(s);
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
		cmocka_unit_test(test_lossless),
		cmocka_unit_test(test_loss_levels),
		cmocka_unit_test(test_nack_suppression),
		cmocka_unit_test(test_late_join),
		cmocka_unit_test(test_vanished),
		cmocka_unit_test(test_carousel),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_fec_auto),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_mixed_loss),
		cmocka_unit_test(test_nack_flood),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
