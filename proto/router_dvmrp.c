/*
 * The router library's DVMRP (router.h): the neighbour, route and prune
 * engines (dvmrp_nbr.c, dvmrp_rib.c, dvmrp_prune.c) wired to the VIFs,
 * to the receive demultiplexer and to the forwarding composer.
 *
 * The path of a DVMRP packet: router_rx.c decodes it (dvmrp_wire.c) and
 * hands it here by code: probes to the neighbour engine, reports from
 * two-way neighbours to the route table, prunes, grafts and graft acks to
 * the prune engine, mrinfo's Ask Neighbors 2 answered with Neighbors 2.
 * What the engines output goes on in order: neighbours up and down to the
 * route table and the prune engine, route and dependent changes to the
 * prune engine and the composer (its reverse path and its DVMRP
 * downstream VIFs), the composer's empty and non-empty entries back to
 * the prune engine (aggregated per origin network, as prunes name one),
 * and every message to send out as ROUTER_OUT_SEND.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "router_int.h"

#define BIT(v) (1u << (v))

static uint8_t
router_dvmrp_plen(struct in_addr mask)
{
	return (uint8_t)__builtin_popcount(mask.s_addr);
}

static uint8_t
router_dvmrp_metric(const struct router *r, const char *name)
{
	const struct router_phyint *pi = router_phyint(r, name);

	return pi != NULL && pi->metric != 0 ? pi->metric : 1;
}

/* ------------------------------------------------------------------ */
/* Sending                                                            */

/*
 * A DVMRP message (the IGMP message) from VIF vif to dst: in its IPv4
 * header with Router Alert (or without: router_alert false), TTL 1 to
 * 224.0.0.4, 255 to a neighbour (and to a tunnel's far end).
 */
static void
router_dvmrp_send_ra(struct router *r, unsigned vif, struct in_addr dst,
    const uint8_t *msg, size_t len, bool router_alert)
{
	const struct router_vif *v = &r->vifs[vif];
	const struct router_phyint *pi;
	struct igmp_ip_out ipo;

	if (!v->used)
		return;
	/* On a tunnel, to the far end (mrouted's probes and reports). */
	pi = router_phyint(r, v->name);
	if (pi != NULL && pi->tunnel && pi->tunnel_remote.s_addr != 0 &&
	    IN_MULTICAST(ntohl(dst.s_addr)))
		dst = pi->tunnel_remote;
	memset(&ipo, 0, sizeof(ipo));
	ipo.src = v->addr;
	ipo.dst = dst;
	ipo.ttl = IN_MULTICAST(ntohl(dst.s_addr)) ? DVMRP_TTL_MULTICAST :
						    DVMRP_TTL_UNICAST;
	ipo.router_alert = router_alert;
	if (router_emit_packet(r, vif, &ipo, msg, len) &&
	    msg[1] <= DVMRP_GRAFT_ACK)
		r->stats.tx_dvmrp[msg[1]]++;
}

/* DVMRP's messages leave with Router Alert, as mrouted sends them. */
static void
router_dvmrp_send(struct router *r, unsigned vif, struct in_addr dst,
    const uint8_t *msg, size_t len)
{
	router_dvmrp_send_ra(r, vif, dst, msg, len, true);
}

static void
router_dvmrp_send_report(struct router *r, const struct dvmrp_rib_output *ro)
{
	struct in_addr all = { htonl(DVMRP_ALL_ROUTERS) };
	uint8_t buf[DVMRP_REPORT_MAX_IP];
	size_t done = 0, used;
	int len;

	while (done < ro->nroutes) {
		len = dvmrp_build_report(buf, sizeof(buf) - DVMRP_IP_HDR_LEN,
		    dvmrp_nbr_caps(r->dvmrp.nbr, ro->vif), ro->routes + done,
		    ro->nroutes - done, &used);
		if (len < 0 || used == 0) {
			/* The engine sends only routes the codec takes. */
			r->stats.unexpected_events++;
			return;
		}
		router_dvmrp_send(r, ro->vif, all, buf, (size_t)len);
		done += used;
	}
}

/* ------------------------------------------------------------------ */
/* Events for the operator                                            */

