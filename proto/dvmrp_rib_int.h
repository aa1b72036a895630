/*
 * The DVMRP route table's inside, shared by dvmrp_rib.c (timers, route
 * choice), dvmrp_rib_rx.c (VIFs, neighbours, reports) and dvmrp_rib_view.c (reports, lookups, views, checks):
 * routes kept in one array sorted as reports list them (mask, then
 * origin, host order).
 */
#ifndef MCAST_PROTO_DVMRP_RIB_INT_H
#define MCAST_PROTO_DVMRP_RIB_INT_H

#include <arpa/inet.h>

#include "dvmrp_rib.h"
#include "heap.h"
#include "outq.h"
#include "trace.h"

#define FD_NONE 0xff /* no feasible distance: any neighbour will do */

/* What one neighbour last advertised for a route. */
struct rib_cand {
	uint8_t slot; /* in rib->nbrs */
	uint8_t adv;  /* 1..31 reachable, 33..63 poison reverse */
	mc_time_t heard;
};

struct rib_route {
	uint32_t origin, mask; /* host order */
	uint8_t plen;
	enum dvmrp_rib_state state;
	unsigned vif;	  /* upstream */
	uint32_t gateway; /* host order; 0: connected */
	uint8_t metric;	  /* DVMRP_INFINITY in hold-down */
	uint8_t fd;	  /* feasible distance, or FD_NONE */
	bool changed;	  /* for the next triggered update */
	mc_time_t hold_until;
	struct rib_cand *cands;
	uint8_t ncands, capcands;
	uint32_t children; /* bit v: we are v's designated forwarder */
	uint64_t deps;	   /* neighbour slots depending on us */
	struct heap_node timer;
};

struct rib_nbr {
	bool used;
	unsigned vif;
	uint32_t addr; /* host order */
};

struct rib_vif {
	bool up;
	bool full_due; /* a new neighbour: a full report at once */
	struct dvmrp_rib_vif cfg;
	uint64_t slots; /* its neighbours */
};

struct rib_out {
	struct dvmrp_rib_output o;
	struct dvmrp_route routes[];
};

struct dvmrp_rib {
	struct dvmrp_rib_config c;
	struct trace trace;
	struct outq outq;
	struct heap timers;
	struct rib_route **routes; /* sorted by (mask, origin) */
	size_t nroutes, caproutes;
	uint32_t plen_count[33];
	struct rib_nbr nbrs[DVMRP_RIB_MAX_NEIGHBORS];
	struct rib_vif vifs[DVMRP_RIB_MAX_VIFS];
	mc_time_t next_full;
	mc_time_t flash_at; /* MC_TIME_NEVER: none pending */
	mc_time_t last_flash;
	mc_time_t full_due_at; /* a VIF's full_due: MC_TIME_NEVER: none */
	bool limit_traced;
	struct dvmrp_rib_stats stats;
};

static inline struct in_addr
rib_in(uint32_t host)
{
	struct in_addr a = { htonl(host) };

	return a;
}

static inline uint32_t
rib_plen_mask(unsigned plen)
{
	return plen == 0 ? 0 : 0xffffffffu << (32 - plen);
}

struct rib_route *dvmrp_rib_find(const struct dvmrp_rib *rib, uint32_t origin,
    uint32_t mask);
/* An output record with room for nroutes routes, or NULL (memory). */
struct rib_out *dvmrp_rib_push(struct dvmrp_rib *rib,
    enum dvmrp_rib_output_kind kind, unsigned vif, size_t nroutes);
/* A report on vif: every route, or the changed ones only. */
void dvmrp_rib_send_report(struct dvmrp_rib *rib, unsigned vif, bool full);

/* dvmrp_rib.c, for dvmrp_rib_rx.c. */
/* "198.18.1.0/24" into buf (24 bytes). */
const char *rib_net(uint32_t origin, uint8_t plen, char *buf);
/* A new route, in hold-down that ends now (so that it is chosen or
   dropped by its first update), or NULL (memory). */
struct rib_route *rib_insert(struct dvmrp_rib *rib, mc_time_t now,
    uint32_t origin, uint32_t mask, uint8_t plen);
/*
 * Choose the route of r again from its candidates at now (draft 3.4.4 -
 * 3.4.7): connected first, then the best feasible neighbour; none left:
 * hold-down; hold-down over: any neighbour, else removed.  Emits what
 * changed.  false when r was removed.
 */
bool rib_update(struct dvmrp_rib *rib, struct rib_route *r, mc_time_t now);
/* Every route again (a VIF or neighbour came or went). */
void rib_update_all(struct dvmrp_rib *rib, mc_time_t now);

#endif
