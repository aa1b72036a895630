/*
 * The router as a hop of multicast traceroute (proto/router_mtrace.c),
 * with a fake clock: a router with three VIFs (eth1 198.18.1.1/24 toward
 * the sources, a DVMRP neighbour 198.18.1.2 there reporting 198.18.9.0/24;
 * eth2 198.18.2.1/24 toward the receivers; eth3 198.18.3.1/24 with
 * threshold 16 and a boundary 239.255.0.0/16).  The exact bytes of the
 * request it forwards (our block, the IP header), what it answers and
 * where (first hop, hops reached, no route, a static route, multicast
 * response address), the forwarding codes, router_mtrace_fill, every
 * refusal counted, and unicast IGMP in transit sent on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <cmocka.h>

#include "router.h"

#define T0	1000000
#define WALL_US 1700000000250000LL /* 2023-11-14 22:13:20.25 UTC */
#define NSENT	64
#define IFF_OK	(IFF_UP | IFF_MULTICAST | IFF_RUNNING)

/* One packet the router sent, copied. */
struct sent {
	struct router_output o;
	uint8_t pkt[ROUTER_MTRACE_MAX_LEN + 64];
};

struct mt {
	struct router *r;
	struct router_config c;
	struct router_phyint phy[3];
	struct router_route route;
	mc_time_t now;
	struct sent sent[NSENT];
	size_t nsent;
};

static struct in_addr
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* Keep the packets the router sends; forget the rest. */
static void
drain(struct mt *t)
{
	const struct router_output *o;

	while ((o = router_output(t->r)) != NULL) {
		if (o->kind != ROUTER_OUT_SEND)
			continue;
		assert_true(t->nsent < NSENT);
		assert_true(o->len <= sizeof(t->sent[0].pkt));
		t->sent[t->nsent].o = *o;
		memcpy(t->sent[t->nsent].pkt, o->packet, o->len);
		t->sent[t->nsent].o.packet = t->sent[t->nsent].pkt;
		t->nsent++;
	}
}

static void
inject(struct mt *t, unsigned ifindex, const char *src, const char *dst,
    uint8_t ttl, const uint8_t *igmp, size_t len)
{
	struct igmp_ip_out io = { .src = ip4(src),
		.dst = ip4(dst),
		.ttl = ttl,
		.router_alert = true };
	uint8_t pkt[2048];
	int n = igmp_ip_build_out(pkt, sizeof(pkt), &io, igmp, len);

	assert_true(n > 0);
	router_igmp_packet(t->r, t->now, ifindex, pkt, (size_t)n);
	drain(t);
}

static void
dvmrp_from_nbr(struct mt *t, const uint8_t *msg, int len)
{
	assert_true(len > 0);
	inject(t, 11, "198.18.1.2", "224.0.0.4", 1, msg, (size_t)len);
}

static struct mt *
mt_new(bool static_route)
{
	struct mt *t = calloc(1, sizeof(*t));
	struct in_addr us = ip4("198.18.1.1");
	struct dvmrp_route far = { ip4("198.18.9.0"), ip4("255.255.255.0"), 1 };
	uint8_t b[512];
	size_t used;
	unsigned i;

	assert_non_null(t);
	router_config_defaults(&t->c);
	for (i = 0; i < 3; i++) {
		snprintf(t->phy[i].name, sizeof(t->phy[i].name), "eth%u",
		    i + 1);
		t->phy[i].threshold = 1;
		igmp_router_config_defaults(&t->phy[i].igmp);
	}
	t->phy[2].threshold = 16;
	t->phy[2].boundaries[0].addr = ip4("239.255.0.0");
	t->phy[2].boundaries[0].len = 16;
	t->phy[2].nboundaries = 1;
	t->c.phyints = t->phy;
	t->c.nphyints = 3;
	if (static_route) {
		strcpy(t->route.iif, "eth1");
		t->route.has_source = true;
		t->route.source = ip4("10.1.1.1");
		t->route.group = ip4("239.1.1.1");
		t->route.group_len = 32;
		strcpy(t->route.oifs[0], "eth2");
		t->route.noifs = 1;
		t->c.routes = &t->route;
		t->c.nroutes = 1;
	}
	t->r = router_new(&t->c, 7, NULL, NULL);
	assert_non_null(t->r);
	t->now = T0;
	router_set_wall_clock(t->r, t->now, WALL_US);
	for (i = 0; i < 3; i++) {
		char name[IF_NAMESIZE];
		struct in_addr a = { htonl(0xc6120001u | (i + 1) << 8) };

		snprintf(name, sizeof(name), "eth%u", i + 1);
		router_link(t->r, 11 + i, name, IFF_OK);
		router_addr_add(t->r, 11 + i, a, 24);
	}
	router_reconcile(t->r, t->now);
	drain(t);
	/* 198.18.1.2 becomes a two-way neighbour and reports 198.18.9/24. */
	dvmrp_from_nbr(t, b,
	    dvmrp_build_probe(b, sizeof(b), DVMRP_CAPS_OURS, 1, &us, 1));
	dvmrp_from_nbr(t, b,
	    dvmrp_build_report(b, sizeof(b), DVMRP_CAPS_OURS, &far, 1, &used));
	t->nsent = 0;
	return t;
}

