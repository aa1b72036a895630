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
	uint64_t first_seq;
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
/* Sequence numbers missing between the first seen and the highest seen (or
 * the announced total, once the stream is over). */
uint64_t mc_rxstats_lost(const struct mc_rxstats *s, bool stream_over);
/* RFC 3550 A.8: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16 */
double mc_rfc3550_jitter_update(double jitter, int64_t transit_prev,
    int64_t transit_now);

#endif
