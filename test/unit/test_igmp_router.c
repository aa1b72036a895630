/*
 * The IGMP router engine with a fake clock: RFC 2236 / RFC 3376 constants,
 * start-up and general queries, every row of RFC 3376 6.4.1 and 6.4.2 with
 * exact X/Y sets, timers and the queries sent, 6.5 and source expiry, v2
 * leaves, v1/v2 compatibility, SSM, limits, the querier election, the
 * typed events with every field and their order, and the sorted source
 * sets of srcset.c.
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

#include "igmp_router.h"
#include "igmp_wire.h"
#include "srcset.h"

#define T0   1000000 /* the fake clock starts at 1000 s */
#define GMI  260000
#define LMQT 2000
#define LMQI 1000
#define QI   125000
#define SQI  31250
#define OQPI 255000

#define G    "239.1.1.1"
#define S1   "192.0.2.1"
#define S2   "192.0.2.2"
#define S3   "192.0.2.3"
#define S4   "192.0.2.4"
#define S5   "192.0.2.5"
#define HOST "10.0.0.11"
#define ME   "10.0.0.5"

#define MAXP 256
#define MAXM 64
#define MAXT 128
#define MAXE 64

struct pkt {
	mc_time_t at;
	struct in_addr dst;
	uint8_t data[IGMP_ROUTER_MAX_PACKET];
	size_t len;
	struct igmp_msg msg; /* decoded from data */
};

struct mem {
	mc_time_t at;
	struct in_addr group;
	enum igmp_filter_mode mode;
	uint32_t n;
	struct in_addr src[16];
};

/* An EVENT output, as taken, and when. */
struct evt {
	mc_time_t at;
	struct igmp_router_output o;
};

struct fx {
	struct igmp_router *r;
	struct igmp_router_config c;
	mc_time_t now;
	struct pkt p[MAXP];
	size_t np;
	struct mem m[MAXM];
	size_t nm;
	char trace[MAXT][320];
	size_t nt;
	struct evt e[MAXE];
	size_t ne;
};

static struct in_addr
A(const char *s) {
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* "a,b,c" into a set; "" is the empty set. */
static size_t
set(const char *csv, struct in_addr *out)
{
	char buf[512], *tok, *save = NULL;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", csv);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		out[n++] = A(tok);
	return n;
}

static void
on_trace(void *arg, const char *line)
{
	struct fx *f = arg;

	assert_true(strlen(line) > 0);
	if (f->nt < MAXT)
		snprintf(f->trace[f->nt++], sizeof(f->trace[0]), "%s", line);
}

static void
collect(struct fx *f)
{
	struct igmp_router_output o;
	struct pkt *p;
	struct mem *m;
	struct evt *e;
	bool other = false;

	while (igmp_router_output(f->r, &o)) {
		if (o.kind == IGMP_ROUTER_OUT_EVENT) {
			/* Events first (igmp_router.h). */
			assert_false(other);
			assert_true(f->ne < MAXE);
			e = &f->e[f->ne++];
			e->at = f->now;
			e->o = o;
			continue;
		}
		other = true;
		if (o.kind == IGMP_ROUTER_OUT_PACKET) {
			assert_true(f->np < MAXP);
			p = &f->p[f->np++];
			p->at = f->now;
			p->dst = o.dst;
			p->len = o.len;
			memcpy(p->data, o.data, o.len);
			assert_int_equal(igmp_checksum(p->data, p->len), 0);
			assert_int_equal(igmp_decode(p->data, p->len, &p->msg),
			    IGMP_OK);
		} else {
			assert_int_equal(o.kind, IGMP_ROUTER_OUT_MEMBERSHIP);
			assert_true(f->nm < MAXM);
			m = &f->m[f->nm++];
			m->at = f->now;
			m->group = o.group;
			m->mode = o.mode;
			m->n = o.nsources;
			/* The first 16 sources are kept. */
			if (o.nsources)
				memcpy(m->src, o.sources,
				    (o.nsources < 16 ? o.nsources : 16) *
					sizeof(*o.sources));
		}
	}
}

static struct fx *
fx_new(const struct igmp_router_config *c, const char *me, bool start)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	if (c)
		f->c = *c;
	else
		igmp_router_config_defaults(&f->c);
	f->r = igmp_router_new(&f->c, A(me), 24, 42, on_trace, f);
	assert_non_null(f->r);
	f->now = T0;
	if (start) {
		igmp_router_start(f->r, f->now);
		collect(f);
	}
	return f;
}

static void
fx_free(struct fx *f)
{
	igmp_router_free(f->r);
	free(f);
}

static void
clear(struct fx *f)
{
	f->np = f->nm = f->nt = f->ne = 0;
}

/* Run every deadline up to and including t, then stand at t. */
static void
run(struct fx *f, mc_time_t t)
{
	mc_time_t d;

	for (;;) {
		d = igmp_router_next_deadline(f->r);
		if (d > t)
			break;
		assert_true(d >= f->now);
		f->now = d;
		igmp_router_timeout(f->r, f->now);
		collect(f);
		/* Everything due was done. */
		assert_true(igmp_router_next_deadline(f->r) > f->now);
	}
	f->now = t;
}

static void
feed(struct fx *f, const char *src, struct in_addr dst, bool ra,
    const uint8_t *buf, int len)
{
	struct igmp_ip ip;
	struct igmp_msg msg;

	assert_true(len > 0);
	assert_int_equal(igmp_decode(buf, (size_t)len, &msg), IGMP_OK);
	memset(&ip, 0, sizeof(ip));
	ip.src = A(src);
	ip.dst = dst;
	ip.ttl = 1;
	ip.router_alert = ra;
	igmp_router_input(f->r, f->now, &ip, &msg);
	collect(f);
}

static void
v1_report(struct fx *f, const char *host, const char *group)
{
	uint8_t b[8];

	feed(f, host, A(group), true, b,
	    igmp_build_v1_report(b, sizeof(b), A(group)));
}

static void
v2_report(struct fx *f, const char *host, const char *group)
{
	uint8_t b[8];

	feed(f, host, A(group), true, b,
	    igmp_build_v2_report(b, sizeof(b), A(group)));
}

static void
v2_leave(struct fx *f, const char *host, const char *group)
{
	uint8_t b[8];

	feed(f, host, A("224.0.0.2"), true, b,
	    igmp_build_v2_leave(b, sizeof(b), A(group)));
}

static void
v3_to(struct fx *f, const char *host, const char *dst, uint8_t type,
    const char *group, const char *sources)
{
	struct in_addr s[64];
	struct igmp_v3_report rep;
	uint8_t b[1024];
	size_t n = set(sources, s);

	igmp_v3_report_begin(&rep, b, sizeof(b));
	assert_int_equal(igmp_v3_report_add(&rep, type, A(group), s,
			     (uint16_t)n),
	    IGMP_OK);
	feed(f, host, A(dst), true, b, igmp_v3_report_finish(&rep));
}

static void
v3(struct fx *f, uint8_t type, const char *group, const char *sources)
{
	v3_to(f, HOST, "224.0.0.22", type, group, sources);
}

static const struct igmp_router_stats *
st(struct fx *f)
{
	return igmp_router_stats(f->r);
}

/* The group's mode, group timer and "src=timer,..." (timer 0: in Y). */
static void
expect_group(struct fx *f, const char *group, enum igmp_filter_mode mode,
    mc_time_t group_timer, const char *spec)
{
	struct igmp_router_group_view v;
	char buf[512], *tok, *save = NULL, *eq;
	uint32_t i = 0;

	assert_int_equal(igmp_router_group(f->r, A(group), &v), 0);
	assert_int_equal(v.group.s_addr, A(group).s_addr);
	assert_int_equal(v.mode, mode);
	assert_int_equal(v.group_timer, group_timer);
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), i++) {
		eq = strchr(tok, '=');
		assert_non_null(eq);
		*eq = '\0';
		assert_true(i < v.nsources);
		assert_int_equal(v.sources[i].source.s_addr, A(tok).s_addr);
		assert_int_equal(v.sources[i].timer, strtoll(eq + 1, NULL, 10));
	}
	assert_int_equal(v.nsources, i);
}

static void
expect_no_group(struct fx *f, const char *group)
{
	struct igmp_router_group_view v;

	assert_int_equal(igmp_router_group(f->r, A(group), &v), -ENOENT);
}

/* Membership output k: group, mode and exactly these sources. */
static void
expect_mem(struct fx *f, size_t k, const char *group,
    enum igmp_filter_mode mode, const char *sources)
{
	struct in_addr s[16];
	size_t n = set(sources, s), i;

	assert_true(k < f->nm);
	assert_int_equal(f->m[k].group.s_addr, A(group).s_addr);
	assert_int_equal(f->m[k].mode, mode);
	assert_int_equal(f->m[k].n, n);
	for (i = 0; i < n; i++)
		assert_int_equal(f->m[k].src[i].s_addr, s[i].s_addr);
}

/* Packet k: a v3 query for group with S flag and exactly these sources. */
static void
expect_query(struct fx *f, size_t k, mc_time_t at, const char *group,
    bool s_flag, const char *sources)
{
	struct in_addr s[64];
	size_t n = set(sources, s), i;
	const struct igmp_msg *m;

	assert_true(k < f->np);
	m = &f->p[k].msg;
	assert_int_equal(f->p[k].at, at);
	assert_int_equal(m->kind, IGMP_KIND_V3_QUERY);
	assert_int_equal(f->p[k].dst.s_addr, A(group).s_addr);
	assert_int_equal(m->group.s_addr, A(group).s_addr);
	assert_int_equal(m->suppress, s_flag);
	assert_int_equal(m->max_resp_tenths, 10); /* LMQI */
	assert_int_equal(m->qrv, 2);
	assert_int_equal(m->qqi_s, 125);
	assert_int_equal(m->nsources, n);
	for (i = 0; i < n; i++)
		assert_int_equal(igmp_source_at(m->sources, (uint16_t)i).s_addr,
		    s[i].s_addr);
}

/*
 * Event k: its kind, the packet that caused it (from, to, IGMP type; NULL
 * and 0 for none) and its group (NULL: 0.0.0.0).  The rest is the caller's
 * to check.
 */
static const struct evt *
expect_ev(struct fx *f, size_t k, enum igmp_router_event event,
    const char *from, const char *to, uint8_t type, const char *group)
{
	const struct evt *e;

	assert_true(k < f->ne);
	e = &f->e[k];
	assert_int_equal(e->o.event, event);
	assert_int_equal(e->o.from.s_addr, from ? A(from).s_addr : 0);
	assert_int_equal(e->o.to.s_addr, to ? A(to).s_addr : 0);
	assert_int_equal(e->o.type, type);
	assert_int_equal(e->o.group.s_addr, group ? A(group).s_addr : 0);
	return e;
}

/* Event k: ignored, for why, with that packet and group. */
static void
expect_ignored(struct fx *f, size_t k, enum igmp_router_ignored why,
    const char *from, const char *to, uint8_t type, const char *group)
{
	const struct evt *e = expect_ev(f, k, IGMP_ROUTER_EV_IGNORED, from, to,
	    type, group);

	assert_int_equal(e->o.ignored, why);
}