static void
mt_free(struct mt *t)
{
	router_free(t->r);
	free(t);
}

static struct mtrace_query
query(const char *source, const char *group, const char *dest, const char *resp,
    uint8_t hops)
{
	struct mtrace_query q = { .hops = hops,
		.group = ip4(group),
		.source = ip4(source),
		.dest = ip4(dest),
		.response_addr = ip4(resp),
		.response_ttl = 255,
		.query_id = 0x123456 };

	return q;
}

/* A query (no block) from host 198.18.2.7 on eth2, to dst. */
static void
send_query(struct mt *t, const struct mtrace_query *q, const char *dst)
{
	uint8_t b[64];
	int n = mtrace_build_query(b, sizeof(b), q);

	assert_int_equal(n, MTRACE_HDR_LEN);
	inject(t, 12, "198.18.2.7", dst, dst[0] == '2' ? 1 : 64, b, (size_t)n);
}

/* The one packet sent, decoded: its IP header, message, our block. */
static void
the_one(struct mt *t, struct igmp_ip *ip, struct mtrace_msg *m,
    struct mtrace_block *ours)
{
	const uint8_t *igmp;
	size_t len;

	assert_int_equal(t->nsent, 1);
	assert_int_equal(igmp_ip_decode(t->sent[0].pkt, t->sent[0].o.len, ip,
			     &igmp, &len),
	    IGMP_OK);
	assert_true(ip->router_alert);
	assert_int_equal(mtrace_decode(igmp, len, m), MTRACE_OK);
	if (m->nblocks > 0)
		mtrace_block_at(m, (uint16_t)(m->nblocks - 1), ours);
}

/* A query to dst, and the one packet the router sends for it. */
static void
ask(struct mt *t, const struct mtrace_query *q, const char *dst,
    struct igmp_ip *ip, struct mtrace_msg *m, struct mtrace_block *ours)
{
	t->nsent = 0;
	send_query(t, q, dst);
	the_one(t, ip, m, ours);
}

/* A query to dst the router sends nothing for. */
static void
ask_none(struct mt *t, const struct mtrace_query *q, const char *dst)
{
	t->nsent = 0;
	send_query(t, q, dst);
	assert_int_equal(t->nsent, 0);
}

static const struct router_stats *
st(struct mt *t)
{
	return router_stats(t->r);
}

