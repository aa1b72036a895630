/* The sender engine of mcast file (rmc_send.h; its files: rmc_send_int.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rmc_send_int.h"

void
rmc_send_config_default(struct rmc_send_config *c)
{
	memset(c, 0, sizeof(*c));
	c->symbol_size = 1400;
	c->k = 64;
	c->rate_bps = 10000000;
	c->window_blocks = 256; /* as the receivers' (rmc_recv.c) */
	c->nack_window_ms = 20;
	c->repair_holdoff_ms = 50;
	c->end_interval_ms = 200;
	c->manifest_interval_ms = 1000;
	c->linger_ms = 3000;
}

static mc_time_t
rmc_send_time_max(mc_time_t a, mc_time_t b)
{
	return a > b ? a : b;
}

static unsigned
rmc_send_block_k(const struct rmc_send *s, uint32_t file, uint32_t block)
{
	return rmc_block_k(s->files[file].size, block, s->c.k,
	    s->c.symbol_size);
}

struct rmc_fec *
rmc_send_fec(struct rmc_send *s, unsigned k)
{
	struct rmc_fec *f = &s->fec[k];

	if (f->matrix == NULL && rmc_fec_init(f, k) != 0)
		return NULL;
	return f;
}

struct rmc_send *
rmc_send_new(const struct rmc_send_config *c, const struct rmc_send_file *files,
    unsigned nfiles, mc_time_t now, int *error)
{
	struct rmc_send *s;
	unsigned i;

	*error = -EINVAL;
	if (c->symbol_size == 0 || c->k == 0 || c->k >= RMC_FEC_N ||
	    c->k + c->parity_max > RMC_FEC_N - 1 + (c->parity_max == 0) ||
	    c->window_blocks == 0)
		return NULL;
	for (i = 0; i < nfiles; i++)
		if (files[i].name == NULL ||
		    !rmc_name_ok((const uint8_t *)files[i].name,
			strlen(files[i].name)))
			return NULL;
	*error = -ENOMEM;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->c = *c;
	s->trace.fn = c->trace;
	s->trace.arg = c->trace_arg;
	s->nfiles = nfiles;
	s->files = calloc(nfiles ? nfiles : 1, sizeof(*s->files));
	s->nblocks = calloc(nfiles ? nfiles : 1, sizeof(*s->nblocks));
	s->slots = calloc(c->window_blocks, sizeof(*s->slots));
	if (s->files == NULL || s->nblocks == NULL || s->slots == NULL)
		goto fail;
	for (i = 0; i < nfiles; i++) {
		s->files[i] = files[i];
		s->files[i].name = strdup(files[i].name);
		if (s->files[i].name == NULL)
			goto fail;
		s->nblocks[i] = rmc_file_blocks(files[i].size, c->k,
		    c->symbol_size);
	}
	s->manifest_sending = true;
	s->manifest_at = now;
	s->activity = now;
	s->tokens_at = now;
	if (c->cc_tfmcc)
		rmc_cc_snd_init(&s->cc, c->rate_bps,
		    c->symbol_size + RMC_DATA_HDR + RMC_UDP_IP_OVERHEAD, now);
	s->st.rate_bps = rmc_send_rate(s);
	*error = 0;
	return s;
fail:
	rmc_send_free(s);
	return NULL;
}

void
rmc_send_free(struct rmc_send *s)
{
	unsigned i;

	if (s == NULL)
		return;
	for (i = 0; s->files != NULL && i < s->nfiles; i++)
		free((char *)s->files[i].name);
	for (i = 0; i < RMC_FEC_N; i++)
		rmc_fec_fini(&s->fec[i]);
	for (i = 0; s->slots != NULL && i < s->c.window_blocks; i++)
		free(s->slots[i].data);
	free(s->files);
	free(s->nblocks);
	free(s->slots);
	free(s->rcvrs);
	free(s);
}

const struct rmc_send_stats *
rmc_send_stats(const struct rmc_send *s)
{
	return &s->st;
}

bool
rmc_send_done(const struct rmc_send *s)
{
	return s->phase == RMC_SEND_OVER;
}

static struct rmc_slot *
rmc_send_slot_find(struct rmc_send *s, uint32_t file, uint32_t block)
{
	unsigned i;

	for (i = 0; i < s->c.window_blocks; i++)
		if (s->slots[i].used && s->slots[i].file == file &&
		    s->slots[i].block == block)
			return &s->slots[i];
	return NULL;
}

