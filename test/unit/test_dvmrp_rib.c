/*
 * The DVMRP route table engine on a fake clock: connected origins,
 * learning, best path and its tie-break, poison reverse in our reports,
 * dependents from received poison, the designated forwarder, infinity,
 * route expiry at exactly 140 s, hold-down at infinity then removal, the
 * feasibility condition, the triggered-update rate limit, neighbour down
 * and restart, report order, longest-prefix RPF, the route cap and odd
 * input.
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

#define T0		1000000
#define MAXO		64
#define MAXR		64
#define TRACE_TEST_LINE 128

/* Our VIFs: 0 a LAN with no router, 1 a LAN with N1 and N2, 2 to N3. */
#define L0 "198.18.1.1"
#define L1 "198.18.2.1"
#define L2 "198.18.3.1"
#define N1 "198.18.2.2"
#define N2 "198.18.2.3"
#define N3 "198.18.3.2"

struct out {
	struct dvmrp_rib_output o;
	struct dvmrp_route routes[MAXR];
};

struct fx {
	struct dvmrp_rib *rib;
	struct dvmrp_rib_config c;
	mc_time_t now;
	struct out o[MAXO];
	size_t n;
};

static struct in_addr
A(const char *s) {
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in_addr
M(unsigned plen) {
	struct in_addr a = { htonl(plen ? 0xffffffffu << (32 - plen) : 0) };

	return a;
}

static struct dvmrp_route
R(const char *origin, unsigned plen, uint8_t metric) {
	struct dvmrp_route r = { A(origin), M(plen), metric };

	return r;
}

/* Take every output into f->o (cleared first). */
static void
drain(struct fx *f)
{
	struct dvmrp_rib_output o;

	f->n = 0;
	assert_null(dvmrp_rib_check(f->rib));
	while (dvmrp_rib_output(f->rib, &o)) {
		assert_true(f->n < MAXO);
		f->o[f->n].o = o;
		if (o.kind == DVMRP_RIB_OUT_REPORT) {
			assert_true(o.nroutes <= MAXR);
			memcpy(f->o[f->n].routes, o.routes,
			    o.nroutes * sizeof(*o.routes));
			f->o[f->n].o.routes = f->o[f->n].routes;
		}
		f->n++;
	}
}

/* Run the timers at t, then drain. */
static void
at(struct fx *f, mc_time_t t)
{
	f->now = t;
	dvmrp_rib_timeout(f->rib, t);
	drain(f);
}

static void
vif(struct fx *f, unsigned v, const char *local, const char *subnet,
    unsigned plen, uint8_t metric)
{
	struct dvmrp_rib_vif c = { A(local), A(subnet), (uint8_t)plen, metric };

	assert_int_equal(dvmrp_rib_vif_add(f->rib, f->now, v, &c), 0);
}

static int
setup_config(void **state, uint32_t max_routes)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	dvmrp_rib_config_defaults(&f->c);
	f->c.max_routes = max_routes;
	f->rib = dvmrp_rib_new(&f->c, NULL, NULL);
	assert_non_null(f->rib);
	f->now = T0;
	dvmrp_rib_start(f->rib, T0);
	vif(f, 0, L0, "198.18.1.0", 24, 1);
	vif(f, 1, L1, "198.18.2.0", 24, 1);
	vif(f, 2, L2, "198.18.3.0", 24, 3);
	assert_int_equal(dvmrp_rib_neighbor_up(f->rib, T0, 1, A(N1)), 0);
	assert_int_equal(dvmrp_rib_neighbor_up(f->rib, T0, 1, A(N2)), 0);
	assert_int_equal(dvmrp_rib_neighbor_up(f->rib, T0, 2, A(N3)), 0);
	*state = f;
	return 0;
}

static int
setup(void **state)
{
	return setup_config(state, 0);
}

/*
 * Neighbours flooding one VIF (forged or not) take at most its share of
 * the 64 slots: 64 - 2 for each other VIF up (3 VIFs: 60), so that a
 * neighbour on another VIF is still taken.
 */
