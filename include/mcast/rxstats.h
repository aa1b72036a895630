/*
 * Receive statistics for one (sender, group) stream: packets, loss,
 * duplicates, reordering, time to first packet, one-way delay and the
 * RFC 3550 interarrival jitter.  Pure arithmetic: the caller supplies the
 * arrival and send times.
 */
#ifndef MCAST_RXSTATS_H
#define MCAST_RXSTATS_H

#include <stdbool.h>
#include <stdint.h>

#define MC_RXSTATS_WINDOW 65536 /* sequence numbers remembered for dups */

struct mc_rxstats {
	uint64_t packets; /* every datagram, duplicates included */
	uint64_t bytes;
	uint64_t unique; /* distinct sequence numbers */
	uint64_t duplicates;
	uint64_t reordered; /* arrived after a higher sequence */
	uint64_t late;	    /* too old to tell duplicate from new */
	bool started;
	/*
	 * The sender said when its stream began (sequence 0): from_start when
	 * the receiver was listening by then, so loss counts from 0 (the head
	 * included); otherwise it joined mid-stream, at first_seq.  Without
	 * the sender's word (start_known false) loss counts from first_seq.
	 */
	bool start_known;
	bool from_start;
	uint64_t first_seq; /* the lowest received */
	uint64_t max_seq;
	uint32_t total; /* the sender's announced count, 0 = unknown */
	int64_t first_arrival_ns;
	int64_t last_arrival_ns;
	/* one-way delay, arrival minus send time, in ns */
	int64_t delay_min_ns;
	int64_t delay_max_ns;
	int64_t delay_sum_ns;
	/* RFC 3550 A.8 */
	int64_t prev_transit_ns;
	double jitter_ns;
	uint64_t seen[MC_RXSTATS_WINDOW / 64]; /* bitmap by seq % WINDOW */
};

void mc_rxstats_init(struct mc_rxstats *s);
void mc_rxstats_add(struct mc_rxstats *s, uint64_t seq, uint32_t total,
    size_t bytes, int64_t send_ns, int64_t arrival_ns);
/*
 * The sender began its stream (sent sequence 0) at stream_start_ns, and the
 * receiver has listened since listening_since_ns, both CLOCK_REALTIME.  A
 * stream that began after the receiver listened counts its loss from
 * sequence 0; one that began before was joined mid-stream and counts from
 * the first sequence received.  The first call decides; later ones (every
 * datagram carries the start) change nothing.
 */
void mc_rxstats_stream_start(struct mc_rxstats *s, int64_t stream_start_ns,
    int64_t listening_since_ns);
/* The first sequence number loss is counted from: 0 or first_seq. */
uint64_t mc_rxstats_count_from(const struct mc_rxstats *s);
/* Did the receiver join a stream already under way ("joined at first_seq")? */
bool mc_rxstats_joined_mid_stream(const struct mc_rxstats *s);
/* Sequence numbers missing from mc_rxstats_count_from() to the highest seen
 * (or the announced total, once the stream is over). */
uint64_t mc_rxstats_lost(const struct mc_rxstats *s, bool stream_over);

/* The counts at the end of the last interval (zero before the first). */
struct mc_rxstats_mark {
	uint64_t expected; /* sequence numbers expected so far */
	uint64_t received; /* distinct (and late) datagrams so far */
};

/* One interval: what was expected and received since the mark. */
struct mc_rxstats_interval {
	uint64_t expected; /* new sequence numbers up to the highest */
	uint64_t received;
	uint64_t lost; /* expected - received, 0 when a late datagram filled
			  an earlier interval's hole */
};

void mc_rxstats_mark(const struct mc_rxstats *s, struct mc_rxstats_mark *m);
void mc_rxstats_since(const struct mc_rxstats *s,
    const struct mc_rxstats_mark *m, struct mc_rxstats_interval *out);
/* RFC 3550 A.8: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16 */
double mc_rfc3550_jitter_update(double jitter, int64_t transit_prev,
    int64_t transit_now);

#endif
