/*
 * The harness of the file transfer's engine tests (test_rmc_engine.c,
 * test_rmc_session.c): one sender and up to 100 receivers wired in memory
 * on a fake clock, a one-way delay and seeded random loss per receiver (on
 * what it gets and what it sends), an optional NACK flood; files made of
 * seeded random bytes, written by each receiver into its own buffers.
 */
#ifndef MCAST_TEST_RMC_SIM_H
#define MCAST_TEST_RMC_SIM_H

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

static inline bool
sim_lost(struct sim *sim, double p)
{
	return p > 0 &&
	    (double)(mc_rng_next(&sim->rng) >> 11) / 9007199254740992.0 < p;
}

static inline void
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

static inline struct sim_pkt *
sim_pkt(const uint8_t *data, size_t len)
{
	struct sim_pkt *pkt = malloc(sizeof(*pkt) + len);

	assert_non_null(pkt);
	pkt->refs = 1; /* ours until sent */
	pkt->len = len;
	memcpy(pkt->data, data, len);
	return pkt;
}

static inline void
sim_unref(struct sim_pkt *pkt)
{
	if (--pkt->refs == 0)
		free(pkt);
}

static inline bool
sim_alive(const struct sim *sim, int i)
{
	return sim->now >= sim->rc[i].join_at && sim->now < sim->rc[i].die_at;
}

/* A packet from receiver from (-1: the sender) to the group. */
static inline void
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

static inline void
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

static inline void
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

static inline bool
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
static inline void
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

static inline void
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
	bool cc_tfmcc;	   /* --cc tfmcc, rate_bps the ceiling */
};

static inline struct sim *
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
	sc.cc_tfmcc = o->cc_tfmcc;
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

static inline void
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
static inline void
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

static inline uint64_t
sim_nacks(const struct sim *sim)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < sim->n; i++)
		n += rmc_recv_stats(sim->rc[i].r)->nacks_sent;
	return n;
}

/* NACKs per receiver per 1,000 first-pass data packets, x 100. */
static inline uint64_t
sim_nack_rate_x100(const struct sim *sim)
{
	return sim_nacks(sim) * 100000 /
	    ((uint64_t)sim->n * rmc_send_stats(sim->s)->data);
}

#endif
