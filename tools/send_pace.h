/*
 * The arithmetic of a paced `mcast send` (no I/O, no clock): the schedule,
 * how many datagrams go per wake-up, and whether a run fell short of the
 * rate it was asked for.
 */
#ifndef MCAST_SEND_PACE_H
#define MCAST_SEND_PACE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * One wake-up of the sender per this many nanoseconds at most: a sleep and
 * its wake-up cost tens of microseconds, so a rate above 1/100 us sends
 * several datagrams per wake-up instead of one per sleep.
 */
#define SEND_PACE_WAKEUP_NS 100000
/* A run is short of its rate when it ended this much behind schedule. */
#define SEND_PACE_SLACK_FRACTION 0.02
#define SEND_PACE_SLACK_MIN_NS	 10000000 /* 10 ms: a short run's wake-ups */
/* The bounds -r and -b accept. */
#define SEND_PACE_MAX_PPS 1000000000.0	  /* 1G datagrams/s */
#define SEND_PACE_MAX_BPS 1000000000000.0 /* 1 Tbit/s */

/* Datagrams per wake-up at rate_pps: rate x SEND_PACE_WAKEUP_NS rounded
 * up, 1 to max_batch. */
unsigned send_pace_batch(double rate_pps, unsigned max_batch);
/* Datagrams the schedule allows elapsed_ns after the start: datagram n is
 * due at n / rate, so floor(elapsed x rate) + 1. */
uint64_t send_pace_allowed(double rate_pps, int64_t elapsed_ns);
/* When datagram n is due, in ns after the start. */
int64_t send_pace_due_ns(double rate_pps, uint64_t n);

struct send_pace_verdict {
	double achieved_pps; /* sent / elapsed */
	int64_t behind_ns;   /* when the last one went minus when it was due */
	bool short_of_rate;  /* behind by more than the slack */
};

/*
 * sent datagrams in elapsed_ns at an asked rate_pps, the last one (number
 * sent - 1, due at (sent - 1) / rate) gone last_ns after the start: a run
 * whose last datagram went later than due by more than 2% of its time and
 * 10 ms did not keep the rate.  A run that ends asleep (-d, Ctrl-C) waiting
 * for the next one is on schedule however long it slept.
 */
void send_pace_judge(double rate_pps, uint64_t sent, int64_t elapsed_ns,
    int64_t last_ns, struct send_pace_verdict *v);

#endif
