/*
 * Multicast traceroute on the wire (draft-ietf-idmr-traceroute-ipm-07..09
 * as mrouted 4.x speaks it; ../shared/docs/PROTOCOLS.md 2.3): IGMP type
 * 0x1f for a query (no block) and a request (blocks appended hop by hop),
 * 0x1e for a response.  The codec (mtrace_wire.c) decodes and encodes;
 * it never reads past its buffer, never allocates and does no I/O.
 *
 *	0x1f|0x1e hops checksum(16) group source destination
 *	response-address response-ttl(8) query-id(24)	     24 bytes
 *	then N blocks of 32 bytes:
 *	query-arrival(32, NTP 16.16) incoming-if outgoing-if previous-hop
 *	input-pkts output-pkts sg-pkts proto(8) fwd-ttl(8)
 *	MBZ(1) S(1) src-mask(6) forwarding-code(8)
 */
#ifndef MCAST_PROTO_MTRACE_WIRE_H
#define MCAST_PROTO_MTRACE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "igmp_wire.h" /* IGMP_TYPE_MTRACE, IGMP_TYPE_MTRACE_RESP */

#define MTRACE_HDR_LEN	 24
#define MTRACE_BLOCK_LEN 32
/* Where a response goes when not unicast: 224.0.1.32 (mrouted). */
#define MTRACE_RESP_GROUP 0xe0000120u
/* TTLs mrouted's mtrace uses: unicast response, multicast query. */
#define MTRACE_TTL_UNICAST   255
#define MTRACE_TTL_MULTICAST 64
/* Hops when none is asked (mrouted's MAXHOPS: DVMRP's infinity). */
#define MTRACE_MAX_HOPS 32
/*
 * The most blocks a message can carry: hops is one byte, and a router
 * that sees as many blocks as hops answers instead of forwarding.
 */
#define MTRACE_MAX_BLOCKS 255

/* The byte of the source mask: MBZ(1) S(1) mask length(6). */
#define MTRACE_SMASK_MBZ 0x80
#define MTRACE_SMASK_S	 0x40 /* (S,G) state, not the source network */
#define MTRACE_SMASK_LEN 0x3f
#define MTRACE_MASK_SG	 63 /* forwarding on group state alone */

/* Forwarding codes (draft 4.2.2; mrouted's TR_* for 0-7, 0x81, 0x82). */
enum mtrace_fwd_code {
	MTRACE_FWD_NO_ERROR = 0x00,
	MTRACE_FWD_WRONG_IF = 0x01,
	MTRACE_FWD_PRUNE_SENT = 0x02,
	MTRACE_FWD_PRUNE_RCVD = 0x03,
	MTRACE_FWD_SCOPED = 0x04,
	MTRACE_FWD_NO_ROUTE = 0x05,
	MTRACE_FWD_WRONG_LAST_HOP = 0x06,
	MTRACE_FWD_NOT_FORWARDING = 0x07,
	MTRACE_FWD_REACHED_RP = 0x08,
	MTRACE_FWD_RPF_IF = 0x09,
	MTRACE_FWD_NO_MULTICAST = 0x0a,
	MTRACE_FWD_INFO_HIDDEN = 0x0b,
	MTRACE_FWD_NO_SPACE = 0x81,
	MTRACE_FWD_OLD_ROUTER = 0x82,
	MTRACE_FWD_ADMIN_PROHIB = 0x83,
};
/* Codes with bit 7 set end the trace at that hop (fatal errors). */
#define MTRACE_FWD_FATAL 0x80

/* Routing protocols (draft 4.2.2; mrouted's PROTO_* for 1-4). */
enum mtrace_proto {
	MTRACE_PROTO_DVMRP = 1,
	MTRACE_PROTO_MOSPF = 2,
	MTRACE_PROTO_PIM = 3,
	MTRACE_PROTO_CBT = 4,
	MTRACE_PROTO_PIM_SPECIAL = 5, /* PIM, special routing table */
	MTRACE_PROTO_PIM_STATIC = 6,
	MTRACE_PROTO_DVMRP_STATIC = 7,
	MTRACE_PROTO_PIM_MBGP = 8,
	MTRACE_PROTO_CBT_SPECIAL = 9,
	MTRACE_PROTO_CBT_STATIC = 10,
	MTRACE_PROTO_PIM_ASSERT = 11,
};

/*
 * Why a message was refused: positive kinds, returned negated (-kind),
 * so that a daemon counts malformed[-rc].
 */
