/*
 * Three IGMP router engines on one simulated LAN: every query one sends is
 * wrapped in its IPv4 header (igmp_ip_build), and each of the others
 * decodes it (igmp_ip_decode, igmp_decode) and takes it as input.  The
 * lowest address must win the election (RFC 2236 3, RFC 3376 6.6.2); when
 * the querier goes silent the next lowest takes over exactly one Other
 * Querier Present Interval (RFC 3376 8.5) after the last query heard.
 * Each engine's querier events agree with its trace and its state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "igmp_router.h"
#include "igmp_wire.h"

#define NR   3
#define OQPI 255000

struct lan;

struct node {
	struct lan *lan;
	struct igmp_router *r;
	struct in_addr addr;
	bool silent;		      /* its packets are lost */
	bool strip_ra;		      /* deliver without RA */
	mc_time_t became_querier;     /* last time: event */
	mc_time_t traced_querier;     /* and trace line */
	struct in_addr other_querier; /* last OTHER_QUERIER */
	mc_time_t last_heard;	      /* last query others got */
	unsigned sent;		      /* queries put on the wire */
};

struct lan {
	struct node n[NR];
	mc_time_t now;
};

static struct in_addr
A(const char *s) {
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void
on_trace(void *arg, const char *line)
{
	struct node *n = arg;

	if (strstr(line, "-> QUERIER "))
		n->traced_querier = n->lan->now;
}

static void
lan_init(struct lan *l, const struct igmp_router_config *c[NR])
{
	static const char *addrs[NR] = { "10.0.0.1", "10.0.0.2", "10.0.0.3" };
	struct igmp_router_config d;
	int i;

	memset(l, 0, sizeof(*l));
	igmp_router_config_defaults(&d);
	for (i = 0; i < NR; i++) {
		l->n[i].lan = l;
		l->n[i].addr = A(addrs[i]);
		l->n[i].became_querier = -1;
		l->n[i].traced_querier = -1;
		l->n[i].last_heard = -1;
		l->n[i].r = igmp_router_new(c && c[i] ? c[i] : &d, l->n[i].addr,
		    24, (uint64_t)i + 1, on_trace, &l->n[i]);
		assert_non_null(l->n[i].r);
	}
}

static void
lan_fini(struct lan *l)
{
	int i;

	for (i = 0; i < NR; i++)
		igmp_router_free(l->n[i].r);
}

/* Put one IGMP message from node i on the wire to every other node. */
static void
lan_deliver(struct lan *l, int i, const struct igmp_router_output *o)
{
	uint8_t pkt[2048];
	const uint8_t *payload;
	size_t plen;
	struct igmp_ip ip;
	struct igmp_msg msg;
	int len, k;

	len = igmp_ip_build(pkt, sizeof(pkt), l->n[i].addr, o->dst, o->data,
	    o->len);
	assert_true(len > 0);
	l->n[i].sent++;
	if (l->n[i].silent)
		return;
	assert_int_equal(igmp_ip_decode(pkt, (size_t)len, &ip, &payload, &plen),
	    IGMP_OK);
	assert_int_equal(ip.ttl, 1);
	assert_true(ip.router_alert);
	assert_int_equal(igmp_decode(payload, plen, &msg), IGMP_OK);
	if (l->n[i].strip_ra)
		ip.router_alert = false;
	l->n[i].last_heard = l->now;
	for (k = 0; k < NR; k++)
		if (k != i)
			igmp_router_input(l->n[k].r, l->now, &ip, &msg);
}

/*
 * An event of node i: querier changes.  Drained after other nodes' input,
 * so checked against what was true when it happened, not the state now.
 */
static void
lan_event(struct lan *l, int i, const struct igmp_router_output *o)
{
	struct node *n = &l->n[i];

	switch (o->event) {
	case IGMP_ROUTER_EV_QUERIER:
		assert_int_equal(o->from.s_addr, n->addr.s_addr);
		assert_int_equal(n->traced_querier, l->now);
		n->became_querier = l->now;
		break;
	case IGMP_ROUTER_EV_OTHER_QUERIER:
		/* A lower address than ours, and not the one before. */
		assert_true(ntohl(o->from.s_addr) < ntohl(n->addr.s_addr));
		assert_int_not_equal(o->from.s_addr, o->previous.s_addr);
		n->other_querier = o->from;
		break;
	default:
		fail_msg("unexpected event %s",
		    igmp_router_event_name(o->event));
	}
}

/* Deliver everything queued, until the wire is quiet. */
static void
lan_flush(struct lan *l)
{
	struct igmp_router_output o;
	bool any;
	int i;

	do {
		any = false;
		for (i = 0; i < NR; i++)
			while (igmp_router_output(l->n[i].r, &o)) {
				any = true;
				if (o.kind == IGMP_ROUTER_OUT_EVENT) {
					lan_event(l, i, &o);
					continue;
				}
				assert_int_equal(o.kind,
				    IGMP_ROUTER_OUT_PACKET);
				lan_deliver(l, i, &o);
			}
	} while (any);
}

static void
lan_start(struct lan *l, int i, mc_time_t t)
{
	l->now = t;
	igmp_router_start(l->n[i].r, l->now);
	lan_flush(l);
}

/* Run every engine's timers in time order up to t. */
static void
lan_run(struct lan *l, mc_time_t t)
{
	mc_time_t d, next;
	int i;

	for (;;) {
		next = MC_TIME_NEVER;
		for (i = 0; i < NR; i++) {
			d = igmp_router_next_deadline(l->n[i].r);
			if (d < next)
				next = d;
		}
		if (next > t)
			break;
		assert_true(next >= l->now);
		l->now = next;
		for (i = 0; i < NR; i++)
			if (igmp_router_next_deadline(l->n[i].r) <= l->now)
				igmp_router_timeout(l->n[i].r, l->now);
		lan_flush(l);
	}
	l->now = t;
}

/* Node q is the querier for every node that hears the LAN. */
static void
expect_querier(struct lan *l, int q)
{
	int i;

	for (i = 0; i < NR; i++) {
		if (l->n[i].silent)
			continue; /* cut off: still thinks it queries */
		assert_int_equal(igmp_router_is_querier(l->n[i].r), i == q);
		assert_int_equal(igmp_router_querier(l->n[i].r).s_addr,
		    l->n[q].addr.s_addr);
		/* The events told the same. */
		if (i != q)
			assert_int_equal(l->n[i].other_querier.s_addr,
			    l->n[q].addr.s_addr);
		else
			assert_true(l->n[i].became_querier >= 0);
	}
}

/* Started highest first: each newcomer with a lower address wins. */
static void
test_lowest_address_wins(void **state)
{
	struct lan l;

	lan_init(&l, NULL);
	lan_start(&l, 2, 0);
	assert_true(igmp_router_is_querier(l.n[2].r));
	/* Not started, higher address heard: still no querier known. */
	assert_false(igmp_router_is_querier(l.n[1].r));
	assert_int_equal(igmp_router_querier(l.n[1].r).s_addr, 0);
	lan_start(&l, 1, 1000);
	assert_false(igmp_router_is_querier(l.n[2].r));
	assert_true(igmp_router_is_querier(l.n[1].r));
	lan_start(&l, 0, 2000);
	expect_querier(&l, 0);
	assert_int_equal(igmp_router_stats(l.n[2].r)->querier_elections_lost,
	    1);
	assert_int_equal(igmp_router_stats(l.n[1].r)->querier_elections_lost,
	    1);
	assert_int_equal(igmp_router_stats(l.n[0].r)->querier_elections_lost,
	    0);
	/* An hour on: still .1, and only .1 queried after its start. */
	l.n[1].sent = l.n[2].sent = 0;
	lan_run(&l, 3600000);
	expect_querier(&l, 0);
	assert_int_equal(l.n[1].sent, 0);
	assert_int_equal(l.n[2].sent, 0);
	/* 2000, +31250 (startup), then every 125 s up to 3600 s. */
	assert_int_equal(l.n[0].last_heard, 33250 + 28 * 125000);
	lan_fini(&l);
}

/* The querier goes silent: .2 takes over exactly OQPI later. */
static void
test_takeover_after_oqpi(void **state)
{
	struct lan l;
	mc_time_t last;

	lan_init(&l, NULL);
	lan_start(&l, 0, 0);
	lan_start(&l, 1, 0);
	lan_start(&l, 2, 0);
	expect_querier(&l, 0);
	lan_run(&l, 200000);
	last = l.n[0].last_heard;
	assert_int_equal(last, 31250 + 125000);
	l.n[0].silent = true;
	lan_run(&l, last + OQPI - 1);
	assert_false(igmp_router_is_querier(l.n[1].r));
	lan_run(&l, last + OQPI);
	/* Both timers ran out at once; .3 hears .2 and yields. */
	assert_int_equal(l.n[1].became_querier, last + OQPI);
	assert_int_equal(l.n[2].became_querier, last + OQPI);
	assert_true(igmp_router_is_querier(l.n[1].r));
	assert_false(igmp_router_is_querier(l.n[2].r));
	assert_int_equal(igmp_router_querier(l.n[2].r).s_addr,
	    l.n[1].addr.s_addr);
	assert_int_equal(l.n[1].last_heard, last + OQPI);
	assert_int_equal(igmp_router_stats(l.n[1].r)->querier_takeovers, 1);
	/* .1 never stopped querying: once heard again it wins again. */
	lan_run(&l, 500000);
	expect_querier(&l, 1);
	l.n[0].silent = false;
	lan_run(&l, 31250 + 4 * 125000 - 1);
	assert_true(igmp_router_is_querier(l.n[1].r));
	lan_run(&l, 31250 + 4 * 125000);
	expect_querier(&l, 0);
	assert_int_equal(igmp_router_stats(l.n[1].r)->querier_elections_lost,
	    1);
	lan_fini(&l);
}

/* v2 routers whose queries lose their Router Alert on the way. */
static void
test_v2_without_router_alert(void **state)
{
	struct igmp_router_config c;
	const struct igmp_router_config *cs[NR] = { &c, &c, &c };
	struct lan l;
	mc_time_t last;
	int i;

	igmp_router_config_defaults(&c);
	c.version = 2;
	c.require_router_alert = true; /* applies to reports only */
	lan_init(&l, cs);
	for (i = 0; i < NR; i++)
		l.n[i].strip_ra = true;
	for (i = NR - 1; i >= 0; i--)
		lan_start(&l, i, 0);
	expect_querier(&l, 0);
	lan_run(&l, 1000000);
	last = l.n[0].last_heard;
	l.n[0].silent = true;
	lan_run(&l, last + OQPI);
	expect_querier(&l, 1);
	assert_int_equal(l.n[1].became_querier, last + OQPI);
	lan_fini(&l);
}

/* Non-queriers run on the querier's QRV/QQIC: OQPI = 3 x 60 + 5 s. */
static void
test_adopted_timers(void **state)
{
	struct igmp_router_config c;
	const struct igmp_router_config *cs[NR] = { &c, NULL, NULL };
	struct lan l;
	mc_time_t last;
	int i;

	igmp_router_config_defaults(&c);
	c.robustness = 3;
	c.query_interval_ms = 60000;
	lan_init(&l, cs);
	for (i = 0; i < NR; i++)
		lan_start(&l, i, 0);
	expect_querier(&l, 0);
	lan_run(&l, 300000);
	last = l.n[0].last_heard;
	/* Three startup queries 15 s apart, then every 60 s. */
	assert_int_equal(last, 30000 + 4 * 60000);
	l.n[0].silent = true;
	lan_run(&l, last + 185000 - 1);
	assert_false(igmp_router_is_querier(l.n[1].r));
	lan_run(&l, last + 185000);
	expect_querier(&l, 1);
	assert_int_equal(l.n[1].became_querier, last + 185000);
	lan_fini(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lowest_address_wins),
		cmocka_unit_test(test_takeover_after_oqpi),
		cmocka_unit_test(test_v2_without_router_alert),
		cmocka_unit_test(test_adopted_timers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
