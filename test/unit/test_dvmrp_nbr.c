/*
 * The DVMRP neighbour engine on a fake clock: every cell of the state
 * table, our probes (contents, the 10 s grid, the immediate answer to news
 * and its hold-off), two-way adjacency from both sides, expiry at exactly
 * 35 s, GenID changes and the restart grace, refusals per configuration,
 * the limits, VIF down, the leaf bit, and two engines wired together to
 * time adjacency against an mrouted-like peer that answers only at its
 * 10 s tick.
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

#include "dvmrp_nbr.h"
#include "dvmrp_nbr_int.h"

#define T0    1000000 /* the fake clock starts at 1000 s */
#define GENID 0x0a010000u

#define MAXR 256
#define MAXL 16

/* Names for the addresses of the tests, so that outputs read short. */
static const struct {
	const char *name, *addr;
} names[] = {
	{ "A", "198.18.2.1" }, /* us on vif 0 (198.18.2.0/24) */
	{ "B", "198.18.2.2" },
	{ "C", "198.18.2.3" },
	{ "D", "198.18.2.4" },
	{ "E", "198.18.2.5" },
	{ "A1", "198.18.3.1" }, /* us on vif 1 (198.18.3.0/24) */
	{ "F", "198.18.3.2" },
};

/* An output as taken, and when (ms after T0). */
struct rec {
	mc_time_t at;
	struct dvmrp_nbr_output o;
	struct in_addr list[MAXL];
};

struct fx {
	struct dvmrp_nbr *n;
	struct dvmrp_nbr_config c;
	mc_time_t now;
	struct rec r[MAXR];
	size_t nr;
	size_t seen; /* records already described by took() */
	size_t ntrace;
	char trace[64][TRACE_LINE_MAX];
	char buf[4096];
};

static struct in_addr
A(const char *s) {
	struct in_addr a;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			s = names[i].addr;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static const char *
name(struct in_addr a, char *buf)
{
	size_t i;

	inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(buf, names[i].addr) == 0)
			return names[i].name;
	return buf;
}

static void
on_trace(void *arg, const char *line)
{
	struct fx *f = arg;

	if (f->ntrace < 64)
		snprintf(f->trace[f->ntrace++], TRACE_LINE_MAX, "%s", line);
}

static void
collect(struct fx *f)
{
	struct rec *r;
	size_t i;

	while (f->nr < MAXR && dvmrp_nbr_output(f->n, &f->r[f->nr].o)) {
		r = &f->r[f->nr++];
		r->at = f->now - T0;
		for (i = 0; i < r->o.nneighbors && i < MAXL; i++)
			r->list[i] = r->o.neighbors[i];
		r->o.neighbors = NULL;
	}
	assert_true(f->nr < MAXR);
}

/* Run every deadline up to t (absolute), then stand at t. */
static void
advance_to(struct fx *f, mc_time_t t)
{
	mc_time_t d;

	while ((d = dvmrp_nbr_next_deadline(f->n)) <= t) {
		assert_true(d >= f->now);
		f->now = d;
		dvmrp_nbr_timeout(f->n, f->now);
		collect(f);
	}
	f->now = t;
}

/* To T0 + ms. */
static void
at(struct fx *f, mc_time_t ms)
{
	advance_to(f, T0 + ms);
}

static void
probe_full(struct fx *f, unsigned vif, const char *from, uint32_t genid,
    uint8_t caps, uint8_t major, uint8_t minor, const char *csv)
{
	struct in_addr list[MAXL];
	struct dvmrp_probe_in p = { .from = A(from),
		.genid = genid,
		.caps = caps,
		.major = major,
		.minor = minor,
		.neighbors = list };
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", csv);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		list[p.nneighbors++] = A(tok);
	dvmrp_nbr_probe_input(f->n, f->now, vif, &p);
	collect(f);
}

/* A 3.255 probe with mrouted's capabilities (0x0e) on vif 0. */
static void
probe(struct fx *f, const char *from, uint32_t genid, const char *csv)
{
	probe_full(f, 0, from, genid, DVMRP_CAPS_OURS, 3, 0xff, csv);
}

static void
describe(const struct rec *r, char *buf, size_t len)
{
	const struct dvmrp_nbr_output *o = &r->o;
	char a[INET_ADDRSTRLEN];
	size_t off, i;

	if (o->kind == DVMRP_NBR_OUT_PROBE) {
		off = (size_t)snprintf(buf, len,
		    "%lld probe vif=%u caps=%02x [", (long long)r->at, o->vif,
		    o->caps);
		for (i = 0; i < o->nneighbors && i < MAXL && off < len; i++)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    i ? "," : "", name(r->list[i], a));
		if (o->nneighbors > MAXL && off < len)
			off += (size_t)snprintf(buf + off, len - off, ",+%zu",
			    o->nneighbors - MAXL);
		if (off < len)
			snprintf(buf + off, len - off, "]");
		return;
	}
	off = (size_t)snprintf(buf, len, "%lld %s vif=%u %s", (long long)r->at,
	    dvmrp_nbr_event_name(o->event), o->vif, name(o->addr, a));
	switch (o->event) {
	case DVMRP_NBR_EV_UP:
		snprintf(buf + off, len - off, " %s->%s",
		    dvmrp_nbr_state_name(o->previous),
		    dvmrp_nbr_state_name(o->state));
		break;
	case DVMRP_NBR_EV_DOWN:
		off += (size_t)snprintf(buf + off, len - off, " %s->%s %s",
		    dvmrp_nbr_state_name(o->previous),
		    dvmrp_nbr_state_name(o->state),
		    dvmrp_nbr_down_reason_name(o->reason));
		if (o->reason == DVMRP_NBR_DOWN_REFUSED)
			snprintf(buf + off, len - off, "/%s",
			    dvmrp_nbr_refusal_name(o->refusal));
		break;
	case DVMRP_NBR_EV_RESTART:
		snprintf(buf + off, len - off, " genid %u->%u", o->old_genid,
		    o->genid);
		break;
	case DVMRP_NBR_EV_IGNORED:
		snprintf(buf + off, len - off, " %s",
		    dvmrp_nbr_ignored_name(o->ignored));
		break;
	default:
		break;
	}
}

/* The outputs since the last call, "; "-separated. */
static const char *
took(struct fx *f)
{
	size_t off = 0;
	char line[512];

	f->buf[0] = '\0';
	for (; f->seen < f->nr; f->seen++) {
		describe(&f->r[f->seen], line, sizeof(line));
		off += (size_t)snprintf(f->buf + off, sizeof(f->buf) - off,
		    "%s%s", off ? "; " : "", line);
		assert_true(off < sizeof(f->buf));
	}
	return f->buf;
}

static enum dvmrp_nbr_state
st(struct fx *f, unsigned vif, const char *addr)
{
	struct dvmrp_nbr_view v;

	if (dvmrp_nbr_find(f->n, vif, A(addr), &v) != 0)
		return DVMRP_NBR_DOWN;
	return v.state;
}

static struct dvmrp_nbr_view
view(struct fx *f, unsigned vif, const char *addr)
{
	struct dvmrp_nbr_view v;

	assert_int_equal(dvmrp_nbr_find(f->n, vif, A(addr), &v), 0);
	return v;
}

static const struct dvmrp_nbr_stats *
stats(struct fx *f)
{
	return dvmrp_nbr_stats(f->n);
}

