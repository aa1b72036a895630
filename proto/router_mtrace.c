/*
 * The router as a hop of multicast traceroute (mtrace_wire.h,
 * ../shared/docs/PROTOCOLS.md 2.3, draft-ietf-idmr-traceroute-ipm as
 * mrouted 4.x speaks it), sans I/O like the rest of the router library.
 *
 * A query (type 0x1f, no block) is taken by the last-hop router: the one
 * with the receiver on a VIF's subnet that is on the source's tree.  Any
 * hop appends its 32-byte block, built from the router's own state: the
 * reverse path to the source from DVMRP's routes (upstream VIF and
 * neighbour, the route's mask) or from a static route's entry in the
 * composer (mfc.h), the outgoing VIF toward the receiver (the one the
 * request came from), its threshold, and a forwarding code from the
 * boundaries, DVMRP's prunes and the composer's entry.  Then the request
 * goes to the upstream neighbour by unicast (TTL 255, Router Alert, as
 * mrouted sends it), or, at the first hop (source on a VIF's subnet), with
 * no route, no upstream neighbour, the hops asked reached or a fatal code,
 * the response goes to the response address: by unicast with TTL 255
 * where the routing table says, or to a group with the response TTL out
 * of the VIF toward the receiver.
 *
 * The packet counters of a block are the kernel's (SIOCGETVIFCNT per VIF,
 * SIOCGETSGCNT per (S,G)), which only mcastd can read.  Handing them in
 * with every packet would make mcastd read counters for packets that need
 * none, before anyone knows which VIF and entry the block names; so the
 * engine emits the SEND with the block's counters at UINT32_MAX ("not
 * known") and a note of which counters go where (router_output.mtrace),
 * and mcastd reads those, writes them with router_mtrace_fill() (which
 * seals the checksum again) and sends: one ioctl per counter, only when a
 * block is sent, and the engine stays testable byte for byte.
 *
 * Protocol codes: a DVMRP route gives DVMRP (1); a static route (mroute)
 * gives "DVMRP using a static route" (7): mcastd is a DVMRP router and the
 * static route stands in for DVMRP's reverse path, the case the draft
 * names that code for (6 would claim PIM).
 *
 * Refused and counted (stats.mtrace_dropped): hops 0, as many blocks as
 * hops, a response address nobody should answer to (0.0.0.0, ours,
 * loopback, class E and broadcast), a request naming us already (a loop),
 * a request with blocks sent to a group, a multicast query for another
 * router (its receiver not on our tree) or seen already (the same query
 * id, as mrouted), and responses over ROUTER_MTRACE_RESPONSES_PER_S: a
 * flood of forged queries must not make us a reflector.
 *
 * Transit: Linux hands the routing socket unicast IGMP with Router Alert
 * that it would forward (ip_forward() calls ip_call_ra_chain(), which
 * gives it to the socket instead of forwarding it), so an mtrace response
 * or a query to a router behind us would stop here.  router_transit()
 * sends it on unchanged but for its TTL, less one, where the routing table
 * says: what the kernel would have done.  A broadcast (which the kernel
 * delivers here, never forwards) is not sent on.
 */
#include <string.h>
#include <arpa/inet.h>

#include "router_int.h"

/* What the router knows of the reverse path to a source. */
struct mt_route {
	bool found;
	unsigned vif;	       /* upstream */
	struct in_addr nbr;    /* previous hop; 0: none (first hop, static) */
	struct in_addr origin; /* DVMRP's origin network */
	uint8_t mask_len;      /* or MTRACE_MASK_SG */
	bool s_bit;	       /* on (S,G) state */
	uint8_t proto;	       /* enum mtrace_proto */
	bool dvmrp;	       /* a DVMRP route: children, prunes */
	uint32_t children;     /* DVMRP: we forward onto these */
};

void
router_set_wall_clock(struct router *r, mc_time_t now, int64_t wall_us)
{
	r->wall_at = now;
	r->wall_us = wall_us;
}

const char *
router_mtrace_drop_key(enum router_mtrace_drop d)
{
	switch (d) {
	case ROUTER_MTRACE_DROP_NONE:
		return "none";
	case ROUTER_MTRACE_DROP_NOT_LAST_HOP:
		return "not_last_hop";
	case ROUTER_MTRACE_DROP_DUPLICATE:
		return "duplicate";
	case ROUTER_MTRACE_DROP_HOPS_ZERO:
		return "hops_zero";
	case ROUTER_MTRACE_DROP_HOPS_FULL:
		return "hops_full";
	case ROUTER_MTRACE_DROP_RESPONSE_ADDR:
		return "response_address";
	case ROUTER_MTRACE_DROP_LOOP:
		return "loop";
	case ROUTER_MTRACE_DROP_MULTICAST:
		return "multicast_request";
	case ROUTER_MTRACE_DROP_RATE:
		return "rate";
	case ROUTER_MTRACE_DROP_NO_VIF:
		return "no_vif";
	case ROUTER_MTRACE_DROP_COUNT:
		break;
	}
	return "unknown";
}

