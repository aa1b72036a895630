/*
 * DVMRP route tables (proto/dvmrp_rib.h) wired in memory on a virtual
 * clock: every report one router sends on a link reaches the router at its
 * other end 10 ms later, neighbours are up from the start.  A chain of 20
 * routers and a 5 x 5 grid, each router with a stub subnet and a /30 per
 * link: every router must end with a route to every subnet at the metric a
 * breadth-first search gives; then a link is cut (its reports lost, its
 * neighbours down after the 35 s neighbour time-out) and the tables must
 * converge again; the same for count to infinity's triangle.  At every
 * step, following the upstream neighbours from any router toward any
 * origin never comes back to a router already seen.
 * Convergence times in simulated seconds are printed as TAP comments.
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
#include <cmocka.h>

#include "dvmrp_rib.h"

#define MAX_ROUTERS  25
#define MAX_LINKS    48
#define MAX_VIFS     5 /* the stub and four links */
#define MAX_MSGS     4096
#define DELAY_MS     10
#define NBR_TIMEOUT  35000 /* draft: Neighbor Time-out Interval */
#define SIM_LIMIT_MS 3000000

struct sim_link {
	unsigned a, b;	   /* routers */
	unsigned via, vib; /* their VIFs */
	bool cut;
};

struct sim_msg {
	mc_time_t at;
	unsigned link;
	unsigned to; /* router */
	size_t n;
	struct dvmrp_route *routes;
};

struct sim {
	struct dvmrp_rib *rib[MAX_ROUTERS];
	unsigned nrouters;
	struct sim_link links[MAX_LINKS];
	unsigned nlinks;
	int vif_link[MAX_ROUTERS][MAX_VIFS]; /* -1: the stub */
	unsigned nvifs[MAX_ROUTERS];
	struct sim_msg msgs[MAX_MSGS];
	size_t nmsgs;
	mc_time_t now;
	bool changed; /* a route changed since the last check */
	unsigned long steps, loop_checks;
};

/* Router r's stub: 198.18.r.0/24; link l: 198.19.x.y/30, .1 a, .2 b. */
static uint32_t
stub_net(unsigned r)
{
	return 0xc6120000u | (r << 8);
}

static uint32_t
link_net(unsigned l)
{
	return 0xc6130000u | (l << 2);
}

static struct in_addr
in(uint32_t host)
{
	struct in_addr a = { htonl(host) };

	return a;
}

static unsigned
add_vif(struct sim *s, unsigned r, int link, uint32_t local, uint32_t net,
    unsigned plen)
{
	struct dvmrp_rib_vif v = { in(local), in(net), (uint8_t)plen, 1 };
	unsigned vif = s->nvifs[r]++;

	assert_true(vif < MAX_VIFS);
	s->vif_link[r][vif] = link;
	assert_int_equal(dvmrp_rib_vif_add(s->rib[r], s->now, vif, &v), 0);
	return vif;
}

static void
sim_init(struct sim *s, unsigned nrouters)
{
	struct dvmrp_rib_config c;
	unsigned r;

	memset(s, 0, sizeof(*s));
	dvmrp_rib_config_defaults(&c);
	s->nrouters = nrouters;
	for (r = 0; r < nrouters; r++) {
		s->rib[r] = dvmrp_rib_new(&c, NULL, NULL);
		assert_non_null(s->rib[r]);
		/* Routers start at different times, as in life. */
		dvmrp_rib_start(s->rib[r], (mc_time_t)r * 1370);
		add_vif(s, r, -1, stub_net(r) | 1, stub_net(r), 24);
	}
}

static void
sim_link(struct sim *s, unsigned a, unsigned b)
{
	struct sim_link *l = &s->links[s->nlinks];
	unsigned i = s->nlinks++;

	assert_true(s->nlinks <= MAX_LINKS);
	l->a = a;
	l->b = b;
	l->via = add_vif(s, a, (int)i, link_net(i) | 1, link_net(i), 30);
	l->vib = add_vif(s, b, (int)i, link_net(i) | 2, link_net(i), 30);
	assert_int_equal(dvmrp_rib_neighbor_up(s->rib[a], s->now, l->via,
			     in(link_net(i) | 2)),
	    0);
	assert_int_equal(dvmrp_rib_neighbor_up(s->rib[b], s->now, l->vib,
			     in(link_net(i) | 1)),
	    0);
}

static void
sim_fini(struct sim *s)
{
	unsigned r;
	size_t i;

	for (r = 0; r < s->nrouters; r++)
		dvmrp_rib_free(s->rib[r]);
	for (i = 0; i < s->nmsgs; i++)
		free(s->msgs[i].routes);
}

