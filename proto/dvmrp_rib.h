/*
 * The DVMRP route table as a sans-I/O engine (draft-ietf-idmr-dvmrp-v3-11
 * sections 3.4 and 3.5, as mrouted 4.x speaks it; ../shared/docs/
 * PROTOCOLS.md 2.2): our connected subnets as origins, routes learned from
 * the decoded reports of two-way neighbours, the best route per origin
 * (lowest metric, ties to the lowest neighbour address), poison reverse,
 * dependent neighbours per route and VIF, the designated forwarder on a
 * LAN, full and triggered reports, route expiry, hold-down and garbage
 * collection, and the reverse-path lookup the routing core uses.
 *
 * The caller feeds VIFs, neighbour events (from dvmrp_nbr.c), decoded
 * reports and the time; the engine answers with outputs: reports to send
 * (arrays of struct dvmrp_route the codec packs into 576-byte messages),
 * route changes and dependent changes.
 *
 * A switch of upstream never makes a loop: besides the draft's hold-down,
 * a route only moves to a neighbour whose advertised metric is below the
 * lowest metric the route had since it was last held down (the feasibility
 * condition of loop-free distance vectors); a route that has no feasible
 * neighbour left is held down: advertised at infinity for the hold-down
 * time, then taken back from any neighbour or removed.
 */
#ifndef MCAST_PROTO_DVMRP_RIB_H
#define MCAST_PROTO_DVMRP_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "dvmrp_wire.h"
#include "engine.h"

#define DVMRP_RIB_MAX_VIFS	32 /* the kernel's MAXVIFS */
#define DVMRP_RIB_MAX_NEIGHBORS 64 /* over all VIFs, as mrouted */
/* Neighbour slots kept for each other VIF that is up: one VIF holds at
   most 64 - 2 x (VIFs up - 1), at least 2. */
#define DVMRP_RIB_VIF_RESERVE 2

struct dvmrp_rib_config {
	uint32_t report_interval_ms; /* full reports: 60 s */
	uint32_t flash_interval_ms;  /* triggered: at most one per 5 s */
	uint32_t route_expire_ms;    /* not heard for 140 s: lost */
	uint32_t holddown_ms;	     /* 0 = 2 x report interval */
	uint32_t max_routes;	     /* 0 = no limit */
};

/* Draft table 2: 60 s, 5 s, 140 s, 2 x 60 s; 10,000 routes. */
void dvmrp_rib_config_defaults(struct dvmrp_rib_config *c);
/* 0, or -EINVAL (a zero interval, expiry not above the report interval). */
int dvmrp_rib_config_check(const struct dvmrp_rib_config *c);
/* Draft 3.4.6 Route Hold-down: 2 x Route Report Interval unless set. */
uint32_t dvmrp_rib_holddown_ms(const struct dvmrp_rib_config *c);

/* One VIF DVMRP runs on: its address and subnet (our origin there). */
struct dvmrp_rib_vif {
	struct in_addr local;  /* our address on it */
	struct in_addr subnet; /* the connected origin (host bits 0) */
	uint8_t prefix_len;    /* 0-32; 32 on a tunnel: no origin */
	uint8_t metric;	       /* phyint metric, 1-31 (default 1) */
};

struct dvmrp_rib;

struct dvmrp_rib *dvmrp_rib_new(const struct dvmrp_rib_config *c,
    mc_trace_fn trace, void *trace_arg);
void dvmrp_rib_free(struct dvmrp_rib *rib);
/* Start the report timer: the first full report one interval after now. */
void dvmrp_rib_start(struct dvmrp_rib *rib, mc_time_t now);
/*
 * New intervals and limits (a reload): the next full report comes no
 * later than one new interval from now; routes heard keep their expiry
 * until heard again; a lower max_routes removes nothing.  0, or -EINVAL
 * (nothing changed).
 */
int dvmrp_rib_reconfigure(struct dvmrp_rib *rib, mc_time_t now,
    const struct dvmrp_rib_config *c);

/*
 * A VIF up (or changed: a new metric or subnet): 0, or -EINVAL (vif out
 * of range, metric 0 or above 31, a prefix length above 32, host bits in
 * the subnet), nothing applied then.  Its subnet becomes an origin at the
 * VIF's metric (but a /32).
 */