bool
router_mtrace_fill(uint8_t *packet, size_t len,
    const struct router_mtrace_counters *c, uint32_t in_pkts, uint32_t out_pkts,
    uint32_t sg_pkts)
{
	uint32_t counts[3] = { htonl(in_pkts), htonl(out_pkts),
		htonl(sg_pkts) };
	size_t hlen;
	uint16_t sum;

	if (len < 20 || c->block_off + MTRACE_BLOCK_LEN > len)
		return false;
	hlen = (size_t)(packet[0] & 0x0f) * 4;
	if (hlen < 20 || c->block_off < hlen + MTRACE_HDR_LEN)
		return false;
	/* Input, output and (S,G) packets: bytes 16-27 of the block. */
	memcpy(packet + c->block_off + 16, counts, sizeof(counts));
	packet[hlen + 2] = 0;
	packet[hlen + 3] = 0;
	sum = igmp_checksum(packet + hlen, len - hlen);
	packet[hlen + 2] = (uint8_t)(sum >> 8);
	packet[hlen + 3] = (uint8_t)sum;
	return true;
}

static bool
mt_in_prefix(struct in_addr a, struct in_addr net, uint8_t len)
{
	uint32_t m = len == 0 ? 0 : 0xffffffffu << (32 - len);

	return (ntohl(a.s_addr) & m) == (ntohl(net.s_addr) & m);
}

/* The VIF addr is on: its subnet, or a tunnel's far end; -1 if none. */
static int
mt_vif_direct(const struct router *r, struct in_addr addr)
{
	const struct router_phyint *pi;
	unsigned v;

	if (addr.s_addr == 0)
		return -1;
	for (v = 0; v < ROUTER_MAXVIFS; v++) {
		const struct router_vif *rv = &r->vifs[v];

		if (!rv->used)
			continue;
		if (rv->tunnel) {
			pi = router_phyint(r, rv->name);
			if (pi != NULL &&
			    pi->tunnel_remote.s_addr == addr.s_addr)
				return (int)v;
			continue;
		}
		if (rv->prefix_len < 32 &&
		    mt_in_prefix(addr, rv->addr, rv->prefix_len))
			return (int)v;
	}
	return -1;
}

static uint8_t
mt_mask_len(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	uint8_t n = 0;

	while (n < 32 && (m & 0x80000000u) != 0) {
		m <<= 1;
		n++;
	}
	return n;
}

/* The reverse path to source: a static route first, then DVMRP's. */
static void
mt_route(struct router *r, struct in_addr source, struct in_addr group,
    struct mt_route *rt)
{
	struct dvmrp_rib_route_view *rv;
	struct mfc_entry_view e;
	struct in_addr mask;
	int v;

	memset(rt, 0, sizeof(*rt));
	if (mfc_entry(r->mfc, source, group, &e) == 0 &&
	    (e.iif_origin == MFC_IIF_STATIC ||
		e.iif_origin == MFC_IIF_STAR_G) &&
	    e.iif < ROUTER_MAXVIFS && r->vifs[e.iif].used) {
		rt->found = true;
		rt->vif = e.iif;
		rt->proto = MTRACE_PROTO_DVMRP_STATIC;
		rt->s_bit = e.iif_origin == MFC_IIF_STATIC;
		rt->mask_len = rt->s_bit ? 32 : MTRACE_MASK_SG;
		return;
	}
	if (r->dvmrp.rib != NULL &&
	    dvmrp_rib_rpf(r->dvmrp.rib, source, &rt->vif, &rt->nbr, &rt->origin,
		&mask) == 0 &&
	    rt->vif < ROUTER_MAXVIFS && r->vifs[rt->vif].used) {
		rv = &r->dvmrp.route_scratch;
		rt->found = true;
		rt->dvmrp = true;
		rt->proto = MTRACE_PROTO_DVMRP;
		rt->mask_len = mt_mask_len(mask);
		if (dvmrp_rib_route_find(r->dvmrp.rib, rt->origin, mask, rv))
			rt->children = rv->children;
		return;
	}
	/* No DVMRP (off, or not yet): a source on one of our subnets. */
	if ((v = mt_vif_direct(r, source)) >= 0 && !r->vifs[v].tunnel) {
		rt->found = true;
		rt->vif = (unsigned)v;
		rt->proto = MTRACE_PROTO_DVMRP;
		rt->mask_len = r->vifs[v].prefix_len;
		rt->origin = r->vifs[v].addr;
		rt->children = ~(1u << v);
	}
}

