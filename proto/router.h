/*
 * One multicast router's engines wired together, as a sans-I/O library:
 * the interfaces the system has, the VIFs made of them, an IGMP router
 * engine on each, the forwarding composer (mfc.h), and the static routes
 * and memberships of the configuration and of the operator.  mcastd feeds
 * it what the kernel says (interfaces, IGMP packets, upcalls, counters)
 * and carries out what it outputs (VIFs, MFC entries, packets); test/sim
 * wires several of them together in memory.  It never touches a socket,
 * a clock or a log.
 *
 * The path of a packet: router_igmp_packet() decodes it (igmp_wire.h) and
 * tells membership messages, DVMRP, mtrace and unknown types apart, each
 * counted; a membership message goes to its VIF's IGMP engine, whose view
 * goes to the composer, whose entries come out as ROUTER_OUT_MFC_ADD.
 */
#ifndef MCAST_PROTO_ROUTER_H
#define MCAST_PROTO_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

#include "dvmrp_nbr.h"
#include "dvmrp_prune.h"
#include "dvmrp_rib.h"
#include "dvmrp_wire.h"
#include "engine.h"
#include "igmp_router.h"
#include "igmp_wire.h"
#include "mfc.h"
#include "mtrace_wire.h"

#define ROUTER_MAXVIFS	   MFC_MAXVIFS
#define ROUTER_MAX_IFACES  1024
#define ROUTER_MAX_OIFS	   32
#define ROUTER_MAX_RUNTIME 256 /* run-time routes, and joins */
#define ROUTER_MAX_PACKET  (24 + IGMP_ROUTER_MAX_PACKET)

/* ---- configuration ---- */

/* What the configuration says of one interface (a phyint statement). */
struct router_phyint {
	char name[IF_NAMESIZE];
	bool disable;
	uint8_t threshold;		/* 1-255 */
	struct igmp_router_config igmp; /* complete, checked */
	struct mfc_prefix boundaries[MFC_MAX_BOUNDARIES];
	unsigned nboundaries;
	uint8_t metric; /* DVMRP: 1-31; 0 = the default, 1 */
	bool no_dvmrp;	/* DVMRP off here: IGMP only */
	/*
	 * A tunnel's device (mcastd's TUN, daemon/tun.c): its address is a
	 * /32, its DVMRP neighbour the far end, whatever its address; the
	 * VIF is flagged a tunnel in Neighbors 2, and DVMRP's messages to
	 * 224.0.0.4 go to tunnel_remote instead (unicast, as mrouted sends
	 * them on a tunnel).
	 */
	bool tunnel;
	struct in_addr tunnel_remote;
};

/*
 * DVMRP (dvmrp { ... } in the file): on by default on every VIF; while
 * there is no neighbour it changes nothing in forwarding.
 */
struct router_dvmrp_config {
	bool disable; /* DVMRP off everywhere */
	struct dvmrp_nbr_config nbr;
	struct dvmrp_rib_config rib;
	uint32_t prune_lifetime_s; /* 120..: we send L/2 + random(L) */
};

/* A static membership: phyint static-group, or mcastctl join. */
struct router_static_group {
	char ifname[IF_NAMESIZE];
	struct in_addr group;
	bool has_source;
	struct in_addr source;
};

/*
 * A static route: mroute in the file, or mcastctl add mroute.  A name
 * ending in '+' is a wildcard: every interface whose name starts with
 * what comes before it ("eth+": eth0, eth1 ...), as they come and go.  A
 * (*,G) route may name a range of groups (group_len < 32) and a wildcard
 * iif; an (S,G) route names one group and one iif.
 */
struct router_route {
	char iif[IF_NAMESIZE];
	bool has_source; /* false: (*,G) */
	struct in_addr source;
	struct in_addr group;
	uint8_t group_len; /* 32: the one group; 4-31: a range */
	char oifs[ROUTER_MAX_OIFS][IF_NAMESIZE];
	unsigned noifs;
};