static bool
traced(struct fx *f, const char *needle)
{
	size_t i;

	for (i = 0; i < f->nt; i++)
		if (strstr(f->trace[i], needle))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */

static void
test_constants(void **state)
{
	struct igmp_router_config c, d;

	igmp_router_config_defaults(&c);
	assert_int_equal(c.version, 3);
	assert_int_equal(c.robustness, 2);
	assert_int_equal(c.query_interval_ms, 125000);
	assert_int_equal(c.query_response_interval_ms, 10000);
	assert_int_equal(c.last_member_query_interval_ms, 1000);
	assert_int_equal(c.ssm_prefix.s_addr, A("232.0.0.0").s_addr);
	assert_int_equal(c.ssm_prefix_len, 8);
	assert_int_equal(igmp_router_config_check(&c), 0);
	/* RFC 3376 8.4, 8.5, 8.6, 8.10, 8.13 with defaults. */
	assert_int_equal(igmp_group_membership_interval_ms(&c), 260000);
	assert_int_equal(igmp_other_querier_present_interval_ms(&c), 255000);
	assert_int_equal(igmp_startup_query_interval_ms(&c), 31250);
	assert_int_equal(igmp_last_member_query_time_ms(&c), 2000);
	assert_int_equal(igmp_older_host_present_interval_ms(&c), 260000);
	/* Overrides of the "0 = derived" values. */
	d = c;
	d.last_member_query_count = 3;
	d.startup_query_interval_ms = 5000;
	assert_int_equal(igmp_last_member_query_time_ms(&d), 3000);
	assert_int_equal(igmp_startup_query_interval_ms(&d), 5000);
	d = c;
	d.robustness = 3;
	assert_int_equal(igmp_group_membership_interval_ms(&d), 385000);
	assert_int_equal(igmp_other_querier_present_interval_ms(&d), 380000);
	assert_int_equal(igmp_last_member_query_time_ms(&d), 3000);

	/* What the RFCs forbid. */
	d = c, d.robustness = 0;
	assert_int_equal(igmp_router_config_check(&d), -EINVAL);
	d = c, d.query_response_interval_ms = d.query_interval_ms;
	assert_int_equal(igmp_router_config_check(&d), -EINVAL);
	d = c, d.version = 4;
	assert_int_equal(igmp_router_config_check(&d), -EINVAL);
	d = c, d.version = 0;
	assert_int_equal(igmp_router_config_check(&d), -EINVAL);
	d = c, d.last_member_query_interval_ms = 0;
	assert_int_equal(igmp_router_config_check(&d), -EINVAL);
	d = c, d.version = 2, d.query_response_interval_ms = 30000;
	assert_int_equal(igmp_router_config_check(&d), -EINVAL);
	d = c, d.ssm_prefix_len = 33;
	assert_int_equal(igmp_router_config_check(&d), -EINVAL);
	d = c, d.ssm_prefix = A("10.0.0.0");
	assert_int_equal(igmp_router_config_check(&d), -EINVAL);
	d = c, d.ssm_prefix_len = 0;
	assert_int_equal(igmp_router_config_check(&d), 0);
	d = c, d.robustness = 0;
	assert_null(igmp_router_new(&d, A(ME), 24, 1, NULL, NULL));
	assert_string_equal(igmp_filter_mode_name(IGMP_FILTER_INCLUDE),
	    "INCLUDE");
	assert_string_equal(igmp_filter_mode_name(IGMP_FILTER_EXCLUDE),
	    "EXCLUDE");
}

static const uint8_t v3_general[] = { 0x11, 0x64, 0xec, 0x1e, 0, 0, 0, 0, 0x02,
	0x7d, 0, 0 };

static void
test_startup_and_general_queries(void **state)
{
	struct fx *f = fx_new(NULL, ME, false);
	size_t i;

	assert_false(igmp_router_is_querier(f->r));
	assert_int_equal(igmp_router_querier(f->r).s_addr, 0);
	assert_int_equal(igmp_router_next_deadline(f->r), MC_TIME_NEVER);
	igmp_router_start(f->r, f->now);
	collect(f);
	assert_true(igmp_router_is_querier(f->r));
	assert_int_equal(igmp_router_querier(f->r).s_addr, A(ME).s_addr);
	assert_true(traced(f, "IDLE -> QUERIER"));
	run(f, T0 + SQI + 3 * QI);
	/* Startup Query Count (2) at the Startup Query Interval, then QI. */
	assert_int_equal(f->np, 5);
	assert_int_equal(f->p[0].at, T0);
	assert_int_equal(f->p[1].at, T0 + SQI);
	assert_int_equal(f->p[2].at, T0 + SQI + QI);
	assert_int_equal(f->p[3].at, T0 + SQI + 2 * QI);
	assert_int_equal(f->p[4].at, T0 + SQI + 3 * QI);
	for (i = 0; i < f->np; i++) {
		assert_int_equal(f->p[i].dst.s_addr, A("224.0.0.1").s_addr);
		assert_int_equal(f->p[i].len, sizeof(v3_general));
		assert_memory_equal(f->p[i].data, v3_general,
		    sizeof(v3_general));
	}
	assert_int_equal(st(f)->queries_sent_general, 5);
	assert_int_equal(igmp_router_next_deadline(f->r), T0 + SQI + 4 * QI);
	/* Starting twice is unexpected: counted, ignored. */
	igmp_router_start(f->r, f->now);
	collect(f);
	assert_int_equal(st(f)->unexpected_events, 1);
	assert_int_equal(f->np, 5);
	fx_free(f);
}

static void
test_general_query_v1_v2_bytes(void **state)
{
	static const uint8_t v2[] = { 0x11, 0x64, 0xee, 0x9b, 0, 0, 0, 0 };
	static const uint8_t v1[] = { 0x11, 0x00, 0xee, 0xff, 0, 0, 0, 0 };
	struct igmp_router_config c;
	struct fx *f;

	igmp_router_config_defaults(&c);
	c.version = 2;
	f = fx_new(&c, ME, true);
	assert_int_equal(f->np, 1);
	assert_int_equal(f->p[0].len, 8);
	assert_memory_equal(f->p[0].data, v2, 8);
	fx_free(f);
	c.version = 1;
	f = fx_new(&c, ME, true);
	assert_int_equal(f->np, 1);
	assert_memory_equal(f->p[0].data, v1, 8);
	fx_free(f);
	/* Startup Query Count 1: the next one a full QI later. */
	igmp_router_config_defaults(&c);
	c.startup_query_count = 1;
	f = fx_new(&c, ME, true);
	assert_int_equal(igmp_router_next_deadline(f->r), T0 + QI);
	fx_free(f);
}

/* v2 join, then a leave: LMQC queries LMQI apart, INCLUDE {} at LMQT. */
static void
test_v2_leave(void **state)
{
	static const uint8_t gq[] = { 0x11, 0x0a, 0xfc, 0x75, 239, 1, 1, 1,
		0x02, 0x7d, 0, 0 };
	struct fx *f = fx_new(NULL, ME, true);
	struct igmp_router_group_view v;
	mc_time_t t;

	clear(f);
	v2_report(f, HOST, G);
	assert_int_equal(f->nm, 1);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, "");
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI, "");
	assert_int_equal(igmp_router_group(f->r, A(G), &v), 0);
	assert_int_equal(v.compat_version, 2);
	assert_int_equal(v.v2_host_timer, T0 + GMI);
	assert_int_equal(v.v1_host_timer, 0);
	assert_int_equal(st(f)->groups, 1);
	assert_true(traced(f,
	    "239.1.1.1: INCLUDE {} -> EXCLUDE X {} Y {} on "
	    "v2 report from 10.0.0.11"));
	assert_true(traced(f, "compatibility v3 -> v2"));
	/* A second report changes no view: no output. */
	f->now += 1000;
	v2_report(f, "10.0.0.12", G);
	assert_int_equal(f->nm, 1);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + 1000 + GMI, "");

	clear(f);
	t = f->now = T0 + 5000;
	v2_leave(f, HOST, G);
	assert_int_equal(f->np, 1);
	assert_int_equal(f->p[0].dst.s_addr, A(G).s_addr);
	assert_memory_equal(f->p[0].data, gq, sizeof(gq));
	expect_group(f, G, IGMP_FILTER_EXCLUDE, t + LMQT, "");
	assert_int_equal(f->nm, 0);
	run(f, t + LMQT - 1);
	assert_int_equal(f->np, 2);
	assert_int_equal(f->p[1].at, t + LMQI);
	assert_memory_equal(f->p[1].data, gq, sizeof(gq));
	assert_int_equal(f->nm, 0);
	run(f, t + LMQT);
	assert_int_equal(f->np, 2);
	assert_int_equal(f->nm, 1);
	assert_int_equal(f->m[0].at, t + LMQT);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, "");
	expect_no_group(f, G);
	assert_int_equal(st(f)->queries_sent_group, 2);
	assert_int_equal(st(f)->groups, 0);
	assert_true(traced(f, "-> deleted on group timer expiry"));
	/* A leave for a group with no members is ignored. */
	clear(f);
	v2_leave(f, HOST, G);
	assert_int_equal(f->np, 0);
	assert_int_equal(f->nm, 0);
	fx_free(f);
}

static void
test_v2_leave_then_report(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);
	mc_time_t t = T0 + 1000;

	v2_report(f, HOST, G);
	clear(f);
	f->now = t;
	v2_leave(f, HOST, G);
	expect_query(f, 0, t, G, false, "");
	/* Another member answers: group timer back to GMI. */
	f->now = t + 500;
	v2_report(f, "10.0.0.12", G);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, t + 500 + GMI, "");
	run(f, t + 10000);
	/* The retransmission has S set: the timer is above LMQT. */
	assert_int_equal(f->np, 2);
	expect_query(f, 1, t + LMQI, G, true, "");
	assert_int_equal(f->nm, 0);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, t + 500 + GMI, "");
	fx_free(f);
}

/* The view's uptime base and last reporter (mcastctl show groups). */
static void
expect_reporter(struct fx *f, const char *group, mc_time_t since,
    const char *reporter)
{
	struct igmp_router_group_view v;

	assert_int_equal(igmp_router_group(f->r, A(group), &v), 0);
	assert_int_equal(v.since, since);
	assert_int_equal(v.last_reporter.s_addr, A(reporter).s_addr);
}

/*
 * A group is present from its first report; each v1/v2 report or v3
 * record names its last reporter (a leave does not); gone and back, it
 * starts again.
 */
static void
test_last_reporter_and_uptime(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);
	mc_time_t t = T0 + 1000;

	f->now = t;
	v2_report(f, HOST, G);
	expect_reporter(f, G, t, HOST);
	f->now = t + 4000;
	v1_report(f, "10.0.0.12", G);
	expect_reporter(f, G, t, "10.0.0.12");
	f->now = t + 5000;
	v3_to(f, "10.0.0.13", "224.0.0.22", IGMP_MODE_IS_EXCLUDE, G, "");
	expect_reporter(f, G, t, "10.0.0.13");
	/* A v3 record creates its own group, from its own report. */
	f->now = t + 6000;
	v3(f, IGMP_ALLOW_NEW_SOURCES, "239.2.2.2", S1);
	expect_reporter(f, "239.2.2.2", t + 6000, HOST);
	expect_reporter(f, G, t, "10.0.0.13");
	/* A leave is no report (and v1 hosts make it ignored anyway). */
	f->now = t + 7000;
	v2_leave(f, HOST, G);
	expect_reporter(f, G, t, "10.0.0.13");
	/* Expired, then reported again: present from the new report. */
	run(f, t + 5000 + GMI + 1);
	expect_no_group(f, G);
	f->now = t + 5000 + GMI + 2000;
	v2_report(f, "10.0.0.14", G);
	expect_reporter(f, G, t + 5000 + GMI + 2000, "10.0.0.14");
	fx_free(f);
}

static void
test_v2_config_group_query(void **state)
{
	static const uint8_t gq[] = { 0x11, 0x0a, 0xfe, 0xf2, 239, 1, 1, 1 };
	struct igmp_router_config c;
	struct fx *f;

	igmp_router_config_defaults(&c);
	c.version = 2;
	f = fx_new(&c, ME, true);
	v2_report(f, HOST, G);
	clear(f);
	v2_leave(f, HOST, G);
	assert_int_equal(f->np, 1);
	assert_memory_equal(f->p[0].data, gq, sizeof(gq));
	assert_int_equal(f->p[0].msg.kind, IGMP_KIND_V2_QUERY);
	run(f, T0 + LMQT);
	assert_int_equal(f->np, 2);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, "");
	/* No group-and-source-specific query exists in v2. */
	clear(f);
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S1 "," S2);
	v3(f, IGMP_BLOCK_OLD_SOURCES, G, S1);
	assert_int_equal(f->np, 0);
	fx_free(f);

	/* v1: no specific queries, leaves ignored (RFC 3376 7.3.1). */
	c.version = 1;
	f = fx_new(&c, ME, true);
	v2_report(f, HOST, G);
	clear(f);
	v2_leave(f, HOST, G);
	assert_int_equal(f->np, 0);
	assert_int_equal(st(f)->rx_ignored_leave_v1_host, 1);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI, "");
	fx_free(f);
}

