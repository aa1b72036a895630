/*
 * The host side of IGMP v1/v2/v3 for one interface (see igmp_host.h).
 *
 * Per interface: the groups with state, in an array sorted by address; the
 * interface timer answering General Queries (RFC 3376 5.2); one
 * State-Change timer that sends and retransmits the v3 State-Change
 * Records of every group with changes pending (RFC 3376 5.1; Linux does the
 * same with its mr_ifc_timer), so that changes made at one instant leave in
 * one report; the Older Version Querier Present timers (RFC 3376 7.2.1);
 * the Robustness Variable and Query Interval learnt from v3 queries.
 *
 * Per group, struct igmp_host_group, 32 bytes on LP64: the filter (mode,
 * source list), the group timer (answers to group-specific queries in v3;
 * the RFC 2236 6 delay timer in v1/v2), the count of reports still to send
 * (v3 State-Change retransmissions, v1/v2 unsolicited repeats), the v2
 * "last reporter" flag, and one heap block for four source lists: the
 * filter's sources, the sources of pending group-and-source-specific
 * queries, and the pending ALLOW and BLOCK sources.  An any-source join
 * costs the 32 bytes alone (the array doubles, so up to 64 in the worst
 * case); every source adds 4 bytes plus the allocator's overhead for the
 * block.
 *
 * Router Alert: RFC 3376 9.1 says hosts SHOULD ignore v2/v3 queries
 * without it, but routers send v2 queries without it (tcpdump's
 * IGMP_V2.pcap) and Linux, whose igmp_heard_query() never looks at IP
 * options, answers them.  We follow Linux: queries are accepted with or
 * without Router Alert.  General queries must still be addressed to
 * 224.0.0.1 (RFC 3376 9.1, RFC 2236 9; Linux's host path does not check
 * this, its ip_mc_check_igmp() validator for bridges does), and a v3
 * general query carrying sources is dropped as Linux does.
 *
 * The forced version follows Linux's force_igmp_version: 1 speaks v1
 * whatever it hears; 2 speaks v2 but falls back to v1 when a v1 querier is
 * present; 3 behaves as 0 (v3, falling back to the oldest querier heard).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igmp_host.h"
#include "outq.h"
#include "srcset.h"
#include "trace.h"

#define IGMP_HOST_F_LAST_REPORTER	0x01	/* v2: we reported last */
#define IGMP_HOST_F_MODE_CHANGE		0x02	/* v3: a TO_IN/TO_EX pending */

#define IGMP_HOST_V1_MAX_RESP_MS	10000	/* RFC 1112 App. I: 10 s */
#define IGMP_HOST_DEFAULT_QI_MS		125000	/* RFC 3376 8.2 */
#define IGMP_HOST_MAX_SOURCES		UINT16_MAX

struct igmp_host_group {
	struct in_addr	 group;
	uint8_t		 mode;		/* enum igmp_filter_mode */
	uint8_t		 retrans;	/* reports still to send */
	uint8_t		 flags;		/* IGMP_HOST_F_* */
	uint8_t		 spare;
	uint16_t	 nsrc;		/* the filter's sources */
	uint16_t	 nquery;	/* queried sources (5.2 rules 3, 5) */
	uint16_t	 nallow;	/* pending ALLOW_NEW_SOURCES */
	uint16_t	 nblock;	/* pending BLOCK_OLD_SOURCES */
	mc_time_t	 report_at;	/* group timer, MC_TIME_NEVER: off */
	struct in_addr	*src;		/* src, query, allow, block; sorted */
};

/* What a membership costs (see the top of the file). */
_Static_assert(sizeof(struct igmp_host_group) <= 32,
    "a group entry outgrew 32 bytes");

/* A packet in the output queue. */
struct igmp_host_pkt {
	struct in_addr	 dst;
	size_t		 len;
	uint8_t		 data[];
};

/* Fields ordered without holes: the engine fits the heap block it had. */
struct igmp_host {
	struct igmp_host_config	 cfg;
	struct mc_rng		 rng;
	struct trace		 trace;

	struct igmp_host_group	*groups;	/* sorted by address */
	uint32_t		 ngroups;
	uint32_t		 cap;

	struct in_addr		 addr;
	unsigned		 version;	/* compatibility mode, 1-3 */
	unsigned		 robustness;	/* RV: configured, then QRV */
	uint32_t		 query_interval_ms; /* QI: 125 s, then QQI */
	mc_time_t		 general_at;	/* interface timer (5.2) */
	mc_time_t		 change_at;	/* State-Change timer (5.1) */
	mc_time_t		 v1_until;	/* Older Version Querier */
	mc_time_t		 v2_until;	/* Present timers (7.2.1) */
	mc_time_t		 deadline;	/* the earliest of all timers */

	struct outq		 outq;		/* of igmp_host_pkt */
	struct igmp_host_stats	 stats;
};

/*
 * The v1/v2 group state machine of RFC 2236 6 (RFC 1112 App. I is the
 * same without leaves).  The current state follows from the group: absent
 * or without reception state = Non-Member, group timer running = Delaying
 * Member, else Idle Member.
 */
enum igmp_host_v12_state {
	IGMP_HOST_NON_MEMBER,
	IGMP_HOST_DELAYING_MEMBER,
	IGMP_HOST_IDLE_MEMBER,
	IGMP_HOST_V12_NSTATES
};

enum igmp_host_v12_event {
	IGMP_HOST_EV_JOIN,
	IGMP_HOST_EV_LEAVE,
	IGMP_HOST_EV_QUERY,
	IGMP_HOST_EV_REPORT,		/* another host's report heard */
	IGMP_HOST_EV_TIMER,
	IGMP_HOST_V12_NEVENTS
};

#define IGMP_HOST_A_SEND_REPORT		0x0001
#define IGMP_HOST_A_SET_FLAG		0x0002
#define IGMP_HOST_A_CLEAR_FLAG		0x0004
#define IGMP_HOST_A_START_REPEATS	0x0008	/* unsolicited: RV - 1 more */
#define IGMP_HOST_A_NEXT_REPEAT		0x0010
#define IGMP_HOST_A_START_TIMER		0x0020	/* random in (0, Max Resp] */
#define IGMP_HOST_A_RESET_IF_SOONER	0x0040
#define IGMP_HOST_A_STOP_TIMER		0x0080
#define IGMP_HOST_A_LEAVE_IF_FLAG	0x0100	/* v2 only */
#define IGMP_HOST_A_SUPPRESSED		0x0200
#define IGMP_HOST_A_UNEXPECTED		0x0400