struct router_config {
	struct mfc_config mfc;
	struct router_dvmrp_config dvmrp;
	/* For interfaces no phyint names. */
	struct igmp_router_config igmp;
	bool default_disable;
	const struct router_phyint *phyints;
	size_t nphyints;
	const struct router_static_group *statics;
	size_t nstatics;
	const struct router_route *routes;
	size_t nroutes;
};

/* Defaults: IGMP's RFC defaults, mfc's, DVMRP's (on), nothing named, all
   enabled. */
void router_config_defaults(struct router_config *c);
/* DVMRP's defaults: on, the engines' intervals, prune lifetime 7200 s. */
void router_dvmrp_config_defaults(struct router_dvmrp_config *c);
/* 0, or -EINVAL: what the neighbour, route and prune engines refuse (a
   neighbour timeout not above the probe interval, a route expiry not above
   the report interval, a prune lifetime below 120 s ...).  mcastd.conf's
   checks say the same per setting. */
int router_dvmrp_config_check(const struct router_dvmrp_config *c);

struct router;

/* NULL when out of memory or the configuration is refused. */
struct router *router_new(const struct router_config *c, uint64_t rng_seed,
    mc_trace_fn trace, void *trace_arg);
void router_free(struct router *r);

/*
 * A new configuration (a reload): everything is copied.  Only what
 * changed is touched: an interface's IGMP settings go to its engine, its
 * threshold and boundaries to the composer (which rewrites the entries
 * they change; the kernel's VIF stays), static groups and routes are
 * compared with the ones before (those gone are taken away), interfaces
 * enabled or disabled become or stop being VIFs.  0, or -EINVAL (a
 * setting the engines refuse; nothing changed), -ENOMEM.
 */
int router_configure(struct router *r, mc_time_t now,
    const struct router_config *c);

/* ---- the operator's run-time routes and memberships ---- */

/*
 * mcastctl add mroute: 0 added, 1 replaced one with the same source,
 * group and group_len (*replaced, when not NULL, is the route it
 * replaced), or -ENOSPC (ROUTER_MAX_RUNTIME), -EINVAL.
 */
int router_route_add(struct router *r, mc_time_t now,
    const struct router_route *rt, struct router_route *replaced);
/*
 * mcastctl del mroute: the run-time route with key's source, group and
 * group_len (its names are not compared).  0 or -ENOENT.
 */
int router_route_del(struct router *r, mc_time_t now,
    const struct router_route *key);
/* Whether an interface name matches a route's name (or wildcard). */
bool router_name_matches(const char *pattern, const char *name);
/* The VIFs (a bit each) whose interface names match pattern now. */
uint32_t router_vifs_matching(const struct router *r, const char *pattern);
/*
 * mcastctl flush [GROUP]: delete the forwarding entries the kernel's
 * packets made (all, or group's when group is not NULL), not those of
 * (S,G) static routes; the next packet of each flow makes its entry
 * again.  Returns how many were deleted.
 */
unsigned router_flush(struct router *r, mc_time_t now,
    const struct in_addr *group);
/*
 * mcastctl join / leave: 0, or -EEXIST (join: held already), -ENOENT
 * (leave: not held), -ENOSPC, -EINVAL.
 */
int router_join(struct router *r, mc_time_t now,
    const struct router_static_group *j);
int router_leave(struct router *r, mc_time_t now,
    const struct router_static_group *j);

/* ---- interfaces, as the kernel announces them ---- */

/* A link appeared or changed (name, IFF_* flags). */
void router_link(struct router *r, unsigned ifindex, const char *name,
    unsigned flags);
void router_link_del(struct router *r, unsigned ifindex);
/* An IPv4 address: the first one an interface gets is the one used. */
void router_addr_add(struct router *r, unsigned ifindex, struct in_addr addr,
    uint8_t prefix_len);
/*
 * An address went.  true when it was the one in use: the interface has no
 * address now, and the caller should list the addresses again (another
 * may remain that nothing will announce).
 */
bool router_addr_del(struct router *r, unsigned ifindex, struct in_addr addr);
/*
 * Make the VIFs follow the interfaces and the configuration: after a
 * batch of link and address changes.
 */
