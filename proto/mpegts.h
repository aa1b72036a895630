/*
 * MPEG-2 transport streams without I/O (ISO/IEC 13818-1): the 188-byte
 * packet's header and adaptation field (2.4.3.2, 2.4.3.4), and what a
 * receiver counts per PID: packets, continuity counter errors (2.4.3.3),
 * duplicates, discontinuities, PCR presence and interval.  Over UDP a
 * datagram carries 1..7 packets; over RTP (payload type 33) the same.
 */
#ifndef MCAST_PROTO_MPEGTS_H
#define MCAST_PROTO_MPEGTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MPEGTS_PACKET_LEN  188
#define MPEGTS_SYNC	   0x47
#define MPEGTS_PID_NULL	   0x1fff
#define MPEGTS_MAX_PER_UDP 7   /* 7 * 188 = 1316 bytes */
#define MPEGTS_MAX_PIDS	   128 /* tracked per stream; more are counted */
#define MPEGTS_PCR_HZ	   27000000ULL

/* Junk, counted per stream. */
enum mpegts_error {
	MPEGTS_OK,
	MPEGTS_ERR_LENGTH,	 /* a datagram not a multiple of 188 */
	MPEGTS_ERR_SYNC,	 /* no 0x47 */
	MPEGTS_ERR_TEI,		 /* transport_error_indicator set */
	MPEGTS_ERR_AFC_RESERVED, /* adaptation_field_control 00 */
	MPEGTS_ERR_AF_LENGTH,	 /* adaptation field longer than allowed */
	MPEGTS_ERRORS,
};

struct mpegts_packet {
	bool tei;
	bool pusi;
	bool priority;
	uint16_t pid;
	uint8_t scrambling; /* transport_scrambling_control */
	uint8_t afc;	    /* adaptation_field_control */
	uint8_t cc;
	bool has_payload;
	bool discontinuity; /* discontinuity_indicator */
	bool random_access;
	bool has_pcr;
	uint64_t pcr; /* 27 MHz: base * 300 + extension */
};

struct mpegts_pid {
	uint16_t pid;
	uint64_t packets;
	uint64_t cc_errors;	  /* continuity breaks */
	uint64_t cc_lost;	  /* packets missing by the counters */
	uint64_t duplicates;	  /* a counter repeated once */
	uint64_t discontinuities; /* discontinuity_indicator set */
	uint64_t scrambled;
	uint64_t pcr_count;
	uint64_t pcr_interval_min; /* 27 MHz ticks */
	uint64_t pcr_interval_max;
	uint64_t pcr_interval_sum;
	uint64_t pcr_intervals;
	uint64_t last_pcr;
	uint8_t last_cc;
	bool has_cc;
	bool last_had_payload;
	bool duplicate_seen; /* the last packet was a duplicate */
};

struct mpegts_stats {
	uint64_t packets; /* with a good header, null ones included */
	uint64_t null_packets;
	uint64_t errors[MPEGTS_ERRORS];
	uint64_t pids_untracked; /* packets of PIDs past MPEGTS_MAX_PIDS */
	size_t npids;
	struct mpegts_pid pids[MPEGTS_MAX_PIDS]; /* in order of arrival */
};

const char *mpegts_error_name(enum mpegts_error e);
/* ISO/IEC 13818-1 2.4.3.2 and 2.4.3.4: one 188-byte packet at p. */
enum mpegts_error mpegts_decode(const uint8_t *p, struct mpegts_packet *pk);
/* A datagram (or an RTP payload) of 1..7 whole packets, each with its
 * sync byte. */
bool mpegts_looks_like(const uint8_t *p, size_t len);

void mpegts_stats_init(struct mpegts_stats *s);
/* ISO/IEC 13818-1 2.4.3.3: one decoded packet into its PID's counts. */
void mpegts_pid_update(struct mpegts_pid *st, const struct mpegts_packet *pk);
/* The packets of one datagram or RTP payload of len bytes. */
void mpegts_input(struct mpegts_stats *s, const uint8_t *p, size_t len);
/* The counts of pid, or NULL if none arrived. */
const struct mpegts_pid *mpegts_pid_find(const struct mpegts_stats *s,
    uint16_t pid);
/* Over all PIDs: continuity errors; and the junk of every kind. */
uint64_t mpegts_cc_errors(const struct mpegts_stats *s);
uint64_t mpegts_errors(const struct mpegts_stats *s);

#endif
