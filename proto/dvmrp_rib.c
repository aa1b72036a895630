/*
 * The DVMRP route table engine (dvmrp_rib.h): its timers and route choice
 * (its inputs: dvmrp_rib_rx.c).  Each route keeps what every neighbour
 * last advertised for it; its choice is recomputed from those candidates
 * whenever one changes or times out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "dvmrp_rib_int.h"
#include "trace.h"

void
dvmrp_rib_config_defaults(struct dvmrp_rib_config *c)
{
	memset(c, 0, sizeof(*c));
	c->report_interval_ms = 60000;
	c->flash_interval_ms = 5000;
	c->route_expire_ms = 140000;
	c->holddown_ms = 0;
	c->max_routes = 10000;
}

int
dvmrp_rib_config_check(const struct dvmrp_rib_config *c)
{
	if (c->report_interval_ms == 0 || c->flash_interval_ms == 0 ||
	    c->route_expire_ms <= c->report_interval_ms)
		return -EINVAL;
	return 0;
}

/* Draft 3.4.6: Route Hold-down = 2 x Route Report Interval. */
uint32_t
dvmrp_rib_holddown_ms(const struct dvmrp_rib_config *c)
{
	return c->holddown_ms ? c->holddown_ms : 2 * c->report_interval_ms;
}

/* "198.18.1.0/24" into buf (24 bytes). */
const char *
rib_net(uint32_t origin, uint8_t plen, char *buf)
{
	char a[16];

	trace_addr(rib_in(origin), a);
	snprintf(buf, 24, "%s/%u", a, plen);
	return buf;
}

struct dvmrp_rib *
dvmrp_rib_new(const struct dvmrp_rib_config *c, mc_trace_fn trace,
    void *trace_arg)
{
	struct dvmrp_rib *rib;

	if (dvmrp_rib_config_check(c) != 0 ||
	    (rib = calloc(1, sizeof(*rib))) == NULL)
		return NULL;
	rib->c = *c;
	rib->trace.fn = trace;
	rib->trace.arg = trace_arg;
	outq_init(&rib->outq);
	heap_init(&rib->timers);
	rib->next_full = MC_TIME_NEVER;
	rib->flash_at = MC_TIME_NEVER;
	rib->last_flash = INT64_MIN / 2;
	rib->full_due_at = MC_TIME_NEVER;
	return rib;
}

static void
rib_route_free(struct rib_route *r)
{
	free(r->cands);
	free(r);
}

void
dvmrp_rib_free(struct dvmrp_rib *rib)
{
	size_t i;

	if (rib == NULL)
		return;
	for (i = 0; i < rib->nroutes; i++)
		rib_route_free(rib->routes[i]);
	free(rib->routes);
	heap_fini(&rib->timers);
	outq_fini(&rib->outq);
	free(rib);
}

void
dvmrp_rib_start(struct dvmrp_rib *rib, mc_time_t now)
{
	rib->next_full = now + rib->c.report_interval_ms;
}

int
dvmrp_rib_reconfigure(struct dvmrp_rib *rib, mc_time_t now,
    const struct dvmrp_rib_config *c)
{
	if (dvmrp_rib_config_check(c) != 0)
		return -EINVAL;
	rib->c = *c;
	if (rib->next_full != MC_TIME_NEVER &&
	    rib->next_full > now + c->report_interval_ms)
		rib->next_full = now + c->report_interval_ms;
	return 0;
}

/* The table's order: mask, then origin (host order), as reports go. */
static int
rib_cmp(uint32_t mask_a, uint32_t origin_a, uint32_t mask_b, uint32_t origin_b)
{
	if (mask_a != mask_b)
		return mask_a < mask_b ? -1 : 1;
	if (origin_a != origin_b)
		return origin_a < origin_b ? -1 : 1;
	return 0;
}

