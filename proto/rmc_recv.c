/* The receiver engine of mcast file (rmc_recv.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outq.h"
#include "rmc_cc.h"
#include "rmc_fec.h"
#include "rmc_recv.h"
#include "trace.h"

#define RMC_RECV_FILES_MAX (1u << 20)

struct rmc_rfile {
	bool known, complete;
	uint64_t size;
	uint32_t mode;
	uint8_t sha256[RMC_SHA256_LEN];
	uint8_t *name;
	uint16_t name_len;
	uint32_t nblocks, blocks_done;
	uint8_t *done; /* a bit per block */
};

enum rmc_nack_state {
	RMC_NACK_NONE,	  /* not due (the block is still coming) */
	RMC_NACK_PENDING, /* goes at nack_at unless held */
	RMC_NACK_HOLD,	  /* a NACK or repair is under way until nack_at */
};

/* One block being received: the symbols so far, in arrival order. */
struct rmc_rslot {
	bool used;
	uint32_t file, block;
	unsigned k, have;
	uint8_t seen[RMC_FEC_N / 8 + 1];
	uint8_t idx[RMC_FEC_N];
	uint8_t *data; /* k symbols of S bytes */
	enum rmc_nack_state nack;
	mc_time_t nack_at;
};

enum rmc_recv_state {
	RMC_RECV_RUNNING,
	RMC_RECV_DONE,
	RMC_RECV_FAILED,
};

struct rmc_recv {
	struct rmc_recv_config c;
	struct trace trace;
	struct mc_rng rng;
	enum rmc_recv_state state;
	bool locked; /* to c.session */
	/* The session's parameters, from its first manifest. */
	bool files_set;
	uint16_t symbol_size;
	uint8_t k;
	uint32_t nfiles, files_known, files_done;
	struct rmc_rfile *files;
	struct rmc_rslot *slots;
	unsigned held;
	struct rmc_fec fec[RMC_FEC_N];
	/* How far the first pass is: blocks before it are due. */
	uint64_t horizon;
	bool end_seen;
	uint32_t fill_file, fill_block; /* the first block not done */
	bool rescan;
	mc_time_t last_rx, status_at;
	uint32_t seq;
	/* Loss: sender packets received against its sequence numbers. */
	bool seq_set;
	uint32_t seq_first, seq_max;
	uint64_t seq_rx;
	struct outq out;
	struct rmc_cc_rcv cc; /* TFMCC, once the sender sends CC */
	struct rmc_recv_stats st;
};

void
rmc_recv_config_default(struct rmc_recv_config *c)
{
	memset(c, 0, sizeof(*c));
	/* 256 blocks of 64 x 1400 bytes (22 MiB at most, incomplete blocks
	   only) last 120 ms at 1.5 Gbit/s: longer than a NACK's backoff and
	   its repair.  64 lasted 30 ms: blocks fell out and were NACKed
	   whole, and repairs grew to the data's size. */
	c->window_blocks = 256;
	c->group_size = 1000;
	c->grtt_ms = 20;
	c->backoff_factor = 4;
	c->holdoff_ms = 100;
	c->idle_ms = 30000;
	c->status_interval_ms = 1000;
	c->suppress = true;
}

/* RFC 5740/RFC 5401 random NACK backoff: F(t) = (e^(L t/T) - 1)/(e^L - 1). */
mc_time_t
rmc_nack_backoff_ms(struct mc_rng *rng, mc_time_t max_ms, unsigned group_size)
{
	double lambda = log(group_size > 1 ? (double)group_size : 1.0) + 1.0;
	double x = (double)(mc_rng_next(rng) >> 11) / 9007199254740992.0;
	double t;

	if (max_ms <= 0)
		return 0;
	t = (double)max_ms / lambda * log(x * (exp(lambda) - 1.0) + 1.0);
	if (t < 0)
		t = 0;
	return (mc_time_t)t < max_ms ? (mc_time_t)t : max_ms - 1;
}