/*
 * The first parity index of a block taken into a slot.  Not always K: a
 * block NACKed again after its slot went to another would get the indexes
 * its receivers already have (duplicates to them), again and again; the
 * repairs sent so far move the start round the indexes in use.
 */
static unsigned
rmc_send_parity_start(const struct rmc_send *s, unsigned k)
{
	unsigned range = RMC_FEC_N - k;

	if (s->c.parity_max > 0 && s->c.parity_max < range)
		range = s->c.parity_max;
	return k + (unsigned)(s->st.repair % range);
}

/*
 * A slot for a block: a free one, else the least recently used that has
 * no repair under way (busy is true when every slot has one).
 */
struct rmc_slot *
rmc_send_slot_get(struct rmc_send *s, uint32_t file, uint32_t block)
{
	struct rmc_slot *sl = rmc_send_slot_find(s, file, block), *best = NULL;
	unsigned i;

	if (sl != NULL)
		return sl;
	for (i = 0; i < s->c.window_blocks; i++) {
		sl = &s->slots[i];
		if (!sl->used) {
			best = sl;
			break;
		}
		if (sl->burst_left > 0 || sl->gather_until != MC_TIME_NEVER)
			continue;
		if (sl->file == s->cur_file && sl->block == s->cur_block &&
		    s->phase == RMC_SEND_PASS)
			continue;
		if (best == NULL || sl->used_at < best->used_at)
			best = sl;
	}
	if (best == NULL)
		return NULL;
	free(best->data);
	memset(best, 0, sizeof(*best));
	best->used = true;
	best->file = file;
	best->block = block;
	best->k = rmc_send_block_k(s, file, block);
	best->next_parity = rmc_send_parity_start(s, best->k);
	best->gather_until = MC_TIME_NEVER;
	best->used_at = s->seq;
	return best;
}

/* The block the first pass is at, when there is one. */
static bool
rmc_send_cur_valid(const struct rmc_send *s)
{
	return s->phase == RMC_SEND_PASS && s->cur_file < s->nfiles &&
	    s->cur_block < s->nblocks[s->cur_file];
}

bool
rmc_send_need(const struct rmc_send *s, struct rmc_send_need *need)
{
	uint64_t bb = (uint64_t)s->c.k * s->c.symbol_size;
	const struct rmc_slot *sl = NULL;
	unsigned i;

	/* Repairs first, then the first pass. */
	for (i = 0; i < s->c.window_blocks; i++)
		if (s->slots[i].used && !s->slots[i].loaded) {
			sl = &s->slots[i];
			break;
		}
	if (sl == NULL && rmc_send_cur_valid(s)) {
		need->file = s->cur_file;
		need->block = s->cur_block;
		for (i = 0; i < s->c.window_blocks; i++)
			if (s->slots[i].used && s->slots[i].loaded &&
			    s->slots[i].file == s->cur_file &&
			    s->slots[i].block == s->cur_block)
				return false;
	} else if (sl != NULL) {
		need->file = sl->file;
		need->block = sl->block;
	} else {
		return false;
	}
	need->offset = (uint64_t)need->block * bb;
	need->len = (size_t)(s->files[need->file].size - need->offset);
	if (need->len > bb)
		need->len = (size_t)bb;
	return true;
}

int
rmc_send_supply(struct rmc_send *s, uint32_t file, uint32_t block,
    const uint8_t *data, size_t len)
{
	struct rmc_send_need need;
	struct rmc_slot *sl;
	size_t size;

	if (!rmc_send_need(s, &need) || need.file != file ||
	    need.block != block || need.len != len)
		return -EINVAL;
	if ((sl = rmc_send_slot_get(s, file, block)) == NULL)
		return -ENOMEM;
	size = (size_t)sl->k * s->c.symbol_size;
	if (sl->data == NULL && (sl->data = malloc(size)) == NULL)
		return -ENOMEM;
	memcpy(sl->data, data, len);
	memset(sl->data + len, 0, size - len);
	sl->loaded = true;
	return 0;
}

struct rmc_hdr
rmc_send_hdr(struct rmc_send *s, mc_time_t now)
{
	struct rmc_hdr h = { .session = s->c.session,
		.time_ms = (uint32_t)now,
		.seq = s->seq++ };

	return h;
}

static struct rmc_slot *
rmc_send_cur_slot(struct rmc_send *s)
{
	struct rmc_slot *sl;

	if (!rmc_send_cur_valid(s))
		return NULL;
	sl = rmc_send_slot_find(s, s->cur_file, s->cur_block);
	return sl != NULL && sl->loaded ? sl : NULL;
}

