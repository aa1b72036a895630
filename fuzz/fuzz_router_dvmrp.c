/*
 * libFuzzer target: sequences of DVMRP packets, time, upcalls, memberships
 * and interface changes into one router (proto/router.h), as mcastd feeds
 * it: the receive demultiplexer, the three DVMRP engines and the composer
 * together.  Packets come from a handful of neighbour addresses on two
 * VIFs, well formed (built by the codec from the input's bytes: probes
 * listing us or not, reports, prunes, grafts, acks, mrinfo's ask) or raw
 * bytes with a right checksum.  After every step the router's outputs are
 * drained and must be sound: every packet it sends decodes (IPv4 header,
 * IGMP or DVMRP with a right checksum), every forwarding entry leaves its
 * iif out of its oifs, and nothing is refused for memory.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "fz_router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_IFF	  (IFF_UP | IFF_MULTICAST | IFF_RUNNING)
#define FZ_ROUTES 64

static struct in_addr
fz_addr(uint32_t host)
{
	struct in_addr a = { htonl(host) };

	return a;
}

/* One of a few neighbours (or us, or a stranger) on LAN 1 or 2. */
static struct in_addr
fz_neighbor(unsigned lan, uint8_t b)
{
	static const uint8_t hosts[] = { 2, 3, 4, 1, 77 };

	return fz_addr(0xc6120000u | lan << 8 | hosts[b % sizeof(hosts)]);
}

/* An origin network: the LANs, a few far ones, odd ones. */
static struct in_addr
fz_origin(uint8_t b)
{
	static const uint32_t origins[] = { 0xc6120100, 0xc6120200, 0xc6120300,
		0xc6120400, 0x0a000000, 0xc6130000, 0 };

	return fz_addr(origins[b % (sizeof(origins) / sizeof(origins[0]))]);
}

static struct in_addr
fz_group(uint8_t b)
{
	return fz_addr(0xef010100u | (b & 3));
}

/* Every output must be sound. */
static void
fz_drain(struct router *r)
{
	const struct router_output *o;
	const uint8_t *payload;
	struct igmp_ip ip;
	struct igmp_msg m;
	struct dvmrp_msg dm;
	size_t plen;

	while ((o = router_output(r)) != NULL) {
		switch (o->kind) {
		case ROUTER_OUT_SEND:
			if (igmp_ip_decode(o->packet, o->len, &ip, &payload,
				&plen) != IGMP_OK ||
			    igmp_decode(payload, plen, &m) != IGMP_OK)
				abort();
			if (m.kind == IGMP_KIND_DVMRP &&
			    dvmrp_decode(payload, plen, &dm) != DVMRP_OK)
				abort();
			break;
		case ROUTER_OUT_MFC_ADD:
			if (o->iif >= MFC_MAXVIFS || o->ttls[o->iif] != 0)
				abort();
			break;
		default:
			break;
		}
	}
	if (router_stats(r)->unexpected_events != 0)
		abort();
}

