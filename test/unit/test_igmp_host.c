/*
 * The IGMP host engine with a fake clock: unsolicited reports, answers to
 * queries and their timing bounds, v1/v2 suppression and leaves, older
 * querier compatibility, v3 State-Change merging, report splitting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "igmp_host.h"
#include "trace.h"

#define HOST	    "10.0.0.10"
#define OTHER	    "10.0.0.11"
#define ROUTER	    "10.0.0.1"
#define ALL_SYSTEMS "224.0.0.1"
#define ALL_ROUTERS "224.0.0.2"
#define V3_ROUTERS  "224.0.0.22"
#define G1	    "239.1.1.1"
#define G2	    "239.2.2.2"
#define G	    "239.1.2.3"
#define S1	    "10.9.0.1"
#define S2	    "10.9.0.2"
#define S3	    "10.9.0.3"
#define S4	    "10.9.0.4"
#define S5	    "10.9.0.5"
#define S9	    "10.9.0.9"

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* What the host sent, and when. */
struct sent {
	mc_time_t at;
	struct igmp_host_output out;
};

#define LOG_MAX 64

struct log {
	size_t n;
	struct sent p[LOG_MAX];
};

static struct log *
log_new(void)
{
	struct log *lg = calloc(1, sizeof(*lg));

	assert_non_null(lg);
	return lg;
}

static void
drain(struct igmp_host *h, mc_time_t now, struct log *lg)
{
	struct igmp_host_output out;

	while (igmp_host_output(h, &out)) {
		assert_true(lg->n < LOG_MAX);
		lg->p[lg->n].at = now;
		lg->p[lg->n].out = out;
		lg->n++;
	}
}

/* The fake clock: every deadline up to and including `until`. */
static void
run(struct igmp_host *h, mc_time_t until, struct log *lg)
{
	mc_time_t d;

	while ((d = igmp_host_next_deadline(h)) <= until) {
		igmp_host_timeout(h, d);
		drain(h, d, lg);
	}
}

static struct igmp_host *
host_cfg(unsigned version, unsigned robustness, uint64_t seed)
{
	struct igmp_host_config c;
	struct igmp_host *h;

	igmp_host_config_defaults(&c);
	c.version = version;
	c.robustness = robustness;
	h = igmp_host_new(&c, ip(HOST), seed, NULL, NULL);
	assert_non_null(h);
	return h;
}

static struct igmp_host *
host(unsigned version, uint64_t seed)
{
	return host_cfg(version, 2, seed);
}

static int
set(struct igmp_host *h, mc_time_t now, const char *group,
    enum igmp_filter_mode mode, const char **src)
{
	struct in_addr a[8];
	uint32_t n = 0;

	while (src != NULL && src[n] != NULL) {
		a[n] = ip(src[n]);
		n++;
	}
	return igmp_host_set_filter(h, now, ip(group), mode, a, n);
}

static int
join(struct igmp_host *h, mc_time_t now, const char *group)
{
	return set(h, now, group, IGMP_FILTER_EXCLUDE, NULL);
}

static int
leave(struct igmp_host *h, mc_time_t now, const char *group)
{
	return set(h, now, group, IGMP_FILTER_INCLUDE, NULL);
}

#define SRC(...) ((const char *[]){ __VA_ARGS__, NULL })

static void
deliver_from(struct igmp_host *h, mc_time_t now, const char *src,
    const char *dst, const uint8_t *buf, int len, bool router_alert)
{
	struct igmp_ip iph;
	struct igmp_msg msg;

	assert_true(len > 0);
	assert_int_equal(igmp_decode(buf, (size_t)len, &msg), IGMP_OK);
	memset(&iph, 0, sizeof(iph));
	iph.src = ip(src);
	iph.dst = ip(dst);
	iph.ttl = 1;
	iph.tos = 0xc0;
	iph.router_alert = router_alert;
	iph.header_len = router_alert ? 24 : 20;
	iph.total_len = iph.header_len + (size_t)len;
	igmp_host_input(h, now, &iph, &msg);
}

static void
query_v1(struct igmp_host *h, mc_time_t now)
{
	uint8_t b[8];

	deliver_from(h, now, ROUTER, ALL_SYSTEMS, b,
	    igmp_build_v1_query(b, sizeof(b)), false);
}

/* group NULL: a General Query to 224.0.0.1; else to the group. */
static void
query_v2(struct igmp_host *h, mc_time_t now, const char *group, uint32_t tenths)
{
	struct in_addr g = { .s_addr = INADDR_ANY };
	uint8_t b[8];

	if (group != NULL)
		g = ip(group);
	/* As real v2 routers send them: without Router Alert. */
	deliver_from(h, now, ROUTER, group ? group : ALL_SYSTEMS, b,
	    igmp_build_v2_query(b, sizeof(b), g, tenths), false);
}

static void
query_v3_full(struct igmp_host *h, mc_time_t now, const char *group,
    const char *dst, uint32_t tenths, uint8_t qrv, uint32_t qqi_s,
    const char **src)
{
	struct in_addr g = { .s_addr = INADDR_ANY }, a[8];
	uint8_t b[64];
	uint16_t n = 0;

	if (group != NULL)
		g = ip(group);
	while (src != NULL && src[n] != NULL) {
		a[n] = ip(src[n]);
		n++;
	}
	deliver_from(h, now, ROUTER, dst, b,
	    igmp_build_v3_query(b, sizeof(b), g, tenths, false, qrv, qqi_s, a,
		n),
	    true);
}

static void
query_v3(struct igmp_host *h, mc_time_t now, const char *group, uint32_t tenths,
    const char **src)
{
	query_v3_full(h, now, group, group ? group : ALL_SYSTEMS, tenths, 2,
	    125, src);
}

/* Another host's v1/v2 report for the group. */
static void
report_from_other(struct igmp_host *h, mc_time_t now, const char *group,
    bool v1)
{
	uint8_t b[8];
	int n;

	n = v1 ? igmp_build_v1_report(b, sizeof(b), ip(group)) :
		 igmp_build_v2_report(b, sizeof(b), ip(group));
	deliver_from(h, now, OTHER, group, b, n, true);
}

/* A v3 group record as expected: type, group, sources (NULL-ended). */
struct rec {
	uint8_t type;
	const char *group;
	const char *src[8];
};

static void
assert_v3_report(const struct sent *s, const struct rec *want, size_t nwant)
{
	struct igmp_msg m;
	struct igmp_record_iter it;
	struct igmp_group_record r;
	size_t i, j;

	assert_int_equal(s->out.dst.s_addr, ip(V3_ROUTERS).s_addr);
	assert_int_equal(igmp_decode(s->out.data, s->out.len, &m), IGMP_OK);
	assert_int_equal(m.kind, IGMP_KIND_V3_REPORT);
	assert_int_equal(m.nrecords, nwant);
	igmp_records_begin(&m, &it);
	for (i = 0; i < nwant; i++) {
		assert_true(igmp_records_next(&it, &r));
		assert_int_equal(r.type, want[i].type);
		assert_int_equal(r.group.s_addr, ip(want[i].group).s_addr);
		for (j = 0; want[i].src[j] != NULL; j++)
			;
		assert_int_equal(r.nsources, j);
		for (j = 0; j < r.nsources; j++)
			assert_int_equal(igmp_source_at(r.sources, (uint16_t)j)
					     .s_addr,
			    ip(want[i].src[j]).s_addr);
	}
	assert_false(igmp_records_next(&it, &r));
}

