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

#include "igmp_wire.h" /* enum dvmrp_code, dvmrp_code_name */

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

/*
 * The codec.  Every DVMRP message is an IGMP message of type 0x13 whose
 * code byte is the DVMRP message type (enum dvmrp_code, igmp_wire.h):
 *
 *	13 code checksum(16) reserved(8) caps(8) minor(8) major(8) body...
 *
 * The checksum is IGMP's (igmp_checksum); the IPv4 header, 24 bytes with
 * Router Alert, is igmp_ip_build_out's: probes and reports TTL 1 to
 * 224.0.0.4 (DVMRP_ALL_ROUTERS), prunes, grafts, graft acks, ask
 * neighbors2 and neighbors2 unicast with TTL 255 (mrouted 4.6 on the wire).
 */
#define DVMRP_HDR_LEN	    8
#define DVMRP_IP_HDR_LEN    24	/* IPv4 with Router Alert, as we send it */
#define DVMRP_TTL_MULTICAST 1	/* probes, reports */
#define DVMRP_TTL_UNICAST   255 /* prunes, grafts, acks, mrinfo */
#define DVMRP_PROBE_MIN_LEN (DVMRP_HDR_LEN + 4) /* + GenID */
#define DVMRP_PRUNE_LEN	    (DVMRP_HDR_LEN + 12)
#define DVMRP_GRAFT_LEN	    (DVMRP_HDR_LEN + 8)
#define DVMRP_NETMASK_LEN   4  /* optional after prunes and grafts */
#define DVMRP_INFO_REQUEST  10 /* mrouted extension, recognised */
#define DVMRP_INFO_REPLY    11
/*
 * The body of a report or a neighbors2 reply we send: what leaves 576
 * bytes of IP datagram (DVMRP_REPORT_MAX_IP) after our 24-byte IPv4
 * header with Router Alert and the 8-byte DVMRP header: 576 - 24 - 8 =
 * 544 bytes.  mrouted's MAX_DVMRP_DATA_LEN (dvmrp.h) is 576 - 60 - 8 =
 * 508, reserving room for the longest IPv4 header (60 bytes); both keep
 * the datagram within 576, and mrouted accepts reports of up to 8 KB.
 */
#define DVMRP_BODY_MAX (DVMRP_REPORT_MAX_IP - DVMRP_IP_HDR_LEN - DVMRP_HDR_LEN)

/*
 * Why a message was refused: positive kinds, returned negated (-kind)
 * by decoders and encoders, so that a daemon counts malformed[-rc].
 */
enum dvmrp_error {
	DVMRP_OK = 0,
	DVMRP_E_TRUNCATED,	     /* under the 8-byte header */
	DVMRP_E_CHECKSUM,	     /* IGMP checksum wrong */
	DVMRP_E_NOT_DVMRP,	     /* IGMP type is not 0x13 */
	DVMRP_E_UNKNOWN_CODE,	     /* code not 1-11 */
	DVMRP_E_PROBE_LENGTH,	     /* no GenID, or list not 4n bytes */
	DVMRP_E_REPORT_TRUNCATED,    /* a mask or route cut short */
	DVMRP_E_REPORT_MASK,	     /* netmask not contiguous */
	DVMRP_E_REPORT_ORIGIN,	     /* origin has bits beyond its mask */
	DVMRP_E_REPORT_METRIC,	     /* metric 0 or above 63 */
	DVMRP_E_PRUNE_GRAFT_LENGTH,  /* prune not 12/16, graft not 8/12 */
	DVMRP_E_NEIGHBORS_TRUNCATED, /* neighbors(2) block cut short */
	DVMRP_E_NO_ROOM,	     /* an encoder's buffer is too small */
};
#define DVMRP_E_COUNT 13 /* kinds, DVMRP_OK included: malformed[] size */

/* A decoded message; pointers into the caller's buffer. */
struct dvmrp_msg {
	uint8_t code; /* enum dvmrp_code */
	uint8_t caps; /* DVMRP_CAP_* (probe, neighbors2; others as sent) */
	uint8_t minor;
	uint8_t major;
	size_t length;	     /* the whole message, header included */
	const uint8_t *body; /* length - 8 bytes after the header */
	size_t body_len;

	/*
	 * Probe: the GenID as a big-endian number (as tshark and tcpdump
	 * print it; mrouted writes its uptime in host order: only equality
	 * means anything), and the neighbours heard on that VIF.
	 */
	uint32_t genid;
	uint16_t nneighbors;
	const uint8_t *neighbors; /* nneighbors * 4 bytes */

	/* Report: every route validated; walk with dvmrp_routes_next. */
	uint32_t nroutes;
	uint32_t nlists; /* (mask, routes...) lists */

	/* Prune (lifetime too), graft, graft ack. */
	struct in_addr source; /* the origin network mrouted sends */
	struct in_addr group;
	uint32_t lifetime_s;
	bool has_netmask;
	struct in_addr netmask;

	/* Neighbors2 (and v1 Neighbors): walk with dvmrp_vifs_next. */
	uint32_t nvifs; /* local-address blocks */
};

/* One local-address block of a neighbors2 (or v1 neighbors) reply. */
struct dvmrp_vif_info {
	struct in_addr local;
	uint8_t metric;
	uint8_t threshold;
	uint8_t flags; /* DVMRP_VIF_*; 0 in v1 neighbors */
	uint8_t nneighbors;
	const uint8_t *neighbors; /* decoded: nneighbors * 4 bytes */
};