/* v1 host present: leaves ignored; back to v2 then v3 after OHPI. */
static void
test_v1_compat(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);
	struct igmp_router_group_view v;
	mc_time_t t;

	v1_report(f, HOST, G);
	assert_int_equal(igmp_router_group(f->r, A(G), &v), 0);
	assert_int_equal(v.compat_version, 1);
	assert_int_equal(v.v1_host_timer, T0 + GMI);
	clear(f);
	f->now = T0 + 10000;
	v2_report(f, "10.0.0.12", G);
	v2_leave(f, "10.0.0.12", G);
	assert_int_equal(st(f)->rx_ignored_leave_v1_host, 1);
	/* TO_IN is a leave too while a v1 host is present. */
	v3(f, IGMP_CHANGE_TO_INCLUDE, G, "");
	assert_int_equal(st(f)->rx_ignored_leave_v1_host, 2);
	assert_int_equal(f->np, 0);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + 10000 + GMI, "");
	/* v2 reports keep coming, v1 ones stop: v2 mode at T0 + OHPI. */
	for (t = T0 + 100000; t <= T0 + 300000; t += 100000) {
		run(f, t);
		v2_report(f, "10.0.0.12", G);
	}
	assert_true(traced(f, "compatibility v1 -> v2 on older host present"));
	assert_int_equal(igmp_router_group(f->r, A(G), &v), 0);
	assert_int_equal(v.compat_version, 2);
	assert_int_equal(v.v1_host_timer, 0);
	clear(f);
	v2_leave(f, "10.0.0.12", G);
	assert_int_equal(f->np, 1);
	assert_int_equal(st(f)->rx_ignored_leave_v1_host, 2);
	/* A v3 host keeps it; the v2 host present timer runs out. */
	v3(f, IGMP_MODE_IS_EXCLUDE, G, "");
	run(f, T0 + 300000 + GMI / 2);
	v3(f, IGMP_MODE_IS_EXCLUDE, G, "");
	run(f, T0 + 300000 + GMI);
	assert_int_equal(igmp_router_group(f->r, A(G), &v), 0);
	assert_int_equal(v.compat_version, 3);
	assert_true(traced(f, "compatibility v2 -> v3"));
	fx_free(f);
}

/* RFC 3376 7.3.2: with older hosts BLOCK ignored, TO_EX(x) = TO_EX({}). */
static void
test_compat_translations(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);

	v2_report(f, HOST, G);
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S1);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI, S1 "=1260000");
	clear(f);
	v3(f, IGMP_BLOCK_OLD_SOURCES, G, S1);
	assert_int_equal(f->np, 0);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI, S1 "=1260000");
	f->now += 1000;
	v3(f, IGMP_CHANGE_TO_EXCLUDE, G, S2);
	/* TO_EX({}): X-A deleted, no Y, nothing to query. */
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + 1000 + GMI, "");
	assert_int_equal(f->nm, 0);
	assert_int_equal(f->np, 0);
	fx_free(f);
}

/* ------------------------------------------------------------------ */
/* RFC 3376 6.4.1 and 6.4.2, INCLUDE (A) with A = {S1, S2}            */

#define TA T0		/* when A was reported */
#define T  (T0 + 10000) /* when the record under test arrives */

static struct fx *
include_a(void)
{
	struct fx *f = fx_new(NULL, ME, true);

	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S1 "," S2);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S1 "=1260000," S2 "=1260000");
	assert_int_equal(f->nm, 1);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, S1 "," S2);
	clear(f);
	f->now = T;
	return f;
}

static void
test_inc_is_in(void **state)
{
	struct fx *f = include_a();

	/* INCLUDE (A+B); (B)=GMI */
	v3(f, IGMP_MODE_IS_INCLUDE, G, S2 "," S3);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S1 "=1260000," S2 "=1270000," S3 "=1270000");
	assert_int_equal(f->np, 0);
	assert_int_equal(f->nm, 1);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, S1 "," S2 "," S3);
	fx_free(f);
}

static void
test_inc_allow(void **state)
{
	struct fx *f = include_a();

	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S2 "," S3);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S1 "=1260000," S2 "=1270000," S3 "=1270000");
	assert_int_equal(f->np, 0);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, S1 "," S2 "," S3);
	/* Again: no change in the view, no output. */
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S3);
	assert_int_equal(f->nm, 1);
	fx_free(f);
}

static void
test_inc_is_ex(void **state)
{
	struct fx *f = include_a();

	/* EXCLUDE (A*B, B-A); (B-A)=0; Delete (A-B); GT=GMI */
	v3(f, IGMP_MODE_IS_EXCLUDE, G, S2 "," S3);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T + GMI,
	    S2 "=1260000," S3 "=0");
	assert_int_equal(f->np, 0);
	assert_int_equal(f->nm, 1);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S3);
	assert_true(traced(f,
	    "239.1.1.1: INCLUDE {192.0.2.1,192.0.2.2} -> "
	    "EXCLUDE X {192.0.2.2} Y {192.0.2.3} on IS_EX from 10.0.0.11"));
	fx_free(f);
}

static void
test_inc_to_in(void **state)
{
	struct fx *f = include_a();

	/* INCLUDE (A+B); (B)=GMI; Send Q(G,A-B) */
	v3(f, IGMP_CHANGE_TO_INCLUDE, G, S2 "," S3);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S1 "=1012000," S2 "=1270000," S3 "=1270000");
	assert_int_equal(f->np, 1);
	expect_query(f, 0, T, G, false, S1);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, S1 "," S2 "," S3);
	/* LMQC = 2 queries, LMQI apart; S1 gone at LMQT. */
	run(f, T + LMQT);
	assert_int_equal(f->np, 2);
	expect_query(f, 1, T + LMQI, G, false, S1);
	assert_int_equal(f->nm, 2);
	assert_int_equal(f->m[1].at, T + LMQT);
	expect_mem(f, 1, G, IGMP_FILTER_INCLUDE, S2 "," S3);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S2 "=1270000," S3 "=1270000");
	assert_int_equal(st(f)->queries_sent_group_source, 2);
	fx_free(f);
}

static void
test_inc_to_ex(void **state)
{
	struct fx *f = include_a();

	/*
	 * EXCLUDE (A*B, B-A); (B-A)=0; Delete (A-B); Send Q(G,A*B);
	 * GT=GMI
	 */
	v3(f, IGMP_CHANGE_TO_EXCLUDE, G, S2 "," S3);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T + GMI,
	    S2 "=1012000," S3 "=0");
	assert_int_equal(f->np, 1);
	expect_query(f, 0, T, G, false, S2);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S3);
	/* Nobody wants S2 any more: it joins Y at LMQT. */
	run(f, T + LMQT);
	assert_int_equal(f->np, 2);
	expect_query(f, 1, T + LMQI, G, false, S2);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T + GMI, S2 "=0," S3 "=0");
	expect_mem(f, 1, G, IGMP_FILTER_EXCLUDE, S2 "," S3);
	fx_free(f);
}

static void
test_inc_block(void **state)
{
	struct fx *f = include_a();

	/* INCLUDE (A); Send Q(G,A*B) */
	v3(f, IGMP_BLOCK_OLD_SOURCES, G, S2 "," S3);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S1 "=1260000," S2 "=1012000");
	assert_int_equal(f->np, 1);
	expect_query(f, 0, T, G, false, S2);
	assert_int_equal(f->nm, 0);
	run(f, T + LMQT);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, S1);
	/* The last source expires: the group goes. */
	run(f, TA + GMI);
	expect_mem(f, 1, G, IGMP_FILTER_INCLUDE, "");
	expect_no_group(f, G);
	fx_free(f);
}

/* 6.6.3.2: sources re-reported meanwhile go in a query with S set. */
static void
test_source_query_s_flag(void **state)
{
	struct fx *f = include_a();

	v3(f, IGMP_BLOCK_OLD_SOURCES, G, S1 "," S2);
	expect_query(f, 0, T, G, false, S1 "," S2);
	f->now = T + 500;
	v3_to(f, "10.0.0.12", G, IGMP_ALLOW_NEW_SOURCES, G, S2);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S1 "=1012000," S2 "=1270500");
	run(f, T + 5000);
	assert_int_equal(f->np, 3);
	expect_query(f, 1, T + LMQI, G, true, S2);
	expect_query(f, 2, T + LMQI, G, false, S1);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, S2);
	/* Sources already at or below LMQT are not queried again. */
	clear(f);
	v3(f, IGMP_BLOCK_OLD_SOURCES, G, S2);
	expect_query(f, 0, T + 5000, G, false, S2);
	f->now = T + 5100;
	v3(f, IGMP_BLOCK_OLD_SOURCES, G, S2);
	assert_int_equal(f->np, 1);
	fx_free(f);
}

/* ------------------------------------------------------------------ */
/* EXCLUDE (X,Y) with X = {S1, S2}, Y = {S3, S4}; A = {S2, S4, S5}     */

#define TX (T0 + 1000) /* when X was reported */

static struct fx *
exclude_xy(void)
{
	struct fx *f = fx_new(NULL, ME, true);

	clear(f);
	v3(f, IGMP_MODE_IS_EXCLUDE, G, S3 "," S4);
	f->now = TX;
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S1 "," S2);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI,
	    S1 "=1261000," S2 "=1261000," S3 "=0," S4 "=0");
	assert_int_equal(f->nm, 1);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S3 "," S4);
	assert_int_equal(f->np, 0);
	clear(f);
	f->now = T;
	return f;
}

#define A_SET S2 "," S4 "," S5

static void
test_exc_is_in(void **state)
{
	struct fx *f = exclude_xy();

	/* EXCLUDE (X+A, Y-A); (A)=GMI */
	v3(f, IGMP_MODE_IS_INCLUDE, G, A_SET);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI,
	    S1 "=1261000," S2 "=1270000," S3 "=0," S4 "=1270000," S5
	       "=1270000");
	assert_int_equal(f->np, 0);
	assert_int_equal(f->nm, 1);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S3);
	fx_free(f);
}

static void
test_exc_allow(void **state)
{
	struct fx *f = exclude_xy();

	v3(f, IGMP_ALLOW_NEW_SOURCES, G, A_SET);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI,
	    S1 "=1261000," S2 "=1270000," S3 "=0," S4 "=1270000," S5
	       "=1270000");
	assert_int_equal(f->np, 0);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S3);
	fx_free(f);
}

static void
test_exc_is_ex(void **state)
{
	struct fx *f = exclude_xy();

	/*
	 * EXCLUDE (A-Y, Y*A); (A-X-Y)=GMI; Delete (X-A); Delete (Y-A);
	 * GT=GMI
	 */
	v3(f, IGMP_MODE_IS_EXCLUDE, G, A_SET);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T + GMI,
	    S2 "=1261000," S4 "=0," S5 "=1270000");
	assert_int_equal(f->np, 0);
	assert_int_equal(f->nm, 1);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S4);
	fx_free(f);
}

static void
test_exc_to_in(void **state)
{
	struct fx *f = exclude_xy();

	/* EXCLUDE (X+A, Y-A); (A)=GMI; Send Q(G,X-A); Send Q(G) */
	v3(f, IGMP_CHANGE_TO_INCLUDE, G, A_SET);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T + LMQT,
	    S1 "=1012000," S2 "=1270000," S3 "=0," S4 "=1270000," S5
	       "=1270000");
	assert_int_equal(f->np, 2);
	expect_query(f, 0, T, G, false, "");
	expect_query(f, 1, T, G, false, S1);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S3);
	run(f, T + LMQT);
	assert_int_equal(f->np, 4);
	expect_query(f, 2, T + LMQI, G, false, "");
	expect_query(f, 3, T + LMQI, G, false, S1);
	/* 6.5: group timer out: INCLUDE with the sources still running. */
	assert_int_equal(f->nm, 2);
	expect_mem(f, 1, G, IGMP_FILTER_INCLUDE, S2 "," S4 "," S5);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S2 "=1270000," S4 "=1270000," S5 "=1270000");
	assert_int_equal(st(f)->queries_sent_group, 2);
	assert_int_equal(st(f)->queries_sent_group_source, 2);
	fx_free(f);
}