/* A v1 (0x12) or v2 (0x16) report for the group, sent to the group. */
static void
assert_v12_report(const struct sent *s, uint8_t type, const char *group)
{
	struct igmp_msg m;

	assert_int_equal(s->out.dst.s_addr, ip(group).s_addr);
	assert_int_equal(s->out.len, 8);
	assert_int_equal(igmp_decode(s->out.data, s->out.len, &m), IGMP_OK);
	assert_int_equal(m.type, type);
	assert_int_equal(m.group.s_addr, ip(group).s_addr);
}

/* Unsolicited reports */

static void
test_v3_join_report_bytes(void **state)
{
	static const uint8_t want[] = { 0x22, 0x00, 0xe8, 0xf9, 0x00, 0x00,
		0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0xef, 0x01, 0x02, 0x03 };
	struct igmp_host *h = host(0, 1);
	struct log *lg = log_new();
	struct igmp_host_group_view v;
	struct igmp_host_output out;

	assert_int_equal(igmp_host_version(h), 3);
	assert_int_equal(igmp_host_address(h).s_addr, ip(HOST).s_addr);
	assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
	assert_int_equal(join(h, 1000, G), 0);
	/* Due now, sent by the timeout at now. */
	assert_int_equal(igmp_host_next_deadline(h), 1000);
	assert_false(igmp_host_output(h, &out));
	run(h, 100000, lg);
	assert_int_equal(lg->n, 2); /* RV = 2 transmissions */
	assert_int_equal(lg->p[0].at, 1000);
	assert_int_equal(lg->p[0].out.dst.s_addr, ip(V3_ROUTERS).s_addr);
	assert_int_equal(lg->p[0].out.len, sizeof(want));
	assert_memory_equal(lg->p[0].out.data, want, sizeof(want));
	/* RFC 3376 5.1 / 8.11: within (0, 1 s] of the first. */
	assert_true(lg->p[1].at > 1000 && lg->p[1].at <= 2000);
	assert_int_equal(lg->p[1].out.len, sizeof(want));
	assert_memory_equal(lg->p[1].out.data, want, sizeof(want));
	assert_int_equal(igmp_host_stats(h)->reports_sent, 2);
	assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
	assert_int_equal(v.mode, IGMP_FILTER_EXCLUDE);
	assert_int_equal(v.nsources, 0);
	assert_false(v.report_pending);
	assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
	/* The same state again: no change, nothing to send. */
	assert_int_equal(join(h, 200000, G), 0);
	assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
	free(lg);
	igmp_host_free(h);
}

static void
test_v3_retransmission_bounds(void **state)
{
	uint64_t seed;
	size_t i;

	for (seed = 1; seed <= 300; seed++) {
		struct igmp_host *h = host_cfg(0, 3, seed);
		struct log *lg = log_new();

		assert_int_equal(join(h, 5000, G), 0);
		run(h, 1000000, lg);
		assert_int_equal(lg->n, 3); /* RV = 3 */
		assert_int_equal(lg->p[0].at, 5000);
		for (i = 1; i < lg->n; i++) {
			assert_true(lg->p[i].at - lg->p[i - 1].at >= 1);
			assert_true(lg->p[i].at - lg->p[i - 1].at <= 1000);
		}
		free(lg);
		igmp_host_free(h);
	}
}

static void
test_v1_unsolicited(void **state)
{
	static const uint8_t want[] = { 0x12, 0x00, 0xfc, 0xfa, 0xef, 0x01,
		0x02, 0x03 };
	uint64_t seed;

	for (seed = 1; seed <= 200; seed++) {
		struct igmp_host *h = host(1, seed);
		struct log *lg = log_new();

		assert_int_equal(igmp_host_version(h), 1);
		assert_int_equal(join(h, 0, G), 0);
		/* RFC 1112 App. I: sent at once. */
		drain(h, 0, lg);
		assert_int_equal(lg->n, 1);
		assert_int_equal(lg->p[0].out.dst.s_addr, ip(G).s_addr);
		assert_int_equal(lg->p[0].out.len, sizeof(want));
		assert_memory_equal(lg->p[0].out.data, want, sizeof(want));
		run(h, 1000000, lg);
		assert_int_equal(lg->n, 2);
		/* Repeated after (0, 10 s]. */
		assert_true(lg->p[1].at >= 1 && lg->p[1].at <= 10000);
		assert_memory_equal(lg->p[1].out.data, want, sizeof(want));
		free(lg);
		igmp_host_free(h);
	}
}

static void
test_v2_unsolicited(void **state)
{
	static const uint8_t want[] = { 0x16, 0x00, 0xf8, 0xfa, 0xef, 0x01,
		0x02, 0x03 };
	struct igmp_host_group_view v;
	uint64_t seed;
	size_t i;

	for (seed = 1; seed <= 200; seed++) {
		struct igmp_host *h = host_cfg(2, 3, seed);
		struct log *lg = log_new();

		assert_int_equal(join(h, 7000, G), 0);
		drain(h, 7000, lg);
		assert_int_equal(lg->n, 1);
		assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
		assert_true(v.last_reporter);
		assert_true(v.report_pending);
		run(h, 1000000, lg);
		assert_int_equal(lg->n, 3); /* RV = 3 in all */
		for (i = 0; i < lg->n; i++) {
			assert_int_equal(lg->p[i].out.dst.s_addr, ip(G).s_addr);
			assert_memory_equal(lg->p[i].out.data, want,
			    sizeof(want));
		}
		for (i = 1; i < lg->n; i++)
			assert_true(lg->p[i].at - lg->p[i - 1].at >= 1 &&
			    lg->p[i].at - lg->p[i - 1].at <= 10000);
		free(lg);
		igmp_host_free(h);
	}
}

/* Answers to General Queries */

static void
test_v3_general_query_bounds(void **state)
{
	static const struct rec want[] = {
		{ IGMP_MODE_IS_EXCLUDE, G1, { NULL } },
		{ IGMP_MODE_IS_INCLUDE, G2, { S1, NULL } },
	};
	const mc_time_t t = 20000;
	uint64_t seed;

	for (seed = 1; seed <= 200; seed++) {
		struct igmp_host *h = host(0, seed);
		struct log *lg = log_new();
		mc_time_t d;

		assert_int_equal(set(h, 0, G2, IGMP_FILTER_INCLUDE, SRC(S1)),
		    0);
		assert_int_equal(join(h, 0, G1), 0);
		run(h, t - 1, lg);
		lg->n = 0;
		query_v3(h, t, NULL, 100, NULL); /* Max Resp 10 s */
		d = igmp_host_next_deadline(h);
		assert_true(d >= t + 1 && d <= t + 10000);
		/* Rule 1/2: another general query keeps the earlier. */
		query_v3(h, t + 1, NULL, 100, NULL);
		assert_true(igmp_host_next_deadline(h) <= d);
		d = igmp_host_next_deadline(h);
		run(h, t + 100000, lg);
		assert_int_equal(lg->n, 1);
		assert_int_equal(lg->p[0].at, d);
		assert_v3_report(&lg->p[0], want, 2);
		assert_int_equal(igmp_host_stats(h)->rx_queries, 2);
		free(lg);
		igmp_host_free(h);
	}
}

