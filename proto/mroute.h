/*
 * The router's forwarding decisions as a sans-I/O engine: which
 * interfaces (VIFs) an (S,G) stream enters by and leaves by, given the
 * IGMP membership of every interface, their TTL thresholds and
 * administrative-scope boundaries, and the static routes.  The kernel
 * forwards (PROTOCOLS.md section 3); this engine tells the daemon what to
 * write into its multicast forwarding cache (MFC).
 *
 * Inputs: VIFs (add/update/delete), membership views per (vif, group)
 * from proto/igmp_router.h, static routes (smcroute style: (*,G) or (S,G)
 * from one input VIF to a set of output VIFs), kernel upcalls (NOCACHE,
 * WRONGVIF) and the kernel's packet counters of installed entries.
 * Outputs: MFC add (install or replace) and MFC delete, taken from a queue
 * with mroute_output(), plus a next deadline for idle expiry.
 *
 * The rules (mroute.c explains the choices):
 *   oifs(S,G,iif) = static route oifs
 *                 + { v != iif : v's membership for G admits S
 *                     (INCLUDE {A} with S in A, EXCLUDE {Y} with S not
 *                     in Y) }
 *                 - { v : a boundary of v covers G }
 *                 - everything, if a boundary of iif covers G,
 *                 - everything, for G in 224.0.0.0/24;
 *   ttls[v] = v's threshold for each oif, 0 (not forwarded) otherwise.
 *   iif(S,G) = the iif of an (S,G) static route, else that of a (*,G)
 *   static route, else the VIF the first packet arrived on.
 */
#ifndef MCAST_PROTO_MROUTE_H
#define MCAST_PROTO_MROUTE_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "engine.h"
#include "igmp_router.h"

#define MROUTE_MAXVIFS		32	/* the kernel's MAXVIFS */
#define MROUTE_MAX_BOUNDARIES	32	/* per VIF */

struct mroute_config {
	/*
	 * An entry whose counter of packets that came in by its iif has
	 * not moved for this long is deleted.  Default 210 s, the
	 * Keepalive_Period of RFC 7761 4.11 (mrouted used 300 s).
	 */
	uint32_t	idle_timeout_ms;
	/* Upcall-made entries at once; 0 = no limit.  Default 8192. */
	uint32_t	max_entries;
};

void	mroute_config_defaults(struct mroute_config *c);
/* 0, or -EINVAL (idle timeout 0). */
int	mroute_config_check(const struct mroute_config *c);

/* A group range: network byte order, host bits zero. */
struct mroute_prefix {
	struct in_addr	addr;
	uint8_t		len;
};

struct mroute_vif_config {
	unsigned	ifindex;	/* shown, not used in decisions */
	uint8_t		threshold;	/* TTL threshold 1-255 */
	const struct mroute_prefix *boundaries;	/* admin-scope ranges */
	unsigned	nboundaries;	/* <= MROUTE_MAX_BOUNDARIES */
};

struct mroute;

struct mroute	*mroute_new(const struct mroute_config *c, uint64_t rng_seed,
		    mc_trace_fn trace, void *trace_arg);
void		 mroute_free(struct mroute *m);
/*
 * New idle timeout and limit: every dynamic entry's expiry becomes its
 * last activity + the new timeout; a lower limit deletes nothing.
 */
int		 mroute_reconfigure(struct mroute *m,
		    const struct mroute_config *c);

/*
 * Add VIF vif (0..MROUTE_MAXVIFS-1), or update it: entries are
 * recomputed and the changed ones replaced.  0, or -EINVAL.
 */
int	mroute_vif_set(struct mroute *m, mc_time_t now, unsigned vif,
	    const struct mroute_vif_config *c);
/*
 * Delete VIF vif: its memberships are dropped, it leaves every entry's
 * oifs, and dynamic entries that came in by it are deleted.  0 or -ENOENT.
 */
int	mroute_vif_del(struct mroute *m, mc_time_t now, unsigned vif);