static bool
mt_scoped(const struct router *r, unsigned vif, struct in_addr group)
{
	const struct router_vif *v = &r->vifs[vif];
	unsigned i;

	for (i = 0; i < v->nboundaries; i++)
		if (mt_in_prefix(group, v->boundaries[i].addr,
			v->boundaries[i].len))
			return true;
	return false;
}

struct mt_pruned {
	struct in_addr origin, group;
	bool sent;
};

static int
mt_prune_sent(void *arg, const struct dvmrp_prune_view *v)
{
	struct mt_pruned *p = arg;

	if (v->sent && v->state == DVMRP_PRUNE_PRUNED &&
	    v->origin.s_addr == p->origin.s_addr &&
	    v->group.s_addr == p->group.s_addr) {
		p->sent = true;
		return 1;
	}
	return 0;
}

/* Whether we pruned (origin, group) upstream and the prune stands. */
static bool
mt_we_pruned(const struct router *r, mc_time_t now, struct in_addr origin,
    struct in_addr group)
{
	struct mt_pruned p = { origin, group, false };

	if (r->dvmrp.prune == NULL)
		return false;
	dvmrp_prune_foreach(r->dvmrp.prune, now, mt_prune_sent, &p);
	return p.sent;
}

/* The forwarding code of the block (draft 4.2.2, in mrouted's order). */
static uint8_t
mt_fwd_code(const struct router *r, mc_time_t now, const struct mt_route *rt,
    int oif, struct in_addr source, struct in_addr group)
{
	struct mfc_entry_view e;
	uint32_t bit;

	if (!rt->found)
		return MTRACE_FWD_NO_ROUTE;
	if (oif < 0 || (unsigned)oif == rt->vif)
		return MTRACE_FWD_WRONG_IF;
	bit = 1u << oif;
	if (rt->dvmrp && (rt->children & bit) == 0)
		return MTRACE_FWD_WRONG_IF;
	if (mt_scoped(r, (unsigned)oif, group) || mt_scoped(r, rt->vif, group))
		return MTRACE_FWD_SCOPED;
	if (mfc_entry(r->mfc, source, group, &e) != 0)
		return MTRACE_FWD_NO_ERROR; /* no traffic: nothing to say */
	if ((e.oifs & bit) != 0)
		return MTRACE_FWD_NO_ERROR;
	if (rt->dvmrp && mt_we_pruned(r, now, rt->origin, group))
		return MTRACE_FWD_PRUNE_SENT;
	if (e.cut[oif] == MFC_CUT_PRUNED)
		return MTRACE_FWD_PRUNE_RCVD;
	if (e.cut[oif] == MFC_CUT_BOUNDARY ||
	    e.cut[oif] == MFC_CUT_BOUNDARY_IIF)
		return MTRACE_FWD_SCOPED;
	return MTRACE_FWD_NOT_FORWARDING;
}

static bool
mt_bad_response_addr(const struct router *r, struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return h == 0 || (h >> 24) == 127 || (h >> 28) == 0xf ||
	    router_is_own_address(r, a);
}

static bool
mt_names_us(const struct router *r, const struct mtrace_msg *m)
{
	struct mtrace_block_iter it;
	struct mtrace_block b;

	mtrace_blocks_begin(m, &it);
	while (mtrace_blocks_next(&it, &b))
		if ((b.in_addr.s_addr != 0 &&
			router_is_own_address(r, b.in_addr)) ||
		    (b.out_addr.s_addr != 0 &&
			router_is_own_address(r, b.out_addr)))
			return true;
	return false;
}

static void
mt_drop(struct router *r, enum router_mtrace_drop why)
{
	r->stats.mtrace_dropped[why]++;
}

static uint32_t
mt_arrival(const struct router *r, mc_time_t now)
{
	int64_t us = r->wall_us + (now - r->wall_at) * 1000;
	int64_t sec = us / 1000000;
	long usec = (long)(us % 1000000);

	if (usec < 0) {
		usec += 1000000;
		sec--;
	}
	return mtrace_ntp_time(sec, usec);
}

/* Whether one more response fits in this second's cap (and take it). */
static bool
mt_rate_ok(struct router *r, mc_time_t now)
{
	mc_time_t second = now / 1000;

	if (second != r->mtrace_second) {
		r->mtrace_second = second;
		r->mtrace_responses = 0;
	}
	if (r->mtrace_responses >= ROUTER_MTRACE_RESPONSES_PER_S)
		return false;
	r->mtrace_responses++;
	return true;
}

