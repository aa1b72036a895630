/* Unit tests of the DVMRP prune and graft engine (proto/dvmrp_prune.c) on a fake clock. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "dvmrp_prune.h"

#define UP_VIF	 0
#define DOWN_VIF 1

static struct in_addr
A(const char *s) {
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

struct fx {
	struct mc_rng rng;
	struct dvmrp_prune_config c;
	struct dvmrp_prune *p;
	mc_time_t now;
};

static struct in_addr origin, mask, group, upnbr, d1, d2;

static void
fx_init(struct fx *f, uint32_t lifetime_s)
{
	origin = A("198.18.10.0");
	mask = A("255.255.255.0");
	group = A("239.1.1.1");
	upnbr = A("198.18.0.2");
	d1 = A("198.18.1.2");
	d2 = A("198.18.1.3");
	memset(f, 0, sizeof(*f));
	f->rng.state = 42;
	dvmrp_prune_config_defaults(&f->c);
	f->c.lifetime_s = lifetime_s;
	f->p = dvmrp_prune_new(&f->c, &f->rng);
	assert_non_null(f->p);
	f->now = 1000;
	dvmrp_prune_nbr_up(f->p, UP_VIF, upnbr);
	dvmrp_prune_nbr_up(f->p, DOWN_VIF, d1);
	dvmrp_prune_nbr_up(f->p, DOWN_VIF, d2);
	assert_int_equal(dvmrp_prune_entry_add(f->p, f->now, origin, mask,
			     group, UP_VIF, upnbr),
	    0);
	dvmrp_prune_dependents(f->p, f->now, origin, DOWN_VIF, true, 2);
}

static void
fx_fini(struct fx *f)
{
	dvmrp_prune_free(f->p);
}

/* The next output, which must be of kind; NULL-free. */
static struct dvmrp_prune_output
expect(struct fx *f, enum dvmrp_prune_output_kind kind)
{
	struct dvmrp_prune_output o;

	assert_true(dvmrp_prune_output(f->p, &o));
	assert_string_equal(dvmrp_prune_output_name(o.kind),
	    dvmrp_prune_output_name(kind));
	return o;
}

static void
expect_none(struct fx *f)
{
	struct dvmrp_prune_output o;

	assert_false(dvmrp_prune_output(f->p, &o));
}

static void
advance(struct fx *f, mc_time_t to)
{
	f->now = to;
	dvmrp_prune_timeout(f->p, f->now);
}

/* Both dependents on DOWN_VIF prune for 7200 s: the VIF is pruned. */
static void
both_prune(struct fx *f)
{
	dvmrp_prune_prune_input(f->p, f->now, DOWN_VIF, d1, origin, group,
	    7200);
	dvmrp_prune_prune_input(f->p, f->now, DOWN_VIF, d2, origin, group,
	    7200);
	assert_int_equal(expect(f, DVMRP_PRUNE_OUT_VIF_PRUNED).vif, DOWN_VIF);
}

/* Both dependents prune: the VIF is pruned; upstream prune once empty. */
static void
test_prune_when_every_dependent_pruned(void **state)
{
	struct fx f;
	struct dvmrp_prune_output o;

	(void)state;
	fx_init(&f, 7200);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d1, origin, group, 7200);
	expect_none(&f); /* d2 still wants it */
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d2, origin, group, 3000);
	o = expect(&f, DVMRP_PRUNE_OUT_VIF_PRUNED);
	assert_int_equal(o.vif, DOWN_VIF);
	expect_none(&f);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	o = expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	assert_int_equal(o.vif, UP_VIF);
	assert_int_equal(o.nbr.s_addr, upnbr.s_addr);
	assert_int_equal(o.source.s_addr, origin.s_addr);
	assert_int_equal(o.mask.s_addr, mask.s_addr);
	assert_int_equal(o.group.s_addr, group.s_addr);
	/* Bounded by d2's remaining 3000 s. */
	assert_int_equal(o.lifetime_s, 3000);
	expect_none(&f);
	assert_int_equal(dvmrp_prune_stats(f.p)->prunes, 2);
	fx_fini(&f);
}