/* The outputs of router r: reports onto their links. */
static void
sim_outputs(struct sim *s, unsigned r)
{
	struct dvmrp_rib_output o;
	struct sim_link *l;
	struct sim_msg *m;
	int link;

	while (dvmrp_rib_output(s->rib[r], &o)) {
		if (o.kind == DVMRP_RIB_OUT_ROUTE_CHANGED)
			s->changed = true;
		if (o.kind != DVMRP_RIB_OUT_REPORT)
			continue;
		link = s->vif_link[r][o.vif];
		assert_true(link >= 0); /* never onto the stub */
		l = &s->links[link];
		if (l->cut)
			continue;
		assert_true(s->nmsgs < MAX_MSGS);
		m = &s->msgs[s->nmsgs++];
		m->at = s->now + DELAY_MS;
		m->link = (unsigned)link;
		m->to = l->a == r ? l->b : l->a;
		m->n = o.nroutes;
		m->routes = malloc(o.nroutes * sizeof(*o.routes));
		assert_non_null(m->routes);
		memcpy(m->routes, o.routes, o.nroutes * sizeof(*o.routes));
	}
}

/* The router that has addr on a link, or -1. */
static int
router_of(const struct sim *s, uint32_t addr)
{
	unsigned l = (addr & 0xffffu) >> 2;

	if ((addr & 0xffff0000u) != 0xc6130000u || l >= s->nlinks)
		return -1;
	return (addr & 3) == 1 ? (int)s->links[l].a : (int)s->links[l].b;
}

/* Origins: stubs then links; its owners. */
static unsigned
norigins(const struct sim *s)
{
	return s->nrouters + s->nlinks;
}

static uint32_t
origin_net(const struct sim *s, unsigned o, unsigned *plen)
{
	*plen = o < s->nrouters ? 24 : 30;
	return o < s->nrouters ? stub_net(o) : link_net(o - s->nrouters);
}

static bool
owns(const struct sim *s, unsigned r, unsigned o)
{
	if (o < s->nrouters)
		return r == o;
	return s->links[o - s->nrouters].a == r ||
	    s->links[o - s->nrouters].b == r;
}

/* From every router toward every origin: no router twice. */
static void
check_no_loop(struct sim *s)
{
	bool seen[MAX_ROUTERS];
	struct in_addr nbr;
	unsigned r, o, cur, plen;
	uint32_t net;
	int next;

	s->loop_checks++;
	for (o = 0; o < norigins(s); o++) {
		net = origin_net(s, o, &plen);
		for (r = 0; r < s->nrouters; r++) {
			memset(seen, 0, sizeof(seen));
			cur = r;
			while (!owns(s, cur, o)) {
				if (seen[cur])
					fail_msg("t=%.3f s: loop toward origin "
						 "%u through router %u",
					    (double)s->now / 1000, o, cur);
				seen[cur] = true;
				if (dvmrp_rib_rpf(s->rib[cur], in(net | 1),
					NULL, &nbr, NULL, NULL) != 0)
					break; /* no route: dropped, no loop */
				next = router_of(s, ntohl(nbr.s_addr));
				assert_true(next >= 0);
				cur = (unsigned)next;
			}
		}
	}
}

/* Hop counts from the owners of origin o over the links not cut. */
static void
bfs(const struct sim *s, unsigned o, int *dist)
{
	unsigned q[MAX_ROUTERS], head = 0, tail = 0, r, l, other;

	for (r = 0; r < s->nrouters; r++) {
		dist[r] = owns(s, r, o) ? 0 : -1;
		if (dist[r] == 0)
			q[tail++] = r;
	}
	while (head < tail) {
		r = q[head++];
		for (l = 0; l < s->nlinks; l++) {
			if (s->links[l].cut ||
			    (s->links[l].a != r && s->links[l].b != r))
				continue;
			other = s->links[l].a == r ? s->links[l].b :
						     s->links[l].a;
			if (dist[other] < 0) {
				dist[other] = dist[r] + 1;
				q[tail++] = other;
			}
		}
	}
}

/* Every router has every reachable origin at 1 + hops (vif metric 1),
   and no route to an unreachable one. */
static bool
converged(const struct sim *s)
{
	struct dvmrp_rib_route_view v;
	int dist[MAX_ROUTERS];
	unsigned o, r, plen;
	uint32_t net;
	bool have;

	for (o = 0; o < norigins(s); o++) {
		net = origin_net(s, o, &plen);
		bfs(s, o, dist);
		for (r = 0; r < s->nrouters; r++) {
			struct in_addr mask = { htonl(0xffffffffu
			    << (32 - plen)) };

			have = dvmrp_rib_route_find(s->rib[r], in(net), mask,
				   &v) &&
			    v.state == DVMRP_RIB_UP;
			if (dist[r] < 0 ? have :
					  !have || v.metric != 1 + dist[r])
				return false;
		}
	}
	return true;
}

/* The neighbour time-out at both ends of link l. */
static void
sim_neighbors_down(struct sim *s, unsigned cut)
{
	struct sim_link *l = &s->links[cut];

	dvmrp_rib_neighbor_down(s->rib[l->a], s->now, l->via,
	    in(link_net(cut) | 2));
	dvmrp_rib_neighbor_down(s->rib[l->b], s->now, l->vib,
	    in(link_net(cut) | 1));
	sim_outputs(s, l->a);
	sim_outputs(s, l->b);
}

