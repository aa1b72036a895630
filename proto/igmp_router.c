/* The IGMP router engine: life cycle, input, outputs and views (see .h). */
/*
 * The router side of IGMP v1/v2/v3 for one interface, as a sans-I/O engine
 * (RFC 2236, RFC 3376 sections 6-8, RFC 4604); its files and data
 * structures are described in igmp_router_int.h.
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
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "igmp_router_int.h"

#define RT_V2_MAX_TENTHS 255   /* RFC 2236 2.2: 8 bits */
#define RT_V3_MAX_CODE	 31744 /* RFC 3376 4.1.1 */
#define RT_HASH_MIN_BITS 6

/* ------------------------------------------------------------------ */
/* Configuration and the RFC formulas                                 */

void
igmp_router_config_defaults(struct igmp_router_config *c)
{
	memset(c, 0, sizeof(*c));
	c->version = 3;
	c->robustness = 2;			   /* RFC 3376 8.1 */
	c->query_interval_ms = 125000;		   /* 8.2 */
	c->query_response_interval_ms = 10000;	   /* 8.3 */
	c->last_member_query_interval_ms = 1000;   /* 8.8 */
	c->ssm_prefix.s_addr = htonl(0xe8000000u); /* RFC 4607 232/8 */
	c->ssm_prefix_len = 8;
}

/* RFC 3376 8.9 (RFC 2236 8.9) Last Member Query Count: default RV. */
unsigned
igmp_router_lmqc(const struct igmp_router_config *c)
{
	return c->last_member_query_count ? c->last_member_query_count :
					    c->robustness;
}

/* RFC 3376 8.7 (RFC 2236 8.7) Startup Query Count: default RV. */
unsigned
igmp_router_startup_query_count(const struct igmp_router_config *c)
{
	return c->startup_query_count ? c->startup_query_count : c->robustness;
}

/* RFC 3376 8.4 (RFC 2236 8.4) Group Membership Interval: RV * QI + QRI. */
uint32_t
igmp_group_membership_interval_ms(const struct igmp_router_config *c)
{
	return igmp_router_sat32((uint64_t)c->robustness *
		c->query_interval_ms +
	    c->query_response_interval_ms);
}

/* RFC 3376 8.5 (RFC 2236 8.5) Other Querier Present: RV * QI + QRI / 2. */
uint32_t
igmp_other_querier_present_interval_ms(const struct igmp_router_config *c)
{
	return igmp_router_sat32((uint64_t)c->robustness *
		c->query_interval_ms +
	    c->query_response_interval_ms / 2);
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
		c->query_interval_ms +
	    c->query_response_interval_ms);
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
		    c->query_response_interval_ms >
		UINT32_MAX ||
	    (uint64_t)c->last_member_query_interval_ms * igmp_router_lmqc(c) >
		UINT32_MAX)
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
/* Outputs and events                                                 */

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
struct igmp_router_ev *
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
void
igmp_router_ignore(struct igmp_router *r, enum igmp_router_ignored why,
    struct in_addr group)
{
	struct igmp_router_ev *ev;

	switch (why) {
	case IGMP_ROUTER_IGN_UNKNOWN_TYPE:
		break; /* counted in rx[IGMP_KIND_UNKNOWN] */
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

void
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
void
igmp_router_emit_view(struct igmp_router *r, struct in_addr group,
    const struct igmp_router_group *g)
{
	struct igmp_router_out *o;
	uint32_t i, n = 0;

	o = igmp_router_out_new(r,
	    g ? sizeof(struct in_addr) * g->nsources : 0);
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
/* Life cycle and the entry points                                    */

struct igmp_router *
igmp_router_new(const struct igmp_router_config *c, struct in_addr addr,
    uint8_t prefix_len, uint64_t rng_seed, mc_trace_fn trace, void *trace_arg)
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
	igmp_router_querier_use_configured(r);
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

static void
igmp_router_dispatch(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg)
{
	switch (msg->kind) {
	case IGMP_KIND_V1_QUERY:
	case IGMP_KIND_V2_QUERY:
	case IGMP_KIND_V3_QUERY:
		/* Accepted without Router Alert: real v2 queriers omit it. */
		igmp_router_querier_input(r, now, ip, msg);
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
		return; /* not ours */
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
		igmp_router_report_v12(r, now, ip, msg);
		break;
	case IGMP_KIND_V2_LEAVE:
		igmp_router_report_leave(r, now, ip, msg);
		break;
	default:
		igmp_router_report_v3(r, now, ip, msg);
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

/* Every timer due, in time order: the querier's first on a tie. */
void
igmp_router_timeout(struct igmp_router *r, mc_time_t now)
{
	mc_time_t g, q;

	for (;;) {
		g = heap_next(&r->timers);
		q = igmp_router_querier_deadline(r);
		if (q <= now && q <= g)
			igmp_router_querier_timeout(r, now);
		else if (g <= now)
			igmp_router_group_timeout(r,
			    heap_entry(heap_top(&r->timers),
				struct igmp_router_group, hp),
			    now);
		else
			break;
	}
}

mc_time_t
igmp_router_next_deadline(const struct igmp_router *r)
{
	return mc_time_min(igmp_router_querier_deadline(r),
	    heap_next(&r->timers));
}

int
igmp_router_reconfigure(struct igmp_router *r,
    const struct igmp_router_config *c)
{
	int error = igmp_router_config_check(c);

	if (error != 0)
		return error;
	r->cfg = *c;
	igmp_router_querier_use(r);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Views                                                              */

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

static void
igmp_router_view(const struct igmp_router *r, const struct igmp_router_group *g,
    struct igmp_router_group_view *v)
{
	v->group = g->addr;
	v->mode = g->mode;
	v->group_timer = g->mode == IGMP_FILTER_EXCLUDE ? g->timer : 0;
	/* Timers still set are running: the caller runs the timeouts. */
	v->compat_version = igmp_router_group_compat(r, g, 0);
	v->v1_host_timer = g->v1_host;
	v->v2_host_timer = g->v2_host;
	v->since = g->since;
	v->last_reporter = g->reporter;
	v->nsources = g->nsources;
	v->sources = g->src;
}

int
igmp_router_group(const struct igmp_router *r, struct in_addr group,
    struct igmp_router_group_view *view)
{
	const struct igmp_router_group *g = igmp_router_group_find(r, group);

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
		igmp_router_view(r,
		    heap_entry(heap_at(&r->timers, i), struct igmp_router_group,
			hp),
		    &v);
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
		bytes += sizeof(*g) +
		    (size_t)g->cap * (sizeof(*g->src) + sizeof(*g->src_rexmit));
	}
	return bytes;
}

const struct igmp_router_stats *
igmp_router_stats(const struct igmp_router *r)
{
	return &r->stats;
}
