/*
 * libFuzzer target: multicast traceroute into a configured router
 * (proto/router_mtrace.c) as mcastd feeds it.  The router has three VIFs,
 * a DVMRP neighbour on eth1 that reports a far network, and a static
 * (S,G) route; the input makes queries and requests (built by the codec
 * from its bytes: sources connected, far, static or unknown, receivers on
 * our LANs or not, response addresses good and bad, blocks naming us or
 * not, hops 0..255), raw sealed bytes of type 0x1f, unicast in transit,
 * upcalls, memberships and time.  Every packet the router sends must be
 * sound: its IPv4 header and IGMP decode, an mtrace one decodes with no
 * more blocks than its hops and within ROUTER_MTRACE_MAX_LEN, and
 * router_mtrace_fill() completes it into a packet that still decodes.
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

#define FZ_IFF (IFF_UP | IFF_MULTICAST | IFF_RUNNING)

static struct in_addr
fz_addr(uint32_t host)
{
	struct in_addr a = { htonl(host) };

	return a;
}

/* An address: ours, our LANs' hosts, the far network, odd ones. */
static struct in_addr
fz_pick(uint8_t b)
{
	static const uint32_t a[] = { 0xc6120101, 0xc6120201, 0xc6120301,
		0xc6120102, 0xc6120207, 0xc6120307, 0xc612090a, 0x0a010101,
		0x0a090909, 0, 0x7f000001, 0xf0000001, 0xe0000120, 0xe0000002,
		0xffffffff, 0xc6120209 };

	return fz_addr(a[b % (sizeof(a) / sizeof(a[0]))]);
}

static struct in_addr
fz_group(uint8_t b)
{
	static const uint32_t g[] = { 0xef010101, 0xefff0101, 0xe0000001,
		0xef010102 };

	return fz_addr(g[b % 4]);
}

static void
fz_check_send(const struct router_output *o)
{
	static uint8_t copy[ROUTER_MTRACE_MAX_LEN + 64];
	const uint8_t *payload;
	struct mtrace_msg mm;
	struct igmp_ip ip;
	struct igmp_msg m;
	size_t plen;

	if (igmp_ip_decode(o->packet, o->len, &ip, &payload, &plen) !=
		IGMP_OK ||
	    igmp_decode(payload, plen, &m) != IGMP_OK)
		abort();
	if (m.kind != IGMP_KIND_MTRACE_QUERY &&
	    m.kind != IGMP_KIND_MTRACE_RESPONSE)
		return;
	if (o->ifindex == 0 && !o->mtrace.fill)
		return; /* in transit: what came, sent on */
	if (o->len > ROUTER_MTRACE_MAX_LEN ||
	    mtrace_decode(payload, plen, &mm) != MTRACE_OK || mm.nblocks == 0 ||
	    mm.nblocks > mm.q.hops)
		abort();
	if (!o->mtrace.fill)
		return;
	memcpy(copy, o->packet, o->len);
	if (!router_mtrace_fill(copy, o->len, &o->mtrace, 1, 2, 3) ||
	    igmp_ip_decode(copy, o->len, &ip, &payload, &plen) != IGMP_OK ||
	    mtrace_decode(payload, plen, &mm) != MTRACE_OK)
		abort();
}

static void
fz_drain(struct router *r)
{
	const struct router_output *o;

	while ((o = router_output(r)) != NULL)
		if (o->kind == ROUTER_OUT_SEND)
			fz_check_send(o);
	if (router_stats(r)->unexpected_events != 0)
		abort();
}

static void
fz_inject(struct router *r, mc_time_t now, unsigned ifindex, struct in_addr src,
    struct in_addr dst, uint8_t ttl, const uint8_t *msg, size_t len)
{
	struct igmp_ip_out ipo = { src, dst, ttl, true };
	static uint8_t pkt[ROUTER_MTRACE_MAX_LEN * 2];
	int n = igmp_ip_build_out(pkt, sizeof(pkt), &ipo, msg, len);

	if (n > 0)
		router_igmp_packet(r, now, ifindex, pkt, (size_t)n);
}