static void
test_neighbor_share(void **state)
{
	struct fx *f = *state;
	struct dvmrp_rib_stats st;
	char a[16];
	unsigned i, taken = 0;

	/* VIF 1 holds N1 and N2 already. */
	for (i = 0; i < 100; i++) {
		snprintf(a, sizeof(a), "198.18.2.%u", 100 + i);
		taken += dvmrp_rib_neighbor_up(f->rib, f->now, 1, A(a)) == 0;
	}
	assert_int_equal(taken, 60 - 2);
	dvmrp_rib_stats(f->rib, &st);
	assert_int_equal(st.neighbor_limit, 100 - 58);
	/* VIF 0 still takes two, VIF 2 (N3 on it) one more. */
	assert_int_equal(dvmrp_rib_neighbor_up(f->rib, f->now, 0,
			     A("198.18.1.7")),
	    0);
	assert_int_equal(dvmrp_rib_neighbor_up(f->rib, f->now, 0,
			     A("198.18.1.8")),
	    0);
	assert_int_equal(dvmrp_rib_neighbor_up(f->rib, f->now, 2,
			     A("198.18.3.7")),
	    0);
	/* The table is full now: 60 + 2 + 2. */
	assert_int_equal(dvmrp_rib_neighbor_up(f->rib, f->now, 0,
			     A("198.18.1.9")),
	    -ENOSPC);
	drain(f);
}

static int
setup_capped(void **state)
{
	return setup_config(state, 5);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	dvmrp_rib_free(f->rib);
	free(f);
	return 0;
}

static void
report(struct fx *f, unsigned v, const char *from, const struct dvmrp_route *r,
    size_t n)
{
	dvmrp_rib_report(f->rib, f->now, v, A(from), true, r, n);
	drain(f);
}

static void
report1(struct fx *f, unsigned v, const char *from, const char *origin,
    unsigned plen, uint8_t metric)
{
	struct dvmrp_route r = R(origin, plen, metric);

	report(f, v, from, &r, 1);
}

static struct dvmrp_rib_route_view
route(struct fx *f, const char *origin, unsigned plen)
{
	struct dvmrp_rib_route_view v;

	assert_true(dvmrp_rib_route_find(f->rib, A(origin), M(plen), &v));
	return v;
}

static bool
has_route(struct fx *f, const char *origin, unsigned plen)
{
	struct dvmrp_rib_route_view v;

	return dvmrp_rib_route_find(f->rib, A(origin), M(plen), &v);
}

static void
assert_up(struct fx *f, const char *origin, unsigned plen, unsigned v,
    const char *nbr, uint8_t metric)
{
	struct dvmrp_rib_route_view r = route(f, origin, plen);

	assert_string_equal(dvmrp_rib_state_name(r.state), "up");
	assert_int_equal(r.vif, v);
	assert_int_equal(r.neighbor.s_addr, A(nbr).s_addr);
	assert_int_equal(r.metric, metric);
}

/* The report output of vif among f->o, or NULL. */
static const struct out *
report_on(struct fx *f, unsigned v)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->o[i].o.kind == DVMRP_RIB_OUT_REPORT &&
		    f->o[i].o.vif == v)
			return &f->o[i];
	return NULL;
}

/* "198.18.1.0/24=1 10.1.0.0/16=35" */
static void
assert_report(const struct out *o, const char *want)
{
	char buf[2048], a[16];
	size_t off = 0, i;

	assert_non_null(o);
	buf[0] = '\0';
	for (i = 0; i < o->o.nroutes; i++) {
		inet_ntop(AF_INET, &o->routes[i].origin, a, sizeof(a));
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
		    "%s%s/%d=%u", i ? " " : "", a,
		    __builtin_popcount(o->routes[i].mask.s_addr),
		    o->routes[i].metric);
	}
	assert_string_equal(buf, want);
}

static size_t
count_kind(struct fx *f, enum dvmrp_rib_output_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		n += f->o[i].o.kind == k;
	return n;
}

