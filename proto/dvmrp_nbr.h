/*
 * DVMRP neighbours as a sans-I/O engine (draft-ietf-idmr-dvmrp-v3-11
 * section 3.2, as mrouted 4.x "3.255" speaks it): our probes on every VIF,
 * the neighbours heard there, one-way and two-way adjacency, GenID changes,
 * expiry, refusals and limits.
 *
 * The caller feeds decoded probes (struct dvmrp_probe_in: the codec,
 * dvmrp_wire.c, decodes them), VIF changes and the time; the engine answers
 * with typed outputs, in the order they happened: probes to send and
 * events for the route and prune engines and for the operator.
 *
 * Choices made here (the draft and mrouted differ or say nothing):
 *   - Neighbour Time-out 35 s, the draft's (table 2); mrouted uses 30.
 *     Both survive three lost probes at 10 s; 35 leaves room for a peer
 *     whose probes drift.  Configurable.
 *   - A new neighbour is answered at once: a probe listing it goes out
 *     when one is heard that we did not know (and when a two-way neighbour
 *     restarts, or stops listing us), so that it can list us in its next
 *     probe.  mrouted answers a new neighbour only at its next 10 s probe,
 *     which makes its adjacencies take up to 10 s.  These extra probes
 *     keep at least probe_holdoff_ms (1 s) apart on a VIF: one held back
 *     goes out when the hold-off ends, or with the periodic probe if that
 *     comes first (news arriving together share one probe).  The
 *     periodic probes stay on their 10 s grid.
 *   - Start-up: a VIF's first probe goes out when it comes up, and its
 *     neighbour list is empty: we have heard nobody yet, and the list is
 *     by definition the neighbours heard on the VIF (listing the peers of
 *     an earlier run would claim a two-way adjacency we do not have).
 *     mrouted does the same (three probes); the quick answer above is what
 *     turns this first probe into an adjacency within a round trip.
 *   - Our probes list the one-way and two-way neighbours of the VIF in the
 *     order they were first heard, never refused ones: we do not peer with
 *     them, and listing them would have them send us routes and prunes we
 *     drop.  At most max_probe_neighbors addresses (a probe fits one
 *     1500-byte datagram); more are counted (probe_list_truncated).
 *   - Capabilities: we send DVMRP_CAPS_OURS (0x0e: prune, genid, mtrace)
 *     and, as mrouted does, the leaf bit (0x01) on the one VIF that has
 *     two-way neighbours when exactly one VIF has any: we are then a leaf
 *     of the DVMRP topology (nobody downstream of that VIF's neighbours
 *     depends on us).  dvmrp_nbr_caps() gives the byte for any message.
 *   - A neighbour is refused (state REFUSED, kept, counted, never listed,
 *     expired like any other) when its major version is below 3 (DVMRP
 *     before 3.0 had no GenID, no probe handshake and no prunes: mrouted
 *     has refused such non-pruners since 3.5; we refuse them always) or
 *     when it lacks the prune capability, unless accept_non_pruners or it
 *     is mrouted 3.0 to 3.4 (minor < 5), which pruned before the bit
 *     existed, as mrouted exempts them.  Every probe is judged again: a
 *     neighbour that gains the bit, or a reconfiguration, lets it in.
 *   - Every major version from 3 up (3.255 mrouted, 12.4 IOS) goes through
 *     the same two-way handshake; a peer whose probes never list us stays
 *     one-way.
 *   - A changed GenID (or version) is a restart.  A two-way neighbour
 *     that restarted sends probes without our address until it hears ours:
 *     it stays two-way for a grace of two probe intervals (as mrouted's
 *     20 s), so that its routes do not flap, and gets our probe at once.
 *     A two-way neighbour whose probe leaves us out otherwise is one-way
 *     again at once (it lost us).
 *   - Any DVMRP message from a two-way neighbour keeps it alive
 *     (dvmrp_nbr_heard()), as in mrouted; a probe is needed to form an
 *     adjacency.
 *   - Probes from ourselves, from off the VIF's subnet, from an address
 *     that cannot be a router's (0, the subnet or broadcast address,
 *     multicast, loopback) or on a VIF that is not up are counted and
 *     ignored.
 */
#ifndef MCAST_PROTO_DVMRP_NBR_H
#define MCAST_PROTO_DVMRP_NBR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "dvmrp_wire.h"
#include "engine.h"