static void
router_dvmrp_event(struct router *r, const struct dvmrp_nbr_output *no,
    bool route_table_full)
{
	struct router_output *o = router_emit_event(r, ROUTER_EV_DVMRP_NEIGHBOR,
	    (int)no->vif);

	if (o == NULL)
		return;
	o->addr = no->addr;
	o->dvmrp.event = no->event;
	o->dvmrp.previous = no->previous;
	o->dvmrp.state = no->state;
	o->dvmrp.reason = no->reason;
	o->dvmrp.refusal = no->refusal;
	o->dvmrp.ignored = no->ignored;
	o->dvmrp.genid = no->genid;
	o->dvmrp.old_genid = no->old_genid;
	o->dvmrp.route_table_full = route_table_full;
}

/* ------------------------------------------------------------------ */
/* The engines' outputs                                               */

static void
router_dvmrp_nbr_output(struct router *r, mc_time_t now,
    const struct dvmrp_nbr_output *no)
{
	struct router_dvmrp *d = &r->dvmrp;
	uint8_t buf[DVMRP_PROBE_MIN_LEN + 4 * DVMRP_NBR_PROBE_LIST_MAX];
	bool full = false;
	int len;

	if (no->kind == DVMRP_NBR_OUT_PROBE) {
		len = dvmrp_build_probe(buf, sizeof(buf), no->caps, no->genid,
		    no->neighbors, no->nneighbors);
		if (len < 0)
			r->stats.unexpected_events++;
		else
			router_dvmrp_send(r, no->vif, no->dst, buf,
			    (size_t)len);
		return;
	}
	switch (no->event) {
	case DVMRP_NBR_EV_UP:
		full = dvmrp_rib_neighbor_up(d->rib, now, no->vif, no->addr) ==
		    -ENOSPC;
		dvmrp_prune_nbr_up(d->prune, no->vif, no->addr);
		break;
	case DVMRP_NBR_EV_DOWN:
		if (no->previous == DVMRP_NBR_TWO_WAY) {
			dvmrp_rib_neighbor_down(d->rib, now, no->vif, no->addr);
			dvmrp_prune_nbr_down(d->prune, now, no->vif, no->addr);
		}
		break;
	case DVMRP_NBR_EV_RESTART:
		dvmrp_rib_neighbor_restart(d->rib, now, no->vif, no->addr);
		dvmrp_prune_nbr_restart(d->prune, now, no->vif, no->addr);
		break;
	case DVMRP_NBR_EV_SEND_REPORT:
		/*
		 * The route table sent one when the neighbour came up or
		 * restarted; a restarted one may not have known us then (our
		 * probe listing it waits out the hold-off) and refused it.
		 * Again now that it does (none twice while one is due).
		 */
		dvmrp_rib_full_report(d->rib, now, no->vif);
		return;
	case DVMRP_NBR_EV_IGNORED: /* counted by the engine */
		return;
	case DVMRP_NBR_EV_LIMIT:
		break;
	}
	router_dvmrp_event(r, no, full);
}

static void
router_dvmrp_rib_output(struct router *r, mc_time_t now,
    const struct dvmrp_rib_output *ro)
{
	struct router_dvmrp *d = &r->dvmrp;
	struct in_addr any = { INADDR_ANY };

	switch (ro->kind) {
	case DVMRP_RIB_OUT_REPORT:
		router_dvmrp_send_report(r, ro);
		return;
	case DVMRP_RIB_OUT_ROUTE_CHANGED:
		dvmrp_prune_upstream(d->prune, now, ro->origin, ro->reachable,
		    ro->vif, ro->neighbor);
		break;
	case DVMRP_RIB_OUT_DEPENDENTS_CHANGED:
		dvmrp_prune_dependents(d->prune, now, ro->origin, ro->vif,
		    ro->child, ro->ndependents);
		break;
	}
	mfc_routing_changed(r->mfc, now, ro->origin,
	    router_dvmrp_plen(ro->mask), any);
	router_drain_mfc(r, now);
}

