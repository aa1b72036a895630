/*
 * The router library's receive demultiplexer (router.h): every packet of
 * the IGMP protocol number the kernel hands the multicast routing socket,
 * decoded, told apart by type and code (membership messages, DVMRP by
 * code, mtrace queries and responses, PIMv1, unknown types), counted, and
 * handed to the engine it is for.  Unicast that only passes through
 * (Linux gives the routing socket IGMP with Router Alert that it would
 * forward, LAB.md) is told from what is for us, counted, and sent on
 * (router_mtrace.c); mtrace queries and requests go to router_mtrace.c.
 */
#include <string.h>
#include <arpa/inet.h>

#include "router_int.h"

/* The source address of a packet the decoder refused, if it has one. */
static struct in_addr
router_rx_claimed_source(const uint8_t *pkt, size_t len)
{
	struct in_addr a = { 0 };

	if (len >= 16)
		memcpy(&a.s_addr, pkt + 12, sizeof(a.s_addr));
	return a;
}

static void
router_rx_dropped(struct router *r, int vif, int error, struct in_addr from)
{
	struct router_output *o;

	if (-error >= 0 && -error < IGMP_E_COUNT)
		r->stats.rx_dropped[-error]++;
	o = router_emit_event(r, ROUTER_EV_RX_DROPPED, vif);
	if (o != NULL) {
		o->error = error;
		o->addr = from;
	}
}

/* A membership message for VIF vif's IGMP engine. */
static void
router_rx_membership(struct router *r, mc_time_t now, unsigned vif,
    const struct igmp_ip *ip, const struct igmp_msg *m)
{
	struct router_output *o;

	r->stats.rx_membership++;
	/* A tunnel has no hosts: what comes through it (the far end's
	   kernel reporting 224.0.0.4) is counted, not taken. */
	if (r->vifs[vif].tunnel) {
		r->stats.rx_on_tunnel++;
		return;
	}
	/* RFC 2236 2, RFC 3376 4: sent with TTL 1; the kernel keeps others. */
	if (ip->ttl != 1 && m->kind <= IGMP_KIND_V3_REPORT) {
		r->stats.rx_ttl_not_1++;
		o = router_emit_event(r, ROUTER_EV_RX_TTL, (int)vif);
		if (o != NULL) {
			o->addr = ip->src;
			o->ttl = ip->ttl;
			o->type = m->type;
			o->msg_kind = m->kind;
		}
	}
	igmp_router_input(r->vifs[vif].igmp, now, ip, m);
	router_pump(r, now);
}

void
router_igmp_packet(struct router *r, mc_time_t now, unsigned ifindex,
    const uint8_t *pkt, size_t len)
{
	const uint8_t *igmp;
	struct router_output *o;
	struct igmp_ip ip;
	struct dvmrp_msg dm;
	struct igmp_msg m;
	size_t igmp_len;
	int vif, rc;

	r->stats.rx++;
	if ((vif = router_vif_of_ifindex(r, ifindex)) < 0) {
		r->stats.rx_not_vif++;
		return;
	}
	rc = igmp_ip_decode(pkt, len, &ip, &igmp, &igmp_len);
	if (rc != IGMP_OK) {
		router_rx_dropped(r, vif, rc,
		    router_rx_claimed_source(pkt, len));
		return;
	}
	r->vifs[vif].rx++;
	/* Our own queries come back when another VIF shares the LAN. */
	if (router_is_own_address(r, ip.src)) {
		r->stats.rx_own++;
		return;
	}
	if (!IN_MULTICAST(ntohl(ip.dst.s_addr)) &&
	    !router_is_own_address(r, ip.dst)) {
		router_transit(r, &ip, pkt, len);
		router_pump(r, now);
		return;
	}
	rc = igmp_decode(igmp, igmp_len, &m);
	if (rc != IGMP_OK) {
		router_rx_dropped(r, vif, rc, ip.src);
		return;
	}
	switch (m.kind) {
	case IGMP_KIND_V1_QUERY:
	case IGMP_KIND_V2_QUERY:
	case IGMP_KIND_V3_QUERY:
	case IGMP_KIND_V1_REPORT:
	case IGMP_KIND_V2_REPORT:
	case IGMP_KIND_V2_LEAVE:
	case IGMP_KIND_V3_REPORT:
		router_rx_membership(r, now, (unsigned)vif, &ip, &m);
		return;
	case IGMP_KIND_DVMRP:
		r->stats.rx_dvmrp[m.code <= DVMRP_GRAFT_ACK ? m.code : 0]++;
		rc = dvmrp_decode(igmp, igmp_len, &dm);
		if (rc != DVMRP_OK) {
			r->stats.rx_dvmrp_malformed[-rc]++;
			return;
		}
		router_dvmrp_rx(r, now, (unsigned)vif, &ip, &dm);
		return;
	case IGMP_KIND_MTRACE_QUERY:
		r->stats.rx_mtrace_query++;
		router_mtrace_rx(r, now, (unsigned)vif, &ip, igmp, igmp_len);
		router_pump(r, now);
		return;
	case IGMP_KIND_MTRACE_RESPONSE:
		r->stats.rx_mtrace_response++;
		return;
	case IGMP_KIND_PIM_V1:
		r->stats.rx_pim_v1++;
		return;
	case IGMP_KIND_UNKNOWN:
	default:
		r->stats.rx_unknown++;
		o = router_emit_event(r, ROUTER_EV_RX_UNKNOWN, vif);
		if (o != NULL) {
			o->addr = ip.src;
			o->type = m.type;
		}
		return;
	}
}
