/*
 * IGMP on the wire: every message of RFC 1112 (v1), RFC 2236 (v2) and
 * RFC 3376 (v3), recognition of the DVMRP and mtrace headers that share the
 * protocol number, the IPv4 header IGMP travels in (TTL 1, TOS 0xc0, Router
 * Alert), the checksum and the Max Resp Code / QQIC floating point.
 *
 * Decoders never read past their buffer, never allocate, and reject what
 * does not fit with an igmp_error code.  Decoded messages point into the
 * caller's buffer (sources, group records): keep the buffer while using them.
 */
#ifndef MCAST_PROTO_IGMP_WIRE_H
#define MCAST_PROTO_IGMP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* IGMP message types (the first byte). */
#define IGMP_TYPE_QUERY	      0x11
#define IGMP_TYPE_V1_REPORT   0x12
#define IGMP_TYPE_DVMRP	      0x13
#define IGMP_TYPE_PIM_V1      0x14
#define IGMP_TYPE_V2_REPORT   0x16
#define IGMP_TYPE_V2_LEAVE    0x17
#define IGMP_TYPE_MTRACE_RESP 0x1e
#define IGMP_TYPE_MTRACE      0x1f
#define IGMP_TYPE_V3_REPORT   0x22

#define IGMP_MIN_LEN	       8
#define IGMP_V3_QUERY_MIN_LEN  12
#define IGMP_V3_REPORT_MIN_LEN 8
#define IGMP_V3_RECORD_MIN_LEN 8

/* The groups IGMP is addressed to (RFC 2236 9, RFC 3376 4.1.12/4.2.14). */
#define IGMP_ALL_SYSTEMS 0xe0000001u /* 224.0.0.1 */
#define IGMP_ALL_ROUTERS 0xe0000002u /* 224.0.0.2 */
#define IGMP_V3_ROUTERS	 0xe0000016u /* 224.0.0.22 */

/* What a decoded message is. */
enum igmp_kind {
	IGMP_KIND_V1_QUERY, /* 0x11, length 8, code 0 */
	IGMP_KIND_V2_QUERY, /* 0x11, length 8, code != 0 */
	IGMP_KIND_V3_QUERY, /* 0x11, length >= 12 */
	IGMP_KIND_V1_REPORT,
	IGMP_KIND_V2_REPORT,
	IGMP_KIND_V2_LEAVE,
	IGMP_KIND_V3_REPORT,
	IGMP_KIND_DVMRP,
	IGMP_KIND_MTRACE_QUERY,	   /* 0x1f: query or request */
	IGMP_KIND_MTRACE_RESPONSE, /* 0x1e */
	IGMP_KIND_PIM_V1,
	IGMP_KIND_UNKNOWN, /* any other type: RFC 3376 4, ignore */
};

/* Why a message was rejected. */
enum igmp_error {
	IGMP_OK = 0,
	IGMP_E_SHORT = -1,	       /* under 8 bytes */
	IGMP_E_CHECKSUM = -2,	       /* one's complement sum is wrong */
	IGMP_E_QUERY_LENGTH = -3,      /* 9-11 byte query (RFC 3376 7.1) */
	IGMP_E_SOURCES_TRUNCATED = -4, /* N sources do not fit */
	IGMP_E_RECORD_TRUNCATED = -5,  /* a v3 group record does not fit */
	IGMP_E_MTRACE_SHORT = -6,      /* mtrace under its 24-byte header */
	IGMP_E_IP_SHORT = -7,	       /* IPv4 header decoding: see igmp_ip */
	IGMP_E_IP_VERSION = -8,
	IGMP_E_IP_HEADER_LENGTH = -9,
	IGMP_E_IP_TOTAL_LENGTH = -10,
	IGMP_E_IP_PROTOCOL = -11, /* not protocol 2 */
	IGMP_E_IP_CHECKSUM = -12,
	IGMP_E_IP_FRAGMENT = -13, /* a fragment: IGMP is never fragmented */
	IGMP_E_NO_ROOM = -14,	  /* an encoder's buffer is too small */
};
#define IGMP_E_COUNT 15

