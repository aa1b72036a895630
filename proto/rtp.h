/*
 * RTP without I/O (RFC 3550): the fixed header's decoder (5.1) and the
 * statistics a receiver keeps per synchronization source: sequence
 * validation with wrap (Appendix A.1), expected and lost packets (A.3),
 * interarrival jitter (A.8), duplicates and reordering; the payload types'
 * static clock rates (RFC 3551 section 6).
 */
#ifndef MCAST_PROTO_RTP_H
#define MCAST_PROTO_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTP_HEADER_LEN	   12 /* the fixed header, RFC 3550 5.1 */
#define RTP_VERSION	   2
#define RTP_SEQ_MOD	   65536
#define RTP_MAX_DROPOUT	   3000 /* RFC 3550 A.1's constants */
#define RTP_MAX_MISORDER   100
#define RTP_MIN_SEQUENTIAL 2
#define RTP_PT_MP2T	   33 /* RFC 3551 6: MPEG-2 transport, 90 kHz */

/* Why a datagram is not an RTP packet; RTP_DECODE_OK when it is. */
enum rtp_decode_error {
	RTP_DECODE_OK,
	RTP_DECODE_SHORT,     /* less than the 12-byte fixed header */
	RTP_DECODE_VERSION,   /* version is not 2 */
	RTP_DECODE_RTCP,      /* an RTCP packet (RFC 5761 4: PT 72..76) */
	RTP_DECODE_CSRC,      /* the CSRC list goes past the end */
	RTP_DECODE_EXTENSION, /* the header extension goes past the end */
	RTP_DECODE_PADDING,   /* padding count 0 or past the payload */
	RTP_DECODE_ERRORS,
};

struct rtp_header {
	uint8_t version;
	bool padding;
	bool extension;
	uint8_t csrc_count;
	bool marker;
	uint8_t payload_type;
	uint16_t seq;
	uint32_t timestamp;
	uint32_t ssrc;
	uint32_t csrc[15];
	uint16_t ext_profile; /* with extension: its first 16 bits */
	size_t ext_len;	      /* the extension's data, bytes */
	size_t header_len;    /* where the payload begins */
	size_t payload_len;   /* without the padding */
	uint8_t padding_len;
};

const char *rtp_decode_error_name(enum rtp_decode_error e);
/* RFC 3550 5.1: the header of the len bytes at p, or why not. */
enum rtp_decode_error rtp_decode(const uint8_t *p, size_t len,
    struct rtp_header *h);

/* RFC 3551 6: the clock rate (Hz) of a static payload type; 0 when the
 * type is dynamic (96..127) or unassigned. */
uint32_t rtp_pt_clock_rate(uint8_t payload_type);
/* RFC 3551 6: the encoding's name ("PCMU", "L16", "MP2T"), or NULL. */
const char *rtp_pt_name(uint8_t payload_type);

#define RTP_SEEN_BITS 128 /* more than RTP_MAX_MISORDER */

/*
 * What a receiver knows of one SSRC.  received counts distinct sequence
 * numbers (a duplicate is counted in duplicates only), so lost is never
 * made smaller by duplicates (RFC 3550 A.3 counts them in received).
 */
struct rtp_source {
	uint32_t ssrc;
	/* RFC 3550 A.1 */
	uint16_t max_seq;
	uint32_t cycles; /* shifted count of wraps */
	uint32_t base_seq;
	uint32_t bad_seq;
	uint32_t probation;
	uint64_t received;
	uint64_t expected_prior; /* A.3, at the last fraction */
	uint64_t received_prior;
	/* A.8 */
	bool has_transit;
	int32_t transit;
	double jitter;	   /* timestamp units */
	double jitter_max; /* the highest it was */
	double jitter_sum; /* over jitter_samples, for the mean */
	uint64_t jitter_samples;
	/* Ours */
	uint64_t packets;	    /* every packet given */
	uint64_t duplicates;	    /* a sequence number seen again */
	uint64_t reordered;	    /* arrived after a higher one */
	uint64_t probation_dropped; /* not in sequence while on probation */
	uint64_t bad_jumps;	    /* a jump not (yet) taken as a restart */
	uint64_t restarts;	    /* A.1's resynchronizations */
	/* expected and received before the last restart */
	uint64_t prior_expected;
	uint64_t prior_received;
	uint64_t seen[RTP_SEEN_BITS / 64]; /* bit i: max - i arrived */
	uint8_t payload_type;
	uint32_t last_timestamp;
};

enum rtp_seq_verdict {
	RTP_SEQ_NEW,	   /* in sequence, or after a gap: counted */
	RTP_SEQ_LATE,	   /* behind the highest, not seen before: counted
			      (from before the first counted: the count
			      starts there) */
	RTP_SEQ_DUPLICATE, /* seen before: not counted */
	RTP_SEQ_PROBATION, /* the source is not yet valid */
	RTP_SEQ_BAD,	   /* a big jump: ignored until confirmed */
	RTP_SEQ_RESTART,   /* the jump was confirmed: counts start again */
};

/* RFC 3550 A.1: a new source, heard first with sequence number seq. */
void rtp_source_init(struct rtp_source *s, uint32_t ssrc, uint16_t seq);
/* RFC 3550 A.1 update_seq(), with duplicates and reordering told apart. */
enum rtp_seq_verdict rtp_source_update_seq(struct rtp_source *s, uint16_t seq);
/* RFC 3550 A.8: one packet's timestamp and its arrival in the same clock
 * (the payload's), modulo 2^32. */
void rtp_source_update_jitter(struct rtp_source *s, uint32_t rtp_timestamp,
    uint32_t arrival);
/* One packet: its header (sequence, payload type) and arrival in the
 * payload's clock; clock_known false leaves the jitter alone. */
enum rtp_seq_verdict rtp_source_input(struct rtp_source *s,
    const struct rtp_header *h, bool clock_known, uint32_t arrival);

/* RFC 3550 A.3: the extended highest sequence number received. */
uint32_t rtp_source_extended_max(const struct rtp_source *s);
/* RFC 3550 A.3: packets expected (since the first, over restarts). */
uint64_t rtp_source_expected(const struct rtp_source *s);
/* Distinct packets received (over restarts). */
uint64_t rtp_source_received(const struct rtp_source *s);
/* RFC 3550 A.3: cumulative number lost, expected - received. */
int64_t rtp_source_lost(const struct rtp_source *s);
/* RFC 3550 A.3: the fraction lost since the last call, in 1/256ths, as
 * a reception report carries it; the interval starts again. */
uint8_t rtp_source_fraction_lost(struct rtp_source *s);
/* RFC 3550 A.8: the jitter in timestamp units; its mean over the
 * packets since the second, and its maximum. */
double rtp_source_jitter(const struct rtp_source *s);
double rtp_source_jitter_mean(const struct rtp_source *s);

#endif