struct rmc_recv *
rmc_recv_new(const struct rmc_recv_config *c, mc_time_t now, uint64_t seed,
    int *error)
{
	struct rmc_recv *r;

	*error = -EINVAL;
	if (c->window_blocks == 0)
		return NULL;
	*error = -ENOMEM;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->c = *c;
	r->trace.fn = c->trace;
	r->trace.arg = c->trace_arg;
	r->rng.state = seed;
	r->slots = calloc(c->window_blocks, sizeof(*r->slots));
	if (r->slots == NULL) {
		free(r);
		return NULL;
	}
	outq_init(&r->out);
	r->last_rx = now;
	r->locked = c->session != 0;
	rmc_cc_rcv_init(&r->cc, c->receiver, 1400 + RMC_DATA_HDR + 28, now);
	*error = 0;
	return r;
}

void
rmc_recv_free(struct rmc_recv *r)
{
	unsigned i;

	if (r == NULL)
		return;
	for (i = 0; r->files != NULL && i < r->nfiles; i++) {
		free(r->files[i].name);
		free(r->files[i].done);
	}
	for (i = 0; i < r->c.window_blocks; i++)
		free(r->slots[i].data);
	for (i = 0; i < RMC_FEC_N; i++)
		rmc_fec_fini(&r->fec[i]);
	outq_fini(&r->out);
	free(r->files);
	free(r->slots);
	free(r);
}

const struct rmc_recv_ev *
rmc_recv_event(struct rmc_recv *r)
{
	return outq_take(&r->out);
}

bool
rmc_recv_done(const struct rmc_recv *r)
{
	return r->state == RMC_RECV_DONE;
}

const struct rmc_recv_stats *
rmc_recv_stats(const struct rmc_recv *r)
{
	return &r->st;
}

unsigned
rmc_recv_held(const struct rmc_recv *r)
{
	return r->held;
}

static struct rmc_recv_ev *
rmc_recv_push(struct rmc_recv *r, enum rmc_recv_ev_type type, size_t data)
{
	struct rmc_recv_ev *ev = outq_push(&r->out, sizeof(*ev) + data);

	if (ev != NULL)
		ev->type = type;
	return ev;
}

static struct rmc_hdr
rmc_recv_hdr(struct rmc_recv *r, mc_time_t now)
{
	struct rmc_hdr h = { .session = r->c.session,
		.time_ms = (uint32_t)now,
		.seq = r->seq++ };

	return h;
}

static void
rmc_recv_status(struct rmc_recv *r, mc_time_t now)
{
	struct rmc_recv_ev *ev = rmc_recv_push(r, RMC_EV_SEND, RMC_STATUS_LEN);
	struct rmc_hdr h = rmc_recv_hdr(r, now);
	struct rmc_status s = { .receiver = r->c.receiver,
		.state = r->state == RMC_RECV_DONE ? RMC_RX_DONE :
		    r->state == RMC_RECV_FAILED	   ? RMC_RX_FAILED :
						     RMC_RX_RECEIVING,
		.loss = r->st.loss,
		.files_done = r->files_done };
	int len;

	if (ev == NULL)
		return;
	len = rmc_encode_status(ev->data, RMC_STATUS_LEN, &h, &s);
	ev->len = len > 0 ? (size_t)len : 0;
	r->status_at = now + r->c.status_interval_ms;
}

static uint64_t
rmc_key(uint32_t file, uint32_t block)
{
	return (uint64_t)file << 32 | block;
}

static bool
rmc_recv_block_done(const struct rmc_recv *r, uint32_t file, uint32_t block)
{
	return r->files[file].done[block / 8] & (1u << (block % 8));
}

/* A block whose first pass is over: its NACK may be due. */
static bool
rmc_recv_passed(const struct rmc_recv *r, uint32_t file, uint32_t block)
{
	return r->end_seen || rmc_key(file, block) < r->horizon;
}

static struct rmc_rslot *
rmc_recv_slot_find(struct rmc_recv *r, uint32_t file, uint32_t block)
{
	unsigned i;

	for (i = 0; i < r->c.window_blocks; i++)
		if (r->slots[i].used && r->slots[i].file == file &&
		    r->slots[i].block == block)
			return &r->slots[i];
	return NULL;
}