/*
 * Decode one DVMRP message (the IGMP message, from its type byte): the
 * checksum, the header and the whole body are checked; DVMRP_OK or
 * -DVMRP_E_*.  Bytes after an empty body (ask neighbors, ask neighbors2)
 * are ignored; Info Request / Reply are recognised and not decoded.
 */
int dvmrp_decode(const uint8_t *buf, size_t len, struct dvmrp_msg *out);

/* Neighbour i of a probe (or of a vif block's list). */
struct in_addr dvmrp_addr_at(const uint8_t *list, uint16_t i);

/*
 * Routes of a decoded report, in the order sent.  A mask of 0.0.0 with a
 * one-byte origin 0 is the default route 0.0.0.0/0 (draft 3.4.3; mrouted
 * reads it so too).  new_list: the route opened a (mask) list.
 */
struct dvmrp_route_iter {
	const struct dvmrp_msg *msg;
	size_t offset;
	uint32_t index;
	bool in_list; /* inside a list: the next route shares its mask */
	bool new_list;
	struct in_addr mask;
	uint8_t width;
};
void dvmrp_routes_begin(const struct dvmrp_msg *msg,
    struct dvmrp_route_iter *it);
bool dvmrp_routes_next(struct dvmrp_route_iter *it, struct dvmrp_route *r);

/* Local-address blocks of a decoded neighbors2 or neighbors reply. */
struct dvmrp_vif_iter {
	const struct dvmrp_msg *msg;
	size_t offset;
	uint32_t index;
};
void dvmrp_vifs_begin(const struct dvmrp_msg *msg, struct dvmrp_vif_iter *it);
bool dvmrp_vifs_next(struct dvmrp_vif_iter *it, struct dvmrp_vif_info *v);

/*
 * Encoders: a complete DVMRP message (IGMP type 0x13, version 3.255,
 * checksum) into buf; its length, or -DVMRP_E_NO_ROOM.  caps: what the
 * header's capability byte carries (DVMRP_CAPS_OURS, | DVMRP_CAP_LEAF).
 */
int dvmrp_build_probe(uint8_t *buf, size_t cap, uint8_t caps, uint32_t genid,
    const struct in_addr *neighbors, size_t nneighbors);

/*
 * The order of a report: mask ascending as a host-order number (so /0
 * first, then /8 ... /32), then origin ascending.  For qsort().
 */
int dvmrp_route_cmp(const void *a, const void *b);

/*
 * One report message from routes[0..nroutes), sorted by dvmrp_route_cmp:
 * (mask, (origin, metric)...) lists, a new list at each mask change, the
 * metric byte's bit 7 closing each list, and no more than DVMRP_BODY_MAX
 * bytes of body (576 bytes of IP datagram) nor cap bytes in all.
 * *consumed: how many routes went in; call again with the rest for the
 * next message.  -DVMRP_E_NO_ROOM when not even one route fits;
 * -DVMRP_E_REPORT_METRIC / _MASK / _ORIGIN for a route that cannot be
 * sent (metric not 1..63, mask not contiguous or shorter than 8 bits but
 * not 0, origin with bits beyond the mask), *consumed 0.
 */
int dvmrp_build_report(uint8_t *buf, size_t cap, uint8_t caps,
    const struct dvmrp_route *routes, size_t nroutes, size_t *consumed);

/* Prune: source network, group, lifetime; netmask appended if not NULL. */
int dvmrp_build_prune(uint8_t *buf, size_t cap, uint8_t caps,
    struct in_addr source, struct in_addr group, uint32_t lifetime_s,
    const struct in_addr *netmask);
/*
 * Graft and graft ack: source network, group, netmask if not NULL
 * (mrouted 4.6 refuses a graft ack longer than 8 bytes of body).
 */
int dvmrp_build_graft(uint8_t *buf, size_t cap, uint8_t caps,
    struct in_addr source, struct in_addr group, const struct in_addr *netmask);
int dvmrp_build_graft_ack(uint8_t *buf, size_t cap, uint8_t caps,
    struct in_addr source, struct in_addr group, const struct in_addr *netmask);
/* mrinfo's request: no body. */
int dvmrp_build_ask_neighbors2(uint8_t *buf, size_t cap, uint8_t caps);

/* One VIF of the mrinfo reply we send. */
struct dvmrp_mrinfo_vif {
	struct in_addr local;
	uint8_t metric;
	uint8_t threshold;
	uint8_t flags; /* DVMRP_VIF_* */
	const struct in_addr *neighbors;
	size_t nneighbors;
};

/*
 * Neighbors2 (the mrinfo reply), packed like reports: blocks from
 * vifs[*next_vif], its neighbour *next_nbr on, up to DVMRP_BODY_MAX bytes
 * of body and cap bytes in all; a block that does not fit is continued in
 * the next message with its local address, metric, threshold and flags
 * repeated (as mrouted does).  Advances *next_vif and *next_nbr; the
 * reply is complete when *next_vif == nvifs.  A block is written as
 * given: mrouted lists a VIF without neighbours as one neighbour 0.0.0.0,
 * since mrinfo prints a VIF only through its neighbours; a block given
 * no neighbours is written with count 0.
 */
int dvmrp_build_neighbors2(uint8_t *buf, size_t cap, uint8_t caps,
    const struct dvmrp_mrinfo_vif *vifs, size_t nvifs, size_t *next_vif,
    size_t *next_nbr);

/* (Re)write the checksum of the len-byte message at buf (len >= 4). */
void dvmrp_seal(uint8_t *buf, size_t len);

/* Names for logs, dumps and show stats: "report truncated". */
const char *dvmrp_error_name(int error); /* kind or -kind */
/* The kind's short key for counters and JSON: "report_truncated". */
const char *dvmrp_error_key(int error);

#endif