static void
test_connected(void **state)
{
	struct fx *f = *state;
	struct dvmrp_rib_route_view v;
	struct in_addr nbr;
	unsigned rv;

	assert_int_equal(dvmrp_rib_route_count(f->rib), 3);
	assert_up(f, "198.18.1.0", 24, 0, "0.0.0.0", 1);
	assert_up(f, "198.18.2.0", 24, 1, "0.0.0.0", 1);
	assert_up(f, "198.18.3.0", 24, 2, "0.0.0.0", 3);
	v = route(f, "198.18.3.0", 24);
	assert_true(v.expires == MC_TIME_NEVER);
	assert_int_equal(v.children, 0x3); /* forwards onto 0 and 1 */
	assert_int_equal(dvmrp_rib_rpf(f->rib, A("198.18.2.77"), &rv, &nbr,
			     NULL, NULL),
	    0);
	assert_int_equal(rv, 1);
	assert_int_equal(nbr.s_addr, 0);
	/* Three route changes, and three new neighbours get a full report
	   at once (on vifs 1 and 2; never a subnet onto itself). */
	drain(f);
	assert_int_equal(count_kind(f, DVMRP_RIB_OUT_ROUTE_CHANGED), 3);
	assert_true(dvmrp_rib_next_deadline(f->rib) == T0);
	at(f, T0);
	assert_int_equal(f->n, 2);
	assert_true(f->o[0].o.full);
	assert_report(report_on(f, 1), "198.18.1.0/24=1 198.18.3.0/24=3");
	assert_report(report_on(f, 2), "198.18.1.0/24=1 198.18.2.0/24=1");
	/* Nothing else until the full report, 60 s on. */
	assert_true(dvmrp_rib_next_deadline(f->rib) == T0 + 60000);
}

static void
test_learning(void **state)
{
	struct fx *f = *state;
	struct dvmrp_rib_route_view v;

	at(f, T0);
	report1(f, 1, N1, "10.1.0.0", 16, 2);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->o[0].o.kind, DVMRP_RIB_OUT_ROUTE_CHANGED);
	assert_string_equal(dvmrp_rib_output_kind_name(f->o[0].o.kind),
	    "route-changed");
	assert_int_equal(f->o[0].o.origin.s_addr, A("10.1.0.0").s_addr);
	assert_int_equal(f->o[0].o.mask.s_addr, M(16).s_addr);
	assert_true(f->o[0].o.reachable);
	assert_int_equal(f->o[0].o.vif, 1);
	assert_int_equal(f->o[0].o.neighbor.s_addr, A(N1).s_addr);
	assert_int_equal(f->o[0].o.metric, 3);
	v = route(f, "10.1.0.0", 16);
	assert_true(v.expires == T0 + 140000);
	assert_int_equal(v.children, 0x5); /* 0 and 2, not upstream 1 */
	/* The same again changes nothing but the expiry. */
	f->now = T0 + 1000;
	report1(f, 1, N1, "10.1.0.0", 16, 2);
	assert_int_equal(f->n, 0);
	assert_true(route(f, "10.1.0.0", 16).expires == T0 + 141000);
}

static void
test_best_path_and_tie(void **state)
{
	struct fx *f = *state;

	report1(f, 1, N2, "10.1.0.0", 16, 3);
	assert_up(f, "10.1.0.0", 16, 1, N2, 4);
	/* Lower metric through vif 2 (metric 3): 1 + 3 = 4, a tie with
	   N2; N3 198.18.3.2 is not below 198.18.2.3: N2 stays. */
	report1(f, 2, N3, "10.1.0.0", 16, 1);
	assert_up(f, "10.1.0.0", 16, 1, N2, 4);
	/* N1 ties at 4 from a lower address: it wins. */
	report1(f, 1, N1, "10.1.0.0", 16, 3);
	assert_up(f, "10.1.0.0", 16, 1, N1, 4);
	assert_int_equal(f->n, 1);
	/* N2 better: 2 + 1 = 3. */
	report1(f, 1, N2, "10.1.0.0", 16, 2);
	assert_up(f, "10.1.0.0", 16, 1, N2, 3);
}

static void
test_poison_reverse_in_reports(void **state)
{
	struct fx *f = *state;
	struct dvmrp_route rs[2] = { R("10.1.0.0", 16, 2),
		R("10.9.0.0", 16, 5) };

	at(f, T0);
	report(f, 1, N1, rs, 2);
	report1(f, 2, N3, "10.2.0.0", 16, 1);
	/* The triggered update: changed routes only, poisoned (+32) to the
	   upstream VIF, every router of that LAN hearing it. */
	at(f, T0 + 5000);
	assert_false(report_on(f, 1)->o.full);
	assert_report(report_on(f, 1),
	    "10.1.0.0/16=35 10.2.0.0/16=4 "
	    "10.9.0.0/16=38");
	assert_report(report_on(f, 2),
	    "10.1.0.0/16=3 10.2.0.0/16=36 "
	    "10.9.0.0/16=6");
	assert_null(report_on(f, 0)); /* no neighbour there */
	at(f, T0 + 60000);
	assert_true(report_on(f, 1)->o.full);
	assert_report(report_on(f, 1),
	    "10.1.0.0/16=35 10.2.0.0/16=4 10.9.0.0/16=38 "
	    "198.18.1.0/24=1 198.18.3.0/24=3");
}

