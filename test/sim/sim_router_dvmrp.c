/*
 * DVMRP between full routers (proto/router.h, as mcastd runs them) in
 * memory, with the real default intervals on a simulated clock
 * (test/sim/dvmrp_net.h: point-to-point links, a stub LAN per router, a
 * loop check at every step, the kernel's forwarding cache modelled).
 *
 * A chain of 20 routers and a 5 x 5 grid (one router of the grid with
 * metric 3 on its links): every router must end two-way with every
 * neighbour and with a route to every stub and link subnet at the metric
 * a shortest-path search gives (connected: its VIF's metric; each hop
 * adds the metric of the VIF it arrives on), through an upstream
 * neighbour on a shortest path.  Then a link is cut, either as a cable
 * pull (nothing delivered, the interfaces lose their carrier at both
 * ends) or as a loss (nothing delivered, the neighbours time out), and
 * the tables must converge again.  Times in simulated seconds are
 * printed as TAP comments.
 *
 * Forwarding: a datagram from a sender on one corner's stub must reach
 * the stub of the opposite corner (a static membership) exactly once,
 * every router gets it once on its reverse path and never on another
 * interface, and once the prunes have flowed back only the routers of
 * the path still forward it; a link of the path pulled, the stream comes
 * back around it (grafts) and every datagram arrives once again.
 *
 * SIM_TRACE=1 in the environment prints every router's trace on stderr.
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

#include "dvmrp_net.h"
#include "router.h"

/*
 * The metric of the best path from every router to origin o over the
 * links not cut: connected, its VIF's metric; a hop adds the metric of
 * the VIF it arrives on.  INF: unreachable.
 */
static void
shortest(const struct sim *s, unsigned o, int *dist)
{
	const struct sim_link *k;
	unsigned r, l, i, ma, mb;
	bool more = true;

	for (r = 0; r < s->nrouters; r++)
		dist[r] = INF;
	if (o < s->nrouters) {
		dist[o] = s->routers[o].ports[0].metric;
	} else {
		k = &s->links[o - s->nrouters];
		if (!k->down) {
			dist[k->a] = s->routers[k->a].ports[k->pa].metric;
			dist[k->b] = s->routers[k->b].ports[k->pb].metric;
		}
	}
	for (i = 0; more && i < s->nrouters; i++) {
		more = false;
		for (l = 0; l < s->nlinks; l++) {
			k = &s->links[l];
			if (k->lost || k->down)
				continue;
			ma = s->routers[k->a].ports[k->pa].metric;
			mb = s->routers[k->b].ports[k->pb].metric;
			if (dist[k->a] + (int)mb < dist[k->b]) {
				dist[k->b] = dist[k->a] + (int)mb;
				more = true;
			}
			if (dist[k->b] + (int)ma < dist[k->a]) {
				dist[k->a] = dist[k->b] + (int)ma;
				more = true;
			}
		}
	}
	for (r = 0; r < s->nrouters; r++)
		if (dist[r] >= DVMRP_INFINITY)
			dist[r] = INF;
}

/*
 * Whether router r's route to origin o is right: absent (or held down)
 * when unreachable; else up at the shortest metric, connected on the
 * VIF of its subnet or through a neighbour on a shortest path.  NULL,
 * or what is wrong (into why).
 */
