/*
 * The forwarding composer: the one place where the kernel's multicast
 * forwarding entry (MFC) of every (S,G) is composed from tagged inputs, as
 * a sans-I/O engine.  Every routing input says who gives it (its origin);
 * the composer unites them, takes away what must never be forwarded, keeps
 * a shadow of what the kernel holds, and says what to write (PROTOCOLS.md
 * section 3, ARCHITECTURE.md "The routing core").
 *
 * Inputs, each tagged by origin:
 *   memberships     per (origin, VIF, group): INCLUDE {A} or EXCLUDE {Y},
 *                   from IGMP (the router engine's view), the
 *                   configuration's static groups and mcastctl join;
 *   static routes   (S,G) from one incoming VIF to a set of VIFs, or
 *                   (*,G) for a group or a range of them (G/len) from one
 *                   or several VIFs to a set of VIFs;
 *   RPF             the routing protocol's reverse path to a source and
 *                   its downstream VIFs for (S,G) (functions the caller
 *                   sets; DVMRP plugs in here, later PIM);
 *   kernel          upcalls (NOCACHE, WRONGVIF) and counters;
 *   VIFs            thresholds and administrative-scope boundaries.
 *
 * The rules:
 *   iif(S,G)  = the iif of an (S,G) static route, else of the most
 *               specific (*,G) static route covering G (a range G/len; of
 *               its VIFs, the one the first packet arrived on, or its
 *               lowest), else the RPF VIF toward S, else the VIF the first
 *               packet arrived on;
 *   oifs(S,G) = (the (S,G) route's oifs, or else the (*,G) route's
 *               ∪ { v : a membership on v admits S }
 *               ∪ the routing protocol's downstream VIFs, when the iif
 *                 is its reverse path)
 *               - iif - { v : a boundary of v covers G }
 *               - everything when a boundary of iif covers G
 *               - everything for G in 224.0.0.0/24;
 *   a membership admits S when it is INCLUDE {A} with S in A, or
 *   EXCLUDE {Y} with S not in Y;
 *   the kernel TTL of each oif is its VIF's threshold (a datagram leaves
 *   by it only with a TTL above it), 0 elsewhere.
 * Every oif records why it is there (the origins that asked for it), and
 * every interface asked for but left out records why (mfc_entry_view).
 *
 * Outputs (mfc_output): MFC adds and deletes, and events for the routing
 * protocols and the operator: an entry's outgoing list became empty or
 * non-empty, a flow starved by a TTL below every threshold, an upcall
 * refused at the entry limit.
 */
#ifndef MCAST_PROTO_MFC_H
#define MCAST_PROTO_MFC_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "engine.h"
#include "igmp_router.h"

#define MFC_MAXVIFS	   32 /* the kernel's MAXVIFS */
#define MFC_MAX_BOUNDARIES 32 /* per VIF */

/* Who gives an input.  The order is the order they are shown in. */
enum mfc_origin {
	MFC_ORIGIN_ROUTE,  /* a static route (mroute, mcastctl add) */
	MFC_ORIGIN_STATIC, /* a static group (phyint static-group) */
	MFC_ORIGIN_JOIN,   /* mcastctl join */
	MFC_ORIGIN_IGMP,   /* IGMP membership of hosts */
	MFC_ORIGIN_DVMRP,  /* DVMRP: a downstream VIF with dependent
			      neighbours that have not all pruned */
	MFC_ORIGIN_COUNT   /* later: MLD, PIM */
};
#define MFC_WHY(origin) (1u << (origin))

const char *mfc_origin_name(enum mfc_origin o); /* "igmp" ... */

/* How an entry's iif was chosen (the precedence of mfc.h's rules). */
enum mfc_iif_origin {
	MFC_IIF_ARRIVAL, /* the VIF the first packet arrived on */
	MFC_IIF_RPF,	 /* the routing protocol's reverse path */
	MFC_IIF_STAR_G,	 /* a (*,G) static route */
	MFC_IIF_STATIC,	 /* an (S,G) static route: its own entry */
};