static void
test_v2_general_query_bounds(void **state)
{
	const mc_time_t t = 50000;
	uint64_t seed;
	size_t i;

	for (seed = 1; seed <= 200; seed++) {
		struct igmp_host *h = host(2, seed);
		struct log *lg = log_new();

		assert_int_equal(join(h, 0, G1), 0);
		assert_int_equal(join(h, 0, G2), 0);
		run(h, t - 1, lg);
		lg->n = 0;
		query_v2(h, t, NULL, 50); /* 5 s */
		run(h, t + 100000, lg);
		assert_int_equal(lg->n, 2);
		for (i = 0; i < 2; i++) {
			assert_true(lg->p[i].at >= t + 1 &&
			    lg->p[i].at <= t + 5000);
			assert_int_equal(lg->p[i].out.data[0], 0x16);
		}
		/* One report per group, each to its group. */
		assert_true(lg->p[0].out.dst.s_addr != lg->p[1].out.dst.s_addr);
		free(lg);
		igmp_host_free(h);
	}
}

/* A query with a shorter Max Resp Time resets a running timer, only then. */
static void
test_v2_query_resets_only_if_sooner(void **state)
{
	struct igmp_host_group_view v;
	const mc_time_t t = 50000;
	mc_time_t before;
	uint64_t seed;

	for (seed = 1; seed <= 200; seed++) {
		struct igmp_host *h = host(2, seed);
		struct log *lg = log_new();

		assert_int_equal(join(h, 0, G), 0);
		run(h, t - 1, lg);
		query_v2(h, t, NULL, 255); /* 25.5 s */
		assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
		assert_true(v.report_pending);
		before = v.report_at;
		query_v2(h, t, G, 10); /* 1 s */
		assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
		if (before - t > 1000)
			assert_true(v.report_at >= t + 1 &&
			    v.report_at <= t + 1000);
		else
			assert_int_equal(v.report_at, before);
		before = v.report_at;
		query_v2(h, t, NULL, 255);
		assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
		assert_int_equal(v.report_at, before);
		free(lg);
		igmp_host_free(h);
	}
}

/* Suppression and leaves */

static void
test_v2_suppression_then_silent_leave(void **state)
{
	struct igmp_host *h = host(2, 7);
	struct log *lg = log_new();
	struct igmp_host_group_view v;
	const mc_time_t t = 50000;

	assert_int_equal(join(h, 0, G), 0);
	run(h, t - 1, lg);
	assert_int_equal(lg->n, 2);
	assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
	assert_true(v.last_reporter);

	query_v2(h, t, NULL, 100);
	assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
	assert_true(v.report_pending);
	report_from_other(h, t, G, false);
	assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
	assert_false(v.report_pending);
	assert_false(v.last_reporter);
	assert_int_equal(igmp_host_stats(h)->reports_suppressed, 1);
	assert_int_equal(igmp_host_stats(h)->rx_reports_heard, 1);
	assert_true(igmp_host_next_deadline(h) > t + 100000);

	lg->n = 0;
	run(h, t + 20000, lg);
	assert_int_equal(lg->n, 0);
	/* Not the last reporter: no leave (RFC 2236 6). */
	assert_int_equal(leave(h, t + 20000, G), 0);
	drain(h, t + 20000, lg);
	assert_int_equal(lg->n, 0);
	assert_int_equal(igmp_host_stats(h)->leaves_sent, 0);
	assert_int_equal(igmp_host_group(h, ip(G), &v), -ENOENT);
	free(lg);
	igmp_host_free(h);
}

/* A report heard during the unsolicited repeats cancels them (v1 too). */
static void
test_suppression_cancels_repeats(void **state)
{
	unsigned version;

	for (version = 1; version <= 2; version++) {
		struct igmp_host *h = host(version, 5);
		struct log *lg = log_new();

		assert_int_equal(join(h, 0, G), 0);
		drain(h, 0, lg);
		assert_int_equal(lg->n, 1);
		report_from_other(h, 0, G, version == 1);
		run(h, 1000000, lg);
		assert_int_equal(lg->n, 1);
		assert_int_equal(igmp_host_stats(h)->reports_suppressed, 1);
		free(lg);
		igmp_host_free(h);
	}
}

static void
test_v2_leave_by_last_reporter(void **state)
{
	static const uint8_t want[] = { 0x17, 0x00, 0xf7, 0xfa, 0xef, 0x01,
		0x02, 0x03 };
	struct igmp_host *h = host(2, 9);
	struct log *lg = log_new();
	struct igmp_host_group_view v;

	assert_int_equal(join(h, 0, G), 0);
	run(h, 60000, lg);
	assert_int_equal(lg->n, 2);
	lg->n = 0;
	assert_int_equal(leave(h, 60000, G), 0);
	drain(h, 60000, lg);
	assert_int_equal(lg->n, 1);
	assert_int_equal(lg->p[0].out.dst.s_addr, ip(ALL_ROUTERS).s_addr);
	assert_int_equal(lg->p[0].out.len, sizeof(want));
	assert_memory_equal(lg->p[0].out.data, want, sizeof(want));
	assert_int_equal(igmp_host_stats(h)->leaves_sent, 1);
	assert_int_equal(igmp_host_group(h, ip(G), &v), -ENOENT);
	assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
	run(h, 1000000, lg);
	assert_int_equal(lg->n, 1);
	free(lg);
	igmp_host_free(h);
}

/* v1 has no leave; a leave during the repeats stops them. */
static void
test_v1_leave_sends_nothing(void **state)
{
	struct igmp_host *h = host(1, 4);
	struct log *lg = log_new();

	assert_int_equal(join(h, 0, G), 0);
	drain(h, 0, lg);
	assert_int_equal(lg->n, 1);
	assert_int_equal(leave(h, 1, G), 0);
	run(h, 1000000, lg);
	assert_int_equal(lg->n, 1);
	assert_int_equal(igmp_host_stats(h)->leaves_sent, 0);
	assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
	free(lg);
	igmp_host_free(h);
}

/* Older querier compatibility (RFC 3376 7.2.1) */

static void
test_v1_querier_present_400s(void **state)
{
	struct igmp_host *h = host(0, 3);
	struct log *lg = log_new();

	assert_int_equal(join(h, 0, G), 0);
	igmp_host_timeout(h, 0);
	drain(h, 0, lg);
	assert_int_equal(lg->n, 1); /* the v3 TO_EX */
	/* A v3 retransmission is pending; a v1 querier speaks. */
	assert_true(igmp_host_next_deadline(h) >= 1);
	query_v1(h, 0);
	assert_int_equal(igmp_host_version(h), 1);
	run(h, 399999, lg);
	/* The retransmission was cancelled; one v1 report answered. */
	assert_int_equal(lg->n, 2);
	assert_v12_report(&lg->p[1], 0x12, G);
	assert_true(lg->p[1].at >= 1 && lg->p[1].at <= 10000);
	assert_int_equal(igmp_host_version(h), 1);
	assert_int_equal(igmp_host_next_deadline(h), 400000);
	igmp_host_timeout(h, 400000);
	assert_int_equal(igmp_host_version(h), 3);
	drain(h, 400000, lg);
	assert_int_equal(lg->n, 2);
	assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
	free(lg);
	igmp_host_free(h);
}