static const char *
route_wrong(const struct sim *s, unsigned r, unsigned o, const int *dist,
    char *why, size_t size)
{
	static struct dvmrp_rib_route_view v;
	const struct sim_router *sr = &s->routers[r];
	struct in_addr net, mask;
	int port, up;
	unsigned p;
	uint8_t plen;

	net = origin_net(s, o, &plen);
	mask = in(0xffffffffu << (32 - plen));
	if (!dvmrp_rib_route_find(router_dvmrp_routes(sr->r), net, mask, &v) ||
	    v.state != DVMRP_RIB_UP) {
		if (dist[r] == INF)
			return NULL;
		snprintf(why, size, "r%u: no route to %s/%u (want metric %d)",
		    r, inet_ntoa(net), plen, dist[r]);
		return why;
	}
	if (dist[r] == INF) {
		snprintf(why, size, "r%u: a route to unreachable %s/%u", r,
		    inet_ntoa(net), plen);
		return why;
	}
	port = v.vif < MFC_MAXVIFS ? sr->vif_port[v.vif] : -1;
	if (v.metric != dist[r] || port < 0) {
		snprintf(why, size,
		    "r%u: %s/%u at metric %u on vif %u (want %d)", r,
		    inet_ntoa(net), plen, v.metric, v.vif, dist[r]);
		return why;
	}
	if (v.neighbor.s_addr == INADDR_ANY) {
		if (ntohl(sr->ports[port].addr.s_addr) >> (32 - plen) ==
		    ntohl(net.s_addr) >> (32 - plen))
			return NULL;
		snprintf(why, size, "r%u: %s/%u connected on the wrong vif", r,
		    inet_ntoa(net), plen);
		return why;
	}
	up = router_of_addr(s, v.neighbor);
	p = (unsigned)port;
	if (up < 0 || sr->ports[p].link < 0 ||
	    other_end(&s->links[sr->ports[p].link], r, &p) != (unsigned)up ||
	    dist[up] + sr->ports[port].metric != dist[r]) {
		snprintf(why, size, "r%u: %s/%u via %s, not a shortest path", r,
		    inet_ntoa(net), plen, inet_ntoa(v.neighbor));
		return why;
	}
	return NULL;
}

/* Every router has the right route to every origin; NULL or why not. */
static const char *
routes_wrong(const struct sim *s, char *why, size_t size)
{
	int dist[MAX_ROUTERS];
	unsigned o, r;

	for (o = 0; o < norigins(s); o++) {
		shortest(s, o, dist);
		for (r = 0; r < s->nrouters; r++) {
			if (!s->routers[r].started) {
				snprintf(why, size, "r%u not started", r);
				return why;
			}
			if (route_wrong(s, r, o, dist, why, size) != NULL)
				return why;
		}
	}
	return NULL;
}

static int
count_two_way(void *arg, const struct dvmrp_nbr_view *v)
{
	if (v->state == DVMRP_NBR_TWO_WAY)
		(*(unsigned *)arg)++;
	return 0;
}

/* Both ends of every link that works are two-way neighbours. */
static bool
all_two_way(const struct sim *s)
{
	unsigned r, n = 0, want = 0, l;

	for (l = 0; l < s->nlinks; l++)
		want += s->links[l].lost || s->links[l].down ? 0 : 2;
	for (r = 0; r < s->nrouters; r++)
		if (s->routers[r].started)
			dvmrp_nbr_foreach(router_dvmrp_neighbors(s->routers[r]
								     .r),
			    count_two_way, &n);
	return n == want;
}

static bool
converged(const struct sim *s)
{
	char why[128];

	return routes_wrong(s, why, sizeof(why)) == NULL;
}

static void
assert_converged(const struct sim *s)
{
	char why[128];

	if (routes_wrong(s, why, sizeof(why)) != NULL)
		fail_msg("t=%.3f s: %s", (double)s->now / 1000, why);
}

/* ---- scenarios ---------------------------------------------------------- */

static struct sim *
chain(unsigned n)
{
	struct sim *s = sim_new(n);
	unsigned r;

	for (r = 0; r + 1 < n; r++)
		sim_link(s, r, r + 1);
	return s;
}

/* 5 x 5, router y * 5 + x; r6 (1,1) has metric 3 on its links. */
static struct sim *
grid(void)
{
	struct sim *s = sim_new(25);
	unsigned x, y;

	for (y = 0; y < 5; y++)
		for (x = 0; x < 5; x++) {
			if (x + 1 < 5)
				sim_link(s, y * 5 + x, y * 5 + x + 1);
			if (y + 1 < 5)
				sim_link(s, y * 5 + x, (y + 1) * 5 + x);
		}
	assert_int_equal(s->nlinks, 40);
	sim_metric(s, 6, 3);
	return s;
}

