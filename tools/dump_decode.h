/*
 * mcast dump's work on one captured frame, without I/O: from the link
 * layer (Ethernet with 802.1Q/802.1ad tags, Linux cooked v1 and v2, raw
 * IPv4) to the IPv4 header and the IGMP message or SAP announcement (proto/igmp_wire.c; DVMRP
 * bodies: proto/dvmrp_wire.c; mtrace blocks: proto/mtrace_wire.c), then one line of text or one JSON object.  tools/cmd_dump.c does the
 * capturing; the fuzzer feeds frames and whole captures here.
 */
#ifndef MCAST_DUMP_DECODE_H
#define MCAST_DUMP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>
#include <net/if.h>

#include "dvmrp_wire.h"
#include "igmp_wire.h"
#include "mtrace_wire.h"
#include "sap_wire.h"
#include "sdp.h"

struct dump_packet {
	int rc; /* IGMP_OK, or why the packet is invalid */
	/*
	 * Linux cooked v2 (a capture on "any"): the interface the packet
	 * was captured on, and whether this host sent it.  ifname is for
	 * the caller to fill (if_indextoname() of a live capture): the
	 * decoder does no I/O, and a file's indexes are another host's.
	 */
	bool has_ifindex;
	uint32_t ifindex;
	bool outgoing;
	char ifname[IF_NAMESIZE];
	struct igmp_ip ip;   /* unless rc is an IPv4 header error */
	struct igmp_msg msg; /* when rc is IGMP_OK */
	size_t igmp_len;
	/* A DVMRP message's body (msg.kind IGMP_KIND_DVMRP): -DVMRP_E_* */
	int dvmrp_rc;
	struct dvmrp_msg dvmrp;
	/*
	 * An mtrace message (msg.kind IGMP_KIND_MTRACE_*): -MTRACE_E_*;
	 * mtrace.blocks points into the frame given to dump_decode_frame.
	 */
	int mtrace_rc;
	struct mtrace_msg mtrace;
	/*
	 * SAP (UDP to port 9875, tools/dump_sap.c): rc and ip as for IGMP,
	 * sap_rc the SAP header's; sap_sdp (static, until the next frame)
	 * when an announcement's SDP was parsed.
	 */
	bool sap;
	uint16_t sap_sport;
	size_t sap_len; /* the UDP payload */
	enum sap_wire_error sap_rc;
	struct sap_msg sap_msg;
	bool sap_has_origin;
	struct sdp_origin sap_origin;
	const struct sdp_session *sap_sdp;
	int sap_sdp_errors;
};

/*
 * Decode a frame of link type linktype (a pcap DLT_ value): false when it
 * carries no IGMP (not IPv4, another protocol, a link type not known),
 * which mcast dump skips.
 */
bool dump_decode_frame(int linktype, const uint8_t *frame, size_t caplen,
    struct dump_packet *p);
/* The packet as one line: text in tcpdump's spirit, or a JSON object. */
void dump_print_packet(FILE *f, const struct timeval *ts, uint32_t caplen,
    const struct dump_packet *p, bool json);

/* A DVMRP body after the header dump prints (tools/dump_dvmrp.c). */
void dump_dvmrp_text(FILE *f, const struct dvmrp_msg *m, int rc);
/* The members of the "dvmrp" JSON object past code and version. */
void dump_dvmrp_json(FILE *f, const struct dvmrp_msg *m, int rc);

/* An mtrace message's blocks after the header (tools/dump_mtrace.c). */
void dump_mtrace_text(FILE *f, const struct mtrace_msg *m, int rc);
/* The members of the "mtrace" JSON object past the header's. */
void dump_mtrace_json(FILE *f, const struct mtrace_msg *m, int rc);

/* SAP: an IPv4 UDP datagram to port 9875 into p (false: it is not one);
 * printed after the IP header (tools/dump_sap.c). */
bool dump_sap_decode(const uint8_t *pkt, size_t len, struct dump_packet *p);
void dump_sap_text(FILE *f, const struct dump_packet *p);
/* The members of the packet's JSON object from "kind" on. */
void dump_sap_json(FILE *f, const struct dump_packet *p);

#endif