/* The last hop forwards to the upstream neighbour: every byte. */
static void
test_last_hop_forwards(void **state)
{
	struct mt *t = mt_new(false);
	struct mtrace_query q = query("198.18.9.10", "239.1.1.1", "198.18.2.7",
	    "198.18.2.7", 32);
	struct mtrace_block want = {
		.arrival = mtrace_ntp_time(1700000000, 250000),
		.in_addr = ip4("198.18.1.1"),
		.out_addr = ip4("198.18.2.1"),
		.prev_hop = ip4("198.18.1.2"),
		.in_pkts = UINT32_MAX,
		.out_pkts = UINT32_MAX,
		.sg_pkts = UINT32_MAX,
		.proto = MTRACE_PROTO_DVMRP,
		.fwd_ttl = 1,
		.mask_len = 24,
		.fwd_code = MTRACE_FWD_NO_ERROR,
	};
	struct igmp_ip_out io = { .src = ip4("198.18.1.1"),
		.dst = ip4("198.18.1.2"),
		.ttl = 255,
		.router_alert = true };
	uint8_t msg[128], pkt[256];
	const struct router_output *o;
	struct mtrace_block b;
	struct mtrace_msg m;
	struct igmp_ip ip;
	int n;

	(void)state;
	send_query(t, &q, "224.0.0.2");
	assert_int_equal(t->nsent, 1);
	o = &t->sent[0].o;
	assert_int_equal(o->ifindex, 11);
	assert_int_equal(o->dst.s_addr, ip4("198.18.1.2").s_addr);
	/* The exact datagram: header with Router Alert, the query, our block. */
	n = mtrace_build(msg, sizeof(msg), IGMP_TYPE_MTRACE, &q, &want, 1);
	assert_int_equal(n, 56);
	n = igmp_ip_build_out(pkt, sizeof(pkt), &io, msg, (size_t)n);
	assert_int_equal(n, 80);
	assert_int_equal(o->len, 80);
	assert_memory_equal(t->sent[0].pkt, pkt, 80);
	/* What mcastd reads for it: eth1's input, eth2's output, (S,G). */
	assert_true(o->mtrace.fill);
	assert_int_equal(o->mtrace.block_off, 48);
	assert_int_equal(o->mtrace.in_vif, 0);
	assert_int_equal(o->mtrace.out_vif, 1);
	assert_true(o->mtrace.sg);
	assert_int_equal(o->mtrace.source.s_addr, q.source.s_addr);
	assert_int_equal(o->mtrace.group.s_addr, q.group.s_addr);
	assert_true(router_mtrace_fill(t->sent[0].pkt, 80, &o->mtrace, 5, 6,
	    0x01020304));
	the_one(t, &ip, &m, &b);
	assert_int_equal(b.in_pkts, 5);
	assert_int_equal(b.out_pkts, 6);
	assert_int_equal(b.sg_pkts, 0x01020304);
	assert_memory_equal(t->sent[0].pkt + 48 + 16,
	    "\0\0\0\x05\0\0\0\x06\x01\x02\x03\x04", 12);
	assert_int_equal(st(t)->mtrace_rx_query, 1);
	assert_int_equal(st(t)->mtrace_tx_forwarded, 1);
	/* The same query again (another copy of a multicast query): once. */
	ask_none(t, &q, "224.0.0.2");
	assert_int_equal(st(t)->mtrace_dropped[ROUTER_MTRACE_DROP_DUPLICATE],
	    1);
	mt_free(t);
}

/* A request from the next hop down is forwarded with our block after its. */
static void
test_request_forwarded(void **state)
{
	struct mt *t = mt_new(false);
	struct mtrace_query q = query("198.18.9.10", "239.1.1.1", "198.18.7.7",
	    "198.18.7.7", 32);
	struct mtrace_block theirs = { .in_addr = ip4("198.18.2.9"),
		.out_addr = ip4("198.18.7.1"),
		.prev_hop = ip4("198.18.2.1"),
		.proto = MTRACE_PROTO_DVMRP,
		.mask_len = 24 };
	struct mtrace_block b, first;
	struct mtrace_msg m;
	struct igmp_ip ip;
	uint8_t msg[128];
	int n;

	(void)state;
	n = mtrace_build(msg, sizeof(msg), IGMP_TYPE_MTRACE, &q, &theirs, 1);
	inject(t, 12, "198.18.2.9", "198.18.2.1", 255, msg, (size_t)n);
	the_one(t, &ip, &m, &b);
	assert_int_equal(m.type, IGMP_TYPE_MTRACE);
	assert_int_equal(m.nblocks, 2);
	mtrace_block_at(&m, 0, &first);
	assert_memory_equal(&first.in_addr, &theirs.in_addr, 4);
	assert_int_equal(b.out_addr.s_addr, ip4("198.18.2.1").s_addr);
	assert_int_equal(b.prev_hop.s_addr, ip4("198.18.1.2").s_addr);
	assert_int_equal(ip.dst.s_addr, ip4("198.18.1.2").s_addr);
	assert_int_equal(ip.ttl, 255);
	assert_int_equal(st(t)->mtrace_rx_request, 1);
	/* A request naming one of our addresses already: a loop. */
	t->nsent = 0;
	theirs.out_addr = ip4("198.18.3.1");
	n = mtrace_build(msg, sizeof(msg), IGMP_TYPE_MTRACE, &q, &theirs, 1);
	inject(t, 12, "198.18.2.9", "198.18.2.1", 255, msg, (size_t)n);
	assert_int_equal(t->nsent, 0);
	assert_int_equal(st(t)->mtrace_dropped[ROUTER_MTRACE_DROP_LOOP], 1);
	/* A request with blocks sent to a group. */
	theirs.out_addr = ip4("198.18.7.1");
	n = mtrace_build(msg, sizeof(msg), IGMP_TYPE_MTRACE, &q, &theirs, 1);
	inject(t, 12, "198.18.2.9", "224.0.0.2", 1, msg, (size_t)n);
	assert_int_equal(t->nsent, 0);
	assert_int_equal(st(t)->mtrace_dropped[ROUTER_MTRACE_DROP_MULTICAST],
	    1);
	mt_free(t);
}

