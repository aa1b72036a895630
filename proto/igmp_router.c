/*
 * The router side of IGMP v1/v2/v3 for one interface, as a sans-I/O engine
 * (RFC 2236, RFC 3376 sections 6-8, RFC 4604).
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
 *
 * Choices the RFCs leave open, made here:
 *   - 224.0.0.0/24 groups are never tracked (RFC 5771: never forwarded);
 *     their reports are dropped without a counter beyond rx[], as they are
 *     normal traffic (mDNS, LLMNR ...), not errors.
 *   - A report for a group that is not a multicast address, or a record of
 *     unknown type, counts as an unexpected event.
 *   - Queries from 0.0.0.0 (snooping switches) or off the subnet take no
 *     part in the election; they count in rx_ignored_off_subnet.
 *   - A non-querier lowers its timers on a group(-and-source)-specific
 *     query to LMQC x the query's Max Resp Time (RFC 2236 3 and 6 "start
 *     timer*"; RFC 3376 6.6.1 says LMQT, which is the same thing with the
 *     querier's LMQI).
 *   - Configured version 1 or 2 limits the queries: v1 sends no specific
 *     queries at all and ignores leaves (RFC 3376 7.3.1); v2 sends
 *     group-specific but no group-and-source-specific queries.  Every
 *     group is then handled as in that compatibility mode (7.3.2).
 *   - Only the querier acts on "Send Q(G)" / "Send Q(G,X)" of the 6.4
 *     tables (lowering timers and querying, 6.6.3); a non-querier follows
 *     the querier's queries instead (6.6.1), as RFC 2236 3 has non-queriers
 *     ignore leaves.
 *   - rx_ignored_leave_v1_host also counts TO_IN records in v1
 *     compatibility mode and leaves when configured for v1 (7.3.1/7.3.2).
 *   - The queries an input causes come out before its membership change;
 *     its events come out before both (igmp_router.h).
 *   - Allocation failures drop the input and count an unexpected event;
 *     the state stays consistent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "hash.h"
#include "heap.h"
#include "igmp_router.h"
#include "outq.h"
#include "srcset.h"
#include "trace.h"

#define RT_LOCAL_NET		0xe0000000u	/* 224.0.0.0/24 */
#define RT_LOCAL_MASK		0xffffff00u
#define RT_V2_MAX_TENTHS	255		/* RFC 2236 2.2: 8 bits */
#define RT_V3_MAX_CODE		31744		/* RFC 3376 4.1.1 */
#define RT_QRV_MAX		7		/* RFC 3376 4.1.6 */
#define RT_QUERY_MAX_SOURCES \
	((IGMP_ROUTER_MAX_PACKET - IGMP_V3_QUERY_MIN_LEN) / 4)
#define RT_HASH_MIN_BITS	6

/* ------------------------------------------------------------------ */
/* Configuration and the RFC formulas                                 */

void
igmp_router_config_defaults(struct igmp_router_config *c)
{
	memset(c, 0, sizeof(*c));
	c->version = 3;
	c->robustness = 2;			/* RFC 3376 8.1 */
	c->query_interval_ms = 125000;		/* 8.2 */
	c->query_response_interval_ms = 10000;	/* 8.3 */
	c->last_member_query_interval_ms = 1000;	/* 8.8 */
	c->ssm_prefix.s_addr = htonl(0xe8000000u);	/* RFC 4607 232/8 */
	c->ssm_prefix_len = 8;
}

static uint32_t
igmp_router_sat32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* RFC 3376 8.9 (RFC 2236 8.9) Last Member Query Count: default RV. */
static unsigned
igmp_router_lmqc(const struct igmp_router_config *c)
{
	return c->last_member_query_count ? c->last_member_query_count :
	    c->robustness;
}

/* RFC 3376 8.7 (RFC 2236 8.7) Startup Query Count: default RV. */
static unsigned
igmp_router_startup_query_count(const struct igmp_router_config *c)
{
	return c->startup_query_count ? c->startup_query_count :
	    c->robustness;
}

/* RFC 3376 8.4 (RFC 2236 8.4) Group Membership Interval: RV * QI + QRI. */
uint32_t
igmp_group_membership_interval_ms(const struct igmp_router_config *c)
{
	return igmp_router_sat32((uint64_t)c->robustness *
	    c->query_interval_ms + c->query_response_interval_ms);
}

/* RFC 3376 8.5 (RFC 2236 8.5) Other Querier Present: RV * QI + QRI / 2. */
uint32_t
igmp_other_querier_present_interval_ms(const struct igmp_router_config *c)
{
	return igmp_router_sat32((uint64_t)c->robustness *
	    c->query_interval_ms + c->query_response_interval_ms / 2);
}

/* RFC 3376 8.6 (RFC 2236 8.6) Startup Query Interval: QI / 4. */
uint32_t
igmp_startup_query_interval_ms(const struct igmp_router_config *c)
{
	return c->startup_query_interval_ms ? c->startup_query_interval_ms :
	    c->query_interval_ms / 4;
}

/* RFC 3376 8.10 Last Member Query Time: LMQI * LMQC. */
uint32_t
igmp_last_member_query_time_ms(const struct igmp_router_config *c)
{
	return igmp_router_sat32((uint64_t)c->last_member_query_interval_ms *
	    igmp_router_lmqc(c));
}

/* RFC 3376 8.13 Older Host Present Interval: RV * QI + QRI. */
uint32_t
igmp_older_host_present_interval_ms(const struct igmp_router_config *c)
{
	return igmp_router_sat32((uint64_t)c->robustness *
	    c->query_interval_ms + c->query_response_interval_ms);
}