static void
router_dvmrp_prune_output(struct router *r, mc_time_t now,
    const struct dvmrp_prune_output *po)
{
	uint8_t buf[DVMRP_PRUNE_LEN + DVMRP_NETMASK_LEN];
	uint8_t caps = dvmrp_nbr_caps(r->dvmrp.nbr, po->vif);
	int len = -1;

	switch (po->kind) {
	case DVMRP_PRUNE_OUT_SEND_PRUNE:
		len = dvmrp_build_prune(buf, sizeof(buf), caps, po->source,
		    po->group, po->lifetime_s, NULL);
		break;
	case DVMRP_PRUNE_OUT_SEND_GRAFT:
		len = dvmrp_build_graft(buf, sizeof(buf), caps, po->source,
		    po->group, NULL);
		break;
	case DVMRP_PRUNE_OUT_SEND_GRAFT_ACK:
		len = dvmrp_build_graft_ack(buf, sizeof(buf), caps, po->source,
		    po->group, NULL);
		break;
	case DVMRP_PRUNE_OUT_VIF_PRUNED:
	case DVMRP_PRUNE_OUT_VIF_UNPRUNED:
		mfc_routing_changed(r->mfc, now, po->source,
		    router_dvmrp_plen(po->mask), po->group);
		router_drain_mfc(r, now);
		return;
	}
	if (len < 0)
		r->stats.unexpected_events++;
	else
		router_dvmrp_send(r, po->vif, po->nbr, buf, (size_t)len);
}

/*
 * Everything the three engines have to say, until none has anything:
 * what one outputs is input to another.  Not re-entered: the composer's
 * events that an output causes feed the prune engine, and this loop
 * takes what that outputs.
 */
void
router_dvmrp_pump(struct router *r, mc_time_t now)
{
	struct router_dvmrp *d = &r->dvmrp;
	struct dvmrp_nbr_output no;
	struct dvmrp_rib_output ro;
	struct dvmrp_prune_output po;
	bool more = true;

	if (d->nbr == NULL || d->pumping)
		return;
	d->pumping = true;
	while (more) {
		more = false;
		while (dvmrp_nbr_output(d->nbr, &no)) {
			router_dvmrp_nbr_output(r, now, &no);
			more = true;
		}
		while (dvmrp_rib_output(d->rib, &ro)) {
			router_dvmrp_rib_output(r, now, &ro);
			more = true;
		}
		while (dvmrp_prune_output(d->prune, &po)) {
			router_dvmrp_prune_output(r, now, &po);
			more = true;
		}
	}
	d->pumping = false;
}

/* ------------------------------------------------------------------ */
/* The composer's side                                                */

/* The reverse path through a VIF DVMRP runs on, or -1. */
static int
router_dvmrp_rpf(void *arg, struct in_addr source)
{
	struct router *r = arg;
	int vif = dvmrp_rib_rpf_vif(r->dvmrp.rib, source);

	return vif >= 0 && (r->dvmrp.running & BIT(vif)) ? vif : -1;
}

/* Children with dependents, less the VIFs all of whose dependents pruned
   (origin network, group). */
static uint32_t
router_dvmrp_downstream(void *arg, struct in_addr source, struct in_addr group,
    uint32_t *pruned)
{
	struct router *r = arg;
	struct in_addr origin, mask;
	uint32_t vifs, cut;

	vifs = dvmrp_rib_downstream(r->dvmrp.rib, source, &origin, &mask) &
	    r->dvmrp.running;
	if (vifs == 0)
		return 0;
	cut = dvmrp_prune_pruned_vifs(r->dvmrp.prune, origin, group);
	*pruned = vifs & cut;
	return vifs & ~cut;
}

/*
 * The composer added (new), deleted, emptied or filled the entry of
 * (source, group): the prune entry of its origin network follows, empty
 * when no entry of a source in that network has oifs.
 */
void
router_dvmrp_mfc_event(struct router *r, mc_time_t now,
    enum mfc_output_kind kind, bool replace, struct in_addr source,
    struct in_addr group)
{
	struct router_dvmrp *d = &r->dvmrp;
	struct dvmrp_rib_route_view *rv = &d->route_scratch;
	struct in_addr nbr, origin, mask;
	unsigned vif, entries, forwarding, v, k, ndeps;
	uint8_t plen;