static void
test_dependents(void **state)
{
	struct fx *f = *state;
	struct dvmrp_rib_route_view v;

	report1(f, 1, N1, "10.1.0.0", 16, 2);
	/* N3 routes through us: it poisons (3 + 32). */
	report1(f, 2, N3, "10.1.0.0", 16, 35);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->o[0].o.kind, DVMRP_RIB_OUT_DEPENDENTS_CHANGED);
	assert_int_equal(f->o[0].o.vif, 2);
	assert_true(f->o[0].o.child);
	assert_int_equal(f->o[0].o.ndependents, 1);
	v = route(f, "10.1.0.0", 16);
	assert_int_equal(v.ndependents, 1);
	assert_int_equal(v.dependents[0].vif, 2);
	assert_int_equal(v.dependents[0].addr.s_addr, A(N3).s_addr);
	assert_up(f, "10.1.0.0", 16, 1, N1, 3); /* poison is no path */
	/* N2 on the upstream LAN poisons too (it routes via N1): not a
	   dependent of ours. */
	report1(f, 1, N2, "10.1.0.0", 16, 35);
	assert_int_equal(f->n, 0);
	/* N3 finds another way: no longer dependent. */
	report1(f, 2, N3, "10.1.0.0", 16, 32);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->o[0].o.ndependents, 0);
	assert_int_equal(route(f, "10.1.0.0", 16).ndependents, 0);
}

static void
test_designated_forwarder(void **state)
{
	struct fx *f = *state;

	report1(f, 1, N1, "10.1.0.0", 16, 2); /* ours: 3 */
	/* N3 has it at 3 too, from a higher address than ours (.1). */
	report1(f, 2, N3, "10.1.0.0", 16, 3);
	assert_int_equal(route(f, "10.1.0.0", 16).children, 0x5);
	assert_int_equal(f->n, 0);
	/* At 2 N3 forwards onto vif 2, not us. */
	report1(f, 2, N3, "10.1.0.0", 16, 2);
	assert_int_equal(route(f, "10.1.0.0", 16).children, 0x1);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->o[0].o.kind, DVMRP_RIB_OUT_DEPENDENTS_CHANGED);
	assert_int_equal(f->o[0].o.vif, 2);
	assert_false(f->o[0].o.child);
}

static void
test_infinity(void **state)
{
	struct fx *f = *state;

	report1(f, 1, N1, "10.1.0.0", 16, 31); /* 31 + 1: infinity */
	report1(f, 2, N3, "10.2.0.0", 16, 29); /* 29 + 3 */
	report1(f, 1, N1, "10.3.0.0", 16, 32);
	assert_int_equal(dvmrp_rib_route_count(f->rib), 3);
	report1(f, 2, N3, "10.2.0.0", 16, 28);
	assert_up(f, "10.2.0.0", 16, 2, N3, 31);
	/* Withdrawn by its upstream: lost at once, held down. */
	report1(f, 2, N3, "10.2.0.0", 16, 32);
	assert_string_equal(dvmrp_rib_state_name(route(f, "10.2.0.0", 16)
						     .state),
	    "holddown");
	assert_int_equal(f->o[0].o.kind, DVMRP_RIB_OUT_ROUTE_CHANGED);
	assert_false(f->o[0].o.reachable);
	assert_int_equal(f->o[0].o.metric, 32);
	assert_int_equal(dvmrp_rib_rpf(f->rib, A("10.2.3.4"), NULL, NULL, NULL,
			     NULL),
	    -ENOENT);
}