static void
test_v2_querier_present_interval(void **state)
{
	struct igmp_host *h = host(0, 3);
	struct log *lg = log_new();
	const mc_time_t t = 1000;
	mc_time_t d;

	assert_int_equal(join(h, 0, G), 0);
	run(h, t - 1, lg);
	/* A v3 general query is pending when the v2 querier speaks. */
	query_v3(h, t - 1, NULL, 255, NULL);
	/* RFC 3376 8.12: RV 2 x QI 125 s + this query's 5 s. */
	query_v2(h, t, NULL, 50);
	assert_int_equal(igmp_host_version(h), 2);
	lg->n = 0;
	run(h, t + 254999, lg);
	assert_int_equal(lg->n, 1);
	assert_v12_report(&lg->p[0], 0x16, G);
	assert_true(lg->p[0].at >= t + 1 && lg->p[0].at <= t + 5000);
	assert_int_equal(igmp_host_version(h), 2);
	d = igmp_host_next_deadline(h);
	assert_int_equal(d, t + 255000);
	igmp_host_timeout(h, d);
	assert_int_equal(igmp_host_version(h), 3);
	free(lg);
	igmp_host_free(h);
}

/* RV and QI learnt from a v3 query feed the v2 timeout. */
static void
test_v2_querier_present_learnt_rv_qi(void **state)
{
	struct igmp_host *h = host(0, 3);

	query_v3_full(h, 0, NULL, ALL_SYSTEMS, 100, 3, 60, NULL);
	query_v2(h, 1000, NULL, 50);
	assert_int_equal(igmp_host_version(h), 2);
	assert_int_equal(igmp_host_next_deadline(h), 1000 + 3 * 60000 + 5000);
	igmp_host_timeout(h, 1000 + 3 * 60000 + 4999);
	assert_int_equal(igmp_host_version(h), 2);
	igmp_host_timeout(h, 1000 + 3 * 60000 + 5000);
	assert_int_equal(igmp_host_version(h), 3);
	igmp_host_free(h);
}

/* The lowest version present wins; on expiry the next one. */
static void
test_v1_and_v2_queriers(void **state)
{
	struct igmp_host_config c;
	struct igmp_host *h;

	igmp_host_config_defaults(&c);
	c.v1_router_present_timeout_ms = 100000;
	h = igmp_host_new(&c, ip(HOST), 1, NULL, NULL);
	assert_non_null(h);
	query_v2(h, 0, NULL, 100); /* v2 until 260 s */
	query_v1(h, 1000);	   /* v1 until 101 s */
	assert_int_equal(igmp_host_version(h), 1);
	assert_int_equal(igmp_host_next_deadline(h), 101000);
	igmp_host_timeout(h, 101000);
	assert_int_equal(igmp_host_version(h), 2);
	assert_int_equal(igmp_host_next_deadline(h), 260000);
	igmp_host_timeout(h, 260000);
	assert_int_equal(igmp_host_version(h), 3);
	igmp_host_free(h);
}

/* force_igmp_version as Linux: 1 always, 2 falls back to 1, 3 as 0. */
static void
test_forced_versions(void **state)
{
	struct igmp_host *h;
	struct log *lg = log_new();

	h = host(1, 2);
	assert_int_equal(join(h, 0, G), 0);
	run(h, 100000, lg);
	lg->n = 0;
	query_v3(h, 100000, NULL, 100, NULL);
	run(h, 200000, lg);
	assert_int_equal(lg->n, 1);
	assert_v12_report(&lg->p[0], 0x12, G);
	assert_true(lg->p[0].at <= 110000);
	assert_int_equal(igmp_host_version(h), 1);
	igmp_host_free(h);

	h = host(2, 2);
	query_v1(h, 0);
	assert_int_equal(igmp_host_version(h), 1);
	igmp_host_timeout(h, 399999);
	assert_int_equal(igmp_host_version(h), 1);
	igmp_host_timeout(h, 400000);
	assert_int_equal(igmp_host_version(h), 2);
	igmp_host_free(h);

	h = host(3, 2);
	assert_int_equal(igmp_host_version(h), 3);
	query_v2(h, 0, NULL, 100);
	assert_int_equal(igmp_host_version(h), 2);
	igmp_host_free(h);
	free(lg);
}

/* v3 State-Change Reports (RFC 3376 5.1) */

static void
test_v3_merge_allow_retransmitted_rv_times(void **state)
{
	static const struct rec r1[] = {
		{ IGMP_ALLOW_NEW_SOURCES, G, { S1, NULL } },
	};
	static const struct rec r12[] = {
		{ IGMP_ALLOW_NEW_SOURCES, G, { S1, S2, NULL } },
	};
	unsigned rv;
	size_t i;

	for (rv = 2; rv <= 3; rv++) {
		struct igmp_host *h = host_cfg(0, rv, 11);
		struct log *lg = log_new();
		mc_time_t d;

		assert_int_equal(set(h, 0, G, IGMP_FILTER_INCLUDE, SRC(S1)), 0);
		igmp_host_timeout(h, 0);
		drain(h, 0, lg);
		assert_int_equal(lg->n, 1);
		assert_v3_report(&lg->p[0], r1, 1);
		d = igmp_host_next_deadline(h);
		assert_true(d >= 1 && d <= 1000);
		/* Add S2 while S1 is being retransmitted. */
		assert_int_equal(set(h, d - 1, G, IGMP_FILTER_INCLUDE,
				     SRC(S1, S2)),
		    0);
		assert_int_equal(igmp_host_next_deadline(h), d - 1);
		run(h, 1000000, lg);
		assert_int_equal(lg->n, 1 + rv);
		assert_int_equal(lg->p[1].at, d - 1);
		for (i = 1; i < lg->n; i++)
			assert_v3_report(&lg->p[i], r12, 1);
		free(lg);
		igmp_host_free(h);
	}
}

