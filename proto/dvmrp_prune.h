/*
 * The DVMRP prune and graft engine, sans-I/O (draft-ietf-idmr-dvmrp-v3-11
 * section 3.6, as mrouted 4.6 speaks it; ../shared/docs/PROTOCOLS.md 2).
 *
 * One entry per (origin network, group), as mrouted's gtable: prunes and
 * grafts name a source network, not a source, so every (S,G) whose S lies
 * in the origin shares the entry; the caller (the routing core) maps its
 * (S,G) to the entry through the RIB's reverse path and aggregates the
 * composer's EMPTY/NONEMPTY events over those sources.
 *
 * Inputs: the entry (upstream VIF and neighbour, from the RIB), the
 * children and dependents per VIF (the RIB's DEPENDENTS_CHANGED), local
 * members per VIF (IGMP), "the outgoing list is empty" (the composer),
 * decoded prunes, grafts and graft acks, neighbour down and restart
 * (dvmrp_nbr.c), upstream changes (the RIB's ROUTE_CHANGED) and the time.
 *
 * Outputs: SEND_PRUNE / SEND_GRAFT / SEND_GRAFT_ACK to a neighbour, and
 * VIF_PRUNED / VIF_UNPRUNED when a downstream VIF leaves or rejoins the
 * DVMRP contribution to the outgoing list: a VIF is pruned when it is a
 * child of the route, has dependents, every dependent on it has pruned
 * and no local member wants the group there.
 *
 * Timers, as mrouted 4.6 does them:
 *  - the lifetime we send is L/2 + random(L) (mrouted's JITTERED_VALUE),
 *    at least 121 s (mrouted ignores a lifetime <= 120 s), then bounded
 *    by the smallest remaining lifetime of the prunes we received
 *    (draft 3.6.1; mrouted send_prune does the same);
 *  - a prune is retransmitted while the list stays empty, first after
 *    3 s jittered (PRUNE_REXMIT_VAL), doubling, while the interval is
 *    below the prune's remaining lifetime.  mrouted (rexmit_prunes, on by
 *    default) flushes its kernel entry at that time so that the next
 *    datagram triggers the same prune again; with no datagram path in a
 *    sans-I/O engine we resend it instead;
 *  - when our sent prune expires with the list still empty, a new prune
 *    is sent (mrouted sends one on the first datagram that follows);
 *  - a graft is retransmitted after 5 s (GRAFT_TIMEOUT_VAL), doubling,
 *    until the graft ack arrives (or the entry goes, or the upstream
 *    changes);
 *  - a received prune whose lifetime expires rejoins its VIF; no graft
 *    is needed upstream, since our own prune expired no later.
 *
 * Every graft from a neighbour is acked (without netmask: mrouted 4.6
 * refuses an ack longer than 8 bytes), for an unknown entry too, as
 * mrouted's accept_graft does (else the sender retransmits forever); a
 * prune or graft from a non-neighbour, or a prune for an unknown entry,
 * is counted and dropped.
 */
#ifndef MCAST_PROTO_DVMRP_PRUNE_H
#define MCAST_PROTO_DVMRP_PRUNE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "engine.h"

#define DVMRP_PRUNE_MAX_VIFS	     32	  /* Linux MAXVIFS */
#define DVMRP_PRUNE_LIFETIME_DEFAULT 7200 /* s, mrouted's prune_lifetime */
#define DVMRP_PRUNE_LIFETIME_MIN     120  /* s, smallest configurable */
#define DVMRP_PRUNE_SENT_MIN	     121  /* s, mrouted drops <= 120 */
#define DVMRP_PRUNE_REXMIT_MS	     3000 /* mrouted PRUNE_REXMIT_VAL */
#define DVMRP_GRAFT_REXMIT_MS	     5000 /* mrouted GRAFT_TIMEOUT_VAL */

struct dvmrp_prune_config {
	uint32_t lifetime_s;	   /* L: we send L/2 + random(L) */
	bool rexmit_prunes;	   /* mrouted's rexmit_prunes (default on) */
	uint32_t max_entries;	   /* (origin, group) entries */
	uint32_t max_prunes_entry; /* received prunes per entry */
	mc_trace_fn trace;
	void *trace_arg;
};