static void
rmc_send_pass_end(struct rmc_send *s, mc_time_t now)
{
	s->end_due = true;
	s->st.passes++;
	trace(&s->trace, "pass %u over: %s", s->st.passes,
	    s->c.carousel ? "again" : "lingering");
	if (s->c.carousel) {
		s->cur_file = 0;
		s->cur_block = 0;
		s->cur_symbol = 0;
		s->manifest_sending = true;
		s->manifest_next = 0;
	} else {
		s->phase = RMC_SEND_LINGER;
		s->activity = now;
	}
}

/* Past the empty files and the end of the last one. */
static void
rmc_send_skip(struct rmc_send *s, mc_time_t now)
{
	while (s->phase == RMC_SEND_PASS && !rmc_send_cur_valid(s)) {
		if (s->cur_file >= s->nfiles) {
			rmc_send_pass_end(s, now);
			if (s->c.carousel && s->nblocks != NULL) {
				unsigned i;

				for (i = 0; i < s->nfiles; i++)
					if (s->nblocks[i] > 0)
						break;
				if (i == s->nfiles)
					return; /* nothing to go round */
			}
			continue;
		}
		s->cur_file++;
		s->cur_block = 0;
	}
}

/*
 * --fec auto: the parity symbols each block of k gets in the first pass,
 * from the largest loss the receivers reported lately (their NACKs carry
 * it): enough for that loss and a quarter more, and one more symbol.
 */
static unsigned
rmc_send_proactive(const struct rmc_send *s, unsigned k)
{
	unsigned p, max = RMC_FEC_N - k;

	if (!s->c.fec_auto || s->loss == 0)
		return 0;
	p = (unsigned)(((uint64_t)k * s->loss * 5 / 4 + RMC_LOSS_SCALE - 1) /
		RMC_LOSS_SCALE) +
	    1;
	if (s->c.parity_max > 0 && max > s->c.parity_max)
		max = s->c.parity_max;
	return p < max ? p : max;
}

static int
rmc_send_first_pass(struct rmc_send *s, mc_time_t now, struct rmc_slot *sl,
    uint8_t *buf, size_t cap)
{
	struct rmc_hdr h = rmc_send_hdr(s, now);
	struct rmc_data d = { .file = sl->file,
		.block = sl->block,
		.symbol = (uint8_t)s->cur_symbol,
		.k = (uint8_t)sl->k,
		.payload = s->cur_symbol < sl->k ?
		    sl->data + (size_t)s->cur_symbol * s->c.symbol_size :
		    NULL,
		.payload_len = s->c.symbol_size };
	int len;

	if (s->cur_symbol == 0)
		s->cur_parity = rmc_send_proactive(s, sl->k);
	if (s->cur_symbol >= sl->k) {
		/* --fec auto: parity that goes with the block, unasked. */
		s->seq--;
		len = rmc_send_parity(s, now, sl, 0, buf, cap);
		if (len > 0)
			s->st.proactive++;
	} else {
		len = rmc_encode_data(buf, cap, &h, &d);
		if (len < 0) {
			s->seq--;
			return len;
		}
		s->st.data++;
	}
	if (len <= 0)
		return len;
	sl->used_at = s->seq;
	s->since_manifest++;
	if (++s->cur_symbol >= sl->k + s->cur_parity) {
		s->cur_symbol = 0;
		s->cur_block++;
		/* What the receivers said ages: an eighth per block. */
		s->loss -= s->loss / 8;
		rmc_send_skip(s, now);
	}
	return len;
}

/*
 * The manifest goes again every manifest_interval_ms, and after 256
 * first-pass symbols or 64 times its own packets, whichever is more: a
 * receiver that lost it (or joined) learns the files before the pass is
 * over however fast it goes, for at most 1/64 of the packets.
 */
static bool
rmc_send_manifest_due(const struct rmc_send *s, mc_time_t now)
{
	uint64_t every = 64 * (uint64_t)s->manifest_pkts;

	return now >= s->manifest_at ||
	    s->since_manifest >= (every > 256 ? every : 256);
}