/* A query or request built from the input: its length, or 0. */
static size_t
fz_mtrace(struct fz_in *in, uint8_t *buf, size_t cap)
{
	static struct mtrace_block blocks[MTRACE_MAX_BLOCKS];
	struct mtrace_query q;
	uint8_t nb = fz_byte(in), i;
	int rc;

	memset(&q, 0, sizeof(q));
	q.hops = fz_byte(in);
	q.source = fz_pick(fz_byte(in));
	q.group = fz_group(fz_byte(in));
	q.dest = fz_pick(fz_byte(in));
	q.response_addr = fz_pick(fz_byte(in));
	q.response_ttl = fz_byte(in);
	q.query_id = fz_byte(in);
	nb = (uint8_t)(nb % 4 == 0 ? nb / 4 % 50 : 0);
	if (nb > q.hops)
		nb = q.hops;
	for (i = 0; i < nb; i++) {
		memset(&blocks[i], 0, sizeof(blocks[i]));
		blocks[i].in_addr = fz_pick(fz_byte(in));
		blocks[i].out_addr = fz_pick(fz_byte(in));
		blocks[i].fwd_code = fz_byte(in);
		blocks[i].mask_len = fz_byte(in) % 33;
	}
	rc = mtrace_build(buf, cap, IGMP_TYPE_MTRACE, &q, blocks, nb);
	return rc < 0 ? 0 : (size_t)rc;
}

static struct router *
fz_router(mc_time_t now)
{
	static struct router_route rt;
	static struct router_config c;
	struct dvmrp_route far = { fz_addr(0xc6120900), fz_addr(0xffffff00),
		1 };
	struct in_addr us = fz_addr(0xc6120101);
	struct router *r;
	uint8_t b[256];
	size_t used;
	unsigned i;
	int n;

	router_config_defaults(&c);
	memset(&rt, 0, sizeof(rt));
	strcpy(rt.iif, "eth1");
	rt.has_source = true;
	rt.source = fz_addr(0x0a010101);
	rt.group = fz_addr(0xef010101);
	rt.group_len = 32;
	strcpy(rt.oifs[0], "eth2");
	rt.noifs = 1;
	c.routes = &rt;
	c.nroutes = 1;
	r = router_new(&c, 1, NULL, NULL);
	if (r == NULL)
		return NULL;
	router_set_wall_clock(r, now, 1700000000000000LL);
	for (i = 1; i <= 3; i++) {
		char name[IF_NAMESIZE] = "eth0";

		name[3] = (char)('0' + i);
		router_link(r, 10 + i, name, FZ_IFF);
		router_addr_add(r, 10 + i, fz_addr(0xc6120001u | i << 8), 24);
	}
	router_reconcile(r, now);
	n = dvmrp_build_probe(b, sizeof(b), DVMRP_CAPS_OURS, 1, &us, 1);
	fz_inject(r, now, 11, fz_addr(0xc6120102), fz_addr(0xe0000004), 1, b,
	    (size_t)n);
	n = dvmrp_build_report(b, sizeof(b), DVMRP_CAPS_OURS, &far, 1, &used);
	fz_inject(r, now, 11, fz_addr(0xc6120102), fz_addr(0xe0000004), 1, b,
	    (size_t)n);
	fz_drain(r);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg[ROUTER_MTRACE_MAX_LEN + 64];
	struct fz_in in = { data, size };
	mc_time_t now = 1000000;
	struct router *r;
	unsigned steps = 0, ifindex;
	size_t len, i;

	if ((r = fz_router(now)) == NULL)
		return 0;
	while (in.n > 0 && steps++ < 200) {
		uint8_t op = fz_byte(&in);

		ifindex = 11 + (op >> 6) % 3;
		switch (op % 6) {
		case 0:
		case 1: /* a query or request */
			len = fz_mtrace(&in, msg, sizeof(msg));
			if (len > 0)
				fz_inject(r, now, ifindex,
				    fz_pick(fz_byte(&in)),
				    fz_pick(fz_byte(&in)), fz_byte(&in), msg,
				    len);
			break;
		case 2: /* raw bytes of type 0x1f or 0x1e, sealed */
			len = 24 + fz_byte(&in) % 3 * 32 + fz_byte(&in) % 5;
			msg[0] = (op & 0x20) ? 0x1f : 0x1e;
			for (i = 1; i < len; i++)
				msg[i] = fz_byte(&in);
			msg[2] = msg[3] = 0;
			{
				uint16_t s = igmp_checksum(msg, len);

				msg[2] = (uint8_t)(s >> 8);
				msg[3] = (uint8_t)s;
			}
			fz_inject(r, now, ifindex, fz_pick(fz_byte(&in)),
			    fz_pick(fz_byte(&in)), fz_byte(&in), msg, len);
			break;
		case 3: /* time passes */
			now += (mc_time_t)fz_byte(&in) * 100;
			router_timeout(r, now);
			break;
		case 4: /* a datagram the kernel has no entry for */
			router_upcall(r, now, MFC_UPCALL_NOCACHE, ifindex - 11,
			    fz_pick(fz_byte(&in)), fz_group(fz_byte(&in)));
			break;
		case 5: /* a member comes or goes */
			fz_member(r, now, ifindex == 12 ? "eth2" : "eth3",
			    fz_group(fz_byte(&in)), &in);
			break;
		}
		fz_drain(r);
	}
	router_free(r);
	return 0;
}
