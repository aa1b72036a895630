/*
 * The DVMRP route table engine's inputs from the network (dvmrp_rib.h):
 * VIFs and neighbours that come and go, and the route reports they send.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dvmrp_rib_int.h"

static void
rib_cand_drop(struct rib_route *r, unsigned slot)
{
	unsigned i;

	for (i = 0; i < r->ncands; i++)
		if (r->cands[i].slot == slot) {
			r->cands[i] = r->cands[--r->ncands];
			return;
		}
}

static int
rib_nbr_find(const struct dvmrp_rib *rib, unsigned vif, uint32_t addr)
{
	unsigned i;

	for (i = 0; i < DVMRP_RIB_MAX_NEIGHBORS; i++)
		if (rib->nbrs[i].used && rib->nbrs[i].vif == vif &&
		    rib->nbrs[i].addr == addr)
			return (int)i;
	return -1;
}

int
dvmrp_rib_vif_add(struct dvmrp_rib *rib, mc_time_t now, unsigned vif,
    const struct dvmrp_rib_vif *v)
{
	uint32_t subnet = ntohl(v->subnet.s_addr);

	if (vif >= DVMRP_RIB_MAX_VIFS || v->metric == 0 ||
	    v->metric >= DVMRP_INFINITY || v->prefix_len > 32 ||
	    (subnet & ~rib_plen_mask(v->prefix_len)) != 0)
		return -EINVAL;
	if (v->prefix_len < 32 &&
	    dvmrp_rib_find(rib, subnet, rib_plen_mask(v->prefix_len)) == NULL &&
	    rib_insert(rib, now, subnet, rib_plen_mask(v->prefix_len),
		v->prefix_len) == NULL)
		return -ENOMEM;
	rib->vifs[vif].up = true;
	rib->vifs[vif].cfg = *v;
	rib_update_all(rib, now);
	return 0;
}

static void
rib_nbr_remove(struct dvmrp_rib *rib, mc_time_t now, unsigned slot)
{
	struct rib_nbr *n = &rib->nbrs[slot];
	size_t i;
	char a[16];

	trace(&rib->trace, "neighbor %s on vif %u: down",
	    trace_addr(rib_in(n->addr), a), n->vif);
	for (i = 0; i < rib->nroutes; i++)
		rib_cand_drop(rib->routes[i], slot);
	rib_update_all(rib, now);
	rib->vifs[n->vif].slots &= ~(1ull << slot);
	memset(n, 0, sizeof(*n));
}

void
dvmrp_rib_vif_del(struct dvmrp_rib *rib, mc_time_t now, unsigned vif)
{
	unsigned i;

	if (vif >= DVMRP_RIB_MAX_VIFS || !rib->vifs[vif].up)
		return;
	for (i = 0; i < DVMRP_RIB_MAX_NEIGHBORS; i++)
		if (rib->nbrs[i].used && rib->nbrs[i].vif == vif)
			rib_nbr_remove(rib, now, i);
	rib->vifs[vif].up = false;
	rib->vifs[vif].full_due = false;
	rib_update_all(rib, now);
}

/*
 * The neighbour slots one VIF may hold: the table's, less
 * DVMRP_RIB_VIF_RESERVE for every other VIF that is up, so that routers
 * on one LAN (or forged ones) cannot take the slots of every other.
 */
static unsigned
dvmrp_rib_vif_share(const struct dvmrp_rib *rib, unsigned vif)
{
	unsigned v, others = 0;

	for (v = 0; v < DVMRP_RIB_MAX_VIFS; v++)
		others += v != vif && rib->vifs[v].up;
	if (others * DVMRP_RIB_VIF_RESERVE >=
	    DVMRP_RIB_MAX_NEIGHBORS - DVMRP_RIB_VIF_RESERVE)
		return DVMRP_RIB_VIF_RESERVE;
	return DVMRP_RIB_MAX_NEIGHBORS - others * DVMRP_RIB_VIF_RESERVE;
}

int
dvmrp_rib_neighbor_up(struct dvmrp_rib *rib, mc_time_t now, unsigned vif,
    struct in_addr addr)
{
	uint32_t a = ntohl(addr.s_addr);
	unsigned i;
	char buf[16];

	if (vif >= DVMRP_RIB_MAX_VIFS || !rib->vifs[vif].up)
		return -EINVAL;
	if (rib_nbr_find(rib, vif, a) >= 0)
		return 0;
	for (i = 0; i < DVMRP_RIB_MAX_NEIGHBORS; i++)
		if (!rib->nbrs[i].used)
			break;
	if (i == DVMRP_RIB_MAX_NEIGHBORS ||
	    (unsigned)__builtin_popcountll(rib->vifs[vif].slots) >=
		dvmrp_rib_vif_share(rib, vif)) {
		rib->stats.neighbor_limit++;
		return -ENOSPC;
	}
	rib->nbrs[i].used = true;
	rib->nbrs[i].vif = vif;
	rib->nbrs[i].addr = a;
	rib->vifs[vif].slots |= 1ull << i;
	rib->vifs[vif].full_due = true;
	rib->full_due_at = mc_time_min(rib->full_due_at, now);
	trace(&rib->trace, "neighbor %s on vif %u: up", trace_addr(addr, buf),
	    vif);
	return 0;
}