enum mtrace_error {
	MTRACE_OK = 0,
	MTRACE_E_TRUNCATED,	  /* under the 24-byte header */
	MTRACE_E_CHECKSUM,	  /* IGMP checksum wrong */
	MTRACE_E_NOT_MTRACE,	  /* IGMP type is not 0x1f nor 0x1e */
	MTRACE_E_BLOCK_TRUNCATED, /* not 24 + 32n bytes: a block cut short */
	MTRACE_E_NO_BLOCK,	  /* a response without a block */
	MTRACE_E_HOPS,		  /* more blocks than the hops asked */
	MTRACE_E_MASK,		  /* a block's source mask 33..62 */
	MTRACE_E_NO_ROOM,	  /* an encoder's buffer is too small */
};
#define MTRACE_E_COUNT 9 /* kinds, MTRACE_OK included: malformed[] size */

/* The header: a query, a request or a response. */
struct mtrace_query {
	uint8_t hops; /* the most hops asked (byte 1) */
	struct in_addr group;
	struct in_addr source;
	struct in_addr dest; /* the receiver */
	struct in_addr response_addr;
	uint8_t response_ttl;
	uint32_t query_id; /* 24 bits */
};

/* A decoded message; blocks point into the caller's buffer. */
struct mtrace_msg {
	uint8_t type; /* IGMP_TYPE_MTRACE or IGMP_TYPE_MTRACE_RESP */
	bool response;
	uint16_t checksum;
	struct mtrace_query q;
	size_t length; /* 24 + 32 * nblocks */
	uint16_t nblocks;
	const uint8_t *blocks;
};

/* One response block, host-order numbers. */
struct mtrace_block {
	uint32_t arrival; /* NTP 16.16: low 16 bits of seconds, fraction */
	struct in_addr in_addr;
	struct in_addr out_addr;
	struct in_addr prev_hop; /* previous-hop router toward the source */
	uint32_t in_pkts;
	uint32_t out_pkts;
	uint32_t sg_pkts;
	uint8_t proto; /* enum mtrace_proto */
	uint8_t fwd_ttl;
	bool mbz; /* the MBZ bit, as received */
	bool s_bit;
	uint8_t mask_len; /* 0..32, or MTRACE_MASK_SG */
	uint8_t fwd_code; /* enum mtrace_fwd_code */
};

/*
 * Decode one mtrace message (the IGMP message, from its type byte): the
 * checksum, the header and every block are checked; MTRACE_OK or
 * -MTRACE_E_*.  Only the length the blocks take is read: the caller gives
 * the IGMP payload's length (an IP datagram's total length).
 */
int mtrace_decode(const uint8_t *buf, size_t len, struct mtrace_msg *out);

/* Block i (< nblocks) of a decoded message. */
void mtrace_block_at(const struct mtrace_msg *m, uint16_t i,
    struct mtrace_block *b);

/* Blocks in order: the last-hop router's first, toward the source. */
struct mtrace_block_iter {
	const struct mtrace_msg *msg;
	uint16_t index;
};
void mtrace_blocks_begin(const struct mtrace_msg *m,
    struct mtrace_block_iter *it);
bool mtrace_blocks_next(struct mtrace_block_iter *it, struct mtrace_block *b);

/*
 * Encoders: a whole message into buf with its checksum; its length, or
 * -MTRACE_E_NO_ROOM.  type: IGMP_TYPE_MTRACE or IGMP_TYPE_MTRACE_RESP;
 * -MTRACE_E_NOT_MTRACE for another, -MTRACE_E_HOPS for more blocks than
 * MTRACE_MAX_BLOCKS, -MTRACE_E_MASK for a mask length 33..62.
 */
int mtrace_build(uint8_t *buf, size_t cap, uint8_t type,
    const struct mtrace_query *q, const struct mtrace_block *blocks,
    size_t nblocks);
/* The query a client sends: type 0x1f, no block. */
int mtrace_build_query(uint8_t *buf, size_t cap, const struct mtrace_query *q);
/*
 * A router's part: append block b to the len-byte request at buf (a
 * decoded one), set type (request forwarded or response sent) and the
 * checksum; the new length, or -MTRACE_E_NO_ROOM / _MASK / _NOT_MTRACE.
 */
int mtrace_append_block(uint8_t *buf, size_t cap, size_t len, uint8_t type,
    const struct mtrace_block *b);

/* NTP 16.16 time of a timeval (what a router writes as arrival time). */
uint32_t mtrace_ntp_time(int64_t sec, long usec);
/*
 * Milliseconds from a to b, two 16.16 times (b - a); wraps every 65536 s,
 * so the nearest difference is taken.
 */
int64_t mtrace_ntp_diff_ms(uint32_t a, uint32_t b);

/* Names for logs, dumps and mcast mtrace. */
const char *mtrace_fwd_code_name(uint8_t code); /* "prune sent" */
const char *mtrace_fwd_code_key(uint8_t code);	/* "PRUNE_SENT" */
const char *mtrace_proto_name(uint8_t proto);	/* "DVMRP/static" */
const char *mtrace_error_name(int error);	/* kind or -kind */
const char *mtrace_error_key(int error);	/* "block_truncated" */

#endif
