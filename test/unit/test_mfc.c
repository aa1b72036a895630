/*
 * The forwarding composer with a fake clock: oifs for ASM and SSM
 * INCLUDE/EXCLUDE views, thresholds into TTLs, boundaries on oifs and on
 * the iif, 224.0.0.x, static (*,G) and (S,G) routes merged with members,
 * joins and leaves replacing installed entries, idle expiry at exact
 * times from the kernel's counters, VIF deletion and threshold changes,
 * WRONGVIF, limits, the (S,G) hash / G index at scale; then the
 * composition itself: every combination of contributors on an interface
 * against a reference rule, why each oif is there and why each cut one is
 * not, iif precedence (static (S,G), static (*,G), RPF, first arrival),
 * the empty / non-empty events, and the regressions of the routing-core
 * issue (a removed static group, mcastctl leave over IGMP members, a
 * threshold change that must rewrite entries and nothing else).
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

#include "mfc.h"

#define T0   1000000 /* the fake clock starts at 1000 s */
#define IDLE 210000

#define G   "239.1.1.1"
#define G2  "239.2.2.2"
#define SSM "232.1.1.1"
#define S1  "192.0.2.1"
#define S2  "192.0.2.2"
#define S3  "192.0.2.3"

#define MAXO 256
#define MAXT 256

#define NOCACHE	 MFC_UPCALL_NOCACHE
#define WRONGVIF MFC_UPCALL_WRONGVIF
#define INC	 IGMP_FILTER_INCLUDE
#define EXC	 IGMP_FILTER_EXCLUDE

struct fx {
	struct mfc *m;
	struct mfc_config c;
	mc_time_t now;
	struct mfc_output o[MAXO]; /* MFC writes: ADD, DEL */
	size_t no;
	struct mfc_output ev[MAXO]; /* the other outputs */
	size_t nev;
	char trace[MAXT][320];
	size_t nt;
};

static struct in_addr
A(const char *s) {
	struct in_addr a;

	if (strcmp(s, "*") == 0) {
		a.s_addr = INADDR_ANY;
		return a;
	}
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* "a,b,c" into a set; "" is the empty set. */
static uint32_t
set(const char *csv, struct in_addr *out)
{
	char buf[512], *tok, *save = NULL;
	uint32_t n = 0;

	snprintf(buf, sizeof(buf), "%s", csv);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		out[n++] = A(tok);
	return n;
}

/* ttls as "1:1 2:16" (vif:ttl), "none" when empty. */
static const char *
ttls_str(const uint8_t *ttls, char *buf, size_t len)
{
	size_t off = 0;
	unsigned v;

	buf[0] = '\0';
	for (v = 0; v < MFC_MAXVIFS; v++)
		if (ttls[v] != 0)
			off += (size_t)snprintf(buf + off, len - off, "%s%u:%u",
			    off ? " " : "", v, ttls[v]);
	if (off == 0)
		snprintf(buf, len, "none");
	return buf;
}

static void
on_trace(void *arg, const char *line)
{
	struct fx *f = arg;

	assert_true(strlen(line) > 0);
	assert_null(strchr(line, '\n'));
	if (f->nt < MAXT)
		snprintf(f->trace[f->nt++], sizeof(f->trace[0]), "%s", line);
}

/* The outputs: kernel writes in o[], events in ev[]. */
static void
collect(struct fx *f)
{
	const struct mfc_output *o;

	while ((o = mfc_output(f->m)) != NULL) {
		if (o->kind == MFC_OUT_ADD || o->kind == MFC_OUT_DEL) {
			assert_true(f->no < MAXO);
			f->o[f->no++] = *o;
		} else {
			assert_true(f->nev < MAXO);
			f->ev[f->nev++] = *o;
		}
	}
}

static void
clear(struct fx *f)
{
	f->no = f->nt = f->nev = 0;
}

static struct fx *
fx_new(const struct mfc_config *c)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	if (c)
		f->c = *c;
	else
		mfc_config_defaults(&f->c);
	f->m = mfc_new(&f->c, 42, on_trace, f);
	assert_non_null(f->m);
	f->now = T0;
	return f;
}

static void
fx_free(struct fx *f)
{
	mfc_free(f->m);
	free(f);
}

/* VIF v with a threshold and boundaries "239.0.0.0/8,..." (or ""). */
static int
vif_bounds(struct fx *f, unsigned v, unsigned thr, const char *bounds)
{
	struct mfc_prefix p[MFC_MAX_BOUNDARIES];
	struct mfc_vif_config vc;
	char buf[512], *tok, *save = NULL, *slash;
	unsigned n = 0;
	int rc;

	snprintf(buf, sizeof(buf), "%s", bounds);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		slash = strchr(tok, '/');
		assert_non_null(slash);
		*slash = '\0';
		p[n].addr = A(tok);
		p[n++].len = (uint8_t)atoi(slash + 1);
	}
	memset(&vc, 0, sizeof(vc));
	vc.ifindex = 100 + v;
	vc.threshold = (uint8_t)thr;
	vc.boundaries = n ? p : NULL;
	vc.nboundaries = n;
	rc = mfc_vif_set(f->m, f->now, v, &vc);
	collect(f);
	return rc;
}

static void
vif(struct fx *f, unsigned v, unsigned thr)
{
	assert_int_equal(vif_bounds(f, v, thr, ""), 0);
}

/* VIFs 0..n-1, threshold 1. */
static void
vifs(struct fx *f, unsigned n)
{
	unsigned v;

	for (v = 0; v < n; v++)
		vif(f, v, 1);
}

/* origin's view of group on VIF v. */
static int
member(struct fx *f, enum mfc_origin origin, unsigned v, const char *group,
    enum igmp_filter_mode mode, const char *sources)
{
	struct in_addr s[64];
	uint32_t n = set(sources, s);
	int rc;

	rc = mfc_membership(f->m, f->now, origin, v, A(group), mode,
	    n ? s : NULL, n);
	collect(f);
	return rc;
}

/* IGMP's view. */
static int
mem(struct fx *f, unsigned v, const char *group, enum igmp_filter_mode mode,
    const char *sources)
{
	return member(f, MFC_ORIGIN_IGMP, v, group, mode, sources);
}

static int
upcall(struct fx *f, enum mfc_upcall_kind kind, const char *s, const char *g,
    unsigned v)
{
	int rc = mfc_upcall(f->m, f->now, kind, A(s), A(g), v);

	collect(f);
	return rc;
}

static int
route_add(struct fx *f, const char *s, const char *g, unsigned iif,
    uint32_t oifs)
{
	struct mfc_route rt = { .source = A(s),
		.group = A(g),
		.len = 32,
		/* No VIF past the last: refused. */
		.iifs = iif < MFC_MAXVIFS ? 1u << iif : 0,
		.oifs = oifs };
	int rc = mfc_route_add(f->m, f->now, &rt);

	collect(f);
	return rc;
}

static int
route_del(struct fx *f, const char *s, const char *g)
{
	int rc = mfc_route_del(f->m, f->now, A(s), A(g), 32);

	collect(f);
	return rc;
}

static int
counter(struct fx *f, const char *s, const char *g, uint64_t pkts,
    uint64_t wrong)
{
	return mfc_counters(f->m, f->now, A(s), A(g), pkts, pkts * 100, wrong);
}

/* Run every deadline up to and including t, then stand at t. */
static void
run(struct fx *f, mc_time_t t)
{
	mc_time_t d;

	for (;;) {
		d = mfc_next_deadline(f->m);
		if (d > t)
			break;
		assert_true(d >= f->now);
		f->now = d;
		mfc_timeout(f->m, f->now);
		collect(f);
		assert_true(mfc_next_deadline(f->m) > f->now);
	}
	f->now = t;
}

/* Output k: of this kind, about (s, g) with iif and exactly these ttls. */
static void
expect_out(struct fx *f, size_t k, enum mfc_output_kind kind, const char *s,
    const char *g, unsigned iif, const char *ttls)
{
	char buf[512];

	assert_true(k < f->no);
	assert_int_equal(f->o[k].kind, kind);
	assert_int_equal(f->o[k].source.s_addr, A(s).s_addr);
	assert_int_equal(f->o[k].group.s_addr, A(g).s_addr);
	assert_int_equal(f->o[k].iif, iif);
	assert_string_equal(ttls_str(f->o[k].ttls, buf, sizeof(buf)), ttls);
}

static void
expect_add(struct fx *f, size_t k, const char *s, const char *g, unsigned iif,
    const char *ttls, bool replace)
{
	expect_out(f, k, MFC_OUT_ADD, s, g, iif, ttls);
	assert_int_equal(f->o[k].replace, replace);
}

static void
expect_del(struct fx *f, size_t k, const char *s, const char *g)
{
	assert_true(k < f->no);
	assert_int_equal(f->o[k].kind, MFC_OUT_DEL);
	assert_int_equal(f->o[k].source.s_addr, A(s).s_addr);
	assert_int_equal(f->o[k].group.s_addr, A(g).s_addr);
}

/* The engine's entry: iif, ttls, origin. */
static void
expect_entry(struct fx *f, const char *s, const char *g, unsigned iif,
    const char *ttls, enum mfc_iif_origin origin)
{
	struct mfc_entry_view v;
	uint32_t mask = 0;
	char buf[512];
	unsigned i;

	assert_int_equal(mfc_entry(f->m, A(s), A(g), &v), 0);
	assert_int_equal(v.iif, iif);
	assert_string_equal(ttls_str(v.ttls, buf, sizeof(buf)), ttls);
	assert_int_equal(v.iif_origin, origin);
	for (i = 0; i < MFC_MAXVIFS; i++)
		if (v.ttls[i])
			mask |= 1u << i;
	assert_int_equal(v.oifs, mask);
}