const char *mfc_iif_origin_name(enum mfc_iif_origin o);

/* Why an interface asked for is not an oif. */
enum mfc_cut {
	MFC_CUT_NONE,
	MFC_CUT_IIF,	      /* it is the incoming interface */
	MFC_CUT_BOUNDARY,     /* a boundary of it covers the group */
	MFC_CUT_BOUNDARY_IIF, /* a boundary of the iif covers the group */
	MFC_CUT_LINK_LOCAL,   /* 224.0.0.0/24 is never forwarded */
	MFC_CUT_NO_VIF,	      /* it is not a VIF now */
	MFC_CUT_THRESHOLD,    /* an oif, but the flow's TTL (sampled) does
				 not pass its threshold: ttl_starved */
	MFC_CUT_PRUNED,	      /* the routing protocol's downstream VIF,
				 pruned by every router there */
};

const char *mfc_cut_name(enum mfc_cut c); /* "boundary" ... */

struct mfc_config {
	/*
	 * An entry whose counter of packets that came in by its iif has
	 * not moved for this long is deleted.  Default 210 s, the
	 * Keepalive_Period of RFC 7761 4.11 (mrouted used 300 s).
	 */
	uint32_t idle_timeout_ms;
	/*
	 * Entries made by upcalls at once (limits { mfc-entries }); 0 = no
	 * limit.  Default 8192.
	 */
	uint32_t max_entries;
};

void mfc_config_defaults(struct mfc_config *c);
/* 0, or -EINVAL (idle timeout 0). */
int mfc_config_check(const struct mfc_config *c);

/* A group range: network byte order, host bits zero. */
struct mfc_prefix {
	struct in_addr addr;
	uint8_t len;
};

struct mfc_vif_config {
	unsigned ifindex;		     /* shown, not used in decisions */
	uint8_t threshold;		     /* TTL threshold 1-255 */
	const struct mfc_prefix *boundaries; /* admin-scope ranges */
	unsigned nboundaries;		     /* <= MFC_MAX_BOUNDARIES */
};

/*
 * The routing protocol's reverse path: the VIF toward source, or -1 when
 * it has no route (the next rule decides).
 */
typedef int (*mfc_rpf_fn)(void *arg, struct in_addr source);
/*
 * The routing protocol's downstream VIFs of (source, group) whose iif is
 * its reverse path (a bit per VIF; 0: none), and in *pruned those it
 * would forward onto but every router there pruned (shown as cut).
 */
typedef uint32_t (*mfc_downstream_fn)(void *arg, struct in_addr source,
    struct in_addr group, uint32_t *pruned);

struct mfc;

struct mfc *mfc_new(const struct mfc_config *c, uint64_t rng_seed,
    mc_trace_fn trace, void *trace_arg);
void mfc_free(struct mfc *m);
/*
 * New idle timeout and limit: every dynamic entry's expiry becomes its
 * last activity + the new timeout; a lower limit deletes nothing.
 */
int mfc_reconfigure(struct mfc *m, const struct mfc_config *c);

/*
 * Add VIF vif (0..MFC_MAXVIFS-1), or change its threshold or boundaries:
 * the entries it changes are replaced, nothing else (a threshold is only
 * in the entries' TTLs).  0, or -EINVAL.
 */
int mfc_vif_set(struct mfc *m, mc_time_t now, unsigned vif,
    const struct mfc_vif_config *c);
/*
 * Delete VIF vif: its memberships are dropped, it leaves every entry's
 * oifs, and entries that came in by it are deleted unless a static route
 * names it.  0 or -ENOENT.
 */
int mfc_vif_del(struct mfc *m, mc_time_t now, unsigned vif);

/*
 * origin's view of group on vif (not MFC_ORIGIN_ROUTE): INCLUDE {}
 * removes it; the other origins' views stay as they are.  sources need
 * not be sorted.  Every entry of the group is recomputed.  0; -ENODEV (no
 * such VIF), -EINVAL (not a group, bad origin or mode), -ENOMEM.  A view
 * for 224.0.0.0/24 is counted and ignored.
 */