void router_reconcile(struct router *r, mc_time_t now);
/* The kernel refused ROUTER_OUT_VIF_ADD: the VIF goes (-errno kept). */
void router_vif_refused(struct router *r, mc_time_t now, unsigned vif,
    int error);

/* ---- the kernel's multicast routing ---- */

/*
 * A packet of the IGMP protocol number (IPv4 header included) that
 * arrived on ifindex: decoded, told apart by type and code, counted, and
 * handed to the engine it is for.
 */
void router_igmp_packet(struct router *r, mc_time_t now, unsigned ifindex,
    const uint8_t *pkt, size_t len);
/* An upcall: a packet from source to group arrived on vif. */
void router_upcall(struct router *r, mc_time_t now, enum mfc_upcall_kind kind,
    unsigned vif, struct in_addr source, struct in_addr group);
/* The kernel's counters of an entry (see mfc_counters). */
void router_mfc_counters(struct router *r, mc_time_t now, struct in_addr source,
    struct in_addr group, uint64_t packets, uint64_t bytes, uint64_t wrong_if);
/* A sampled packet with a low TTL (see mfc_ttl_sample). */
void router_ttl_sample(struct router *r, mc_time_t now, unsigned ifindex,
    struct in_addr source, struct in_addr group, uint8_t ttl);
/* The kernel lost its table (the MRT socket was opened again). */
void router_resync(struct router *r);

/* Run every timer due at now; the next deadline (MC_TIME_NEVER: none). */
void router_timeout(struct router *r, mc_time_t now);
mc_time_t router_next_deadline(const struct router *r);

/* ---- multicast traceroute (router_mtrace.c) ---- */

/*
 * The wall clock mtrace's arrival times are read from: wall_us (the
 * system's time, microseconds since 1970) was the time at now.  Until it
 * is set, arrival times count from 1970 at now 0.
 */
void router_set_wall_clock(struct router *r, mc_time_t now, int64_t wall_us);

/* Responses sent at most per second: more are dropped (counted). */
#define ROUTER_MTRACE_RESPONSES_PER_S 10
/* The largest mtrace datagram we send (IPv4 header with Router Alert
   included): a request that would grow past it ends in "no space". */
#define ROUTER_MTRACE_MAX_LEN 1500

/*
 * The kernel's counters an mtrace block wants, which the router does not
 * have: mcastd reads them (SIOCGETVIFCNT, SIOCGETSGCNT) and writes them
 * with router_mtrace_fill() before it sends the packet.
 */
struct router_mtrace_counters {
	bool fill;	  /* this SEND carries a block to complete */
	size_t block_off; /* where our block starts in packet */
	int in_vif;	  /* input packets of it; -1: none (all ones) */
	int out_vif;	  /* output packets of it; -1: none */
	bool sg;	  /* (source, group)'s packets; false: none */
	struct in_addr source, group;
};

/*
 * Write the counters into our block of packet (len bytes, the IPv4 header
 * included, as ROUTER_OUT_SEND gives it) and seal its IGMP checksum
 * again.  UINT32_MAX is the draft's "not known".  false when the block is
 * not inside the packet.
 */
bool router_mtrace_fill(uint8_t *packet, size_t len,
    const struct router_mtrace_counters *c, uint32_t in_pkts, uint32_t out_pkts,
    uint32_t sg_pkts);

