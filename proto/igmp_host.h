/*
 * The host side of IGMP v1/v2/v3 for one interface, as a sans-I/O engine
 * (RFC 1112 appendix I, RFC 2236 sections 3-4 and 8, RFC 3376 sections 5
 * and 7.2): unsolicited reports on join repeated Robustness times with
 * random delays, answers to general, group-specific and
 * group-and-source-specific queries, v1/v2 report suppression, v2 leaves by
 * the last reporter, older-version querier present timers, v3 state-change
 * reports with retransmission.
 */
#ifndef MCAST_PROTO_IGMP_HOST_H
#define MCAST_PROTO_IGMP_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "engine.h"
#include "igmp_router.h" /* enum igmp_filter_mode */
#include "igmp_wire.h"

struct igmp_host_config {
	unsigned version;			 /* 0 auto (v3 down to the
						   querier's), or forced 1/2/3 */
	unsigned robustness;			 /* 2 */
	uint32_t unsolicited_report_interval_ms; /* v3 1000, v1/v2 10000
						   (0 = the version's) */
	uint32_t v1_router_present_timeout_ms;	 /* 400000 */
};

void igmp_host_config_defaults(struct igmp_host_config *c);

struct igmp_host;

struct igmp_host *igmp_host_new(const struct igmp_host_config *c,
    struct in_addr addr, uint64_t rng_seed, mc_trace_fn trace, void *trace_arg);
void igmp_host_free(struct igmp_host *h);

/*
 * The socket layer's interface state for group changes (RFC 3376 5.1):
 * an any-source join is EXCLUDE {}, a leave is INCLUDE {}.  0, -ENOMEM.
 */
int igmp_host_set_filter(struct igmp_host *h, mc_time_t now,
    struct in_addr group, enum igmp_filter_mode mode,
    const struct in_addr *sources, uint32_t nsources);
void igmp_host_input(struct igmp_host *h, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg);
void igmp_host_timeout(struct igmp_host *h, mc_time_t now);
mc_time_t igmp_host_next_deadline(const struct igmp_host *h);

#define IGMP_HOST_MAX_PACKET 1476 /* + 24-byte IP header (RA) = 1500 */

/*
 * The largest v3 report the engine builds (RFC 3376 4.2.16): a 1500-byte
 * MTU less the 24-byte IPv4 header with Router Alert that igmp_ip_build()
 * puts in front (that header sets DF).  Records that do not fit are split
 * over several reports.
 *
 * Timing of what igmp_host_set_filter() causes: v1/v2 reports and leaves
 * are queued at once; v3 State-Change Reports are due at `now`
 * (igmp_host_next_deadline() returns now) and the next
 * igmp_host_timeout(h, now) sends them, one report for every group changed
 * at that instant (RFC 3376 5.1 merging, 4.2.16 packing).
 */
#define IGMP_HOST_REPORT_MAX IGMP_HOST_MAX_PACKET

struct igmp_host_output {
	struct in_addr dst;
	uint8_t data[IGMP_HOST_MAX_PACKET]; /* IGMP, no IP header */
	size_t len;
};

bool igmp_host_output(struct igmp_host *h, struct igmp_host_output *out);

/* The version the host speaks now (older querier present timers). */
unsigned igmp_host_version(const struct igmp_host *h);
struct in_addr igmp_host_address(const struct igmp_host *h);

struct igmp_host_group_view {
	struct in_addr group;
	enum igmp_filter_mode mode;
	uint32_t nsources;
	const struct in_addr *sources;
	bool report_pending; /* a timer runs */
	mc_time_t report_at;
	bool last_reporter; /* v2: may send the leave */
};

int igmp_host_group(const struct igmp_host *h, struct in_addr group,
    struct igmp_host_group_view *view);

struct igmp_host_stats {
	uint64_t rx_queries;
	uint64_t rx_reports_heard;
	uint64_t reports_suppressed;
	uint64_t reports_sent;
	uint64_t leaves_sent;
	uint64_t rx_ignored; /* queries without RA, wrong dst ... */
	uint64_t unexpected_events;
};

const struct igmp_host_stats *igmp_host_stats(const struct igmp_host *h);

#endif