#define DVMRP_NBR_MAX_VIFS 32 /* Linux MAXVIFS: VIF indexes 0..31 */
/* Neighbours in one probe: (1500 - 24 IP with RA - 8 - 4 GenID) / 4. */
#define DVMRP_NBR_PROBE_LIST_MAX      366
#define DVMRP_NBR_MAX_NEIGHBORS_LIMIT 4096 /* per VIF, for the check */

struct dvmrp_nbr_config {
	uint32_t probe_interval_ms;   /* draft table 2: 10 s */
	uint32_t neighbor_timeout_ms; /* draft table 2: 35 s */
	uint32_t probe_holdoff_ms;    /* extra probes: 1 s apart */
	bool probe_new_neighbors;     /* answer a new neighbour at once
					   (false: at the next periodic
					   probe, as mrouted) */
	bool accept_non_pruners;      /* peer with routers that do not prune */
	uint32_t max_neighbors_per_vif; /* 64 */
	uint32_t max_probe_neighbors;	/* listed in one probe: 366 */
};

/* 10 s probes, 35 s timeout, 1 s hold-off, 64 neighbours per VIF. */
void dvmrp_nbr_config_defaults(struct dvmrp_nbr_config *c);
/* 0, or -EINVAL: a zero interval, timeout <= probe interval, hold-off above
   the probe interval, limits of 0 or above the maxima. */
int dvmrp_nbr_config_check(const struct dvmrp_nbr_config *c);
/* How long a restarted two-way neighbour may leave us out of its probes:
   2 x probe interval (mrouted: 20 s). */
uint32_t dvmrp_nbr_restart_grace_ms(const struct dvmrp_nbr_config *c);

/* A probe as decoded (draft 4.1.1): the caller's arrays, read only
   during dvmrp_nbr_probe_input(). */
struct dvmrp_probe_in {
	struct in_addr from; /* the IP source */
	uint32_t genid;
	uint8_t caps;  /* DVMRP_CAP_* */
	uint8_t minor; /* 0xff for 3.255 */
	uint8_t major; /* 3 */
	const struct in_addr *neighbors;
	size_t nneighbors;
};

/* Per neighbour; DOWN is "not in the table" (a new neighbour, or gone). */
enum dvmrp_nbr_state {
	DVMRP_NBR_DOWN,
	DVMRP_NBR_ONE_WAY, /* heard; its probes do not list us */
	DVMRP_NBR_TWO_WAY, /* its probe listed us: the adjacency */
	DVMRP_NBR_REFUSED, /* heard, not peered with (refusal says why) */
	DVMRP_NBR_STATE_COUNT
};

enum dvmrp_nbr_refusal {
	DVMRP_NBR_REFUSAL_NONE,
	DVMRP_NBR_REFUSAL_NON_PRUNER,  /* no prune capability */
	DVMRP_NBR_REFUSAL_OLD_VERSION, /* major version < 3 */
};

/* Why a neighbour is no longer (or is found not to be) a peer. */
enum dvmrp_nbr_down_reason {
	DVMRP_NBR_DOWN_EXPIRED,	 /* not heard for the neighbour timeout */
	DVMRP_NBR_DOWN_VIF_DOWN, /* its VIF went down */
	DVMRP_NBR_DOWN_REFUSED,	 /* refusal says why */
	DVMRP_NBR_DOWN_ONE_WAY,	 /* its probe left us out */
	DVMRP_NBR_DOWN_REASON_COUNT
};

/* Why a probe was ignored before it reached a neighbour's state. */
enum dvmrp_nbr_ignored {
	DVMRP_NBR_IGN_NO_VIF,	  /* unknown VIF, or not up */
	DVMRP_NBR_IGN_SELF,	  /* our own address: looped back */
	DVMRP_NBR_IGN_OFF_SUBNET, /* not on the VIF's subnet */
	DVMRP_NBR_IGN_BAD_SOURCE, /* 0, subnet/broadcast, multicast ... */
	DVMRP_NBR_IGN_COUNT
};

struct dvmrp_nbr;

/* genid: ours, as the caller chose it (mrouted: its uptime in seconds);
   carried as is in every probe. */
struct dvmrp_nbr *dvmrp_nbr_new(const struct dvmrp_nbr_config *c,
    uint32_t genid, uint64_t rng_seed, mc_trace_fn trace, void *trace_arg);