static void
test_expiry_and_holddown(void **state)
{
	struct fx *f = *state;
	struct dvmrp_rib_stats s;
	mc_time_t t;

	at(f, T0);
	report1(f, 1, N1, "10.1.0.0", 16, 2);
	/* Heard only at T0: lost at exactly T0 + 140 s. */
	for (t = T0 + 5000; t < T0 + 140000; t += 5000)
		at(f, t);
	at(f, T0 + 139999);
	assert_string_equal(dvmrp_rib_state_name(route(f, "10.1.0.0", 16)
						     .state),
	    "up");
	assert_true(dvmrp_rib_next_deadline(f->rib) == T0 + 140000);
	at(f, T0 + 140000);
	assert_string_equal(dvmrp_rib_state_name(route(f, "10.1.0.0", 16)
						     .state),
	    "holddown");
	assert_true(route(f, "10.1.0.0", 16).expires == T0 + 260000);
	assert_int_equal(f->o[0].o.kind, DVMRP_RIB_OUT_ROUTE_CHANGED);
	assert_false(f->o[0].o.reachable);
	/* The triggered update withdraws it at infinity, no poison. */
	assert_report(report_on(f, 1), "10.1.0.0/16=32");
	assert_report(report_on(f, 2), "10.1.0.0/16=32");
	/* So does every full report of the hold-down... */
	at(f, T0 + 180000);
	assert_report(report_on(f, 2),
	    "10.1.0.0/16=32 198.18.1.0/24=1 198.18.2.0/24=1");
	at(f, T0 + 240000);
	assert_report(report_on(f, 2),
	    "10.1.0.0/16=32 198.18.1.0/24=1 198.18.2.0/24=1");
	/* ...then it is gone (120 s = 2 x the report interval). */
	at(f, T0 + 259999);
	assert_true(has_route(f, "10.1.0.0", 16));
	at(f, T0 + 260000);
	assert_false(has_route(f, "10.1.0.0", 16));
	at(f, T0 + 300000);
	assert_report(report_on(f, 2), "198.18.1.0/24=1 198.18.2.0/24=1");
	dvmrp_rib_stats(f->rib, &s);
	assert_int_equal(s.holddowns, 1);
	assert_int_equal(s.routes_removed, 1);
}

static void
test_feasibility(void **state)
{
	struct fx *f = *state;
	struct dvmrp_rib_stats s;

	report1(f, 1, N1, "10.1.0.0", 16, 2); /* ours 3: feasible < 3 */
	report1(f, 1, N2, "10.1.0.0", 16, 5); /* may go through us */
	f->now = T0 + 1000;
	report1(f, 1, N1, "10.1.0.0", 16, 32);
	/* N2's 5 is not below 3: no switch, hold-down. */
	assert_int_equal(route(f, "10.1.0.0", 16).state, DVMRP_RIB_HOLDDOWN);
	dvmrp_rib_stats(f->rib, &s);
	assert_int_equal(s.unfeasible, 1);
	/* A feasible one ends the hold-down at once. */
	f->now = T0 + 2000;
	report1(f, 2, N3, "10.1.0.0", 16, 1);
	assert_up(f, "10.1.0.0", 16, 2, N3, 4);
	/* N3 withdraws; N2 keeps saying 5: hold-down; when it is over,
	   N2 is taken. */
	f->now = T0 + 3000;
	report1(f, 2, N3, "10.1.0.0", 16, 32);
	assert_int_equal(route(f, "10.1.0.0", 16).state, DVMRP_RIB_HOLDDOWN);
	f->now = T0 + 60000;
	report1(f, 1, N2, "10.1.0.0", 16, 5);
	at(f, T0 + 3000 + 120000);
	assert_up(f, "10.1.0.0", 16, 1, N2, 6);
}

static void
test_triggered_rate_limit(void **state)
{
	struct fx *f = *state;

	at(f, T0);
	f->now = T0 + 10000;
	report1(f, 1, N1, "10.1.0.0", 16, 2);
	/* The first change goes at once... */
	assert_true(dvmrp_rib_next_deadline(f->rib) == T0 + 10000);
	at(f, T0 + 10000);
	assert_report(report_on(f, 2), "10.1.0.0/16=3");
	/* ...the next one not before 5 s after it. */
	f->now = T0 + 11000;
	report1(f, 1, N1, "10.2.0.0", 16, 2);
	assert_true(dvmrp_rib_next_deadline(f->rib) == T0 + 15000);
	at(f, T0 + 14999);
	assert_null(report_on(f, 2));
	f->now = T0 + 12000;
	report1(f, 1, N1, "10.3.0.0", 16, 4);
	at(f, T0 + 15000);
	assert_report(report_on(f, 2), "10.2.0.0/16=3 10.3.0.0/16=5");
	assert_false(report_on(f, 2)->o.full);
}

