/* The DVMRP neighbour engine's insides, shared by its files (not installed). */
/*
 * Files
 *   dvmrp_nbr.c      configuration, life cycle, VIFs and the probes we
 *                    send (periodic, extra, hold-off), timers, outputs,
 *                    views and names
 *   dvmrp_nbr_fsm.c  the neighbour table: a probe heard, judged (refusals,
 *                    GenID) and run through the state table; expiry, VIF
 *                    down
 *
 * Data structures (the engines' shared plumbing: hash.h, heap.h, outq.h)
 *   neighbours  one struct dvmrp_nbr_peer each, in a hash keyed by
 *               (VIF, address) (seeded from the caller's seed), in its
 *               VIF's list in the order first heard (the order of our
 *               probes' lists), and in the expiry heap by the time it
 *               expires.  At most max_neighbors_per_vif per VIF.
 *   VIFs        a fixed array of DVMRP_NBR_MAX_VIFS; each one up sits in
 *               the probe heap at its next probe (the periodic one or an
 *               extra one held back by the hold-off, the earlier).
 *   outputs     one output queue, in the order things happened.
 */
#ifndef MCAST_PROTO_DVMRP_NBR_INT_H
#define MCAST_PROTO_DVMRP_NBR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <arpa/inet.h>

#include "dvmrp_nbr.h"
#include "hash.h"
#include "heap.h"
#include "outq.h"
#include "trace.h"

struct dvmrp_nbr_vif;

struct dvmrp_nbr_peer {
	struct hash_node hnode; /* in n->peers, by (vif, addr) */
	struct heap_node hp;	/* in n->expiry: at = when it expires */
	TAILQ_ENTRY(dvmrp_nbr_peer) link; /* in its VIF, order heard */
	struct dvmrp_nbr_vif *vif;
	struct in_addr addr;
	enum dvmrp_nbr_state state;
	enum dvmrp_nbr_refusal refusal;
	uint32_t genid;
	uint8_t caps;
	uint8_t minor;
	uint8_t major;
	mc_time_t since;
	mc_time_t up_since;
	mc_time_t last_probe;
	mc_time_t last_listed_us;
	mc_time_t grace_until; /* 0: none */
	bool announced;	       /* a probe of ours since its (re)start
				  listed it */
	bool report_due;       /* SEND_REPORT after our next probe */
	uint64_t probes;
	uint32_t restarts;
};

TAILQ_HEAD(dvmrp_nbr_peers, dvmrp_nbr_peer);

struct dvmrp_nbr_vif {
	struct heap_node hp; /* in n->probes while up */
	unsigned index;
	bool up;
	bool probe_wanted; /* an extra probe, asked for by the input */
	struct in_addr addr;
	uint8_t prefix_len;
	struct dvmrp_nbr_peers peers;
	uint32_t count;		  /* neighbours, every state */
	uint32_t two_way;	  /* of which two-way */
	mc_time_t next_probe_at;  /* periodic */
	mc_time_t extra_probe_at; /* held back; MC_TIME_NEVER: none */
	mc_time_t last_probe_at;
	mc_time_t last_extra_at;
	bool probed;	 /* last_probe_at is set */
	bool extra_sent; /* last_extra_at is set */
};

/* An output record: a probe (list = its neighbours) or an event. */
struct dvmrp_nbr_out {
	enum dvmrp_nbr_output_kind kind;
	unsigned vif;
	struct in_addr src;
	struct in_addr addr;
	uint32_t genid;
	uint32_t old_genid;
	uint8_t caps;
	enum dvmrp_nbr_event event;
	enum dvmrp_nbr_state previous;
	enum dvmrp_nbr_state state;
	enum dvmrp_nbr_down_reason reason;
	enum dvmrp_nbr_refusal refusal;
	enum dvmrp_nbr_ignored ignored;
	size_t nneighbors;
	struct in_addr list[];
};