static void
expect_no_entry(struct fx *f, const char *s, const char *g)
{
	struct mfc_entry_view v;

	assert_int_equal(mfc_entry(f->m, A(s), A(g), &v), -ENOENT);
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

static const struct mfc_stats *
st(struct fx *f)
{
	return mfc_stats(f->m);
}

/* ------------------------------------------------------------------ */

static void
test_config(void **state)
{
	struct mfc_config c;

	(void)state;
	mfc_config_defaults(&c);
	assert_int_equal(c.idle_timeout_ms, 210000);
	assert_int_equal(c.max_entries, 8192);
	assert_int_equal(mfc_config_check(&c), 0);
	c.idle_timeout_ms = 0;
	assert_int_equal(mfc_config_check(&c), -EINVAL);
	assert_null(mfc_new(&c, 1, NULL, NULL));
	assert_string_equal(mfc_iif_origin_name(MFC_IIF_STAR_G), "(*,G)");
	assert_string_equal(mfc_upcall_kind_name(WRONGVIF), "WRONGVIF");
}

static void
test_vif_config_checked(void **state)
{
	struct fx *f = fx_new(NULL);
	struct mfc_vif_view v;

	(void)state;
	assert_int_equal(vif_bounds(f, 32, 1, ""), -EINVAL);
	assert_int_equal(vif_bounds(f, 0, 0, ""), -EINVAL);
	assert_int_equal(vif_bounds(f, 0, 1, "239.1.0.0/8"), -EINVAL);
	assert_int_equal(vif_bounds(f, 0, 1, "239.0.0.0/33"), -EINVAL);
	assert_int_equal(mfc_vif_set(f->m, f->now, 0, NULL), -EINVAL);
	assert_int_equal(mfc_vif(f->m, 0, &v), -ENOENT);
	assert_int_equal(vif_bounds(f, 31, 255, "239.0.0.0/8,224.0.1.0/24"), 0);
	assert_int_equal(mfc_vif(f->m, 31, &v), 0);
	assert_int_equal(v.vif, 31);
	assert_int_equal(v.ifindex, 131);
	assert_int_equal(v.threshold, 255);
	assert_int_equal(v.nboundaries, 2);
	assert_int_equal(v.boundaries[1].addr.s_addr, A("224.0.1.0").s_addr);
	assert_int_equal(v.boundaries[1].len, 24);
	assert_true(traced(f, "vif 31 added: ifindex 131, threshold 255"));
	assert_int_equal(f->no, 0);
	fx_free(f);
}

/* ASM: EXCLUDE {} members on 1 and 2; none on 3; a member on the iif. */
static void
test_asm_oifs(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 4);
	assert_int_equal(mem(f, 0, G, EXC, ""), 0);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	/* Members alone install nothing: entries come with traffic. */
	assert_int_equal(f->no, 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(f->no, 1);
	expect_add(f, 0, S1, G, 0, "1:1 2:1", false);
	expect_entry(f, S1, G, 0, "1:1 2:1", MFC_IIF_ARRIVAL);
	/* The same stream from vif 3: another source, another iif. */
	assert_int_equal(upcall(f, NOCACHE, S2, G, 3), 0);
	expect_add(f, 1, S2, G, 3, "0:1 1:1 2:1", false);
	assert_int_equal(st(f)->upcalls[NOCACHE], 2);
	assert_int_equal(st(f)->installs, 2);
	assert_int_equal(st(f)->entries, 2);
	assert_int_equal(st(f)->dynamic_entries, 2);
	assert_true(traced(f,
	    "(192.0.2.1, 239.1.1.1) install: iif 0, "
	    "oifs 1:1 2:1 (dynamic)"));
	assert_true(traced(f, "239.1.1.1 on vif 1: igmp EXCLUDE {}"));
	fx_free(f);
}

/* SSM and source filters: INCLUDE {A} admits A, EXCLUDE {Y} all but Y. */
static void
test_ssm_include_exclude(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 4);
	/* Unsorted with a duplicate: the engine makes a set of it. */
	assert_int_equal(mem(f, 1, SSM, INC, S3 "," S1 "," S3), 0);
	assert_int_equal(mem(f, 2, SSM, EXC, S1), 0);
	assert_int_equal(mem(f, 3, SSM, INC, S2), 0);
	assert_true(traced(f,
	    "232.1.1.1 on vif 1: igmp INCLUDE {192.0.2.1, "
	    "192.0.2.3}"));
	assert_int_equal(upcall(f, NOCACHE, S1, SSM, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S2, SSM, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S3, SSM, 0), 0);
	assert_int_equal(f->no, 3);
	expect_add(f, 0, S1, SSM, 0, "1:1", false);
	expect_add(f, 1, S2, SSM, 0, "2:1 3:1", false);
	expect_add(f, 2, S3, SSM, 0, "1:1 2:1", false);
	/* A source nobody wants: an entry with no oifs. */
	assert_int_equal(mem(f, 2, SSM, INC, S2), 0);
	assert_int_equal(f->no, 4);
	expect_add(f, 3, S3, SSM, 0, "1:1", true);
	clear(f);
	assert_int_equal(upcall(f, NOCACHE, "198.51.100.7", SSM, 0), 0);
	expect_add(f, 0, "198.51.100.7", SSM, 0, "none", false);
	/* EXCLUDE to INCLUDE {S1} on 2 with many sources shown shortly. */
	clear(f);
	assert_int_equal(mem(f, 2, SSM, EXC,
			     "10.0.0.1,10.0.0.2,10.0.0.3,"
			     "10.0.0.4,10.0.0.5,10.0.0.6"),
	    0);
	assert_true(traced(f,
	    "EXCLUDE {10.0.0.1, 10.0.0.2, 10.0.0.3, "
	    "10.0.0.4, +2}"));
	/* S1, S3 and the unwanted source now go to 2 as well. */
	assert_int_equal(f->no, 3);
	expect_entry(f, S1, SSM, 0, "1:1 2:1", MFC_IIF_ARRIVAL);
	expect_entry(f, S2, SSM, 0, "2:1 3:1", MFC_IIF_ARRIVAL);
	expect_entry(f, S3, SSM, 0, "1:1 2:1", MFC_IIF_ARRIVAL);
	expect_entry(f, "198.51.100.7", SSM, 0, "2:1", MFC_IIF_ARRIVAL);
	fx_free(f);
}

static void
test_thresholds_copied(void **state)
{
	static const unsigned oif[] = { 1, 2, 3, 31 },
			      thr[] = { 1, 32, 64, 255 };
	struct fx *f = fx_new(NULL);
	unsigned i;

	(void)state;
	vif(f, 0, 1);
	for (i = 0; i < 4; i++) {
		vif(f, oif[i], thr[i]);
		assert_int_equal(mem(f, oif[i], G, EXC, ""), 0);
	}
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	expect_add(f, 0, S1, G, 0, "1:1 2:32 3:64 31:255", false);
	fx_free(f);
}

/* A boundary on an oif: the membership is refused there, routes too. */
static void
test_boundary_oif(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 2);
	assert_int_equal(vif_bounds(f, 2, 1, "239.0.0.0/8"), 0);
	vif(f, 3, 1);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	assert_int_equal(st(f)->boundary_drops, 1);
	assert_true(traced(f,
	    "239.1.1.1 on vif 2: igmp EXCLUDE {} refused at a "
	    "boundary"));
	/* Outside the boundary it is a member like any other. */
	assert_int_equal(mem(f, 2, "233.252.0.1", EXC, ""), 0);
	assert_int_equal(st(f)->boundary_drops, 1);
	/* A static route through the bounded VIF does not cross it. */
	assert_int_equal(route_add(f, "*", G, 0, 1u << 2 | 1u << 3), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, "233.252.0.1", 0), 0);
	assert_int_equal(f->no, 2);
	expect_add(f, 0, S1, G, 0, "1:1 3:1", false);
	expect_add(f, 1, S1, "233.252.0.1", 0, "2:1", false);
	/* The refused membership, and the entry that lost vif 2 to it. */
	assert_int_equal(st(f)->boundary_drops, 2);
	/* Lifting the boundary admits the member still known at once. */
	clear(f);
	vif(f, 2, 1);
	assert_int_equal(f->no, 1);
	expect_add(f, 0, S1, G, 0, "1:1 2:1 3:1", true);
	/* And putting it back takes it away. */
	clear(f);
	assert_int_equal(vif_bounds(f, 2, 1, "239.1.0.0/16"), 0);
	assert_int_equal(f->no, 1);
	expect_add(f, 0, S1, G, 0, "1:1 3:1", true);
	fx_free(f);
}

/* A boundary on the iif: the range is neither accepted nor forwarded. */
static void
test_boundary_iif(void **state)
{
	struct fx *f = fx_new(NULL);
	struct mfc_entry_view v;
	char note[64];

	(void)state;
	assert_int_equal(vif_bounds(f, 0, 1, "239.0.0.0/8"), 0);
	vif(f, 1, 1);
	vif(f, 2, 1);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	assert_int_equal(route_add(f, "*", G2, 0, 1u << 1), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G2, 0), 0);
	expect_add(f, 0, S1, G, 0, "none", false);
	expect_add(f, 1, S1, G2, 0, "none", false);
	assert_int_equal(st(f)->boundary_iif, 2);
	assert_int_equal(st(f)->boundary_drops, 2);
	/* Nothing left, and the trace, the view and the note say why. */
	assert_true(traced(f,
	    "(192.0.2.1, 239.2.2.2) install: iif 0, oifs none: all cut: "
	    "boundary-at-iif ((*,G))"));
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_string_equal(mfc_entry_note(&v, note, sizeof(note)),
	    "all cut: boundary-at-iif");
	/* The same group from vif 1 flows to 2. */
	assert_int_equal(upcall(f, NOCACHE, S2, G, 1), 0);
	expect_add(f, 2, S2, G, 1, "2:1", false);
	/* A boundary put on vif 1 later empties its entries. */
	clear(f);
	assert_int_equal(vif_bounds(f, 1, 1, "239.1.1.1/32"), 0);
	assert_int_equal(f->no, 1);
	expect_add(f, 0, S2, G, 1, "none", true);
	fx_free(f);
}

/* 224.0.0.0/24 is never forwarded; bad upcalls are counted. */
static void
test_link_local_and_bad_input(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 3);
	assert_int_equal(mem(f, 1, "224.0.0.251", EXC, ""), 0);
	assert_int_equal(st(f)->memberships_ignored, 1);
	assert_int_equal(route_add(f, "*", "224.0.0.5", 0, 2), -EINVAL);
	assert_int_equal(route_add(f, S1, "224.0.0.5", 0, 2), -EINVAL);
	assert_int_equal(upcall(f, NOCACHE, S1, "224.0.0.251", 0), 0);
	expect_add(f, 0, S1, "224.0.0.251", 0, "none", false);
	/* 224.0.1.x is not link-local. */
	assert_int_equal(mem(f, 1, "224.0.1.1", EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, "224.0.1.1", 0), 0);
	expect_add(f, 1, S1, "224.0.1.1", 0, "1:1", false);
	/* Bad input. */
	clear(f);
	assert_int_equal(upcall(f, NOCACHE, S1, "10.1.1.1", 0), -EINVAL);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 7), -EINVAL);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 40), -EINVAL);
	assert_int_equal(upcall(f, NOCACHE, "0.0.0.0", G, 0), -EINVAL);
	assert_int_equal(upcall(f, WRONGVIF, G2, G, 0), -EINVAL);
	assert_int_equal(upcall(f, (enum mfc_upcall_kind)3, S1, G, 0), -EINVAL);
	assert_int_equal(st(f)->upcalls_bad, 6);
	assert_int_equal(st(f)->upcalls[NOCACHE], 6);
	assert_int_equal(st(f)->upcalls[WRONGVIF], 1);
	assert_int_equal(mem(f, 7, G, EXC, ""), -ENODEV);
	assert_int_equal(mem(f, 1, "10.1.1.1", EXC, ""), -EINVAL);
	assert_int_equal(mfc_membership(f->m, f->now, MFC_ORIGIN_IGMP, 1, A(G),
			     (enum igmp_filter_mode)2, NULL, 0),
	    -EINVAL);
	assert_int_equal(mfc_membership(f->m, f->now, MFC_ORIGIN_ROUTE, 1, A(G),
			     EXC, NULL, 0),
	    -EINVAL);
	assert_int_equal(mfc_membership(f->m, f->now, MFC_ORIGIN_COUNT, 1, A(G),
			     EXC, NULL, 0),
	    -EINVAL);
	assert_int_equal(st(f)->memberships_ignored, 2);
	assert_int_equal(route_add(f, G, G, 0, 2), -EINVAL);
	assert_int_equal(route_add(f, "*", G, 32, 2), -EINVAL);
	assert_int_equal(route_add(f, "*", "10.0.0.1", 0, 2), -EINVAL);
	assert_int_equal(counter(f, S2, G, 1, 0), -ENOENT);
	assert_int_equal(f->no, 0);
	fx_free(f);
}

