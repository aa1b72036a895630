/*
 * mcast file --cc tfmcc: TCP-Friendly Multicast Congestion Control
 * (RFC 4654) without I/O, for the sender (struct rmc_cc_snd) and each
 * receiver (struct rmc_cc_rcv).  Times are the engines' milliseconds,
 * rates bits per second.
 *
 * A receiver measures its loss event rate p (RFC 5348 section 5: loss
 * intervals, their weighted mean) and its RTT (from the sender's echo of
 * its feedback; before that, the sender's maximum RTT; between echoes,
 * adjusted by the change in one-way delay), and computes the rate a TCP
 * would get, X_calc (RFC 5348 section 3.1).  It answers each feedback
 * round after a random delay biased so that low rates answer first, and
 * holds its answer when the sender echoes a lower rate (suppression).  The
 * current limiting receiver (CLR) answers once per RTT.
 *
 * The sender follows the lowest rate reported: a lower report lowers the
 * rate at once (and makes its receiver the CLR); the CLR's higher reports
 * raise it by at most one packet per R_max every R_max.  In slow start
 * (until a receiver reports a loss) it doubles per R_max, up to twice the
 * lowest receive rate reported.  With no feedback from the CLR for 10
 * R_max it halves the rate.
 *
 * Sections cited are the sender's (3.x, as numbered in the drafts,
 * draft-ietf-rmt-bb-tfmcc); the receivers' mechanisms are cited by name.
 *
 * Choices the RFC leaves open, or where this differs: R_max starts at 500
 * ms and takes the first RTT measured (not a decay from 500 ms); the CLR
 * answers at most every 10 ms and after at least 3 packets (the clock
 * ticks in ms); the no-feedback time-out is 10 R_max but at least 100 ms;
 * the rate never goes under one packet per second.
 */
#ifndef MCAST_PROTO_RMC_CC_H
#define MCAST_PROTO_RMC_CC_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "rmc_wire.h"

#define RMC_CC_R_INIT_MS   500	 /* RFC 4654: initial maximum RTT */
#define RMC_CC_N	   10000 /* upper bound on the receivers */
#define RMC_CC_GAMMA	   0.25	 /* feedback timer bias */
#define RMC_CC_DELTA	   0.1	 /* suppression margin */
#define RMC_CC_LI_N	   8	 /* loss intervals averaged */
#define RMC_CC_RMAX_DECAY  0.9
#define RMC_CC_FB_ROUND	   4  /* a feedback round: 4 R_max */
#define RMC_CC_NOFB_RMAX   10 /* no CLR feedback for 10 R_max: halve */
#define RMC_CC_CLR_MIN_MS  10
#define RMC_CC_CLR_MIN_PKT 3

/* RFC 5348 section 3.1: a TCP's rate, bytes/s, s bytes, R s, p 0..1. */
double rmc_cc_tcp_rate(double s, double r, double p);
/*
 * RFC 5348 section 5.4: the mean loss interval of li[0] (the open one,
 * since the last loss event) and li[1..n] (closed, the latest first;
 * n <= RMC_CC_LI_N): max(I_tot0, I_tot1) / W_tot.  0 when n is 0.
 */
double rmc_cc_li_mean(const double *li, unsigned n);
/* RFC 5348 section 5.4's weights w_1..w_8 (i from 0). */
double rmc_cc_li_weight(unsigned i);
/*
 * RFC 4654, receivers' feedback (the biased feedback timer): a delay, in T's unit, of
 * max(T * (gamma * r + (1 - gamma) * (1 + log_N(x))), 0) with x in
 * (0, 1] drawn by the caller and r the receiver's rate over the sender's
 * (at most 1): low rates answer first.
 */
double rmc_cc_fb_delay(double t, double x, double r, unsigned n);
/* RFC 4654, receivers' RTT measurement: the filter, beta 0.05 (CLR) or 0.5. */
double rmc_cc_rtt_filter(double r, double sample, bool clr);
/* RFC 4654, feedback suppression: suppressed when X > (1 - delta) X_supp. */
bool rmc_cc_suppressed(double x, double x_supp);