struct dvmrp_nbr {
	struct dvmrp_nbr_config cfg;
	uint32_t genid;
	struct trace trace;
	struct dvmrp_nbr_vif vifs[DVMRP_NBR_MAX_VIFS];
	unsigned vifs_two_way; /* VIFs with a two-way neighbour */
	struct hash peers;     /* of dvmrp_nbr_peer, by (vif, addr) */
	struct heap expiry;    /* of dvmrp_nbr_peer */
	struct heap probes;    /* of dvmrp_nbr_vif */
	struct outq outq;      /* of dvmrp_nbr_out */
	/* The probe in hand (NULL out of dvmrp_nbr_probe_input()). */
	const struct dvmrp_probe_in *in;
	struct dvmrp_nbr_stats stats;
};

/* The events of the neighbour state table (dvmrp_nbr_fsm.c). */
enum dvmrp_nbr_fsm_event {
	NBR_EV_LISTS_US,    /* a probe listing us */
	NBR_EV_OMITS_US,    /* a probe leaving us out */
	NBR_EV_OMITS_GRACE, /* the same within the restart grace */
	NBR_EV_REFUSED,	    /* a probe from a router we refuse */
	NBR_EV_RESTART,	    /* a probe with a new GenID or version */
	NBR_EV_EXPIRED,	    /* the neighbour timeout ran out */
	NBR_EV_VIF_DOWN,    /* its VIF went down */
	NBR_EV_COUNT
};

/* What a transition does (the state table's cells). */
enum dvmrp_nbr_fsm_action {
	NBR_ACT_UNEXPECTED, /* counted and ignored */
	NBR_ACT_REFRESH,    /* nothing more than the probe's own update */
	NBR_ACT_ADD,	    /* a new one-way neighbour: answer it */
	NBR_ACT_UP,	    /* two-way: UP, then a report after a probe */
	NBR_ACT_ONE_WAY,    /* it lost us: DOWN one-way, answer it */
	NBR_ACT_REFUSE,	    /* DOWN refused */
	NBR_ACT_ACCEPT,	    /* no longer refused: as new */
	NBR_ACT_RESTART,    /* two-way restarted: RESTART, grace, report */
	NBR_ACT_RENEW,	    /* another state restarted: as new */
	NBR_ACT_FORGIVE,    /* left out within the grace: counted */
	NBR_ACT_REMOVE,	    /* DOWN expired / vif-down, freed */
};

struct dvmrp_nbr_transition {
	enum dvmrp_nbr_fsm_action action;
	enum dvmrp_nbr_state next;
};

static inline uint64_t
dvmrp_nbr_key(unsigned vif, struct in_addr addr)
{
	return (uint64_t)vif << 32 | ntohl(addr.s_addr);
}

static inline struct dvmrp_nbr_peer *
dvmrp_nbr_peer_find(const struct dvmrp_nbr *n, unsigned vif,
    struct in_addr addr)
{
	struct hash_node *h = hash_find(&n->peers, dvmrp_nbr_key(vif, addr));

	return h ? hash_entry(h, struct dvmrp_nbr_peer, hnode) : NULL;
}

/* dvmrp_nbr.c */
struct dvmrp_nbr_out *dvmrp_nbr_event(struct dvmrp_nbr *n,
    enum dvmrp_nbr_event e, const struct dvmrp_nbr_vif *v, struct in_addr addr);
void dvmrp_nbr_want_probe(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v,
    bool answer);
void dvmrp_nbr_flush_probe(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v,
    mc_time_t now);
void dvmrp_nbr_report_to(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p);

/* dvmrp_nbr_fsm.c */
const struct dvmrp_nbr_transition *dvmrp_nbr_fsm(enum dvmrp_nbr_state s,
    enum dvmrp_nbr_fsm_event e);
const char *dvmrp_nbr_fsm_event_name(enum dvmrp_nbr_fsm_event e);
void dvmrp_nbr_fsm_probe(struct dvmrp_nbr *n, mc_time_t now,
    struct dvmrp_nbr_vif *v, const struct dvmrp_probe_in *p);
void dvmrp_nbr_fsm_expire(struct dvmrp_nbr *n, struct dvmrp_nbr_peer *p,
    mc_time_t now);
void dvmrp_nbr_fsm_vif_down(struct dvmrp_nbr *n, struct dvmrp_nbr_vif *v,
    mc_time_t now);
void dvmrp_nbr_fsm_free_all(struct dvmrp_nbr *n);

#endif