static void
test_exc_to_ex(void **state)
{
	struct fx *f = exclude_xy();

	/*
	 * EXCLUDE (A-Y, Y*A); (A-X-Y)=Group Timer; Delete (X-A);
	 * Delete (Y-A); Send Q(G,A-Y); GT=GMI
	 */
	v3(f, IGMP_CHANGE_TO_EXCLUDE, G, A_SET);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T + GMI,
	    S2 "=1012000," S4 "=0," S5 "=1012000");
	assert_int_equal(f->np, 1);
	expect_query(f, 0, T, G, false, S2 "," S5);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S4);
	run(f, T + LMQT);
	expect_query(f, 1, T + LMQI, G, false, S2 "," S5);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T + GMI,
	    S2 "=0," S4 "=0," S5 "=0");
	expect_mem(f, 1, G, IGMP_FILTER_EXCLUDE, S2 "," S4 "," S5);
	fx_free(f);
}

static void
test_exc_to_ex_source_gets_group_timer(void **state)
{
	struct fx *f = exclude_xy();

	/* As a non-querier no query lowers it: (A-X-Y) = Group Timer. */
	igmp_router_set_address(f->r, f->now, A("10.0.0.200"), 24);
	{
		uint8_t b[12];
		feed(f, "10.0.0.2", A("224.0.0.1"), false, b,
		    igmp_build_v3_query(b, sizeof(b), A("0.0.0.0"), 100, false,
			2, 125, NULL, 0));
	}
	assert_false(igmp_router_is_querier(f->r));
	v3(f, IGMP_CHANGE_TO_EXCLUDE, G, A_SET);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T + GMI,
	    S2 "=1261000," S4 "=0," S5 "=1260000");
	assert_int_equal(f->np, 0);
	fx_free(f);
}

static void
test_exc_block(void **state)
{
	struct fx *f = exclude_xy();

	/* EXCLUDE (X+(A-Y), Y); (A-X-Y)=Group Timer; Send Q(G,A-Y) */
	v3(f, IGMP_BLOCK_OLD_SOURCES, G, A_SET);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI,
	    S1 "=1261000," S2 "=1012000," S3 "=0," S4 "=0," S5 "=1012000");
	assert_int_equal(f->np, 1);
	expect_query(f, 0, T, G, false, S2 "," S5);
	assert_int_equal(f->nm, 0); /* Y unchanged */
	run(f, T + LMQT);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI,
	    S1 "=1261000," S2 "=0," S3 "=0," S4 "=0," S5 "=0");
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S2 "," S3 "," S4 "," S5);
	fx_free(f);
}

/* 6.5: group timer out in EXCLUDE: INCLUDE with the running sources. */
static void
test_group_timer_expiry(void **state)
{
	struct fx *f = exclude_xy();

	run(f, T0 + GMI - 1);
	assert_int_equal(f->nm, 0);
	run(f, T0 + GMI);
	assert_int_equal(f->nm, 1);
	assert_int_equal(f->m[0].at, T0 + GMI);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, S1 "," S2);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S1 "=1261000," S2 "=1261000");
	assert_true(traced(f,
	    "239.1.1.1: EXCLUDE X {192.0.2.1,192.0.2.2} "
	    "Y {192.0.2.3,192.0.2.4} -> INCLUDE {192.0.2.1,192.0.2.2} on "
	    "group timer expiry"));
	/* Then the sources run out: the group goes (INCLUDE {}). */
	run(f, TX + GMI);
	assert_int_equal(f->nm, 2);
	assert_int_equal(f->m[1].at, TX + GMI);
	expect_mem(f, 1, G, IGMP_FILTER_INCLUDE, "");
	expect_no_group(f, G);
	assert_int_equal(st(f)->groups, 0);
	fx_free(f);

	/* No source running when the group timer expires: deleted. */
	f = exclude_xy();
	/* IS_EX(X+Y) keeps X's timers and restarts the group timer. */
	v3(f, IGMP_MODE_IS_EXCLUDE, G, S1 "," S2 "," S3 "," S4);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T + GMI,
	    S1 "=1261000," S2 "=1261000," S3 "=0," S4 "=0");
	assert_int_equal(f->nm, 0);
	run(f, T + GMI - 1);
	assert_int_equal(f->nm, 1);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S1 "," S2 "," S3 "," S4);
	run(f, T + GMI);
	assert_int_equal(f->nm, 2);
	assert_int_equal(f->m[1].at, T + GMI);
	expect_mem(f, 1, G, IGMP_FILTER_INCLUDE, "");
	expect_no_group(f, G);
	fx_free(f);
}

/* 6.3: source timer expiry. */
static void
test_source_expiry(void **state)
{
	struct fx *f = exclude_xy();

	/* EXCLUDE: an X source out moves to Y (stop forwarding). */
	v3(f, IGMP_MODE_IS_EXCLUDE, G, S1 "," S2 "," S3 "," S4);
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S1);
	assert_int_equal(f->nm, 0);
	run(f, TX + GMI);
	assert_int_equal(f->nm, 1);
	assert_int_equal(f->m[0].at, TX + GMI);
	expect_mem(f, 0, G, IGMP_FILTER_EXCLUDE, S2 "," S3 "," S4);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T + GMI,
	    S1 "=1270000," S2 "=0," S3 "=0," S4 "=0");
	assert_true(traced(f,
	    "-> EXCLUDE X {192.0.2.1} Y {192.0.2.2,"
	    "192.0.2.3,192.0.2.4} on source timer expiry"));
	fx_free(f);

	/* INCLUDE: deleted. */
	f = include_a();
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S2);
	run(f, TA + GMI);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, S2);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0, S2 "=1270000");
	fx_free(f);
}

/* ------------------------------------------------------------------ */

static void
test_ssm(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);

	clear(f);
	v2_report(f, HOST, "232.1.1.1");
	v1_report(f, HOST, "232.1.1.1");
	v3(f, IGMP_MODE_IS_EXCLUDE, "232.1.1.1", "");
	v3(f, IGMP_CHANGE_TO_EXCLUDE, "232.1.1.1", S1);
	assert_int_equal(st(f)->rx_ignored_ssm, 4);
	expect_no_group(f, "232.1.1.1");
	v3(f, IGMP_ALLOW_NEW_SOURCES, "232.1.1.1", S1);
	expect_group(f, "232.1.1.1", IGMP_FILTER_INCLUDE, 0, S1 "=1260000");
	v3(f, IGMP_MODE_IS_INCLUDE, "232.1.1.1", S2);
	v3(f, IGMP_BLOCK_OLD_SOURCES, "232.1.1.1", S1);
	expect_query(f, 0, T0, "232.1.1.1", false, S1);
	v2_leave(f, HOST, "232.1.1.1");
	assert_int_equal(st(f)->rx_ignored_ssm, 5);
	assert_int_equal(f->np, 1);
	/* Outside the range the same records work. */
	v3(f, IGMP_MODE_IS_EXCLUDE, "233.1.1.1", "");
	expect_group(f, "233.1.1.1", IGMP_FILTER_EXCLUDE, T0 + GMI, "");
	assert_int_equal(st(f)->rx_ignored_ssm, 5);
	fx_free(f);
}

static void
test_limits(void **state)
{
	struct igmp_router_config c;
	struct fx *f;

	igmp_router_config_defaults(&c);
	c.max_groups = 2;
	c.max_sources_per_group = 2;
	f = fx_new(&c, ME, true);
	v2_report(f, HOST, "239.0.0.1");
	v2_report(f, HOST, "239.0.0.2");
	v2_report(f, HOST, "239.0.0.3");
	assert_int_equal(st(f)->limit_groups, 1);
	assert_int_equal(st(f)->groups, 2);
	expect_no_group(f, "239.0.0.3");
	/* Records that would not create a group are not refusals. */
	v3(f, IGMP_BLOCK_OLD_SOURCES, "239.0.0.3", S1);
	v2_leave(f, HOST, "239.0.0.3");
	assert_int_equal(st(f)->limit_groups, 1);
	fx_free(f);

	f = fx_new(&c, ME, true);
	clear(f);
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S1 "," S2 "," S3);
	assert_int_equal(st(f)->limit_sources, 1);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S1 "=1260000," S2 "=1260000");
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, S1 "," S2);
	/* Room made by deletions in the same record counts. */
	v3(f, IGMP_MODE_IS_EXCLUDE, G, S3 "," S4);
	assert_int_equal(st(f)->limit_sources, 1);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI, S3 "=0," S4 "=0");
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S5);
	assert_int_equal(st(f)->limit_sources, 2);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI, S3 "=0," S4 "=0");
	fx_free(f);
}

/*
 * A record of thousands of sources against a group limited to a few: the
 * limit holds and so does the memory (the engine used to make room for the
 * whole record in every group it touched: 16,000 sources x 17 bytes each).
 */
static void
test_limits_bound_memory(void **state)
{
	static struct in_addr s[16000];
	static uint8_t b[16 + 4 * 16000];
	struct igmp_router_config c;
	struct igmp_v3_report rep;
	struct igmp_msg msg;
	struct igmp_ip ip;
	struct fx *f;
	size_t base, i, k;
	char g[32];
	uint8_t types[] = { IGMP_ALLOW_NEW_SOURCES, IGMP_BLOCK_OLD_SOURCES };

	igmp_router_config_defaults(&c);
	c.max_sources_per_group = 10;
	f = fx_new(&c, ME, true);
	for (i = 0; i < 16000; i++)
		s[i].s_addr = htonl(0xc6130001u + (uint32_t)i);
	base = igmp_router_memory(f->r);
	memset(&ip, 0, sizeof(ip));
	ip.src = A(HOST);
	ip.dst = A("224.0.0.22");
	ip.ttl = 1;
	ip.router_alert = true;
	for (k = 0; k < 2; k++)
		for (i = 0; i < 20; i++) {
			snprintf(g, sizeof(g), "239.9.0.%zu", i + 1);
			igmp_v3_report_begin(&rep, b, sizeof(b));
			assert_int_equal(igmp_v3_report_add(&rep, types[k],
					     A(g), s, 16000),
			    IGMP_OK);
			assert_int_equal(igmp_decode(b,
					     (size_t)
						 igmp_v3_report_finish(&rep),
					     &msg),
			    IGMP_OK);
			igmp_router_input(f->r, f->now, &ip, &msg);
			clear(f);
			collect(f);
		}
	assert_int_equal(st(f)->groups, 20);
	assert_int_equal(st(f)->limit_sources, 20 * (16000 - 10));
	/*
	 * 20 groups of 10 sources, the walk's scratch and the record buffer
	 * (64 KiB, once per engine): far below 20 x 16,000 sources.
	 */
	printf("# engine memory: %zu bytes before, %zu after\n", base,
	    igmp_router_memory(f->r));
	assert_true(igmp_router_memory(f->r) - base < 80000);
	fx_free(f);
}

