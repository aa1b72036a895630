/*
 * 1,000 IGMP host engines on one simulated LAN, each a member of the same
 * 50 groups, answering one General Query: v1 and v2 hosts suppress each
 * other's reports down to exactly one per group (RFC 1112 App. I, RFC 2236
 * 3); v3 hosts do not suppress, so every host answers with one report
 * carrying its 50 records (RFC 3376 5.2).
 *
 * The LAN is an in-memory bus: whatever an engine sends is decoded with
 * igmp_decode() and handed to every other engine at the same `now`.
 *
 * Ties: the clock has 1 ms steps, and with 1,000 timers drawn over 10 s
 * two hosts often pick the same ms for the same group.  A shared medium
 * carries one frame at a time (a 64-byte frame takes under 6 us at 100
 * Mbit/s), so of two hosts "due at the same ms" one sends first and the
 * other, whose timer runs out an instant later, has already heard it.  The
 * bus models exactly that: engines due at the same ms fire one after the
 * other, in a fixed order, and each one's packets are delivered to all
 * others before the next fires.  (Two reports would need both timers to
 * expire within one frame time, before either frame was heard; the 1-ms
 * model does not resolve such instants and counts it as one sender.)
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

#include "igmp_host.h"

#define NHOSTS	    1000
#define NGROUPS	    50
#define SEED	    0x1b0b5eedULL
#define GROUP_BASE  0xef0a0001u /* 239.10.0.1 */
#define HOST_BASE   0x0a000001u /* 10.0.0.1 */
#define ROUTER_ADDR 0x0a00fffeu /* 10.0.255.254 */

struct bus {
	struct igmp_host *h[NHOSTS];
	mc_time_t now;
	uint64_t by_type[256];	     /* packets sent, by IGMP type */
	uint64_t per_group[NGROUPS]; /* v1/v2 reports */
	uint64_t per_host[NHOSTS];   /* v3 reports */
	uint64_t records;	     /* in v3 reports */
	mc_time_t first, last;	     /* of the reports counted */
};

static struct in_addr
addr(uint32_t host_order)
{
	struct in_addr a = { .s_addr = htonl(host_order) };

	return a;
}

static int
group_index(struct in_addr g)
{
	uint32_t v = ntohl(g.s_addr);

	return v >= GROUP_BASE && v < GROUP_BASE + NGROUPS ?
	    (int)(v - GROUP_BASE) :
	    -1;
}

static void
bus_count_reset(struct bus *b)
{
	memset(b->by_type, 0, sizeof(b->by_type));
	memset(b->per_group, 0, sizeof(b->per_group));
	memset(b->per_host, 0, sizeof(b->per_host));
	b->records = 0;
	b->first = MC_TIME_NEVER;
	b->last = 0;
}

/* Deliver a packet from host `from` (-1: the router) to all the others. */
static void
bus_deliver(struct bus *b, int from, struct in_addr src, struct in_addr dst,
    const uint8_t *data, size_t len)
{
	struct igmp_ip ip;
	struct igmp_msg msg;
	int i;

	assert_int_equal(igmp_decode(data, len, &msg), IGMP_OK);
	memset(&ip, 0, sizeof(ip));
	ip.src = src;
	ip.dst = dst;
	ip.ttl = 1;
	ip.tos = 0xc0;
	ip.router_alert = true;
	ip.header_len = 24;
	ip.total_len = 24 + len;

	if (from >= 0) {
		b->by_type[data[0]]++;
		if (b->now < b->first)
			b->first = b->now;
		if (b->now > b->last)
			b->last = b->now;
		if (msg.kind == IGMP_KIND_V1_REPORT ||
		    msg.kind == IGMP_KIND_V2_REPORT) {
			assert_true(group_index(msg.group) >= 0);
			assert_int_equal(dst.s_addr, msg.group.s_addr);
			b->per_group[group_index(msg.group)]++;
		} else if (msg.kind == IGMP_KIND_V3_REPORT) {
			assert_int_equal(ntohl(dst.s_addr), IGMP_V3_ROUTERS);
			b->per_host[from]++;
			b->records += msg.nrecords;
		}
	}
	for (i = 0; i < NHOSTS; i++)
		if (i != from)
			igmp_host_input(b->h[i], b->now, &ip, &msg);
}

static void
bus_send_from(struct bus *b, int i)
{
	struct igmp_host_output out;

	while (igmp_host_output(b->h[i], &out))
		bus_deliver(b, i, igmp_host_address(b->h[i]), out.dst, out.data,
		    out.len);
}

/*
 * Run every timer up to `until`: at each ms with something due, the hosts
 * due fire in index order, each one's packets delivered before the next.
 */
static void
bus_run(struct bus *b, mc_time_t until)
{
	mc_time_t t, d;
	int i;

	for (;;) {
		t = MC_TIME_NEVER;
		for (i = 0; i < NHOSTS; i++) {
			d = igmp_host_next_deadline(b->h[i]);
			if (d < t)
				t = d;
		}
		if (t > until)
			break;
		assert_true(t >= b->now);
		b->now = t;
		for (i = 0; i < NHOSTS; i++) {
			if (igmp_host_next_deadline(b->h[i]) > t)
				continue;
			igmp_host_timeout(b->h[i], t);
			bus_send_from(b, i);
		}
	}
	b->now = until;
}

/*
 * The hosts, joined to the 50 groups at t = 0 in v3: one report with 50
 * TO_EX records and its one retransmission per host (RV 2), 2,000 in all.
 */