/* Why a traceroute request was not taken (stats.mtrace_dropped[]). */
enum router_mtrace_drop {
	ROUTER_MTRACE_DROP_NONE,
	ROUTER_MTRACE_DROP_NOT_LAST_HOP,  /* a multicast query whose receiver
					    is not on a VIF of ours on the
					    source's tree: another router's */
	ROUTER_MTRACE_DROP_DUPLICATE,	  /* a multicast query answered
					    already (the same query id) */
	ROUTER_MTRACE_DROP_HOPS_ZERO,	  /* hops 0 */
	ROUTER_MTRACE_DROP_HOPS_FULL,	  /* as many blocks as hops */
	ROUTER_MTRACE_DROP_RESPONSE_ADDR, /* 0.0.0.0, ours, loopback,
					     class E */
	ROUTER_MTRACE_DROP_LOOP,	  /* a block is ours already */
	ROUTER_MTRACE_DROP_MULTICAST,	  /* a request with blocks sent to
					    a group */
	ROUTER_MTRACE_DROP_RATE,	  /* over the responses' cap */
	ROUTER_MTRACE_DROP_NO_VIF,	  /* nowhere to send it from */
	ROUTER_MTRACE_DROP_COUNT
};
const char *router_mtrace_drop_key(enum router_mtrace_drop d);

/* ---- outputs ---- */

enum router_output_kind {
	ROUTER_OUT_VIF_ADD, /* MRT_ADD_VIF vif on ifindex */
	ROUTER_OUT_VIF_DEL, /* MRT_DEL_VIF (the interface may be gone) */
	ROUTER_OUT_JOIN,    /* the router's own membership of group on
				   ifindex: 224.0.0.2, 224.0.0.22 */
	ROUTER_OUT_LEAVE,
	ROUTER_OUT_SEND,    /* packet (IPv4 header included) out of
				   ifindex to dst; ifindex 0: where the
				   unicast routing table says (an mtrace
				   response, IGMP in transit) */
	ROUTER_OUT_MFC_ADD, /* MRT_ADD_MFC (source, group, iif, ttls) */
	ROUTER_OUT_MFC_DEL, /* MRT_DEL_MFC (source, group) */
	ROUTER_OUT_EVENT,   /* for the operator: see enum router_event */
};

enum router_event {
	ROUTER_EV_VIF_UP,	  /* vif on ifname: threshold, igmp_version */
	ROUTER_EV_VIF_DOWN,	  /* vif on ifname went: why */
	ROUTER_EV_VIF_ADDRESS,	  /* vif's address changed to addr/prefix */
	ROUTER_EV_NO_FREE_VIF,	  /* ifname: all ROUTER_MAXVIFS in use */
	ROUTER_EV_IGMP,		  /* vif's IGMP engine said something: igmp */
	ROUTER_EV_RX_DROPPED,	  /* a packet from from on vif the decoder
				   refused: error (enum igmp_error) */
	ROUTER_EV_RX_TTL,	  /* a membership message with TTL != 1: kept */
	ROUTER_EV_RX_UNKNOWN,	  /* an IGMP type nobody handles: type */
	ROUTER_EV_TTL_STARVED,	  /* (source, group) forwarded nowhere: its
				   TTL ttl is below every oif's threshold */
	ROUTER_EV_MFC_LIMIT,	  /* (source, group) from vif not installed:
				   count = the limit */
	ROUTER_EV_MFC_EMPTY,	  /* (source, group) has no oifs now */
	ROUTER_EV_MFC_NONEMPTY,	  /* (source, group) has oifs again */
	ROUTER_EV_DVMRP_NEIGHBOR, /* a DVMRP neighbour addr on vif: dvmrp */
};

const char *router_event_name(enum router_event e);

/* The part of an IGMP engine's event the router passes on. */
struct router_igmp_event {
	enum igmp_router_event event;
	enum igmp_router_ignored ignored;
	struct in_addr from;
	struct in_addr to;
	struct in_addr group;
	struct in_addr previous; /* the querier before */
	uint8_t type;
	unsigned version;
	uint32_t count;
};

/* A DVMRP neighbour's event (dvmrp_nbr.h): up, down, restart, limit. */
struct router_dvmrp_event {
	enum dvmrp_nbr_event event;
	enum dvmrp_nbr_state previous, state;
	enum dvmrp_nbr_down_reason reason;
	enum dvmrp_nbr_refusal refusal;
	enum dvmrp_nbr_ignored ignored;
	uint32_t genid, old_genid;
	bool route_table_full; /* UP, but the route table has no slot for
				  it there: its reports are refused */
};