static void
test_v3_include_source_changes(void **state)
{
	static const struct rec first[] = {
		{ IGMP_ALLOW_NEW_SOURCES, G, { S1, S2, NULL } },
	};
	static const struct rec change[] = {
		{ IGMP_ALLOW_NEW_SOURCES, G, { S3, NULL } },
		{ IGMP_BLOCK_OLD_SOURCES, G, { S1, NULL } },
	};
	static const struct rec merged[] = {
		{ IGMP_ALLOW_NEW_SOURCES, G, { S1, S3, NULL } },
	};
	static const struct rec gone[] = {
		{ IGMP_BLOCK_OLD_SOURCES, G, { S1, S2, S3, NULL } },
	};
	struct igmp_host *h = host(0, 21);
	struct log *lg = log_new();
	struct igmp_host_group_view v;

	/* Sources arrive unsorted and duplicated; reports list them sorted. */
	assert_int_equal(set(h, 0, G, IGMP_FILTER_INCLUDE, SRC(S2, S1, S2)), 0);
	run(h, 4999, lg);
	assert_int_equal(lg->n, 2);
	assert_v3_report(&lg->p[0], first, 1);
	assert_v3_report(&lg->p[1], first, 1);
	lg->n = 0;
	assert_int_equal(set(h, 5000, G, IGMP_FILTER_INCLUDE, SRC(S2, S3)), 0);
	igmp_host_timeout(h, 5000);
	drain(h, 5000, lg);
	assert_int_equal(lg->n, 1);
	assert_v3_report(&lg->p[0], change, 2);
	/* S1 back before the retransmission: no longer blocked. */
	assert_int_equal(set(h, 5000, G, IGMP_FILTER_INCLUDE, SRC(S1, S2, S3)),
	    0);
	run(h, 9999, lg);
	assert_int_equal(lg->n, 3);
	assert_v3_report(&lg->p[1], merged, 1);
	assert_v3_report(&lg->p[2], merged, 1);
	assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
	assert_int_equal(v.nsources, 3);
	lg->n = 0;
	/* Leaving an INCLUDE group: BLOCK everything, then forgotten. */
	assert_int_equal(leave(h, 10000, G), 0);
	assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
	assert_true(v.report_pending);
	run(h, 100000, lg);
	assert_int_equal(lg->n, 2);
	assert_v3_report(&lg->p[0], gone, 1);
	assert_v3_report(&lg->p[1], gone, 1);
	assert_int_equal(igmp_host_group(h, ip(G), &v), -ENOENT);
	free(lg);
	igmp_host_free(h);
}

static void
test_v3_exclude_source_changes(void **state)
{
	static const struct rec block12[] = {
		{ IGMP_BLOCK_OLD_SOURCES, G, { S1, S2, NULL } },
	};
	static const struct rec merged[] = {
		{ IGMP_ALLOW_NEW_SOURCES, G, { S1, NULL } },
		{ IGMP_BLOCK_OLD_SOURCES, G, { S2, NULL } },
	};
	struct igmp_host *h = host(0, 22);
	struct log *lg = log_new();

	assert_int_equal(join(h, 0, G), 0);
	run(h, 4999, lg);
	assert_int_equal(lg->n, 2);
	lg->n = 0;
	/* EXCLUDE {} -> EXCLUDE {S1,S2}: BLOCK (B-A). */
	assert_int_equal(set(h, 5000, G, IGMP_FILTER_EXCLUDE, SRC(S1, S2)), 0);
	igmp_host_timeout(h, 5000);
	drain(h, 5000, lg);
	assert_int_equal(lg->n, 1);
	assert_v3_report(&lg->p[0], block12, 1);
	/* -> EXCLUDE {S2}: ALLOW {S1}; pending BLOCK loses S1. */
	assert_int_equal(set(h, 5000, G, IGMP_FILTER_EXCLUDE, SRC(S2)), 0);
	run(h, 100000, lg);
	assert_int_equal(lg->n, 3);
	assert_v3_report(&lg->p[1], merged, 2);
	assert_v3_report(&lg->p[2], merged, 2);
	free(lg);
	igmp_host_free(h);
}

static void
test_v3_filter_mode_changes(void **state)
{
	static const uint8_t to_in_empty[] = { 0x22, 0x00, 0xe9, 0xf9, 0x00,
		0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0xef, 0x01, 0x02,
		0x03 };
	static const struct rec to_ex[] = {
		{ IGMP_CHANGE_TO_EXCLUDE, G, { NULL } },
	};
	static const struct rec to_in12[] = {
		{ IGMP_CHANGE_TO_INCLUDE, G, { S1, S2, NULL } },
	};
	static const struct rec to_in1[] = {
		{ IGMP_CHANGE_TO_INCLUDE, G, { S1, NULL } },
	};
	static const struct rec to_ex3[] = {
		{ IGMP_CHANGE_TO_EXCLUDE, G, { S3, NULL } },
	};
	struct igmp_host *h = host(0, 23);
	struct log *lg = log_new();
	struct igmp_host_group_view v;

	assert_int_equal(join(h, 0, G), 0);
	run(h, 4999, lg);
	assert_int_equal(lg->n, 2);
	assert_v3_report(&lg->p[0], to_ex, 1);
	lg->n = 0;
	/* EXCLUDE {} -> INCLUDE {S1,S2}: TO_IN with the new list. */
	assert_int_equal(set(h, 5000, G, IGMP_FILTER_INCLUDE, SRC(S1, S2)), 0);
	igmp_host_timeout(h, 5000);
	drain(h, 5000, lg);
	assert_int_equal(lg->n, 1);
	assert_v3_report(&lg->p[0], to_in12, 1);
	/* A source change while the TO_IN is pending: still TO_IN, now. */
	assert_int_equal(set(h, 5000, G, IGMP_FILTER_INCLUDE, SRC(S1)), 0);
	run(h, 9999, lg);
	assert_int_equal(lg->n, 3);
	assert_v3_report(&lg->p[1], to_in1, 1);
	assert_v3_report(&lg->p[2], to_in1, 1);
	lg->n = 0;
	assert_int_equal(set(h, 10000, G, IGMP_FILTER_EXCLUDE, SRC(S3)), 0);
	run(h, 14999, lg);
	assert_int_equal(lg->n, 2);
	assert_v3_report(&lg->p[0], to_ex3, 1);
	assert_v3_report(&lg->p[1], to_ex3, 1);
	lg->n = 0;
	/* Leave an EXCLUDE group: TO_IN {} RV times, then forgotten. */
	assert_int_equal(leave(h, 15000, G), 0);
	assert_int_equal(igmp_host_group(h, ip(G), &v), 0);
	assert_int_equal(v.mode, IGMP_FILTER_INCLUDE);
	assert_int_equal(v.nsources, 0);
	run(h, 100000, lg);
	assert_int_equal(lg->n, 2);
	assert_int_equal(lg->p[0].at, 15000);
	assert_int_equal(lg->p[0].out.len, sizeof(to_in_empty));
	assert_memory_equal(lg->p[0].out.data, to_in_empty,
	    sizeof(to_in_empty));
	assert_memory_equal(lg->p[1].out.data, to_in_empty,
	    sizeof(to_in_empty));
	assert_int_equal(igmp_host_group(h, ip(G), &v), -ENOENT);
	free(lg);
	igmp_host_free(h);
}

/* Changes to several groups at one instant leave in one report. */
static void
test_v3_changes_share_a_report(void **state)
{
	static const struct rec both[] = {
		{ IGMP_CHANGE_TO_EXCLUDE, G1, { NULL } },
		{ IGMP_ALLOW_NEW_SOURCES, G2, { S1, NULL } },
	};
	struct igmp_host *h = host(0, 24);
	struct log *lg = log_new();

	assert_int_equal(set(h, 0, G2, IGMP_FILTER_INCLUDE, SRC(S1)), 0);
	assert_int_equal(join(h, 0, G1), 0);
	run(h, 100000, lg);
	assert_int_equal(lg->n, 2);
	assert_v3_report(&lg->p[0], both, 2);
	assert_v3_report(&lg->p[1], both, 2);
	free(lg);
	igmp_host_free(h);
}