	if (d->nbr == NULL || d->running == 0 ||
	    (kind == MFC_OUT_ADD && replace) ||
	    (kind != MFC_OUT_ADD && kind != MFC_OUT_DEL &&
		kind != MFC_OUT_EMPTY && kind != MFC_OUT_NONEMPTY))
		return;
	if (dvmrp_rib_rpf(d->rib, source, &vif, &nbr, &origin, &mask) != 0 ||
	    !(d->running & BIT(vif)))
		return;
	plen = router_dvmrp_plen(mask);
	forwarding = mfc_sources_forwarding(r->mfc, origin, plen, group,
	    &entries);
	if (entries == 0) {
		/* Kept while our prune stands upstream: a member coming
		   later must be able to graft (no datagram will come). */
		dvmrp_prune_entry_orphan(d->prune, now, origin, group);
		return;
	}
	if (!dvmrp_prune_entry_exists(d->prune, origin, group)) {
		if (dvmrp_prune_entry_add(d->prune, now, origin, mask, group,
			vif, nbr) != 0)
			return;
		/* A new entry learns the route's children and dependents. */
		if (dvmrp_rib_route_find(d->rib, origin, mask, rv))
			for (v = 0; v < ROUTER_MAXVIFS; v++) {
				if (!(d->running & BIT(v)) || v == vif)
					continue;
				for (k = ndeps = 0; k < rv->ndependents; k++)
					ndeps += rv->dependents[k].vif == v;
				dvmrp_prune_entry_dependents(d->prune, now,
				    origin, group, v,
				    (rv->children & BIT(v)) != 0, ndeps);
			}
	}
	dvmrp_prune_oifs_empty(d->prune, now, origin, group, forwarding == 0);
}

/*
 * A membership of group on vif changed (IGMP, a static group, mcastctl
 * join): the prune engine hears whether any is left there.
 */
void
router_dvmrp_member(struct router *r, mc_time_t now, unsigned vif,
    struct in_addr group)
{
	if (r->dvmrp.nbr == NULL || !(r->dvmrp.running & BIT(vif)))
		return;
	dvmrp_prune_member(r->dvmrp.prune, now, group, vif,
	    (mfc_member_vifs(r->mfc, group) & BIT(vif)) != 0);
	router_dvmrp_pump(r, now);
}

/* ------------------------------------------------------------------ */
/* Receiving                                                          */

/* The two-way neighbours of d->mrinfo_vif, into d->mrinfo_list. */
static int
router_dvmrp_mrinfo_nbr(void *arg, const struct dvmrp_nbr_view *v)
{
	struct router_dvmrp *d = arg;

	if (v->vif != d->mrinfo_vif || v->state != DVMRP_NBR_TWO_WAY ||
	    d->mrinfo_n >= d->mrinfo_room)
		return 0;
	d->mrinfo_list[d->mrinfo_n++] = v->addr;
	return 0;
}

/* mrinfo's Ask Neighbors 2, answered to its sender with Neighbors 2. */
static void
router_dvmrp_mrinfo(struct router *r, unsigned vif, struct in_addr to)
{
	struct router_dvmrp *d = &r->dvmrp;
	struct dvmrp_mrinfo_vif vifs[ROUTER_MAXVIFS];
	struct in_addr *lists = d->mrinfo_nbrs, none = { 0 };
	struct dvmrp_nbr_vif_view nv;
	uint8_t buf[DVMRP_REPORT_MAX_IP];
	size_t n = 0, used = 0, next_vif = 0, next_nbr = 0;
	unsigned v;
	int len;

	for (v = 0; v < ROUTER_MAXVIFS; v++) {
		struct router_vif *rv = &r->vifs[v];

		if (!rv->used)
			continue;
		memset(&vifs[n], 0, sizeof(vifs[n]));
		vifs[n].local = rv->addr;
		vifs[n].metric = router_dvmrp_metric(r, rv->name);
		vifs[n].threshold = rv->threshold;
		if (igmp_router_is_querier(rv->igmp))
			vifs[n].flags |= DVMRP_VIF_QUERIER;
		if (router_vif_is_tunnel(r, rv->name))
			vifs[n].flags |= DVMRP_VIF_TUNNEL;
		if (!(d->running & BIT(v)))
			vifs[n].flags |= DVMRP_VIF_DISABLED;
		vifs[n].neighbors = lists + used;
		if (dvmrp_nbr_vif(d->nbr, v, &nv) == 0 && nv.two_way > 0) {
			d->mrinfo_vif = v;
			d->mrinfo_list = lists + used;
			d->mrinfo_n = 0;
			d->mrinfo_room = ROUTER_DVMRP_MRINFO_MAX - 1 - used;
			dvmrp_nbr_foreach(d->nbr, router_dvmrp_mrinfo_nbr, d);
			vifs[n].nneighbors = d->mrinfo_n;
			used += d->mrinfo_n;
		}
		if (vifs[n].nneighbors == 0) {
			/* As mrouted: mrinfo prints a VIF through its
			   neighbours, so a lone one lists 0.0.0.0 (a leaf). */
			vifs[n].flags |= DVMRP_VIF_LEAF;
			lists[used] = none;
			vifs[n].neighbors = lists + used;
			vifs[n].nneighbors = 1;
			used++;
		}
		n++;
	}
	while (next_vif < n) {
		len = dvmrp_build_neighbors2(buf,
		    sizeof(buf) - DVMRP_IP_HDR_LEN, dvmrp_nbr_caps(d->nbr, vif),
		    vifs, n, &next_vif, &next_nbr);
		if (len < 0) {
			r->stats.unexpected_events++;
			return;
		}
		/*
		 * Without Router Alert: the reply is addressed to the asker,
		 * and a Linux router on the way that runs a multicast
		 * routing daemon hands unicast IGMP with the alert to that
		 * daemon instead of forwarding it (mcastd counts it in
		 * rx_in_transit and drops it), so mrinfo from farther than
		 * one hop never got its answer.
		 */
		router_dvmrp_send_ra(r, vif, to, buf, (size_t)len, false);
	}
}