int
igmp_router_config_check(const struct igmp_router_config *c)
{
	uint32_t max_tenths, mask, prefix;

	if (c->version < 1 || c->version > 3)
		return -EINVAL;
	/* 8.1: RV MUST NOT be 0. */
	if (c->robustness == 0 || c->query_interval_ms == 0 ||
	    c->last_member_query_interval_ms == 0)
		return -EINVAL;
	/* 8.14.2: QRI must be less than QI. */
	if (c->query_response_interval_ms == 0 ||
	    c->query_response_interval_ms >= c->query_interval_ms)
		return -EINVAL;
	/* What the Max Resp Code and QQIC can carry (RFC 2236 2.2, 4.1.1). */
	if (c->version >= 2) {
		max_tenths = c->version == 2 ? RT_V2_MAX_TENTHS :
		    RT_V3_MAX_CODE;
		if (c->query_response_interval_ms < 100 ||
		    c->query_response_interval_ms / 100 > max_tenths ||
		    c->last_member_query_interval_ms < 100 ||
		    c->last_member_query_interval_ms / 100 > max_tenths)
			return -EINVAL;
	}
	if (c->version == 3 && c->query_interval_ms / 1000 > RT_V3_MAX_CODE)
		return -EINVAL;
	if ((uint64_t)c->robustness * c->query_interval_ms +
	    c->query_response_interval_ms > UINT32_MAX ||
	    (uint64_t)c->last_member_query_interval_ms *
	    igmp_router_lmqc(c) > UINT32_MAX)
		return -EINVAL;
	if (c->ssm_prefix_len > 32 ||
	    (c->ssm_prefix_len > 0 && c->ssm_prefix_len < 4))
		return -EINVAL;
	if (c->ssm_prefix_len > 0) {
		mask = 0xffffffffu << (32 - c->ssm_prefix_len);
		prefix = ntohl(c->ssm_prefix.s_addr);
		if ((prefix >> 28) != 0xe || (prefix & ~mask) != 0)
			return -EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* State                                                              */

/* The querier election (RFC 2236 3 and 7, RFC 3376 6.6.2) as a table. */
enum igmp_router_qstate {
	RT_QS_IDLE,		/* not started, no querier heard */
	RT_QS_QUERIER,
	RT_QS_NON_QUERIER,
	RT_QS_COUNT
};

enum igmp_router_qevent {
	RT_QE_START,		/* igmp_router_start() */
	RT_QE_LOWER_QUERY,	/* a query from a lower address */
	RT_QE_OQP_EXPIRED,	/* Other Querier Present timer */
	RT_QE_ADDRESS_WINS,	/* our new address is below the querier's */
	RT_QE_COUNT
};

enum igmp_router_qaction {
	RT_QA_UNEXPECTED,	/* counted and ignored */
	RT_QA_STARTUP,		/* Startup Query Count general queries */
	RT_QA_YIELD,		/* stop querying, start the OQP timer */
	RT_QA_TAKEOVER,		/* query at once, then every QI */
};

static const struct igmp_router_qtransition {
	enum igmp_router_qaction	action;
	enum igmp_router_qstate		next;
} igmp_router_qfsm[RT_QS_COUNT][RT_QE_COUNT] = {
	[RT_QS_IDLE] = {
		[RT_QE_START] = { RT_QA_STARTUP, RT_QS_QUERIER },
		[RT_QE_LOWER_QUERY] = { RT_QA_YIELD, RT_QS_NON_QUERIER },
		[RT_QE_OQP_EXPIRED] = { RT_QA_UNEXPECTED, RT_QS_IDLE },
		[RT_QE_ADDRESS_WINS] = { RT_QA_UNEXPECTED, RT_QS_IDLE },
	},
	[RT_QS_QUERIER] = {
		[RT_QE_START] = { RT_QA_UNEXPECTED, RT_QS_QUERIER },
		[RT_QE_LOWER_QUERY] = { RT_QA_YIELD, RT_QS_NON_QUERIER },
		[RT_QE_OQP_EXPIRED] = { RT_QA_UNEXPECTED, RT_QS_QUERIER },
		[RT_QE_ADDRESS_WINS] = { RT_QA_UNEXPECTED, RT_QS_QUERIER },
	},
	[RT_QS_NON_QUERIER] = {
		[RT_QE_START] = { RT_QA_UNEXPECTED, RT_QS_NON_QUERIER },
		[RT_QE_LOWER_QUERY] = { RT_QA_YIELD, RT_QS_NON_QUERIER },
		[RT_QE_OQP_EXPIRED] = { RT_QA_TAKEOVER, RT_QS_QUERIER },
		[RT_QE_ADDRESS_WINS] = { RT_QA_TAKEOVER, RT_QS_QUERIER },
	},
};

static const char *
igmp_router_qstate_name(enum igmp_router_qstate s)
{
	switch (s) {
	case RT_QS_IDLE:
		return "IDLE";
	case RT_QS_QUERIER:
		return "QUERIER";
	case RT_QS_NON_QUERIER:
		return "NON_QUERIER";
	default:
		return "?";
	}
}

static const char *
igmp_router_qevent_name(enum igmp_router_qevent e)
{
	switch (e) {
	case RT_QE_START:
		return "start";
	case RT_QE_LOWER_QUERY:
		return "query from a lower address";
	case RT_QE_OQP_EXPIRED:
		return "other querier present timer expiry";
	case RT_QE_ADDRESS_WINS:
		return "address change";
	default:
		return "?";
	}
}

/*
 * RFC 3376 6.4.1 and 6.4.2: what a record does to each source.  A source
 * falls in one category: only in the record (NEW), in both with a running
 * timer (IN_X) or a stopped one (IN_Y), or only in the state (OUT_X,
 * OUT_Y).  In INCLUDE mode every source is "X" (timers run).
 */
enum igmp_router_srccat {
	RT_SC_NEW,
	RT_SC_IN_X,
	RT_SC_IN_Y,
	RT_SC_OUT_X,
	RT_SC_OUT_Y,
	RT_SC_COUNT
};

enum igmp_router_srcact {
	RT_SA_KEEP,		/* unchanged */
	RT_SA_GMI,		/* (S) = GMI */
	RT_SA_GT,		/* (S) = Group Timer */
	RT_SA_Y,		/* (S) = 0: excluded */
	RT_SA_DEL,		/* Delete (S) */
	RT_SA_NONE,		/* a new source this row does not add */
};
#define RT_SA_MASK	0x0f
#define RT_SA_Q		0x10	/* and Send Q(G,S) */

#define RT_RF_GT_GMI	0x01	/* Group Timer = GMI */
#define RT_RF_QG	0x02	/* Send Q(G) */

struct igmp_router_rule {
	enum igmp_filter_mode	next;
	uint8_t			act[RT_SC_COUNT];
	uint8_t			flags;
};

#define RT_INC	IGMP_FILTER_INCLUDE
#define RT_EXC	IGMP_FILTER_EXCLUDE

static const struct igmp_router_rule
igmp_router_rules[2][IGMP_BLOCK_OLD_SOURCES + 1] = {
	[RT_INC] = {
		/* INCLUDE (A) IS_IN (B): INCLUDE (A+B); (B)=GMI */
		[IGMP_MODE_IS_INCLUDE] = { RT_INC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP, RT_SA_KEEP,
		      RT_SA_KEEP }, 0 },
		/*
		 * INCLUDE (A) IS_EX (B): EXCLUDE (A*B, B-A); (B-A)=0;
		 * Delete (A-B); Group Timer=GMI
		 */
		[IGMP_MODE_IS_EXCLUDE] = { RT_EXC,
		    { RT_SA_Y, RT_SA_KEEP, RT_SA_KEEP, RT_SA_DEL,
		      RT_SA_DEL }, RT_RF_GT_GMI },
		/* INCLUDE (A) TO_IN (B): INCLUDE (A+B); (B)=GMI; Q(G,A-B) */
		[IGMP_CHANGE_TO_INCLUDE] = { RT_INC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP, RT_SA_KEEP | RT_SA_Q,
		      RT_SA_KEEP }, 0 },
		/*
		 * INCLUDE (A) TO_EX (B): EXCLUDE (A*B, B-A); (B-A)=0;
		 * Delete (A-B); Send Q(G,A*B); Group Timer=GMI
		 */
		[IGMP_CHANGE_TO_EXCLUDE] = { RT_EXC,
		    { RT_SA_Y, RT_SA_KEEP | RT_SA_Q, RT_SA_KEEP, RT_SA_DEL,
		      RT_SA_DEL }, RT_RF_GT_GMI },
		/* INCLUDE (A) ALLOW (B): INCLUDE (A+B); (B)=GMI */
		[IGMP_ALLOW_NEW_SOURCES] = { RT_INC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP, RT_SA_KEEP,
		      RT_SA_KEEP }, 0 },
		/* INCLUDE (A) BLOCK (B): INCLUDE (A); Send Q(G,A*B) */
		[IGMP_BLOCK_OLD_SOURCES] = { RT_INC,
		    { RT_SA_NONE, RT_SA_KEEP | RT_SA_Q, RT_SA_KEEP, RT_SA_KEEP,
		      RT_SA_KEEP }, 0 },
	},
	[RT_EXC] = {
		/* EXCLUDE (X,Y) IS_IN (A): EXCLUDE (X+A, Y-A); (A)=GMI */
		[IGMP_MODE_IS_INCLUDE] = { RT_EXC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP,
		      RT_SA_KEEP }, 0 },
		/*
		 * EXCLUDE (X,Y) IS_EX (A): EXCLUDE (A-Y, Y*A); (A-X-Y)=GMI;
		 * Delete (X-A); Delete (Y-A); Group Timer=GMI
		 */
		[IGMP_MODE_IS_EXCLUDE] = { RT_EXC,
		    { RT_SA_GMI, RT_SA_KEEP, RT_SA_KEEP, RT_SA_DEL,
		      RT_SA_DEL }, RT_RF_GT_GMI },
		/*
		 * EXCLUDE (X,Y) TO_IN (A): EXCLUDE (X+A, Y-A); (A)=GMI;
		 * Send Q(G,X-A); Send Q(G)
		 */
		[IGMP_CHANGE_TO_INCLUDE] = { RT_EXC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP | RT_SA_Q,
		      RT_SA_KEEP }, RT_RF_QG },
		/*
		 * EXCLUDE (X,Y) TO_EX (A): EXCLUDE (A-Y, Y*A);
		 * (A-X-Y)=Group Timer; Delete (X-A); Delete (Y-A);
		 * Send Q(G,A-Y); Group Timer=GMI
		 */
		[IGMP_CHANGE_TO_EXCLUDE] = { RT_EXC,
		    { RT_SA_GT | RT_SA_Q, RT_SA_KEEP | RT_SA_Q, RT_SA_KEEP,
		      RT_SA_DEL, RT_SA_DEL }, RT_RF_GT_GMI },
		/* EXCLUDE (X,Y) ALLOW (A): EXCLUDE (X+A, Y-A); (A)=GMI */
		[IGMP_ALLOW_NEW_SOURCES] = { RT_EXC,
		    { RT_SA_GMI, RT_SA_GMI, RT_SA_GMI, RT_SA_KEEP,
		      RT_SA_KEEP }, 0 },
		/*
		 * EXCLUDE (X,Y) BLOCK (A): EXCLUDE (X+(A-Y), Y);
		 * (A-X-Y)=Group Timer; Send Q(G,A-Y)
		 */
		[IGMP_BLOCK_OLD_SOURCES] = { RT_EXC,
		    { RT_SA_GT | RT_SA_Q, RT_SA_KEEP | RT_SA_Q, RT_SA_KEEP,
		      RT_SA_KEEP, RT_SA_KEEP }, 0 },
	},
};

/*
 * A group: filter mode, group timer (EXCLUDE only), Older Host Present
 * timers (7.3.2), the specific queries still to send (6.6.3) and the
 * sources, sorted, with their timers (0 = in Y) and query counts.  All
 * timers are absolute; 0 = not running.
 */
struct igmp_router_group {
	struct hash_node hnode;		/* in the groups, by address */
	struct heap_node hp;		/* at: the earliest of all timers */
	struct in_addr	 addr;
	enum igmp_filter_mode mode;
	mc_time_t	 timer;
	mc_time_t	 v1_host;
	mc_time_t	 v2_host;
	mc_time_t	 rexmit_at;	/* next specific query */
	unsigned	 rexmit_group;	/* Q(G) still to send */
	uint32_t	 nsources;
	uint32_t	 cap;
	struct igmp_router_source_view *src;
	uint8_t		*src_rexmit;	/* Q(G,S) still to send */
};

/* An event (igmp_router.h says what each field means for each). */
struct igmp_router_ev {
	enum igmp_router_event	 event;
	enum igmp_router_ignored ignored;
	struct in_addr		 from;
	struct in_addr		 to;
	struct in_addr		 group;
	struct in_addr		 previous;
	uint8_t			 type;
	unsigned		 version;
	uint32_t		 count;
};

