/*
 * IGMP engine costs, for callgrind (repeatable instruction counts):
 *
 *   igmp_engine router GROUPS HOSTS v2|v3   feed GROUPS x HOSTS reports
 *   igmp_engine host GROUPS                 host memory per membership
 *
 * Only bench_router_feed() does the measured work: run it under
 * valgrind --tool=callgrind --toggle-collect=bench_router_feed and divide
 * the instructions by the reports it prints.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "igmp_host.h"
#include "igmp_router.h"
#include "igmp_wire.h"

#define BENCH_BASE_GROUP 0xe8000000u /* 232.0.0.0 and up */
#define BENCH_SUBNET	 0xc6120000u /* 198.18.0.0/16 */

struct bench_report {
	uint8_t bytes[64];
	struct igmp_msg msg;
};

static void
bench_drain(struct igmp_router *r)
{
	struct igmp_router_output *out = malloc(sizeof(*out));

	while (igmp_router_output(r, out))
		;
	free(out);
}

/* Pre-build one report per group (v2 report, or v3 ALLOW {S}). */
static struct bench_report *
bench_reports(uint32_t groups, bool v3)
{
	struct bench_report *rep = calloc(groups, sizeof(*rep));
	struct in_addr g, s = { htonl(0xc6120001u) };
	struct igmp_v3_report b;
	uint32_t i;
	int len;

	for (i = 0; rep != NULL && i < groups; i++) {
		g.s_addr = htonl(BENCH_BASE_GROUP + 256 + i);
		if (v3) {
			igmp_v3_report_begin(&b, rep[i].bytes,
			    sizeof(rep[i].bytes));
			igmp_v3_report_add(&b, IGMP_ALLOW_NEW_SOURCES, g, &s,
			    1);
			len = igmp_v3_report_finish(&b);
		} else {
			len = igmp_build_v2_report(rep[i].bytes,
			    sizeof(rep[i].bytes), g);
		}
		if (len < 0 ||
		    igmp_decode(rep[i].bytes, (size_t)len, &rep[i].msg) !=
			IGMP_OK) {
			fprintf(stderr, "cannot build report %u\n", i);
			exit(1);
		}
	}
	return rep;
}

/* The measured loop: every host reports every group, one ms apart per
 * thousand reports. */
__attribute__((noinline)) static uint64_t
bench_router_feed(struct igmp_router *r, const struct bench_report *rep,
    uint32_t groups, uint32_t hosts, bool v3)
{
	struct igmp_ip ip = { .ttl = 1, .tos = 0xc0, .router_alert = true };
	uint64_t n = 0;
	mc_time_t now = 1000;
	uint32_t h, g;

	for (h = 0; h < hosts; h++) {
		ip.src.s_addr = htonl(BENCH_SUBNET + 2 + h);
		for (g = 0; g < groups; g++) {
			ip.dst.s_addr = v3 ? htonl(IGMP_V3_ROUTERS) :
					     rep[g].msg.group.s_addr;
			igmp_router_input(r, now, &ip, &rep[g].msg);
			if (++n % 1000 == 0) {
				now++;
				bench_drain(r);
			}
		}
	}
	bench_drain(r);
	return n;
}

static int
bench_router(uint32_t groups, uint32_t hosts, bool v3)
{
	struct igmp_router_config c;
	struct igmp_router *r;
	struct bench_report *rep;
	struct in_addr me = { htonl(BENCH_SUBNET + 1) };
	struct timespec t0, t1;
	uint64_t n;

	igmp_router_config_defaults(&c);
	c.ssm_prefix_len = 0; /* our groups are 232/8: no SSM rules */
	r = igmp_router_new(&c, me, 16, 42, NULL, NULL);
	rep = bench_reports(groups, v3);
	if (r == NULL || rep == NULL)
		return 1;
	igmp_router_start(r, 0);
	bench_drain(r);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = bench_router_feed(r, rep, groups, hosts, v3);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("reports=%llu groups=%llu ns_per_report=%.1f\n",
	    (unsigned long long)n,
	    (unsigned long long)igmp_router_stats(r)->groups,
	    ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
		(double)(t1.tv_nsec - t0.tv_nsec)) /
		(double)n);
	igmp_router_free(r);
	free(rep);
	return 0;
}

static int
bench_host(uint32_t groups)
{
	struct igmp_host_config c;
	struct igmp_host *h;
	struct mallinfo2 before, after;
	size_t used;
	struct in_addr g, me = { htonl(BENCH_SUBNET + 2) };
	uint32_t i;

	igmp_host_config_defaults(&c);
	before = mallinfo2();
	h = igmp_host_new(&c, me, 1, NULL, NULL);
	for (i = 0; h != NULL && i < groups; i++) {
		g.s_addr = htonl(BENCH_BASE_GROUP + 256 + i);
		igmp_host_set_filter(h, 0, g, IGMP_FILTER_EXCLUDE, NULL, 0);
	}
	after = mallinfo2();
	/* Heap in use, small blocks and mmap'd ones alike. */
	used = after.uordblks + after.hblkhd - before.uordblks - before.hblkhd;
	printf("host_bytes=%zu memberships=%u bytes_per_membership=%.1f\n",
	    used, groups, (double)used / groups);
	igmp_host_free(h);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "router") == 0)
		return bench_router((uint32_t)atoi(argv[2]),
		    (uint32_t)atoi(argv[3]), strcmp(argv[4], "v3") == 0);
	if (argc == 3 && strcmp(argv[1], "host") == 0)
		return bench_host((uint32_t)atoi(argv[2]));
	fprintf(stderr,
	    "usage: igmp_engine router GROUPS HOSTS v2|v3 | "
	    "host GROUPS\n");
	return 2;
}
