/*
 * The sender engine's feedback side (rmc_send_int.h): NACKs gathered per
 * block and answered once with fresh parity, the receivers heard and done.
 */
#include <stdlib.h>
#include <string.h>

#include "rmc_send_int.h"

static struct rmc_rcvr *
rmc_send_rcvr(struct rmc_send *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->nrcvrs; i++)
		if (s->rcvrs[i].id == id)
			return &s->rcvrs[i];
	/* Forged ids cost no more than this (they are not waited for). */
	if (s->nrcvrs >= RMC_SEND_RCVRS_MAX) {
		s->st.receivers_over++;
		return NULL;
	}
	if (s->nrcvrs == s->rcvrs_cap) {
		size_t cap = s->rcvrs_cap ? s->rcvrs_cap * 2 : 16;
		struct rmc_rcvr *r = realloc(s->rcvrs, cap * sizeof(*r));

		if (r == NULL)
			return NULL;
		s->rcvrs = r;
		s->rcvrs_cap = cap;
	}
	s->rcvrs[s->nrcvrs].id = id;
	s->rcvrs[s->nrcvrs].done = false;
	s->st.receivers = (uint32_t)++s->nrcvrs;
	return &s->rcvrs[s->nrcvrs - 1];
}

/*
 * The slot of a NACKed block.  A block that has no repair under way gets
 * one only while another slot stays free of repairs: NACKs for blocks all
 * over the files (a flood) never leave the first pass without a slot for
 * its next block.
 */
static struct rmc_slot *
rmc_send_nack_slot(struct rmc_send *s, uint32_t file, uint32_t block)
{
	unsigned i, busy = 0;

	for (i = 0; i < s->c.window_blocks; i++) {
		const struct rmc_slot *sl = &s->slots[i];

		if (!sl->used ||
		    (sl->burst_left == 0 && sl->gather_until == MC_TIME_NEVER))
			continue;
		if (sl->file == file && sl->block == block)
			return (struct rmc_slot *)sl;
		busy++;
	}
	if (busy + 1 >= s->c.window_blocks)
		return NULL;
	return rmc_send_slot_get(s, file, block);
}

static void
rmc_send_nack(struct rmc_send *s, mc_time_t now, const struct rmc_nack *n)
{
	struct rmc_slot *sl;
	unsigned missing = n->missing;

	s->st.nacks++;
	if (n->file >= s->nfiles || n->block >= s->nblocks[n->file] ||
	    missing == 0) {
		s->st.nacks_bad++;
		return;
	}
	if ((sl = rmc_send_nack_slot(s, n->file, n->block)) == NULL) {
		s->st.nacks_dropped++;
		return;
	}
	if (missing > sl->k)
		missing = sl->k;
	if (n->loss > s->loss && n->loss <= RMC_LOSS_SCALE)
		s->loss = n->loss;
	/* Asked before the repair under way (or just sent) reached them. */
	if ((sl->burst_left > 0 || now < sl->covered_until) &&
	    missing <= sl->burst) {
		s->st.nacks_late++;
		return;
	}
	if (sl->gather_until == MC_TIME_NEVER) {
		sl->gather_until = now + s->c.nack_window_ms;
		sl->gathered = 0;
		trace(&s->trace,
		    "file %u block %u: NACK of %u from %08x, gathering",
		    n->file, n->block, missing, n->receiver);
	}
	if (missing > sl->gathered)
		sl->gathered = missing;
	s->activity = now;
}