void dvmrp_prune_config_defaults(struct dvmrp_prune_config *c);
/* 0, or -EINVAL naming nothing: lifetime below the minimum, zero caps. */
int dvmrp_prune_config_check(const struct dvmrp_prune_config *c);

struct dvmrp_prune;

/* A new L for the prunes sent from now on (checked as in the config). */
int dvmrp_prune_set_lifetime(struct dvmrp_prune *p, uint32_t lifetime_s);

/* The rng is the caller's, seeded by it, used for the jitter. */
struct dvmrp_prune *dvmrp_prune_new(const struct dvmrp_prune_config *c,
    struct mc_rng *rng);
void dvmrp_prune_free(struct dvmrp_prune *p);

/*
 * The entry of (origin/mask, group) with its upstream: up_nbr 0.0.0.0 for
 * a connected origin (nothing to prune toward).  Creates or updates.
 * 0, -ENOMEM, -ENOSPC when max_entries is reached (counted).
 */
int dvmrp_prune_entry_add(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, struct in_addr mask, struct in_addr group,
    unsigned up_vif, struct in_addr up_nbr);
/* The entry goes, whatever it holds. */
void dvmrp_prune_entry_del(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, struct in_addr group);
/*
 * The routing core no longer has any (S,G) for it (its forwarding entries
 * went idle, as pruned ones do).  An entry holding nothing goes; one that
 * still holds our prune upstream, a graft in flight or prunes received is
 * kept as an orphan until that ends, and decides by itself whether it is
 * empty: a local member (dvmrp_prune_member) or a dependent that has not
 * pruned (a new one, or a graft received) makes it graft upstream, since
 * no datagram can come to make an (S,G) while we are pruned.  As mrouted
 * keeps its group entry while its prune stands upstream.
 */
void dvmrp_prune_entry_orphan(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, struct in_addr group);

/* The RIB's DEPENDENTS_CHANGED: applies to every entry of origin. */
void dvmrp_prune_dependents(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, unsigned vif, bool child, unsigned ndependents);
/* The same for the entry of (origin, group) only: what a new entry learns
   of its route (a walk of every entry per new entry would be quadratic). */
void dvmrp_prune_entry_dependents(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, struct in_addr group, unsigned vif, bool child,
    unsigned ndependents);
/*
 * The RIB's ROUTE_CHANGED: a new upstream (or unreachable).  State sent
 * toward the old upstream is dropped; prunes received on the new upstream
 * VIF are dropped.
 */
void dvmrp_prune_upstream(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, bool reachable, unsigned up_vif,
    struct in_addr up_nbr);
/*
 * Local members of group on vif (IGMP), for every entry of group that
 * exists: after dvmrp_prune_entry_add, the caller tells the new entry's
 * members with this call too.
 */
void dvmrp_prune_member(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr group, unsigned vif, bool member);
/* The composer: the entry's outgoing list became empty / non-empty. */
void dvmrp_prune_oifs_empty(struct dvmrp_prune *p, mc_time_t now,
    struct in_addr origin, struct in_addr group, bool empty);

/* Neighbours (dvmrp_nbr.c): two-way up, down, restart (GenID change). */
void dvmrp_prune_nbr_up(struct dvmrp_prune *p, unsigned vif,
    struct in_addr nbr);
void dvmrp_prune_nbr_down(struct dvmrp_prune *p, mc_time_t now, unsigned vif,
    struct in_addr nbr);
void dvmrp_prune_nbr_restart(struct dvmrp_prune *p, mc_time_t now, unsigned vif,
    struct in_addr nbr);

/* Decoded messages from nbr on vif. */
void dvmrp_prune_prune_input(struct dvmrp_prune *p, mc_time_t now, unsigned vif,
    struct in_addr nbr, struct in_addr source, struct in_addr group,
    uint32_t lifetime_s);