/* A DVMRP message from the input, built by the codec (or raw). */
static size_t
fz_message(struct fz_in *in, unsigned lan, uint8_t *buf, size_t cap)
{
	struct dvmrp_route routes[FZ_ROUTES];
	struct in_addr nbrs[4], mask;
	uint8_t op = fz_byte(in), caps = fz_byte(in), n, i;
	size_t used, len;
	int rc = -1;

	switch (op % 8) {
	case 0: /* a probe, listing some of us and others */
		n = fz_byte(in) % 5;
		for (i = 0; i < n; i++)
			nbrs[i] = fz_neighbor(lan, fz_byte(in));
		rc = dvmrp_build_probe(buf, cap, caps, fz_u32(in) & 3, nbrs, n);
		break;
	case 1: /* a report */
		n = fz_byte(in) % FZ_ROUTES;
		for (i = 0; i < n; i++) {
			routes[i].origin = fz_origin(fz_byte(in));
			mask.s_addr = htonl(0xffffff00u);
			routes[i].mask = routes[i].origin.s_addr ?
			    mask :
			    routes[i].origin;
			routes[i].metric = 1 + fz_byte(in) % 63;
		}
		qsort(routes, n, sizeof(routes[0]), dvmrp_route_cmp);
		rc = dvmrp_build_report(buf, cap, caps, routes, n, &used);
		break;
	case 2:
		rc = dvmrp_build_prune(buf, cap, caps, fz_origin(fz_byte(in)),
		    fz_group(fz_byte(in)), fz_u32(in) % 10000, NULL);
		break;
	case 3:
		rc = dvmrp_build_graft(buf, cap, caps, fz_origin(fz_byte(in)),
		    fz_group(fz_byte(in)), NULL);
		break;
	case 4:
		rc = dvmrp_build_graft_ack(buf, cap, caps,
		    fz_origin(fz_byte(in)), fz_group(fz_byte(in)), NULL);
		break;
	case 5:
		rc = dvmrp_build_ask_neighbors2(buf, cap, caps);
		break;
	default: /* raw bytes after a DVMRP header, sealed */
		len = 8 + fz_byte(in) % 64;
		if (len > cap)
			return 0;
		memset(buf, 0, len);
		buf[0] = 0x13;
		buf[1] = fz_byte(in) % 12;
		for (i = 4; i < len; i++)
			buf[i] = fz_byte(in);
		dvmrp_seal(buf, len);
		return len;
	}
	return rc < 0 ? 0 : (size_t)rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct router_config c;
	struct igmp_ip_out ipo;
	struct router *r;
	uint8_t msg[1024], pkt[1100];
	mc_time_t now = 1000, step;
	unsigned lan, steps = 0, spins;
	size_t len;
	int n;

	router_config_defaults(&c);
	r = router_new(&c, 1, NULL, NULL);
	if (r == NULL)
		return 0;
	router_link(r, 11, "eth1", FZ_IFF);
	router_addr_add(r, 11, fz_addr(0xc6120101), 24);
	router_link(r, 12, "eth2", FZ_IFF);
	router_addr_add(r, 12, fz_addr(0xc6120201), 24);
	router_reconcile(r, now);
	fz_drain(r);
	while (in.n > 0 && steps++ < 400) {
		uint8_t op = fz_byte(&in);

		lan = 1 + (op >> 7);
		switch (op % 6) {
		case 0:
		case 1: /* a DVMRP packet from a neighbour on lan */
			len = fz_message(&in, lan, msg, sizeof(msg));
			if (len == 0)
				break;
			memset(&ipo, 0, sizeof(ipo));
			ipo.src = fz_neighbor(lan, fz_byte(&in));
			ipo.dst = (op & 0x40) ?
			    fz_addr(0xc6120001u | lan << 8) :
			    fz_addr(DVMRP_ALL_ROUTERS);
			ipo.ttl = 1;
			ipo.router_alert = true;
			n = igmp_ip_build_out(pkt, sizeof(pkt), &ipo, msg, len);
			if (n > 0)
				router_igmp_packet(r, now, 10 + lan, pkt,
				    (size_t)n);
			break;
		case 2: /* time passes */
			step = now + (mc_time_t)fz_byte(&in) * 1000;
			for (spins = 0; router_next_deadline(r) <= step;
			     spins++) {
				/* A deadline that stays due is a bug. */
				if (spins > 100000)
					abort();
				if (router_next_deadline(r) > now)
					now = router_next_deadline(r);
				router_timeout(r, now);
				fz_drain(r);
			}
			now = step;
			break;
		case 3: /* a datagram the kernel has no entry for */
			router_upcall(r, now, MFC_UPCALL_NOCACHE, lan - 1,
			    fz_addr(ntohl(fz_origin(fz_byte(&in)).s_addr) | 9),
			    fz_group(fz_byte(&in)));
			break;
		case 4: /* a member comes or goes */
			fz_member(r, now, lan == 1 ? "eth1" : "eth2",
			    fz_group(fz_byte(&in)), &in);
			break;
		case 5: /* the interface goes down or comes back */
			router_link(r, 10 + lan, lan == 1 ? "eth1" : "eth2",
			    (fz_byte(&in) & 1) ? FZ_IFF : IFF_MULTICAST);
			router_reconcile(r, now);
			break;
		}
		fz_drain(r);
	}
	router_free(r);
	return 0;
}