/* A VIF to send a multicast response from: toward the receiver first. */
static int
mt_any_vif(const struct router *r, int oif, const struct mt_route *rt)
{
	unsigned v;

	if (oif >= 0)
		return oif;
	if (rt->found)
		return (int)rt->vif;
	for (v = 0; v < ROUTER_MAXVIFS; v++)
		if (r->vifs[v].used && !r->vifs[v].tunnel)
			return (int)v;
	return -1;
}

void
router_mtrace_rx(struct router *r, mc_time_t now, unsigned vif,
    const struct igmp_ip *ip, const uint8_t *igmp, size_t igmp_len)
{
	uint8_t *buf = r->mtrace_buf;
	const size_t room = sizeof(r->mtrace_buf) - 24; /* IP header, RA */
	bool multicast = IN_MULTICAST(ntohl(ip->dst.s_addr));
	bool respond, no_space = false;
	struct router_output *o;
	struct igmp_ip_out ipo;
	struct mtrace_block b, last;
	struct mtrace_msg m;
	struct mt_route rt;
	int rc, oif, out_vif;
	size_t len;

	rc = mtrace_decode(igmp, igmp_len, &m);
	if (rc != MTRACE_OK) {
		if (-rc > 0 && -rc < MTRACE_E_COUNT)
			r->stats.mtrace_malformed[-rc]++;
		return;
	}
	if (m.q.hops == 0) {
		mt_drop(r, ROUTER_MTRACE_DROP_HOPS_ZERO);
		return;
	}
	if (m.nblocks >= m.q.hops) {
		mt_drop(r, ROUTER_MTRACE_DROP_HOPS_FULL);
		return;
	}
	if (mt_bad_response_addr(r, m.q.response_addr)) {
		mt_drop(r, ROUTER_MTRACE_DROP_RESPONSE_ADDR);
		return;
	}
	if (m.nblocks > 0 && multicast) {
		mt_drop(r, ROUTER_MTRACE_DROP_MULTICAST);
		return;
	}
	if (mt_names_us(r, &m)) {
		mt_drop(r, ROUTER_MTRACE_DROP_LOOP);
		return;
	}

	mt_route(r, m.q.source, m.q.group, &rt);
	if (m.nblocks == 0) {
		/* The last hop: the receiver on a VIF on the source's tree. */
		if (multicast && r->mtrace_has_qid &&
		    r->mtrace_last_qid == m.q.query_id) {
			mt_drop(r, ROUTER_MTRACE_DROP_DUPLICATE);
			return;
		}
		oif = mt_vif_direct(r, m.q.dest);
		if (multicast &&
		    (oif < 0 || !rt.found ||
			(rt.found && (unsigned)oif == rt.vif) ||
			(rt.dvmrp && (rt.children & 1u << oif) == 0))) {
			mt_drop(r, ROUTER_MTRACE_DROP_NOT_LAST_HOP);
			return;
		}
		if (multicast) {
			r->mtrace_last_qid = m.q.query_id;
			r->mtrace_has_qid = true;
		}
		r->stats.mtrace_rx_query++;
	} else {
		/* From the next hop down: toward its incoming interface. */
		mtrace_block_at(&m, (uint16_t)(m.nblocks - 1), &last);
		oif = mt_vif_direct(r, last.in_addr);
		if (oif < 0)
			oif = mt_vif_direct(r, ip->src);
		r->stats.mtrace_rx_request++;
	}

	memcpy(buf + 24, igmp, m.length);
	len = m.length;
	if (24 + len + MTRACE_BLOCK_LEN > sizeof(r->mtrace_buf)) {
		/* No room for ours: the hop before says so, and it ends. */
		buf[24 + len - 1] = MTRACE_FWD_NO_SPACE;
		no_space = true;
		respond = true;
		out_vif = mt_any_vif(r, oif, &rt);
	} else {
		memset(&b, 0, sizeof(b));
		b.arrival = mt_arrival(r, now);
		b.in_pkts = b.out_pkts = b.sg_pkts = UINT32_MAX;
		b.proto = rt.found ? rt.proto : MTRACE_PROTO_DVMRP;
		if (rt.found) {
			b.in_addr = r->vifs[rt.vif].addr;
			b.prev_hop = rt.nbr;
			b.mask_len = rt.mask_len;
			b.s_bit = rt.s_bit;
		}
		if (oif >= 0) {
			b.out_addr = r->vifs[oif].addr;
			b.fwd_ttl = r->vifs[oif].threshold;
		} else if (!multicast) {
			b.out_addr = ip->dst;
		}
		b.fwd_code = mt_fwd_code(r, now, &rt, oif, m.q.source,
		    m.q.group);
		respond = !rt.found || rt.nbr.s_addr == 0 ||
		    m.nblocks + 1 >= m.q.hops ||
		    (b.fwd_code & MTRACE_FWD_FATAL) != 0;
		rc = mtrace_append_block(buf + 24, room, len,
		    respond ? IGMP_TYPE_MTRACE_RESP : IGMP_TYPE_MTRACE, &b);
		if (rc < 0) {
			r->stats.unexpected_events++;
			return;
		}
		len = (size_t)rc;
		out_vif = respond ? mt_any_vif(r, oif, &rt) : (int)rt.vif;
	}
	if (out_vif < 0) {
		mt_drop(r, ROUTER_MTRACE_DROP_NO_VIF);
		return;
	}

	memset(&ipo, 0, sizeof(ipo));
	ipo.router_alert = true;
	ipo.ttl = MTRACE_TTL_UNICAST;
	ipo.src = r->vifs[rt.found ? rt.vif : (unsigned)out_vif].addr;
	if (!respond) {
		ipo.dst = rt.nbr;
		o = router_emit_ip(r, out_vif, &ipo, buf + 24, len);
		if (o == NULL)
			return;
		r->stats.mtrace_tx_forwarded++;
	} else {
		if (!mt_rate_ok(r, now)) {
			mt_drop(r, ROUTER_MTRACE_DROP_RATE);
			return;
		}
		if (no_space) {
			buf[24] = IGMP_TYPE_MTRACE_RESP;
			buf[26] = buf[27] = 0;
			rc = igmp_checksum(buf + 24, len);
			buf[26] = (uint8_t)(rc >> 8);
			buf[27] = (uint8_t)rc;
		}
		ipo.dst = m.q.response_addr;
		if (IN_MULTICAST(ntohl(ipo.dst.s_addr))) {
			/* To the group, out of the VIF toward the receiver. */
			ipo.ttl = m.q.response_ttl;
			ipo.src = r->vifs[out_vif].addr;
			o = router_emit_ip(r, out_vif, &ipo, buf + 24, len);
		} else {
			o = router_emit_ip(r, -1, &ipo, buf + 24, len);
		}
		if (o == NULL)
			return;
		r->stats.mtrace_tx_response++;
	}
	if (no_space)
		return;
	o->mtrace.fill = true;
	o->mtrace.block_off = o->len - MTRACE_BLOCK_LEN;
	o->mtrace.in_vif = rt.found ? (int)rt.vif : -1;
	o->mtrace.out_vif = oif;
	o->mtrace.sg = rt.found;
	o->mtrace.source = m.q.source;
	o->mtrace.group = m.q.group;
}