/* An engine with c (NULL: defaults), vif 0 up at T0: its first probe. */
static struct fx *
fx_new(const struct dvmrp_nbr_config *c)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	if (c != NULL)
		f->c = *c;
	else
		dvmrp_nbr_config_defaults(&f->c);
	f->n = dvmrp_nbr_new(&f->c, GENID, 42, on_trace, f);
	assert_non_null(f->n);
	f->now = T0;
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 0, A("A"), 24), 0);
	collect(f);
	return f;
}

static void
fx_free(struct fx *f)
{
	assert_int_equal(stats(f)->unexpected_events, 0);
	dvmrp_nbr_free(f->n);
	free(f);
}

/* B two-way at T0 + 1000 (its probe lists us, our answer, the report). */
static void
two_way_b(struct fx *f)
{
	at(f, 1000);
	probe(f, "B", 100, "A");
	assert_string_equal(took(f),
	    "0 probe vif=0 caps=0e []; "
	    "1000 up vif=0 B DOWN->TWO_WAY; "
	    "1000 probe vif=0 caps=0f [B]; "
	    "1000 send-report vif=0 B");
}

/* ------------------------------------------------------------------ */

static void
test_config(void **state)
{
	struct dvmrp_nbr_config c, bad;

	(void)state;
	dvmrp_nbr_config_defaults(&c);
	assert_int_equal(c.probe_interval_ms, 10000);
	assert_int_equal(c.neighbor_timeout_ms, 35000);
	assert_int_equal(c.probe_holdoff_ms, 1000);
	assert_true(c.probe_new_neighbors);
	assert_false(c.accept_non_pruners);
	assert_int_equal(c.max_neighbors_per_vif, 64);
	assert_int_equal(c.max_probe_neighbors, 366);
	assert_int_equal(dvmrp_nbr_config_check(&c), 0);
	assert_int_equal(dvmrp_nbr_restart_grace_ms(&c), 20000);
	/* 1500 - 24 (IP with Router Alert) - 8 - 4 (GenID) = 4 x 366. */
	assert_int_equal(24 + 8 + 4 + 4 * DVMRP_NBR_PROBE_LIST_MAX, 1500);

	bad = c;
	bad.probe_interval_ms = 0;
	assert_int_equal(dvmrp_nbr_config_check(&bad), -EINVAL);
	bad = c;
	bad.neighbor_timeout_ms = 10000;
	assert_int_equal(dvmrp_nbr_config_check(&bad), -EINVAL);
	bad = c;
	bad.probe_holdoff_ms = 10001;
	assert_int_equal(dvmrp_nbr_config_check(&bad), -EINVAL);
	bad = c;
	bad.max_neighbors_per_vif = 0;
	assert_int_equal(dvmrp_nbr_config_check(&bad), -EINVAL);
	bad = c;
	bad.max_neighbors_per_vif = DVMRP_NBR_MAX_NEIGHBORS_LIMIT + 1;
	assert_int_equal(dvmrp_nbr_config_check(&bad), -EINVAL);
	bad = c;
	bad.max_probe_neighbors = 0;
	assert_int_equal(dvmrp_nbr_config_check(&bad), -EINVAL);
	bad = c;
	bad.max_probe_neighbors = 367;
	assert_int_equal(dvmrp_nbr_config_check(&bad), -EINVAL);
	assert_null(dvmrp_nbr_new(&bad, 1, 1, NULL, NULL));
	bad = c;
	bad.probe_holdoff_ms = 0; /* no hold-off is allowed */
	assert_int_equal(dvmrp_nbr_config_check(&bad), 0);
}

static void
test_names(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(dvmrp_nbr_state_name(DVMRP_NBR_DOWN), "DOWN");
	assert_string_equal(dvmrp_nbr_state_name(DVMRP_NBR_ONE_WAY), "ONE_WAY");
	assert_string_equal(dvmrp_nbr_state_name(DVMRP_NBR_TWO_WAY), "TWO_WAY");
	assert_string_equal(dvmrp_nbr_state_name(DVMRP_NBR_REFUSED), "REFUSED");
	assert_string_equal(dvmrp_nbr_state_name(DVMRP_NBR_STATE_COUNT), "?");
	assert_string_equal(dvmrp_nbr_event_name(DVMRP_NBR_EV_UP), "up");
	assert_string_equal(dvmrp_nbr_event_name(DVMRP_NBR_EV_DOWN), "down");
	assert_string_equal(dvmrp_nbr_event_name(DVMRP_NBR_EV_RESTART),
	    "restart");
	assert_string_equal(dvmrp_nbr_event_name(DVMRP_NBR_EV_SEND_REPORT),
	    "send-report");
	assert_string_equal(dvmrp_nbr_event_name(DVMRP_NBR_EV_IGNORED),
	    "ignored");
	assert_string_equal(dvmrp_nbr_event_name(DVMRP_NBR_EV_LIMIT), "limit");
	assert_string_equal(dvmrp_nbr_down_reason_name(DVMRP_NBR_DOWN_EXPIRED),
	    "expired");
	assert_string_equal(dvmrp_nbr_down_reason_name(DVMRP_NBR_DOWN_VIF_DOWN),
	    "vif-down");
	assert_string_equal(dvmrp_nbr_down_reason_name(DVMRP_NBR_DOWN_REFUSED),
	    "refused");
	assert_string_equal(dvmrp_nbr_down_reason_name(DVMRP_NBR_DOWN_ONE_WAY),
	    "one-way");
	assert_string_equal(dvmrp_nbr_refusal_name(DVMRP_NBR_REFUSAL_NONE),
	    "none");
	assert_string_equal(
	    dvmrp_nbr_refusal_name(DVMRP_NBR_REFUSAL_NON_PRUNER), "non-pruner");
	assert_string_equal(
	    dvmrp_nbr_refusal_name(DVMRP_NBR_REFUSAL_OLD_VERSION),
	    "old-version");
	assert_string_equal(dvmrp_nbr_ignored_name(DVMRP_NBR_IGN_NO_VIF),
	    "no-vif");
	assert_string_equal(dvmrp_nbr_ignored_name(DVMRP_NBR_IGN_SELF), "self");
	assert_string_equal(dvmrp_nbr_ignored_name(DVMRP_NBR_IGN_OFF_SUBNET),
	    "off-subnet");
	assert_string_equal(dvmrp_nbr_ignored_name(DVMRP_NBR_IGN_BAD_SOURCE),
	    "bad-source");
	assert_string_equal(dvmrp_nbr_caps_name(0x0f, buf, sizeof(buf)),
	    "leaf,prune,genid,mtrace");
	assert_string_equal(dvmrp_nbr_caps_name(0x0e, buf, sizeof(buf)),
	    "prune,genid,mtrace");
	assert_string_equal(dvmrp_nbr_caps_name(0x30, buf, sizeof(buf)),
	    "snmp,netmask");
	assert_string_equal(dvmrp_nbr_caps_name(0, buf, sizeof(buf)), "none");
	assert_string_equal(dvmrp_nbr_caps_name(0xff, buf, 12), "leaf,prune,");
}

/*
 * Every cell of the state table (draft 3.2; mrouted vif.c): the action
 * and the next state, as the tests below reach them through probes, the
 * clock and VIFs.  The cells no input can reach are unexpected.
 */