void dvmrp_nbr_free(struct dvmrp_nbr *n);
/* New intervals and limits: neighbours are kept (a lower per-VIF limit
   refuses only new ones), refusals are judged again at the next probe. */
int dvmrp_nbr_reconfigure(struct dvmrp_nbr *n,
    const struct dvmrp_nbr_config *c);

/*
 * VIF vif (0..31) runs DVMRP with our address addr on a subnet of
 * prefix_len bits (0: any source, e.g. a tunnel): its first probe goes out
 * now, then every probe interval.  Again with another address or prefix:
 * as down then up.  0, or -EINVAL (vif, prefix_len or addr out of range).
 */
int dvmrp_nbr_vif_up(struct dvmrp_nbr *n, mc_time_t now, unsigned vif,
    struct in_addr addr, uint8_t prefix_len);
/* The VIF stops: its neighbours go (DOWN, vif-down), probes stop. */
void dvmrp_nbr_vif_down(struct dvmrp_nbr *n, mc_time_t now, unsigned vif);

/* A probe that arrived on vif. */
void dvmrp_nbr_probe_input(struct dvmrp_nbr *n, mc_time_t now, unsigned vif,
    const struct dvmrp_probe_in *p);
/*
 * Any other DVMRP message from `from` on vif: true when from is a two-way
 * neighbour there (its timeout starts again), false otherwise (the caller
 * drops reports and prunes from non-neighbours, draft 3.2).
 */
bool dvmrp_nbr_heard(struct dvmrp_nbr *n, mc_time_t now, unsigned vif,
    struct in_addr from);
/* Run every timer due at now. */
void dvmrp_nbr_timeout(struct dvmrp_nbr *n, mc_time_t now);
/* When dvmrp_nbr_timeout() must next be called (MC_TIME_NEVER: never). */
mc_time_t dvmrp_nbr_next_deadline(const struct dvmrp_nbr *n);

/* The capability byte of our messages on vif (the leaf bit included). */
uint8_t dvmrp_nbr_caps(const struct dvmrp_nbr *n, unsigned vif);

enum dvmrp_nbr_output_kind {
	DVMRP_NBR_OUT_PROBE, /* a probe to send */
	DVMRP_NBR_OUT_EVENT, /* for the route and prune engines, and logs */
};

enum dvmrp_nbr_event {
	/* addr is a two-way neighbour now: accept its reports and prunes. */
	DVMRP_NBR_EV_UP,
	/* addr is not a peer (any more): reason, previous and refusal say
	   more.  The routing engines act when previous is TWO_WAY: routes
	   through it go to hold-down, its prunes and dependencies go. */
	DVMRP_NBR_EV_DOWN,
	/* addr, two-way, restarted (new GenID or version; genid and
	   old_genid): forget the prunes it sent us.  A SEND_REPORT for it
	   follows. */
	DVMRP_NBR_EV_RESTART,
	/* Send addr our full route report now (draft 3.2: a new or
	   restarted neighbour).  Comes right after a probe listing addr, so
	   that the neighbour knows us when the report arrives. */
	DVMRP_NBR_EV_SEND_REPORT,
	/* A probe from addr ignored for `ignored`. */
	DVMRP_NBR_EV_IGNORED,
	/* A new neighbour addr not taken: max_neighbors_per_vif reached. */
	DVMRP_NBR_EV_LIMIT,
};

struct dvmrp_nbr_output {
	enum dvmrp_nbr_output_kind kind;
	unsigned vif;
	/* PROBE: to dst (224.0.0.4) from src (the VIF's address), TTL 1. */
	struct in_addr src;
	struct in_addr dst;
	uint32_t genid; /* ours; for EVENT RESTART the neighbour's new one */
	uint8_t caps;
	uint8_t minor;
	uint8_t major;
	const struct in_addr *neighbors; /* valid until the next call */
	size_t nneighbors;
	/* EVENT */
	enum dvmrp_nbr_event event;
	struct in_addr addr;		   /* the neighbour, or the source */
	enum dvmrp_nbr_state previous;	   /* before the event */
	enum dvmrp_nbr_state state;	   /* after it (DOWN: gone) */
	enum dvmrp_nbr_down_reason reason; /* EV_DOWN */
	enum dvmrp_nbr_refusal refusal;	   /* EV_DOWN for REFUSED */
	enum dvmrp_nbr_ignored ignored;	   /* EV_IGNORED */
	uint32_t old_genid;		   /* EV_RESTART */
};