static void
test_bad_input(void **state)
{
	struct igmp_router_config c;
	struct fx *f = fx_new(NULL, ME, true);
	uint8_t b[8];

	clear(f);
	/* Off the subnet: ignored; 0.0.0.0 allowed (RFC 3376 9.2). */
	v2_report(f, "10.9.0.11", G);
	assert_int_equal(st(f)->rx_ignored_off_subnet, 1);
	expect_no_group(f, G);
	v2_report(f, "0.0.0.0", G);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI, "");
	/* Wrong destinations. */
	feed(f, HOST, A("224.0.0.22"), true, b,
	    igmp_build_v2_report(b, sizeof(b), A("239.2.2.2")));
	v3_to(f, HOST, "224.0.0.1", IGMP_MODE_IS_EXCLUDE, "239.2.2.3", "");
	feed(f, HOST, A("224.0.0.1"), true, b,
	    igmp_build_v2_leave(b, sizeof(b), A(G)));
	assert_int_equal(st(f)->rx_ignored_bad_destination, 3);
	expect_no_group(f, "239.2.2.2");
	expect_no_group(f, "239.2.2.3");
	/* v1/v2 reports to our own address MUST be taken (4.2.14). */
	feed(f, HOST, A(ME), true, b,
	    igmp_build_v1_report(b, sizeof(b), A("239.2.2.5")));
	expect_group(f, "239.2.2.5", IGMP_FILTER_EXCLUDE, T0 + GMI, "");
	/* Liberal: a v3 report to the group, a leave to the group. */
	v3_to(f, HOST, "239.2.2.4", IGMP_MODE_IS_EXCLUDE, "239.2.2.4", "");
	expect_group(f, "239.2.2.4", IGMP_FILTER_EXCLUDE, T0 + GMI, "");
	clear(f);
	feed(f, HOST, A(G), true, b, igmp_build_v2_leave(b, sizeof(b), A(G)));
	assert_int_equal(f->np, 1);
	/* 224.0.0.0/24 is never tracked; a unicast "group" is wrong. */
	v2_report(f, HOST, "224.0.0.251");
	expect_no_group(f, "224.0.0.251");
	assert_int_equal(st(f)->unexpected_events, 0);
	feed(f, HOST, A("10.1.1.1"), true, b,
	    igmp_build_v2_report(b, sizeof(b), A("10.1.1.1")));
	assert_int_equal(st(f)->unexpected_events, 1);
	assert_int_equal(st(f)->rx[IGMP_KIND_V2_REPORT], 5);
	assert_int_equal(st(f)->rx[IGMP_KIND_V1_REPORT], 1);
	assert_int_equal(st(f)->rx[IGMP_KIND_V3_REPORT], 2);
	assert_int_equal(st(f)->rx[IGMP_KIND_V2_LEAVE], 2);
	/* No Router Alert: accepted unless required. */
	feed(f, HOST, A("239.3.3.3"), false, b,
	    igmp_build_v2_report(b, sizeof(b), A("239.3.3.3")));
	expect_group(f, "239.3.3.3", IGMP_FILTER_EXCLUDE, T0 + GMI, "");
	fx_free(f);

	igmp_router_config_defaults(&c);
	c.require_router_alert = true;
	f = fx_new(&c, ME, true);
	feed(f, HOST, A(G), false, b, igmp_build_v2_report(b, sizeof(b), A(G)));
	assert_int_equal(st(f)->rx_ignored_no_router_alert, 1);
	expect_no_group(f, G);
	igmp_router_input(f->r, f->now, NULL, NULL);
	assert_int_equal(st(f)->unexpected_events, 1);
	fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Querier election                                                   */

static void
query_v2(struct fx *f, const char *src, const char *group)
{
	uint8_t b[8];

	/* Real v2 queriers send no Router Alert. */
	feed(f, src, strcmp(group, "0.0.0.0") ? A(group) : A("224.0.0.1"),
	    false, b, igmp_build_v2_query(b, sizeof(b), A(group), 100));
}

static void
query_v3(struct fx *f, const char *src, uint8_t qrv, uint32_t qqi_s)
{
	uint8_t b[12];

	feed(f, src, A("224.0.0.1"), true, b,
	    igmp_build_v3_query(b, sizeof(b), A("0.0.0.0"), 100, false, qrv,
		qqi_s, NULL, 0));
}

static void
test_election(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);
	uint8_t b[8];
	mc_time_t t;

	clear(f);
	/* Higher address, our own, 0.0.0.0 and off-subnet: no effect. */
	query_v2(f, "10.0.0.9", "0.0.0.0");
	query_v2(f, ME, "0.0.0.0");
	query_v2(f, "0.0.0.0", "0.0.0.0");
	query_v2(f, "10.9.0.1", "0.0.0.0");
	assert_true(igmp_router_is_querier(f->r));
	assert_int_equal(st(f)->rx_ignored_off_subnet, 2);
	/* A lower address: non-querier at once, any version, no RA. */
	t = f->now = T0 + 20000;
	query_v2(f, "10.0.0.2", "0.0.0.0");
	assert_false(igmp_router_is_querier(f->r));
	assert_int_equal(igmp_router_querier(f->r).s_addr,
	    A("10.0.0.2").s_addr);
	assert_int_equal(st(f)->querier_elections_lost, 1);
	assert_true(traced(f,
	    "querier: QUERIER -> NON_QUERIER (querier "
	    "10.0.0.2) on query from a lower address"));
	assert_true(traced(f,
	    "querier 10.0.0.2 speaks IGMPv2: configure "
	    "version 2 (RFC 3376 7.3.1)"));
	assert_int_equal(igmp_router_next_deadline(f->r), t + OQPI);
	/* It keeps querying; a v1 query counts too. */
	t = f->now = T0 + 145000;
	feed(f, "10.0.0.2", A("224.0.0.1"), false, b,
	    igmp_build_v1_query(b, sizeof(b)));
	assert_int_equal(st(f)->rx[IGMP_KIND_V1_QUERY], 1);
	run(f, t + OQPI - 1);
	assert_int_equal(f->np, 0);
	assert_false(igmp_router_is_querier(f->r));
	/* Silent for OQPI: querier again, general query at once. */
	run(f, t + OQPI);
	assert_true(igmp_router_is_querier(f->r));
	assert_int_equal(f->np, 1);
	assert_int_equal(f->p[0].at, t + OQPI);
	assert_memory_equal(f->p[0].data, v3_general, sizeof(v3_general));
	assert_int_equal(st(f)->querier_takeovers, 1);
	assert_true(traced(f,
	    "NON_QUERIER -> QUERIER (querier 10.0.0.5) on "
	    "other querier present timer expiry"));
	run(f, t + OQPI + QI);
	assert_int_equal(f->np, 2);
	assert_int_equal(f->p[1].at, t + OQPI + QI);
	fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Events                                                             */

/* One v3 report of several records ("type:group:s1,s2;type:group:"). */
static void
v3_records(struct fx *f, const char *dst, const char *spec)
{
	char buf[512], *rec, *save = NULL, *c1, *c2;
	struct igmp_v3_report rep;
	struct in_addr s[16];
	uint8_t b[1024];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", spec);
	igmp_v3_report_begin(&rep, b, sizeof(b));
	for (rec = strtok_r(buf, ";", &save); rec;
	     rec = strtok_r(NULL, ";", &save)) {
		c1 = strchr(rec, ':');
		assert_non_null(c1);
		c2 = strchr(c1 + 1, ':');
		assert_non_null(c2);
		*c1 = *c2 = '\0';
		n = set(c2 + 1, s);
		assert_int_equal(igmp_v3_report_add(&rep, (uint8_t)atoi(rec),
				     A(c1 + 1), s, (uint16_t)n),
		    IGMP_OK);
	}
	feed(f, HOST, A(dst), true, b, igmp_v3_report_finish(&rep));
}

static void
test_event_names(void **state)
{
	static const char *ev[] = { "querier", "other-querier", "older-querier",
		"ignored", "limit-groups", "limit-sources" };
	static const char *ign[] = { "unknown-type", "off-subnet",
		"no-router-alert", "bad-destination", "ssm", "leave-v1-host" };
	size_t i;

	for (i = 0; i < 6; i++)
		assert_string_equal(
		    igmp_router_event_name((enum igmp_router_event)i), ev[i]);
	assert_string_equal(igmp_router_event_name((enum igmp_router_event)6),
	    "?");
	assert_int_equal(IGMP_ROUTER_IGN_COUNT, 6);
	for (i = 0; i < IGMP_ROUTER_IGN_COUNT; i++)
		assert_string_equal(
		    igmp_router_ignored_name((enum igmp_router_ignored)i),
		    ign[i]);
	assert_string_equal(igmp_router_ignored_name(IGMP_ROUTER_IGN_COUNT),
	    "?");
}

/*
 * QUERIER at start and on takeover, never while it stays querier;
 * OTHER_QUERIER when another router becomes the querier or the querier
 * changes; OLDER_QUERIER once per version; all before the packets.
 */
static void
test_events_querier(void **state)
{
	struct fx *f = fx_new(NULL, ME, false);
	const struct evt *e;
	uint8_t b[8];
	mc_time_t t;

	igmp_router_start(f->r, f->now);
	collect(f);
	assert_int_equal(f->ne, 1);
	e = expect_ev(f, 0, IGMP_ROUTER_EV_QUERIER, ME, NULL, 0, NULL);
	assert_int_equal(e->o.previous.s_addr, 0);
	assert_int_equal(e->at, T0);
	assert_int_equal(f->np, 1);
	/* Its queries, its address changing: still the querier, no event. */
	run(f, T0 + SQI + QI);
	igmp_router_set_address(f->r, f->now, A("10.0.0.4"), 24);
	collect(f);
	igmp_router_set_address(f->r, f->now, A(ME), 24);
	collect(f);
	assert_int_equal(f->np, 3);
	assert_int_equal(f->ne, 1);
	/* Higher, own, 0.0.0.0: no querier event (0.0.0.0: ignored). */
	clear(f);
	query_v2(f, "10.0.0.9", "0.0.0.0");
	query_v2(f, ME, "0.0.0.0");
	assert_int_equal(f->ne, 0);
	query_v2(f, "0.0.0.0", "0.0.0.0");
	assert_int_equal(f->ne, 1);
	expect_ignored(f, 0, IGMP_ROUTER_IGN_OFF_SUBNET, "0.0.0.0", "224.0.0.1",
	    IGMP_TYPE_QUERY, NULL);
	/* A lower v2 querier: older querier, then the other querier. */
	clear(f);
	query_v2(f, "10.0.0.3", "0.0.0.0");
	assert_int_equal(f->ne, 2);
	e = expect_ev(f, 0, IGMP_ROUTER_EV_OLDER_QUERIER, "10.0.0.3",
	    "224.0.0.1", IGMP_TYPE_QUERY, NULL);
	assert_int_equal(e->o.version, 2);
	e = expect_ev(f, 1, IGMP_ROUTER_EV_OTHER_QUERIER, "10.0.0.3",
	    "224.0.0.1", IGMP_TYPE_QUERY, NULL);
	assert_int_equal(e->o.previous.s_addr, A(ME).s_addr);
	/* The same querier again, v2 again, group-specific: nothing. */
	clear(f);
	query_v2(f, "10.0.0.3", "0.0.0.0");
	query_v2(f, "10.0.0.3", G);
	assert_int_equal(f->ne, 0);
	/* A lower one still, in v3: the querier changes, no older one. */
	query_v3(f, "10.0.0.2", 2, 125);
	assert_int_equal(f->ne, 1);
	e = expect_ev(f, 0, IGMP_ROUTER_EV_OTHER_QUERIER, "10.0.0.2",
	    "224.0.0.1", IGMP_TYPE_QUERY, NULL);
	assert_int_equal(e->o.previous.s_addr, A("10.0.0.3").s_addr);
	/* It falls back to v1: older querier (v1), same querier. */
	clear(f);
	t = f->now = T0 + 200000;
	feed(f, "10.0.0.2", A("224.0.0.1"), false, b,
	    igmp_build_v1_query(b, sizeof(b)));
	assert_int_equal(f->ne, 1);
	e = expect_ev(f, 0, IGMP_ROUTER_EV_OLDER_QUERIER, "10.0.0.2",
	    "224.0.0.1", IGMP_TYPE_QUERY, NULL);
	assert_int_equal(e->o.version, 1);
	feed(f, "10.0.0.2", A("224.0.0.1"), false, b,
	    igmp_build_v1_query(b, sizeof(b)));
	assert_int_equal(f->ne, 1);
	/* Silent for OQPI: querier again, the event before the query. */
	clear(f);
	run(f, t + OQPI);
	assert_int_equal(f->ne, 1);
	e = expect_ev(f, 0, IGMP_ROUTER_EV_QUERIER, ME, NULL, 0, NULL);
	assert_int_equal(e->o.previous.s_addr, A("10.0.0.2").s_addr);
	assert_int_equal(e->at, t + OQPI);
	assert_int_equal(f->np, 1);
	run(f, t + OQPI + 3 * QI);
	assert_int_equal(f->ne, 1);
	assert_int_equal(f->np, 4);
	fx_free(f);

	/* Not started: a lower querier is the querier, none before it. */
	f = fx_new(NULL, ME, false);
	query_v3(f, "10.0.0.2", 2, 125);
	assert_int_equal(f->ne, 1);
	e = expect_ev(f, 0, IGMP_ROUTER_EV_OTHER_QUERIER, "10.0.0.2",
	    "224.0.0.1", IGMP_TYPE_QUERY, NULL);
	assert_int_equal(e->o.previous.s_addr, 0);
	/* Our new address wins: querier, as if by takeover. */
	clear(f);
	igmp_router_set_address(f->r, f->now, A("10.0.0.1"), 24);
	collect(f);
	assert_int_equal(f->ne, 1);
	e = expect_ev(f, 0, IGMP_ROUTER_EV_QUERIER, "10.0.0.1", NULL, 0, NULL);
	assert_int_equal(e->o.previous.s_addr, A("10.0.0.2").s_addr);
	assert_int_equal(f->np, 1);
	fx_free(f);
}