/* Where the trace ends here: the response, to whom, with what. */
static void
test_responses(void **state)
{
	struct mt *t = mt_new(false);
	struct mtrace_query q;
	struct mtrace_block b;
	struct mtrace_msg m;
	struct igmp_ip ip;

	(void)state;
	/* First hop: the source is on eth1.  Unicast, routed, TTL 255. */
	q = query("198.18.1.10", "239.1.1.1", "198.18.2.7", "198.18.2.7", 32);
	ask(t, &q, "224.0.0.2", &ip, &m, &b);
	assert_int_equal(m.type, IGMP_TYPE_MTRACE_RESP);
	assert_int_equal(t->sent[0].o.ifindex, 0);
	assert_int_equal(ip.dst.s_addr, ip4("198.18.2.7").s_addr);
	assert_int_equal(ip.src.s_addr, ip4("198.18.1.1").s_addr);
	assert_int_equal(ip.ttl, 255);
	assert_int_equal(b.prev_hop.s_addr, 0);
	assert_int_equal(b.in_addr.s_addr, ip4("198.18.1.1").s_addr);
	assert_int_equal(b.fwd_code, MTRACE_FWD_NO_ERROR);
	assert_int_equal(st(t)->mtrace_tx_response, 1);
	/* One hop asked: we answer although there is a neighbour up. */
	q = query("198.18.9.10", "239.1.1.1", "198.18.2.7", "198.18.2.7", 1);
	q.query_id = 2;
	ask(t, &q, "224.0.0.2", &ip, &m, &b);
	assert_int_equal(m.type, IGMP_TYPE_MTRACE_RESP);
	assert_int_equal(b.prev_hop.s_addr, ip4("198.18.1.2").s_addr);
	/* A group as response address: the response TTL, out of eth2. */
	q = query("198.18.9.10", "239.1.1.1", "198.18.2.7", "224.0.1.32", 1);
	q.query_id = 3;
	q.response_ttl = 32;
	ask(t, &q, "224.0.0.2", &ip, &m, &b);
	assert_int_equal(t->sent[0].o.ifindex, 12);
	assert_int_equal(ip.dst.s_addr, htonl(MTRACE_RESP_GROUP));
	assert_int_equal(ip.src.s_addr, ip4("198.18.2.1").s_addr);
	assert_int_equal(ip.ttl, 32);
	/* No route: by unicast, "no route", no previous hop; by multicast
	   another router's business. */
	q = query("10.9.9.9", "239.1.1.1", "198.18.2.7", "198.18.2.7", 32);
	q.query_id = 4;
	ask(t, &q, "198.18.2.1", &ip, &m, &b);
	assert_int_equal(b.fwd_code, MTRACE_FWD_NO_ROUTE);
	assert_int_equal(b.in_addr.s_addr, 0);
	assert_int_equal(b.out_addr.s_addr, ip4("198.18.2.1").s_addr);
	q.query_id = 5;
	ask_none(t, &q, "224.0.0.2");
	assert_int_equal(st(t)->mtrace_dropped[ROUTER_MTRACE_DROP_NOT_LAST_HOP],
	    1);
	/* The receiver on the upstream LAN, asked by unicast: wrong
	   interface; by multicast: not ours. */
	q = query("198.18.9.10", "239.1.1.1", "198.18.1.7", "198.18.1.7", 32);
	q.query_id = 6;
	ask(t, &q, "198.18.2.1", &ip, &m, &b);
	assert_int_equal(b.fwd_code, MTRACE_FWD_WRONG_IF);
	assert_int_equal(m.type, IGMP_TYPE_MTRACE);
	q.query_id = 7;
	ask_none(t, &q, "224.0.0.2");
	assert_int_equal(st(t)->mtrace_dropped[ROUTER_MTRACE_DROP_NOT_LAST_HOP],
	    2);
	mt_free(t);
}