/*
 * The IGMP view of group on vif (igmp_router_output MEMBERSHIP):
 * INCLUDE {} removes it.  sources need not be sorted.  Every entry of the
 * group is recomputed.  0; -ENODEV (no such VIF), -EINVAL (not a group or
 * mode), -ENOMEM.  A group a boundary of vif covers, or one in
 * 224.0.0.0/24, is counted and never forwarded to vif.
 */
int	mroute_membership(struct mroute *m, mc_time_t now, unsigned vif,
	    struct in_addr group, enum igmp_filter_mode mode,
	    const struct in_addr *sources, uint32_t nsources);

/*
 * A static route from iif to the VIFs of the oifs bit mask (bit v = VIF
 * v; iif's own bit is ignored); source INADDR_ANY is (*,G).  Adding an
 * existing route replaces it.  VIFs need not exist yet: those that do
 * not are left out until they are added.  An (S,G) route installs its
 * entry at once, and it never expires; a (*,G) route gives the iif of the
 * (S,G) entries its group's upcalls make (most specific route wins).
 * 0; -EINVAL (bad vif, group, source or 224.0.0.0/24), -ENOMEM.
 */
int	mroute_static_add(struct mroute *m, mc_time_t now,
	    struct in_addr source, struct in_addr group, unsigned iif,
	    uint32_t oifs);
/* Deletes the route and the entries it made.  0 or -ENOENT. */
int	mroute_static_del(struct mroute *m, mc_time_t now,
	    struct in_addr source, struct in_addr group);

enum mroute_upcall_kind {
	MROUTE_UPCALL_NOCACHE = 1,	/* IGMPMSG_NOCACHE */
	MROUTE_UPCALL_WRONGVIF = 2,	/* IGMPMSG_WRONGVIF */
};
#define MROUTE_UPCALL_KINDS	3

/*
 * A kernel upcall: a packet from source to group arrived on vif.  0 (an
 * entry installed, or the upcall handled by the rules); -EINVAL (unknown
 * kind or VIF, not a group, source 0.0.0.0 or multicast: counted in
 * upcalls_bad), -ENOSPC (the entry limit: counted), -ENOMEM.
 */
int	mroute_upcall(struct mroute *m, mc_time_t now,
	    enum mroute_upcall_kind kind, struct in_addr source,
	    struct in_addr group, unsigned vif);

/*
 * The kernel's counters of an installed entry (SIOCGETSGCNT pktcnt and
 * wrong_if).  Activity is packets - wrong_if moving: the packets that
 * came in by the entry's iif.  The daemon must read them more often than
 * the idle timeout.  0 or -ENOENT.
 */
int	mroute_counter(struct mroute *m, mc_time_t now, struct in_addr source,
	    struct in_addr group, uint64_t packets, uint64_t wrong_if);

/*
 * A packet seen on vif from source to group with this TTL (the daemon
 * samples packets whose TTL is low).  When it belongs to an entry that
 * came in by vif and has oifs, but the TTL does not exceed the threshold
 * of any of them, the kernel forwards none of the flow (ip_mr_forward
 * sends only TTL > threshold; senders' default TTL is 1): reported once
 * per entry (MROUTE_OUT_TTL_STARVED).  true when reported now.
 */
bool	mroute_ttl_sample(struct mroute *m, unsigned vif,
	    struct in_addr source, struct in_addr group, uint8_t ttl);

/* Expire every entry idle at now. */
void		mroute_timeout(struct mroute *m, mc_time_t now);
/* When mroute_timeout() must next be called (MC_TIME_NEVER: never). */
mc_time_t	mroute_next_deadline(const struct mroute *m);
/* Queue an MFC add of every entry again (the MRT socket was reopened). */
void		mroute_resync(struct mroute *m);

enum mroute_output_kind {
	MROUTE_OUT_MFC_ADD,	/* MRT_ADD_MFC: install or replace */
	MROUTE_OUT_MFC_DEL,	/* MRT_DEL_MFC */
	MROUTE_OUT_TTL_STARVED,	/* report: nothing leaves by the oifs */
};