struct collect_static {
	char lines[8][128];
	size_t n;
};

static int
on_static(void *arg, const struct mfc_route *v)
{
	struct collect_static *c = arg;
	char s[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

	assert_true(c->n < 8);
	assert_true(v->iifs != 0);
	snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s %s %u %#x",
	    v->source.s_addr ? inet_ntop(AF_INET, &v->source, s, sizeof(s)) :
			       "*",
	    inet_ntop(AF_INET, &v->group, g, sizeof(g)),
	    (unsigned)__builtin_ctz(v->iifs), v->oifs);
	return 0;
}

/* (*,G) static route: its iif, its oifs and the members' together. */
static void
test_static_star_g(void **state)
{
	struct fx *f = fx_new(NULL);
	struct collect_static cs = { .n = 0 };

	(void)state;
	vifs(f, 4);
	/* The iif's own bit is ignored. */
	assert_int_equal(route_add(f, "*", G, 0, 1u << 0 | 1u << 1), 0);
	assert_int_equal(f->no, 0);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	/* Arriving on 3, the route says 0: the kernel drops it from 3. */
	assert_int_equal(upcall(f, NOCACHE, S1, G, 3), 0);
	expect_add(f, 0, S1, G, 0, "1:1 2:1", false);
	expect_entry(f, S1, G, 0, "1:1 2:1", MFC_IIF_STAR_G);
	assert_int_equal(st(f)->dynamic_entries, 1);
	assert_int_equal(mfc_foreach_route(f->m, on_static, &cs), 0);
	assert_int_equal(cs.n, 1);
	assert_string_equal(cs.lines[0], "* 239.1.1.1 0 0x2");
	/* Leaving 2 keeps the route's oif. */
	clear(f);
	assert_int_equal(mem(f, 2, G, INC, ""), 0);
	expect_add(f, 0, S1, G, 0, "1:1", true);
	/* Updating the route: new oifs for its entries. */
	clear(f);
	assert_int_equal(route_add(f, "*", G, 0, 1u << 3), 0);
	assert_int_equal(f->no, 1);
	expect_add(f, 0, S1, G, 0, "3:1", true);
	/* Deleting it deletes the entries it made. */
	clear(f);
	assert_int_equal(route_del(f, "*", G), 0);
	assert_int_equal(f->no, 1);
	expect_del(f, 0, S1, G);
	expect_no_entry(f, S1, G);
	assert_int_equal(route_del(f, "*", G), -ENOENT);
	assert_int_equal(st(f)->groups, 0);
	/* A (*,G) route added over a dynamic entry moves its iif. */
	clear(f);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 3), 0);
	expect_add(f, 0, S1, G, 3, "2:1", false);
	assert_int_equal(route_add(f, "*", G, 1, 1u << 0), 0);
	expect_add(f, 1, S1, G, 1, "0:1 2:1", true);
	expect_entry(f, S1, G, 1, "0:1 2:1", MFC_IIF_STAR_G);
	fx_free(f);
}

static int
range_add(struct fx *f, const char *g, uint8_t len, uint32_t iifs,
    uint32_t oifs)
{
	struct mfc_route rt = { .group = A(g),
		.len = len,
		.iifs = iifs,
		.oifs = oifs };
	int rc = mfc_route_add(f->m, f->now, &rt);

	collect(f);
	return rc;
}

static int
range_del(struct fx *f, const char *g, uint8_t len)
{
	int rc = mfc_route_del(f->m, f->now, A("*"), A(g), len);

	collect(f);
	return rc;
}

/*
 * (*,G/len) ranges: the most specific route covering a group decides its
 * entries (an exact group beats a /24 beats a /16); a route deleted
 * hands its entries to the next most specific, or deletes them.
 */
static void
test_static_ranges(void **state)
{
	struct fx *f = fx_new(NULL);
	struct collect_static cs = { .n = 0 };

	(void)state;
	vifs(f, 5);
	assert_int_equal(range_add(f, "239.1.0.0", 16, 1u << 0, 1u << 1), 0);
	assert_int_equal(range_add(f, "239.1.1.1", 32, 1u << 0, 1u << 3), 0);
	assert_int_equal(range_add(f, "239.1.1.0", 24, 1u << 0, 1u << 2), 0);
	/* No state yet: routes make no entries and no groups. */
	assert_int_equal(f->no, 0);
	assert_int_equal(st(f)->groups, 0);
	assert_int_equal(upcall(f, NOCACHE, S1, "239.1.1.1", 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, "239.1.1.2", 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, "239.1.2.2", 4), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, "239.2.0.1", 4), 0);
	expect_entry(f, S1, "239.1.1.1", 0, "3:1", MFC_IIF_STAR_G);
	expect_entry(f, S1, "239.1.1.2", 0, "2:1", MFC_IIF_STAR_G);
	/* Arriving on 4, which the route does not take: its iif, 0. */
	expect_entry(f, S1, "239.1.2.2", 0, "1:1", MFC_IIF_STAR_G);
	expect_entry(f, S1, "239.2.0.1", 4, "none", MFC_IIF_ARRIVAL);
	/* Most specific first. */
	assert_int_equal(mfc_foreach_route(f->m, on_static, &cs), 0);
	assert_int_equal(cs.n, 3);
	assert_string_equal(cs.lines[0], "* 239.1.1.1 0 0x8");
	assert_string_equal(cs.lines[1], "* 239.1.1.0 0 0x4");
	assert_string_equal(cs.lines[2], "* 239.1.0.0 0 0x2");
	/* The /24 goes: 239.1.1.2 follows the /16; 239.1.1.1 stays. */
	clear(f);
	assert_int_equal(range_del(f, "239.1.1.0", 24), 0);
	assert_int_equal(f->no, 1);
	expect_add(f, 0, S1, "239.1.1.2", 0, "1:1", true);
	assert_int_equal(range_del(f, "239.1.1.0", 24), -ENOENT);
	assert_int_equal(range_del(f, "239.1.1.0", 16), -ENOENT);
	/* The /16 goes: the entries only it covered go with it. */
	clear(f);
	assert_int_equal(range_del(f, "239.1.0.0", 16), 0);
	assert_int_equal(f->no, 2);
	expect_no_entry(f, S1, "239.1.1.2");
	expect_no_entry(f, S1, "239.1.2.2");
	expect_entry(f, S1, "239.1.1.1", 0, "3:1", MFC_IIF_STAR_G);
	/* A range over existing dynamic entries takes them. */
	clear(f);
	assert_int_equal(range_add(f, "239.0.0.0", 8, 1u << 4, 1u << 2), 0);
	expect_add(f, 0, S1, "239.2.0.1", 4, "2:1", true);
	expect_entry(f, S1, "239.2.0.1", 4, "2:1", MFC_IIF_STAR_G);
	/* Refused: within 224.0.0.0/24, host bits, a source with a range,
	   no iif.  224.0.0.0/4 (covering it) is fine. */
	assert_int_equal(range_add(f, "224.0.0.0", 24, 1, 2), -EINVAL);
	assert_int_equal(range_add(f, "224.0.0.128", 25, 1, 2), -EINVAL);
	assert_int_equal(range_add(f, "239.1.2.3", 16, 1, 2), -EINVAL);
	assert_int_equal(range_add(f, "239.0.0.0", 3, 1, 2), -EINVAL);
	assert_int_equal(range_add(f, "239.9.0.0", 16, 0, 2), -EINVAL);
	{
		struct mfc_route rt = { .source = A(S1),
			.group = A("239.9.0.0"),
			.len = 16,
			.iifs = 1,
			.oifs = 2 };

		assert_int_equal(mfc_route_add(f->m, f->now, &rt), -EINVAL);
		rt.group = A("239.9.9.9");
		rt.len = 32;
		rt.iifs = 3;
		assert_int_equal(mfc_route_add(f->m, f->now, &rt), -EINVAL);
	}
	assert_int_equal(range_add(f, "224.0.0.0", 4, 1, 2), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, "224.0.0.5", 0), 0);
	expect_entry(f, S1, "224.0.0.5", 0, "none", MFC_IIF_STAR_G);
	fx_free(f);
}

/*
 * A (*,G) route from several VIFs (a wildcard 'from'): an entry comes in
 * by the VIF its first packet arrived on when the route takes it, else by
 * the route's lowest; it goes out of the others the route names.
 */
static void
test_static_range_iifs(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 5);
	assert_int_equal(range_add(f, "239.3.0.0", 16, 1u << 1 | 1u << 2,
			     1u << 1 | 1u << 2 | 1u << 3),
	    0);
	assert_int_equal(upcall(f, NOCACHE, S1, "239.3.0.1", 2), 0);
	expect_entry(f, S1, "239.3.0.1", 2, "1:1 3:1", MFC_IIF_STAR_G);
	assert_int_equal(upcall(f, NOCACHE, S2, "239.3.0.1", 4), 0);
	expect_entry(f, S2, "239.3.0.1", 1, "2:1 3:1", MFC_IIF_STAR_G);
	/* The route now takes only 2: S2's entry moves there. */
	clear(f);
	assert_int_equal(range_add(f, "239.3.0.0", 16, 1u << 2, 1u << 3), 0);
	expect_entry(f, S1, "239.3.0.1", 2, "3:1", MFC_IIF_STAR_G);
	expect_entry(f, S2, "239.3.0.1", 2, "3:1", MFC_IIF_STAR_G);
	assert_true(traced(f, "static (*, 239.3.0.0/16) from vif 2 to vifs 3"));
	fx_free(f);
}

