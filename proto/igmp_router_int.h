/* The IGMP router engine's insides, shared by its files (not installed). */
/*
 * Files
 *   igmp_router.c         life cycle, input dispatch, outputs and events,
 *                         views, the configuration and the RFC formulas
 *   igmp_router_querier.c the election (a table), the queries it sends and
 *                         hears, the router's own timers
 *   igmp_router_group.c   the groups: table, timers, transitions traced and
 *                         reported once per input, expiry (6.3, 6.5, 7.3.2)
 *   igmp_router_report.c  what hosts send: v1/v2 reports, leaves and v3
 *                         records, through the tables of RFC 3376 6.4
 *
 * Data structures (the engines' shared plumbing: hash.h, heap.h, outq.h)
 *   groups      a chained hash table keyed by the group address (seeded
 *               from the caller's RNG seed, doubled/halved as groups come
 *               and go): lookup cost does not grow with the number of
 *               groups.
 *   sources     per group, an array sorted by address with the source
 *               timers (timer 0 = the source is in Y, RFC 3376 6.2.1) and a
 *               parallel array of Q(G,S) retransmission counts (6.6.3.2);
 *               a record is applied by one merge walk over both sorted
 *               lists, driven by the table of RFC 3376 6.4.1/6.4.2.
 *   timers      every group has one deadline, the earliest of its group,
 *               source, older-host-present and retransmission timers: the
 *               `at` of its node in the timer heap; the router's own timers
 *               (general query, other querier present) sit beside it.
 *               igmp_router_next_deadline() is O(1); a report costs a hash
 *               lookup, a walk over that group's sources and O(log groups)
 *               to move the group in the heap.
 *   outputs     two output queues: events, and packets with membership
 *               changes; igmp_router_output() empties the first before
 *               the second (the last record taken lives until the next
 *               igmp_router_output() or igmp_router_free()).
 */
#ifndef MCAST_PROTO_IGMP_ROUTER_INT_H
#define MCAST_PROTO_IGMP_ROUTER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>

#include "hash.h"
#include "heap.h"
#include "igmp_router.h"
#include "outq.h"
#include "trace.h"

/* The sources one group-and-source-specific query can carry. */
#define RT_QUERY_MAX_SOURCES \
	((IGMP_ROUTER_MAX_PACKET - IGMP_V3_QUERY_MIN_LEN) / 4)

/* The querier election (RFC 2236 3 and 7, RFC 3376 6.6.2) as a table. */
enum igmp_router_qstate {
	RT_QS_IDLE, /* not started, no querier heard */
	RT_QS_QUERIER,
	RT_QS_NON_QUERIER,
	RT_QS_COUNT
};

/*
 * A group: filter mode, group timer (EXCLUDE only), Older Host Present
 * timers (7.3.2), the specific queries still to send (6.6.3) and the
 * sources, sorted, with their timers (0 = in Y) and query counts.  All
 * timers are absolute; 0 = not running.
 */
struct igmp_router_group {
	struct hash_node hnode; /* in the groups, by address */
	struct heap_node hp;	/* at: the earliest of all timers */
	struct in_addr addr;
	enum igmp_filter_mode mode;
	mc_time_t timer;
	mc_time_t v1_host;
	mc_time_t v2_host;
	mc_time_t rexmit_at;   /* next specific query */
	unsigned rexmit_group; /* Q(G) still to send */
	uint32_t nsources;
	uint32_t cap;
	struct igmp_router_source_view *src;
	uint8_t *src_rexmit;	 /* Q(G,S) still to send */
	mc_time_t since;	 /* created: the first report */
	struct in_addr reporter; /* the last report's source */
};

/* An event (igmp_router.h says what each field means for each). */
struct igmp_router_ev {
	enum igmp_router_event event;
	enum igmp_router_ignored ignored;
	struct in_addr from;
	struct in_addr to;
	struct in_addr group;
	struct in_addr previous;
	uint8_t type;
	unsigned version;
	uint32_t count;
};

/* A packet (data = bytes) or a membership change (data = sources). */
struct igmp_router_out {
	enum igmp_router_output_kind kind;
	struct in_addr dst;
	struct in_addr group;
	enum igmp_filter_mode mode;
	uint32_t nsources;
	size_t len;
	struct in_addr data[];
};

struct igmp_router {
	struct igmp_router_config cfg; /* as configured */
	struct igmp_router_config cur; /* in use: RV and QI adopted */
	uint32_t gmi_ms;	       /* of cur: GMI (RFC 3376 8.4), */
	uint32_t lmqt_ms;	       /* LMQT (8.10) */
	uint32_t ohpi_ms;	       /* and OHPI (8.13) */
	unsigned adopted_rv;	       /* 0: none */
	uint32_t adopted_qi_ms;
	struct in_addr addr;
	uint8_t prefix_len;
	struct trace trace;

