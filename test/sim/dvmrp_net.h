/*
 * The network of test/sim/sim_router_dvmrp.c: full routers (proto/
 * router.h, as mcastd runs them) wired in memory on a simulated clock.
 * Every packet a router sends (ROUTER_OUT_SEND, IPv4 header included)
 * reaches the router at the other end of its point-to-point link
 * DELAY_MS later through router_igmp_packet(), multicast or unicast to
 * that router's address; timers run at router_next_deadline(); each
 * router also has a stub LAN nobody else is on.  Addresses: router r's
 * stub 198.18.r.1/24; link l the /30 at 198.19.0.0 + 4 l, .1 its first
 * router, .2 its second.  After every DVMRP probe or report delivered and
 * every timer run, following the upstream neighbours from any router
 * toward any origin must never come back to a router already seen.
 *
 * Datagrams go through a model of the kernel's forwarding cache built
 * from the routers' MFC outputs, as in sim_router.c: upcalls on a miss,
 * WRONGVIF on another interface, TTL thresholds, TTL decremented.
 *
 * Only for one simulation to include (static functions).
 */
#ifndef MCAST_TEST_SIM_DVMRP_NET_H
#define MCAST_TEST_SIM_DVMRP_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "router.h"

#define MAX_ROUTERS  25
#define MAX_LINKS    40
#define MAX_PORTS    5 /* the stub and four links */
#define MAX_MSGS     4096
#define MAX_PKT	     1500
#define MAX_ENTRIES  8
#define DELAY_MS     1
#define SIM_LIMIT_MS ((mc_time_t)4 * 3600 * 1000)
#define IFF_OK	     (IFF_UP | IFF_MULTICAST | IFF_RUNNING)
#define INF	     1000
#define SENDER	     0xc612000au /* 198.18.0.10, on router 0's stub */
#define GROUP	     0xef010b01u /* 239.1.11.1 */

struct sim_port {
	unsigned ifindex;
	char name[IF_NAMESIZE];
	struct in_addr addr;
	uint8_t plen;
	uint8_t metric;
	int link; /* -1: the stub */
};

/* The kernel's forwarding cache as the router's outputs made it. */
struct sim_entry {
	struct in_addr source, group;
	unsigned iif;
	uint8_t ttls[MFC_MAXVIFS];
	uint64_t packets; /* in by iif */
};

struct sim_router {
	struct router *r;
	char name[8];
	struct router_config rc;
	struct router_phyint phyints[MAX_PORTS];
	struct sim_port ports[MAX_PORTS];
	unsigned nports;
	mc_time_t start_at;
	bool started;
	int vif_port[MFC_MAXVIFS]; /* -1: no VIF */
	struct sim_entry mfc[MAX_ENTRIES];
	size_t nmfc;
	unsigned arrived; /* datagrams in by the entry's iif */
	unsigned wrongvif;
	unsigned got; /* datagrams onto its stub */
};

struct sim_link {
	unsigned a, b;	 /* routers */
	unsigned pa, pb; /* their ports */
	bool lost;	 /* nothing is delivered */
	bool down;	 /* and the interfaces have no carrier */
};

struct sim_msg {
	mc_time_t at;
	uint64_t seq;
	unsigned from, port;
	struct in_addr dst;
	size_t len;
	uint8_t pkt[MAX_PKT];
};

struct sim {
	struct sim_router routers[MAX_ROUTERS];
	unsigned nrouters;
	struct sim_link links[MAX_LINKS];
	unsigned nlinks;
	struct sim_msg msgs[MAX_MSGS];
	size_t nmsgs;
	uint64_t seq;
	mc_time_t now;
	bool dirty; /* routes may have changed since the last check */
	unsigned long steps, loop_checks, delivered, misaddressed;
};

static struct in_addr
in(uint32_t host)
{
	struct in_addr a = { htonl(host) };

	return a;
}

static uint32_t
stub_net(unsigned r)
{
	return 0xc6120000u | r << 8;
}

static uint32_t
link_net(unsigned l)
{
	return 0xc6130000u | l << 2;
}

/* SIM_TRACE=1 in the environment: every router's trace on stderr. */
static void
sim_trace(void *arg, const char *line)
{
	fprintf(stderr, "%s: %s\n", (const char *)arg, line);
}