/* A local member keeps the VIF even when every dependent pruned. */
static void
test_member_keeps_vif(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, 7200);
	dvmrp_prune_member(f.p, f.now, group, DOWN_VIF, true);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d1, origin, group, 7200);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d2, origin, group, 7200);
	expect_none(&f);
	dvmrp_prune_member(f.p, f.now, group, DOWN_VIF, false);
	assert_int_equal(expect(&f, DVMRP_PRUNE_OUT_VIF_PRUNED).vif, DOWN_VIF);
	expect_none(&f);
	fx_fini(&f);
}

/* Received prunes expire: the VIF comes back, no graft goes upstream. */
static void
test_lifetime_expiry_restores_vif(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, 7200);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d1, origin, group, 200);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d2, origin, group, 300);
	expect(&f, DVMRP_PRUNE_OUT_VIF_PRUNED);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	assert_int_equal(expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE).lifetime_s,
	    200);
	/* drain the retransmissions (3 s jittered, doubling) up to 199 s */
	while (dvmrp_prune_next_deadline(f.p) < 1000 + 200000) {
		advance(&f, dvmrp_prune_next_deadline(f.p));
		expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
		expect_none(&f);
	}
	assert_int_equal(dvmrp_prune_next_deadline(f.p), 1000 + 200000);
	/* d1's prune and ours end together: the VIF is back, no renewal,
	   and no graft when the composer then says non-empty */
	advance(&f, 1000 + 200000);
	assert_int_equal(expect(&f, DVMRP_PRUNE_OUT_VIF_UNPRUNED).vif,
	    DOWN_VIF);
	expect_none(&f);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, false);
	expect_none(&f);
	assert_int_equal(dvmrp_prune_stats(f.p)->prunes_expired, 1);
	fx_fini(&f);
}

/* Our prune's lifetime expires unseen: nothing to graft, prune again. */
static void
test_sent_prune_expiry_renews(void **state)
{
	struct fx f;
	struct dvmrp_prune_output o;
	uint32_t l;

	(void)state;
	fx_init(&f, 7200);
	f.c.rexmit_prunes = false;
	dvmrp_prune_free(f.p);
	f.p = dvmrp_prune_new(&f.c, &f.rng);
	dvmrp_prune_nbr_up(f.p, UP_VIF, upnbr);
	dvmrp_prune_entry_add(f.p, f.now, origin, mask, group, UP_VIF, upnbr);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	l = expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE).lifetime_s;
	expect_none(&f);
	assert_int_equal(dvmrp_prune_next_deadline(f.p), f.now + l * 1000);
	advance(&f, f.now + l * 1000);
	o = expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	assert_true(o.lifetime_s >= 3600 && o.lifetime_s < 10800);
	expect_none(&f);
	fx_fini(&f);
}

/* L/2 + random(L), at least 121, with a seeded RNG. */
static void
test_lifetime_randomisation_bounds(void **state)
{
	uint32_t lo = UINT32_MAX, hi = 0;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		struct fx f;
		uint32_t l;

		fx_init(&f, i % 2 ? 7200 : 120);
		f.rng.state = (uint64_t)i * 7919;
		dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
		l = expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE).lifetime_s;
		if (i % 2) {
			assert_true(l >= 3600 && l < 10800);
			lo = l < lo ? l : lo;
			hi = l > hi ? l : hi;
		} else {
			assert_true(l >= DVMRP_PRUNE_SENT_MIN && l < 180);
		}
		fx_fini(&f);
	}
	assert_true(lo < 3700 && hi > 10700); /* the whole range is used */
	printf("# lifetimes for L=7200 over 1000 seeds: %u..%u\n", lo, hi);
}

