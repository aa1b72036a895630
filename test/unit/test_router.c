/*
 * The router library with a fake clock: interfaces becoming VIFs and what
 * the kernel is told (VIF, memberships, queries) in order; a host's report
 * to a forwarding entry; the receive demultiplexer (membership, DVMRP by
 * code, mtrace, unknown types, decode errors, unicast in transit, our own
 * packets, interfaces that are not VIFs); static routes and memberships
 * from the configuration and from mcastctl; and the regressions of the
 * routing-core issue at the router's level: a reload without a
 * static-group line, mcastctl join + leave over IGMP members, a threshold
 * changed by a reload (entries rewritten, the kernel's VIF untouched).
 */
#include <errno.h>
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

#define T0   1000000
#define MAXO 512
#define G    "239.1.2.3"
#define S    "198.18.1.10"

#define IFF_OK (IFF_UP | IFF_MULTICAST | IFF_RUNNING)

struct fx {
	struct router *r;
	struct router_config c;
	struct router_phyint phyints[4];
	struct router_static_group statics[4];
	struct router_route routes[4];
	mc_time_t now;
	struct router_output *o;	       /* MAXO */
	uint8_t (*packets)[ROUTER_MAX_PACKET]; /* theirs */
	size_t no;
};

static struct in_addr
A(const char *s) {
	struct in_addr a;

	if (strcmp(s, "*") == 0) {
		a.s_addr = INADDR_ANY;
		return a;
	}
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void
collect(struct fx *f)
{
	const struct router_output *o;

	while ((o = router_output(f->r)) != NULL) {
		assert_true(f->no < MAXO);
		f->o[f->no] = *o;
		/* A packet lives only as long as its output: keep a copy. */
		if (o->kind == ROUTER_OUT_SEND) {
			assert_true(o->len <= ROUTER_MAX_PACKET);
			memcpy(f->packets[f->no], o->packet, o->len);
			f->o[f->no].packet = f->packets[f->no];
		}
		f->no++;
	}
}

static void
clear(struct fx *f)
{
	f->no = 0;
}

static struct fx *
fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->o = calloc(MAXO, sizeof(*f->o));
	f->packets = calloc(MAXO, sizeof(*f->packets));
	assert_non_null(f->o);
	assert_non_null(f->packets);
	router_config_defaults(&f->c);
	f->c.igmp.version = 2;
	f->c.phyints = f->phyints;
	f->c.statics = f->statics;
	f->c.routes = f->routes;
	f->r = router_new(&f->c, 7, NULL, NULL);
	assert_non_null(f->r);
	f->now = T0;
	return f;
}

static void
fx_free(struct fx *f)
{
	router_free(f->r);
	free(f->o);
	free(f->packets);
	free(f);
}

static void
reload(struct fx *f)
{
	assert_int_equal(router_configure(f->r, f->now, &f->c), 0);
	collect(f);
}

/* Interface ifindex "ethN" with 198.18.N.1/24, then reconcile. */
static void
iface(struct fx *f, unsigned ifindex, unsigned n)
{
	char name[IF_NAMESIZE];
	struct in_addr a;

	snprintf(name, sizeof(name), "eth%u", n);
	a.s_addr = htonl(0xc6120001u | n << 8);
	router_link(f->r, ifindex, name, IFF_OK);
	router_addr_add(f->r, ifindex, a, 24);
	router_reconcile(f->r, f->now);
	collect(f);
}

/* The index of the first output of kind (and event) from k on, or -1. */
static int
find(struct fx *f, size_t k, enum router_output_kind kind, int event)
{
	for (; k < f->no; k++)
		if (f->o[k].kind == kind &&
		    (event < 0 || (int)f->o[k].event == event))
			return (int)k;
	return -1;
}

static size_t
count(struct fx *f, enum router_output_kind kind)
{
	size_t k, n = 0;

	for (k = 0; k < f->no; k++)
		n += f->o[k].kind == kind;
	return n;
}

/* The first SEND from k on to dst, or -1. */
static int
find_send(struct fx *f, size_t k, const char *dst)
{
	for (; k < f->no; k++)
		if (f->o[k].kind == ROUTER_OUT_SEND &&
		    f->o[k].dst.s_addr == A(dst).s_addr)
			return (int)k;
	return -1;
}

/* A packet from src on ifindex: IGMP bytes in an IP header. */
static void
packet(struct fx *f, unsigned ifindex, const char *src, const char *dst,
    uint8_t ttl, bool ra, const uint8_t *igmp, size_t len)
{
	struct igmp_ip_out o = {
		.src = A(src),
		.dst = A(dst),
		.ttl = ttl,
		.router_alert = ra,
	};
	uint8_t pkt[2048];
	int n = igmp_ip_build_out(pkt, sizeof(pkt), &o, igmp, len);

	assert_true(n > 0);
	router_igmp_packet(f->r, f->now, ifindex, pkt, (size_t)n);
	collect(f);
}

static void
v2_report(struct fx *f, unsigned ifindex, const char *host, const char *g)
{
	uint8_t b[8];

	assert_int_equal(igmp_build_v2_report(b, sizeof(b), A(g)), 8);
	packet(f, ifindex, host, g, 1, true, b, 8);
}