int dvmrp_rib_vif_add(struct dvmrp_rib *rib, mc_time_t now, unsigned vif,
    const struct dvmrp_rib_vif *v);
/* A VIF down: its origin is lost, its neighbours go down. */
void dvmrp_rib_vif_del(struct dvmrp_rib *rib, mc_time_t now, unsigned vif);

/*
 * Neighbour events from the neighbour engine (two-way adjacency on vif).
 * up: 0, -EINVAL (no such VIF) or -ENOSPC (DVMRP_RIB_MAX_NEIGHBORS up,
 * or the VIF's share of them: counted); a full report goes to that VIF at
 * once.  down: its routes and
 * its dependencies go at once.  restart (a new GenID): down then up.
 */
int dvmrp_rib_neighbor_up(struct dvmrp_rib *rib, mc_time_t now, unsigned vif,
    struct in_addr addr);
void dvmrp_rib_neighbor_down(struct dvmrp_rib *rib, mc_time_t now, unsigned vif,
    struct in_addr addr);
int dvmrp_rib_neighbor_restart(struct dvmrp_rib *rib, mc_time_t now,
    unsigned vif, struct in_addr addr);
/*
 * A full report to vif, as soon as the timers run (the neighbour engine's
 * SEND_REPORT: a neighbour that knows us now).  Idempotent while one is
 * due; nothing when vif is not up.
 */
void dvmrp_rib_full_report(struct dvmrp_rib *rib, mc_time_t now, unsigned vif);

/*
 * A decoded report from `from` on vif.  two_way: the neighbour engine's
 * word that from is a two-way neighbour there (a neighbour not yet known
 * here comes up with it).  Not two-way: refused and counted.  Odd entries
 * (metric 0 or above 63, a mask that is not contiguous, host bits in the
 * origin) are counted and skipped; the rest is applied.
 */
void dvmrp_rib_report(struct dvmrp_rib *rib, mc_time_t now, unsigned vif,
    struct in_addr from, bool two_way, const struct dvmrp_route *routes,
    size_t n);

/* Run every timer due at now. */
void dvmrp_rib_timeout(struct dvmrp_rib *rib, mc_time_t now);
/* When dvmrp_rib_timeout() must next run (MC_TIME_NEVER: never). */
mc_time_t dvmrp_rib_next_deadline(const struct dvmrp_rib *rib);

enum dvmrp_rib_output_kind {
	/* Send routes[0..nroutes) in a report on vif (to 224.0.0.4),
	   sorted by mask then origin (host order), poison applied. */
	DVMRP_RIB_OUT_REPORT,
	/* origin/mask has a new upstream (vif, neighbour 0.0.0.0 when
	   connected) or metric, or became unreachable: the routing core's
	   reverse path (mfc_rpf_changed). */
	DVMRP_RIB_OUT_ROUTE_CHANGED,
	/* On vif, the dependents of origin/mask changed, or whether vif is a
	   child of the route (we are its designated forwarder there), while
	   the route stayed reachable (ROUTE_CHANGED says the rest: a route
	   that becomes reachable has the children and dependents its view
	   shows; an unreachable one has none). */
	DVMRP_RIB_OUT_DEPENDENTS_CHANGED,
};

struct dvmrp_rib_output {
	enum dvmrp_rib_output_kind kind;
	unsigned vif;
	/* REPORT */
	bool full; /* false: a triggered (flash) update */
	const struct dvmrp_route *routes; /* valid until the next output */
	size_t nroutes;
	/* ROUTE_CHANGED, DEPENDENTS_CHANGED */
	struct in_addr origin, mask;
	/* ROUTE_CHANGED */
	bool reachable;
	struct in_addr neighbor; /* upstream; 0.0.0.0: connected */
	uint8_t metric;		 /* DVMRP_INFINITY when unreachable */
	/* DEPENDENTS_CHANGED */
	bool child;	      /* we forward onto vif for this origin */
	unsigned ndependents; /* neighbours on vif depending on us */
};

