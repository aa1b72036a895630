/*
 * The DVMRP route table seen from outside (dvmrp_rib.h): the reports it
 * sends, its outputs, the reverse-path lookup, the views for mcastctl and
 * tests, and the check of its invariants.
 */
#include <errno.h>
#include <string.h>

#include "dvmrp_rib_int.h"

const char *
dvmrp_rib_state_name(enum dvmrp_rib_state s)
{
	switch (s) {
	case DVMRP_RIB_UP:
		return "up";
	case DVMRP_RIB_HOLDDOWN:
		return "holddown";
	}
	return "?";
}

const char *
dvmrp_rib_output_kind_name(enum dvmrp_rib_output_kind k)
{
	switch (k) {
	case DVMRP_RIB_OUT_REPORT:
		return "report";
	case DVMRP_RIB_OUT_ROUTE_CHANGED:
		return "route-changed";
	case DVMRP_RIB_OUT_DEPENDENTS_CHANGED:
		return "dependents-changed";
	}
	return "?";
}

/* The routes of a report on vif into o (NULL: count them). */
static size_t
rib_report_fill(const struct dvmrp_rib *rib, unsigned vif, bool full,
    struct dvmrp_route *o)
{
	const struct rib_route *r;
	size_t i, n = 0;
	uint8_t m;

	for (i = 0; i < rib->nroutes; i++) {
		r = rib->routes[i];
		/* mrouted: never a connected subnet onto itself */
		if (r->gateway == 0 && r->vif == vif)
			continue;
		if (!full && !r->changed)
			continue;
		m = r->state == DVMRP_RIB_UP ? r->metric : DVMRP_INFINITY;
		/* Draft 3.4.5 poison reverse: to everyone on the upstream
		   VIF, as mrouted does on a LAN. */
		if (r->vif == vif && m < DVMRP_INFINITY)
			m += DVMRP_INFINITY;
		if (o != NULL) {
			o[n].origin = rib_in(r->origin);
			o[n].mask = rib_in(r->mask);
			o[n].metric = m;
		}
		n++;
	}
	return n;
}

void
dvmrp_rib_send_report(struct dvmrp_rib *rib, unsigned vif, bool full)
{
	struct rib_out *o;
	size_t n = rib_report_fill(rib, vif, full, NULL);

	if (n == 0 ||
	    (o = dvmrp_rib_push(rib, DVMRP_RIB_OUT_REPORT, vif, n)) == NULL)
		return;
	o->o.full = full;
	o->o.nroutes = rib_report_fill(rib, vif, full, o->routes);
	if (full)
		rib->stats.reports_out++;
	else
		rib->stats.triggered_out++;
	rib->stats.routes_out += n;
}

bool
dvmrp_rib_output(struct dvmrp_rib *rib, struct dvmrp_rib_output *out)
{
	struct rib_out *o = outq_take(&rib->outq);

	if (o == NULL)
		return false;
	*out = o->o;
	out->routes = o->o.kind == DVMRP_RIB_OUT_REPORT ? o->routes : NULL;
	return true;
}

int
dvmrp_rib_rpf(const struct dvmrp_rib *rib, struct in_addr source, unsigned *vif,
    struct in_addr *neighbor, struct in_addr *origin, struct in_addr *mask)
{
	uint32_t s = ntohl(source.s_addr), m;
	const struct rib_route *r;
	int plen;

	/* Longest prefix first: a binary search per length in use. */
	for (plen = 32; plen >= 0; plen--) {
		if (rib->plen_count[plen] == 0)
			continue;
		m = rib_plen_mask((unsigned)plen);
		if ((r = dvmrp_rib_find(rib, s & m, m)) == NULL ||
		    r->state != DVMRP_RIB_UP)
			continue;
		if (vif != NULL)
			*vif = r->vif;
		if (neighbor != NULL)
			*neighbor = rib_in(r->gateway);
		if (origin != NULL)
			*origin = rib_in(r->origin);
		if (mask != NULL)
			*mask = rib_in(r->mask);
		return 0;
	}
	return -ENOENT;
}