static void
v2_leave(struct fx *f, unsigned ifindex, const char *host, const char *g)
{
	uint8_t b[8];

	assert_int_equal(igmp_build_v2_leave(b, sizeof(b), A(g)), 8);
	packet(f, ifindex, host, "224.0.0.2", 1, true, b, 8);
}

static void
upcall(struct fx *f, unsigned vif, const char *s, const char *g)
{
	router_upcall(f->r, f->now, MFC_UPCALL_NOCACHE, vif, A(s), A(g));
	collect(f);
}

/* The last MFC_ADD for (s, g): its ttls as "vif:ttl ...", "none". */
static const char *
last_add(struct fx *f, const char *s, const char *g, char *buf, size_t len)
{
	size_t k, off = 0;
	unsigned v;
	int at = -1;

	for (k = 0; k < f->no; k++)
		if (f->o[k].kind == ROUTER_OUT_MFC_ADD &&
		    f->o[k].source.s_addr == A(s).s_addr &&
		    f->o[k].group.s_addr == A(g).s_addr)
			at = (int)k;
	if (at < 0)
		return "no add";
	buf[0] = '\0';
	for (v = 0; v < MFC_MAXVIFS; v++)
		if (f->o[at].ttls[v])
			off += (size_t)snprintf(buf + off, len - off, "%s%u:%u",
			    off ? " " : "", v, f->o[at].ttls[v]);
	return off ? buf : "none";
}

static void
expect_oifs(struct fx *f, const char *s, const char *g, uint32_t oifs,
    unsigned iif)
{
	struct mfc_entry_view v;

	assert_int_equal(mfc_entry(router_mfc(f->r), A(s), A(g), &v), 0);
	assert_int_equal(v.oifs, oifs);
	assert_int_equal(v.iif, iif);
}

/* ------------------------------------------------------------------ */

/*
 * An interface becomes a VIF: the kernel's VIF first, the router's
 * memberships, then the first query; the event last.  One that is down,
 * disabled or without an address does not.
 */