/* Every reason to ignore an input, with its exact packet and group. */
static void
test_events_ignored(void **state)
{
	struct igmp_router_config c;
	struct igmp_ip ip;
	struct igmp_msg msg;
	struct fx *f = fx_new(NULL, ME, true);
	uint8_t b[8];

	/* An unknown type (RFC 3376 4); DVMRP is not ours: no event. */
	clear(f);
	memset(&ip, 0, sizeof(ip));
	memset(&msg, 0, sizeof(msg));
	ip.src = A(HOST);
	ip.dst = A("224.0.0.1");
	msg.kind = IGMP_KIND_UNKNOWN;
	msg.type = 0x99;
	igmp_router_input(f->r, f->now, &ip, &msg);
	collect(f);
	msg.kind = IGMP_KIND_DVMRP;
	msg.type = IGMP_TYPE_DVMRP;
	igmp_router_input(f->r, f->now, &ip, &msg);
	collect(f);
	assert_int_equal(f->ne, 1);
	expect_ignored(f, 0, IGMP_ROUTER_IGN_UNKNOWN_TYPE, HOST, "224.0.0.1",
	    0x99, NULL);
	assert_int_equal(st(f)->rx[IGMP_KIND_UNKNOWN], 1);
	/* Off the subnet: a report (its group), a v3 report (none). */
	clear(f);
	v2_report(f, "10.9.0.11", G);
	v3_to(f, "10.9.0.11", "224.0.0.22", IGMP_MODE_IS_EXCLUDE, G, "");
	assert_int_equal(f->ne, 2);
	expect_ignored(f, 0, IGMP_ROUTER_IGN_OFF_SUBNET, "10.9.0.11", G,
	    IGMP_TYPE_V2_REPORT, G);
	expect_ignored(f, 1, IGMP_ROUTER_IGN_OFF_SUBNET, "10.9.0.11",
	    "224.0.0.22", IGMP_TYPE_V3_REPORT, NULL);
	assert_int_equal(st(f)->rx_ignored_off_subnet, 2);
	/* Wrong destinations: a v2 report, one v3 record of two. */
	clear(f);
	feed(f, HOST, A("224.0.0.22"), true, b,
	    igmp_build_v2_report(b, sizeof(b), A("239.2.2.2")));
	v3_records(f, "239.2.2.4", "2:239.2.2.3:;2:239.2.2.4:");
	assert_int_equal(f->ne, 2);
	expect_ignored(f, 0, IGMP_ROUTER_IGN_BAD_DESTINATION, HOST,
	    "224.0.0.22", IGMP_TYPE_V2_REPORT, "239.2.2.2");
	expect_ignored(f, 1, IGMP_ROUTER_IGN_BAD_DESTINATION, HOST, "239.2.2.4",
	    IGMP_TYPE_V3_REPORT, "239.2.2.3");
	assert_int_equal(st(f)->rx_ignored_bad_destination, 2);
	/* The record that went through made its group: after the events. */
	assert_int_equal(f->nm, 1);
	expect_mem(f, 0, "239.2.2.4", IGMP_FILTER_EXCLUDE, "");
	/* SSM: a v2 leave, a v3 report with two any-source records. */
	clear(f);
	v2_leave(f, HOST, "232.1.1.1");
	v3_records(f, "224.0.0.22",
	    "2:232.1.1.1:;4:232.1.1.2:" S1 ";5:232.1.1.3:" S1);
	assert_int_equal(f->ne, 3);
	expect_ignored(f, 0, IGMP_ROUTER_IGN_SSM, HOST, "224.0.0.2",
	    IGMP_TYPE_V2_LEAVE, "232.1.1.1");
	expect_ignored(f, 1, IGMP_ROUTER_IGN_SSM, HOST, "224.0.0.22",
	    IGMP_TYPE_V3_REPORT, "232.1.1.1");
	expect_ignored(f, 2, IGMP_ROUTER_IGN_SSM, HOST, "224.0.0.22",
	    IGMP_TYPE_V3_REPORT, "232.1.1.2");
	assert_int_equal(st(f)->rx_ignored_ssm, 3);
	/* A v1 host present: a v2 leave and a TO_IN are ignored. */
	v1_report(f, HOST, G);
	clear(f);
	v2_leave(f, "10.0.0.12", G);
	v3(f, IGMP_CHANGE_TO_INCLUDE, G, "");
	assert_int_equal(f->ne, 2);
	expect_ignored(f, 0, IGMP_ROUTER_IGN_LEAVE_V1_HOST, "10.0.0.12",
	    "224.0.0.2", IGMP_TYPE_V2_LEAVE, G);
	expect_ignored(f, 1, IGMP_ROUTER_IGN_LEAVE_V1_HOST, HOST, "224.0.0.22",
	    IGMP_TYPE_V3_REPORT, G);
	assert_int_equal(st(f)->rx_ignored_leave_v1_host, 2);
	/* Accepted input and timers: no event at all. */
	clear(f);
	v2_report(f, HOST, "239.5.5.5");
	v3(f, IGMP_ALLOW_NEW_SOURCES, "239.5.5.6", S1);
	run(f, f->now + 2 * GMI);
	assert_int_equal(f->ne, 0);
	assert_true(f->nm > 0);
	fx_free(f);

	/* Router Alert required: the report as a whole is ignored. */
	igmp_router_config_defaults(&c);
	c.require_router_alert = true;
	f = fx_new(&c, ME, true);
	clear(f);
	feed(f, HOST, A(G), false, b, igmp_build_v2_report(b, sizeof(b), A(G)));
	assert_int_equal(f->ne, 1);
	expect_ignored(f, 0, IGMP_ROUTER_IGN_NO_ROUTER_ALERT, HOST, G,
	    IGMP_TYPE_V2_REPORT, G);
	assert_int_equal(st(f)->rx_ignored_no_router_alert, 1);
	fx_free(f);
}

/* Limits: one event per refused join, one per record for sources. */
static void
test_events_limits(void **state)
{
	struct igmp_router_config c;
	const struct evt *e;
	struct fx *f;

	igmp_router_config_defaults(&c);
	c.max_groups = 2;
	c.max_sources_per_group = 2;
	f = fx_new(&c, ME, true);
	clear(f);
	v3_records(f, "224.0.0.22",
	    "5:239.0.0.1:" S1 "," S2 "," S3 "," S4 ";5:239.0.0.2:" S1 "," S2
	    "," S3 ";2:239.0.0.3:;5:239.0.0.1:" S5);
	assert_int_equal(f->ne, 4);
	e = expect_ev(f, 0, IGMP_ROUTER_EV_LIMIT_SOURCES, HOST, "224.0.0.22",
	    IGMP_TYPE_V3_REPORT, "239.0.0.1");
	assert_int_equal(e->o.count, 2);
	e = expect_ev(f, 1, IGMP_ROUTER_EV_LIMIT_SOURCES, HOST, "224.0.0.22",
	    IGMP_TYPE_V3_REPORT, "239.0.0.2");
	assert_int_equal(e->o.count, 1);
	expect_ev(f, 2, IGMP_ROUTER_EV_LIMIT_GROUPS, HOST, "224.0.0.22",
	    IGMP_TYPE_V3_REPORT, "239.0.0.3");
	e = expect_ev(f, 3, IGMP_ROUTER_EV_LIMIT_SOURCES, HOST, "224.0.0.22",
	    IGMP_TYPE_V3_REPORT, "239.0.0.1");
	assert_int_equal(e->o.count, 1);
	assert_int_equal(st(f)->limit_sources, 4);
	assert_int_equal(st(f)->limit_groups, 1);
	/* The memberships of the same input come after its events. */
	assert_int_equal(f->nm, 2);
	expect_mem(f, 0, "239.0.0.1", IGMP_FILTER_INCLUDE, S1 "," S2);
	expect_mem(f, 1, "239.0.0.2", IGMP_FILTER_INCLUDE, S1 "," S2);
	/* A v2 join refused: its group, its packet. */
	clear(f);
	v2_report(f, "10.0.0.12", "239.0.0.4");
	assert_int_equal(f->ne, 1);
	expect_ev(f, 0, IGMP_ROUTER_EV_LIMIT_GROUPS, "10.0.0.12", "239.0.0.4",
	    IGMP_TYPE_V2_REPORT, "239.0.0.4");
	assert_int_equal(st(f)->limit_groups, 2);
	fx_free(f);
}

/* A non-querier leaves leaves alone and follows the querier's queries. */
static void
test_non_querier_timers(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);
	uint8_t b[64];
	struct in_addr s[2];

	query_v2(f, "10.0.0.2", "0.0.0.0");
	v2_report(f, HOST, G);
	clear(f);
	f->now = T0 + 1000;
	v2_leave(f, HOST, G);
	assert_int_equal(f->np, 0);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + GMI, "");
	/* The querier's group-specific query: LMQC x Max Resp Time. */
	feed(f, "10.0.0.2", A(G), false, b,
	    igmp_build_v2_query(b, sizeof(b), A(G), 10));
	expect_group(f, G, IGMP_FILTER_EXCLUDE, T0 + 1000 + LMQT, "");
	run(f, T0 + 1000 + LMQT);
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, "");
	assert_int_equal(f->np, 0);

	/* v3: S set changes nothing; S clear lowers; sources likewise. */
	clear(f);
	v3(f, IGMP_MODE_IS_EXCLUDE, G, "");
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S1 "," S2);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, f->now + GMI,
	    S1 "=1263000," S2 "=1263000");
	feed(f, "10.0.0.2", A(G), true, b,
	    igmp_build_v3_query(b, sizeof(b), A(G), 10, true, 2, 125, NULL, 0));
	expect_group(f, G, IGMP_FILTER_EXCLUDE, f->now + GMI,
	    S1 "=1263000," S2 "=1263000");
	s[0] = A(S2);
	feed(f, "10.0.0.2", A(G), true, b,
	    igmp_build_v3_query(b, sizeof(b), A(G), 10, false, 2, 125, s, 1));
	expect_group(f, G, IGMP_FILTER_EXCLUDE, f->now + GMI,
	    S1 "=1263000," S2 "=1005000");
	feed(f, "10.0.0.2", A(G), true, b,
	    igmp_build_v3_query(b, sizeof(b), A(G), 10, false, 2, 125, NULL,
		0));
	expect_group(f, G, IGMP_FILTER_EXCLUDE, f->now + LMQT,
	    S1 "=1263000," S2 "=1005000");
	assert_int_equal(f->np, 0);
	/* Its own state changes send nothing either. */
	v3(f, IGMP_CHANGE_TO_INCLUDE, G, S2);
	v3(f, IGMP_BLOCK_OLD_SOURCES, G, S1);
	assert_int_equal(f->np, 0);
	fx_free(f);
}

static void
test_adopt_qrv_qqic(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);
	mc_time_t t;

	/* QRV 3, QQI 60 s: GMI = 3 x 60 + 10 s, OQPI = 3 x 60 + 5 s. */
	t = f->now = T0 + 1000;
	query_v3(f, "10.0.0.2", 3, 60);
	assert_true(traced(f, "robustness 3, query interval 60000 ms"));
	assert_int_equal(igmp_router_next_deadline(f->r), t + 185000);
	v2_report(f, HOST, G);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, t + 190000, "");
	/* QRV 0: our robustness stays; QQI 60 s still adopted. */
	query_v3(f, "10.0.0.2", 0, 60);
	v2_report(f, HOST, G);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, t + 130000, "");
	assert_int_equal(igmp_router_next_deadline(f->r), t + 125000);
	/* Takeover: our own values again, in our queries too. */
	clear(f);
	run(f, t + 125000);
	assert_true(igmp_router_is_querier(f->r));
	assert_memory_equal(f->p[0].data, v3_general, sizeof(v3_general));
	f->now = t + 126000;
	v2_report(f, HOST, G);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, t + 126000 + GMI, "");
	fx_free(f);
}