static void
test_neighbor_down(void **state)
{
	struct fx *f = *state;
	struct dvmrp_route rs[2] = { R("10.1.0.0", 16, 2),
		R("10.2.0.0", 16, 2) };

	report(f, 1, N1, rs, 2);
	report1(f, 2, N3, "10.3.0.0", 16, 1);
	report1(f, 1, N1, "10.3.0.0", 16, 36); /* N1 depends on us */
	assert_int_equal(route(f, "10.3.0.0", 16).ndependents, 1);
	f->now = T0 + 1000;
	dvmrp_rib_neighbor_down(f->rib, f->now, 1, A(N1));
	drain(f);
	/* Its routes go at once, its dependency too. */
	assert_int_equal(route(f, "10.1.0.0", 16).state, DVMRP_RIB_HOLDDOWN);
	assert_int_equal(route(f, "10.2.0.0", 16).state, DVMRP_RIB_HOLDDOWN);
	assert_int_equal(route(f, "10.3.0.0", 16).ndependents, 0);
	assert_int_equal(count_kind(f, DVMRP_RIB_OUT_ROUTE_CHANGED), 2);
	assert_int_equal(count_kind(f, DVMRP_RIB_OUT_DEPENDENTS_CHANGED), 1);
	/* A report from it now comes up with it again (two-way). */
	report1(f, 1, N1, "10.4.0.0", 16, 2);
	assert_up(f, "10.4.0.0", 16, 1, N1, 3);
}

static void
test_neighbor_restart(void **state)
{
	struct fx *f = *state;

	at(f, T0);
	report1(f, 2, N3, "10.3.0.0", 16, 1);
	at(f, T0 + 1000);
	f->now = T0 + 2000;
	assert_int_equal(dvmrp_rib_neighbor_restart(f->rib, f->now, 2, A(N3)),
	    0);
	drain(f);
	assert_int_equal(route(f, "10.3.0.0", 16).state, DVMRP_RIB_HOLDDOWN);
	/* Our full table goes to it at once. */
	assert_true(dvmrp_rib_next_deadline(f->rib) == T0 + 2000);
	at(f, T0 + 2000);
	assert_true(report_on(f, 2)->o.full);
	assert_report(report_on(f, 2),
	    "10.3.0.0/16=32 198.18.1.0/24=1 198.18.2.0/24=1");
}

static void
test_report_order(void **state)
{
	struct fx *f = *state;
	struct dvmrp_route rs[] = {
		R("10.2.0.0", 16, 1),
		R("10.0.0.0", 8, 1),
		R("192.0.2.128", 25, 1),
		R("10.1.0.0", 16, 1),
		R("0.0.0.0", 0, 1),
		R("9.0.0.0", 8, 1),
		R("192.0.2.0", 25, 1),
	};

	at(f, T0);
	report(f, 2, N3, rs, sizeof(rs) / sizeof(rs[0]));
	at(f, T0 + 60000);
	assert_report(report_on(f, 1),
	    "0.0.0.0/0=4 9.0.0.0/8=4 10.0.0.0/8=4 10.1.0.0/16=4 "
	    "10.2.0.0/16=4 198.18.1.0/24=1 198.18.3.0/24=3 "
	    "192.0.2.0/25=4 192.0.2.128/25=4");
}