int mfc_membership(struct mfc *m, mc_time_t now, enum mfc_origin origin,
    unsigned vif, struct in_addr group, enum igmp_filter_mode mode,
    const struct in_addr *sources, uint32_t nsources);

/*
 * A static route.  (S,G): from one VIF (iifs has one bit) to the VIFs of
 * oifs, for one group (len 32).  (*,G): source INADDR_ANY, for the groups
 * of group/len (len 4-32; 32 is one group), from any VIF of iifs (a
 * wildcard 'from' names several) to the VIFs of oifs.
 */
struct mfc_route {
	struct in_addr source; /* INADDR_ANY: (*,G) */
	struct in_addr group;  /* host bits zero */
	uint8_t len;	       /* prefix length of the group range */
	uint32_t iifs;	       /* bit v = VIF v */
	uint32_t oifs;	       /* bit v = VIF v */
};

/*
 * Add a static route, or replace the one with the same source, group and
 * len.  An (S,G) route installs its entry at once, and it never expires
 * (the iif's own bit in oifs is ignored).  A (*,G) route decides the iif
 * and adds its oifs to the entries of every group it covers, the most
 * specific range first (a /32 beats a /16 beats a /8): an entry's iif is
 * the VIF its first packet came in by when that is one of iifs, else the
 * lowest of iifs; an iif that is also in oifs is left out of that
 * entry's.  A range may cover 224.0.0.0/24 (its groups are never
 * forwarded all the same) but not lie within it.  0; -EINVAL (bad vifs,
 * group, len, source, or within 224.0.0.0/24), -ENOMEM.
 */
int mfc_route_add(struct mfc *m, mc_time_t now, const struct mfc_route *rt);
/*
 * Deletes the route with that source, group and len; the entries it made
 * go, unless a less specific (*,G) range still covers them (they follow
 * it then).  0 or -ENOENT.
 */
int mfc_route_del(struct mfc *m, mc_time_t now, struct in_addr source,
    struct in_addr group, uint8_t len);

/*
 * The routing protocol's reverse path (NULL: none).  mfc_rpf_changed()
 * recomputes the iif of every entry that no static route decides.
 */
void mfc_set_rpf(struct mfc *m, mfc_rpf_fn fn, void *arg);
void mfc_rpf_changed(struct mfc *m, mc_time_t now);
/* The routing protocol's downstream VIFs (NULL: none). */
void mfc_set_downstream(struct mfc *m, mfc_downstream_fn fn, void *arg);
/*
 * The routing protocol's view changed for the sources of source/len
 * (len 0: every source) and group (INADDR_ANY: every group): the iif and
 * oifs of those entries are recomputed, the ones that changed rewritten.
 */
void mfc_routing_changed(struct mfc *m, mc_time_t now, struct in_addr source,
    uint8_t len, struct in_addr group);

enum mfc_upcall_kind {
	MFC_UPCALL_NOCACHE = 1,	 /* IGMPMSG_NOCACHE */
	MFC_UPCALL_WRONGVIF = 2, /* IGMPMSG_WRONGVIF */
};
#define MFC_UPCALL_KINDS 3

const char *mfc_upcall_kind_name(enum mfc_upcall_kind k);

/*
 * A kernel upcall: a packet from source to group arrived on vif.  0 (an
 * entry installed, or the upcall handled by the rules); -EINVAL (unknown
 * kind or VIF, not a group, source 0.0.0.0 or multicast: counted),
 * -ENOSPC (the entry limit: counted, MFC_OUT_LIMIT), -ENOMEM.
 */
int mfc_upcall(struct mfc *m, mc_time_t now, enum mfc_upcall_kind kind,
    struct in_addr source, struct in_addr group, unsigned vif);

/*
 * The kernel's counters of an installed entry (SIOCGETSGCNT, or the
 * netlink MFC dump): packets, bytes, packets that came by another
 * interface.  Activity is packets - wrong_if moving; the caller reads them
 * more often than the idle timeout.  0 or -ENOENT.
 */