/* Take the next output; false when there is none. */
bool dvmrp_rib_output(struct dvmrp_rib *rib, struct dvmrp_rib_output *out);

/*
 * Reverse path: the reachable route to source of the longest prefix.
 * 0 and its upstream vif, neighbour (0.0.0.0: connected) and origin
 * network (any pointer may be NULL), or -ENOENT.
 */
int dvmrp_rib_rpf(const struct dvmrp_rib *rib, struct in_addr source,
    unsigned *vif, struct in_addr *neighbor, struct in_addr *origin,
    struct in_addr *mask);
/* The same as an mfc_rpf_fn (proto/mfc.h): the vif, or -1. */
int dvmrp_rib_rpf_vif(void *rib, struct in_addr source);
/*
 * Where datagrams from source go by DVMRP before prunes: the VIFs we are
 * the designated forwarder on (children) with at least one dependent
 * neighbour there, of the route the reverse path takes (its origin and
 * mask into *origin and *mask when not NULL); 0 when no route.
 */
uint32_t dvmrp_rib_downstream(const struct dvmrp_rib *rib,
    struct in_addr source, struct in_addr *origin, struct in_addr *mask);

enum dvmrp_rib_state {
	DVMRP_RIB_UP,	    /* reachable */
	DVMRP_RIB_HOLDDOWN, /* lost: advertised at infinity, then gone */
};
const char *dvmrp_rib_state_name(enum dvmrp_rib_state s);
const char *dvmrp_rib_output_kind_name(enum dvmrp_rib_output_kind k);

struct dvmrp_rib_dependent {
	unsigned vif;
	struct in_addr addr;
};

/* One route, for mcastctl show routes and tests. */
struct dvmrp_rib_route_view {
	struct in_addr origin, mask;
	enum dvmrp_rib_state state;
	unsigned vif;		 /* upstream (the last one in hold-down) */
	struct in_addr neighbor; /* 0.0.0.0: connected */
	uint8_t metric;		 /* DVMRP_INFINITY in hold-down */
	mc_time_t expires;	 /* UP: lost then unless heard again;
				    HOLDDOWN: removed then; connected:
				    MC_TIME_NEVER */
	uint32_t children;	 /* bit v: we forward onto vif v */
	struct dvmrp_rib_dependent dependents[DVMRP_RIB_MAX_NEIGHBORS];
	unsigned ndependents; /* by vif, then address */
};

/* How many routes; route i (0-based, in report order) into v: false past
   the end. */
size_t dvmrp_rib_route_count(const struct dvmrp_rib *rib);
bool dvmrp_rib_route_at(const struct dvmrp_rib *rib, size_t i,
    struct dvmrp_rib_route_view *v);
/* The route to exactly origin/mask: false when none. */
bool dvmrp_rib_route_find(const struct dvmrp_rib *rib, struct in_addr origin,
    struct in_addr mask, struct dvmrp_rib_route_view *v);

/* NULL when every invariant of the table holds, else which one broke: no
   route through a neighbour or VIF that is down, none better and feasible
   left aside, order, counts, limits (fuzz/fuzz_dvmrp_rib.c, tests). */
const char *dvmrp_rib_check(const struct dvmrp_rib *rib);

struct dvmrp_rib_stats {
	uint64_t reports_in;	     /* applied */
	uint64_t reports_refused;    /* not from a two-way neighbour */
	uint64_t entries_in;	     /* routes in applied reports */
	uint64_t entries_bad_metric; /* 0 or above 63 */
	uint64_t entries_bad_mask;   /* not contiguous */
	uint64_t entries_bad_origin; /* host bits set */
	uint64_t route_limit;	     /* new origins refused: max_routes */
	uint64_t neighbor_limit;     /* neighbours refused: the table */
	uint64_t reports_out;	     /* full */
	uint64_t triggered_out;	     /* flash */
	uint64_t routes_out;	     /* entries in both */
	uint64_t holddowns;	     /* routes lost */
	uint64_t routes_removed;     /* after hold-down */
	uint64_t unfeasible;	     /* switches refused: would loop */
};
void dvmrp_rib_stats(const struct dvmrp_rib *rib, struct dvmrp_rib_stats *s);

#endif