static unsigned
add_port(struct sim_router *sr, int link, uint32_t addr, uint8_t plen)
{
	unsigned p = sr->nports++;
	struct sim_port *pt = &sr->ports[p];

	assert_true(p < MAX_PORTS);
	pt->ifindex = 2 + p;
	if (link < 0)
		snprintf(pt->name, IF_NAMESIZE, "stub");
	else
		snprintf(pt->name, IF_NAMESIZE, "eth%u", p);
	pt->addr = in(addr);
	pt->plen = plen;
	pt->metric = 1;
	pt->link = link;
	return p;
}

/* n routers, each with its stub; they start 137 ms apart. */
static struct sim *
sim_new(unsigned n)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct sim_router *sr;
	unsigned r, v;

	assert_non_null(s);
	assert_true(n <= MAX_ROUTERS);
	s->nrouters = n;
	for (r = 0; r < n; r++) {
		sr = &s->routers[r];
		snprintf(sr->name, sizeof(sr->name), "r%u", r);
		router_config_defaults(&sr->rc);
		sr->start_at = (mc_time_t)r * 137;
		for (v = 0; v < MFC_MAXVIFS; v++)
			sr->vif_port[v] = -1;
		add_port(sr, -1, stub_net(r) | 1, 24);
	}
	return s;
}

static void
sim_link(struct sim *s, unsigned a, unsigned b)
{
	unsigned l = s->nlinks++;
	struct sim_link *k = &s->links[l];

	assert_true(l < MAX_LINKS);
	k->a = a;
	k->b = b;
	k->pa = add_port(&s->routers[a], (int)l, link_net(l) | 1, 30);
	k->pb = add_port(&s->routers[b], (int)l, link_net(l) | 2, 30);
}

/* Every link of router r at metric m (phyint ethN metric m). */
static void
sim_metric(struct sim *s, unsigned r, uint8_t m)
{
	struct sim_router *sr = &s->routers[r];
	struct router_phyint *pi;
	unsigned p;

	for (p = 0; p < sr->nports; p++) {
		if (sr->ports[p].link < 0)
			continue;
		sr->ports[p].metric = m;
		pi = &sr->phyints[sr->rc.nphyints++];
		memset(pi, 0, sizeof(*pi));
		/* Both are IF_NAMESIZE arrays, in different structures. */
		memcpy(pi->name, sr->ports[p].name, IF_NAMESIZE);
		pi->name[IF_NAMESIZE - 1] = '\0';
		pi->threshold = 1;
		pi->igmp = sr->rc.igmp;
		pi->metric = m;
	}
	sr->rc.phyints = sr->phyints;
}

static void
sim_free(struct sim *s)
{
	unsigned r;

	for (r = 0; r < s->nrouters; r++)
		router_free(s->routers[r].r);
	free(s);
}

static int
port_of_ifindex(const struct sim_router *sr, unsigned ifindex)
{
	unsigned p;

	for (p = 0; p < sr->nports; p++)
		if (sr->ports[p].ifindex == ifindex)
			return (int)p;
	return -1;
}

static struct sim_entry *
mfc_find(struct sim_router *sr, struct in_addr src, struct in_addr g)
{
	size_t i;

	for (i = 0; i < sr->nmfc; i++)
		if (sr->mfc[i].source.s_addr == src.s_addr &&
		    sr->mfc[i].group.s_addr == g.s_addr)
			return &sr->mfc[i];
	return NULL;
}

/* A packet onto the wire of router r's port, delivered DELAY_MS later. */
static void
sim_enqueue(struct sim *s, unsigned r, const struct router_output *o)
{
	struct sim_msg *m;
	int p = port_of_ifindex(&s->routers[r], o->ifindex);
	size_t hl = (size_t)(o->packet[0] & 0x0f) * 4;

	assert_true(p >= 0);
	assert_true(o->len > hl && o->len <= MAX_PKT);
	/* DVMRP: TTL 1 to 224.0.0.4, 255 to a neighbour (dvmrp_wire.h). */
	if (o->packet[9] == IPPROTO_IGMP && o->packet[hl] == IGMP_TYPE_DVMRP)
		assert_int_equal(o->packet[8],
		    IN_MULTICAST(ntohl(o->dst.s_addr)) ? DVMRP_TTL_MULTICAST :
							 DVMRP_TTL_UNICAST);
	assert_true(s->nmsgs < MAX_MSGS);
	m = &s->msgs[s->nmsgs++];
	m->at = s->now + DELAY_MS;
	m->seq = s->seq++;
	m->from = r;
	m->port = (unsigned)p;
	m->dst = o->dst;
	m->len = o->len;
	memcpy(m->pkt, o->packet, o->len);
}