static void
test_state_table(void **state)
{
	static const struct {
		enum dvmrp_nbr_state s;
		enum dvmrp_nbr_fsm_event e;
		enum dvmrp_nbr_fsm_action a;
		enum dvmrp_nbr_state next;
	} cells[] = {
		{ DVMRP_NBR_DOWN, NBR_EV_LISTS_US, NBR_ACT_UP,
		    DVMRP_NBR_TWO_WAY },
		{ DVMRP_NBR_DOWN, NBR_EV_OMITS_US, NBR_ACT_ADD,
		    DVMRP_NBR_ONE_WAY },
		{ DVMRP_NBR_DOWN, NBR_EV_OMITS_GRACE, NBR_ACT_UNEXPECTED,
		    DVMRP_NBR_DOWN },
		{ DVMRP_NBR_DOWN, NBR_EV_REFUSED, NBR_ACT_REFUSE,
		    DVMRP_NBR_REFUSED },
		{ DVMRP_NBR_DOWN, NBR_EV_RESTART, NBR_ACT_UNEXPECTED,
		    DVMRP_NBR_DOWN },
		{ DVMRP_NBR_DOWN, NBR_EV_EXPIRED, NBR_ACT_UNEXPECTED,
		    DVMRP_NBR_DOWN },
		{ DVMRP_NBR_DOWN, NBR_EV_VIF_DOWN, NBR_ACT_UNEXPECTED,
		    DVMRP_NBR_DOWN },
		{ DVMRP_NBR_ONE_WAY, NBR_EV_LISTS_US, NBR_ACT_UP,
		    DVMRP_NBR_TWO_WAY },
		{ DVMRP_NBR_ONE_WAY, NBR_EV_OMITS_US, NBR_ACT_REFRESH,
		    DVMRP_NBR_ONE_WAY },
		{ DVMRP_NBR_ONE_WAY, NBR_EV_OMITS_GRACE, NBR_ACT_UNEXPECTED,
		    DVMRP_NBR_ONE_WAY },
		{ DVMRP_NBR_ONE_WAY, NBR_EV_REFUSED, NBR_ACT_REFUSE,
		    DVMRP_NBR_REFUSED },
		{ DVMRP_NBR_ONE_WAY, NBR_EV_RESTART, NBR_ACT_RENEW,
		    DVMRP_NBR_ONE_WAY },
		{ DVMRP_NBR_ONE_WAY, NBR_EV_EXPIRED, NBR_ACT_REMOVE,
		    DVMRP_NBR_DOWN },
		{ DVMRP_NBR_ONE_WAY, NBR_EV_VIF_DOWN, NBR_ACT_REMOVE,
		    DVMRP_NBR_DOWN },
		{ DVMRP_NBR_TWO_WAY, NBR_EV_LISTS_US, NBR_ACT_REFRESH,
		    DVMRP_NBR_TWO_WAY },
		{ DVMRP_NBR_TWO_WAY, NBR_EV_OMITS_US, NBR_ACT_ONE_WAY,
		    DVMRP_NBR_ONE_WAY },
		{ DVMRP_NBR_TWO_WAY, NBR_EV_OMITS_GRACE, NBR_ACT_FORGIVE,
		    DVMRP_NBR_TWO_WAY },
		{ DVMRP_NBR_TWO_WAY, NBR_EV_REFUSED, NBR_ACT_REFUSE,
		    DVMRP_NBR_REFUSED },
		{ DVMRP_NBR_TWO_WAY, NBR_EV_RESTART, NBR_ACT_RESTART,
		    DVMRP_NBR_TWO_WAY },
		{ DVMRP_NBR_TWO_WAY, NBR_EV_EXPIRED, NBR_ACT_REMOVE,
		    DVMRP_NBR_DOWN },
		{ DVMRP_NBR_TWO_WAY, NBR_EV_VIF_DOWN, NBR_ACT_REMOVE,
		    DVMRP_NBR_DOWN },
		{ DVMRP_NBR_REFUSED, NBR_EV_LISTS_US, NBR_ACT_UP,
		    DVMRP_NBR_TWO_WAY },
		{ DVMRP_NBR_REFUSED, NBR_EV_OMITS_US, NBR_ACT_ACCEPT,
		    DVMRP_NBR_ONE_WAY },
		{ DVMRP_NBR_REFUSED, NBR_EV_OMITS_GRACE, NBR_ACT_UNEXPECTED,
		    DVMRP_NBR_REFUSED },
		{ DVMRP_NBR_REFUSED, NBR_EV_REFUSED, NBR_ACT_REFRESH,
		    DVMRP_NBR_REFUSED },
		{ DVMRP_NBR_REFUSED, NBR_EV_RESTART, NBR_ACT_RENEW,
		    DVMRP_NBR_REFUSED },
		{ DVMRP_NBR_REFUSED, NBR_EV_EXPIRED, NBR_ACT_REMOVE,
		    DVMRP_NBR_DOWN },
		{ DVMRP_NBR_REFUSED, NBR_EV_VIF_DOWN, NBR_ACT_REMOVE,
		    DVMRP_NBR_DOWN },
	};
	const struct dvmrp_nbr_transition *t;
	size_t i;

	(void)state;
	assert_int_equal(sizeof(cells) / sizeof(cells[0]),
	    DVMRP_NBR_STATE_COUNT * NBR_EV_COUNT);
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		t = dvmrp_nbr_fsm(cells[i].s, cells[i].e);
		assert_int_equal(t->action, cells[i].a);
		assert_int_equal(t->next, cells[i].next);
		assert_string_not_equal(dvmrp_nbr_fsm_event_name(cells[i].e),
		    "?");
	}
	t = dvmrp_nbr_fsm(DVMRP_NBR_STATE_COUNT, NBR_EV_LISTS_US);
	assert_int_equal(t->action, NBR_ACT_UNEXPECTED);
	t = dvmrp_nbr_fsm(DVMRP_NBR_DOWN, NBR_EV_COUNT);
	assert_int_equal(t->action, NBR_ACT_UNEXPECTED);
}