void dvmrp_prune_graft_input(struct dvmrp_prune *p, mc_time_t now, unsigned vif,
    struct in_addr nbr, struct in_addr source, struct in_addr group);
void dvmrp_prune_graft_ack_input(struct dvmrp_prune *p, mc_time_t now,
    unsigned vif, struct in_addr nbr, struct in_addr source,
    struct in_addr group);

void dvmrp_prune_timeout(struct dvmrp_prune *p, mc_time_t now);
mc_time_t dvmrp_prune_next_deadline(const struct dvmrp_prune *p);

enum dvmrp_prune_output_kind {
	DVMRP_PRUNE_OUT_SEND_PRUNE,
	DVMRP_PRUNE_OUT_SEND_GRAFT,
	DVMRP_PRUNE_OUT_SEND_GRAFT_ACK,
	DVMRP_PRUNE_OUT_VIF_PRUNED,
	DVMRP_PRUNE_OUT_VIF_UNPRUNED,
};

struct dvmrp_prune_output {
	enum dvmrp_prune_output_kind kind;
	unsigned vif;
	struct in_addr nbr;	     /* SEND_*: to whom */
	struct in_addr source, mask; /* origin network (mask 0 in acks) */
	struct in_addr group;
	uint32_t lifetime_s; /* SEND_PRUNE */
};

bool dvmrp_prune_output(struct dvmrp_prune *p, struct dvmrp_prune_output *out);

/* The VIFs pruned now in the entry of (origin, group); 0: none, or no
   such entry. */
uint32_t dvmrp_prune_pruned_vifs(const struct dvmrp_prune *p,
    struct in_addr origin, struct in_addr group);
/* Whether (origin, group) has an entry. */
bool dvmrp_prune_entry_exists(const struct dvmrp_prune *p,
    struct in_addr origin, struct in_addr group);

/* Upstream state of an entry. */
enum dvmrp_prune_up_state {
	DVMRP_PRUNE_FORWARDING, /* nothing sent */
	DVMRP_PRUNE_PRUNED,	/* our prune stands upstream */
	DVMRP_PRUNE_GRAFTING,	/* graft sent, waiting for its ack */
};

const char *dvmrp_prune_state_name(enum dvmrp_prune_up_state s);
const char *dvmrp_prune_output_name(enum dvmrp_prune_output_kind k);

/* One line of `mcastctl show prunes`. */
struct dvmrp_prune_view {
	struct in_addr origin, mask, group;
	unsigned vif;
	struct in_addr nbr;
	bool sent;			 /* upstream (ours) or received */
	enum dvmrp_prune_up_state state; /* sent: PRUNED or GRAFTING */
	uint32_t remaining_ms;		 /* lifetime left (0 while grafting) */
	uint32_t rexmits;
};

/* Calls fn for each line; stops and returns fn's non-zero. */
int dvmrp_prune_foreach(const struct dvmrp_prune *p, mc_time_t now,
    int (*fn)(void *arg, const struct dvmrp_prune_view *v), void *arg);

struct dvmrp_prune_stats {
	uint64_t prunes_rx, grafts_rx, graft_acks_rx;
	uint64_t prunes_tx, prune_rexmits, grafts_tx, graft_rexmits;
	uint64_t graft_acks_tx;
	uint64_t non_neighbor;	  /* prune/graft/ack from a stranger */
	uint64_t unknown_entry;	  /* prune/graft for no entry */
	uint64_t unexpected_ack;  /* ack for no graft in flight */
	uint64_t wrong_vif;	  /* prune/graft from upstream vif */
	uint64_t short_lifetime;  /* prune lifetime <= 120 s ignored */
	uint64_t entry_cap;	  /* max_entries hit */
	uint64_t prune_cap;	  /* max_prunes_entry hit */
	uint64_t prunes_expired;  /* received ones */
	uint64_t entries, prunes; /* now */
};

const struct dvmrp_prune_stats *dvmrp_prune_stats(const struct dvmrp_prune *p);
size_t dvmrp_prune_memory(const struct dvmrp_prune *p);

#endif