/* (S,G) static route: installed at once, never expires, most specific. */
static void
test_static_sg(void **state)
{
	struct fx *f = fx_new(NULL);
	struct collect_static cs = { .n = 0 };
	struct mfc_entry_view v;

	(void)state;
	vifs(f, 4);
	assert_int_equal(route_add(f, S1, G, 0, 1u << 1 | 1u << 2), 0);
	assert_int_equal(f->no, 1);
	expect_add(f, 0, S1, G, 0, "1:1 2:1", false);
	expect_entry(f, S1, G, 0, "1:1 2:1", MFC_IIF_STATIC);
	assert_int_equal(st(f)->dynamic_entries, 0);
	assert_int_equal(st(f)->entries, 1);
	assert_true(traced(f,
	    "static (192.0.2.1, 239.1.1.1) from vif 0 to "
	    "vifs 1 2"));
	/* A member merged in. */
	assert_int_equal(mem(f, 3, G, EXC, ""), 0);
	expect_add(f, 1, S1, G, 0, "1:1 2:1 3:1", true);
	/* A (*,G) route does not touch the (S,G) one; S2 follows it. */
	assert_int_equal(route_add(f, "*", G, 1, 1u << 0), 0);
	assert_int_equal(f->no, 2);
	assert_int_equal(upcall(f, NOCACHE, S2, G, 1), 0);
	expect_add(f, 2, S2, G, 1, "0:1 3:1", false);
	assert_int_equal(mfc_foreach_route(f->m, on_static, &cs), 0);
	assert_int_equal(cs.n, 2);
	assert_string_equal(cs.lines[0], "* 239.1.1.1 1 0x1");
	assert_string_equal(cs.lines[1], "192.0.2.1 239.1.1.1 0 0x6");
	/* Never idle. */
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_int_equal(v.expires, MC_TIME_NEVER);
	assert_int_equal(mfc_next_deadline(f->m), T0 + IDLE);
	run(f, T0 + 100 * IDLE);
	assert_int_equal(f->no, 4);
	expect_del(f, 3, S2, G);
	expect_entry(f, S1, G, 0, "1:1 2:1 3:1", MFC_IIF_STATIC);
	assert_int_equal(mfc_next_deadline(f->m), MC_TIME_NEVER);
	/* NOCACHE for it: the kernel lost it, install it again. */
	clear(f);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	expect_add(f, 0, S1, G, 0, "1:1 2:1 3:1", false);
	assert_int_equal(st(f)->upcalls_existing, 1);
	/* Delete. */
	clear(f);
	assert_int_equal(route_del(f, S2, G), -ENOENT);
	assert_int_equal(route_del(f, S1, G), 0);
	expect_del(f, 0, S1, G);
	assert_int_equal(route_del(f, S1, G), -ENOENT);
	assert_int_equal(st(f)->entries, 0);
	fx_free(f);
}

/* An (S,G) route over a dynamic entry takes it over. */
static void
test_static_takes_over_dynamic(void **state)
{
	struct fx *f = fx_new(NULL);
	struct mfc_entry_view v;

	(void)state;
	vifs(f, 3);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 1), 0);
	expect_add(f, 0, S1, G, 1, "2:1", false);
	assert_int_equal(st(f)->dynamic_entries, 1);
	assert_int_equal(route_add(f, S1, G, 0, 1u << 1), 0);
	assert_int_equal(f->no, 2);
	expect_add(f, 1, S1, G, 0, "1:1 2:1", true);
	expect_entry(f, S1, G, 0, "1:1 2:1", MFC_IIF_STATIC);
	assert_int_equal(st(f)->dynamic_entries, 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_int_equal(v.installed_at, T0);
	assert_int_equal(v.expires, MC_TIME_NEVER);
	assert_int_equal(mfc_next_deadline(f->m), MC_TIME_NEVER);
	/* Same iif, new oifs: replaced; the same again: nothing. */
	assert_int_equal(route_add(f, S1, G, 0, 0), 0);
	expect_add(f, 2, S1, G, 0, "2:1", true);
	assert_int_equal(route_add(f, S1, G, 0, 0), 0);
	assert_int_equal(f->no, 3);
	fx_free(f);
}

/* Join and leave on an installed entry; the entry outlives the leave. */
static void
test_join_leave_then_idle(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 3);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	expect_add(f, 0, S1, G, 0, "none", false);
	f->now = T0 + 5000;
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	expect_add(f, 1, S1, G, 0, "1:1", true);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	expect_add(f, 2, S1, G, 0, "1:1 2:1", true);
	/* The same view again: nothing to do. */
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	assert_int_equal(f->no, 3);
	/* Another group's change does not touch this entry. */
	assert_int_equal(mem(f, 2, G2, EXC, ""), 0);
	assert_int_equal(f->no, 3);
	assert_int_equal(mem(f, 1, G, INC, ""), 0);
	expect_add(f, 3, S1, G, 0, "2:1", true);
	assert_int_equal(mem(f, 2, G, INC, ""), 0);
	expect_add(f, 4, S1, G, 0, "none", true);
	/* Leaving twice is harmless. */
	assert_int_equal(mem(f, 2, G, INC, ""), 0);
	assert_int_equal(f->no, 5);
	assert_int_equal(st(f)->replaces, 4);
	expect_entry(f, S1, G, 0, "none", MFC_IIF_ARRIVAL);
	/* No counter ever moved: idle from the install. */
	assert_int_equal(mfc_next_deadline(f->m), T0 + IDLE);
	run(f, T0 + IDLE - 1);
	assert_int_equal(f->no, 5);
	run(f, T0 + IDLE);
	assert_int_equal(f->no, 6);
	expect_del(f, 5, S1, G);
	expect_no_entry(f, S1, G);
	assert_int_equal(st(f)->expiries, 1);
	assert_int_equal(st(f)->deletes, 1);
	assert_int_equal(st(f)->entries, 0);
	assert_int_equal(mfc_next_deadline(f->m), MC_TIME_NEVER);
	assert_true(traced(f,
	    "(192.0.2.1, 239.1.1.1) delete: idle "
	    "(dynamic)"));
	/* G2's membership keeps its group; G's is gone. */
	assert_int_equal(st(f)->groups, 1);
	fx_free(f);
}

/* Idle expiry at exact times, driven by the counters. */
static void
test_idle_counters(void **state)
{
	struct fx *f = fx_new(NULL);
	struct mfc_entry_view v;
	uint64_t pkts = 0;
	mc_time_t t;

	(void)state;
	vifs(f, 2);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S2, G, 0), 0);
	clear(f);
	/* Unchanged from the fresh kernel entry's 0: no activity. */
	f->now = T0 + 60000;
	assert_int_equal(counter(f, S1, G, 0, 0), 0);
	assert_int_equal(mfc_next_deadline(f->m), T0 + IDLE);
	/* Moved: the idle period starts again. */
	f->now = T0 + 100000;
	assert_int_equal(counter(f, S1, G, 5, 0), 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_int_equal(v.active_at, T0 + 100000);
	assert_int_equal(v.counter_at, T0 + 100000);
	assert_int_equal(v.packets, 5);
	assert_int_equal(v.expires, T0 + 100000 + IDLE);
	f->now = T0 + 200000;
	assert_int_equal(counter(f, S1, G, 5, 0), 0);
	/* Only wrong-interface packets: not activity. */
	f->now = T0 + 205000;
	assert_int_equal(counter(f, S1, G, 9, 4), 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_int_equal(v.active_at, T0 + 100000);
	assert_int_equal(v.packets, 9);
	assert_int_equal(v.wrong_if, 4);
	/* S2 idles out at T0 + IDLE exactly, S1 100 s later. */
	run(f, T0 + IDLE - 1);
	assert_int_equal(f->no, 0);
	run(f, T0 + IDLE);
	assert_int_equal(f->no, 1);
	expect_del(f, 0, S2, G);
	assert_int_equal(mfc_next_deadline(f->m), T0 + 100000 + IDLE);
	/* A counter moving every 30 s keeps it for as long as it moves. */
	for (t = T0 + 230000; t <= T0 + 2000000; t += 30000) {
		run(f, t);
		assert_int_equal(counter(f, S1, G, 9 + ++pkts * 100, 4), 0);
	}
	t -= 30000;
	assert_int_equal(f->no, 1);
	expect_entry(f, S1, G, 0, "1:1", MFC_IIF_ARRIVAL);
	/* The stream stops: gone idle_timeout after the last move seen. */
	run(f, t + IDLE - 1);
	assert_int_equal(f->no, 1);
	run(f, t + IDLE);
	assert_int_equal(f->no, 2);
	expect_del(f, 1, S1, G);
	assert_int_equal(st(f)->expiries, 2);
	/* The next packet makes a new entry. */
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	expect_add(f, 2, S1, G, 0, "1:1", false);
	assert_int_equal(counter(f, S1, G, 1, 0), 0);
	fx_free(f);
}

/* A shorter idle timeout applies to every entry's last activity. */
static void
test_reconfigure(void **state)
{
	struct fx *f = fx_new(NULL);
	struct mfc_config c;

	(void)state;
	vifs(f, 2);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	f->now = T0 + 10000;
	assert_int_equal(upcall(f, NOCACHE, S2, G, 0), 0);
	f->now = T0 + 20000;
	assert_int_equal(counter(f, S1, G, 3, 0), 0);
	assert_int_equal(mfc_next_deadline(f->m), T0 + 10000 + IDLE);
	mfc_config_defaults(&c);
	c.idle_timeout_ms = 60000;
	assert_int_equal(mfc_reconfigure(f->m, &c), 0);
	assert_int_equal(mfc_next_deadline(f->m), T0 + 70000);
	run(f, T0 + 80000);
	assert_int_equal(f->no, 4);
	expect_del(f, 2, S2, G);
	expect_del(f, 3, S1, G);
	c.idle_timeout_ms = 0;
	assert_int_equal(mfc_reconfigure(f->m, &c), -EINVAL);
	fx_free(f);
}

static void
test_vif_delete(void **state)
{
	struct fx *f = fx_new(NULL);
	struct mfc_vif_view vv;

	(void)state;
	vifs(f, 4);
	assert_int_equal(mem(f, 0, G, EXC, ""), 0);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	assert_int_equal(mem(f, 1, G2, EXC, ""), 0);
	assert_int_equal(mfc_vif(f->m, 1, &vv), 0);
	assert_int_equal(vv.groups, 2);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S2, G, 1), 0);
	assert_int_equal(route_add(f, S3, G, 1, 1u << 3), 0);
	assert_int_equal(route_add(f, "*", G2, 1, 1u << 3), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G2, 2), 0);
	expect_add(f, 0, S1, G, 0, "1:1 2:1", false);
	expect_add(f, 1, S2, G, 1, "0:1 2:1", false);
	expect_add(f, 2, S3, G, 1, "0:1 2:1 3:1", false);
	expect_add(f, 3, S1, G2, 1, "3:1", false);
	clear(f);
	assert_int_equal(mfc_vif_del(f->m, f->now, 1), 0);
	collect(f);
	/*
	 * S1 loses oif 1; S2 came in by 1: deleted; static routes keep
	 * their iif; (S1, G2) had no member left but vif 3's route.
	 */
	assert_int_equal(f->no, 2);
	expect_entry(f, S1, G, 0, "2:1", MFC_IIF_ARRIVAL);
	expect_no_entry(f, S2, G);
	expect_entry(f, S3, G, 1, "0:1 2:1 3:1", MFC_IIF_STATIC);
	expect_entry(f, S1, G2, 1, "3:1", MFC_IIF_STAR_G);
	assert_true((f->o[0].kind == MFC_OUT_DEL) !=
	    (f->o[1].kind == MFC_OUT_DEL));
	assert_int_equal(st(f)->deletes, 1);
	assert_int_equal(mfc_vif(f->m, 1, &vv), -ENOENT);
	assert_int_equal(mfc_vif_del(f->m, f->now, 1), -ENOENT);
	assert_int_equal(mem(f, 1, G, EXC, ""), -ENODEV);
	assert_int_equal(upcall(f, NOCACHE, S2, G, 1), -EINVAL);
	/* Back: its memberships were dropped, so nothing changes yet. */
	clear(f);
	vif(f, 1, 1);
	assert_int_equal(f->no, 0);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(f->no, 1);
	expect_add(f, 0, S1, G, 0, "1:1 2:1", true);
	/* A VIF a static route names appears: the route reaches it. */
	clear(f);
	assert_int_equal(route_add(f, S2, G2, 0, 1u << 9), 0);
	expect_add(f, 0, S2, G2, 0, "none", false);
	vif(f, 9, 8);
	assert_int_equal(f->no, 2);
	expect_add(f, 1, S2, G2, 0, "9:8", true);
	fx_free(f);
}