static void
test_vif_life(void **state)
{
	struct fx *f = fx_new();
	struct router_vif_view vv;
	struct igmp_ip ip;
	struct igmp_msg m;
	struct dvmrp_msg dm;
	const uint8_t *payload;
	size_t plen;
	int k;

	(void)state;
	iface(f, 11, 1);
	assert_int_equal(f->o[0].kind, ROUTER_OUT_VIF_ADD);
	assert_int_equal(f->o[0].vif, 0);
	assert_int_equal(f->o[0].ifindex, 11);
	assert_string_equal(f->o[0].ifname, "eth1");
	assert_int_equal(f->o[0].threshold, 1);
	assert_int_equal(f->o[1].kind, ROUTER_OUT_JOIN);
	assert_int_equal(f->o[1].group.s_addr, A("224.0.0.2").s_addr);
	assert_int_equal(f->o[2].kind, ROUTER_OUT_JOIN);
	assert_int_equal(f->o[2].group.s_addr, A("224.0.0.22").s_addr);
	/* DVMRP runs on it: 224.0.0.4 joined, a probe listing nobody. */
	k = find(f, 3, ROUTER_OUT_JOIN, -1);
	assert_true(k > 2);
	assert_int_equal(f->o[k].group.s_addr, A("224.0.0.4").s_addr);
	k = find_send(f, 0, "224.0.0.4");
	assert_true(k > 2);
	assert_int_equal(igmp_ip_decode(f->o[k].packet, f->o[k].len, &ip,
			     &payload, &plen),
	    IGMP_OK);
	assert_int_equal(ip.ttl, 1);
	assert_true(ip.router_alert);
	assert_int_equal(dvmrp_decode(payload, plen, &dm), DVMRP_OK);
	assert_int_equal(dm.code, DVMRP_PROBE);
	assert_int_equal(dm.caps, DVMRP_CAPS_OURS);
	assert_int_equal(dm.major, 3);
	assert_int_equal(dm.minor, 255);
	assert_int_equal(dm.nneighbors, 0);
	assert_int_equal(router_stats(f->r)->tx_dvmrp[DVMRP_PROBE], 1);
	assert_true(router_dvmrp_running(f->r, 0));
	k = find_send(f, 0, "224.0.0.1");
	assert_true(k > 2);
	assert_int_equal(f->o[k].ifindex, 11);
	/* The packet is complete: TTL 1, Router Alert, from the VIF. */
	assert_int_equal(igmp_ip_decode(f->o[k].packet, f->o[k].len, &ip,
			     &payload, &plen),
	    IGMP_OK);
	assert_int_equal(ip.ttl, 1);
	assert_true(ip.router_alert);
	assert_int_equal(ip.src.s_addr, A("198.18.1.1").s_addr);
	assert_int_equal(igmp_decode(payload, plen, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V2_QUERY);
	assert_true(find(f, 0, ROUTER_OUT_EVENT, ROUTER_EV_VIF_UP) > 0);
	assert_int_equal(router_vif(f->r, 0, &vv), 0);
	assert_string_equal(vv.name, "eth1");
	assert_int_equal(vv.igmp_config->version, 2);
	/* Down: out of every entry, the VIF and memberships go. */
	upcall(f, 0, S, G);
	clear(f);
	router_link(f->r, 11, "eth1", IFF_MULTICAST);
	router_reconcile(f->r, f->now);
	collect(f);
	k = find(f, 0, ROUTER_OUT_VIF_DEL, -1);
	assert_true(k > find(f, 0, ROUTER_OUT_MFC_DEL, -1));
	assert_int_equal(count(f, ROUTER_OUT_LEAVE), 3); /* .2, .22, .4 */
	assert_false(router_dvmrp_running(f->r, 0));
	k = find(f, 0, ROUTER_OUT_EVENT, ROUTER_EV_VIF_DOWN);
	assert_true(k >= 0);
	assert_string_equal(f->o[k].why, "interface down");
	assert_int_equal(router_vif(f->r, 0, &vv), -ENOENT);
	/* Up again: the same VIF number. */
	clear(f);
	router_link(f->r, 11, "eth1", IFF_OK);
	router_reconcile(f->r, f->now);
	collect(f);
	assert_int_equal(f->o[0].kind, ROUTER_OUT_VIF_ADD);
	assert_int_equal(f->o[0].vif, 0);
	/* Disabled by a reload. */
	clear(f);
	snprintf(f->phyints[0].name, IF_NAMESIZE, "eth1");
	f->phyints[0].disable = true;
	f->phyints[0].threshold = 1;
	f->phyints[0].igmp = f->c.igmp;
	f->c.nphyints = 1;
	reload(f);
	k = find(f, 0, ROUTER_OUT_EVENT, ROUTER_EV_VIF_DOWN);
	assert_string_equal(f->o[k].why, "disabled");
	/* No address: not a VIF. */
	clear(f);
	router_link(f->r, 12, "eth2", IFF_OK);
	router_reconcile(f->r, f->now);
	collect(f);
	assert_int_equal(count(f, ROUTER_OUT_VIF_ADD), 0);
	fx_free(f);
}

struct iface_list {
	char line[8][64];
	size_t n;
};

static int
on_iface(void *arg, const struct router_iface_view *v)
{
	struct iface_list *l = arg;

	snprintf(l->line[l->n++], sizeof(l->line[0]), "%u %s %d %s", v->ifindex,
	    v->name, v->vif, router_iface_state_name(v->state));
	return 0;
}

/* The interface view: ordered by ifindex, each with its state. */
static void
test_iface_view(void **state)
{
	struct fx *f = fx_new();
	struct iface_list l = { .n = 0 };

	(void)state;
	iface(f, 12, 2);
	router_link(f->r, 1, "lo", IFF_UP | IFF_LOOPBACK);
	router_link(f->r, 13, "eth3", IFF_MULTICAST);
	router_link(f->r, 14, "eth4", IFF_UP);
	router_addr_add(f->r, 14, A("198.18.4.1"), 24);
	router_link(f->r, 15, "eth5", IFF_OK);
	router_reconcile(f->r, f->now);
	collect(f);
	assert_int_equal(router_foreach_iface(f->r, on_iface, &l), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.line[0], "1 lo -1 loopback");
	assert_string_equal(l.line[1], "12 eth2 0 routing");
	assert_string_equal(l.line[2], "13 eth3 -1 down");
	assert_string_equal(l.line[3], "14 eth4 -1 no-multicast");
	assert_string_equal(l.line[4], "15 eth5 -1 no-address");
	/* The kernel refuses a VIF: not again until the interface changes. */
	clear(f);
	router_addr_add(f->r, 15, A("198.18.5.1"), 24);
	router_reconcile(f->r, f->now);
	collect(f);
	assert_int_equal(f->o[0].kind, ROUTER_OUT_VIF_ADD);
	assert_int_equal(f->o[0].vif, 1);
	router_vif_refused(f->r, f->now, 1, -ENOBUFS);
	collect(f);
	assert_int_equal(count(f, ROUTER_OUT_VIF_DEL), 0);
	router_reconcile(f->r, f->now);
	collect(f);
	assert_int_equal(count(f, ROUTER_OUT_VIF_ADD), 1);
	l.n = 0;
	router_foreach_iface(f->r, on_iface, &l);
	assert_string_equal(l.line[4], "15 eth5 -1 refused");
	assert_int_equal(router_stats(f->r)->vif_refused, 1);
	/*
	 * Up without a carrier (a veth whose peer is not up yet): no VIF, so
	 * no startup query into a link that drops it; the carrier comes, the
	 * VIF with it; it goes, the VIF too.
	 */
	clear(f);
	router_link(f->r, 16, "eth6", IFF_UP | IFF_MULTICAST);
	router_addr_add(f->r, 16, A("198.18.6.1"), 24);
	router_reconcile(f->r, f->now);
	collect(f);
	assert_int_equal(count(f, ROUTER_OUT_VIF_ADD), 0);
	assert_int_equal(count(f, ROUTER_OUT_SEND), 0);
	l.n = 0;
	router_foreach_iface(f->r, on_iface, &l);
	assert_string_equal(l.line[5], "16 eth6 -1 no-carrier");
	router_link(f->r, 16, "eth6", IFF_OK);
	router_reconcile(f->r, f->now);
	collect(f);
	assert_int_equal(count(f, ROUTER_OUT_VIF_ADD), 1);
	assert_int_equal(count(f, ROUTER_OUT_SEND), 2); /* query, probe */
	clear(f);
	router_link(f->r, 16, "eth6", IFF_UP | IFF_MULTICAST);
	router_reconcile(f->r, f->now);
	collect(f);
	assert_int_equal(count(f, ROUTER_OUT_VIF_DEL), 1);
	assert_string_equal(f->o[find(f, 0, ROUTER_OUT_EVENT,
				     ROUTER_EV_VIF_DOWN)]
				.why,
	    "no carrier");
	fx_free(f);
}

/* A host's report to a forwarding entry, and its leave. */
static void
test_report_to_entry(void **state)
{
	struct fx *f = fx_new();
	char buf[256];

	(void)state;
	iface(f, 11, 1);
	iface(f, 12, 2);
	clear(f);
	v2_report(f, 12, "198.18.2.20", G);
	assert_int_equal(router_stats(f->r)->rx_membership, 1);
	upcall(f, 0, S, G);
	assert_string_equal(last_add(f, S, G, buf, sizeof(buf)), "1:1");
	expect_oifs(f, S, G, 0x2, 0);
	/* The leave: the querier asks, nobody answers, the entry empties. */
	clear(f);
	v2_leave(f, 12, "198.18.2.20", G);
	assert_int_equal(find(f, 0, ROUTER_OUT_SEND, -1), 0);
	f->now += 2000;
	router_timeout(f->r, f->now);
	collect(f);
	assert_string_equal(last_add(f, S, G, buf, sizeof(buf)), "none");
	assert_true(find(f, 0, ROUTER_OUT_EVENT, ROUTER_EV_MFC_EMPTY) >= 0);
	fx_free(f);
}

/* The IGMP checksum of an 8..64-byte message, written into it. */
static void
seal(uint8_t *msg, size_t len)
{
	int n;

	msg[2] = msg[3] = 0;
	n = igmp_checksum(msg, len);
	msg[2] = (uint8_t)(n >> 8);
	msg[3] = (uint8_t)n;
}

/* Everything of the IGMP protocol number, told apart and counted. */
static void
test_demultiplexer(void **state)
{
	static const uint8_t probe[12] = { 0x13, 0x01, 0, 0, 0, 0, 0xff, 0x03 };
	static const uint8_t unknown[8] = { 0x42, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t msg[64], pkt[64];
	const struct router_stats *st;
	struct igmp_ip_out o;
	int k, n;

	(void)state;
	struct fx *f = fx_new();

	iface(f, 11, 1);
	clear(f);
	st = router_stats(f->r);
	/* DVMRP probe (code 1), and graft (8). */
	memcpy(msg, probe, 12);
	seal(msg, 12);
	packet(f, 11, "198.18.1.7", "224.0.0.4", 1, false, msg, 12);
	assert_int_equal(st->rx_dvmrp[1], 1);
	msg[1] = 8;
	seal(msg, 12);
	packet(f, 11, "198.18.1.7", "198.18.1.1", 1, false, msg, 12);
	assert_int_equal(st->rx_dvmrp[8], 1);
	/* The probe was whole; a graft of 4 body bytes is not (8 or 12). */
	assert_int_equal(st->rx_dvmrp_malformed[DVMRP_E_PROBE_LENGTH], 0);
	assert_int_equal(st->rx_dvmrp_malformed[DVMRP_E_PRUNE_GRAFT_LENGTH], 1);
	/* A report whose one route has metric 0: counted by code, refused. */
	memcpy(msg, probe, 8);
	msg[1] = 2;
	msg[8] = 0xff; /* mask 255.255.255.0 */
	msg[9] = 0xff;
	msg[10] = 0x00;
	msg[11] = 198; /* origin 198.18.1.0: three bytes */
	msg[12] = 18;
	msg[13] = 1;
	msg[14] = 0x80; /* the last route, metric 0 */
	seal(msg, 15);
	packet(f, 11, "198.18.1.7", "224.0.0.4", 1, false, msg, 15);
	assert_int_equal(st->rx_dvmrp[2], 1);
	assert_int_equal(st->rx_dvmrp_malformed[DVMRP_E_REPORT_METRIC], 1);
	/* With metric 1 it is whole. */
	msg[14] = 0x81;
	seal(msg, 15);
	packet(f, 11, "198.18.1.7", "224.0.0.4", 1, false, msg, 15);
	assert_int_equal(st->rx_dvmrp[2], 2);
	assert_int_equal(st->rx_dvmrp_malformed[DVMRP_E_REPORT_METRIC], 1);
	assert_int_equal(st->rx_dvmrp_malformed[DVMRP_E_REPORT_TRUNCATED], 0);
	/* An mtrace query (type 0x1f, 24 bytes) to us. */
	memset(msg, 0, 24);
	msg[0] = 0x1f;
	msg[1] = 8;
	seal(msg, 24);
	packet(f, 11, "198.18.1.7", "198.18.1.1", 64, true, msg, 24);
	assert_int_equal(st->rx_mtrace_query, 1);
	/* The same to another router's unicast address: in transit. */
	packet(f, 11, "198.18.1.7", "198.18.9.9", 64, true, msg, 24);
	assert_int_equal(st->rx_in_transit, 1);
	assert_int_equal(st->rx_mtrace_query, 1);
	/* An unknown type: counted, one event. */
	memcpy(msg, unknown, 8);
	seal(msg, 8);
	packet(f, 11, "198.18.1.7", "224.0.0.1", 1, true, msg, 8);
	assert_int_equal(st->rx_unknown, 1);
	k = find(f, 0, ROUTER_OUT_EVENT, ROUTER_EV_RX_UNKNOWN);
	assert_true(k >= 0);
	assert_int_equal(f->o[k].type, 0x42);
	assert_int_equal(f->o[k].addr.s_addr, A("198.18.1.7").s_addr);
	/* A bad checksum: dropped, counted by error, one event. */
	msg[2] ^= 0xff;
	packet(f, 11, "198.18.1.7", "224.0.0.1", 1, true, msg, 8);
	assert_int_equal(st->rx_dropped[-IGMP_E_CHECKSUM], 1);
	k = find(f, 0, ROUTER_OUT_EVENT, ROUTER_EV_RX_DROPPED);
	assert_int_equal(f->o[k].error, IGMP_E_CHECKSUM);
	/* A report with TTL 2: kept, said. */
	clear(f);
	assert_int_equal(igmp_build_v2_report(msg, 8, A(G)), 8);
	packet(f, 11, "198.18.1.7", G, 2, true, msg, 8);
	assert_int_equal(st->rx_ttl_not_1, 1);
	assert_int_equal(st->rx_membership, 1);
	k = find(f, 0, ROUTER_OUT_EVENT, ROUTER_EV_RX_TTL);
	assert_int_equal(f->o[k].ttl, 2);
	/* Our own query, looped back. */
	o = (struct igmp_ip_out){ A("198.18.1.1"), A("224.0.0.1"), 1, true };
	assert_int_equal(igmp_build_v2_query(msg, 8, A("0.0.0.0"), 100), 8);
	n = igmp_ip_build_out(pkt, sizeof(pkt), &o, msg, 8);
	router_igmp_packet(f->r, f->now, 11, pkt, (size_t)n);
	assert_int_equal(st->rx_own, 1);
	/* On an interface that is not a VIF; a short IP header. */
	router_igmp_packet(f->r, f->now, 99, pkt, (size_t)n);
	assert_int_equal(st->rx_not_vif, 1);
	router_igmp_packet(f->r, f->now, 11, pkt, 10);
	assert_int_equal(st->rx_dropped[-IGMP_E_IP_SHORT], 1);
	assert_int_equal(st->rx, 12);
	collect(f);
	fx_free(f);
}

struct route_list {
	char line[8][96];
	size_t n;
};

static int
on_route(void *arg, const struct router_route_view *v)
{
	struct route_list *l = arg;
	char s[INET_ADDRSTRLEN];

	snprintf(l->line[l->n++], sizeof(l->line[0]), "%s %s %s%s%s %#x",
	    v->route->has_source ?
		inet_ntop(AF_INET, &v->route->source, s, sizeof(s)) :
		"*",
	    v->route->iif, v->runtime ? "runtime" : "file",
	    v->applied ? " applied" : "", v->shadowed ? " shadowed" : "",
	    v->oifs);
	return 0;
}

static struct router_route
route(const char *src, const char *g, const char *iif, const char *oif)
{
	struct router_route rt;

	memset(&rt, 0, sizeof(rt));
	snprintf(rt.iif, sizeof(rt.iif), "%s", iif);
	rt.has_source = strcmp(src, "*") != 0;
	rt.source = A(src);
	rt.group = A(g);
	rt.group_len = 32;
	snprintf(rt.oifs[0], sizeof(rt.oifs[0]), "%s", oif);
	rt.noifs = 1;
	return rt;
}

/* Static routes from the file and from mcastctl, resolved by name. */
static void
test_routes(void **state)
{
	struct fx *f = fx_new();
	struct route_list l = { .n = 0 };
	struct router_route rt;
	char buf[256];

	(void)state;
	iface(f, 11, 1);
	iface(f, 12, 2);
	f->routes[0] = route(S, G, "eth1", "eth2");
	f->c.nroutes = 1;
	clear(f);
	reload(f);
	assert_string_equal(last_add(f, S, G, buf, sizeof(buf)), "1:1");
	/* mcastctl: a new one naming an interface not there yet. */
	rt = route("*", "239.9.9.9", "eth3", "eth1");
	assert_int_equal(router_route_add(f->r, f->now, &rt, NULL), 0);
	/* The same again: replaced. */
	assert_int_equal(router_route_add(f->r, f->now, &rt, NULL), 1);
	/* The file's (S,G) again at run time: shadowed. */
	rt = route(S, G, "eth2", "eth1");
	assert_int_equal(router_route_add(f->r, f->now, &rt, NULL), 0);
	collect(f);
	router_foreach_route(f->r, on_route, &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.line[0], "198.18.1.10 eth1 file applied 0x2");
	assert_string_equal(l.line[1], "* eth3 runtime 0");
	assert_string_equal(l.line[2], "198.18.1.10 eth2 runtime shadowed 0");
	/* eth3 appears: the route applies. */
	iface(f, 13, 3);
	upcall(f, 2, "198.18.3.5", "239.9.9.9");
	expect_oifs(f, "198.18.3.5", "239.9.9.9", 0x1, 2);
	/* Deleting: mcastctl's only. */
	rt = route("*", "239.9.9.9", "eth3", "eth1");
	assert_int_equal(router_route_del(f->r, f->now, &rt), 0);
	assert_int_equal(router_route_del(f->r, f->now, &rt), -ENOENT);
	collect(f);
	assert_true(find(f, 0, ROUTER_OUT_MFC_DEL, -1) >= 0);
	rt = route(S, "10.0.0.1", "eth1", "eth2");
	assert_int_equal(router_route_add(f->r, f->now, &rt, NULL), -EINVAL);
	fx_free(f);
}

/*
 * Regression 1: a reload that removes a static-group line takes its
 * interface out of the entry (before, only joins that still existed were
 * pushed after a reload).
 */
static void
test_regression_reload_removes_static_group(void **state)
{
	struct fx *f = fx_new();
	char buf[256];

	(void)state;
	iface(f, 11, 1);
	iface(f, 12, 2);
	iface(f, 13, 3);
	snprintf(f->statics[0].ifname, IF_NAMESIZE, "eth2");
	f->statics[0].group = A(G);
	snprintf(f->statics[1].ifname, IF_NAMESIZE, "eth3");
	f->statics[1].group = A(G);
	f->c.nstatics = 2;
	reload(f);
	upcall(f, 0, S, G);
	assert_string_equal(last_add(f, S, G, buf, sizeof(buf)), "1:1 2:1");
	clear(f);
	f->c.nstatics = 1;
	reload(f);
	assert_string_equal(last_add(f, S, G, buf, sizeof(buf)), "1:1");
	assert_int_equal(count(f, ROUTER_OUT_MFC_ADD), 1);
	/* The same configuration again: nothing written. */
	clear(f);
	reload(f);
	assert_int_equal(count(f, ROUTER_OUT_MFC_ADD), 0);
	fx_free(f);
}

/*
 * Regression 2: mcastctl join then leave on an interface whose hosts are
 * IGMP members leaves forwarding as it was; before, the leave cut the
 * interface until the hosts' view changed.
 */
static void
test_regression_join_leave_over_igmp(void **state)
{
	struct router_static_group j;
	struct fx *f = fx_new();
	char buf[256];

	(void)state;
	iface(f, 11, 1);
	iface(f, 12, 2);
	v2_report(f, 12, "198.18.2.20", G);
	upcall(f, 0, S, G);
	assert_string_equal(last_add(f, S, G, buf, sizeof(buf)), "1:1");
	memset(&j, 0, sizeof(j));
	snprintf(j.ifname, sizeof(j.ifname), "eth2");
	j.group = A(G);
	clear(f);
	assert_int_equal(router_join(f->r, f->now, &j), 0);
	assert_int_equal(router_join(f->r, f->now, &j), -EEXIST);
	assert_int_equal(router_leave(f->r, f->now, &j), 0);
	assert_int_equal(router_leave(f->r, f->now, &j), -ENOENT);
	collect(f);
	assert_int_equal(count(f, ROUTER_OUT_MFC_ADD), 0);
	expect_oifs(f, S, G, 0x2, 0);
	/* The hosts' next report changes nothing either. */
	v2_report(f, 12, "198.18.2.20", G);
	assert_int_equal(count(f, ROUTER_OUT_MFC_ADD), 0);
	expect_oifs(f, S, G, 0x2, 0);
	fx_free(f);
}

/*
 * Regression 3: a threshold changed by a reload rewrites the entries that
 * use the interface (their TTLs) and nothing else: the kernel's VIF is not
 * deleted and added again.
 */
static void
test_regression_threshold_reload(void **state)
{
	struct fx *f = fx_new();
	char buf[256];

	(void)state;
	iface(f, 11, 1);
	iface(f, 12, 2);
	v2_report(f, 12, "198.18.2.20", G);
	upcall(f, 0, S, G);
	upcall(f, 1, "198.18.2.9", "239.5.5.5");
	snprintf(f->phyints[0].name, IF_NAMESIZE, "eth2");
	f->phyints[0].threshold = 16;
	f->phyints[0].igmp = f->c.igmp;
	f->c.nphyints = 1;
	clear(f);
	reload(f);
	assert_int_equal(count(f, ROUTER_OUT_VIF_DEL), 0);
	assert_int_equal(count(f, ROUTER_OUT_VIF_ADD), 0);
	assert_int_equal(count(f, ROUTER_OUT_MFC_DEL), 0);
	assert_int_equal(count(f, ROUTER_OUT_MFC_ADD), 1);
	assert_string_equal(last_add(f, S, G, buf, sizeof(buf)), "1:16");
	assert_int_equal(count(f, ROUTER_OUT_SEND), 0);
	fx_free(f);
}

/*
 * A range and wildcards: 'to eth+' follows the VIFs as they come and go,
 * 'from eth+' takes the VIF a flow arrives on; a name ending in '+' with
 * a source is refused.
 */
static void
test_route_wildcards(void **state)
{
	struct fx *f = fx_new();
	struct route_list l = { .n = 0 };
	struct router_route rt;

	(void)state;
	iface(f, 11, 1);
	iface(f, 12, 2);
	rt = route("*", "239.4.0.0", "eth1", "eth+");
	rt.group_len = 16;
	assert_int_equal(router_route_add(f->r, f->now, &rt, NULL), 0);
	upcall(f, 0, S, "239.4.1.1");
	expect_oifs(f, S, "239.4.1.1", 0x2, 0);
	/* eth3 appears: it matches, and the entry goes out of it too. */
	iface(f, 13, 3);
	expect_oifs(f, S, "239.4.1.1", 0x6, 0);
	router_foreach_route(f->r, on_route, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.line[0], "* eth1 runtime applied 0x6");
	/* It goes: out of the entry. */
	router_link_del(f->r, 13);
	router_reconcile(f->r, f->now);
	collect(f);
	expect_oifs(f, S, "239.4.1.1", 0x2, 0);
	/* From any eth: the VIF it came in by. */
	rt = route("*", "239.5.0.0", "eth+", "eth+");
	rt.group_len = 16;
	assert_int_equal(router_route_add(f->r, f->now, &rt, NULL), 0);
	upcall(f, 1, S, "239.5.0.1");
	expect_oifs(f, S, "239.5.0.1", 0x1, 1);
	/* Replacing says what it was. */
	{
		struct router_route old;

		rt = route("*", "239.5.0.0", "eth+", "eth2");
		rt.group_len = 16;
		assert_int_equal(router_route_add(f->r, f->now, &rt, &old), 1);
		assert_string_equal(old.oifs[0], "eth+");
	}
	rt = route(S, "239.6.6.6", "eth+", "eth1");
	assert_int_equal(router_route_add(f->r, f->now, &rt, NULL), -EINVAL);
	rt = route("*", "239.6.6.6", "eth1", "eth2");
	rt.group_len = 8;
	assert_int_equal(router_route_add(f->r, f->now, &rt, NULL), -EINVAL);
	assert_true(router_name_matches("eth+", "eth0"));
	assert_true(router_name_matches("eth+", "eth"));
	assert_true(router_name_matches("+", "lo"));
	assert_false(router_name_matches("eth+", "et0"));
	assert_false(router_name_matches("eth1", "eth10"));
	fx_free(f);
}

/*
 * A tunnel's device (phyint tunnel, mcastd's TUN with LOCAL/32): DVMRP
 * runs there, its probes and reports go unicast to the far end (TTL 255,
 * Router Alert) instead of 224.0.0.4, the far end becomes a neighbour
 * whatever its address (the /32 would refuse it on a LAN), and mrinfo's
 * Neighbors 2 flags the VIF a tunnel.
 */
static void
test_tunnel_vif(void **state)
{
	struct fx *f = fx_new();
	struct dvmrp_nbr_vif_view nv;
	struct dvmrp_vif_iter it;
	struct dvmrp_vif_info vi;
	struct in_addr none[1];
	struct igmp_ip ip;
	struct dvmrp_msg dm;
	const uint8_t *payload;
	uint8_t b[64];
	size_t plen;
	int k, n;

	(void)state;
	memset(&f->phyints[0], 0, sizeof(f->phyints[0]));
	snprintf(f->phyints[0].name, IF_NAMESIZE, "mtun0");
	f->phyints[0].threshold = 1;
	f->phyints[0].igmp = f->c.igmp;
	f->phyints[0].tunnel = true;
	f->phyints[0].tunnel_remote = A("198.18.83.1");
	f->c.nphyints = 1;
	reload(f);
	clear(f);
	router_link(f->r, 21, "mtun0", IFF_OK | IFF_POINTOPOINT);
	router_addr_add(f->r, 21, A("198.18.82.1"), 32);
	router_reconcile(f->r, f->now);
	collect(f);
	assert_int_equal(f->o[0].kind, ROUTER_OUT_VIF_ADD);
	assert_string_equal(f->o[0].ifname, "mtun0");
	assert_true(router_dvmrp_running(f->r, 0));
	/* No IGMP on a tunnel: no query, no 224.0.0.2/.22, only .4. */
	assert_int_equal(find_send(f, 0, "224.0.0.1"), -1);
	assert_int_equal(count(f, ROUTER_OUT_JOIN), 1);
	assert_int_equal(f->o[find(f, 0, ROUTER_OUT_JOIN, -1)].group.s_addr,
	    A("224.0.0.4").s_addr);
	assert_int_equal(find_send(f, 0, "224.0.0.4"), -1);
	k = find_send(f, 0, "198.18.83.1");
	assert_true(k > 0);
	assert_int_equal(f->o[k].ifindex, 21);
	assert_int_equal(igmp_ip_decode(f->o[k].packet, f->o[k].len, &ip,
			     &payload, &plen),
	    IGMP_OK);
	assert_int_equal(ip.src.s_addr, A("198.18.82.1").s_addr);
	assert_int_equal(ip.dst.s_addr, A("198.18.83.1").s_addr);
	assert_int_equal(ip.ttl, 255);
	assert_true(ip.router_alert);
	assert_int_equal(dvmrp_decode(payload, plen, &dm), DVMRP_OK);
	assert_int_equal(dm.code, DVMRP_PROBE);
	/* The neighbour engine takes any source there. */
	assert_int_equal(dvmrp_nbr_vif(router_dvmrp_neighbors(f->r), 0, &nv),
	    0);
	assert_int_equal(nv.prefix_len, 0);
	/* The far end's probe, listing us: two-way at once. */
	none[0] = A("198.18.82.1");
	n = dvmrp_build_probe(b, sizeof(b), DVMRP_CAPS_OURS, 77, none, 1);
	assert_true(n > 0);
	clear(f);
	packet(f, 21, "198.18.83.1", "198.18.82.1", 255, true, b, (size_t)n);
	assert_int_equal(dvmrp_nbr_vif(router_dvmrp_neighbors(f->r), 0, &nv),
	    0);
	assert_int_equal(nv.two_way, 1);
	{
		/* The far end's kernel reporting 224.0.0.4: counted, not
		   taken (no "not on the subnet" notice). */
		uint8_t rep[8] = { 0x16, 0, 0, 0, 224, 0, 0, 4 };

		seal(rep, sizeof(rep));
		clear(f);
		packet(f, 21, "198.18.83.1", "224.0.0.4", 1, true, rep,
		    sizeof(rep));
		assert_int_equal(router_stats(f->r)->rx_on_tunnel, 1);
		assert_int_equal(count(f, ROUTER_OUT_EVENT), 0);
	}
	/* mrinfo: the VIF is a tunnel, with the far end as neighbour. */
	n = dvmrp_build_ask_neighbors2(b, sizeof(b), DVMRP_CAPS_OURS);
	assert_true(n > 0);
	clear(f);
	packet(f, 21, "198.18.83.1", "198.18.82.1", 255, false, b, (size_t)n);
	k = find_send(f, 0, "198.18.83.1");
	while (k >= 0) {
		assert_int_equal(igmp_ip_decode(f->o[k].packet, f->o[k].len,
				     &ip, &payload, &plen),
		    IGMP_OK);
		assert_int_equal(dvmrp_decode(payload, plen, &dm), DVMRP_OK);
		if (dm.code == DVMRP_NEIGHBORS2)
			break;
		k = find_send(f, (size_t)k + 1, "198.18.83.1");
	}
	assert_true(k >= 0);
	dvmrp_vifs_begin(&dm, &it);
	assert_true(dvmrp_vifs_next(&it, &vi));
	assert_int_equal(vi.local.s_addr, A("198.18.82.1").s_addr);
	assert_true(vi.flags & DVMRP_VIF_TUNNEL);
	assert_int_equal(vi.nneighbors, 1);
	none[0] = A("198.18.83.1");
	assert_memory_equal(vi.neighbors, &none[0].s_addr, 4);
	assert_false(dvmrp_vifs_next(&it, &vi));
	fx_free(f);
}

/* Run the router's timers up to t, collecting what they output. */
static void
run_until(struct fx *f, mc_time_t t)
{
	mc_time_t d;

	while ((d = router_next_deadline(f->r)) <= t) {
		f->now = d > f->now ? d : f->now;
		router_timeout(f->r, f->now);
		collect(f);
	}
	f->now = t;
}

/* The DVMRP code of output k (a SEND), or -1. */
static int
dvmrp_code(struct fx *f, size_t k)
{
	struct igmp_ip ip;
	struct dvmrp_msg dm;
	const uint8_t *payload;
	size_t plen;

	if (f->o[k].kind != ROUTER_OUT_SEND ||
	    igmp_ip_decode(f->o[k].packet, f->o[k].len, &ip, &payload, &plen) !=
		IGMP_OK ||
	    dvmrp_decode(payload, plen, &dm) != DVMRP_OK)
		return -1;
	return dm.code;
}

/*
 * Regression: a neighbour restarts (a new GenID, its probe lists nobody)
 * within the probe hold-off after our last extra probe.  The report we
 * send at once reaches a router that does not know us yet and refuses it;
 * the full report must go again after our held probe listing it (the
 * neighbour engine's SEND_REPORT), or the restarted router learns our
 * routes only at the next periodic report, a minute later.  (Seen on a
 * tunnel: rB's mcastd restarted just after rA's reload.)
 */
static void
test_regression_report_after_restart(void **state)
{
	struct fx *f = fx_new();
	struct in_addr us[1];
	uint8_t b[64];
	size_t k, probe = 0, report = 0;
	int n;

	(void)state;
	iface(f, 11, 1); /* its subnet is what we report on eth2 */
	iface(f, 12, 2);
	us[0] = A("198.18.2.1");
	n = dvmrp_build_probe(b, sizeof(b), DVMRP_CAPS_OURS, 1, us, 1);
	packet(f, 12, "198.18.2.2", "224.0.0.4", 1, true, b, (size_t)n);
	/* Our answer to it went out just now: the next waits the hold-off. */
	run_until(f, f->now + 100);
	/* It restarts: GenID 2, nobody listed. */
	n = dvmrp_build_probe(b, sizeof(b), DVMRP_CAPS_OURS, 2, NULL, 0);
	clear(f);
	packet(f, 12, "198.18.2.2", "224.0.0.4", 1, true, b, (size_t)n);
	run_until(f, f->now + 3000);
	for (k = 0; k < f->no; k++) {
		if (f->o[k].kind != ROUTER_OUT_SEND || f->o[k].ifindex != 12)
			continue;
		if (dvmrp_code(f, k) == DVMRP_PROBE)
			probe = k + 1;
		else if (dvmrp_code(f, k) == DVMRP_REPORT && probe > 0)
			report = k + 1;
	}
	/* A probe (listing it), then a full report after it. */
	assert_true(probe > 0);
	assert_true(report > probe);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vif_life),
		cmocka_unit_test(test_iface_view),
		cmocka_unit_test(test_report_to_entry),
		cmocka_unit_test(test_demultiplexer),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_route_wildcards),
		cmocka_unit_test(test_regression_reload_removes_static_group),
		cmocka_unit_test(test_regression_join_leave_over_igmp),
		cmocka_unit_test(test_regression_threshold_reload),
		cmocka_unit_test(test_tunnel_vif),
		cmocka_unit_test(test_regression_report_after_restart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