/* The routes of a decoded report, into the scratch array. */
static size_t
router_dvmrp_decode_routes(struct router *r, const struct dvmrp_msg *dm)
{
	struct router_dvmrp *d = &r->dvmrp;
	struct dvmrp_route_iter it;
	struct dvmrp_route rt;
	struct dvmrp_route *grown;
	size_t n = 0;

	if (dm->nroutes > d->routes_cap) {
		grown = realloc(d->routes, dm->nroutes * sizeof(*grown));
		if (grown == NULL) {
			r->stats.unexpected_events++;
			return 0;
		}
		d->routes = grown;
		d->routes_cap = dm->nroutes;
	}
	dvmrp_routes_begin(dm, &it);
	while (n < dm->nroutes && dvmrp_routes_next(&it, &rt))
		d->routes[n++] = rt;
	return n;
}

void
router_dvmrp_rx(struct router *r, mc_time_t now, unsigned vif,
    const struct igmp_ip *ip, const struct dvmrp_msg *dm)
{
	struct router_dvmrp *d = &r->dvmrp;
	struct dvmrp_probe_in p;
	size_t i, n;
	bool two_way;

	if (d->nbr == NULL)
		return;
	if (dm->code == DVMRP_ASK_NEIGHBORS2) {
		router_dvmrp_mrinfo(r, vif, ip->src);
		return;
	}
	if (!(d->running & BIT(vif))) {
		r->stats.rx_dvmrp_off++;
		return;
	}
	switch (dm->code) {
	case DVMRP_PROBE:
		memset(&p, 0, sizeof(p));
		p.from = ip->src;
		p.genid = dm->genid;
		p.caps = dm->caps;
		p.minor = dm->minor;
		p.major = dm->major;
		n = dm->nneighbors;
		if (n > DVMRP_NBR_PROBE_LIST_MAX) {
			n = DVMRP_NBR_PROBE_LIST_MAX;
			r->stats.rx_dvmrp_probe_cut++;
		}
		for (i = 0; i < n; i++)
			d->probe_nbrs[i] = dvmrp_addr_at(dm->neighbors,
			    (uint16_t)i);
		p.neighbors = d->probe_nbrs;
		p.nneighbors = n;
		dvmrp_nbr_probe_input(d->nbr, now, vif, &p);
		break;
	case DVMRP_REPORT:
		two_way = dvmrp_nbr_heard(d->nbr, now, vif, ip->src);
		n = router_dvmrp_decode_routes(r, dm);
		dvmrp_rib_report(d->rib, now, vif, ip->src, two_way, d->routes,
		    n);
		break;
	case DVMRP_PRUNE:
		dvmrp_nbr_heard(d->nbr, now, vif, ip->src);
		dvmrp_prune_prune_input(d->prune, now, vif, ip->src, dm->source,
		    dm->group, dm->lifetime_s);
		break;
	case DVMRP_GRAFT:
		dvmrp_nbr_heard(d->nbr, now, vif, ip->src);
		dvmrp_prune_graft_input(d->prune, now, vif, ip->src, dm->source,
		    dm->group);
		break;
	case DVMRP_GRAFT_ACK:
		dvmrp_nbr_heard(d->nbr, now, vif, ip->src);
		dvmrp_prune_graft_ack_input(d->prune, now, vif, ip->src,
		    dm->source, dm->group);
		break;
	default: /* counted by code in router_rx.c */
		return;
	}
	router_dvmrp_pump(r, now);
}