static struct rmc_rslot *
rmc_recv_slot_new(struct rmc_recv *r, uint32_t file, uint32_t block)
{
	unsigned i;

	for (i = 0; i < r->c.window_blocks; i++) {
		struct rmc_rslot *sl = &r->slots[i];
		uint8_t *data = sl->data;

		if (sl->used)
			continue;
		memset(sl, 0, sizeof(*sl));
		sl->used = true;
		sl->file = file;
		sl->block = block;
		sl->k = rmc_block_k(r->files[file].size, block, r->k,
		    r->symbol_size);
		sl->data = data;
		sl->nack = RMC_NACK_NONE;
		r->held++;
		return sl;
	}
	return NULL;
}

static void
rmc_recv_slot_free(struct rmc_recv *r, struct rmc_rslot *sl)
{
	free(sl->data);
	sl->data = NULL;
	sl->used = false;
	r->held--;
}

static void
rmc_recv_done_check(struct rmc_recv *r, mc_time_t now)
{
	if (r->state != RMC_RECV_RUNNING || !r->files_set ||
	    r->files_known < r->nfiles || r->files_done < r->nfiles)
		return;
	r->state = RMC_RECV_DONE;
	trace(&r->trace, "done: %u files", r->nfiles);
	rmc_recv_status(r, now);
	rmc_recv_push(r, RMC_EV_DONE, 0);
}

static void
rmc_recv_file_done(struct rmc_recv *r, mc_time_t now, uint32_t file)
{
	struct rmc_recv_ev *ev;

	r->files[file].complete = true;
	r->files_done++;
	trace(&r->trace, "file %u done", file);
	if ((ev = rmc_recv_push(r, RMC_EV_FILE_DONE, 0)) != NULL)
		ev->file = file;
	rmc_recv_done_check(r, now);
}

/* Any K symbols: the block, rebuilt if it must be, goes out to be written. */
static void
rmc_recv_complete(struct rmc_recv *r, mc_time_t now, struct rmc_rslot *sl)
{
	struct rmc_rfile *f = &r->files[sl->file];
	size_t s = r->symbol_size;
	uint64_t off = (uint64_t)sl->block * r->k * s;
	size_t len = (size_t)(f->size - off < (uint64_t)sl->k * s ?
		f->size - off :
		(uint64_t)sl->k * s);
	struct rmc_recv_ev *ev = rmc_recv_push(r, RMC_EV_WRITE, sl->k * s);
	const uint8_t *sym[RMC_FEC_N];
	uint8_t *out[RMC_FEC_N];
	bool all_source = true;
	unsigned i;

	if (ev == NULL)
		return; /* (stays incomplete: tried again on the next symbol) */
	for (i = 0; i < sl->k; i++) {
		sym[i] = sl->data + i * s;
		out[i] = ev->data + i * s;
		if (sl->idx[i] >= sl->k)
			all_source = false;
	}
	if (all_source) {
		for (i = 0; i < sl->k; i++)
			memcpy(out[sl->idx[i]], sym[i], s);
	} else {
		struct rmc_fec *fec = &r->fec[sl->k];

		if ((fec->matrix == NULL && rmc_fec_init(fec, sl->k) != 0) ||
		    rmc_fec_decode(fec, sym, sl->idx, s, out) != 0) {
			ev->type = RMC_EV_SEND; /* an empty send: dropped */
			ev->len = 0;
			return;
		}
		r->st.decoded++;
	}
	trace(&r->trace, "file %u block %u: done%s", sl->file, sl->block,
	    all_source ? "" : ", rebuilt from parity");
	ev->file = sl->file;
	ev->offset = off;
	ev->len = len;
	f->done[sl->block / 8] |= (uint8_t)(1u << (sl->block % 8));
	f->blocks_done++;
	r->st.blocks++;
	rmc_recv_slot_free(r, sl);
	r->rescan = true;
	if (f->blocks_done == f->nblocks)
		rmc_recv_file_done(r, now, ev->file);
}