static void
test_threshold_change(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 4);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	assert_int_equal(mem(f, 3, G2, EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S2, G, 1), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G2, 0), 0);
	clear(f);
	vif(f, 2, 64);
	assert_int_equal(f->no, 2);
	assert_true(f->o[0].source.s_addr != f->o[1].source.s_addr);
	expect_entry(f, S1, G, 0, "2:64", MFC_IIF_ARRIVAL);
	expect_entry(f, S2, G, 1, "2:64", MFC_IIF_ARRIVAL);
	expect_entry(f, S1, G2, 0, "3:1", MFC_IIF_ARRIVAL);
	assert_true(traced(f, "vif 2 updated: ifindex 102, threshold 64"));
	/* The same configuration again: nothing. */
	clear(f);
	vif(f, 2, 64);
	assert_int_equal(f->no, 0);
	fx_free(f);
}

/* WRONGVIF: the first iif is kept; a moved source re-learns via idle. */
/*
 * A sampled packet whose TTL exceeds no oif's threshold: the flow is
 * forwarded nowhere; reported once per entry, with the TTL seen.
 */
static bool
sample(struct fx *f, unsigned v, const char *s, const char *g, unsigned ttl)
{
	bool reported = mfc_ttl_sample(f->m, f->now, v, A(s), A(g),
	    (uint8_t)ttl);

	collect(f);
	return reported;
}

static void
expect_starved(struct fx *f, size_t k, const char *s, const char *g,
    unsigned iif, const char *ttls, unsigned ttl)
{
	char buf[512];

	assert_true(k < f->nev);
	assert_int_equal(f->ev[k].kind, MFC_OUT_TTL_STARVED);
	assert_int_equal(f->ev[k].source.s_addr, A(s).s_addr);
	assert_int_equal(f->ev[k].group.s_addr, A(g).s_addr);
	assert_int_equal(f->ev[k].iif, iif);
	assert_string_equal(ttls_str(f->ev[k].ttls, buf, sizeof(buf)), ttls);
	assert_int_equal(f->ev[k].ttl, ttl);
}

static void
test_ttl_starved(void **state)
{
	struct fx *f = fx_new(NULL);
	struct mfc_entry_view v;
	char note[64];

	(void)state;
	vif(f, 0, 1);
	vif(f, 1, 1);
	vif(f, 2, 16);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	clear(f);
	/* Not its iif; a TTL that vif 1 forwards: nothing to say. */
	assert_false(sample(f, 1, S1, G, 1));
	assert_false(sample(f, 0, S1, G, 2));
	assert_int_equal(f->no, 0);
	/* TTL 1 on the iif: forwarded nowhere. */
	assert_true(sample(f, 0, S1, G, 1));
	assert_int_equal(f->no, 0);
	assert_int_equal(f->nev, 1);
	expect_starved(f, 0, S1, G, 0, "1:1", 1);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_true(v.ttl_starved);
	/* The oif stays; the view cuts it by its threshold. */
	assert_int_equal(v.oifs, 1u << 1);
	assert_int_equal(v.starved_ttl, 1);
	assert_int_equal(v.cut[1], MFC_CUT_THRESHOLD);
	assert_string_equal(mfc_cut_name(v.cut[1]), "threshold");
	assert_string_equal(mfc_entry_note(&v, note, sizeof(note)),
	    "ttl-too-low");
	assert_int_equal(st(f)->ttl_starved, 1);
	/* Once per entry. */
	assert_false(sample(f, 0, S1, G, 1));
	assert_int_equal(f->nev, 1);
	/* No entry; an entry without oifs (no members of G2 yet). */
	assert_false(sample(f, 0, S2, G, 1));
	assert_int_equal(upcall(f, NOCACHE, S2, G2, 0), 0);
	clear(f);
	assert_false(sample(f, 0, S2, G2, 1));
	/* Only vif 2 (threshold 16) wants G2: TTL 16 stays, 17 would pass. */
	assert_int_equal(mem(f, 2, G2, EXC, ""), 0);
	clear(f);
	assert_false(sample(f, 0, S2, G2, 17));
	assert_true(sample(f, 0, S2, G2, 16));
	expect_starved(f, 0, S2, G2, 0, "2:16", 16);
	assert_int_equal(st(f)->ttl_starved, 2);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G2), &v), -ENOENT);
	fx_free(f);
}

/*
 * A starved flow's episode ends when its sender raises the TTL: at a sample
 * that passes a threshold, or, when the new TTL is above what the tap
 * samples, after MFC_STARVED_QUIET_MS of packets without a starved sample.
 * A later starved sample starts a new episode and is reported again.
 */
static void
test_ttl_starved_over(void **state)
{
	struct fx *f = fx_new(NULL);
	struct mfc_entry_view v;
	char note[64];

	(void)state;
	vif(f, 0, 1);
	vif(f, 1, 4);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	clear(f);
	assert_true(sample(f, 0, S1, G, 1));
	/* A sample that passes vif 1's threshold 4: over. */
	assert_false(sample(f, 0, S1, G, 5));
	assert_int_equal(f->nev, 1);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_false(v.ttl_starved);
	assert_int_equal(v.cut[1], MFC_CUT_NONE);
	assert_string_equal(mfc_entry_note(&v, note, sizeof(note)), "");
	/* Starved again: a new episode, told again. */
	assert_true(sample(f, 0, S1, G, 2));
	assert_int_equal(st(f)->ttl_starved, 2);
	/* Packets keep coming, starved samples too: still starved. */
	f->now += MFC_STARVED_QUIET_MS - 1;
	assert_int_equal(counter(f, S1, G, 10, 0), 0);
	assert_false(sample(f, 0, S1, G, 2));
	f->now += MFC_STARVED_QUIET_MS - 1;
	assert_int_equal(counter(f, S1, G, 20, 0), 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_true(v.ttl_starved);
	/* No starved sample for the quiet time, no new packet: unchanged. */
	f->now += MFC_STARVED_QUIET_MS;
	assert_int_equal(counter(f, S1, G, 20, 0), 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_true(v.ttl_starved);
	/* New packets and still no starved sample: over. */
	assert_int_equal(counter(f, S1, G, 30, 0), 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_false(v.ttl_starved);
	assert_int_equal(f->nev, 2);
	fx_free(f);
}

static void
test_wrongvif(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 3);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	expect_add(f, 0, S1, G, 0, "2:1", false);
	/* Kernel asserts come on an oif: kept, counted, no output. */
	assert_int_equal(upcall(f, WRONGVIF, S1, G, 2), 0);
	assert_int_equal(upcall(f, WRONGVIF, S1, G, 1), 0);
	assert_int_equal(f->no, 1);
	assert_int_equal(st(f)->wrongvif_kept, 2);
	assert_int_equal(st(f)->upcalls[WRONGVIF], 2);
	expect_entry(f, S1, G, 0, "2:1", MFC_IIF_ARRIVAL);
	assert_true(traced(f,
	    "(192.0.2.1, 239.1.1.1) WRONGVIF on vif 1: "
	    "iif 0 kept"));
	/* WRONGVIF naming our own iif: the kernel holds another. */
	assert_int_equal(upcall(f, WRONGVIF, S1, G, 0), 0);
	expect_add(f, 1, S1, G, 0, "2:1", false);
	assert_int_equal(st(f)->upcalls_existing, 1);
	/* For an entry we do not hold: learned like NOCACHE. */
	assert_int_equal(upcall(f, WRONGVIF, S2, G, 1), 0);
	expect_add(f, 2, S2, G, 1, "2:1", false);
	/*
	 * S1 moves to vif 1: only wrong-interface packets come now, the
	 * entry goes idle and expires, the next packet re-learns.
	 */
	f->now = T0 + 30000;
	assert_int_equal(counter(f, S1, G, 100, 0), 0);
	f->now = T0 + 60000;
	assert_int_equal(counter(f, S1, G, 400, 300), 0);
	f->now = T0 + 90000;
	assert_int_equal(counter(f, S1, G, 700, 600), 0);
	run(f, T0 + 30000 + IDLE);
	assert_int_equal(f->no, 5);
	expect_del(f, 3, S2, G);
	expect_del(f, 4, S1, G);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 1), 0);
	expect_add(f, 5, S1, G, 1, "2:1", false);
	fx_free(f);
}

