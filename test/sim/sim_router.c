/*
 * Three routers (proto/router.h) and their LANs in memory, driven by the
 * virtual-time twin of the event loop (lib/loop.h): IGMP host engines join,
 * the routers elect queriers and learn memberships from the packets they
 * send each other, a sender's datagrams go through a model of the kernel's
 * forwarding cache built from the routers' outputs (upcalls on a miss,
 * WRONGVIF on another interface, TTL thresholds, TTL decremented).  The
 * routers must end with exactly the entries test/fixtures/three_routers.mfc
 * lists, which test/ns/t_mcastd_three.sh checks against the real kernel in
 * network namespaces.
 *
 *  s 198.18.61.10 -- eth1 r1 eth2 --+-- eth1 r2 eth2 -- h3 (joins G1)
 *                    (LAN 61)       +-- eth1 r3 eth2 -- h4 (joins G1, G2)
 *                               (LAN 62)   (LAN 63, LAN 64)
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

#include "igmp_host.h"
#include "loop.h"
#include "router.h"

#define FIXTURE	    "test/fixtures/three_routers.mfc"
#define NROUTERS    3
#define NLANS	    4
#define NHOSTS	    2
#define MAX_ATTACH  4
#define MAX_ENTRIES 32
#define G1	    "239.1.6.1"
#define G2	    "239.1.6.2"
#define SENDER	    "198.18.61.10"
#define IFF_OK	    (IFF_UP | IFF_MULTICAST | IFF_RUNNING)

struct sim;
struct sim_router;
struct sim_host;

/* Something on a LAN: a router's interface or a host. */
struct sim_port {
	struct sim_router *router; /* or NULL */
	unsigned ifindex;
	struct sim_host *host; /* or NULL */
};

struct sim_lan {
	unsigned n; /* 198.18.n.0/24 */
	struct sim_port ports[MAX_ATTACH];
	size_t nports;
};

/* The kernel's forwarding cache as the router's outputs made it. */
struct sim_entry {
	struct in_addr source;
	struct in_addr group;
	unsigned iif;
	uint8_t ttls[MFC_MAXVIFS];
};

struct sim_iface {
	unsigned ifindex;
	const char *name;
	struct sim_lan *lan;
	struct in_addr addr;
};

struct sim_router {
	struct sim *sim;
	const char *name;
	struct router *r;
	struct sim_iface ifaces[2];
	int vif_ifindex[MFC_MAXVIFS]; /* 0: none */
	struct sim_entry mfc[MAX_ENTRIES];
	size_t nmfc;
	uint64_t sent;	    /* IGMP packets */
	uint64_t forwarded; /* datagrams */
	uint64_t wrongvif;
};

struct sim_host {
	struct sim *sim;
	struct igmp_host *h;
	struct sim_lan *lan;
	struct in_addr addr;
	unsigned got[2]; /* datagrams of G1, G2 */
};

struct sim {
	struct loop *loop;
	struct sim_lan lans[NLANS];
	struct sim_router routers[NROUTERS];
	struct sim_host hosts[NHOSTS];
};