int
rmc_send_input(struct rmc_send *s, mc_time_t now, const uint8_t *p, size_t len)
{
	struct rmc_rcvr *r;
	struct rmc_pkt pkt;
	int error = rmc_decode(p, len, &pkt);

	if (error != 0) {
		s->st.bad[-error]++;
		return error;
	}
	if (pkt.hdr.session != s->c.session)
		return 0;
	switch (pkt.hdr.type) {
	case RMC_NACK:
		if ((r = rmc_send_rcvr(s, pkt.u.nack.receiver)) != NULL)
			r->done = false;
		rmc_send_nack(s, now, &pkt.u.nack);
		break;
	case RMC_STATUS:
		if ((r = rmc_send_rcvr(s, pkt.u.status.receiver)) == NULL)
			break;
		if (!r->done && pkt.u.status.state == RMC_RX_DONE) {
			s->st.receivers_done++;
			trace(&s->trace, "receiver %08x done (%u of %zu)",
			    r->id, s->st.receivers_done, s->nrcvrs);
		} else if (r->done && pkt.u.status.state != RMC_RX_DONE)
			s->st.receivers_done--;
		r->done = pkt.u.status.state == RMC_RX_DONE;
		if (r->done && s->c.cc_tfmcc)
			rmc_cc_snd_leave(&s->cc, r->id);
		/* (a done receiver answering END does not keep us here) */
		if (!r->done)
			s->activity = now;
		break;
	case RMC_FEEDBACK:
		if (s->c.cc_tfmcc)
			rmc_cc_snd_feedback(&s->cc, now, pkt.hdr.time_ms,
			    &pkt.u.feedback);
		break;
	}
	return 0;
}

void
rmc_send_gathered(struct rmc_send *s, mc_time_t now)
{
	unsigned i;

	for (i = 0; i < s->c.window_blocks; i++) {
		struct rmc_slot *sl = &s->slots[i];

		if (!sl->used || sl->gather_until > now)
			continue;
		sl->gather_until = MC_TIME_NEVER;
		sl->burst = sl->gathered;
		sl->burst_left = sl->gathered;
		s->st.repairs++;
		trace(&s->trace,
		    "file %u block %u: repair of %u parity symbols", sl->file,
		    sl->block, sl->burst);
	}
}

struct rmc_slot *
rmc_send_repair_slot(struct rmc_send *s)
{
	unsigned n, i;

	/* In turn from the one after the last served: no block starves. */
	for (n = 0; n < s->c.window_blocks; n++) {
		i = (s->repair_turn + n) % s->c.window_blocks;
		if (s->slots[i].used && s->slots[i].loaded &&
		    s->slots[i].burst_left > 0)
			return &s->slots[i];
	}
	return NULL;
}

/*
 * One fresh parity symbol of a block into buf, its burst field burst: the
 * length, 0 when it cannot be made (no memory), or -RMC_WIRE_NOSPACE.
 */
int
rmc_send_parity(struct rmc_send *s, mc_time_t now, struct rmc_slot *sl,
    unsigned burst, uint8_t *buf, size_t cap)
{
	struct rmc_fec *f = rmc_send_fec(s, sl->k);
	struct rmc_hdr h;
	const uint8_t *src[RMC_FEC_N];
	uint8_t idx, *out = buf + RMC_DATA_HDR;
	struct rmc_data d = { .file = sl->file,
		.block = sl->block,
		.k = (uint8_t)sl->k,
		.burst = (uint8_t)burst,
		.payload = out,
		.payload_len = s->c.symbol_size };
	unsigned i;

	if (cap < RMC_DATA_HDR + (size_t)s->c.symbol_size)
		return -RMC_WIRE_NOSPACE;
	if (f == NULL)
		return 0;
	/* Fresh indexes K..K+M-1, then round again. */
	if (sl->next_parity >= RMC_FEC_N ||
	    (s->c.parity_max > 0 && sl->next_parity >= sl->k + s->c.parity_max))
		sl->next_parity = sl->k;
	idx = (uint8_t)sl->next_parity++;
	for (i = 0; i < sl->k; i++)
		src[i] = sl->data + (size_t)i * s->c.symbol_size;
	if (rmc_fec_encode(f, src, s->c.symbol_size, &idx, 1, &out) != 0)
		return 0;
	d.symbol = idx;
	h = rmc_send_hdr(s, now);
	sl->used_at = s->seq;
	return rmc_encode_data(buf, cap, &h, &d);
}

/* One symbol of a repair. */
int
rmc_send_repair(struct rmc_send *s, mc_time_t now, struct rmc_slot *sl,
    uint8_t *buf, size_t cap)
{
	int len = rmc_send_parity(s, now, sl, sl->burst, buf, cap);

	if (len <= 0)
		return len;
	if (--sl->burst_left == 0)
		sl->covered_until = now + s->c.repair_holdoff_ms;
	s->st.repair++;
	s->activity = now;
	return len;
}