struct rmc_cc_rcv {
	uint32_t id;
	unsigned s; /* packet bytes for the equation */
	/* From the sender's CC packets. */
	bool heard;
	uint32_t round, clr;
	double rate, supp; /* bits/s; supp 0: none */
	mc_time_t rmax;
	bool slow_start;
	/* Loss intervals, in packets: li[0] open. */
	bool seq_set;
	uint32_t seq_max, event_seq;
	mc_time_t event_at;
	double li[RMC_CC_LI_N + 1];
	unsigned nli;
	/* RTT: measured, its one-way delay then. */
	bool have_rtt;
	double rtt;
	int32_t owd_ref, owd_now;
	uint32_t ts_last; /* the sender's time of its last packet */
	mc_time_t ts_last_at;
	/* Receive rate since the last feedback. */
	uint64_t bytes;
	unsigned pkts;
	mc_time_t since;
	/* Feedback. */
	bool fb_pending;
	mc_time_t fb_at, fb_last;
	uint64_t fb_sent, fb_held;
};

void rmc_cc_rcv_init(struct rmc_cc_rcv *c, uint32_t id, unsigned s,
    mc_time_t now);
/* Any packet from the sender: its header and length. */
void rmc_cc_rcv_packet(struct rmc_cc_rcv *c, mc_time_t now,
    const struct rmc_hdr *h, size_t len);
/* A CC packet (after rmc_cc_rcv_packet with its header). */
void rmc_cc_rcv_info(struct rmc_cc_rcv *c, mc_time_t now, double x_rand,
    const struct rmc_ccinfo *in);
double rmc_cc_rcv_p(const struct rmc_cc_rcv *c);
double rmc_cc_rcv_rtt(const struct rmc_cc_rcv *c); /* ms */
/* X_calc in bits/s; 0 when p is 0 (no limit by the equation). */
double rmc_cc_rcv_xcalc(const struct rmc_cc_rcv *c);
/* The rate this receiver stands for: X_calc, or 2 X_recv before a loss. */
double rmc_cc_rcv_rate(const struct rmc_cc_rcv *c, mc_time_t now);
mc_time_t rmc_cc_rcv_deadline(const struct rmc_cc_rcv *c);
/* True, with the feedback filled in, when one is due at now. */
bool rmc_cc_rcv_feedback(struct rmc_cc_rcv *c, mc_time_t now,
    struct rmc_feedback *fb);

struct rmc_cc_snd_stats {
	uint64_t feedback, clr_changes, halvings, rounds;
};

struct rmc_cc_snd {
	unsigned s;
	double ceiling, floor;
	double x, target;
	bool slow_start;
	bool have_clr;
	uint32_t clr;
	double x_clr;
	mc_time_t clr_at; /* last CLR feedback, or halving */
	double rmax, rpeak;
	bool rmax_measured;
	uint32_t round;
	mc_time_t round_at, inc_at;
	bool nonclr_fb;
	double supp; /* 0: none */
	/* The echo of the latest feedback. */
	bool echo;
	uint32_t echo_rcvr, echo_ts;
	mc_time_t echo_at;
	bool info_due;
	mc_time_t info_at;
	struct rmc_cc_snd_stats st;
};

/* ceiling: bits/s (0: none); s: bytes of a packet on the wire. */
void rmc_cc_snd_init(struct rmc_cc_snd *c, uint64_t ceiling, unsigned s,
    mc_time_t now);
/* A FEEDBACK; ts is its header's time (the receiver's clock). */
void rmc_cc_snd_feedback(struct rmc_cc_snd *c, mc_time_t now, uint32_t ts,
    const struct rmc_feedback *fb);
/* Rounds, increases, the no-feedback rule: call before using the rate. */
void rmc_cc_snd_tick(struct rmc_cc_snd *c, mc_time_t now);
/* A receiver left (done): when it was the CLR, the next report picks one
 * (RFC 4654, receiver leave). */
void rmc_cc_snd_leave(struct rmc_cc_snd *c, uint32_t id);
uint64_t rmc_cc_snd_rate(const struct rmc_cc_snd *c);
/* R_max in use, ms: the measured one, at least 8s/X + 1 ms. */
double rmc_cc_snd_rmax(const struct rmc_cc_snd *c);
/* A CC packet is due at now. */
bool rmc_cc_snd_info_due(const struct rmc_cc_snd *c, mc_time_t now);
mc_time_t rmc_cc_snd_deadline(const struct rmc_cc_snd *c, mc_time_t now);
/* The CC packet to send now (the echo is used up). */
void rmc_cc_snd_info(struct rmc_cc_snd *c, mc_time_t now,
    struct rmc_ccinfo *out);

#endif