/* Our first probe when the VIF comes up, then one every 10 s exactly. */
static void
test_probe_contents_and_period(void **state)
{
	struct fx *f = fx_new(NULL);
	struct dvmrp_nbr_vif_view vv;
	const struct rec *r = &f->r[0];
	char a[INET_ADDRSTRLEN];

	(void)state;
	assert_int_equal(f->nr, 1);
	assert_int_equal(r->o.kind, DVMRP_NBR_OUT_PROBE);
	assert_int_equal(r->o.vif, 0);
	assert_string_equal(name(r->o.src, a), "A");
	assert_string_equal(name(r->o.dst, a), "224.0.0.4");
	assert_int_equal(r->o.genid, GENID);
	assert_int_equal(r->o.caps, 0x0e);
	assert_int_equal(r->o.major, 3);
	assert_int_equal(r->o.minor, 255);
	assert_int_equal(r->o.nneighbors, 0);
	assert_int_equal(dvmrp_nbr_next_deadline(f->n), T0 + 10000);
	at(f, 9999);
	assert_string_equal(took(f), "0 probe vif=0 caps=0e []");
	at(f, 60000);
	assert_string_equal(took(f),
	    "10000 probe vif=0 caps=0e []; 20000 probe vif=0 caps=0e []; "
	    "30000 probe vif=0 caps=0e []; 40000 probe vif=0 caps=0e []; "
	    "50000 probe vif=0 caps=0e []; 60000 probe vif=0 caps=0e []");
	assert_int_equal(stats(f)->probes_sent, 7);
	assert_int_equal(stats(f)->probes_sent_extra, 0);
	assert_int_equal(dvmrp_nbr_vif(f->n, 0, &vv), 0);
	assert_true(vv.up);
	assert_int_equal(vv.caps, 0x0e);
	assert_int_equal(vv.next_probe, T0 + 70000);
	assert_int_equal(vv.last_probe, T0 + 60000);
	assert_int_equal(vv.prefix_len, 24);
	/* A late timeout: one probe, and the grid kept. */
	f->now = T0 + 95000;
	dvmrp_nbr_timeout(f->n, f->now);
	collect(f);
	assert_string_equal(took(f), "95000 probe vif=0 caps=0e []");
	assert_int_equal(dvmrp_nbr_next_deadline(f->n), T0 + 100000);
	/* Up again with the same address: nothing; another VIF: its own. */
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 0, A("A"), 24), 0);
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 1, A("A1"), 24), 0);
	collect(f);
	assert_string_equal(took(f), "95000 probe vif=1 caps=0e []");
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 32, A("A1"), 24),
	    -EINVAL);
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 2, A("A1"), 33),
	    -EINVAL);
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 2, A("224.0.0.4"), 24),
	    -EINVAL);
	assert_int_equal(dvmrp_nbr_vif(f->n, 32, &vv), -EINVAL);
	assert_int_equal(dvmrp_nbr_vif(f->n, 2, &vv), 0);
	assert_false(vv.up);
	assert_int_equal(vv.next_probe, MC_TIME_NEVER);
	fx_free(f);
}

/* A new neighbour that does not list us yet is answered at once. */
static void
test_new_neighbor_answered(void **state)
{
	struct fx *f = fx_new(NULL);
	struct dvmrp_nbr_view v;

	(void)state;
	at(f, 2500);
	probe(f, "B", 100, "");
	assert_int_equal(st(f, 0, "B"), DVMRP_NBR_ONE_WAY);
	assert_string_equal(took(f),
	    "0 probe vif=0 caps=0e []; "
	    "2500 probe vif=0 caps=0e [B]");
	/* Its answer lists us: two-way; it has our probe: the report now. */
	at(f, 2502);
	probe(f, "B", 100, "A");
	assert_string_equal(took(f),
	    "2502 up vif=0 B ONE_WAY->TWO_WAY; "
	    "2502 send-report vif=0 B");
	v = view(f, 0, "B");
	assert_int_equal(v.state, DVMRP_NBR_TWO_WAY);
	assert_int_equal(v.genid, 100);
	assert_int_equal(v.caps, 0x0e);
	assert_int_equal(v.major, 3);
	assert_int_equal(v.minor, 255);
	assert_int_equal(v.since, T0 + 2500);
	assert_int_equal(v.up_since, T0 + 2502);
	assert_int_equal(v.last_probe, T0 + 2502);
	assert_int_equal(v.last_listed_us, T0 + 2502);
	assert_int_equal(v.expires, T0 + 2502 + 35000);
	assert_int_equal(v.probes, 2);
	assert_int_equal(v.restarts, 0);
	assert_int_equal(v.grace_until, 0);
	assert_int_equal(stats(f)->adjacencies, 1);
	assert_int_equal(stats(f)->two_way, 1);
	assert_int_equal(stats(f)->neighbors, 1);
	assert_int_equal(stats(f)->reports_requested, 1);
	assert_int_equal(stats(f)->probes_sent_extra, 1);
	/* Steady: its probes change nothing; ours list it, leaf bit on. */
	at(f, 12502);
	probe(f, "B", 100, "A");
	assert_string_equal(took(f), "10000 probe vif=0 caps=0f [B]");
	assert_int_equal(f->ntrace, 2 + 1); /* vif up, DOWN->ONE_WAY, ->TWO */
	assert_string_equal(f->trace[0], "vif 0: DVMRP up on 198.18.2.1/24");
	assert_string_equal(f->trace[1],
	    "vif 0 198.18.2.2: DOWN -> ONE_WAY on probe without us");
	assert_string_equal(f->trace[2],
	    "vif 0 198.18.2.2: ONE_WAY -> TWO_WAY on probe listing us");
	assert_int_equal(dvmrp_nbr_find(f->n, 0, A("C"), &v), -ENOENT);
	assert_int_equal(dvmrp_nbr_find(f->n, 40, A("B"), &v), -ENOENT);
	fx_free(f);
}

/* At most one extra probe per hold-off; news share a held probe; the
   periodic probe takes the place of one held past it. */
static void
test_probe_holdoff(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	at(f, 300);
	probe(f, "B", 1, "");
	at(f, 600);
	probe(f, "C", 1, "");
	assert_string_equal(took(f),
	    "0 probe vif=0 caps=0e []; "
	    "300 probe vif=0 caps=0e [B]");
	assert_int_equal(dvmrp_nbr_next_deadline(f->n), T0 + 1300);
	at(f, 900);
	probe(f, "D", 1, "");
	at(f, 1299);
	assert_string_equal(took(f), "");
	at(f, 1300);
	assert_string_equal(took(f), "1300 probe vif=0 caps=0e [B,C,D]");
	assert_int_equal(stats(f)->probes_held, 1);
	assert_int_equal(stats(f)->probes_sent_extra, 2);
	/* Past the hold-off: at once again. */
	at(f, 9000);
	probe(f, "E", 1, "");
	assert_string_equal(took(f), "9000 probe vif=0 caps=0e [B,C,D,E]");
	/* Held until 10000 = the periodic probe: that one carries it. */
	at(f, 9500);
	probe_full(f, 0, "198.18.2.6", 1, 0x0e, 3, 255, "");
	at(f, 10000);
	assert_string_equal(took(f),
	    "10000 probe vif=0 caps=0e [B,C,D,E,198.18.2.6]");
	assert_int_equal(stats(f)->probes_held, 1);
	assert_int_equal(stats(f)->probes_sent_extra, 3);
	assert_int_equal(stats(f)->probes_sent, 5);
	assert_int_equal(dvmrp_nbr_next_deadline(f->n), T0 + 20000);
	fx_free(f);
}

/* probe_new_neighbors off (mrouted): a new neighbour waits for the
   periodic probe; an adjacency is still answered at once, as mrouted
   answers "peering up" with a probe and its report. */
static void
test_probe_new_neighbors_off(void **state)
{
	struct dvmrp_nbr_config c;
	struct fx *f;

	(void)state;
	dvmrp_nbr_config_defaults(&c);
	c.probe_new_neighbors = false;
	f = fx_new(&c);
	at(f, 2500);
	probe(f, "B", 1, "");
	assert_string_equal(took(f), "0 probe vif=0 caps=0e []");
	at(f, 10000);
	assert_string_equal(took(f), "10000 probe vif=0 caps=0e [B]");
	at(f, 10001);
	probe(f, "C", 1, "A"); /* new and two-way at once */
	assert_string_equal(took(f),
	    "10001 up vif=0 C DOWN->TWO_WAY; "
	    "10001 probe vif=0 caps=0f [B,C]; "
	    "10001 send-report vif=0 C");
	fx_free(f);
}