/* Codes from the boundary, the composer's entry, DVMRP's prunes. */
static void
test_forwarding_codes(void **state)
{
	struct mt *t = mt_new(false);
	struct mtrace_query q;
	struct mtrace_block b;
	struct mtrace_msg m;
	struct igmp_ip ip;
	uint8_t rep[8];

	(void)state;
	/* eth3's boundary covers 239.255/16: scoped; threshold 16. */
	q = query("198.18.9.10", "239.255.1.1", "198.18.3.7", "198.18.3.7", 32);
	ask(t, &q, "224.0.0.2", &ip, &m, &b);
	assert_int_equal(b.fwd_code, MTRACE_FWD_SCOPED);
	assert_int_equal(b.fwd_ttl, 16);
	assert_int_equal(b.out_addr.s_addr, ip4("198.18.3.1").s_addr);
	/* Traffic with nobody downstream: the entry has no oif, and our
	   prune goes upstream at once: "prune sent". */
	router_upcall(t->r, t->now, MFC_UPCALL_NOCACHE, 0, ip4("198.18.9.10"),
	    ip4("239.1.1.1"));
	drain(t);
	q = query("198.18.9.10", "239.1.1.1", "198.18.2.7", "198.18.2.7", 32);
	q.query_id = 8;
	ask(t, &q, "198.18.2.1", &ip, &m, &b);
	assert_int_equal(b.fwd_code, MTRACE_FWD_PRUNE_SENT);
	/* A member on eth2: forwarded there, no error ... */
	assert_int_equal(igmp_build_v2_report(rep, sizeof(rep),
			     ip4("239.1.1.1")),
	    8);
	inject(t, 12, "198.18.2.7", "239.1.1.1", 1, rep, 8);
	q.query_id = 9;
	ask(t, &q, "198.18.2.1", &ip, &m, &b);
	assert_int_equal(b.fwd_code, MTRACE_FWD_NO_ERROR);
	/* ... and not onto eth3, where nobody asked: "not forwarding". */
	q = query("198.18.9.10", "239.1.1.1", "198.18.3.7", "198.18.3.7", 32);
	q.query_id = 10;
	ask(t, &q, "198.18.2.1", &ip, &m, &b);
	assert_int_equal(b.fwd_code, MTRACE_FWD_NOT_FORWARDING);
	/* A router on eth3 that depends on us (poison reverse) and prunes:
	   "prune received". */
	{
		struct in_addr us3 = ip4("198.18.3.1");
		struct dvmrp_route dep = { ip4("198.18.9.0"),
			ip4("255.255.255.0"), 34 };
		struct in_addr mask = ip4("255.255.255.0");
		uint8_t d[128];
		size_t used;
		int dn;

		dn = dvmrp_build_probe(d, sizeof(d), DVMRP_CAPS_OURS, 1, &us3,
		    1);
		inject(t, 13, "198.18.3.2", "224.0.0.4", 1, d, (size_t)dn);
		dn = dvmrp_build_report(d, sizeof(d), DVMRP_CAPS_OURS, &dep, 1,
		    &used);
		inject(t, 13, "198.18.3.2", "224.0.0.4", 1, d, (size_t)dn);
		dn = dvmrp_build_prune(d, sizeof(d), DVMRP_CAPS_OURS,
		    ip4("198.18.9.0"), ip4("239.1.1.1"), 7200, &mask);
		inject(t, 13, "198.18.3.2", "198.18.3.1", 1, d, (size_t)dn);
	}
	q.query_id = 11;
	ask(t, &q, "198.18.2.1", &ip, &m, &b);
	assert_int_equal(b.fwd_code, MTRACE_FWD_PRUNE_RCVD);
	mt_free(t);
}