/* Prune retransmissions, mrouted's 3 s jittered and doubling. */
static void
test_prune_rexmit_backoff(void **state)
{
	struct fx f;
	mc_time_t prev, gap = 0;
	int n = 0;

	(void)state;
	fx_init(&f, 7200);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	prev = f.now;
	for (; n < 5; n++) {
		mc_time_t t = dvmrp_prune_next_deadline(f.p);
		mc_time_t base = (mc_time_t)3000 << n;

		assert_true(t - prev >= base / 2 && t - prev < base * 3 / 2);
		gap = t - prev;
		prev = t;
		advance(&f, t);
		expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
		expect_none(&f);
	}
	assert_true(gap > 0);
	assert_int_equal(dvmrp_prune_stats(f.p)->prune_rexmits, 5);
	/* a member: graft, the retransmissions stop */
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, false);
	expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT);
	fx_fini(&f);
}

/* Graft on a new member; 5/10/20 s until the ack; the ack stops it. */
static void
test_graft_rexmit_until_ack(void **state)
{
	struct fx f;
	mc_time_t t0;

	(void)state;
	fx_init(&f, 7200);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	while (dvmrp_prune_next_deadline(f.p) < f.now + 100000) {
		advance(&f, dvmrp_prune_next_deadline(f.p));
		expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	}
	expect_none(&f);
	t0 = f.now;
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, false);
	assert_int_equal(expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT).nbr.s_addr,
	    upnbr.s_addr);
	assert_int_equal(dvmrp_prune_next_deadline(f.p), t0 + 5000);
	advance(&f, t0 + 4999);
	expect_none(&f);
	advance(&f, t0 + 5000);
	expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT);
	assert_int_equal(dvmrp_prune_next_deadline(f.p), t0 + 15000);
	advance(&f, t0 + 15000);
	expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT);
	assert_int_equal(dvmrp_prune_next_deadline(f.p), t0 + 35000);
	advance(&f, t0 + 35000);
	expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT);
	assert_int_equal(dvmrp_prune_next_deadline(f.p), t0 + 75000);
	/* an ack from someone else, then the right one */
	dvmrp_prune_graft_ack_input(f.p, f.now, DOWN_VIF, d1, origin, group);
	assert_int_equal(dvmrp_prune_stats(f.p)->unexpected_ack, 1);
	dvmrp_prune_graft_ack_input(f.p, f.now, UP_VIF, upnbr, origin, group);
	assert_int_equal(dvmrp_prune_next_deadline(f.p), MC_TIME_NEVER);
	advance(&f, t0 + 200000);
	expect_none(&f);
	assert_int_equal(dvmrp_prune_stats(f.p)->graft_rexmits, 3);
	fx_fini(&f);
}

/*
 * The (S,G) entries went idle while we are pruned upstream: the entry is
 * kept (an orphan), and a member coming then grafts at once; acked, the
 * orphan holds nothing and goes at the next timeout.  One that holds
 * nothing goes at once.
 */
static void
test_orphan_grafts_for_a_member(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, 7200);
	both_prune(&f);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	expect_none(&f);
	dvmrp_prune_entry_orphan(f.p, f.now, origin, group);
	expect_none(&f);
	assert_true(dvmrp_prune_entry_exists(f.p, origin, group));
	assert_int_equal(dvmrp_prune_pruned_vifs(f.p, origin, group),
	    1u << DOWN_VIF);
	/* Nothing comes for ten minutes: still there, still pruned. */
	advance(&f, f.now + 600000);
	while (dvmrp_prune_output(f.p, &(struct dvmrp_prune_output){ 0 }))
		; /* prune retransmissions */
	assert_true(dvmrp_prune_entry_exists(f.p, origin, group));
	/* A host joins on another VIF: graft now, no datagram needed. */
	dvmrp_prune_member(f.p, f.now, group, 3, true);
	assert_int_equal(expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT).nbr.s_addr,
	    upnbr.s_addr);
	expect_none(&f);
	dvmrp_prune_graft_ack_input(f.p, f.now, UP_VIF, upnbr, origin, group);
	/* The dependents' prunes still stand: it is kept for them. */
	assert_true(dvmrp_prune_entry_exists(f.p, origin, group));
	assert_int_equal(dvmrp_prune_stats(f.p)->prunes, 2);
	fx_fini(&f);
}