/* RFC 3376 4.2.12 group record types. */
enum igmp_record_type {
	IGMP_MODE_IS_INCLUDE = 1,
	IGMP_MODE_IS_EXCLUDE = 2,
	IGMP_CHANGE_TO_INCLUDE = 3,
	IGMP_CHANGE_TO_EXCLUDE = 4,
	IGMP_ALLOW_NEW_SOURCES = 5,
	IGMP_BLOCK_OLD_SOURCES = 6,
};

/* DVMRP codes (draft-ietf-idmr-dvmrp-v3-11, mrouted). */
enum dvmrp_code {
	DVMRP_PROBE = 1,
	DVMRP_REPORT = 2,
	DVMRP_ASK_NEIGHBORS = 3,
	DVMRP_NEIGHBORS = 4,
	DVMRP_ASK_NEIGHBORS2 = 5,
	DVMRP_NEIGHBORS2 = 6,
	DVMRP_PRUNE = 7,
	DVMRP_GRAFT = 8,
	DVMRP_GRAFT_ACK = 9,
};

/* One v3 group record, as it stands in the packet. */
struct igmp_group_record {
	uint8_t type;	   /* enum igmp_record_type, or unknown */
	uint8_t aux_words; /* aux data length, 32-bit words */
	uint16_t nsources;
	struct in_addr group;
	const uint8_t *sources; /* nsources * 4 bytes, network order */
	const uint8_t *aux;	/* aux_words * 4 bytes */
};

struct igmp_msg {
	enum igmp_kind kind;
	uint8_t type;
	uint8_t code; /* byte 1 as sent: max resp code ... */
	uint16_t checksum;
	size_t length;	      /* the whole IGMP message */
	struct in_addr group; /* queries, v1/v2 reports, leaves */

	/*
	 * Queries: the maximum response time in tenths of a second:
	 * v1: 100 (RFC 1112's fixed 10 s), v2: the code, v3: decoded.
	 */
	uint32_t max_resp_tenths;
	/* v3 query */
	bool suppress; /* S flag */
	uint8_t qrv;
	uint8_t qqic;
	uint32_t qqi_s; /* QQIC decoded, seconds */
	uint16_t nsources;
	const uint8_t *sources; /* nsources * 4 bytes */

	/* v3 report: records validated by the decoder */
	uint16_t nrecords;
	const uint8_t *records;
	size_t records_len;

	/* DVMRP: code (byte 1), capabilities, minor, major version */
	uint8_t dvmrp_caps;
	uint8_t dvmrp_minor;
	uint8_t dvmrp_major;

	/* mtrace query/request/response (24-byte header + 32-byte blocks) */
	uint8_t mtrace_hops; /* byte 1 */
	struct in_addr mtrace_source;
	struct in_addr mtrace_dest;
	struct in_addr mtrace_response_addr;
	uint8_t mtrace_response_ttl;
	uint32_t mtrace_query_id; /* 24 bits */
	uint16_t mtrace_nblocks;
};

/* The IPv4 header IGMP arrived in. */
struct igmp_ip {
	struct in_addr src;
	struct in_addr dst;
	uint8_t ttl;
	uint8_t tos;
	bool router_alert; /* RFC 2113 option present */
	size_t header_len;
	size_t total_len;
};

/* RFC 1071 Internet checksum of len bytes (0 when the data sums right). */
uint16_t igmp_checksum(const uint8_t *buf, size_t len);

/* RFC 3376 4.1.1 / 4.1.7: code <-> value (tenths for MRC, seconds for QQI). */
uint32_t igmp_float_decode(uint8_t code);
/* The largest representable value <= value (154 -> 0x83 = 152). */
uint8_t igmp_float_encode(uint32_t value);