/* A packet (data = bytes) or a membership change (data = sources). */
struct igmp_router_out {
	enum igmp_router_output_kind kind;
	struct in_addr	 dst;
	struct in_addr	 group;
	enum igmp_filter_mode mode;
	uint32_t	 nsources;
	size_t		 len;
	struct in_addr	 data[];
};

struct igmp_router {
	struct igmp_router_config cfg;	/* as configured */
	struct igmp_router_config cur;	/* in use: RV and QI adopted */
	uint32_t	 gmi_ms;	/* of cur: GMI (RFC 3376 8.4), */
	uint32_t	 lmqt_ms;	/* LMQT (8.10) */
	uint32_t	 ohpi_ms;	/* and OHPI (8.13) */
	unsigned	 adopted_rv;	/* 0: none */
	uint32_t	 adopted_qi_ms;
	struct in_addr	 addr;
	uint8_t		 prefix_len;
	struct trace	 trace;

	enum igmp_router_qstate qstate;
	struct in_addr	 querier;
	mc_time_t	 gq_at;		/* MC_TIME_NEVER: off */
	mc_time_t	 oqp_at;
	unsigned	 startup_left;
	unsigned	 older_querier_warned;	/* 1 << version */

	struct hash	 groups;	/* of igmp_router_group, by address */
	struct heap	 timers;	/* of igmp_router_group, by deadline */
	struct outq	 events;	/* of igmp_router_ev */
	struct outq	 outq;		/* of igmp_router_out */
	uint32_t	 refused;	/* sources, by the record in hand */
	/* The input in hand (NULL out of igmp_router_input()), for events. */
	const struct igmp_ip *in_ip;
	const struct igmp_msg *in_msg;

	/* Scratch, reused across calls. */
	struct in_addr	*rec;		/* a record's sources */
	size_t		 rec_cap;
	struct igmp_router_source_view *tmp_src;	/* a walk's result */
	uint8_t		*tmp_rexmit;
	size_t		 tmp_cap;
	struct in_addr	 qsrc[RT_QUERY_MAX_SOURCES];

	struct igmp_router_stats stats;
};

/* A group's state before an input, to see what changed. */
struct igmp_router_txn {
	struct igmp_router_group *g;
	enum igmp_filter_mode mode;
	bool		 view_changed;	/* the forwarding view */
	bool		 state_changed;	/* mode, X or Y */
	unsigned	 compat;
	char		 before[TRACE_LINE_MAX / 2];
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                      */

static uint32_t
igmp_router_h(struct in_addr a)
{
	return ntohl(a.s_addr);
}

static mc_time_t
igmp_router_min(mc_time_t a, mc_time_t b)
{
	return a < b ? a : b;
}

static bool
igmp_router_on_subnet(const struct igmp_router *r, struct in_addr a)
{
	uint32_t mask;

	if (r->prefix_len == 0)
		return true;
	mask = r->prefix_len >= 32 ? 0xffffffffu :
	    0xffffffffu << (32 - r->prefix_len);
	return (igmp_router_h(a) & mask) == (igmp_router_h(r->addr) & mask);
}

static bool
igmp_router_is_ssm(const struct igmp_router *r, struct in_addr group)
{
	uint32_t mask;

	if (r->cfg.ssm_prefix_len == 0)
		return false;
	mask = 0xffffffffu << (32 - r->cfg.ssm_prefix_len);
	return (igmp_router_h(group) & mask) ==
	    (igmp_router_h(r->cfg.ssm_prefix) & mask);
}

/*
 * RFC 3376 7.3.2 Group Compatibility Mode: the oldest version whose Older
 * Host Present timer runs at now, capped by the configured version.  With
 * now = 0 every timer still set counts: the state as stored, for traces
 * and views.
 */
static unsigned
igmp_router_compat(const struct igmp_router *r,
    const struct igmp_router_group *g, mc_time_t now)
{
	unsigned v = 3;

	if (g->v1_host != 0 && g->v1_host > now)
		v = 1;
	else if (g->v2_host != 0 && g->v2_host > now)
		v = 2;
	return v < r->cfg.version ? v : r->cfg.version;
}

const char *
igmp_filter_mode_name(enum igmp_filter_mode mode)
{
	switch (mode) {
	case IGMP_FILTER_INCLUDE:
		return "INCLUDE";
	case IGMP_FILTER_EXCLUDE:
		return "EXCLUDE";
	default:
		return "?";
	}
}

/* ------------------------------------------------------------------ */
/* Output queue                                                       */

static struct igmp_router_out *
igmp_router_out_new(struct igmp_router *r, size_t bytes)
{
	struct igmp_router_out *o;

	o = outq_push(&r->outq, sizeof(*o) + bytes);
	if (o == NULL)
		r->stats.unexpected_events++;
	return o;
}

/*
 * An event about the input in hand (its source, destination and type), or
 * about a timer's doing (all 0).  NULL when out of memory (counted).
 */
static struct igmp_router_ev *
igmp_router_event(struct igmp_router *r, enum igmp_router_event e,
    struct in_addr group)
{
	struct igmp_router_ev *ev = outq_push(&r->events, sizeof(*ev));

	if (ev == NULL) {
		r->stats.unexpected_events++;
		return NULL;
	}
	ev->event = e;
	ev->group = group;
	if (r->in_ip != NULL) {
		ev->from = r->in_ip->src;
		ev->to = r->in_ip->dst;
		ev->type = r->in_msg->type;
	}
	return ev;
}

/* Ignore the input (or one record of it) for a reason: counted, told. */
static void
igmp_router_ignore(struct igmp_router *r, enum igmp_router_ignored why,
    struct in_addr group)
{
	struct igmp_router_ev *ev;