/* Two-way from both sides: first heard listing us, or first without. */
static void
test_two_way_both_sides(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	/* It heard us first: its first probe lists us.  Up at once, our
	   probe listing it, then the report (it knows us by then). */
	two_way_b(f);
	/* We heard it first: one-way, our answer, then two-way. */
	at(f, 3000);
	probe(f, "C", 7, "");
	assert_string_equal(took(f), "3000 probe vif=0 caps=0f [B,C]");
	probe(f, "C", 7, "B"); /* lists B, not us: still one-way */
	assert_string_equal(took(f), "");
	assert_int_equal(st(f, 0, "C"), DVMRP_NBR_ONE_WAY);
	probe(f, "C", 7, "B,A");
	assert_string_equal(took(f),
	    "3000 up vif=0 C ONE_WAY->TWO_WAY; "
	    "3000 send-report vif=0 C");
	assert_int_equal(stats(f)->two_way, 2);
	fx_free(f);
}

/* Expiry at exactly 35 s after the last probe; other DVMRP messages
   keep a two-way neighbour alive, not a one-way one. */
static void
test_expiry(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	two_way_b(f);
	at(f, 1500);
	probe(f, "C", 1, "");
	took(f);
	/* A report from B at 20 s restarts its timeout; one from C does not
	   count (not a neighbour yet), nor one from a stranger. */
	at(f, 20000);
	assert_true(dvmrp_nbr_heard(f->n, f->now, 0, A("B")));
	assert_false(dvmrp_nbr_heard(f->n, f->now, 0, A("C")));
	assert_false(dvmrp_nbr_heard(f->n, f->now, 0, A("D")));
	assert_false(dvmrp_nbr_heard(f->n, f->now, 1, A("B")));
	assert_false(dvmrp_nbr_heard(f->n, f->now, 99, A("B")));
	assert_int_equal(view(f, 0, "B").expires, T0 + 55000);
	assert_int_equal(view(f, 0, "C").expires, T0 + 36500);
	at(f, 36499);
	took(f);
	assert_int_equal(st(f, 0, "C"), DVMRP_NBR_ONE_WAY);
	at(f, 36500);
	assert_string_equal(took(f),
	    "36500 down vif=0 C ONE_WAY->DOWN expired");
	at(f, 54999);
	assert_int_equal(st(f, 0, "B"), DVMRP_NBR_TWO_WAY);
	took(f);
	at(f, 55000);
	assert_string_equal(took(f),
	    "55000 down vif=0 B TWO_WAY->DOWN expired");
	assert_int_equal(stats(f)->down[DVMRP_NBR_DOWN_EXPIRED], 2);
	assert_int_equal(stats(f)->neighbors, 0);
	assert_int_equal(stats(f)->two_way, 0);
	/* The leaf bit went with it. */
	at(f, 60000);
	assert_string_equal(took(f), "60000 probe vif=0 caps=0e []");
	/* Back: a new neighbour. */
	probe(f, "B", 100, "A");
	assert_string_equal(took(f),
	    "60000 up vif=0 B DOWN->TWO_WAY; "
	    "60000 probe vif=0 caps=0f [B]; "
	    "60000 send-report vif=0 B");
	fx_free(f);
}

/* A new GenID: RESTART, our probe at once, then the report; two-way kept
   for the grace while its probes leave us out, one-way after. */
static void
test_genid_change(void **state)
{
	struct fx *f = fx_new(NULL);
	struct dvmrp_nbr_view v;

	(void)state;
	two_way_b(f);
	at(f, 5000);
	probe(f, "B", 101, "");
	assert_string_equal(took(f),
	    "5000 restart vif=0 B genid 100->101; "
	    "5000 probe vif=0 caps=0f [B]; "
	    "5000 send-report vif=0 B");
	v = view(f, 0, "B");
	assert_int_equal(v.state, DVMRP_NBR_TWO_WAY);
	assert_int_equal(v.genid, 101);
	assert_int_equal(v.restarts, 1);
	assert_int_equal(v.since, T0 + 5000);
	assert_int_equal(v.up_since, T0 + 1000);
	assert_int_equal(v.grace_until, T0 + 25000);
	assert_int_equal(stats(f)->restarts, 1);
	/* Its restart probe left us out, forgiven; the next one too. */
	assert_int_equal(stats(f)->restart_grace, 1);
	at(f, 15000);
	probe(f, "B", 101, "");
	assert_int_equal(st(f, 0, "B"), DVMRP_NBR_TWO_WAY);
	assert_int_equal(stats(f)->restart_grace, 2);
	assert_string_equal(took(f), "10000 probe vif=0 caps=0f [B]");
	/* At the grace's end: it lost us.  DOWN one-way and our probe. */
	at(f, 25000);
	probe(f, "B", 101, "");
	assert_string_equal(took(f),
	    "20000 probe vif=0 caps=0f [B]; "
	    "25000 down vif=0 B TWO_WAY->ONE_WAY "
	    "one-way; "
	    "25000 probe vif=0 caps=0e [B]");
	assert_int_equal(view(f, 0, "B").up_since, 0);
	assert_int_equal(view(f, 0, "B").grace_until, 0);
	/* Listed again: up, and the report (it has our probe). */
	probe(f, "B", 101, "A");
	assert_string_equal(took(f),
	    "25000 up vif=0 B ONE_WAY->TWO_WAY; "
	    "25000 send-report vif=0 B");
	/* A restart whose first probe lists us (it heard us already): no
	   grace needed; a version change is a restart too. */
	at(f, 26000);
	probe_full(f, 0, "B", 101, 0x0e, 3, 0xfe, "A");
	assert_string_equal(took(f),
	    "26000 restart vif=0 B genid 101->101; "
	    "26000 probe vif=0 caps=0f [B]; "
	    "26000 send-report vif=0 B");
	assert_int_equal(view(f, 0, "B").grace_until, 0);
	assert_int_equal(view(f, 0, "B").minor, 0xfe);
	/* The restart's probe held back by the hold-off: the report waits
	   for it. */
	at(f, 26300);
	probe(f, "B", 102, "");
	assert_string_equal(took(f), "26300 restart vif=0 B genid 101->102");
	at(f, 27000);
	assert_string_equal(took(f),
	    "27000 probe vif=0 caps=0f [B]; "
	    "27000 send-report vif=0 B");
	assert_int_equal(stats(f)->restarts, 3);
	assert_int_equal(stats(f)->down[DVMRP_NBR_DOWN_ONE_WAY], 1);
	fx_free(f);
}

/* A one-way or refused neighbour that restarts is simply new again. */
static void
test_restart_other_states(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	at(f, 2000);
	probe(f, "B", 1, "");
	took(f);
	at(f, 4000);
	probe(f, "B", 2, "");
	assert_string_equal(took(f), "4000 probe vif=0 caps=0e [B]");
	assert_int_equal(view(f, 0, "B").restarts, 1);
	assert_int_equal(view(f, 0, "B").since, T0 + 4000);
	probe_full(f, 0, "C", 1, 0x0c, 3, 255, "A"); /* refused */
	took(f);
	at(f, 6000);
	probe_full(f, 0, "C", 2, 0x0c, 3, 255, "A");
	assert_string_equal(took(f), "");
	assert_int_equal(st(f, 0, "C"), DVMRP_NBR_REFUSED);
	assert_int_equal(view(f, 0, "C").restarts, 1);
	assert_int_equal(stats(f)->restarts, 2);
	fx_free(f);
}