/* Carry out router r's outputs as the kernel and the wire would. */
static void
sim_drain(struct sim *s, unsigned r)
{
	struct sim_router *sr = &s->routers[r];
	const struct router_output *o;
	struct sim_entry *e;

	while ((o = router_output(sr->r)) != NULL) {
		switch (o->kind) {
		case ROUTER_OUT_VIF_ADD:
			sr->vif_port[o->vif] = port_of_ifindex(sr, o->ifindex);
			assert_true(sr->vif_port[o->vif] >= 0);
			break;
		case ROUTER_OUT_VIF_DEL:
			sr->vif_port[o->vif] = -1;
			break;
		case ROUTER_OUT_SEND:
			sim_enqueue(s, r, o);
			break;
		case ROUTER_OUT_MFC_ADD:
			if ((e = mfc_find(sr, o->source, o->group)) == NULL) {
				assert_true(sr->nmfc < MAX_ENTRIES);
				e = &sr->mfc[sr->nmfc++];
				e->source = o->source;
				e->group = o->group;
				e->packets = 0;
			}
			e->iif = o->iif;
			memcpy(e->ttls, o->ttls, sizeof(e->ttls));
			break;
		case ROUTER_OUT_MFC_DEL:
			if ((e = mfc_find(sr, o->source, o->group)) != NULL)
				*e = sr->mfc[--sr->nmfc];
			break;
		case ROUTER_OUT_JOIN:
		case ROUTER_OUT_LEAVE:
		case ROUTER_OUT_EVENT:
			break;
		}
	}
}

/* The kernel announces router r's interfaces; the router starts. */
static void
sim_start(struct sim *s, unsigned r)
{
	struct sim_router *sr = &s->routers[r];
	struct sim_port *pt;
	unsigned p;

	sr->r = router_new(&sr->rc, 1000 + (uint64_t)r,
	    getenv("SIM_TRACE") ? sim_trace : NULL, sr->name);
	assert_non_null(sr->r);
	for (p = 0; p < sr->nports; p++) {
		pt = &sr->ports[p];
		router_link(sr->r, pt->ifindex, pt->name, IFF_OK);
		router_addr_add(sr->r, pt->ifindex, pt->addr, pt->plen);
	}
	router_reconcile(sr->r, s->now);
	sr->started = true;
	sim_drain(s, r);
}

/* ---- the network ---------------------------------------------------- */

static unsigned
other_end(const struct sim_link *k, unsigned r, unsigned *port)
{
	*port = k->a == r ? k->pb : k->pa;
	return k->a == r ? k->b : k->a;
}

/* The router that has addr on a link (or a stub), or -1. */
static int
router_of_addr(const struct sim *s, struct in_addr addr)
{
	unsigned r, p;

	for (r = 0; r < s->nrouters; r++)
		for (p = 0; p < s->routers[r].nports; p++)
			if (s->routers[r].ports[p].addr.s_addr == addr.s_addr)
				return (int)r;
	return -1;
}

/* A DVMRP probe or report: what can change neighbours and routes. */
static bool
routing_packet(const struct sim_msg *m)
{
	size_t hl = (size_t)(m->pkt[0] & 0x0f) * 4;

	return m->len > hl + 1 && m->pkt[hl] == IGMP_TYPE_DVMRP &&
	    (m->pkt[hl + 1] == DVMRP_PROBE || m->pkt[hl + 1] == DVMRP_REPORT);
}