struct mroute_output {
	enum mroute_output_kind kind;
	struct in_addr	source;
	struct in_addr	group;
	/* MFC_ADD only: */
	unsigned	iif;			/* mfcc_parent */
	uint8_t		ttls[MROUTE_MAXVIFS];	/* mfcc_ttls; 0: not an oif */
	bool		replace;		/* the entry was installed */
	/* TTL_STARVED: iif and ttls as above, and the TTL seen. */
	uint8_t		ttl;
};

/* Take the next output; false when there is none. */
bool	mroute_output(struct mroute *m, struct mroute_output *out);

/* Views for mcastctl (show mfc, show routes) and tests. */

enum mroute_origin {
	MROUTE_DYNAMIC,		/* iif = the first packet's VIF */
	MROUTE_STAR_G,		/* iif from a (*,G) static route */
	MROUTE_STATIC,		/* an (S,G) static route's own entry */
};

const char	*mroute_origin_name(enum mroute_origin o);
const char	*mroute_upcall_kind_name(enum mroute_upcall_kind k);

struct mroute_entry_view {
	struct in_addr	source;
	struct in_addr	group;
	enum mroute_origin origin;
	unsigned	iif;
	uint32_t	oifs;			/* bit v = VIF v */
	uint8_t		ttls[MROUTE_MAXVIFS];
	mc_time_t	installed_at;
	mc_time_t	active_at;	/* install or last counter move */
	mc_time_t	counter_at;	/* last mroute_counter(), 0 = none */
	uint64_t	packets;	/* as last read */
	uint64_t	wrong_if;
	mc_time_t	expires;	/* MC_TIME_NEVER for MROUTE_STATIC */
	bool		ttl_starved;	/* reported TTL_STARVED */
};

/* 0 and *v filled, or -ENOENT. */
int	mroute_entry(const struct mroute *m, struct in_addr source,
	    struct in_addr group, struct mroute_entry_view *v);
/*
 * Call fn for every entry (order unspecified; fn must not change m);
 * stops when fn returns != 0 and returns that.
 */
int	mroute_foreach_entry(const struct mroute *m,
	    int (*fn)(void *arg, const struct mroute_entry_view *v), void *arg);

struct mroute_static_view {
	struct in_addr	source;		/* INADDR_ANY: (*,G) */
	struct in_addr	group;
	unsigned	iif;
	uint32_t	oifs;		/* as configured */
};

int	mroute_foreach_static(const struct mroute *m,
	    int (*fn)(void *arg, const struct mroute_static_view *v),
	    void *arg);

struct mroute_vif_view {
	unsigned	vif;
	unsigned	ifindex;
	uint8_t		threshold;
	unsigned	nboundaries;
	const struct mroute_prefix *boundaries;	/* until the VIF changes */
	uint32_t	groups;		/* groups with members on it */
};

/* 0 and *v filled, or -ENOENT. */
int	mroute_vif(const struct mroute *m, unsigned vif,
	    struct mroute_vif_view *v);

struct mroute_stats {
	uint64_t	upcalls[MROUTE_UPCALL_KINDS];	/* by kind */
	uint64_t	upcalls_bad;		/* unknown VIF/kind, no group */
	uint64_t	upcalls_existing;	/* NOCACHE for an entry we hold:
						   installed again */
	uint64_t	wrongvif_kept;		/* WRONGVIF: first iif kept */
	uint64_t	installs;		/* MFC adds of new entries */
	uint64_t	replaces;		/* MFC adds changing an entry */
	uint64_t	deletes;		/* MFC deletes (all reasons) */
	uint64_t	expiries;		/* of which idle */
	uint64_t	boundary_drops;		/* memberships refused */
	uint64_t	boundary_iif;		/* entries with no oifs: their
						   group is bounded at the iif */
	uint64_t	memberships_ignored;	/* unknown VIF, 224.0.0.x */
	uint64_t	limit_entries;		/* upcalls refused: the limit */
	uint64_t	ttl_starved;		/* TTL_STARVED reports */
	uint64_t	entries;		/* now: all */
	uint64_t	dynamic_entries;	/* now: the limit counts them */
	uint64_t	groups;			/* now: with state */
	uint64_t	unexpected_events;	/* allocation failures */
};

const struct mroute_stats *mroute_stats(const struct mroute *m);

#endif