static void
test_orphan_grafts_for_a_dependent(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, 7200);
	both_prune(&f);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	dvmrp_prune_entry_orphan(f.p, f.now, origin, group);
	/* d1 grafts: acked, and we graft upstream. */
	dvmrp_prune_graft_input(f.p, f.now, DOWN_VIF, d1, origin, group);
	expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT_ACK);
	expect(&f, DVMRP_PRUNE_OUT_VIF_UNPRUNED);
	assert_int_equal(expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT).vif, UP_VIF);
	expect_none(&f);
	fx_fini(&f);
}

static void
test_orphan_holding_nothing_goes(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, 7200);
	/* Never pruned: nothing to keep. */
	dvmrp_prune_entry_orphan(f.p, f.now, origin, group);
	assert_false(dvmrp_prune_entry_exists(f.p, origin, group));
	assert_int_equal(dvmrp_prune_stats(f.p)->entries, 0);
	/* Pruned, the prune expires: no prune again (no datagram will come
	   to want one), the orphan goes. */
	dvmrp_prune_entry_add(f.p, f.now, origin, mask, group, UP_VIF, upnbr);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	dvmrp_prune_entry_orphan(f.p, f.now, origin, group);
	while (dvmrp_prune_next_deadline(f.p) != MC_TIME_NEVER &&
	    dvmrp_prune_entry_exists(f.p, origin, group)) {
		advance(&f,
		    dvmrp_prune_next_deadline(f.p) > f.now ?
			dvmrp_prune_next_deadline(f.p) :
			f.now);
		while (dvmrp_prune_output(f.p,
		    &(struct dvmrp_prune_output){ 0 }))
			;
	}
	assert_false(dvmrp_prune_entry_exists(f.p, origin, group));
	assert_int_equal(dvmrp_prune_stats(f.p)->prunes_tx, 1);
	fx_fini(&f);
}

/* A dependent's graft: acked, its prune gone, a graft goes upstream. */
static void
test_graft_received(void **state)
{
	struct fx f;
	struct dvmrp_prune_output o;

	(void)state;
	fx_init(&f, 7200);
	both_prune(&f);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	dvmrp_prune_graft_input(f.p, f.now, DOWN_VIF, d2, origin, group);
	o = expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT_ACK);
	assert_int_equal(o.vif, DOWN_VIF);
	assert_int_equal(o.nbr.s_addr, d2.s_addr);
	assert_int_equal(o.mask.s_addr, 0); /* mrouted: 8 bytes only */
	assert_int_equal(expect(&f, DVMRP_PRUNE_OUT_VIF_UNPRUNED).vif,
	    DOWN_VIF);
	o = expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT);
	assert_int_equal(o.vif, UP_VIF);
	expect_none(&f);
	/* the composer's NONEMPTY that follows changes nothing */
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, false);
	expect_none(&f);
	fx_fini(&f);
}

/* Unknown entries and strangers: counted; a neighbour's graft acked. */
static void
test_unknown_and_strangers(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, 7200);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d1, origin,
	    A("239.9.9.9"), 7200);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, A("198.18.1.99"), origin,
	    group, 7200);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d1, origin, group, 120);
	dvmrp_prune_prune_input(f.p, f.now, UP_VIF, upnbr, origin, group, 7200);
	expect_none(&f);
	dvmrp_prune_graft_input(f.p, f.now, DOWN_VIF, A("198.18.1.99"), origin,
	    group);
	expect_none(&f);
	dvmrp_prune_graft_input(f.p, f.now, DOWN_VIF, d1, origin,
	    A("239.9.9.9"));
	assert_int_equal(expect(&f, DVMRP_PRUNE_OUT_SEND_GRAFT_ACK)
			     .group.s_addr,
	    A("239.9.9.9").s_addr);
	expect_none(&f);
	assert_int_equal(dvmrp_prune_stats(f.p)->unknown_entry, 2);
	assert_int_equal(dvmrp_prune_stats(f.p)->non_neighbor, 2);
	assert_int_equal(dvmrp_prune_stats(f.p)->short_lifetime, 1);
	assert_int_equal(dvmrp_prune_stats(f.p)->wrong_vif, 1);
	assert_int_equal(dvmrp_prune_stats(f.p)->prunes, 0);
	fx_fini(&f);
}