/* ------------------------------------------------------------------ */
/* VIFs and configuration                                             */

/*
 * Make the VIFs DVMRP runs on follow the router's VIFs and the
 * configuration: up with their address, subnet and metric; down when
 * the VIF went or DVMRP was turned off there.
 */
void
router_dvmrp_sync_vifs(struct router *r, mc_time_t now)
{
	struct router_dvmrp *d = &r->dvmrp;
	const struct router_phyint *pi;
	struct router_output *o;
	struct dvmrp_rib_vif rv;
	struct router_vif *v;
	struct in_addr all = { htonl(DVMRP_ALL_ROUTERS) };
	unsigned vif;
	uint32_t mask;
	bool want;
	uint8_t metric;

	if (d->nbr == NULL)
		return;
	for (vif = 0; vif < ROUTER_MAXVIFS; vif++) {
		v = &r->vifs[vif];
		pi = v->used ? router_phyint(r, v->name) : NULL;
		want = v->used && !d->cfg.disable &&
		    !(pi != NULL && pi->no_dvmrp);
		metric = v->used ? router_dvmrp_metric(r, v->name) : 1;
		if ((d->running & BIT(vif)) &&
		    (!want || d->on[vif].ifindex != v->ifindex ||
			d->on[vif].addr.s_addr != v->addr.s_addr ||
			d->on[vif].prefix_len != v->prefix_len)) {
			dvmrp_nbr_vif_down(d->nbr, now, vif);
			dvmrp_rib_vif_del(d->rib, now, vif);
			d->running &= ~BIT(vif);
			o = router_emit(r, ROUTER_OUT_LEAVE);
			if (o != NULL) {
				o->ifindex = d->on[vif].ifindex;
				o->group = all;
			}
		}
		if (!want)
			continue;
		if ((d->running & BIT(vif)) && d->on[vif].metric == metric)
			continue;
		mask = v->prefix_len == 0 ? 0 :
					    0xffffffffu << (32 - v->prefix_len);
		memset(&rv, 0, sizeof(rv));
		rv.local = v->addr;
		rv.subnet.s_addr = htonl(ntohl(v->addr.s_addr) & mask);
		rv.prefix_len = v->prefix_len;
		rv.metric = metric;
		if (dvmrp_rib_vif_add(d->rib, now, vif, &rv) != 0) {
			r->stats.unexpected_events++;
			continue;
		}
		d->on[vif].metric = metric;
		if (d->running & BIT(vif))
			continue; /* a new metric only */
		/* A tunnel's neighbour is the far end, from any address; its
		   /32 is no origin to the route table. */
		if (dvmrp_nbr_vif_up(d->nbr, now, vif, v->addr,
			router_vif_is_tunnel(r, v->name) ? 0 : v->prefix_len) !=
		    0) {
			dvmrp_rib_vif_del(d->rib, now, vif);
			r->stats.unexpected_events++;
			continue;
		}
		d->running |= BIT(vif);
		d->on[vif].ifindex = v->ifindex;
		d->on[vif].addr = v->addr;
		d->on[vif].prefix_len = v->prefix_len;
		o = router_emit(r, ROUTER_OUT_JOIN);
		if (o != NULL) {
			o->ifindex = v->ifindex;
			o->group = all;
		}
	}
	router_dvmrp_pump(r, now);
}

int
router_dvmrp_config_check(const struct router_dvmrp_config *c)
{
	struct dvmrp_prune_config pc;

	dvmrp_prune_config_defaults(&pc);
	pc.lifetime_s = c->prune_lifetime_s;
	if (dvmrp_nbr_config_check(&c->nbr) != 0 ||
	    dvmrp_rib_config_check(&c->rib) != 0 ||
	    dvmrp_prune_config_check(&pc) != 0)
		return -EINVAL;
	return 0;
}

void
router_dvmrp_config_defaults(struct router_dvmrp_config *c)
{
	memset(c, 0, sizeof(*c));
	dvmrp_nbr_config_defaults(&c->nbr);
	dvmrp_rib_config_defaults(&c->rib);
	c->prune_lifetime_s = DVMRP_PRUNE_LIFETIME_DEFAULT;
}

/*
 * The engines, made at the first configuration; later ones change their
 * intervals, limits and the prune lifetime, for what comes next.
 */