static struct in_addr
A(const char *s) {
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in_addr
lan_addr(const struct sim_lan *lan, unsigned host)
{
	struct in_addr a;

	a.s_addr = htonl(0xc6120000u | lan->n << 8 | host);
	return a;
}

static void
lan_attach(struct sim_lan *lan, struct sim_router *r, unsigned ifindex,
    struct sim_host *h)
{
	assert_true(lan->nports < MAX_ATTACH);
	lan->ports[lan->nports].router = r;
	lan->ports[lan->nports].ifindex = ifindex;
	lan->ports[lan->nports].host = h;
	lan->nports++;
}

/*
 * An IGMP-protocol packet on a LAN: every port but the sender's gets it;
 * a host takes what its engine would (queries, others' reports).  What
 * they answer stays in their queues until sim_settle(): a router's output
 * is valid only until its next router_output(), so nobody drains a router
 * while one of its outputs is being delivered.
 */
static void
lan_deliver(struct sim_lan *lan, const struct sim_port *from,
    const uint8_t *pkt, size_t len)
{
	const uint8_t *payload;
	struct igmp_ip ip;
	struct igmp_msg m;
	size_t plen, i;
	mc_time_t now;
	struct sim_port *p;

	for (i = 0; i < lan->nports; i++) {
		p = &lan->ports[i];
		if (p->router == from->router && p->host == from->host)
			continue;
		if (p->router != NULL) {
			now = loop_now(p->router->sim->loop);
			router_igmp_packet(p->router->r, now, p->ifindex, pkt,
			    len);
			continue;
		}
		assert_int_equal(igmp_ip_decode(pkt, len, &ip, &payload, &plen),
		    IGMP_OK);
		assert_int_equal(igmp_decode(payload, plen, &m), IGMP_OK);
		igmp_host_input(p->host->h, loop_now(p->host->sim->loop), &ip,
		    &m);
	}
}

static struct sim_iface *
router_iface(struct sim_router *sr, unsigned ifindex)
{
	unsigned i;

	for (i = 0; i < 2; i++)
		if (sr->ifaces[i].ifindex == ifindex)
			return &sr->ifaces[i];
	return NULL;
}

static struct sim_entry *
mfc_find(struct sim_router *sr, struct in_addr s, struct in_addr g)
{
	size_t i;

	for (i = 0; i < sr->nmfc; i++)
		if (sr->mfc[i].source.s_addr == s.s_addr &&
		    sr->mfc[i].group.s_addr == g.s_addr)
			return &sr->mfc[i];
	return NULL;
}

/* Carry out a router's outputs as the kernel and the wire would. */
static unsigned
router_drain(struct sim_router *sr)
{
	unsigned n = 0;
	const struct router_output *o;
	struct sim_entry *e;
	struct sim_iface *ifc;
	struct sim_port from;

	while ((o = router_output(sr->r)) != NULL) {
		n++;
		switch (o->kind) {
		case ROUTER_OUT_VIF_ADD:
			sr->vif_ifindex[o->vif] = (int)o->ifindex;
			break;
		case ROUTER_OUT_VIF_DEL:
			sr->vif_ifindex[o->vif] = 0;
			break;
		case ROUTER_OUT_SEND:
			/* ifindex 0: by the unicast routing table (IGMP in
			   transit).  These LANs hand every port each packet,
			   unicast to a neighbour too, which a router takes
			   for transit: nothing to carry. */
			if (o->ifindex == 0)
				break;
			ifc = router_iface(sr, o->ifindex);
			assert_non_null(ifc);
			sr->sent++;
			from.router = sr;
			from.ifindex = o->ifindex;
			from.host = NULL;
			lan_deliver(ifc->lan, &from, o->packet, o->len);
			break;
		case ROUTER_OUT_MFC_ADD:
			e = mfc_find(sr, o->source, o->group);
			if (e == NULL) {
				assert_true(sr->nmfc < MAX_ENTRIES);
				e = &sr->mfc[sr->nmfc++];
				e->source = o->source;
				e->group = o->group;
			}
			e->iif = o->iif;
			memcpy(e->ttls, o->ttls, sizeof(e->ttls));
			break;
		case ROUTER_OUT_MFC_DEL:
			e = mfc_find(sr, o->source, o->group);
			if (e != NULL)
				*e = sr->mfc[--sr->nmfc];
			break;
		case ROUTER_OUT_JOIN:
		case ROUTER_OUT_LEAVE:
		case ROUTER_OUT_EVENT:
			break;
		}
	}
	return n;
}

static unsigned
host_drain(struct sim_host *sh)
{
	struct igmp_host_output out;
	struct sim_port from = { NULL, 0, sh };
	uint8_t pkt[2048];
	unsigned n = 0;
	int len;

	while (igmp_host_output(sh->h, &out)) {
		n++;
		len = igmp_ip_build(pkt, sizeof(pkt), sh->addr, out.dst,
		    out.data, out.len);
		assert_true(len > 0);
		lan_deliver(sh->lan, &from, pkt, (size_t)len);
	}
	return n;
}

/* Everybody answers what they got, until the LANs are quiet. */
static void
sim_settle(struct sim *s)
{
	unsigned moved, i;

	do {
		moved = 0;
		for (i = 0; i < NROUTERS; i++)
			moved += router_drain(&s->routers[i]);
		for (i = 0; i < NHOSTS; i++)
			moved += host_drain(&s->hosts[i]);
	} while (moved > 0);
}

static int
vif_of(const struct sim_router *sr, unsigned ifindex)
{
	unsigned v;

	for (v = 0; v < MFC_MAXVIFS; v++)
		if (sr->vif_ifindex[v] == (int)ifindex)
			return (int)v;
	return -1;
}

static void lan_datagram(struct sim_lan *lan, const struct sim_port *from,
    struct in_addr s, struct in_addr g, uint8_t ttl);

/*
 * The kernel's ip_mr_input/ip_mr_forward, for one datagram arriving on a
 * router's interface: a miss upcalls (the datagram waits for the entry),
 * another iif upcalls WRONGVIF and drops, then a copy leaves by every oif
 * whose threshold the TTL exceeds, with the TTL decremented.
 */
static void
router_forward(struct sim_router *sr, unsigned ifindex, struct in_addr s,
    struct in_addr g, uint8_t ttl)
{
	mc_time_t now = loop_now(sr->sim->loop);
	struct sim_port from;
	struct sim_entry *e;
	struct sim_iface *ifc;
	int vif = vif_of(sr, ifindex);
	unsigned v;

	if (vif < 0 || (ntohl(g.s_addr) & 0xffffff00u) == 0xe0000000u)
		return;
	if ((e = mfc_find(sr, s, g)) == NULL) {
		router_upcall(sr->r, now, MFC_UPCALL_NOCACHE, (unsigned)vif, s,
		    g);
		router_drain(sr);
		if ((e = mfc_find(sr, s, g)) == NULL)
			return;
	}
	if (e->iif != (unsigned)vif) {
		sr->wrongvif++;
		router_upcall(sr->r, now, MFC_UPCALL_WRONGVIF, (unsigned)vif, s,
		    g);
		router_drain(sr);
		return;
	}
	for (v = 0; v < MFC_MAXVIFS; v++) {
		if (e->ttls[v] == 0 || ttl <= e->ttls[v] ||
		    sr->vif_ifindex[v] == 0)
			continue;
		ifc = router_iface(sr, (unsigned)sr->vif_ifindex[v]);
		assert_non_null(ifc);
		sr->forwarded++;
		from.router = sr;
		from.ifindex = ifc->ifindex;
		from.host = NULL;
		lan_datagram(ifc->lan, &from, s, g, (uint8_t)(ttl - 1));
	}
}

/* A datagram on a LAN: routers forward it, member hosts count it. */
static void
lan_datagram(struct sim_lan *lan, const struct sim_port *from, struct in_addr s,
    struct in_addr g, uint8_t ttl)
{
	struct igmp_host_group_view hv;
	struct sim_port *p;
	size_t i;

	for (i = 0; i < lan->nports; i++) {
		p = &lan->ports[i];
		if (p->router == from->router && p->host == from->host)
			continue;
		if (p->router != NULL)
			router_forward(p->router, p->ifindex, s, g, ttl);
		else if (igmp_host_group(p->host->h, g, &hv) == 0)
			p->host->got[g.s_addr == A(G2).s_addr]++;
	}
}

static mc_time_t
router_deadline(void *arg)
{
	return router_next_deadline(((struct sim_router *)arg)->r);
}

static void
router_timer(void *arg, mc_time_t now)
{
	struct sim_router *sr = arg;

	router_timeout(sr->r, now);
	sim_settle(sr->sim);
}

static mc_time_t
host_deadline(void *arg)
{
	return igmp_host_next_deadline(((struct sim_host *)arg)->h);
}

static void
host_timer(void *arg, mc_time_t now)
{
	struct sim_host *sh = arg;

	igmp_host_timeout(sh->h, now);
	sim_settle(sh->sim);
}

/* SIM_TRACE=1 in the environment: every router's trace on stderr. */
static void
sim_trace(void *arg, const char *line)
{
	fprintf(stderr, "%s: %s\n", (const char *)arg, line);
}

/* Router i on LANs a (eth1, address .host_a) and b (eth2, .host_b). */
static void
router_init(struct sim *s, int i, const char *name, unsigned a, unsigned host_a,
    unsigned b, unsigned host_b, const struct router_config *rc)
{
	struct sim_router *sr = &s->routers[i];
	static const char *const names[2] = { "eth1", "eth2" };
	unsigned lans[2] = { a, b }, hosts[2] = { host_a, host_b }, k;

	sr->sim = s;
	sr->name = name;
	sr->r = router_new(rc, 100 + (uint64_t)i,
	    getenv("SIM_TRACE") ? sim_trace : NULL, (void *)name);
	assert_non_null(sr->r);
	for (k = 0; k < 2; k++) {
		sr->ifaces[k].ifindex = 2 + k;
		sr->ifaces[k].name = names[k];
		sr->ifaces[k].lan = &s->lans[lans[k]];
		sr->ifaces[k].addr = lan_addr(&s->lans[lans[k]], hosts[k]);
		lan_attach(&s->lans[lans[k]], sr, 2 + k, NULL);
		router_link(sr->r, 2 + k, names[k], IFF_OK);
		router_addr_add(sr->r, 2 + k, sr->ifaces[k].addr, 24);
	}
	assert_true(loop_source_add(s->loop, router_deadline, router_timer,
			sr) > 0);
}

static void
host_init(struct sim *s, int i, unsigned lan, const char *const *groups,
    unsigned ngroups)
{
	struct sim_host *sh = &s->hosts[i];
	unsigned k;

	sh->sim = s;
	sh->lan = &s->lans[lan];
	sh->addr = lan_addr(sh->lan, 10);
	sh->h = igmp_host_new(NULL, sh->addr, 200 + (uint64_t)i, NULL, NULL);
	assert_non_null(sh->h);
	lan_attach(sh->lan, NULL, 0, sh);
	assert_true(loop_source_add(s->loop, host_deadline, host_timer, sh) >
	    0);
	for (k = 0; k < ngroups; k++)
		assert_int_equal(igmp_host_set_filter(sh->h, loop_now(s->loop),
				     A(groups[k]), IGMP_FILTER_EXCLUDE, NULL,
				     0),
		    0);
}

static struct sim *
sim_new(void)
{
	static const char *const h3_groups[] = { G1 };
	static const char *const h4_groups[] = { G1, G2 };
	static struct router_static_group statics[1];
	static struct router_route routes[1];
	struct router_config plain, r1;
	struct sim *s = calloc(1, sizeof(*s));
	unsigned k;

	assert_non_null(s);
	s->loop = loop_new_virtual(0);
	assert_non_null(s->loop);
	for (k = 0; k < NLANS; k++)
		s->lans[k].n = 61 + k;
	router_config_defaults(&plain);
	r1 = plain;
	snprintf(statics[0].ifname, IF_NAMESIZE, "eth2");
	statics[0].group = A(G1);
	r1.statics = statics;
	r1.nstatics = 1;
	snprintf(routes[0].iif, IF_NAMESIZE, "eth1");
	routes[0].group = A(G2);
	routes[0].group_len = 32;
	snprintf(routes[0].oifs[0], IF_NAMESIZE, "eth2");
	routes[0].noifs = 1;
	r1.routes = routes;
	r1.nroutes = 1;
	router_init(s, 0, "r1", 0, 1, 1, 1, &r1);
	router_init(s, 1, "r2", 1, 2, 2, 1, &plain);
	router_init(s, 2, "r3", 1, 3, 3, 1, &plain);
	host_init(s, 0, 2, h3_groups, 1);
	host_init(s, 1, 3, h4_groups, 2);
	/* Everything is wired: the routers start, then hear each other. */
	for (k = 0; k < NROUTERS; k++)
		router_reconcile(s->routers[k].r, loop_now(s->loop));
	sim_settle(s);
	return s;
}

static void
sim_free(struct sim *s)
{
	int i;

	for (i = 0; i < NROUTERS; i++)
		router_free(s->routers[i].r);
	for (i = 0; i < NHOSTS; i++)
		igmp_host_free(s->hosts[i].h);
	loop_free(s->loop);
	free(s);
}

/* The sender on LAN 61 sends one datagram to g with TTL 8. */
static void
sim_send(struct sim *s, const char *g)
{
	struct sim_port from = { NULL, 0, NULL };

	lan_datagram(&s->lans[0], &from, A(SENDER), A(g), 8);
	sim_settle(s);
}

/* Router r's entries as the fixture's lines, sorted. */
static int
line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t
sim_lines(struct sim *s, char **lines, size_t max)
{
	char src[INET_ADDRSTRLEN], grp[INET_ADDRSTRLEN], oifs[64];
	struct sim_router *sr;
	struct sim_iface *ifc;
	size_t n = 0, i, off;
	unsigned v;
	int r;

	for (r = 0; r < NROUTERS; r++) {
		sr = &s->routers[r];
		for (i = 0; i < sr->nmfc; i++) {
			off = 0;
			oifs[0] = '\0';
			for (v = 0; v < MFC_MAXVIFS; v++) {
				if (sr->mfc[i].ttls[v] == 0)
					continue;
				ifc = router_iface(sr,
				    (unsigned)sr->vif_ifindex[v]);
				off += (size_t)snprintf(oifs + off,
				    sizeof(oifs) - off, "%s%s", off ? "," : "",
				    ifc ? ifc->name : "?");
			}
			ifc = router_iface(sr,
			    (unsigned)sr->vif_ifindex[sr->mfc[i].iif]);
			assert_true(n < max);
			assert_true(asprintf(&lines[n++], "%s %s %s %s %s",
					sr->name,
					inet_ntop(AF_INET, &sr->mfc[i].source,
					    src, sizeof(src)),
					inet_ntop(AF_INET, &sr->mfc[i].group,
					    grp, sizeof(grp)),
					ifc ? ifc->name : "?",
					off ? oifs : "-") > 0);
		}
	}
	qsort(lines, n, sizeof(*lines), line_cmp);
	return n;
}

static size_t
fixture_lines(char **lines, size_t max)
{
	FILE *f = fopen(FIXTURE, "r");
	char buf[256];
	size_t n = 0, len;

	if (f == NULL)
		fail_msg("cannot open %s (run from the top of the tree)",
		    FIXTURE);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		len = strlen(buf);
		if (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		if (len == 0 || buf[0] == '#')
			continue;
		assert_true(n < max);
		lines[n++] = strdup(buf);
	}
	fclose(f);
	qsort(lines, n, sizeof(*lines), line_cmp);
	return n;
}

/*
 * The scenario of the fixture: hosts join at 0, the routers settle for
 * 10 s, the sender sends one datagram to each group (and again a second
 * later: now every entry is installed, nothing upcalls).
 */
static void
test_three_routers_reach_the_fixture(void **state)
{
	char *got[MAX_ENTRIES * NROUTERS], *want[MAX_ENTRIES * NROUTERS];
	struct router_vif_view vv;
	struct sim *s = sim_new();
	size_t ngot, nwant, i;
	uint64_t forwarded;

	(void)state;
	assert_int_equal(loop_run_until(s->loop, 10000), 0);
	assert_int_equal(loop_now(s->loop), 10000);
	/* LAN 62's querier is r1, the lowest address (198.18.62.1). */
	assert_int_equal(router_vif(s->routers[0].r, 1, &vv), 0);
	assert_true(igmp_router_is_querier(vv.igmp));
	assert_int_equal(router_vif(s->routers[1].r, 0, &vv), 0);
	assert_false(igmp_router_is_querier(vv.igmp));
	assert_int_equal(igmp_router_querier(vv.igmp).s_addr,
	    A("198.18.62.1").s_addr);
	sim_send(s, G1);
	sim_send(s, G2);
	assert_int_equal(loop_run_until(s->loop, 11000), 0);
	forwarded = s->routers[0].forwarded + s->routers[1].forwarded +
	    s->routers[2].forwarded;
	sim_send(s, G1);
	sim_send(s, G2);
	/* h3 has G1 only, twice; h4 both, twice. */
	assert_int_equal(s->hosts[0].got[0], 2);
	assert_int_equal(s->hosts[0].got[1], 0);
	assert_int_equal(s->hosts[1].got[0], 2);
	assert_int_equal(s->hosts[1].got[1], 2);
	/* r1 twice onto LAN 62, r2 G1 once, r3 both: 5 a round. */
	assert_int_equal(forwarded, 5);
	for (i = 0; i < NROUTERS; i++)
		assert_int_equal(s->routers[i].wrongvif, 0);
	ngot = sim_lines(s, got, MAX_ENTRIES * NROUTERS);
	nwant = fixture_lines(want, MAX_ENTRIES * NROUTERS);
	for (i = 0; i < ngot || i < nwant; i++) {
		if (i < ngot && i < nwant && strcmp(got[i], want[i]) == 0)
			continue;
		fail_msg("entry %zu: got '%s', the fixture says '%s'", i,
		    i < ngot ? got[i] : "(none)",
		    i < nwant ? want[i] : "(none)");
	}
	for (i = 0; i < ngot; i++)
		free(got[i]);
	for (i = 0; i < nwant; i++)
		free(want[i]);
	sim_free(s);
}

/*
 * h3 leaves G1: r2 stops forwarding it within the Last Member Query Time,
 * and the other routers' entries stay as they were.
 */
static void
test_leave_prunes_one_branch(void **state)
{
	struct sim *s = sim_new();
	struct sim_entry *e;

	(void)state;
	assert_int_equal(loop_run_until(s->loop, 10000), 0);
	sim_send(s, G1);
	assert_int_equal(s->hosts[0].got[0], 1);
	assert_int_equal(igmp_host_set_filter(s->hosts[0].h, loop_now(s->loop),
			     A(G1), IGMP_FILTER_INCLUDE, NULL, 0),
	    0);
	sim_settle(s);
	assert_int_equal(loop_run_until(s->loop, 13000), 0);
	e = mfc_find(&s->routers[1], A(SENDER), A(G1));
	assert_non_null(e);
	assert_int_equal(e->ttls[1], 0);
	sim_send(s, G1);
	assert_int_equal(s->hosts[0].got[0], 1);
	assert_int_equal(s->hosts[1].got[0], 2);
	e = mfc_find(&s->routers[2], A(SENDER), A(G1));
	assert_non_null(e);
	assert_int_equal(e->ttls[1], 1);
	sim_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_routers_reach_the_fixture),
		cmocka_unit_test(test_leave_prunes_one_branch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