struct igmp_host_v12_transition {
	uint16_t	actions;
	uint8_t		next;	/* without repeats left; a running timer
				   means Delaying Member */
};

static const struct igmp_host_v12_transition
    igmp_host_v12_fsm[IGMP_HOST_V12_NSTATES][IGMP_HOST_V12_NEVENTS] = {
	[IGMP_HOST_NON_MEMBER] = {
		[IGMP_HOST_EV_JOIN] = { IGMP_HOST_A_SEND_REPORT |
		    IGMP_HOST_A_SET_FLAG | IGMP_HOST_A_START_REPEATS,
		    IGMP_HOST_IDLE_MEMBER },
		[IGMP_HOST_EV_LEAVE] = { IGMP_HOST_A_UNEXPECTED,
		    IGMP_HOST_NON_MEMBER },
		[IGMP_HOST_EV_QUERY] = { IGMP_HOST_A_UNEXPECTED,
		    IGMP_HOST_NON_MEMBER },
		[IGMP_HOST_EV_REPORT] = { IGMP_HOST_A_UNEXPECTED,
		    IGMP_HOST_NON_MEMBER },
		[IGMP_HOST_EV_TIMER] = { IGMP_HOST_A_UNEXPECTED,
		    IGMP_HOST_NON_MEMBER },
	},
	[IGMP_HOST_DELAYING_MEMBER] = {
		[IGMP_HOST_EV_JOIN] = { 0, IGMP_HOST_DELAYING_MEMBER },
		[IGMP_HOST_EV_LEAVE] = { IGMP_HOST_A_STOP_TIMER |
		    IGMP_HOST_A_LEAVE_IF_FLAG, IGMP_HOST_NON_MEMBER },
		[IGMP_HOST_EV_QUERY] = { IGMP_HOST_A_RESET_IF_SOONER,
		    IGMP_HOST_DELAYING_MEMBER },
		[IGMP_HOST_EV_REPORT] = { IGMP_HOST_A_STOP_TIMER |
		    IGMP_HOST_A_CLEAR_FLAG | IGMP_HOST_A_SUPPRESSED,
		    IGMP_HOST_IDLE_MEMBER },
		[IGMP_HOST_EV_TIMER] = { IGMP_HOST_A_SEND_REPORT |
		    IGMP_HOST_A_SET_FLAG | IGMP_HOST_A_NEXT_REPEAT,
		    IGMP_HOST_IDLE_MEMBER },
	},
	[IGMP_HOST_IDLE_MEMBER] = {
		[IGMP_HOST_EV_JOIN] = { 0, IGMP_HOST_IDLE_MEMBER },
		[IGMP_HOST_EV_LEAVE] = { IGMP_HOST_A_LEAVE_IF_FLAG,
		    IGMP_HOST_NON_MEMBER },
		[IGMP_HOST_EV_QUERY] = { IGMP_HOST_A_START_TIMER,
		    IGMP_HOST_DELAYING_MEMBER },
		/* RFC 2236 6 has no such transition; Linux clears the flag
		   too, as the last report now is someone else's. */
		[IGMP_HOST_EV_REPORT] = { IGMP_HOST_A_CLEAR_FLAG,
		    IGMP_HOST_IDLE_MEMBER },
		[IGMP_HOST_EV_TIMER] = { IGMP_HOST_A_UNEXPECTED,
		    IGMP_HOST_IDLE_MEMBER },
	},
};

static const char *
igmp_host_v12_state_name(enum igmp_host_v12_state s)
{
	switch (s) {
	case IGMP_HOST_NON_MEMBER:
		return "Non-Member";
	case IGMP_HOST_DELAYING_MEMBER:
		return "Delaying Member";
	case IGMP_HOST_IDLE_MEMBER:
		return "Idle Member";
	default:
		return "?";
	}
}

static const char *
igmp_host_v12_event_name(enum igmp_host_v12_event e)
{
	switch (e) {
	case IGMP_HOST_EV_JOIN:
		return "join";
	case IGMP_HOST_EV_LEAVE:
		return "leave";
	case IGMP_HOST_EV_QUERY:
		return "query";
	case IGMP_HOST_EV_REPORT:
		return "report heard";
	case IGMP_HOST_EV_TIMER:
		return "timer";
	default:
		return "?";
	}
}

static const char *
igmp_host_mode_name(uint8_t mode)
{
	return mode == IGMP_FILTER_EXCLUDE ? "EXCLUDE" : "INCLUDE";
}

/* Addresses and source sets */

static uint32_t
igmp_host_haddr(struct in_addr a)
{
	return ntohl(a.s_addr);
}

static bool
igmp_host_is_multicast(struct in_addr a)
{
	return (igmp_host_haddr(a) & 0xf0000000u) == 0xe0000000u;
}

/* Groups */

static bool
igmp_host_member(const struct igmp_host_group *g)
{
	return g->mode == IGMP_FILTER_EXCLUDE || g->nsrc > 0;
}

static struct in_addr *
igmp_host_grp_query(const struct igmp_host_group *g)
{
	return g->src ? g->src + g->nsrc : NULL;
}

static struct in_addr *
igmp_host_grp_allow(const struct igmp_host_group *g)
{
	return g->src ? g->src + g->nsrc + g->nquery : NULL;
}

static struct in_addr *
igmp_host_grp_block(const struct igmp_host_group *g)
{
	return g->src ? g->src + g->nsrc + g->nquery + g->nallow : NULL;
}

static void
igmp_host_copy(struct in_addr *dst, const struct in_addr *src, uint32_t n)
{
	if (n)
		memcpy(dst, src, n * sizeof(*dst));
}

/*
 * Replace the group's four source lists (which may point into its current
 * block).  0, or -ENOMEM with the group unchanged.
 */
static int
igmp_host_group_store(struct igmp_host_group *g,
    const struct in_addr *src, uint32_t nsrc,
    const struct in_addr *query, uint32_t nquery,
    const struct in_addr *allow, uint32_t nallow,
    const struct in_addr *block, uint32_t nblock)
{
	size_t total = (size_t)nsrc + nquery + nallow + nblock;
	struct in_addr *p = NULL;

	if (total) {
		p = malloc(total * sizeof(*p));
		if (p == NULL)
			return -ENOMEM;
		igmp_host_copy(p, src, nsrc);
		igmp_host_copy(p + nsrc, query, nquery);
		igmp_host_copy(p + nsrc + nquery, allow, nallow);
		igmp_host_copy(p + nsrc + nquery + nallow, block, nblock);
	}
	free(g->src);
	g->src = p;
	g->nsrc = (uint16_t)nsrc;
	g->nquery = (uint16_t)nquery;
	g->nallow = (uint16_t)nallow;
	g->nblock = (uint16_t)nblock;
	return 0;
}