/* The Robustness Variable of the querier (QRV) is adopted. */
static void
test_v3_learnt_robustness(void **state)
{
	struct igmp_host *h = host(0, 25);
	struct log *lg = log_new();

	query_v3_full(h, 0, NULL, ALL_SYSTEMS, 100, 4, 125, NULL);
	assert_int_equal(join(h, 0, G), 0);
	run(h, 100000, lg);
	assert_int_equal(lg->n, 4);
	free(lg);
	igmp_host_free(h);
}

/* Group-specific and group-and-source-specific queries (RFC 3376 5.2) */

struct gsq {
	struct igmp_host *h;
	struct log *lg;
};

/* G1 EXCLUDE {S4}, G2 INCLUDE {S1,S2}, reports of the joins drained. */
static void
gsq_setup(struct gsq *q, uint64_t seed)
{
	q->h = host(0, seed);
	q->lg = log_new();
	assert_int_equal(set(q->h, 0, G1, IGMP_FILTER_EXCLUDE, SRC(S4)), 0);
	assert_int_equal(set(q->h, 0, G2, IGMP_FILTER_INCLUDE, SRC(S1, S2)), 0);
	run(q->h, 9999, q->lg);
	assert_int_equal(q->lg->n, 2);
	q->lg->n = 0;
}

static void
gsq_teardown(struct gsq *q)
{
	free(q->lg);
	igmp_host_free(q->h);
}

static void
test_v3_group_specific_query(void **state)
{
	static const struct rec want[] = {
		{ IGMP_MODE_IS_INCLUDE, G2, { S1, S2, NULL } },
	};
	struct gsq q;
	mc_time_t d;

	gsq_setup(&q, 31);
	query_v3(q.h, 10000, G2, 10, NULL); /* Max Resp 1 s */
	d = igmp_host_next_deadline(q.h);
	assert_true(d >= 10001 && d <= 11000);
	run(q.h, 100000, q.lg);
	assert_int_equal(q.lg->n, 1);
	assert_int_equal(q.lg->p[0].at, d);
	assert_v3_report(&q.lg->p[0], want, 1);
	gsq_teardown(&q);
}

static void
test_v3_group_and_source_queries(void **state)
{
	static const struct rec inc[] = {
		{ IGMP_MODE_IS_INCLUDE, G2, { S2, NULL } },
	};
	static const struct rec exc[] = {
		{ IGMP_MODE_IS_INCLUDE, G1, { S5, NULL } },
	};
	static const struct rec both[] = {
		{ IGMP_MODE_IS_INCLUDE, G2, { S1, S2, NULL } },
	};
	struct gsq q;

	/* INCLUDE (A) answers A*B. */
	gsq_setup(&q, 32);
	query_v3(q.h, 10000, G2, 10, SRC(S3, S2));
	run(q.h, 100000, q.lg);
	assert_int_equal(q.lg->n, 1);
	assert_v3_report(&q.lg->p[0], inc, 1);
	gsq_teardown(&q);

	/* EXCLUDE (A) answers B-A. */
	gsq_setup(&q, 33);
	query_v3(q.h, 10000, G1, 10, SRC(S4, S5));
	run(q.h, 100000, q.lg);
	assert_int_equal(q.lg->n, 1);
	assert_v3_report(&q.lg->p[0], exc, 1);
	gsq_teardown(&q);

	/* Nothing of interest: no answer at all. */
	gsq_setup(&q, 34);
	query_v3(q.h, 10000, G2, 10, SRC(S9));
	query_v3(q.h, 10000, G1, 10, SRC(S4));
	run(q.h, 100000, q.lg);
	assert_int_equal(q.lg->n, 0);
	gsq_teardown(&q);

	/* Rule 5: two source lists merge into one answer. */
	gsq_setup(&q, 35);
	query_v3(q.h, 10000, G2, 10, SRC(S1));
	query_v3(q.h, 10500, G2, 10, SRC(S2, S9));
	run(q.h, 100000, q.lg);
	assert_int_equal(q.lg->n, 1);
	assert_true(q.lg->p[0].at <= 11000);
	assert_v3_report(&q.lg->p[0], both, 1);
	gsq_teardown(&q);
}

static void
test_v3_rule4_group_query_wins(void **state)
{
	static const struct rec whole[] = {
		{ IGMP_MODE_IS_EXCLUDE, G1, { S4, NULL } },
	};
	struct gsq q;

	/* Source-specific, then group-specific: the whole group. */
	gsq_setup(&q, 36);
	query_v3(q.h, 10000, G1, 10, SRC(S5));
	query_v3(q.h, 10000, G1, 10, NULL);
	run(q.h, 100000, q.lg);
	assert_int_equal(q.lg->n, 1);
	assert_v3_report(&q.lg->p[0], whole, 1);
	gsq_teardown(&q);

	/* Group-specific, then source-specific: still the whole group. */
	gsq_setup(&q, 37);
	query_v3(q.h, 10000, G1, 10, NULL);
	query_v3(q.h, 10000, G1, 10, SRC(S5));
	run(q.h, 100000, q.lg);
	assert_int_equal(q.lg->n, 1);
	assert_v3_report(&q.lg->p[0], whole, 1);
	gsq_teardown(&q);
}

/* Rule 1: a General Query answer due sooner makes a group query moot. */
static void
test_v3_rule1_general_pending_sooner(void **state)
{
	static const struct rec all[] = {
		{ IGMP_MODE_IS_EXCLUDE, G1, { S4, NULL } },
		{ IGMP_MODE_IS_INCLUDE, G2, { S1, S2, NULL } },
	};
	struct igmp_host_group_view v;
	struct gsq q;

	gsq_setup(&q, 38);
	query_v3(q.h, 10000, NULL, 0, NULL); /* Max Resp 0: due now */
	assert_int_equal(igmp_host_next_deadline(q.h), 10000);
	query_v3(q.h, 10000, G1, 10, NULL);
	assert_int_equal(igmp_host_group(q.h, ip(G1), &v), 0);
	assert_false(v.report_pending);
	run(q.h, 100000, q.lg);
	assert_int_equal(q.lg->n, 1);
	assert_int_equal(q.lg->p[0].at, 10000);
	assert_v3_report(&q.lg->p[0], all, 2);
	gsq_teardown(&q);
}

/* A group being left (INCLUDE {}, retransmitting) answers no query. */
static void
test_v3_left_group_not_reported(void **state)
{
	static const struct rec to_in[] = {
		{ IGMP_CHANGE_TO_INCLUDE, G, { NULL } },
	};
	struct igmp_host *h = host(0, 39);
	struct log *lg = log_new();

	assert_int_equal(join(h, 0, G), 0);
	run(h, 9999, lg);
	lg->n = 0;
	assert_int_equal(leave(h, 10000, G), 0);
	query_v3(h, 10000, G, 10, NULL);
	query_v3(h, 10000, NULL, 10, NULL);
	run(h, 100000, lg);
	assert_int_equal(lg->n, 2);
	assert_v3_report(&lg->p[0], to_in, 1);
	assert_v3_report(&lg->p[1], to_in, 1);
	free(lg);
	igmp_host_free(h);
}

/* 224.0.0.1 and input validation */