/* The time of the next event (a timer or a delivery), at most limit. */
static mc_time_t
sim_next(const struct sim *s, mc_time_t limit)
{
	mc_time_t next = limit;
	unsigned r;
	size_t i;

	for (r = 0; r < s->nrouters; r++)
		next = mc_time_min(next, dvmrp_rib_next_deadline(s->rib[r]));
	for (i = 0; i < s->nmsgs; i++)
		next = mc_time_min(next, s->msgs[i].at);
	return next;
}

/* Everything due at s->now: deliveries, then timers; then the check. */
static void
sim_step(struct sim *s)
{
	struct sim_link *l;
	struct sim_msg m;
	unsigned r;
	size_t i;

	s->steps++;
	for (i = 0; i < s->nmsgs;) {
		if (s->msgs[i].at > s->now) {
			i++;
			continue;
		}
		m = s->msgs[i];
		s->msgs[i] = s->msgs[--s->nmsgs];
		l = &s->links[m.link];
		if (!l->cut)
			dvmrp_rib_report(s->rib[m.to], s->now,
			    m.to == l->a ? l->via : l->vib,
			    in(link_net(m.link) | (m.to == l->a ? 2 : 1)), true,
			    m.routes, m.n);
		free(m.routes);
		sim_outputs(s, m.to);
	}
	for (r = 0; r < s->nrouters; r++)
		if (dvmrp_rib_next_deadline(s->rib[r]) <= s->now) {
			dvmrp_rib_timeout(s->rib[r], s->now);
			sim_outputs(s, r);
		}
	for (r = 0; r < s->nrouters; r++)
		assert_null(dvmrp_rib_check(s->rib[r]));
	if (s->changed) {
		s->changed = false;
		check_no_loop(s);
	}
}

/* Events until converged: how long it took from `from`. */
static mc_time_t
run_until_converged(struct sim *s, mc_time_t from)
{
	while (!converged(s)) {
		s->now = sim_next(s, SIM_LIMIT_MS);
		assert_true(s->now < SIM_LIMIT_MS);
		sim_step(s);
	}
	return s->now - from;
}

/* Events until `end`. */
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

static void
report_times(const char *what, struct sim *s, mc_time_t first, mc_time_t again)
{
	printf("# %s: converged in %.3f s, after the cut in %.3f s "
	       "(%lu steps, %lu loop checks)\n",
	    what, (double)first / 1000, (double)again / 1000, s->steps,
	    s->loop_checks);
}

static void
cut_and_converge(struct sim *s, unsigned cut, const char *what)
{
	mc_time_t first, again, t;

	first = run_until_converged(s, 0);
	/* Converged stays converged. */
	run_until(s, s->now + 300000);
	assert_true(converged(s));
	/* The cut: reports lost at once, the neighbours gone 35 s later. */
	t = s->now;
	s->links[cut].cut = true;
	run_until(s, t + NBR_TIMEOUT);
	sim_neighbors_down(s, cut);
	again = run_until_converged(s, t);
	report_times(what, s, first, again);
	/* And stays so through hold-downs and garbage collection. */
	run_until(s, s->now + 600000);
	assert_true(converged(s));
}

static void
test_chain(void **state)
{
	static struct sim s;
	unsigned r;

	sim_init(&s, 20);
	for (r = 0; r + 1 < 20; r++)
		sim_link(&s, r, r + 1);
	cut_and_converge(&s, 9, "chain of 20, link 9-10 cut");
	sim_fini(&s);
}

static void
test_grid(void **state)
{
	static struct sim s;
	unsigned x, y, cut = 0;

	sim_init(&s, 25);
	for (y = 0; y < 5; y++)
		for (x = 0; x < 5; x++) {
			if (x + 1 < 5) {
				if (y == 2 && x == 2)
					cut = s.nlinks; /* (2,2)-(3,2) */
				sim_link(&s, y * 5 + x, y * 5 + x + 1);
			}
			if (y + 1 < 5)
				sim_link(&s, y * 5 + x, (y + 1) * 5 + x);
		}
	assert_int_equal(s.nlinks, 40);
	cut_and_converge(&s, cut, "5x5 grid, link (2,2)-(3,2) cut");
	sim_fini(&s);
}

/*
 * Count to infinity's classic: D hangs off A, and A, B, C form a triangle.
 * When D's link goes, B and C each still hold the other's stale route to
 * D; taking it would loop B <-> C.  The feasibility condition holds them
 * down instead.
 */
static void
test_triangle_with_tail(void **state)
{
	static struct sim s;

	sim_init(&s, 4);
	sim_link(&s, 3, 0); /* D - A: link 0 */
	sim_link(&s, 0, 1);
	sim_link(&s, 0, 2);
	sim_link(&s, 1, 2);
	cut_and_converge(&s, 0, "triangle A B C with D off A, D-A cut");
	sim_fini(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_triangle_with_tail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
