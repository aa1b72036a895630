/*
 * The router side of IGMP v1/v2/v3 for one interface, as a sans-I/O engine
 * (RFC 2236 sections 3-8, RFC 3376 sections 6-8, RFC 4604 for SSM):
 * querier election, general and group(-and-source)-specific queries,
 * membership state per group with v1/v2 compatibility and full v3
 * per-source state.
 *
 * The caller feeds decoded packets and the time; the engine answers with
 * outputs: IGMP messages to send and membership changes.  Its membership
 * view per group is what a multicast router forwards on this interface:
 *   INCLUDE {A}: forward sources A (INCLUDE {} = no members: delete),
 *   EXCLUDE {Y}: forward every source but Y.
 */
#ifndef MCAST_PROTO_IGMP_ROUTER_H
#define MCAST_PROTO_IGMP_ROUTER_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "engine.h"
#include "igmp_wire.h"

enum igmp_filter_mode {
	IGMP_FILTER_INCLUDE = 0,
	IGMP_FILTER_EXCLUDE = 1,
};

struct igmp_router_config {
	unsigned version;			/* 1, 2 or 3: query version */
	unsigned robustness;			/* RV, RFC 3376 8.1 */
	uint32_t query_interval_ms;		/* QI, 8.2 */
	uint32_t query_response_interval_ms;	/* QRI, 8.3 */
	uint32_t last_member_query_interval_ms; /* LMQI, 8.8 */
	unsigned last_member_query_count;	/* LMQC, 8.9 (0 = RV) */
	uint32_t startup_query_interval_ms;	/* 8.6 (0 = QI / 4) */
	unsigned startup_query_count;		/* 8.7 (0 = RV) */
	uint32_t max_groups;			/* 0 = no limit */
	uint32_t max_sources_per_group;		/* 0 = no limit */
	struct in_addr ssm_prefix;		/* RFC 4604 range: 232.0.0.0 */
	uint8_t ssm_prefix_len;			/* 8; 0 = no SSM range */
	bool require_router_alert;		/* RFC 3376 9.2: drop reports
						   without it (default off) */
};

/* RFC defaults: v3, RV 2, QI 125 s, QRI 10 s, LMQI 1 s, 232/8. */
void igmp_router_config_defaults(struct igmp_router_config *c);
/* 0, or -EINVAL when a value breaks the RFC (RV 0, QRI >= QI ...). */
int igmp_router_config_check(const struct igmp_router_config *c);

/* The RFC formulas, each in its own function. */
uint32_t igmp_group_membership_interval_ms(const struct igmp_router_config *c);
uint32_t
igmp_other_querier_present_interval_ms(const struct igmp_router_config *c);
uint32_t igmp_startup_query_interval_ms(const struct igmp_router_config *c);
uint32_t igmp_last_member_query_time_ms(const struct igmp_router_config *c);
uint32_t
igmp_older_host_present_interval_ms(const struct igmp_router_config *c);

struct igmp_router;

/*
 * addr/prefix_len: this router's address on the interface and its subnet
 * (reports from elsewhere, but 0.0.0.0, are ignored: RFC 3376 9.2).
 */
struct igmp_router *igmp_router_new(const struct igmp_router_config *c,
    struct in_addr addr, uint8_t prefix_len, uint64_t rng_seed,
    mc_trace_fn trace, void *trace_arg);
void igmp_router_free(struct igmp_router *r);

/* Start as querier: Startup Query Count general queries (RFC 3376 8.7). */
void igmp_router_start(struct igmp_router *r, mc_time_t now);
/* A decoded IGMP packet that arrived on this interface. */
void igmp_router_input(struct igmp_router *r, mc_time_t now,
    const struct igmp_ip *ip, const struct igmp_msg *msg);
/* Run every timer due at now. */
void igmp_router_timeout(struct igmp_router *r, mc_time_t now);
/* When igmp_router_timeout() must next be called (MC_TIME_NEVER: never). */
mc_time_t igmp_router_next_deadline(const struct igmp_router *r);
/* The interface's address changed: re-run the election. */
void igmp_router_set_address(struct igmp_router *r, mc_time_t now,
    struct in_addr addr, uint8_t prefix_len);
/* New timers/limits (a reload): state is kept. */
int igmp_router_reconfigure(struct igmp_router *r,
    const struct igmp_router_config *c);

enum igmp_router_output_kind {
	IGMP_ROUTER_OUT_PACKET,	    /* an IGMP message to send */
	IGMP_ROUTER_OUT_MEMBERSHIP, /* a group's forwarding view changed */
	IGMP_ROUTER_OUT_EVENT,	    /* what an operator should hear of */
};

/*
 * What the engine did that its caller reports (logs, counters): typed, so
 * that nobody has to compare the engine's counters before and after an
 * input to guess.  Each comes once per occurrence; the counters in
 * igmp_router_stats still count them.
 *
 * Order: events first.  igmp_router_output() hands out every pending
 * event, in the order they happened, before any pending packet or
 * membership change (those keep their own order: the queries an input
 * causes before its membership change).  So the events of an input come
 * before the packets and membership changes of that same input.
 */
enum igmp_router_event {
	/* This router is the querier now: at start, or on taking over when
	   the Other Querier Present timer ran out or its new address won
	   (RFC 3376 6.6.2, 8.5).  Not again while it stays the querier,
	   even when its address changes. */
	IGMP_ROUTER_EV_QUERIER,
	/* Another router, from, is the querier now: a query from a lower
	   address (6.6.2); also when the querier changes to another one. */
	IGMP_ROUTER_EV_OTHER_QUERIER,
	/* A querier, from, speaks IGMPv`version`, older than configured:
	   the network runs that version (7.3.1).  Once per version. */
	IGMP_ROUTER_EV_OLDER_QUERIER,
	/* An input ignored, for the reason in `ignored`: one event per
	   message, or per group record of a v3 report. */
	IGMP_ROUTER_EV_IGNORED,
	/* A join for group from `from` refused: max_groups reached. */
	IGMP_ROUTER_EV_LIMIT_GROUPS,
	/* `count` sources of group from `from` refused:
	   max_sources_per_group reached.  One event per input and group
	   (per group record of a v3 report), never one per source. */
	IGMP_ROUTER_EV_LIMIT_SOURCES,
};