/* Take the next output, in the order they happened; false when none. */
bool dvmrp_nbr_output(struct dvmrp_nbr *n, struct dvmrp_nbr_output *out);

/* Short names for logs, counters and mcastctl ("TWO_WAY", "expired" ...). */
const char *dvmrp_nbr_state_name(enum dvmrp_nbr_state s);
const char *dvmrp_nbr_event_name(enum dvmrp_nbr_event e);
const char *dvmrp_nbr_down_reason_name(enum dvmrp_nbr_down_reason r);
const char *dvmrp_nbr_refusal_name(enum dvmrp_nbr_refusal r);
const char *dvmrp_nbr_ignored_name(enum dvmrp_nbr_ignored why);
/* "leaf,prune,genid,mtrace" (each bit set, in bit order; "none"). */
const char *dvmrp_nbr_caps_name(uint8_t caps, char *buf, size_t len);

/* A neighbour, for mcastctl show neighbors and the tests. */
struct dvmrp_nbr_view {
	unsigned vif;
	struct in_addr addr;
	enum dvmrp_nbr_state state;
	enum dvmrp_nbr_refusal refusal;
	uint32_t genid;
	uint8_t caps;
	uint8_t minor;
	uint8_t major;
	mc_time_t since;	  /* first heard, or its last restart */
	mc_time_t up_since;	  /* two-way since; 0 = not two-way */
	mc_time_t last_probe;	  /* its last probe */
	mc_time_t last_listed_us; /* its last probe listing us; 0 = none */
	mc_time_t grace_until;	  /* restart grace; 0 = none */
	mc_time_t expires;
	uint64_t probes;   /* probes received from it */
	uint32_t restarts; /* GenID changes seen */
};

/* 0 and *v filled, or -ENOENT. */
int dvmrp_nbr_find(const struct dvmrp_nbr *n, unsigned vif, struct in_addr addr,
    struct dvmrp_nbr_view *v);
/* Every neighbour, by VIF, then in the order first heard; stops when fn
   returns non-zero and returns that. */
int dvmrp_nbr_foreach(const struct dvmrp_nbr *n,
    int (*fn)(void *arg, const struct dvmrp_nbr_view *v), void *arg);

struct dvmrp_nbr_vif_view {
	unsigned vif;
	bool up;
	struct in_addr addr;
	uint8_t prefix_len;
	uint8_t caps;	    /* of our messages there */
	uint32_t neighbors; /* in the table: every state */
	uint32_t two_way;
	mc_time_t next_probe; /* the periodic one; MC_TIME_NEVER: down */
	mc_time_t last_probe; /* 0: none sent */
};

/* 0 and *v filled (a VIF never up reads as down), or -EINVAL. */
int dvmrp_nbr_vif(const struct dvmrp_nbr *n, unsigned vif,
    struct dvmrp_nbr_vif_view *v);

struct dvmrp_nbr_stats {
	uint64_t rx_probes;
	uint64_t rx_ignored[DVMRP_NBR_IGN_COUNT];
	uint64_t refused_non_pruner;   /* neighbours refused for it */
	uint64_t refused_old_version;  /* neighbours refused for it */
	uint64_t limit_neighbors;      /* new neighbours not taken */
	uint64_t probes_sent;	       /* all of them */
	uint64_t probes_sent_extra;    /* of which outside the 10 s grid */
	uint64_t probes_held;	       /* extras held back by the hold-off */
	uint64_t probe_list_truncated; /* probes sent with a cut list */
	uint64_t adjacencies;	       /* UP events */
	uint64_t down[DVMRP_NBR_DOWN_REASON_COUNT];
	uint64_t restarts;	    /* GenID or version changes */
	uint64_t restart_grace;	    /* probes leaving us out, forgiven */
	uint64_t reports_requested; /* SEND_REPORT events */
	uint64_t neighbors;	    /* now, every state */
	uint64_t two_way;	    /* now */
	uint64_t unexpected_events; /* counted and ignored */
};

const struct dvmrp_nbr_stats *dvmrp_nbr_stats(const struct dvmrp_nbr *n);
/* The heap memory the engine holds now, bytes. */
size_t dvmrp_nbr_memory(const struct dvmrp_nbr *n);

#endif
