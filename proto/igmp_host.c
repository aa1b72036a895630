/* The IGMP host engine: groups, timers, queries heard, the API (see .h). */
/*
 * The host side of IGMP v1/v2/v3 for one interface (see igmp_host.h); its
 * files are listed in igmp_host_int.h.
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
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igmp_host_int.h"
#include "srcset.h"

/* Addresses */

static bool
igmp_host_is_multicast(struct in_addr a)
{
	return (igmp_host_haddr(a) & 0xf0000000u) == 0xe0000000u;
}

/* Groups */

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
int
igmp_host_group_store(struct igmp_host_group *g, const struct in_addr *src,
    uint32_t nsrc, const struct in_addr *query, uint32_t nquery,
    const struct in_addr *allow, uint32_t nallow, const struct in_addr *block,
    uint32_t nblock)
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
void
igmp_host_group_drop_changes(struct igmp_host_group *g)
{
	g->nallow = g->nblock = 0;
	g->flags &= ~IGMP_HOST_F_MODE_CHANGE;
}

/* Forget the queried sources. */
void
igmp_host_group_drop_query(struct igmp_host_group *g)
{
	if (g->nquery == 0)
		return;
	memmove(igmp_host_grp_query(g), igmp_host_grp_allow(g),
	    ((size_t)g->nallow + g->nblock) * sizeof(*g->src));
	g->nquery = 0;
}

/* Binary search: the group's index, or where it would go. */
uint32_t
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

struct igmp_host_group *
igmp_host_lookup(const struct igmp_host *h, struct in_addr group)
{
	bool found;
	uint32_t i = igmp_host_find(h, group, &found);

	return found ? &h->groups[i] : NULL;
}

/* A new group INCLUDE {} at index i; NULL on ENOMEM. */
struct igmp_host_group *
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

void
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
void
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
uint32_t
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
igmp_host_older_querier_present_ms(const struct igmp_host *h, uint32_t qri_ms)
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
uint32_t
igmp_host_delay(struct igmp_host *h, uint32_t max_ms)
{
	if (max_ms == 0)
		return 0;
	return 1 + (uint32_t)mc_rng_below(&h->rng, max_ms);
}

static void
igmp_host_update_deadline(struct igmp_host *h)
{
	mc_time_t d;
	uint32_t i;

	d = mc_time_min(h->general_at, h->change_at);
	d = mc_time_min(d, mc_time_min(h->v1_until, h->v2_until));
	for (i = 0; i < h->ngroups; i++)
		d = mc_time_min(d, h->groups[i].report_at);
	h->deadline = d;
}

/* Output queue */

void
igmp_host_enqueue(struct igmp_host *h, struct in_addr dst, const uint8_t *data,
    size_t len)
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
		g->nquery = 0; /* allow and block are gone already */
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

/* Queries */

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
		h->stats.rx_ignored++; /* Linux drops it too */
		return;
	}

	switch (msg->kind) {
	case IGMP_KIND_V1_QUERY:
		h->v1_until = now + igmp_host_v1_router_present_ms(h);
		break;
	case IGMP_KIND_V2_QUERY:
		h->v2_until = now +
		    igmp_host_older_querier_present_ms(h,
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
igmp_host_set_filter(struct igmp_host *h, mc_time_t now, struct in_addr group,
    enum igmp_filter_mode mode, const struct in_addr *sources,
    uint32_t nsources)
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
		igmp_host_v12_heard_report(h, now, ip, msg);
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
	igmp_host_expire(h, now);
	if (h->version == 3)
		igmp_host_v3_timeout(h, now);
	else
		igmp_host_v12_timeout(h, now);
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
		at = mc_time_min(at, h->change_at);
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