static unsigned
find_link(const struct sim *s, unsigned a, unsigned b)
{
	unsigned l;

	for (l = 0; l < s->nlinks; l++)
		if ((s->links[l].a == a && s->links[l].b == b) ||
		    (s->links[l].a == b && s->links[l].b == a))
			return l;
	fail_msg("no link r%u-r%u", a, b);
	return 0;
}

/* Start, adjacencies, routes, and they stay so for 5 minutes. */
static void
converge(struct sim *s, const char *what)
{
	mc_time_t adj, routes;
	unsigned r;

	adj = run_until_true(s, 0, all_two_way);
	routes = run_until_true(s, 0, converged);
	printf("# %s: two-way in %.3f s, routes complete in %.3f s\n", what,
	    (double)adj / 1000, (double)routes / 1000);
	run_until(s, s->now + 300000);
	assert_converged(s);
	assert_true(all_two_way(s));
	for (r = 0; r < s->nrouters; r++) {
		assert_null(dvmrp_rib_check(router_dvmrp_routes(s->routers[r]
								    .r)));
		assert_int_equal(router_stats(s->routers[r].r)->rx_not_vif, 0);
	}
	assert_int_equal(s->misaddressed, 0);
}

/*
 * Cut link l: a cable pull (the carrier goes at both ends at once) or a
 * loss (nothing gets through; the neighbours time out); the tables must
 * converge again and stay so through hold-downs.
 */
static void
cut_link(struct sim *s, unsigned l, bool pull)
{
	struct sim_link *k = &s->links[l];
	struct sim_router *sr;
	unsigned ends[2] = { k->a, k->b }, ports[2] = { k->pa, k->pb }, i;

	k->lost = true;
	if (pull) {
		k->down = true;
		for (i = 0; i < 2; i++) {
			sr = &s->routers[ends[i]];
			router_link(sr->r, sr->ports[ports[i]].ifindex,
			    sr->ports[ports[i]].name, IFF_UP | IFF_MULTICAST);
			router_reconcile(sr->r, s->now);
			sim_drain(s, ends[i]);
			s->dirty = true;
			sim_checkpoint(s);
		}
	}
}

static void
cut(struct sim *s, unsigned l, bool pull, const char *what)
{
	const struct sim_link *k = &s->links[l];
	mc_time_t t = s->now, again;
	unsigned i;

	cut_link(s, l, pull);
	again = run_until_true(s, t, converged);
	printf("# %s: r%u-r%u %s, routes right again in %.3f s "
	       "(%lu steps, %lu packets, %lu loop checks)\n",
	    what, k->a, k->b, pull ? "pulled" : "lost", (double)again / 1000,
	    s->steps, s->delivered, s->loop_checks);
	run_until(s, s->now + 300000);
	assert_converged(s);
	assert_true(all_two_way(s));
	for (i = 0; i < s->nrouters; i++)
		assert_null(dvmrp_rib_check(router_dvmrp_routes(s->routers[i]
								    .r)));
	assert_int_equal(s->misaddressed, 0);
}

static void
test_chain_pull(void **state)
{
	struct sim *s = chain(20);

	(void)state;
	converge(s, "chain20");
	cut(s, find_link(s, 9, 10), true, "chain20");
	sim_free(s);
}

static void
test_chain_loss(void **state)
{
	struct sim *s = chain(20);

	(void)state;
	converge(s, "chain20");
	cut(s, find_link(s, 9, 10), false, "chain20");
	sim_free(s);
}

static void
test_grid_pull(void **state)
{
	struct sim *s = grid();

	(void)state;
	converge(s, "grid5x5");
	cut(s, find_link(s, 12, 13), true, "grid5x5");
	sim_free(s);
}

static void
test_grid_loss(void **state)
{
	struct sim *s = grid();

	(void)state;
	converge(s, "grid5x5");
	cut(s, find_link(s, 12, 13), false, "grid5x5");
	sim_free(s);
}