/* Neighbour down and restart forget its prunes. */
static void
test_nbr_down_and_restart(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, 7200);
	both_prune(&f);
	dvmrp_prune_nbr_restart(f.p, f.now, DOWN_VIF, d1);
	expect(&f, DVMRP_PRUNE_OUT_VIF_UNPRUNED);
	assert_int_equal(dvmrp_prune_stats(f.p)->prunes, 1);
	dvmrp_prune_nbr_down(f.p, f.now, DOWN_VIF, d2);
	expect_none(&f);
	assert_int_equal(dvmrp_prune_stats(f.p)->prunes, 0);
	/* d2 gone: a prune from it is a stranger's */
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d2, origin, group, 7200);
	assert_int_equal(dvmrp_prune_stats(f.p)->non_neighbor, 1);
	fx_fini(&f);
}

/* The upstream restarts: it forgot our prune, so we send it again. */
static void
test_upstream_restart_resends(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, 7200);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	dvmrp_prune_nbr_restart(f.p, f.now, UP_VIF, upnbr);
	expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	expect_none(&f);
	fx_fini(&f);
}

/* Upstream change: the old prune state dropped, a prune to the new one. */
static void
test_upstream_change(void **state)
{
	struct fx f;
	struct dvmrp_prune_output o;

	(void)state;
	fx_init(&f, 7200);
	dvmrp_prune_nbr_up(f.p, 2, A("198.18.2.2"));
	both_prune(&f);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	dvmrp_prune_upstream(f.p, f.now, origin, true, 2, A("198.18.2.2"));
	o = expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE);
	assert_int_equal(o.vif, 2);
	assert_int_equal(o.nbr.s_addr, A("198.18.2.2").s_addr);
	expect_none(&f);
	/* the new upstream is the old downstream: its prunes go */
	dvmrp_prune_upstream(f.p, f.now, origin, true, DOWN_VIF, d1);
	assert_int_equal(expect(&f, DVMRP_PRUNE_OUT_VIF_UNPRUNED).vif,
	    DOWN_VIF);
	assert_int_equal(expect(&f, DVMRP_PRUNE_OUT_SEND_PRUNE).nbr.s_addr,
	    d1.s_addr);
	assert_int_equal(dvmrp_prune_stats(f.p)->prunes, 0);
	/* unreachable: nothing sent at all */
	dvmrp_prune_upstream(f.p, f.now, origin, false, 0, A("0.0.0.0"));
	expect_none(&f);
	fx_fini(&f);
}