static void
test_set_address_and_reconfigure(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);
	struct igmp_router_config c;

	query_v2(f, "10.0.0.2", "0.0.0.0");
	assert_false(igmp_router_is_querier(f->r));
	clear(f);
	igmp_router_set_address(f->r, f->now, A("10.0.0.3"), 24);
	assert_false(igmp_router_is_querier(f->r));
	igmp_router_set_address(f->r, f->now, A("10.0.0.1"), 24);
	collect(f);
	assert_true(igmp_router_is_querier(f->r));
	assert_int_equal(igmp_router_querier(f->r).s_addr,
	    A("10.0.0.1").s_addr);
	assert_int_equal(f->np, 1);
	assert_int_equal(st(f)->querier_takeovers, 0);

	c = f->c;
	c.robustness = 0;
	assert_int_equal(igmp_router_reconfigure(f->r, &c), -EINVAL);
	c = f->c;
	c.robustness = 3;
	assert_int_equal(igmp_router_reconfigure(f->r, &c), 0);
	v2_report(f, HOST, G);
	expect_group(f, G, IGMP_FILTER_EXCLUDE, f->now + 385000, "");
	fx_free(f);
}

static int
count_group(void *arg, const struct igmp_router_group_view *v)
{
	(*(size_t *)arg)++;
	return v->nsources == 99 ? 1 : 0;
}

/* 6.6.3.2 note: the S-set query may go when a Q(G) goes too. */
static void
test_s_set_query_left_out_with_group_query(void **state)
{
	struct fx *f = exclude_xy();

	v3(f, IGMP_CHANGE_TO_INCLUDE, G, A_SET);
	assert_int_equal(f->np, 2);
	f->now = T + 500;
	v3_to(f, "10.0.0.12", G, IGMP_ALLOW_NEW_SOURCES, G, S1);
	run(f, T + LMQI);
	/* Only Q(G): S1 (now above LMQT) would need an S-set query. */
	assert_int_equal(f->np, 3);
	expect_query(f, 2, T + LMQI, G, false, "");
	fx_free(f);
}

/* More sources than a packet holds: several queries (4.1.8 / MTU). */
static void
test_source_query_split(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);
	struct in_addr s[400];
	struct igmp_v3_report rep;
	static uint8_t b[2048];
	size_t i, total = 0;
	int k;

	for (i = 0; i < 400; i++)
		s[i].s_addr = htonl(0xc6120000u + (uint32_t)i);
	for (k = 0; k < 2; k++) {
		igmp_v3_report_begin(&rep, b, sizeof(b));
		assert_int_equal(igmp_v3_report_add(&rep,
				     k == 0 ? IGMP_ALLOW_NEW_SOURCES :
					      IGMP_BLOCK_OLD_SOURCES,
				     A(G), s, 400),
		    IGMP_OK);
		clear(f);
		feed(f, HOST, A("224.0.0.22"), true, b,
		    igmp_v3_report_finish(&rep));
	}
	assert_int_equal(f->np, 2);
	for (i = 0; i < f->np; i++) {
		assert_true(f->p[i].len <= IGMP_ROUTER_MAX_PACKET);
		assert_false(f->p[i].msg.suppress);
		total += f->p[i].msg.nsources;
	}
	assert_int_equal(f->p[0].msg.nsources,
	    (IGMP_ROUTER_MAX_PACKET - IGMP_V3_QUERY_MIN_LEN) / 4);
	assert_int_equal(total, 400);
	assert_int_equal(igmp_source_at(f->p[1].msg.sources,
			     (uint16_t)(f->p[1].msg.nsources - 1))
			     .s_addr,
	    s[399].s_addr);
	fx_free(f);
}

/* Losing the election mid-way: the retransmissions stop. */
static void
test_yield_stops_retransmissions(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);

	v2_report(f, HOST, G);
	clear(f);
	v2_leave(f, HOST, G);
	assert_int_equal(f->np, 1);
	f->now += 500;
	query_v2(f, "10.0.0.2", "0.0.0.0");
	run(f, T0 + 10000);
	assert_int_equal(f->np, 1);
	/* The group timer lowered before still runs out. */
	expect_mem(f, 0, G, IGMP_FILTER_INCLUDE, "");
	fx_free(f);
}

static int
stop_at_second(void *arg, const struct igmp_router_group_view *v)
{
	return ++*(int *)arg == 2 ? 7 : 0;
}

static void
test_odds_and_ends(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);
	struct igmp_router_config c;
	struct igmp_ip ip;
	struct igmp_msg msg;
	struct igmp_v3_report rep;
	uint8_t b[64];
	int calls = 0;

	/* Unknown record types and 224.0.0.0/24 records. */
	igmp_v3_report_begin(&rep, b, sizeof(b));
	igmp_v3_report_add(&rep, 7, A(G), NULL, 0);
	igmp_v3_report_add(&rep, IGMP_MODE_IS_EXCLUDE, A("224.0.0.251"), NULL,
	    0);
	feed(f, HOST, A("224.0.0.22"), true, b, igmp_v3_report_finish(&rep));
	assert_int_equal(st(f)->unexpected_events, 1);
	assert_int_equal(st(f)->groups, 0);
	/* Not ours (DVMRP, mtrace ...): counted in rx, nothing else. */
	memset(&ip, 0, sizeof(ip));
	memset(&msg, 0, sizeof(msg));
	ip.src = A(HOST);
	ip.dst = A("224.0.0.4");
	msg.kind = IGMP_KIND_DVMRP;
	igmp_router_input(f->r, f->now, &ip, &msg);
	assert_int_equal(st(f)->rx[IGMP_KIND_DVMRP], 1);
	assert_int_equal(st(f)->unexpected_events, 1);
	/* Sets of more than four sources are shortened in traces. */
	clear(f);
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S1 "," S2 "," S3 "," S4 "," S5);
	assert_true(traced(f,
	    "INCLUDE {192.0.2.1,192.0.2.2,192.0.2.3,"
	    "192.0.2.4,+1}"));
	/* foreach stops when told, with the callback's value. */
	v3(f, IGMP_ALLOW_NEW_SOURCES, "239.9.9.9", S1);
	assert_int_equal(igmp_router_foreach_group(f->r, stop_at_second,
			     &calls),
	    7);
	/* A query for a group we do not have changes nothing. */
	feed(f, "10.0.0.2", A("239.8.8.8"), false, b,
	    igmp_build_v2_query(b, sizeof(b), A("239.8.8.8"), 10));
	assert_false(igmp_router_is_querier(f->r));
	/* Adopted values survive a reload while another router queries. */
	query_v3(f, "10.0.0.2", 3, 60);
	c = f->c;
	c.max_groups = 100;
	assert_int_equal(igmp_router_reconfigure(f->r, &c), 0);
	v2_report(f, HOST, "239.7.7.7");
	expect_group(f, "239.7.7.7", IGMP_FILTER_EXCLUDE, f->now + 190000, "");
	fx_free(f);

	/* The limit counts surviving sources with new ones below them. */
	igmp_router_config_defaults(&c);
	c.max_sources_per_group = 3;
	f = fx_new(&c, ME, true);
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S4 "," S5);
	v3(f, IGMP_ALLOW_NEW_SOURCES, G, S1 "," S2 "," S5);
	assert_int_equal(st(f)->limit_sources, 1);
	expect_group(f, G, IGMP_FILTER_INCLUDE, 0,
	    S1 "=1260000," S4 "=1260000," S5 "=1260000");
	fx_free(f);
}

/*
 * The Linux bridge selftest (tools/testing/selftests/net/forwarding/
 * bridge_igmp.sh) as an independent oracle for 6.4.1/6.4.2: its report
 * bytes, its expected X and Y sets.  (It sends them to 224.0.0.1; here they
 * go to 224.0.0.22 as RFC 3376 4.2.14 says.)
 */
#define BR_IS_INC                                                \
	"22:00:9d:de:00:00:00:01:01:00:00:03:ef:0a:0a:0a:c0:00:" \
	"02:01:c0:00:02:02:c0:00:02:03"
#define BR_IS_INC2                                               \
	"22:00:9d:c3:00:00:00:01:01:00:00:03:ef:0a:0a:0a:c0:00:" \
	"02:0a:c0:00:02:0b:c0:00:02:0c"
#define BR_IS_INC3                                               \
	"22:00:5f:b4:00:00:00:01:01:00:00:02:ef:0a:0a:0a:c0:00:" \
	"02:14:c0:00:02:1e"
#define BR_ALLOW                                                 \
	"22:00:99:c3:00:00:00:01:05:00:00:03:ef:0a:0a:0a:c0:00:" \
	"02:0a:c0:00:02:0b:c0:00:02:0c"
#define BR_ALLOW2                                                \
	"22:00:5b:b4:00:00:00:01:05:00:00:02:ef:0a:0a:0a:c0:00:" \
	"02:14:c0:00:02:1e"
#define BR_IS_EXC                                                \
	"22:00:da:b6:00:00:00:01:02:00:00:04:ef:0a:0a:0a:c0:00:" \
	"02:01:c0:00:02:02:c0:00:02:14:c0:00:02:15"
#define BR_IS_EXC2                                               \
	"22:00:5e:b4:00:00:00:01:02:00:00:02:ef:0a:0a:0a:c0:00:" \
	"02:14:c0:00:02:1e"
#define BR_TO_EXC                                                \
	"22:00:9a:b1:00:00:00:01:04:00:00:03:ef:0a:0a:0a:c0:00:" \
	"02:01:c0:00:02:14:c0:00:02:1e"
#define BR_BLOCK                                                 \
	"22:00:98:b1:00:00:00:01:06:00:00:03:ef:0a:0a:0a:c0:00:" \
	"02:01:c0:00:02:14:c0:00:02:1e"
#define BR_GROUP "239.10.10.10"

static void
br_send(struct fx *f, const char *hex)
{
	uint8_t b[64];
	unsigned v;
	int n = 0;

	while (*hex) {
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		b[n++] = (uint8_t)v;
		hex += hex[2] == ':' ? 3 : 2;
	}
	feed(f, "192.0.2.1", A("224.0.0.22"), true, b, n);
}

/* X (timers running) and Y (stopped) as the selftest lists them. */
static void
br_expect(struct fx *f, enum igmp_filter_mode mode, const char *x,
    const char *y)
{
	struct igmp_router_group_view v;
	struct in_addr want_x[16], want_y[16], got_x[16], got_y[16];
	size_t nx = set(x, want_x), ny = set(y, want_y), gx = 0, gy = 0;
	uint32_t i;

	assert_int_equal(igmp_router_group(f->r, A(BR_GROUP), &v), 0);
	assert_int_equal(v.mode, mode);
	for (i = 0; i < v.nsources; i++) {
		assert_true(v.sources[i].timer == 0 ||
		    v.sources[i].timer > f->now);
		if (v.sources[i].timer)
			got_x[gx++] = v.sources[i].source;
		else
			got_y[gy++] = v.sources[i].source;
	}
	nx = srcset_normalize(want_x, nx);
	ny = srcset_normalize(want_y, ny);
	assert_true(srcset_equal(got_x, gx, want_x, nx));
	assert_true(srcset_equal(got_y, gy, want_y, ny));
}

static struct fx *
br_include(void)
{
	struct igmp_router_config c;
	struct fx *f;

	igmp_router_config_defaults(&c);
	f = fx_new(&c, "192.0.2.254", true);
	br_send(f, BR_IS_INC);
	br_expect(f, IGMP_FILTER_INCLUDE, "192.0.2.1,192.0.2.2,192.0.2.3", "");
	return f;
}