int
dvmrp_rib_rpf_vif(void *rib, struct in_addr source)
{
	unsigned vif;

	if (dvmrp_rib_rpf(rib, source, &vif, NULL, NULL, NULL) != 0)
		return -1;
	return (int)vif;
}

uint32_t
dvmrp_rib_downstream(const struct dvmrp_rib *rib, struct in_addr source,
    struct in_addr *origin, struct in_addr *mask)
{
	const struct rib_route *r = NULL;
	uint32_t s = ntohl(source.s_addr), m, with_deps = 0;
	uint64_t deps;
	int plen;

	for (plen = 32; plen >= 0 && r == NULL; plen--) {
		if (rib->plen_count[plen] == 0)
			continue;
		m = rib_plen_mask((unsigned)plen);
		r = dvmrp_rib_find(rib, s & m, m);
		if (r != NULL && r->state != DVMRP_RIB_UP)
			r = NULL;
	}
	if (r == NULL)
		return 0;
	if (origin != NULL)
		*origin = rib_in(r->origin);
	if (mask != NULL)
		*mask = rib_in(r->mask);
	for (deps = r->deps; deps != 0; deps &= deps - 1)
		with_deps |= 1u << rib->nbrs[__builtin_ctzll(deps)].vif;
	return r->children & with_deps;
}

size_t
dvmrp_rib_route_count(const struct dvmrp_rib *rib)
{
	return rib->nroutes;
}

static void
rib_view(const struct dvmrp_rib *rib, const struct rib_route *r,
    struct dvmrp_rib_route_view *v)
{
	const struct rib_nbr *n;
	struct dvmrp_rib_dependent d;
	unsigned i, j;

	memset(v, 0, sizeof(*v));
	v->origin = rib_in(r->origin);
	v->mask = rib_in(r->mask);
	v->state = r->state;
	v->vif = r->vif;
	v->neighbor = rib_in(r->gateway);
	v->metric = r->metric;
	v->children = r->children;
	if (r->state == DVMRP_RIB_HOLDDOWN)
		v->expires = r->hold_until;
	else if (r->gateway == 0)
		v->expires = MC_TIME_NEVER;
	else
		for (i = 0; i < r->ncands; i++)
			if (rib->nbrs[r->cands[i].slot].addr == r->gateway &&
			    rib->nbrs[r->cands[i].slot].vif == r->vif)
				v->expires = r->cands[i].heard +
				    rib->c.route_expire_ms;
	for (i = 0; i < DVMRP_RIB_MAX_NEIGHBORS; i++) {
		if (!(r->deps & (1ull << i)))
			continue;
		n = &rib->nbrs[i];
		d.vif = n->vif;
		d.addr = rib_in(n->addr);
		/* insertion by (vif, address) */
		for (j = v->ndependents; j > 0 &&
		     (v->dependents[j - 1].vif > d.vif ||
			 (v->dependents[j - 1].vif == d.vif &&
			     ntohl(v->dependents[j - 1].addr.s_addr) >
				 n->addr));
		     j--)
			v->dependents[j] = v->dependents[j - 1];
		v->dependents[j] = d;
		v->ndependents++;
	}
}

bool
dvmrp_rib_route_at(const struct dvmrp_rib *rib, size_t i,
    struct dvmrp_rib_route_view *v)
{
	if (i >= rib->nroutes)
		return false;
	rib_view(rib, rib->routes[i], v);
	return true;
}

bool
dvmrp_rib_route_find(const struct dvmrp_rib *rib, struct in_addr origin,
    struct in_addr mask, struct dvmrp_rib_route_view *v)
{
	const struct rib_route *r = dvmrp_rib_find(rib, ntohl(origin.s_addr),
	    ntohl(mask.s_addr));

	if (r == NULL)
		return false;
	rib_view(rib, r, v);
	return true;
}

void
dvmrp_rib_stats(const struct dvmrp_rib *rib, struct dvmrp_rib_stats *s)
{
	*s = rib->stats;
}