/* Non-pruners refused unless configured; mrouted 3.0-3.4 exempt; before
   3.0 always refused; a refused neighbour is never listed. */
static void
test_refusals(void **state)
{
	struct dvmrp_nbr_config c;
	struct fx *f = fx_new(NULL);

	(void)state;
	at(f, 1000);
	probe_full(f, 0, "B", 1, DVMRP_CAP_GENID | DVMRP_CAP_MTRACE, 3, 255,
	    "A");
	assert_string_equal(took(f),
	    "0 probe vif=0 caps=0e []; "
	    "1000 down vif=0 B DOWN->REFUSED "
	    "refused/non-pruner");
	assert_int_equal(view(f, 0, "B").refusal, DVMRP_NBR_REFUSAL_NON_PRUNER);
	assert_false(dvmrp_nbr_heard(f->n, f->now, 0, A("B")));
	/* Refused again: counted once. */
	probe_full(f, 0, "B", 1, 0x0c, 3, 255, "A");
	assert_string_equal(took(f), "");
	assert_int_equal(stats(f)->refused_non_pruner, 1);
	/* mrouted 3.4 pruned before the bit existed: accepted. */
	probe_full(f, 0, "C", 1, 0x00, 3, 4, "A");
	assert_string_equal(took(f),
	    "1000 up vif=0 C DOWN->TWO_WAY; "
	    "1000 probe vif=0 caps=0f [C]; "
	    "1000 send-report vif=0 C");
	/* Before 3.0: refused, whatever its bits. */
	probe_full(f, 0, "D", 1, 0x0e, 2, 255, "A");
	assert_string_equal(took(f),
	    "1000 down vif=0 D DOWN->REFUSED "
	    "refused/old-version");
	/* A two-way neighbour that stops announcing prunes. */
	at(f, 2000);
	probe_full(f, 0, "C", 1, 0x0c, 3, 255, "A");
	assert_string_equal(took(f),
	    "2000 restart vif=0 C genid 1->1; "
	    "2000 down vif=0 C TWO_WAY->REFUSED "
	    "refused/non-pruner; 2000 probe vif=0 caps=0e []");
	assert_int_equal(stats(f)->two_way, 0);
	/* Configured to accept non-pruners: B and C are in at their next
	   probe; D stays out. */
	dvmrp_nbr_config_defaults(&c);
	c.accept_non_pruners = true;
	assert_int_equal(dvmrp_nbr_reconfigure(f->n, &c), 0);
	at(f, 10000);
	probe_full(f, 0, "B", 1, 0x0c, 3, 255, "A");
	at(f, 10001);
	probe_full(f, 0, "C", 1, 0x0c, 3, 255, "");
	at(f, 10002);
	probe_full(f, 0, "D", 1, 0x0c, 2, 255, "A");
	assert_string_equal(took(f),
	    "10000 probe vif=0 caps=0e []; "
	    "10000 up vif=0 B REFUSED->TWO_WAY; "
	    "10000 probe vif=0 caps=0f [B]; "
	    "10000 send-report vif=0 B");
	/* C, one-way now, is answered when the hold-off ends (11000). */
	assert_int_equal(st(f, 0, "C"), DVMRP_NBR_ONE_WAY);
	assert_int_equal(st(f, 0, "D"), DVMRP_NBR_REFUSED);
	assert_int_equal(view(f, 0, "B").refusal, DVMRP_NBR_REFUSAL_NONE);
	assert_int_equal(stats(f)->refused_non_pruner, 2);
	assert_int_equal(stats(f)->refused_old_version, 1);
	assert_int_equal(stats(f)->down[DVMRP_NBR_DOWN_REFUSED], 3);
	/* A refused neighbour expires like any other. */
	at(f, 45002);
	assert_string_equal(took(f),
	    "11000 probe vif=0 caps=0f [B,C]; "
	    "20000 probe vif=0 caps=0f [B,C]; 30000 probe vif=0 caps=0f [B,C]; "
	    "40000 probe vif=0 caps=0f [B,C]; "
	    "45000 down vif=0 B TWO_WAY->DOWN expired; "
	    "45001 down vif=0 C ONE_WAY->DOWN expired; "
	    "45002 down vif=0 D REFUSED->DOWN expired");
	c.probe_interval_ms = 0;
	assert_int_equal(dvmrp_nbr_reconfigure(f->n, &c), -EINVAL);
	fx_free(f);
}

/* Probes that cannot come from a neighbour: counted and dropped. */
static void
test_ignored(void **state)
{
	struct fx *f = fx_new(NULL);
	struct dvmrp_probe_in p = { .from = A("B"), .major = 3 };

	(void)state;
	took(f);
	probe(f, "A", 1, "");
	probe(f, "198.18.9.9", 1, "");
	probe(f, "0.0.0.0", 1, "");
	probe(f, "198.18.2.0", 1, "");
	probe(f, "198.18.2.255", 1, "");
	probe(f, "224.0.0.4", 1, "");
	probe(f, "240.0.0.1", 1, "");
	probe(f, "127.0.0.1", 1, "");
	probe_full(f, 5, "B", 1, 0x0e, 3, 255, "");
	probe_full(f, 32, "B", 1, 0x0e, 3, 255, "");
	assert_string_equal(took(f),
	    "0 ignored vif=0 A self; 0 ignored vif=0 198.18.9.9 off-subnet; "
	    "0 ignored vif=0 0.0.0.0 bad-source; "
	    "0 ignored vif=0 198.18.2.0 bad-source; "
	    "0 ignored vif=0 198.18.2.255 bad-source; "
	    "0 ignored vif=0 224.0.0.4 bad-source; "
	    "0 ignored vif=0 240.0.0.1 bad-source; "
	    "0 ignored vif=0 127.0.0.1 bad-source; "
	    "0 ignored vif=5 B no-vif");
	assert_int_equal(stats(f)->rx_probes, 10);
	assert_int_equal(stats(f)->rx_ignored[DVMRP_NBR_IGN_SELF], 1);
	assert_int_equal(stats(f)->rx_ignored[DVMRP_NBR_IGN_OFF_SUBNET], 1);
	assert_int_equal(stats(f)->rx_ignored[DVMRP_NBR_IGN_BAD_SOURCE], 6);
	assert_int_equal(stats(f)->rx_ignored[DVMRP_NBR_IGN_NO_VIF], 2);
	assert_int_equal(stats(f)->neighbors, 0);
	/* A /31 has no subnet or broadcast address; prefix 0 takes any
	   unicast source (a tunnel). */
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 1, A("198.18.4.0"), 31),
	    0);
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 2, A("198.18.5.1"), 0),
	    0);
	collect(f);
	took(f);
	probe_full(f, 1, "198.18.4.1", 1, 0x0e, 3, 255, "");
	probe_full(f, 2, "203.0.113.9", 1, 0x0e, 3, 255, "");
	assert_int_equal(st(f, 1, "198.18.4.1"), DVMRP_NBR_ONE_WAY);
	assert_int_equal(st(f, 2, "203.0.113.9"), DVMRP_NBR_ONE_WAY);
	/* A list pointer missing: the caller's error, counted. */
	p.nneighbors = 1;
	dvmrp_nbr_probe_input(f->n, f->now, 0, &p);
	dvmrp_nbr_probe_input(f->n, f->now, 0, NULL);
	assert_int_equal(stats(f)->unexpected_events, 2);
	assert_int_equal(stats(f)->rx_probes, 12);
	dvmrp_nbr_free(f->n);
	free(f);
}

