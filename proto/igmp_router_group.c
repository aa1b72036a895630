/* The IGMP router's groups: table, timers, transitions, expiry. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "igmp_router_int.h"

/* ------------------------------------------------------------------ */
/* Group table and timers                                             */

/* Recompute a group's deadline and move it in the heap. */
static void
igmp_router_group_reschedule(struct igmp_router *r, struct igmp_router_group *g)
{
	mc_time_t d = MC_TIME_NEVER;
	uint32_t i;

	if (g->mode == IGMP_FILTER_EXCLUDE && g->timer != 0)
		d = g->timer;
	if (g->v1_host != 0)
		d = mc_time_min(d, g->v1_host);
	if (g->v2_host != 0)
		d = mc_time_min(d, g->v2_host);
	if (g->rexmit_at != 0)
		d = mc_time_min(d, g->rexmit_at);
	for (i = 0; i < g->nsources; i++)
		if (g->src[i].timer != 0)
			d = mc_time_min(d, g->src[i].timer);
	heap_update(&r->timers, &g->hp, d);
}

/*
 * A new group, INCLUDE {}, in the table and the heap; NULL at max_groups
 * (an event) or out of memory (counted).
 */
struct igmp_router_group *
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

void
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

/* ------------------------------------------------------------------ */
/* Transitions: what changed, traced and reported once per input     */

/* "EXCLUDE X {a,b} Y {c}" into buf, a few addresses per set. */
static void
igmp_router_group_describe(const struct igmp_router_group *g, char *buf,
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
				set == 0		   ? "X " :
							     "Y ");
		shown = total = 0;
		for (i = 0; i < g->nsources; i++) {
			if (g->mode == IGMP_FILTER_EXCLUDE &&
			    (g->src[i].timer == 0) != (set == 1))
				continue;
			total++;
			if (shown == TRACE_SET_MAX || len >= size)
				continue;
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			    shown ? "," : "", trace_addr(g->src[i].source, a));
			shown++;
		}
		if (total > shown && len < size)
			len += (size_t)snprintf(buf + len, size - len, ",+%u",
			    total - shown);
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "}");
	}
}

/* The start of an input for a group: what it was, to see what changes. */
void
igmp_router_group_begin(struct igmp_router *r, struct igmp_router_txn *t,
    struct igmp_router_group *g)
{
	t->g = g;
	t->mode = g->mode;
	t->view_changed = false;
	t->state_changed = false;
	t->compat = igmp_router_group_compat(r, g, 0);
	t->before[0] = '\0';
	if (r->trace.fn != NULL)
		igmp_router_group_describe(g, t->before, sizeof(t->before));
}

/*
 * The end of an input for a group: an INCLUDE group without sources is
 * deleted (6.3, 6.5), a changed forwarding view is reported, a changed
 * state is traced, the group moves in the heap.
 */
void
igmp_router_group_end(struct igmp_router *r, struct igmp_router_txn *t,
    const char *why)
{
	struct igmp_router_group *g = t->g;
	struct in_addr addr = g->addr;
	char a[INET_ADDRSTRLEN], after[TRACE_LINE_MAX / 2];
	unsigned compat = igmp_router_group_compat(r, g, 0);

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
		igmp_router_group_describe(g, after, sizeof(after));
		trace(&r->trace, "%s: %s -> %s on %s", trace_addr(addr, a),
		    t->before[0] ? t->before : "new", after, why);
	}
	if (t->view_changed)
		igmp_router_emit_view(r, addr, g);
	igmp_router_group_reschedule(r, g);
}

/* ------------------------------------------------------------------ */
/* Timers: expiry, and the querier's queries heard                    */

/* Everything due in one group: 6.3 sources, 6.5 group, 7.3.2, 6.6.3. */
void
igmp_router_group_timeout(struct igmp_router *r, struct igmp_router_group *g,
    mc_time_t now)
{
	struct igmp_router_txn t;
	const char *why = "source timer expiry";
	uint32_t i, n = 0;

	igmp_router_group_begin(r, &t, g);
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
		igmp_router_querier_specific(r, g, now);
	igmp_router_group_end(r, &t, why);
}

/*
 * RFC 3376 6.6.1 / RFC 2236 3: a group(-and-source)-specific query without
 * S lowers the group's (or the listed sources') timers to LMQC x its Max
 * Resp Time.
 */
void
igmp_router_group_lower_timers(struct igmp_router *r, mc_time_t now,
    const struct igmp_msg *msg)
{
	struct igmp_router_group *g;
	struct in_addr s;
	mc_time_t lmqt;
	uint32_t i, k;

	if (msg->group.s_addr == INADDR_ANY || msg->max_resp_tenths == 0 ||
	    (msg->kind == IGMP_KIND_V3_QUERY && msg->suppress))
		return;
	g = igmp_router_group_find(r, msg->group);
	if (g == NULL)
		return;
	lmqt = now +
	    (mc_time_t)msg->max_resp_tenths * 100 * igmp_router_lmqc(&r->cur);
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