static void
rmc_recv_hold(struct rmc_recv *r, mc_time_t now, struct rmc_rslot *sl)
{
	if (sl->nack == RMC_NACK_PENDING) {
		r->st.nacks_held++;
		trace(&r->trace, "file %u block %u: NACK held", sl->file,
		    sl->block);
	}
	sl->nack = RMC_NACK_HOLD;
	sl->nack_at = now + r->c.holdoff_ms;
}

static void
rmc_recv_data(struct rmc_recv *r, mc_time_t now, const struct rmc_data *d)
{
	struct rmc_rfile *f;
	struct rmc_rslot *sl;
	unsigned missing;

	if (!r->files_set || d->file >= r->nfiles || !r->files[d->file].known) {
		r->st.symbols_early++;
		return;
	}
	f = &r->files[d->file];
	if (d->block >= f->nblocks || d->payload_len != r->symbol_size ||
	    d->k != rmc_block_k(f->size, d->block, r->k, r->symbol_size)) {
		r->st.symbols_bad++;
		return;
	}
	if (d->burst == 0 && rmc_key(d->file, d->block) > r->horizon) {
		r->horizon = rmc_key(d->file, d->block);
		r->rescan = true;
	}
	if (d->burst > 0)
		r->st.repairs_heard++;
	if (rmc_recv_block_done(r, d->file, d->block)) {
		r->st.symbols_dup++;
		return;
	}
	sl = rmc_recv_slot_find(r, d->file, d->block);
	if (sl == NULL &&
	    (sl = rmc_recv_slot_new(r, d->file, d->block)) == NULL) {
		r->st.symbols_window++;
		return;
	}
	if (sl->seen[d->symbol / 8] & (1u << (d->symbol % 8))) {
		r->st.symbols_dup++;
		return;
	}
	if (sl->data == NULL &&
	    (sl->data = malloc((size_t)sl->k * r->symbol_size)) == NULL)
		return;
	missing = sl->k - sl->have;
	/* A repair at least as large as what we lack: ours is not needed. */
	if (d->burst >= missing && r->c.suppress)
		rmc_recv_hold(r, now, sl);
	else if (sl->nack == RMC_NACK_HOLD)
		sl->nack_at = now + r->c.holdoff_ms;
	sl->seen[d->symbol / 8] |= (uint8_t)(1u << (d->symbol % 8));
	memcpy(sl->data + (size_t)sl->have * r->symbol_size, d->payload,
	    r->symbol_size);
	sl->idx[sl->have++] = d->symbol;
	r->st.symbols++;
	if (sl->have == sl->k)
		rmc_recv_complete(r, now, sl);
}

static void
rmc_recv_manifest(struct rmc_recv *r, mc_time_t now, struct rmc_manifest *m)
{
	struct rmc_entry e;
	bool first = !r->files_set;

	if (!r->files_set) {
		if (m->files > RMC_RECV_FILES_MAX) {
			r->st.bad[RMC_WIRE_PARAM]++;
			return;
		}
		r->files = calloc(m->files ? m->files : 1, sizeof(*r->files));
		if (r->files == NULL)
			return;
		r->files_set = true;
		r->nfiles = m->files;
		r->symbol_size = m->symbol_size;
		r->k = m->k;
		trace(&r->trace,
		    "session %08x: %u files, symbols of %u bytes, K %u",
		    r->c.session, r->nfiles, r->symbol_size, r->k);
	} else if (m->files != r->nfiles || m->symbol_size != r->symbol_size ||
	    m->k != r->k) {
		r->st.bad[RMC_WIRE_PARAM]++;
		return;
	}
	while (rmc_entry_next(m, &e)) {
		struct rmc_rfile *f;
		struct rmc_recv_ev *ev;

		if (e.index >= r->nfiles || r->files[e.index].known)
			continue;
		f = &r->files[e.index];
		f->size = e.size;
		f->mode = e.mode;
		memcpy(f->sha256, e.sha256, RMC_SHA256_LEN);
		f->nblocks = rmc_file_blocks(e.size, r->k, r->symbol_size);
		f->done = calloc(f->nblocks / 8 + 1, 1);
		f->name = malloc(e.name_len);
		if (f->done == NULL || f->name == NULL) {
			free(f->done);
			free(f->name);
			f->done = NULL;
			f->name = NULL;
			continue;
		}
		memcpy(f->name, e.name, e.name_len);
		f->name_len = e.name_len;
		f->known = true;
		r->files_known++;
		r->rescan = true;
		if ((ev = rmc_recv_push(r, RMC_EV_FILE, e.name_len)) != NULL) {
			ev->file = e.index;
			ev->entry = e;
			ev->block_bytes = (uint64_t)r->k * r->symbol_size;
			memcpy(ev->data, e.name, e.name_len);
			ev->entry.name = ev->data;
		}
		if (f->nblocks == 0)
			rmc_recv_file_done(r, now, e.index);
	}
	if (first && r->state == RMC_RECV_RUNNING)
		rmc_recv_status(r, now); /* the sender learns of us */
	rmc_recv_done_check(r, now);
}