static void
test_rpf_longest_prefix(void **state)
{
	struct fx *f = *state;
	struct in_addr nbr, origin, mask;
	unsigned v;

	report1(f, 2, N3, "10.0.0.0", 8, 1);
	report1(f, 1, N1, "10.1.0.0", 16, 1);
	report1(f, 1, N2, "10.1.2.0", 24, 1);
	assert_int_equal(dvmrp_rib_rpf(f->rib, A("10.1.2.3"), &v, &nbr, &origin,
			     &mask),
	    0);
	assert_int_equal(v, 1);
	assert_int_equal(nbr.s_addr, A(N2).s_addr);
	assert_int_equal(origin.s_addr, A("10.1.2.0").s_addr);
	assert_int_equal(mask.s_addr, M(24).s_addr);
	assert_int_equal(dvmrp_rib_rpf(f->rib, A("10.1.9.9"), &v, &nbr, &origin,
			     &mask),
	    0);
	assert_int_equal(nbr.s_addr, A(N1).s_addr);
	assert_int_equal(mask.s_addr, M(16).s_addr);
	assert_int_equal(dvmrp_rib_rpf(f->rib, A("10.200.0.1"), &v, &nbr,
			     &origin, &mask),
	    0);
	assert_int_equal(v, 2);
	assert_int_equal(origin.s_addr, A("10.0.0.0").s_addr);
	assert_int_equal(dvmrp_rib_rpf(f->rib, A("11.0.0.1"), &v, NULL, NULL,
			     NULL),
	    -ENOENT);
	assert_int_equal(dvmrp_rib_rpf_vif(f->rib, A("10.1.2.3")), 1);
	assert_int_equal(dvmrp_rib_rpf_vif(f->rib, A("11.0.0.1")), -1);
	/* The /24 held down: the /16 answers. */
	report1(f, 1, N2, "10.1.2.0", 24, 32);
	assert_int_equal(dvmrp_rib_rpf(f->rib, A("10.1.2.3"), NULL, &nbr, NULL,
			     &mask),
	    0);
	assert_int_equal(mask.s_addr, M(16).s_addr);
}

static void
test_route_cap(void **state)
{
	struct fx *f = *state;
	struct dvmrp_rib_stats s;
	struct dvmrp_route rs[] = { R("10.1.0.0", 16, 1), R("10.2.0.0", 16, 1),
		R("10.3.0.0", 16, 1), R("10.4.0.0", 16, 1) };

	report(f, 1, N1, rs, 4);
	assert_int_equal(dvmrp_rib_route_count(f->rib), 5);
	assert_true(has_route(f, "10.2.0.0", 16));
	assert_false(has_route(f, "10.3.0.0", 16));
	dvmrp_rib_stats(f->rib, &s);
	assert_int_equal(s.route_limit, 2);
	/* A known one is still updated at the cap. */
	report1(f, 1, N2, "10.1.0.0", 16, 1);
	assert_int_equal(dvmrp_rib_route_count(f->rib), 5);
}

static void
test_odd_input(void **state)
{
	struct fx *f = *state;
	struct dvmrp_rib_stats s;
	struct dvmrp_route rs[] = {
		R("10.1.0.0", 16, 0),
		R("10.2.0.0", 16, 64),
		{ A("10.3.0.0"), A("255.0.255.0"), 1 },
		R("10.4.0.1", 16, 1),
		R("10.5.0.0", 16, 1),
	};

	dvmrp_rib_report(f->rib, f->now, 1, A(N1), false, rs, 5);
	dvmrp_rib_report(f->rib, f->now, 7, A(N1), true, rs, 5); /* no vif */
	dvmrp_rib_report(f->rib, f->now, 99, A(N1), true, rs, 5);
	assert_int_equal(dvmrp_rib_route_count(f->rib), 3);
	report(f, 1, N1, rs, 5);
	assert_int_equal(dvmrp_rib_route_count(f->rib), 4);
	assert_true(has_route(f, "10.5.0.0", 16));
	dvmrp_rib_stats(f->rib, &s);
	assert_int_equal(s.reports_refused, 3);
	assert_int_equal(s.reports_in, 1);
	assert_int_equal(s.entries_in, 5);
	assert_int_equal(s.entries_bad_metric, 2);
	assert_int_equal(s.entries_bad_mask, 1);
	assert_int_equal(s.entries_bad_origin, 1);
	/* Bad VIFs and configurations are refused whole. */
	struct dvmrp_rib_vif bad = { A("198.18.9.1"), A("198.18.9.1"), 24, 1 };
	assert_int_equal(dvmrp_rib_vif_add(f->rib, f->now, 3, &bad), -EINVAL);
	bad.subnet = A("198.18.9.0");
	bad.metric = 32;
	assert_int_equal(dvmrp_rib_vif_add(f->rib, f->now, 3, &bad), -EINVAL);
	bad.metric = 1;
	assert_int_equal(dvmrp_rib_vif_add(f->rib, f->now, 32, &bad), -EINVAL);
	assert_int_equal(dvmrp_rib_neighbor_up(f->rib, f->now, 5, A(N1)),
	    -EINVAL);
	assert_int_equal(dvmrp_rib_route_count(f->rib), 4);
}