/* To the other end of the link: multicast, or unicast to its address. */
static void
sim_deliver(struct sim *s, const struct sim_msg *m)
{
	struct sim_router *from = &s->routers[m->from];
	int link = from->ports[m->port].link;
	struct sim_link *k;
	unsigned to, port;

	if (link < 0)
		return; /* the stub: nobody to hear it */
	k = &s->links[link];
	if (k->lost || k->down)
		return;
	to = other_end(k, m->from, &port);
	if (!IN_MULTICAST(ntohl(m->dst.s_addr)) &&
	    s->routers[to].ports[port].addr.s_addr != m->dst.s_addr) {
		s->misaddressed++;
		return;
	}
	if (!s->routers[to].started)
		return;
	s->delivered++;
	router_igmp_packet(s->routers[to].r, s->now,
	    s->routers[to].ports[port].ifindex, m->pkt, m->len);
	sim_drain(s, to);
	if (routing_packet(m))
		s->dirty = true;
}

/* ---- checks ----------------------------------------------------------- */

/* Origins: the stubs, then the links. */
static unsigned
norigins(const struct sim *s)
{
	return s->nrouters + s->nlinks;
}

static struct in_addr
origin_net(const struct sim *s, unsigned o, uint8_t *plen)
{
	*plen = o < s->nrouters ? 24 : 30;
	return in(o < s->nrouters ? stub_net(o) : link_net(o - s->nrouters));
}

/*
 * From every router toward every origin, following the upstream
 * neighbours: no router twice.  A router with no route drops (no loop).
 */
static void
check_no_loop(struct sim *s)
{
	int next[MAX_ROUTERS], n;
	struct in_addr nbr, net;
	unsigned o, r, cur;
	uint32_t seen;
	uint8_t plen;

	s->loop_checks++;
	for (o = 0; o < norigins(s); o++) {
		net = origin_net(s, o, &plen);
		net.s_addr |= htonl(1);
		for (r = 0; r < s->nrouters; r++) {
			next[r] = -1;
			if (!s->routers[r].started ||
			    dvmrp_rib_rpf(router_dvmrp_routes(s->routers[r].r),
				net, NULL, &nbr, NULL, NULL) != 0 ||
			    nbr.s_addr == INADDR_ANY)
				continue;
			n = router_of_addr(s, nbr);
			if (n < 0)
				fail_msg("t=%.3f s: r%u routes origin %u via "
					 "%s, nobody's address",
				    (double)s->now / 1000, r, o,
				    inet_ntoa(nbr));
			next[r] = n;
		}
		for (r = 0; r < s->nrouters; r++) {
			seen = 0;
			for (cur = r; next[cur] >= 0;
			     cur = (unsigned)next[cur]) {
				if (seen & 1u << cur)
					fail_msg("t=%.3f s: a loop toward "
						 "origin %u through r%u",
					    (double)s->now / 1000, o, cur);
				seen |= 1u << cur;
			}
		}
	}
}

/* ---- time --------------------------------------------------------------- */

static mc_time_t
sim_next(const struct sim *s, mc_time_t limit)
{
	mc_time_t next = limit;
	unsigned r;
	size_t i;

	for (r = 0; r < s->nrouters; r++)
		next = mc_time_min(next,
		    s->routers[r].started ?
			router_next_deadline(s->routers[r].r) :
			s->routers[r].start_at);
	for (i = 0; i < s->nmsgs; i++)
		next = mc_time_min(next, s->msgs[i].at);
	return next;
}

/* The oldest packet due at s->now, out of the queue into m. */
static bool
sim_take(struct sim *s, struct sim_msg *m)
{
	size_t i, best = s->nmsgs;

	for (i = 0; i < s->nmsgs; i++)
		if (s->msgs[i].at <= s->now &&
		    (best == s->nmsgs || s->msgs[i].seq < s->msgs[best].seq))
			best = i;
	if (best == s->nmsgs)
		return false;
	*m = s->msgs[best];
	s->msgs[best] = s->msgs[--s->nmsgs];
	return true;
}

static void
sim_checkpoint(struct sim *s)
{
	if (s->dirty) {
		s->dirty = false;
		check_no_loop(s);
	}
}

/* Everything due at s->now, checked after each packet and timer. */
static void
sim_step(struct sim *s)
{
	static struct sim_msg m;
	struct sim_router *sr;
	unsigned r;

	s->steps++;
	while (sim_take(s, &m)) {
		sim_deliver(s, &m);
		sim_checkpoint(s);
	}
	for (r = 0; r < s->nrouters; r++) {
		sr = &s->routers[r];
		if (!sr->started) {
			if (sr->start_at <= s->now) {
				sim_start(s, r);
				s->dirty = true;
				sim_checkpoint(s);
			}
			continue;
		}
		if (router_next_deadline(sr->r) > s->now)
			continue;
		router_timeout(sr->r, s->now);
		sim_drain(s, r);
		s->dirty = true;
		sim_checkpoint(s);
	}
}