/* Another receiver's NACK: ours is held when it asks as much. */
static void
rmc_recv_nack_heard(struct rmc_recv *r, mc_time_t now, const struct rmc_nack *n)
{
	struct rmc_rslot *sl;

	r->st.nacks_heard++;
	if (!r->c.suppress || !r->files_set || n->file >= r->nfiles ||
	    !r->files[n->file].known || n->block >= r->files[n->file].nblocks ||
	    rmc_recv_block_done(r, n->file, n->block))
		return;
	/*
	 * A block the first pass has not reached gets no slot: nothing of
	 * ours to hold there yet, and NACKs for blocks far ahead (forged)
	 * would fill the window that the coming blocks need.
	 */
	sl = rmc_recv_slot_find(r, n->file, n->block);
	if (sl == NULL && rmc_recv_passed(r, n->file, n->block))
		sl = rmc_recv_slot_new(r, n->file, n->block);
	if (sl != NULL && n->missing >= sl->k - sl->have)
		rmc_recv_hold(r, now, sl);
}

static void
rmc_recv_loss(struct rmc_recv *r, uint32_t seq)
{
	uint64_t expected;

	if (!r->seq_set) {
		r->seq_set = true;
		r->seq_first = r->seq_max = seq;
	} else if ((int32_t)(seq - r->seq_max) > 0) {
		r->seq_max = seq;
	}
	r->seq_rx++;
	expected = (uint64_t)(r->seq_max - r->seq_first) + 1;
	r->st.loss = expected > r->seq_rx ?
	    (uint16_t)((expected - r->seq_rx) * RMC_LOSS_SCALE / expected) :
	    0;
}

/* Blocks passed: slots for those missed whole, and NACKs due. */
static void
rmc_recv_schedule(struct rmc_recv *r, mc_time_t now)
{
	mc_time_t max = (mc_time_t)r->c.backoff_factor * r->c.grtt_ms;
	uint32_t f, b;
	unsigned i;

	r->rescan = false;
	if (!r->files_set)
		return;
	/* The first block not done moves on. */
	while (r->fill_file < r->nfiles) {
		struct rmc_rfile *rf = &r->files[r->fill_file];

		if (!rf->known)
			break;
		if (r->fill_block < rf->nblocks &&
		    !rmc_recv_block_done(r, r->fill_file, r->fill_block))
			break;
		if (++r->fill_block >= rf->nblocks) {
			r->fill_file++;
			r->fill_block = 0;
		}
	}
	for (f = r->fill_file; f < r->nfiles && r->held < r->c.window_blocks;
	     f++) {
		struct rmc_rfile *rf = &r->files[f];

		if (!rf->known)
			continue;
		for (b = f == r->fill_file ? r->fill_block : 0;
		     b < rf->nblocks && r->held < r->c.window_blocks; b++) {
			if (!rmc_recv_passed(r, f, b))
				goto slots;
			if (!rmc_recv_block_done(r, f, b) &&
			    rmc_recv_slot_find(r, f, b) == NULL)
				rmc_recv_slot_new(r, f, b);
		}
	}
	slots:
	for (i = 0; i < r->c.window_blocks; i++) {
		struct rmc_rslot *sl = &r->slots[i];

		if (sl->used && sl->nack == RMC_NACK_NONE &&
		    rmc_recv_passed(r, sl->file, sl->block)) {
			sl->nack = RMC_NACK_PENDING;
			sl->nack_at = now +
			    rmc_nack_backoff_ms(&r->rng, max, r->c.group_size);
		}
	}
}