static struct bus *
bus_new(void)
{
	struct bus *b = calloc(1, sizeof(*b));
	int i, g;

	assert_non_null(b);
	for (i = 0; i < NHOSTS; i++) {
		b->h[i] = igmp_host_new(NULL, addr(HOST_BASE + (uint32_t)i),
		    SEED + (uint64_t)i, NULL, NULL);
		assert_non_null(b->h[i]);
		for (g = 0; g < NGROUPS; g++)
			assert_int_equal(igmp_host_set_filter(b->h[i], 0,
					     addr(GROUP_BASE + (uint32_t)g),
					     IGMP_FILTER_EXCLUDE, NULL, 0),
			    0);
	}
	bus_count_reset(b);
	bus_run(b, 10000);
	assert_int_equal(b->by_type[IGMP_TYPE_V3_REPORT], 2 * NHOSTS);
	assert_int_equal(b->records, 2 * NHOSTS * NGROUPS);
	for (i = 0; i < NHOSTS; i++)
		assert_int_equal(b->per_host[i], 2);
	bus_count_reset(b);
	return b;
}

static void
bus_free(struct bus *b)
{
	int i;

	for (i = 0; i < NHOSTS; i++)
		igmp_host_free(b->h[i]);
	free(b);
}

static void
bus_query(struct bus *b, const uint8_t *q, int len)
{
	assert_true(len > 0);
	bus_deliver(b, -1, addr(ROUTER_ADDR), addr(IGMP_ALL_SYSTEMS), q,
	    (size_t)len);
}

/* Groups for which two or more hosts are due in the same first ms. */
static int
bus_ties(const struct bus *b)
{
	struct igmp_host_group_view v;
	int i, g, ties = 0, at_min;
	mc_time_t min;

	for (g = 0; g < NGROUPS; g++) {
		min = MC_TIME_NEVER;
		at_min = 0;
		for (i = 0; i < NHOSTS; i++) {
			assert_int_equal(igmp_host_group(b->h[i],
					     addr(GROUP_BASE + (uint32_t)g),
					     &v),
			    0);
			assert_true(v.report_pending);
			if (v.report_at < min) {
				min = v.report_at;
				at_min = 1;
			} else if (v.report_at == min) {
				at_min++;
			}
		}
		if (at_min > 1)
			ties++;
	}
	return ties;
}

static uint64_t
bus_suppressed(const struct bus *b)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < NHOSTS; i++)
		n += igmp_host_stats(b->h[i])->reports_suppressed;
	return n;
}

/* One report per group, suppression everywhere else. */
static void
assert_one_report_per_group(struct bus *b, mc_time_t t, uint8_t type,
    unsigned version)
{
	int i, g, ties;

	for (i = 0; i < NHOSTS; i++)
		assert_int_equal(igmp_host_version(b->h[i]), version);
	ties = bus_ties(b);
	print_message("# %d of %d groups have two or more hosts due in the "
		      "first ms\n",
	    ties, NGROUPS);
	/* With this seed the sequential delivery is put to work. */
	assert_true(ties > 0);
	bus_run(b, t + 20000);
	assert_int_equal(b->by_type[type], NGROUPS);
	for (g = 0; g < NGROUPS; g++)
		assert_int_equal(b->per_group[g], 1);
	assert_int_equal(b->by_type[IGMP_TYPE_V3_REPORT], 0);
	assert_true(b->first >= t + 1 && b->last <= t + 10000);
	assert_int_equal(bus_suppressed(b), (uint64_t)NGROUPS * (NHOSTS - 1));
}

static void
sim_v2_query_one_report_per_group(void **state)
{
	struct bus *b = bus_new();
	const mc_time_t t = 60000;
	uint8_t q[8];

	b->now = t;
	/* A v2 General Query, Max Resp Time 10 s. */
	bus_query(b, q, igmp_build_v2_query(q, sizeof(q), addr(0), 100));
	assert_one_report_per_group(b, t, IGMP_TYPE_V2_REPORT, 2);
	bus_free(b);
}

static void
sim_v1_query_one_report_per_group(void **state)
{
	struct bus *b = bus_new();
	const mc_time_t t = 60000;
	uint8_t q[8];

	b->now = t;
	bus_query(b, q, igmp_build_v1_query(q, sizeof(q)));
	assert_one_report_per_group(b, t, IGMP_TYPE_V1_REPORT, 1);
	bus_free(b);
}

static void
sim_v3_query_every_host_reports(void **state)
{
	struct bus *b = bus_new();
	const mc_time_t t = 60000;
	uint8_t q[64];
	int i;

	b->now = t;
	bus_query(b, q,
	    igmp_build_v3_query(q, sizeof(q), addr(0), 100, false, 2, 125, NULL,
		0));
	bus_run(b, t + 20000);
	/* 50 IS_EX records, 8 + 50 x 8 = 408 bytes: one report each. */
	assert_int_equal(b->by_type[IGMP_TYPE_V3_REPORT], NHOSTS);
	assert_int_equal(b->records, (uint64_t)NHOSTS * NGROUPS);
	for (i = 0; i < NHOSTS; i++)
		assert_int_equal(b->per_host[i], 1);
	assert_int_equal(b->by_type[IGMP_TYPE_V1_REPORT] +
		b->by_type[IGMP_TYPE_V2_REPORT],
	    0);
	assert_true(b->first >= t + 1 && b->last <= t + 10000);
	assert_int_equal(bus_suppressed(b), 0);
	for (i = 0; i < NHOSTS; i++)
		assert_int_equal(igmp_host_version(b->h[i]), 3);
	bus_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sim_v2_query_one_report_per_group),
		cmocka_unit_test(sim_v1_query_one_report_per_group),
		cmocka_unit_test(sim_v3_query_every_host_reports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