/* A static (S,G) route: DVMRP/static, S bit, /32, answered here. */
static void
test_static_route(void **state)
{
	struct mt *t = mt_new(true);
	struct mtrace_query q = query("10.1.1.1", "239.1.1.1", "198.18.2.7",
	    "198.18.2.7", 32);
	struct mtrace_block b;
	struct mtrace_msg m;
	struct igmp_ip ip;

	(void)state;
	ask(t, &q, "224.0.0.2", &ip, &m, &b);
	assert_int_equal(m.type, IGMP_TYPE_MTRACE_RESP);
	assert_int_equal(b.proto, MTRACE_PROTO_DVMRP_STATIC);
	assert_true(b.s_bit);
	assert_int_equal(b.mask_len, 32);
	assert_int_equal(b.in_addr.s_addr, ip4("198.18.1.1").s_addr);
	assert_int_equal(b.prev_hop.s_addr, 0);
	assert_int_equal(b.fwd_code, MTRACE_FWD_NO_ERROR);
	mt_free(t);
}

/* Every refusal, counted; the rate cap. */
static void
test_refusals(void **state)
{
	struct mt *t = mt_new(false);
	const char *bad[] = { "0.0.0.0", "198.18.3.1", "127.0.0.1", "240.0.0.1",
		"255.255.255.255" };
	struct mtrace_block blocks[46];
	struct mtrace_query q;
	struct mtrace_block b;
	struct mtrace_msg m;
	struct igmp_ip ip;
	uint8_t msg[1600];
	unsigned i;
	int n;

	(void)state;
	q = query("198.18.9.10", "239.1.1.1", "198.18.2.7", "198.18.2.7", 0);
	send_query(t, &q, "198.18.2.1");
	assert_int_equal(st(t)->mtrace_dropped[ROUTER_MTRACE_DROP_HOPS_ZERO],
	    1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		q = query("198.18.9.10", "239.1.1.1", "198.18.2.7", bad[i], 8);
		send_query(t, &q, "198.18.2.1");
	}
	assert_int_equal(st(t)
			     ->mtrace_dropped[ROUTER_MTRACE_DROP_RESPONSE_ADDR],
	    5);
	/* As many blocks as hops: nothing left to do. */
	memset(blocks, 0, sizeof(blocks));
	blocks[0].in_addr = ip4("198.18.2.9");
	q = query("198.18.9.10", "239.1.1.1", "198.18.7.7", "198.18.7.7", 1);
	n = mtrace_build(msg, sizeof(msg), IGMP_TYPE_MTRACE, &q, blocks, 1);
	inject(t, 12, "198.18.2.9", "198.18.2.1", 255, msg, (size_t)n);
	assert_int_equal(st(t)->mtrace_dropped[ROUTER_MTRACE_DROP_HOPS_FULL],
	    1);
	/* A bad checksum: the demultiplexer's; a block cut short: ours. */
	q.hops = 8;
	n = mtrace_build(msg, sizeof(msg), IGMP_TYPE_MTRACE, &q, blocks, 1);
	msg[2] ^= 1;
	inject(t, 12, "198.18.2.9", "198.18.2.1", 255, msg, (size_t)n);
	assert_int_equal(st(t)->rx_dropped[-IGMP_E_CHECKSUM], 1);
	msg[2] ^= 1;
	n = mtrace_build(msg, sizeof(msg), IGMP_TYPE_MTRACE, &q, blocks, 1);
	/* 24 + 20 bytes, resealed. */
	msg[2] = msg[3] = 0;
	{
		uint16_t s = igmp_checksum(msg, 44);

		msg[2] = (uint8_t)(s >> 8);
		msg[3] = (uint8_t)s;
	}
	inject(t, 12, "198.18.2.9", "198.18.2.1", 255, msg, 44);
	assert_int_equal(st(t)->mtrace_malformed[MTRACE_E_BLOCK_TRUNCATED], 1);
	assert_int_equal(t->nsent, 0);
	/* 45 blocks fill 1488 bytes: ours would pass 1500, so the hop before
	   says "no space" and the response goes back without ours. */
	for (i = 0; i < 45; i++) {
		blocks[i].in_addr.s_addr = htonl(0xc6120209u + (i << 16));
		blocks[i].mask_len = 24;
	}
	blocks[44].in_addr = ip4("198.18.2.9");
	q = query("198.18.9.10", "239.1.1.1", "198.18.7.7", "198.18.7.7", 60);
	n = mtrace_build(msg, sizeof(msg), IGMP_TYPE_MTRACE, &q, blocks, 45);
	assert_int_equal(n, 24 + 45 * 32);
	inject(t, 12, "198.18.2.9", "198.18.2.1", 255, msg, (size_t)n);
	the_one(t, &ip, &m, &b);
	assert_int_equal(m.type, IGMP_TYPE_MTRACE_RESP);
	assert_int_equal(m.nblocks, 45);
	assert_int_equal(b.fwd_code, MTRACE_FWD_NO_SPACE);
	assert_false(t->sent[0].o.mtrace.fill);
	/* The cap: ROUTER_MTRACE_RESPONSES_PER_S responses a second. */
	t->now = (t->now / 1000 + 1) * 1000;
	t->nsent = 0;
	for (i = 0; i < ROUTER_MTRACE_RESPONSES_PER_S + 3; i++) {
		q = query("198.18.1.10", "239.1.1.1", "198.18.2.7",
		    "198.18.2.7", 8);
		send_query(t, &q, "198.18.2.1");
	}
	assert_int_equal(t->nsent, ROUTER_MTRACE_RESPONSES_PER_S);
	assert_int_equal(st(t)->mtrace_dropped[ROUTER_MTRACE_DROP_RATE], 3);
	t->now += 1000;
	send_query(t, &q, "198.18.2.1");
	assert_int_equal(t->nsent, ROUTER_MTRACE_RESPONSES_PER_S + 1);
	mt_free(t);
}