/* Caps on entries and prunes per entry, counted. */
static void
test_caps(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, 7200);
	dvmrp_prune_free(f.p);
	f.c.max_entries = 2;
	f.c.max_prunes_entry = 1;
	f.p = dvmrp_prune_new(&f.c, &f.rng);
	dvmrp_prune_nbr_up(f.p, DOWN_VIF, d1);
	dvmrp_prune_nbr_up(f.p, DOWN_VIF, d2);
	assert_int_equal(dvmrp_prune_entry_add(f.p, f.now, origin, mask, group,
			     UP_VIF, upnbr),
	    0);
	assert_int_equal(dvmrp_prune_entry_add(f.p, f.now, origin, mask,
			     A("239.1.1.2"), UP_VIF, upnbr),
	    0);
	assert_int_equal(dvmrp_prune_entry_add(f.p, f.now, origin, mask,
			     A("239.1.1.3"), UP_VIF, upnbr),
	    -ENOSPC);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d1, origin, group, 7200);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d2, origin, group, 7200);
	assert_int_equal(dvmrp_prune_stats(f.p)->entry_cap, 1);
	assert_int_equal(dvmrp_prune_stats(f.p)->prune_cap, 1);
	assert_int_equal(dvmrp_prune_stats(f.p)->prunes, 1);
	assert_int_equal(dvmrp_prune_config_check(&(struct dvmrp_prune_config){
			     .lifetime_s = 119,
			     .max_entries = 1,
			     .max_prunes_entry = 1 }),
	    -EINVAL);
	fx_fini(&f);
}

static int
count_view(void *arg, const struct dvmrp_prune_view *v)
{
	unsigned *n = arg;

	n[v->sent]++;
	return 0;
}

/* The view and a measure: 10,000 prunes received (printed, not asserted). */
static void
test_view_and_measure(void **state)
{
	struct fx f;
	unsigned n[2] = { 0, 0 };
	struct timespec t0, t1;

	(void)state;
	fx_init(&f, 7200);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t i = 0; i < 5000; i++) {
		struct in_addr g = { htonl(0xef010000u + i) };

		dvmrp_prune_entry_add(f.p, f.now, origin, mask, g, UP_VIF,
		    upnbr);
	}
	dvmrp_prune_dependents(f.p, f.now, origin, DOWN_VIF, true, 2);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	(void)t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t i = 0; i < 5000; i++) {
		struct in_addr g = { htonl(0xef010000u + i) };

		dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d1, origin, g,
		    7200);
		dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d2, origin, g,
		    7200);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(dvmrp_prune_stats(f.p)->prunes, 10000);
	dvmrp_prune_foreach(f.p, f.now, count_view, n);
	assert_int_equal(n[0], 10000);
	assert_int_equal(n[1], 0);
	printf("# 10,000 prunes over 5,000 entries: %zu bytes, %.0f ns/prune\n",
	    dvmrp_prune_memory(f.p),
	    ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e4);
	fx_fini(&f);
}

static char trace_buf[1024];

static void
trace_collect(void *arg, const char *line)
{
	(void)arg;
	strncat(trace_buf, line, sizeof(trace_buf) - strlen(trace_buf) - 2);
	strcat(trace_buf, "\n");
}

/* The trace lines, exactly: states and outputs. */
static void
test_trace_lines(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, 7200);
	dvmrp_prune_free(f.p);
	f.c.trace = trace_collect;
	f.p = dvmrp_prune_new(&f.c, &f.rng);
	dvmrp_prune_nbr_up(f.p, UP_VIF, upnbr);
	dvmrp_prune_entry_add(f.p, f.now, origin, mask, group, UP_VIF, upnbr);
	trace_buf[0] = '\0';
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, true);
	dvmrp_prune_oifs_empty(f.p, f.now, origin, group, false);
	dvmrp_prune_graft_ack_input(f.p, f.now, UP_VIF, upnbr, origin, group);
	assert_string_equal(trace_buf,
	    "(198.18.10.0, 239.1.1.1): forwarding -> pruned\n"
	    "(198.18.10.0, 239.1.1.1) vif 0 send-prune 198.18.0.2\n"
	    "(198.18.10.0, 239.1.1.1): pruned -> grafting\n"
	    "(198.18.10.0, 239.1.1.1) vif 0 send-graft 198.18.0.2\n"
	    "(198.18.10.0, 239.1.1.1): grafting -> forwarding\n");
	fx_fini(&f);
}

/*
 * dvmrp_prune_entry_dependents: what a new entry learns of its route goes
 * to that entry only; dvmrp_prune_dependents to every entry of the origin.
 */
