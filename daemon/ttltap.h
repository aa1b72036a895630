/*
 * A sampling tap on multicast packets whose TTL is low enough that some
 * VIF's threshold stops them: a packet socket with a classic BPF filter,
 * so packets with a higher TTL (the flows that work) cost one filter run
 * and are never copied.  mcastd hands each sample to mroute_ttl_sample(),
 * which tells whether the flow is forwarded nowhere.  At most
 * TTLTAP_SAMPLES_PER_S samples are read each second; beyond that the
 * socket is not polled and its small buffer drops the rest.
 */
#ifndef MCASTD_TTLTAP_H
#define MCASTD_TTLTAP_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "engine.h"

#define TTLTAP_SAMPLES_PER_S 100

struct ttltap {
	int fd;		  /* -1: closed */
	int max_ttl;	  /* as in the filter; -1: none yet */
	unsigned budget;  /* samples left this second */
	mc_time_t second; /* when the budget was filled */
	uint64_t samples;
	uint64_t malformed;
};

/* 0 or -errno; the filter passes nothing until ttltap_filter(). */
int ttltap_open(struct ttltap *t);
void ttltap_close(struct ttltap *t);
/* Pass multicast packets (not 224.0.0.0/24) with TTL <= max_ttl. */
int ttltap_filter(struct ttltap *t, uint8_t max_ttl);
/* The fd to poll now, or -1 (closed, or the second's budget is spent). */
int ttltap_poll_fd(struct ttltap *t, mc_time_t now);
/* When ttltap_poll_fd() gives the fd again (MC_TIME_NEVER: it does). */
mc_time_t ttltap_deadline(const struct ttltap *t, mc_time_t now);

struct ttltap_sample {
	unsigned ifindex;
	struct in_addr source;
	struct in_addr group;
	uint8_t ttl;
};

/* Read up to the budget: fn for each sample.  The number read. */
unsigned ttltap_read(struct ttltap *t, mc_time_t now,
    void (*fn)(void *arg, const struct ttltap_sample *s), void *arg);

#endif