static struct fx *
br_exclude(void)
{
	struct fx *f = br_include();

	br_send(f, BR_IS_EXC);
	br_expect(f, IGMP_FILTER_EXCLUDE, "192.0.2.1,192.0.2.2",
	    "192.0.2.20,192.0.2.21");
	return f;
}

static void
test_linux_bridge_oracle(void **state)
{
	struct igmp_router_config c;
	struct fx *f;

	f = br_include(); /* v3inc_allow_test */
	br_send(f, BR_ALLOW);
	br_expect(f, IGMP_FILTER_INCLUDE,
	    "192.0.2.1,192.0.2.2,192.0.2.3,"
	    "192.0.2.10,192.0.2.11,192.0.2.12",
	    "");
	fx_free(f);
	f = br_include(); /* v3inc_is_include_test */
	br_send(f, BR_IS_INC2);
	br_expect(f, IGMP_FILTER_INCLUDE,
	    "192.0.2.1,192.0.2.2,192.0.2.3,"
	    "192.0.2.10,192.0.2.11,192.0.2.12",
	    "");
	fx_free(f);
	f = br_include(); /* v3inc_to_exclude_test */
	br_send(f, BR_TO_EXC);
	run(f, f->now + 1000);
	br_expect(f, IGMP_FILTER_EXCLUDE, "192.0.2.1", "192.0.2.20,192.0.2.30");
	fx_free(f);
	f = br_exclude(); /* v3exc_allow_test */
	br_send(f, BR_ALLOW2);
	br_expect(f, IGMP_FILTER_EXCLUDE,
	    "192.0.2.1,192.0.2.2,192.0.2.20,"
	    "192.0.2.30",
	    "192.0.2.21");
	fx_free(f);
	f = br_exclude(); /* v3exc_is_include_test */
	br_send(f, BR_IS_INC3);
	br_expect(f, IGMP_FILTER_EXCLUDE,
	    "192.0.2.1,192.0.2.2,192.0.2.20,"
	    "192.0.2.30",
	    "192.0.2.21");
	fx_free(f);
	f = br_exclude(); /* v3exc_is_exclude_test */
	br_send(f, BR_IS_EXC2);
	br_expect(f, IGMP_FILTER_EXCLUDE, "192.0.2.30", "192.0.2.20");
	fx_free(f);
	f = br_exclude(); /* v3exc_to_exclude_test */
	br_send(f, BR_TO_EXC);
	run(f, f->now + 1000);
	br_expect(f, IGMP_FILTER_EXCLUDE, "192.0.2.1,192.0.2.30", "192.0.2.20");
	fx_free(f);
	f = br_include(); /* v3inc_block_test: after 3 s */
	br_send(f, BR_BLOCK);
	run(f, f->now + 3000);
	br_expect(f, IGMP_FILTER_INCLUDE, "192.0.2.2,192.0.2.3", "");
	fx_free(f);
	f = br_exclude(); /* v3exc_block_test, LMQI 5 s: after 1 s */
	c = f->c;
	c.last_member_query_interval_ms = 5000;
	assert_int_equal(igmp_router_reconfigure(f->r, &c), 0);
	br_send(f, BR_BLOCK);
	run(f, f->now + 1000);
	br_expect(f, IGMP_FILTER_EXCLUDE, "192.0.2.1,192.0.2.2,192.0.2.30",
	    "192.0.2.20,192.0.2.21");
	fx_free(f);

	/* v3exc_timeout_test: GMI of a few seconds, then a longer one. */
	igmp_router_config_defaults(&c);
	c.query_interval_ms = 1000;
	c.query_response_interval_ms = 900;
	f = fx_new(&c, "192.0.2.254", true);
	br_send(f, BR_IS_INC);
	br_send(f, BR_IS_EXC);
	c.query_interval_ms = 5000;
	c.query_response_interval_ms = 4000;
	assert_int_equal(igmp_router_reconfigure(f->r, &c), 0);
	br_send(f, BR_ALLOW2);
	run(f, f->now + 3000);
	br_expect(f, IGMP_FILTER_INCLUDE, "192.0.2.20,192.0.2.30", "");
	fx_free(f);
}

/* Ten thousand groups: the table grows and shrinks, timers stay right. */
static void
test_many_groups(void **state)
{
	struct fx *f = fx_new(NULL, ME, true);
	struct igmp_ip ip;
	struct igmp_msg msg;
	struct igmp_router_output o;
	uint8_t b[8];
	size_t i, n = 0, deleted = 0;
	char g[32];

	memset(&ip, 0, sizeof(ip));
	ip.src = A(HOST);
	ip.router_alert = true;
	for (i = 0; i < 10000; i++) {
		snprintf(g, sizeof(g), "239.%zu.%zu.1", i / 256, i % 256);
		ip.dst = A(g);
		igmp_build_v2_report(b, sizeof(b), ip.dst);
		assert_int_equal(igmp_decode(b, sizeof(b), &msg), IGMP_OK);
		igmp_router_input(f->r, T0 + (mc_time_t)i, &ip, &msg);
		while (igmp_router_output(f->r, &o))
			;
	}
	assert_int_equal(st(f)->groups, 10000);
	assert_int_equal(igmp_router_foreach_group(f->r, count_group, &n), 0);
	assert_int_equal(n, 10000);
	igmp_router_timeout(f->r, T0 + 200000);
	while (igmp_router_output(f->r, &o))
		;
	assert_int_equal(igmp_router_next_deadline(f->r), T0 + GMI);
	/* A leave for the last group moves it to the top of the heap. */
	ip.dst = A("224.0.0.2");
	igmp_build_v2_leave(b, sizeof(b), A("239.39.15.1"));
	assert_int_equal(igmp_decode(b, sizeof(b), &msg), IGMP_OK);
	igmp_router_input(f->r, T0 + 200000, &ip, &msg);
	assert_int_equal(igmp_router_next_deadline(f->r), T0 + 200000 + LMQI);
	igmp_router_timeout(f->r, T0 + 200000 + LMQT);
	while (igmp_router_output(f->r, &o))
		if (o.kind == IGMP_ROUTER_OUT_MEMBERSHIP)
			deleted++;
	assert_int_equal(deleted, 1);
	expect_no_group(f, "239.39.15.1");
	/* The first group out first, exactly at its GMI. */
	assert_int_equal(igmp_router_next_deadline(f->r), T0 + GMI);
	igmp_router_timeout(f->r, T0 + GMI + 4999);
	while (igmp_router_output(f->r, &o))
		if (o.kind == IGMP_ROUTER_OUT_MEMBERSHIP)
			deleted++;
	assert_int_equal(deleted, 5001);
	assert_int_equal(st(f)->groups, 4999);
	expect_no_group(f, "239.0.0.1");
	expect_group(f, "239.19.136.1", IGMP_FILTER_EXCLUDE, T0 + 5000 + GMI,
	    "");
	assert_int_equal(igmp_router_next_deadline(f->r), T0 + GMI + 5000);
	igmp_router_timeout(f->r, T0 + GMI + 10000);
	while (igmp_router_output(f->r, &o))
		if (o.kind == IGMP_ROUTER_OUT_MEMBERSHIP)
			deleted++;
	assert_int_equal(deleted, 10000);
	assert_int_equal(st(f)->groups, 0);
	fx_free(f);
}

/* Outputs still queued are freed with the engine (ASan checks). */
static void
test_free_with_pending_output(void **state)
{
	struct fx *f = fx_new(NULL, ME, false);
	struct igmp_ip ip;
	struct igmp_msg msg;
	uint8_t b[8];

	igmp_router_start(f->r, f->now);
	memset(&ip, 0, sizeof(ip));
	ip.src = A(HOST);
	ip.dst = A(G);
	igmp_build_v2_report(b, sizeof(b), A(G));
	assert_int_equal(igmp_decode(b, sizeof(b), &msg), IGMP_OK);
	igmp_router_input(f->r, f->now, &ip, &msg);
	fx_free(f);
	igmp_router_free(NULL);
}

static void
test_srcset(void **state)
{
	struct in_addr a[8], b[8], o[16];
	size_t na, nb, n;

	na = set("10.0.0.3,10.0.0.1,10.0.0.2,10.0.0.1,9.0.0.1", a);
	na = srcset_normalize(a, na);
	assert_int_equal(na, 4);
	assert_int_equal(a[0].s_addr, A("9.0.0.1").s_addr);
	assert_int_equal(a[3].s_addr, A("10.0.0.3").s_addr);
	nb = srcset_normalize(b, set("10.0.0.2,10.0.0.4,200.0.0.1", b));
	assert_true(srcset_cmp(A("9.255.255.255"), A("10.0.0.0")) < 0);
	assert_true(srcset_cmp(A("10.0.0.1"), A("10.0.0.1")) == 0);
	assert_true(srcset_contains(a, na, A("10.0.0.2")));
	assert_false(srcset_contains(a, na, A("10.0.0.4")));
	assert_false(srcset_contains(a, 0, A("10.0.0.4")));
	n = srcset_union(a, na, b, nb, o);
	assert_int_equal(n, 6);
	assert_int_equal(o[4].s_addr, A("10.0.0.4").s_addr);
	assert_int_equal(o[5].s_addr, A("200.0.0.1").s_addr);
	n = srcset_intersect(a, na, b, nb, o);
	assert_int_equal(n, 1);
	assert_int_equal(o[0].s_addr, A("10.0.0.2").s_addr);
	n = srcset_diff(a, na, b, nb, o);
	assert_int_equal(n, 3);
	assert_int_equal(o[1].s_addr, A("10.0.0.1").s_addr);
	assert_int_equal(o[2].s_addr, A("10.0.0.3").s_addr);
	assert_true(srcset_equal(o, 1, a, 1));
	assert_false(srcset_equal(o, 3, a, 4));
	/* In place. */
	n = srcset_diff(a, na, b, nb, a);
	assert_int_equal(n, 3);
	assert_true(srcset_equal(a, n, o, n));
	n = srcset_intersect(a, n, b, 0, a);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_startup_and_general_queries),
		cmocka_unit_test(test_general_query_v1_v2_bytes),
		cmocka_unit_test(test_v2_leave),
		cmocka_unit_test(test_v2_leave_then_report),
		cmocka_unit_test(test_last_reporter_and_uptime),
		cmocka_unit_test(test_v2_config_group_query),
		cmocka_unit_test(test_v1_compat),
		cmocka_unit_test(test_compat_translations),
		cmocka_unit_test(test_inc_is_in),
		cmocka_unit_test(test_inc_allow),
		cmocka_unit_test(test_inc_is_ex),
		cmocka_unit_test(test_inc_to_in),
		cmocka_unit_test(test_inc_to_ex),
		cmocka_unit_test(test_inc_block),
		cmocka_unit_test(test_source_query_s_flag),
		cmocka_unit_test(test_exc_is_in),
		cmocka_unit_test(test_exc_allow),
		cmocka_unit_test(test_exc_is_ex),
		cmocka_unit_test(test_exc_to_in),
		cmocka_unit_test(test_exc_to_ex),
		cmocka_unit_test(test_exc_to_ex_source_gets_group_timer),
		cmocka_unit_test(test_exc_block),
		cmocka_unit_test(test_group_timer_expiry),
		cmocka_unit_test(test_source_expiry),
		cmocka_unit_test(test_ssm),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_limits_bound_memory),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_election),
		cmocka_unit_test(test_event_names),
		cmocka_unit_test(test_events_querier),
		cmocka_unit_test(test_events_ignored),
		cmocka_unit_test(test_events_limits),
		cmocka_unit_test(test_non_querier_timers),
		cmocka_unit_test(test_adopt_qrv_qqic),
		cmocka_unit_test(test_set_address_and_reconfigure),
		cmocka_unit_test(test_s_set_query_left_out_with_group_query),
		cmocka_unit_test(test_source_query_split),
		cmocka_unit_test(test_yield_stops_retransmissions),
		cmocka_unit_test(test_odds_and_ends),
		cmocka_unit_test(test_linux_bridge_oracle),
		cmocka_unit_test(test_many_groups),
		cmocka_unit_test(test_free_with_pending_output),
		cmocka_unit_test(test_srcset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
