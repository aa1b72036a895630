/*
 * DVMRP engine costs, for callgrind (repeatable instruction counts):
 *
 *   dvmrp_engine rib ROUTES REPEATS
 *       a two-way neighbour reports ROUTES /24s (from 10.0.0.0) in
 *       576-byte reports as mrouted and mcastd send them; measured apart:
 *         bench_decode   the codec: every report decoded, its routes walked
 *         bench_learn    the route table: the first full report, every route
 *                        new (its outputs drained: route changes, the
 *                        triggered report)
 *         bench_steady   the same full report again REPEATS times, 10 s
 *                        apart (nothing changes: the steady state)
 *       and the heap the table holds per route (mallinfo2).
 *   dvmrp_engine prune ENTRIES
 *       ENTRIES (origin, group) entries, each with a downstream dependent,
 *       then one prune received for each; measured apart:
 *         bench_prunes     dvmrp_prune_prune_input and its outputs
 *         bench_deadlines  dvmrp_prune_next_deadline once after each prune
 *                          (as the router asks after every event)
 *
 * Run under valgrind --tool=callgrind --toggle-collect=FUNCTION and divide
 * the instructions by the entries printed.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "dvmrp_prune.h"
#include "dvmrp_rib.h"
#include "dvmrp_wire.h"

#define BENCH_BASE   0x0a000000u /* 10.0.0.0, /24s up */
#define BENCH_GROUPS 0xef010000u /* 239.1.0.0 */
#define BENCH_UP     0xc6120102u /* 198.18.1.2, the upstream neighbour */
#define BENCH_DOWN   0xc6120202u /* 198.18.2.2, a dependent */

struct bench_report {
	uint8_t bytes[DVMRP_REPORT_MAX_IP];
	size_t len;
	struct dvmrp_route routes[DVMRP_BODY_MAX / 4];
	size_t nroutes;
};

static size_t
heap_used(void)
{
	struct mallinfo2 m = mallinfo2();

	return m.uordblks + m.hblkhd;
}

/* The full report of routes /24s, as messages of at most 576 bytes. */
static struct bench_report *
bench_reports(uint32_t routes, size_t *nrep)
{
	struct dvmrp_route *all = calloc(routes, sizeof(*all));
	struct bench_report *rep = calloc(routes + 1, sizeof(*rep));
	size_t done = 0, used, n = 0;
	int len;

	if (all == NULL || rep == NULL)
		exit(1);
	for (uint32_t i = 0; i < routes; i++) {
		all[i].origin.s_addr = htonl(BENCH_BASE + (i << 8));
		all[i].mask.s_addr = htonl(0xffffff00u);
		all[i].metric = 1;
	}
	qsort(all, routes, sizeof(*all), dvmrp_route_cmp);
	while (done < routes) {
		len = dvmrp_build_report(rep[n].bytes,
		    sizeof(rep[n].bytes) - DVMRP_IP_HDR_LEN, DVMRP_CAPS_OURS,
		    all + done, routes - done, &used);
		if (len < 0 || used == 0) {
			fprintf(stderr, "cannot build report %zu\n", n);
			exit(1);
		}
		rep[n].len = (size_t)len;
		done += used;
		n++;
	}
	free(all);
	*nrep = n;
	return rep;
}

static void
bench_rib_drain(struct dvmrp_rib *rib)
{
	struct dvmrp_rib_output o;

	while (dvmrp_rib_output(rib, &o))
		;
}

/* The codec: decode every report, walk its routes into rep[i].routes. */
__attribute__((noinline)) static uint64_t
bench_decode(struct bench_report *rep, size_t nrep)
{
	struct dvmrp_msg m;
	struct dvmrp_route_iter it;
	uint64_t n = 0;

	for (size_t i = 0; i < nrep; i++) {
		if (dvmrp_decode(rep[i].bytes, rep[i].len, &m) != DVMRP_OK)
			exit(1);
		rep[i].nroutes = 0;
		dvmrp_routes_begin(&m, &it);
		while (dvmrp_routes_next(&it, &rep[i].routes[rep[i].nroutes]))
			rep[i].nroutes++;
		n += rep[i].nroutes;
	}
	return n;
}

/* One full report from the upstream neighbour into the table. */
static uint64_t
bench_feed(struct dvmrp_rib *rib, mc_time_t now, const struct bench_report *rep,
    size_t nrep)
{
	struct in_addr up = { htonl(BENCH_UP) };
	uint64_t n = 0;

	for (size_t i = 0; i < nrep; i++) {
		dvmrp_rib_report(rib, now, 0, up, true, rep[i].routes,
		    rep[i].nroutes);
		n += rep[i].nroutes;
	}
	bench_rib_drain(rib);
	return n;
}

__attribute__((noinline)) static uint64_t
bench_learn(struct dvmrp_rib *rib, const struct bench_report *rep, size_t nrep)
{
	return bench_feed(rib, 1000, rep, nrep);
}

__attribute__((noinline)) static uint64_t
bench_steady(struct dvmrp_rib *rib, const struct bench_report *rep, size_t nrep,
    uint32_t repeats)
{
	uint64_t n = 0;

	for (uint32_t r = 1; r <= repeats; r++)
		n += bench_feed(rib, 1000 + (mc_time_t)r * 10000, rep, nrep);
	return n;
}