static void
run_until(struct sim *s, mc_time_t end)
{
	mc_time_t next;

	while ((next = sim_next(s, end)) < end) {
		s->now = next;
		sim_step(s);
	}
	s->now = end;
}

/* Steps until done(s); the time it took from `from`. */
static mc_time_t
run_until_true(struct sim *s, mc_time_t from, bool (*done)(const struct sim *))
{
	while (!done(s)) {
		s->now = sim_next(s, SIM_LIMIT_MS);
		assert_true(s->now < SIM_LIMIT_MS);
		sim_step(s);
	}
	return s->now - from;
}

/* ---- forwarding --------------------------------------------------------- */

static void sim_datagram(struct sim *s, unsigned r, unsigned port,
    struct in_addr src, struct in_addr g, uint8_t ttl);

/*
 * The kernel's ip_mr_input/ip_mr_forward for a datagram arriving on
 * router r's port: a miss upcalls (the datagram waits for the entry),
 * another iif upcalls WRONGVIF and drops, then a copy leaves by every
 * oif whose threshold the TTL exceeds, with the TTL decremented.
 */
static void
sim_forward(struct sim *s, unsigned r, unsigned port, struct in_addr src,
    struct in_addr g, uint8_t ttl)
{
	struct sim_router *sr = &s->routers[r];
	struct sim_entry *e;
	int vif = -1;
	unsigned v;

	for (v = 0; v < MFC_MAXVIFS; v++)
		if (sr->vif_port[v] == (int)port)
			vif = (int)v;
	if (vif < 0)
		return;
	if ((e = mfc_find(sr, src, g)) == NULL) {
		router_upcall(sr->r, s->now, MFC_UPCALL_NOCACHE, (unsigned)vif,
		    src, g);
		sim_drain(s, r);
		if ((e = mfc_find(sr, src, g)) == NULL)
			return;
	}
	if (e->iif != (unsigned)vif) {
		sr->wrongvif++;
		router_upcall(sr->r, s->now, MFC_UPCALL_WRONGVIF, (unsigned)vif,
		    src, g);
		sim_drain(s, r);
		return;
	}
	sr->arrived++;
	e->packets++;
	for (v = 0; v < MFC_MAXVIFS; v++)
		if (e->ttls[v] != 0 && ttl > e->ttls[v] && sr->vif_port[v] >= 0)
			sim_datagram(s, r, (unsigned)sr->vif_port[v], src, g,
			    (uint8_t)(ttl - 1));
}

/* A datagram out of router r's port: its stub counts it, or the router
   at the other end of the link forwards it. */
static void
sim_datagram(struct sim *s, unsigned r, unsigned port, struct in_addr src,
    struct in_addr g, uint8_t ttl)
{
	int link = s->routers[r].ports[port].link;
	struct sim_link *k;
	unsigned to, p;

	if (link < 0) {
		s->routers[r].got++;
		return;
	}
	k = &s->links[link];
	if (k->lost || k->down)
		return;
	to = other_end(k, r, &p);
	sim_forward(s, to, p, src, g, ttl);
}

/*
 * The sender on router 0's stub sends one datagram; then every router
 * reads its entries' counters, as mcastd polls them (an entry nothing
 * comes in by goes after the idle timeout).
 */
static void
sim_send(struct sim *s)
{
	struct sim_router *sr;
	struct sim_entry *e;
	unsigned r;

	for (r = 0; r < s->nrouters; r++)
		s->routers[r].arrived = s->routers[r].wrongvif =
		    s->routers[r].got = 0;
	sim_forward(s, 0, 0, in(SENDER), in(GROUP), 64);
	for (r = 0; r < s->nrouters; r++) {
		sr = &s->routers[r];
		if ((e = mfc_find(sr, in(SENDER), in(GROUP))) == NULL)
			continue;
		router_mfc_counters(sr->r, s->now, e->source, e->group,
		    e->packets, e->packets * 100, 0);
		sim_drain(s, r);
	}
}

#endif