/* --cc tfmcc: every packet of the sender counts; CC packets steer. */
static void
rmc_recv_cc(struct rmc_recv *r, mc_time_t now, const struct rmc_pkt *pkt,
    size_t len)
{
	if (pkt->hdr.type == RMC_DATA)
		r->cc.s = (unsigned)len + 28; /* with IP and UDP */
	rmc_cc_rcv_packet(&r->cc, now, &pkt->hdr, len);
	if (pkt->hdr.type == RMC_CC) {
		/* x in (0, 1] for the feedback timer */
		double x = (double)(mc_rng_below(&r->rng, 1000000) + 1) / 1e6;

		r->st.cc = true;
		rmc_cc_rcv_info(&r->cc, now, x, &pkt->u.cc);
	}
	if (r->st.cc) {
		r->st.cc_p = rmc_cc_rcv_p(&r->cc);
		r->st.cc_rtt_ms = rmc_cc_rcv_rtt(&r->cc);
		r->st.cc_xcalc = r->st.cc_p > 0 ? rmc_cc_rcv_xcalc(&r->cc) : 0;
		r->st.feedback_held = r->cc.fb_held;
	}
}

static void
rmc_recv_feedback(struct rmc_recv *r, mc_time_t now)
{
	struct rmc_feedback fb;
	struct rmc_recv_ev *ev;
	struct rmc_hdr h;
	int len;

	if (!r->st.cc || !rmc_cc_rcv_feedback(&r->cc, now, &fb))
		return;
	if ((ev = rmc_recv_push(r, RMC_EV_SEND, RMC_FEEDBACK_LEN)) == NULL)
		return;
	h = rmc_recv_hdr(r, now);
	len = rmc_encode_feedback(ev->data, RMC_FEEDBACK_LEN, &h, &fb);
	ev->len = len > 0 ? (size_t)len : 0;
	r->st.feedback_sent++;
}

int
rmc_recv_input(struct rmc_recv *r, mc_time_t now, const uint8_t *p, size_t len)
{
	struct rmc_pkt pkt;
	int error = rmc_decode(p, len, &pkt);
	bool from_sender;

	if (error != 0) {
		r->st.bad[-error]++;
		return error;
	}
	from_sender = pkt.hdr.type == RMC_MANIFEST ||
	    pkt.hdr.type == RMC_DATA || pkt.hdr.type == RMC_END ||
	    pkt.hdr.type == RMC_CC;
	if (!r->locked && from_sender) {
		r->c.session = pkt.hdr.session;
		r->locked = true;
	}
	if (!r->locked || pkt.hdr.session != r->c.session) {
		r->st.other_session++;
		return 0;
	}
	r->st.packets++;
	if (from_sender && r->state != RMC_RECV_FAILED) {
		r->last_rx = now;
		rmc_recv_loss(r, pkt.hdr.seq);
		rmc_recv_cc(r, now, &pkt, len);
	}
	if (r->state == RMC_RECV_DONE) {
		/* The sender still ends passes: tell it again, now and then. */
		if (pkt.hdr.type == RMC_END && now >= r->status_at)
			rmc_recv_status(r, now);
		return 0;
	}
	if (r->state != RMC_RECV_RUNNING)
		return 0;
	switch (pkt.hdr.type) {
	case RMC_MANIFEST:
		rmc_recv_manifest(r, now, &pkt.u.manifest);
		break;
	case RMC_DATA:
		rmc_recv_data(r, now, &pkt.u.data);
		break;
	case RMC_END:
		if (pkt.u.end.receivers > r->c.group_size)
			r->c.group_size = pkt.u.end.receivers;
		if (!r->end_seen)
			r->rescan = true;
		r->end_seen = true;
		break;
	case RMC_NACK:
		if (pkt.u.nack.receiver != r->c.receiver)
			rmc_recv_nack_heard(r, now, &pkt.u.nack);
		break;
	}
	if (r->rescan && r->state == RMC_RECV_RUNNING)
		rmc_recv_schedule(r, now);
	return 0;
}

