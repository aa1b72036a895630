/*
 * DVMRP on the wire (draft-ietf-idmr-dvmrp-v3-11, as mrouted 4.x "3.255"
 * speaks it; ../shared/docs/PROTOCOLS.md 2.1): the constants and the
 * decoded forms the DVMRP engines (dvmrp_nbr.c, dvmrp_rib.c, dvmrp_prune.c)
 * take and give.  The codec (dvmrp_wire.c) decodes and encodes them; it
 * never reads past its buffer and never allocates.
 */
#ifndef MCAST_PROTO_DVMRP_WIRE_H
#define MCAST_PROTO_DVMRP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define DVMRP_ALL_ROUTERS 0xe0000004u /* 224.0.0.4 */

/* The version mrouted 4.x sends: major 3, minor 0xff ("3.255"). */
#define DVMRP_MAJOR 3
#define DVMRP_MINOR 0xff

/* Capability flags (probes and Neighbors2). */
#define DVMRP_CAP_LEAF	  0x01
#define DVMRP_CAP_PRUNE	  0x02
#define DVMRP_CAP_GENID	  0x04
#define DVMRP_CAP_MTRACE  0x08
#define DVMRP_CAP_SNMP	  0x10
#define DVMRP_CAP_NETMASK 0x20 /* prunes and grafts carry a netmask */
/* What we announce, as mrouted does: prune, genid, mtrace. */
#define DVMRP_CAPS_OURS (DVMRP_CAP_PRUNE | DVMRP_CAP_GENID | DVMRP_CAP_MTRACE)

/* Neighbors2 flags of a local address. */
#define DVMRP_VIF_TUNNEL   0x01
#define DVMRP_VIF_SRCRT	   0x02
#define DVMRP_VIF_PIM	   0x04
#define DVMRP_VIF_DOWN	   0x10
#define DVMRP_VIF_DISABLED 0x20
#define DVMRP_VIF_QUERIER  0x40
#define DVMRP_VIF_LEAF	   0x80

/* Metrics: 1..31 reachable, 32 infinity, 33..63 poison reverse. */
#define DVMRP_INFINITY	 32
#define DVMRP_POISON_MAX 63
/* A report's IP datagram (header included) is at most this long. */
#define DVMRP_REPORT_MAX_IP 576

/* One route of a report: origin network, its mask, the metric sent. */
struct dvmrp_route {
	struct in_addr origin;
	struct in_addr mask;
	uint8_t metric; /* 1..63 */
};

#endif