/* max_entries: counted, traced once, static (S,G) routes not counted. */
static void
test_limits(void **state)
{
	struct mfc_config c;
	struct fx *f;
	size_t nt;

	(void)state;
	mfc_config_defaults(&c);
	c.max_entries = 2;
	f = fx_new(&c);
	vifs(f, 2);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	f->now = T0 + 1000;
	assert_int_equal(upcall(f, NOCACHE, S2, G, 0), 0);
	nt = f->nt;
	assert_int_equal(upcall(f, NOCACHE, S3, G, 0), -ENOSPC);
	assert_int_equal(upcall(f, NOCACHE, S3, G, 0), -ENOSPC);
	assert_int_equal(upcall(f, WRONGVIF, S3, G2, 1), -ENOSPC);
	assert_int_equal(st(f)->limit_entries, 3);
	assert_int_equal(f->nt, nt + 1);
	assert_true(traced(f,
	    "(192.0.2.3, 239.1.1.1) from vif 0 not "
	    "installed: 2 entries, the limit"));
	expect_no_entry(f, S3, G);
	/* Upcalls for entries we hold still work. */
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	/* Static routes are configuration, not counted. */
	assert_int_equal(route_add(f, S3, G, 0, 2), 0);
	assert_int_equal(st(f)->entries, 3);
	assert_int_equal(st(f)->dynamic_entries, 2);
	assert_int_equal(f->no, 4);
	/* They expire: room again, and the next refusal is traced again. */
	run(f, T0 + 1000 + IDLE);
	assert_int_equal(f->no, 6);
	assert_int_equal(st(f)->dynamic_entries, 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G2, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S2, G2, 0), 0);
	nt = f->nt;
	assert_int_equal(upcall(f, NOCACHE, S3, G2, 0), -ENOSPC);
	assert_int_equal(f->nt, nt + 1);
	/* No limit. */
	c.max_entries = 0;
	assert_int_equal(mfc_reconfigure(f->m, &c), 0);
	assert_int_equal(upcall(f, NOCACHE, S3, G2, 0), 0);
	assert_int_equal(st(f)->limit_entries, 4);
	fx_free(f);
}

/* The NOTE of an entry: nothing, no members, the cuts of all. */
static void
test_entry_notes(void **state)
{
	struct fx *f = fx_new(NULL);
	struct mfc_entry_view v;
	char note[64];

	(void)state;
	vifs(f, 3);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_true(traced(f,
	    "(192.0.2.1, 239.1.1.1) install: iif 0, oifs none: no members "
	    "(dynamic)"));
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_string_equal(mfc_entry_note(&v, note, sizeof(note)),
	    "no members");
	/* A member on the iif itself is none either. */
	assert_int_equal(mem(f, 0, G, EXC, ""), 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_string_equal(mfc_entry_note(&v, note, sizeof(note)),
	    "no members");
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_string_equal(mfc_entry_note(&v, note, sizeof(note)), "");
	/* Two interfaces cut for two reasons: both named, in order. */
	assert_int_equal(vif_bounds(f, 1, 1, "239.1.0.0/16"), 0);
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	assert_int_equal(mfc_vif_del(f->m, f->now, 2), 0);
	assert_int_equal(mem(f, 2, G, EXC, ""), -ENODEV);
	assert_int_equal(route_add(f, "*", G, 0, 1u << 1 | 1u << 5), 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &v), 0);
	assert_int_equal(v.oifs, 0);
	assert_string_equal(mfc_entry_note(&v, note, sizeof(note)),
	    "all cut: boundary,no-vif");
	fx_free(f);
}

/*
 * The limit's episode: flows refused told apart, mfc_limit() says it is
 * reached until an entry goes; flush deletes the dynamic entries (all or
 * one group's), never an (S,G) static route's, and the kernel's next
 * packet makes them again.
 */
static void
test_limit_view_and_flush(void **state)
{
	struct mfc_limit_view l;
	struct mfc_config c;
	struct in_addr g;
	struct fx *f;

	(void)state;
	mfc_config_defaults(&c);
	c.max_entries = 3;
	f = fx_new(&c);
	vifs(f, 2);
	mfc_limit(f->m, &l);
	assert_int_equal(l.limit, 3);
	assert_false(l.reached);
	assert_int_equal(l.flows_refused, 0);
	assert_int_equal(route_add(f, S3, G2, 0, 1u << 1), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S2, G, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G2, 0), 0);
	/* 3 + 2 flows: 2 refused, however often the kernel asks. */
	assert_int_equal(upcall(f, NOCACHE, S3, G, 0), -ENOSPC);
	assert_int_equal(upcall(f, NOCACHE, S2, G2, 0), -ENOSPC);
	assert_int_equal(upcall(f, NOCACHE, S3, G, 0), -ENOSPC);
	mfc_limit(f->m, &l);
	assert_int_equal(l.dynamic_entries, 3);
	assert_true(l.reached);
	assert_int_equal(l.flows_refused, 2);
	assert_int_equal(st(f)->limit_entries, 3);
	/* flush G2: its dynamic entry only; the static route's stays. */
	clear(f);
	g = A(G2);
	assert_int_equal(mfc_flush(f->m, f->now, &g), 1);
	collect(f);
	assert_int_equal(f->no, 1);
	expect_del(f, 0, S1, G2);
	expect_entry(f, S3, G2, 0, "1:1", MFC_IIF_STATIC);
	expect_entry(f, S1, G, 0, "none", MFC_IIF_ARRIVAL);
	assert_true(traced(f, "flush 239.2.2.2: 1 entries"));
	/* Below the limit: a new episode, nothing refused yet. */
	mfc_limit(f->m, &l);
	assert_false(l.reached);
	assert_int_equal(l.flows_refused, 0);
	/* The next packet makes it again. */
	assert_int_equal(upcall(f, NOCACHE, S1, G2, 0), 0);
	assert_int_equal(f->no, 2);
	expect_add(f, 1, S1, G2, 0, "none", false);
	/* flush all: every dynamic entry, no group left behind. */
	clear(f);
	assert_int_equal(mfc_flush(f->m, f->now, NULL), 3);
	collect(f);
	assert_int_equal(f->no, 3);
	assert_int_equal(st(f)->entries, 1);
	assert_int_equal(st(f)->dynamic_entries, 0);
	assert_int_equal(st(f)->groups, 1);
	assert_int_equal(st(f)->flushed, 4);
	assert_int_equal(mfc_flush(f->m, f->now, NULL), 0);
	fx_free(f);
}

/*
 * Many flows refused, then the episode ends: every one is forgotten (the
 * table of refused flows is emptied while walked: it must not rehash).
 */
static void
test_limit_many_refused_cleared(void **state)
{
	struct mfc_limit_view l;
	struct mfc_config c;
	char src[INET_ADDRSTRLEN];
	struct fx *f;
	unsigned i;

	(void)state;
	mfc_config_defaults(&c);
	c.max_entries = 1;
	f = fx_new(&c);
	vifs(f, 2);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	for (i = 0; i < 600; i++) {
		snprintf(src, sizeof(src), "198.18.%u.%u", i / 250,
		    1 + i % 250);
		assert_int_equal(upcall(f, NOCACHE, src, G, 0), -ENOSPC);
	}
	mfc_limit(f->m, &l);
	assert_true(l.reached);
	assert_int_equal(l.flows_refused, 600);
	assert_int_equal(mfc_flush(f->m, f->now, NULL), 1);
	mfc_limit(f->m, &l);
	assert_false(l.reached);
	assert_int_equal(l.flows_refused, 0);
	fx_free(f);
}

static int
count_entries(void *arg, const struct mfc_entry_view *v)
{
	size_t *n = arg;

	assert_true(v->installed_at > 0);
	(*n)++;
	return 0;
}

static int
stop_at_first(void *arg, const struct mfc_entry_view *v)
{
	(void)arg;
	(void)v;
	return 7;
}

/* 3000 entries in 1000 groups: a membership change touches its own. */
static void
test_many_entries(void **state)
{
	struct fx *f = fx_new(NULL);
	const struct mfc_output *o;
	char g[32], s[32];
	size_t n = 0;
	unsigned i, j;

	(void)state;
	vifs(f, 3);
	for (i = 0; i < 1000; i++) {
		snprintf(g, sizeof(g), "239.9.%u.%u", i / 250, i % 250 + 1);
		for (j = 0; j < 3; j++) {
			snprintf(s, sizeof(s), "10.0.%u.%u", j, i % 250 + 1);
			assert_int_equal(upcall(f, NOCACHE, s, g, 0), 0);
		}
		clear(f);
	}
	assert_int_equal(st(f)->entries, 3000);
	assert_int_equal(st(f)->groups, 1000);
	assert_int_equal(mfc_foreach_entry(f->m, count_entries, &n), 0);
	assert_int_equal(n, 3000);
	assert_int_equal(mfc_foreach_entry(f->m, stop_at_first, NULL), 7);
	clear(f);
	assert_int_equal(mem(f, 2, "239.9.2.17", EXC, "10.0.1.17"), 0);
	assert_int_equal(f->no, 2);
	expect_entry(f, "10.0.0.17", "239.9.2.17", 0, "2:1", MFC_IIF_ARRIVAL);
	expect_entry(f, "10.0.1.17", "239.9.2.17", 0, "none", MFC_IIF_ARRIVAL);
	expect_entry(f, "10.0.2.17", "239.9.2.17", 0, "2:1", MFC_IIF_ARRIVAL);
	expect_entry(f, "10.0.0.18", "239.9.2.18", 0, "none", MFC_IIF_ARRIVAL);
	/* Resync: every entry again. */
	clear(f);
	mfc_resync(f->m);
	n = 0;
	while ((o = mfc_output(f->m)) != NULL) {
		assert_int_equal(o->kind, MFC_OUT_ADD);
		assert_false(o->replace);
		n++;
	}
	assert_int_equal(n, 3000);
	/* All expire at once; the tables empty. */
	assert_int_equal(mfc_next_deadline(f->m), T0 + IDLE);
	mfc_timeout(f->m, T0 + IDLE);
	n = 0;
	while ((o = mfc_output(f->m)) != NULL) {
		assert_int_equal(o->kind, MFC_OUT_DEL);
		n++;
	}
	assert_int_equal(n, 3000);
	assert_int_equal(mfc_next_deadline(f->m), MC_TIME_NEVER);
	assert_int_equal(st(f)->entries, 0);
	assert_int_equal(st(f)->groups, 1); /* the membership */
	assert_int_equal(st(f)->expiries, 3000);
	fx_free(f);
}

/* Freeing with outputs queued and state held leaks nothing (ASan). */
static void
test_free_with_state(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 3);
	assert_int_equal(mfc_membership(f->m, f->now, MFC_ORIGIN_IGMP, 1, A(G),
			     EXC, NULL, 0),
	    0);
	assert_int_equal(route_add(f, "*", G2, 0, 2), 0);
	assert_int_equal(route_add(f, S1, G2, 0, 2), 0);
	assert_int_equal(mfc_upcall(f->m, f->now, NOCACHE, A(S2), A(G), 0), 0);
	fx_free(f);
	mfc_free(NULL);
}