/* What is wrong with learned route r, or NULL. */
static const char *
rib_check_learned(const struct dvmrp_rib *rib, const struct rib_route *r)
{
	const struct rib_cand *c;
	const struct rib_nbr *n;
	bool from_gateway = false;
	unsigned i, m;

	if (r->vif >= DVMRP_RIB_MAX_VIFS || !rib->vifs[r->vif].up)
		return "a route through a VIF that is down";
	for (i = 0; i < r->ncands; i++) {
		c = &r->cands[i];
		n = &rib->nbrs[c->slot];
		if (c->adv >= DVMRP_INFINITY)
			continue;
		m = c->adv + rib->vifs[n->vif].cfg.metric;
		if (m >= DVMRP_INFINITY)
			continue;
		if (n->vif == r->vif && n->addr == r->gateway) {
			from_gateway = m == r->metric;
			continue;
		}
		if ((r->fd == 0xff || c->adv < r->fd) &&
		    (m < r->metric || (m == r->metric && n->addr < r->gateway)))
			return "a better feasible route not taken";
	}
	return from_gateway ? NULL : "a route its neighbour does not advertise";
}

/* What is wrong with route r, or NULL. */
static const char *
rib_check_route(const struct dvmrp_rib *rib, const struct rib_route *r)
{
	uint64_t poisoners = 0, seen = 0;
	const struct rib_cand *c;
	const struct rib_vif *v;
	unsigned i;

	if (r->mask != rib_plen_mask(r->plen) || (r->origin & ~r->mask) != 0)
		return "an origin that does not fit its mask";
	if (!heap_contains(&r->timer))
		return "a route without its timer";
	if (r->ncands > DVMRP_RIB_MAX_NEIGHBORS)
		return "more candidates than neighbours";
	for (i = 0; i < r->ncands; i++) {
		c = &r->cands[i];
		if (c->slot >= DVMRP_RIB_MAX_NEIGHBORS ||
		    !rib->nbrs[c->slot].used)
			return "a candidate from a neighbour that is down";
		if (seen & (1ull << c->slot))
			return "two candidates from one neighbour";
		seen |= 1ull << c->slot;
		if (c->adv > DVMRP_INFINITY)
			poisoners |= 1ull << c->slot;
	}
	if ((r->deps & ~poisoners) != 0)
		return "a dependent that does not poison";
	if (r->state == DVMRP_RIB_HOLDDOWN)
		return r->metric != DVMRP_INFINITY || r->children || r->deps ?
		    "a route in hold-down that forwards" :
		    NULL;
	if (r->metric == 0 || r->metric >= DVMRP_INFINITY)
		return "a reachable route at infinity";
	if (r->children & (1u << r->vif))
		return "a route forwarding onto its upstream VIF";
	if (r->gateway != 0)
		return rib_check_learned(rib, r);
	v = &rib->vifs[r->vif];
	if (!v->up || ntohl(v->cfg.subnet.s_addr) != r->origin ||
	    v->cfg.prefix_len != r->plen)
		return "a connected route without its VIF";
	return NULL;
}

const char *
dvmrp_rib_check(const struct dvmrp_rib *rib)
{
	const struct rib_route *r, *prev = NULL;
	const char *why;
	size_t i, counted = 0;

	for (i = 0; i < 33; i++)
		counted += rib->plen_count[i];
	if (counted != rib->nroutes)
		return "prefix lengths miscounted";
	if (rib->c.max_routes &&
	    rib->nroutes > (size_t)rib->c.max_routes + DVMRP_RIB_MAX_VIFS)
		return "more routes than the limit";
	if (heap_len(&rib->timers) != rib->nroutes)
		return "timers and routes differ";
	for (i = 0; i < rib->nroutes; i++, prev = r) {
		r = rib->routes[i];
		if (prev != NULL &&
		    (prev->mask > r->mask ||
			(prev->mask == r->mask && prev->origin >= r->origin)))
			return "routes out of order";
		if ((why = rib_check_route(rib, r)) != NULL)
			return why;
	}
	return NULL;
}