static void
test_vif_metric_and_down(void **state)
{
	struct fx *f = *state;
	struct dvmrp_rib_vif c = { A(L1), A("198.18.2.0"), 24, 4 };

	report1(f, 1, N1, "10.1.0.0", 16, 2);
	assert_up(f, "10.1.0.0", 16, 1, N1, 3);
	/* phyint metric 4: 2 + 4.  N1 still advertises 2, below our 3:
	   feasible, no hold-down for a change of our own cost. */
	assert_int_equal(dvmrp_rib_vif_add(f->rib, f->now, 1, &c), 0);
	drain(f);
	assert_up(f, "198.18.2.0", 24, 1, "0.0.0.0", 4);
	assert_up(f, "10.1.0.0", 16, 1, N1, 6);
	assert_int_equal(count_kind(f, DVMRP_RIB_OUT_ROUTE_CHANGED), 2);
	/* The VIF goes: its origin and its neighbours' routes too. */
	dvmrp_rib_vif_del(f->rib, f->now, 1);
	drain(f);
	assert_int_equal(route(f, "198.18.2.0", 24).state, DVMRP_RIB_HOLDDOWN);
	assert_int_equal(route(f, "10.1.0.0", 16).state, DVMRP_RIB_HOLDDOWN);
	assert_int_equal(route(f, "198.18.1.0", 24).children, 0x4);
}

struct lines {
	char v[16][TRACE_TEST_LINE];
	size_t n;
};

static void
collect(void *arg, const char *line)
{
	struct lines *l = arg;

	assert_true(l->n < 16);
	snprintf(l->v[l->n++], TRACE_TEST_LINE, "%s", line);
}

static void
test_trace(void **state)
{
	struct dvmrp_rib_config c;
	struct dvmrp_rib_vif v = { A(L1), A("198.18.2.0"), 24, 1 };
	struct lines l = { .n = 0 };
	struct dvmrp_rib *rib;
	struct dvmrp_route r = R("10.1.0.0", 16, 2);

	(void)state;
	dvmrp_rib_config_defaults(&c);
	rib = dvmrp_rib_new(&c, collect, &l);
	assert_non_null(rib);
	dvmrp_rib_start(rib, T0);
	assert_int_equal(dvmrp_rib_vif_add(rib, T0, 1, &v), 0);
	dvmrp_rib_report(rib, T0, 1, A("198.18.2.9"), false, &r, 1);
	dvmrp_rib_report(rib, T0, 1, A(N1), true, &r, 1);
	dvmrp_rib_timeout(rib, T0 + 140000);
	dvmrp_rib_timeout(rib, T0 + 260000);
	dvmrp_rib_neighbor_down(rib, T0 + 260000, 1, A(N1));
	assert_int_equal(l.n, 7);
	assert_string_equal(l.v[0],
	    "198.18.2.0/24: new -> up via connected on vif 1 metric 1");
	assert_string_equal(l.v[1], "report from 198.18.2.9 on vif 1: refused");
	assert_string_equal(l.v[2], "neighbor 198.18.2.2 on vif 1: up");
	assert_string_equal(l.v[3],
	    "10.1.0.0/16: new -> up via 198.18.2.2 on vif 1 metric 3");
	assert_string_equal(l.v[4], "10.1.0.0/16: up -> holddown");
	assert_string_equal(l.v[5], "10.1.0.0/16: holddown -> removed");
	assert_string_equal(l.v[6], "neighbor 198.18.2.2 on vif 1: down");
	dvmrp_rib_free(rib);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_connected, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_learning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_neighbor_share, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_best_path_and_tie, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_poison_reverse_in_reports,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_dependents, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_designated_forwarder,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_infinity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expiry_and_holddown, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_feasibility, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_triggered_rate_limit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_neighbor_down, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_neighbor_restart, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_report_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rpf_longest_prefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_route_cap, setup_capped,
		    teardown),
		cmocka_unit_test_setup_teardown(test_odd_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vif_metric_and_down, setup,
		    teardown),
		cmocka_unit_test(test_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