/* The neighbour cap per VIF; the list cap per probe. */
static void
test_limits(void **state)
{
	struct dvmrp_nbr_config c;
	struct fx *f;

	(void)state;
	dvmrp_nbr_config_defaults(&c);
	c.max_neighbors_per_vif = 3;
	c.max_probe_neighbors = 2;
	f = fx_new(&c);
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 1, A("A1"), 24), 0);
	collect(f);
	took(f);
	probe(f, "B", 1, "");
	probe(f, "C", 1, "");
	probe(f, "D", 1, "");
	probe(f, "E", 1, "");
	probe_full(f, 1, "F", 1, 0x0e, 3, 255, "A1");
	assert_string_equal(took(f),
	    "0 probe vif=0 caps=0e [B]; 0 limit vif=0 E; "
	    "0 up vif=1 F DOWN->TWO_WAY; "
	    "0 probe vif=1 caps=0f [F]; 0 send-report vif=1 F");
	assert_int_equal(stats(f)->limit_neighbors, 1);
	assert_int_equal(stats(f)->neighbors, 4);
	assert_int_equal(st(f, 0, "E"), DVMRP_NBR_DOWN);
	/* Three on vif 0, two listed, the cut counted. */
	at(f, 1000);
	assert_string_equal(took(f), "1000 probe vif=0 caps=0e [B,C]");
	assert_int_equal(stats(f)->probe_list_truncated, 1);
	/* Room again when one goes. */
	at(f, 20000);
	probe(f, "C", 1, "");
	probe(f, "D", 1, "");
	took(f);
	at(f, 35000);
	assert_string_equal(took(f),
	    "30000 probe vif=0 caps=0e [B,C]; 30000 probe vif=1 caps=0f [F]; "
	    "35000 down vif=0 B ONE_WAY->DOWN expired; "
	    "35000 down vif=1 F TWO_WAY->DOWN expired");
	probe(f, "E", 1, "");
	assert_string_equal(took(f), "35000 probe vif=0 caps=0e [C,D]");
	assert_int_equal(st(f, 0, "E"), DVMRP_NBR_ONE_WAY);
	assert_true(dvmrp_nbr_memory(f->n) > sizeof(struct dvmrp_nbr));
	fx_free(f);
}

/* A VIF down drops its neighbours (with their states before), stops its
   probes, and ignores its probes; up again starts afresh. */
static void
test_vif_down(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 1, A("A1"), 24), 0);
	collect(f);
	at(f, 1000);
	probe(f, "B", 1, "A");
	probe(f, "C", 1, "");
	probe_full(f, 1, "F", 1, 0x0e, 3, 255, "A1");
	took(f);
	assert_int_equal(dvmrp_nbr_caps(f->n, 0), 0x0e); /* two VIFs */
	at(f, 5000);
	dvmrp_nbr_vif_down(f->n, f->now, 0);
	collect(f);
	assert_string_equal(took(f),
	    "2000 probe vif=0 caps=0e [B,C]; "
	    "5000 down vif=0 B TWO_WAY->DOWN vif-down; "
	    "5000 down vif=0 C ONE_WAY->DOWN vif-down");
	assert_int_equal(stats(f)->down[DVMRP_NBR_DOWN_VIF_DOWN], 2);
	assert_int_equal(stats(f)->neighbors, 1);
	assert_int_equal(dvmrp_nbr_caps(f->n, 1), 0x0f);
	probe(f, "B", 1, "A");
	assert_string_equal(took(f), "5000 ignored vif=0 B no-vif");
	at(f, 20000);
	assert_string_equal(took(f),
	    "10000 probe vif=1 caps=0f [F]; "
	    "20000 probe vif=1 caps=0f [F]");
	dvmrp_nbr_vif_down(f->n, f->now, 0); /* again: nothing */
	dvmrp_nbr_vif_down(f->n, f->now, 40);
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 0, A("A"), 24), 0);
	collect(f);
	assert_string_equal(took(f), "20000 probe vif=0 caps=0e []");
	/* A new address is down then up. */
	at(f, 21000);
	probe(f, "B", 1, "");
	took(f);
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 0, A("D"), 24), 0);
	collect(f);
	assert_string_equal(took(f),
	    "21000 down vif=0 B ONE_WAY->DOWN vif-down; "
	    "21000 probe vif=0 caps=0e []");
	fx_free(f);
}

/* The leaf bit: two-way neighbours on exactly one VIF, on that VIF. */
static void
test_leaf_bit(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	assert_int_equal(dvmrp_nbr_vif_up(f->n, f->now, 1, A("A1"), 24), 0);
	collect(f);
	assert_int_equal(dvmrp_nbr_caps(f->n, 0), 0x0e);
	probe(f, "B", 1, ""); /* one-way does not count */
	assert_int_equal(dvmrp_nbr_caps(f->n, 0), 0x0e);
	probe(f, "B", 1, "A");
	assert_int_equal(dvmrp_nbr_caps(f->n, 0), 0x0f);
	assert_int_equal(dvmrp_nbr_caps(f->n, 1), 0x0e);
	assert_int_equal(dvmrp_nbr_caps(f->n, 99), 0x0e);
	probe_full(f, 1, "F", 1, 0x0e, 3, 255, "A1");
	assert_int_equal(dvmrp_nbr_caps(f->n, 0), 0x0e);
	assert_int_equal(dvmrp_nbr_caps(f->n, 1), 0x0e);
	at(f, 10000);
	assert_string_equal(took(f),
	    "0 probe vif=0 caps=0e []; 0 probe vif=1 caps=0e []; "
	    "0 probe vif=0 caps=0e [B]; 0 up vif=0 B ONE_WAY->TWO_WAY; "
	    "0 send-report vif=0 B; 0 up vif=1 F DOWN->TWO_WAY; "
	    "0 probe vif=1 caps=0e [F]; 0 send-report vif=1 F; "
	    "10000 probe vif=0 caps=0e [B]; 10000 probe vif=1 caps=0e [F]");
	dvmrp_nbr_vif_down(f->n, f->now, 1);
	collect(f);
	took(f);
	assert_int_equal(dvmrp_nbr_caps(f->n, 0), 0x0f);
	fx_free(f);
}

/* Freed with neighbours and outputs pending: nothing leaks (ASan). */
static void
test_free_pending(void **state)
{
	struct dvmrp_nbr_config c;
	struct dvmrp_nbr *n;
	struct in_addr me, from;
	struct dvmrp_probe_in p = { .caps = 0x0e, .major = 3, .minor = 255 };
	unsigned vif, i;

	(void)state;
	dvmrp_nbr_config_defaults(&c);
	n = dvmrp_nbr_new(&c, 7, 1, NULL, NULL);
	assert_non_null(n);
	for (vif = 0; vif < DVMRP_NBR_MAX_VIFS; vif++) {
		me.s_addr = htonl(0x0a000001u | vif << 8);
		assert_int_equal(dvmrp_nbr_vif_up(n, 0, vif, me, 24), 0);
		for (i = 2; i < 100; i++) {
			from.s_addr = htonl(0x0a000000u | vif << 8 | i);
			p.from = from;
			p.neighbors = &me;
			p.nneighbors = i % 2;
			dvmrp_nbr_probe_input(n, i, vif, &p);
		}
	}
	/* Capped at 64 per VIF. */
	assert_int_equal(dvmrp_nbr_stats(n)->neighbors,
	    64 * DVMRP_NBR_MAX_VIFS);
	assert_int_equal(dvmrp_nbr_stats(n)->limit_neighbors,
	    34 * DVMRP_NBR_MAX_VIFS);
	assert_int_equal(dvmrp_nbr_stats(n)->two_way, 32 * DVMRP_NBR_MAX_VIFS);
	assert_true(dvmrp_nbr_memory(n) <
	    sizeof(struct dvmrp_nbr) + 64 * DVMRP_NBR_MAX_VIFS * 256);
	dvmrp_nbr_free(n);
	dvmrp_nbr_free(NULL);
}

