/* The IGMP host engine's insides, shared by its files (not installed). */
/*
 * Files
 *   igmp_host.c      the groups (a sorted array), timers, the output
 *                    queue, compatibility mode, queries heard, the API
 *   igmp_host_v12.c  v1/v2: the RFC 2236 6 state machine (a table),
 *                    reports, leaves, suppression
 *   igmp_host_v3.c   v3: State-Change Reports (5.1), answers to queries
 *                    (5.2), reports packed and split (4.2.16)
 */
#ifndef MCAST_PROTO_IGMP_HOST_INT_H
#define MCAST_PROTO_IGMP_HOST_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <arpa/inet.h>

#include "igmp_host.h"
#include "outq.h"
#include "trace.h"

#define IGMP_HOST_F_LAST_REPORTER 0x01 /* v2: we reported last */
#define IGMP_HOST_F_MODE_CHANGE	  0x02 /* v3: a TO_IN/TO_EX pending */

#define IGMP_HOST_V1_MAX_RESP_MS 10000	/* RFC 1112 App. I: 10 s */
#define IGMP_HOST_DEFAULT_QI_MS	 125000 /* RFC 3376 8.2 */
#define IGMP_HOST_MAX_SOURCES	 UINT16_MAX

struct igmp_host_group {
	struct in_addr group;
	uint8_t mode;	 /* enum igmp_filter_mode */
	uint8_t retrans; /* reports still to send */
	uint8_t flags;	 /* IGMP_HOST_F_* */
	uint8_t spare;
	uint16_t nsrc;	     /* the filter's sources */
	uint16_t nquery;     /* queried sources (5.2 rules 3, 5) */
	uint16_t nallow;     /* pending ALLOW_NEW_SOURCES */
	uint16_t nblock;     /* pending BLOCK_OLD_SOURCES */
	mc_time_t report_at; /* group timer, MC_TIME_NEVER: off */
	struct in_addr *src; /* src, query, allow, block; sorted */
};

/* What a membership costs (see the top of igmp_host.c). */
_Static_assert(sizeof(struct igmp_host_group) <= 32,
    "a group entry outgrew 32 bytes");

/* A packet in the output queue. */
struct igmp_host_pkt {
	struct in_addr dst;
	size_t len;
	uint8_t data[];
};

/* Fields ordered without holes: the engine fits the heap block it had. */
struct igmp_host {
	struct igmp_host_config cfg;
	struct mc_rng rng;
	struct trace trace;

	struct igmp_host_group *groups; /* sorted by address */
	uint32_t ngroups;
	uint32_t cap;

	struct in_addr addr;
	unsigned version;	    /* compatibility mode, 1-3 */
	unsigned robustness;	    /* RV: configured, then QRV */
	uint32_t query_interval_ms; /* QI: 125 s, then QQI */
	mc_time_t general_at;	    /* interface timer (5.2) */
	mc_time_t change_at;	    /* State-Change timer (5.1) */
	mc_time_t v1_until;	    /* Older Version Querier */
	mc_time_t v2_until;	    /* Present timers (7.2.1) */
	mc_time_t deadline;	    /* the earliest of all timers */

	struct outq outq; /* of igmp_host_pkt */
	struct igmp_host_stats stats;
};

static inline uint32_t
igmp_host_haddr(struct in_addr a)
{
	return ntohl(a.s_addr);
}

/* Reception state: EXCLUDE, or INCLUDE with sources. */
static inline bool
igmp_host_member(const struct igmp_host_group *g)
{
	return g->mode == IGMP_FILTER_EXCLUDE || g->nsrc > 0;
}

/* The group's block holds src, then query, allow and block sources. */
static inline struct in_addr *
igmp_host_grp_query(const struct igmp_host_group *g)
{
	return g->src ? g->src + g->nsrc : NULL;
}

static inline struct in_addr *
igmp_host_grp_allow(const struct igmp_host_group *g)
{
	return g->src ? g->src + g->nsrc + g->nquery : NULL;
}

static inline struct in_addr *
igmp_host_grp_block(const struct igmp_host_group *g)
{
	return g->src ? g->src + g->nsrc + g->nquery + g->nallow : NULL;
}

/* igmp_host.c */
int igmp_host_group_store(struct igmp_host_group *g, const struct in_addr *src,
    uint32_t nsrc, const struct in_addr *query, uint32_t nquery,
    const struct in_addr *allow, uint32_t nallow, const struct in_addr *block,
    uint32_t nblock);
void igmp_host_group_drop_changes(struct igmp_host_group *g);
void igmp_host_group_drop_query(struct igmp_host_group *g);
uint32_t igmp_host_find(const struct igmp_host *h, struct in_addr group,
    bool *found);
struct igmp_host_group *igmp_host_lookup(const struct igmp_host *h,
    struct in_addr group);
struct igmp_host_group *igmp_host_group_insert(struct igmp_host *h, uint32_t i,
    struct in_addr group);
void igmp_host_group_remove(struct igmp_host *h, uint32_t i);
void igmp_host_gc(struct igmp_host *h);
uint32_t igmp_host_unsolicited_report_interval_ms(const struct igmp_host *h);
uint32_t igmp_host_delay(struct igmp_host *h, uint32_t max_ms);
void igmp_host_enqueue(struct igmp_host *h, struct in_addr dst,
    const uint8_t *data, size_t len);

/* igmp_host_v12.c */
int igmp_host_v12_change(struct igmp_host *h, mc_time_t now,
    struct in_addr group, uint8_t mode, const struct in_addr *src,
    uint32_t nsrc);
void igmp_host_v12_query(struct igmp_host *h, mc_time_t now,
    struct in_addr group, uint32_t max_resp_ms);
void igmp_host_v12_heard_report(struct igmp_host *h, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg);
void igmp_host_v12_timeout(struct igmp_host *h, mc_time_t now);

/* igmp_host_v3.c */
int igmp_host_v3_change(struct igmp_host *h, mc_time_t now,
    struct in_addr group, uint8_t mode, const struct in_addr *b, uint32_t nb);
void igmp_host_v3_query(struct igmp_host *h, mc_time_t now,
    struct in_addr group, const struct igmp_msg *msg, uint32_t max_resp_ms);
void igmp_host_v3_timeout(struct igmp_host *h, mc_time_t now);

#endif