int mfc_counters(struct mfc *m, mc_time_t now, struct in_addr source,
    struct in_addr group, uint64_t packets, uint64_t bytes, uint64_t wrong_if);

/*
 * A packet seen on vif from source to group with this TTL (the caller
 * samples packets whose TTL is low).  When its entry came in by vif and
 * has oifs but the TTL exceeds none of their thresholds, the kernel
 * forwards none of the flow: reported once per episode (MFC_OUT_TTL_STARVED).
 * The episode ends at a sample whose TTL passes a threshold, or when the
 * entry's packets keep coming for MFC_STARVED_QUIET_MS without a sample
 * that passes none (a TTL above the tap's).  true when reported now.
 */
bool mfc_ttl_sample(struct mfc *m, mc_time_t now, unsigned vif,
    struct in_addr source, struct in_addr group, uint8_t ttl);

/*
 * mcastctl flush: delete the entries upcalls made (not those of (S,G)
 * static routes), all of them or only group's (group NULL: all), so that
 * the kernel's next packet of each flow makes it again.  Returns how many.
 */
unsigned mfc_flush(struct mfc *m, mc_time_t now, const struct in_addr *group);

/*
 * The entry limit (max_entries): reached (an upcall was refused since the
 * dynamic entries were last below it), and how many distinct flows were
 * refused since then (at most MFC_REFUSED_MAX are told apart).
 */
#define MFC_REFUSED_MAX 4096
/* A starved entry counting packets but no low-TTL sample this long is
 * forwarded again (mfc_ttl_sample). */
#define MFC_STARVED_QUIET_MS 10000
struct mfc_limit_view {
	uint32_t limit; /* 0: none */
	uint64_t dynamic_entries;
	bool reached;
	uint32_t flows_refused;
};

void mfc_limit(const struct mfc *m, struct mfc_limit_view *v);

/*
 * The entries of group whose source lies in source/len: how many there
 * are (*entries) and how many of them have oifs (returned).  The routing
 * protocols that prune by source network (DVMRP) aggregate with it.
 */
unsigned mfc_sources_forwarding(const struct mfc *m, struct in_addr source,
    uint8_t len, struct in_addr group, unsigned *entries);

/* The VIFs with a membership of group (any origin); 0: none. */
uint32_t mfc_member_vifs(const struct mfc *m, struct in_addr group);

/* Expire every entry idle at now. */
void mfc_timeout(struct mfc *m, mc_time_t now);
/* When mfc_timeout() must next be called (MC_TIME_NEVER: never). */
mc_time_t mfc_next_deadline(const struct mfc *m);
/* Queue an MFC add of every entry again (the kernel lost its table). */
void mfc_resync(struct mfc *m);

enum mfc_output_kind {
	MFC_OUT_ADD,	     /* MRT_ADD_MFC: install or replace */
	MFC_OUT_DEL,	     /* MRT_DEL_MFC */
	MFC_OUT_EMPTY,	     /* the oifs became empty (or were at install) */
	MFC_OUT_NONEMPTY,    /* the oifs are no longer empty */
	MFC_OUT_TTL_STARVED, /* nothing leaves by the oifs: TTL too low */
	MFC_OUT_LIMIT,	     /* an upcall refused: max_entries entries */
};

struct mfc_output {
	enum mfc_output_kind kind;
	struct in_addr source;
	struct in_addr group;
	unsigned iif;		   /* ADD, TTL_STARVED */
	uint8_t ttls[MFC_MAXVIFS]; /* ADD, TTL_STARVED: 0 no oif */
	bool replace;		   /* ADD: the entry was installed */
	uint8_t ttl;		   /* TTL_STARVED: the TTL seen */
	uint32_t limit;		   /* LIMIT: max_entries */
};

/*
 * The next output, valid until the next call; NULL when there is none.
 * Outputs come in the order their causes happened; an entry's
 * EMPTY/NONEMPTY comes right after the ADD that made it so.
 */
const struct mfc_output *mfc_output(struct mfc *m);