static void
test_all_systems_never_reported(void **state)
{
	static const struct rec only_g[] = {
		{ IGMP_MODE_IS_EXCLUDE, G, { NULL } },
	};
	struct igmp_host_group_view v;
	unsigned version;

	for (version = 0; version <= 2; version++) {
		struct igmp_host *h = host(version, 41);
		struct log *lg = log_new();

		assert_int_equal(join(h, 0, ALL_SYSTEMS), 0);
		drain(h, 0, lg);
		assert_int_equal(lg->n, 0);
		assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
		assert_int_equal(igmp_host_group(h, ip(ALL_SYSTEMS), &v),
		    -ENOENT);
		if (version == 0)
			query_v3(h, 100, NULL, 100, NULL);
		else
			query_v2(h, 100, NULL, 100);
		run(h, 100000, lg);
		assert_int_equal(lg->n, 0);
		assert_int_equal(leave(h, 100000, ALL_SYSTEMS), 0);
		drain(h, 100000, lg);
		assert_int_equal(lg->n, 0);
		igmp_host_free(h);
		free(lg);
	}

	/* Next to a real group, only the real group is reported. */
	{
		struct igmp_host *h = host(0, 42);
		struct log *lg = log_new();

		assert_int_equal(join(h, 0, ALL_SYSTEMS), 0);
		assert_int_equal(join(h, 0, G), 0);
		run(h, 9999, lg);
		lg->n = 0;
		query_v3(h, 10000, NULL, 100, NULL);
		query_v3(h, 10000, ALL_SYSTEMS, 10, NULL);
		run(h, 100000, lg);
		assert_int_equal(lg->n, 1);
		assert_v3_report(&lg->p[0], only_g, 1);
		igmp_host_free(h);
		free(lg);
	}
}

static void
test_query_validation(void **state)
{
	struct igmp_host *h = host(0, 43);
	struct log *lg = log_new();
	uint8_t b[64];
	int n;

	assert_int_equal(join(h, 0, G), 0);
	run(h, 9999, lg);
	lg->n = 0;

	/* A General Query not sent to 224.0.0.1: ignored. */
	query_v3_full(h, 10000, NULL, G, 100, 2, 125, NULL);
	assert_int_equal(igmp_host_stats(h)->rx_ignored, 1);
	assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
	/* A v3 General Query with sources: ignored (as Linux). */
	query_v3_full(h, 10000, NULL, ALL_SYSTEMS, 100, 2, 125, SRC(S1));
	assert_int_equal(igmp_host_stats(h)->rx_ignored, 2);
	assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
	/* A group-specific query for a unicast "group": ignored. */
	n = igmp_build_v3_query(b, sizeof(b), ip(S1), 10, false, 2, 125, NULL,
	    0);
	deliver_from(h, 10000, ROUTER, S1, b, n, true);
	assert_int_equal(igmp_host_stats(h)->rx_ignored, 3);
	/* v3 reports and leaves of others: silently ignored. */
	n = igmp_build_v2_leave(b, sizeof(b), ip(G));
	deliver_from(h, 10000, OTHER, ALL_ROUTERS, b, n, true);
	assert_int_equal(igmp_host_stats(h)->rx_ignored, 4);
	assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
	/* A v3 query without Router Alert is answered (as Linux). */
	n = igmp_build_v3_query(b, sizeof(b), ip(G), 10, false, 2, 125, NULL,
	    0);
	deliver_from(h, 10000, ROUTER, G, b, n, false);
	run(h, 100000, lg);
	assert_int_equal(lg->n, 1);
	/* A v2 query without Router Alert is answered too. */
	lg->n = 0;
	query_v2(h, 200000, NULL, 100);
	assert_int_equal(igmp_host_version(h), 2);
	run(h, 210000, lg);
	assert_int_equal(lg->n, 1);
	assert_v12_report(&lg->p[0], 0x16, G);
	assert_int_equal(igmp_host_stats(h)->rx_queries, 5);
	assert_int_equal(igmp_host_stats(h)->unexpected_events, 0);
	free(lg);
	igmp_host_free(h);
}

/* Splitting over several reports (RFC 3376 4.2.16) */

static void
test_v3_split_large_records(void **state)
{
	struct igmp_host *h = host(0, 51);
	struct log *lg = log_new();
	struct in_addr src[400], a;
	struct igmp_msg m;
	struct igmp_record_iter it;
	struct igmp_group_record r;
	uint32_t i, seen = 0;

	for (i = 0; i < 400; i++)
		src[i].s_addr = htonl(0x0a010000u + i);
	/* INCLUDE with 400 sources: ALLOW split into 365 + 35. */
	assert_int_equal(igmp_host_set_filter(h, 0, ip(G), IGMP_FILTER_INCLUDE,
			     src, 400),
	    0);
	igmp_host_timeout(h, 0);
	drain(h, 0, lg);
	assert_int_equal(lg->n, 2);
	assert_int_equal(lg->p[0].out.len, IGMP_HOST_REPORT_MAX);
	assert_int_equal(lg->p[1].out.len, 8 + 8 + 35 * 4);
	for (i = 0; i < 2; i++) {
		assert_int_equal(igmp_decode(lg->p[i].out.data,
				     lg->p[i].out.len, &m),
		    IGMP_OK);
		assert_int_equal(m.nrecords, 1);
		igmp_records_begin(&m, &it);
		assert_true(igmp_records_next(&it, &r));
		assert_int_equal(r.type, IGMP_ALLOW_NEW_SOURCES);
		assert_int_equal(r.nsources, i == 0 ? 365 : 35);
		a = igmp_source_at(r.sources, 0);
		assert_int_equal(ntohl(a.s_addr), 0x0a010000u + seen);
		seen += r.nsources;
	}
	assert_int_equal(seen, 400);
	run(h, 100000, lg);
	assert_int_equal(lg->n, 4);

	/* EXCLUDE with 400 sources: TO_EX carries what fits, once. */
	lg->n = 0;
	assert_int_equal(igmp_host_set_filter(h, 200000, ip(G2),
			     IGMP_FILTER_EXCLUDE, src, 400),
	    0);
	igmp_host_timeout(h, 200000);
	drain(h, 200000, lg);
	assert_int_equal(lg->n, 1);
	assert_int_equal(lg->p[0].out.len, IGMP_HOST_REPORT_MAX);
	assert_int_equal(igmp_decode(lg->p[0].out.data, lg->p[0].out.len, &m),
	    IGMP_OK);
	igmp_records_begin(&m, &it);
	assert_true(igmp_records_next(&it, &r));
	assert_int_equal(r.type, IGMP_CHANGE_TO_EXCLUDE);
	assert_int_equal(r.nsources, 365);
	free(lg);
	igmp_host_free(h);
}