static void
rmc_recv_send_nack(struct rmc_recv *r, mc_time_t now, struct rmc_rslot *sl)
{
	struct rmc_recv_ev *ev = rmc_recv_push(r, RMC_EV_SEND, RMC_NACK_LEN);
	struct rmc_hdr h = rmc_recv_hdr(r, now);
	struct rmc_nack n = { .receiver = r->c.receiver,
		.file = sl->file,
		.block = sl->block,
		.missing = (uint8_t)(sl->k - sl->have),
		.loss = r->st.loss };
	int len;

	if (ev == NULL)
		return;
	len = rmc_encode_nack(ev->data, RMC_NACK_LEN, &h, &n);
	ev->len = len > 0 ? (size_t)len : 0;
	r->st.nacks_sent++;
	trace(&r->trace, "file %u block %u: NACK of %u", sl->file, sl->block,
	    n.missing);
}

void
rmc_recv_timer(struct rmc_recv *r, mc_time_t now)
{
	mc_time_t max = (mc_time_t)r->c.backoff_factor * r->c.grtt_ms;
	unsigned i;

	if (r->state != RMC_RECV_RUNNING)
		return;
	if (now >= r->last_rx + r->c.idle_ms) {
		r->state = RMC_RECV_FAILED;
		trace(&r->trace, "nothing from the sender for %lld ms: failed",
		    (long long)r->c.idle_ms);
		rmc_recv_push(r, RMC_EV_TIMEOUT, 0);
		return;
	}
	rmc_recv_feedback(r, now);
	for (i = 0; i < r->c.window_blocks; i++) {
		struct rmc_rslot *sl = &r->slots[i];

		if (!sl->used || sl->nack == RMC_NACK_NONE || sl->nack_at > now)
			continue;
		if (sl->nack == RMC_NACK_PENDING) {
			rmc_recv_send_nack(r, now, sl);
			sl->nack = RMC_NACK_HOLD;
			sl->nack_at = now + r->c.holdoff_ms;
		} else if (rmc_recv_passed(r, sl->file, sl->block)) {
			sl->nack = RMC_NACK_PENDING;
			sl->nack_at = now +
			    rmc_nack_backoff_ms(&r->rng, max, r->c.group_size);
		} else {
			sl->nack = RMC_NACK_NONE;
		}
	}
	if (r->rescan)
		rmc_recv_schedule(r, now);
}

int
rmc_recv_have(struct rmc_recv *r, mc_time_t now, uint32_t file, uint32_t block)
{
	struct rmc_rfile *f;
	struct rmc_rslot *sl;

	if (!r->files_set || file >= r->nfiles || !r->files[file].known ||
	    block >= r->files[file].nblocks)
		return -EINVAL;
	f = &r->files[file];
	if (rmc_recv_block_done(r, file, block) || f->complete)
		return 0;
	if ((sl = rmc_recv_slot_find(r, file, block)) != NULL)
		rmc_recv_slot_free(r, sl);
	f->done[block / 8] |= (uint8_t)(1u << (block % 8));
	f->blocks_done++;
	r->rescan = true;
	if (f->blocks_done == f->nblocks)
		rmc_recv_file_done(r, now, file);
	return 0;
}

mc_time_t
rmc_recv_deadline(const struct rmc_recv *r)
{
	mc_time_t t;
	unsigned i;

	if (r->state != RMC_RECV_RUNNING)
		return MC_TIME_NEVER;
	t = r->last_rx + r->c.idle_ms;
	if (r->st.cc)
		t = mc_time_min(t, rmc_cc_rcv_deadline(&r->cc));
	for (i = 0; i < r->c.window_blocks; i++)
		if (r->slots[i].used && r->slots[i].nack != RMC_NACK_NONE)
			t = mc_time_min(t, r->slots[i].nack_at);
	return t;
}