struct router_output {
	enum router_output_kind kind;
	unsigned vif;	  /* VIF_*, EVENT about a VIF */
	unsigned ifindex; /* VIF_*, JOIN, LEAVE, SEND */
	char ifname[IF_NAMESIZE];
	uint8_t threshold;	   /* VIF_ADD: informational */
	struct in_addr group;	   /* JOIN, LEAVE, MFC_*, EVENT */
	struct in_addr source;	   /* MFC_*, EVENT */
	unsigned iif;		   /* MFC_ADD */
	uint8_t ttls[MFC_MAXVIFS]; /* MFC_ADD */
	bool replace;		   /* MFC_ADD: was installed */
	struct in_addr dst;	   /* SEND */
	const uint8_t *packet;	   /* SEND: len bytes, IPv4
						   header included */
	size_t len;
	/* SEND of an mtrace request or response: counters to write */
	struct router_mtrace_counters mtrace;
	/* EVENT */
	enum router_event event;
	const char *why;       /* VIF_DOWN: a constant */
	unsigned igmp_version; /* VIF_UP */
	struct in_addr addr;   /* VIF_ADDRESS, RX_* source */
	uint8_t prefix_len;
	int error;			 /* RX_DROPPED */
	uint8_t type;			 /* RX_UNKNOWN, RX_TTL */
	enum igmp_kind msg_kind;	 /* RX_TTL */
	uint8_t ttl;			 /* RX_TTL, TTL_STARVED */
	uint32_t count;			 /* MFC_LIMIT */
	struct router_igmp_event igmp;	 /* EV_IGMP */
	struct router_dvmrp_event dvmrp; /* EV_DVMRP_NEIGHBOR */
};

/*
 * The next output, valid until the next call; NULL when there is none.
 * Outputs come in the order their causes happened: a VIF is added before
 * anything uses it, entries are rewritten before a VIF they used goes.
 */
const struct router_output *router_output(struct router *r);

/* ---- views for mcastctl and tests ---- */

enum router_iface_state {
	ROUTER_IFACE_ROUTING, /* a VIF */
	ROUTER_IFACE_DOWN,
	ROUTER_IFACE_NO_MULTICAST,
	ROUTER_IFACE_NO_CARRIER, /* up, but not running (no carrier) */
	ROUTER_IFACE_NO_ADDRESS,
	ROUTER_IFACE_DISABLED, /* by the configuration */
	ROUTER_IFACE_LOOPBACK,
	ROUTER_IFACE_NO_FREE_VIF,
	ROUTER_IFACE_REFUSED, /* the kernel refused its VIF */
};

const char *router_iface_state_name(enum router_iface_state s);

struct router_iface_view {
	unsigned ifindex;
	const char *name;
	unsigned flags;
	bool has_addr;
	struct in_addr addr;
	uint8_t prefix_len;
	int vif; /* -1: not a VIF */
	enum router_iface_state state;
};

/* Every interface, in the order the kernel announced them. */
int router_foreach_iface(const struct router *r,
    int (*fn)(void *arg, const struct router_iface_view *v), void *arg);

struct router_vif_view {
	unsigned vif;
	unsigned ifindex;
	const char *name;
	struct in_addr addr;
	uint8_t prefix_len;
	uint8_t threshold;
	unsigned nboundaries;
	const struct mfc_prefix *boundaries;
	const struct igmp_router *igmp; /* its engine */
	const struct igmp_router_config *igmp_config;
	mc_time_t created;
	uint64_t rx; /* IGMP-protocol packets */
};

/* 0 and *v, or -ENOENT. */
int router_vif(const struct router *r, unsigned vif, struct router_vif_view *v);
/* The VIF on ifindex, or -1. */
int router_vif_of_ifindex(const struct router *r, unsigned ifindex);
/* The VIF on the interface called name, or -1. */
int router_vif_by_name(const struct router *r, const char *name);

/* Static memberships: the configuration's, then mcastctl's. */
int router_foreach_static_group(const struct router *r,
    int (*fn)(void *arg, const struct router_static_group *g, bool runtime),
    void *arg);