static void
test_v3_split_many_groups(void **state)
{
	struct igmp_host *h = host(0, 52);
	struct log *lg = log_new();
	struct igmp_msg m;
	uint32_t i;

	for (i = 0; i < 200; i++)
		assert_int_equal(igmp_host_set_filter(h, 0,
				     (struct in_addr){ htonl(0xe8010100u + i) },
				     IGMP_FILTER_EXCLUDE, NULL, 0),
		    0);
	run(h, 9999, lg);
	/* (1476 - 8) / 8 = 183 records, then 17: twice (RV 2). */
	assert_int_equal(lg->n, 4);
	lg->n = 0;
	query_v3(h, 10000, NULL, 100, NULL);
	run(h, 100000, lg);
	assert_int_equal(lg->n, 2);
	assert_int_equal(igmp_decode(lg->p[0].out.data, lg->p[0].out.len, &m),
	    IGMP_OK);
	assert_int_equal(m.nrecords, 183);
	assert_int_equal(lg->p[0].out.len, 8 + 183 * 8);
	assert_int_equal(igmp_decode(lg->p[1].out.data, lg->p[1].out.len, &m),
	    IGMP_OK);
	assert_int_equal(m.nrecords, 17);
	assert_int_equal(igmp_host_stats(h)->reports_sent, 6);
	free(lg);
	igmp_host_free(h);
}

/* API edges */

static void
test_bad_arguments(void **state)
{
	struct igmp_host_config c;
	struct igmp_host *h = host(0, 61);
	struct in_addr s = ip(S1);

	assert_int_equal(igmp_host_set_filter(h, 0, ip(S1), IGMP_FILTER_EXCLUDE,
			     NULL, 0),
	    -EINVAL);
	assert_int_equal(igmp_host_set_filter(h, 0, ip(G),
			     (enum igmp_filter_mode)7, NULL, 0),
	    -EINVAL);
	assert_int_equal(igmp_host_set_filter(h, 0, ip(G), IGMP_FILTER_INCLUDE,
			     NULL, 1),
	    -EINVAL);
	assert_int_equal(igmp_host_set_filter(h, 0, ip(G), IGMP_FILTER_INCLUDE,
			     &s, 70000),
	    -EINVAL);
	assert_true(igmp_host_next_deadline(h) == MC_TIME_NEVER);
	igmp_host_free(h);

	igmp_host_config_defaults(&c);
	assert_int_equal(c.version, 0);
	assert_int_equal(c.robustness, 2);
	assert_int_equal(c.unsolicited_report_interval_ms, 0);
	assert_int_equal(c.v1_router_present_timeout_ms, 400000);
	c.version = 4;
	assert_null(igmp_host_new(&c, ip(HOST), 1, NULL, NULL));
	c.version = 0;
	c.robustness = 0;
	assert_null(igmp_host_new(&c, ip(HOST), 1, NULL, NULL));
	h = igmp_host_new(NULL, ip(HOST), 1, NULL, NULL);
	assert_non_null(h);
	igmp_host_free(h);
	igmp_host_free(NULL);
}

/* Freeing with everything pending leaks nothing (ASan checks). */
static void
test_free_with_state(void **state)
{
	struct igmp_host *h = host(0, 62);
	struct in_addr src[3] = { ip(S1), ip(S2), ip(S3) };
	uint32_t i;

	for (i = 0; i < 50; i++)
		assert_int_equal(igmp_host_set_filter(h, 0,
				     (struct in_addr){ htonl(0xe8010100u + i) },
				     i % 2 ? IGMP_FILTER_INCLUDE :
					     IGMP_FILTER_EXCLUDE,
				     src, 3),
		    0);
	igmp_host_timeout(h, 0);
	query_v3(h, 1, NULL, 100, NULL);
	query_v3(h, 1, "232.1.1.1", 10, SRC(S1, S2));
	igmp_host_free(h);
}

static void
count_line(void *arg, const char *line)
{
	int *n = arg;

	assert_non_null(line);
	assert_true(strlen(line) > 0);
	(*n)++;
}

static void
test_trace(void **state)
{
	struct igmp_host *h;
	int lines = 0;

	h = igmp_host_new(NULL, ip(HOST), 1, count_line, &lines);
	assert_non_null(h);
	assert_int_equal(join(h, 0, G), 0);
	assert_int_equal(lines, 1);
	query_v1(h, 0); /* v3 -> v1, Idle -> Delaying Member */
	assert_int_equal(lines, 3);
	igmp_host_free(h);
}

struct lines {
	char line[8][TRACE_LINE_MAX];
	int n;
};

static void
keep_line(void *arg, const char *line)
{
	struct lines *l = arg;

	assert_true(l->n < 8);
	snprintf(l->line[l->n++], sizeof(l->line[0]), "%s", line);
}

/* The lines themselves: the shared formatters (trace.h) for sets. */
static void
test_trace_text(void **state)
{
	struct igmp_host *h;
	struct lines l = { .n = 0 };

	h = igmp_host_new(NULL, ip(HOST), 1, keep_line, &l);
	assert_non_null(h);
	assert_int_equal(set(h, 0, G, IGMP_FILTER_INCLUDE,
			     SRC(S5, S1, S2, S3, S4)),
	    0);
	assert_int_equal(join(h, 0, G1), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.line[0],
	    G ": (none) -> INCLUDE {" S1 ", " S2 ", " S3 ", " S4 ", +1}");
	assert_string_equal(l.line[1], G1 ": (none) -> EXCLUDE {}");
	query_v1(h, 10);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.line[2], "compatibility mode v3 -> v1");
	assert_string_equal(l.line[3],
	    G1 ": Idle Member -> Delaying Member "
	       "on query (v1)");
	assert_string_equal(l.line[4],
	    G ": Idle Member -> Delaying Member "
	      "on query (v1)");
	igmp_host_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v3_join_report_bytes),
		cmocka_unit_test(test_v3_retransmission_bounds),
		cmocka_unit_test(test_v1_unsolicited),
		cmocka_unit_test(test_v2_unsolicited),
		cmocka_unit_test(test_v3_general_query_bounds),
		cmocka_unit_test(test_v2_general_query_bounds),
		cmocka_unit_test(test_v2_query_resets_only_if_sooner),
		cmocka_unit_test(test_v2_suppression_then_silent_leave),
		cmocka_unit_test(test_suppression_cancels_repeats),
		cmocka_unit_test(test_v2_leave_by_last_reporter),
		cmocka_unit_test(test_v1_leave_sends_nothing),
		cmocka_unit_test(test_v1_querier_present_400s),
		cmocka_unit_test(test_v2_querier_present_interval),
		cmocka_unit_test(test_v2_querier_present_learnt_rv_qi),
		cmocka_unit_test(test_v1_and_v2_queriers),
		cmocka_unit_test(test_forced_versions),
		cmocka_unit_test(test_v3_merge_allow_retransmitted_rv_times),
		cmocka_unit_test(test_v3_include_source_changes),
		cmocka_unit_test(test_v3_exclude_source_changes),
		cmocka_unit_test(test_v3_filter_mode_changes),
		cmocka_unit_test(test_v3_changes_share_a_report),
		cmocka_unit_test(test_v3_learnt_robustness),
		cmocka_unit_test(test_v3_group_specific_query),
		cmocka_unit_test(test_v3_group_and_source_queries),
		cmocka_unit_test(test_v3_rule4_group_query_wins),
		cmocka_unit_test(test_v3_rule1_general_pending_sooner),
		cmocka_unit_test(test_v3_left_group_not_reported),
		cmocka_unit_test(test_all_systems_never_reported),
		cmocka_unit_test(test_query_validation),
		cmocka_unit_test(test_v3_split_large_records),
		cmocka_unit_test(test_v3_split_many_groups),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_free_with_state),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_trace_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
