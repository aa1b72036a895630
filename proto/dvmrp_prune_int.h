/* The DVMRP prune engine's internals, shared by dvmrp_prune.c, dvmrp_prune_rx.c and dvmrp_prune_view.c. */
#ifndef MCAST_PROTO_DVMRP_PRUNE_INT_H
#define MCAST_PROTO_DVMRP_PRUNE_INT_H

#include <sys/queue.h>

#include "dvmrp_prune.h"
#include "hash.h"
#include "heap.h"
#include "outq.h"
#include "trace.h"

#define PRUNE_NBR_MAX 64

struct rx_prune {
	unsigned vif;
	struct in_addr nbr;
	mc_time_t expires;
};

struct prune_entry {
	struct hash_node node;
	LIST_ENTRY(prune_entry) olink; /* in its origin's list */
	struct prune_origin *org;
	struct in_addr origin, mask, group;
	unsigned up_vif;
	struct in_addr up_nbr;
	uint32_t child, member, pruned; /* VIF bit masks */
	uint8_t ndep[DVMRP_PRUNE_MAX_VIFS];
	bool empty;
	/* No (S,G) of the routing core is left: the entry decides
	   emptiness itself (members, dependents). */
	bool orphan;
	/* An orphan holding nothing: removed at the next timeout (its
	   deadline is 0 meanwhile). */
	bool dead;
	/* In timers at the earliest of the deadlines below (prune_entry_resched). */
	struct heap_node hp;
	enum dvmrp_prune_up_state state;
	mc_time_t sent_expires; /* PRUNED: our prune's end */
	mc_time_t rexmit_at;	/* PRUNED/GRAFTING: next retransmission */
	uint32_t rexmit_ms, rexmits, sent_lifetime_s;
	struct rx_prune *rx;
	uint32_t nrx, caprx;
};

/* The entries of one origin network: what a route's change visits. */
struct prune_origin {
	struct hash_node node;
	struct in_addr origin;
	LIST_HEAD(, prune_entry) entries;
};

struct prune_nbr {
	bool used;
	unsigned vif;
	struct in_addr addr;
};

struct dvmrp_prune {
	struct dvmrp_prune_config c;
	struct mc_rng *rng;
	struct trace tr;
	struct hash entries;
	struct hash origins; /* struct prune_origin by origin */
	struct outq q;
	struct prune_nbr nbrs[PRUNE_NBR_MAX];
	struct heap timers; /* every entry, by its earliest deadline */
	struct dvmrp_prune_stats st;
};

/* Each entry in turn (none is added or removed by fn). */
#define FOREACH_ENTRY(p, e, b, n)                                             \
	for (n = hash_first(&(p)->entries, &b);                               \
	     n != NULL && ((e = hash_entry(n, struct prune_entry, node)), 1); \
	     n = hash_next(&(p)->entries, &b, n))

/* dvmrp_prune.c, for dvmrp_prune_rx.c. */
/* Remove the prunes matching vif (and nbr unless 0.0.0.0). */
bool prune_rx_drop(struct dvmrp_prune *p, struct prune_entry *e, unsigned vif,
    struct in_addr nbr);
/* Recompute which VIFs are pruned; emit the changes. */
void prune_update_vifs(struct dvmrp_prune *p, struct prune_entry *e);
/* Forget what we sent upstream (the upstream changed or restarted). */
void prune_drop_sent(struct dvmrp_prune *p, struct prune_entry *e);
/* Our outgoing list is empty (or not): prune, or graft back. */
void prune_reconsider(struct dvmrp_prune *p, struct prune_entry *e,
    mc_time_t now);
struct prune_entry *prune_entry_find(const struct dvmrp_prune *p,
    struct in_addr origin, struct in_addr group);
/*
 * The entry's place among the timers follows its deadlines: the earliest
 * of its retransmission, its prune sent (while PRUNED) and the prunes it
 * received; 0 (at once) when dead.  Called after every change of them.
 */
void prune_entry_resched(struct dvmrp_prune *p, struct prune_entry *e);
void prune_emit(struct dvmrp_prune *p, enum dvmrp_prune_output_kind kind,
    const struct prune_entry *e, unsigned vif, struct in_addr nbr,
    uint32_t lifetime_s);
bool prune_has_upstream(const struct prune_entry *e);
void prune_send_graft(struct dvmrp_prune *p, struct prune_entry *e,
    mc_time_t now);
/*
 * An orphan's emptiness from its own inputs: graft when it wants
 * datagrams again; holding nothing any more, it is marked for removal.
 */
void prune_orphan_refresh(struct dvmrp_prune *p, struct prune_entry *e,
    mc_time_t now);

#endif