struct router_route_view {
	const struct router_route *route;
	bool runtime;  /* from mcastctl */
	bool applied;  /* its iif (or one its wildcard matches) is a VIF */
	bool shadowed; /* the file has the same one */
	uint32_t iifs; /* applied: the VIFs it comes in by */
	uint32_t oifs; /* applied: the VIFs its names match now */
};

/* Static routes: the configuration's, then mcastctl's. */
int router_foreach_route(const struct router *r,
    int (*fn)(void *arg, const struct router_route_view *v), void *arg);

/* The forwarding composer, for its views (mfc_foreach_entry ...). */
const struct mfc *router_mfc(const struct router *r);

/* DVMRP's engines, for their views (dvmrp_nbr_foreach ...); NULL when
   they could not be made. */
const struct dvmrp_nbr *router_dvmrp_neighbors(const struct router *r);
const struct dvmrp_rib *router_dvmrp_routes(const struct router *r);
const struct dvmrp_prune *router_dvmrp_prunes(const struct router *r);
/* Whether DVMRP runs on VIF vif, and the metric it has there (0: no VIF). */
bool router_dvmrp_running(const struct router *r, unsigned vif);
uint8_t router_dvmrp_vif_metric(const struct router *r, unsigned vif);

struct router_stats {
	uint64_t rx;			   /* router_igmp_packet() calls */
	uint64_t rx_not_vif;		   /* on an interface not a VIF */
	uint64_t rx_own;		   /* our own, looped back */
	uint64_t rx_dropped[IGMP_E_COUNT]; /* by -igmp_error */
	uint64_t rx_membership;		   /* to the IGMP engines */
	uint64_t rx_ttl_not_1;		   /* of which TTL != 1 */
	uint64_t rx_on_tunnel; /* of which through a tunnel: dropped */
	uint64_t rx_dvmrp[DVMRP_GRAFT_ACK + 1]; /* by code; [0]:
						   codes beyond those */
	/* DVMRP the codec refused (dvmrp_wire.h), by -DVMRP_E_ kind */
	uint64_t rx_dvmrp_malformed[DVMRP_E_COUNT];
	uint64_t rx_dvmrp_off;	     /* on a VIF DVMRP does not run on */
	uint64_t rx_dvmrp_probe_cut; /* probes listing more neighbours
					than one 1500-byte probe holds:
					the rest not read */
	uint64_t tx_dvmrp[DVMRP_GRAFT_ACK + 1]; /* by code */
	uint64_t rx_mtrace_query;		/* 0x1f */
	uint64_t rx_mtrace_response;		/* 0x1e */
	uint64_t rx_pim_v1;			/* 0x14 */
	uint64_t rx_unknown;			/* any other type */
	uint64_t rx_in_transit;			/* unicast, not to us: passing
						   through (Linux hands them
						   to the MRT socket) */
	uint64_t tx_transit;			/* of which forwarded by us */
	uint64_t transit_ttl_expired;		/* of which TTL 1: dropped */
	uint64_t transit_broadcast; /* of which to a broadcast address
				       (delivered here, not passing
				       through): dropped */
	/* mtrace (router_mtrace.c) */
	uint64_t mtrace_rx_query;   /* 0x1f without a block, taken */
	uint64_t mtrace_rx_request; /* 0x1f with blocks, taken */
	uint64_t mtrace_malformed[MTRACE_E_COUNT]; /* by -MTRACE_E_ */
	uint64_t mtrace_dropped[ROUTER_MTRACE_DROP_COUNT];
	uint64_t mtrace_tx_forwarded; /* to the upstream router */
	uint64_t mtrace_tx_response;  /* to the response address */
	uint64_t tx;		      /* ROUTER_OUT_SEND */
	uint64_t vif_refused;	      /* VIF_ADD the kernel refused */
	uint64_t no_free_vif;
	uint64_t unexpected_events; /* allocation failures */
};

const struct router_stats *router_stats(const struct router *r);

#endif
