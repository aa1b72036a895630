/*
 * What every sans-I/O protocol engine shares: the clock type, the caller's
 * random number generator and the trace callback.  Engines never read a
 * clock, never touch a socket and never log: the caller passes `now`, reads
 * the engine's next deadline, and receives one trace line per transition.
 */
#ifndef MCAST_PROTO_ENGINE_H
#define MCAST_PROTO_ENGINE_H

#include <stdint.h>

/* Monotonic milliseconds. */
typedef int64_t mc_time_t;
#define MC_TIME_NEVER INT64_MAX

/* The earlier of two times (deadlines: MC_TIME_NEVER is the latest). */
static inline mc_time_t
mc_time_min(mc_time_t a, mc_time_t b)
{
	return a < b ? a : b;
}

/* A small, fast, seedable generator (splitmix64); the caller seeds it. */
struct mc_rng {
	uint64_t state;
};

static inline uint64_t
mc_rng_next(struct mc_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, bound); 0 when bound is 0. */
static inline uint64_t
mc_rng_below(struct mc_rng *r, uint64_t bound)
{
	return bound ? mc_rng_next(r) % bound : 0;
}

/*
 * One line describing a transition ("239.1.2.3: INCLUDE -> EXCLUDE on
 * IS_EX"), without a trailing newline.  May be NULL.
 */
typedef void (*mc_trace_fn)(void *arg, const char *line);

#endif