/* Unicast IGMP to another host, given us by Linux: sent on, TTL less one. */
static void
test_transit(void **state)
{
	struct mt *t = mt_new(false);
	struct igmp_ip_out io = { .src = ip4("198.18.9.10"),
		.dst = ip4("198.18.2.7"),
		.ttl = 60,
		.router_alert = true };
	uint8_t msg[64], pkt[128], want[128];
	struct mtrace_query q = query("198.18.9.10", "239.1.1.1", "198.18.2.7",
	    "198.18.2.7", 8);
	struct mtrace_block blk = { .in_addr = ip4("198.18.9.1") };
	struct igmp_ip ip;
	const uint8_t *igmp;
	size_t len;
	int n, pn;

	(void)state;
	n = mtrace_build(msg, sizeof(msg), IGMP_TYPE_MTRACE_RESP, &q, &blk, 1);
	pn = igmp_ip_build_out(pkt, sizeof(pkt), &io, msg, (size_t)n);
	router_igmp_packet(t->r, t->now, 11, pkt, (size_t)pn);
	drain(t);
	assert_int_equal(t->nsent, 1);
	assert_int_equal(t->sent[0].o.ifindex, 0);
	assert_int_equal(t->sent[0].o.dst.s_addr, io.dst.s_addr);
	io.ttl = 59;
	assert_int_equal(igmp_ip_build_out(want, sizeof(want), &io, msg,
			     (size_t)n),
	    pn);
	assert_memory_equal(t->sent[0].pkt, want, (size_t)pn);
	assert_int_equal(igmp_ip_decode(t->sent[0].pkt, (size_t)pn, &ip, &igmp,
			     &len),
	    IGMP_OK);
	assert_int_equal(st(t)->rx_in_transit, 1);
	assert_int_equal(st(t)->tx_transit, 1);
	/* TTL 1: it dies here, as in the kernel. */
	io.ttl = 1;
	pn = igmp_ip_build_out(pkt, sizeof(pkt), &io, msg, (size_t)n);
	router_igmp_packet(t->r, t->now, 11, pkt, (size_t)pn);
	drain(t);
	assert_int_equal(t->nsent, 1);
	assert_int_equal(st(t)->transit_ttl_expired, 1);
	assert_int_equal(st(t)->rx_in_transit, 2);
	/* A broadcast is delivered here, not passing through. */
	io.ttl = 60;
	io.dst = ip4("198.18.2.255");
	pn = igmp_ip_build_out(pkt, sizeof(pkt), &io, msg, (size_t)n);
	router_igmp_packet(t->r, t->now, 11, pkt, (size_t)pn);
	io.dst = ip4("255.255.255.255");
	pn = igmp_ip_build_out(pkt, sizeof(pkt), &io, msg, (size_t)n);
	router_igmp_packet(t->r, t->now, 11, pkt, (size_t)pn);
	drain(t);
	assert_int_equal(t->nsent, 1);
	assert_int_equal(st(t)->transit_broadcast, 2);
	mt_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_last_hop_forwards),
		cmocka_unit_test(test_request_forwarded),
		cmocka_unit_test(test_responses),
		cmocka_unit_test(test_forwarding_codes),
		cmocka_unit_test(test_static_route),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_transit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