static void
test_entry_dependents_one_entry(void **state)
{
	struct fx f;
	struct dvmrp_prune_output o;
	struct in_addr g2 = A("239.1.1.2");

	(void)state;
	fx_init(&f, 7200);
	assert_int_equal(dvmrp_prune_entry_add(f.p, f.now, origin, mask, g2,
			     UP_VIF, upnbr),
	    0);
	/* g2 learns one dependent on DOWN_VIF; group keeps its two. */
	dvmrp_prune_entry_dependents(f.p, f.now, origin, g2, DOWN_VIF, true, 1);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d1, origin, g2, 7200);
	o = expect(&f, DVMRP_PRUNE_OUT_VIF_PRUNED);
	assert_int_equal(o.group.s_addr, g2.s_addr);
	expect_none(&f);
	assert_int_equal(dvmrp_prune_pruned_vifs(f.p, origin, g2),
	    1u << DOWN_VIF);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d1, origin, group, 7200);
	expect_none(&f);
	assert_int_equal(dvmrp_prune_pruned_vifs(f.p, origin, group), 0);
	/* No entry, or a VIF out of range: nothing. */
	dvmrp_prune_entry_dependents(f.p, f.now, origin, A("239.9.9.9"),
	    DOWN_VIF, true, 1);
	dvmrp_prune_entry_dependents(f.p, f.now, origin, group,
	    DVMRP_PRUNE_MAX_VIFS, true, 1);
	expect_none(&f);
	/* The route's word for every entry: group has one dependent left. */
	dvmrp_prune_dependents(f.p, f.now, origin, DOWN_VIF, true, 1);
	o = expect(&f, DVMRP_PRUNE_OUT_VIF_PRUNED);
	assert_int_equal(o.group.s_addr, group.s_addr);
	expect_none(&f);
	/* Another origin's entry of the same group keeps its own: d1's
	   prune leaves it forwarding; only its own route's word prunes it. */
	assert_int_equal(dvmrp_prune_entry_add(f.p, f.now, A("198.18.20.0"),
			     mask, group, UP_VIF, upnbr),
	    0);
	dvmrp_prune_entry_dependents(f.p, f.now, A("198.18.20.0"), group,
	    DOWN_VIF, true, 2);
	dvmrp_prune_prune_input(f.p, f.now, DOWN_VIF, d1, A("198.18.20.0"),
	    group, 7200);
	dvmrp_prune_dependents(f.p, f.now, origin, DOWN_VIF, true, 1);
	expect_none(&f);
	assert_int_equal(dvmrp_prune_pruned_vifs(f.p, A("198.18.20.0"), group),
	    0);
	dvmrp_prune_dependents(f.p, f.now, A("198.18.20.0"), DOWN_VIF, true, 1);
	o = expect(&f, DVMRP_PRUNE_OUT_VIF_PRUNED);
	assert_int_equal(o.source.s_addr, A("198.18.20.0").s_addr);
	expect_none(&f);
	fx_fini(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prune_when_every_dependent_pruned),
		cmocka_unit_test(test_entry_dependents_one_entry),
		cmocka_unit_test(test_member_keeps_vif),
		cmocka_unit_test(test_lifetime_expiry_restores_vif),
		cmocka_unit_test(test_sent_prune_expiry_renews),
		cmocka_unit_test(test_lifetime_randomisation_bounds),
		cmocka_unit_test(test_prune_rexmit_backoff),
		cmocka_unit_test(test_graft_rexmit_until_ack),
		cmocka_unit_test(test_orphan_grafts_for_a_member),
		cmocka_unit_test(test_orphan_grafts_for_a_dependent),
		cmocka_unit_test(test_orphan_holding_nothing_goes),
		cmocka_unit_test(test_graft_received),
		cmocka_unit_test(test_unknown_and_strangers),
		cmocka_unit_test(test_nbr_down_and_restart),
		cmocka_unit_test(test_upstream_restart_resends),
		cmocka_unit_test(test_upstream_change),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_view_and_measure),
		cmocka_unit_test(test_trace_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