/* The routers from `to` up to router 0 by the reverse path to SENDER. */
static uint32_t
path_to(const struct sim *s, unsigned to, unsigned *order, unsigned *n)
{
	struct in_addr nbr;
	uint32_t on = 0;
	unsigned cur = to;
	int up;

	*n = 0;
	for (;;) {
		assert_false(on & 1u << cur);
		on |= 1u << cur;
		order[(*n)++] = cur;
		assert_int_equal(dvmrp_rib_rpf(router_dvmrp_routes(s->routers
								       [cur]
									   .r),
				     in(SENDER), NULL, &nbr, NULL, NULL),
		    0);
		if (nbr.s_addr == INADDR_ANY)
			break;
		up = router_of_addr(s, nbr);
		assert_true(up >= 0);
		cur = (unsigned)up;
	}
	assert_int_equal(cur, 0);
	return on;
}

static unsigned
oifs_of(const struct sim_entry *e)
{
	unsigned v, n = 0;

	for (v = 0; v < MFC_MAXVIFS; v++)
		n += e->ttls[v] != 0;
	return n;
}

/*
 * r24's member leaves: r24 prunes too, and so on up the path, until r0
 * alone gets the datagram; it joins again: the grafts go up the path
 * (each acknowledged) and the next datagram arrives once.
 */
static void
leave_and_join(struct sim *s, const struct router_static_group *j,
    uint32_t path)
{
	uint64_t grafts = 0, acks = 0;
	unsigned r;

	assert_int_equal(router_leave(s->routers[24].r, s->now, j), 0);
	sim_drain(s, 24);
	run_until(s, s->now + 10000);
	sim_send(s);
	for (r = 0; r < s->nrouters; r++) {
		assert_int_equal(s->routers[r].arrived, r == 0);
		assert_int_equal(s->routers[r].got, 0);
	}
	assert_int_equal(router_join(s->routers[24].r, s->now, j), 0);
	sim_drain(s, 24);
	run_until(s, s->now + 1000);
	sim_send(s);
	for (r = 0; r < s->nrouters; r++) {
		assert_int_equal(s->routers[r].arrived, (path >> r) & 1);
		assert_int_equal(s->routers[r].wrongvif, 0);
		assert_int_equal(s->routers[r].got, r == 24);
		grafts += router_stats(s->routers[r].r)->tx_dvmrp[DVMRP_GRAFT];
		acks +=
		    router_stats(s->routers[r].r)->tx_dvmrp[DVMRP_GRAFT_ACK];
	}
	/* One graft per hop of the path, each acknowledged at once. */
	printf("# grid5x5: join again: %llu grafts, %llu acks\n",
	    (unsigned long long)grafts, (unsigned long long)acks);
	assert_int_equal(grafts, 8);
	assert_int_equal(acks, 8);
}

/*
 * A datagram a second while link l of the path is pulled: the stream
 * stops, the routes converge around the cut, the routers of the new path
 * that had pruned graft back, and every datagram from then on reaches
 * r24's stub exactly once.  How long the stream was cut is printed.
 */
static void
stream_across_cut(struct sim *s, unsigned l, bool idle_first)
{
	const struct sim_link *k = &s->links[l];
	mc_time_t t0, back = -1;
	unsigned sec, r, lost = 0;
	uint64_t grafts = 0;

	/* idle_first: 5 minutes of the stream first: the entries of the routers it
	   does not cross go idle and are deleted, their prunes stay. */
	for (sec = 1; idle_first && sec <= 300; sec++) {
		run_until(s, s->now + 1000);
		sim_send(s);
		assert_int_equal(s->routers[24].got, 1);
	}
	t0 = s->now;
	cut_link(s, l, true);
	for (sec = 1; sec <= 300; sec++) {
		run_until(s, t0 + (mc_time_t)sec * 1000);
		sim_send(s);
		for (r = 0; r < s->nrouters; r++) {
			assert_true(s->routers[r].arrived <= 1);
			if (r != 24)
				assert_int_equal(s->routers[r].got, 0);
		}
		if (s->routers[24].got == 1) {
			if (back < 0)
				back = s->now - t0;
			continue;
		}
		if (back >= 0)
			fail_msg("t=%.3f s: datagram lost after the stream "
				 "came back",
			    (double)s->now / 1000);
		lost++;
	}
	assert_true(back >= 0);
	assert_converged(s);
	for (r = 0; r < s->nrouters; r++)
		grafts += router_stats(s->routers[r].r)->tx_dvmrp[DVMRP_GRAFT];
	printf("# grid5x5: r%u-r%u on the path pulled, the stream back after "
	       "%.3f s (%u datagrams lost, %llu grafts sent)\n",
	    k->a, k->b, (double)back / 1000, lost, (unsigned long long)grafts);
	assert_true(grafts > 0);
}

