/*
 * When a SAP announcer sends (RFC 2974 3.1), sans I/O: the announcements
 * on a group share a bandwidth limit (4,000 bit/s unless told), so the
 * base interval is max(300 s, 8 x the bytes of all announcements heard
 * on the group / limit), each transmission is offset by a random
 * +-1/3 of it (a caller's random number), and at the chosen time the
 * interval is computed again (reconsideration): a set of announcements that
 * grew pushes the transmission later, one that shrank brings it forward.
 * The aes67 profile announces every 30 s (AES67's SAP practice), with the
 * same jitter; a fixed interval may be given instead of either.
 */
#ifndef MCAST_PROTO_SAP_TIMER_H
#define MCAST_PROTO_SAP_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#define SAP_TIMER_LIMIT_BPS	  4000	 /* RFC 2974 3.1 */
#define SAP_TIMER_MIN_INTERVAL_MS 300000 /* RFC 2974 3.1: 300 s */
#define SAP_TIMER_AES67_MS	  30000

enum sap_timer_profile {
	SAP_TIMER_RFC,	 /* RFC 2974 3.1 */
	SAP_TIMER_AES67, /* 30 s */
	SAP_TIMER_FIXED, /* the caller's interval */
};

struct sap_timer {
	enum sap_timer_profile profile;
	unsigned limit_bps;    /* 0: SAP_TIMER_LIMIT_BPS */
	mc_time_t fixed_ms;    /* SAP_TIMER_FIXED */
	mc_time_t tp;	       /* the last transmission (or the start) */
	uint32_t rnd;	       /* the random number of the offset */
	mc_time_t tn;	       /* the next transmission */
	mc_time_t interval_ms; /* the base interval tn was computed with */
};

/* RFC 2974 3.1 step 2: max(300 s, 8 x total_bytes / limit) in ms. */
mc_time_t sap_timer_base_interval_ms(uint64_t total_bytes, unsigned limit_bps);
/*
 * RFC 2974 3.1 step 3: offset = rand(interval x 2/3) - interval/3, with
 * rnd uniform over 32 bits: in [-interval/3, interval/3).
 */
mc_time_t sap_timer_offset_ms(mc_time_t interval_ms, uint32_t rnd);
/* RFC 2974 3.1 step 4: tn = tp + interval + offset. */
mc_time_t sap_timer_next(mc_time_t tp, mc_time_t interval_ms,
    mc_time_t offset_ms);

/* The base interval of t's profile for total_bytes heard on the group. */
mc_time_t sap_timer_interval_ms(const struct sap_timer *t,
    uint64_t total_bytes);
/*
 * Schedule from tp (step 1: the last transmission, or now for the first):
 * returns tn.  rnd: a fresh random number from the caller's RNG.
 */
mc_time_t sap_timer_schedule(struct sap_timer *t, mc_time_t tp,
    uint64_t total_bytes, uint32_t rnd);
/*
 * At tn, or whenever the set heard changes: compute tn again with the
 * same random number and the new total.  True when it is time to send
 * (tn <= now); the caller sends and schedules from now.
 */
bool sap_timer_reconsider(struct sap_timer *t, mc_time_t now,
    uint64_t total_bytes);

#endif
