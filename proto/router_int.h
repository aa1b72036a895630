/*
 * The router library's inside (router.h), shared by router.c (life cycle,
 * outputs, timers, kernel inputs, views), router_iface.c (interfaces and
 * VIFs), router_config.c (configuration, static routes and memberships)
 * and router_rx.c (the receive demultiplexer).  Not installed.
 */
#ifndef MCAST_PROTO_ROUTER_INT_H
#define MCAST_PROTO_ROUTER_INT_H

#include "outq.h"
#include "router.h"
#include "trace.h"

struct router_iface {
	bool used;
	unsigned ifindex;
	char name[IF_NAMESIZE];
	unsigned flags;
	bool has_addr;
	struct in_addr addr;
	uint8_t prefix_len;
	int vif;	  /* -1: not a VIF */
	bool no_free_vif; /* wanted, but none was free */
	bool refused;	  /* the kernel refused its VIF: not
					   again until the interface changes */
};

struct router_vif {
	struct router *router; /* for its engine's traces */
	bool used;
	unsigned ifindex;
	char name[IF_NAMESIZE];
	struct in_addr addr;
	uint8_t prefix_len;
	uint8_t threshold;
	unsigned nboundaries;
	struct mfc_prefix boundaries[MFC_MAX_BOUNDARIES];
	struct igmp_router *igmp;
	struct igmp_router_config igmp_config;
	mc_time_t created;
	uint64_t rx;
	bool tunnel; /* a tunnel's device: no IGMP there */
};

/* A static membership view given to the composer. */
struct router_pushed {
	uint8_t vif;
	uint8_t origin; /* MFC_ORIGIN_STATIC or _JOIN */
	uint8_t mode;	/* enum igmp_filter_mode */
	struct in_addr group;
	uint32_t n;
	struct in_addr *src; /* sorted */
};

#define ROUTER_DVMRP_MRINFO_MAX (ROUTER_MAXVIFS * (DVMRP_RIB_MAX_NEIGHBORS + 1))

/* DVMRP's engines and what the router keeps for them (router_dvmrp.c). */
struct router_dvmrp {
	struct router_dvmrp_config cfg;
	struct dvmrp_nbr *nbr; /* NULL: not made (no memory) */
	struct dvmrp_rib *rib;
	struct dvmrp_prune *prune;
	struct mc_rng rng;
	uint32_t genid;
	uint32_t running; /* bit v: DVMRP runs on VIF v */
	struct {
		unsigned ifindex;
		struct in_addr addr;
		uint8_t prefix_len;
		uint8_t metric;
	} on[ROUTER_MAXVIFS]; /* what each running VIF was started with */
	bool pumping;
	/* Scratch: a report's routes, a probe's neighbours, mrinfo. */
	struct dvmrp_route *routes;
	size_t routes_cap;
	struct in_addr probe_nbrs[DVMRP_NBR_PROBE_LIST_MAX];
	struct dvmrp_rib_route_view route_scratch;
	struct in_addr mrinfo_nbrs[ROUTER_DVMRP_MRINFO_MAX];
	struct in_addr *mrinfo_list;
	unsigned mrinfo_vif;
	size_t mrinfo_n, mrinfo_room;
};

struct router {
	struct trace trace;
	uint64_t seed;

	/* The configuration, copied. */
	struct mfc_config mfc_config;
	struct igmp_router_config igmp_default;
	bool default_disable;
	struct router_phyint *phyints;
	size_t nphyints;
	struct router_static_group *statics;
	size_t nstatics;
	struct router_route *routes;
	size_t nroutes;

	/* The operator's, from mcastctl. */
	struct router_static_group joins[ROUTER_MAX_RUNTIME];
	size_t njoins;
	struct router_route *rt_routes; /* ROUTER_MAX_RUNTIME */
	size_t nrt_routes;

	/* What the composer was given of them. */
	struct mfc_route *applied; /* the routes the composer was given */
	size_t napplied;
	struct router_pushed *pushed;
	size_t npushed;
	size_t pushed_cap;