/* ------------------------------------------------------------------ */
/* Composition                                                        */

/* A contributor's view of G on an interface, for the tables below. */
enum contrib {
	C_NONE,	     /* no view */
	C_ANY,	     /* EXCLUDE {}: every source */
	C_INC_S,     /* INCLUDE {S1} */
	C_INC_OTHER, /* INCLUDE {S2} */
	C_EXC_S,     /* EXCLUDE {S1} */
	C_COUNT
};

static const char *const contrib_name[C_COUNT] = { "none", "any", "include-S",
	"include-other", "exclude-S" };

/* The reference rule: does the view admit S1? */
static bool
contrib_admits(enum contrib c)
{
	return c == C_ANY || c == C_INC_S;
}

static void
contrib_set(struct fx *f, enum mfc_origin origin, unsigned v, enum contrib c)
{
	static const struct {
		enum igmp_filter_mode mode;
		const char *src;
	} views[C_COUNT] = {
		{ INC, "" },
		{ EXC, "" },
		{ INC, S1 },
		{ INC, S2 },
		{ EXC, S1 },
	};

	assert_int_equal(member(f, origin, v, G, views[c].mode, views[c].src),
	    0);
}

enum placement {
	P_OIF,	   /* VIF 1, plain */
	P_BOUNDED, /* VIF 1 with a boundary covering G */
	P_IIF,	   /* the contributions are on the iif itself */
	P_COUNT
};

/*
 * Every combination of contributors on one interface (a static route or
 * not, and each membership origin in each of its five states), placed on a
 * plain oif, on a bounded one and on the iif: the entry's oifs, TTLs,
 * why-bits and cut reasons against the reference rule, and what was
 * written to the kernel against the view.
 */
static void
test_compose_every_combination(void **state)
{
	enum contrib st_c, jo_c, ig_c;
	unsigned route, place, v, checked = 0;
	struct mfc_entry_view ev;
	uint8_t want_why;
	char what[160];
	struct fx *f;

	(void)state;
	for (place = 0; place < P_COUNT; place++)
		for (route = 0; route < 2; route++)
			for (st_c = 0; st_c < C_COUNT; st_c++)
				for (jo_c = 0; jo_c < C_COUNT; jo_c++)
					for (ig_c = 0; ig_c < C_COUNT; ig_c++) {
						snprintf(what, sizeof(what),
						    "place %u route %u static %s "
						    "join %s igmp %s",
						    place, route,
						    contrib_name[st_c],
						    contrib_name[jo_c],
						    contrib_name[ig_c]);
						f = fx_new(NULL);
						vif(f, 0, 1);
						if (place == P_BOUNDED)
							assert_int_equal(
							    vif_bounds(f, 1, 7,
								"239.0.0.0/8"),
							    0);
						else
							vif(f, 1, 7);
						v = place == P_IIF ? 0 : 1;
						contrib_set(f,
						    MFC_ORIGIN_STATIC, v, st_c);
						contrib_set(f, MFC_ORIGIN_JOIN,
						    v, jo_c);
						contrib_set(f, MFC_ORIGIN_IGMP,
						    v, ig_c);
						if (route)
							assert_int_equal(
							    route_add(f, "*", G,
								0, 1u << v),
							    0);
						assert_int_equal(upcall(f,
								     NOCACHE,
								     S1, G, 0),
						    0);
						/* A route never asks for its own iif. */
						want_why =
						    (uint8_t)((route &&
									  place !=
									      P_IIF ?
								      MFC_WHY(
									  MFC_ORIGIN_ROUTE) :
								      0) |
							(contrib_admits(st_c) ?
								MFC_WHY(
								    MFC_ORIGIN_STATIC) :
								0) |
							(contrib_admits(jo_c) ?
								MFC_WHY(
								    MFC_ORIGIN_JOIN) :
								0) |
							(contrib_admits(ig_c) ?
								MFC_WHY(
								    MFC_ORIGIN_IGMP) :
								0));
						assert_int_equal(mfc_entry(f->m,
								     A(S1),
								     A(G), &ev),
						    0);
						if (ev.why[v] != want_why)
							fail_msg(
							    "%s: why %#x, expected %#x",
							    what, ev.why[v],
							    want_why);
						if (want_why != 0 &&
						    place == P_OIF) {
							if (ev.oifs != 2u ||
							    ev.ttls[1] != 7 ||
							    ev.cut[1] !=
								MFC_CUT_NONE)
								fail_msg(
								    "%s: oifs %#x ttl %u cut %u",
								    what,
								    ev.oifs,
								    ev.ttls[1],
								    ev.cut[1]);
						} else {
							if (ev.oifs != 0 ||
							    ev.ttls[1] != 0)
								fail_msg(
								    "%s: oifs %#x, expected none",
								    what,
								    ev.oifs);
							if (ev.cut[v] !=
							    (want_why == 0 ?
								    MFC_CUT_NONE :
								    place ==
									P_IIF ?
								    MFC_CUT_IIF :
								    MFC_CUT_BOUNDARY))
								fail_msg(
								    "%s: cut %s",
								    what,
								    mfc_cut_name(
									ev.cut
									    [v]));
						}
						/* What the kernel got is what the view shows. */
						assert_int_equal(f->no, 1);
						assert_int_equal(f->o[0].kind,
						    MFC_OUT_ADD);
						assert_memory_equal(f->o[0]
									.ttls,
						    ev.ttls, MFC_MAXVIFS);
						/* Nothing asked for VIF 0 but through the iif placement. */
						if (place != P_IIF)
							assert_int_equal(
							    ev.why[0], 0);
						fx_free(f);
						checked++;
					}
	assert_int_equal(checked, P_COUNT * 2 * C_COUNT * C_COUNT * C_COUNT);
}

/*
 * The whole-entry cuts: 224.0.0.x and a boundary on the iif cut every
 * interface asked for, and say so for each.
 */
static void
test_compose_cuts_all(void **state)
{
	struct mfc_entry_view ev;
	struct fx *f = fx_new(NULL);

	(void)state;
	assert_int_equal(vif_bounds(f, 0, 1, "239.1.0.0/16"), 0);
	vif(f, 1, 1);
	vif(f, 2, 1);
	assert_int_equal(member(f, MFC_ORIGIN_JOIN, 1, G, EXC, ""), 0);
	assert_int_equal(route_add(f, "*", G, 0, 1u << 2), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &ev), 0);
	assert_int_equal(ev.oifs, 0);
	assert_int_equal(ev.why[1], MFC_WHY(MFC_ORIGIN_JOIN));
	assert_int_equal(ev.why[2], MFC_WHY(MFC_ORIGIN_ROUTE));
	assert_int_equal(ev.cut[1], MFC_CUT_BOUNDARY_IIF);
	assert_int_equal(ev.cut[2], MFC_CUT_BOUNDARY_IIF);
	assert_string_equal(mfc_cut_name(ev.cut[1]), "boundary-at-iif");
	/* A link-local group: every interface cut as link-local. */
	assert_int_equal(upcall(f, NOCACHE, S1, "224.0.0.9", 1), 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A("224.0.0.9"), &ev), 0);
	assert_int_equal(ev.oifs, 0);
	/* Nobody can ask for it: memberships of 224.0.0.x are ignored. */
	assert_int_equal(ev.why[2], 0);
	assert_string_equal(mfc_cut_name(MFC_CUT_LINK_LOCAL), "link-local");
	assert_string_equal(mfc_origin_name(MFC_ORIGIN_IGMP), "igmp");
	assert_string_equal(mfc_origin_name(MFC_ORIGIN_JOIN), "join");
	assert_string_equal(mfc_origin_name(MFC_ORIGIN_STATIC), "static");
	assert_string_equal(mfc_origin_name(MFC_ORIGIN_ROUTE), "route");
	assert_string_equal(mfc_origin_name(MFC_ORIGIN_COUNT), "?");
	fx_free(f);
}

/* The fake routing protocol: source 192.0.2.x -> rpf_vif, else none. */
static int rpf_vif = -1;

static int
fake_rpf(void *arg, struct in_addr source)
{
	(void)arg;
	return (ntohl(source.s_addr) & 0xffffff00u) == 0xc0000200u ? rpf_vif :
								     -1;
}

/*
 * iif precedence: static (S,G) > static (*,G) > the routing protocol's
 * RPF > the VIF the first packet arrived on, one row per combination.
 */
static void
test_iif_precedence(void **state)
{
	static const struct {
		bool sg, star;
		int rpf; /* -1: no route */
		unsigned want;
		enum mfc_iif_origin origin;
	} rows[] = {
		{ false, false, -1, 3, MFC_IIF_ARRIVAL },
		{ false, false, 2, 2, MFC_IIF_RPF },
		{ false, true, -1, 1, MFC_IIF_STAR_G },
		{ false, true, 2, 1, MFC_IIF_STAR_G },
		{ true, false, -1, 0, MFC_IIF_STATIC },
		{ true, false, 2, 0, MFC_IIF_STATIC },
		{ true, true, -1, 0, MFC_IIF_STATIC },
		{ true, true, 2, 0, MFC_IIF_STATIC },
	};
	struct mfc_entry_view ev;
	struct fx *f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		f = fx_new(NULL);
		vifs(f, 5);
		rpf_vif = rows[i].rpf;
		mfc_set_rpf(f->m, fake_rpf, NULL);
		if (rows[i].sg)
			assert_int_equal(route_add(f, S1, G, 0, 1u << 4), 0);
		if (rows[i].star)
			assert_int_equal(route_add(f, "*", G, 1, 1u << 4), 0);
		assert_int_equal(upcall(f, NOCACHE, S1, G, 3), 0);
		assert_int_equal(mfc_entry(f->m, A(S1), A(G), &ev), 0);
		if (ev.iif != rows[i].want || ev.iif_origin != rows[i].origin)
			fail_msg("row %zu: iif %u (%s), expected %u (%s)", i,
			    ev.iif, mfc_iif_origin_name(ev.iif_origin),
			    rows[i].want, mfc_iif_origin_name(rows[i].origin));
		fx_free(f);
	}
	assert_string_equal(mfc_iif_origin_name(MFC_IIF_RPF), "rpf");
}

