/*
 * mrinfo for `mcast mrinfo` and `mcast map`: a router's Neighbors 2 reply
 * gathered from its messages (mrinfo_fmt.c: pure, unit-tested), printed as
 * mrouted's mrinfo prints it or as JSON; and the asking itself over a raw
 * IGMP socket (mrinfo_ask.c).
 */
#ifndef MCAST_TOOL_MRINFO_H
#define MCAST_TOOL_MRINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "dvmrp_wire.h"

/* Messages of one reply we keep (a split reply is a few of them). */
#define MRINFO_MAX_MSGS 64

/* One local address (VIF) of the router, its neighbours merged. */
struct mrinfo_vif {
	struct in_addr local;
	uint8_t metric;
	uint8_t threshold;
	uint8_t flags; /* DVMRP_VIF_* */
	size_t nneighbors;
	/* As sent: 0.0.0.0 is mrouted's "no neighbour" (printed "local"). */
	struct in_addr *neighbors;
};

/* A router's reply: one or more Neighbors 2 messages from one source. */
struct mrinfo_reply {
	struct in_addr from; /* source of the first message */
	uint8_t caps;	     /* DVMRP_CAP_* of the first message */
	uint8_t minor;
	uint8_t major;
	struct mrinfo_vif *vifs;
	size_t nvifs;
	size_t vifs_cap;
	/* The messages taken, to drop a copy (an answer to a retry). */
	uint8_t *msgs[MRINFO_MAX_MSGS];
	size_t msg_len[MRINFO_MAX_MSGS];
	size_t nmsgs;
};

void mrinfo_reply_init(struct mrinfo_reply *r);
void mrinfo_reply_fini(struct mrinfo_reply *r);

/*
 * Whether a decoded Neighbors 2 message from `from` answers a question
 * to `target`: it comes from target, or target is one of the local
 * addresses it lists (a router answers from the address the question
 * arrived on, which need not be the one asked).
 */
bool mrinfo_msg_answers(const struct dvmrp_msg *m, struct in_addr from,
    struct in_addr target);

/*
 * Add a decoded Neighbors 2 message (m->body points into buf, its whole
 * IGMP message of len bytes) to the reply.  A block that continues the
 * previous message's last one (the same local address, metric,
 * threshold and flags opening this message: a reply split at 576 bytes)
 * is merged with it.  1 added, 0 a copy of a message already taken (or
 * past MRINFO_MAX_MSGS), -1 out of memory.
 */
int mrinfo_reply_add(struct mrinfo_reply *r, struct in_addr from,
    const uint8_t *buf, size_t len, const struct dvmrp_msg *m);

/* Whether addr is one of the reply's local addresses. */
bool mrinfo_reply_has_local(const struct mrinfo_reply *r, struct in_addr addr);

/* Capability names of caps ("leaf", "prune" ..., "0x40" for others). */
size_t mrinfo_caps_names(uint8_t caps, const char *names[8], char other[8]);
/* Flag names of a VIF's flags, in mrinfo's order; unknown bits "0x08". */
size_t mrinfo_flag_names(uint8_t flags, const char *names[8], char other[8]);

/*
 * Text as mrouted's mrinfo prints it, with the version and capabilities
 * in the header ("198.18.72.2 (name) [version 3.255,prune,genid,mtrace]:")
 * and a line per (local address -> neighbour) with
 * [metric/threshold/flags]; a VIF without neighbours is printed with
 * "0.0.0.0 (local)".  name_of(addr) gives the name in parentheses (NULL:
 * the address itself).
 */
typedef const char *(*mrinfo_name_fn)(struct in_addr addr);
void mrinfo_print_text(FILE *f, const struct mrinfo_reply *r,
    mrinfo_name_fn name_of);

/*
 * The JSON members of a reply, without braces: "reply_from", "version",
 * "capabilities", "vifs" [{local, metric, threshold, flags, neighbors}]
 * (neighbours without mrouted's 0.0.0.0).
 */
void mrinfo_print_json_members(FILE *f, const struct mrinfo_reply *r);

/* ---- asking (mrinfo_ask.c) --------------------------------------------- */

enum mrinfo_result {
	MRINFO_ANSWERED = 0,
	MRINFO_NO_ANSWER = 1,
	MRINFO_NO_ROUTE = 2, /* no local address reaches the router */
};

struct mrinfo_asker {
	int fd;		    /* raw IGMP socket, IP_HDRINCL */
	const char *ifname; /* -i: bound to it, or NULL */
	double timeout_s;   /* per question */
	unsigned retries;   /* questions after the first */
	bool router_alert;  /* send with Router Alert (mrouted's mrinfo) */
	struct in_addr src; /* last source address used */
	int route_errno;    /* why MRINFO_NO_ROUTE */
	unsigned questions; /* sent, in all */
};

/* Open the socket; exits 1 with a message when it cannot. */
void mrinfo_asker_open(struct mrinfo_asker *a, const char *ifname);
void mrinfo_asker_close(struct mrinfo_asker *a);
/* Ask target; *reply (initialised by the caller) holds the answer. */
enum mrinfo_result mrinfo_ask(struct mrinfo_asker *a, struct in_addr target,
    struct mrinfo_reply *reply);

/* ---- shared by cmd_mrinfo.c and cmd_map.c ------------------------------ */

/* ROUTER operand: an IPv4 unicast address or a host name; exit 2 else. */
struct in_addr mrinfo_parse_router(const char *cmd, const char *text);
/* -r N: 0 to 100; exit 2 else. */
unsigned mrinfo_parse_retries(const char *cmd, const char *text);
/* The host name of addr (reverse lookup), or NULL. */
const char *mrinfo_dns_name(struct in_addr addr);
/* An asker with mrinfo's defaults (-t 3, -r 3), not open. */
void mrinfo_defaults(struct mrinfo_asker *a);
/* "mcast: mrinfo: no answer from ROUTER: ..." on stderr. */
void mrinfo_no_answer(const struct mrinfo_asker *a, const char *text,
    enum mrinfo_result res);

#endif
