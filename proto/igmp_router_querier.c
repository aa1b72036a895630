/* The IGMP router's querier: election, queries sent and heard, timers. */
#include <arpa/inet.h>

#include "igmp_router_int.h"

#define RT_QRV_MAX 7 /* RFC 3376 4.1.6 */

/* ------------------------------------------------------------------ */
/* The election (RFC 2236 3 and 7, RFC 3376 6.6.2)                    */

enum igmp_router_qevent {
	RT_QE_START,	    /* igmp_router_start() */
	RT_QE_LOWER_QUERY,  /* a query from a lower address */
	RT_QE_OQP_EXPIRED,  /* Other Querier Present timer */
	RT_QE_ADDRESS_WINS, /* our new address is below the querier's */
	RT_QE_COUNT
};

enum igmp_router_qaction {
	RT_QA_UNEXPECTED, /* counted and ignored */
	RT_QA_STARTUP,	  /* Startup Query Count general queries */
	RT_QA_YIELD,	  /* stop querying, start the OQP timer */
	RT_QA_TAKEOVER,	  /* query at once, then every QI */
};

static const struct igmp_router_qtransition {
	enum igmp_router_qaction action;
	enum igmp_router_qstate next;
} igmp_router_querier_fsm[RT_QS_COUNT][RT_QE_COUNT] = {
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
igmp_router_querier_state_name(enum igmp_router_qstate s)
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
igmp_router_querier_event_name(enum igmp_router_qevent e)
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
 * The values in use: the configuration with the querier's RV and QI
 * adopted (RFC 3376 4.1.6, 4.1.7), and the intervals reports need,
 * computed here when they change rather than at every report.
 */
void
igmp_router_querier_use(struct igmp_router *r)
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

/* The configuration alone: at start and on becoming the querier. */
void
igmp_router_querier_use_configured(struct igmp_router *r)
{
	r->adopted_rv = 0;
	r->adopted_qi_ms = 0;
	igmp_router_querier_use(r);
}

/* ------------------------------------------------------------------ */
/* Queries sent                                                       */

static uint32_t
igmp_router_querier_tenths(uint32_t ms)
{
	return ms / 100;
}

/* One query in the configured version (RFC 3376 4.1, RFC 2236 2). */
static void
igmp_router_querier_send(struct igmp_router *r, struct in_addr group,
    uint32_t max_resp_ms, bool suppress, const struct in_addr *sources,
    uint16_t nsources)
{
	uint8_t buf[IGMP_ROUTER_MAX_PACKET];
	struct in_addr dst = group;
	unsigned rv = r->cur.robustness;
	int len;

	if (group.s_addr == INADDR_ANY)
		dst.s_addr = htonl(IGMP_ALL_SYSTEMS); /* 4.1.12 */
	switch (r->cfg.version) {
	case 1:
		len = igmp_build_v1_query(buf, sizeof(buf));
		break;
	case 2:
		len = igmp_build_v2_query(buf, sizeof(buf), group,
		    igmp_router_querier_tenths(max_resp_ms));
		break;
	default:
		len = igmp_build_v3_query(buf, sizeof(buf), group,
		    igmp_router_querier_tenths(max_resp_ms), suppress,
		    (uint8_t)(rv <= RT_QRV_MAX ? rv : 0),
		    r->cur.query_interval_ms / 1000, sources, nsources);
		break;
	}
	igmp_router_emit_packet(r, dst, buf, len);
}

static void
igmp_router_querier_send_general(struct igmp_router *r)
{
	struct in_addr any = { .s_addr = INADDR_ANY };

	igmp_router_querier_send(r, any, r->cur.query_response_interval_ms,
	    false, NULL, 0);
	r->stats.queries_sent_general++;
}

/* One group-and-source-specific query for r->qsrc[0..n). */
static void
igmp_router_querier_send_sources(struct igmp_router *r,
    struct igmp_router_group *g, bool suppress, uint16_t n)
{
	igmp_router_querier_send(r, g->addr,
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
void
igmp_router_querier_specific(struct igmp_router *r, struct igmp_router_group *g,
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
		igmp_router_querier_send(r, g->addr,
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
				igmp_router_querier_send_sources(r, g, suppress,
				    n);
				n = 0;
			}
		}
		if (n > 0)
			igmp_router_querier_send_sources(r, g, suppress, n);
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
/* The election, queries heard, timers                                */

static void
igmp_router_querier_event(struct igmp_router *r, mc_time_t now,
    enum igmp_router_qevent e, struct in_addr from)
{
	const struct igmp_router_qtransition *t =
	    &igmp_router_querier_fsm[r->qstate][e];
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
		igmp_router_querier_use_configured(r);
		r->querier = r->addr;
		r->oqp_at = MC_TIME_NEVER;
		r->startup_left = igmp_router_startup_query_count(&r->cfg) - 1;
		igmp_router_querier_send_general(r);
		r->gq_at = now +
		    (r->startup_left > 0 ?
			    igmp_startup_query_interval_ms(&r->cfg) :
			    r->cfg.query_interval_ms);
		break;
	case RT_QA_YIELD:
		/* RFC 3376 6.6.2: OQP timer = OQPI, stop querying. */
		if (old == RT_QS_QUERIER)
			r->stats.querier_elections_lost++;
		r->querier = from;
		r->oqp_at = now +
		    igmp_other_querier_present_interval_ms(&r->cur);
		r->gq_at = MC_TIME_NEVER;
		r->startup_left = 0;
		break;
	case RT_QA_TAKEOVER:
		/* RFC 2236 7: send a general query, then every QI. */
		if (e == RT_QE_OQP_EXPIRED)
			r->stats.querier_takeovers++;
		igmp_router_querier_use_configured(r);
		r->querier = r->addr;
		r->oqp_at = MC_TIME_NEVER;
		r->startup_left = 0;
		igmp_router_querier_send_general(r);
		r->gq_at = now + r->cfg.query_interval_ms;
		break;
	}
	r->qstate = t->next;
	if (old == r->qstate && old_querier.s_addr == r->querier.s_addr)
		return;
	trace(&r->trace, "querier: %s -> %s (querier %s) on %s",
	    igmp_router_querier_state_name(old),
	    igmp_router_querier_state_name(r->qstate),
	    trace_addr(r->querier, a), igmp_router_querier_event_name(e));
	ev = igmp_router_event(r,
	    r->qstate == RT_QS_QUERIER ? IGMP_ROUTER_EV_QUERIER :
					 IGMP_ROUTER_EV_OTHER_QUERIER,
	    none);
	if (ev == NULL)
		return;
	ev->from = r->querier;	    /* this router's address, or not */
	ev->previous = old_querier; /* 0.0.0.0 when IDLE */
}

/*
 * RFC 3376 7.3.1: an older querier means the network runs that version,
 * which must be configured; say so once per version (the warning is
 * rate-limited that way).
 */
static void
igmp_router_querier_older(struct igmp_router *r, const struct igmp_ip *ip,
    const struct igmp_msg *msg)
{
	unsigned v = msg->kind == IGMP_KIND_V1_QUERY ? 1 :
	    msg->kind == IGMP_KIND_V2_QUERY	     ? 2 :
						       3;
	struct igmp_router_ev *ev;
	char a[INET_ADDRSTRLEN];

	if (v >= r->cfg.version || (r->older_querier_warned & (1u << v)))
		return;
	r->older_querier_warned |= 1u << v;
	trace(&r->trace,
	    "querier %s speaks IGMPv%u: configure version %u "
	    "(RFC 3376 7.3.1)",
	    trace_addr(ip->src, a), v, v);
	ev = igmp_router_event(r, IGMP_ROUTER_EV_OLDER_QUERIER, msg->group);
	if (ev != NULL)
		ev->version = v;
}

/* RFC 3376 4.1.6 QRV and 4.1.7 QQIC: adopt the querier's (0: ours). */
static void
igmp_router_querier_adopt(struct igmp_router *r, const struct igmp_msg *msg,
    struct in_addr from)
{
	unsigned rv = msg->qrv;
	uint32_t qi = igmp_router_sat32((uint64_t)msg->qqi_s * 1000);
	char a[INET_ADDRSTRLEN];

	if (rv == r->adopted_rv && qi == r->adopted_qi_ms)
		return;
	r->adopted_rv = rv;
	r->adopted_qi_ms = qi;
	igmp_router_querier_use(r);
	trace(&r->trace, "querier %s: robustness %u, query interval %u ms",
	    trace_addr(from, a), r->cur.robustness, r->cur.query_interval_ms);
}

/* A query heard: the election (6.6.2), and the timers it lowers (6.6.1). */
void
igmp_router_querier_input(struct igmp_router *r, mc_time_t now,
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
	igmp_router_querier_older(r, ip, msg);
	if (msg->kind == IGMP_KIND_V3_QUERY)
		igmp_router_querier_adopt(r, msg, ip->src);
	igmp_router_querier_event(r, now, RT_QE_LOWER_QUERY, ip->src);
	igmp_router_group_lower_timers(r, now, msg);
}

/* The earliest of the querier's own timers (MC_TIME_NEVER: none). */
mc_time_t
igmp_router_querier_deadline(const struct igmp_router *r)
{
	return mc_time_min(r->gq_at, r->oqp_at);
}

/* The earliest of them, due: the Other Querier Present timer first. */
void
igmp_router_querier_timeout(struct igmp_router *r, mc_time_t now)
{
	struct in_addr any = { .s_addr = INADDR_ANY };

	if (r->oqp_at <= r->gq_at) {
		r->oqp_at = MC_TIME_NEVER;
		igmp_router_querier_event(r, now, RT_QE_OQP_EXPIRED, any);
		return;
	}
	/* RFC 3376 6.1, 8.2, 8.6: general queries. */
	igmp_router_querier_send_general(r);
	if (r->startup_left > 0)
		r->startup_left--;
	r->gq_at = now +
	    (r->startup_left > 0 ? igmp_startup_query_interval_ms(&r->cfg) :
				   r->cfg.query_interval_ms);
}

void
igmp_router_start(struct igmp_router *r, mc_time_t now)
{
	igmp_router_querier_event(r, now, RT_QE_START, r->addr);
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
		igmp_router_querier_event(r, now, RT_QE_ADDRESS_WINS, addr);
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