static int
bench_rib(uint32_t routes, uint32_t repeats)
{
	struct dvmrp_rib_config c;
	struct dvmrp_rib *rib;
	struct dvmrp_rib_vif v;
	struct bench_report *rep;
	struct in_addr up = { htonl(BENCH_UP) };
	size_t nrep, before;
	uint64_t decoded, learned, steady;
	unsigned vif;

	rep = bench_reports(routes, &nrep);
	decoded = bench_decode(rep, nrep);
	dvmrp_rib_config_defaults(&c);
	c.max_routes = 0;
	before = heap_used();
	rib = dvmrp_rib_new(&c, NULL, NULL);
	if (rib == NULL)
		return 1;
	dvmrp_rib_start(rib, 0);
	for (vif = 0; vif < 2; vif++) {
		memset(&v, 0, sizeof(v));
		v.local.s_addr = htonl(0xc6120001u + ((vif + 1) << 8));
		v.subnet.s_addr = htonl(0xc6120000u + ((vif + 1) << 8));
		v.prefix_len = 24;
		v.metric = 1;
		if (dvmrp_rib_vif_add(rib, 0, vif, &v) != 0)
			return 1;
	}
	if (dvmrp_rib_neighbor_up(rib, 0, 0, up) != 0)
		return 1;
	bench_rib_drain(rib);
	learned = bench_learn(rib, rep, nrep);
	printf("rib_bytes=%zu bytes_per_route=%.1f\n", heap_used() - before,
	    (double)(heap_used() - before) / routes);
	steady = bench_steady(rib, rep, nrep, repeats);
	printf("reports=%zu decoded=%llu learned=%llu steady=%llu routes=%zu\n",
	    nrep, (unsigned long long)decoded, (unsigned long long)learned,
	    (unsigned long long)steady, dvmrp_rib_route_count(rib));
	dvmrp_rib_free(rib);
	free(rep);
	return 0;
}

static void
bench_prune_drain(struct dvmrp_prune *p)
{
	struct dvmrp_prune_output o;

	while (dvmrp_prune_output(p, &o))
		;
}

static struct in_addr
bench_origin(uint32_t i)
{
	struct in_addr a = { htonl(BENCH_BASE + ((i / 1000) << 8)) };

	return a;
}

static struct in_addr
bench_group(uint32_t i)
{
	struct in_addr a = { htonl(BENCH_GROUPS + i % 1000) };

	return a;
}

__attribute__((noinline)) static uint64_t
bench_prunes(struct dvmrp_prune *p, uint32_t entries, uint32_t i)
{
	struct in_addr down = { htonl(BENCH_DOWN) };

	dvmrp_prune_prune_input(p, 2000, 1, down, bench_origin(i),
	    bench_group(i), 7200);
	bench_prune_drain(p);
	return entries;
}

__attribute__((noinline)) static mc_time_t
bench_deadlines(const struct dvmrp_prune *p)
{
	return dvmrp_prune_next_deadline(p);
}

static int
bench_prune(uint32_t entries)
{
	struct dvmrp_prune_config c;
	struct dvmrp_prune *p;
	struct mc_rng rng = { 42 };
	struct in_addr up = { htonl(BENCH_UP) }, down = { htonl(BENCH_DOWN) };
	struct in_addr mask = { htonl(0xffffff00u) };
	mc_time_t t = 0;
	size_t before;
	uint32_t i;

	dvmrp_prune_config_defaults(&c);
	c.max_entries = entries + 1;
	before = heap_used();
	p = dvmrp_prune_new(&c, &rng);
	if (p == NULL)
		return 1;
	dvmrp_prune_nbr_up(p, 0, up);
	dvmrp_prune_nbr_up(p, 1, down);
	for (i = 0; i < entries; i++) {
		if (dvmrp_prune_entry_add(p, 1000, bench_origin(i), mask,
			bench_group(i), 0, up) != 0)
			return 1;
		if (i % 1000 == 0)
			dvmrp_prune_dependents(p, 1000, bench_origin(i), 1,
			    true, 1);
	}
	bench_prune_drain(p);
	for (i = 0; i < entries; i++) {
		bench_prunes(p, 1, i);
		t = bench_deadlines(p);
	}
	printf("prunes=%u entries=%llu held=%llu next=%lld bytes_per_entry="
	       "%.1f\n",
	    entries, (unsigned long long)dvmrp_prune_stats(p)->entries,
	    (unsigned long long)dvmrp_prune_stats(p)->prunes, (long long)t,
	    (double)(heap_used() - before) / entries);
	dvmrp_prune_free(p);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "rib") == 0)
		return bench_rib((uint32_t)atoi(argv[2]),
		    (uint32_t)atoi(argv[3]));
	if (argc == 3 && strcmp(argv[1], "prune") == 0)
		return bench_prune((uint32_t)atoi(argv[2]));
	fprintf(stderr,
	    "usage: dvmrp_engine rib ROUTES REPEATS | prune ENTRIES\n");
	return 2;
}
