/*
 * Per-stream receive statistics.  Sequence numbers are remembered in a
 * sliding bitmap of MC_RXSTATS_WINDOW entries, so duplicates and reordering
 * are exact within that window and memory stays fixed.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <mcast/mcast.h>

#define WORD_BITS 64

static bool
rxstats_test(const struct mc_rxstats *s, uint64_t seq)
{
	uint64_t bit = seq % MC_RXSTATS_WINDOW;

	return s->seen[bit / WORD_BITS] >> (bit % WORD_BITS) & 1;
}

static void
rxstats_mark(struct mc_rxstats *s, uint64_t seq)
{
	uint64_t bit = seq % MC_RXSTATS_WINDOW;

	s->seen[bit / WORD_BITS] |= (uint64_t)1 << (bit % WORD_BITS);
}

static void
rxstats_clear(struct mc_rxstats *s, uint64_t seq)
{
	uint64_t bit = seq % MC_RXSTATS_WINDOW;

	s->seen[bit / WORD_BITS] &= ~((uint64_t)1 << (bit % WORD_BITS));
}

/* Forget the slots that the sequence numbers (max_seq, seq] reuse. */
static void
rxstats_advance(struct mc_rxstats *s, uint64_t seq)
{
	uint64_t n;

	if (seq - s->max_seq >= MC_RXSTATS_WINDOW) {
		memset(s->seen, 0, sizeof(s->seen));
		return;
	}
	for (n = s->max_seq + 1; n <= seq; n++)
		rxstats_clear(s, n);
}

void
mc_rxstats_init(struct mc_rxstats *s)
{
	memset(s, 0, sizeof(*s));
}

/* RFC 3550 A.8: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16 */
double
mc_rfc3550_jitter_update(double jitter, int64_t transit_prev,
    int64_t transit_now)
{
	int64_t d = transit_now - transit_prev;

	if (d < 0)
		d = -d;
	return jitter + ((double)d - jitter) / 16.0;
}

static void
rxstats_timing(struct mc_rxstats *s, int64_t send_ns, int64_t arrival_ns)
{
	int64_t transit = arrival_ns - send_ns;

	if (s->unique == 1) {
		s->delay_min_ns = s->delay_max_ns = transit;
	} else {
		if (transit < s->delay_min_ns)
			s->delay_min_ns = transit;
		if (transit > s->delay_max_ns)
			s->delay_max_ns = transit;
		s->jitter_ns = mc_rfc3550_jitter_update(s->jitter_ns,
		    s->prev_transit_ns, transit);
	}
	s->delay_sum_ns += transit;
	s->prev_transit_ns = transit;
}

void
mc_rxstats_add(struct mc_rxstats *s, uint64_t seq, uint32_t total, size_t bytes,
    int64_t send_ns, int64_t arrival_ns)
{
	s->packets++;
	s->bytes += bytes;
	s->last_arrival_ns = arrival_ns;
	if (total != 0)
		s->total = total;
	if (!s->started) {
		s->started = true;
		s->first_seq = s->max_seq = seq;
		s->first_arrival_ns = arrival_ns;
	} else if (seq > s->max_seq) {
		rxstats_advance(s, seq);
		s->max_seq = seq;
	} else if (s->max_seq - seq >= MC_RXSTATS_WINDOW) {
		s->late++;
		return;
	} else if (rxstats_test(s, seq)) {
		s->duplicates++;
		return;
	} else {
		s->reordered++;
		if (seq < s->first_seq)
			s->first_seq = seq;
	}
	rxstats_mark(s, seq);
	s->unique++;
	rxstats_timing(s, send_ns, arrival_ns);
}

void
mc_rxstats_stream_start(struct mc_rxstats *s, int64_t stream_start_ns,
    int64_t listening_since_ns)
{
	if (s->start_known)
		return;
	s->start_known = true;
	s->from_start = stream_start_ns >= listening_since_ns;
}

uint64_t
mc_rxstats_count_from(const struct mc_rxstats *s)
{
	return s->from_start ? 0 : s->first_seq;
}

bool
mc_rxstats_joined_mid_stream(const struct mc_rxstats *s)
{
	return s->started && s->start_known && !s->from_start &&
	    s->first_seq > 0;
}

/* Sequence numbers from the count's start up to last, inclusive. */
static uint64_t
rxstats_expected(const struct mc_rxstats *s, uint64_t last)
{
	return s->started ? last - mc_rxstats_count_from(s) + 1 : 0;
}

uint64_t
mc_rxstats_lost(const struct mc_rxstats *s, bool stream_over)
{
	uint64_t last, expected;

	if (!s->started)
		return 0;
	last = s->max_seq;
	if (stream_over && s->total != 0 && s->total - 1 > last)
		last = s->total - 1;
	expected = rxstats_expected(s, last);
	return expected > s->unique + s->late ? expected - s->unique - s->late :
						0;
}

void
mc_rxstats_mark(const struct mc_rxstats *s, struct mc_rxstats_mark *m)
{
	m->expected = rxstats_expected(s, s->max_seq);
	m->received = s->unique + s->late;
}

void
mc_rxstats_since(const struct mc_rxstats *s, const struct mc_rxstats_mark *m,
    struct mc_rxstats_interval *out)
{
	struct mc_rxstats_mark now;

	mc_rxstats_mark(s, &now);
	out->expected = now.expected - m->expected;
	out->received = now.received - m->received;
	out->lost = out->expected > out->received ?
	    out->expected - out->received :
	    0;
}