static int
rmc_send_manifest(struct rmc_send *s, mc_time_t now, uint8_t *buf, size_t cap)
{
	struct rmc_hdr h = rmc_send_hdr(s, now);
	size_t mtu = cap < RMC_MANIFEST_MTU ? cap : RMC_MANIFEST_MTU;
	int len = rmc_manifest_begin(buf, mtu, &h, s->nfiles, s->c.symbol_size,
	    s->c.k);

	while (len > 0 && s->manifest_next < s->nfiles) {
		const struct rmc_send_file *f = &s->files[s->manifest_next];
		struct rmc_entry e = { .index = s->manifest_next,
			.size = f->size,
			.mode = f->mode,
			.name = (const uint8_t *)f->name,
			.name_len = (uint16_t)strlen(f->name) };
		int n;

		memcpy(e.sha256, f->sha256, RMC_SHA256_LEN);
		n = rmc_manifest_add(buf, mtu, (size_t)len, &e);
		if (n < 0) {
			if (buf[23] == 0) { /* one entry that never fits */
				s->seq--;
				return -RMC_WIRE_NOSPACE;
			}
			break;
		}
		len = n;
		s->manifest_next++;
	}
	if (len < 0) {
		s->seq--;
		return len;
	}
	s->manifest_round++;
	if (s->manifest_next >= s->nfiles) {
		s->manifest_pkts = s->manifest_round;
		s->manifest_round = 0;
		s->since_manifest = 0;
		s->manifest_sending = false;
		s->manifest_next = 0;
		s->manifest_at = now + s->c.manifest_interval_ms;
	}
	s->st.manifests++;
	return len;
}

static int
rmc_send_end(struct rmc_send *s, mc_time_t now, uint8_t *buf, size_t cap)
{
	struct rmc_hdr h = rmc_send_hdr(s, now);
	struct rmc_end e = { .pass = s->st.passes,
		.files = s->nfiles,
		.receivers = s->st.receivers,
		.flags = s->c.carousel ? 0 : RMC_END_LAST };
	int len = rmc_encode_end(buf, cap, &h, &e);

	if (len < 0) {
		s->seq--;
		return len;
	}
	s->end_due = false;
	s->end_at = now + s->c.end_interval_ms;
	s->st.ends++;
	return len;
}

#define RMC_BUCKET_MS 10

uint64_t
rmc_send_rate(const struct rmc_send *s)
{
	return s->c.cc_tfmcc ? rmc_cc_snd_rate(&s->cc) : s->c.rate_bps;
}

/* --cc tfmcc: what the receivers need (rmc_cc.h), and the figures. */
static int
rmc_send_cc(struct rmc_send *s, mc_time_t now, uint8_t *buf, size_t cap)
{
	struct rmc_hdr h = rmc_send_hdr(s, now);
	struct rmc_ccinfo ci;
	int len;

	rmc_cc_snd_info(&s->cc, now, &ci);
	if ((len = rmc_encode_cc(buf, cap, &h, &ci)) < 0) {
		s->seq--;
		return len;
	}
	s->st.cc_packets++;
	return len;
}

static void
rmc_send_cc_stats(struct rmc_send *s)
{
	s->st.rate_bps = rmc_send_rate(s);
	s->st.clr = s->cc.have_clr ? s->cc.clr : 0;
	s->st.feedback = s->cc.st.feedback;
	s->st.clr_changes = s->cc.st.clr_changes;
	s->st.halvings = s->cc.st.halvings;
	s->st.slow_start = s->cc.slow_start;
}

/*
 * Tokens earned since the last look; the bucket holds two packets or
 * RMC_BUCKET_MS of the rate, whichever is more (the clock ticks in ms, and
 * a loop woken a few ms late, e.g. on a busy machine, must not lose what
 * it earned meanwhile: with 2 ms the sender kept only ~0.97 of the cap).
 */
static void
rmc_send_refill(struct rmc_send *s, mc_time_t now)
{
	int64_t depth = 2 * 8 *
	    ((int64_t)s->c.symbol_size + RMC_DATA_HDR + RMC_UDP_IP_OVERHEAD +
		s->c.packet_extra);
	uint64_t rate = rmc_send_rate(s);

	if ((int64_t)(rate * RMC_BUCKET_MS / 1000) > depth)
		depth = (int64_t)(rate * RMC_BUCKET_MS / 1000);

	if (now <= s->tokens_at)
		return;
	s->tokens += (int64_t)((uint64_t)(now - s->tokens_at) * rate / 1000);
	if (s->tokens > depth)
		s->tokens = depth;
	s->tokens_at = now;
}