/* 255.255.255.255, or the broadcast address of a VIF's subnet. */
static bool
mt_broadcast(const struct router *r, struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr), host;
	unsigned v;

	if (h == 0xffffffffu)
		return true;
	for (v = 0; v < ROUTER_MAXVIFS; v++) {
		const struct router_vif *rv = &r->vifs[v];

		if (!rv->used || rv->prefix_len >= 31)
			continue;
		host = 0xffffffffu >> rv->prefix_len;
		if (mt_in_prefix(a, rv->addr, rv->prefix_len) &&
		    (h & host) == host)
			return true;
	}
	return false;
}

void
router_transit(struct router *r, const struct igmp_ip *ip, const uint8_t *pkt,
    size_t len)
{
	struct router_output *o;
	uint8_t *copy;
	uint16_t sum;

	r->stats.rx_in_transit++;
	if (mt_broadcast(r, ip->dst)) {
		r->stats.transit_broadcast++;
		return;
	}
	if (ip->ttl <= 1) {
		r->stats.transit_ttl_expired++;
		return;
	}
	len = ip->total_len < len ? ip->total_len : len;
	o = outq_push(&r->outq, sizeof(*o) + len);
	if (o == NULL) {
		r->stats.unexpected_events++;
		return;
	}
	copy = (uint8_t *)(o + 1);
	memcpy(copy, pkt, len);
	copy[8] = (uint8_t)(ip->ttl - 1);
	copy[10] = copy[11] = 0;
	sum = igmp_checksum(copy, ip->header_len);
	copy[10] = (uint8_t)(sum >> 8);
	copy[11] = (uint8_t)sum;
	o->kind = ROUTER_OUT_SEND;
	o->packet = copy;
	o->len = len;
	o->dst = ip->dst;
	r->stats.tx_transit++;
	r->stats.tx++;
}