	struct router_iface ifaces[ROUTER_MAX_IFACES];
	struct router_vif vifs[ROUTER_MAXVIFS];
	struct mfc *mfc;
	struct router_dvmrp dvmrp;
	mc_time_t last_now; /* router_timeout's: for router_resync */
	struct outq outq;
	struct igmp_router_output igmp_out; /* scratch: an engine's */
	struct router_stats stats;
	/* mtrace (router_mtrace.c) */
	mc_time_t wall_at;	  /* router_set_wall_clock's now */
	int64_t wall_us;	  /* and the wall clock then */
	uint32_t mtrace_last_qid; /* the last multicast query taken */
	bool mtrace_has_qid;
	mc_time_t mtrace_second; /* the second responses are counted in */
	unsigned mtrace_responses;
	uint8_t mtrace_buf[ROUTER_MTRACE_MAX_LEN]; /* scratch: the message */
};

/* router.c */
struct router_output *router_emit(struct router *r,
    enum router_output_kind kind);
struct router_output *router_emit_event(struct router *r,
    enum router_event event, int vif);
/* Move what the engines output into the router's queue. */
void router_pump(struct router *r, mc_time_t now);
void router_drain_mfc(struct router *r, mc_time_t now);
struct router_output *router_emit_ip(struct router *r, int vif,
    const struct igmp_ip_out *ipo, const uint8_t *msg, size_t msg_len);
bool router_emit_packet(struct router *r, unsigned vif,
    const struct igmp_ip_out *ipo, const uint8_t *msg, size_t msg_len);

/* router_dvmrp.c */
int router_dvmrp_configure(struct router *r, mc_time_t now,
    const struct router_dvmrp_config *c);
void router_dvmrp_fini(struct router *r);
void router_dvmrp_sync_vifs(struct router *r, mc_time_t now);
void router_dvmrp_rx(struct router *r, mc_time_t now, unsigned vif,
    const struct igmp_ip *ip, const struct dvmrp_msg *dm);
void router_dvmrp_mfc_event(struct router *r, mc_time_t now,
    enum mfc_output_kind kind, bool replace, struct in_addr source,
    struct in_addr group);
void router_dvmrp_pump(struct router *r, mc_time_t now);
void router_dvmrp_member(struct router *r, mc_time_t now, unsigned vif,
    struct in_addr group);
void router_dvmrp_timeout(struct router *r, mc_time_t now);
mc_time_t router_dvmrp_next_deadline(const struct router *r);

/* router_mtrace.c: an mtrace query or request (type 0x1f) for us */
void router_mtrace_rx(struct router *r, mc_time_t now, unsigned vif,
    const struct igmp_ip *ip, const uint8_t *igmp, size_t igmp_len);
/* Unicast IGMP to another host that Linux gave us instead of forwarding
   it (Router Alert): sent on with its TTL less one. */
void router_transit(struct router *r, const struct igmp_ip *ip,
    const uint8_t *pkt, size_t len);

/* router_iface.c */
struct router_iface *router_iface_find(struct router *r, unsigned ifindex);
bool router_is_own_address(const struct router *r, struct in_addr a);

/* router_config.c */
const struct router_phyint *router_phyint(const struct router *r,
    const char *name);
/* Whether the configuration makes the interface called name a tunnel. */
bool router_vif_is_tunnel(const struct router *r, const char *name);
/* The settings the configuration gives an interface. */
void router_vif_settings(const struct router *r, const char *name,
    uint8_t *threshold, struct mfc_prefix *b, unsigned *nb,
    struct igmp_router_config *igmp);
/* Give the composer the static routes and memberships there should be. */
void router_routes_sync(struct router *r, mc_time_t now);
void router_statics_sync(struct router *r, mc_time_t now);
/* VIF vif went, and the composer dropped its memberships with it. */
void router_pushed_forget_vif(struct router *r, unsigned vif);
void router_config_free(struct router *r);

#endif