/* Whether the lingering is over: everyone heard from is done, or idle. */
static void
rmc_send_linger(struct rmc_send *s, mc_time_t now)
{
	if (s->phase != RMC_SEND_LINGER || rmc_send_repair_slot(s) != NULL)
		return;
	if ((s->nrcvrs > 0 && s->st.receivers_done == s->nrcvrs) ||
	    now >= s->activity + s->c.linger_ms) {
		s->phase = RMC_SEND_OVER;
		trace(&s->trace, "over: %u of %zu receivers done%s",
		    s->st.receivers_done, s->nrcvrs,
		    s->st.receivers_done == s->nrcvrs ? "" : ", idle");
	}
}

int
rmc_send_output(struct rmc_send *s, mc_time_t now, uint8_t *buf, size_t cap)
{
	struct rmc_slot *sl;
	int len = 0;

	rmc_send_gathered(s, now);
	rmc_send_skip(s, now);
	rmc_send_linger(s, now);
	if (s->phase == RMC_SEND_OVER)
		return 0;
	if (s->c.cc_tfmcc) {
		rmc_cc_snd_tick(&s->cc, now);
		rmc_send_cc_stats(s);
	}
	if (rmc_send_rate(s) > 0) {
		rmc_send_refill(s, now);
		if (s->tokens < 0)
			return 0;
	}
	if (s->phase == RMC_SEND_LINGER && now >= s->end_at)
		s->end_due = true;
	if (!s->manifest_sending && rmc_send_manifest_due(s, now))
		s->manifest_sending = true;
	if (s->c.cc_tfmcc && rmc_cc_snd_info_due(&s->cc, now))
		len = rmc_send_cc(s, now, buf, cap);
	else if (s->manifest_sending)
		len = rmc_send_manifest(s, now, buf, cap);
	else if ((sl = rmc_send_repair_slot(s)) != NULL &&
	    (s->repair_run < RMC_REPAIR_RUN || rmc_send_cur_slot(s) == NULL)) {
		s->repair_turn = (unsigned)(sl - s->slots + 1);
		s->repair_run++;
		len = rmc_send_repair(s, now, sl, buf, cap);
	} else if (s->end_due) {
		len = rmc_send_end(s, now, buf, cap);
	} else if ((sl = rmc_send_cur_slot(s)) != NULL) {
		s->repair_run = 0;
		len = rmc_send_first_pass(s, now, sl, buf, cap);
	}
	if (len > 0 && rmc_send_rate(s) > 0)
		s->tokens -= 8 *
		    ((int64_t)len + RMC_UDP_IP_OVERHEAD + s->c.packet_extra);
	return len;
}

mc_time_t
rmc_send_deadline(const struct rmc_send *s, mc_time_t now)
{
	mc_time_t t = MC_TIME_NEVER, ready = now;
	uint64_t rate = rmc_send_rate(s);
	struct rmc_send_need need;
	bool sendable;
	unsigned i;

	if (s->phase == RMC_SEND_OVER)
		return MC_TIME_NEVER;
	for (i = 0; i < s->c.window_blocks; i++) {
		const struct rmc_slot *sl = &s->slots[i];

		if (sl->used && sl->gather_until != MC_TIME_NEVER)
			t = mc_time_min(t, sl->gather_until);
	}
	if (rate > 0 && s->tokens < 0)
		ready = s->tokens_at +
		    (mc_time_t)(((uint64_t)-s->tokens * 1000 + rate - 1) /
			rate);
	if (s->c.cc_tfmcc)
		t = mc_time_min(t,
		    rmc_send_time_max(ready, rmc_cc_snd_deadline(&s->cc, now)));
	sendable = s->manifest_sending || s->end_due;
	for (i = 0; !sendable && i < s->c.window_blocks; i++) {
		const struct rmc_slot *sl = &s->slots[i];

		if (sl->used && sl->loaded &&
		    (sl->burst_left > 0 ||
			(rmc_send_cur_valid(s) && sl->file == s->cur_file &&
			    sl->block == s->cur_block)))
			sendable = true;
	}
	/* Data to read: the caller supplies it when this deadline comes. */
	if (!sendable && rmc_send_need(s, &need))
		sendable = true;
	if (sendable)
		t = mc_time_min(t, ready);
	t = mc_time_min(t, rmc_send_time_max(ready, s->manifest_at));
	if (s->phase == RMC_SEND_LINGER) {
		t = mc_time_min(t, rmc_send_time_max(ready, s->end_at));
		t = mc_time_min(t, s->activity + s->c.linger_ms);
	}
	return t < now ? now : t;
}