	switch (why) {
	case IGMP_ROUTER_IGN_UNKNOWN_TYPE:
		break;		/* counted in rx[IGMP_KIND_UNKNOWN] */
	case IGMP_ROUTER_IGN_OFF_SUBNET:
		r->stats.rx_ignored_off_subnet++;
		break;
	case IGMP_ROUTER_IGN_NO_ROUTER_ALERT:
		r->stats.rx_ignored_no_router_alert++;
		break;
	case IGMP_ROUTER_IGN_BAD_DESTINATION:
		r->stats.rx_ignored_bad_destination++;
		break;
	case IGMP_ROUTER_IGN_SSM:
		r->stats.rx_ignored_ssm++;
		break;
	case IGMP_ROUTER_IGN_LEAVE_V1_HOST:
		r->stats.rx_ignored_leave_v1_host++;
		break;
	default:
		r->stats.unexpected_events++;
		return;
	}
	ev = igmp_router_event(r, IGMP_ROUTER_EV_IGNORED, group);
	if (ev != NULL)
		ev->ignored = why;
}

const char *
igmp_router_event_name(enum igmp_router_event e)
{
	switch (e) {
	case IGMP_ROUTER_EV_QUERIER:
		return "querier";
	case IGMP_ROUTER_EV_OTHER_QUERIER:
		return "other-querier";
	case IGMP_ROUTER_EV_OLDER_QUERIER:
		return "older-querier";
	case IGMP_ROUTER_EV_IGNORED:
		return "ignored";
	case IGMP_ROUTER_EV_LIMIT_GROUPS:
		return "limit-groups";
	case IGMP_ROUTER_EV_LIMIT_SOURCES:
		return "limit-sources";
	default:
		return "?";
	}
}

const char *
igmp_router_ignored_name(enum igmp_router_ignored why)
{
	switch (why) {
	case IGMP_ROUTER_IGN_UNKNOWN_TYPE:
		return "unknown-type";
	case IGMP_ROUTER_IGN_OFF_SUBNET:
		return "off-subnet";
	case IGMP_ROUTER_IGN_NO_ROUTER_ALERT:
		return "no-router-alert";
	case IGMP_ROUTER_IGN_BAD_DESTINATION:
		return "bad-destination";
	case IGMP_ROUTER_IGN_SSM:
		return "ssm";
	case IGMP_ROUTER_IGN_LEAVE_V1_HOST:
		return "leave-v1-host";
	default:
		return "?";
	}
}

static void
igmp_router_emit_packet(struct igmp_router *r, struct in_addr dst,
    const uint8_t *buf, int len)
{
	struct igmp_router_out *o;

	if (len <= 0) {
		r->stats.unexpected_events++;
		return;
	}
	o = igmp_router_out_new(r, (size_t)len);
	if (o == NULL)
		return;
	o->kind = IGMP_ROUTER_OUT_PACKET;
	o->dst = dst;
	o->len = (size_t)len;
	memcpy(o->data, buf, (size_t)len);
}

/* The forwarding view: INCLUDE {A}, or EXCLUDE {Y} (timers stopped). */
static void
igmp_router_emit_view(struct igmp_router *r, struct in_addr group,
    const struct igmp_router_group *g)
{
	struct igmp_router_out *o;
	uint32_t i, n = 0;

	o = igmp_router_out_new(r, g ? sizeof(struct in_addr) * g->nsources :
	    0);
	if (o == NULL)
		return;
	o->kind = IGMP_ROUTER_OUT_MEMBERSHIP;
	o->group = group;
	o->mode = g ? g->mode : IGMP_FILTER_INCLUDE;
	for (i = 0; g != NULL && i < g->nsources; i++)
		if (g->mode == IGMP_FILTER_INCLUDE || g->src[i].timer == 0)
			o->data[n++] = g->src[i].source;
	o->nsources = n;
}

bool
igmp_router_output(struct igmp_router *r, struct igmp_router_output *out)
{
	const struct igmp_router_ev *ev;
	const struct igmp_router_out *o;

	/* Events first (igmp_router.h). */
	if ((ev = outq_take(&r->events)) != NULL) {
		out->kind = IGMP_ROUTER_OUT_EVENT;
		out->event = ev->event;
		out->ignored = ev->ignored;
		out->from = ev->from;
		out->to = ev->to;
		out->group = ev->group;
		out->previous = ev->previous;
		out->type = ev->type;
		out->version = ev->version;
		out->count = ev->count;
		out->len = 0;
		out->sources = NULL;
		out->nsources = 0;
		return true;
	}
	o = outq_take(&r->outq);
	if (o == NULL)
		return false;
	out->kind = o->kind;
	out->dst = o->dst;
	out->len = o->len;
	if (o->kind == IGMP_ROUTER_OUT_PACKET)
		memcpy(out->data, o->data, o->len);
	out->group = o->group;
	out->mode = o->mode;
	out->sources = o->kind == IGMP_ROUTER_OUT_MEMBERSHIP ? o->data : NULL;
	out->nsources = o->nsources;
	return true;
}

/* ------------------------------------------------------------------ */
/* Queries                                                            */

static uint32_t
igmp_router_tenths(uint32_t ms)
{
	return ms / 100;
}

/* One query in the configured version (RFC 3376 4.1, RFC 2236 2). */
static void
igmp_router_send_query(struct igmp_router *r, struct in_addr group,
    uint32_t max_resp_ms, bool suppress, const struct in_addr *sources,
    uint16_t nsources)
{
	uint8_t buf[IGMP_ROUTER_MAX_PACKET];
	struct in_addr dst = group;
	unsigned rv = r->cur.robustness;
	int len;

	if (group.s_addr == INADDR_ANY)
		dst.s_addr = htonl(IGMP_ALL_SYSTEMS);	/* 4.1.12 */
	switch (r->cfg.version) {
	case 1:
		len = igmp_build_v1_query(buf, sizeof(buf));
		break;
	case 2:
		len = igmp_build_v2_query(buf, sizeof(buf), group,
		    igmp_router_tenths(max_resp_ms));
		break;
	default:
		len = igmp_build_v3_query(buf, sizeof(buf), group,
		    igmp_router_tenths(max_resp_ms), suppress,
		    (uint8_t)(rv <= RT_QRV_MAX ? rv : 0),
		    r->cur.query_interval_ms / 1000, sources, nsources);
		break;
	}
	igmp_router_emit_packet(r, dst, buf, len);
}

static void
igmp_router_send_general_query(struct igmp_router *r)
{
	struct in_addr any = { .s_addr = INADDR_ANY };

	igmp_router_send_query(r, any, r->cur.query_response_interval_ms,
	    false, NULL, 0);
	r->stats.queries_sent_general++;
}

/* One group-and-source-specific query for r->qsrc[0..n). */
static void
igmp_router_send_source_queries(struct igmp_router *r,
    struct igmp_router_group *g, bool suppress, uint16_t n)
{
	igmp_router_send_query(r, g->addr,
	    r->cur.last_member_query_interval_ms, suppress, r->qsrc, n);
	r->stats.queries_sent_group_source++;
}

/*
 * RFC 3376 6.6.3.1 and 6.6.3.2: one round of the specific queries still
 * due for a group: Q(G) with S set when the group timer is above LMQT;
 * then the sources with retransmissions left, those with timers above
 * LMQT in a query with S set, the others in one with S clear (the S-set
 * one is left out when a Q(G) went in the same round, as 6.6.3.2 allows).
 */
static void
igmp_router_group_queries(struct igmp_router *r, struct igmp_router_group *g,
    mc_time_t now)
{
	mc_time_t lmqt = now + r->lmqt_ms;
	bool sent_group = false, left = false, suppress;
	uint32_t i;
	uint16_t n;
	int pass;

	if (r->qstate != RT_QS_QUERIER) {
		/* Only the querier sends them (6.6.3). */
		g->rexmit_group = 0;
		for (i = 0; i < g->nsources; i++)
			g->src_rexmit[i] = 0;
		g->rexmit_at = 0;
		return;
	}
	if (g->rexmit_group > 0 && r->cfg.version >= 2) {
		suppress = g->mode == IGMP_FILTER_EXCLUDE && g->timer > lmqt;
		igmp_router_send_query(r, g->addr,
		    r->cur.last_member_query_interval_ms, suppress, NULL, 0);
		r->stats.queries_sent_group++;
		g->rexmit_group--;
		sent_group = true;
	}
	for (pass = 0; pass < 2 && r->cfg.version >= 3; pass++) {
		suppress = pass == 0;
		n = 0;
		for (i = 0; i < g->nsources; i++) {
			if (g->src_rexmit[i] == 0 ||
			    (g->src[i].timer > lmqt) != suppress)
				continue;
			if (suppress && sent_group)
				continue;
			r->qsrc[n++] = g->src[i].source;
			if (n == RT_QUERY_MAX_SOURCES) {
				igmp_router_send_source_queries(r, g,
				    suppress, n);
				n = 0;
			}
		}
		if (n > 0)
			igmp_router_send_source_queries(r, g, suppress, n);
	}
	for (i = 0; i < g->nsources; i++) {
		if (g->src_rexmit[i] > 0)
			g->src_rexmit[i]--;
		if (g->src_rexmit[i] > 0)
			left = true;
	}
	if (g->rexmit_group > 0)
		left = true;
	g->rexmit_at = left ? now + r->cur.last_member_query_interval_ms : 0;
}

/* ------------------------------------------------------------------ */
/* Group table and timers                                             */

/* Recompute a group's deadline and move it in the heap. */
static void
igmp_router_group_reschedule(struct igmp_router *r,
    struct igmp_router_group *g)
{
	mc_time_t d = MC_TIME_NEVER;
	uint32_t i;