/* The index of (origin, mask), or where it would go (*found false). */
static size_t
rib_search(const struct dvmrp_rib *rib, uint32_t origin, uint32_t mask,
    bool *found)
{
	size_t lo = 0, hi = rib->nroutes, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = rib_cmp(rib->routes[mid]->mask, rib->routes[mid]->origin,
		    mask, origin);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

struct rib_route *
dvmrp_rib_find(const struct dvmrp_rib *rib, uint32_t origin, uint32_t mask)
{
	bool found;
	size_t i = rib_search(rib, origin, mask, &found);

	return found ? rib->routes[i] : NULL;
}

/* A new route, in hold-down that ends now (so that it is chosen or
   dropped by its first update), or NULL (memory). */
struct rib_route *
rib_insert(struct dvmrp_rib *rib, mc_time_t now, uint32_t origin, uint32_t mask,
    uint8_t plen)
{
	struct rib_route *r, **v;
	bool found;
	size_t i, cap;

	if (rib->nroutes == rib->caproutes) {
		cap = rib->caproutes ? 2 * rib->caproutes : 16;
		if ((v = realloc(rib->routes, cap * sizeof(*v))) == NULL)
			return NULL;
		rib->routes = v;
		rib->caproutes = cap;
	}
	if (heap_reserve(&rib->timers, 1) != 0 ||
	    (r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->origin = origin;
	r->mask = mask;
	r->plen = plen;
	r->state = DVMRP_RIB_HOLDDOWN;
	r->metric = DVMRP_INFINITY;
	r->fd = FD_NONE;
	r->hold_until = now;
	heap_node_init(&r->timer);
	i = rib_search(rib, origin, mask, &found);
	memmove(&rib->routes[i + 1], &rib->routes[i],
	    (rib->nroutes - i) * sizeof(*rib->routes));
	rib->routes[i] = r;
	rib->nroutes++;
	rib->plen_count[plen]++;
	return r;
}

static void
rib_remove(struct dvmrp_rib *rib, struct rib_route *r)
{
	bool found;
	size_t i = rib_search(rib, r->origin, r->mask, &found);

	if (found) {
		memmove(&rib->routes[i], &rib->routes[i + 1],
		    (rib->nroutes - i - 1) * sizeof(*rib->routes));
		rib->nroutes--;
	}
	rib->plen_count[r->plen]--;
	heap_remove(&rib->timers, &r->timer);
	rib_route_free(r);
}

struct rib_out *
dvmrp_rib_push(struct dvmrp_rib *rib, enum dvmrp_rib_output_kind kind,
    unsigned vif, size_t nroutes)
{
	struct rib_out *o;

	o = outq_push(&rib->outq,
	    sizeof(*o) + nroutes * sizeof(struct dvmrp_route));
	if (o != NULL) {
		o->o.kind = kind;
		o->o.vif = vif;
	}
	return o;
}

/* A connected origin: the VIF (lowest metric, then index) whose subnet
   it is, or -1. */
static int
rib_connected_vif(const struct dvmrp_rib *rib, const struct rib_route *r)
{
	const struct rib_vif *v;
	int best = -1;
	unsigned i;

	for (i = 0; i < DVMRP_RIB_MAX_VIFS; i++) {
		v = &rib->vifs[i];
		if (!v->up || v->cfg.prefix_len != r->plen ||
		    ntohl(v->cfg.subnet.s_addr) != r->origin ||
		    v->cfg.prefix_len == 32)
			continue;
		if (best < 0 || v->cfg.metric < rib->vifs[best].cfg.metric)
			best = (int)i;
	}
	return best;
}

/* A candidate's metric through its VIF, capped at infinity. */
static uint8_t
rib_cand_metric(const struct dvmrp_rib *rib, const struct rib_cand *c)
{
	unsigned m;

	if (c->adv >= DVMRP_INFINITY)
		return DVMRP_INFINITY;
	m = c->adv + rib->vifs[rib->nbrs[c->slot].vif].cfg.metric;
	return m > DVMRP_INFINITY ? DVMRP_INFINITY : (uint8_t)m;
}

/*
 * Draft 3.4.4: the best route is the lowest metric, ties to the lowest
 * neighbour address; only among the feasible (advertised below the
 * route's feasible distance).  -1 when none; *refused when a reachable
 * one was left out for feasibility.
 */
static int
rib_best(const struct dvmrp_rib *rib, const struct rib_route *r, bool *refused)
{
	const struct rib_cand *c, *b = NULL;
	uint8_t m, bm = DVMRP_INFINITY;
	int best = -1;
	unsigned i;

	for (i = 0; i < r->ncands; i++) {
		c = &r->cands[i];
		m = rib_cand_metric(rib, c);
		if (m >= DVMRP_INFINITY)
			continue;
		if (r->fd != FD_NONE && c->adv >= r->fd) {
			*refused = true;
			continue;
		}
		if (b == NULL || m < bm ||
		    (m == bm &&
			rib->nbrs[c->slot].addr < rib->nbrs[b->slot].addr)) {
			b = c;
			bm = m;
			best = (int)i;
		}
	}
	return best;
}

/*
 * Draft 3.4.5 designated forwarder: on a VIF other than the upstream one
 * we forward unless a neighbour there advertises a lower metric, or the
 * same metric from a lower address (mrouted compares the neighbour's
 * metric as sent to ours).  Its dependents: the neighbours there that
 * poison the route back to us.
 */
static void
rib_children(const struct dvmrp_rib *rib, const struct rib_route *r,
    uint32_t *children, uint64_t *deps)
{
	const struct rib_cand *c;
	const struct rib_nbr *n;
	uint32_t local;
	unsigned v, i;

	*children = 0;
	*deps = 0;
	if (r->state != DVMRP_RIB_UP)
		return;
	for (v = 0; v < DVMRP_RIB_MAX_VIFS; v++)
		if (rib->vifs[v].up && v != r->vif)
			*children |= 1u << v;
	for (i = 0; i < r->ncands; i++) {
		c = &r->cands[i];
		n = &rib->nbrs[c->slot];
		v = n->vif;
		if (!(*children & (1u << v)))
			continue;
		local = ntohl(rib->vifs[v].cfg.local.s_addr);
		if (c->adv < r->metric ||
		    (c->adv == r->metric && n->addr < local))
			*children &= ~(1u << v);
	}
	for (i = 0; i < r->ncands; i++) {
		c = &r->cands[i];
		n = &rib->nbrs[c->slot];
		if (c->adv > DVMRP_INFINITY && (*children & (1u << n->vif)))
			*deps |= 1ull << c->slot;
	}
}

static void
rib_cands_expire(struct dvmrp_rib *rib, struct rib_route *r, mc_time_t now)
{
	unsigned i = 0;

	while (i < r->ncands) {
		if (r->cands[i].heard + rib->c.route_expire_ms <= now)
			r->cands[i] = r->cands[--r->ncands];
		else
			i++;
	}
}

static mc_time_t
rib_route_deadline(const struct dvmrp_rib *rib, const struct rib_route *r)
{
	mc_time_t at = MC_TIME_NEVER;
	unsigned i;

	if (r->state == DVMRP_RIB_HOLDDOWN)
		at = r->hold_until;
	for (i = 0; i < r->ncands; i++)
		at = mc_time_min(at,
		    r->cands[i].heard + rib->c.route_expire_ms);
	return at;
}

static void
rib_flash(struct dvmrp_rib *rib, mc_time_t now)
{
	mc_time_t at = rib->last_flash + rib->c.flash_interval_ms;

	if (rib->flash_at == MC_TIME_NEVER)
		rib->flash_at = at > now ? at : now;
}

static void
rib_emit_route(struct dvmrp_rib *rib, const struct rib_route *r)
{
	struct rib_out *o = dvmrp_rib_push(rib, DVMRP_RIB_OUT_ROUTE_CHANGED,
	    r->vif, 0);

	if (o == NULL)
		return;
	o->o.origin = rib_in(r->origin);
	o->o.mask = rib_in(r->mask);
	o->o.reachable = r->state == DVMRP_RIB_UP;
	o->o.neighbor = rib_in(o->o.reachable ? r->gateway : 0);
	o->o.metric = r->metric;
}

static unsigned
rib_popcount(uint64_t x)
{
	return (unsigned)__builtin_popcountll(x);
}

static void
rib_emit_children(struct dvmrp_rib *rib, const struct rib_route *r,
    uint32_t old_children, uint64_t old_deps)
{
	struct rib_out *o;
	uint64_t on;
	unsigned v;

	for (v = 0; v < DVMRP_RIB_MAX_VIFS; v++) {
		on = rib->vifs[v].slots;
		if (((old_children ^ r->children) & (1u << v)) == 0 &&
		    ((old_deps ^ r->deps) & on) == 0)
			continue;
		if ((o = dvmrp_rib_push(rib, DVMRP_RIB_OUT_DEPENDENTS_CHANGED,
			 v, 0)) == NULL)
			continue;
		o->o.origin = rib_in(r->origin);
		o->o.mask = rib_in(r->mask);
		o->o.child = (r->children & (1u << v)) != 0;
		o->o.ndependents = rib_popcount(r->deps & on);
	}
}

static void
rib_trace_route(struct dvmrp_rib *rib, const struct rib_route *r,
    const char *old)
{
	char net[24], gw[16];

	if (rib->trace.fn == NULL)
		return;
	rib_net(r->origin, r->plen, net);
	if (r->state == DVMRP_RIB_UP)
		trace(&rib->trace, "%s: %s -> up via %s on vif %u metric %u",
		    net, old,
		    r->gateway ? trace_addr(rib_in(r->gateway), gw) :
				 "connected",
		    r->vif, r->metric);
	else
		trace(&rib->trace, "%s: %s -> holddown", net, old);
}

/*
 * Choose the route of r again from its candidates at now (draft 3.4.4 -
 * 3.4.7): connected first, then the best feasible neighbour; none left:
 * hold-down; hold-down over: any neighbour, else removed.  Emits what
 * changed.  false when r was removed.
 */
bool
rib_update(struct dvmrp_rib *rib, struct rib_route *r, mc_time_t now)
{
	enum dvmrp_rib_state old_state = r->state;
	uint32_t old_gw = r->gateway, old_children = r->children;
	uint64_t old_deps = r->deps;
	unsigned old_vif = r->vif;
	uint8_t old_metric = r->metric;
	bool refused = false,
	     fresh = r->fd == FD_NONE && r->state == DVMRP_RIB_HOLDDOWN;
	char net[24];
	int vif, best;

	rib_cands_expire(rib, r, now);
	if (r->state == DVMRP_RIB_HOLDDOWN && now >= r->hold_until)
		r->fd = FD_NONE;
	if ((vif = rib_connected_vif(rib, r)) >= 0) {
		r->state = DVMRP_RIB_UP;
		r->vif = (unsigned)vif;
		r->gateway = 0;
		r->metric = rib->vifs[vif].cfg.metric;
	} else if ((best = rib_best(rib, r, &refused)) >= 0) {
		r->state = DVMRP_RIB_UP;
		r->vif = rib->nbrs[r->cands[best].slot].vif;
		r->gateway = rib->nbrs[r->cands[best].slot].addr;
		r->metric = rib_cand_metric(rib, &r->cands[best]);
	} else if (r->state == DVMRP_RIB_UP) {
		r->state = DVMRP_RIB_HOLDDOWN;
		r->metric = DVMRP_INFINITY;
		r->hold_until = now + dvmrp_rib_holddown_ms(&rib->c);
		rib->stats.holddowns++;
		if (refused)
			rib->stats.unfeasible++;
	} else if (now >= r->hold_until) {
		if (!fresh) {
			rib->stats.routes_removed++;
			trace(&rib->trace, "%s: holddown -> removed",
			    rib_net(r->origin, r->plen, net));
		}
		rib_remove(rib, r);
		return false;
	}
	if (r->state == DVMRP_RIB_UP && (r->fd == FD_NONE || r->metric < r->fd))
		r->fd = r->metric;
	rib_children(rib, r, &r->children, &r->deps);
	if (r->state != old_state || r->metric != old_metric ||
	    (r->state == DVMRP_RIB_UP &&
		(r->vif != old_vif || r->gateway != old_gw))) {
		r->changed = true;
		rib_flash(rib, now);
		rib_trace_route(rib, r,
		    fresh ? "new" : dvmrp_rib_state_name(old_state));
		rib_emit_route(rib, r);
	}
	if (old_state == DVMRP_RIB_UP && r->state == DVMRP_RIB_UP && !fresh)
		rib_emit_children(rib, r, old_children, old_deps);
	heap_update(&rib->timers, &r->timer, rib_route_deadline(rib, r));
	if (!heap_contains(&r->timer))
		heap_push(&rib->timers, &r->timer);
	return true;
}

/* Every route again (a VIF or neighbour came or went). */
void
rib_update_all(struct dvmrp_rib *rib, mc_time_t now)
{
	size_t i = 0;

	while (i < rib->nroutes)
		if (rib_update(rib, rib->routes[i], now))
			i++;
}

static void
rib_changed_clear(struct dvmrp_rib *rib)
{
	size_t i;

	for (i = 0; i < rib->nroutes; i++)
		rib->routes[i]->changed = false;
}

void
dvmrp_rib_timeout(struct dvmrp_rib *rib, mc_time_t now)
{
	struct heap_node *top;
	uint32_t sent = 0; /* VIFs that had the whole table now */
	unsigned v;

	while ((top = heap_top(&rib->timers)) != NULL && top->at <= now)
		rib_update(rib, heap_entry(top, struct rib_route, timer), now);
	if (now >= rib->next_full) {
		/* Draft 3.4.3: every Route Report Interval, all routes. */
		for (v = 0; v < DVMRP_RIB_MAX_VIFS; v++) {
			if (rib->vifs[v].up && rib->vifs[v].slots != 0)
				dvmrp_rib_send_report(rib, v, true);
			rib->vifs[v].full_due = false;
			sent |= 1u << v;
		}
		rib_changed_clear(rib);
		rib->flash_at = MC_TIME_NEVER;
		rib->next_full += rib->c.report_interval_ms;
		if (rib->next_full <= now)
			rib->next_full = now + rib->c.report_interval_ms;
	}
	if (now >= rib->full_due_at)
		rib->full_due_at = MC_TIME_NEVER;
	for (v = 0; v < DVMRP_RIB_MAX_VIFS; v++)
		if (rib->vifs[v].full_due) {
			/* A new neighbour hears the whole table now. */
			rib->vifs[v].full_due = false;
			dvmrp_rib_send_report(rib, v, true);
			sent |= 1u << v;
		}
	if (now >= rib->flash_at) {
		/* Draft 3.4.3: triggered updates, at most one per
		   Minimum Flash Update Interval. */
		for (v = 0; v < DVMRP_RIB_MAX_VIFS; v++)
			if (rib->vifs[v].up && rib->vifs[v].slots != 0 &&
			    !(sent & (1u << v)))
				dvmrp_rib_send_report(rib, v, false);
		rib_changed_clear(rib);
		rib->last_flash = now;
		rib->flash_at = MC_TIME_NEVER;
	}
}

mc_time_t
dvmrp_rib_next_deadline(const struct dvmrp_rib *rib)
{
	mc_time_t at = mc_time_min(heap_next(&rib->timers), rib->next_full);

	at = mc_time_min(at, rib->flash_at);
	return mc_time_min(at, rib->full_due_at);
}