int
router_dvmrp_configure(struct router *r, mc_time_t now,
    const struct router_dvmrp_config *c)
{
	struct router_dvmrp *d = &r->dvmrp;
	struct dvmrp_prune_config pc;

	if (router_dvmrp_config_check(c) != 0)
		return -EINVAL;
	if (d->nbr != NULL) {
		if (dvmrp_nbr_reconfigure(d->nbr, &c->nbr) != 0 ||
		    dvmrp_rib_reconfigure(d->rib, now, &c->rib) != 0)
			return -EINVAL;
		dvmrp_prune_set_lifetime(d->prune, c->prune_lifetime_s);
		d->cfg = *c;
		return 0;
	}
	d->rng.state = r->seed ^ 0x6476726d70ull; /* "dvrmp" */
	d->genid = (uint32_t)mc_rng_next(&d->rng);
	dvmrp_prune_config_defaults(&pc);
	pc.lifetime_s = c->prune_lifetime_s;
	pc.trace = r->trace.fn;
	pc.trace_arg = r->trace.arg;
	d->nbr = dvmrp_nbr_new(&c->nbr, d->genid, mc_rng_next(&d->rng),
	    r->trace.fn, r->trace.arg);
	d->rib = dvmrp_rib_new(&c->rib, r->trace.fn, r->trace.arg);
	d->prune = dvmrp_prune_new(&pc, &d->rng);
	if (d->nbr == NULL || d->rib == NULL || d->prune == NULL) {
		router_dvmrp_fini(r);
		return -ENOMEM;
	}
	dvmrp_rib_start(d->rib, now);
	d->cfg = *c;
	mfc_set_rpf(r->mfc, router_dvmrp_rpf, r);
	mfc_set_downstream(r->mfc, router_dvmrp_downstream, r);
	return 0;
}

void
router_dvmrp_fini(struct router *r)
{
	struct router_dvmrp *d = &r->dvmrp;

	dvmrp_nbr_free(d->nbr);
	dvmrp_rib_free(d->rib);
	dvmrp_prune_free(d->prune);
	free(d->routes);
	d->nbr = NULL;
	d->rib = NULL;
	d->prune = NULL;
	d->routes = NULL;
	d->routes_cap = 0;
	d->running = 0;
	if (r->mfc != NULL) {
		mfc_set_rpf(r->mfc, NULL, NULL);
		mfc_set_downstream(r->mfc, NULL, NULL);
	}
}

/* ------------------------------------------------------------------ */
/* Timers and views                                                   */

mc_time_t
router_dvmrp_next_deadline(const struct router *r)
{
	const struct router_dvmrp *d = &r->dvmrp;

	if (d->nbr == NULL)
		return MC_TIME_NEVER;
	return mc_time_min(dvmrp_nbr_next_deadline(d->nbr),
	    mc_time_min(dvmrp_rib_next_deadline(d->rib),
		dvmrp_prune_next_deadline(d->prune)));
}

void
router_dvmrp_timeout(struct router *r, mc_time_t now)
{
	struct router_dvmrp *d = &r->dvmrp;

	if (d->nbr == NULL)
		return;
	if (dvmrp_nbr_next_deadline(d->nbr) <= now)
		dvmrp_nbr_timeout(d->nbr, now);
	router_dvmrp_pump(r, now);
	if (dvmrp_rib_next_deadline(d->rib) <= now)
		dvmrp_rib_timeout(d->rib, now);
	router_dvmrp_pump(r, now);
	if (dvmrp_prune_next_deadline(d->prune) <= now)
		dvmrp_prune_timeout(d->prune, now);
	router_dvmrp_pump(r, now);
}

const struct dvmrp_nbr *
router_dvmrp_neighbors(const struct router *r)
{
	return r->dvmrp.nbr;
}

const struct dvmrp_rib *
router_dvmrp_routes(const struct router *r)
{
	return r->dvmrp.rib;
}

const struct dvmrp_prune *
router_dvmrp_prunes(const struct router *r)
{
	return r->dvmrp.prune;
}

bool
router_dvmrp_running(const struct router *r, unsigned vif)
{
	return vif < ROUTER_MAXVIFS && (r->dvmrp.running & BIT(vif)) != 0;
}

uint8_t
router_dvmrp_vif_metric(const struct router *r, unsigned vif)
{
	if (vif >= ROUTER_MAXVIFS || !r->vifs[vif].used)
		return 0;
	return router_dvmrp_metric(r, r->vifs[vif].name);
}