	enum igmp_router_qstate qstate;
	struct in_addr querier;
	mc_time_t gq_at; /* MC_TIME_NEVER: off */
	mc_time_t oqp_at;
	unsigned startup_left;
	unsigned older_querier_warned; /* 1 << version */

	struct hash groups; /* of igmp_router_group, by address */
	struct heap timers; /* of igmp_router_group, by deadline */
	struct outq events; /* of igmp_router_ev */
	struct outq outq;   /* of igmp_router_out */
	uint32_t refused;   /* sources, by the record in hand */
	/* The input in hand (NULL out of igmp_router_input()), for events. */
	const struct igmp_ip *in_ip;
	const struct igmp_msg *in_msg;

	/* Scratch, reused across calls. */
	struct in_addr *rec; /* a record's sources */
	size_t rec_cap;
	struct igmp_router_source_view *tmp_src; /* a walk's result */
	uint8_t *tmp_rexmit;
	size_t tmp_cap;
	struct in_addr qsrc[RT_QUERY_MAX_SOURCES];

	struct igmp_router_stats stats;
};

/* A group's state before an input, to see what changed. */
struct igmp_router_txn {
	struct igmp_router_group *g;
	enum igmp_filter_mode mode;
	bool view_changed;  /* the forwarding view */
	bool state_changed; /* mode, X or Y */
	unsigned compat;
	char before[TRACE_LINE_MAX / 2];
};

static inline uint32_t
igmp_router_h(struct in_addr a)
{
	return ntohl(a.s_addr);
}

static inline uint32_t
igmp_router_sat32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static inline bool
igmp_router_on_subnet(const struct igmp_router *r, struct in_addr a)
{
	uint32_t mask;

	if (r->prefix_len == 0)
		return true;
	mask = r->prefix_len >= 32 ? 0xffffffffu :
				     0xffffffffu << (32 - r->prefix_len);
	return (igmp_router_h(a) & mask) == (igmp_router_h(r->addr) & mask);
}

static inline struct igmp_router_group *
igmp_router_group_find(const struct igmp_router *r, struct in_addr a)
{
	struct hash_node *n = hash_find(&r->groups, hash_key_addr(a));

	return n ? hash_entry(n, struct igmp_router_group, hnode) : NULL;
}

/*
 * RFC 3376 7.3.2 Group Compatibility Mode: the oldest version whose Older
 * Host Present timer runs at now, capped by the configured version.  With
 * now = 0 every timer still set counts: the state as stored, for traces
 * and views.
 */
static inline unsigned
igmp_router_group_compat(const struct igmp_router *r,
    const struct igmp_router_group *g, mc_time_t now)
{
	unsigned v = 3;

	if (g->v1_host != 0 && g->v1_host > now)
		v = 1;
	else if (g->v2_host != 0 && g->v2_host > now)
		v = 2;
	return v < r->cfg.version ? v : r->cfg.version;
}

/* igmp_router.c */
unsigned igmp_router_lmqc(const struct igmp_router_config *c);
unsigned igmp_router_startup_query_count(const struct igmp_router_config *c);
struct igmp_router_ev *igmp_router_event(struct igmp_router *r,
    enum igmp_router_event e, struct in_addr group);
void igmp_router_ignore(struct igmp_router *r, enum igmp_router_ignored why,
    struct in_addr group);
void igmp_router_emit_packet(struct igmp_router *r, struct in_addr dst,
    const uint8_t *buf, int len);
void igmp_router_emit_view(struct igmp_router *r, struct in_addr group,
    const struct igmp_router_group *g);

/* igmp_router_querier.c */
void igmp_router_querier_use(struct igmp_router *r);
void igmp_router_querier_use_configured(struct igmp_router *r);
void igmp_router_querier_input(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg);
void igmp_router_querier_specific(struct igmp_router *r,
    struct igmp_router_group *g, mc_time_t now);
mc_time_t igmp_router_querier_deadline(const struct igmp_router *r);
void igmp_router_querier_timeout(struct igmp_router *r, mc_time_t now);

/* igmp_router_group.c */
struct igmp_router_group *igmp_router_group_create(struct igmp_router *r,
    struct in_addr a);
void igmp_router_group_free(struct igmp_router_group *g);
void igmp_router_group_begin(struct igmp_router *r, struct igmp_router_txn *t,
    struct igmp_router_group *g);
void igmp_router_group_end(struct igmp_router *r, struct igmp_router_txn *t,
    const char *why);
void igmp_router_group_timeout(struct igmp_router *r,
    struct igmp_router_group *g, mc_time_t now);
void igmp_router_group_lower_timers(struct igmp_router *r, mc_time_t now,
    const struct igmp_msg *msg);

/* igmp_router_report.c */
void igmp_router_report_v12(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg);
void igmp_router_report_leave(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg);
void igmp_router_report_v3(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg);

#endif