/* ------------------------------------------------------------------ */
/* Two engines on one LAN: adjacency time                              */

#define LINK_MS 1 /* one way, on the simulated LAN */

struct sim_router {
	struct dvmrp_nbr *n;
	struct in_addr me;
	mc_time_t started; /* MC_TIME_NEVER: not yet */
	mc_time_t two_way; /* its UP event */
};

struct sim_pkt {
	mc_time_t at;
	int to;
	struct dvmrp_probe_in p;
	struct in_addr list[8];
};

struct sim {
	struct sim_router r[2];
	struct sim_pkt q[64];
	size_t nq;
};

static void
sim_drain(struct sim *s, int i, mc_time_t now)
{
	struct dvmrp_nbr_output o;
	struct sim_pkt *k;
	size_t j;

	while (dvmrp_nbr_output(s->r[i].n, &o)) {
		if (o.kind == DVMRP_NBR_OUT_EVENT) {
			if (o.event == DVMRP_NBR_EV_UP &&
			    s->r[i].two_way == MC_TIME_NEVER)
				s->r[i].two_way = now;
			continue;
		}
		/* A probe for the other router, LINK_MS later. */
		if (s->r[1 - i].started == MC_TIME_NEVER)
			continue;
		assert_true(s->nq < 64);
		k = &s->q[s->nq++];
		memset(k, 0, sizeof(*k));
		k->at = now + LINK_MS;
		k->to = 1 - i;
		k->p.from = o.src;
		k->p.genid = o.genid;
		k->p.caps = o.caps;
		k->p.major = o.major;
		k->p.minor = o.minor;
		for (j = 0; j < o.nneighbors && j < 8; j++)
			k->list[j] = o.neighbors[j];
		k->p.nneighbors = j;
		k->p.neighbors = k->list;
	}
}

/*
 * Router 0 starts at 0, router 1 at `second`; fast[i]: probe_new_neighbors.
 * Runs until both are two-way (or 60 s); the time from the second start
 * to adjacency (both two-way), in ms.
 */
static mc_time_t
sim_adjacency(bool fast0, bool fast1, mc_time_t second)
{
	const bool fast[2] = { fast0, fast1 };
	const mc_time_t start[2] = { 0, second };
	struct dvmrp_nbr_config c;
	struct sim s;
	mc_time_t now, next, d;
	size_t j;
	int i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < 2; i++) {
		dvmrp_nbr_config_defaults(&c);
		c.probe_new_neighbors = fast[i];
		s.r[i].n = dvmrp_nbr_new(&c, 1000u + (unsigned)i, (unsigned)i,
		    NULL, NULL);
		assert_non_null(s.r[i].n);
		s.r[i].me = A(i == 0 ? "A" : "B");
		s.r[i].started = MC_TIME_NEVER;
		s.r[i].two_way = MC_TIME_NEVER;
	}
	now = 0;
	while (now <= 60000 &&
	    (s.r[0].two_way == MC_TIME_NEVER ||
		s.r[1].two_way == MC_TIME_NEVER)) {
		/* Both listen before either speaks. */
		for (i = 0; i < 2; i++)
			if (s.r[i].started == MC_TIME_NEVER && start[i] <= now)
				s.r[i].started = now;
		for (i = 0; i < 2; i++) {
			if (s.r[i].started == now)
				assert_int_equal(dvmrp_nbr_vif_up(s.r[i].n, now,
						     0, s.r[i].me, 24),
				    0);
			if (s.r[i].started != MC_TIME_NEVER) {
				dvmrp_nbr_timeout(s.r[i].n, now);
				sim_drain(&s, i, now);
			}
		}
		for (j = 0; j < s.nq;) {
			if (s.q[j].at > now) {
				j++;
				continue;
			}
			i = s.q[j].to;
			dvmrp_nbr_probe_input(s.r[i].n, now, 0, &s.q[j].p);
			sim_drain(&s, i, now);
			s.q[j] = s.q[--s.nq];
			if (j < s.nq)
				s.q[j].p.neighbors = s.q[j].list;
		}
		/* The next thing to happen. */
		next = MC_TIME_NEVER;
		for (i = 0; i < 2; i++) {
			if (s.r[i].started == MC_TIME_NEVER)
				next = mc_time_min(next, start[i]);
			else
				next = mc_time_min(next,
				    dvmrp_nbr_next_deadline(s.r[i].n));
		}
		for (j = 0; j < s.nq; j++)
			next = mc_time_min(next, s.q[j].at);
		d = next > now ? next : now + 1;
		now = d;
	}
	for (i = 0; i < 2; i++)
		dvmrp_nbr_free(s.r[i].n);
	if (s.r[0].two_way == MC_TIME_NEVER || s.r[1].two_way == MC_TIME_NEVER)
		return MC_TIME_NEVER;
	return (s.r[0].two_way > s.r[1].two_way ? s.r[0].two_way :
						  s.r[1].two_way) -
	    second;
}

/*
 * What answering at once gains.  The second router starts 3.7 s after the
 * first; adjacency is counted from its start until both are two-way.
 */
static void
test_pair_adjacency(void **state)
{
	(void)state;
	/* Two of ours: its first probe is answered, it answers that: three
	   one-millisecond hops. */
	assert_int_equal(sim_adjacency(true, true, 3700), 3);
	assert_true(sim_adjacency(true, true, 3700) <= 1000);
	/* Two mrouted-like peers: the first one lists the newcomer only at
	   its 10 s tick (10000 - 3700), then two hops. */
	assert_int_equal(sim_adjacency(false, false, 3700), 6302);
	/* mrouted-like newcomer next to us: we answer its first probe. */
	assert_int_equal(sim_adjacency(true, false, 3700), 3);
	/* We start next to an mrouted-like router: it is silent until its
	   tick; our answer comes at once then. */
	assert_int_equal(sim_adjacency(false, true, 3700), 6302);
	/* Both at once (the capture: 10 s for two mrouted 4.6). */
	assert_int_equal(sim_adjacency(true, true, 0), 2);
	assert_int_equal(sim_adjacency(false, false, 0), 10001);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_state_table),
		cmocka_unit_test(test_probe_contents_and_period),
		cmocka_unit_test(test_new_neighbor_answered),
		cmocka_unit_test(test_probe_holdoff),
		cmocka_unit_test(test_probe_new_neighbors_off),
		cmocka_unit_test(test_two_way_both_sides),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_genid_change),
		cmocka_unit_test(test_restart_other_states),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_vif_down),
		cmocka_unit_test(test_leaf_bit),
		cmocka_unit_test(test_free_pending),
		cmocka_unit_test(test_pair_adjacency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