/* Why an input was ignored (IGMP_ROUTER_EV_IGNORED). */
enum igmp_router_ignored {
	IGMP_ROUTER_IGN_UNKNOWN_TYPE,	 /* RFC 3376 4: `type` unknown */
	IGMP_ROUTER_IGN_OFF_SUBNET,	 /* 9.2: source not on our subnet;
					   a query from 0.0.0.0 too */
	IGMP_ROUTER_IGN_NO_ROUTER_ALERT, /* require_router_alert */
	IGMP_ROUTER_IGN_BAD_DESTINATION, /* not to the group or routers */
	IGMP_ROUTER_IGN_SSM,		 /* RFC 4604: any-source in SSM range */
	IGMP_ROUTER_IGN_LEAVE_V1_HOST,	 /* 7.3.2: leave/TO_IN, v1 host */
	IGMP_ROUTER_IGN_COUNT
};

/* "querier", "limit-sources" ...: short, for logs. */
const char *igmp_router_event_name(enum igmp_router_event e);
/* "off-subnet", "ssm" ...: short, for logs and counters' names. */
const char *igmp_router_ignored_name(enum igmp_router_ignored why);

#define IGMP_ROUTER_MAX_PACKET \
	1476 /* IGMP bytes: + 24-byte IP header (RA) = 1500 */

struct igmp_router_output {
	enum igmp_router_output_kind kind;
	/* PACKET: an IGMP message (no IP header: igmp_ip_build adds it) */
	struct in_addr dst;
	uint8_t data[IGMP_ROUTER_MAX_PACKET];
	size_t len;
	/* MEMBERSHIP: the group's new view (see the top of this file) */
	struct in_addr group; /* and EVENT's, if any */
	enum igmp_filter_mode mode;
	const struct in_addr *sources; /* valid until the next call */
	uint32_t nsources;
	/*
	 * EVENT.  from, to and type describe the packet that caused it
	 * (0 when a timer did); group is 0.0.0.0 when the packet is about
	 * no one group (a general query, a v3 report as a whole).
	 */
	enum igmp_router_event event;
	enum igmp_router_ignored ignored; /* EV_IGNORED */
	struct in_addr from;		  /* the packet's source; for
						   EV_QUERIER this router */
	struct in_addr to;		  /* the packet's destination */
	uint8_t type;			  /* the IGMP type byte */
	unsigned version;		  /* EV_OLDER_QUERIER */
	uint32_t count;			  /* EV_LIMIT_SOURCES */
	struct in_addr previous;	  /* EV_QUERIER, EV_OTHER_QUERIER:
						   the querier before (0.0.0.0:
						   none known) */
};

/* Take the next output; false when there is none. */
bool igmp_router_output(struct igmp_router *r, struct igmp_router_output *out);

/* For mcastctl and tests. */
bool igmp_router_is_querier(const struct igmp_router *r);
struct in_addr igmp_router_querier(const struct igmp_router *r);
const char *igmp_filter_mode_name(enum igmp_filter_mode mode);

struct igmp_router_source_view {
	struct in_addr source;
	mc_time_t timer; /* expiry; 0 = not running (Y set) */
};

struct igmp_router_group_view {
	struct in_addr group;
	enum igmp_filter_mode mode;
	mc_time_t group_timer;	 /* expiry, 0 = off */
	unsigned compat_version; /* 1, 2 or 3 */
	mc_time_t v1_host_timer; /* expiry, 0 = off */
	mc_time_t v2_host_timer;
	uint32_t nsources;
	const struct igmp_router_source_view *sources;
	mc_time_t since;	      /* present since (its first report) */
	struct in_addr last_reporter; /* the source of the last v1/v2
					 report or v3 record for it */
};

/* 0 and *view filled, or -ENOENT. */
int igmp_router_group(const struct igmp_router *r, struct in_addr group,
    struct igmp_router_group_view *view);
/* Call fn for every group (order unspecified); stops when fn returns != 0. */
int igmp_router_foreach_group(const struct igmp_router *r,
    int (*fn)(void *arg, const struct igmp_router_group_view *v), void *arg);

struct igmp_router_stats {
	uint64_t rx[IGMP_KIND_UNKNOWN + 1]; /* by igmp_kind */
	uint64_t rx_ignored_no_router_alert;
	uint64_t rx_ignored_off_subnet;
	uint64_t rx_ignored_ssm;	   /* RFC 4604 rules */
	uint64_t rx_ignored_leave_v1_host; /* v2 leave, v1 host present */
	uint64_t rx_ignored_bad_destination;
	uint64_t limit_groups;	/* joins refused: max_groups */
	uint64_t limit_sources; /* sources refused */
	uint64_t queries_sent_general;
	uint64_t queries_sent_group;
	uint64_t queries_sent_group_source;
	uint64_t querier_elections_lost;
	uint64_t querier_takeovers; /* became querier on OQP expiry */
	uint64_t groups;	    /* now */
	uint64_t unexpected_events; /* counted and ignored */
};

const struct igmp_router_stats *igmp_router_stats(const struct igmp_router *r);
/* The heap memory the engine holds now (groups, sources, tables), bytes. */
size_t igmp_router_memory(const struct igmp_router *r);

#endif