void
dvmrp_rib_neighbor_down(struct dvmrp_rib *rib, mc_time_t now, unsigned vif,
    struct in_addr addr)
{
	int slot;

	if (vif < DVMRP_RIB_MAX_VIFS &&
	    (slot = rib_nbr_find(rib, vif, ntohl(addr.s_addr))) >= 0)
		rib_nbr_remove(rib, now, (unsigned)slot);
}

int
dvmrp_rib_neighbor_restart(struct dvmrp_rib *rib, mc_time_t now, unsigned vif,
    struct in_addr addr)
{
	dvmrp_rib_neighbor_down(rib, now, vif, addr);
	return dvmrp_rib_neighbor_up(rib, now, vif, addr);
}

void
dvmrp_rib_full_report(struct dvmrp_rib *rib, mc_time_t now, unsigned vif)
{
	if (vif >= DVMRP_RIB_MAX_VIFS || !rib->vifs[vif].up)
		return;
	rib->vifs[vif].full_due = true;
	rib->full_due_at = mc_time_min(rib->full_due_at, now);
}

/* Odd entries the codec should have stopped: counted, false. */
static bool
rib_entry_ok(struct dvmrp_rib *rib, const struct dvmrp_route *e, uint8_t *plen)
{
	uint32_t mask = ntohl(e->mask.s_addr);
	uint32_t origin = ntohl(e->origin.s_addr);

	if (e->metric == 0 || e->metric > DVMRP_POISON_MAX) {
		rib->stats.entries_bad_metric++;
		return false;
	}
	*plen = (uint8_t)__builtin_popcount(mask);
	if (mask != rib_plen_mask(*plen)) {
		rib->stats.entries_bad_mask++;
		return false;
	}
	if ((origin & ~mask) != 0) {
		rib->stats.entries_bad_origin++;
		return false;
	}
	return true;
}

/* Record what slot advertised; false when nothing changed for r. */
static bool
rib_cand_set(struct rib_route *r, unsigned slot, uint8_t adv, mc_time_t now)
{
	struct rib_cand *c;
	unsigned i, cap;

	for (i = 0; i < r->ncands; i++)
		if (r->cands[i].slot == slot)
			break;
	if (adv == DVMRP_INFINITY) {
		if (i == r->ncands)
			return false;
		r->cands[i] = r->cands[--r->ncands];
		return true;
	}
	if (i == r->ncands) {
		if (r->ncands == r->capcands) {
			cap = r->capcands ? 2u * r->capcands : 2u;
			if ((c = realloc(r->cands, cap * sizeof(*c))) == NULL)
				return false;
			r->cands = c;
			r->capcands = (uint8_t)cap;
		}
		r->ncands++;
		r->cands[i].slot = (uint8_t)slot;
		r->cands[i].adv = 0;
	}
	r->cands[i].heard = now;
	if (r->cands[i].adv == adv)
		return true; /* refreshed: the deadline moved */
	r->cands[i].adv = adv;
	return true;
}

void
dvmrp_rib_report(struct dvmrp_rib *rib, mc_time_t now, unsigned vif,
    struct in_addr from, bool two_way, const struct dvmrp_route *routes,
    size_t n)
{
	struct rib_route *r;
	uint32_t origin, mask;
	uint8_t plen;
	size_t i;
	int slot;
	char a[16], net[24];

	if (!two_way || vif >= DVMRP_RIB_MAX_VIFS || !rib->vifs[vif].up ||
	    dvmrp_rib_neighbor_up(rib, now, vif, from) != 0 ||
	    (slot = rib_nbr_find(rib, vif, ntohl(from.s_addr))) < 0) {
		rib->stats.reports_refused++;
		trace(&rib->trace, "report from %s on vif %u: refused",
		    trace_addr(from, a), vif);
		return;
	}
	rib->stats.reports_in++;
	for (i = 0; i < n; i++) {
		rib->stats.entries_in++;
		if (!rib_entry_ok(rib, &routes[i], &plen))
			continue;
		origin = ntohl(routes[i].origin.s_addr);
		mask = ntohl(routes[i].mask.s_addr);
		if ((r = dvmrp_rib_find(rib, origin, mask)) == NULL) {
			if (routes[i].metric >= DVMRP_INFINITY)
				continue; /* nothing to learn */
			if (rib->c.max_routes &&
			    rib->nroutes >= rib->c.max_routes) {
				rib->stats.route_limit++;
				if (!rib->limit_traced)
					trace(&rib->trace,
					    "%s: refused, %u routes (the limit)",
					    rib_net(origin, plen, net),
					    rib->c.max_routes);
				rib->limit_traced = true;
				continue;
			}
			if ((r = rib_insert(rib, now, origin, mask, plen)) ==
			    NULL)
				continue;
		}
		if (rib_cand_set(r, (unsigned)slot, routes[i].metric, now))
			rib_update(rib, r, now);
	}
}
