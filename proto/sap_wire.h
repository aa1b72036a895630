/*
 * The SAP header (RFC 2974 6), without I/O: decode an announcement or a
 * deletion as a UDP socket hands it (inflating a zlib-compressed payload
 * into the caller's buffer, capped), and build one.
 *
 *   0                   1                   2                   3
 *   V=1 |A|R|T|E|C|  auth len   |         msg id hash           |
 *   originating source (4 or 16 bytes, A=1: IPv6)
 *   authentication data (auth len 32-bit words)
 *   optional payload type ("application/sdp" NUL), payload
 *
 * With C=1 everything after the authentication data (payload type and
 * payload) is zlib data (RFC 1950).  Without a payload type the payload is
 * SDP and starts with "v=0".  A message-ID hash of 0 is accepted (RFC 2974
 * 5: listeners MAY discard it; old announcers used it) and flagged: the
 * directory (sap_dir.c) then always reads the payload.  Authentication
 * data is returned, never checked.
 */
#ifndef MCAST_PROTO_SAP_WIRE_H
#define MCAST_PROTO_SAP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mcast/addr.h>

#define SAP_PORT	   9875
#define SAP_V4_GLOBAL	   "224.2.127.254" /* RFC 2974 3 */
#define SAP_V4_ADMIN_LOCAL "239.255.255.255"
#define SAP_V4_ADMIN_ORG   "239.195.255.255"
#define SAP_SDP_TYPE	   "application/sdp"
/* The payload type string we accept, terminator excluded. */
#define SAP_WIRE_MAX_TYPE 64
/*
 * What an inflated (C=1) payload may grow to: more is a zlib bomb,
 * refused.  A SAP packet fits a UDP datagram; 64 KiB of SDP is plenty.
 */
#define SAP_WIRE_MAX_INFLATED 65536
/* The largest header: 4 + 16 + 255 * 4 bytes of authentication data. */
#define SAP_WIRE_MAX_HEADER (4 + 16 + 255 * 4)

enum sap_wire_error {
	SAP_WIRE_OK,
	SAP_WIRE_TRUNCATED,	    /* shorter than its header */
	SAP_WIRE_VERSION,	    /* V is not 1 */
	SAP_WIRE_HASH_ZERO,	    /* only with SAP_WIRE_STRICT_HASH */
	SAP_WIRE_AUTH_LENGTH,	    /* authentication data past the end */
	SAP_WIRE_TYPE_UNTERMINATED, /* payload type without its NUL */
	SAP_WIRE_ENCRYPTED,	    /* E=1: cannot be read */
	SAP_WIRE_INFLATE,	    /* C=1 and not zlib data */
	SAP_WIRE_INFLATE_CAP,	    /* inflates past the cap: a zlib bomb */
	SAP_WIRE_EMPTY,		    /* no payload */
	SAP_WIRE_NOT_SDP,	    /* a payload type other than SDP */
	SAP_WIRE_ERRORS,
};

/* Decoder flags. */
#define SAP_WIRE_STRICT_HASH 0x1u /* refuse hash 0 (SAP_WIRE_HASH_ZERO) */

struct sap_msg {
	uint8_t version;
	bool ipv6;	 /* A */
	bool reserved;	 /* R: ignored, as RFC 2974 says */
	bool deletion;	 /* T */
	bool encrypted;	 /* E */
	bool compressed; /* C */
	uint16_t hash;	 /* message identifier hash */
	struct mc_ip origin;
	const uint8_t *auth; /* auth_len bytes, not checked */
	size_t auth_len;
	bool has_type;
	char type[SAP_WIRE_MAX_TYPE + 1];
	/* The (inflated) payload: in the packet, or in the caller's buffer. */
	const uint8_t *payload;
	size_t payload_len;
};

const char *sap_wire_error_name(enum sap_wire_error e);
/* One sentence for a person: "authentication data past the end". */
const char *sap_wire_error_text(enum sap_wire_error e);

/*
 * Decode len bytes.  A compressed payload is inflated into buf (buf_len
 * bytes: SAP_WIRE_MAX_INFLATED is the usual cap; more inflated bytes than
 * that is SAP_WIRE_INFLATE_CAP).  On SAP_WIRE_ENCRYPTED, NOT_SDP and
 * INFLATE* the header fields (not the payload) of *m are valid.  zlib
 * allocates while inflating and frees before this returns.
 */
enum sap_wire_error sap_wire_decode(const uint8_t *p, size_t len,
    unsigned flags, uint8_t *buf, size_t buf_len, struct sap_msg *m);

/* What sap_wire_build() writes. */
struct sap_build {
	struct mc_ip origin;
	uint16_t hash;
	bool deletion;
	bool with_type; /* "application/sdp" before the payload */
	const uint8_t *payload;
	size_t payload_len;
};

/* The packet's length, or 0 when it does not fit cap bytes. */
size_t sap_wire_build(const struct sap_build *b, uint8_t *out, size_t cap);

/*
 * A message-ID hash for a payload: 16 bits of FNV-1a over origin and
 * payload, never 0 (RFC 2974 5: announcers SHOULD NOT use 0).
 */
uint16_t sap_wire_hash(const struct mc_ip *origin, const uint8_t *payload,
    size_t len);

#endif