/* Decode an IGMP message (after the IP header).  IGMP_OK or an error. */
int igmp_decode(const uint8_t *buf, size_t len, struct igmp_msg *out);
/* Decode an IPv4 packet carrying IGMP; *igmp, *igmp_len: the payload. */
int igmp_ip_decode(const uint8_t *pkt, size_t len, struct igmp_ip *ip,
    const uint8_t **igmp, size_t *igmp_len);

/* Iterate over a decoded v3 report's records: 0..nrecords-1. */
struct igmp_record_iter {
	const struct igmp_msg *msg;
	size_t offset;
	uint16_t index;
};
void igmp_records_begin(const struct igmp_msg *msg,
    struct igmp_record_iter *it);
/* true and *rec filled, or false after the last record. */
bool igmp_records_next(struct igmp_record_iter *it,
    struct igmp_group_record *rec);
/* Source i of a record or query source list. */
struct in_addr igmp_source_at(const uint8_t *sources, uint16_t i);

/*
 * Encoders: write a complete IGMP message (checksum included) into buf and
 * return its length, or IGMP_E_NO_ROOM.
 */
int igmp_build_v1_query(uint8_t *buf, size_t cap);
int igmp_build_v2_query(uint8_t *buf, size_t cap, struct in_addr group,
    uint32_t max_resp_tenths);
int igmp_build_v3_query(uint8_t *buf, size_t cap, struct in_addr group,
    uint32_t max_resp_tenths, bool suppress, uint8_t robustness,
    uint32_t query_interval_s, const struct in_addr *sources,
    uint16_t nsources);
int igmp_build_v1_report(uint8_t *buf, size_t cap, struct in_addr group);
int igmp_build_v2_report(uint8_t *buf, size_t cap, struct in_addr group);
int igmp_build_v2_leave(uint8_t *buf, size_t cap, struct in_addr group);

/*
 * v3 reports, record by record.  igmp_v3_report_add() returns IGMP_E_NO_ROOM
 * when the record does not fit: finish this report and start another
 * (RFC 3376 4.2.16).
 */
struct igmp_v3_report {
	uint8_t *buf;
	size_t cap;
	size_t len;
	uint16_t nrecords;
};
void igmp_v3_report_begin(struct igmp_v3_report *r, uint8_t *buf, size_t cap);
int igmp_v3_report_add(struct igmp_v3_report *r, uint8_t type,
    struct in_addr group, const struct in_addr *sources, uint16_t nsources);
/* Fill the record count and checksum; returns the message length. */
int igmp_v3_report_finish(struct igmp_v3_report *r);

/*
 * The IPv4 header for an IGMP message: TTL 1, TOS 0xc0 (Internetwork
 * Control), the Router Alert option, header checksum.  Writes header and
 * payload into pkt; returns the packet length or IGMP_E_NO_ROOM.
 */
int igmp_ip_build(uint8_t *pkt, size_t cap, struct in_addr src,
    struct in_addr dst, const uint8_t *igmp, size_t igmp_len);

/*
 * How a message of the IGMP protocol number leaves: membership messages
 * with TTL 1 and Router Alert to a group (igmp_ip_build); DVMRP to a
 * neighbour, mtrace responses and mrinfo replies by unicast with other
 * TTLs, with or without Router Alert.
 */
struct igmp_ip_out {
	struct in_addr src;
	struct in_addr dst;
	uint8_t ttl;
	bool router_alert;
};

/* igmp_ip_build with o's TTL and Router Alert (20-byte header without). */
int igmp_ip_build_out(uint8_t *pkt, size_t cap, const struct igmp_ip_out *o,
    const uint8_t *igmp, size_t igmp_len);

/* Names for logs, dumps and mcastctl. */
const char *igmp_kind_name(enum igmp_kind kind); /* "v3 query" */
const char *igmp_record_type_name(uint8_t type); /* "IS_EX", "TO_IN" */
const char *igmp_error_name(int error);		 /* "bad checksum" */
const char *dvmrp_code_name(uint8_t code);	 /* "probe" */

#endif