	if (g->mode == IGMP_FILTER_EXCLUDE && g->timer != 0)
		d = g->timer;
	if (g->v1_host != 0)
		d = igmp_router_min(d, g->v1_host);
	if (g->v2_host != 0)
		d = igmp_router_min(d, g->v2_host);
	if (g->rexmit_at != 0)
		d = igmp_router_min(d, g->rexmit_at);
	for (i = 0; i < g->nsources; i++)
		if (g->src[i].timer != 0)
			d = igmp_router_min(d, g->src[i].timer);
	heap_update(&r->timers, &g->hp, d);
}

static struct igmp_router_group *
igmp_router_find(const struct igmp_router *r, struct in_addr a)
{
	struct hash_node *n = hash_find(&r->groups, hash_key_addr(a));

	return n ? hash_entry(n, struct igmp_router_group, hnode) : NULL;
}

static struct igmp_router_group *
igmp_router_group_create(struct igmp_router *r, struct in_addr a)
{
	struct igmp_router_group *g;

	if (r->cfg.max_groups != 0 && r->stats.groups >= r->cfg.max_groups) {
		r->stats.limit_groups++;
		igmp_router_event(r, IGMP_ROUTER_EV_LIMIT_GROUPS, a);
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (g == NULL) {
		r->stats.unexpected_events++;
		return NULL;
	}
	g->addr = a;
	g->mode = IGMP_FILTER_INCLUDE;
	heap_node_init(&g->hp);
	if (heap_add(&r->timers, &g->hp) != 0) {
		free(g);
		r->stats.unexpected_events++;
		return NULL;
	}
	hash_insert(&r->groups, &g->hnode, hash_key_addr(a));
	r->stats.groups++;
	return g;
}

static void
igmp_router_group_free(struct igmp_router_group *g)
{
	free(g->src);
	free(g->src_rexmit);
	free(g);
}

static void
igmp_router_group_delete(struct igmp_router *r, struct igmp_router_group *g)
{
	hash_remove(&r->groups, &g->hnode);
	heap_remove(&r->timers, &g->hp);
	igmp_router_group_free(g);
	r->stats.groups--;
}

static int
igmp_router_group_reserve(struct igmp_router_group *g, size_t n)
{
	struct igmp_router_source_view *s;
	uint8_t *x;
	size_t cap;

	if (n <= g->cap)
		return 0;
	cap = g->cap ? 2 * (size_t)g->cap : 4;
	if (cap < n)
		cap = n;
	if (cap > UINT32_MAX)
		return -ENOMEM;
	s = realloc(g->src, cap * sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	g->src = s;
	x = realloc(g->src_rexmit, cap);
	if (x == NULL)
		return -ENOMEM;
	g->src_rexmit = x;
	g->cap = (uint32_t)cap;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Transitions: what changed, traced and reported once per input      */

/* "EXCLUDE X {a,b} Y {c}" into buf, a few addresses per set. */
static void
igmp_router_describe(const struct igmp_router_group *g, char *buf,
    size_t size)
{
	char a[INET_ADDRSTRLEN];
	size_t len;
	uint32_t i, shown, total;
	int set;

	len = (size_t)snprintf(buf, size, "%s", igmp_filter_mode_name(g->mode));
	for (set = 0; set < 2; set++) {
		if (g->mode == IGMP_FILTER_INCLUDE && set == 1)
			break;
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, " %s{",
			    g->mode == IGMP_FILTER_INCLUDE ? "" :
			    set == 0 ? "X " : "Y ");
		shown = total = 0;
		for (i = 0; i < g->nsources; i++) {
			if (g->mode == IGMP_FILTER_EXCLUDE &&
			    (g->src[i].timer == 0) != (set == 1))
				continue;
			total++;
			if (shown == TRACE_SET_MAX || len >= size)
				continue;
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			    shown ? "," : "",
			    trace_addr(g->src[i].source, a));
			shown++;
		}
		if (total > shown && len < size)
			len += (size_t)snprintf(buf + len, size - len,
			    ",+%u", total - shown);
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "}");
	}
}

static void
igmp_router_txn_begin(struct igmp_router *r, struct igmp_router_txn *t,
    struct igmp_router_group *g, mc_time_t now)
{
	t->g = g;
	t->mode = g->mode;
	t->view_changed = false;
	t->state_changed = false;
	t->compat = igmp_router_compat(r, g, 0);
	t->before[0] = '\0';
	if (r->trace.fn != NULL)
		igmp_router_describe(g, t->before, sizeof(t->before));
}

/*
 * The end of an input for a group: an INCLUDE group without sources is
 * deleted (6.3, 6.5), a changed forwarding view is reported, a changed
 * state is traced, the group moves in the heap.
 */
static void
igmp_router_txn_end(struct igmp_router *r, struct igmp_router_txn *t,
    mc_time_t now, const char *why)
{
	struct igmp_router_group *g = t->g;
	struct in_addr addr = g->addr;
	char a[INET_ADDRSTRLEN], after[TRACE_LINE_MAX / 2];
	unsigned compat = igmp_router_compat(r, g, 0);

	if (g->mode != t->mode)
		t->state_changed = t->view_changed = true;
	if (compat != t->compat)
		trace(&r->trace, "%s: compatibility v%u -> v%u on %s",
		    trace_addr(addr, a), t->compat, compat, why);
	if (g->mode == IGMP_FILTER_INCLUDE && g->nsources == 0) {
		if (t->state_changed)
			trace(&r->trace, "%s: %s -> deleted on %s",
			    trace_addr(addr, a), t->before, why);
		igmp_router_group_delete(r, g);
		if (t->view_changed)
			igmp_router_emit_view(r, addr, NULL);
		return;
	}
	if (t->state_changed && r->trace.fn != NULL) {
		igmp_router_describe(g, after, sizeof(after));
		trace(&r->trace, "%s: %s -> %s on %s",
		    trace_addr(addr, a),
		    t->before[0] ? t->before : "new", after, why);
	}
	if (t->view_changed)
		igmp_router_emit_view(r, addr, g);
	igmp_router_group_reschedule(r, g);
}

/* ------------------------------------------------------------------ */
/* Records: RFC 3376 6.4.1 and 6.4.2                                  */

static int
igmp_router_scratch(struct igmp_router *r, size_t n)
{
	struct igmp_router_source_view *s;
	uint8_t *x;
	size_t cap;

	if (n <= r->tmp_cap)
		return 0;
	cap = r->tmp_cap ? 2 * r->tmp_cap : 64;
	if (cap < n)
		cap = n;
	s = realloc(r->tmp_src, cap * sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	r->tmp_src = s;
	x = realloc(r->tmp_rexmit, cap);
	if (x == NULL)
		return -ENOMEM;
	r->tmp_rexmit = x;
	r->tmp_cap = cap;
	return 0;
}

/* Whether a record for a group we do not have would create state. */
static bool
igmp_router_record_creates(uint8_t type, size_t nb)
{
	switch (type) {
	case IGMP_MODE_IS_EXCLUDE:
	case IGMP_CHANGE_TO_EXCLUDE:
		return true;
	case IGMP_MODE_IS_INCLUDE:
	case IGMP_CHANGE_TO_INCLUDE:
	case IGMP_ALLOW_NEW_SOURCES:
		return nb > 0;
	default:
		return false;
	}
}

/* The sources of a record refused at the limit: counted, one event. */
static void
igmp_router_limit_sources(struct igmp_router *r, struct igmp_router_group *g)
{
	struct igmp_router_ev *ev;

	r->stats.limit_sources += r->refused;
	ev = igmp_router_event(r, IGMP_ROUTER_EV_LIMIT_SOURCES, g->addr);
	if (ev != NULL)
		ev->count = r->refused;
	r->refused = 0;
}

/*
 * Apply one record (type, sorted set b) to the group of transaction t
 * (begun by the caller, ended here) with one merge walk over the group's
 * sources and b; the row of the table says what happens to each category
 * of source, then to the group.
 */
static void
igmp_router_apply(struct igmp_router *r, struct igmp_router_txn *t,
    mc_time_t now, uint8_t type, const struct in_addr *b, size_t nb,
    const char *why)
{
	struct igmp_router_group *g = t->g;
	const struct igmp_router_rule *rule = &igmp_router_rules[g->mode][type];
	struct igmp_router_source_view *out;
	mc_time_t gmi = now + r->gmi_ms;
	mc_time_t lmqt = now + r->lmqt_ms;
	unsigned lmqc = igmp_router_lmqc(&r->cur);
	bool query_src = r->qstate == RT_QS_QUERIER && r->cfg.version >= 3;
	bool query_grp = r->qstate == RT_QS_QUERIER && r->cfg.version >= 2;
	bool queries = false, old_in, new_in, exists;
	size_t i = 0, j = 0, n = 0, survivors = 0, allowed = SIZE_MAX;
	size_t added = 0, fresh;
	struct igmp_router_source_view cur = { { 0 }, 0 };
	uint8_t act, rexmit = 0;
	enum igmp_router_srccat cat;
	int c;

	/* The limit: new sources fit in what the surviving ones leave. */
	if (r->cfg.max_sources_per_group != 0 &&
	    (rule->act[RT_SC_NEW] & RT_SA_MASK) != RT_SA_NONE) {
		for (i = 0, j = 0; i < g->nsources; i++) {
			while (j < nb && srcset_cmp(b[j], g->src[i].source) < 0)
				j++;
			exists = j < nb &&
			    b[j].s_addr == g->src[i].source.s_addr;
			cat = exists ? (g->src[i].timer ? RT_SC_IN_X :
			    RT_SC_IN_Y) : (g->src[i].timer ? RT_SC_OUT_X :
			    RT_SC_OUT_Y);
			if (g->mode == IGMP_FILTER_INCLUDE)
				cat = exists ? RT_SC_IN_X : RT_SC_OUT_X;
			if ((rule->act[cat] & RT_SA_MASK) != RT_SA_DEL)
				survivors++;
		}
		allowed = r->cfg.max_sources_per_group > survivors ?
		    r->cfg.max_sources_per_group - survivors : 0;
	}
	/*
	 * Room for what the walk can keep, not for the whole record: a
	 * record of 16,000 sources must not grow a group limited to 100
	 * (nor one whose row adds no new source, BLOCK in INCLUDE).
	 */
	fresh = (rule->act[RT_SC_NEW] & RT_SA_MASK) == RT_SA_NONE ? 0 :
	    nb < allowed ? nb : allowed;
	if (igmp_router_scratch(r, (size_t)g->nsources + fresh) != 0 ||
	    igmp_router_group_reserve(g, (size_t)g->nsources + fresh) != 0) {
		/* Nothing changed; a group made for this input goes. */
		r->stats.unexpected_events++;
		igmp_router_txn_end(r, t, now, why);
		return;
	}

	out = r->tmp_src;
	i = j = 0;
	while (i < g->nsources || j < nb) {
		if (j >= nb)
			c = -1;
		else if (i >= g->nsources)
			c = 1;
		else
			c = srcset_cmp(g->src[i].source, b[j]);
		if (c < 0) {
			cur = g->src[i];
			rexmit = g->src_rexmit[i++];
			cat = cur.timer || g->mode == IGMP_FILTER_INCLUDE ?
			    RT_SC_OUT_X : RT_SC_OUT_Y;
		} else if (c > 0) {
			cur.source = b[j++];
			cur.timer = 0;
			rexmit = 0;
			cat = RT_SC_NEW;
		} else {
			cur = g->src[i];
			rexmit = g->src_rexmit[i++];
			j++;
			cat = cur.timer || g->mode == IGMP_FILTER_INCLUDE ?
			    RT_SC_IN_X : RT_SC_IN_Y;
		}
		act = rule->act[cat];
		exists = cat != RT_SC_NEW;
		old_in = exists && (g->mode == IGMP_FILTER_INCLUDE ||
		    cur.timer == 0);
		switch (act & RT_SA_MASK) {
		case RT_SA_NONE:
			continue;
		case RT_SA_DEL:
			if (old_in && rule->next == g->mode)
				t->view_changed = true;
			t->state_changed = true;
			continue;
		case RT_SA_GMI:
			if (exists && cur.timer == 0)
				t->state_changed = true;	/* Y -> X */
			cur.timer = gmi;
			break;
		case RT_SA_GT:
			cur.timer = g->timer;
			break;
		case RT_SA_Y:
			cur.timer = 0;
			break;
		default:
			break;
		}
		if (!exists) {
			if (added == allowed) {
				r->refused++;
				continue;
			}
			added++;
			t->state_changed = true;
		}
		/* 6.6.3.2: only sources whose timers are above LMQT. */
		if ((act & RT_SA_Q) && query_src && cur.timer > lmqt) {
			cur.timer = lmqt;
			rexmit = (uint8_t)(lmqc > UINT8_MAX ? UINT8_MAX : lmqc);
			queries = true;
		}
		new_in = rule->next == IGMP_FILTER_INCLUDE || cur.timer == 0;
		if (old_in != new_in && rule->next == g->mode)
			t->view_changed = true;
		out[n] = cur;
		r->tmp_rexmit[n++] = rexmit;
	}
	if (n > 0) {
		memcpy(g->src, out, n * sizeof(*out));
		memcpy(g->src_rexmit, r->tmp_rexmit, n);
	}
	g->nsources = (uint32_t)n;
	g->mode = rule->next;

	if (rule->flags & RT_RF_GT_GMI)
		g->timer = gmi;
	/* 6.6.3.1: Send Q(G) lowers the group timer to LMQT. */
	if ((rule->flags & RT_RF_QG) && query_grp) {
		if (g->timer > lmqt)
			g->timer = lmqt;
		g->rexmit_group = lmqc;
		queries = true;
	}
	if (queries)
		igmp_router_group_queries(r, g, now);
	if (r->refused > 0)
		igmp_router_limit_sources(r, g);
	igmp_router_txn_end(r, t, now, why);
}

/* Find the group, creating it when the record would create state. */
static struct igmp_router_group *
igmp_router_group_get(struct igmp_router *r, struct in_addr group,
    uint8_t type, size_t nb)
{
	struct igmp_router_group *g = igmp_router_find(r, group);

	if (g == NULL && igmp_router_record_creates(type, nb))
		g = igmp_router_group_create(r, group);
	return g;
}

/*
 * RFC 3376 4.2.14 / RFC 2236 9: where reports may be addressed.  v1/v2
 * reports and leaves go to the group (leaves to 224.0.0.2), v3 reports to
 * 224.0.0.22; the group is accepted for v3 reports too, and our own
 * address for all (4.2.14: v1/v2 reports to any of the interface's
 * addresses MUST be accepted).
 */
static bool
igmp_router_destination_ok(struct igmp_router *r, const struct igmp_ip *ip,
    struct in_addr group, uint32_t usual)
{
	if (ip->dst.s_addr == group.s_addr ||
	    ip->dst.s_addr == r->addr.s_addr ||
	    (usual != 0 && ip->dst.s_addr == htonl(usual)))
		return true;
	igmp_router_ignore(r, IGMP_ROUTER_IGN_BAD_DESTINATION, group);
	return false;
}

/* A multicast group we track: not 224.0.0.0/24 (never forwarded). */
static bool
igmp_router_trackable(struct igmp_router *r, struct in_addr group)
{
	uint32_t h = igmp_router_h(group);

	if ((h >> 28) != 0xe) {
		r->stats.unexpected_events++;
		return false;
	}
	return (h & RT_LOCAL_MASK) != RT_LOCAL_NET;
}

/* The cause of a transition, for the trace; formatted only when traced. */
static const char *
igmp_router_why(const struct igmp_router *r, char *buf, size_t size,
    const char *what, struct in_addr from)
{
	char a[INET_ADDRSTRLEN];

	if (r->trace.fn == NULL)
		return what;
	snprintf(buf, size, "%s from %s", what, trace_addr(from, a));
	return buf;
}

/* RFC 3376 7.3.2: v1 and v2 reports are IS_EX({}) and start a timer. */
static void
igmp_router_old_report(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	struct igmp_router_group *g;
	struct igmp_router_txn t;
	char why[64];
	bool v1 = msg->kind == IGMP_KIND_V1_REPORT;

	if (!igmp_router_trackable(r, msg->group) ||
	    !igmp_router_destination_ok(r, ip, msg->group, 0))
		return;
	if (igmp_router_is_ssm(r, msg->group)) {	/* RFC 4604 2.2.1 */
		igmp_router_ignore(r, IGMP_ROUTER_IGN_SSM, msg->group);
		return;
	}
	g = igmp_router_group_get(r, msg->group, IGMP_MODE_IS_EXCLUDE, 0);
	if (g == NULL)
		return;
	igmp_router_why(r, why, sizeof(why), v1 ? "v1 report" : "v2 report",
	    ip->src);
	/* The transaction sees (and traces) the compatibility change. */
	igmp_router_txn_begin(r, &t, g, now);
	if (v1)
		g->v1_host = now + r->ohpi_ms;
	else
		g->v2_host = now + r->ohpi_ms;
	igmp_router_apply(r, &t, now, IGMP_MODE_IS_EXCLUDE, NULL, 0, why);
}

/* RFC 2236 3, RFC 3376 7.3.2: a v2 leave is TO_IN({}). */
static void
igmp_router_leave(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	struct igmp_router_group *g;
	struct igmp_router_txn t;
	char why[64];

	if (!igmp_router_trackable(r, msg->group) ||
	    !igmp_router_destination_ok(r, ip, msg->group, IGMP_ALL_ROUTERS))
		return;
	if (igmp_router_is_ssm(r, msg->group)) {
		igmp_router_ignore(r, IGMP_ROUTER_IGN_SSM, msg->group);
		return;
	}
	/* No members: SHOULD ignore (RFC 2236 3). */
	g = igmp_router_find(r, msg->group);
	if (g == NULL)
		return;
	if (igmp_router_compat(r, g, now) == 1) {
		igmp_router_ignore(r, IGMP_ROUTER_IGN_LEAVE_V1_HOST, msg->group);
		return;
	}
	igmp_router_txn_begin(r, &t, g, now);
	igmp_router_apply(r, &t, now, IGMP_CHANGE_TO_INCLUDE, NULL, 0,
	    igmp_router_why(r, why, sizeof(why), "v2 leave", ip->src));
}

static int
igmp_router_rec_reserve(struct igmp_router *r, size_t n)
{
	struct in_addr *p;
	size_t cap;

	if (n <= r->rec_cap)
		return 0;
	cap = n < 64 ? 64 : n;
	p = realloc(r->rec, cap * sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	r->rec = p;
	r->rec_cap = cap;
	return 0;
}

static void
igmp_router_v3_record(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_group_record *rec)
{
	struct igmp_router_group *g;
	struct igmp_router_txn t;
	uint8_t type = rec->type;
	unsigned compat;
	size_t nb, i;
	char why[64];

	if (type < IGMP_MODE_IS_INCLUDE || type > IGMP_BLOCK_OLD_SOURCES) {
		r->stats.unexpected_events++;	/* 4.2.12: ignore */
		return;
	}
	if (!igmp_router_trackable(r, rec->group) ||
	    !igmp_router_destination_ok(r, ip, rec->group, IGMP_V3_ROUTERS))
		return;
	if ((type == IGMP_MODE_IS_EXCLUDE || type == IGMP_CHANGE_TO_EXCLUDE) &&
	    igmp_router_is_ssm(r, rec->group)) {
		/* RFC 4604 2.2.1 */
		igmp_router_ignore(r, IGMP_ROUTER_IGN_SSM, rec->group);
		return;
	}
	if (igmp_router_rec_reserve(r, rec->nsources) != 0) {
		r->stats.unexpected_events++;
		return;
	}
	for (i = 0; i < rec->nsources; i++)
		r->rec[i] = igmp_source_at(rec->sources, (uint16_t)i);
	nb = srcset_normalize(r->rec, rec->nsources);

	g = igmp_router_find(r, rec->group);
	compat = g ? igmp_router_compat(r, g, now) : r->cfg.version;
	/*
	 * 7.3.2: with older hosts BLOCK is ignored, TO_EX(x) is TO_EX({});
	 * with v1 hosts TO_IN is ignored as leaves are (RFC 9776 7.3.2
	 * spells it out).
	 */
	if (compat == 1 && type == IGMP_CHANGE_TO_INCLUDE) {
		igmp_router_ignore(r, IGMP_ROUTER_IGN_LEAVE_V1_HOST, rec->group);
		return;
	}
	if (compat < 3 && type == IGMP_BLOCK_OLD_SOURCES)
		return;
	if (compat < 3 && type == IGMP_CHANGE_TO_EXCLUDE)
		nb = 0;
	if (g == NULL)
		g = igmp_router_group_get(r, rec->group, type, nb);
	if (g == NULL)
		return;
	igmp_router_txn_begin(r, &t, g, now);
	igmp_router_apply(r, &t, now, type, r->rec, nb,
	    igmp_router_why(r, why, sizeof(why), igmp_record_type_name(type),
	    ip->src));
}

static void
igmp_router_v3_report(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	struct igmp_record_iter it;
	struct igmp_group_record rec;

	igmp_records_begin(msg, &it);
	while (igmp_records_next(&it, &rec))
		igmp_router_v3_record(r, now, ip, &rec);
}

/* ------------------------------------------------------------------ */
/* Querier election and queries heard                                 */

/*
 * The values in use: the configuration with the querier's RV and QI
 * adopted (RFC 3376 4.1.6, 4.1.7), and the intervals reports need,
 * computed here when they change rather than at every report.
 */
static void
igmp_router_use(struct igmp_router *r)
{
	r->cur = r->cfg;
	if (r->adopted_rv)
		r->cur.robustness = r->adopted_rv;
	if (r->adopted_qi_ms)
		r->cur.query_interval_ms = r->adopted_qi_ms;
	r->gmi_ms = igmp_group_membership_interval_ms(&r->cur);
	r->lmqt_ms = igmp_last_member_query_time_ms(&r->cur);
	r->ohpi_ms = igmp_older_host_present_interval_ms(&r->cur);
}

static void
igmp_router_use_configured(struct igmp_router *r)
{
	r->adopted_rv = 0;
	r->adopted_qi_ms = 0;
	igmp_router_use(r);
}

static void
igmp_router_qevent(struct igmp_router *r, mc_time_t now,
    enum igmp_router_qevent e, struct in_addr from)
{
	const struct igmp_router_qtransition *t =
	    &igmp_router_qfsm[r->qstate][e];
	enum igmp_router_qstate old = r->qstate;
	struct in_addr old_querier = r->querier, none = { INADDR_ANY };
	struct igmp_router_ev *ev;
	char a[INET_ADDRSTRLEN];

	switch (t->action) {
	case RT_QA_UNEXPECTED:
		r->stats.unexpected_events++;
		return;
	case RT_QA_STARTUP:
		/* RFC 3376 8.6/8.7: SQC queries SQI apart, then every QI. */
		igmp_router_use_configured(r);
		r->querier = r->addr;
		r->oqp_at = MC_TIME_NEVER;
		r->startup_left = igmp_router_startup_query_count(&r->cfg) - 1;
		igmp_router_send_general_query(r);
		r->gq_at = now + (r->startup_left > 0 ?
		    igmp_startup_query_interval_ms(&r->cfg) :
		    r->cfg.query_interval_ms);
		break;
	case RT_QA_YIELD:
		/* RFC 3376 6.6.2: OQP timer = OQPI, stop querying. */
		if (old == RT_QS_QUERIER)
			r->stats.querier_elections_lost++;
		r->querier = from;
		r->oqp_at = now + igmp_other_querier_present_interval_ms(
		    &r->cur);
		r->gq_at = MC_TIME_NEVER;
		r->startup_left = 0;
		break;
	case RT_QA_TAKEOVER:
		/* RFC 2236 7: send a general query, then every QI. */
		if (e == RT_QE_OQP_EXPIRED)
			r->stats.querier_takeovers++;
		igmp_router_use_configured(r);
		r->querier = r->addr;
		r->oqp_at = MC_TIME_NEVER;
		r->startup_left = 0;
		igmp_router_send_general_query(r);
		r->gq_at = now + r->cfg.query_interval_ms;
		break;
	}
	r->qstate = t->next;
	if (old == r->qstate && old_querier.s_addr == r->querier.s_addr)
		return;
	trace(&r->trace, "querier: %s -> %s (querier %s) on %s",
	    igmp_router_qstate_name(old), igmp_router_qstate_name(r->qstate),
	    trace_addr(r->querier, a), igmp_router_qevent_name(e));
	ev = igmp_router_event(r, r->qstate == RT_QS_QUERIER ?
	    IGMP_ROUTER_EV_QUERIER : IGMP_ROUTER_EV_OTHER_QUERIER, none);
	if (ev == NULL)
		return;
	ev->from = r->querier;		/* this router's address, or not */
	ev->previous = old_querier;	/* 0.0.0.0 when IDLE */
}

/*
 * RFC 3376 7.3.1: an older querier means the network runs that version,
 * which must be configured; say so once per version (the warning is
 * rate-limited that way).
 */
static void
igmp_router_older_querier(struct igmp_router *r, const struct igmp_ip *ip,
    const struct igmp_msg *msg)
{
	unsigned v = msg->kind == IGMP_KIND_V1_QUERY ? 1 :
	    msg->kind == IGMP_KIND_V2_QUERY ? 2 : 3;
	struct igmp_router_ev *ev;
	char a[INET_ADDRSTRLEN];

	if (v >= r->cfg.version || (r->older_querier_warned & (1u << v)))
		return;
	r->older_querier_warned |= 1u << v;
	trace(&r->trace, "querier %s speaks IGMPv%u: configure version %u "
	    "(RFC 3376 7.3.1)", trace_addr(ip->src, a), v, v);
	ev = igmp_router_event(r, IGMP_ROUTER_EV_OLDER_QUERIER, msg->group);
	if (ev != NULL)
		ev->version = v;
}

/* RFC 3376 4.1.6 QRV and 4.1.7 QQIC: adopt the querier's (0: ours). */
static void
igmp_router_adopt(struct igmp_router *r, const struct igmp_msg *msg,
    struct in_addr from)
{
	unsigned rv = msg->qrv;
	uint32_t qi = igmp_router_sat32((uint64_t)msg->qqi_s * 1000);
	char a[INET_ADDRSTRLEN];

	if (rv == r->adopted_rv && qi == r->adopted_qi_ms)
		return;
	r->adopted_rv = rv;
	r->adopted_qi_ms = qi;
	igmp_router_use(r);
	trace(&r->trace, "querier %s: robustness %u, query interval %u ms",
	    trace_addr(from, a), r->cur.robustness,
	    r->cur.query_interval_ms);
}

/*
 * RFC 3376 6.6.1 / RFC 2236 3: a group(-and-source)-specific query without
 * S lowers the group's (or the listed sources') timers to LMQC x its Max
 * Resp Time.
 */
static void
igmp_router_query_timers(struct igmp_router *r, mc_time_t now,
    const struct igmp_msg *msg)
{
	struct igmp_router_group *g;
	struct in_addr s;
	mc_time_t lmqt;
	uint32_t i, k;

	if (msg->group.s_addr == INADDR_ANY || msg->max_resp_tenths == 0 ||
	    (msg->kind == IGMP_KIND_V3_QUERY && msg->suppress))
		return;
	g = igmp_router_find(r, msg->group);
	if (g == NULL)
		return;
	lmqt = now + (mc_time_t)msg->max_resp_tenths * 100 *
	    igmp_router_lmqc(&r->cur);
	if (msg->kind != IGMP_KIND_V3_QUERY || msg->nsources == 0) {
		if (g->mode == IGMP_FILTER_EXCLUDE && g->timer > lmqt)
			g->timer = lmqt;
	} else {
		for (k = 0; k < msg->nsources; k++) {
			s = igmp_source_at(msg->sources, (uint16_t)k);
			for (i = 0; i < g->nsources; i++)
				if (g->src[i].source.s_addr == s.s_addr)
					break;
			if (i < g->nsources && g->src[i].timer > lmqt)
				g->src[i].timer = lmqt;
		}
	}
	igmp_router_group_reschedule(r, g);
}

static void
igmp_router_query(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	if (ip->src.s_addr == INADDR_ANY ||
	    !igmp_router_on_subnet(r, ip->src)) {
		igmp_router_ignore(r, IGMP_ROUTER_IGN_OFF_SUBNET, msg->group);
		return;
	}
	/* Ours looped back, or a higher address that loses (6.6.2). */
	if (igmp_router_h(ip->src) >= igmp_router_h(r->addr))
		return;
	igmp_router_older_querier(r, ip, msg);
	if (msg->kind == IGMP_KIND_V3_QUERY)
		igmp_router_adopt(r, msg, ip->src);
	igmp_router_qevent(r, now, RT_QE_LOWER_QUERY, ip->src);
	igmp_router_query_timers(r, now, msg);
}

/* ------------------------------------------------------------------ */
/* Timers                                                             */

/* Everything due in one group: 6.3 sources, 6.5 group, 7.3.2, 6.6.3. */
static void
igmp_router_group_timeout(struct igmp_router *r, struct igmp_router_group *g,
    mc_time_t now)
{
	struct igmp_router_txn t;
	const char *why = "source timer expiry";
	uint32_t i, n = 0;

	igmp_router_txn_begin(r, &t, g, now);
	/* 6.3: INCLUDE deletes the source, EXCLUDE moves it to Y. */
	for (i = 0; i < g->nsources; i++) {
		if (g->src[i].timer != 0 && g->src[i].timer <= now) {
			t.view_changed = t.state_changed = true;
			if (g->mode == IGMP_FILTER_INCLUDE)
				continue;
			g->src[i].timer = 0;
			g->src_rexmit[i] = 0;
		}
		g->src[n] = g->src[i];
		g->src_rexmit[n++] = g->src_rexmit[i];
	}
	g->nsources = n;
	/* 6.5: EXCLUDE -> INCLUDE with the sources still running. */
	if (g->mode == IGMP_FILTER_EXCLUDE && g->timer <= now) {
		why = "group timer expiry";
		g->mode = IGMP_FILTER_INCLUDE;
		g->timer = 0;
		g->rexmit_group = 0;
		for (i = 0, n = 0; i < g->nsources; i++) {
			if (g->src[i].timer == 0)
				continue;
			g->src[n] = g->src[i];
			g->src_rexmit[n++] = g->src_rexmit[i];
		}
		g->nsources = n;
	}
	/* 7.3.2: the Older Host Present timers. */
	if (g->v1_host != 0 && g->v1_host <= now) {
		g->v1_host = 0;
		if (!t.state_changed)
			why = "older host present timer expiry";
	}
	if (g->v2_host != 0 && g->v2_host <= now) {
		g->v2_host = 0;
		if (!t.state_changed)
			why = "older host present timer expiry";
	}
	if (g->rexmit_at != 0 && g->rexmit_at <= now)
		igmp_router_group_queries(r, g, now);
	igmp_router_txn_end(r, &t, now, why);
}

void
igmp_router_timeout(struct igmp_router *r, mc_time_t now)
{
	struct in_addr any = { .s_addr = INADDR_ANY };
	mc_time_t g;

	for (;;) {
		g = heap_next(&r->timers);
		if (r->oqp_at <= now && r->oqp_at <= g &&
		    r->oqp_at <= r->gq_at) {
			r->oqp_at = MC_TIME_NEVER;
			igmp_router_qevent(r, now, RT_QE_OQP_EXPIRED, any);
		} else if (r->gq_at <= now && r->gq_at <= g) {
			/* RFC 3376 6.1, 8.2, 8.6: general queries. */
			igmp_router_send_general_query(r);
			if (r->startup_left > 0)
				r->startup_left--;
			r->gq_at = now + (r->startup_left > 0 ?
			    igmp_startup_query_interval_ms(&r->cfg) :
			    r->cfg.query_interval_ms);
		} else if (g <= now) {
			igmp_router_group_timeout(r, heap_entry(
			    heap_top(&r->timers), struct igmp_router_group, hp),
			    now);
		} else
			break;
	}
}

mc_time_t
igmp_router_next_deadline(const struct igmp_router *r)
{
	return igmp_router_min(igmp_router_min(r->gq_at, r->oqp_at),
	    heap_next(&r->timers));
}

/* ------------------------------------------------------------------ */
/* Life cycle and the entry points                                    */

struct igmp_router *
igmp_router_new(const struct igmp_router_config *c, struct in_addr addr,
    uint8_t prefix_len, uint64_t rng_seed, mc_trace_fn trace,
    void *trace_arg)
{
	struct igmp_router *r;
	struct mc_rng rng = { rng_seed };

	if (igmp_router_config_check(c) != 0 || prefix_len > 32)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	/* The caller's seed keys the hash: hosts cannot aim at a bucket. */
	if (hash_init(&r->groups, mc_rng_next(&rng), RT_HASH_MIN_BITS,
	    HASH_SHRINK) != 0) {
		free(r);
		return NULL;
	}
	heap_init(&r->timers);
	outq_init(&r->events);
	outq_init(&r->outq);
	r->cfg = *c;
	igmp_router_use_configured(r);
	r->addr = addr;
	r->prefix_len = prefix_len;
	r->trace.fn = trace;
	r->trace.arg = trace_arg;
	r->qstate = RT_QS_IDLE;
	r->gq_at = MC_TIME_NEVER;
	r->oqp_at = MC_TIME_NEVER;
	return r;
}

void
igmp_router_free(struct igmp_router *r)
{
	struct heap_node *n;

	if (r == NULL)
		return;
	/* From the heap's end: nothing moves. */
	while ((n = heap_at(&r->timers, heap_len(&r->timers) - 1)) != NULL) {
		heap_remove(&r->timers, n);
		igmp_router_group_free(heap_entry(n, struct igmp_router_group,
		    hp));
	}
	heap_fini(&r->timers);
	hash_fini(&r->groups);
	outq_fini(&r->events);
	outq_fini(&r->outq);
	free(r->rec);
	free(r->tmp_src);
	free(r->tmp_rexmit);
	free(r);
}

void
igmp_router_start(struct igmp_router *r, mc_time_t now)
{
	igmp_router_qevent(r, now, RT_QE_START, r->addr);
}

static void
igmp_router_dispatch(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	switch (msg->kind) {
	case IGMP_KIND_V1_QUERY:
	case IGMP_KIND_V2_QUERY:
	case IGMP_KIND_V3_QUERY:
		/* Accepted without Router Alert: real v2 queriers omit it. */
		igmp_router_query(r, now, ip, msg);
		return;
	case IGMP_KIND_V1_REPORT:
	case IGMP_KIND_V2_REPORT:
	case IGMP_KIND_V2_LEAVE:
	case IGMP_KIND_V3_REPORT:
		break;
	case IGMP_KIND_DVMRP:
	case IGMP_KIND_MTRACE_QUERY:
	case IGMP_KIND_MTRACE_RESPONSE:
	case IGMP_KIND_PIM_V1:
		return;		/* not ours */
	default:
		igmp_router_ignore(r, IGMP_ROUTER_IGN_UNKNOWN_TYPE, msg->group);
		return;
	}
	/* RFC 3376 9.2 and 9.3. */
	if (r->cfg.require_router_alert && !ip->router_alert) {
		igmp_router_ignore(r, IGMP_ROUTER_IGN_NO_ROUTER_ALERT,
		    msg->group);
		return;
	}
	if (ip->src.s_addr != INADDR_ANY &&
	    !igmp_router_on_subnet(r, ip->src)) {
		igmp_router_ignore(r, IGMP_ROUTER_IGN_OFF_SUBNET, msg->group);
		return;
	}
	switch (msg->kind) {
	case IGMP_KIND_V1_REPORT:
	case IGMP_KIND_V2_REPORT:
		igmp_router_old_report(r, now, ip, msg);
		break;
	case IGMP_KIND_V2_LEAVE:
		igmp_router_leave(r, now, ip, msg);
		break;
	default:
		igmp_router_v3_report(r, now, ip, msg);
		break;
	}
}

void
igmp_router_input(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	if (ip == NULL || msg == NULL) {
		r->stats.unexpected_events++;
		return;
	}
	r->stats.rx[msg->kind <= IGMP_KIND_UNKNOWN ? msg->kind :
	    IGMP_KIND_UNKNOWN]++;
	r->in_ip = ip;
	r->in_msg = msg;
	igmp_router_dispatch(r, now, ip, msg);
	r->in_ip = NULL;
	r->in_msg = NULL;
}

void
igmp_router_set_address(struct igmp_router *r, mc_time_t now,
    struct in_addr addr, uint8_t prefix_len)
{
	r->addr = addr;
	r->prefix_len = prefix_len > 32 ? 32 : prefix_len;
	if (r->qstate == RT_QS_QUERIER)
		r->querier = addr;
	else if (r->qstate == RT_QS_NON_QUERIER &&
	    igmp_router_h(addr) < igmp_router_h(r->querier))
		igmp_router_qevent(r, now, RT_QE_ADDRESS_WINS, addr);
}

int
igmp_router_reconfigure(struct igmp_router *r,
    const struct igmp_router_config *c)
{
	int error = igmp_router_config_check(c);

	if (error != 0)
		return error;
	r->cfg = *c;
	igmp_router_use(r);
	return 0;
}

bool
igmp_router_is_querier(const struct igmp_router *r)
{
	return r->qstate == RT_QS_QUERIER;
}

struct in_addr
igmp_router_querier(const struct igmp_router *r)
{
	struct in_addr none = { .s_addr = INADDR_ANY };

	return r->qstate == RT_QS_IDLE ? none : r->querier;
}

static void
igmp_router_view(const struct igmp_router *r,
    const struct igmp_router_group *g, struct igmp_router_group_view *v)
{
	v->group = g->addr;
	v->mode = g->mode;
	v->group_timer = g->mode == IGMP_FILTER_EXCLUDE ? g->timer : 0;
	/* Timers still set are running: the caller runs the timeouts. */
	v->compat_version = igmp_router_compat(r, g, 0);
	v->v1_host_timer = g->v1_host;
	v->v2_host_timer = g->v2_host;
	v->nsources = g->nsources;
	v->sources = g->src;
}

int
igmp_router_group(const struct igmp_router *r, struct in_addr group,
    struct igmp_router_group_view *view)
{
	const struct igmp_router_group *g = igmp_router_find(r, group);

	if (g == NULL)
		return -ENOENT;
	igmp_router_view(r, g, view);
	return 0;
}

int
igmp_router_foreach_group(const struct igmp_router *r,
    int (*fn)(void *arg, const struct igmp_router_group_view *v), void *arg)
{
	struct igmp_router_group_view v;
	size_t i;
	int rc;

	for (i = 0; i < heap_len(&r->timers); i++) {
		igmp_router_view(r, heap_entry(heap_at(&r->timers, i),
		    struct igmp_router_group, hp), &v);
		rc = fn(arg, &v);
		if (rc != 0)
			return rc;
	}
	return 0;
}

size_t
igmp_router_memory(const struct igmp_router *r)
{
	size_t bytes = sizeof(*r), i;
	const struct igmp_router_group *g;

	bytes += ((size_t)1 << r->groups.bits) * sizeof(*r->groups.buckets);
	bytes += r->timers.cap * sizeof(*r->timers.v);
	bytes += r->rec_cap * sizeof(*r->rec);
	bytes += r->tmp_cap * (sizeof(*r->tmp_src) + sizeof(*r->tmp_rexmit));
	for (i = 0; i < heap_len(&r->timers); i++) {
		g = heap_entry(heap_at(&r->timers, i), struct igmp_router_group,
		    hp);
		bytes += sizeof(*g) + (size_t)g->cap * (sizeof(*g->src) +
		    sizeof(*g->src_rexmit));
	}
	return bytes;
}

const struct igmp_router_stats *
igmp_router_stats(const struct igmp_router *r)
{
	return &r->stats;
}