/*
 * r24's stub has a static member of GROUP; the sender is on r0's stub.
 * The first datagram is broadcast down the reverse-path tree (each
 * router gets it once, by its reverse path) and reaches r24's stub once;
 * the prunes flow back; the next datagram goes only along the path.
 */
static void
test_grid_forwarding(void **state)
{
	struct router_static_group j;
	struct sim *s = grid();
	struct sim_router *sr;
	struct sim_entry *e;
	uint32_t path;
	uint64_t prunes = 0;
	unsigned r, onpath = 0, order[MAX_ROUTERS], n;

	(void)state;
	converge(s, "grid5x5 (forwarding)");
	memset(&j, 0, sizeof(j));
	snprintf(j.ifname, IF_NAMESIZE, "stub");
	j.group = in(GROUP);
	assert_int_equal(router_join(s->routers[24].r, s->now, &j), 0);
	sim_drain(s, 24);
	path = path_to(s, 24, order, &n);
	sim_send(s);
	for (r = 0; r < s->nrouters; r++) {
		sr = &s->routers[r];
		assert_int_equal(sr->arrived, 1);
		assert_int_equal(sr->wrongvif, 0);
		assert_int_equal(sr->got, r == 24);
	}
	run_until(s, s->now + 10000);
	sim_send(s);
	for (r = 0; r < s->nrouters; r++) {
		sr = &s->routers[r];
		onpath += (path >> r) & 1;
		prunes += router_stats(sr->r)->tx_dvmrp[DVMRP_PRUNE];
		e = mfc_find(sr, in(SENDER), in(GROUP));
		assert_non_null(e);
		if (path & 1u << r) {
			/* Toward r24, or onto r24's stub. */
			assert_int_equal(oifs_of(e), 1);
			assert_int_equal(sr->arrived, 1);
		} else {
			if (oifs_of(e) != 0)
				fail_msg("r%u off the path still forwards", r);
			assert_int_equal(sr->arrived, 0);
		}
		assert_int_equal(sr->wrongvif, 0);
		assert_int_equal(sr->got, r == 24);
	}
	printf("# grid5x5: %u routers on the path, %llu prunes sent\n", onpath,
	    (unsigned long long)prunes);
	assert_int_equal(onpath, 9); /* a shortest path across: 8 hops */
	assert_true(prunes >= s->nrouters - onpath);
	leave_and_join(s, &j, path);
	stream_across_cut(s, find_link(s, order[4], order[5]), false);
	sim_free(s);
}

/*
 * The same cut after the entries of the routers off the path have gone
 * idle (the idle timeout, 210 s, is far below the prune lifetime).
 */
static void
test_grid_reroute_after_idle(void **state)
{
	struct router_static_group j;
	struct sim *s = grid();
	unsigned order[MAX_ROUTERS], n;

	(void)state;
	converge(s, "grid5x5 (idle)");
	memset(&j, 0, sizeof(j));
	snprintf(j.ifname, IF_NAMESIZE, "stub");
	j.group = in(GROUP);
	assert_int_equal(router_join(s->routers[24].r, s->now, &j), 0);
	sim_drain(s, 24);
	path_to(s, 24, order, &n);
	sim_send(s);
	run_until(s, s->now + 10000);
	stream_across_cut(s, find_link(s, order[4], order[5]), true);
	sim_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_pull),
		cmocka_unit_test(test_chain_loss),
		cmocka_unit_test(test_grid_pull),
		cmocka_unit_test(test_grid_loss),
		cmocka_unit_test(test_grid_forwarding),
		cmocka_unit_test(test_grid_reroute_after_idle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