/* The routing protocol changes its mind: entries it decides move. */
static void
test_rpf_changed(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 4);
	assert_int_equal(mem(f, 3, G, EXC, ""), 0);
	rpf_vif = 1;
	mfc_set_rpf(f->m, fake_rpf, NULL);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, "198.51.100.1", G, 0), 0);
	expect_add(f, 0, S1, G, 1, "3:1", false);
	expect_add(f, 1, "198.51.100.1", G, 0, "3:1", false);
	expect_entry(f, S1, G, 1, "3:1", MFC_IIF_RPF);
	clear(f);
	rpf_vif = 2;
	mfc_rpf_changed(f->m, f->now);
	collect(f);
	/* Only the entry the protocol decides: moved and rewritten. */
	assert_int_equal(f->no, 1);
	expect_add(f, 0, S1, G, 2, "3:1", true);
	expect_entry(f, "198.51.100.1", G, 0, "3:1", MFC_IIF_ARRIVAL);
	/* The same answer again: nothing. */
	clear(f);
	mfc_rpf_changed(f->m, f->now);
	collect(f);
	assert_int_equal(f->no, 0);
	/* The route is lost: the arrival rule takes over. */
	rpf_vif = -1;
	mfc_rpf_changed(f->m, f->now);
	collect(f);
	assert_int_equal(f->no, 1);
	expect_add(f, 0, S1, G, 2, "3:1", true);
	expect_entry(f, S1, G, 2, "3:1", MFC_IIF_ARRIVAL);
	mfc_set_rpf(f->m, NULL, NULL);
	fx_free(f);
}

static void
expect_event(struct fx *f, size_t k, enum mfc_output_kind kind, const char *s,
    const char *g)
{
	assert_true(k < f->nev);
	assert_int_equal(f->ev[k].kind, kind);
	assert_int_equal(f->ev[k].source.s_addr, A(s).s_addr);
	assert_int_equal(f->ev[k].group.s_addr, A(g).s_addr);
}

/*
 * The events routing protocols act on: an entry installed with nothing
 * to forward to is EMPTY (DVMRP prunes), one that gains an oif NONEMPTY
 * (DVMRP grafts), one that loses its last oif EMPTY again; each right
 * after the write that made it so.
 */
static void
test_empty_nonempty_events(void **state)
{
	const struct mfc_output *o;
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 3);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(f->nev, 1);
	expect_event(f, 0, MFC_OUT_EMPTY, S1, G);
	assert_int_equal(f->ev[0].iif, 0);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(f->nev, 2);
	expect_event(f, 1, MFC_OUT_NONEMPTY, S1, G);
	/* A second oif: no event. */
	assert_int_equal(mem(f, 2, G, EXC, ""), 0);
	assert_int_equal(f->nev, 2);
	assert_int_equal(mem(f, 1, G, INC, ""), 0);
	assert_int_equal(f->nev, 2);
	assert_int_equal(mem(f, 2, G, INC, ""), 0);
	assert_int_equal(f->nev, 3);
	expect_event(f, 2, MFC_OUT_EMPTY, S1, G);
	/* An entry with oifs from the start says nothing. */
	assert_int_equal(route_add(f, S2, G2, 0, 1u << 1), 0);
	assert_int_equal(f->nev, 3);
	assert_int_equal(st(f)->empty, 2);
	assert_int_equal(st(f)->nonempty, 1);
	/* The order: the ADD, then its event. */
	clear(f);
	assert_int_equal(mfc_membership(f->m, f->now, MFC_ORIGIN_IGMP, 2, A(G),
			     EXC, NULL, 0),
	    0);
	o = mfc_output(f->m);
	assert_non_null(o);
	assert_int_equal(o->kind, MFC_OUT_ADD);
	assert_int_equal(o->source.s_addr, A(S1).s_addr);
	o = mfc_output(f->m);
	assert_non_null(o);
	assert_int_equal(o->kind, MFC_OUT_NONEMPTY);
	collect(f);
	/* Reinstalling (the kernel lost it) is no change: no event. */
	clear(f);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(f->no, 1);
	assert_int_equal(f->nev, 0);
	fx_free(f);
}

/* The entry limit: one LIMIT event until the count falls below it. */
static void
test_limit_event(void **state)
{
	struct mfc_config c;
	struct fx *f;

	(void)state;
	mfc_config_defaults(&c);
	c.max_entries = 1;
	f = fx_new(&c);
	vifs(f, 2);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	clear(f);
	assert_int_equal(upcall(f, NOCACHE, S2, G, 1), -ENOSPC);
	assert_int_equal(upcall(f, NOCACHE, S3, G, 0), -ENOSPC);
	assert_int_equal(f->nev, 1);
	expect_event(f, 0, MFC_OUT_LIMIT, S2, G);
	assert_int_equal(f->ev[0].limit, 1);
	assert_int_equal(f->ev[0].iif, 1);
	run(f, T0 + IDLE);
	clear(f);
	/* S2 comes in by vif 1, where the only member is: EMPTY. */
	assert_int_equal(upcall(f, NOCACHE, S2, G, 1), 0);
	assert_int_equal(upcall(f, NOCACHE, S3, G, 0), -ENOSPC);
	assert_int_equal(f->nev, 2);
	expect_event(f, 0, MFC_OUT_EMPTY, S2, G);
	expect_event(f, 1, MFC_OUT_LIMIT, S3, G);
	fx_free(f);
}

/* ------------------------------------------------------------------ */
/* Regressions of the routing-core issue                              */

/*
 * A static group removed (a reload without its static-group line): its
 * interface leaves the entry.  The caller gives the empty view; before,
 * a reload only pushed the joins that still existed.
 */
static void
test_regression_static_group_removed(void **state)
{
	struct mfc_entry_view ev;
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 3);
	assert_int_equal(member(f, MFC_ORIGIN_STATIC, 1, G, EXC, ""), 0);
	assert_int_equal(member(f, MFC_ORIGIN_STATIC, 2, G, INC, S1), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	expect_add(f, 0, S1, G, 0, "1:1 2:1", false);
	assert_int_equal(member(f, MFC_ORIGIN_STATIC, 1, G, INC, ""), 0);
	expect_add(f, 1, S1, G, 0, "2:1", true);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &ev), 0);
	assert_int_equal(ev.why[1], 0);
	assert_int_equal(ev.why[2], MFC_WHY(MFC_ORIGIN_STATIC));
	fx_free(f);
}

/*
 * mcastctl join then leave on an interface whose hosts are IGMP members:
 * the leave takes away the join's part only, the hosts' stays, and
 * nothing is written (the oifs did not change).  Before, the leave cut
 * forwarding until the IGMP engine's view changed.
 */
static void
test_regression_leave_keeps_igmp_members(void **state)
{
	struct mfc_entry_view ev;
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 2);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	expect_add(f, 0, S1, G, 0, "1:1", false);
	clear(f);
	assert_int_equal(member(f, MFC_ORIGIN_JOIN, 1, G, EXC, ""), 0);
	assert_int_equal(f->no, 0);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &ev), 0);
	assert_int_equal(ev.why[1],
	    MFC_WHY(MFC_ORIGIN_JOIN) | MFC_WHY(MFC_ORIGIN_IGMP));
	assert_int_equal(member(f, MFC_ORIGIN_JOIN, 1, G, INC, ""), 0);
	assert_int_equal(f->no, 0);
	assert_int_equal(f->nev, 0);
	expect_entry(f, S1, G, 0, "1:1", MFC_IIF_ARRIVAL);
	assert_int_equal(mfc_entry(f->m, A(S1), A(G), &ev), 0);
	assert_int_equal(ev.why[1], MFC_WHY(MFC_ORIGIN_IGMP));
	/* The hosts' next report (the same view) changes nothing either. */
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(f->no, 0);
	/* And when the hosts leave, the interface goes. */
	assert_int_equal(mem(f, 1, G, INC, ""), 0);
	expect_add(f, 0, S1, G, 0, "none", true);
	fx_free(f);
}

/*
 * A threshold change rewrites the TTLs of the entries forwarding to that
 * VIF and nothing else: no delete, no event, entries elsewhere untouched.
 */
static void
test_regression_threshold_rewrites_only(void **state)
{
	struct fx *f = fx_new(NULL);

	(void)state;
	vifs(f, 3);
	assert_int_equal(mem(f, 1, G, EXC, ""), 0);
	assert_int_equal(mem(f, 2, G2, EXC, ""), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G, 0), 0);
	assert_int_equal(upcall(f, NOCACHE, S1, G2, 0), 0);
	assert_int_equal(route_add(f, S2, G, 0, 1u << 1 | 1u << 2), 0);
	clear(f);
	vif(f, 1, 32);
	assert_int_equal(f->nev, 0);
	assert_int_equal(f->no, 2);
	assert_int_equal(f->o[0].kind, MFC_OUT_ADD);
	assert_int_equal(f->o[1].kind, MFC_OUT_ADD);
	assert_true(f->o[0].replace && f->o[1].replace);
	expect_entry(f, S1, G, 0, "1:32", MFC_IIF_ARRIVAL);
	expect_entry(f, S2, G, 0, "1:32 2:1", MFC_IIF_STATIC);
	expect_entry(f, S1, G2, 0, "2:1", MFC_IIF_ARRIVAL);
	assert_int_equal(st(f)->deletes, 0);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_vif_config_checked),
		cmocka_unit_test(test_asm_oifs),
		cmocka_unit_test(test_ssm_include_exclude),
		cmocka_unit_test(test_thresholds_copied),
		cmocka_unit_test(test_boundary_oif),
		cmocka_unit_test(test_boundary_iif),
		cmocka_unit_test(test_entry_notes),
		cmocka_unit_test(test_limit_view_and_flush),
		cmocka_unit_test(test_limit_many_refused_cleared),
		cmocka_unit_test(test_link_local_and_bad_input),
		cmocka_unit_test(test_static_star_g),
		cmocka_unit_test(test_static_sg),
		cmocka_unit_test(test_static_ranges),
		cmocka_unit_test(test_static_range_iifs),
		cmocka_unit_test(test_static_takes_over_dynamic),
		cmocka_unit_test(test_join_leave_then_idle),
		cmocka_unit_test(test_idle_counters),
		cmocka_unit_test(test_ttl_starved),
		cmocka_unit_test(test_ttl_starved_over),
		cmocka_unit_test(test_reconfigure),
		cmocka_unit_test(test_vif_delete),
		cmocka_unit_test(test_threshold_change),
		cmocka_unit_test(test_wrongvif),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_free_with_state),
		cmocka_unit_test(test_compose_every_combination),
		cmocka_unit_test(test_compose_cuts_all),
		cmocka_unit_test(test_iif_precedence),
		cmocka_unit_test(test_rpf_changed),
		cmocka_unit_test(test_empty_nonempty_events),
		cmocka_unit_test(test_limit_event),
		cmocka_unit_test(test_regression_static_group_removed),
		cmocka_unit_test(test_regression_leave_keeps_igmp_members),
		cmocka_unit_test(test_regression_threshold_rewrites_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