/* Forget the pending ALLOW/BLOCK sources (the block keeps its size). */
static void
igmp_host_group_drop_changes(struct igmp_host_group *g)
{
	g->nallow = g->nblock = 0;
	g->flags &= ~IGMP_HOST_F_MODE_CHANGE;
}

/* Forget the queried sources. */
static void
igmp_host_group_drop_query(struct igmp_host_group *g)
{
	if (g->nquery == 0)
		return;
	memmove(igmp_host_grp_query(g), igmp_host_grp_allow(g),
	    ((size_t)g->nallow + g->nblock) * sizeof(*g->src));
	g->nquery = 0;
}

/* Binary search: the group's index, or where it would go. */
static uint32_t
igmp_host_find(const struct igmp_host *h, struct in_addr group, bool *found)
{
	uint32_t key = igmp_host_haddr(group), lo = 0, hi = h->ngroups, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (igmp_host_haddr(h->groups[mid].group) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < h->ngroups && h->groups[lo].group.s_addr == group.s_addr;
	return lo;
}

static struct igmp_host_group *
igmp_host_lookup(const struct igmp_host *h, struct in_addr group)
{
	bool found;
	uint32_t i = igmp_host_find(h, group, &found);

	return found ? &h->groups[i] : NULL;
}

/* A new group INCLUDE {} at index i; NULL on ENOMEM. */
static struct igmp_host_group *
igmp_host_group_insert(struct igmp_host *h, uint32_t i, struct in_addr group)
{
	struct igmp_host_group *g;
	uint32_t cap;

	if (h->ngroups == h->cap) {
		cap = h->cap ? h->cap * 2 : 4;
		g = realloc(h->groups, cap * sizeof(*g));
		if (g == NULL)
			return NULL;
		h->groups = g;
		h->cap = cap;
	}
	g = &h->groups[i];
	memmove(g + 1, g, (h->ngroups - i) * sizeof(*g));
	h->ngroups++;
	memset(g, 0, sizeof(*g));
	g->group = group;
	g->mode = IGMP_FILTER_INCLUDE;
	g->report_at = MC_TIME_NEVER;
	return g;
}

static void
igmp_host_group_remove(struct igmp_host *h, uint32_t i)
{
	struct igmp_host_group *g;

	free(h->groups[i].src);
	memmove(&h->groups[i], &h->groups[i + 1],
	    (h->ngroups - i - 1) * sizeof(h->groups[0]));
	h->ngroups--;
	if (h->ngroups == 0) {
		free(h->groups);
		h->groups = NULL;
		h->cap = 0;
	} else if (h->cap > 4 && h->ngroups <= h->cap / 4) {
		g = realloc(h->groups, h->cap / 2 * sizeof(*g));
		if (g != NULL) {
			h->groups = g;
			h->cap /= 2;
		}
	}
}

/* Drop groups without reception state and nothing left to send. */
static void
igmp_host_gc(struct igmp_host *h)
{
	uint32_t i = h->ngroups;

	while (i-- > 0)
		if (!igmp_host_member(&h->groups[i]) &&
		    h->groups[i].retrans == 0)
			igmp_host_group_remove(h, i);
}

/* Timers and the RFC formulas */

/* RFC 3376 8.11 (v3: 1 s) and RFC 2236 8.10 (v1/v2: 10 s). */
static uint32_t
igmp_host_unsolicited_report_interval_ms(const struct igmp_host *h)
{
	if (h->cfg.unsolicited_report_interval_ms != 0)
		return h->cfg.unsolicited_report_interval_ms;
	return h->version == 3 ? 1000 : 10000;
}

/*
 * RFC 3376 8.12 Older Version Querier Present Timeout: the Robustness
 * Variable times the Query Interval (both as learnt from the last v3 query,
 * else the defaults) plus the Query Response Interval of the query heard.
 */
static mc_time_t
igmp_host_older_querier_present_ms(const struct igmp_host *h,
    uint32_t qri_ms)
{
	return (mc_time_t)h->robustness * h->query_interval_ms + qri_ms;
}

/*
 * RFC 2236 8.11 Version 1 Router Present Timeout (400 s, configurable); a
 * configured 0 takes RFC 3376 8.12 with the default QRI, as Linux does now.
 */
static mc_time_t
igmp_host_v1_router_present_ms(const struct igmp_host *h)
{
	if (h->cfg.v1_router_present_timeout_ms != 0)
		return h->cfg.v1_router_present_timeout_ms;
	return igmp_host_older_querier_present_ms(h, 10000);
}

/*
 * The Max Resp Time of a query, in ms: RFC 1112 App. I fixes 10 s for v1
 * (and a host in v1 mode reads no code, as Linux), RFC 2236 2.2 tenths for
 * v2, RFC 3376 4.1.1 (decoded by igmp_wire) for v3.
 */
static uint32_t
igmp_host_max_resp_ms(const struct igmp_host *h, const struct igmp_msg *msg)
{
	if (msg->kind == IGMP_KIND_V1_QUERY || h->version == 1)
		return IGMP_HOST_V1_MAX_RESP_MS;
	return msg->max_resp_tenths * 100;
}

/* Uniform in (0, max_ms] ms (RFC 2236 3, RFC 3376 5.1/5.2); 0 for 0. */
static uint32_t
igmp_host_delay(struct igmp_host *h, uint32_t max_ms)
{
	if (max_ms == 0)
		return 0;
	return 1 + (uint32_t)mc_rng_below(&h->rng, max_ms);
}

static mc_time_t
igmp_host_min(mc_time_t a, mc_time_t b)
{
	return a < b ? a : b;
}

static void
igmp_host_update_deadline(struct igmp_host *h)
{
	mc_time_t d;
	uint32_t i;

	d = igmp_host_min(h->general_at, h->change_at);
	d = igmp_host_min(d, igmp_host_min(h->v1_until, h->v2_until));
	for (i = 0; i < h->ngroups; i++)
		d = igmp_host_min(d, h->groups[i].report_at);
	h->deadline = d;
}

/* Output queue */

static void
igmp_host_enqueue(struct igmp_host *h, struct in_addr dst,
    const uint8_t *data, size_t len)
{
	struct igmp_host_pkt *p;

	if (len > IGMP_HOST_MAX_PACKET) {
		h->stats.unexpected_events++;
		return;
	}
	p = outq_push(&h->outq, sizeof(*p) + len);
	if (p == NULL) {
		/* Lost like a dropped frame; retransmissions cover it. */
		h->stats.unexpected_events++;
		return;
	}
	p->dst = dst;
	p->len = len;
	memcpy(p->data, data, len);
}

/* RFC 2236 9: a report goes to its group, a leave to 224.0.0.2. */
static void
igmp_host_send_v12(struct igmp_host *h, struct in_addr group, bool leave)
{
	struct in_addr dst = group;
	uint8_t buf[IGMP_MIN_LEN];
	int n;

	if (leave) {
		dst.s_addr = htonl(IGMP_ALL_ROUTERS);
		n = igmp_build_v2_leave(buf, sizeof(buf), group);
	} else if (h->version == 1) {
		n = igmp_build_v1_report(buf, sizeof(buf), group);
	} else {
		n = igmp_build_v2_report(buf, sizeof(buf), group);
	}
	if (n < 0) {
		h->stats.unexpected_events++;
		return;
	}
	igmp_host_enqueue(h, dst, buf, (size_t)n);
	if (leave)
		h->stats.leaves_sent++;
	else
		h->stats.reports_sent++;
}

/*
 * v3 reports in the making: records are packed until the next one would
 * pass IGMP_HOST_REPORT_MAX, then the report goes to 224.0.0.22 (RFC 3376
 * 4.2.14) and another begins (4.2.16).
 */
struct igmp_host_batch {
	struct igmp_host	*h;
	struct igmp_v3_report	 r;
	bool			 open;
	uint8_t			 buf[IGMP_HOST_REPORT_MAX];
};

static void
igmp_host_batch_init(struct igmp_host_batch *b, struct igmp_host *h)
{
	b->h = h;
	b->open = false;
}

static void
igmp_host_batch_flush(struct igmp_host_batch *b)
{
	struct in_addr dst = { .s_addr = htonl(IGMP_V3_ROUTERS) };
	int n;

	if (!b->open)
		return;
	b->open = false;
	n = igmp_v3_report_finish(&b->r);
	if (n < 0) {
		b->h->stats.unexpected_events++;
		return;
	}
	igmp_host_enqueue(b->h, dst, b->buf, (size_t)n);
	b->h->stats.reports_sent++;
}

/*
 * One group record.  RFC 3376 4.2.16: a record too big for a report of its
 * own is split over several reports, except IS_EX and TO_EX, which carry as
 * many sources as fit and leave the rest unreported.
 */
static void
igmp_host_batch_add(struct igmp_host_batch *b, uint8_t type,
    struct in_addr group, const struct in_addr *src, uint32_t n)
{
	const uint32_t room = (IGMP_HOST_REPORT_MAX - IGMP_V3_REPORT_MIN_LEN -
	    IGMP_V3_RECORD_MIN_LEN) / 4;
	uint32_t chunk;
	size_t need;

	if (n > room && (type == IGMP_MODE_IS_EXCLUDE ||
	    type == IGMP_CHANGE_TO_EXCLUDE))
		n = room;
	for (;;) {
		chunk = n > room ? room : n;
		need = IGMP_V3_RECORD_MIN_LEN + 4 * (size_t)chunk;
		if (b->open && (b->r.len + need > IGMP_HOST_REPORT_MAX ||
		    b->r.nrecords == UINT16_MAX))
			igmp_host_batch_flush(b);
		if (!b->open) {
			igmp_v3_report_begin(&b->r, b->buf, sizeof(b->buf));
			b->open = true;
		}
		if (igmp_v3_report_add(&b->r, type, group, src,
		    (uint16_t)chunk) < 0) {
			b->h->stats.unexpected_events++;
			return;
		}
		n -= chunk;
		if (n == 0)
			return;
		src += chunk;
		igmp_host_batch_flush(b);
	}
}

/* RFC 3376 5.2: the Current-State Record of a group. */
static void
igmp_host_batch_current(struct igmp_host_batch *b,
    const struct igmp_host_group *g)
{
	igmp_host_batch_add(b, g->mode == IGMP_FILTER_EXCLUDE ?
	    IGMP_MODE_IS_EXCLUDE : IGMP_MODE_IS_INCLUDE, g->group, g->src,
	    g->nsrc);
}

/* Compatibility mode (RFC 3376 7.2.1) */

static unsigned
igmp_host_compat_version(const struct igmp_host *h)
{
	if (h->cfg.version == 1 || h->v1_until != MC_TIME_NEVER)
		return 1;
	if (h->cfg.version == 2 || h->v2_until != MC_TIME_NEVER)
		return 2;
	return 3;
}

/*
 * RFC 3376 7.2.1: "Whenever a host changes its compatibility mode, it
 * cancels all its pending response and retransmission timers."
 */
static void
igmp_host_cancel_all(struct igmp_host *h)
{
	struct igmp_host_group *g;
	uint32_t i;

	h->general_at = MC_TIME_NEVER;
	h->change_at = MC_TIME_NEVER;
	for (i = 0; i < h->ngroups; i++) {
		g = &h->groups[i];
		g->report_at = MC_TIME_NEVER;
		g->retrans = 0;
		igmp_host_group_drop_changes(g);
		g->nquery = 0;	/* allow and block are gone already */
	}
	igmp_host_gc(h);
}

/* Expire the querier present timers; true if the mode changed. */
static bool
igmp_host_expire(struct igmp_host *h, mc_time_t now)
{
	unsigned v;

	if (h->v1_until != MC_TIME_NEVER && now >= h->v1_until)
		h->v1_until = MC_TIME_NEVER;
	if (h->v2_until != MC_TIME_NEVER && now >= h->v2_until)
		h->v2_until = MC_TIME_NEVER;
	v = igmp_host_compat_version(h);
	if (v == h->version)
		return false;
	trace(&h->trace, "compatibility mode v%u -> v%u", h->version, v);
	h->version = v;
	igmp_host_cancel_all(h);
	return true;
}

/* v1/v2 groups */

static enum igmp_host_v12_state
igmp_host_v12_state(const struct igmp_host_group *g)
{
	if (g == NULL || !igmp_host_member(g))
		return IGMP_HOST_NON_MEMBER;
	return g->report_at != MC_TIME_NEVER ? IGMP_HOST_DELAYING_MEMBER :
	    IGMP_HOST_IDLE_MEMBER;
}

/*
 * Run one event of the RFC 2236 6 state machine on a group in state st;
 * returns the new state (Non-Member: the caller removes the group).
 */
static enum igmp_host_v12_state
igmp_host_v12_event(struct igmp_host *h, mc_time_t now,
    struct igmp_host_group *g, enum igmp_host_v12_state st,
    enum igmp_host_v12_event ev, uint32_t max_resp_ms)
{
	const struct igmp_host_v12_transition *t = &igmp_host_v12_fsm[st][ev];
	enum igmp_host_v12_state next;
	uint16_t a = t->actions;
	char gs[INET_ADDRSTRLEN];

	if (a & IGMP_HOST_A_UNEXPECTED) {
		h->stats.unexpected_events++;
		return st;
	}
	if (a & IGMP_HOST_A_STOP_TIMER) {
		g->report_at = MC_TIME_NEVER;
		g->retrans = 0;
	}
	if (a & IGMP_HOST_A_SEND_REPORT) {
		g->report_at = MC_TIME_NEVER;
		igmp_host_send_v12(h, g->group, false);
	}
	if (a & IGMP_HOST_A_SET_FLAG)
		g->flags |= IGMP_HOST_F_LAST_REPORTER;
	if (a & IGMP_HOST_A_CLEAR_FLAG)
		g->flags &= ~IGMP_HOST_F_LAST_REPORTER;
	if (a & IGMP_HOST_A_SUPPRESSED)
		h->stats.reports_suppressed++;
	/* RFC 2236 3: "repeat once or twice after short delays". */
	if (a & IGMP_HOST_A_START_REPEATS) {
		g->retrans = (uint8_t)(h->robustness - 1);
		if (g->retrans > 0)
			g->report_at = now + igmp_host_delay(h,
			    igmp_host_unsolicited_report_interval_ms(h));
	}
	if ((a & IGMP_HOST_A_NEXT_REPEAT) && g->retrans > 0 &&
	    --g->retrans > 0)
		g->report_at = now + igmp_host_delay(h,
		    igmp_host_unsolicited_report_interval_ms(h));
	if (a & IGMP_HOST_A_START_TIMER)
		g->report_at = now + igmp_host_delay(h, max_resp_ms);
	/* RFC 2236 3: only if Max Resp Time is less than the time left. */
	if ((a & IGMP_HOST_A_RESET_IF_SOONER) &&
	    g->report_at - now > (mc_time_t)max_resp_ms)
		g->report_at = now + igmp_host_delay(h, max_resp_ms);
	/* RFC 2236 6: leave only if we sent the last report; v1 has none. */
	if ((a & IGMP_HOST_A_LEAVE_IF_FLAG) && h->version == 2 &&
	    (g->flags & IGMP_HOST_F_LAST_REPORTER))
		igmp_host_send_v12(h, g->group, true);

	next = t->next;
	if (next != IGMP_HOST_NON_MEMBER && g->report_at != MC_TIME_NEVER)
		next = IGMP_HOST_DELAYING_MEMBER;
	if (next != st)
		trace(&h->trace, "%s: %s -> %s on %s (v%u)",
		    trace_addr(g->group, gs), igmp_host_v12_state_name(st),
		    igmp_host_v12_state_name(next),
		    igmp_host_v12_event_name(ev), h->version);
	return next;
}

/* A filter change in v1/v2 mode: v1/v2 only know member or not. */
static int
igmp_host_v12_change(struct igmp_host *h, mc_time_t now,
    struct in_addr group, uint8_t mode, const struct in_addr *src,
    uint32_t nsrc)
{
	struct igmp_host_group *g;
	enum igmp_host_v12_state st;
	bool found;
	uint32_t i;

	i = igmp_host_find(h, group, &found);
	if (!found && mode == IGMP_FILTER_INCLUDE && nsrc == 0)
		return 0;
	if (found) {
		g = &h->groups[i];
	} else if ((g = igmp_host_group_insert(h, i, group)) == NULL) {
		return -ENOMEM;
	}
	st = igmp_host_v12_state(g);
	if (igmp_host_group_store(g, src, nsrc, NULL, 0, NULL, 0, NULL,
	    0) < 0) {
		if (!found)
			igmp_host_group_remove(h, i);
		return -ENOMEM;
	}
	g->mode = mode;
	if (st == IGMP_HOST_NON_MEMBER && igmp_host_member(g))
		igmp_host_v12_event(h, now, g, st, IGMP_HOST_EV_JOIN, 0);
	else if (st != IGMP_HOST_NON_MEMBER && !igmp_host_member(g))
		igmp_host_v12_event(h, now, g, st, IGMP_HOST_EV_LEAVE, 0);
	igmp_host_gc(h);
	return 0;
}

/* v3 State-Change Reports (RFC 3376 5.1) */

/*
 * A filter change in v3 mode.  RFC 3376 5.1, old state -> new state:
 *
 *   INCLUDE (A) -> INCLUDE (B)   ALLOW (B-A), BLOCK (A-B)
 *   EXCLUDE (A) -> EXCLUDE (B)   ALLOW (A-B), BLOCK (B-A)
 *   INCLUDE (A) -> EXCLUDE (B)   TO_EX (B)
 *   EXCLUDE (A) -> INCLUDE (B)   TO_IN (B)
 *
 * merged with what is still pending: a filter-mode change stays pending
 * (a TO_IN/TO_EX with the current sources goes out RV times after the
 * last change, whatever source changes follow); else ALLOW = (pending
 * ALLOW - new BLOCK) + new ALLOW and BLOCK = (pending BLOCK - new ALLOW) +
 * new BLOCK.  "The transmission of the merged State-Change Report ...
 * becomes the first of [Robustness Variable] transmissions": the group's
 * count goes back to RV (one count per group, not per source, so a source
 * may go out more than RV times, never fewer) and the State-Change timer
 * is due now.
 */
static int
igmp_host_v3_change(struct igmp_host *h, mc_time_t now,
    struct in_addr group, uint8_t mode, const struct in_addr *b,
    uint32_t nb)
{
	struct igmp_host_group *g = NULL;
	const struct in_addr *a = NULL, *pa = NULL, *pb = NULL;
	struct in_addr *tmp = NULL, *add, *rem, *t1, *t2;
	struct in_addr *allow = NULL, *block = NULL;
	uint32_t i, n, na = 0, npa = 0, npb = 0, nadd, nrem;
	uint32_t nallow = 0, nblock = 0;
	uint8_t old_mode = IGMP_FILTER_INCLUDE, flags = 0;
	char gs[INET_ADDRSTRLEN], ss[TRACE_LINE_MAX / 2];
	bool found;

	i = igmp_host_find(h, group, &found);
	if (found) {
		g = &h->groups[i];
		a = g->src;
		na = g->nsrc;
		old_mode = g->mode;
		if (g->retrans > 0) {
			flags = g->flags & IGMP_HOST_F_MODE_CHANGE;
			pa = igmp_host_grp_allow(g);
			npa = g->nallow;
			pb = igmp_host_grp_block(g);
			npb = g->nblock;
		}
	}
	if (old_mode == mode && srcset_equal(a, na, b, nb))
		return 0;
	if (old_mode != mode)
		flags = IGMP_HOST_F_MODE_CHANGE;
	if (!(flags & IGMP_HOST_F_MODE_CHANGE)) {
		/* add, rem: the new change; t1, t2: pending less opposite */
		tmp = malloc((((size_t)na + nb) * 4 + ((size_t)npa + npb) * 2 +
		    1) * sizeof(*tmp));
		if (tmp == NULL)
			return -ENOMEM;
		add = tmp;
		rem = add + na + nb;
		t1 = rem + na + nb;
		allow = t1 + npa;
		t2 = allow + npa + na + nb;
		block = t2 + npb;
		if (mode == IGMP_FILTER_INCLUDE) {
			nadd = srcset_diff(b, nb, a, na, add);
			nrem = srcset_diff(a, na, b, nb, rem);
		} else {
			nadd = srcset_diff(a, na, b, nb, add);
			nrem = srcset_diff(b, nb, a, na, rem);
		}
		n = srcset_diff(pa, npa, rem, nrem, t1);
		nallow = srcset_union(t1, n, add, nadd, allow);
		n = srcset_diff(pb, npb, add, nadd, t2);
		nblock = srcset_union(t2, n, rem, nrem, block);
		if (nallow > IGMP_HOST_MAX_SOURCES ||
		    nblock > IGMP_HOST_MAX_SOURCES) {
			/* Too much to list: state the whole filter. */
			flags = IGMP_HOST_F_MODE_CHANGE;
			nallow = nblock = 0;
		}
	}
	if (!found && (g = igmp_host_group_insert(h, i, group)) == NULL) {
		free(tmp);
		return -ENOMEM;
	}
	if (igmp_host_group_store(g, b, nb, igmp_host_grp_query(g), g->nquery,
	    allow, nallow, block, nblock) < 0) {
		free(tmp);
		if (!found)
			igmp_host_group_remove(h, i);
		return -ENOMEM;
	}
	free(tmp);
	g->mode = mode;
	g->flags = (uint8_t)((g->flags & ~IGMP_HOST_F_MODE_CHANGE) | flags);
	g->retrans = (uint8_t)h->robustness;
	h->change_at = now;

	trace(&h->trace, "%s: %s -> %s %s", trace_addr(group, gs),
	    found ? igmp_host_mode_name(old_mode) : "(none)",
	    igmp_host_mode_name(mode), trace_set(b, nb, ss, sizeof(ss)));
	return 0;
}

/*
 * The State-Change timer fired: one report with the pending records of
 * every group; RFC 3376 5.1: retransmitted at random intervals in
 * (0, [Unsolicited Report Interval]) until each group's count runs out.
 */
static void
igmp_host_v3_send_changes(struct igmp_host *h, mc_time_t now,
    struct igmp_host_batch *b)
{
	struct igmp_host_group *g;
	bool more = false;
	uint32_t i;

	for (i = 0; i < h->ngroups; i++) {
		g = &h->groups[i];
		if (g->retrans == 0)
			continue;
		if (g->flags & IGMP_HOST_F_MODE_CHANGE) {
			igmp_host_batch_add(b, g->mode == IGMP_FILTER_EXCLUDE ?
			    IGMP_CHANGE_TO_EXCLUDE : IGMP_CHANGE_TO_INCLUDE,
			    g->group, g->src, g->nsrc);
		} else {
			if (g->nallow)
				igmp_host_batch_add(b, IGMP_ALLOW_NEW_SOURCES,
				    g->group, igmp_host_grp_allow(g),
				    g->nallow);
			if (g->nblock)
				igmp_host_batch_add(b, IGMP_BLOCK_OLD_SOURCES,
				    g->group, igmp_host_grp_block(g),
				    g->nblock);
		}
		if (--g->retrans == 0)
			igmp_host_group_drop_changes(g);
		else
			more = true;
	}
	h->change_at = more ? now + igmp_host_delay(h,
	    igmp_host_unsolicited_report_interval_ms(h)) : MC_TIME_NEVER;
}

/*
 * RFC 3376 5.2: the group timer fired.  No queried sources: the group's
 * Current-State Record if it has reception state.  Queried sources B:
 * INCLUDE (A) answers IS_IN (A*B), EXCLUDE (A) answers IS_IN (B-A); an
 * empty set, nothing.
 */
static void
igmp_host_v3_answer_group(struct igmp_host *h, struct igmp_host_group *g,
    struct igmp_host_batch *b)
{
	struct in_addr *r;
	uint32_t n;

	g->report_at = MC_TIME_NEVER;
	if (!igmp_host_member(g)) {
		igmp_host_group_drop_query(g);
		return;
	}
	if (g->nquery == 0) {
		igmp_host_batch_current(b, g);
		return;
	}
	r = malloc((size_t)g->nquery * sizeof(*r));
	if (r == NULL) {
		/* Say more than asked rather than nothing. */
		igmp_host_batch_current(b, g);
	} else {
		if (g->mode == IGMP_FILTER_INCLUDE)
			n = srcset_intersect(igmp_host_grp_query(g), g->nquery,
			    g->src, g->nsrc, r);
		else
			n = srcset_diff(igmp_host_grp_query(g), g->nquery,
			    g->src, g->nsrc, r);
		if (n > 0)
			igmp_host_batch_add(b, IGMP_MODE_IS_INCLUDE, g->group,
			    r, n);
		free(r);
	}
	igmp_host_group_drop_query(g);
}

static void
igmp_host_v3_timeout(struct igmp_host *h, mc_time_t now)
{
	struct igmp_host_batch batch, *b = &batch;
	uint32_t i;

	igmp_host_batch_init(b, h);
	/* 5.2: the interface timer: one record per group with state. */
	if (h->general_at <= now) {
		h->general_at = MC_TIME_NEVER;
		for (i = 0; i < h->ngroups; i++)
			if (igmp_host_member(&h->groups[i]))
				igmp_host_batch_current(b, &h->groups[i]);
	}
	for (i = 0; i < h->ngroups; i++)
		if (h->groups[i].report_at <= now)
			igmp_host_v3_answer_group(h, &h->groups[i], b);
	if (h->change_at <= now)
		igmp_host_v3_send_changes(h, now, b);
	igmp_host_batch_flush(b);
}

/* Queries */

/* RFC 3376 5.2 rules 1-5, in order, the first that matches. */
static void
igmp_host_v3_query(struct igmp_host *h, mc_time_t now, struct in_addr group,
    const struct igmp_msg *msg, uint32_t max_resp_ms)
{
	struct igmp_host_group *g = NULL;
	struct in_addr *q, *u;
	mc_time_t at;
	uint32_t i, n;
	bool any = false;

	if (group.s_addr == INADDR_ANY) {
		for (i = 0; i < h->ngroups && !any; i++)
			any = igmp_host_member(&h->groups[i]);
		if (!any)
			return;		/* no state to report */
	} else {
		g = igmp_host_lookup(h, group);
		if (g == NULL || !igmp_host_member(g))
			return;
	}
	at = now + igmp_host_delay(h, max_resp_ms);
	/* 1: a General Query answer due sooner covers this one. */
	if (h->general_at <= at)
		return;
	/* 2: General Query: the interface timer. */
	if (g == NULL) {
		h->general_at = at;
		return;
	}
	/* 3: nothing pending for the group: the group timer, sources kept. */
	if (g->report_at == MC_TIME_NEVER) {
		g->report_at = at;
		igmp_host_group_drop_query(g);
		if (msg->nsources == 0)
			return;
		q = malloc((size_t)msg->nsources * sizeof(*q));
		if (q == NULL)
			return;		/* answer as group-specific */
		for (i = 0; i < msg->nsources; i++)
			q[i] = igmp_source_at(msg->sources, (uint16_t)i);
		n = (uint32_t)srcset_normalize(q, msg->nsources);
		(void)igmp_host_group_store(g, g->src, g->nsrc, q, n,
		    igmp_host_grp_allow(g), g->nallow, igmp_host_grp_block(g),
		    g->nblock);
		free(q);
		return;
	}
	g->report_at = igmp_host_min(g->report_at, at);
	/* 4: group-specific now, or before: the whole group. */
	if (msg->nsources == 0 || g->nquery == 0) {
		igmp_host_group_drop_query(g);
		return;
	}
	/* 5: both source-specific: the union of the queried sources. */
	q = malloc(((size_t)msg->nsources * 2 + g->nquery) * sizeof(*q));
	if (q == NULL) {
		igmp_host_group_drop_query(g);
		return;
	}
	for (i = 0; i < msg->nsources; i++)
		q[i] = igmp_source_at(msg->sources, (uint16_t)i);
	n = (uint32_t)srcset_normalize(q, msg->nsources);
	u = q + msg->nsources;
	n = srcset_union(igmp_host_grp_query(g), g->nquery, q, n, u);
	if (n > IGMP_HOST_MAX_SOURCES || igmp_host_group_store(g, g->src,
	    g->nsrc, u, n, igmp_host_grp_allow(g), g->nallow,
	    igmp_host_grp_block(g), g->nblock) < 0)
		igmp_host_group_drop_query(g);
	free(q);
}

/* RFC 2236 3: each group the query applies to gets its own random timer. */
static void
igmp_host_v12_query(struct igmp_host *h, mc_time_t now, struct in_addr group,
    uint32_t max_resp_ms)
{
	struct igmp_host_group *g;
	uint32_t i;

	for (i = 0; i < h->ngroups; i++) {
		g = &h->groups[i];
		if (group.s_addr != INADDR_ANY &&
		    g->group.s_addr != group.s_addr)
			continue;
		if (igmp_host_member(g))
			igmp_host_v12_event(h, now, g, igmp_host_v12_state(g),
			    IGMP_HOST_EV_QUERY, max_resp_ms);
	}
}

static void
igmp_host_query(struct igmp_host *h, mc_time_t now, const struct igmp_ip *ip,
    const struct igmp_msg *msg)
{
	struct in_addr group = msg->group;
	uint32_t max_resp_ms;

	h->stats.rx_queries++;
	/* RFC 1112 App. I: a v1 query's group field means nothing. */
	if (msg->kind == IGMP_KIND_V1_QUERY)
		group.s_addr = INADDR_ANY;
	/* RFC 3376 9.1, RFC 2236 9: General Queries go to 224.0.0.1. */
	if (group.s_addr == INADDR_ANY &&
	    ip->dst.s_addr != htonl(IGMP_ALL_SYSTEMS)) {
		h->stats.rx_ignored++;
		return;
	}
	if (group.s_addr != INADDR_ANY && !igmp_host_is_multicast(group)) {
		h->stats.rx_ignored++;
		return;
	}
	if (msg->kind == IGMP_KIND_V3_QUERY && group.s_addr == INADDR_ANY &&
	    msg->nsources > 0) {
		h->stats.rx_ignored++;	/* Linux drops it too */
		return;
	}

	switch (msg->kind) {
	case IGMP_KIND_V1_QUERY:
		h->v1_until = now + igmp_host_v1_router_present_ms(h);
		break;
	case IGMP_KIND_V2_QUERY:
		h->v2_until = now + igmp_host_older_querier_present_ms(h,
		    msg->max_resp_tenths * 100);
		break;
	default:
		/* RFC 3376 4.1.6, 4.1.7: adopt the querier's RV and QI. */
		if (msg->qrv != 0)
			h->robustness = msg->qrv;
		if (msg->qqi_s != 0)
			h->query_interval_ms = msg->qqi_s * 1000;
		break;
	}
	igmp_host_expire(h, now);
	max_resp_ms = igmp_host_max_resp_ms(h, msg);
	if (h->version == 3) {
		igmp_host_v3_query(h, now, group, msg, max_resp_ms);
	} else {
		/* A v1 host has no group-specific queries (as Linux). */
		if (h->version == 1 && msg->kind == IGMP_KIND_V3_QUERY)
			group.s_addr = INADDR_ANY;
		igmp_host_v12_query(h, now, group, max_resp_ms);
	}
}

/* Another host's v1/v2 report: suppression (RFC 1112 App. I, 2236 3). */
static void
igmp_host_heard_report(struct igmp_host *h, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	struct igmp_host_group *g;

	if (ip->src.s_addr == h->addr.s_addr) {
		h->stats.rx_ignored++;	/* our own, looped back */
		return;
	}
	h->stats.rx_reports_heard++;
	if (h->version == 3)
		return;		/* RFC 3376 5: v3 hosts do not suppress */
	g = igmp_host_lookup(h, msg->group);
	if (g == NULL || !igmp_host_member(g))
		return;
	igmp_host_v12_event(h, now, g, igmp_host_v12_state(g),
	    IGMP_HOST_EV_REPORT, 0);
}

/* The API */

void
igmp_host_config_defaults(struct igmp_host_config *c)
{
	memset(c, 0, sizeof(*c));
	c->version = 0;
	c->robustness = 2;
	c->unsolicited_report_interval_ms = 0;
	c->v1_router_present_timeout_ms = 400000;
}

struct igmp_host *
igmp_host_new(const struct igmp_host_config *c, struct in_addr addr,
    uint64_t rng_seed, mc_trace_fn trace, void *trace_arg)
{
	struct igmp_host_config def;
	struct igmp_host *h;

	if (c == NULL) {
		igmp_host_config_defaults(&def);
		c = &def;
	}
	if (c->version > 3 || c->robustness == 0 || c->robustness > UINT8_MAX) {
		errno = EINVAL;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return NULL;
	h->cfg = *c;
	h->addr = addr;
	h->rng.state = rng_seed;
	h->trace.fn = trace;
	h->trace.arg = trace_arg;
	h->robustness = c->robustness;
	h->query_interval_ms = IGMP_HOST_DEFAULT_QI_MS;
	h->general_at = MC_TIME_NEVER;
	h->change_at = MC_TIME_NEVER;
	h->v1_until = MC_TIME_NEVER;
	h->v2_until = MC_TIME_NEVER;
	h->deadline = MC_TIME_NEVER;
	h->version = igmp_host_compat_version(h);
	outq_init(&h->outq);
	return h;
}

void
igmp_host_free(struct igmp_host *h)
{
	uint32_t i;

	if (h == NULL)
		return;
	outq_fini(&h->outq);
	for (i = 0; i < h->ngroups; i++)
		free(h->groups[i].src);
	free(h->groups);
	free(h);
}

/*
 * 0; -EINVAL for a group outside 224.0.0.0/4, a bad mode or more than
 * 65535 sources; -ENOMEM with nothing changed.  224.0.0.1 is accepted and
 * ignored: its reception is permanent and never reported (RFC 3376 5,
 * RFC 2236 6).
 */
int
igmp_host_set_filter(struct igmp_host *h, mc_time_t now,
    struct in_addr group, enum igmp_filter_mode mode,
    const struct in_addr *sources, uint32_t nsources)
{
	struct in_addr *b = NULL;
	uint32_t nb = 0;
	int rc;

	if (!igmp_host_is_multicast(group) ||
	    (mode != IGMP_FILTER_INCLUDE && mode != IGMP_FILTER_EXCLUDE) ||
	    nsources > IGMP_HOST_MAX_SOURCES ||
	    (nsources > 0 && sources == NULL))
		return -EINVAL;
	igmp_host_expire(h, now);
	if (group.s_addr == htonl(IGMP_ALL_SYSTEMS)) {
		igmp_host_update_deadline(h);
		return 0;
	}
	if (nsources > 0) {
		b = malloc(nsources * sizeof(*b));
		if (b == NULL)
			return -ENOMEM;
		memcpy(b, sources, nsources * sizeof(*b));
		nb = (uint32_t)srcset_normalize(b, nsources);
	}
	if (h->version == 3)
		rc = igmp_host_v3_change(h, now, group, (uint8_t)mode, b, nb);
	else
		rc = igmp_host_v12_change(h, now, group, (uint8_t)mode, b, nb);
	free(b);
	igmp_host_update_deadline(h);
	return rc;
}

void
igmp_host_input(struct igmp_host *h, mc_time_t now, const struct igmp_ip *ip,
    const struct igmp_msg *msg)
{
	bool changed;

	if (ip == NULL || msg == NULL) {
		h->stats.unexpected_events++;
		return;
	}
	changed = igmp_host_expire(h, now);
	switch (msg->kind) {
	case IGMP_KIND_V1_QUERY:
	case IGMP_KIND_V2_QUERY:
	case IGMP_KIND_V3_QUERY:
		igmp_host_query(h, now, ip, msg);
		changed = true;
		break;
	case IGMP_KIND_V1_REPORT:
	case IGMP_KIND_V2_REPORT:
		igmp_host_heard_report(h, now, ip, msg);
		changed = true;
		break;
	default:
		/*
		 * RFC 3376 5: types other than Query are silently ignored
		 * (v3 reports, leaves, DVMRP, mtrace ...).
		 */
		h->stats.rx_ignored++;
		break;
	}
	if (changed)
		igmp_host_update_deadline(h);
}

void
igmp_host_timeout(struct igmp_host *h, mc_time_t now)
{
	struct igmp_host_group *g;
	uint32_t i;

	igmp_host_expire(h, now);
	if (h->version == 3) {
		igmp_host_v3_timeout(h, now);
	} else {
		for (i = 0; i < h->ngroups; i++) {
			g = &h->groups[i];
			if (g->report_at <= now)
				igmp_host_v12_event(h, now, g,
				    igmp_host_v12_state(g), IGMP_HOST_EV_TIMER,
				    0);
		}
	}
	igmp_host_gc(h);
	igmp_host_update_deadline(h);
}

mc_time_t
igmp_host_next_deadline(const struct igmp_host *h)
{
	return h->deadline;
}

bool
igmp_host_output(struct igmp_host *h, struct igmp_host_output *out)
{
	const struct igmp_host_pkt *p = outq_take(&h->outq);

	if (p == NULL)
		return false;
	out->dst = p->dst;
	out->len = p->len;
	memcpy(out->data, p->data, p->len);
	return true;
}

unsigned
igmp_host_version(const struct igmp_host *h)
{
	return h->version;
}

struct in_addr
igmp_host_address(const struct igmp_host *h)
{
	return h->addr;
}

/* 0 and *view filled (sources valid until the next call), or -ENOENT. */
int
igmp_host_group(const struct igmp_host *h, struct in_addr group,
    struct igmp_host_group_view *view)
{
	const struct igmp_host_group *g = igmp_host_lookup(h, group);
	mc_time_t at;

	if (g == NULL)
		return -ENOENT;
	at = g->report_at;
	if (g->retrans > 0 && h->version == 3)
		at = igmp_host_min(at, h->change_at);
	memset(view, 0, sizeof(*view));
	view->group = g->group;
	view->mode = (enum igmp_filter_mode)g->mode;
	view->nsources = g->nsrc;
	view->sources = g->src;
	view->report_pending = at != MC_TIME_NEVER;
	view->report_at = at;
	view->last_reporter = (g->flags & IGMP_HOST_F_LAST_REPORTER) != 0;
	return 0;
}

const struct igmp_host_stats *
igmp_host_stats(const struct igmp_host *h)
{
	return &h->stats;
}