/* Views for mcastctl (show mfc, show routes) and tests. */

struct mfc_entry_view {
	struct in_addr source;
	struct in_addr group;
	enum mfc_iif_origin iif_origin;
	unsigned iif;
	uint32_t oifs;		   /* bit v = VIF v */
	uint8_t ttls[MFC_MAXVIFS]; /* as installed */
	uint8_t why[MFC_MAXVIFS];  /* MFC_WHY() bits, asked for */
	uint8_t cut[MFC_MAXVIFS];  /* enum mfc_cut, if not oif */
	mc_time_t installed_at;
	mc_time_t active_at;  /* install or last counter move */
	mc_time_t counter_at; /* last mfc_counters(), 0 = none */
	uint64_t packets;     /* as last read */
	uint64_t bytes;
	uint64_t wrong_if;
	mc_time_t expires;   /* MC_TIME_NEVER for MFC_IIF_STATIC */
	bool ttl_starved;    /* reported TTL_STARVED */
	uint8_t starved_ttl; /* the TTL seen then */
};

/*
 * Why an entry forwards less than asked, in a few words: "ttl-too-low"
 * (its oifs are cut by their thresholds), for an entry with no oifs "no
 * members" (nobody asked for another interface) or "all cut: R[,R]" (the
 * cut reasons of the interfaces asked for); "" otherwise.
 */
const char *mfc_entry_note(const struct mfc_entry_view *v, char *buf,
    size_t len);

/* 0 and *v filled, or -ENOENT. */
int mfc_entry(const struct mfc *m, struct in_addr source, struct in_addr group,
    struct mfc_entry_view *v);
/*
 * Call fn for every entry (order unspecified; fn must not change m);
 * stops when fn returns != 0 and returns that.
 */
int mfc_foreach_entry(const struct mfc *m,
    int (*fn)(void *arg, const struct mfc_entry_view *v), void *arg);

/* The static routes as given: the (*,G) ones most specific first. */
int mfc_foreach_route(const struct mfc *m,
    int (*fn)(void *arg, const struct mfc_route *v), void *arg);

struct mfc_vif_view {
	unsigned vif;
	unsigned ifindex;
	uint8_t threshold;
	unsigned nboundaries;
	const struct mfc_prefix *boundaries; /* until the VIF changes */
	uint32_t groups; /* groups with a membership on it */
};

/* 0 and *v filled, or -ENOENT. */
int mfc_vif(const struct mfc *m, unsigned vif, struct mfc_vif_view *v);

struct mfc_stats {
	uint64_t upcalls[MFC_UPCALL_KINDS]; /* by kind */
	uint64_t upcalls_bad;		    /* unknown VIF/kind, no group */
	uint64_t upcalls_existing;	    /* NOCACHE for an entry we hold:
						   installed again */
	uint64_t wrongvif_kept;		    /* WRONGVIF: the iif kept */
	uint64_t installs;		    /* MFC adds of new entries */
	uint64_t replaces;		    /* MFC adds changing an entry */
	uint64_t deletes;		    /* MFC deletes (all reasons) */
	uint64_t expiries;		    /* of which idle */
	uint64_t boundary_drops;	    /* a boundary cut: memberships
						   refused, entries installed
						   with an interface cut */
	uint64_t boundary_iif;		    /* entries with no oifs: their
						   group is bounded at the iif */
	uint64_t memberships_ignored;	    /* unknown VIF, 224.0.0.x */
	uint64_t limit_entries;		    /* upcalls refused: the limit */
	uint64_t flushed;		    /* entries mcastctl flush deleted */
	uint64_t ttl_starved;		    /* TTL_STARVED reports */
	uint64_t empty;			    /* EMPTY events */
	uint64_t nonempty;		    /* NONEMPTY events */
	uint64_t entries;		    /* now: all */
	uint64_t dynamic_entries;	    /* now: the limit counts them */
	uint64_t groups;		    /* now: with state */
	uint64_t unexpected_events;	    /* allocation failures */
};

const struct mfc_stats *mfc_stats(const struct mfc *m);

#endif
